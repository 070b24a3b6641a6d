"""The inverse position: value, profit and loss, margin and return, all in coin.

Notation (DOMAIN.md): ``n`` contracts of ``S`` USD make ``Q = n·S`` USD; ``E`` is the
entry price, ``P`` any other price, ``s = +1`` for a long and ``-1`` for a short.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import Decimal

from .numbers import HUNDRED, ONE, ZERO, exact, settle


class Side(enum.Enum):
    """Direction of a position; ``sign`` is ``s`` in the formulas."""

    LONG = "long"
    SHORT = "short"

    #: ``+1`` for a long, ``-1`` for a short (a member's own attribute: the formulas read it
    #: a dozen times a batch line).
    sign: int

    def __init__(self, value: str) -> None:
        self.sign = 1 if value == "long" else -1


class MarginMode(enum.Enum):
    """Isolated: a margin set aside for this position. Cross: the wallet balance backs it."""

    ISOLATED = "isolated"
    CROSS = "cross"


@dataclass(frozen=True)
class Position:
    """An inverse position: ``contracts`` of ``contract_size_usd`` each, entered at ``entry_price_usd``."""

    side: Side
    contracts: Decimal
    contract_size_usd: Decimal
    entry_price_usd: Decimal

    @property
    def size_usd(self) -> Decimal:
        """``Q = n·S``: the position's fixed size in USD."""
        return self.contracts * self.contract_size_usd

    @exact
    def value_coin(self, price_usd: Decimal) -> Decimal:
        """``V(P) = Q / P``: what the position is worth in coin at ``price_usd``."""
        return self.size_usd / price_usd

    @exact
    def pnl_coin(self, price_usd: Decimal) -> Decimal:
        """``PnL(P) = s·Q·(1/E − 1/P)`` in coin."""
        return self.side.sign * self.size_usd * (ONE / self.entry_price_usd - ONE / price_usd)

    @exact
    def pnl_usd(self, price_usd: Decimal) -> Decimal:
        """``PnL(P)·P = s·Q·(P − E)/E``: the coin profit valued at ``price_usd``; linear in ``P``."""
        return self.side.sign * self.size_usd * (price_usd - self.entry_price_usd) / self.entry_price_usd

    @exact
    def initial_margin_coin(self, leverage: Decimal) -> Decimal:
        """``IM = Q / (E·L)`` (:func:`initial_margin`)."""
        return _initial_margin(self.size_usd, self.entry_price_usd, leverage)

    @exact
    def equity_coin(self, collateral_coin: Decimal, price_usd: Decimal) -> Decimal:
        """``equity(P) = M + PnL(P)``, with ``M`` the margin (isolated) or balance (cross)."""
        gain = self.pnl_coin(price_usd)
        return settle(collateral_coin + gain, collateral_coin, gain)

    @exact
    def effective_leverage(self, collateral_coin: Decimal, price_usd: Decimal) -> Decimal | None:
        """``V(P) / equity(P)``; ``None`` where equity is zero or less (bankrupt)."""
        equity = self.equity_coin(collateral_coin, price_usd)
        if equity <= ZERO:
            return None
        return self.value_coin(price_usd) / equity


@exact
def roe_pct(pnl_coin: Decimal, margin_coin: Decimal) -> Decimal:
    """Return on equity in percent: ``100·PnL / margin``; ``s·L·(1 − E/P)`` at ``margin = IM``."""
    return HUNDRED * pnl_coin / margin_coin


@exact
def change_pct(start: Decimal, end: Decimal) -> Decimal:
    """``100·(end − start)/start``."""
    return HUNDRED * (end - start) / start


def _equity_usd(margin: Decimal, pnl_usd: Decimal, price_usd: Decimal) -> Decimal:
    """``M·P + s·Q·(P − E)/E`` (zero at the bankruptcy price, not the context's dust)."""
    held = margin * price_usd
    return settle(held + pnl_usd, held, pnl_usd)


# The bodies of the methods and functions above, for the core's functions that run under its
# context already (:func:`pnl`, :func:`.fees.net_pnl`, :func:`.margin.liquidation`): a wrapped
# call checks the context in a frame of its own, and these are every batch line's hot path.
_value_coin = Position.value_coin.__wrapped__  # type: ignore[attr-defined]
_pnl_coin = Position.pnl_coin.__wrapped__  # type: ignore[attr-defined]
_pnl_usd = Position.pnl_usd.__wrapped__  # type: ignore[attr-defined]
_change_pct = change_pct.__wrapped__  # type: ignore[attr-defined]
_roe_pct = roe_pct.__wrapped__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class PnlResult:
    """Profit and loss of a position closed (or marked) at ``exit_price_usd``."""

    size_usd: Decimal
    exit_price_usd: Decimal
    value_entry_coin: Decimal
    value_exit_coin: Decimal
    pnl_coin: Decimal
    pnl_usd: Decimal
    price_change_pct: Decimal
    initial_margin_coin: Decimal | None
    margin_coin: Decimal | None
    roe_pct: Decimal | None
    margin_usd_entry: Decimal | None
    margin_usd_exit: Decimal | None
    equity_coin: Decimal | None
    equity_usd: Decimal | None


@exact
def pnl(
    position: Position,
    exit_price_usd: Decimal,
    *,
    leverage: Decimal | None = None,
    margin_coin: Decimal | None = None,
) -> PnlResult:
    """Profit of ``position`` at ``exit_price_usd``, and its return on the margin when known.

    ``PnL = s·Q·(1/E − 1/P)``; ``ROE = PnL / margin``, where the margin is the one given,
    or ``IM = Q/(E·L)`` from the leverage. The margin is coin, so its USD value moves too:
    ``M·E`` at entry and ``M·P`` at exit; equity at exit is ``M + PnL``.
    """
    entry = position.entry_price_usd
    initial = None if leverage is None else _initial_margin(position.size_usd, entry, leverage)
    margin = margin_coin if margin_coin is not None else initial
    gain = _pnl_coin(position, exit_price_usd)
    gain_usd = _pnl_usd(position, exit_price_usd)
    equity = None if margin is None else settle(margin + gain, margin, gain)
    return PnlResult(
        size_usd=position.size_usd,
        exit_price_usd=exit_price_usd,
        value_entry_coin=_value_coin(position, entry),
        value_exit_coin=_value_coin(position, exit_price_usd),
        pnl_coin=gain,
        pnl_usd=gain_usd,
        price_change_pct=_change_pct(entry, exit_price_usd),
        initial_margin_coin=initial,
        margin_coin=margin,
        roe_pct=None if margin is None else _roe_pct(gain, margin),
        margin_usd_entry=None if margin is None else margin * entry,
        margin_usd_exit=None if margin is None else margin * exit_price_usd,
        equity_coin=equity,
        # ``(M + PnL)·P = M·P + s·Q·(P − E)/E``: the linear form keeps every digit where the
        # product of a rounded equity and the price would lose the last ones.
        equity_usd=None if equity is None else _equity_usd(margin, gain_usd, exit_price_usd),
    )


@exact
def initial_margin(size_usd: Decimal, entry_price_usd: Decimal, leverage: Decimal) -> Decimal:
    """``IM = Q / (E·L)``: the initial margin in coin of ``Q`` USD entered at ``E`` at leverage ``L``."""
    return size_usd / (entry_price_usd * leverage)


#: Its body, for :meth:`Position.initial_margin_coin`, :func:`pnl` and :func:`.margin.liquidation`
#: (already under the context).
_initial_margin = initial_margin.__wrapped__  # type: ignore[attr-defined]
