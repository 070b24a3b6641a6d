"""Venues as objects: the generic model and each exchange preset are :class:`Venue` values.

What differs between venues is data here, or a method of :class:`Venue` or :class:`Contract`:
contract size, tick and lots, fees, funding, fee treatment per margin mode, maintenance tiers
or size-dependent rates, BitMEX's per-fill and per-lot satoshi rounding. No computation asks
which venue it is.

This module is light (the standard library only): :data:`GENERIC` is built here, in code; the
presets come from ``presets.toml`` (:mod:`invfut_cli.venues.presets`), read and validated on
the first lookup of a preset, so the generic path never reads it. Every command looks its
venue up, so :class:`Venue` and :class:`Contract` are NamedTuples: a dataclass costs a few
times more to define at start-up.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal, localcontext
from typing import TYPE_CHECKING, Any, NamedTuple

from invfut_cli import core
from invfut_cli.choices import ExchangeName
from invfut_cli.core.numbers import CORE_CONTEXT

if TYPE_CHECKING:
    from invfut_cli.core.tiers import TierTable

    from .presets import SizeMargins

__all__ = ["GENERIC", "Contract", "Venue", "find", "get"]


class Contract(NamedTuple):
    """One inverse contract of a venue: its size, tick, lot and maximum leverage, its
    maintenance tiers (or size-dependent rates), and how the venue rounds its PnL."""

    #: The venue's symbol (``XBTUSD``); ``None`` for the generic model's contract.
    symbol: str | None
    contract_size_usd: Decimal
    #: The price step; ``None`` where prices are not rounded to a tick.
    tick: Decimal | None
    #: Contracts per lot: sizes asked in USD or coin round down to whole lots.
    lot: Decimal
    #: Whether a size given in contracts must be whole lots (the venue refuses others).
    whole_lots: bool = True
    #: The contract's own maximum leverage; ``None`` for no maximum of the venue's.
    max_leverage: Decimal | None = None
    tier_unit: str = "coin"
    deduction_unit: str = "coin"
    #: The maintenance tiers, as the core takes them; ``None`` without tiers.
    tier_table: TierTable | None = None
    #: Rates that grow with the position size (Deribit), instead of tiers.
    size_margins: SizeMargins | None = None
    #: The venue's own PnL rounding (BitMEX: each lot's value to the satoshi).
    pnl_rounding: core.LotValueRounding | None = None

    def table(self) -> TierTable | None:
        """The core tier table, or ``None`` (no tiers, or size-dependent margins)."""
        return self.tier_table

    def leverage_limit(self, contracts: Decimal, entry: Decimal, contract_size: Decimal) -> tuple[Decimal, str] | None:
        """The maximum leverage for ``contracts`` entered at ``entry``, and where it comes from
        (`` at this size (tier 2)``; empty for the contract's own maximum): the tier of the
        position's size at entry, or ``1/initial rate`` (rounded down to 0.01) where the rates
        grow with the size (Deribit); ``None`` where the contract has no maximum."""
        if self.max_leverage is None:
            return None
        with localcontext(CORE_CONTEXT):
            position = core.Position(core.Side.LONG, contracts, contract_size, entry)
            limit, where = self.max_leverage, ""
            table = self.tier_table
            if table is not None:
                index = table.index_for(table.notional(position, entry))
                limit, where = min(limit, table.tiers[index].max_leverage), f" at this size (tier {index + 1})"
            elif self.size_margins is not None:
                margins = core.size_dependent_margins(
                    position,
                    entry,
                    initial_base=self.size_margins.initial_base,
                    maintenance_base=self.size_margins.maintenance_base,
                    slope_per_coin=self.size_margins.slope_per_coin,
                )
                limit = min(limit, (1 / margins.initial_rate).quantize(Decimal("0.01"), rounding="ROUND_FLOOR"))
                shown = core.quantize(margins.initial_rate * 100, Decimal("0.000001")).normalize()
                where = f" at this size (initial margin {shown:f}%)"
        return limit, where


class Venue(NamedTuple):
    """A venue: its rules, fees, funding, sources and contracts by coin."""

    #: The ``--exchange`` name.
    key: str
    name: str
    #: How a size on this venue is named in messages (``BitMEX`` + the contract's symbol).
    title: str
    product: str
    #: The formula family: ``entry``, ``mark``, or ``none`` (no liquidation price of its own).
    family: str
    #: How the taker fee enters the prices, isolated and cross: ``none``,
    #: ``close-at-bankruptcy``, ``added-to-rate``; ``None``: as the maintenance basis implies.
    fee_treatment_isolated: str | None
    fee_treatment_cross: str | None
    maker_fee: Decimal
    taker_fee: Decimal
    #: Hours between funding payments (``0`` where funding accrues continuously).
    funding_interval_hours: Decimal
    #: ``interval`` (paid at fixed times) or ``continuous`` (the rate quoted per 8 hours).
    funding_mode: str
    coins: Mapping[str, Contract]
    #: Whether the venue's numbers stand in for the flags left out and the output describes
    #: it (a preset); the generic model is the flags alone, with their own defaults.
    preset: bool = True
    #: The contract of a coin the venue does not list (the generic model takes any coin);
    #: ``None``: only the coins listed.
    any_coin: Contract | None = None
    #: Whether an average entry of fills rounds each fill's value to the satoshi (BitMEX).
    per_fill_satoshi: bool = False
    #: The maintenance rate where no tier and no ``--mmr`` gives one.
    maintenance_rate: Decimal = Decimal("0.005")
    as_of: date | None = None
    sources: Sequence[str] = ()
    notes: Sequence[str] = ()
    #: Why the venue has no liquidation price of a position (Deribit), if it has none.
    no_liquidation_reason: str | None = None

    def contract(self, coin: str) -> Contract | None:
        """The contract of ``coin``, or ``None`` where the venue has none."""
        return self.coins.get(coin, self.any_coin) if isinstance(coin, str) else self.any_coin

    def no_contract(self, coin: str) -> str:
        """The message for a coin without a contract here."""
        return f"{self.name} has no {coin} inverse contract here; it has {', '.join(self.coins)}"

    def label(self, coin: str) -> str:
        """The venue and contract, as messages name them (``BitMEX XBTUSD``, ``the generic model``)."""
        contract = self.contract(coin)
        symbol = None if contract is None else contract.symbol
        return self.title if symbol is None else f"{self.title} {symbol}"

    def defaults(self, coin: str, model: Any) -> dict[str, Any]:
        """What a preset fills in of the fields of the input ``model`` (a pydantic model class)
        left out, for ``coin``'s contract: the coin, its contract size, tick, taker fee and
        maintenance basis (none of them for the generic model, whose flags keep their own
        defaults: it reads no fields)."""
        contract = self.contract(coin)
        if not self.preset or contract is None:
            return {}
        fields = model.model_fields
        out: dict[str, Any] = {"coin": coin, "contract_size": contract.contract_size_usd}
        if "tick" in fields:
            out["tick"] = contract.tick
        if "taker_fee" in fields:
            out["taker_fee"] = self.taker_fee
        if "mm_basis" in fields and self.family != "none":
            out["mm_basis"] = self.family
        return out

    def fee_treatment(self, mode: core.MarginMode) -> core.FeeTreatment | None:
        """How the taker fee enters the prices in ``mode`` (``None``: as the basis implies)."""
        value = self.fee_treatment_cross if mode is core.MarginMode.CROSS else self.fee_treatment_isolated
        return None if value is None else core.FeeTreatment(value)

    def fee_rate(self, which: str) -> Decimal:
        """The ``maker`` or ``taker`` rate."""
        return self.maker_fee if which == "maker" else self.taker_fee

    def funding_hours(self) -> tuple[Decimal, str | None]:
        """The hours a ``--funding`` rate is quoted for, and a note where that is assumed: the
        funding interval, or 8 hours where funding accrues continuously."""
        if self.funding_interval_hours > 0:
            return self.funding_interval_hours, None
        return Decimal(8), (
            f"{self.name} charges funding continuously: --funding is taken as an 8-hour rate "
            "(give --funding-interval to change it)"
        )

    def pnl_rounding(self, coin: str) -> core.LotValueRounding | None:
        """The venue's own PnL rounding for ``coin``'s contract, or ``None`` where it has none."""
        contract = self.contract(coin)
        return None if contract is None else contract.pnl_rounding

    def describe(self, coin: str) -> dict[str, Any] | None:
        """What the output says of the preset used: venue, contract, as-of date, sources
        (``None`` for the generic model, which assumes nothing of a venue's)."""
        contract = self.contract(coin)
        if not self.preset or contract is None or self.as_of is None:
            return None
        return {
            "name": self.name,
            "symbol": contract.symbol,
            "family": self.family,
            "as_of": self.as_of.isoformat(),
            "sources": self.sources,
        }


#: The plain textbook model: any coin, one contract of 1 USD (or ``--contract-size``) in lots
#: of 1 (any count taken), no tick and no maximum leverage; 0.02% maker and 0.05% taker (for
#: ``--entry-fee maker`` and the like); funding every 8 hours; 0.5% maintenance on the entry
#: value, no tiers; the fee treatment the maintenance basis implies.
GENERIC = Venue(
    key=ExchangeName.generic.value,
    name="generic",
    title="the generic model",
    product="the textbook inverse contract",
    family="entry",
    fee_treatment_isolated=None,
    fee_treatment_cross=None,
    maker_fee=Decimal("0.0002"),
    taker_fee=Decimal("0.0005"),
    funding_interval_hours=Decimal(8),
    funding_mode="interval",
    coins={},
    preset=False,
    any_coin=Contract(symbol=None, contract_size_usd=Decimal(1), tick=None, lot=Decimal(1), whole_lots=False),
)

#: The venues built in code (the rest are the presets of ``presets.toml``).
BUILT_IN: dict[str, Venue] = {GENERIC.key: GENERIC}


def find(name: Any) -> Venue | None:
    """The venue named ``name`` (an ``--exchange`` value), or ``None`` if there is no such
    venue (the input model then names the bad value). The presets are read on first use."""
    venue = BUILT_IN.get(name) if isinstance(name, str) else None
    if venue is not None or not isinstance(name, str) or name not in set(ExchangeName):
        return venue
    from .presets import load

    return load().presets.get(ExchangeName(name))


def get(name: str) -> Venue:
    """The venue named ``name``; an unknown name raises ``KeyError``."""
    venue = find(name)
    if venue is None:
        raise KeyError(name)
    return venue
