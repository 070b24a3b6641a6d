"""One contract: every command's ``--json`` document (several venues each, and batch lines, and
CSV headers) against its published schema and the glossary.

A number with more places than its unit allows, a key the schema does not declare, a key
missing from the glossary, or two glossary keys that mean the same thing: each fails here.
"""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, run_cli
from jsonschema import Draft202012Validator

from invfut_cli.documents import LAYOUTS, OPTIONAL
from invfut_cli.glossary import GLOSSARY, PLACES, markdown
from invfut_cli.schema import document_schema, keys_of

ACCOUNT = str(ROOT / "examples" / "account.toml")
POSITION = ("--entry", "8000", "--contracts", "10000")

#: Several answers of every command: venues, margin modes, fees, closes, targets, grids.
RUNS: dict[str, list[tuple[str, ...]]] = {
    "pnl": [
        (
            "--side",
            "long",
            *POSITION,
            "--exit",
            "9000",
            "--leverage",
            "10",
            "--entry-fee",
            "taker",
            "--exit-fee",
            "maker",
            "--funding",
            "0.01%",
            "--hours",
            "24",
            "--close",
            "100@8500",
        ),
        (
            "--side",
            "short",
            "--fill",
            "5000@8000",
            "--fill",
            "5000@8100",
            "--target-roe",
            "50%",
            "--leverage",
            "10",
            "--exchange",
            "bitmex",
        ),
        (
            "--side",
            "long",
            "--entry",
            "60000",
            "--contracts",
            "10000",
            "--exit",
            "50000",
            "--leverage",
            "25",
            "--exchange",
            "bybit",
        ),
        (
            "--side",
            "long",
            "--entry",
            "60000",
            "--size-usd",
            "10000",
            "--exit",
            "61000",
            "--exchange",
            "binance",
            "--balance",
            "1",
        ),
        (
            "--side",
            "short",
            "--entry",
            "3000",
            "--contracts",
            "100",
            "--target-usd",
            "100",
            "--coin",
            "ETH",
            "--exchange",
            "okx",
            "--margin",
            "1",
        ),
    ],  # fmt: skip
    "liq-price": [
        (
            "--side",
            "long",
            *POSITION,
            "--leverage",
            "10",
            "--mark",
            "7500",
            "--fail-within",
            "5",
            "--target-liquidation",
            "7000",
        ),
        ("--side", "long", "--entry", "60000", "--contracts", "100", "--leverage", "10", "--exchange", "binance"),
        ("--side", "long", "--entry", "60000", "--contracts", "1000", "--leverage", "10", "--exchange", "deribit"),
        ("--side", "short", "--entry", "60000", "--contracts", "100", "--balance", "1", "--exchange", "okx"),
        ("--side", "long", "--entry", "60000", "--size-usd", "10000", "--leverage", "10", "--exchange", "kraken"),
        ("--side", "short", "--entry", "8000", "--contracts", "8000", "--leverage", "1", "--mm-basis", "mark"),
    ],  # fmt: skip
    "leverage": [
        ("--entry", "8000", "--contracts", "10000", "--leverage", "10"),
        ("--entry", "8000", "--balance", "0.1", "--leverage", "10", "--exchange", "bybit"),
        (
            "--entry",
            "8000",
            "--margin",
            "0.1",
            "--contracts",
            "1000",
            "--exchange",
            "deribit",
            "--from",
            "7000",
            "--to",
            "9000",
            "--step",
            "700",
        ),
    ],  # fmt: skip
    "ladder": [
        ("--side", "long", *POSITION, "--leverage", "10", "--exchange", "bybit", "--entry-fee", "taker"),
        ("--side", "short", *POSITION),
        (
            "--side",
            "long",
            "--entry",
            "8000",
            "--contracts",
            "100",
            "--balance",
            "1",
            "--exchange",
            "binance",
            "--from",
            "5000",
            "--to",
            "9000",
            "--steps",
            "7",
        ),
    ],  # fmt: skip
    "size": [
        ("--balance", "1", "--risk", "1%", "--entry", "60000", "--stop", "57000"),
        ("--balance", "1", "--risk", "1%", "--entry", "60000", "--stop", "63000", "--exchange", "bybit"),
    ],
    "hedge": [
        ("--holding", "1", "--price", "60000", "--exchange", "bybit", "--funding", "0.01%"),
        ("--holding", "1", "--price", "60000"),
    ],
    "stress": [
        ("--side", "long", "--entry", "60000", "--contracts", "10000", "--leverage", "10", "--exchange", "bybit"),
        (
            "--side",
            "short",
            "--entry",
            "60000",
            "--contracts",
            "1000",
            "--leverage",
            "10",
            "--exchange",
            "deribit",
            "--move",
            "-30%",
        ),
    ],  # fmt: skip
    "exchanges": [(), ("bitmex",), ("deribit",)],
    "keys": [("list",)],
    "account": [
        (ACCOUNT, "--price", "60000"),
        (ACCOUNT, "--price", "60000", "--add", "long:1000@60000", "--move", "-30%", "--usd-delta", "0"),
        (ACCOUNT, "--price", "60000", "--exchange", "bybit"),
    ],
    "compare": [
        ("--side", "long", "--entry", "60000", "--size-usd", "10000", "--leverage", "10"),
        ("--side", "short", "--entry", "3000", "--coin", "ETH", "--size-coin", "5", "--balance", "1"),
        ("--side", "long", "--entry", "60000", "--size-usd", "10000", "--leverage", "150"),
    ],
}
# Answers two layouts once got wrong (each failed its schema before): a close on liq-price,
# ladder and stress, whose ``closed`` was declared a list of strings; and a Deribit ladder,
# whose tier has the size-dependent rates.
RUNS["liq-price"].append(("--side", "long", *POSITION, "--leverage", "10", "--close", "1000@8500"))
RUNS["ladder"].append(("--side", "short", *POSITION, "--leverage", "5", "--close", "2000@7500", "--steps", "4",
                       "--from", "7000", "--to", "9000"))  # fmt: skip
RUNS["stress"].append(("--side", "long", *POSITION, "--leverage", "3", "--close", "5000@9000", "--move", "-20%"))
RUNS["ladder"].append(("--side", "long", "--entry", "60000", "--contracts", "100000", "--leverage", "5",
                       "--exchange", "deribit"))  # fmt: skip
RUNS["liq-price"].append(("--side", "long", *POSITION, "--leverage", "10", "--vol", "60%", "--horizon", "7d",
                          "--max-probability", "1"))  # fmt: skip
RUNS["replay"] = [
    (str(Path(__file__).parent / "data" / "candles_1m.csv"), "--side", "long", "--contracts", "10000", "--leverage",
     "20", "--funding", "0.01%"),
    (str(Path(__file__).parent / "data" / "candles_1m.csv"), "--side", "short", "--contracts", "10000", "--leverage",
     "100"),
]  # fmt: skip

CASES = [(command, args) for command, runs in RUNS.items() for args in runs]


def answer(command: str, args: tuple[str, ...]) -> Any:
    run = run_cli(command, *args, "--json")
    assert run.exit_code in (0, 3, 4), (command, args, run.stderr)
    return run.stdout


def validator(command: str) -> Draft202012Validator:
    return Draft202012Validator(document_schema(command, LAYOUTS[command], OPTIONAL.get(command, frozenset())))


def numbers_with_keys(value: Any, key: str = "") -> list[tuple[str, str]]:
    """``(key, number text)`` for every number in a JSON text, by the key that holds it."""
    return [(m.group(1), m.group(2)) for m in re.finditer(r'"([a-z_]+)": (-?\d+(?:\.\d+)?)(?=[,}\]\n])', value)]


def test_every_command_has_a_layout() -> None:
    from invfut_cli.registry import REGISTRY

    writers = set(REGISTRY) - {"batch", "schema"}
    assert writers == set(LAYOUTS)
    # watch writes a stream of events from its stdin: tests/test_watch.py validates them.
    assert set(RUNS) | {"watch"} == set(LAYOUTS)


@pytest.mark.parametrize(("command", "args"), CASES)
def test_the_answer_validates_against_its_schema(command: str, args: tuple[str, ...]) -> None:
    text = answer(command, args)
    doc = json.loads(text, parse_float=Decimal)
    errors = sorted(validator(command).iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, [f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors[:5]]


@pytest.mark.parametrize(("command", "args"), CASES)
def test_no_number_has_more_places_than_its_unit(command: str, args: tuple[str, ...]) -> None:
    """Read from the JSON text itself: ``60000.0`` and ``0.020008333…`` are caught as written."""
    text = answer(command, args)
    inputs_free = re.sub(r'"inputs": \{[^\n]*\},?\n', "", text)
    for key, number in numbers_with_keys(inputs_free):
        term = GLOSSARY.get(key)
        assert term is not None, f"{command}: {key} is not in the glossary"
        places = PLACES.get(term.unit)
        assert places is not None, f"{command}: {key} ({term.unit.value}) holds a number {number}"
        written = len(number.split(".")[1]) if "." in number else 0
        assert written <= places, f"{command}: {key} = {number} has {written} places; its unit allows {places}"


def test_batch_lines_validate_against_their_commands_schemas() -> None:
    from invfut_cli.batchrun import result_line

    lines = [
        {"command": "pnl", "side": "long", "entry": 8000, "contracts": 10000, "exit": 9000, "leverage": 10},
        {"command": "liq-price", "side": "short", "entry": 60000, "contracts": 100, "balance": 1, "exchange": "okx"},
        {"command": "leverage", "entry": 8000, "contracts": 10000, "leverage": 10},
        {"command": "stress", "side": "long", "entry": 8000, "contracts": 10000, "leverage": 10, "move": ["-10%"]},
    ]
    for number, request in enumerate(lines, 1):
        out, _flags = result_line(number, json.dumps(request).encode())
        doc = json.loads(out, parse_float=Decimal)
        errors = list(validator(request["command"]).iter_errors(doc))
        assert not errors, (request["command"], [e.message for e in errors[:3]])


@pytest.mark.parametrize(
    ("command", "args"),
    [
        ("ladder", ("--side", "long", *POSITION, "--leverage", "10")),
        ("leverage", ("--entry", "8000", "--contracts", "10000", "--leverage", "10")),
        ("stress", ("--side", "long", *POSITION, "--leverage", "10")),
        ("liq-price", ("--side", "long", *POSITION, "--leverage", "10", "--exchange", "bybit")),
        ("pnl", ("--side", "long", *POSITION, "--exit", "9000")),
    ],
)
def test_csv_headers_are_declared_keys(command: str, args: tuple[str, ...]) -> None:
    """A CSV column is a row's key, or a flattened ``parent.child`` path of declared keys."""
    run = run_cli(command, *args, "--format", "csv")
    assert run.exit_code == 0, run.stderr
    header = next(csv.reader(io.StringIO(run.stdout)))
    declared = keys_of(LAYOUTS[command])
    inputs = LAYOUTS[command].get("inputs") or {}
    for column in header:
        parts = column.split(".")
        if parts[0] == "inputs":
            assert len(parts) >= 2 and parts[1] in inputs, column
            continue
        assert all(part in declared or part.isdigit() for part in parts), column


def test_glossary_has_one_key_per_concept() -> None:
    meanings: dict[str, str] = {}
    for key, term in GLOSSARY.items():
        assert term.meaning not in meanings, f"{key} and {meanings[term.meaning]} mean the same"
        meanings[term.meaning] = key
    # The synonyms the contract removed do not come back.
    for old, kept in (
        ("move_to_liquidation_pct", "distance_pct"),
        ("entry_price", "average_entry"),
        ("margin", "collateral"),
    ):
        assert old not in GLOSSARY and kept in GLOSSARY
    for command, layout in LAYOUTS.items():
        keys = keys_of(layout)
        assert keys <= set(GLOSSARY), f"{command}: not in the glossary: {sorted(keys - set(GLOSSARY))}"


def test_the_schema_command_prints_valid_schemas() -> None:
    run = run_cli("schema", "liq-price")
    assert run.exit_code == 0 and run.stderr == ""
    schema = json.loads(run.stdout, parse_float=Decimal)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False
    assert "liquidation_price" in schema["properties"]
    every = json.loads(run_cli("schema").stdout, parse_float=Decimal)
    assert set(every) == set(LAYOUTS)
    for one in every.values():
        Draft202012Validator.check_schema(one)
    bad = run_cli("schema", "nope")
    assert bad.exit_code == 2 and bad.stdout == "" and "nope" in bad.stderr


def test_a_number_that_escapes_its_rounding_fails_the_typed_check() -> None:
    """The places a schema states (``x-decimal-places``) are checked by invfut's own typed
    check, on the exact numbers, before a byte is written; the schema states them and leaves
    ``multipleOf`` out (stock validators read JSON numbers as binary floats)."""
    from invfut_cli.documents.typed import DocumentError, typed

    doc = json.loads(answer("liq-price", RUNS["liq-price"][0]), parse_float=Decimal)
    doc["liquidation_price_exact"] = Decimal("7305.936073059")
    with pytest.raises(DocumentError, match="liquidation_price_exact"):
        typed(doc)
    schema = document_schema("liq-price", LAYOUTS["liq-price"], OPTIONAL.get("liq-price", frozenset()))
    assert schema["properties"]["liquidation_price_exact"]["x-decimal-places"] == 8
    assert "multipleOf" not in json.dumps(schema)
    doc = json.loads(answer("liq-price", RUNS["liq-price"][0]), parse_float=Decimal)
    doc["collateral_coin"] = Decimal("1")
    assert list(validator("liq-price").iter_errors(doc))


def test_the_reference_carries_the_glossary() -> None:
    text = (ROOT / "docs" / "REFERENCE.md").read_text(encoding="utf-8")
    assert markdown() in text, "run: python tests/test_readme.py --update"


def test_each_key_has_one_meaning_though_features_share_it() -> None:
    """A key two features write (watch's and replay's ``funding_paid``) is written once: the
    later definition replaced the earlier one's meaning for both."""
    from invfut_cli import glossary
    from invfut_cli.glossary_contracts import CONTRACT_TERMS
    from invfut_cli.glossary_live import LIVE_TERMS
    from invfut_cli.glossary_risk import RISK_TERMS
    from invfut_cli.glossary_watch import WATCH_TERMS

    seen: set[str] = set()
    for terms in (WATCH_TERMS, CONTRACT_TERMS, LIVE_TERMS, RISK_TERMS):
        assert not seen & set(terms)
        seen |= set(terms)
    with pytest.raises(ValueError, match="'pnl' already"):
        glossary._merge({"pnl": ("COIN", "again")})
    assert "watch" in glossary.GLOSSARY["funding_paid"].meaning and "replay" in glossary.GLOSSARY["safety_pct"].meaning
