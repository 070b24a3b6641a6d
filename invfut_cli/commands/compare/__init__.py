"""``invfut compare``: one position on several venues, side by side.

The typer function, its ``run`` and its ``--explain`` lines are here; its other parts are beside
it in this package: the option model (:mod:`.inputs`), the venues' rows (:mod:`.rows`), the
document (:mod:`.document`), its layout (:mod:`.layout`) and the tables (:mod:`.table`). Each venue's row is built by the code
``liq-price`` runs (:func:`invfut_cli.commands.liq_price.run`) with ``--exchange``
set to that venue, so a row carries exactly the numbers ``invfut liq-price --exchange VENUE``
prints for the same position. Nothing is computed twice.

Contract sizes differ (a contract is $1 on Bybit, BitMEX and Kraken, $10 on Deribit, $100 on
Binance and OKX), so the position is best given as ``--size-usd`` or ``--size-coin``: each venue
buys the whole lots of its own contract that the size pays for, rounded down. ``--contracts N``
means N of each venue's own contracts. A leverage a venue does not allow for this size, or a
size that is not a whole number of its lots, gives that venue a row with ``allowed`` false, its
maximum leverage and the reason, not an error for the whole table.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

import typer

from invfut_cli.app import build, command, emit, explained, option_values
from invfut_cli.options import (
    POSITION,
    VENUE,
    BalanceOpt,
    CoinOpt,
    EntryOpt,
    ExplainOpt,
    FormatOpt,
    JsonOpt,
    LeverageOpt,
    MarginOpt,
    SideOpt,
    SizeCoinOpt,
    SizeUsdOpt,
)
from invfut_cli.registry import layout_on_use
from invfut_cli.selection import FieldsOpt

#: ``LAYOUT``: this command's layout, read from :mod:`.layout` on first use.
__getattr__ = layout_on_use(__name__)

from invfut_cli.inputs.risk_options import DriftOpt, HorizonOpt, MaxProbabilityOpt, VolFromOpt, VolOpt
from invfut_cli.risk_layout import RISK_INPUTS

Doc = dict[str, Any]


def run(**values: Any) -> Doc:
    """The ``compare`` document for these option values (``exchange``: the venues, comma-separated)."""
    from invfut_cli.commands.compare.document import document
    from invfut_cli.commands.compare.inputs import input_model
    from invfut_cli.commands.compare.rows import row_for

    venues = values.pop("exchange", None)
    risk = {key: values.pop(key, None) for key in RISK_INPUTS}
    asked = {key: value for key, value in risk.items() if value is not None}
    args = build(input_model(), venues=venues, **values)
    doc = document(args, [row_for(args, venue) for venue in args.chosen])
    return with_probability(args, doc, asked) if asked else doc


def with_probability(args: Any, doc: Doc, asked: dict[str, Any]) -> Doc:
    """Each allowed venue's ``liquidation_probability`` and ``probability_target`` (the model's
    options, DOMAIN.md §14), as ``liq-price --exchange VENUE`` gives them."""
    from invfut_cli.commands.liq_price import run as run_liq_price
    from invfut_cli.inputs.risk import RiskInput

    checked = build(RiskInput, **asked)  # the options checked once, before any venue
    for row, venue in zip(doc["rows"], args.chosen, strict=True):
        if row["allowed"]:
            answer = run_liq_price(**args.position_values(venue), **asked)
            row["liquidation_probability"] = answer["liquidation_probability"]
            row["probability_target"] = answer["probability_target"]
    doc["inputs"].update({key: getattr(checked, key) for key in RISK_INPUTS})
    return doc


@command(
    "compare",
    example="invfut compare --side long --entry 60000 --size-usd 10000 --leverage 10\n"
    "invfut compare --side short --entry 3000 --coin ETH --size-coin 5",
)
def compare_command(
    side: SideOpt,
    entry: EntryOpt = None,
    size_usd: SizeUsdOpt = None,
    size_coin: SizeCoinOpt = None,
    contracts: Annotated[
        Decimal | None,
        typer.Option(
            "--contracts",
            help="Number of contracts, each venue's own (their sizes differ: $1 to $100); --size-usd compares "
            "like with like.",
            metavar="N",
            rich_help_panel=POSITION,
        ),
    ] = None,
    leverage: LeverageOpt = None,
    margin: MarginOpt = None,
    balance: BalanceOpt = None,
    exchange: Annotated[
        str | None,
        typer.Option(
            "--exchange",
            help="Venues to compare, separated by commas (bybit,binance,okx). (default: every preset with a "
            "contract of the coin)",
            metavar="NAMES",
            rich_help_panel=VENUE,
        ),
    ] = None,
    coin: CoinOpt = None,
    vol: VolOpt = None,
    vol_from: VolFromOpt = None,
    horizon: HorizonOpt = None,
    drift: DriftOpt = None,
    max_probability: MaxProbabilityOpt = None,
    explain: ExplainOpt = False,
    as_json: JsonOpt = False,
    fmt: FormatOpt = None,
    fields: FieldsOpt = None,
) -> None:
    """One position on several venues side by side: contracts bought, margin, fees and order cost,
    liquidation and bankruptcy prices, tier and maximum leverage, each as liq-price gives it."""
    emit(explained(run(**option_values(locals())), explain), as_json, fmt)


# --- --explain ------------------------------------------------------------------------------


def explain_lines(doc: Doc) -> list[str]:
    """The steps of ``compare``: how each venue's contracts follow from the size, and where
    its rule puts the prices (each row is ``liq-price --exchange VENUE``)."""
    from invfut_cli.explain import n

    i, c = doc["inputs"], doc["coin"]
    lines = ["each row is liq-price --exchange VENUE for the same side, entry, size and margin"]
    if i["size_usd"] is not None or i["size_coin"] is not None:
        asked = f"{n(i['size_usd'])} USD" if i["size_usd"] is not None else f"{n(i['size_coin'])} {c} × {n(i['entry'])}"
        lines.append(f"contracts = floor({asked} / (contract size × lot)) × lot: whole lots, rounded down")
    for row in doc["rows"]:
        venue = row["exchange"]
        if not row["allowed"]:
            lines.append(f"{venue}: not allowed: {row['reason']}")
            continue
        if row["formula_family"] == "none":
            where = (
                f"no liquidation price of its own; estimated {n(row['liquidation_price_estimate_exact'])}: "
                f"M + s·Q(1/E − 1/P) = (c + b·Q/P)·Q/P"
            )
        elif row["liquidation_price"] is None:
            where = f"no liquidation price ({row['reason']})"
        else:
            where = f"{row['formula_family']} family, liquidation {n(row['liquidation_price_exact'])}"
        cost = row["order_cost"]
        lines.append(
            f"{venue}: Q = {n(row['contracts'])} × {n(row['contract_size'])} = {n(row['size_usd'])} USD; {where}; "
            f"bankruptcy {n(row['bankruptcy_price_exact'])}"
            + ("" if cost is None else f"; order cost {n(cost['total'])} {c}")
        )
    return lines


# --- the table ------------------------------------------------------------------------------


def draw_table(doc: Doc, console: Any) -> None:
    """The venues' tables (:func:`invfut_cli.commands.compare.table.draw_table`)."""
    from invfut_cli.commands.compare.table import draw_table as draw

    draw(doc, console)
    for row in doc["rows"]:
        if row.get("liquidation_probability"):
            from invfut_cli.risk import probability_notes

            for line in probability_notes({**row, "coin": doc["coin"]}):
                console.print(f"{row['exchange']}: {line}")
