"""``invfut ladder``: PnL, equity and effective leverage at each price of a grid."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from decimal import Decimal
from typing import Annotated, Any

import typer
from pydantic import Field

from invfut_cli import core
from invfut_cli.app import build, command, emit, explained, option_values, with_grid
from invfut_cli.core.errors import DomainError
from invfut_cli.documents.parts import Doc, assessed, grid_keys, position_keys, rule_inputs, sensitivity_keys, tier_doc
from invfut_cli.inputs.contract_options import (
    ContractTypeOpt,
    MultiplierOpt,
    QuoteOpt,
    SettlePriceOpt,
    VersusOpt,
    split,
)
from invfut_cli.inputs.fees import FeeInput, costs
from invfut_cli.inputs.grid import GridInput
from invfut_cli.inputs.margin import MaintenanceInput
from invfut_cli.inputs.position import PositionInput
from invfut_cli.options import (
    BalanceOpt,
    BasisOpt,
    CloseOpt,
    CoinOpt,
    ContractSizeOpt,
    ContractsOpt,
    DeductionOpt,
    EntryFeeOpt,
    EntryOpt,
    ExchangeOpt,
    ExitFeeOpt,
    ExplainOpt,
    FillOpt,
    FormatOpt,
    FromOpt,
    FundingOpt,
    HoursOpt,
    JsonOpt,
    LeverageOpt,
    MarginOpt,
    MmrOpt,
    PctOpt,
    PctStepOpt,
    PeriodsOpt,
    PlotFileOpt,
    PlotOpt,
    SideOpt,
    SizeCoinOpt,
    SizeUsdOpt,
    StepOpt,
    StepsOpt,
    TakerFeeOpt,
    TickOpt,
    ToOpt,
)
from invfut_cli.registry import layout_on_use
from invfut_cli.rounding import coin, pct, safe_price, step_for, usd
from invfut_cli.selection import FieldsOpt
from invfut_cli.venues.rules import Outcome, liquidation_for

#: ``LAYOUT``: this command's layout, read from :mod:`.layout` on first use.
__getattr__ = layout_on_use(__name__)


#: Rows at or beyond the liquidation price are drawn in red, with a note, not in a column.
LIQUIDATED_IN_RED = True


# --- What it is given ---------------------------------------------------------------------


class LadderInput(PositionInput, MaintenanceInput, FeeInput):
    """``invfut ladder``: a position and a price grid; ``sensitivities`` adds DOMAIN.md §7's
    figures to each row."""

    grid: GridInput = Field(default_factory=GridInput)
    sensitivities: bool = False


# --- What it works out --------------------------------------------------------------------


def work_out(args: LadderInput) -> tuple[dict[str, Decimal | None], Outcome | None]:
    """``ladder``: the marked prices and the liquidation behind them (the rows are
    computed as they are written: :class:`LadderRows`)."""
    position = args.position
    fees = costs(args, position)
    marks: dict[str, Decimal | None] = {
        "entry": args.entry,
        "break-even": core.exit_for_net_pnl(
            position,
            open_fee_rate=fees.open_fee_rate,
            close_fee_rate=fees.close_fee_rate,
            funding_coin=fees.funding_coin,
        ),
    }
    outcome = None
    if args.collateral is not None:
        outcome = liquidation_for(args)
        marks["liquidation"] = outcome.result.liquidation.price_usd
        marks["bankruptcy"] = outcome.result.bankruptcy.price_usd
    return marks, outcome


# --- What it writes -----------------------------------------------------------------------


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


def document(args: LadderInput, marks: dict[str, Decimal | None], outcome: Outcome | None) -> Doc:
    """The ``ladder`` document: the grid rows (computed as they are written) and the marked prices."""
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


def run(**values: Any) -> dict[str, Any]:
    """The ``ladder`` document for these option values; its rows are an iterator (a list
    with ``--versus``, whose comparison reads the first and last rows)."""
    from invfut_cli.contract_types.versus import add_versus, take

    versus = take(values)
    chosen = split(values)
    if chosen is not None:  # a linear or quanto position (DOMAIN.md §15)
        if versus is not None:
            raise DomainError(
                "--versus compares an inverse position with another type: leave out --contract-type", "versus"
            )
        from invfut_cli.contract_types.run import run as contract_run

        return contract_run("ladder_document", with_grid(values), chosen)
    args = build(LadderInput, **with_grid(values))
    marks, outcome = work_out(args)
    doc = document(args, marks, outcome)
    return doc if versus is None else add_versus(doc, args, versus)


@command("ladder", example="invfut ladder --side long --entry 8000 --contracts 10000 --leverage 10")
def ladder_command(
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
    from_: FromOpt = None,
    to: ToOpt = None,
    step: StepOpt = None,
    steps: StepsOpt = None,
    pct: PctOpt = None,
    pct_step: PctStepOpt = None,
    mmr: MmrOpt = None,
    mm_basis: BasisOpt = None,
    mm_deduction: DeductionOpt = None,
    taker_fee: TakerFeeOpt = None,
    tick: TickOpt = None,
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
    versus: VersusOpt = None,
    coin: CoinOpt = None,
    explain: ExplainOpt = False,
    as_json: JsonOpt = False,
    fmt: FormatOpt = None,
    fields: FieldsOpt = None,
    plot: PlotOpt = False,
    plot_file: PlotFileOpt = None,
    sensitivities: Annotated[
        bool,
        typer.Option(
            "--sensitivities",
            help="Add each row's exposure, coin delta and gamma, and USD delta (the curve's slope and bend).",
            rich_help_panel="Output",
        ),
    ] = False,
) -> None:
    """PnL, equity and effective leverage at each price of a grid: the non-linearity, row by row."""
    doc = run(**option_values(locals()))
    emit(explained(doc, explain), as_json, fmt, plot, plot_file)


def explain_lines(doc: dict[str, Any]) -> list[str]:
    """The ``--explain`` steps of a ``ladder`` document."""
    from invfut_cli.explain import n, size_lines

    lines = size_lines(doc)
    lines.append("each row: PnL = s·Q·(1/E − 1/P); step = PnL − PnL of the row before; USD = s·Q·(P − E)/E")
    if doc.get("collateral") is not None:
        lines.append(
            f"with M = {n(doc['collateral'])}: equity = M + PnL, ROE = PnL/M, effective leverage = (Q/P)/equity"
        )
    lines.append(
        f"marked: entry {n(doc['average_entry'])}, break-even {n(doc['break_even_price'])}, liquidation {n(doc['liquidation_price'])}, bankruptcy {n(doc['bankruptcy_price'])}"
    )
    return lines
