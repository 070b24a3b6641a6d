"""The layout of ``invfut ladder``'s ``--json`` document (see :mod:`invfut_cli.documents`)."""

from __future__ import annotations

from typing import Any

from invfut_cli.contract_types.layout import CONTRACT, CONTRACT_INPUTS, LADDER_OPTIONAL, VERSUS, VERSUS_ROW
from invfut_cli.documents.shared import (
    CLOSED,
    FEE_INPUTS,
    FILL_INPUTS,
    GRID_INPUTS,
    HEAD,
    LIQUIDATION,
    POSITION_INPUTS,
    RULE_INPUTS,
    SIZE_ASKED,
)
from invfut_cli.given import GIVEN

#: A row: the grid's, and each marked price's (entry, break-even, liquidation, bankruptcy).
ROW: dict[str, Any] = dict.fromkeys(
    ("price", "pnl", "step_pnl", "pnl_usd", "roe_pct", "equity", "equity_usd", "effective_leverage", "mark",
     "liquidated", "exposure", "coin_delta", "coin_gamma", "usd_delta")
) | VERSUS_ROW  # fmt: skip

LAYOUT: dict[str, Any] = {
    **HEAD,
    "inputs": {
        **POSITION_INPUTS,
        **FILL_INPUTS,
        **RULE_INPUTS,
        **FEE_INPUTS,
        **GRID_INPUTS,
        "sensitivities": None,
        **CONTRACT_INPUTS,
    },
    "size_asked": SIZE_ASKED,
    "size_usd": None,
    "average_entry": GIVEN,
    "closed": CLOSED,
    "initial_margin": None,
    "collateral": None,
    "break_even_price": None,
    "liquidation_price": None,
    "bankruptcy_price": None,
    "tier": LIQUIDATION["tier"],
    "reason": None,
    "marks": [ROW],
    "grid": {"price_step": None, "last_step": GIVEN, "note": None},
    "rows": [ROW],
    "explain": None,
    **VERSUS,
    **CONTRACT,
}
OPTIONAL = LADDER_OPTIONAL
