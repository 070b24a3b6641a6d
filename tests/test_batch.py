"""``invfut batch``: one result line per input line, the same numbers as the commands."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import interruptible
from hypothesis import given, settings
from hypothesis import strategies as st

from invfut_cli.exitcodes import ExitCode

INVFUT = [sys.executable, "-m", "invfut_cli"]

REQUESTS: list[tuple[dict[str, Any], list[str]]] = [
    (
        {"command": "pnl", "side": "long", "entry": 8000, "exit": 9000, "contracts": 10000, "leverage": 10},
        ["pnl", "--side", "long", "--entry", "8000", "--exit", "9000", "--contracts", "10000", "--leverage", "10"],
    ),
    (
        {
            "command": "liq-price",
            "exchange": "bybit",
            "side": "long",
            "entry": 8000,
            "contracts": 10000,
            "balance": "0.5",
        },
        [
            "liq-price",
            "--exchange",
            "bybit",
            "--side",
            "long",
            "--entry",
            "8000",
            "--contracts",
            "10000",
            "--balance",
            "0.5",
        ],
    ),
    (
        {
            "command": "ladder",
            "side": "long",
            "entry": 200,
            "contracts": 4,
            "contract-size": 50,
            "from": 200,
            "to": 500,
            "step": 100,
        },
        [
            "ladder",
            "--side",
            "long",
            "--entry",
            "200",
            "--contracts",
            "4",
            "--contract-size",
            "50",
            "--from",
            "200",
            "--to",
            "500",
            "--step",
            "100",
        ],
    ),
    (
        {"command": "leverage", "entry": 8000, "contracts": 10000, "leverage": 10, "pct": 20, "pct_step": 5},
        ["leverage", "--entry", "8000", "--contracts", "10000", "--leverage", "10", "--pct", "20", "--pct-step", "5"],
    ),
    (
        {
            "command": "pnl",
            "side": "short",
            "fill": ["1000@5000", "2000@6000"],
            "target_roe": "25%",
            "leverage": 5,
            "entry_fee": "taker",
            "explain": True,
        },
        [
            "pnl",
            "--side",
            "short",
            "--fill",
            "1000@5000",
            "--fill",
            "2000@6000",
            "--target-roe",
            "25%",
            "--leverage",
            "5",
            "--entry-fee",
            "taker",
            "--explain",
        ],
    ),
]


def run_batch(lines: list[str] | bytes) -> subprocess.CompletedProcess[bytes]:
    data = lines if isinstance(lines, bytes) else ("\n".join(lines) + "\n").encode()
    return subprocess.run([*INVFUT, "batch"], input=data, capture_output=True, timeout=120)


def test_batch_equals_the_commands(cli: Any) -> None:
    out = run_batch([json.dumps(r) for r, _ in REQUESTS])
    assert out.returncode == 0, out.stderr
    results = [json.loads(line, parse_float=Decimal) for line in out.stdout.decode().splitlines()]
    assert len(results) == len(REQUESTS)
    for result, (_, args) in zip(results, REQUESTS, strict=True):
        assert result == cli(*args, "--json").json()


def test_errors_are_records_and_the_run_goes_on() -> None:
    lines = [
        json.dumps({"command": "pnl", "side": "long", "entry": -1, "exit": 9000, "contracts": 10}),
        "",
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"command": "nope"}),
        json.dumps({"command": "pnl", "side": "long", "entry": 8000, "exit": 9000, "contracts": 10, "bogus": 1}),
        json.dumps({"side": "long"}),
        json.dumps({"command": "pnl", "side": "long", "entry": 8000, "exit": 9000, "contracts": 10}),
    ]
    out = run_batch(lines)
    assert out.returncode == ExitCode.BATCH_ERRORS
    records = [json.loads(line) for line in out.stdout.decode().splitlines()]
    assert len(records) == len(lines)
    for number, record in enumerate(records[:-1], 1):
        assert record["line"] == number and record["error"]["message"], record
    assert records[0]["error"]["option"] == "--entry"
    assert records[5]["error"]["option"] == "--bogus"
    assert records[-1]["command"] == "pnl"
    assert out.stderr == b""


def test_bad_bytes_and_long_lines() -> None:
    good = json.dumps({"command": "pnl", "side": "long", "entry": 8000, "exit": 9000, "contracts": 10}).encode()
    data = b"\n".join([b"\xff\xfe{}", b"x" * (10 * 1024 * 1024), good, b"  ", b"\r"]) + b"\n"
    out = run_batch(data)
    records = [json.loads(line) for line in out.stdout.decode().splitlines()]
    assert len(records) == 5
    assert "UTF-8" in records[0]["error"]["message"]
    assert "longer" in records[1]["error"]["message"]
    assert records[2]["command"] == "pnl"
    assert out.returncode == ExitCode.BATCH_ERRORS


@given(st.lists(st.one_of(st.text(max_size=40), st.just('{"command": "pnl"}'), st.just("{}")), max_size=12))
@settings(max_examples=30, deadline=None)
def test_one_output_line_per_input_line(lines: list[str]) -> None:
    """Whatever the input, the count of output lines equals the count of input lines."""
    from io import BytesIO, StringIO

    from invfut_cli.batchrun import run

    flat = [line.replace("\n", " ").replace("\r", " ") for line in lines]
    source = BytesIO("".join(line + "\n" for line in flat).encode("utf-8", "surrogatepass"))
    out = StringIO()
    run(source, out)
    assert len(out.getvalue().splitlines()) == len(flat)


def test_streams_before_the_input_ends() -> None:
    """The first result is out while the writer still holds the input open (it sleeps 4 s)."""
    request = json.dumps({"command": "pnl", "side": "long", "entry": 8000, "exit": 9000, "contracts": 10})
    shell = (
        f"start=$(date +%s%N); {{ printf '%s\\n' '{request}'; sleep 4; printf '%s\\n' '{request}'; }} "
        f"| {' '.join(INVFUT)} batch | {{ IFS= read -r first; echo $(( ($(date +%s%N) - start) / 1000000 )); "
        'echo "$first"; cat >/dev/null; }'
    )
    out = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, timeout=120)
    elapsed_ms, first = out.stdout.splitlines()[:2]
    assert json.loads(first)["command"] == "pnl"
    assert int(elapsed_ms) < 4000, elapsed_ms


@pytest.mark.skipif(os.name != "posix", reason="signals")
def test_ctrl_c_exits_130_quietly(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [*INVFUT, "batch"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=interruptible,
    )
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(
        json.dumps({"command": "pnl", "side": "long", "entry": 8000, "exit": 9000, "contracts": 10}).encode() + b"\n"
    )
    proc.stdin.flush()
    proc.stdout.readline()
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == ExitCode.INTERRUPTED
    assert b"Traceback" not in err


def test_closed_pipe_is_quiet() -> None:
    request = json.dumps(
        {"command": "ladder", "side": "long", "entry": 8000, "contracts": 10, "from": 1000, "to": 100000, "step": 1}
    )
    shell = f"printf '%s\\n' '{request}' '{request}' | {' '.join(INVFUT)} batch | head -c 10; exit ${{PIPESTATUS[1]}}"
    start = time.perf_counter()
    out = subprocess.run(["bash", "-c", shell], capture_output=True, timeout=300)
    assert b"Traceback" not in out.stderr and out.stderr == b""
    assert out.returncode == 0
    assert time.perf_counter() - start < 300


# --- many workers, one answer -------------------------------------------------------------

PNL = {"command": "pnl", "side": "long", "entry": 8000, "exit": 9000, "contracts": 10000, "leverage": 10}
#: A liq-price line whose document raises the alert: the mark is 1.3% from the liquidation price.
ALERTING = {"command": "liq-price", "side": "long", "entry": 8000, "contracts": 10000, "leverage": 50,
            "mark": 7950, "fail_within": 5}  # fmt: skip
QUIET = {**ALERTING, "mark": 9000}


def request_lines(count: int, seed: int, *, errors: bool) -> bytes:
    """``count`` varied request lines; with ``errors``, every kind of bad line among them too."""
    import random

    rng = random.Random(seed)
    lines: list[bytes] = []
    for number in range(count):
        side = rng.choice(["long", "short"])
        entry, exit_ = rng.randint(1000, 90000), Decimal(rng.randint(100000, 9000000)) / 100
        if number % 3 == 0:
            request: dict[str, Any] = {"command": "liq-price", "side": side, "entry": entry,
                                       "contracts": rng.randint(1, 10**6), "leverage": rng.randint(1, 100),
                                       "mm_basis": rng.choice(["entry", "mark"])}  # fmt: skip
        else:
            request = {"command": "pnl", "side": side, "entry": entry, "exit": str(exit_),
                       "contracts": rng.randint(1, 10**6), "leverage": rng.randint(1, 100)}  # fmt: skip
            if number % 2:
                request["entry_fee"], request["exit_fee"] = "taker", "maker"
        lines.append(json.dumps(request).encode())
    if errors:
        bad = [b"", b"{not json", b'{"command": "nope"}', b"\xff\xfe{}", b"   \r", b"[1, 2]",
               json.dumps({**PNL, "entry": -5}).encode(), json.dumps({**PNL, "bogus": 1}).encode(),
               b"x" * 20_000]  # fmt: skip
        for at in range(5, len(lines), 37):
            lines.insert(at, bad[at % len(bad)])
        lines[7] += b"\r"  # a CRLF line
    return b"\n".join(lines)  # and no newline after the last line


def batch_in_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: bytes, workers: int, offset: int = 0
) -> tuple[bytes, int]:
    """``run`` on ``data`` with ``workers`` forked workers from the first few lines on, and small
    reads (many blocks, so the turn goes round the ring many times)."""
    from invfut_cli import batchrun

    monkeypatch.setenv("INVFUT_WORKERS", str(workers))
    monkeypatch.setattr(batchrun, "PARALLEL_LINES", 20)
    monkeypatch.setattr(batchrun, "READ_BYTES", 4096)
    source, target = tmp_path / "in.ndjson", tmp_path / f"out-{workers}.ndjson"
    source.write_bytes(data)
    with source.open("rb") as src, target.open("w") as out:
        code = batchrun.run(src, out, offset)
    return target.read_bytes(), int(code)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="workers are forked")
@pytest.mark.parametrize("workers", [2, 3])
def test_workers_write_what_one_process_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int) -> None:
    """Every kind of line, error records included, numbered from an offset: N workers write
    the bytes one process writes, and end with the same exit code."""
    data = request_lines(400, seed=workers, errors=True)
    one, one_code = batch_in_process(tmp_path, monkeypatch, data, 1, offset=1000)
    many, many_code = batch_in_process(tmp_path, monkeypatch, data, workers, offset=1000)
    assert many == one
    assert one_code == many_code == ExitCode.BATCH_ERRORS
    records = [json.loads(line) for line in one.splitlines()]
    assert len(records) == data.count(b"\n") + 1
    numbers = [r["line"] for r in records if "error" in r]
    assert len(numbers) > 10 and all(r.get("command") in ("pnl", "liq-price") for r in records if "error" not in r)
    bad = {number + 1001 for number, line in enumerate(data.split(b"\n")) if not line.strip(b" \r").startswith(b'{"c')}
    assert set(numbers) >= bad  # the error records name the input's own lines, from the offset on


@pytest.mark.skipif(not hasattr(os, "fork"), reason="workers are forked")
@pytest.mark.parametrize(
    ("late", "expected"),
    [(ALERTING, ExitCode.ALERT), (QUIET, ExitCode.OK), ({**ALERTING, "entry": -1}, ExitCode.BATCH_ERRORS)],
)
def test_an_alert_in_any_worker_exits_4(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, late: dict[str, Any], expected: ExitCode
) -> None:
    """An answer with "alert": true makes the exit code 4 (when no line failed), whichever
    process wrote it; a failed line makes it 5."""
    data = request_lines(300, seed=7, errors=False) + b"\n" + json.dumps(late).encode() + b"\n"
    for workers in (1, 3):
        out, code = batch_in_process(tmp_path, monkeypatch, data, workers)
        assert code == expected
        alerts = [json.loads(line).get("alert") is True for line in out.splitlines()]
        assert alerts[-1] is (expected == ExitCode.ALERT)
        assert any(alerts) is (expected == ExitCode.ALERT)


def test_alert_and_failure_exit_codes_through_the_cli() -> None:
    alerting, quiet, bad = json.dumps(ALERTING), json.dumps(QUIET), json.dumps({**PNL, "entry": -1})
    out = run_batch([quiet, alerting, quiet])
    assert out.returncode == ExitCode.ALERT, out.stderr
    assert [json.loads(line)["alert"] for line in out.stdout.splitlines()] == [False, True, False]
    assert run_batch([quiet, quiet]).returncode == ExitCode.OK
    assert run_batch([alerting, bad]).returncode == ExitCode.BATCH_ERRORS


def cli_batch(data: bytes, workers: int, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "INVFUT_WORKERS": str(workers)}
    return subprocess.run([*INVFUT, "batch", *args], input=data, capture_output=True, env=env, timeout=300)


@pytest.fixture(scope="module")
def long_input() -> bytes:
    """More lines than one process answers before it shares the rest among workers."""
    from invfut_cli.batchrun import PARALLEL_LINES

    return request_lines(PARALLEL_LINES + 700, seed=11, errors=True) + b"\n"


@pytest.fixture(scope="module")
def one_process(long_input: bytes) -> bytes:
    out = cli_batch(long_input, 1, "--line-offset", "5")
    assert out.returncode == ExitCode.BATCH_ERRORS and out.stderr == b""
    return out.stdout


@pytest.mark.skipif(not hasattr(os, "fork"), reason="workers are forked")
def test_the_cli_on_two_workers_writes_what_one_writes(long_input: bytes, one_process: bytes) -> None:
    many = cli_batch(long_input, 2, "--line-offset", "5")
    assert many.returncode == ExitCode.BATCH_ERRORS and many.stderr == b""
    assert many.stdout == one_process


@pytest.mark.skipif(not hasattr(os, "fork"), reason="workers are forked")
def test_a_closed_pipe_stops_the_workers_quietly(tmp_path: Path, long_input: bytes, one_process: bytes) -> None:
    """``| head -c N`` past the lines one process answers: what was read is what one process
    writes, the run ends with 0 and nothing on stderr."""
    from invfut_cli.batchrun import PARALLEL_LINES

    source = tmp_path / "in.ndjson"
    source.write_bytes(long_input)
    cut = len(b"\n".join(one_process.split(b"\n")[: PARALLEL_LINES + 300]))
    shell = (
        f"INVFUT_WORKERS=2 {' '.join(INVFUT)} batch --line-offset 5 < {source} 2>{tmp_path / 'err'} "
        f"| head -c {cut}; exit ${{PIPESTATUS[0]}}"
    )
    out = subprocess.run(["bash", "-c", shell], capture_output=True, timeout=300)
    assert out.returncode == 0
    assert (tmp_path / "err").read_bytes() == b""
    assert out.stdout == one_process[:cut]


@pytest.mark.skipif(os.name != "posix" or not hasattr(os, "fork"), reason="signals, forked workers")
def test_ctrl_c_stops_every_batch_worker(tmp_path: Path, long_input: bytes) -> None:
    source = tmp_path / "in.ndjson"
    source.write_bytes(long_input * 4)
    with source.open("rb") as src, (tmp_path / "out").open("wb") as sink:
        proc = subprocess.Popen([*INVFUT, "batch"], stdin=src, stdout=sink, stderr=subprocess.PIPE,
                                start_new_session=True, env={**os.environ, "INVFUT_WORKERS": "2"},
                                preexec_fn=interruptible)  # fmt: skip
        deadline = time.monotonic() + 120
        while (tmp_path / "out").read_bytes().count(b"\n") < 2500 and time.monotonic() < deadline:
            time.sleep(0.05)  # past the lines one process answers: the workers are running
        os.killpg(proc.pid, signal.SIGINT)  # as a terminal's Ctrl-C reaches the whole group
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == ExitCode.INTERRUPTED
    assert b"Traceback" not in err
    with pytest.raises(ProcessLookupError):
        os.killpg(proc.pid, 0)  # no worker is left running


def gnu_parallel() -> str | None:
    import shutil

    found = shutil.which("parallel")
    if found is None:
        return None
    version = subprocess.run([found, "--version"], capture_output=True, text=True, stdin=subprocess.DEVNULL)
    return found if "GNU parallel" in version.stdout else None


@pytest.mark.skipif(gnu_parallel() is None, reason="GNU parallel is not installed (apt-get install parallel)")
def test_gnu_parallel_split_writes_what_one_run_writes(tmp_path: Path) -> None:
    """The guide's recipe (docs/GUIDE.md): GNU parallel cuts the input into jobs of N lines, each job numbers
    its lines from its own offset, and -k keeps the jobs' output in input order."""
    data = request_lines(120, seed=3, errors=True) + b"\n"
    source = tmp_path / "in.ndjson"
    source.write_bytes(data)
    one = cli_batch(data, 1)
    invfut = " ".join(INVFUT)
    recipe = (
        f"parallel --pipe --regexp --recend '\\n' -N 25 -k "
        f"'{invfut} batch --line-offset $(( ({{#}} - 1) * 25 ))' < {source}"
    )
    split = subprocess.run(["bash", "-c", recipe], capture_output=True, timeout=300)
    assert split.stdout == one.stdout
    answers = one.stdout.splitlines()
    assert len(answers) == data.count(b"\n")
    jobs = [answers[k : k + 25] for k in range(0, len(answers), 25)]
    failed = sum(any(b'"error"' in line for line in job) for job in jobs)
    assert 1 < failed < len(jobs)
    assert split.returncode == failed  # GNU parallel's exit code: how many jobs exited non-zero


def test_keys_does_not_run_in_batch_and_the_run_goes_on() -> None:
    """keys prompts and changes the keyring: a keys line (any action) is a usage error record,
    never an internal error and never another action's answer; the next line is answered."""
    from io import BytesIO, StringIO

    from invfut_cli.batchrun import run

    good = {"command": "pnl", "side": "long", "entry": 8000, "exit": 9000, "contracts": 1}
    lines = [{"command": "keys"}, {"command": "keys", "action": "set", "venue": "bybit"},
             {"command": "keys", "action": "list", "explain": True}, good]  # fmt: skip
    out = StringIO()
    code = run(BytesIO(b"".join(json.dumps(line).encode() + b"\n" for line in lines)), out)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert code == ExitCode.BATCH_ERRORS and len(records) == 4
    for number, record in enumerate(records[:3], 1):
        assert record["line"] == number and set(record) == {"line", "error"}, record
        assert record["error"]["exit_code"] == ExitCode.USAGE and record["error"]["option"] == "command"
        assert "keys does not run in batch" in record["error"]["message"]
    assert records[3]["command"] == "pnl"
