"""Liquidation and bankruptcy prices, for both margin families (DOMAIN.md §5).

Every price here solves one equation: the price ``P`` where equity meets a margin
requirement made of a part charged on the entry value, a part charged on the value at
``P``, and a fixed coin amount::

    C + s·Q/E − s·Q/P = a·Q/E + b·Q/P + k
    ⇒  P = (s + b)·Q / (C + (s − a)·Q/E − k)

with ``C`` the collateral (isolated margin or cross balance). The families differ only
in ``a``, ``b`` and ``k``:

- entry family, ``MM = m·Q/E − d + c``: ``a = m``, ``b = 0``, ``k = c − d``;
- mark family, ``MM = (m + f)·Q/P − d``: ``a = 0``, ``b = m + f``, ``k = −d``;
- bankruptcy: the same with ``m = d = 0`` (``b = f`` where the fee to close is charged
  at the bankruptcy price, as Bybit cross does).

There is a price only where ``P > 0``: a zero or wrong-signed denominator means "no
such price", an answer with a reason, never a division by zero or a negative price.

The same equation solved for the collateral gives the margin that puts a liquidation
price where it is wanted::

    C = (s + b)·Q/P − (s − a)·Q/E + k

:func:`solve_price` and :func:`solve_collateral` are the one solver of each; every
collateral of one position (``--target-liquidation``, ``stress``'s margin to add) and the
order cost's bankruptcy price come from them. :func:`liquidation`'s two prices come from
:func:`.prices.isolated_prices`: the same equation with each family's ``a``, ``b`` and ``k``
written out on plain numbers, which a ``batch`` line asking for a liquidation price alone
calls without building a position.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import Decimal

from .numbers import NOISE, ZERO, exact, quantize
from .position import MarginMode, Position, Side, _change_pct, _initial_margin, change_pct
from .prices import isolated_prices, price_where


class Basis(enum.Enum):
    """Which value the maintenance rate is charged on."""

    #: ``MM = m·Q/E − d + c``: Bybit classic, BitMEX, Phemex, MCS.
    ENTRY = "entry"
    #: ``MM = (m + f)·Q/P − d``, at the liquidation price: Binance COIN-M, OKX, Kraken.
    MARK = "mark"


class FeeTreatment(enum.Enum):
    """How the taker fee enters the liquidation and bankruptcy prices."""

    #: No fee term.
    NONE = "none"
    #: The fee to close, ``f·Q/BP``, is charged at the bankruptcy price (Bybit cross).
    CLOSE_AT_BANKRUPTCY = "close-at-bankruptcy"
    #: The fee rate is added to the maintenance rate (OKX; BitMEX on the entry value).
    ADDED_TO_RATE = "added-to-rate"


@dataclass(frozen=True)
class MaintenanceSpec:
    """The maintenance-margin rule: rate ``m``, basis, deduction ``d``, taker fee ``f``.

    A deduction is given in coin (Binance's ``cum``) or in USD (a bracket schedule on a
    USD notional, as Kraken's): ``D`` USD is worth ``D/P`` coin at the price it is charged.
    """

    rate: Decimal
    basis: Basis = Basis.ENTRY
    deduction_coin: Decimal = ZERO
    taker_fee: Decimal = ZERO
    fee_treatment: FeeTreatment | None = None
    deduction_usd: Decimal = ZERO

    @property
    def treatment(self) -> FeeTreatment:
        """The fee treatment given, or the family's own: the fee to close at the bankruptcy
        price for the entry family, the fee added to the rate for the mark family. Without
        a fee there is no fee term."""
        if self.taker_fee == ZERO:
            return FeeTreatment.NONE
        if self.fee_treatment is not None:
            return self.fee_treatment
        if self.basis is Basis.ENTRY:
            return FeeTreatment.CLOSE_AT_BANKRUPTCY
        return FeeTreatment.ADDED_TO_RATE


@dataclass(frozen=True)
class PriceAnswer:
    """A price, or ``None`` with the reason there is no such price."""

    price_usd: Decimal | None
    reason: str | None = None


@exact
def solve_price(
    position: Position,
    collateral_coin: Decimal,
    *,
    entry_rate: Decimal = ZERO,
    price_rate: Decimal = ZERO,
    fixed_coin: Decimal = ZERO,
) -> Decimal | None:
    """The price where ``equity = a·Q/E + b·Q/P + k`` (see the module docstring).

    Returns ``P = (s + b)·Q / (C + (s − a)·Q/E − k)`` where that is a positive price,
    and ``None`` where the denominator is zero or the quotient is not positive.
    """
    return price_where(
        position.side.sign,
        position.size_usd,
        position.entry_price_usd,
        collateral_coin,
        entry_rate,
        price_rate,
        fixed_coin,
    )


@exact
def solve_collateral(
    position: Position,
    price_usd: Decimal,
    *,
    entry_rate: Decimal = ZERO,
    price_rate: Decimal = ZERO,
    fixed_coin: Decimal = ZERO,
) -> Decimal:
    """The collateral whose price under :func:`solve_price` is ``price_usd``: the equation
    ``C + s·Q/E − s·Q/P = a·Q/E + b·Q/P + k`` solved for ``C`` (see the module docstring).

    Returns ``C = (s + b)·Q/P − (s − a)·Q/E + k``; it may be zero or negative, and where
    ``s + b = 0`` no collateral moves the price (the caller says so).
    """
    s = position.side.sign
    size = position.size_usd
    return (s + price_rate) * size / price_usd - (s - entry_rate) * size / position.entry_price_usd + fixed_coin


def rates_of(spec: MaintenanceSpec) -> tuple[Decimal, Decimal]:
    """``(m + f where the fee is added to the rate, f where the fee to close is charged at
    the bankruptcy price)``: the maintenance rate and the fee term's rate of ``spec``."""
    treatment = spec.treatment
    fee_in_rate = spec.taker_fee if treatment is FeeTreatment.ADDED_TO_RATE else ZERO
    fee_at_bankruptcy = spec.taker_fee if treatment is FeeTreatment.CLOSE_AT_BANKRUPTCY else ZERO
    return spec.rate + fee_in_rate, fee_at_bankruptcy


@dataclass(frozen=True)
class CollateralAnswer:
    """The collateral that puts the liquidation price at a price, exact, and the fee to
    close ``c`` it carries (where the fee is charged at the bankruptcy price; else 0)."""

    collateral_coin: Decimal
    fee_to_close_coin: Decimal


@exact
def collateral_for_liquidation(
    position: Position, spec: MaintenanceSpec, price_usd: Decimal
) -> CollateralAnswer | None:
    """The collateral ``C*`` whose liquidation price (:func:`liquidation`) under ``spec`` is
    exactly ``price_usd``: :func:`solve_collateral` with the family's ``a``, ``b`` and ``k``.

    Entry family (``a = m'``, ``m' = m`` plus ``f`` where the fee is added to the rate,
    ``b = 0``, ``k = c − d'`` with ``d' = d + D/E``): ``C* = s·Q/P − (s − m')·Q/E − d'``.
    Where the fee to close is charged at the bankruptcy price ``BP = (s + f)·Q/(C + s·Q/E)``,
    ``c = f·Q/BP = f·(C + s·Q/E)/(s + f)`` grows with ``C`` too, and
    ``C* = (s + f)/s · (s·Q/P − (s − m')·Q/E − d') + f·Q/E`` while that bankruptcy price
    exists (else ``c = 0`` and the plain formula stands).
    Mark family (``a = 0``, ``b = m' − D/Q``, ``k = −d``): ``C* = (s + b)·Q/P − s·Q/E − d``;
    ``None`` where ``s + b = 0`` (the liquidation price does not depend on ``C``).

    ``C*`` may be zero or negative: then any collateral keeps the liquidation price beyond it.
    """
    s = position.side.sign
    size = position.size_usd
    entry = position.entry_price_usd
    rate, fee = rates_of(spec)
    if spec.basis is Basis.ENTRY:
        deduction = spec.deduction_coin + spec.deduction_usd / entry
        plain = solve_collateral(position, price_usd, entry_rate=rate, fixed_coin=-deduction)
        if fee == ZERO:
            return CollateralAnswer(plain, ZERO)
        with_fee = (s + fee) / s * plain + fee * size / entry
        # The fee term is charged only where a bankruptcy price exists: (s + f)·(C + s·Q/E) > 0.
        if (s + fee) * (with_fee + s * size / entry) > ZERO:
            return CollateralAnswer(with_fee, fee * (with_fee + s * size / entry) / (s + fee))
        return CollateralAnswer(plain, ZERO)
    price_rate = rate - spec.deduction_usd / size
    if s + price_rate == ZERO:
        return None
    return CollateralAnswer(
        solve_collateral(position, price_usd, price_rate=price_rate, fixed_coin=-spec.deduction_coin), ZERO
    )


@dataclass(frozen=True)
class LiquidationResult:
    """Liquidation and bankruptcy prices with the margins behind them."""

    margin_mode: MarginMode
    basis: Basis
    fee_treatment: FeeTreatment
    collateral_coin: Decimal
    initial_margin_coin: Decimal | None
    maintenance_margin_coin: Decimal
    fee_to_close_coin: Decimal
    liquidation: PriceAnswer
    bankruptcy: PriceAnswer
    distance_pct: Decimal | None
    warnings: tuple[str, ...]


def _no_price_reason(side: Side, what: str) -> str:
    if side is Side.SHORT:
        return f"equity never falls to {what}: the collateral covers the short at every price"
    return f"no positive price brings equity down to {what}"


# The body of :func:`.prices.isolated_prices`, for :func:`liquidation`, which runs under the
# core's context already (as do ``_initial_margin`` and ``_change_pct``, from .position): a
# wrapped call checks the context in a frame of its own, on every batch line with a margin.
_isolated_prices = isolated_prices.__wrapped__  # type: ignore[attr-defined]


@exact
def liquidation(
    position: Position,
    collateral_coin: Decimal,
    spec: MaintenanceSpec,
    *,
    margin_mode: MarginMode = MarginMode.ISOLATED,
    leverage: Decimal | None = None,
) -> LiquidationResult:
    """Liquidation and bankruptcy prices of ``position`` backed by ``collateral_coin``.

    Bankruptcy: equity reaches zero, or the fee to close ``f·Q/P`` where the fee is charged
    at the bankruptcy price. Liquidation: equity reaches the maintenance margin,
    entry family ``m·Q/E − d + c`` (``c = f·Q/BP``) or mark family ``(m + f)·Q/P − d``,
    with ``f = 0`` unless the fee is added to the rate, and ``d`` less ``D/E`` or ``D/P``
    for a deduction ``D`` in USD. ``distance_pct = 100·(LP − E)/E``.
    """
    treatment = spec.treatment
    rate, fee_at_bankruptcy = rates_of(spec)
    size = position.size_usd
    entry = position.entry_price_usd
    liq, bankrupt, fee_to_close = _isolated_prices(
        position.side.sign,
        size,
        entry,
        collateral_coin,
        rate,
        fee_at_bankruptcy,
        spec.basis is Basis.ENTRY,
        spec.deduction_coin,
        spec.deduction_usd,
    )

    if spec.basis is Basis.ENTRY:
        deduction = spec.deduction_coin + spec.deduction_usd / entry
        maintenance = rate * size / entry - deduction + fee_to_close
    else:
        at = liq if liq is not None else entry
        maintenance = (rate * size - spec.deduction_usd) / at - spec.deduction_coin

    warnings: list[str] = []
    if liq is not None and (liq - entry) * position.side.sign >= ZERO:
        warnings.append(
            "the liquidation price is at or beyond the entry price: the margin is already "
            "below the maintenance margin, and the position would be liquidated at once"
        )
    return LiquidationResult(
        margin_mode=margin_mode,
        basis=spec.basis,
        fee_treatment=treatment,
        collateral_coin=collateral_coin,
        initial_margin_coin=None if leverage is None else _initial_margin(size, entry, leverage),
        maintenance_margin_coin=maintenance,
        fee_to_close_coin=fee_to_close,
        liquidation=PriceAnswer(
            liq, None if liq is not None else _no_price_reason(position.side, "the maintenance margin")
        ),
        bankruptcy=PriceAnswer(bankrupt, None if bankrupt is not None else _no_price_reason(position.side, "zero")),
        distance_pct=None if liq is None else _change_pct(entry, liq),
        warnings=tuple(warnings),
    )


def boundary(price_usd: Decimal | None) -> Decimal | None:
    """A liquidation price as a boundary to test prices against: without the digits below
    :data:`~invfut_cli.core.numbers.NOISE`, which are the 50-digit context's rounding (a long
    at 1× with no maintenance margin is liquidated at exactly half its entry, not 1e-47 below it)."""
    return None if price_usd is None else quantize(price_usd, NOISE)


@exact
def is_liquidated(side: Side, price_usd: Decimal, liquidation_price_usd: Decimal | None) -> bool:
    """``s·(P − LP) ≤ 0``: the price is at or beyond the liquidation price (DOMAIN.md §11:
    a long at ``P ≤ LP``, a short at ``P ≥ LP``). No liquidation price means never."""
    if liquidation_price_usd is None:
        return False
    return side.sign * (price_usd - liquidation_price_usd) <= ZERO


@dataclass(frozen=True)
class MarkSafety:
    """How far the liquidation price is from a mark, and what that means.

    ``distance_pct = 100·(LP − P)/P``: negative when the liquidation price is below the mark.
    ``beyond``: the mark is at or beyond the liquidation price. ``alert``: a limit was given
    and the mark is within it on the safe side, or beyond.
    """

    distance_pct: Decimal | None
    beyond: bool
    alert: bool


@exact
def mark_safety(
    side: Side, mark_usd: Decimal, liquidation_price_usd: Decimal | None, within_pct: Decimal | None
) -> MarkSafety:
    """The signed distance ``100·(LP − P)/P`` from the mark ``P`` to ``LP``; ``beyond`` when
    ``s·(P − LP) ≤ 0``; ``alert`` when ``within_pct`` is given and the mark is beyond, or
    ``|distance| ≤ within_pct``. No liquidation price: no distance, never beyond, no alert."""
    if liquidation_price_usd is None:
        return MarkSafety(None, False, False)
    distance = change_pct(mark_usd, liquidation_price_usd)
    beyond = is_liquidated(side, mark_usd, liquidation_price_usd)
    alert = within_pct is not None and (beyond or abs(distance) <= within_pct)
    return MarkSafety(distance, beyond, alert)
