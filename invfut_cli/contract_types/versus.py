"""``ladder --versus linear|quanto``: the same dollar exposure held as another contract type,
row by row beside the inverse position, and the seeds' comparison with this position's numbers.

The same dollars: ``Q`` USD at ``E`` is ``q = Q/E`` coin of linear contracts, or ``u = Q/(E·B)``
of a quanto (``N = u/M`` contracts). The same margin in USD at entry: an inverse collateral
of ``C`` coin is ``C·E`` of the quote (linear) or ``C·E/B`` of the settlement coin (quanto).
The liquidation rule is the inverse position's (rate, basis, deduction). A quanto's settlement
coin keeps the price ``B`` (``--settle-price``) along the grid.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal, localcontext
from typing import Any

from invfut_cli import core
from invfut_cli.contract_types.documents import units_shown
from invfut_cli.core.contracts import ContractKind, LinearPayoff, same_dollars
from invfut_cli.core.errors import DomainError
from invfut_cli.core.numbers import CORE_CONTEXT
from invfut_cli.inputs.fields import CoinName, Model, Multiplier, Price
from invfut_cli.rounding import coin, pct, safe_price, usd

Doc = dict[str, Any]


def take(values: dict[str, Any]) -> dict[str, Any] | None:
    """Take ``--versus`` (and, for a quanto, ``--multiplier`` and ``--settle-price``) out of a
    ladder's option values; ``None`` without ``--versus``."""
    versus = values.pop("versus", None)
    if versus is None:
        return None
    kind = getattr(versus, "value", versus)
    if kind not in ("linear", "quanto"):
        raise DomainError(f"--versus takes linear or quanto (got {kind})", "versus")
    chosen = {"kind": kind, "quote": values.pop("quote", None)}
    if kind == "quanto":
        chosen["multiplier"] = values.pop("multiplier", None)
        chosen["settle_price"] = values.pop("settle_price", None)
        if chosen["multiplier"] is None:
            raise DomainError("--versus quanto needs a positive --multiplier", "multiplier")
        if chosen["settle_price"] is None:
            raise DomainError("--versus quanto needs the settlement coin's price, --settle-price", "settle_price")
    # A batch line gives these as text or JSON numbers: read them as the options are.
    from invfut_cli.option_values import build

    read = build(VersusInput, **{k: v for k, v in chosen.items() if k != "kind"})
    return {"kind": kind, **read.model_dump(mode="python")}


class VersusInput(Model):
    """The other contract's options: its quote (linear), multiplier and settlement coin's price (quanto)."""

    quote: CoinName | None = None
    multiplier: Multiplier | None = None
    settle_price: Price | None = None


class Versus:
    """The other contract of ``ladder --versus``, built from the inverse ladder's input."""

    def __init__(self, args: Any, chosen: dict[str, Any]) -> None:
        self.args = args
        self.kind = ContractKind(chosen["kind"])
        entry = args.entry
        size_usd = args.position.size_usd
        if self.kind is ContractKind.LINEAR:
            self.currency, rate = (chosen.get("quote") or "USDT").strip().upper(), Decimal(1)
        else:
            self.currency, rate = args.coin, chosen["settle_price"]
        self.multiplier = chosen.get("multiplier")
        self.rate = rate
        self.contract = same_dollars(self.kind, size_usd, entry, self.currency, rate)
        assert isinstance(self.contract, LinearPayoff)
        with localcontext(CORE_CONTEXT):
            collateral = args.collateral
            self.collateral = None if collateral is None else collateral * entry / rate
        self.spec = args.spec()
        side = core.Side(args.side)
        self.side = side
        if self.collateral is None:
            self.liquidation = self.bankruptcy = None
        else:
            self.liquidation = self.contract.liquidation(side, entry, self.collateral, self.spec).price_usd
            self.bankruptcy = self.contract.bankruptcy(side, entry, self.collateral, self.spec).price_usd

    def row(self, price: Decimal, places: int, step: Decimal) -> Doc:
        """The versus keys at ``price``."""
        contract, side, entry = self.contract, self.side, self.args.entry
        pnl = contract.pnl(side, entry, price)
        shown = safe_price(self.liquidation, side, step)
        liquidated = None
        leverage = equity_usd = None
        if self.collateral is not None:
            equity_usd = usd(contract.usd(contract.equity(side, entry, self.collateral, price)), places)
            liquidated = False if shown is None else core.is_liquidated(side, price, shown)
            leverage = None if liquidated else contract.effective_leverage(side, entry, self.collateral, price)
        return {
            "versus_pnl": coin(pnl),
            "versus_pnl_usd": usd(contract.usd(pnl), places),
            "versus_equity_usd": equity_usd,
            "versus_effective_leverage": pct(leverage),
            "versus_liquidated": liquidated,
        }

    def summary(self, rows: list[Doc], doc: Doc, places: int, step: Decimal) -> Doc:
        """``versus``: the other contract, its margin and prices, and the seeds' comparison."""
        contract = self.contract
        assert isinstance(contract, LinearPayoff)
        first, last = (rows[0], rows[-1]) if rows else ({}, {})
        inverse_coin = doc["coin"]

        def moves(key: str) -> str:
            a, b = first.get(key), last.get(key)
            shown = [f"{x}x" if x is not None else "liquidated" for x in (a, b)]
            return f"{shown[0]} at {first.get('price')} to {shown[1]} at {last.get('price')}"

        contracts = None
        if self.multiplier is not None:
            with localcontext(CORE_CONTEXT):
                contracts = contract.units / self.multiplier
        return {
            "contract_type": self.kind.value,
            "margin_currency": self.currency,
            "units": units_shown(contract.units),
            "contracts": None if contracts is None else usd(contracts, 8),
            "settle_price": None if self.kind is ContractKind.LINEAR else self.rate,
            "collateral": coin(self.collateral),
            "liquidation_price": safe_price(self.liquidation, self.side, step),
            "bankruptcy_price": safe_price(self.bankruptcy, self.side, step),
            "comparison": [
                {
                    "aspect": "margin currency",
                    "inverse": f"{inverse_coin} (the coin itself)",
                    "other": self.currency,
                },
                {
                    "aspect": "value fixed in",
                    "inverse": f"USD: {doc['size_usd']} USD, worth Q/P {inverse_coin}",
                    "other": f"coin: {coin(contract.units)} {doc['coin']}, worth q·P {self.currency}"
                    if self.kind is ContractKind.LINEAR
                    else f"{self.currency} per USD of price: {contract.units}, worth u·P {self.currency}",
                },
                {
                    "aspect": "effective leverage",
                    "inverse": moves("effective_leverage"),
                    "other": moves("versus_effective_leverage"),
                },
            ],
        }


class VersusRows:
    """The inverse ladder's rows with the versus keys added, computed as they are read."""

    def __init__(self, rows: Any, versus: Versus, places: int, step: Decimal) -> None:
        self.rows, self.versus, self.places, self.step = rows, versus, places, step

    def __iter__(self) -> Iterator[Doc]:
        for row in self.rows:
            yield {**row, **self.versus.row(row["price"], self.places, self.step)}


def add_versus(doc: Doc, args: Any, chosen: dict[str, Any]) -> Doc:
    """``doc`` (an inverse ladder) with the versus keys in each row and mark, and ``versus``."""
    from invfut_cli.rounding import step_for

    places = max(args.price_places, args.grid.places(args.entry, args.tick))
    step = step_for(args.tick, places)
    versus = Versus(args, chosen)
    rows = list(VersusRows(doc["rows"], versus, places, step))
    marks = [{**m, **versus.row(m["price"], places, step)} for m in doc["marks"]]
    return {**doc, "marks": marks, "rows": rows, "versus": versus.summary(rows, doc, places, step)}
