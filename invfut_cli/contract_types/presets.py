"""The linear and quanto contracts of the venues' presets (``presets.toml`` beside this module):
what ``--exchange NAME --contract-type linear|quanto`` fills in when it is not given."""

from __future__ import annotations

import functools
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

#: The presets file.
PRESETS_FILE = Path(__file__).with_name("presets.toml")

#: The fields a preset fills in, where the option was not given.
FILLED = ("contract_size", "multiplier", "tick", "mmr", "mm_basis", "quote")


@functools.cache
def load() -> dict[str, Any]:
    """The presets, by venue, then contract type, then coin."""
    with PRESETS_FILE.open("rb") as handle:
        return tomllib.load(handle)


def find(exchange: str, kind: str, coin: str | None) -> tuple[str, dict[str, Any]] | None:
    """``(coin, preset)``: the venue's ``kind`` contract on ``coin`` (linear), or its quanto
    (one a venue; ``coin`` may name its underlying or its settlement coin); ``None`` if none."""
    contracts = load().get(exchange, {}).get(kind, {})
    if kind == "linear":
        found = contracts.get(coin or "BTC")
        return None if found is None else (coin or "BTC", found)
    for underlying, preset in contracts.items():
        if coin in (None, underlying, preset.get("settle")):
            return underlying, preset
    return None


def defaults(preset: dict[str, Any]) -> dict[str, Any]:
    """The option values ``preset`` gives, as the input model reads them."""
    values = {key: preset[key] for key in FILLED if key in preset}
    for key in ("contract_size", "multiplier", "tick", "mmr"):
        if key in values:
            values[key] = Decimal(values[key])
    if "settle" in preset:
        values["coin"] = preset["settle"]
    return values


def describe(preset: dict[str, Any]) -> dict[str, Any]:
    """A document's ``preset``: name, symbol, the family (the maintenance basis), as-of and
    sources (each confirmed figure and each unconfirmed one said in a last line)."""
    checked = "; ".join(preset.get("checked", [])) or "none"
    unconfirmed = "; ".join(preset.get("unconfirmed", [])) or "none"
    return {
        "name": preset["name"],
        "symbol": preset["symbol"],
        "family": preset["mm_basis"],
        "as_of": preset["as_of"],
        "sources": [*preset["sources"], f"confirmed by the sources: {checked}; not confirmed: {unconfirmed}"],
    }


def names(exchange: str) -> list[str]:
    """The ``kind coin`` pairs a venue has presets for (for an error message)."""
    return [f"{kind} {coin}" for kind, coins in load().get(exchange, {}).items() for coin in coins]
