"""Pydantic models for what a command is given: validated, with the bad field named.

Field names are the option names (``contract_size`` is ``--contract-size``), so a
validation error maps to the option at fault without a table of aliases.
"""

from __future__ import annotations

import enum
import re
from decimal import Decimal, InvalidOperation, localcontext
from functools import cached_property
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    Field,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from . import core
from .choices import BasisName, ExchangeName
from .core.numbers import CORE_CONTEXT, HUNDRED, places_of
from .models_base import Model
from .rounding import shown_places
from .venues import GENERIC, find

#: Largest price, contract count, leverage and row count taken, so that nothing overflows
#: and no ladder runs for hours by mistake.
MAX_PRICE = 10**12
MAX_CONTRACTS = 10**15
MAX_LEVERAGE = 1000
MAX_COIN = 10**15
MAX_CONTRACT_SIZE = 10**6
MAX_ROWS = 10_000_000


def _side(value: Any) -> Any:
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


def _rate(value: Any) -> Any:
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


def _percent(value: Any) -> Any:
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


#: The smallest price, amount of coin or contracts taken: one satoshi (below it the math
#: leaves the range it is exact in); the smallest leverage: 0.01.
MIN_AMOUNT = Decimal("0.00000001")
MIN_LEVERAGE = Decimal("0.01")

Price = Annotated[Decimal, Field(ge=MIN_AMOUNT, le=MAX_PRICE, allow_inf_nan=False)]
Count = Annotated[Decimal, Field(ge=MIN_AMOUNT, le=MAX_CONTRACTS, allow_inf_nan=False)]
Coin = Annotated[Decimal, Field(ge=MIN_AMOUNT, le=MAX_COIN, allow_inf_nan=False)]
Leverage = Annotated[Decimal, Field(ge=MIN_LEVERAGE, le=MAX_LEVERAGE, allow_inf_nan=False)]
ContractSize = Annotated[Decimal, Field(ge=MIN_AMOUNT, le=MAX_CONTRACT_SIZE, allow_inf_nan=False)]
Side = Annotated[Literal["long", "short"], BeforeValidator(_side)]
Rate = Annotated[Decimal, BeforeValidator(_rate), Field(ge=0, lt=1)]
#: A percentage, ``5`` or ``5%`` (both five percent), from 0 to 1000.
Percent = Annotated[Decimal, BeforeValidator(_percent), Field(ge=0, le=1000, allow_inf_nan=False)]


def conflict(option: str, message: str) -> PydanticCustomError:
    """An error about a combination of options, pinned on ``option``."""
    return PydanticCustomError("conflict", message, {"option": option})


CoinName = Annotated[str, Field(min_length=1, max_length=12, pattern=r"^[A-Za-z0-9]+$")]


def preset_defaults(model: type[BaseModel], data: Any) -> Any:
    """Fill what the user did not give from the ``--exchange`` preset; given values win."""
    if not isinstance(data, dict):
        return data
    data = dict(data)
    if isinstance(data.get("coin"), str):
        data["coin"] = data["coin"].strip().upper()
    venue = find(data.get("exchange", GENERIC.key))
    if venue is None:  # not a venue: the field's own validation names it
        return data
    coin = data.get("coin", "BTC")
    if venue.contract(coin) is None:
        raise conflict("coin", venue.no_contract(coin))
    for key, value in venue.defaults(coin, model.model_fields).items():
        data.setdefault(key, value)
    return data


class SizeAsked(Model):
    """The size asked with ``--size-usd`` or ``--size-coin`` (one of them, as given), and what
    it bought: whole lots of the venue's contract, rounded down."""

    size_usd: Decimal | None = None
    size_coin: Decimal | None = None
    contracts: Decimal
    lot: Decimal
    contract_size: Decimal


#: The largest size taken, USD (a coin size counts at its value at entry).
MAX_SIZE_USD = 10**18
#: The most decimal places a size takes: a coin size is counted in satoshis.
SIZE_PLACES = 8


def size_amount(value: Any, option: str) -> Decimal:
    """A ``--size-usd`` or ``--size-coin`` value: a number above zero, at most 8 decimal places."""
    text = value.strip() if isinstance(value, str) else value
    if isinstance(text, bool) or not isinstance(text, str | int | Decimal):
        raise conflict(option, f"expected a number (got a {type(value).__name__})")
    try:
        amount = Decimal(text) if not isinstance(text, Decimal) else text
    except InvalidOperation:
        raise conflict(option, f"{text!r} is not a number") from None
    if not amount.is_finite() or amount <= 0:
        raise conflict(option, f"a size must be above zero (got {text})")
    if amount > MAX_SIZE_USD:
        raise conflict(option, f"a size must be at most {MAX_SIZE_USD:,} (got {text})")
    if places_of(amount.normalize(CORE_CONTEXT)) > SIZE_PLACES:
        raise conflict(option, f"{text} has more than {SIZE_PLACES} decimal places (a satoshi is 0.00000001)")
    return amount


def size_to_contracts(data: Any) -> Any:
    """``--size-usd N`` or ``--size-coin N`` in place of ``--contracts``: the contracts of the
    venue's size (``contract_size``, the preset's or given) that N buys, rounded down to whole
    lots (the preset's lot; 1 contract for the generic model). A coin size is valued at the
    entry: ``contracts = size_coin × entry / contract size``. The size asked is kept as
    ``size_asked`` for the document. Run after :func:`preset_defaults` (which sets the
    contract size) and before the fields are validated."""
    if not isinstance(data, dict):
        return data
    if "size_asked" in data and not isinstance(data["size_asked"], SizeAsked):
        raise conflict("size_asked", "is not an option: give --size-usd or --size-coin")
    given = [k for k in ("size_usd", "size_coin") if data.get(k) is not None]
    if not given:
        return {k: v for k, v in data.items() if k not in ("size_usd", "size_coin")}
    option = given[0]
    if len(given) > 1:
        raise conflict("size_coin", "give --size-usd or --size-coin, not both")
    for other in ("contracts", "fill"):
        if data.get(other):
            raise conflict(option, f"give --{option.replace('_', '-')} or --{other}, not both: each sets the size")
    amount = size_amount(data[option], option)
    contract_size = data.get("contract_size", Decimal(1))
    try:
        contract_size = contract_size if isinstance(contract_size, Decimal) else Decimal(str(contract_size).strip())
    except InvalidOperation:
        raise conflict("contract_size", f"{contract_size!r} is not a number of USD") from None
    if not contract_size.is_finite() or contract_size <= 0:
        raise conflict("contract_size", f"a contract size must be above zero (got {contract_size})")
    coin = data.get("coin", "BTC")
    where = find(data.get("exchange", GENERIC.key)) or GENERIC
    contract = where.contract(coin) or GENERIC.contract(coin)
    assert contract is not None  # the generic model takes any coin
    lot, venue = contract.lot, where.label(coin)
    with localcontext(CORE_CONTEXT):
        if option == "size_coin":
            entry = data.get("entry")
            try:
                entry = entry if isinstance(entry, Decimal) else Decimal(str(entry).strip())
            except InvalidOperation:
                entry = None
            if entry is None or not entry.is_finite() or entry <= 0:
                raise conflict("entry", "--size-coin needs a valid --entry: the coin is valued at the entry price")
            size_usd = amount * entry
        else:
            size_usd = amount
        lots = (size_usd / (contract_size * lot)).to_integral_value(rounding="ROUND_FLOOR")
        contracts = lots * lot
        if contracts <= 0:
            smallest = lot * contract_size
            if option == "size_coin":
                least = core.quantize(smallest / entry, core.SATOSHI, "ROUND_CEILING")
                what = f"{least} {data.get('coin', 'BTC')} at {entry} ({smallest} USD)"
            else:
                what = f"{smallest} USD"
            raise conflict(
                option,
                f"{amount} is less than one lot of {venue} ({lot} contract(s) of {contract_size} USD): "
                f"the smallest size is {what}",
            )
    asked = SizeAsked(
        size_usd=amount if option == "size_usd" else None,
        size_coin=amount if option == "size_coin" else None,
        contracts=contracts,
        lot=lot,
        contract_size=contract_size,
    )
    rest = {k: v for k, v in data.items() if k not in ("size_usd", "size_coin")}
    return {**rest, "contracts": contracts, "size_asked": asked}


class FillSpec(Model):
    """``CONTRACTS@PRICE``: a fill, or a partial close."""

    contracts: Count
    price: Price


def parse_fill(text: Any, option: str) -> FillSpec:
    """``"1000@5000"`` as a :class:`FillSpec`; anything else is an error naming ``option``."""
    if isinstance(text, FillSpec):
        return text
    if isinstance(text, dict):
        try:
            return FillSpec.model_validate(text)
        except ValidationError as exc:
            raise conflict(option, f"{text!r}: {exc.errors()[0]['msg']}") from None
    parts = str(text).split("@")
    if len(parts) != 2:
        raise conflict(option, f"{text!r} is not CONTRACTS@PRICE, such as 1000@8000")
    try:
        count, price = Decimal(parts[0].strip()), Decimal(parts[1].strip())
    except InvalidOperation:
        raise conflict(option, f"{text!r} is not CONTRACTS@PRICE, such as 1000@8000") from None
    try:
        return FillSpec(contracts=count, price=price)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise conflict(option, f"{text!r}: the {err['loc'][0]} {err['msg'][0].lower()}{err['msg'][1:]}") from None


def _from_fills(data: Any) -> Any:
    """``--fill`` fills give the entry (harmonic average) and the contracts (their sum)."""
    if not isinstance(data, dict) or not data.get("fill"):
        return data
    if "entry" in data or "contracts" in data:
        raise conflict("fill", "give --fill, or --entry with --contracts, not both")
    fills = tuple(parse_fill(text, "fill") for text in data["fill"])
    side = _side(data.get("side"))
    size = data.get("contract_size", Decimal(1))
    venue = find(data.get("exchange", GENERIC.key))
    per_fill = venue is not None and venue.per_fill_satoshi and side in ("long", "short")
    with localcontext(CORE_CONTEXT):
        entry = core.average_entry(
            [core.Fill(f.contracts, f.price) for f in fills],
            Decimal(size),
            per_fill_satoshi=core.Side(side) if per_fill else None,
        )
        contracts = sum((f.contracts for f in fills), Decimal(0))
    return {**data, "fill": fills, "entry": entry, "contracts": contracts}


class PositionInput(Model):
    """Side, entry, size and the margin behind a position (all commands).

    ``fill`` (several ``CONTRACTS@PRICE``) stands in for ``entry`` and ``contracts``;
    ``close`` (one or several ``CONTRACTS@PRICE``, applied in order) realises part of the
    position, and the rest is what the command works on. Only a command that can answer
    with nothing open (``pnl``: the realised PnL) takes a close of every contract.
    """

    #: Whether closes may take every contract (the command then answers about them alone).
    ALL_CLOSED_ANSWERED: ClassVar[bool] = False

    side: Side
    entry: Price
    contracts: Count
    fill: tuple[FillSpec, ...] = ()
    close: tuple[FillSpec, ...] = ()
    contract_size: ContractSize = Decimal(1)
    leverage: Leverage | None = None
    margin: Coin | None = None
    balance: Coin | None = None
    coin: CoinName = "BTC"
    exchange: ExchangeName = ExchangeName.generic
    #: What ``--size-usd``/``--size-coin`` asked for, when the contracts come from it.
    size_asked: SizeAsked | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_preset(cls, data: Any) -> Any:
        data = _from_fills(size_to_contracts(preset_defaults(cls, data)))
        if isinstance(data, dict) and data.get("close") is not None:
            given = data["close"]
            many = given if isinstance(given, list | tuple) else [given]
            data = {**data, "close": tuple(parse_fill(text, "close") for text in many)}
        return data

    @model_validator(mode="after")
    def _one_collateral(self) -> PositionInput:
        closing = sum((c.contracts for c in self.close), Decimal(0))
        if closing > self.contracts:
            raise conflict("close", f"the closes take {closing} contracts, more than the {self.contracts} held")
        if closing == self.contracts and not self.ALL_CLOSED_ANSWERED:
            raise conflict(
                "close",
                f"the closes take all {self.contracts} contracts and leave nothing open here: "
                "close fewer ('invfut pnl' shows what closing them all realised)",
            )
        if self.margin is not None and self.leverage is not None:
            raise conflict("margin", "give --margin or --leverage, not both: each sets the isolated margin")
        if self.margin is not None and self.balance is not None:
            raise conflict("balance", "give --margin (isolated) or --balance (cross), not both")
        check_venue_limits(self.exchange, self.coin, self.contracts, self.entry, self.contract_size, self.leverage)
        return self

    @property
    def opened(self) -> core.Position:
        """The position as opened, before any ``--close``."""
        return core.Position(core.Side(self.side), self.contracts, self.contract_size, self.entry)

    @cached_property
    def closed(self) -> tuple[core.PartialClose, ...]:
        """What each ``--close`` realised, in order, and what each left open."""
        return core.close_in_order(self.opened, [core.Fill(c.contracts, c.price) for c in self.close])

    @cached_property  # a model is frozen: worked out once, though a command asks often
    def position(self) -> core.Position:
        """The open position the command works on: what remains after ``--close``."""
        closed = self.closed
        return closed[-1].remaining if closed else self.opened

    @property
    def all_closed(self) -> bool:
        """Whether the closes took every contract (nothing is left open)."""
        return bool(self.close) and not self.position.contracts

    @cached_property
    def realised_pnl_coin(self) -> Decimal:
        """``Σ s·n_k·S·(1/E − 1/P_k)`` over the closes: what they realised (0 without one)."""
        with localcontext(CORE_CONTEXT):
            return sum((c.realised_pnl_coin for c in self.closed), Decimal(0))

    @property
    def margin_mode(self) -> core.MarginMode:
        """Cross when a balance backs the position, isolated otherwise."""
        return core.MarginMode.CROSS if self.balance is not None else core.MarginMode.ISOLATED

    @cached_property
    def collateral(self) -> Decimal | None:
        """The coin that backs the position: the balance (cross), the margin, or ``Q/(E·L)``."""
        if self.balance is not None:
            return self.balance
        if self.margin is not None:
            return self.margin
        if self.leverage is not None:
            return self.position.initial_margin_coin(self.leverage)
        return None

    @cached_property
    def price_places(self) -> int:
        """Decimal places for prices and USD shown: at least 2, never fewer than the input
        prices' (an average entry from fills counts its fills' places), at most 8."""
        prices = [f.price for f in self.fill] if self.fill else [self.entry]
        prices.extend(c.price for c in self.close)
        return shown_places(*prices)


#: The maintenance rate of the generic model when --mmr is not given.
DEFAULT_MMR = GENERIC.maintenance_rate


#: A rate that may be negative (a funding rate, a target loss): ``-0.025%`` is ``-0.00025``.
SignedRate = Annotated[Decimal, BeforeValidator(_rate), Field(allow_inf_nan=False)]

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
    rate = _rate(value)
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


class MaintenanceInput(Model):
    """The maintenance-margin rule shared by ``liq-price``, ``ladder``, ``leverage`` and ``pnl``.

    ``mmr`` and ``mm_deduction`` left out mean: the preset's tier, or 0.5% and 0 for the
    generic model.
    """

    mmr: Rate | None = None
    mm_basis: BasisName = BasisName.entry
    mm_deduction: Annotated[Decimal, Field(ge=0, le=MAX_COIN, allow_inf_nan=False)] | None = None
    taker_fee: Rate = Decimal(0)
    tick: Price | None = None

    def spec(self, fee_treatment: core.FeeTreatment | None = None) -> core.MaintenanceSpec:
        """The core's maintenance rule from the flags (generic defaults for what is left out)."""
        return core.MaintenanceSpec(
            rate=self.mmr if self.mmr is not None else DEFAULT_MMR,
            basis=core.Basis(self.mm_basis.value),
            deduction_coin=self.mm_deduction if self.mm_deduction is not None else Decimal(0),
            taker_fee=self.taker_fee,
            fee_treatment=fee_treatment,
        )


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
        return any(v is not None for v in (self.entry_fee, self.exit_fee, self.funding))

    def fee_rate(self, which: str | Decimal | None, exchange: ExchangeName) -> Decimal:
        """A fee rate: the one given, or the venue's (generic: 0.02% maker, 0.05% taker)."""
        if which is None:
            return Decimal(0)
        if isinstance(which, Decimal):
            return which
        from .venues import get

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
        from .venues import get

        venue = get(exchange)
        interval, mode = venue.funding_interval_hours or GENERIC_FUNDING_HOURS, venue.funding_mode
        with localcontext(CORE_CONTEXT):
            if mode == "continuous":
                return self.hours / interval, f"pro rata, continuous ({interval:f}-hour rate)"
            return CORE_CONTEXT.divide_int(self.hours, interval), f"whole {interval:f}-hour intervals in --hours"


class PnlInput(PositionInput, MaintenanceInput, FeeInput):
    """``invfut pnl``: an exit price, or a target to solve it from. The venue's liquidation
    rule (the preset's, or 0.5% on the entry value) tells whether the exit is beyond the
    liquidation price; a batch line may set the rule's fields as ``liq-price`` takes them.
    When ``--close`` closes every contract the answer is the realised PnL alone: no exit is
    needed (one given is echoed, and there is nothing open to price at it)."""

    ALL_CLOSED_ANSWERED: ClassVar[bool] = True

    exit: Price | None = None
    target_roe: SignedRate | None = None
    target_pnl: Annotated[Decimal, Field(allow_inf_nan=False, ge=-MAX_COIN, le=MAX_COIN)] | None = None
    target_usd: Annotated[Decimal, Field(allow_inf_nan=False, ge=-MAX_COIN, le=MAX_COIN)] | None = None

    @model_validator(mode="after")
    def _exit_or_target(self) -> PnlInput:
        given = [n for n in ("exit", "target_roe", "target_pnl", "target_usd") if getattr(self, n) is not None]
        if self.all_closed:
            target = next((n for n in given if n != "exit"), None)
            if target is not None:
                raise conflict(target, f"--close takes all {self.contracts} contracts: no exit is left to solve for")
            return self
        if len(given) != 1:
            option = given[1] if len(given) > 1 else "exit"
            raise conflict(
                option,
                "give one of --exit, --target-roe, --target-pnl, --target-usd"
                + (f" (got {', '.join('--' + g.replace('_', '-') for g in given)})" if given else ""),
            )
        if self.target_roe is not None and self.leverage is None and self.margin is None and self.balance is None:
            raise conflict("target_roe", "--target-roe needs a margin: give --leverage, --margin or --balance")
        return self

    @cached_property
    def price_places(self) -> int:
        return max(super().price_places, places_of(self.exit) if self.exit is not None else 0)


def check_venue_limits(
    exchange: ExchangeName,
    coin: str,
    contracts: Decimal,
    entry: Decimal,
    contract_size: Decimal,
    leverage: Decimal | None,
) -> None:
    """A venue's lot size and maximum leverage (for the tier of this size at entry); the
    generic model takes any count and leverage."""
    from .venues import get

    venue = get(exchange)
    contract = venue.contract(coin)
    assert contract is not None  # the input model checked the coin
    with localcontext(CORE_CONTEXT):
        if contract.whole_lots and contracts % contract.lot != 0:
            lower = (contracts // contract.lot) * contract.lot
            sizes = " or ".join(str(n) for n in (lower, lower + contract.lot) if n > 0)
            raise conflict(
                "contracts",
                f"{venue.label(coin)} trades in lots of {contract.lot} contracts: "
                f"{contracts} is not a whole number of lots; the nearest valid sizes are {sizes}",
            )
    found = None if leverage is None else contract.leverage_limit(contracts, entry, contract_size)
    if found is not None and leverage is not None and leverage > found[0]:
        limit, where = found
        raise conflict("leverage", f"{leverage}x is above {venue.label(coin)}'s maximum of {limit}x{where}")


def venue_leverage_limit(
    exchange: ExchangeName, coin: str, contracts: Decimal, entry: Decimal, contract_size: Decimal
) -> tuple[Decimal, str] | None:
    """A venue's maximum leverage for ``contracts`` entered at ``entry``, and where it comes
    from (:meth:`Contract.leverage_limit <invfut_cli.venues.Contract.leverage_limit>`);
    ``None`` where the venue sets no maximum (the generic model)."""
    from .venues import get

    contract = get(exchange).contract(coin)
    return None if contract is None else contract.leverage_limit(contracts, entry, contract_size)


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
        if err["type"] not in ("conflict", "rate_syntax") and isinstance(given, (str, int, Decimal)):
            message += f" (got {given!s})" if str(given) else " (got an empty value)"
        out.append((option, message))
    return out
