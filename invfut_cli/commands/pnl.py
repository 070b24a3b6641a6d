"""``invfut pnl``: profit and loss, fees and funding, the break-even exit, and exits for targets."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

import typer

from invfut_cli.app import build, command, emit, explained, note_unit_slip, option_values
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

#: What the table shows first: the exit, what it makes, the margin's fate and the break-even;
#: the values, USD margins, price change and sensitivities are under --explain and in JSON.
SUMMARY_KEYS = (
    "average_entry", "exit_price", "pnl", "pnl_usd", "roe_pct", "realised_pnl", "total_pnl",
    "initial_margin", "collateral", "equity", "equity_usd", "fee_open", "fee_close", "funding",
    "net_pnl", "net_pnl_usd", "break_even_price", "liquidation_price",
)  # fmt: skip

#: The help panel of the exit targets (the shared panels are in ``options``).
TARGET = "Exit target"


def run(**values: Any) -> dict[str, Any]:
    """The ``pnl`` document for these option values."""
    from invfut_cli import compute, present
    from invfut_cli.models import PnlInput

    args = build(PnlInput, **values)
    outcome = compute.pnl(args)
    return {**present.pnl_doc(args, outcome), **present.venue_pnl_keys(compute.venue_pnl(args, outcome))}


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
    doc = run(**option_values(locals()))
    note_unit_slip("pnl", "--target-roe", target_roe, Decimal(10))  # only for a value that was taken
    emit(explained(doc, explain), as_json, fmt)


def explain_lines(doc: dict[str, Any]) -> list[str]:
    """The ``--explain`` steps of a ``pnl`` document."""
    from invfut_cli import explain

    return explain.pnl(doc)
