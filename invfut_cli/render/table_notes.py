"""The lines under a table: partial closes, targets, alerts, the order's cost, reasons for
missing prices, and warnings (a chart writes them under itself too)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from .table_cells import text
from .table_labels import left_for_later, liquidated_in_red


def size_note(doc: Mapping[str, Any]) -> str:
    """The line that shows how ``--size-usd``/``--size-coin`` became whole lots."""
    asked = doc["size_asked"]
    given = (
        f"{text(asked['size_usd'])} USD"
        if asked["size_usd"] is not None
        else f"{text(asked['size_coin'])} {doc.get('coin', '')} at the entry"
    )
    bought = "" if doc.get("closed") or doc.get("size_usd") is None else f" = {text(doc['size_usd'])} USD"
    return (
        f"Size asked {given}: bought {text(asked['contracts'])} contracts of {text(asked['contract_size'])} USD"
        f"{bought} (whole lots of {text(asked['lot'])}, rounded down)."
    )


#: A target's ``kind`` in words, with its value and unit.
TARGET_WORDS = {
    "roe_pct": "a ROE of {value}%",
    "pnl": "a net PnL of {value} {coin}",
    "pnl_usd": "a net PnL of {value} USD",
}


def target_words(target: Mapping[str, Any], coin: str) -> str:
    """What a ``pnl`` target asks for, as people say it: ``a ROE of 50%``, ``a net PnL of 0.01 BTC``."""
    value = target["value"]
    shown = text(value.normalize() if isinstance(value, Decimal) else value)  # 50%, not 50.0%
    return TARGET_WORDS[target["kind"]].format(value=shown, coin=coin)


def notes(doc: Mapping[str, Any]) -> Iterable[str]:
    """Partial closes, targets, reasons for missing prices, and warnings, as lines under the table."""
    later = left_for_later(doc)
    if later:
        yield f"{later} more figures with --explain, or in --json."
    for closed in doc.get("closed") or ():
        yield (
            f"Closed {text(closed['contracts'])} contracts at {text(closed['price'])}: realised "
            f"{text(closed['realised_pnl'])} {doc.get('coin', '')}; {text(closed['remaining_contracts'])} remain open."
        )
    if doc.get("closed") and doc.get("realised_pnl") is not None:  # the closes' total (pnl)
        coin_name = doc.get("coin", "")
        if doc["closed"][-1]["remaining_contracts"] == 0:
            yield f"Every contract is closed: realised {text(doc['realised_pnl'])} {coin_name} in all; nothing is open."
        elif doc.get("total_pnl") is not None:
            yield (
                f"Total: realised {text(doc['realised_pnl'])} + open {text(doc['pnl'])} at the exit = "
                f"{text(doc['total_pnl'])} {coin_name} (before fees and funding)."
            )
    grid = doc.get("grid")
    if isinstance(grid, Mapping) and grid.get("note"):
        yield f"{grid['note'][0].upper()}{grid['note'][1:]}."
    target = doc.get("target")
    if target:
        goal = target_words(target, doc.get("coin", ""))
        if target["reason"]:
            yield f"No exit reaches {goal}: {target['reason']}."
        else:
            yield f"Exit for {goal}: {text(doc.get('exit_price'))} (exact {text(target['exit_price_exact'])})."
    if doc.get("loss_at_liquidation") is not None:  # an exit beyond liquidation (pnl)
        yield (
            f"LIQUIDATED: the exit is at or beyond the liquidation price {text(doc['liquidation_price'])}. "
            f"The position is closed there and loses its collateral, {text(doc['loss_at_liquidation'])} "
            f"{doc.get('coin', '')}; the PnL above is the formula's at the exit, not money received."
        )
    if liquidated_in_red(doc) and doc.get("liquidation_price") is not None:
        yield (
            f"Rows at or beyond the liquidation price {text(doc.get('liquidation_price'))} are liquidated "
            "(red, no effective leverage): the position is closed there and its collateral lost."
        )
    if doc.get("beyond"):
        yield (
            f"{'ALERT: ' if doc['alert'] else ''}LIQUIDATED: the mark {text(doc['mark_price'])} is at or beyond "
            f"the liquidation price {text(doc['liquidation_price'])}."
        )
    elif doc.get("fail_within_pct") is not None and doc.get("distance_from_mark_pct") is not None:
        where = "within" if doc["alert"] else "outside"
        distance = doc["distance_from_mark_pct"]
        yield (
            f"{'ALERT: ' if doc['alert'] else ''}the liquidation price is {text(abs(distance))}% "
            f"{'below' if distance < 0 else 'above'} the mark {text(doc['mark_price'])}: "
            f"{where} the {text(doc['fail_within_pct'])}% limit."
        )
    yield from order_notes(doc)
    if doc.get("reason"):
        yield f"No liquidation price: {doc['reason']}."
    if doc.get("bankruptcy_reason"):
        yield f"No bankruptcy price: {doc['bankruptcy_reason']}."
    if doc.get("estimate_basis"):
        yield f"Estimated liquidation price: {doc['estimate_basis']}."
    if doc.get("size_asked"):
        yield size_note(doc)
    for warning in doc.get("warnings", []):
        yield f"Warning: {warning}."


def _cost_line(cost: Mapping[str, Any], coin: str) -> str:
    price = cost["bankruptcy_price"]
    at = "never bankrupt: none held" if price is None else f"at the bankruptcy price {text(price)}"
    return (
        f"initial margin {text(cost['initial_margin'])} + fee to open {text(cost['fee_open'])} + fee to close "
        f"{text(cost['fee_to_close'])} ({at}) = {text(cost['total'])} {coin}, each part to the satoshi "
        f"(exact sum {text(cost['total_exact'])})"
    )


def order_notes(doc: Mapping[str, Any]) -> Iterable[str]:
    """The order cost, the margin for a target liquidation price, the largest order, and
    the venue's own PnL rounding, as lines under the table."""
    coin = doc.get("coin", "")
    cost = doc.get("order_cost")
    if cost:
        yield f"Order cost at {text(cost['leverage'])}x: {_cost_line(cost, coin)}."
    target = doc.get("target_liquidation")
    if target:
        if target["collateral"] is None:
            yield f"No margin puts the liquidation price at {text(target['price'])}: {target['reason']}."
        else:
            add = target["margin_to_add"]
            change = (
                ""
                if add is None
                else f"; margin to add {text(add)} {coin}"
                + (" (negative: more than that is posted)" if add < 0 else "")
            )
            yield (
                f"Liquidation at {text(target['price'])} takes {text(target['collateral'])} {coin} of margin "
                f"(rounded up; leverage {text(target['leverage'])}x){change}."
            )
    largest = doc.get("largest_order")
    if largest:
        if largest["contracts"] is None:
            yield f"Largest order with fees: none; {largest['reason']}."
        else:
            yield (
                f"Largest order with fees: {text(largest['contracts'])} contracts; "
                f"{_cost_line(largest['cost'], coin)}; one lot more costs {text(largest['one_more_lot_total'])} {coin}."
            )
    if doc.get("liquidation_probability"):
        from invfut_cli.risk import probability_notes

        yield from probability_notes(doc)
    venue = doc.get("venue_pnl")
    if venue:
        yield (
            f"PnL as the venue rounds it: {text(venue['pnl'])} {coin}, each lot valued to the satoshi first "
            f"({text(venue['lot_value_entry'])} at entry, {text(venue['lot_value_exit'])} at exit, "
            f"{text(venue['lots'])} lots; exact {text(venue['pnl_exact'])})."
        )
