"""``invfut leverage``: contracts, margin or leverage from the other two, and the drift of
effective leverage with the price."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Annotated, Any

import typer
from pydantic import Field, model_validator

from invfut_cli import core
from invfut_cli.app import build, command, emit, explained, option_values, with_grid
from invfut_cli.choices import ExchangeName
from invfut_cli.documents.parts import (
    Doc,
    assessed,
    grid_keys,
    inputs,
    liquidation_shown,
    order_cost_doc,
    size_asked_doc,
    venue,
)
from invfut_cli.given import echoed
from invfut_cli.inputs.contract_options import ContractTypeOpt, MultiplierOpt, QuoteOpt, SettlePriceOpt, split
from invfut_cli.inputs.fields import Coin, CoinName, ContractSize, Count, Leverage, Price, Side, conflict
from invfut_cli.inputs.grid import GridInput
from invfut_cli.inputs.margin import MaintenanceInput
from invfut_cli.inputs.position import SizeAsked, check_venue_limits, lot_of, preset_defaults, size_to_contracts
from invfut_cli.inputs.risk import RiskInput
from invfut_cli.inputs.risk_options import DriftOpt, HorizonOpt, MaxProbabilityOpt, VolFromOpt, VolOpt
from invfut_cli.options import (
    FEES,
    POSITION,
    BalanceOpt,
    CoinOpt,
    ContractSizeOpt,
    ContractsOpt,
    ExchangeOpt,
    ExplainOpt,
    FormatOpt,
    FromOpt,
    JsonOpt,
    LeverageOpt,
    MarginOpt,
    PctOpt,
    PctStepOpt,
    SideName,
    SideOpt,
    SizeCoinOpt,
    SizeUsdOpt,
    StepOpt,
    StepsOpt,
    ToOpt,
)
from invfut_cli.registry import layout_on_use
from invfut_cli.rounding import coin, pct, step_for, usd
from invfut_cli.selection import FieldsOpt
from invfut_cli.venues.rules import Outcome, liquidation_for

#: ``LAYOUT``: this command's layout, read from :mod:`.layout` on first use.
__getattr__ = layout_on_use(__name__)


#: The row columns kept to the last when the table is too wide (after the price).
ESSENTIAL_COLUMNS = ("effective_leverage",)
#: Rows at or beyond the liquidation price are drawn in red, with a note, not in a column.
LIQUIDATED_IN_RED = True


# --- What it is given ---------------------------------------------------------------------


class LeverageInput(MaintenanceInput):
    """``invfut leverage``: two of contracts, margin (or balance) and leverage; the venue's
    liquidation rule marks the rows at or beyond the liquidation price."""

    side: Side = "long"
    entry: Price
    contract_size: ContractSize = Decimal(1)
    contracts: Count | None = None
    margin: Coin | None = None
    balance: Coin | None = None
    leverage: Leverage | None = None
    coin: CoinName = "BTC"
    exchange: ExchangeName = ExchangeName.generic
    grid: GridInput = Field(default_factory=GridInput)
    #: What ``--size-usd``/``--size-coin`` asked for, when the contracts come from it.
    size_asked: SizeAsked | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_preset(cls, data: Any) -> Any:
        return size_to_contracts(preset_defaults(cls, data))

    @property
    def lot(self) -> Decimal:
        """The venue's lot size (1 for the generic model)."""
        return lot_of(self.exchange, self.coin)

    @property
    def margin_mode(self) -> core.MarginMode:
        """Cross when a balance backs the position, isolated otherwise."""
        return core.MarginMode.CROSS if self.balance is not None else core.MarginMode.ISOLATED

    @model_validator(mode="after")
    def _two_of_three(self) -> LeverageInput:
        if self.margin is not None and self.balance is not None:
            raise conflict("balance", "give --margin (isolated) or --balance (cross), not both")
        collateral = self.margin if self.margin is not None else self.balance
        given = [
            n
            for n, v in (
                ("--contracts", self.contracts),
                ("--margin/--balance", collateral),
                ("--leverage", self.leverage),
            )
            if v is not None
        ]
        if len(given) != 2:
            option = "leverage" if self.leverage is None else "contracts"
            raise conflict(
                option,
                f"give exactly two of --contracts, --margin (or --balance) and --leverage; got {len(given)}"
                + (f" ({', '.join(given)})" if given else ""),
            )
        if self.contracts is not None:
            check_venue_limits(self.exchange, self.coin, self.contracts, self.entry, self.contract_size, self.leverage)
        return self


# --- What it works out --------------------------------------------------------------------


def work_out(args: LeverageInput) -> tuple[core.Sizing, Iterator[core.DriftRow], Outcome]:
    """``leverage``: the third of contracts, margin and leverage, the drift rows, and the
    liquidation behind them (the venue's rule)."""
    sizing = core.solve_sizing(
        args.entry,
        args.contract_size,
        contracts=args.contracts,
        margin_coin=args.margin if args.margin is not None else args.balance,
        leverage=args.leverage,
        lot=args.lot,
    )
    position = core.Position(core.Side(args.side), sizing.contracts, args.contract_size, args.entry)
    outcome = liquidation_for(args, position, sizing.margin_coin)
    return sizing, core.leverage_drift(position, sizing.margin_coin, args.grid.prices(args.entry, args.tick)), outcome


def largest_order(args: LeverageInput) -> core.LargestOrder | None:
    """``leverage``, solving the contracts: the largest order the margin (or balance) opens
    at the leverage, with the taker fee to open and to close (the flag's or the venue's);
    ``None`` when the contracts are given."""
    collateral = args.margin if args.margin is not None else args.balance
    if args.contracts is not None or collateral is None or args.leverage is None:
        return None
    return core.largest_order(
        core.Side(args.side),
        args.entry,
        args.contract_size,
        args.leverage,
        args.taker_fee,
        collateral,
        lot=args.lot,
        tick_usd=args.tick,
    )


# --- What it writes -----------------------------------------------------------------------


def document(args: LeverageInput, sizing: core.Sizing, rows: Iterable[core.DriftRow], outcome: Outcome) -> Doc:
    """The ``leverage`` document: rows at or beyond the liquidation price are ``liquidated`` and
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
        # A leverage given is echoed as given; one solved is rounded to 0.01, nearest.
        "leverage": pct(sizing.leverage) if sizing.solved == "leverage" else echoed(sizing.leverage, 2),
        "size_usd": usd(sizing.size_usd, places),
        "initial_margin": coin(sizing.initial_margin_coin),
        "collateral": coin(sizing.margin_coin),
        "effective_leverage": pct(sizing.effective_leverage),
        "liquidation_price": shown,
        **grid_keys(args.grid, args.entry, args.tick, places),
        "rows": [row_doc(row) for row in rows],
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


class RiskLeverageInput(LeverageInput, RiskInput):
    """``leverage`` with the model probability's options (DOMAIN.md §14)."""


def run(**values: Any) -> dict[str, Any]:
    """The ``leverage`` document for these option values."""
    chosen = split(values)
    if chosen is not None:  # a linear or quanto position (DOMAIN.md §15)
        from invfut_cli.contract_types.leverage import LeverageContractInput, leverage_document

        given = {k: v for k, v in chosen.items() if v is not None}
        return leverage_document(build(LeverageContractInput, **with_grid(values), **given))
    from invfut_cli.risk import leverage_keys

    args = build(RiskLeverageInput, **with_grid(values))
    sizing, rows, outcome = work_out(args)
    doc = {**document(args, sizing, rows, outcome), **largest_order_keys(args, largest_order(args))}
    position = core.Position(core.Side(args.side), sizing.contracts, args.contract_size, args.entry)
    return leverage_keys(args, doc, position, sizing.margin_coin)


@command("leverage", example="invfut leverage --entry 8000 --contracts 10000 --leverage 10")
def leverage_command(
    entry: Annotated[
        Decimal, typer.Option("--entry", help="Entry price, USD per coin.", metavar="PRICE", rich_help_panel=POSITION)
    ],
    side: SideOpt = SideName.long,
    contracts: ContractsOpt = None,
    size_usd: SizeUsdOpt = None,
    size_coin: SizeCoinOpt = None,
    contract_size: ContractSizeOpt = None,
    leverage: LeverageOpt = None,
    margin: MarginOpt = None,
    balance: BalanceOpt = None,
    from_: FromOpt = None,
    to: ToOpt = None,
    step: StepOpt = None,
    steps: StepsOpt = None,
    pct: PctOpt = None,
    pct_step: PctStepOpt = None,
    taker_fee: Annotated[
        str | None,
        typer.Option(
            "--taker-fee",
            help="Taker fee rate (0.00075 or 0.075%) for the largest order: fees to open and to close at the "
            "bankruptcy price. (default: the preset's, or 0)",
            metavar="RATE",
            rich_help_panel=FEES,
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
    explain: ExplainOpt = False,
    as_json: JsonOpt = False,
    fmt: FormatOpt = None,
    fields: FieldsOpt = None,
) -> None:
    """Solve contracts, margin or leverage from the other two, and show how effective leverage drifts with the price."""
    doc = run(**option_values(locals()))
    emit(explained(doc, explain), as_json, fmt)


def explain_lines(doc: dict[str, Any]) -> list[str]:
    """The ``--explain`` steps of a ``leverage`` document."""
    from invfut_cli.explain import liquidated_lines, n, order_lines

    c = doc["coin"]
    i = doc["inputs"]
    e = n(i["entry"])
    lines = [f"Q = n·S = E·M·L: solved for {doc['solved']}"]
    lines.append(
        f"Q = {n(doc['contracts'])} × {n(i['contract_size'])} = {n(doc['size_usd'])} USD; M = {n(doc['collateral'])} {c}; L = {n(doc['leverage'])}"
    )
    lines.append(
        f"effective leverage = V(P)/equity(P) = (Q/P) / (M + s·Q(1/E − 1/P)); at entry {e}: {n(doc['effective_leverage'])}"
    )
    return lines + liquidated_lines(doc, "a row") + order_lines(doc)
