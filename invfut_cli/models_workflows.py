"""Input models of the workflow commands ``size``, ``hedge`` and ``stress``.

Field names are the option names, as in :mod:`invfut_cli.models`, so a validation error
names the option at fault.
"""

from __future__ import annotations

from decimal import Decimal, localcontext
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, model_validator
from pydantic_core import PydanticCustomError

from . import core
from .choices import ExchangeName
from .core.numbers import CORE_CONTEXT, HUNDRED
from .models import (
    GENERIC_TAKER_FEE,
    MAX_ROWS,
    Coin,
    CoinName,
    ContractSize,
    Leverage,
    MaintenanceInput,
    Model,
    Price,
    Rate,
    Side,
    conflict,
    preset_defaults,
    split_percent,
)
from .models_margin import GridInput, LiqInput
from .rounding import shown_places

if TYPE_CHECKING:
    from .core.stress import Shock

#: ``size``: the leverage when --leverage is not given (Bybit's default for a new position).
DEFAULT_SIZE_LEVERAGE = Decimal(10)


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


def _lot(exchange: ExchangeName, coin: str) -> Decimal:
    """The venue's lot size (1 for the generic model)."""
    from .venues import get

    contract = get(exchange).contract(coin)
    assert contract is not None  # the input model checked the coin
    return contract.lot


# --- size --------------------------------------------------------------------------------


class SizeInput(MaintenanceInput):
    """``invfut size``: a balance, a risk, an entry and a stop.

    ``risk`` is coin (``0.01``) or a percentage of the balance (``2%``, kept as
    ``risk_pct``). ``taker_fee`` left out means the preset's, or 0.05% (generic); the
    liquidation price uses exactly the flags ``liq-price`` would get.
    """

    side: Side | None = None
    entry: Price
    stop: Price
    balance: Coin
    risk: Coin | None = None
    risk_pct: Decimal | None = None
    leverage: Leverage = DEFAULT_SIZE_LEVERAGE
    cross: bool = False
    contract_size: ContractSize = Decimal(1)
    coin: CoinName = "BTC"
    exchange: ExchangeName = ExchangeName.generic
    taker_fee: Rate | None = None
    fee_source: Literal["taker-fee", "preset", "generic"] = "generic"

    @model_validator(mode="before")
    @classmethod
    def _parse(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = dict(data)
        raw = data.get("risk")
        if isinstance(raw, str):
            number, percent = number_or_percent(raw, "risk")
            if percent:
                del data["risk"]
                data["risk_pct"] = number
            else:
                data["risk"] = number
        given_fee = data.get("taker_fee") is not None
        data = preset_defaults(cls, data)
        data["fee_source"] = (
            "taker-fee" if given_fee else ("preset" if data.get("taker_fee") is not None else "generic")
        )
        return data

    @model_validator(mode="after")
    def _risk_within_balance(self) -> SizeInput:
        if self.risk is None and self.risk_pct is None:
            raise conflict("risk", "give --risk: coin (0.01) or a percentage of the balance (2%)")
        if self.risk_pct is not None and not Decimal(0) < self.risk_pct <= HUNDRED:
            raise conflict("risk", f"--risk {self.risk_pct}% must be more than 0% and at most 100% of the balance")
        if self.risk_coin > self.balance:
            raise conflict(
                "risk", f"the risk ({self.risk_coin}) is more than the balance ({self.balance}): you cannot lose more"
            )
        return self

    @property
    def risk_coin(self) -> Decimal:
        """The risk in coin: ``--risk`` coin, or the percentage of the balance."""
        if self.risk is not None:
            return self.risk
        assert self.risk_pct is not None
        with localcontext(CORE_CONTEXT):
            return self.balance * self.risk_pct / HUNDRED

    @property
    def fee_rate(self) -> Decimal:
        """The taker rate for the fees to open and close: given, the preset's, or 0.05%."""
        return self.taker_fee if self.taker_fee is not None else GENERIC_TAKER_FEE

    @property
    def lot(self) -> Decimal:
        """The venue's lot size (1 for the generic model)."""
        return _lot(self.exchange, self.coin)

    @property
    def price_places(self) -> int:
        """Decimal places for prices and USD shown: 2 to 8, never fewer than the inputs'."""
        return shown_places(self.entry, self.stop)

    def liq_input(self, side: core.Side, contracts: Decimal) -> LiqInput:
        """The sized position as ``liq-price`` would be given it: isolated at ``--leverage``,
        or the balance with ``--cross``; the taker fee only as given or from the preset."""
        values = {
            "side": side.value,
            "entry": self.entry,
            "contracts": contracts,
            "contract_size": self.contract_size,
            "leverage": self.leverage,
            "balance": self.balance if self.cross else None,
            "mmr": self.mmr,
            "mm_basis": self.mm_basis,
            "mm_deduction": self.mm_deduction,
            "taker_fee": self.taker_fee,
            "tick": self.tick,
            "coin": self.coin,
            "exchange": self.exchange,
        }
        return LiqInput.model_validate({k: v for k, v in values.items() if v is not None})


# --- hedge -------------------------------------------------------------------------------


def _ratio_range(value: Decimal) -> Decimal:
    if value <= 0:
        raise PydanticCustomError("ratio_range", "the hedge ratio must be more than 0")
    if value > 1:
        raise PydanticCustomError(
            "ratio_range",
            "the hedge ratio is at most 100% (1): more would short more than the holding, a net short and not a hedge",
        )
    return value


Ratio = Annotated[FractionOrPercent, AfterValidator(_ratio_range)]
#: The largest funding rate taken, either way, per interval.
MAX_FUNDING = Decimal("0.1")


def _funding_range(value: Decimal) -> Decimal:
    if abs(value) > MAX_FUNDING:
        raise PydanticCustomError("funding_range", "a funding rate is at most 10% (0.1) per interval, either way")
    return value


FundingRate = Annotated[FractionOrPercent, AfterValidator(_funding_range)]


class HedgeInput(Model):
    """``invfut hedge``: coin held, the price, the share to hedge, funding, and a price grid."""

    holding: Coin
    price: Price
    ratio: Ratio = Decimal(1)
    contract_size: ContractSize = Decimal(1)
    funding: FundingRate | None = None
    funding_interval: Annotated[Decimal, Field(gt=0, le=24 * 7, allow_inf_nan=False)] | None = None
    coin: CoinName = "BTC"
    exchange: ExchangeName = ExchangeName.generic
    grid: GridInput = GridInput()

    @model_validator(mode="before")
    @classmethod
    def _from_preset(cls, data: Any) -> Any:
        return preset_defaults(cls, data)

    @model_validator(mode="after")
    def _rows_within_limit(self) -> HedgeInput:
        # GridInput bounds the rows of --step and --steps; a --pct grid is 2·pct/pct_step + 1 rows.
        grid = self.grid
        if grid.from_ is None and grid.pct_step is not None:
            with localcontext(CORE_CONTEXT):
                rows = 2 * (grid.pct if grid.pct is not None else Decimal(50)) / grid.pct_step + 1
            if rows > MAX_ROWS:
                raise conflict(
                    "pct_step", f"--pct-step {grid.pct_step:f} makes {int(rows)} rows; at most {MAX_ROWS} are allowed"
                )
        return self

    @property
    def lot(self) -> Decimal:
        """The venue's lot size (1 for the generic model)."""
        return _lot(self.exchange, self.coin)

    @property
    def interval(self) -> tuple[Decimal, str | None]:
        """Funding interval in hours, and a note when it is assumed: ``--funding-interval``,
        else the preset's, else 8 h; a venue that charges continuously quotes an 8-hour rate."""
        if self.funding_interval is not None:
            return self.funding_interval, None
        from .venues import get

        return get(self.exchange).funding_hours()

    @property
    def tick(self) -> Decimal | None:
        """The venue's tick, that the grid's prices are rounded to (none for the generic model)."""
        from .venues import get

        contract = get(self.exchange).contract(self.coin)
        return None if contract is None else contract.tick

    @property
    def price_places(self) -> int:
        """Decimal places for prices and USD shown: the grid's, and never fewer than the price's."""
        return max(shown_places(self.price), self.grid.places(self.price, self.tick))


# --- stress ------------------------------------------------------------------------------


def _move_range(value: Decimal) -> Decimal:
    if value <= -1:
        raise PydanticCustomError(
            "move_range",
            "a fall of 100% or more takes the price to zero or below (a move is a fraction or a percentage: -30%)",
        )
    if value > 100:
        raise PydanticCustomError("move_range", "a rise is at most 10000% (100)")
    return value


def _scenario_name(value: str) -> str:
    from .scenarios import ALL, load

    name = value.strip().lower()
    known = load()
    if name != ALL and name not in known:
        raise PydanticCustomError(
            "unknown_scenario",
            "unknown scenario; the scenarios are {names}, or all",
            {"names": ", ".join(known)},
        )
    return name


Move = Annotated[FractionOrPercent, AfterValidator(_move_range)]
ScenarioName = Annotated[str, AfterValidator(_scenario_name)]


class StressInput(LiqInput):
    """``invfut stress``: a position (as ``liq-price``), and the shocks to apply from ``mark``
    (default the entry): ``move`` fractions or percentages, and ``scenario`` names; with
    neither, every scenario."""

    move: tuple[Move, ...] = ()
    scenario: tuple[ScenarioName, ...] = ()

    @property
    def reference_price(self) -> Decimal:
        """The price the shocks start from: ``--mark``, else the entry."""
        return self.mark if self.mark is not None else self.entry

    @property
    def scenario_names(self) -> list[str]:
        """The scenarios asked for, in order, each once; all of them for ``all`` or no shock."""
        from .scenarios import ALL, load

        names: list[str] = []
        for name in self.scenario or ((ALL,) if not self.move else ()):
            for one in load() if name == ALL else [name]:
                if one not in names:
                    names.append(one)
        return names

    @property
    def shocks(self) -> list[Shock]:
        """The moves first, then the scenarios, as core shocks (fractions)."""
        from .core.stress import Shock
        from .scenarios import load

        scenarios = load()
        with localcontext(CORE_CONTEXT):
            moves = [Shock(None, move) for move in self.move]
            named = [Shock(name, scenarios[name].move_pct / HUNDRED) for name in self.scenario_names]
        return moves + named

    @property
    def price_places(self) -> int:
        return super().price_places if self.mark is None else max(super().price_places, shown_places(self.mark))

    def rule(self) -> tuple[core.MaintenanceSpec, core.TierTable | None, str | None]:
        """The maintenance rule behind the liquidation price, as ``venues.rules.rule_for`` picks
        it: the base spec, the tier table to pick a tier from at each price (or ``None``),
        and the reason there is no liquidation price to test (Deribit)."""
        from .venues.rules import rule_for

        rule = rule_for(self)  # type: ignore[arg-type]
        return rule.spec, rule.table, rule.no_liquidation_reason
