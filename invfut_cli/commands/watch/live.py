"""``watch --live``: the venue's mark price polled every ``--every`` seconds, as the lines a
stream of marks would give (``{"mark": …, "time": …, "symbol": …}``), so the watcher takes it
as it takes stdin. ccxt is reached through :mod:`invfut_cli.live` only, on this path only."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import IO, Any


def polled_lines(exchange: Any, coin: str, every_s: float, timeout_s: float, err: IO[str]) -> Iterator[str]:
    """The venue's mark, read now and then every ``every_s`` seconds, one line a read.

    A fault of the first read ends the watch with its exit code (no mark, nothing to watch);
    a later one is one line on stderr and the next read is tried at the next tick: a watcher
    does not stop on a passing timeout."""
    from invfut_cli.core.errors import DomainError
    from invfut_cli.live import LiveError, fetch_mark

    name = getattr(exchange, "value", exchange)
    if name in (None, "generic"):
        raise DomainError("--live needs --exchange: the venue to read the mark price from", option="live")
    first = True
    while True:
        try:
            mark = fetch_mark(name, coin, timeout=timeout_s, option="--live")
        except LiveError as exc:
            if first:
                raise
            err.write(f"invfut watch: --live: {exc.message}; next read in {every_s:g} s\n")
            err.flush()
        else:
            first = False
            yield json.dumps({"mark": str(mark.price), "time": mark.timestamp_ms, "symbol": mark.symbol})
        time.sleep(every_s)
