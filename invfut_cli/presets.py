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
from .core.tiers import Tier, TierTable, Unit
from .errors import PresetError
from .models import ExchangeName, Model

if TYPE_CHECKING:
    from .models import LadderInput, LiqInput

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
    as_of: date
    sources: Annotated[list[str], Field(min_length=1)]
    notes: list[str]
    no_liquidation_reason: str | None = None
    coins: dict[str, CoinPreset]

    @model_validator(mode="after")
    def _reason_when_no_family(self) -> Preset:
        if (self.family == "none") != (self.no_liquidation_reason is not None):
            raise ValueError("family 'none' goes with no_liquidation_reason, and only it")
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


@dataclass(frozen=True)
class Rule:
    """The maintenance rule a position is liquidated by: the base spec, the tier table to
    pick from (``None`` when the flags or the venue fix one rate), and the venue's
    size-dependent margins where it has no liquidation price (Deribit)."""

    spec: core.MaintenanceSpec
    table: TierTable | None
    size_margins: SizeMargins | None = None
    no_liquidation_reason: str | None = None


def rule_for(args: LiqInput | LadderInput) -> Rule:
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


def liquidation_for(args: LiqInput | LadderInput) -> Outcome:
    """Liquidation of ``args``' position under the rule :func:`rule_for` picks, with the
    tier used (the notional's, iterated at the liquidation price for the mark family)."""
    position, collateral, mode = args.position, args.collateral, args.margin_mode
    assert collateral is not None
    rule = rule_for(args)
    base, table = rule.spec, rule.table
    if rule.size_margins is not None:
        return _size_dependent(args, get(args.exchange), rule.size_margins, base)
    if table is None:
        result = core.liquidation(position, collateral, base, margin_mode=mode, leverage=args.leverage)
        return Outcome(result, None, result.basis.value)
    tiered = core.tiered_liquidation(position, collateral, table, base, margin_mode=mode, leverage=args.leverage)
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


def _size_dependent(
    args: LiqInput | LadderInput, preset: Preset, rates: SizeMargins, base: core.MaintenanceSpec
) -> Outcome:
    position, collateral = args.position, args.collateral
    assert collateral is not None
    margins = core.size_dependent_margins(
        position,
        position.entry_price_usd,
        initial_base=rates.initial_base,
        maintenance_base=rates.maintenance_base,
        slope_per_coin=rates.slope_per_coin,
    )
    plain = core.liquidation(position, collateral, replace(base, rate=Decimal(0)), margin_mode=args.margin_mode)
    result = replace(
        plain,
        initial_margin_coin=margins.initial_margin_coin,
        maintenance_margin_coin=margins.maintenance_margin_coin,
        liquidation=core.PriceAnswer(None, preset.no_liquidation_reason),
        distance_pct=None,
        warnings=(),
    )
    return Outcome(
        result,
        {
            "initial_rate": margins.initial_rate,
            "maintenance_rate": margins.maintenance_rate,
            "size_coin": margins.size_coin,
        },
        preset.family,
    )


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
