"""Positions built from several fills, and partial closes (DOMAIN.md §3).

The entry of fills ``(Q_i, E_i)`` is the harmonic mean ``E = ΣQ_i / Σ(Q_i/E_i)``, not the
arithmetic one. BitMEX rounds each fill's coin value to 8 places first (a long's down, a
short's to the nearest). A partial close realises ``s·Q_closed·(1/E − 1/P)`` and leaves
``E`` unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_EVEN, Decimal

from .errors import DomainError
from .numbers import SATOSHI, exact
from .position import Position, Side


@dataclass(frozen=True)
class Fill:
    """``contracts`` filled at ``price_usd``."""

    contracts: Decimal
    price_usd: Decimal


@exact
def average_entry(
    fills: Sequence[Fill], contract_size_usd: Decimal, *, per_fill_satoshi: Side | None = None
) -> Decimal:
    """``ΣQ_i / Σ(Q_i/E_i)``; with ``per_fill_satoshi`` set to the side, each ``Q_i/E_i``
    is first rounded to the satoshi as BitMEX does (a long's down, a short's to the nearest)."""
    total_usd = sum((f.contracts * contract_size_usd for f in fills), Decimal(0))
    values = []
    for fill in fills:
        value = fill.contracts * contract_size_usd / fill.price_usd
        if per_fill_satoshi is not None:
            rounding = ROUND_FLOOR if per_fill_satoshi is Side.LONG else ROUND_HALF_EVEN
            value = value.quantize(SATOSHI, rounding=rounding)
        values.append(value)
    return total_usd / sum(values, Decimal(0))


@dataclass(frozen=True)
class PartialClose:
    """What closing part of a position realised, and what remains open."""

    closed_contracts: Decimal
    close_price_usd: Decimal
    realised_pnl_coin: Decimal
    remaining: Position


@exact
def close_part(position: Position, contracts: Decimal, price_usd: Decimal) -> PartialClose:
    """Close ``contracts`` at ``price_usd``: realise ``s·n·S·(1/E − 1/P)``; the rest keeps ``E``.

    Closing every contract is allowed: ``remaining`` then has 0 contracts. Closing more than
    the position holds is an error."""
    if contracts > position.contracts:
        raise DomainError(
            f"cannot close {contracts} contracts: only {position.contracts} are open",
            option="close",
        )
    closed = Position(position.side, contracts, position.contract_size_usd, position.entry_price_usd)
    remaining = Position(
        position.side, position.contracts - contracts, position.contract_size_usd, position.entry_price_usd
    )
    return PartialClose(contracts, price_usd, closed.pnl_coin(price_usd), remaining)


@exact
def close_in_order(position: Position, closes: Sequence[Fill]) -> tuple[PartialClose, ...]:
    """Apply ``closes`` one after the other: close ``k`` realises ``s·n_k·S·(1/E − 1/P_k)`` on
    what the closes before it left, and ``E`` never changes. The last one's ``remaining``
    is what stays open (0 contracts when they close it all)."""
    done: list[PartialClose] = []
    for close in closes:
        part = close_part(position, close.contracts, close.price_usd)
        done.append(part)
        position = part.remaining
    return tuple(done)
