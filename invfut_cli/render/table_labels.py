"""What a table shows of a document: the labels of its summary keys and the headers of its
row columns, which summary keys come first, and which rows a command draws in red.

Keys without a label (``command``, ``inputs``) are left out of the table.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from invfut_cli.registry import spec

#: Labels of the summary keys, in the order shown; ``{coin}`` is the settlement coin.
LABELS: dict[str, str] = {
    "average_entry": "Average entry (USD)",
    "exit_price": "Exit price (USD)",
    "margin_mode": "Margin mode",
    "formula_family": "Formula family",
    "fee_treatment": "Fee treatment",
    "solved": "Solved for",
    "liquidation_price": "Liquidation price (USD)",
    "liquidation_price_exact": "  exact",
    "liquidation_price_estimate": "Liquidation, estimated (USD)",
    "liquidation_price_estimate_exact": "  exact",
    "estimate_distance_pct": "  distance (%)",
    "bankruptcy_price": "Bankruptcy price (USD)",
    "bankruptcy_price_exact": "  exact",
    "distance_pct": "Distance to liquidation (%)",
    "contracts": "Contracts",
    "leverage": "Leverage (x)",
    "size_usd": "Position size (USD)",
    "break_even_price": "Break-even price (USD)",
    "value_entry": "Value at entry ({coin})",
    "value_exit": "Value at exit ({coin})",
    "pnl": "PnL ({coin})",
    "pnl_usd": "PnL at exit price (USD)",
    "price_change_pct": "Price change (%)",
    "realised_pnl": "Realised by the closes ({coin})",
    "total_pnl": "Total PnL, realised + open ({coin})",
    "initial_margin": "Initial margin ({coin})",
    "collateral": "Collateral ({coin})",
    "maintenance_margin": "Maintenance margin ({coin})",
    "fee_to_close": "Fee to close ({coin})",
    "effective_leverage": "Effective leverage at entry (x)",
    "roe_pct": "Return on margin (%)",
    "margin_usd_entry": "Margin at entry (USD)",
    "margin_usd_exit": "Margin at exit (USD)",
    "equity": "Equity at exit ({coin})",
    "equity_usd": "Equity at exit (USD)",
    "price_step": "Price step (USD)",
    "mark_price": "Mark price (USD)",
    "distance_from_mark_pct": "Liquidation from mark (%)",
    "fee_open": "Fee to open ({coin})",
    "fee_close": "Fee to close ({coin})",
    "funding": "Funding paid ({coin})",
    "net_pnl": "Net PnL ({coin})",
    "net_pnl_usd": "Net PnL at exit price (USD)",
    # sensitivities (DOMAIN.md §7), at the exit or the mark
    "exposure": "Exposure ({coin})",
    "usd_delta": "USD delta ({coin})",
    "coin_delta": "Coin delta ({coin}/USD)",
    "coin_gamma": "Coin gamma ({coin}/USD²)",
    # size, hedge, stress
    "side": "Side",
    "side_inferred": "  inferred from the stop",
    "risk": "Risk ({coin})",
    "risk_pct": "Risk (% of balance)",
    "fee_rate": "Taker fee rate, each way",
    "fee_rate_source": "  from",
    "stop_distance_pct": "Stop distance (%)",
    "contracts_exact": "Contracts before rounding to the lot",
    "lot": "Lot (contracts)",
    "min_leverage": "Lowest leverage the balance covers (x)",
    "pnl_at_stop": "PnL at the stop ({coin})",
    "loss_at_stop": "Loss at the stop, fees included ({coin})",
    "loss_at_stop_pct": "  of the balance (%)",
    "next_lot_loss": "  with one lot more ({coin})",
    "stop_beyond_liquidation": "Stop at or beyond liquidation",
    "holding": "Holding ({coin})",
    "holding_usd": "Holding now (USD)",
    "ratio_target_pct": "Hedge ratio asked (%)",
    "target_size_usd": "Hedge size asked (USD)",
    "hedge_ratio_pct": "Hedge ratio (%)",
    "unhedged_coin": "Left unhedged ({coin})",
    "funding_rate": "Funding rate per interval",
    "funding_interval_hours": "Funding interval (h)",
    "funding_direction": "Funding, the short hedge",
    "funding_received_per_interval": "Funding received per interval ({coin})",
    "funding_received_per_day": "Funding received per day ({coin})",
    "funding_received_per_day_usd": "Funding received per day (USD)",
    "funding_received_per_year_pct": "Funding received per year (% of size)",
    "reference_price": "Shocks from price (USD)",
    "equity_now": "Equity now ({coin})",
    "effective_leverage_now": "Effective leverage now (x)",
    "liquidated_count": "Shocks that liquidate",
}

#: Summary keys shown even when null: "no such price" is an answer.
ALWAYS_SHOWN = frozenset({"liquidation_price", "bankruptcy_price"})

#: Row columns: key, header; a column whose values are all null is left out.
COLUMNS: dict[str, str] = {
    "price": "Price",
    "mark": "",
    "pnl": "PnL {coin}",
    "step_pnl": "Step {coin}",
    "pnl_usd": "PnL USD",
    "roe_pct": "ROE %",
    "equity": "Equity {coin}",
    "equity_usd": "Equity USD",
    "effective_leverage": "Eff. lev. x",
    # ladder --sensitivities
    "exposure": "Exposure {coin}",
    "usd_delta": "USD delta {coin}",
    "coin_delta": "Delta {coin}/USD",
    "coin_gamma": "Gamma {coin}/USD²",
    # hedge, stress
    "hedged_coin": "Hedged {coin}",
    "hedged_usd": "Hedged USD",
    "unhedged_usd": "Unhedged USD",
    "scenario": "Scenario",
    "move_pct": "Move %",
    "liquidated": "Liquidated",
    "margin_to_add": "Add {coin}",
    # ladder --versus: the same dollars as a linear or quanto contract
    "versus_pnl": "Versus PnL",
    "versus_pnl_usd": "Versus PnL USD",
    "versus_equity_usd": "Versus equity USD",
    "versus_effective_leverage": "Versus lev. x",
    "versus_liquidated": "Versus liq.",
    # stress --contract-type quanto: the settlement coin's move and the USD it takes with it
    "settle_move_pct": "Coin move %",
    "usd_change": "USD change",
}


#: Summary rows left out when they repeat another row's value: the collateral is the initial
#: margin unless a margin or balance was given.
REPEATS: dict[str, str] = {"collateral": "initial_margin"}


def repeats_another(doc: Mapping[str, Any], key: str) -> bool:
    """Whether summary row ``key`` only repeats the value of the row :data:`REPEATS` names."""
    other = REPEATS.get(key)
    return other is not None and doc.get(other) is not None and doc.get(other) == doc.get(key)


def liquidated_in_red(doc: Mapping[str, Any]) -> bool:
    """Whether the document's command draws its liquidated rows in red, with a note, instead
    of in a column (its module's ``LIQUIDATED_IN_RED``)."""
    return spec(doc.get("command")).LIQUIDATED_IN_RED


def first_keys(doc: Mapping[str, Any]) -> tuple[str, ...]:
    """The summary keys a table shows, in order: what a trader decides on first, where the
    command says (``SUMMARY_KEYS``), unless ``--explain`` asked for the whole answer; else
    every labelled key."""
    keys = spec(doc.get("command")).SUMMARY_KEYS
    return tuple(LABELS) if keys is None or doc.get("explain") else keys


def left_for_later(doc: Mapping[str, Any]) -> int:
    """How many summary figures the table leaves to ``--explain`` and ``--json``."""
    keys = first_keys(doc)
    return sum(1 for key in LABELS if key not in keys and doc.get(key) is not None and not repeats_another(doc, key))
