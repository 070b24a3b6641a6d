"""The four commands through the CLI: DOMAIN.md's checks, the edge cases of §5, errors."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from conftest import ROOT, Run, without_column_note

from invfut_cli.exitcodes import ExitCode

D = Decimal
LONG_8000 = ("--side", "long", "--entry", "8000", "--contracts", "10000")
SHORT_8000 = ("--side", "short", "--entry", "8000", "--contracts", "8000")


def ok(run: Run) -> Any:
    """The JSON document of a run that must have succeeded."""
    assert run.exit_code == ExitCode.OK, run.stderr
    assert run.stderr == ""
    return run.json()


# --- DOMAIN §1: the seed table -------------------------------------------------------


def test_ladder_reproduces_the_seed_table(cli: Any) -> None:
    """$50 contracts, 4 long at $200: PnL per contract 0, 1/12, 1/8, 3/20; gains shrink."""
    out = ok(
        cli(
            "ladder",
            "--side",
            "long",
            "--entry",
            "200",
            "--contracts",
            "4",
            "--contract-size",
            "50",
            "--from",
            "200",
            "--to",
            "500",
            "--step",
            "100",
            "--json",
        )
    )
    rows = out["rows"]
    assert [r["price"] for r in rows] == [200, 300, 400, 500]
    per_contract = [Fraction(0), Fraction(1, 12), Fraction(1, 8), Fraction(3, 20)]
    for row, expected in zip(rows, per_contract, strict=True):
        assert row["pnl"] == D(round(expected * 4 * 10**8)) / 10**8
    steps = [r["step_pnl"] for r in rows[1:]]
    assert rows[0]["step_pnl"] is None
    assert steps[0] > steps[1] > steps[2] > 0  # the non-linearity
    assert rows[0]["mark"] == "entry, break-even"


def test_ladder_steps_and_pct_grids(cli: Any) -> None:
    by_count = ok(cli("ladder", *LONG_8000, "--from", "6000", "--to", "10000", "--steps", "4", "--json"))
    assert [r["price"] for r in by_count["rows"]] == [6000, 7000, 8000, 9000, 10000]
    around = ok(cli("ladder", *LONG_8000, "--pct", "20", "--pct-step", "5", "--json"))
    assert [r["price"] for r in around["rows"]] == [6400, 6800, 7200, 7600, 8000, 8400, 8800, 9200, 9600]


def test_ladder_marks_liquidation_with_leverage(cli: Any) -> None:
    out = ok(cli("ladder", *LONG_8000, "--leverage", "10", "--json"))
    marks = {m["mark"]: m for m in out["marks"]}
    assert set(marks) == {"entry, break-even", "liquidation", "bankruptcy"}
    # Equity is zero at the exact bankruptcy price 7272.7272…; the row is at the shown price
    # 7272.73 (a long's rounds up), where equity is M + Q(1/E − 1/P) = a hair above zero.
    shown = Fraction(marks["bankruptcy"]["price"])
    equity = Fraction(10000, 80000) + 10000 * (Fraction(1, 8000) - 1 / shown)
    assert shown == Fraction(727273, 100)
    assert marks["bankruptcy"]["equity"] == D(round(equity * 10**8)) / 10**8 >= 0
    assert out["liquidation_price"] == marks["liquidation"]["price"]
    # ROE at a 10% rise at 10× is 90.91%, not 100% (DOMAIN §2).
    row = next(r for r in out["rows"] if r["price"] == 8800)
    assert row["roe_pct"] == D("90.91")


# --- DOMAIN §5: both families and the edge cases --------------------------------------


@pytest.mark.parametrize(("side", "expected"), [("long", D("1826.48")), ("short", D("2209.94"))])
def test_isolated_entry_family_check(cli: Any, side: str, expected: Decimal) -> None:
    out = ok(
        cli(
            "liq-price",
            "--side",
            side,
            "--entry",
            "2000",
            "--contracts",
            "20000",
            "--leverage",
            "10",
            "--mmr",
            "0.005",
            "--json",
        )
    )
    assert out["liquidation_price_exact"].quantize(D("0.01")) == expected
    # E·L/(L+1) and E·L/(L−1) for the bankruptcy price.
    bankrupt = Fraction(2000 * 10, 11) if side == "long" else Fraction(2000 * 10, 9)
    assert out["bankruptcy_price_exact"] == D(round(bankrupt * 10**8)) / 10**8


def test_long_at_1x_is_bankrupt_at_half_the_entry(cli: Any) -> None:
    out = ok(cli("liq-price", *LONG_8000, "--leverage", "1", "--json"))
    assert out["bankruptcy_price"] == D(4000)
    assert out["liquidation_price"] is not None


@pytest.mark.parametrize("leverage", ["1", "0.5", "0.9"])
def test_short_at_or_below_1x_is_never_bankrupt_nor_mark_liquidated(cli: Any, leverage: str) -> None:
    out = ok(cli("liq-price", *SHORT_8000, "--leverage", leverage, "--mm-basis", "mark", "--json"))
    assert out["liquidation_price"] is None and out["liquidation_price_exact"] is None
    assert out["bankruptcy_price"] is None
    assert "never" in out["reason"] or "no price" in out["reason"]
    assert out["bankruptcy_reason"]
    assert out["distance_pct"] is None


def test_short_at_1x_entry_family_liquidates_at_entry_over_m(cli: Any) -> None:
    """Entry family: MM is a fixed m·Q/E, equity Q/P shrinks: liquidated at E/m = 1,600,000."""
    out = ok(cli("liq-price", *SHORT_8000, "--leverage", "1", "--mmr", "0.5%", "--json"))
    assert out["liquidation_price"] == D(1_600_000)
    assert out["bankruptcy_price"] is None
    assert out["reason"] is None


def test_short_below_1_over_1_plus_m_has_no_entry_family_price(cli: Any) -> None:
    # L = 1/(1 + m) = 0.99502…; just below it the denominator turns negative.
    out = ok(cli("liq-price", *SHORT_8000, "--leverage", "0.99", "--mmr", "0.5%", "--json"))
    assert out["liquidation_price"] is None
    assert out["reason"]
    text = cli("liq-price", *SHORT_8000, "--leverage", "0.99", "--mmr", "0.5%")
    assert text.exit_code == 0
    assert "No liquidation price" in text.stdout


def test_overleveraged_position_warns(cli: Any) -> None:
    out = ok(cli("liq-price", *LONG_8000, "--leverage", "500", "--mmr", "0.5%", "--json"))
    assert out["liquidation_price"] > 8000
    assert out["warnings"]


def test_cross_balance_and_mark_basis_with_deduction(cli: Any) -> None:
    """Mark family with a deduction d: P = Q(s+m)/(M + d + sQ/E)."""
    out = ok(
        cli(
            "liq-price",
            "--side",
            "long",
            "--entry",
            "25000",
            "--contracts",
            "100",
            "--contract-size",
            "100",
            "--balance",
            "0.1",
            "--mmr",
            "0.4%",
            "--mm-basis",
            "mark",
            "--mm-deduction",
            "0.001",
            "--json",
        )
    )
    q, e = Fraction(10000), Fraction(25000)
    expected = q * Fraction(1004, 1000) / (Fraction(1, 10) + Fraction(1, 1000) + q / e)
    assert out["liquidation_price_exact"] == D(round(expected * 10**8)) / 10**8
    assert out["margin_mode"] == "cross"
    assert out["initial_margin"] is None


def test_liquidation_price_rounds_toward_safety(cli: Any) -> None:
    long = ok(cli("liq-price", *LONG_8000, "--leverage", "20", "--tick", "0.5", "--json"))
    short = ok(
        cli(
            "liq-price",
            "--side",
            "short",
            "--entry",
            "8000",
            "--contracts",
            "10000",
            "--leverage",
            "20",
            "--tick",
            "0.5",
            "--json",
        )
    )
    assert long["liquidation_price"] >= long["liquidation_price_exact"]
    assert short["liquidation_price"] <= short["liquidation_price_exact"]
    assert long["liquidation_price"] % D("0.5") == 0 and short["liquidation_price"] % D("0.5") == 0
    assert long["price_step"] == D("0.5")


# --- pnl and leverage ----------------------------------------------------------------


def test_pnl_document(cli: Any) -> None:
    out = ok(cli("pnl", *LONG_8000, "--exit", "9000", "--leverage", "10", "--json"))
    assert out["pnl"] == D("0.13888889")  # 10000·(1/8000 − 1/9000)
    assert out["pnl_usd"] == D("1250.00")  # linear: 10000·(9000 − 8000)/8000
    assert out["roe_pct"] == D("111.11")  # 10·(1 − 8000/9000)
    assert out["initial_margin"] == D("0.125")
    assert out["margin_usd_entry"] == 1000 and out["margin_usd_exit"] == 1125
    assert out["price_change_pct"] == D("12.50")
    assert out["coin"] == "BTC"
    assert out["inputs"]["side"] == "long" and out["inputs"]["exit"] == 9000


def test_buy_and_sell_are_long_and_short(cli: Any) -> None:
    buy = ok(cli("pnl", "--side", "buy", "--entry", "100", "--exit", "110", "--contracts", "10", "--json"))
    sell = ok(cli("pnl", "--side", "SELL", "--entry", "100", "--exit", "110", "--contracts", "10", "--json"))
    assert buy["inputs"]["side"] == "long" and sell["inputs"]["side"] == "short"
    assert buy["pnl"] == -sell["pnl"]


def test_json_numbers_keep_input_precision_and_have_no_exponent(cli: Any) -> None:
    run = cli("pnl", "--side", "long", "--entry", "0.123456", "--exit", "0.2", "--contracts", "1000", "--json")
    out = ok(run)
    assert out["inputs"]["entry"] == D("0.123456")
    assert out["pnl_usd"].as_tuple().exponent == -6
    assert not re.search(r"\d[eE][+-]?\d", run.stdout)
    big = cli("liq-price", *SHORT_8000, "--leverage", "1", "--json")
    assert '"liquidation_price": 1600000.00,' in big.stdout


@pytest.mark.parametrize(
    ("given", "solved", "expected"),
    [
        (("--contracts", "10000", "--leverage", "10"), "margin", ("initial_margin", D("0.125"))),
        (("--contracts", "10000", "--margin", "0.25"), "leverage", ("leverage", D("5.00"))),
        (("--margin", "0.125", "--leverage", "10"), "contracts", ("contracts", D(10000))),
        (("--margin", "0.1", "--leverage", "3.33"), "contracts", ("contracts", D(2664))),  # floor(2664.0)
    ],
)
def test_leverage_solves_the_third(
    cli: Any, given: tuple[str, ...], solved: str, expected: tuple[str, Decimal]
) -> None:
    out = ok(cli("leverage", "--entry", "8000", *given, "--json"))
    assert out["solved"] == solved
    assert out[expected[0]] == expected[1]


def test_leverage_drift_rows(cli: Any) -> None:
    out = ok(cli("leverage", "--entry", "8000", "--contracts", "10000", "--leverage", "10", "--json"))
    rows = {r["price"]: r for r in out["rows"]}
    assert out["effective_leverage"] == 10 and rows[D(8000)]["effective_leverage"] == 10
    # A long: the value grows and equity shrinks as the price falls, so leverage rises fast.
    below = rows[D(7200)]
    assert below["equity"] < 0 and below["effective_leverage"] is None  # past bankruptcy at 7272.73
    assert rows[D(8800)]["effective_leverage"] < 10
    short = ok(
        cli("leverage", "--side", "short", "--entry", "8000", "--contracts", "8000", "--leverage", "1", "--json")
    )
    assert all(r["effective_leverage"] is not None and r["equity"] > 0 for r in short["rows"])


# --- errors --------------------------------------------------------------------------

BASE_PNL = ("pnl", "--side", "long", "--entry", "8000", "--exit", "9000", "--contracts", "10")


def _replace(args: tuple[str, ...], option: str, value: str | None) -> list[str]:
    out = list(args)
    if option in out:
        i = out.index(option)
        del out[i : i + 2]
    if value is not None:
        out += [option, value]
    return out


BAD = [
    (_replace(BASE_PNL, "--entry", "0"), "--entry"),
    (_replace(BASE_PNL, "--entry", "-5"), "--entry"),
    (_replace(BASE_PNL, "--entry", "nan"), "--entry"),
    (_replace(BASE_PNL, "--entry", "inf"), "--entry"),
    (_replace(BASE_PNL, "--entry", "1e999"), "--entry"),
    (_replace(BASE_PNL, "--entry", ""), "--entry"),
    (_replace(BASE_PNL, "--entry", "1,000"), "--entry"),
    (_replace(BASE_PNL, "--entry", "0x10"), "--entry"),
    (_replace(BASE_PNL, "--exit", "abc"), "--exit"),
    (_replace(BASE_PNL, "--contracts", "-1"), "--contracts"),
    (_replace(BASE_PNL, "--side", "up"), "--side"),
    (_replace(BASE_PNL, "--entry", None), "--entry"),
    ([*BASE_PNL, "--leverage", "0"], "--leverage"),
    ([*BASE_PNL, "--leverage", "-2"], "--leverage"),
    ([*BASE_PNL, "--leverage", "5", "--margin", "1"], "--margin"),
    ([*BASE_PNL, "--margin", "1", "--balance", "1"], "--balance"),
    ([*BASE_PNL, "--bogus", "1"], "--bogus"),
    (["liq-price", *LONG_8000], "--leverage"),
    (["liq-price", *LONG_8000, "--leverage", "10", "--mmr", "150%"], "--mmr"),
    (["liq-price", *LONG_8000, "--leverage", "10", "--mmr", "-1%"], "--mmr"),
    (["liq-price", *LONG_8000, "--leverage", "10", "--mmr", "half"], "--mmr"),
    (["liq-price", *LONG_8000, "--leverage", "10", "--taker-fee", "nan%"], "--taker-fee"),
    (["liq-price", *LONG_8000, "--leverage", "10", "--mm-basis", "index"], "--mm-basis"),
    (["liq-price", *LONG_8000, "--leverage", "10", "--tick", "0"], "--tick"),
    (["ladder", *LONG_8000, "--from", "9000", "--to", "8000", "--step", "100"], "--to"),
    (["ladder", *LONG_8000, "--from", "7000", "--to", "8000", "--step", "0"], "--step"),
    (["ladder", *LONG_8000, "--from", "7000", "--to", "8000"], "--step"),
    (["ladder", *LONG_8000, "--from", "7000", "--to", "8000", "--step", "0.00000001"], "--step"),
    (["ladder", *LONG_8000, "--from", "7000"], "--to"),
    (["ladder", *LONG_8000, "--pct", "100"], "--pct"),
    (["ladder", *LONG_8000, "--pct", "10", "--from", "1", "--to", "2", "--steps", "2"], "--pct"),
    (["ladder", *LONG_8000, "--steps", "0", "--from", "1", "--to", "2"], "--steps"),
    (["leverage", "--entry", "8000", "--contracts", "10"], "--leverage"),
    (["leverage", "--entry", "8000", "--contracts", "10", "--margin", "1", "--leverage", "2"], "--contracts"),
    (["leverage", "--entry", "8000", "--margin", "0.00000001", "--leverage", "1"], "--margin"),
]


@pytest.mark.parametrize(("args", "option"), BAD, ids=[" ".join(a[0][:1] + a[0][-2:]) for a in BAD])
def test_bad_input_is_one_line_naming_the_option(cli: Any, args: list[str], option: str) -> None:
    run = cli(*args)
    assert run.exit_code == ExitCode.USAGE
    assert run.stdout == ""
    lines = run.stderr.splitlines()
    assert len(lines) == 1, run.stderr
    assert option in lines[0]
    assert "Traceback" not in run.stderr
    as_json = cli(*args, "--json")
    assert as_json.exit_code == ExitCode.USAGE and as_json.stdout == ""
    error = json.loads(as_json.stderr)["error"]
    assert error["option"] == option and error["message"] and error["exit_code"] == 2


def test_no_arguments_prints_the_help_and_exit_0(cli: Any) -> None:
    run = cli()
    assert run.exit_code == ExitCode.OK
    assert run.stderr == ""
    assert "Usage: invfut" in run.stdout and "liq-price" in run.stdout


# --- tables and JSON carry the same numbers --------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("pnl", *LONG_8000, "--exit", "9000", "--leverage", "10"),
        ("liq-price", *LONG_8000, "--balance", "0.5", "--taker-fee", "0.075%"),
        ("leverage", "--entry", "8000", "--contracts", "10000", "--leverage", "10"),
        ("ladder", *LONG_8000, "--leverage", "10"),
    ],
)
def test_table_shows_the_json_numbers(cli: Any, args: tuple[str, ...]) -> None:
    doc = ok(cli(*args, "--json"))
    table = cli(*args)
    assert table.exit_code == 0 and without_column_note(table.stderr) == ""
    from invfut_cli.render.table import first_keys, left_for_later

    shown = set(re.findall(r"-?\d[\d,]*\.\d+", table.stdout))
    # The summary shows what the command puts first (pnl: the exit and what it makes), and
    # says how many more figures --explain and --json give.
    first = set(first_keys(doc))
    summary = {f"{v:,f}" for k, v in doc.items() if k in first and isinstance(v, Decimal) and v.as_tuple().exponent < 0}
    later = left_for_later(doc)
    assert (f"{later} more figures with --explain" in table.stdout) is (later > 0)
    if later:
        # With --explain the table is whole: every summary figure is in it.
        whole = cli(*args, "--explain").stdout
        assert {f"{v:,f}" for k, v in doc.items() if isinstance(v, Decimal) and v.as_tuple().exponent < 0} <= set(
            re.findall(r"-?\d[\d,]*\.\d+", whole)
        )
    in_rows = {
        f"{v:,f}"
        for row in [*doc.get("rows", []), *doc.get("marks", [])]
        for v in row.values()
        if isinstance(v, Decimal)
    }
    # Every summary number is in the table, and the table shows no number the JSON lacks.
    assert summary <= shown
    assert shown <= summary | in_rows | {f"{v:,f}" for v in doc["inputs"].values() if isinstance(v, Decimal)}
    assert len(shown) > 3


def test_json_path_does_not_import_rich_or_other_commands() -> None:
    code = (
        "import sys\n"
        "sys.argv = ['invfut','pnl','--side','long','--entry','8000','--exit','9000','--contracts','10','--json']\n"
        "from invfut_cli.app import main\n"
        "try:\n    main()\n"
        "except SystemExit:\n    pass\n"
        "sys.stderr.write(repr(sorted(m for m in sys.modules if m == 'rich' or m.startswith(('rich.', \n"
        "    'invfut_cli.commands.', 'pydantic_settings', 'invfut_cli.render.table')))))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(run.stdout)["pnl"]
    # pnl's own parts (its layout, its target solver) and the contract, nothing of another command.
    loaded = ast.literal_eval(run.stderr)
    assert "invfut_cli.commands.pnl" in loaded
    assert [m for m in loaded if not m.startswith("invfut_cli.commands.pnl")] == []


@pytest.mark.parametrize(
    ("argv", "answer", "commands"),
    [
        (["--version"], "invfut 0.1.0", set()),
        (["--offline", "pnl", "--side", "long", "--entry", "8000", "--exit", "9000", "--contracts", "10", "--json"],
         '"command": "pnl"', {"pnl"}),
    ],
)  # fmt: skip
def test_the_apps_own_options_load_no_other_command(argv: list[str], answer: str, commands: set[str]) -> None:
    """``invfut --version`` loads no command, and a command after the app's own flag
    (``invfut --offline pnl …``) only its own, as without the flag."""
    code = (
        "import sys\n"
        f"sys.argv = ['invfut', *{argv!r}]\n"
        "from invfut_cli.app import main\n"
        "try:\n    main()\n"
        "except SystemExit:\n    pass\n"
        "sys.stderr.write(repr(sorted(m for m in sys.modules if m.startswith('invfut_cli.commands.'))))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert answer in run.stdout
    loaded = {m.split(".")[2] for m in ast.literal_eval(run.stderr.splitlines()[-1])}
    assert loaded == commands


def test_an_error_after_the_apps_own_flag_names_the_command(cli: Any) -> None:
    """``invfut --offline pnl …`` is ``pnl``'s run: its error line names ``invfut pnl``, as
    without the flag; a misspelt command is still the app's error."""
    run = cli("--offline", "pnl", "--side", "long", "--entry", "8000", "--exit", "9000", "--contracts", "nope")
    assert run.exit_code == 2 and run.stdout == ""
    assert run.stderr.startswith("invfut pnl: error:") and "--contracts" in run.stderr
    run = cli("--offline", "lig-price", "pnl")
    assert run.exit_code == 2 and run.stderr.startswith("invfut: error:") and "liq-price" in run.stderr


def test_help_imports_every_command_but_no_layout() -> None:
    """``invfut --help`` (and every TAB completion) imports each command module, and no
    command's layout: those are read on first use (:func:`invfut_cli.commands.layout_on_use`)."""
    code = (
        "import sys\n"
        "sys.argv = ['invfut', '--help']\n"
        "from invfut_cli.app import main\n"
        "try:\n    main()\n"
        "except SystemExit:\n    pass\n"
        "sys.stderr.write(repr(sorted(m for m in sys.modules if m.endswith('.layout'))))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "replay" in run.stdout
    assert ast.literal_eval(run.stderr.splitlines()[-1]) == []


def test_command_modules_match_the_registrations() -> None:
    from invfut_cli.app import _FUNCTIONS
    from invfut_cli.cli import app as full_app
    from invfut_cli.registry import REGISTRY, module_name

    registered = {c.name: c.callback for c in full_app.registered_commands}
    assert set(registered) == set(REGISTRY) == set(_FUNCTIONS)
    for name, func in registered.items():
        assert func.__module__ == f"invfut_cli.commands.{module_name(name)}", name


def test_installed_console_script_runs() -> None:
    exe = os.path.join(os.path.dirname(sys.executable), "invfut")
    run = subprocess.run(
        [exe, "liq-price", *LONG_8000, "--balance", "0.5", "--taker-fee", "0.075%", "--tick", "0.5", "--json"],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "100"},
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout, parse_float=Decimal)["liquidation_price"] == D("5739.5")
    bad = subprocess.run([exe, "pnl", "--side", "long"], capture_output=True, text=True)
    assert bad.returncode == 2 and bad.stdout == "" and len(bad.stderr.splitlines()) == 1
    module = subprocess.run([sys.executable, "-m", "invfut_cli", "--help"], capture_output=True, text=True, cwd=ROOT)
    assert module.returncode == 0 and "liq-price" in module.stdout
