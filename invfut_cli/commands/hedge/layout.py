"""The layout of ``invfut hedge``'s ``--json`` document (see :mod:`invfut_cli.documents`)."""

from __future__ import annotations

from typing import Any

from invfut_cli.documents.shared import GRID_INPUTS, HEAD
from invfut_cli.given import GIVEN

LAYOUT: dict[str, Any] = {
    **HEAD,
    "inputs": {
        **GRID_INPUTS,
        "contract_size": None,
        "holding": None,
        "price": None,
        "ratio": None,
        "funding": None,
        "funding_interval": None,
    },
    "side": None,
    "holding": GIVEN,
    "average_entry": GIVEN,
    "holding_usd": None,
    "ratio_target_pct": GIVEN,
    "contracts": None,
    "lot": None,
    "size_usd": None,
    "target_size_usd": None,
    "hedge_ratio_pct": None,
    "unhedged_coin": None,
    "funding_rate": GIVEN,
    "funding_interval_hours": None,
    "funding_direction": None,
    "funding_received_per_interval": None,
    "funding_received_per_day": None,
    "funding_received_per_day_usd": None,
    "funding_received_per_year_pct": None,
    "warnings": [None],
    "grid": {"price_step": None, "last_step": GIVEN, "note": None},
    "rows": [{"price": None, "pnl": None, "hedged_coin": None, "hedged_usd": None, "unhedged_usd": None, "mark": None}],
    "explain": None,
}
