"""The refreshed contract rules, cached by ``invfut exchanges --refresh`` (no ccxt here).

The cache is one JSON file, ``rules.json``, in ``INVFUT_CACHE_DIR`` or else the user's
cache directory (platformdirs). Commands lay it over the shipped preset: a venue's coins
take the refreshed contract size, tick, lot, maximum leverage and (where read) tiers, and
the preset's ``as_of`` becomes the time of reading. ``invfut --offline`` or a missing file
leaves the shipped preset. A broken file is a CONFIG error naming it.
"""

from __future__ import annotations

import json
import os
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from invfut_cli.errors import ConfigError

#: The contract fields a refresh may replace.
FIELDS = ("contract_size_usd", "tick", "lot", "max_leverage")

#: A cache file larger than this is not read (it is not one invfut wrote).
MAX_BYTES = 2_000_000


def cache_dir() -> Path:
    """``INVFUT_CACHE_DIR``, else platformdirs' user cache directory for invfut."""
    given = os.environ.get("INVFUT_CACHE_DIR")
    if given:
        return Path(given)
    import platformdirs

    return Path(platformdirs.user_cache_dir("invfut"))


def cache_path() -> Path:
    return cache_dir() / "rules.json"


def stamp() -> tuple[str, int] | None:
    """What identifies the cache now (path and modification time), or ``None`` when it is
    not to be read (offline) or missing."""
    from invfut_cli import offline

    if offline.OFFLINE:
        return None
    try:
        path = cache_path()
        return (str(path), path.stat().st_mtime_ns)
    except (OSError, ImportError):
        return None


def _number(value: Any, path: Path, key: str) -> str:
    try:
        number = Decimal(str(value)) if isinstance(value, str | int) and not isinstance(value, bool) else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number <= 0:
        raise ConfigError(path, f"not a positive number: {value!r}", key)
    return str(value)


def read_cache(path: Path | None = None) -> dict[str, Any]:
    """The cache's venues, checked: ``{venue: {"read_at": ISO time, "coins": {COIN: {...}}}}``."""
    path = path or cache_path()
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ConfigError(path, f"larger than {MAX_BYTES} bytes: not a rules cache")
        data = json.loads(path.read_text(encoding="utf-8"))
    except ConfigError:
        raise
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(path, f"cannot be read ({type(exc).__name__}); delete it or run invfut exchanges --refresh") from None
    except json.JSONDecodeError as exc:
        raise ConfigError(path, f"not JSON (line {exc.lineno}); delete it or run invfut exchanges --refresh") from None
    venues = data.get("venues") if isinstance(data, dict) else None
    if not isinstance(venues, dict):
        raise ConfigError(path, "no venues object: not a rules cache", "venues")
    for venue, entry in venues.items():
        where = f"venues.{venue}"
        if not isinstance(entry, dict) or not isinstance(entry.get("read_at"), str) or not isinstance(entry.get("coins"), dict):
            raise ConfigError(path, "needs read_at (text) and coins (object)", where)
        for coin, rules in entry["coins"].items():
            if not isinstance(rules, dict):
                raise ConfigError(path, "not an object", f"{where}.coins.{coin}")
            for key in FIELDS:
                if key in rules:
                    _number(rules[key], path, f"{where}.coins.{coin}.{key}")
            tiers = rules.get("tiers")
            if tiers is not None and (not isinstance(tiers, list) or not all(isinstance(t, dict) for t in tiers)):
                raise ConfigError(path, "tiers must be a list of objects", f"{where}.coins.{coin}.tiers")
    return venues


def overlay(raw: dict[str, Any]) -> dict[str, Any]:
    """The shipped presets ``raw`` (parsed TOML) with the cached rules laid over them."""
    if stamp() is None:
        return raw
    path = cache_path()
    venues = read_cache(path)
    for venue, entry in venues.items():
        preset = raw.get(venue)
        if not isinstance(preset, dict):
            continue
        coins = preset.get("coins", {})
        touched = False
        for coin, rules in entry["coins"].items():
            contract = coins.get(coin)
            if contract is None:
                continue
            for key in FIELDS:
                if key in rules:
                    contract[key] = rules[key]
            if rules.get("tiers"):
                contract["tiers"] = rules["tiers"]
                for other in ("risk_steps", "size_margins"):
                    contract.pop(other, None)
            touched = True
        if touched:
            preset["as_of"] = entry["read_at"][:10]
            preset["sources"] = [f"refreshed from the venue's API at {entry['read_at']} ({path.name})", *preset.get("sources", [])]
    return raw
