"""Deribit's estimated liquidation price, checked against its defining equation in exact
fractions: an account holding only the position, equity ``M + s·Q(1/E − 1/P)``, meets the
maintenance margin ``(c + b·Q/P)·Q/P`` (the rate grows with the size in coin at ``P``).
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from invfut_cli.core import Position, Side, size_dependent_liquidation
from invfut_cli.exitcodes import ExitCode
from invfut_cli.venues.presets import load

F = Fraction
D = Decimal
STEP = F(1, 10**8)


def gap(side: int, q: Fraction, e: Fraction, m: Fraction, c: Fraction, b: Fraction, p: Fraction) -> Fraction:
    """Equity less the maintenance margin at ``p``: positive on the safe side."""
    return m + side * q * (1 / e - 1 / p) - (c + b * q / p) * q / p


def dec(x: Fraction) -> Decimal:
    """``x`` as a Decimal to 50 digits (exact where ``x`` is a finite decimal)."""
    from invfut_cli.core.numbers import CORE_CONTEXT

    return CORE_CONTEXT.divide(D(x.numerator), D(x.denominator))


def sat(x: Fraction) -> Decimal:
    return (D(x.numerator) / D(x.denominator)).quantize(D("1e-8"), rounding=ROUND_HALF_EVEN)


def brackets(side: int, q: Fraction, e: Fraction, m: Fraction, c: Fraction, b: Fraction, p: Fraction) -> None:
    """``p`` (to 8 places) is within 1e-8 of the root: the gap changes sign across it, the
    losing side (a long's below, a short's above) beyond it."""
    lower, upper = gap(side, q, e, m, c, b, p - STEP), gap(side, q, e, m, c, b, p + STEP)
    if side == 1:
        assert lower <= 0 <= upper
    else:
        assert lower >= 0 >= upper


positions = st.tuples(
    st.sampled_from([1, -1]),
    st.integers(1, 10**7),  # Q, USD
    st.integers(1000, 200_000),  # E
    st.integers(2, 100),  # leverage
    st.sampled_from([(F("0.015"), F("0.00005")), (F("0.015"), F("0.000005")), (F("0.01"), F(0))]),
)


@settings(max_examples=300, deadline=None)
@given(positions)
def test_the_estimate_solves_the_equation(case: tuple[int, int, int, int, tuple[Fraction, Fraction]]) -> None:
    """Where the position is safe at entry (its margin above the maintenance margin there, as
    a venue that took the order requires), the estimate is the root on the losing side."""
    side, q, e, leverage, (c, b) = case
    m = F(q, e * leverage)
    assume(gap(side, F(q), F(e), m, c, b, F(e)) > 0)
    position = Position(Side.LONG if side == 1 else Side.SHORT, D(q), D(1), D(e))
    found = size_dependent_liquidation(position, dec(m), maintenance_base=dec(c), slope_per_coin=dec(b))
    price = found.price.price_usd
    assert price is not None and price > 0
    brackets(side, F(q), F(e), m, c, b, F(price.quantize(D("1e-8"))))
    assert found.distance_pct is not None
    assert (found.distance_pct > 0) == (side == -1)


def test_maintenance_above_equity_everywhere_has_none() -> None:
    """A short so large that ``(c + b·Q/P)·Q/P`` exceeds ``M + s·Q(1/E − 1/P)`` at every
    price (the gap's highest value, at ``1/P = (1 − c)/(2·b·Q)``, is below zero)."""
    q, e, m, c, b = F(5_389_300), F(1000), F(5_389_300, 11_000), F("0.015"), F("0.00005")
    top = (1 - c) / (2 * b * q)
    assert gap(-1, q, e, m, c, b, 1 / top) < 0
    position = Position(Side.SHORT, D(5_389_300), D(1), D(1000))
    found = size_dependent_liquidation(position, dec(m), maintenance_base=D("0.015"), slope_per_coin=D("0.00005"))
    assert found.price.price_usd is None and "every price" in (found.price.reason or "")


def test_without_a_slope_it_is_the_mark_family() -> None:
    """``b = 0``: ``P = (s + c)·Q / (M + s·Q/E)`` (DOMAIN.md §5, the mark family); Kraken's
    published example, long 1000 at 8000 with 0.01 BTC and 1%, gives 7481.48."""
    position = Position(Side.LONG, D(1000), D(1), D(8000))
    found = size_dependent_liquidation(position, D("0.01"), maintenance_base=D("0.01"), slope_per_coin=D(0))
    assert found.price.price_usd is not None
    assert found.price.price_usd.quantize(D("0.01")) == D("7481.48")


def test_a_covered_short_has_none() -> None:
    position = Position(Side.SHORT, D(8000), D(1), D(8000))
    found = size_dependent_liquidation(position, D(1), maintenance_base=D("0.015"), slope_per_coin=D("0.00005"))
    assert found.price.price_usd is None and "covers the short" in (found.price.reason or "")


def liq(cli: Any, *args: str) -> Any:
    run = cli("liq-price", "--exchange", "deribit", "--json", *args)
    assert run.exit_code == ExitCode.OK, run.stderr
    return run.json()


@pytest.mark.parametrize("coin", ["BTC", "ETH"])
@pytest.mark.parametrize("side", ["long", "short"])
@pytest.mark.parametrize("margin", [("--leverage", "10"), ("--leverage", "2"), ("--balance", "0.5")])
def test_liq_price_labels_the_estimate(cli: Any, coin: str, side: str, margin: tuple[str, str]) -> None:
    entry = "60000" if coin == "BTC" else "3000"
    doc = liq(cli, "--coin", coin, "--side", side, "--entry", entry, "--contracts", "5000", *margin)
    rates = load().presets["deribit"].coins[coin]
    assert rates.size_margins is not None
    c, b = F(rates.size_margins.maintenance_base), F(rates.size_margins.slope_per_coin)
    a = F(rates.size_margins.initial_base)
    q, e = F(5000) * F(rates.contract_size_usd), F(entry)
    m = F(doc["collateral"]) if margin[0] == "--balance" else q / (e * F(margin[1]))
    s = 1 if side == "long" else -1
    # No venue-exact price; the estimate is labelled as one and solves the equation.
    assert doc["liquidation_price"] is None and doc["liquidation_price_exact"] is None
    assert doc["formula_family"] == "none"
    assert doc["estimate_basis"].startswith("an estimate") and "not a venue-exact price" in doc["estimate_basis"]
    exact = F(doc["liquidation_price_estimate_exact"])
    brackets(s, q, e, m, c, b, exact)
    # The shown price is on the tick, toward safety: the root lies within one tick on the losing side.
    shown, tick = F(doc["liquidation_price_estimate"]), F(rates.tick)
    assert shown % tick == 0
    if s == 1:
        assert gap(s, q, e, m, c, b, shown) >= 0 > gap(s, q, e, m, c, b, shown - tick)
    else:
        assert gap(s, q, e, m, c, b, shown) >= 0 > gap(s, q, e, m, c, b, shown + tick)
    assert F(doc["estimate_distance_pct"]) == F(round(100 * (exact - e) / e, 2))
    # initial_margin is Q/(E·L) as on every venue; Deribit's own, (a + b·S)·S, is under tier.
    size_coin = q / e
    if margin[0] == "--leverage":
        assert doc["initial_margin"] == sat(q / (e * F(margin[1])))
    else:
        assert doc["initial_margin"] is None
    tier = doc["tier"]
    assert tier["initial_margin"] == sat((a + b * size_coin) * size_coin)
    assert tier["size_coin"] == sat(size_coin)
    assert tier["initial_rate"] == sat(a + b * size_coin)
    assert tier["maintenance_rate"] == sat(c + b * size_coin)
    assert doc["maintenance_margin"] == sat((c + b * size_coin) * size_coin)


def test_a_one_x_short_has_no_estimate_and_says_why(cli: Any) -> None:
    doc = liq(cli, "--side", "short", "--entry", "60000", "--contracts", "6000", "--leverage", "1")
    assert doc["liquidation_price_estimate"] is None
    assert "no such price" in doc["estimate_basis"] and "covers the short" in doc["estimate_basis"]


def test_the_table_labels_the_estimate(cli: Any) -> None:
    run = cli(
        "liq-price",
        "--exchange",
        "deribit",
        "--side",
        "long",
        "--entry",
        "60000",
        "--contracts",
        "1000",
        "--leverage",
        "10",
    )
    assert run.exit_code == 0
    assert "Liquidation, estimated (USD)" in run.stdout
    assert "Estimated liquidation price: an estimate" in " ".join(run.stdout.split())


def test_other_venues_carry_the_keys_as_null(cli: Any) -> None:
    run = cli(
        "liq-price",
        "--exchange",
        "bybit",
        "--side",
        "long",
        "--entry",
        "60000",
        "--contracts",
        "1000",
        "--leverage",
        "10",
        "--json",
    )
    doc = run.json()
    for key in (
        "liquidation_price_estimate",
        "liquidation_price_estimate_exact",
        "estimate_distance_pct",
        "estimate_basis",
    ):
        assert key in doc and doc[key] is None
