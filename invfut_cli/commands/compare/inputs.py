"""The option model of ``invfut compare``: the position once (its size in USD, in coin, or in
each venue's own contracts; its margin as a leverage, a margin or a cross balance) and the
venues. pydantic is imported, and the model defined, on first use."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

#: The options that set the size: one of them is given.
SIZE_OPTIONS = ("size_usd", "size_coin", "contracts")
#: The options that set the margin: one of them is given.
MARGIN_OPTIONS = ("leverage", "margin", "balance")


def input_model() -> Any:
    """``CompareInput``, defined on first use."""
    global _INPUT
    if _INPUT is None:
        _INPUT = _define_input()
    return _INPUT


_INPUT: Any = None


def _venues(value: Any) -> Any:
    """``--exchange bybit,binance`` (or a list, in ``batch``): the venues, each once, in order."""
    from invfut_cli.choices import ExchangeName
    from invfut_cli.inputs.fields import conflict

    if value is None:
        return ()
    parts = value if isinstance(value, list | tuple) else [value]
    names: list[ExchangeName] = []
    for part in parts:
        for word in str(part.value if isinstance(part, ExchangeName) else part).split(","):
            name = word.strip().lower()
            if not name:
                continue
            if name not in set(ExchangeName):
                choices = ", ".join(e.value for e in ExchangeName)
                raise conflict("exchange", f"{name!r} is not a venue: choose from {choices}, separated by commas")
            if ExchangeName(name) not in names:
                names.append(ExchangeName(name))
    if not names:
        raise conflict("exchange", "name at least one venue, such as bybit,binance,okx")
    return tuple(names)


def _define_input() -> Any:
    from pydantic import BeforeValidator, model_validator

    from invfut_cli.choices import ExchangeName
    from invfut_cli.inputs.fields import Coin, CoinName, Count, Leverage, Model, Price, Side, conflict
    from invfut_cli.inputs.position import size_amount

    def _size(option: str) -> Any:
        return BeforeValidator(lambda value: None if value is None else size_amount(value, option))

    class CompareInput(Model):
        """``invfut compare``'s options: the position once (its size in USD, in coin, or in
        each venue's own contracts; its margin as a leverage, a margin or a cross balance) and
        the venues (default: every preset with a contract of the coin)."""

        side: Side
        entry: Price
        size_usd: Annotated[Decimal | None, _size("size_usd")] = None
        size_coin: Annotated[Decimal | None, _size("size_coin")] = None
        contracts: Count | None = None
        leverage: Leverage | None = None
        margin: Coin | None = None
        balance: Coin | None = None
        coin: CoinName = "BTC"
        venues: Annotated[tuple[ExchangeName, ...], BeforeValidator(_venues)] = ()

        @model_validator(mode="before")
        @classmethod
        def _upper_coin(cls, data: Any) -> Any:
            if isinstance(data, dict) and isinstance(data.get("coin"), str):
                data = {**data, "coin": data["coin"].strip().upper()}
            return data

        @model_validator(mode="after")
        def _one_of_each(self) -> CompareInput:
            sizes = [n for n in SIZE_OPTIONS if getattr(self, n) is not None]
            if len(sizes) != 1:
                raise conflict(
                    sizes[1] if sizes else "size_usd",
                    "give one of --size-usd, --size-coin or --contracts (each venue's own contracts)",
                )
            margins = [n for n in MARGIN_OPTIONS if getattr(self, n) is not None]
            if len(margins) != 1:
                raise conflict(
                    margins[1] if margins else "leverage",
                    "give one of --leverage or --margin (isolated), or --balance (cross)",
                )
            from invfut_cli.venues import get

            for venue in self.venues:
                if get(venue).contract(self.coin) is None:
                    raise conflict("exchange", get(venue).no_contract(self.coin))
            return self

        @property
        def chosen(self) -> tuple[ExchangeName, ...]:
            """The venues named, or every preset with a contract of the coin."""
            if self.venues:
                return self.venues
            from invfut_cli.venues.presets import load

            return tuple(name for name, preset in load().presets.items() if self.coin in preset.coins)

        def position_values(self, venue: ExchangeName) -> dict[str, Any]:
            """The option values ``liq-price`` is given for ``venue``."""
            keys = ("side", "entry", *SIZE_OPTIONS, *MARGIN_OPTIONS, "coin")
            return {**{k: getattr(self, k) for k in keys}, "exchange": venue.value}

    return CompareInput
