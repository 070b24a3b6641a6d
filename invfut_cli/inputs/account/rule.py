"""The margin rules an account is valued under: the venue's (or the flags') rule in each
margin mode, exactly as ``liq-price`` picks it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from invfut_cli.core.book import MarginRule


@dataclass(frozen=True)
class _ModeView:
    """The options seen in one margin mode, for :func:`invfut_cli.venues.rules.rule_for`."""

    args: Any
    margin_mode: Any

    def __getattr__(self, name: str) -> Any:
        return getattr(self.args, name)


def margin_rule(args: Any, mode: Any) -> MarginRule:
    """The venue's (or the flags') rule for ``mode``, exactly as ``liq-price`` picks it."""
    from invfut_cli.core.book import MarginRule, SizeRates
    from invfut_cli.venues.rules import rule_for

    rule = rule_for(_ModeView(args, mode))
    rates = rule.size_margins
    return MarginRule(
        spec=rule.spec,
        table=rule.table,
        size_rates=None
        if rates is None
        else SizeRates(rates.initial_base, rates.maintenance_base, rates.slope_per_coin),
        no_price_reason=rule.no_liquidation_reason,
    )
