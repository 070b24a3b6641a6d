"""``--fields KEY[,KEY…]``: a document cut to the keys asked, in the order asked.

A key is a path into the command's document, its parts joined by dots, as ``invfut schema
CMD`` lays the document out: ``liquidation_price``, ``order_cost.total``, ``inputs.side``.
A part that runs into a list of objects picks that key of every item: ``rows.price`` keeps
``rows`` with each row holding only ``price`` (``rows.price,rows.pnl``: both, in that
order), and ``closed.realised_pnl`` does the same for the closes. Several keys under one
parent are gathered under it, in the order asked; a parent asked whole (``order_cost``)
keeps all of its keys. A key outside the command's layout is a usage error (exit 2) that
names it and lists the closest keys.

Only the keys asked are checked against the document's type (:mod:`.documents.typed`),
and a command may skip the parts of its work that no key asked needs (:func:`wants`).
``batch`` takes ``--fields`` for every line, and a line's own ``"fields"`` (a list of keys,
or the same comma-separated text) in place of it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from typing import Annotated, Any

import typer

from .core.errors import DomainError

#: The ``--fields`` option every command that writes a document takes (``batch`` too).
FieldsOpt = Annotated[
    str | None,
    typer.Option(
        "--fields",
        help="Write only these keys of the document, in this order: KEY[,KEY...], "
        "nested keys with dots (order_cost.total), row keys as rows.KEY. 'invfut schema CMD' lists the keys.",
        metavar="KEYS",
        rich_help_panel="Output",
    ),
]

#: A plan: each key asked at this level, and ``None`` (the whole value) or the plan of its keys.
Plan = dict[str, "Plan | None"]


class Selection:
    """The keys of ``command``'s document asked for, as a plan to cut documents with, and the
    type of the cut document."""

    def __init__(self, command: str, keys: tuple[str, ...], plan: Plan, layout: dict[str, Any]) -> None:
        self.command, self.keys, self.plan, self.layout = command, keys, plan, layout
        #: Every key name written, at any depth (a parent asked whole writes all of its keys).
        self.written = frozenset(_names(layout))

    def wants(self, *names: str) -> bool:
        """Whether a key of any of these names is written, at any depth (a ladder's rows
        carry the sensitivities too); ``explain`` needs every key."""
        return "explain" in self.plan or not self.written.isdisjoint(names)

    def cut(self, doc: dict[str, Any]) -> dict[str, Any]:
        """``doc`` with only the keys asked. A top-level key asked that this answer does not
        carry (one of its optional keys, such as ``liquidation_probability`` without
        ``--vol``) is null: a script gets every key it asked for."""
        return {key: _cut(doc[key], sub) if key in doc else None for key, sub in self.plan.items()}

    def checker(self) -> Any:
        """A check of a cut document without ``rows`` that returns it, as :meth:`typed` does, with
        the validator looked up once (a ``batch`` line's hot path)."""
        validate, typed = _quick(self.command, self.keys).validate_python, self.typed

        def check(doc: dict[str, Any]) -> dict[str, Any]:
            try:
                validate(doc)
                return doc
            except Exception:  # noqa: BLE001 (typed words it)
                return typed(doc)

        return check

    def typed(self, doc: dict[str, Any]) -> dict[str, Any]:
        """The cut ``doc``, checked against the type of the keys asked (as
        :func:`invfut_cli.documents.typed.typed` checks a whole document)."""
        whole, row = _validators(self.command, self.keys)
        rows = doc.get("rows")
        if row is None:  # the hot path of a batch line: its keys pass as they are
            try:
                _quick(self.command, self.keys).validate_python(doc)
                return doc
            except Exception:  # noqa: BLE001 (the check below words it)
                pass
        from .documents import typed as t

        if rows is None or isinstance(rows, list) or row is None:
            return t._checked(whole, doc, self.command, "")
        t._checked(whole, {**doc, "rows": []}, self.command, "")
        return {**doc, "rows": t.TypedRows(rows, row, self.command)}


def _names(layout: Any) -> Iterator[str]:
    """Every key name of ``layout``, at any depth."""
    if isinstance(layout, list) and layout:
        yield from _names(layout[0])
    elif isinstance(layout, dict):
        for key, sub in layout.items():
            yield key
            yield from _names(sub)


def _cut(value: Any, plan: Plan | None) -> Any:
    """``value`` with only the keys of ``plan`` (all of it for ``None``)."""
    if plan is None or value is None:
        return value
    if isinstance(value, dict):
        return {key: _cut(value.get(key), sub) for key, sub in plan.items()}
    if isinstance(value, list | tuple):
        return [_cut(item, plan) for item in value]
    return CutRows(value, plan)


class CutRows:
    """Rows computed as they are read (a long ladder), each cut to the keys asked; the rows
    object's ``points`` and ``window`` stay usable (a ladder's rows are cut into windows
    for several processes to write)."""

    def __init__(self, rows: Iterable[dict[str, Any]], plan: Plan) -> None:
        self.rows, self.plan = rows, plan
        points = getattr(rows, "points", None)
        if points is not None:
            self.points = points

    def _each(self, rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        plan = self.plan
        for row in rows:
            yield {key: _cut(row.get(key), sub) for key, sub in plan.items()}

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return self._each(self.rows)

    def window(self, points: range) -> Iterator[dict[str, Any]]:
        """The cut rows of the grid points ``points``."""
        return self._each(self.rows.window(points))  # type: ignore[attr-defined]


def parse(given: Any) -> tuple[str, ...]:
    """The keys of a ``--fields`` value (``"a,b"``) or a batch line's ``fields`` (that text,
    or a list of keys): each stripped, none empty, none twice."""
    if isinstance(given, str):
        parts = given.split(",")
    elif isinstance(given, list) and all(isinstance(part, str) for part in given):
        parts = given
    else:
        raise DomainError("expected keys as text (KEY,KEY) or a list of keys", option="fields")
    keys = tuple(part.strip() for part in parts)
    if not keys or any(not key for key in keys):
        raise DomainError(f"an empty key in {given!r}: give KEY[,KEY...]", option="fields")
    twice = next((key for index, key in enumerate(keys) if key in keys[:index]), None)
    if twice is not None:
        raise DomainError(f"the key {twice!r} is asked twice", option="fields")
    return keys


def _layout(command: str) -> dict[str, Any] | None:
    from .registry import spec

    return spec(command).LAYOUT


def paths(layout: dict[str, Any], prefix: str = "") -> Iterator[str]:
    """Every key of ``layout`` as a dotted path, parents before their keys."""
    for key, sub in layout.items():
        if key == "*":
            continue
        yield prefix + key
        if isinstance(sub, list) and sub and isinstance(sub[0], dict):
            sub = sub[0]
        if isinstance(sub, dict):
            yield from paths(sub, f"{prefix}{key}.")


def _node(layout: dict[str, Any], part: str) -> tuple[bool, Any]:
    """Whether ``part`` is a key of the object laid out as ``layout``, and its layout."""
    if part in layout:
        return True, layout[part]
    if "*" in layout:  # an object keyed by a name (a coin): any name
        return True, layout["*"]
    return False, None


def _unknown(command: str, key: str, layout: dict[str, Any]) -> DomainError:
    import difflib

    known = list(paths(layout))
    close = difflib.get_close_matches(key, known, n=4, cutoff=0.6)
    if not close:  # a misspelt last part of a longer key
        tails = {path.rsplit(".", 1)[-1]: path for path in known}
        close = [tails[t] for t in difflib.get_close_matches(key.rsplit(".", 1)[-1], list(tails), n=4, cutoff=0.6)]
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return DomainError(
        f"{command} has no key {key!r}{hint} ('invfut schema {command}' lists every key)", option="fields"
    )


@functools.cache
def selection(command: str, keys: tuple[str, ...]) -> Selection:
    """The selection of ``keys`` from ``command``'s document; a key it does not have is a
    :class:`DomainError` on ``--fields`` naming the key and the closest ones."""
    layout = _layout(command)
    if layout is None:
        raise DomainError(f"{command} writes no document to take keys from", option="fields")
    plan: Plan = {}
    for key in keys:
        if not _has(layout, key):
            raise _unknown(command, key, layout)
        level: Plan = plan
        *parents, last = key.split(".")
        for part in parents:
            sub = level.setdefault(part, {})
            if sub is None:
                break  # its parent is asked whole
            level = sub
        else:
            level[last] = None
    return Selection(command, keys, plan, _pruned(layout, plan))


def _pruned(layout: Any, plan: Plan) -> dict[str, Any]:
    """The part of ``layout`` that ``plan`` keeps."""
    out: dict[str, Any] = {}
    for key, sub in plan.items():
        node = layout[key] if key in layout else layout["*"]
        if sub is None:
            out[key] = node
        elif isinstance(node, list):
            out[key] = [_pruned(node[0], sub)]
        else:
            out[key] = _pruned(node, sub)
    return out


def known_anywhere(keys: tuple[str, ...]) -> None:
    """``batch --fields``: each key must be one of some command's document (which, is each
    line's command's to say); else a :class:`DomainError` naming it."""
    from .registry import REGISTRY

    def layouts() -> Iterator[dict[str, Any]]:  # loaded as needed: a key found early loads few commands
        for name in REGISTRY:
            if name != "batch" and (layout := _layout(name)) is not None:
                yield layout

    for key in keys:
        if not any(_has(layout, key) for layout in layouts()):
            import difflib

            known = sorted({path for layout in layouts() for path in paths(layout)})
            close = difflib.get_close_matches(key, known, n=4, cutoff=0.6)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise DomainError(f"no command's document has the key {key!r}{hint}", option="fields")


def _has(layout: dict[str, Any], key: str) -> bool:
    """Whether ``key`` is a path of ``layout``."""
    node: Any = layout
    for part in key.split("."):
        if isinstance(node, list) and node and isinstance(node[0], dict):
            node = node[0]
        found, node = _node(node, part) if isinstance(node, dict) else (False, None)
        if not found:
            return False
    return True


@functools.cache
def _validators(command: str, keys: tuple[str, ...]) -> tuple[Any, Any]:
    """The validators of the document cut to ``keys``, and of one of its cut rows (as
    :func:`invfut_cli.documents.typed.validators` makes them for the whole document)."""
    from pydantic_core import SchemaValidator

    from .documents.typed import _node as node

    layout = selection(command, keys).layout
    rows = layout.get("rows")
    row = None
    if isinstance(rows, list) and rows[0] is not None:
        row = (SchemaValidator(node("rows", rows[0])), SchemaValidator(node("rows", rows[0], places=False)))
    return SchemaValidator(node("", layout, frozenset())), row


@functools.cache
def _quick(command: str, keys: tuple[str, ...]) -> Any:
    """The quick validator of the document cut to ``keys`` (as
    :func:`invfut_cli.documents.typed.quick_validator` is of the whole document): what it
    passes the full one passes; where it fails, the full one decides."""
    from pydantic_core import SchemaValidator

    from .documents.typed import _node as node

    return SchemaValidator(node("", selection(command, keys).layout, frozenset(), quick=True))


#: The selection of the document being answered (the command line's ``--fields``, or a
#: batch line's), if any.
ASKED: ContextVar[Selection | None] = ContextVar("invfut_fields", default=None)


def wants(*tops: str) -> bool:
    """Whether the answer being built writes any of these top-level keys (all of them are
    written without ``--fields``): a command skips the work of keys nobody asked for."""
    asked = ASKED.get()
    return asked is None or asked.wants(*tops)
