"""``invfut watch`` (DOMAIN.md §13): the state machine, its hysteresis, the margin to add,
funding at interval boundaries, bad lines, exit codes, signals and the ``--exec`` hook.

Every expected number comes from the formulas in :class:`fractions.Fraction` (the safety
margin ``a = 100·s·(P − L)/P``, §10's margin, funding ``rate·Q/P``), or from DOMAIN.md's
published checks, never from the code under test.
"""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import time
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, CliRunner, interruptible, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from invfut_cli.cli import app
from invfut_cli.core.watch import Limits, State, Watcher, band, next_state

W, X, H = Fraction(10), Fraction(5), Fraction(1, 2)
LIMITS = Limits(Decimal(10), Decimal(5), Decimal("0.5"))
LONG = ("--side", "long", "--entry", "60000", "--contracts", "10000")
SHORT = ("--side", "short", "--entry", "60000", "--contracts", "10000")
CENT = Fraction(1, 100)
SAT = Fraction(1, 10**8)
M = Fraction(5, 1000)  # the generic maintenance rate


def watch(*args: str, marks: str = "") -> tuple[int, list[dict[str, Any]], str]:
    """``invfut watch ARGS`` in-process with ``marks`` on stdin: exit code, events, stderr."""
    result = CliRunner().invoke(app, ["watch", *args], input=marks, prog_name="invfut")
    events = [json.loads(line, parse_float=Decimal, parse_int=Decimal) for line in result.stdout.splitlines()]
    return result.exit_code, events, result.stderr


def lines(*prices: Any) -> str:
    return "".join(f"{p}\n" for p in prices)


# --- the reference: §13 in Fractions ---------------------------------------------------------


def ref_safety(sign: int, mark: Fraction, liq: Fraction) -> Fraction:
    return 100 * sign * (mark - liq) / mark


def ref_raw(a: Fraction, shift: Fraction = Fraction(0)) -> State:
    if a <= 0 + shift:
        return State.LIQUIDATED
    if a <= X + shift:
        return State.CRITICAL
    if a <= W + shift:
        return State.WARN
    return State.OK


def ref_next(a: Fraction, previous: State | None) -> State:
    """Less safe at once; safer only past the state's own limit plus h; liquidated is final."""
    raw = ref_raw(a)
    if previous is None or raw >= previous:
        return raw
    if previous is State.LIQUIDATED:
        return previous
    return min(previous, ref_raw(a, H))


def mark_at(sign: int, liq: Fraction, a: Fraction) -> Fraction:
    """The mark where the safety margin is ``a``: ``100·L/(100 − s·a)``."""
    return 100 * liq / (100 - sign * a)


def dec(value: Fraction, places: int = 8) -> Decimal:
    """A Fraction to ``places`` decimals (nearest), as text a mark line carries."""
    return Decimal(round(value * 10**places)) / Decimal(10**places)


class Fixed:
    """A subject whose liquidation price is fixed: the state machine alone."""

    def __init__(self, sign: int, liq: Decimal | None) -> None:
        self.sign, self.liq, self.net_size_usd = sign, liq, Decimal(0)

    def liquidation(self, mark_usd: Decimal) -> tuple[Decimal | None, str | None, bool]:
        return self.liq, None if self.liq is not None else "none", False

    def pay(self, coin: Decimal) -> None:  # pragma: no cover - no funding here
        raise AssertionError

    def margin_to_add(self, target_usd: Decimal, mark_usd: Decimal) -> tuple[Decimal | None, str | None]:
        return Decimal(0), None


# --- the state machine ----------------------------------------------------------------------

# (safety margin a of each mark, the states the spec gives): every transition, both ways.
TRANSITIONS = [
    ([20, 9, 4, 6, 11], ["ok", "warn", "critical", "warn", "ok"]),
    ([20, 4, 20], ["ok", "critical", "ok"]),
    ([9, 0, 20], ["warn", "liquidated", "liquidated"]),
    ([20, -1], ["ok", "liquidated"]),
    (
        [4, Fraction(11, 2), Fraction(56, 10), Fraction(105, 10), Fraction(106, 10)],
        ["critical", "critical", "warn", "warn", "ok"],
    ),
    ([10, 5, Fraction(1, 100)], ["warn", "critical", "critical"]),
]


@pytest.mark.parametrize("sign", [1, -1])
@pytest.mark.parametrize(("safeties", "states"), TRANSITIONS)
def test_every_transition_in_both_directions(sign: int, safeties: list[Any], states: list[str]) -> None:
    liq = Fraction(50000)
    watcher = Watcher(Fixed(sign, Decimal(50000)), LIMITS)
    seen: list[State] = []
    for i, a in enumerate(safeties, 1):
        # The mark of this safety margin, to 20 places toward danger (a long's down, a short's
        # up), so a mark meant to be on a limit is at it or just past it, never short of it.
        exact = mark_at(sign, liq, Fraction(a))
        scaled = exact * 10**20
        mark = Decimal(math.floor(scaled) if sign > 0 else math.ceil(scaled)).scaleb(-20)
        got = watcher.observe(i, mark).state
        assert got is ref_next(ref_safety(sign, Fraction(mark), liq), seen[-1] if seen else None)
        seen.append(got)
    assert [state.label for state in seen] == states


@settings(max_examples=60, deadline=None)
@given(
    sign=st.sampled_from([1, -1]),
    safeties=st.lists(st.fractions(min_value=-2, max_value=15, max_denominator=40), min_size=1, max_size=12),
)
def test_the_watcher_follows_the_reference_and_its_band_keeps_the_state(sign: int, safeties: list[Fraction]) -> None:
    liq = Fraction(30000)
    watcher = Watcher(Fixed(sign, Decimal(30000)), LIMITS)
    state = None
    for i, a in enumerate(safeties, 1):
        mark = dec(mark_at(sign, liq, a), 12)
        state = ref_next(ref_safety(sign, Fraction(mark), liq), state)
        assert watcher.observe(i, mark).state is state
        if state is State.LIQUIDATED:
            break
        # A mark just inside either bound of the fast path keeps the state, by the reference.
        lo, hi = (Fraction(b) if b.is_finite() else None for b in band(sign, Decimal(30000), state, LIMITS))
        assert lo is not None
        for probe in (lo + Fraction(1, 10**9), None if hi is None else hi - Fraction(1, 10**9)):
            if probe is not None and probe > 0:
                assert ref_next(ref_safety(sign, probe, liq), state) is state


def test_no_liquidation_price_is_ok_at_every_mark() -> None:
    watcher = Watcher(Fixed(-1, None), LIMITS)
    assert {watcher.observe(i, Decimal(p)).state for i, p in enumerate([1, 10**6, 10**11], 1)} == {State.OK}
    assert next_state(1, Decimal(5), None, State.OK, LIMITS) is State.OK


def test_a_mark_dancing_on_the_warn_limit_for_10000_lines_gives_one_event() -> None:
    # A 10x long from 60,000 (generic, 0.5%): L = E·L/(L + 1 − m·L) = 54,794.52…, shown 54,794.53.
    liq = Fraction(54794_53, 100)
    assert math.ceil(Fraction(60000 * 10) / (11 - M * 10) * 100) == 54794_53
    below, above = mark_at(1, liq, W - Fraction(1, 10)), mark_at(1, liq, W + Fraction(1, 10))
    dance = [dec(below, 2), dec(above, 2)] * 5000
    code, events, err = watch(*LONG, "--leverage", "10", marks=lines(*dance))
    assert code == 0 and err == ""
    assert [e["state"] for e in events] == ["warn"]
    # Clearing the limit by the hysteresis, and only that, brings it back to ok.
    back = dec(mark_at(1, liq, W + H + Fraction(1, 100)), 2)
    code, events, _ = watch(*LONG, "--leverage", "10", marks=lines(*dance, back))
    assert [(e["line"], e["previous_state"], e["state"]) for e in events] == [(1, None, "warn"), (10001, "warn", "ok")]


@pytest.mark.parametrize(
    ("side", "sign", "warn", "liq"),
    # 10x from 60,000, generic 0.5%: E·L/(L ± (1 − m·L)) shown toward safety (DOMAIN.md §5).
    [("long", 1, 20, Fraction(54794_53, 100)), ("short", -1, 25, Fraction(66298_34, 100))],
)
def test_a_bare_mark_exactly_on_a_limit_is_not_missed_by_the_fast_path(
    side: str, sign: int, warn: int, liq: Fraction
) -> None:
    at = mark_at(sign, liq, Fraction(warn))
    assert Fraction(dec(at, 8)) == at  # a mark written exactly where a = W
    hair = dec(at + sign * Fraction(1, 10**8), 8)
    far = dec(at + sign * 5000, 8)
    args = ("--side", side, "--entry", "60000", "--contracts", "10000", "--leverage", "10", "--warn", str(warn))
    code, events, _ = watch(*args, marks=lines(far, hair, hair, dec(at, 8)))
    assert [(e["line"], e["state"]) for e in events] == [(1, "ok"), (4, "warn")]
    assert events[1]["safety_pct"] == warn and Fraction(events[1]["liquidation_price"]) == liq


# --- the margin to add (§10) ----------------------------------------------------------------


def ref_margin(sign: int, mark: Fraction, collateral: Fraction) -> Fraction:
    """Entry family (generic): ``M = s·Q/P* − s·Q/E + m·Q/E`` with ``P*`` the liquidation price at
    ``W + h`` from the mark on the 0.01 step toward safety; what to add, rounded up to the satoshi."""
    q, e = Fraction(10000), Fraction(60000)
    target = mark * (100 - sign * (W + H)) / 100
    target = (math.floor if sign > 0 else math.ceil)(target / CENT) * CENT
    needed = sign * q / target - sign * q / e + M * q / e
    return max(Fraction(0), math.ceil((needed - collateral) / SAT) * SAT)


def liq_shown(side: str, margin: Decimal) -> Fraction:
    result = CliRunner().invoke(
        app,
        ["liq-price", "--side", side, "--entry", "60000", "--contracts", "10000", "--margin", str(margin), "--json"],
    )
    return Fraction(json.loads(result.stdout)["liquidation_price"])


@pytest.mark.parametrize(("side", "sign", "mark"), [("long", 1, 57000), ("short", -1, 63000)])
def test_the_margin_to_add_puts_the_liquidation_price_at_warn_plus_hysteresis(side: str, sign: int, mark: int) -> None:
    code, events, _ = watch(
        "--side", side, "--entry", "60000", "--contracts", "10000", "--margin", "0.02", marks=lines(mark)
    )
    (event,) = events
    assert event["state"] in ("warn", "critical")
    add = event["margin_to_add"]
    assert Fraction(add) == ref_margin(sign, Fraction(mark), Fraction(2, 100)) > 0
    # liq-price with that much more margin: the liquidation price lands at W + h or farther;
    # one satoshi less does not.
    enough = liq_shown(side, Decimal("0.02") + add)
    assert ref_safety(sign, Fraction(mark), enough) >= W + H
    short_by_one = liq_shown(side, Decimal("0.02") + add - Decimal("1e-8"))
    assert ref_safety(sign, Fraction(mark), short_by_one) < W + H


def test_a_safe_enough_position_needs_no_margin() -> None:
    code, events, _ = watch(*LONG, "--leverage", "2", marks=lines(60000))
    assert events[0]["state"] == "ok" and events[0]["margin_to_add"] == 0


def test_a_1x_short_without_a_liquidation_price_stays_ok_with_a_reason() -> None:
    code, events, err = watch(
        *SHORT, "--leverage", "1", "--mm-basis", "mark", "--every-line", marks=lines(60000, 200000, 10**9)
    )
    assert code == 0 and err == ""
    assert [e["state"] for e in events] == ["ok"] * 3
    assert all(e["liquidation_price"] is None and e["safety_pct"] is None and e["reason"] for e in events)


# --- funding along the stream ---------------------------------------------------------------


#: 2026-12-06T00:00:00Z in Unix seconds.
DAY = 1796515200


def test_funding_is_paid_at_each_8h_boundary_crossed_and_moves_the_liquidation_price() -> None:
    rate, q, e = Fraction(1, 10000), Fraction(10000), Fraction(60000)
    stream = [
        ("2026-12-06T07:59:00Z", 60000, 0),  # the first timed mark: nothing crossed
        ("2026-12-06T08:00:00Z", 59000, 1),  # 08:00
        ("2026-12-06T15:00:00Z", 58000, 0),
        (DAY + 3600 * 17 - 1, 57000, 1),  # Unix seconds, 16:59:59: 16:00
        ((DAY + 3600 * 32) * 1000 + 1, 56000, 2),  # milliseconds, the next day 08:00:00.001: 00:00 and 08:00
    ]
    marks = "".join(json.dumps({"mark": m, "time": t}) + "\n" for t, m, _ in stream)
    code, events, err = watch(*LONG, "--margin", "0.1", "--funding", "0.01%", "--every-line", marks=marks)
    assert err == "" and code == 0
    collateral = Fraction(1, 10)
    for event, (_t, mark, crossed) in zip(events, stream, strict=True):
        paid = crossed * rate * q / mark
        collateral -= paid
        assert Fraction(event["funding_paid"]) == round(paid / SAT) * SAT
        assert Fraction(event["collateral"]) == round(collateral / SAT) * SAT
        # entry family, long: L = Q / (M + Q/E − m·Q/E), shown rounded up to the cent
        liq = q / (collateral + q / e - M * q / e)
        assert Fraction(event["liquidation_price"]) == math.ceil(liq / CENT) * CENT
    assert events[1]["time"] == "2026-12-06T08:00:00Z" and events[4]["time"].endswith(".001Z")


def test_a_short_receives_positive_funding_and_kraken_pays_hourly() -> None:
    marks = "".join(json.dumps({"price": "60000", "time": 3600 * k}) + "\n" for k in (0, 1, 2, 5))
    code, events, _ = watch(
        *SHORT, "--margin", "0.1", "--funding", "0.01%", "--every-line", "--exchange", "kraken", marks=marks
    )
    # Kraken's contract is $1 (DOMAIN.md §1): Q = 10,000 USD; a short receives rate·Q/P.
    paid = [-Fraction(k) * Fraction(1, 10000) * 10000 / 60000 for k in (0, 1, 1, 3)]
    assert [Fraction(e["funding_paid"]) for e in events] == [round(p / SAT) * SAT for p in paid]


# --- bad lines, options, exit codes ---------------------------------------------------------


def test_a_bad_line_is_reported_with_its_number_and_the_stream_goes_on() -> None:
    marks = lines(
        "60000",
        "abc",
        "",
        '{"time": 1}',
        '{"mark": -5}',
        '{"mark": "NaN"}',
        "[1]",
        '{"mark": 1, "time": "soon"}',
        "1e13",
        "57000",
    )
    code, events, err = watch(*LONG, "--leverage", "10", marks=marks)
    reported = err.splitlines()
    assert [line.split(":")[1].strip() for line in reported[:7]] == [
        "line 2",
        "line 4",
        "line 5",
        "line 6",
        "line 7",
        "line 8",
        "line 9",
    ]
    assert all(line.startswith("invfut watch: line ") for line in reported[:7])
    assert [(e["line"], e["state"]) for e in events] == [(1, "warn"), (10, "critical")]
    assert code == 4  # critical was reached


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (("--warn", "5"), "--warn"),
        (("--warn", "4", "--fail-within", "5"), "--warn"),
        (("--fail-within", "0"), "--fail-within"),
        (("--hysteresis", "-1"), "--hysteresis"),
        (("--warn", "ten"), "--warn"),
        (("--exec", "'unclosed"), "--exec"),
    ],
)
def test_bad_limits_are_one_line_and_exit_2(args: tuple[str, ...], option: str) -> None:
    code, events, err = watch(*LONG, "--leverage", "10", *args, marks=lines(60000))
    assert code == 2 and events == []
    assert len(err.strip().splitlines()) == 1 and option in err


def test_an_account_takes_no_position_options() -> None:
    code, events, err = watch(
        "--account", str(ROOT / "examples" / "account.toml"), "--side", "long", marks=lines(60000)
    )
    assert code == 2 and events == [] and "--account" in err and "--side" in err


def test_exit_codes_at_the_end_of_the_input() -> None:
    assert watch(*LONG, "--leverage", "5", marks=lines(60000, 59000))[0] == 0
    # warn only: 0; critical reached and left: still 4
    assert watch(*LONG, "--leverage", "10", marks=lines(60000))[0] == 0
    code, events, err = watch(*LONG, "--leverage", "10", marks=lines(60000, 56000, 62000))
    assert code == 4 and [e["state"] for e in events] == ["warn", "critical", "ok"] and "alert" in err
    assert watch(*LONG, "--leverage", "10", marks="")[0:2] == (0, [])


def test_liquidated_is_written_and_ends_the_watch_with_4() -> None:
    code, events, err = watch(*LONG, "--leverage", "10", marks=lines(60000, 54794.53, "not read", 60000))
    assert code == 4
    assert [(e["state"], e["previous_state"]) for e in events] == [("warn", None), ("liquidated", "warn")]
    assert "line 3" not in err  # nothing after liquidation is read


# --- the account -------------------------------------------------------------------------------


def test_an_account_is_watched_with_the_hedge_to_a_zero_usd_delta() -> None:
    code, events, _ = watch("--account", str(ROOT / "examples" / "account.toml"), marks=lines(60000, 8900))
    first, second = events
    # DOMAIN.md §8: P_liq = 8,550.15…, shown up to the cent; USD delta B + A.
    b, s = Fraction(1), Fraction(10000)
    a = Fraction(20000, 60000) - Fraction(10000, 62000)
    mm = M * (Fraction(20000, 60000) + Fraction(10000, 62000))
    liq = s / (b + a - mm)
    assert Fraction(first["liquidation_price"]) == math.ceil(liq / CENT) * CENT
    for event, mark in ((first, 60000), (second, 8900)):
        hedge = event["hedge"]
        assert hedge["side"] == "short" and hedge["contracts"] == math.floor(mark * (b + a))
        assert abs(Fraction(hedge["usd_delta_after"])) < Fraction(1, mark) + SAT
    assert (first["state"], second["state"]) == ("ok", "critical")
    # The balance to add puts the account's liquidation price at W + h below 8,900 (on the cent, down).
    target = math.floor(Fraction(8900) * (100 - W - H) / 100 / CENT) * CENT
    needed = s / target + mm - a
    assert Fraction(second["margin_to_add"]) == math.ceil((needed - b) / SAT) * SAT
    assert code == 4


def test_an_account_liquidated_at_every_price_is_liquidated_not_ok(tmp_path: Path) -> None:
    """Equal and opposite positions (S = 0) on a balance below the maintenance margin: no
    liquidation price, and no safe mark either (DOMAIN.md §8): the first mark is ``liquidated``."""
    file = tmp_path / "flat.toml"
    file.write_text(
        'coin = "BTC"\nbalance = 0.001\n'
        '[[position]]\nside = "long"\ncontracts = 10000\nentry = 60000\n'
        '[[position]]\nside = "short"\ncontracts = 10000\nentry = 60000\n',
        encoding="utf-8",
    )
    code, events, err = watch("--account", str(file), marks=lines(60000, 70000))
    (event,) = events
    assert code == 4 and event["state"] == "liquidated" and event["liquidation_price"] is None and event["reason"]
    # Equity B + A = B (A = 0) must exceed MM = m·Σ Qᵢ/Eᵢ: the smallest whole satoshi above the gap.
    gap = M * Fraction(20000, 60000) - Fraction(1, 1000)
    assert Fraction(event["margin_to_add"]) == (math.floor(gap / SAT) + 1) * SAT


# --- the document and its schema ----------------------------------------------------------------


def test_events_validate_against_the_published_schema() -> None:
    from jsonschema import Draft202012Validator

    schema = json.loads(CliRunner().invoke(app, ["schema", "watch"]).stdout, parse_float=Decimal)
    check = Draft202012Validator(schema)
    marks = lines(60000, 56000, '{"mark": "54000.5", "time": 1796544000, "symbol": "BTCUSD"}')
    for args in (
        (*LONG, "--leverage", "10", "--funding", "0.01%"),
        ("--account", str(ROOT / "examples" / "account.toml")),
    ):
        result = CliRunner().invoke(app, ["watch", *args, "--every-line"], input=marks)
        events = [json.loads(line, parse_float=Decimal) for line in result.stdout.splitlines()]
        assert len(events) == 3 and events[2]["symbol"] == "BTCUSD"
        for event in events:
            assert list(check.iter_errors(event)) == []


def test_batch_answers_a_watch_line_with_the_first_event() -> None:
    line = json.dumps(
        {"command": "watch", "side": "long", "entry": 60000, "contracts": 10000, "leverage": 10, "mark": 57000}
    )
    result = CliRunner().invoke(app, ["batch"], input=line + "\n")
    doc = json.loads(result.stdout, parse_float=Decimal)
    assert doc["command"] == "watch" and doc["state"] == "critical" and doc["line"] == 1


# --- processes: --exec, signals -----------------------------------------------------------------

RECORDER = """\
import sys
with open(sys.argv[1], "a", encoding="utf-8") as out:
    out.write(sys.stdin.read())
sys.exit(int(sys.argv[2]) if len(sys.argv) > 2 else 0)
"""


def test_exec_runs_a_real_script_per_event_with_the_event_on_stdin(tmp_path: Path) -> None:
    script, log = tmp_path / "record.py", tmp_path / "events log.ndjson"
    script.write_text(RECORDER, encoding="utf-8")
    hook = f"{sys.executable} {script} '{log}'"
    code, events, err = watch(*LONG, "--leverage", "10", "--exec", hook, marks=lines(60000, 59000, 56000, 62000))
    assert err.count("alert") == 1 and "--exec" not in err
    recorded = [json.loads(line, parse_float=Decimal, parse_int=Decimal) for line in log.read_text().splitlines()]
    assert recorded == events and len(events) == 3
    # A failing hook is reported, not fatal; one that hangs is stopped at the timeout.
    code, events, err = watch(*LONG, "--leverage", "10", "--exec", f"{hook} 3", marks=lines(60000, 62000))
    assert len(events) == 2 and err.count("exited with 3") == 2 and code == 0
    slow = f"{sys.executable} -c 'import time; time.sleep(5)'"
    started = time.monotonic()
    code, events, err = watch(*LONG, "--leverage", "10", "--exec", slow, "--exec-timeout", "0.3", marks=lines(60000))
    assert "took more than 0.3 s" in err and len(events) == 1 and time.monotonic() - started < 4
    code, events, err = watch(*LONG, "--leverage", "10", "--exec", "no-such-program-here", marks=lines(60000))
    assert "could not run" in err and len(events) == 1 and code == 0


def _started(*args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "invfut_cli", "watch", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        preexec_fn=interruptible,
    )


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_ends_the_watch_promptly_with_every_event_written(signum: int, code: int) -> None:
    process = _started(*LONG, "--leverage", "10")
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(b"60000\n")
    process.stdin.flush()
    first = json.loads(process.stdout.readline())  # written at once, while the input stays open
    process.stdin.write(b"56000\n")
    process.stdin.flush()
    second = json.loads(process.stdout.readline())
    process.send_signal(signum)
    started = time.monotonic()
    rest, err = process.communicate(timeout=10)
    assert process.returncode == code and time.monotonic() - started < 5
    assert (first["state"], second["state"]) == ("warn", "critical") and rest == b""
    assert b"Traceback" not in err


def test_on_a_terminal_a_status_line_is_drawn_in_place_below_the_events() -> None:
    pty = pytest.importorskip("pty")
    main, child = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "invfut_cli", "watch", *LONG, "--leverage", "10"],
        stdin=subprocess.PIPE,
        stdout=child,
        stderr=subprocess.PIPE,
        env=env,
    )
    os.close(child)
    process.communicate(b"60000\n59000\n", timeout=30)
    shown = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(main)
    text = shown.decode()
    # The one event, then the status of each mark drawn over the one before, then cleared.
    assert text.count('"state": "warn"') == 1
    assert "\r\x1b[Kline 1  mark 60000  warn" in text and "\r\x1b[Kline 2  mark 59000  warn" in text
    assert text.endswith("\r\x1b[K") and process.returncode == 0


def test_a_reader_that_goes_away_ends_the_watch_quietly() -> None:
    """``invfut watch … | head -1``: the next write finds the pipe closed; exit 0, no message."""
    process = _started(*LONG, "--leverage", "5", "--every-line")
    assert process.stdin is not None and process.stdout is not None and process.stderr is not None
    process.stdin.write(b"60000\n")
    process.stdin.flush()
    assert json.loads(process.stdout.readline())["line"] == 1
    process.stdout.close()
    try:
        process.stdin.write(b"".join(b"%d\n" % p for p in range(59000, 58000, -1)))
        process.stdin.close()
    except BrokenPipeError:  # it may already have ended
        pass
    assert process.wait(timeout=10) == 0
    with process.stderr:
        assert process.stderr.read() == b""


def test_a_mark_from_the_past_is_said_and_skipped() -> None:
    """Timed marks that go back: the line is named on stderr and passed over (no funding, no
    state from it); the stream goes on. The same time twice is taken."""
    marks = lines(
        '{"mark": 60000, "time": "2026-12-06T08:00:00Z"}',
        '{"mark": 56000, "time": "2026-12-06T07:00:00Z"}',
        '{"mark": 60000, "time": "2026-12-06T08:00:00Z"}',
        '{"mark": 56000, "time": "2026-12-06T08:00:01Z"}',
    )
    code, events, err = watch(*LONG, "--leverage", "10", marks=marks)
    assert err.splitlines()[0] == "invfut watch: line 2: its time is before the last timed mark's: skipped"
    assert [(e["line"], e["state"]) for e in events] == [(1, "warn"), (4, "critical")]
    assert code == 4


def test_a_short_at_its_liquidation_price_has_safety_zero_not_minus_zero() -> None:
    liq = run_cli("liq-price", *SHORT, "--leverage", "10", "--json").json()["liquidation_price"]
    code, events, _ = watch(*SHORT, "--leverage", "10", marks=lines(str(liq)))
    assert events[0]["state"] == "liquidated" and code == 4
    assert str(events[0]["safety_pct"]) == "0.00"


def test_every_without_live_is_a_usage_error() -> None:
    run = run_cli("watch", *LONG, "--leverage", "10", "--every", "5")
    assert run.exit_code == 2 and run.stdout == "" and "--every" in run.stderr


def test_a_time_is_shown_to_the_nearest_millisecond() -> None:
    # 08:00:00.9996 is 08:00:01.000 to the millisecond, not 08:00:00.000.
    marks = "".join(json.dumps({"mark": 60000, "time": t}) + "\n" for t in ("1796544000.5", "1796544000.9996"))
    code, events, err = watch(*LONG, "--margin", "0.1", "--every-line", marks=marks)
    assert err == "" and code == 0
    assert [e["time"] for e in events] == ["2026-12-06T08:00:00.500Z", "2026-12-06T08:00:01Z"]


def test_a_time_after_the_year_9999_is_a_bad_line_not_a_crash() -> None:
    marks = lines(
        '{"mark": 60000, "time": 100000000000000000000}',
        '{"mark": 60000, "time": "9999-12-31T23:30:00-01:00"}',
        "57000",
    )
    code, events, err = watch(*LONG, "--leverage", "10", marks=marks)
    reported = err.splitlines()[:2]
    assert [line.split(":")[1].strip() for line in reported] == ["line 1", "line 2"]
    assert all("after the year 9999" in line for line in reported)
    assert [(e["line"], e["state"]) for e in events] == [(3, "critical")]
