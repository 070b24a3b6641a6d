"""The layout of ``invfut ladder``'s ``--json`` document (see :mod:`invfut_cli.documents`)."""

from __future__ import annotations

from typing import Any

from invfut_cli.documents.shared import CLOSED, LIQUIDATION

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
        "sensitivities": None,
        "entry_fee": None,
        "exit_fee": None,
        "funding": None,
        "periods": None,
        "hours": None,
        "fill": [None],
        "close": [None],
    },
    "size_asked": None,
    "size_usd": None,
    "average_entry": None,
    "closed": CLOSED,
    "initial_margin": None,
    "collateral": None,
    "break_even_price": None,
    "liquidation_price": None,
    "bankruptcy_price": None,
    "tier": LIQUIDATION["tier"],
    "reason": None,
    "marks": [
        {
            "price": None,
            "pnl": None,
            "step_pnl": None,
            "pnl_usd": None,
            "roe_pct": None,
            "equity": None,
            "equity_usd": None,
            "effective_leverage": None,
            "mark": None,
            "liquidated": None,
            "exposure": None,
            "coin_delta": None,
            "coin_gamma": None,
            "usd_delta": None,
        }
    ],
    "grid": {"price_step": None, "last_step": None, "note": None},
    "rows": [
        {
            "price": None,
            "pnl": None,
            "step_pnl": None,
            "pnl_usd": None,
            "roe_pct": None,
            "equity": None,
            "equity_usd": None,
            "effective_leverage": None,
            "mark": None,
            "liquidated": None,
            "exposure": None,
            "coin_delta": None,
            "coin_gamma": None,
            "usd_delta": None,
        }
    ],
    "explain": None,
}
