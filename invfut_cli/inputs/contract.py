"""``--contract-type`` and the options of linear and quanto contracts (DOMAIN.md §15): the
typer option types, and the input a linear or quanto position is validated into.

An inverse position (the default) goes the way it always has: these options only choose
the other path, and a linear or quanto option given to an inverse contract is refused.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, Field, model_validator

from invfut_cli import core
from invfut_cli.choices import BasisName, ExchangeName
from invfut_cli.core import contracts as contract_math
from invfut_cli.core.contracts import Contract, ContractKind
from invfut_cli.given import read_tick
from invfut_cli.rounding import shown_places

from .contract_options import (  # noqa: F401 - the option types, for the input below and its users
    CONTRACT,
    CONTRACT_KEYS,
    INVERSE_ONLY,
    ContractTypeName,
    VersusName,
    split,
)
from .fields import (
    MAX_COIN,
    MAX_MULTIPLIER,
    MIN_AMOUNT,
    CoinName,
    Count,
    Leverage,
    Model,
    Percent,
    Price,
    Rate,
    Side,
    conflict,
)
from .grid import GridInput


class ContractInput(Model):
    """A linear or quanto position: ``contracts`` of ``contract_size`` coin (linear) or of
    ``multiplier`` settlement coin per USD of price (quanto), its margin and the rule it is
    liquidated by. ``mm_basis`` left out is the mark family (§15's formula)."""

    contract_type: ContractTypeName
    side: Side
    entry: Price
    #: ``None`` only in ``leverage``, which may solve it.
    contracts: Count | None
    contract_size: Annotated[Decimal, Field(allow_inf_nan=False, le=MAX_COIN)] | None = None
    multiplier: Annotated[Decimal, Field(allow_inf_nan=False, le=MAX_MULTIPLIER)] | None = None
    quote: CoinName | None = None
    coin: CoinName = "BTC"
    settle_price: Price | None = None
    exit: Price | None = None
    mark: Price | None = None
    #: ``liq-price``: alert (exit 4) when the mark is within this percent of the liquidation price.
    fail_within: Percent | None = None
    leverage: Leverage | None = None
    margin: Annotated[Decimal, Field(ge=MIN_AMOUNT, le=MAX_COIN, allow_inf_nan=False)] | None = None
    balance: Annotated[Decimal, Field(ge=MIN_AMOUNT, le=MAX_COIN, allow_inf_nan=False)] | None = None
    mmr: Rate | None = None
    mm_basis: BasisName | None = None
    mm_deduction: Annotated[Decimal, Field(ge=0, le=MAX_COIN, allow_inf_nan=False)] | None = None
    taker_fee: Rate = Decimal(0)
    #: A tick finer than a satoshi is read to the satoshi, up, with a note (:func:`read_tick`).
    tick: Annotated[Price, AfterValidator(read_tick)] | None = None
    exchange: ExchangeName = ExchangeName.generic
    #: A ladder's grid (``ladder`` only).
    grid: GridInput | None = None

    @model_validator(mode="before")
    @classmethod
    def _inverse_only(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        kind = data.get("contract_type")
        for key in INVERSE_ONLY:
            if data.get(key) not in (None, False, (), []):
                raise conflict(key, f"is for inverse contracts: not taken with --contract-type {kind}")
        data = {k: v for k, v in data.items() if k not in INVERSE_ONLY}
        if isinstance(data.get("coin"), str):
            data["coin"] = data["coin"].strip().upper()
        if isinstance(data.get("quote"), str):
            data["quote"] = data["quote"].strip().upper()
        exchange = getattr(data.get("exchange"), "value", data.get("exchange"))
        if exchange not in (None, "generic") and isinstance(kind, str):
            from invfut_cli.contract_types import presets

            found = presets.find(exchange, kind, data.get("coin"))
            if found is None:
                has = ", ".join(presets.names(exchange)) or "none"
                raise conflict(
                    "exchange", f"{exchange} has no {kind} preset for {data.get('coin') or 'BTC'} (it has: {has})"
                )
            values = presets.defaults(found[1])
            if kind == "quanto":  # --coin may name the underlying (ETH): a quanto settles in its preset's coin
                data["coin"] = values.pop("coin", data.get("coin"))
            for key, value in values.items():
                data.setdefault(key, value)
        return data

    @property
    def preset(self) -> dict[str, Any] | None:
        """The preset used (``describe``d for the document), or ``None`` for generic."""
        if self.exchange is ExchangeName.generic:
            return None
        from invfut_cli.contract_types import presets

        coin = self.coin if self.kind is ContractKind.LINEAR else None
        found = presets.find(self.exchange.value, self.contract_type.value, coin)
        return None if found is None else presets.describe(found[1])

    @model_validator(mode="after")
    def _contract(self) -> ContractInput:
        kind = self.contract_type
        if kind is ContractTypeName.linear:
            if self.multiplier is not None:
                raise conflict("multiplier", "is for quanto contracts (linear ones take --contract-size)")
            if self.settle_price is not None:
                raise conflict("settle_price", "is for quanto contracts (a linear one is margined in --quote)")
            if self.contract_size is not None and self.contract_size <= 0:
                raise conflict(
                    "contract_size", f"a linear contract's size in coin must be above 0 (got {self.contract_size})"
                )
        else:
            if self.multiplier is None:
                raise conflict(
                    "multiplier", "a quanto contract needs one: settlement coin per USD of price, per contract"
                )
            if self.multiplier <= 0:
                raise conflict("multiplier", f"must be above 0 (got {self.multiplier})")
            if self.contract_size is not None:
                raise conflict("contract_size", "is for linear contracts (a quanto's size is its --multiplier)")
            if self.quote is not None:
                raise conflict("quote", "is for linear contracts (a quanto is settled in --coin)")
        given = [n for n in ("leverage", "margin", "balance") if getattr(self, n) is not None]
        if len(given) > 1 and given != ["leverage", "balance"] and self.contracts is not None:
            raise conflict(given[1], f"give one of --leverage, --margin, --balance (got {', '.join(given)})")
        return self

    # --- what it is, in the core's terms ----------------------------------------------------

    @property
    def kind(self) -> ContractKind:
        return ContractKind(self.contract_type.value)

    @property
    def currency(self) -> str:
        """The margin currency: the quote (USDT) for linear, the settlement coin for quanto."""
        return (self.quote or "USDT") if self.kind is ContractKind.LINEAR else self.coin

    @property
    def contract(self) -> Contract:
        """The position as the core's contract object."""
        if self.kind is ContractKind.LINEAR:
            return contract_math.linear(self.contracts, self.contract_size or Decimal(1), self.currency)
        assert self.multiplier is not None
        return contract_math.quanto(self.contracts, self.multiplier, self.coin, self.settle_price or Decimal(1))

    @property
    def usd_known(self) -> bool:
        """USD figures are known: a linear quote counts as 1 USD; a quanto needs ``--settle-price``."""
        return self.kind is ContractKind.LINEAR or self.settle_price is not None

    @property
    def side_enum(self) -> core.Side:
        return core.Side(self.side)

    @property
    def collateral(self) -> Decimal | None:
        """The margin behind the position, in the margin currency: ``--margin``, ``--balance``
        (cross), or the initial margin at ``--leverage``."""
        if self.margin is not None:
            return self.margin
        if self.balance is not None:
            return self.balance
        if self.leverage is not None:
            return self.contract.initial_margin(self.entry, self.leverage)
        return None

    @property
    def margin_mode(self) -> str:
        return "cross" if self.balance is not None else "isolated"

    def spec(self) -> core.MaintenanceSpec:
        """The maintenance rule: 0.5% on the value at the mark unless told otherwise."""
        from invfut_cli.inputs.margin import flag_spec

        return flag_spec(self, self.mm_basis or BasisName.mark)

    @property
    def price_places(self) -> int:
        """Prices are shown to the places given, at least 2, at most 8 (:func:`shown_places`)."""
        return shown_places(*(p for p in (self.entry, self.exit, self.mark) if p is not None))
