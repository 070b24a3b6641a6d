"""The venues' current contract rules, read from their public API (``exchanges --refresh``).

Per venue, the raw endpoints (through ccxt's implicit methods) and where each rule sits in
the answer. Numbers stay the venue's text; tiers come out in the preset's own shape
(``up_to`` in the preset's ``tier_unit``, ``mmr``, ``max_leverage``, ``deduction``).
What a venue's public API does not give is listed as not read, and the shipped value stays.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .errors import translate
from .mark import to_decimal, venue_symbol
from .transport import call, open_exchange, venue

Rules = dict[str, Any]


def _text(value: Any) -> str:
    return str(to_decimal(value))


def _bybit(client: Any, symbol: str, coin: str) -> tuple[Rules, list[str]]:
    answer = call(
        client,
        "bybit",
        f"the {symbol} rules",
        "public_get_v5_market_instruments_info",
        {"category": "inverse", "symbol": symbol},
    )
    item = next(i for i in answer["result"]["list"] if i["symbol"] == symbol)
    rules = {
        "tick": _text(item["priceFilter"]["tickSize"]),
        "lot": _text(item["lotSizeFilter"]["qtyStep"]),
        "max_leverage": _text(item["leverageFilter"]["maxLeverage"]),
    }
    return rules, ["contract_size_usd (1 USD, not in the answer)", "tiers (risk limits: kept from the preset)"]


def _binance(client: Any, symbol: str, coin: str) -> tuple[Rules, list[str]]:
    answer = call(client, "binance", f"the {symbol} rules", "dapipublic_get_exchangeinfo", {})
    item = next(s for s in answer["symbols"] if s["symbol"] == symbol)
    filters = {f["filterType"]: f for f in item["filters"]}
    rules = {
        "contract_size_usd": _text(item["contractSize"]),
        "tick": _text(filters["PRICE_FILTER"]["tickSize"]),
        "lot": _text(filters["LOT_SIZE"]["stepSize"]),
    }
    return rules, ["max_leverage and tiers (the leverage brackets need a key)"]


def _okx(client: Any, symbol: str, coin: str) -> tuple[Rules, list[str]]:
    answer = call(
        client, "okx", f"the {symbol} rules", "public_get_public_instruments", {"instType": "SWAP", "instId": symbol}
    )
    item = next(i for i in answer["data"] if i["instId"] == symbol)
    rules: Rules = {
        "contract_size_usd": _text(item["ctVal"]),
        "tick": _text(item["tickSz"]),
        "lot": _text(item["lotSz"]),
        "max_leverage": _text(item["lever"]),
    }
    family = symbol.rsplit("-", 1)[0]  # BTC-USD-SWAP: BTC-USD
    tiers = call(
        client,
        "okx",
        f"the {family} tiers",
        "public_get_public_position_tiers",
        {"instType": "SWAP", "tdMode": "cross", "instFamily": family},
    )
    rows = sorted((t for t in tiers["data"] if t.get("instFamily", family) == family), key=lambda t: int(t["tier"]))
    rules["tiers"] = [
        {
            **({} if i == len(rows) - 1 else {"up_to": _text(t["maxSz"])}),
            "mmr": str(Decimal(t["mmr"])),
            "max_leverage": _text(t["maxLever"]),
            "deduction": "0",
        }
        for i, t in enumerate(rows)
    ]
    return rules, []


def _kraken(client: Any, symbol: str, coin: str) -> tuple[Rules, list[str]]:
    answer = call(client, "kraken", f"the {symbol} rules", "public_get_instruments", {})
    item = next(i for i in answer["instruments"] if i["symbol"].upper() == symbol.upper())
    size = to_decimal(item["contractSize"])
    levels = sorted(item["marginLevels"], key=lambda m: Decimal(m["contracts"]))
    tiers, deduction, previous = [], Decimal(0), None
    for i, level in enumerate(levels):
        floor = Decimal(level["contracts"]) * size  # USD, the preset's tier unit
        mmr, imr = Decimal(level["maintenanceMargin"]), Decimal(level["initialMargin"])
        if previous is not None:
            deduction += floor * (mmr - previous)  # DOMAIN §5: the tiers as tax brackets
        previous = mmr
        tier: dict[str, str] = {
            "mmr": str(mmr),
            "max_leverage": str((1 / imr).quantize(Decimal("0.01"), ROUND_HALF_UP).normalize()),
            "deduction": str(deduction.normalize()),
        }
        if i < len(levels) - 1:
            tier = {"up_to": str((Decimal(levels[i + 1]["contracts"]) * size).normalize()), **tier}
        tiers.append(tier)
    rules = {
        "contract_size_usd": str(size),
        "tick": _text(item["tickSize"]),
        "max_leverage": tiers[0]["max_leverage"],
        "tiers": tiers,
    }
    return rules, ["lot (1 contract, not in the answer)"]


def _deribit(client: Any, symbol: str, coin: str) -> tuple[Rules, list[str]]:
    answer = call(client, "deribit", f"the {symbol} rules", "public_get_get_instrument", {"instrument_name": symbol})
    item = answer["result"]
    size = to_decimal(item["contract_size"])
    rules = {
        "contract_size_usd": str(size),
        "tick": _text(item["tick_size"]),
        "lot": str((to_decimal(item["min_trade_amount"]) / size).normalize()),
        "max_leverage": _text(item["max_leverage"]),
    }
    return rules, ["margins (size-dependent: kept from the preset)"]


READERS: dict[str, Callable[[Any, str, str], tuple[Rules, list[str]]]] = {
    "bybit": _bybit,
    "binance": _binance,
    "okx": _okx,
    "kraken": _kraken,
    "deribit": _deribit,
}


def read_rules(venue_name: str, coins: list[str], *, timeout: float) -> tuple[dict[str, Rules], list[str]]:
    """``({COIN: rules}, [what was not read])`` for preset ``venue_name``'s contracts."""
    venue(venue_name, "--refresh")
    client = open_exchange(venue_name, timeout, "--refresh")
    read: dict[str, Rules] = {}
    missing: list[str] = []
    for coin in coins:
        symbol = venue_symbol(venue_name, coin)
        try:
            rules, not_read = READERS[venue_name](client, symbol, coin)
        except (KeyError, IndexError, TypeError, ValueError, ArithmeticError, StopIteration) as exc:
            raise translate(exc, venue_name, f"the {symbol} rules") from None
        read[coin] = {"symbol": symbol, **rules}
        missing += [f"{coin}: {item}" for item in not_read]
    return read, missing
