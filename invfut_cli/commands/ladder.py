"""``invfut ladder``: PnL, equity and effective leverage at each price of a grid."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from invfut_cli.app import build, command, emit, explained, option_values, with_grid
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

#: Rows at or beyond the liquidation price are drawn in red, with a note, not in a column.
LIQUIDATED_IN_RED = True


def run(**values: Any) -> dict[str, Any]:
    """The ``ladder`` document for these option values; its rows are an iterator."""
    from invfut_cli import compute, present
    from invfut_cli.models_margin import LadderInput

    args = build(LadderInput, **with_grid(values))
    marks, outcome = compute.ladder(args)
    return present.ladder_doc(args, marks, outcome)


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
    coin: CoinOpt = None,
    explain: ExplainOpt = False,
    as_json: JsonOpt = False,
    fmt: FormatOpt = None,
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
    from invfut_cli import explain

    return explain.ladder(doc)
