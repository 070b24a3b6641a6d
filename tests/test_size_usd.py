"""``--size-usd`` and ``--size-coin``: a size in dollars or coin, instead of ``--contracts``.

The reference: ``contracts = lot · floor(Q / (contract size · lot))``, with ``Q`` the size in
USD, or ``size_coin · entry`` for a coin size, in exact arithmetic. Contract sizes and lots are
each venue's (``presets.toml``); the issue's own figures fix what 10,000 contracts are worth.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from conftest import Run

from invfut_cli.exitcodes import ExitCode
from invfut_cli.venues.presets import load

F = Fraction
D = Decimal

#: Every preset contract: (venue, coin, contract size USD, lot).
CONTRACTS = [
    (venue.value, coin, contract.contract_size_usd, contract.lot)
    for venue, preset in load().presets.items()
    for coin, contract in preset.coins.items()
]
ENTRY = {"BTC": "60000", "ETH": "3000"}


def ok(run: Run) -> Any:
    assert run.exit_code == ExitCode.OK, run.stderr
    return run.json()


def bad(run: Run, option: str) -> str:
    """A usage error: exit 2, nothing on stdout, one stderr line naming ``option``."""
    assert run.exit_code == ExitCode.USAGE, (run.stdout, run.stderr)
    assert run.stdout == ""
    lines = run.stderr.splitlines()
    assert len(lines) == 1, lines
    assert option in lines[0], lines[0]
    return lines[0]


def reference(size_usd: Fraction, contract_size: Any, lot: Any) -> int:
    """Whole lots of the venue's contract that ``size_usd`` pays for, rounded down."""
    lots = math.floor(size_usd / (F(contract_size) * F(lot)))
    return lots * int(lot)


def liq(cli: Any, *args: str) -> Any:
    return ok(cli("liq-price", "--side", "long", "--leverage", "5", "--json", *args))


def test_the_issues_figures_for_ten_thousand_contracts(cli: Any) -> None:
    """Ten thousand contracts are $10k on Bybit, BitMEX and Kraken, $100k on Deribit, $1M on Binance and OKX."""
    expected = {
        "bybit": 10_000,
        "bitmex": 10_000,
        "kraken": 10_000,
        "deribit": 100_000,
        "binance": 1_000_000,
        "okx": 1_000_000,
    }
    for venue, usd in expected.items():
        doc = liq(cli, "--exchange", venue, "--entry", "60000", "--contracts", "10000", "--leverage", "2")
        assert doc["size_usd"] == usd, venue
        assert doc["size_asked"] is None


@pytest.mark.parametrize(("venue", "coin", "contract_size", "lot"), CONTRACTS)
def test_size_usd_buys_whole_lots_of_each_venue(cli: Any, venue: str, coin: str, contract_size: D, lot: D) -> None:
    # Just under 1,234 lots' worth: the rounding down must drop the part lot.
    asked = F(contract_size) * F(lot) * 1234 + F(contract_size) * F(lot) * F(999, 1000)
    asked_text = str(D(asked.numerator) / D(asked.denominator))
    doc = liq(cli, "--exchange", venue, "--coin", coin, "--entry", ENTRY[coin], "--size-usd", asked_text)
    n = reference(asked, contract_size, lot)
    assert n == 1234 * int(lot)
    assert doc["inputs"]["contracts"] == n
    assert doc["size_usd"] == F(n) * F(contract_size)
    assert doc["size_asked"] == {
        "size_usd": D(asked_text),
        "size_coin": None,
        "contracts": n,
        "lot": lot,
        "contract_size": contract_size,
    }
    # The same document as asking for those contracts, but for the size asked.
    by_contracts = liq(cli, "--exchange", venue, "--coin", coin, "--entry", ENTRY[coin], "--contracts", str(n))
    assert {**doc, "size_asked": None} == by_contracts


@pytest.mark.parametrize(("venue", "coin", "contract_size", "lot"), CONTRACTS)
def test_size_coin_is_valued_at_the_entry(cli: Any, venue: str, coin: str, contract_size: D, lot: D) -> None:
    entry = "61234.5" if coin == "BTC" else "3210.25"
    doc = liq(cli, "--exchange", venue, "--coin", coin, "--entry", entry, "--size-coin", "3.21")
    n = reference(F("3.21") * F(entry), contract_size, lot)
    assert n > 0
    assert doc["inputs"]["contracts"] == n
    assert doc["size_asked"]["size_coin"] == D("3.21")
    assert doc["size_asked"]["size_usd"] is None
    assert F(doc["size_usd"]) == F(n) * F(contract_size)


def test_bitmex_rounds_down_to_its_lot_of_100(cli: Any) -> None:
    doc = liq(cli, "--exchange", "bitmex", "--entry", "60000", "--size-usd", "10099.99")
    assert doc["inputs"]["contracts"] == 10_000
    assert doc["size_asked"]["lot"] == 100


def test_generic_model_uses_the_contract_size_given(cli: Any) -> None:
    doc = liq(cli, "--entry", "8000", "--contract-size", "50", "--size-usd", "1234")
    assert doc["inputs"]["contracts"] == 24  # floor(1234 / 50)
    assert doc["size_usd"] == 1200


@pytest.mark.parametrize(
    "command",
    [
        ("pnl", "--side", "short", "--exit", "58000", "--leverage", "3"),
        ("liq-price", "--side", "short", "--leverage", "3"),
        ("leverage", "--side", "short", "--leverage", "3", "--pct", "10"),
        ("ladder", "--side", "short", "--leverage", "3", "--pct", "10"),
        ("stress", "--side", "short", "--leverage", "3", "--move", "-10%"),
    ],
)
def test_every_position_command_takes_a_size(cli: Any, command: tuple[str, ...]) -> None:
    base = (*command, "--exchange", "binance", "--entry", "60000", "--json")
    by_size = ok(cli(*base, "--size-usd", "25050"))
    by_contracts = ok(cli(*base, "--contracts", "250"))
    assert by_size["size_asked"] == {
        "size_usd": 25050,
        "size_coin": None,
        "contracts": 250,
        "lot": 1,
        "contract_size": 100,
    }
    assert {**by_size, "size_asked": None} == by_contracts


def test_table_shows_the_rounding(cli: Any) -> None:
    run = cli(
        "liq-price", "--side", "long", "--leverage", "5", "--exchange", "okx", "--entry", "60000", "--size-usd", "1050"
    )
    assert run.exit_code == 0, run.stderr
    text = " ".join(run.stdout.split())
    assert (
        "Size asked 1,050 USD: bought 10 contracts of 100 USD = 1,000.00 USD (whole lots of 1, rounded down)." in text
    )


@pytest.mark.parametrize(
    ("args", "option", "words"),
    [
        (("--contracts", "10", "--size-usd", "1000"), "--size-usd", "not both"),
        (("--size-usd", "1000", "--size-coin", "1"), "--size-coin", "not both"),
        (("--size-usd", "abc"), "--size-usd", "not a number"),
        (("--size-usd", "0"), "--size-usd", "above zero"),
        (("--size-usd", "-5"), "--size-usd", "above zero"),
        (("--size-usd", "nan"), "--size-usd", "above zero"),
        (("--size-coin", "inf"), "--size-coin", "above zero"),
        (("--size-coin", "0.000000001"), "--size-coin", "8 decimal places"),
        (("--size-usd", "1e30"), "--size-usd", "at most"),
        (("--fill", "100@60000", "--size-usd", "1000"), "--size-usd", "not both"),
    ],
)
def test_bad_sizes_are_one_line_naming_the_option(cli: Any, args: tuple[str, ...], option: str, words: str) -> None:
    extra = () if "--fill" in args else ("--entry", "60000")
    line = bad(cli("liq-price", "--side", "long", "--leverage", "5", *extra, *args), option)
    assert words in line


def test_a_size_below_one_lot_names_the_smallest(cli: Any) -> None:
    def below(venue: str, *size: str) -> str:
        base = ("liq-price", "--side", "long", "--leverage", "5", "--entry", "60000", "--exchange", venue)
        return bad(cli(*base, *size), size[0])

    assert "the smallest size is 100 USD" in below("bitmex", "--size-usd", "99.99")
    # In coin: one lot of 100 $1 contracts is 100/60000 BTC, rounded up to the satoshi.
    assert "the smallest size is 0.00166667 BTC" in below("bitmex", "--size-coin", "0.001")
    assert "the smallest size is 100 USD" in below("binance", "--size-usd", "99")


def test_json_errors_name_the_option(cli: Any) -> None:
    run = cli("pnl", "--side", "long", "--entry", "8000", "--exit", "9000", "--size-usd", "x", "--json")
    assert run.exit_code == ExitCode.USAGE and run.stdout == ""
    import json

    assert json.loads(run.stderr)["error"]["option"] == "--size-usd"


def test_size_asked_is_not_an_option_of_its_own(cli: Any) -> None:
    import json
    import subprocess
    import sys

    line = json.dumps(
        {
            "command": "liq-price",
            "side": "long",
            "entry": 8000,
            "leverage": 5,
            "contracts": 10,
            "size_asked": {"size_usd": 1},
        }
    )
    run = subprocess.run([sys.executable, "-m", "invfut_cli", "batch"], input=line, capture_output=True, text=True)
    record = json.loads(run.stdout)
    assert record["error"]["option"] == "--size-asked"


def test_batch_lines_take_a_size() -> None:
    import json
    import subprocess
    import sys

    line = json.dumps(
        {"command": "liq-price", "exchange": "okx", "side": "long", "entry": 60000, "leverage": 5, "size_usd": "12345"}
    )
    run = subprocess.run([sys.executable, "-m", "invfut_cli", "batch"], input=line, capture_output=True, text=True)
    record = json.loads(run.stdout, parse_float=D)
    assert record["inputs"]["contracts"] == 123
    assert record["size_asked"]["size_usd"] == D("12345")
