"""The model probability of reaching liquidation (DOMAIN.md §14): the normal distribution
against math.erfc, the published table, a Monte-Carlo check, the backwards solve and the
realised volatility."""

from __future__ import annotations

import math
import random
import statistics
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from invfut_cli.core.errors import DomainError
from invfut_cli.core.position import Side
from invfut_cli.core.probability import (
    TouchModel,
    barrier_for_probability,
    erfc,
    normal_cdf,
    realised_vol,
    touch_probability,
)

ENTRY = D(60000)


def model(days: int | str, vol: str = "0.6", drift: str = "0") -> TouchModel:
    return TouchModel(D(vol), D(drift), D(days) / 365)


@pytest.mark.parametrize("x", [-30, -8.5, -5.01, -4.99, -2, -0.7, 0, 0.1, 1.3, 3, 4.999, 5.001, 6, 12, 26])
def test_erfc_agrees_with_the_standard_library(x: float) -> None:
    got = float(erfc(D(repr(x))))
    want = math.erfc(x)
    assert got == pytest.approx(want, rel=1e-13, abs=1e-300)


def test_normal_cdf_is_symmetric() -> None:
    for text in ("0.3", "1.7", "4.2", "7.9"):
        assert abs(normal_cdf(D(text)) + normal_cdf(-D(text)) - 1) < D("1e-45")


# DOMAIN.md §14: generic venue, m = 0.5%, entry 60,000, σ = 60%, μ = 0.
TABLE = [
    (Side.LONG, "50209.21", {1: "0.0000", 7: "0.0350", 30: "0.3277"}),
    (Side.LONG, "54794.52", {1: "0.0040", 7: "0.2873", 30: "0.6248"}),
    (Side.LONG, "57416.27", {1: "0.1646", 7: "0.6094", 30: "0.8152"}),
    (Side.SHORT, "66298.34", {7: "0.2183"}),
]


@pytest.mark.parametrize(("side", "barrier", "by_days"), TABLE)
def test_the_published_table_to_a_hundredth_of_a_percentage_point(side: Side, barrier: str, by_days: dict) -> None:
    for days, published in by_days.items():
        got = touch_probability(side, ENTRY, D(barrier), model(days)).touch
        assert abs(got - D(published)) <= D("0.00005"), (barrier, days, got)


def test_beyond_at_the_end_only_is_the_published_figure_and_below_touch() -> None:
    answer = touch_probability(Side.LONG, ENTRY, D("54794.52"), model(7))
    assert abs(answer.at_horizon - D("0.1467")) <= D("0.00005")
    assert answer.at_horizon < answer.touch


def _monte_carlo(side: Side, barrier: float, vol: float, drift: float, years: float, paths: int) -> float:
    """The touch probability by simulation of ln(P/P0) in 16 steps, each step's chance of
    crossing between its ends taken from the Brownian bridge, exp(−2·d0·d1/(σ²Δt)): exact
    for Brownian motion with drift at any step size, so the only error is sampling."""
    rng = random.Random(20261206)
    steps = 16
    dt = years / steps
    nu = drift - vol * vol / 2
    b = math.log(barrier / 60000.0)
    s = 1 if side is Side.LONG else -1
    total = 0.0
    for _ in range(paths // 2):
        draws = [rng.gauss(0.0, 1.0) for _ in range(steps)]
        for sign in (1.0, -1.0):  # antithetic pair
            x = 0.0
            survive = 1.0
            for z in draws:
                y = x + nu * dt + vol * math.sqrt(dt) * sign * z
                d0, d1 = s * (x - b), s * (y - b)
                if d1 <= 0:
                    survive = 0.0
                    break
                survive *= 1.0 - math.exp(-2.0 * d0 * d1 / (vol * vol * dt))
                x = y
            total += 1.0 - survive
    return total / paths


@pytest.mark.parametrize(
    ("side", "barrier", "drift"),
    [(Side.LONG, 54794.52, 0.0), (Side.SHORT, 66298.34, 0.0), (Side.LONG, 54794.52, -0.8), (Side.SHORT, 66298.34, 1.5)],
)
def test_monte_carlo_agrees_with_the_closed_form(side: Side, barrier: float, drift: float) -> None:
    paths = 3000
    estimate = _monte_carlo(side, barrier, 0.6, drift, 7 / 365, paths)
    closed = float(touch_probability(side, ENTRY, D(repr(barrier)), model(7, drift=repr(drift))).touch)
    # The estimator (a conditional expectation of a 0/1 outcome) has a variance at most the
    # binomial one; 4 standard errors: a false failure about once in 16,000 runs.
    tolerance = 4 * math.sqrt(closed * (1 - closed) / paths)
    assert abs(estimate - closed) < tolerance, (estimate, closed, tolerance)


def test_drift_away_from_the_barrier_lowers_the_chance() -> None:
    up = touch_probability(Side.LONG, ENTRY, D(54000), model(7, drift="1")).touch
    flat = touch_probability(Side.LONG, ENTRY, D(54000), model(7)).touch
    down = touch_probability(Side.LONG, ENTRY, D(54000), model(7, drift="-1")).touch
    assert up < flat < down


def test_a_barrier_already_reached_is_certain() -> None:
    assert touch_probability(Side.LONG, ENTRY, ENTRY, model(7)).touch == 1
    assert touch_probability(Side.SHORT, ENTRY, D(59000), model(7)).touch == 1


@settings(max_examples=40, deadline=None)
@given(
    near=st.decimals(min_value=D(30000), max_value=D(59990), places=2),
    gap=st.decimals(min_value=D("0.01"), max_value=D(20000), places=2),
    days=st.integers(min_value=1, max_value=365),
)
def test_a_barrier_further_away_is_never_more_likely(near: D, gap: D, days: int) -> None:
    # More collateral moves the liquidation price away from the price: never a higher chance.
    m = model(days)
    further = touch_probability(Side.LONG, ENTRY, near - gap, m).touch
    assert further <= touch_probability(Side.LONG, ENTRY, near, m).touch
    short_near = 2 * ENTRY - near
    assert (
        touch_probability(Side.SHORT, ENTRY, short_near + gap, m).touch
        <= touch_probability(Side.SHORT, ENTRY, short_near, m).touch
    )


def test_the_barrier_for_one_percent_in_a_week() -> None:
    barrier = barrier_for_probability(Side.LONG, ENTRY, D("0.01"), model(7))
    assert abs(barrier - D("48290.5")) < D("0.1")  # DOMAIN.md §14
    assert touch_probability(Side.LONG, ENTRY, barrier, model(7)).touch <= D("0.01")
    assert touch_probability(Side.LONG, ENTRY, barrier + D("0.000001"), model(7)).touch > D("0.01")


def test_the_short_barrier_is_on_the_safe_side() -> None:
    barrier = barrier_for_probability(Side.SHORT, ENTRY, D("0.05"), model(30))
    assert barrier > ENTRY
    assert touch_probability(Side.SHORT, ENTRY, barrier, model(30)).touch <= D("0.05")
    assert touch_probability(Side.SHORT, ENTRY, barrier - D("0.000001"), model(30)).touch > D("0.05")


@pytest.mark.parametrize("p", ["0", "1", "-0.1", "1.5"])
def test_a_probability_outside_zero_and_one_is_refused(p: str) -> None:
    with pytest.raises(DomainError):
        barrier_for_probability(Side.LONG, ENTRY, D(p), model(7))


def test_realised_volatility_of_the_published_closes() -> None:
    vol = realised_vol([D(c) for c in (100, 101, 99, 102, 98, 103)], D(3600))
    assert abs(vol.per_period - D("0.0363735")) < D("0.0000001")
    assert abs(vol.annual - D("3.4044")) < D("0.0001")
    # Independent: the standard library's sample standard deviation of the log returns.
    closes = [100, 101, 99, 102, 98, 103]
    logs = [math.log(b / a) for a, b in zip(closes, closes[1:], strict=False)]
    assert float(vol.per_period) == pytest.approx(statistics.stdev(logs), rel=1e-12)
    assert float(vol.annual) == pytest.approx(statistics.stdev(logs) * math.sqrt(365 * 24), rel=1e-12)
