"""How fast ``invfut watch`` reads marks, and how much memory it holds.

Writes 1,000,000 marks that change no state (a 5× long whose marks stay well inside
``ok``) to a file, then times, as real processes reading that file on stdin:

- the reference: a plain Python loop that reads each line as a ``Decimal`` and compares it
  with a constant (what any reader of such a stream does at the least);
- ``invfut watch``, output to /dev/null.

Prints the seconds of each (the best of a few runs), the ratio reference/watch (target:
at least 0.25) and the peak memory of ``invfut watch`` (``ru_maxrss`` of the child) at
100,000 and at 1,000,000 marks (target: at most 80 MB at any length: it must not grow).

    python benchmarks/watch_bench.py [--marks 1000000] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REFERENCE = (
    "import sys\n"
    "from decimal import Decimal\n"
    "limit = Decimal('1000')\n"
    "below = 0\n"
    "for line in sys.stdin:\n"
    "    if Decimal(line) < limit:\n"
    "        below += 1\n"
    "print(below)\n"
)
WATCH = [
    sys.executable,
    "-m",
    "invfut_cli",
    "watch",
    "--side",
    "long",
    "--entry",
    "60000",
    "--contracts",
    "10000",
    "--leverage",
    "5",
]


def marks(path: Path, count: int) -> None:
    """``count`` marks between 59,000 and 61,000 (a 5× long from 60,000 is liquidated near
    50,000: all of them ``ok``), two decimals each."""
    with open(path, "w", encoding="ascii") as out:
        for i in range(count):
            out.write(f"{59000 + (i * 7919) % 200000 / 100:.2f}\n")


def timed(command: list[str], stdin: Path) -> tuple[float, int]:
    """Seconds of one run of ``command`` reading ``stdin``, and the child's peak memory in bytes
    (``ru_maxrss`` of this child alone: read in a fresh process)."""
    probe = (
        "import resource, subprocess, sys, time\n"
        "start = time.perf_counter()\n"
        f"done = subprocess.run({command!r}, stdin=open({str(stdin)!r}, 'rb'), stdout=subprocess.DEVNULL)\n"
        "seconds = time.perf_counter() - start\n"
        "print(seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, done.returncode)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()
    seconds, rss_kb, code = float(out[0]), int(out[1]), int(out[2])
    if code != 0:
        raise SystemExit(f"{command[0]} exited with {code}")
    return seconds, rss_kb * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--marks", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    env_root = Path(__file__).resolve().parents[1]
    os.environ["PYTHONPATH"] = str(env_root) + os.pathsep + os.environ.get("PYTHONPATH", "")
    with tempfile.TemporaryDirectory() as folder:
        small, big = Path(folder) / "small.txt", Path(folder) / "big.txt"
        marks(small, args.marks // 10)
        marks(big, args.marks)
        reference = min(timed([sys.executable, "-c", REFERENCE], big)[0] for _ in range(args.runs))
        runs = [timed(WATCH, big) for _ in range(args.runs)]
        watch = min(seconds for seconds, _ in runs)
        peak_big = max(rss for _, rss in runs)
        peak_small = timed(WATCH, small)[1]
    print(f"marks: {args.marks:,}")
    print(f"reference loop (Decimal + compare): {reference:.2f} s")
    print(f"invfut watch:                       {watch:.2f} s")
    print(f"speed ratio reference/watch:        {reference / watch:.2f} (target >= 0.25)")
    print(f"peak memory at {args.marks // 10:,} marks:      {peak_small / 2**20:.1f} MB")
    print(f"peak memory at {args.marks:,} marks:    {peak_big / 2**20:.1f} MB (target <= 80)")


if __name__ == "__main__":
    main()
