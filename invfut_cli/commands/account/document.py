"""The document of ``invfut account``: the positions, the account (or ``before`` and
``after`` with ``--add``), the alert, the hedge advice and the shocks, each rounded at a
step of :mod:`invfut_cli.rounding`."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from invfut_cli.given import echoed as as_given

# The coin delta and gamma are shown to DELTA_PLACES and GAMMA_PLACES: their values are small
# (1e-6 and 1e-10 for a BTC position of $20,000), so a satoshi is too coarse.
from invfut_cli.rounding import DELTA_PLACES, GAMMA_PLACES

if TYPE_CHECKING:
    from invfut_cli.commands.account.outcome import AccountOutcome
    from invfut_cli.core.account_valuation import AccountResult
    from invfut_cli.core.linear_book import LinearAccountResult

Doc = dict[str, Any]


def account_places(args: Any, prices: list[Decimal]) -> int:
    """Decimal places for the prices shown: those of ``--price``, the added positions' and the
    file's prices (:func:`invfut_cli.rounding.shown_places`)."""
    from invfut_cli.rounding import shown_places

    return shown_places(args.price, *(a.price for a in args.add), *prices)


def position_row(**known: Any) -> Doc:
    """A row of the account's ``positions``: every key of its layout in order, ``known``
    filled in and the rest null (an isolated position's own keys: :func:`isolated_keys`).
    The inverse and the linear account documents write their rows with it."""
    from invfut_cli.commands.account.layout import ACCOUNT

    keys = ACCOUNT["positions"][0]
    assert keys.keys() >= known.keys(), sorted(known.keys() - keys.keys())
    return {key: known.get(key) for key in keys}


def isolated_keys(side: Any, liquidation: Any, bankruptcy: Any, price: Decimal, step: Decimal, liquidated: bool) -> Doc:
    """An isolated position's own liquidation in its row: the prices rounded toward safety to
    ``step``, the exact one to 8 places, the distance from ``price`` and the reason."""
    from invfut_cli.core.position import change_pct
    from invfut_cli.rounding import pct, safe_price, usd

    liq = liquidation.price_usd
    return {
        "liquidation_price": safe_price(liq, side, step),
        "liquidation_price_exact": usd(liq, 8),
        "bankruptcy_price": safe_price(bankruptcy.price_usd, side, step),
        "distance_pct": None if liq is None else pct(change_pct(price, liq)),
        "liquidated": liquidated,
        "reason": liquidation.reason,
    }


def position_docs(lines: Any, places: int, step: Decimal) -> list[Doc]:
    """The positions of an account document: PnL, exposure, coin delta and gamma, margins;
    an isolated one's own liquidation. The entry is echoed as written (an average of fills
    to 8 places)."""
    from invfut_cli.rounding import as_written, coin, pct, usd

    docs = []
    for line in lines:
        position, result, sens = line.position, line.isolated, line.sensitivity
        entry = position.entry_price_usd
        doc = position_row(
            number=line.index + 1,
            name=line.name,
            side=position.side.value,
            margin_mode=line.margin_mode.value,
            contracts=position.contracts,
            contract_size=position.contract_size_usd,
            entry=as_written(entry),
            pnl=coin(line.pnl_coin),
            exposure=coin(sens.exposure_coin),
            coin_delta=usd(sens.coin_delta_coin_per_usd, DELTA_PLACES),
            coin_gamma=usd(sens.coin_gamma_coin_per_usd2, GAMMA_PLACES),
            maintenance_margin=coin(line.maintenance_margin_coin),
            tier_index=None if line.tier_index is None else line.tier_index + 1,
        )
        if result is not None:
            price, margin = sens.price_usd, line.margin_coin
            doc.update(
                collateral=coin(margin),
                leverage=pct(position.size_usd / (entry * margin)),
                equity=coin(line.equity_coin),
                usd_delta=coin(sens.usd_delta_coin),
                **isolated_keys(position.side, result.liquidation, result.bankruptcy, price, step, line.liquidated),
            )
        docs.append(doc)
    return docs


def cross_keys(result: Any, step: Decimal) -> Doc:
    """The cross part's liquidation and bankruptcy prices (toward safety to ``step``, and
    exact to 8 places), the side of the price it is liquidated on, the distance and the
    reason: an inverse account's (:class:`AccountResult`) or a linear one's."""
    from invfut_cli.core.position import Side
    from invfut_cli.rounding import pct, safe_price, usd

    side = result.side or Side.LONG
    liq, bank = result.liquidation.price_usd, result.bankruptcy.price_usd
    return {
        "liquidation_price": safe_price(liq, side, step),
        "liquidation_price_exact": usd(liq, 8),
        "liquidation_side": None if result.side is None else ("below" if side is Side.LONG else "above"),
        "distance_pct": pct(result.distance_pct),
        "liquidated": result.liquidated,
        "reason": result.liquidation.reason,
        "bankruptcy_price": safe_price(bank, side, step),
        "bankruptcy_price_exact": usd(bank, 8),
    }


def account_doc(result: AccountResult, places: int, step: Decimal) -> Doc:
    """The whole account at the price: the cross part's figures and every position."""
    from invfut_cli.rounding import coin, pct, usd

    sens, terms = result.sensitivity, result.terms
    return {
        "balance": coin(terms.balance_coin),
        "cross_positions": result.cross_count,
        "net_size_usd": usd(terms.signed_size_usd, places),
        "net_entry_value": coin(terms.signed_entry_value_coin),
        "equity": coin(result.equity_coin),
        "equity_usd": usd(result.equity_coin * result.price_usd, places),
        "maintenance_margin": coin(result.maintenance_margin_coin),
        "free_margin": coin(result.free_margin_coin),
        "effective_leverage": pct(result.effective_leverage),
        "exposure": coin(sens.exposure_coin),
        "usd_delta": coin(sens.usd_delta_coin),
        "coin_delta": usd(sens.coin_delta_coin_per_usd, DELTA_PLACES),
        "coin_gamma": usd(sens.coin_gamma_coin_per_usd2, GAMMA_PLACES),
        "formula_family": "none" if result.liquidated is None else result.basis.value,
        "fee_treatment": result.fee_treatment.value,
        **cross_keys(result, step),
        "fee_to_close": coin(terms.fee_to_close_coin),
        "tier_rounds": result.tier_rounds,
        "total_equity": coin(result.total_equity_coin),
        "total_usd_delta": coin(result.total_usd_delta_coin),
        "positions": position_docs(result.lines, places, step),
    }


def compared(before: Doc, after: Doc, added: Any, places: int) -> Doc:
    """With ``--add``: the account ``before`` and ``after``, the positions added, and how far
    the liquidation price moved (shown and exact; null when either side has none)."""
    shown = (before["liquidation_price"], after["liquidation_price"])
    exact = (before["liquidation_price_exact"], after["liquidation_price_exact"])
    return {
        "before": before,
        "after": after,
        "added": [{"side": a.side, "contracts": a.contracts, "price": as_given(a.price, places)} for a in added],
        "liquidation_price_change": None if None in shown else shown[1] - shown[0],
        "liquidation_price_exact_change": None if None in exact else exact[1] - exact[0],
    }


def alert(args: Any, result: AccountResult | LinearAccountResult) -> Doc:
    """``--fail-within``: the account is liquidated now, or its liquidation price is within
    the limit of the price (DOMAIN.md §11)."""
    within = args.fail_within
    distance = result.distance_pct
    near = distance is not None and within is not None and abs(distance) <= within
    alert = within is not None and (bool(result.liquidated) or near)
    return {"fail_within_pct": within, "alert": alert}


def _shock_doc(row: Any, places: int, names: dict[int, str]) -> Doc:
    from invfut_cli.core.numbers import HUNDRED
    from invfut_cli.rounding import coin, coin_above, coin_up, pct, usd

    margin = row.margin_to_add_coin
    if margin is not None:
        margin = coin_above(margin) if row.strict else coin_up(margin)
    return {
        "scenario": row.name,
        "move_pct": as_given(HUNDRED * row.move, 2),  # a move as given (in percent)
        "price": usd(row.price_usd, places),
        "equity": coin(row.equity_coin),
        "equity_usd": usd(row.equity_usd, places),
        "maintenance_margin": coin(row.maintenance_margin_coin),
        "effective_leverage": pct(row.effective_leverage),
        "liquidated": row.liquidated,
        "margin_to_add": margin,
        "total_equity": coin(row.total_equity_coin),
        "isolated_liquidated": [names[i] for i in row.isolated_liquidated],
        "reason": row.reason,
    }


def _hedge_doc(outcome: AccountOutcome, places: int, step: Decimal) -> Doc | None:
    from invfut_cli.core.position import Side
    from invfut_cli.rounding import coin, safe_price, usd

    hedge = outcome.hedge
    if hedge is None:
        return None
    hedged = outcome.hedged
    side = Side.LONG if hedged is None or hedged.side is None else hedged.side
    liq = None if hedged is None else hedged.liquidation.price_usd
    return {
        "target_usd_delta": hedge.target_coin,
        "usd_delta": coin(hedge.usd_delta_coin),
        "side": None if hedge.side is None else hedge.side.value,
        "contracts": hedge.contracts,
        "contract_size": hedge.contract_size_usd,
        "lot": hedge.lot,
        "size_usd": usd(hedge.size_usd, places),
        "exact_size_usd": usd(hedge.exact_size_usd, places),
        "usd_delta_after": coin(hedge.usd_delta_after_coin),
        "liquidation_price_after": safe_price(liq, side, step),
        "liquidation_price_after_exact": usd(liq, 8),
        "reason_after": None if hedged is None else hedged.liquidation.reason,
    }


def document(args: Any, outcome: AccountOutcome, prices: list[Decimal], file: str | None) -> Doc:
    """``invfut account``: the account (or ``before`` and ``after`` with ``--add``), the
    alert, the hedge advice and the shocks (``rows``; ``null`` without shocks)."""
    from invfut_cli.documents.parts import venue
    from invfut_cli.rounding import step_for

    places = account_places(args, prices)
    step = step_for(args.tick, places)
    final = outcome.after or outcome.before
    names = {line.index: (line.name or f"position {line.index + 1}") for line in final.lines}
    echoed = {
        "file": file,
        "price": args.price,
        "mmr": args.mmr,
        "mm_basis": args.mm_basis.value,
        "mm_deduction": args.mm_deduction,
        "taker_fee": args.taker_fee,
        "tick": args.tick,
        "contract_size": args.contract_size,
        "add": [f"{a.side}:{a.contracts}@{a.price}" for a in args.add],
        "fail_within": args.fail_within,
        "move": list(args.move),
        "scenario": list(args.scenario),
        "usd_delta": args.usd_delta,
    }
    doc: Doc = {
        "command": "account",
        "coin": args.coin,
        **venue(args),
        "inputs": echoed,
        "price": as_given(args.price, places),
        "price_step": step,
    }
    if outcome.after is None:
        doc.update(account_doc(outcome.before, places, step))
    else:
        doc.update(
            compared(
                account_doc(outcome.before, places, step),
                account_doc(outcome.after, places, step),
                outcome.added,
                places,
            )
        )
    doc.update(alert(args, final))
    doc["hedge"] = _hedge_doc(outcome, places, step)
    doc["rows"] = [_shock_doc(row, places, names) for row in outcome.shocks] if outcome.shocks else None
    return doc
