"""DOMAIN.md §7 on single positions: ``pnl`` at its exit and ``liq-price`` at its mark report
``exposure``, ``coin_delta``, ``coin_gamma`` and ``usd_delta``, against a Fraction reference."""

from __future__ import annotations

from decimal import Decimal as D
from fractions import Fraction as F

import pytest
from conftest import run_cli
from hypothesis import given, settings
from hypothesis import strategies as st


def near(value: D, exact: F, places: int) -> bool:
    return abs(F(value) - exact) <= F(1, 2 * 10**places)


def test_the_domain_check_through_pnl_and_liq_price() -> None:
    """Long 10,000 contracts at 8000 with 0.125 BTC, at P = 10,000: coin delta 1.0e-4 BTC/USD,
    gamma −2.0e-8, exposure 1 BTC, USD delta 1.375 BTC."""
    base = ("--side", "long", "--entry", "8000", "--contracts", "10000", "--margin", "0.125", "--json")
    pnl = run_cli("pnl", *base, "--exit", "10000").json()
    liq = run_cli("liq-price", *base, "--mark", "10000").json()
    for doc in (pnl, liq):
        assert doc["coin_delta"] == D("0.0001")
        assert doc["coin_gamma"] == D("-0.00000002")
        assert doc["exposure"] == 1
        assert doc["usd_delta"] == D("1.375")


@settings(max_examples=60, deadline=None)
@given(
    side=st.sampled_from(["long", "short"]),
    entry=st.integers(1000, 100_000),
    price=st.integers(1000, 100_000),
    contracts=st.integers(1, 1_000_000),
    leverage=st.integers(1, 100),
)
def test_sensitivities_match_the_formulas(side: str, entry: int, price: int, contracts: int, leverage: int) -> None:
    s, q, e, p = (1 if side == "long" else -1), F(contracts), F(entry), F(price)
    c = q / (e * leverage)
    args = ("--side", side, "--entry", str(entry), "--contracts", str(contracts), "--leverage", str(leverage))
    doc = run_cli("pnl", *args, "--exit", str(price), "--json").json()
    assert near(doc["exposure"], s * q / p, 8)
    assert near(doc["coin_delta"], s * q / p**2, 12)
    assert near(doc["coin_gamma"], -2 * s * q / p**3, 16)
    assert near(doc["usd_delta"], c + s * q / e, 8)


@pytest.mark.parametrize("side", ["long", "short"])
def test_usd_delta_is_the_slope_of_the_dollar_equity(side: str) -> None:
    """W(P) = P·(C + π(P)) is linear in P: its slope between two exits is the USD delta."""
    args = ("--side", side, "--entry", "60000", "--contracts", "30000", "--leverage", "3", "--json")
    lo, hi = (run_cli("pnl", *args, "--exit", str(x)).json() for x in (50000, 70000))
    slope = (F(hi["equity_usd"]) - F(lo["equity_usd"])) / 20000
    assert abs(slope - F(lo["usd_delta"])) < F(1, 10**6)
    assert lo["usd_delta"] == hi["usd_delta"]


@pytest.mark.parametrize("side", ["long", "short"])
def test_ladder_rows_carry_the_sensitivities_on_request(side: str) -> None:
    s, q, e, c = (1 if side == "long" else -1), F(10000), F(8000), F(1, 8)
    args = ("ladder", "--side", side, "--entry", "8000", "--contracts", "10000", "--margin", "0.125", "--json")
    plain = run_cli(*args).json()
    assert "coin_delta" not in plain["rows"][0]
    doc = run_cli(*args, "--sensitivities").json()
    assert doc["inputs"]["sensitivities"] is True
    for row in [*doc["rows"], *doc["marks"]]:
        p = F(row["price"])
        assert near(row["exposure"], s * q / p, 8)
        assert near(row["coin_delta"], s * q / p**2, 12)
        assert near(row["coin_gamma"], -2 * s * q / p**3, 16)
        assert near(row["usd_delta"], c + s * q / e, 8)
    # Gamma has the sign of convexity: a long's coin PnL bends down, a short's up.
    assert all((row["coin_gamma"] < 0) == (side == "long") for row in doc["rows"])
