"""``invfut exchanges``: the linear and quanto contracts each venue lists beside its inverse
ones (``presets.toml``), as the venue's ``linear`` and ``quanto`` lists, and their table."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from .presets import load

#: The contract types a venue's presets may hold, in the order they are listed.
KINDS = ("linear", "quanto")


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def record(coin: str, preset: Mapping[str, Any]) -> dict[str, Any]:
    """One linear or quanto preset as ``exchanges`` writes it: its figures as the file gives
    them, its sources, as-of date, and which figures the sources confirm and which not."""
    return {
        "preset_coin": coin,
        "name": preset["name"],
        "symbol": preset["symbol"],
        "margin_currency": preset.get("quote") or preset.get("settle"),
        "contract_size_coin": _decimal(preset.get("contract_size")),
        "multiplier": _decimal(preset.get("multiplier")),
        "tick": _decimal(preset["tick"]),
        "mmr": _decimal(preset["mmr"]),
        "family": preset["mm_basis"],
        "as_of": preset["as_of"],
        "sources": list(preset["sources"]),
        "confirmed": list(preset.get("checked", [])),
        "unconfirmed": list(preset.get("unconfirmed", [])),
    }


def contracts(exchange: str) -> dict[str, list[dict[str, Any]]]:
    """``{"linear": [...], "quanto": [...]}``: the venue's presets of each type (empty lists
    where it has none)."""
    venue = load().get(exchange, {})
    return {kind: [record(coin, preset) for coin, preset in venue.get(kind, {}).items()] for kind in KINDS}


def _size(kind: str, contract: Mapping[str, Any]) -> str:
    from invfut_cli.render.table import text

    if kind == "linear":
        return f"{text(contract['contract_size_coin'])} {contract['preset_coin']}"
    return f"{text(contract['multiplier'])} {contract['margin_currency']}/USD"


def draw(doc: Mapping[str, Any], console: Any) -> None:
    """The linear and quanto presets: one row per contract, then each one's as-of date and
    sources (with one venue, the figures the sources confirm and the ones they do not)."""
    from invfut_cli.render.table import plain_table, text

    listed = [
        (venue, kind, contract) for venue in doc["exchanges"] for kind in KINDS for contract in venue.get(kind) or []
    ]
    if not listed:
        return
    headers = ["exchange", "symbol", "size", "tick", "margin", "mmr %"]
    rows = [
        [
            venue["exchange"],
            contract["symbol"] if kind == "linear" else f"{contract['symbol']} ({kind})",
            _size(kind, contract),
            text(contract["tick"]),
            contract["margin_currency"],
            f"{(contract['mmr'] * 100).normalize():f}",  # a percentage without trailing zeros
        ]
        for venue, kind, contract in listed
    ]
    console.print()
    title = "Linear and quanto presets (--contract-type; size: per contract)"
    table = plain_table(headers, rows, console.width, title)
    if len(table.columns) < len(headers):  # too narrow for the table: one short line a contract
        console.print("Linear and quanto presets: exchange symbol size tick; margin, mmr %")
        for row in rows:
            console.print(" ".join(row[:4]), soft_wrap=True)
            console.print(f"  {row[4]}, {row[5]}%", soft_wrap=True)
    else:
        console.print(table)
    detailed = len(doc["exchanges"]) == 1
    for _venue, kind, contract in listed:
        named = f"[bold]{contract['name']} {contract['symbol']}[/bold] ({kind}, {contract['family']} family)"
        console.print(f"{named}, read {contract['as_of']}:", soft_wrap=True)
        for source in contract["sources"]:
            console.print(f"  source: {source}", soft_wrap=True, highlight=False)
        if detailed:
            confirmed = "; ".join(contract["confirmed"]) or "none"
            unconfirmed = "; ".join(contract["unconfirmed"]) or "none"
            console.print(f"  confirmed by the sources: {confirmed}", soft_wrap=True, highlight=False)
            console.print(f"  not confirmed: {unconfirmed}", soft_wrap=True, highlight=False)
