"""The layout of ``invfut stress``'s ``--json`` document (see :mod:`invfut_cli.documents`)."""

from __future__ import annotations

from typing import Any

from invfut_cli.contract_types.layout import CONTRACT, CONTRACT_INPUTS, STRESS_ROW
from invfut_cli.contract_types.layout import OPTIONAL as CONTRACT_OPTIONAL
from invfut_cli.documents.shared import CLOSED, FILL_INPUTS, HEAD, LIQUIDATION, POSITION_INPUTS, RULE_INPUTS, SIZE_ASKED
from invfut_cli.given import GIVEN
from invfut_cli.inputs.live import MARK_SOURCE

LAYOUT: dict[str, Any] = {
    **HEAD,
    "inputs": {
        **POSITION_INPUTS,
        **FILL_INPUTS,
        **RULE_INPUTS,
        "mark": None,
        "fail_within": None,
        "target_liquidation": None,
        "move": [None],
        "scenario": [None],
        **CONTRACT_INPUTS,
        "settle_move": [None],
    },
    "size_asked": SIZE_ASKED,
    "size_usd": None,
    "average_entry": GIVEN,
    "closed": CLOSED,
    **LIQUIDATION,
    "reference_price": None,
    "distance_pct": None,
    "collateral": None,
    "initial_margin": None,
    "equity_now": None,
    "effective_leverage_now": None,
    "liquidated_count": None,
    "reason": None,
    "bankruptcy_reason": None,
    "warnings": [None],
    "scenarios": [
        {
            "name": None,
            "title": None,
            "start": None,
            "end": None,
            "move_pct": GIVEN,
            "measure": None,
            "extreme_usd": None,
            "sources": [None],
        }
    ],
    "rows": [
        {
            "scenario": None,
            "move_pct": GIVEN,
            "price": None,
            "pnl": None,
            "equity": None,
            "equity_usd": None,
            "effective_leverage": None,
            "liquidated": None,
            "margin_to_add": None,
            "reason": None,
            **STRESS_ROW,
        }
    ],
    "explain": None,
    **CONTRACT,
    "mark_source": MARK_SOURCE,
}
#: Keys only some answers carry: a linear or quanto contract's, and the live mark's source.
OPTIONAL: frozenset[str] = CONTRACT_OPTIONAL | {"mark_source"}
