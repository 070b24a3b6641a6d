"""``--explain``: the formula steps of a result, with the document's own numbers put in.

The lines are built from the output document, so they show exactly the numbers printed.
With ``--json`` they are the ``explain`` list; a table prints them under the result.
A command's module declares ``explain_lines(doc)`` (see :mod:`invfut_cli.commands`); the
steps of the position commands and of ``size``, ``hedge`` and ``stress`` are written here.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .commands import hook

Doc = dict[str, Any]


def n(value: Any) -> str:
    """A number as written in the output (plain digits), or a dash for null."""
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _sign(doc: Doc) -> str:
    return "+1" if doc["inputs"]["side"] == "long" else "−1"


def _size(doc: Doc) -> list[str]:
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


def pnl(doc: Doc) -> list[str]:
    """Steps of ``pnl``."""
    c, e, p = doc["coin"], n(doc["average_entry"]), n(doc["exit_price"])
    lines = _size(doc)
    target = doc.get("target")
    if target:
        if target["exit_price_exact"] is None:
            lines.append(f"target {target['kind']} {n(target['value'])}: no exit price reaches it ({target['reason']})")
            return lines
        formula = (
            "P = (y + (s + fc)·Q) / ((s − fo)·Q/E − F)"
            if target["kind"] == "pnl_usd"
            else "P = (s + fc)·Q / ((s − fo)·Q/E − F − x), x the net coin PnL wanted"
        )
        lines.append(
            f"target {target['kind']} {n(target['value'])}: {formula} = {n(target['exit_price_exact'])}, shown {p}"
        )
    if doc.get("closed") and doc["closed"][-1]["remaining_contracts"] == 0:
        lines.append(f"realised in all = Σ s·nₖ·S·(1/E − 1/Pₖ) = {n(doc['realised_pnl'])} {c}; nothing is left open")
        return lines
    lines.append(f"PnL = s·Q·(1/E − 1/P) = {_sign(doc)} × {n(doc['size_usd'])} × (1/{e} − 1/{p}) = {n(doc['pnl'])} {c}")
    lines.append(
        f"PnL in USD = s·Q·(P − E)/E = {_sign(doc)} × {n(doc['size_usd'])} × ({p} − {e})/{e} = {n(doc['pnl_usd'])}"
    )
    if doc.get("initial_margin") is not None:
        lines.append(
            f"initial margin = Q/(E·L) = {n(doc['size_usd'])}/({e} × {n(doc['inputs']['leverage'])}) = {n(doc['initial_margin'])} {c}"
        )
    if doc.get("roe_pct") is not None:
        lines.append(f"ROE = PnL / margin = {n(doc['pnl'])} / {n(doc['collateral'])} = {n(doc['roe_pct'])}%")
    if doc.get("fee_open") or doc.get("fee_close") or doc.get("funding"):
        lines.append(
            f"fee to open = fo·Q/E = {n(doc['fee_open'])} {c}; fee to close = fc·Q/P = {n(doc['fee_close'])} {c}"
        )
        if doc.get("funding"):
            lines.append(
                f"funding = s·rate·periods·Q/E = {_sign(doc)} × {n(doc['inputs']['funding'])} × {n(doc['funding_periods'])} × {n(doc['size_usd'])}/{e} = {n(doc['funding'])} {c}"
            )
        lines.append(f"net PnL = PnL − fees − funding = {n(doc['net_pnl'])} {c}")
    lines.append(f"break-even exit = (s + fc)·Q / ((s − fo)·Q/E − F) = {n(doc['break_even_price'])}")
    return lines + _liquidated_lines(doc, "the exit") + _order_lines(doc)


def _liquidated_lines(doc: Doc, where: str) -> list[str]:
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


def liq_price(doc: Doc) -> list[str]:
    """Steps of ``liq-price``."""
    i, c = doc["inputs"], doc["coin"]
    lines = _size(doc)
    m_val, e = n(doc["collateral"]), n(doc["average_entry"])
    lines.append(f"collateral M = {m_val} {c} ({doc['margin_mode']})")
    family = doc["formula_family"]
    if family == "none":
        lines.append(f"no liquidation price: {doc['reason']}")
        if doc.get("estimate_basis"):
            tier = doc.get("tier") or {}
            lines.append(
                "estimate: M + s·Q(1/E − 1/P) = (c + b·Q/P)·Q/P, the maintenance rate c + b·(size in coin at P); "
                "with x = 1/P, b·Q²·x² + (c + s)·Q·x − (M + s·Q/E) = 0, "
                f"P = ((1 + s·c)·Q + √Δ) / (2·s·(M + s·Q/E)) = {n(doc['liquidation_price_estimate_exact'])}, "
                f"shown {n(doc['liquidation_price_estimate'])}; at entry the rates are {n(tier.get('initial_rate'))} "
                f"initial and {n(tier.get('maintenance_rate'))} maintenance on {n(tier.get('size_coin'))} {doc['coin']}, "
                f"the venue's initial margin {n(tier.get('initial_margin'))} {doc['coin']}"
            )
    elif family == "entry":
        rate = "m + f" if doc["fee_treatment"] == "added-to-rate" else "m"
        lines.append(
            f"entry family: MM = ({rate})·Q/E − d + c, c = f·Q/BP = {n(doc['fee_to_close'])} {c}; "
            f"P = s·Q / (M + s·Q/E − ({rate})·Q/E + d − c) with m = {n(i['mmr'])}, d = {n(i['mm_deduction'])}"
        )
    else:
        rate = "m + f" if doc["fee_treatment"] == "added-to-rate" else "m"
        lines.append(
            f"mark family: MM = ({rate})·Q/P − d; P = Q·(s + {rate}) / (M + d + s·Q/E) with m = {n(i['mmr'])}, d = {n(i['mm_deduction'])}"
        )
    if family != "none":
        lines.append(
            f"liquidation price = {n(doc['liquidation_price_exact'])}, shown {n(doc['liquidation_price'])} "
            f"(to {n(doc['price_step'])}, {'up' if i['side'] == 'long' else 'down'})"
            if doc["liquidation_price"] is not None
            else f"liquidation price: none, the denominator is zero or the quotient is not a positive price ({doc['reason']})"
        )
    lines.append(
        f"bankruptcy: equity M + s·Q(1/E − 1/P) reaches zero (or the fee to close) at {n(doc['bankruptcy_price_exact'])}"
        if doc["bankruptcy_price"] is not None
        else f"bankruptcy price: none ({doc['bankruptcy_reason']})"
    )
    lines.append(
        f"maintenance margin = {n(doc['maintenance_margin'])} {c}; distance from entry {e} = {n(doc['distance_pct'])}%"
    )
    return lines + _order_lines(doc)


def leverage(doc: Doc) -> list[str]:
    """Steps of ``leverage``."""
    c = doc["coin"]
    i = doc["inputs"]
    e = n(i["entry"])
    lines = [f"Q = n·S = E·M·L: solved for {doc['solved']}"]
    lines.append(
        f"Q = {n(doc['contracts'])} × {n(i['contract_size'])} = {n(doc['size_usd'])} USD; M = {n(doc['collateral'])} {c}; L = {n(doc['leverage'])}"
    )
    lines.append(
        f"effective leverage = V(P)/equity(P) = (Q/P) / (M + s·Q(1/E − 1/P)); at entry {e}: {n(doc['effective_leverage'])}"
    )
    return lines + _liquidated_lines(doc, "a row") + _order_lines(doc)


def _cost(cost: Doc, c: str) -> str:
    return (
        f"Q/(E·L) + f·Q/E + f·Q/BP, BP = E·L/(L ± 1) on the tick away from the trader = {n(cost['bankruptcy_price'])}: "
        f"{n(cost['initial_margin'])} + {n(cost['fee_open'])} + {n(cost['fee_to_close'])} = {n(cost['total'])} {c} "
        f"(each part to the satoshi; exact sum {n(cost['total_exact'])})"
    )


def _order_lines(doc: Doc) -> list[str]:
    """Steps of the order cost, the margin for a target liquidation price, the largest
    order and the venue's PnL rounding, where the document has them."""
    c, lines = doc["coin"], []
    if doc.get("order_cost"):
        lines.append(f"order cost = {_cost(doc['order_cost'], c)}")
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
            f"contracts, cost = {_cost(largest['cost'], c)}; one lot more costs {n(largest['one_more_lot_total'])}"
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


def ladder(doc: Doc) -> list[str]:
    """Steps of ``ladder``."""
    lines = _size(doc)
    lines.append("each row: PnL = s·Q·(1/E − 1/P); step = PnL − PnL of the row before; USD = s·Q·(P − E)/E")
    if doc.get("collateral") is not None:
        lines.append(
            f"with M = {n(doc['collateral'])}: equity = M + PnL, ROE = PnL/M, effective leverage = (Q/P)/equity"
        )
    lines.append(
        f"marked: entry {n(doc['average_entry'])}, break-even {n(doc['break_even_price'])}, liquidation {n(doc['liquidation_price'])}, bankruptcy {n(doc['bankruptcy_price'])}"
    )
    return lines


def size(doc: Doc) -> list[str]:
    """Steps of ``size``."""
    c, i = doc["coin"], doc["inputs"]
    e, x, f = n(i["entry"]), n(i["stop"]), n(doc["fee_rate"])
    return [
        f"risk = {n(doc['risk'])} {c} ({n(doc['risk_pct'])}% of the balance {n(i['balance'])})",
        f"loss at the stop per contract = S·(|1/E − 1/X| + f/E + f/X) with E = {e}, X = {x}, f = {f} ({doc['fee_rate_source']})",
        f"contracts = risk / that = {n(doc['contracts_exact'])}, rounded down to the lot of {n(doc['lot'])}: {n(doc['contracts'])}",
        f"loss at the stop = |PnL| + fees = {n(doc['pnl_at_stop'])} − {n(doc['fee_open'])} − {n(doc['fee_close'])} "
        f"= −{n(doc['loss_at_stop'])} {c}; one more lot would lose {n(doc['next_lot_loss'])}",
        f"initial margin = Q/(E·L) = {n(doc['size_usd'])}/({e} × {n(doc['leverage'])}) = {n(doc['initial_margin'])} {c}",
        f"liquidation price {n(doc['liquidation_price'])} (as liq-price computes it); the stop "
        f"{'is at or beyond it' if doc['stop_beyond_liquidation'] else 'comes first'}",
    ]


def hedge(doc: Doc) -> list[str]:
    """Steps of ``hedge``."""
    c = doc["coin"]
    lines = [
        f"holding H = {n(doc['holding'])} {c} at P = {n(doc['average_entry'])}: worth H·P = {n(doc['holding_usd'])} USD",
        f"short Q = ratio·H·P = {n(doc['target_size_usd'])} USD: {n(doc['contracts'])} contracts (rounded down to the lot of {n(doc['lot'])}), Q = {n(doc['size_usd'])}",
        "holder's USD value at a price P': (H + Q·(1/P' − 1/P))·P' = H·P' − Q·(P' − P)/P, flat at H·P for a full hedge",
    ]
    if doc.get("funding_rate") is not None:
        lines.append(
            f"funding per interval = rate·Q/P = {n(doc['funding_received_per_interval'])} {c} received "
            f"({doc['funding_direction']}; a positive rate: shorts receive)"
        )
    return lines


def stress(doc: Doc) -> list[str]:
    """Steps of ``stress``."""
    c = doc["coin"]
    lines = _size(doc)
    lines.append(
        f"each shock: P' = reference × (1 + move) from {n(doc['reference_price'])}; equity = M + s·Q(1/E − 1/P'), M = {n(doc['collateral'])} {c}"
    )
    lines.append(
        f"liquidated when P' is at or beyond the liquidation price {n(doc['liquidation_price'])} "
        f"(a move of {n(doc['distance_pct'])}% from the reference)"
    )
    lines.append(
        "margin to add: the collateral that puts the liquidation price just beyond P', from the same equation, less M"
    )
    return lines


def with_explanation(doc: Doc, wanted: bool) -> Doc:
    """``doc`` with its ``explain`` lines (``null`` unless ``wanted``)."""
    if not wanted:
        return {**doc, "explain": None}
    rows = doc.get("rows")
    if rows is not None and not isinstance(rows, list):
        doc = {**doc, "rows": list(rows)}
    return {**doc, "explain": hook(doc["command"], "explain_lines")(doc)}
