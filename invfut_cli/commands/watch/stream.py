"""The watch loop: marks in, one NDJSON event per change of state out, flushed as it is
written; a bad line reported on stderr and skipped; ``--exec`` run per event; on a
terminal, a status line kept up to date below the events.

The hot loop does per line what a plain reader does: one ``Decimal`` and a comparison with
the bounds of the current state (:attr:`invfut_cli.core.watch.Watcher.lo` and ``hi``). The
full computation runs only for a mark outside them, a timed or JSON mark, and at funding
times.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from decimal import ROUND_FLOOR, Decimal, InvalidOperation, localcontext
from typing import IO, Any

from invfut_cli.core.numbers import CENT, CORE_CONTEXT, quantize
from invfut_cli.core.watch import State, Watcher

from .marks import MAX_MARK, BadLine, parse_line


class Terminated(Exception):
    """SIGTERM arrived: end as Ctrl-C does, with the terminate code."""


def on_sigterm(_signum: int, _frame: Any) -> None:
    """The SIGTERM handler: raise :class:`Terminated` where the loop is (even in a read)."""
    raise Terminated


class Hook:
    """``--exec``: a command (split as a shell would, run without one) given each event's
    JSON on its stdin, its output sent to stderr; a failure or a timeout is reported, never
    fatal."""

    def __init__(self, command: str, timeout_s: Decimal, err: IO[str]) -> None:
        import shlex

        self.words = shlex.split(command)
        self.timeout = float(timeout_s)
        self.err = err

    def __call__(self, event_json: str, line: int) -> None:
        import subprocess

        name = self.words[0]
        try:
            self.err.flush()
            done = subprocess.run(
                self.words,
                input=event_json.encode(),
                stdout=sys.stderr.fileno() if _has_fileno(sys.stderr) else subprocess.DEVNULL,
                timeout=self.timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            self.err.write(f"invfut watch: --exec: {name} took more than {self.timeout:g} s at line {line}: stopped\n")
        except OSError as exc:
            self.err.write(f"invfut watch: --exec: {name} could not run: {exc.strerror or exc}\n")
        else:
            if done.returncode != 0:
                self.err.write(f"invfut watch: --exec: {name} exited with {done.returncode} at line {line}\n")
        self.err.flush()


def _has_fileno(stream: IO[str]) -> bool:
    try:
        stream.fileno()
    except (OSError, ValueError, AttributeError):
        return False
    return True


class Status:
    """The one-line status on a terminal, drawn over itself (``\\r`` and erase to the end)."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self.drawn = False

    def clear(self) -> None:
        if self.drawn:
            self.out.write("\r\x1b[K")
            self.drawn = False

    def draw(self, text: str) -> None:
        """Show ``text`` in place of the status before (at every mark: marks on a terminal come
        at a reader's pace, and the status must show the last one)."""
        self.out.write("\r\x1b[K" + text)
        self.out.flush()
        self.drawn = True


def follow(
    watcher: Watcher,
    lines: Iterable[str],
    event: Callable[[Any, Any], dict[str, Any]],
    write: Callable[[dict[str, Any]], str],
    out: IO[str],
    err: IO[str],
    every_line: bool = False,
    hook: Hook | None = None,
    status: Status | None = None,
) -> State | None:
    """Feed ``lines`` to ``watcher``; write ``event(observation, mark)`` (as ``write`` turns
    it into a line) at each change of state, or at every mark with ``every_line``; stop
    after ``liquidated``. Returns the least safe state reached (``None``: no mark)."""
    with localcontext(CORE_CONTEXT):
        lo, hi = watcher.lo, min(watcher.hi, MAX_MARK)
        fast = not every_line and status is None
        for number, text in enumerate(lines, 1):
            if fast:
                try:
                    if lo < Decimal(text) < hi:
                        continue
                except (InvalidOperation, ValueError, TypeError):
                    pass
            try:
                mark = parse_line(text)
            except BadLine as exc:
                if status is not None:
                    status.clear()
                err.write(f"invfut watch: line {number}: {exc}\n")
                err.flush()
                continue
            if mark is None:
                continue
            if mark.time_s is not None and watcher.last_time is not None and mark.time_s < watcher.last_time:
                # A mark from the past would pay no funding and judge a state already left:
                # said, and passed over, as a line that does not parse is.
                if status is not None:
                    status.clear()
                err.write(f"invfut watch: line {number}: its time is before the last timed mark's: skipped\n")
                err.flush()
                continue
            seen = watcher.observe(number, mark.mark_usd, mark.time_s)
            lo, hi = watcher.lo, min(watcher.hi, MAX_MARK)
            if seen.changed or every_line:
                doc = event(seen, mark)
                text_out = write(doc)
                if status is not None:
                    status.clear()
                out.write(text_out + "\n")
                out.flush()
                if hook is not None and seen.changed:
                    hook(text_out + "\n", number)
            if status is not None:
                safety = "none" if seen.safety_pct is None else f"{quantize(seen.safety_pct, CENT, ROUND_FLOOR)}%"
                status.draw(
                    f"line {number}  mark {mark.mark_usd}  {seen.state.label}  "
                    f"liquidation {seen.liquidation_usd}  safety {safety}"
                )
            if seen.state is State.LIQUIDATED:
                break
        if status is not None:
            status.clear()
            out.flush()
    return watcher.worst
