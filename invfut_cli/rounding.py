"""Every output step, in one place: what a number is rounded to when it is shown, and which way.

The core computes exactly and never rounds; the documents round here, at named steps:

- coin amounts: to the satoshi (``1e-8``), nearest (half-even) — :func:`coin`; a margin that
  must be enough rounds up — :func:`coin_up`; one that must be strictly more, to the next
  whole satoshi above — :func:`coin_above`;
- percentages and leverage: to 0.01, nearest — :func:`pct`; a lowest leverage that must
  cover, up — :func:`pct_up`; a move to liquidation, away from the reference —
  :func:`shown_move_to_liquidation`;
- prices and USD amounts: to ``10^-places``, nearest — :func:`usd`, with ``places`` from
  :func:`shown_places` (at least 2, never fewer than the prices as written, at most 8);
- a liquidation-type price: toward safety (a long's up, a short's down) to the tick, or to
  ``10^-places`` without one — :func:`safe_price`, :func:`step_for`, :func:`price_step`.

Only the standard library and :mod:`invfut_cli.core.numbers`: the ``--json`` path imports it.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal, localcontext
from typing import Any

from .core.numbers import CENT, CORE_CONTEXT, NOISE, OUTPUT_CONTEXT, SATOSHI, places_of, quantize
from .core.position import Side

#: Places of a coin delta (coin per USD) and a coin gamma (coin per USD²): a satoshi would
#: round typical values to 0.
DELTA_PLACES = 12
GAMMA_PLACES = 16

__all__ = [
    "FINE",
    "MAX_PLACES",
    "MIN_PLACES",
    "as_written",
    "coin",
    "coin_above",
    "coin_up",
    "pct",
    "pct_up",
    "place_step",
    "price_step",
    "safe_price",
    "shown_move_to_liquidation",
    "shown_places",
    "step_for",
    "usd",
]

#: Prices and USD amounts are shown with at least this many decimal places…
MIN_PLACES = 2
#: …and at most this many (a satoshi's).
MAX_PLACES = 8

#: Digits below this are the 50-digit context's rounding: a value is first rounded here, so
#: that an exact tie (half a satoshi) is not tipped by noise, then to its shown step.
FINE = Decimal("1e-30")

#: ``10^-places`` for the places prices are shown with.
_STEPS = {places: Decimal(1).scaleb(-places) for places in range(0, 21)}


def place_step(places: int) -> Decimal:
    """``10^-places``: the step of a number written with ``places`` decimal places."""
    step = _STEPS.get(places)
    return step if step is not None else Decimal(1).scaleb(-places)


def shown_places(*written: Decimal) -> int:
    """Decimal places for prices and USD shown: at least :data:`MIN_PLACES`, never fewer
    than any of the ``written`` prices has, at most :data:`MAX_PLACES`."""
    return min(MAX_PLACES, max(MIN_PLACES, *(places_of(p) for p in written)))


def _nearest(value: Decimal, step: Decimal) -> Decimal:
    """``value`` to the power-of-ten ``step``, half-even, with no negative zero."""
    # Positional arguments: quantize's keywords cost more than the rounding (hot in ladders).
    rounded = value.quantize(FINE, None, OUTPUT_CONTEXT).quantize(step, None, OUTPUT_CONTEXT)
    return rounded if rounded else abs(rounded)


def coin(value: Decimal | None) -> Decimal | None:
    """A coin amount to the satoshi, nearest."""
    return None if value is None else _nearest(value, SATOSHI)


def coin_up(value: Decimal | None) -> Decimal | None:
    """A coin amount rounded UP to the satoshi (after dropping the context's noise below
    :data:`NOISE`): a margin that must be enough is never shown a satoshi short."""
    if value is None:
        return None
    rounded = quantize(quantize(value, NOISE), SATOSHI, ROUND_CEILING)
    return rounded if rounded else abs(rounded)


def coin_above(value: Decimal | None) -> Decimal | None:
    """The smallest whole satoshi strictly above ``value``."""
    if value is None:
        return None
    with localcontext(CORE_CONTEXT):
        return quantize(value, SATOSHI, ROUND_FLOOR) + SATOSHI


def pct(value: Decimal | None) -> Decimal | None:
    """A percentage (or a leverage) to 0.01, nearest."""
    return None if value is None else _nearest(value, CENT)


def pct_up(value: Decimal) -> Decimal:
    """A percentage (or a leverage) rounded UP to 0.01: a lowest leverage that must cover does."""
    return quantize(value, CENT, ROUND_CEILING)


def shown_move_to_liquidation(value: Decimal | None, side: Side) -> Decimal | None:
    """A move to liquidation, in percent, rounded away from the reference price: down for a
    long, up for a short (so that a move of the shown figure does liquidate)."""
    if value is None:
        return None
    return quantize(value, CENT, ROUND_FLOOR if side is Side.LONG else ROUND_CEILING)


def usd(value: Decimal | None, places: int) -> Decimal | None:
    """A price or USD amount to ``places`` decimals, nearest."""
    return None if value is None else _nearest(value, place_step(places))


def as_written(value: Any, places: int = MAX_PLACES) -> Any:
    """A number echoed as it was written, unless it has more than ``places`` decimals (an
    average entry from fills): then to ``places``, nearest. Anything else as it is."""
    if isinstance(value, Decimal) and places_of(value) > places:
        return usd(value, places)
    return value


def safe_price(value: Decimal | None, side: Side, step: Decimal) -> Decimal | None:
    """A liquidation-type price to ``step``: a long's rounds up, a short's down (after
    dropping the context's noise below :data:`NOISE`). A short's price below one step is
    shown to the satoshi instead (rounded down), so a price is never shown as 0."""
    if value is None:
        return None
    settled = value.quantize(NOISE, ROUND_HALF_EVEN, OUTPUT_CONTEXT)  # quantize(value, NOISE), one call less
    if side is Side.LONG:
        return quantize(settled, step, ROUND_CEILING)
    shown = quantize(settled, step, ROUND_FLOOR)
    if shown <= 0:
        shown = quantize(settled, SATOSHI, ROUND_FLOOR)
    return shown if shown > 0 else quantize(value, NOISE, ROUND_FLOOR)


def step_for(tick: Decimal | None, places: int) -> Decimal:
    """The step a liquidation-type price is shown to: the tick, else ``10^-places``."""
    return tick if tick is not None else place_step(places)


def price_step(args: Any) -> Decimal:
    """The step an input's liquidation price is shown to: its ``--tick``, else
    ``10^-places`` for its ``price_places``."""
    return step_for(getattr(args, "tick", None), args.price_places)
