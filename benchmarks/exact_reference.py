"""Exact plain-Python references for the batch benchmark: ``pnl`` and ``liq-price`` lines.

    python benchmarks/exact_reference.py pnl < requests.ndjson > answers.ndjson
    python benchmarks/exact_reference.py liq-price < requests.ndjson > answers.ndjson
    python benchmarks/exact_reference.py liq-price-lean < requests.ndjson > answers.ndjson

One process, one loop: each line is read with ``json`` (numbers with a point as
``Decimal``), every number of the command's JSON document is computed in ``Decimal``
under a 50-digit context, rounded to its unit the way the document rounds it (to 1e-30
first, then to the step: a satoshi, a cent, the price's places; a liquidation-type price
toward safety), and the line is written with an f-string: the same keys, in the same
order, as ``invfut batch`` writes. It validates nothing and handles only what the
benchmark sends (generic venue; ``pnl``: an exit, a leverage, maker/taker fees or none;
``liq-price``: isolated by leverage, either basis, a rate, a taker fee, ``--mark`` and
``--fail-within``). ``bench.py`` checks that its lines are ``invfut batch``'s lines.
"""

from __future__ import annotations

import decimal
import json
import sys
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

CONTEXT = decimal.Context(
    prec=50,
    rounding=decimal.ROUND_HALF_EVEN,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow, decimal.FloatOperation],
)
ZERO, ONE, HUNDRED = Decimal(0), Decimal(1), Decimal(100)
FINE, NOISE = Decimal("1e-30"), Decimal("1e-20")
SATOSHI, CENT, EIGHT = Decimal("1e-8"), Decimal("0.01"), Decimal("1e-8")
STEPS = {places: Decimal(1).scaleb(-places) for places in range(9)}
FEES = {"maker": Decimal("0.0002"), "taker": Decimal("0.0005")}
DEFAULT_MMR = Decimal("0.005")
NEVER_BANKRUPT = (
    "a short at 1x or less is never bankrupt (its margin covers the position at every price): no fee to close is held"
)


def near(value: Decimal, step: Decimal) -> Decimal:
    """``value`` to ``step``, nearest (half-even), with no negative zero."""
    rounded = value.quantize(FINE).quantize(step)
    return rounded if rounded else abs(rounded)


def coin(value: Decimal) -> str:
    """A coin amount to the satoshi, as JSON text (a small amount would print with an exponent)."""
    text = str(near(value, SATOSHI))
    return text if "E" not in text else format(near(value, SATOSHI), "f")


def charge(value: Decimal) -> Decimal:
    """A coin amount as a venue charges it: to the satoshi, a half up."""
    return value.quantize(NOISE).quantize(SATOSHI, ROUND_HALF_UP)


def money(value: Decimal) -> str:
    """A satoshi amount as JSON text (without an exponent)."""
    text = str(value)
    return text if "E" not in text else format(value, "f")


def safe(value: Decimal, long: bool, step: Decimal) -> Decimal:
    """A liquidation-type price to ``step``, toward safety: a long's up, a short's down."""
    return value.quantize(NOISE).quantize(step, ROUND_CEILING if long else ROUND_FLOOR)


def text(value: Decimal | int | str | None) -> str:
    """An echoed input as JSON text."""
    if value is None:
        return "null"
    if isinstance(value, str):
        return f'"{value}"'
    return str(value)


def places_of(value: Decimal | int) -> int:
    """Decimal places written in ``value``."""
    exponent = value.as_tuple().exponent if isinstance(value, Decimal) else 0
    return -exponent if exponent < 0 else 0  # type: ignore[operator]


def pnl(r: dict) -> str:
    """The ``pnl`` document of request ``r``, on one line."""
    side, entry, exit_, contracts, lev = r["side"], r["entry"], r["exit"], r["contracts"], r["leverage"]
    fo_name, fc_name = r.get("entry_fee"), r.get("exit_fee")
    long = side == "long"
    s = 1 if long else -1
    e, p, q, lv = Decimal(entry), Decimal(exit_), Decimal(contracts), Decimal(lev)
    places = min(8, max(2, places_of(entry), places_of(exit_)))
    step = STEPS[places]
    fo = FEES[fo_name] if fo_name else ZERO
    fc = FEES[fc_name] if fc_name else ZERO
    value_entry, value_exit = q / e, q / p
    gain = s * q * (ONE / e - ONE / p)
    gain_usd = s * q * (p - e) / e
    change = HUNDRED * (p - e) / e
    im = q / (e * lv)
    equity = im + gain
    open_fee, close_fee = fo * q / e, fc * q / p
    costs = fo_name is not None or fc_name is not None
    net = gain - open_fee - close_fee
    denominator = (s - fo) * q / e
    even = (s + fc) * q / denominator if denominator else None
    even_text = "null" if even is None or even <= 0 else str(safe(even, long, step))
    im_text = coin(im)
    # The liquidation price of the generic rule (0.5% of the value at entry) and whether the exit is past it.
    price = solve(s, q, e, im, DEFAULT_MMR, ZERO, ZERO)
    shown = None if price is None else safe(price, long, step)
    liquidated = shown is not None and s * (p - shown) <= 0
    return (
        f'{{"command": "pnl", "coin": "BTC", "exchange": "generic", "preset": null, "inputs": {{"side": "{side}", '
        f'"entry": {entry}, "exit": {exit_}, "contracts": {contracts}, "contract_size": 1, "leverage": {lev}, '
        f'"margin": null, "balance": null, "mmr": null, "mm_basis": "entry", "mm_deduction": null, "taker_fee": 0, '
        f'"tick": null, "entry_fee": {text(fo_name)}, "exit_fee": {text(fc_name)}, '
        f'"funding": null, "periods": null, "hours": null, "fill": [], "close": [], "target_roe": null, '
        f'"target_pnl": null, "target_usd": null}}, "size_asked": null, "size_usd": {near(q, step)}, '
        f'"average_entry": {near(e, step)}, "closed": [], "exit_price": {near(p, step)}, "target": null, '
        f'"value_entry": {coin(value_entry)}, "value_exit": {coin(value_exit)}, "pnl": {coin(gain)}, '
        f'"realised_pnl": null, "total_pnl": null, "pnl_usd": {near(gain_usd, step)}, '
        f'"price_change_pct": {near(change, CENT)}, "initial_margin": {im_text}, "collateral": {im_text}, '
        f'"roe_pct": {near(HUNDRED * gain / im, CENT)}, "margin_usd_entry": {near(im * e, step)}, '
        f'"margin_usd_exit": {near(im * p, step)}, "equity": {coin(equity)}, '
        f'"equity_usd": {near(equity * p, step)}, '
        f'"fee_open": {coin(open_fee) if fo_name else "null"}, "fee_close": {coin(close_fee) if fc_name else "null"}, '
        f'"funding": null, "funding_periods": null, "funding_counted": null, '
        f'"net_pnl": {coin(net) if costs else "null"}, '
        f'"net_pnl_usd": {near(net * p, step) if costs else "null"}, "break_even_price": {even_text}, '
        f'"liquidated": {"true" if liquidated else "false"}, "liquidation_price": {"null" if shown is None else shown}, '
        f'"loss_at_liquidation": {im_text if liquidated else "null"}, {sensitivities(s, q, e, p, im)}, '
        f'"venue_pnl": null, "explain": null}}\n'
    )


DELTA_STEP, GAMMA_STEP = Decimal("1e-12"), Decimal("1e-16")


def sensitivities(s: int, q: Decimal, e: Decimal, p: Decimal, c: Decimal) -> str:
    """DOMAIN.md §7 at ``p``: exposure ``s·Q/P``, delta ``s·Q/P²``, gamma ``−2·s·Q/P³``, USD delta ``C + s·Q/E``."""
    return (
        f'"exposure": {coin(s * q / p)}, "coin_delta": {near(s * q / (p * p), DELTA_STEP):f}, '
        f'"coin_gamma": {near(-2 * s * q / (p * p * p), GAMMA_STEP):f}, "usd_delta": {coin(c + s * q / e)}'
    )


def solve(s: int, q: Decimal, e: Decimal, collateral: Decimal, a: Decimal, b: Decimal, k: Decimal) -> Decimal | None:
    """The price where equity ``C + s·Q/E − s·Q/P`` meets ``a·Q/E + b·Q/P + k``, if positive."""
    numerator = (s + b) * q
    denominator = collateral + (s - a) * q / e - k
    if not denominator or not numerator:
        return None
    price = numerator / denominator
    return price if price > 0 else None


def reason(long: bool, price: Decimal | None, what: str) -> str:
    """Why there is no such price, as JSON text; ``null`` when there is one."""
    if price is not None:
        return "null"
    if long:
        return f'"no positive price brings equity down to {what}"'
    return f'"equity never falls to {what}: the collateral covers the short at every price"'


def liq(r: dict) -> str:
    """The ``liq-price`` document of request ``r``, on one line."""
    side, entry, contracts, lev = r["side"], r["entry"], r["contracts"], r["leverage"]
    basis = r.get("mm_basis", "entry")
    mmr, fee = r.get("mmr"), r.get("taker_fee", 0)
    mark_given, within = r.get("mark"), r.get("fail_within")
    long = side == "long"
    s = 1 if long else -1
    e, q, lv = Decimal(entry), Decimal(contracts), Decimal(lev)
    m, f = (DEFAULT_MMR if mmr is None else Decimal(mmr)), Decimal(fee)
    places = min(8, max(2, places_of(entry)))
    step = STEPS[places]
    treatment = "none" if not f else "close-at-bankruptcy" if basis == "entry" else "added-to-rate"
    at_bankruptcy = f if treatment == "close-at-bankruptcy" else ZERO
    rate = m + (f if treatment == "added-to-rate" else ZERO)
    c = q / (e * lv)
    bankrupt = solve(s, q, e, c, ZERO, at_bankruptcy, ZERO)
    fee_to_close = ZERO if bankrupt is None else at_bankruptcy * q / bankrupt
    if basis == "entry":
        price = solve(s, q, e, c, rate, ZERO, fee_to_close)
        maintenance = rate * q / e + fee_to_close
    else:
        price = solve(s, q, e, c, ZERO, rate, ZERO)
        maintenance = rate * q / (price if price is not None else e)
    warnings = (
        '"the liquidation price is at or beyond the entry price: the margin is already below the maintenance '
        'margin, and the position would be liquidated at once"'
        if price is not None and (price - e) * s >= 0
        else ""
    )
    shown = None if price is None else safe(price, long, step)
    if mark_given is None and within is None:
        alert_text = (
            '"mark_price": null, "distance_from_mark_pct": null, "fail_within_pct": null, "beyond": null, '
            '"alert": false'
        )
    else:  # measured from the liquidation price as shown
        mark = e if mark_given is None else Decimal(mark_given)
        distance = None if shown is None else HUNDRED * (shown - mark) / mark
        beyond = shown is not None and s * (mark - shown) <= 0
        alert = within is not None and distance is not None and (beyond or abs(distance) <= within)
        alert_text = (
            f'"mark_price": {near(mark, step)}, '
            f'"distance_from_mark_pct": {"null" if distance is None else near(distance, CENT)}, '
            f'"fail_within_pct": {text(within)}, "beyond": {"true" if beyond else "false"}, '
            f'"alert": {"true" if alert else "false"}'
        )
    # What opening the position costs: margin, fee to open, fee to close at the isolated
    # bankruptcy price, each charged to the satoshi (a half up).
    order_bankrupt = solve(s, q, e, c, ZERO, ZERO, ZERO)
    open_fee = f * q / e
    close_fee = ZERO if order_bankrupt is None else f * q / order_bankrupt
    charged = [charge(c), charge(open_fee), charge(close_fee)]
    order_text = (
        f'{{"size_usd": {contracts}, "leverage": {lev}, "fee_rate": {fee}, '
        f'"bankruptcy_price": {"null" if order_bankrupt is None else safe(order_bankrupt, long, step)}, '
        f'"initial_margin": {money(charged[0])}, "fee_open": {money(charged[1])}, '
        f'"fee_to_close": {money(charged[2])}, "total": {money(sum(charged))}, '
        f'"total_exact": {coin(c + open_fee + close_fee)}, "reason": '
        + ("null}" if order_bankrupt is not None else f'"{NEVER_BANKRUPT}"}}')
    )
    return (
        f'{{"command": "liq-price", "coin": "BTC", "exchange": "generic", "preset": null, "inputs": {{"side": '
        f'"{side}", "entry": {entry}, "contracts": {contracts}, "contract_size": 1, "leverage": {lev}, '
        f'"margin": null, "balance": null, "mmr": {m}, "mm_basis": "{basis}", "mm_deduction": 0, "taker_fee": {fee}, '
        f'"tick": null, "fill": [], "close": [], "mark": {text(mark_given)}, "fail_within": {text(within)}, '
        f'"target_liquidation": null}}, '
        f'"size_asked": null, "size_usd": {near(q, step)}, "average_entry": {near(e, step)}, "closed": [], '
        f'"margin_mode": "isolated", "formula_family": "{basis}", "fee_treatment": "{treatment}", '
        f'"liquidation_price": {"null" if shown is None else shown}, '
        f'"liquidation_price_exact": {"null" if price is None else near(price, EIGHT)}, '
        f'"liquidation_price_estimate": null, "liquidation_price_estimate_exact": null, '
        f'"estimate_distance_pct": null, "estimate_basis": null, '
        f'"bankruptcy_price": {"null" if bankrupt is None else safe(bankrupt, long, step)}, '
        f'"bankruptcy_price_exact": {"null" if bankrupt is None else near(bankrupt, EIGHT)}, '
        f'"maintenance_margin": {coin(maintenance)}, "price_step": {step}, "tier": null, '
        f'"distance_pct": {"null" if price is None else near(HUNDRED * (price - e) / e, CENT)}, '
        f"{sensitivities(s, q, e, e if mark_given is None else Decimal(mark_given), c)}, "
        f'"initial_margin": {coin(c)}, "collateral": {coin(c)}, "fee_to_close": {coin(fee_to_close)}, '
        f"{alert_text}, "
        f'"reason": {reason(long, price, "the maintenance margin")}, '
        f'"bankruptcy_reason": {reason(long, bankrupt, "zero")}, '
        f'"warnings": [{warnings}], "order_cost": {order_text}, "target_liquidation": null, "explain": null}}\n'
    )


def liq_lean(r: dict) -> str:
    """Only the liquidation price of ``liq-price`` request ``r`` (``--fields liquidation_price``),
    rounded toward safety to the price step (the cent, for the benchmark's prices), on one line."""
    side, entry, contracts, lev = r["side"], r["entry"], r["contracts"], r["leverage"]
    basis, mmr, fee = r.get("mm_basis", "entry"), r.get("mmr"), r.get("taker_fee", 0)
    long = side == "long"
    s = 1 if long else -1
    e, q = Decimal(entry), Decimal(contracts)
    m, f = (DEFAULT_MMR if mmr is None else Decimal(mmr)), Decimal(fee)
    c = q / (e * Decimal(lev))
    if basis == "entry":
        bankrupt = solve(s, q, e, c, ZERO, f, ZERO)
        fee_to_close = ZERO if bankrupt is None else f * q / bankrupt
        price = solve(s, q, e, c, m, ZERO, fee_to_close)
    else:
        price = solve(s, q, e, c, ZERO, m + f, ZERO)
    shown = "null" if price is None else safe(price, long, STEPS[min(8, max(2, places_of(entry)))])
    return f'{{"liquidation_price": {shown}}}\n'


def main() -> None:
    """Answer every line of stdin with the document of the command named on the command line."""
    answer = {"pnl": pnl, "liq-price": liq, "liq-price-lean": liq_lean}[sys.argv[1]]
    decimal.setcontext(CONTEXT)
    loads = json.JSONDecoder(parse_float=Decimal).decode
    write = sys.stdout.write
    for line in sys.stdin:
        write(answer(loads(line)))


if __name__ == "__main__":
    main()
