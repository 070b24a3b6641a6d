"""The lean path of ``batch``: a ``liq-price`` line that asks only for ``liquidation_price``.

A script that wants one number should not pay for the whole document. For such a line,
:func:`liquidation_price_line` takes the values as the input model would take them, and
answers through the same code the command runs: the venue's rule and the core's
liquidation (:func:`invfut_cli.venues.rules.liquidation_for`), the price rounded toward
safety to the price step (:func:`invfut_cli.rounding.safe_price`), the alert of
``--mark``/``--fail-within`` (the command's own), and the type check of the key written.
What it skips is building the pydantic input model and the rest of the document.

It answers only lines it can vouch for: the generic venue, no configured defaults, and
only fields whose values are plain numbers inside the input model's ranges (and the side
and basis as the model spells them). Anything else (text where a number goes, a number out
of range, a venue, fills, closes, a size in USD, a margin) returns ``None``, and the line
takes the full path: so an invalid line gets the very error record the full path gives,
and a valid one the same bytes (``tests/test_fields.py`` checks both on random lines).
"""

from __future__ import annotations

from decimal import Decimal, getcontext, setcontext
from typing import Any

from . import core
from .choices import BasisName, ExchangeName
from .core.margin import mark_safety, rates_of
from .core.numbers import CORE_CONTEXT, ONE, ZERO, places_of
from .core.position import Side, initial_margin
from .core.prices import isolated_liquidation_price
from .inputs.fields import MAX_CONTRACTS, MAX_LEVERAGE, MAX_PRICE, MIN_AMOUNT, MIN_LEVERAGE
from .inputs.margin import LiqInput, MaintenanceInput
from .render.json_out import number_text
from .rounding import MAX_PLACES, MIN_PLACES, place_step, safe_price

#: The keys the lean path answers.
LEAN_KEYS = ("liquidation_price",)

#: The fields a lean line may carry, spelt as here (anything else: the full path).
_FIELDS = frozenset(
    {"command", "side", "entry", "contracts", "leverage", "mm_basis", "mmr", "taker_fee", "mark", "fail_within",
     "fields"}
)  # fmt: skip
_SIDES = {"long": (1, Side.LONG), "short": (-1, Side.SHORT)}
_BASES = {"entry": BasisName.entry, "mark": BasisName.mark, None: BasisName.entry}
THOUSAND = Decimal(1000)
_MAX_PRICE, _MAX_CONTRACTS, _MAX_LEVERAGE = Decimal(MAX_PRICE), Decimal(MAX_CONTRACTS), Decimal(MAX_LEVERAGE)


def _number(value: Any, low: Decimal, high: Decimal, below_high: bool = False) -> Decimal | None:
    """``value`` as the input model reads a number in ``[low, high]`` (``[low, high)``), or
    ``None`` where this path does not vouch for it: an int (not a bool) or a plain finite Decimal."""
    kind = type(value)
    if kind is Decimal:
        if not value.is_finite():
            return None
        number = value
    elif kind is int:
        number = Decimal(value)
    else:
        return None
    if number < low or number > high or (below_high and number == high):
        return None
    return number


class LeanInput:
    """What the venue's rule reads of a lean line (:func:`invfut_cli.venues.rules.rule_for`):
    the generic venue, the line's rate, basis and taker fee, and the input model's own
    ``spec``."""

    exchange = ExchangeName.generic
    coin = "BTC"
    mm_deduction = None
    tick = None
    margin_mode = core.MarginMode.ISOLATED
    spec = MaintenanceInput.spec

    __slots__ = ("mm_basis", "mmr", "taker_fee")

    def __init__(self, mmr: Decimal | None, mm_basis: BasisName, taker_fee: Decimal) -> None:
        self.mmr, self.mm_basis, self.taker_fee = mmr, mm_basis, taker_fee


_CONFIGURED: list[bool] = []


def _configured() -> bool:
    """Whether a config file or ``INVFUT_*`` variable sets a default of ``liq-price``'s
    input (then the full path applies it)."""
    if not _CONFIGURED:
        from .config import settings

        _CONFIGURED.append(any(key in LiqInput.model_fields for key in settings()))
    return _CONFIGURED[0]


#: The terms of the venue's rule for each ``(mmr, basis, taker fee)`` met: the maintenance
#: rate, the fee charged at the bankruptcy price, whether it is the entry family, and the
#: deductions (the generic venue's rule depends on nothing else).
_TERMS: dict[tuple[Any, ...], tuple[Decimal, Decimal, bool, Decimal, Decimal]] = {}


def _terms(
    mmr: Decimal | None, basis: BasisName, taker_fee: Decimal
) -> tuple[Decimal, Decimal, bool, Decimal, Decimal]:
    # By text: a fresh Decimal's hash costs more than its str.
    key = (None if mmr is None else str(mmr), basis, str(taker_fee))
    terms = _TERMS.get(key)
    if terms is None:
        from .venues.rules import rule_for

        rule = rule_for(LeanInput(mmr, basis, taker_fee))  # type: ignore[arg-type]
        assert rule.table is None and rule.size_margins is None  # the generic venue: one rate
        spec = rule.spec
        rate, fee_at_bankruptcy = rates_of(spec)
        terms = _TERMS[key] = (rate, fee_at_bankruptcy, spec.basis is core.Basis.ENTRY, spec.deduction_coin,
                               spec.deduction_usd)  # fmt: skip
    return terms


def liquidation_price_line(values: dict[str, Any]) -> tuple[str, bool] | None:
    """The output line of a ``liq-price`` line asking only for ``liquidation_price``, and
    whether its alert is raised; ``None``: the full path answers.

    The line is read as :class:`LiqInput` reads it (the contract size 1, the collateral
    ``Q/(E·L)``, the prices shown to the entry's places, from 2 to 8), the prices are the
    core's (:func:`invfut_cli.core.prices.isolated_liquidation_price`), rounded toward safety
    (:func:`invfut_cli.rounding.safe_price`), and the alert of ``--mark``/``--fail-within`` is
    the core's :func:`invfut_cli.core.margin.mark_safety` on the price shown, as the command's."""
    if not _FIELDS.issuperset(values) or _configured():
        return None
    previous = getcontext()
    if previous is not CORE_CONTEXT:  # batch sets it for the whole run; the core's functions run under it
        setcontext(CORE_CONTEXT)
        try:
            return liquidation_price_line(values)
        finally:
            setcontext(previous)
    get = values.get
    side, basis = get("side"), get("mm_basis")
    if (
        type(side) is not str
        or side not in _SIDES
        or (basis is not None and (type(basis) is not str or basis not in _BASES))
    ):
        return None
    entry = _number(get("entry"), MIN_AMOUNT, _MAX_PRICE)
    contracts = _number(get("contracts"), MIN_AMOUNT, _MAX_CONTRACTS)
    leverage = _number(get("leverage"), MIN_LEVERAGE, _MAX_LEVERAGE)
    if entry is None or contracts is None or leverage is None:
        return None
    mmr, taker_fee, mark, within = get("mmr"), get("taker_fee"), get("mark"), get("fail_within")
    if mmr is not None and (mmr := _number(mmr, ZERO, ONE, True)) is None:
        return None
    if taker_fee is None:
        taker_fee = ZERO
    elif (taker_fee := _number(taker_fee, ZERO, ONE, True)) is None:
        return None
    if mark is not None and (mark := _number(mark, MIN_AMOUNT, _MAX_PRICE)) is None:
        return None
    if within is not None and (within := _number(within, ZERO, THOUSAND)) is None:
        return None
    sign, side_is = _SIDES[side]
    rate, fee_at_bankruptcy, entry_family, deduction_coin, deduction_usd = _terms(mmr, _BASES[basis], taker_fee)
    size = contracts * ONE  # Q = n·S, S = 1 USD
    exact = _liquidation_price(sign, size, entry, _initial_margin(size, entry, leverage), rate, fee_at_bankruptcy,
                               entry_family, deduction_coin, deduction_usd)  # fmt: skip
    places = places_of(entry)
    step = place_step(MIN_PLACES if places < MIN_PLACES else MAX_PLACES if places > MAX_PLACES else places)
    price = safe_price(exact, side_is, step)
    _check({"liquidation_price": price})
    alert = (mark is not None or within is not None) and mark_safety(
        side_is, entry if mark is None else mark, price, within
    ).alert
    return f'{{"liquidation_price": {"null" if price is None else number_text(price)}}}', alert


#: The core's functions themselves (``__wrapped__``: without :func:`invfut_cli.core.numbers.exact`'s
#: context check; this path runs under the core's context, see above).
_liquidation_price, _initial_margin = isolated_liquidation_price.__wrapped__, initial_margin.__wrapped__  # type: ignore[attr-defined]


def _check(doc: dict[str, Any]) -> None:
    """The type check of the key written (:meth:`invfut_cli.selection.Selection.typed`)."""
    if not _CHECKS:
        from .selection import selection

        _CHECKS.append(selection("liq-price", LEAN_KEYS).checker())
    _CHECKS[0](doc)


_CHECKS: list[Any] = []
