"""The ``account`` document of a linear or quanto account: the inverse account document's keys
(none renamed), with every amount in the margin currency that ``coin`` and
``margin_currency`` name (the quote, USDT, for linear; the settlement coin for quanto), shown
to 10^-8 of it and rounded nearest as the linear ``pnl`` and ``liq-price`` documents show
theirs (a margin to add rounds up), and ``contract_type``, ``margin_currency``,
``underlying``, ``quote``, ``units`` and ``settle_price`` beside them.

Keys that change meaning: ``net_entry_value`` is ``Σsᵢ·uᵢ·Eᵢ`` and ``exposure`` ``Σsᵢ·uᵢ·P``
(margin currency); ``coin_delta`` is ``Σsᵢ·uᵢ``, the equity's change per unit of price (and
``coin_gamma`` 0); ``net_size_usd`` is the net value at the price in USD. ``usd_delta``,
``total_usd_delta`` and ``hedge`` (the USD-delta hedge of an inverse account) are null; so are
the USD figures of a quanto account without a settlement price.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from invfut_cli.given import echoed as as_given
from invfut_cli.rounding import DELTA_PLACES

if TYPE_CHECKING:
    from invfut_cli.core.linear_book import LinearAccountResult

Doc = dict[str, Any]


def _in_usd(args: Any, amount: Decimal | None, places: int) -> Decimal | None:
    """An amount of the margin currency in USD (null for a quanto without ``--settle-price``)."""
    from invfut_cli.rounding import usd

    rate = args.currency_usd
    return None if amount is None or rate is None else usd(amount * rate, places)


def _position_docs(args: Any, result: LinearAccountResult, places: int, step: Decimal) -> list[Doc]:
    from invfut_cli.commands.account.document import isolated_keys, position_row
    from invfut_cli.core.numbers import ZERO
    from invfut_cli.rounding import as_written, coin, pct, usd

    price = result.price
    docs = []
    for line in result.lines:
        holding = line.holding
        signed = holding.side.sign * holding.units
        doc = position_row(
            number=line.index + 1,
            name=holding.name,
            side=holding.side.value,
            margin_mode=line.margin_mode.value,
            contracts=holding.contracts,
            contract_size=holding.size,
            entry=as_written(holding.entry),
            pnl=coin(line.pnl_ccy),
            exposure=coin(signed * price),
            coin_delta=usd(signed, DELTA_PLACES),
            coin_gamma=ZERO,
            maintenance_margin=coin(line.maintenance_margin_ccy),
        )
        if line.liquidation is not None and line.bankruptcy is not None:
            margin = holding.margin_ccy
            assert margin is not None
            doc.update(
                collateral=coin(margin),
                leverage=pct(holding.units * holding.entry / margin),
                equity=coin(line.equity_ccy),
                **isolated_keys(holding.side, line.liquidation, line.bankruptcy, price, step, line.liquidated),
            )
        docs.append(doc)
    return docs


def part_doc(args: Any, result: LinearAccountResult, places: int, step: Decimal) -> Doc:
    """The whole account at the price: the cross part's figures and every position."""
    from invfut_cli.commands.account.document import cross_keys
    from invfut_cli.rounding import coin, pct, usd

    terms = result.terms
    net_value = terms.net_units * result.price
    return {
        "balance": coin(terms.balance_ccy),
        "cross_positions": result.cross_count,
        "net_size_usd": _in_usd(args, net_value, places),
        "net_entry_value": coin(terms.signed_entry_value_ccy),
        "equity": coin(result.equity_ccy),
        "equity_usd": _in_usd(args, result.equity_ccy, places),
        "maintenance_margin": coin(result.maintenance_margin_ccy),
        "free_margin": coin(result.free_margin_ccy),
        "effective_leverage": pct(result.effective_leverage),
        "exposure": coin(net_value),
        "usd_delta": None,
        "coin_delta": usd(terms.net_units, DELTA_PLACES),
        "coin_gamma": Decimal(0),
        "formula_family": result.basis.value,
        "fee_treatment": result.fee_treatment.value,
        **cross_keys(result, step),
        "fee_to_close": coin(terms.fee_to_close_ccy),
        "tier_rounds": 0,
        "total_equity": coin(result.total_equity_ccy),
        "total_usd_delta": None,
        "positions": _position_docs(args, result, places, step),
    }


def _shock_doc(args: Any, row: Any, places: int, names: dict[int, str]) -> Doc:
    from invfut_cli.core.numbers import HUNDRED
    from invfut_cli.rounding import coin, coin_up, pct, usd

    return {
        "scenario": row.name,
        "move_pct": as_given(HUNDRED * row.move, 2),
        "price": usd(row.price, places),
        "equity": coin(row.equity_ccy),
        "equity_usd": _in_usd(args, row.equity_ccy, places),
        "maintenance_margin": coin(row.maintenance_margin_ccy),
        "effective_leverage": pct(row.effective_leverage),
        "liquidated": row.liquidated,
        "margin_to_add": coin_up(row.margin_to_add_ccy),
        "total_equity": coin(row.total_equity_ccy),
        "isolated_liquidated": [names[i] for i in row.isolated_liquidated],
        "reason": row.reason,
    }


def linear_document(
    args: Any,
    before: LinearAccountResult,
    after: LinearAccountResult | None,
    shocks: tuple[Any, ...],
    places: int,
    step: Decimal,
    file: str | None,
) -> Doc:
    """``invfut account`` for a linear or quanto account (module docstring)."""
    from invfut_cli.commands.account.document import alert, compared
    from invfut_cli.contract_types.documents import contract_of

    spec = args.spec()
    final = after or before
    names = {line.index: (line.holding.name or f"position {line.index + 1}") for line in final.lines}
    doc: Doc = {
        "command": "account",
        "coin": args.currency,
        "exchange": args.exchange.value,
        "preset": args.preset,
        "inputs": {
            "file": file,
            "price": args.price,
            "mmr": spec.rate,
            "mm_basis": spec.basis.value,
            "mm_deduction": spec.deduction_coin,
            "taker_fee": args.taker_fee,
            "tick": args.tick,
            "contract_size": args.size,
            "add": [f"{a.side}:{a.contracts}@{a.price}" for a in args.add],
            "fail_within": args.fail_within,
            "move": list(args.move),
            "scenario": list(args.scenario),
            "usd_delta": None,
            "contract_type": args.contract_type,
            "multiplier": args.multiplier,
            "quote": args.quote,
            "settle_price": args.settle_price,
        },
        "price": as_given(args.price, places),
        "price_step": step,
    }
    if after is None:
        doc.update(part_doc(args, before, places, step))
    else:
        doc.update(
            compared(part_doc(args, before, places, step), part_doc(args, after, places, step), args.add, places)
        )
    doc.update(alert(args, final))
    doc["hedge"] = None
    doc["rows"] = [_shock_doc(args, row, places, names) for row in shocks] if shocks else None
    units = sum((line.holding.units for line in final.lines), Decimal(0))
    doc.update(contract_of(args.contract_type, args.currency, args.coin, units, args.settle_price))
    return doc
