"""``invfut stress``: price shocks, from moves or from BTC history, applied to a position."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

import typer

from invfut_cli.app import build, command, emit, explained, note_unit_slip, option_values
from invfut_cli.options import (
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

#: The help panel of the shocks to apply.
SHOCKS = "Shocks"


#: The row columns kept to the last when the table is too wide (after the first).
ESSENTIAL_COLUMNS = ("liquidated", "pnl")


def run(**values: Any) -> dict[str, Any]:
    """The ``stress`` document for these option values."""
    from invfut_cli import compute_workflows, present_workflows
    from invfut_cli.models_workflows import StressInput

    args = build(StressInput, **values)
    return present_workflows.stress_doc(args, compute_workflows.stress_test(args))


@command("stress", example="invfut stress --side long --entry 8000 --contracts 10000 --leverage 10")
def stress_command(
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
    move: Annotated[
        list[str] | None,
        typer.Option(
            "--move", help="A price move to apply: -30% or -0.3 (repeatable).", metavar="MOVE", rich_help_panel=SHOCKS
        ),
    ] = None,
    scenario: Annotated[
        list[str] | None,
        typer.Option(
            "--scenario",
            help="A named move from BTC history, or all (repeatable; see the scenarios in the JSON output). "
            "Default: all of them, when no --move is given.",
            metavar="NAME",
            rich_help_panel=SHOCKS,
        ),
    ] = None,
    mark: Annotated[
        Decimal | None,
        typer.Option(
            "--mark", help="Price the moves start from. Default: the entry.", metavar="PRICE", rich_help_panel=SHOCKS
        ),
    ] = None,
    mmr: MmrOpt = None,
    mm_basis: BasisOpt = None,
    mm_deduction: DeductionOpt = None,
    taker_fee: TakerFeeOpt = None,
    tick: TickOpt = None,
    exchange: ExchangeOpt = None,
    coin: CoinOpt = None,
    explain: ExplainOpt = False,
    as_json: JsonOpt = False,
    fmt: FormatOpt = None,
) -> None:
    """Each shock's price, equity and effective leverage, whether it liquidates (at or beyond the
    liquidation price), and the margin to add to survive it."""
    doc = run(**option_values(locals()))
    note_unit_slip("stress", "--move", move, Decimal(2))  # only for values that were taken
    emit(explained(doc, explain), as_json, fmt)


def explain_lines(doc: dict[str, Any]) -> list[str]:
    """The ``--explain`` steps of a ``stress`` document."""
    from invfut_cli import explain

    return explain.stress(doc)
