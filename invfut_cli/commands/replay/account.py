"""``invfut replay FILE --account ACCOUNT``: an account walked along the candles (DOMAIN.md
§8, §16).

The cross part is liquidated when a candle's adverse extreme for the cross side (the low
of a long-heavy account, the high of a short-heavy one, or the mark) reaches the account's
cross liquidation price as shown; each isolated position keeps its own margin and price and
is liquidated on its own when the path reaches it, losing its margin. Funding is paid on
every position at each interval boundary crossed, ``s·rate·Q/P`` coin: a cross position's
from the cross balance, an isolated one's from its margin; so the prices move.

This walk is exact and per candle (a ``Decimal`` comparison of each extreme with each
price): simpler and slower than the position's screened loop (:mod:`.engine`); the
account's prices are solved again (:func:`invfut_cli.core.account_valuation.account`) only
at the boundaries.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from invfut_cli.candles import Candle, CandleReader
from invfut_cli.core.numbers import CORE_CONTEXT, HUNDRED, ZERO


@dataclass
class Own:
    """An isolated position along the walk: its holding (margin after funding), its shown
    liquidation price, where it was liquidated and the funding it paid."""

    holding: Any
    liq: Decimal | None = None
    start: Decimal | None = None
    hit: Candle | None = None
    paid: Decimal = ZERO


@dataclass
class AccountWalk:
    """What the walk found, for the cross part (exact; rounded only in the document)."""

    candles: int = 0
    first_ms: int | None = None
    last_ms: int | None = None
    liquidation_start: Decimal | None = None
    reason: str | None = None
    hit: Candle | None = None
    liquidated_price: Decimal | None = None
    min_equity: Decimal | None = None
    min_safety_pct: Decimal | None = None
    worst_price: Decimal | None = None
    worst_ms: int | None = None
    funding_paid: Decimal = ZERO
    payments: int = 0
    balance_end: Decimal = ZERO
    need: Decimal | None = None
    price_source: str = "last"
    own: list[Own] = field(default_factory=list)


class AccountReplay:
    """One walk of ``reader``'s candles for the account ``book`` (:meth:`walk` per candle,
    :meth:`summary` for the answer)."""

    def __init__(
        self,
        reader: CandleReader,
        book: Any,
        rules: tuple[Any, Any],
        step: Decimal,
        rate: Decimal,
        funding_ms: int,
        from_ms: int | None,
    ) -> None:
        self.reader, self.book, self.rules, self.step = reader, book, rules, step
        self.rate, self.funding_ms, self.from_ms = rate, funding_ms, from_ms
        self.cross = tuple(h for h in book.holdings if h.margin_coin is None)
        with decimal.localcontext(CORE_CONTEXT):
            self.signed = sum((h.position.side.sign * h.position.size_usd for h in self.cross), ZERO)
            self.value = sum(
                (h.position.side.sign * h.position.size_usd / h.position.entry_price_usd for h in self.cross), ZERO
            )
        self.sign = 1 if self.signed >= 0 else -1
        self.result = AccountWalk()

    # --- exact steps, at the start and the boundaries -----------------------------------

    def _solve(self, balance: Decimal, own: list[Own], price: Decimal) -> tuple[Decimal | None, str | None, bool]:
        """The cross liquidation price as shown at ``balance`` (or why none, and whether the
        cross part is liquidated at every price); each isolated position's price set."""
        from invfut_cli.core import Side
        from invfut_cli.core.account_valuation import account
        from invfut_cli.core.book import Book
        from invfut_cli.rounding import safe_price

        holdings = self.cross + tuple(o.holding for o in own)
        result = account(Book(balance, holdings), price, *self.rules)
        for o, line in zip(own, result.lines[len(self.cross) :], strict=True):
            iso = line.isolated
            price_usd = None if iso is None else iso.liquidation.price_usd
            o.liq = safe_price(price_usd, o.holding.position.side, self.step)
        if not self.cross:
            return None, result.liquidation.reason, False
        side = Side.LONG if self.sign > 0 else Side.SHORT
        shown = safe_price(result.liquidation.price_usd, side, self.step)
        everywhere = shown is None and bool(result.liquidated)
        return shown, result.liquidation.reason, everywhere

    def _need(self, worst: Decimal, funding_before: Decimal) -> Decimal | None:
        """The cross balance whose liquidation price is one step on the safe side of
        ``worst`` (§10), plus the funding paid before it; ``None`` where none is."""
        from invfut_cli.core.book import Book, balance_for_liquidation_at
        from invfut_cli.rounding import coin_above

        target = worst - self.sign * self.step
        if target <= ZERO or not self.cross:
            return None
        with decimal.localcontext(CORE_CONTEXT):
            needed, strict = balance_for_liquidation_at(Book(self.book.balance_coin, self.cross), self.rules[0], target)
            if needed is None:
                return None
            if strict:  # exactly that balance still liquidates: the next satoshi above it does not
                needed = coin_above(needed)
            return max(needed + funding_before, ZERO)  # a balance is never below 0

    # --- the walk -----------------------------------------------------------------------

    def walk(self) -> Iterator[tuple[Candle, Decimal | None, Decimal, Decimal | None, Decimal, Decimal, bool]]:
        """Each candle (from ``--from``) with the cross liquidation price shown, the cross
        equity at the extreme, the safety margin there, the cross funding paid at it, the
        balance after it and whether the cross part is liquidated at it (or was before)."""
        w = self.result
        s = self.sign
        own = [Own(h) for h in self.book.holdings if h.margin_coin is not None]
        w.own = own
        balance = self.book.balance_coin
        liq: Decimal | None = None
        reason: str | None = None
        everywhere = False
        interval = self.funding_ms
        next_boundary: int | None = None
        path_funding = ZERO
        worst: Decimal | None = None  # this interval's cross extreme
        down = False
        marked = False
        for candle in self.reader:
            if self.from_ms is not None and candle.time_ms < self.from_ms:
                continue
            if w.candles == 0:
                marked = candle.mark is not None
                w.price_source = "mark" if marked else "last"
                w.first_ms = candle.time_ms
                liq, reason, everywhere = self._solve(balance, own, candle.mark or candle.open)
                w.liquidation_start, w.reason = liq, reason
                for o in own:
                    o.start = o.liq
                if interval > 0:
                    next_boundary = (candle.time_ms // interval + 1) * interval
            w.candles += 1
            w.last_ms = candle.time_ms
            paid = ZERO
            if next_boundary is not None and candle.time_ms >= next_boundary:
                crossed = (candle.time_ms - next_boundary) // interval + 1
                next_boundary += crossed * interval
                rate = candle.funding if candle.funding is not None else self.rate
                at = candle.mark if candle.mark is not None else candle.open
                if worst is not None:
                    self._settle_need(worst, path_funding)
                    worst = None
                if rate != ZERO:
                    with decimal.localcontext(CORE_CONTEXT):
                        paid = rate * crossed * self.signed / at
                        path_funding += paid
                        if not down and self.cross:
                            balance -= paid
                            w.funding_paid += paid
                            w.payments += crossed
                        for o in own:
                            if o.hit is None:
                                p = o.holding.position
                                mine = p.side.sign * rate * crossed * p.size_usd / at
                                o.paid += mine
                                o.holding = replace(o.holding, margin_coin=o.holding.margin_coin - mine)
                    liq, reason, everywhere = self._solve(balance, own, at)
            # Each isolated position on its own.
            for o in own:
                if o.hit is None:
                    p = o.holding.position
                    x = candle.mark if marked else (candle.low if p.side.sign > 0 else candle.high)
                    gone = o.holding.margin_coin <= ZERO
                    if gone or (o.liq is not None and p.side.sign * (x - o.liq) <= 0):
                        o.hit = candle
            extreme = candle.mark if marked else (candle.low if s > 0 else candle.high)
            hit = False
            if self.cross:
                if worst is None or s * (extreme - worst) < 0:
                    worst = extreme
                if w.worst_price is None or s * (extreme - w.worst_price) < 0:
                    w.worst_price, w.worst_ms = extreme, candle.time_ms
                hit = down or everywhere or (liq is not None and s * (extreme - liq) <= 0)
            # After the cross part is liquidated its balance is lost: the rows after say 0.
            equity = ZERO if down else balance
            safety = None
            held = ZERO if down else balance
            if not down:
                # A liquidated account is closed at the liquidation price (§11): its worst is there.
                at_price = liq if hit and liq is not None else extreme
                with decimal.localcontext(CORE_CONTEXT):
                    equity = balance + self.value - self.signed / at_price  # the balance alone without cross positions
                    safety = None if liq is None else HUNDRED * s * (at_price - liq) / at_price
                if w.min_equity is None or equity < w.min_equity:
                    w.min_equity = equity
                if safety is not None and (w.min_safety_pct is None or safety < w.min_safety_pct):
                    w.min_safety_pct = safety
                if hit:
                    down = True
                    w.hit, w.liquidated_price, w.balance_end = candle, liq, balance
            yield candle, liq, equity, safety, paid, held, hit
        if worst is not None:
            self._settle_need(worst, path_funding)
        if w.candles == 0:
            raise self.reader.fail(None, "no candles at or after --from" if self.from_ms is not None else "no candles")
        if not down:
            w.balance_end = balance

    def _settle_need(self, worst: Decimal, funding_before: Decimal) -> None:
        need = self._need(worst, funding_before)
        if need is not None and (self.result.need is None or need > self.result.need):
            self.result.need = need

    def summary(self) -> AccountWalk:
        """Walk every candle; the answer."""
        for _row in self.walk():
            pass
        return self.result
