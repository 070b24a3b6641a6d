"""The fee to close at the bankruptcy price on a nearly hedged cross account (DOMAIN.md §5, §8).

With ``F = Σ f·Qᵢ`` on the gross size, ``S + F`` can have the other sign than ``S`` (a net
short smaller than the fee). Expected values are Fraction arithmetic on the formulas, and
the equity and maintenance margin are recomputed here from the positions, not taken from
the code under test.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from invfut_cli.core.account_valuation import EQUAL_AND_OPPOSITE, FEE_AT_LEAST_NET, account
from invfut_cli.core.book import Book, Holding, MarginRule, balance_for_liquidation_at
from invfut_cli.core.margin import Basis, FeeTreatment, MaintenanceSpec
from invfut_cli.core.position import Position, Side

D = Decimal
F = Fraction
RATE, FEE = F(4, 1000), F(75, 100000)


def bybit(rate: Fraction = RATE, fee: Fraction = FEE) -> MarginRule:
    spec = MaintenanceSpec(
        D(rate.numerator) / D(rate.denominator),
        Basis.ENTRY,
        taker_fee=D(fee.numerator) / D(fee.denominator),
        fee_treatment=FeeTreatment.CLOSE_AT_BANKRUPTCY,
    )
    return MarginRule(spec)


def book(balance: Decimal | Fraction | str, *positions: tuple[str, int, int]) -> Book:
    if isinstance(balance, Fraction):
        balance = D(balance.numerator) / D(balance.denominator)
    return Book(D(balance), tuple(Holding(Position(Side(s), D(n), D(1), D(e))) for s, n, e in positions))


def parts(positions: tuple[tuple[str, int, int], ...], fee: Fraction = FEE, rate: Fraction = RATE) -> tuple:
    """``S``, ``A``, ``F``, ``a₀`` of $1 contracts, in Fractions."""
    sign = {"long": 1, "short": -1}
    s = sum((sign[p] * n for p, n, _ in positions), F(0))
    a = sum((F(sign[p] * n, e) for p, n, e in positions), F(0))
    fee_usd = sum((fee * n for _, n, _ in positions), F(0))
    a0 = sum((rate * F(n, e) for _, n, e in positions), F(0))
    return s, a, fee_usd, a0


def equity(balance: Fraction, s: Fraction, a: Fraction, price: Fraction) -> Fraction:
    return balance + a - s / price


# The failing example: balance 0, long 667 + short 1 + short 667 at 1000 (S = −1, gross 1335).
HEDGED_SHORT = (("long", 667, 1000), ("short", 1, 1000), ("short", 667, 1000))


def test_nearly_hedged_short_the_balance_for_1000_liquidates_at_1000() -> None:
    s, a, fee_usd, a0 = parts(HEDGED_SHORT)
    assert (s, a, fee_usd, a0) == (-1, F(-1, 1000), F(801, 800), F(267, 50000))
    assert s + fee_usd > 0  # the fee on the gross size outweighs the net short
    # No bankruptcy price on the rising side, c = 0: B* = S/P* + a₀ − A.
    expected = s / 1000 + a0 - a
    assert expected == F(267, 50000)
    needed, strict = balance_for_liquidation_at(book("0", *HEDGED_SHORT), bybit(), D(1000))
    assert needed is not None and F(needed) == expected and strict is False

    result = account(book(needed, *HEDGED_SHORT), D(1000), bybit(), bybit())
    assert result.liquidation.price_usd is not None and F(result.liquidation.price_usd) == 1000
    assert result.side is Side.SHORT
    assert result.bankruptcy.price_usd is None and result.bankruptcy.reason == FEE_AT_LEAST_NET
    assert result.terms.fee_to_close_coin == 0
    # At 1000 the equity is the maintenance margin a₀ exactly: at the liquidation price.
    assert F(result.equity_coin) == equity(expected, s, a, F(1000)) == a0
    assert F(result.maintenance_margin_coin) == a0
    assert result.liquidated is True
    # One dollar lower the equity is above it; and the fee to close at 1000, F/1000, is well
    # inside the equity (the old fee term, F valued at (S + F)/(B + A) ≈ 0.288, was 3.47 BTC).
    below = account(book(needed, *HEDGED_SHORT), D(999), bybit(), bybit())
    assert below.liquidated is False and equity(expected, s, a, F(999)) > a0
    assert abs(F(below.equity_coin) - equity(expected, s, a, F(999))) < F(1, 10**40)
    assert fee_usd / 1000 < a0
    assert fee_usd * (expected + a) / (s + fee_usd) == F(347634, 100000)


def test_nearly_hedged_short_on_no_balance() -> None:
    """B = 0: u = B + A = −1/1000, no bankruptcy price, P_liq = S/(u − a₀) = 50000/317."""
    s, a, _, a0 = parts(HEDGED_SHORT)
    result = account(book("0", *HEDGED_SHORT), D(1000), bybit(), bybit())
    assert s / (a - a0) == F(50000, 317)
    assert result.liquidation.price_usd is not None
    assert abs(F(result.liquidation.price_usd) - F(50000, 317)) < F(1, 10**30)
    assert result.liquidated is True  # equity 0 at 1000


def test_nearly_hedged_short_more_balance_moves_the_liquidation_away() -> None:
    """P_liq = |S|/(a₀ − u) rises with the balance until the balance covers it (u ≥ a₀)."""
    s, a, _, a0 = parts(HEDGED_SHORT)
    last = F(0)
    for balance in (F(0), F(1, 1000), F(2, 1000), F(5, 1000), F(6, 1000)):
        result = account(book(balance, *HEDGED_SHORT), D(1000), bybit(), bybit())
        price = s / (balance + a - a0)
        assert result.liquidation.price_usd is not None
        assert abs(F(result.liquidation.price_usd) - price) < F(1, 10**25) and price > last
        last = price
    covered = account(book(F(7, 1000), *HEDGED_SHORT), D(1000), bybit(), bybit())
    assert F(7, 1000) + a > a0 and covered.liquidation.price_usd is None and covered.liquidated is False


def test_net_short_beyond_the_fee_keeps_the_fee_term() -> None:
    """Short 670 + long 667 at 1000: S = −3, F = 1.00275, S + F < 0. A target of 300 needs
    u = B + A < 0 (the bankruptcy price exists: c = F·u/(S + F)); 1000 needs u ≥ 0 (c = 0)."""
    positions = (("long", 667, 1000), ("short", 670, 1000))
    s, a, fee_usd, a0 = parts(positions)
    assert s == -3 and s + fee_usd < 0
    for target, fee_branch in ((300, True), (1000, False)):
        goal = s / target + a0
        u = goal * (s + fee_usd) / s if fee_branch else goal
        assert (u < 0) is fee_branch
        needed, strict = balance_for_liquidation_at(book("0", *positions), bybit(), D(target))
        assert needed is not None and abs(F(needed) - (u - a)) < F(1, 10**30) and not strict
        result = account(book(needed, *positions), D(target), bybit(), bybit())
        c = fee_usd * u / (s + fee_usd) if fee_branch else F(0)
        assert abs(F(result.terms.fee_to_close_coin) - c) < F(1, 10**30)
        assert result.liquidation.price_usd is not None
        assert abs(F(result.liquidation.price_usd) - target) < F(1, 10**25)
        assert abs(equity(F(needed), s, a, F(target)) - (a0 + c)) < F(1, 10**30)
        if fee_branch:
            bp = result.bankruptcy.price_usd
            assert bp is not None and abs(F(bp) - (s + fee_usd) / u) < F(1, 10**25) and F(bp) > target
            # At the bankruptcy price the equity is the fee to close there.
            assert abs(equity(F(needed), s, a, F(bp)) - fee_usd / F(bp)) < F(1, 10**30)


def test_nearly_hedged_long_keeps_the_fee_term() -> None:
    """Long 668 + short 667 at 1000: S = +1 < F = 1.00125, but S + F > 0 has the sign of S,
    so the bankruptcy price (S + F)/(B + A) is below and c = F/BP: B* for 400 from
    u = (S/P* + a₀)·(S + F)/S."""
    positions = (("long", 668, 1000), ("short", 667, 1000))
    s, a, fee_usd, a0 = parts(positions)
    assert s == 1 and fee_usd > s
    u = (s / 400 + a0) * (s + fee_usd) / s
    needed, strict = balance_for_liquidation_at(book("0", *positions), bybit(), D(400))
    assert needed is not None and abs(F(needed) - (u - a)) < F(1, 10**30) and not strict
    result = account(book(needed, *positions), D(1000), bybit(), bybit())
    bp, c = (s + fee_usd) / u, fee_usd * u / (s + fee_usd)
    assert result.side is Side.LONG
    assert result.bankruptcy.price_usd is not None and abs(F(result.bankruptcy.price_usd) - bp) < F(1, 10**25)
    assert F(result.bankruptcy.price_usd) < 400
    assert abs(F(result.terms.fee_to_close_coin) - c) < F(1, 10**30)
    assert result.liquidation.price_usd is not None
    assert abs(F(result.liquidation.price_usd) - 400) < F(1, 10**25)
    assert abs(equity(F(needed), s, a, F(400)) - (a0 + c)) < F(1, 10**30)
    assert abs(equity(F(needed), s, a, bp) - fee_usd / bp) < F(1, 10**30)


def test_equal_and_opposite_with_the_fee_is_not_liquidated_when_covered() -> None:
    """S = 0: the equity is B + A at every price. With the fee term F/BP = B + A it used to
    read as liquidated now; with no bankruptcy price it is above a₀ = 0.008."""
    positions = (("long", 1000, 1000), ("short", 1000, 1000))
    s, a, _, a0 = parts(positions)
    result = account(book("0.01", *positions), D(1000), bybit(), bybit())
    assert s == 0 and a0 == F(8, 1000) and F(result.equity_coin) == F(1, 100) + a
    assert result.liquidation.price_usd is None and result.liquidation.reason == EQUAL_AND_OPPOSITE
    assert result.liquidated is False and F(result.maintenance_margin_coin) == a0
    assert result.bankruptcy.price_usd is None and result.bankruptcy.reason == FEE_AT_LEAST_NET
    needed, strict = balance_for_liquidation_at(book("0", *positions), bybit(), D(1000))
    assert needed is not None and F(needed) == a0 and strict is True


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 5000),
    st.integers(-40, 40),
    st.integers(900, 1100),
    st.integers(1, 300),
    st.sampled_from([F(4, 1000), F(5, 1000)]),
    st.sampled_from([F(5, 10000), F(75, 100000)]),
)
def test_nearly_hedged_books_solver_and_valuation_agree(
    n: int, k: int, entry: int, target: int, rate: Fraction, fee: Fraction
) -> None:
    """Long n and short n − k (the fee on the gross size often above |S| = |k|): the balance
    found puts the liquidation at the target, and more of it never moves it closer."""
    positions = (("long", n, 1000), ("short", n - k, entry)) if n - k > 0 else (("long", n, 1000),)
    rule = bybit(rate, fee)
    scale = D(target) * 10
    needed, strict = balance_for_liquidation_at(book("0", *positions), rule, scale)
    if needed is None:
        return
    result = account(book(needed, *positions), scale, rule, rule)
    if strict:
        assert result.liquidation.price_usd is None  # equity = a₀ up to the context's rounding of A
    else:
        assert result.liquidation.price_usd is not None
        assert abs(F(result.liquidation.price_usd) - F(scale)) <= F(scale) / 10**25
    more = account(book(needed + D("0.001"), *positions), scale, rule, rule)
    if k != 0 and not strict:
        price = more.liquidation.price_usd
        assert price is None or (F(price) < F(scale) if k > 0 else F(price) > F(scale))
