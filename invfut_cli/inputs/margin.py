"""The rule a position is liquidated by, as a command is given it: the maintenance rate,
its basis and deduction, the taker fee and the tick (the venue's preset fills in what is
left out); and :class:`LiqInput`, a position with that rule and the margin behind it."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, Field, model_validator

from invfut_cli import core
from invfut_cli.choices import BasisName
from invfut_cli.given import read_tick
from invfut_cli.venues import GENERIC

from .fields import MAX_COIN, Model, Percent, Price, Rate, conflict
from .position import PositionInput

#: The maintenance rate of the generic model when --mmr is not given.
DEFAULT_MMR = GENERIC.maintenance_rate


def flag_spec(args: Any, basis: BasisName, fee_treatment: core.FeeTreatment | None = None) -> core.MaintenanceSpec:
    """The core's maintenance rule on ``basis`` from ``args``' flags (``mmr``, ``mm_deduction``,
    ``taker_fee``): the generic model's 0.5% and no deduction for what is left out."""
    return core.MaintenanceSpec(
        rate=args.mmr if args.mmr is not None else DEFAULT_MMR,
        basis=core.Basis(basis.value),
        deduction_coin=args.mm_deduction if args.mm_deduction is not None else Decimal(0),
        taker_fee=args.taker_fee,
        fee_treatment=fee_treatment,
    )


class MaintenanceInput(Model):
    """The maintenance-margin rule shared by ``liq-price``, ``ladder``, ``leverage`` and ``pnl``.

    ``mmr`` and ``mm_deduction`` left out mean: the preset's tier, or 0.5% and 0 for the
    generic model.
    """

    mmr: Rate | None = None
    mm_basis: BasisName = BasisName.entry
    mm_deduction: Annotated[Decimal, Field(ge=0, le=MAX_COIN, allow_inf_nan=False)] | None = None
    taker_fee: Rate = Decimal(0)
    #: A tick finer than a satoshi is read to the satoshi, up, with a note (:func:`read_tick`).
    tick: Annotated[Price, AfterValidator(read_tick)] | None = None

    def spec(self, fee_treatment: core.FeeTreatment | None = None) -> core.MaintenanceSpec:
        """The core's maintenance rule from the flags (generic defaults for what is left out)."""
        return flag_spec(self, self.mm_basis, fee_treatment)


class LiqInput(PositionInput, MaintenanceInput):
    """``invfut liq-price``; ``fail_within`` (percent) alerts on a liquidation price that near
    ``mark``; ``target_liquidation`` asks for the margin that puts the liquidation price there."""

    mark: Price | None = None
    fail_within: Percent | None = None
    target_liquidation: Price | None = None

    @model_validator(mode="after")
    def _needs_collateral(self) -> LiqInput:
        if self.collateral is None:
            raise conflict("leverage", "give --leverage or --margin (isolated), or --balance (cross)")
        return self
