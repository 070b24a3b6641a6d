"""The keys of ``invfut watch``'s events (DOMAIN.md §13), merged into the glossary."""

from __future__ import annotations

from .glossary import Term, Unit

#: Each event key ``watch`` adds, with its unit.
WATCH_TERMS: dict[str, Term] = {
    "line": Term(Unit.COUNT, "the input line a mark was read from (1 is the first)"),
    "time": Term(Unit.TEXT, "when a mark was taken, ISO 8601 UTC, or null for an untimed mark"),
    "state": Term(Unit.TEXT, "ok, warn, critical or liquidated: the watched position's state at this mark"),
    "previous_state": Term(Unit.TEXT, "the state before this mark, or null at the first mark"),
    "safety_pct": Term(
        Unit.PCT, "100·s·(mark − liquidation price)/mark: how far the mark is from liquidation, % of it, rounded down"
    ),
    "funding_paid": Term(Unit.COIN, "funding taken out of the collateral at this mark (negative: paid in), coin"),
}
