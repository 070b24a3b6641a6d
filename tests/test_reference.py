"""The core against an independent ``fractions.Fraction`` reference (DOMAIN.md §§1–5).

The reference below is written from DOMAIN.md, not from the core: exact rational
arithmetic, no rounding anywhere. The core's ``Decimal`` results must agree with it once
both are rounded half-even to a named step: a satoshi for coin amounts, a cent for USD
amounts, and ten significant digits for prices, percentages and leverage. The 50-digit
``Decimal`` and the exact value differ far below those steps, so no test looks at the
tails. The one allowance: where the exact value sits on a rounding boundary (within a
billionth of a step of the halfway point), either neighbour is right.

"No such price" is an answer too: where the reference finds no positive price, the
core must give ``price_usd=None`` and say why.
"""

from __future__ import annotations

import math
from decimal import Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from invfut_cli.core import (
    Basis,
    DomainError,
    FeeTreatment,
    MaintenanceSpec,
    MarginMode,
    Position,
    PriceAnswer,
    Side,
    break_even_price,
    grid_around,
    grid_by_count,
    grid_by_step,
    ladder,
    leverage_drift,
    liquidation,
    pnl,
    solve_sizing,
)

F = Fraction
#: A zero deduction or fee term.
NOTHING = F(0)

# --------------------------------------------------------------------------------------
# Named comparison steps
# --------------------------------------------------------------------------------------

#: Coin amounts: one satoshi.
SATOSHI = F(1, 10**8)
#: USD amounts: one cent.
CENT = F(1, 100)
#: Prices, percentages and leverage: this many significant digits.
SIGNIFICANT_DIGITS = 10
#: How close to the halfway point an exact value must be for either neighbour to count.
TIE = F(1, 10**9)

PROPERTY = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def decade(x: Fraction) -> int:
    """``floor(log10 |x|)`` for ``x ≠ 0``, exactly."""
    x = abs(x)
    e = len(str(x.numerator)) - len(str(x.denominator))
    return e if F(10) ** e <= x else e - 1


def significant(x: Fraction, digits: int = SIGNIFICANT_DIGITS) -> Fraction:
    """The step that keeps ``digits`` significant digits of ``x`` (a tiny fixed step at zero)."""
    if x == 0:
        return F(1, 10**30)
    return F(10) ** (decade(x) - digits + 1)


def snap(x: Fraction, step: Fraction) -> Fraction:
    """``x`` rounded half-even to a multiple of ``step`` (``round`` on a Fraction is half-even)."""
    return round(x / step) * step


def show(x: Fraction) -> str:
    """A Fraction as a decimal string, for failure messages only."""
    with localcontext() as ctx:
        ctx.prec = 60
        return str(Decimal(x.numerator) / Decimal(x.denominator))


def agree(got: Decimal | None, want: Fraction | None, step: Fraction | None = None, what: str = "") -> None:
    """The core's ``got`` equals the reference's ``want`` once both are rounded to ``step``.

    ``step=None`` means :data:`SIGNIFICANT_DIGITS` significant digits of ``want``.
    ``want=None`` ("no such value") requires ``got`` to be ``None`` too.
    """
    if want is None:
        assert got is None, f"{what}: core gives {got}, the reference has no such value"
        return
    assert got is not None, f"{what}: core gives None, the reference gives {show(want)}"
    step = significant(want) if step is None else step
    mine, theirs = snap(F(got), step), snap(want, step)
    if mine == theirs:
        return
    units = want / step
    on_boundary = abs(units - math.floor(units) - F(1, 2)) <= TIE and abs(mine - theirs) == step
    assert on_boundary, f"{what}: core {got} rounds to {show(mine)}, reference {show(want)} rounds to {show(theirs)}"


def has_reason(answer: PriceAnswer) -> bool:
    """A "no such price" answer carries a non-empty reason."""
    return answer.price_usd is None and isinstance(answer.reason, str) and answer.reason.strip() != ""


# --------------------------------------------------------------------------------------
# The reference: DOMAIN.md in exact rationals. s = +1 long, −1 short; Q = n·S USD.
# --------------------------------------------------------------------------------------


def ref_value(Q: Fraction, P: Fraction) -> Fraction:
    """``V(P) = Q/P`` coin."""
    return Q / P


def ref_pnl_coin(s: int, Q: Fraction, E: Fraction, P: Fraction) -> Fraction:
    """``PnL(P) = s·Q·(1/E − 1/P)`` coin."""
    return s * Q * (1 / E - 1 / P)


def ref_pnl_usd(s: int, Q: Fraction, E: Fraction, P: Fraction) -> Fraction:
    """``s·Q·(P − E)/E`` USD: the coin PnL valued at ``P``."""
    return s * Q * (P - E) / E


def ref_initial_margin(Q: Fraction, E: Fraction, L: Fraction) -> Fraction:
    """``IM = Q/(E·L)`` coin."""
    return Q / (E * L)


def ref_roe_pct(s: int, L: Fraction, E: Fraction, P: Fraction) -> Fraction:
    """``ROE = s·L·(1 − E/P)``, in percent, on the initial margin."""
    return 100 * s * L * (1 - E / P)


def ref_equity(s: int, Q: Fraction, E: Fraction, M: Fraction, P: Fraction) -> Fraction:
    """``M + PnL(P)`` coin."""
    return M + ref_pnl_coin(s, Q, E, P)


def ref_effective_leverage(s: int, Q: Fraction, E: Fraction, M: Fraction, P: Fraction) -> Fraction | None:
    """``V(P)/equity(P)``; none where equity is zero or less."""
    equity = ref_equity(s, Q, E, M, P)
    return None if equity <= 0 else ref_value(Q, P) / equity


def positive_price(numerator: Fraction, denominator: Fraction) -> Fraction | None:
    """``numerator/denominator`` when it is a price; none for a zero denominator or a price ≤ 0."""
    if denominator == 0:
        return None
    price = numerator / denominator
    return price if price > 0 else None


def ref_entry_liquidation(
    s: int, Q: Fraction, E: Fraction, M: Fraction, m: Fraction, d: Fraction = NOTHING, c: Fraction = NOTHING
) -> Fraction | None:
    """Entry family: ``P = s·Q / (M + s·Q/E − m·Q/E + d − c)``."""
    return positive_price(s * Q, M + s * Q / E - m * Q / E + d - c)


def ref_mark_liquidation(
    s: int, Q: Fraction, E: Fraction, M: Fraction, m: Fraction, f: Fraction = NOTHING, d: Fraction = NOTHING
) -> Fraction | None:
    """Mark family: ``P = Q·(s + m + f) / (M + d + s·Q/E)``."""
    return positive_price(Q * (s + m + f), M + d + s * Q / E)


def ref_bankruptcy(s: int, Q: Fraction, E: Fraction, M: Fraction) -> Fraction | None:
    """Equity zero: ``P = s·Q / (M + s·Q/E)``."""
    return positive_price(s * Q, M + s * Q / E)


def ref_bybit_bankruptcy(s: int, Q: Fraction, E: Fraction, M: Fraction, f: Fraction) -> Fraction | None:
    """Equity equals the fee to close: long ``(1 + f)·Q/(Q/E + M)``, short ``(1 − f)·Q/(Q/E − M)``."""
    if s == 1:
        return positive_price((1 + f) * Q, Q / E + M)
    return positive_price((1 - f) * Q, Q / E - M)


def ref_break_even(s: int, Q: Fraction, E: Fraction, fo: Fraction, fc: Fraction, funding: Fraction) -> Fraction | None:
    """``P = Q·(1 + s·fc) / (Q/E·(1 − s·fo) − s·F)``; none where either side is ≤ 0."""
    numerator = Q * (1 + s * fc)
    denominator = Q / E * (1 - s * fo) - s * funding
    if numerator <= 0 or denominator <= 0:
        return None
    return numerator / denominator


def ref_sizing(
    E: Fraction, S: Fraction, n: Fraction | None, M: Fraction | None, L: Fraction | None
) -> tuple[Fraction, Fraction, Fraction] | None:
    """``n·S = E·M·L``: whole contracts ``floor(E·M·L/S)`` (none below one), or ``M``, or ``L``."""
    if n is None:
        assert M is not None and L is not None
        whole = F(math.floor(E * M * L / S))
        return None if whole < 1 else (whole, M, L)
    if M is None:
        assert L is not None
        return n, n * S / (E * L), L
    return n, M, n * S / (E * M)


FAMILIES = [
    (Basis.ENTRY, FeeTreatment.NONE),
    (Basis.ENTRY, FeeTreatment.CLOSE_AT_BANKRUPTCY),
    (Basis.ENTRY, FeeTreatment.ADDED_TO_RATE),
    (Basis.MARK, FeeTreatment.NONE),
    (Basis.MARK, FeeTreatment.ADDED_TO_RATE),
]


def ref_liquidation(
    s: int,
    Q: Fraction,
    E: Fraction,
    M: Fraction,
    m: Fraction,
    d: Fraction,
    f: Fraction,
    basis: Basis,
    treatment: FeeTreatment,
) -> dict[str, Fraction | None]:
    """Bankruptcy, liquidation, maintenance margin and fee to close for one venue rule.

    Entry family: ``MM = m·Q/E − d + c``; Bybit (fee to close at bankruptcy) has
    ``c = f·Q/BP`` with the fee-inclusive BP; BitMEX (fee added to the rate) charges
    ``m + f`` on the entry value. Mark family: ``MM = (m + f)·Q/P − d`` with ``f = 0``
    unless the fee is added to the rate (OKX).
    """
    if treatment is FeeTreatment.CLOSE_AT_BANKRUPTCY:
        bp = ref_bybit_bankruptcy(s, Q, E, M, f)
        fee_to_close = F(0) if bp is None else f * Q / bp
    else:
        bp = ref_bankruptcy(s, Q, E, M)
        fee_to_close = F(0)
    added = f if treatment is FeeTreatment.ADDED_TO_RATE else F(0)
    if basis is Basis.ENTRY:
        lp = ref_entry_liquidation(s, Q, E, M, m + added, d, fee_to_close)
        mm: Fraction | None = (m + added) * Q / E - d + fee_to_close
    else:
        lp = ref_mark_liquidation(s, Q, E, M, m, added, d)
        mm = None if lp is None else (m + added) * Q / lp - d
    return {"bp": bp, "lp": lp, "mm": mm, "fee_to_close": fee_to_close}


# --------------------------------------------------------------------------------------
# Strategies: Decimals built from integers, never from floats.
# --------------------------------------------------------------------------------------


def dec(units: int, places: int) -> Decimal:
    """The exact Decimal ``units·10^−places``."""
    return Decimal(units).scaleb(-places)


def satoshi_up(x: Fraction) -> Decimal:
    """``x`` rounded up to a whole satoshi, as a Decimal (at least one satoshi)."""
    return dec(max(1, math.ceil(x / SATOSHI)), 8)


sides = st.sampled_from([Side.LONG, Side.SHORT])
prices = st.integers(100, 10**9).map(lambda i: dec(i, 2))  # $1 … $10,000,000
contract_counts = st.integers(1, 10**9).map(Decimal)
contract_sizes = st.sampled_from([Decimal(1), Decimal(10), Decimal(100)])
leverages = st.integers(100, 12500).map(lambda i: dec(i, 2))  # 1× … 125×
margins = st.integers(1, 10**13).map(lambda i: dec(i, 8))  # 1 satoshi … 100,000 coin
maintenance_rates = st.one_of(st.integers(0, 5000), st.integers(0, 50000)).map(lambda i: dec(i, 5))  # ≤ 50 %
taker_fees = st.integers(0, 200).map(lambda i: dec(i, 5))  # 0 … 0.2 %
fee_rates = st.integers(-50, 200).map(lambda i: dec(i, 5))  # maker rebate … 0.2 %
deductions = st.one_of(st.just(Decimal(0)), st.integers(0, 10**10).map(lambda i: dec(i, 8)))
fundings = st.one_of(st.just(Decimal(0)), st.integers(-(10**10), 10**10).map(lambda i: dec(i, 8)))


@st.composite
def positions(draw: st.DrawFn, side: Side | None = None) -> Position:
    """Any position: side, whole contracts, a listed contract size, a price in cents."""
    return Position(
        side=draw(sides) if side is None else side,
        contracts=draw(contract_counts),
        contract_size_usd=draw(contract_sizes),
        entry_price_usd=draw(prices),
    )


def size(position: Position) -> Fraction:
    """``Q = n·S`` exactly, from the inputs."""
    return F(position.contracts) * F(position.contract_size_usd)


@st.composite
def backed(draw: st.DrawFn, side: Side | None = None) -> tuple[Position, Decimal]:
    """A position and its collateral: either any amount, or the margin of some leverage."""
    position = draw(positions(side))
    if draw(st.booleans()):
        return position, draw(margins)
    lev = F(draw(leverages))
    return position, satoshi_up(size(position) / (F(position.entry_price_usd) * lev))


# --------------------------------------------------------------------------------------
# The reference checks itself against the definitions, exactly.
# --------------------------------------------------------------------------------------


def test_reference_reproduces_the_nonlinear_table() -> None:
    """DOMAIN §1: 4 contracts of $50 long at $200; per-contract value and PnL, exactly."""
    Q, E = F(4 * 50), F(200)
    rows = {200: (F(1, 4), F(0)), 300: (F(1, 6), F(1, 12)), 400: (F(1, 8), F(1, 8)), 500: (F(1, 10), F(3, 20))}
    for exit_price, (value, gain) in rows.items():
        P = F(exit_price)
        assert ref_value(Q, P) / 4 == value
        assert ref_pnl_coin(1, Q, E, P) / 4 == gain
        assert ref_pnl_usd(1, Q, E, P) == ref_pnl_coin(1, Q, E, P) * P


def test_reference_domain_checks() -> None:
    """DOMAIN §5's worked numbers, from the reference alone."""
    E, L, m = F(2000), F(10), F(5, 1000)
    Q = F(10_000)
    M = ref_initial_margin(Q, E, L)
    assert snap(ref_entry_liquidation(1, Q, E, M, m), CENT) == F(182648, 100)
    assert snap(ref_entry_liquidation(-1, Q, E, M, m), CENT) == F(220994, 100)
    assert ref_entry_liquidation(1, Q, E, M, m) == E * L / (L + 1 - m * L)
    assert ref_entry_liquidation(-1, Q, E, M, m) == E * L / (L - 1 + m * L)
    kraken = ref_mark_liquidation(1, F(1000), F(8000), F(1, 100), F(1, 100))
    assert kraken is not None and snap(kraken, CENT) == F(748148, 100)
    f = F(75, 100_000)
    bp = ref_bybit_bankruptcy(1, F(10_000), F(8000), F(1, 2), f)
    assert bp is not None and snap(bp, CENT) == F(571857, 100)
    lp = ref_entry_liquidation(1, F(10_000), F(8000), F(1, 2), F(5, 1000), c=f * 10_000 / bp)
    assert lp is not None and snap(lp, CENT) == F(573908, 100)
    # 1× long: bankrupt at half the entry; 1× short: never bankrupt, entry family LP = E/m.
    assert ref_bankruptcy(1, Q, E, Q / E) == E / 2
    assert ref_bankruptcy(-1, Q, E, Q / E) is None
    assert ref_mark_liquidation(-1, Q, E, Q / E, m) is None
    assert ref_entry_liquidation(-1, F(10_000), F(8000), F(10_000, 8000), F(5, 1000)) == 1_600_000


@PROPERTY
@given(backed(), maintenance_rates, deductions, taker_fees, st.sampled_from(FAMILIES))
def test_reference_prices_solve_their_equations(
    held: tuple[Position, Decimal], rate: Decimal, deduction: Decimal, fee: Decimal, family: tuple[Basis, FeeTreatment]
) -> None:
    """Exactly: equity at BP is the fee to close (zero without it), at LP the maintenance margin."""
    position, collateral = held
    s, Q, E, M = position.side.sign, size(position), F(position.entry_price_usd), F(collateral)
    basis, treatment = family
    ref = ref_liquidation(s, Q, E, M, F(rate), F(deduction), F(fee), basis, treatment)
    if ref["bp"] is not None:
        assert ref_equity(s, Q, E, M, ref["bp"]) == ref["fee_to_close"]
    if ref["lp"] is not None:
        assert ref_equity(s, Q, E, M, ref["lp"]) == ref["mm"]


@PROPERTY
@given(positions(), fee_rates, fee_rates, fundings)
def test_reference_break_even_nets_zero(position: Position, fo: Decimal, fc: Decimal, funding: Decimal) -> None:
    """Exactly: at the break-even price, PnL − fee to open − fee to close − funding = 0."""
    s, Q, E = position.side.sign, size(position), F(position.entry_price_usd)
    P = ref_break_even(s, Q, E, F(fo), F(fc), F(funding))
    if P is not None:
        assert ref_pnl_coin(s, Q, E, P) - F(fo) * Q / E - F(fc) * Q / P - F(funding) == 0


# --------------------------------------------------------------------------------------
# The core agrees with the reference.
# --------------------------------------------------------------------------------------


@PROPERTY
@given(positions(), prices, leverages)
def test_pnl_matches_reference(position: Position, exit_price: Decimal, lev: Decimal) -> None:
    """Values, PnL in coin and USD, price change, IM and ROE on IM."""
    s, Q, E, P, L = position.side.sign, size(position), F(position.entry_price_usd), F(exit_price), F(lev)
    got = pnl(position, exit_price, leverage=lev)
    agree(got.size_usd, Q, CENT, "size")
    agree(got.exit_price_usd, P, what="exit price")
    agree(got.value_entry_coin, ref_value(Q, E), SATOSHI, "value at entry")
    agree(got.value_exit_coin, ref_value(Q, P), SATOSHI, "value at exit")
    agree(got.pnl_coin, ref_pnl_coin(s, Q, E, P), SATOSHI, "pnl coin")
    agree(got.pnl_usd, ref_pnl_usd(s, Q, E, P), CENT, "pnl usd")
    agree(got.price_change_pct, 100 * (P - E) / E, what="price change %")
    agree(got.initial_margin_coin, ref_initial_margin(Q, E, L), SATOSHI, "initial margin")
    agree(got.margin_coin, ref_initial_margin(Q, E, L), SATOSHI, "margin")
    agree(got.roe_pct, ref_roe_pct(s, L, E, P), what="roe %")
    IM = ref_initial_margin(Q, E, L)
    agree(got.margin_usd_entry, IM * E, CENT, "margin usd at entry")
    agree(got.margin_usd_exit, IM * P, CENT, "margin usd at exit")
    agree(got.equity_coin, ref_equity(s, Q, E, IM, P), SATOSHI, "equity coin")
    agree(got.equity_usd, ref_equity(s, Q, E, IM, P) * P, CENT, "equity usd")


@PROPERTY
@given(backed(), prices)
def test_pnl_on_a_given_margin_matches_reference(held: tuple[Position, Decimal], exit_price: Decimal) -> None:
    """With a margin and no leverage: ROE = PnL/M, equity = M + PnL, no IM."""
    position, collateral = held
    s, Q, E, P, M = position.side.sign, size(position), F(position.entry_price_usd), F(exit_price), F(collateral)
    got = pnl(position, exit_price, margin_coin=collateral)
    assert got.initial_margin_coin is None
    agree(got.margin_coin, M, SATOSHI, "margin")
    agree(got.roe_pct, 100 * ref_pnl_coin(s, Q, E, P) / M, what="roe %")
    agree(got.equity_coin, ref_equity(s, Q, E, M, P), SATOSHI, "equity")
    agree(got.margin_usd_exit, M * P, CENT, "margin usd at exit")


@PROPERTY
@given(positions(), prices)
def test_pnl_without_margin_has_no_margin_fields(position: Position, exit_price: Decimal) -> None:
    got = pnl(position, exit_price)
    assert (got.initial_margin_coin, got.margin_coin, got.roe_pct, got.equity_coin, got.equity_usd) == (None,) * 5
    agree(got.pnl_coin, ref_pnl_coin(position.side.sign, size(position), F(position.entry_price_usd), F(exit_price)))


@PROPERTY
@given(backed(), st.lists(prices, min_size=1, max_size=8))
def test_effective_leverage_matches_reference(held: tuple[Position, Decimal], at: list[Decimal]) -> None:
    """``V(P)/equity(P)``, none where equity ≤ 0: ``Position.effective_leverage`` and ``leverage_drift``."""
    position, collateral = held
    s, Q, E, M = position.side.sign, size(position), F(position.entry_price_usd), F(collateral)
    rows = list(leverage_drift(position, collateral, at))
    assert [row.price_usd for row in rows] == at
    for price, row in zip(at, rows, strict=True):
        P = F(price)
        agree(row.equity_coin, ref_equity(s, Q, E, M, P), SATOSHI, f"equity at {price}")
        if ref_equity(s, Q, E, M, P) == 0:
            continue  # exactly bankrupt: a 50-digit rounding may land either side of zero
        want = ref_effective_leverage(s, Q, E, M, P)
        agree(row.effective_leverage, want, what=f"drift leverage at {price}")
        agree(position.effective_leverage(collateral, price), want, what=f"leverage at {price}")


@pytest.mark.parametrize(("basis", "treatment"), FAMILIES, ids=lambda v: v.value)
@PROPERTY
@given(held=backed(), rate=maintenance_rates, deduction=deductions, fee=taker_fees, cross=st.booleans())
def test_liquidation_matches_reference(
    basis: Basis,
    treatment: FeeTreatment,
    held: tuple[Position, Decimal],
    rate: Decimal,
    deduction: Decimal,
    fee: Decimal,
    cross: bool,
) -> None:
    """BP, LP, maintenance margin, fee to close and distance, or "none" with a reason."""
    position, collateral = held
    s, Q, E, M = position.side.sign, size(position), F(position.entry_price_usd), F(collateral)
    spec = MaintenanceSpec(rate=rate, basis=basis, deduction_coin=deduction, taker_fee=fee, fee_treatment=treatment)
    mode = MarginMode.CROSS if cross else MarginMode.ISOLATED
    got = liquidation(position, collateral, spec, margin_mode=mode)
    ref = ref_liquidation(s, Q, E, M, F(rate), F(deduction), F(fee), basis, treatment)

    assert (got.basis, got.margin_mode) == (basis, mode)
    if fee != 0:  # without a fee every treatment is the same rule
        assert got.fee_treatment is treatment
    assert got.collateral_coin == collateral
    agree(got.bankruptcy.price_usd, ref["bp"], what="bankruptcy price")
    agree(got.liquidation.price_usd, ref["lp"], what="liquidation price")
    agree(got.fee_to_close_coin, ref["fee_to_close"], SATOSHI, "fee to close")
    if ref["mm"] is not None:
        agree(got.maintenance_margin_coin, ref["mm"], SATOSHI, "maintenance margin")
    for answer, want in ((got.bankruptcy, ref["bp"]), (got.liquidation, ref["lp"])):
        if want is None:
            assert has_reason(answer), answer
        else:
            assert answer.reason is None, answer
    lp = ref["lp"]
    agree(got.distance_pct, None if lp is None else 100 * (lp - E) / E, what="distance %")
    if lp is not None and lp != E:
        assert bool(got.warnings) == (s * (lp - E) > 0), got.warnings


def ref_liquidation_usd_deduction(
    s: int, Q: Fraction, E: Fraction, M: Fraction, m: Fraction, d: Fraction, usd: Fraction, basis: Basis
) -> Fraction | None:
    """A deduction of ``usd`` dollars is worth ``usd/P`` coin where it is charged.

    Entry family, charged at entry: the coin deduction becomes ``d + usd/E``. Mark family,
    ``MM = m·Q/P − d − usd/P``: ``M + s·Q/E − s·Q/P = (m·Q − usd)/P − d`` gives
    ``P = (Q·(s + m) − usd) / (M + d + s·Q/E)``.
    """
    if basis is Basis.ENTRY:
        return ref_entry_liquidation(s, Q, E, M, m, d + usd / E)
    return positive_price(Q * (s + m) - usd, M + d + s * Q / E)


@pytest.mark.parametrize("basis", list(Basis), ids=lambda b: b.value)
@PROPERTY
@given(held=backed(), rate=maintenance_rates, deduction=deductions, usd=st.integers(0, 10**9).map(lambda i: dec(i, 2)))
def test_liquidation_with_a_usd_deduction_matches_reference(
    basis: Basis, held: tuple[Position, Decimal], rate: Decimal, deduction: Decimal, usd: Decimal
) -> None:
    position, collateral = held
    s, Q, E, M = position.side.sign, size(position), F(position.entry_price_usd), F(collateral)
    spec = MaintenanceSpec(rate=rate, basis=basis, deduction_coin=deduction, deduction_usd=usd)
    got = liquidation(position, collateral, spec)
    want = ref_liquidation_usd_deduction(s, Q, E, M, F(rate), F(deduction), F(usd), basis)
    agree(got.liquidation.price_usd, want, what="liquidation price")
    if want is None:
        assert has_reason(got.liquidation)
    else:
        at = E if basis is Basis.ENTRY else want  # where the rate and the USD deduction are charged
        mm = (F(rate) * Q - F(usd)) / at - F(deduction)
        assert ref_equity(s, Q, E, M, want) == mm  # the reference solves its own equation
        agree(got.maintenance_margin_coin, mm, SATOSHI, "maintenance margin")


@PROPERTY
@given(positions(), leverages, maintenance_rates)
def test_liquidation_reports_initial_margin_of_the_leverage(position: Position, lev: Decimal, rate: Decimal) -> None:
    Q, E = size(position), F(position.entry_price_usd)
    got = liquidation(position, Decimal(1), MaintenanceSpec(rate=rate), leverage=lev)
    agree(got.initial_margin_coin, ref_initial_margin(Q, E, F(lev)), SATOSHI, "initial margin")
    assert liquidation(position, Decimal(1), MaintenanceSpec(rate=rate)).initial_margin_coin is None


# --------------------------------------------------------------------------------------
# No such price.
# --------------------------------------------------------------------------------------


@st.composite
def covered_shorts(draw: st.DrawFn) -> tuple[Position, Decimal]:
    """A short whose collateral covers ``Q/E`` (``L ≤ 1``); sometimes exactly ``L = 1``."""
    position = draw(positions(Side.SHORT))
    if draw(st.booleans()):
        # Q a whole multiple of the entry in cents: Q/E is exact, and M = Q/E is 1× exactly.
        cents = int(position.entry_price_usd * 100)
        multiple = draw(st.integers(1, 1000))
        position = Position(Side.SHORT, Decimal(cents * multiple), Decimal(1), position.entry_price_usd)
        return position, dec(100 * multiple, 0)
    over = F(draw(st.integers(100, 10_000)), 100)  # 1 … 100 times Q/E
    return position, satoshi_up(size(position) / F(position.entry_price_usd) * over)


@PROPERTY
@given(covered_shorts(), maintenance_rates, deductions, taker_fees)
def test_covered_short_has_no_bankruptcy_price(
    held: tuple[Position, Decimal], rate: Decimal, deduction: Decimal, fee: Decimal
) -> None:
    """DOMAIN §5: ``M ≥ Q/E`` keeps a short's equity positive at every price, fee or no fee."""
    position, collateral = held
    Q, E, M = size(position), F(position.entry_price_usd), F(collateral)
    assert M >= Q / E
    for treatment in (FeeTreatment.NONE, FeeTreatment.CLOSE_AT_BANKRUPTCY, FeeTreatment.ADDED_TO_RATE):
        spec = MaintenanceSpec(rate=rate, deduction_coin=deduction, taker_fee=fee, fee_treatment=treatment)
        got = liquidation(position, collateral, spec)
        want = ref_liquidation(-1, Q, E, M, F(rate), F(deduction), F(fee), Basis.ENTRY, treatment)
        assert want["bp"] is None
        assert has_reason(got.bankruptcy), got.bankruptcy
        assert got.fee_to_close_coin == 0


@PROPERTY
@given(covered_shorts(), maintenance_rates, deductions, taker_fees)
def test_covered_short_is_never_liquidated_in_the_mark_family(
    held: tuple[Position, Decimal], rate: Decimal, deduction: Decimal, fee: Decimal
) -> None:
    """Mark family: equity ``Q/P + (M − Q/E)`` always exceeds ``(m + f)·Q/P − d``."""
    position, collateral = held
    Q, E, M = size(position), F(position.entry_price_usd), F(collateral)
    for treatment in (FeeTreatment.NONE, FeeTreatment.ADDED_TO_RATE):
        spec = MaintenanceSpec(
            rate=rate, basis=Basis.MARK, deduction_coin=deduction, taker_fee=fee, fee_treatment=treatment
        )
        got = liquidation(position, collateral, spec)
        added = F(fee) if treatment is FeeTreatment.ADDED_TO_RATE else F(0)
        assert ref_mark_liquidation(-1, Q, E, M, F(rate), added, F(deduction)) is None
        assert has_reason(got.liquidation), got.liquidation
        assert got.distance_pct is None


@PROPERTY
@given(positions(Side.SHORT), maintenance_rates, st.integers(1, 10_000))
def test_overcovered_short_is_never_liquidated_in_the_entry_family(
    position: Position, rate: Decimal, extra: int
) -> None:
    """Entry family: with ``M > (1 + m)·Q/E`` (``L < 1/(1 + m)``) the denominator is negative: none."""
    Q, E, m = size(position), F(position.entry_price_usd), F(rate)
    collateral = satoshi_up((1 + m) * Q / E * (1 + F(extra, 1000)))
    M = F(collateral)
    assert ref_entry_liquidation(-1, Q, E, M, m) is None
    got = liquidation(position, collateral, MaintenanceSpec(rate=rate))
    assert has_reason(got.liquidation), got.liquidation
    assert has_reason(got.bankruptcy), got.bankruptcy


@PROPERTY
@given(covered_shorts(), st.integers(1, 50_000).map(lambda i: dec(i, 5)))
def test_covered_short_entry_family_liquidates_only_where_the_reference_says(
    held: tuple[Position, Decimal], rate: Decimal
) -> None:
    """Entry family, ``1/(1 + m) ≤ L ≤ 1``: a price far above entry (``E/m`` at 1×), or none."""
    position, collateral = held
    Q, E, M = size(position), F(position.entry_price_usd), F(collateral)
    want = ref_entry_liquidation(-1, Q, E, M, F(rate))
    got = liquidation(position, collateral, MaintenanceSpec(rate=rate))
    agree(got.liquidation.price_usd, want, what="liquidation price")
    if want is None:
        assert has_reason(got.liquidation)
    else:
        assert want > E
        if M == Q / E:
            assert want == E / F(rate)


@PROPERTY
@given(positions(), fee_rates, fee_rates, fundings)
def test_break_even_matches_reference(position: Position, fo: Decimal, fc: Decimal, funding: Decimal) -> None:
    s, Q, E = position.side.sign, size(position), F(position.entry_price_usd)
    want = ref_break_even(s, Q, E, F(fo), F(fc), F(funding))
    got = break_even_price(position, open_fee_rate=fo, close_fee_rate=fc, funding_coin=funding)
    agree(got, want, what="break-even price")


@PROPERTY
@given(positions(), fee_rates, fee_rates, st.integers(0, 10**6))
def test_break_even_none_when_no_price_pays_the_costs(
    position: Position, fo: Decimal, fc: Decimal, extra_satoshi: int
) -> None:
    """A long paying funding ``F ≥ Q/E·(1 − fo)``, or a short receiving ``−F ≥ Q/E·(1 + fo)``: none."""
    s, Q, E = position.side.sign, size(position), F(position.entry_price_usd)
    funding = s * satoshi_up(Q / E * (1 - s * F(fo))) + s * dec(extra_satoshi, 8)
    assert ref_break_even(s, Q, E, F(fo), F(fc), F(funding)) is None
    assert break_even_price(position, open_fee_rate=fo, close_fee_rate=fc, funding_coin=funding) is None


# --------------------------------------------------------------------------------------
# Sizing, ladder, grids.
# --------------------------------------------------------------------------------------


@PROPERTY
@given(
    prices, contract_sizes, contract_counts, margins, leverages, st.sampled_from(["contracts", "margin", "leverage"])
)
def test_solve_sizing_matches_reference(
    entry: Decimal, contract: Decimal, n: Decimal, margin: Decimal, lev: Decimal, missing: str
) -> None:
    given_n = None if missing == "contracts" else n
    given_m = None if missing == "margin" else margin
    given_l = None if missing == "leverage" else lev
    want = ref_sizing(
        F(entry),
        F(contract),
        None if given_n is None else F(given_n),
        None if given_m is None else F(given_m),
        None if given_l is None else F(given_l),
    )
    if want is None:
        with pytest.raises(DomainError):
            solve_sizing(entry, contract, contracts=given_n, margin_coin=given_m, leverage=given_l)
        return
    got = solve_sizing(entry, contract, contracts=given_n, margin_coin=given_m, leverage=given_l)
    assert got.solved == missing
    assert F(got.contracts) == want[0]
    agree(got.margin_coin, want[1], SATOSHI, "margin")
    agree(got.leverage, want[2], what="leverage")


@PROPERTY
@given(prices, contract_sizes, margins, leverages, st.sampled_from([1, 10, 100]).map(Decimal))
def test_solve_sizing_in_lots_matches_reference(
    entry: Decimal, contract: Decimal, margin: Decimal, lev: Decimal, lot: Decimal
) -> None:
    """Contracts in whole lots, rounded down: ``lot·floor(E·M·L/(S·lot))``; fewer than a lot is an error."""
    whole = F(lot) * math.floor(F(entry) * F(margin) * F(lev) / (F(contract) * F(lot)))
    if whole < F(lot):
        with pytest.raises(DomainError):
            solve_sizing(entry, contract, margin_coin=margin, leverage=lev, lot=lot)
        return
    got = solve_sizing(entry, contract, margin_coin=margin, leverage=lev, lot=lot)
    assert F(got.contracts) == whole
    assert (got.margin_coin, got.leverage, got.solved) == (margin, lev, "contracts")


@PROPERTY
@given(prices, contract_sizes, st.sampled_from([(1, 1, 1), (1, None, None), (None, None, 1), (None, None, None)]))
def test_solve_sizing_wants_exactly_two(entry: Decimal, contract: Decimal, pattern: tuple[int | None, ...]) -> None:
    n, m, lev = (None if v is None else Decimal(v) for v in pattern)
    with pytest.raises(DomainError):
        solve_sizing(entry, contract, contracts=n, margin_coin=m, leverage=lev)


@PROPERTY
@given(backed(), st.lists(prices, min_size=1, max_size=10), st.booleans())
def test_ladder_matches_reference(held: tuple[Position, Decimal], at: list[Decimal], with_margin: bool) -> None:
    position, collateral = held
    s, Q, E, M = position.side.sign, size(position), F(position.entry_price_usd), F(collateral)
    rows = list(ladder(position, at, collateral if with_margin else None))
    assert [row.price_usd for row in rows] == at
    previous: Fraction | None = None
    for price, row in zip(at, rows, strict=True):
        P = F(price)
        gain = ref_pnl_coin(s, Q, E, P)
        agree(row.pnl_coin, gain, SATOSHI, f"pnl at {price}")
        agree(row.step_pnl_coin, None if previous is None else gain - previous, SATOSHI, f"step at {price}")
        agree(row.pnl_usd, ref_pnl_usd(s, Q, E, P), CENT, f"pnl usd at {price}")
        previous = gain
        if not with_margin:
            assert (row.roe_pct, row.equity_coin, row.equity_usd, row.effective_leverage) == (None,) * 4
            continue
        agree(row.roe_pct, 100 * gain / M, what=f"roe at {price}")
        agree(row.equity_coin, M + gain, SATOSHI, f"equity at {price}")
        agree(row.equity_usd, (M + gain) * P, CENT, f"equity usd at {price}")
        if M + gain != 0:
            agree(row.effective_leverage, ref_effective_leverage(s, Q, E, M, P), what=f"leverage at {price}")


@PROPERTY
@given(prices, prices, st.integers(1, 200))
def test_grid_by_count_matches_reference(a: Decimal, b: Decimal, intervals: int) -> None:
    start, stop = min(a, b), max(a, b)
    got = list(grid_by_count(start, stop, intervals))
    assert len(got) == intervals + 1
    for k, price in enumerate(got):
        agree(price, F(start) + (F(stop) - F(start)) * k / intervals, CENT / 10**6, f"grid point {k}")


@PROPERTY
@given(prices, st.integers(1, 200), st.integers(1, 10**6).map(lambda i: dec(i, 2)), st.integers(0, 99))
def test_grid_by_step_matches_reference(start: Decimal, count: int, step: Decimal, past: int) -> None:
    """``stop`` between grid points (``past`` hundredths of a step beyond the last): ``count + 1``
    points, then ``stop`` itself after a shorter last step (none when ``past`` is 0)."""
    stop = start + count * step + step * past / 100
    got = list(grid_by_step(start, stop, step))
    want = [F(start) + k * F(step) for k in range(count + 1)]
    assert [F(p) for p in got] == want + ([F(stop)] if past else [])


@PROPERTY
@given(prices, st.integers(1, 10_000), st.integers(1, 1_000))
def test_grid_around_matches_reference(entry: Decimal, pct_hundredths: int, step_hundredths: int) -> None:
    """``E·(1 + k·step/100)`` for ``|k| ≤ pct/step``, leaving out prices ≤ 0."""
    pct, pct_step = dec(pct_hundredths, 2), dec(step_hundredths, 2)
    reach = pct_hundredths // step_hundredths
    want = [F(entry) * (1 + k * F(pct_step) / 100) for k in range(-reach, reach + 1)]
    want = [p for p in want if p > 0]
    got = list(grid_around(entry, pct, pct_step))
    assert len(got) == len(want)
    for k, (price, exact) in enumerate(zip(got, want, strict=True)):
        agree(price, exact, CENT / 10**6, f"grid point {k}")
