"""Properties of the core that follow from the math in DOMAIN.md, checked with hypothesis.

Each expected value comes from the formulas (worked out in exact ``Fraction`` arithmetic
where the core's answer feeds an equation), never from another output of the core.
Identities that hold exactly in the math are checked within a relative tolerance of
1e-30 on the size of the amounts involved: the core keeps 50 digits, so a real error
shows up far above that, and 1/P's rounding far below it. Published numbers are
compared after rounding half-even to cents.
"""

from __future__ import annotations

import math
from decimal import ROUND_CEILING, ROUND_HALF_EVEN, Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from invfut_cli.core import (
    Basis,
    FeeTreatment,
    MaintenanceSpec,
    MarginMode,
    Position,
    Side,
    break_even_price,
    grid_around,
    grid_by_count,
    grid_by_step,
    ladder,
    leverage_drift,
    liquidation,
    pnl,
)

F = Fraction
D = Decimal

#: Relative tolerance for identities that are exact in the math.
REL = F(1, 10**30)

PROPERTY = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def near(got: Fraction | Decimal, want: Fraction | Decimal, scale: Fraction | Decimal) -> bool:
    """``|got − want| ≤ REL·|scale|``: equal up to the core's 50-digit rounding."""
    return abs(F(got) - F(want)) <= REL * abs(F(scale))


def cents(value: Decimal) -> Decimal:
    """Half-even to the cent, as the check numbers in DOMAIN.md are written."""
    return value.quantize(D("0.01"), rounding=ROUND_HALF_EVEN)


def dec(units: int, places: int) -> Decimal:
    """The exact Decimal ``units·10^−places``."""
    return Decimal(units).scaleb(-places)


def satoshi_up(x: Fraction) -> Decimal:
    """``x`` rounded up to a whole satoshi (at least one), as a Decimal."""
    return dec(max(1, math.ceil(x * 10**8)), 8)


sides = st.sampled_from([Side.LONG, Side.SHORT])
prices = st.integers(100, 10**9).map(lambda i: dec(i, 2))  # $1 … $10,000,000
contract_counts = st.integers(1, 10**9).map(Decimal)
contract_sizes = st.sampled_from([D(1), D(10), D(100)])
leverages = st.integers(100, 12500).map(lambda i: dec(i, 2))  # 1× … 125×
margins = st.integers(1, 10**13).map(lambda i: dec(i, 8))  # 1 satoshi … 100,000 coin
maintenance_rates = st.integers(0, 50000).map(lambda i: dec(i, 5))  # 0 … 50 %
taker_fees = st.integers(0, 200).map(lambda i: dec(i, 5))  # 0 … 0.2 %
deductions = st.one_of(st.just(D(0)), st.integers(0, 10**10).map(lambda i: dec(i, 8)))


@st.composite
def positions(draw: st.DrawFn, side: Side | None = None) -> Position:
    return Position(
        side=draw(sides) if side is None else side,
        contracts=draw(contract_counts),
        contract_size_usd=draw(contract_sizes),
        entry_price_usd=draw(prices),
    )


def mirror(position: Position) -> Position:
    """The same position on the other side."""
    other = Side.SHORT if position.side is Side.LONG else Side.LONG
    return Position(other, position.contracts, position.contract_size_usd, position.entry_price_usd)


def size(position: Position) -> Fraction:
    """``Q = n·S``, exactly."""
    return F(position.contracts) * F(position.contract_size_usd)


def equity(position: Position, collateral: Decimal | Fraction, price: Decimal | Fraction) -> Fraction:
    """``M + s·Q·(1/E − 1/P)``, exactly."""
    Q, E, P = size(position), F(position.entry_price_usd), F(price)
    return F(collateral) + position.side.sign * Q * (1 / E - 1 / P)


@st.composite
def backed(draw: st.DrawFn, side: Side | None = None) -> tuple[Position, Decimal]:
    """A position and its collateral: any amount, or the margin of some leverage."""
    position = draw(positions(side))
    if draw(st.booleans()):
        return position, draw(margins)
    lev = F(draw(leverages))
    return position, satoshi_up(size(position) / (F(position.entry_price_usd) * lev))


# --------------------------------------------------------------------------------------
# PnL
# --------------------------------------------------------------------------------------


@PROPERTY
@given(positions(), prices)
def test_long_pnl_is_minus_short_pnl(position: Position, exit_price: Decimal) -> None:
    Q, E, P = size(position), F(position.entry_price_usd), F(exit_price)
    other = mirror(position)
    assert near(position.pnl_coin(exit_price) + other.pnl_coin(exit_price), 0, Q / E + Q / P)
    assert near(position.pnl_usd(exit_price) + other.pnl_usd(exit_price), 0, Q * P / E)
    mine, theirs = pnl(position, exit_price), pnl(other, exit_price)
    assert near(mine.pnl_coin, -F(theirs.pnl_coin), Q / E + Q / P)


@PROPERTY
@given(positions(), st.integers(100, 10**8).map(lambda i: dec(i, 2)), st.integers(1, 10**7).map(lambda i: dec(i, 2)))
def test_usd_pnl_is_linear_and_coin_pnl_is_concave(position: Position, low: Decimal, step: Decimal) -> None:
    """Three equally spaced exits: equal USD differences; a long's coin gains shrink, a short's grow."""
    Q, E = size(position), F(position.entry_price_usd)
    at = [low, low + step, low + 2 * step]
    usd = [F(position.pnl_usd(p)) for p in at]
    coin = [F(position.pnl_coin(p)) for p in at]
    assert near(usd[1] - usd[0], usd[2] - usd[1], Q * F(at[2]) / E)
    first, second = coin[1] - coin[0], coin[2] - coin[1]
    if position.side is Side.LONG:
        assert first > second > 0
    else:
        assert first < second < 0


@PROPERTY
@given(prices, st.integers(1, 10**6).map(lambda i: dec(i, 2)), contract_sizes)
def test_a_short_of_the_coin_held_is_a_dollar_hedge(entry: Decimal, exit_price: Decimal, contract: Decimal) -> None:
    """DOMAIN §2: shorting ``Q = H·E`` against ``H`` coin keeps ``(H + PnL)·P = H·E`` at every ``P``."""
    held = D(3)
    n = held * entry / contract  # Q = H·E exactly; contracts need not be whole for the identity
    short = Position(Side.SHORT, n, contract, entry)
    assert near((F(held) + F(short.pnl_coin(exit_price))) * F(exit_price), F(held) * F(entry), F(held) * F(entry))


def test_roe_at_10x_on_a_10_percent_rise() -> None:
    """DOMAIN §2: at 10× a 10 % rise gives a long 90.909…%, not 100 %."""
    got = pnl(Position(Side.LONG, D(1000), D(1), D(8000)), D(8800), leverage=D(10))
    assert got.roe_pct is not None and got.roe_pct.quantize(D("0.000001")) == D("90.909091")


# --------------------------------------------------------------------------------------
# Bankruptcy and liquidation: the prices solve their equations.
# --------------------------------------------------------------------------------------


@PROPERTY
@given(backed(), maintenance_rates, deductions)
def test_equity_at_the_bankruptcy_price_is_zero(held: tuple[Position, Decimal], rate: Decimal, d: Decimal) -> None:
    position, collateral = held
    Q, E = size(position), F(position.entry_price_usd)
    got = liquidation(position, collateral, MaintenanceSpec(rate=rate, deduction_coin=d)).bankruptcy.price_usd
    if position.side is Side.LONG:
        assert got is not None, "a long always has a bankruptcy price"
    if got is not None:
        assert got > 0
        assert near(equity(position, collateral, got), 0, F(collateral) + Q / E + Q / F(got))


@PROPERTY
@given(backed(), maintenance_rates, taker_fees)
def test_equity_at_bybit_bankruptcy_price_is_the_fee_to_close(
    held: tuple[Position, Decimal], rate: Decimal, fee: Decimal
) -> None:
    """Bybit cross: equity at BP pays the taker fee to close there, ``f·Q/BP``."""
    position, collateral = held
    Q, E = size(position), F(position.entry_price_usd)
    spec = MaintenanceSpec(rate=rate, taker_fee=fee, fee_treatment=FeeTreatment.CLOSE_AT_BANKRUPTCY)
    result = liquidation(position, collateral, spec, margin_mode=MarginMode.CROSS)
    bp = result.bankruptcy.price_usd
    if position.side is Side.LONG:
        assert bp is not None
    if bp is not None:
        scale = F(collateral) + Q / E + Q / F(bp)
        assert near(equity(position, collateral, bp), F(fee) * Q / F(bp), scale)
        assert near(result.fee_to_close_coin, F(fee) * Q / F(bp), scale)


ENTRY_RULES = [FeeTreatment.NONE, FeeTreatment.CLOSE_AT_BANKRUPTCY, FeeTreatment.ADDED_TO_RATE]


@pytest.mark.parametrize("treatment", ENTRY_RULES, ids=lambda t: t.value)
@PROPERTY
@given(held=backed(), rate=maintenance_rates, d=deductions, fee=taker_fees)
def test_equity_at_entry_family_liquidation_is_maintenance_margin(
    treatment: FeeTreatment, held: tuple[Position, Decimal], rate: Decimal, d: Decimal, fee: Decimal
) -> None:
    """Entry family: ``equity(LP) = m·Q/E − d + c``; ``c = f·Q/BP`` (Bybit) or ``m + f`` on entry (BitMEX)."""
    position, collateral = held
    Q, E = size(position), F(position.entry_price_usd)
    spec = MaintenanceSpec(rate=rate, deduction_coin=d, taker_fee=fee, fee_treatment=treatment)
    result = liquidation(position, collateral, spec)
    lp, bp = result.liquidation.price_usd, result.bankruptcy.price_usd
    if position.side is Side.LONG:
        assert lp is not None, "a long always has a liquidation price"
    if lp is None:
        return
    assert lp > 0
    m = F(rate) + (F(fee) if treatment is FeeTreatment.ADDED_TO_RATE else 0)
    c = F(fee) * Q / F(bp) if treatment is FeeTreatment.CLOSE_AT_BANKRUPTCY and bp is not None else F(0)
    maintenance = m * Q / E - F(d) + c
    scale = F(collateral) + Q / E + Q / F(lp) + F(d)
    assert near(equity(position, collateral, lp), maintenance, scale)
    assert near(result.maintenance_margin_coin, maintenance, scale)


@pytest.mark.parametrize("treatment", [FeeTreatment.NONE, FeeTreatment.ADDED_TO_RATE], ids=lambda t: t.value)
@PROPERTY
@given(held=backed(), rate=maintenance_rates, d=deductions, fee=taker_fees)
def test_equity_at_mark_family_liquidation_is_maintenance_margin(
    treatment: FeeTreatment, held: tuple[Position, Decimal], rate: Decimal, d: Decimal, fee: Decimal
) -> None:
    """Mark family: ``equity(LP) = (m + f)·Q/LP − d``, ``f`` only where the fee is added to the rate."""
    position, collateral = held
    Q, E = size(position), F(position.entry_price_usd)
    spec = MaintenanceSpec(rate=rate, basis=Basis.MARK, deduction_coin=d, taker_fee=fee, fee_treatment=treatment)
    result = liquidation(position, collateral, spec)
    lp = result.liquidation.price_usd
    if position.side is Side.LONG:
        assert lp is not None, "a long always has a liquidation price"
    if lp is None:
        return
    assert lp > 0
    f = F(fee) if treatment is FeeTreatment.ADDED_TO_RATE else F(0)
    maintenance = (F(rate) + f) * Q / F(lp) - F(d)
    scale = F(collateral) + Q / E + Q / F(lp) + F(d)
    assert near(equity(position, collateral, lp), maintenance, scale)
    assert near(result.maintenance_margin_coin, maintenance, scale)


@pytest.mark.parametrize("basis", list(Basis), ids=lambda b: b.value)
@PROPERTY
@given(
    position=positions(),
    levs=st.lists(st.integers(101, 12500), min_size=2, max_size=2, unique=True).map(sorted),
    rate=st.integers(0, 500).map(lambda i: dec(i, 5)),
)
def test_liquidation_price_moves_toward_entry_as_leverage_rises(
    basis: Basis, position: Position, levs: list[int], rate: Decimal
) -> None:
    """``m ≤ 0.5 %``, ``1 < L ≤ 125`` (so ``m·L < 1``): a long's LP rises to E, a short's falls to E."""
    low, high = (dec(v, 2) for v in levs)
    spec = MaintenanceSpec(rate=rate, basis=basis)
    lps = []
    for lev in (low, high):
        margin = position.initial_margin_coin(lev)
        lp = liquidation(position, margin, spec, leverage=lev).liquidation.price_usd
        assert lp is not None, f"no LP at {lev}×"
        lps.append(lp)
    entry = position.entry_price_usd
    if position.side is Side.LONG:
        assert lps[0] < lps[1] < entry
    else:
        assert lps[0] > lps[1] > entry


# --------------------------------------------------------------------------------------
# 1× edge cases (DOMAIN §5)
# --------------------------------------------------------------------------------------


@PROPERTY
@given(positions(Side.LONG))
def test_a_1x_long_is_bankrupt_at_half_the_entry(position: Position) -> None:
    margin = position.initial_margin_coin(D(1))
    bp = liquidation(position, margin, MaintenanceSpec(rate=D("0.005"))).bankruptcy.price_usd
    assert bp is not None
    E = F(position.entry_price_usd)
    assert near(bp, E / 2, E)


@PROPERTY
@given(prices, st.integers(1, 1000))
def test_a_1x_long_with_exact_margin_is_bankrupt_at_exactly_half(entry: Decimal, multiple: int) -> None:
    """With ``Q/E`` a whole number of coins, nothing is rounded: ``BP = E/2`` to the last digit."""
    position = Position(Side.LONG, entry * 100 * multiple, D(1), entry)
    bp = liquidation(position, D(100 * multiple), MaintenanceSpec(rate=D(0))).bankruptcy.price_usd
    assert bp is not None and F(bp) == F(entry) / 2


@st.composite
def one_x_or_less_shorts(draw: st.DrawFn) -> tuple[Position, Decimal]:
    """A short with ``L ≤ 1``: margin from the core at ``L = 1`` or below, or exactly ``Q/E``."""
    position = draw(positions(Side.SHORT))
    choice = draw(st.sampled_from(["1x", "below", "exact"]))
    if choice == "1x":
        return position, position.initial_margin_coin(D(1))
    if choice == "below":
        return position, position.initial_margin_coin(dec(draw(st.integers(1, 99)), 2))
    entry = position.entry_price_usd
    multiple = draw(st.integers(1, 1000))
    return Position(Side.SHORT, entry * 100 * multiple, D(1), entry), D(100 * multiple)


@PROPERTY
@given(one_x_or_less_shorts(), maintenance_rates, taker_fees)
def test_a_short_at_1x_or_less_has_no_bankruptcy_price(
    held: tuple[Position, Decimal], rate: Decimal, fee: Decimal
) -> None:
    position, margin = held
    for treatment in (FeeTreatment.NONE, FeeTreatment.CLOSE_AT_BANKRUPTCY):
        spec = MaintenanceSpec(rate=rate, taker_fee=fee, fee_treatment=treatment)
        answer = liquidation(position, margin, spec).bankruptcy
        assert answer.price_usd is None and answer.reason, (treatment, answer)


@PROPERTY
@given(one_x_or_less_shorts(), maintenance_rates, taker_fees, deductions)
def test_a_short_at_1x_or_less_has_no_mark_family_liquidation_price(
    held: tuple[Position, Decimal], rate: Decimal, fee: Decimal, d: Decimal
) -> None:
    position, margin = held
    spec = MaintenanceSpec(rate=rate, basis=Basis.MARK, deduction_coin=d, taker_fee=fee)
    answer = liquidation(position, margin, spec).liquidation
    assert answer.price_usd is None and answer.reason, answer


@PROPERTY
@given(positions(Side.SHORT), st.integers(1, 50_000).map(lambda i: dec(i, 5)))
def test_a_1x_short_liquidates_at_entry_over_m_in_the_entry_family(position: Position, rate: Decimal) -> None:
    """Entry family: equity ``Q/P`` falls to the fixed ``m·Q/E`` at ``P = E/m``."""
    margin = position.initial_margin_coin(D(1))
    lp = liquidation(position, margin, MaintenanceSpec(rate=rate)).liquidation.price_usd
    want = F(position.entry_price_usd) / F(rate)
    assert lp is not None and near(lp, want, want)


# --------------------------------------------------------------------------------------
# DOMAIN.md's worked checks
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("side", "expected"), [(Side.LONG, D("1826.48")), (Side.SHORT, D("2209.94"))])
def test_domain_entry_family_check(side: Side, expected: Decimal) -> None:
    """``E = 2000``, ``L = 10``, ``m = 0.5 %``, isolated, no fees."""
    position = Position(side, D(10_000), D(1), D(2000))
    margin = position.initial_margin_coin(D(10))
    lp = liquidation(position, margin, MaintenanceSpec(rate=D("0.005")), leverage=D(10)).liquidation.price_usd
    assert lp is not None and cents(lp) == expected


def test_domain_kraken_check() -> None:
    """Kraken: long 1000 contracts at 8000, 0.01 BTC margin, ``m = 1 %`` on the mark: 7481.48."""
    position = Position(Side.LONG, D(1000), D(1), D(8000))
    lp = liquidation(position, D("0.01"), MaintenanceSpec(rate=D("0.01"), basis=Basis.MARK)).liquidation.price_usd
    assert lp is not None and cents(lp) == D("7481.48")


def test_domain_bybit_cross_check() -> None:
    """Bybit cross: 0.5 BTC, long 10,000 at 8000, ``m = 0.5 %``, ``f = 0.075 %``: BP 5718.57, LP 5739.08."""
    position = Position(Side.LONG, D(10_000), D(1), D(8000))
    spec = MaintenanceSpec(rate=D("0.005"), taker_fee=D("0.00075"), fee_treatment=FeeTreatment.CLOSE_AT_BANKRUPTCY)
    result = liquidation(position, D("0.5"), spec, margin_mode=MarginMode.CROSS)
    bp, lp = result.bankruptcy.price_usd, result.liquidation.price_usd
    assert bp is not None and cents(bp) == D("5718.57")
    assert lp is not None and cents(lp) == D("5739.08")
    # Bybit shows a long's LP rounded up to its 0.5 tick.
    assert (lp / D("0.5")).to_integral_value(rounding=ROUND_CEILING) * D("0.5") == D("5739.5")


def test_domain_1x_short_entry_family_check() -> None:
    """A 1× short at 8000 with ``m = 0.5 %``: LP 1,600,000 in the entry family, none on the mark."""
    position = Position(Side.SHORT, D(10_000), D(1), D(8000))
    margin = position.initial_margin_coin(D(1))
    entry = liquidation(position, margin, MaintenanceSpec(rate=D("0.005")))
    assert entry.liquidation.price_usd == D(1_600_000)
    assert entry.bankruptcy.price_usd is None and entry.bankruptcy.reason
    mark = liquidation(position, margin, MaintenanceSpec(rate=D("0.005"), basis=Basis.MARK))
    assert mark.liquidation.price_usd is None and mark.liquidation.reason


def test_domain_1x_long_check() -> None:
    position = Position(Side.LONG, D(10_000), D(1), D(8000))
    result = liquidation(position, position.initial_margin_coin(D(1)), MaintenanceSpec(rate=D("0.005")))
    assert result.bankruptcy.price_usd == D(4000)


# --------------------------------------------------------------------------------------
# Ladder and grids
# --------------------------------------------------------------------------------------


def test_ladder_reproduces_the_nonlinear_table() -> None:
    """DOMAIN §1: 4 contracts of $50 long at $200, exits 200 … 500 by 100."""
    position = Position(Side.LONG, D(4), D(50), D(200))
    rows = list(ladder(position, grid_by_step(D(200), D(500), D(100))))
    assert [r.price_usd for r in rows] == [D(200), D(300), D(400), D(500)]
    per_contract = [F(0), F(1, 12), F(1, 8), F(3, 20)]
    steps = [None, F(1, 12), F(1, 24), F(1, 40)]
    for row, gain, step in zip(rows, per_contract, steps, strict=True):
        assert near(F(row.pnl_coin) / 4, gain, 1)
        if step is None:
            assert row.step_pnl_coin is None
        else:
            assert row.step_pnl_coin is not None and near(F(row.step_pnl_coin) / 4, step, 1)


@PROPERTY
@given(
    positions(),
    st.integers(100, 10**8).map(lambda i: dec(i, 2)),
    st.integers(1, 10**6).map(lambda i: dec(i, 2)),
    st.integers(2, 30),
    st.booleans(),
)
def test_ladder_step_gains_shrink_for_a_long(
    position: Position, start: Decimal, step: Decimal, count: int, by_count: bool
) -> None:
    """On an evenly spaced grid a long's coin gains shrink step by step; a short's losses do too."""
    stop = start + count * step
    grid = grid_by_count(start, stop, count) if by_count else grid_by_step(start, stop, step)
    rows = list(ladder(position, grid))
    assert len(rows) == count + 1
    assert rows[0].step_pnl_coin is None
    gains = [row.step_pnl_coin for row in rows[1:] if row.step_pnl_coin is not None]
    assert len(gains) == count
    if position.side is Side.LONG:
        assert all(g > 0 for g in gains)
        assert all(a > b for a, b in zip(gains, gains[1:], strict=False))
    else:
        assert all(g < 0 for g in gains)
        assert all(a < b for a, b in zip(gains, gains[1:], strict=False))
    total = sum(F(g) for g in gains)
    Q, E, P0, Pn = size(position), F(position.entry_price_usd), F(start), F(stop)
    assert near(total, F(rows[-1].pnl_coin) - F(rows[0].pnl_coin), Q / E + Q / P0)
    assert near(F(rows[-1].pnl_coin), position.side.sign * Q * (1 / E - 1 / Pn), Q / E + Q / Pn)


@st.composite
def step_grids(draw: st.DrawFn) -> tuple[Decimal, Decimal, Decimal, bool]:
    """``start``, ``stop``, ``step`` and whether ``stop`` falls on the grid (up to 300 steps)."""
    start = draw(prices)
    step_units = draw(st.integers(1, 10**7))
    rest = draw(st.one_of(st.just(0), st.integers(0, step_units - 1)))
    span_units = draw(st.integers(0, 300)) * step_units + rest
    return start, start + dec(span_units, 2), dec(step_units, 2), rest == 0


@PROPERTY
@given(step_grids())
def test_grid_by_step_is_increasing_and_stops_at_stop(case: tuple[Decimal, Decimal, Decimal, bool]) -> None:
    start, stop, step, on_grid = case
    grid = list(grid_by_step(start, stop, step))
    assert grid[0] == start and grid[-1] == stop
    assert all(b - a == step for a, b in zip(grid[:-1], grid[1:-1], strict=False))
    assert 0 < grid[-1] - grid[-2] <= step if len(grid) > 1 else start == stop
    assert (len(grid) == 1 or grid[-1] - grid[-2] == step) == on_grid


@PROPERTY
@given(prices, prices, st.integers(1, 300))
def test_grid_by_count_is_increasing_from_start_to_stop(a: Decimal, b: Decimal, intervals: int) -> None:
    assume(a != b)
    start, stop = min(a, b), max(a, b)
    grid = list(grid_by_count(start, stop, intervals))
    assert len(grid) == intervals + 1
    assert grid[0] == start and grid[-1] == stop
    assert all(x < y for x, y in zip(grid, grid[1:], strict=False))
    width = (F(stop) - F(start)) / intervals
    assert all(near(F(y) - F(x), width, stop) for x, y in zip(grid, grid[1:], strict=False))


@PROPERTY
@given(prices, st.integers(1, 20_000), st.integers(1, 2_000))
def test_grid_around_is_increasing_and_centred_on_entry(entry: Decimal, pct_h: int, step_h: int) -> None:
    pct, pct_step = dec(pct_h, 2), dec(step_h, 2)
    assume(pct_h // step_h <= 500)
    grid = list(grid_around(entry, pct, pct_step))
    assert entry in grid
    assert all(p > 0 for p in grid)
    assert all(x < y for x, y in zip(grid, grid[1:], strict=False))
    E, reach = F(entry), pct_h // step_h
    assert F(grid[-1]) <= E * (1 + F(pct) / 100)
    assert near(F(grid[-1]), E * (1 + reach * F(pct_step) / 100), E)
    below = sum(1 for k in range(1, reach + 1) if k * step_h < 10_000)  # kept while above zero
    assert len(grid) == below + 1 + reach
    assert grid[below] == entry
    for k in range(1, below + 1):  # mirror images about the entry
        assert near(F(grid[below - k]) + F(grid[below + k]), 2 * E, E)


# --------------------------------------------------------------------------------------
# Break-even and leverage
# --------------------------------------------------------------------------------------


@PROPERTY
@given(positions())
def test_break_even_without_fees_is_the_entry(position: Position) -> None:
    got = break_even_price(position)
    E = F(position.entry_price_usd)
    assert got is not None and near(got, E, E)


@PROPERTY
@given(positions(), st.integers(1, 200).map(lambda i: dec(i, 5)))
def test_fees_push_break_even_away_from_entry(position: Position, fee: Decimal) -> None:
    """Paying fees, a long needs a higher exit, a short a lower one."""
    got = break_even_price(position, open_fee_rate=fee, close_fee_rate=fee)
    assert got is not None
    assert (got - position.entry_price_usd) * position.side.sign > 0


@PROPERTY
@given(backed())
def test_effective_leverage_at_entry_is_q_over_e_m(held: tuple[Position, Decimal]) -> None:
    position, collateral = held
    (row,) = leverage_drift(position, collateral, [position.entry_price_usd])
    want = size(position) / (F(position.entry_price_usd) * F(collateral))
    assert row.effective_leverage is not None and near(row.effective_leverage, want, want)
    assert near(row.equity_coin, collateral, collateral)


@PROPERTY
@given(backed(Side.LONG), prices, prices)
def test_a_long_s_leverage_grows_as_the_price_falls(held: tuple[Position, Decimal], a: Decimal, b: Decimal) -> None:
    """DOMAIN §2: a falling price raises ``V`` and lowers equity at once."""
    position, collateral = held
    low, high = min(a, b), max(a, b)
    assume(low < high and equity(position, collateral, low) > 0)
    rows = list(leverage_drift(position, collateral, [low, high]))
    assert rows[0].effective_leverage is not None and rows[1].effective_leverage is not None
    assert rows[0].effective_leverage > rows[1].effective_leverage
