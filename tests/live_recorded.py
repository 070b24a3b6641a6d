"""Recorded venue answers served to ccxt at its HTTP layer (requests' adapter), so ccxt's
transport, its error mapping and invfut's reading all run, and no socket is opened."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from requests.adapters import BaseAdapter

DATA = Path(__file__).parent / "data" / "live"

#: The preset venues ccxt reaches, as invfut names them.
VENUES = ("bybit", "binance", "okx", "kraken", "deribit")


def recorded(venue: str, name: str) -> dict[str, Any]:
    """A recorded answer: ``source`` (the documentation page), ``method``, ``path`` and ``body``."""
    return json.loads((DATA / venue / f"{name}.json").read_text(encoding="utf-8"))


def raw_text(venue: str, name: str) -> str:
    """The recorded body as the venue's text (what goes over the wire)."""
    return json.dumps(recorded(venue, name)["body"])


Reply = tuple[int, str] | BaseException


@dataclass
class Venues(BaseAdapter):
    """Answers by ``(method, path)``: a list of replies served in turn (the last one repeats),
    each ``(status, body text)`` or an exception to raise as requests would."""

    replies: dict[tuple[str, str, str], list[Reply]] = field(default_factory=dict)
    sent: list[requests.PreparedRequest] = field(default_factory=list)
    timeouts: list[Any] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__()

    def serve(self, method: str, path: str, *replies: Reply, query: str = "") -> None:
        """Serve ``replies`` to ``method path`` (whose URL holds ``query``, if given)."""
        self.replies[(method, path, query)] = list(replies)

    def serve_rules(self, venue: str) -> dict[str, Any]:
        """Every recorded answer of ``venue``'s rules (``rules.json``: a list of answers)."""
        record = recorded(venue, "rules")
        for answer in record["answers"]:
            self.serve("GET", answer["path"], (200, json.dumps(answer["body"])), query=answer.get("query", ""))
        return record

    def serve_recorded(self, venue: str, name: str = "mark") -> dict[str, Any]:
        record = recorded(venue, name)
        self.serve(record["method"], record["path"], (200, json.dumps(record["body"])))
        return record

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        self.sent.append(request)
        self.timeouts.append(kwargs.get("timeout"))
        path = requests.utils.urlparse(request.url).path
        queue = next(
            (
                q
                for (m, p, query), q in self.replies.items()
                if m == request.method and p == path and query in (request.url or "")
            ),
            None,
        )
        if not queue:
            reply: Reply = (404, '{"error": "not recorded"}')
        else:
            reply = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(reply, BaseException):
            raise reply
        status, text = reply
        response = requests.Response()
        response.status_code = status
        response._content = text.encode()
        response.url = request.url or ""
        response.request = request
        response.reason = {200: "OK", 429: "Too Many Requests", 503: "Service Unavailable"}.get(status, "Error")
        response.headers["Content-Type"] = "application/json"
        return response

    def close(self) -> None:
        pass


def session_factory(adapter: Venues) -> Callable[[], requests.Session]:
    def new_session() -> requests.Session:
        session = requests.Session()
        session.trust_env = True
        session.mount("https://", adapter)
        session.mount("http://", adapter)
        return session

    return new_session


def serve_account(adapter: Venues, venue: str, replace: dict[str, Any] | None = None) -> dict[str, Any]:
    """Serve ``venue``'s recorded account answers (``replace``: path -> another body)."""
    record = recorded(venue, "account")
    for answer in record["answers"]:
        body = (replace or {}).get(answer["path"], answer["body"])
        adapter.serve("GET", answer["path"], (200, json.dumps(body)))
    return record
