"""The keys of ``invfut watch``'s events (DOMAIN.md §13), merged into the glossary."""

from __future__ import annotations

#: ``key: (Unit member's name, meaning)``, plain pairs, so that this module imports nothing of
#: invfut's (the glossary merges them).


#: Each event key ``watch`` adds, with its unit.
WATCH_TERMS: dict[str, tuple[str, str]] = {
    # line, time, safety_pct and funding_paid are replay's keys too (glossary_risk.py): one meaning each.
    "line": ("COUNT", "a line of the input, from 1: the one a mark was read from (watch), or a candle's (replay)"),
    "time": (
        "TEXT",
        "ISO 8601 UTC: when a mark was taken (watch; null for an untimed mark), or a candle's time (replay)",
    ),
    "state": ("TEXT", "ok, warn, critical or liquidated: the watched position's state at this mark"),
    "previous_state": ("TEXT", "the state before this mark, or null at the first mark"),
    "safety_pct": (
        "PCT",
        "100·s·(P − L)/P, percent: how far the price is from the liquidation price L, at the mark (watch, "
        "rounded down) or at a candle's adverse extreme (replay)",
    ),
    "funding_paid": (
        "COIN",
        "funding paid, coin (negative: received): out of the collateral at this mark (watch), or along the path "
        "until the end or the liquidation (replay)",
    ),
}
