"""The account under price shocks, and the trade that hedges its USD delta (DOMAIN.md §7,
§8, §11).

A shock moves the reference price ``P0`` to ``P' = P0·(1 + m)`` for every position at once
(:func:`.stress.shocked_price`); the account is valued there (:func:`.account_valuation.account`)
and the balance to add is solved on the cross equation (:func:`.book.balance_for_liquidation_at`).
The hedge trades whole lots of the venue's contract toward a target USD delta.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from .account_valuation import account
from .book import Book, MarginRule, balance_for_liquidation_at
from .numbers import ONE, ZERO, exact
from .position import Side
from .stress import NO_BALANCE_HELPS, Shock, shocked_price


@dataclass(frozen=True)
class AccountShock:
    """One shock applied to every position at once: the cross part after it, the balance
    to add so that the shocked price is a price step on the safe side of the liquidation
    price, and the isolated positions (by index) the shock takes to or beyond theirs."""

    name: str | None
    move: Decimal
    price_usd: Decimal
    equity_coin: Decimal
    equity_usd: Decimal
    maintenance_margin_coin: Decimal
    effective_leverage: Decimal | None
    liquidated: bool | None
    margin_to_add_coin: Decimal | None
    strict: bool
    reason: str | None
    total_equity_coin: Decimal
    isolated_liquidated: tuple[int, ...]


@exact
def stress_account(
    book: Book,
    cross_rule: MarginRule,
    isolated_rule: MarginRule,
    reference_price_usd: Decimal,
    shocks: Iterable[Shock],
    step_usd: Decimal,
) -> tuple[AccountShock, ...]:
    """Each shock ``P' = P0·(1 + m)`` applied to the whole account (:func:`.account_valuation.account` at ``P'``).
    Margin to add (DOMAIN.md §11): ``max(0, B* − B)`` with ``B*`` from
    :func:`.book.balance_for_liquidation_at` at ``P' − step`` when the account is liquidated at or
    below its price, ``P' + step`` when at or above, so that the shocked price is at least
    one price step on the safe side of the new liquidation price."""
    rows = []
    for shock in shocks:
        price = shocked_price(reference_price_usd, shock.move)
        result = account(book, price, cross_rule, isolated_rule)
        margin: Decimal | None = None
        strict = False
        reason = result.liquidation.reason if result.liquidated is None else None
        if result.liquidated is not None and result.cross_count:
            side = result.side or Side.LONG
            target = price - side.sign * step_usd
            needed, strict = balance_for_liquidation_at(book, cross_rule, target)
            if needed is None:
                reason = NO_BALANCE_HELPS
            else:
                margin = max(needed - book.balance_coin, ZERO)
                strict = strict and margin > ZERO
        elif result.liquidated is not None:
            margin = ZERO
        rows.append(
            AccountShock(
                name=shock.name,
                move=shock.move,
                price_usd=price,
                equity_coin=result.equity_coin,
                equity_usd=result.equity_coin * price,
                maintenance_margin_coin=result.maintenance_margin_coin,
                effective_leverage=result.effective_leverage,
                liquidated=result.liquidated,
                margin_to_add_coin=margin,
                strict=strict,
                reason=reason,
                total_equity_coin=result.total_equity_coin,
                isolated_liquidated=tuple(line.index for line in result.lines if line.liquidated),
            )
        )
    return tuple(rows)


@dataclass(frozen=True)
class UsdDeltaHedge:
    """The trade that brings the USD delta to a target, in whole lots of the venue's contract
    (rounded toward less trading, so it never overshoots); ``side`` is ``None`` when less
    than one lot would be needed."""

    usd_delta_coin: Decimal
    target_coin: Decimal
    price_usd: Decimal
    side: Side | None
    contracts: Decimal
    contract_size_usd: Decimal
    lot: Decimal
    size_usd: Decimal
    exact_size_usd: Decimal
    usd_delta_after_coin: Decimal


@exact
def hedge_to_usd_delta(
    usd_delta_coin: Decimal, target_coin: Decimal, price_usd: Decimal, contract_size_usd: Decimal, lot: Decimal = ONE
) -> UsdDeltaHedge:
    """A position opened at ``P`` adds ``s·Q/P`` to the USD delta ``D``, so the target ``T``
    needs ``Q = (D − T)·P`` short (a long when negative); ``n = lot·floor(|Q|/(S·lot))``;
    the USD delta after is ``D + s·n·S/P``."""
    wanted = (usd_delta_coin - target_coin) * price_usd
    contracts = (abs(wanted) / (contract_size_usd * lot)).to_integral_value(rounding=ROUND_FLOOR) * lot
    side = None if contracts == ZERO else (Side.SHORT if wanted > ZERO else Side.LONG)
    size = contracts * contract_size_usd
    after = usd_delta_coin + (ZERO if side is None else side.sign * size / price_usd)
    return UsdDeltaHedge(
        usd_delta_coin=usd_delta_coin,
        target_coin=target_coin,
        price_usd=price_usd,
        side=side,
        contracts=contracts,
        contract_size_usd=contract_size_usd,
        lot=lot,
        size_usd=size,
        exact_size_usd=abs(wanted),
        usd_delta_after_coin=after,
    )
