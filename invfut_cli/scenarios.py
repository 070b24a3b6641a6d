"""Named stress scenarios: the data file ``scenarios.toml``, validated into pydantic models.

A scenario is one move of the price, in percent, from BTC/USD history, with its dates, what
the figure measures and where it comes from; and the field types of ``--move`` and
``--scenario``. Loaded by ``invfut stress`` and ``invfut account``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, Field, model_validator
from pydantic_core import PydanticCustomError

from .datafile import load_toml, parse_toml, validate
from .errors import PresetError
from .inputs.fields import FractionOrPercent, Model

SCENARIOS_FILE = Path(__file__).with_name("scenarios.toml")

#: ``--scenario all`` runs every scenario.
ALL = "all"

ScenarioKey = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=40)]


class ScenarioError(PresetError):
    """The scenario data file is broken: names the file and the key at fault."""


class Scenario(Model):
    """One historical move."""

    title: str
    start: date
    end: date
    move_pct: Annotated[Decimal, Field(gt=-100, le=1000, allow_inf_nan=False)]
    measure: str
    extreme_usd: Annotated[Decimal, Field(gt=0, allow_inf_nan=False)] | None = None
    sources: Annotated[list[str], Field(min_length=1)]
    note: str = ""

    @model_validator(mode="after")
    def _dates_in_order(self) -> Scenario:
        if self.end < self.start:
            raise ValueError("end is before start")
        return self


class ScenarioFile(Model):
    """The whole file: scenarios by name, in the file's order."""

    scenarios: dict[ScenarioKey, Scenario]

    @model_validator(mode="after")
    def _not_all(self) -> ScenarioFile:
        if ALL in self.scenarios:
            raise ValueError(f"'{ALL}' is reserved for every scenario")
        return self


def parse(text: str, path: Path = SCENARIOS_FILE) -> dict[str, Scenario]:
    """Validate scenario TOML ``text``; a problem raises :class:`ScenarioError` naming file and key."""
    raw = parse_toml(text, path, error=ScenarioError)
    return validate(ScenarioFile, raw, path, error=ScenarioError, under="scenarios").scenarios


@cache
def load(path: Path = SCENARIOS_FILE) -> dict[str, Scenario]:
    """The scenarios shipped with invfut (read once)."""
    raw = load_toml(path, error=ScenarioError)
    return validate(ScenarioFile, raw, path, error=ScenarioError, under="scenarios").scenarios


def _move_range(value: Decimal) -> Decimal:
    """A move the price can make: above −100%, at most +10000%."""
    if value <= -1:
        raise PydanticCustomError(
            "move_range",
            "a fall of 100% or more takes the price to zero or below (a move is a fraction or a percentage: -30%)",
        )
    if value > 100:
        raise PydanticCustomError("move_range", "a rise is at most 10000% (100)")
    return value


def _scenario_name(value: str) -> str:
    """A scenario of the data file, or ``all``."""
    name = value.strip().lower()
    known = load()
    if name != ALL and name not in known:
        raise PydanticCustomError(
            "unknown_scenario",
            "unknown scenario; the scenarios are {names}, or all",
            {"names": ", ".join(known)},
        )
    return name


#: ``--move``: a fraction or a percentage of the price (``-0.3``, ``-30%``).
Move = Annotated[FractionOrPercent, AfterValidator(_move_range)]


#: ``--scenario``: a scenario's name, or ``all``.
ScenarioName = Annotated[str, AfterValidator(_scenario_name)]


def names_asked(scenario: Sequence[str], moved: bool) -> list[str]:
    """The scenarios asked for, in order, each once: every one for ``all``, or when no
    scenario and no move (``moved``) is asked for."""
    names: list[str] = []
    for name in scenario or ((ALL,) if not moved else ()):
        for one in load() if name == ALL else [name]:
            if one not in names:
                names.append(one)
    return names


def scenario_doc(name: str) -> dict[str, Any]:
    """A scenario as a ``stress`` document lists it: its title, dates, move, measure, extreme
    and sources."""
    one = load()[name]
    return {
        "name": name,
        "title": one.title,
        "start": one.start.isoformat(),
        "end": one.end.isoformat(),
        "move_pct": one.move_pct,
        "measure": one.measure,
        "extreme_usd": one.extreme_usd,
        "sources": one.sources,
    }
