"""Numbers on a chart's axes: round steps that cover a range, and tick labels that fit.

The y axes step by :data:`NICE` times a power of ten with zero among the ticks; the x
axis by the finer :data:`FINE_NICE`, since the price range is not moved to take in zero.
Plain float arithmetic, for drawing only.
"""

from __future__ import annotations

import math

#: A y axis' step is one of these times a power of ten, and zero is one of its ticks.
NICE = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0)
#: An x axis' step is one of these times a power of ten (finer: the price range is not
#: moved to take in zero, so a coarse step could leave much of the width empty), and its
#: ticks are whole multiples of that power of ten.
FINE_NICE = (1.0, 1.2, 1.4, 1.5, 1.6, 1.8, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 6.0, 7.0, 8.0, 9.0)


def nice_axis(low: float, high: float, cells: float, factors: tuple[float, ...] = NICE) -> tuple[float, float]:
    """``(start, step)`` of an axis of ``cells`` equal steps that covers ``low..high``, with
    the smallest step of ``factors`` that does. With :data:`NICE` the start is a whole
    number of steps (zero is a tick); otherwise a whole number of the step's power of ten."""
    span = high - low if high > low else abs(high) or 1.0
    raw = span / cells
    exponent = math.floor(math.log10(raw))
    for power in (exponent, exponent + 1, exponent + 2):
        for factor in factors:
            step = factor * 10.0**power
            if step < raw * (1 - 1e-9):
                continue
            unit = step if factors is NICE else 10.0**power
            start = math.floor(low / unit + 1e-9) * unit
            if start + cells * step >= high - step * 1e-9:
                return start, step
    return low, raw


def places(step: float) -> int:
    """The fewest decimal places (at most 8) that write multiples of ``step`` exactly."""
    step = abs(step)
    for digits in range(9):
        if step == 0 or abs(round(step, digits) - step) <= step * 1e-6:
            return digits
    return 8


def tick(value: float, step: float, chars: int) -> str:
    """A tick label of at most ``chars`` characters: ``value`` to the places its ``step``
    needs, with thousands separators while they fit, else with fewer places, else in
    thousands (k), millions (M), billions (B) or trillions (T)."""
    for digits in range(places(step), -1, -1):
        for shape in (f"{{:,.{digits}f}}", f"{{:.{digits}f}}"):
            shown = _unsigned_zero(shape.format(value))
            if len(shown) <= chars:
                return shown
    magnitude = abs(value)
    for suffix, scale in (("T", 1e12), ("B", 1e9), ("M", 1e6), ("k", 1e3)):
        if magnitude >= scale:
            for digits in (2, 1, 0):
                shown = f"{value / scale:.{digits}f}{suffix}"
                if len(shown) <= chars:
                    return shown
            break
    return f"{value:.1e}"[:chars]


def _unsigned_zero(shown: str) -> str:
    """``-0.00`` is ``0.00``."""
    return shown[1:] if shown.startswith("-") and not shown.strip("-0.,") else shown


def nice_step(raw: float) -> float:
    """The smallest step of :data:`NICE` times a power of ten that is at least ``raw``."""
    if raw <= 0:
        return 1.0
    power = math.floor(math.log10(raw))
    return min(f * 10.0**p for p in (power, power + 1) for f in NICE if f * 10.0**p >= raw * (1 - 1e-9))
