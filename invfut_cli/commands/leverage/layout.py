"""The layout of ``invfut leverage``'s ``--json`` document (see :mod:`invfut_cli.documents`)."""

from __future__ import annotations

from typing import Any

from invfut_cli.contract_types.layout import CONTRACT, CONTRACT_INPUTS
from invfut_cli.contract_types.layout import OPTIONAL as CONTRACT_OPTIONAL
from invfut_cli.documents.shared import GRID_INPUTS, HEAD, ORDER_COST, POSITION_INPUTS, RULE_INPUTS, SIZE_ASKED
from invfut_cli.given import GIVEN
from invfut_cli.risk_layout import PROBABILITY, PROBABILITY_TARGET, RISK_INPUTS

LAYOUT: dict[str, Any] = {
    **HEAD,
    "inputs": {
        **POSITION_INPUTS,
        **RULE_INPUTS,
        **GRID_INPUTS,
        **RISK_INPUTS,
        **CONTRACT_INPUTS,
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
    "rows": [{"price": None, "equity": None, "effective_leverage": None, "liquidated": None, "touch_pct": None}],
    "largest_order": {
        "contracts": None,
        "lot": None,
        "collateral": GIVEN,
        "cost": ORDER_COST,
        "one_more_lot_total": None,
        "reason": None,
    },
    "liquidation_probability": PROBABILITY,
    "probability_target": PROBABILITY_TARGET,
    "explain": None,
    **CONTRACT,
}

#: Keys only some answers carry: the model probability (``--vol``/``--vol-from`` and ``--horizon``; each row's ``touch_pct`` too) and a linear or quanto contract's.
OPTIONAL: frozenset[str] = frozenset({"liquidation_probability", "probability_target"}) | CONTRACT_OPTIONAL
