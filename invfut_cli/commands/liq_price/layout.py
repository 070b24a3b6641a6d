"""The layout of ``invfut liq-price``'s ``--json`` document (see :mod:`invfut_cli.documents`)."""

from __future__ import annotations

from typing import Any

from invfut_cli.contract_types.layout import CONTRACT, CONTRACT_INPUTS
from invfut_cli.contract_types.layout import OPTIONAL as CONTRACT_OPTIONAL
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
from invfut_cli.inputs.live import MARK_SOURCE
from invfut_cli.risk_layout import PROBABILITY, PROBABILITY_TARGET, RISK_INPUTS

LAYOUT: dict[str, Any] = {
    **HEAD,
    "inputs": {
        **POSITION_INPUTS,
        **FILL_INPUTS,
        **RULE_INPUTS,
        "mark": None,
        "fail_within": None,
        "target_liquidation": None,
        **RISK_INPUTS,
        **CONTRACT_INPUTS,
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
    "liquidation_probability": PROBABILITY,
    "probability_target": PROBABILITY_TARGET,
    "explain": None,
    **CONTRACT,
    "mark_source": MARK_SOURCE,
}

#: Keys only some answers carry: the model probability (``--vol``/``--vol-from`` and ``--horizon``), a linear or quanto contract's, and the live mark's source.
OPTIONAL: frozenset[str] = (
    frozenset({"liquidation_probability", "probability_target"}) | CONTRACT_OPTIONAL | {"mark_source"}
)
