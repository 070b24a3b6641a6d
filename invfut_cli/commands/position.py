"""The position commands: ``pnl``, ``liq-price``, ``leverage``, ``ladder``."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import typer

from invfut_cli import core, present
from invfut_cli.app import build, command, emit
from invfut_cli.models import GridInput, LadderInput, LeverageInput, LiqInput, PnlInput
from invfut_cli.options import (
    BalanceOpt,
    BasisOpt,
    CoinOpt,
    ContractSizeOpt,
    ContractsOpt,
    DeductionOpt,
    EntryOpt,
    ExchangeName,
    ExchangeOpt,
    FormatOpt,
    FromOpt,
    JsonOpt,
    LeverageOpt,
    MarginOpt,
    MmrOpt,
    PctOpt,
    PctStepOpt,
    SideName,
    SideOpt,
    StepOpt,
    StepsOpt,
    TakerFeeOpt,
    TickOpt,
    ToOpt,
)


@command("pnl")
def pnl_command(
    side: SideOpt,
    entry: EntryOpt,
    exit_: Annotated[Decimal, typer.Option("--exit", help="Exit (or mark) price, USD per coin.", metavar="PRICE")],
    contracts: ContractsOpt,
    contract_size: ContractSizeOpt = None,
    leverage: LeverageOpt = None,
    margin: MarginOpt = None,
    balance: BalanceOpt = None,
    exchange: ExchangeOpt = ExchangeName.generic,
    coin: CoinOpt = None,
    as_json: JsonOpt = False,
    fmt: FormatOpt = None,
) -> None:
    """Profit and loss in coin and USD, return on margin, and what the margin is worth."""
    args = build(
        PnlInput,
        side=side,
        entry=entry,
        exit=exit_,
        contracts=contracts,
        contract_size=contract_size,
        leverage=leverage,
        margin=margin,
        balance=balance,
        coin=coin,
        exchange=exchange,
    )
    backing = args.margin if args.margin is not None else args.balance
    result = core.pnl(args.position, args.exit, leverage=args.leverage, margin_coin=backing)
    emit(present.pnl_doc(args, result), as_json, fmt)


@command("liq-price")
def liq_price_command(
    side: SideOpt,
    entry: EntryOpt,
    contracts: ContractsOpt,
    contract_size: ContractSizeOpt = None,
    leverage: LeverageOpt = None,
    margin: MarginOpt = None,
    balance: BalanceOpt = None,
    mmr: MmrOpt = None,
    mm_basis: BasisOpt = None,
    mm_deduction: DeductionOpt = None,
    taker_fee: TakerFeeOpt = None,
    tick: TickOpt = None,
    exchange: ExchangeOpt = ExchangeName.generic,
    coin: CoinOpt = None,
    as_json: JsonOpt = False,
    fmt: FormatOpt = None,
) -> None:
    """Liquidation and bankruptcy prices, for isolated (--leverage/--margin) or cross (--balance) margin."""
    args = build(
        LiqInput,
        side=side,
        entry=entry,
        contracts=contracts,
        contract_size=contract_size,
        leverage=leverage,
        margin=margin,
        balance=balance,
        mmr=mmr,
        mm_basis=mm_basis,
        mm_deduction=mm_deduction,
        taker_fee=taker_fee,
        tick=tick,
        coin=coin,
        exchange=exchange,
    )
    from invfut_cli.presets import liquidation_for

    outcome = liquidation_for(args)
    emit(present.liq_doc(args, outcome), as_json, fmt)


@command("leverage")
def leverage_command(
    entry: EntryOpt,
    side: SideOpt = SideName.long,
    contracts: Annotated[Decimal | None, typer.Option("--contracts", help="Number of contracts.", metavar="N")] = None,
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
    exchange: ExchangeOpt = ExchangeName.generic,
    coin: CoinOpt = None,
    as_json: JsonOpt = False,
    fmt: FormatOpt = None,
) -> None:
    """Solve contracts, margin or leverage from the other two, and show how effective leverage drifts with the price."""
    grid = build(GridInput, **{"from": from_}, to=to, step=step, steps=steps, pct=pct, pct_step=pct_step)
    args = build(
        LeverageInput,
        side=side,
        entry=entry,
        contracts=contracts,
        contract_size=contract_size,
        leverage=leverage,
        margin=margin,
        balance=balance,
        coin=coin,
        exchange=exchange,
        grid=grid,
    )
    sizing = core.solve_sizing(
        args.entry,
        args.contract_size,
        contracts=args.contracts,
        margin_coin=args.margin if args.margin is not None else args.balance,
        leverage=args.leverage,
        lot=args.lot,
    )
    position = core.Position(core.Side(args.side), sizing.contracts, args.contract_size, args.entry)
    rows = core.leverage_drift(position, sizing.margin_coin, args.grid.prices(args.entry))
    emit(present.leverage_doc(args, sizing, rows), as_json, fmt)


@command("ladder")
def ladder_command(
    side: SideOpt,
    entry: EntryOpt,
    contracts: ContractsOpt,
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
    exchange: ExchangeOpt = ExchangeName.generic,
    coin: CoinOpt = None,
    as_json: JsonOpt = False,
    fmt: FormatOpt = None,
) -> None:
    """PnL, equity and effective leverage at each price of a grid: the non-linearity, row by row."""
    grid = build(GridInput, **{"from": from_}, to=to, step=step, steps=steps, pct=pct, pct_step=pct_step)
    args = build(
        LadderInput,
        side=side,
        entry=entry,
        contracts=contracts,
        contract_size=contract_size,
        leverage=leverage,
        margin=margin,
        balance=balance,
        mmr=mmr,
        mm_basis=mm_basis,
        mm_deduction=mm_deduction,
        taker_fee=taker_fee,
        tick=tick,
        coin=coin,
        exchange=exchange,
        grid=grid,
    )
    position = args.position
    marks: dict[str, Decimal | None] = {"entry": args.entry, "break-even": core.break_even_price(position)}
    outcome = None
    if args.collateral is not None:
        from invfut_cli.presets import liquidation_for

        outcome = liquidation_for(args)
        marks["liquidation"] = outcome.result.liquidation.price_usd
        marks["bankruptcy"] = outcome.result.bankruptcy.price_usd
    rows = core.ladder(position, args.grid.prices(args.entry), args.collateral)
    emit(present.ladder_doc(args, rows, marks, outcome), as_json, fmt)
