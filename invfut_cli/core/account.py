"""An account: several positions in one coin, on one cross balance (DOMAIN.md §8).

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
``c = F/BP`` with ``F = Σ f·Qᵢ`` and the account's bankruptcy price ``BP = (S + F)/(B + A)``
(equity meets ``F/P``); for one position these are Bybit's own formulas.

Equity meets the maintenance margin where ``X − Y/P = 0`` with ``X = B + A − a`` and
``Y = S + b``, so ``P_liq = Y/X`` (:func:`.margin.solve_quotient`, the solver of every
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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_FLOOR, Decimal

from .margin import Basis, FeeTreatment, LiquidationResult, MaintenanceSpec, PriceAnswer, liquidation, solve_quotient
from .numbers import HUNDRED, NOISE, ONE, ZERO, exact, quantize, settle
from .position import MarginMode, Position, Side
from .sensitivity import Sensitivity, book_sensitivity
from .stress import Shock, shocked_price
from .tiers import TierTable, size_dependent_margins, tiered_liquidation

#: Solves of the mark family's tier search before the highest tiers seen are taken.
MAX_TIER_ROUNDS = 50

NO_CROSS = "no cross positions: the balance alone does not move with the price"
EQUAL_AND_OPPOSITE = (
    "the cross positions are equal and opposite: the equity does not depend on the price, "
    "so no price brings it to the maintenance margin"
)
COVERED = "the equity stays above the maintenance margin at every price: the balance covers the shorts"
LIQUIDATED_NOW = "the equity is at or below the maintenance margin at every price: the account is liquidated now"
NO_AMOUNT_HELPS = "no amount of balance puts the liquidation price a price step beyond this price"


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
class PositionLine:
    """One position at the price: PnL, sensitivities, margins; for an isolated one, its own
    liquidation (``isolated``) and whether the price is at or beyond it."""

    index: int
    name: str | None
    position: Position
    margin_mode: MarginMode
    pnl_coin: Decimal
    sensitivity: Sensitivity
    margin_coin: Decimal | None
    maintenance_margin_coin: Decimal | None
    tier_index: int | None
    equity_coin: Decimal | None
    isolated: LiquidationResult | None
    liquidated: bool | None


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


@dataclass(frozen=True)
class AccountResult:
    """The account at ``price_usd``: the cross part (balance and cross positions), each
    position's line, and the totals with the isolated positions."""

    price_usd: Decimal
    basis: Basis
    fee_treatment: FeeTreatment
    terms: CrossTerms
    cross_count: int
    gross_value_coin: Decimal
    equity_coin: Decimal
    maintenance_margin_coin: Decimal
    free_margin_coin: Decimal
    effective_leverage: Decimal | None
    sensitivity: Sensitivity
    liquidation: PriceAnswer
    bankruptcy: PriceAnswer
    side: Side | None
    liquidated: bool | None
    distance_pct: Decimal | None
    tier_rounds: int
    lines: tuple[PositionLine, ...]
    total_equity_coin: Decimal
    total_usd_delta_coin: Decimal


def _tier_at(table: TierTable, position: Position, price_usd: Decimal) -> int:
    return table.index_for(table.notional(position, price_usd))


class _Specs:
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


@exact
def cross_terms(
    balance_coin: Decimal, cross: Sequence[Holding], rule: MarginRule, tiers: Sequence[int] | None
) -> CrossTerms:
    """The cross equation (module docstring) for the tiers ``tiers`` (one index per cross
    position; ``None`` without a tier table): ``S``, ``A``, ``a``, ``b``, ``F``, the bankruptcy
    price ``BP = (S + F)/(B + A)`` and, in the entry family, ``c = F/BP`` inside ``a``."""
    specs = _Specs(rule)
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
    bankrupt = solve_quotient(signed + fee_usd, balance_coin + value)
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


def _tiers_at(cross: Sequence[Holding], table: TierTable | None, price_usd: Decimal | None) -> tuple[int, ...] | None:
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
    tiers = _tiers_at(cross, table, None)
    terms = cross_terms(balance_coin, cross, rule, tiers)
    if table is None or rule.spec.basis is Basis.ENTRY:
        return terms, 1
    seen = [tiers]
    for rounds in range(1, MAX_TIER_ROUNDS + 1):
        price = solve_quotient(terms.numerator_usd, terms.denominator_coin)
        if price is None:
            return terms, rounds
        following = _tiers_at(cross, table, price)
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
    terms = cross_terms(book.balance_coin, cross, rule, _tiers_at(cross, rule.table, at))
    return terms.equity_coin(price_usd), terms.maintenance_coin(price_usd)


def _isolated(holding: Holding, rule: MarginRule) -> tuple[LiquidationResult, int | None]:
    position, margin = holding.position, holding.margin_coin
    assert margin is not None
    mode, leverage = MarginMode.ISOLATED, holding.leverage
    if rule.no_price_reason is not None:
        # No liquidation price; the margins are the size-dependent ones at entry, as liq-price gives them.
        plain = liquidation(position, margin, replace(rule.spec, rate=ZERO), margin_mode=mode, leverage=leverage)
        rates = rule.size_rates
        margins = (
            None
            if rates is None
            else size_dependent_margins(
                position,
                position.entry_price_usd,
                initial_base=rates.initial_base,
                maintenance_base=rates.maintenance_base,
                slope_per_coin=rates.slope_per_coin,
            )
        )
        return replace(
            plain,
            initial_margin_coin=plain.initial_margin_coin if margins is None else margins.initial_margin_coin,
            maintenance_margin_coin=plain.maintenance_margin_coin
            if margins is None
            else margins.maintenance_margin_coin,
            liquidation=PriceAnswer(None, rule.no_price_reason),
            distance_pct=None,
            warnings=(),
        ), None
    if rule.table is None:
        return liquidation(position, margin, rule.spec, margin_mode=mode, leverage=leverage), None
    tiered = tiered_liquidation(position, margin, rule.table, rule.spec, margin_mode=mode, leverage=leverage)
    return tiered.result, tiered.tier_index


def _size_maintenance(position: Position, rates: SizeRates, price_usd: Decimal) -> Decimal:
    return size_dependent_margins(
        position,
        price_usd,
        initial_base=rates.initial_base,
        maintenance_base=rates.maintenance_base,
        slope_per_coin=rates.slope_per_coin,
    ).maintenance_margin_coin


@exact
def is_beyond(side: Side, price_usd: Decimal, liquidation_price_usd: Decimal | None) -> bool:
    """``s·(P − LP) ≤ 0`` with ``LP`` taken without the context's noise below ``1e-20``: the
    price is at or beyond the liquidation price (DOMAIN.md §11). No price: never."""
    if liquidation_price_usd is None:
        return False
    return side.sign * (price_usd - quantize(liquidation_price_usd, NOISE)) <= ZERO


@exact
def account(book: Book, price_usd: Decimal, cross_rule: MarginRule, isolated_rule: MarginRule) -> AccountResult:
    """The account at the price ``P`` (module docstring for the formulas).

    Cross part: equity ``B + A − S/P``; maintenance margin ``a + b/P`` (tiers at ``P`` for
    the mark family); free margin ``equity − MM``; effective leverage ``ΣQᵢ/P / equity``
    (``None`` when equity ≤ 0); USD delta ``B + A``, coin delta ``S/P²``, gamma ``−2S/P³``;
    ``P_liq = Y/X``, bankruptcy ``(S + F)/(B + A)``; liquidated when ``equity ≤ MM`` at
    ``P``; signed distance ``100·(P_liq − P)/P``. Each position: ``PnL = s·Q·(1/E − 1/P)``,
    its sensitivities (§7) and, if isolated, its own liquidation (:func:`.margin.liquidation`
    with the venue's tier). Totals add the isolated equities ``Mᵢ + PnLᵢ`` and USD deltas
    ``Mᵢ + sᵢ·Qᵢ/Eᵢ``.
    """
    holdings = book.holdings
    cross = [h for h in holdings if h.margin_coin is None]
    terms, rounds = solve_cross(book.balance_coin, cross, cross_rule)
    spec = cross_rule.spec
    now = terms
    if cross_rule.table is not None and spec.basis is Basis.MARK:
        now = cross_terms(book.balance_coin, cross, cross_rule, _tiers_at(cross, cross_rule.table, price_usd))
    equity = now.equity_coin(price_usd)
    if cross_rule.size_rates is not None:
        maintenance = sum((_size_maintenance(h.position, cross_rule.size_rates, price_usd) for h in cross), ZERO)
    else:
        maintenance = now.maintenance_coin(price_usd)

    numerator, denominator = terms.numerator_usd, terms.denominator_coin
    side = None if numerator == ZERO else (Side.LONG if numerator > ZERO else Side.SHORT)
    if not cross:
        liq = PriceAnswer(None, NO_CROSS)
        liquidated: bool | None = False
    elif cross_rule.no_price_reason is not None:
        liq = PriceAnswer(None, cross_rule.no_price_reason)
        liquidated = None
    else:
        liquidated = equity <= maintenance
        price = solve_quotient(numerator, denominator)
        if price is not None:
            liq = PriceAnswer(price)
        elif liquidated:
            liq = PriceAnswer(None, LIQUIDATED_NOW)
        else:
            liq = PriceAnswer(None, EQUAL_AND_OPPOSITE if numerator == ZERO else COVERED)
    bankrupt = terms.bankruptcy_price_usd
    bankruptcy = PriceAnswer(
        bankrupt,
        None if bankrupt is not None else (NO_CROSS if not cross else "no positive price brings the equity to zero"),
    )

    gross = sum((h.position.size_usd for h in cross), ZERO) / price_usd
    lines = []
    specs = _Specs(cross_rule)
    cross_number = 0
    total_equity = equity
    total_delta = book.balance_coin + terms.signed_entry_value_coin
    minus_two = -2 * ONE
    for index, holding in enumerate(holdings):
        position = holding.position
        signed = position.side.sign * position.size_usd
        at_entry = signed / position.entry_price_usd  # s·Q/E
        exposure = signed / price_usd  # s·Q/P
        gain = at_entry - exposure  # PnL = s·Q·(1/E − 1/P)
        delta = exposure / price_usd  # s·Q/P²
        gamma = minus_two * delta / price_usd  # −2·s·Q/P³
        if holding.margin_coin is None:
            tier = None if now.tiers is None else now.tiers[cross_number]
            cross_number += 1
            if cross_rule.size_rates is not None:
                own = _size_maintenance(position, cross_rule.size_rates, price_usd)
            else:
                coin_part, usd_part = charge(position, specs(tier))
                own = coin_part + usd_part / price_usd
            sens = Sensitivity(price_usd, exposure, delta, gamma, at_entry)
            lines.append(
                PositionLine(
                    index, holding.name, position, MarginMode.CROSS, gain, sens, None, own, tier, None, None, None
                )
            )
            continue
        result, tier = _isolated(holding, isolated_rule)
        margin = holding.margin_coin
        own_equity = settle(margin + gain, margin, gain)
        total_equity += own_equity
        total_delta += margin + at_entry
        sens = Sensitivity(price_usd, exposure, delta, gamma, margin + at_entry)
        beyond = (
            None
            if isolated_rule.no_price_reason is not None
            else is_beyond(position.side, price_usd, result.liquidation.price_usd)
        )
        lines.append(
            PositionLine(
                index,
                holding.name,
                position,
                MarginMode.ISOLATED,
                gain,
                sens,
                margin,
                result.maintenance_margin_coin,
                tier,
                own_equity,
                result,
                beyond,
            )
        )

    return AccountResult(
        price_usd=price_usd,
        basis=spec.basis,
        fee_treatment=spec.treatment,
        terms=terms,
        cross_count=len(cross),
        gross_value_coin=gross,
        equity_coin=equity,
        maintenance_margin_coin=maintenance,
        free_margin_coin=equity - maintenance,
        effective_leverage=None if equity <= ZERO or not cross else gross / equity,
        sensitivity=book_sensitivity(
            terms.signed_size_usd, terms.signed_entry_value_coin, book.balance_coin, price_usd
        ),
        liquidation=liq,
        bankruptcy=bankruptcy,
        side=side,
        liquidated=liquidated,
        distance_pct=None if liq.price_usd is None else HUNDRED * (liq.price_usd - price_usd) / price_usd,
        tier_rounds=rounds,
        lines=tuple(lines),
        total_equity_coin=total_equity,
        total_usd_delta_coin=total_delta,
    )


@exact
def balance_for_liquidation_at(book: Book, rule: MarginRule, target_usd: Decimal) -> tuple[Decimal | None, bool]:
    """The balance ``B*`` whose cross liquidation price is ``target_usd``, and whether the
    account is still liquidated with exactly ``B*`` (then any amount above it survives).

    ``X(B) = Y/P*`` solved for ``B`` with the tiers at ``P*`` (mark family) or at entry:
    ``X(B) = B + A − a₀`` (``a₀`` the maintenance margin without the fee term), so
    ``B* = Y/P* + a₀ − A``; where the fee to close is charged at the bankruptcy price,
    ``c = F·(B + A)/(S + F)`` grows with ``B`` and ``B* = (Y/P* + a₀)·(S + F)/S − A``
    (while that bankruptcy price exists). ``Y = 0`` (equal and opposite sizes): the ``B*``
    where ``X = 0``, which still liquidates. ``(None, False)`` when no balance does it.
    """
    # The account's form of :func:`.margin.solve_collateral`: the same equation, but with the
    # terms summed over the cross positions (each with its own entry and tier), so it solves
    # ``X(B) = Y/P*`` on :class:`CrossTerms` rather than on one position's ``a``, ``b``, ``k``.
    cross = [h for h in book.holdings if h.margin_coin is None]
    if not cross or rule.no_price_reason is not None or target_usd <= ZERO:
        return None, False
    at = target_usd if rule.spec.basis is Basis.MARK else None
    terms = cross_terms(book.balance_coin, cross, rule, _tiers_at(cross, rule.table, at))
    numerator = terms.numerator_usd
    goal = ZERO if numerator == ZERO else numerator / target_usd
    signed, value = terms.signed_size_usd, terms.signed_entry_value_coin
    base = terms.charge_coin
    strict = numerator == ZERO
    if rule.spec.basis is Basis.ENTRY:
        base -= terms.fee_to_close_coin
        fee = terms.close_fee_usd
        if fee != ZERO and signed != ZERO and signed + fee != ZERO:
            balance = (goal + base) * (signed + fee) / signed - value
            if (signed + fee) * (balance + value) > ZERO:
                return balance, strict
    return goal + base - value, strict


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
    """Each shock ``P' = P0·(1 + m)`` applied to the whole account (:func:`account` at ``P'``).
    Margin to add (DOMAIN.md §11): ``max(0, B* − B)`` with ``B*`` from
    :func:`balance_for_liquidation_at` at ``P' − step`` when the account is liquidated at or
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
                reason = NO_AMOUNT_HELPS
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
