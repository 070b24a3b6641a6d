"""Pydantic models for what a command is given: validated, with the bad field named.

Field names are the option names (``contract_size`` is ``--contract-size``), so a
validation error maps to the option at fault without a table of aliases.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
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
from .core.numbers import CORE_CONTEXT, HUNDRED, places_of, quantize

#: Largest price, contract count, leverage and row count taken, so that nothing overflows
#: and no ladder runs for hours by mistake.
MAX_PRICE = 10**12
MAX_CONTRACTS = 10**15
MAX_LEVERAGE = 1000
MAX_COIN = 10**15
MAX_CONTRACT_SIZE = 10**6
MAX_ROWS = 10_000_000


class SideName(enum.StrEnum):
    """Side as typed on the command line; ``buy``/``sell`` are ``long``/``short``."""

    long = "long"
    short = "short"
    buy = "buy"
    sell = "sell"


class ExchangeName(enum.StrEnum):
    """``--exchange``: ``generic`` is the plain textbook model, the rest are presets."""

    generic = "generic"
    bitmex = "bitmex"
    bybit = "bybit"
    binance = "binance"
    okx = "okx"
    kraken = "kraken"
    deribit = "deribit"


class BasisName(enum.StrEnum):
    """``--mm-basis``: the value the maintenance rate is charged on."""

    entry = "entry"
    mark = "mark"


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
            "rate_syntax", "{text!r} is not a number or a percentage such as 0.005 or 0.5%", {"text": text}
        ) from None
    if not number.is_finite():
        raise PydanticCustomError("finite_number", "Input should be a finite number")
    return number


Price = Annotated[Decimal, Field(gt=0, le=MAX_PRICE, allow_inf_nan=False)]
Count = Annotated[Decimal, Field(gt=0, le=MAX_CONTRACTS, allow_inf_nan=False)]
Coin = Annotated[Decimal, Field(gt=0, le=MAX_COIN, allow_inf_nan=False)]
Leverage = Annotated[Decimal, Field(gt=0, le=MAX_LEVERAGE, allow_inf_nan=False)]
Side = Annotated[Literal["long", "short"], BeforeValidator(_side)]
Rate = Annotated[Decimal, BeforeValidator(_rate), Field(ge=0, lt=1)]


def conflict(option: str, message: str) -> PydanticCustomError:
    """An error about a combination of options, pinned on ``option``."""
    return PydanticCustomError("conflict", message, {"option": option})


class Model(BaseModel):
    """Frozen, no unknown fields; every model of a command's input derives from it."""

    model_config = ConfigDict(frozen=True, extra="forbid")


CoinName = Annotated[str, Field(min_length=1, max_length=12, pattern=r"^[A-Za-z0-9]+$")]


def _preset_defaults(model: type[BaseModel], data: Any) -> Any:
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


class PositionInput(Model):
    """Side, entry, size and the margin behind a position (all commands)."""

    side: Side
    entry: Price
    contracts: Count
    contract_size: Annotated[Decimal, Field(gt=0, le=MAX_CONTRACT_SIZE, allow_inf_nan=False)] = Decimal(1)
    leverage: Leverage | None = None
    margin: Coin | None = None
    balance: Coin | None = None
    coin: CoinName = "BTC"
    exchange: ExchangeName = ExchangeName.generic

    @model_validator(mode="before")
    @classmethod
    def _from_preset(cls, data: Any) -> Any:
        return _preset_defaults(cls, data)

    @model_validator(mode="after")
    def _one_collateral(self) -> PositionInput:
        if self.margin is not None and self.leverage is not None:
            raise conflict("margin", "give --margin or --leverage, not both: each sets the isolated margin")
        if self.margin is not None and self.balance is not None:
            raise conflict("balance", "give --margin (isolated) or --balance (cross), not both")
        check_venue_limits(self.exchange, self.coin, self.contracts, self.entry, self.contract_size, self.leverage)
        return self

    @property
    def position(self) -> core.Position:
        """The core position."""
        return core.Position(core.Side(self.side), self.contracts, self.contract_size, self.entry)

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
        """Decimal places for prices and USD shown: at least 2, never fewer than the entry's."""
        return max(2, places_of(self.entry))


#: The maintenance rate of the generic model when --mmr is not given.
DEFAULT_MMR = Decimal("0.005")


class MaintenanceInput(Model):
    """The maintenance-margin rule shared by ``liq-price`` and ``ladder``.

    ``mmr`` and ``mm_deduction`` left out mean: the preset's tier, or 0.5% and 0 for the
    generic model.
    """

    mmr: Rate | None = None
    mm_basis: BasisName = BasisName.entry
    mm_deduction: Annotated[Decimal, Field(ge=0, le=MAX_COIN, allow_inf_nan=False)] | None = None
    taker_fee: Rate = Decimal(0)
    tick: Annotated[Decimal, Field(gt=0, le=MAX_PRICE, allow_inf_nan=False)] | None = None

    def spec(self, fee_treatment: core.FeeTreatment | None = None) -> core.MaintenanceSpec:
        """The core's maintenance rule from the flags (generic defaults for what is left out)."""
        return core.MaintenanceSpec(
            rate=self.mmr if self.mmr is not None else DEFAULT_MMR,
            basis=core.Basis(self.mm_basis.value),
            deduction_coin=self.mm_deduction if self.mm_deduction is not None else Decimal(0),
            taker_fee=self.taker_fee,
            fee_treatment=fee_treatment,
        )


class PnlInput(PositionInput):
    """``invfut pnl``."""

    exit: Price

    @property
    def price_places(self) -> int:
        return max(super().price_places, places_of(self.exit))


class LiqInput(PositionInput, MaintenanceInput):
    """``invfut liq-price``."""

    @model_validator(mode="after")
    def _needs_collateral(self) -> LiqInput:
        if self.collateral is None:
            raise conflict("leverage", "give --leverage or --margin (isolated), or --balance (cross)")
        return self


class GridInput(Model):
    """A price range: ``--from/--to`` with ``--step`` or ``--steps``, or ``--pct`` with ``--pct-step``."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    from_: Price | None = Field(default=None, alias="from")
    to: Price | None = None
    step: Price | None = None
    steps: Annotated[int, Field(ge=1, le=MAX_ROWS)] | None = None
    pct: Annotated[Decimal, Field(gt=0, lt=100, allow_inf_nan=False)] | None = None
    pct_step: Annotated[Decimal, Field(gt=0, lt=100, allow_inf_nan=False)] | None = None

    @model_validator(mode="after")
    def _one_grid(self) -> GridInput:
        ranged = self.from_ is not None or self.to is not None
        if ranged and (self.pct is not None or self.pct_step is not None):
            raise conflict("pct", "give --from/--to or --pct/--pct-step, not both")
        if ranged:
            if self.from_ is None or self.to is None:
                raise conflict("from" if self.from_ is None else "to", "--from and --to go together")
            if self.from_ >= self.to:
                raise conflict("to", f"--to ({self.to}) must be above --from ({self.from_})")
            if (self.step is None) == (self.steps is None):
                raise conflict("step", "with --from/--to give one of --step (a price step) or --steps (a count)")
            if self.step is not None:
                with localcontext(CORE_CONTEXT):
                    rows = (self.to - self.from_) / self.step
                if rows > MAX_ROWS:
                    raise conflict(
                        "step", f"--step {self.step} makes {int(rows) + 1} rows; at most {MAX_ROWS} are allowed"
                    )
        elif self.step is not None or self.steps is not None:
            raise conflict("step" if self.step is not None else "steps", "--step and --steps need --from and --to")
        elif self.pct_step is not None and self.pct is not None and self.pct_step > self.pct:
            raise conflict("pct_step", f"--pct-step ({self.pct_step}) is larger than --pct ({self.pct})")
        return self

    def places(self, entry: Decimal) -> int:
        """Decimal places that write every price of the grid exactly (2 to 8)."""
        if self.from_ is not None and self.to is not None:
            if self.step is not None:
                needed = max(places_of(self.from_), places_of(self.to), places_of(self.step.normalize()))
            else:
                with localcontext(CORE_CONTEXT):
                    width = (self.to - self.from_) / (self.steps or 1)
                needed = max(places_of(self.from_), places_of(self.to))
                while needed < 8 and quantize(width, Decimal(1).scaleb(-needed)) != width:
                    needed += 1
        else:
            pct_step = self.pct_step if self.pct_step is not None else Decimal(10)
            needed = places_of(entry.normalize()) + places_of(pct_step.normalize()) + 2
        return min(8, max(2, needed))

    def prices(self, entry: Decimal) -> Iterator[Decimal]:
        """The grid's prices, each written to :meth:`places` decimals (nearest)."""
        step = Decimal(1).scaleb(-self.places(entry))
        if self.from_ is not None and self.to is not None:
            if self.step is not None:
                raw = core.grid_by_step(self.from_, self.to, self.step)
            else:
                raw = core.grid_by_count(self.from_, self.to, self.steps or 1)
        else:
            pct = self.pct if self.pct is not None else Decimal(50)
            pct_step = self.pct_step if self.pct_step is not None else min(Decimal(10), pct)
            raw = core.grid_around(entry, pct, pct_step)
        last = None
        for price in raw:
            shown = quantize(price, step)
            if shown != last and shown > 0:
                yield shown
            last = shown


class LeverageInput(Model):
    """``invfut leverage``: two of contracts, margin (or balance) and leverage."""

    side: Side = "long"
    entry: Price
    contract_size: Annotated[Decimal, Field(gt=0, le=MAX_CONTRACT_SIZE, allow_inf_nan=False)] = Decimal(1)
    contracts: Count | None = None
    margin: Coin | None = None
    balance: Coin | None = None
    leverage: Leverage | None = None
    coin: CoinName = "BTC"
    exchange: ExchangeName = ExchangeName.generic
    grid: GridInput = GridInput()

    @model_validator(mode="before")
    @classmethod
    def _from_preset(cls, data: Any) -> Any:
        return _preset_defaults(cls, data)

    @property
    def lot(self) -> Decimal:
        """The venue's lot size (1 for the generic model)."""
        if self.exchange == ExchangeName.generic:
            return Decimal(1)
        from .presets import get

        return get(self.exchange).coins[self.coin].lot

    @model_validator(mode="after")
    def _two_of_three(self) -> LeverageInput:
        if self.margin is not None and self.balance is not None:
            raise conflict("balance", "give --margin (isolated) or --balance (cross), not both")
        collateral = self.margin if self.margin is not None else self.balance
        given = [
            n
            for n, v in (
                ("--contracts", self.contracts),
                ("--margin/--balance", collateral),
                ("--leverage", self.leverage),
            )
            if v is not None
        ]
        if len(given) != 2:
            option = "leverage" if self.leverage is None else "contracts"
            raise conflict(
                option,
                f"give exactly two of --contracts, --margin (or --balance) and --leverage; got {len(given)}"
                + (f" ({', '.join(given)})" if given else ""),
            )
        if self.contracts is not None:
            check_venue_limits(self.exchange, self.coin, self.contracts, self.entry, self.contract_size, self.leverage)
        return self


class LadderInput(PositionInput, MaintenanceInput):
    """``invfut ladder``: a position and a price grid."""

    grid: GridInput = GridInput()


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
        message = err["msg"].removeprefix("Value error, ")
        given = err.get("input")
        if err["type"] != "conflict" and isinstance(given, (str, int, Decimal)):
            message += f" (got {given!s})" if str(given) else " (got an empty value)"
        out.append((option, message))
    return out
