"""Typed documents: every answer goes through its command's typed dict before it is written,
so a key that drifts or a number that escapes its unit's step stops the answer (exit 1, one
line on stderr) instead of reaching a script.

The documents here are real answers, changed one way at a time; what must be refused comes
from the glossary (a coin amount has 8 places, a flag is true or false, the keys are the
layout's).
"""

from __future__ import annotations

import json
from decimal import Decimal, localcontext
from typing import Any

import pytest
from conftest import run_cli
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic_core import ValidationError

from invfut_cli.core.numbers import CORE_CONTEXT
from invfut_cli.documents import LAYOUTS
from invfut_cli.documents.typed import PLACES_EVERY, DocumentError, quick_validator, typed, validators
from invfut_cli.exitcodes import ExitCode
from invfut_cli.registry import spec


def pnl_doc() -> dict[str, Any]:
    run = spec("pnl").run
    assert run is not None
    doc = run(side="long", entry="8000", exit="9000", contracts="10000", leverage="10", exchange="bybit")
    return {**doc, "explain": None}


def test_a_real_answer_passes_unchanged_and_in_order() -> None:
    doc = pnl_doc()
    assert typed(doc) == doc
    assert list(typed(doc)) == list(doc)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"pnl": Decimal("0.138888889")}, "8 decimal places"),  # a coin amount finer than the satoshi
        ({"roe_pct": Decimal("125.001")}, "2 decimal places"),  # a percentage to 0.001
        ({"pnl": 0.13888889}, "pnl"),  # a float
        ({"liquidated": "no"}, "liquidated"),  # text where a flag goes
        ({"exit_price": "9000.00"}, "exit_price"),  # text where a price goes
        ({"pnl_btc": Decimal("0.1")}, "pnl_btc"),  # a key the layout does not declare
    ],
)
def test_a_document_that_breaks_its_type_is_refused(change: dict[str, Any], words: str) -> None:
    with pytest.raises(DocumentError, match="the pnl document") as caught:
        typed({**pnl_doc(), **change})
    assert words in str(caught.value)


def test_a_missing_key_and_a_drifted_nested_key_are_refused() -> None:
    doc = pnl_doc()
    without = {k: v for k, v in doc.items() if k != "break_even_price"}
    with pytest.raises(DocumentError, match="break_even_price"):
        typed(without)
    with pytest.raises(DocumentError, match="preset"):
        typed({**doc, "preset": {**doc["preset"], "ticker": "BTCUSD"}})


def test_rows_computed_as_they_are_written_are_checked_one_by_one() -> None:
    run = spec("ladder").run
    assert run is not None
    doc = {**run(side="long", entry="8000", contracts="10000", leverage="10"), "explain": None}
    rows = list(typed(doc)["rows"])
    assert len(rows) == 11 and all(set(row) <= set(LAYOUTS["ladder"]["rows"][0]) for row in rows)

    def escaping() -> Any:
        yield {**rows[0], "pnl": Decimal("1.000000001")}

    with pytest.raises(DocumentError, match=r"rows\.pnl"):
        list(typed({**doc, "rows": escaping()})["rows"])

    def drifting() -> Any:
        # A builder that drifts drifts on every row: the 64th is checked in full too.
        for index in range(2 * PLACES_EVERY):
            yield rows[0] if index < 3 else {**rows[1], "pnl": float(rows[1]["pnl"])}

    checked = iter(typed({**doc, "rows": drifting()})["rows"])
    assert [next(checked) for _ in range(PLACES_EVERY)]  # the first row passed; the rest not checked yet
    with pytest.raises(DocumentError, match=r"rows\.pnl"):
        next(checked)


def test_an_answer_that_breaks_its_type_is_an_internal_error_with_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from invfut_cli.commands import pnl

    built = pnl.document
    monkeypatch.setattr(pnl, "document", lambda args, outcome: {**built(args, outcome), "pnl": Decimal("1E-9")})
    done = run_cli("pnl", "--side", "long", "--entry", "8000", "--exit", "9000", "--contracts", "10000", "--json")
    assert done.exit_code == ExitCode.INTERNAL
    assert done.stdout == ""
    error = json.loads(done.stderr)["error"]
    assert "the pnl document does not match its type at pnl" in error["message"]


@settings(max_examples=300, deadline=None)
@given(
    key=st.sampled_from(["pnl", "roe_pct", "break_even_price", "coin_gamma"]),
    digits=st.integers(min_value=0, max_value=10**15),
    places=st.integers(min_value=0, max_value=24),
    negative=st.booleans(),
)
def test_the_quick_check_passes_exactly_what_the_full_check_passes(
    key: str, digits: int, places: int, negative: bool
) -> None:
    """The check every answer goes through first (places as multiples of the unit's step)
    passes a number exactly where the full one (pydantic-core's ``decimal_places``, whose
    errors are worded plainly) does: a coin amount, a percentage, a price (a price below one
    step may have up to 20 places) and a gamma, with up to 24 places written, trailing zeros
    included."""
    value = Decimal((int(negative), tuple(int(c) for c in str(digits)), -places))
    doc = {**pnl_doc(), key: value}
    whole, _row = validators("pnl")
    with localcontext(CORE_CONTEXT):
        full = _passes(whole, doc)
        assert _passes(quick_validator("pnl"), doc) == full
        # What the answer sees: the document as it is, or the full check's plain error.
        if full:
            assert typed(doc) is doc
        else:
            with pytest.raises(DocumentError, match="decimal places|greater than|less than"):
                typed(doc)


def _passes(validator: Any, doc: dict[str, Any]) -> bool:
    try:
        validator.validate_python(doc)
        return True
    except ValidationError:
        return False
