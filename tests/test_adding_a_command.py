"""The development guide's "Adding a command" is true: its two modules, written into a copy of the
package with ``"value"`` added to the registry, make a command that runs, explains itself,
runs in a batch, publishes its schema, and passes the one-registry check.

The value of 10,000 USD of contracts entered at 8,000 is ``Q/E = 1.25`` BTC, and the size
``Q = n·S = 10,000`` USD: both from the formula, not from the code under test.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from test_registry import command_tables

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "DEVELOPMENT.md"


def _blocks() -> tuple[str, str]:
    """The core module and the command module the development guide shows."""
    text = GUIDE.read_text(encoding="utf-8")
    section = text[text.index("## Adding a command") :]
    core_block, command_block = re.findall(r"```python\n(.*?)```", section, flags=re.S)[:2]
    assert "def value(" in core_block and '@command("value"' in command_block
    return core_block, command_block


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the package with the development guide's two modules added and ``value`` registered."""
    root = tmp_path_factory.mktemp("added")
    package = root / "invfut_cli"
    shutil.copytree(ROOT / "invfut_cli", package, ignore=shutil.ignore_patterns("__pycache__"))
    core_block, command_block = _blocks()
    (package / "core" / "value.py").write_text(core_block, encoding="utf-8")
    (package / "commands" / "value.py").write_text(command_block, encoding="utf-8")
    registry = package / "registry.py"
    source = registry.read_text(encoding="utf-8")
    assert '    "schema",\n)' in source
    registry.write_text(source.replace('    "schema",\n)', '    "schema",\n    "value",\n)'), encoding="utf-8")
    return root


def _run(root: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root), "COLUMNS": "80", "NO_COLOR": "1"}
    env.pop("FORCE_COLOR", None)
    return subprocess.run(
        [sys.executable, "-m", "invfut_cli", *args],
        capture_output=True,
        text=True,
        env=env,
        input=stdin,
        cwd=root,
        check=False,
        timeout=60,
    )


def test_the_new_command_answers_with_the_formula(scratch: Path) -> None:
    done = _run(scratch, "value", "--entry", "8000", "--contracts", "10000", "--json")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout, parse_float=Decimal)
    assert doc["command"] == "value"
    assert Decimal(doc["size_usd"]) == Decimal(10000) * 1
    assert Decimal(doc["value_entry"]) == Decimal(10000) / Decimal(8000)
    assert doc["explain"] is None


def test_the_new_command_explains_lists_and_refuses_like_the_others(scratch: Path) -> None:
    explained = _run(scratch, "value", "--entry", "8000", "--contracts", "10000", "--explain")
    assert explained.returncode == 0, explained.stderr
    assert "V = Q/E = 1.25000000 coin" in explained.stdout
    assert "value" in _run(scratch, "--help").stdout
    bad = _run(scratch, "value", "--entry", "-1", "--contracts", "10000")
    assert bad.returncode == 2 and bad.stdout == ""
    assert "--entry" in bad.stderr and len(bad.stderr.strip().splitlines()) == 1


def test_batch_and_the_schema_find_the_new_command_by_its_name(scratch: Path) -> None:
    line = json.dumps({"command": "value", "entry": 8000, "contracts": 10000})
    batch = _run(scratch, "batch", stdin=line + "\n")
    assert batch.returncode == 0, batch.stderr
    assert Decimal(json.loads(batch.stdout, parse_float=Decimal)["value_entry"]) == Decimal("1.25")
    schema = _run(scratch, "schema", "value")
    assert schema.returncode == 0, schema.stderr
    assert set(json.loads(schema.stdout)["properties"]) == {"command", "size_usd", "value_entry", "explain"}


def test_the_new_modules_keep_the_one_registry_rule(scratch: Path) -> None:
    for path in (scratch / "invfut_cli" / "commands" / "value.py", scratch / "invfut_cli" / "core" / "value.py"):
        assert command_tables(path.read_text(encoding="utf-8"), str(path)) == []
