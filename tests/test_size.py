"""``invfut size``: sizing by the coin risked at the stop, checked against Fraction math.

The reference: with ``f`` the taker rate paid at the entry and at the stop, the loss of
``n`` contracts of ``S`` USD is ``n·S·(|1/E − 1/X| + f/E + f/X)``; the size is the largest
whole number of lots whose loss is at most the risk.
"""

from __future__ import annotations

import json
import math
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from typing import Any

import pytest
from conftest import Run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from invfut_cli.core import DomainError, Side
from invfut_cli.core.sizing import loss_at_stop_coin, side_for_stop, size_by_risk
from invfut_cli.exitcodes import ExitCode

F = Fraction
D = Decimal
PROPERTY = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def ok(run: Run, code: ExitCode = ExitCode.OK) -> Any:
    assert run.exit_code == code, run.stderr
    assert run.stderr == ""
    return run.json()


def sat(x: Fraction) -> Decimal:
    """``x`` to 8 places, half-even, as the documents write coin amounts."""
    return (D(x.numerator) / D(x.denominator)).quantize(D("1e-8"), rounding=ROUND_HALF_EVEN)


def per_contract(entry: Fraction, stop: Fraction, size: Fraction, fee: Fraction) -> Fraction:
    return size * (abs(1 / entry - 1 / stop) + fee / entry + fee / stop)


def reference_contracts(entry: Any, stop: Any, risk: Any, size: Any, fee: Any, lot: Any = 1) -> int:
    """``lot·floor(R / (S·(|1/E − 1/X| + f/E + f/X)) / lot)`` in exact arithmetic."""
    per = per_contract(F(entry), F(stop), F(size), F(fee))
    return math.floor(F(risk) / per / F(lot)) * int(lot)


def size(cli: Any, *args: str) -> Run:
    return cli("size", *args)


# --- the sized position ------------------------------------------------------------------


def test_long_from_a_stop_below_with_risk_as_percent(cli: Any) -> None:
    out = ok(size(cli, "--entry", "8000", "--stop", "7600", "--balance", "1", "--risk", "2%", "--json"))
    n = reference_contracts(8000, 7600, F(2, 100), 1, F(5, 10000))
    assert out["side"] == "long" and out["side_inferred"] is True
    assert out["fee_rate"] == D("0.0005") and out["fee_rate_source"] == "generic"
    assert out["risk"] == D("0.02") and out["risk_pct"] == D("2")
    assert out["contracts"] == n
    exact = F(2, 100) / per_contract(F(8000), F(7600), F(1), F(5, 10000))
    assert out["contracts_exact"] == sat(exact)
    q = F(n)
    loss = q * (F(1, 7600) - F(1, 8000)) + F(5, 10000) * q / 8000 + F(5, 10000) * q / 7600
    assert out["pnl_at_stop"] == sat(q * (F(1, 8000) - F(1, 7600)))
    assert out["fee_open"] == sat(F(5, 10000) * q / 8000)
    assert out["fee_close"] == sat(F(5, 10000) * q / 7600)
    assert out["loss_at_stop"] == sat(loss)
    assert loss <= F(2, 100) < loss + per_contract(F(8000), F(7600), F(1), F(5, 10000))
    assert out["next_lot_loss"] > out["risk"] >= out["loss_at_stop"]
    # Default leverage 10: IM = Q/(E·10); isolated liquidation E·L/(L + 1 − m·L) with m = 0.5%.
    assert out["leverage"] == D(10) and out["margin_mode"] == "isolated"
    assert out["initial_margin"] == sat(q / (8000 * 10))
    assert out["collateral"] == out["initial_margin"]
    assert out["liquidation_price_exact"] == sat(F(8000 * 10) / (11 - F(5, 1000) * 10))
    assert out["stop_beyond_liquidation"] is False
    assert out["warnings"] == []


def test_short_from_a_stop_above_on_a_preset_with_risk_in_coin(cli: Any) -> None:
    """Binance COIN-M: $100 contracts, taker 0.05% from the preset."""
    out = ok(
        size(
            cli,
            "--entry",
            "60000",
            "--stop",
            "63000",
            "--balance",
            "0.5",
            "--risk",
            "0.01",
            "--exchange",
            "binance",
            "--json",
        )
    )
    assert out["side"] == "short"
    assert out["fee_rate_source"] == "preset" and out["fee_rate"] == D("0.0005")
    assert out["contracts"] == reference_contracts(60000, 63000, F(1, 100), 100, F(5, 10000))
    assert out["size_usd"] == out["contracts"] * 100
    assert out["risk_pct"] == D(2)


def test_taker_fee_given_wins_and_the_lot_rounds_down(cli: Any) -> None:
    """BitMEX trades in lots of 100 contracts; --taker-fee replaces the preset's 0.075%."""
    args = ("--entry", "50000", "--stop", "49000", "--balance", "2", "--risk", "0.0123", "--exchange", "bitmex")
    out = ok(size(cli, *args, "--taker-fee", "0.1%", "--json"))
    assert out["fee_rate"] == D("0.001") and out["fee_rate_source"] == "taker-fee"
    assert out["lot"] == 100
    n = reference_contracts(50000, 49000, F(123, 10000), 1, F(1, 1000), lot=100)
    assert out["contracts"] == n and n % 100 == 0
    preset = ok(size(cli, *args, "--json"))
    assert preset["fee_rate"] == D("0.00075") and preset["fee_rate_source"] == "preset"
    assert preset["contracts"] == reference_contracts(50000, 49000, F(123, 10000), 1, F(75, 100000), lot=100)


def test_side_given_and_matching_the_stop(cli: Any) -> None:
    out = ok(
        size(cli, "--side", "sell", "--entry", "2000", "--stop", "2100", "--balance", "3", "--risk", "1%", "--json")
    )
    assert out["side"] == "short" and out["side_inferred"] is False
    assert out["contracts"] == reference_contracts(2000, 2100, F(3, 100), 1, F(5, 10000))


def test_cross_margin_liquidation_uses_the_balance(cli: Any) -> None:
    """With --cross the balance backs the position: P = Q/(B + Q/E − m·Q/E) (entry family)."""
    out = ok(size(cli, "--entry", "8000", "--stop", "7000", "--balance", "0.5", "--risk", "1%", "--cross", "--json"))
    n = reference_contracts(8000, 7000, F(5, 1000), 1, F(5, 10000))
    q = F(n)
    assert out["margin_mode"] == "cross" and out["collateral"] == D("0.5")
    assert out["initial_margin"] == sat(q / (8000 * 10))
    assert out["liquidation_price_exact"] == sat(q / (F(1, 2) + q / 8000 - F(5, 1000) * q / 8000))
    assert out["stop_beyond_liquidation"] is False


def test_margin_above_the_balance_is_a_warning_with_the_lowest_leverage(cli: Any) -> None:
    out = ok(
        size(cli, "--entry", "8000", "--stop", "7990", "--balance", "0.1", "--risk", "5%", "--leverage", "1", "--json")
    )
    q = F(out["contracts"])
    assert out["initial_margin"] == sat(q / 8000) > D("0.1")
    lowest = F(q / 8000) / F(1, 10)
    assert out["min_leverage"] == D(math.ceil(lowest * 100)) / 100
    assert any("more than the balance" in w and f"at least {out['min_leverage']}x" in w for w in out["warnings"])


# --- the stop and the liquidation price -----------------------------------------------------


def test_stop_beyond_liquidation_prints_the_answer_and_exits_3(cli: Any) -> None:
    run = size(cli, "--entry", "8000", "--stop", "7000", "--balance", "1", "--risk", "0.01", "--json")
    out = ok(run, ExitCode.STOP_BEYOND_LIQUIDATION)
    assert run.exit_code == 3
    assert out["stop_beyond_liquidation"] is True
    assert out["liquidation_price_exact"] > 7000
    assert "liquidation price" in out["warnings"][0] and "exit status 3" in out["warnings"][0]
    table = size(cli, "--entry", "8000", "--stop", "7000", "--balance", "1", "--risk", "0.01")
    assert table.exit_code == ExitCode.STOP_BEYOND_LIQUIDATION
    assert "Stop at or beyond liquidation" in table.stdout and "Warning: the stop" in table.stdout


@pytest.mark.parametrize(
    ("side", "entry", "stop", "leverage", "beyond"),
    [
        # 4× with no maintenance margin: a long is liquidated at E·4/5, a short at E·4/3.
        ("long", "8000", "6400", "4", True),  # at the liquidation price: counts
        ("long", "8000", "6400.01", "4", False),
        ("short", "6000", "8000", "4", True),
        ("short", "6000", "7999.99", "4", False),
    ],
)
def test_a_stop_at_the_liquidation_price_counts_as_beyond(
    cli: Any, side: str, entry: str, stop: str, leverage: str, beyond: bool
) -> None:
    run = size(
        cli, "--side", side, "--entry", entry, "--stop", stop, "--balance", "1", "--risk", "1%",
        "--leverage", leverage, "--mmr", "0", "--json",
    )  # fmt: skip
    out = ok(run, ExitCode.STOP_BEYOND_LIQUIDATION if beyond else ExitCode.OK)
    expected = F(entry) * 4 / (5 if side == "long" else 3)
    assert out["liquidation_price_exact"] == sat(expected)
    assert out["stop_beyond_liquidation"] is beyond


def test_liquidation_matches_liq_price_for_the_same_position(cli: Any) -> None:
    """The liquidation part is liq-price's answer for the sized position and the same flags."""
    args = ("--entry", "30000", "--stop", "28500", "--balance", "0.4", "--risk", "1.5%", "--exchange", "bybit")
    out = ok(size(cli, *args, "--leverage", "10", "--json"))
    liq = ok(
        cli("liq-price", "--side", "long", "--entry", "30000", "--contracts", str(out["contracts"]),
            "--leverage", "10", "--exchange", "bybit", "--json")
    )  # fmt: skip
    for key in ("liquidation_price", "liquidation_price_exact", "bankruptcy_price", "maintenance_margin", "tier"):
        assert out[key] == liq[key], key


# --- errors --------------------------------------------------------------------------------

BASE = {"--entry": "8000", "--stop": "7600", "--balance": "1", "--risk": "1%"}


@pytest.mark.parametrize(
    ("changes", "option"),
    [
        ({"--side": "long", "--stop": "8400"}, "--stop"),
        ({"--side": "short"}, "--stop"),
        ({"--stop": "8000"}, "--stop"),
        ({"--risk": "0"}, "--risk"),
        ({"--risk": "0%"}, "--risk"),
        ({"--risk": "-1%"}, "--risk"),
        ({"--risk": "1.5"}, "--risk"),  # more than the balance
        ({"--risk": "101%"}, "--risk"),
        ({"--risk": "lots"}, "--risk"),
        ({"--risk": "0.00000001"}, "--risk"),  # less than one contract
        ({"--balance": "0"}, "--balance"),
        ({"--leverage": "0"}, "--leverage"),
        ({"--exchange": "bybit", "--leverage": "200"}, "--leverage"),
        ({"--taker-fee": "2"}, "--taker-fee"),
        ({"--exchange": "binance", "--coin": "DOGE"}, "--coin"),
    ],
)
def test_bad_input_is_one_line_naming_the_option(cli: Any, changes: dict[str, str], option: str) -> None:
    values = {**BASE, **changes}
    argv = [word for pair in values.items() for word in pair]
    run = size(cli, *argv)
    assert run.exit_code == ExitCode.USAGE, run.stdout
    assert run.stdout == ""
    assert len(run.stderr.splitlines()) == 1 and "Traceback" not in run.stderr
    assert "Decimal(" not in run.stderr  # plain English, no Python reprs
    assert run.stderr.startswith(f"invfut size: error: {option}"), run.stderr
    as_json = size(cli, *argv, "--json")
    assert as_json.stdout == ""
    assert json.loads(as_json.stderr)["error"]["option"] == option


def test_table_shows_the_loss_and_the_contracts(cli: Any) -> None:
    run = size(cli, "--entry", "8000", "--stop", "7600", "--balance", "1", "--risk", "2%")
    assert run.exit_code == 0, run.stderr
    assert "Loss at the stop, fees included (BTC)" in run.stdout
    assert "2,981" in run.stdout  # the contracts, from the reference in the first test


# --- properties of the core ------------------------------------------------------------------

prices = st.integers(100, 10**7).map(lambda i: D(i).scaleb(-2))  # $1 … $100,000
risks = st.integers(1, 10**9).map(lambda i: D(i).scaleb(-8))  # 1 satoshi … 10 coin
fees = st.sampled_from([D(0), D("0.0002"), D("0.0005"), D("0.00075")])
sizes = st.sampled_from([D(1), D(10), D(100)])
lots = st.sampled_from([D(1), D(100)])


@PROPERTY
@given(prices, prices, risks, sizes, fees, lots)
def test_the_sized_loss_is_within_the_risk_and_one_more_lot_exceeds_it(
    entry: Decimal, stop: Decimal, risk: Decimal, size: Decimal, fee: Decimal, lot: Decimal
) -> None:
    if entry == stop:
        with pytest.raises(DomainError):
            size_by_risk(entry, stop, risk, size, balance_coin=D(100), leverage=D(10), fee_rate=fee, lot=lot)
        return
    want = reference_contracts(entry, stop, risk, size, fee, lot)
    if want < lot:
        with pytest.raises(DomainError) as err:
            size_by_risk(entry, stop, risk, size, balance_coin=D(100), leverage=D(10), fee_rate=fee, lot=lot)
        assert err.value.option == "risk"
        return
    got = size_by_risk(entry, stop, risk, size, balance_coin=D(100), leverage=D(10), fee_rate=fee, lot=lot)
    assert got.contracts == want and got.contracts % lot == 0
    assert got.side is (Side.LONG if stop < entry else Side.SHORT)
    per = per_contract(F(entry), F(stop), F(size), F(fee))
    assert F(got.loss_at_stop_coin) <= F(risk) + F(risk) / 10**30
    assert per * (want + int(lot)) > F(risk)
    assert got.next_lot_loss_coin > risk
    # The parts add up, and match the formula of the loss.
    parts = -F(got.pnl_at_stop_coin) + F(got.open_fee_coin) + F(got.close_fee_coin)
    assert abs(F(got.loss_at_stop_coin) - parts) <= parts / 10**30
    assert abs(F(got.loss_at_stop_coin) - per * want) <= per * want / 10**30


@PROPERTY
@given(prices, prices, st.sampled_from([Side.LONG, Side.SHORT]))
def test_a_stop_on_the_wrong_side_is_refused(entry: Decimal, stop: Decimal, side: Side) -> None:
    natural = Side.LONG if stop < entry else Side.SHORT
    if entry == stop or side is not natural:
        with pytest.raises(DomainError) as err:
            side_for_stop(entry, stop, side)
        assert err.value.option == "stop"
    else:
        assert side_for_stop(entry, stop, side) is side


@PROPERTY
@given(prices, prices, sizes, fees)
def test_loss_is_linear_in_contracts(entry: Decimal, stop: Decimal, size: Decimal, fee: Decimal) -> None:
    one = loss_at_stop_coin(D(1), size, entry, stop, fee)
    seven = loss_at_stop_coin(D(7), size, entry, stop, fee)
    assert abs(F(seven) - 7 * F(one)) <= F(seven) / 10**30 + F(1, 10**40)
    per = per_contract(F(entry), F(stop), F(size), F(fee))
    assert abs(F(one) - per) <= per / 10**30


def test_the_installed_command_exits_3_after_printing_the_answer() -> None:
    """The console script (its one-command app) returns the same status as the in-process run."""
    import os
    import subprocess
    import sys

    exe = os.path.join(os.path.dirname(sys.executable), "invfut")
    argv = [exe, "size", "--entry", "8000", "--stop", "7000", "--balance", "1", "--risk", "0.01", "--json"]
    run = subprocess.run(argv, capture_output=True, text=True, env={**os.environ, "COLUMNS": "100"})
    assert run.returncode == ExitCode.STOP_BEYOND_LIQUIDATION, run.stderr
    assert run.stderr == ""
    assert json.loads(run.stdout)["stop_beyond_liquidation"] is True
