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
from functools import cached_property
from typing import Any

from . import core
from .choices import BasisName, ExchangeName
from .inputs.fields import MAX_CONTRACTS, MAX_LEVERAGE, MAX_PRICE, MIN_AMOUNT, MIN_LEVERAGE
from .inputs.margin import LiqInput, MaintenanceInput
from .rounding import price_step, safe_price, shown_places

#: The keys the lean path answers.
LEAN_KEYS = ("liquidation_price",)

#: The fields a lean line may carry (anything else: the full path).
_FIELDS = frozenset({"side", "entry", "contracts", "leverage", "mm_basis", "mmr", "taker_fee", "mark", "fail_within"})
_SIDES = {"long": core.Side.LONG, "short": core.Side.SHORT}
_BASES = {"entry": BasisName.entry, "mark": BasisName.mark}
#: Digits of a number taken here (the input model takes more; such a line takes the full path).
_DIGITS = 40
ZERO, ONE, THOUSAND = Decimal(0), Decimal(1), Decimal(1000)


def _number(value: Any, low: Decimal, high: Decimal, below_high: bool = False) -> Decimal | None:
    """``value`` as the input model reads a number in ``[low, high]`` (``[low, high)``), or
    ``None`` where this path does not vouch for it: an int (not a bool) or a plain finite Decimal."""
    kind = type(value)
    if kind is int:
        number = Decimal(value)
    elif kind is Decimal and value.is_finite():
        sign, digits, exponent = value.as_tuple()
        if exponent > 0 or len(digits) > _DIGITS:  # type: ignore[operator]
            return None
        number = value
    else:
        return None
    if number < low or number > high or (below_high and number == high):
        return None
    return number


class LeanInput:
    """The few fields of a lean ``liq-price`` line, read as :class:`LiqInput` reads them, with
    what the venue's rule and the command's alert read of an input (the rule's ``spec`` is
    the input model's own)."""

    exchange = ExchangeName.generic
    coin = "BTC"
    mm_deduction = None
    tick = None
    contract_size = ONE
    margin_mode = core.MarginMode.ISOLATED
    spec = MaintenanceInput.spec

    @cached_property
    def position(self) -> core.Position:
        """The position, as :attr:`PositionInput.opened` builds it (there are no closes)."""
        return core.Position(_SIDES[self.side], self.contracts, self.contract_size, self.entry)

    @cached_property
    def collateral(self) -> Decimal:
        """``Q/(E·L)``, as :attr:`PositionInput.collateral` works it out for a leverage."""
        return self.position.initial_margin_coin(self.leverage)

    @cached_property
    def price_places(self) -> int:
        """As :attr:`PositionInput.price_places`: the entry's places, 2 to 8."""
        return shown_places(self.entry)


def read(values: dict[str, Any]) -> LeanInput | None:
    """The lean input of a line's values (``None`` values are not given, as in
    :func:`invfut_cli.option_values.build`), or ``None`` if the full path must answer."""
    given = {k: v for k, v in values.items() if v is not None}
    if not _FIELDS.issuperset(given) or _configured():
        return None
    args = LeanInput()
    side, basis = given.get("side"), given.get("mm_basis", "entry")
    if type(side) is not str or side not in _SIDES or type(basis) is not str or basis not in _BASES:
        return None
    args.side, args.mm_basis = side, _BASES[basis]
    entry = _number(given.get("entry"), MIN_AMOUNT, Decimal(MAX_PRICE))
    contracts = _number(given.get("contracts"), MIN_AMOUNT, Decimal(MAX_CONTRACTS))
    leverage = _number(given.get("leverage"), MIN_LEVERAGE, Decimal(MAX_LEVERAGE))
    if entry is None or contracts is None or leverage is None:
        return None
    args.entry, args.contracts, args.leverage = entry, contracts, leverage
    args.mmr = args.taker_fee = args.mark = args.fail_within = None
    for name, low, high, below in (
        ("mmr", ZERO, ONE, True),
        ("taker_fee", ZERO, ONE, True),
        ("mark", MIN_AMOUNT, Decimal(MAX_PRICE), False),
        ("fail_within", ZERO, THOUSAND, False),
    ):
        if name in given:
            number = _number(given[name], low, high, below)
            if number is None:
                return None
            setattr(args, name, number)
    if args.taker_fee is None:
        args.taker_fee = ZERO
    return args


_CONFIGURED: list[bool] = []


def _configured() -> bool:
    """Whether a config file or ``INVFUT_*`` variable sets a default of ``liq-price``'s
    input (then the full path applies it)."""
    if not _CONFIGURED:
        from .config import settings

        _CONFIGURED.append(any(key in LiqInput.model_fields for key in settings()))
    return _CONFIGURED[0]


def liquidation_price_line(values: dict[str, Any]) -> tuple[str, bool] | None:
    """The output line of a ``liq-price`` line asking only for ``liquidation_price``, and
    whether its alert is raised; ``None``: the full path answers."""
    args = read(values)
    if args is None:
        return None
    from .commands.liq_price import _alert
    from .render.json_out import scalar
    from .selection import selection
    from .venues.rules import liquidation_for

    step = price_step(args)
    outcome = liquidation_for(args)  # type: ignore[arg-type]
    price = safe_price(outcome.result.liquidation.price_usd, core.Side(args.side), step)
    doc = selection("liq-price", LEAN_KEYS).typed({"liquidation_price": price})
    alert = _alert(args, outcome.result.liquidation.price_usd, step)["alert"]  # type: ignore[arg-type]
    return scalar(doc), alert is True
