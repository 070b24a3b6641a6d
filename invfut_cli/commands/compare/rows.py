"""The rows of ``invfut compare``: one per venue, each the ``liq-price`` document for the
position on that venue (:func:`invfut_cli.commands.liq_price.run` with ``--exchange`` set),
cut to the keys a comparison needs, with the contract's facts and the venue's maximum
leverage at this size."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

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

#: Errors of one venue's row that refuse that venue only (its lots, its maximum leverage).
VENUE_OPTIONS = frozenset({"--leverage", "--contracts", "--size-usd", "--size-coin"})


def _venue_facts(venue: Any, coin: str) -> Doc:
    """The venue's name, contract symbol, contract size, lot and the taker fee in its
    liquidation price (the generic model: the textbook contract, and no fee unless given)."""
    from invfut_cli.inputs.margin import LiqInput
    from invfut_cli.venues import get

    where = get(venue)
    contract = where.contract(coin)
    assert contract is not None  # the input model checked the coin
    return {
        "name": where.name,
        "symbol": contract.symbol,
        "contract_size": contract.contract_size_usd,
        "lot": contract.lot,
        "fee_rate": where.defaults(coin, LiqInput).get("taker_fee", Decimal(0)),
    }


def _contracts_for(args: Any, venue: Any) -> Decimal | None:
    """The venue's contracts for the size asked, as ``liq-price`` works them out (``None``
    when the size is less than one lot)."""
    from pydantic_core import PydanticCustomError

    from invfut_cli.inputs.margin import LiqInput
    from invfut_cli.inputs.position import preset_defaults, size_to_contracts

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
    from invfut_cli.inputs.position import venue_leverage_limit

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


def size_coin(row: Doc, entry: Decimal) -> Decimal | None:
    """The size bought in coin at the entry, ``Q/E``, to the satoshi."""
    from invfut_cli import core
    from invfut_cli.rounding import coin

    if row["contracts"] is None:
        return None
    position = core.Position(core.Side.LONG, row["contracts"], row["contract_size"], entry)
    return coin(position.value_coin(entry))
