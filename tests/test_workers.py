"""Long outputs shared among processes: the same bytes as one process writes, in order."""

from __future__ import annotations

import itertools
import os
import re
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import interruptible, without_column_note
from hypothesis import given, settings
from hypothesis import strategies as st

from invfut_cli import workers
from invfut_cli.exitcodes import ExitCode
from invfut_cli.render.flat import PARALLEL_ROWS

INVFUT = [sys.executable, "-m", "invfut_cli"]
D = Decimal

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="workers are forked")


def ladder_doc(values: dict[str, Any]) -> dict[str, Any]:
    from invfut_cli.app import load_commands
    from invfut_cli.commands.ladder import run as run_ladder

    load_commands("ladder")
    return run_ladder(**values)


GRIDS = st.one_of(
    st.builds(
        lambda lo, width, steps: {"from": D(lo), "to": D(lo) + D(width), "steps": steps},
        st.integers(1, 20000),
        st.sampled_from(["0.0001", "0.37", "1", "250", "10000"]),
        st.integers(1, 400),
    ),
    st.builds(
        lambda lo, step, count: {"from": D(lo), "to": D(lo) + D(step) * count, "step": D(step)},
        st.integers(1, 20000),
        st.sampled_from(["0.5", "1", "3.7", "100"]),
        st.integers(1, 300),
    ),
    st.builds(
        lambda pct, pct_step: {"pct": D(pct), "pct_step": D(pct_step)},
        st.sampled_from(["1", "20", "50", "99"]),
        st.sampled_from(["0.1", "0.25", "1", "7"]),
    ).filter(lambda grid: grid["pct_step"] <= grid["pct"]),
)


@given(
    grid=GRIDS,
    side=st.sampled_from(["long", "short"]),
    leverage=st.sampled_from([None, "1", "3", "25"]),
    cuts=st.lists(st.integers(0, 10_000), max_size=6),
)
@settings(max_examples=60, deadline=None)
def test_windows_side_by_side_are_the_whole_ladder(
    grid: dict[str, Any], side: str, leverage: str | None, cuts: list[int]
) -> None:
    """Rows of any windows laid side by side equal the rows of one pass (step PnL, marks and
    the prices rounding merges included)."""
    values = {"side": side, "entry": D("8000.5"), "contracts": D(1000), **grid}
    if leverage:
        values["leverage"] = D(leverage)
    rows = ladder_doc(values)["rows"]
    whole = list(rows)
    points = rows.points
    edges = sorted({points.start, points.stop, *(points.start + c % (len(points) + 1) for c in cuts)})
    pieces = [list(rows.window(range(a, b))) for a, b in itertools.pairwise(edges)]
    assert [row for piece in pieces for row in piece] == whole
    assert len(whole) <= len(points)
    prices = [row["price"] for row in whole]
    assert prices == sorted(set(prices))


def ladder(fmt: str, *extra: str, workers_env: str) -> subprocess.CompletedProcess[bytes]:
    cmd = [*INVFUT, "ladder", "--side", "short", "--entry", "8000.5", "--contracts", "1000", *extra, "--format", fmt]
    env = {**os.environ, "INVFUT_WORKERS": workers_env}
    return subprocess.run(cmd, capture_output=True, env=env, timeout=300)


@pytest.mark.parametrize("fmt", ["csv", "ndjson"])
@pytest.mark.parametrize(
    "grid",
    [
        # marks (entry, break-even, liquidation, bankruptcy) inside a long grid
        ("--leverage", "5", "--from", "4000", "--to", "12000", "--steps", str(PARALLEL_ROWS + 17)),
        # a grid finer than 8 places: rounding merges neighbours, across the chunks too
        ("--balance", "0.3", "--from", "1", "--to", "1.0001", "--steps", str(PARALLEL_ROWS + 3)),
    ],
)
def test_workers_write_what_one_process_writes(fmt: str, grid: tuple[str, ...]) -> None:
    one = ladder(fmt, *grid, workers_env="1")
    many = ladder(fmt, *grid, workers_env="3")
    assert one.returncode == many.returncode == 0, (one.stderr, many.stderr)
    assert many.stderr == b""
    assert many.stdout == one.stdout
    assert one.stdout.count(b"\n") > 1000


def render_range(part: range) -> str:
    return "".join(f"{k}\n" for k in part)


@pytest.mark.parametrize("count", ["2", "3", "5"])
def test_write_ordered_keeps_the_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count: str) -> None:
    monkeypatch.setenv(workers.WORKERS_ENV, count)
    tasks = workers.chunks(range(10_007), 999)
    with (tmp_path / "out").open("w") as out:
        out.write("header\n")
        workers.write_ordered(tasks, render_range, out)
    assert (tmp_path / "out").read_text() == "header\n" + render_range(range(10_007))


def failing(part: range) -> str:
    if part.start >= 3000:
        raise ValueError(f"cannot render {part.start}")
    return render_range(part)


def test_a_failing_worker_is_reported_and_nothing_hangs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(workers.WORKERS_ENV, "2")
    start = time.perf_counter()
    with (
        (tmp_path / "out").open("w") as out,
        pytest.raises(workers.WorkerError, match="ValueError: cannot render 3000"),
    ):
        workers.write_ordered(workers.chunks(range(10_000), 1000), failing, out)
    assert time.perf_counter() - start < 60
    assert (tmp_path / "out").read_text() == render_range(range(3000))


def test_worker_count_follows_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(workers.WORKERS_ENV, "3")
    assert workers.count() == 3
    monkeypatch.setenv(workers.WORKERS_ENV, "1000")
    assert workers.count() == workers.MAX_WORKERS
    for off in ("1", "0", "many"):
        monkeypatch.setenv(workers.WORKERS_ENV, off)
        assert workers.count() == 1


def long_ladder() -> list[str]:
    return [*INVFUT, "ladder", "--side", "long", "--entry", "50000", "--contracts", "100000", "--leverage", "10",
            "--from", "10000", "--to", "110000", "--steps", "2000000", "--format", "csv"]  # fmt: skip


def test_head_closes_a_parallel_ladder_quietly() -> None:
    shell = f"{' '.join(long_ladder())} | head -3; exit ${{PIPESTATUS[0]}}"
    start = time.perf_counter()
    out = subprocess.run(
        ["bash", "-c", shell], capture_output=True, timeout=300, env={**os.environ, "INVFUT_WORKERS": "2"}
    )
    assert out.returncode == 0 and out.stderr == b""
    assert len(out.stdout.splitlines()) == 3
    assert time.perf_counter() - start < 60


@pytest.mark.skipif(os.name != "posix", reason="signals")
def test_ctrl_c_stops_every_worker(tmp_path: Path) -> None:
    with (tmp_path / "out").open("wb") as sink:
        proc = subprocess.Popen(
            long_ladder(),
            stdout=sink,
            stderr=subprocess.PIPE,
            start_new_session=True,
            env={**os.environ, "INVFUT_WORKERS": "2"},
            preexec_fn=interruptible,
        )
        deadline = time.monotonic() + 60
        while (tmp_path / "out").stat().st_size < 100_000 and time.monotonic() < deadline:
            time.sleep(0.05)
        os.killpg(proc.pid, signal.SIGINT)  # as a terminal's Ctrl-C reaches the whole group
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == ExitCode.INTERRUPTED
    assert b"Traceback" not in err
    with pytest.raises(ProcessLookupError):
        os.killpg(proc.pid, 0)  # no worker is left running


LONG_LADDER = "ladder --side long --entry 8000 --contracts 1000 --leverage 10 --from 1000 --to 20000 --steps 100000"
LONG_DRIFT = "leverage --entry 8000 --contracts 1000 --leverage 5 --from 1000 --to 20000 --step 10"


@pytest.mark.parametrize(
    ("args", "count", "marked"),
    [(tuple(LONG_LADDER.split()), "100,001", True), (tuple(LONG_DRIFT.split()), "1,901", False)],
)
def test_a_long_grid_table_points_to_the_full_data(cli: Any, args: tuple[str, ...], count: str, marked: bool) -> None:
    """A table draws at most TABLE_ROWS grid rows; past that it says how to get them all."""
    from invfut_cli.render.table import TABLE_ROWS

    run = cli(*args)
    assert run.exit_code == 0
    assert len(run.stdout.splitlines()) < 60  # the summary (and the marked rows), not the grid
    (hint,) = without_column_note(run.stderr).splitlines()
    assert f"{count} rows are more than a table shows ({TABLE_ROWS} at most)" in hint
    assert "--format csv" in hint and "--format ndjson" in hint
    # The ladder draws its marked rows (a price, then the mark's name); leverage has none.
    mark_rows = [line for line in run.stdout.splitlines() if re.search(r"\d\s+(liquidation|bankruptcy)\b", line)]
    assert bool(mark_rows) is marked
    full = cli(*args, "--format", "csv")
    assert len(full.stdout.splitlines()) == int(count.replace(",", "")) + 1  # the header and every row


def test_a_table_of_the_limit_is_drawn_whole(cli: Any) -> None:
    from invfut_cli.render.table import TABLE_ROWS

    run = cli("ladder", "--side", "long", "--entry", "8000", "--contracts", "1000",
              "--from", "1000", "--to", "20000", "--steps", str(TABLE_ROWS - 1))  # fmt: skip
    assert run.exit_code == 0 and run.stderr == ""
    assert len(run.stdout.splitlines()) > TABLE_ROWS


def numbered_blocks(count: int, size: int) -> list[tuple[int, bytes]]:
    """``count`` lines ``"k"`` in blocks of ``size``, each with its first line's number."""
    return [
        (first, "".join(f"{k}\n" for k in range(first, min(first + size, count + 1))).encode())
        for first in range(1, count + 1, size)
    ]


def echo_block(first: int, data: bytes) -> tuple[str, int]:
    """The block's lines doubled, flag 1 where a line number is a multiple of 1000."""
    numbers = [int(line) for line in data.split()]
    return "".join(f"{n},{2 * n}\n" for n in numbers), int(any(n % 1000 == 0 for n in numbers))


@pytest.mark.parametrize(("count", "size"), [("2", 7), ("3", 100), ("5", 1)])
def test_stream_ordered_keeps_the_order_and_gathers_the_flags(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count: str, size: int
) -> None:
    monkeypatch.setenv(workers.WORKERS_ENV, count)
    with (tmp_path / "out").open("w") as out:
        out.write("header\n")
        flags = workers.stream_ordered(iter(numbered_blocks(2_500, size)), echo_block, out)
    assert (tmp_path / "out").read_text() == "header\n" + "".join(f"{n},{2 * n}\n" for n in range(1, 2_501))
    assert flags == 1
    with (tmp_path / "none").open("w") as out:
        assert workers.stream_ordered(iter(numbered_blocks(999, size)), echo_block, out) == 0


def failing_block(first: int, data: bytes) -> tuple[str, int]:
    if first > 300:
        raise ValueError(f"cannot answer line {first}")
    return echo_block(first, data)


def test_a_failing_stream_worker_is_reported_and_nothing_hangs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(workers.WORKERS_ENV, "2")
    start = time.perf_counter()
    with (
        (tmp_path / "out").open("w") as out,
        pytest.raises(workers.WorkerError, match="ValueError: cannot answer line 301"),
    ):
        workers.stream_ordered(iter(numbered_blocks(2_000, 100)), failing_block, out)
    assert time.perf_counter() - start < 60
    assert (tmp_path / "out").read_text() == "".join(f"{n},{2 * n}\n" for n in range(1, 301))
