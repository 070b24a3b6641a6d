"""Long outputs on every core: forked workers that write their chunks in order.

A million-row ladder or a big batch is cut into chunks. The parent forks one worker per
core; worker ``w`` renders chunks ``w, w + n, w + 2n, …`` and writes each one to stdout
when its turn comes. The turn is a token passed round a ring of pipes, so the chunks
come out in their order, each written whole, and each worker holds one chunk at a time
(memory stays flat however long the output is).

A stream (``batch``'s input) is shared the same way, except that the parent reads it and
hands block ``k`` to worker ``k mod n`` through a pipe as it comes (:func:`stream_ordered`);
each worker also reports what it saw (a failed line, an alert) in its exit status.

It is used only where it can be: ``os.fork`` exists, more than one core is free, stdout
is a real file or pipe, and the output is long. ``INVFUT_WORKERS=1`` turns it off;
``INVFUT_WORKERS=N`` sets the number of workers.
"""

from __future__ import annotations

import os
import select
import signal
import struct
from collections.abc import Callable, Iterable, Sequence
from typing import IO, TypeVar

from .config import WORKERS_ENV

try:
    import fcntl
except ImportError:  # not POSIX: no workers there, and no pipe sizes
    fcntl = None  # type: ignore[assignment]

T = TypeVar("T")

#: At most this many workers, whatever the machine.
MAX_WORKERS = 16

# How a worker ends; the parent turns these back into what a single process would do.
_OK = 0
_FAILED = 1
_PIPE_CLOSED = 3
_RING_BROKEN = 4
_INTERRUPTED = 130
#: A stream worker that finished ends with this plus the flags it saw (below 64).
_DONE = 64

#: A stream block on its way to a worker: its first line's number and its length, then the bytes.
_HEADER = struct.Struct("<QQ")
#: Linux lets a pipe hold this much, so the reader runs ahead of busy workers.
_PIPE_BYTES = 1 << 20


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


def stream_ordered(
    blocks: Iterable[tuple[int, bytes]],
    render: Callable[[int, bytes], tuple[str, int]],
    out: IO[str],
) -> int:
    """Write ``render(first, data)`` for every block ``(first, data)`` of ``blocks`` to ``out``,
    in order, from :func:`count` workers; the flags ``render`` returned, together (``|``).

    ``blocks`` is read here, in the parent, as it comes (a pipe's input is answered while
    it is still being written), and block ``k`` goes to worker ``k mod n``. Raises as
    :func:`write_ordered` does; a ``KeyboardInterrupt`` while reading stops every worker.
    """
    out.flush()
    fd = out.fileno()
    encoding, errors = getattr(out, "encoding", None) or "utf-8", getattr(out, "errors", None) or "strict"
    workers = count()
    ring = [os.pipe() for _ in range(workers)]
    inboxes = [os.pipe() for _ in range(workers)]
    for read_end, _ in inboxes:
        _widen(read_end)
    errors_read, errors_write = os.pipe()
    children: list[int] = []
    senders: list[int] = []
    try:
        for index in range(workers):
            pid = os.fork()
            if pid == 0:  # the worker: its inbox, its own turn and the next one's; close the rest
                status = _FAILED
                try:
                    signal.signal(signal.SIGINT, signal.default_int_handler)
                    turn, pass_on, inbox = ring[index][0], ring[(index + 1) % workers][1], inboxes[index][0]
                    for pipe in (*ring, *inboxes):
                        for end in pipe:
                            if end not in (turn, pass_on, inbox):
                                os.close(end)
                    os.close(errors_read)
                    status = _stream_worker(inbox, render, fd, encoding, errors, turn, pass_on, errors_write)
                finally:
                    os._exit(status)
            children.append(pid)
        os.write(ring[0][1], b".")  # the first block's turn
    finally:
        for read_end, write_end in ring:
            os.close(read_end)
            os.close(write_end)
        for read_end, _ in inboxes:
            os.close(read_end)
        senders = [write_end for _, write_end in inboxes]
        os.close(errors_write)
    try:
        _send(blocks, senders)
    except KeyboardInterrupt:
        for pid in children:
            _stop(pid)
        for pid in children:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass  # already reaped
        os.close(errors_read)
        raise
    finally:
        for sender in senders:
            os.close(sender)
    return _wait(children, errors_read)


def _send(blocks: Iterable[tuple[int, bytes]], senders: list[int]) -> None:
    """Deal the blocks round the workers' inboxes; stop early if a worker is gone (its
    status says why)."""
    workers = len(senders)
    for number, (first, data) in enumerate(blocks):
        try:
            _write_all(senders[number % workers], _HEADER.pack(first, len(data)) + data)
        except BrokenPipeError:
            return


def _widen(fd: int) -> None:
    """Let pipe ``fd`` hold :data:`_PIPE_BYTES` where the system allows it (Linux)."""
    setsize = getattr(fcntl, "F_SETPIPE_SZ", None)
    if setsize is None:
        return
    try:
        fcntl.fcntl(fd, setsize, _PIPE_BYTES)
    except OSError:
        pass  # above the system's limit: the default size works, only with shorter strides


def _read_exactly(fd: int, size: int) -> bytes:
    """``size`` bytes from ``fd``, or fewer at its end."""
    parts: list[bytes] = []
    while size:
        part = os.read(fd, min(size, _PIPE_BYTES))
        if not part:
            break
        parts.append(part)
        size -= len(part)
    return b"".join(parts)


def _stream_worker(
    inbox: int,
    render: Callable[[int, bytes], tuple[str, int]],
    fd: int,
    encoding: str,
    errors: str,
    turn: int,
    pass_on: int,
    error_pipe: int,
) -> int:
    """Answer the blocks that come to ``inbox`` and write each on its turn; the exit status
    (:data:`_DONE` plus the flags seen, when all went well). A worker answers its next block,
    if it has come, before it waits for the turn of the one it holds (it does not sit idle
    while the worker before it finishes a slower block); when nothing has come, it writes
    what it holds first (an answer never waits for input that has not arrived)."""
    flags, ring = 0, (fd, turn, pass_on, error_pipe)
    held: list[tuple[bytes, Exception | None]] = []  # answered, waiting for its turn: one at most
    try:
        while True:
            if held and not select.select([inbox], [], [], 0)[0] and (status := _on_turn(held, *ring)):
                return status
            header = _read_exactly(inbox, _HEADER.size)
            if not header:
                break
            first, size = _HEADER.unpack(header)
            data = _read_exactly(inbox, size)
            try:
                text, seen = render(first, data)
                flags |= seen
                answer: tuple[bytes, Exception | None] = (text.encode(encoding, errors), None)
            except Exception as exc:  # reported on this block's turn: the first failure in order
                answer = (b"", exc)
            if held and (status := _on_turn(held, *ring)):
                return status
            held.append(answer)
        if held and (status := _on_turn(held, *ring)):
            return status
        return _DONE + flags
    except BrokenPipeError:
        return _PIPE_CLOSED
    except KeyboardInterrupt:
        return _INTERRUPTED
    except Exception as exc:  # reported by the parent, as a single process would
        return _report(error_pipe, exc)


def _on_turn(held: list[tuple[bytes, Exception | None]], fd: int, turn: int, pass_on: int, error_pipe: int) -> int:
    """Wait for the turn, write the answer ``held`` and pass the turn on; 0, or the status to
    stop with (the ring is broken, or the block failed: reported here)."""
    encoded, failure = held.pop()
    if not os.read(turn, 1):
        return _RING_BROKEN  # the worker before this one is gone; the parent reports why
    if failure is not None:
        return _report(error_pipe, failure)
    _write_all(fd, encoded)
    try:
        os.write(pass_on, b".")
    except BrokenPipeError:
        pass  # the next worker has ended: it had no more blocks, or its status says why
    return 0


def _wait(children: list[int], errors: int) -> int:
    """Reap every worker; stop the rest when one fails, and raise what the first failure was.
    Returns the flags the stream workers reported, together."""
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
            if code != _OK and not _DONE <= code < 2 * _DONE:
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
    odd = [code for code in statuses if code not in (_OK, _RING_BROKEN) and not _DONE <= code < 2 * _DONE]
    if odd:
        raise WorkerError(f"a worker ended with status {odd[0]}")
    flags = 0
    for code in statuses:
        if _DONE <= code < 2 * _DONE:
            flags |= code - _DONE
    return flags


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
