"""Pieces of layout that several documents share (see :mod:`invfut_cli.documents`)."""

from __future__ import annotations

from typing import Any

from invfut_cli.given import GIVEN

#: ``preset``: what the venue's preset assumed (null for generic).
PRESET: dict[str, Any] = {"name": None, "symbol": None, "family": None, "as_of": None, "sources": [None]}

#: What a document about one venue begins with: the command, the coin, the venue and its preset.
HEAD: dict[str, Any] = {"command": None, "coin": None, "exchange": None, "preset": PRESET}

#: The echoed options (under ``inputs``) of a position: its side, entry, size and margin ...
POSITION_INPUTS: dict[str, Any] = dict.fromkeys(
    ("side", "entry", "contracts", "contract_size", "leverage", "margin", "balance")
)
#: ... the fills that made it and the closes applied to it (``CONTRACTS@PRICE`` each) ...
FILL_INPUTS: dict[str, Any] = {
    "fill": [{"contracts": None, "price": None}],
    "close": [{"contracts": None, "price": None}],
}
#: ... the liquidation rule's options ...
RULE_INPUTS: dict[str, Any] = dict.fromkeys(("mmr", "mm_basis", "mm_deduction", "taker_fee", "tick"))
#: ... fees and funding ...
FEE_INPUTS: dict[str, Any] = dict.fromkeys(("entry_fee", "exit_fee", "funding", "periods", "hours"))
#: ... and a price grid.
GRID_INPUTS: dict[str, Any] = {
    "grid": {"from": None, "to": None, "step": None, "steps": None, "pct": None, "pct_step": None}
}

#: The liquidation keys ``liq-price`` writes, and ``stress`` and each ``compare`` row carry too.
LIQUIDATION: dict[str, Any] = {
    "margin_mode": None,
    "formula_family": None,
    "fee_treatment": None,
    "liquidation_price": None,
    "liquidation_price_exact": None,
    "liquidation_price_estimate": None,
    "liquidation_price_estimate_exact": None,
    "estimate_distance_pct": None,
    "estimate_basis": None,
    "bankruptcy_price": None,
    "bankruptcy_price_exact": None,
    "maintenance_margin": None,
    "price_step": None,
    "tier": {
        "index": None,
        "up_to": None,
        "unit": None,
        "mmr": GIVEN,
        "deduction": GIVEN,
        "deduction_unit": None,
        "max_leverage": None,
        "iterations": None,
        "initial_rate": None,
        "maintenance_rate": None,
        "size_coin": None,
        "initial_margin": None,
    },
}


#: ``closed``: each ``--close`` in the order applied, what it realised and what it left open
#: (every position document: ``pnl``, ``liq-price``, ``ladder``, ``stress``).
#: The contracts and the price of a close are echoed as given, and so are the contracts left.
CLOSED: list[Any] = [{"contracts": GIVEN, "price": GIVEN, "realised_pnl": None, "remaining_contracts": GIVEN}]

#: ``size_asked``: the size given with ``--size-usd`` or ``--size-coin``, and what it bought
#: (null when ``--contracts`` gave the size).
SIZE_ASKED: dict[str, Any] = {**dict.fromkeys(("size_usd", "size_coin", "contracts", "lot")), "contract_size": GIVEN}

#: An order's cost (``liq-price``'s ``order_cost``, ``leverage``'s largest order, each ``compare`` row).
#: Its leverage and fee rate are the order's, as given (or the preset's).
ORDER_COST: dict[str, Any] = {
    **dict.fromkeys(("size_usd",)),
    "leverage": GIVEN,
    "fee_rate": GIVEN,
    **dict.fromkeys(("bankruptcy_price", "initial_margin", "fee_open", "fee_to_close", "total", "total_exact", "reason")),
}  # fmt: skip
