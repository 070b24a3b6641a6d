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

from decimal import Decimal
from typing import Any

from . import core
from .choices import BasisName, ExchangeName
from .core.position import Position, Side
from .inputs.fields import MAX_CONTRACTS, MAX_LEVERAGE, MAX_PRICE, MIN_AMOUNT, MIN_LEVERAGE
from .inputs.margin import LiqInput, MaintenanceInput
from .render.json_out import number_text
from .rounding import place_step, safe_price, shown_places

#: The keys the lean path answers.
LEAN_KEYS = ("liquidation_price",)

#: The fields a lean line may carry (anything else: the full path).
_FIELDS = frozenset(
    {"side", "entry", "contracts", "leverage", "mm_basis", "mmr", "taker_fee", "mark", "fail_within", "fields"}
)
_SIDES = {"long": Side.LONG, "short": Side.SHORT}
_BASES = {"entry": BasisName.entry, "mark": BasisName.mark}
ZERO, ONE, THOUSAND = Decimal(0), Decimal(1), Decimal(1000)


def _number(value: Any, low: Decimal, high: Decimal, below_high: bool = False) -> Decimal | None:
    """``value`` as the input model reads a number in ``[low, high]`` (``[low, high)``), or
    ``None`` where this path does not vouch for it: an int (not a bool) or a plain finite Decimal."""
    kind = type(value)
    if kind is int:
        number = Decimal(value)
    elif kind is Decimal and value.is_finite():
        number = value
    else:
        return None
    if number < low or number > high or (below_high and number == high):
        return None
    return number


class LeanInput:
    """The few fields of a lean ``liq-price`` line, read as :class:`LiqInput` reads them, with
    what the venue's rule and the command's alert read of an input (the rule's ``spec`` is
    the input model's own, and the position and collateral are worked out as the input
    model works them out: ``PositionInput.opened`` and ``Q/(E·L)``)."""

    exchange = ExchangeName.generic
    coin = "BTC"
    mm_deduction = None
    tick = None
    margin_mode = core.MarginMode.ISOLATED
    spec = MaintenanceInput.spec

    __slots__ = ("side", "entry", "contracts", "leverage", "mm_basis", "mmr", "taker_fee", "mark", "fail_within",
                 "position", "collateral", "price_places")  # fmt: skip


def read(values: dict[str, Any]) -> LeanInput | None:
    """The lean input of a line's values (``None`` values are not given, as in
    :func:`invfut_cli.option_values.build`), or ``None`` if the full path must answer."""
    if not _FIELDS.issuperset(values) or _configured():
        return None
    get = values.get
    side, basis = get("side"), get("mm_basis")
    if basis is None:
        basis = "entry"
    if type(side) is not str or side not in _SIDES or type(basis) is not str or basis not in _BASES:
        return None
    entry = _number(get("entry"), MIN_AMOUNT, _MAX_PRICE)
    contracts = _number(get("contracts"), MIN_AMOUNT, _MAX_CONTRACTS)
    leverage = _number(get("leverage"), MIN_LEVERAGE, _MAX_LEVERAGE)
    if entry is None or contracts is None or leverage is None:
        return None
    args = LeanInput()
    args.side, args.mm_basis, args.entry, args.contracts, args.leverage = (
        side,
        _BASES[basis],
        entry,
        contracts,
        leverage,
    )
    args.mmr = args.mark = args.fail_within = None
    args.taker_fee = ZERO
    for name, low, high, below in _OPTIONAL:
        given = get(name)
        if given is not None:
            number = _number(given, low, high, below)
            if number is None:
                return None
            setattr(args, name, number)
    args.position = Position(_SIDES[side], contracts, ONE, entry)
    args.collateral = args.position.initial_margin_coin(leverage)
    args.price_places = shown_places(entry)
    return args


_MAX_PRICE, _MAX_CONTRACTS, _MAX_LEVERAGE = Decimal(MAX_PRICE), Decimal(MAX_CONTRACTS), Decimal(MAX_LEVERAGE)
#: The optional numbers: name, lowest, highest, and whether the highest is excluded.
_OPTIONAL = (
    ("mmr", ZERO, ONE, True),
    ("taker_fee", ZERO, ONE, True),
    ("mark", MIN_AMOUNT, _MAX_PRICE, False),
    ("fail_within", ZERO, THOUSAND, False),
)

_CONFIGURED: list[bool] = []


def _configured() -> bool:
    """Whether a config file or ``INVFUT_*`` variable sets a default of ``liq-price``'s
    input (then the full path applies it)."""
    if not _CONFIGURED:
        from .config import settings

        _CONFIGURED.append(any(key in LiqInput.model_fields for key in settings()))
    return _CONFIGURED[0]


#: The venue's rule for each ``(mmr, basis, taker fee)`` met (the generic venue's rule
#: depends on nothing else: :func:`invfut_cli.venues.rules.rule_for`).
_RULES: dict[tuple[Any, ...], Any] = {}


def liquidation_price_line(values: dict[str, Any]) -> tuple[str, bool] | None:
    """The output line of a ``liq-price`` line asking only for ``liquidation_price``, and
    whether its alert is raised; ``None``: the full path answers."""
    args = read(values)
    if args is None:
        return None
    key = (args.mmr, args.mm_basis, args.taker_fee)
    rule = _RULES.get(key)
    if rule is None:
        from .venues.rules import rule_for

        rule = _RULES[key] = rule_for(args)  # type: ignore[arg-type]
        assert rule.table is None and rule.size_margins is None  # the generic venue: one rate
    step = place_step(args.price_places)  # no tick: 10^-places
    exact = _liquidation_prices(args.position, args.collateral, rule.spec).liquidation
    price = safe_price(exact, args.position.side, step)
    _check({"liquidation_price": price})
    alert = False
    if args.mark is not None or args.fail_within is not None:
        from .commands.liq_price import _alert

        alert = _alert(args, exact, step)["alert"] is True  # type: ignore[arg-type]
    return f'{{"liquidation_price": {"null" if price is None else number_text(price)}}}', alert


def _check(doc: dict[str, Any]) -> None:
    """The type check of the key written (:meth:`invfut_cli.selection.Selection.typed`)."""
    if not _SELECTION:
        from .selection import selection

        _SELECTION.append(selection("liq-price", LEAN_KEYS))
    _SELECTION[0].typed(doc)


_SELECTION: list[Any] = []
_liquidation_prices = core.liquidation_prices
