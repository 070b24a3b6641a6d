"""The ``pnl``, ``liq-price`` and ``ladder`` documents of a linear or quanto position.

They carry the inverse documents' keys (the layout's, null where a key does not apply), with
every amount (``pnl``, ``initial_margin``, ``collateral``, ``equity``, ``value_*``,
``maintenance_margin``, ``fee_to_close``, a row's ``pnl``/``step_pnl``/``equity``) in the
document's ``margin_currency`` (``coin`` names it too, as it names the settlement currency
of an inverse document), and ``contract_type``, ``margin_currency``, ``underlying``,
``quote``, ``units`` and ``settle_price`` beside them. Amounts are shown to 10^-8 of their
currency, prices and USD figures as the inverse documents show them.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from invfut_cli import core
from invfut_cli.core.contracts import ContractKind, LinearPayoff
from invfut_cli.core.errors import DomainError
from invfut_cli.core.margin import FeeTreatment
from invfut_cli.documents.parts import mark_alert
from invfut_cli.inputs.contract import ContractInput
from invfut_cli.rounding import DELTA_PLACES, coin, pct, safe_price, step_for, usd

Doc = dict[str, Any]


def _layout(command: str) -> dict[str, Any]:
    from invfut_cli.registry import spec

    layout = spec(command).LAYOUT
    assert layout is not None
    return layout


def _echo(args: ContractInput, command: str) -> Doc:
    """The inputs ``command``'s layout declares, each number as given (every place kept, as
    an inverse document echoes them)."""
    declared = _layout(command)["inputs"]
    data = args.model_dump(mode="python", exclude={"coin", "exchange", "grid"})
    return {k: (v.value if hasattr(v, "value") else v) for k, v in data.items() if k in declared}


def head(command: str, args: ContractInput) -> Doc:
    """Every key of ``command``'s layout, null, with the head, the inputs and the contract filled in."""
    doc: Doc = dict.fromkeys(_layout(command))
    contract = args.contract
    places = args.price_places
    doc.update(
        {
            "command": command,
            "coin": args.currency,
            "exchange": args.exchange.value,
            "preset": args.preset,
            "inputs": _echo(args, command),
            "size_usd": usd(contract.usd(contract.value(args.entry)), places) if args.usd_known else None,
            "average_entry": usd(args.entry, places),
            "closed": [],
        }
    )
    if "explain" in doc:
        doc.pop("explain")
    doc.update(contract_keys(args))
    return doc


def contract_keys(args: ContractInput) -> Doc:
    """``contract_type``, ``margin_currency``, ``underlying`` (linear: ``--coin``; a quanto's
    prices are its underlying's, unnamed), ``quote`` (the price's currency), ``units`` (``u``:
    margin currency per unit of price, ``q`` coin or ``N·M``) and ``settle_price``."""
    contract = args.contract
    assert isinstance(contract, LinearPayoff)
    return contract_of(args.kind.value, args.currency, args.coin, contract.units, args.settle_price)


def contract_of(kind: str, currency: str, coin: str, units: Decimal, settle_price: Decimal | None) -> Doc:
    """The contract keys of a ``kind`` (``linear`` or ``quanto``) document margined in
    ``currency``, of the underlying ``coin``, with ``units`` (``u``) and ``--settle-price``
    echoed as given (:func:`contract_keys`)."""
    linear = kind == ContractKind.LINEAR.value
    return {
        "contract_type": kind,
        "margin_currency": currency,
        "underlying": coin if linear else None,
        "quote": currency if linear else "USD",
        "units": units_shown(units),
        "settle_price": settle_price,
    }


def units_shown(units: Decimal) -> Decimal:
    """``u`` to 12 places (nearest), without trailing zeros: ``0.01``, ``1``."""
    shown = usd(units, DELTA_PLACES)
    assert shown is not None
    return shown.quantize(Decimal(1)) if shown == shown.to_integral_value() else shown.normalize()


def _usd(args: ContractInput, amount: Decimal | None, places: int) -> Decimal | None:
    return None if amount is None or not args.usd_known else usd(args.contract.usd(amount), places)


def liquidation(args: ContractInput) -> tuple[core.PriceAnswer, core.PriceAnswer] | None:
    """The liquidation and bankruptcy prices, where a margin is known."""
    collateral = args.collateral
    if collateral is None:
        return None
    contract, side, spec = args.contract, args.side_enum, args.spec()
    assert isinstance(contract, LinearPayoff)
    return (
        contract.liquidation(side, args.entry, collateral, spec),
        contract.bankruptcy(side, args.entry, collateral, spec),
    )


def pnl_document(args: ContractInput) -> Doc:
    """``pnl`` of a linear or quanto position at ``--exit``: value, PnL (its currency and USD),
    margin, ROE, equity, and whether the exit is beyond the liquidation price."""
    if args.exit is None:
        raise DomainError("give the exit price (a linear or quanto position takes no target)", "exit")
    doc = head("pnl", args)
    contract, side, entry, exit_ = args.contract, args.side_enum, args.entry, args.exit
    places, collateral = args.price_places, args.collateral
    assert isinstance(contract, LinearPayoff)
    pnl = contract.pnl(side, entry, exit_)
    doc.update(
        {
            "exit_price": usd(exit_, places),
            "value_entry": coin(contract.value(entry)),
            "value_exit": coin(contract.value(exit_)),
            "pnl": coin(pnl),
            "pnl_usd": _usd(args, pnl, places),
            "price_change_pct": pct(contract.price_change_pct(entry, exit_)),
            "initial_margin": coin(None if args.leverage is None else contract.initial_margin(entry, args.leverage)),
            # Without fees or funding the PnL is zero at the entry and nowhere else.
            "break_even_price": usd(entry, places),
        }
    )
    if collateral is not None:
        equity = contract.equity(side, entry, collateral, exit_)
        roe = core.roe_pct(pnl, collateral)
        doc.update(
            {
                "collateral": coin(collateral),
                "roe_pct": pct(roe),
                "margin_usd_entry": _usd(args, collateral, places),
                "margin_usd_exit": _usd(args, collateral, places),
                "equity": coin(equity),
                "equity_usd": _usd(args, equity, places),
            }
        )
        liq, _bank = liquidation(args) or (None, None)
        assert liq is not None
        step = step_for(args.tick, places)
        shown = safe_price(liq.price_usd, side, step)
        beyond = False if shown is None else core.is_liquidated(side, exit_, shown)
        doc.update(
            {
                "liquidated": beyond,
                "liquidation_price": shown,
                "loss_at_liquidation": coin(collateral) if beyond else None,
            }
        )
    return doc


def rule_keys(doc: Doc, args: ContractInput, liq: core.PriceAnswer, bank: core.PriceAnswer, step: Decimal) -> Doc:
    """The margin rule's keys of a ``liq-price`` or ``stress`` document (the rule also echoed
    in ``doc``'s ``inputs``): the margin mode, formula family and fee treatment, the
    liquidation and bankruptcy prices (shown toward safety, and to 8 places), the maintenance
    margin at the liquidation price and the price step."""
    contract, side, spec = args.contract, args.side_enum, args.spec()
    assert isinstance(contract, LinearPayoff)
    doc["inputs"]["mmr"] = spec.rate
    doc["inputs"]["mm_basis"] = spec.basis.value
    doc["inputs"]["mm_deduction"] = spec.deduction_coin
    return {
        "margin_mode": args.margin_mode,
        "formula_family": spec.basis.value,
        "fee_treatment": spec.treatment.value,
        "liquidation_price": safe_price(liq.price_usd, side, step),
        "liquidation_price_exact": usd(liq.price_usd, 8),
        "bankruptcy_price": safe_price(bank.price_usd, side, step),
        "bankruptcy_price_exact": usd(bank.price_usd, 8),
        "maintenance_margin": coin(contract.maintenance_margin(args.entry, liq.price_usd, spec)),
        "price_step": step,
    }


def liq_document(args: ContractInput) -> Doc:
    """``liq-price`` of a linear or quanto position: the liquidation and bankruptcy prices
    (module docstring of :mod:`invfut_cli.core.contracts`), rounded toward safety."""
    answers = liquidation(args)
    if answers is None:
        raise DomainError("give --leverage or --margin (isolated), or --balance (cross)", "leverage")
    liq, bank = answers
    doc = head("liq-price", args)
    contract, side, entry, spec = args.contract, args.side_enum, args.entry, args.spec()
    assert isinstance(contract, LinearPayoff)
    places = args.price_places
    step = step_for(args.tick, places)
    fee_close = None
    if spec.treatment is FeeTreatment.CLOSE_AT_BANKRUPTCY and bank.price_usd is not None:
        fee_close = spec.taker_fee * contract.units * bank.price_usd
    distance = None if liq.price_usd is None else core.change_pct(entry, liq.price_usd)
    doc.update(
        {
            **rule_keys(doc, args, liq, bank, step),
            "distance_pct": pct(distance),
            "initial_margin": coin(None if args.leverage is None else contract.initial_margin(entry, args.leverage)),
            "collateral": coin(args.collateral),
            "fee_to_close": coin(fee_close) if fee_close is not None else coin(Decimal(0)),
            **mark_alert(
                args.side_enum,
                args.mark,
                args.entry,
                args.fail_within,
                safe_price(liq.price_usd, side, step),
                args.price_places,
            ),
            "reason": liq.reason,
            "bankruptcy_reason": bank.reason,
            "warnings": [],
        }
    )
    return doc


def ladder_rows(args: ContractInput, prices: Iterator[Decimal], liquidation_shown: Decimal | None) -> Iterator[Doc]:
    """A linear or quanto ladder's rows: PnL, its step, USD, ROE, equity and effective
    leverage at each price; ``liquidated`` at or beyond the liquidation price as shown."""
    contract, side, entry, collateral = args.contract, args.side_enum, args.entry, args.collateral
    places = args.price_places
    previous = None
    for price in prices:
        pnl = contract.pnl(side, entry, price)
        liquidated = None if liquidation_shown is None else core.is_liquidated(side, price, liquidation_shown)
        if collateral is None and liquidation_shown is None:
            liquidated = None
        row: Doc = {
            "price": usd(price, places),
            "pnl": coin(pnl),
            "step_pnl": None if previous is None else coin(pnl - previous),
            "pnl_usd": _usd(args, pnl, places),
            "roe_pct": None,
            "equity": None,
            "equity_usd": None,
            "effective_leverage": None,
            "mark": "entry" if price == entry else None,
            "liquidated": liquidated,
        }
        if collateral is not None:
            equity = contract.equity(side, entry, collateral, price)
            leverage = contract.effective_leverage(side, entry, collateral, price)
            row["roe_pct"] = pct(core.roe_pct(pnl, collateral))
            row["equity"] = coin(equity)
            row["equity_usd"] = _usd(args, equity, places)
            row["effective_leverage"] = None if liquidated or leverage is None else pct(leverage)
        previous = pnl
        yield row


def ladder_document(args: ContractInput) -> Doc:
    """``ladder`` of a linear or quanto position over ``--from``/``--to`` (its grid)."""
    from invfut_cli.documents.parts import grid_keys

    grid = args.grid
    if grid is None:
        raise DomainError("a ladder needs a grid", "from")
    doc = head("ladder", args)
    side, places = args.side_enum, max(args.price_places, grid.places(args.entry, args.tick))
    step = step_for(args.tick, places)
    answers = liquidation(args)
    liq = bank = None
    if answers is not None:
        liq, bank = (safe_price(a.price_usd, side, step) for a in answers)
    contract = args.contract
    doc.update(
        {
            "initial_margin": coin(
                None if args.leverage is None else contract.initial_margin(args.entry, args.leverage)
            ),
            "collateral": coin(args.collateral),
            "break_even_price": usd(args.entry, places),
            "liquidation_price": liq,
            "bankruptcy_price": bank,
            "reason": None if answers is None else answers[0].reason,
            "marks": [],
            **grid_keys(grid, args.entry, args.tick, places),
            "rows": list(ladder_rows(args, grid.prices(args.entry, args.tick), liq)),
        }
    )
    return doc
