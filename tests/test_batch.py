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
    proc = subprocess.Popen([*INVFUT, "batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
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
