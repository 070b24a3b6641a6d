"""A position as a command is given it: side, entry and size (or fills, or a size in USD
or coin), the closes applied to it, and the margin behind it; the venue's preset fills in
what was not given, and its lot and leverage limits are checked."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation, localcontext
from functools import cached_property
from typing import Any, ClassVar

from pydantic import BaseModel, ValidationError, model_validator

from invfut_cli import core
from invfut_cli.choices import ExchangeName
from invfut_cli.core.numbers import CORE_CONTEXT, places_of
from invfut_cli.rounding import shown_places
from invfut_cli.venues import GENERIC, find, get

from .fields import (
    Coin,
    CoinName,
    ContractSize,
    Count,
    Leverage,
    Model,
    Price,
    Side,
    conflict,
    side_name,
)


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
    for key, value in venue.defaults(coin, model).items():
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
        if "size_usd" not in data and "size_coin" not in data:
            return data  # neither given (most lines): nothing to drop
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
    side = side_name(data.get("side"))
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
    #: A command's own price fields whose places the shown prices keep too (``pnl``'s exit).
    PRICE_FIELDS: ClassVar[tuple[str, ...]] = ()

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
        if self.close:  # (no close takes nothing: a position holds more than 0 contracts)
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
        if not self.close:
            return ()
        return core.close_in_order(self.opened, [core.Fill(c.contracts, c.price) for c in self.close])

    @cached_property  # a model is frozen: worked out once, though a command asks often
    def position(self) -> core.Position:
        """The open position the command works on: what remains after ``--close``."""
        return self.closed[-1].remaining if self.close else self.opened

    @property
    def all_closed(self) -> bool:
        """Whether the closes took every contract (nothing is left open)."""
        return bool(self.close) and not self.position.contracts

    @cached_property
    def realised_pnl_coin(self) -> Decimal:
        """``Σ s·n_k·S·(1/E − 1/P_k)`` over the closes: what they realised (0 without one)."""
        if not self.close:
            return Decimal(0)
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
        prices' (an average entry from fills counts its fills' places, and a command's
        :attr:`PRICE_FIELDS` count too), at most 8."""
        prices = [f.price for f in self.fill] if self.fill else [self.entry]
        prices.extend(c.price for c in self.close)
        for name in self.PRICE_FIELDS:
            price = getattr(self, name)
            if price is not None:
                prices.append(price)
        return shown_places(*prices)


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
    venue = get(exchange)
    contract = venue.contract(coin)
    assert contract is not None  # the input model checked the coin
    if contract.whole_lots:  # the generic model's are not: no context to enter (a batch line's hot path)
        with localcontext(CORE_CONTEXT):
            if contracts % contract.lot != 0:
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
    contract = get(exchange).contract(coin)
    return None if contract is None else contract.leverage_limit(contracts, entry, contract_size)


def lot_of(exchange: ExchangeName, coin: str) -> Decimal:
    """The venue's lot size (1 for the generic model)."""
    contract = get(exchange).contract(coin)
    assert contract is not None  # the input model checked the coin
    return contract.lot
