"""``replay --plot`` and ``--plot-file FILE.svg``: the path as the ladder's chart is drawn
(plotille on the terminal, pygal for the image, each imported only in the function that
draws with it).

The chart shows each candle's adverse extreme (the low of a long, the high of a short, or
the mark) against time, the liquidation price as a line (it moves with funding) and the
liquidation marked. The candles are read once more and gathered into at most
:data:`BUCKETS` buckets of equal time, each keeping its lowest and highest extreme and its
most adverse liquidation price: the memory is bounded whatever the file's length.
Numbers become floats here, for drawing only.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

#: Buckets of time a path is gathered into (the widest terminal chart is narrower).
BUCKETS = 480

#: Rows of the terminal chart's plotting area.
HEIGHT = 16


@dataclass
class Path_:
    """The path in buckets: per bucket its lowest and highest extreme and its most adverse
    liquidation price (``nan``: none), and the liquidation (hours from the start, price)."""

    sign: int
    start_ms: int
    span_ms: int
    low: list[float] = field(default_factory=lambda: [float("inf")] * BUCKETS)
    high: list[float] = field(default_factory=lambda: [float("-inf")] * BUCKETS)
    liq: list[float] = field(default_factory=lambda: [float("nan")] * BUCKETS)
    hit: tuple[float, float] | None = None

    def add(self, time_ms: int, extreme: Decimal, liq: Decimal | None) -> None:
        """One candle."""
        at = min(BUCKETS - 1, (time_ms - self.start_ms) * BUCKETS // self.span_ms)
        x = float(extreme)
        if x < self.low[at]:
            self.low[at] = x
        if x > self.high[at]:
            self.high[at] = x
        if liq is not None:
            y, old = float(liq), self.liq[at]
            if old != old or self.sign * (y - old) > 0:  # nan, or more adverse
                self.liq[at] = y

    def points(self) -> tuple[list[float], list[float], list[tuple[float, float]]]:
        """Hours from the start of each filled bucket, its adverse extreme, and the
        liquidation price's points (where there is one)."""
        xs, ys, ls = [], [], []
        width = self.span_ms / BUCKETS / 3_600_000
        for i in range(BUCKETS):
            if self.low[i] == float("inf"):
                continue
            x = i * width
            xs.append(x)
            ys.append(self.low[i] if self.sign > 0 else self.high[i])
            if self.liq[i] == self.liq[i]:
                ls.append((x, self.liq[i]))
        return xs, ys, ls


def gather(doc: dict[str, Any], values: dict[str, Any]) -> Path_:
    """The path in buckets: the candles walked again (a position's walk stops at its
    liquidation; the candles after it are read for their prices only)."""
    from invfut_cli.candles import CandleReader, time_ms

    from . import _setup

    start = time_ms(doc["first_time"]) or 0
    end = time_ms(doc["last_time"]) or start
    hit_ms = None if doc["liquidated_at"] is None else time_ms(doc["liquidated_at"]["time"])
    if values.get("account") is not None:
        from .account_doc import setup

        replay: Any = setup(values)[1]
        walked, sign = replay.walk(), replay.sign
    else:
        replay = _setup({k: v for k, v in values.items() if k != "account"})[1]
        walked, sign = replay.rows(), replay.terms.sign
    path = Path_(sign, start, max(1, end - start + 1))
    last = start - 1
    for candle, liq, *_rest in walked:
        down = hit_ms is not None and candle.time_ms > hit_ms
        path.add(candle.time_ms, _extreme(candle, sign), None if down else liq)
        last = candle.time_ms
    if last < end:  # the position's rows end at its liquidation: the rest of the path
        for candle in CandleReader(doc["file"]):
            if candle.time_ms > last:
                path.add(candle.time_ms, _extreme(candle, sign), None)
    if hit_ms is not None:
        path.hit = ((hit_ms - start) / 3_600_000, float(doc["liquidated_at"]["price"]))
    return path


def _extreme(candle: Any, sign: int) -> Decimal:
    if candle.mark is not None:
        return candle.mark  # type: ignore[no-any-return]
    return candle.low if sign > 0 else candle.high  # type: ignore[no-any-return]


def _key(doc: dict[str, Any], sign: int) -> list[str]:
    extreme = "mark" if doc["price_source"] == "mark" else ("low" if sign > 0 else "high")
    lines = [
        f"Path: each candle's {extreme} (cyan) and the liquidation price (red), hours from {doc['first_time']}",
    ]
    hit = doc["liquidated_at"]
    lines.append("Survived the whole path." if hit is None else
                 f"X: liquidated at {hit['price']} on {hit['time']} (line {hit['line']}).")  # fmt: skip
    return lines


def terminal(doc: dict[str, Any], path: Path_, width: int, colour: bool) -> str:
    """The chart as text about ``width`` columns wide."""
    import plotille

    from invfut_cli.render.plot import FINE_NICE, MAX_WIDTH, MIN_WIDTH, _ticks, nice_axis

    xs, ys, ls = path.points()
    if len(xs) < 2:
        return "\n".join([*_key(doc, path.sign), "No chart: it needs candles at two times at least."])
    width = max(MIN_WIDTH, min(MAX_WIDTH, width))
    figure = plotille.Figure()
    figure.width, figure.height = max(10, width - 30), HEIGHT
    figure.with_colors = colour
    figure.x_label, figure.y_label = "hours", "USD"
    figure.x_ticks_fkt, figure.y_ticks_fkt = _ticks(9), _ticks(10)
    every = ys + [y for _, y in ls] + ([path.hit[1]] if path.hit else [])
    # Round numbers at the ticks, as the ladder's chart: every row's on the y axis, every tenth column's on x.
    y_low, y_step = nice_axis(min(every), max(every), HEIGHT)
    figure.set_y_limits(y_low, y_low + HEIGHT * y_step)
    x_low, x_step = nice_axis(0.0, max(xs[-1] if xs else 1.0, 1e-9), figure.width / 10, FINE_NICE)
    figure.set_x_limits(x_low, x_low + figure.width / 10 * x_step)
    if ls:
        figure.plot([x for x, _ in ls], [y for _, y in ls], lc="red")
    figure.plot(xs, ys, lc="cyan")
    if path.hit is not None:
        figure.text([path.hit[0]], [path.hit[1]], ["X"], lc="yellow")
    return "\n".join([*_key(doc, path.sign), "", figure.show()])


def svg(doc: dict[str, Any], path: Path_) -> str:
    """The chart as an SVG document."""
    from invfut_cli.render.plot import SVG_HEIGHT, SVG_WIDTH, _pygal

    pygal = _pygal()
    from pygal.style import Style

    xs, ys, ls = path.points()
    figure = pygal.XY(
        width=SVG_WIDTH,
        height=SVG_HEIGHT,
        js=[],  # no script: the file looks the same anywhere, and nothing is fetched
        title=f"replay {doc['file']}: the path and the liquidation price",
        x_title=f"Hours from {doc['first_time']}",
        y_title="Price (USD)",
        legend_at_bottom=True,
        show_x_guides=False,
        style=Style(colors=("#1f77b4", "#d62728", "#ff7f0e"), background="white", plot_background="white"),
    )
    figure.add(_key(doc, path.sign)[0].split(" (cyan)")[0].replace("Path: ", ""), list(zip(xs, ys, strict=True)),
               show_dots=False)  # fmt: skip
    figure.add("liquidation price", ls, show_dots=False)
    hit = doc["liquidated_at"]
    figure.add(
        "survived" if hit is None else f"liquidated at {hit['price']} on {hit['time']}",
        [] if path.hit is None else [path.hit],
        dots_size=6,
    )
    return figure.render(is_unicode=True)  # type: ignore[no-any-return]


def draw(
    doc: dict[str, Any], values: dict[str, Any], plot: bool, plot_file: Path | None, emit: Callable[[], None]
) -> None:
    """Write the image first (an error then leaves stdout empty), then the output, then,
    with ``--plot``, the chart after the summary."""
    from invfut_cli.core.errors import DomainError

    path = gather(doc, values)
    if plot_file is not None:
        try:
            plot_file.write_text(svg(doc, path), encoding="utf-8")
        except OSError as exc:
            raise DomainError(f"cannot write '{plot_file}': {exc.strerror or exc}", option="plot_file") from None
    emit()
    if plot:
        from invfut_cli.render import table

        console = table._Console(file=sys.stdout, highlight=False)
        colour = console.color_system is not None and not console.no_color
        sys.stdout.write(terminal(doc, path, console.width, colour) + "\n")
        sys.stdout.flush()
