"""The account file's positions as core holdings, checked against the options and the venue."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from invfut_cli.inputs.account.file import AccountSource, label

if TYPE_CHECKING:
    from invfut_cli.core.book import Holding


def check_entry(where: str, entry: Any, coin: str, source: AccountSource) -> None:
    """What a position of any contract type must say: entry and contracts, or fills; margin or
    leverage, not both; no coin but the account's. ``where`` is its :func:`label`."""
    if entry.fills and (entry.entry is not None or entry.contracts is not None):
        raise source.fail(f"{where}: fills", "give fills, or entry with contracts, not both")
    if not entry.fills and (entry.entry is None or entry.contracts is None):
        field = "entry" if entry.entry is None else "contracts"
        raise source.fail(f"{where}: {field}", "missing: give entry and contracts, or fills")
    if entry.margin is not None and entry.leverage is not None:
        raise source.fail(f"{where}: margin", "give margin or leverage for an isolated position, not both")
    if entry.coin is not None and entry.coin.upper() != coin:
        raise source.fail(f"{where}: coin", f"{entry.coin} is not the account's coin, {coin}")


def holdings(account_file: Any, args: Any, source: AccountSource) -> tuple[list[Holding], list[Decimal]]:
    """The file's positions as core holdings (contract size: the position's or the venue's;
    the entry of fills: their harmonic mean), checked (entry and contracts, or fills; margin
    or leverage; the account's coin; the venue's lots and maximum leverage); and the prices
    written in the file (for the places shown)."""
    from pydantic_core import PydanticCustomError

    from invfut_cli import core
    from invfut_cli.core.book import Holding
    from invfut_cli.inputs.position import check_venue_limits
    from invfut_cli.venues import get

    per_fill = get(args.exchange).per_fill_satoshi
    sides = {"long": core.Side.LONG, "short": core.Side.SHORT}
    found, prices = [], []
    for index, entry in enumerate(account_file.position):
        check_entry(label(index, entry.name), entry, args.coin, source)
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
            raise source.fail(f"{label(index, entry.name)}: {field}", exc.message()) from None
        position = core.Position(side, contracts, size, price)
        margin = entry.margin
        if margin is None and entry.leverage is not None:
            margin = position.initial_margin_coin(entry.leverage)
        found.append(Holding(position, margin, entry.leverage, entry.name))
    return found, prices
