"""What an order costs, the largest order a balance opens, and the margin that puts the
liquidation price where it is wanted (DOMAIN.md §9 and §10).

Order cost (Bybit, BitMEX): the initial margin, the fee to open, and the fee to close at
the isolated bankruptcy price, that price rounded to the tick away from the trader (a
long's up, a short's down)::

    cost = Q/(E·L) + f·Q/E + f·Q/BP,    BP = s·Q / (Q/(E·L) + s·Q/E)

Bybit rounds each part to the satoshi and then adds them; the exact sum is kept beside
that. Its published check: long 10,000 at 6,400, 25×, f = 0.075%:
0.0625 + 0.00117188 + 0.00121872 = 0.06489060 BTC (BP 6,154).

Margin for a chosen liquidation price ``P*``: the liquidation equation of
:mod:`.margin` solved for the collateral ``C`` instead of the price::

    C + s·Q/E − s·Q/P* = a·Q/E + b·Q/P* + k   ⇒   C = (s + b)·Q/P* − (s − a)·Q/E + k

Entry family ``M = s·Q/P* − s·Q/E + m·Q/E − d + c``; mark family
``M = Q·(s + m + f)/P* − d − s·Q/E``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from .errors import DomainError
from .margin import MaintenanceSpec, collateral_for_liquidation, solve_price
from .numbers import NOISE, ONE, SATOSHI, ZERO, exact, quantize
from .position import Position, Side

__all__ = [
    "LargestOrder",
    "OrderCost",
    "TargetMargin",
    "charged_coin",
    "largest_order",
    "margin_for_liquidation",
    "order_cost",
]


def charged_coin(value: Decimal) -> Decimal:
    """A coin amount as a venue charges it: to the satoshi, nearest, a half rounding up
    (``ROUND_HALF_UP`` after dropping the context's noise below :data:`NOISE`)."""
    return quantize(quantize(value, NOISE), SATOSHI, ROUND_HALF_UP)


@dataclass(frozen=True)
class OrderCost:
    """The coin an order holds back: exact parts, and each part as charged (to the satoshi).

    ``bankruptcy_price_usd`` is the isolated bankruptcy price at the leverage;
    ``fee_price_usd`` the price the fee to close is charged at (that price rounded to the
    tick away from the trader). Both are ``None`` for a short that is never bankrupt
    (``L ≤ 1``): it holds no fee to close, and ``reason`` says so.
    """

    side: Side
    size_usd: Decimal
    entry_price_usd: Decimal
    leverage: Decimal
    fee_rate: Decimal
    bankruptcy_price_usd: Decimal | None
    fee_price_usd: Decimal | None
    initial_margin_coin: Decimal
    open_fee_coin: Decimal
    close_fee_coin: Decimal
    total_coin: Decimal
    charged_initial_margin_coin: Decimal
    charged_open_fee_coin: Decimal
    charged_close_fee_coin: Decimal
    charged_total_coin: Decimal
    reason: str | None = None


def _fee_price(bankruptcy: Decimal | None, side: Side, tick_usd: Decimal | None) -> Decimal | None:
    """The bankruptcy price on the tick, away from the trader: a long's up, a short's down
    (a short's price below one tick stays as it is rather than become 0)."""
    if bankruptcy is None or tick_usd is None:
        return bankruptcy
    settled = quantize(bankruptcy, NOISE)
    rounded = quantize(settled, tick_usd, ROUND_CEILING if side is Side.LONG else ROUND_FLOOR)
    return rounded if rounded > ZERO else bankruptcy


@exact
def order_cost(
    position: Position, leverage: Decimal, fee_rate: Decimal, *, tick_usd: Decimal | None = None
) -> OrderCost:
    """What opening ``position`` at ``leverage`` holds back, with taker fee rate ``f``.

    ``IM = Q/(E·L)``; fee to open ``f·Q/E``; fee to close ``f·Q/BP'``, with
    ``BP = s·Q/(IM + s·Q/E)`` (long ``E·L/(L + 1)``, short ``E·L/(L − 1)``) and ``BP'``
    that price rounded to ``tick_usd`` away from the trader (unrounded without a tick).
    ``total = IM + f·Q/E + f·Q/BP'``; ``charged_total`` is the sum of the parts each
    rounded to the satoshi (:func:`charged_coin`). A short at ``L ≤ 1`` is never bankrupt
    and holds no fee to close.
    """
    if leverage <= ZERO:
        raise DomainError("the leverage must be above 0", option="leverage")
    size = position.size_usd
    entry = position.entry_price_usd
    initial = position.initial_margin_coin(leverage)
    open_fee = fee_rate * size / entry
    bankrupt = solve_price(position, initial)
    fee_price = _fee_price(bankrupt, position.side, tick_usd)
    close_fee = ZERO if fee_price is None else fee_rate * size / fee_price
    reason = (
        None
        if bankrupt is not None
        else "a short at 1x or less is never bankrupt (its margin covers the position at every price): "
        "no fee to close is held"
    )
    parts = (charged_coin(initial), charged_coin(open_fee), charged_coin(close_fee))
    return OrderCost(
        side=position.side,
        size_usd=size,
        entry_price_usd=entry,
        leverage=leverage,
        fee_rate=fee_rate,
        bankruptcy_price_usd=bankrupt,
        fee_price_usd=fee_price,
        initial_margin_coin=initial,
        open_fee_coin=open_fee,
        close_fee_coin=close_fee,
        total_coin=initial + open_fee + close_fee,
        charged_initial_margin_coin=parts[0],
        charged_open_fee_coin=parts[1],
        charged_close_fee_coin=parts[2],
        charged_total_coin=parts[0] + parts[1] + parts[2],
        reason=reason,
    )


@dataclass(frozen=True)
class LargestOrder:
    """The largest order ``balance_coin`` opens: its contracts and cost, and what one lot
    more would cost; ``contracts`` is ``None``, with a reason, when not even one lot fits."""

    balance_coin: Decimal
    lot: Decimal
    contracts: Decimal | None
    cost: OrderCost | None
    one_more_lot: OrderCost
    reason: str | None = None


@exact
def largest_order(
    side: Side,
    entry_price_usd: Decimal,
    contract_size_usd: Decimal,
    leverage: Decimal,
    fee_rate: Decimal,
    balance_coin: Decimal,
    *,
    lot: Decimal = ONE,
    tick_usd: Decimal | None = None,
) -> LargestOrder:
    """The biggest whole number of lots ``n`` whose charged cost (:func:`order_cost`,
    parts rounded to the satoshi, then added) is at most the balance ``B``.

    The cost of ``n`` lots is ``n·lot·S·(1/(E·L) + f/E + f/BP')`` before rounding, so
    ``n ≈ B / (lot·S·(1/(E·L) + f/E + f/BP'))``; the charged cost never falls as ``n``
    grows, and a bisection around that estimate finds the exact ``n``.
    """
    if balance_coin <= ZERO:
        raise DomainError("the balance must be above 0", option="balance")
    if lot <= ZERO:
        raise DomainError("the lot must be above 0", option="lot")

    def cost_of(lots: Decimal) -> OrderCost:
        return order_cost(
            Position(side, lots * lot, contract_size_usd, entry_price_usd), leverage, fee_rate, tick_usd=tick_usd
        )

    one = cost_of(ONE)
    if one.total_coin <= ZERO:
        raise DomainError("with this fee rate an order costs nothing: there is no largest order", option="taker_fee")
    # Rounding each of three parts moves the charged cost by at most 1.5 satoshi.
    slack = 2 * SATOSHI
    low, high = ZERO, ((balance_coin + slack) / one.total_coin).to_integral_value(ROUND_FLOOR) + ONE
    # cost_of(low) ≤ B (no lots cost nothing); cost_of(high) > B. Bisect.
    while high - low > ONE:
        middle = ((low + high) / 2).to_integral_value(ROUND_FLOOR)
        if cost_of(middle).charged_total_coin <= balance_coin:
            low = middle
        else:
            high = middle
    after = cost_of(low + ONE)
    if low == ZERO:
        return LargestOrder(
            balance_coin,
            lot,
            None,
            None,
            after,
            f"the balance does not cover one lot of {lot} contract(s): that costs {after.charged_total_coin} coin",
        )
    return LargestOrder(balance_coin, lot, low * lot, cost_of(low), after)


@dataclass(frozen=True)
class TargetMargin:
    """The collateral that puts the liquidation price at ``target_price_usd``, exact.

    ``margin_coin`` is ``None``, with a reason, where no positive collateral does;
    ``fee_to_close_coin`` is the fee term ``c`` that collateral carries (Bybit cross) and
    ``leverage`` the leverage it amounts to at entry, ``Q/(E·M)``; ``margin_to_add_coin``
    is ``M − C`` against the collateral ``C`` given (negative: more than needed is posted).
    """

    target_price_usd: Decimal
    margin_coin: Decimal | None
    fee_to_close_coin: Decimal
    leverage: Decimal | None
    margin_to_add_coin: Decimal | None = None
    reason: str | None = None


def _none(target: Decimal, reason: str) -> TargetMargin:
    return TargetMargin(target, None, ZERO, None, None, reason)


@exact
def margin_for_liquidation(
    position: Position,
    target_price_usd: Decimal,
    spec: MaintenanceSpec,
    *,
    collateral_coin: Decimal | None = None,
) -> TargetMargin:
    """The collateral ``M`` whose liquidation price (:func:`.margin.liquidation`) is ``P*``
    (solved by :func:`.margin.collateral_for_liquidation`).

    Entry family ``M = s·Q/P* − s·Q/E + m'·Q/E − d' + c``, with ``m' = m (+ f where the
    fee is added to the rate)``, ``d' = d + D/E`` and ``c`` the fee to close at the
    bankruptcy price ``BP = (s + f)·Q/(M + s·Q/E)`` where the venue charges it there
    (Bybit cross). ``c = f·Q/BP = f·(M + s·Q/E)/(s + f)`` is linear in ``M``, so
    ``M = (s + f)/s · (s·Q/P* − s·Q/E + m'·Q/E − d') + f·Q/E``; a short whose ``M`` comes
    to ``Q/E`` or more is never bankrupt, carries ``c = 0`` and takes the plain formula.
    Mark family ``M = Q·(s + m + f)/P* − D/P* − d − s·Q/E`` (``f`` only where the fee is
    added to the rate). No such margin where ``P*`` is not on the liquidation side of the
    entry (a long's below, a short's above) or ``M ≤ 0``. With ``collateral_coin`` ``C``,
    the margin to add is ``M − C``.
    """
    side = position.side
    s = side.sign
    size = position.size_usd
    entry = position.entry_price_usd
    target = target_price_usd
    if target <= ZERO:
        raise DomainError("the target liquidation price must be above 0", option="target_liquidation")
    if (target - entry) * s >= ZERO:
        where = "below" if side is Side.LONG else "above"
        return _none(
            target,
            f"a {side.value}'s liquidation price lies {where} its entry ({entry}): no margin puts it at {target}",
        )
    answer = collateral_for_liquidation(position, spec, target)
    if answer is None:
        return _none(target, f"no margin puts the liquidation price at {target}: it does not move with the margin")
    margin, fee_term = answer.collateral_coin, answer.fee_to_close_coin
    if margin <= ZERO:
        return _none(
            target,
            f"the margin for a liquidation price of {target} comes to zero or less: "
            "the maintenance deduction alone keeps the position above it",
        )
    to_add = None if collateral_coin is None else margin - collateral_coin
    return TargetMargin(target, margin, fee_term, size / (entry * margin), to_add)
