"""``invfut account --live VENUE``: the open inverse positions and the coin balance, read with
a read-only key, as the account file invfut reads (and the venue's own liquidation prices).

Bybit, Binance COIN-M, OKX, Kraken Futures and Deribit are read (the last two in
:mod:`.positions_more`); each key's permissions are checked first where the venue's API tells
them (Bybit, Binance, OKX) (a key that can withdraw is refused, one that can trade is warned
about). Numbers are the venue's text. Linear (USDT/USDC) positions are listed as skipped.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from invfut_cli.exitcodes import ExitCode

from .errors import LiveError, translate
from .keys import Credentials, read_credentials
from .mark import to_decimal
from .transport import VENUES, call, open_exchange, require_extra, venue


@dataclass
class VenuePosition:
    """One inverse position as the venue reports it."""

    symbol: str
    side: str
    contracts: Decimal
    entry: Decimal
    mark: Decimal | None
    liquidation: Decimal | None
    isolated_margin: Decimal | None
    leverage: Decimal | None


@dataclass
class LiveBook:
    """What ``account --live`` read: the venue, coin, balance, positions, skipped ones and
    the account-file data made of them (with ``save``'s text)."""

    venue: str
    coin: str
    balance: Decimal
    positions: list[VenuePosition]
    skipped: list[dict[str, str]] = field(default_factory=list)
    #: The answer's ``mark_source`` when ``--price`` came from the positions' mark.
    mark_source: dict[str, Any] | None = None

    def account_data(self) -> dict[str, Any]:
        """The account file's data: the same shape ``account FILE`` reads."""
        entries = []
        for p in self.positions:
            entry: dict[str, Any] = {"name": p.symbol, "side": p.side, "contracts": p.contracts, "entry": p.entry}
            if p.isolated_margin is not None:
                entry["margin"] = p.isolated_margin
            entries.append(entry)
        return {"exchange": self.venue, "coin": self.coin, "balance": self.balance, "position": entries}


def _number(value: Any) -> Decimal | None:
    if value in (None, "", "0", 0) or (isinstance(value, str) and Decimal(value) == 0):
        return None
    return to_decimal(value)


def _check_permissions(venue_name: str, client: Any, secrets: list[str]) -> None:
    """Refuse a key that can withdraw; warn about one that can trade."""
    can_withdraw = can_trade = False
    if venue_name == "bybit":
        answer = call(client, venue_name, "the key's permissions", "private_get_v5_user_query_api", {}, secrets)
        result = answer["result"]
        granted = [p for perms in result.get("permissions", {}).values() for p in perms]
        can_withdraw = any("withdraw" in p.lower() for p in granted)
        can_trade = str(result.get("readOnly")) == "0"
    elif venue_name == "binance":
        answer = call(client, venue_name, "the key's permissions", "sapi_get_account_apirestrictions", {}, secrets)
        can_withdraw = bool(answer.get("enableWithdrawals"))
        can_trade = bool(answer.get("enableFutures")) or bool(answer.get("enableSpotAndMarginTrading"))
    elif venue_name == "okx":
        answer = call(client, venue_name, "the key's permissions", "private_get_account_config", {}, secrets)
        perm = str(answer["data"][0].get("perm", ""))
        can_withdraw = "withdraw" in perm
        can_trade = "trade" in perm
    if can_withdraw:
        raise LiveError(f"{venue_name}: this key can withdraw; invfut refuses it: make a read-only key", ExitCode.AUTH)
    if can_trade:
        sys.stderr.write(
            f"invfut: warning: the {venue_name} key can trade; invfut only reads: a read-only key is safer\n"
        )


def _bybit(client: Any, coin: str, secrets: list[str]) -> tuple[Decimal, list[VenuePosition], list[dict[str, str]]]:
    answer = call(
        client,
        "bybit",
        "the positions",
        "private_get_v5_position_list",
        {"category": "inverse", "settleCoin": coin},
        secrets,
    )
    positions, skipped = [], []
    for row in answer["result"]["list"]:
        size = Decimal(row["size"])
        if size == 0:
            continue
        isolated = str(row.get("tradeMode")) == "1"
        positions.append(
            VenuePosition(
                symbol=row["symbol"], side="long" if row["side"] == "Buy" else "short", contracts=size,
                entry=to_decimal(row["avgPrice"]), mark=_number(row.get("markPrice")),
                liquidation=_number(row.get("liqPrice")),
                isolated_margin=_number(row.get("positionIM")) if isolated else None,
                leverage=_number(row.get("leverage")),
            )
        )  # fmt: skip
    wallet = call(
        client,
        "bybit",
        "the balance",
        "private_get_v5_account_wallet_balance",
        {"accountType": "CONTRACT", "coin": coin},
        secrets,
    )
    balance = next(Decimal(c["walletBalance"]) for c in wallet["result"]["list"][0]["coin"] if c["coin"] == coin)
    return balance, positions, skipped


def _binance(client: Any, coin: str, secrets: list[str]) -> tuple[Decimal, list[VenuePosition], list[dict[str, str]]]:
    answer = call(client, "binance", "the positions", "dapiprivate_get_positionrisk", {}, secrets)
    positions, skipped = [], []
    for row in answer:
        amount = Decimal(row["positionAmt"])
        if amount == 0 or not row["symbol"].startswith(coin):
            continue
        if row.get("marginAsset", coin) != coin:
            skipped.append({"symbol": row["symbol"], "reason": f"settled in {row['marginAsset']}, not {coin}"})
            continue
        isolated = row.get("marginType") == "isolated"
        positions.append(
            VenuePosition(
                symbol=row["symbol"], side="long" if amount > 0 else "short", contracts=abs(amount),
                entry=to_decimal(row["entryPrice"]), mark=_number(row.get("markPrice")),
                liquidation=_number(row.get("liquidationPrice")),
                isolated_margin=_number(row.get("isolatedMargin")) if isolated else None,
                leverage=_number(row.get("leverage")),
            )
        )  # fmt: skip
    balances = call(client, "binance", "the balance", "dapiprivate_get_balance", {}, secrets)
    balance = next(Decimal(b["balance"]) for b in balances if b["asset"] == coin)
    return balance, positions, skipped


def _okx(client: Any, coin: str, secrets: list[str]) -> tuple[Decimal, list[VenuePosition], list[dict[str, str]]]:
    answer = call(client, "okx", "the positions", "private_get_account_positions", {"instType": "SWAP"}, secrets)
    positions, skipped = [], []
    for row in answer["data"]:
        amount = Decimal(row["pos"] or "0")
        if amount == 0:
            continue
        if not row["instId"].startswith(f"{coin}-USD-") or row.get("ccy", coin) != coin:
            skipped.append(
                {
                    "symbol": row["instId"],
                    "reason": f"linear (settled in {row.get('ccy') or 'another coin'}): invfut reads inverse contracts",
                }
            )
            continue
        side = row.get("posSide", "net")
        is_long = side == "long" or (side == "net" and amount > 0)
        isolated = row.get("mgnMode") == "isolated"
        positions.append(
            VenuePosition(
                symbol=row["instId"], side="long" if is_long else "short", contracts=abs(amount),
                entry=to_decimal(row["avgPx"]), mark=_number(row.get("markPx")), liquidation=_number(row.get("liqPx")),
                isolated_margin=_number(row.get("margin")) if isolated else None, leverage=_number(row.get("lever")),
            )
        )  # fmt: skip
    balances = call(client, "okx", "the balance", "private_get_account_balance", {"ccy": coin}, secrets)
    balance = next(Decimal(d["cashBal"]) for d in balances["data"][0]["details"] if d["ccy"] == coin)
    return balance, positions, skipped


def _more(name: str) -> Any:
    def read(client: Any, coin: str, secrets: list[str]) -> tuple[Decimal, list[VenuePosition], list[dict[str, str]]]:
        from . import positions_more

        balance, rows, skipped = getattr(positions_more, name)(client, coin, secrets)
        return balance, [VenuePosition(**row) for row in rows], skipped

    return read


#: The venues whose positions invfut reads, and how.
READERS = {"bybit": _bybit, "binance": _binance, "okx": _okx, "kraken": _more("kraken"), "deribit": _more("deribit")}


def read_book(venue_name: str, coin: str, *, timeout: float) -> LiveBook:
    """The open inverse positions and the ``coin`` balance of ``venue_name``'s account."""
    venue(venue_name, "--live")
    if venue_name not in READERS:
        raise LiveError(
            f"--live: invfut reads positions from {', '.join(READERS)}; not yet from {venue_name}",
            ExitCode.USAGE,
            "--live",
        )
    require_extra("--live")  # before the key: without the extra, no key would help
    credentials: Credentials = read_credentials(venue_name, VENUES[venue_name].needs_password)
    secrets = credentials.texts()
    client = open_exchange(venue_name, timeout, "--live", credentials.for_ccxt())
    what = "the key's permissions"
    try:  # an answer of another shape than the venue documents is the venue's fault (exit 9)
        _check_permissions(venue_name, client, secrets)
        what = "the positions"
        balance, positions, skipped = READERS[venue_name](client, coin, secrets)
    except LiveError:
        raise
    except (KeyError, IndexError, TypeError, AttributeError, ValueError, ArithmeticError, StopIteration) as exc:
        raise translate(exc, venue_name, what, secrets) from None
    return LiveBook(venue_name, coin, balance, positions, skipped)
