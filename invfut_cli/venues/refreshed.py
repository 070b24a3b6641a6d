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
from decimal import Decimal
from functools import cache
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
    not to be read (offline) or missing. Asked on every preset lookup (a batch line makes
    several): the path is worked out once for the variables it depends on, then only stat."""
    from invfut_cli import offline

    if offline.OFFLINE:
        return None
    path = _cache_file(*map(os.environ.get, _WHERE))
    if path is None:
        return None
    try:
        return (path, os.stat(path).st_mtime_ns)
    except OSError:
        return None


#: The variables :func:`cache_path` depends on: ours, and those platformdirs reads.
_WHERE = ("INVFUT_CACHE_DIR", "XDG_CACHE_HOME", "HOME", "LOCALAPPDATA")


@cache
def _cache_file(*_variables: str | None) -> str | None:
    """:func:`cache_path` as text, under these values of :data:`_WHERE` (they are the key);
    ``None`` without platformdirs (the live extra), so a lookup does not look for it again."""
    try:
        return str(cache_path())
    except ImportError:
        return None


#: The largest contract size, tick, lot, tier bound or deduction taken from the cache.
LARGEST = Decimal(10) ** 15
#: The most decimal places a cached number has (a venue's finest step is far coarser).
PLACES = 12
#: The largest maximum leverage taken from the cache.
MOST_LEVERAGE = Decimal(1000)
#: The longest ``read_at`` taken (an ISO 8601 time with an offset is 25 characters).
TIME_CHARS = 40


@cache
def _rules_model() -> Any:
    """The pydantic model of one coin's cached rules: every number positive (a deduction, or a
    rate, zero or more), finite, at most :data:`PLACES` places, within its range."""
    from typing import Annotated

    from pydantic import BaseModel, ConfigDict, Field

    def number(low: Decimal, high: Decimal, *, low_open: bool = True) -> Any:
        bounds = {"gt": low} if low_open else {"ge": low}
        return Annotated[Decimal, Field(**bounds, le=high, allow_inf_nan=False, decimal_places=PLACES)]

    amount = number(Decimal(0), LARGEST)

    class Tier(BaseModel):
        model_config = ConfigDict(extra="ignore")
        up_to: amount | None = None  # type: ignore[valid-type]
        mmr: Annotated[Decimal, Field(ge=0, lt=1, allow_inf_nan=False, decimal_places=PLACES)]
        max_leverage: number(Decimal(0), MOST_LEVERAGE)  # type: ignore[valid-type]
        deduction: number(Decimal(0), LARGEST, low_open=False) = Decimal(0)  # type: ignore[valid-type]

    class Rules(BaseModel):
        model_config = ConfigDict(extra="ignore")
        contract_size_usd: amount | None = None  # type: ignore[valid-type]
        tick: amount | None = None  # type: ignore[valid-type]
        lot: amount | None = None  # type: ignore[valid-type]
        max_leverage: number(Decimal(0), MOST_LEVERAGE) | None = None  # type: ignore[valid-type]
        tiers: list[Tier] | None = None

    return Rules


def _check_rules(rules: dict[str, Any], path: Path, where: str) -> None:
    """Refuse ``rules`` (one coin's) with a :class:`ConfigError` naming the cache and the key."""
    from pydantic import ValidationError

    from invfut_cli.echo import shown

    try:
        _rules_model().model_validate(rules)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        key = ".".join([where, *(str(part) for part in err["loc"])])
        given = err.get("input")
        got = f" (got {shown(given)})" if isinstance(given, str | int | float | Decimal) else ""
        raise ConfigError(path, f"{err['msg']}{got}; {REMEDY}", key) from None


#: What a broken cache's error tells the user to do.
REMEDY = "delete it or run invfut exchanges --refresh"


def _check_time(value: Any, path: Path, where: str) -> None:
    from datetime import datetime

    try:
        if not isinstance(value, str) or len(value) > TIME_CHARS:
            raise ValueError
        datetime.fromisoformat(value)
    except ValueError:
        raise ConfigError(path, f"not an ISO 8601 time; {REMEDY}", f"{where}.read_at") from None


def read_cache(path: Path | None = None) -> dict[str, Any]:
    """The cache's venues, checked: ``{venue: {"read_at": ISO time, "coins": {COIN: {...}}}}``.
    It is read as any data file is (bounded, hostile content refused), and a problem is a
    CONFIG error naming it."""
    from invfut_cli.datafile import Hostile, parse_json, read_bounded

    path = path or cache_path()
    try:
        data = parse_json(read_bounded(path, MAX_BYTES).decode("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(path, f"cannot be read ({type(exc).__name__}); {REMEDY}") from None
    except json.JSONDecodeError as exc:
        raise ConfigError(path, f"not JSON (line {exc.lineno}); {REMEDY}") from None
    except Hostile as exc:
        raise ConfigError(path, f"{exc}: not a rules cache; {REMEDY}") from None
    venues = data.get("venues") if isinstance(data, dict) else None
    if not isinstance(venues, dict):
        raise ConfigError(path, "no venues object: not a rules cache", "venues")
    for venue, entry in venues.items():
        where = f"venues.{venue}"
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("read_at"), str)
            or not isinstance(entry.get("coins"), dict)
        ):
            raise ConfigError(path, "needs read_at (text) and coins (object)", where)
        _check_time(entry["read_at"], path, where)
        for coin, rules in entry["coins"].items():
            if not isinstance(rules, dict):
                raise ConfigError(path, "not an object", f"{where}.coins.{coin}")
            _check_rules(rules, path, f"{where}.coins.{coin}")
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
            preset["sources"] = [
                f"refreshed from the venue's API at {entry['read_at']} ({path.name})",
                *preset.get("sources", []),
            ]
    return raw
