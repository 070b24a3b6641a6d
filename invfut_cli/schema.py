"""The JSON Schema (2020-12) of each command's document, from its layout and the glossary.

A layout (:data:`invfut_cli.documents.LAYOUTS`) says which keys a document has and how
they nest: a dict is an object with those keys, a one-item list is a list of that, and
``None`` is a value whose unit the glossary gives. Every object allows its own keys and no
others; every number states its unit's most places with ``x-decimal-places`` (and in its
description), or ``x-as-given`` for an input echoed with the places it was given. Stock
validators ignore these keywords (their binary floats cannot check decimal places);
invfut checks places on the JSON text itself (:mod:`invfut_cli.documents.typed`).
"""

from __future__ import annotations

from typing import Any

from .given import is_given
from .glossary import GLOSSARY, PLACES, TINY_PRICE_PLACES, Unit

DIALECT = "https://json-schema.org/draft/2020-12/schema"

Layout = dict[str, Any] | list[Any] | None


#: The keyword that states a number's most decimal places. Validators ignore keywords they do
#: not know, so a stock validator checks the type and the keys; the places are checked by
#: invfut itself, on the JSON text (:mod:`invfut_cli.documents.typed`). ``multipleOf`` is not
#: used: a validator that reads JSON numbers as binary floats finds ``0.16666667`` not a
#: multiple of ``1e-08``.
PLACES_KEYWORD = "x-decimal-places"
#: The keyword that marks an input echoed with the places it was given (no most places).
GIVEN_KEYWORD = "x-as-given"


def _leaf(key: str, given: bool = False) -> dict[str, Any]:
    term = GLOSSARY.get(key)
    if term is None:
        raise LookupError(f"{key!r} is not in the glossary")
    description = f"{term.meaning} ({term.unit.value})"
    if term.unit is Unit.TEXT:
        return {"type": ["string", "null"], "description": description}
    if term.unit is Unit.FLAG:
        return {"type": ["boolean", "null"], "description": description}
    if term.unit is Unit.COUNT:
        return {"type": ["integer", "null"], "description": description}
    if term.unit in (Unit.NESTED, Unit.INPUTS):
        return {"description": description}
    if given:
        return {
            "type": ["number", "null"],
            GIVEN_KEYWORD: True,
            "description": f"{term.meaning} ({term.unit.value}; an input echoed with the places it was given, "
            f"a computed value at most {PLACES[term.unit]} decimal places)",
        }
    places = PLACES[term.unit]
    if term.unit is Unit.PRICE:
        # A price below one satoshi is written to TINY_PRICE_PLACES places rather than as 0.
        return {
            "type": ["number", "null"],
            PLACES_KEYWORD: places,
            "description": f"{term.meaning} ({term.unit.value}; at most {places} decimal places, "
            f"below one satoshi {TINY_PRICE_PLACES})",
        }
    return {
        "type": ["number", "null"],
        PLACES_KEYWORD: places,
        "description": f"{term.meaning} ({term.unit.value}; at most {places} decimal places)",
    }


def node(key: str, layout: Layout) -> dict[str, Any]:
    """The schema of the value at ``key`` laid out as ``layout``."""
    if layout is None or is_given(layout):
        return _leaf(key, given=layout is not None)
    if isinstance(layout, list):
        (item,) = layout
        items = {"type": "string"} if item is None else node(key, item)
        return {"type": ["array", "null"], "items": items, **_described(key)}
    if key == "inputs":
        # The inputs are the options' values, as given or resolved: their names are fixed.
        return {
            "type": "object",
            "properties": {name: {} for name in layout},
            "additionalProperties": False,
            **_described(key),
        }
    if set(layout) == {"*"}:
        # Keyed by a name (a coin): any name, each laid out the same.
        return {"type": ["object", "null"], "additionalProperties": node(key, layout["*"]), **_described(key)}
    # Nested objects may leave keys out (a tier of one venue has other keys than another's),
    # but never carry one that is not declared.
    return {
        "type": ["object", "null"],
        "properties": {name: node(name, sub) for name, sub in layout.items()},
        "additionalProperties": False,
        **_described(key),
    }


def _described(key: str) -> dict[str, Any]:
    term = GLOSSARY.get(key)
    return {} if term is None else {"description": term.meaning}


def document_schema(command: str, layout: dict[str, Any], optional: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The whole schema of ``command``'s document: its top-level keys are all required, but
    for ``optional`` ones (present in some answers only, such as ``account``'s ``before``)."""
    body = node("", layout)
    body["type"] = "object"
    body["required"] = [key for key in layout if key not in optional]
    body.pop("description", None)
    return {
        "$schema": DIALECT,
        "$id": f"invfut:{command}",
        "title": f"invfut {command} --json",
        **body,
    }


def keys_of(layout: Layout) -> set[str]:
    """Every key ``layout`` names, at any depth (the inputs' option names left out)."""
    if layout is None or is_given(layout):
        return set()
    if isinstance(layout, list):
        return keys_of(layout[0])
    found = set()
    for key, sub in layout.items():
        if key != "*":
            found.add(key)
        if key != "inputs":
            found |= keys_of(sub)
    return found
