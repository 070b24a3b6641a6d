"""Fees and funding as a command is given them: ``maker``, ``taker`` or a rate to open and
to close, a funding rate over ``--periods`` or ``--hours``; and the costs they come to for
a position, with the periods counted as the venue pays funding."""

from __future__ import annotations

from decimal import Decimal, localcontext
from typing import Annotated, Any, NamedTuple

from pydantic import BeforeValidator, Field, model_validator
from pydantic_core import PydanticCustomError

from invfut_cli import core
from invfut_cli.choices import ExchangeName
from invfut_cli.core.numbers import CORE_CONTEXT
from invfut_cli.venues import GENERIC, get

from .fields import Model, SignedRate, conflict, rate_value

#: Maker and taker rates of the generic model, for ``--entry-fee maker`` and the like.
GENERIC_MAKER_FEE = GENERIC.maker_fee


GENERIC_TAKER_FEE = GENERIC.taker_fee


#: Funding interval of the generic model, hours.
GENERIC_FUNDING_HOURS = GENERIC.funding_interval_hours


#: Fee rates taken: a rebate down to −1%, a fee up to 10%.
FEE_RANGE = (Decimal("-0.01"), Decimal("0.1"))


def _fee(value: Any) -> Any:
    """``maker``, ``taker``, or a rate (``0.05%``, ``-0.00025``) within :data:`FEE_RANGE`."""
    if isinstance(value, str) and value.strip().lower() in ("maker", "taker"):
        return value.strip().lower()
    rate = rate_value(value)
    if isinstance(rate, int) and not isinstance(rate, bool):  # a whole number from a batch line
        rate = Decimal(rate)
    if not isinstance(rate, Decimal):
        raise PydanticCustomError(
            "fee",
            "expected maker, taker or a rate such as 0.05% or -0.025%",
        )
    low, high = FEE_RANGE
    if not low <= rate <= high:
        raise PydanticCustomError("fee", "a fee rate must be between -1% and 10%")
    return rate


class FeeInput(Model):
    """Fees to open and close (``maker``, ``taker`` or a rate) and funding over a holding time."""

    entry_fee: Annotated[Any, BeforeValidator(_fee)] = None
    exit_fee: Annotated[Any, BeforeValidator(_fee)] = None
    funding: Annotated[SignedRate, Field(ge=Decimal("-0.1"), le=Decimal("0.1"))] | None = None
    periods: Annotated[Decimal, Field(ge=0, le=100_000, allow_inf_nan=False)] | None = None
    hours: Annotated[Decimal, Field(ge=0, le=1_000_000, allow_inf_nan=False)] | None = None

    @model_validator(mode="after")
    def _funding_time(self) -> FeeInput:
        if self.periods is not None and self.hours is not None:
            raise conflict("hours", "give --periods or --hours, not both")
        if self.funding is None and (self.periods is not None or self.hours is not None):
            raise conflict("funding", "--periods and --hours count funding: give --funding RATE too")
        return self

    @property
    def has_costs(self) -> bool:
        """Whether any fee or funding was given."""
        return self.entry_fee is not None or self.exit_fee is not None or self.funding is not None

    def fee_rate(self, which: str | Decimal | None, exchange: ExchangeName) -> Decimal:
        """A fee rate: the one given, or the venue's (generic: 0.02% maker, 0.05% taker)."""
        if which is None:
            return Decimal(0)
        if isinstance(which, Decimal):
            return which
        return get(exchange).fee_rate(which)

    def funding_periods(self, exchange: ExchangeName) -> tuple[Decimal, str]:
        """The funding periods charged, and how they were counted: ``--periods`` as given
        (the funding times the position crossed); else ``--hours`` over the venue's interval
        (8 h generic): ``⌊hours/interval⌋`` whole intervals where the venue pays at fixed
        times, ``hours/8`` pro rata where funding accrues continuously (``funding_mode``);
        1 period when neither is given."""
        if self.periods is not None:
            return self.periods, "as given (--periods)"
        if self.hours is None:
            return Decimal(1), "one interval (no --periods or --hours)"
        venue = get(exchange)
        interval, mode = venue.funding_interval_hours or GENERIC_FUNDING_HOURS, venue.funding_mode
        with localcontext(CORE_CONTEXT):
            if mode == "continuous":
                return self.hours / interval, f"pro rata, continuous ({interval:f}-hour rate)"
            return CORE_CONTEXT.divide_int(self.hours, interval), f"whole {interval:f}-hour intervals in --hours"


# The records here are NamedTuples: every run creates these classes, and a NamedTuple costs a
# fifth of a frozen dataclass to create (the core's results stay frozen dataclasses).
class Costs(NamedTuple):
    """Fee rates and funding resolved for a position."""

    open_fee_rate: Decimal
    close_fee_rate: Decimal
    funding_rate: Decimal | None
    funding_periods: Decimal
    funding_coin: Decimal
    #: How the periods were counted (whole intervals, pro rata, as given).
    funding_counted: str


def costs(args: FeeInput, position: core.Position) -> Costs:
    """The fee rates (``maker``/``taker`` from the venue) and the funding the position pays,
    ``s·rate·periods·Q/E`` (at the entry price), with the periods counted as the venue pays
    funding (:meth:`FeeInput.funding_periods`)."""
    exchange = args.exchange
    periods, counted = args.funding_periods(exchange)
    funding = (
        core.funding_paid_coin(position, args.funding, periods, position.entry_price_usd)
        if args.funding is not None
        else Decimal(0)
    )
    return Costs(
        open_fee_rate=args.fee_rate(args.entry_fee, exchange),
        close_fee_rate=args.fee_rate(args.exit_fee, exchange),
        funding_rate=args.funding,
        funding_periods=periods if args.funding is not None else Decimal(0),
        funding_coin=funding,
        funding_counted=counted,
    )
