"""``invfut pnl``'s exit targets: the exit price that reaches a USD PnL, an ROE or a net coin
PnL (the core solves each exactly), and the document's ``target`` object."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

from invfut_cli import core
from invfut_cli.rounding import coin, pct, usd

if TYPE_CHECKING:
    from invfut_cli.commands.pnl import PnlInput
    from invfut_cli.documents.parts import Doc
    from invfut_cli.inputs.fees import Costs


class Target(NamedTuple):
    """A target and the exit price that reaches it, or why none does."""

    kind: str
    value: Decimal
    exit_price_usd: Decimal | None
    reason: str | None
    limit_coin: Decimal | None


def target_for(args: PnlInput, position: core.Position, margin: Decimal | None, fees: Costs) -> Target | None:
    """The exit price that reaches the target asked (``--target-usd``, ``--target-roe`` or
    ``--target-pnl``) after fees and funding, or why none does; ``None`` when an exit was
    given instead."""
    if args.target_usd is None and args.target_roe is None and args.target_pnl is None:
        return None  # an exit was given (most lines of a batch)
    kwargs = {
        "open_fee_rate": fees.open_fee_rate,
        "close_fee_rate": fees.close_fee_rate,
        "funding_coin": fees.funding_coin,
    }
    limit = core.net_pnl_limit(position, open_fee_rate=fees.open_fee_rate, funding_coin=fees.funding_coin)
    side = "long" if position.side is core.Side.LONG else "short"
    if args.target_usd is not None:
        price = core.exit_for_usd_pnl(position, args.target_usd, **kwargs)
        reason = None if price is not None else f"no positive exit price gives {args.target_usd} USD for this {side}"
        return Target("pnl_usd", args.target_usd, price, reason, None)
    if args.target_roe is not None:
        assert margin is not None
        kind, value, coin_target = "roe_pct", args.target_roe * 100, args.target_roe * margin
    elif args.target_pnl is not None:
        kind, value, coin_target = "pnl", args.target_pnl, args.target_pnl
    else:
        return None
    price = core.exit_for_net_pnl(position, coin_target, **kwargs)
    if price is not None:
        return Target(kind, value, price, None, None)
    # Worded for people (the formula is in ``core.net_pnl_limit``); the document adds the limit.
    if position.side is core.Side.LONG:
        reason = "whatever the exit price, a long's net PnL is at most"
    else:
        reason = "whatever the exit price, a short's net loss is at most"
    return Target(kind, value, None, reason, limit)


def target_keys(target: Target | None, coin_name: str) -> Doc | None:
    """The document's ``target``: what was asked, the exit that reaches it to 8 places, or
    why none does (with the most it can reach, in ``coin_name``); null without a target."""
    if target is None:
        return None
    return {
        "kind": target.kind,
        "value": {"roe_pct": pct, "pnl": coin}.get(target.kind, lambda v: usd(v, 2))(target.value),
        "exit_price_exact": usd(target.exit_price_usd, 8),
        "reason": None
        if target.reason is None
        else target.reason
        if target.limit_coin is None
        else f"{target.reason} {coin(abs(target.limit_coin))} {coin_name}",
        "limit": coin(target.limit_coin),
    }
