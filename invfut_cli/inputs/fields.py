"""The fields every command's input is made of: numbers with their ranges, the one reader
of percentages, side and coin names, and how a validation error names the option at fault.

Field names are the option names (``contract_size`` is ``--contract-size``), so a
validation error maps to the option at fault without a table of aliases.

**The percent rule.** ``N%`` is always N percent. A bare number is read in the unit the
option names: an option whose value is a percentage (``PCT``: ``--fail-within 5``,
``--pct 20``) reads it as percent; an option whose value is a rate or a fraction (``RATE``,
``MOVE``, ``RATIO``: ``--mmr 0.005``, ``--move -0.3``) reads it as a fraction.
"""

from __future__ import annotations

import enum
import re
from decimal import Decimal, InvalidOperation, localcontext
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from invfut_cli.core.numbers import CORE_CONTEXT, HUNDRED
from invfut_cli.echo import shown

if TYPE_CHECKING:
    from pydantic import ValidationError


class Model(BaseModel):
    """Frozen, no unknown fields; every model of a command's input derives from it."""

    # Schemas are built on first use, so start-up pays only for the models a command uses.
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


#: Largest price, contract count, leverage and row count taken, so that nothing overflows
#: and no ladder runs for hours by mistake.
MAX_PRICE = 10**12


MAX_CONTRACTS = 10**15


MAX_LEVERAGE = 1000


MAX_COIN = 10**15


MAX_CONTRACT_SIZE = 10**6

#: A multiplier above this is not a quanto's (coin per USD of price, per contract).
MAX_MULTIPLIER = 10**6


MAX_ROWS = 10_000_000


def side_name(value: Any) -> Any:
    text = value.value if isinstance(value, enum.Enum) else value
    if isinstance(text, str):
        text = text.strip().lower()
        return {"buy": "long", "sell": "short"}.get(text, text)
    return text


def split_percent(text: str) -> tuple[Decimal, bool] | None:
    """The one reader of numbers that may carry a percent sign: ``"2%"`` is ``(2, True)``,
    ``"0.01"`` is ``(0.01, False)``; ``None`` if the text is neither (or not finite)."""
    body = text.strip()
    percent = body.endswith("%")
    try:
        number = Decimal(body[:-1].strip() if percent else body)
    except InvalidOperation:
        return None
    return (number, percent) if number.is_finite() else None


def rate_value(value: Any) -> Any:
    """A rate: ``"0.5%"`` is ``Decimal("0.005")``; ``"0.005"`` stays as written."""
    if not isinstance(value, str):
        return value
    parsed = split_percent(value)
    if parsed is None:
        raise PydanticCustomError(
            "rate_syntax",
            f"{value.strip()!r} is not a number or a percentage such as 0.005 or 0.5%".replace("{", "{{").replace(
                "}", "}}"
            ),
        )
    number, percent = parsed
    if not percent:
        return number
    with localcontext(CORE_CONTEXT):
        return number / HUNDRED


def percent_value(value: Any) -> Any:
    """A percentage: ``"5%"`` and ``"5"`` are both ``Decimal("5")`` (five percent)."""
    if not isinstance(value, str):
        return value
    parsed = split_percent(value)
    if parsed is None:
        raise PydanticCustomError(
            "percent_syntax",
            f"{value.strip()!r} is not a percentage such as 5 or 5%".replace("{", "{{").replace("}", "}}"),
        )
    return parsed[0]


def number_or_percent(text: str, option: str) -> tuple[Decimal, bool]:
    """:func:`.models.split_percent`, or an error naming ``option``."""
    parsed = split_percent(text)
    if parsed is None:
        raise conflict(option, f"{text.strip()!r} is not a number or a percentage such as 0.01 or 2%")
    return parsed


def _fraction(value: Any) -> Any:
    """``"-30%"`` is ``Decimal("-0.3")``; ``"-0.3"`` stays as written."""
    if not isinstance(value, str):
        return value
    parsed = split_percent(value)
    if parsed is None:
        raise PydanticCustomError("rate_syntax", "not a number or a percentage such as 0.3 or 30%")
    number, percent = parsed
    if not percent:
        return number
    with localcontext(CORE_CONTEXT):
        return number / HUNDRED


#: A fraction written as a number or a percentage (``0.5`` or ``50%``), of either sign.
FractionOrPercent = Annotated[Decimal, BeforeValidator(_fraction), Field(allow_inf_nan=False)]


#: The smallest price, amount of coin or contracts taken: one satoshi (below it the math
#: leaves the range it is exact in); the smallest leverage: 0.01.
MIN_AMOUNT = Decimal("0.00000001")


MIN_LEVERAGE = Decimal("0.01")


Price = Annotated[Decimal, Field(ge=MIN_AMOUNT, le=MAX_PRICE, allow_inf_nan=False)]


Count = Annotated[Decimal, Field(ge=MIN_AMOUNT, le=MAX_CONTRACTS, allow_inf_nan=False)]


Coin = Annotated[Decimal, Field(ge=MIN_AMOUNT, le=MAX_COIN, allow_inf_nan=False)]


Leverage = Annotated[Decimal, Field(ge=MIN_LEVERAGE, le=MAX_LEVERAGE, allow_inf_nan=False)]


ContractSize = Annotated[Decimal, Field(ge=MIN_AMOUNT, le=MAX_CONTRACT_SIZE, allow_inf_nan=False)]
#: A quanto's multiplier: settlement coin per USD of price, per contract.
Multiplier = Annotated[Decimal, Field(gt=0, le=MAX_MULTIPLIER, allow_inf_nan=False)]


Side = Annotated[Literal["long", "short"], BeforeValidator(side_name)]


Rate = Annotated[Decimal, BeforeValidator(rate_value), Field(ge=0, lt=1)]


#: A percentage, ``5`` or ``5%`` (both five percent), from 0 to 1000.
Percent = Annotated[Decimal, BeforeValidator(percent_value), Field(ge=0, le=1000, allow_inf_nan=False)]


#: A rate that may be negative (a funding rate, a target loss): ``-0.025%`` is ``-0.00025``.
SignedRate = Annotated[Decimal, BeforeValidator(rate_value), Field(allow_inf_nan=False)]


def conflict(option: str, message: str) -> PydanticCustomError:
    """An error about a combination of options, pinned on ``option``."""
    return PydanticCustomError("conflict", message, {"option": option})


CoinName = Annotated[str, Field(min_length=1, max_length=12, pattern=r"^[A-Za-z0-9]+$")]


#: ``Decimal('0.1')`` in a constraint message is written ``0.1``.
_DECIMAL_REPR = re.compile(r"Decimal\('([^']*)'\)")


def error_lines(exc: ValidationError) -> list[tuple[str | None, str]]:
    """``(option, message)`` for each error in ``exc``; options are written ``--like-this``."""
    out: list[tuple[str | None, str]] = []
    for err in exc.errors(include_url=False):
        ctx = err.get("ctx") or {}
        field = ctx.get("option")
        if field is None:
            names = [part for part in err["loc"] if isinstance(part, str) and part != "grid"]
            field = names[-1] if names else None
        option = None if field is None else "--" + str(field).strip("_").replace("_", "-")
        if err["type"] == "extra_forbidden":  # pydantic: "Extra inputs are not permitted"
            out.append((option, f"unknown field '{str(field).strip('_')}'"))
            continue
        if err["type"] == "missing":  # pydantic: "Field required"
            out.append((option, "required, but not given"))
            continue
        message = _DECIMAL_REPR.sub(r"\1", err["msg"].removeprefix("Value error, ")).replace("1E-8", "0.00000001")
        given = err.get("input")
        if err["type"] not in ("conflict", "rate_syntax", "percent_syntax") and isinstance(given, (str, int, Decimal)):
            message += f" (got {shown(given)})" if str(given) else " (got an empty value)"
        out.append((option, message))
    return out
