"""The core's public functions: each keeps its own name, and each answers the same whatever
decimal context its caller is in (DOMAIN.md: exact ``Decimal`` in the core). The core's own
functions call each other's bodies, skipping the context check of a wrapped call, because
they run under the core's context already: these tests hold them to that."""

from __future__ import annotations

import decimal
import importlib
import pickle
import types
from decimal import Decimal
from fractions import Fraction

import pytest

from invfut_cli import core
from invfut_cli.core.numbers import CORE_CONTEXT
from invfut_cli.core.position import initial_margin

LONG = core.Position(core.Side.LONG, Decimal(10_000), Decimal(1), Decimal(8000))
SHORT = core.Position(core.Side.SHORT, Decimal(7), Decimal(100), Decimal("29206.1"))
SPEC = core.MaintenanceSpec(rate=Decimal("0.005"), taker_fee=Decimal("0.00075"))
#: A caller's context far coarser than the core's: 6 digits, rounding down.
COARSE = decimal.Context(prec=6, rounding=decimal.ROUND_DOWN)


def _public_functions() -> list[tuple[str, str]]:
    """``(module, name)`` of every public function defined in a module of the core."""
    found = []
    for module_name in sorted({f"invfut_cli.core.{m}" for m in core._HOME.values()}):
        module = importlib.import_module(module_name)
        for name, value in vars(module).items():
            if not name.startswith("_") and isinstance(value, types.FunctionType) and value.__module__ == module_name:
                found.append((module_name, name))
    return found


@pytest.mark.parametrize(("module_name", "name"), _public_functions())
def test_each_public_function_keeps_its_own_name(module_name: str, name: str) -> None:
    """A function the core defines is found again by its name (pickle, the docs, tracebacks)."""
    value = getattr(importlib.import_module(module_name), name)
    assert value.__name__ == name
    assert pickle.loads(pickle.dumps(value)) is value


def answers(context: decimal.Context) -> list[object]:
    """The results of the functions whose bodies call other functions' bodies, in ``context``."""
    with decimal.localcontext(context):
        return [
            core.pnl(LONG, Decimal("9000"), leverage=Decimal(3)),
            core.pnl(SHORT, Decimal("69940.9"), margin_coin=Decimal("0.5")),
            core.net_pnl(LONG, Decimal("7777.7"), open_fee_rate=Decimal("0.00075"), close_fee_rate=Decimal("-0.00025")),
            core.liquidation(LONG, LONG.initial_margin_coin(Decimal(50)), SPEC, leverage=Decimal(50)),
            core.liquidation(SHORT, Decimal("0.0123"), SPEC, leverage=Decimal(33)),
            LONG.initial_margin_coin(Decimal("33.333")),
            initial_margin(Decimal(10_000), Decimal(8000), Decimal("33.333")),
        ]


def test_the_callers_context_changes_no_answer() -> None:
    assert answers(COARSE) == answers(CORE_CONTEXT)


def test_the_answers_are_the_exact_ones() -> None:
    """Spot checks against exact fractions: a 6-digit context would miss these by far more."""
    result = answers(COARSE)[0]
    exact_pnl = 10_000 * (Fraction(1, 8000) - Fraction(1, 9000))
    assert abs(Fraction(result.pnl_coin) - exact_pnl) < Fraction(1, 10**40)
    exact_im = Fraction(10_000) / (8000 * Fraction("33.333"))
    assert abs(Fraction(answers(COARSE)[5]) - exact_im) < Fraction(1, 10**40)
