"""``invfut size``: sizing a position by the coin it risks at the stop."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

import typer

from invfut_cli.app import ExitCode, build, command, emit, explained, option_values
from invfut_cli.options import (
    FEES,
    MARGIN,
    POSITION,
    BasisOpt,
    CoinOpt,
    ContractSizeOpt,
    DeductionOpt,
    ExchangeOpt,
    ExplainOpt,
    FormatOpt,
    JsonOpt,
    MmrOpt,
    SideName,
    TickOpt,
)

#: What the table shows first: the size, its margin, the risk and the stop, and where it
#: liquidates; the rest (fees, rounding, the lot, the exact prices) under --explain and in JSON.
SUMMARY_KEYS = (
    "side", "contracts", "size_usd", "leverage", "initial_margin", "risk", "risk_pct",
    "stop_distance_pct", "loss_at_stop", "loss_at_stop_pct", "liquidation_price", "distance_pct",
    "stop_beyond_liquidation",
)  # fmt: skip

#: The help panel of the balance and the risk taken.
RISK = "Risk"


def run(**values: Any) -> dict[str, Any]:
    """The ``size`` document for these option values."""
    from invfut_cli import compute_workflows, present_workflows
    from invfut_cli.models_workflows import SizeInput

    if values.get("cross") is False:
        values["cross"] = None
    args = build(SizeInput, **values)
    return present_workflows.size_doc(args, compute_workflows.size(args))


@command("size", example="invfut size --entry 8000 --stop 7600 --balance 1 --risk 2%")
def size_command(
    entry: Annotated[
        Decimal, typer.Option("--entry", help="Entry price, USD per coin.", metavar="PRICE", rich_help_panel=POSITION)
    ],
    stop: Annotated[
        Decimal, typer.Option("--stop", help="Stop price, USD per coin.", metavar="PRICE", rich_help_panel=POSITION)
    ],
    balance: Annotated[
        Decimal, typer.Option("--balance", help="Account balance, coin.", metavar="COIN", rich_help_panel=RISK)
    ],
    risk: Annotated[
        str,
        typer.Option(
            "--risk",
            help="Coin to lose at the stop, fees included: 0.01 (coin) or 2% (of the balance).",
            metavar="AMOUNT",
            rich_help_panel=RISK,
        ),
    ],
    side: Annotated[
        SideName | None,
        typer.Option(
            "--side",
            help="long or short. Left out: from the stop (below the entry: a long; above: a short).",
            metavar="long|short",
            case_sensitive=False,
            rich_help_panel=POSITION,
        ),
    ] = None,
    leverage: Annotated[
        Decimal | None,
        typer.Option(
            "--leverage",
            help="Leverage: isolated margin = value at entry / L. Default 10.",
            metavar="L",
            rich_help_panel=MARGIN,
        ),
    ] = None,
    cross: Annotated[
        bool,
        typer.Option(
            "--cross",
            help="Cross margin: the whole balance backs the position (for the liquidation price).",
            rich_help_panel=MARGIN,
        ),
    ] = False,
    contract_size: ContractSizeOpt = None,
    mmr: MmrOpt = None,
    mm_basis: BasisOpt = None,
    mm_deduction: DeductionOpt = None,
    taker_fee: Annotated[
        str | None,
        typer.Option(
            "--taker-fee",
            help="Taker fee rate, paid to open at the entry and to close at the stop; also used for the liquidation "
            "price as in liq-price. Default: the preset's, or 0.05%.",
            metavar="RATE",
            rich_help_panel=FEES,
        ),
    ] = None,
    tick: TickOpt = None,
    exchange: ExchangeOpt = None,
    coin: CoinOpt = None,
    explain: ExplainOpt = False,
    as_json: JsonOpt = False,
    fmt: FormatOpt = None,
) -> None:
    """Contracts that lose --risk at the stop (fees included, rounded down to the lot), the margin they
    need, and the liquidation price. Exit status 3 when the stop is at or beyond the liquidation price."""
    doc = run(**option_values(locals()))
    emit(explained(doc, explain), as_json, fmt)
    if doc["stop_beyond_liquidation"]:
        raise typer.Exit(int(ExitCode.STOP_BEYOND_LIQUIDATION))


def explain_lines(doc: dict[str, Any]) -> list[str]:
    """The ``--explain`` steps of a ``size`` document."""
    from invfut_cli import explain

    return explain.size(doc)
