"""Turn core results into output documents: rounded at named steps, keys documented.

Each ``*_doc`` function returns the one document a command prints: the JSON renderer
writes it as it is, and the table renderer lays out the same values, so a table and
its ``--json`` always carry the same numbers. Every rounding is one of
:mod:`invfut_cli.rounding`'s named steps (coin amounts to the satoshi, percentages to 0.01,
prices and USD to ``10^-places``, liquidation-type prices toward safety); a liquidation
price's ``*_exact`` twin is the value to 8 places.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from . import core
from .choices import ExchangeName
from .models import DEFAULT_MMR
from .rounding import as_written, coin, coin_up, pct, price_step, safe_price, step_for, usd

if TYPE_CHECKING:
    from .compute import LiqOrder, PnlOutcome
    from .models import PnlInput, PositionInput, SizeAsked
    from .models_margin import GridInput, LadderInput, LeverageInput, LiqInput
    from .venues.presets import PresetFile
    from .venues.rules import Outcome

Doc = dict[str, Any]


#: The order of the echoed inputs: the position first, then the rules, then the grid.
INPUT_ORDER = (
    "side",
    "entry",
    "exit",
    "contracts",
    "contract_size",
    "leverage",
    "margin",
    "balance",
    "mmr",
    "mm_basis",
    "mm_deduction",
    "taker_fee",
    "tick",
    "grid",
)


#: The inputs not echoed under ``inputs`` (``coin`` is top level, ``exchange`` too).
_NOT_ECHOED = frozenset({"coin", "exchange", "size_asked"})
#: The echo order of each model's keys, sorted once (a batch echoes thousands of the same).
_ECHO_ORDER: dict[tuple[str, ...], tuple[str, ...]] = {}


def inputs(model: PositionInput | LeverageInput) -> Doc:
    """The resolved inputs, echoed under ``inputs`` (``coin`` is top level)."""
    data = model.model_dump(mode="python", by_alias=True, exclude=_NOT_ECHOED)
    keys = tuple(data)
    ordered = _ECHO_ORDER.get(keys)
    if ordered is None:
        rank = {key: index for index, key in enumerate(INPUT_ORDER)}
        ordered = _ECHO_ORDER[keys] = tuple(sorted(keys, key=lambda k: rank.get(k, len(INPUT_ORDER))))
    return {key: _echo(data[key]) for key in ordered}


#: Inputs echoed as they are.
_PLAIN = frozenset({type(None), str, int, bool, tuple, list, dict})


def _echo(value: Any) -> Any:
    """An input as echoed: enums by value; a derived number (an average entry) to 8 places."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if hasattr(value, "value"):
        return value.value
    return as_written(value)


def venue(model: PositionInput | LeverageInput) -> Doc:
    """``exchange`` (``generic`` or a preset's name) and ``preset`` (what it assumed, or null)."""
    if model.exchange == ExchangeName.generic:
        return {"exchange": model.exchange.value, "preset": None}
    from .venues.rules import describe

    return {"exchange": model.exchange.value, "preset": describe(model.exchange, model.coin)}


def size_asked_doc(asked: SizeAsked | None) -> Doc | None:
    """``size_asked``: the size given with ``--size-usd`` or ``--size-coin`` (the other null),
    and what it bought: ``contracts`` (whole lots of ``lot``, rounded down) of
    ``contract_size`` USD, ``size_usd`` in all; null when ``--contracts`` gave the size."""
    if asked is None:
        return None
    return {
        "size_usd": asked.size_usd,
        "size_coin": asked.size_coin,
        "contracts": asked.contracts,
        "lot": asked.lot,
        "contract_size": asked.contract_size,
    }


def position_keys(args: PositionInput, echoed: Doc | None = None) -> Doc:
    """What every position document carries: the venue, the inputs (``echoed``, if the
    caller has them already), the average entry, and the partial closes in the order
    applied (an empty list without ``--close``)."""
    places = args.price_places
    return {
        **venue(args),
        "inputs": inputs(args) if echoed is None else echoed,
        "size_asked": size_asked_doc(args.size_asked),
        "size_usd": usd(args.position.size_usd, places),
        "average_entry": usd(args.entry, places),
        "closed": [
            {
                "contracts": part.closed_contracts,
                "price": usd(part.close_price_usd, places),
                "realised_pnl": coin(part.realised_pnl_coin),
                "remaining_contracts": part.remaining.contracts,
            }
            for part in args.closed
        ],
    }


def pnl_doc(args: PnlInput, outcome: PnlOutcome) -> Doc:
    """``invfut pnl``."""
    places = args.price_places
    result, net, fees, target = outcome.result, outcome.net, outcome.costs, outcome.target
    side = core.Side(args.side)
    step = price_step(args)

    def field(name: str, shape: Any) -> Any:
        return None if result is None else shape(getattr(result, name))

    return {
        "command": "pnl",
        "coin": args.coin,
        **position_keys(args),
        # A solved exit is rounded so that it reaches the target: a long's up, a short's down.
        "exit_price": usd(outcome.exit_price_usd, places)
        if target is None
        else safe_price(outcome.exit_price_usd, side, step),
        "target": None
        if target is None
        else {
            "kind": target.kind,
            "value": {"roe_pct": pct, "pnl": coin}.get(target.kind, lambda v: usd(v, 2))(target.value),
            "exit_price_exact": usd(target.exit_price_usd, 8),
            "reason": None
            if target.reason is None
            else target.reason
            if target.limit_coin is None
            else f"{target.reason} {coin(abs(target.limit_coin))} {args.coin}",
            "limit": coin(target.limit_coin),
        },
        "value_entry": None if args.all_closed else coin(args.position.value_coin(args.entry)),
        "value_exit": field("value_exit_coin", coin),
        "pnl": field("pnl_coin", coin),
        # What the closes realised, and that plus the open PnL at the exit (before fees and
        # funding); with everything closed the total is what was realised. Null without a close.
        "realised_pnl": coin(args.realised_pnl_coin) if args.close else None,
        "total_pnl": coin(outcome.total_pnl_coin) if args.close else None,
        "pnl_usd": field("pnl_usd", lambda v: usd(v, places)),
        "price_change_pct": field("price_change_pct", pct),
        "initial_margin": field("initial_margin_coin", coin),
        "collateral": field("margin_coin", coin),
        "roe_pct": field("roe_pct", pct),
        "margin_usd_entry": field("margin_usd_entry", lambda v: usd(v, places)),
        "margin_usd_exit": field("margin_usd_exit", lambda v: usd(v, places)),
        "equity": field("equity_coin", coin),
        "equity_usd": field("equity_usd", lambda v: usd(v, places)),
        # Fees and funding: null unless given (they do not apply).
        "fee_open": coin(net.open_fee_coin) if net and args.entry_fee is not None else None,
        "fee_close": coin(net.close_fee_coin) if net and args.exit_fee is not None else None,
        "funding": coin(fees.funding_coin) if args.funding is not None else None,
        "funding_periods": fees.funding_periods if args.funding is not None else None,
        "funding_counted": fees.funding_counted if args.funding is not None else None,
        "net_pnl": coin(net.net_coin) if net and args.has_costs else None,
        "net_pnl_usd": usd(net.net_coin * outcome.exit_price_usd, places)
        if net and args.has_costs and outcome.exit_price_usd
        else None,
        "break_even_price": safe_price(outcome.break_even_usd, side, step),
        **liquidated_keys(outcome.liquidation, side, outcome.exit_price_usd, price_step(args)),
        **sensitivity_keys(args.position, outcome.exit_price_usd, args.collateral),
    }


def liquidation_shown(outcome: Outcome | None, side: core.Side, step: Decimal) -> Decimal | None:
    """The liquidation price as shown (rounded toward safety), or ``None``."""
    return None if outcome is None else safe_price(outcome.result.liquidation.price_usd, side, step)


def assessed(outcome: Outcome | None) -> bool:
    """Whether a price can be tested against a liquidation price: a margin is known and the
    venue has a liquidation price rule (Deribit has none)."""
    return outcome is not None and outcome.family != "none"


def liquidated_keys(outcome: Outcome | None, side: core.Side, price: Decimal | None, step: Decimal) -> Doc:
    """``liquidated`` (at or beyond the liquidation price as shown; null where no margin is
    known), the ``liquidation_price``, and ``loss_at_liquidation``: the collateral lost, since
    a position is closed at its liquidation price and its margin (cross: the balance behind
    it) goes with it; the PnL at a price beyond is the formula's, not money received."""
    if not assessed(outcome) or price is None:
        return {
            "liquidated": None,
            "liquidation_price": liquidation_shown(outcome, side, step),
            "loss_at_liquidation": None,
        }
    assert outcome is not None
    shown = liquidation_shown(outcome, side, step)
    liquidated = core.is_liquidated(side, price, shown)
    return {
        "liquidated": liquidated,
        "liquidation_price": shown,
        "loss_at_liquidation": coin(outcome.result.collateral_coin) if liquidated else None,
    }


def liquidation_keys(outcome: Outcome, side: core.Side, step: Decimal) -> Doc:
    """The liquidation part of a document, as ``liq-price`` writes it (``size`` and
    ``stress`` carry it too)."""
    result = outcome.result
    liq, bank = result.liquidation, result.bankruptcy
    return {
        "margin_mode": result.margin_mode.value,
        "formula_family": outcome.family,
        "fee_treatment": result.fee_treatment.value,
        "liquidation_price": safe_price(liq.price_usd, side, step),
        "liquidation_price_exact": usd(liq.price_usd, 8),
        **estimate_keys(outcome, side, step),
        "bankruptcy_price": safe_price(bank.price_usd, side, step),
        "bankruptcy_price_exact": usd(bank.price_usd, 8),
        "maintenance_margin": coin(result.maintenance_margin_coin),
        "price_step": step,
        "tier": tier_doc(outcome.tier),
    }


def estimate_keys(outcome: Outcome, side: core.Side, step: Decimal) -> Doc:
    """Where the venue has no liquidation price of its own (Deribit): the estimated one,
    rounded toward safety as a liquidation price is, to 8 places, its signed distance from
    entry, and ``estimate_basis`` saying what it assumes (with the reason when there is none);
    all null on other venues, whose ``liquidation_price`` is the venue's own."""
    estimate = outcome.estimate
    if estimate is None:
        return {
            "liquidation_price_estimate": None,
            "liquidation_price_estimate_exact": None,
            "estimate_distance_pct": None,
            "estimate_basis": None,
        }
    answer = estimate.answer.price
    basis = estimate.basis if answer.reason is None else f"{estimate.basis}; no such price: {answer.reason}"
    return {
        "liquidation_price_estimate": safe_price(answer.price_usd, side, step),
        "liquidation_price_estimate_exact": usd(answer.price_usd, 8),
        "estimate_distance_pct": pct(estimate.answer.distance_pct),
        "estimate_basis": basis,
    }


def rule_inputs(args: LiqInput | LadderInput, tier: Doc | None) -> Doc:
    """The echoed inputs with the maintenance rule actually used filled in: the tier's rate
    and deduction, Deribit's rate, or the default (the same in ``liq-price`` and ``ladder``)."""
    echoed = inputs(args)
    if echoed["mmr"] is None:
        rule = tier or {}
        echoed["mmr"] = rule.get("mmr", rule.get("maintenance_rate", DEFAULT_MMR))
    if echoed["mm_deduction"] is None:
        echoed["mm_deduction"] = (tier or {}).get("deduction", Decimal(0))
    return echoed


def tier_doc(tier: Doc | None) -> Doc | None:
    """A tier as written: its leverage to 0.01 like every leverage (``100.00``, ``50.00``)."""
    if tier is None or tier.get("max_leverage") is None:
        return tier
    return {**tier, "max_leverage": pct(tier["max_leverage"])}


def liq_doc(args: LiqInput, outcome: Outcome) -> Doc:
    """``invfut liq-price``."""
    result, tier = outcome.result, outcome.tier
    side = core.Side(args.side)
    step = price_step(args)
    liq, bank = result.liquidation, result.bankruptcy
    echoed = rule_inputs(args, tier)
    return {
        "command": "liq-price",
        "coin": args.coin,
        **position_keys(args, echoed),
        **liquidation_keys(outcome, side, step),
        "distance_pct": pct(result.distance_pct),
        **sensitivity_keys(args.position, args.mark if args.mark is not None else args.entry, result.collateral_coin),
        "initial_margin": coin(result.initial_margin_coin),
        "collateral": coin(result.collateral_coin),
        "fee_to_close": coin(result.fee_to_close_coin),
        **_alert(args, liq.price_usd, step),
        "reason": liq.reason,
        "bankruptcy_reason": bank.reason,
        "warnings": list(result.warnings),
    }


def _alert(args: LiqInput, liquidation: Decimal | None, step: Decimal) -> Doc:
    """``--mark``/``--fail-within``: the mark, the signed distance from it to the liquidation
    price as shown (``100·(LP − mark)/mark``, negative when the liquidation price is below),
    whether the mark is at or beyond it, and whether that, or a distance within the limit,
    raises the alert (DOMAIN.md §11)."""
    if args.mark is None and args.fail_within is None:
        return {
            "mark_price": None,
            "distance_from_mark_pct": None,
            "fail_within_pct": None,
            "beyond": None,
            "alert": False,
        }
    side = core.Side(args.side)
    mark = args.mark if args.mark is not None else args.entry
    # The shown price (rounded toward safety) is the one compared: a mark at the printed
    # liquidation price counts as at it.
    safety = core.mark_safety(side, mark, safe_price(liquidation, side, step), args.fail_within)
    return {
        "mark_price": usd(mark, args.price_places),
        "distance_from_mark_pct": pct(safety.distance_pct),
        "fail_within_pct": args.fail_within,
        "beyond": safety.beyond,
        "alert": safety.alert,
    }


def leverage_doc(args: LeverageInput, sizing: core.Sizing, rows: Iterable[core.DriftRow], outcome: Outcome) -> Doc:
    """``invfut leverage``: rows at or beyond the liquidation price are ``liquidated`` and
    show no effective leverage."""
    places = max(2, args.grid.places(args.entry, args.tick))
    side = core.Side(args.side)
    step = step_for(args.tick, places)
    shown = liquidation_shown(outcome, side, step)
    check = assessed(outcome)

    def row_doc(row: core.DriftRow) -> Doc:
        liquidated = core.is_liquidated(side, row.price_usd, shown) if check else None
        return {
            "price": usd(row.price_usd, places),
            "equity": coin(row.equity_coin),
            "effective_leverage": None if liquidated else pct(row.effective_leverage),
            "liquidated": liquidated,
        }

    return {
        "command": "leverage",
        "coin": args.coin,
        **venue(args),
        "inputs": inputs(args),
        "size_asked": size_asked_doc(args.size_asked),
        "solved": sizing.solved,
        "margin_mode": "cross" if args.balance is not None else "isolated",
        "contracts": sizing.contracts,
        "leverage": pct(sizing.leverage),
        "size_usd": usd(sizing.size_usd, places),
        "initial_margin": coin(sizing.initial_margin_coin),
        "collateral": coin(sizing.margin_coin),
        "effective_leverage": pct(sizing.effective_leverage),
        "liquidation_price": shown,
        **grid_keys(args.grid, args.entry, args.tick, places),
        "rows": [row_doc(row) for row in rows],
    }


def _ladder_row(row: core.LadderRow, places: int, mark: str | None, liquidated: bool | None) -> Doc:
    """A ladder row; at or beyond the liquidation price it is ``liquidated`` and shows no
    effective leverage."""
    return {
        "price": usd(row.price_usd, places),
        "pnl": coin(row.pnl_coin),
        "step_pnl": coin(row.step_pnl_coin),
        "pnl_usd": usd(row.pnl_usd, places),
        "roe_pct": pct(row.roe_pct),
        "equity": coin(row.equity_coin),
        "equity_usd": usd(row.equity_usd, places),
        "effective_leverage": None if liquidated else pct(row.effective_leverage),
        "mark": mark,
        "liquidated": liquidated,
    }


class LadderRows:
    """A ladder's grid rows, computed as they are read: iterate for all of them, or take
    :meth:`window` for the rows of some of the grid's :attr:`points` (windows side by
    side give the same rows, so writers can share a long ladder among processes)."""

    def __init__(
        self,
        args: LadderInput,
        collateral: Decimal | None,
        places: int,
        marks: dict[Decimal, str],
        liquidation: Decimal | None = None,
        assessed: bool = False,
    ) -> None:
        self.args = args
        self.collateral = collateral
        self.places = places
        self.marks = marks
        #: The liquidation price as shown; rows at or beyond it are ``liquidated`` (never,
        #: without one; unknown, where no margin or no venue rule says).
        self.liquidation = liquidation
        self.assessed = assessed
        #: The grid's points, one row each (fewer where rounding merges prices).
        self.points = args.grid.span(args.entry)

    def __iter__(self) -> Iterator[Doc]:
        return self.window(self.points)

    def window(self, points: range) -> Iterator[Doc]:
        """The rows of the grid points ``points``; ``step_pnl`` counts from the row before."""
        previous, prices = self.args.grid.window(self.args.entry, points, self.args.tick)
        if previous is not None:
            prices = itertools.chain((previous,), prices)
        rows = core.ladder(self.args.position, prices, self.collateral)
        if previous is not None:
            next(rows)
        marks, places, liquidation = self.marks, self.places, self.liquidation
        long = self.args.side == "long"
        never: bool | None = False if self.assessed else None
        greeks, position, collateral = self.args.sensitivities, self.args.position, self.collateral
        # The prices rise row by row, so the next marked price is all there is to compare.
        pending = sorted(marks)
        ahead = len(pending)
        at = 0
        for row in rows:
            price = row.price_usd
            while at < ahead and pending[at] < price:
                at += 1
            liquidated = never if liquidation is None else (price <= liquidation if long else price >= liquidation)
            doc = _ladder_row(row, places, marks[price] if at < ahead and pending[at] == price else None, liquidated)
            if greeks:
                doc.update(sensitivity_keys(position, price, collateral))
            yield doc


def ladder_doc(args: LadderInput, marks: dict[str, Decimal | None], outcome: Outcome | None) -> Doc:
    """``invfut ladder``: the grid rows (computed as they are written) and the marked prices."""
    liquidation, tier = (None, None) if outcome is None else (outcome.result, outcome.tier)
    places = max(args.price_places, args.grid.places(args.entry, args.tick))
    position = args.position
    collateral = args.collateral
    side = core.Side(args.side)
    step = step_for(args.tick, places)
    shown = {
        name: (usd(price, places) if name == "entry" else safe_price(price, side, step))
        for name, price in marks.items()
        if price is not None
    }
    by_price: dict[Decimal, list[str]] = {}
    for name, price in shown.items():
        by_price.setdefault(price, []).append(name)

    checked = assessed(outcome)
    liquidation_price = shown.get("liquidation") if checked else None
    mark_rows = []
    for price, names in sorted(by_price.items()):
        (row,) = core.ladder(position, [price], collateral)
        liquidated = core.is_liquidated(side, price, liquidation_price) if checked else None
        # The row stands at the marked price as shown (it may be finer than the grid's step).
        mark_row = {**_ladder_row(row, places, ", ".join(names), liquidated), "price": price}
        if args.sensitivities:
            mark_row.update(sensitivity_keys(position, price, collateral))
        mark_rows.append(mark_row)
    return {
        "command": "ladder",
        "coin": args.coin,
        **position_keys(args, rule_inputs(args, tier)),
        "initial_margin": coin(None if args.leverage is None else position.initial_margin_coin(args.leverage)),
        "collateral": coin(collateral),
        "break_even_price": shown.get("break-even"),
        "liquidation_price": shown.get("liquidation"),
        "bankruptcy_price": shown.get("bankruptcy"),
        "tier": tier_doc(tier),
        "reason": None if liquidation is None else liquidation.liquidation.reason,
        "marks": mark_rows,
        **grid_keys(args.grid, args.entry, args.tick, places),
        "rows": LadderRows(
            args, collateral, places, {p: ", ".join(n) for p, n in by_price.items()}, liquidation_price, checked
        ),
    }


def grid_keys(grid: GridInput, entry: Decimal, tick: Decimal | None, places: int) -> Doc:
    """``grid``: the step the grid's prices are rounded to (``price_step``), the shorter last
    step that ends a ``--step`` grid at ``--to`` (``last_step``, null when every step is
    whole), and a ``note`` saying so (null otherwise)."""
    last = grid.last_step()
    note = None
    if last is not None:
        note = (
            f"the grid ends at --to {usd(grid.to, places)}: its last step is {usd(last, places)}, "
            f"shorter than --step {usd(grid.step, places)}"
        )
    return {"grid": {"price_step": grid.price_step(entry, tick), "last_step": last, "note": note}}


def exchanges_doc(presets: PresetFile, only: str | None) -> Doc:
    """``invfut exchanges``: every preset (or ``only`` that one) with its contracts and tiers."""
    venues = []
    for key, preset in presets.presets.items():
        if only is not None and key.value != only:
            continue
        coins = {}
        for coin_name, contract in preset.coins.items():
            table = contract.table()
            coins[coin_name] = {
                "symbol": contract.symbol,
                "contract_size_usd": contract.contract_size_usd,
                "tick": contract.tick,
                "lot": contract.lot,
                "max_leverage": contract.max_leverage,
                "tier_unit": contract.tier_unit,
                "deduction_unit": contract.deduction_unit,
                "tiers": None
                if table is None
                else [
                    {"up_to": t.up_to, "mmr": t.mmr, "deduction": t.deduction, "max_leverage": t.max_leverage}
                    for t in table.tiers
                ],
                "size_margins": None if contract.size_margins is None else contract.size_margins.model_dump(),
            }
        venues.append(
            {
                "exchange": key.value,
                "name": preset.name,
                "product": preset.product,
                "family": preset.family,
                "fee_treatment_isolated": preset.fee_treatment_isolated,
                "fee_treatment_cross": preset.fee_treatment_cross,
                "maker_fee": preset.maker_fee,
                "taker_fee": preset.taker_fee,
                "funding_interval_hours": preset.funding_interval_hours,
                "funding_mode": preset.funding_mode,
                "as_of": preset.as_of.isoformat(),
                "sources": preset.sources,
                "notes": preset.notes,
                "coins": coins,
            }
        )
    return {"command": "exchanges", "exchanges": venues}


def order_cost_doc(cost: core.OrderCost, step: Decimal) -> Doc:
    """An order's cost: the bankruptcy price its fee to close is charged at (to ``step``,
    toward safety), each part as the venue charges it (to the satoshi, nearest, a half up),
    their sum ``total``, and the unrounded sum to the satoshi, ``total_exact``."""
    return {
        "size_usd": cost.size_usd,
        "leverage": cost.leverage,
        "fee_rate": cost.fee_rate,
        "bankruptcy_price": safe_price(cost.fee_price_usd, cost.side, step),
        "initial_margin": cost.charged_initial_margin_coin,
        "fee_open": cost.charged_open_fee_coin,
        "fee_to_close": cost.charged_close_fee_coin,
        "total": cost.charged_total_coin,
        "total_exact": coin(cost.total_coin),
        "reason": cost.reason,
    }


def largest_order_keys(args: LeverageInput, found: core.LargestOrder | None) -> Doc:
    """``leverage``'s ``largest_order`` when it solves the contracts from a margin (or
    balance) and a leverage: the most whole lots whose cost, fees to open and to close
    included, the collateral pays; null when the contracts are given."""
    if found is None:
        return {"largest_order": None}
    step = step_for(args.tick, 2)
    return {
        "largest_order": {
            "contracts": found.contracts,
            "lot": found.lot,
            "collateral": found.balance_coin,
            "cost": None if found.cost is None else order_cost_doc(found.cost, step),
            "one_more_lot_total": found.one_more_lot.charged_total_coin,
            "reason": found.reason,
        }
    }


def order_keys(args: LiqInput, order: LiqOrder) -> Doc:
    """``liq-price``'s ``order_cost`` (when the leverage is known) and ``target_liquidation``
    (with ``--target-liquidation``). The order cost's parts are as the venue charges them,
    each to the satoshi (nearest, a half up), and added; ``total_exact`` is the unrounded
    sum to the satoshi. The margin for the target is rounded up, and so is the margin to add."""
    cost, target = order.cost, order.target
    found = target is not None and target.margin_coin is not None
    return {
        "order_cost": None if cost is None else order_cost_doc(cost, price_step(args)),
        "target_liquidation": None
        if target is None
        else {
            "price": target.target_price_usd,
            "collateral": coin_up(target.margin_coin),
            "margin_to_add": coin_up(target.margin_to_add_coin),
            "leverage": pct(target.leverage),
            "fee_to_close": coin(target.fee_to_close_coin) if found else None,
            "tier": order.target_tier,
            "reason": target.reason,
        },
    }


#: What ``venue_pnl`` is, in the document's words.
VENUE_PNL_RULE = "each lot's value at the entry and at the exit rounded to the satoshi, then the difference"


def venue_pnl_keys(rounded: core.RoundedPnl | None) -> Doc:
    """``pnl``'s ``venue_pnl``: the PnL as the venue rounds it (BitMEX: each lot's value to the
    satoshi first), with the lot values and the exact PnL beside it; null for other venues."""
    return {
        "venue_pnl": None
        if rounded is None
        else {
            "pnl": coin(rounded.pnl_coin),
            "pnl_exact": coin(rounded.exact_pnl_coin),
            "lots": rounded.lots,
            "lot_value_entry": rounded.lot_value_entry_coin,
            "lot_value_exit": rounded.lot_value_exit_coin,
            "rule": VENUE_PNL_RULE,
        }
    }


def sensitivity_keys(position: core.Position, price: Decimal | None, collateral: Decimal | None) -> Doc:
    """DOMAIN.md §7 at ``price`` (the exit, or the mark): ``exposure`` ``s·Q/P`` and ``coin_delta``
    ``s·Q/P²`` (12 places), ``coin_gamma`` ``−2·s·Q/P³`` (16 places), and ``usd_delta``
    ``C + s·Q/E`` where the collateral is known; null without a price (or with nothing open)."""
    from .core.sensitivity import sensitivity
    from .rounding import DELTA_PLACES, GAMMA_PLACES

    if price is None or position.contracts == 0:
        return {"exposure": None, "coin_delta": None, "coin_gamma": None, "usd_delta": None}
    sens = sensitivity(position, price, collateral if collateral is not None else Decimal(0))
    return {
        "exposure": coin(sens.exposure_coin),
        "coin_delta": usd(sens.coin_delta_coin_per_usd, DELTA_PLACES),
        "coin_gamma": usd(sens.coin_gamma_coin_per_usd2, GAMMA_PLACES),
        "usd_delta": None if collateral is None else coin(sens.usd_delta_coin),
    }
