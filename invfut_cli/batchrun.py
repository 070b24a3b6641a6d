"""``invfut batch``: NDJSON requests in, one NDJSON result per line out, in order.

Each input line is a JSON object with ``command`` and the same field names as the
options (``contract_size`` or ``contract-size``, ``from``, ``fill``, …). It is validated by
the same models and computed by the same code as the command; its output line is that
command's JSON document on one line. A line that fails becomes an error record,
``{"line": N, "error": {"option", "message", "exit_code"}}``, and the run goes on.
"""

from __future__ import annotations

import decimal
import json
import os
import stat
from decimal import Decimal
from typing import IO, Any

from pydantic import ValidationError

from .app import BATCH, describe_error, error_object, explained, load_commands
from .core.errors import DomainError
from .core.numbers import CORE_CONTEXT
from .errors import ConfigError, PresetError
from .exitcodes import ExitCode
from .render.json_out import scalar

load_commands()  # registers every command's batch handler

#: The longest line read: a longer one is an error record, not parsed.
MAX_LINE_BYTES = 1 << 20
#: Numbers with a point are Decimals, never floats (built once: a new decoder per line costs
#: more than the parsing).
_DECODER = json.JSONDecoder(parse_float=Decimal)
#: Fields that choose how a command prints; a result line is always JSON.
OUTPUT_FIELDS = frozenset({"json", "format"})


def _error(number: int, option: str | None, message: str, code: ExitCode = ExitCode.USAGE) -> str:
    return scalar({"line": number, "error": error_object(option, code, [(option, message)])})


def result_line(number: int, raw: bytes) -> tuple[str, bool]:
    """The output line for input line ``number``, and whether it succeeded."""
    if len(raw) > MAX_LINE_BYTES:
        return _error(number, None, f"line is longer than {MAX_LINE_BYTES} bytes"), False
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _error(number, None, f"line is not valid UTF-8 (byte {exc.start})"), False
    if not text.strip():
        return _error(number, None, "blank line: expected a JSON object with a command"), False
    try:
        request = _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        return _error(number, None, f"not valid JSON: {exc.msg} at column {exc.colno}"), False
    if not isinstance(request, dict):
        return _error(number, None, "expected a JSON object with a command"), False
    values: dict[str, Any] = {str(k).replace("-", "_"): v for k, v in request.items()}
    command = values.pop("command", None)
    if command not in BATCH:
        known = ", ".join(sorted(BATCH))
        return _error(number, "command", f"unknown command {command!r}: use one of {known}"), False
    explain = values.pop("explain", False) is True
    for field in OUTPUT_FIELDS:
        values.pop(field, None)
    try:
        doc = BATCH[command](**values)
        return scalar(explained(doc, explain)), True
    except (ValidationError, ConfigError, PresetError, DomainError) as exc:
        option, _text, code, details = describe_error(exc)
        return scalar({"line": number, "error": error_object(option, code, details)}), False
    except (KeyboardInterrupt, BrokenPipeError):
        raise
    except Exception as exc:  # one bad line must not stop the run
        message = f"internal error: {type(exc).__name__}: {exc} (please report this)"
        return _error(number, None, message, ExitCode.INTERNAL), False


def run(source: IO[bytes], out: IO[str]) -> ExitCode:
    """Answer every line of ``source`` on ``out``; flush each line unless reading a regular file."""
    try:
        streaming = not stat.S_ISREG(os.fstat(source.fileno()).st_mode)
    except (OSError, ValueError, AttributeError):
        streaming = True
    failed = False
    previous = decimal.getcontext()
    decimal.setcontext(CORE_CONTEXT)  # every core call then runs without a context switch
    try:
        for number, raw in enumerate(source, 1):
            line, ok = result_line(number, raw.rstrip(b"\r\n"))
            failed = failed or not ok
            out.write(line + "\n")
            if streaming:
                out.flush()
        out.flush()
    finally:
        decimal.setcontext(previous)
    return ExitCode.BATCH_ERRORS if failed else ExitCode.OK
