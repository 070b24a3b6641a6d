"""A venue's own rounding of profit and loss: each lot valued to the satoshi first.

BitMEX computes a profit as the difference of two rounded values, not as a rounded
difference. Its help centre ("Realised PNL", support.bitmex.com article 6205277211037)
writes, for XBTUSD in lots of 100 contracts of 1 USD::

    Unrealised PNL = lots × (100/E − 100/P),  each 100/price rounded to 8 decimal places

and works ``5 × (100/42292.5 − 100/42303) = 5 × (0.00236449 − 0.0023639) = 0.00000295``.
A venue's rule is data (:class:`LotValueRounding`), given by its preset; the exact
profit ``s·Q·(1/E − 1/P)`` is kept beside the venue's figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .numbers import SATOSHI, exact, quantize
from .position import Position

__all__ = ["LotValueRounding", "RoundedPnl", "lot_rounded_pnl"]


@dataclass(frozen=True)
class LotValueRounding:
    """Value one lot of ``contracts_per_lot`` contracts at a price, rounded to ``step_coin``
    in the direction ``rounding`` (a :mod:`decimal` constant), before any difference."""

    contracts_per_lot: Decimal
    step_coin: Decimal = SATOSHI
    rounding: str = ROUND_HALF_UP


@dataclass(frozen=True)
class RoundedPnl:
    """A profit as the venue rounds it, with the exact one beside it."""

    lots: Decimal
    lot_value_entry_coin: Decimal
    lot_value_exit_coin: Decimal
    pnl_coin: Decimal
    exact_pnl_coin: Decimal


@exact
def lot_rounded_pnl(position: Position, exit_price_usd: Decimal, rule: LotValueRounding) -> RoundedPnl:
    """``s·lots·(v(E) − v(P))`` with ``v(P) = round(lot·S/P)`` to the rule's step and
    ``lots = n/lot``; beside it the exact ``s·Q·(1/E − 1/P)``. A count that is not a whole
    number of lots is valued in the same way, as a fraction of a lot."""
    per_lot_usd = rule.contracts_per_lot * position.contract_size_usd
    lots = position.contracts / rule.contracts_per_lot

    def value(price: Decimal) -> Decimal:
        return quantize(per_lot_usd / price, rule.step_coin, rule.rounding)

    entry_value = value(position.entry_price_usd)
    exit_value = value(exit_price_usd)
    return RoundedPnl(
        lots=lots,
        lot_value_entry_coin=entry_value,
        lot_value_exit_coin=exit_value,
        pnl_coin=position.side.sign * lots * (entry_value - exit_value),
        exact_pnl_coin=position.pnl_coin(exit_price_usd),
    )
