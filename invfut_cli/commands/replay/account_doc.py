"""``replay --account``: the account file read as ``invfut account`` reads it, the walk
(:mod:`.account`) set up, and its document."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .account import AccountReplay

Doc = dict[str, Any]

#: The options the account's margin rule takes (as ``invfut account``).
RULE_OPTIONS = ("exchange", "mmr", "mm_basis", "mm_deduction", "taker_fee", "tick", "contract_size")


def setup(values: dict[str, Any]) -> tuple[Any, AccountReplay, Decimal, Any]:
    """The checked inputs, the walk, the funding interval (hours) and the rule's inputs."""
    from invfut_cli.app import build
    from invfut_cli.candles import CandleReader
    from invfut_cli.inputs.account.loaded import load_account, refuse_position_options
    from invfut_cli.venues import get

    from .inputs import AccountReplayInput

    refuse_position_options(values)
    given = build(
        AccountReplayInput, **{k: values.get(k) for k in ("file", "account", "from", "funding") if k in values}
    )
    rule_values = {k: values[k] for k in RULE_OPTIONS if values.get(k) is not None}
    loaded = load_account(given.account, rule_values)
    args, step = loaded.args, loaded.step
    hours, _ = get(args.exchange).funding_hours()
    reader = CandleReader(given.file)
    reader.open()
    replay = AccountReplay(
        reader,
        loaded.book,
        (loaded.cross, loaded.isolated),
        step,
        given.funding or Decimal(0),
        int(hours * 3_600_000),
        given.from_ms,
    )
    return given, replay, hours, (args, step)


def run(values: dict[str, Any]) -> Doc:
    """The ``replay --account`` document."""
    given, replay, hours, rule = setup(values)
    return document(given, replay, hours, rule, replay.summary())


def _hit(candle: Any, price: Decimal | None) -> Doc | None:
    from invfut_cli.candles import iso

    return None if candle is None else {"time": iso(candle.time_ms), "price": price, "line": candle.line}


def document(given: Any, replay: AccountReplay, hours: Decimal, rule: Any, walk: Any) -> Doc:
    """The answer: the keys of a position's replay where they mean the same (for the cross
    part: its balance is the collateral), and each position's own line."""
    from invfut_cli.candles import iso
    from invfut_cli.documents.parts import venue
    from invfut_cli.rounding import as_written, coin, coin_up, pct

    args, step = rule
    balance = replay.book.balance_coin
    need = walk.need
    cross_down = walk.hit is not None
    reason = walk.reason if walk.liquidation_start is None else None
    positions = []
    own = iter(walk.own)
    for holding in replay.book.holdings:
        p = holding.position
        mine = next(own) if holding.margin_coin is not None else None
        with_cross = mine is None
        positions.append(
            {
                "name": holding.name,
                "side": p.side.value,
                "contracts": p.contracts,
                "entry": as_written(p.entry_price_usd),  # as account shows it
                "margin_mode": "cross" if with_cross else "isolated",
                "collateral": None if with_cross else coin(holding.margin_coin),
                "liquidation_price": walk.liquidation_start if with_cross else mine.start,
                "liquidated_at": _hit(walk.hit, walk.liquidated_price) if with_cross else _hit(mine.hit, mine.liq),
                "funding_paid": None if with_cross else coin(mine.paid),
                "collateral_end": None
                if with_cross
                else coin(Decimal(0) if mine.hit is not None else mine.holding.margin_coin),
            }
        )
    any_own_down = any(o.hit is not None for o in walk.own)
    return {
        "command": "replay",
        "coin": args.coin,
        **venue(args),
        "inputs": {"file": given.file, "account": given.account, "from": given.from_, "funding": given.funding},
        "file": given.file,
        "account": given.account,
        "price_source": walk.price_source,
        "candles": walk.candles,
        "first_time": iso(walk.first_ms),
        "last_time": iso(walk.last_ms),
        "collateral": coin(balance),
        "liquidation_price": walk.liquidation_start,
        "price_step": step,
        "survived": not cross_down and not any_own_down,
        "liquidated_at": _hit(walk.hit, walk.liquidated_price),
        "min_equity": coin(walk.min_equity),
        "min_safety_pct": pct(walk.min_safety_pct),
        "worst_price": None if walk.worst_price is None else {"time": iso(walk.worst_ms), "price": walk.worst_price},
        "funding_paid": coin(walk.funding_paid),
        "funding_payments": walk.payments,
        "funding_interval_hours": hours,
        "collateral_end": coin(walk.balance_end),
        "collateral_to_survive": coin_up(need),
        "margin_to_add": None if need is None else coin_up(need - balance),
        "positions": positions,
        "reason": reason,
        "warnings": [],
    }
