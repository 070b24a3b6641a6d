"""The ``invfut`` command line: thin typer commands over the core.

Each command builds one input model, calls the core, and hands one document to one
renderer. Errors of every kind become one stderr line and an :class:`ExitCode` in
:meth:`InvfutGroup.main`, and nowhere else.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from decimal import Decimal
from typing import Annotated, Any, TypeVar

import typer
from pydantic import ValidationError
from typer._click import exceptions as click_exceptions
from typer.core import TyperGroup

from . import core, present
from .exitcodes import ExitCode
from .models import (
    BasisName,
    ExchangeName,
    GridInput,
    LadderInput,
    LeverageInput,
    LiqInput,
    Model,
    PnlInput,
    SideName,
    error_lines,
)

M = TypeVar("M", bound=Model)


class InvfutGroup(TyperGroup):
    """The app's group: runs a command and turns any error into one line and an exit code."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        prog = prog_name or "invfut"
        try:
            code = super().main(argv, prog, complete_var, standalone_mode=False, **extra)
            code = ExitCode.OK if code is None else code
        except click_exceptions.ClickException as exc:
            message = exc.format_message().replace("Value error, ", "")
            if not argv or argv[0].startswith("-") and argv[0] not in ("--help", "--version"):
                commands = ", ".join(sorted(_COMMAND_NAMES))
                message = f"{message.rstrip('.')}. Commands: {commands}; try '{prog} --help'."
            code = _fail(argv, prog, _click_option(exc), message, ExitCode.USAGE)
        except ValidationError as exc:
            lines = error_lines(exc)
            code = _fail(argv, prog, lines[0][0], "; ".join(_join(o, m) for o, m in lines), ExitCode.USAGE, lines)
        except core.DomainError as exc:
            option = None if exc.option is None else "--" + exc.option.replace("_", "-")
            code = _fail(argv, prog, option, _join(option, exc.message), ExitCode.USAGE, [(option, exc.message)])
        except (KeyboardInterrupt, typer.Abort):
            sys.stderr.write("\n")
            code = ExitCode.INTERRUPTED
        except (BrokenPipeError, PipeClosed):
            _quiet_stdout()
            code = ExitCode.OK
        except Exception as exc:  # the last line of defence: never a traceback
            code = _fail(
                argv, prog, None, f"internal error: {type(exc).__name__}: {exc} (please report this)", ExitCode.INTERNAL
            )
        if standalone_mode:
            sys.exit(int(code))
        return code


class PipeClosed(Exception):
    """stdout's reader went away (``| head``): not an OSError, so typer does not turn it into exit 1."""


def _join(option: str | None, message: str) -> str:
    return message if option is None else f"{option}: {message}"


def _click_option(exc: click_exceptions.ClickException) -> str | None:
    param = getattr(exc, "param", None)
    if param is not None and getattr(param, "opts", None):
        return max(param.opts, key=len)
    return getattr(exc, "option_name", None)


def _fail(
    argv: list[str],
    prog: str,
    option: str | None,
    message: str,
    code: ExitCode,
    details: list[tuple[str | None, str]] | None = None,
) -> ExitCode:
    """Write the one stderr line for an error (JSON with ``--json``) and return ``code``."""
    command = next((a for a in argv if a in _COMMAND_NAMES), None)
    where = f"{prog} {command}" if command else prog
    text = " ".join(message.split())
    if "--json" in argv:
        from .render.json_out import scalar

        plain = text if not details else " ".join(details[0][1].split())
        error: dict[str, Any] = {"option": option, "message": plain, "exit_code": int(code)}
        if details and len(details) > 1:
            error["errors"] = [{"option": o, "message": " ".join(m.split())} for o, m in details]
        sys.stderr.write(scalar({"error": error}) + "\n")
    else:
        sys.stderr.write(f"{where}: error: {text}\n")
    return code


def _quiet_stdout() -> None:
    """After a closed pipe: point stdout at /dev/null so the exit flush stays silent."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


app = typer.Typer(
    cls=InvfutGroup,
    name="invfut",
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        from . import __version__

        sys.stdout.write(f"invfut {__version__}\n")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", help="Print the version and exit.", callback=_version, is_eager=True)
    ] = False,
) -> None:
    """Position calculator for inverse (coin-margined) futures: PnL, liquidation, leverage, ladders.

    Every command prints a table, or one JSON document with --json. Exit codes: 0 answer
    printed, 1 internal error, 2 bad input, 130 interrupted.
    """


# Options shared by the commands: one definition each.
SideOpt = Annotated[
    SideName, typer.Option("--side", help="long or short (buy/sell also accepted).", case_sensitive=False)
]
EntryOpt = Annotated[Decimal, typer.Option("--entry", help="Entry price, USD per coin.", metavar="PRICE")]
ContractsOpt = Annotated[Decimal, typer.Option("--contracts", help="Number of contracts.", metavar="N")]
ContractSizeOpt = Annotated[
    Decimal | None,
    typer.Option(
        "--contract-size", help="Face value of one contract, USD. [default: 1, or the preset's]", metavar="USD"
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
        "--coin", help="Settlement coin: picks the preset's contract (BTC, ETH) and names the unit. [default: BTC]"
    ),
]
ExchangeOpt = Annotated[
    ExchangeName,
    typer.Option(
        "--exchange",
        help="Venue preset: contract size, tick, fees, tiers and formula family (see 'invfut exchanges').",
        case_sensitive=False,
    ),
]
TickOpt = Annotated[
    Decimal | None,
    typer.Option("--tick", help="Round the prices to this tick (a long's up, a short's down).", metavar="USD"),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document instead of a table.")]
MmrOpt = Annotated[
    str | None, typer.Option("--mmr", help="Maintenance margin rate: 0.005 or 0.5%. [default: 0.5%]", metavar="RATE")
]
BasisOpt = Annotated[
    BasisName | None,
    typer.Option(
        "--mm-basis",
        help="Charge the maintenance rate on the value at entry, or at the mark (liquidation) price. [default: entry]",
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
    Decimal | None, typer.Option("--pct", help="Range around entry, percent either side. [default: 50]", metavar="PCT")
]
PctStepOpt = Annotated[
    Decimal | None,
    typer.Option("--pct-step", help="Step of the range around entry, percent. [default: 10]", metavar="PCT"),
]


def build(model: type[M], **values: Any) -> M:
    """Validate the given option values (``None`` means not given) into ``model``."""
    return model.model_validate(
        {k: (v.value if isinstance(v, SideName | BasisName) else v) for k, v in values.items() if v is not None}
    )


def emit(doc: dict[str, Any], as_json: bool) -> None:
    """Write ``doc`` to stdout: JSON, or a table (rich is imported only here)."""
    try:
        if as_json:
            from .render import json_out

            json_out.write(doc, sys.stdout)
        else:
            from .render import table

            table.write(doc, sys.stdout)
        sys.stdout.flush()
    except BrokenPipeError:
        raise PipeClosed from None


@app.command("pnl")
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
    emit(present.pnl_doc(args, result), as_json)


@app.command("liq-price")
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
    from .presets import liquidation_for

    outcome = liquidation_for(args)
    emit(present.liq_doc(args, outcome), as_json)


@app.command("leverage")
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
    emit(present.leverage_doc(args, sizing, rows), as_json)


@app.command("ladder")
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
        from .presets import liquidation_for

        outcome = liquidation_for(args)
        marks["liquidation"] = outcome.result.liquidation.price_usd
        marks["bankruptcy"] = outcome.result.bankruptcy.price_usd
    rows = core.ladder(position, args.grid.prices(args.entry), args.collateral)
    emit(present.ladder_doc(args, rows, marks, outcome), as_json)


@app.command("exchanges")
def exchanges_command(
    name: Annotated[
        ExchangeName | None,
        typer.Argument(help="Show one venue in full: tiers, notes and sources.", case_sensitive=False),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """The exchange presets: contracts, sizes, ticks, fees, tiers, formula family, sources and as-of dates."""
    from .presets import load

    emit(present.exchanges_doc(load(), None if name is None else name.value), as_json)


_COMMAND_NAMES = frozenset({"pnl", "liq-price", "leverage", "ladder", "exchanges"})


def main() -> None:
    """Console-script entry point."""
    app(prog_name="invfut")
