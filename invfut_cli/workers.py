"""Long outputs on every core: forked workers that write their chunks in order.

A million-row ladder or a big batch is cut into chunks. The parent forks one worker per
core; worker ``w`` renders chunks ``w, w + n, w + 2n, …`` and writes each one to stdout
when its turn comes. The turn is a token passed round a ring of pipes, so the chunks
come out in their order, each written whole, and each worker holds one chunk at a time
(memory stays flat however long the output is).

It is used only where it can be: ``os.fork`` exists, more than one core is free, stdout
is a real file or pipe, and the output is long. ``INVFUT_WORKERS=1`` turns it off;
``INVFUT_WORKERS=N`` sets the number of workers.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Sequence
from typing import IO, TypeVar

from .config import WORKERS_ENV

T = TypeVar("T")

#: At most this many workers, whatever the machine.
MAX_WORKERS = 16

# How a worker ends; the parent turns these back into what a single process would do.
_OK = 0
_FAILED = 1
_PIPE_CLOSED = 3
_RING_BROKEN = 4
_INTERRUPTED = 130


class WorkerError(RuntimeError):
    """A worker failed; the message is the worker's own."""


def count() -> int:
    """How many workers to use: ``INVFUT_WORKERS``, or the cores this process may run on."""
    wanted = os.environ.get(WORKERS_ENV, "").strip()
    if wanted:
        try:
            return max(1, min(MAX_WORKERS, int(wanted)))
        except ValueError:
            return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(MAX_WORKERS, cores))


def usable(out: IO[str], items: int, at_least: int) -> bool:
    """Whether ``items`` (rows, lines) are worth forking for, and ``out`` can take it."""
    if items < at_least or not hasattr(os, "fork") or count() < 2:
        return False
    try:
        out.fileno()
    except (AttributeError, OSError, ValueError):
        return False  # not a real file (a test's capture): one process writes it
    return True


def chunks(points: range, size: int) -> list[range]:
    """``points`` cut into consecutive ranges of ``size`` (the last may be shorter)."""
    return [points[i : i + size] for i in range(0, len(points), size)]


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _worker(
    index: int,
    tasks: Sequence[T],
    render: Callable[[T], str],
    fd: int,
    turn: int,
    pass_on: int,
    errors: int,
    workers: int,
) -> int:
    """Render this worker's tasks and write each on its turn; the exit status."""
    try:
        for number in range(index, len(tasks), workers):
            failure = None
            try:
                data = render(tasks[number]).encode("utf-8")
            except Exception as exc:  # reported on this chunk's turn: the first failure in order
                failure = exc
            if not os.read(turn, 1):
                return _RING_BROKEN  # the worker before this one is gone; the parent reports why
            if failure is not None:
                return _report(errors, failure)
            _write_all(fd, data)
            if number + 1 < len(tasks):  # the next chunk's worker waits for its turn
                try:
                    os.write(pass_on, b".")
                except BrokenPipeError:
                    return _RING_BROKEN  # that worker is gone; the parent reports why
        return _OK
    except BrokenPipeError:
        return _PIPE_CLOSED
    except KeyboardInterrupt:
        return _INTERRUPTED
    except Exception as exc:  # reported by the parent, as a single process would
        return _report(errors, exc)


def _report(errors: int, exc: Exception) -> int:
    """Hand ``exc`` to the parent (one line on the error pipe); the status of a failure."""
    os.write(errors, f"{type(exc).__name__}: {exc}\n".encode("utf-8", "replace")[:4000])
    return _FAILED


def write_ordered(tasks: Sequence[T], render: Callable[[T], str], out: IO[str]) -> None:
    """Write ``render(task)`` for every task to ``out``, in order, from :func:`count` workers.

    Raises ``BrokenPipeError`` when the reader went away, ``KeyboardInterrupt`` on Ctrl-C,
    and :class:`WorkerError` when a worker failed, as writing them in this process would.
    """
    out.flush()
    fd = out.fileno()
    workers = max(1, min(count(), len(tasks)))
    ring = [os.pipe() for _ in range(workers)]
    errors_read, errors_write = os.pipe()
    children: list[int] = []
    try:
        for index in range(workers):
            pid = os.fork()
            if pid == 0:  # the worker: keep its own turn and the next one's, close the rest
                status = _FAILED
                try:
                    signal.signal(signal.SIGINT, signal.default_int_handler)
                    turn, pass_on = ring[index][0], ring[(index + 1) % workers][1]
                    for read_end, write_end in ring:
                        if read_end != turn:
                            os.close(read_end)
                        if write_end != pass_on:
                            os.close(write_end)
                    os.close(errors_read)
                    status = _worker(index, tasks, render, fd, turn, pass_on, errors_write, workers)
                finally:
                    os._exit(status)
            children.append(pid)
        os.write(ring[0][1], b".")  # the first chunk's turn
    finally:
        for read_end, write_end in ring:
            os.close(read_end)
            os.close(write_end)
        os.close(errors_write)
    _wait(children, errors_read)


def _wait(children: list[int], errors: int) -> None:
    """Reap every worker; stop the rest when one fails, and raise what the first failure was."""
    statuses: list[int] = []
    pending = set(children)
    try:
        while pending:
            pid, status = os.waitpid(-1, 0)
            if pid not in pending:
                continue
            pending.discard(pid)
            code = os.waitstatus_to_exitcode(status)
            statuses.append(code)
            if code != _OK:
                for other in pending:
                    _stop(other)
    except KeyboardInterrupt:
        for other in pending:
            _stop(other)
        for other in pending:
            try:
                os.waitpid(other, 0)
            except ChildProcessError:
                pass  # reaped just as the interrupt came
        raise
    finally:
        message = _drain(errors)
        os.close(errors)
    if _FAILED in statuses:
        raise WorkerError(message.strip() or "a worker failed")
    if _INTERRUPTED in statuses:
        raise KeyboardInterrupt
    if _PIPE_CLOSED in statuses:
        raise BrokenPipeError
    if any(code not in (_OK, _RING_BROKEN) for code in statuses):
        raise WorkerError(f"a worker ended with status {next(c for c in statuses if c != _OK)}")


def _stop(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        pass


def _drain(fd: int) -> str:
    os.set_blocking(fd, False)
    parts: list[bytes] = []
    try:
        while chunk := os.read(fd, 65536):
            parts.append(chunk)
    except BlockingIOError:
        pass
    return b"".join(parts).decode("utf-8", "replace").splitlines()[0] if parts else ""
