"""The linear and quanto account core (:mod:`invfut_cli.core.linear_book`) against a Fraction
reference that solves each equation from its definition: equity and maintenance margin are
summed position by position and, being affine in the price, solved from their values at two
prices (never through the core's closed form)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from invfut_cli.core.linear_book import LinearBook, LinearHolding, balance_for_liquidation_at, linear_account
from invfut_cli.core.linear_stress import stress_linear_account
from invfut_cli.core.margin import Basis, FeeTreatment, MaintenanceSpec
from invfut_cli.core.position import Side
from invfut_cli.core.stress import Shock

D = Decimal
F = Fraction

#: How close a 50-digit Decimal must be to the exact Fraction (relative).
CLOSE = F(1, 10**35)


def close(value: Decimal | None, exact: Fraction) -> bool:
    assert value is not None
    return abs(F(value) - exact) <= CLOSE * max(1, abs(exact))


def rates(spec: MaintenanceSpec) -> tuple[Fraction, Fraction, Fraction]:
    """``(a, b, f_close)`` read from the rule, as a venue states it."""
    fee = F(spec.taker_fee)
    rate = F(spec.rate) + (fee if spec.treatment is FeeTreatment.ADDED_TO_RATE else 0)
    close_fee = fee if spec.treatment is FeeTreatment.CLOSE_AT_BANKRUPTCY else F(0)
    return (rate, F(0), close_fee) if spec.basis is Basis.ENTRY else (F(0), rate, close_fee)


def root(g: object) -> Fraction | None:
    """The root of an affine function of the price, from its values at 0 and 1."""
    g0, g1 = g(F(0)), g(F(1))  # type: ignore[operator]
    return None if g1 == g0 else -g0 / (g1 - g0)


class Reference:
    """The cross part of a book in Fractions, from the definitions."""

    def __init__(self, balance: Fraction, holdings: list[LinearHolding], spec: MaintenanceSpec) -> None:
        self.b = balance
        self.pos = [(h.side.sign, F(h.contracts) * F(h.size), F(h.entry)) for h in holdings]
        self.a, self.rate_b, self.f = rates(spec)
        self.d = F(spec.deduction_coin)
        self.net = sum(s * u for s, u, _ in self.pos)
        self.gross = sum(u for _, u, _ in self.pos)

    def equity(self, price: Fraction, balance: Fraction | None = None) -> Fraction:
        b = self.b if balance is None else balance
        return b + sum(s * u * (price - e) for s, u, e in self.pos)

    def bankruptcy(self, balance: Fraction | None = None) -> Fraction | None:
        """Where equity meets the fee to close the gross units at that price, on the side the
        account loses (equity less the fee moves with the net units' sign)."""

        def g(p: Fraction) -> Fraction:
            return self.equity(p, balance) - self.f * self.gross * p

        slope = g(F(1)) - g(F(0))
        if self.net == 0 or slope == 0 or (slope > 0) != (self.net > 0):
            return None
        price = root(g)
        return price if price is not None and price > 0 else None

    def maintenance(self, price: Fraction, balance: Fraction | None = None) -> Fraction:
        bankrupt = self.bankruptcy(balance) if self.f else None
        fee = 0 if bankrupt is None else self.f * self.gross * bankrupt
        return sum(self.a * u * e + self.rate_b * u * price - self.d for _, u, e in self.pos) + fee

    def liquidation(self, balance: Fraction | None = None) -> Fraction | None:
        price = root(lambda p: self.equity(p, balance) - self.maintenance(p, balance))
        return price if price is not None and price > 0 else None


sides = st.sampled_from([Side.LONG, Side.SHORT])
money = st.decimals(min_value=D("0.001"), max_value=D("50"), places=3)
prices = st.decimals(min_value=D("100"), max_value=D("100000"), places=2)


@st.composite
def specs(draw: st.DrawFn) -> MaintenanceSpec:
    basis = draw(st.sampled_from([Basis.ENTRY, Basis.MARK]))
    fee = draw(st.sampled_from([D(0), D("0.00055"), D("0.0006")]))
    treatment = draw(st.sampled_from([None, FeeTreatment.ADDED_TO_RATE, FeeTreatment.CLOSE_AT_BANKRUPTCY]))
    deduction = draw(st.sampled_from([D(0), D(0), D("2.5")]))
    rate = draw(st.sampled_from([D("0.004"), D("0.005"), D("0.01")]))
    return MaintenanceSpec(rate=rate, basis=basis, deduction_coin=deduction, taker_fee=fee, fee_treatment=treatment)


@st.composite
def books(draw: st.DrawFn, isolated: bool = True) -> LinearBook:
    quanto = draw(st.booleans())
    size = D("0.000001") if quanto else draw(st.sampled_from([D(1), D("0.01"), D("0.001")]))
    holdings = []
    for _ in range(draw(st.integers(1, 4))):
        entry = draw(prices)
        contracts = draw(st.integers(1, 20000 if quanto else 50)) * (10 if quanto else 1)
        margin = None
        if isolated and draw(st.booleans()):
            leverage = draw(st.sampled_from([D(2), D(5), D(10), D(25)]))
            margin = D(contracts) * size * entry / leverage
        holdings.append(LinearHolding(draw(sides), D(contracts), size, entry, margin, None, None))
    unit = D("0.01") if quanto else D(100)
    return LinearBook(draw(money) * unit, tuple(holdings))


@settings(max_examples=120, deadline=None)
@given(books(), specs(), prices)
def test_equity_meets_the_maintenance_margin_at_the_liquidation_price(
    book: LinearBook, spec: MaintenanceSpec, price: Decimal
) -> None:
    """Cross: the core's price is the reference's, where equity = MM exactly (both families,
    both sides, the fee treatments); bankruptcy where equity = the fee to close. Isolated: each
    position's own price, where its own equity = its own MM."""
    result = linear_account(book, price, spec)
    cross = [h for h in book.holdings if h.margin_ccy is None]
    if cross:
        ref = Reference(F(book.balance_ccy), cross, spec)
        expected = ref.liquidation()
        if expected is None:
            assert result.liquidation.price_usd is None and result.liquidation.reason
        else:
            assert ref.equity(expected) == ref.maintenance(expected)
            assert close(result.liquidation.price_usd, expected)
            # The side: liquidated at or below for X > 0, at or above for X < 0.
            below = expected * F(999, 1000)
            above = expected * F(1001, 1000)
            long_like = result.side is Side.LONG
            assert (ref.equity(below) <= ref.maintenance(below)) is long_like
            assert (ref.equity(above) <= ref.maintenance(above)) is not long_like
        assert result.liquidated is (ref.equity(F(price)) <= ref.maintenance(F(price)))
        bankrupt = ref.bankruptcy()
        if bankrupt is None:
            assert result.bankruptcy.price_usd is None
        else:
            assert ref.equity(bankrupt) == ref.f * ref.gross * bankrupt
            assert close(result.bankruptcy.price_usd, bankrupt)
        assert close(result.equity_ccy, ref.equity(F(price)))
    for line in result.lines:
        holding = line.holding
        if holding.margin_ccy is None:
            continue
        own = Reference(F(holding.margin_ccy), [holding], spec)
        expected = own.liquidation()
        assert line.liquidation is not None
        if expected is None:
            assert line.liquidation.price_usd is None
        else:
            assert own.equity(expected) == own.maintenance(expected)
            assert close(line.liquidation.price_usd, expected)


@settings(max_examples=60, deadline=None)
@given(books(isolated=False), specs(), st.sampled_from([D("-0.5"), D("-0.2"), D("0.2"), D("0.5")]))
def test_the_balance_to_add_puts_the_liquidation_price_a_step_beyond_the_shock(
    book: LinearBook, spec: MaintenanceSpec, move: Decimal
) -> None:
    """Solved linearly in the balance: at ``B + margin to add`` the liquidation price is the
    shocked price less one step (long-like) or plus one (short-like), or further away."""
    price = D(60000)
    (row,) = stress_linear_account(book, spec, price, [Shock(None, move)], D("0.01"))
    result = linear_account(book, row.price, spec)
    side = result.side or Side.LONG
    target = row.price - side.sign * D("0.01")
    needed = balance_for_liquidation_at(book, spec, target)
    if needed is None:
        assert row.margin_to_add_ccy in (None, 0)
        return
    assert row.margin_to_add_ccy is not None
    assert close(row.margin_to_add_ccy, max(F(needed) - F(book.balance_ccy), F(0)))
    ref = Reference(F(needed), list(book.holdings), spec)
    if ref.f and ref.bankruptcy() is None:
        return  # no bankruptcy price at that balance: the fee term is not there to solve with
    liq = ref.liquidation()
    assert liq is not None and abs(liq - F(target)) <= CLOSE * F(target)


def test_one_position_is_the_contract_s_own_liquidation() -> None:
    """DOMAIN.md §15: 10x, m = 0.5%, E = 60,000, mark family: 54,271.36 long, 65,671.64 short,
    cross on the initial margin and isolated alike."""
    spec = MaintenanceSpec(rate=D("0.005"), basis=Basis.MARK)
    for side, expected in (
        (Side.LONG, F(60000) * F(9, 10) / F(995, 1000)),
        (Side.SHORT, F(60000) * F(11, 10) / F(1005, 1000)),
    ):
        cross = linear_account(LinearBook(D(6000), (LinearHolding(side, D(1), D(1), D(60000)),)), D(60000), spec)
        iso = linear_account(LinearBook(D(0), (LinearHolding(side, D(1), D(1), D(60000), D(6000)),)), D(60000), spec)
        assert close(cross.liquidation.price_usd, expected)
        assert iso.lines[0].liquidation is not None and close(iso.lines[0].liquidation.price_usd, expected)
    assert round(float(F(60000) * F(9, 10) / F(995, 1000)), 2) == 54271.36
    assert round(float(F(60000) * F(11, 10) / F(1005, 1000)), 2) == 65671.64


def test_no_such_price_is_an_answer_with_a_reason() -> None:
    spec = MaintenanceSpec(rate=D("0.005"), basis=Basis.ENTRY)
    hedged = (LinearHolding(Side.LONG, D(1), D(1), D(60000)), LinearHolding(Side.SHORT, D(1), D(1), D(61000)))
    result = linear_account(LinearBook(D(1000), hedged), D(60000), spec)
    assert result.liquidation.price_usd is None and "equal and opposite" in (result.liquidation.reason or "")
    assert result.liquidated is False
    broke = linear_account(LinearBook(D(0), hedged), D(60000), spec)
    assert broke.liquidation.price_usd is None
    assert broke.liquidated is (broke.equity_ccy <= broke.maintenance_margin_ccy)
    covered = linear_account(LinearBook(D(70000), (LinearHolding(Side.LONG, D(1), D(1), D(60000)),)), D(60000), spec)
    assert covered.liquidation.price_usd is None and "covers" in (covered.liquidation.reason or "")
    short_broke = linear_account(LinearBook(D(0), (LinearHolding(Side.SHORT, D(1), D(1), D(60000)),)), D(60000), spec)
    assert short_broke.liquidated is True
