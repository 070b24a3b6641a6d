"""``--explain``: the formula steps of a result, with the document's own numbers put in.

The lines are built from the output document, so they show exactly the numbers printed.
With ``--json`` they are the ``explain`` list; a table prints them under the result.
A command's module declares ``explain_lines(doc)`` (see :mod:`invfut_cli.commands`); the
wording several commands share is here: numbers as written, the position's size and
closes, the liquidation line, and the order cost.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .registry import spec

Doc = dict[str, Any]


def n(value: Any) -> str:
    """A number as written in the output (plain digits), or a dash for null."""
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def sign(doc: Doc) -> str:
    """``s``, the side's sign, as the steps write it."""
    return "+1" if doc["inputs"]["side"] == "long" else "−1"


def size_lines(doc: Doc) -> list[str]:
    """The steps from fills and closes to the size ``Q`` the position has open."""
    i = doc["inputs"]
    lines = []
    if i.get("fill"):
        fills = i["fill"]
        top = " + ".join(n(f["contracts"]) for f in fills)
        bottom = " + ".join(f"{n(f['contracts'])}/{n(f['price'])}" for f in fills)
        lines.append(f"entry E = Σnᵢ / Σ(nᵢ/Eᵢ) (harmonic mean) = ({top}) / ({bottom}) = {n(doc['average_entry'])}")
    for c in doc.get("closed") or ():
        lines.append(
            f"closed {n(c['contracts'])} at {n(c['price'])}: realised s·n·S·(1/E − 1/P) = {n(c['realised_pnl'])} {doc['coin']}; "
            f"{n(c['remaining_contracts'])} contracts stay open"
        )
    lines.append(
        f"Q = contracts × contract size = {n(i['contracts'] if not doc.get('closed') else doc['closed'][-1]['remaining_contracts'])} × {n(i['contract_size'])} = {n(doc['size_usd'])} USD"
    )
    return lines


def liquidated_lines(doc: Doc, where: str) -> list[str]:
    """Where the venue's liquidation rule puts the liquidation price, and what it means at ``where``."""
    if doc.get("liquidation_price") is None:
        return []
    side = doc["inputs"]["side"]
    rule = "at or below" if side == "long" else "at or above"
    line = f"liquidation price (the venue's rule, as liq-price) = {n(doc['liquidation_price'])}; liquidated {rule} it"
    if doc.get("liquidated"):
        line += (
            f": {where} is beyond it, so the position is closed there and loses its collateral "
            f"{n(doc['loss_at_liquidation'])} {doc['coin']}"
        )
    return [line]


def cost_line(cost: Doc, c: str) -> str:
    """An order cost's formula with its parts put in."""
    return (
        f"Q/(E·L) + f·Q/E + f·Q/BP, BP = E·L/(L ± 1) on the tick away from the trader = {n(cost['bankruptcy_price'])}: "
        f"{n(cost['initial_margin'])} + {n(cost['fee_open'])} + {n(cost['fee_to_close'])} = {n(cost['total'])} {c} "
        f"(each part to the satoshi; exact sum {n(cost['total_exact'])})"
    )


def order_lines(doc: Doc) -> list[str]:
    """Steps of the order cost, the margin for a target liquidation price, the largest
    order and the venue's PnL rounding, where the document has them."""
    c, lines = doc["coin"], []
    if doc.get("order_cost"):
        lines.append(f"order cost = {cost_line(doc['order_cost'], c)}")
    target = doc.get("target_liquidation")
    if target and target["collateral"] is None:
        lines.append(f"margin for a liquidation at {n(target['price'])}: none ({target['reason']})")
    elif target:
        lines.append(
            f"margin for a liquidation at P* = {n(target['price'])}: entry family M = s·Q/P* − s·Q/E + m·Q/E − d + c, "
            f"mark family M = Q·(s + m + f)/P* − d − s·Q/E; M = {n(target['collateral'])} {c} (rounded up), "
            f"to add {n(target['margin_to_add'])} {c}, leverage Q/(E·M) = {n(target['leverage'])}"
        )
    largest = doc.get("largest_order")
    if largest and largest["cost"]:
        lines.append(
            f"largest order: the most lots whose cost ≤ {n(largest['collateral'])} {c}: {n(largest['contracts'])} "
            f"contracts, cost = {cost_line(largest['cost'], c)}; one lot more costs {n(largest['one_more_lot_total'])}"
        )
    elif largest:
        lines.append(f"largest order: none ({largest['reason']})")
    venue = doc.get("venue_pnl")
    if venue:
        lines.append(
            f"venue PnL = s·lots·(v(E) − v(P)), v(P) = lot value at P to the satoshi: {n(venue['lots'])} lots × "
            f"({n(venue['lot_value_entry'])} − {n(venue['lot_value_exit'])}) = {n(venue['pnl'])} {c} "
            f"(exact {n(venue['pnl_exact'])})"
        )
    return lines


def with_explanation(doc: Doc, wanted: bool) -> Doc:
    """``doc`` with its ``explain`` lines (``null`` unless ``wanted``)."""
    if not wanted:
        return {**doc, "explain": None}
    rows = doc.get("rows")
    if rows is not None and not isinstance(rows, list):
        doc = {**doc, "rows": list(rows)}
    if doc.get("contract_type") and doc["command"] != "account":  # a linear or quanto position (DOMAIN.md §15)
        from invfut_cli.contract_types.explain import explain_lines as contract_lines

        return {**doc, "explain": contract_lines(doc)}
    explain_lines = spec(doc["command"]).explain_lines
    if explain_lines is None:  # every command that writes a document has its steps
        raise TypeError(f"command {doc['command']!r} has no --explain steps")
    return {**doc, "explain": explain_lines(doc)}
