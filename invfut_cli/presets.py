"""Exchange presets: the data file ``presets.toml``, validated into pydantic models at load.

A preset holds a venue's contract facts (size, tick, lot, maximum leverage), fees,
maintenance tiers or size-dependent margin rates, its formula family and fee treatment,
and where the numbers come from. It is loaded only when ``--exchange`` names a venue, so
the default path never reads it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field, ValidationError, model_validator

from . import core
from .choices import ExchangeName
from .core.tiers import Tier, TierTable, Unit
from .errors import PresetError
from .models_base import Model

if TYPE_CHECKING:
    from .models import PnlInput
    from .models_margin import LadderInput, LeverageInput, LiqInput

PRESETS_FILE = Path(__file__).with_name("presets.toml")

Positive = Annotated[Decimal, Field(gt=0, allow_inf_nan=False)]
NonNegative = Annotated[Decimal, Field(ge=0, allow_inf_nan=False)]
RateValue = Annotated[Decimal, Field(ge=0, lt=1, allow_inf_nan=False)]
FeeRate = Annotated[Decimal, Field(gt=-1, lt=1, allow_inf_nan=False)]
Treatment = Literal["none", "close-at-bankruptcy", "added-to-rate"]


class TierModel(Model):
    """One maintenance tier."""

    up_to: Positive | None = None
    mmr: RateValue
    max_leverage: Positive
    deduction: NonNegative = Decimal(0)


class RiskSteps(Model):
    """BitMEX-style risk limits: a base limit, then a step; each step raises both rates."""

    base_limit: Positive
    step: Positive
    base_mmr: RateValue
    mmr_step: RateValue
    base_imr: RateValue
    imr_step: RateValue
    count: Annotated[int, Field(ge=1, le=200)]

    def tiers(self) -> list[TierModel]:
        """The steps written out as tiers (no deduction: the rate applies to the whole position)."""
        out = []
        for n in range(self.count):
            imr = self.base_imr + n * self.imr_step
            out.append(
                TierModel(
                    up_to=None if n == self.count - 1 else self.base_limit + n * self.step,
                    mmr=self.base_mmr + n * self.mmr_step,
                    max_leverage=(Decimal(1) / imr).quantize(Decimal("0.01")),
                )
            )
        return out


class SizeMargins(Model):
    """Deribit-style rates that grow with the position size in coin."""

    initial_base: RateValue
    maintenance_base: RateValue
    slope_per_coin: NonNegative


class PnlRounding(Model):
    """A venue's own rounding of profit and loss: the value of one lot at each price is
    rounded to ``step`` coin (``rounding``: nearest with a half up or half to even, or
    down, or up) before the difference is taken."""

    step: Positive
    rounding: Literal["half-up", "half-even", "down", "up"]
    source: str

    def rule(self, lot: Decimal) -> core.LotValueRounding:
        """The core rule for lots of ``lot`` contracts."""
        rounding = {"half-up": "ROUND_HALF_UP", "half-even": "ROUND_HALF_EVEN", "down": "ROUND_DOWN", "up": "ROUND_UP"}
        return core.LotValueRounding(lot, self.step, rounding[self.rounding])


class CoinPreset(Model):
    """One contract of a venue (its BTC or ETH inverse contract)."""

    symbol: str
    contract_size_usd: Positive
    tick: Positive
    lot: Positive
    max_leverage: Positive
    tier_unit: Literal["coin", "usd", "contracts"]
    deduction_unit: Literal["coin", "usd"]
    tiers: list[TierModel] | None = None
    risk_steps: RiskSteps | None = None
    size_margins: SizeMargins | None = None
    pnl_rounding: PnlRounding | None = None

    @model_validator(mode="after")
    def _one_margin_rule(self) -> CoinPreset:
        given = [x for x in (self.tiers, self.risk_steps, self.size_margins) if x is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of tiers, risk_steps, size_margins")
        if self.tiers is not None:
            bounds = [t.up_to for t in self.tiers]
            if any(b is None for b in bounds[:-1]) or any(
                a is not None and b is not None and a >= b for a, b in zip(bounds, bounds[1:], strict=False)
            ):
                raise ValueError("tier bounds must increase, and only the last tier may be unbounded")
        return self

    def table(self) -> TierTable | None:
        """The core tier table, or ``None`` for size-dependent margins."""
        source = self.tiers if self.tiers is not None else (self.risk_steps.tiers() if self.risk_steps else None)
        if source is None:
            return None
        tiers = tuple(Tier(t.up_to, t.mmr, t.max_leverage, t.deduction) for t in source)
        return TierTable(tiers, Unit(self.tier_unit), Unit(self.deduction_unit))


class Preset(Model):
    """A venue: its rules, fees, sources and contracts by coin."""

    name: str
    product: str
    family: Literal["entry", "mark", "none"]
    fee_treatment_isolated: Treatment
    fee_treatment_cross: Treatment
    maker_fee: FeeRate
    taker_fee: FeeRate
    funding_interval_hours: NonNegative
    #: ``interval``: funding is paid at fixed times, every ``funding_interval_hours``;
    #: ``continuous``: it accrues all the time (the rate is quoted per 8 hours).
    funding_mode: Literal["interval", "continuous"]
    as_of: date
    sources: Annotated[list[str], Field(min_length=1)]
    notes: list[str]
    no_liquidation_reason: str | None = None
    coins: dict[str, CoinPreset]

    @model_validator(mode="after")
    def _reason_when_no_family(self) -> Preset:
        if (self.family == "none") != (self.no_liquidation_reason is not None):
            raise ValueError("family 'none' goes with no_liquidation_reason, and only it")
        if (self.funding_mode == "interval") != (self.funding_interval_hours > 0):
            raise ValueError("funding_mode 'interval' needs funding_interval_hours above 0, and only it")
        return self

    def fee_treatment(self, mode: core.MarginMode) -> core.FeeTreatment:
        """How the taker fee enters the prices in ``mode``."""
        value = self.fee_treatment_cross if mode is core.MarginMode.CROSS else self.fee_treatment_isolated
        return core.FeeTreatment(value)


class PresetFile(Model):
    """The whole data file: one preset per venue."""

    presets: dict[ExchangeName, Preset]

    @model_validator(mode="after")
    def _every_venue(self) -> PresetFile:
        missing = {e for e in ExchangeName if e is not ExchangeName.generic} - set(self.presets)
        if missing or ExchangeName.generic in self.presets:
            raise ValueError(f"the venues must be exactly {', '.join(e for e in ExchangeName if e != 'generic')}")
        return self


def parse(text: str, path: Path = PRESETS_FILE) -> PresetFile:
    """Validate preset TOML ``text``; a problem raises :class:`PresetError` naming file and key."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PresetError(f"{path}: not valid TOML: {exc}") from None
    try:
        return PresetFile.model_validate({"presets": raw})
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        key = ".".join(str(part) for part in err["loc"][1:]) or "(top level)"
        raise PresetError(f"{path}: {key}: {err['msg'].removeprefix('Value error, ')}") from None


@cache
def load(path: Path = PRESETS_FILE) -> PresetFile:
    """The presets shipped with invfut (read once)."""
    return parse(path.read_text(encoding="utf-8"), path)


def get(name: str) -> Preset:
    """The preset named ``name`` (not ``generic``)."""
    return load().presets[ExchangeName(name)]


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


def rule_for(args: LiqInput | LadderInput | PnlInput | LeverageInput) -> Rule:
    """The rule for ``args``: generic, the flags alone; a preset, its fee treatment for the
    margin mode and its tiers (unless ``--mmr`` is given; ``--mm-deduction`` replaces the
    tier's deduction); Deribit, its size-dependent margins and no liquidation price."""
    if args.exchange == ExchangeName.generic:
        return Rule(args.spec(), None)
    preset = get(args.exchange)
    contract = preset.coins[args.coin]
    base = args.spec(preset.fee_treatment(args.margin_mode))
    if contract.size_margins is not None:
        return Rule(base, None, contract.size_margins, preset.no_liquidation_reason)
    table = contract.table()
    if args.mmr is not None or table is None:
        return Rule(base, None)
    if args.mm_deduction is not None:
        tiers = tuple(replace(t, deduction=args.mm_deduction) for t in table.tiers)
        table = replace(table, tiers=tiers, deduction_unit=Unit.COIN)
    return Rule(base, table)


def liquidation_for(
    args: LiqInput | LadderInput | PnlInput | LeverageInput,
    position: core.Position | None = None,
    collateral: Decimal | None = None,
) -> Outcome:
    """Liquidation of ``args``' position (or ``position`` backed by ``collateral``, where the
    command solves them) under the rule :func:`rule_for` picks, with the tier used (the
    notional's, iterated at the liquidation price for the mark family)."""
    position = args.position if position is None else position
    collateral = args.collateral if collateral is None else collateral
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
    preset: Preset,
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
        liquidation=core.PriceAnswer(None, preset.no_liquidation_reason),
        distance_pct=None,
        warnings=tuple(warnings),
    )
    estimate = core.size_dependent_liquidation(
        position, collateral, maintenance_base=rates.maintenance_base, slope_per_coin=rates.slope_per_coin
    )
    basis = (
        f"an estimate, as {preset.name}'s position view shows one: the price where an account holding only this "
        f"position, its collateral plus PnL as equity, meets the maintenance margin of "
        f"{_percent(rates.maintenance_base)}% + {_percent(rates.slope_per_coin)}% per {coin} of position (its size in "
        f"{coin} at that price), times that size; {preset.name} liquidates step by step and counts every position "
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
        preset.family,
        Estimate(estimate, basis),
    )


def _percent(rate: Decimal) -> str:
    """A rate as a percentage, written plainly (``0.00005`` is ``0.005``)."""
    return format((rate * 100).normalize(), "f")


def target_margin_for(args: LiqInput, target_usd: Decimal) -> tuple[core.TargetMargin, int | None]:
    """The collateral that puts ``args``' liquidation price at ``target_usd`` under the rule
    :func:`rule_for` picks, and the tier used (1-based, ``None`` without tiers): the tier of
    the notional at entry for the entry family, at the target for the mark family (there the
    liquidation price is the target). A venue without a liquidation price has no such margin."""
    rule = rule_for(args)
    position = args.position
    if rule.size_margins is not None:
        reason = rule.no_liquidation_reason or "this venue has no liquidation price"
        return core.TargetMargin(target_usd, None, Decimal(0), None, None, reason), None
    spec, index = rule.spec, None
    if rule.table is not None:
        at = position.entry_price_usd if spec.basis is core.Basis.ENTRY else target_usd
        index = rule.table.index_for(rule.table.notional(position, at))
        spec = rule.table.spec(index, spec)
    found = core.margin_for_liquidation(position, target_usd, spec, collateral_coin=args.collateral)
    return found, None if index is None else index + 1


def pnl_rounding_for(exchange: ExchangeName, coin: str) -> core.LotValueRounding | None:
    """The venue's own PnL rounding for ``coin``'s contract (BitMEX's per-lot values), or
    ``None`` where the venue (or the generic model) has none."""
    if exchange == ExchangeName.generic:
        return None
    contract = get(exchange).coins[coin]
    return None if contract.pnl_rounding is None else contract.pnl_rounding.rule(contract.lot)


def describe(exchange: ExchangeName, coin: str) -> dict[str, Any] | None:
    """What the output says of the preset used: venue, contract, as-of date, sources."""
    if exchange == ExchangeName.generic:
        return None
    preset = get(exchange)
    contract = preset.coins[coin]
    return {
        "name": preset.name,
        "symbol": contract.symbol,
        "family": preset.family,
        "as_of": preset.as_of.isoformat(),
        "sources": preset.sources,
    }
