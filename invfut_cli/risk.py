"""The model probability of liquidation in a document (DOMAIN.md §14): the volatility from
``--vol`` or a candle file, ``liquidation_probability`` and ``probability_target``, and the
lines a table writes for them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from invfut_cli import core
from invfut_cli.core.numbers import CORE_CONTEXT, HUNDRED, NOISE, quantize
from invfut_cli.core.probability import (
    MODEL,
    TouchModel,
    annualise,
    barrier_for_probability,
    return_spread,
    touch_probability,
)
from invfut_cli.given import echoed
from invfut_cli.inputs.fields import MAX_PRICE, MIN_AMOUNT
from invfut_cli.inputs.risk import RiskInput, horizon_minutes
from invfut_cli.rounding import MIN_PLACES, coin_up, pct, pct_up, shown_places, usd

Doc = dict[str, Any]

#: Minutes in the model's year.
_YEAR_MINUTES = Decimal(365 * 1440)

#: Volatilities read from candle files, by path, for the process's life (``compare`` asks
#: once per venue, ``batch`` once per line).
_READ: dict[str, tuple[Decimal, Doc]] = {}


def vol_from_file(path: str) -> tuple[Decimal, Doc]:
    """The annual realised volatility of the closes in the candle file ``path`` and what
    the answer says of it: the file, the interval found from the timestamps (the most common
    gap, in seconds), the count of returns and the volatility per interval."""
    if path in _READ:
        return _READ[path]
    from invfut_cli.candles import CandleReader, closes_of, interval_of

    reader = CandleReader(path)
    gaps: Counter[int] = Counter()
    try:
        spread, returns = return_spread(closes_of(reader, gaps))
    except core.DomainError as exc:
        raise reader.fail(None, exc.message) from None
    interval_ms = interval_of(gaps)
    with_context = CORE_CONTEXT.copy()
    seconds = with_context.divide(Decimal(interval_ms), Decimal(1000))
    vol = annualise(spread, returns, seconds)
    said = {
        "file": path,
        "interval_seconds": int(seconds.to_integral_value()),
        "returns": returns,
        "vol_per_interval_pct": pct(spread * HUNDRED),
    }
    _READ[path] = (vol.annual, said)
    return _READ[path]


def touch_model(args: RiskInput) -> tuple[TouchModel, Doc | None]:
    """The model the options ask for, and what ``--vol-from`` found (``None`` with ``--vol``)."""
    said = None
    if args.vol_from is not None:
        vol, said = vol_from_file(args.vol_from)
    else:
        assert args.vol is not None
        vol = args.vol
    years = CORE_CONTEXT.divide(horizon_minutes(args.horizon or ""), _YEAR_MINUTES)
    return TouchModel(vol, args.drift or Decimal(0), years), said


def _head(args: RiskInput, model: TouchModel, said: Doc | None, start: Decimal, places: int) -> Doc:
    return {
        "model": MODEL,
        # --vol and --drift as given (in percent); a volatility read from a file to 0.01.
        "vol_pct": pct(model.vol * HUNDRED) if said is not None else echoed(model.vol * HUNDRED, 2),
        "drift_pct": echoed(model.drift * HUNDRED, 2),
        "horizon": args.horizon,
        "horizon_days": quantize(model.horizon_years * 365, Decimal("1e-8")),
        "from_price": usd(start, places),
        "vol_from": said,
    }


def probability_doc(
    args: RiskInput, side: core.Side, start: Decimal, barrier: Decimal | None, reason: str | None, places: int
) -> Doc | None:
    """``liquidation_probability``: the model chance that ``barrier`` (the liquidation price as
    shown) is touched within the horizon from ``start`` (the mark, else the entry), and that
    the price is beyond it at the end only, both in percent rounded UP to 0.01 (a small
    chance is never shown as none); with no liquidation price, 0 and the reason. ``None`` when no volatility was given."""
    if not args.wants_probability:
        return None
    model, said = touch_model(args)
    head = _head(args, model, said, start, places)
    if barrier is None:
        return {**head, "touch_pct": Decimal("0.00"), "at_horizon_pct": Decimal("0.00"),
                "reason": reason or "there is no liquidation price"}  # fmt: skip
    answer = touch_probability(side, start, barrier, model)
    return {
        **head,
        "touch_pct": pct_up(answer.touch * HUNDRED),
        "at_horizon_pct": pct_up(answer.at_horizon * HUNDRED),
        "reason": None,
    }


def barrier_shown(barrier: Decimal, side: core.Side, step: Decimal) -> Decimal:
    """A barrier to ``step``, rounded away from the price (a long's down, a short's up): the
    shown barrier is never nearer than the one solved."""
    settled = quantize(barrier, NOISE)
    return quantize(settled, step, ROUND_FLOOR if side is core.Side.LONG else ROUND_CEILING)


def target_doc(
    args: RiskInput,
    side: core.Side,
    start: Decimal,
    step: Decimal,
    solve: Callable[[Decimal], core.TargetMargin],
) -> Doc | None:
    """``probability_target`` (``--max-probability``): the barrier ``L*`` whose touch
    probability is the target (shown rounded away from the price), the smallest collateral
    whose liquidation price is at or beyond ``L*`` (§10, rounded up to the satoshi, from the
    exact ``L*``), the margin to add, and the leverage it gives (rounded down to 0.01)."""
    if args.max_probability is None:
        return None
    model, _ = touch_model(args)
    target = CORE_CONTEXT.divide(args.max_probability, HUNDRED)
    barrier = barrier_for_probability(side, start, target, model)
    if not MIN_AMOUNT <= barrier <= MAX_PRICE:
        # No price invfut takes: no such price is an answer (null with the reason).
        return {
            **dict.fromkeys(("price", "collateral", "margin_to_add", "leverage")),
            "reason": f"so small a probability needs a liquidation price {'below' if barrier < MIN_AMOUNT else 'above'} "
            f"any invfut takes ({MIN_AMOUNT:f} to {MAX_PRICE:,} USD)",
        }
    found = solve(barrier)
    has = found.margin_coin is not None
    return {
        "price": barrier_shown(barrier, side, step),
        "collateral": coin_up(found.margin_coin),
        "margin_to_add": coin_up(found.margin_to_add_coin),
        "leverage": quantize(found.leverage, Decimal("0.01"), ROUND_FLOOR) if has and found.leverage else None,
        "reason": found.reason,
    }


def probability_notes(doc: Mapping[str, Any]) -> Iterable[str]:
    """The table's lines for ``liquidation_probability`` and ``probability_target``: always
    "model probability", with σ, μ and the horizon beside the figure."""
    found = doc.get("liquidation_probability")
    if not found:
        return
    from invfut_cli.render.table_cells import text

    coin = doc.get("coin", "")
    model = f"σ {text(found['vol_pct'])}%/yr, μ {text(found['drift_pct'])}%/yr, horizon {found['horizon']}"
    source = found.get("vol_from")
    if source:
        model += (
            f"; σ from {source['file']}: {source['returns']} returns every {source['interval_seconds']} s, "
            f"{text(source['vol_per_interval_pct'])}% each"
        )
    if found["reason"]:
        yield f"Model probability of liquidation: 0% ({found['reason']}) [{model}]."
    else:
        yield (
            f"Model probability of touching the liquidation price: {text(found['touch_pct'])}% within "
            f"{found['horizon']} (beyond it at the end only: {text(found['at_horizon_pct'])}%) from "
            f"{text(found['from_price'])} [{model}, lognormal: real tails are fatter]."
        )
    target = doc.get("probability_target")
    if target:
        if target["collateral"] is None:
            yield f"No margin keeps the model probability at most the target: {target['reason']}."
        else:
            yield (
                f"For a model probability at most the target: liquidation at {text(target['price'])} or beyond, "
                f"{text(target['collateral'])} {coin} of margin (rounded up; leverage {text(target['leverage'])}x)."
            )


class _Sized:
    """A command's input with the position and collateral it solved (``leverage``), as the
    venue rules read an input."""

    def __init__(self, args: Any, position: core.Position, collateral: Decimal) -> None:
        self._args = args
        self.position = position
        self.collateral = collateral

    def __getattr__(self, name: str) -> Any:
        return getattr(self._args, name)


def leverage_keys(args: Any, doc: Doc, position: core.Position, collateral: Decimal) -> Doc:
    """``leverage`` with the model's options: ``liquidation_probability`` from the entry, each
    row's ``touch_pct`` from the row's price (100 at or beyond the liquidation price), and
    ``probability_target``: the largest leverage (and smallest collateral) for the target."""
    from invfut_cli.rounding import step_for
    from invfut_cli.venues.rules import target_margin_for

    from .risk_layout import RISK_INPUTS

    if not args.wants_probability:
        for key in RISK_INPUTS:
            doc["inputs"].pop(key, None)
        return doc
    side = core.Side(args.side)
    barrier = doc["liquidation_price"]
    places = args.grid.places(args.entry, args.tick)
    model, _ = touch_model(args)
    for row in doc["rows"]:
        row["touch_pct"] = (
            None if barrier is None else pct_up(touch_probability(side, row["price"], barrier, model).touch * HUNDRED)
        )
    sized = _Sized(args, position, collateral)
    reason = None if barrier is not None else "there is no liquidation price"
    return {
        **doc,
        "liquidation_probability": probability_doc(args, side, args.entry, barrier, reason, max(2, places)),
        "probability_target": target_doc(
            args,
            side,
            args.entry,
            step_for(args.tick, max(2, places)),
            lambda price: target_margin_for(sized, price)[0],
        ),
    }


def account_keys(asked: dict[str, Any], doc: Doc) -> Doc:
    """``account`` with the model's options: ``liquidation_probability`` of the account's
    liquidation price (after ``--add`` where given) from ``--price``, on the side the
    price lies (below: as a long, above: as a short); 0 with the reason where there is none."""
    if not asked:
        return doc
    from invfut_cli.option_values import build

    args = build(RiskInput, **asked)
    account = doc.get("after") or doc
    barrier = account.get("liquidation_price")
    side = core.Side.SHORT if account.get("liquidation_side") == "above" else core.Side.LONG
    reason = None if barrier is not None else (account.get("reason") or "there is no liquidation price")
    start = doc["price"]
    places = shown_places(start) if isinstance(start, Decimal) else MIN_PLACES
    doc["inputs"].update({key: getattr(args, key) for key in asked})
    doc["liquidation_probability"] = probability_doc(args, side, start, barrier, reason, places)
    return doc
