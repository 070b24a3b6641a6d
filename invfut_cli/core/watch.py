"""Watching a position mark by mark (DOMAIN.md §13): its state, the marks that keep it,
funding along the way, and the liquidation price to aim at when margin is added.

With the shown liquidation price ``L`` (rounded toward safety) and the mark ``P``, the
safety margin is ``a = 100·s·(P − L)/P`` (``s = +1`` for a long, ``−1`` for a short):
positive when safe. The states, from safe to unsafe: ``ok``, ``warn`` (``a ≤ W``),
``critical`` (``a ≤ X``), ``liquidated`` (``a ≤ 0``). A state is entered toward danger at
once; it is left toward safety only once ``a`` clears its own threshold by ``h``.

Every comparison is exact: ``a ≤ T`` is ``100·s·(P − L) ≤ T·P``, products of the given
decimals. The marks that keep a state (:func:`band`) are rounded inward, so a mark strictly
inside them keeps the state for sure, and a mark on or outside them is classified exactly.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, localcontext
from typing import Protocol

from .errors import DomainError
from .numbers import HUNDRED, ZERO, exact

#: No bound on that side: every finite mark is inside it (an infinite one is not).
INFINITY = Decimal("Infinity")


class State(enum.IntEnum):
    """A watched position's state; a larger value is less safe."""

    OK = 0
    WARN = 1
    CRITICAL = 2
    LIQUIDATED = 3

    @property
    def label(self) -> str:
        """The state as written: ``ok``, ``warn``, ``critical``, ``liquidated``."""
        return self.name.lower()


@dataclass(frozen=True)
class Limits:
    """The thresholds in percent of the mark: warn ``W``, critical ``X`` (``W > X > 0``),
    and the hysteresis ``h ≥ 0`` to leave a state toward safety."""

    warn_pct: Decimal
    critical_pct: Decimal
    hysteresis_pct: Decimal

    def __post_init__(self) -> None:
        if not self.critical_pct > ZERO:
            raise DomainError("the critical limit must be above 0%", option="fail_within")
        if not self.warn_pct > self.critical_pct:
            raise DomainError(
                f"--warn ({self.warn_pct}%) must be above --fail-within ({self.critical_pct}%)", option="warn"
            )
        if self.hysteresis_pct < ZERO:
            raise DomainError("the hysteresis must be 0% or more", option="hysteresis")

    def entry(self, state: State) -> Decimal | None:
        """The safety margin at or below which ``state`` is entered (``None`` for ``ok``)."""
        if state is State.OK:
            return None
        return (self.warn_pct, self.critical_pct, ZERO)[state - 1]


@exact
def safety_pct(sign: int, mark_usd: Decimal, liquidation_usd: Decimal) -> Decimal:
    """``a = 100·s·(P − L)/P``: how far the mark is from the liquidation price, in percent
    of the mark, positive on the safe side (0 at the liquidation price, never −0)."""
    a = HUNDRED * sign * (mark_usd - liquidation_usd) / mark_usd
    return a if a else ZERO


def _at_most(sign: int, mark: Decimal, liq: Decimal, pct: Decimal) -> bool:
    """``a ≤ pct``, exactly: ``100·s·(P − L) ≤ pct·P`` (``P > 0``)."""
    return HUNDRED * sign * (mark - liq) <= pct * mark


@exact
def raw_state(
    sign: int, mark_usd: Decimal, liquidation_usd: Decimal | None, limits: Limits, shift: Decimal = ZERO
) -> State:
    """The state the safety margin alone gives, with every threshold raised by ``shift``
    (the hysteresis, to leave toward safety); ``ok`` without a liquidation price."""
    if liquidation_usd is None:
        return State.OK
    for state in (State.LIQUIDATED, State.CRITICAL, State.WARN):
        if _at_most(sign, mark_usd, liquidation_usd, limits.entry(state) + shift):  # type: ignore[operator]
            return state
    return State.OK


@exact
def next_state(
    sign: int, mark_usd: Decimal, liquidation_usd: Decimal | None, previous: State | None, limits: Limits
) -> State:
    """The state at this mark after ``previous``: a less safe one (or the same) at once; a
    safer one only as far as the thresholds raised by the hysteresis allow. ``liquidated``
    is final."""
    raw = raw_state(sign, mark_usd, liquidation_usd, limits)
    if previous is None or raw >= previous:
        return raw
    if previous is State.LIQUIDATED:
        return previous
    relaxed = raw_state(sign, mark_usd, liquidation_usd, limits, limits.hysteresis_pct)
    return min(previous, relaxed)


def _mark_at(sign: int, liq: Decimal, pct: Decimal, rounding: str) -> Decimal:
    """The mark where ``a = pct``: ``100·L/(100 − s·pct)``, rounded by ``rounding``;
    ``INFINITY`` for a long where ``pct ≥ 100`` (every mark then has ``a ≤ pct``)."""
    denominator = HUNDRED - sign * pct
    if denominator <= ZERO:
        return INFINITY
    with localcontext() as ctx:
        ctx.rounding = rounding
        return HUNDRED * liq / denominator


@exact
def band(sign: int, liquidation_usd: Decimal | None, state: State, limits: Limits) -> tuple[Decimal, Decimal]:
    """``(lo, hi)``: every mark ``P`` with ``lo < P < hi`` keeps ``state`` (neither enters a
    less safe one nor clears the hysteresis to a safer one). Rounded inward; a mark outside
    (or on a bound) is classified by :func:`next_state`, which may keep the state too."""
    if liquidation_usd is None:
        return ZERO, INFINITY
    if state is State.LIQUIDATED:
        return ZERO, ZERO  # final: nothing is inside
    danger = limits.entry(State(state + 1))
    own = limits.entry(state)
    leave = None if own is None else own + limits.hysteresis_pct
    assert danger is not None
    if sign > 0:
        # a long: a ≤ T where P ≤ 100·L/(100 − T); stay while P > mark(danger) and P ≤ mark(leave)
        lo = _mark_at(sign, liquidation_usd, danger, ROUND_CEILING)
        hi = INFINITY if leave is None else _mark_at(sign, liquidation_usd, leave, ROUND_FLOOR)
    else:
        # a short: a ≤ T where P ≥ 100·L/(100 + T); stay while P < mark(danger) and P ≥ mark(leave)
        hi = _mark_at(sign, liquidation_usd, danger, ROUND_FLOOR)
        lo = ZERO if leave is None else _mark_at(sign, liquidation_usd, leave, ROUND_CEILING)
    return lo, hi


@exact
def target_liquidation(sign: int, mark_usd: Decimal, distance_pct: Decimal) -> Decimal | None:
    """The liquidation price at safety margin ``distance_pct`` from the mark:
    ``P·(1 − s·d/100)``; ``None`` where that is not a positive price (a long at 100% or more)."""
    price = mark_usd * (HUNDRED - sign * distance_pct) / HUNDRED
    return price if price > ZERO else None


def boundaries_crossed(previous_s: Decimal | None, now_s: Decimal, interval_s: Decimal) -> int:
    """How many funding times (the multiples of ``interval_s`` since the Unix epoch: 00:00,
    08:00 and 16:00 UTC for 8 hours) lie in ``(previous, now]``; none for the first timed
    mark or a time that goes back."""
    if previous_s is None or now_s <= previous_s or interval_s <= ZERO:
        return 0
    now, before = (
        (now_s / interval_s).to_integral_value(ROUND_FLOOR),
        (previous_s / interval_s).to_integral_value(ROUND_FLOOR),
    )
    return int(now - before)


@exact
def funding_paid(rate: Decimal, net_size_usd: Decimal, mark_usd: Decimal, payments: int = 1) -> Decimal:
    """Coin that leaves the collateral over ``payments`` funding times at this mark:
    ``k·rate·S/P`` with ``S = s·Q`` (summed over positions for an account). Negative: coin
    that enters it (a long at a negative rate, a short at a positive one)."""
    return payments * rate * net_size_usd / mark_usd


class Subject(Protocol):
    """What is watched (a position, or an account's cross part): which side of the mark
    its liquidation price lies (``sign``: +1 below, as for a long), its net size ``S = Σ s·Q``
    for funding, its shown liquidation price, and the collateral that moves it."""

    sign: int
    net_size_usd: Decimal

    def liquidation(self, mark_usd: Decimal) -> tuple[Decimal | None, str | None, bool]:
        """The shown liquidation price (rounded toward safety), where there is none why, and
        whether it is liquidated at every price (an account whose equity is at or below its
        maintenance margin whatever the price)."""
        ...

    def pay(self, coin: Decimal) -> None:
        """Take ``coin`` out of the collateral (put it in when negative)."""
        ...

    def margin_to_add(self, target_usd: Decimal, mark_usd: Decimal) -> tuple[Decimal | None, str | None]:
        """The collateral to add so the shown liquidation price is at or beyond ``target_usd``
        (exact, 0 when it already is), or ``None`` and why."""
        ...


@dataclass(frozen=True)
class Observation:
    """One mark, watched: the state before and after, the liquidation price and the safety
    margin there, and the funding paid at this mark (coin out of the collateral)."""

    line: int
    time_s: Decimal | None
    mark_usd: Decimal
    state: State
    previous: State | None
    liquidation_usd: Decimal | None
    safety_pct: Decimal | None
    reason: str | None
    funding_coin: Decimal

    @property
    def changed(self) -> bool:
        """Whether the state changed at this mark (the first mark counts as a change)."""
        return self.state is not self.previous


class Watcher:
    """The state machine of DOMAIN.md §13 over a :class:`Subject`. :meth:`observe` takes one
    mark (with its time, for funding every ``interval_s`` seconds at ``funding_rate``);
    :attr:`lo` and :attr:`hi` bound the marks that keep the state, for a caller's fast path
    (a mark strictly between them, with no time, changes nothing and need not be observed)."""

    def __init__(
        self, subject: Subject, limits: Limits, funding_rate: Decimal | None = None, interval_s: Decimal = ZERO
    ) -> None:
        self.subject, self.limits = subject, limits
        self.funding_rate, self.interval_s = funding_rate, interval_s
        self.state: State | None = None
        self.worst: State | None = None
        self.last_time: Decimal | None = None
        self.lo, self.hi = ZERO, ZERO  # nothing is inside until the first mark
        self._liq: tuple[Decimal | None, str | None, bool] | None = None

    @exact
    def observe(self, line: int, mark_usd: Decimal, time_s: Decimal | None = None) -> Observation:
        """The state at this mark: funding first for each funding time crossed since the
        last timed mark (the liquidation price moves), then :func:`next_state`."""
        paid = ZERO
        if time_s is not None:
            crossed = 0
            if self.funding_rate is not None:
                crossed = boundaries_crossed(self.last_time, time_s, self.interval_s)
            if self.last_time is None or time_s > self.last_time:
                self.last_time = time_s
            if crossed:
                paid = funding_paid(self.funding_rate, self.subject.net_size_usd, mark_usd, crossed)  # type: ignore[arg-type]
                self.subject.pay(paid)
                self._liq = None
        if self._liq is None:
            self._liq = self.subject.liquidation(mark_usd)
        liq, reason, everywhere = self._liq
        sign = self.subject.sign
        previous = self.state
        state = State.LIQUIDATED if everywhere else next_state(sign, mark_usd, liq, previous, self.limits)
        self.state = state
        self.worst = state if self.worst is None else max(self.worst, state)
        if state is not previous or paid:
            self.lo, self.hi = band(sign, liq, state, self.limits)
        return Observation(
            line=line,
            time_s=time_s,
            mark_usd=mark_usd,
            state=state,
            previous=previous,
            liquidation_usd=liq,
            safety_pct=None if liq is None else safety_pct(sign, mark_usd, liq),
            reason=reason,
            funding_coin=paid,
        )

    @exact
    def margin_to_add(self, mark_usd: Decimal) -> tuple[Decimal | None, str | None]:
        """The collateral to add so the liquidation price is at distance ``W + h`` from this
        mark (:func:`target_liquidation`), exact; 0 when it is already that far or more."""
        liq, _reason, everywhere = self._liq if self._liq is not None else self.subject.liquidation(mark_usd)
        distance = self.limits.warn_pct + self.limits.hysteresis_pct
        sign = self.subject.sign
        if everywhere:
            target = target_liquidation(sign, mark_usd, distance)
            return self.subject.margin_to_add(target if target is not None else mark_usd, mark_usd)
        if liq is None:
            return ZERO, None
        if HUNDRED * sign * (mark_usd - liq) >= distance * mark_usd:
            return ZERO, None
        target = target_liquidation(sign, mark_usd, distance)
        if target is None:
            return None, f"no liquidation price lies {distance}% below the mark"
        return self.subject.margin_to_add(target, mark_usd)
