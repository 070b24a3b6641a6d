"""Sensitivities of an inverse position or book to the price (DOMAIN.md §7).

A book of positions on one price has a signed size ``S = Σ sᵢ·Qᵢ`` (USD) and a signed
value at entry ``A = Σ sᵢ·Qᵢ/Eᵢ`` (coin); one position is the book with ``S = s·Q`` and
``A = s·Q/E``. With coin collateral ``C``, the coin PnL is ``π(P) = A − S/P`` and:

- coin exposure ``S/P``: the book's value in coin at ``P`` (Deribit's delta of a future);
- coin delta ``∂π/∂P = S/P²``: coin gained per USD of price;
- coin gamma ``∂²π/∂P² = −2·S/P³``: negative for a long, positive for a short;
- USD delta ``∂W/∂P = C + A`` in coin, where ``W(P) = P·(C + π(P)) = P·(C + A) − S`` is
  the dollar equity: the same at every price.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .numbers import ZERO, exact
from .position import Position

TWO = Decimal(2)


@dataclass(frozen=True)
class Sensitivity:
    """Exposure, delta and gamma in coin at ``price_usd``, and the USD delta of the equity."""

    price_usd: Decimal
    exposure_coin: Decimal
    coin_delta_coin_per_usd: Decimal
    coin_gamma_coin_per_usd2: Decimal
    usd_delta_coin: Decimal


@exact
def book_sensitivity(
    signed_size_usd: Decimal, signed_entry_value_coin: Decimal, collateral_coin: Decimal, price_usd: Decimal
) -> Sensitivity:
    """For ``S = signed_size_usd``, ``A = signed_entry_value_coin`` and ``C = collateral_coin``:
    exposure ``S/P``, coin delta ``S/P²``, coin gamma ``−2·S/P³``, USD delta ``C + A``."""
    exposure = signed_size_usd / price_usd
    delta = exposure / price_usd
    return Sensitivity(
        price_usd=price_usd,
        exposure_coin=exposure,
        coin_delta_coin_per_usd=delta,
        coin_gamma_coin_per_usd2=-TWO * delta / price_usd,
        usd_delta_coin=collateral_coin + signed_entry_value_coin,
    )


@exact
def sensitivity(position: Position, price_usd: Decimal, collateral_coin: Decimal = ZERO) -> Sensitivity:
    """One position: :func:`book_sensitivity` with ``S = s·Q`` and ``A = s·Q/E``: exposure
    ``s·Q/P``, coin delta ``s·Q/P²``, gamma ``−2·s·Q/P³``, USD delta ``C + s·Q/E``."""
    signed = position.side.sign * position.size_usd
    return book_sensitivity(signed, signed / position.entry_price_usd, collateral_coin, price_usd)


@exact
def dollar_equity_usd(
    signed_size_usd: Decimal, signed_entry_value_coin: Decimal, collateral_coin: Decimal, price_usd: Decimal
) -> Decimal:
    """``W(P) = P·(C + A − S/P) = P·(C + A) − S``: the equity valued in USD at ``P``."""
    return price_usd * (collateral_coin + signed_entry_value_coin) - signed_size_usd
