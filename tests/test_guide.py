"""The guide's shell recipes run as written and mean what the guide says.

The ``console`` examples are checked by ``test_readme.py`` and the cron script by
``test_safety.py``; here, the recipes that pipe into ``jq`` or split a batch with ``xargs``
run in bash, with ``invfut`` on ``PATH`` running this checkout.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "GUIDE.md"


def block_after(marker: str) -> str:
    """The first ``sh`` block after ``marker`` in the guide."""
    text = GUIDE.read_text(encoding="utf-8")
    found = re.search(r"```sh\n(.*?)```", text[text.index(marker) :], re.S)
    assert found is not None, marker
    return found.group(1)


@pytest.fixture
def shell(tmp_path: Path) -> dict[str, str]:
    """An environment whose ``invfut`` is this checkout's, run by this interpreter."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "invfut"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m invfut_cli "$@"\n')
    shim.chmod(0o755)
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "PYTHONPATH": str(ROOT)}


def bash(script: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=env, cwd=cwd, timeout=120)


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq is not installed")
def test_batch_with_jq(shell: dict[str, str], tmp_path: Path) -> None:
    """Three questions in one batch: more leverage brings the liquidation price nearer the
    entry, and the pnl line's coin PnL is Q·(1/E − 1/P) to the satoshi."""
    done = bash(block_after("Many questions are one `batch` run"), shell, tmp_path)
    assert done.returncode == 0, done.stderr
    answers = [json.loads(line, parse_float=Decimal) for line in done.stdout.splitlines()]
    assert [a["command"] for a in answers] == ["liq-price", "liq-price", "pnl"]
    at_20x, at_50x, pnl = answers
    assert Decimal(57000) < at_20x["liquidation_price"] < at_50x["liquidation_price"] < 60000
    exact = Fraction(20000) * (Fraction(1, 60000) - Fraction(1, 66000))
    assert pnl["pnl"] == Decimal(round(exact * 10**8)) / 10**8


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq is not installed")
def test_one_answer_with_jq(shell: dict[str, str], tmp_path: Path) -> None:
    """The picked keys: a long's liquidation price below the entry, its distance negative."""
    done = bash(block_after("## Scripts with jq and batch"), shell, tmp_path)
    assert done.returncode == 0, done.stderr
    picked = json.loads(done.stdout, parse_float=Decimal)
    assert set(picked) == {"liquidation_price", "distance_pct", "cost"}
    assert picked["liquidation_price"] < 60000 and picked["distance_pct"] < 0
    # The order cost holds at least the initial margin Q/(E·L).
    assert picked["cost"] > Decimal(20000) / (60000 * 20)


@pytest.mark.skipif(shutil.which("split") is None or shutil.which("xargs") is None, reason="no split or xargs")
def test_xargs_split_writes_what_one_run_writes(shell: dict[str, str], tmp_path: Path) -> None:
    """The recipe without GNU parallel, with parts of 10 lines for 25: the joined answers are
    the bytes one run writes, and the bad line is named by its line in the whole file."""
    lines = [
        json.dumps({"command": "pnl", "side": "long", "entry": 8000 + n, "exit": 9000, "contracts": 100 + n})
        for n in range(25)
    ]
    lines[13] = '{"command": "pnl", "side": "long", "entry": -5, "exit": 9000, "contracts": 10}'
    (tmp_path / "requests.ndjson").write_text("\n".join(lines) + "\n")
    recipe = block_after("Without GNU parallel").replace("10000", "10")
    done = bash(recipe, shell, tmp_path)
    assert done.returncode == 0, done.stderr
    one = subprocess.run(
        [sys.executable, "-m", "invfut_cli", "batch"],
        input=(tmp_path / "requests.ndjson").read_text(),
        capture_output=True,
        text=True,
        env=shell,
        timeout=120,
    )
    assert one.returncode == 5
    joined = (tmp_path / "answers.ndjson").read_text()
    assert joined == one.stdout
    (bad,) = [json.loads(line) for line in joined.splitlines() if '"error"' in line]
    assert bad["line"] == 14 and bad["error"]["option"] == "--entry"
