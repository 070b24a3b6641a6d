"""``invfut pnl``: profit and loss, fees and funding, the break-even exit, and exits for targets."""

from __future__ import annotations

import functools
from decimal import Decimal, localcontext
from types import ModuleType
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, NamedTuple

import typer
from pydantic import Field, model_validator

from invfut_cli import core
from invfut_cli.app import build, command, emit, explained, note_unit_slip, option_values
from invfut_cli.commands.pnl.target import Target, target_for, target_keys
from invfut_cli.core.numbers import CORE_CONTEXT
from invfut_cli.documents.parts import Doc, liquidated_keys, position_keys, sensitivity_keys
from invfut_cli.given import echoed
from invfut_cli.inputs.contract_options import ContractTypeOpt, MultiplierOpt, QuoteOpt, SettlePriceOpt, split
from invfut_cli.inputs.fees import Costs, FeeInput, costs
from invfut_cli.inputs.fields import MAX_COIN, Price, SignedRate, conflict
from invfut_cli.inputs.margin import MaintenanceInput
from invfut_cli.inputs.position import PositionInput
from invfut_cli.options import (
    POSITION,
    BalanceOpt,
    CloseOpt,
    CoinOpt,
    ContractSizeOpt,
    ContractsOpt,
    EntryFeeOpt,
    EntryOpt,
    ExchangeOpt,
    ExitFeeOpt,
    ExplainOpt,
    FillOpt,
    FormatOpt,
    FundingOpt,
    HoursOpt,
    JsonOpt,
    LeverageOpt,
    MarginOpt,
    PeriodsOpt,
    SideOpt,
    SizeCoinOpt,
    SizeUsdOpt,
)
from invfut_cli.registry import layout_on_use
from invfut_cli.rounding import as_written, coin, pct, price_step, safe_price, usd
from invfut_cli.selection import FieldsOpt
from invfut_cli.venues import get

if TYPE_CHECKING:
    from invfut_cli.venues.rules import Outcome

#: ``LAYOUT``: this command's layout, read from :mod:`.layout` on first use.
__getattr__ = layout_on_use(__name__)


#: What the table shows first: the exit, what it makes, the margin's fate and the break-even;
#: the values, USD margins, price change and sensitivities are under --explain and in JSON.
SUMMARY_KEYS = (
    "average_entry", "exit_price", "pnl", "pnl_usd", "roe_pct", "realised_pnl", "total_pnl",
    "initial_margin", "collateral", "equity", "equity_usd", "fee_open", "fee_close", "funding",
    "net_pnl", "net_pnl_usd", "break_even_price", "liquidation_price",
)  # fmt: skip

#: The help panel of the exit targets (the shared panels are in ``options``).
TARGET = "Exit target"


# --- What it is given ---------------------------------------------------------------------


class PnlInput(PositionInput, MaintenanceInput, FeeInput):
    """``invfut pnl``: an exit price, or a target to solve it from. The venue's liquidation
    rule (the preset's, or 0.5% on the entry value) tells whether the exit is beyond the
    liquidation price; a batch line may set the rule's fields as ``liq-price`` takes them.
    When ``--close`` closes every contract the answer is the realised PnL alone: no exit is
    needed (one given is echoed, and there is nothing open to price at it)."""

    ALL_CLOSED_ANSWERED: ClassVar[bool] = True
    PRICE_FIELDS: ClassVar[tuple[str, ...]] = ("exit",)

    exit: Price | None = None
    target_roe: SignedRate | None = None
    target_pnl: Annotated[Decimal, Field(allow_inf_nan=False, ge=-MAX_COIN, le=MAX_COIN)] | None = None
    target_usd: Annotated[Decimal, Field(allow_inf_nan=False, ge=-MAX_COIN, le=MAX_COIN)] | None = None

    @model_validator(mode="after")
    def _exit_or_target(self) -> PnlInput:
        given = [n for n in ("exit", "target_roe", "target_pnl", "target_usd") if getattr(self, n) is not None]
        if self.all_closed:
            target = next((n for n in given if n != "exit"), None)
            if target is not None:
                raise conflict(target, f"--close takes all {self.contracts} contracts: no exit is left to solve for")
            return self
        if len(given) != 1:
            option = given[1] if len(given) > 1 else "exit"
            raise conflict(
                option,
                "give one of --exit, --target-roe, --target-pnl, --target-usd"
                + (f" (got {', '.join('--' + g.replace('_', '-') for g in given)})" if given else ""),
            )
        if self.target_roe is not None and self.leverage is None and self.margin is None and self.balance is None:
            raise conflict("target_roe", "--target-roe needs a margin: give --leverage, --margin or --balance")
        return self


# --- What it works out --------------------------------------------------------------------


class PnlOutcome(NamedTuple):
    """Everything ``pnl`` reports; ``liquidation`` where a margin is known."""

    exit_price_usd: Decimal | None
    result: core.PnlResult | None
    net: core.NetPnl | None
    costs: Costs
    target: Target | None
    closed: tuple[core.PartialClose, ...]
    break_even_usd: Decimal | None
    liquidation: Outcome | None
    #: What the closes realised plus the open PnL at the exit (``None`` without an exit
    #: while something is open).
    total_pnl_coin: Decimal | None


@functools.cache
def _rules() -> ModuleType:
    """The venues' rules, imported on first use: a ``pnl`` without a margin has no
    liquidation to find, and its start-up does not load them."""
    from invfut_cli.venues import rules

    return rules


def work_out(args: PnlInput) -> PnlOutcome:
    """``pnl``: the open position at the exit price (given, or solved from a target), with
    fees, funding, the break-even exit, and what each ``--close`` realised. When the closes
    took every contract there is nothing open: no exit, no break-even, no liquidation."""
    position = args.position
    if args.all_closed:
        realised = args.realised_pnl_coin
        return PnlOutcome(None, None, None, costs(args, position), None, args.closed, None, None, realised)
    margin = args.collateral  # the margin, the balance, or IM from the leverage
    fees = costs(args, position)
    target = target_for(args, position, margin, fees)
    exit_price = args.exit if target is None else target.exit_price_usd
    result = net = None
    if exit_price is not None:
        result = core.pnl(position, exit_price, leverage=args.leverage, margin_coin=args.margin or args.balance)
        net = core.net_pnl(
            position,
            exit_price,
            open_fee_rate=fees.open_fee_rate,
            close_fee_rate=fees.close_fee_rate,
            funding_coin=fees.funding_coin,
        )
    # ``net`` has it already when there is an exit: the same equation with the same fees.
    break_even = (
        net.break_even_usd
        if net is not None
        else core.exit_for_net_pnl(
            position,
            open_fee_rate=fees.open_fee_rate,
            close_fee_rate=fees.close_fee_rate,
            funding_coin=fees.funding_coin,
        )
    )
    liquidation = None if args.collateral is None else _rules().liquidation_for(args)
    total = None
    if result is not None and not args.close:
        total = result.pnl_coin  # nothing realised: the open PnL is the total
    elif result is not None:
        with localcontext(CORE_CONTEXT):
            total = args.realised_pnl_coin + result.pnl_coin
    return PnlOutcome(exit_price, result, net, fees, target, args.closed, break_even, liquidation, total)


def venue_pnl(args: PnlInput, outcome: PnlOutcome) -> core.RoundedPnl | None:
    """``pnl``: the profit as the venue rounds it (BitMEX values each lot to the satoshi),
    where the venue has such a rule and there is an exit price."""
    if outcome.exit_price_usd is None:
        return None
    rule = get(args.exchange).pnl_rounding(args.coin)
    return None if rule is None else core.lot_rounded_pnl(args.position, outcome.exit_price_usd, rule)


# --- What it writes -----------------------------------------------------------------------


def document(args: PnlInput, outcome: PnlOutcome) -> Doc:
    """The ``pnl`` document: every number rounded at its unit's step, a solved exit toward the target."""
    places = args.price_places
    result, net, fees, target = outcome.result, outcome.net, outcome.costs, outcome.target
    side = args.position.side
    step = price_step(args)
    r = result  # the values at the exit: null without one (coin, usd and pct keep a None)
    return {
        "command": "pnl",
        "coin": args.coin,
        **position_keys(args),
        # A solved exit is rounded so that it reaches the target: a long's up, a short's down.
        "exit_price": echoed(outcome.exit_price_usd, places)
        if target is None
        else safe_price(outcome.exit_price_usd, side, step),
        "target": target_keys(target, args.coin),
        "value_entry": None if args.all_closed else coin(args.position.value_coin(args.entry)),
        "value_exit": None if r is None else coin(r.value_exit_coin),
        "pnl": None if r is None else coin(r.pnl_coin),
        # What the closes realised, and that plus the open PnL at the exit (before fees and
        # funding); with everything closed the total is what was realised. Null without a close.
        "realised_pnl": coin(args.realised_pnl_coin) if args.close else None,
        "total_pnl": coin(outcome.total_pnl_coin) if args.close else None,
        "pnl_usd": None if r is None else usd(r.pnl_usd, places),
        "price_change_pct": None if r is None else pct(r.price_change_pct),
        "initial_margin": None if r is None else coin(r.initial_margin_coin),
        "collateral": None if r is None else coin(r.margin_coin),
        "roe_pct": None if r is None else pct(r.roe_pct),
        "margin_usd_entry": None if r is None else usd(r.margin_usd_entry, places),
        "margin_usd_exit": None if r is None else usd(r.margin_usd_exit, places),
        "equity": None if r is None else coin(r.equity_coin),
        "equity_usd": None if r is None else usd(r.equity_usd, places),
        # Fees and funding: null unless given (they do not apply).
        "fee_open": coin(net.open_fee_coin) if net and args.entry_fee is not None else None,
        "fee_close": coin(net.close_fee_coin) if net and args.exit_fee is not None else None,
        "funding": coin(fees.funding_coin) if args.funding is not None else None,
        # --periods as given; periods counted from --hours pro rata to 8 places, nearest.
        "funding_periods": None
        if args.funding is None
        else fees.funding_periods
        if args.periods is not None
        else as_written(fees.funding_periods),
        "funding_counted": fees.funding_counted if args.funding is not None else None,
        "net_pnl": coin(net.net_coin) if net and args.has_costs else None,
        "net_pnl_usd": usd(net.net_coin * outcome.exit_price_usd, places)
        if net and args.has_costs and outcome.exit_price_usd
        else None,
        "break_even_price": safe_price(outcome.break_even_usd, side, step),
        **liquidated_keys(outcome.liquidation, side, outcome.exit_price_usd, step),
        **sensitivity_keys(args.position, outcome.exit_price_usd, args.collateral),
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


def run(**values: Any) -> dict[str, Any]:
    """The ``pnl`` document for these option values."""
    chosen = split(values)
    if chosen is not None:  # a linear or quanto position (DOMAIN.md §15)
        from invfut_cli.contract_types.run import run as contract_run

        return contract_run("pnl_document", values, chosen)
    args = build(PnlInput, **values)
    outcome = work_out(args)
    doc = document(args, outcome)  # its own dict: added to in place (a batch line's hot path)
    doc.update(venue_pnl_keys(venue_pnl(args, outcome)))
    return doc


@command("pnl", example="invfut pnl --side long --entry 8000 --exit 9000 --contracts 10000")
def pnl_command(
    side: SideOpt,
    entry: EntryOpt = None,
    exit_: Annotated[
        Decimal | None,
        typer.Option("--exit", help="Exit (or mark) price, USD per coin.", metavar="PRICE", rich_help_panel=POSITION),
    ] = None,
    contracts: ContractsOpt = None,
    size_usd: SizeUsdOpt = None,
    size_coin: SizeCoinOpt = None,
    fill: FillOpt = None,
    close: CloseOpt = None,
    contract_size: ContractSizeOpt = None,
    leverage: LeverageOpt = None,
    margin: MarginOpt = None,
    balance: BalanceOpt = None,
    target_roe: Annotated[
        str | None,
        typer.Option(
            "--target-roe",
            help="Solve the exit for this return on margin, a fraction: 0.5 or 50%.",
            metavar="RATE",
            rich_help_panel=TARGET,
        ),
    ] = None,
    target_pnl: Annotated[
        Decimal | None,
        typer.Option(
            "--target-pnl", help="Solve the exit for this net PnL, coin.", metavar="COIN", rich_help_panel=TARGET
        ),
    ] = None,
    target_usd: Annotated[
        Decimal | None,
        typer.Option(
            "--target-usd",
            help="Solve the exit for this net PnL valued at the exit, USD.",
            metavar="USD",
            rich_help_panel=TARGET,
        ),
    ] = None,
    entry_fee: EntryFeeOpt = None,
    exit_fee: ExitFeeOpt = None,
    funding: FundingOpt = None,
    periods: PeriodsOpt = None,
    hours: HoursOpt = None,
    exchange: ExchangeOpt = None,
    contract_type: ContractTypeOpt = None,
    multiplier: MultiplierOpt = None,
    quote: QuoteOpt = None,
    settle_price: SettlePriceOpt = None,
    coin: CoinOpt = None,
    explain: ExplainOpt = False,
    as_json: JsonOpt = False,
    fmt: FormatOpt = None,
    fields: FieldsOpt = None,
) -> None:
    """Profit and loss in coin and USD, with fees and funding, the break-even exit, and exits for targets."""
    doc = run(**option_values(locals()))
    note_unit_slip("pnl", "--target-roe", target_roe, Decimal(10))  # only for a value that was taken
    emit(explained(doc, explain), as_json, fmt)


def explain_lines(doc: dict[str, Any]) -> list[str]:
    """The ``--explain`` steps of a ``pnl`` document."""
    from invfut_cli.explain import liquidated_lines, n, order_lines, sign, size_lines

    c, e, p = doc["coin"], n(doc["average_entry"]), n(doc["exit_price"])
    lines = size_lines(doc)
    target = doc.get("target")
    if target:
        if target["exit_price_exact"] is None:
            lines.append(f"target {target['kind']} {n(target['value'])}: no exit price reaches it ({target['reason']})")
            return lines
        formula = (
            "P = (y + (s + fc)·Q) / ((s − fo)·Q/E − F)"
            if target["kind"] == "pnl_usd"
            else "P = (s + fc)·Q / ((s − fo)·Q/E − F − x), x the net coin PnL wanted"
        )
        lines.append(
            f"target {target['kind']} {n(target['value'])}: {formula} = {n(target['exit_price_exact'])}, shown {p}"
        )
    if doc.get("closed") and doc["closed"][-1]["remaining_contracts"] == 0:
        lines.append(f"realised in all = Σ s·nₖ·S·(1/E − 1/Pₖ) = {n(doc['realised_pnl'])} {c}; nothing is left open")
        return lines
    lines.append(f"PnL = s·Q·(1/E − 1/P) = {sign(doc)} × {n(doc['size_usd'])} × (1/{e} − 1/{p}) = {n(doc['pnl'])} {c}")
    lines.append(
        f"PnL in USD = s·Q·(P − E)/E = {sign(doc)} × {n(doc['size_usd'])} × ({p} − {e})/{e} = {n(doc['pnl_usd'])}"
    )
    if doc.get("initial_margin") is not None:
        lines.append(
            f"initial margin = Q/(E·L) = {n(doc['size_usd'])}/({e} × {n(doc['inputs']['leverage'])}) = {n(doc['initial_margin'])} {c}"
        )
    if doc.get("roe_pct") is not None:
        lines.append(f"ROE = PnL / margin = {n(doc['pnl'])} / {n(doc['collateral'])} = {n(doc['roe_pct'])}%")
    if doc.get("fee_open") or doc.get("fee_close") or doc.get("funding"):
        lines.append(
            f"fee to open = fo·Q/E = {n(doc['fee_open'])} {c}; fee to close = fc·Q/P = {n(doc['fee_close'])} {c}"
        )
        if doc.get("funding"):
            lines.append(
                f"funding = s·rate·periods·Q/E = {sign(doc)} × {n(doc['inputs']['funding'])} × {n(doc['funding_periods'])} × {n(doc['size_usd'])}/{e} = {n(doc['funding'])} {c}"
            )
        lines.append(f"net PnL = PnL − fees − funding = {n(doc['net_pnl'])} {c}")
    lines.append(f"break-even exit = (s + fc)·Q / ((s − fo)·Q/E − F) = {n(doc['break_even_price'])}")
    return lines + liquidated_lines(doc, "the exit") + order_lines(doc)
