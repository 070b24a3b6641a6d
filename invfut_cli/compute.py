"""From a validated input to core results: one function per command, no I/O.

Each function only chooses which core functions to call with which inputs (fee rates
from the venue, the target to solve, the part of a position left after a close); the
arithmetic is the core's. Commands and ``batch`` both go through here.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal, localcontext
from typing import TYPE_CHECKING, NamedTuple

from . import core
from .core.numbers import CORE_CONTEXT

if TYPE_CHECKING:
    from .models import FeeInput, PnlInput
    from .models_margin import LadderInput, LeverageInput, LiqInput
    from .venues.rules import Outcome


# The records here are NamedTuples: every run creates these classes, and a NamedTuple costs a
# fifth of a frozen dataclass to create (the core's results stay frozen dataclasses).
class Costs(NamedTuple):
    """Fee rates and funding resolved for a position."""

    open_fee_rate: Decimal
    close_fee_rate: Decimal
    funding_rate: Decimal | None
    funding_periods: Decimal
    funding_coin: Decimal
    #: How the periods were counted (whole intervals, pro rata, as given).
    funding_counted: str


def costs(args: FeeInput, position: core.Position) -> Costs:
    """The fee rates (``maker``/``taker`` from the venue) and the funding the position pays,
    ``s·rate·periods·Q/E`` (at the entry price), with the periods counted as the venue pays
    funding (:meth:`FeeInput.funding_periods`)."""
    exchange = args.exchange
    periods, counted = args.funding_periods(exchange)
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
        funding_counted=counted,
    )


class Target(NamedTuple):
    """A target and the exit price that reaches it, or why none does."""

    kind: str
    value: Decimal
    exit_price_usd: Decimal | None
    reason: str | None
    limit_coin: Decimal | None


class PnlOutcome(NamedTuple):
    """Everything ``pnl`` reports; ``liquidation`` where a margin is known."""

    exit_price_usd: Decimal | None
    result: core.PnlResult | None
    net: core.NetPnl | None
    costs: Costs
    target: Target | None
    closed: tuple[core.PartialClose, ...]
    break_even_usd: Decimal | None
    liquidation: Outcome | None
    #: What the closes realised plus the open PnL at the exit (``None`` without an exit
    #: while something is open).
    total_pnl_coin: Decimal | None


def _target(args: PnlInput, position: core.Position, margin: Decimal | None, fees: Costs) -> Target | None:
    if args.target_usd is None and args.target_roe is None and args.target_pnl is None:
        return None  # an exit was given (most lines of a batch)
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
    # Worded for people (the formula is in ``core.net_pnl_limit``); the document adds the limit.
    if position.side is core.Side.LONG:
        reason = "whatever the exit price, a long's net PnL is at most"
    else:
        reason = "whatever the exit price, a short's net loss is at most"
    return Target(kind, value, None, reason, limit)


def pnl(args: PnlInput) -> PnlOutcome:
    """``pnl``: the open position at the exit price (given, or solved from a target), with
    fees, funding, the break-even exit, and what each ``--close`` realised. When the closes
    took every contract there is nothing open: no exit, no break-even, no liquidation."""
    position = args.position
    if args.all_closed:
        realised = args.realised_pnl_coin
        return PnlOutcome(None, None, None, costs(args, position), None, args.closed, None, None, realised)
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
    # ``net`` has it already when there is an exit: the same equation with the same fees.
    break_even = (
        net.break_even_usd
        if net is not None
        else core.exit_for_net_pnl(
            position,
            open_fee_rate=fees.open_fee_rate,
            close_fee_rate=fees.close_fee_rate,
            funding_coin=fees.funding_coin,
        )
    )
    liquidation = None
    if args.collateral is not None:
        from .venues.rules import liquidation_for

        liquidation = liquidation_for(args)
    total = None
    if result is not None:
        with localcontext(CORE_CONTEXT):
            total = args.realised_pnl_coin + result.pnl_coin
    return PnlOutcome(exit_price, result, net, fees, target, args.closed, break_even, liquidation, total)


def liquidation(args: LiqInput) -> Outcome:
    """``liq-price``: the venue's (or the flags') liquidation rule on the open position."""
    from .venues.rules import liquidation_for

    return liquidation_for(args)


def leverage(args: LeverageInput) -> tuple[core.Sizing, Iterator[core.DriftRow], Outcome]:
    """``leverage``: the third of contracts, margin and leverage, the drift rows, and the
    liquidation behind them (the venue's rule)."""
    sizing = core.solve_sizing(
        args.entry,
        args.contract_size,
        contracts=args.contracts,
        margin_coin=args.margin if args.margin is not None else args.balance,
        leverage=args.leverage,
        lot=args.lot,
    )
    position = core.Position(core.Side(args.side), sizing.contracts, args.contract_size, args.entry)
    from .venues.rules import liquidation_for

    outcome = liquidation_for(args, position, sizing.margin_coin)
    return sizing, core.leverage_drift(position, sizing.margin_coin, args.grid.prices(args.entry, args.tick)), outcome


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
        from .venues.rules import liquidation_for

        outcome = liquidation_for(args)
        marks["liquidation"] = outcome.result.liquidation.price_usd
        marks["bankruptcy"] = outcome.result.bankruptcy.price_usd
    return marks, outcome


class LiqOrder(NamedTuple):
    """What ``liq-price`` adds about orders: the cost of opening the position at its
    leverage, and the margin for ``--target-liquidation`` with the tier it used."""

    cost: core.OrderCost | None
    target: core.TargetMargin | None
    target_tier: int | None


def liq_order(args: LiqInput) -> LiqOrder:
    """``liq-price``: the order cost where the leverage is known (taker fee and tick from
    the flags or the venue), and the margin for the target liquidation price if one is given."""
    cost = None
    if args.leverage is not None:
        cost = core.order_cost(args.position, args.leverage, args.taker_fee, tick_usd=args.tick)
    target = tier = None
    if args.target_liquidation is not None:
        from .venues.rules import target_margin_for

        target, tier = target_margin_for(args, args.target_liquidation)
    return LiqOrder(cost, target, tier)


def venue_pnl(args: PnlInput, outcome: PnlOutcome) -> core.RoundedPnl | None:
    """``pnl``: the profit as the venue rounds it (BitMEX values each lot to the satoshi),
    where the venue has such a rule and there is an exit price."""
    if outcome.exit_price_usd is None:
        return None
    from .venues import get

    rule = get(args.exchange).pnl_rounding(args.coin)
    return None if rule is None else core.lot_rounded_pnl(args.position, outcome.exit_price_usd, rule)


def largest_order(args: LeverageInput) -> core.LargestOrder | None:
    """``leverage``, solving the contracts: the largest order the margin (or balance) opens
    at the leverage, with the taker fee to open and to close (the flag's or the venue's);
    ``None`` when the contracts are given."""
    collateral = args.margin if args.margin is not None else args.balance
    if args.contracts is not None or collateral is None or args.leverage is None:
        return None
    return core.largest_order(
        core.Side(args.side),
        args.entry,
        args.contract_size,
        args.leverage,
        args.taker_fee,
        collateral,
        lot=args.lot,
        tick_usd=args.tick,
    )
