"""The input models of ``liq-price``, ``leverage`` and ``ladder``: maintenance rules and price grids.

They build on :mod:`.models` (whose ``MaintenanceInput``, ``LiqInput``, ``GridInput``,
``LeverageInput`` and ``LadderInput`` are these, loaded on first use).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal, localcontext
from typing import Annotated, Any

from pydantic import ConfigDict, Field, model_validator

from . import core
from .choices import BasisName, ExchangeName
from .core.numbers import CORE_CONTEXT, places_of, quantize
from .models import (
    DEFAULT_MMR,
    MAX_COIN,
    MAX_ROWS,
    Coin,
    CoinName,
    ContractSize,
    Count,
    FeeInput,
    Leverage,
    Model,
    PositionInput,
    Price,
    Rate,
    Side,
    check_venue_limits,
    conflict,
    preset_defaults,
)


class MaintenanceInput(Model):
    """The maintenance-margin rule shared by ``liq-price`` and ``ladder``.

    ``mmr`` and ``mm_deduction`` left out mean: the preset's tier, or 0.5% and 0 for the
    generic model.
    """

    mmr: Rate | None = None
    mm_basis: BasisName = BasisName.entry
    mm_deduction: Annotated[Decimal, Field(ge=0, le=MAX_COIN, allow_inf_nan=False)] | None = None
    taker_fee: Rate = Decimal(0)
    tick: Price | None = None

    def spec(self, fee_treatment: core.FeeTreatment | None = None) -> core.MaintenanceSpec:
        """The core's maintenance rule from the flags (generic defaults for what is left out)."""
        return core.MaintenanceSpec(
            rate=self.mmr if self.mmr is not None else DEFAULT_MMR,
            basis=core.Basis(self.mm_basis.value),
            deduction_coin=self.mm_deduction if self.mm_deduction is not None else Decimal(0),
            taker_fee=self.taker_fee,
            fee_treatment=fee_treatment,
        )


class LiqInput(PositionInput, MaintenanceInput):
    """``invfut liq-price``; ``fail_within`` (percent) alerts on a liquidation price that near ``mark``."""

    mark: Price | None = None
    fail_within: Annotated[Decimal, Field(ge=0, le=1000, allow_inf_nan=False)] | None = None

    @model_validator(mode="after")
    def _needs_collateral(self) -> LiqInput:
        if self.collateral is None:
            raise conflict("leverage", "give --leverage or --margin (isolated), or --balance (cross)")
        return self


class GridInput(Model):
    """A price range: ``--from/--to`` with ``--step`` or ``--steps``, or ``--pct`` with ``--pct-step``."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, defer_build=True)

    from_: Price | None = Field(default=None, alias="from")
    to: Price | None = None
    step: Price | None = None
    steps: Annotated[int, Field(ge=1, le=MAX_ROWS)] | None = None
    pct: Annotated[Decimal, Field(gt=0, lt=100, allow_inf_nan=False)] | None = None
    pct_step: Annotated[Decimal, Field(gt=0, lt=100, allow_inf_nan=False)] | None = None

    @model_validator(mode="after")
    def _one_grid(self) -> GridInput:
        ranged = self.from_ is not None or self.to is not None
        if ranged and (self.pct is not None or self.pct_step is not None):
            raise conflict("pct", "give --from/--to or --pct/--pct-step, not both")
        if ranged:
            if self.from_ is None or self.to is None:
                raise conflict("from" if self.from_ is None else "to", "--from and --to go together")
            if self.from_ >= self.to:
                raise conflict("to", f"--to ({self.to}) must be above --from ({self.from_})")
            if (self.step is None) == (self.steps is None):
                raise conflict("step", "with --from/--to give one of --step (a price step) or --steps (a count)")
            if self.step is not None:
                with localcontext(CORE_CONTEXT):
                    rows = (self.to - self.from_) / self.step
                if rows > MAX_ROWS:
                    raise conflict(
                        "step", f"--step {self.step} makes {int(rows) + 1} rows; at most {MAX_ROWS} are allowed"
                    )
        elif self.step is not None or self.steps is not None:
            raise conflict("step" if self.step is not None else "steps", "--step and --steps need --from and --to")
        else:
            pct = self.pct if self.pct is not None else Decimal(50)
            pct_step = self.pct_step if self.pct_step is not None else min(Decimal(10), pct)
            if pct_step > pct:
                raise conflict("pct_step", f"--pct-step ({pct_step}) is larger than --pct ({pct})")
            with localcontext(CORE_CONTEXT):
                rows = 2 * (pct / pct_step) + 1
            if rows > MAX_ROWS:
                raise conflict(
                    "pct_step", f"--pct-step {pct_step} makes {int(rows)} rows; at most {MAX_ROWS} are allowed"
                )
        return self

    def places(self, entry: Decimal) -> int:
        """Decimal places that write every price of the grid exactly (2 to 8)."""
        if self.from_ is not None and self.to is not None:
            if self.step is not None:
                needed = max(places_of(self.from_), places_of(self.to), places_of(self.step.normalize()))
            else:
                with localcontext(CORE_CONTEXT):
                    width = (self.to - self.from_) / (self.steps or 1)
                needed = max(places_of(self.from_), places_of(self.to))
                while needed < 8 and quantize(width, Decimal(1).scaleb(-needed)) != width:
                    needed += 1
        else:
            pct_step = self.pct_step if self.pct_step is not None else Decimal(10)
            needed = places_of(entry.normalize()) + places_of(pct_step.normalize()) + 2
        return min(8, max(2, needed))

    def _pct(self) -> tuple[Decimal, Decimal]:
        pct = self.pct if self.pct is not None else Decimal(50)
        return pct, self.pct_step if self.pct_step is not None else min(Decimal(10), pct)

    def span(self, entry: Decimal) -> range:
        """The grid's points ``k``: one row each, before rounding merges any."""
        if self.from_ is not None and self.to is not None:
            if self.step is not None:
                return core.steps_by_step(self.from_, self.to, self.step)
            return range((self.steps or 1) + 1)
        return core.steps_around(*self._pct())

    def _raw(self, entry: Decimal, points: range) -> Iterator[Decimal]:
        if self.from_ is not None and self.to is not None:
            if self.step is not None:
                return core.grid_by_step(self.from_, self.to, self.step, points)
            return core.grid_by_count(self.from_, self.to, self.steps or 1, points)
        return core.grid_around(entry, *self._pct(), points)

    def prices(self, entry: Decimal) -> Iterator[Decimal]:
        """The grid's prices, each written to :meth:`places` decimals (nearest)."""
        return self.window(entry, self.span(entry))[1]

    def window(self, entry: Decimal, points: range) -> tuple[Decimal | None, Iterator[Decimal]]:
        """The prices of the grid's points ``points`` (a slice of :meth:`span`) as
        :meth:`prices` gives them, and the price given just before them (``None`` at the
        start): windows side by side give :meth:`prices` in pieces."""
        step = Decimal(1).scaleb(-self.places(entry))
        first = self.span(entry).start
        last = None
        if points.start > first:
            before = next(self._raw(entry, range(points.start - 1, points.start)), None)
            last = None if before is None else quantize(before, step)

        def shown_prices(last: Decimal | None) -> Iterator[Decimal]:
            for price in self._raw(entry, points):
                shown = quantize(price, step)
                if shown != last and shown > 0:
                    yield shown
                last = shown

        return (last if last is not None and last > 0 else None), shown_prices(last)


class LeverageInput(Model):
    """``invfut leverage``: two of contracts, margin (or balance) and leverage."""

    side: Side = "long"
    entry: Price
    contract_size: ContractSize = Decimal(1)
    contracts: Count | None = None
    margin: Coin | None = None
    balance: Coin | None = None
    leverage: Leverage | None = None
    coin: CoinName = "BTC"
    exchange: ExchangeName = ExchangeName.generic
    grid: GridInput = Field(default_factory=GridInput)

    @model_validator(mode="before")
    @classmethod
    def _from_preset(cls, data: Any) -> Any:
        return preset_defaults(cls, data)

    @property
    def lot(self) -> Decimal:
        """The venue's lot size (1 for the generic model)."""
        if self.exchange == ExchangeName.generic:
            return Decimal(1)
        from .presets import get

        return get(self.exchange).coins[self.coin].lot

    @model_validator(mode="after")
    def _two_of_three(self) -> LeverageInput:
        if self.margin is not None and self.balance is not None:
            raise conflict("balance", "give --margin (isolated) or --balance (cross), not both")
        collateral = self.margin if self.margin is not None else self.balance
        given = [
            n
            for n, v in (
                ("--contracts", self.contracts),
                ("--margin/--balance", collateral),
                ("--leverage", self.leverage),
            )
            if v is not None
        ]
        if len(given) != 2:
            option = "leverage" if self.leverage is None else "contracts"
            raise conflict(
                option,
                f"give exactly two of --contracts, --margin (or --balance) and --leverage; got {len(given)}"
                + (f" ({', '.join(given)})" if given else ""),
            )
        if self.contracts is not None:
            check_venue_limits(self.exchange, self.coin, self.contracts, self.entry, self.contract_size, self.leverage)
        return self


class LadderInput(PositionInput, MaintenanceInput, FeeInput):
    """``invfut ladder``: a position and a price grid."""

    grid: GridInput = Field(default_factory=GridInput)
