"""An isolated position's liquidation and bankruptcy prices from plain numbers (DOMAIN.md §5),
and the quotient every price of the core comes to: :mod:`.margin` states the rule and calls
these, and a ``batch`` line that asks for the liquidation price alone calls
:func:`isolated_liquidation_price` directly."""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from .numbers import ZERO, exact


@exact
def solve_quotient(numerator_usd: Decimal, denominator_coin: Decimal) -> Decimal | None:
    """The price ``P`` where ``X − Y/P = 0``: ``P = Y/X``, with ``Y = numerator_usd`` and
    ``X = denominator_coin``.

    Every price here comes to this form: equity less the requirement is ``X − Y/P``, a
    constant in coin less a USD amount valued at ``P`` (one position in :func:`isolated_prices`
    and :func:`.margin.solve_price`, an account's cross positions in :mod:`.book`). ``None``
    where ``X`` or ``Y`` is zero or the quotient is not a positive price.
    """
    if denominator_coin == ZERO or numerator_usd == ZERO:
        return None
    price = numerator_usd / denominator_coin
    return price if price > ZERO else None


#: Its body, for the functions here, which call it already under the core's context.
_quotient = solve_quotient.__wrapped__  # type: ignore[attr-defined]


def price_where(
    s: int,
    size: Decimal,
    entry: Decimal,
    collateral: Decimal,
    entry_rate: Decimal = ZERO,
    price_rate: Decimal = ZERO,
    fixed: Decimal = ZERO,
) -> Decimal | None:
    """The price where the equity ``C + s·Q/E − s·Q/P`` of ``s·Q`` entered at ``E`` equals
    ``a·Q/E + b·Q/P + k`` (``a``: ``entry_rate``, ``b``: ``price_rate``, ``k``: ``fixed``):
    ``P = (s + b)·Q / (C + (s − a)·Q/E − k)``, by :func:`_quotient`. Every price of a single
    position is this equation (:func:`.margin.solve_price` for a :class:`.position.Position`);
    the caller runs it under the core's context."""
    return _quotient((s + price_rate) * size, collateral + (s - entry_rate) * size / entry - fixed)


class LiquidationPrices(NamedTuple):
    """The liquidation and bankruptcy prices (``None``: no such price) and the fee to close
    at the bankruptcy price that the entry family's maintenance margin holds."""

    liquidation: Decimal | None
    bankruptcy: Decimal | None
    fee_to_close_coin: Decimal


@exact
def isolated_prices(
    sign: int,
    size_usd: Decimal,
    entry_usd: Decimal,
    collateral_coin: Decimal,
    rate: Decimal,
    fee_at_bankruptcy: Decimal,
    entry_family: bool,
    deduction_coin: Decimal = ZERO,
    deduction_usd: Decimal = ZERO,
) -> LiquidationPrices:
    """The liquidation and bankruptcy prices of ``s·Q`` entered at ``E`` and backed by ``C``,
    from plain numbers, each by :func:`price_where`. Bankruptcy
    ``BP = (s + f)·Q / (C + s·Q/E)`` where equity reaches the fee to close (or zero),
    ``c = f·Q/BP``; liquidation, entry family (``entry_family``)
    ``P = s·Q / (C + (s − m')·Q/E − c + d')`` with ``d' = d + D/E``, mark family
    ``P = (s + m' − D/Q)·Q / (C + s·Q/E + d)``. ``m'``: ``rate``; ``f``: ``fee_at_bankruptcy``;
    ``d``, ``D``: the deductions in coin and USD."""
    bankrupt = _bankruptcy(sign, size_usd, entry_usd, collateral_coin, fee_at_bankruptcy)
    fee_to_close = ZERO if bankrupt is None else fee_at_bankruptcy * size_usd / bankrupt
    liquidation_usd = _liquidation(
        sign, size_usd, entry_usd, collateral_coin, rate, entry_family, fee_to_close, deduction_coin, deduction_usd
    )
    return LiquidationPrices(liquidation_usd, bankrupt, fee_to_close)


@exact
def isolated_liquidation_price(
    sign: int,
    size_usd: Decimal,
    entry_usd: Decimal,
    collateral_coin: Decimal,
    rate: Decimal,
    fee_at_bankruptcy: Decimal,
    entry_family: bool,
    deduction_coin: Decimal = ZERO,
    deduction_usd: Decimal = ZERO,
) -> Decimal | None:
    """The liquidation price of :func:`isolated_prices` alone (``None``: no such price), for a
    ``batch`` line that asks for nothing else: the bankruptcy price is worked out only where
    the entry family's fee to close needs it."""
    fee_to_close = ZERO
    if entry_family and fee_at_bankruptcy:
        bankrupt = _bankruptcy(sign, size_usd, entry_usd, collateral_coin, fee_at_bankruptcy)
        if bankrupt is not None:
            fee_to_close = fee_at_bankruptcy * size_usd / bankrupt
    return _liquidation(
        sign, size_usd, entry_usd, collateral_coin, rate, entry_family, fee_to_close, deduction_coin, deduction_usd
    )


def _bankruptcy(s: int, size: Decimal, entry: Decimal, collateral: Decimal, fee: Decimal) -> Decimal | None:
    """``BP = (s + f)·Q / (C + s·Q/E)``: equity reaches the fee to close, ``b = f``."""
    return price_where(s, size, entry, collateral, ZERO, fee)


def _liquidation(
    s: int,
    size: Decimal,
    entry: Decimal,
    collateral: Decimal,
    rate: Decimal,
    entry_family: bool,
    fee_to_close: Decimal,
    deduction_coin: Decimal,
    deduction_usd: Decimal,
) -> Decimal | None:
    """The liquidation price of :func:`isolated_prices` given the fee to close ``c`` (a zero
    deduction is left out: the same value, two divisions fewer)."""
    if entry_family:
        # MM = (m + f)·Q/E − d − D/E + c: a fixed amount of coin.
        fixed = (
            fee_to_close - (deduction_coin + deduction_usd / entry) if deduction_coin or deduction_usd else fee_to_close
        )
        return price_where(s, size, entry, collateral, rate, ZERO, fixed)
    # MM = (m + f)·Q/P − d − D/P: the USD deduction lowers the rate on Q/P by D/Q.
    price_rate = rate - deduction_usd / size if deduction_usd else rate
    return price_where(s, size, entry, collateral, ZERO, price_rate, -deduction_coin)
