"""The one reader of invfut's TOML data files: the presets, the stress scenarios, the config
file and account files. A problem raises one error type, :class:`~invfut_cli.errors.DataFileError`
(or the subclass the caller names), whose message names the file and the key at fault.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .errors import DataFileError

if TYPE_CHECKING:
    from pydantic import BaseModel

M = TypeVar("M", bound="BaseModel")


def parse_toml(
    text: str,
    path: object,
    *,
    error: type[DataFileError] = DataFileError,
    parse_float: Callable[[str], Any] = float,
) -> dict[str, Any]:
    """The TOML ``text`` of the file ``path`` as a dict (``parse_float`` reads floats: give
    ``Decimal`` for exact ones); a syntax error raises ``error``: ``PATH: not valid TOML: …``."""
    import tomllib

    try:
        return tomllib.loads(text, parse_float=parse_float)
    except tomllib.TOMLDecodeError as exc:
        raise error(path, f"not valid TOML: {exc}") from None


def load_toml(
    path: Path,
    *,
    error: type[DataFileError] = DataFileError,
    parse_float: Callable[[str], Any] = float,
) -> dict[str, Any]:
    """The TOML file at ``path`` as a dict; a file that cannot be read or parsed raises
    ``error`` naming it (``PATH: cannot be read: …``, ``PATH: not valid TOML: …``)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise error(path, f"cannot be read: {exc.strerror}") from None
    return parse_toml(text, path, error=error, parse_float=parse_float)


def validate(
    model: type[M],
    data: dict[str, Any],
    path: object,
    *,
    error: type[DataFileError] = DataFileError,
    under: str | None = None,
) -> M:
    """``data`` validated as ``model``; the first problem raises ``error`` naming the file and
    the dotted key (``bybit.coins.BTC.tick``; ``(top level)`` for the file as a whole). With
    ``under``, the file's data is the model's field of that name (the key leaves it out)."""
    from pydantic import ValidationError

    try:
        return model.model_validate(data if under is None else {under: data})
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        loc = err["loc"][1:] if under is not None else err["loc"]
        key = ".".join(str(part) for part in loc) or "(top level)"
        raise error(path, err["msg"].removeprefix("Value error, "), key) from None
