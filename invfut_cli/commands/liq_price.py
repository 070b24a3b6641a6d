"""``invfut liq-price``: liquidation and bankruptcy prices, the order cost, and the margin for a
target liquidation price."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

import typer

from invfut_cli.app import ExitCode, alert_line, build, command, emit, explained, option_values
from invfut_cli.options import (
    MARGIN,
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

#: The help panel of the alert options (the shared panels are in ``options``).
ALERT = "Alert"


def run(**values: Any) -> dict[str, Any]:
    """The ``liq-price`` document for these option values."""
    from invfut_cli import compute, present
    from invfut_cli.models_margin import LiqInput

    args = build(LiqInput, **values)
    return {**present.liq_doc(args, compute.liquidation(args)), **present.order_keys(args, compute.liq_order(args))}


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
    doc = run(**option_values(locals()))
    emit(explained(doc, explain), as_json, fmt)
    if doc["alert"]:
        alert_line("liq-price", doc)
        raise typer.Exit(int(ExitCode.ALERT))


def explain_lines(doc: dict[str, Any]) -> list[str]:
    """The ``--explain`` steps of a ``liq-price`` document."""
    from invfut_cli import explain

    return explain.liq_price(doc)
