"""From a validated input to core results for ``size``, ``hedge`` and ``stress``; no I/O.

As :mod:`invfut_cli.compute`: each function only chooses which core functions to call
with which inputs; the arithmetic is the core's.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from . import core
from .core.hedge import Funding, Hedge, HedgeRow, hedge_funding, hedge_ladder, hedge_size
from .core.numbers import NOISE, quantize
from .core.sizing import RiskSizing, size_by_risk
from .core.stress import StressRow, stress
from .models import MAX_CONTRACTS
from .models_workflows import HedgeInput, SizeInput, StressInput
from .rounding import price_step

if TYPE_CHECKING:
    from .models_margin import LiqInput
    from .venues.rules import Outcome


def boundary(price: Decimal | None) -> Decimal | None:
    """A liquidation price as a boundary to test prices against: without the digits below
    :data:`invfut_cli.core.numbers.NOISE`, which are the 50-digit context's rounding (a long at 1×
    with no maintenance margin is liquidated at exactly half its entry, not 1e-47 below it)."""
    return None if price is None else quantize(price, NOISE)


@dataclass(frozen=True)
class SizeOutcome:
    """The sized position, the ``liq-price`` input it makes, and its liquidation."""

    sizing: RiskSizing
    liq_args: LiqInput
    liquidation: Outcome
    stop_beyond_liquidation: bool


def size(args: SizeInput) -> SizeOutcome:
    """``size``: the contracts that risk ``--risk`` at the stop, then the liquidation of that
    position under the venue's (or the flags') rule, and whether the stop is at or beyond it."""
    from .core.margin import is_liquidated
    from .venues.rules import liquidation_for

    sizing = size_by_risk(
        args.entry,
        args.stop,
        args.risk_coin,
        args.contract_size,
        balance_coin=args.balance,
        leverage=args.leverage,
        fee_rate=args.fee_rate,
        lot=args.lot,
        side=None if args.side is None else core.Side(args.side),
    )
    if sizing.contracts > MAX_CONTRACTS:
        raise core.DomainError(
            f"this risk at this stop sizes {sizing.contracts} contracts, more than the {MAX_CONTRACTS} taken",
            option="risk",
        )
    liq_args = args.liq_input(sizing.side, sizing.contracts)
    outcome = liquidation_for(liq_args)
    beyond = is_liquidated(sizing.side, args.stop, boundary(outcome.result.liquidation.price_usd))
    return SizeOutcome(sizing, liq_args, outcome, beyond)


@dataclass(frozen=True)
class HedgeOutcome:
    """The hedge, its rows (an iterator), funding (with ``--funding``) and notes."""

    hedge: Hedge
    rows: Iterator[HedgeRow]
    funding: Funding | None
    notes: tuple[str, ...]


def hedge(args: HedgeInput) -> HedgeOutcome:
    """``hedge``: the short for ``--ratio`` of the holding, the value ladder, and funding."""
    result = hedge_size(args.holding, args.price, args.contract_size, ratio=args.ratio, lot=args.lot)
    rows = hedge_ladder(args.holding, result.size_usd, args.price, args.grid.prices(args.price, args.tick))
    funding = None
    notes: tuple[str, ...] = ()
    if args.funding is not None:
        hours, note = args.interval
        funding = hedge_funding(result, args.funding, hours)
        notes = () if note is None else (note,)
    return HedgeOutcome(result, rows, funding, notes)


@dataclass(frozen=True)
class StressOutcome:
    """The liquidation of the position, the position at the reference price, the move
    from there to the liquidation price (percent), and one row per shock."""

    liquidation: Outcome
    now: StressRow
    move_to_liquidation_pct: Decimal | None
    rows: tuple[StressRow, ...]


def stress_test(args: StressInput) -> StressOutcome:
    """``stress``: the liquidation of the position, and each shock applied from the reference price."""
    from .core.stress import Shock
    from .venues.rules import liquidation_for

    outcome = liquidation_for(args)
    collateral = args.collateral
    assert collateral is not None
    base, table, unassessed = args.rule()
    liquidation_price = boundary(outcome.result.liquidation.price_usd)
    reference = args.reference_price
    now, *rows = stress(
        args.position,
        collateral,
        reference,
        liquidation_price,
        [Shock(None, Decimal(0)), *args.shocks],
        base=base,
        table=table,
        unassessed_reason=unassessed,
        price_step_usd=price_step(args),
    )
    to_liquidation = None if liquidation_price is None else core.change_pct(reference, liquidation_price)
    return StressOutcome(outcome, now, to_liquidation, tuple(rows))
