"""Exit codes of ``invfut``, documented in docs/REFERENCE.md."""

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
    #: ``size``: the stop lies beyond the liquidation price (the answer is printed too).
    STOP_BEYOND_LIQUIDATION = 3
    #: An alert: ``--fail-within`` was met (``liq-price``, ``account``, a batch line), or ``watch``
    #: reached ``critical`` or ``liquidated``.
    ALERT = 4
    #: ``batch``: at least one input line gave an error record.
    BATCH_ERRORS = 5
    #: A broken file: the config file, an ``INVFUT_*`` variable, the presets, an account file,
    #: a candle file or the refreshed-rules cache.
    CONFIG = 6
    #: A live read: no network, a timeout, a refused connection, a proxy failure.
    NETWORK = 7
    #: A live read: a missing or refused key, or a key able to withdraw.
    AUTH = 8
    #: A live read: the venue's error, an answer that does not parse, a rate limit after retries.
    VENUE = 9
    #: Interrupted (Ctrl-C).
    INTERRUPTED = 130
    #: Ended by SIGTERM (``watch``: everything written so far is flushed).
    TERMINATED = 143


#: Each code in a few words, as ``invfut --help`` lists them (a test checks every member is here).
MEANINGS: dict[ExitCode, str] = {
    ExitCode.OK: "the answer was printed (it may be 'no such price', with its reason)",
    ExitCode.INTERNAL: "internal error (please report it)",
    ExitCode.USAGE: "bad input: a value, a missing or unknown option, conflicting options",
    ExitCode.STOP_BEYOND_LIQUIDATION: "size: the stop lies beyond the liquidation price",
    ExitCode.ALERT: "alert: --fail-within was met (liq-price, account, a batch line), or watch reached critical",
    ExitCode.BATCH_ERRORS: "batch: at least one input line gave an error record",
    ExitCode.CONFIG: "a broken file: config, INVFUT_* variable, preset, account, candles or rules cache",
    ExitCode.NETWORK: "live: no network, a timeout, a refused connection or a proxy failure",
    ExitCode.AUTH: "live: a missing or refused key, or a key able to withdraw",
    ExitCode.VENUE: "live: the venue's error, an answer that does not parse, a rate limit after retries",
    ExitCode.INTERRUPTED: "interrupted (Ctrl-C)",
    ExitCode.TERMINATED: "terminated (SIGTERM), what was written is flushed",
}
