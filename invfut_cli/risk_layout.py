"""The layout pieces of the model probability of liquidation (see :mod:`invfut_cli.documents`)."""

from __future__ import annotations

from typing import Any

from invfut_cli.given import GIVEN

#: The echoed options (under ``inputs``).
RISK_INPUTS: dict[str, Any] = dict.fromkeys(("vol", "vol_from", "horizon", "drift", "max_probability"))

#: ``liquidation_probability``: null without ``--vol``/``--vol-from``.
PROBABILITY: dict[str, Any] = {
    "model": None,
    # --vol and --drift in percent, as given (a volatility read by --vol-from: to 0.01).
    "vol_pct": GIVEN,
    "drift_pct": GIVEN,
    "horizon": None,
    "horizon_days": None,
    "from_price": None,
    "vol_from": {"file": None, "interval_seconds": None, "returns": None, "vol_per_interval_pct": None},
    "touch_pct": None,
    "at_horizon_pct": None,
    "reason": None,
}

#: ``probability_target``: null without ``--max-probability``.
PROBABILITY_TARGET: dict[str, Any] = dict.fromkeys(("price", "collateral", "margin_to_add", "leverage", "reason"))
