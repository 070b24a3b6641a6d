"""The table of a document cut to some of its keys (``--fields``), for people: plain text."""

from __future__ import annotations

from typing import Any

from .flat import cell, flatten, records


def write_table(doc: dict[str, Any], out: Any) -> None:
    """The keys asked, for people: one ``key  value`` line each, or the rows asked as
    aligned columns (nested values flattened to dotted keys, as in CSV)."""
    table = [flatten(record) for record in records(doc)]
    if "rows" not in doc or not table:
        pairs = [(key, cell(value)) for record in table for key, value in record.items()]
        width = max((len(key) for key, _ in pairs), default=0)
        out.write("".join(f"{key:<{width}}  {value}\n" for key, value in pairs))
        return
    header = list(table[0])
    cells = [[cell(record.get(key)) for key in header] for record in table]
    widths = [max(len(h), *(len(row[i]) for row in cells)) for i, h in enumerate(header)]
    for line in [header, *cells]:
        out.write("  ".join(text.rjust(width) for text, width in zip(line, widths, strict=True)).rstrip() + "\n")
