"""The layout of ``invfut liq-price``'s ``--json`` document (see :mod:`invfut_cli.documents`)."""

from __future__ import annotations

from typing import Any

from invfut_cli.documents.shared import (
    CLOSED,
    FILL_INPUTS,
    HEAD,
    LIQUIDATION,
    ORDER_COST,
    POSITION_INPUTS,
    RULE_INPUTS,
    SIZE_ASKED,
)
from invfut_cli.given import GIVEN

LAYOUT: dict[str, Any] = {
    **HEAD,
    "inputs": {
        **POSITION_INPUTS,
        **FILL_INPUTS,
        **RULE_INPUTS,
        "mark": None,
        "fail_within": None,
        "target_liquidation": None,
    },
    "size_asked": SIZE_ASKED,
    "size_usd": None,
    "average_entry": GIVEN,
    "closed": CLOSED,
    **LIQUIDATION,
    "distance_pct": None,
    "exposure": None,
    "coin_delta": None,
    "coin_gamma": None,
    "usd_delta": None,
    "initial_margin": None,
    "collateral": None,
    "fee_to_close": None,
    "mark_price": None,
    "distance_from_mark_pct": None,
    "fail_within_pct": GIVEN,
    "beyond": None,
    "alert": None,
    "reason": None,
    "bankruptcy_reason": None,
    "warnings": [None],
    "order_cost": ORDER_COST,
    "target_liquidation": {
        "price": GIVEN,
        "collateral": None,
        "margin_to_add": None,
        "leverage": None,
        "fee_to_close": None,
        "tier": None,
        "reason": None,
    },
    "explain": None,
}
