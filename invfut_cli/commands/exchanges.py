"""``invfut exchanges``: the presets and where their numbers come from."""

from __future__ import annotations

from typing import Annotated

import typer

from invfut_cli.app import command, emit
from invfut_cli.options import ExchangeName, FormatOpt, JsonOpt


@command("exchanges", example="invfut exchanges\ninvfut exchanges bybit --json")
def exchanges_command(
    name: Annotated[
        ExchangeName | None,
        typer.Argument(
            help=f"Show one venue in full: tiers, notes and sources. One of {', '.join(e.value for e in ExchangeName)}.",
            metavar="NAME",
            case_sensitive=False,
        ),
    ] = None,
    as_json: JsonOpt = False,
    fmt: FormatOpt = None,
) -> None:
    """The exchange presets: contracts, sizes, ticks, fees, tiers, formula family, sources and as-of dates."""
    from invfut_cli import present
    from invfut_cli.venues.presets import load

    emit(present.exchanges_doc(load(), None if name is None else name.value), as_json, fmt)
