"""The live options: the word ``live`` where a command takes the current price, and
``--timeout``. Nothing here imports ccxt: :mod:`invfut_cli.live` does, on a live path only."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from invfut_cli.exitcodes import ExitCode
from invfut_cli.given import GIVEN

#: The word that asks for the venue's mark price in place of a number.
LIVE = "live"

TimeoutOpt = Annotated[
    float,
    typer.Option(
        "--timeout",
        help="Seconds each call to the venue may take, with a live price (--mark live).",
        metavar="SECONDS",
        min=0.1,
        max=600,
        rich_help_panel="Live",
    ),
]


def live_price(values: dict[str, Any], key: str, option: str, coin: str | None = None) -> dict[str, Any] | None:
    """With ``live`` as ``values[key]``: reads the venue's mark for ``--exchange`` and
    ``--coin`` (or ``coin``: an account file's), puts the price in ``values[key]`` and returns the answer's ``mark_source``
    object; otherwise ``None`` (the value stays for the input model to read). Takes
    ``timeout`` out of ``values`` either way."""
    timeout = values.pop("timeout", 10.0)
    raw = values.get(key)
    if not isinstance(raw, str) or raw.strip().lower() != LIVE:
        return None
    from invfut_cli.live import LiveError, fetch_mark

    exchange = values.get("exchange")
    name = getattr(exchange, "value", exchange)
    if name in (None, "generic"):
        raise LiveError(
            f"{option} live needs --exchange: the venue to read the mark price from", ExitCode.USAGE, option
        )
    coin = (coin or values.get("coin") or "BTC").upper()
    mark = fetch_mark(name, coin, timeout=timeout, option=option)
    values[key] = mark.price
    return source_doc(mark)


def source_doc(mark: Any) -> dict[str, Any]:
    """The answer's ``mark_source``: the venue, its symbol, the price as read and its time."""
    return {
        "venue": mark.venue,
        "symbol": mark.symbol,
        "price": mark.price,
        "timestamp_ms": mark.timestamp_ms,
    }


#: The layout of ``mark_source`` (a key only answers with ``--mark live`` carry): its price
#: is the venue's, with the places the venue sent (:data:`~invfut_cli.given.GIVEN`).
MARK_SOURCE: dict[str, Any] = {"venue": None, "symbol": None, "price": GIVEN, "timestamp_ms": None}
