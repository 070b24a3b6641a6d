"""The account valued at one price (DOMAIN.md §7, §8): the cross part's equity, maintenance
margin, liquidation and bankruptcy prices from the cross equation of :mod:`.book`, each
position's line, and the totals with the isolated positions.

An isolated position keeps its own margin and its own liquidation price
(:func:`.margin.liquidation`); it adds to the total equity but not to the cross part.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from .book import (
    Book,
    CrossTerms,
    Holding,
    MarginRule,
    SizeRates,
    TierSpecs,
    charge,
    cross_terms,
    fee_root_on_losing_side,
    solve_cross,
    tiers_at,
)
from .margin import Basis, FeeTreatment, LiquidationResult, PriceAnswer, liquidation
from .numbers import NOISE, ONE, ZERO, exact, quantize, settle
from .position import MarginMode, Position, Side, change_pct
from .prices import solve_quotient
from .sensitivity import Sensitivity, book_sensitivity
from .tiers import size_dependent_margins, tiered_liquidation

NO_CROSS = "no cross positions: the balance alone does not move with the price"
EQUAL_AND_OPPOSITE = (
    "the cross positions are equal and opposite: the equity does not depend on the price, "
    "so no price brings it to the maintenance margin"
)
COVERED = "the equity stays above the maintenance margin at every price: the balance covers the shorts"
LIQUIDATED_NOW = "the equity is at or below the maintenance margin at every price: the account is liquidated now"
FEE_AT_LEAST_NET = (
    "the fee to close the gross size is at least the net short (or the sizes net to zero): the equity "
    "less that fee does not fall as the price rises, so no price on the side the account loses brings it to zero"
)


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
    """The account at the price ``P`` (:mod:`.book` for the formulas).

    Cross part: equity ``B + A − S/P``; maintenance margin ``a + b/P`` (tiers at ``P`` for
    the mark family); free margin ``equity − MM``; effective leverage ``ΣQᵢ/P / equity``
    (``None`` when equity ≤ 0); USD delta ``B + A``, coin delta ``S/P²``, gamma ``−2S/P³``;
    ``P_liq = Y/X``, bankruptcy ``(S + F)/(B + A)`` (none in the entry family where the
    fee ``F`` is at least a net short: :mod:`.book`); liquidated when ``equity ≤ MM`` at
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
        now = cross_terms(book.balance_coin, cross, cross_rule, tiers_at(cross, cross_rule.table, price_usd))
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
    if bankrupt is not None:
        no_bankruptcy = None
    elif not cross:
        no_bankruptcy = NO_CROSS
    elif (
        spec.basis is Basis.ENTRY
        and terms.close_fee_usd != ZERO
        and not fee_root_on_losing_side(terms.signed_size_usd, terms.close_fee_usd)
    ):
        no_bankruptcy = FEE_AT_LEAST_NET
    else:
        no_bankruptcy = "no positive price brings the equity to zero"
    bankruptcy = PriceAnswer(bankrupt, no_bankruptcy)

    gross = sum((h.position.size_usd for h in cross), ZERO) / price_usd
    lines = []
    specs = TierSpecs(cross_rule)
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
        distance_pct=None if liq.price_usd is None else change_pct(price_usd, liq.price_usd),
        tier_rounds=rounds,
        lines=tuple(lines),
        total_equity_coin=total_equity,
        total_usd_delta_coin=total_delta,
    )
