"""Inputs answered as given: how a layout declares a number echoed from an input, and the
step of an input a venue itself rounds.

A layout's leaf is ``None`` (a value of its key's unit, on that unit's step) or
:data:`GIVEN`: an input echoed as it was given (``--taker-fee 0.000123456``, ``--leverage
33.333``, ``--fail-within 2.345%``), or a sum or difference of inputs (contracts left after a
close), in its key's unit but with the places it was written with, however many. A value
computed from inputs (a leverage derived from a margin, a USD size) is rounded to its own
unit's step instead, and declared with ``None``.

A venue rounds prices to its tick, so a ``--tick`` finer than the finest price step (a
satoshi, 8 places) is read to that step, up (a coarser tick never makes a liquidation price
less safe), with a one-line note on stderr once the request is answered: :func:`read_tick`.
"""

from __future__ import annotations

import sys
from decimal import ROUND_CEILING, Decimal
from typing import Any

from .core.numbers import SATOSHI, places_of

#: A layout leaf: an input echoed with the places it was given.
GIVEN = "as given"

#: The finest step a tick is read to (a price is never shown finer than a satoshi).
TICK_PLACES = 8
TICK_STEP = SATOSHI


def is_given(layout: Any) -> bool:
    """Whether a layout leaf is :data:`GIVEN`."""
    return isinstance(layout, str) and layout == GIVEN


def echoed(value: Decimal | None, places: int) -> Decimal | None:
    """An input echoed in a document: written with at least ``places`` places (``8000`` as
    ``8000.00``), never with fewer than it was given with (``0.000123456`` stays)."""
    if value is None:
        return None
    from invfut_cli.rounding import usd

    # Its significant places: a product such as 100 × 0.123 keeps no trailing zeros.
    return usd(value, max(places, places_of(value.normalize())))


#: Notes of the request being answered, written once it is answered (:func:`flush_notes`):
#: an input that is an error writes its one error line and no note.
_NOTES: list[str] = []


def read_tick(value: Any, option: str = "--tick") -> Any:
    """A tick finer than :data:`TICK_STEP`, read to it (rounded up), with a note for stderr;
    any other value as it is."""
    if not isinstance(value, Decimal) or not value.is_finite() or value <= 0:
        return value
    if places_of(value.normalize()) <= TICK_PLACES:
        return value
    read = value.quantize(TICK_STEP, rounding=ROUND_CEILING)
    _NOTES.append(f"{option} {value:f} is finer than a price is shown (8 places): read as {read:f}")
    return read


def flush_notes(prefix: str = "invfut") -> None:
    """Write the notes of the request just answered to stderr (``PREFIX: note: …``), once."""
    for note in _NOTES:
        sys.stderr.write(f"{prefix}: note: {note}\n")
    _NOTES.clear()


def drop_notes() -> None:
    """Forget the notes of a request that ended in an error."""
    _NOTES.clear()
