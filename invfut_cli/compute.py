"""From a validated input to core results: one function per command, no I/O.

Each function only chooses which core functions to call with which inputs (fee rates
from the venue, the target to solve, the part of a position left after a close); the
arithmetic is the core's. Commands and ``batch`` both go through here.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

from . import core

if TYPE_CHECKING:
    from .models import FeeInput, LadderInput, LeverageInput, LiqInput, PnlInput
    from .presets import Outcome


# The records here are NamedTuples: every run creates these classes, and a NamedTuple costs a
# fifth of a frozen dataclass to create (the core's results stay frozen dataclasses).
class Costs(NamedTuple):
    """Fee rates and funding resolved for a position."""

    open_fee_rate: Decimal
    close_fee_rate: Decimal
    funding_rate: Decimal | None
    funding_periods: Decimal
    funding_coin: Decimal


def costs(args: FeeInput, position: core.Position) -> Costs:
    """The fee rates (``maker``/``taker`` from the venue) and the funding the position pays,
    ``s·rate·periods·Q/E`` (at the entry price)."""
    exchange = args.exchange
    periods = args.funding_periods(exchange)
    funding = (
        core.funding_paid_coin(position, args.funding, periods, position.entry_price_usd)
        if args.funding is not None
        else Decimal(0)
    )
    return Costs(
        open_fee_rate=args.fee_rate(args.entry_fee, exchange),
        close_fee_rate=args.fee_rate(args.exit_fee, exchange),
        funding_rate=args.funding,
        funding_periods=periods if args.funding is not None else Decimal(0),
        funding_coin=funding,
    )


class Target(NamedTuple):
    """A target and the exit price that reaches it, or why none does."""

    kind: str
    value: Decimal
    exit_price_usd: Decimal | None
    reason: str | None
    limit_coin: Decimal | None


class PnlOutcome(NamedTuple):
    """Everything ``pnl`` reports."""

    exit_price_usd: Decimal | None
    result: core.PnlResult | None
    net: core.NetPnl | None
    costs: Costs
    target: Target | None
    closed: core.PartialClose | None
    break_even_usd: Decimal | None


def _target(args: PnlInput, position: core.Position, margin: Decimal | None, fees: Costs) -> Target | None:
    kwargs = {
        "open_fee_rate": fees.open_fee_rate,
        "close_fee_rate": fees.close_fee_rate,
        "funding_coin": fees.funding_coin,
    }
    limit = core.net_pnl_limit(position, open_fee_rate=fees.open_fee_rate, funding_coin=fees.funding_coin)
    side = "long" if position.side is core.Side.LONG else "short"
    if args.target_usd is not None:
        price = core.exit_for_usd_pnl(position, args.target_usd, **kwargs)
        reason = None if price is not None else f"no positive exit price gives {args.target_usd} USD for this {side}"
        return Target("pnl_usd", args.target_usd, price, reason, None)
    if args.target_roe is not None:
        assert margin is not None
        kind, value, coin_target = "roe_pct", args.target_roe * 100, args.target_roe * margin
    elif args.target_pnl is not None:
        kind, value, coin_target = "pnl", args.target_pnl, args.target_pnl
    else:
        return None
    price = core.exit_for_net_pnl(position, coin_target, **kwargs)
    if price is not None:
        return Target(kind, value, price, None, None)
    if position.side is core.Side.LONG:
        reason = "a long's net PnL stays below (1 − fo)·Q/E − F however high the price goes, at most"
    else:
        reason = "a short's net loss stays below (1 + fo)·Q/E + F however high the price goes, at most"
    return Target(kind, value, None, reason, limit)


def pnl(args: PnlInput) -> PnlOutcome:
    """``pnl``: the open position at the exit price (given, or solved from a target), with
    fees, funding, the break-even exit, and what a ``--close`` realised."""
    position = args.position
    margin = args.margin if args.margin is not None else args.balance
    if margin is None and args.leverage is not None:
        margin = position.initial_margin_coin(args.leverage)
    fees = costs(args, position)
    target = _target(args, position, margin, fees)
    exit_price = args.exit if target is None else target.exit_price_usd
    result = net = None
    if exit_price is not None:
        result = core.pnl(position, exit_price, leverage=args.leverage, margin_coin=args.margin or args.balance)
        net = core.net_pnl(
            position,
            exit_price,
            open_fee_rate=fees.open_fee_rate,
            close_fee_rate=fees.close_fee_rate,
            funding_coin=fees.funding_coin,
        )
    break_even = core.exit_for_net_pnl(
        position,
        open_fee_rate=fees.open_fee_rate,
        close_fee_rate=fees.close_fee_rate,
        funding_coin=fees.funding_coin,
    )
    return PnlOutcome(exit_price, result, net, fees, target, args.closed, break_even)


def liquidation(args: LiqInput) -> Outcome:
    """``liq-price``: the venue's (or the flags') liquidation rule on the open position."""
    from .presets import liquidation_for

    return liquidation_for(args)


def leverage(args: LeverageInput) -> tuple[core.Sizing, Iterator[core.DriftRow]]:
    """``leverage``: the third of contracts, margin and leverage, and the drift rows."""
    sizing = core.solve_sizing(
        args.entry,
        args.contract_size,
        contracts=args.contracts,
        margin_coin=args.margin if args.margin is not None else args.balance,
        leverage=args.leverage,
        lot=args.lot,
    )
    position = core.Position(core.Side(args.side), sizing.contracts, args.contract_size, args.entry)
    return sizing, core.leverage_drift(position, sizing.margin_coin, args.grid.prices(args.entry))


def ladder(args: LadderInput) -> tuple[dict[str, Decimal | None], Outcome | None]:
    """``ladder``: the marked prices and the liquidation behind them (the rows are
    computed as they are written: :class:`invfut_cli.present.LadderRows`)."""
    position = args.position
    fees = costs(args, position)
    marks: dict[str, Decimal | None] = {
        "entry": args.entry,
        "break-even": core.exit_for_net_pnl(
            position,
            open_fee_rate=fees.open_fee_rate,
            close_fee_rate=fees.close_fee_rate,
            funding_coin=fees.funding_coin,
        ),
    }
    outcome = None
    if args.collateral is not None:
        from .presets import liquidation_for

        outcome = liquidation_for(args)
        marks["liquidation"] = outcome.result.liquidation.price_usd
        marks["bankruptcy"] = outcome.result.bankruptcy.price_usd
    return marks, outcome
