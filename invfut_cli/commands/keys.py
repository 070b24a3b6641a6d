"""``invfut keys``: the read-only API keys of the live commands, in the system keyring.

``keys set VENUE`` prompts for the key (on stderr) without echoing it, or reads it from
stdin, a line a part, when stdin is not a terminal; ``keys list`` names the venues
that have one (never a key); ``keys delete VENUE`` removes it. No option takes a key.
It has no ``run``: it prompts and changes the keyring, so ``batch`` does not run it.
"""

from __future__ import annotations

import enum
from typing import Annotated, Any

import typer

from invfut_cli.app import command, emit
from invfut_cli.options import FormatOpt, JsonOpt
from invfut_cli.selection import ASKED, FieldsOpt

LAYOUT: dict[str, Any] = {"command": None, "action": None, "venues": [None], "explain": None}
#: Only a batch line's answer carries ``explain`` (null, or its steps with ``explain``).
OPTIONAL = frozenset({"explain"})


class KeysAction(enum.StrEnum):
    set = "set"
    list = "list"
    delete = "delete"


@command("keys", example="invfut keys set bybit\ninvfut keys list\ninvfut keys delete bybit")
def keys_command(
    action: Annotated[KeysAction, typer.Argument(help="set, list or delete.", metavar="ACTION")],
    venue: Annotated[
        str | None,
        typer.Argument(help="The venue (set, delete): bybit, binance, okx, kraken, deribit.", metavar="VENUE"),
    ] = None,
    as_json: JsonOpt = False,
    fmt: FormatOpt = None,
    fields: FieldsOpt = None,
) -> None:
    """The read-only API keys for account --live: set (prompted, never echoed), list (venues only), delete."""
    from invfut_cli.core.errors import DomainError
    from invfut_cli.live import keys
    from invfut_cli.live.transport import VENUES
    from invfut_cli.live.transport import venue as reachable

    if action is KeysAction.list and venue is not None:
        raise DomainError("keys list takes no VENUE: it names every venue with a key")
    if action is not KeysAction.list:
        if venue is None:
            raise DomainError(f"keys {action.value} needs the VENUE argument")
        reachable(venue.lower(), "VENUE")
        venue = venue.lower()
    if action is KeysAction.set:
        keys.keyring_for(venue)  # no keyring: said before any key is asked for
        parts = {
            "API_KEY": secret(f"{venue} API key (read-only)"),
            "API_SECRET": secret(f"{venue} API secret"),
        }
        if VENUES[venue].needs_password:
            parts["API_PASSWORD"] = secret(f"{venue} API passphrase")
        keys.store_credentials(venue, parts)
        done = [venue]
    elif action is KeysAction.delete:
        done = [venue] if keys.delete_credentials(venue) else []
    else:
        done = keys.stored_venues([k for k, v in VENUES.items() if v.ccxt_id])
    doc: dict[str, Any] = {"command": "keys", "action": action.value, "venues": done}
    asked = ASKED.get()
    emit(doc if asked is None else asked.typed(asked.cut(doc)), as_json, fmt)


def _terminal() -> bool:
    import sys

    return sys.stdin.isatty()


def secret(label: str) -> str:
    """A key's part, never echoed: at a terminal, prompted on stderr (stdout is data) and read
    without echo; from a pipe, its next line, without a prompt. The input ending first is a
    usage error (one line); Ctrl-C stays an interruption."""
    import sys

    from invfut_cli.core.errors import DomainError

    if _terminal():
        import getpass
        import warnings

        sys.stderr.write(f"{label}: ")
        sys.stderr.flush()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", getpass.GetPassWarning)
                text = getpass.getpass("")
        except EOFError:
            sys.stderr.write("\n")
            text = None
    else:
        line = sys.stdin.readline()
        text = line.rstrip("\r\n") if line else None
    if text is None:
        raise DomainError(f"keys set: the input ended before the {label} was given")
    if not text.strip():
        raise DomainError(f"keys set: the {label} is empty")
    return text


def draw_table(doc: dict[str, Any], console: Any) -> None:
    """One line: what was done, and for which venues (never a key)."""
    venues = ", ".join(doc["venues"]) or "none"
    said = {"set": "key stored for", "delete": "key deleted for", "list": "keys for"}[doc["action"]]
    console.print(f"{said}: {venues}", soft_wrap=True, highlight=False)


def flat_records(doc: dict[str, Any]) -> Any:
    for venue in doc["venues"]:
        yield {"action": doc["action"], "venue": venue}


def explain_lines(doc: dict[str, Any]) -> list[str]:
    """What ``keys`` looked at: the venues only, never a key's text."""
    return [
        "keys are read from INVFUT_<VENUE>_API_KEY / _API_SECRET / _API_PASSWORD, else the system keyring "
        f"(service invfut); {doc['action']}: {', '.join(doc['venues']) or 'none'}"
    ]
