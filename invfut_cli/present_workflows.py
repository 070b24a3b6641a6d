"""Documents of ``size``, ``hedge`` and ``stress``, rounded as :mod:`invfut_cli.present` does.

Coin amounts to the satoshi, percentages and leverage to 0.01, prices and USD to at least
2 places (nearest); liquidation-type prices toward safety. Three roundings have their own
stated direction here (each a step of :mod:`invfut_cli.rounding`):

- a margin to add is the smallest whole satoshi *above* the exact amount (adding exactly
  that amount puts the liquidation price at the shocked price, which still liquidates);
- the move to liquidation rounds away from the reference price, so that a ``--move`` of
  the shown figure does liquidate;
- the lowest leverage the balance covers rounds up, so that it does cover it.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from . import core
from .core.numbers import HUNDRED
from .present import grid_keys, inputs, liquidation_keys, position_keys, venue
from .rounding import coin, coin_up, pct, pct_up, shown_move_to_liquidation, step_for, usd

if TYPE_CHECKING:
    from .compute_workflows import HedgeOutcome, SizeOutcome, StressOutcome
    from .core.stress import StressRow
    from .models_workflows import HedgeInput, SizeInput, StressInput

Doc = dict[str, Any]


# --- size --------------------------------------------------------------------------------


def size_doc(args: SizeInput, outcome: SizeOutcome) -> Doc:
    """``invfut size``."""
    sizing, liquidation = outcome.sizing, outcome.liquidation
    result = liquidation.result
    side = sizing.side
    places = args.price_places
    step = step_for(args.tick, places)
    keys = liquidation_keys(liquidation, side, step)
    echoed = inputs(args)  # type: ignore[arg-type]
    del echoed["fee_source"]
    warnings = list(result.warnings)
    if outcome.stop_beyond_liquidation:
        warnings.insert(
            0,
            f"the stop ({args.stop}) is at or beyond the liquidation price ({keys['liquidation_price']}): the "
            "position would be liquidated before the stop fills, and lose its margin rather than the risk; "
            "lower --leverage, back it with the balance (--cross), or move the stop closer (exit status 3)",
        )
    if sizing.initial_margin_coin > args.balance:
        warnings.append(
            f"the initial margin at {args.leverage}x ({coin(sizing.initial_margin_coin)}) is more than the balance "
            f"({args.balance}): use at least {pct_up(sizing.min_leverage)}x, or risk less"
        )
    return {
        "command": "size",
        "coin": args.coin,
        **venue(args),  # type: ignore[arg-type]
        "inputs": echoed,
        "side": side.value,
        "side_inferred": args.side is None,
        "risk": coin(sizing.risk_coin),
        "risk_pct": pct(sizing.risk_pct),
        "fee_rate": args.fee_rate,
        "fee_rate_source": args.fee_source,
        "stop_distance_pct": pct(sizing.stop_distance_pct),
        "contracts": sizing.contracts,
        "contracts_exact": coin(sizing.contracts_exact),
        "lot": sizing.lot,
        "size_usd": usd(sizing.size_usd, places),
        "value_entry": coin(sizing.value_entry_coin),
        "leverage": pct(args.leverage),
        "initial_margin": coin(sizing.initial_margin_coin),
        "collateral": coin(result.collateral_coin),
        "min_leverage": pct_up(sizing.min_leverage),
        "pnl_at_stop": coin(sizing.pnl_at_stop_coin),
        "fee_open": coin(sizing.open_fee_coin),
        "fee_close": coin(sizing.close_fee_coin),
        "loss_at_stop": coin(sizing.loss_at_stop_coin),
        "loss_at_stop_pct": pct(sizing.loss_at_stop_pct),
        "next_lot_loss": coin(sizing.next_lot_loss_coin),
        **keys,
        "distance_pct": pct(result.distance_pct),
        "stop_beyond_liquidation": outcome.stop_beyond_liquidation,
        "reason": result.liquidation.reason,
        "bankruptcy_reason": result.bankruptcy.reason,
        "warnings": warnings,
    }


# --- hedge -------------------------------------------------------------------------------


def _direction(rate: Decimal) -> str:
    if rate > 0:
        return "receives"
    if rate < 0:
        return "pays"
    return "neither"


def hedge_doc(args: HedgeInput, outcome: HedgeOutcome) -> Doc:
    """``invfut hedge``: the short to open, funding, and the value rows (an iterator)."""
    hedge, funding = outcome.hedge, outcome.funding
    places = args.price_places
    price_shown = usd(args.price, places)

    def rows() -> Iterator[Doc]:
        for row in outcome.rows:
            price = usd(row.price_usd, places)
            yield {
                "price": price,
                "pnl": coin(row.short_pnl_coin),
                "hedged_coin": coin(row.hedged_coin),
                "hedged_usd": usd(row.hedged_usd, places),
                "unhedged_usd": usd(row.unhedged_usd, places),
                "mark": "now" if price == price_shown else None,
            }

    echoed = inputs(args)  # type: ignore[arg-type]
    if echoed.get("funding_interval") is None and funding is not None:
        echoed["funding_interval"] = funding.interval_hours
    return {
        "command": "hedge",
        "coin": args.coin,
        **venue(args),  # type: ignore[arg-type]
        "inputs": echoed,
        "side": "short",
        "holding": coin(hedge.holding_coin),
        "average_entry": price_shown,
        "holding_usd": usd(hedge.holding_usd, places),
        "ratio_target_pct": pct(HUNDRED * hedge.target_ratio),
        "contracts": hedge.contracts,
        "lot": hedge.lot,
        "size_usd": usd(hedge.size_usd, places),
        "target_size_usd": usd(hedge.target_size_usd, places),
        "hedge_ratio_pct": pct(HUNDRED * hedge.ratio),
        "unhedged_coin": coin(hedge.unhedged_coin),
        "funding_rate": None if funding is None else funding.rate,
        "funding_interval_hours": None if funding is None else funding.interval_hours,
        "funding_direction": None if funding is None else _direction(funding.rate),
        "funding_received_per_interval": None if funding is None else coin(funding.per_interval_coin),
        "funding_received_per_day": None if funding is None else coin(funding.per_day_coin),
        "funding_received_per_day_usd": None if funding is None else usd(funding.per_day_usd, places),
        "funding_received_per_year_pct": None if funding is None else pct(funding.per_year_pct),
        "warnings": list(outcome.notes),
        **grid_keys(args.grid, args.price, args.tick, places),
        "rows": rows(),
    }


# --- stress ------------------------------------------------------------------------------


def _stress_row(row: StressRow, places: int) -> Doc:
    return {
        "scenario": row.name,
        "move_pct": pct(HUNDRED * row.move),
        "price": usd(row.price_usd, places),
        "pnl": coin(row.pnl_coin),
        "equity": coin(row.equity_coin),
        "equity_usd": usd(row.equity_usd, places),
        "effective_leverage": pct(row.effective_leverage),
        "liquidated": row.liquidated,
        # Rounded up: a satoshi more only moves the liquidation price further away.
        "margin_to_add": coin_up(row.margin_to_add_coin),
        "reason": row.reason,
    }


def stress_doc(args: StressInput, outcome: StressOutcome) -> Doc:
    """``invfut stress``."""
    from .scenarios import load

    liquidation = outcome.liquidation
    result = liquidation.result
    side = core.Side(args.side)
    places = args.price_places
    step = step_for(args.tick, places)
    scenarios = load()
    rows = [_stress_row(row, places) for row in outcome.rows]
    return {
        "command": "stress",
        "coin": args.coin,
        **position_keys(args),
        **liquidation_keys(liquidation, side, step),
        "reference_price": usd(args.reference_price, places),
        "distance_pct": shown_move_to_liquidation(outcome.move_to_liquidation_pct, side),
        "collateral": coin(result.collateral_coin),
        "initial_margin": coin(result.initial_margin_coin),
        "equity_now": coin(outcome.now.equity_coin),
        "effective_leverage_now": pct(outcome.now.effective_leverage),
        "liquidated_count": sum(1 for row in outcome.rows if row.liquidated),
        "reason": result.liquidation.reason,
        "bankruptcy_reason": result.bankruptcy.reason,
        "warnings": list(result.warnings),
        "scenarios": [
            {
                "name": name,
                "title": scenarios[name].title,
                "start": scenarios[name].start.isoformat(),
                "end": scenarios[name].end.isoformat(),
                "move_pct": scenarios[name].move_pct,
                "measure": scenarios[name].measure,
                "extreme_usd": scenarios[name].extreme_usd,
                "sources": scenarios[name].sources,
            }
            for name in args.scenario_names
        ],
        "rows": rows,
    }
