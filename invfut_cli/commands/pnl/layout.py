"""The layout of ``invfut pnl``'s ``--json`` document (see :mod:`invfut_cli.documents`)."""

from __future__ import annotations

from typing import Any

from invfut_cli.contract_types.layout import CONTRACT, CONTRACT_INPUTS
from invfut_cli.contract_types.layout import OPTIONAL as CONTRACT_OPTIONAL
from invfut_cli.documents.shared import CLOSED, FEE_INPUTS, FILL_INPUTS, HEAD, POSITION_INPUTS, RULE_INPUTS, SIZE_ASKED
from invfut_cli.given import GIVEN

LAYOUT: dict[str, Any] = {
    **HEAD,
    "inputs": {
        **POSITION_INPUTS,
        **FILL_INPUTS,
        **RULE_INPUTS,
        **FEE_INPUTS,
        "exit": None,
        "target_roe": None,
        "target_pnl": None,
        "target_usd": None,
        **CONTRACT_INPUTS,
    },
    "size_asked": SIZE_ASKED,
    "size_usd": None,
    "average_entry": GIVEN,
    "closed": CLOSED,
    "exit_price": GIVEN,
    "target": {"kind": None, "value": None, "exit_price_exact": None, "reason": None, "limit": None},
    "value_entry": None,
    "value_exit": None,
    "pnl": None,
    "realised_pnl": None,
    "total_pnl": None,
    "pnl_usd": None,
    "price_change_pct": None,
    "initial_margin": None,
    "collateral": None,
    "roe_pct": None,
    "margin_usd_entry": None,
    "margin_usd_exit": None,
    "equity": None,
    "equity_usd": None,
    "fee_open": None,
    "fee_close": None,
    "funding": None,
    "funding_periods": GIVEN,
    "funding_counted": None,
    "net_pnl": None,
    "net_pnl_usd": None,
    "break_even_price": None,
    "liquidated": None,
    "liquidation_price": None,
    "loss_at_liquidation": None,
    "exposure": None,
    "coin_delta": None,
    "coin_gamma": None,
    "usd_delta": None,
    "venue_pnl": {
        "pnl": None,
        "pnl_exact": None,
        "lots": None,
        "lot_value_entry": None,
        "lot_value_exit": None,
        "rule": None,
    },
    "explain": None,
    **CONTRACT,
}
OPTIONAL = CONTRACT_OPTIONAL
