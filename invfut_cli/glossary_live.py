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
}
