"""What ``watch`` follows, as the core's :class:`~invfut_cli.core.watch.Subject`: one position
under its venue's rule (as ``liq-price`` computes it), or an account's cross part (as
``account`` does). Each holds its collateral, which funding moves."""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from invfut_cli import core
from invfut_cli.rounding import coin_above, price_step, safe_price


def aimed(target: Decimal, side: core.Side, step: Decimal) -> Decimal:
    """The target liquidation price on the price step, toward safety (a long's down, a short's
    up): a liquidation price at or beyond it is shown at or beyond the target too."""
    return core.quantize(target, step, ROUND_FLOOR if side is core.Side.LONG else ROUND_CEILING)


class PositionSubject:
    """One position (``liq-price``'s options) and the collateral behind it."""

    def __init__(self, args: Any) -> None:
        self.args = args
        self.side = core.Side(args.side)
        self.sign = self.side.sign
        self.position: core.Position = args.position
        self.net_size_usd = self.sign * self.position.size_usd
        self.collateral: Decimal = args.collateral
        self.step = price_step(args)

    def liquidation(self, mark_usd: Decimal) -> tuple[Decimal | None, str | None, bool]:
        """The shown liquidation price at the collateral now (``liq-price``'s), or why there is
        none (a position with no liquidation price is never liquidated)."""
        from invfut_cli.venues.rules import liquidation_for

        outcome = liquidation_for(self.args, self.position, self.collateral)
        answer = outcome.result.liquidation
        return safe_price(answer.price_usd, self.side, self.step), answer.reason, False

    def pay(self, coin: Decimal) -> None:
        """Funding: ``coin`` leaves the collateral."""
        self.collateral = self.collateral - coin

    def margin_to_add(self, target_usd: Decimal, mark_usd: Decimal) -> tuple[Decimal | None, str | None]:
        """The collateral (DOMAIN.md §10, the venue's rule and tier as ``liq-price
        --target-liquidation``) whose shown liquidation price is at or beyond the target on
        the price step, less the collateral now; at least 0."""
        from invfut_cli.venues.rules import target_margin_for

        found, _tier = target_margin_for(self.args, aimed(target_usd, self.side, self.step))
        if found.margin_coin is None:
            return None, found.reason
        return max(found.margin_coin - self.collateral, Decimal(0)), None

    def collateral_coin(self) -> Decimal:
        """The collateral now."""
        return self.collateral


class AccountSubject:
    """An account's cross part (``account``'s file and rule): its balance moves with funding,
    its liquidation price is the cross one, and the hedge brings the USD delta to zero."""

    def __init__(
        self, book: Any, cross_rule: Any, isolated_rule: Any, step: Decimal, contract_size: Decimal, lot: Decimal
    ) -> None:
        self.book, self.cross_rule, self.isolated_rule = book, cross_rule, isolated_rule
        self.step, self.contract_size, self.lot = step, contract_size, lot
        cross = [h.position for h in book.holdings if h.margin_coin is None]
        self.net_size_usd = sum((p.side.sign * p.size_usd for p in cross), Decimal(0))
        # Long-heavy (or flat) accounts are liquidated below the mark, short-heavy ones above.
        self.side = core.Side.LONG if self.net_size_usd >= 0 else core.Side.SHORT
        self.sign = self.side.sign
        self.last: Any = None

    def value(self, mark_usd: Decimal) -> Any:
        """The account at this mark (:func:`invfut_cli.core.account_valuation.account`)."""
        from invfut_cli.core.account_valuation import account

        if self.last is None or self.last.price_usd != mark_usd:
            self.last = account(self.book, mark_usd, self.cross_rule, self.isolated_rule)
        return self.last

    def liquidation(self, mark_usd: Decimal) -> tuple[Decimal | None, str | None, bool]:
        """The account's shown cross liquidation price at the balance now, or why there is none,
        and whether it is liquidated at every price (its equity at or below the maintenance
        margin whatever the price: no price, and no safe mark either)."""
        result = self.value(mark_usd)
        answer = result.liquidation
        side = result.side or self.side
        everywhere = answer.price_usd is None and bool(result.liquidated)
        return safe_price(answer.price_usd, side, self.step), answer.reason, everywhere

    def pay(self, coin: Decimal) -> None:
        """Funding: ``coin`` leaves the cross balance."""
        from dataclasses import replace

        self.book = replace(self.book, balance_coin=self.book.balance_coin - coin)
        self.last = None

    def margin_to_add(self, target_usd: Decimal, mark_usd: Decimal) -> tuple[Decimal | None, str | None]:
        """The balance whose cross liquidation price is the target on the price step (toward
        safety), less the balance now; at least 0."""
        from invfut_cli.core.book import balance_for_liquidation_at
        from invfut_cli.core.stress import NO_BALANCE_HELPS

        needed, strict = balance_for_liquidation_at(self.book, self.cross_rule, aimed(target_usd, self.side, self.step))
        if needed is None:
            return None, NO_BALANCE_HELPS
        add = max(needed - self.book.balance_coin, Decimal(0))
        if strict:  # exactly that balance still liquidates: the next whole satoshi above it does not
            add = coin_above(add)
        return add, None

    def collateral_coin(self) -> Decimal:
        """The cross balance now."""
        return self.book.balance_coin

    def hedge(self, mark_usd: Decimal) -> Any:
        """The trade, in whole lots, that brings the account's USD delta to zero at this mark."""
        from invfut_cli.core.account_risk import hedge_to_usd_delta

        result = self.value(mark_usd)
        return hedge_to_usd_delta(result.total_usd_delta_coin, Decimal(0), mark_usd, self.contract_size, self.lot)
