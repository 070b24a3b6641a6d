"""Linear and quanto contracts beside inverse ones (DOMAIN.md §15): what differs between the
three is an object, not a test of a name in the middle of a computation.

Notation as in DOMAIN.md: ``s`` the side's sign, ``E`` the entry, ``P`` a price (USD, or the
quote currency, per coin of the underlying), ``L`` the leverage, ``C`` the collateral.

- **Inverse**: ``Q`` USD of contracts; amounts in the coin. Value ``Q/P``, PnL
  ``s·Q·(1/E − 1/P)``.
- **Linear**: ``q = N·k`` coin of contracts (``k`` coin per contract); amounts in the quote
  currency (USDT). Value ``q·P``, PnL ``s·q·(P − E)``.
- **Quanto**: ``N`` contracts of multiplier ``M`` (settlement coin per USD of the underlying's
  price); amounts in the settlement coin. Value ``N·M·P``, PnL ``s·N·M·(P − E)``; worth ``× B``
  USD, ``B`` the settlement coin's price.

Linear and quanto share their equations with ``u = q`` or ``u = N·M`` (units of the margin
currency per unit of price): equity ``C + s·u·(P − E)``. The maintenance margin is
``a·u·E + b·u·P + k``: ``a`` the rate charged on the value at entry (entry family), ``b`` the
rate charged on the value at the price (mark family), ``k`` a fixed amount (``c − d``: the fee
to close less the tier deduction). Equity equal to it gives

    ``P = (k + (s + a)·u·E − C) / (u·(s − b))``

Liquidation is that with the rule's rates; bankruptcy with no maintenance rate (``b = f``
where the venue charges the fee to close at the bankruptcy price). Isolated at ``C = u·E/L``,
no fees, mark family: a long ``E·(1 − 1/L)/(1 − m)``, a short ``E·(1 + 1/L)/(1 + m)``
(§15: 10×, 0.5%, 60,000 give 54,271.36 and 65,671.64). A denominator of zero or less, or a
price that is not positive, is "no such price" with a reason, never an exception.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import Decimal

from .margin import Basis, MaintenanceSpec, PriceAnswer, rates_of
from .numbers import ZERO, exact
from .position import Side, change_pct


class ContractKind(enum.Enum):
    """The three contract types."""

    INVERSE = "inverse"
    LINEAR = "linear"
    QUANTO = "quanto"


@dataclass(frozen=True)
class Contract:
    """A contract type with the size of a position in it: its value and PnL, in its margin
    currency. Subclasses say how (``Inverse``; ``Linear`` and ``Quanto`` through ``units``)."""

    #: The currency margin, fees and PnL are paid in (BTC, USDT).
    margin_currency: str
    #: The margin currency's USD price (1 for a USD-like quote; ``B`` for a quanto's coin).
    currency_usd: Decimal

    kind = ContractKind.INVERSE

    def value(self, price: Decimal) -> Decimal:
        """The position's value at ``price``, in the margin currency."""
        raise NotImplementedError

    def pnl(self, side: Side, entry: Decimal, price: Decimal) -> Decimal:
        """The PnL from ``entry`` to ``price``, in the margin currency."""
        raise NotImplementedError

    @exact
    def initial_margin(self, entry: Decimal, leverage: Decimal) -> Decimal:
        """``IM = V(E)/L``, in the margin currency."""
        return self.value(entry) / leverage

    @exact
    def equity(self, side: Side, entry: Decimal, collateral: Decimal, price: Decimal) -> Decimal:
        """``C + PnL(P)``, in the margin currency."""
        return collateral + self.pnl(side, entry, price)

    @exact
    def usd(self, amount: Decimal) -> Decimal:
        """An amount of the margin currency in USD (its price times it)."""
        return amount * self.currency_usd

    @exact
    def effective_leverage(self, side: Side, entry: Decimal, collateral: Decimal, price: Decimal) -> Decimal | None:
        """``V(P)/equity(P)``; ``None`` where the equity is zero or less (nothing is left)."""
        equity = self.equity(side, entry, collateral, price)
        return None if equity <= 0 else self.value(price) / equity


@dataclass(frozen=True)
class Inverse(Contract):
    """``Q`` USD of inverse contracts: value ``Q/P`` coin, PnL ``s·Q·(1/E − 1/P)`` coin."""

    size_usd: Decimal = ZERO

    kind = ContractKind.INVERSE

    @exact
    def value(self, price: Decimal) -> Decimal:
        """``Q/P`` coin."""
        return self.size_usd / price

    @exact
    def pnl(self, side: Side, entry: Decimal, price: Decimal) -> Decimal:
        """``s·Q·(1/E − 1/P)`` coin."""
        return side.sign * self.size_usd * (1 / entry - 1 / price)


@dataclass(frozen=True)
class LinearPayoff(Contract):
    """A contract whose value is ``u·P`` in its margin currency: linear and quanto."""

    #: ``u``: margin currency per unit of price (``q`` coin, or ``N·M``).
    units: Decimal = ZERO

    @exact
    def value(self, price: Decimal) -> Decimal:
        """``u·P``."""
        return self.units * price

    @exact
    def pnl(self, side: Side, entry: Decimal, price: Decimal) -> Decimal:
        """``s·u·(P − E)``."""
        return side.sign * self.units * (price - entry)

    @exact
    def price_change_pct(self, entry: Decimal, price: Decimal) -> Decimal:
        """``100·(P − E)/E`` (:func:`.position.change_pct`)."""
        return change_pct(entry, price)

    @exact
    def solve(
        self,
        side: Side,
        entry: Decimal,
        collateral: Decimal,
        *,
        entry_rate: Decimal,
        price_rate: Decimal,
        fixed: Decimal,
    ) -> Decimal | None:
        """The price where ``C + s·u·(P − E) = a·u·E + b·u·P + k``:
        ``P = (k + (s + a)·u·E − C) / (u·(s − b))``; ``None`` where the denominator is zero or
        the price is not positive."""
        s = side.sign
        denominator = self.units * (s - price_rate)
        if denominator == 0:
            return None
        price = (fixed + (s + entry_rate) * self.units * entry - collateral) / denominator
        return price if price > 0 else None

    @exact
    def bankruptcy(self, side: Side, entry: Decimal, collateral: Decimal, spec: MaintenanceSpec) -> PriceAnswer:
        """Where equity reaches zero, or the fee to close ``f·u·BP`` where the venue charges it
        there: ``BP = (s·u·E − C)/(u·(s − f))``."""
        _rate, fee = rates_of(spec)
        price = self.solve(side, entry, collateral, entry_rate=ZERO, price_rate=fee, fixed=ZERO)
        if price is not None:
            return PriceAnswer(price)
        return PriceAnswer(None, _no_price(side, "bankrupt"))

    @exact
    def liquidation(self, side: Side, entry: Decimal, collateral: Decimal, spec: MaintenanceSpec) -> PriceAnswer:
        """Where equity reaches the maintenance margin (module docstring): the entry family
        charges ``m`` on ``u·E``, the mark family on ``u·P``; a fee added to the rate joins
        ``m``; a fee to close at the bankruptcy price is the fixed ``c = f·u·BP``; the
        deduction ``d`` (margin currency) lowers the maintenance margin."""
        entry_rate, price_rate, fee = linear_rates(spec)
        fixed = -spec.deduction_coin
        if fee != ZERO:
            bankrupt = self.bankruptcy(side, entry, collateral, spec).price_usd
            if bankrupt is not None:
                fixed += fee * self.units * bankrupt
        price = self.solve(side, entry, collateral, entry_rate=entry_rate, price_rate=price_rate, fixed=fixed)
        if price is not None:
            return PriceAnswer(price)
        return PriceAnswer(None, _no_price(side, "liquidated"))

    @exact
    def collateral_for(self, side: Side, entry: Decimal, price: Decimal, spec: MaintenanceSpec) -> Decimal:
        """The collateral whose liquidation price is ``price``: the liquidation equation solved
        for ``C``, ``C = k + (s + a)·u·E − P·u·(s − b)``; with the fee to close at the bankruptcy
        price (``k = f·u·BP − d``, ``BP = (s·u·E − C)/(u·(s − f))``) that is
        ``C = (f·s·u·E/(s − f) − d + (s + a)·u·E − P·u·(s − b))·(s − f)/s``."""
        s, u = side.sign, self.units
        a, b, f = linear_rates(spec)
        base = -spec.deduction_coin + (s + a) * u * entry - price * u * (s - b)
        if f == ZERO:
            return base
        return (f * s * u * entry / (s - f) + base) * (s - f) / s

    @exact
    def maintenance_margin(self, entry: Decimal, price: Decimal | None, spec: MaintenanceSpec) -> Decimal | None:
        """The maintenance margin at ``price`` (the liquidation price), without the fee to close:
        ``m·u·E − d`` (entry family) or ``m·u·P − d`` (mark family)."""
        if price is None:
            return None
        rate, _fee = rates_of(spec)
        base = entry if spec.basis is Basis.ENTRY else price
        return rate * self.units * base - spec.deduction_coin


def linear_rates(spec: MaintenanceSpec) -> tuple[Decimal, Decimal, Decimal]:
    """``(a, b, f)``: the rate on the value at entry and the rate on the value at the price
    (:func:`.margin.rates_of`'s maintenance rate, on the family's value), and the fee to close
    at the bankruptcy price (0 unless the venue charges it there)."""
    rate, fee = rates_of(spec)
    return (rate, ZERO, fee) if spec.basis is Basis.ENTRY else (ZERO, rate, fee)


def _no_price(side: Side, what: str) -> str:
    if side is Side.LONG:
        return f"the margin covers the whole value: the long is never {what} at a positive price"
    return f"no positive price where the short is {what}"


@dataclass(frozen=True)
class Linear(LinearPayoff):
    """``q = N·k`` coin of linear contracts, margined in the quote currency."""

    kind = ContractKind.LINEAR


@dataclass(frozen=True)
class Quanto(LinearPayoff):
    """``N`` contracts of multiplier ``M``, settled in a coin worth ``B`` USD: ``u = N·M``."""

    kind = ContractKind.QUANTO


@exact
def linear(contracts: Decimal, contract_size_coin: Decimal, quote: str, quote_usd: Decimal = Decimal(1)) -> Linear:
    """A linear position: ``q = N·k`` coin, amounts in ``quote`` (worth ``quote_usd`` USD each)."""
    return Linear(quote, quote_usd, contracts * contract_size_coin)


@exact
def quanto(contracts: Decimal, multiplier: Decimal, coin: str, coin_usd: Decimal) -> Quanto:
    """A quanto position: ``u = N·M``, amounts in ``coin`` (worth ``coin_usd`` USD each)."""
    return Quanto(coin, coin_usd, contracts * multiplier)


@exact
def same_dollars(
    kind: ContractKind, size_usd: Decimal, entry: Decimal, currency: str, currency_usd: Decimal
) -> Contract:
    """The position worth ``size_usd`` USD at ``entry`` held as a contract of ``kind``: inverse
    ``Q``; linear ``q = Q/E`` coin; quanto ``u = Q/(E·B)`` (``N·M`` with ``B`` the settlement
    coin's price)."""
    if kind is ContractKind.INVERSE:
        return Inverse(currency, currency_usd, size_usd)
    if kind is ContractKind.LINEAR:
        return Linear(currency, currency_usd, size_usd / entry)
    return Quanto(currency, currency_usd, size_usd / (entry * currency_usd))
