"""``invfut replay FILE --account ACCOUNT``: an account walked along candles (DOMAIN.md §8, §16)."""

from __future__ import annotations

import math
from decimal import Decimal as D
from fractions import Fraction
from pathlib import Path

import pytest
from conftest import run_cli

T0 = 1704067200  # 2024-01-01T00:00:00Z, on a funding boundary
SAT = D("0.00000001")
STEP = Fraction(1, 100)


def account_file(path: Path, balance: str, isolated: str = "") -> Path:
    """DOMAIN.md §8's check: long 20,000 at 60,000 and short 10,000 at 62,000 on ``balance``;
    ``isolated``: an extra ``[[position]]`` block."""
    path.write_text(
        f'coin = "BTC"\nbalance = {balance}\n'
        '[[position]]\nname = "perp"\nside = "long"\ncontracts = 20000\nentry = 60000\n'
        '[[position]]\nside = "short"\ncontracts = 10000\nentry = 62000\n' + isolated,
        encoding="utf-8",
    )
    return path


def candles(path: Path, lows: list[D], step: int = 3600, highs: list[D] | None = None) -> Path:
    """One candle an interval: open and close 60,000, these lows (and highs, else 60,010)."""
    lines = ["time,open,high,low,close"]
    for i, low in enumerate(lows):
        high = highs[i] if highs else D(60010)
        lines.append(f"{T0 + i * step},60000,{high},{low},60000")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def exact_cross_liquidation(balance: Fraction) -> Fraction:
    """§8, entry family, m = 0.5%: P_liq = S / (B + A − MM)."""
    s = Fraction(20000) - Fraction(10000)
    a = Fraction(20000, 60000) - Fraction(10000, 62000)
    mm = Fraction(5, 1000) * (Fraction(20000, 60000) + Fraction(10000, 62000))
    return s / (balance + a - mm)


def shown_long(price: Fraction) -> D:
    """A long-heavy account's price to the cent, rounded up (toward safety)."""
    return D(math.ceil(price / STEP)) * D("0.01")


def replay(tmp_path: Path, lows: list[D], balance: str = "1", *extra: str, isolated: str = "") -> dict:
    acct = account_file(tmp_path / "a.toml", balance, isolated)
    run = run_cli("replay", str(candles(tmp_path / "c.csv", lows)), "--account", str(acct), *extra, "--json")
    assert run.exit_code == 0, run.stderr
    return run.json()


def test_the_domain_check_price_is_the_cross_liquidation_price(tmp_path: Path) -> None:
    exact = exact_cross_liquidation(Fraction(1))
    assert round(exact * 100) == 855015  # DOMAIN.md §8: 8,550.15
    doc = replay(tmp_path, [D(59000)] * 3)
    assert doc["liquidation_price"] == shown_long(exact)
    assert doc["survived"] is True and doc["liquidated_at"] is None
    assert [p["margin_mode"] for p in doc["positions"]] == ["cross", "cross"]
    # The cross equity B + A − S/P at the lowest low, 59,000.
    a = Fraction(20000, 60000) - Fraction(10000, 62000)
    equity = 1 + a - Fraction(10000, 59000)
    assert abs(Fraction(doc["min_equity"]) - equity) <= Fraction(1, 2 * 10**8)


@pytest.mark.parametrize("offset", [-1, 0, 1])
def test_liquidated_at_the_first_candle_at_or_beyond_the_shown_price(tmp_path: Path, offset: int) -> None:
    liq = shown_long(exact_cross_liquidation(Fraction(1)))
    low = liq + offset * D("0.01")  # one step beyond, at, one step on the safe side
    doc = replay(tmp_path, [D(59000), D(30000), low, D(8000)], "1", "--funding", "0")
    if offset == 1:
        # ... and the next candle, lower still, is the liquidation.
        assert doc["liquidated_at"]["line"] == 5
    else:
        assert doc["survived"] is False
        assert doc["liquidated_at"] == {"time": "2024-01-01T02:00:00Z", "price": liq, "line": 4}
        assert doc["min_safety_pct"] == 0  # closed at the liquidation price, not at the wick beyond it


def test_one_step_on_the_safe_side_survives(tmp_path: Path) -> None:
    liq = shown_long(exact_cross_liquidation(Fraction(1)))
    doc = replay(tmp_path, [D(59000), liq + D("0.01"), D(59000)])
    assert doc["survived"] is True and doc["liquidated_at"] is None
    assert doc["worst_price"]["price"] == liq + D("0.01")


def test_collateral_to_survive_round_trips_to_the_satoshi(tmp_path: Path) -> None:
    lows = [D(59000), D(20000), D(9000), D(12000)]
    doc = replay(tmp_path, lows, "0.5")
    assert doc["survived"] is False
    need = doc["collateral_to_survive"]
    # From §8 solved for B: the balance whose price is one step below (safe of) the lowest low, 9,000.
    a = Fraction(20000, 60000) - Fraction(10000, 62000)
    mm = Fraction(5, 1000) * (Fraction(20000, 60000) + Fraction(10000, 62000))
    exact = Fraction(10000) / (Fraction(9000) - STEP) - a + mm
    assert Fraction(need) == Fraction(math.ceil(exact * 10**8), 10**8)
    assert doc["margin_to_add"] == need - D("0.5")
    assert replay(tmp_path, lows, str(need))["survived"] is True
    assert replay(tmp_path, lows, str(need - SAT))["survived"] is False


def test_funding_is_paid_on_every_position_from_its_own_collateral(tmp_path: Path) -> None:
    iso = '[[position]]\nname = "iso"\nside = "short"\ncontracts = 3000\nentry = 60000\nmargin = 0.01\n'
    rate = Fraction(1, 1000)
    doc = replay(tmp_path, [D(59000)] * 4, "1", "--funding", "0.001", "--exchange", "generic", isolated=iso)
    # Boundaries (8 h) are crossed at none of four hourly candles from 00:00: none paid.
    assert doc["funding_payments"] == 0
    lows = [D(59000)] * 3
    acct = account_file(tmp_path / "a.toml", "1", iso)
    run = run_cli("replay", str(candles(tmp_path / "c.csv", lows, step=8 * 3600)), "--account", str(acct),
                  "--funding", "0.001", "--json")  # fmt: skip
    doc = run.json()
    # Two boundaries, each at the open 60,000: the cross part pays r·S/P, the isolated short −r·Q/P.
    cross_paid = 2 * rate * 10000 / 60000
    assert doc["funding_payments"] == 2
    assert Fraction(doc["funding_paid"]) == Fraction(round(cross_paid * 10**8), 10**8)
    assert abs(Fraction(doc["collateral_end"]) - (1 - cross_paid)) <= Fraction(1, 2 * 10**8)
    own = doc["positions"][2]
    assert own["margin_mode"] == "isolated" and own["collateral"] == D("0.01")
    assert Fraction(own["funding_paid"]) == Fraction(round(-2 * rate * 3000 / 60000 * 10**8), 10**8)
    assert abs(Fraction(own["collateral_end"]) - (Fraction(1, 100) + 2 * rate * 3000 / 60000)) <= Fraction(1, 10**8)
    # The price moves: the balance paid lowers the denominator B + A − MM.
    assert doc["liquidation_price"] == shown_long(exact_cross_liquidation(Fraction(1)))
    rows = run_cli("replay", str(tmp_path / "c.csv"), "--account", str(acct), "--funding", "0.001",
                   "--format", "ndjson").stdout.splitlines()  # fmt: skip
    import json

    last = json.loads(rows[-1])
    assert D(str(last["liquidation_price"])) == shown_long(exact_cross_liquidation(1 - cross_paid))


def test_an_isolated_position_is_liquidated_on_its_own(tmp_path: Path) -> None:
    iso = '[[position]]\nname = "iso"\nside = "long"\ncontracts = 1000\nentry = 60000\nmargin = 0.002\n'
    own = run_cli("liq-price", "--side", "long", "--entry", "60000", "--contracts", "1000", "--margin", "0.002",
                  "--json").json()["liquidation_price"]  # fmt: skip
    doc = replay(tmp_path, [D(59000), own + D("0.01"), own, D(59000)], isolated=iso)
    line = doc["positions"][2]
    assert line["liquidation_price"] == own
    assert line["liquidated_at"] == {"time": "2024-01-01T02:00:00Z", "price": own, "line": 4}
    assert line["collateral_end"] == 0  # it loses its margin
    # The cross part is untouched: not liquidated, its balance whole.
    assert doc["liquidated_at"] is None and doc["collateral_end"] == 1
    assert doc["survived"] is False  # not every position did


@pytest.mark.parametrize("option", [["--entry", "60000"], ["--side", "long"], ["--contracts", "10"],
                                    ["--leverage", "10"], ["--balance", "1"], ["--coin", "ETH"]])  # fmt: skip
def test_position_options_with_an_account_are_usage_errors(tmp_path: Path, option: list[str]) -> None:
    acct = account_file(tmp_path / "a.toml", "1")
    run = run_cli("replay", str(candles(tmp_path / "c.csv", [D(59000)])), "--account", str(acct), *option)
    assert run.exit_code == 2 and run.stdout == ""
    assert len(run.stderr.splitlines()) == 1 and option[0] in run.stderr and "--account" in run.stderr


def test_contract_size_is_the_default_of_the_files_positions(tmp_path: Path) -> None:
    """``--contract-size`` with ``--account`` is what ``invfut account`` takes it for: the size
    of each position that does not give its own. Walking the file with ``--contract-size 2``
    is walking the same file with ``contract_size = 2`` written on each position."""
    lows = [D(59000), D(40000)]
    option = run_cli(
        "replay", str(candles(tmp_path / "c.csv", lows)), "--account", str(account_file(tmp_path / "a.toml", "1")),
        "--contract-size", "2", "--json",
    ).json()  # fmt: skip
    sized = tmp_path / "b.toml"
    sized.write_text(
        'coin = "BTC"\nbalance = 1\n'
        '[[position]]\nname = "perp"\nside = "long"\ncontracts = 20000\nentry = 60000\ncontract_size = 2\n'
        '[[position]]\nside = "short"\ncontracts = 10000\nentry = 62000\ncontract_size = 2\n',
        encoding="utf-8",
    )
    written = run_cli("replay", str(tmp_path / "c.csv"), "--account", str(sized), "--json").json()
    plain = run_cli("replay", str(tmp_path / "c.csv"), "--account", str(account_file(tmp_path / "a.toml", "1")),
                    "--json").json()  # fmt: skip
    for key in ("liquidation_price", "min_equity", "liquidated_at", "collateral_to_survive"):
        assert option[key] == written[key], key
    assert option["liquidation_price"] != plain["liquidation_price"]


def test_bad_account_files(tmp_path: Path) -> None:
    file = candles(tmp_path / "c.csv", [D(59000)])
    run = run_cli("replay", str(file), "--account", str(tmp_path / "missing.toml"))
    assert run.exit_code == 6 and run.stdout == "" and "missing.toml" in run.stderr
    broken = tmp_path / "b.toml"
    broken.write_text('coin = "BTC"\nbalance = 1\n[[position]]\nside = "long"\ncontracts = 10\n', encoding="utf-8")
    run = run_cli("replay", str(file), "--account", str(broken))
    assert run.exit_code == 6 and run.stdout == "" and "entry" in run.stderr
    assert len(run.stderr.splitlines()) == 1
    run = run_cli("replay", str(file), "--contracts", "10", "--leverage", "10")
    assert run.exit_code == 2 and "--side" in run.stderr and run.stdout == ""


def test_the_account_table_and_explain(tmp_path: Path) -> None:
    acct = account_file(tmp_path / "a.toml", "1")
    run = run_cli("replay", str(candles(tmp_path / "c.csv", [D(59000), D(8000)])), "--account", str(acct), "--explain")
    assert run.exit_code == 0
    said = " ".join(run.stdout.split())  # a long value wraps within its column
    assert "LIQUIDATED" in said and "cross balance is lost" in said


@pytest.mark.parametrize("offset", [0, 1])
def test_a_short_heavy_account_is_liquidated_on_the_highs(tmp_path: Path, offset: int) -> None:
    # Short 20,000 at 60,000 and long 10,000 at 62,000 on 0.1 BTC: S < 0, liquidated at or above.
    acct = tmp_path / "a.toml"
    acct.write_text('balance = 0.1\n[[position]]\nside = "short"\ncontracts = 20000\nentry = 60000\n'
                    '[[position]]\nside = "long"\ncontracts = 10000\nentry = 62000\n', encoding="utf-8")  # fmt: skip
    s = Fraction(-10000)
    a = -Fraction(20000, 60000) + Fraction(10000, 62000)
    mm = Fraction(5, 1000) * (Fraction(20000, 60000) + Fraction(10000, 62000))
    exact = s / (Fraction(1, 10) + a - mm)
    shown = D(math.floor(exact / STEP)) * D("0.01")  # a short's rounds down, toward safety
    high = shown - offset * D("0.01")
    file = candles(tmp_path / "c.csv", [D(59000)] * 3, highs=[D(70000), high, D(70000)])
    doc = run_cli("replay", str(file), "--account", str(acct), "--json").json()
    assert doc["liquidation_price"] == shown
    if offset:
        assert doc["survived"] is True
    else:
        assert doc["liquidated_at"] == {"time": "2024-01-01T01:00:00Z", "price": shown, "line": 3}


def test_the_mark_column_is_the_price_tested(tmp_path: Path) -> None:
    liq = shown_long(exact_cross_liquidation(Fraction(1)))
    acct = account_file(tmp_path / "a.toml", "1")
    file = tmp_path / "m.csv"
    # The lows wick far below the price; the marks stop one step above it, then reach it.
    rows = [f"{T0 + 60 * i},60000,60010,5000,60000,{mark}" for i, mark in enumerate([59000, liq + D("0.01"), liq])]
    file.write_text("time,open,high,low,close,mark\n" + "\n".join(rows) + "\n", encoding="utf-8")
    doc = run_cli("replay", str(file), "--account", str(acct), "--json").json()
    assert doc["price_source"] == "mark"
    assert doc["liquidated_at"] == {"time": "2024-01-01T00:02:00Z", "price": liq, "line": 4}


def test_rows_after_the_cross_liquidation_hold_nothing(tmp_path: Path) -> None:
    """The cross balance is lost at the liquidation: the rows after it say 0 equity and 0
    balance, not the balance the account had; the liquidating row is at the liquidation price."""
    import json

    liq = shown_long(exact_cross_liquidation(Fraction(1)))
    acct = account_file(tmp_path / "a.toml", "1")
    file = candles(tmp_path / "c.csv", [D(59000), liq - 1000, D(59000)])
    out = run_cli("replay", str(file), "--account", str(acct), "--funding", "0", "--format", "ndjson").stdout
    rows = [json.loads(line, parse_float=D) for line in out.splitlines()]
    hit = [i for i, r in enumerate(rows) if r["liquidated"]]
    assert hit and rows[hit[0]]["safety_pct"] == 0
    for row in rows[hit[0] + 1 :]:
        assert row["equity"] == 0 and row["collateral"] == 0


def test_each_entry_is_shown_as_written(tmp_path: Path) -> None:
    # As account shows it: 62,000.5 is not cut to the fewest places of the file's prices.
    acct = tmp_path / "a.toml"
    acct.write_text(
        'coin = "BTC"\nbalance = 1\n[[position]]\nside = "long"\ncontracts = 20000\nentry = 60000\n'
        '[[position]]\nside = "short"\ncontracts = 10000\nentry = 62000.5\n',
        encoding="utf-8",
    )
    run = run_cli("replay", str(candles(tmp_path / "c.csv", [D(59000)] * 2)), "--account", str(acct), "--json")
    assert run.exit_code == 0, run.stderr
    assert [p["entry"] for p in run.json()["positions"]] == [D(60000), D("62000.5")]
