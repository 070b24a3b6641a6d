"""``invfut stress``: price shocks, from moves or from BTC history, applied to a position."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext
from typing import Annotated, Any, ClassVar

import typer

from invfut_cli import core
from invfut_cli.app import build, command, emit, explained, note_unit_slip, option_values
from invfut_cli.core.errors import DomainError
from invfut_cli.core.numbers import CORE_CONTEXT, HUNDRED
from invfut_cli.core.stress import Shock, StressRow, stress
from invfut_cli.documents.parts import Doc, liquidation_keys, position_keys
from invfut_cli.given import echoed as as_given
from invfut_cli.inputs.contract_options import ContractTypeOpt, MultiplierOpt, QuoteOpt, SettlePriceOpt, split
from invfut_cli.inputs.live import TimeoutOpt, live_price
from invfut_cli.inputs.margin import LiqInput
from invfut_cli.options import (
    BalanceOpt,
    BasisOpt,
    CloseOpt,
    CoinOpt,
    ContractSizeOpt,
    ContractsOpt,
    DeductionOpt,
    EntryOpt,
    ExchangeOpt,
    ExplainOpt,
    FillOpt,
    FormatOpt,
    JsonOpt,
    LeverageOpt,
    MarginOpt,
    MmrOpt,
    SideOpt,
    SizeCoinOpt,
    SizeUsdOpt,
    TakerFeeOpt,
    TickOpt,
)
from invfut_cli.registry import layout_on_use
from invfut_cli.rounding import (
    coin,
    coin_up,
    pct,
    price_step,
    safe_price,
    shown_move_to_liquidation,
    step_for,
    usd,
)
from invfut_cli.scenarios import Move, ScenarioName, load, names_asked, scenario_doc
from invfut_cli.selection import FieldsOpt
from invfut_cli.venues.rules import Outcome, liquidation_for, rule_for

#: ``LAYOUT``: this command's layout, read from :mod:`.layout` on first use.
__getattr__ = layout_on_use(__name__)


#: The help panel of the shocks to apply.
SHOCKS = "Shocks"


#: The row columns kept to the last when the table is too wide (after the first).
ESSENTIAL_COLUMNS = ("liquidated", "pnl")


# --- What it is given ---------------------------------------------------------------------


class StressInput(LiqInput):
    """``invfut stress``: a position (as ``liq-price``), and the shocks to apply from ``mark``
    (default the entry): ``move`` fractions or percentages, and ``scenario`` names; with
    neither, every scenario."""

    PRICE_FIELDS: ClassVar[tuple[str, ...]] = ("mark",)

    move: tuple[Move, ...] = ()
    scenario: tuple[ScenarioName, ...] = ()

    @property
    def reference_price(self) -> Decimal:
        """The price the shocks start from: ``--mark``, else the entry."""
        return self.mark if self.mark is not None else self.entry

    @property
    def scenario_names(self) -> list[str]:
        """The scenarios asked for, in order, each once; all of them for ``all`` or no shock."""
        return names_asked(self.scenario, bool(self.move))

    @property
    def shocks(self) -> list[Shock]:
        """The moves first, then the scenarios, as core shocks (fractions)."""
        scenarios = load()
        with localcontext(CORE_CONTEXT):
            moves = [Shock(None, move) for move in self.move]
            named = [Shock(name, scenarios[name].move_pct / HUNDRED) for name in self.scenario_names]
        return moves + named

    def rule(self) -> tuple[core.MaintenanceSpec, core.TierTable | None, str | None]:
        """The maintenance rule behind the liquidation price, as ``venues.rules.rule_for`` picks
        it: the base spec, the tier table to pick a tier from at each price (or ``None``),
        and the reason there is no liquidation price to test (Deribit)."""
        rule = rule_for(self)
        return rule.spec, rule.table, rule.no_liquidation_reason


# --- What it works out --------------------------------------------------------------------


@dataclass(frozen=True)
class StressOutcome:
    """The liquidation of the position, the position at the reference price, the move
    from there to the liquidation price (percent), and one row per shock."""

    liquidation: Outcome
    now: StressRow
    move_to_liquidation_pct: Decimal | None
    rows: tuple[StressRow, ...]


def work_out(args: StressInput) -> StressOutcome:
    """``stress``: the liquidation of the position, and each shock applied from the reference price."""
    outcome = liquidation_for(args)
    collateral = args.collateral
    assert collateral is not None
    base, table, unassessed = args.rule()
    liquidation_price = core.boundary(outcome.result.liquidation.price_usd)
    reference = args.reference_price
    # A shock liquidates at or beyond the liquidation price as shown (rounded toward safety),
    # as in liq-price, pnl, ladder and leverage: a shock to the printed price counts as at it.
    shown = safe_price(liquidation_price, core.Side(args.side), price_step(args))
    now, *rows = stress(
        args.position,
        collateral,
        reference,
        shown,
        [Shock(None, Decimal(0)), *args.shocks],
        base=base,
        table=table,
        unassessed_reason=unassessed,
        price_step_usd=price_step(args),
    )
    to_liquidation = None if liquidation_price is None else core.change_pct(reference, liquidation_price)
    return StressOutcome(outcome, now, to_liquidation, tuple(rows))


# --- What it writes -----------------------------------------------------------------------


def _stress_row(row: StressRow, places: int) -> Doc:
    """A shock's row; the margin to add rounds up."""
    return {
        "scenario": row.name,
        "move_pct": as_given(HUNDRED * row.move, 2),  # a move as given (in percent)
        "price": usd(row.price_usd, places),
        "pnl": coin(row.pnl_coin),
        "equity": coin(row.equity_coin),
        "equity_usd": usd(row.equity_usd, places),
        "effective_leverage": pct(row.effective_leverage),
        "liquidated": row.liquidated,
        # Rounded up: a satoshi more only moves the liquidation price further away.
        "margin_to_add": coin_up(row.margin_to_add_coin),
        "reason": row.reason,
    }


def document(args: StressInput, outcome: StressOutcome) -> Doc:
    """The ``stress`` document: the liquidation keys, the position now, one row per shock, and
    the scenarios used."""
    liquidation = outcome.liquidation
    result = liquidation.result
    side = core.Side(args.side)
    places = args.price_places
    step = step_for(args.tick, places)
    rows = [_stress_row(row, places) for row in outcome.rows]
    return {
        "command": "stress",
        "coin": args.coin,
        **position_keys(args),
        **liquidation_keys(liquidation, side, step),
        "reference_price": usd(args.reference_price, places),
        "distance_pct": shown_move_to_liquidation(outcome.move_to_liquidation_pct, side),
        "collateral": coin(result.collateral_coin),
        "initial_margin": coin(result.initial_margin_coin),
        "equity_now": coin(outcome.now.equity_coin),
        "effective_leverage_now": pct(outcome.now.effective_leverage),
        "liquidated_count": sum(1 for row in outcome.rows if row.liquidated),
        "reason": result.liquidation.reason,
        "bankruptcy_reason": result.bankruptcy.reason,
        "warnings": list(result.warnings),
        "scenarios": [scenario_doc(name) for name in args.scenario_names],
        "rows": rows,
    }


def run(**values: Any) -> dict[str, Any]:
    """The ``stress`` document for these option values."""
    settle_move = values.pop("settle_move", None)
    chosen = split(values)
    if chosen is not None:  # a linear or quanto position (DOMAIN.md §15)
        from invfut_cli.contract_types.stress import StressContractInput, stress_document

        given = {k: v for k, v in chosen.items() if v is not None}
        return stress_document(build(StressContractInput, **values, **given, settle_move=settle_move))
    if settle_move:
        raise DomainError("--settle-move is for --contract-type quanto (the settlement coin's move)", "settle_move")
    args = build(StressInput, **values)
    return document(args, work_out(args))


@command("stress", example="invfut stress --side long --entry 8000 --contracts 10000 --leverage 10")
def stress_command(
    side: SideOpt,
    entry: EntryOpt = None,
    contracts: ContractsOpt = None,
    size_usd: SizeUsdOpt = None,
    size_coin: SizeCoinOpt = None,
    fill: FillOpt = None,
    close: CloseOpt = None,
    contract_size: ContractSizeOpt = None,
    leverage: LeverageOpt = None,
    margin: MarginOpt = None,
    balance: BalanceOpt = None,
    move: Annotated[
        list[str] | None,
        typer.Option(
            "--move", help="A price move to apply: -30% or -0.3 (repeatable).", metavar="MOVE", rich_help_panel=SHOCKS
        ),
    ] = None,
    scenario: Annotated[
        list[str] | None,
        typer.Option(
            "--scenario",
            help="A named move from BTC history, or all (repeatable; see the scenarios in the JSON output). "
            "Default: all of them, when no --move is given.",
            metavar="NAME",
            rich_help_panel=SHOCKS,
        ),
    ] = None,
    mark: Annotated[
        str | None,
        typer.Option(
            "--mark",
            help="Price the moves start from, or live: the venue's mark now (needs --exchange). Default: the entry.",
            metavar="PRICE",
            rich_help_panel=SHOCKS,
        ),
    ] = None,
    mmr: MmrOpt = None,
    mm_basis: BasisOpt = None,
    mm_deduction: DeductionOpt = None,
    taker_fee: TakerFeeOpt = None,
    tick: TickOpt = None,
    exchange: ExchangeOpt = None,
    contract_type: ContractTypeOpt = None,
    multiplier: MultiplierOpt = None,
    quote: QuoteOpt = None,
    settle_price: SettlePriceOpt = None,
    settle_move: Annotated[
        list[str] | None,
        typer.Option(
            "--settle-move",
            help="Quanto: the settlement coin's move with each --move (one for all, or one each): -30% or -0.3. "
            "Scenarios move it with the underlying.",
            metavar="MOVE",
            rich_help_panel=SHOCKS,
        ),
    ] = None,
    coin: CoinOpt = None,
    timeout: TimeoutOpt = 10.0,
    explain: ExplainOpt = False,
    as_json: JsonOpt = False,
    fmt: FormatOpt = None,
    fields: FieldsOpt = None,
) -> None:
    """Each shock's price, equity and effective leverage, whether it liquidates (at or beyond the
    liquidation price), and the margin to add to survive it."""
    values = option_values(locals())
    source = live_price(values, "mark", "--mark")
    doc = run(**values)
    if source is not None:
        doc["mark_source"] = source
    note_unit_slip("stress", "--move", move, Decimal(2))  # only for values that were taken
    emit(explained(doc, explain), as_json, fmt)


def explain_lines(doc: dict[str, Any]) -> list[str]:
    """The ``--explain`` steps of a ``stress`` document."""
    from invfut_cli.explain import n, size_lines

    c = doc["coin"]
    lines = size_lines(doc)
    lines.append(
        f"each shock: P' = reference × (1 + move) from {n(doc['reference_price'])}; equity = M + s·Q(1/E − 1/P'), M = {n(doc['collateral'])} {c}"
    )
    lines.append(
        f"liquidated when P' is at or beyond the liquidation price {n(doc['liquidation_price'])} "
        f"(a move of {n(doc['distance_pct'])}% from the reference)"
    )
    lines.append(
        "margin to add: the collateral that puts the liquidation price just beyond P', from the same equation, less M"
    )
    return lines
