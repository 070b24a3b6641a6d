"""``invfut batch``: NDJSON requests in, one NDJSON result per line out, in order.

Each input line is a JSON object with ``command`` and the same field names as the
options (``contract_size`` or ``contract-size``, ``from``, ``fill``, …). It is validated by
the same models and computed by the same code as the command; its output line is that
command's JSON document on one line. A line that fails becomes an error record,
``{"line": N, "error": {"option", "message", "exit_code"}}``, and the run goes on.

The input is read in blocks of whole lines. The first lines are answered here; past
:data:`PARALLEL_LINES`, the rest are shared among forked workers, one per core, which
write their blocks in input order (:func:`invfut_cli.workers.stream_ordered`), so the
output is the same bytes one process writes.
"""

from __future__ import annotations

import decimal
import json
from collections.abc import Callable, Iterator
from typing import IO, Any

from pydantic import ValidationError

from . import workers
from .app import describe_error, error_object, explained
from .core.errors import DomainError
from .core.numbers import CORE_CONTEXT
from .datafile import Hostile, parse_json
from .errors import ConfigError, PresetError
from .exitcodes import ExitCode
from .given import drop_notes, flush_notes
from .lean import LEAN_KEYS, liquidation_price_line
from .registry import REGISTRY, spec
from .render.json_out import scalar
from .selection import ASKED, parse, selection

#: The longest line read: a longer one is an error record, not parsed.
MAX_LINE_BYTES = 1 << 20
#: Fields that choose how a command prints; a result line is always JSON.
OUTPUT_FIELDS = frozenset({"json", "format"})
#: Past this many lines a run is shared among workers (below it, forking costs more than it saves).
PARALLEL_LINES = 2000
#: Bytes read at a time: a block is what one read gave, cut after its last newline.
READ_BYTES = 1 << 16

#: ``batch --fields``: the keys of every line's document that has no ``fields`` of its own.
FIELDS: tuple[str, ...] | None = None

#: What a line can report besides its output line: it gave an error record; its document
#: raised an alert (``"alert": true``).
FAILED = 1
ALERT = 2


def _error(number: int, option: str | None, message: str, code: ExitCode = ExitCode.USAGE) -> str:
    return scalar({"line": number, "error": error_object(option, code, [(option, message)])})


def result_line(number: int, raw: bytes) -> tuple[str, int]:
    """The output line for input line ``number``, and its flags (:data:`FAILED`, :data:`ALERT`)."""
    if len(raw) > MAX_LINE_BYTES:
        return _error(number, None, f"line is longer than {MAX_LINE_BYTES} bytes"), FAILED
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _error(number, None, f"line is not valid UTF-8 (byte {exc.start})"), FAILED
    if not text or text.isspace():
        return _error(number, None, "blank line: expected a JSON object with a command"), FAILED
    try:
        request = parse_json(text)
    except json.JSONDecodeError as exc:
        return _error(number, None, f"not valid JSON: {exc.msg} at column {exc.colno}"), FAILED
    except Hostile as exc:
        return _error(number, None, str(exc).removeprefix("line 1: ")), FAILED
    if not isinstance(request, dict):
        return _error(number, None, "expected a JSON object with a command"), FAILED
    if request.get("command") == "liq-price":  # a liquidation price alone: the lean path, where it vouches for the line
        lean = _lean(request)
        if lean is not None:
            return lean
    values: dict[str, Any] = {(k.replace("-", "_") if "-" in k else k): v for k, v in request.items()}
    command = values.pop("command", None)
    run = spec(command).run
    if run is None:
        known = ", ".join(sorted(name for name in REGISTRY if spec(name).run is not None))
        said = f"{command} does not run in batch" if command in REGISTRY else f"unknown command {command!r}"
        return _error(number, "command", f"{said}: use one of {known}"), FAILED
    explain = values.pop("explain", False) is True
    for field in OUTPUT_FIELDS:
        values.pop(field, None)
    given = values.pop("fields", None)
    token = None
    try:
        keys = FIELDS if given is None else parse(given)
        if keys is not None:
            token = ASKED.set(selection(command, keys))
        doc = run(**values)
        answer = scalar(explained(doc, explain)), ALERT if doc.get("alert") is True else 0
        flush_notes(f"invfut batch: line {number}")
        return answer
    except (ValidationError, ConfigError, PresetError, DomainError) as exc:
        drop_notes()
        option, _text, code, details = describe_error(exc)
        return scalar({"line": number, "error": error_object(option, code, details)}), FAILED
    except (KeyboardInterrupt, BrokenPipeError):
        raise
    except Exception as exc:  # one bad line must not stop the run
        drop_notes()
        message = f"internal error: {type(exc).__name__}: {exc} (please report this)"
        return _error(number, None, message, ExitCode.INTERNAL), FAILED
    finally:
        if token is not None:
            ASKED.reset(token)


def _lean(values: dict[str, Any]) -> tuple[str, int] | None:
    """The answer of the lean path (:mod:`invfut_cli.lean`) to a ``liq-price`` line that asks
    only for ``liquidation_price`` (by its own ``fields`` or ``batch --fields``), or ``None``.
    ``values``: the line as read, ``command`` included (a field spelt with a hyphen is left
    to the full path)."""
    given = values.get("fields")
    if (FIELDS if given is None else LEAN_KEYS if given in _LEAN_GIVEN else None) != LEAN_KEYS:
        return None
    answer = liquidation_price_line(values)
    return None if answer is None else (answer[0], ALERT if answer[1] else 0)


#: A line's ``fields`` that ask for :data:`LEAN_KEYS` alone.
_LEAN_GIVEN = (list(LEAN_KEYS), ",".join(LEAN_KEYS))


def answer_block(first: int, data: bytes) -> tuple[str, int]:
    """The output lines for the lines of ``data`` (numbered from ``first``), and their flags."""
    lines = data.split(b"\n")
    if not lines[-1]:
        lines.pop()  # the end of the last line, not a line
    if b"\r" in data:  # CRLF line ends
        lines = [raw.rstrip(b"\r") for raw in lines]
    answers: list[str] = []
    flags = 0
    for number, raw in enumerate(lines, first):
        line, seen = result_line(number, raw)
        flags |= seen
        answers.append(line)
    answers.append("")
    return "\n".join(answers), flags


#: The most bytes of one line held: the longest line and the ``\r`` of a CRLF line end
#: (:func:`result_line` checks the length once that is dropped).
_HELD_BYTES = MAX_LINE_BYTES + 1
#: What stands for a line longer than :data:`_HELD_BYTES` once its bytes are dropped: a
#: line that long, which :func:`result_line` answers with its error record.
_TOO_LONG = b" " * (_HELD_BYTES + 1)


def blocks(read: Callable[[int], bytes], first: int = 1) -> Iterator[tuple[int, bytes]]:
    """``(number of its first line, block)`` for each block of whole lines ``read`` gives: what
    one read returned, cut after its last newline (the last block may lack one). A line
    longer than :data:`_HELD_BYTES` is not held: its bytes are dropped as they come and
    it stands as :data:`_TOO_LONG` (memory stays bounded whatever the input)."""
    pending: list[bytes] = []  # an unfinished line
    held = 0  # its bytes so far
    while data := read(READ_BYTES):
        cut = data.rfind(b"\n") + 1
        if not cut:
            held += len(data)
            if held > _HELD_BYTES:
                pending = [_TOO_LONG]
            else:
                pending.append(data)
            continue
        block = data[:cut]
        if pending:
            end = data.find(b"\n")
            if held + end > _HELD_BYTES:
                block = b"".join([_TOO_LONG, block[end:]])
            else:
                block = b"".join([*pending, block])
            pending, held = [], 0
        yield first, block
        first += block.count(b"\n")
        if cut < len(data):
            pending.append(data[cut:])
            held = len(data) - cut
    if pending:
        yield first, b"".join(pending)


def _reader(source: IO[bytes]) -> Callable[[int], bytes]:
    """A read that returns what is there (at least a byte, if the input has not ended)."""
    read1 = getattr(source, "read1", None)
    return read1 if read1 is not None else source.read


def run(source: IO[bytes], out: IO[str], line_offset: int = 0, fields: tuple[str, ...] | None = None) -> ExitCode:
    """Answer every line of ``source`` on ``out``, each block as soon as it is read; past
    :data:`PARALLEL_LINES` lines, on every core. Error records number the lines from
    ``line_offset + 1``. The exit code: 5 if a line failed, else 4 if a document raised an
    alert, else 0. ``fields``: the keys of each line's document (a line's ``fields`` wins)."""
    global FIELDS
    FIELDS, before = fields, FIELDS
    flags = 0
    previous = decimal.getcontext()
    decimal.setcontext(CORE_CONTEXT)  # every core call then runs without a context switch
    try:
        pending = blocks(_reader(source), line_offset + 1)
        for first, data in pending:
            text, seen = answer_block(first, data)
            flags |= seen
            out.write(text)
            out.flush()
            done = first - 1 - line_offset + data.count(b"\n")
            if workers.usable(out, done, PARALLEL_LINES):  # the rest, on every core
                flags |= workers.stream_ordered(pending, answer_block, out)
                break
        out.flush()
    finally:
        decimal.setcontext(previous)
        FIELDS = before
    if flags & FAILED:
        return ExitCode.BATCH_ERRORS
    return ExitCode.ALERT if flags & ALERT else ExitCode.OK
