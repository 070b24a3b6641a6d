"""A price grid as a command is given it: ``--from``/``--to`` with ``--step`` or ``--steps``,
or ``--pct`` with ``--pct-step`` around the entry; its prices, rounded to the grid's price
step, computed as they are read."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal, localcontext
from typing import Annotated

from pydantic import BeforeValidator, ConfigDict, Field, model_validator

from invfut_cli import core
from invfut_cli.core.numbers import CORE_CONTEXT, quantize
from invfut_cli.rounding import MAX_PLACES, place_step, shown_places

from .fields import MAX_ROWS, Model, Price, conflict, percent_value

#: ``--pct`` and ``--pct-step``: a percentage of the price (``20`` or ``20%``), above 0 and below 100.
GridPercent = Annotated[Decimal, BeforeValidator(percent_value), Field(gt=0, lt=100, allow_inf_nan=False)]


class GridInput(Model):
    """A price range: ``--from/--to`` with ``--step`` or ``--steps``, or ``--pct`` with ``--pct-step``."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, defer_build=True)

    from_: Price | None = Field(default=None, alias="from")
    to: Price | None = None
    step: Price | None = None
    steps: Annotated[int, Field(ge=1, le=MAX_ROWS)] | None = None
    pct: GridPercent | None = None
    pct_step: GridPercent | None = None

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

    def _given(self, entry: Decimal) -> tuple[Decimal, ...]:
        """The prices the grid is built from, as written: ``--from`` and ``--to`` (and
        ``--step``, without trailing zeros), or the entry (without trailing zeros)."""
        if self.from_ is not None and self.to is not None:
            return (self.from_, self.to) if self.step is None else (self.from_, self.to, self.step.normalize())
        return (entry.normalize(),)

    def price_step(self, entry: Decimal, tick: Decimal | None = None) -> Decimal:
        """The step every grid price is rounded to (nearest, half to even): the tick, when the
        grid's prices given (``--from``, ``--to``, ``--step``; the entry for ``--pct``) lie on it;
        otherwise ``10^-p``, ``p`` the places those prices are written with (at least 2), and
        more where the grid's spacing (``--step``, ``(to − from)/steps``, ``E·pct_step/100``)
        is finer than that, so that rows stay apart (at most 8)."""
        given = self._given(entry)
        with localcontext(CORE_CONTEXT):
            if tick is not None and all(price % tick == 0 for price in given):
                return tick
            if self.from_ is not None and self.to is not None:
                spacing = self.step if self.step is not None else (self.to - self.from_) / (self.steps or 1)
            else:
                spacing = entry * self._pct()[1] / 100
        places = shown_places(*given)
        while places < MAX_PLACES and place_step(places) > spacing:
            places += 1
        return place_step(places)

    def places(self, entry: Decimal, tick: Decimal | None = None) -> int:
        """Decimal places that write every (rounded) price of the grid: those of
        :meth:`price_step`, 2 to 8."""
        return shown_places(self.price_step(entry, tick).normalize())

    def last_step(self) -> Decimal | None:
        """With ``--step``, the shorter last step that ends the grid at ``--to`` (``None``
        when ``--to`` is a whole number of steps above ``--from``, and for other grids)."""
        if self.from_ is None or self.to is None or self.step is None:
            return None
        return core.last_step(self.from_, self.to, self.step)

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

    def prices(self, entry: Decimal, tick: Decimal | None = None) -> Iterator[Decimal]:
        """The grid's prices, each rounded to :meth:`price_step` (nearest); a price that
        rounding makes equal to the one before is given once."""
        return self.window(entry, self.span(entry), tick)[1]

    def window(
        self, entry: Decimal, points: range, tick: Decimal | None = None
    ) -> tuple[Decimal | None, Iterator[Decimal]]:
        """The prices of the grid's points ``points`` (a slice of :meth:`span`) as
        :meth:`prices` gives them, and the price given just before them (``None`` at the
        start): windows side by side give :meth:`prices` in pieces."""
        step = self.price_step(entry, tick)
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
