"""``invfut size``: sizing a position by the coin it risks at the stop."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import typer

from invfut_cli.app import ExitCode, build, command, emit
from invfut_cli.options import (
    BasisOpt,
    CoinOpt,
    ContractSizeOpt,
    DeductionOpt,
    ExchangeOpt,
    FormatOpt,
    JsonOpt,
    MmrOpt,
    SideName,
    TickOpt,
)


@command("size")
def size_command(
    entry: Annotated[Decimal, typer.Option("--entry", help="Entry price, USD per coin.", metavar="PRICE")],
    stop: Annotated[Decimal, typer.Option("--stop", help="Stop price, USD per coin.", metavar="PRICE")],
    balance: Annotated[Decimal, typer.Option("--balance", help="Account balance, coin.", metavar="COIN")],
    risk: Annotated[
        str,
        typer.Option(
            "--risk",
            help="Coin to lose at the stop, fees included: 0.01 (coin) or 2% (of the balance).",
            metavar="AMOUNT",
        ),
    ],
    side: Annotated[
        SideName | None,
        typer.Option(
            "--side",
            help="long or short. Left out: from the stop (below the entry: a long; above: a short).",
            case_sensitive=False,
        ),
    ] = None,
    leverage: Annotated[
        Decimal | None,
        typer.Option("--leverage", help="Leverage: isolated margin = value at entry / L. Default 10.", metavar="L"),
    ] = None,
    cross: Annotated[
        bool,
        typer.Option("--cross", help="Cross margin: the whole balance backs the position (for the liquidation price)."),
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
        ),
    ] = None,
    tick: TickOpt = None,
    exchange: ExchangeOpt = None,
    coin: CoinOpt = None,
    as_json: JsonOpt = False,
    fmt: FormatOpt = None,
) -> None:
    """Contracts that lose --risk at the stop (fees included, rounded down to the lot), the margin they
    need, and the liquidation price. Exit status 3 when the stop is at or beyond the liquidation price."""
    from invfut_cli import compute_workflows, present_workflows
    from invfut_cli.models_workflows import SizeInput

    args = build(
        SizeInput,
        side=side,
        entry=entry,
        stop=stop,
        balance=balance,
        risk=risk,
        leverage=leverage,
        cross=cross or None,
        contract_size=contract_size,
        mmr=mmr,
        mm_basis=mm_basis,
        mm_deduction=mm_deduction,
        taker_fee=taker_fee,
        tick=tick,
        coin=coin,
        exchange=exchange,
    )
    outcome = compute_workflows.size(args)
    emit(present_workflows.size_doc(args, outcome), as_json, fmt)
    if outcome.stop_beyond_liquidation:
        raise typer.Exit(int(ExitCode.STOP_BEYOND_LIQUIDATION))
