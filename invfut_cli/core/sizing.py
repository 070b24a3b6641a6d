"""Sizing by risk: how many contracts lose a given amount of coin at the stop (DOMAIN.md §1, §4).

With ``n`` contracts of ``S`` USD (``Q = n·S``), entry ``E``, stop ``X`` and a taker fee
rate ``f`` paid to open (at ``E``) and to close (at ``X``), the loss at the stop is::

    loss(n) = |PnL(X)| + f·Q/E + f·Q/X = n·S·(|1/E − 1/X| + f/E + f/X)

It is linear in ``n``, so the size that loses exactly the risk ``R`` is
``n* = R / (S·(|1/E − 1/X| + f/E + f/X))``; the answer is ``n*`` rounded down to a whole
number of lots, so the loss never exceeds ``R`` and one more lot would.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from .errors import DomainError
from .fees import trade_fee_coin
from .numbers import HUNDRED, ONE, SATOSHI, ZERO, exact, quantize
from .position import Position, Side, change_pct


@exact
def side_for_stop(entry_price_usd: Decimal, stop_price_usd: Decimal, side: Side | None = None) -> Side:
    """The side a stop belongs to: a stop below the entry protects a long, above it a short.

    A given ``side`` must agree with the stop; a stop at the entry sizes nothing. Both
    mistakes raise :class:`DomainError` on ``stop``.
    """
    if stop_price_usd == entry_price_usd:
        raise DomainError(
            f"the stop ({stop_price_usd}) equals the entry price: there is no distance to size the position by",
            option="stop",
        )
    natural = Side.LONG if stop_price_usd < entry_price_usd else Side.SHORT
    if side is not None and side is not natural:
        where = "below" if side is Side.LONG else "above"
        raise DomainError(
            f"a {side.value}'s stop must lie {where} the entry price {entry_price_usd}, "
            f"but {stop_price_usd} is {'above' if where == 'below' else 'below'} it",
            option="stop",
        )
    return natural


@exact
def loss_at_stop_coin(
    contracts: Decimal, contract_size_usd: Decimal, entry_price_usd: Decimal, stop_price_usd: Decimal, fee_rate: Decimal
) -> Decimal:
    """``n·S·(|1/E − 1/X| + f/E + f/X)``: the loss at the stop with the taker fees both ways."""
    size = contracts * contract_size_usd
    price_loss = size * abs(ONE / entry_price_usd - ONE / stop_price_usd)
    return price_loss + trade_fee_coin(fee_rate, size, entry_price_usd) + trade_fee_coin(fee_rate, size, stop_price_usd)


@dataclass(frozen=True)
class RiskSizing:
    """The size that risks a given amount at the stop, and what it costs and needs."""

    side: Side
    contracts: Decimal
    contracts_exact: Decimal
    lot: Decimal
    size_usd: Decimal
    value_entry_coin: Decimal
    stop_distance_pct: Decimal
    pnl_at_stop_coin: Decimal
    open_fee_coin: Decimal
    close_fee_coin: Decimal
    loss_at_stop_coin: Decimal
    next_lot_loss_coin: Decimal
    initial_margin_coin: Decimal
    balance_coin: Decimal
    risk_coin: Decimal
    risk_pct: Decimal
    loss_at_stop_pct: Decimal
    min_leverage: Decimal


@exact
def size_by_risk(
    entry_price_usd: Decimal,
    stop_price_usd: Decimal,
    risk_coin: Decimal,
    contract_size_usd: Decimal,
    *,
    balance_coin: Decimal,
    leverage: Decimal,
    fee_rate: Decimal = ZERO,
    lot: Decimal = ONE,
    side: Side | None = None,
) -> RiskSizing:
    """Contracts that lose at most ``risk_coin`` at the stop, fees included.

    ``n* = R / (S·(|1/E − 1/X| + f/E + f/X))``, then ``n = lot·floor(n*/lot)``, so that
    ``loss(n) ≤ R < loss(n + lot)``. The side is the one of the stop (:func:`side_for_stop`).
    The initial margin is ``Q/(E·L)``; the stop distance ``100·(X − E)/E``. Against the
    balance ``B``: risk and loss in percent (``100·R/B``, ``100·loss/B``), and the lowest
    leverage whose initial margin the balance covers, ``Q/(E·B)``.
    Raises :class:`DomainError` on ``risk`` when the risk does not cover one lot.
    """
    side = side_for_stop(entry_price_usd, stop_price_usd, side)

    def loss(contracts: Decimal) -> Decimal:
        return loss_at_stop_coin(contracts, contract_size_usd, entry_price_usd, stop_price_usd, fee_rate)

    exact_contracts = risk_coin / loss(ONE)
    contracts = (exact_contracts / lot).to_integral_value(rounding=ROUND_FLOOR) * lot
    # The quotient is exact to 50 digits; settle a last-digit tie on the safe side.
    if contracts > ZERO and loss(contracts) > risk_coin:
        contracts -= lot
    elif loss(contracts + lot) <= risk_coin:
        contracts += lot
    if contracts < lot:
        raise DomainError(
            f"a risk of {risk_coin:f} coin does not cover one lot of {lot} contract(s): at this stop one lot "
            f"loses {quantize(loss(lot), SATOSHI)} coin with fees; risk more or move the stop closer",
            option="risk",
        )
    size = contracts * contract_size_usd
    position = Position(side, contracts, contract_size_usd, entry_price_usd)
    open_fee = trade_fee_coin(fee_rate, size, entry_price_usd)
    close_fee = trade_fee_coin(fee_rate, size, stop_price_usd)
    gain = position.pnl_coin(stop_price_usd)
    return RiskSizing(
        side=side,
        contracts=contracts,
        contracts_exact=exact_contracts,
        lot=lot,
        size_usd=size,
        value_entry_coin=position.value_coin(entry_price_usd),
        stop_distance_pct=change_pct(entry_price_usd, stop_price_usd),
        pnl_at_stop_coin=gain,
        open_fee_coin=open_fee,
        close_fee_coin=close_fee,
        loss_at_stop_coin=-gain + open_fee + close_fee,
        next_lot_loss_coin=loss(contracts + lot),
        initial_margin_coin=position.initial_margin_coin(leverage),
        balance_coin=balance_coin,
        risk_coin=risk_coin,
        risk_pct=HUNDRED * risk_coin / balance_coin,
        loss_at_stop_pct=HUNDRED * (-gain + open_fee + close_fee) / balance_coin,
        min_leverage=position.value_coin(entry_price_usd) / balance_coin,
    )
