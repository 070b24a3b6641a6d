"""``invfut liq-price``: liquidation and bankruptcy prices, the order cost, and the margin for a
target liquidation price."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, NamedTuple

import typer

from invfut_cli import core
from invfut_cli.app import ExitCode, alert_line, build, command, emit, explained, option_values
from invfut_cli.documents.parts import (
    Doc,
    liquidation_keys,
    mark_alert,
    order_cost_doc,
    position_keys,
    rule_inputs,
    sensitivity_keys,
)
from invfut_cli.inputs.contract_options import ContractTypeOpt, MultiplierOpt, QuoteOpt, SettlePriceOpt, split
from invfut_cli.inputs.live import TimeoutOpt, live_price
from invfut_cli.inputs.margin import LiqInput
from invfut_cli.inputs.risk import RiskLiqInput
from invfut_cli.inputs.risk_options import DriftOpt, HorizonOpt, MaxProbabilityOpt, VolFromOpt, VolOpt
from invfut_cli.options import (
    MARGIN,
    BalanceOpt,
    BasisOpt,
    CloseOpt,
    CoinOpt,
    ContractSizeOpt,
    ContractsOpt,
    DeductionOpt,
    EntryOpt,
    ExchangeOpt,
    ExplainOpt,
    FillOpt,
    FormatOpt,
    JsonOpt,
    LeverageOpt,
    MarginOpt,
    MmrOpt,
    SideOpt,
    SizeCoinOpt,
    SizeUsdOpt,
    TakerFeeOpt,
    TickOpt,
)
from invfut_cli.registry import layout_on_use
from invfut_cli.risk_layout import RISK_INPUTS
from invfut_cli.rounding import coin, coin_up, pct, price_step, safe_price
from invfut_cli.selection import FieldsOpt, wants
from invfut_cli.venues.rules import Outcome, liquidation_for, target_margin_for

#: ``LAYOUT``: this command's layout, read from :mod:`.layout` on first use.
__getattr__ = layout_on_use(__name__)


#: The help panel of the alert options (the shared panels are in ``options``).
ALERT = "Alert"


# --- What it works out --------------------------------------------------------------------


class LiqOrder(NamedTuple):
    """What ``liq-price`` adds about orders: the cost of opening the position at its
    leverage, and the margin for ``--target-liquidation`` with the tier it used."""

    cost: core.OrderCost | None
    target: core.TargetMargin | None
    target_tier: int | None


def liq_order(args: LiqInput) -> LiqOrder:
    """``liq-price``: the order cost where the leverage is known (taker fee and tick from
    the flags or the venue), and the margin for the target liquidation price if one is given."""
    cost = None
    if args.leverage is not None:
        cost = core.order_cost(args.position, args.leverage, args.taker_fee, tick_usd=args.tick)
    target = tier = None
    if args.target_liquidation is not None:
        target, tier = target_margin_for(args, args.target_liquidation)
    return LiqOrder(cost, target, tier)


# --- What it writes -----------------------------------------------------------------------


def document(args: LiqInput, outcome: Outcome) -> Doc:
    """The ``liq-price`` document: the liquidation keys, the distance, the sensitivities at the
    mark (or entry), and the alert."""
    result, tier = outcome.result, outcome.tier
    side = args.position.side
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
        **mark_alert(
            side, args.mark, args.entry, args.fail_within, safe_price(liq.price_usd, side, step), args.price_places
        ),
        "reason": liq.reason,
        "bankruptcy_reason": bank.reason,
        "warnings": list(result.warnings),
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


def run(**values: Any) -> dict[str, Any]:
    """The ``liq-price`` document for these option values."""
    chosen = split(values)
    if chosen is not None:  # a linear or quanto position (DOMAIN.md §15)
        from invfut_cli.contract_types.run import run as contract_run

        return contract_run("liq_document", values, chosen)
    args = build(RiskLiqInput, **values)
    doc = document(args, liquidation_for(args))  # its own dict: added to in place (a batch line's hot path)
    if not wants("order_cost", "target_liquidation"):  # --fields asked for neither: not worked out
        doc.update(order_cost=None, target_liquidation=None)
    else:
        doc.update(order_keys(args, liq_order(args)))
    doc.update(probability_keys(args, doc))
    return doc


def probability_keys(args: RiskLiqInput, doc: Doc) -> Doc:
    """``liquidation_probability`` (``--vol``/``--vol-from`` and ``--horizon``) from the mark (or
    entry) to the liquidation price as shown (or Deribit's estimate), and ``probability_target``
    (``--max-probability``): DOMAIN.md §14."""
    from invfut_cli.risk import probability_doc, target_doc

    if not args.wants_probability:  # the document stays as it was without the model's options
        for key in RISK_INPUTS:
            doc["inputs"].pop(key, None)
        return {}
    side = core.Side(args.side)
    start = args.mark if args.mark is not None else args.entry
    barrier = doc["liquidation_price"]
    if barrier is None:
        barrier = doc["liquidation_price_estimate"]
    places = args.price_places
    return {
        "liquidation_probability": probability_doc(args, side, start, barrier, doc["reason"], places),
        "probability_target": target_doc(
            args, side, start, price_step(args), lambda price: target_margin_for(args, price)[0]
        ),
    }


@command(
    "liq-price",
    example="invfut liq-price --side long --entry 8000 --contracts 10000 --leverage 10\n"
    "invfut liq-price --side short --entry 8000 --contracts 10000 --balance 1",
)
def liq_price_command(
    side: SideOpt,
    entry: EntryOpt = None,
    contracts: ContractsOpt = None,
    size_usd: SizeUsdOpt = None,
    size_coin: SizeCoinOpt = None,
    fill: FillOpt = None,
    close: CloseOpt = None,
    contract_size: ContractSizeOpt = None,
    leverage: LeverageOpt = None,
    margin: MarginOpt = None,
    balance: BalanceOpt = None,
    mmr: MmrOpt = None,
    mm_basis: BasisOpt = None,
    mm_deduction: DeductionOpt = None,
    taker_fee: TakerFeeOpt = None,
    tick: TickOpt = None,
    mark: Annotated[
        str | None,
        typer.Option(
            "--mark",
            help="Current mark price, for --fail-within, or live: the venue's mark now (needs --exchange and "
            "the live extra). (default: the entry)",
            metavar="PRICE",
            rich_help_panel=ALERT,
        ),
    ] = None,
    fail_within: Annotated[
        str | None,
        typer.Option(
            "--fail-within",
            help="Exit with code 4 when the mark is within PCT percent of the liquidation price (5 or 5%), "
            "or at or beyond it (for alerts).",
            metavar="PCT",
            rich_help_panel=ALERT,
        ),
    ] = None,
    target_liquidation: Annotated[
        Decimal | None,
        typer.Option(
            "--target-liquidation",
            help="Solve the margin (or balance) that puts the liquidation price here, rounded up to the satoshi.",
            metavar="PRICE",
            rich_help_panel=MARGIN,
        ),
    ] = None,
    vol: VolOpt = None,
    vol_from: VolFromOpt = None,
    horizon: HorizonOpt = None,
    drift: DriftOpt = None,
    max_probability: MaxProbabilityOpt = None,
    exchange: ExchangeOpt = None,
    contract_type: ContractTypeOpt = None,
    multiplier: MultiplierOpt = None,
    quote: QuoteOpt = None,
    settle_price: SettlePriceOpt = None,
    coin: CoinOpt = None,
    timeout: TimeoutOpt = 10.0,
    explain: ExplainOpt = False,
    as_json: JsonOpt = False,
    fmt: FormatOpt = None,
    fields: FieldsOpt = None,
) -> None:
    """Liquidation and bankruptcy prices, for isolated (--leverage/--margin) or cross (--balance) margin."""
    values = option_values(locals())
    source = live_price(values, "mark", "--mark")
    doc = run(**values)
    if source is not None:
        doc["mark_source"] = source
    emit(explained(doc, explain), as_json, fmt)
    if doc["alert"]:
        alert_line("liq-price", doc)
        raise typer.Exit(int(ExitCode.ALERT))


def explain_lines(doc: dict[str, Any]) -> list[str]:
    """The ``--explain`` steps of a ``liq-price`` document."""
    from invfut_cli.explain import n, order_lines, size_lines

    i, c = doc["inputs"], doc["coin"]
    lines = size_lines(doc)
    m_val, e = n(doc["collateral"]), n(doc["average_entry"])
    lines.append(f"collateral M = {m_val} {c} ({doc['margin_mode']})")
    family = doc["formula_family"]
    if family == "none":
        lines.append(f"no liquidation price: {doc['reason']}")
        if doc.get("estimate_basis"):
            tier = doc.get("tier") or {}
            lines.append(
                "estimate: M + s·Q(1/E − 1/P) = (c + b·Q/P)·Q/P, the maintenance rate c + b·(size in coin at P); "
                "with x = 1/P, b·Q²·x² + (c + s)·Q·x − (M + s·Q/E) = 0, "
                f"P = ((1 + s·c)·Q + √Δ) / (2·s·(M + s·Q/E)) = {n(doc['liquidation_price_estimate_exact'])}, "
                f"shown {n(doc['liquidation_price_estimate'])}; at entry the rates are {n(tier.get('initial_rate'))} "
                f"initial and {n(tier.get('maintenance_rate'))} maintenance on {n(tier.get('size_coin'))} {doc['coin']}, "
                f"the venue's initial margin {n(tier.get('initial_margin'))} {doc['coin']}"
            )
    elif family == "entry":
        rate = "m + f" if doc["fee_treatment"] == "added-to-rate" else "m"
        lines.append(
            f"entry family: MM = ({rate})·Q/E − d + c, c = f·Q/BP = {n(doc['fee_to_close'])} {c}; "
            f"P = s·Q / (M + s·Q/E − ({rate})·Q/E + d − c) with m = {n(i['mmr'])}, d = {n(i['mm_deduction'])}"
        )
    else:
        rate = "m + f" if doc["fee_treatment"] == "added-to-rate" else "m"
        lines.append(
            f"mark family: MM = ({rate})·Q/P − d; P = Q·(s + {rate}) / (M + d + s·Q/E) with m = {n(i['mmr'])}, d = {n(i['mm_deduction'])}"
        )
    if family != "none":
        lines.append(
            f"liquidation price = {n(doc['liquidation_price_exact'])}, shown {n(doc['liquidation_price'])} "
            f"(to {n(doc['price_step'])}, {'up' if i['side'] == 'long' else 'down'})"
            if doc["liquidation_price"] is not None
            else f"liquidation price: none, the denominator is zero or the quotient is not a positive price ({doc['reason']})"
        )
    lines.append(
        f"bankruptcy: equity M + s·Q(1/E − 1/P) reaches zero (or the fee to close) at {n(doc['bankruptcy_price_exact'])}"
        if doc["bankruptcy_price"] is not None
        else f"bankruptcy price: none ({doc['bankruptcy_reason']})"
    )
    lines.append(
        f"maintenance margin = {n(doc['maintenance_margin'])} {c}; distance from entry {e} = {n(doc['distance_pct'])}%"
    )
    return lines + order_lines(doc)
