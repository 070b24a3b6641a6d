"""``invfut account``: several positions of one coin on one cross balance (DOMAIN.md §7, §8).

The command, its ``run`` and its ``--explain`` lines are here; its other parts are beside it
in this package: the option model (:mod:`.inputs`), the account file's models and reader
(:mod:`.file`), its positions as core holdings (:mod:`.holdings`), the calls into the core
(:mod:`.compute`) and what they give (:mod:`.outcome`), the document (:mod:`.document`), its
layout (:mod:`.layout`) and the table (:mod:`.table`). The file is TOML or JSON (by extension; ``-``
reads JSON from stdin)::

    exchange = "bybit"          # optional: generic
    # contract_type = "linear"  # optional: inverse; linear (quote = "USDT") or quanto (multiplier)
    coin = "BTC"
    balance = 1.0               # the cross wallet balance, in the margin currency (the coin)
    [[position]]
    name = "perp"               # optional
    side = "long"
    contracts = 20000           # with entry, or: fills = ["10000@59000", "10000@61000"]
    entry = 60000
    # contract_size = 1         # optional: the venue's
    # margin = 0.1 / leverage = 10: an isolated position with its own margin

A broken file is one error line naming the file, the position (by number and name) and the
field, with the config exit code (6); nothing is half-read. In ``batch`` the account is
given inline (``coin``, ``balance``, ``position``) or as ``file``. A linear or quanto
account (DOMAIN.md §15) goes its own way from the file on: :mod:`invfut_cli.inputs.account.linear`
and :mod:`.linear`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

import typer

from invfut_cli.app import ExitCode, build, command, emit, explained, option_values
from invfut_cli.core.errors import DomainError
from invfut_cli.inputs.account.file import AccountSource, parse_account, read_file
from invfut_cli.inputs.contract_options import ContractTypeOpt, MultiplierOpt, QuoteOpt, SettlePriceOpt
from invfut_cli.inputs.live import TimeoutOpt
from invfut_cli.options import (
    BasisOpt,
    DeductionOpt,
    ExchangeOpt,
    ExplainOpt,
    FormatOpt,
    JsonOpt,
    MmrOpt,
    TakerFeeOpt,
    TickOpt,
)
from invfut_cli.registry import layout_on_use
from invfut_cli.selection import FieldsOpt

#: ``LAYOUT`` and ``OPTIONAL``: this command's layout, read from :mod:`.layout` on first use.
__getattr__ = layout_on_use(__name__)

from invfut_cli.inputs.risk_options import DriftOpt, HorizonOpt, VolFromOpt, VolOpt

Doc = dict[str, Any]

#: The help panels of the command's own options (the shared ones are in ``options``).
ACCOUNT = "Account"
WHAT_IF = "What if"


# --- running -------------------------------------------------------------------------------

#: The account's own fields, when ``batch`` gives the account inline.
INLINE = ("coin", "balance", "position", "positions")


def run(**values: Any) -> Doc:
    """The ``account`` document for these option values: ``file`` names the account file,
    or (in ``batch``) ``coin``, ``balance`` and ``position`` give it inline."""
    from invfut_cli.risk import account_keys
    from invfut_cli.risk_layout import RISK_INPUTS

    asked = {key: value for key in RISK_INPUTS if (value := values.pop(key, None)) is not None}
    doc = _run(**values)
    if asked and doc.get("contract_type"):
        key = next(iter(asked))
        raise DomainError(
            f"is not taken by a {doc['contract_type']} account: the model probability "
            "of liquidation is an inverse account's",
            key,
        )
    return account_keys(asked, doc)


def _run(**values: Any) -> Doc:
    """The account document without the model probability."""
    file = values.pop("file", None)
    live, save = values.pop("live", None), values.pop("save", None)
    inline = {k: values.pop(k) for k in INLINE if k in values}
    kind = getattr(values.get("contract_type"), "value", values.get("contract_type"))
    if live is not None and kind in ("linear", "quanto"):
        raise DomainError(f"reads a venue's inverse positions: not taken with --contract-type {kind}", "live")
    if file is not None and (inline or live):
        other = "--live" if live else f"the account inline ({', '.join(inline)})"
        raise DomainError(f"give FILE or {other}, not both", option="live" if live else "file")
    book = None
    if live is not None:
        from invfut_cli.inputs.live_account import read_live

        book, data, source = read_live(live, values, save)
    elif file is not None:
        data, source = read_file(str(file))
    else:
        data, source = inline, AccountSource(None)
    account_file = parse_account(data, source)
    from invfut_cli.inputs.account.linear import contract_choice

    chosen = contract_choice(values, account_file, source)
    if chosen["kind"] != "inverse":
        from invfut_cli.commands.account.linear import run_linear

        return run_linear(values, account_file, source, chosen, None if file is None else str(file))
    from invfut_cli.commands.account.compute import compute
    from invfut_cli.commands.account.document import account_places, document
    from invfut_cli.inputs.account.holdings import holdings as file_holdings
    from invfut_cli.inputs.account.loaded import file_venue
    from invfut_cli.inputs.account.model import input_model
    from invfut_cli.inputs.live import live_price
    from invfut_cli.rounding import step_for

    coin = file_venue(values, account_file, source)
    mark_source = live_price(values, "price", "--price", coin)
    args = build(input_model(), coin=coin, **values)
    holdings, prices = file_holdings(account_file, args, source)
    step = step_for(args.tick, account_places(args, prices))
    outcome = compute(args, account_file.balance, holdings, step)
    doc = document(args, outcome, prices, None if file is None else str(file))
    if mark_source is not None:
        doc["mark_source"] = mark_source
    if book is not None:
        from invfut_cli.inputs.live_account import reconcile

        if book.mark_source is not None:
            doc["mark_source"] = book.mark_source
        doc.update(reconcile(book, doc, step))
    return doc


@command("account", example="invfut account examples/account.toml --price 60000 --add long:5000@60000")
def account_command(
    file: Annotated[
        str | None,
        typer.Argument(
            help="The account file: .toml or .json; - reads JSON from stdin. Or --live VENUE.", metavar="FILE"
        ),
    ] = None,
    price: Annotated[
        str | None,
        typer.Option(
            "--price",
            help="The mark price now, USD per coin, or live: the venue's mark now (the file's or --exchange's venue).",
            metavar="PRICE",
            rich_help_panel=ACCOUNT,
        ),
    ] = None,
    add: Annotated[
        list[str] | None,
        typer.Option(
            "--add",
            help="A prospective order SIDE:CONTRACTS@PRICE (repeatable): the account before and after it.",
            metavar="SIDE:N@PRICE",
            rich_help_panel=WHAT_IF,
        ),
    ] = None,
    fail_within: Annotated[
        str | None,
        typer.Option(
            "--fail-within",
            help="Exit with code 4 when the account (after --add) is liquidated, or its liquidation price is within PCT percent of --price (5 or 5%).",
            metavar="PCT",
            rich_help_panel=ACCOUNT,
        ),
    ] = None,
    move: Annotated[
        list[str] | None,
        typer.Option(
            "--move",
            help="A price move applied to every position at once: -30% or -0.3 (repeatable).",
            metavar="MOVE",
            rich_help_panel=WHAT_IF,
        ),
    ] = None,
    scenario: Annotated[
        list[str] | None,
        typer.Option(
            "--scenario",
            help="A named move from BTC history, or all (repeatable; as in stress).",
            metavar="NAME",
            rich_help_panel=WHAT_IF,
        ),
    ] = None,
    usd_delta: Annotated[
        Decimal | None,
        typer.Option(
            "--usd-delta",
            help="Hedge advice: the trade, in the venue's contracts, that brings the book's USD delta to this many coin (0: dollar-neutral).",
            metavar="COIN",
            rich_help_panel=WHAT_IF,
        ),
    ] = None,
    contract_type: ContractTypeOpt = None,
    quote: QuoteOpt = None,
    multiplier: MultiplierOpt = None,
    settle_price: SettlePriceOpt = None,
    mmr: MmrOpt = None,
    mm_basis: BasisOpt = None,
    mm_deduction: DeductionOpt = None,
    taker_fee: TakerFeeOpt = None,
    tick: TickOpt = None,
    exchange: ExchangeOpt = None,
    live: Annotated[
        str | None,
        typer.Option(
            "--live",
            help="Read the open inverse positions and the balance from the venue (VENUE or VENUE:COIN, e.g. okx:ETH) "
            "with a read-only key (INVFUT_<VENUE>_API_KEY/_API_SECRET or 'invfut keys set'), in place of FILE.",
            metavar="VENUE",
            rich_help_panel="Live",
        ),
    ] = None,
    save: Annotated[
        str | None,
        typer.Option(
            "--save",
            help="With --live: write the account read to FILE (.toml or .json; never the key), to replay it offline.",
            metavar="FILE",
            rich_help_panel="Live",
        ),
    ] = None,
    timeout: TimeoutOpt = 10.0,
    vol: VolOpt = None,
    vol_from: VolFromOpt = None,
    horizon: HorizonOpt = None,
    drift: DriftOpt = None,
    explain: ExplainOpt = False,
    as_json: JsonOpt = False,
    fmt: FormatOpt = None,
    fields: FieldsOpt = None,
) -> None:
    """Several positions on one cross balance: equity, maintenance margin, USD delta and the account's
    liquidation price; --add shows an order's effect, --move/--scenario stress it, --usd-delta hedges it."""
    if file is None and live is None:
        raise DomainError("give the account FILE, or --live VENUE to read it from the venue")
    if price is None and live is None:
        raise DomainError("give the mark price now (a number, or live with the file's venue)", option="price")
    if save is not None and live is None:
        raise DomainError("--save writes what --live read; give --live VENUE", option="save")
    doc = run(**option_values(locals()))
    emit(explained(doc, explain), as_json, fmt)
    if doc["alert"]:
        raise typer.Exit(int(ExitCode.ALERT))


# --- --explain ------------------------------------------------------------------------------


def outcome_lines(doc: dict[str, Any], c: str, value: str) -> list[str]:
    """The account's liquidation price (or why there is none), free margin and effective
    leverage, and with ``--add`` how the orders move the price: the last formula steps of an
    inverse, linear or quanto account. ``c``: the margin currency; ``value``: the positions'
    value at ``P`` as a formula."""
    from invfut_cli.explain import n

    part = doc.get("after") or doc
    if part["liquidation_price"] is not None:
        lines = [
            f"liquidation price = {n(part['liquidation_price_exact'])}, shown {n(part['liquidation_price'])} "
            f"(liquidated at or {part['liquidation_side']} it); distance (P_liq − P)/P = {n(part['distance_pct'])}%"
        ]
    else:
        lines = [f"liquidation price: none ({part['reason']})"]
    lines.append(
        f"free margin = equity − MM = {n(part['free_margin'])} {c}; effective leverage {value} / equity = "
        f"{n(part['effective_leverage'])}"
    )
    if doc.get("after"):
        lines.append(
            f"with the orders the liquidation price moves from {n(doc['before']['liquidation_price'])} "
            f"to {n(doc['after']['liquidation_price'])} ({n(doc['liquidation_price_change'])})"
        )
    return lines


def explain_lines(doc: Doc) -> list[str]:
    """The formula steps of ``account`` with the document's numbers (of ``after`` with ``--add``)."""
    from invfut_cli.explain import n

    if doc.get("contract_type"):
        from invfut_cli.commands.account.linear import explain_linear

        return explain_linear(doc)
    part = doc.get("after") or doc
    c, p = doc["coin"], n(doc["price"])
    lines = [
        f"cross part: B = {n(part['balance'])} {c}, {part['cross_positions']} cross positions; "
        f"S = Σ sᵢ·Qᵢ = {n(part['net_size_usd'])} USD, A = Σ sᵢ·Qᵢ/Eᵢ = {n(part['net_entry_value'])} {c}",
        f"equity at P = {p}: B + A − S/P = {n(part['equity'])} {c}; USD delta B + A = {n(part['usd_delta'])} {c}; "
        f"coin delta S/P² = {n(part['coin_delta'])}, gamma −2S/P³ = {n(part['coin_gamma'])}",
    ]
    family = part["formula_family"]
    if family == "entry":
        lines.append(
            f"entry family: MM = Σ((mᵢ + f')·Qᵢ/Eᵢ − dᵢ) + c = {n(part['maintenance_margin'])} {c} "
            f"(c = F/BP, the fee to close at the bankruptcy price: {n(part['fee_to_close'])}); "
            f"P_liq = S / (B + A − MM)"
        )
    elif family == "mark":
        lines.append(
            f"mark family: MM(P) = Σ((mᵢ + f')·Qᵢ − Dᵢ)/P − Σdᵢ = {n(part['maintenance_margin'])} {c} at P; "
            f"P_liq = (S + Σ((mᵢ + f')·Qᵢ − Dᵢ)) / (B + A + Σdᵢ), tiers per position ({part['tier_rounds']} solve(s))"
        )
    lines.extend(outcome_lines(doc, c, "ΣQᵢ/P"))
    hedge = doc.get("hedge")
    if hedge:
        lines.append(
            f"hedge: Q = (USD delta − target)·P = ({n(hedge['usd_delta'])} − {n(hedge['target_usd_delta'])}) × {p} "
            f"= {n(hedge['exact_size_usd'])} USD, {hedge['side'] or 'no trade'} {n(hedge['contracts'])} contracts "
            f"(whole lots, rounded down); USD delta after {n(hedge['usd_delta_after'])} {c}"
        )
    if doc.get("rows"):
        lines.append(
            "each shock: P' = P·(1 + move), every position at once; margin to add = the balance that puts the "
            "liquidation price one price step beyond P', less B (rounded up to the satoshi)"
        )
    return lines


# --- the table ------------------------------------------------------------------------------


def draw_table(doc: Doc, console: Any) -> None:
    """The account's own table (:func:`invfut_cli.commands.account.table.draw_table`)."""
    from invfut_cli.commands.account.table import draw_table as draw

    draw(doc, console)
    if doc.get("venue_positions") is not None:
        draw_venue_lines(doc, console)
    if doc.get("liquidation_probability"):
        from invfut_cli.risk import probability_notes

        for line in probability_notes(doc):
            console.print(f"Account: {line}")


def draw_venue_lines(doc: Doc, console: Any) -> None:
    """``--live``: the venue's liquidation price beside invfut's, and the skipped positions."""
    for row in doc["venue_positions"]:
        flag = "  FLAGGED: more than 1% apart" if row["flagged"] else ""
        what = "estimated liquidation price" if row.get("venue_estimate") else "liquidation price"
        console.print(
            f"{row['name']}: venue's {what} {row['venue_liquidation_price']}, invfut's "
            f"{row['liquidation_price']}, difference {row['difference_steps']} step(s), {row['difference_pct']}%{flag}",
            soft_wrap=True,
            highlight=False,
        )
        if row.get("difference_reason"):
            console.print(f"  why: {row['difference_reason']}", soft_wrap=True, highlight=False)
    for row in doc["skipped"]:
        console.print(f"skipped {row['symbol']}: {row['reason']}", soft_wrap=True, highlight=False)
