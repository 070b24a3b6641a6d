"""API keys: read-only, secret, from the environment or the system keyring, never from the
command line (any user can read another's arguments), never printed.

``INVFUT_<VENUE>_API_KEY``, ``INVFUT_<VENUE>_API_SECRET`` and (OKX) ``INVFUT_<VENUE>_API_PASSWORD``
come first; else the keyring's entries of the service ``invfut`` (``invfut keys set VENUE``).
A key is held as a ``pydantic.SecretStr`` from the moment it is read: its ``repr`` and
``str`` are stars, and only :meth:`Credentials.for_ccxt` hands its text to ccxt.
"""

from __future__ import annotations

import os
from typing import Any

from pydantic import BaseModel, ConfigDict, SecretStr

from invfut_cli.exitcodes import ExitCode

from .errors import LiveError

#: The keyring's service name; each venue's entries are ``VENUE:api_key`` and so on.
SERVICE = "invfut"
#: The parts of a key, as the environment names them and as ccxt takes them.
PARTS = {"API_KEY": "apiKey", "API_SECRET": "secret", "API_PASSWORD": "password"}


class Credentials(BaseModel):
    """A venue's key: every part secret."""

    model_config = ConfigDict(frozen=True)

    venue: str
    api_key: SecretStr
    secret: SecretStr
    password: SecretStr | None = None

    def for_ccxt(self) -> dict[str, str]:
        """The only place a key's text leaves its wrapper: ccxt's configuration."""
        given = {"apiKey": self.api_key, "secret": self.secret, "password": self.password}
        return {name: value.get_secret_value() for name, value in given.items() if value is not None}

    def texts(self) -> list[str]:
        """Every part's text, for scrubbing messages (never to print)."""
        return list(self.for_ccxt().values())


def _variable(venue: str, part: str) -> str:
    return f"INVFUT_{venue.upper()}_{part}"


def _keyring() -> Any | None:
    """The keyring module, or ``None`` where it is not installed or has no usable backend."""
    try:
        import keyring
        from keyring.backends import fail, null
    except ImportError:
        return None
    try:
        if isinstance(keyring.get_keyring(), fail.Keyring | null.Keyring):
            return None
    except Exception:  # a broken backend is no keyring
        return None
    return keyring


def read_credentials(venue: str, needs_password: bool = False) -> Credentials:
    """The key of ``venue`` from the environment, else the keyring; AUTH when there is none."""
    found: dict[str, str] = {}
    for part in PARTS:
        value = os.environ.get(_variable(venue, part))
        if value:
            found[part] = value
    if "API_KEY" not in found or "API_SECRET" not in found:
        store = _keyring()
        if store is not None:
            for part in PARTS:
                try:
                    value = store.get_password(SERVICE, f"{venue}:{part.lower()}")
                except Exception:
                    value = None
                if value:
                    found.setdefault(part, value)
    missing = [p for p in ("API_KEY", "API_SECRET", *(("API_PASSWORD",) if needs_password else ())) if p not in found]
    if missing:
        names = " and ".join(_variable(venue, p) for p in missing)
        raise LiveError(f"{venue}: no read-only API key: set {names}, or run 'invfut keys set {venue}'", ExitCode.AUTH)
    return Credentials(
        venue=venue,
        api_key=SecretStr(found["API_KEY"]),
        secret=SecretStr(found["API_SECRET"]),
        password=SecretStr(found["API_PASSWORD"]) if "API_PASSWORD" in found else None,
    )


def keyring_for(venue: str) -> Any:
    """The keyring that ``keys set VENUE`` writes to; a usage error naming the variables to
    set instead where there is none (checked before any key is asked for)."""
    from .transport import require_extra

    require_extra("keys set")  # the keyring module and ccxt come with the live extra
    store = _keyring()
    if store is None:
        raise LiveError(
            f"no system keyring here: set {_variable(venue, 'API_KEY')} and {_variable(venue, 'API_SECRET')} instead",
            ExitCode.USAGE,
        )
    return store


def store_credentials(venue: str, parts: dict[str, str]) -> None:
    """Write ``parts`` (API_KEY, API_SECRET, API_PASSWORD) to the keyring."""
    store = keyring_for(venue)
    for part, value in parts.items():
        store.set_password(SERVICE, f"{venue}:{part.lower()}", value)


def stored_venues(venues: list[str]) -> list[str]:
    """The venues with a key in the keyring or the environment (names only)."""
    store = _keyring()
    found = []
    for venue in venues:
        in_env = bool(os.environ.get(_variable(venue, "API_KEY")))
        in_store = False
        if store is not None:
            try:
                in_store = store.get_password(SERVICE, f"{venue}:api_key") is not None
            except Exception:
                in_store = False
        if in_env or in_store:
            found.append(venue)
    return found


def delete_credentials(venue: str) -> bool:
    """Remove ``venue``'s key from the keyring; whether there was one."""
    store = _keyring()
    if store is None:
        return False
    removed = False
    for part in PARTS:
        try:
            store.delete_password(SERVICE, f"{venue}:{part.lower()}")
            removed = True
        except Exception:  # keyring.errors.PasswordDeleteError: nothing stored
            pass
    return removed
