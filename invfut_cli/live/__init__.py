"""Live data from the venues, read through ccxt (the optional extra ``invfut[live]``).

This package is the only place that imports ccxt, and only when a live option is used. It
turns the venue's raw answer into invfut's own types at once (:class:`LiveMark`); nothing
past it knows ccxt exists. Every fault becomes a :class:`LiveError` with an exit code and
one scrubbed line (:mod:`.errors`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import LiveError

if TYPE_CHECKING:
    from .mark import LiveMark, fetch_mark

__all__ = ["LiveError", "LiveMark", "fetch_mark"]


def __getattr__(name: str) -> Any:
    """``LiveMark`` and ``fetch_mark`` on first use: only a live run imports the reading code
    (the error funnel knows :class:`LiveError` from :mod:`invfut_cli.errors`)."""
    if name in ("LiveMark", "fetch_mark"):
        from . import mark

        return getattr(mark, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
