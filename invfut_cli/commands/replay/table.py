"""The table of ``invfut replay``, drawn on the table renderer's console."""

from __future__ import annotations

from typing import Any

Doc = dict[str, Any]


def draw_table(doc: Doc, console: Any) -> None:
    """The path, the verdict, the worst points and the collateral to survive, as two columns."""
    from invfut_cli.render.table import label_grid, text

    coin = doc["coin"]
    i = doc["inputs"]
    hit = doc["liquidated_at"]
    verdict = (
        "survived"
        if hit is None
        else f"LIQUIDATED at {text(hit['price'])} on {hit['time']} (line {hit['line']}): the {coin} "
        + ("collateral is lost" if "positions" not in doc else "cross balance is lost")
    )
    worst = doc["worst_price"]
    rows = [
        ["candles", f"{doc['candles']} from {doc['first_time']} to {doc['last_time']} ({doc['price_source']} prices)"],
        ["position", f"{i['side']} {text(doc['size_usd'])} USD at {text(doc['average_entry'])}"]
        if "positions" not in doc
        else ["account", f"{doc['account']}: {len(doc['positions'])} positions"],
        ["collateral" if "positions" not in doc else "cross balance", f"{text(doc['collateral'])} {coin}"],
        ["liquidation price", "none" if doc["liquidation_price"] is None
            else f"{text(doc['liquidation_price'])} at the start"],
        ["result", verdict],
        ["worst price", "" if worst is None else f"{text(worst['price'])} on {worst['time']}"],
        ["lowest equity", f"{text(doc['min_equity'])} {coin}"],
        ["smallest safety margin", "" if doc["min_safety_pct"] is None else f"{text(doc['min_safety_pct'])}%"],
        ["funding paid", f"{text(doc['funding_paid'])} {coin} in {doc['funding_payments']} payments "
                         f"(every {text(doc['funding_interval_hours'])} h)"],
        ["collateral at the end" if hit is None else "collateral when liquidated (lost)", f"{text(doc['collateral_end'])} {coin}"],
        ["collateral to survive", "" if doc["collateral_to_survive"] is None
            else f"{text(doc['collateral_to_survive'])} {coin} "
                 f"(margin to add {text(doc['margin_to_add'])}, rounded up)"],
    ]  # fmt: skip
    for number, p in enumerate(doc.get("positions") or [], 1):
        if p["margin_mode"] != "isolated":
            continue
        own = p["liquidated_at"]
        label = f"isolated {number}" + (f" ({p['name']})" if p["name"] else "")
        verdict_own = "survived" if own is None else f"LIQUIDATED on {own['time']} (line {own['line']})"
        rows.append([
            label,
            f"{p['side']} {text(p['contracts'])} at {text(p['entry'])}, margin {text(p['collateral'])} {coin}, "
            f"liquidation {text(p['liquidation_price'])}: {verdict_own}",
        ])  # fmt: skip
    console.print(f"replay {doc['file']}\n", soft_wrap=True, highlight=False)
    console.print(label_grid(rows))
    console.print()
    for line in [doc["reason"], *(doc.get("explain") or [])]:
        if line:
            console.print(line)
