"""``stress --contract-type linear|quanto``: shocks applied to a linear or quanto position.

A quanto's risk is two prices: the underlying's (``--move``) moves its PnL, ``s·u·(P' − E)``
coin, and the settlement coin's (``--settle-move``) moves what every coin of it is worth,
``B' = B·(1 + y)``. Liquidation depends on the underlying only (margin and PnL are both in the
coin); the USD figures take both: ``equity_usd = (C + PnL)·B'`` and ``usd_change =
equity_usd − C·B``. The ``i``-th ``--settle-move`` goes with the ``i``-th ``--move`` (one
given alone goes with every move). A named scenario is a move of BTC from history; for a
quanto it is applied to the underlying and to the settlement coin together (they fell and rose
together in each of them), unless ``--settle-move`` is given. A linear position's quote is
taken as 1 USD: it has no second price.
"""

from __future__ import annotations

from decimal import Decimal, localcontext
from typing import Any

from pydantic import model_validator

from invfut_cli import core
from invfut_cli.core.contracts import ContractKind, LinearPayoff
from invfut_cli.core.errors import DomainError
from invfut_cli.core.numbers import CORE_CONTEXT, HUNDRED
from invfut_cli.given import echoed
from invfut_cli.inputs.contract import ContractInput
from invfut_cli.inputs.fields import conflict
from invfut_cli.rounding import coin, coin_up, pct, safe_price, step_for, usd
from invfut_cli.scenarios import Move, ScenarioName, load, names_asked, scenario_doc

from .documents import head, liquidation, rule_keys

Doc = dict[str, Any]


class StressContractInput(ContractInput):
    """A linear or quanto position and its shocks: ``move`` (the underlying), ``settle_move``
    (a quanto's settlement coin), ``scenario`` names; with no move, every scenario."""

    move: tuple[Move, ...] = ()
    settle_move: tuple[Move, ...] = ()
    scenario: tuple[ScenarioName, ...] = ()

    @model_validator(mode="after")
    def _paired(self) -> StressContractInput:
        if self.settle_move and self.kind is ContractKind.LINEAR:
            raise conflict("settle_move", "is for quanto contracts (a linear quote is taken as 1 USD)")
        if self.settle_move and self.settle_price is None:
            raise conflict("settle_move", "needs the settlement coin's price, --settle-price")
        if len(self.settle_move) > 1 and len(self.settle_move) != len(self.move):
            raise conflict(
                "settle_move", f"give one, or one for each --move ({len(self.move)}), not {len(self.settle_move)}"
            )
        return self

    @property
    def scenario_names(self) -> list[str]:
        return names_asked(self.scenario, bool(self.move))

    def shocks(self) -> list[tuple[str | None, Decimal, Decimal]]:
        """``(scenario, underlying move, settlement coin move)``, the moves first."""
        scenarios = load()
        quanto = self.kind is ContractKind.QUANTO
        with localcontext(CORE_CONTEXT):
            settle = list(self.settle_move) * (len(self.move) if len(self.settle_move) == 1 else 1)
            moves = [(None, m, settle[i] if settle else Decimal(0)) for i, m in enumerate(self.move)]
            named = []
            for name in self.scenario_names:
                x = scenarios[name].move_pct / HUNDRED
                y = (self.settle_move[0] if len(self.settle_move) == 1 else x) if quanto else Decimal(0)
                named.append((name, x, y))
        return moves + named


def stress_document(args: StressContractInput) -> Doc:
    """The ``stress`` document of a linear or quanto position (module docstring)."""
    answers = liquidation(args)
    if answers is None:
        raise DomainError("give --leverage or --margin (isolated), or --balance (cross)", "leverage")
    liq, bank = answers
    contract, side, entry, spec = args.contract, args.side_enum, args.entry, args.spec()
    assert isinstance(contract, LinearPayoff)
    collateral = args.collateral
    assert collateral is not None
    places = args.price_places
    step = step_for(args.tick, places)
    shown = safe_price(liq.price_usd, side, step)
    rate = args.settle_price if args.settle_price is not None else Decimal(1)
    usd_known = args.usd_known
    rows = []
    liquidated_count = 0
    reference = args.mark if args.mark is not None else entry
    with localcontext(CORE_CONTEXT):
        start_usd = collateral * rate
        for name, x, y in args.shocks():
            price = reference * (1 + x)
            coin_price = rate * (1 + y)
            pnl = contract.pnl(side, entry, price)
            equity = collateral + pnl
            liquidated = False if shown is None else core.is_liquidated(side, price, shown)
            liquidated_count += bool(liquidated)
            needed = contract.collateral_for(side, entry, price, spec) - collateral
            leverage = contract.effective_leverage(side, entry, collateral, price)
            rows.append(
                {
                    "scenario": name,
                    "move_pct": echoed(HUNDRED * x, 2),  # a move as given (in percent)
                    "price": usd(price, places),
                    "pnl": coin(pnl),
                    "equity": coin(equity),
                    "equity_usd": usd(equity * coin_price, places) if usd_known else None,
                    "effective_leverage": None if liquidated else pct(leverage),
                    "liquidated": liquidated,
                    "margin_to_add": coin_up(needed) if needed > 0 else coin(Decimal(0)),
                    "reason": None,
                    "settle_move_pct": echoed(HUNDRED * y, 2) if args.kind is ContractKind.QUANTO else None,
                    "settle_price": usd(coin_price, places) if args.settle_price is not None else None,
                    "pnl_usd": usd(pnl * coin_price, places) if usd_known else None,
                    "usd_change": usd(equity * coin_price - start_usd, places) if usd_known else None,
                }
            )
        distance = None if liq.price_usd is None else core.change_pct(reference, liq.price_usd)
    doc = head("stress", args)
    doc.update(
        {
            **rule_keys(doc, args, liq, bank, step),
            "reference_price": usd(reference, places),
            "distance_pct": pct(distance),
            "collateral": coin(collateral),
            "initial_margin": coin(None if args.leverage is None else contract.initial_margin(entry, args.leverage)),
            "equity_now": coin(contract.equity(side, entry, collateral, reference)),
            "effective_leverage_now": pct(contract.effective_leverage(side, entry, collateral, reference)),
            "liquidated_count": liquidated_count,
            "reason": liq.reason,
            "bankruptcy_reason": bank.reason,
            "warnings": [],
            "scenarios": [scenario_doc(name) for name in args.scenario_names],
            "rows": rows,
        }
    )
    return doc
