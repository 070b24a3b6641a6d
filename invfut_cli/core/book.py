"""A book: several positions in one coin, on one cross balance (DOMAIN.md §8), the margin
rules they are held under, and the cross part's equation.

Every cross position moves with one price ``P``. With the balance ``B``, ``S = Σ sᵢ·Qᵢ``
(USD) and ``A = Σ sᵢ·Qᵢ/Eᵢ`` (coin) over the cross positions, the cross equity is::

    equity(P) = B + A − S/P

The maintenance margin is a coin part and a USD part valued at ``P``, summed over the
positions, each with its own tier (rate ``mᵢ``, deduction ``dᵢ`` in coin or ``Dᵢ`` in USD)::

    MM(P) = a + b/P
    entry family:  a = Σ((mᵢ + f')·Qᵢ/Eᵢ − dᵢ − Dᵢ/Eᵢ) + c,   b = 0
    mark family:   a = −Σdᵢ,                              b = Σ((mᵢ + f')·Qᵢ − Dᵢ)

``f'`` is the taker fee where the venue adds it to the rate (else 0). Where the venue
charges the fee to close at the bankruptcy price (Bybit cross), the entry family adds
``c = F/BP`` with ``F = Σ f·Qᵢ`` (USD, on the gross size) and the account's bankruptcy
price ``BP`` (:func:`bankruptcy_price`); for one position these are Bybit's own formulas.

The bankruptcy price is where the equity meets the fee to close, ``B + A − S/P = F/P``:
``P = (S + F)/(B + A)``, a positive price when ``S + F`` and ``B + A`` have one sign. The
equity less that fee, ``B + A − (S + F)/P``, falls towards that root on the side where the
account loses only when ``S + F`` has the sign of ``S``. That is always so for one position
(``S + F = ±(1 ± f)·Q``) and for a net long, and is not so for a nearly hedged net short
whose fee on the gross size is at least its net size (``S < 0 ≤ S + F``, i.e. ``F ≥ |S|``,
and ``S = 0`` with a fee): there the equity less the fee *rises* with the price, and the root,
if any, is a price below which the account could not pay the fee to close, on the side where
its short gains. It is not where the entry family's equation (liquidated as ``S``, at or
above ``P_liq`` for a short) closes the account, so in the entry family there is no
bankruptcy price and ``c = 0`` in that regime, as for a short the balance covers. Valuing the
fee there at that root instead would give ``c = F·(B + A)/(S + F)``, a term that grows
faster than the equity (``F/(S + F) > 1``): more balance would move the liquidation price
closer, and a balance of a few USD would read as liquidated at the current price.

With ``u = B + A`` and the maintenance margin without the fee term ``a₀``, ``X`` in the
entry family is then: ``u·S/(S + F) − a₀`` where ``BP`` exists (``u`` and ``S + F`` of the
sign of ``S``), else ``u − a₀``; both are ``−a₀`` at ``u = 0``, so ``X`` is continuous and
rises with the balance (slope ``S/(S + F) > 0`` or 1).

Equity meets the maintenance margin where ``X − Y/P = 0`` with ``X = B + A − a`` and
``Y = S + b``, so ``P_liq = Y/X`` (:func:`.prices.solve_quotient`, the solver of every
liquidation price). One position gives exactly :func:`.margin.liquidation`'s equation.
Equity less the maintenance margin, ``X − Y/P``, rises with the price when ``Y > 0``
(the account is liquidated at or below ``P_liq``, as a long) and falls when ``Y < 0``
(at or above, as a short). ``Y = 0`` (equal and opposite sizes, entry family) leaves it
constant: no liquidation price, and either never liquidated or liquidated now.

Tiers are chosen per position, as the venues do: the notional at entry (entry family); the
notional at the liquidation price (mark family), starting at entry and solving again until
the tiers repeat (on a cycle, each position's highest tier visited: the cautious answer).

An isolated position keeps its own margin and its own liquidation price
(:func:`.margin.liquidation`); it adds to the total equity but not to the cross part.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .margin import Basis, FeeTreatment, MaintenanceSpec
from .numbers import ZERO, exact, settle
from .position import MarginMode, Position
from .prices import solve_quotient
from .tiers import TierTable

#: Solves of the mark family's tier search before the highest tiers seen are taken.
MAX_TIER_ROUNDS = 50


@dataclass(frozen=True)
class Holding:
    """A position in the account: cross (``margin_coin`` is ``None``), or isolated with its
    own margin (``leverage`` is the one it was given with, if any)."""

    position: Position
    margin_coin: Decimal | None = None
    leverage: Decimal | None = None
    name: str | None = None

    @property
    def margin_mode(self) -> MarginMode:
        """Isolated when the position has its own margin, cross otherwise."""
        return MarginMode.CROSS if self.margin_coin is None else MarginMode.ISOLATED


@dataclass(frozen=True)
class Book:
    """The cross balance and the positions of one coin."""

    balance_coin: Decimal
    holdings: tuple[Holding, ...]


@dataclass(frozen=True)
class SizeRates:
    """Rates that grow with the size in coin (Deribit): ``MM = (c + b·S)·S``, ``S = Q/P``."""

    initial_base: Decimal
    maintenance_base: Decimal
    slope_per_coin: Decimal


@dataclass(frozen=True)
class MarginRule:
    """The maintenance rule of one margin mode: the base spec (with its fee treatment), the
    tier table to pick each position's tier from (or ``None``), and, for a venue with no
    liquidation price, the reason and its size-dependent rates."""

    spec: MaintenanceSpec
    table: TierTable | None = None
    size_rates: SizeRates | None = None
    no_price_reason: str | None = None


@dataclass(frozen=True)
class CrossTerms:
    """The cross part's equation at one choice of tiers: ``equity = B + A − S/P``,
    ``MM = a + b/P`` (``a`` includes the fee term ``c``), ``P_liq = Y/X``."""

    balance_coin: Decimal
    signed_size_usd: Decimal
    signed_entry_value_coin: Decimal
    charge_coin: Decimal
    charge_usd: Decimal
    close_fee_usd: Decimal
    fee_to_close_coin: Decimal
    bankruptcy_price_usd: Decimal | None
    tiers: tuple[int, ...] | None

    @property
    def numerator_usd(self) -> Decimal:
        """``Y = S + b``."""
        return self.signed_size_usd + self.charge_usd

    @property
    def denominator_coin(self) -> Decimal:
        """``X = B + A − a``."""
        return self.balance_coin + self.signed_entry_value_coin - self.charge_coin

    @exact
    def equity_coin(self, price_usd: Decimal) -> Decimal:
        """``B + A − S/P``."""
        held = self.balance_coin + self.signed_entry_value_coin
        moved = self.signed_size_usd / price_usd
        return settle(held - moved, held, moved)

    @exact
    def maintenance_coin(self, price_usd: Decimal) -> Decimal:
        """``a + b/P``."""
        return self.charge_coin + self.charge_usd / price_usd


def _tier_at(table: TierTable, position: Position, price_usd: Decimal) -> int:
    return table.index_for(table.notional(position, price_usd))


class TierSpecs:
    """Each tier's spec, built once."""

    def __init__(self, rule: MarginRule) -> None:
        self.rule = rule
        table = rule.table
        self.by_tier = [] if table is None else [table.spec(i, rule.spec) for i in range(len(table.tiers))]

    def __call__(self, index: int | None) -> MaintenanceSpec:
        return self.rule.spec if index is None else self.by_tier[index]


@exact
def charge(position: Position, spec: MaintenanceSpec) -> tuple[Decimal, Decimal]:
    """One position's maintenance margin ``coin + usd/P`` as ``(coin, usd)``: entry family
    ``((m + f')·Q/E − d − D/E, 0)``; mark family ``(−d, (m + f')·Q − D)``; ``f'`` the fee
    where it is added to the rate."""
    rate = spec.rate + (spec.taker_fee if spec.treatment is FeeTreatment.ADDED_TO_RATE else ZERO)
    if spec.basis is Basis.ENTRY:
        entry = position.entry_price_usd
        return (rate * position.size_usd - spec.deduction_usd) / entry - spec.deduction_coin, ZERO
    return -spec.deduction_coin, rate * position.size_usd - spec.deduction_usd


def fee_root_on_losing_side(signed_usd: Decimal, fee_usd: Decimal) -> bool:
    """Whether ``S + F`` has the sign of ``S`` (module docstring): the equity less the fee to
    close falls towards zero on the side where the account loses."""
    return signed_usd * (signed_usd + fee_usd) > ZERO


@exact
def bankruptcy_price(signed_usd: Decimal, fee_usd: Decimal, held_coin: Decimal, basis: Basis) -> Decimal | None:
    """The cross bankruptcy price ``(S + F)/(B + A)`` (``held_coin = B + A``): ``None`` when
    it is not a positive price, and, in the entry family, when ``S + F`` does not have the
    sign of ``S`` (the root is on the side where the account gains: module docstring). The
    mark family charges no ``c``; its bankruptcy price is the root whatever its side."""
    if basis is Basis.ENTRY and not fee_root_on_losing_side(signed_usd, fee_usd):
        return None
    return solve_quotient(signed_usd + fee_usd, held_coin)


@exact
def cross_terms(
    balance_coin: Decimal, cross: Sequence[Holding], rule: MarginRule, tiers: Sequence[int] | None
) -> CrossTerms:
    """The cross equation (module docstring) for the tiers ``tiers`` (one index per cross
    position; ``None`` without a tier table): ``S``, ``A``, ``a``, ``b``, ``F``, the bankruptcy
    price ``BP = (S + F)/(B + A)`` (:func:`bankruptcy_price`: in the entry family only where
    ``S + F`` has the sign of ``S``) and, in the entry family, ``c = F/BP`` inside ``a``."""
    specs = TierSpecs(rule)
    signed = value = coin_part = usd_part = fee_usd = ZERO
    fee_rate = rule.spec.taker_fee if rule.spec.treatment is FeeTreatment.CLOSE_AT_BANKRUPTCY else ZERO
    for number, holding in enumerate(cross):
        position = holding.position
        s = position.side.sign
        signed += s * position.size_usd
        value += s * position.size_usd / position.entry_price_usd
        part_coin, part_usd = charge(position, specs(None if tiers is None else tiers[number]))
        coin_part += part_coin
        usd_part += part_usd
        fee_usd += fee_rate * position.size_usd
    bankrupt = bankruptcy_price(signed, fee_usd, balance_coin + value, rule.spec.basis)
    fee_to_close = ZERO if bankrupt is None else fee_usd / bankrupt
    if rule.spec.basis is Basis.ENTRY:
        coin_part += fee_to_close
    return CrossTerms(
        balance_coin=balance_coin,
        signed_size_usd=signed,
        signed_entry_value_coin=value,
        charge_coin=coin_part,
        charge_usd=usd_part,
        close_fee_usd=fee_usd,
        fee_to_close_coin=fee_to_close,
        bankruptcy_price_usd=bankrupt,
        tiers=None if tiers is None else tuple(tiers),
    )


def tiers_at(cross: Sequence[Holding], table: TierTable | None, price_usd: Decimal | None) -> tuple[int, ...] | None:
    """Each cross position's tier at ``price_usd`` (``None``: at its entry)."""
    if table is None:
        return None
    return tuple(
        _tier_at(table, h.position, h.position.entry_price_usd if price_usd is None else price_usd) for h in cross
    )


@exact
def solve_cross(balance_coin: Decimal, cross: Sequence[Holding], rule: MarginRule) -> tuple[CrossTerms, int]:
    """The cross terms whose tiers are the venue's, and how many solves that took: the
    tiers at entry (entry family, or no table); for the mark family, solve ``P = Y/X``, take
    each position's tier at ``P``, and repeat until the tiers repeat (on a cycle, the
    highest tier each position visited)."""
    table = rule.table
    tiers = tiers_at(cross, table, None)
    terms = cross_terms(balance_coin, cross, rule, tiers)
    if table is None or rule.spec.basis is Basis.ENTRY:
        return terms, 1
    seen = [tiers]
    for rounds in range(1, MAX_TIER_ROUNDS + 1):
        price = solve_quotient(terms.numerator_usd, terms.denominator_coin)
        if price is None:
            return terms, rounds
        following = tiers_at(cross, table, price)
        if following == tiers:
            return terms, rounds
        if following in seen or rounds == MAX_TIER_ROUNDS:
            highest = tuple(max(column) for column in zip(*seen, following, strict=True))  # type: ignore[arg-type]
            return cross_terms(balance_coin, cross, rule, highest), rounds + 1
        seen.append(following)
        tiers = following
        terms = cross_terms(balance_coin, cross, rule, tiers)
    return terms, MAX_TIER_ROUNDS  # pragma: no cover - the loop returns


@exact
def cross_state(book: Book, rule: MarginRule, price_usd: Decimal) -> tuple[Decimal, Decimal]:
    """``(equity, maintenance margin)`` of the cross part at ``price_usd``: ``B + A − S/P``
    and ``a + b/P`` with each position's tier at that price (mark family) or at its entry."""
    cross = [h for h in book.holdings if h.margin_coin is None]
    at = price_usd if rule.spec.basis is Basis.MARK else None
    terms = cross_terms(book.balance_coin, cross, rule, tiers_at(cross, rule.table, at))
    return terms.equity_coin(price_usd), terms.maintenance_coin(price_usd)


@exact
def balance_for_liquidation_at(book: Book, rule: MarginRule, target_usd: Decimal) -> tuple[Decimal | None, bool]:
    """The balance ``B*`` whose cross liquidation price is ``target_usd``, and whether the
    account is still liquidated with exactly ``B*`` (then any amount above it survives).

    ``X(B) = Y/P*`` solved for ``B`` with the tiers at ``P*`` (mark family) or at entry:
    ``X(B) = B + A − a₀`` (``a₀`` the maintenance margin without the fee term), so
    ``B* = Y/P* + a₀ − A``. Where the fee to close is charged at the bankruptcy price (entry
    family) and ``S + F`` has the sign of ``S``, ``c = F·u/(S + F)`` while ``u = B + A`` has
    that sign too, so ``X = u·S/(S + F) − a₀`` and ``u = (Y/P* + a₀)·(S + F)/S``, a root of
    that branch exactly when ``(Y/P* + a₀)·S > 0``; otherwise ``c = 0`` and ``u = Y/P* + a₀``,
    a root of that branch exactly in the other case. ``X`` rises with ``B`` (module
    docstring), so there is one root and the valuation at ``B*`` takes the same branch.
    ``S < 0 ≤ S + F`` (the fee on the gross size at least the net short): no bankruptcy price,
    ``c = 0``, ``u = Y/P* + a₀``. ``Y = 0`` (equal and opposite sizes): the ``B*`` where
    ``X = 0``, which still liquidates. ``(None, False)`` when no balance does it.
    """
    # The account's form of :func:`.margin.solve_collateral`: the same equation, but with the
    # terms summed over the cross positions (each with its own entry and tier), so it solves
    # ``X(B) = Y/P*`` on :class:`CrossTerms` rather than on one position's ``a``, ``b``, ``k``.
    cross = [h for h in book.holdings if h.margin_coin is None]
    if not cross or rule.no_price_reason is not None or target_usd <= ZERO:
        return None, False
    at = target_usd if rule.spec.basis is Basis.MARK else None
    terms = cross_terms(book.balance_coin, cross, rule, tiers_at(cross, rule.table, at))
    numerator = terms.numerator_usd
    goal = ZERO if numerator == ZERO else numerator / target_usd
    signed, value = terms.signed_size_usd, terms.signed_entry_value_coin
    base = terms.charge_coin
    strict = numerator == ZERO
    if rule.spec.basis is Basis.ENTRY:
        base -= terms.fee_to_close_coin
        fee = terms.close_fee_usd
        if fee_root_on_losing_side(signed, fee) and (goal + base) * signed > ZERO:
            return (goal + base) * (signed + fee) / signed - value, strict
    return goal + base - value, strict
