"""Fees, funding, and the exit price that reaches a net PnL (DOMAIN.md §4).

A trade fee in coin is ``rate·Q/price`` at the price of that fill; a maker rebate is a
negative rate. Funding per interval is ``rate·Q/mark``; a positive rate means longs pay
shorts. Closed (net) PnL = PnL − fee to open − fee to close − funding paid.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .numbers import ZERO, exact
from .position import Position, _pnl_coin


@exact
def trade_fee_coin(rate: Decimal, size_usd: Decimal, price_usd: Decimal) -> Decimal:
    """``rate·Q/P``: the fee of a fill of ``size_usd`` at ``price_usd`` (negative: a rebate)."""
    return rate * size_usd / price_usd


@exact
def funding_paid_coin(position: Position, rate: Decimal, periods: Decimal, mark_usd: Decimal) -> Decimal:
    """``s·rate·periods·Q/mark``: funding the position pays (negative: it receives)."""
    return position.side.sign * rate * periods * position.size_usd / mark_usd


@exact
def exit_for_net_pnl(
    position: Position,
    target_coin: Decimal = ZERO,
    *,
    open_fee_rate: Decimal = ZERO,
    close_fee_rate: Decimal = ZERO,
    funding_coin: Decimal = ZERO,
) -> Decimal | None:
    """The exit price where net PnL equals ``target_coin``.

    ``s·Q(1/E − 1/P) − fo·Q/E − fc·Q/P − F = x``  ⇒  ``P = (s + fc)·Q / ((s − fo)·Q/E − F − x)``.
    ``None`` where no positive price gives it (a long asking for more than ``Q/E``, say).
    With ``x = 0`` this is the break-even price.
    """
    s = position.side.sign
    size = position.size_usd
    numerator = (s + close_fee_rate) * size
    denominator = (s - open_fee_rate) * size / position.entry_price_usd - funding_coin - target_coin
    if numerator == ZERO or denominator == ZERO:
        return None
    price = numerator / denominator
    return price if price > ZERO else None


def break_even_price(
    position: Position,
    *,
    open_fee_rate: Decimal = ZERO,
    close_fee_rate: Decimal = ZERO,
    funding_coin: Decimal = ZERO,
) -> Decimal | None:
    """Exit price where PnL pays the fees and funding: net PnL is zero.

    Fees are ``fo·Q/E`` to open and ``fc·Q/P`` to close, funding ``F`` coin paid::

        P = Q·(1 + s·fc) / (Q/E·(1 − s·fo) − s·F)

    (``exit_for_net_pnl`` with a zero target). ``None`` when no positive price pays them all.
    """
    return exit_for_net_pnl(
        position, open_fee_rate=open_fee_rate, close_fee_rate=close_fee_rate, funding_coin=funding_coin
    )


@exact
def exit_for_usd_pnl(
    position: Position,
    target_usd: Decimal,
    *,
    open_fee_rate: Decimal = ZERO,
    close_fee_rate: Decimal = ZERO,
    funding_coin: Decimal = ZERO,
) -> Decimal | None:
    """The exit price where net PnL valued at that price equals ``target_usd``.

    ``net(P)·P = ((s − fo)·Q/E − F)·P − (s + fc)·Q = y``  ⇒
    ``P = (y + (s + fc)·Q) / ((s − fo)·Q/E − F)``; without fees ``P = E·(1 + y/(s·Q))``.
    ``None`` where that is not a positive price.
    """
    s = position.side.sign
    size = position.size_usd
    numerator = target_usd + (s + close_fee_rate) * size
    denominator = (s - open_fee_rate) * size / position.entry_price_usd - funding_coin
    if numerator == ZERO or denominator == ZERO:
        return None
    price = numerator / denominator
    return price if price > ZERO else None


@exact
def net_pnl_limit(position: Position, *, open_fee_rate: Decimal = ZERO, funding_coin: Decimal = ZERO) -> Decimal:
    """Net coin PnL as the price rises without bound: ``(s − fo)·Q/E − F``.

    The most a long can make, and the most a short can lose (with the sign of a loss).
    """
    return (position.side.sign - open_fee_rate) * position.size_usd / position.entry_price_usd - funding_coin


# The bodies of the functions :func:`net_pnl` calls (and ``_pnl_coin``, from .position): it
# runs under the core's context already, and a wrapped call checks the context in a frame of
# its own (a ``pnl`` batch line's hot path).
_trade_fee_coin = trade_fee_coin.__wrapped__  # type: ignore[attr-defined]
_exit_for_net_pnl = exit_for_net_pnl.__wrapped__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class NetPnl:
    """Gross PnL, the fees and funding, and what is left."""

    gross_coin: Decimal
    open_fee_coin: Decimal
    close_fee_coin: Decimal
    funding_coin: Decimal
    net_coin: Decimal
    break_even_usd: Decimal | None


@exact
def net_pnl(
    position: Position,
    exit_price_usd: Decimal,
    *,
    open_fee_rate: Decimal = ZERO,
    close_fee_rate: Decimal = ZERO,
    funding_coin: Decimal = ZERO,
) -> NetPnl:
    """Closed PnL at ``exit_price_usd``: ``PnL − fo·Q/E − fc·Q/P − F``, and the break-even exit."""
    size = position.size_usd
    open_fee = _trade_fee_coin(open_fee_rate, size, position.entry_price_usd)
    close_fee = _trade_fee_coin(close_fee_rate, size, exit_price_usd)
    gross = _pnl_coin(position, exit_price_usd)
    return NetPnl(
        gross_coin=gross,
        open_fee_coin=open_fee,
        close_fee_coin=close_fee,
        funding_coin=funding_coin,
        net_coin=gross - open_fee - close_fee - funding_coin,
        break_even_usd=_exit_for_net_pnl(
            position, open_fee_rate=open_fee_rate, close_fee_rate=close_fee_rate, funding_coin=funding_coin
        ),
    )
