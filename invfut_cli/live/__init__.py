"""Live data from the venues, read through ccxt (the optional extra ``invfut[live]``).

This package is the only place that imports ccxt, and only when a live option is used. It
turns the venue's raw answer into invfut's own types at once (:class:`LiveMark`); nothing
past it knows ccxt exists. Every fault becomes a :class:`LiveError` with an exit code and
one scrubbed line (:mod:`.errors`).
"""

from __future__ import annotations

from .errors import LiveError
from .mark import LiveMark, fetch_mark

__all__ = ["LiveError", "LiveMark", "fetch_mark"]
