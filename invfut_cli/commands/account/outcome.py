"""What ``invfut account`` computed, as records the command and its document share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from invfut_cli.inputs.account.model import Addition

if TYPE_CHECKING:
    from invfut_cli.core.account_valuation import AccountResult


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
