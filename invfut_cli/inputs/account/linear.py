"""A linear or quanto account (DOMAIN.md §8, §15): which contract type an account file holds,
the options of ``invfut account`` for one, and its positions as core holdings.

An account is one margin currency, one underlying and one price: every position is of the
account's contract type (the file's ``contract_type``, else ``--contract-type``, else
inverse). ``--contract-type``, ``--quote`` and ``--multiplier`` fill in what the file leaves
out, and where the file says it too they must agree; ``--settle-price`` (the settlement
coin's price now, as ``--price`` is the underlying's) takes the place of the file's.
"""

from __future__ import annotations

from decimal import Decimal, localcontext
from typing import TYPE_CHECKING, Any

from invfut_cli.core.errors import DomainError
from invfut_cli.inputs.account.file import label
from invfut_cli.inputs.account.holdings import check_entry

if TYPE_CHECKING:
    from invfut_cli.core.linear_book import LinearHolding
    from invfut_cli.inputs.account.file import AccountSource

#: The options that choose the contract and its currencies.
CONTRACT_OPTIONS = ("contract_type", "quote", "multiplier", "settle_price")

#: Why a position of another contract type cannot share the account's balance.
WHY = {
    ("inverse", "linear"): "a linear position is margined in the quote currency, a separate balance from the coin's",
    ("inverse", "quanto"): "a quanto position moves with its underlying's price, not the coin's: "
    "an inverse and a quanto position together need two prices",
    ("linear", "inverse"): "an inverse position is margined in the coin, a separate balance from the quote currency's",
    ("linear", "quanto"): "a quanto position is margined in its settlement coin, a separate balance from the "
    "quote currency's",
    ("quanto", "inverse"): "an inverse position moves with the settlement coin's price, not the underlying's: "
    "a quanto and an inverse position together need two prices",
    ("quanto", "linear"): "a linear position is margined in the quote currency, a separate balance from the "
    "settlement coin's",
}


def _text(value: Any) -> Any:
    value = getattr(value, "value", value)
    return value.strip().upper() if isinstance(value, str) else value


def contract_choice(values: dict[str, Any], account_file: Any, source: AccountSource) -> dict[str, Any]:
    """Take the contract options out of ``values`` and settle them with the file's: ``{kind,
    quote, multiplier, settle_price}``. An option that disagrees with the file is a usage
    error naming it; a contract field that does not fit the account's type is the file's
    error naming the field (or the position and its field)."""
    given = {key: values.pop(key, None) for key in CONTRACT_OPTIONS}
    kind_option = getattr(given["contract_type"], "value", given["contract_type"])
    kind_file = getattr(account_file.contract_type, "value", account_file.contract_type)
    if kind_option is not None and kind_file is not None and kind_option != kind_file:
        raise DomainError(f"{kind_option}: the account file says contract_type = {kind_file!r}", "contract_type")
    kind = kind_file or kind_option or "inverse"
    chosen: dict[str, Any] = {"kind": kind}
    for key in ("quote", "multiplier"):
        option, written = _text(given[key]), _text(getattr(account_file, key))
        if option is not None and written is not None and option != written:
            raise DomainError(f"{option}: the account file says {key} = {written}", key)
        chosen[key] = written if written is not None else option
    chosen["settle_price"] = given["settle_price"] if given["settle_price"] is not None else account_file.settle_price
    _check_fields(kind, chosen, given, account_file, source)
    return chosen


def _check_fields(
    kind: str, chosen: dict[str, Any], given: dict[str, Any], account_file: Any, source: AccountSource
) -> None:
    """Each field and option of another contract type, refused with the reason."""
    need = {"quote": "linear", "multiplier": "quanto", "settle_price": "quanto"}
    for key, owner in need.items():
        if kind != owner and chosen[key] is not None:
            text = f"is for {owner} accounts (this one is {kind})"
            if given[key] is not None:
                raise DomainError(text, key)
            raise source.fail(key, text)
    for index, entry in enumerate(account_file.position):
        where = label(index, entry.name)
        own = getattr(entry.contract_type, "value", entry.contract_type)
        if own is not None and own != kind:
            raise source.fail(
                f"{where}: contract_type",
                f"a {own} position in {'an' if kind == 'inverse' else 'a'} {kind} account: {WHY[(kind, own)]}; an account is one margin currency, one "
                f"underlying and one price (value it in an account file of its own)",
            )
        if entry.multiplier is not None and kind != "quanto":
            raise source.fail(f"{where}: multiplier", f"is for quanto accounts (this one is {kind})")


def linear_holdings(account_file: Any, args: Any, source: AccountSource) -> tuple[list[LinearHolding], list[Decimal]]:
    """The file's positions as linear or quanto holdings (size: the position's
    ``contract_size`` or ``multiplier``, else the account's), checked (entry and contracts,
    or fills, whose entry is their contract-weighted mean; margin or leverage; the coin); and
    the prices written in the file."""
    from invfut_cli import core
    from invfut_cli.core.linear_book import LinearHolding
    from invfut_cli.core.numbers import CORE_CONTEXT

    quanto = args.contract_type == "quanto"
    found, prices = [], []
    for index, entry in enumerate(account_file.position):
        where = label(index, entry.name)
        check_entry(where, entry, args.coin, source)
        if quanto:
            if entry.contract_size is not None:
                raise source.fail(f"{where}: contract_size", "a quanto's size is its multiplier: give multiplier")
            size = entry.multiplier if entry.multiplier is not None else args.size
            if size is None:
                raise source.fail(
                    f"{where}: multiplier",
                    "missing: a quanto account needs multiplier (settlement coin per USD of price, per contract), "
                    "at the top of the file, on each position, or --multiplier",
                )
        else:
            size = entry.contract_size if entry.contract_size is not None else args.size
        if entry.fills:
            contracts = sum((f.contracts for f in entry.fills), Decimal(0))
            with localcontext(CORE_CONTEXT):
                price = sum((f.contracts * f.price for f in entry.fills), Decimal(0)) / contracts
            prices.extend(f.price for f in entry.fills)
        else:
            price, contracts = entry.entry, entry.contracts
            prices.append(price)
        side = core.Side(entry.side)
        margin = entry.margin
        if margin is None and entry.leverage is not None:
            with localcontext(CORE_CONTEXT):
                margin = contracts * size * price / entry.leverage
        found.append(LinearHolding(side, contracts, size, price, margin, entry.leverage, entry.name))
    return found, prices
