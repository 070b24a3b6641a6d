"""``leverage --contract-type linear|quanto``: contracts, margin or leverage from the other two,
and how effective leverage drifts with the price.

With ``u = N·k`` (linear) or ``N·M`` (quanto): leverage ``L = u·E/C``, margin ``C = u·E/L``,
contracts ``N = C·L/(k·E)`` (or ``/(M·E)``), rounded down to 10^-8 of a contract. At a price
``P`` the equity is ``C + s·u·(P − E)`` and the effective leverage ``u·P/equity``: a linear
position's coin size is fixed, so a long's leverage falls as the price rises and grows as it
falls, less steeply than an inverse position's, whose coin value ``Q/P`` grows too.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal, localcontext
from typing import Any

from pydantic import model_validator

from invfut_cli import core
from invfut_cli.core.contracts import LinearPayoff
from invfut_cli.core.numbers import CORE_CONTEXT
from invfut_cli.inputs.contract import ContractInput
from invfut_cli.inputs.fields import Count, conflict
from invfut_cli.rounding import coin, pct, safe_price, step_for, usd

from .documents import _echo, head

Doc = dict[str, Any]

#: Contracts solved are shown to this step (rounded down: never more than the margin pays).
CONTRACT_STEP = Decimal("1e-8")


class LeverageContractInput(ContractInput):
    """Two of ``contracts``, ``margin`` (or ``balance``) and ``leverage``; the grid of the drift."""

    contracts: Count | None = None

    @model_validator(mode="after")
    def _two_of_three(self) -> LeverageContractInput:
        collateral = self.margin if self.margin is not None else self.balance
        if self.margin is not None and self.balance is not None:
            raise conflict("balance", "give --margin (isolated) or --balance (cross), not both")
        given = [v for v in (self.contracts, collateral, self.leverage) if v is not None]
        if len(given) != 2:
            option = "leverage" if self.leverage is None else "contracts"
            raise conflict(
                option, f"give exactly two of --contracts, --margin (or --balance) and --leverage; got {len(given)}"
            )
        return self

    @property
    def per_contract(self) -> Decimal:
        """``k`` (linear) or ``M`` (quanto): the margin currency per unit of price of one contract."""
        if self.multiplier is not None:
            return self.multiplier
        return self.contract_size or Decimal(1)


def leverage_document(args: LeverageContractInput) -> Doc:
    """The ``leverage`` document of a linear or quanto position (module docstring)."""
    entry, side = args.entry, args.side_enum
    given = args.margin if args.margin is not None else args.balance
    with localcontext(CORE_CONTEXT):
        if args.contracts is None:
            assert given is not None and args.leverage is not None
            solved = "contracts"
            contracts = (given * args.leverage / (args.per_contract * entry)).quantize(CONTRACT_STEP, ROUND_FLOOR)
            collateral = given
        else:
            contracts = args.contracts
            solved = "leverage" if args.leverage is None else "margin"
            units = contracts * args.per_contract
            collateral = given if given is not None else units * entry / args.leverage
        values = args.model_dump(exclude={"grid"}, exclude_none=True)
        values.update(contracts=contracts, grid=args.grid)
        values.pop("leverage", None)
        values.pop("balance", None)
        values["margin"] = collateral
    position = ContractInput.model_validate(values)
    contract = position.contract
    assert isinstance(contract, LinearPayoff)
    leverage = contract.value(entry) / collateral
    grid = args.grid
    assert grid is not None
    places = max(2, grid.places(entry, args.tick))
    step = step_for(args.tick, places)
    liq = contract.liquidation(side, entry, collateral, position.spec()).price_usd
    shown = safe_price(liq, side, step)
    rows = []
    for price in grid.prices(entry, args.tick):
        liquidated = False if shown is None else core.is_liquidated(side, price, shown)
        drift = contract.effective_leverage(side, entry, collateral, price)
        rows.append(
            {
                "price": usd(price, places),
                "equity": coin(contract.equity(side, entry, collateral, price)),
                "effective_leverage": None if liquidated else pct(drift),
                "liquidated": liquidated,
            }
        )
    doc = head("leverage", position)
    doc["inputs"] = _echo(args, "leverage")
    doc.pop("average_entry", None)
    doc.pop("closed", None)
    doc.update(
        {
            "solved": solved,
            "margin_mode": args.margin_mode,
            "contracts": contracts,
            "leverage": pct(leverage),
            "size_usd": usd(contract.usd(contract.value(entry)), places) if args.usd_known else None,
            "initial_margin": coin(collateral if args.balance is None else contract.initial_margin(entry, leverage)),
            "collateral": coin(collateral),
            "effective_leverage": pct(leverage),
            "liquidation_price": shown,
            "rows": rows,
            "largest_order": None,
        }
    )
    return doc
