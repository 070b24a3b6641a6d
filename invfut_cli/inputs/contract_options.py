"""The options of ``--contract-type`` and of linear and quanto contracts (DOMAIN.md §15): the
typer option types, and :func:`split`, which takes them out of a command's values. Light to
import (typer only): every position command's module reads it when ``invfut --help`` is
built; the input a linear or quanto position is validated into is in :mod:`.contract`,
imported only when one is asked for."""

from __future__ import annotations

import enum
from decimal import Decimal
from typing import Annotated, Any

import typer

from invfut_cli.core.errors import DomainError

#: The help panel of these options.
CONTRACT = "Contract type"


class ContractTypeName(enum.StrEnum):
    """``--contract-type``: what the contracts are (inverse is today's model)."""

    inverse = "inverse"
    linear = "linear"
    quanto = "quanto"


class VersusName(enum.StrEnum):
    """``ladder --versus``: the contract the same dollars are compared in."""

    linear = "linear"
    quanto = "quanto"


ContractTypeOpt = Annotated[
    ContractTypeName | None,
    typer.Option(
        "--contract-type",
        help="inverse (USD contracts, margined in the coin), linear (coin contracts, margined in --quote) "
        "or quanto (--multiplier, settled in --coin). (default: inverse)",
        metavar="inverse|linear|quanto",
        case_sensitive=False,
        rich_help_panel=CONTRACT,
    ),
]
MultiplierOpt = Annotated[
    Decimal | None,
    typer.Option(
        "--multiplier",
        help="Quanto: settlement coin per USD of the underlying's price, per contract (BitMEX ETHUSD: 0.000001).",
        metavar="COIN",
        rich_help_panel=CONTRACT,
    ),
]
QuoteOpt = Annotated[
    str | None,
    typer.Option(
        "--quote",
        help="Linear: the quote currency margin and PnL are paid in, taken as worth 1 USD. (default: USDT)",
        metavar="SYMBOL",
        rich_help_panel=CONTRACT,
    ),
]
SettlePriceOpt = Annotated[
    Decimal | None,
    typer.Option(
        "--settle-price",
        help="Quanto: the settlement coin's USD price, for the USD figures (and ladder --versus quanto).",
        metavar="PRICE",
        rich_help_panel=CONTRACT,
    ),
]
VersusOpt = Annotated[
    VersusName | None,
    typer.Option(
        "--versus",
        help="Add the same dollar exposure held as a linear (or quanto, with --multiplier) contract to each row.",
        metavar="linear|quanto",
        case_sensitive=False,
        rich_help_panel=CONTRACT,
    ),
]

#: The option values that choose the contract type, taken out before an inverse command runs.
CONTRACT_KEYS = ("contract_type", "multiplier", "quote", "settle_price")

#: Options of an inverse position that a linear or quanto one does not take (yet).
INVERSE_ONLY = (
    "fill", "close", "size_usd", "size_coin", "entry_fee", "exit_fee", "funding", "periods", "hours",
    "target_roe", "target_pnl", "target_usd", "target_liquidation", "sensitivities",
    # The model probability of liquidation (DOMAIN.md §14) is an inverse position's.
    "vol", "vol_from", "horizon", "drift", "max_probability",
)  # fmt: skip


def split(values: dict[str, Any]) -> dict[str, Any] | None:
    """Take the contract-type options out of ``values``: ``None`` for an inverse position (the
    command runs as it always has), else the options of the linear or quanto one. A linear or
    quanto option given to an inverse contract is an error naming it."""
    chosen = {key: values.pop(key, None) for key in CONTRACT_KEYS}
    kind = chosen["contract_type"]
    kind = kind.value if isinstance(kind, enum.Enum) else kind
    if kind in (None, "inverse"):
        for key in ("multiplier", "quote", "settle_price"):
            if chosen[key] is not None:
                option = "--" + key.replace("_", "-")
                raise DomainError(f"{option} is for --contract-type linear or quanto, not inverse", key)
        return None
    return {**chosen, "contract_type": kind}
