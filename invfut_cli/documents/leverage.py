"""The layout of ``invfut leverage``'s ``--json`` document (see :mod:`invfut_cli.documents`)."""

from __future__ import annotations

from typing import Any

from invfut_cli.documents.shared import GRID_INPUTS, HEAD, ORDER_COST, POSITION_INPUTS, RULE_INPUTS, SIZE_ASKED
from invfut_cli.given import GIVEN

LAYOUT: dict[str, Any] = {
    **HEAD,
    "inputs": {
        **POSITION_INPUTS,
        **RULE_INPUTS,
        **GRID_INPUTS,
    },
    "size_asked": SIZE_ASKED,
    "solved": None,
    "margin_mode": None,
    "contracts": GIVEN,
    "leverage": GIVEN,
    "size_usd": None,
    "initial_margin": None,
    "collateral": None,
    "effective_leverage": None,
    "liquidation_price": None,
    "grid": {"price_step": None, "last_step": GIVEN, "note": None},
    "rows": [{"price": None, "equity": None, "effective_leverage": None, "liquidated": None}],
    "largest_order": {
        "contracts": None,
        "lot": None,
        "collateral": GIVEN,
        "cost": ORDER_COST,
        "one_more_lot_total": None,
        "reason": None,
    },
    "explain": None,
}
