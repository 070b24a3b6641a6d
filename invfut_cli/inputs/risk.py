"""The options of the model probability of liquidation (DOMAIN.md §14): ``--vol`` or
``--vol-from``, ``--horizon``, ``--drift`` and ``--max-probability``, and the input models
of the commands that take them."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, model_validator
from pydantic_core import PydanticCustomError

from .fields import Model, conflict, percent_value, rate_value
from .margin import LiqInput

#: Minutes in each unit a horizon may be written in (a year is 365 days, as the model's).
MINUTES = {"m": 1, "min": 1, "h": 60, "d": 1440, "w": 7 * 1440, "y": 365 * 1440}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(m|min|h|d|w|y)\s*$", re.IGNORECASE)
#: The longest horizon taken: 100 years.
MAX_MINUTES = 100 * 365 * 1440


def duration_text(value: Any) -> Any:
    """A horizon: a positive number and a unit, ``30m``, ``24h``, ``7d``, ``2w``, ``1y``."""
    if not isinstance(value, str):
        return value
    found = _DURATION.match(value)
    if found is None:
        raise PydanticCustomError(
            "duration_syntax",
            f"{value.strip()!r} is not a duration such as 30m, 24h, 7d or 1y".replace("{", "{{").replace("}", "}}"),
        )
    minutes = Decimal(found.group(1)) * MINUTES[found.group(2).lower()]
    if minutes <= 0:
        raise PydanticCustomError("duration_zero", "a horizon must be above 0")
    if minutes > MAX_MINUTES:
        raise PydanticCustomError("duration_long", "a horizon must be at most 100 years")
    return f"{found.group(1)}{found.group(2).lower()}"


#: A horizon as written (``7d``), checked; :func:`horizon_minutes` reads it.
Duration = Annotated[str, BeforeValidator(duration_text)]
#: An annual volatility: ``60%`` or ``0.6``, above 0 and at most 10,000%.
Vol = Annotated[Decimal, BeforeValidator(rate_value), Field(gt=0, le=100, allow_inf_nan=False)]
#: An annual drift: ``-20%`` or ``-0.2``, at most ±10,000%.
Drift = Annotated[Decimal, BeforeValidator(rate_value), Field(ge=-100, le=100, allow_inf_nan=False)]
#: A probability in percent, strictly between 0 and 100.
Probability = Annotated[Decimal, BeforeValidator(percent_value), Field(gt=0, lt=100, allow_inf_nan=False)]


def horizon_minutes(text: str) -> Decimal:
    """A checked horizon (``7d``) in minutes."""
    found = _DURATION.match(text)
    assert found is not None
    return Decimal(found.group(1)) * MINUTES[found.group(2).lower()]


class RiskInput(Model):
    """The model probability's options: a volatility (``vol``, or ``vol_from`` a candle file),
    a horizon, a drift (0 by default) and, to solve backwards, ``max_probability`` (percent)."""

    vol: Vol | None = None
    vol_from: str | None = None
    horizon: Duration | None = None
    drift: Drift | None = None
    max_probability: Probability | None = None

    @model_validator(mode="after")
    def _complete(self) -> RiskInput:
        if self.vol is not None and self.vol_from is not None:
            raise conflict("vol_from", "give --vol or --vol-from, not both")
        has_vol = self.vol is not None or self.vol_from is not None
        if self.horizon is not None and not has_vol:
            raise conflict("vol", "--horizon needs a volatility: give --vol RATE or --vol-from FILE")
        if has_vol and self.horizon is None:
            raise conflict("horizon", "a volatility needs a horizon: give --horizon such as 7d")
        for name in ("drift", "max_probability"):
            if getattr(self, name) is not None and not has_vol:
                option = "--" + name.replace("_", "-")
                raise conflict(name, f"{option} needs --vol (or --vol-from) and --horizon")
        return self

    @property
    def wants_probability(self) -> bool:
        """Whether the probability was asked for."""
        return self.horizon is not None


class RiskLiqInput(LiqInput, RiskInput):
    """``invfut liq-price`` with the model probability's options."""
