"""``invfut compare``: one position on several venues, side by side.

The typer function, the input model, the calls, the document and its ``--explain`` lines
are here; its tables are :mod:`invfut_cli.compare.table`. Each venue's row is built by the code
``liq-price`` runs (:func:`invfut_cli.commands.liq_price.run`) with ``--exchange``
set to that venue, so a row carries exactly the numbers ``invfut liq-price --exchange VENUE``
prints for the same position. Nothing is computed twice.

Contract sizes differ (a contract is $1 on Bybit, BitMEX and Kraken, $10 on Deribit, $100 on
Binance and OKX), so the position is best given as ``--size-usd`` or ``--size-coin``: each venue
buys the whole lots of its own contract that the size pays for, rounded down. ``--contracts N``
means N of each venue's own contracts. A leverage a venue does not allow for this size, or a
size that is not a whole number of its lots, gives that venue a row with ``allowed`` false, its
maximum leverage and the reason, not an error for the whole table.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

import typer

from invfut_cli.app import build, command, emit, explained, option_values
from invfut_cli.options import (
    POSITION,
    VENUE,
    BalanceOpt,
    CoinOpt,
    EntryOpt,
    ExplainOpt,
    FormatOpt,
    JsonOpt,
    LeverageOpt,
    MarginOpt,
    SideOpt,
    SizeCoinOpt,
    SizeUsdOpt,
)

Doc = dict[str, Any]

#: The keys of a ``liq-price`` document a row carries, as ``liq-price`` writes them.
FROM_LIQ_PRICE = (
    "size_asked",
    "size_usd",
    "margin_mode",
    "formula_family",
    "fee_treatment",
    "initial_margin",
    "collateral",
    "maintenance_margin",
    "order_cost",
    "liquidation_price",
    "liquidation_price_exact",
    "liquidation_price_estimate",
    "liquidation_price_estimate_exact",
    "estimate_distance_pct",
    "estimate_basis",
    "bankruptcy_price",
    "bankruptcy_price_exact",
    "distance_pct",
    "price_step",
    "tier",
    "reason",
    "bankruptcy_reason",
    "warnings",
)

#: The options that set the size: one of them is given.
SIZE_OPTIONS = ("size_usd", "size_coin", "contracts")
#: The options that set the margin: one of them is given.
MARGIN_OPTIONS = ("leverage", "margin", "balance")
#: Errors of one venue's row that refuse that venue only (its lots, its maximum leverage).
VENUE_OPTIONS = frozenset({"--leverage", "--contracts", "--size-usd", "--size-coin"})


# --- the options ---------------------------------------------------------------------------


def _input_model() -> Any:
    global _INPUT
    if _INPUT is None:
        _INPUT = _define_input()
    return _INPUT


_INPUT: Any = None


def _venues(value: Any) -> Any:
    """``--exchange bybit,binance`` (or a list, in ``batch``): the venues, each once, in order."""
    from invfut_cli.choices import ExchangeName
    from invfut_cli.models import conflict

    if value is None:
        return ()
    parts = value if isinstance(value, list | tuple) else [value]
    names: list[ExchangeName] = []
    for part in parts:
        for word in str(part.value if isinstance(part, ExchangeName) else part).split(","):
            name = word.strip().lower()
            if not name:
                continue
            if name not in set(ExchangeName):
                choices = ", ".join(e.value for e in ExchangeName)
                raise conflict("exchange", f"{name!r} is not a venue: choose from {choices}, separated by commas")
            if ExchangeName(name) not in names:
                names.append(ExchangeName(name))
    if not names:
        raise conflict("exchange", "name at least one venue, such as bybit,binance,okx")
    return tuple(names)


def _define_input() -> Any:
    from pydantic import BeforeValidator, model_validator

    from invfut_cli.choices import ExchangeName
    from invfut_cli.models import (
        Coin,
        CoinName,
        Count,
        Leverage,
        Model,
        Price,
        Side,
        conflict,
        size_amount,
    )

    def _size(option: str) -> Any:
        return BeforeValidator(lambda value: None if value is None else size_amount(value, option))

    class CompareInput(Model):
        """``invfut compare``'s options: the position once (its size in USD, in coin, or in
        each venue's own contracts; its margin as a leverage, a margin or a cross balance) and
        the venues (default: every preset with a contract of the coin)."""

        side: Side
        entry: Price
        size_usd: Annotated[Decimal | None, _size("size_usd")] = None
        size_coin: Annotated[Decimal | None, _size("size_coin")] = None
        contracts: Count | None = None
        leverage: Leverage | None = None
        margin: Coin | None = None
        balance: Coin | None = None
        coin: CoinName = "BTC"
        venues: Annotated[tuple[ExchangeName, ...], BeforeValidator(_venues)] = ()

        @model_validator(mode="before")
        @classmethod
        def _upper_coin(cls, data: Any) -> Any:
            if isinstance(data, dict) and isinstance(data.get("coin"), str):
                data = {**data, "coin": data["coin"].strip().upper()}
            return data

        @model_validator(mode="after")
        def _one_of_each(self) -> CompareInput:
            sizes = [n for n in SIZE_OPTIONS if getattr(self, n) is not None]
            if len(sizes) != 1:
                raise conflict(
                    sizes[1] if sizes else "size_usd",
                    "give one of --size-usd, --size-coin or --contracts (each venue's own contracts)",
                )
            margins = [n for n in MARGIN_OPTIONS if getattr(self, n) is not None]
            if len(margins) != 1:
                raise conflict(
                    margins[1] if margins else "leverage",
                    "give one of --leverage or --margin (isolated), or --balance (cross)",
                )
            from invfut_cli.venues import get

            for venue in self.venues:
                if get(venue).contract(self.coin) is None:
                    raise conflict("exchange", get(venue).no_contract(self.coin))
            return self

        @property
        def chosen(self) -> tuple[ExchangeName, ...]:
            """The venues named, or every preset with a contract of the coin."""
            if self.venues:
                return self.venues
            from invfut_cli.venues.presets import load

            return tuple(name for name, preset in load().presets.items() if self.coin in preset.coins)

        def position_values(self, venue: ExchangeName) -> dict[str, Any]:
            """The option values ``liq-price`` is given for ``venue``."""
            keys = ("side", "entry", *SIZE_OPTIONS, *MARGIN_OPTIONS, "coin")
            return {**{k: getattr(self, k) for k in keys}, "exchange": venue.value}

    return CompareInput


# --- the rows ------------------------------------------------------------------------------


def _venue_facts(venue: Any, coin: str) -> Doc:
    """The venue's name, contract symbol, contract size, lot and the taker fee in its
    liquidation price (the generic model: the textbook contract, and no fee unless given)."""
    from invfut_cli.models_margin import LiqInput
    from invfut_cli.venues import get

    where = get(venue)
    contract = where.contract(coin)
    assert contract is not None  # the input model checked the coin
    return {
        "name": where.name,
        "symbol": contract.symbol,
        "contract_size": contract.contract_size_usd,
        "lot": contract.lot,
        "fee_rate": where.defaults(coin, LiqInput.model_fields).get("taker_fee", Decimal(0)),
    }


def _contracts_for(args: Any, venue: Any) -> Decimal | None:
    """The venue's contracts for the size asked, as ``liq-price`` works them out (``None``
    when the size is less than one lot)."""
    from pydantic_core import PydanticCustomError

    from invfut_cli.models import preset_defaults, size_to_contracts
    from invfut_cli.models_margin import LiqInput

    if args.contracts is not None:
        return args.contracts
    try:
        data = size_to_contracts(preset_defaults(LiqInput, args.position_values(venue)))
    except PydanticCustomError:
        return None
    return data["contracts"]


def _max_leverage(args: Any, venue: Any, contracts: Decimal | None, contract_size: Decimal) -> Decimal | None:
    """The venue's maximum leverage for this size at entry (its tier's), as ``liq-price``
    checks it; ``None`` for the generic model or without contracts."""
    from invfut_cli.models import venue_leverage_limit

    found = None if contracts is None else venue_leverage_limit(venue, args.coin, contracts, args.entry, contract_size)
    return None if found is None else found[0]


def row_for(args: Any, venue: Any) -> Doc:
    """One venue's row: the ``liq-price`` document for the position on that venue, cut to
    the keys a comparison needs, with the contract's facts and the venue's maximum leverage
    at this size. A leverage the venue refuses, or a size that is not whole lots of it, gives
    a row with ``allowed`` false and the reason instead of prices."""
    from pydantic import ValidationError

    from invfut_cli import core
    from invfut_cli.app import describe_error
    from invfut_cli.commands.liq_price import run as run_liq_price
    from invfut_cli.rounding import shown_places, usd

    facts = _venue_facts(venue, args.coin)
    head: Doc = {"exchange": venue.value, **facts}
    try:
        doc = run_liq_price(**args.position_values(venue))
    except ValidationError as exc:
        option, _text, _code, details = describe_error(exc)
        if option not in VENUE_OPTIONS:
            raise
        contracts = _contracts_for(args, venue)
        size_usd = None
        if contracts is not None:
            position = core.Position(core.Side.LONG, contracts, facts["contract_size"], args.entry)
            size_usd = usd(position.size_usd, shown_places(args.entry))
        return {
            **head,
            "contracts": contracts,
            "size_coin": None,
            "allowed": False,
            "max_leverage": _max_leverage(args, venue, contracts, facts["contract_size"]),
            "leverage": args.leverage,
            **{key: None for key in FROM_LIQ_PRICE},
            "size_usd": size_usd,
            "reason": details[0][1],
            "warnings": [],
        }
    inputs = doc["inputs"]
    contracts = inputs["contracts"]
    return {
        **head,
        "contract_size": inputs["contract_size"],
        "fee_rate": inputs["taker_fee"],
        "contracts": contracts,
        "size_coin": None,
        "allowed": True,
        "max_leverage": _max_leverage(args, venue, contracts, inputs["contract_size"]),
        "leverage": inputs["leverage"],
        **{key: doc[key] for key in FROM_LIQ_PRICE},
    }


def _size_coin(row: Doc, entry: Decimal) -> Decimal | None:
    """The size bought in coin at the entry, ``Q/E``, to the satoshi."""
    from invfut_cli import core
    from invfut_cli.rounding import coin

    if row["contracts"] is None:
        return None
    position = core.Position(core.Side.LONG, row["contracts"], row["contract_size"], entry)
    return coin(position.value_coin(entry))


# --- the document --------------------------------------------------------------------------


def document(args: Any, rows: list[Doc]) -> Doc:
    """``invfut compare``: the position asked, and one row per venue (``rows``)."""
    from invfut_cli.rounding import shown_places, usd

    for row in rows:
        row["size_coin"] = _size_coin(row, args.entry)
    return {
        "command": "compare",
        "coin": args.coin,
        "inputs": {
            "side": args.side,
            "entry": args.entry,
            "size_usd": args.size_usd,
            "size_coin": args.size_coin,
            "contracts": args.contracts,
            "leverage": args.leverage,
            "margin": args.margin,
            "balance": args.balance,
            "exchange": [venue.value for venue in args.chosen],
        },
        "average_entry": usd(args.entry, shown_places(args.entry)),
        "margin_mode": "cross" if args.balance is not None else "isolated",
        "rows": rows,
    }


def run(**values: Any) -> Doc:
    """The ``compare`` document for these option values (``exchange``: the venues, comma-separated)."""
    venues = values.pop("exchange", None)
    args = build(_input_model(), venues=venues, **values)
    return document(args, [row_for(args, venue) for venue in args.chosen])


@command(
    "compare",
    example="invfut compare --side long --entry 60000 --size-usd 10000 --leverage 10\n"
    "invfut compare --side short --entry 3000 --coin ETH --size-coin 5",
)
def compare_command(
    side: SideOpt,
    entry: EntryOpt = None,
    size_usd: SizeUsdOpt = None,
    size_coin: SizeCoinOpt = None,
    contracts: Annotated[
        Decimal | None,
        typer.Option(
            "--contracts",
            help="Number of contracts, each venue's own (their sizes differ: $1 to $100); --size-usd compares "
            "like with like.",
            metavar="N",
            rich_help_panel=POSITION,
        ),
    ] = None,
    leverage: LeverageOpt = None,
    margin: MarginOpt = None,
    balance: BalanceOpt = None,
    exchange: Annotated[
        str | None,
        typer.Option(
            "--exchange",
            help="Venues to compare, separated by commas (bybit,binance,okx). (default: every preset with a "
            "contract of the coin)",
            metavar="NAMES",
            rich_help_panel=VENUE,
        ),
    ] = None,
    coin: CoinOpt = None,
    explain: ExplainOpt = False,
    as_json: JsonOpt = False,
    fmt: FormatOpt = None,
) -> None:
    """One position on several venues side by side: contracts bought, margin, fees and order cost,
    liquidation and bankruptcy prices, tier and maximum leverage, each as liq-price gives it."""
    emit(explained(run(**option_values(locals())), explain), as_json, fmt)


# --- --explain ------------------------------------------------------------------------------


def explain_lines(doc: Doc) -> list[str]:
    """The steps of ``compare``: how each venue's contracts follow from the size, and where
    its rule puts the prices (each row is ``liq-price --exchange VENUE``)."""
    from invfut_cli.explain import n

    i, c = doc["inputs"], doc["coin"]
    lines = ["each row is liq-price --exchange VENUE for the same side, entry, size and margin"]
    if i["size_usd"] is not None or i["size_coin"] is not None:
        asked = f"{n(i['size_usd'])} USD" if i["size_usd"] is not None else f"{n(i['size_coin'])} {c} × {n(i['entry'])}"
        lines.append(f"contracts = floor({asked} / (contract size × lot)) × lot: whole lots, rounded down")
    for row in doc["rows"]:
        venue = row["exchange"]
        if not row["allowed"]:
            lines.append(f"{venue}: not allowed: {row['reason']}")
            continue
        if row["formula_family"] == "none":
            where = (
                f"no liquidation price of its own; estimated {n(row['liquidation_price_estimate_exact'])}: "
                f"M + s·Q(1/E − 1/P) = (c + b·Q/P)·Q/P"
            )
        elif row["liquidation_price"] is None:
            where = f"no liquidation price ({row['reason']})"
        else:
            where = f"{row['formula_family']} family, liquidation {n(row['liquidation_price_exact'])}"
        cost = row["order_cost"]
        lines.append(
            f"{venue}: Q = {n(row['contracts'])} × {n(row['contract_size'])} = {n(row['size_usd'])} USD; {where}; "
            f"bankruptcy {n(row['bankruptcy_price_exact'])}"
            + ("" if cost is None else f"; order cost {n(cost['total'])} {c}")
        )
    return lines


# --- the table ------------------------------------------------------------------------------


def draw_table(doc: Doc, console: Any) -> None:
    """The venues' tables (:func:`invfut_cli.compare.table.draw_table`)."""
    from invfut_cli.compare.table import draw_table as draw

    draw(doc, console)
