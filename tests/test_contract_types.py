"""Linear and quanto contracts beside inverse (DOMAIN.md §15): the published checks through the
CLI, a Fraction reference on random positions, ``ladder --versus``, and bad input."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from fractions import Fraction

import pytest
from conftest import run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from invfut_cli.core.contracts import linear, quanto
from invfut_cli.core.margin import Basis, FeeTreatment, MaintenanceSpec
from invfut_cli.core.position import Side

D = Decimal


def ceil_cent(x: Fraction) -> Decimal:
    return (D(x.numerator) / D(x.denominator)).quantize(D("0.01"), rounding=ROUND_CEILING)


def floor_cent(x: Fraction) -> Decimal:
    return (D(x.numerator) / D(x.denominator)).quantize(D("0.01"), rounding=ROUND_FLOOR)


# --- §15's checks and BitMEX's quanto example, through the CLI ---------------------------------


@pytest.mark.parametrize(("side", "published", "exact", "rounding"), [
    ("long", D("54271.36"), Fraction(60000) * (1 - Fraction(1, 10)) / (1 - Fraction(5, 1000)), ceil_cent),
    ("short", D("65671.64"), Fraction(60000) * (1 + Fraction(1, 10)) / (1 + Fraction(5, 1000)), floor_cent),
])  # fmt: skip
def test_linear_liquidation_matches_section_15(side: str, published: Decimal, exact: Fraction, rounding) -> None:
    run = run_cli("liq-price", "--side", side, "--entry", "60000", "--contracts", "1", "--leverage", "10",
                  "--contract-type", "linear", "--json")  # fmt: skip
    assert run.exit_code == 0, run.stderr
    doc = run.json()
    assert doc["liquidation_price"] == published == rounding(exact)
    # The bankruptcy price: equity C + s·q·(P − E) is 0 at E·(1 ∓ 1/L).
    assert doc["bankruptcy_price"] == (D(54000) if side == "long" else D(66000))
    assert (doc["contract_type"], doc["margin_currency"], doc["coin"], doc["quote"]) == (
        "linear",
        "USDT",
        "USDT",
        "USDT",
    )
    assert doc["initial_margin"] == D(6000)  # q·E/L in USDT


def test_bitmex_quanto_example() -> None:
    """BitMEX "Quanto for speculators": 10,000 ETHUSD at 500, M = 0.000001 XBT: value 5 XBT,
    initial margin at 50x 0.10 XBT, a long has made 0.5 XBT at 550."""
    run = run_cli("pnl", "--side", "long", "--entry", "500", "--exit", "550", "--contracts", "10000",
                  "--contract-type", "quanto", "--multiplier", "0.000001", "--leverage", "50",
                  "--settle-price", "20000", "--json")  # fmt: skip
    assert run.exit_code == 0, run.stderr
    doc = run.json()
    assert doc["value_entry"] == D(5)
    assert doc["initial_margin"] == D("0.1")
    assert doc["pnl"] == D("0.5")
    assert doc["pnl_usd"] == D("0.5") * 20000  # worth B dollars a coin
    assert doc["margin_currency"] == doc["coin"] == "BTC" and doc["quote"] == "USD"
    short = run_cli("pnl", "--side", "short", "--entry", "500", "--exit", "550", "--contracts", "10000",
                    "--contract-type", "quanto", "--multiplier", "0.000001", "--json")  # fmt: skip
    assert short.json()["pnl"] == D("-0.5")


def test_quanto_long_loses_on_both_when_the_coin_falls_too() -> None:
    """The same coin loss is fewer dollars when the settlement coin is cheaper: PnL in USD is × B."""
    args = ("pnl", "--side", "long", "--entry", "500", "--exit", "450", "--contracts", "10000",
            "--contract-type", "quanto", "--multiplier", "0.000001", "--leverage", "5", "--json")  # fmt: skip
    high = run_cli(*args, "--settle-price", "20000").json()
    low = run_cli(*args, "--settle-price", "15000").json()
    assert high["pnl"] == low["pnl"] == D("-0.5")
    assert (high["equity_usd"], low["equity_usd"]) == (D("0.5") * 20000, D("0.5") * 15000)


def test_inverse_documents_carry_no_contract_keys() -> None:
    """The default is the inverse model, its documents as they were."""
    doc = run_cli("liq-price", "--side", "long", "--entry", "8000", "--contracts", "10000", "--leverage", "10",
                  "--json").json()  # fmt: skip
    assert not {"contract_type", "margin_currency", "versus"} & set(doc)
    same = run_cli("liq-price", "--side", "long", "--entry", "8000", "--contracts", "10000", "--leverage", "10",
                   "--contract-type", "inverse", "--json").json()  # fmt: skip
    assert same == doc


# --- A Fraction reference on random positions ------------------------------------------------

prices = st.integers(min_value=100, max_value=200_000)
rates = st.integers(min_value=0, max_value=50)  # thousandths
leverages = st.integers(min_value=2, max_value=100)


def _reference(s: int, u: Fraction, e: Fraction, c: Fraction, a: Fraction, b: Fraction) -> Fraction | None:
    """C + s·u·(P − E) = a·u·E + b·u·P, solved for P with Fractions."""
    if s - b == 0:
        return None
    p = ((s + a) * u * e - c) / (u * (s - b))
    return p if p > 0 else None


@settings(max_examples=60, deadline=None)
@given(
    kind=st.sampled_from(["linear", "quanto"]),
    side=st.sampled_from([Side.LONG, Side.SHORT]),
    basis=st.sampled_from([Basis.ENTRY, Basis.MARK]),
    entry=prices,
    contracts=st.integers(min_value=1, max_value=10_000),
    size=st.integers(min_value=1, max_value=1000),  # thousandths of a coin, or of 1e-6 for a quanto
    leverage=leverages,
    mmr=rates,
)
def test_fraction_reference_agrees(kind, side, basis, entry, contracts, size, leverage, mmr) -> None:
    k = D(size) / 1000 if kind == "linear" else D(size) / 10**9
    contract = linear(D(contracts), k, "USDT") if kind == "linear" else quanto(D(contracts), k, "BTC", D(20000))
    spec = MaintenanceSpec(rate=D(mmr) / 1000, basis=basis)
    u = Fraction(contracts) * Fraction(str(k))
    e = Fraction(entry)
    collateral = contract.initial_margin(D(entry), D(leverage))
    assert abs(Fraction(collateral) - u * e / leverage) <= u * e * Fraction(1, 10**45)
    c = Fraction(collateral)
    s = side.sign
    m = Fraction(mmr, 1000)
    a, b = (m, Fraction(0)) if basis is Basis.ENTRY else (Fraction(0), m)
    exit_ = Fraction(entry * 11, 10)
    assert Fraction(contract.pnl(side, D(entry), D(entry * 11) / 10)) == s * u * (exit_ - e)
    assert Fraction(contract.pnl(Side.LONG, D(entry), D(777))) == -Fraction(contract.pnl(Side.SHORT, D(entry), D(777)))
    for got, want in (
        (contract.liquidation(side, D(entry), collateral, spec).price_usd, _reference(s, u, e, c, a, b)),
        (
            contract.bankruptcy(side, D(entry), collateral, spec).price_usd,
            _reference(s, u, e, c, Fraction(0), Fraction(0)),
        ),
    ):
        if want is None:
            assert got is None
        else:
            assert got is not None and abs(Fraction(got) - want) <= want * Fraction(1, 10**40)
    # What the price means: equity there equals the maintenance margin.
    liq = contract.liquidation(side, D(entry), collateral, spec).price_usd
    if liq is not None:
        mm = contract.maintenance_margin(D(entry), liq, spec)
        equity = contract.equity(side, D(entry), collateral, liq)
        assert abs(Fraction(equity) - Fraction(mm)) <= Fraction(1, 10**30) * (1 + abs(Fraction(mm)))


def test_fee_to_close_at_bankruptcy_is_zero_equity_less_the_fee() -> None:
    """Bybit's cross rule in linear terms: at BP equity equals f·q·BP."""
    contract = linear(D(1), D(1), "USDT")
    spec = MaintenanceSpec(rate=D("0.005"), basis=Basis.ENTRY, taker_fee=D("0.00055"),
                           fee_treatment=FeeTreatment.CLOSE_AT_BANKRUPTCY)  # fmt: skip
    bp = contract.bankruptcy(Side.LONG, D(60000), D(6000), spec).price_usd
    assert bp is not None
    fee = Fraction("0.00055") * Fraction(bp)
    assert abs(Fraction(contract.equity(Side.LONG, D(60000), D(6000), bp)) - fee) < Fraction(1, 10**40)


def test_a_fully_margined_linear_long_has_no_liquidation_price() -> None:
    run = run_cli("liq-price", "--side", "long", "--entry", "60000", "--contracts", "1", "--margin", "60000",
                  "--contract-type", "linear", "--json")  # fmt: skip
    doc = run.json()
    assert run.exit_code == 0
    assert doc["liquidation_price"] is None and doc["reason"] and doc["bankruptcy_price"] is None


# --- ladder --versus ---------------------------------------------------------------------------

LADDER = ("ladder", "--side", "long", "--size-usd", "10000", "--entry", "60000", "--leverage", "10",
          "--from", "40000", "--to", "80000", "--step", "10000")  # fmt: skip


def test_versus_linear_done_when_figures() -> None:
    run = run_cli(*LADDER, "--versus", "linear", "--json")
    assert run.exit_code == 0, run.stderr
    doc = run.json()
    first = doc["rows"][0]
    assert first["price"] == 40000
    q, e = Fraction(10000), Fraction(60000)
    assert first["pnl"] == D("-0.08333333")  # Q·(1/E − 1/P) to the satoshi
    assert Fraction(first["pnl"]) - q * (1 / e - Fraction(1, 40000)) < Fraction(1, 10**8)
    assert first["versus_pnl_usd"] == D("-3333.33")  # q·(P − E), q = Q/E
    # At 40,000 both are liquidated; at 80,000 the linear position keeps more leverage.
    assert first["liquidated"] is True and first["versus_liquidated"] is True
    last = doc["rows"][-1]
    assert last["versus_effective_leverage"] > last["effective_leverage"]
    versus = doc["versus"]
    assert versus["margin_currency"] == "USDT" and versus["collateral"] == D(1000)
    assert [row["aspect"] for row in versus["comparison"]] == [
        "margin currency",
        "value fixed in",
        "effective leverage",
    ]


def test_versus_table_shows_the_comparison() -> None:
    run = run_cli(*LADDER, "--versus", "linear")
    assert run.exit_code == 0
    assert "inverse versus linear" in run.stdout and "value fixed in" in run.stdout


def test_versus_quanto_needs_a_multiplier_and_holds_the_same_dollars() -> None:
    bad = run_cli(*LADDER, "--versus", "quanto", "--settle-price", "60000")
    assert bad.exit_code == 2 and bad.stdout == "" and "--multiplier" in bad.stderr
    doc = run_cli(*LADDER, "--versus", "quanto", "--multiplier", "0.000001", "--settle-price", "60000", "--json").json()
    # u = Q/(E·B): worth Q USD at entry; at 40,000 it has lost u·20,000 coin = 10,000/3 USD.
    assert doc["rows"][0]["versus_pnl_usd"] == D("-3333.33")


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("args", "option"), [
    (("liq-price", "--side", "long", "--entry", "500", "--contracts", "1", "--leverage", "5", "--contract-type", "quanto"), "--multiplier"),
    (("liq-price", "--side", "long", "--entry", "500", "--contracts", "1", "--leverage", "5", "--contract-type", "linear", "--contract-size", "0"), "--contract-size"),
    (("liq-price", "--side", "long", "--entry", "500", "--contracts", "1", "--leverage", "5", "--contract-type", "linear", "--contract-size", "-1"), "--contract-size"),
    (("pnl", "--side", "long", "--entry", "500", "--exit", "600", "--contracts", "1", "--multiplier", "0.001"), "--multiplier"),
    (("pnl", "--side", "long", "--entry", "500", "--exit", "600", "--contracts", "1", "--contract-type", "linear", "--fill", "1@500"), "--fill"),
    (("ladder", "--side", "long", "--entry", "500", "--contracts", "1", "--versus", "perpetual"), "--versus"),
    (("pnl", "--side", "long", "--entry", "500", "--exit", "600", "--contracts", "1", "--contract-type", "spot"), "--contract-type"),
])  # fmt: skip
def test_bad_input_names_the_option(args: tuple[str, ...], option: str) -> None:
    run = run_cli(*args)
    assert run.exit_code == 2, run.stderr
    assert run.stdout == ""
    assert len(run.stderr.strip().splitlines()) == 1 and option in run.stderr


def test_real_subprocess() -> None:
    exe = os.path.join(os.path.dirname(sys.executable), "invfut")
    run = subprocess.run(
        [exe, "liq-price", "--side", "short", "--entry", "60000", "--contracts", "1", "--leverage", "10",
         "--contract-type", "linear", "--json"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout, parse_float=Decimal)["liquidation_price"] == D("65671.64")


# --- presets ---------------------------------------------------------------------------------


def test_bitmex_quanto_preset_liquidates_a_50x_long_after_a_one_percent_fall() -> None:
    """BitMEX's blog: at 2% initial and 1% maintenance margin, a 1% fall of ETH/USD liquidates."""
    doc = run_cli("liq-price", "--side", "long", "--entry", "500", "--contracts", "10000", "--leverage", "50",
                  "--contract-type", "quanto", "--exchange", "bitmex", "--json").json()  # fmt: skip
    assert doc["liquidation_price"] == D(500) * (1 - D("0.01"))
    assert doc["preset"]["symbol"] == "ETHUSD" and doc["coin"] == "BTC" and doc["units"] == D("0.01")


@pytest.mark.parametrize("coin", ["ETH", "BTC"])
def test_a_quanto_preset_named_by_its_underlying_settles_in_its_own_coin(coin: str) -> None:
    """BitMEX's ETHUSD is settled in BTC whichever coin --coin names (the underlying or the
    settlement coin): 10,000 contracts at 500 are worth 5 BTC, the 2% margin 0.1 BTC."""
    doc = run_cli("liq-price", "--side", "long", "--entry", "500", "--contracts", "10000", "--leverage", "50",
                  "--contract-type", "quanto", "--exchange", "bitmex", "--coin", coin, "--json").json()  # fmt: skip
    assert doc["coin"] == "BTC" and doc["preset"]["symbol"] == "ETHUSD"
    assert doc["initial_margin"] == D("0.1") and doc["liquidation_price"] == D(495)


def test_okx_linear_preset_contract_is_a_hundredth_of_a_coin() -> None:
    doc = run_cli("pnl", "--side", "long", "--entry", "60000", "--exit", "61000", "--contracts", "10",
                  "--contract-type", "linear", "--exchange", "okx", "--json").json()  # fmt: skip
    assert doc["pnl"] == D("0.1") * 1000  # 10 contracts x 0.01 BTC x 1,000 USDT
    assert doc["preset"]["symbol"] == "BTC-USDT-SWAP"


def test_a_venue_without_the_contract_is_refused() -> None:
    run = run_cli("pnl", "--side", "long", "--entry", "500", "--exit", "550", "--contracts", "1",
                  "--contract-type", "quanto", "--exchange", "okx")  # fmt: skip
    assert run.exit_code == 2 and run.stdout == "" and "--exchange" in run.stderr


# --- quanto stress ---------------------------------------------------------------------------

STRESS = ("stress", "--side", "long", "--entry", "2000", "--contracts", "1000", "--contract-type", "quanto",
          "--multiplier", "0.0001", "--settle-price", "60000", "--leverage", "10")  # fmt: skip


def test_quanto_stress_loses_twice_when_both_fall() -> None:
    doc = run_cli(*STRESS, "--move", "-5%", "--move", "-5%", "--settle-move", "0", "--settle-move", "-30%",
                  "--json").json()  # fmt: skip
    alone, both = doc["rows"]
    u, e, c, b = Fraction(1, 10), Fraction(2000), Fraction(20), Fraction(60000)  # u = N·M, C = u·E/L
    pnl = u * (Fraction(1900) - e)
    assert Fraction(alone["pnl"]) == Fraction(both["pnl"]) == pnl  # the coin PnL ignores the coin's price
    assert Fraction(alone["usd_change"]) == (c + pnl) * b - c * b
    assert Fraction(both["usd_change"]) == (c + pnl) * b * Fraction(7, 10) - c * b
    assert both["usd_change"] < alone["usd_change"] < 0
    assert alone["liquidated"] is False and both["liquidated"] is False  # −5% is above 1809.05


def test_quanto_scenarios_move_both_prices_together() -> None:
    doc = run_cli(*STRESS, "--scenario", "covid-2020", "--json").json()
    (row,) = doc["rows"]
    assert row["move_pct"] == row["settle_move_pct"] == D(-50) and row["liquidated"] is True
    assert row["settle_price"] == D(30000)


def test_settle_move_is_for_quantos() -> None:
    run = run_cli("stress", "--side", "long", "--entry", "8000", "--contracts", "1000", "--leverage", "10",
                  "--move", "-10%", "--settle-move", "-10%")  # fmt: skip
    assert run.exit_code == 2 and run.stdout == "" and "--settle-move" in run.stderr


def test_explain_gives_the_linear_equations() -> None:
    run = run_cli("pnl", "--side", "long", "--entry", "60000", "--exit", "50000", "--contracts", "1",
                  "--contract-type", "linear", "--leverage", "10", "--explain", "--json")  # fmt: skip
    lines = run.json()["explain"]
    assert any("s·u·(P − E)" in line for line in lines)
    assert not any("1/E" in line for line in lines)


def test_versus_plot_draws_both_equity_curves() -> None:
    run = run_cli(*LADDER, "--versus", "linear", "--plot")
    assert run.exit_code == 0, run.stderr
    assert "Equity USD: inverse (green) and linear (magenta)" in run.stdout


def _svg_series(path) -> dict[str, list[tuple[float, float]]]:
    """Each drawn series of a pygal chart by its legend name: the points of its line, in pixels."""
    import xml.etree.ElementTree as ET

    svg = "{http://www.w3.org/2000/svg}"
    root = ET.parse(path).getroot()
    names = [
        "".join(g.find(f"{svg}text").itertext())
        for g in root.iter(f"{svg}g")
        if "legend" in g.get("class", "") and g.find(f"{svg}text") is not None
    ]
    series = {}
    plot = [g for g in root.iter(f"{svg}g") if g.get("class", "").startswith("series serie-")]
    for name, group in zip(names, plot, strict=False):
        lines = [p.get("d") for p in group.iter(f"{svg}path") if p.get("d")]
        numbers = [float(n) for n in lines[0].replace("M", " ").replace("L", " ").split()] if lines else []
        series[name] = list(zip(numbers[::2], numbers[1::2], strict=True))
    return series


def test_versus_plot_file_draws_both_equity_curves(tmp_path) -> None:
    """The SVG holds the terminal's third panel: both positions' equity in USD, named in the
    legend, one point per grid price; the inverse equity is below the linear one under the entry
    and above it over the entry (their gap is C·(P − E), see below), so the curves cross there."""
    plain, target = tmp_path / "plain.svg", tmp_path / "versus.svg"
    assert run_cli(*LADDER, "--plot-file", str(plain)).exit_code == 0
    run = run_cli(*LADDER, "--versus", "linear", "--plot", "--plot-file", str(target))
    assert run.exit_code == 0, run.stderr
    # The terminal chart is the same with or without the file.
    assert run.stdout == run_cli(*LADDER, "--versus", "linear", "--plot").stdout
    before, after = _svg_series(plain), _svg_series(target)
    assert set(after) - set(before) == {"Equity USD, inverse (right axis)", "Equity USD, linear (right axis)"}
    assert len(after) == len(before) + 2
    rows = run_cli(*LADDER, "--json").json()["rows"]
    inverse, linear_ = after["Equity USD, inverse (right axis)"], after["Equity USD, linear (right axis)"]
    # One point per grid price and per marked price, as the PnL curves.
    assert len(inverse) == len(linear_) == len(after["PnL BTC (left axis)"]) >= len(rows)
    entry_x = after["entry 60,000.00"][0][0]
    for (x1, y1), (x2, y2) in zip(inverse, linear_, strict=True):
        assert abs(x1 - x2) < 1e-6
        if abs(x1 - entry_x) > 1:  # SVG's y grows downward
            assert (y1 < y2) == (x1 > entry_x)
    quanto_ = tmp_path / "quanto.svg"
    args = ("--versus", "quanto", "--multiplier", "0.000001", "--settle-price", "60000", "--plot-file", str(quanto_))
    assert run_cli(*LADDER, *args).exit_code == 0
    assert "Equity USD, quanto (right axis)" in _svg_series(quanto_)


def test_versus_equity_differs_by_the_coin_collateral_revalued() -> None:
    """Same PnL in USD, different equity: the inverse collateral C coin is worth C·P, the linear
    one C·E; so inverse − linear equity in USD is C·(P − E) + PnL_coin·P − PnL_usd = C·(P − E)."""
    doc = run_cli(*LADDER, "--versus", "linear", "--json").json()
    c = Fraction(10000) / 60000 / 10
    for row in doc["rows"]:
        p = Fraction(row["price"])
        gap = Fraction(row["equity_usd"]) - Fraction(row["versus_equity_usd"])
        assert abs(gap - c * (p - 60000)) <= Fraction(2, 100)


def test_leverage_solves_and_drifts_with_the_linear_equations() -> None:
    doc = run_cli("leverage", "--entry", "60000", "--margin", "1000", "--leverage", "10", "--contract-type", "linear",
                  "--from", "50000", "--to", "70000", "--step", "5000", "--json").json()  # fmt: skip
    assert doc["solved"] == "contracts"
    u = Fraction(doc["contracts"])
    assert u == Fraction(int(Fraction(1000 * 10, 60000) * 10**8), 10**8)  # C·L/E, down to 10^-8
    for row in doc["rows"]:
        p = Fraction(row["price"])
        equity = 1000 + u * (p - 60000)
        assert abs(Fraction(row["equity"]) - equity) <= Fraction(1, 10**8)
        if not row["liquidated"]:
            assert abs(Fraction(row["effective_leverage"]) - u * p / equity) <= Fraction(1, 200)
    solved = run_cli("leverage", "--entry", "60000", "--contracts", "0.5", "--margin", "3000",
                     "--contract-type", "linear", "--json").json()  # fmt: skip
    assert solved["solved"] == "leverage" and solved["leverage"] == D(10)  # u·E/C


def test_fail_within_alerts_on_a_linear_position() -> None:
    """A mark 1% above the long's liquidation price 54,271.36 is within 2%: exit 4."""
    args = ("liq-price", "--side", "long", "--entry", "60000", "--contracts", "1", "--leverage", "10",
            "--contract-type", "linear", "--json")  # fmt: skip
    near = run_cli(*args, "--mark", "54814.07", "--fail-within", "2")
    assert near.exit_code == 4
    doc = near.json()
    assert doc["alert"] is True and doc["beyond"] is False
    assert doc["distance_from_mark_pct"] == D("-0.99")  # 100·(54,271.36 − 54,814.07)/54,814.07
    far = run_cli(*args, "--mark", "60000", "--fail-within", "2")
    assert far.exit_code == 0 and far.json()["alert"] is False


@pytest.mark.parametrize(
    ("args", "where"),
    [
        (("liq-price", "--contract-type", "quanto"), ()),
        (("ladder", "--versus", "quanto", "--pct", "1", "--pct-step", "1"), ("versus",)),
    ],
    ids=["liq-price", "ladder-versus"],
)
def test_a_settle_price_finer_than_a_satoshi_is_answered_as_given(
    args: tuple[str, ...], where: tuple[str, ...]
) -> None:
    """--settle-price 0.500000000001 is a valid price: it is answered (not an internal error),
    and echoed as given (an input keeps the places it was given)."""
    run = run_cli(*args, "--side", "long", "--entry", "1000", "--contracts", "1", "--leverage", "2",
                  "--settle-price", "0.500000000001", "--multiplier", "0.001", "--json")  # fmt: skip
    assert run.exit_code == 0, run.stderr
    doc = run.json()
    for key in where:
        doc = doc[key]
    assert doc["settle_price"] == Decimal("0.500000000001")


def test_an_entry_finer_than_a_satoshi_shows_prices_and_usd_to_8_places() -> None:
    """A linear entry of 0.500000000001 is answered as an inverse one is: prices and USD to
    8 places at most (size_usd is 1 contract of 1 coin at the entry: 0.5 USD)."""
    run = run_cli("liq-price", "--side", "long", "--entry", "0.500000000001", "--contracts", "1", "--leverage", "0.5",
                  "--balance", "0.001", "--contract-type", "linear", "--json")  # fmt: skip
    assert run.exit_code == 0, run.stderr
    doc = run.json()
    assert doc["size_usd"] == doc["average_entry"] == Decimal("0.5")
    assert -doc["liquidation_price"].as_tuple().exponent <= 8


# --- exchanges: the linear and quanto presets ---------------------------------------------------


def _presets_file() -> dict:
    """The presets file as tomllib reads it, found beside the package, not through invfut's loader."""
    import tomllib
    from pathlib import Path

    import invfut_cli

    with (Path(invfut_cli.__file__).parent / "contract_types" / "presets.toml").open("rb") as handle:
        return tomllib.load(handle)


EXPECTED_SYMBOLS = {
    ("bitmex", "linear", "XBTUSDT"), ("bitmex", "quanto", "ETHUSD"), ("bybit", "linear", "BTCUSDT"),
    ("binance", "linear", "BTCUSDT"), ("okx", "linear", "BTC-USDT-SWAP"), ("kraken", "linear", "PF_XBTUSD"),
    ("deribit", "linear", "BTC_USDC-PERPETUAL"),
}  # fmt: skip


def test_exchanges_lists_every_linear_and_quanto_preset_as_the_file_gives_it() -> None:
    run = run_cli("exchanges", "--json")
    assert run.exit_code == 0, run.stderr
    venues = {venue["exchange"]: venue for venue in run.json()["exchanges"]}
    presets = _presets_file()
    listed = set()
    for exchange, kinds in presets.items():
        for kind, coins in kinds.items():
            written = {c["preset_coin"]: c for c in venues[exchange][kind]}
            assert set(written) == set(coins)
            for coin, preset in coins.items():
                got = written[coin]
                listed.add((exchange, kind, got["symbol"]))
                assert got["symbol"] == preset["symbol"] and got["name"] == preset["name"]
                assert got["as_of"] == preset["as_of"] and got["sources"] == preset["sources"]
                assert got["sources"] and all(s.strip() for s in got["sources"])
                assert got["confirmed"] == preset["checked"] and got["unconfirmed"] == preset["unconfirmed"]
                assert got["tick"] == D(preset["tick"]) and got["mmr"] == D(preset["mmr"])
                assert got["family"] == preset["mm_basis"]
                if kind == "linear":
                    assert got["contract_size_coin"] == D(preset["contract_size"]) and got["multiplier"] is None
                    assert got["margin_currency"] == preset["quote"]
                else:
                    assert got["multiplier"] == D(preset["multiplier"]) and got["contract_size_coin"] is None
                    assert got["margin_currency"] == preset["settle"]
    assert listed == EXPECTED_SYMBOLS
    # The keys scripts read are all still there, and the CSV's columns are the inverse contracts' as before.
    for venue in venues.values():
        assert {"exchange", "name", "product", "family", "as_of", "sources", "notes", "coins"} <= set(venue)
    header = run_cli("exchanges", "--format", "csv").stdout.splitlines()[0].split(",")
    assert "linear" not in header and "quanto" not in header and header[0] == "exchange"


def test_exchanges_table_shows_the_linear_and_quanto_presets_with_sources_and_dates() -> None:
    run = run_cli("exchanges")
    assert run.exit_code == 0
    for _exchange, kind, symbol in EXPECTED_SYMBOLS:
        assert re.search(rf"{symbol} \({kind}, (entry|mark) family\), read 2026-12-06:", run.stdout), symbol
    assert "source: https://www.bitmex.com/blog/quanto-for-speculators" in run.stdout
    one = run_cli("exchanges", "bitmex")
    assert "confirmed by the sources: multiplier 0.000001 XBT per USD" in one.stdout
    assert "not confirmed: contract size 0.000001 XBT; tick 0.5" in one.stdout
    assert "BTCUSDT" not in one.stdout  # only BitMEX's


def test_exchanges_fields_picks_the_linear_and_quanto_lists() -> None:
    run = run_cli("exchanges", "bitmex", "--json", "--fields", "exchanges.exchange,exchanges.quanto")
    assert run.exit_code == 0, run.stderr
    (venue,) = run.json()["exchanges"]
    assert list(venue) == ["exchange", "quanto"]
    assert [c["symbol"] for c in venue["quanto"]] == ["ETHUSD"] and venue["quanto"][0]["multiplier"] == D("0.000001")


@pytest.mark.parametrize("kind", [("linear",), ("quanto", "--multiplier", "0.000001", "--settle-price", "60000")])
def test_leverage_of_a_linear_or_quanto_contract_explains_itself(kind: tuple[str, ...]) -> None:
    """``leverage --contract-type linear --explain`` echoes its entry under ``inputs``, not as
    ``average_entry``: its steps read it there (it was an internal error)."""
    run = run_cli("leverage", "--side", "long", "--entry", "1000", "--contracts", "10", "--leverage", "2",
                  "--contract-type", *kind, "--explain", "--json")  # fmt: skip
    assert run.exit_code == 0, run.stderr
    doc = run.json()
    assert any("initial margin = u·E/L" in line for line in doc["explain"])
    assert doc["initial_margin"] is not None
