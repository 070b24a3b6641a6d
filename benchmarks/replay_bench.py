"""``invfut replay`` on 1,000,000 one-minute candles against a plain float loop.

The reference reads the same CSV line by line and compares each low, as a float, with a
constant; the replay reads, checks and walks every candle (funding at each 8-hour boundary).
Both run as processes of the same Python; the time is the best of ``--repeat`` interleaved
runs, start-up included, and the peak RSS of each process comes from ``wait4``. Prints both
figures, the ratio (reference time / replay time, target ≥ 0.5) and the replay's peak RSS
(target ≤ 100 MB). Then, once each on the same file, ``replay --account`` (a two-position
cross account and an isolated one; its walk is exact per candle, so slower) and the position
replay with ``--plot-file`` (a second walk for the chart), their times and peak RSS.

    python benchmarks/replay_bench.py [--candles N] [--repeat R]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REFERENCE = """
import sys
count = 0
limit = 50000.0
with open(sys.argv[1]) as handle:
    next(handle)
    for line in handle:
        if float(line.split(",")[3]) <= limit:
            count += 1
print(count)
"""

#: The least a replay that trusts no line must do: read each candle's time, high and low and
#: check them (times in order, 0 < low <= high), in a plain float loop. Not a target: it
#: shows how much of the reference's speed the checks themselves cost.
CHECKED = """
import sys
count = 0
limit = 50000.0
previous = -1
with open(sys.argv[1], "rb") as handle:
    next(handle)
    for line in handle:
        cells = line.split(b",")
        time = int(cells[0])
        high = float(cells[2])
        low = float(cells[3])
        if not (previous < time and 0.0 < low <= high):
            raise SystemExit("bad candle")
        previous = time
        if low <= limit:
            count += 1
print(count)
"""

#: The account ``replay --account`` walks: §8's check and an isolated long.
ACCOUNT = """balance = 1
[[position]]
side = "long"
contracts = 20000
entry = 60000
[[position]]
side = "short"
contracts = 10000
entry = 62000
[[position]]
side = "long"
contracts = 1000
entry = 60000
leverage = 20
"""


def make_candles(path: Path, count: int) -> None:
    """A random walk of ``count`` one-minute candles from 60,000, prices to 0.1."""
    rng = random.Random(20240101)
    price = 60000.0
    start = 1704067200
    with path.open("w", encoding="utf-8") as out:
        out.write("time,open,high,low,close,volume\n")
        lines = []
        for i in range(count):
            close = price * (1 + rng.gauss(0, 0.0008))
            high = max(price, close) * (1 + abs(rng.gauss(0, 0.0003)))
            low = min(price, close) * (1 - abs(rng.gauss(0, 0.0003)))
            lines.append(f"{start + 60 * i},{price:.1f},{high:.1f},{low:.1f},{close:.1f},{rng.randint(1, 500)}\n")
            price = float(f"{close:.1f}")
            if len(lines) == 10000:
                out.writelines(lines)
                lines.clear()
        out.writelines(lines)


def measure(argv: list[str]) -> tuple[float, float, bytes]:
    """Wall seconds and peak RSS (MB) of one process, and its stdout."""
    started = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # noqa: S603 - our own argv
    out = child.stdout.read() if child.stdout else b""
    err = child.stderr.read() if child.stderr else b""
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - started
    if child.returncode != 0:
        raise SystemExit(f"{argv[:4]} failed ({child.returncode}): {err.decode()[-500:]}")
    return elapsed, usage.ru_maxrss / 1024, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candles", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        file = Path(folder) / "candles.csv"
        made = time.perf_counter()
        make_candles(file, options.candles)
        print(f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores; "
              f"{options.candles:,} candles, {file.stat().st_size / 1e6:.0f} MB, made in "
              f"{time.perf_counter() - made:.1f} s")  # fmt: skip
        reference = [sys.executable, "-c", REFERENCE, str(file)]
        replay = [sys.executable, "-m", "invfut_cli", "replay", str(file), "--side", "long", "--contracts", "10000",
                  "--leverage", "5", "--funding", "0.01%", "--json"]  # fmt: skip
        ref_times, rep_times, ref_rss, rep_rss = [], [], 0.0, 0.0
        for _ in range(options.repeat):
            seconds, rss, _ = measure(reference)
            ref_times.append(seconds)
            ref_rss = max(ref_rss, rss)
            seconds, rss, out = measure(replay)
            rep_times.append(seconds)
            rep_rss = max(rep_rss, rss)
        ref, rep = min(ref_times), min(rep_times)
        checked = min(measure([sys.executable, "-c", CHECKED, str(file)])[0] for _ in range(options.repeat))
        for name, seconds, rss in (("reference float loop", ref, ref_rss), ("invfut replay", rep, rep_rss)):
            rate = options.candles / seconds / 1e6
            print(f"{name + ':':22}{seconds:.2f} s ({rate:.2f} M candles/s), peak RSS {rss:.0f} MB")
        print(f"ratio (reference / replay): {ref / rep:.2f}  (target >= 0.5)")
        print(
            f"checked float loop:   {checked:.2f} s: a loop reading and checking time, high and low of each "
            f"candle is {ref / checked:.2f}x the reference; the replay is {checked / rep:.2f}x that loop"
        )
        print(f"replay peak RSS: {rep_rss:.0f} MB  (target <= 100 MB)")
        if b'"candles"' not in out:
            raise SystemExit("the replay wrote no answer")
        account = Path(folder) / "account.toml"
        account.write_text(ACCOUNT, encoding="utf-8")
        extras = (
            ("replay --account", [*replay[:5], "--account", str(account), "--funding", "0.01%", "--json"]),
            ("replay --plot-file", [*replay, "--plot-file", str(Path(folder) / "chart.svg")]),
        )
        for name, argv in extras:
            seconds, rss, out = measure(argv)
            print(f"{name + ':':22}{seconds:.2f} s ({options.candles / seconds / 1e6:.2f} M candles/s), "
                  f"peak RSS {rss:.0f} MB, {seconds / rep:.1f}x the position replay")  # fmt: skip


if __name__ == "__main__":
    main()
