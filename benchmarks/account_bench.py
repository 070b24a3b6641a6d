"""How ``invfut account`` scales with the number of positions.

Writes accounts of 1,000, 10,000 and 100,000 cross positions (longs and shorts at spread
entries, one balance) and times ``invfut account FILE --price P --json`` as a real process,
output to /dev/null: the median of a few runs each. Prints the seconds, the time per
position, and the ratio of each size's time to ten times the one before (at most 1 when
the command is no slower than linear). Target: 10,000 positions in under one second.

    python benchmarks/account_bench.py [--runs 3] [--sizes 1000,10000,100000] [--format json|toml]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PRICE = "60000"


def account(count: int) -> dict[str, object]:
    """``count`` positions: alternately long and short, entries from 40,000 to 80,000, a net long."""
    positions = [
        {
            "name": f"p{i}",
            "side": "long" if i % 3 else "short",
            "contracts": 1000 + (i % 97) * 10,
            "entry": 40000 + (i * 37) % 40000,
        }
        for i in range(count)
    ]
    return {"coin": "BTC", "balance": count / 100, "position": positions}


def as_toml(data: dict[str, object]) -> str:
    lines = [f'coin = "{data["coin"]}"', f"balance = {data['balance']}"]
    for position in data["position"]:  # type: ignore[attr-defined]
        lines.append("[[position]]")
        lines += [f"{k} = {json.dumps(v)}" for k, v in position.items()]
    return "\n".join(lines) + "\n"


def timed(path: Path, runs: int) -> float:
    """Median wall time of ``invfut account PATH --price P --json`` in a fresh process."""
    command = [sys.executable, "-m", "invfut_cli", "account", str(path), "--price", PRICE, "--json"]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise SystemExit(f"account failed: {done.stderr.decode()[:300]}")
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--format", choices=("json", "toml"), default="json")
    options = parser.parse_args()
    sizes = [int(s) for s in options.sizes.split(",")]
    env_note = f"Python {sys.version.split()[0]}, {os.cpu_count()} cores"
    print(f"invfut account, {options.format} files, median of {options.runs} runs ({env_note})")
    print(f"{'positions':>10} {'seconds':>9} {'µs/position':>12} {'vs linear':>10}")
    previous: tuple[int, float] | None = None
    with tempfile.TemporaryDirectory() as tmp:
        for count in sizes:
            data = account(count)
            path = Path(tmp) / f"account-{count}.{options.format}"
            path.write_text(json.dumps(data) if options.format == "json" else as_toml(data), encoding="utf-8")
            seconds = timed(path, options.runs)
            ratio = "" if previous is None else f"{seconds / (previous[1] * count / previous[0]):.3f}"
            print(f"{count:>10,} {seconds:>9.3f} {seconds / count * 1e6:>12.1f} {ratio:>10}")
            previous = (count, seconds)


if __name__ == "__main__":
    main()
