"""``invfut account`` for a linear or quanto account (DOMAIN.md §8, §15): the options it does
not take, the calls into the core (:mod:`invfut_cli.core.linear_book`,
:mod:`invfut_cli.core.linear_stress`) and the document (:mod:`.linear_document`)."""

from __future__ import annotations

from typing import Any

from invfut_cli.core.errors import DomainError

#: Options of an inverse account that a linear or quanto one does not take, with the reason.
NOT_TAKEN = {
    "usd_delta": "the USD-delta hedge is an inverse account's (its balance is the coin)",
}


def refuse(values: dict[str, Any], kind: str) -> None:
    """An option a linear or quanto account does not take: one usage error naming it."""
    for key, why in NOT_TAKEN.items():
        value = values.get(key)
        if value is not None and value is not False:
            raise DomainError(f"is not taken by a {kind} account: {why}", key)
    if isinstance(values.get("price"), str) and values["price"].strip().lower() == "live":
        raise DomainError(
            f"a {kind} account takes the underlying's price as a number (live reads an inverse contract's mark)",
            "price",
        )


def run_linear(
    values: dict[str, Any], account_file: Any, source: Any, chosen: dict[str, Any], file: str | None
) -> dict[str, Any]:
    """The ``account`` document of a linear or quanto account: its options (``values``, the
    file's venue where none is given), the contract ``chosen`` (:func:`~invfut_cli.inputs.account.linear.contract_choice`),
    the positions, the core's valuation before and after the orders, and the shocks."""
    from invfut_cli.contract_types import presets
    from invfut_cli.core.linear_book import LinearBook, LinearHolding, linear_account
    from invfut_cli.core.linear_stress import stress_linear_account
    from invfut_cli.core.position import Side
    from invfut_cli.inputs.account.linear import linear_holdings
    from invfut_cli.inputs.account.linear_model import linear_input_model
    from invfut_cli.option_values import build
    from invfut_cli.rounding import shown_places, step_for

    from .linear_document import linear_document

    kind = chosen["kind"]
    refuse(values, kind)
    for key in ("usd_delta", "timeout"):  # --live and --save: refused before the file is read
        values.pop(key, None)
    from_file = values.get("exchange") is None and account_file.exchange is not None
    if from_file:
        values["exchange"] = account_file.exchange
    coin = account_file.coin.upper()
    exchange = getattr(values.get("exchange"), "value", values.get("exchange"))
    found = None if exchange in (None, "generic") else presets.find(exchange, kind, coin)
    if exchange not in (None, "generic") and found is None:
        has = ", ".join(presets.names(exchange)) or "none"
        message = f"{exchange} has no {kind} preset for {coin} (it has: {has})"
        if from_file:
            raise source.fail("exchange", message)
        raise DomainError(message, "exchange")
    settle = None if found is None else found[1].get("settle")
    if settle is not None and settle != coin:
        raise source.fail(
            "coin",
            f"a quanto account's coin is its settlement coin: {settle} for {found[1]['name']}'s {found[1]['symbol']} "
            f"(its prices are {found[0]}'s)",
        )
    options = {k: v for k, v in chosen.items() if k != "kind" and v is not None}
    args = build(linear_input_model(), coin=coin, contract_type=kind, **options, **values)
    holdings, prices = linear_holdings(account_file, args, source)
    places = shown_places(args.price, *(a.price for a in args.add), *prices)
    step = step_for(args.tick, places)
    spec = args.spec()
    book = LinearBook(account_file.balance, tuple(holdings))
    before = linear_account(book, args.price, spec)
    after = None
    if args.add:
        if args.size is None:
            raise DomainError("a quanto order's size is the multiplier: give --multiplier (or it in the file)", "add")
        added = tuple(LinearHolding(Side(a.side), a.contracts, args.size, a.price, name="added") for a in args.add)
        book = LinearBook(account_file.balance, book.holdings + added)
        after = linear_account(book, args.price, spec)
    shocks: tuple[Any, ...] = ()
    if args.shocks:
        shocks = stress_linear_account(book, spec, args.price, args.shocks, step)
    return linear_document(args, before, after, shocks, places, step, file)


def explain_linear(doc: dict[str, Any]) -> list[str]:
    """The formula steps of a linear or quanto account with the document's numbers (of
    ``after`` with ``--add``)."""
    from invfut_cli.commands.account import outcome_lines
    from invfut_cli.explain import n

    part = doc.get("after") or doc
    c, p = doc["margin_currency"], n(doc["price"])
    size = "k coin per contract" if doc["contract_type"] == "linear" else "M, the multiplier"
    lines = [
        f"{doc['contract_type']} account in {c}: uᵢ = contracts × {size}; cross part: B = {n(part['balance'])} {c}, "
        f"{part['cross_positions']} cross positions; Σ sᵢ·uᵢ = {n(part['coin_delta'])}, "
        f"Σ sᵢ·uᵢ·Eᵢ = {n(part['net_entry_value'])} {c}",
        f"equity at P = {p}: B + Σ sᵢ·uᵢ·(P − Eᵢ) = {n(part['equity'])} {c}",
        f"{part['formula_family']} family: MM(P) = Σ(a·uᵢ·Eᵢ + b·uᵢ·P) + K = {n(part['maintenance_margin'])} {c} "
        f"(a = m on the value at entry, or b = m on the value at P; K: the fee to close "
        f"{n(part['fee_to_close'])} {c} less the deductions); "
        "P_liq = (K + Σ(sᵢ + a)·uᵢ·Eᵢ − B) / Σ(sᵢ − b)·uᵢ",
    ]
    lines.extend(outcome_lines(doc, c, "Σuᵢ·P"))
    if doc.get("rows"):
        lines.append(
            "each shock: P' = P·(1 + move), every position at once; margin to add = the balance that puts the "
            f"liquidation price one price step beyond P', less B (solved linearly in B; rounded up to 10^-8 {c})"
        )
    return lines
