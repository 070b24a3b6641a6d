"""What ``invfut watch`` is given: its limits (``--warn``, ``--fail-within``,
``--hysteresis``), funding along the stream, the hook to run per event, and the position
(as ``liq-price`` takes it) or the account file."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import Field, model_validator

from .fields import Model, Percent, SignedRate, conflict
from .margin import MaintenanceInput
from .position import PositionInput

#: The defaults of the limits, percent of the mark.
WARN_PCT, CRITICAL_PCT, HYSTERESIS_PCT = Decimal(10), Decimal(5), Decimal("0.5")
#: Seconds a ``--exec`` command may run before it is stopped.
EXEC_TIMEOUT_S = Decimal(10)


class WatchLimits(Model):
    """The thresholds (percent of the mark; ``W > X > 0``, ``h ≥ 0``), funding, and the hook."""

    warn: Percent = WARN_PCT
    fail_within: Percent = CRITICAL_PCT
    hysteresis: Percent = HYSTERESIS_PCT
    funding: Annotated[SignedRate, Field(ge=Decimal("-0.1"), le=Decimal("0.1"))] | None = None
    every_line: bool = False
    exec: str | None = None
    exec_timeout: Annotated[Decimal, Field(gt=0, le=3600, allow_inf_nan=False)] = EXEC_TIMEOUT_S

    @model_validator(mode="after")
    def _ordered(self) -> WatchLimits:
        if not self.fail_within > 0:
            raise conflict("fail_within", "the critical limit must be above 0%")
        if not self.warn > self.fail_within:
            raise conflict("warn", f"{self.warn}% must be above --fail-within ({self.fail_within}%)")
        if self.exec is not None:
            import shlex

            try:
                words = shlex.split(self.exec)
            except ValueError as exc:
                raise conflict("exec", f"cannot split the command as a shell would: {exc}") from None
            if not words:
                raise conflict("exec", "give a command to run")
        return self


class WatchPosition(PositionInput, MaintenanceInput, WatchLimits):
    """``invfut watch`` of one position: the position options of ``liq-price``."""

    @model_validator(mode="after")
    def _needs_collateral(self) -> WatchPosition:
        if self.collateral is None:
            raise conflict("leverage", "give --leverage or --margin (isolated), or --balance (cross)")
        return self
