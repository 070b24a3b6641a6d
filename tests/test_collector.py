"""The console script pauses the cyclic garbage collector while invfut starts
(:mod:`invfut_cli.collector`): no collection runs while it is paused, start-up's objects are
frozen out of its view, and it is on again however the run ends (an answer, a usage error,
a value error, ``--help``)."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction

import pytest

# Runs ``invfut ARGS`` through ``ENTRY`` (the console script's ``invfut_cli.launch:main``, or
# ``invfut_cli.app:main``, which does not pause) and reports on stderr how many collections
# ran while the collector was paused and in all, whether it was on at the end, and how many
# objects were frozen. Only the small ``collector`` module is imported before the entry.
PROBE = """
import gc, json, sys
from invfut_cli import collector
seen = {"paused": 0, "all": 0}
def count(phase, info):
    if phase == "start":
        seen["all"] += 1
        seen["paused"] += collector._paused or not gc.isenabled()
gc.callbacks.append(count)
def report():
    seen.update(enabled=gc.isenabled(), frozen=gc.get_freeze_count())
    sys.stderr.write("\\nPROBE " + json.dumps(seen) + "\\n")
import atexit
atexit.register(report)
entry, args = sys.argv[1], json.loads(sys.argv[2])
sys.argv = ["invfut", *args]
if entry == "launch":
    from invfut_cli.launch import main
else:
    from invfut_cli.app import main
main()
"""

PNL = ["pnl", "--side", "long", "--entry", "8000", "--exit", "9000", "--contracts", "10"]


def probe(args: list[str], entry: str = "launch") -> tuple[subprocess.CompletedProcess[str], dict[str, object]]:
    run = subprocess.run([sys.executable, "-c", PROBE, entry, json.dumps(args)], capture_output=True, text=True)
    line = next(ln for ln in run.stderr.splitlines() if ln.startswith("PROBE "))
    return run, json.loads(line.removeprefix("PROBE "))


def test_no_collection_while_starting_and_the_work_runs_with_it_on() -> None:
    run, seen = probe([*PNL, "--json"])
    assert run.returncode == 0
    exact = 10 * (Fraction(1, 8000) - Fraction(1, 9000))  # the long's PnL in coin
    shown = json.loads(run.stdout, parse_float=Decimal)["pnl"]
    assert abs(Fraction(shown) - exact) <= Fraction(1, 2 * 10**8)  # to the satoshi, nearest
    assert seen["paused"] == 0  # nothing collected while starting
    assert seen["enabled"] is True
    assert seen["frozen"] > 10_000  # start-up's objects, out of the collector's view


def test_without_the_pause_start_up_does_collect() -> None:
    """The control: the same run, entered where nothing pauses the collector, collects
    while it starts (what the pause saves)."""
    run, seen = probe([*PNL, "--json"], entry="app")
    assert run.returncode == 0
    assert seen["all"] > 0
    assert seen["frozen"] == 0


@pytest.mark.parametrize(
    ("args", "code"),
    [
        ([*PNL[:-1], "-5", "--json"], 2),  # a bad value: the model's error
        (["pnl", "--side", "sideways"], 2),  # a usage error: typer's, before the command runs
        (["pnl", "--help"], 0),
    ],
)
def test_the_collector_is_on_again_however_the_run_ends(args: list[str], code: int) -> None:
    run, seen = probe(args)
    assert run.returncode == code, run.stderr
    assert seen["paused"] == 0
    assert seen["enabled"] is True
    assert seen["frozen"] > 10_000
    assert run.stdout == "" or code == 0
