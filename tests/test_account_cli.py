"""``invfut account`` through the command line: DOMAIN.md §8's example, one position against
``liq-price`` on every venue in both margin modes, the edge cases, orders, shocks, the hedge,
``batch``, and the broken files."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import ROUND_FLOOR, Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from conftest import Run

from invfut_cli.exitcodes import ExitCode

D = Decimal
F = Fraction

EXAMPLE = """coin = "BTC"
balance = 1.0
[[position]]
name = "perp"
side = "long"
contracts = 20000
entry = 60000
[[position]]
name = "quarterly"
side = "short"
contracts = 10000
entry = 62000
"""


def ok(run: Run) -> Any:
    assert run.exit_code == ExitCode.OK, run.stderr
    assert run.stderr == ""
    return run.json()


def write(tmp_path: Path, text: str, name: str = "account.toml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def toml_account(balance: str, *positions: dict[str, Any], exchange: str | None = None, coin: str = "BTC") -> str:
    lines = [f'exchange = "{exchange}"'] if exchange else []
    lines += [f'coin = "{coin}"', f"balance = {balance}"]
    for position in positions:
        lines.append("[[position]]")
        lines += [f"{k} = {json.dumps(v) if isinstance(v, str) else v}" for k, v in position.items()]
    return "\n".join(lines) + "\n"


def fraction_places(value: Fraction, places: int, up: bool | None = None) -> Decimal:
    """``value`` to ``places`` decimals: nearest, or up / down."""
    scaled = value * 10**places
    if up is None:
        whole = round(scaled)
    else:
        whole = -((-scaled.numerator) // scaled.denominator) if up else scaled.numerator // scaled.denominator
    return D(whole).scaleb(-places)


# --- DOMAIN.md §8 -----------------------------------------------------------------------------


def test_the_worked_example_of_section_8(cli: Any, tmp_path: Path) -> None:
    out = ok(cli("account", write(tmp_path, EXAMPLE), "--price", "60000", "--json"))
    # The reference: S = 10,000, A = 20,000/60,000 − 10,000/62,000, MM = 0.5%·ΣQ/E, P = S/(B + A − MM).
    a = F(20000, 60000) - F(10000, 62000)
    mm = F(5, 1000) * (F(20000, 60000) + F(10000, 62000))
    liq = F(10000) / (1 + a - mm)
    equity = 1 + a - F(10000, 60000)
    assert out["equity"] == fraction_places(equity, 8) == D("1.00537634")  # DOMAIN.md's figure
    assert out["maintenance_margin"] == fraction_places(mm, 8) == D("0.00247312")
    assert out["net_entry_value"] == D("0.17204301")
    assert out["liquidation_price_exact"] == fraction_places(liq, 8)
    assert out["liquidation_price_exact"].quantize(D("0.01"), ROUND_FLOOR) == D("8550.15")  # DOMAIN.md
    assert out["liquidation_price"] == fraction_places(liq, 2, up=True)  # a long-heavy account's rounds up
    assert out["distance_pct"] == fraction_places((liq - 60000) / 60000 * 100, 2)
    assert out["liquidation_side"] == "below"
    assert out["liquidated"] is False and out["reason"] is None
    assert out["usd_delta"] == fraction_places(1 + a, 8)
    assert out["coin_delta"] == fraction_places(F(10000) / 60000**2, 12)
    assert out["coin_gamma"] == fraction_places(F(-20000) / 60000**3, 16)
    assert [p["name"] for p in out["positions"]] == ["perp", "quarterly"]
    assert out["positions"][1]["pnl"] == fraction_places(-10000 * (F(1, 62000) - F(1, 60000)), 8)
    for key in (
        "equity",
        "maintenance_margin",
        "liquidation_price",
        "liquidation_price_exact",
        "distance_pct",
        "usd_delta",
        "coin_delta",
        "coin_gamma",
        "positions",
    ):
        assert key in out


def test_json_on_stdin_is_the_same_account(cli: Any, tmp_path: Path) -> None:
    from conftest import CliRunner

    from invfut_cli.cli import app

    data = {
        "coin": "BTC",
        "balance": 1,
        "position": [
            {"name": "perp", "side": "long", "contracts": 20000, "entry": 60000},
            {"name": "quarterly", "side": "short", "contracts": 10000, "entry": 62000},
        ],
    }
    piped = CliRunner().invoke(
        app, ["account", "-", "--price", "60000", "--json"], input=json.dumps(data), prog_name="invfut"
    )
    assert piped.exit_code == 0, piped.stderr
    from_file = ok(cli("account", write(tmp_path, EXAMPLE), "--price", "60000", "--json"))
    got = json.loads(piped.stdout, parse_float=D)
    for key in ("equity", "liquidation_price", "liquidation_price_exact", "positions"):
        assert got[key] == from_file[key]


# --- one position is liq-price, on every venue and in both modes ----------------------------

VENUES = {
    # venue: (contracts, contract size) that fit the venue's lot
    "generic": "10000",
    "bitmex": "10000",
    "bybit": "10000",
    "binance": "100",
    "okx": "100",
    "kraken": "10000",
    "deribit": "1000",
}


@pytest.mark.parametrize("venue", sorted(VENUES))
@pytest.mark.parametrize("side", ["long", "short"])
@pytest.mark.parametrize("mode", ["cross", "isolated"])
def test_one_position_is_liq_price(cli: Any, tmp_path: Path, venue: str, side: str, mode: str) -> None:
    contracts = VENUES[venue]
    exchange = () if venue == "generic" else ("--exchange", venue)
    collateral = ("--balance", "0.3") if mode == "cross" else ("--leverage", "5")
    single = ok(
        cli("liq-price", "--side", side, "--entry", "60000", "--contracts", contracts, *collateral, *exchange, "--json")
    )
    position: dict[str, Any] = {"side": side, "contracts": int(contracts), "entry": 60000}
    if mode == "isolated":
        position["leverage"] = 5
    path = write(
        tmp_path,
        toml_account("0.3" if mode == "cross" else "0", position, exchange=None if venue == "generic" else venue),
    )
    out = ok(cli("account", path, "--price", "59000", "--json"))
    if mode == "cross":
        got = out
    else:
        got = out["positions"][0]
        assert out["liquidation_price"] is None and out["reason"] is not None  # no cross position
    assert got["liquidation_price"] == single["liquidation_price"]
    assert got["liquidation_price_exact"] == single["liquidation_price_exact"]
    assert (got["liquidation_price"] is None) == (single["reason"] is not None)
    if mode == "cross":
        assert got["bankruptcy_price_exact"] == single["bankruptcy_price_exact"]
        assert got["fee_treatment"] == single["fee_treatment"]
        if single["tier"] is not None and "index" in single["tier"]:
            assert got["positions"][0]["tier_index"] == single["tier"]["index"]
    else:
        assert got["bankruptcy_price"] == single["bankruptcy_price"]
        assert got["maintenance_margin"] == single["maintenance_margin"]
        assert got["collateral"] == single["collateral"]


def test_the_flags_apply_as_in_liq_price(cli: Any, tmp_path: Path) -> None:
    """--mmr, --mm-basis, --mm-deduction, --taker-fee and --tick, on one cross position."""
    flags = ("--mmr", "1%", "--mm-basis", "mark", "--mm-deduction", "0.001", "--taker-fee", "0.05%", "--tick", "0.5")
    single = ok(
        cli(
            "liq-price",
            "--side",
            "short",
            "--entry",
            "8000",
            "--contracts",
            "1000",
            "--balance",
            "0.05",
            *flags,
            "--json",
        )
    )
    path = write(tmp_path, toml_account("0.05", {"side": "short", "contracts": 1000, "entry": 8000}))
    out = ok(cli("account", path, "--price", "8000", *flags, "--json"))
    assert out["liquidation_price"] == single["liquidation_price"]
    assert out["liquidation_price_exact"] == single["liquidation_price_exact"]
    assert out["liquidation_side"] == "above"


# --- the edge cases ---------------------------------------------------------------------------


def test_equal_and_opposite_sizes_have_no_price(cli: Any, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        toml_account(
            "1",
            {"side": "long", "contracts": 5000, "entry": 60000},
            {"side": "short", "contracts": 5000, "entry": 61000},
        ),
    )
    out = ok(cli("account", path, "--price", "60000", "--json"))
    assert out["liquidation_price"] is None and out["liquidation_price_exact"] is None
    assert out["distance_pct"] is None
    assert "equal and opposite" in out["reason"]
    assert out["liquidated"] is False
    assert out["coin_delta"] == 0 and out["exposure"] == 0


def test_an_already_liquidated_account(cli: Any, tmp_path: Path) -> None:
    """Long 100,000 at 60,000 on 0.1 BTC: liquidated at about 56,872 (entry family, 0.5%); at
    50,000 the account is past it. --fail-within then alerts (exit 4) whatever the limit."""
    path = write(tmp_path, toml_account("0.1", {"side": "long", "contracts": 100000, "entry": 60000}))
    liq = F(100000) / (F(1, 10) + F(100000, 60000) - F(5, 1000) * F(100000, 60000))
    run = cli("account", path, "--price", "50000", "--fail-within", "0", "--json")
    assert run.exit_code == ExitCode.ALERT
    out = run.json()
    assert out["liquidated"] is True and out["alert"] is True
    assert out["liquidation_price_exact"] == fraction_places(liq, 8)
    assert out["distance_pct"] > 0  # the liquidation price is above the price: beyond it
    assert out["free_margin"] < 0
    # At 58,000 the account is not liquidated; its liquidation price is 1.94% below.
    assert ok(cli("account", path, "--price", "58000", "--fail-within", "1", "--json"))["alert"] is False
    assert cli("account", path, "--price", "58000", "--fail-within", "3", "--json").exit_code == ExitCode.ALERT


def test_liquidated_at_every_price(cli: Any, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        toml_account(
            "0",
            {"side": "long", "contracts": 5000, "entry": 60000},
            {"side": "short", "contracts": 5000, "entry": 60000},
        ),
    )
    out = ok(cli("account", path, "--price", "60000", "--json"))
    assert out["liquidation_price"] is None
    assert out["liquidated"] is True and "liquidated now" in out["reason"]


def test_cross_and_isolated_positions_mixed(cli: Any, tmp_path: Path) -> None:
    iso = {"name": "iso", "side": "short", "contracts": 6000, "entry": 60000, "margin": 0.01}
    cross = [
        {"name": "perp", "side": "long", "contracts": 20000, "entry": 60000},
        {"name": "q", "side": "short", "contracts": 10000, "entry": 62000},
    ]
    mixed = ok(
        cli("account", write(tmp_path, toml_account("1", cross[0], iso, cross[1])), "--price", "60500", "--json")
    )
    alone = ok(cli("account", write(tmp_path, toml_account("1", *cross), "c.toml"), "--price", "60500", "--json"))
    for key in ("equity", "maintenance_margin", "liquidation_price", "liquidation_price_exact", "usd_delta"):
        assert mixed[key] == alone[key], key
    assert mixed["cross_positions"] == 2
    single = ok(
        cli("liq-price", "--side", "short", "--entry", "60000", "--contracts", "6000", "--margin", "0.01", "--json")
    )
    own = mixed["positions"][1]
    assert own["margin_mode"] == "isolated" and own["name"] == "iso"
    assert own["liquidation_price"] == single["liquidation_price"]
    assert own["liquidation_price_exact"] == single["liquidation_price_exact"]
    assert own["liquidated"] is False
    iso_pnl = -6000 * (F(1, 60000) - F(1, 60500))
    assert own["equity"] == fraction_places(F(1, 100) + iso_pnl, 8)
    assert abs(mixed["total_equity"] - alone["total_equity"] - own["equity"]) <= D("0.00000001")  # each rounded
    assert mixed["total_usd_delta"] == fraction_places(
        1 + F(20000, 60000) - F(10000, 62000) + F(1, 100) - F(6000, 60000), 8
    )
    # A price past the isolated short's own liquidation price liquidates it, not the account.
    past = ok(
        cli(
            "account",
            write(tmp_path, toml_account("1", cross[0], iso, cross[1]), "m.toml"),
            "--price",
            "80000",
            "--json",
        )
    )
    assert past["positions"][1]["liquidated"] is True and past["liquidated"] is False


# --- orders, shocks, the hedge ----------------------------------------------------------------


def test_an_order_shows_the_account_before_and_after(cli: Any, tmp_path: Path) -> None:
    path = write(tmp_path, EXAMPLE)
    plain = ok(cli("account", path, "--price", "60000", "--json"))
    out = ok(cli("account", path, "--price", "60000", "--add", "long:30000@60000", "--json"))
    added = EXAMPLE + '[[position]]\nname = "added"\nside = "long"\ncontracts = 30000\nentry = 60000\n'
    expected = ok(cli("account", write(tmp_path, added, "a.toml"), "--price", "60000", "--json"))
    assert {k: out["before"][k] for k in ("equity", "liquidation_price_exact", "positions")} == {
        k: plain[k] for k in ("equity", "liquidation_price_exact", "positions")
    }
    assert out["after"]["liquidation_price_exact"] == expected["liquidation_price_exact"]
    assert out["after"]["positions"] == expected["positions"]
    assert out["liquidation_price_change"] == out["after"]["liquidation_price"] - out["before"]["liquidation_price"]
    assert out["liquidation_price_change"] > 0  # a bigger long brings liquidation up, closer
    assert "equity" not in out  # the account is under before and after


def test_fail_within_alerts_on_the_order(cli: Any, tmp_path: Path) -> None:
    """The order takes the liquidation price within 30% of the price: exit 4, the answer printed."""
    path = write(tmp_path, EXAMPLE)
    order = ("--add", "long:150000@60000")
    out = ok(cli("account", path, "--price", "60000", *order, "--json"))
    distance = abs(out["after"]["distance_pct"])
    assert distance < 30 < abs(out["before"]["distance_pct"])
    run = cli("account", path, "--price", "60000", *order, "--fail-within", "30", "--json")
    assert run.exit_code == ExitCode.ALERT and run.json()["alert"] is True
    assert cli("account", path, "--price", "60000", "--fail-within", "30", "--json").exit_code == ExitCode.OK


def test_shocks_and_the_margin_to_add(cli: Any, tmp_path: Path) -> None:
    """A −90% move liquidates the §8 account; adding the margin shown leaves the shocked price at
    least one price step above the new liquidation price, and a satoshi less does not (§11)."""
    path = write(tmp_path, EXAMPLE)
    out = ok(
        cli(
            "account",
            path,
            "--price",
            "60000",
            "--move",
            "-90%",
            "--move",
            "-10%",
            "--scenario",
            "covid-2020",
            "--json",
        )
    )
    rows = {r["scenario"] or r["move_pct"]: r for r in out["rows"]}
    crash, mild = rows[D("-90.00")], rows[D("-10.00")]
    assert crash["price"] == 6000 and crash["liquidated"] is True
    assert mild["liquidated"] is False and mild["margin_to_add"] == 0
    assert rows["covid-2020"]["price"] == 30000
    a = F(20000, 60000) - F(10000, 62000)
    assert crash["equity"] == fraction_places(1 + a - F(10000, 6000), 8)
    # Reference: the balance whose liquidation price is 6000 − 0.01, rounded up to the satoshi.
    mm = F(5, 1000) * (F(20000, 60000) + F(10000, 62000))
    needed = F(10000) / (F(6000) - F(1, 100)) - a + mm - 1
    assert crash["margin_to_add"] == fraction_places(needed, 8, up=True)
    for extra, survives in ((crash["margin_to_add"], True), (crash["margin_to_add"] - D("0.00000001"), False)):
        more = EXAMPLE.replace("balance = 1.0", f"balance = {1 + extra}")
        after = ok(cli("account", write(tmp_path, more, "more.toml"), "--price", "6000", "--json"))
        assert (after["liquidation_price_exact"] <= D("5999.99")) is survives


def test_hedge_to_dollar_neutral(cli: Any, tmp_path: Path) -> None:
    out = ok(cli("account", write(tmp_path, EXAMPLE), "--price", "60000", "--usd-delta", "0", "--json"))
    hedge = out["hedge"]
    delta = 1 + F(20000, 60000) - F(10000, 62000)
    contracts = (delta * 60000).numerator // (delta * 60000).denominator
    assert hedge["side"] == "short" and hedge["contracts"] == contracts
    assert hedge["usd_delta_after"] == fraction_places(delta - F(contracts, 60000), 8)
    assert 0 <= hedge["usd_delta_after"] < D(1) / 60000
    # The account with that short added has the liquidation price shown.
    added = EXAMPLE + f'[[position]]\nside = "short"\ncontracts = {contracts}\nentry = 60000\n'
    with_hedge = ok(cli("account", write(tmp_path, added, "h.toml"), "--price", "60000", "--json"))
    assert with_hedge["liquidation_price"] == hedge["liquidation_price_after"]
    assert with_hedge["usd_delta"] == hedge["usd_delta_after"]


def test_hedge_in_the_venues_contracts(cli: Any, tmp_path: Path) -> None:
    path = write(tmp_path, toml_account("2", {"side": "long", "contracts": 100, "entry": 50000}, exchange="binance"))
    hedge = ok(cli("account", path, "--price", "50000", "--usd-delta", "0", "--json"))["hedge"]
    delta = 2 + F(100 * 100, 50000)
    assert hedge["contract_size"] == 100
    assert hedge["contracts"] == int(delta * 50000 / 100)  # 1100: whole $100 contracts


# --- output formats, explain, batch -------------------------------------------------------------


def test_table_highlights_the_liquidation_price(cli: Any, tmp_path: Path) -> None:
    run = cli("account", write(tmp_path, EXAMPLE), "--price", "60000", "--explain")
    assert run.exit_code == 0, run.stderr
    assert "perp" in run.stdout and "quarterly" in run.stdout
    assert "Liquidation price (USD)" in run.stdout and "8,550.16" in run.stdout
    assert "P_liq = S / (B + A − MM)" in run.stdout
    added = cli(
        "account",
        write(tmp_path, EXAMPLE),
        "--price",
        "60000",
        "--add",
        "short:1000@60000",
        "--move",
        "-50%",
        "--usd-delta",
        "0",
    )
    assert added.exit_code == 0, added.stderr
    assert "before" in added.stdout and "after" in added.stdout and "Hedge:" in added.stdout


def test_explain_and_the_other_formats(cli: Any, tmp_path: Path) -> None:
    path = write(tmp_path, EXAMPLE)
    explained = ok(cli("account", path, "--price", "60000", "--explain", "--json"))
    assert any("8550.15169624" in line for line in explained["explain"])
    csv = cli("account", path, "--price", "60000", "--format", "csv")
    assert csv.exit_code == 0 and csv.stdout.splitlines()[0].startswith("command,coin")
    ndjson = cli("account", path, "--price", "60000", "--move", "-50%", "--move", "-90%", "--format", "ndjson")
    lines = [json.loads(line) for line in ndjson.stdout.splitlines()]
    assert [line["move_pct"] for line in lines] == [-50, -90]


def test_batch_takes_the_account_inline(tmp_path: Path) -> None:
    from conftest import CliRunner

    from invfut_cli.cli import app

    inline = {
        "command": "account",
        "price": 60000,
        "coin": "BTC",
        "balance": 1,
        "position": [
            {"name": "perp", "side": "long", "contracts": 20000, "entry": 60000},
            {"name": "quarterly", "side": "short", "contracts": 10000, "entry": 62000},
        ],
    }
    by_file = {"command": "account", "price": 60000, "file": write(tmp_path, EXAMPLE)}
    broken = {**inline, "position": [{"side": "long", "contracts": -1, "entry": 60000}]}
    text = "\n".join(json.dumps(x) for x in (inline, by_file, broken)) + "\n"
    run = CliRunner().invoke(app, ["batch"], input=text, prog_name="invfut")
    assert run.exit_code == ExitCode.BATCH_ERRORS
    first, second, third = (json.loads(line, parse_float=D) for line in run.stdout.splitlines())
    assert first["liquidation_price_exact"] == second["liquidation_price_exact"] == D("8550.15169624")
    assert first["equity"] == D("1.00537634")
    assert third["line"] == 3 and "position 1: contracts" in third["error"]["message"]


def test_the_installed_command_runs_without_rich(tmp_path: Path) -> None:
    """A real process: the JSON answer, and rich never imported on the JSON path."""
    path = write(tmp_path, EXAMPLE)
    script = (
        "import sys\n"
        "from invfut_cli.app import main\n"
        f"sys.argv = ['invfut', 'account', {path!r}, '--price', '60000', '--json']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write('rich loaded' if any(m.split('.')[0] == 'rich' for m in sys.modules) else 'no rich')\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert run.stderr == "no rich", run.stderr
    assert json.loads(run.stdout, parse_float=D)["equity"] == D("1.00537634")
    installed = subprocess.run(
        ["invfut", "account", path, "--price", "60000", "--json"], capture_output=True, text=True, check=False
    )
    assert installed.returncode == 0, installed.stderr
    assert json.loads(installed.stdout, parse_float=D)["liquidation_price_exact"] == D("8550.15169624")


# --- broken files -----------------------------------------------------------------------------

GOOD = {"side": "long", "contracts": 1000, "entry": 60000}


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "missing-balance.toml",
            'coin = "BTC"\n[[position]]\nside = "long"\ncontracts = 1\nentry = 1\n',
            "balance: missing",
        ),
        (
            "unknown.toml",
            toml_account("1", {**GOOD, "name": "perp", "colour": "red"}),
            "position 1 ('perp'): colour: unknown field",
        ),
        (
            "negative.toml",
            toml_account("1", GOOD, {"name": "q", "side": "short", "contracts": -5, "entry": 60000}),
            "position 2 ('q'): contracts:",
        ),
        (
            "other-coin.toml",
            toml_account("1", GOOD, {**GOOD, "coin": "ETH"}),
            "position 2: coin: ETH is not the account's coin, BTC",
        ),
        ("empty.json", '{"coin": "BTC", "balance": 1, "position": []}', "position: no positions"),
        ("invalid.toml", 'coin = "BTC\nbalance = 1\n', "not valid TOML"),
        ("invalid.json", '{"coin": "BTC", "balance": 1,', "not valid JSON"),
        (
            "lots.toml",
            toml_account("1", {**GOOD, "contracts": 150}, exchange="bitmex"),
            "position 1: contracts: BitMEX XBTUSD trades in lots of 100",
        ),
        ("neither.toml", toml_account("1", {"side": "long", "contracts": 1}), "position 1: entry: missing"),
        ("side.toml", toml_account("1", {**GOOD, "side": "up"}), "position 1: side:"),
        ("venue-coin.toml", toml_account("1", GOOD, exchange="bitmex", coin="ETH"), "coin: BitMEX has no ETH"),
        ("too-much.toml", toml_account("1", {**GOOD, "leverage": 500}, exchange="bybit"), "position 1: leverage:"),
        ("wrong.yaml", "coin: BTC", "ends in .toml or .json"),
        ("list.json", "[1, 2]", "expected a table"),
    ],
)
def test_a_broken_file_is_one_line(cli: Any, tmp_path: Path, name: str, content: str, expected: str) -> None:
    path = write(tmp_path, content, name)
    run = cli("account", path, "--price", "60000")
    assert run.exit_code == ExitCode.CONFIG, run.stderr
    assert run.stdout == ""
    lines = run.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in run.stderr
    assert lines[0].startswith(f"invfut account: error: {path}: "), lines[0]
    assert expected in lines[0], lines[0]


def test_invalid_utf8_and_a_missing_file(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "latin.toml"
    path.write_bytes(b'coin = "BTC"\nbalance = 1\n# caf\xe9\n')
    run = cli("account", str(path), "--price", "60000", "--json")
    assert run.exit_code == ExitCode.CONFIG and run.stdout == ""
    error = json.loads(run.stderr)["error"]
    assert error["message"] == f"{path}: not valid UTF-8 (byte 30)" and error["exit_code"] == 6
    missing = cli("account", str(tmp_path / "none.toml"), "--price", "60000")
    assert missing.exit_code == ExitCode.CONFIG and missing.stderr.strip().endswith("none.toml: no such file")


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (("--price", "-1"), "--price"),
        (("--price", "60000", "--add", "long5000"), "--add"),
        (("--price", "60000", "--add", "up:5000@60000"), "--add"),
        (("--price", "60000", "--move", "-100%"), "--move"),
        (("--price", "60000", "--scenario", "nope"), "--scenario"),
        (("--price", "60000", "--mmr", "abc"), "--mmr"),
    ],
)
def test_bad_options_are_usage_errors(cli: Any, tmp_path: Path, args: tuple[str, ...], option: str) -> None:
    run = cli("account", write(tmp_path, EXAMPLE), *args)
    assert run.exit_code == ExitCode.USAGE and run.stdout == ""
    assert run.stderr.startswith(f"invfut account: error: {option}"), run.stderr
    assert len(run.stderr.splitlines()) == 1


@pytest.mark.parametrize("kind", ["linear", "quanto"])
def test_a_linear_or_quanto_position_in_an_inverse_account_is_refused_with_the_reason(
    cli: Any, tmp_path: Path, kind: str
) -> None:
    """An account is one margin currency, one underlying and one price (DOMAIN.md §8, §15): a
    position of another contract type than the account's is the file error, one line naming
    the position and the field and saying why; ``contract_type = "inverse"`` is taken."""
    file = tmp_path / "a.toml"
    file.write_text(EXAMPLE + f'contract_type = "{kind}"\n', encoding="utf-8")
    run = cli("account", str(file), "--price", "60000")
    assert run.exit_code == ExitCode.CONFIG and run.stdout == ""
    assert len(run.stderr.strip().splitlines()) == 1
    assert "position 2 ('quarterly'): contract_type" in run.stderr
    assert f"a {kind} position in an inverse account" in run.stderr
    assert ("separate balance" if kind == "linear" else "two prices") in run.stderr
    file.write_text(EXAMPLE + 'contract_type = "inverse"\n', encoding="utf-8")
    plain = tmp_path / "b.toml"
    plain.write_text(EXAMPLE, encoding="utf-8")
    same = cli("account", str(file), "--price", "60000", "--json")
    assert (
        same.exit_code == 0
        and same.json()["liquidation_price"]
        == cli("account", str(plain), "--price", "60000", "--json").json()["liquidation_price"]
    )
