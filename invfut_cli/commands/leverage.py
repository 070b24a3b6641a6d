"""``invfut leverage``: contracts, margin or leverage from the other two, and the drift of
effective leverage with the price."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

import typer

from invfut_cli.app import build, command, emit, explained, option_values, with_grid
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

#: The row columns kept to the last when the table is too wide (after the price).
ESSENTIAL_COLUMNS = ("effective_leverage",)
#: Rows at or beyond the liquidation price are drawn in red, with a note, not in a column.
LIQUIDATED_IN_RED = True


def run(**values: Any) -> dict[str, Any]:
    """The ``leverage`` document for these option values."""
    from invfut_cli import compute, present
    from invfut_cli.models_margin import LeverageInput

    args = build(LeverageInput, **with_grid(values))
    sizing, rows, outcome = compute.leverage(args)
    return {
        **present.leverage_doc(args, sizing, rows, outcome),
        **present.largest_order_keys(args, compute.largest_order(args)),
    }


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
    doc = run(**option_values(locals()))
    emit(explained(doc, explain), as_json, fmt)


def explain_lines(doc: dict[str, Any]) -> list[str]:
    """The ``--explain`` steps of a ``leverage`` document."""
    from invfut_cli import explain

    return explain.leverage(doc)
