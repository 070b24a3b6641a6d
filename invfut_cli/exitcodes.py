"""Exit codes of ``invfut``, documented in the README."""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    """What the process exit status means."""

    #: The answer was printed (an answer may be "no such price", with its reason).
    OK = 0
    #: An unexpected internal error: one line on stderr, please report it.
    INTERNAL = 1
    #: Bad input: an option's value, a missing or an unknown option, conflicting options.
    USAGE = 2
    #: Interrupted (Ctrl-C).
    INTERRUPTED = 130
