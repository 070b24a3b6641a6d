"""``invfut batch``: many requests, one process."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from invfut_cli.app import PipeClosed, command
from invfut_cli.selection import FieldsOpt


@command(
    "batch",
    example='invfut batch < requests.ndjson\necho \'{"command": "hedge", "holding": 1, "price": 8000}\' | invfut batch',
)
def batch_command(
    line_offset: Annotated[
        int,
        typer.Option(
            "--line-offset",
            min=0,
            help="Number the input's lines from N + 1 in error records (this input is part of a "
            "larger file that starts N lines earlier, as GNU parallel --pipe -N hands out).",
            metavar="N",
            rich_help_panel="Input",
        ),
    ] = 0,
    fields: FieldsOpt = None,
) -> None:
    """Read NDJSON requests on stdin (one per line, with "command"), write one NDJSON result per line, in order.

    A bad line gets an error record {"line": N, "error": {...}} and the rest go on; the exit
    code is 5 when any line failed, else 4 when any answer raised an alert ("alert": true).
    Long inputs are answered on every core (INVFUT_WORKERS sets how many processes).
    """
    from invfut_cli.batchrun import run

    keys = None
    if fields is not None:
        from invfut_cli.selection import known_anywhere, parse

        keys = parse(fields)
        known_anywhere(keys)
    try:
        code = run(sys.stdin.buffer, sys.stdout, line_offset, keys)
    except BrokenPipeError:
        raise PipeClosed from None
    raise typer.Exit(int(code))
