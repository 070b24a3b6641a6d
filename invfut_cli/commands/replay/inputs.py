"""``invfut replay``'s input: a position (as ``liq-price`` takes it, the entry optional) and
the candle file it is walked along, from ``--from``, with funding."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import Field, model_validator

from invfut_cli.candles import time_ms
from invfut_cli.inputs.fields import Model, SignedRate, conflict
from invfut_cli.inputs.margin import MaintenanceInput
from invfut_cli.inputs.position import PositionInput


class ReplayInput(PositionInput, MaintenanceInput):
    """``file``: the candles; ``from``: the first time taken (ISO 8601 or Unix seconds or ms);
    ``funding``: the rate per interval where the file has no ``funding`` column."""

    file: str
    from_: str | None = Field(default=None, alias="from")
    funding: Annotated[SignedRate, Field(ge=Decimal("-0.1"), le=Decimal("0.1"))] | None = None

    @model_validator(mode="after")
    def _checked(self) -> ReplayInput:
        if self.collateral is None:
            raise conflict("leverage", "give --leverage or --margin (isolated), or --balance (cross)")
        if self.from_ is not None and time_ms(self.from_) is None:
            raise conflict("from", f"{self.from_!r} is not a time (ISO 8601, or Unix seconds or ms)")
        return self

    @property
    def from_ms(self) -> int | None:
        """``--from`` in Unix milliseconds."""
        return None if self.from_ is None else time_ms(self.from_)


class AccountReplayInput(Model):
    """``replay --account``: the candles, the account file, ``--from`` and ``--funding``
    (the positions, their entries and margins are the file's)."""

    file: str
    account: str
    from_: str | None = Field(default=None, alias="from")
    funding: Annotated[SignedRate, Field(ge=Decimal("-0.1"), le=Decimal("0.1"))] | None = None

    @model_validator(mode="after")
    def _checked(self) -> AccountReplayInput:
        if self.from_ is not None and time_ms(self.from_) is None:
            raise conflict("from", f"{self.from_!r} is not a time (ISO 8601, or Unix seconds or ms)")
        return self

    @property
    def from_ms(self) -> int | None:
        """``--from`` in Unix milliseconds."""
        return None if self.from_ is None else time_ms(self.from_)
