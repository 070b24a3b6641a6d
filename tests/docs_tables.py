"""The generated parts of the documentation: each command's options, and the key glossary.

The Markdown files carry them between markers (``<!-- options: pnl -->`` … ``<!-- /options -->``,
``<!-- glossary -->`` … ``<!-- /glossary -->``), so a reader sees a plain table and a test
checks that the table is what the code declares now. ``python tests/test_readme.py --update``
writes them again, with the examples' output.
"""

from __future__ import annotations

import re
from typing import Any

OPTIONS = re.compile(r"(<!-- options: (?P<command>[a-z-]+) -->\n)(?P<body>.*?)(<!-- /options -->)", re.S)
GLOSSARY = re.compile(r"(<!-- glossary -->\n)(?P<body>.*?)(<!-- /glossary -->)", re.S)


def _cell(text: str) -> str:
    """``text`` as one Markdown table cell: on one line, its pipes escaped."""
    return " ".join(text.split()).replace("|", "\\|")


def _command(name: str) -> Any:
    """The click command ``invfut NAME`` and its context."""
    from invfut_cli.completion.tree import app_command

    root = app_command()
    parent = root.context_class(root, info_name="invfut")
    command = root.get_command(parent, name)
    assert command is not None, f"no command {name!r}"
    return command, command.context_class(command, info_name=name, parent=parent)


def options_table(name: str) -> str:
    """Every argument and option of ``invfut NAME`` as a Markdown table, in the order
    ``--help`` lists them: its group (the help's panel), spelling, value and meaning."""
    command, ctx = _command(name)
    rows: dict[str, list[str]] = {}
    for param in command.get_params(ctx):
        if getattr(param, "hidden", False) or "--help" in param.opts:
            continue
        meaning = param.help or ""
        if param.param_type_name == "argument":
            spelling = param.metavar or param.name.upper()
            group, value = "argument", ""
        else:
            spelling = ", ".join(f"`{name}`" for name in (*param.opts, *param.secondary_opts))
            group = getattr(param, "rich_help_panel", None) or "Options"
            value = f"`{param.metavar}`" if param.metavar else ""
        if param.required:
            meaning += " Required."
        if param.multiple and "repeat" not in meaning.lower():
            meaning += " Repeatable."
        if param.param_type_name == "argument":
            spelling = f"`{spelling}`"
        row = f"| {_cell(group)} | {_cell(spelling)} | {_cell(value)} | {_cell(meaning)} |"
        rows.setdefault(group, []).append(row)
    lines = ["| group | option | value | meaning |", "|---|---|---|---|"]
    for group_rows in rows.values():  # grouped as --help draws its panels: in order of first use
        lines.extend(group_rows)
    return "\n".join(lines) + "\n"


def glossary_table() -> str:
    """The glossary as a Markdown table (``invfut_cli.glossary.markdown``)."""
    from invfut_cli.glossary import markdown

    return markdown().rstrip("\n") + "\n"


def generated(text: str) -> str:
    """``text`` with every generated part written from the code as it is now."""
    text = OPTIONS.sub(lambda m: m.group(1) + options_table(m.group("command")) + m.group(4), text)
    return GLOSSARY.sub(lambda m: m.group(1) + glossary_table() + m.group(3), text)
