"""``account --live``: the venue's book as the account file's data, ``--save``, and the
reconciliation of invfut's liquidation prices with the venue's own (DOMAIN §12)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from invfut_cli.exitcodes import ExitCode

#: A difference between the two liquidation prices above this share of the price is flagged.
FLAG_ABOVE = Decimal("0.01")


def read_live(live: str, values: dict[str, Any], save: str | None) -> tuple[Any, dict[str, Any], Any]:
    """Read ``--live VENUE[:COIN]``: ``(book, account data, source)``; writes ``--save``'s file.
    ``--price`` defaults to the mark the venue reported with the positions (else ``live``: its
    mark now) and ``--exchange`` to the venue."""
    from invfut_cli.inputs.account.file import AccountSource
    from invfut_cli.inputs.live import source_doc
    from invfut_cli.live import LiveError, LiveMark
    from invfut_cli.live.positions import read_book

    name, _, coin = live.strip().lower().partition(":")
    given = values.get("exchange")
    given = getattr(given, "value", given)
    if given not in (None, name):
        raise LiveError(f"--live {name} with --exchange {given}: give one venue", ExitCode.USAGE, "--live")
    values["exchange"] = name
    book = read_book(name, (coin or "BTC").upper(), timeout=values.get("timeout", 10.0))
    data = book.account_data()
    if not data["position"]:
        raise LiveError(f"{name}: no open inverse {book.coin} position to show", ExitCode.USAGE, "--live")
    if values.get("price") is None:  # the mark the venue reported with the positions
        marked = next((p for p in book.positions if p.mark is not None), None)
        if marked is None:
            values["price"] = "live"
        else:
            values["price"] = marked.mark
            book.mark_source = source_doc(LiveMark(name, marked.symbol, marked.mark, None))
    if save is not None:
        write_account(Path(save), data)
    return book, data, AccountSource(f"{name} (live)")


def write_account(path: Path, data: dict[str, Any]) -> None:
    """The account file ``account FILE`` reads: JSON for ``.json``, else TOML (never a key)."""
    from invfut_cli.errors import ConfigError

    if path.suffix.lower() == ".json":
        import json

        text = json.dumps(data, default=str, indent=2) + "\n"
    elif path.suffix.lower() == ".toml":
        lines = [f'exchange = "{data["exchange"]}"', f'coin = "{data["coin"]}"', f"balance = {data['balance']}"]
        for entry in data["position"]:
            lines += ["", "[[position]]"]
            for key, value in entry.items():
                lines.append(f'{key} = "{value}"' if isinstance(value, str) else f"{key} = {value}")
        text = "\n".join(lines) + "\n"
    else:
        raise ConfigError(path, "--save writes a .toml or .json file")
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ConfigError(path, f"cannot be written: {exc.strerror or exc}") from None


def reconcile(book: Any, doc: dict[str, Any], step: Decimal) -> dict[str, Any]:
    """``venue_positions``: each position with the venue's liquidation price beside invfut's,
    the difference in price steps and in percent of the price, flagged above 1%;
    ``skipped``: the positions not read, with the reason."""
    account = doc.get("before") or doc
    rows = {row["name"]: row for row in account.get("positions") or []}
    price = Decimal(str(doc["price"]))
    out = []
    for p in book.positions:
        row = rows.get(p.symbol, {})
        ours = (
            row.get("liquidation_price") if row.get("margin_mode") == "isolated" else account.get("liquidation_price")
        )
        theirs = p.liquidation
        estimate = book.venue == "deribit"
        if estimate and ours is None:  # Deribit has no liquidation price: both sides are estimates
            ours = deribit_estimate(book, p, step)
        difference = steps = pct = None
        if ours is not None and theirs is not None:
            difference = Decimal(str(ours)) - theirs
            steps = int((difference / step).to_integral_value(ROUND_HALF_UP))
            pct = (100 * difference / price).quantize(Decimal("0.01"), ROUND_HALF_UP) + 0  # no -0.00
        out.append(
            {
                "name": p.symbol,
                "side": p.side,
                "contracts": p.contracts,
                # as the venue sent it, to the price step (nearest); the difference is from its exact text
                "venue_liquidation_price": None if theirs is None else nearest(theirs, step),
                "liquidation_price": ours,
                "difference_steps": steps,
                "difference_pct": pct,
                "flagged": pct is not None and abs(pct) > 100 * FLAG_ABOVE,
                "venue_estimate": estimate,
                "difference_reason": _reason(book, steps),
            }
        )
    return {"venue_positions": out, "skipped": list(book.skipped)}


def deribit_estimate(book: Any, p: Any, step: Decimal) -> Decimal | None:
    """invfut's estimate for a Deribit position, as ``liq-price --exchange deribit`` gives it:
    the price where an account holding only this position, the balance as its collateral,
    meets the size-dependent maintenance margin; rounded toward safety to ``step``."""
    from invfut_cli import core
    from invfut_cli.rounding import safe_price
    from invfut_cli.venues import get

    contract = get("deribit").contract(book.coin)
    rates = contract.size_margins
    side = core.Side(p.side)
    position = core.Position(side, p.contracts, contract.contract_size_usd, p.entry)
    answer = core.size_dependent_liquidation(
        position, book.balance, maintenance_base=rates.maintenance_base, slope_per_coin=rates.slope_per_coin
    )
    return safe_price(answer.price.price_usd, side, step)


#: Why a venue's liquidation price differs from invfut's, where the venue's method is known.
REASONS = {
    "deribit": (
        "both are estimates: Deribit liquidates step by step at account level, and its estimate is the "
        "account's estimated_liquidation_ratio times the mark, counting the maintenance margin of every "
        "position of the currency (options too); invfut's counts this position alone on the whole balance"
    ),
    "kraken": (
        "Kraken's triggerEstimates are whole dollars for the account (all its positions together), "
        "invfut's is to the tick and rounded toward safety"
    ),
}


def _reason(book: Any, steps: int | None) -> str | None:
    """The known cause of a difference of at least one step (``None`` without one)."""
    if steps is None or steps == 0:
        return None
    return REASONS.get(book.venue)


def nearest(price: Decimal, step: Decimal) -> Decimal:
    """``price`` to the nearest multiple of ``step`` (a half away from zero), written to the step."""
    return ((price / step).to_integral_value(ROUND_HALF_UP) * step).quantize(step)
