"""``invfut stress``: shocks, liquidation at the boundary, and the margin to add (DOMAIN §5).

Liquidated means the shocked price is at or beyond the liquidation price: *at* counts. The
margin to add is the collateral ``C*`` whose liquidation price is the shocked price, less
the collateral: the liquidation equation of DOMAIN §5 solved for the collateral, computed
here in Fractions (or found by bisection on the forward formula where the fee to close
makes it implicit), and shown as the smallest whole satoshi above it.
"""

from __future__ import annotations

import json
import math
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from typing import Any

import pytest
from conftest import Run
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from invfut_cli.core import Basis, FeeTreatment, MaintenanceSpec, Position, Side, liquidation
from invfut_cli.core.margin import boundary
from invfut_cli.core.stress import Shock, collateral_for_liquidation_price, stress
from invfut_cli.exitcodes import ExitCode
from invfut_cli.rounding import shown_move_to_liquidation
from invfut_cli.scenarios import ScenarioError, load, parse

F = Fraction
D = Decimal
PROPERTY = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
REL = F(1, 10**30)


def ok(run: Run) -> Any:
    assert run.exit_code == ExitCode.OK, run.stderr
    assert run.stderr == ""
    return run.json()


def sat(x: Fraction) -> Decimal:
    return (D(x.numerator) / D(x.denominator)).quantize(D("1e-8"), rounding=ROUND_HALF_EVEN)


def sat_above(x: Fraction) -> Decimal:
    """The smallest whole satoshi strictly above ``x``."""
    return D(math.floor(x * 10**8) + 1).scaleb(-8)


def sat_up(x: Fraction) -> Decimal:
    """``x`` rounded up to the satoshi."""
    return D(math.ceil(x * 10**8)).scaleb(-8)


#: The generic price step (prices shown to 2 places).
STEP = F(1, 100)


def stress_run(cli: Any, *args: str) -> Any:
    return ok(cli("stress", *args, "--json"))


LONG_5X = ("--side", "long", "--entry", "60000", "--contracts", "60000", "--leverage", "5")


# --- shocks on a position --------------------------------------------------------------------


def test_a_crash_liquidates_a_long_and_says_what_margin_saves_it(cli: Any) -> None:
    out = stress_run(cli, *LONG_5X, "--move", "-50%", "--move", "-10%")
    q, e, m = F(60000), F(60000), F(5, 1000)
    c = q / (e * 5)
    crash, dip = out["rows"]
    assert crash["scenario"] is None and crash["move_pct"] == -50 and crash["price"] == 30000
    assert crash["pnl"] == sat(q * (1 / e - F(1, 30000)))
    assert crash["equity"] == sat(c + q * (1 / e - F(1, 30000)))
    assert crash["effective_leverage"] is None  # equity below zero
    assert crash["liquidated"] is True
    # Entry family: C* = Q/P − (1 − m)·Q/E, for P one price step below the shock (DOMAIN §11).
    assert crash["margin_to_add"] == sat_up(q / (30000 - STEP) - (1 - m) * q / e - c)
    assert dip["price"] == 54000 and dip["liquidated"] is False and dip["margin_to_add"] == 0
    equity = c + q * (1 / e - F(1, 54000))
    assert dip["equity"] == sat(equity)
    assert dip["effective_leverage"] == D(round(q / 54000 / equity * 100)) / 100
    assert out["liquidated_count"] == 1
    assert out["equity_now"] == sat(c) and out["effective_leverage_now"] == 5


def test_a_squeeze_liquidates_a_short_in_the_mark_family(cli: Any) -> None:
    """Mark family: C* = (s + m)·Q/P' − s·Q/E; 2× short of 8000 at 8000, m = 0.5%."""
    out = stress_run(
        cli, "--side", "short", "--entry", "8000", "--contracts", "8000", "--leverage", "2",
        "--mm-basis", "mark", "--move", "100%", "--move", "50%",
    )  # fmt: skip
    q, e, m, c = F(8000), F(8000), F(5, 1000), F(1, 2)
    assert out["liquidation_price_exact"] == sat(q * (m - 1) / (c - q / e))  # 15,920
    double, half = out["rows"]
    assert double["price"] == 16000 and double["liquidated"] is True
    assert double["margin_to_add"] == sat_up((m - 1) * q / (16000 + STEP) + q / e - c)
    assert half["liquidated"] is False and half["margin_to_add"] == 0


def forward_cross_liquidation(c: Fraction, q: Fraction, e: Fraction, m: Fraction, f: Fraction) -> Fraction:
    """Bybit cross, long (DOMAIN §5): BP = (1 + f)·Q/(Q/E + C), LP = Q/(C + Q/E − m·Q/E − f·Q/BP)."""
    bankrupt = (1 + f) * q / (q / e + c)
    return q / (c + q / e - m * q / e - f * q / bankrupt)


def test_margin_to_add_with_the_fee_to_close_at_bankruptcy(cli: Any) -> None:
    """Bybit's cross example (LP 5739.08); a 30% fall to 5600 needs C* with LP(C*) = 5599.5,
    one 0.5 tick below the shock, found by bisection on the forward formula (LP falls as C grows)."""
    out = stress_run(
        cli, "--side", "long", "--entry", "8000", "--contracts", "10000", "--balance", "0.5",
        "--taker-fee", "0.075%", "--tick", "0.5", "--move", "-30%",
    )  # fmt: skip
    q, e, m, f = F(10000), F(8000), F(5, 1000), F(75, 100000)
    assert out["liquidation_price"] == D("5739.5")
    (row,) = out["rows"]
    assert row["price"] == 5600 and row["liquidated"] is True
    lo, hi = F(1, 2), F(10)
    for _ in range(150):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if forward_cross_liquidation(mid, q, e, m, f) > F(55995, 10) else (lo, mid)
    assert sat_up(lo - F(1, 2)) == sat_up(hi - F(1, 2)) == row["margin_to_add"]


@pytest.mark.parametrize(("move", "liquidated"), [("-20%", True), ("-19.99%", False), ("-0.2", True)])
def test_at_the_liquidation_price_counts_as_liquidated(cli: Any, move: str, liquidated: bool) -> None:
    """4× long without maintenance margin: liquidated exactly at 0.8·E, a 20% fall."""
    out = stress_run(
        cli, "--side", "long", "--entry", "8000", "--contracts", "8000", "--leverage", "4", "--mmr", "0", "--move", move
    )
    assert out["liquidation_price_exact"] == 6400
    assert out["distance_pct"] == -20
    (row,) = out["rows"]
    assert row["liquidated"] is liquidated
    # At (or within one price step of) the boundary, the margin to add moves the liquidation
    # price one step below the shock: C* = Q/(P − 0.01) − Q/E for m = 0, less C = Q/(4E).
    q, e, price = F(8000), F(8000), F(row["price"])
    expected = sat_up(q / (price - STEP) - q / e - q / (4 * e))
    assert row["margin_to_add"] == (expected if expected > 0 else 0)
    assert (row["margin_to_add"] > 0) is liquidated


@pytest.mark.parametrize(
    "position",
    [
        ("--side", "long", "--entry", "61234.5", "--contracts", "70000", "--leverage", "20"),
        ("--side", "short", "--entry", "61234.5", "--contracts", "70000", "--leverage", "20"),
        ("--side", "long", "--entry", "3001", "--contracts", "12345", "--leverage", "7", "--mm-basis", "mark"),
        ("--side", "short", "--entry", "3001", "--contracts", "12345", "--margin", "0.9", "--mm-basis", "mark"),
        ("--side", "long", "--entry", "8000", "--contracts", "10000", "--balance", "0.5", "--taker-fee", "0.075%"),
    ],
)
def test_a_move_equal_to_the_distance_to_liquidation_liquidates(cli: Any, position: tuple[str, ...]) -> None:
    """The shown move rounds away from the price, so it liquidates; 0.01 point less does not."""
    out = stress_run(cli, *position, "--move", "0")
    entry, liq = F(out["reference_price"]), F(out["liquidation_price_exact"])
    exact = 100 * (liq - entry) / entry
    shown = out["distance_pct"]
    assert shown == (D(math.floor(exact * 100)) if exact < 0 else D(math.ceil(exact * 100))) / 100
    assert stress_run(cli, *position, "--move", f"{shown}%")["rows"][0]["liquidated"] is True
    inside = shown + (D("0.01") if shown < 0 else D("-0.01"))
    assert stress_run(cli, *position, "--move", f"{inside}%")["rows"][0]["liquidated"] is False


VENUES = [
    ("generic", "60000", ()),
    ("bitmex", "60000", ()),
    ("bybit", "60000", ()),
    ("binance", "600", ()),
    ("binance", "10800", ()),  # 18 BTC at entry, 30 BTC after a 40% fall: the next tier, 2.5% not 1%
    ("okx", "600", ()),
    ("kraken", "60000", ()),
    ("bybit", "60000", ("cross",)),
    ("binance", "600", ("cross",)),
]


@pytest.mark.parametrize(("exchange", "contracts", "flags"), VENUES)
@pytest.mark.parametrize(("side", "move"), [("long", "-40%"), ("short", "60%")])
def test_adding_the_margin_shown_survives_the_shock(
    cli: Any, exchange: str, contracts: str, flags: tuple[str, ...], side: str, move: str
) -> None:
    """Each venue's own rule (tiers, fee terms): with the margin to add added, the same shock
    no longer liquidates, and liq-price puts the liquidation price at least one price step
    on the safe side of the shocked price (DOMAIN §11); one satoshi less does not."""
    base = ("--side", side, "--entry", "60000", "--contracts", contracts, "--exchange", exchange)
    collateral = ("--balance", "0.1") if "cross" in flags else ("--leverage", "20")
    out = stress_run(cli, *base, *collateral, "--move", move)
    (row,) = out["rows"]
    assert row["liquidated"] is True
    add = row["margin_to_add"]
    assert add > 0
    more = out["collateral"] + add
    option = "--balance" if "cross" in flags else "--margin"
    again = stress_run(cli, *base, option, str(more), "--move", move)["rows"][0]
    assert again["liquidated"] is False and again["margin_to_add"] == 0
    liq = ok(cli("liq-price", *base, option, str(more), "--json"))
    price, step = F(row["price"]), F(liq["price_step"])
    s = 1 if side == "long" else -1
    # The shocked price is strictly safe of the new liquidation price, exact and as shown.
    assert s * (price - F(liq["liquidation_price_exact"])) >= step
    assert s * (price - F(liq["liquidation_price"])) > 0
    # One satoshi less than shown leaves it within one step: the amount shown is the least.
    less = ok(cli("liq-price", *base, option, str(more - D("0.00000001")), "--json"))
    assert s * (price - F(less["liquidation_price_exact"])) < step


def test_no_liquidation_price_means_never_liquidated(cli: Any) -> None:
    out = stress_run(
        cli,
        "--side",
        "short",
        "--entry",
        "8000",
        "--contracts",
        "8000",
        "--leverage",
        "1",
        "--mm-basis",
        "mark",
        "--move",
        "1000%",
    )
    assert out["liquidation_price"] is None and out["reason"]
    (row,) = out["rows"]
    assert row["liquidated"] is False and row["margin_to_add"] == 0
    assert out["distance_pct"] is None


def test_deribit_has_no_liquidation_price_to_test(cli: Any) -> None:
    out = stress_run(
        cli,
        "--side",
        "long",
        "--entry",
        "60000",
        "--contracts",
        "6000",
        "--leverage",
        "5",
        "--exchange",
        "deribit",
        "--move",
        "-30%",
    )
    (row,) = out["rows"]
    assert row["liquidated"] is None and row["margin_to_add"] is None
    assert "Deribit" in row["reason"] and row["reason"] == out["reason"]
    assert row["equity"] == sat(F(60000, 60000 * 5) + 60000 * (F(1, 60000) - F(1, 42000)))


def test_moves_start_from_the_mark(cli: Any) -> None:
    out = stress_run(cli, *LONG_5X, "--mark", "55000", "--move", "-10%")
    assert out["reference_price"] == 55000 and out["rows"][0]["price"] == 49500
    liq = F(out["liquidation_price_exact"])
    assert out["distance_pct"] == D(math.floor(100 * (liq - 55000) / 55000 * 100)) / 100
    c = F(60000, 60000 * 5)
    assert out["equity_now"] == sat(c + 60000 * (F(1, 60000) - F(1, 55000)))


def test_fills_give_the_position(cli: Any) -> None:
    out = stress_run(
        cli, "--side", "long", "--fill", "1000@8000", "--fill", "1000@9000", "--leverage", "5", "--move", "-10%"
    )
    entry = F(2000) / (F(1000, 8000) + F(1000, 9000))
    assert out["average_entry"] == D(round(entry * 100)) / 100
    assert out["rows"][0]["pnl"] == sat(2000 * (1 / entry - 1 / (entry * F(9, 10))))


# --- scenarios -------------------------------------------------------------------------------


def test_without_shocks_every_scenario_runs_in_file_order(cli: Any) -> None:
    out = stress_run(cli, *LONG_5X)
    names = list(load())
    assert len(names) >= 5
    assert [r["scenario"] for r in out["rows"]] == names
    assert [s["name"] for s in out["scenarios"]] == names
    for row, scenario in zip(out["rows"], out["scenarios"], strict=True):
        assert row["move_pct"] == scenario["move_pct"]
        assert row["price"] == sat(F(60000) * (1 + F(scenario["move_pct"]) / 100)).quantize(D("0.01"))
        assert scenario["sources"] and scenario["start"] <= scenario["end"]


def test_named_scenarios_after_moves_each_once(cli: Any) -> None:
    out = stress_run(
        cli, *LONG_5X, "--move", "-1%", "--scenario", "FTX-2022", "--scenario", "all", "--scenario", "ftx-2022"
    )
    names = [r["scenario"] for r in out["rows"]]
    assert names[0] is None and names[1] == "ftx-2022"
    assert sorted(names[1:]) == sorted(load()) and len(names) == len(load()) + 1


def test_the_shipped_scenarios_have_history_and_sources() -> None:
    scenarios = load()
    for name in ("covid-2020", "may-2021", "ftx-2022"):
        assert name in scenarios
    assert any(s.move_pct > 0 for s in scenarios.values())  # something for a short to fear
    for scenario in scenarios.values():
        assert all(source.strip() for source in scenario.sources)
        assert -100 < scenario.move_pct


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (
            '[x]\ntitle = "t"\nstart = 2020-01-01\nend = 2020-01-02\nmove_pct = "-100"\nmeasure = "m"\nsources = ["s"]\n',
            "x.move_pct",
        ),
        (
            '[x]\ntitle = "t"\nstart = 2020-01-02\nend = 2020-01-01\nmove_pct = "-1"\nmeasure = "m"\nsources = ["s"]\n',
            "x",
        ),
        (
            '[x]\ntitle = "t"\nstart = 2020-01-01\nend = 2020-01-01\nmove_pct = "-1"\nmeasure = "m"\nsources = []\n',
            "x.sources",
        ),
        (
            '[all]\ntitle = "t"\nstart = 2020-01-01\nend = 2020-01-01\nmove_pct = "-1"\nmeasure = "m"\nsources = ["s"]\n',
            "(top level)",
        ),
        ("[x\n", "not valid TOML"),
    ],
)
def test_a_broken_scenario_file_names_the_key(text: str, key: str) -> None:
    with pytest.raises(ScenarioError, match=key.replace("(", r"\(").replace(")", r"\)")):
        parse(text)


# --- errors and the table ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "option"),
    [
        (["--scenario", "tulips-1637"], "--scenario"),
        (["--move", "-100%"], "--move"),
        (["--move", "-30"], "--move"),  # a fraction: -3000%
        (["--move", "abc"], "--move"),
        (["--move", "20000%"], "--move"),
        (["--mark", "0"], "--mark"),
        (["--leverage", "0"], "--leverage"),
    ],
)
def test_bad_input_is_one_line_naming_the_option(cli: Any, extra: list[str], option: str) -> None:
    argv = ["stress", *LONG_5X, *extra]
    run = cli(*argv)
    assert run.exit_code == ExitCode.USAGE
    assert run.stdout == ""
    assert len(run.stderr.splitlines()) == 1 and "Traceback" not in run.stderr
    assert "Decimal(" not in run.stderr  # plain English, no Python reprs
    assert run.stderr.startswith(f"invfut stress: error: {option}"), run.stderr
    as_json = cli(*argv, "--json")
    assert as_json.stdout == "" and json.loads(as_json.stderr)["error"]["option"] == option


def test_collateral_is_required(cli: Any) -> None:
    run = cli("stress", "--side", "long", "--entry", "8000", "--contracts", "100")
    assert run.exit_code == ExitCode.USAGE and run.stdout == ""
    assert "--leverage" in run.stderr


def test_table_and_csv(cli: Any) -> None:
    table = cli("stress", *LONG_5X, "--scenario", "covid-2020")
    assert table.exit_code == 0, table.stderr
    assert "covid-2020" in table.stdout and "Distance to liquidation (%)" in table.stdout
    csv = cli("stress", *LONG_5X, "--scenario", "covid-2020", "--format", "csv")
    header, line = csv.stdout.splitlines()
    assert header.startswith("scenario,move_pct,price") and line.startswith("covid-2020,-50.00,30000.00")


# --- properties of the core ------------------------------------------------------------------

sides = st.sampled_from([Side.LONG, Side.SHORT])
prices = st.integers(100, 10**8).map(lambda i: D(i).scaleb(-2))  # $1 … $1,000,000
counts = st.integers(1, 10**8).map(D)
leverages = st.integers(100, 12500).map(lambda i: D(i).scaleb(-2))  # 1× … 125×


@st.composite
def specs(draw: st.DrawFn) -> MaintenanceSpec:
    return MaintenanceSpec(
        rate=draw(st.integers(0, 5000).map(lambda i: D(i).scaleb(-5))),  # 0 … 5 %
        basis=draw(st.sampled_from(list(Basis))),
        deduction_coin=draw(st.one_of(st.just(D(0)), st.integers(0, 10**6).map(lambda i: D(i).scaleb(-8)))),
        taker_fee=draw(st.sampled_from([D(0), D("0.0005"), D("0.00075")])),
        fee_treatment=draw(st.sampled_from([None, *FeeTreatment])),
        deduction_usd=draw(st.sampled_from([D(0), D(0), D(25)])),
    )


@PROPERTY
@given(sides, prices, counts, specs(), st.integers(1, 5000).map(lambda i: D(i) / 1000))
def test_the_margin_to_add_makes_the_shocked_price_the_liquidation_price(
    side: Side, entry: Decimal, contracts: Decimal, spec: MaintenanceSpec, ratio: Decimal
) -> None:
    """``liquidation(C*)`` is the target price, for both families and every fee treatment."""
    position = Position(side, contracts, D(1), entry)
    target = entry * ratio
    needed = collateral_for_liquidation_price(position, spec, target)
    assume(needed is not None and needed > 0)
    assert needed is not None
    result = liquidation(position, needed, spec).liquidation.price_usd
    assert result is not None
    assert abs(F(result) - F(target)) <= REL * F(target)


@PROPERTY
@given(sides, prices, counts, leverages, specs())
def test_the_distance_to_liquidation_as_shown_liquidates(
    side: Side, entry: Decimal, contracts: Decimal, leverage: Decimal, spec: MaintenanceSpec
) -> None:
    position = Position(side, contracts, D(1), entry)
    collateral = position.initial_margin_coin(leverage)
    price = boundary(liquidation(position, collateral, spec).liquidation.price_usd)
    assume(price is not None)
    assert price is not None
    exact = 100 * (price - entry) / entry
    assume(D("0.02") < abs(exact) < D(9000) and exact * side.sign < 0)  # on the losing side of the entry
    shown = shown_move_to_liquidation(exact, side)
    assert shown is not None
    inside = shown + (D("0.01") if side is Side.LONG else D("-0.01"))
    at, short_of = stress(
        position,
        collateral,
        entry,
        price,
        [Shock(None, shown / 100), Shock(None, inside / 100)],
        base=spec,
    )
    assert at.liquidated is True and at.margin_to_add_coin is not None and at.margin_to_add_coin >= 0
    assert short_of.liquidated is False and short_of.margin_to_add_coin == 0
    # At the liquidation price (to 20 places): liquidated, and the collateral needed is the one
    # held, up to what 1e-20 of price moves it (|dC*/dP| ≤ (1 + m + f + D/Q)·Q/P²): far below a satoshi.
    (at_price,) = stress(position, collateral, price, price, [Shock(None, D(0))], base=spec)
    assert at_price.liquidated is True
    assert at_price.margin_to_add_coin is not None
    slope = (1 + F(spec.rate) + F(spec.taker_fee) + F(spec.deduction_usd) / F(contracts)) * F(contracts) / F(price) ** 2
    assert F(at_price.margin_to_add_coin) <= slope * F(1, 10**20) + REL * F(collateral)


@PROPERTY
@given(sides, prices, counts, leverages, specs(), st.integers(-9900, 20000).map(lambda i: D(i).scaleb(-4)))
def test_liquidated_means_equity_at_or_below_maintenance(
    side: Side, entry: Decimal, contracts: Decimal, leverage: Decimal, spec: MaintenanceSpec, move: Decimal
) -> None:
    """``P'`` at or beyond the liquidation price ⇔ ``equity(P') ≤ MM(P')`` (DOMAIN §5), without
    the fee to close (whose term depends on the collateral): entry MM = (m + f)·Q/E − d,
    mark MM = (m + f)·Q/P' − d, with f only where it is added to the rate."""
    assume(spec.treatment is not FeeTreatment.CLOSE_AT_BANKRUPTCY and spec.deduction_usd == 0)
    position = Position(side, contracts, D(1), entry)
    collateral = position.initial_margin_coin(leverage)
    price_liq = boundary(liquidation(position, collateral, spec).liquidation.price_usd)
    (row,) = stress(position, collateral, entry, price_liq, [Shock(None, move)], base=spec)
    q, e, p = F(contracts), F(entry), F(entry) * (1 + F(move))
    fee = F(spec.taker_fee) if spec.treatment is FeeTreatment.ADDED_TO_RATE else F(0)
    rate, d = F(spec.rate) + fee, F(spec.deduction_coin)
    maintenance = rate * q / e - d if spec.basis is Basis.ENTRY else rate * q / p - d
    equity = F(collateral) + side.sign * q * (1 / e - 1 / p)
    gap = equity - maintenance
    assume(abs(gap) > REL * (q / e + q / p + F(collateral)))  # not on the boundary itself
    assert row.liquidated is (gap < 0)


def test_shown_move_rounds_away_from_the_reference() -> None:
    assert shown_move_to_liquidation(D("-8.681"), Side.LONG) == D("-8.69")
    assert shown_move_to_liquidation(D("24.231"), Side.SHORT) == D("24.24")
    assert shown_move_to_liquidation(D("-8.68"), Side.LONG) == D("-8.68")
    assert shown_move_to_liquidation(None, Side.LONG) is None
    assert D("-8.681").quantize(D("0.01"), ROUND_FLOOR) == D("-8.69")  # the direction used for a long
    assert D("24.231").quantize(D("0.01"), ROUND_CEILING) == D("24.24")  # and for a short
