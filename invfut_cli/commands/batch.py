"""``invfut batch``: many requests, one process."""

from __future__ import annotations

import sys

import typer

from invfut_cli.app import PipeClosed, command


@command("batch")
def batch_command() -> None:
    """Read NDJSON requests on stdin (one per line, with "command"), write one NDJSON result per line, in order.

    A bad line gets an error record {"line": N, "error": {...}} and the rest go on; the exit
    code is 5 when any line failed.
    """
    from invfut_cli.batchrun import run

    try:
        code = run(sys.stdin.buffer, sys.stdout)
    except BrokenPipeError:
        raise PipeClosed from None
    raise typer.Exit(int(code))
