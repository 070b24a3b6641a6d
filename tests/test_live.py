"""Live data through ccxt, on recorded venue answers (never a socket): the mark price of every
venue, the faults and their exit codes, scrubbing, the proxy and the timeout, and the light
import path."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
import requests
from live_recorded import VENUES, Venues, recorded, session_factory

from invfut_cli.exitcodes import MEANINGS, ExitCode
from invfut_cli.live import transport
from invfut_cli.live.errors import scrub
from invfut_cli.live.mark import fetch_mark

#: A long the liquidation of which lies well below every recorded mark.
LONG = ("liq-price", "--side", "long", "--entry", "8000", "--contracts", "1000", "--leverage", "5")

#: Where each venue's answer keeps its mark and its time, read here independently of invfut.
MARK_AT: dict[str, tuple[Any, Any]] = {
    "bybit": (lambda b: b["result"]["list"][0]["markPrice"], lambda b: b["time"]),
    "binance": (lambda b: b[0]["markPrice"], lambda b: b[0]["time"]),
    "okx": (lambda b: b["data"][0]["markPx"], lambda b: int(b["data"][0]["ts"])),
    "kraken": (
        lambda b: b["ticker"]["markPrice"],
        lambda b: int(datetime.fromisoformat(b["serverTime"].replace("Z", "+00:00")).timestamp() * 1000),
    ),
    "deribit": (lambda b: b["result"]["mark_price"], lambda b: b["result"]["timestamp"]),
}


@pytest.fixture
def venues(monkeypatch: pytest.MonkeyPatch) -> Venues:
    """The recorded venues, served to every ccxt session; no backoff waits."""
    adapter = Venues()
    monkeypatch.setattr(transport, "new_session", session_factory(adapter))
    monkeypatch.setattr(transport, "BACKOFF_SECONDS", 0)
    return adapter


def expected_mark(venue: str) -> tuple[Decimal, int]:
    """The recorded mark as exact text (the file read with numbers as text) and its time."""
    text = (recorded.__globals__["DATA"] / venue / "mark.json").read_text(encoding="utf-8")
    body = json.loads(text, parse_float=str, parse_int=str)["body"]
    price, stamp = MARK_AT[venue]
    return Decimal(price(body)), int(stamp(body))


@pytest.mark.parametrize("venue", VENUES)
def test_fetch_mark_reads_the_venues_own_text(venues: Venues, venue: str) -> None:
    venues.serve_recorded(venue)
    mark = fetch_mark(venue, "BTC", timeout=5)
    price, stamp = expected_mark(venue)
    assert mark.price == price and str(mark.price) == str(price)  # exact, the venue's digits
    assert mark.timestamp_ms == stamp
    assert mark.venue == venue
    assert len(venues.sent) == 1 and mark.symbol in venues.sent[0].url  # the preset's contract was asked for


@pytest.mark.parametrize("venue", VENUES)
def test_liq_price_with_the_live_mark(venues: Venues, cli: Any, venue: str) -> None:
    venues.serve_recorded(venue)
    run = cli(*LONG, "--exchange", venue, "--mark", "live", "--json")
    assert run.exit_code == 0, run.stderr
    doc = run.json()
    price, stamp = expected_mark(venue)
    source = doc["mark_source"]
    assert (source["venue"], Decimal(source["price"]), int(source["timestamp_ms"])) == (venue, price, stamp)
    assert abs(Decimal(doc["mark_price"]) - price) < Decimal("0.01")  # the mark, as shown
    # the distance is measured from the live mark: 100·(LP − mark)/mark
    if doc["liquidation_price"] is None:  # Deribit's preset has no liquidation price: no distance either
        assert doc["distance_from_mark_pct"] is None and doc["reason"]
    else:
        distance = Fraction(100) * (Fraction(doc["liquidation_price"]) - Fraction(price)) / Fraction(price)
        assert abs(Fraction(doc["distance_from_mark_pct"]) - distance) < Fraction(1, 100)
    assert doc["alert"] is False and doc["beyond"] is False


def test_the_table_answer_with_the_live_mark(venues: Venues, cli: Any) -> None:
    venues.serve_recorded("bybit")
    run = cli(*LONG, "--exchange", "bybit", "--mark", "live")
    assert run.exit_code == 0, run.stderr
    assert "16,596.00" in run.stdout  # the venue's mark, 16596.00


def test_stress_starts_from_the_live_mark(venues: Venues, cli: Any) -> None:
    venues.serve_recorded("binance")
    run = cli("stress", *LONG[1:], "--exchange", "binance", "--mark", "live", "--move", "-10%", "--json")
    assert run.exit_code == 0, run.stderr
    doc = run.json()
    price, _ = expected_mark("binance")
    assert Decimal(doc["mark_source"]["price"]) == price
    assert Decimal(doc["reference_price"]) == price.quantize(Decimal(doc["reference_price"]))
    shock = doc["rows"][0]
    # the shock's price is the mark less 10%, to the price step
    assert abs(Decimal(shock["price"]) - price * Decimal("0.9")) <= Decimal(doc["price_step"])


def test_live_fail_within_raises_the_alert_from_the_live_mark(venues: Venues, cli: Any) -> None:
    venues.serve_recorded("okx")  # mark 84,660.1: a long entered at 100,000 with 1.2x liquidates near 83,000
    run = cli(
        "liq-price", "--side", "long", "--entry", "100000", "--contracts", "1000", "--leverage", "6",
        "--exchange", "okx", "--mark", "live", "--fail-within", "50", "--json",
    )  # fmt: skip
    doc = run.json()
    assert doc["alert"] is True and run.exit_code == ExitCode.ALERT


def test_a_number_still_works_and_reads_nothing(venues: Venues, cli: Any) -> None:
    run = cli(*LONG, "--exchange", "bybit", "--mark", "9000", "--json")
    assert run.exit_code == 0 and "mark_source" not in run.json() and venues.sent == []


def one_line_error(run: Any, code: int, *words: str) -> str:
    assert run.exit_code == code, (run.exit_code, run.stderr)
    assert run.stdout == ""
    lines = run.stderr.splitlines()
    assert len(lines) == 1, run.stderr
    for word in words:
        assert word in lines[0]
    return lines[0]


def test_live_needs_an_exchange(venues: Venues, cli: Any) -> None:
    one_line_error(cli(*LONG, "--mark", "live"), ExitCode.USAGE, "--mark", "--exchange")
    assert venues.sent == []


def test_bitmex_is_not_reached_by_ccxt(venues: Venues, cli: Any) -> None:
    one_line_error(cli(*LONG, "--exchange", "bitmex", "--mark", "live"), ExitCode.USAGE, "bitmex", "ccxt")


def test_without_the_extra_the_install_command_is_named(monkeypatch: pytest.MonkeyPatch, cli: Any) -> None:
    monkeypatch.setitem(sys.modules, "ccxt", None)  # import ccxt raises ImportError
    one_line_error(cli(*LONG, "--exchange", "bybit", "--mark", "live"), ExitCode.USAGE, "pip install 'invfut[live]'")


def test_without_the_extra_the_live_account_names_it_before_any_key(monkeypatch: pytest.MonkeyPatch, cli: Any) -> None:
    """No extra and no key: the line a user can act on first is the install command (exit 2),
    not "no read-only API key" (exit 8), which would only lead to it."""
    monkeypatch.setitem(sys.modules, "ccxt", None)
    for name in ("INVFUT_OKX_API_KEY", "INVFUT_OKX_API_SECRET", "INVFUT_OKX_API_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    one_line_error(cli("account", "--live", "okx"), ExitCode.USAGE, "pip install 'invfut[live]'")


def test_without_the_extra_refresh_names_it(monkeypatch: pytest.MonkeyPatch, cli: Any) -> None:
    """``exchanges --refresh`` without the extra (no ccxt, no platformdirs): the install
    command, exit 2 (it was an internal error on platformdirs)."""
    monkeypatch.setitem(sys.modules, "ccxt", None)
    monkeypatch.setitem(sys.modules, "platformdirs", None)
    monkeypatch.delenv("INVFUT_CACHE_DIR", raising=False)
    one_line_error(cli("exchanges", "--refresh", "bybit"), ExitCode.USAGE, "pip install 'invfut[live]'")


FAULTS: dict[str, tuple[Any, int, str]] = {
    "refused": (requests.exceptions.ConnectionError("[Errno 111] Connection refused"), ExitCode.NETWORK, "no network"),
    "proxy": (requests.exceptions.ProxyError("Cannot connect to proxy."), ExitCode.NETWORK, "proxy"),
    "timeout": (requests.exceptions.ReadTimeout("Read timed out. (read timeout=2)"), ExitCode.NETWORK, "in time"),
    "connect-timeout": (requests.exceptions.ConnectTimeout("timed out"), ExitCode.NETWORK, "in time"),
    "rate-limit": ((429, '{"retCode": 10006, "retMsg": "Too many visits!"}'), ExitCode.VENUE, "rate limited"),
    "server-error": ((503, "<html>Service Unavailable</html>"), ExitCode.VENUE, "unavailable"),
    "venue-error": (
        (200, '{"retCode": 10001, "retMsg": "params error: symbol invalid", "result": {}}'),
        ExitCode.VENUE,
        "error",
    ),
    "bad-key": (
        (200, '{"retCode": 10003, "retMsg": "API key is invalid.", "result": {}}'),
        ExitCode.AUTH,
        "refused the key",
    ),
    "not-json": ((200, "<html>maintenance</html>"), ExitCode.VENUE, "does not parse"),
    "missing-field": (
        (200, '{"retCode": 0, "retMsg": "OK", "result": {"list": []}}'),
        ExitCode.VENUE,
        "does not parse",
    ),
    "not-a-price": (
        (200, '{"retCode": 0, "result": {"list": [{"markPrice": "-1"}]}}'),
        ExitCode.VENUE,
        "does not parse",
    ),
}


@pytest.mark.parametrize("fault", FAULTS)
def test_each_fault_is_one_line_and_its_exit_code(venues: Venues, cli: Any, fault: str) -> None:
    reply, code, words = FAULTS[fault]
    venues.serve("GET", "/v5/market/tickers", reply)
    line = one_line_error(cli(*LONG, "--exchange", "bybit", "--mark", "live", "--timeout", "2"), code, "bybit", words)
    assert "?" not in line and "category=" not in line  # the query string is scrubbed
    assert "Traceback" not in line


def test_rate_limits_are_retried_a_bounded_number_of_times(venues: Venues, cli: Any) -> None:
    venues.serve("GET", "/v5/market/tickers", (429, "Too Many Requests"))
    one_line_error(cli(*LONG, "--exchange", "bybit", "--mark", "live"), ExitCode.VENUE, "rate limited")
    assert len(venues.sent) == transport.ATTEMPTS


def test_a_rate_limit_then_an_answer_succeeds(venues: Venues, cli: Any) -> None:
    body = json.dumps(recorded("bybit", "mark")["body"])
    venues.serve("GET", "/v5/market/tickers", (429, "Too Many Requests"), (503, "Service Unavailable"), (200, body))
    run = cli(*LONG, "--exchange", "bybit", "--mark", "live", "--json")
    assert run.exit_code == 0, run.stderr
    assert len(venues.sent) == 3


def test_a_fault_as_json_is_one_json_line(venues: Venues, cli: Any) -> None:
    venues.serve("GET", "/dapi/v1/premiumIndex", requests.exceptions.ConnectionError("refused"))
    run = cli(*LONG, "--exchange", "binance", "--mark", "live", "--json")
    assert run.exit_code == ExitCode.NETWORK and run.stdout == ""
    error = json.loads(run.stderr)["error"]
    assert error["exit_code"] == ExitCode.NETWORK and "binance" in error["message"]


def test_the_timeout_bounds_every_call(venues: Venues, cli: Any) -> None:
    venues.serve_recorded("deribit")
    assert cli(*LONG, "--exchange", "deribit", "--mark", "live", "--timeout", "2.5").exit_code == 0
    assert venues.timeouts == [2.5]


def test_the_timeout_must_be_positive(cli: Any) -> None:
    one_line_error(cli(*LONG, "--exchange", "deribit", "--mark", "live", "--timeout", "0"), ExitCode.USAGE, "--timeout")


def test_the_proxy_settings_are_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    session = transport.new_session()
    settings = session.merge_environment_settings("https://api.bybit.com/v5/market/tickers", {}, None, None, None)
    assert settings["proxies"].get("https") == "http://proxy.example:3128"


def test_ccxt_is_given_the_proxy_honouring_session() -> None:
    exchange = transport.open_exchange("bybit", 3, "--mark")
    assert exchange.session.trust_env is True and exchange.timeout == 3000


SECRET = "Zq7SECRETkeyTEXT9"


def test_scrub_removes_keys_signatures_query_strings_and_headers() -> None:
    text = (
        f"bybit GET https://api.bybit.com/v5/position/list?category=inverse&api_key={SECRET}&sign=abc123 "
        f"{{'X-BAPI-API-KEY': '{SECRET}', 'X-BAPI-SIGN': 'deadbeef'}} apiKey={SECRET} secret: {SECRET}"
    )
    clean = scrub(text, [SECRET])
    assert SECRET not in clean and "abc123" not in clean and "deadbeef" not in clean and "?" not in clean
    assert "https://api.bybit.com/v5/position/list" in clean


def test_a_venue_error_echoing_a_key_is_scrubbed(venues: Venues, cli: Any) -> None:
    venues.serve("GET", "/v5/market/tickers", (200, json.dumps({"retCode": 10001, "retMsg": f"apiKey={SECRET} bad"})))
    run = cli(*LONG, "--exchange", "bybit", "--mark", "live")
    assert run.exit_code == ExitCode.VENUE
    assert SECRET not in run.stdout + run.stderr


def test_the_live_exit_codes_are_documented() -> None:
    assert (ExitCode.NETWORK, ExitCode.AUTH, ExitCode.VENUE) == (7, 8, 9)
    assert all(code in MEANINGS for code in (ExitCode.NETWORK, ExitCode.AUTH, ExitCode.VENUE))


def test_the_suite_cannot_open_a_network_socket() -> None:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock, pytest.raises(pytest.fail.Exception):
        sock.connect(("127.0.0.1", 9))


def test_a_run_that_is_not_live_imports_neither_ccxt_nor_keyring() -> None:
    code = (
        "import sys\n"
        f"sys.argv = ['invfut', *{list(LONG)!r}, '--mark', '9000', '--json']\n"
        "from invfut_cli.app import main\n"
        "try:\n    main()\n"
        "except SystemExit:\n    pass\n"
        "sys.stderr.write(repr(sorted(m for m in sys.modules if m.split('.')[0] in ('ccxt', 'keyring', 'requests')\n"
        "    or m == 'invfut_cli.live' or m.startswith('invfut_cli.live.'))))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # Nor the live package: its error type, which the error funnel knows, is in invfut_cli.errors.
    assert eval(run.stderr.splitlines()[-1]) == []
    assert json.loads(run.stdout)["command"] == "liq-price"


def test_every_recording_names_its_source() -> None:
    for venue in VENUES:
        record = recorded(venue, "mark")
        assert record["source"].startswith("https://") and record["path"].startswith("/")


def test_account_at_the_live_mark(venues: Venues, cli: Any, tmp_path: Any) -> None:
    venues.serve_recorded("kraken")
    book = tmp_path / "book.toml"
    book.write_text(
        'coin = "BTC"\nexchange = "kraken"\nbalance = 1.0\n'
        '[[position]]\nside = "long"\ncontracts = 20000\nentry = 20000\n'
        '[[position]]\nside = "short"\ncontracts = 10000\nentry = 22000\n',
        encoding="utf-8",
    )
    run = cli("account", str(book), "--price", "live", "--json")
    assert run.exit_code == 0, run.stderr
    doc = run.json()
    price, stamp = expected_mark("kraken")
    assert Decimal(doc["mark_source"]["price"]) == price and int(doc["mark_source"]["timestamp_ms"]) == stamp
    assert Decimal(doc["price"]) == price
    # the equity at the live mark, from DOMAIN §8: B + A − S/P with S = Σ s·Q, A = Σ s·Q/E
    s_sum = Fraction(20000 - 10000)
    a_sum = Fraction(20000, 20000) - Fraction(10000, 22000)
    equity = 1 + a_sum - s_sum / Fraction(price)
    assert abs(Fraction(doc["equity"]) - equity) <= Fraction(1, 10**8)


def test_account_live_needs_a_venue(venues: Venues, cli: Any, tmp_path: Any) -> None:
    book = tmp_path / "book.toml"
    book.write_text('coin = "BTC"\nbalance = 1.0\n[[position]]\nside = "long"\ncontracts = 100\nentry = 20000\n')
    one_line_error(cli("account", str(book), "--price", "live"), ExitCode.USAGE, "--price", "--exchange")
    assert venues.sent == []
