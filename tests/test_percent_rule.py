"""The percent rule, on every option it covers: ``N%`` is always N percent, and a bare number
is read in the unit the option's metavar names (docs/REFERENCE.md, "Percentages and rates").

A percentage option given ``N%`` answers exactly as given ``N``; a rate or fraction option
given ``N%`` answers as given ``N/100``. The first test walks the app, so an option added
later with a number type (which refuses ``%`` before it is read) fails here.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from conftest import ROOT, run_cli

from invfut_cli.app import app_for

#: The metavars of the options a percent sign may be given to.
PERCENT_METAVARS = frozenset({"PCT", "RATE", "FEE", "RATIO", "MOVE"})
ACCOUNT = str(ROOT / "examples" / "account.toml")


def _takes_text(annotation: Any) -> bool:
    """Whether an option's value reaches the command as text (``str``, or a list of them)."""
    import typing

    return annotation is str or any(_takes_text(arg) for arg in typing.get_args(annotation))


def _options() -> list[tuple[str, str, Any]]:
    import typer

    from invfut_cli.registry import REGISTRY

    found = []
    for name in REGISTRY:
        group = typer.main.get_command(app_for([name]))
        command = group.commands[name]  # type: ignore[attr-defined]
        for param in command.params:
            if param.metavar in PERCENT_METAVARS:
                found.append((name, param.opts[0], param.type_descriptor.annotation))
    return found


def test_target_roe_is_named_a_rate_as_it_is_read() -> None:
    """``--target-roe 0.5`` is 50%: its metavar says RATE (it said PCT, the percent unit)."""
    assert ("pnl", "--target-roe", "RATE") in [(n, o, m) for n, o, m in _metavars()]


def _metavars() -> list[tuple[str, str, str]]:
    import typer

    from invfut_cli.registry import REGISTRY

    return [
        (name, param.opts[0], param.metavar)
        for name in REGISTRY
        for param in typer.main.get_command(app_for([name])).commands[name].params  # type: ignore[attr-defined]
        if param.opts
    ]


def test_every_percent_or_rate_option_reaches_the_percent_reader() -> None:
    options = _options()
    assert len(options) >= 15
    typed = [(name, opt) for name, opt, annotation in options if not _takes_text(annotation)]
    assert typed == [], "these options refuse 'N%' before the percent rule reads it"


def _answer(*args: str) -> Any:
    done = run_cli(*args, "--json")
    assert done.exit_code in (0, 4), done.stderr
    return json.loads(done.stdout, parse_float=Decimal)


POSITION = ("--side", "long", "--entry", "8000", "--contracts", "10000", "--leverage", "10")


@pytest.mark.parametrize(
    ("args", "percent", "bare"),
    [
        (("ladder", *POSITION), ("--pct", "20%", "--pct-step", "5%"), ("--pct", "20", "--pct-step", "5")),
        (("hedge", "--holding", "1", "--price", "8000"), ("--pct", "20%"), ("--pct", "20")),
        (("liq-price", *POSITION, "--mark", "7500"), ("--fail-within", "5%"), ("--fail-within", "5")),
        (("account", ACCOUNT, "--price", "60000"), ("--fail-within", "5%"), ("--fail-within", "5")),
        (("liq-price", *POSITION), ("--mmr", "0.5%"), ("--mmr", "0.005")),
        (("stress", *POSITION), ("--move", "-30%"), ("--move", "-0.3")),
        (("pnl", *POSITION), ("--target-roe", "50%"), ("--target-roe", "0.5")),
    ],
)
def test_n_percent_answers_as_the_option_s_unit_says(
    args: tuple[str, ...], percent: tuple[str, ...], bare: tuple[str, ...]
) -> None:
    with_sign, without = _answer(*args, *percent), _answer(*args, *bare)
    with_sign.pop("inputs", None), without.pop("inputs", None)
    assert with_sign == without
