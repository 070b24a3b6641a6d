"""The published schema works with stock validators: every answer of the schema corpus
(:mod:`test_schema`'s runs, batch lines) and of the fine-grained corpus validates against
``invfut schema CMD`` in python-jsonschema after a plain ``json.loads`` (binary floats), and
in ajv (npm), a validator of another ecosystem; and the places each schema states
(``x-decimal-places``) hold on the JSON text itself.

ajv is found on PATH or where ``.ci/run`` installs it (``.ci/node``). Locally the ajv test
skips, saying so, when ajv is not there; in CI (``CI=true``) it fails.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, CliRunner
from fine_corpus import argv, requests, stdin
from jsonschema import Draft202012Validator
from test_schema import CASES, answer

from invfut_cli.cli import app
from invfut_cli.documents import LAYOUTS, OPTIONAL
from invfut_cli.registry import REGISTRY
from invfut_cli.schema import GIVEN_KEYWORD, PLACES_KEYWORD, document_schema

#: Batch lines of several commands (a batch line's answer is its command's document).
BATCH = [
    {"command": "pnl", "side": "long", "entry": 8000, "contracts": 10000, "exit": 9000, "leverage": 10},
    {"command": "liq-price", "side": "short", "entry": 60000, "contracts": 100, "balance": 1, "exchange": "okx"},
    {"command": "leverage", "entry": 8000, "contracts": 10000, "leverage": 10},
    {"command": "stress", "side": "long", "entry": 8000, "contracts": 10000, "leverage": 10, "move": ["-10%"]},
    {"command": "watch", "side": "long", "entry": 60000, "contracts": 10000, "leverage": 10, "mark": 56000},
]


def schema(command: str) -> dict[str, Any]:
    return document_schema(command, LAYOUTS[command], OPTIONAL.get(command, frozenset()))


def _answers() -> list[tuple[str, str]]:
    """``(command, JSON text)`` of every answer the tests validate."""
    from invfut_cli.batchrun import result_line

    found = [(command, answer(command, args)) for command, args in CASES]
    for number, request in enumerate(BATCH, 1):
        found.append((request["command"], result_line(number, json.dumps(request).encode())[0]))
    for request in requests():
        if request["command"] == "schema":
            continue
        words = argv(request)
        run = CliRunner().invoke(app, words, input=stdin(request), prog_name="invfut")
        assert run.exit_code in (0, 3, 4), (words, run.stderr)
        found.append((words[0], run.stdout))
    return found


@pytest.fixture(scope="module")
def answers() -> list[tuple[str, str]]:
    return _answers()


def test_the_schemas_state_places_without_multiple_of() -> None:
    """Stock validators read JSON numbers as binary floats: ``multipleOf: 1e-08`` fails
    ``0.16666667``. The places are stated with ``x-decimal-places`` (and in the description)."""
    for command in LAYOUTS:
        text = json.dumps(schema(command))
        assert "multipleOf" not in text, command
        Draft202012Validator.check_schema(schema(command))
    price = schema("liq-price")["properties"]["liquidation_price"]
    assert price[PLACES_KEYWORD] == 8 and "8 decimal places" in price["description"]
    assert schema("liq-price")["properties"]["order_cost"]["properties"]["leverage"][GIVEN_KEYWORD] is True


def test_every_answer_validates_in_python_jsonschema_after_plain_json_loads(answers: list[tuple[str, str]]) -> None:
    """What every user does: ``json.loads`` (floats) and validate with python-jsonschema."""
    assert {command for command, _ in answers} == set(LAYOUTS)
    validators = {command: Draft202012Validator(schema(command)) for command in LAYOUTS}
    for command, text in answers:
        errors = list(validators[command].iter_errors(json.loads(text)))
        assert not errors, (command, [f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors[:3]])
    sys.stdout.write(f"\npython-jsonschema: {len(answers)} answers valid\n")


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _walk(node: dict[str, Any], value: Any, where: str, found: list[str]) -> None:
    """Each number under ``node`` against the places the schema states for it."""
    if isinstance(value, dict):
        properties = node.get("properties")
        extra = node.get("additionalProperties")
        for key, item in value.items():
            sub = properties.get(key) if properties else extra if isinstance(extra, dict) else None
            if sub is not None:
                _walk(sub, item, f"{where}.{key}", found)
    elif isinstance(value, list) and isinstance(node.get("items"), dict):
        for index, item in enumerate(value):
            _walk(node["items"], item, f"{where}.{index}", found)
    elif isinstance(value, Decimal) and PLACES_KEYWORD in node:
        most = node[PLACES_KEYWORD]
        tiny = 0 < value < Decimal(1).scaleb(-most) and "satoshi" in node["description"]  # a price below 1 satoshi
        if _places(value) > most and not tiny:
            found.append(f"{where} = {value} has more than {most} places")


def test_the_places_each_schema_states_hold_on_the_json_text(answers: list[tuple[str, str]]) -> None:
    """The project's own strict check, read from the JSON text (``parse_float=Decimal`` keeps
    the places as written): no number has more places than its schema states."""
    found: list[str] = []
    for command, text in answers:
        _walk(schema(command), json.loads(text, parse_float=Decimal), command, found)
    assert not found, found[:5]


def test_the_places_check_can_fail() -> None:
    found: list[str] = []
    doc = json.loads(answer(*CASES[0]), parse_float=Decimal)
    doc["pnl"] = Decimal("0.123456789")
    _walk(schema(CASES[0][0]), doc, "pnl", found)
    assert found == ["pnl.pnl = 0.123456789 has more than 8 places"]


def ajv_program() -> str | None:
    local = ROOT / ".ci" / "node" / "node_modules" / ".bin" / "ajv"
    return str(local) if local.exists() else shutil.which("ajv")


def test_every_answer_validates_in_ajv(answers: list[tuple[str, str]], tmp_path: Path) -> None:
    """The same answers in ajv (JavaScript: numbers are doubles), one ajv run for all: the
    schemas side by side under ``$defs``, each answer checked against its command's."""
    program = ajv_program()
    if program is None or shutil.which("node") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("ajv is not installed: .ci/run installs it (npm install --prefix .ci/node ajv-cli@5)")
        pytest.skip("ajv is not installed (npm install --prefix .ci/node ajv-cli@5, or run .ci/run)")
    defs = {}
    for command in LAYOUTS:
        one = schema(command)
        one.pop("$schema")
        one.pop("$id")
        defs[command] = one
    combined = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "required": ["command"],
        "properties": {"command": {"enum": sorted(LAYOUTS)}},
        "allOf": [{"if": {"properties": {"command": {"const": c}}}, "then": {"$ref": f"#/$defs/{c}"}} for c in LAYOUTS],
        "$defs": defs,
    }
    (tmp_path / "schema.json").write_text(json.dumps(combined), encoding="utf-8")
    data = tmp_path / "answers"
    data.mkdir()
    for number, (_command, text) in enumerate(answers):
        (data / f"{number:04d}.json").write_text(text, encoding="utf-8")
    done = subprocess.run(
        [program, "validate", "--spec=draft2020", "--strict=false", "--errors=text", "-s",
         str(tmp_path / "schema.json"), "-d", str(data / "*.json")],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    report = done.stdout + done.stderr
    assert done.returncode == 0, report[-3000:]
    assert report.count(" valid") == len(answers), report[-2000:]
    # The combined schema does reject a wrong answer (ajv is really checking).
    bad = json.loads(answers[0][1])
    bad["unknown_key"] = 1
    (tmp_path / "bad.json").write_text(json.dumps(bad), encoding="utf-8")
    wrong = subprocess.run(
        [program, "validate", "--spec=draft2020", "--strict=false", "-s", str(tmp_path / "schema.json"),
         "-d", str(tmp_path / "bad.json")],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert wrong.returncode != 0 and "invalid" in wrong.stdout + wrong.stderr
    sys.stdout.write(f"\najv: {len(answers)} answers valid\n")


def test_every_command_that_writes_a_document_is_validated() -> None:
    assert set(LAYOUTS) == set(REGISTRY) - {"batch", "schema"}
