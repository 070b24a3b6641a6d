"""``invfut exchanges --refresh``: read the venues' rules, cache them, and say what changed
against the shipped preset."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from invfut_cli.venues.refreshed import FIELDS, cache_path, read_cache


def _shipped() -> Any:
    from invfut_cli.venues.presets import PRESETS_FILE, _load

    return _load(PRESETS_FILE, None)


def _plain(value: Any) -> str:
    """A number as plain text without trailing zeros (0.0050 and 0.005 read the same)."""
    return f"{Decimal(str(value)).normalize():f}"


def _tiers_text(tiers: list[dict[str, Any]] | None) -> str:
    """Tiers in one line: ``up to BOUND: mmr M, deduction D, max leverage X`` each."""
    if not tiers:
        return "none"
    return "; ".join(
        f"{'up to ' + _plain(t['up_to']) if t.get('up_to') is not None else 'above'}: mmr {_plain(t['mmr'])}, "
        f"deduction {_plain(t['deduction'])}, max leverage {_plain(t['max_leverage'])}"
        for t in tiers
    )


def changes(venue: str, coins: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """What the refreshed ``coins`` change against the shipped preset of ``venue``."""
    from invfut_cli.choices import ExchangeName

    preset = _shipped().presets[ExchangeName(venue)]
    found = []
    for coin, rules in coins.items():
        contract = preset.contract(coin)
        if contract is None:
            continue
        for field in FIELDS:
            if field in rules:
                shipped = getattr(contract, field)
                if Decimal(str(shipped)) != Decimal(rules[field]):
                    found.append(
                        {"coin": coin, "field": field, "shipped": _plain(shipped), "current": _plain(rules[field])}
                    )
        if rules.get("tiers"):
            table = contract.tier_table
            shipped_tiers = (
                None
                if table is None
                else [
                    {"up_to": t.up_to, "mmr": t.mmr, "deduction": t.deduction, "max_leverage": t.max_leverage}
                    for t in table.tiers
                ]
            )
            shipped_text, refreshed_text = _tiers_text(shipped_tiers), _tiers_text(rules["tiers"])
            if shipped_text != refreshed_text:
                found.append({"coin": coin, "field": "tiers", "shipped": shipped_text, "current": refreshed_text})
    return found


def refresh(venues: list[str], *, timeout: float) -> dict[str, Any]:
    """Read ``venues``' rules, write the cache, and return the ``exchanges --refresh`` document."""
    from invfut_cli.choices import ExchangeName
    from invfut_cli.errors import ConfigError

    from .rules import read_rules

    path = cache_path()
    try:
        cached = read_cache(path) if path.exists() else {}
    except ConfigError:
        cached = {}  # a broken cache is replaced by this reading
    report = []
    for venue in venues:
        coins = list(_shipped().presets[ExchangeName(venue)].coins)
        read, not_read = read_rules(venue, coins, timeout=timeout)
        read_at = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
        cached[venue] = {"read_at": read_at, "coins": read}
        report.append({"venue": venue, "read_at": read_at, "changes": changes(venue, read), "not_read": not_read})
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps({"format": 1, "venues": cached}, indent=2) + "\n", encoding="utf-8")
    os.replace(temporary, path)
    return {"command": "exchanges", "cache_file": str(path), "refreshed": report}
