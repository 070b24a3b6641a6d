"""The calls of ``invfut account`` into the core (:mod:`invfut_cli.core.book`,
:mod:`invfut_cli.core.account_valuation`, :mod:`invfut_cli.core.account_risk`): the margin
rules of the venue (or the flags), the account before and after the orders, the shocks and
the hedge advice."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from invfut_cli.commands.account.outcome import AccountOutcome
from invfut_cli.inputs.account.rule import margin_rule

if TYPE_CHECKING:
    from invfut_cli.core.book import Holding


def compute(args: Any, balance: Decimal, holdings: list[Holding], step: Decimal) -> AccountOutcome:
    """The core calls: :func:`~invfut_cli.core.account_valuation.account` before and after
    the orders, :func:`~invfut_cli.core.account_risk.stress_account` on the final account, and
    :func:`~invfut_cli.core.account_risk.hedge_to_usd_delta` for ``--usd-delta`` (with the
    account after that trade)."""
    from invfut_cli import core
    from invfut_cli.core.account_risk import hedge_to_usd_delta, stress_account
    from invfut_cli.core.account_valuation import account
    from invfut_cli.core.book import Book, Holding

    cross_rule, isolated_rule = margin_rule(args, core.MarginMode.CROSS), margin_rule(args, core.MarginMode.ISOLATED)
    book = Book(balance, tuple(holdings))
    before = account(book, args.price, cross_rule, isolated_rule)
    after = None
    if args.add:
        added = tuple(
            Holding(core.Position(core.Side(a.side), a.contracts, args.contract_size, a.price), name="added")
            for a in args.add
        )
        book = Book(balance, book.holdings + added)
        after = account(book, args.price, cross_rule, isolated_rule)
    final = after or before
    shocks: tuple[Any, ...] = ()
    if args.shocks:
        shocks = stress_account(book, cross_rule, isolated_rule, args.price, args.shocks, step)
    hedge = hedged = None
    if args.usd_delta is not None:
        from invfut_cli.venues import get

        lot = get(args.exchange).contract(args.coin).lot
        hedge = hedge_to_usd_delta(final.total_usd_delta_coin, args.usd_delta, args.price, args.contract_size, lot)
        if hedge.side is not None:
            trade = Holding(core.Position(hedge.side, hedge.contracts, args.contract_size, args.price), name="hedge")
            hedged = account(Book(balance, book.holdings + (trade,)), args.price, cross_rule, isolated_rule)
    return AccountOutcome(before, after, tuple(args.add), shocks, hedge, hedged)
