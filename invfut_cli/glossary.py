"""The glossary: one key per concept, one unit per key, one rounding step per unit.

Every key a document may carry is here, with its unit and what it means. The JSON Schema
of each command's document (``invfut schema``) and the reference's key table are made from
it, and the tests walk every command's output against it: a number with more places than
its unit allows, or a key that is not here, fails.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import Decimal

from .rounding import DELTA_PLACES, GAMMA_PLACES, place_step


class Unit(enum.Enum):
    """What a value is, and the step it is shown to (the finest step, for prices)."""

    #: An amount of the settlement coin: to the satoshi, nearest (margins to add: up).
    COIN = "coin"
    #: A USD amount: to the cent (finer only where the input prices are finer).
    USD = "USD"
    #: A price in USD per coin: to the price step (the tick, or 0.01, or the input's places).
    PRICE = "USD/coin"
    #: A percentage: to 0.01.
    PCT = "%"
    #: A leverage (value / margin): to 0.01.
    LEVERAGE = "x"
    #: A rate as a fraction (0.005 is 0.5%): as given, at most 8 places.
    RATE = "rate"
    #: Contracts: whole lots (a fraction only where a lot is fractional).
    CONTRACTS = "contracts"
    #: Coin per USD of price (coin delta): 12 places.
    DELTA = "coin/USD"
    #: Coin per USD² (coin gamma): 16 places.
    GAMMA = "coin/USD²"
    #: A whole number (a count, an index, hours).
    COUNT = "count"
    #: Words, names, dates, links.
    TEXT = "text"
    #: true or false (null where not known).
    FLAG = "flag"
    #: An object or a list, described by its own keys.
    NESTED = "nested"
    #: The command's resolved inputs, by option name.
    INPUTS = "inputs"


#: The most decimal places a number of each unit has.
PLACES: dict[Unit, int] = {
    Unit.COIN: 8,
    Unit.USD: 8,
    Unit.PRICE: 8,
    Unit.PCT: 2,
    Unit.LEVERAGE: 2,
    Unit.RATE: 8,
    Unit.CONTRACTS: 8,
    Unit.DELTA: DELTA_PLACES,
    Unit.GAMMA: GAMMA_PLACES,
    Unit.COUNT: 0,
}


@dataclass(frozen=True)
class Term:
    """A key: its unit and what it means (one concept, one key)."""

    unit: Unit
    meaning: str


def _t(unit: Unit, meaning: str) -> Term:
    return Term(unit, meaning)


_C, _U, _P, _PC, _X, _R, _N, _T, _F, _O = (
    Unit.COIN,
    Unit.USD,
    Unit.PRICE,
    Unit.PCT,
    Unit.LEVERAGE,
    Unit.RATE,
    Unit.COUNT,
    Unit.TEXT,
    Unit.FLAG,
    Unit.NESTED,
)

#: Every key, by name. Signs: a PnL is positive when gained; a distance is
#: ``100·(to − from)/from``, negative when ``to`` is below.
GLOSSARY: dict[str, Term] = {
    # what the document is
    "command": _t(_T, "the command that answered"),
    "coin": _t(_T, "the settlement coin: margin, fees and PnL are paid in it"),
    "exchange": _t(_T, "the venue whose preset was used, or generic"),
    "preset": _t(_O, "the preset used: {name, symbol, family, as_of, sources}; null for generic"),
    "inputs": _t(Unit.INPUTS, "the resolved inputs, by option name (defaults and preset values filled in)"),
    "explain": _t(_O, "the formula steps with the answer's numbers (--explain), else null"),
    "warnings": _t(_O, "sentences about the answer worth reading"),
    "reason": _t(_T, "why a value is null (no such price, no such margin), else null"),
    "bankruptcy_reason": _t(_T, "why there is no bankruptcy price, else null"),
    "name": _t(_T, "a name (a venue's, a position's)"),
    "title": _t(_T, "a scenario's title"),
    "symbol": _t(_T, "the venue's contract symbol"),
    "family": _t(_T, "the margin formula family: entry, mark, or none"),
    "as_of": _t(_T, "the date the preset's numbers were read"),
    "sources": _t(_O, "links the numbers come from"),
    "start": _t(_T, "a scenario's first day"),
    "end": _t(_T, "a scenario's last day"),
    "measure": _t(_T, "how a scenario's move was measured"),
    "solved": _t(_T, "which of contracts, margin or leverage was solved for"),
    "side": _t(_T, "long or short"),
    "side_inferred": _t(_F, "the side was read from the stop"),
    "margin_mode": _t(_T, "isolated or cross"),
    "formula_family": _t(_T, "the maintenance basis: entry or mark (none: no liquidation price)"),
    "fee_treatment": _t(_T, "how the taker fee enters: none, close-at-bankruptcy, added-to-rate"),
    "fee_rate_source": _t(_T, "where the fee rate came from: taker-fee, preset or generic"),
    "funding_direction": _t(_T, "receives, pays or neither"),
    "funding_counted": _t(_T, "how the funding periods were counted"),
    "liquidation_side": _t(_T, "below or above: where the account's liquidation price lies"),
    "estimate_basis": _t(_T, "what a venue's estimated liquidation price assumes"),
    "unit": _t(_T, "the unit a tier's bound is counted in"),
    "deduction_unit": _t(_T, "the unit of a tier's deduction"),
    "kind": _t(_T, "what a target is: roe_pct, pnl or pnl_usd"),
    "mark": _t(_T, "the marked prices a row stands at (entry, break-even, liquidation, bankruptcy)"),
    "scenario": _t(_T, "a stress scenario's name, or null for a plain move"),
    # the position
    "contracts": _t(Unit.CONTRACTS, "number of contracts"),
    "contracts_exact": _t(Unit.CONTRACTS, "contracts before rounding down to the lot"),
    "remaining_contracts": _t(Unit.CONTRACTS, "contracts still open after a close"),
    "lot": _t(Unit.CONTRACTS, "the venue's lot: contracts trade in whole lots"),
    "contract_size": _t(_U, "USD per contract"),
    "size_usd": _t(_U, "position size Q = contracts × contract size, USD"),
    "size_coin": _t(_C, "position size in coin"),
    "size_asked": _t(_O, "the size asked (--size-usd or --size-coin), before rounding to the lot"),
    "average_entry": _t(_P, "the entry used: given, or the harmonic mean of the fills"),
    "entry": _t(_P, "an entry price"),
    "exit_price": _t(_P, "the exit (or mark) price"),
    "price": _t(_P, "a price"),
    "mark_price": _t(_P, "the current mark price"),
    "reference_price": _t(_P, "the price shocks start from"),
    "break_even_price": _t(_P, "the exit where net PnL is zero, rounded so it breaks even"),
    "liquidation_price": _t(_P, "where equity meets the maintenance margin, rounded toward safety"),
    "liquidation_price_exact": _t(_P, "the liquidation price to 8 places"),
    "liquidation_price_estimate": _t(_P, "an estimated liquidation price, labelled by estimate_basis"),
    "liquidation_price_estimate_exact": _t(_P, "that estimate to 8 places"),
    "estimate_distance_pct": _t(_PC, "from entry to the estimated liquidation price, %, negative below"),
    "bankruptcy_price": _t(_P, "where equity reaches zero (or the fee to close), rounded toward safety"),
    "bankruptcy_price_exact": _t(_P, "the bankruptcy price to 8 places"),
    "liquidation_price_change": _t(_P, "how far an order moves the liquidation price"),
    "liquidation_price_exact_change": _t(_P, "that move to 8 places"),
    "price_step": _t(_P, "the step prices are rounded to"),
    "grid": _t(_O, "the price grid: {price_step, last_step, note}"),
    "last_step": _t(_P, "a --step grid's shorter last step, that ends it at --to; null when every step is whole"),
    "note": _t(_T, "a sentence about the value beside it, else null"),
    "tick": _t(_P, "the venue's tick"),
    "up_to": _t(_U, "a tier's upper bound, in its unit"),
    "extreme_usd": _t(_U, "a scenario's extreme price"),
    "closed": _t(_O, "each --close in order: [{contracts, price, realised_pnl, remaining_contracts}]"),
    # values and PnL
    "value_entry": _t(_C, "position value Q/E, coin"),
    "value_exit": _t(_C, "position value Q/P at the exit, coin"),
    "exposure": _t(_C, "position value in coin at the price, signed s·Q/P"),
    "pnl": _t(_C, "PnL s·Q·(1/E − 1/P), coin"),
    "step_pnl": _t(_C, "PnL gained from the row before, coin"),
    "pnl_usd": _t(_U, "PnL valued at the exit price, USD"),
    "pnl_exact": _t(_C, "the exact PnL beside a venue-rounded one"),
    "realised_pnl": _t(_C, "PnL realised by a close, coin"),
    "total_pnl": _t(_C, "realised plus open PnL, coin"),
    "net_pnl": _t(_C, "PnL less fees and funding, coin"),
    "net_pnl_usd": _t(_U, "net PnL valued at the exit, USD"),
    "pnl_at_stop": _t(_C, "PnL at the stop, coin"),
    "loss_at_stop": _t(_C, "loss at the stop with fees, coin"),
    "next_lot_loss": _t(_C, "that loss with one lot more, coin"),
    "loss_at_liquidation": _t(_C, "what a liquidated position loses: its collateral, coin"),
    "lot_value_entry": _t(_C, "one lot's value at entry, as the venue rounds it"),
    "lot_value_exit": _t(_C, "one lot's value at the exit, as the venue rounds it"),
    "lots": _t(Unit.CONTRACTS, "the position in the venue's lots"),
    # margin and equity
    "initial_margin": _t(_C, "Q/(E·L), coin"),
    "collateral": _t(_C, "the coin behind the position: isolated margin or cross balance"),
    "balance": _t(_C, "the cross wallet balance, coin (a linear or quanto account: in margin_currency)"),
    "maintenance_margin": _t(_C, "the maintenance margin, coin"),
    "free_margin": _t(_C, "equity less maintenance margin, coin"),
    "margin_usd_entry": _t(_U, "the collateral's value at entry, USD"),
    "margin_usd_exit": _t(_U, "the collateral's value at the exit, USD"),
    "equity": _t(_C, "collateral plus PnL, coin"),
    "equity_usd": _t(_U, "equity valued at the price, USD"),
    "equity_now": _t(_C, "equity at the reference price, coin"),
    "total_equity": _t(_C, "equity of the whole book, isolated positions included"),
    "margin_to_add": _t(_C, "collateral to add so the price is survived by a price step, rounded up"),
    "holding": _t(_C, "coin held, to hedge"),
    "holding_usd": _t(_U, "the holding's value, USD"),
    "hedged_coin": _t(_C, "holding plus hedge PnL, coin"),
    "hedged_usd": _t(_U, "the hedged holding's value, USD"),
    "unhedged_usd": _t(_U, "the holding's value without the hedge, USD"),
    "unhedged_coin": _t(_C, "coin left unhedged after rounding to lots"),
    "target_size_usd": _t(_U, "the short size the hedge ratio asks for, USD"),
    "risk": _t(_C, "the coin risked at the stop"),
    "value": _t(_U, "a target's value, in its kind's unit"),
    "limit": _t(_C, "the most a target can reach, coin"),
    "exit_price_exact": _t(_P, "a solved exit to 8 places"),
    # fees, funding and order cost
    "fee_open": _t(_C, "fee to open, coin"),
    "fee_close": _t(_C, "fee to close at the exit, coin"),
    "fee_to_close": _t(_C, "fee to close at the bankruptcy price, coin"),
    "funding": _t(_C, "funding paid (negative: received), coin"),
    "funding_periods": _t(_R, "funding periods counted"),
    "funding_rate": _t(_R, "funding rate per interval"),
    "funding_interval_hours": _t(_N, "hours between funding payments"),
    "funding_mode": _t(_T, "interval (paid at fixed times) or continuous (accrues all the time)"),
    "funding_received_per_interval": _t(_C, "funding received per interval, coin"),
    "funding_received_per_day": _t(_C, "funding received per day, coin"),
    "funding_received_per_day_usd": _t(_U, "funding received per day, USD"),
    "funding_received_per_year_pct": _t(_PC, "funding received per year, % of the holding"),
    "fee_rate": _t(_R, "a taker fee rate"),
    "order_cost": _t(_O, "what opening holds back: initial margin + fee to open + fee to close"),
    "total": _t(_C, "the order cost, each part to the satoshi then added"),
    "total_exact": _t(_C, "the unrounded order cost"),
    "one_more_lot_total": _t(_C, "the order cost with one lot more"),
    "cost": _t(_C, "an order's cost"),
    "largest_order": _t(_O, "the largest order a collateral opens, fees included"),
    "target_liquidation": _t(_O, "the margin that puts the liquidation price at a target"),
    "target": _t(_O, "a target and the exit that reaches it"),
    "venue_pnl": _t(_O, "the PnL as the venue rounds it"),
    "rule": _t(_T, "the venue's rounding rule"),
    # rates and leverage
    "leverage": _t(_X, "leverage, value at entry / margin"),
    "effective_leverage": _t(_X, "value / equity at the price; null when liquidated or bankrupt"),
    "effective_leverage_now": _t(_X, "effective leverage at the reference price"),
    "min_leverage": _t(_X, "the lowest leverage the balance covers"),
    "max_leverage": _t(_X, "the highest leverage allowed"),
    "mmr": _t(_R, "maintenance-margin rate"),
    "deduction": _t(_C, "a tier's maintenance deduction, in its unit"),
    "initial_rate": _t(_R, "a size-dependent initial-margin rate"),
    "maintenance_rate": _t(_R, "a size-dependent maintenance-margin rate"),
    "index": _t(_N, "a tier's number, from 1"),
    "tier_index": _t(_N, "the number of the tier a position is in, from 1"),
    "iterations": _t(_N, "rounds taken to settle the tier"),
    "tier_rounds": _t(_N, "rounds taken to settle the tiers"),
    "tier": _t(_O, "the tier used"),
    # distances and signals (signed: 100·(to − from)/from)
    "distance_pct": _t(_PC, "from the price (entry, or mark) to the liquidation price, %, negative below"),
    "distance_from_mark_pct": _t(_PC, "from the mark to the liquidation price, %, negative below"),
    "price_change_pct": _t(_PC, "from entry to exit, %"),
    "move_pct": _t(_PC, "a shock's move, %"),
    "stop_distance_pct": _t(_PC, "from entry to the stop, %"),
    "roe_pct": _t(_PC, "return on the collateral, %"),
    "risk_pct": _t(_PC, "the risk as % of the balance"),
    "loss_at_stop_pct": _t(_PC, "the loss at the stop as % of the balance"),
    "ratio_target_pct": _t(_PC, "the hedge ratio asked, %"),
    "hedge_ratio_pct": _t(_PC, "the hedge ratio as rounded to lots, %"),
    "fail_within_pct": _t(_PC, "the alert's limit, %"),
    "beyond": _t(_F, "the mark is at or beyond the liquidation price"),
    "alert": _t(_F, "the limit was reached: within it, or beyond"),
    "liquidated": _t(_F, "at or beyond the liquidation price (null where not known)"),
    "stop_beyond_liquidation": _t(_F, "the stop is at or beyond the liquidation price"),
    "allowed": _t(_F, "the venue takes this position: whole lots, leverage within its maximum at this size"),
    "liquidated_count": _t(_N, "shocks that liquidate"),
    # sensitivities (DOMAIN.md §7)
    "coin_delta": _t(Unit.DELTA, "∂PnL/∂P = s·Q/P², coin per USD"),
    "coin_gamma": _t(Unit.GAMMA, "∂²PnL/∂P² = −2·s·Q/P³, coin per USD²"),
    "usd_delta": _t(_C, "∂(USD equity)/∂P = C + s·Q/E: the equity behaves like this many coins"),
    "total_usd_delta": _t(_C, "USD delta of the whole book"),
    "net_size_usd": _t(_U, "S = Σ s·Q, USD (a linear or quanto account: Σ s·u·P in USD, the net value at the price)"),
    "net_entry_value": _t(_C, "A = Σ s·Q/E, coin (a linear or quanto account: Σ s·u·E, in margin_currency)"),
    "cross_positions": _t(_N, "positions on the cross balance"),
    "number": _t(_N, "a position's number in the file, from 1"),
    # lists of rows and other nests
    "rows": _t(_O, "the rows: one per price or shock"),
    "marks": _t(_O, "a row at each marked price"),
    "positions": _t(_O, "one entry per position"),
    "scenarios": _t(_O, "the scenarios used"),
    "before": _t(_O, "the account before the orders"),
    "after": _t(_O, "the account after the orders"),
    "added": _t(_O, "the orders added"),
    "hedge": _t(_O, "the hedge that brings the USD delta to its target"),
    "exchanges": _t(_O, "the presets"),
    # the presets (exchanges)
    "coins": _t(_O, "a venue's contracts, by coin"),
    "contract_size_usd": _t(_U, "a contract's size, USD"),
    "fee_treatment_cross": _t(_T, "the venue's fee treatment in cross margin"),
    "fee_treatment_isolated": _t(_T, "the venue's fee treatment in isolated margin"),
    "maker_fee": _t(_R, "the venue's maker fee rate (negative: a rebate)"),
    "taker_fee": _t(_R, "the venue's taker fee rate"),
    "notes": _t(_O, "what the preset assumes, and what could not be confirmed"),
    "product": _t(_T, "the venue's product line"),
    "size_margins": _t(_O, "size-dependent margin rates (Deribit)"),
    "initial_base": _t(_R, "the initial-margin rate before the size term"),
    "maintenance_base": _t(_R, "the maintenance rate before the size term"),
    "slope_per_coin": _t(_R, "the rate added per coin of size"),
    "tier_unit": _t(_T, "the unit tiers are counted in"),
    "tiers": _t(_O, "the venue's risk-limit tiers"),
    # the account's extras
    "exact_size_usd": _t(_U, "a hedge's size before rounding to the lot, USD"),
    "isolated_liquidated": _t(_O, "the isolated positions a shock liquidates"),
    "liquidation_price_after": _t(_P, "the liquidation price after a hedge"),
    "liquidation_price_after_exact": _t(_P, "that price to 8 places"),
    "reason_after": _t(_T, "why there is no liquidation price after a hedge"),
    "target_usd_delta": _t(_C, "the USD delta a hedge aims at"),
    "usd_delta_after": _t(_C, "the USD delta after a hedge"),
}


def term(key: str) -> Term | None:
    """The glossary's entry for ``key``, or ``None``."""
    return GLOSSARY.get(key)


#: A price below one satoshi is written to this many places rather than as 0 (a short's
#: liquidation price at an entry of a few satoshis: :func:`invfut_cli.rounding.safe_price`).
TINY_PRICE_PLACES = 20


def step(unit: Unit) -> Decimal | None:
    """The finest step a number of ``unit`` is written to, or ``None`` for non-numbers."""
    places = PLACES.get(unit)
    return None if places is None else place_step(places)


def markdown() -> str:
    """The glossary as the reference's table (docs/REFERENCE.md): key, unit, rounding, meaning."""
    lines = ["| key | unit | written to | meaning |", "|---|---|---|---|"]
    for key in sorted(GLOSSARY):
        term = GLOSSARY[key]
        places = PLACES.get(term.unit)
        written = "" if places is None else ("whole" if places == 0 else f"{places} places at most")
        if term.unit is Unit.PRICE:
            written = "the price step (tick, or 0.01, or the input's places); below one satoshi, 20 places (never 0)"
        elif term.unit is Unit.USD:
            written = "0.01 (finer where the input prices are)"
        elif term.unit is Unit.COIN:
            written = "1 satoshi (8 places)"
        lines.append(f"| `{key}` | {term.unit.value} | {written} | {term.meaning} |")
    return "\n".join(lines) + "\n"


def _merge(terms: dict[str, tuple[str, str]]) -> None:
    """Add the terms a feature's module keeps as plain ``(unit, meaning)`` pairs (the unit a
    :class:`Unit` member's name or value), so that those modules import nothing from here."""
    for key, (unit, meaning) in terms.items():
        if key in GLOSSARY:  # one key, one meaning: a key two features share is written once
            raise ValueError(f"the glossary has {key!r} already")
        GLOSSARY[key] = Term(Unit[unit] if unit in Unit.__members__ else Unit(unit), meaning)


from .glossary_contracts import CONTRACT_TERMS  # noqa: E402 - §15: linear and quanto
from .glossary_live import LIVE_TERMS  # noqa: E402 - §12: live data
from .glossary_risk import RISK_TERMS  # noqa: E402 - §14, §16: the model probability, replay
from .glossary_watch import WATCH_TERMS  # noqa: E402 - §13: watch's events

for _terms in (WATCH_TERMS, CONTRACT_TERMS, LIVE_TERMS, RISK_TERMS):
    _merge(_terms)
