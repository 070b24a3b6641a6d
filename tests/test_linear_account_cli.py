"""``invfut account`` with a linear or quanto account file, through the command line: §15's
checks and BitMEX's quanto example as one-position accounts, one position against
``liq-price --contract-type`` on every preset, orders, the alert, shocks, ``batch``, the
broken files and the options that do not apply."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from conftest import Run

from invfut_cli.exitcodes import ExitCode

D = Decimal
F = Fraction


def ok(run: Run) -> Any:
    assert run.exit_code == ExitCode.OK, run.stderr
    assert run.stderr == ""
    return run.json()


def account(tmp_path: Path, head: dict[str, Any], *positions: dict[str, Any], name: str = "a.toml") -> str:
    lines = [f"{k} = {json.dumps(v) if isinstance(v, str) else v}" for k, v in head.items()]
    for position in positions:
        lines.append("[[position]]")
        lines += [f"{k} = {json.dumps(v) if isinstance(v, str) else v}" for k, v in position.items()]
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


LINEAR = {"contract_type": "linear", "coin": "BTC"}
QUANTO = {"contract_type": "quanto", "coin": "BTC", "multiplier": 0.000001}


@pytest.mark.parametrize(("side", "expected"), [("long", D("54271.36")), ("short", D("65671.64"))])
@pytest.mark.parametrize("mode", ["cross", "isolated"])
def test_section_15_as_a_one_position_linear_account(
    cli: Any, tmp_path: Path, side: str, expected: Decimal, mode: str
) -> None:
    """10x, m = 0.5%, E = 60,000 (mark family): long 54,271.36, short 65,671.64; cross on a
    balance of the initial margin, or isolated at 10x. Amounts in USDT, named."""
    position: dict[str, Any] = {"side": side, "contracts": 1, "entry": 60000, "contract_type": "linear"}
    if mode == "isolated":
        position["leverage"] = 10
    path = account(tmp_path, {**LINEAR, "balance": 6000 if mode == "cross" else 0}, position)
    out = ok(cli("account", path, "--price", "60000", "--json"))
    assert out["coin"] == out["margin_currency"] == "USDT" and out["contract_type"] == "linear"
    assert out["underlying"] == "BTC" and out["quote"] == "USDT"
    got = out if mode == "cross" else out["positions"][0]
    assert got["liquidation_price"] == expected
    if mode == "isolated":
        assert got["collateral"] == 6000 and got["leverage"] == 10
        assert out["liquidation_price"] is None and "no cross positions" in out["reason"]
    else:
        assert out["equity"] == 6000 and out["effective_leverage"] == 10
        assert out["bankruptcy_price"] == (54000 if side == "long" else 66000)


def test_bitmex_quanto_example_as_an_account(cli: Any, tmp_path: Path) -> None:
    """BitMEX's "Quanto for speculators": 10,000 ETHUSD at 500, M = 0.000001 XBT: value 5 XBT,
    initial margin at 50x 0.10 XBT; at 550 the long has made 0.5 XBT (worth 0.5 x B USD)."""
    position = {"name": "eth", "side": "long", "contracts": 10000, "entry": 500, "leverage": 50}
    path = account(tmp_path, {**QUANTO, "balance": 1}, position)
    at_entry = ok(cli("account", path, "--price", "500", "--json"))
    line = at_entry["positions"][0]
    assert at_entry["coin"] == "BTC" and at_entry["contract_type"] == "quanto" and at_entry["quote"] == "USD"
    assert line["exposure"] == 5 and line["collateral"] == D("0.1") and line["leverage"] == 50
    out = ok(cli("account", path, "--price", "550", "--settle-price", "60000", "--json"))
    line = out["positions"][0]
    assert line["pnl"] == D("0.5") and line["equity"] == D("0.6")
    assert out["total_equity"] == D("1.6") and out["equity_usd"] == 60000
    assert out["settle_price"] == 60000
    # Without a settlement price the USD figures are null.
    assert ok(cli("account", path, "--price", "550", "--json"))["equity_usd"] is None


LINEAR_VENUES = ["generic", "bybit", "okx", "binance", "bitmex", "deribit"]


@pytest.mark.parametrize("venue", LINEAR_VENUES)
@pytest.mark.parametrize("side", ["long", "short"])
@pytest.mark.parametrize("mode", ["cross", "isolated"])
def test_one_position_is_liq_price(cli: Any, tmp_path: Path, venue: str, side: str, mode: str) -> None:
    """One linear position in an account gives exactly ``liq-price --contract-type linear``'s
    liquidation price (the venue's preset: size, tick, rate, family), with a taker fee."""
    exchange = () if venue == "generic" else ("--exchange", venue)
    collateral = ("--balance", "900") if mode == "cross" else ("--leverage", "5")
    fee = ("--taker-fee", "0.055%")
    single = ok(
        cli(
            "liq-price", "--contract-type", "linear", "--side", side, "--entry", "60000", "--contracts", "100",
            *collateral, *exchange, *fee, "--json",
        )
    )  # fmt: skip
    position: dict[str, Any] = {"side": side, "contracts": 100, "entry": 60000}
    if mode == "isolated":
        position["leverage"] = 5
    head = {**LINEAR, "balance": 900 if mode == "cross" else 0}
    if venue != "generic":
        head["exchange"] = venue
    out = ok(cli("account", account(tmp_path, head, position), "--price", "59000", *fee, "--json"))
    got = out if mode == "cross" else out["positions"][0]
    assert got["liquidation_price"] == single["liquidation_price"]
    assert got["liquidation_price_exact"] == single["liquidation_price_exact"]
    assert out["coin"] == single["coin"] and out["preset"] == single["preset"]
    if mode == "cross":
        assert got["bankruptcy_price_exact"] == single["bankruptcy_price_exact"]
        assert got["fee_treatment"] == single["fee_treatment"]
    else:
        assert got["maintenance_margin"] == single["maintenance_margin"]
        assert got["collateral"] == single["collateral"]


@pytest.mark.parametrize("side", ["long", "short"])
def test_one_quanto_position_is_liq_price(cli: Any, tmp_path: Path, side: str) -> None:
    single = ok(
        cli(
            "liq-price", "--contract-type", "quanto", "--exchange", "bitmex", "--side", side, "--entry", "500",
            "--contracts", "10000", "--balance", "0.2", "--taker-fee", "0.075%", "--json",
        )
    )  # fmt: skip
    path = account(
        tmp_path, {**QUANTO, "exchange": "bitmex", "balance": 0.2}, {"side": side, "contracts": 10000, "entry": 500}
    )
    out = ok(cli("account", path, "--price", "500", "--taker-fee", "0.075%", "--json"))
    assert out["liquidation_price_exact"] == single["liquidation_price_exact"]
    assert out["liquidation_price"] == single["liquidation_price"]
    assert out["fee_treatment"] == "close-at-bankruptcy" == single["fee_treatment"]


TWO = (
    {"name": "perp", "side": "long", "contracts": 2, "entry": 60000},
    {"name": "hedge", "side": "short", "contracts": 1, "entry": 62000},
)


def two_position_liquidation(balance: Fraction) -> Fraction:
    """Mark family, m = 0.5%, no fees: ``B + 2·(P − 60000) − (P − 62000) = m·3·P``."""
    return (2 * 60000 - 62000 - balance) / (1 - 3 * F(5, 1000))


def test_a_cross_account_of_two_positions(cli: Any, tmp_path: Path) -> None:
    path = account(tmp_path, {**LINEAR, "balance": 10000}, *TWO)
    out = ok(cli("account", path, "--price", "60000", "--json"))
    expected = two_position_liquidation(F(10000))
    assert out["liquidation_price"] == D(str(round(float(expected) + 0.005 - 1e-9, 2)))  # a long's rounds up
    assert F(out["liquidation_price_exact"]) - expected < F(1, 10**8)
    assert out["equity"] == 10000 + 2000  # B + 2·0 − 1·(60000 − 62000)
    assert out["coin_delta"] == 1 and out["exposure"] == 60000
    assert out["positions"][1]["pnl"] == 2000


def test_fail_within_means_the_liquidation_price_is_that_near(cli: Any, tmp_path: Path) -> None:
    """The account's liquidation price is 48,000/0.985 = 48,730.96 (18.78% below 60,000):
    --fail-within 19 alerts (exit 4, the answer printed), 18 does not; a price at or below it
    is liquidated and alerts whatever the limit."""
    path = account(tmp_path, {**LINEAR, "balance": 10000}, *TWO)
    distance = ok(cli("account", path, "--price", "60000", "--json"))["distance_pct"]
    assert distance == D("-18.78")
    alert = cli("account", path, "--price", "60000", "--fail-within", "19", "--json")
    assert alert.exit_code == ExitCode.ALERT and alert.json()["alert"] is True
    quiet = ok(cli("account", path, "--price", "60000", "--fail-within", "18", "--json"))
    assert quiet["alert"] is False and quiet["fail_within_pct"] == 18
    crashed = cli("account", path, "--price", "48730", "--fail-within", "0", "--json")
    assert crashed.exit_code == ExitCode.ALERT and crashed.json()["liquidated"] is True


def test_an_order_is_the_account_with_the_position_added(cli: Any, tmp_path: Path) -> None:
    path = account(tmp_path, {**LINEAR, "balance": 10000}, *TWO)
    out = ok(cli("account", path, "--price", "60000", "--add", "long:1@60000", "--json"))
    added = account(
        tmp_path, {**LINEAR, "balance": 10000}, *TWO, {"name": "added", "side": "long", "contracts": 1, "entry": 60000},
        name="b.toml",
    )  # fmt: skip
    expected = ok(cli("account", added, "--price", "60000", "--json"))
    assert out["after"]["liquidation_price_exact"] == expected["liquidation_price_exact"]
    assert out["after"]["positions"] == expected["positions"]
    assert out["liquidation_price_change"] > 0  # more long brings the liquidation price up


def test_shocks_and_the_margin_to_add(cli: Any, tmp_path: Path) -> None:
    """A 30% fall liquidates the account; the balance plus the margin shown leaves the shocked
    price at least a step above the new liquidation price."""
    path = account(tmp_path, {**LINEAR, "balance": 10000}, *TWO)
    out = ok(cli("account", path, "--price", "60000", "--move", "-30%", "--move", "-5%", "--json"))
    crash, mild = out["rows"]
    assert crash["price"] == 42000 and crash["liquidated"] is True and mild["margin_to_add"] == 0
    # Reference: the balance whose liquidation price is 42,000 − 0.01, rounded up to 10^-8.
    needed = 2 * 60000 - 62000 - (1 - 3 * F(5, 1000)) * (F(42000) - F(1, 100)) - 10000
    assert F(crash["margin_to_add"]) - needed < F(1, 10**8) and F(crash["margin_to_add"]) >= needed
    more = account(tmp_path, {**LINEAR, "balance": str(10000 + crash["margin_to_add"])}, *TWO, name="m.toml")
    after = ok(cli("account", more.replace('"', ""), "--price", "42000", "--json"))
    assert after["liquidation_price_exact"] <= D("41999.99") and after["liquidated"] is False


def test_the_table_names_the_currency(cli: Any, tmp_path: Path) -> None:
    path = account(tmp_path, {**LINEAR, "balance": 10000}, *TWO)
    run = cli("account", path, "--price", "60000", "--explain")
    assert run.exit_code == 0, run.stderr
    assert "Equity (USDT)" in run.stdout and "linear" in run.stdout
    assert "P_liq = (K + Σ(sᵢ + a)·uᵢ·Eᵢ − B) / Σ(sᵢ − b)·uᵢ" in run.stdout


def test_batch_takes_a_linear_account_inline(tmp_path: Path) -> None:
    from conftest import CliRunner

    from invfut_cli.cli import app

    inline = {
        "command": "account",
        "price": 60000,
        "contract_type": "linear",
        "coin": "BTC",
        "balance": 10000,
        "position": list(TWO),
    }
    by_file = {"command": "account", "price": 60000, "file": account(tmp_path, {**LINEAR, "balance": 10000}, *TWO)}
    text = "\n".join(json.dumps(x) for x in (inline, by_file)) + "\n"
    run = CliRunner().invoke(app, ["batch"], input=text, prog_name="invfut")
    assert run.exit_code == ExitCode.OK, run.stdout
    first, second = (json.loads(line, parse_float=D) for line in run.stdout.splitlines())
    assert first["liquidation_price_exact"] == second["liquidation_price_exact"]
    assert first["coin"] == "USDT"


@pytest.mark.parametrize(
    ("head", "positions", "expected"),
    [
        (LINEAR, [{"side": "long", "contracts": 1, "entry": 60000, "contract_type": "quanto"}], "position 1: contract_type"),
        (QUANTO, [{"side": "long", "contracts": 1, "entry": 500, "contract_type": "inverse"}], "two prices"),
        ({"contract_type": "quanto"}, [{"name": "eth", "side": "long", "contracts": 1, "entry": 500}], "position 1 ('eth'): multiplier"),
        (LINEAR, [{"side": "long", "contracts": 1, "entry": 60000, "contract_size": 0}], "position 1: contract_size"),
        (LINEAR, [{"side": "long", "contracts": 1, "entry": 60000, "contract_size": -1}], "position 1: contract_size"),
        (LINEAR, [{"side": "long", "contracts": 1, "entry": 60000, "multiplier": 0.1}], "position 1: multiplier"),
        ({"coin": "BTC", "quote": "USDT"}, [{"side": "long", "contracts": 1, "entry": 60000}], "quote: is for linear"),
        ({**QUANTO, "multiplier": 0}, [{"side": "long", "contracts": 1, "entry": 500}], "multiplier"),
        ({**LINEAR, "coin": "DOGE", "exchange": "bybit"}, [{"side": "long", "contracts": 1, "entry": 1}], "exchange: bybit has no linear"),
        ({**QUANTO}, [{"side": "long", "contracts": 1, "entry": 500, "contract_size": 1}], "position 1: contract_size"),
        ({**QUANTO, "coin": "ETH", "exchange": "bitmex"}, [{"side": "long", "contracts": 1, "entry": 500}], "coin: a quanto account's coin is its settlement coin: BTC"),
    ],
)  # fmt: skip
def test_a_broken_file_is_one_line(
    cli: Any, tmp_path: Path, head: dict[str, Any], positions: list[dict[str, Any]], expected: str
) -> None:
    path = account(tmp_path, {**head, "balance": 1}, *positions)
    run = cli("account", path, "--price", "500")
    assert run.exit_code == ExitCode.CONFIG, run.stderr
    assert run.stdout == "" and len(run.stderr.strip().splitlines()) == 1
    assert run.stderr.startswith(f"invfut account: error: {path}: ") and expected in run.stderr, run.stderr


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (("--usd-delta", "0"), "--usd-delta"),
        (("--vol", "60%", "--horizon", "1d"), "--vol"),
        (("--contract-type", "quanto"), "--contract-type"),
        (("--quote", "USDC"), "--quote"),
        (("--multiplier", "0.000001"), "--multiplier"),
        (("--settle-price", "60000"), "--settle-price"),
        (("--price", "live"), "--price"),
    ],
)
def test_options_that_do_not_apply_are_usage_errors(
    cli: Any, tmp_path: Path, args: tuple[str, ...], option: str
) -> None:
    path = account(tmp_path, {**LINEAR, "quote": "USDT", "balance": 10000}, *TWO)
    run = cli("account", path, "--price", "60000", *args)
    assert run.exit_code == ExitCode.USAGE and run.stdout == ""
    assert run.stderr.startswith(f"invfut account: error: {option}"), run.stderr
    assert len(run.stderr.splitlines()) == 1


def test_the_options_fill_in_what_the_file_leaves_out(cli: Any, tmp_path: Path) -> None:
    """--contract-type, --quote and --multiplier give what the file does not say."""
    plain = account(tmp_path, {"coin": "BTC", "balance": 10000}, *TWO)
    out = ok(cli("account", plain, "--price", "60000", "--contract-type", "linear", "--quote", "usdc", "--json"))
    assert out["coin"] == "USDC" and out["contract_type"] == "linear"
    said = ok(
        cli(
            "account",
            account(tmp_path, {**LINEAR, "balance": 10000}, *TWO, name="s.toml"),
            "--price",
            "60000",
            "--json",
        )
    )
    assert out["liquidation_price_exact"] == said["liquidation_price_exact"]
    quanto = account(
        tmp_path,
        {"contract_type": "quanto", "balance": 1},
        {"side": "long", "contracts": 10000, "entry": 500},
        name="q.toml",
    )
    assert ok(cli("account", quanto, "--price", "550", "--multiplier", "0.000001", "--json"))["positions"][0][
        "pnl"
    ] == D("0.5")


def test_watch_and_replay_say_they_follow_inverse_accounts(cli: Any, tmp_path: Path) -> None:
    path = account(tmp_path, {**LINEAR, "balance": 10000}, *TWO)
    from conftest import CliRunner

    from invfut_cli.cli import app

    run = CliRunner().invoke(app, ["watch", "--account", path], input='{"price": 60000}\n', prog_name="invfut")
    assert run.exit_code == ExitCode.USAGE and run.stdout == ""
    assert "inverse accounts only" in run.stderr and len(run.stderr.splitlines()) == 1
    candles = tmp_path / "c.csv"
    candles.write_text("time,open,high,low,close\n1700000000,60000,60100,59900,60000\n", encoding="utf-8")
    replay = cli("replay", str(candles), "--account", path, "--json")
    assert replay.exit_code == ExitCode.USAGE and replay.stdout == ""
    assert "inverse accounts only" in replay.stderr and len(replay.stderr.splitlines()) == 1


def test_the_settlement_price_of_the_file_and_of_the_option(cli: Any, tmp_path: Path) -> None:
    """A quanto's USD figures: the file's settle_price, or --settle-price in its place (the
    settlement coin's price now); an inverse account takes neither."""
    position = {"side": "long", "contracts": 10000, "entry": 500}
    path = account(tmp_path, {**QUANTO, "settle_price": 50000, "balance": 1}, position)
    assert ok(cli("account", path, "--price", "550", "--json"))["equity_usd"] == D("1.5") * 50000
    now = ok(cli("account", path, "--price", "550", "--settle-price", "40000", "--move", "-10%", "--json"))
    assert now["equity_usd"] == D("1.5") * 40000 and now["settle_price"] == 40000
    assert now["rows"][0]["equity_usd"] == (1 + F(10000, 10**6) * (495 - 500)) * 40000
    inverse = account(tmp_path, {"coin": "BTC", "balance": 1}, position, name="i.toml")
    run = cli("account", inverse, "--price", "550", "--settle-price", "40000")
    assert run.exit_code == ExitCode.USAGE and run.stdout == ""
    assert run.stderr.startswith("invfut account: error: --settle-price: is for quanto accounts"), run.stderr
