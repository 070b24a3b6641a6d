"""The layout of ``invfut leverage``'s ``--json`` document (see :mod:`invfut_cli.documents`)."""

from __future__ import annotations

from typing import Any

LAYOUT: dict[str, Any] = {
    "command": None,
    "coin": None,
    "exchange": None,
    "preset": {"name": None, "symbol": None, "family": None, "as_of": None, "sources": [None]},
    "inputs": {
        "side": None,
        "entry": None,
        "contracts": None,
        "contract_size": None,
        "leverage": None,
        "margin": None,
        "balance": None,
        "mmr": None,
        "mm_basis": None,
        "mm_deduction": None,
        "taker_fee": None,
        "tick": None,
        "grid": {"from": None, "to": None, "step": None, "steps": None, "pct": None, "pct_step": None},
    },
    "size_asked": None,
    "solved": None,
    "margin_mode": None,
    "contracts": None,
    "leverage": None,
    "size_usd": None,
    "initial_margin": None,
    "collateral": None,
    "effective_leverage": None,
    "liquidation_price": None,
    "grid": {"price_step": None, "last_step": None, "note": None},
    "rows": [{"price": None, "equity": None, "effective_leverage": None, "liquidated": None}],
    "largest_order": {
        "contracts": None,
        "lot": None,
        "collateral": None,
        "cost": {
            "size_usd": None,
            "leverage": None,
            "fee_rate": None,
            "bankruptcy_price": None,
            "initial_margin": None,
            "fee_open": None,
            "fee_to_close": None,
            "total": None,
            "total_exact": None,
            "reason": None,
        },
        "one_more_lot_total": None,
        "reason": None,
    },
    "explain": None,
}
