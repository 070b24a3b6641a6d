"""``invfut replay FILE``: a position walked along real candles (DOMAIN.md §16): whether and
when it is liquidated, the lowest equity and safety margin on the way, funding paid, and
the smallest collateral that would have survived the whole path."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Annotated, Any

import typer

from invfut_cli import core
from invfut_cli.app import build, command, emit, explained, option_values
from invfut_cli.choices import OutputFormat
from invfut_cli.options import (
    BalanceOpt,
    BasisOpt,
    CoinOpt,
    ContractSizeOpt,
    ContractsOpt,
    DeductionOpt,
    ExchangeOpt,
    ExplainOpt,
    FormatOpt,
    FundingOpt,
    JsonOpt,
    LeverageOpt,
    MarginOpt,
    MmrOpt,
    PlotFileOpt,
    SideOpt,
    SizeCoinOpt,
    SizeUsdOpt,
    TakerFeeOpt,
    TickOpt,
)
from invfut_cli.output import check_chart
from invfut_cli.registry import layout_on_use
from invfut_cli.selection import FieldsOpt

#: ``LAYOUT``: this command's layout, read from :mod:`.layout` on first use.
__getattr__ = layout_on_use(__name__)

Doc = dict[str, Any]

#: The help panel of the path's options.
PATH = "Path"


def _setup(values: dict[str, Any]) -> tuple[Any, Any, Any]:
    """The input model (the entry the first candle's open where none is given), the reader
    (its header read) and the walk's terms."""
    from invfut_cli.candles import CandleReader, time_ms
    from invfut_cli.rounding import price_step, safe_price
    from invfut_cli.venues import get
    from invfut_cli.venues.rules import liquidation_for, target_margin_for

    from .engine import Replay, Terms
    from .inputs import ReplayInput

    path = values.get("file")
    if values.get("entry") is None and values.get("fill") in (None, [], ()) and path:
        from_text = values.get("from")
        start = time_ms(from_text) if isinstance(from_text, str) else None
        first = next((c for c in CandleReader(path) if start is None or c.time_ms >= start), None)
        if first is not None:
            values = {**values, "entry": first.open}
    args = build(ReplayInput, **values)
    reader = CandleReader(args.file)
    reader.open()
    side = core.Side(args.side)
    step = price_step(args)
    hours, _ = get(args.exchange).funding_hours()

    def liq_at(collateral: Decimal) -> Decimal | None:
        outcome = liquidation_for(args, collateral=collateral)
        return safe_price(outcome.result.liquidation.price_usd, side, step)

    def need_at(price: Decimal) -> Decimal | None:
        return target_margin_for(args, price)[0].margin_coin

    position = args.position
    terms = Terms(
        sign=side.sign,
        size_usd=position.size_usd,
        entry=position.entry_price_usd,
        collateral=args.collateral,
        step=step,
        funding_rate=args.funding or Decimal(0),
        funding_ms=int(hours * 3_600_000),
        from_ms=args.from_ms,
        liq_at=liq_at,
        need_at=need_at,
    )
    return args, Replay(reader, terms), hours


def run(**values: Any) -> Doc:
    """The ``replay`` document for these option values (``--account``: an account's)."""
    if values.get("account") is not None:
        from .account_doc import run as account_run

        return account_run(values)
    values.pop("account", None)
    args, replay, hours = _setup(values)
    return document(args, replay, hours, replay.summary())


def document(args: Any, replay: Any, hours: Decimal, walk: Any) -> Doc:
    """The answer: §16's report, each figure rounded as the glossary says (the collateral
    that survives, and the margin to add for it, up to the satoshi)."""
    from invfut_cli.candles import iso
    from invfut_cli.documents.parts import position_keys, rule_inputs
    from invfut_cli.rounding import coin, coin_up, pct, price_step
    from invfut_cli.venues.rules import liquidation_for

    liquidated = walk.liquidated_ms is not None
    need = walk.need
    reason = None
    if walk.liquidation_start is None and replay.collateral > 0:
        reason = "there is no liquidation price: the path cannot liquidate this position"
    return {
        "command": "replay",
        "coin": args.coin,
        **position_keys(args, rule_inputs(args, liquidation_for(args).tier)),
        "file": args.file,
        "price_source": walk.price_source,
        "candles": walk.candles,
        "first_time": iso(walk.first_ms),
        "last_time": iso(walk.last_ms),
        "collateral": coin(args.collateral),
        "liquidation_price": walk.liquidation_start,
        "price_step": price_step(args),
        "survived": not liquidated,
        "liquidated_at": {"time": iso(walk.liquidated_ms), "price": walk.liquidated_price, "line": walk.liquidated_line}
        if liquidated
        else None,
        "min_equity": coin(walk.min_equity),
        "min_safety_pct": pct(walk.min_safety_pct),
        "worst_price": None if walk.worst_price is None else {"time": iso(walk.worst_ms), "price": walk.worst_price},
        "funding_paid": coin(walk.funding_paid),
        "funding_payments": walk.payments,
        "funding_interval_hours": hours,
        "collateral_end": coin(walk.collateral_end),
        "collateral_to_survive": coin_up(need),
        "margin_to_add": None if need is None else coin_up(need - args.collateral),
        "reason": reason,
        "warnings": [],
    }


class Rows:
    """One record per candle, computed as they are written (a second walk of the file)."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values

    def __iter__(self) -> Iterator[Doc]:
        from invfut_cli.candles import iso
        from invfut_cli.rounding import coin, pct

        if self.values.get("account") is not None:
            from .account_doc import setup

            replay: Any = setup(self.values)[1]
            walked = replay.walk()
        else:
            replay = _setup({k: v for k, v in self.values.items() if k != "account"})[1]
            walked = replay.rows()
        for candle, liq, equity, safety, paid, collateral, hit in walked:
            yield {
                "time": iso(candle.time_ms),
                "line": candle.line,
                # The file's prices, as it gives them.
                "open": candle.open,
                "high": candle.high,
                "low": candle.low,
                "close": candle.close,
                "mark_price": candle.mark,
                "liquidation_price": liq,
                "equity": coin(equity),
                "safety_pct": pct(safety),
                "funding": coin(paid),
                "collateral": coin(collateral),
                "liquidated": hit,
            }


@command(
    "replay",
    example="invfut replay candles.csv --side long --contracts 10000 --leverage 10\n"
    "invfut replay 1m.csv --side short --contracts 500 --margin 1 --funding 1e-4",
)
def replay_command(
    file: Annotated[
        str,
        typer.Argument(
            help="Candles: CSV with a header time,open,high,low,close[,volume][,mark][,funding], "
            "or a venue's kline download (Binance, Bybit, OKX).",
            metavar="FILE",
            show_default=False,
        ),
    ],
    side: SideOpt = None,  # type: ignore[assignment]
    entry: Annotated[
        Decimal | None,
        typer.Option(
            "--entry",
            help="Entry price. (default: the first candle's open)",
            metavar="PRICE",
            rich_help_panel="Position",
        ),
    ] = None,  # fmt: skip
    contracts: ContractsOpt = None,
    size_usd: SizeUsdOpt = None,
    size_coin: SizeCoinOpt = None,
    contract_size: ContractSizeOpt = None,
    leverage: LeverageOpt = None,
    margin: MarginOpt = None,
    balance: BalanceOpt = None,
    mmr: MmrOpt = None,
    mm_basis: BasisOpt = None,
    mm_deduction: DeductionOpt = None,
    taker_fee: TakerFeeOpt = None,
    tick: TickOpt = None,
    from_: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="Start at the first candle at or after TIME (ISO 8601, or Unix seconds or ms).",
            metavar="TIME",
            rich_help_panel=PATH,
        ),
    ] = None,  # fmt: skip
    funding: FundingOpt = None,
    account: Annotated[
        str | None,
        typer.Option(
            "--account",
            help="Replay an account file (as `invfut account` reads it) in place of one "
            "position: the cross part on its balance, each isolated position on its own margin.",
            metavar="ACCOUNT",
            rich_help_panel=PATH,
        ),
    ] = None,  # fmt: skip
    exchange: ExchangeOpt = None,
    coin: CoinOpt = None,
    explain: ExplainOpt = False,
    as_json: JsonOpt = False,
    fmt: FormatOpt = None,
    fields: FieldsOpt = None,
    plot: Annotated[
        bool,
        typer.Option(
            "--plot",
            help="Draw the path (each candle's adverse extreme) with the liquidation price "
            "and the liquidation marked, after the summary.",
            rich_help_panel="Output",
        ),
    ] = False,  # fmt: skip
    plot_file: PlotFileOpt = None,
) -> None:
    """Walk a position along candles: liquidated or not (when, where), the lowest equity and
    safety margin, funding paid, and the smallest collateral that survives the path."""
    values = option_values(locals())
    if plot or plot_file is not None:  # before the walk: its conditions need no answer
        check_chart(plot, as_json, fmt)
    doc = run(**values)
    if fmt in (OutputFormat.ndjson, OutputFormat.csv) and not as_json:
        doc["rows"] = Rows(values)
    if plot or plot_file is not None:
        from .chart import draw

        # --plot: the table's summary and the chart after it, whatever format is configured (as emit has it).
        shown = OutputFormat.table if plot else fmt
        draw(doc, values, plot, plot_file, lambda: emit(explained(doc, explain), as_json, shown))
        return
    emit(explained(doc, explain), as_json, fmt)


def explain_lines(doc: Doc) -> list[str]:
    """The ``--explain`` steps of a ``replay`` document."""
    if "positions" in doc:
        return [
            f"the account {doc['account']} walks {doc['candles']} candles of {doc['file']} ({doc['price_source']} "
            f"prices), from {doc['first_time']} to {doc['last_time']}",
            "the cross part is liquidated when a candle's adverse extreme reaches the cross liquidation price as "
            f"shown ({doc['liquidation_price']} at the start, to {doc['price_step']}); each isolated position at "
            "its own",
            f"funding: s·rate·Q/P coin per position at each {doc['funding_interval_hours']} h boundary crossed, a "
            f"cross position's from the balance ({doc['funding_paid']:f} {doc['coin']} in all), an isolated one's "
            "from its margin",
            "to survive: the largest, over funding intervals, of the cross balance whose liquidation price is one step "
            "on the safe side of the interval's worst extreme (§8, §10) plus the funding paid before it, rounded up",
        ]
    side = doc["inputs"]["side"]
    extreme = "low" if side == "long" else "high"
    lines = [
        f"the position opens at {doc['average_entry']} and walks {doc['candles']} candles of {doc['file']} "
        f"({doc['price_source']} prices), from {doc['first_time']} to {doc['last_time']}",
        f"a candle liquidates when its {extreme} (or mark) reaches the liquidation price as shown "
        f"({doc['liquidation_price']} at the start, to {doc['price_step']})",
        f"funding: s·rate·Q/P coin from the collateral at each {doc['funding_interval_hours']} h boundary crossed: "
        f"{doc['funding_payments']} payments, {doc['funding_paid']:f} {doc['coin']} in all",
        "to survive: the largest, over funding intervals, of the collateral whose liquidation price is one step "
        "on the safe side of the interval's worst extreme (§10) plus the funding paid before it, rounded up",
    ]
    return lines


def draw_table(doc: Doc, console: Any) -> None:
    """``replay``'s own table (:mod:`.table`)."""
    from .table import draw_table as draw

    draw(doc, console)
