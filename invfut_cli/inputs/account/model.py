"""The option model of ``invfut account``: the mark price, the rule (as ``liq-price``), the
prospective orders (``--add SIDE:CONTRACTS@PRICE``), the alert limit, the shocks and the
USD-delta target. pydantic is imported, and the model defined, on first use."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any


@dataclass(frozen=True)
class Addition:
    """``--add SIDE:CONTRACTS@PRICE``: a prospective cross position."""

    side: str
    contracts: Decimal
    price: Decimal


def parse_addition(text: Any) -> Addition:
    """One ``--add``: ``SIDE:CONTRACTS@PRICE`` (or, in ``batch``, a table with ``side``)."""
    from invfut_cli.inputs.fields import conflict
    from invfut_cli.inputs.position import FillSpec, parse_fill

    if isinstance(text, Addition):
        return text
    if isinstance(text, dict):
        side, rest = str(text.get("side", "")), {k: v for k, v in text.items() if k != "side"}
        fill = parse_fill(rest, "add")
    else:
        side, colon, rest_text = str(text).partition(":")
        if not colon:
            raise conflict("add", f"{text!r} is not SIDE:CONTRACTS@PRICE, such as short:10000@60000")
        fill = parse_fill(rest_text, "add")
    side = {"buy": "long", "sell": "short"}.get(side.strip().lower(), side.strip().lower())
    if side not in ("long", "short"):
        raise conflict("add", f"{text!r}: the side is long or short (buy or sell), as in short:10000@60000")
    assert isinstance(fill, FillSpec)
    return Addition(side, fill.contracts, fill.price)


def shocks(move: tuple[Decimal, ...], scenario: tuple[str, ...]) -> list[Any]:
    """An account's shocks: the moves, then the scenarios asked for (each once; ``all`` for
    every one), as core shocks (fractions)."""
    from decimal import localcontext

    from invfut_cli.core.numbers import CORE_CONTEXT, HUNDRED
    from invfut_cli.core.stress import Shock
    from invfut_cli.scenarios import load, names_asked

    scenarios = load()
    names = names_asked(scenario, moved=True)  # an account's shocks: none unless asked
    with localcontext(CORE_CONTEXT):
        return [Shock(None, m) for m in move] + [Shock(n, scenarios[n].move_pct / HUNDRED) for n in names]


def input_model() -> Any:
    """``AccountInput``, defined on first use."""
    global _INPUT
    if _INPUT is None:
        _INPUT = _define_input()
    return _INPUT


_INPUT: Any = None


def _define_input() -> Any:
    from pydantic import Field, model_validator
    from pydantic_core import PydanticCustomError

    from invfut_cli.choices import ExchangeName
    from invfut_cli.inputs.fields import MAX_COIN, CoinName, ContractSize, Percent, Price, conflict
    from invfut_cli.inputs.margin import MaintenanceInput
    from invfut_cli.inputs.position import check_venue_limits, preset_defaults
    from invfut_cli.scenarios import Move, ScenarioName

    class AccountInput(MaintenanceInput):
        """``invfut account``'s options: the mark price, the rule (as ``liq-price``), the
        prospective orders, the alert limit, the shocks and the USD-delta target."""

        price: Price
        coin: CoinName = "BTC"
        exchange: ExchangeName = ExchangeName.generic
        contract_size: ContractSize = Decimal(1)
        add: tuple[Any, ...] = ()
        fail_within: Percent | None = None
        move: tuple[Move, ...] = ()
        scenario: tuple[ScenarioName, ...] = ()
        usd_delta: Annotated[Decimal, Field(ge=-MAX_COIN, le=MAX_COIN, allow_inf_nan=False)] | None = None

        @model_validator(mode="before")
        @classmethod
        def _prepare(cls, data: Any) -> Any:
            data = preset_defaults(cls, data)
            if isinstance(data, dict) and data.get("add"):
                data = {**data, "add": tuple(parse_addition(text) for text in data["add"])}
            return data

        @model_validator(mode="after")
        def _lots(self) -> AccountInput:
            for added in self.add:
                try:
                    check_venue_limits(self.exchange, self.coin, added.contracts, added.price, self.contract_size, None)
                except PydanticCustomError as exc:  # a venue's lot: named on --add
                    raise conflict("add", f"{added.side}:{added.contracts}@{added.price}: {exc.message()}") from None
            return self

        @property
        def shocks(self) -> list[Any]:
            """The moves, then the scenarios asked for (each once; ``all`` for every one)."""
            return shocks(self.move, self.scenario)

    return AccountInput
