"""The layout of ``invfut replay``'s ``--json`` document (see :mod:`invfut_cli.documents`)."""

from __future__ import annotations

from typing import Any

from invfut_cli.documents.shared import CLOSED, FILL_INPUTS, HEAD, POSITION_INPUTS, RULE_INPUTS, SIZE_ASKED
from invfut_cli.given import GIVEN

#: One candle of ``--format ndjson``/``csv``: a candle's prices are the file's, as it gives them (:data:`GIVEN`).
ROW: dict[str, Any] = {
    **dict.fromkeys(("time", "line")),
    **dict.fromkeys(("open", "high", "low", "close", "mark_price"), GIVEN),
    **dict.fromkeys(("liquidation_price", "equity", "safety_pct", "funding", "collateral", "liquidated")),
}

LAYOUT: dict[str, Any] = {
    **HEAD,
    "inputs": {**POSITION_INPUTS, **FILL_INPUTS, **RULE_INPUTS, "file": None, "from": None, "funding": None},
    "size_asked": SIZE_ASKED,
    "size_usd": None,
    "average_entry": None,
    "closed": CLOSED,
    "file": None,
    "price_source": None,
    "candles": None,
    "first_time": None,
    "last_time": None,
    "collateral": None,
    "liquidation_price": None,
    "price_step": None,
    "survived": None,
    "liquidated_at": {"time": None, "price": None, "line": None},
    "min_equity": None,
    "min_safety_pct": None,
    "worst_price": {"time": None, "price": GIVEN},  # a candle's extreme, as the file gives it
    "funding_paid": None,
    "funding_payments": None,
    "funding_interval_hours": None,
    "collateral_end": None,
    "collateral_to_survive": None,
    "margin_to_add": None,
    "account": None,
    "positions": [
        {
            "name": None,
            "side": None,
            "contracts": None,
            "entry": None,
            "margin_mode": None,
            "collateral": None,
            "liquidation_price": None,
            "liquidated_at": {"time": None, "price": None, "line": None},
            "funding_paid": None,
            "collateral_end": None,
        }
    ],
    "reason": None,
    "warnings": [None],
    "rows": [ROW],
    "explain": None,
}

#: ``rows`` only with ``--format ndjson``/``csv``; ``account`` and ``positions`` only with
#: ``--account``, and the one position's keys only without it.
OPTIONAL = frozenset({"rows", "account", "positions", "size_asked", "size_usd", "average_entry", "closed"})
