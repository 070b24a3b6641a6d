"""The corpus of hand-picked fine-grained inputs (tests/data/fine_inputs.ndjson): each line a
request as a ``batch`` line takes it, and as a command line (:func:`argv`)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from conftest import ROOT

CORPUS = ROOT / "tests" / "data" / "fine_inputs.ndjson"
#: Commands a ``batch`` line cannot run (no numbers to answer): the command line runs them.
COMMAND_LINE_ONLY = {"exchanges", "schema"}
#: Fields that are a command's positional argument, not an option.
POSITIONAL = {"name"}
#: The fields of an account given inline in a batch line: on the command line, a file.
ACCOUNT = ("coin", "balance", "position")


def requests() -> list[dict[str, Any]]:
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]


def argv(request: dict[str, Any], folder: Path | None = None) -> list[str]:
    """``request`` as a command line, with ``--json`` (an inline account written to a file)."""
    values = dict(request)
    command = values.pop("command")
    words = [command] if command == "schema" else [command, "--json"]  # a schema is JSON
    if words[0] == "account":
        account = {key: values.pop(key) for key in ACCOUNT if key in values}
        where = Path(tempfile.mkdtemp(dir=folder)) / "account.json"
        where.write_text(json.dumps(account), encoding="utf-8")
        words.append(str(where))
    positional = [str(values.pop(key)) for key in POSITIONAL if key in values]
    for field, value in values.items():
        option = "--" + field.replace("_", "-")
        for one in value if isinstance(value, list) else [value]:
            words.extend([option] if one is True else [option, str(one)])
    return words + positional
