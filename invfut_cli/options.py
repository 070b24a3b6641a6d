"""Options shared by the commands: one definition each, as ``Annotated`` aliases."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import typer

from .choices import BasisName, ExchangeName, OutputFormat, SideName

__all__ = ["BasisName", "ExchangeName", "OutputFormat", "SideName"]

SideOpt = Annotated[
    SideName, typer.Option("--side", help="long or short (buy/sell also accepted).", case_sensitive=False)
]
EntryOpt = Annotated[Decimal | None, typer.Option("--entry", help="Entry price, USD per coin.", metavar="PRICE")]
ContractsOpt = Annotated[Decimal | None, typer.Option("--contracts", help="Number of contracts.", metavar="N")]
FillOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--fill",
        help="A fill CONTRACTS@PRICE, repeatable, instead of --entry/--contracts: the entry is their harmonic average.",
        metavar="N@PRICE",
    ),
]
CloseOpt = Annotated[
    str | None,
    typer.Option(
        "--close",
        help="Close part of the position, CONTRACTS@PRICE: realised PnL, and the rest stays open.",
        metavar="N@PRICE",
    ),
]
ContractSizeOpt = Annotated[
    Decimal | None,
    typer.Option(
        "--contract-size", help="Face value of one contract, USD. (default: 1, or the preset's)", metavar="USD"
    ),
]
LeverageOpt = Annotated[
    Decimal | None, typer.Option("--leverage", help="Leverage: isolated margin = value at entry / L.", metavar="L")
]
MarginOpt = Annotated[Decimal | None, typer.Option("--margin", help="Isolated margin, coin.", metavar="COIN")]
BalanceOpt = Annotated[
    Decimal | None,
    typer.Option("--balance", help="Cross margin: the wallet balance backing the position, coin.", metavar="COIN"),
]
CoinOpt = Annotated[
    str | None,
    typer.Option(
        "--coin", help="Settlement coin: picks the preset's contract (BTC, ETH) and names the unit. (default: BTC)"
    ),
]
ExchangeOpt = Annotated[
    ExchangeName | None,
    typer.Option(
        "--exchange",
        help="Venue preset: contract size, tick, fees, tiers and formula family (see 'invfut exchanges'). (default: generic)",
        case_sensitive=False,
    ),
]
TickOpt = Annotated[
    Decimal | None,
    typer.Option("--tick", help="Round the prices to this tick (a long's up, a short's down).", metavar="USD"),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document instead of a table (--format json).")]
FormatOpt = Annotated[
    OutputFormat | None,
    typer.Option(
        "--format",
        help="Output: table, json, ndjson (one record a line) or csv. (default: table)",
        case_sensitive=False,
    ),
]
MmrOpt = Annotated[
    str | None, typer.Option("--mmr", help="Maintenance margin rate: 0.005 or 0.5%. (default: 0.5%)", metavar="RATE")
]
BasisOpt = Annotated[
    BasisName | None,
    typer.Option(
        "--mm-basis",
        help="Charge the maintenance rate on the value at entry, or at the mark (liquidation) price. (default: entry)",
        case_sensitive=False,
    ),
]
DeductionOpt = Annotated[
    Decimal | None, typer.Option("--mm-deduction", help="Maintenance deduction (tier amount), coin.", metavar="COIN")
]
TakerFeeOpt = Annotated[
    str | None,
    typer.Option(
        "--taker-fee",
        help="Taker fee rate (0.00075 or 0.075%): charged to close at the bankruptcy price (entry basis), "
        "or added to the maintenance rate (mark basis).",
        metavar="RATE",
    ),
]
FromOpt = Annotated[Decimal | None, typer.Option("--from", help="Lowest price of the range.", metavar="PRICE")]
ToOpt = Annotated[Decimal | None, typer.Option("--to", help="Highest price of the range.", metavar="PRICE")]
StepOpt = Annotated[Decimal | None, typer.Option("--step", help="Price step between rows.", metavar="USD")]
StepsOpt = Annotated[
    int | None, typer.Option("--steps", help="Number of equal steps from --from to --to.", metavar="N")
]
PctOpt = Annotated[
    Decimal | None, typer.Option("--pct", help="Range around entry, percent either side. (default: 50)", metavar="PCT")
]
PctStepOpt = Annotated[
    Decimal | None,
    typer.Option("--pct-step", help="Step of the range around entry, percent. (default: 10)", metavar="PCT"),
]
EntryFeeOpt = Annotated[
    str | None,
    typer.Option("--entry-fee", help="Fee to open: maker, taker, or a rate (negative: a rebate).", metavar="FEE"),
]
ExitFeeOpt = Annotated[
    str | None,
    typer.Option("--exit-fee", help="Fee to close: maker, taker, or a rate (negative: a rebate).", metavar="FEE"),
]
FundingOpt = Annotated[
    str | None,
    typer.Option("--funding", help="Funding rate per interval (positive: longs pay shorts).", metavar="RATE"),
]
PeriodsOpt = Annotated[
    Decimal | None, typer.Option("--periods", help="Funding intervals held. (default: 1)", metavar="N")
]
HoursOpt = Annotated[
    Decimal | None,
    typer.Option(
        "--hours", help="Hours held: funding periods = hours / the venue's interval (8 h generic).", metavar="H"
    ),
]
ExplainOpt = Annotated[
    bool, typer.Option("--explain", help="After the result, show the formula steps with the numbers put in.")
]
