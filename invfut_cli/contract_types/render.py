"""The table ``ladder --versus`` draws under its rows: the seeds' comparison of inverse and
linear (or quanto) contracts, with this position's numbers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.table import Table  # noqa: TID251


def comparison_table(doc: Mapping[str, Any]) -> Table:
    """Aspect, the inverse contract, the other one; the other's margin and prices in the title
    (rich is imported here: only a table drawn loads it)."""
    from rich import box  # noqa: TID251
    from rich.table import Table  # noqa: TID251

    versus = doc["versus"]
    other = versus["contract_type"]
    title = (
        f"inverse versus {other}: the same {doc['size_usd']} USD, {other} margin {versus['collateral']} "
        f"{versus['margin_currency']}, liquidation {versus['liquidation_price'] or 'none'}"
    )
    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left")
    table.add_column("")
    table.add_column("inverse")
    table.add_column(other)
    for row in versus["comparison"]:
        table.add_row(row["aspect"], row["inverse"], row["other"])
    return table
