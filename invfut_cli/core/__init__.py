"""The calculation core: exact ``Decimal`` math for inverse futures, no I/O.

It uses only the standard library; the command line, the models and the renderers sit
on top of it. Names are loaded from their modules on first use, so a command pays only
for the parts of the core it calls.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

#: Where each public name lives.
_HOME: dict[str, str] = {
    "Basis": "margin",
    "CENT": "numbers",
    "DomainError": "errors",
    "DriftRow": "leverage",
    "FeeTreatment": "margin",
    "Fill": "fills",
    "LargestOrder": "order",
    "LotValueRounding": "venue_rounding",
    "OrderCost": "order",
    "RoundedPnl": "venue_rounding",
    "TargetMargin": "order",
    "charged_coin": "order",
    "largest_order": "order",
    "lot_rounded_pnl": "venue_rounding",
    "margin_for_liquidation": "order",
    "order_cost": "order",
    "LadderRow": "grid",
    "LiquidationResult": "margin",
    "MaintenanceSpec": "margin",
    "MarginMode": "position",
    "NetPnl": "fees",
    "PartialClose": "fills",
    "PnlResult": "position",
    "Position": "position",
    "PriceAnswer": "margin",
    "SATOSHI": "numbers",
    "Side": "position",
    "SizeMargins": "tiers",
    "Sizing": "leverage",
    "Tier": "tiers",
    "TierTable": "tiers",
    "TieredLiquidation": "tiers",
    "Unit": "tiers",
    "average_entry": "fills",
    "bracket_deductions": "tiers",
    "break_even_price": "fees",
    "change_pct": "position",
    "close_in_order": "fills",
    "close_part": "fills",
    "exact": "numbers",
    "exit_for_net_pnl": "fees",
    "exit_for_usd_pnl": "fees",
    "funding_paid_coin": "fees",
    "grid_around": "grid",
    "grid_by_count": "grid",
    "grid_by_step": "grid",
    "ladder": "grid",
    "last_step": "grid",
    "steps_around": "grid",
    "steps_by_step": "grid",
    "leverage_drift": "leverage",
    "liquidation": "margin",
    "isolated_prices": "prices",
    "isolated_liquidation_price": "prices",
    "collateral_for_liquidation": "margin",
    "CollateralAnswer": "margin",
    "is_liquidated": "margin",
    "boundary": "margin",
    "mark_safety": "margin",
    "MarkSafety": "margin",
    "net_pnl": "fees",
    "net_pnl_limit": "fees",
    "pnl": "position",
    "quantize": "numbers",
    "roe_pct": "position",
    "size_dependent_margins": "tiers",
    "size_dependent_liquidation": "tiers",
    "SizeDependentLiquidation": "tiers",
    "solve_collateral": "margin",
    "solve_price": "margin",
    "solve_sizing": "leverage",
    "tiered_liquidation": "tiers",
    "trade_fee_coin": "fees",
}

__all__ = sorted(_HOME)


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:
    from .errors import DomainError
    from .fees import (
        NetPnl,
        break_even_price,
        exit_for_net_pnl,
        exit_for_usd_pnl,
        funding_paid_coin,
        net_pnl,
        net_pnl_limit,
        trade_fee_coin,
    )
    from .fills import Fill, PartialClose, average_entry, close_in_order, close_part
    from .grid import (
        LadderRow,
        grid_around,
        grid_by_count,
        grid_by_step,
        ladder,
        last_step,
        steps_around,
        steps_by_step,
    )
    from .leverage import DriftRow, Sizing, leverage_drift, solve_sizing
    from .margin import (
        Basis,
        CollateralAnswer,
        FeeTreatment,
        LiquidationResult,
        MaintenanceSpec,
        MarkSafety,
        PriceAnswer,
        boundary,
        collateral_for_liquidation,
        is_liquidated,
        liquidation,
        mark_safety,
        solve_collateral,
        solve_price,
    )
    from .numbers import CENT, SATOSHI, exact, quantize
    from .order import (
        LargestOrder,
        OrderCost,
        TargetMargin,
        charged_coin,
        largest_order,
        margin_for_liquidation,
        order_cost,
    )
    from .position import MarginMode, PnlResult, Position, Side, change_pct, pnl, roe_pct
    from .prices import isolated_liquidation_price, isolated_prices
    from .tiers import (
        SizeDependentLiquidation,
        SizeMargins,
        Tier,
        TieredLiquidation,
        TierTable,
        Unit,
        bracket_deductions,
        size_dependent_liquidation,
        size_dependent_margins,
        tiered_liquidation,
    )
    from .venue_rounding import LotValueRounding, RoundedPnl, lot_rounded_pnl
