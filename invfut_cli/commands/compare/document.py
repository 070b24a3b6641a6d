"""The document of ``invfut compare``: the position asked, and one row per venue."""

from __future__ import annotations

from typing import Any

Doc = dict[str, Any]


def document(args: Any, rows: list[Doc]) -> Doc:
    """``invfut compare``: the position asked, and one row per venue (``rows``)."""
    from invfut_cli.commands.compare.rows import size_coin
    from invfut_cli.rounding import shown_places, usd

    for row in rows:
        row["size_coin"] = size_coin(row, args.entry)
    return {
        "command": "compare",
        "coin": args.coin,
        "inputs": {
            "side": args.side,
            "entry": args.entry,
            "size_usd": args.size_usd,
            "size_coin": args.size_coin,
            "contracts": args.contracts,
            "leverage": args.leverage,
            "margin": args.margin,
            "balance": args.balance,
            "exchange": [venue.value for venue in args.chosen],
        },
        "average_entry": usd(args.entry, shown_places(args.entry)),
        "margin_mode": "cross" if args.balance is not None else "isolated",
        "rows": rows,
    }
