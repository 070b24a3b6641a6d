"""The corpus of hand-picked fine-grained inputs (tests/data/fine_inputs.ndjson): each line a
request as a ``batch`` line takes it (:func:`batch_line`), and as a command line (:func:`argv`,
with :func:`stdin`).

A ``replay`` line holds its candles (``candles``: rows of time, open, high, low, close), written
to a file the line then names; a ``watch`` line holds its ``mark``, which the command line
reads on stdin."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from conftest import ROOT

CORPUS = ROOT / "tests" / "data" / "fine_inputs.ndjson"
#: Commands a ``batch`` line cannot run (no numbers to answer): the command line runs them.
COMMAND_LINE_ONLY = {"exchanges", "schema", "keys"}  # keys prompts and changes the keyring: not in batch
#: Fields that are a command's positional argument, not an option.
POSITIONAL = ("name", "action", "file")
#: The candle file's header (``replay``).
CANDLE_HEADER = "time,open,high,low,close"
#: The fields of an account given inline in a batch line: on the command line, a file.
ACCOUNT = ("coin", "balance", "position")


def requests() -> list[dict[str, Any]]:
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]


def batch_line(request: dict[str, Any], folder: Path | None = None) -> dict[str, Any]:
    """``request`` as a ``batch`` line: its candles (``replay``) written to a file it names."""
    values = dict(request)
    candles = values.pop("candles", None)
    if candles is not None:
        where = Path(tempfile.mkdtemp(dir=folder)) / "candles.csv"
        rows = [CANDLE_HEADER, *(",".join(str(cell) for cell in row) for row in candles)]
        where.write_text("\n".join(rows) + "\n", encoding="utf-8")
        values["file"] = str(where)
    return values


def stdin(request: dict[str, Any]) -> str | None:
    """What the command line reads on stdin: a ``watch`` line's mark."""
    return f"{request['mark']}\n" if request["command"] == "watch" else None


def argv(request: dict[str, Any], folder: Path | None = None) -> list[str]:
    """``request`` as a command line, with ``--json`` (an inline account written to a file;
    ``watch`` writes JSON lines and reads its mark on stdin)."""
    values = batch_line(request, folder)
    command = values.pop("command")
    if command == "watch":
        values.pop("mark")
    words = [command] if command in ("schema", "watch") else [command, "--json"]  # JSON either way
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
