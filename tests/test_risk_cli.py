"""The model probability on ``liq-price`` (``--vol``, ``--vol-from``, ``--horizon``,
``--drift``, ``--max-probability``) and the candle reader behind ``--vol-from``."""

from __future__ import annotations

import math
import statistics
from decimal import ROUND_CEILING
from decimal import Decimal as D
from pathlib import Path

import pytest
from conftest import run_cli

from invfut_cli.core.position import Side
from invfut_cli.core.probability import TouchModel, touch_probability

LONG_10X = ("liq-price", "--side", "long", "--entry", "60000", "--contracts", "10000")


def test_the_published_week_for_a_long_at_ten_times() -> None:
    run = run_cli(*LONG_10X, "--leverage", "10", "--vol", "60%", "--horizon", "7d", "--json")
    assert run.exit_code == 0, run.stderr
    found = run.json()["liquidation_probability"]
    # DOMAIN.md §14: 0.2873 touch, 0.1467 at the end only (to 0.01 percentage points).
    assert abs(found["touch_pct"] - D("28.73")) <= D("0.01")
    assert abs(found["at_horizon_pct"] - D("14.67")) <= D("0.01")
    assert found["vol_pct"] == 60 and found["drift_pct"] == 0 and found["horizon_days"] == 7
    assert found["model"] == "gbm" and found["reason"] is None


def test_the_same_volatility_written_as_a_fraction_and_a_percent() -> None:
    a = run_cli(*LONG_10X, "--leverage", "20", "--vol", "0.6", "--horizon", "1w", "--json").json()
    b = run_cli(*LONG_10X, "--leverage", "20", "--vol", "60%", "--horizon", "168h", "--json").json()
    assert a["liquidation_probability"]["touch_pct"] == b["liquidation_probability"]["touch_pct"]
    assert abs(a["liquidation_probability"]["touch_pct"] - D("60.94")) <= D("0.01")  # §14: 0.6094


def test_without_the_options_the_document_is_as_before() -> None:
    doc = run_cli(*LONG_10X, "--leverage", "10", "--json").json()
    assert "liquidation_probability" not in doc and "vol" not in doc["inputs"]


def test_no_liquidation_price_is_probability_zero_with_the_reason() -> None:
    run = run_cli("liq-price", "--side", "short", "--entry", "8000", "--contracts", "10000", "--leverage", "1",
                  "--mm-basis", "mark", "--vol", "60%", "--horizon", "30d", "--json")  # fmt: skip
    found = run.json()["liquidation_probability"]
    assert run.json()["liquidation_price"] is None
    assert found["touch_pct"] == 0 and found["reason"]


def test_the_table_says_model_probability_and_names_the_model() -> None:
    run = run_cli(*LONG_10X, "--leverage", "10", "--vol", "60%", "--horizon", "7d", "--drift", "-10%")
    flat = " ".join(run.stdout.split())
    assert "Model probability" in flat and "σ 60.00%/yr" in flat and "μ -10.00%/yr" in flat and "7d" in flat


@pytest.mark.parametrize("p", ["1", "5%", "0.5"])
def test_max_probability_round_trips_to_the_satoshi(p: str) -> None:
    doc = run_cli(*LONG_10X, "--leverage", "10", "--vol", "60%", "--horizon", "7d", "--max-probability", p,
                  "--json").json()  # fmt: skip
    target = doc["probability_target"]
    wanted = D(p.rstrip("%")) / 100
    model = TouchModel(D("0.6"), D(0), D(7) / 365)

    def chance(collateral: D) -> D:
        back = run_cli(*LONG_10X, "--margin", str(collateral), "--json").json()
        return touch_probability(Side.LONG, D(60000), back["liquidation_price_exact"], model).touch

    assert chance(target["collateral"]) <= wanted
    assert chance(target["collateral"] - D("0.00000001")) > wanted
    assert target["price"] < doc["liquidation_price"]


def test_max_probability_published_case() -> None:
    doc = run_cli(*LONG_10X, "--leverage", "10", "--vol", "60%", "--horizon", "7d", "--max-probability", "1%",
                  "--json").json()  # fmt: skip
    target = doc["probability_target"]
    assert abs(target["price"] - D("48290.5")) < D("0.1")  # DOMAIN.md §14
    assert abs(target["collateral"] - D("0.0412465")) < D("0.0000001")
    assert target["leverage"] == D("4.04")


def test_more_collateral_never_raises_the_probability() -> None:
    docs = [run_cli(*LONG_10X, "--margin", m, "--vol", "80%", "--horizon", "3d", "--json").json()
            for m in ("0.01", "0.015", "0.02", "0.04", "0.1")]  # fmt: skip
    touches = [doc["liquidation_probability"]["touch_pct"] for doc in docs]
    assert touches == sorted(touches, reverse=True) and touches[0] > touches[-1]


def _candles(path: Path, rows: list[str], header: str | None = "time,open,high,low,close") -> Path:
    path.write_text("\n".join(([header] if header else []) + rows) + "\n", encoding="utf-8")
    return path


def test_vol_from_candles_is_the_published_figure(tmp_path: Path) -> None:
    closes = [100, 101, 99, 102, 98, 103]
    rows = [f"2024-01-01T{h:02d}:00:00Z,{c},{c + 5},{c - 5},{c}" for h, c in enumerate(closes)]
    file = _candles(tmp_path / "h.csv", rows)
    doc = run_cli(*LONG_10X, "--leverage", "10", "--vol-from", str(file), "--horizon", "7d", "--json").json()
    found = doc["liquidation_probability"]
    logs = [math.log(b / a) for a, b in zip(closes, closes[1:], strict=False)]
    assert found["vol_from"]["interval_seconds"] == 3600 and found["vol_from"]["returns"] == 5
    assert abs(found["vol_pct"] - D(repr(statistics.stdev(logs) * math.sqrt(8760) * 100))) <= D("0.005")
    assert found["vol_pct"] == D("340.44")  # DOMAIN.md §14: 3.4044 a year


def test_vol_from_binance_kline_layout_in_milliseconds(tmp_path: Path) -> None:
    closes = [100, 101, 99, 102, 98, 103]
    start = 1704067200000
    rows = [f"{start + i * 60000},{c},{c + 1},{c - 1},{c},12.5,{start + i * 60000 + 59999},0,0,0,0,0"
            for i, c in enumerate(closes)]  # fmt: skip
    file = _candles(tmp_path / "BTCUSD_PERP-1m.csv", rows, header=None)
    found = run_cli(*LONG_10X, "--leverage", "10", "--vol-from", str(file), "--horizon", "7d", "--json").json()[
        "liquidation_probability"
    ]
    logs = [math.log(b / a) for a, b in zip(closes, closes[1:], strict=False)]
    assert found["vol_from"]["interval_seconds"] == 60
    assert abs(found["vol_pct"] - D(repr(statistics.stdev(logs) * math.sqrt(365 * 1440) * 100))) <= D("0.005")


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (("--vol", "0", "--horizon", "7d"), "--vol"),
        (("--vol", "-5%", "--horizon", "7d"), "--vol"),
        (("--vol", "60%", "--horizon", "0h"), "--horizon"),
        (("--vol", "60%", "--horizon", "-1d"), "--horizon"),
        (("--vol", "60%", "--horizon", "7"), "--horizon"),
        (("--vol", "60%", "--horizon", "7d", "--max-probability", "0"), "--max-probability"),
        (("--vol", "60%", "--horizon", "7d", "--max-probability", "100%"), "--max-probability"),
        (("--vol", "60%", "--horizon", "7d", "--max-probability", "-1"), "--max-probability"),
        (("--vol", "60%"), "--horizon"),
        (("--horizon", "7d"), "--vol"),
        (("--vol", "1", "--vol-from", "x.csv", "--horizon", "7d"), "--vol-from"),
    ],
)
def test_bad_model_options_exit_2_naming_the_option(args: tuple[str, ...], option: str) -> None:
    run = run_cli(*LONG_10X, "--leverage", "10", *args)
    assert run.exit_code == 2
    assert run.stdout == ""
    assert option in run.stderr and len(run.stderr.strip().splitlines()) == 1


GOOD = "2024-01-01T00:00:00Z,100,101,99,100"


@pytest.mark.parametrize(
    ("rows", "words"),
    [
        ([GOOD, "2024-01-01T01:00:00Z,100,99,101,100"], "line 3: the low 101 is above the high 99"),
        ([GOOD, "2023-12-31T23:00:00Z,100,101,99,100"], "line 3: the time"),
        ([GOOD, GOOD], "line 3: the time 2024-01-01T00:00:00Z is the same as"),
        ([GOOD, "2024-01-01T01:00:00Z,NaN,101,99,100"], "line 3: the open 'NaN'"),
        ([GOOD, "2024-01-01T01:00:00Z,100,inf,99,100"], "line 3: the high 'inf'"),
        ([GOOD, "2024-01-01T01:00:00Z,100,101,99"], "line 3: 4 columns"),
        ([GOOD, "2024-01-01T01:00:00Z," + "1" * 5000 + ",101,99,100"], "line 3: longer than"),
        ([GOOD, "yesterday,100,101,99,100"], "line 3: 'yesterday' is not a time"),
    ],
)
def test_a_broken_candle_file_is_the_file_error(tmp_path: Path, rows: list[str], words: str) -> None:
    file = _candles(tmp_path / "c.csv", rows)
    run = run_cli(*LONG_10X, "--leverage", "10", "--vol-from", str(file), "--horizon", "7d", "--json")
    assert run.exit_code == 6, run.stderr
    assert run.stdout == ""
    assert str(file) in run.stderr and words in run.stderr, run.stderr
    assert len(run.stderr.strip().splitlines()) == 1


def test_a_missing_candle_file_is_the_file_error(tmp_path: Path) -> None:
    run = run_cli(*LONG_10X, "--leverage", "10", "--vol-from", str(tmp_path / "none.csv"), "--horizon", "7d")
    assert run.exit_code == 6 and run.stdout == "" and "no such file" in run.stderr


def test_leverage_rows_carry_the_chance_from_their_price() -> None:
    run = run_cli("leverage", "--entry", "60000", "--contracts", "10000", "--leverage", "10", "--vol", "60%",
                  "--horizon", "7d", "--pct", "15", "--pct-step", "5", "--max-probability", "1", "--json")  # fmt: skip
    doc = run.json()
    rows = doc["rows"]
    assert [r["touch_pct"] for r in rows if r["liquidated"]] == [100] * sum(r["liquidated"] for r in rows)
    safe = [r["touch_pct"] for r in rows if not r["liquidated"]]
    assert safe == sorted(safe, reverse=True)  # further from the liquidation price, less likely
    at_entry = next(r for r in rows if r["price"] == 60000)
    assert abs(at_entry["touch_pct"] - D("28.73")) <= D("0.01")  # DOMAIN.md §14
    assert doc["probability_target"]["leverage"] == D("4.04")


def test_leverage_without_the_options_is_as_before() -> None:
    doc = run_cli("leverage", "--entry", "60000", "--contracts", "10000", "--leverage", "10", "--json").json()
    assert "liquidation_probability" not in doc and "touch_pct" not in doc["rows"][0]


def test_compare_gives_each_venue_its_chance() -> None:
    run = run_cli("compare", "--side", "long", "--entry", "60000", "--size-usd", "10000", "--leverage", "10",
                  "--vol", "60%", "--horizon", "7d", "--exchange", "bybit,generic", "--json")  # fmt: skip
    rows = {r["exchange"]: r for r in run.json()["rows"]}
    assert abs(rows["generic"]["liquidation_probability"]["touch_pct"] - D("28.73")) <= D("0.01")
    for row in rows.values():  # each from its own venue's liquidation price, as shown
        model = TouchModel(D("0.6"), D(0), D(7) / 365)
        chance = touch_probability(Side.LONG, D(60000), row["liquidation_price"], model).touch * 100
        assert row["liquidation_probability"]["touch_pct"] == chance.quantize(
            D("0.01"), rounding=ROUND_CEILING
        )  # rounded up: a chance is never understated
    bad = run_cli("compare", "--side", "long", "--entry", "60000", "--size-usd", "10000", "--leverage", "10",
                  "--vol", "60%")  # fmt: skip
    assert bad.exit_code == 2 and bad.stdout == "" and "--horizon" in bad.stderr


def test_account_chance_of_its_liquidation_price() -> None:
    from conftest import ROOT

    file = str(ROOT / "examples" / "account.toml")
    doc = run_cli("account", file, "--price", "60000", "--add", "long:50000@60000", "--vol", "60%", "--horizon", "30d",
                  "--json").json()  # fmt: skip
    found = doc["liquidation_probability"]
    model = TouchModel(D("0.6"), D(0), D(30) / 365)
    chance = touch_probability(Side.LONG, D(60000), doc["after"]["liquidation_price"], model).touch * 100
    assert found["touch_pct"] == chance.quantize(
        D("0.01"), rounding=ROUND_CEILING
    )  # rounded up: a chance is never understated and found["from_price"] == 60000
    table = run_cli("account", file, "--price", "60000", "--vol", "60%", "--horizon", "30d").stdout
    assert "Model probability" in " ".join(table.split())
    plain = run_cli("account", file, "--price", "60000", "--json").json()
    assert "liquidation_probability" not in plain and "vol" not in plain["inputs"]


def test_a_small_chance_is_never_shown_as_none() -> None:
    """12 hours at 60% for a 10× long: the model chance is about 0.005%; rounded up to 0.01,
    never to 0.00 beside a real risk. A σ finer than 0.01% is echoed as given."""
    doc = run_cli("liq-price", "--side", "long", "--entry", "60000", "--contracts", "10000", "--leverage", "10",
                  "--vol", "60%", "--horizon", "12h", "--json").json()  # fmt: skip
    model = TouchModel(D("0.6"), D(0), D(1) / 730)
    exact = touch_probability(Side.LONG, D(60000), doc["liquidation_price"], model).touch * 100
    assert D(0) < exact < D("0.01")
    assert doc["liquidation_probability"]["touch_pct"] == D("0.01")
    fine = run_cli("liq-price", "--side", "long", "--entry", "60000", "--contracts", "10000", "--leverage", "10",
                   "--vol", "0.0001%", "--horizon", "7d", "--json").json()  # fmt: skip
    assert fine["liquidation_probability"]["vol_pct"] == D("0.0001")
