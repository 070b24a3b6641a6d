"""Pydantic models for what a command is given: validated, with the bad field named.

Field names are the option names (``contract_size`` is ``--contract-size``), so a
validation error maps to the option at fault without a table of aliases.
"""

from __future__ import annotations

import enum
import re
from decimal import Decimal, InvalidOperation, localcontext
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from . import core
from .choices import ExchangeName
from .core.numbers import CORE_CONTEXT, HUNDRED, places_of

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


def _rate(value: Any) -> Any:
    """``"0.5%"`` is ``Decimal("0.005")``; ``"0.005"`` stays as written."""
    if isinstance(value, str):
        text = value.strip()
        if text.endswith("%"):
            number = _decimal_text(text[:-1])
            with localcontext(CORE_CONTEXT):
                return number / HUNDRED
        return _decimal_text(text)
    return value


def _decimal_text(text: str) -> Decimal:
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        raise PydanticCustomError(
            "rate_syntax",
            f"{text!r} is not a number or a percentage such as 0.005 or 0.5%".replace("{", "{{").replace("}", "}}"),
        ) from None
    if not number.is_finite():
        raise PydanticCustomError("finite_number", "Input should be a finite number")
    return number


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


def conflict(option: str, message: str) -> PydanticCustomError:
    """An error about a combination of options, pinned on ``option``."""
    return PydanticCustomError("conflict", message, {"option": option})


class Model(BaseModel):
    """Frozen, no unknown fields; every model of a command's input derives from it."""

    # Schemas are built on first use, so start-up pays only for the models a command uses.
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


CoinName = Annotated[str, Field(min_length=1, max_length=12, pattern=r"^[A-Za-z0-9]+$")]


def preset_defaults(model: type[BaseModel], data: Any) -> Any:
    """Fill what the user did not give from the ``--exchange`` preset; given values win."""
    if not isinstance(data, dict):
        return data
    data = dict(data)
    if isinstance(data.get("coin"), str):
        data["coin"] = data["coin"].strip().upper()
    exchange = data.get("exchange", ExchangeName.generic)
    if exchange not in set(ExchangeName) or exchange == ExchangeName.generic:
        return data
    from .presets import get

    preset = get(exchange)
    coin = data.setdefault("coin", "BTC")
    contract = preset.coins.get(coin)
    if contract is None:
        raise conflict("coin", f"{preset.name} has no {coin} inverse contract here; it has {', '.join(preset.coins)}")
    fields = model.model_fields
    data.setdefault("contract_size", contract.contract_size_usd)
    if "tick" in fields:
        data.setdefault("tick", contract.tick)
    if "taker_fee" in fields:
        data.setdefault("taker_fee", preset.taker_fee)
    if "mm_basis" in fields and preset.family != "none":
        data.setdefault("mm_basis", preset.family)
    return data


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
    bitmex = data.get("exchange") == ExchangeName.bitmex and side in ("long", "short")
    with localcontext(CORE_CONTEXT):
        entry = core.average_entry(
            [core.Fill(f.contracts, f.price) for f in fills],
            Decimal(size),
            per_fill_satoshi=core.Side(side) if bitmex else None,
        )
        contracts = sum((f.contracts for f in fills), Decimal(0))
    return {**data, "fill": fills, "entry": entry, "contracts": contracts}


class PositionInput(Model):
    """Side, entry, size and the margin behind a position (all commands).

    ``fill`` (several ``CONTRACTS@PRICE``) stands in for ``entry`` and ``contracts``;
    ``close`` realises part of the position, and the rest is what the command works on.
    """

    side: Side
    entry: Price
    contracts: Count
    fill: tuple[FillSpec, ...] = ()
    close: FillSpec | None = None
    contract_size: ContractSize = Decimal(1)
    leverage: Leverage | None = None
    margin: Coin | None = None
    balance: Coin | None = None
    coin: CoinName = "BTC"
    exchange: ExchangeName = ExchangeName.generic

    @model_validator(mode="before")
    @classmethod
    def _from_preset(cls, data: Any) -> Any:
        data = _from_fills(preset_defaults(cls, data))
        if isinstance(data, dict) and data.get("close") is not None:
            data = {**data, "close": parse_fill(data["close"], "close")}
        return data

    @model_validator(mode="after")
    def _one_collateral(self) -> PositionInput:
        if self.close is not None and self.close.contracts >= self.contracts:
            raise conflict(
                "close", f"--close {self.close.contracts} leaves nothing of {self.contracts} contracts: close fewer"
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

    @property
    def closed(self) -> core.PartialClose | None:
        """What ``--close`` realised, and what remains."""
        if self.close is None:
            return None
        return core.close_part(self.opened, self.close.contracts, self.close.price)

    @property
    def position(self) -> core.Position:
        """The open position the command works on: what remains after ``--close``."""
        closed = self.closed
        return self.opened if closed is None else closed.remaining

    @property
    def margin_mode(self) -> core.MarginMode:
        """Cross when a balance backs the position, isolated otherwise."""
        return core.MarginMode.CROSS if self.balance is not None else core.MarginMode.ISOLATED

    @property
    def collateral(self) -> Decimal | None:
        """The coin that backs the position: the balance (cross), the margin, or ``Q/(E·L)``."""
        if self.balance is not None:
            return self.balance
        if self.margin is not None:
            return self.margin
        if self.leverage is not None:
            return self.position.initial_margin_coin(self.leverage)
        return None

    @property
    def price_places(self) -> int:
        """Decimal places for prices and USD shown: at least 2, never fewer than the input
        prices' (an average entry from fills counts its fills' places), at most 8."""
        prices = [f.price for f in self.fill] if self.fill else [self.entry]
        if self.close is not None:
            prices.append(self.close.price)
        return min(8, max(2, *(places_of(p) for p in prices)))


#: The maintenance rate of the generic model when --mmr is not given.
DEFAULT_MMR = Decimal("0.005")


#: A rate that may be negative (a funding rate, a target loss): ``-0.025%`` is ``-0.00025``.
SignedRate = Annotated[Decimal, BeforeValidator(_rate), Field(allow_inf_nan=False)]

#: Maker and taker rates of the generic model, for ``--entry-fee maker`` and the like.
GENERIC_MAKER_FEE = Decimal("0.0002")
GENERIC_TAKER_FEE = Decimal("0.0005")
#: Funding interval of the generic model, hours.
GENERIC_FUNDING_HOURS = Decimal(8)


#: Fee rates taken: a rebate down to −1%, a fee up to 10%.
FEE_RANGE = (Decimal("-0.01"), Decimal("0.1"))


def _fee(value: Any) -> Any:
    """``maker``, ``taker``, or a rate (``0.05%``, ``-0.00025``) within :data:`FEE_RANGE`."""
    if isinstance(value, str) and value.strip().lower() in ("maker", "taker"):
        return value.strip().lower()
    rate = _rate(value)
    if not isinstance(rate, Decimal):
        raise PydanticCustomError("fee", "expected maker, taker or a rate such as 0.05% or -0.025%")
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
        return any(v is not None for v in (self.entry_fee, self.exit_fee, self.funding))

    def fee_rate(self, which: str | Decimal | None, exchange: ExchangeName) -> Decimal:
        """A fee rate: the one given, or the venue's (generic: 0.02% maker, 0.05% taker)."""
        if which is None:
            return Decimal(0)
        if isinstance(which, Decimal):
            return which
        if exchange == ExchangeName.generic:
            return GENERIC_MAKER_FEE if which == "maker" else GENERIC_TAKER_FEE
        from .presets import get

        preset = get(exchange)
        return preset.maker_fee if which == "maker" else preset.taker_fee

    def funding_periods(self, exchange: ExchangeName) -> Decimal:
        """``--periods``, or ``--hours`` over the venue's funding interval (8 h generic; a
        continuous venue quotes an 8-hour rate); 1 period when neither is given."""
        if self.periods is not None:
            return self.periods
        if self.hours is None:
            return Decimal(1)
        interval = GENERIC_FUNDING_HOURS
        if exchange != ExchangeName.generic:
            from .presets import get

            interval = get(exchange).funding_interval_hours or GENERIC_FUNDING_HOURS
        with localcontext(CORE_CONTEXT):
            return self.hours / interval


class PnlInput(PositionInput, FeeInput):
    """``invfut pnl``: an exit price, or a target to solve it from."""

    exit: Price | None = None
    target_roe: SignedRate | None = None
    target_pnl: Annotated[Decimal, Field(allow_inf_nan=False, ge=-MAX_COIN, le=MAX_COIN)] | None = None
    target_usd: Annotated[Decimal, Field(allow_inf_nan=False, ge=-MAX_COIN, le=MAX_COIN)] | None = None

    @model_validator(mode="after")
    def _exit_or_target(self) -> PnlInput:
        given = [n for n in ("exit", "target_roe", "target_pnl", "target_usd") if getattr(self, n) is not None]
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

    @property
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
    """A venue's lot size and maximum leverage (for the tier of this size at entry)."""
    if exchange == ExchangeName.generic:
        return
    from .presets import get

    preset = get(exchange)
    contract = preset.coins[coin]
    with localcontext(CORE_CONTEXT):
        if contracts % contract.lot != 0:
            lower = (contracts // contract.lot) * contract.lot
            sizes = " or ".join(str(n) for n in (lower, lower + contract.lot) if n > 0)
            raise conflict(
                "contracts",
                f"{preset.name} {contract.symbol} trades in lots of {contract.lot} contracts: "
                f"{contracts} is not a whole number of lots; the nearest valid sizes are {sizes}",
            )
        if leverage is None:
            return
        position = core.Position(core.Side.LONG, contracts, contract_size, entry)
        limit, where = contract.max_leverage, ""
        table = contract.table()
        if table is not None:
            index = table.index_for(table.notional(position, entry))
            limit, where = min(limit, table.tiers[index].max_leverage), f" at this size (tier {index + 1})"
        elif contract.size_margins is not None:
            margins = core.size_dependent_margins(
                position,
                entry,
                initial_base=contract.size_margins.initial_base,
                maintenance_base=contract.size_margins.maintenance_base,
                slope_per_coin=contract.size_margins.slope_per_coin,
            )
            limit = min(limit, (1 / margins.initial_rate).quantize(Decimal("0.01"), rounding="ROUND_FLOOR"))
            where = f" at this size (initial margin {margins.initial_rate * 100}%)"
        if leverage > limit:
            raise conflict(
                "leverage", f"{leverage}x is above {preset.name} {contract.symbol}'s maximum of {limit}x{where}"
            )


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
        option = None if field is None else "--" + str(field).rstrip("_").replace("_", "-")
        message = _DECIMAL_REPR.sub(r"\1", err["msg"].removeprefix("Value error, ")).replace("1E-8", "0.00000001")
        given = err.get("input")
        if err["type"] not in ("conflict", "rate_syntax") and isinstance(given, (str, int, Decimal)):
            message += f" (got {given!s})" if str(given) else " (got an empty value)"
        out.append((option, message))
    return out


#: The models of ``liq-price``, ``leverage`` and ``ladder`` live in :mod:`.models_margin`;
#: they are created on first use, so ``pnl`` does not pay for them at start-up.
_MARGIN_MODELS = frozenset({"MaintenanceInput", "LiqInput", "GridInput", "LeverageInput", "LadderInput"})


def __getattr__(name: str) -> Any:
    if name in _MARGIN_MODELS:
        from . import models_margin

        return getattr(models_margin, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
