"""``invfut replay``: a position walked along candles (DOMAIN.md §16)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from decimal import Decimal as D
from fractions import Fraction
from pathlib import Path

import pytest
from conftest import run_cli

T0 = 1704067200  # 2024-01-01T00:00:00Z
SAT = D("0.00000001")
LONG = ("--side", "long", "--contracts", "10000", "--leverage", "10")
SHORT = ("--side", "short", "--contracts", "10000", "--leverage", "10")


def write(path: Path, candles: list[tuple[int, str, str, str, str]], header: str = "time,open,high,low,close") -> Path:
    lines = [header] if header else []
    lines += [",".join([str(t), *prices]) for t, *prices in candles]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def shown_liquidation(side: str, margin: str | None = None) -> D:
    size = ("--margin", margin) if margin else ("--leverage", "10")
    doc = run_cli("liq-price", "--side", side, "--entry", "60000", "--contracts", "10000", *size, "--json").json()
    return doc["liquidation_price"]


def path_to(extreme: D, side: str, n: int = 5, step: int = 60) -> list[tuple[int, str, str, str, str]]:
    """``n`` quiet candles at 60,000, then one whose low (long) or high (short) is ``extreme``, then a quiet one."""
    rows = [(T0 + i * step, "60000", "60010", "59990", "60000") for i in range(n)]
    if side == "long":
        rows.append((T0 + n * step, "60000", "60000", str(extreme), "60000"))
    else:
        rows.append((T0 + n * step, "60000", str(extreme), "60000", "60000"))
    rows.append((T0 + (n + 1) * step, "60000", "60010", "59990", "60000"))
    return rows


@pytest.mark.parametrize("side", ["long", "short"])
@pytest.mark.parametrize("offset", [-1, 0, 1])
def test_liquidated_exactly_where_the_extreme_reaches_the_shown_price(tmp_path: Path, side: str, offset: int) -> None:
    liq = shown_liquidation(side)
    s = 1 if side == "long" else -1
    extreme = liq + s * offset * D("0.01")  # one step on the safe side, at, one step beyond
    file = write(tmp_path / "c.csv", path_to(extreme, side))
    doc = run_cli("replay", str(file), *(LONG if side == "long" else SHORT), "--json").json()
    assert doc["liquidation_price"] == liq
    if offset == 1:
        assert doc["survived"] is True and doc["liquidated_at"] is None
    else:
        assert doc["survived"] is False
        assert doc["liquidated_at"] == {"time": "2024-01-01T00:05:00Z", "price": liq, "line": 7}
        # Closed at the liquidation price: the worst it had is there, not at the wick beyond it.
        assert doc["min_safety_pct"] == 0
        margin = Fraction(10000) / (60000 * 10)
        at_liq = margin + s * 10000 * (Fraction(1, 60000) - 1 / Fraction(liq))
        assert abs(Fraction(doc["min_equity"]) - at_liq) <= Fraction(1, 2 * 10**8)


def test_the_first_reaching_candle_is_the_liquidation(tmp_path: Path) -> None:
    liq = shown_liquidation("long")
    rows = [(T0 + 60 * i, "60000", "60000", str(low), "60000") for i, low in
            enumerate([D(59000), liq + D("0.01"), liq - 100, liq - 500, D(58000)])]  # fmt: skip
    doc = run_cli("replay", str(write(tmp_path / "c.csv", rows)), *LONG, "--json").json()
    assert doc["liquidated_at"]["line"] == 4 and doc["liquidated_at"]["time"] == "2024-01-01T00:02:00Z"
    assert doc["worst_price"]["price"] == liq - 500  # the path went on
    assert doc["candles"] == 5


def test_collateral_to_survive_round_trips_to_the_satoshi(tmp_path: Path) -> None:
    file = Path(__file__).parent / "data" / "candles_1m.csv"
    doc = run_cli("replay", str(file), "--side", "long", "--contracts", "10000", "--leverage", "100", "--json").json()
    assert doc["survived"] is False
    need = doc["collateral_to_survive"]
    ok = run_cli("replay", str(file), "--side", "long", "--contracts", "10000", "--margin", str(need), "--json").json()
    assert ok["survived"] is True
    short = str(need - SAT)
    bad = run_cli("replay", str(file), "--side", "long", "--contracts", "10000", "--margin", short, "--json").json()
    assert bad["survived"] is False
    # Independently: the worst low, one step up, is the liquidation price of that collateral (§10, entry family).
    low = Fraction(doc["worst_price"]["price"]) - Fraction(1, 100)
    q, e, m = Fraction(10000), Fraction(doc["average_entry"]), Fraction(5, 1000)
    exact = q / low - q / e + m * q / e
    assert need == (D(exact.numerator) / D(exact.denominator)).quantize(SAT, rounding="ROUND_CEILING")


def test_min_equity_is_the_equity_at_the_worst_extreme(tmp_path: Path) -> None:
    rows = [(T0 + 60 * i, "60000", "60100", low, "60000") for i, low in enumerate(["59000", "57000.5", "58000"])]
    doc = run_cli("replay", str(write(tmp_path / "c.csv", rows)), *LONG, "--json").json()
    q, e = Fraction(10000), Fraction(60000)
    equity = q / e / 10 + q * (1 / e - 1 / Fraction("57000.5"))
    assert abs(Fraction(doc["min_equity"]) - equity) <= Fraction(1, 2 * 10**8)
    liq = Fraction(doc["liquidation_price"])
    assert doc["min_safety_pct"] == round(D(float(100 * (Fraction("57000.5") - liq) / Fraction("57000.5"))), 2)


def test_funding_moves_the_answer_by_exactly_the_payments(tmp_path: Path) -> None:
    # Hourly candles over two days: boundaries at 08:00, 16:00, 00:00, ... crossed six times.
    opens = [60000 + 37 * i for i in range(48)]
    rows = [(T0 + 3600 * i, str(o), str(o + 50), str(o - 50), str(o)) for i, o in enumerate(opens)]
    rows[-1] = (rows[-1][0], rows[-1][1], rows[-1][2], "57000", rows[-1][4])  # the worst low comes last
    file = write(tmp_path / "h.csv", rows)
    plain = run_cli("replay", str(file), *LONG, "--json").json()
    paid = run_cli("replay", str(file), *LONG, "--funding", "0.05%", "--json").json()
    boundaries = [i for i in range(1, 48) if i % 8 == 0]
    expected = sum(Fraction(5, 10000) * 10000 / opens[i] for i in boundaries)
    assert paid["funding_payments"] == len(boundaries) == 5
    assert abs(Fraction(paid["funding_paid"]) - expected) <= Fraction(1, 2 * 10**8)
    assert paid["collateral_end"] == plain["collateral"] - paid["funding_paid"]
    assert abs(paid["collateral_to_survive"] - plain["collateral_to_survive"] - paid["funding_paid"]) <= SAT
    assert paid["min_equity"] < plain["min_equity"]


def test_funding_moves_the_liquidation_price(tmp_path: Path) -> None:
    liq = shown_liquidation("long")
    rows = [(T0 + 3600 * i, "60000", "60000", "59000", "60000") for i in range(40)]
    rows.append((T0 + 3600 * 40, "60000", "60000", str(liq + 5), "60000"))  # safe without funding
    file = write(tmp_path / "h.csv", rows)
    assert run_cli("replay", str(file), *LONG, "--json").json()["survived"] is True
    doc = run_cli("replay", str(file), *LONG, "--funding", "0.1%", "--json").json()
    assert doc["survived"] is False and doc["liquidated_at"]["price"] > liq
    assert doc["funding_payments"] == 5


def test_the_mark_column_is_the_price_tested(tmp_path: Path) -> None:
    liq = shown_liquidation("long")
    rows = [
        (T0, "60000", "60000", str(liq - 1000), "60000", "59900"),
        (T0 + 60, "60000", "60000", "59000", "60000", str(liq)),
    ]
    file = write(tmp_path / "m.csv", rows, header="time,open,high,low,close,mark")  # type: ignore[arg-type]
    doc = run_cli("replay", str(file), *LONG, "--json").json()
    assert doc["price_source"] == "mark"
    assert doc["liquidated_at"]["line"] == 3  # the wick of line 2 is last price, not mark


def test_kline_download_iso_and_from(tmp_path: Path) -> None:
    liq = shown_liquidation("long")
    rows = [(T0 * 1000 + 60000 * i, "60000", "60010", str(low), "60000", "1", "0", "0", "0", "0", "0", "0")
            for i, low in enumerate([liq - 1, D(59990), D(59990)])]  # fmt: skip
    file = write(tmp_path / "BTCUSD_PERP-1m-2024-01-01.csv", rows, header="")  # type: ignore[arg-type]
    assert run_cli("replay", str(file), *LONG, "--json").json()["survived"] is False
    doc = run_cli("replay", str(file), *LONG, "--from", "2024-01-01T00:01:00Z", "--json").json()
    assert doc["survived"] is True and doc["candles"] == 2 and doc["first_time"] == "2024-01-01T00:01:00Z"


def test_rows_one_per_candle_until_the_liquidation(tmp_path: Path) -> None:
    liq = shown_liquidation("long")
    file = write(tmp_path / "c.csv", path_to(liq, "long"))
    run = run_cli("replay", str(file), *LONG, "--format", "ndjson")
    rows = [json.loads(line, parse_float=D) for line in run.stdout.splitlines()]
    assert len(rows) == 6 and [r["liquidated"] for r in rows] == [False] * 5 + [True]
    assert all(r["liquidation_price"] == liq for r in rows)
    csv = run_cli("replay", str(file), *LONG, "--format", "csv").stdout.splitlines()
    assert csv[0].startswith("time,line,open,high,low,close") and len(csv) == 7


BAD = [
    (
        "time,open,high,low,close\n1704067200,100,101,99,100\n1704067260,100,99,101,100\n",
        "line 3: the low 101 is above",
    ),
    ("time,open,high,low,close\n1704067200,100,101,99,100\n1704067140,100,101,99,100\n", "line 3: the time"),
    ("time,open,high,low,close\n1704067200,100,101,99,100\n1704067200,100,101,99,100\n", "is the same as"),
    ("time,open,high,low,close\n1704067200,100,101,99,100\n1704067260,100,101,nan,100\n", "line 3: the low 'nan'"),
    ("time,open,high,low,close\n1704067200,100,101,99,100\n1704067260,100,1e999,99,100\n", "line 3: the high"),
    ("time,open,high,low,close\n" + "1" * 10000 + "\n", "line 2: longer than"),
    ("time,open,low,close\n1704067200,100,99,100\n", "line 1: the header has no high column"),
    ("", "no candles"),
]


@pytest.mark.parametrize(("text", "words"), BAD)
def test_a_broken_file_is_the_file_error(tmp_path: Path, text: str, words: str) -> None:
    file = tmp_path / "bad.csv"
    file.write_text(text, encoding="utf-8")
    run = run_cli("replay", str(file), "--side", "long", "--contracts", "100", "--leverage", "10", "--entry", "100")
    assert run.exit_code == 6 and run.stdout == ""
    assert words in run.stderr and str(file) in run.stderr and len(run.stderr.strip().splitlines()) == 1


def test_bad_options(tmp_path: Path) -> None:
    file = write(tmp_path / "c.csv", path_to(D(59000), "long"))
    run = run_cli("replay", str(file), *LONG, "--from", "soon")
    assert run.exit_code == 2 and run.stdout == "" and "--from" in run.stderr
    run = run_cli("replay", str(tmp_path / "none.csv"), *LONG)
    assert run.exit_code == 6 and run.stdout == "" and "no such file" in run.stderr


@pytest.mark.skipif(shutil.which("invfut") is None, reason="the console script is not installed")
def test_a_real_process(tmp_path: Path) -> None:
    liq = shown_liquidation("long")
    file = write(tmp_path / "c.csv", path_to(liq, "long"))
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR")}
    done = subprocess.run(["invfut", "replay", str(file), *LONG, "--json"], capture_output=True, text=True, env=env,
                          timeout=60, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["liquidated_at"]["line"] == 7
    file.write_text("time,open,high,low,close\n1704067200,100,99,101,100\n", encoding="utf-8")
    done = subprocess.run(["invfut", "replay", str(file), *LONG], capture_output=True, text=True, env=env, timeout=60,
                          check=False)  # fmt: skip
    assert done.returncode == 6 and done.stdout == "" and "line 2" in done.stderr
    assert "Traceback" not in done.stderr and sys.executable


def test_a_funding_column_is_paid_at_each_boundary(tmp_path: Path) -> None:
    rates = ["0.0001", "-0.0003", "0.0002", "0.0005"]
    rows = []
    for i in range(32):  # hourly: boundaries at 08:00, 16:00, 00:00, 08:00
        rate = rates[i // 8 - 1] if i % 8 == 0 and i else ""
        rows.append((T0 + 3600 * i, str(60000 + i), str(60100 + i), str(59900 + i), str(60000 + i), rate))
    file = write(tmp_path / "f.csv", rows, header="time,open,high,low,close,funding")  # type: ignore[arg-type]
    doc = run_cli("replay", str(file), *SHORT, "--json").json()
    expected = sum(-Fraction(rates[k]) * 10000 / (60000 + 8 * (k + 1)) for k in range(3))
    assert doc["funding_payments"] == 3
    assert abs(Fraction(doc["funding_paid"]) - expected) <= Fraction(1, 2 * 10**8)
    lines = run_cli("replay", str(file), *SHORT, "--format", "ndjson").stdout.splitlines()
    paid = sum(D(json.loads(line, parse_float=D)["funding"]) for line in lines)
    assert abs(paid - doc["funding_paid"]) <= 3 * SAT


@pytest.mark.parametrize("side", ["long", "short"])
def test_iso_times_in_every_line(tmp_path: Path, side: str) -> None:
    """A file whose times are all ISO 8601 is walked like one in Unix seconds: the same answer."""
    liq = shown_liquidation(side)
    rows = path_to(liq, side)
    unix = write(tmp_path / "unix.csv", rows)
    iso = tmp_path / "iso.csv"
    from datetime import UTC, datetime

    iso_rows = [(datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), *prices) for t, *prices in rows]
    write(iso, iso_rows)  # type: ignore[arg-type]
    position = LONG if side == "long" else SHORT
    a = run_cli("replay", str(unix), *position, "--json").json()
    b = run_cli("replay", str(iso), *position, "--json").json()
    assert a["survived"] is False and b["survived"] is False
    assert b["liquidated_at"] == a["liquidated_at"] and b["collateral_to_survive"] == a["collateral_to_survive"]


def test_the_liquidating_rows_equity_is_where_it_closes(tmp_path: Path) -> None:
    """A wick far beyond the liquidation price: the last row (the liquidating candle) says the
    position closed at the liquidation price, as the summary does, not at the wick."""
    liq = shown_liquidation("long")
    file = write(tmp_path / "c.csv", path_to(liq - 5000, "long"))
    rows = [
        json.loads(line, parse_float=D)
        for line in run_cli("replay", str(file), *LONG, "--format", "ndjson").stdout.splitlines()
    ]
    last = rows[-1]
    assert last["liquidated"] is True
    at_liq = Fraction(10000, 600000) + 10000 * (Fraction(1, 60000) - 1 / Fraction(liq))
    assert abs(Fraction(last["equity"]) - at_liq) <= Fraction(1, 2 * 10**8)
    summary = run_cli("replay", str(file), *LONG, "--json").json()
    assert summary["min_equity"] == last["equity"] and last["safety_pct"] == 0
