"""``account --live`` for Kraken Futures and Deribit: their positions and balance read through
ccxt's implicit methods for the documented endpoints, numbers as the venue wrote them.

Neither venue tells a signed request what the key may do (Kraken Futures has no key-permission
endpoint; Deribit reports a key's scope only to ``public/auth``, which ccxt's per-request
signing does not use), so no permission is checked here: make the key read-only at the venue.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .mark import to_decimal
from .transport import call

#: Kraken Futures writes bitcoin as XBT.
KRAKEN_COIN = {"BTC": "XBT"}

#: The balance, each position as the fields of ``positions.VenuePosition``, the skipped ones.
Read = tuple[Decimal, list[dict[str, Any]], list[dict[str, str]]]


def kraken(client: Any, coin: str, secrets: list[str]) -> Read:
    """``/openpositions`` (side, symbol, price, size) and ``/accounts``: the single-collateral
    margin account ``fi_<coin>usd`` holds the balance and ``triggerEstimates.lt``, the price
    at which the account reaches its liquidation threshold (the venue's liquidation price of
    every position in that account; Kraken margins them together)."""
    code = KRAKEN_COIN.get(coin, coin)
    inverse = (f"PI_{code}USD", f"FI_{code}USD_")
    answer = call(client, "kraken", "the positions", "private_get_openpositions", {}, secrets)
    if answer.get("result") != "success":
        raise ValueError("the answer is not a success")
    rows = [row for row in answer["openPositions"] if to_decimal(row["size"], positive=False) != 0]
    accounts = call(client, "kraken", "the balance", "private_get_accounts", {}, secrets)["accounts"]
    margin = accounts[f"fi_{code.lower()}usd"]
    balance = to_decimal(margin["balances"][code.lower()], positive=False)
    threshold = (margin.get("triggerEstimates") or {}).get("lt")
    positions, skipped = [], []
    for row in rows:
        symbol = str(row["symbol"])
        if not symbol.startswith(inverse):
            reason = f"not an inverse {coin} contract: invfut reads inverse contracts"
            skipped.append({"symbol": symbol, "reason": reason})
            continue
        if row["side"] not in ("long", "short"):
            raise ValueError(f"side {row['side']!r}")
        positions.append(
            dict(
                symbol=symbol, side=row["side"], contracts=to_decimal(row["size"], positive=False), entry=to_decimal(row["price"]),
                mark=None, liquidation=None if threshold in (None, 0) else to_decimal(threshold),
                isolated_margin=None, leverage=None,
            )
        )  # fmt: skip
    return balance, positions, skipped


def deribit(client: Any, coin: str, secrets: list[str]) -> Read:
    """``private/get_positions`` (futures of ``coin``: direction, size in USD, average price,
    mark, ``estimated_liquidation_price``) and ``private/get_account_summary`` (balance).
    Deribit margins every position of a currency together (cross)."""
    from invfut_cli.venues import get

    contract = get("deribit").contract(coin)
    if contract is None:
        raise ValueError(f"no {coin} contract")
    params = {"currency": coin, "kind": "future"}
    answer = call(client, "deribit", "the positions", "private_get_get_positions", params, secrets)
    positions, skipped = [], []
    for row in answer["result"]:
        size = to_decimal(row["size"], positive=False)
        if size == 0:
            continue
        name = str(row["instrument_name"])
        if not name.startswith(f"{coin}-"):  # BTC_USDC-PERPETUAL and the like settle in USDC
            skipped.append({"symbol": name, "reason": "linear (settled in USDC): invfut reads inverse contracts"})
            continue
        side = {"buy": "long", "sell": "short"}[row["direction"]]
        positions.append(
            dict(
                symbol=name, side=side, contracts=abs(size) / contract.contract_size_usd,
                entry=to_decimal(row["average_price"]), mark=to_decimal(row["mark_price"]),
                liquidation=_estimate(row.get("estimated_liquidation_price")), isolated_margin=None,
                leverage=None if row.get("leverage") is None else to_decimal(row["leverage"], positive=False),
            )
        )  # fmt: skip
    summary = call(client, "deribit", "the balance", "private_get_get_account_summary", {"currency": coin}, secrets)
    result = summary["result"]
    if result["currency"] != coin:
        raise ValueError(f"a summary of {result['currency']}")
    return to_decimal(result["balance"], positive=False), positions, skipped


def _estimate(value: Any) -> Decimal | None:
    """Deribit's estimated liquidation price; absent (portfolio margin) or not positive: none."""
    if value is None:
        return None
    number = to_decimal(value, positive=False)
    return number if number > 0 else None
