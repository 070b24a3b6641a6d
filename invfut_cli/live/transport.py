"""The venues as ccxt names them, and one call to a venue's raw endpoint, bounded and retried.

ccxt is the transport: invfut calls a venue's raw endpoint through ccxt's implicit methods
(ccxt signs, sends and maps the venue's errors), and reads the numbers from the answer's
own text. The answer's JSON numbers are parsed straight to ``Decimal`` (never through a
float), and the venues that send numbers as strings are read from those strings.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from invfut_cli.exitcodes import ExitCode

from .errors import LiveError, missing_extra, translate

#: How many times a rate-limited or 5xx call is tried in all, and the waits between tries
#: (seconds, doubled each time from the first).
ATTEMPTS = 3
BACKOFF_SECONDS = 0.5


@dataclass(frozen=True)
class Venue:
    """An invfut preset as ccxt reaches it: ccxt's exchange id, and the keyring/environment
    name of its key."""

    preset: str
    ccxt_id: str | None
    needs_password: bool = False


#: Every preset venue. BitMEX is not in ccxt (4.5 dropped it): its live reads say so.
VENUES: dict[str, Venue] = {
    "bitmex": Venue("bitmex", None),
    "bybit": Venue("bybit", "bybit"),
    "binance": Venue("binance", "binancecoinm"),
    "okx": Venue("okx", "okx", needs_password=True),
    "kraken": Venue("kraken", "krakenfutures"),
    "deribit": Venue("deribit", "deribit"),
}


def venue(name: str, option: str) -> Venue:
    """The :class:`Venue` of preset ``name``; a usage error (naming ``option``) for a venue
    ccxt does not reach."""
    found = VENUES.get(name)
    if found is None or found.ccxt_id is None:
        reachable = ", ".join(k for k, v in VENUES.items() if v.ccxt_id)
        raise LiveError(f"{option}: no live data for {name!r}: ccxt reaches {reachable}", ExitCode.USAGE, option)
    return found


def new_session() -> Any:
    """The HTTP session every live call goes through: requests' own, honouring ``HTTPS_PROXY``,
    ``HTTP_PROXY`` and ``NO_PROXY`` (``trust_env``)."""
    import requests

    session = requests.Session()
    session.trust_env = True
    return session


def decimal_json(text: str) -> Any:
    """The venue's JSON with every number as an exact ``Decimal`` (integers as ``int``); an
    answer nested too deep to read is ccxt's ``BadResponse`` (the venue's fault, exit 9)."""
    try:
        return json.loads(text, parse_float=Decimal)
    except RecursionError:
        import ccxt

        raise ccxt.BadResponse("the answer is nested too deep to read") from None


def require_extra(option: str) -> None:
    """The live extra is installed (ccxt found, not imported), or the one usage line naming
    its install command: said before anything else a live read asks for, such as a key."""
    import sys
    from importlib.util import find_spec

    if "ccxt" in sys.modules:  # imported already (or, in a test, blocked with None)
        if sys.modules["ccxt"] is None:
            raise missing_extra(option)
        return
    if find_spec("ccxt") is None:
        raise missing_extra(option)


def open_exchange(name: str, timeout: float, option: str, credentials: dict[str, str] | None = None) -> Any:
    """A ccxt exchange for preset ``name``: ``timeout`` seconds a call, requests' session,
    numbers read exactly. ``credentials`` (apiKey, secret, password) only for private reads."""
    found = venue(name, option)
    try:
        import ccxt
    except ImportError:
        raise missing_extra(option) from None
    config: dict[str, Any] = {
        "timeout": int(timeout * 1000),
        "session": new_session(),
        "enableRateLimit": False,
        **(credentials or {}),
    }
    exchange = getattr(ccxt, found.ccxt_id)(config)  # type: ignore[arg-type]
    exchange.on_json_response = decimal_json
    return exchange


def call(
    exchange: Any, venue_name: str, what: str, method: str, params: dict[str, Any], secrets: Iterable[str] = ()
) -> Any:
    """The raw answer of ``exchange``'s implicit ``method`` with ``params``, retried (with
    backoff) on a rate limit or a 5xx answer; any fault becomes a :class:`LiveError`."""
    import ccxt

    wait = BACKOFF_SECONDS
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return getattr(exchange, method)(params)
        except (ccxt.DDoSProtection, ccxt.RateLimitExceeded, ccxt.ExchangeNotAvailable) as exc:
            if attempt == ATTEMPTS:
                raise translate(exc, venue_name, what, secrets) from None
            time.sleep(wait)
            wait *= 2
        except Exception as exc:  # every other fault, ccxt's or a parse's, is the funnel's
            raise translate(exc, venue_name, what, secrets) from None
    raise AssertionError("unreachable")  # pragma: no cover
