"""A linear or quanto account (DOMAIN.md §8, §15): positions of one contract type on one
balance of their margin currency, all moving with one price ``P`` of the underlying.

Amounts are in the margin currency (the quote, USDT, for linear; the settlement coin for
quanto): field names ending ``_ccy`` say so. Position ``i`` has ``uᵢ`` units of the margin
currency per unit of price (``qᵢ = Nᵢ·k`` coin, linear; ``Nᵢ·M``, quanto). Over the cross
positions, with the balance ``B`` and the gross units ``U = Σuᵢ``::

    equity(P) = B + Σ sᵢ·uᵢ·(P − Eᵢ)
    MM(P)     = Σ(a·uᵢ·Eᵢ + b·uᵢ·P) + K

``a = m`` (entry family) or ``b = m`` (mark family), plus the taker fee where the venue adds
it to the rate; ``K = c − Σdᵢ``: the fee to close the gross units at the bankruptcy price
``c = f·U·BP`` where the venue charges it there, less each position's deduction. Equity
less the maintenance margin is ``X·P − Y`` with ``X = Σ(sᵢ − b)·uᵢ`` and
``Y = K + Σ(sᵢ + a)·uᵢ·Eᵢ − B``, so

    ``P_liq = (K + Σ(sᵢ + a)·uᵢ·Eᵢ − B) / Σ(sᵢ − b)·uᵢ``

liquidated at or below it when ``X > 0`` (as a long), at or above when ``X < 0``. The
bankruptcy price is where equity meets the fee to close: ``BP = (Σsᵢ·uᵢ·Eᵢ − B)/(Σsᵢ·uᵢ − f·U)``,
on the side the account loses only when the denominator has the sign of the net units.
One position is :meth:`.contracts.LinearPayoff.liquidation` exactly. No price (``X = 0``, a
quotient that is not positive, an account liquidated at every price) is a
:class:`.margin.PriceAnswer` with a reason, never an exception. An isolated position keeps
its own margin and its own liquidation price (:meth:`.contracts.LinearPayoff.liquidation`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from .account_valuation import is_beyond
from .contracts import LinearPayoff, linear_rates
from .margin import Basis, FeeTreatment, MaintenanceSpec, PriceAnswer
from .numbers import ONE, ZERO, exact, settle
from .position import MarginMode, Side, change_pct

NO_CROSS = "no cross positions: the balance alone does not move with the price"
EQUAL_AND_OPPOSITE = (
    "the cross positions are equal and opposite: the equity does not depend on the price, "
    "so no price brings it to the maintenance margin"
)
FLAT = (
    "the equity less the maintenance margin does not depend on the price: "
    "no price brings the equity to the maintenance margin"
)
COVERED = "the equity stays above the maintenance margin at every positive price: the balance covers the longs"
LIQUIDATED_NOW = "the equity is at or below the maintenance margin at every price: the account is liquidated now"
NO_BANKRUPTCY = "no positive price brings the equity to zero"
FEE_AT_LEAST_NET = (
    "the fee to close the gross size is at least the net size: the equity less that fee does not "
    "move toward zero on the side the account loses, so no price there brings it to zero"
)


@dataclass(frozen=True)
class LinearHolding:
    """A linear or quanto position in the account: ``contracts`` of ``size`` (coin per
    contract, linear; the multiplier, quanto) entered at ``entry``; cross (``margin_ccy`` is
    ``None``) or isolated with its own margin."""

    side: Side
    contracts: Decimal
    size: Decimal
    entry: Decimal
    margin_ccy: Decimal | None = None
    leverage: Decimal | None = None
    name: str | None = None

    @property
    @exact
    def units(self) -> Decimal:
        """``u = N·k`` (or ``N·M``): margin currency per unit of price."""
        return self.contracts * self.size

    @property
    def payoff(self) -> LinearPayoff:
        """The position as the core's one-position contract."""
        return LinearPayoff("", ONE, self.units)


@dataclass(frozen=True)
class LinearBook:
    """The balance ``B`` (margin currency) and the positions."""

    balance_ccy: Decimal
    holdings: tuple[LinearHolding, ...]


@dataclass(frozen=True)
class LinearTerms:
    """The cross part's sums: ``B``, ``U = Σuᵢ``, net units ``Σsᵢ·uᵢ``, ``Σsᵢ·uᵢ·Eᵢ``,
    ``Σuᵢ·Eᵢ``, the rates ``a`` and ``b``, ``K`` and its fee part ``c``."""

    balance_ccy: Decimal
    gross_units: Decimal
    net_units: Decimal
    signed_entry_value_ccy: Decimal
    gross_entry_value_ccy: Decimal
    entry_rate: Decimal
    price_rate: Decimal
    fixed_ccy: Decimal
    fee_to_close_ccy: Decimal

    @exact
    def equity_ccy(self, price: Decimal) -> Decimal:
        """``B + Σsᵢ·uᵢ·P − Σsᵢ·uᵢ·Eᵢ``."""
        return settle(
            self.balance_ccy + self.net_units * price - self.signed_entry_value_ccy,
            self.balance_ccy,
            self.net_units * price,
            self.signed_entry_value_ccy,
        )

    @exact
    def maintenance_ccy(self, price: Decimal) -> Decimal:
        """``a·Σuᵢ·Eᵢ + b·U·P + K``."""
        return (
            self.entry_rate * self.gross_entry_value_ccy + self.price_rate * self.gross_units * price + self.fixed_ccy
        )

    @property
    def slope(self) -> Decimal:
        """``X = Σ(sᵢ − b)·uᵢ``."""
        return self.net_units - self.price_rate * self.gross_units

    @property
    def level_ccy(self) -> Decimal:
        """``Y = K + Σ(sᵢ + a)·uᵢ·Eᵢ − B``."""
        return (
            self.fixed_ccy
            + self.signed_entry_value_ccy
            + self.entry_rate * self.gross_entry_value_ccy
            - self.balance_ccy
        )


def _sums(cross: Iterable[LinearHolding]) -> tuple[Decimal, Decimal, Decimal, Decimal, int]:
    gross = net = signed_entry = gross_entry = ZERO
    count = 0
    for holding in cross:
        units = holding.units
        gross += units
        net += holding.side.sign * units
        signed_entry += holding.side.sign * units * holding.entry
        gross_entry += units * holding.entry
        count += 1
    return gross, net, signed_entry, gross_entry, count


def _loss_side_denominator(net_units: Decimal, gross_units: Decimal, fee: Decimal) -> Decimal | None:
    """``Xb = Σsᵢ·uᵢ − f·U`` where it has the sign of the net units (the bankruptcy price is
    then on the side the account loses: module docstring); else ``None``."""
    denominator = net_units - fee * gross_units
    return denominator if net_units * denominator > ZERO else None


@exact
def bankruptcy_answer(
    balance_ccy: Decimal, net_units: Decimal, signed_entry_ccy: Decimal, gross_units: Decimal, fee: Decimal
) -> PriceAnswer:
    """``BP = (Σsᵢ·uᵢ·Eᵢ − B)/(Σsᵢ·uᵢ − f·U)``, where the denominator has the sign of the net
    units and the quotient is a positive price; else no price, with the reason."""
    if net_units == ZERO:
        return PriceAnswer(None, EQUAL_AND_OPPOSITE if fee == ZERO else FEE_AT_LEAST_NET)
    denominator = _loss_side_denominator(net_units, gross_units, fee)
    if denominator is None:
        return PriceAnswer(None, FEE_AT_LEAST_NET)
    price = (signed_entry_ccy - balance_ccy) / denominator
    return PriceAnswer(price) if price > ZERO else PriceAnswer(None, NO_BANKRUPTCY)


@exact
def cross_terms(balance_ccy: Decimal, cross: Iterable[LinearHolding], spec: MaintenanceSpec) -> LinearTerms:
    """The cross part's sums under ``spec`` (module docstring), with ``c = f·U·BP`` where
    the venue charges the fee to close at the bankruptcy price and there is one."""
    gross, net, signed_entry, gross_entry, count = _sums(cross)
    a, b, fee = linear_rates(spec)
    close = ZERO
    if fee != ZERO:
        bankrupt = bankruptcy_answer(balance_ccy, net, signed_entry, gross, fee).price_usd
        close = ZERO if bankrupt is None else fee * gross * bankrupt
    return LinearTerms(
        balance_ccy, gross, net, signed_entry, gross_entry, a, b, close - count * spec.deduction_coin, close
    )


@exact
def balance_for_liquidation_at(book: LinearBook, spec: MaintenanceSpec, target: Decimal) -> Decimal | None:
    """The balance ``B*`` whose cross liquidation price is ``target``: ``X·T = Y(B)``, linear in
    ``B``. Without a fee to close at the bankruptcy price ``B* = K + Σ(sᵢ + a)·uᵢ·Eᵢ − X·T``;
    with it (``K = f·U·(Σsᵢ·uᵢ·Eᵢ − B)/Xb − Σdᵢ``, ``Xb = Σsᵢ·uᵢ − f·U``)
    ``B* = (f·U·Σsᵢ·uᵢ·Eᵢ/Xb − Σdᵢ + Σ(sᵢ + a)·uᵢ·Eᵢ − X·T)/(1 + f·U/Xb)``. ``None`` where
    ``X = 0`` (the balance does not move the price)."""
    cross = [h for h in book.holdings if h.margin_ccy is None]
    gross, net, signed_entry, gross_entry, count = _sums(cross)
    a, b, fee = linear_rates(spec)
    slope = net - b * gross
    if slope == ZERO:
        return None
    base = -count * spec.deduction_coin + signed_entry + a * gross_entry - slope * target
    denominator = _loss_side_denominator(net, gross, fee)
    if fee == ZERO or denominator is None:
        return base
    share = fee * gross / denominator
    return (share * signed_entry + base) / (ONE + share)


@dataclass(frozen=True)
class LinearLine:
    """One position at the price: PnL ``s·u·(P − E)``, value ``u·P``, its maintenance margin
    (a cross one's share, without the fee to close); an isolated one's margin, equity,
    liquidation and bankruptcy prices and whether the price is at or beyond the first."""

    index: int
    holding: LinearHolding
    margin_mode: MarginMode
    pnl_ccy: Decimal
    value_ccy: Decimal
    maintenance_margin_ccy: Decimal | None
    equity_ccy: Decimal | None
    liquidation: PriceAnswer | None
    bankruptcy: PriceAnswer | None
    liquidated: bool | None


@dataclass(frozen=True)
class LinearAccountResult:
    """The account at ``price``: the cross part, each position's line, and the total equity
    with the isolated positions."""

    price: Decimal
    basis: Basis
    fee_treatment: FeeTreatment
    terms: LinearTerms
    cross_count: int
    gross_value_ccy: Decimal
    equity_ccy: Decimal
    maintenance_margin_ccy: Decimal
    free_margin_ccy: Decimal
    effective_leverage: Decimal | None
    liquidation: PriceAnswer
    bankruptcy: PriceAnswer
    side: Side | None
    liquidated: bool | None
    distance_pct: Decimal | None
    lines: tuple[LinearLine, ...]
    total_equity_ccy: Decimal


def _liquidation(terms: LinearTerms, any_cross: bool, liquidated: bool) -> PriceAnswer:
    if not any_cross:
        return PriceAnswer(None, NO_CROSS)
    slope, level = terms.slope, terms.level_ccy
    if slope == ZERO:
        if liquidated:
            return PriceAnswer(None, LIQUIDATED_NOW)
        return PriceAnswer(None, EQUAL_AND_OPPOSITE if terms.net_units == ZERO else FLAT)
    price = level / slope
    if price > ZERO:
        return PriceAnswer(price)
    return PriceAnswer(None, COVERED if slope > ZERO else LIQUIDATED_NOW)


@exact
def linear_account(book: LinearBook, price: Decimal, spec: MaintenanceSpec) -> LinearAccountResult:
    """The account at the price ``P`` (module docstring for the formulas): the cross part's
    equity, maintenance margin ``MM(P)``, free margin ``equity − MM``, effective leverage
    ``U·P / equity`` (``None`` when equity ≤ 0), liquidated when ``equity ≤ MM``, the
    liquidation and bankruptcy prices and the signed distance ``100·(P_liq − P)/P``; each
    position's line; the total equity adds each isolated ``Cᵢ + PnLᵢ``."""
    cross = [h for h in book.holdings if h.margin_ccy is None]
    terms = cross_terms(book.balance_ccy, cross, spec)
    equity = terms.equity_ccy(price)
    maintenance = terms.maintenance_ccy(price) if cross else ZERO
    liquidated = bool(cross) and equity <= maintenance
    liq = _liquidation(terms, bool(cross), liquidated)
    if cross:
        bankruptcy = bankruptcy_answer(
            book.balance_ccy, terms.net_units, terms.signed_entry_value_ccy, terms.gross_units, linear_rates(spec)[2]
        )
    else:
        bankruptcy = PriceAnswer(None, NO_CROSS)
    slope = terms.slope
    if slope != ZERO:
        side: Side | None = Side.LONG if slope > ZERO else Side.SHORT
    else:
        side = None if terms.net_units == ZERO else (Side.LONG if terms.net_units > ZERO else Side.SHORT)
    lines = []
    total = equity
    for index, holding in enumerate(book.holdings):
        payoff = holding.payoff
        pnl = payoff.pnl(holding.side, holding.entry, price)
        value = payoff.value(price)
        if holding.margin_ccy is None:
            own = payoff.maintenance_margin(holding.entry, price, spec)
            lines.append(LinearLine(index, holding, MarginMode.CROSS, pnl, value, own, None, None, None, None))
            continue
        margin = holding.margin_ccy
        own_liq = payoff.liquidation(holding.side, holding.entry, margin, spec)
        own_bank = payoff.bankruptcy(holding.side, holding.entry, margin, spec)
        own_equity = settle(margin + pnl, margin, pnl)
        total += own_equity
        lines.append(
            LinearLine(
                index,
                holding,
                MarginMode.ISOLATED,
                pnl,
                value,
                payoff.maintenance_margin(holding.entry, own_liq.price_usd, spec),
                own_equity,
                own_liq,
                own_bank,
                is_beyond(holding.side, price, own_liq.price_usd),
            )
        )
    gross_value = terms.gross_units * price
    return LinearAccountResult(
        price=price,
        basis=spec.basis,
        fee_treatment=spec.treatment,
        terms=terms,
        cross_count=len(cross),
        gross_value_ccy=gross_value,
        equity_ccy=equity,
        maintenance_margin_ccy=maintenance,
        free_margin_ccy=equity - maintenance,
        effective_leverage=None if equity <= ZERO or not cross else gross_value / equity,
        liquidation=liq,
        bankruptcy=bankruptcy,
        side=side,
        liquidated=liquidated if cross else False,
        distance_pct=None if liq.price_usd is None else change_pct(price, liq.price_usd),
        lines=tuple(lines),
        total_equity_ccy=total,
    )
