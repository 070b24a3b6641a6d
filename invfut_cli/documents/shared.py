"""Pieces of layout that several documents share (see :mod:`invfut_cli.documents`)."""

from __future__ import annotations

from typing import Any

#: ``preset``: what the venue's preset assumed (null for generic).
PRESET: dict[str, Any] = {"name": None, "symbol": None, "family": None, "as_of": None, "sources": [None]}

#: The liquidation keys ``liq-price`` writes, and ``stress`` and each ``compare`` row carry too.
LIQUIDATION: dict[str, Any] = {
    "margin_mode": None,
    "formula_family": None,
    "fee_treatment": None,
    "liquidation_price": None,
    "liquidation_price_exact": None,
    "liquidation_price_estimate": None,
    "liquidation_price_estimate_exact": None,
    "estimate_distance_pct": None,
    "estimate_basis": None,
    "bankruptcy_price": None,
    "bankruptcy_price_exact": None,
    "maintenance_margin": None,
    "price_step": None,
    "tier": {
        "index": None,
        "up_to": None,
        "unit": None,
        "mmr": None,
        "deduction": None,
        "deduction_unit": None,
        "max_leverage": None,
        "iterations": None,
        "initial_rate": None,
        "maintenance_rate": None,
        "size_coin": None,
        "initial_margin": None,
    },
}


#: ``closed``: each ``--close`` in the order applied, what it realised and what it left open
#: (every position document: ``pnl``, ``liq-price``, ``ladder``, ``stress``).
CLOSED: list[Any] = [{"contracts": None, "price": None, "realised_pnl": None, "remaining_contracts": None}]
