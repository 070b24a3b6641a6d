"""``invfut exchanges``: the presets and where their numbers come from."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

import typer

from invfut_cli.app import command, emit
from invfut_cli.inputs.live import TimeoutOpt
from invfut_cli.options import ExchangeName, FormatOpt, JsonOpt
from invfut_cli.registry import layout_on_use
from invfut_cli.selection import FieldsOpt

if TYPE_CHECKING:
    from invfut_cli.venues.presets import PresetFile


#: ``LAYOUT``: this command's layout, read from :mod:`.layout` on first use.
__getattr__ = layout_on_use(__name__)


def document(presets: PresetFile, only: str | None) -> dict[str, Any]:
    """The ``exchanges`` document: every preset (or ``only`` that one) with its contracts and tiers,
    and the venue's linear and quanto contracts (:mod:`invfut_cli.contract_types.listing`)."""
    from invfut_cli.contract_types.listing import contracts

    venues = []
    for key, preset in presets.presets.items():
        if only is not None and key.value != only:
            continue
        coins = {}
        for coin_name, contract in preset.coins.items():
            table = contract.table()
            coins[coin_name] = {
                "symbol": contract.symbol,
                "contract_size_usd": contract.contract_size_usd,
                "tick": contract.tick,
                "lot": contract.lot,
                "max_leverage": contract.max_leverage,
                "tier_unit": contract.tier_unit,
                "deduction_unit": contract.deduction_unit,
                "tiers": None
                if table is None
                else [
                    {"up_to": t.up_to, "mmr": t.mmr, "deduction": t.deduction, "max_leverage": t.max_leverage}
                    for t in table.tiers
                ],
                "size_margins": None if contract.size_margins is None else contract.size_margins.model_dump(),
            }
        venues.append(
            {
                "exchange": key.value,
                "name": preset.name,
                "product": preset.product,
                "family": preset.family,
                "fee_treatment_isolated": preset.fee_treatment_isolated,
                "fee_treatment_cross": preset.fee_treatment_cross,
                "maker_fee": preset.maker_fee,
                "taker_fee": preset.taker_fee,
                "funding_interval_hours": preset.funding_interval_hours,
                "funding_mode": preset.funding_mode,
                "as_of": preset.as_of.isoformat(),
                "sources": preset.sources,
                "notes": preset.notes,
                "coins": coins,
                **contracts(key.value),
            }
        )
    return {"command": "exchanges", "exchanges": venues}


@command("exchanges", example="invfut exchanges\ninvfut exchanges bybit --json")
def exchanges_command(
    name: Annotated[
        ExchangeName | None,
        typer.Argument(
            help=f"Show one venue in full: tiers, notes and sources. One of {', '.join(e.value for e in ExchangeName)}.",
            metavar="NAME",
            case_sensitive=False,
        ),
    ] = None,
    refresh: Annotated[
        bool,
        typer.Option(
            "--refresh",
            help="Read the current contract size, tick, lot, maximum leverage and tiers from the venue's "
            "public API (NAME, or every venue ccxt reaches), cache them for the other commands, "
            "and show what changed against the shipped preset (needs the live extra).",
            rich_help_panel="Live",
        ),
    ] = False,
    timeout: TimeoutOpt = 10.0,
    as_json: JsonOpt = False,
    fmt: FormatOpt = None,
    fields: FieldsOpt = None,
) -> None:
    """The exchange presets: contracts, sizes, ticks, fees, tiers, formula family, sources and as-of dates."""
    from invfut_cli.documents.typed import typed

    if refresh:
        from invfut_cli.live.transport import VENUES, require_extra

        require_extra("--refresh")  # ccxt reads the venues, platformdirs keeps what they said
        from invfut_cli.live.refresh import refresh as read_venues

        names = [name.value] if name is not None else [k for k, v in VENUES.items() if v.ccxt_id]
        emit(typed(read_venues(names, timeout=timeout)), as_json, fmt)
        return
    from invfut_cli.selection import ASKED
    from invfut_cli.venues.presets import load

    doc, asked = document(load(), None if name is None else name.value), ASKED.get()
    emit(typed(doc) if asked is None else asked.typed(asked.cut(doc)), as_json, fmt)


def percent(rate: Decimal) -> str:
    """A rate as a percentage, without trailing zeros: 0.00075 is ``0.075``."""
    value = (rate * 100).normalize()
    return f"{value:f}"


def draw_refresh(doc: Mapping[str, Any], console: Any) -> None:
    """``--refresh``: per venue, when it was read and each change against the shipped preset."""
    for venue in doc["refreshed"]:
        changed = venue["changes"]
        console.print(
            f"{venue['venue']}: read {venue['read_at']}, {len(changed) or 'no'} change(s) against the shipped preset",
            soft_wrap=True,
            highlight=False,
        )
        for change in changed:
            console.print(
                f"  {change['coin']} {change['field']}: {change['shipped']} -> {change['current']}",
                soft_wrap=True,
                highlight=False,
            )
        for item in venue["not_read"]:
            console.print(f"  not read: {item}", soft_wrap=True, highlight=False)
    console.print(f"cached in {doc['cache_file']}", soft_wrap=True, highlight=False)


def draw_table(doc: Mapping[str, Any], console: Any) -> None:
    """The presets: one row per contract; with one venue, its tiers, notes and sources too."""
    if "refreshed" in doc:
        draw_refresh(doc, console)
        return
    from invfut_cli.render.table import plain_table, text

    headers = ["exchange", "symbol", "USD", "tick", "lot", "max lev", "fees %", "family"]
    rows = [
        [
            venue["exchange"],
            contract["symbol"],
            text(contract["contract_size_usd"]),
            text(contract["tick"]),
            text(contract["lot"]),
            text(contract["max_leverage"]),
            f"{percent(venue['maker_fee'])}/{percent(venue['taker_fee'])}",
            venue["family"],
        ]
        for venue in doc["exchanges"]
        for contract in venue["coins"].values()
    ]
    table = plain_table(headers, rows, console.width, "Exchange presets (fees: maker/taker)")
    if len(table.columns) < len(headers):  # too narrow for the table: one short line a contract
        console.print("Exchange presets: exchange symbol USD tick lot max-leverage; fees maker/taker %, family")
        for row in rows:
            console.print(" ".join(row[:6]), soft_wrap=True)
            console.print(f"  fees {row[6]}, {row[7]}", soft_wrap=True)
        table = None
    if table is not None:
        console.print(table)
    detailed = len(doc["exchanges"]) == 1
    for venue in doc["exchanges"]:
        console.print(f"[bold]{venue['name']}[/bold] ({venue['product']}), read {venue['as_of']}:", soft_wrap=True)
        if detailed:
            for coin, contract in venue["coins"].items():
                if contract["tiers"]:
                    tiers = plain_table(
                        [
                            f"up to ({contract['tier_unit']})",
                            "mmr",
                            f"deduction ({contract['deduction_unit']})",
                            "max lev",
                        ],
                        [
                            [
                                "—" if tier["up_to"] is None else text(tier["up_to"]),
                                f"{percent(tier['mmr'])}%",
                                text(tier["deduction"]),
                                text(tier["max_leverage"]),
                            ]
                            for tier in contract["tiers"]
                        ],
                        console.width,
                        f"{contract['symbol']} tiers",
                    )
                    console.print(tiers)
                elif contract["size_margins"]:
                    rates = contract["size_margins"]
                    console.print(
                        f"  {contract['symbol']}: initial {percent(rates['initial_base'])}% and maintenance "
                        f"{percent(rates['maintenance_base'])}%, each + {percent(rates['slope_per_coin'])}% per {coin} of position",
                        soft_wrap=True,
                    )
            for note in venue["notes"]:
                console.print(f"  - {note}", soft_wrap=True)
        for source in venue["sources"]:
            console.print(f"  source: {source}", soft_wrap=True, highlight=False)
    from invfut_cli.contract_types.listing import draw

    draw(doc, console)


def flat_records(doc: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    """CSV/NDJSON: one record per inverse contract, its venue's keys beside it (``notes``, and
    the ``linear`` and ``quanto`` lists, left out: ``--json`` has them)."""
    from invfut_cli.render.flat import flatten

    if "refreshed" in doc:
        for venue in doc["refreshed"]:
            for change in venue["changes"]:
                yield {"venue": venue["venue"], "read_at": venue["read_at"], **change}
        return
    for venue in doc["exchanges"]:
        for coin, contract in venue["coins"].items():
            kept = {k: v for k, v in venue.items() if k not in ("coins", "notes", "linear", "quanto")}
            yield flatten(kept | {"coin": coin, **contract})
