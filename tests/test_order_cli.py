"""The order features on the command line: ``liq-price --target-liquidation`` and its
``order_cost``, ``leverage``'s ``largest_order``, and ``pnl --exchange bitmex``'s
``venue_pnl``. JSON is compared as data; expected values are published numbers or come
from the formulas (a satoshi more or less margin fed back through ``liq-price``).
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

import pytest
from conftest import Run

from invfut_cli.exitcodes import ExitCode

D = Decimal
SAT = D("0.00000001")


def _json(cli: Callable[..., Run], *args: str) -> dict:
    run = cli(*args, "--json")
    assert run.exit_code == 0, run.stderr
    assert run.stderr == ""
    return run.json()


def test_liq_price_order_cost_is_bybits_published_example(cli: Callable[..., Run]) -> None:
    """Bybit's "Order Cost (Inverse Contract)": long 10,000 at 6,400, 25x, taker 0.075%:
    0.0625 + 0.00117188 + 0.00121872 = 0.06489060 BTC, bankruptcy price 6,154."""
    doc = _json(cli, "liq-price", "--exchange", "bybit", "--side", "long", "--entry", "6400", "--contracts", "10000",
                "--leverage", "25", "--taker-fee", "0.075%")  # fmt: skip
    cost = doc["order_cost"]
    assert cost["bankruptcy_price"] == D(6154)
    assert (cost["initial_margin"], cost["fee_open"], cost["fee_to_close"]) == (
        D("0.0625"),
        D("0.00117188"),
        D("0.00121872"),
    )
    assert cost["total"] == D("0.06489060")
    assert cost["total_exact"] == D("0.06489059")
    assert doc["target_liquidation"] is None


def test_order_cost_is_null_without_leverage(cli: Callable[..., Run]) -> None:
    doc = _json(cli, "liq-price", "--side", "long", "--entry", "8000", "--contracts", "10000", "--balance", "0.5")
    assert doc["order_cost"] is None


def test_short_at_one_x_order_cost_has_no_fee_to_close(cli: Callable[..., Run]) -> None:
    doc = _json(cli, "liq-price", "--side", "short", "--entry", "8000", "--contracts", "8000", "--leverage", "1",
                "--taker-fee", "0.075%")  # fmt: skip
    cost = doc["order_cost"]
    assert cost["bankruptcy_price"] is None and cost["fee_to_close"] == 0
    assert cost["total"] == D("1.00075")
    assert "never bankrupt" in cost["reason"]


def _liq_exact(cli: Callable[..., Run], *args: str) -> Decimal | None:
    return _json(cli, "liq-price", *args)["liquidation_price_exact"]


def test_target_liquidation_domain_check_and_round_trip(cli: Callable[..., Run]) -> None:
    """DOMAIN.md §10: long 10,000 at 60,000, m = 0.5%, liquidation wanted at 55,000:
    0.01598485 BTC (leverage 10.43x). That margin liquidates at or below 55,000; a satoshi
    less, above it."""
    position = ("--side", "long", "--entry", "60000", "--contracts", "10000")
    doc = _json(cli, "liq-price", *position, "--margin", "0.01", "--target-liquidation", "55000")
    target = doc["target_liquidation"]
    assert target["collateral"] == D("0.01598485")
    assert target["leverage"] == D("10.43")
    assert target["margin_to_add"] == D("0.00598485")
    assert target["reason"] is None and target["tier"] is None
    assert _liq_exact(cli, *position, "--margin", str(target["collateral"])) <= 55000
    assert _liq_exact(cli, *position, "--margin", str(target["collateral"] - SAT)) > 55000


def test_target_liquidation_bybit_cross_round_trip(cli: Callable[..., Run]) -> None:
    """Bybit cross (fee to close at the bankruptcy price, which moves with the balance):
    the balance found liquidates at or below the target, a satoshi less above it."""
    position = ("--exchange", "bybit", "--side", "long", "--entry", "8000", "--contracts", "10000")
    doc = _json(cli, "liq-price", *position, "--balance", "0.5", "--target-liquidation", "5739")
    target = doc["target_liquidation"]
    assert target["tier"] == 1 and target["fee_to_close"] > 0
    # DOMAIN.md §5: 0.5 BTC liquidates at 5,739.08, above 5,739: a little more is needed.
    assert D("0.5") < target["collateral"] < D("0.51")
    assert target["margin_to_add"] == target["collateral"] - D("0.5")
    assert _liq_exact(cli, *position, "--balance", str(target["collateral"])) <= 5739
    assert _liq_exact(cli, *position, "--balance", str(target["collateral"] - SAT)) > 5739


def test_target_liquidation_short_mark_family_with_tiers(cli: Callable[..., Run]) -> None:
    """Binance COIN-M (mark family, tier of the notional at the target): the margin found,
    fed back, liquidates at or above the target; a satoshi less, below it."""
    position = ("--exchange", "binance", "--side", "short", "--entry", "60000", "--contracts", "100")
    doc = _json(cli, "liq-price", *position, "--leverage", "20", "--target-liquidation", "63000")
    target = doc["target_liquidation"]
    assert target["tier"] == 1
    # Tier 1: m = 0.4%, d = 0: M = Q·(−1 + m)/P* + Q/E.
    q = Fraction(10000)
    want = q * Fraction(-996, 1000) / 63000 + q / 60000
    assert Fraction(target["collateral"]) - Fraction(1, 10**8) < want <= Fraction(target["collateral"])
    assert _liq_exact(cli, *position, "--margin", str(target["collateral"])) >= 63000
    assert _liq_exact(cli, *position, "--margin", str(target["collateral"] - SAT)) < 63000


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--side", "long", "--target-liquidation", "61000"), "below its entry"),
        (("--side", "short", "--target-liquidation", "59000"), "above its entry"),
        (("--side", "long", "--target-liquidation", "55000", "--mm-deduction", "1"), "zero or less"),
        (("--side", "long", "--exchange", "deribit", "--target-liquidation", "55000"), "no single liquidation"),
    ],
)
def test_no_such_margin_is_null_with_a_reason(cli: Callable[..., Run], args: tuple[str, ...], words: str) -> None:
    doc = _json(cli, "liq-price", "--entry", "60000", "--contracts", "1000", "--leverage", "10", *args)
    target = doc["target_liquidation"]
    assert target["collateral"] is None and target["margin_to_add"] is None and target["leverage"] is None
    assert words in target["reason"]


def test_leverage_largest_order_with_fees(cli: Callable[..., Run]) -> None:
    """The balance of Bybit's example opens exactly its 10,000 contracts once fees are
    counted (10,382 without them); a satoshi less opens 9,999."""
    base = ("leverage", "--exchange", "bybit", "--entry", "6400", "--leverage", "25")
    doc = _json(cli, *base, "--balance", "0.0648906")
    assert doc["contracts"] == 10382
    largest = doc["largest_order"]
    assert largest["contracts"] == 10000
    assert largest["cost"]["total"] == D("0.06489060") <= largest["collateral"] < largest["one_more_lot_total"]
    assert _json(cli, *base, "--balance", "0.06489059")["largest_order"]["contracts"] == 9999
    assert _json(cli, *base, "--contracts", "10000")["largest_order"] is None


def test_leverage_largest_order_in_lots(cli: Callable[..., Run]) -> None:
    """BitMEX trades in lots of 100: the largest order is a whole number of lots, and one
    lot more costs more than the margin."""
    doc = _json(cli, "leverage", "--exchange", "bitmex", "--entry", "60000", "--leverage", "10", "--margin", "0.1")
    largest = doc["largest_order"]
    assert largest["lot"] == 100 and largest["contracts"] % 100 == 0
    assert largest["cost"]["total"] <= D("0.1") < largest["one_more_lot_total"]


@pytest.mark.parametrize(
    ("contracts", "exit_", "published", "exact"),
    [("500", "42303", "0.00000295", "0.00000293"), ("1500", "42107.5", "-0.00015570", "-0.00015583")],
)
def test_pnl_bitmex_rounds_each_lot(
    cli: Callable[..., Run], contracts: str, exit_: str, published: str, exact: str
) -> None:
    """BitMEX help centre, "Realised PNL": each 100/price to 8 decimal places first."""
    doc = _json(cli, "pnl", "--exchange", "bitmex", "--side", "long", "--entry", "42292.5", "--contracts", contracts,
                "--exit", exit_)  # fmt: skip
    venue = doc["venue_pnl"]
    assert venue["pnl"] == D(published)
    assert venue["pnl_exact"] == D(exact) == doc["pnl"]
    assert venue["lot_value_entry"] == D("0.00236449")


def test_pnl_venue_pnl_is_null_elsewhere(cli: Callable[..., Run]) -> None:
    for venue in ("generic", "bybit"):
        doc = _json(cli, "pnl", "--exchange", venue, "--side", "long", "--entry", "42292.5", "--contracts", "500",
                    "--exit", "42303")  # fmt: skip
        assert doc["venue_pnl"] is None


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (("liq-price", "--side", "long", "--entry", "60000", "--contracts", "100", "--leverage", "10",
          "--target-liquidation", "-5"), "--target-liquidation"),
        (("liq-price", "--side", "long", "--entry", "60000", "--contracts", "100", "--leverage", "10",
          "--target-liquidation", "0"), "--target-liquidation"),
        (("liq-price", "--side", "long", "--entry", "60000", "--contracts", "100", "--leverage", "10",
          "--target-liquidation", "abc"), "--target-liquidation"),
        (("leverage", "--entry", "60000", "--leverage", "10", "--balance", "0.1", "--taker-fee", "abc"),
         "--taker-fee"),
        (("leverage", "--entry", "60000", "--leverage", "10", "--balance", "0.1", "--taker-fee", "2"), "--taker-fee"),
    ],
)  # fmt: skip
def test_bad_values_name_the_option(cli: Callable[..., Run], args: tuple[str, ...], option: str) -> None:
    run = cli(*args)
    assert run.exit_code == ExitCode.USAGE
    assert run.stdout == ""
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and option in lines[0]


def test_tables_show_the_new_lines(cli: Callable[..., Run]) -> None:
    run = cli("liq-price", "--exchange", "bybit", "--side", "long", "--entry", "6400", "--contracts", "10000",
              "--leverage", "25", "--target-liquidation", "6200")  # fmt: skip
    assert run.exit_code == 0
    text = " ".join(run.stdout.split())
    assert "Order cost at 25x" in text and "= 0.06489060 BTC" in text
    assert "Liquidation at 6,200 takes" in text
    run = cli("pnl", "--exchange", "bitmex", "--side", "long", "--entry", "42292.5", "--contracts", "500",
              "--exit", "42303")  # fmt: skip
    assert "PnL as the venue rounds it: 0.00000295 BTC" in " ".join(run.stdout.split())


def test_installed_invfut_writes_plain_numbers() -> None:
    """JSON numbers from the Decimal's text: a small margin to add is not written with an exponent."""
    out = subprocess.run(
        ["invfut", "liq-price", "--exchange", "bybit", "--side", "long", "--entry", "8000", "--contracts", "10000",
         "--balance", "0.5", "--target-liquidation", "5739", "--json"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert '"margin_to_add": 0.00002538' in out
