"""Exchange presets: the data file ``presets.toml``, validated into pydantic models at load
and turned into :class:`~invfut_cli.venues.Venue` values.

A preset holds a venue's contract facts (size, tick, lot, maximum leverage), fees,
maintenance tiers or size-dependent margin rates, its formula family and fee treatment,
its own rounding (of fills and of PnL), and where the numbers come from. It is read only
when ``--exchange`` names a preset, so the default path never reads it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, model_validator

from invfut_cli import core
from invfut_cli.choices import ExchangeName
from invfut_cli.core.tiers import Tier, TierTable, Unit
from invfut_cli.datafile import load_toml, parse_toml, validate
from invfut_cli.errors import ConfigError, PresetError
from invfut_cli.inputs.fields import Model

from . import BUILT_IN, Contract, Venue

__all__ = ["PRESETS_FILE", "PresetError", "PresetFile", "get", "load", "parse"]

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

    def contract(self) -> Contract:
        """The contract as a venue holds it."""
        return Contract(
            symbol=self.symbol,
            contract_size_usd=self.contract_size_usd,
            tick=self.tick,
            lot=self.lot,
            max_leverage=self.max_leverage,
            tier_unit=self.tier_unit,
            deduction_unit=self.deduction_unit,
            tier_table=self.table(),
            size_margins=self.size_margins,
            pnl_rounding=None if self.pnl_rounding is None else self.pnl_rounding.rule(self.lot),
        )


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
    #: ``satoshi``: an average entry of fills values each fill to the satoshi first (BitMEX).
    fill_rounding: Literal["none", "satoshi"] = "none"
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

    def venue(self, key: str) -> Venue:
        """The preset as a :class:`Venue` named ``key``."""
        return Venue(
            key=key,
            name=self.name,
            title=self.name,
            product=self.product,
            family=self.family,
            fee_treatment_isolated=self.fee_treatment_isolated,
            fee_treatment_cross=self.fee_treatment_cross,
            maker_fee=self.maker_fee,
            taker_fee=self.taker_fee,
            funding_interval_hours=self.funding_interval_hours,
            funding_mode=self.funding_mode,
            coins={coin: contract.contract() for coin, contract in self.coins.items()},
            per_fill_satoshi=self.fill_rounding == "satoshi",
            as_of=self.as_of,
            sources=self.sources,
            notes=self.notes,
            no_liquidation_reason=self.no_liquidation_reason,
        )


class FileSchema(Model):
    """The whole data file: one preset per venue not built in code."""

    presets: dict[ExchangeName, Preset]

    @model_validator(mode="after")
    def _every_venue(self) -> FileSchema:
        expected = {e for e in ExchangeName if e.value not in BUILT_IN}
        if set(self.presets) != expected:
            raise ValueError(f"the venues must be exactly {', '.join(e for e in ExchangeName if e in expected)}")
        return self


class PresetFile:
    """The presets as venues, by ``--exchange`` name, in the file's order."""

    def __init__(self, presets: dict[ExchangeName, Venue]) -> None:
        self.presets = presets


def parse(text: str, path: Path = PRESETS_FILE) -> PresetFile:
    """Validate preset TOML ``text``; a problem raises :class:`PresetError` naming file and key."""
    raw = parse_toml(text, path, error=PresetError)
    return _venues(validate(FileSchema, raw, path, error=PresetError, under="presets"))


def load(path: Path = PRESETS_FILE) -> PresetFile:
    """The presets shipped with invfut, with the rules ``invfut exchanges --refresh`` cached
    laid over them (unless ``--offline``; read again only when the cache changes)."""
    from invfut_cli.venues.refreshed import stamp

    return _load(path, stamp() if path == PRESETS_FILE else None)


@cache
def _load(path: Path, refreshed: tuple[str, int] | None) -> PresetFile:
    raw = load_toml(path, error=PresetError)
    if refreshed is None:
        return _venues(validate(FileSchema, raw, path, error=PresetError, under="presets"))
    from invfut_cli.venues.refreshed import REMEDY, cache_path, overlay

    try:
        return _venues(validate(FileSchema, overlay(raw), path, error=PresetError, under="presets"))
    except PresetError as exc:  # the shipped presets alone are fine: the cache's rules are at fault
        validate(FileSchema, load_toml(path, error=PresetError), path, error=PresetError, under="presets")
        raise ConfigError(cache_path(), f"{exc.reason}; {REMEDY}", f"venues.{exc.key}") from None


def _venues(file: FileSchema) -> PresetFile:
    return PresetFile({key: preset.venue(key.value) for key, preset in file.presets.items()})


def get(name: str) -> Venue:
    """The preset named ``name``."""
    return load().presets[ExchangeName(name)]
