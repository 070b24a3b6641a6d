"""Safety signals (DOMAIN.md §11): what an answer *means* at and beyond the liquidation price.

- "At or beyond" counts as liquidated: a long at ``P ≤ LP``, a short at ``P ≥ LP``, where
  ``LP`` is the liquidation price as shown (rounded toward safety).
- ``distance_from_mark_pct`` is signed, ``100·(LP − mark)/mark``.
- ``--fail-within`` alerts when the mark is within the limit on the safe side *or* beyond.
- ``pnl``, ``ladder`` and ``leverage`` say ``liquidated`` where the price is beyond, and show
  no effective leverage there.

Expected liquidation prices come from the formulas of DOMAIN.md §5 in ``Fraction``.
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
from decimal import Decimal as D
from fractions import Fraction as F
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, Run, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from invfut_cli.exitcodes import ExitCode

STEP = F(1, 100)  # the generic price step (prices to 2 places)


def ok(run: Run, code: int = 0) -> Any:
    assert run.exit_code == code, (run.exit_code, run.stdout, run.stderr)
    return run.json()


def reference_liquidation(side: str, q: F, e: F, m_coin: F, mmr: F, family: str) -> F | None:
    """DOMAIN.md §5, isolated, no fees: entry family ``s·Q/(M + s·Q/E − m·Q/E)``, mark family
    ``Q·(s + m)/(M + s·Q/E)``; ``None`` where the quotient is not a positive price."""
    s = 1 if side == "long" else -1
    if family == "entry":
        num, den = s * q, m_coin + s * q / e - mmr * q / e
    else:
        num, den = q * (s + mmr), m_coin + s * q / e
    if den == 0 or num / den <= 0:
        return None
    return num / den


def shown(price: F, side: str, step: F = STEP) -> F:
    """Toward safety: a long's up, a short's down, to ``step``."""
    units = price / step
    return (math.ceil(units) if side == "long" else math.floor(units)) * step


def dec(x: F) -> str:
    return str(D(x.numerator) / D(x.denominator))


POSITION = ("--entry", "8000", "--contracts", "10000", "--leverage", "10")
CASES = [(side, family) for side in ("long", "short") for family in ("entry", "mark")]


# --- the alert -----------------------------------------------------------------------------


def test_the_issue_case_alerts_past_liquidation() -> None:
    """The mark 5,000 is 32% below a long's liquidation price 7,305.94: that is an alert."""
    run = run_cli("liq-price", "--side", "long", *POSITION, "--mark", "5000", "--fail-within", "10", "--json")
    doc = ok(run, ExitCode.ALERT)
    assert doc["liquidation_price"] == D("7305.94")
    assert doc["beyond"] is True and doc["alert"] is True
    # Signed: the liquidation price is above the mark.
    assert doc["distance_from_mark_pct"] == D("46.12")
    assert "at or beyond the liquidation price 7305.94" in run.stderr
    assert run.stderr.count("\n") == 1


@pytest.mark.parametrize(("side", "family"), CASES)
@pytest.mark.parametrize("where", ["at", "one step safe", "one step beyond"])
def test_a_mark_at_the_liquidation_price_and_a_step_either_side(side: str, family: str, where: str) -> None:
    s = 1 if side == "long" else -1
    q, e = F(10000), F(8000)
    exact = reference_liquidation(side, q, e, q / (e * 10), F(5, 1000), family)
    assert exact is not None
    lp = shown(exact, side)
    mark = {"at": lp, "one step safe": lp + s * STEP, "one step beyond": lp - s * STEP}[where]
    args = ("liq-price", "--side", side, *POSITION, "--mm-basis", family, "--mark", dec(mark))
    # With a zero limit only "beyond" can raise the alert.
    run = run_cli(*args, "--fail-within", "0", "--json")
    beyond = where != "one step safe"
    doc = ok(run, ExitCode.ALERT if beyond else ExitCode.OK)
    assert F(doc["liquidation_price"]) == lp
    assert doc["beyond"] is beyond and doc["alert"] is beyond
    distance = 100 * (lp - mark) / mark
    assert doc["distance_from_mark_pct"] == D(round(distance * 100)) / 100
    # The sign says which side: a safe long has its liquidation price below the mark.
    if where == "one step safe":
        assert (distance < 0) == (side == "long")
        assert bool(run.stderr) is False
    else:
        assert "at or beyond" in run.stderr
    # A generous limit alerts on all three: within it, or beyond.
    assert ok(run_cli(*args, "--fail-within", "5", "--json"), ExitCode.ALERT)["alert"] is True


def test_fail_within_takes_a_percent_sign() -> None:
    args = ("liq-price", "--side", "long", *POSITION, "--mark", "7400")
    plain = ok(run_cli(*args, "--fail-within", "2", "--json"), ExitCode.ALERT)
    signed = ok(run_cli(*args, "--fail-within", "2%", "--json"), ExitCode.ALERT)
    assert plain["fail_within_pct"] == signed["fail_within_pct"] == 2
    assert {k: v for k, v in plain.items() if k != "inputs"} == {k: v for k, v in signed.items() if k != "inputs"}
    # 1.27% from the mark: outside a 1% limit, inside 2%.
    assert ok(run_cli(*args, "--fail-within", "1%", "--json"))["alert"] is False


@pytest.mark.parametrize("value", ["abc", "5%%", "-1", "1001", ""])
def test_a_bad_fail_within_is_one_line_naming_the_option(value: str) -> None:
    run = run_cli("liq-price", "--side", "long", *POSITION, "--fail-within", value)
    assert run.exit_code == ExitCode.USAGE
    assert run.stdout == ""
    assert run.stderr.count("\n") == 1 and "--fail-within" in run.stderr


def test_a_short_without_a_liquidation_price_never_alerts() -> None:
    """A 1× short in the mark family is never liquidated: no distance, never beyond."""
    args = ("liq-price", "--side", "short", "--entry", "8000", "--contracts", "8000", "--leverage", "1")
    doc = ok(run_cli(*args, "--mm-basis", "mark", "--mark", "900000", "--fail-within", "1000", "--json"))
    assert doc["liquidation_price"] is None and doc["reason"]
    assert doc["distance_from_mark_pct"] is None and doc["beyond"] is False and doc["alert"] is False


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    side=st.sampled_from(["long", "short"]),
    family=st.sampled_from(["entry", "mark"]),
    entry=st.integers(100, 200_000),
    leverage=st.integers(2, 100),
    # How far past the liquidation price the mark is (0: at it), and any limit at all.
    past=st.fractions(min_value=0, max_value=F(1, 2)),
    limit=st.decimals(min_value=0, max_value=1000, places=2),
)
def test_alert_whenever_the_mark_is_at_or_beyond(
    side: str, family: str, entry: int, leverage: int, past: F, limit: D
) -> None:
    s = 1 if side == "long" else -1
    q, e = F(100_000), F(entry)
    exact = reference_liquidation(side, q, e, q / (e * leverage), F(5, 1000), family)
    assert exact is not None
    lp = shown(exact, side)
    mark = shown(lp * (1 - s * past), "short" if side == "long" else "long")  # rounded further past
    if mark <= 0:
        return
    run = run_cli(
        "liq-price", "--side", side, "--entry", str(entry), "--contracts", "100000", "--leverage", str(leverage),
        "--mm-basis", family, "--mark", dec(mark), "--fail-within", str(limit), "--json",
    )  # fmt: skip
    doc = ok(run, ExitCode.ALERT)
    assert doc["beyond"] is True and doc["alert"] is True


# --- pnl beyond liquidation -------------------------------------------------------------------


def test_pnl_says_the_issue_case_was_liquidated() -> None:
    """Bybit, long 10,000 at 60,000, 25×, exit 50,000: liquidated at 57,971.5 long before."""
    args = ("--exchange", "bybit", "--side", "long", "--entry", "60000", "--contracts", "10000", "--leverage", "25")
    doc = ok(run_cli("pnl", *args, "--exit", "50000", "--json"))
    assert doc["liquidated"] is True
    assert doc["liquidation_price"] == ok(run_cli("liq-price", *args, "--json"))["liquidation_price"] == D("57971.5")
    # It loses its margin, Q/(E·L), not the formula's -500%.
    assert doc["loss_at_liquidation"] == doc["collateral"] == D("0.00666667")
    table = run_cli("pnl", *args, "--exit", "50000")
    assert "LIQUIDATED" in table.stdout and "57,971.5" in table.stdout
    safe = ok(run_cli("pnl", *args, "--exit", "59000", "--json"))
    assert safe["liquidated"] is False and safe["loss_at_liquidation"] is None


@pytest.mark.parametrize("side", ["long", "short"])
def test_pnl_at_and_around_the_liquidation_price(side: str) -> None:
    """The generic rule (entry family, 0.5%); the mark family is tested through batch below."""
    s = 1 if side == "long" else -1
    q, e = F(10000), F(8000)
    exact = reference_liquidation(side, q, e, q / (e * 10), F(5, 1000), "entry")
    assert exact is not None
    lp = shown(exact, side)
    for exit_price, liquidated in ((lp, True), (lp - s * STEP, True), (lp + s * STEP, False)):
        doc = ok(run_cli("pnl", "--side", side, *POSITION, "--exit", dec(exit_price), "--json"))
        assert F(doc["liquidation_price"]) == lp
        assert doc["liquidated"] is liquidated, exit_price
        assert (doc["loss_at_liquidation"] == doc["collateral"]) is liquidated


def test_pnl_without_a_margin_does_not_know() -> None:
    doc = ok(run_cli("pnl", "--side", "long", "--entry", "8000", "--contracts", "10000", "--exit", "1000", "--json"))
    assert doc["liquidated"] is None and doc["liquidation_price"] is None and doc["loss_at_liquidation"] is None


def test_pnl_in_the_mark_family_through_batch() -> None:
    """A batch line sets the rule's fields (``mm_basis``) as liq-price takes them."""
    from invfut_cli.batchrun import result_line

    q, e = F(10000), F(8000)
    for side in ("long", "short"):
        s = 1 if side == "long" else -1
        lp = shown(reference_liquidation(side, q, e, q / (e * 10), F(5, 1000), "mark") or F(0), side)
        for exit_price, liquidated in ((lp, True), (lp + s * STEP, False)):
            line = (
                f'{{"command": "pnl", "side": "{side}", "entry": 8000, "contracts": 10000, "leverage": 10, '
                f'"mm_basis": "mark", "exit": {dec(exit_price)}}}'
            )
            out, _flags = result_line(1, line.encode())
            doc = json.loads(out, parse_float=D)
            assert "error" not in doc, doc
            assert F(doc["liquidation_price"]) == lp and doc["liquidated"] is liquidated


# --- ladder and leverage rows -------------------------------------------------------------


@pytest.mark.parametrize("side", ["long", "short"])
@pytest.mark.parametrize("exchange", ["generic", "bybit", "binance"])
def test_ladder_rows_beyond_liquidation_show_no_leverage(side: str, exchange: str) -> None:
    contracts = "100" if exchange == "binance" else "10000"
    doc = ok(
        run_cli(
            "ladder",
            "--side",
            side,
            "--entry",
            "8000",
            "--contracts",
            contracts,
            "--leverage",
            "10",
            "--exchange",
            exchange,
            "--pct",
            "20",
            "--pct-step",
            "2",
            "--json",
        )  # fmt: skip
    )
    s = 1 if side == "long" else -1
    lp = F(doc["liquidation_price"])
    rows = [*doc["rows"], *doc["marks"]]
    assert any(r["liquidated"] for r in rows) and any(r["liquidated"] is False for r in rows)
    for row in rows:
        beyond = s * (F(row["price"]) - lp) <= 0
        assert row["liquidated"] is beyond, row
        if beyond:
            assert row["effective_leverage"] is None, row
        else:
            assert row["effective_leverage"] is not None and row["effective_leverage"] > 0, row
    marks = {m["mark"]: m for m in doc["marks"]}
    # The bankruptcy row (price rounded to the tick, a hair of equity left) shows no leverage.
    assert marks["bankruptcy"]["liquidated"] is True and marks["bankruptcy"]["effective_leverage"] is None
    assert marks["liquidation"]["liquidated"] is True


def test_ladder_without_a_margin_does_not_know() -> None:
    doc = ok(run_cli("ladder", "--side", "long", "--entry", "8000", "--contracts", "10000", "--json"))
    assert all(row["liquidated"] is None for row in doc["rows"])


@pytest.mark.parametrize("side", ["long", "short"])
def test_leverage_rows_beyond_liquidation_show_no_leverage(side: str) -> None:
    doc = ok(run_cli("leverage", "--side", side, *POSITION, "--json"))
    s = 1 if side == "long" else -1
    q, e = F(10000), F(8000)
    lp = shown(reference_liquidation(side, q, e, q / (e * 10), F(5, 1000), "entry") or F(0), side)
    assert F(doc["liquidation_price"]) == lp
    assert any(r["liquidated"] for r in doc["rows"])
    for row in doc["rows"]:
        beyond = s * (F(row["price"]) - lp) <= 0
        assert row["liquidated"] is beyond
        assert (row["effective_leverage"] is None) is beyond


def test_the_table_draws_liquidated_rows_and_says_so() -> None:
    out = run_cli("ladder", "--side", "long", *POSITION, "--pct", "20", "--pct-step", "5").stdout
    assert "Rows at or beyond the liquidation price 7,305.94 are liquidated" in out
    assert "True" not in out and "False" not in out


# --- the guide's cron example ---------------------------------------------------------------


def cron_example() -> str:
    text = (ROOT / "docs" / "GUIDE.md").read_text(encoding="utf-8")
    start = text.index("For a cron job:")
    block = re.search(r"```sh\n(.*?)```", text[start:], re.S)
    assert block is not None
    return block.group(1)


@pytest.mark.parametrize(
    ("mark", "notified"), [("7950", "liquidation near"), ("9000", None), ("7000", "liquidation near")]
)
def test_the_readme_cron_example_notifies_only_when_unsafe(tmp_path: Path, mark: str, notified: str | None) -> None:
    """The example runs in bash as written, with ``notify`` recording what it was told: near
    (7,950, 0.86% from 7,882) and beyond (7,000) notify; safe (9,000) does not."""
    script = cron_example().replace("--mark 7950", f"--mark {mark}")
    prelude = 'notify() { printf "%s\\n" "$*" >> notified.txt; }\n'
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(["bash", "-c", prelude + script], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    told = (tmp_path / "notified.txt").read_text() if (tmp_path / "notified.txt").exists() else None
    if notified is None:
        assert told is None
    else:
        assert told is not None and notified in told
    assert (tmp_path / "liq.json").stat().st_size > 0


def test_the_readme_cron_example_reports_a_failure(tmp_path: Path) -> None:
    script = cron_example().replace("--mark 7950", "--mark abc")
    prelude = 'notify() { printf "%s\\n" "$*" >> notified.txt; }\n'
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    subprocess.run(["bash", "-c", prelude + script], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert "failed with exit code 2" in (tmp_path / "notified.txt").read_text()


# --- stress says what liq-price says -----------------------------------------------------------


@pytest.mark.parametrize(
    ("side", "exchange", "margin"),
    [
        ("long", "generic", ("--contracts", "100000", "--leverage", "10")),
        ("short", "generic", ("--contracts", "100000", "--leverage", "7")),
        ("long", "bybit", ("--contracts", "100000", "--leverage", "25")),
        ("short", "binance", ("--contracts", "100", "--leverage", "20")),
    ],
)
def test_a_shock_to_the_shown_liquidation_price_liquidates_as_liq_price_says(
    side: str, exchange: str, margin: tuple[str, ...]
) -> None:
    """A shock to the printed liquidation price, and one price step either side of it: the
    stress row's ``liquidated`` is liq-price's ``beyond`` for a mark at that price (DOMAIN.md
    §11: at or beyond the price as shown). Before, stress tested the exact price, and a shock to
    the printed price of a long (rounded up) came out as not liquidated."""
    position = ("--side", side, "--entry", "8000", *margin, "--exchange", exchange)
    liq = ok(run_cli("liq-price", *position, "--json"))
    shown, step = D(str(liq["liquidation_price"])), D(str(liq["price_step"]))
    assert F(shown) != F(liq["liquidation_price_exact"]) or exchange != "generic"
    for price in (shown - step, shown, shown + step):
        beyond = ok(run_cli("liq-price", *position, "--mark", str(price), "--json"))["beyond"]
        row = ok(run_cli("stress", *position, "--mark", str(price), "--move", "0", "--json"))["rows"][0]
        sign = 1 if side == "long" else -1
        assert beyond is (sign * (price - shown) <= 0)
        assert row["liquidated"] is beyond, (price, shown)
