"""The one reader of invfut's data files: the presets, the stress scenarios, the config file,
account files (TOML or JSON) and ``batch`` lines (JSON). A problem raises one error type,
:class:`~invfut_cli.errors.DataFileError` (or the subclass the caller names), whose message
names the file and the key (or line) at fault.

Every file is read bounded, and hostile content is refused with one line, never a
traceback: a file larger than :data:`MAX_FILE_BYTES` (read no further than that), nesting
deeper than :data:`MAX_DEPTH` levels, ``NaN`` or an infinity, and (JSON) a key given twice
in one object. :func:`read_bounded`, :func:`parse_json` and :func:`parse_toml` do it for
any reader of a file (candle files too).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

from .errors import DataFileError

if TYPE_CHECKING:
    from pydantic import BaseModel

M = TypeVar("M", bound="BaseModel")


#: The largest data file read (an account file of 100,000 positions is about 10 MB).
MAX_FILE_BYTES = 32 << 20
#: The deepest nesting of tables, arrays and objects taken (an account file needs 3).
MAX_DEPTH = 32


class Hostile(ValueError):
    """What is wrong with a file's content (its text; the caller names the file)."""


def read_bounded(source: Path | IO[bytes], limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of ``source`` (a path, or a binary stream such as stdin), reading no more than
    ``limit`` + 1 of them; more than ``limit`` raises :class:`Hostile`. An ``OSError`` passes."""
    if isinstance(source, Path):
        with source.open("rb") as stream:
            data = stream.read(limit + 1)
    else:
        data = source.read(limit + 1)
    if len(data) > limit:
        raise Hostile(f"larger than {limit:,} bytes: not read")
    return data


def _constant(text: str) -> Any:
    """Refuse ``text``, a NaN or an infinity (JSON's ``NaN``, ``Infinity``; TOML's ``nan``, ``inf``)."""
    raise Hostile(f"{text} is not a number invfut takes (NaN and infinities are refused)")


def _finite(read: Callable[[str], Any]) -> Callable[[str], Any]:
    def number(text: str) -> Any:
        if text.lstrip("+-").lower() in ("nan", "inf", "infinity"):
            _constant(text)
        return read(text)

    return number


class _Twice(Hostile):
    """A key given twice in one object (:func:`parse_json` says which, and on which line)."""


def _twice(key: str) -> str:
    return f"key {key!r} is given twice in one object"


def _repeat(text: str) -> tuple[str, int] | None:
    """The first key of JSON ``text`` given again in the object that holds it, and the line of
    that repeat; ``None`` if there is none."""
    import json
    import re

    objects: list[set[str] | None] = []  # the keys seen in each object open (None: an array)
    for match in re.finditer(r'("(?:[^"\\]|\\.)*")\s*(:)?|[][{}]', text):
        token = match.group()
        if token == "{":
            objects.append(set())
        elif token == "[":
            objects.append(None)
        elif token in "]}":
            objects.pop()
        elif match.group(2) and objects and (keys := objects[-1]) is not None:
            key = json.loads(match.group(1))
            if key in keys:
                return key, text.count("\n", 0, match.start()) + 1
            keys.add(key)
    return None


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data = dict(pairs)
    if len(data) != len(pairs):
        seen: set[str] = set()
        twice = next(key for key, _ in pairs if key in seen or seen.add(key))  # type: ignore[func-returns-value]
        raise _Twice(_twice(twice))
    return data


def depth_of(value: Any, limit: int = MAX_DEPTH) -> int:
    """How deep ``value`` nests (a scalar 0, ``[]`` 1), counted without recursion, up to
    ``limit`` + 1."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list | tuple):
            level += 1
            deepest = max(deepest, level)
            if deepest > limit:
                return deepest
            stack.extend((child, level) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def _shallow(data: Any) -> Any:
    if depth_of(data) > MAX_DEPTH:
        raise Hostile(f"nested more than {MAX_DEPTH} levels deep")
    return data


#: JSON numbers are exact decimals (whole ones too: Python's ``int`` refuses more than 4,300
#: digits, a ``Decimal`` takes any, and the models' ranges refuse what is too large); NaN and
#: infinities are refused, and so is a key given twice in one object.
def _decoder(check_keys: bool = True) -> Any:
    import json
    from decimal import Decimal

    hook = _unique if check_keys else None
    return json.JSONDecoder(parse_float=Decimal, parse_int=Decimal, parse_constant=_constant, object_pairs_hook=hook)


_JSON: Any = None
#: The decoder without the key check: a flat object read with it is checked by counting colons.
_FLAT: Any = None


def parse_json(text: str) -> Any:
    """JSON ``text`` (numbers with a point as ``Decimal``); hostile content raises
    :class:`Hostile` naming the line where known, a syntax error ``json.JSONDecodeError``."""
    global _JSON, _FLAT
    if _JSON is None:
        _JSON, _FLAT = _decoder(), _decoder(check_keys=False)
    try:
        data = _FLAT.decode(text)
        # Every key is followed by a colon, and a colon outside a string follows a key: a text
        # with no more colons than the top object has keys has no key given twice and no
        # nested object (a batch line). Anything else is read again with each object's keys
        # checked (about a microsecond a line less than always checking them).
        if type(data) is not dict or text.count(":") != len(data):
            data = _JSON.decode(text)
        # Only a text with that many brackets can nest that deep (counting them is cheap).
        return _shallow(data) if text.count("[") + text.count("{") > MAX_DEPTH else data
    except RecursionError:
        raise Hostile(f"nested more than {MAX_DEPTH} levels deep") from None
    except _Twice as exc:
        repeat = _repeat(text)
        raise Hostile(str(exc) if repeat is None else f"line {repeat[1]}: {_twice(repeat[0])}") from None


def parse_toml(
    text: str,
    path: object,
    *,
    error: type[DataFileError] = DataFileError,
    parse_float: Callable[[str], Any] = float,
) -> dict[str, Any]:
    """The TOML ``text`` of the file ``path`` as a dict (``parse_float`` reads floats: give
    ``Decimal`` for exact ones); a syntax error raises ``error``: ``PATH: not valid TOML: …``,
    and so do hostile contents (nesting too deep, NaN or an infinity)."""
    import tomllib

    try:
        return _shallow(tomllib.loads(text, parse_float=_finite(parse_float)))
    except tomllib.TOMLDecodeError as exc:
        raise error(path, f"not valid TOML: {exc}") from None
    except RecursionError:
        raise error(path, f"nested more than {MAX_DEPTH} levels deep") from None
    except Hostile as exc:
        raise error(path, str(exc)) from None
    except ValueError:  # tomllib reads a whole number with int(), which refuses too many digits
        raise error(path, f"an integer has more than {_INT_DIGITS:,} digits: not a number invfut takes") from None


#: The most digits Python's ``int`` reads from a text (what tomllib reads a whole number with).
_INT_DIGITS = 4300


def load_toml(
    path: Path,
    *,
    error: type[DataFileError] = DataFileError,
    parse_float: Callable[[str], Any] = float,
) -> dict[str, Any]:
    """The TOML file at ``path`` as a dict; a file that cannot be read or parsed raises
    ``error`` naming it (``PATH: cannot be read: …``, ``PATH: not valid TOML: …``)."""
    try:
        text = read_bounded(path).decode("utf-8")
    except OSError as exc:
        raise error(path, f"cannot be read: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise error(path, f"not valid UTF-8 (byte {exc.start})") from None
    except Hostile as exc:
        raise error(path, str(exc)) from None
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
