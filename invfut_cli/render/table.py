"""Tables for people, drawn with rich; imported only when a table is drawn.

The table shows the values of the same document ``--json`` prints, under readable
labels; keys it has no label for (``command``, ``inputs``) are left out.
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import IO, Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from invfut_cli.commands import hook

#: Labels of the summary keys, in the order shown; ``{coin}`` is the settlement coin.
LABELS: dict[str, str] = {
    "average_entry": "Average entry (USD)",
    "exit_price": "Exit price (USD)",
    "margin_mode": "Margin mode",
    "formula_family": "Formula family",
    "fee_treatment": "Fee treatment",
    "solved": "Solved for",
    "liquidation_price": "Liquidation price (USD)",
    "liquidation_price_exact": "  exact",
    "liquidation_price_estimate": "Liquidation, estimated (USD)",
    "liquidation_price_estimate_exact": "  exact",
    "estimate_distance_pct": "  distance (%)",
    "bankruptcy_price": "Bankruptcy price (USD)",
    "bankruptcy_price_exact": "  exact",
    "distance_pct": "Distance to liquidation (%)",
    "contracts": "Contracts",
    "leverage": "Leverage (x)",
    "size_usd": "Position size (USD)",
    "break_even_price": "Break-even price (USD)",
    "value_entry": "Value at entry ({coin})",
    "value_exit": "Value at exit ({coin})",
    "pnl": "PnL ({coin})",
    "pnl_usd": "PnL at exit price (USD)",
    "price_change_pct": "Price change (%)",
    "realised_pnl": "Realised by the closes ({coin})",
    "total_pnl": "Total PnL, realised + open ({coin})",
    "initial_margin": "Initial margin ({coin})",
    "collateral": "Collateral ({coin})",
    "maintenance_margin": "Maintenance margin ({coin})",
    "fee_to_close": "Fee to close ({coin})",
    "effective_leverage": "Effective leverage at entry (x)",
    "roe_pct": "Return on margin (%)",
    "margin_usd_entry": "Margin at entry (USD)",
    "margin_usd_exit": "Margin at exit (USD)",
    "equity": "Equity at exit ({coin})",
    "equity_usd": "Equity at exit (USD)",
    "price_step": "Price step (USD)",
    "mark_price": "Mark price (USD)",
    "distance_from_mark_pct": "Liquidation from mark (%)",
    "fee_open": "Fee to open ({coin})",
    "fee_close": "Fee to close ({coin})",
    "funding": "Funding paid ({coin})",
    "net_pnl": "Net PnL ({coin})",
    "net_pnl_usd": "Net PnL at exit price (USD)",
    # sensitivities (DOMAIN.md §7), at the exit or the mark
    "exposure": "Exposure ({coin})",
    "usd_delta": "USD delta ({coin})",
    "coin_delta": "Coin delta ({coin}/USD)",
    "coin_gamma": "Coin gamma ({coin}/USD²)",
    # size, hedge, stress
    "side": "Side",
    "side_inferred": "  inferred from the stop",
    "risk": "Risk ({coin})",
    "risk_pct": "Risk (% of balance)",
    "fee_rate": "Taker fee rate, each way",
    "fee_rate_source": "  from",
    "stop_distance_pct": "Stop distance (%)",
    "contracts_exact": "Contracts before rounding to the lot",
    "lot": "Lot (contracts)",
    "min_leverage": "Lowest leverage the balance covers (x)",
    "pnl_at_stop": "PnL at the stop ({coin})",
    "loss_at_stop": "Loss at the stop, fees included ({coin})",
    "loss_at_stop_pct": "  of the balance (%)",
    "next_lot_loss": "  with one lot more ({coin})",
    "stop_beyond_liquidation": "Stop at or beyond liquidation",
    "holding": "Holding ({coin})",
    "holding_usd": "Holding now (USD)",
    "ratio_target_pct": "Hedge ratio asked (%)",
    "target_size_usd": "Hedge size asked (USD)",
    "hedge_ratio_pct": "Hedge ratio (%)",
    "unhedged_coin": "Left unhedged ({coin})",
    "funding_rate": "Funding rate per interval",
    "funding_interval_hours": "Funding interval (h)",
    "funding_direction": "Funding, the short hedge",
    "funding_received_per_interval": "Funding received per interval ({coin})",
    "funding_received_per_day": "Funding received per day ({coin})",
    "funding_received_per_day_usd": "Funding received per day (USD)",
    "funding_received_per_year_pct": "Funding received per year (% of size)",
    "reference_price": "Shocks from price (USD)",
    "equity_now": "Equity now ({coin})",
    "effective_leverage_now": "Effective leverage now (x)",
    "liquidated_count": "Shocks that liquidate",
}

#: Summary keys shown even when null: "no such price" is an answer.
ALWAYS_SHOWN = frozenset({"liquidation_price", "bankruptcy_price"})

#: Row columns: key, header; a column whose values are all null is left out.
COLUMNS: dict[str, str] = {
    "price": "Price",
    "mark": "",
    "pnl": "PnL {coin}",
    "step_pnl": "Step {coin}",
    "pnl_usd": "PnL USD",
    "roe_pct": "ROE %",
    "equity": "Equity {coin}",
    "equity_usd": "Equity USD",
    "effective_leverage": "Eff. lev. x",
    # ladder --sensitivities
    "exposure": "Exposure {coin}",
    "usd_delta": "USD delta {coin}",
    "coin_delta": "Delta {coin}/USD",
    "coin_gamma": "Gamma {coin}/USD²",
    # hedge, stress
    "hedged_coin": "Hedged {coin}",
    "hedged_usd": "Hedged USD",
    "unhedged_usd": "Unhedged USD",
    "scenario": "Scenario",
    "move_pct": "Move %",
    "liquidated": "Liquidated",
    "margin_to_add": "Add {coin}",
}

BAR_WIDTH = 16


def text(value: Any) -> str:
    """A value as shown in a cell: numbers with thousands separators, null as a dash."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return f"{value:,f}"
    return str(value)


def _title(doc: Mapping[str, Any]) -> str:
    """The command, the position, and where: the venue, its symbol and the tier used."""
    inputs = doc.get("inputs", {})
    side = inputs.get("side", "")
    parts = [doc["command"]]
    if "contracts" in inputs and inputs.get("contracts") is not None:
        parts.append(f"{side} {text(inputs['contracts'])} × {text(inputs.get('contract_size'))} USD")
    if doc.get("average_entry") is not None or "entry" in inputs:
        parts.append(f"at {text(doc.get('average_entry') or inputs['entry'])}")
    preset = doc.get("preset")
    if isinstance(preset, Mapping) and preset.get("name"):
        where = f"· {preset['name']} {preset.get('symbol') or ''}".rstrip()
        tier = doc.get("tier")
        if isinstance(tier, Mapping) and tier.get("index") is not None:
            where += f", tier {tier['index']}"
        parts.append(where)
    return " ".join(parts)


def summary(doc: Mapping[str, Any]) -> Table:
    """The key/value table of a document's summary keys."""
    coin = doc.get("coin", "coin")
    title = _title(doc)
    # As wide as the title, so that it stays on one line (the terminal permitting).
    table = Table(title=title, box=box.SIMPLE_HEAVY, show_header=False, title_justify="left", min_width=len(title))
    shown = [
        (LABELS[key].format(coin=coin), "none" if doc.get(key) is None else text(doc[key]), key)
        for key in first_keys(doc)
        if key in LABELS
        # "none" is an answer where the document says why (its reason); elsewhere (pnl without
        # a margin) a null price is not known, and not shown.
        if (doc.get(key) is not None or (key in ALWAYS_SHOWN and key in doc and "reason" in doc))
        and not _repeats(doc, key)
    ]
    table.add_column("what", style="bold", overflow="fold")
    table.add_column("value", justify="right", no_wrap=True, min_width=max((len(v) for _, v, _ in shown), default=1))
    for label, value, key in shown:
        table.add_row(label, Text(value, style=gain_style(key, doc.get(key))))
    return table


#: Keys whose sign is a gain or a loss: green or red (rich leaves colour out in a pipe, with
#: NO_COLOR or TERM=dumb).
SIGNED = frozenset({"pnl", "pnl_usd", "step_pnl", "net_pnl", "net_pnl_usd", "roe_pct", "realised_pnl", "total_pnl"})


def gain_style(key: str, value: Any) -> str:
    """``green`` for a gain, ``red`` for a loss, nothing else."""
    if key not in SIGNED or not isinstance(value, Decimal) or value == 0:
        return ""
    return "green" if value > 0 else "red"


#: Summary rows left out when they repeat another row's value: the collateral is the initial
#: margin unless a margin or balance was given.
REPEATS: dict[str, str] = {"collateral": "initial_margin"}


def _repeats(doc: Mapping[str, Any], key: str) -> bool:
    other = REPEATS.get(key)
    return other is not None and doc.get(other) is not None and doc.get(other) == doc.get(key)


def bar(value: Decimal | None, scale: Decimal) -> Text:
    """A diverging bar: losses to the left of the axis in red, gains to the right in green."""
    half = BAR_WIDTH // 2
    if value is None or scale == 0:
        return Text(" " * half + "│" + " " * half)
    cells = int(abs(value) / scale * half + Decimal("0.5"))
    cells = min(half, cells)
    if value < 0:
        return Text(" " * (half - cells)) + Text("█" * cells, style="red") + Text("│" + " " * half)
    return Text(" " * half + "│") + Text("█" * cells, style="green") + Text(" " * (half - cells))


#: Columns given up first, in this order, when the rows do not fit the terminal; after
#: them, the rightmost columns go. A number is never cut or folded: a column goes whole.
#: ``bar`` is the PnL bar.
DROP_ORDER = ("bar", "equity_usd", "roe_pct", "pnl_usd", "equity", "effective_leverage", "mark")


def liquidated_in_red(doc: Mapping[str, Any]) -> bool:
    """Whether the document's command draws its liquidated rows in red, with a note, instead
    of in a column (its module's ``LIQUIDATED_IN_RED``)."""
    return bool(hook(doc.get("command"), "LIQUIDATED_IN_RED", False))


def fitted_columns(
    keys: list[str],
    cells: Mapping[str, list[str]],
    headers: Mapping[str, str],
    width: int,
    keep: tuple[str, ...] = (),
) -> list[str]:
    """The columns to draw: all of ``keys`` if they fit ``width``; else without the first
    of :data:`DROP_ORDER`, then without the rightmost, until they fit. The first column and
    those in ``keep`` stay. Nothing is cut: a column needs its header and its longest cell."""
    shown = list(keys)
    kept = {keys[0], *keep} if keys else set(keep)

    def needed() -> int:
        return sum(max([len(headers[k]), *map(len, cells[k])]) + 3 for k in shown) + 1

    for key in [*DROP_ORDER, *reversed(keys)]:
        if needed() <= width:
            break
        if key in shown and key not in kept:
            shown.remove(key)
    left_out = [headers[k].strip() for k in keys if k not in shown and k != "bar" and headers[k].strip()]
    if left_out:
        # Nothing is lost without a word: say what did not fit and how to see it.
        sys.stderr.write(
            f"invfut: {width} columns leave out {', '.join(left_out)}; "
            "widen the terminal, or use --json or --format csv for every column\n"
        )
    return shown


def rows_table(doc: Mapping[str, Any], rows: list[Mapping[str, Any]], width: int) -> Table:
    """The row table; marked prices (entry, liquidation, …) stand out in bold."""
    coin = doc.get("coin", "coin")
    keys = [k for k in COLUMNS if any(row.get(k) is not None for row in rows)]
    if "liquidated" in keys and liquidated_in_red(doc):
        keys.remove("liquidated")  # these rows are drawn in red instead, with a note below
    headers = {k: COLUMNS[k].format(coin=coin) for k in keys}
    cells = {k: [(row.get(k) or "") if k == "mark" else text(row.get(k)) for row in rows] for k in keys}
    if "pnl" in keys:
        keys.append("bar")
        headers["bar"] = f"PnL {coin}"
        cells["bar"] = [" " * (BAR_WIDTH + 1)]
    # The columns the rows keep to the last (after the price): the command module's
    # ``ESSENTIAL_COLUMNS``, else the PnL.
    keys = fitted_columns(keys, cells, headers, width, hook(doc.get("command"), "ESSENTIAL_COLUMNS", ("pnl",)))
    table = Table(box=box.SIMPLE_HEAD)
    for key in keys:
        table.add_column(
            headers[key],
            justify="left" if key in ("mark", "bar") else "right",
            no_wrap=True,
            min_width=max(map(len, cells[key]), default=1),
        )
    scale = max((abs(r["pnl"]) for r in rows if r.get("pnl") is not None), default=Decimal(0))
    for index, row in enumerate(rows):
        line: list[Any] = [
            bar(row.get("pnl"), scale) if k == "bar" else Text(cells[k][index], style=gain_style(k, row.get(k)))
            for k in keys
        ]
        style = " ".join(s for s, on in (("bold", row.get("mark")), ("red", row.get("liquidated"))) if on)
        table.add_row(*line, style=style or None)
    return table


def plain_table(headers: list[str], rows: list[list[str]], width: int, title: str | None = None) -> Table:
    """A table of text cells that fits ``width`` by leaving out its rightmost columns (the
    first stays); no cell is cut or folded."""
    keys = [str(i) for i in range(len(headers))]
    cells = {k: [row[i] for row in rows] for i, k in enumerate(keys)}
    shown = fitted_columns(keys, cells, dict(zip(keys, headers, strict=True)), width)
    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left")
    for key in shown:
        index = int(key)
        table.add_column(headers[index], no_wrap=True, min_width=max(map(len, cells[key]), default=1))
    for row in rows:
        table.add_row(*(row[int(k)] for k in shown))
    return table


#: The most grid rows a table draws; a longer grid gets its marked rows and a hint instead.
TABLE_ROWS = 500


def drawable(rows: Any) -> tuple[list[Mapping[str, Any]] | None, str]:
    """The grid rows to draw, or ``None`` with how many there are (``"more than 500"``)
    when there are more than :data:`TABLE_ROWS` (a ladder's are counted, not computed)."""
    points = getattr(rows, "points", None)
    if points is not None and len(points) > TABLE_ROWS:
        return None, f"{len(points):,}"
    head = list(itertools.islice(iter(rows or []), TABLE_ROWS + 1))
    if len(head) > TABLE_ROWS:
        return None, f"more than {TABLE_ROWS:,}" if not isinstance(rows, list) else f"{len(rows):,}"
    return head, f"{len(head):,}"


def merged_rows(doc: Mapping[str, Any], rows: list[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Grid ``rows`` with the marked prices sorted in (a mark on a grid price labels that row)."""
    grid_prices = {row["price"] for row in rows}
    extra = [m for m in doc.get("marks", []) if m["price"] not in grid_prices]
    return sorted(rows + extra, key=lambda r: r["price"])


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


def first_keys(doc: Mapping[str, Any]) -> tuple[str, ...]:
    """The summary keys a table shows, in order: what a trader decides on first, where the
    command says (``SUMMARY_KEYS``), unless ``--explain`` asked for the whole answer; else
    every labelled key."""
    keys = hook(doc.get("command"), "SUMMARY_KEYS")
    return tuple(LABELS) if keys is None or doc.get("explain") else keys


def left_for_later(doc: Mapping[str, Any]) -> int:
    """How many summary figures the table leaves to ``--explain`` and ``--json``."""
    keys = first_keys(doc)
    return sum(1 for key in LABELS if key not in keys and doc.get(key) is not None and not _repeats(doc, key))


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
    venue = doc.get("venue_pnl")
    if venue:
        yield (
            f"PnL as the venue rounds it: {text(venue['pnl'])} {coin}, each lot valued to the satoshi first "
            f"({text(venue['lot_value_entry'])} at entry, {text(venue['lot_value_exit'])} at exit, "
            f"{text(venue['lots'])} lots; exact {text(venue['pnl_exact'])})."
        )


class _Console(Console):
    """A console that reports a closed pipe as ``BrokenPipeError`` for the CLI to end quietly."""

    def on_broken_pipe(self) -> None:
        raise BrokenPipeError


def write(doc: Mapping[str, Any], out: IO[str]) -> None:
    """Draw ``doc`` as tables on ``out``."""
    console = _Console(file=out, highlight=False)
    # A command whose module lays out its own table (account, compare, exchanges).
    draw_table = hook(doc.get("command"), "draw_table")
    if draw_table is not None:
        draw_table(doc, console)
        return
    console.print(summary(doc))
    if "rows" in doc:
        rows, count = drawable(doc["rows"])
        if rows is not None:
            console.print(rows_table(doc, merged_rows(doc, rows), console.width))
        else:
            marked = merged_rows(doc, [])
            if marked:
                console.print(rows_table(doc, marked, console.width))
            command = doc.get("command", "ladder")
            sys.stderr.write(
                f"invfut {command}: {count} rows are more than a table shows ({TABLE_ROWS:,} at most)"
                f"{'; only the marked prices are drawn' if marked else ''}. For every row: "
                f"invfut {command} ... --format csv > {command}.csv (or --format ndjson, or --json)\n"
            )
    for line in notes(doc):
        # Notes wrap at spaces to the terminal's width (a number is never split).
        console.print(line, style="bold red" if "LIQUIDATED" in line else "yellow", overflow="fold")
    for line in doc.get("explain") or []:
        console.print(line, soft_wrap=True)
