"""The keys of ``invfut watch``'s events (DOMAIN.md §13), merged into the glossary."""

from __future__ import annotations

#: ``key: (Unit member's name, meaning)``, plain pairs, so that this module imports nothing of
#: invfut's (the glossary merges them).


#: Each event key ``watch`` adds, with its unit.
WATCH_TERMS: dict[str, tuple[str, str]] = {
    "line": ("COUNT", "the input line a mark was read from (1 is the first)"),
    "time": ("TEXT", "when a mark was taken, ISO 8601 UTC, or null for an untimed mark"),
    "state": ("TEXT", "ok, warn, critical or liquidated: the watched position's state at this mark"),
    "previous_state": ("TEXT", "the state before this mark, or null at the first mark"),
    "safety_pct": (
        "PCT",
        "100·s·(mark − liquidation price)/mark: how far the mark is from liquidation, % of it, rounded down",
    ),
    "funding_paid": ("COIN", "funding taken out of the collateral at this mark (negative: paid in), coin"),
}
