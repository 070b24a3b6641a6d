"""``invfut hedge``: the short that keeps the dollar value of coin held."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any

import typer
from pydantic import AfterValidator, Field, model_validator
from pydantic_core import PydanticCustomError

from invfut_cli.app import build, command, emit, explained, option_values, with_grid
from invfut_cli.choices import ExchangeName
from invfut_cli.core.hedge import Funding, Hedge, HedgeRow, hedge_funding, hedge_ladder, hedge_size
from invfut_cli.core.numbers import HUNDRED
from invfut_cli.documents.parts import Doc, grid_keys, inputs, venue
from invfut_cli.given import echoed as as_given
from invfut_cli.inputs.fields import Coin, CoinName, ContractSize, FractionOrPercent, Model, Price
from invfut_cli.inputs.grid import GridInput
from invfut_cli.inputs.position import lot_of, preset_defaults
from invfut_cli.options import (
    FEES,
    GRID,
    CoinOpt,
    ContractSizeOpt,
    ExchangeOpt,
    ExplainOpt,
    FormatOpt,
    FromOpt,
    JsonOpt,
    PctStepOpt,
    StepOpt,
    StepsOpt,
    ToOpt,
)
from invfut_cli.registry import layout_on_use
from invfut_cli.rounding import coin, pct, shown_places, usd
from invfut_cli.selection import FieldsOpt
from invfut_cli.venues import get

#: ``LAYOUT``: this command's layout, read from :mod:`.layout` on first use.
__getattr__ = layout_on_use(__name__)


#: The help panel of what is hedged.
HEDGE = "Hedge"


#: The row columns kept to the last when the table is too wide (after the first).
ESSENTIAL_COLUMNS = ("hedged_usd",)


# --- What it is given ---------------------------------------------------------------------


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

    @property
    def lot(self) -> Decimal:
        """The venue's lot size (1 for the generic model)."""
        return lot_of(self.exchange, self.coin)

    @property
    def interval(self) -> tuple[Decimal, str | None]:
        """Funding interval in hours, and a note when it is assumed: ``--funding-interval``,
        else the preset's, else 8 h; a venue that charges continuously quotes an 8-hour rate."""
        if self.funding_interval is not None:
            return self.funding_interval, None
        return get(self.exchange).funding_hours()

    @property
    def tick(self) -> Decimal | None:
        """The venue's tick, that the grid's prices are rounded to (none for the generic model)."""
        contract = get(self.exchange).contract(self.coin)
        return None if contract is None else contract.tick

    @property
    def price_places(self) -> int:
        """Decimal places for prices and USD shown: the grid's, and never fewer than the price's."""
        return max(shown_places(self.price), self.grid.places(self.price, self.tick))


# --- What it works out --------------------------------------------------------------------


@dataclass(frozen=True)
class HedgeOutcome:
    """The hedge, its rows (an iterator), funding (with ``--funding``) and notes."""

    hedge: Hedge
    rows: Iterator[HedgeRow]
    funding: Funding | None
    notes: tuple[str, ...]


def work_out(args: HedgeInput) -> HedgeOutcome:
    """``hedge``: the short for ``--ratio`` of the holding, the value ladder, and funding."""
    result = hedge_size(args.holding, args.price, args.contract_size, ratio=args.ratio, lot=args.lot)
    rows = hedge_ladder(args.holding, result.size_usd, args.price, args.grid.prices(args.price, args.tick))
    funding = None
    notes: tuple[str, ...] = ()
    if args.funding is not None:
        hours, note = args.interval
        funding = hedge_funding(result, args.funding, hours)
        notes = () if note is None else (note,)
    return HedgeOutcome(result, rows, funding, notes)


# --- What it writes -----------------------------------------------------------------------


def _direction(rate: Decimal) -> str:
    """What the short does with funding at ``rate``: receives (positive), pays, or neither."""
    if rate > 0:
        return "receives"
    if rate < 0:
        return "pays"
    return "neither"


def document(args: HedgeInput, outcome: HedgeOutcome) -> Doc:
    """The ``hedge`` document: the short to open, funding, and the value rows (an iterator)."""
    hedge, funding = outcome.hedge, outcome.funding
    places = args.price_places
    price_shown = usd(args.price, places)

    def rows() -> Iterator[Doc]:
        for row in outcome.rows:
            price = usd(row.price_usd, places)
            yield {
                "price": price,
                "pnl": coin(row.short_pnl_coin),
                "hedged_coin": coin(row.hedged_coin),
                "hedged_usd": usd(row.hedged_usd, places),
                "unhedged_usd": usd(row.unhedged_usd, places),
                "mark": "now" if price == price_shown else None,
            }

    echoed = inputs(args)  # type: ignore[arg-type]
    if echoed.get("funding_interval") is None and funding is not None:
        echoed["funding_interval"] = funding.interval_hours
    return {
        "command": "hedge",
        "coin": args.coin,
        **venue(args),  # type: ignore[arg-type]
        "inputs": echoed,
        "side": "short",
        "holding": as_given(hedge.holding_coin, 8),
        "average_entry": price_shown,
        "holding_usd": usd(hedge.holding_usd, places),
        "ratio_target_pct": as_given(HUNDRED * hedge.target_ratio, 2),
        "contracts": hedge.contracts,
        "lot": hedge.lot,
        "size_usd": usd(hedge.size_usd, places),
        "target_size_usd": usd(hedge.target_size_usd, places),
        "hedge_ratio_pct": pct(HUNDRED * hedge.ratio),
        "unhedged_coin": coin(hedge.unhedged_coin),
        "funding_rate": None if funding is None else funding.rate,
        "funding_interval_hours": None if funding is None else funding.interval_hours,
        "funding_direction": None if funding is None else _direction(funding.rate),
        "funding_received_per_interval": None if funding is None else coin(funding.per_interval_coin),
        "funding_received_per_day": None if funding is None else coin(funding.per_day_coin),
        "funding_received_per_day_usd": None if funding is None else usd(funding.per_day_usd, places),
        "funding_received_per_year_pct": None if funding is None else pct(funding.per_year_pct),
        "warnings": list(outcome.notes),
        **grid_keys(args.grid, args.price, args.tick, places),
        "rows": rows(),
    }


def run(**values: Any) -> dict[str, Any]:
    """The ``hedge`` document for these option values."""
    args = build(HedgeInput, **with_grid(values))
    return document(args, work_out(args))


@command("hedge", example="invfut hedge --holding 1 --price 8000 --funding 0.01%")
def hedge_command(
    holding: Annotated[
        Decimal, typer.Option("--holding", help="Coin held, to hedge.", metavar="COIN", rich_help_panel=HEDGE)
    ],
    price: Annotated[
        Decimal,
        typer.Option(
            "--price", help="Price now (the short's entry), USD per coin.", metavar="PRICE", rich_help_panel=HEDGE
        ),
    ],
    ratio: Annotated[
        str | None,
        typer.Option(
            "--ratio",
            help="Share of the holding to hedge: 0.5 or 50%. Default 100%.",
            metavar="RATIO",
            rich_help_panel=HEDGE,
        ),
    ] = None,
    funding: Annotated[
        str | None,
        typer.Option(
            "--funding",
            help="Funding rate per interval (0.01%). Positive: longs pay shorts, so the hedge receives.",
            metavar="RATE",
            rich_help_panel=FEES,
        ),
    ] = None,
    funding_interval: Annotated[
        Decimal | None,
        typer.Option(
            "--funding-interval",
            help="Hours between fundings. Default: the preset's, or 8.",
            metavar="HOURS",
            rich_help_panel=FEES,
        ),
    ] = None,
    contract_size: ContractSizeOpt = None,
    from_: FromOpt = None,
    to: ToOpt = None,
    step: StepOpt = None,
    steps: StepsOpt = None,
    pct: Annotated[
        str | None,
        typer.Option(
            "--pct",
            help="Range around the price, percent either side: 20 or 20% (default: 50).",
            metavar="PCT",
            rich_help_panel=GRID,
        ),
    ] = None,
    pct_step: PctStepOpt = None,
    exchange: ExchangeOpt = None,
    coin: CoinOpt = None,
    explain: ExplainOpt = False,
    as_json: JsonOpt = False,
    fmt: FormatOpt = None,
    fields: FieldsOpt = None,
) -> None:
    """Contracts to short for a dollar hedge of coin held (rounded down to the lot), the holder's USD
    value across prices with and without it, and the funding the hedge receives or pays."""
    emit(explained(run(**option_values(locals())), explain), as_json, fmt)


def explain_lines(doc: dict[str, Any]) -> list[str]:
    """The ``--explain`` steps of a ``hedge`` document."""
    from invfut_cli.explain import n

    c = doc["coin"]
    lines = [
        f"holding H = {n(doc['holding'])} {c} at P = {n(doc['average_entry'])}: worth H·P = {n(doc['holding_usd'])} USD",
        f"short Q = ratio·H·P = {n(doc['target_size_usd'])} USD: {n(doc['contracts'])} contracts (rounded down to the lot of {n(doc['lot'])}), Q = {n(doc['size_usd'])}",
        "holder's USD value at a price P': (H + Q·(1/P' − 1/P))·P' = H·P' − Q·(P' − P)/P, flat at H·P for a full hedge",
    ]
    if doc.get("funding_rate") is not None:
        lines.append(
            f"funding per interval = rate·Q/P = {n(doc['funding_received_per_interval'])} {c} received "
            f"({doc['funding_direction']}; a positive rate: shorts receive)"
        )
    return lines
