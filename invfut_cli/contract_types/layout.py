"""The layout pieces of linear and quanto documents and of ``ladder --versus`` (see
:mod:`invfut_cli.documents`): top-level keys an inverse document does not carry."""

from __future__ import annotations

from typing import Any

from invfut_cli.given import GIVEN

#: The contract keys of a linear or quanto ``pnl``, ``liq-price`` or ``ladder``
#: (``settle_price`` is ``--settle-price``, echoed as given).
CONTRACT: dict[str, Any] = {
    **dict.fromkeys(("contract_type", "margin_currency", "underlying", "quote", "units")),
    "settle_price": GIVEN,
}

#: The contract options a linear or quanto document echoes under ``inputs`` (and ``stress``'s
#: ``settle_move``): ``contract_type``, ``--multiplier``, ``--quote``, ``--settle-price``.
CONTRACT_INPUTS: dict[str, Any] = dict.fromkeys(("contract_type", "multiplier", "quote", "settle_price"))

#: ``ladder --versus``'s summary.
VERSUS: dict[str, Any] = {
    "versus": {
        **dict.fromkeys(("contract_type", "margin_currency", "units", "contracts")),
        "settle_price": GIVEN,
        **dict.fromkeys(("collateral", "liquidation_price", "bankruptcy_price")),
        "comparison": [{"aspect": None, "inverse": None, "other": None}],
    }
}  # fmt: skip

#: The row keys ``--versus`` adds.
VERSUS_ROW: dict[str, Any] = dict.fromkeys(
    ("versus_pnl", "versus_pnl_usd", "versus_equity_usd", "versus_effective_leverage", "versus_liquidated")
)

#: The row keys a linear or quanto ``stress`` adds.
STRESS_ROW: dict[str, Any] = {
    "settle_move_pct": GIVEN,  # --settle-move as given (in percent)
    **dict.fromkeys(("settle_price", "pnl_usd", "usd_change")),
}

#: Top-level keys only some answers carry.
OPTIONAL = frozenset(CONTRACT)
LADDER_OPTIONAL = frozenset(CONTRACT) | frozenset(VERSUS)
