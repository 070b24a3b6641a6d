"""``invfut replay --plot`` and ``--plot-file FILE.svg``: the path, the liquidation price and
the liquidation point; bounded memory; nothing loaded on the other paths."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path

import pytest
from conftest import run_cli

T0 = 1704067200
LONG = ("--side", "long", "--contracts", "10000", "--leverage", "10")


def path_file(path: Path, lows: list[str]) -> Path:
    lines = ["time,open,high,low,close"]
    lines += [f"{T0 + 60 * i},60000,60010,{low},60000" for i, low in enumerate(lows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def liquidation() -> D:
    return run_cli("liq-price", "--side", "long", "--entry", "60000", *LONG[2:], "--json").json()["liquidation_price"]


def test_the_chart_marks_the_liquidation(tmp_path: Path) -> None:
    liq = liquidation()
    file = path_file(tmp_path / "c.csv", ["59000", "58000", str(liq), "57000", "59000"])
    run = run_cli("replay", str(file), *LONG, "--plot")
    assert run.exit_code == 0, run.stderr
    assert f"X: liquidated at {liq} on 2024-01-01T00:02:00Z (line 4)." in run.stdout
    assert "LIQUIDATED" in run.stdout  # the summary first
    assert "(hours)" in run.stdout and "\x1b[" not in run.stdout  # no colour off a terminal
    plain = run_cli("replay", str(file), *LONG)
    assert "(hours)" not in plain.stdout and "X: liquidated" not in plain.stdout


def test_a_path_that_survives_says_so(tmp_path: Path) -> None:
    run = run_cli("replay", str(path_file(tmp_path / "c.csv", ["59000", "59500"])), *LONG, "--plot")
    assert run.exit_code == 0 and "Survived the whole path." in run.stdout


def test_the_svg_beside_json(tmp_path: Path) -> None:
    liq = liquidation()
    file = path_file(tmp_path / "c.csv", ["59000", str(liq - 1), "59000"])
    image = tmp_path / "r.svg"
    run = run_cli("replay", str(file), *LONG, "--json", "--plot-file", str(image))
    assert run.exit_code == 0 and json.loads(run.stdout)["survived"] is False
    text = image.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<?xml") and "<svg" in text
    assert f"liquidated at {liq} on 2024-01-01T00:01:00Z" in text and "liquidation price" in text


def test_bad_chart_options(tmp_path: Path) -> None:
    file = path_file(tmp_path / "c.csv", ["59000"])
    run = run_cli("replay", str(file), *LONG, "--plot", "--json")
    assert run.exit_code == 2 and run.stdout == "" and "--plot" in run.stderr
    run = run_cli("replay", str(file), *LONG, "--plot-file", str(tmp_path / "r.png"))
    assert run.exit_code == 2 and run.stdout == "" and "--plot-file" in run.stderr
    run = run_cli("replay", str(file), *LONG, "--plot", "--fields", "survived")
    assert run.exit_code == 2 and run.stdout == "" and "--fields" in run.stderr


def test_the_account_chart(tmp_path: Path) -> None:
    acct = tmp_path / "a.toml"
    acct.write_text('balance = 1\n[[position]]\nside = "long"\ncontracts = 20000\nentry = 60000\n'
                    '[[position]]\nside = "short"\ncontracts = 10000\nentry = 62000\n', encoding="utf-8")  # fmt: skip
    run = run_cli("replay", str(path_file(tmp_path / "c.csv", ["59000", "8000"])), "--account", str(acct), "--plot")
    assert run.exit_code == 0 and "X: liquidated at 8550.16 on 2024-01-01T00:01:00Z (line 3)." in run.stdout


def test_the_path_is_gathered_into_a_bounded_number_of_buckets(tmp_path: Path) -> None:
    from invfut_cli.commands.replay import chart, run

    n = 3 * chart.BUCKETS + 7
    file = path_file(tmp_path / "c.csv", [str(59000 - i) for i in range(n)])
    values = {"file": str(file), "side": "long", "contracts": D(10000), "leverage": D(10)}
    doc = run(**values)
    gathered = chart.gather(doc, values)
    xs, ys, _ = gathered.points()
    assert len(gathered.low) == chart.BUCKETS and len(xs) <= chart.BUCKETS
    # Each bucket's point is its lowest low: the last is the path's lowest.
    assert min(ys) == ys[-1] == 59000 - (n - 1)


PLOTTING = ("plotille", "pygal", "rich")


def loaded_by(*argv: str) -> list[str]:
    """The plotting (and table) modules loaded after ``invfut ARGV`` in a fresh interpreter."""
    code = (
        "import sys\n"
        f"sys.argv = ['invfut', *{list(argv)!r}]\n"
        "from invfut_cli.app import main\n"
        "try:\n    main()\n"
        "except SystemExit:\n    pass\n"
        f"sys.stderr.write(repr(sorted({{m.split('.')[0] for m in sys.modules}} & {set(PLOTTING)!r})))\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR", "TERM", "COLUMNS")}
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    return eval(run.stderr.splitlines()[-1])  # a list literal of module names


@pytest.mark.parametrize("how", ["position", "account"])
def test_the_json_path_loads_no_table_or_plotting_library(tmp_path: Path, how: str) -> None:
    file = path_file(tmp_path / "c.csv", ["59000", "58000"])
    acct = tmp_path / "a.toml"
    acct.write_text('balance = 1\n[[position]]\nside = "long"\ncontracts = 20000\nentry = 60000\n', encoding="utf-8")
    given = LONG if how == "position" else ("--account", str(acct))
    assert loaded_by("replay", str(file), *given, "--json") == []
    assert loaded_by("replay", str(file), *given, "--plot") == ["plotille", "rich"]


def test_one_candle_is_no_chart(tmp_path: Path) -> None:
    run = run_cli("replay", str(path_file(tmp_path / "c.csv", ["59000"])), *LONG, "--plot")
    assert run.exit_code == 0 and "No chart: it needs candles at two times at least." in run.stdout


def test_plot_wins_over_a_configured_format_and_is_no_batch_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--plot`` shows the table's summary and the chart whatever format is configured, as
    ``ladder --plot`` does; and a batch line cannot ask for a chart (``plot`` is no field of
    its document), as a ladder line cannot."""
    from invfut_cli import config

    file = path_file(tmp_path / "c.csv", ["59000", "59500"])
    monkeypatch.setenv("INVFUT_FORMAT", "json")
    config.settings.cache_clear()
    assert run_cli("replay", str(file), *LONG).stdout.startswith("{")
    run = run_cli("replay", str(file), *LONG, "--plot")
    assert run.exit_code == 0 and not run.stdout.startswith("{")
    assert "Survived the whole path." in run.stdout and "(hours)" in run.stdout
    monkeypatch.delenv("INVFUT_FORMAT")
    config.settings.cache_clear()
    line = {"command": "replay", "file": str(file), "side": "long", "entry": 60000, "contracts": 10000,
            "leverage": 10, "plot": True}  # fmt: skip
    from conftest import CliRunner

    from invfut_cli.cli import app

    answer = CliRunner().invoke(app, ["batch"], input=json.dumps(line) + "\n", prog_name="invfut")
    assert answer.exit_code == 5
    assert json.loads(answer.stdout)["error"]["option"] == "--plot"
