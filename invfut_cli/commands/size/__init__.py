"""``invfut size``: sizing a position by the coin it risks at the stop."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal, localcontext
from typing import Annotated, Any, Literal

import typer
from pydantic import model_validator
from pydantic_core import PydanticCustomError

from invfut_cli import core
from invfut_cli.app import ExitCode, build, command, emit, explained, option_values
from invfut_cli.choices import ExchangeName
from invfut_cli.core.numbers import CORE_CONTEXT, HUNDRED
from invfut_cli.core.sizing import RiskSizing, size_by_risk
from invfut_cli.documents.parts import Doc, inputs, liquidation_keys, venue
from invfut_cli.given import echoed as as_given
from invfut_cli.inputs.fees import GENERIC_TAKER_FEE
from invfut_cli.inputs.fields import (
    MAX_CONTRACTS,
    Coin,
    CoinName,
    ContractSize,
    Leverage,
    Price,
    Rate,
    Side,
    conflict,
    number_or_percent,
)
from invfut_cli.inputs.margin import MaintenanceInput
from invfut_cli.inputs.position import check_venue_limits, lot_of, preset_defaults
from invfut_cli.options import (
    FEES,
    MARGIN,
    POSITION,
    BasisOpt,
    CoinOpt,
    ContractSizeOpt,
    DeductionOpt,
    ExchangeOpt,
    ExplainOpt,
    FormatOpt,
    JsonOpt,
    MmrOpt,
    SideName,
    TickOpt,
)
from invfut_cli.registry import layout_on_use
from invfut_cli.rounding import coin, pct, pct_up, shown_places, step_for, usd
from invfut_cli.selection import FieldsOpt
from invfut_cli.venues.rules import Outcome, liquidation_for

#: ``LAYOUT``: this command's layout, read from :mod:`.layout` on first use.
__getattr__ = layout_on_use(__name__)


#: What the table shows first: the size, its margin, the risk and the stop, and where it
#: liquidates; the rest (fees, rounding, the lot, the exact prices) under --explain and in JSON.
SUMMARY_KEYS = (
    "side", "contracts", "size_usd", "leverage", "initial_margin", "risk", "risk_pct",
    "stop_distance_pct", "loss_at_stop", "loss_at_stop_pct", "liquidation_price", "distance_pct",
    "stop_beyond_liquidation",
)  # fmt: skip

#: The help panel of the balance and the risk taken.
RISK = "Risk"


# --- What it is given ---------------------------------------------------------------------


#: ``size``: the leverage when --leverage is not given (Bybit's default for a new position).
DEFAULT_SIZE_LEVERAGE = Decimal(10)


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
        return lot_of(self.exchange, self.coin)

    @property
    def price_places(self) -> int:
        """Decimal places for prices and USD shown: 2 to 8, never fewer than the inputs'."""
        return shown_places(self.entry, self.stop)

    @property
    def margin_mode(self) -> core.MarginMode:
        """Cross with ``--cross`` (the balance backs the position), isolated otherwise."""
        return core.MarginMode.CROSS if self.cross else core.MarginMode.ISOLATED

    def spec(self, fee_treatment: core.FeeTreatment | None = None) -> core.MaintenanceSpec:
        """The maintenance rule ``liq-price`` would apply: the taker fee only as given or
        from the preset (none for the generic model)."""
        return replace(super().spec(fee_treatment), taker_fee=self.taker_fee or Decimal(0))

    def collateral(self, position: core.Position) -> Decimal:
        """What backs the sized position: the balance with ``--cross``, else ``Q/(E·L)``."""
        return self.balance if self.cross else position.initial_margin_coin(self.leverage)


# --- What it works out --------------------------------------------------------------------


@dataclass(frozen=True)
class SizeOutcome:
    """The sized position, its liquidation, and whether the stop is at or beyond it."""

    sizing: RiskSizing
    liquidation: Outcome
    stop_beyond_liquidation: bool


def work_out(args: SizeInput) -> SizeOutcome:
    """``size``: the contracts that risk ``--risk`` at the stop, then the liquidation of that
    position under the venue's (or the flags') rule, and whether the stop is at or beyond it."""
    sizing = size_by_risk(
        args.entry,
        args.stop,
        args.risk_coin,
        args.contract_size,
        balance_coin=args.balance,
        leverage=args.leverage,
        fee_rate=args.fee_rate,
        lot=args.lot,
        side=None if args.side is None else core.Side(args.side),
    )
    if sizing.contracts > MAX_CONTRACTS:
        raise core.DomainError(
            f"this risk at this stop sizes {sizing.contracts} contracts, more than the {MAX_CONTRACTS} taken",
            option="risk",
        )
    # The venue's lot and maximum leverage hold for the sized position as for any other.
    try:
        check_venue_limits(args.exchange, args.coin, sizing.contracts, args.entry, args.contract_size, args.leverage)
    except PydanticCustomError as exc:
        raise core.DomainError(exc.message(), option=(exc.context or {}).get("option")) from None
    position = core.Position(sizing.side, sizing.contracts, args.contract_size, args.entry)
    outcome = liquidation_for(args, position, args.collateral(position))
    beyond = core.is_liquidated(sizing.side, args.stop, core.boundary(outcome.result.liquidation.price_usd))
    return SizeOutcome(sizing, outcome, beyond)


# --- What it writes -----------------------------------------------------------------------


def document(args: SizeInput, outcome: SizeOutcome) -> Doc:
    """The ``size`` document: the sized position, its loss at the stop, and its liquidation."""
    sizing, liquidation = outcome.sizing, outcome.liquidation
    result = liquidation.result
    side = sizing.side
    places = args.price_places
    step = step_for(args.tick, places)
    keys = liquidation_keys(liquidation, side, step)
    echoed = inputs(args)  # type: ignore[arg-type]
    del echoed["fee_source"]
    warnings = list(result.warnings)
    if outcome.stop_beyond_liquidation:
        warnings.insert(
            0,
            f"the stop ({args.stop}) is at or beyond the liquidation price ({keys['liquidation_price']}): the "
            "position would be liquidated before the stop fills, and lose its margin rather than the risk; "
            "lower --leverage, back it with the balance (--cross), or move the stop closer (exit status 3)",
        )
    if sizing.initial_margin_coin > args.balance:
        warnings.append(
            f"the initial margin at {args.leverage}x ({coin(sizing.initial_margin_coin)}) is more than the balance "
            f"({args.balance}): use at least {pct_up(sizing.min_leverage)}x, or risk less"
        )
    return {
        "command": "size",
        "coin": args.coin,
        **venue(args),  # type: ignore[arg-type]
        "inputs": echoed,
        "side": side.value,
        "side_inferred": args.side is None,
        # The risk given is echoed as given; the other one is worked out, and rounded.
        "risk": as_given(args.risk, 8) if args.risk is not None else coin(sizing.risk_coin),
        "risk_pct": as_given(args.risk_pct, 2) if args.risk_pct is not None else pct(sizing.risk_pct),
        "fee_rate": args.fee_rate,
        "fee_rate_source": args.fee_source,
        "stop_distance_pct": pct(sizing.stop_distance_pct),
        "contracts": sizing.contracts,
        "contracts_exact": coin(sizing.contracts_exact),
        "lot": sizing.lot,
        "size_usd": usd(sizing.size_usd, places),
        "value_entry": coin(sizing.value_entry_coin),
        "leverage": pct(args.leverage),
        "initial_margin": coin(sizing.initial_margin_coin),
        "collateral": coin(result.collateral_coin),
        "min_leverage": pct_up(sizing.min_leverage),
        "pnl_at_stop": coin(sizing.pnl_at_stop_coin),
        "fee_open": coin(sizing.open_fee_coin),
        "fee_close": coin(sizing.close_fee_coin),
        "loss_at_stop": coin(sizing.loss_at_stop_coin),
        "loss_at_stop_pct": pct(sizing.loss_at_stop_pct),
        "next_lot_loss": coin(sizing.next_lot_loss_coin),
        **keys,
        "distance_pct": pct(result.distance_pct),
        "stop_beyond_liquidation": outcome.stop_beyond_liquidation,
        "reason": result.liquidation.reason,
        "bankruptcy_reason": result.bankruptcy.reason,
        "warnings": warnings,
    }


def run(**values: Any) -> dict[str, Any]:
    """The ``size`` document for these option values."""
    if values.get("cross") is False:
        values["cross"] = None
    args = build(SizeInput, **values)
    return document(args, work_out(args))


@command("size", example="invfut size --entry 8000 --stop 7600 --balance 1 --risk 2%")
def size_command(
    entry: Annotated[
        Decimal, typer.Option("--entry", help="Entry price, USD per coin.", metavar="PRICE", rich_help_panel=POSITION)
    ],
    stop: Annotated[
        Decimal, typer.Option("--stop", help="Stop price, USD per coin.", metavar="PRICE", rich_help_panel=POSITION)
    ],
    balance: Annotated[
        Decimal, typer.Option("--balance", help="Account balance, coin.", metavar="COIN", rich_help_panel=RISK)
    ],
    risk: Annotated[
        str,
        typer.Option(
            "--risk",
            help="Coin to lose at the stop, fees included: 0.01 (coin) or 2% (of the balance).",
            metavar="AMOUNT",
            rich_help_panel=RISK,
        ),
    ],
    side: Annotated[
        SideName | None,
        typer.Option(
            "--side",
            help="long or short. Left out: from the stop (below the entry: a long; above: a short).",
            metavar="long|short",
            case_sensitive=False,
            rich_help_panel=POSITION,
        ),
    ] = None,
    leverage: Annotated[
        Decimal | None,
        typer.Option(
            "--leverage",
            help="Leverage: isolated margin = value at entry / L. Default 10.",
            metavar="L",
            rich_help_panel=MARGIN,
        ),
    ] = None,
    cross: Annotated[
        bool,
        typer.Option(
            "--cross",
            help="Cross margin: the whole balance backs the position (for the liquidation price).",
            rich_help_panel=MARGIN,
        ),
    ] = False,
    contract_size: ContractSizeOpt = None,
    mmr: MmrOpt = None,
    mm_basis: BasisOpt = None,
    mm_deduction: DeductionOpt = None,
    taker_fee: Annotated[
        str | None,
        typer.Option(
            "--taker-fee",
            help="Taker fee rate, paid to open at the entry and to close at the stop; also used for the liquidation "
            "price as in liq-price. Default: the preset's, or 0.05%.",
            metavar="RATE",
            rich_help_panel=FEES,
        ),
    ] = None,
    tick: TickOpt = None,
    exchange: ExchangeOpt = None,
    coin: CoinOpt = None,
    explain: ExplainOpt = False,
    as_json: JsonOpt = False,
    fmt: FormatOpt = None,
    fields: FieldsOpt = None,
) -> None:
    """Contracts that lose --risk at the stop (fees included, rounded down to the lot), the margin they
    need, and the liquidation price. Exit status 3 when the stop is at or beyond the liquidation price."""
    doc = run(**option_values(locals()))
    emit(explained(doc, explain), as_json, fmt)
    if doc["stop_beyond_liquidation"]:
        raise typer.Exit(int(ExitCode.STOP_BEYOND_LIQUIDATION))


def explain_lines(doc: dict[str, Any]) -> list[str]:
    """The ``--explain`` steps of a ``size`` document."""
    from invfut_cli.explain import n

    c, i = doc["coin"], doc["inputs"]
    e, x, f = n(i["entry"]), n(i["stop"]), n(doc["fee_rate"])
    return [
        f"risk = {n(doc['risk'])} {c} ({n(doc['risk_pct'])}% of the balance {n(i['balance'])})",
        f"loss at the stop per contract = S·(|1/E − 1/X| + f/E + f/X) with E = {e}, X = {x}, f = {f} ({doc['fee_rate_source']})",
        f"contracts = risk / that = {n(doc['contracts_exact'])}, rounded down to the lot of {n(doc['lot'])}: {n(doc['contracts'])}",
        f"loss at the stop = |PnL| + fees = {n(doc['pnl_at_stop'])} − {n(doc['fee_open'])} − {n(doc['fee_close'])} "
        f"= −{n(doc['loss_at_stop'])} {c}; one more lot would lose {n(doc['next_lot_loss'])}",
        f"initial margin = Q/(E·L) = {n(doc['size_usd'])}/({e} × {n(doc['leverage'])}) = {n(doc['initial_margin'])} {c}",
        f"liquidation price {n(doc['liquidation_price'])} (as liq-price computes it); the stop "
        f"{'is at or beyond it' if doc['stop_beyond_liquidation'] else 'comes first'}",
    ]
