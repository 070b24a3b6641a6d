"""Every valid input gets an answer, inputs finer than the output steps included: the corpus
of hand-picked fine-grained inputs (tests/data/fine_inputs.ndjson, every command), what an
echoed input and a derived value mean, and a tick finer than a satoshi."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import ROUND_CEILING, ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, CliRunner
from fine_corpus import COMMAND_LINE_ONLY, CORPUS, argv, batch_line, requests, stdin

from invfut_cli.cli import app
from invfut_cli.exitcodes import ExitCode
from invfut_cli.registry import REGISTRY

ANSWERS = {ExitCode.OK, ExitCode.STOP_BEYOND_LIQUIDATION, ExitCode.ALERT}
CORPUS_LINES = requests()


def run(words: list[str], given: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, words, input=given, prog_name="invfut")
    return result.exit_code, result.stdout, result.stderr


def test_the_corpus_covers_every_command() -> None:
    assert {line["command"] for line in CORPUS_LINES} | {"batch"} == set(REGISTRY)
    assert len(CORPUS_LINES) >= 30


@pytest.mark.parametrize("number", range(len(CORPUS_LINES)))
def test_each_corpus_input_is_answered_on_the_command_line(number: int, tmp_path: Path) -> None:
    words = argv(CORPUS_LINES[number], tmp_path)
    code, out, err = run(words, stdin(CORPUS_LINES[number]))
    assert code in ANSWERS, f"invfut {' '.join(words)}: exit {code}: {err}"
    doc = json.loads(out, parse_float=Decimal)
    if words[0] != "schema":
        assert doc["command"] == words[0]
    # stderr holds notes only (a tick read to the satoshi), and watch's alert.
    said = (": note: ", ": alert: ") if words[0] == "watch" else (": note: ",)
    assert all(any(kind in line for kind in said) for line in err.splitlines()), err


def test_the_corpus_through_batch_in_a_real_process(tmp_path: Path) -> None:
    """The batch lines of the corpus, through ``invfut batch`` as a process: one answer per
    line, no error record, exit 0 or 4 (an alert)."""
    lines = [batch_line(line, tmp_path) for line in CORPUS_LINES if line["command"] not in COMMAND_LINE_ONLY]
    env = {**os.environ, "INVFUT_WORKERS": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "invfut_cli", "batch"],
        input="".join(json.dumps(line) + "\n" for line in lines),
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode in (ExitCode.OK, ExitCode.ALERT), done.stdout[-500:] + done.stderr
    answers = [json.loads(text, parse_float=Decimal) for text in done.stdout.splitlines()]
    assert [a.get("command") for a in answers] == [line["command"] for line in lines]
    assert "Traceback" not in done.stderr
    assert CORPUS.name == "fine_inputs.ndjson"


def test_an_echoed_leverage_and_fee_keep_their_places() -> None:
    """``--leverage 33.333`` and ``--taker-fee 0.000123456`` are the order's, as given; the
    initial margin is computed at 33.333x (Q/(E·L), to the satoshi)."""
    code, out, _ = run(["liq-price", "--json", "--side", "long", "--entry", "60000", "--contracts", "10000",
                        "--leverage", "33.333", "--taker-fee", "0.000123456"])  # fmt: skip
    assert code == ExitCode.OK
    doc = json.loads(out, parse_float=Decimal)
    cost = doc["order_cost"]
    assert cost["leverage"] == Decimal("33.333") and cost["fee_rate"] == Decimal("0.000123456")
    margin = Fraction(10000) / (Fraction(60000) * Fraction("33.333"))
    assert cost["initial_margin"] == Decimal(round(margin * 10**8)) / 10**8


def test_an_echoed_alert_limit_keeps_its_places_and_means_what_it_says() -> None:
    """``--fail-within 2.345%``: echoed as 2.345, and the alert is raised exactly when the
    distance from the mark is within it."""
    base = ["liq-price", "--json", "--side", "long", "--entry", "60000", "--contracts", "10000", "--leverage", "20"]
    for mark in ("58000", "62000", "59500.123456789012"):
        code, out, _ = run([*base, "--mark", mark, "--fail-within", "2.345%"])
        doc = json.loads(out, parse_float=Decimal)
        assert doc["fail_within_pct"] == Decimal("2.345")
        liq = Fraction(doc["liquidation_price"])
        distance = abs(100 * (liq - Fraction(mark)) / Fraction(mark))
        within = distance <= Fraction("2.345")
        assert doc["alert"] is within and code == (ExitCode.ALERT if within else ExitCode.OK), (mark, doc["alert"])


def test_a_solved_leverage_is_rounded_to_the_hundredth_and_a_given_one_is_not() -> None:
    """``leverage`` solving the leverage from a margin: Q/(E·M) to 0.01, nearest; given,
    the leverage is echoed as it was written."""
    code, out, _ = run(["leverage", "--json", "--entry", "8000", "--contracts", "10000",
                        "--margin", "0.3333333333333"])  # fmt: skip
    assert code == ExitCode.OK
    doc = json.loads(out, parse_float=Decimal)
    exact = Fraction(10000) / (Fraction(8000) * Fraction("0.3333333333333"))
    expected = Decimal(exact.numerator) / Decimal(exact.denominator)
    assert doc["solved"] == "leverage"
    assert doc["leverage"] == expected.quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)
    code, out, _ = run(["leverage", "--json", "--entry", "8000", "--contracts", "10000", "--leverage", "3.14159"])
    assert code == ExitCode.OK and json.loads(out, parse_float=Decimal)["leverage"] == Decimal("3.14159")


def test_a_tick_finer_than_a_satoshi_is_read_up_to_it_with_a_note() -> None:
    """A venue rounds prices to its tick: ``--tick 0.123456789012`` is read as 0.12345679
    (up: a coarser tick), said on stderr, and the liquidation price is a whole number of
    those ticks, rounded toward safety (a long's up: at or above the exact price)."""
    code, out, err = run(["liq-price", "--json", "--side", "long", "--entry", "60000", "--contracts", "10000",
                          "--leverage", "10", "--tick", "0.123456789012"])  # fmt: skip
    assert code == ExitCode.OK
    tick = Decimal("0.123456789012").quantize(Decimal("1e-8"), rounding=ROUND_CEILING)
    assert tick == Decimal("0.12345679")
    (note,) = err.splitlines()
    assert "note" in note and "--tick" in note and str(tick) in note
    doc = json.loads(out, parse_float=Decimal)
    assert doc["price_step"] == tick and doc["inputs"]["tick"] == tick
    liq = doc["liquidation_price"]
    assert liq % tick == 0 and liq >= doc["liquidation_price_exact"] and liq - tick < doc["liquidation_price_exact"]


def test_the_echoed_inputs_are_what_pydantic_dumps(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """``inputs`` reads a model's fields as they are, and lets pydantic dump only the models
    given inside it (fills, closes, a grid): over the corpus (every command, fills and grids
    among them), each echo is pydantic's dump of the model, key for key and in the order
    of ``INPUT_ORDER``."""
    from invfut_cli import batchrun
    from invfut_cli.documents import parts

    echoed = parts.inputs
    seen = []

    def checked(model: Any) -> dict[str, Any]:
        answer = echoed(model)
        dumped = model.model_dump(mode="python", by_alias=True, exclude=parts._NOT_ECHOED)
        rank = {key: index for index, key in enumerate(parts.INPUT_ORDER)}
        order = sorted(dumped, key=lambda k: rank.get(k, len(parts.INPUT_ORDER)))
        derived = "entry" if dumped.get("fill") else None
        assert list(answer) == order
        assert answer == {key: parts._echo(dumped[key], key == derived) for key in order}
        seen.append(any(dumped.get(name) for name in ("fill", "close", "grid")))
        return answer

    monkeypatch.setattr(parts, "inputs", checked)
    for number, request in enumerate(CORPUS_LINES, 1):
        batchrun.result_line(number, json.dumps(batch_line(request, tmp_path)).encode())
    assert len(seen) >= 20 and any(seen) and not all(seen)
