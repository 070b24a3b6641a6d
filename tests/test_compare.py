"""``invfut compare``: each venue's row is what ``liq-price`` says on that venue.

The issue asks for exactly that equality, so the reference here is ``liq-price`` itself,
run on its own for each venue (every preset, longs and shorts, isolated and cross). The
contracts each venue buys are checked against exact arithmetic, and the limits against the
preset data.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from conftest import Run

from invfut_cli.exitcodes import ExitCode
from invfut_cli.venues.presets import load

F = Fraction
D = Decimal

#: The keys a row takes from ``liq-price``'s document, unchanged.
SHARED = (
    "size_usd",
    "margin_mode",
    "formula_family",
    "fee_treatment",
    "initial_margin",
    "collateral",
    "maintenance_margin",
    "order_cost",
    "liquidation_price",
    "liquidation_price_exact",
    "liquidation_price_estimate",
    "liquidation_price_estimate_exact",
    "estimate_distance_pct",
    "estimate_basis",
    "bankruptcy_price",
    "bankruptcy_price_exact",
    "distance_pct",
    "price_step",
    "tier",
    "reason",
    "bankruptcy_reason",
    "warnings",
    "size_asked",
)
ENTRY = {"BTC": "60000", "ETH": "3000"}
MARGINS = {
    "isolated-leverage": ("--leverage", "4"),
    "isolated-margin": ("--margin", "0.06"),
    "cross": ("--balance", "0.5"),
}
ETH_MARGINS = {
    "isolated-leverage": ("--leverage", "4"),
    "isolated-margin": ("--margin", "1.2"),
    "cross": ("--balance", "9"),
}


def ok(run: Run) -> Any:
    assert run.exit_code == ExitCode.OK, run.stderr
    return run.json()


def venues_of(coin: str) -> list[str]:
    return [name.value for name, preset in load().presets.items() if coin in preset.coins]


@pytest.mark.parametrize("coin", ["BTC", "ETH"])
@pytest.mark.parametrize("side", ["long", "short"])
@pytest.mark.parametrize("mode", list(MARGINS))
def test_rows_are_liq_price_venue_by_venue(cli: Any, coin: str, side: str, mode: str) -> None:
    margin = (MARGINS if coin == "BTC" else ETH_MARGINS)[mode]
    position = ("--side", side, "--entry", ENTRY[coin], "--coin", coin, *margin)
    doc = ok(cli("compare", *position, "--size-usd", "20000", "--json"))
    assert [row["exchange"] for row in doc["rows"]] == venues_of(coin)
    assert doc["margin_mode"] == ("cross" if mode == "cross" else "isolated")
    for row in doc["rows"]:
        assert row["allowed"], row["reason"]
        venue = row["exchange"]
        by_size = ok(cli("liq-price", *position, "--exchange", venue, "--size-usd", "20000", "--json"))
        assert {key: row[key] for key in SHARED} == {key: by_size[key] for key in SHARED}, venue
        assert row["contracts"] == by_size["inputs"]["contracts"]
        assert row["leverage"] == by_size["inputs"]["leverage"]
        assert row["fee_rate"] == by_size["inputs"]["taker_fee"]
        # The contracts: whole lots of the venue's contract, rounded down, in exact arithmetic.
        contract = load().presets[venue].coins[coin]
        lots = math.floor(F(20000) / (F(contract.contract_size_usd) * F(contract.lot)))
        assert row["contracts"] == lots * contract.lot
        assert row["symbol"] == contract.symbol
        assert row["contract_size"] == contract.contract_size_usd
        assert F(row["size_coin"]) == F(round(F(row["size_usd"]) / F(ENTRY[coin]), 8))


@pytest.mark.parametrize("side", ["long", "short"])
def test_contracts_means_each_venues_own(cli: Any, side: str) -> None:
    position = ("--side", side, "--entry", "60000", "--leverage", "3")
    doc = ok(cli("compare", *position, "--contracts", "300", "--exchange", "bybit,binance,deribit", "--json"))
    sizes = {row["exchange"]: row["size_usd"] for row in doc["rows"]}
    assert sizes == {"bybit": 300, "binance": 30000, "deribit": 3000}
    for row in doc["rows"]:
        alone = ok(cli("liq-price", *position, "--contracts", "300", "--exchange", row["exchange"], "--json"))
        assert {key: row[key] for key in SHARED} == {key: alone[key] for key in SHARED}
        assert row["size_asked"] is None


def test_a_leverage_a_venue_refuses_is_that_venues_row(cli: Any) -> None:
    """$1M at 50x: Kraken's second USD bracket allows 25x, OKX's third contract tier 30x (the
    preset data), Deribit 1/(2% + 0.005% × 16.67 BTC) = 48x; the others still answer."""
    position = ("--side", "short", "--entry", "60000", "--leverage", "50")
    doc = ok(cli("compare", *position, "--size-usd", "1000000", "--json"))
    rows = {row["exchange"]: row for row in doc["rows"]}
    kraken = load().presets["kraken"].coins["BTC"].table()
    okx = load().presets["okx"].coins["BTC"].table()
    assert kraken is not None and okx is not None
    limits = {
        "kraken": kraken.tiers[1].max_leverage,
        "okx": okx.tiers[2].max_leverage,
        "deribit": D(math.floor(F(1) / (F("0.02") + F("0.00005") * F(1_000_000, 60000)) * 100)) / 100,
    }
    for venue, limit in limits.items():
        row = rows[venue]
        assert row["allowed"] is False
        assert row["max_leverage"] == limit
        assert f"maximum of {row['max_leverage']}x" in row["reason"]
        assert row["liquidation_price"] is None and row["order_cost"] is None
        assert row["contracts"] is not None and row["size_usd"] == 1_000_000
        # liq-price itself refuses it, naming the leverage, with the same words.
        alone = cli("liq-price", *position, "--size-usd", "1000000", "--exchange", venue)
        assert alone.exit_code == ExitCode.USAGE and alone.stdout == ""
        assert row["reason"] in " ".join(alone.stderr.split())
    for venue in ("bitmex", "bybit", "binance"):
        assert rows[venue]["allowed"] is True
        assert rows[venue]["liquidation_price"] is not None


def test_a_size_below_a_venues_lot_is_that_venues_row(cli: Any) -> None:
    doc = ok(cli("compare", "--side", "long", "--entry", "60000", "--leverage", "2", "--size-usd", "150", "--json"))
    rows = {row["exchange"]: row for row in doc["rows"]}
    assert rows["bitmex"]["contracts"] == 100
    assert rows["binance"]["allowed"] is True and rows["binance"]["contracts"] == 1
    # $150 on Bybit is 150 contracts; the generic rows answer, and none fails the table.
    assert rows["bybit"]["contracts"] == 150
    small = ok(cli("compare", "--side", "long", "--entry", "60000", "--leverage", "2", "--size-usd", "50", "--json"))
    rows = {row["exchange"]: row for row in small["rows"]}
    for venue in ("bitmex", "binance", "okx"):  # one lot is $100 there
        assert rows[venue]["allowed"] is False
        assert rows[venue]["contracts"] is None
        assert "the smallest size is" in rows[venue]["reason"]
    assert rows["bybit"]["allowed"] is True and rows["deribit"]["contracts"] == 5  # $10 contracts


def test_deribit_row_is_labelled_an_estimate(cli: Any) -> None:
    doc = ok(
        cli(
            "compare",
            "--side",
            "long",
            "--entry",
            "60000",
            "--leverage",
            "10",
            "--size-usd",
            "10000",
            "--exchange",
            "deribit",
            "--json",
        )
    )
    (row,) = doc["rows"]
    assert row["liquidation_price"] is None
    assert row["liquidation_price_estimate"] is not None
    assert row["estimate_basis"].startswith("an estimate")


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (("--exchange", "bybit,nowhere"), "--exchange"),
        (("--exchange", "bitmex", "--coin", "ETH"), "--exchange"),
        (("--exchange", " , "), "--exchange"),
        (("--size-usd", "100", "--contracts", "5"), "--contracts"),
        (("--size-usd", "-100"), "--size-usd"),
        (("--size-usd", "100", "--margin", "1"), "--margin"),
    ],
)
def test_bad_input_is_one_line_naming_the_option(cli: Any, args: tuple[str, ...], option: str) -> None:
    base = ["compare", "--side", "long", "--entry", "60000"]
    if "--size-usd" not in args and "--contracts" not in args:
        base += ["--size-usd", "1000"]
    base += ["--leverage", "2"]
    run = cli(*base, *args)
    assert run.exit_code == ExitCode.USAGE, run.stdout
    assert run.stdout == ""
    assert len(run.stderr.splitlines()) == 1 and option in run.stderr, run.stderr


def test_no_size_is_an_error(cli: Any) -> None:
    run = cli("compare", "--side", "long", "--entry", "60000", "--leverage", "2")
    assert run.exit_code == ExitCode.USAGE and run.stdout == ""
    assert "--size-usd" in run.stderr


HEADERS = (
    "venue",
    "contracts",
    "size USD",
    "IM",
    "fee open",
    "fee close",
    "order cost",
    "max x",
    "symbol",
    "family",
    "tier",
    "liquidation",
    "dist %",
    "bankruptcy",
    "MM",
)


def test_table_fits_100_columns_whole(cli: Any) -> None:
    run = cli("compare", "--side", "short", "--entry", "60000", "--leverage", "50", "--size-usd", "1000000")
    assert run.exit_code == 0 and run.stderr == ""
    assert max(len(line.rstrip()) for line in run.stdout.splitlines()) <= 100
    for header in HEADERS:
        assert f" {header} " in run.stdout + " ", header
    assert "okx: not allowed" in " ".join(run.stdout.split())


def test_table_at_80_columns_names_what_it_leaves_out(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    run = cli("compare", "--side", "short", "--entry", "60000", "--leverage", "50", "--size-usd", "1000000")
    assert run.exit_code == 0
    assert max(len(line.rstrip()) for line in run.stdout.splitlines()) <= 80
    (note,) = run.stderr.splitlines()
    assert note.startswith("invfut compare: 80 columns leave out ")
    left_out = note.split("leave out ", 1)[1].split(";")[0].split(", ")
    assert left_out and all(f" {name} " not in run.stdout for name in left_out)


def test_deribit_estimate_is_marked_in_the_table(cli: Any) -> None:
    run = cli("compare", "--side", "long", "--entry", "60000", "--leverage", "10", "--size-usd", "10000")
    doc = ok(cli("compare", "--side", "long", "--entry", "60000", "--leverage", "10", "--size-usd", "10000", "--json"))
    deribit = next(r for r in doc["rows"] if r["exchange"] == "deribit")
    assert f"≈{deribit['liquidation_price_estimate']:,f}" in run.stdout
    assert "≈ an estimate" in run.stdout


def test_explain_and_formats(cli: Any) -> None:
    base = ("compare", "--side", "long", "--entry", "60000", "--balance", "1", "--size-coin", "0.5")
    doc = ok(cli(*base, "--json", "--explain"))
    assert doc["explain"][0].startswith("each row is liq-price")
    assert len(doc["explain"]) == 2 + len(doc["rows"])
    csv = cli(*base, "--format", "csv")
    assert csv.exit_code == 0 and len(csv.stdout.splitlines()) == 1 + len(doc["rows"])


def test_json_path_does_not_load_rich() -> None:
    code = (
        "import sys\n"
        "sys.argv = ['invfut','compare','--side','long','--entry','60000','--leverage','2','--size-usd','1000','--json']\n"
        "from invfut_cli.app import main\n"
        "try:\n    main()\n"
        "except SystemExit:\n    pass\n"
        "sys.stderr.write(repr(sorted(m for m in sys.modules if m.split('.')[0] == 'rich')))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(run.stdout)["command"] == "compare"
    assert run.stderr == "[]"


def test_batch_runs_compare() -> None:
    line = json.dumps(
        {
            "command": "compare",
            "side": "long",
            "entry": 60000,
            "leverage": 2,
            "size_usd": 1000,
            "exchange": ["okx", "kraken"],
        }
    )
    run = subprocess.run([sys.executable, "-m", "invfut_cli", "batch"], input=line, capture_output=True, text=True)
    record = json.loads(run.stdout, parse_float=D)
    assert [row["exchange"] for row in record["rows"]] == ["okx", "kraken"]
