"""Glossary terms of the live data (``--mark live``): ``key: (Unit member's name, meaning)``,
merged into :data:`invfut_cli.glossary.GLOSSARY` (this module imports nothing of invfut's)."""

from __future__ import annotations

LIVE_TERMS: dict[str, tuple[str, str]] = {
    "mark_source": (
        "NESTED",
        "where a live mark price came from (--mark live): the venue, its symbol, the price as the venue "
        "sent it and the venue's timestamp",
    ),
    "venue": ("TEXT", "the preset venue a live value was read from"),
    "timestamp_ms": (
        "COUNT",
        "the venue's time of a live value, milliseconds since 1970-01-01 UTC (null if it sent none)",
    ),
    "cache_file": ("TEXT", "the file the refreshed rules were written to (exchanges --refresh)"),
    "refreshed": ("NESTED", "per venue read by exchanges --refresh: when, what changed, what was not read"),
    "read_at": ("TEXT", "when the venue's rules were read, ISO 8601 UTC"),
    "changes": ("NESTED", "each rule that differs from the shipped preset"),
    "field": ("TEXT", "the preset's rule that changed: contract_size_usd, tick, lot, max_leverage or tiers"),
    "shipped": ("TEXT", "the rule as the shipped preset has it"),
    "current": ("TEXT", "the rule as the venue answered"),
    "not_read": ("NESTED", "the rules the venue's public API does not give, kept from the shipped preset"),
    "action": ("TEXT", "what keys did: set, list or delete"),
    "venues": ("NESTED", "the venues keys acted on, or (list) the venues with a key; never a key"),
    "venue_positions": (
        "NESTED",
        "account --live: each position with the venue's liquidation price beside invfut's, the difference in "
        "price steps and percent of the price, flagged above 1%",
    ),
    "venue_liquidation_price": ("PRICE", "the liquidation price the venue reports for the position (null if none)"),
    "difference_steps": (
        "COUNT",
        "invfut's liquidation price less the venue's, in price steps (nearest, a half away from zero)",
    ),
    "difference_pct": ("PCT", "invfut's liquidation price less the venue's, in percent of the price now"),
    "flagged": ("FLAG", "the two liquidation prices differ by more than 1% of the price"),
    "venue_estimate": ("FLAG", "the venue's liquidation price is its own estimate (Deribit), and so is invfut's"),
    "difference_reason": (
        "TEXT",
        "why the two liquidation prices differ, where the venue's method is known (null if equal)",
    ),
    "skipped": ("NESTED", "positions the venue reported that invfut did not read (linear contracts), with the reason"),
}
