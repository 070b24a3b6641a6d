"""The venue's mark price for a preset's contract: :func:`fetch_mark` (public, no key)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .errors import translate
from .transport import call, open_exchange, venue


@dataclass(frozen=True)
class LiveMark:
    """A mark price as the venue sent it: the preset's venue, the venue's own symbol, the
    price (USD per coin, exact from the answer's text) and the venue's timestamp in
    milliseconds (``None`` where the answer has none)."""

    venue: str
    symbol: str
    price: Decimal
    timestamp_ms: int | None


def _first(answer: Any, *path: str | int) -> Any:
    for step in path:
        answer = answer[step]
    return answer


def _ms(value: Any) -> int | None:
    """A timestamp in milliseconds: an integer, or an ISO 8601 text (BitMEX, Kraken)."""
    if value is None:
        return None
    if isinstance(value, str) and not value.isdigit():
        from datetime import datetime

        return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp() * 1000)
    return int(value)


#: Per venue: the raw endpoint (ccxt's implicit method), its parameters for a venue symbol,
#: and where the answer keeps the mark and its time.
Reader = Callable[[Any], tuple[Any, Any]]
ENDPOINTS: dict[str, tuple[str, Callable[[str], dict[str, Any]], Reader]] = {
    # GET /v5/market/tickers?category=inverse: strings; the answer's time is "time".
    "bybit": (
        "public_get_v5_market_tickers",
        lambda s: {"category": "inverse", "symbol": s},
        lambda a: (_first(a, "result", "list", 0, "markPrice"), a.get("time")),
    ),
    # GET /dapi/v1/premiumIndex?symbol=: a list of one, strings, "time" in ms.
    "binance": (
        "dapipublic_get_premiumindex",
        lambda s: {"symbol": s},
        lambda a: ((a[0] if isinstance(a, list) else a)["markPrice"], (a[0] if isinstance(a, list) else a).get("time")),
    ),
    # GET /api/v5/public/mark-price?instType=SWAP&instId=: strings, "ts" in ms.
    "okx": (
        "public_get_public_mark_price",
        lambda s: {"instType": "SWAP", "instId": s},
        lambda a: (_first(a, "data", 0, "markPx"), _first(a, "data", 0).get("ts")),
    ),
    # GET /derivatives/api/v3/tickers/:symbol: numbers, "serverTime" ISO 8601.
    "kraken": (
        "public_get_tickers_symbol",
        lambda s: {"symbol": s},
        lambda a: (_first(a, "ticker", "markPrice"), a.get("serverTime")),
    ),
    # GET /api/v2/public/ticker?instrument_name=: numbers, "timestamp" in ms.
    "deribit": (
        "public_get_ticker",
        lambda s: {"instrument_name": s},
        lambda a: (_first(a, "result", "mark_price"), _first(a, "result").get("timestamp")),
    ),
}


def venue_symbol(exchange: str, coin: str, option: str = "--exchange") -> str:
    """The venue's symbol of the preset's ``coin`` contract (``BTCUSD`` at Bybit)."""
    from invfut_cli.choices import ExchangeName
    from invfut_cli.core.errors import DomainError
    from invfut_cli.venues.presets import load

    preset = load().presets[ExchangeName(exchange)]
    contract = preset.coins.get(coin.upper())
    if contract is None:
        raise DomainError(f"{exchange} has no {coin} contract in its preset", "coin")
    return contract.symbol


def to_decimal(value: Any, positive: bool = True) -> Decimal:
    """A number from the venue's answer, exactly: its string, or the ``Decimal``/``int`` the
    JSON reader made of its text. Anything else (a missing field, a float) does not parse,
    nor does a number not above zero where it must be ``positive`` (a price)."""
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise ValueError(f"not a number: {type(value).__name__}")
    number = Decimal(value)
    if not number.is_finite():
        raise ValueError("not a finite number")
    if positive and number <= 0:
        raise ValueError("not a positive price")
    return number


def fetch_mark(exchange: str, coin: str, *, timeout: float, option: str = "--mark") -> LiveMark:
    """The mark price of preset ``exchange``'s ``coin`` contract, read now from the venue.

    Raises :class:`~invfut_cli.live.errors.LiveError` (exit code and one scrubbed line) for
    every fault: no extra installed, no network, a timeout, the venue's error, an answer
    that does not parse."""
    venue(exchange, option)
    symbol = venue_symbol(exchange, coin)
    method, params, read = ENDPOINTS[exchange]
    client = open_exchange(exchange, timeout, option)
    answer = call(client, exchange, f"the {symbol} mark price", method, params(symbol))
    try:
        raw_price, raw_time = read(answer)
        return LiveMark(exchange, symbol, to_decimal(raw_price), _ms(raw_time))
    except (KeyError, IndexError, TypeError, ValueError, ArithmeticError) as exc:
        raise translate(exc, exchange, f"the {symbol} mark price") from None
