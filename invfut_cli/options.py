"""Options shared by the commands: one definition each, as ``Annotated`` aliases."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer

from .choices import BasisName, ExchangeName, OutputFormat, SideName

__all__ = ["BasisName", "ExchangeName", "OutputFormat", "SideName"]

# The panels a command's help groups its options in (``rich_help_panel``), in the order
# they usually appear. A command's own options use these too, or a panel of its own.
POSITION = "Position"
MARGIN = "Margin"
LIQUIDATION = "Liquidation rule"
FEES = "Fees and funding"
GRID = "Price grid"
VENUE = "Venue"
OUTPUT = "Output"

#: The venue presets, as ``--exchange``'s help lists them.
_EXCHANGES = ", ".join(e.value for e in ExchangeName)

SideOpt = Annotated[
    SideName,
    typer.Option(
        "--side",
        help="long or short (buy/sell also accepted).",
        metavar="long|short",
        case_sensitive=False,
        rich_help_panel=POSITION,
    ),
]
EntryOpt = Annotated[
    Decimal | None,
    typer.Option("--entry", help="Entry price, USD per coin.", metavar="PRICE", rich_help_panel=POSITION),
]
ContractsOpt = Annotated[
    Decimal | None, typer.Option("--contracts", help="Number of contracts.", metavar="N", rich_help_panel=POSITION)
]
SizeUsdOpt = Annotated[
    str | None,
    typer.Option(
        "--size-usd",
        help="Position size in USD, instead of --contracts: the venue's contracts it buys, rounded down to the lot.",
        metavar="USD",
        rich_help_panel=POSITION,
    ),
]
SizeCoinOpt = Annotated[
    str | None,
    typer.Option(
        "--size-coin",
        help="Position size in coin at the entry price, instead of --contracts: size x entry / contract size, "
        "rounded down to the lot.",
        metavar="COIN",
        rich_help_panel=POSITION,
    ),
]
FillOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--fill",
        help="A fill CONTRACTS@PRICE, repeatable, instead of --entry/--contracts: the entry is their harmonic average.",
        metavar="N@PRICE",
        rich_help_panel=POSITION,
    ),
]
CloseOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--close",
        help="Close part of the position, CONTRACTS@PRICE, repeatable (applied in order): realised PnL, "
        "and the rest stays open.",
        metavar="N@PRICE",
        rich_help_panel=POSITION,
    ),
]
ContractSizeOpt = Annotated[
    Decimal | None,
    typer.Option(
        "--contract-size",
        help="Face value of one contract, USD. (default: 1, or the preset's)",
        metavar="USD",
        rich_help_panel=POSITION,
    ),
]
LeverageOpt = Annotated[
    Decimal | None,
    typer.Option(
        "--leverage", help="Leverage: isolated margin = value at entry / L.", metavar="L", rich_help_panel=MARGIN
    ),
]
MarginOpt = Annotated[
    Decimal | None, typer.Option("--margin", help="Isolated margin, coin.", metavar="COIN", rich_help_panel=MARGIN)
]
BalanceOpt = Annotated[
    Decimal | None,
    typer.Option(
        "--balance",
        help="Cross margin: the wallet balance backing the position, coin.",
        metavar="COIN",
        rich_help_panel=MARGIN,
    ),
]
CoinOpt = Annotated[
    str | None,
    typer.Option(
        "--coin",
        help="Settlement coin: picks the preset's contract (BTC, ETH) and names the unit. (default: BTC)",
        metavar="SYMBOL",
        rich_help_panel=VENUE,
    ),
]
ExchangeOpt = Annotated[
    ExchangeName | None,
    typer.Option(
        "--exchange",
        help=f"Venue preset: {_EXCHANGES}. It sets the contract size, tick, fees, tiers and formula family "
        "(see 'invfut exchanges'). (default: generic)",
        metavar="NAME",
        case_sensitive=False,
        rich_help_panel=VENUE,
    ),
]
TickOpt = Annotated[
    Decimal | None,
    typer.Option(
        "--tick",
        help="Round the prices to this tick (a long's up, a short's down).",
        metavar="USD",
        rich_help_panel=LIQUIDATION,
    ),
]
JsonOpt = Annotated[
    bool,
    typer.Option("--json", help="Print one JSON document instead of a table (--format json).", rich_help_panel=OUTPUT),
]
FormatOpt = Annotated[
    OutputFormat | None,
    typer.Option(
        "--format",
        help="Output: table, json, ndjson (one record a line) or csv. (default: table)",
        metavar="FORMAT",
        case_sensitive=False,
        rich_help_panel=OUTPUT,
    ),
]
MmrOpt = Annotated[
    str | None,
    typer.Option(
        "--mmr",
        help="Maintenance margin rate: 0.005 or 0.5%. (default: 0.5%)",
        metavar="RATE",
        rich_help_panel=LIQUIDATION,
    ),
]
BasisOpt = Annotated[
    BasisName | None,
    typer.Option(
        "--mm-basis",
        help="Charge the maintenance rate on the value at entry, or at the mark (liquidation) price. (default: entry)",
        metavar="entry|mark",
        case_sensitive=False,
        rich_help_panel=LIQUIDATION,
    ),
]
DeductionOpt = Annotated[
    Decimal | None,
    typer.Option(
        "--mm-deduction", help="Maintenance deduction (tier amount), coin.", metavar="COIN", rich_help_panel=LIQUIDATION
    ),
]
TakerFeeOpt = Annotated[
    str | None,
    typer.Option(
        "--taker-fee",
        help="Taker fee rate (0.00075 or 0.075%): charged to close at the bankruptcy price (entry basis), "
        "or added to the maintenance rate (mark basis).",
        metavar="RATE",
        rich_help_panel=LIQUIDATION,
    ),
]
FromOpt = Annotated[
    Decimal | None, typer.Option("--from", help="Lowest price of the range.", metavar="PRICE", rich_help_panel=GRID)
]
ToOpt = Annotated[
    Decimal | None, typer.Option("--to", help="Highest price of the range.", metavar="PRICE", rich_help_panel=GRID)
]
StepOpt = Annotated[
    Decimal | None, typer.Option("--step", help="Price step between rows.", metavar="USD", rich_help_panel=GRID)
]
StepsOpt = Annotated[
    int | None,
    typer.Option("--steps", help="Number of equal steps from --from to --to.", metavar="N", rich_help_panel=GRID),
]
PctOpt = Annotated[
    str | None,
    typer.Option(
        "--pct",
        help="Range around entry, percent either side: 20 or 20% (default: 50).",
        metavar="PCT",
        rich_help_panel=GRID,
    ),
]
PctStepOpt = Annotated[
    str | None,
    typer.Option(
        "--pct-step",
        help="Step of the range around entry, percent: 5 or 5% (default: 10).",
        metavar="PCT",
        rich_help_panel=GRID,
    ),
]
EntryFeeOpt = Annotated[
    str | None,
    typer.Option(
        "--entry-fee",
        help="Fee to open: maker, taker, or a rate (negative: a rebate).",
        metavar="FEE",
        rich_help_panel=FEES,
    ),
]
ExitFeeOpt = Annotated[
    str | None,
    typer.Option(
        "--exit-fee",
        help="Fee to close: maker, taker, or a rate (negative: a rebate).",
        metavar="FEE",
        rich_help_panel=FEES,
    ),
]
FundingOpt = Annotated[
    str | None,
    typer.Option(
        "--funding",
        help="Funding rate per interval (positive: longs pay shorts).",
        metavar="RATE",
        rich_help_panel=FEES,
    ),
]
PeriodsOpt = Annotated[
    Decimal | None,
    typer.Option(
        "--periods",
        help="Funding payments the position was held through. (default: 1)",
        metavar="N",
        rich_help_panel=FEES,
    ),
]
HoursOpt = Annotated[
    Decimal | None,
    typer.Option(
        "--hours",
        help="Hours held: the whole funding intervals in it (8 h generic), or pro rata where the venue's funding "
        "is continuous (Deribit).",
        metavar="H",
        rich_help_panel=FEES,
    ),
]
ExplainOpt = Annotated[
    bool,
    typer.Option(
        "--explain", help="After the result, show the formula steps with the numbers put in.", rich_help_panel=OUTPUT
    ),
]
PlotOpt = Annotated[
    bool,
    typer.Option(
        "--plot",
        help="Draw coin and USD PnL against the price, with the marked prices, in place of the row table.",
        rich_help_panel=OUTPUT,
    ),
]


def _plot_file(value: Path | None) -> Path | None:
    """``--plot-file``: an ``.svg`` path in a folder that exists."""
    if value is None:
        return None
    if value.suffix.lower() != ".svg":
        raise typer.BadParameter(f"the chart is written as SVG: give a file name ending in .svg (got '{value}')")
    if not value.parent.is_dir():
        raise typer.BadParameter(f"there is no folder '{value.parent}' to write '{value.name}' in")
    return value


PlotFileOpt = Annotated[
    Path | None,
    typer.Option(
        "--plot-file",
        help="Also write the chart to FILE.svg, an SVG image (stdout keeps the normal output).",
        metavar="FILE.svg",
        dir_okay=False,
        callback=_plot_file,
        rich_help_panel=OUTPUT,
    ),
]
