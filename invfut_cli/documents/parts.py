"""The pieces several documents share, built from validated inputs and core results.

A command's module builds its document (see :mod:`invfut_cli.commands`); what more than
one command writes is built here: the venue and the echoed inputs, the position's keys,
the liquidation keys, the order cost, the grid and the sensitivities. Every rounding is one
of :mod:`invfut_cli.rounding`'s named steps (coin amounts to the satoshi, percentages to
0.01, prices and USD to ``10^-places``, liquidation-type prices toward safety); a
liquidation price's ``*_exact`` twin is the value to 8 places.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from invfut_cli import core
from invfut_cli.rounding import DELTA_PLACES, GAMMA_PLACES, as_written, coin, pct, safe_price, usd
from invfut_cli.selection import wants
from invfut_cli.venues import GENERIC, get

if TYPE_CHECKING:
    from invfut_cli.inputs.fields import Model
    from invfut_cli.inputs.grid import GridInput
    from invfut_cli.inputs.position import PositionInput, SizeAsked
    from invfut_cli.venues.rules import Outcome

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


#: Of each input model, the fields echoed, in echo order (``(field, key written)``), and
#: those that can hold a model of their own (fills, a grid).
_ECHOED: dict[type, tuple[tuple[tuple[str, str], ...], tuple[str, ...]]] = {}


def _echoed(model: type[Model]) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    found = _ECHOED.get(model)
    if found is None:
        rank = {key: index for index, key in enumerate(INPUT_ORDER)}
        fields = [(name, info.alias or name) for name, info in model.model_fields.items() if name not in _NOT_ECHOED]
        nested = tuple(name for name, _key in fields if _holds_model(model.model_fields[name].annotation))
        found = _ECHOED[model] = (tuple(sorted(fields, key=lambda pair: rank.get(pair[1], len(INPUT_ORDER)))), nested)
    return found


def _holds_model(annotation: Any) -> bool:
    """Whether a value of ``annotation`` can be (or hold) a pydantic model."""
    import typing

    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_holds_model(arg) for arg in typing.get_args(annotation))


def inputs(model: Model) -> Doc:
    """The resolved inputs, echoed under ``inputs`` (``coin`` is top level): each field by
    its option's name, a model given (a fill, a grid) as its own keys."""
    fields, nested = _echoed(type(model))
    values = model.__dict__
    if any(values[name] for name in nested):  # pydantic dumps the models given
        data = model.model_dump(mode="python", by_alias=True, exclude=_NOT_ECHOED)
        values = {name: data[key] for name, key in fields}
    derived = "entry" if values.get("fill") else None  # the entry of fills is their average
    plain = _PLAIN  # most values: echoed as they are, without a call
    return {key: v if type(v) in plain else _echo(v, key == derived) for name, key in fields for v in (values[name],)}


#: Inputs echoed as they are.
_PLAIN = frozenset({type(None), str, int, bool, tuple, list, dict})


def _echo(value: Any, derived: bool = False) -> Any:
    """An input that is not :data:`_PLAIN`, as echoed: an enum by value; a number as given
    (``--leverage 33.333``, ``--exit 98754.686964150969``: every place kept); a ``derived``
    number (an average entry) to 8 places."""
    if type(value) is not Decimal and hasattr(value, "value"):  # an enum (a Decimal has no ``value``)
        return value.value
    return as_written(value) if derived else value


def venue(model: Model) -> Doc:
    """``exchange`` (``generic`` or a preset's name) and ``preset``: what it assumed (the
    venue's :meth:`~invfut_cli.venues.Venue.describe`; null for the generic model)."""
    return {"exchange": model.exchange.value, "preset": get(model.exchange).describe(model.coin)}


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


def rule_inputs(args: PositionInput, tier: Doc | None) -> Doc:
    """The echoed inputs with the maintenance rule actually used filled in: the tier's rate
    and deduction, Deribit's rate, or the default (the same in ``liq-price`` and ``ladder``)."""
    echoed = inputs(args)
    if echoed["mmr"] is None:
        rule = tier or {}
        echoed["mmr"] = rule.get("mmr", rule.get("maintenance_rate", GENERIC.maintenance_rate))
    if echoed["mm_deduction"] is None:
        echoed["mm_deduction"] = (tier or {}).get("deduction", Decimal(0))
    return echoed


def tier_doc(tier: Doc | None) -> Doc | None:
    """A tier as written: its leverage to 0.01 like every leverage (``100.00``, ``50.00``)."""
    if tier is None or tier.get("max_leverage") is None:
        return tier
    return {**tier, "max_leverage": pct(tier["max_leverage"])}


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


def order_cost_doc(cost: core.OrderCost, step: Decimal) -> Doc:
    """An order's cost: the bankruptcy price its fee to close is charged at (to ``step``,
    toward safety), each part as the venue charges it (to the satoshi, nearest, a half up),
    their sum ``total``, and the unrounded sum to the satoshi, ``total_exact``."""
    return {
        # Contracts × contract size: exact, to 8 places at most (nearest) where the inputs are finer.
        "size_usd": as_written(cost.size_usd),
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


def sensitivity_keys(position: core.Position, price: Decimal | None, collateral: Decimal | None) -> Doc:
    """DOMAIN.md §7 at ``price`` (the exit, or the mark): ``exposure`` ``s·Q/P`` and ``coin_delta``
    ``s·Q/P²`` (12 places), ``coin_gamma`` ``−2·s·Q/P³`` (16 places), and ``usd_delta``
    ``C + s·Q/E`` where the collateral is known; null without a price (or with nothing open)."""
    from invfut_cli.core.sensitivity import sensitivity

    if price is None or position.contracts == 0 or not wants("exposure", "coin_delta", "coin_gamma", "usd_delta"):
        return {"exposure": None, "coin_delta": None, "coin_gamma": None, "usd_delta": None}
    sens = sensitivity(position, price, collateral if collateral is not None else Decimal(0))
    return {
        "exposure": coin(sens.exposure_coin),
        "coin_delta": usd(sens.coin_delta_coin_per_usd, DELTA_PLACES),
        "coin_gamma": usd(sens.coin_gamma_coin_per_usd2, GAMMA_PLACES),
        "usd_delta": None if collateral is None else coin(sens.usd_delta_coin),
    }


def mark_alert(
    side: core.Side, mark: Decimal | None, entry: Decimal, within: Decimal | None, shown: Decimal | None, places: int
) -> Doc:
    """``--mark``/``--fail-within`` of ``liq-price``: the mark (the entry without one), the
    signed distance from it to the liquidation price as shown (``100·(LP − mark)/mark``,
    negative when the liquidation price is below), whether the mark is at or beyond it, and
    whether that, or a distance within the limit, raises the alert (DOMAIN.md §11). The shown
    price (rounded toward safety) is the one compared: a mark at the printed liquidation price
    counts as at it."""
    if mark is None and within is None:
        return {
            "mark_price": None,
            "distance_from_mark_pct": None,
            "fail_within_pct": None,
            "beyond": None,
            "alert": False,
        }
    mark = mark if mark is not None else entry
    safety = core.mark_safety(side, mark, shown, within)
    return {
        "mark_price": usd(mark, places),
        "distance_from_mark_pct": pct(safety.distance_pct),
        "fail_within_pct": within,
        "beyond": safety.beyond,
        "alert": safety.alert,
    }
