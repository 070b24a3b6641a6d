"""Exact decimal arithmetic for the core: one context, named rounding steps.

The core never builds a ``Decimal`` from a float and never rounds while computing.
Rounding happens only at output, through :func:`quantize` with a named step and a
stated direction.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable
from decimal import Decimal
from functools import wraps
from typing import ParamSpec, TypeVar

__all__ = [
    "CENT",
    "CORE_CONTEXT",
    "HUNDRED",
    "ONE",
    "SATOSHI",
    "ZERO",
    "exact",
    "quantize",
    "places_of",
]

#: 50 significant digits: a coin amount of 10^30 still keeps its 8 decimal places.
CORE_CONTEXT = decimal.Context(
    prec=50,
    rounding=decimal.ROUND_HALF_EVEN,
    Emax=999_999,
    Emin=-999_999,
    traps=[
        decimal.InvalidOperation,
        decimal.DivisionByZero,
        decimal.Overflow,
        decimal.FloatOperation,
    ],
)

#: Rounding for output only: wide enough that a value of 10^40 still takes 8 places more.
OUTPUT_CONTEXT = CORE_CONTEXT.copy()
OUTPUT_CONTEXT.prec = 100

#: Below this, a computed price's last digits are the 50-digit context's rounding, not
#: information: 5625 computed as 5625.000…001 must not round up to 5625.01.
NOISE = Decimal("1e-20")

#: Relative size below which a sum is the context's rounding, not a quantity: 50-digit
#: arithmetic errs by about 10^-49 of its operands, so a sum this much smaller is zero.
SETTLE = Decimal("1e-40")

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
#: One satoshi: the step for every coin amount shown.
SATOSHI = Decimal("1e-8")
#: One cent: the coarsest step for prices and USD amounts shown.
CENT = Decimal("0.01")

P = ParamSpec("P")
#: The code flag of a generator function (``inspect.CO_GENERATOR``, without importing inspect).
_CO_GENERATOR = 0x20
R = TypeVar("R")


def exact(func: Callable[P, R]) -> Callable[P, R]:
    """Run ``func`` under :data:`CORE_CONTEXT` (traps on, 50 digits).

    The caller's context comes back afterwards; a call made while :data:`CORE_CONTEXT` is
    already current costs nothing more. A generator function gets the context for each
    step it runs, and the caller keeps its own context between the items.
    """
    if func.__code__.co_flags & _CO_GENERATOR:  # type: ignore[attr-defined]

        @wraps(func)
        def stepper(*args: P.args, **kwargs: P.kwargs):  # type: ignore[no-untyped-def]
            steps = func(*args, **kwargs)
            while True:
                previous = decimal.getcontext()
                if previous is CORE_CONTEXT:  # the caller's context already: nothing to switch
                    try:
                        item = next(steps)  # type: ignore[call-overload]
                    except StopIteration:
                        return
                    yield item
                    continue
                decimal.setcontext(CORE_CONTEXT)
                try:
                    item = next(steps)  # type: ignore[call-overload]
                except StopIteration:
                    return
                finally:
                    decimal.setcontext(previous)
                yield item

        return stepper  # type: ignore[return-value]

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        previous = decimal.getcontext()
        if previous is CORE_CONTEXT:
            return func(*args, **kwargs)
        decimal.setcontext(CORE_CONTEXT)
        try:
            return func(*args, **kwargs)
        finally:
            decimal.setcontext(previous)

    return wrapper


#: Steps that are powers of ten at or below 1 (``SATOSHI``, ``CENT``): rounded in one step.
_POWER_OF_TEN: dict[Decimal, Decimal | None] = {}


def _power_of_ten(step: Decimal) -> Decimal | None:
    known = _POWER_OF_TEN.get(step, False)
    if known is not False:
        return known  # type: ignore[return-value]
    normal = step.normalize(CORE_CONTEXT)
    sign, digits, exponent = normal.as_tuple()
    result = normal if digits == (1,) and isinstance(exponent, int) and exponent <= 0 and not sign else None
    _POWER_OF_TEN[step] = result
    return result


def quantize(value: Decimal, step: Decimal, rounding: str = decimal.ROUND_HALF_EVEN) -> Decimal:
    """Round ``value`` to a multiple of ``step`` in the direction ``rounding``.

    ``step`` may be a power of ten (``SATOSHI``, ``CENT``) or any tick such as 0.5.
    The directions are the :mod:`decimal` constants: ``ROUND_CEILING`` rounds up,
    ``ROUND_FLOOR`` down, ``ROUND_HALF_EVEN`` to the nearest.
    """
    ten = _power_of_ten(step)
    if ten is not None:
        return value.quantize(ten, rounding, OUTPUT_CONTEXT)  # positional: keywords cost more than rounding
    units = OUTPUT_CONTEXT.divide(value, step).quantize(ONE, rounding, OUTPUT_CONTEXT)
    result = OUTPUT_CONTEXT.multiply(units, step)
    exponent = step.normalize(OUTPUT_CONTEXT).as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return result.quantize(Decimal(1).scaleb(-places), None, OUTPUT_CONTEXT)


def settle(total: Decimal, *parts: Decimal) -> Decimal:
    """``total`` (a sum of ``parts``), or exactly zero where it is smaller than the
    context's rounding of the parts (:data:`SETTLE` of the largest): equity at the
    bankruptcy price is 0, not 2E-52."""
    largest = ZERO
    for part in parts:  # a loop: cheaper than max(map(abs, parts)) for the two or three given
        size = abs(part)
        if size > largest:
            largest = size
    return ZERO if abs(total) <= largest * SETTLE else total


def places_of(value: Decimal) -> int:
    """Number of decimal places written in ``value`` (``8000.50`` has 2, ``1E+3`` has 0)."""
    text = str(value)  # cheaper than as_tuple(); plain digits unless it has an exponent
    if "E" not in text:
        point = text.find(".")
        return 0 if point < 0 else len(text) - point - 1
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0
