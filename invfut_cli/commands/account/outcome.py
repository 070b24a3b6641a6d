"""What ``invfut account`` computed, as records the command and its document share."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from invfut_cli.core.account_valuation import AccountResult


@dataclass(frozen=True)
class Addition:
    """``--add SIDE:CONTRACTS@PRICE``: a prospective cross position."""

    side: str
    contracts: Decimal
    price: Decimal


@dataclass(frozen=True)
class AccountOutcome:
    """What the command computed: the account (before any ``--add``), the account with the
    orders, the shocks (applied to the final account), and the hedge advice."""

    before: AccountResult
    after: AccountResult | None
    added: tuple[Addition, ...]
    shocks: tuple[Any, ...]
    hedge: Any
    hedged: AccountResult | None
