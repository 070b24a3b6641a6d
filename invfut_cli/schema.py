"""The JSON Schema (2020-12) of each command's document, from its layout and the glossary.

A layout (:data:`invfut_cli.documents.LAYOUTS`) says which keys a document has and how
they nest: a dict is an object with those keys, a one-item list is a list of that, and
``None`` is a value whose unit the glossary gives. Every object allows its own keys and no
others; every number is a ``multipleOf`` its unit's step, so a number that escaped its
rounding does not validate.
"""

from __future__ import annotations

from typing import Any

from .glossary import GLOSSARY, TINY_PRICE_PLACES, Unit, step
from .rounding import place_step

DIALECT = "https://json-schema.org/draft/2020-12/schema"

Layout = dict[str, Any] | list[Any] | None


def _leaf(key: str) -> dict[str, Any]:
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
    number_step = step(term.unit)
    assert number_step is not None
    if term.unit is Unit.PRICE:
        # A price below one satoshi is written to TINY_PRICE_PLACES places rather than as 0.
        tiny = {"exclusiveMaximum": number_step, "multipleOf": place_step(TINY_PRICE_PLACES)}
        return {"type": ["number", "null"], "anyOf": [{"multipleOf": number_step}, tiny], "description": description}
    return {"type": ["number", "null"], "multipleOf": number_step, "description": description}


def node(key: str, layout: Layout) -> dict[str, Any]:
    """The schema of the value at ``key`` laid out as ``layout``."""
    if layout is None:
        return _leaf(key)
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
    if layout is None:
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
