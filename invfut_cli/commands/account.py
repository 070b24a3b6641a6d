"""``invfut account``: several positions of one coin on one cross balance (DOMAIN.md §7, §8).

The command, its option model, the call into the core (:mod:`invfut_cli.core.account`) and
its ``--explain`` lines are here; the account file's models and reader, the document and
the table are in :mod:`invfut_cli.account`. The file is TOML or JSON (by extension; ``-`` reads JSON from stdin)::

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

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

import typer

from invfut_cli.account.file import AccountSource, parse_account, read_file
from invfut_cli.account.outcome import AccountOutcome, Addition
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

if TYPE_CHECKING:
    from invfut_cli.core.account import Holding, MarginRule

Doc = dict[str, Any]


# --- the options ---------------------------------------------------------------------------

#: The help panels of the command's own options (the shared ones are in ``options``).
ACCOUNT = "Account"
WHAT_IF = "What if"


def _parse_addition(text: Any) -> Addition:
    from invfut_cli.models import FillSpec, conflict, parse_fill

    if isinstance(text, Addition):
        return text
    if isinstance(text, dict):
        side, rest = str(text.get("side", "")), {k: v for k, v in text.items() if k != "side"}
        fill = parse_fill(rest, "add")
    else:
        side, colon, rest_text = str(text).partition(":")
        if not colon:
            raise conflict("add", f"{text!r} is not SIDE:CONTRACTS@PRICE, such as short:10000@60000")
        fill = parse_fill(rest_text, "add")
    side = {"buy": "long", "sell": "short"}.get(side.strip().lower(), side.strip().lower())
    if side not in ("long", "short"):
        raise conflict("add", f"{text!r}: the side is long or short (buy or sell), as in short:10000@60000")
    assert isinstance(fill, FillSpec)
    return Addition(side, fill.contracts, fill.price)


def _input_model() -> Any:
    global _INPUT
    if _INPUT is None:
        _INPUT = _define_input()
    return _INPUT


_INPUT: Any = None


def _define_input() -> Any:
    from pydantic import Field, model_validator
    from pydantic_core import PydanticCustomError

    from invfut_cli.choices import ExchangeName
    from invfut_cli.models import (
        MAX_COIN,
        CoinName,
        ContractSize,
        MaintenanceInput,
        Price,
        check_venue_limits,
        conflict,
        preset_defaults,
    )
    from invfut_cli.models_workflows import Move, ScenarioName

    class AccountInput(MaintenanceInput):
        """``invfut account``'s options: the mark price, the rule (as ``liq-price``), the
        prospective orders, the alert limit, the shocks and the USD-delta target."""

        price: Price
        coin: CoinName = "BTC"
        exchange: ExchangeName = ExchangeName.generic
        contract_size: ContractSize = Decimal(1)
        add: tuple[Any, ...] = ()
        fail_within: Annotated[Decimal, Field(ge=0, le=1000, allow_inf_nan=False)] | None = None
        move: tuple[Move, ...] = ()
        scenario: tuple[ScenarioName, ...] = ()
        usd_delta: Annotated[Decimal, Field(ge=-MAX_COIN, le=MAX_COIN, allow_inf_nan=False)] | None = None

        @model_validator(mode="before")
        @classmethod
        def _prepare(cls, data: Any) -> Any:
            data = preset_defaults(cls, data)
            if isinstance(data, dict) and data.get("add"):
                data = {**data, "add": tuple(_parse_addition(text) for text in data["add"])}
            return data

        @model_validator(mode="after")
        def _lots(self) -> AccountInput:
            for added in self.add:
                try:
                    check_venue_limits(self.exchange, self.coin, added.contracts, added.price, self.contract_size, None)
                except PydanticCustomError as exc:  # a venue's lot: named on --add
                    raise conflict("add", f"{added.side}:{added.contracts}@{added.price}: {exc.message()}") from None
            return self

        @property
        def shocks(self) -> list[Any]:
            """The moves, then the scenarios asked for (each once; ``all`` for every one)."""
            from decimal import localcontext

            from invfut_cli.core.numbers import CORE_CONTEXT, HUNDRED
            from invfut_cli.core.stress import Shock
            from invfut_cli.scenarios import ALL, load

            scenarios = load()
            names: list[str] = []
            for name in self.scenario:
                for one in scenarios if name == ALL else [name]:
                    if one not in names:
                        names.append(one)
            with localcontext(CORE_CONTEXT):
                return [Shock(None, m) for m in self.move] + [Shock(n, scenarios[n].move_pct / HUNDRED) for n in names]

    return AccountInput


@dataclass(frozen=True)
class _ModeView:
    """The options seen in one margin mode, for :func:`invfut_cli.venues.rules.rule_for`."""

    args: Any
    margin_mode: Any

    def __getattr__(self, name: str) -> Any:
        return getattr(self.args, name)


def _rule(args: Any, mode: Any) -> MarginRule:
    """The venue's (or the flags') rule for ``mode``, exactly as ``liq-price`` picks it."""
    from invfut_cli.core.account import MarginRule, SizeRates
    from invfut_cli.venues.rules import rule_for

    rule = rule_for(_ModeView(args, mode))
    rates = rule.size_margins
    return MarginRule(
        spec=rule.spec,
        table=rule.table,
        size_rates=None
        if rates is None
        else SizeRates(rates.initial_base, rates.maintenance_base, rates.slope_per_coin),
        no_price_reason=rule.no_liquidation_reason,
    )


def _holdings(account_file: Any, args: Any, source: AccountSource) -> tuple[list[Holding], list[Decimal]]:
    """The file's positions as core holdings (contract size: the position's or the venue's;
    the entry of fills: their harmonic mean), checked (entry and contracts, or fills; margin
    or leverage; the account's coin; the venue's lots and maximum leverage); and the prices
    written in the file (for the places shown)."""
    from pydantic_core import PydanticCustomError

    from invfut_cli import core
    from invfut_cli.core.account import Holding
    from invfut_cli.models import check_venue_limits
    from invfut_cli.venues import get

    def label(index: int, entry: Any) -> str:
        return f"position {index + 1}" + (f" ({entry.name!r})" if entry.name else "")

    per_fill = get(args.exchange).per_fill_satoshi
    sides = {"long": core.Side.LONG, "short": core.Side.SHORT}
    holdings, prices = [], []
    for index, entry in enumerate(account_file.position):
        if entry.fills and (entry.entry is not None or entry.contracts is not None):
            raise source.fail(f"{label(index, entry)}: fills", "give fills, or entry with contracts, not both")
        if not entry.fills and (entry.entry is None or entry.contracts is None):
            field = "entry" if entry.entry is None else "contracts"
            raise source.fail(f"{label(index, entry)}: {field}", "missing: give entry and contracts, or fills")
        if entry.margin is not None and entry.leverage is not None:
            raise source.fail(
                f"{label(index, entry)}: margin", "give margin or leverage for an isolated position, not both"
            )
        if entry.coin is not None and entry.coin.upper() != args.coin:
            raise source.fail(f"{label(index, entry)}: coin", f"{entry.coin} is not the account's coin, {args.coin}")
        size = entry.contract_size if entry.contract_size is not None else args.contract_size
        side = sides[entry.side]
        if entry.fills:
            fills = [core.Fill(f.contracts, f.price) for f in entry.fills]
            price = core.average_entry(fills, size, per_fill_satoshi=side if per_fill else None)
            contracts = sum((f.contracts for f in entry.fills), Decimal(0))
            prices.extend(f.price for f in entry.fills)
        else:
            price, contracts = entry.entry, entry.contracts
            prices.append(price)
        try:
            check_venue_limits(args.exchange, args.coin, contracts, price, size, entry.leverage)
        except PydanticCustomError as exc:
            field = (exc.context or {}).get("option", "contracts")
            raise source.fail(f"{label(index, entry)}: {field}", exc.message()) from None
        position = core.Position(side, contracts, size, price)
        margin = entry.margin
        if margin is None and entry.leverage is not None:
            margin = position.initial_margin_coin(entry.leverage)
        holdings.append(Holding(position, margin, entry.leverage, entry.name))
    return holdings, prices


def compute(args: Any, balance: Decimal, holdings: list[Holding], step: Decimal) -> AccountOutcome:
    """The core calls: :func:`~invfut_cli.core.account.account` before and after the orders,
    :func:`~invfut_cli.core.account.stress_account` on the final account, and
    :func:`~invfut_cli.core.account.hedge_to_usd_delta` for ``--usd-delta`` (with the
    account after that trade)."""
    from invfut_cli import core
    from invfut_cli.core.account import Book, Holding, account, hedge_to_usd_delta, stress_account

    cross_rule, isolated_rule = _rule(args, core.MarginMode.CROSS), _rule(args, core.MarginMode.ISOLATED)
    book = Book(balance, tuple(holdings))
    before = account(book, args.price, cross_rule, isolated_rule)
    after = None
    if args.add:
        added = tuple(
            Holding(core.Position(core.Side(a.side), a.contracts, args.contract_size, a.price), name="added")
            for a in args.add
        )
        book = Book(balance, book.holdings + added)
        after = account(book, args.price, cross_rule, isolated_rule)
    final = after or before
    shocks: tuple[Any, ...] = ()
    if args.shocks:
        shocks = stress_account(book, cross_rule, isolated_rule, args.price, args.shocks, step)
    hedge = hedged = None
    if args.usd_delta is not None:
        from invfut_cli.venues import get

        lot = get(args.exchange).contract(args.coin).lot
        hedge = hedge_to_usd_delta(final.total_usd_delta_coin, args.usd_delta, args.price, args.contract_size, lot)
        if hedge.side is not None:
            trade = Holding(core.Position(hedge.side, hedge.contracts, args.contract_size, args.price), name="hedge")
            hedged = account(Book(balance, book.holdings + (trade,)), args.price, cross_rule, isolated_rule)
    return AccountOutcome(before, after, tuple(args.add), shocks, hedge, hedged)


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
    from invfut_cli.account.document import account_places, document
    from invfut_cli.rounding import step_for
    from invfut_cli.venues import GENERIC, find

    venue = find(values.get("exchange") or GENERIC.key)
    if venue is not None and venue.contract(coin) is None:
        raise source.fail("coin", venue.no_contract(coin))
    args = build(_input_model(), coin=coin, **values)
    holdings, prices = _holdings(account_file, args, source)
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
        Decimal | None,
        typer.Option(
            "--fail-within",
            help="Exit with code 4 when the account (after --add) is liquidated, or its liquidation price is within PCT percent of --price.",
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
