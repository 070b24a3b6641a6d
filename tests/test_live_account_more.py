"""``account --live`` for Kraken Futures and Deribit on their recorded positions and balance
answers: the book read exactly, invfut's liquidation price beside the venue's (Kraken's own
published example; Deribit's estimate beside invfut's, both labelled), ``--save`` replayed
offline, and a malformed answer as the venue's fault."""

from __future__ import annotations

import copy
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from live_recorded import Venues, recorded, serve_account, session_factory

from invfut_cli.exitcodes import ExitCode
from invfut_cli.live import transport

KEY, SECRET = "k3yTEXTabc123", "s3cretTEXTxyz789"  # the secret is base64, as Kraken's are
POSITIONS = {"kraken": "/derivatives/api/v3/openpositions", "deribit": "/api/v2/private/get_positions"}
BALANCE = {"kraken": "/derivatives/api/v3/accounts", "deribit": "/api/v2/private/get_account_summary"}


@pytest.fixture
def venues(monkeypatch: pytest.MonkeyPatch) -> Venues:
    adapter = Venues()
    monkeypatch.setattr(transport, "new_session", session_factory(adapter))
    monkeypatch.setattr(transport, "BACKOFF_SECONDS", 0)
    for venue in ("KRAKEN", "DERIBIT"):
        monkeypatch.setenv(f"INVFUT_{venue}_API_KEY", KEY)
        monkeypatch.setenv(f"INVFUT_{venue}_API_SECRET", SECRET)
    return adapter


def live(cli: Any, *args: str) -> Any:
    run = cli("account", "--live", *args)
    for text in (run.stdout, run.stderr):
        assert KEY not in text and SECRET not in text
    return run


def kraken_book(venues: Venues, replace: dict[str, Any] | None = None) -> None:
    serve_account(venues, "kraken", replace)
    venues.serve_recorded("kraken", "mark")  # /openpositions has no mark: --price reads the mark now


def serve(venues: Venues, venue: str, replace: dict[str, Any] | None = None) -> None:
    if venue == "kraken":
        kraken_book(venues, replace)
    else:
        serve_account(venues, venue, replace)


def body(venue: str, path: str) -> Any:
    answers = recorded(venue, "account")["answers"]
    return copy.deepcopy(next(a["body"] for a in answers if a["path"] == path))


def test_kraken_positions_and_balance_are_read_exactly(venues: Venues, cli: Any) -> None:
    kraken_book(venues)
    run = live(cli, "kraken", "--json")
    assert run.exit_code == 0, run.stderr
    doc = run.json()
    (row,) = doc["positions"]
    assert (row["name"], row["side"], row["margin_mode"]) == ("PI_XBTUSD", "long", "cross")
    assert Decimal(str(row["contracts"])) == 1000 and Decimal(str(row["entry"])) == 8000
    assert Decimal(str(doc["balance"])) == Decimal("0.01") and doc["exchange"] == "kraken"
    assert doc["skipped"] == [
        {"symbol": "PF_XBTUSD", "reason": "not an inverse BTC contract: invfut reads inverse contracts"}
    ]
    # the mark read now (the ticker's), since Kraken's positions carry none
    assert doc["mark_source"]["venue"] == "kraken" and Decimal(str(doc["price"])) == Decimal("21009.5")
    # no key-permission endpoint exists at Kraken Futures: only the positions, balance and mark were asked
    asked = {r.path_url.split("?")[0] for r in venues.sent}
    assert asked == {POSITIONS["kraken"], BALANCE["kraken"], "/derivatives/api/v3/tickers/PI_XBTUSD"}
    assert any(r.headers.get("APIKey") == KEY for r in venues.sent) and all(KEY not in r.url for r in venues.sent)


def test_kraken_is_its_published_example_to_the_tick_toward_safety(venues: Venues, cli: Any) -> None:
    kraken_book(venues)
    doc = live(cli, "kraken", "--json").json()
    (row,) = doc["venue_positions"]
    # DOMAIN §5, Kraken's own example: mark family, P = Q(1 + m)/(M + Q/E), m = 1%; Kraken shows 7481
    exact = Fraction(1000) * Fraction(101, 100) / (Fraction(1, 100) + Fraction(1000, 8000))
    step = Decimal(str(doc["price_step"]))
    up = (Decimal(exact.numerator) / Decimal(exact.denominator) / step).to_integral_value(ROUND_CEILING) * step
    assert Decimal(str(row["liquidation_price"])) == up == Decimal("7481.5")  # a long rounds up
    assert Decimal(str(row["venue_liquidation_price"])) == 7481  # triggerEstimates.lt, whole dollars
    assert row["difference_steps"] == 1 and row["flagged"] is False and row["venue_estimate"] is False
    assert "whole dollars" in row["difference_reason"]


def test_deribit_positions_and_balance_are_read_exactly(venues: Venues, cli: Any) -> None:
    serve_account(venues, "deribit")
    doc = live(cli, "deribit", "--json").json()
    (row,) = doc["positions"]
    recorded_row = body("deribit", POSITIONS["deribit"])["result"][0]
    assert (row["name"], row["side"], row["margin_mode"]) == ("BTC-PERPETUAL", "long", "cross")
    # Deribit's size is USD: 50 USD of 10-USD contracts is 5 contracts
    assert Decimal(str(row["contracts"])) * 10 == Decimal(str(recorded_row["size"])) == 50
    assert Decimal(str(row["entry"])) == Decimal("7440.18") and Decimal(str(row["contract_size"])) == 10
    assert Decimal(str(doc["balance"])) == Decimal("302.60065765")
    assert Decimal(str(doc["price"])) == Decimal("7476.65") and doc["mark_source"]["symbol"] == "BTC-PERPETUAL"
    assert {r.path_url.split("?")[0] for r in venues.sent} == {POSITIONS["deribit"], BALANCE["deribit"]}


def deribit_gap(price: Fraction, balance: Fraction) -> Fraction:
    """Equity less the size-dependent maintenance margin of the recorded long alone at ``price``
    (1.5% + 0.005% per BTC of size, the preset's rates): ``B + Q(1/E − 1/P) − (c + b·Q/P)·Q/P``."""
    q, e = Fraction(50), Fraction("7440.18")
    size = q / price
    return balance + q / e - size - (Fraction(15, 1000) + Fraction(5, 100000) * size) * size


def test_deribit_shows_both_estimates_and_explains_the_difference(venues: Venues, cli: Any) -> None:
    serve_account(venues, "deribit")
    doc = live(cli, "deribit", "--json").json()
    (row,) = doc["venue_positions"]
    step = Fraction(str(doc["price_step"]))
    ours = Fraction(str(row["liquidation_price"]))
    balance = Fraction("302.60065765")
    # invfut's estimate is the first step at or above the root (a long: toward safety)
    assert deribit_gap(ours, balance) >= 0 and (ours - step <= 0 or deribit_gap(ours - step, balance) < 0)
    assert doc["liquidation_price"] is None and "step by step" in doc["reason"]  # no venue-exact price
    theirs = Decimal("1.74")  # Deribit's documented estimated_liquidation_price
    assert row["venue_estimate"] is True
    assert Decimal(str(row["venue_liquidation_price"])) == Decimal("1.5")  # 1.74 to the nearest step of 0.5
    difference = (Decimal(str(row["liquidation_price"])) - theirs) / Decimal(str(doc["price_step"]))
    assert row["difference_steps"] == int(difference.to_integral_value(ROUND_HALF_UP))
    assert row["difference_steps"] != 0 and row["flagged"] is False  # 0.02% of the price
    assert "estimate" in row["difference_reason"] and "every position" in row["difference_reason"]
    table = live(cli, "deribit").stdout
    assert "venue's estimated liquidation price" in table and "why: both are estimates" in table


@pytest.mark.parametrize("venue", ["kraken", "deribit"])
def test_save_replays_offline_to_the_same_answer(venues: Venues, cli: Any, tmp_path: Path, venue: str) -> None:
    serve(venues, venue)
    for name in ("book.toml", "book.json"):
        saved = tmp_path / name
        first = live(cli, venue, "--save", str(saved), "--json").json()
        assert KEY not in saved.read_text() and SECRET not in saved.read_text()
        again = cli("account", str(saved), "--price", str(first["price"]), "--json").json()
        for key in ("exchange", "balance", "equity", "maintenance_margin", "liquidation_price", "reason"):
            assert again[key] == first[key], key
        assert [p["contracts"] for p in again["positions"]] == [p["contracts"] for p in first["positions"]]


MALFORMED = {
    "kraken-no-positions": ("kraken", POSITIONS["kraken"], {"result": "success"}),
    "kraken-not-success": ("kraken", POSITIONS["kraken"], {"result": "error", "openPositions": []}),
    "kraken-size-a-word": (
        "kraken",
        POSITIONS["kraken"],
        {"result": "success", "openPositions": [{"side": "long", "symbol": "PI_XBTUSD", "price": 8000, "size": "x"}]},
    ),
    "kraken-no-margin-account": ("kraken", BALANCE["kraken"], {"result": "success", "accounts": {"cash": {}}}),
    "deribit-result-null": ("deribit", POSITIONS["deribit"], {"jsonrpc": "2.0", "result": None}),
    "deribit-direction-zero": (
        "deribit",
        POSITIONS["deribit"],
        {"jsonrpc": "2.0", "result": [{"instrument_name": "BTC-PERPETUAL", "size": 50, "direction": "zero"}]},
    ),
    "deribit-summary-of-eth": ("deribit", BALANCE["deribit"], {"jsonrpc": "2.0", "result": {"currency": "ETH"}}),
}


@pytest.mark.parametrize("name", MALFORMED)
def test_a_malformed_answer_is_the_venue_fault(venues: Venues, cli: Any, name: str) -> None:
    venue, path, broken = MALFORMED[name]
    serve(venues, venue, {path: broken})
    run = live(cli, venue, "--json")
    assert run.exit_code == ExitCode.VENUE and run.stdout == "", run.stderr
    (line,) = run.stderr.splitlines()
    assert venue in line and "internal error" not in line and "Traceback" not in line and len(line) <= 300


def test_a_short_is_read_as_one_on_both_venues(venues: Venues, cli: Any) -> None:
    short = body("deribit", POSITIONS["deribit"])
    short["result"][0].update(direction="sell", size=-50, estimated_liquidation_price=None)
    serve(venues, "deribit", {POSITIONS["deribit"]: short})
    doc = live(cli, "deribit", "--json").json()
    (row,) = doc["venue_positions"]
    assert (row["side"], Decimal(str(row["contracts"]))) == ("short", 5)  # Deribit signs a short's size
    # 302.6 BTC covers a 50 USD short at any price: neither side has a price, and nothing is compared
    assert row["liquidation_price"] is None and row["venue_liquidation_price"] is None
    assert row["difference_steps"] is None and row["flagged"] is False
    kraken = body("kraken", POSITIONS["kraken"])
    kraken["openPositions"][0]["side"] = "short"
    serve(venues, "kraken", {POSITIONS["kraken"]: kraken})
    (position,) = live(cli, "kraken", "--json").json()["positions"]
    assert position["side"] == "short" and Decimal(str(position["contracts"])) == 1000
