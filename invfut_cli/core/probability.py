"""The chance of reaching a liquidation price under a lognormal model (DOMAIN.md §14).

The price follows geometric Brownian motion with volatility ``σ`` (a year of 365 days) and
drift ``μ`` (0 by default: the price is then a martingale). With ``ν = μ − σ²/2``,
``b = ln(L/P₀)`` and the horizon ``T`` in years:

- a long (``L < P₀``) touches ``L`` by ``T`` with probability
  ``Φ((b − νT)/(σ√T)) + e^(2νb/σ²)·Φ((b + νT)/(σ√T))``;
- a short (``L > P₀``) with ``Φ((−b + νT)/(σ√T)) + e^(2νb/σ²)·Φ((−b − νT)/(σ√T))``;
- beyond ``L`` at ``T`` only: ``Φ((b − νT)/(σ√T))`` (long), ``1 − Φ((b − νT)/(σ√T))`` (short).

Everything is ``Decimal``: the normal distribution is computed from ``erfc`` by its series
(small arguments) and its continued fraction (large ones) at 60 digits, so the core's
context, which traps float operations, is never left. A model, not a forecast: crypto
returns have fatter tails than the lognormal.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from .errors import DomainError
from .numbers import ONE, ZERO, exact
from .position import Side

#: The model's name, as documents give it.
MODEL = "gbm"

#: Days in the model's year (volatility and drift are per 365 days).
DAYS_A_YEAR = Decimal(365)
SECONDS_A_YEAR = DAYS_A_YEAR * 86400

#: Working precision of the normal distribution: 60 digits, beyond the 50 of the core.
_WORK = decimal.Context(prec=60, rounding=decimal.ROUND_HALF_EVEN, Emax=999_999, Emin=-999_999,
                        traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow,
                               decimal.FloatOperation])  # fmt: skip

_TWO = Decimal(2)
#: Beyond this |x| the tail of Φ is below 10^-400: 0 or 1 at any shown precision.
_FAR = Decimal(40)
#: Below this |z| erfc comes from the series of erf, above it from the continued fraction.
_SERIES_UP_TO = Decimal(5)


def _sqrt_pi() -> Decimal:
    # π by the Gauss–Legendre iteration at the working precision (a few steps suffice).
    a, b, t, p = ONE, ONE / _TWO.sqrt(), Decimal("0.25"), ONE
    for _ in range(8):
        a_next = (a + b) / _TWO
        b = (a * b).sqrt()
        t -= p * (a - a_next) ** 2
        a, p = a_next, p * _TWO
    return ((a + b) ** 2 / (4 * t)).sqrt()


with decimal.localcontext(_WORK):
    _SQRT_PI = _sqrt_pi()
    _SQRT_2 = _TWO.sqrt()


def erfc(z: Decimal) -> Decimal:
    """The complementary error function ``erfc(z) = 1 − erf(z)``, to about 50 digits.

    For ``|z| ≤ 5``: ``erf(z) = 2/√π · e^(−z²) · Σ 2ⁿ z^(2n+1) / (1·3·…·(2n+1))`` (all
    terms of one sign, no cancellation). For ``z > 5``: the continued fraction
    ``erfc(z) = e^(−z²)/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + …))))``, evaluated from
    its 120th term back. ``erfc(−z) = 2 − erfc(z)``.
    """
    with decimal.localcontext(_WORK):
        if z < ZERO:
            return +(_TWO - erfc(-z))
        if z > _FAR:
            return ZERO
        square = z * z
        if z <= _SERIES_UP_TO:
            term = z
            total = z
            n = 0
            tiny = Decimal("1e-62")
            while term > tiny * total:
                n += 1
                term = term * 2 * square / (2 * n + 1)
                total += term
            erf = 2 / _SQRT_PI * (-square).exp() * total
            return ONE - erf
        tail = z
        for k in range(120, 0, -1):
            tail = z + (Decimal(k) / 2) / tail
        return (-square).exp() / _SQRT_PI / tail


def normal_cdf(x: Decimal) -> Decimal:
    """The standard normal distribution ``Φ(x) = erfc(−x/√2)/2``."""
    with decimal.localcontext(_WORK):
        return erfc(-x / _SQRT_2) / 2


@dataclass(frozen=True)
class TouchModel:
    """The model's parameters: annual volatility ``σ`` and drift ``μ`` (fractions, 0.6 is
    60%) and the horizon in years."""

    vol: Decimal
    drift: Decimal
    horizon_years: Decimal

    def __post_init__(self) -> None:
        if self.vol <= ZERO:
            raise DomainError("the volatility must be above 0", option="vol")
        if self.horizon_years <= ZERO:
            raise DomainError("the horizon must be above 0", option="horizon")


@dataclass(frozen=True)
class TouchProbability:
    """``touch``: the chance the price reaches the barrier within the horizon; ``at_horizon``:
    the chance it is at or beyond it at the end only (both fractions, 0 to 1)."""

    touch: Decimal
    at_horizon: Decimal


@exact
def touch_probability(side: Side, price_usd: Decimal, barrier_usd: Decimal, model: TouchModel) -> TouchProbability:
    """The chance that a ``side`` position's liquidation price ``barrier_usd`` is touched
    within the horizon, from ``price_usd`` now (the formulas in the module's docstring). A
    barrier at or on the wrong side of the price (already reached) is 1."""
    s = side.sign
    if (price_usd - barrier_usd) * s <= ZERO:
        return TouchProbability(ONE, ONE)
    with decimal.localcontext(_WORK):
        sigma, t = model.vol, model.horizon_years
        nu = model.drift - sigma * sigma / 2
        b = (barrier_usd / price_usd).ln()
        spread = sigma * t.sqrt()
        beyond_end = normal_cdf((b - nu * t) / spread)
        exponent = 2 * nu * b / (sigma * sigma)
        if side is Side.LONG:
            second = normal_cdf((b + nu * t) / spread)
            at_horizon = beyond_end
            first = beyond_end
        else:
            second = normal_cdf((-b - nu * t) / spread)
            at_horizon = ONE - beyond_end
            first = normal_cdf((-b + nu * t) / spread)
        # e^(2νb/σ²) can be enormous where its Φ is 0; it never matters then.
        reflected = ZERO if second == ZERO else exponent.exp() * second
        touch = min(ONE, first + reflected)
    return TouchProbability(+touch, +at_horizon)


@exact
def barrier_for_probability(side: Side, price_usd: Decimal, target: Decimal, model: TouchModel) -> Decimal:
    """The barrier ``L*`` whose touch probability within the horizon is ``target`` (0 < p < 1):
    the touch probability is monotone in ``L`` (it rises as ``L`` nears the price), so
    ``ln(L/P₀)`` is bisected to 10^-30, and the end on the safe side (probability ≤ p) is
    returned: a long's barrier is never above, a short's never below, the exact one."""
    if not ZERO < target < ONE:
        raise DomainError("the probability must be above 0% and below 100%", option="max_probability")
    s = side.sign
    # b = ln(L/P0): 0 at the price, further from it (−s·b larger) is safer.
    near, far = ZERO, Decimal(-s)
    while touch_probability(side, price_usd, price_usd * far.exp(), model).touch > target:
        near, far = far, far * 2
        if abs(far) > 10_000:
            raise DomainError("no barrier has so small a probability", option="max_probability")
    tolerance = Decimal("1e-30")
    while abs(far - near) > tolerance:
        middle = (near + far) / 2
        if touch_probability(side, price_usd, price_usd * middle.exp(), model).touch > target:
            near = middle
        else:
            far = middle
    return price_usd * far.exp()


@dataclass(frozen=True)
class RealisedVol:
    """The realised volatility of a series of closes: per period, a year, the count of
    returns it used, and the period in seconds."""

    per_period: Decimal
    annual: Decimal
    returns: int
    period_seconds: Decimal


@exact
def realised_vol(closes: Iterable[Decimal], period_seconds: Decimal) -> RealisedVol:
    """The sample standard deviation of the log close-to-close returns, and it times
    ``√(periods a year)`` (``365·86400 / period_seconds``)."""
    per_period, count = return_spread(closes)
    return annualise(per_period, count, period_seconds)


@exact
def return_spread(closes: Iterable[Decimal]) -> tuple[Decimal, int]:
    """The sample standard deviation of the log close-to-close returns ``ln(Cᵢ/Cᵢ₋₁)`` and
    their count. Streaming (Welford), so a long series keeps constant memory. At least two
    returns (three closes) are needed."""
    previous: Decimal | None = None
    count = 0
    mean = ZERO
    squares = ZERO
    for close in closes:
        if close <= ZERO:
            raise DomainError(f"a close of {close} is not a price above 0")
        if previous is not None:
            value = (close / previous).ln()
            count += 1
            delta = value - mean
            mean += delta / count
            squares += delta * (value - mean)
        previous = close
    if count < 2:
        raise DomainError("the volatility needs at least three closes")
    return (squares / (count - 1)).sqrt(), count


@exact
def annualise(per_period: Decimal, returns: int, period_seconds: Decimal) -> RealisedVol:
    """A volatility per period of ``period_seconds`` as a year's: ``σ·√(365·86400/period)``."""
    if period_seconds <= ZERO:
        raise DomainError("the candles' interval must be above 0 seconds")
    annual = per_period * (SECONDS_A_YEAR / period_seconds).sqrt()
    return RealisedVol(per_period, annual, returns, period_seconds)
