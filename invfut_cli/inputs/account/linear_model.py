"""The option model of ``invfut account`` for a linear or quanto account: the price of the
underlying, the contract (its type, currencies, default size), the maintenance rule (as
``liq-price --contract-type`` picks it: the flags, else the venue's preset, else 0.5% on the
value at the price), the prospective orders, the alert limit and the shocks. pydantic is
imported, and the model defined, on first use."""

from __future__ import annotations

from typing import Any


def linear_input_model() -> Any:
    """``LinearAccountInput``, defined on first use."""
    global _INPUT
    if _INPUT is None:
        _INPUT = _define()
    return _INPUT


_INPUT: Any = None


def _define() -> Any:
    from decimal import Decimal
    from typing import Annotated, Literal

    from pydantic import AfterValidator, Field, model_validator

    from invfut_cli import core
    from invfut_cli.choices import BasisName, ExchangeName
    from invfut_cli.given import read_tick
    from invfut_cli.inputs.account.model import parse_addition, shocks
    from invfut_cli.inputs.fields import MAX_COIN, CoinName, ContractSize, Model, Multiplier, Percent, Price, Rate
    from invfut_cli.scenarios import Move, ScenarioName

    class LinearAccountInput(Model):
        """``invfut account``'s options for a linear or quanto account."""

        price: Price
        coin: CoinName = "BTC"
        contract_type: Literal["linear", "quanto"]
        quote: CoinName | None = None
        multiplier: Multiplier | None = None
        contract_size: ContractSize | None = None
        settle_price: Price | None = None
        exchange: ExchangeName = ExchangeName.generic
        mmr: Rate | None = None
        mm_basis: BasisName | None = None
        mm_deduction: Annotated[Decimal, Field(ge=0, le=MAX_COIN, allow_inf_nan=False)] | None = None
        taker_fee: Rate = Decimal(0)
        tick: Annotated[Price, AfterValidator(read_tick)] | None = None
        add: tuple[Any, ...] = ()
        fail_within: Percent | None = None
        move: tuple[Move, ...] = ()
        scenario: tuple[ScenarioName, ...] = ()

        @model_validator(mode="before")
        @classmethod
        def _prepare(cls, data: Any) -> Any:
            if not isinstance(data, dict):
                return data
            data = dict(data)
            for key in ("coin", "quote"):
                if isinstance(data.get(key), str):
                    data[key] = data[key].strip().upper()
            exchange = getattr(data.get("exchange"), "value", data.get("exchange"))
            if exchange not in (None, "generic"):
                from invfut_cli.contract_types import presets

                found = presets.find(exchange, str(data.get("contract_type")), data.get("coin"))
                if found is not None:
                    for key, value in presets.defaults(found[1]).items():
                        if key != "coin":
                            data.setdefault(key, value)
            if data.get("add"):
                data["add"] = tuple(parse_addition(text) for text in data["add"])
            return data

        @property
        def currency(self) -> str:
            """The margin currency: the quote (USDT) for linear, the settlement coin for quanto."""
            return (self.quote or "USDT") if self.contract_type == "linear" else self.coin

        @property
        def currency_usd(self) -> Decimal | None:
            """The margin currency's USD price: 1 for a linear quote, ``--settle-price`` for a
            quanto (``None`` without it: the USD figures are then null)."""
            return Decimal(1) if self.contract_type == "linear" else self.settle_price

        @property
        def size(self) -> Decimal | None:
            """The positions' size where they give none: coin per contract (linear, 1 without
            a preset) or the multiplier (quanto, ``None`` without one)."""
            if self.contract_type == "linear":
                return self.contract_size if self.contract_size is not None else Decimal(1)
            return self.multiplier

        @property
        def preset(self) -> dict[str, Any] | None:
            """The venue's preset used (``describe``d for the document), or ``None`` for generic."""
            if self.exchange is ExchangeName.generic:
                return None
            from invfut_cli.contract_types import presets

            found = presets.find(self.exchange.value, self.contract_type, self.coin)
            return None if found is None else presets.describe(found[1])

        def spec(self) -> core.MaintenanceSpec:
            """The maintenance rule, as ``liq-price --contract-type`` takes it: 0.5% on the value
            at the mark unless the flags or the preset say otherwise."""
            from invfut_cli.inputs.margin import flag_spec

            return flag_spec(self, self.mm_basis or BasisName.mark)

        @property
        def shocks(self) -> list[Any]:
            """The moves, then the scenarios asked for (each once; ``all`` for every one)."""
            return shocks(self.move, self.scenario)

    return LinearAccountInput
