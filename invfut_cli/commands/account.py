"""``invfut account``: several positions of one coin on one cross balance (DOMAIN.md §7, §8).

The command, its ``run`` and its ``--explain`` lines are here; the rest is in
:mod:`invfut_cli.account`: the option model (:mod:`~invfut_cli.account.inputs`), the account
file's models and reader (:mod:`~invfut_cli.account.file`), its positions as core holdings
(:mod:`~invfut_cli.account.holdings`), the calls into the core
(:mod:`~invfut_cli.account.compute`), the document (:mod:`~invfut_cli.account.document`) and
the table (:mod:`~invfut_cli.account.table`). The file is TOML or JSON (by extension; ``-``
reads JSON from stdin)::

    exchange = "bybit"          # optional: generic
    coin = "BTC"
    balance = 1.0               # the cross wallet balance, coin
    [[position]]
    name = "perp"               # optional
    side = "long"
    contracts = 20000           # with entry, or: fills = ["10000@59000", "10000@61000"]
    entry = 60000
    # contract_size = 1         # optional: the venue's
    # margin = 0.1 / leverage = 10: an isolated position with its own margin

A broken file is one error line naming the file, the position (by number and name) and the
field, with the config exit code (6); nothing is half-read. In ``batch`` the account is
given inline (``coin``, ``balance``, ``position``) or as ``file``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

import typer

from invfut_cli.account.file import AccountSource, parse_account, read_file
from invfut_cli.app import ExitCode, build, command, emit, explained, option_values
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
from invfut_cli.selection import FieldsOpt

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
    file = values.pop("file", None)
    inline = {k: values.pop(k) for k in INLINE if k in values}
    if file is not None and inline:
        from invfut_cli.core.errors import DomainError

        raise DomainError(f"give file, or the account inline ({', '.join(inline)}), not both", option="file")
    if file is not None:
        data, source = read_file(str(file))
    else:
        data, source = inline, AccountSource(None)
    account_file = parse_account(data, source)
    if values.get("exchange") is None and account_file.exchange is not None:
        values["exchange"] = account_file.exchange
    coin = account_file.coin.upper()
    from invfut_cli.account.compute import compute
    from invfut_cli.account.document import account_places, document
    from invfut_cli.account.holdings import holdings as file_holdings
    from invfut_cli.account.inputs import input_model
    from invfut_cli.rounding import step_for
    from invfut_cli.venues import GENERIC, find

    venue = find(values.get("exchange") or GENERIC.key)
    if venue is not None and venue.contract(coin) is None:
        raise source.fail("coin", venue.no_contract(coin))
    args = build(input_model(), coin=coin, **values)
    holdings, prices = file_holdings(account_file, args, source)
    step = step_for(args.tick, account_places(args, prices))
    outcome = compute(args, account_file.balance, holdings, step)
    return document(args, outcome, prices, None if file is None else str(file))


@command("account", example="invfut account examples/account.toml --price 60000 --add long:5000@60000")
def account_command(
    file: Annotated[
        str, typer.Argument(help="The account file: .toml or .json; - reads JSON from stdin.", metavar="FILE")
    ],
    price: Annotated[
        Decimal,
        typer.Option("--price", help="The mark price now, USD per coin.", metavar="PRICE", rich_help_panel=ACCOUNT),
    ],
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
    mmr: MmrOpt = None,
    mm_basis: BasisOpt = None,
    mm_deduction: DeductionOpt = None,
    taker_fee: TakerFeeOpt = None,
    tick: TickOpt = None,
    exchange: ExchangeOpt = None,
    explain: ExplainOpt = False,
    as_json: JsonOpt = False,
    fmt: FormatOpt = None,
    fields: FieldsOpt = None,
) -> None:
    """Several positions on one cross balance: equity, maintenance margin, USD delta and the account's
    liquidation price; --add shows an order's effect, --move/--scenario stress it, --usd-delta hedges it."""
    doc = run(**option_values(locals()))
    emit(explained(doc, explain), as_json, fmt)
    if doc["alert"]:
        raise typer.Exit(int(ExitCode.ALERT))


# --- --explain ------------------------------------------------------------------------------


def explain_lines(doc: Doc) -> list[str]:
    """The formula steps of ``account`` with the document's numbers (of ``after`` with ``--add``)."""
    from invfut_cli.explain import n

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
    if part["liquidation_price"] is not None:
        lines.append(
            f"liquidation price = {n(part['liquidation_price_exact'])}, shown {n(part['liquidation_price'])} "
            f"(liquidated at or {part['liquidation_side']} it); distance (P_liq − P)/P = {n(part['distance_pct'])}%"
        )
    else:
        lines.append(f"liquidation price: none ({part['reason']})")
    lines.append(
        f"free margin = equity − MM = {n(part['free_margin'])} {c}; effective leverage ΣQᵢ/P / equity = {n(part['effective_leverage'])}"
    )
    if doc.get("after"):
        lines.append(
            f"with the orders the liquidation price moves from {n(doc['before']['liquidation_price'])} "
            f"to {n(doc['after']['liquidation_price'])} ({n(doc['liquidation_price_change'])})"
        )
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
    """The account's own table (:func:`invfut_cli.account.table.draw_table`)."""
    from invfut_cli.account.table import draw_table as draw

    draw(doc, console)
