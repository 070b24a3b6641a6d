"""What a person sees: colour only on a terminal that wants it, tables that keep numbers whole.

The installed ``invfut`` runs as a real subprocess, its stdout a pipe or a file: then no
ANSI escape code is written (with ``NO_COLOR=1``, ``TERM=dumb`` or neither). ``FORCE_COLOR=1``
may colour the table, but the text and the numbers stay the same. At 40 and 160 columns
every summary number and every row's price of the ``--json`` document appears whole on
one line of the table, and every number in the table is a whole number of the document:
the renderer drops columns or wraps labels, it never folds a number over two lines. The
same is checked on a real terminal: tmux panes 40 and 160 columns wide.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import without_column_note

EXE = Path(sys.executable).with_name("invfut")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
#: A number as a table writes it: digits with thousands separators, a sign, decimals.
NUMBER = re.compile(r"(?<![\w.])-?\d[\d,]*(?:\.\d+)?(?![\w])")

CASES: dict[str, list[str]] = {
    "pnl": ["pnl", "--side", "long", "--entry", "8000", "--exit", "9000", "--contracts", "10000", "--leverage", "10"],
    "pnl-costs": [
        *("pnl", "--side", "short", "--entry", "8000.5", "--exit", "7000", "--contracts", "123456"),
        *("--margin", "0.5", "--entry-fee", "taker", "--exit-fee", "maker", "--funding", "0.01%", "--periods", "3"),
    ],
    "liq-cross": [
        *("liq-price", "--side", "long", "--entry", "8000", "--contracts", "10000"),
        *("--balance", "0.5", "--taker-fee", "0.075%", "--tick", "0.5"),
    ],
    "liq-none": [
        *("liq-price", "--side", "short", "--entry", "8000", "--contracts", "8000", "--leverage", "1"),
        *("--mm-basis", "mark"),
    ],
    "liq-binance": [
        *("liq-price", "--exchange", "binance", "--side", "long", "--entry", "30000", "--contracts", "3000"),
        *("--leverage", "20"),
    ],
    "leverage": ["leverage", "--entry", "8000", "--contracts", "10000", "--leverage", "10"],
    "ladder": ["ladder", "--side", "long", "--entry", "8000", "--contracts", "10000", "--leverage", "10"],
    "ladder-wide": [
        *("ladder", "--side", "short", "--entry", "123456.78", "--contracts", "987654321", "--margin", "12.3456"),
        *("--from", "100000", "--to", "150000", "--steps", "10"),
    ],
    "size": ["size", "--entry", "8000", "--stop", "7600", "--balance", "1", "--risk", "2%"],
    "hedge": ["hedge", "--holding", "1", "--price", "8000"],
    "stress": [
        *("stress", "--side", "long", "--entry", "8000", "--contracts", "10000", "--leverage", "10"),
        *("--move", "-30%", "--move", "20%"),
    ],
    "exchanges": ["exchanges"],
    "exchanges-bitmex": ["exchanges", "bitmex"],
}
WIDTHS = (40, 160)

#: Tables that fold numbers over two lines today: ``(case, width): what is wrong``.
WIDTH_BUGS: dict[tuple[str, int], str] = {}


def xfail_bugs(table: dict[tuple[str, int], str]) -> list[Any]:
    out = []
    for name in CASES:
        for width in WIDTHS:
            marks = []
            if (name, width) in table:
                reason = f"BUG: COLUMNS={width} invfut {shlex.join(CASES[name])}: {table[(name, width)]}"
                marks.append(pytest.mark.xfail(strict=True, reason=reason))
            out.append(pytest.param(name, width, id=f"{name}-{width}", marks=marks))
    return out


# --- running the installed command ----------------------------------------------------------


def environment(**extra: str) -> dict[str, str]:
    """This process's environment (the autouse fixture cleared the colour variables) with ``extra``."""
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR", "TERM", "COLUMNS")}
    env.update(extra)
    return env


def invfut(argv: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    """``invfut ARGV`` as a subprocess, stdout and stderr to pipes."""
    return subprocess.run([str(EXE), *argv], capture_output=True, text=True, env=environment(**env), timeout=60)


@functools.cache
def document(name: str) -> dict[str, Any]:
    run = invfut([*CASES[name], "--json"], COLUMNS="100")
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout, parse_float=Decimal, parse_int=Decimal)


def shown(value: Decimal) -> str:
    """A number as the table writes it: thousands separators, every decimal place."""
    return f"{value:,f}"


def all_numbers(value: Any) -> Iterator[Decimal]:
    if isinstance(value, Decimal):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from all_numbers(item)
    elif isinstance(value, list):
        for item in value:
            yield from all_numbers(item)


def summary_numbers(doc: dict[str, Any]) -> set[str]:
    """The document's top-level numbers with decimals that its table's summary shows: each of
    them, or those the command puts first (the rest are under --explain and in --json)."""
    from invfut_cli.render.table import first_keys

    first = set(first_keys(doc))
    return {
        shown(v)
        for k, v in doc.items()
        if k in first and isinstance(v, Decimal) and v.as_tuple().exponent < 0  # type: ignore[operator]
    }


def row_prices(doc: dict[str, Any]) -> set[str]:
    return {shown(row["price"]) for row in doc.get("rows") or [] if isinstance(row.get("price"), Decimal)}


def contracts(doc: dict[str, Any]) -> dict[str, list[str]]:
    """``exchanges``: each contract's symbol, and its size, tick, lot and maximum leverage."""
    return {
        contract["symbol"]: [shown(contract[k]) for k in ("contract_size_usd", "tick", "lot", "max_leverage")]
        for venue in doc["exchanges"]
        for contract in venue["coins"].values()
    }


def tokens(text: str) -> list[tuple[str, str]]:
    """Every number in ``text`` with the line it is on (an escape code ends a number: a
    number with a code inside it counts as two pieces)."""
    out = []
    for line in text.splitlines():
        plain = ANSI.sub("\0", line)
        out += [(m.group(0), line) for m in NUMBER.finditer(plain)]
    return out


def width_of(line: str) -> int:
    return len(ANSI.sub("", line))


def check_table(name: str, text: str, width: int) -> None:
    """The numbers of the JSON document appear whole; no number is cut; number lines fit."""
    doc = document(name)
    on_lines = {token for token, _ in tokens(text)}
    if doc["command"] == "exchanges":  # each contract's row shows its numbers whole
        for symbol, numbers in contracts(doc).items():
            rows = [line for line in text.splitlines() if re.search(rf"(?<![\w-]){re.escape(symbol)}(?![\w-])", line)]
            assert rows, f"no row for {symbol}\n{text}"
            on_row = {token for token, _ in tokens(rows[0])}
            assert set(numbers) <= on_row, f"{symbol}: {numbers} not all whole on {rows[0]!r}"
        return
    expected = summary_numbers(doc) | row_prices(doc)
    missing = expected - on_lines
    assert not missing, f"not shown whole: {sorted(missing)}\n{text}"
    every = {shown(v) for v in all_numbers(doc)}
    cut = sorted({token for token, _ in tokens(text) if "." in token and token not in every})
    assert not cut, f"numbers that are not the document's (cut?): {cut}\n{text}"
    wide = [line for token, line in tokens(text) if "." in token and width_of(line) > width]
    assert not wide, f"lines wider than {width}: {wide}"


# --- colour -------------------------------------------------------------------------------------------

COLOURLESS = {"piped": {}, "NO_COLOR=1": {"NO_COLOR": "1"}, "TERM=dumb": {"TERM": "dumb"}}


@pytest.mark.parametrize("setting", sorted(COLOURLESS))
@pytest.mark.parametrize("name", sorted(CASES))
def test_no_escape_codes_into_a_pipe(name: str, setting: str) -> None:
    run = invfut(CASES[name], COLUMNS="100", **COLOURLESS[setting])
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() and without_column_note(run.stderr) == ""
    assert "\x1b[" not in run.stdout
    check_table(name, run.stdout, 100)


@pytest.mark.parametrize("name", ["pnl", "ladder", "exchanges"])
def test_no_escape_codes_into_a_file(tmp_path: Path, name: str) -> None:
    target = tmp_path / "out.txt"
    with target.open("w", encoding="utf-8") as out:
        done = subprocess.run(
            [str(EXE), *CASES[name]], stdout=out, stderr=subprocess.PIPE, text=True, env=environment()
        )
    assert done.returncode == 0, done.stderr
    text = target.read_text(encoding="utf-8")
    assert text.strip() and "\x1b[" not in text
    check_table(name, text, 80)


@pytest.mark.parametrize("setting", ["piped", "FORCE_COLOR=1"])
def test_no_escape_codes_in_errors(setting: str) -> None:
    env = {"FORCE_COLOR": "1"} if setting != "piped" else {}
    run = invfut(["pnl", "--side", "long", "--entry", "-5", "--exit", "9000", "--contracts", "10"], **env)
    assert run.returncode == 2 and run.stdout == ""
    assert "\x1b[" not in run.stderr and len(run.stderr.splitlines()) == 1


@pytest.mark.parametrize("name", sorted(CASES))
def test_force_color_keeps_the_text_and_the_numbers(name: str) -> None:
    plain = invfut(CASES[name], COLUMNS="100", NO_COLOR="1")
    coloured = invfut(CASES[name], COLUMNS="100", FORCE_COLOR="1")
    assert coloured.returncode == plain.returncode == 0, coloured.stderr
    # Escape codes only around whole cells: removing them gives the plain text back, and
    # every number is whole in the coloured text itself.
    assert ANSI.sub("", coloured.stdout) == plain.stdout
    check_table(name, coloured.stdout, 100)
    # --json is never coloured.
    as_json = invfut([*CASES[name], "--json"], FORCE_COLOR="1")
    assert "\x1b[" not in as_json.stdout
    assert json.loads(as_json.stdout)["command"] == CASES[name][0]


# --- widths ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "width"), xfail_bugs(WIDTH_BUGS))
def test_table_keeps_numbers_whole(name: str, width: int) -> None:
    run = invfut(CASES[name], COLUMNS=str(width))
    assert run.returncode == 0, run.stderr
    assert "\x1b[" not in run.stdout
    check_table(name, run.stdout, width)


@pytest.mark.parametrize("name", ["ladder", "ladder-wide", "leverage", "hedge", "stress"])
def test_wide_table_shows_every_row_number(name: str) -> None:
    """At 160 columns nothing needs dropping: every row shows all its numbers, whole."""
    doc = document(name)
    run = invfut(CASES[name], COLUMNS="160")
    assert run.returncode == 0, run.stderr
    lines = {token for token, _ in tokens(run.stdout)}
    for row in [*doc["rows"], *doc.get("marks", [])]:
        values = {shown(v) for v in row.values() if isinstance(v, Decimal)}
        assert values <= lines, (row, values - lines)


# --- a real terminal: tmux ---------------------------------------------------------------------------------


#: This test process's name under pytest-xdist (``gw0``, ``gw1``, …), or ``main``.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
#: How long a pane may take to show its command's end: generous, for a loaded machine.
SCREEN_SECONDS = 120


@pytest.fixture(scope="module")
def tmux(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    """A tmux server of our own (its own socket per test process, no config), killed afterwards.

    A session that idles until then keeps the server up between the tests' sessions: a server
    left without sessions exits, and a new session asked for meanwhile fails ("server exited
    unexpectedly")."""
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed: the on-screen check needs a real terminal")
    socket = tmp_path_factory.mktemp("tmux") / f"socket-{WORKER}"
    base = ["tmux", "-S", str(socket), "-f", os.devnull]
    keeper = [*base, "new-session", "-d", "-s", f"keeper-{WORKER}", "exec sleep 86400"]
    subprocess.run(
        [*keeper, ";", "set-option", "-s", "exit-empty", "off"], check=True, env=pane_environment(), timeout=60
    )
    yield base
    subprocess.run([*base, "kill-server"], capture_output=True, check=False)
    socket.unlink(missing_ok=True)


def pane_environment() -> dict[str, str]:
    """The environment of the panes: no ``LINES`` nor ``COLUMNS``, the pane's size is the terminal's."""
    return {k: v for k, v in environment().items() if k != "LINES"}


#: The line the pane prints when the command has ended, with its exit status.
DONE = re.compile(r"^__done__ (\d+)$", re.M)


def screen(tmux: list[str], argv: list[str], width: int, session: str) -> str:
    """Run ``invfut ARGV`` in a detached tmux pane ``width`` columns wide; what is on screen
    once the command has ended (polled until its ``__done__`` line shows, or for at most
    :data:`SCREEN_SECONDS`; then the screen as it is, and the caller's check fails)."""
    session = f"{session}-{WORKER}"
    # The pane stays open after the command (until the session is killed) to be read.
    command = f"{shlex.join([str(EXE), *argv])}; echo __done__ $?; exec sleep {SCREEN_SECONDS * 2}"
    subprocess.run(
        [*tmux, "new-session", "-d", "-s", session, "-x", str(width), "-y", "50", command],
        check=True,
        env=pane_environment(),
        timeout=SCREEN_SECONDS,
    )
    try:
        deadline = time.monotonic() + SCREEN_SECONDS
        captured = ""
        while True:
            run = subprocess.run(
                [*tmux, "capture-pane", "-p", "-S", "-300", "-t", session],
                capture_output=True,
                text=True,
                check=False,
                timeout=SCREEN_SECONDS,
            )
            if run.returncode == 0:
                captured = run.stdout
                if DONE.search(captured):
                    return captured
            if time.monotonic() > deadline:
                return captured + f"\n(not ended after {SCREEN_SECONDS} s; capture-pane: {run.stderr.strip()})"
            time.sleep(0.1)
    finally:
        subprocess.run([*tmux, "kill-session", "-t", session], capture_output=True, check=False)


TMUX_CASES = ["pnl", "liq-cross", "leverage", "ladder", "ladder-wide", "hedge", "stress", "exchanges"]


@pytest.mark.parametrize(("name", "width"), [p for p in xfail_bugs(WIDTH_BUGS) if p.values[0] in TMUX_CASES])
def test_on_screen_in_tmux(tmux: list[str], name: str, width: int) -> None:
    text = screen(tmux, CASES[name], width, f"{name}-{width}")
    assert "__done__ 0" in text, text
    assert "Traceback" not in text
    check_table(name, text.split("__done__")[0], width)
