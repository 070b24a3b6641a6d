"""An account file read under its margin rule, as the commands that follow one along prices
take it (``watch --account``, ``replay --account``): the file's positions as core holdings on
its balance, the options' model, the price step and both margin modes' rules."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from invfut_cli.core.book import Book, MarginRule


@dataclass(frozen=True)
class LoadedAccount:
    """The account: ``args`` (its option model, read at a price of 1: the rule does not
    depend on the price), ``book``, the prices the file gives, the price step, and the cross
    and isolated margin rules."""

    args: Any
    book: Book
    prices: list[Decimal]
    step: Decimal
    cross: MarginRule
    isolated: MarginRule


#: The options that describe one position: with an account file, the file gives the positions.
POSITION_OPTIONS = (
    "side", "entry", "contracts", "size_usd", "size_coin", "fill", "close", "leverage", "margin", "balance", "coin",
)  # fmt: skip


def refuse_position_options(values: dict[str, Any]) -> None:
    """A position's option given beside ``--account`` is a usage error naming it (``watch``
    and ``replay``, which follow an account file along prices)."""
    for key in POSITION_OPTIONS:
        if values.get(key) not in (None, (), []):
            from invfut_cli.core.errors import DomainError

            raise DomainError("not taken with --account: the account file gives the positions", option=key)


def file_venue(values: dict[str, Any], account_file: Any, source: Any) -> str:
    """The account's coin, with the file's venue as the default of ``exchange`` (set in
    ``values``); a coin that venue does not list is the file's error."""
    from invfut_cli.venues import GENERIC, find

    if values.get("exchange") is None and account_file.exchange is not None:
        values["exchange"] = account_file.exchange
    coin = account_file.coin.upper()
    venue = find(values.get("exchange") or GENERIC.key)
    if venue is not None and venue.contract(coin) is None:
        raise source.fail("coin", venue.no_contract(coin))
    return coin


def load_account(path: str, values: dict[str, Any]) -> LoadedAccount:
    """The account file at ``path`` under the rule options in ``values`` (the file's own
    venue where no ``exchange`` is given), as ``invfut account`` reads it."""
    from invfut_cli import core
    from invfut_cli.core.book import Book
    from invfut_cli.option_values import build
    from invfut_cli.rounding import shown_places, step_for

    from .file import parse_account, read_file
    from .holdings import holdings
    from .model import input_model
    from .rule import margin_rule

    data, source = read_file(path)
    account_file = parse_account(data, source)
    from invfut_cli.core.errors import DomainError

    from .linear import contract_choice

    kind = contract_choice({}, account_file, source)["kind"]
    if kind != "inverse":
        raise DomainError(
            f"{path} is a {kind} account: --account follows inverse accounts only (value a {kind} one with "
            "invfut account FILE --price PRICE)",
            "account",
        )
    values = {k: v for k, v in values.items() if v is not None}
    coin = file_venue(values, account_file, source)
    args = build(input_model(), coin=coin, price=Decimal(1), **values)
    found, prices = holdings(account_file, args, source)
    return LoadedAccount(
        args,
        Book(account_file.balance, tuple(found)),
        prices,
        step_for(args.tick, shown_places(args.price, *prices)),
        margin_rule(args, core.MarginMode.CROSS),
        margin_rule(args, core.MarginMode.ISOLATED),
    )
