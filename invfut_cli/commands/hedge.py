"""``invfut hedge``: the short that keeps the dollar value of coin held."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

import typer

from invfut_cli.app import build, command, emit, explained, option_values, with_grid
from invfut_cli.options import (
    FEES,
    GRID,
    CoinOpt,
    ContractSizeOpt,
    ExchangeOpt,
    ExplainOpt,
    FormatOpt,
    FromOpt,
    JsonOpt,
    PctStepOpt,
    StepOpt,
    StepsOpt,
    ToOpt,
)

#: The help panel of what is hedged.
HEDGE = "Hedge"


#: The row columns kept to the last when the table is too wide (after the first).
ESSENTIAL_COLUMNS = ("hedged_usd",)


def run(**values: Any) -> dict[str, Any]:
    """The ``hedge`` document for these option values."""
    from invfut_cli import compute_workflows, present_workflows
    from invfut_cli.models_workflows import HedgeInput

    args = build(HedgeInput, **with_grid(values))
    return present_workflows.hedge_doc(args, compute_workflows.hedge(args))


@command("hedge", example="invfut hedge --holding 1 --price 8000 --funding 0.01%")
def hedge_command(
    holding: Annotated[
        Decimal, typer.Option("--holding", help="Coin held, to hedge.", metavar="COIN", rich_help_panel=HEDGE)
    ],
    price: Annotated[
        Decimal,
        typer.Option(
            "--price", help="Price now (the short's entry), USD per coin.", metavar="PRICE", rich_help_panel=HEDGE
        ),
    ],
    ratio: Annotated[
        str | None,
        typer.Option(
            "--ratio",
            help="Share of the holding to hedge: 0.5 or 50%. Default 100%.",
            metavar="RATIO",
            rich_help_panel=HEDGE,
        ),
    ] = None,
    funding: Annotated[
        str | None,
        typer.Option(
            "--funding",
            help="Funding rate per interval (0.01%). Positive: longs pay shorts, so the hedge receives.",
            metavar="RATE",
            rich_help_panel=FEES,
        ),
    ] = None,
    funding_interval: Annotated[
        Decimal | None,
        typer.Option(
            "--funding-interval",
            help="Hours between fundings. Default: the preset's, or 8.",
            metavar="HOURS",
            rich_help_panel=FEES,
        ),
    ] = None,
    contract_size: ContractSizeOpt = None,
    from_: FromOpt = None,
    to: ToOpt = None,
    step: StepOpt = None,
    steps: StepsOpt = None,
    pct: Annotated[
        Decimal | None,
        typer.Option(
            "--pct",
            help="Range around the price, percent either side. Default 50.",
            metavar="PCT",
            rich_help_panel=GRID,
        ),
    ] = None,
    pct_step: PctStepOpt = None,
    exchange: ExchangeOpt = None,
    coin: CoinOpt = None,
    explain: ExplainOpt = False,
    as_json: JsonOpt = False,
    fmt: FormatOpt = None,
) -> None:
    """Contracts to short for a dollar hedge of coin held (rounded down to the lot), the holder's USD
    value across prices with and without it, and the funding the hedge receives or pays."""
    emit(explained(run(**option_values(locals())), explain), as_json, fmt)


def explain_lines(doc: dict[str, Any]) -> list[str]:
    """The ``--explain`` steps of a ``hedge`` document."""
    from invfut_cli import explain

    return explain.hedge(doc)
