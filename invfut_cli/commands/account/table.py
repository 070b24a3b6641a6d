"""The table of ``invfut account``, drawn on the table renderer's console (rich is imported
only when it is drawn)."""

from __future__ import annotations

from typing import Any

Doc = dict[str, Any]

#: The most positions the table draws; the JSON, NDJSON and CSV carry every one.
TABLE_POSITIONS = 500


def draw_table(doc: Doc, console: Any) -> None:
    """Positions, then the account line(s) with the liquidation price highlighted, the shocks,
    the hedge advice and the notes, on the table renderer's console."""
    from invfut_cli.render.table import plain_table, text

    coin = doc["coin"]
    parts = [("after", doc["after"]), ("before", doc["before"])] if doc.get("after") else [("", doc)]
    positions = parts[0][1]["positions"]
    headers = [
        "#",
        "name",
        "side",
        "contracts",
        "entry",
        f"PnL {coin}",
        "liq. price",
        "mode",
        f"MM {coin}",
        f"exposure {coin}",
    ]
    rows = [
        [
            text(p["number"]),
            p["name"] or "",
            p["side"],
            text(p["contracts"]),
            text(p["entry"]),
            text(p["pnl"]),
            text(p["liquidation_price"]),  # a cross position's is the account's
            p["margin_mode"],
            text(p["maintenance_margin"]),
            text(p["exposure"]),
        ]
        for p in positions[:TABLE_POSITIONS]
    ]
    kind = doc.get("contract_type")  # a linear or quanto account: its amounts are in its margin currency
    what = f"{kind} account in {coin}" if kind else "account"
    title = f"{what} {len(positions):,} position(s) at {text(doc['price'])}"
    console.print(plain_table(headers, rows, console.width, title))
    if len(positions) > TABLE_POSITIONS:
        console.print(
            f"(the first {TABLE_POSITIONS:,} of {len(positions):,} positions; --json or --format csv for every one)"
        )

    labels = [
        ("balance", f"Cross balance ({coin})"),
        ("equity", f"Equity ({coin})"),
        ("maintenance_margin", f"Maintenance margin ({coin})"),
        ("free_margin", f"Free margin ({coin})"),
        ("effective_leverage", "Effective leverage (x)"),
        ("usd_delta", f"USD delta ({coin})"),
        ("liquidation_price", f"Liquidation price ({doc.get('quote') or 'USD'})"),
        ("liquidation_price_exact", "  exact"),
        ("distance_pct", "Distance from the price (%)"),
        ("liquidated", "Liquidated now"),
        ("total_equity", f"Total equity, isolated too ({coin})"),
    ]
    rows = [
        [
            label,
            *(
                ("none" if part[key] is None and key == "liquidation_price" else text(part[key]))
                for _n, part in parts[::-1]
            ),
        ]
        for key, label in labels
        if not (kind and key == "usd_delta")  # an inverse account's (its balance is the coin)
    ]
    headers = ["account", *((name or "value") for name, _part in parts[::-1])]
    summary = plain_table(headers, rows, console.width, None)
    for column in summary.columns[1:]:
        column.justify = "right"
    # The liquidation price stands out (rich's row style; the renderer imports rich).
    shown = [key for key, _ in labels if not (kind and key == "usd_delta")]
    summary.rows[shown.index("liquidation_price")].style = "bold reverse"
    console.print(summary)

    if doc.get("rows"):
        shock_rows = [
            [
                r["scenario"] or "",
                text(r["move_pct"]),
                text(r["price"]),
                text(r["equity"]),
                text(r["liquidated"]),
                text(r["margin_to_add"]),
                ", ".join(r["isolated_liquidated"]),
            ]
            for r in doc["rows"]
        ]
        console.print(
            plain_table(
                ["scenario", "move %", "price", f"equity {coin}", "liquidated", f"add {coin}", "isolated liquidated"],
                shock_rows,
                console.width,
                "shocks, every position at once",
            )
        )
    hedge = doc.get("hedge")
    if hedge:
        if hedge["side"] is None:
            console.print(
                f"Hedge: the USD delta {text(hedge['usd_delta'])} is within one lot of the target: no trade.",
                soft_wrap=True,
            )
        else:
            console.print(
                f"Hedge: {hedge['side']} {text(hedge['contracts'])} contracts ({text(hedge['size_usd'])} USD) brings the USD "
                f"delta from {text(hedge['usd_delta'])} to {text(hedge['usd_delta_after'])} {coin} "
                f"(target {text(hedge['target_usd_delta'])}); liquidation price then {text(hedge['liquidation_price_after'])}.",
                soft_wrap=True,
            )
    final = parts[0][1]
    if final["liquidated"]:
        console.print(
            "LIQUIDATED: the cross equity is at or below the maintenance margin at this price.",
            style="bold red",
            soft_wrap=True,
        )
    if final["reason"]:
        console.print(f"No liquidation price: {final['reason']}.", style="yellow", soft_wrap=True)
    if doc["fail_within_pct"] is not None:
        state = "ALERT: within" if doc["alert"] else "outside"
        console.print(
            f"{state} the {text(doc['fail_within_pct'])}% limit.", style="bold red" if doc["alert"] else "yellow"
        )
    for line in doc.get("explain") or []:
        console.print(line, soft_wrap=True)
