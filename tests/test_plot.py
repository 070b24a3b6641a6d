"""``ladder --plot`` and ``--plot-file``: the chart of coin and USD PnL against the price.

The terminal chart fits 80 and 120 columns, names every marked price with the document's
own number, and writes no escape code into a pipe (nor with ``NO_COLOR`` or ``TERM=dumb``);
the image is an SVG document with the marks' labels; a bad value of either option is one
stderr line naming it, exit 2; and no other output loads a plotting library.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from invfut_cli.exitcodes import ExitCode
from invfut_cli.render import plot

EXE = Path(sys.executable).with_name("invfut")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
SVG = "{http://www.w3.org/2000/svg}"

LONG = ("ladder", "--side", "long", "--entry", "8000", "--contracts", "10000", "--leverage", "10")
SHORT_FEES = (
    *("ladder", "--side", "short", "--entry", "8000", "--contracts", "10000", "--leverage", "5"),
    *("--exchange", "bybit", "--entry-fee", "taker", "--exit-fee", "taker"),
)
#: A 1× short on the mark basis: no liquidation and no bankruptcy price.
NO_LIQUIDATION = (
    *("ladder", "--side", "short", "--entry", "8000", "--contracts", "8000", "--leverage", "1"),
    *("--mm-basis", "mark"),
)
#: A 2× long: its liquidation price lies below the grid.
OFF_GRID = ("ladder", "--side", "long", "--entry", "8000", "--contracts", "10000", "--leverage", "2", "--pct", "20")
MARK_NAMES = ("entry", "break-even", "liquidation", "bankruptcy")


def marked(doc: dict[str, Any]) -> dict[str, Decimal]:
    """The document's marked prices that have a price, by mark name."""
    keys = {"entry": "average_entry", "break-even": "break_even_price"}
    return {
        name: doc[keys.get(name, f"{name}_price")]
        for name in MARK_NAMES
        if doc[keys.get(name, f"{name}_price")] is not None
    }


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR", "TERM", "COLUMNS")}
    return {**env, **extra}


def invfut(*argv: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The installed ``invfut`` as a subprocess, its stdout a pipe."""
    return subprocess.run([str(EXE), *argv], capture_output=True, text=True, env=environment(**env), timeout=60)


# --- the terminal chart ------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize(
    "args", [LONG, SHORT_FEES, NO_LIQUIDATION, OFF_GRID], ids=["long", "short-fees", "no-liquidation", "off-grid"]
)
def test_plot_fits_the_terminal_and_names_the_marks(
    cli: Any, monkeypatch: pytest.MonkeyPatch, width: int, args: tuple[str, ...]
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    doc = cli(*args, "--json").json()
    run = cli(*args, "--plot")
    assert run.exit_code == 0 and run.stderr == ""
    lines = run.stdout.splitlines()
    assert "\x1b[" not in run.stdout
    # The chart fits (a note after it is one line, for the terminal to wrap).
    chart = run.stdout[run.stdout.index("Marked:") : run.stdout.rindex("(USD)")].splitlines()
    assert max(len(line.rstrip()) for line in chart) <= width
    # The summary comes first, then the chart in place of the row table.
    assert lines[0].startswith("ladder ")
    assert "(PnL BTC)" in run.stdout and "(PnL USD)" in run.stdout
    assert "Step BTC" not in run.stdout
    key = run.stdout[run.stdout.index("Marked:") : run.stdout.index("(PnL BTC)")]
    for name, price in marked(doc).items():
        assert re.search(rf"[EBLX] {name} {re.escape(f'{price:,f}')}(\s|$)", key), (name, key)
    for name in set(MARK_NAMES) - set(marked(doc)):
        assert name not in key
    prices = [row["price"] for row in doc["rows"]]
    off = {name for name, price in marked(doc).items() if not min(prices) <= price <= max(prices)}
    assert {
        name for name in MARK_NAMES if f"{name} " in key and "(off the chart)" in key.split(f"{name} ")[1][:40]
    } == off
    assert ("Beyond L" in key) == ("liquidation" in set(marked(doc)) - off)


def test_wider_terminal_wider_chart(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    widths = {}
    for columns in (80, 120):
        monkeypatch.setenv("COLUMNS", str(columns))
        widths[columns] = max(len(line.rstrip()) for line in cli(*LONG, "--plot").stdout.splitlines())
    assert widths[80] <= 80 < widths[120] <= 120


def test_marks_are_lettered_over_their_lines() -> None:
    doc = {
        "command": "ladder",
        "coin": "BTC",
        "rows": [
            {"price": Decimal(p), "pnl": Decimal(p) / 1000 - 8, "pnl_usd": Decimal(p) - 8000}
            for p in range(4000, 12001, 500)
        ],
        "marks": [],
        "average_entry": Decimal(8000),
        "break_even_price": Decimal(8000),
        "liquidation_price": Decimal("5000.5"),
        "bankruptcy_price": None,
    }
    text = plot.terminal(doc, 80, colour=False)
    top = next(line for line in text.splitlines() if "E/B" in line)
    assert "L" in top.replace("E/B", "")
    # One letter label per line of marks: E and B share a price, hence a line.
    assert text.count("E/B") == 1


def test_plot_is_a_table_format(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """``--format table`` goes with ``--plot``, and ``--plot`` wins over a configured format."""
    from invfut_cli import config

    assert "(PnL USD)" in cli(*LONG, "--plot", "--format", "table").stdout
    monkeypatch.setenv("INVFUT_FORMAT", "json")
    config.settings.cache_clear()
    assert cli(*LONG).stdout.startswith("{")
    assert "(PnL USD)" in cli(*LONG, "--plot").stdout


def test_plot_explain_and_notes_follow_the_chart(cli: Any) -> None:
    run = cli(*NO_LIQUIDATION, "--plot", "--explain")
    assert run.exit_code == 0
    chart_end = run.stdout.rindex("(USD)")
    assert run.stdout.index("No liquidation price") > chart_end


def test_long_grid_is_sampled(cli: Any) -> None:
    run = cli(*LONG, "--from", "4000", "--to", "12000", "--steps", "200000", "--plot")
    assert run.exit_code == 0 and run.stderr == ""
    assert f"Drawn through {plot.POINTS:,} of the 200,001 grid prices." in run.stdout


@pytest.mark.parametrize("setting", [{}, {"NO_COLOR": "1"}, {"TERM": "dumb"}], ids=["piped", "NO_COLOR", "TERM=dumb"])
def test_no_escape_codes_into_a_pipe(setting: dict[str, str]) -> None:
    run = invfut(*LONG, "--plot", **setting)
    assert run.returncode == 0, run.stderr
    assert "(PnL USD)" in run.stdout and "\x1b[" not in run.stdout
    # A pipe is 80 columns wide.
    assert max(len(line) for line in run.stdout.splitlines()) <= 80


def test_forced_colour_keeps_the_text() -> None:
    plain = invfut(*LONG, "--plot", COLUMNS="100", NO_COLOR="1")
    coloured = invfut(*LONG, "--plot", COLUMNS="100", FORCE_COLOR="1")
    assert plain.returncode == coloured.returncode == 0
    assert "\x1b[" in coloured.stdout
    assert [line.rstrip() for line in ANSI.sub("", coloured.stdout).splitlines()] == [
        line.rstrip() for line in plain.stdout.splitlines()
    ]


@pytest.mark.parametrize("width", [80, 120])
def test_on_a_real_terminal(tmp_path: Path, width: int) -> None:
    """In a tmux pane: the chart fits the pane and is coloured (a terminal wants colour)."""
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed: the on-screen check needs a real terminal")
    base = ["tmux", "-S", str(tmp_path / "socket"), "-f", os.devnull]
    env = {k: v for k, v in environment().items() if k != "LINES"}
    command = f"{shlex.join([str(EXE), *LONG, '--plot'])}; echo __done__ $?; sleep 30"
    subprocess.run(
        [*base, "new-session", "-d", "-s", "plot", "-x", str(width), "-y", "80", command], check=True, env=env
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            screen = subprocess.run(
                [*base, "capture-pane", "-p", "-e", "-S", "-200", "-t", "plot"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            if "__done__" in screen or time.monotonic() > deadline:
                break
            time.sleep(0.2)
    finally:
        subprocess.run([*base, "kill-server"], capture_output=True, check=False)
    assert "__done__ 0" in screen, screen
    plain = ANSI.sub("", screen.split("__done__")[0])
    assert "(PnL BTC)" in plain and "(PnL USD)" in plain and "Traceback" not in plain
    assert max(len(line.rstrip()) for line in plain.splitlines()) <= width
    assert "\x1b[3" in screen  # a foreground colour


# --- numbers on the axes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "step", "chars", "expected"),
    [
        (8000.0, 1400.0, 9, "8,000"),
        (-0.25, 0.25, 10, "-0.25"),
        (-0.0000001, 0.2, 10, "0.0"),
        (0.00012, 0.00001, 10, "0.00012"),
        (123456789.0, 1.0, 9, "123456789"),
        (1234567890.0, 10.0, 9, "1.23B"),
        (-98765432100.0, 1e9, 9, "-98.77B"),
    ],
)
def test_tick_labels_fit(value: float, step: float, chars: int, expected: str) -> None:
    assert plot.tick(value, step, chars) == expected
    assert len(plot.tick(value, step, chars)) <= chars


@pytest.mark.parametrize(("low", "high"), [(-1.25, 0.42), (0.0, 0.6), (-5000.0, 0.0), (-1e-7, 3e-7), (7.0, 7.0)])
def test_nice_axis_covers_the_values_with_zero_a_tick(low: float, high: float) -> None:
    start, step = plot.nice_axis(min(low, 0.0), max(high, 0.0), 10)
    assert start <= min(low, 0.0) and start + 10 * step >= high
    assert abs(start / step - round(start / step)) < 1e-6


# --- the image ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("args", [LONG, SHORT_FEES], ids=["long", "short-fees"])
def test_plot_file_writes_an_svg_with_the_marks(cli: Any, tmp_path: Path, args: tuple[str, ...]) -> None:
    target = tmp_path / "chart.svg"
    plain = cli(*args, "--json")
    run = cli(*args, "--json", "--plot-file", str(target))
    assert run.exit_code == 0 and run.stderr == ""
    # stdout keeps the normal output.
    assert run.json() == plain.json()
    root = ET.parse(target).getroot()
    assert root.tag == f"{SVG}svg"
    texts = {element.text for element in root.iter(f"{SVG}text") if element.text}
    doc = plain.json()
    for name, price in marked(doc).items():
        assert name in texts
        assert f"{name} {price:,f}" in texts
    off_grid = cli(*OFF_GRID, "--plot-file", str(target))
    assert off_grid.exit_code == 0
    texts = {element.text for element in ET.parse(target).getroot().iter(f"{SVG}text") if element.text}
    assert {"entry", "liquidation 5,351.18 (off the chart)"} <= texts and "liquidation" not in texts
    assert {"PnL BTC (left axis)", "PnL USD (right axis)", "Price (USD)"} <= texts
    # Nothing to fetch: no script or style from elsewhere.
    assert not [e for e in root.iter() if any(k.endswith(("href", "src")) and "//" in v for k, v in e.attrib.items())]


def test_plot_file_with_the_chart_and_a_table(cli: Any, tmp_path: Path) -> None:
    target = tmp_path / "CHART.SVG"
    run = cli(*LONG, "--plot", "--plot-file", str(target))
    assert run.exit_code == 0 and "(PnL USD)" in run.stdout
    assert ET.parse(target).getroot().tag == f"{SVG}svg"
    table = cli(*LONG, "--format", "csv", "--plot-file", str(target))
    assert table.exit_code == 0 and table.stdout.startswith("price,pnl,")


# --- bad input ---------------------------------------------------------------------------------------------

BAD: list[tuple[tuple[str, ...], str, str]] = [
    (("--plot", "--json"), "--plot", "--plot-file FILE.svg"),
    (("--plot", "--format", "csv"), "--plot", "--format csv"),
    (("--plot", "--format", "ndjson"), "--plot", "--format ndjson"),
    (("--plot=yes",), "--plot", "does not take a value"),
    (("--plot-file", "chart.png"), "--plot-file", ".svg"),
    (("--plot-file", "chart"), "--plot-file", ".svg"),
    (("--plot-file", "{tmp}/no/such/folder/chart.svg"), "--plot-file", "no folder"),
    (("--plot-file", "{tmp}/a-file.txt/chart.svg"), "--plot-file", "no folder"),
    (("--plot-file", "{tmp}/folder.svg"), "--plot-file", "directory"),
    (("--plot-file",), "--plot-file", "requires an argument"),
]


@pytest.mark.parametrize(("extra", "option", "words"), BAD, ids=[" ".join(b[0]) for b in BAD])
def test_bad_plot_options(cli: Any, tmp_path: Path, extra: tuple[str, ...], option: str, words: str) -> None:
    (tmp_path / "a-file.txt").write_text("")
    (tmp_path / "folder.svg").mkdir()
    argv = [word.replace("{tmp}", str(tmp_path)) for word in extra]
    run = cli(*LONG, *argv)
    assert run.exit_code == ExitCode.USAGE
    assert run.stdout == ""
    assert len(run.stderr.splitlines()) == 1
    if "--json" in argv or "ndjson" in argv:  # the error is JSON too
        error = json.loads(run.stderr)["error"]
        assert error["option"] == option and words in error["message"]
        return
    assert run.stderr.startswith("invfut ladder: error: ") and option in run.stderr and words in run.stderr
    if "--plot=yes" in argv or argv == ["--plot-file"]:
        return
    as_json = cli(*LONG, *argv, "--json") if "--format" not in argv else None
    if as_json is not None:
        assert as_json.exit_code == ExitCode.USAGE and as_json.stdout == ""
        assert json.loads(as_json.stderr)["error"]["option"] == option
    assert not list(tmp_path.rglob("chart*"))


def test_a_failed_write_is_one_line_and_leaves_stdout_empty(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(self: Path, *args: Any, **kwargs: Any) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "write_text", refuse)
    run = cli(*LONG, "--plot-file", str(tmp_path / "chart.svg"))
    assert run.exit_code == ExitCode.USAGE and run.stdout == ""
    assert run.stderr.splitlines() == [
        f"invfut ladder: error: --plot-file: cannot write '{tmp_path / 'chart.svg'}': Permission denied"
    ]


# --- nothing else loads a plotting library -----------------------------------------------------------------

PLOTTING = ("plotille", "pygal", "invfut_cli.render.plot")


def loaded_by(*argv: str) -> list[str]:
    """The plotting modules in ``sys.modules`` after ``invfut ARGV`` ran in a fresh interpreter."""
    code = (
        "import sys\n"
        f"sys.argv = ['invfut', *{list(argv)!r}]\n"
        "from invfut_cli.app import main\n"
        "try:\n    main()\n"
        "except SystemExit:\n    pass\n"
        f"sys.stderr.write(repr(sorted(m for m in sys.modules if m.split('.')[0] in {PLOTTING[:2]!r} "
        f"or m == {PLOTTING[2]!r})))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=environment())
    return eval(run.stderr.splitlines()[-1])  # a list literal of module names


@pytest.mark.parametrize("output", [("--json",), ("--format", "csv"), ()], ids=["json", "csv", "table"])
def test_other_outputs_load_no_plotting_library(output: tuple[str, ...]) -> None:
    assert loaded_by(*LONG, *output) == []


def test_the_terminal_chart_loads_plotille_only() -> None:
    loaded = loaded_by(*LONG, "--plot")
    assert "plotille" in loaded and "invfut_cli.render.plot" in loaded
    assert not [m for m in loaded if m.startswith("pygal")]
