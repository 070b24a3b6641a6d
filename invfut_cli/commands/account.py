"""``invfut account``: several positions of one coin on one cross balance (DOMAIN.md §7, §8).

Everything of the command is here: the account file's models and reader, the option model,
the call into the core (:mod:`invfut_cli.core.account`), the document, its table and its
``--explain`` lines. The file is TOML or JSON (by extension; ``-`` reads JSON from stdin)::

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

from invfut_cli import explain as _explain
from invfut_cli.app import ExitCode, batch, build, command, emit, explained, option_values
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
    from invfut_cli.core.account import AccountResult, Holding, MarginRule

Doc = dict[str, Any]

#: Decimal places of the coin delta (coin per USD) and gamma (coin per USD²) shown: their
#: values are small (1e-6 and 1e-10 for a BTC position of $20,000), so a satoshi is too coarse.
DELTA_PLACES = 12
GAMMA_PLACES = 16
#: The most positions the table draws; the JSON, NDJSON and CSV carry every one.
TABLE_POSITIONS = 500


# --- the file ------------------------------------------------------------------------------


def _models() -> Any:
    """The file's pydantic models, created on first use (start-up pays only for what it runs)."""
    global _MODELS
    if _MODELS is None:
        _MODELS = _define_models()
    return _MODELS


_MODELS: Any = None


def _define_models() -> Any:
    from pydantic import AliasChoices, BeforeValidator, Field

    from invfut_cli.choices import ExchangeName
    from invfut_cli.models import (
        MAX_COIN,
        Coin,
        CoinName,
        ContractSize,
        Count,
        FillSpec,
        Leverage,
        Model,
        Price,
        Side,
        parse_fill,
    )

    def _fills(value: Any) -> Any:
        """Fills as ``"CONTRACTS@PRICE"`` text or ``{contracts, price}`` tables."""
        if isinstance(value, list):
            return tuple(parse_fill(text, "fills") for text in value)
        return value

    # No model validator here: a plain model validates in pydantic's core, 10,000 positions in
    # a few milliseconds. What depends on several fields is checked by _holdings.
    class PositionEntry(Model):
        """One ``[[position]]`` of the file."""

        name: Annotated[str, Field(min_length=1, max_length=64)] | None = None
        side: Side
        contracts: Count | None = None
        entry: Price | None = None
        fills: Annotated[tuple[FillSpec, ...], BeforeValidator(_fills)] = ()
        contract_size: ContractSize | None = None
        margin: Coin | None = None
        leverage: Leverage | None = None
        coin: CoinName | None = None

    class AccountFile(Model):
        """The whole file."""

        exchange: ExchangeName | None = None
        coin: CoinName = "BTC"
        balance: Annotated[Decimal, Field(ge=0, le=MAX_COIN, allow_inf_nan=False)]
        position: Annotated[
            list[PositionEntry], Field(min_length=1, validation_alias=AliasChoices("position", "positions"))
        ]

    return PositionEntry, AccountFile


class AccountSource:
    """Where the account comes from: a file (errors are config errors naming it) or a batch
    line (errors are input errors naming ``position``)."""

    def __init__(self, label: str | None) -> None:
        self.label = label

    def fail(self, where: str, message: str) -> Exception:
        """The error for ``message`` about ``where`` (a field, or a position and its field)."""
        from invfut_cli.core.errors import DomainError
        from invfut_cli.errors import ConfigError

        text = f"{where}: {message}" if where else message
        if self.label is None:
            return DomainError(text, option="position" if where.startswith("position") else None)
        return ConfigError(self.label, text)


def read_file(file: str) -> tuple[dict[str, Any], AccountSource]:
    """The account file's data: ``.toml`` or ``.json`` by extension, ``-`` JSON from stdin;
    UTF-8, numbers as exact decimals. A file that cannot be read raises a config error."""
    import sys
    from pathlib import Path

    source = AccountSource("<stdin>" if file == "-" else file if file.strip() else repr(file))
    if file == "-":
        raw, kind = sys.stdin.buffer.read(), ".json"
    else:
        path = Path(file)
        kind = path.suffix.lower()
        if kind not in (".toml", ".json"):
            raise source.fail("", "an account file ends in .toml or .json (or is -, JSON on stdin)")
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise source.fail("", "no such file") from None
        except OSError as exc:
            raise source.fail("", f"cannot be read: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise source.fail("", f"not valid UTF-8 (byte {exc.start})") from None
    if kind == ".toml":
        from invfut_cli.datafile import parse_toml
        from invfut_cli.errors import DataFileError

        try:
            data: Any = parse_toml(text, file, parse_float=Decimal)
        except DataFileError as exc:
            raise source.fail("", exc.reason) from None
    else:
        import json

        try:
            data = json.loads(text, parse_float=Decimal)
        except json.JSONDecodeError as exc:
            raise source.fail("", f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    if not isinstance(data, dict):
        raise source.fail("", "expected a table (an object) with coin, balance and position")
    return data, source


def _position_label(data: dict[str, Any], index: int) -> str:
    positions = data.get("position", data.get("positions"))
    name = None
    if isinstance(positions, list) and index < len(positions) and isinstance(positions[index], dict):
        name = positions[index].get("name")
    return f"position {index + 1}" + (f" ({name!r})" if isinstance(name, str) and name else "")


def parse_account(data: dict[str, Any], source: AccountSource) -> Any:
    """``data`` validated as an account file; the first problem raises one error naming the
    position (by number and name) and the field."""
    from pydantic import ValidationError

    from invfut_cli.models import error_lines

    _entry, account_file = _models()
    try:
        return account_file.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        (_option, message), *_ = error_lines(exc)
        loc = list(err["loc"])
        field = (err.get("ctx") or {}).get("option")
        if len(loc) >= 2 and loc[0] in ("position", "positions") and isinstance(loc[1], int):
            rest = field or ".".join(str(p + 1) if isinstance(p, int) else str(p) for p in loc[2:])
            where = _position_label(data, loc[1]) + (f": {rest}" if rest else "")
        else:
            where = field or ".".join(str(p) for p in loc)
        if err["type"] == "extra_forbidden":
            message = "unknown field"
        elif err["type"] == "missing":
            message = "missing"
        elif err["type"] == "too_short" and where in ("position", "positions"):
            message = "no positions: give at least one [[position]] (a list of positions)"
        raise source.fail(where, message) from None


# --- the options ---------------------------------------------------------------------------

#: The help panels of the command's own options (the shared ones are in ``options``).
ACCOUNT = "Account"
WHAT_IF = "What if"


@dataclass(frozen=True)
class Addition:
    """``--add SIDE:CONTRACTS@PRICE``: a prospective cross position."""

    side: str
    contracts: Decimal
    price: Decimal


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


@dataclass(frozen=True)
class AccountOutcome:
    """What the command computed: the account (before any ``--add``), the account with the
    orders, the shocks (applied to the final account), and the hedge advice."""

    before: AccountResult
    after: AccountResult | None
    added: tuple[Addition, ...]
    shocks: tuple[Any, ...]
    hedge: Any
    hedged: AccountResult | None


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


# --- the document --------------------------------------------------------------------------


def _places(args: Any, prices: list[Decimal]) -> int:
    from invfut_cli.core.numbers import places_of

    written = [args.price, *(a.price for a in args.add), *prices]
    return min(8, max(2, *(places_of(p) for p in written)))


def _step(args: Any, places: int) -> Decimal:
    return args.tick if args.tick is not None else Decimal(1).scaleb(-places)


def position_docs(lines: Any, places: int, step: Decimal) -> list[Doc]:
    """The positions of an account document: PnL, exposure, coin delta and gamma, margins;
    an isolated one's own liquidation. The entry is echoed as written (an average of fills
    to 8 places)."""
    from invfut_cli.core.numbers import HUNDRED
    from invfut_cli.present import coin, pct, safe_price, usd

    docs = []
    for line in lines:
        position, result, sens = line.position, line.isolated, line.sensitivity
        entry = position.entry_price_usd
        exponent = entry.as_tuple().exponent
        doc: Doc = {
            "number": line.index + 1,
            "name": line.name,
            "side": position.side.value,
            "margin_mode": line.margin_mode.value,
            "contracts": position.contracts,
            "contract_size": position.contract_size_usd,
            "entry": entry if isinstance(exponent, int) and exponent >= -8 else usd(entry, 8),
            "pnl": coin(line.pnl_coin),
            "exposure": coin(sens.exposure_coin),
            "coin_delta": usd(sens.coin_delta_coin_per_usd, DELTA_PLACES),
            "coin_gamma": usd(sens.coin_gamma_coin_per_usd2, GAMMA_PLACES),
            "collateral": None,
            "leverage": None,
            "maintenance_margin": coin(line.maintenance_margin_coin),
            "tier_index": None if line.tier_index is None else line.tier_index + 1,
            "equity": None,
            "usd_delta": None,
            "liquidation_price": None,
            "liquidation_price_exact": None,
            "bankruptcy_price": None,
            "distance_pct": None,
            "liquidated": None,
            "reason": None,
        }
        if result is not None:
            price, margin = sens.price_usd, line.margin_coin
            liq = result.liquidation.price_usd
            doc.update(
                collateral=coin(margin),
                leverage=pct(position.size_usd / (entry * margin)),
                equity=coin(line.equity_coin),
                usd_delta=coin(sens.usd_delta_coin),
                liquidation_price=safe_price(liq, position.side, step),
                liquidation_price_exact=usd(liq, 8),
                bankruptcy_price=safe_price(result.bankruptcy.price_usd, position.side, step),
                distance_pct=None if liq is None else pct(HUNDRED * (liq - price) / price),
                liquidated=line.liquidated,
                reason=result.liquidation.reason,
            )
        docs.append(doc)
    return docs


def account_doc(result: AccountResult, places: int, step: Decimal) -> Doc:
    """The whole account at the price: the cross part's figures and every position."""
    from invfut_cli.core.position import Side
    from invfut_cli.present import coin, pct, safe_price, usd

    side = result.side or Side.LONG
    sens, terms = result.sensitivity, result.terms
    liq, bank = result.liquidation.price_usd, result.bankruptcy.price_usd
    return {
        "balance": coin(terms.balance_coin),
        "cross_positions": result.cross_count,
        "net_size_usd": usd(terms.signed_size_usd, places),
        "net_entry_value": coin(terms.signed_entry_value_coin),
        "equity": coin(result.equity_coin),
        "equity_usd": usd(result.equity_coin * result.price_usd, places),
        "maintenance_margin": coin(result.maintenance_margin_coin),
        "free_margin": coin(result.free_margin_coin),
        "effective_leverage": pct(result.effective_leverage),
        "exposure": coin(sens.exposure_coin),
        "usd_delta": coin(sens.usd_delta_coin),
        "coin_delta": usd(sens.coin_delta_coin_per_usd, DELTA_PLACES),
        "coin_gamma": usd(sens.coin_gamma_coin_per_usd2, GAMMA_PLACES),
        "formula_family": "none" if result.liquidated is None else result.basis.value,
        "fee_treatment": result.fee_treatment.value,
        "liquidation_price": safe_price(liq, side, step),
        "liquidation_price_exact": usd(liq, 8),
        "liquidation_side": None if result.side is None else ("below" if side is Side.LONG else "above"),
        "distance_pct": pct(result.distance_pct),
        "liquidated": result.liquidated,
        "reason": result.liquidation.reason,
        "bankruptcy_price": safe_price(bank, side, step),
        "bankruptcy_price_exact": usd(bank, 8),
        "fee_to_close": coin(terms.fee_to_close_coin),
        "tier_rounds": result.tier_rounds,
        "total_equity": coin(result.total_equity_coin),
        "total_usd_delta": coin(result.total_usd_delta_coin),
        "positions": position_docs(result.lines, places, step),
    }


def _alert(args: Any, result: AccountResult) -> Doc:
    """``--fail-within``: the account is liquidated now, or its liquidation price is within
    the limit of the price (DOMAIN.md §11)."""
    within = args.fail_within
    distance = result.distance_pct
    near = distance is not None and within is not None and abs(distance) <= within
    alert = within is not None and (bool(result.liquidated) or near)
    return {"fail_within_pct": within, "alert": alert}


def _shock_doc(row: Any, places: int, names: dict[int, str]) -> Doc:
    from invfut_cli.core.numbers import HUNDRED, SATOSHI, quantize
    from invfut_cli.present import coin, pct, usd
    from invfut_cli.present_workflows import coin_above

    margin = row.margin_to_add_coin
    if margin is not None:
        margin = coin_above(margin) if row.strict else quantize(margin, SATOSHI, "ROUND_CEILING")
    return {
        "scenario": row.name,
        "move_pct": pct(HUNDRED * row.move),
        "price": usd(row.price_usd, places),
        "equity": coin(row.equity_coin),
        "equity_usd": usd(row.equity_usd, places),
        "maintenance_margin": coin(row.maintenance_margin_coin),
        "effective_leverage": pct(row.effective_leverage),
        "liquidated": row.liquidated,
        "margin_to_add": margin,
        "total_equity": coin(row.total_equity_coin),
        "isolated_liquidated": [names[i] for i in row.isolated_liquidated],
        "reason": row.reason,
    }


def _hedge_doc(outcome: AccountOutcome, places: int, step: Decimal) -> Doc | None:
    from invfut_cli.core.position import Side
    from invfut_cli.present import coin, safe_price, usd

    hedge = outcome.hedge
    if hedge is None:
        return None
    hedged = outcome.hedged
    side = Side.LONG if hedged is None or hedged.side is None else hedged.side
    liq = None if hedged is None else hedged.liquidation.price_usd
    return {
        "target_usd_delta": hedge.target_coin,
        "usd_delta": coin(hedge.usd_delta_coin),
        "side": None if hedge.side is None else hedge.side.value,
        "contracts": hedge.contracts,
        "contract_size": hedge.contract_size_usd,
        "lot": hedge.lot,
        "size_usd": usd(hedge.size_usd, places),
        "exact_size_usd": usd(hedge.exact_size_usd, places),
        "usd_delta_after": coin(hedge.usd_delta_after_coin),
        "liquidation_price_after": safe_price(liq, side, step),
        "liquidation_price_after_exact": usd(liq, 8),
        "reason_after": None if hedged is None else hedged.liquidation.reason,
    }


def document(args: Any, outcome: AccountOutcome, prices: list[Decimal], file: str | None) -> Doc:
    """``invfut account``: the account (or ``before`` and ``after`` with ``--add``), the
    alert, the hedge advice and the shocks (``rows``; ``null`` without shocks)."""
    from invfut_cli.present import usd, venue

    places = _places(args, prices)
    step = _step(args, places)
    final = outcome.after or outcome.before
    names = {line.index: (line.name or f"position {line.index + 1}") for line in final.lines}
    echoed = {
        "file": file,
        "price": args.price,
        "mmr": args.mmr,
        "mm_basis": args.mm_basis.value,
        "mm_deduction": args.mm_deduction,
        "taker_fee": args.taker_fee,
        "tick": args.tick,
        "contract_size": args.contract_size,
        "add": [f"{a.side}:{a.contracts}@{a.price}" for a in args.add],
        "fail_within": args.fail_within,
        "move": list(args.move),
        "scenario": list(args.scenario),
        "usd_delta": args.usd_delta,
    }
    doc: Doc = {
        "command": "account",
        "coin": args.coin,
        **venue(args),
        "inputs": echoed,
        "price": usd(args.price, places),
        "price_step": step,
    }
    if outcome.after is None:
        doc.update(account_doc(outcome.before, places, step))
    else:
        before = account_doc(outcome.before, places, step)
        after = account_doc(outcome.after, places, step)
        doc["before"], doc["after"] = before, after
        doc["added"] = [
            {"side": a.side, "contracts": a.contracts, "price": usd(a.price, places)} for a in outcome.added
        ]
        shown = (before["liquidation_price"], after["liquidation_price"])
        exact = (before["liquidation_price_exact"], after["liquidation_price_exact"])
        doc["liquidation_price_change"] = None if None in shown else shown[1] - shown[0]
        doc["liquidation_price_exact_change"] = None if None in exact else exact[1] - exact[0]
    doc.update(_alert(args, final))
    doc["hedge"] = _hedge_doc(outcome, places, step)
    doc["rows"] = [_shock_doc(row, places, names) for row in outcome.shocks] if outcome.shocks else None
    return doc


# --- running -------------------------------------------------------------------------------

#: The account's own fields, when ``batch`` gives the account inline.
INLINE = ("coin", "balance", "position", "positions")


@batch("account")
def run_account(**values: Any) -> Doc:
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
    from invfut_cli.venues import GENERIC, find

    venue = find(values.get("exchange") or GENERIC.key)
    if venue is not None and venue.contract(coin) is None:
        raise source.fail("coin", venue.no_contract(coin))
    args = build(_input_model(), coin=coin, **values)
    holdings, prices = _holdings(account_file, args, source)
    step = _step(args, _places(args, prices))
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
    doc = run_account(**option_values(locals()))
    emit(explained(doc, explain), as_json, fmt)
    if doc["alert"]:
        raise typer.Exit(int(ExitCode.ALERT))


# --- --explain ------------------------------------------------------------------------------


def explain_lines(doc: Doc) -> list[str]:
    """The formula steps of ``account`` with the document's numbers (of ``after`` with ``--add``)."""
    n = _explain.n
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


_explain.register("account", explain_lines)


# --- the table ------------------------------------------------------------------------------


def draw_table(doc: Doc, console: Any) -> None:
    """Positions, then the account line(s) with the liquidation price highlighted, the shocks,
    the hedge advice and the notes, on the table renderer's console."""
    from invfut_cli.render.table import plain_table, text

    coin = doc["coin"]
    parts = [("after", doc["after"]), ("before", doc["before"])] if doc.get("after") else [("", doc)]
    positions = parts[0][1]["positions"]
    headers = [
        "#",
        "name",
        "side",
        "contracts",
        "entry",
        f"PnL {coin}",
        "liq. price",
        "mode",
        f"MM {coin}",
        f"exposure {coin}",
    ]
    rows = [
        [
            text(p["number"]),
            p["name"] or "",
            p["side"],
            text(p["contracts"]),
            text(p["entry"]),
            text(p["pnl"]),
            text(p["liquidation_price"]),  # a cross position's is the account's
            p["margin_mode"],
            text(p["maintenance_margin"]),
            text(p["exposure"]),
        ]
        for p in positions[:TABLE_POSITIONS]
    ]
    title = f"account {len(positions):,} position(s) at {text(doc['price'])}"
    console.print(plain_table(headers, rows, console.width, title))
    if len(positions) > TABLE_POSITIONS:
        console.print(
            f"(the first {TABLE_POSITIONS:,} of {len(positions):,} positions; --json or --format csv for every one)"
        )

    labels = [
        ("balance", f"Cross balance ({coin})"),
        ("equity", f"Equity ({coin})"),
        ("maintenance_margin", f"Maintenance margin ({coin})"),
        ("free_margin", f"Free margin ({coin})"),
        ("effective_leverage", "Effective leverage (x)"),
        ("usd_delta", f"USD delta ({coin})"),
        ("liquidation_price", "Liquidation price (USD)"),
        ("liquidation_price_exact", "  exact"),
        ("distance_pct", "Distance from the price (%)"),
        ("liquidated", "Liquidated now"),
        ("total_equity", f"Total equity, isolated too ({coin})"),
    ]
    rows = [
        [
            label,
            *(
                ("none" if part[key] is None and key == "liquidation_price" else text(part[key]))
                for _n, part in parts[::-1]
            ),
        ]
        for key, label in labels
    ]
    headers = ["account", *((name or "value") for name, _part in parts[::-1])]
    summary = plain_table(headers, rows, console.width, None)
    for column in summary.columns[1:]:
        column.justify = "right"
    # The liquidation price stands out (rich's row style; the renderer imports rich).
    summary.rows[[key for key, _ in labels].index("liquidation_price")].style = "bold reverse"
    console.print(summary)

    if doc.get("rows"):
        shock_rows = [
            [
                r["scenario"] or "",
                text(r["move_pct"]),
                text(r["price"]),
                text(r["equity"]),
                text(r["liquidated"]),
                text(r["margin_to_add"]),
                ", ".join(r["isolated_liquidated"]),
            ]
            for r in doc["rows"]
        ]
        console.print(
            plain_table(
                ["scenario", "move %", "price", f"equity {coin}", "liquidated", f"add {coin}", "isolated liquidated"],
                shock_rows,
                console.width,
                "shocks, every position at once",
            )
        )
    hedge = doc.get("hedge")
    if hedge:
        if hedge["side"] is None:
            console.print(
                f"Hedge: the USD delta {text(hedge['usd_delta'])} is within one lot of the target: no trade.",
                soft_wrap=True,
            )
        else:
            console.print(
                f"Hedge: {hedge['side']} {text(hedge['contracts'])} contracts ({text(hedge['size_usd'])} USD) brings the USD "
                f"delta from {text(hedge['usd_delta'])} to {text(hedge['usd_delta_after'])} {coin} "
                f"(target {text(hedge['target_usd_delta'])}); liquidation price then {text(hedge['liquidation_price_after'])}.",
                soft_wrap=True,
            )
    final = parts[0][1]
    if final["liquidated"]:
        console.print(
            "LIQUIDATED: the cross equity is at or below the maintenance margin at this price.",
            style="bold red",
            soft_wrap=True,
        )
    if final["reason"]:
        console.print(f"No liquidation price: {final['reason']}.", style="yellow", soft_wrap=True)
    if doc["fail_within_pct"] is not None:
        state = "ALERT: within" if doc["alert"] else "outside"
        console.print(
            f"{state} the {text(doc['fail_within_pct'])}% limit.", style="bold red" if doc["alert"] else "yellow"
        )
    for line in doc.get("explain") or []:
        console.print(line, soft_wrap=True)
