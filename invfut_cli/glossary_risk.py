"""The glossary's keys of the model probability of liquidation and of ``invfut replay``
(merged into :data:`invfut_cli.glossary.GLOSSARY`; plain pairs, so that this module imports nothing)."""

from __future__ import annotations

#: Each key: its unit (a :class:`invfut_cli.glossary.Unit` value) and what it means.
RISK_TERMS: dict[str, tuple[str, str]] = {
    # the model probability (DOMAIN.md §14)
    "liquidation_probability": ("nested", "the model probability of reaching the liquidation price "
        "(lognormal, --vol/--vol-from and --horizon), else null"),
    "probability_target": ("nested", "the liquidation price, margin and leverage whose model "
        "probability within the horizon is at most --max-probability, else null"),
    "model": ("text", "the price model: gbm, geometric Brownian motion (lognormal), 365-day year"),
    "vol_pct": ("%", "the model's annual volatility σ, percent"),
    "drift_pct": ("%", "the model's annual drift μ, percent (0: the price is a martingale)"),
    "horizon": ("text", "the horizon as given (30m, 24h, 7d, 1y)"),
    "horizon_days": ("rate", "the horizon in days, 8 places at most"),
    "from_price": ("USD/coin", "the price the model starts from: the mark, else the entry"),
    "vol_from": ("nested", "what --vol-from read: {file, interval_seconds, returns, vol_per_interval_pct}, "
        "else null"),
    "file": ("text", "a file read, as named"),
    "interval_seconds": ("count", "the candles' interval in seconds: the most common gap between their times"),
    "returns": ("count", "the count of close-to-close returns used"),
    "vol_per_interval_pct": ("%", "the realised volatility per candle interval, percent"),
    "touch_pct": ("%", "model probability of touching the liquidation price within the horizon, "
        "percent (venues liquidate on touch)"),
    "at_horizon_pct": ("%", "model probability of being at or beyond the liquidation price at the end "
        "of the horizon only, percent (below touch_pct; not the one to quote)"),
}  # fmt: skip
