"""The calculation core: exact ``Decimal`` math for inverse futures, no I/O.

It uses only the standard library; the command line, the models and the renderers sit
on top of it.
"""

from .errors import DomainError
from .fees import (
    NetPnl,
    exit_for_net_pnl,
    exit_for_usd_pnl,
    funding_paid_coin,
    net_pnl,
    net_pnl_limit,
    trade_fee_coin,
)
from .fills import Fill, PartialClose, average_entry, close_part
from .ladder import LadderRow, grid_around, grid_by_count, grid_by_step, ladder
from .leverage import DriftRow, Sizing, leverage_drift, solve_sizing
from .liquidation import (
    Basis,
    FeeTreatment,
    LiquidationResult,
    MaintenanceSpec,
    PriceAnswer,
    liquidation,
    solve_price,
)
from .numbers import CENT, SATOSHI, exact, quantize
from .position import MarginMode, PnlResult, Position, Side, break_even_price, change_pct, pnl, roe_pct
from .tiers import (
    SizeMargins,
    Tier,
    TieredLiquidation,
    TierTable,
    Unit,
    bracket_deductions,
    size_dependent_margins,
    tiered_liquidation,
)

__all__ = [
    "Fill",
    "NetPnl",
    "PartialClose",
    "average_entry",
    "close_part",
    "exit_for_net_pnl",
    "exit_for_usd_pnl",
    "funding_paid_coin",
    "net_pnl",
    "net_pnl_limit",
    "trade_fee_coin",
    "CENT",
    "SATOSHI",
    "Basis",
    "DomainError",
    "DriftRow",
    "FeeTreatment",
    "LadderRow",
    "LiquidationResult",
    "MaintenanceSpec",
    "MarginMode",
    "PnlResult",
    "Position",
    "PriceAnswer",
    "Side",
    "Sizing",
    "SizeMargins",
    "Tier",
    "TierTable",
    "TieredLiquidation",
    "Unit",
    "bracket_deductions",
    "size_dependent_margins",
    "tiered_liquidation",
    "break_even_price",
    "change_pct",
    "exact",
    "grid_around",
    "grid_by_count",
    "grid_by_step",
    "ladder",
    "leverage_drift",
    "liquidation",
    "pnl",
    "quantize",
    "roe_pct",
    "solve_price",
    "solve_sizing",
]
