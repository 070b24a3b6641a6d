"""``invfut watch``: a position (or an account) followed mark by mark (DOMAIN.md §13).

Marks come in on stdin, one a line (:mod:`.marks`); one NDJSON event goes out per change
of state (:mod:`.stream`), computed by the core's state machine
(:class:`invfut_cli.core.watch.Watcher`) over the position or the account
(:mod:`.subjects`). ``--exec`` runs a command per event; invfut never places an order.

Exit codes: 0 at the end of the input if ``critical`` was never reached, 4 (alert) if it
was or the position was liquidated (the event is written first), 2 for bad options,
130 on Ctrl-C and 143 on SIGTERM (everything written so far is flushed).
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal
from typing import Annotated, Any

import typer

from invfut_cli.app import ExitCode, PipeClosed, build, command, option_values
from invfut_cli.inputs.live import TimeoutOpt
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
    FillOpt,
    FundingOpt,
    LeverageOpt,
    MarginOpt,
    MmrOpt,
    SideOpt,
    SizeCoinOpt,
    SizeUsdOpt,
    TakerFeeOpt,
    TickOpt,
)

#: The help panels of the command's own options.
LIMITS = "Watch"
EVENTS = "Events"

#: One event: what the watched position is at a mark.
LAYOUT: dict[str, Any] = {
    "command": None,
    "line": None,
    "time": None,
    "symbol": None,
    "mark_price": None,
    "state": None,
    "previous_state": None,
    "liquidation_price": None,
    "safety_pct": None,
    "margin_to_add": None,
    "collateral": None,
    "funding_paid": None,
    "reason": None,
    "hedge": {"side": None, "contracts": None, "size_usd": None, "usd_delta": None, "usd_delta_after": None},
    "explain": [None],
}
#: Only an account's events carry the hedge; only a batch line's answer, its --explain steps.
OPTIONAL = frozenset({"hedge", "explain"})

# --- What it is given ---------------------------------------------------------------------


class Watched:
    """A watcher ready to follow marks, with what its events need."""

    def __init__(self, watcher: Any, subject: Any, limits: Any, exchange: Any = None, coin: str = "BTC") -> None:
        self.watcher, self.subject, self.limits = watcher, subject, limits
        self.exchange, self.coin = exchange, coin  # where ``--live`` reads the mark
        self.checked = 0

    def event(self, seen: Any, mark: Any) -> dict[str, Any]:
        """The event document of an observation (DOMAIN.md §13), each number on its step:
        the safety margin rounded down (toward danger), the margin to add up."""
        from invfut_cli.core import quantize
        from invfut_cli.rounding import as_written, coin, coin_up

        from .marks import iso

        add, why = self.watcher.margin_to_add(seen.mark_usd)
        doc: dict[str, Any] = {
            "command": "watch",
            "line": seen.line,
            "time": None if seen.time_s is None else iso(seen.time_s),
            "symbol": mark.symbol,
            "mark_price": as_written(seen.mark_usd),
            "state": seen.state.label,
            "previous_state": None if seen.previous is None else seen.previous.label,
            "liquidation_price": seen.liquidation_usd,
            "safety_pct": None if seen.safety_pct is None else quantize(seen.safety_pct, Decimal("0.01"), ROUND_FLOOR),
            "margin_to_add": coin_up(add),
            "collateral": coin(self.subject.collateral_coin()),
            "funding_paid": coin(seen.funding_coin),
            "reason": seen.reason or why,
        }
        hedge = getattr(self.subject, "hedge", None)
        if hedge is not None:
            trade = hedge(seen.mark_usd)
            doc["hedge"] = {
                "side": None if trade.side is None else trade.side.value,
                "contracts": trade.contracts,
                "size_usd": trade.size_usd,
                "usd_delta": coin(trade.usd_delta_coin),
                "usd_delta_after": coin(trade.usd_delta_after_coin),
            }
        return doc

    def write(self, doc: dict[str, Any]) -> str:
        """One event as a line of JSON, checked against its type (the first and every 64th)."""
        from invfut_cli.render.json_out import scalar

        if not self.checked % 64:
            from invfut_cli.documents.typed import typed

            typed(doc)
        self.checked += 1
        return scalar(doc)


def watched(values: dict[str, Any]) -> Watched:
    """The watcher for these option values: of the position, or of ``--account FILE``."""
    from invfut_cli.core.watch import Limits, Watcher
    from invfut_cli.inputs.watch import WatchLimits
    from invfut_cli.venues import get

    account = values.pop("account", None)
    limit_keys = set(WatchLimits.model_fields)
    if account is not None:
        from invfut_cli.inputs.account.loaded import refuse_position_options

        refuse_position_options(values)
        limits = build(WatchLimits, **{k: v for k, v in values.items() if k in limit_keys})
        subject, exchange, coin = _account_subject(account, {k: v for k, v in values.items() if k not in limit_keys})
    else:
        from invfut_cli.inputs.watch import WatchPosition

        from .subjects import PositionSubject

        args = build(WatchPosition, **values)
        limits, subject, exchange, coin = args, PositionSubject(args), args.exchange, args.coin
    hours, _note = get(exchange).funding_hours()
    rule = Limits(limits.warn, limits.fail_within, limits.hysteresis)
    watcher = Watcher(subject, rule, limits.funding, hours * 3600)
    return Watched(watcher, subject, limits, exchange, coin)


def _account_subject(file: str, values: dict[str, Any]) -> tuple[Any, Any, str]:
    """The account file as the watched subject, under the rule ``account`` uses."""
    from invfut_cli.inputs.account.loaded import load_account
    from invfut_cli.venues import get

    from .subjects import AccountSubject

    loaded = load_account(str(file), values)
    args = loaded.args
    lot = get(args.exchange).contract(args.coin).lot
    subject = AccountSubject(loaded.book, loaded.cross, loaded.isolated, loaded.step, args.contract_size, lot)
    return subject, args.exchange, args.coin


# --- What it writes -------------------------------------------------------------------------


def run(**values: Any) -> dict[str, Any]:
    """The first event of a watch at one ``mark`` (what ``invfut batch`` answers for a
    ``watch`` line): the state there, the liquidation price, the margin to add."""
    from invfut_cli.core.errors import DomainError

    from .marks import BadLine, Mark, price

    mark = values.pop("mark", None)
    if mark is None:
        raise DomainError("give the mark to watch at", option="mark")
    try:
        at = price(Decimal(str(mark)))
    except BadLine as exc:
        raise DomainError(str(exc), option="mark") from None
    ready = watched(values)
    return ready.event(ready.watcher.observe(1, at), Mark(at))


@command(
    "watch",
    example="invfut watch --side long --entry 60000 --contracts 10000 --leverage 5\n"
    "invfut watch --account examples/account.toml --warn 20%",
)
def watch_command(
    side: SideOpt = None,  # type: ignore[assignment]
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
    account: Annotated[
        str | None,
        typer.Option(
            "--account",
            help="Watch an account file (as 'invfut account' reads it) in place of one position.",
            metavar="FILE",
            rich_help_panel=LIMITS,
        ),
    ] = None,
    warn: Annotated[
        str | None,
        typer.Option(
            "--warn",
            help="State warn within PCT percent of the liquidation price. (default: 10%)",
            metavar="PCT",
            rich_help_panel=LIMITS,
        ),
    ] = None,
    fail_within: Annotated[
        str | None,
        typer.Option(
            "--fail-within",
            help="State critical within PCT percent (exit 4 at the end if reached). (default: 5%)",
            metavar="PCT",
            rich_help_panel=LIMITS,
        ),
    ] = None,
    hysteresis: Annotated[
        str | None,
        typer.Option(
            "--hysteresis",
            help="To leave a state toward safety, clear its limit by PCT more. (default: 0.5%)",
            metavar="PCT",
            rich_help_panel=LIMITS,
        ),
    ] = None,
    funding: FundingOpt = None,
    mmr: MmrOpt = None,
    mm_basis: BasisOpt = None,
    mm_deduction: DeductionOpt = None,
    taker_fee: TakerFeeOpt = None,
    tick: TickOpt = None,
    exchange: ExchangeOpt = None,
    coin: CoinOpt = None,
    every_line: Annotated[
        bool,
        typer.Option("--every-line", help="Write an event for every mark, not only changes.", rich_help_panel=EVENTS),
    ] = False,
    exec_command: Annotated[
        str | None,
        typer.Option(
            "--exec",
            help="Run CMD per event with the event's JSON on its stdin (split as a shell would, no shell).",
            metavar="CMD",
            rich_help_panel=EVENTS,
        ),
    ] = None,
    exec_timeout: Annotated[
        Decimal | None,
        typer.Option(
            "--exec-timeout",
            help="Stop a --exec command after SECONDS. (default: 10)",
            metavar="SECONDS",
            rich_help_panel=EVENTS,
        ),
    ] = None,
    live: Annotated[
        bool,
        typer.Option(
            "--live",
            help="Read the venue's mark price (--exchange) every --every seconds instead of stdin "
            "(needs the optional live extra; without it, one line says how to install it).",
            rich_help_panel="Live",
        ),
    ] = False,
    every: Annotated[
        float | None,
        typer.Option(
            "--every",
            help="With --live: seconds between two reads. (default: 5)",
            metavar="SECONDS",
            min=1,
            max=86400,
            rich_help_panel="Live",
        ),
    ] = None,
    timeout: TimeoutOpt = 10.0,
) -> None:
    """Follow a position (or --account) mark by mark from stdin: one JSON line per change of state
    (ok, warn, critical, liquidated), with the margin to add."""
    values = option_values(locals())
    values["exec"] = values.pop("exec_command")
    live, every, timeout = values.pop("live", False), values.pop("every", None), values.pop("timeout", 10.0)
    if every is not None and not live:
        from invfut_cli.core.errors import DomainError

        raise DomainError("--every goes with --live: marks on stdin come when they come", option="every")
    every = 5.0 if every is None else every
    import signal
    import sys

    from .stream import Hook, Status, Terminated, follow, on_sigterm

    ready = watched(values)
    limits = ready.limits
    hook = None if limits.exec is None else Hook(limits.exec, limits.exec_timeout, sys.stderr)
    out = sys.stdout
    status = Status(out) if out.isatty() and not limits.every_line else None
    previous = signal.signal(signal.SIGTERM, on_sigterm)
    try:
        lines: Any = sys.stdin
        if live:
            from .live import polled_lines

            lines = polled_lines(ready.exchange, ready.coin, every, timeout, sys.stderr)
        worst = follow(ready.watcher, lines, ready.event, ready.write, out, sys.stderr, limits.every_line, hook, status)
    except Terminated:
        _stopped(status)
        raise typer.Exit(int(ExitCode.TERMINATED)) from None
    except KeyboardInterrupt:
        _stopped(status)
        raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
    except BrokenPipeError:  # the reader went away (| head): the app ends quietly, as for any command
        raise PipeClosed from None
    finally:
        signal.signal(signal.SIGTERM, previous)
    from invfut_cli.core.watch import State

    if worst is not None and worst >= State.CRITICAL:
        what = "liquidated" if worst is State.LIQUIDATED else "critical was reached"
        sys.stderr.write(f"invfut watch: alert: {what} (within {limits.fail_within}% of the liquidation price)\n")
        raise typer.Exit(int(ExitCode.ALERT))


def _stopped(status: Any) -> None:
    """A signal ended the watch: clear the status line and flush what was written."""
    import sys

    if status is not None:
        status.clear()
    try:
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):
        pass


def explain_lines(doc: dict[str, Any]) -> list[str]:
    """The ``--explain`` steps of one event."""
    from invfut_cli.explain import n

    lines = [
        "safety margin a = 100·s·(mark − L)/mark with L the shown liquidation price: "
        f"{n(doc['safety_pct'])}% at {n(doc['mark_price'])} (L = {n(doc['liquidation_price'])})",
        "states: ok, warn (a ≤ W), critical (a ≤ X), liquidated (a ≤ 0); left toward safety only past the limit + h",
        f"margin to add: the collateral that puts L at W + h from the mark (rounded up): {n(doc['margin_to_add'])}",
    ]
    if doc["reason"]:
        lines.append(f"note: {doc['reason']}")
    return lines
