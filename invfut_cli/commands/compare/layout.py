"""The layout of ``invfut compare``'s ``--json`` document (see :mod:`invfut_cli.documents`)."""

from __future__ import annotations

from typing import Any

from invfut_cli.documents.shared import LIQUIDATION, ORDER_COST, SIZE_ASKED
from invfut_cli.given import GIVEN
from invfut_cli.risk_layout import PROBABILITY, PROBABILITY_TARGET, RISK_INPUTS

LAYOUT: dict[str, Any] = {
    "command": None,
    "coin": None,
    "inputs": {
        "side": None,
        "entry": None,
        "size_usd": None,
        "size_coin": None,
        "contracts": None,
        "leverage": None,
        "margin": None,
        "balance": None,
        "exchange": [None],
        **RISK_INPUTS,
    },
    "average_entry": GIVEN,
    "margin_mode": None,
    "rows": [
        {
            "exchange": None,
            "name": None,
            "symbol": None,
            "contract_size": None,
            "lot": None,
            "fee_rate": GIVEN,
            "contracts": None,
            "size_coin": None,
            "allowed": None,
            "max_leverage": None,
            "leverage": GIVEN,
            "size_asked": SIZE_ASKED,
            "size_usd": None,
            **LIQUIDATION,
            "initial_margin": None,
            "collateral": None,
            "order_cost": ORDER_COST,
            "distance_pct": None,
            "reason": None,
            "bankruptcy_reason": None,
            "warnings": [None],
            "liquidation_probability": PROBABILITY,
            "probability_target": PROBABILITY_TARGET,
        }
    ],
    "explain": None,
}
