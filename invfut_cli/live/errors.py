"""The one funnel from ccxt's exceptions to invfut's exit codes, with the texts scrubbed."""

from __future__ import annotations

import re
from collections.abc import Iterable

from invfut_cli.errors import LiveError
from invfut_cli.exitcodes import ExitCode

__all__ = ["INSTALL", "LiveError", "missing_extra", "scrub", "translate"]

#: The install command a live option names when the extra is missing.
INSTALL = "pip install 'invfut[live]'"


def missing_extra(option: str) -> LiveError:
    """The usage error of a live option without the ``live`` extra installed."""
    return LiveError(f"{option}: live data needs the optional extra: {INSTALL}", ExitCode.USAGE, option)


_URL = re.compile(r"(https?://[^\s?#'\"]+)[?#][^\s'\"]*")
_SECRETISH = re.compile(
    r"(?i)((?:api[-_]?key|apikey|secret|signature|sign|passphrase|password|token|x-[a-z-]*(?:key|sign|signature|passphrase))"
    r"['\"]?\s*[:=]\s*['\"]?)[^\s,'\"&}]+"
)
_HEADERS = re.compile(r"\{[^{}]*\}")


def scrub(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` without query strings, header dictionaries, ``key=value`` secrets or any of
    ``secrets``' texts, on one line and at most 200 characters."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    text = _URL.sub(r"\1", text)
    text = _HEADERS.sub("{…}", text)
    text = _SECRETISH.sub(r"\1***", text)
    text = " ".join(text.split())
    return text if len(text) <= 200 else text[:199] + "…"


def translate(exc: BaseException, venue: str, what: str, secrets: Iterable[str] = ()) -> LiveError:
    """The :class:`LiveError` for ccxt's (or requests') ``exc`` raised while reading ``what``
    from ``venue``: NETWORK for no network, a timeout, a refused connection or a proxy;
    AUTH for a key the venue refuses; VENUE for the venue's own error, a rate limit or a 5xx
    answer after the retries, and an answer that does not parse."""
    import ccxt

    head = f"{venue}: {what} could not be read"
    if isinstance(exc, ccxt.RequestTimeout):
        return LiveError(f"{head}: the venue did not answer in time (--timeout)", ExitCode.NETWORK)
    if isinstance(exc, ccxt.DDoSProtection | ccxt.RateLimitExceeded):
        return LiveError(f"{head}: rate limited by the venue, after the retries", ExitCode.VENUE)
    if isinstance(exc, ccxt.ExchangeNotAvailable | ccxt.OnMaintenance):
        return LiveError(f"{head}: the venue is unavailable (server error), after the retries", ExitCode.VENUE)
    if isinstance(exc, ccxt.NetworkError):
        return LiveError(
            f"{head}: no network connection (refused, unreachable, DNS or proxy failure)", ExitCode.NETWORK
        )
    if isinstance(exc, ccxt.AuthenticationError | ccxt.PermissionDenied | ccxt.AccountSuspended):
        return LiveError(f"{head}: the venue refused the key: {scrub(str(exc), secrets)}", ExitCode.AUTH)
    if isinstance(exc, ccxt.BadResponse):
        return LiveError(f"{head}: the answer does not parse: {scrub(str(exc), secrets)}", ExitCode.VENUE)
    if isinstance(exc, ccxt.BaseError):
        return LiveError(f"{head}: the venue answered with an error: {scrub(str(exc), secrets)}", ExitCode.VENUE)
    return LiveError(f"{head}: the answer does not parse ({type(exc).__name__})", ExitCode.VENUE)
