"""Each command's document as a typed dict: its layout's keys and no others, each key typed
by its glossary unit, and every number on its unit's step.

:func:`typed` is the last step of every answer (the command line's and each ``batch``
line's): the document a command built goes through its validator, made from its layout
(:mod:`invfut_cli.documents`) and the glossary, before a byte of it is written. A key
the layout does not declare, a top-level key left out, a number with more places than its
unit allows (a coin amount finer than the satoshi; an input echoed as given, declared
:data:`~invfut_cli.given.GIVEN` in its layout, keeps its places), text where a number goes or a number
where a flag goes stop the answer with an internal error (exit 1) naming the command and the
key, instead of reaching a script. Rows written as they are computed (a long ladder) are
checked as they are written, in whichever process writes them (the first and every 64th
in full: :class:`TypedRows`).

The validators are pydantic-core's, built from a core schema in well under a millisecond,
so a run pays only for its own command's. ``invfut schema`` publishes the same layout as
JSON Schema (:mod:`invfut_cli.schema`).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from typing import Any

from pydantic_core import SchemaValidator, ValidationError
from pydantic_core import core_schema as cs

from invfut_cli.given import is_given
from invfut_cli.glossary import GLOSSARY, PLACES, TINY_PRICE_PLACES, Unit
from invfut_cli.registry import REGISTRY, spec
from invfut_cli.rounding import place_step


class DocumentError(Exception):
    """A document does not match its type: a bug in the command that built it."""


def _leaf(key: str, places: bool = True, quick: bool = False) -> cs.CoreSchema:
    """A value of ``key``'s unit, or null; ``places``: a number's places are checked too
    (``quick``: as a multiple of its unit's step, the same test at half the cost, whose
    error words it less plainly and which gives up on a number too long for the context)."""
    unit = GLOSSARY[key].unit
    if unit is Unit.TEXT:
        return cs.nullable_schema(cs.str_schema(strict=True))
    if unit is Unit.FLAG:
        return cs.nullable_schema(cs.bool_schema(strict=True))
    if unit is Unit.COUNT:
        whole = cs.decimal_schema(decimal_places=0, allow_inf_nan=False, strict=True)
        return cs.nullable_schema(cs.union_schema([cs.int_schema(strict=True), whole]))
    if unit in (Unit.NESTED, Unit.INPUTS):
        return cs.any_schema()
    if not places:
        return cs.nullable_schema(cs.union_schema([cs.decimal_schema(strict=True), cs.int_schema(strict=True)]))
    most = PLACES[unit]

    def on_step(places: int, **bounds: Any) -> cs.CoreSchema:
        if quick:
            return cs.decimal_schema(multiple_of=place_step(places), allow_inf_nan=False, strict=True, **bounds)
        return cs.decimal_schema(decimal_places=places, allow_inf_nan=False, strict=True, **bounds)

    # A Decimal with no more places than its unit's step has (trailing zeros aside), or a
    # whole number; never a float. A price below one satoshi has more, never 0.
    kinds = [on_step(most), cs.int_schema(strict=True)]
    if unit is Unit.PRICE:
        kinds.append(on_step(TINY_PRICE_PLACES, gt=0, lt=place_step(most)))
    return cs.nullable_schema(cs.union_schema(kinds))


def _node(
    key: str, layout: Any, top: frozenset[str] | None = None, places: bool = True, quick: bool = False
) -> cs.CoreSchema:
    """The type of the value at ``key`` laid out as ``layout`` (as :func:`invfut_cli.schema.node`
    reads a layout); ``top``: this is the document itself, whose keys are required but these;
    ``places``: numbers' places are checked (else their type only); ``quick``: see :func:`_leaf`."""
    if layout is None:
        return _leaf(key, places, quick)
    if is_given(layout):
        # An input echoed as given: its unit's type, with the places it was written with.
        return _leaf(key, places=False)
    if isinstance(layout, list):
        (item,) = layout
        return cs.nullable_schema(
            cs.list_schema(cs.str_schema(strict=True) if item is None else _node(key, item, None, places, quick))
        )
    if key == "inputs":
        # The echoed inputs: option names and values, as given or resolved.
        return cs.dict_schema(cs.str_schema(), cs.any_schema())
    if set(layout) == {"*"}:
        return cs.nullable_schema(cs.dict_schema(cs.str_schema(), _node(key, layout["*"], None, places, quick)))
    fields = {
        name: cs.typed_dict_field(_node(name, sub, None, places, quick), required=top is not None and name not in top)
        for name, sub in layout.items()
    }
    shape = cs.typed_dict_schema(fields, extra_behavior="forbid")
    return shape if top is not None else cs.nullable_schema(shape)


def _layout(command: str) -> tuple[dict[str, Any], frozenset[str]]:
    """``command``'s layout and its optional top-level keys, without gathering every command's."""
    provided = spec(command)
    assert provided.LAYOUT is not None  # only a command that writes a document comes here
    return provided.LAYOUT, provided.OPTIONAL


#: Of rows computed as they are written, the first row and every this many rows after it
#: are checked in full.
PLACES_EVERY = 64


@functools.cache
def validators(command: str) -> tuple[SchemaValidator, tuple[SchemaValidator, SchemaValidator] | None]:
    """The validator of ``command``'s document, and of one of its rows: in full, and of its
    keys and types only (``None`` without rows)."""
    layout, optional = _layout(command)
    rows = layout.get("rows")
    row = None
    if isinstance(rows, list) and rows[0] is not None:
        row = (SchemaValidator(_node("rows", rows[0])), SchemaValidator(_node("rows", rows[0], places=False)))
    return SchemaValidator(_node("", layout, optional)), row


@functools.cache
def quick_validator(command: str) -> SchemaValidator:
    """The quick validator of ``command``'s document: :func:`validators`' first, with each
    number's places checked as a multiple of its step (see :func:`_leaf`). What it passes the
    full validator passes; where it fails, the full validator decides and words the error."""
    layout, optional = _layout(command)
    return SchemaValidator(_node("", layout, optional, quick=True))


def _checked(validator: SchemaValidator, value: Any, command: str, where: str) -> Any:
    """``value`` once ``validator`` has passed it (its values are unchanged: the types are
    strict, and the keys keep the order the command wrote them in)."""
    try:
        validator.validate_python(value)
        return value
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        path = ".".join(str(part) for part in (where, *first["loc"]) if part != "")
        raise DocumentError(
            f"the {command} document does not match its type at {path or 'the top'}: {first['msg']} "
            f"(got {first.get('input')!r})"
        ) from None


class TypedRows:
    """A document's rows computed as they are read, checked as they come: the first row and
    every :data:`PLACES_EVERY` rows in full (keys, types and places). One builder writes every
    row of a document, column by column, so a key that drifts or a number that escapes its
    rounding shows in the rows checked; checking every row cost a long ladder a fifth to a
    third of its speed. ``points`` and ``window`` are the rows object's own,
    where it has them (a ladder's rows can be cut into windows for several processes to write)."""

    def __init__(
        self, rows: Iterable[dict[str, Any]], validators: tuple[SchemaValidator, SchemaValidator], command: str
    ) -> None:
        self.rows = rows
        self.validator, self.shape = validators
        self.command = command
        points = getattr(rows, "points", None)
        if points is not None:
            self.points = points

    def _each(self, rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        full, command = self.validator.validate_python, self.command
        for index, row in enumerate(rows):
            if not index % PLACES_EVERY:
                try:
                    full(row)
                except ValidationError:
                    _checked(self.validator, row, command, "rows")
            yield row

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return self._each(self.rows)

    def window(self, points: range) -> Iterator[dict[str, Any]]:
        """The checked rows of the grid points ``points`` (see the rows object's ``window``)."""
        return self._each(self.rows.window(points))  # type: ignore[attr-defined]


def typed(doc: dict[str, Any]) -> dict[str, Any]:
    """``doc`` as its command's typed document (rows still to be computed are checked as they
    are read); raises :class:`DocumentError` where it does not match. A document of no
    command's (an error record) is returned as it is."""
    command = doc.get("command")
    if command not in REGISTRY:
        return doc
    whole, row = validators(command)
    rows = doc.get("rows")
    if rows is None or isinstance(rows, list) or row is None:
        try:
            quick_validator(command).validate_python(doc)
            return doc
        except ValidationError:
            return _checked(whole, doc, command, "")
    _checked(whole, {**doc, "rows": []}, command, "")
    return {**doc, "rows": TypedRows(rows, row, command)}
