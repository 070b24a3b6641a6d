"""Named stress scenarios: the data file ``scenarios.toml``, validated into pydantic models.

A scenario is one move of the price, in percent, from BTC/USD history, with its dates, what
the figure measures and where it comes from. Loaded only by ``invfut stress``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, model_validator

from .datafile import load_toml, parse_toml, validate
from .errors import PresetError
from .models import Model

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
