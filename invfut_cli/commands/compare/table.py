"""The tables of ``invfut compare``, drawn on the table renderer's console (rich is imported
only when they are drawn)."""

from __future__ import annotations

import sys
from typing import Any

Doc = dict[str, Any]

#: Columns given up first, in this order, when a table does not fit the terminal.
DROP_ORDER = ("symbol", "fee_close", "fee_open", "maintenance", "family", "size_usd", "bankruptcy", "tier")


def _fit(keys: list[str], headers: dict[str, str], cells: dict[str, list[str]], width: int) -> list[str]:
    """The columns that fit ``width``, leaving out :data:`DROP_ORDER`'s first; nothing is cut."""
    shown = list(keys)

    def needed() -> int:
        return sum(max([len(headers[k]), *map(len, cells[k])]) + 3 for k in shown) + 1

    for key in DROP_ORDER:
        if needed() <= width:
            break
        if key in shown:
            shown.remove(key)
    return shown


def _table(title: str, keys: list[str], headers: dict[str, str], cells: dict[str, list[str]], width: int) -> Any:
    """The table of the ``keys`` that fit, drawn by the table renderer; numbers to the right."""
    from invfut_cli.render.table import plain_table

    rows = [[cells[k][index] for k in keys] for index in range(len(cells[keys[0]]))]
    table = plain_table([headers[k] for k in keys], rows, width, title)
    for key, column in zip(keys, table.columns, strict=True):
        column.justify = "left" if key in ("venue", "symbol", "family") else "right"
    return table


def draw_table(doc: Doc, console: Any) -> None:
    """Two tables, a row per venue: what opening the position costs, and where it is
    liquidated. Columns that do not fit the terminal are left out, and a line on stderr
    names them (``--json`` has every one)."""
    from invfut_cli.render.table import text

    coin, rows = doc["coin"], doc["rows"]
    i = doc["inputs"]
    asked = (
        f"{text(i['size_usd'])} USD"
        if i["size_usd"] is not None
        else f"{text(i['size_coin'])} {coin}"
        if i["size_coin"] is not None
        else f"{text(i['contracts'])} contracts of each venue"
    )
    margin = (
        f"{text(i['leverage'])}x"
        if i["leverage"] is not None
        else f"margin {text(i['margin'])} {coin}"
        if i["margin"] is not None
        else f"balance {text(i['balance'])} {coin} (cross)"
    )

    def cost(row: Doc, key: str) -> str:
        return text(None if row["order_cost"] is None else row["order_cost"][key])

    def liquidation(row: Doc) -> str:
        if row["liquidation_price_estimate"] is not None:
            return "≈" + text(row["liquidation_price_estimate"])
        return text(row["liquidation_price"]) if row["allowed"] else "—"

    def distance(row: Doc) -> str:
        if row["estimate_distance_pct"] is not None:
            return "≈" + text(row["estimate_distance_pct"])
        return text(row["distance_pct"])

    def limit(row: Doc) -> str:
        shown = text(row["max_leverage"])
        return shown if row["allowed"] else f"{shown} !"

    venue = [r["exchange"] for r in rows]
    first = {
        "venue": ("venue", venue),
        "contracts": ("contracts", [text(r["contracts"]) for r in rows]),
        "size_usd": ("size USD", [text(r["size_usd"]) for r in rows]),
        "initial_margin": ("IM", [text(r["initial_margin"]) for r in rows]),
        "fee_open": ("fee open", [cost(r, "fee_open") for r in rows]),
        "fee_close": ("fee close", [cost(r, "fee_to_close") for r in rows]),
        "cost": ("order cost", [cost(r, "total") for r in rows]),
        "max_leverage": ("max x", [limit(r) for r in rows]),
    }
    second = {
        "venue": ("venue", venue),
        "symbol": ("symbol", [r["symbol"] or "" for r in rows]),
        "family": ("family", [r["formula_family"] or "—" for r in rows]),
        "tier": ("tier", [text((r["tier"] or {}).get("index")) for r in rows]),
        "liquidation": ("liquidation", [liquidation(r) for r in rows]),
        "distance": ("dist %", [distance(r) for r in rows]),
        "bankruptcy": ("bankruptcy", [text(r["bankruptcy_price"]) for r in rows]),
        "maintenance": ("MM", [text(r["maintenance_margin"]) for r in rows]),
    }
    width = console.width
    left_out: list[str] = []
    for title, spec in (
        (f"compare {i['side']} {asked} at {text(doc['average_entry'])}, {margin}: opening it ({coin})", first),
        (f"where it is liquidated (USD; MM in {coin})", second),
    ):
        headers = {k: h for k, (h, _) in spec.items()}
        cells = {k: c for k, (_, c) in spec.items()}
        keys = _fit(list(spec), headers, cells, width)
        left_out += [headers[k] for k in spec if k not in keys]
        console.print(_table(title, keys, headers, cells, width))
    if left_out:
        sys.stderr.write(
            f"invfut compare: {width} columns leave out {', '.join(left_out)}; a wider terminal or --json shows them\n"
        )
    notes = []
    if any(r["liquidation_price_estimate"] is not None for r in rows):
        notes.append(
            "≈ an estimate: the venue has no liquidation price of its own; this is where an account holding only "
            "this position meets its maintenance margin (estimate_basis in --json)."
        )
    for row in rows:
        if not row["allowed"]:
            notes.append(f"{row['exchange']}: not allowed (! its maximum): {row['reason']}.")
        elif row["liquidation_price"] is None and row["liquidation_price_estimate"] is None and row["reason"]:
            notes.append(f"{row['exchange']}: no liquidation price: {row['reason']}.")
    if i["size_usd"] is not None or i["size_coin"] is not None:
        notes.append("contracts: whole lots of each venue's contract that the size pays for, rounded down.")
    for line in notes:
        console.print(line, style="yellow", overflow="fold")
    for line in doc.get("explain") or []:
        console.print(line, soft_wrap=True)
