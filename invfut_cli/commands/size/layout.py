"""The layout of ``invfut size``'s ``--json`` document (see :mod:`invfut_cli.documents`)."""

from __future__ import annotations

from typing import Any

from invfut_cli.documents.shared import HEAD, LIQUIDATION, RULE_INPUTS
from invfut_cli.given import GIVEN

LAYOUT: dict[str, Any] = {
    **HEAD,
    "inputs": {
        **RULE_INPUTS,
        "side": None,
        "entry": None,
        "contract_size": None,
        "leverage": None,
        "balance": None,
        "stop": None,
        "risk": None,
        "risk_pct": None,
        "cross": None,
    },
    "side": None,
    "side_inferred": None,
    "risk": GIVEN,
    "risk_pct": GIVEN,
    "fee_rate": GIVEN,
    "fee_rate_source": None,
    "stop_distance_pct": None,
    "contracts": None,
    "contracts_exact": None,
    "lot": None,
    "size_usd": None,
    "value_entry": None,
    "leverage": None,
    "initial_margin": None,
    "collateral": None,
    "min_leverage": None,
    "pnl_at_stop": None,
    "fee_open": None,
    "fee_close": None,
    "loss_at_stop": None,
    "loss_at_stop_pct": None,
    "next_lot_loss": None,
    **LIQUIDATION,
    "distance_pct": None,
    "stop_beyond_liquidation": None,
    "reason": None,
    "bankruptcy_reason": None,
    "warnings": [None],
    "explain": None,
}
