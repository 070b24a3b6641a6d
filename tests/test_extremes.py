"""Numeric extremes: prices from 1e-8 to 1e12, contracts up to 1e15, leverage 0.01 to 1000.

Over the whole range the commands give exact answers, checked against a
``fractions.Fraction`` reference after rounding to the documented output steps (docs/REFERENCE.md,
"JSON output": coin amounts to the satoshi, half-even; percentages and leverage to 0.01;
prices and USD amounts to 0.01 or the input's places; liquidation and bankruptcy prices
toward safety, a long's up and a short's down). Never an internal error, never a JSON
number with an exponent, never a wrong sign. Outside the range, a clear error (exit 2)
that names the option.
"""

from __future__ import annotations

import decimal
import json
import math
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from conftest import Run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from invfut_cli.exitcodes import ExitCode

D = Decimal
F = Fraction
MIN_PRICE, MAX_PRICE = D("1e-8"), D(10**12)
MAX_CONTRACTS = 10**15
MIN_LEVERAGE, MAX_LEVERAGE = D("0.01"), D(1000)
#: Wide enough for every number here exactly (10^27 coin to the satoshi is 36 digits).
WIDE = decimal.Context(prec=200, Emax=10_000, Emin=-10_000)
EXPONENT = re.compile(r"\d[eE][+-]?\d")
NEGATIVE_ZERO = re.compile(r"-0(\.0+)?(?![\d.])")

SATOSHI = F(1, 10**8)

#: Examples run and known bugs met, by test (printed by the last test; run with -s).
TALLY: Counter[str] = Counter()


@pytest.fixture
def run(cli: Callable[..., Run]) -> Iterator[Callable[..., Run]]:
    """The ``cli`` fixture in a fresh default decimal context (as a new process has: an
    earlier in-process test, such as a batch run, may have left another one behind)."""
    previous = decimal.getcontext()
    decimal.setcontext(decimal.Context())
    yield cli
    decimal.setcontext(previous)


# --- the reference ----------------------------------------------------------------------------


def places_of(text: str) -> int:
    exponent = D(text).as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def price_places(*prices: str) -> int:
    """Places for prices and USD amounts: at least 2, the inputs' if more, at most 8."""
    return min(8, max(2, *(places_of(p) for p in prices)))


def nearest(value: Fraction, places: int) -> Decimal:
    """``value`` to ``10^-places``, half-even (``round`` of a Fraction is half-even)."""
    return D(round(value * 10**places)).scaleb(-places, context=WIDE)


def near(value: Fraction, places: int) -> set[Decimal]:
    """What "nearest" allows for a percentage or a leverage: the nearest step, or either
    neighbour at an exact tie (the reference says nearest, not how ties go, for these)."""
    scaled = value * 10**places
    if scaled - math.floor(scaled) == F(1, 2):
        return {D(n).scaleb(-places, context=WIDE) for n in (math.floor(scaled), math.ceil(scaled))}
    return {nearest(value, places)}


def assert_nearest(shown: Decimal, exact: Fraction, places: int, what: Any) -> None:
    """``shown`` is ``exact`` to ``10^-places``, half-even (an exact tie included: coin amounts
    round half-even, the reference)."""
    expected = nearest(exact, places)
    assert shown == expected, f"{what}: {shown} != {expected}"


def assert_safe_price(shown: Decimal, exact: Fraction, step: Fraction, long: bool, what: Any) -> None:
    """A liquidation or bankruptcy price: ``exact`` toward safety (a long's up, a short's down)
    to ``step`` (``--tick`` or the price step). A short's price below one step is shown to the
    satoshi instead (rounded down), and one below a satoshi finer still: never as 0."""
    units = math.ceil(exact / step) if long else math.floor(exact / step)
    expected = units * step
    if expected == 0:  # a short's price below one step
        expected = math.floor(exact / SATOSHI) * SATOSHI
    if expected == 0:  # below one satoshi: still rounded down, and within a satoshi of it
        assert 0 < F(shown) <= exact and exact - F(shown) < SATOSHI, (what, shown, exact)
    else:
        assert F(shown) == expected, (what, shown, exact, expected)
    assert shown > 0, (what, shown)


def bankruptcy(s: int, q: Fraction, e: Fraction, m: Fraction) -> Fraction | None:
    """Equity ``M + s·Q·(1/E − 1/P)`` is zero: ``P = s·Q/(M + s·Q/E)``, where positive."""
    denominator = m + s * q / e
    if denominator == 0:
        return None
    price = s * q / denominator
    return price if price > 0 else None


def liquidation(s: int, q: Fraction, e: Fraction, m: Fraction, rate: Fraction, basis: str) -> Fraction | None:
    """Equity meets the maintenance margin: ``rate·Q/E`` (entry basis) or ``rate·Q/P`` (mark basis)."""
    if basis == "entry":
        numerator, denominator = s * q, m + (s - rate) * q / e
    else:
        numerator, denominator = (s + rate) * q, m + s * q / e
    if denominator == 0 or numerator == 0:
        return None
    price = numerator / denominator
    return price if price > 0 else None


def parse(run: Run) -> Any:
    assert run.exit_code == ExitCode.OK, run.stderr
    assert run.stderr == ""
    assert not EXPONENT.search(run.stdout), f"an exponent in the JSON: {EXPONENT.search(run.stdout)}"
    assert not NEGATIVE_ZERO.search(run.stdout), f"a negative zero in the JSON: {NEGATIVE_ZERO.search(run.stdout)}"
    return json.loads(run.stdout, parse_float=D, parse_int=D)


def coin_text(value: Decimal) -> None:
    """Coin amounts are written to the satoshi: 8 places."""
    assert value.as_tuple().exponent == -8, value


# --- values over the whole range ----------------------------------------------------------------


def _scaled(lo: Decimal, hi: Decimal, digits: int, exponents: tuple[int, int]) -> st.SearchStrategy[Decimal]:
    """Decimals of up to ``digits`` significant digits, log-uniform over ``[lo, hi]``."""
    return (
        st.builds(lambda m, e: D(m).scaleb(e), st.integers(1, 10**digits - 1), st.integers(*exponents))
        .filter(lambda d: lo <= d <= hi)
        .map(lambda d: d.normalize())
    )


def text(value: Decimal) -> str:
    return format(value, "f")


#: Prices on the satoshi grid (at most 8 places), so that every rule of places agrees.
PRICES = st.one_of(
    _scaled(MIN_PRICE, MAX_PRICE, 4, (-8, 12)),
    st.sampled_from([MIN_PRICE, MAX_PRICE, D("8000"), D("0.5")]),
).map(text)
CONTRACTS = st.one_of(
    st.builds(lambda m, e: m * 10**e, st.integers(1, 999), st.integers(0, 13)).filter(lambda n: n <= MAX_CONTRACTS),
    st.sampled_from([1, MAX_CONTRACTS]),
).map(str)
LEVERAGES = st.one_of(
    _scaled(MIN_LEVERAGE, MAX_LEVERAGE, 4, (-2, 3)),
    st.sampled_from([MIN_LEVERAGE, MAX_LEVERAGE, D(1), D(10)]),
).map(text)
SIDES = st.sampled_from(["long", "short"])
SIZES = st.sampled_from(["1", "10", "100", "1000000"])

SETTINGS = settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


# --- pnl --------------------------------------------------------------------------------------------


@SETTINGS
@given(side=SIDES, entry=PRICES, exit_=PRICES, contracts=CONTRACTS, size=SIZES, leverage=LEVERAGES)
def test_pnl_is_exact_over_the_range(
    run: Callable[..., Run], side: str, entry: str, exit_: str, contracts: str, size: str, leverage: str
) -> None:
    TALLY["pnl"] += 1
    argv = ["pnl", "--side", side, "--entry", entry, "--exit", exit_, "--contracts", contracts]
    s = 1 if side == "long" else -1
    e, x, q, lev = F(D(entry)), F(D(exit_)), F(int(contracts) * int(size)), F(D(leverage))
    places = price_places(entry, exit_)
    pnl = s * q * (1 / e - 1 / x)
    margin = q / (e * lev)
    out = parse(run(*argv, "--contract-size", size, "--leverage", leverage, "--json"))

    assert_nearest(out["pnl"], pnl, 8, "pnl")
    assert out["value_entry"] == nearest(q / e, 8) and out["value_exit"] == nearest(q / x, 8)
    assert out["pnl_usd"] == nearest(s * q * (x - e) / e, places)
    assert out["price_change_pct"] in near(100 * (x - e) / e, 2)
    assert out["initial_margin"] == nearest(margin, 8) == out["collateral"]
    assert out["roe_pct"] in near(100 * pnl / margin, 2)
    assert_nearest(out["equity"], margin + pnl, 8, "equity")
    assert out["margin_usd_entry"] == nearest(q / lev, places)
    # The margin and the equity valued at the exit (up to 52 digits at the corner of the range).
    assert out["margin_usd_exit"] in near(margin * x, places)
    assert out["equity_usd"] in near((margin + pnl) * x, places)
    for key in ("pnl", "value_entry", "value_exit", "initial_margin", "equity"):
        coin_text(out[key])
    # The sign: a long gains when the price rises, a short when it falls; USD PnL the same way.
    if (x > e) == (s == 1) and x != e:
        assert out["pnl"] >= 0 and out["pnl_usd"] >= 0 and out["roe_pct"] >= 0
    else:
        assert out["pnl"] <= 0 and out["pnl_usd"] <= 0 and out["roe_pct"] <= 0


# --- liq-price ----------------------------------------------------------------------------------------

RATES = {"0.5%": F(5, 1000), "0.1%": F(1, 1000), "1%": F(1, 100), "0": F(0)}


@SETTINGS
@given(
    side=SIDES,
    entry=PRICES,
    contracts=CONTRACTS,
    size=SIZES,
    leverage=LEVERAGES,
    rate=st.sampled_from(sorted(RATES)),
    basis=st.sampled_from(["entry", "mark"]),
)
def test_liquidation_is_exact_over_the_range(
    run: Callable[..., Run], side: str, entry: str, contracts: str, size: str, leverage: str, rate: str, basis: str
) -> None:
    TALLY["liq-price"] += 1
    argv = ["liq-price", "--side", side, "--entry", entry, "--contracts", contracts, "--contract-size", size]
    out = parse(run(*argv, "--leverage", leverage, "--mmr", rate, "--mm-basis", basis, "--json"))
    long = side == "long"
    s = 1 if long else -1
    e, q, lev, m = F(D(entry)), F(int(contracts) * int(size)), F(D(leverage)), RATES[rate]
    places = price_places(entry)
    margin = q / (e * lev)
    lp, bp = liquidation(s, q, e, margin, m, basis), bankruptcy(s, q, e, margin)

    assert out["initial_margin"] == nearest(margin, 8) == out["collateral"]
    assert out["price_step"] == D(1).scaleb(-places)
    for key, exact, reason in (("liquidation_price", lp, "reason"), ("bankruptcy_price", bp, "bankruptcy_reason")):
        if exact is None:
            assert out[key] is None and out[f"{key}_exact"] is None and out[reason], (key, out[reason])
            continue
        assert_nearest(out[f"{key}_exact"], exact, 8, key)
        assert_safe_price(out[key], exact, F(1, 10**places), long, key)
        assert out[reason] is None
    if lp is not None:
        assert out["distance_pct"] in near(100 * (lp - e) / e, 2)
        # Beyond entry only when the margin is below the maintenance margin (L > 1/m, entry
        # basis), and then with a warning; at exactly the entry price either is fair.
        if lp != e:
            beyond = (lp - e) * s > 0
            assert beyond == bool(out["warnings"]), out["warnings"]
            if basis == "entry":
                assert beyond == (m * lev > 1)
    # The sign: a long is bankrupt below its entry, a short above it.
    if bp is not None:
        assert (bp < e) if long else (bp > e)
        assert (out["bankruptcy_price_exact"] <= D(entry)) if long else (out["bankruptcy_price_exact"] >= D(entry))
    if lp is not None and m * lev < 1:
        assert (lp < e) if long else (lp > e)
        assert (out["liquidation_price_exact"] <= D(entry)) if long else (out["liquidation_price_exact"] >= D(entry))
    # Liquidation comes before bankruptcy.
    if lp is not None and bp is not None:
        assert (lp >= bp) if long else (lp <= bp)
    if basis == "entry":
        assert out["maintenance_margin"] == nearest(m * q / e, 8)
    coin_text(out["initial_margin"])
    coin_text(out["maintenance_margin"])


# --- ladder and leverage ------------------------------------------------------------------------------


def grid_places(entry: str) -> int:
    """The default grid (±50% in 10% steps) is rounded to the entry's places (at least 2),
    finer while that step is wider than the grid's spacing E/10 (at most 8)."""
    places = min(8, max(2, places_of(str(D(entry).normalize()))))
    while places < 8 and F(1, 10**places) > F(D(entry)) / 10:
        places += 1
    return places


def grid(entry: str) -> list[Fraction]:
    e, places = F(D(entry)), grid_places(entry)
    prices = [F(nearest(e * (1 + F(k, 10)), places)) for k in range(-5, 6)]
    return sorted({p for p in prices if p > 0})


def check_rows(rows: list[dict[str, Any]], s: int, q: Fraction, e: Fraction, margin: Fraction) -> None:
    for row in rows:
        p = F(row["price"])
        pnl = s * q * (1 / e - 1 / p)
        equity = margin + pnl
        if "pnl" in row:
            assert_nearest(row["pnl"], pnl, 8, row)
            coin_text(row["pnl"])
            if p != e:
                assert (row["pnl"] >= 0) == ((p > e) == (s == 1)) or row["pnl"] == 0, row
        assert_nearest(row["equity"], equity, 8, row)
        if row.get("liquidated"):
            # At or beyond the liquidation price the position is gone: no leverage to show.
            assert row["effective_leverage"] is None, row
        elif equity > 0:
            assert row["effective_leverage"] in near((q / p) / equity, 2), row
        else:
            assert row["effective_leverage"] is None, row


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(side=SIDES, entry=PRICES, contracts=CONTRACTS, leverage=LEVERAGES)
def test_ladder_rows_are_exact_over_the_range(
    run: Callable[..., Run], side: str, entry: str, contracts: str, leverage: str
) -> None:
    TALLY["ladder"] += 1
    s = 1 if side == "long" else -1
    e, q, lev = F(D(entry)), F(int(contracts)), F(D(leverage))
    margin = q / (e * lev)
    places = grid_places(entry)
    out = parse(
        run("ladder", "--side", side, "--entry", entry, "--contracts", contracts, "--leverage", leverage, "--json")
    )
    assert [F(r["price"]) for r in out["rows"]] == grid(entry)
    check_rows(out["rows"], s, q, e, margin)
    assert out["collateral"] == nearest(margin, 8)
    # The marked prices (default rule: 0.5% of the value at entry, no fee), toward safety to
    # the ladder's price step.
    exact = {
        "liquidation": liquidation(s, q, e, margin, F(5, 1000), "entry"),
        "bankruptcy": bankruptcy(s, q, e, margin),
    }
    for name, value in exact.items():
        key = MARK_KEYS[name]
        if value is None:
            assert out[key] is None, (key, out[key])
        else:
            assert_safe_price(out[key], value, F(1, 10**places), s == 1, key)
    check_rows(mark_rows(out, places), s, q, e, margin)
    # DOMAIN.md §11: a row is liquidated exactly when its price is at or beyond the
    # liquidation price shown (a long's at or below, a short's at or above).
    shown = out["liquidation_price"]
    for row in [*out["rows"], *out["marks"]]:
        beyond = shown is not None and (s * (F(row["price"]) - F(shown)) <= 0)
        assert row["liquidated"] is beyond, (row, shown)


#: A ladder's mark names, and the document's key for each marked price.
MARK_KEYS = {
    "entry": "average_entry",
    "break-even": "break_even_price",
    "liquidation": "liquidation_price",
    "bankruptcy": "bankruptcy_price",
}


def mark_rows(out: dict[str, Any], places: int) -> list[dict[str, Any]]:
    """The ``marks`` rows, each at the price it marks (the reference: "a row at each marked price")."""
    rows = []
    marked = set()
    for row in out["marks"]:
        names = row["mark"].split(", ")
        assert set(names) <= set(MARK_KEYS), names
        prices = {out[MARK_KEYS[name]] for name in names}
        assert len(prices) == 1, (row, prices)
        (price,) = prices
        marked |= set(names)
        assert row["price"] == price, (row, price)
        rows.append(row)
    # Every marked price has its row.
    assert marked == {name for name, key in MARK_KEYS.items() if out[key] is not None}, (marked, out["marks"])
    return rows


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(side=SIDES, entry=PRICES, contracts=CONTRACTS, leverage=LEVERAGES)
def test_leverage_is_exact_over_the_range(
    run: Callable[..., Run], side: str, entry: str, contracts: str, leverage: str
) -> None:
    TALLY["leverage"] += 1
    s = 1 if side == "long" else -1
    e, q, lev = F(D(entry)), F(int(contracts)), F(D(leverage))
    margin = q / (e * lev)
    out = parse(
        run("leverage", "--side", side, "--entry", entry, "--contracts", contracts, "--leverage", leverage, "--json")
    )
    assert out["solved"] == "margin"
    assert out["collateral"] == nearest(margin, 8) == out["initial_margin"]
    assert out["leverage"] == nearest(lev, 2) == out["effective_leverage"]  # L has 2 places: no tie
    assert [F(r["price"]) for r in out["rows"]] == grid(entry)
    check_rows(out["rows"], s, q, e, margin)


# --- outside the range: a clear error ------------------------------------------------------------

BASE = {
    "pnl": ["pnl", "--side", "long", "--entry", "8000", "--exit", "9000", "--contracts", "100", "--leverage", "10"],
    "liq-price": ["liq-price", "--side", "long", "--entry", "8000", "--contracts", "100", "--leverage", "10"],
    "ladder": ["ladder", "--side", "long", "--entry", "8000", "--contracts", "100", "--leverage", "10"],
    "leverage": ["leverage", "--entry", "8000", "--contracts", "100", "--leverage", "10"],
}


def with_value(command: str, option: str, value: str) -> list[str]:
    argv = list(BASE[command])
    if option in argv:
        argv[argv.index(option) + 1] = value
    else:
        argv += [option, value]
    if option in ("--margin", "--balance"):
        i = argv.index("--leverage")
        del argv[i : i + 2]
    return argv


ABOVE = [
    (command, option, value)
    for command in BASE
    for option, value in (
        ("--entry", "1000000000000.01"),
        ("--entry", "1e13"),
        ("--contracts", "1000000000000001"),
        ("--contracts", "1e16"),
        ("--leverage", "1000.01"),
        ("--leverage", "1e4"),
    )
] + [("pnl", "--exit", "1000000000000.01"), ("liq-price", "--margin", "1e16"), ("liq-price", "--tick", "1e13")]

#: Positive but below the smallest value: 1e-8 for prices, coin amounts, contracts, contract
#: size and tick, 0.01 for leverage.
BELOW = [
    ("pnl", "--entry", "1e-999"),
    ("pnl", "--entry", "1e-40"),
    ("pnl", "--exit", "1e-999"),
    ("pnl", "--margin", "1e-999"),
    ("liq-price", "--entry", "1e-999"),
    ("liq-price", "--leverage", "1e-999"),
    ("liq-price", "--tick", "1e-999"),
    ("ladder", "--entry", "1e-21"),
    ("ladder", "--entry", "1e-999"),
    ("leverage", "--entry", "1e-999"),
    ("pnl", "--entry", "0.000000009"),
    ("pnl", "--contracts", "0.000000009"),
    ("pnl", "--contract-size", "1e-9"),
    ("pnl", "--leverage", "0.00999"),
    ("liq-price", "--balance", "1e-9"),
    ("liq-price", "--mark", "1e-9"),
    ("ladder", "--tick", "1e-9"),
    ("leverage", "--leverage", "0.009"),
    ("leverage", "--contracts", "1e-20"),
]


def _refused(run: Callable[..., Run], argv: list[str], option: str) -> None:
    text_run = run(*argv)
    assert text_run.exit_code == ExitCode.USAGE, text_run.stderr
    assert text_run.stdout == "" and len(text_run.stderr.splitlines()) == 1
    assert option in text_run.stderr and "Traceback" not in text_run.stderr
    as_json = run(*argv, "--json")
    assert as_json.exit_code == ExitCode.USAGE and as_json.stdout == ""
    assert json.loads(as_json.stderr)["error"]["option"] == option


@pytest.mark.parametrize(("command", "option", "value"), ABOVE, ids=[" ".join(a) for a in ABOVE])
def test_above_the_range_is_refused(run: Callable[..., Run], command: str, option: str, value: str) -> None:
    _refused(run, with_value(command, option, value), option)


@pytest.mark.parametrize(("command", "option", "value"), BELOW, ids=[" ".join(a) for a in BELOW])
def test_below_the_range_is_refused(run: Callable[..., Run], command: str, option: str, value: str) -> None:
    _refused(run, with_value(command, option, value), option)


SMALLEST = [
    ("pnl", "--entry", "0.00000001"),
    ("pnl", "--exit", "0.00000001"),
    ("liq-price", "--entry", "0.00000001"),
    ("pnl", "--contracts", "0.00000001"),
    ("pnl", "--contract-size", "0.00000001"),
    ("pnl", "--leverage", "0.01"),
    ("liq-price", "--tick", "0.00000001"),
    ("liq-price", "--mark", "0.00000001"),
]


@pytest.mark.parametrize(("command", "option", "value"), SMALLEST, ids=[" ".join(a) for a in SMALLEST])
def test_the_smallest_value_is_an_answer(run: Callable[..., Run], command: str, option: str, value: str) -> None:
    out = parse(run(*with_value(command, option, value), "--json"))
    assert out["command"] == command


# --- corner cases, by example -----------------------------------------------------------------------------------


def _bankrupt_row(rows: list[dict[str, Any]], price: Decimal) -> dict[str, Any]:
    (row,) = [r for r in rows if r["price"] == price]
    return row


AT_BANKRUPTCY = [
    # A short at 2x is bankrupt at exactly 2·E; the ladder marks that price.
    (["ladder", "--side", "short", "--entry", "7", "--contracts", "100", "--leverage", "2"], D(14), "marks"),
    (["ladder", "--side", "short", "--entry", "5796", "--contracts", "100", "--leverage", "2"], D(11592), "marks"),
    # The bankruptcy price 14.2 on the grid, its mark at 14.0 (tick 0.5): the rows stop mid-stream.
    (
        ["ladder", "--side", "short", "--entry", "7.1", "--contracts", "100", "--leverage", "2", "--tick", "0.5"]
        + ["--from", "14", "--to", "15", "--step", "0.1"],
        D("14.2"),
        "rows",
    ),
    (
        ["leverage", "--side", "short", "--entry", "7", "--contracts", "100", "--leverage", "2"]
        + ["--from", "14", "--to", "24", "--step", "1"],
        D(14),
        "rows",
    ),
    # A 1x long is bankrupt at E/2: the -50% move lands on it.
    (
        ["stress", "--side", "long", "--entry", "7.3", "--contracts", "100", "--leverage", "1", "--move", "-50%"],
        D("3.65"),
        "rows",
    ),
]


@pytest.mark.parametrize(
    ("argv", "price", "where"), AT_BANKRUPTCY, ids=[" ".join(a[0][:3]) + f" {a[1]}" for a in AT_BANKRUPTCY]
)
def test_at_the_bankruptcy_price(run: Callable[..., Run], argv: list[str], price: Decimal, where: str) -> None:
    """Equity at exactly the bankruptcy price is exactly 0, and the effective leverage is null
    (the reference: null where equity <= 0)."""
    out = parse(run(*argv, "--json"))
    row = _bankrupt_row(out[where], price)
    assert row["equity"] == 0
    coin_text(row["equity"])
    assert row["effective_leverage"] is None


def test_initial_margin_keeps_every_digit(run: Callable[..., Run]) -> None:
    """Q/(E·L) to the satoshi, 31 digits, in-process (the default 28-digit context) as well."""
    argv = ["leverage", "--entry", "0.00000001", "--contracts", "1000000000000000", "--leverage", "3", "--json"]
    out = parse(run(*argv))
    exact = nearest(F(10**15) / (F(1, 10**8) * 3), 8)
    assert out["collateral"] == exact
    assert out["initial_margin"] == exact


def test_fifty_digits(run: Callable[..., Run]) -> None:
    """The corner of the range (entry 1e-8, exit 1e12, 1e15 contracts of $1e6, leverage 0.01):
    the margin's USD value at exit, 1e43 to 8 places, has 52 digits."""
    argv = ["pnl", "--side", "long", "--entry", "0.00000001", "--exit", "1000000000000"]
    argv += ["--contracts", "1000000000000000", "--contract-size", "1000000", "--leverage", "0.01", "--json"]
    out = parse(run(*argv))
    margin = F(10**21) / (F(1, 10**8) * F(1, 100))
    assert out["margin_usd_exit"] == nearest(margin * 10**12, 8)
    assert out["equity_usd"] == nearest((margin + F(10**21) * (10**8 - F(1, 10**12))) * 10**12, 8)


HALF_SATOSHI = [
    # Equity M + PnL = 1/(3e7·10) + (1/3e7 − 1/2.4e7) = −0.000000005 exactly: half-even is 0.
    ["pnl", "--side", "long", "--entry", "30000000", "--exit", "24000000", "--contracts", "1", "--leverage", "10"],
    ["ladder", "--side", "long", "--entry", "30000000", "--contracts", "1", "--leverage", "10"],
    ["leverage", "--side", "long", "--entry", "30000000", "--contracts", "1", "--leverage", "10"],
]


@pytest.mark.parametrize("argv", HALF_SATOSHI, ids=[a[0] for a in HALF_SATOSHI])
def test_half_satoshi_ties_round_half_even(run: Callable[..., Run], argv: list[str]) -> None:
    """Equity exactly half a satoshi below zero is 0.00000000: coin amounts round half-even (the reference)."""
    out = parse(run(*argv, "--json"))
    rows = out.get("rows") or [out]
    (row,) = [r for r in rows if r.get("price", D(24000000)) == D(24000000)]
    equity = F(1, 30000000 * 10) + (F(1, 30000000) - F(1, 24000000))
    assert equity == F(-5, 10**9)
    assert row["equity"] == nearest(equity, 8) == 0


def _position(argv: list[str]) -> tuple[int, Fraction, Fraction, Fraction, Fraction | None]:
    """``s, Q, E, M`` and the ``--tick`` of a command line with --leverage (contract size 1)."""

    def value(option: str) -> Fraction | None:
        return F(D(argv[argv.index(option) + 1])) if option in argv else None

    s = 1 if argv[argv.index("--side") + 1] == "long" else -1
    q, e, lev = value("--contracts"), value("--entry"), value("--leverage")
    assert q is not None and e is not None and lev is not None
    return s, q, e, q / (e * lev), value("--tick")


BELOW_ONE_STEP = [
    # Liquidation 200/101 = 1.98019801…, bankruptcy 2: both below one tick of 5.
    ["liq-price", "--side", "short", "--entry", "1", "--contracts", "100", "--leverage", "2", "--tick", "5"],
    # Liquidation 1/100,400,000 = 0.00000000996…: below one satoshi.
    ["liq-price", "--side", "short", "--entry", "0.00000001", "--contracts", "1", "--leverage", "1000"],
    ["ladder", "--side", "short", "--entry", "1", "--contracts", "100", "--leverage", "2", "--tick", "5"],
    ["ladder", "--side", "short", "--entry", "0.00000001", "--contracts", "1", "--leverage", "1000"],
    # Liquidation 5.94…, bankruptcy 6: one tick of 5.
    ["ladder", "--side", "short", "--entry", "3", "--contracts", "100", "--leverage", "2", "--tick", "5"],
]


@pytest.mark.parametrize("argv", BELOW_ONE_STEP, ids=[" ".join(a[:1] + a[4:5] + a[-2:]) for a in BELOW_ONE_STEP])
def test_price_below_one_step_is_not_zero(run: Callable[..., Run], argv: list[str]) -> None:
    """A short's liquidation or bankruptcy price below one step (or below ``--tick``) is
    shown to the satoshi, rounded down, never as 0 (which is not a price)."""
    out = parse(run(*argv, "--json"))
    s, q, e, margin, tick = _position(argv)
    step = tick if tick is not None else F(out.get("price_step", D(1).scaleb(-grid_places(argv[4]))))
    lp, bp = liquidation(s, q, e, margin, F(5, 1000), "entry"), bankruptcy(s, q, e, margin)
    assert lp is not None and bp is not None
    assert_safe_price(out["liquidation_price"], lp, step, s == 1, "liquidation_price")
    assert_safe_price(out["bankruptcy_price"], bp, step, s == 1, "bankruptcy_price")
    for row in out.get("marks", []):
        assert row["price"] > 0, row


BELOW_ONE_SATOSHI = [
    pytest.param(argv, id=argv[0])
    for argv in (
        [command, "--side", "short", "--entry", "0.00000001", "--contracts", "1", "--leverage", "1000"]
        for command in ("liq-price", "ladder")
    )
]


@pytest.mark.parametrize("argv", BELOW_ONE_SATOSHI)
def test_price_below_one_satoshi_rounds_down(run: Callable[..., Run], argv: list[str]) -> None:
    out = parse(run(*argv, "--json"))
    exact = F(1, 100_400_000)  # Q/((1 + m)·Q/E − M) = 1/(100,500,000 − 100,000)
    assert 0 < F(out["liquidation_price"]) <= exact


MARK_ROWS = [
    pytest.param(["ladder", "--side", "short", "--entry", "3", "--contracts", "100", "--leverage", "2", "--tick", "5"]),
    pytest.param(["ladder", "--side", "long", "--entry", "8000", "--contracts", "10000", "--leverage", "10"]),
    # A short's marked prices finer than the rows' places: 1.98019801 at tick 5, and below a satoshi.
    pytest.param(["ladder", "--side", "short", "--entry", "1", "--contracts", "100", "--leverage", "2", "--tick", "5"]),
    pytest.param(["ladder", "--side", "short", "--entry", "0.00000001", "--contracts", "1", "--leverage", "1000"]),
]


@pytest.mark.parametrize("argv", MARK_ROWS, ids=[" ".join(p.values[0][2:5] + p.values[0][-2:]) for p in MARK_ROWS])
def test_mark_row_is_at_the_marked_price(run: Callable[..., Run], argv: list[str]) -> None:
    """Each of a ladder's ``marks`` is a row at the marked price, with that price's numbers."""
    out = parse(run(*argv, "--json"))
    s, q, e, margin, _ = _position(argv)
    for row in out["marks"]:
        names = row["mark"].split(", ")
        for name in names:
            assert row["price"] == out[MARK_KEYS[name]], (name, row["price"], out[MARK_KEYS[name]])
    check_rows(out["marks"], s, q, e, margin)


def test_tally() -> None:
    """Report how many examples ran (run with -s to see it)."""
    examples = sum(n for key, n in TALLY.items() if not key.startswith("known"))
    if not examples:
        pytest.skip("the property tests did not run in this session")
    sys.stdout.write(f"\nextremes: {dict(TALLY)}\n")
    assert examples >= 2 * 1000 + 2 * 400
