"""The layout of ``invfut exchanges``'s ``--json`` document (see :mod:`invfut_cli.documents`)."""

from __future__ import annotations

from typing import Any

#: ``--refresh`` answers with ``cache_file`` and ``refreshed`` in place of ``exchanges``.
OPTIONAL: frozenset[str] = frozenset({"exchanges", "cache_file", "refreshed"})

#: A linear or quanto preset (``presets.toml`` of :mod:`invfut_cli.contract_types`).
OTHER_CONTRACT: dict[str, Any] = {
    "preset_coin": None,
    "name": None,
    "symbol": None,
    "margin_currency": None,
    "contract_size_coin": None,
    "multiplier": None,
    "tick": None,
    "mmr": None,
    "family": None,
    "as_of": None,
    "sources": [None],
    "confirmed": [None],
    "unconfirmed": [None],
}

LAYOUT: dict[str, Any] = {
    "command": None,
    "cache_file": None,
    "refreshed": [
        {
            "venue": None,
            "read_at": None,
            "changes": [{"coin": None, "field": None, "shipped": None, "current": None}],
            "not_read": [None],
        }
    ],
    "exchanges": [
        {
            "exchange": None,
            "name": None,
            "product": None,
            "family": None,
            "fee_treatment_isolated": None,
            "fee_treatment_cross": None,
            "maker_fee": None,
            "taker_fee": None,
            "funding_interval_hours": None,
            "funding_mode": None,
            "as_of": None,
            "sources": [None],
            "notes": [None],
            "coins": {
                "*": {
                    "symbol": None,
                    "contract_size_usd": None,
                    "tick": None,
                    "lot": None,
                    "max_leverage": None,
                    "tier_unit": None,
                    "deduction_unit": None,
                    "tiers": [{"up_to": None, "mmr": None, "deduction": None, "max_leverage": None}],
                    "size_margins": {"initial_base": None, "maintenance_base": None, "slope_per_coin": None},
                }
            },
            "linear": [OTHER_CONTRACT],
            "quanto": [OTHER_CONTRACT],
        }
    ],
}
