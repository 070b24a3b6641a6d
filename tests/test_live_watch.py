"""``watch --live``: the venue's mark polled on recorded answers (never a socket), taken as
the watcher takes a line of stdin; a fault at the first read ends it with its exit code, a
later one is a line on stderr and the watch goes on."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
import requests
from live_recorded import Venues, recorded, session_factory

from invfut_cli.commands.watch import live as watch_live
from invfut_cli.exitcodes import ExitCode
from invfut_cli.live import transport

POSITION = ("--side", "long", "--entry", "18000", "--contracts", "1000", "--leverage", "10", "--exchange", "bybit")


@pytest.fixture
def venues(monkeypatch: pytest.MonkeyPatch) -> Venues:
    adapter = Venues()
    monkeypatch.setattr(transport, "new_session", session_factory(adapter))
    monkeypatch.setattr(transport, "BACKOFF_SECONDS", 0)
    return adapter


@pytest.fixture
def ticks(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The waits between reads; the third one is a Ctrl-C (the watch's own way to end)."""
    waited: list[float] = []

    def sleep(seconds: float) -> None:
        waited.append(seconds)
        if len(waited) == 3:
            raise KeyboardInterrupt

    monkeypatch.setattr(watch_live.time, "sleep", sleep)
    return waited


def bybit_mark() -> tuple[Decimal, int, str]:
    body = recorded("bybit", "mark")["body"]
    row = body["result"]["list"][0]
    return Decimal(str(row["markPrice"])), int(body["time"]), row["symbol"]


def test_live_polls_the_venues_mark_and_judges_it(venues: Venues, ticks: list[float], cli: Any) -> None:
    venues.serve_recorded("bybit")
    run = cli("watch", *POSITION, "--live", "--every", "2")
    assert run.exit_code == ExitCode.INTERRUPTED, run.stderr
    assert ticks == [2, 2, 2] and len(venues.sent) == 3  # one read a tick
    events = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(events) == 1  # the same mark three times: one state, one event
    (event,) = events
    price, stamp, symbol = bybit_mark()
    assert Decimal(str(event["mark_price"])) == price and event["symbol"] == symbol
    assert event["time"].startswith(datetime.fromtimestamp(stamp / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%S"))
    # The state from the safety margin a = 100·(P − L)/P against the shown liquidation price.
    liq = cli("liq-price", *POSITION, "--json").json()["liquidation_price"]
    assert event["liquidation_price"] == liq
    safety = 100 * (Fraction(price) - Fraction(liq)) / Fraction(price)
    state = "liquidated" if safety <= 0 else "critical" if safety <= 5 else "warn" if safety <= 10 else "ok"
    assert event["state"] == state


def test_a_fault_at_the_first_read_ends_the_watch_with_its_code(venues: Venues, ticks: list[float], cli: Any) -> None:
    record = recorded("bybit", "mark")
    venues.serve(record["method"], record["path"], requests.exceptions.ConnectionError("[Errno 111] refused"))
    run = cli("watch", *POSITION, "--live")
    assert run.exit_code == ExitCode.NETWORK
    assert run.stdout == "" and len(run.stderr.strip().splitlines()) == 1 and "bybit" in run.stderr


def test_a_later_fault_is_a_line_and_the_watch_goes_on(venues: Venues, ticks: list[float], cli: Any) -> None:
    record = recorded("bybit", "mark")
    body = (200, json.dumps(record["body"]))
    venues.serve(record["method"], record["path"], body, requests.exceptions.ReadTimeout("timed out"), body)
    run = cli("watch", *POSITION, "--live", "--every", "1")
    assert run.exit_code == ExitCode.INTERRUPTED
    assert len(run.stdout.splitlines()) == 1  # the first mark's event; the third read is the same state
    assert "--live" in run.stderr and "next read in 1 s" in run.stderr


def test_live_needs_a_venue(cli: Any) -> None:
    run = cli("watch", "--side", "long", "--entry", "60000", "--contracts", "100", "--leverage", "5", "--live")
    assert run.exit_code == ExitCode.USAGE and run.stdout == ""
    assert "--exchange" in run.stderr and len(run.stderr.strip().splitlines()) == 1
