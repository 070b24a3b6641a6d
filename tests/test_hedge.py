"""``invfut hedge``: the dollar hedge of DOMAIN §2, funding's sign (§4), checked with Fractions.

Holding ``H`` coin and short ``Q`` USD entered at ``P``: at ``X`` the holder has
``H + Q(1/X − 1/P)`` coin, worth ``(H + Q(1/X − 1/P))·X`` USD; ``Q = H·P`` makes that ``H·P``
at every price. Funding per interval is ``rate·Q/P``; a positive rate: longs pay shorts.
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

from invfut_cli.core import DomainError
from invfut_cli.core.hedge import hedge_ladder, hedge_size
from invfut_cli.exitcodes import ExitCode

F = Fraction
D = Decimal
PROPERTY = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def ok(run: Run) -> Any:
    assert run.exit_code == ExitCode.OK, run.stderr
    assert run.stderr == ""
    return run.json()


def rounded(x: Fraction, places: int) -> Decimal:
    return (D(x.numerator) / D(x.denominator)).quantize(D(1).scaleb(-places), rounding=ROUND_HALF_EVEN)


def sat(x: Fraction) -> Decimal:
    return rounded(x, 8)


# --- the hedge -----------------------------------------------------------------------------


def test_full_hedge_is_flat_in_usd(cli: Any) -> None:
    out = ok(
        cli(
            "hedge",
            "--holding",
            "2.5",
            "--price",
            "60000",
            "--from",
            "30000",
            "--to",
            "90000",
            "--step",
            "15000",
            "--json",
        )
    )
    h, p = F(5, 2), F(60000)
    q = h * p
    assert out["side"] == "short"
    assert out["contracts"] == 150000 and out["size_usd"] == 150000
    assert out["hedge_ratio_pct"] == 100 and out["unhedged_coin"] == 0
    assert [r["price"] for r in out["rows"]] == [30000, 45000, 60000, 75000, 90000]
    for row in out["rows"]:
        x = F(row["price"])
        assert row["hedged_usd"] == rounded(h * p, 2)  # H·E at every price
        assert row["unhedged_usd"] == rounded(h * x, 2)
        assert row["pnl"] == sat(q * (1 / x - 1 / p))
        assert row["hedged_coin"] == sat(h + q * (1 / x - 1 / p))
    assert [r["mark"] for r in out["rows"]] == [None, None, "now", None, None]
    assert out["funding_rate"] is None and out["funding_received_per_day"] is None


@pytest.mark.parametrize("ratio", ["50%", "0.5"])
def test_partial_hedge_rounds_down_to_whole_contracts(cli: Any, ratio: str) -> None:
    """Binance COIN-M, $100 contracts: half of 0.123 BTC at 60,000 is $3,690, so 36 contracts."""
    out = ok(
        cli("hedge", "--holding", "0.123", "--price", "60000", "--ratio", ratio, "--exchange", "binance",
            "--from", "40000", "--to", "80000", "--steps", "2", "--json")
    )  # fmt: skip
    h, p = F(123, 1000), F(60000)
    n = math.floor(F(1, 2) * h * p / 100)
    q = F(n * 100)
    assert out["contracts"] == n == 36
    assert out["target_size_usd"] == rounded(F(1, 2) * h * p, 2)
    assert out["ratio_target_pct"] == 50
    assert out["hedge_ratio_pct"] == rounded(100 * q / (h * p), 2)
    assert out["unhedged_coin"] == sat(h - q / p)
    for row in out["rows"]:
        x = F(row["price"])
        assert row["hedged_usd"] == rounded((h + q * (1 / x - 1 / p)) * x, 2)
    # Half hedged: the value moves, but by less than the unhedged one.
    low, high = out["rows"][0], out["rows"][-1]
    assert low["unhedged_usd"] < low["hedged_usd"] < high["hedged_usd"] < high["unhedged_usd"]


@pytest.mark.parametrize(
    ("rate", "direction"),
    [("0.01%", "receives"), ("-0.0075%", "pays"), ("0", "neither")],
)
def test_funding_sign_positive_rate_pays_the_short(cli: Any, rate: str, direction: str) -> None:
    out = ok(cli("hedge", "--holding", "2", "--price", "50000", "--funding", rate, "--json"))
    r = F(rate[:-1]) / 100 if rate.endswith("%") else F(rate)
    q, p = F(100000), F(50000)
    assert out["funding_direction"] == direction
    assert out["funding_interval_hours"] == 8
    assert out["funding_received_per_interval"] == sat(r * q / p)
    assert out["funding_received_per_day"] == sat(3 * r * q / p)
    assert out["funding_received_per_day_usd"] == rounded(3 * r * q, 2)
    assert out["funding_received_per_year_pct"] == rounded(100 * r * 3 * 365, 2)
    assert (out["funding_received_per_day"] > 0) is (direction == "receives")


def test_funding_interval_from_the_preset_or_the_option(cli: Any) -> None:
    kraken = ok(
        cli("hedge", "--holding", "1", "--price", "40000", "--funding", "0.001%", "--exchange", "kraken", "--json")
    )
    assert kraken["funding_interval_hours"] == 1
    assert kraken["funding_received_per_day"] == sat(24 * F(1, 100000) * F(kraken["size_usd"]) / 40000)
    given = ok(
        cli("hedge", "--holding", "1", "--price", "40000", "--funding", "0.001%", "--funding-interval", "4", "--json")
    )
    assert given["funding_interval_hours"] == 4
    assert given["funding_received_per_day"] == sat(6 * F(1, 100000) * F(40000) / 40000)
    deribit = ok(
        cli("hedge", "--holding", "1", "--price", "40000", "--funding", "0.01%", "--exchange", "deribit", "--json")
    )
    assert deribit["funding_interval_hours"] == 8
    assert any("continuously" in w for w in deribit["warnings"])


def test_table_shows_hedged_and_unhedged_columns(cli: Any) -> None:
    run = cli("hedge", "--holding", "1", "--price", "100", "--funding", "0.01%", "--pct", "20", "--pct-step", "10")
    assert run.exit_code == 0, run.stderr
    assert "Hedged USD" in run.stdout and "Unhedged USD" in run.stdout
    assert "Funding, the short hedge" in run.stdout and "receives" in run.stdout


# --- errors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "option"),
    [
        (["--ratio", "150%"], "--ratio"),
        (["--ratio", "1.01"], "--ratio"),
        (["--ratio", "0"], "--ratio"),
        (["--ratio", "half"], "--ratio"),
        (["--holding", "0"], "--holding"),
        (["--holding", "0.0001", "--exchange", "binance"], "--holding"),  # $6 is less than one $100 contract
        (["--funding", "20%"], "--funding"),
        (["--funding", "x"], "--funding"),
        (["--funding", "-50%"], "--funding"),
        (["--pct", "2.3", "--pct-step", "1e-20"], "--pct-step"),  # 4.6e20 rows: refused, not run
        (["--funding-interval", "0"], "--funding-interval"),
        (["--from", "50000"], "--to"),
        (["--price", "-1"], "--price"),
    ],
)
def test_bad_input_is_one_line_naming_the_option(cli: Any, extra: list[str], option: str) -> None:
    argv = ["hedge", "--holding", "1", "--price", "60000", *extra]
    run = cli(*argv)
    assert run.exit_code == ExitCode.USAGE
    assert run.stdout == ""
    assert len(run.stderr.splitlines()) == 1 and "Traceback" not in run.stderr
    assert "Decimal(" not in run.stderr  # plain English, no Python reprs
    assert run.stderr.startswith(f"invfut hedge: error: {option}"), run.stderr
    as_json = cli(*argv, "--json")
    assert as_json.stdout == "" and json.loads(as_json.stderr)["error"]["option"] == option


# --- properties of the core ------------------------------------------------------------------

holdings = st.integers(1, 10**12).map(lambda i: D(i).scaleb(-8))  # 1 satoshi … 10,000 coin
prices = st.integers(100, 10**9).map(lambda i: D(i).scaleb(-2))  # $1 … $10,000,000


@PROPERTY
@given(holdings, prices, st.lists(prices, min_size=1, max_size=5))
def test_a_full_hedge_is_worth_the_same_at_every_price(holding: Decimal, price: Decimal, later: list[Decimal]) -> None:
    for row in hedge_ladder(holding, holding * price, price, later):
        assert row.hedged_usd == holding * price
        assert row.unhedged_usd == holding * row.price_usd


@PROPERTY
@given(holdings, prices, st.integers(0, 10**8).map(lambda i: D(i).scaleb(-8)), prices)
def test_hedged_value_is_coin_held_times_price(holding: Decimal, price: Decimal, size: Decimal, later: Decimal) -> None:
    """``Q + (H − Q/P)·X`` (the core's form) is ``(H + Q(1/X − 1/P))·X`` (DOMAIN §2)."""
    q = size * price
    (row,) = hedge_ladder(holding, q, price, [later])
    x, h, p, qf = F(later), F(holding), F(price), F(q)
    want = (h + qf * (1 / x - 1 / p)) * x
    assert abs(F(row.hedged_usd) - want) <= (abs(want) + qf) / 10**30
    assert abs(F(row.hedged_coin) - (h + qf * (1 / x - 1 / p))) <= (h + qf / x + qf / p) / 10**30


@PROPERTY
@given(
    holdings,
    prices,
    st.integers(1, 100).map(lambda i: D(i) / 100),
    st.sampled_from([D(1), D(10), D(100)]),
    st.sampled_from([D(1), D(100)]),
)
def test_the_hedge_is_whole_lots_never_above_the_target(
    holding: Decimal, price: Decimal, ratio: Decimal, size: Decimal, lot: Decimal
) -> None:
    target = F(ratio) * F(holding) * F(price)
    want = math.floor(target / (F(size) * F(lot))) * int(lot)
    if want < lot:
        with pytest.raises(DomainError) as err:
            hedge_size(holding, price, size, ratio=ratio, lot=lot)
        assert err.value.option == "holding"
        return
    got = hedge_size(holding, price, size, ratio=ratio, lot=lot)
    assert got.contracts == want and got.contracts % lot == 0
    assert F(got.size_usd) <= target < F(got.size_usd) + F(size) * F(lot)
    assert got.ratio <= ratio
