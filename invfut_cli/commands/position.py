"""The position commands: ``pnl``, ``liq-price``, ``leverage``, ``ladder``."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

import typer

from invfut_cli.app import ExitCode, alert_line, batch, build, command, emit, explained, option_values, with_grid
from invfut_cli.options import (
    FEES,
    MARGIN,
    POSITION,
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
    SideName,
    SideOpt,
    SizeCoinOpt,
    SizeUsdOpt,
    StepOpt,
    StepsOpt,
    TakerFeeOpt,
    TickOpt,
    ToOpt,
)

#: The help panels of these commands' own options (the shared ones are in ``options``).
TARGET = "Exit target"
ALERT = "Alert"


@batch("pnl")
def run_pnl(**values: Any) -> dict[str, Any]:
    """The ``pnl`` document for these option values."""
    from invfut_cli import compute, present
    from invfut_cli.models import PnlInput

    args = build(PnlInput, **values)
    outcome = compute.pnl(args)
    return {**present.pnl_doc(args, outcome), **present.venue_pnl_keys(compute.venue_pnl(args, outcome))}


@batch("liq-price")
def run_liq_price(**values: Any) -> dict[str, Any]:
    """The ``liq-price`` document for these option values."""
    from invfut_cli import compute, present
    from invfut_cli.models_margin import LiqInput

    args = build(LiqInput, **values)
    return {**present.liq_doc(args, compute.liquidation(args)), **present.order_keys(args, compute.liq_order(args))}


@batch("leverage")
def run_leverage(**values: Any) -> dict[str, Any]:
    """The ``leverage`` document for these option values."""
    from invfut_cli import compute, present
    from invfut_cli.models_margin import LeverageInput

    args = build(LeverageInput, **with_grid(values))
    sizing, rows, outcome = compute.leverage(args)
    return {
        **present.leverage_doc(args, sizing, rows, outcome),
        **present.largest_order_keys(args, compute.largest_order(args)),
    }


@batch("ladder")
def run_ladder(**values: Any) -> dict[str, Any]:
    """The ``ladder`` document for these option values; its rows are an iterator."""
    from invfut_cli import compute, present
    from invfut_cli.models_margin import LadderInput

    args = build(LadderInput, **with_grid(values))
    marks, outcome = compute.ladder(args)
    return present.ladder_doc(args, marks, outcome)


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
            help="Solve the exit for this return on margin (50% or 0.5).",
            metavar="PCT",
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
    coin: CoinOpt = None,
    explain: ExplainOpt = False,
    as_json: JsonOpt = False,
    fmt: FormatOpt = None,
) -> None:
    """Profit and loss in coin and USD, with fees and funding, the break-even exit, and exits for targets."""
    doc = run_pnl(**option_values(locals()))
    emit(explained(doc, explain), as_json, fmt)


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
        Decimal | None,
        typer.Option(
            "--mark",
            help="Current mark price, for --fail-within. (default: the entry)",
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
    exchange: ExchangeOpt = None,
    coin: CoinOpt = None,
    explain: ExplainOpt = False,
    as_json: JsonOpt = False,
    fmt: FormatOpt = None,
) -> None:
    """Liquidation and bankruptcy prices, for isolated (--leverage/--margin) or cross (--balance) margin."""
    doc = run_liq_price(**option_values(locals()))
    emit(explained(doc, explain), as_json, fmt)
    if doc["alert"]:
        alert_line("liq-price", doc)
        raise typer.Exit(int(ExitCode.ALERT))


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
    exchange: ExchangeOpt = None,
    coin: CoinOpt = None,
    explain: ExplainOpt = False,
    as_json: JsonOpt = False,
    fmt: FormatOpt = None,
) -> None:
    """Solve contracts, margin or leverage from the other two, and show how effective leverage drifts with the price."""
    doc = run_leverage(**option_values(locals()))
    emit(explained(doc, explain), as_json, fmt)


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
) -> None:
    """PnL, equity and effective leverage at each price of a grid: the non-linearity, row by row."""
    doc = run_ladder(**option_values(locals()))
    emit(explained(doc, explain), as_json, fmt, plot, plot_file)
