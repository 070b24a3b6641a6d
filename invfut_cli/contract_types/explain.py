"""The ``--explain`` steps of a linear or quanto document (DOMAIN.md §15): the same steps as an
inverse document's, with ``u`` (``q = N·k`` coin, or ``N·M``) in place of ``Q`` and the
margin currency in place of the coin."""

from __future__ import annotations

from decimal import Decimal
from typing import Any


def n(value: Any) -> str:
    """A number as the steps write it (plain digits), or a dash for null (as ``invfut_cli.explain``
    writes it; not imported from there, which calls this module)."""
    if value is None:
        return "—"
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def explain_lines(doc: dict[str, Any]) -> list[str]:
    """The formula steps of ``doc`` with its numbers."""
    i, cur = doc["inputs"], doc["margin_currency"]
    linear = doc["contract_type"] == "linear"
    sign = "+1" if i["side"] == "long" else "−1"
    # ``leverage`` echoes the entry under ``inputs``; the position documents as ``average_entry``.
    e = n(doc["average_entry"] if "average_entry" in doc else i["entry"])
    size = f"k = {n(i['contract_size'] or 1)} {doc['underlying']}" if linear else f"M = {n(i['multiplier'])} {cur}/USD"
    lines = [
        f"{doc['contract_type']}: u = contracts × {size.split(' =')[0]} = {n(i['contracts'])} × {size.split('= ')[1]} "
        f"= {n(doc['units'])}; amounts in {cur}"
        + (
            ""
            if linear
            else f", worth {n(doc['settle_price'])} USD each"
            if doc.get("settle_price")
            else ", USD unknown"
        )
    ]
    command = doc["command"]
    if command == "pnl":
        lines.append(
            f"PnL = s·u·(P − E) = {sign} × {n(doc['units'])} × ({n(doc['exit_price'])} − {e}) = {n(doc['pnl'])} {cur}"
        )
    if doc.get("initial_margin") is not None:
        lines.append(f"initial margin = u·E/L = {n(doc['initial_margin'])} {cur}")
    if doc.get("formula_family") is not None:  # a document with the liquidation keys
        rate = "m + f" if doc["fee_treatment"] == "added-to-rate" else "m"
        base = "u·E" if doc["formula_family"] == "entry" else "u·P"
        lines.append(
            f"{doc['formula_family']} family: MM = ({rate})·{base} − d; equity C + s·u·(P − E) meets it at "
            f"P = (k + (s + a)·u·E − C) / (u·(s − b)) = {n(doc['liquidation_price_exact'])}, shown "
            f"{n(doc['liquidation_price'])} ({'up' if i['side'] == 'long' else 'down'} to {n(doc['price_step'])})"
            if doc["liquidation_price"] is not None
            else f"liquidation price: none ({doc['reason']})"
        )
        lines.append(
            f"bankruptcy: equity reaches zero at E − s·C/u = {n(doc['bankruptcy_price_exact'])}"
            if doc["bankruptcy_price"] is not None
            else f"bankruptcy price: none ({doc['bankruptcy_reason']})"
        )
    if command == "ladder":
        lines.append("each row: PnL = s·u·(P − E); equity = C + PnL; effective leverage = u·P / equity")
    if command == "stress":
        lines.append(
            "each shock: P' = reference × (1 + move), B' = B × (1 + coin move); equity = C + s·u·(P' − E); "
            "equity in USD = equity × B'; USD change = equity × B' − C × B"
        )
    return lines
