"""A command's option values: named as the options are, gathered (a price grid), checked for
a unit slip, and validated into the command's input model with the configured defaults."""

from __future__ import annotations

import sys
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import ValidationError

from .config import settings
from .errors import ConfigError

if TYPE_CHECKING:
    from .inputs.fields import Model

M = TypeVar("M", bound="Model")

#: Parameters that choose the output, not the question; and typer names that differ from the option.
OUTPUT_PARAMETERS = frozenset({"explain", "as_json", "fmt", "plot", "plot_file", "fields"})
RENAMED = {"exit_": "exit", "from_": "from"}


def option_values(parameters: dict[str, Any]) -> dict[str, Any]:
    """A command's parameters as option values, by option name (``--exit`` is ``exit``)."""
    return {RENAMED.get(k, k): v for k, v in parameters.items() if k not in OUTPUT_PARAMETERS}


#: The options that make a price grid (``leverage`` and ``ladder``).
GRID_KEYS = ("from", "to", "step", "steps", "pct", "pct_step")


def with_grid(values: dict[str, Any]) -> dict[str, Any]:
    """``values`` with the grid options gathered under ``grid``."""
    from .inputs.grid import GridInput

    grid = {k: values.pop(k) for k in GRID_KEYS if k in values}
    return {**values, "grid": build(GridInput, **grid)}


def build(model: type[M], **values: Any) -> M:
    """Validate the given option values (``None`` means not given) into ``model``.

    An option not given takes its configured default (config file, ``INVFUT_*``), where
    ``model`` has that field.
    """
    given = {k: (v.value if isinstance(v, Enum) else v) for k, v in values.items() if v is not None}
    for key in _repeatable(model).intersection(given):
        if not isinstance(given[key], list | tuple):  # one value where an option repeats (a batch line)
            given[key] = [given[key]]
    configured = [k for k in settings() if k in model.model_fields and k not in given]
    for key in configured:
        given[key] = settings()[key]
    try:
        return model.model_validate(given)
    except ValidationError as exc:
        if configured:
            _blame_config(exc, configured)
        raise


#: The fields of each model that a repeatable option fills, found once per model.
_REPEATABLE: dict[type, frozenset[str]] = {}


def _repeatable(model: type[Model]) -> frozenset[str]:
    """The fields of ``model`` that a repeatable option fills (``--fill``, ``--close``,
    ``--move``): tuples, to which one value given alone belongs as the only item."""
    found = _REPEATABLE.get(model)
    if found is None:
        import typing

        found = _REPEATABLE[model] = frozenset(
            name for name, field in model.model_fields.items() if typing.get_origin(field.annotation) is tuple
        )
    return found


def _blame_config(exc: ValidationError, configured: list[str]) -> None:
    """Raise a :class:`ConfigError` naming the file (or variable) and key when a configured
    default, not an option the user typed, is what failed."""
    from .config import source
    from .inputs.fields import error_lines

    for (_option, message), err in zip(error_lines(exc), exc.errors(include_url=False), strict=False):
        names = [str(part) for part in err["loc"]] + [str((err.get("ctx") or {}).get("option", ""))]
        key = next((k for k in configured if k in names), None)
        if key is not None:
            raise ConfigError(source(key), message) from None


def note_unit_slip(command: str, option: str, given: str | list[str] | None, limit: Decimal) -> None:
    """One stderr note for a bare number that is almost certainly a unit slip: a fraction
    option (``0.5`` is 50%) given a number of percent (``--target-roe 100`` is 10,000%). It is
    read as written; the note says how, and how to write what was probably meant."""
    from .inputs.fields import split_percent

    for text in [given] if isinstance(given, str) else given or []:
        parsed = split_percent(text)
        if parsed is None or parsed[1] or abs(parsed[0]) < limit:
            continue
        percent = f"{(parsed[0] * 100).normalize():,f}"
        sys.stderr.write(
            f"invfut {command}: note: {option} {text.strip()} is read as a fraction, {percent}%; "
            f"for {text.strip()}% write {option} {text.strip()}%\n"
        )
