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

#: ``invfut replay``'s keys (DOMAIN.md §16); line, time, safety_pct and funding_paid, which watch
#: has too, are in glossary_watch.py.
RISK_TERMS.update({
    "file": ("text", "a file read, as named"),
    "price_source": ("text", "the prices a replay tested: mark (the file's mark column) or last (its low/high)"),
    "candles": ("count", "candles replayed"),
    "first_time": ("text", "the first candle's time, ISO 8601 UTC"),
    "last_time": ("text", "the last candle's time, ISO 8601 UTC"),
    "open": ("USD/coin", "a candle's open"),
    "high": ("USD/coin", "a candle's high"),
    "low": ("USD/coin", "a candle's low"),
    "close": ("USD/coin", "a candle's close"),
    "survived": ("flag", "the position was not liquidated along the whole path (an account: neither its cross "
        "part nor any isolated position)"),
    "liquidated_at": ("nested", "the first candle whose adverse extreme reached the liquidation price as shown: "
        "{time, price (the liquidation price, where the position closes), line}; null if it survived (an account: "
        "its cross part's, and each position's own under positions)"),
    "min_equity": ("coin", "the lowest equity reached at a candle's adverse extreme (a liquidated position: at the liquidation price, where it is closed; an account: its cross part, balance and cross PnL), coin"),
    "min_safety_pct": ("%", "the smallest safety margin reached, 100·s·(P − L)/P at the adverse extreme, percent "
        "(0 or less: liquidated)"),
    "worst_price": ("nested", "the path's most adverse extreme: {time, price}"),
    "funding_payments": ("count", "funding interval boundaries crossed (payments made)"),
    "collateral_end": ("coin", "the collateral after funding, at the end or at the liquidation"),
    "collateral_to_survive": ("coin", "the smallest collateral whose liquidation price stays a price step on the "
        "safe side of every extreme of the path, with the funding paid, rounded up (an account: the cross balance)"),
    "account": ("text", "the account file replayed with --account, as named (its cross balance is the collateral)"),
})  # fmt: skip
