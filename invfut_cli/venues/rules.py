"""A venue's rules applied to a position: the maintenance rule it is liquidated by (the
flags, the venue's fee treatment, its tiers or size-dependent rates), its liquidation, and
the margin that puts the liquidation price at a target."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol

from invfut_cli import core
from invfut_cli.core.tiers import TierTable, Unit

from . import Venue, get

if TYPE_CHECKING:
    from .presets import SizeMargins


class Asked(Protocol):
    """What a rule reads of a command's input (any of them: ``pnl``, ``liq-price``, ``ladder``,
    ``leverage``, ``size``, ``stress``): the venue and coin, the flags of the maintenance rule,
    the margin mode and leverage, and (where the command does not pass them) the open
    position and the collateral behind it."""

    exchange: Any
    coin: str
    mmr: Decimal | None
    mm_deduction: Decimal | None
    leverage: Decimal | None

    @property
    def margin_mode(self) -> core.MarginMode: ...

    def spec(self, fee_treatment: core.FeeTreatment | None = None) -> core.MaintenanceSpec: ...


@dataclass(frozen=True)
class Outcome:
    """A liquidation result, with the tier (or size-dependent rates) it used, if any."""

    result: core.LiquidationResult
    tier: dict[str, Any] | None
    family: str
    #: Where the venue has no liquidation price of its own (Deribit): an estimate, and what it assumes.
    estimate: Estimate | None = None


@dataclass(frozen=True)
class Estimate:
    """An estimated liquidation price (labelled as one), and the words that say what it assumes."""

    answer: core.SizeDependentLiquidation
    basis: str


@dataclass(frozen=True)
class Rule:
    """The maintenance rule a position is liquidated by: the base spec, the tier table to
    pick from (``None`` when the flags or the venue fix one rate), and the venue's
    size-dependent margins where it has no liquidation price (Deribit)."""

    spec: core.MaintenanceSpec
    table: TierTable | None
    size_margins: SizeMargins | None = None
    no_liquidation_reason: str | None = None


def rule_for(args: Asked) -> Rule:
    """The rule for ``args`` on its venue: the flags, with the venue's fee treatment for the
    margin mode (the generic model has none: the basis implies it) and its tiers (unless
    ``--mmr`` is given; ``--mm-deduction`` replaces the tier's deduction; the generic model
    has no tiers); Deribit, its size-dependent margins and no liquidation price."""
    venue = get(args.exchange)
    contract = venue.contract(args.coin)
    assert contract is not None  # the input model checked the coin
    base = args.spec(venue.fee_treatment(args.margin_mode))
    if contract.size_margins is not None:
        return Rule(base, None, contract.size_margins, venue.no_liquidation_reason)
    table = contract.table()
    if args.mmr is not None or table is None:
        return Rule(base, None)
    if args.mm_deduction is not None:
        tiers = tuple(replace(t, deduction=args.mm_deduction) for t in table.tiers)
        table = replace(table, tiers=tiers, deduction_unit=Unit.COIN)
    return Rule(base, table)


def liquidation_for(
    args: Asked,
    position: core.Position | None = None,
    collateral: Decimal | None = None,
) -> Outcome:
    """Liquidation of ``args``' position (or ``position`` backed by ``collateral``, where the
    command solves them) under the rule :func:`rule_for` picks, with the tier used (the
    notional's, iterated at the liquidation price for the mark family)."""
    position = args.position if position is None else position  # type: ignore[attr-defined]
    collateral = args.collateral if collateral is None else collateral  # type: ignore[attr-defined]
    mode, leverage = args.margin_mode, args.leverage
    assert collateral is not None
    rule = rule_for(args)
    base, table = rule.spec, rule.table
    if rule.size_margins is not None:
        return _size_dependent(
            position, collateral, mode, leverage, args.coin, get(args.exchange), rule.size_margins, base
        )
    if table is None:
        result = core.liquidation(position, collateral, base, margin_mode=mode, leverage=leverage)
        return Outcome(result, None, result.basis.value)
    tiered = core.tiered_liquidation(position, collateral, table, base, margin_mode=mode, leverage=leverage)
    tier = table.tiers[tiered.tier_index]
    return Outcome(
        tiered.result,
        {
            "index": tiered.tier_index + 1,
            "up_to": tier.up_to,
            "unit": table.unit.value,
            "mmr": tier.mmr,
            "deduction": tier.deduction,
            "deduction_unit": table.deduction_unit.value,
            "max_leverage": tier.max_leverage,
            "iterations": tiered.iterations,
        },
        tiered.result.basis.value,
    )


#: Rates of a size-dependent rule are shown to 8 places (nearest); sizes and margins to the satoshi.
RATE_STEP = Decimal("1e-8")


def _size_dependent(
    position: core.Position,
    collateral: Decimal,
    mode: core.MarginMode,
    leverage: Decimal | None,
    coin: str,
    venue: Venue,
    rates: SizeMargins,
    base: core.MaintenanceSpec,
) -> Outcome:
    """Deribit: no liquidation price of the venue's own; its size-dependent margins at entry
    (under ``tier``: the rates to 8 places, the size in coin and Deribit's initial margin
    ``(a + b·S)·S`` to the satoshi), ``initial_margin`` kept as ``Q/(E·L)`` as on every venue,
    and the estimated liquidation price of an account holding only this position."""
    margins = core.size_dependent_margins(
        position,
        position.entry_price_usd,
        initial_base=rates.initial_base,
        maintenance_base=rates.maintenance_base,
        slope_per_coin=rates.slope_per_coin,
    )
    plain = core.liquidation(position, collateral, replace(base, rate=Decimal(0)), margin_mode=mode, leverage=leverage)
    warnings = []
    if collateral < margins.maintenance_margin_coin:
        warnings.append(
            "the collateral is below the maintenance margin at entry: the position would be liquidated at once"
        )
    result = replace(
        plain,
        maintenance_margin_coin=margins.maintenance_margin_coin,
        liquidation=core.PriceAnswer(None, venue.no_liquidation_reason),
        distance_pct=None,
        warnings=tuple(warnings),
    )
    estimate = core.size_dependent_liquidation(
        position, collateral, maintenance_base=rates.maintenance_base, slope_per_coin=rates.slope_per_coin
    )
    basis = (
        f"an estimate, as {venue.name}'s position view shows one: the price where an account holding only this "
        f"position, its collateral plus PnL as equity, meets the maintenance margin of "
        f"{_percent(rates.maintenance_base)}% + {_percent(rates.slope_per_coin)}% per {coin} of position (its size in "
        f"{coin} at that price), times that size; {venue.name} liquidates step by step and counts every position "
        "of the account, so this is not a venue-exact price"
    )
    return Outcome(
        result,
        {
            "initial_rate": core.quantize(margins.initial_rate, RATE_STEP),
            "maintenance_rate": core.quantize(margins.maintenance_rate, RATE_STEP),
            "size_coin": core.quantize(margins.size_coin, core.SATOSHI),
            "initial_margin": core.quantize(margins.initial_margin_coin, core.SATOSHI),
        },
        venue.family,
        Estimate(estimate, basis),
    )


def _percent(rate: Decimal) -> str:
    """A rate as a percentage, written plainly (``0.00005`` is ``0.005``)."""
    return format((rate * 100).normalize(), "f")


def target_margin_for(args: Asked, target_usd: Decimal) -> tuple[core.TargetMargin, int | None]:
    """The collateral that puts ``args``' liquidation price at ``target_usd`` under the rule
    :func:`rule_for` picks, and the tier used (1-based, ``None`` without tiers): the tier of
    the notional at entry for the entry family, at the target for the mark family (there the
    liquidation price is the target). A venue without a liquidation price has no such margin."""
    rule = rule_for(args)
    position = args.position  # type: ignore[attr-defined]
    if rule.size_margins is not None:
        reason = rule.no_liquidation_reason or "this venue has no liquidation price"
        return core.TargetMargin(target_usd, None, Decimal(0), None, None, reason), None
    spec, index = rule.spec, None
    if rule.table is not None:
        at = position.entry_price_usd if spec.basis is core.Basis.ENTRY else target_usd
        index = rule.table.index_for(rule.table.notional(position, at))
        spec = rule.table.spec(index, spec)
    found = core.margin_for_liquidation(position, target_usd, spec, collateral_coin=args.collateral)  # type: ignore[attr-defined]
    return found, None if index is None else index + 1
