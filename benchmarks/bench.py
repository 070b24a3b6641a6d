"""invfut benchmarks: each figure beside its reference, measured in one run on this machine.

    python benchmarks/bench.py                 # the full sizes the targets name
    python benchmarks/bench.py --quick         # smaller sizes, for a fast look

Prints the machine, then one line per figure: ours, the reference, the ratio, the target.
Run it with the Python of the environment invfut is installed in.
"""

from __future__ import annotations

import argparse
import filecmp
import itertools
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYTHON = sys.executable
INVFUT = [PYTHON, "-m", "invfut_cli"]
#: The variable that sets how many processes ``invfut`` uses for long outputs.
WORKERS_ENV = "INVFUT_WORKERS"


def machine() -> str:
    """One line about the machine and the versions measured."""
    import pydantic
    import typer

    cpu = "unknown cpu"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, {cpu}; "
        f"Python {platform.python_version()}, typer {typer.__version__}, pydantic {pydantic.__version__}"
    )


def run_timed(
    cmd: list[str], stdin: Path | None = None, stdout: Path | None = None, env: dict[str, str] | None = None
) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one run of ``cmd`` (and its workers), with ``env`` added."""
    src = open(stdin, "rb") if stdin else subprocess.DEVNULL
    dst = open(stdout, "wb") if stdout else subprocess.DEVNULL
    try:
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd, stdin=src, stdout=dst, stderr=subprocess.DEVNULL, env={**os.environ, **(env or {})}
        )
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    finally:
        if stdin:
            src.close()  # type: ignore[union-attr]
        if stdout:
            dst.close()  # type: ignore[union-attr]
    if proc.returncode not in (0, 4, 5):  # 4: a batch line raised an alert; 5: a line failed
        raise SystemExit(f"benchmark command failed ({proc.returncode}): {' '.join(cmd)}")
    return elapsed, usage.ru_maxrss


def report(name: str, ours: str, reference: str, ratio: float, target: str, met: bool) -> None:
    """One result line."""
    print(f"{name:<34} {ours:>22} {reference:>22} {ratio:>8.3f}  target {target:<12} {'met' if met else 'NOT met'}")


def _price(rng: random.Random) -> str:
    """A price from 1,000.0 to 90,000.0 in steps of 0.1, as JSON text."""
    tenths = rng.randint(10_000, 900_000)
    return f"{tenths // 10}.{tenths % 10}"


def pnl_request(rng: random.Random) -> str:
    """A random ``pnl`` line: long or short, leverage 1–100, maker/taker fees on half of them."""
    side = rng.choice(("long", "short"))
    line = (
        f'{{"command": "pnl", "side": "{side}", "entry": {_price(rng)}, "exit": {_price(rng)}, '
        f'"contracts": {rng.randint(1, 1_000_000)}, "leverage": {rng.randint(1, 100)}'
    )
    if rng.random() < 0.5:
        line += f', "entry_fee": "{rng.choice(("maker", "taker"))}", "exit_fee": "{rng.choice(("maker", "taker"))}"'
    return line + "}"


def liq_request(rng: random.Random) -> str:
    """A random ``liq-price`` line: either basis, a rate and a taker fee on half, --fail-within on a quarter."""
    side, basis = rng.choice(("long", "short")), rng.choice(("entry", "mark"))
    line = (
        f'{{"command": "liq-price", "side": "{side}", "entry": {_price(rng)}, '
        f'"contracts": {rng.randint(1, 1_000_000)}, "leverage": {rng.randint(1, 100)}, "mm_basis": "{basis}"'
    )
    if rng.random() < 0.5:
        line += f', "mmr": {rng.choice(("0.004", "0.005", "0.01"))}'
    if rng.random() < 0.5:
        line += ', "taker_fee": 0.00075'
    if rng.random() < 0.25:
        line += f', "fail_within": {rng.choice((1, 5, 10, 20))}'
    return line + "}"


def bench_batch(lines: int, repeat: int, workdir: Path) -> None:
    """``invfut batch`` (a worker per core, and one process) against the exact reference loop of
    each command, on the same ``lines`` random lines; medians of ``repeat`` interleaved runs."""
    for command, request in (("pnl", pnl_request), ("liq-price", liq_request)):
        rng = random.Random(12)
        source = workdir / f"{command}.ndjson"
        with source.open("w") as f:
            for _ in range(lines):
                f.write(request(rng) + "\n")
        ours_out, one_out, ref_out = (workdir / f"{command}.{who}" for who in ("ours", "one", "ref"))
        ref_cmd = [PYTHON, str(HERE / "exact_reference.py"), command]
        ours, one, ref = [], [], []
        for _ in range(repeat):  # interleaved, so all three see the same machine load
            ours.append(run_timed([*INVFUT, "batch"], stdin=source, stdout=ours_out)[0])
            one.append(run_timed([*INVFUT, "batch"], stdin=source, stdout=one_out, env={WORKERS_ENV: "1"})[0])
            ref.append(run_timed(ref_cmd, stdin=source, stdout=ref_out)[0])
        rate, one_rate, ref_rate = (lines / statistics.median(t) for t in (ours, one, ref))
        differ = differing_lines(ours_out, ref_out)
        same = "the same bytes" if differ == 0 and filecmp.cmp(ours_out, one_out, shallow=False) else "DIFFERENT"
        print(f"batch {command}: {count_workers()} workers, one process and the reference write {same}"
              f" ({differ} of {lines:,} lines differ from the reference)")  # fmt: skip
        report(
            f"batch {command} whole, {lines:,} lines",
            f"{rate:,.0f} lines/s",
            f"{ref_rate:,.0f} lines/s",
            rate / ref_rate,
            ">= 0.3",
            rate >= 0.3 * ref_rate,
        )
        report(
            f"batch {command}, one process",
            f"{one_rate:,.0f} lines/s",
            f"{ref_rate:,.0f} lines/s",
            one_rate / ref_rate,
            "(no target)",
            True,
        )


def bench_lean(lines: int, repeat: int, workdir: Path) -> None:
    """``invfut batch --fields liquidation_price`` (a worker per core) on ``lines`` random
    ``liq-price`` lines against ``exact_reference.py liq-price-lean``, the plain exact loop
    that computes that one price; medians of ``repeat`` interleaved runs."""
    rng = random.Random(12)
    source = workdir / "lean.ndjson"
    with source.open("w") as f:
        for _ in range(lines):
            f.write(liq_request(rng) + "\n")
    ours_out, ref_out = workdir / "lean.ours", workdir / "lean.ref"
    ours_cmd = [*INVFUT, "batch", "--fields", "liquidation_price"]
    ref_cmd = [PYTHON, str(HERE / "exact_reference.py"), "liq-price-lean"]
    ours, ref = [], []
    for _ in range(repeat):  # interleaved, so both see the same machine load
        ours.append(run_timed(ours_cmd, stdin=source, stdout=ours_out)[0])
        ref.append(run_timed(ref_cmd, stdin=source, stdout=ref_out)[0])
    rate, ref_rate = (lines / statistics.median(t) for t in (ours, ref))
    differ = differing_lines(ours_out, ref_out)
    print(f"batch --fields liquidation_price: {count_workers()} workers and the reference write "
          f"{'the same bytes' if differ == 0 else 'DIFFERENT'} ({differ} of {lines:,} lines differ)")  # fmt: skip
    report(
        f"batch liq-price lean, {lines:,} lines",
        f"{rate:,.0f} lines/s",
        f"{ref_rate:,.0f} lines/s",
        rate / ref_rate,
        ">= 1.0",
        rate >= ref_rate,
    )


def differing_lines(a: Path, b: Path) -> int:
    """How many lines of two files differ, read a line at a time (this process stays small:
    a child's peak memory as ``wait4`` reports it starts from this process's)."""
    with a.open("rb") as left, b.open("rb") as right:
        return sum(x != y for x, y in itertools.zip_longest(left, right))


def count_workers() -> int:
    """The workers ``invfut batch`` uses here."""
    from invfut_cli.workers import count

    return count()


def bench_startup(runs: int) -> None:
    """Median wall time of ``invfut pnl --json`` against a minimal one-option Typer app."""
    ours_cmd = [str(Path(PYTHON).with_name("invfut")), "pnl", "--side", "long", "--entry", "8000", "--exit", "9000",
                "--contracts", "10000", "--json"]  # fmt: skip
    if not Path(ours_cmd[0]).exists():
        ours_cmd = [*INVFUT, *ours_cmd[1:]]
    ref_cmd = [PYTHON, str(HERE / "minimal_app.py"), "--entry", "8000"]
    ours, ref = [], []
    for _ in range(runs):  # interleaved, so both see the same machine load
        ours.append(run_timed(ours_cmd)[0])
        ref.append(run_timed(ref_cmd)[0])
    a, b = statistics.median(ours), statistics.median(ref)
    report(f"start-up, median of {runs}", f"{a * 1000:.1f} ms", f"{b * 1000:.1f} ms", a / b, "<= 1.15", a / b <= 1.15)


def bench_completion(presses: int) -> None:
    """Milliseconds per TAB in bash (and fish/zsh where installed), no Python started."""
    script = ROOT / "completions" / "invfut.bash"
    bash = shutil.which("bash")
    if bash is None:
        print("completion: bash not found, skipped")
        return
    line = "invfut ladder --side long --entry 8000 --contracts 10 --mm-basis "
    words = line.split() + [""]
    program = (
        f"source {script}; COMP_WORDS=({' '.join(repr(w) for w in words)}); COMP_CWORD={len(words) - 1}; "
        f"COMP_LINE={line!r}; COMP_POINT={len(line)}; "
        f"start=$(date +%s%N); for i in $(seq {presses}); do _invfut_completion invfut '' ladder; done; "
        f"end=$(date +%s%N); echo $(( (end - start) / {presses} ))"
    )
    function = next(
        (ln.split()[0] for ln in script.read_text().splitlines() if ln.startswith("_invfut") and "()" in ln), None
    )
    if function:
        program = program.replace("_invfut_completion", function.split("(")[0])
    out = subprocess.run([bash, "--norc", "--noprofile", "-c", program], capture_output=True, text=True)
    try:
        nanos = int(out.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        print(f"completion: could not time bash ({out.stderr.strip()[:200]})")
        return
    ms = nanos / 1e6
    report(f"bash TAB, mean of {presses}", f"{ms:.3f} ms", "30 ms", ms / 30, "<= 1.0", ms < 30)
    fish = shutil.which("fish")
    if fish:
        cmd = [
            fish,
            "--no-config",
            "-c",
            f"source {ROOT / 'completions' / 'invfut.fish'}; complete -C 'invfut ladder --mm-basis '",
        ]
        times = [run_timed(cmd)[0] for _ in range(5)]
        ms = statistics.median(times) * 1000
        report("fish TAB (whole fish start)", f"{ms:.1f} ms", "30 ms", ms / 30, "<= 1.0", ms < 30)


def bench_ladder(rows: int, repeat: int, workdir: Path) -> None:
    """A ``rows``-row ladder as NDJSON and CSV: time (median of ``repeat`` runs, interleaved
    with the float loop's) and peak memory, against floats."""
    entry, contracts, leverage, low, high = 50000, 100000, 10, 10000, 110000
    for fmt in ("ndjson", "csv"):
        ours_cmd = [*INVFUT, "ladder", "--side", "long", "--entry", str(entry), "--contracts", str(contracts),
                    "--leverage", str(leverage), "--from", str(low), "--to", str(high), "--steps", str(rows - 1),
                    "--format", fmt]  # fmt: skip
        ref_cmd = [PYTHON, str(HERE / "float_reference.py"), "ladder", fmt, str(entry), str(contracts), str(leverage),
                   str(low), str(high), str(rows - 1)]  # fmt: skip
        ours, ref, peaks = [], [], []
        for _ in range(repeat):  # interleaved, so both see the same machine load
            elapsed, rss = run_timed(ours_cmd, stdout=workdir / f"ladder.{fmt}")
            ours.append(elapsed)
            peaks.append(rss)
            ref.append(run_timed(ref_cmd, stdout=workdir / f"ref.{fmt}")[0])
        a, b, rss = statistics.median(ours), statistics.median(ref), max(peaks)
        report(
            f"ladder {rows:,} rows {fmt}",
            f"{rows / a:,.0f} rows/s",
            f"{rows / b:,.0f} rows/s",
            b / a,
            ">= 1.0",
            a <= b,
        )
        report(
            f"ladder {rows:,} rows {fmt} memory",
            f"{rss / 1024:.1f} MB",
            "100 MB",
            rss / 1024 / 100,
            "<= 1.0",
            rss < 100 * 1024,
        )


def main() -> None:
    """Run every benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes (20,000 lines, 100,000 rows)")
    parser.add_argument("--lines", type=int, help="batch input lines of each command [200,000]")
    parser.add_argument("--repeat", type=int, default=3, help="batch and ladder runs of each, medians [3]")
    parser.add_argument("--rows", type=int, help="ladder rows [1,000,000]")
    parser.add_argument("--runs", type=int, default=21, help="start-up runs of each [21]")
    parser.add_argument(
        "--only",
        action="append",
        choices=["startup", "completion", "batch", "lean", "ladder"],
        help="run only this figure (repeatable) [all]",
    )
    args = parser.parse_args()
    lines = args.lines or (20_000 if args.quick else 200_000)
    rows = args.rows or (100_000 if args.quick else 1_000_000)
    print(machine())
    print(f"{'figure':<34} {'invfut':>22} {'reference':>22} {'ratio':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        wanted = set(args.only or ["startup", "completion", "batch", "lean", "ladder"])
        if "startup" in wanted:
            bench_startup(args.runs)
        if "completion" in wanted:
            bench_completion(200)
        if "batch" in wanted:
            bench_batch(lines, args.repeat, work)
        if "lean" in wanted:
            bench_lean(lines, args.repeat, work)
        if "ladder" in wanted:
            bench_ladder(rows, args.repeat, work)


if __name__ == "__main__":
    main()
