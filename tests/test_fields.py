"""``--fields``: the document holds only the keys asked, in the order asked, each with the
value the whole document gives it; unknown keys are usage errors; ``batch`` takes fields
per line and for all lines, and its lean path answers as the full path does."""

from __future__ import annotations

import csv
import io
import json
import random
import subprocess
import sys
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from fractions import Fraction
from typing import Any

import pytest
from conftest import run_cli
from test_schema import RUNS

from invfut_cli import batchrun, lean

#: The first command line of each command that writes a document.
FIRST = {command: runs[0] for command, runs in RUNS.items()}


def whole(command: str, args: tuple[str, ...]) -> dict[str, Any]:
    run = run_cli(command, *args, "--json")
    assert run.exit_code in (0, 3, 4), run.stderr
    return json.loads(run.stdout, parse_float=Decimal)


def asked_keys(doc: dict[str, Any]) -> list[str]:
    """Keys to ask of ``doc``: a few top-level ones out of their order, a nested one, and two
    row keys in reverse order where the document has rows of objects."""
    plain = [k for k in doc if k not in ("rows", "inputs", "explain")]
    keys = list(dict.fromkeys([plain[-1], plain[0], plain[len(plain) // 2]]))
    nested = next((k for k in plain if isinstance(doc[k], dict) and doc[k] and k not in keys), None)
    if nested is not None:
        keys.append(f"{nested}.{list(doc[nested])[-1]}")
    rows = doc.get("rows")
    if isinstance(rows, list) and rows and isinstance(rows[0], dict):
        row_keys = list(rows[0])
        keys += [f"rows.{row_keys[-1]}", f"rows.{row_keys[0]}"]
    return keys


def expected(doc: dict[str, Any], keys: list[str]) -> dict[str, Any]:
    """What the keys asked pick out of the whole document, built here from the dotted paths."""
    out: dict[str, Any] = {}
    for key in keys:
        top, _, rest = key.partition(".")
        if not rest:
            out[top] = doc[top]
        elif isinstance(doc[top], list):
            rows = out.setdefault(top, [{} for _ in doc[top]])
            for mine, row in zip(rows, doc[top], strict=True):
                mine[rest] = row[rest]
        else:
            out.setdefault(top, {})[rest] = doc[top][rest]
    return out


@pytest.mark.parametrize("command", sorted(FIRST))
def test_fields_keep_the_keys_asked_in_order_with_the_whole_documents_values(command: str) -> None:
    args = FIRST[command]
    full = whole(command, args)
    keys = asked_keys(full)
    cut = whole(command, (*args, "--fields", ",".join(keys)))
    want = expected(full, keys)
    assert list(cut) == list(want)  # the top-level keys, in the order first asked
    assert cut == want
    for top, value in want.items():  # nested keys in the order asked too
        if isinstance(value, dict):
            assert list(cut[top]) == list(value)
        if isinstance(value, list) and value and isinstance(value[0], dict):
            assert [list(row) for row in cut[top]] == [list(row) for row in value]


def test_a_parent_asked_whole_keeps_all_its_keys() -> None:
    args = FIRST["liq-price"]
    full = whole("liq-price", args)
    cut = whole("liq-price", (*args, "--fields", "order_cost,order_cost.total,liquidation_price"))
    assert cut == {"order_cost": full["order_cost"], "liquidation_price": full["liquidation_price"]}


def test_csv_has_the_columns_asked() -> None:
    args = ("--side", "long", "--entry", "8000", "--contracts", "10000", "--leverage", "10")
    full = list(csv.DictReader(io.StringIO(run_cli("ladder", *args, "--format", "csv").stdout)))
    run = run_cli("ladder", *args, "--format", "csv", "--fields", "rows.pnl,rows.price")
    assert run.exit_code == 0, run.stderr
    table = list(csv.reader(io.StringIO(run.stdout)))
    assert table[0] == ["pnl", "price"]
    assert table[1:] == [[row["pnl"], row["price"]] for row in full]
    one = list(csv.reader(io.StringIO(run_cli("liq-price", *args, "--format", "csv", "--fields",
                                              "order_cost.total,liquidation_price").stdout)))  # fmt: skip
    doc = whole("liq-price", args)
    assert one == [["order_cost.total", "liquidation_price"], [str(doc["order_cost"]["total"]),
                                                              str(doc["liquidation_price"])]]  # fmt: skip


def test_an_unknown_key_is_a_usage_error_listing_close_keys() -> None:
    args = ("--side", "long", "--entry", "8000", "--contracts", "10000", "--leverage", "10")
    run = run_cli("liq-price", *args, "--fields", "liquidation_price,order_cost.totl")
    assert run.exit_code == 2
    assert run.stdout == ""
    assert len(run.stderr.splitlines()) == 1
    assert "--fields" in run.stderr and "'order_cost.totl'" in run.stderr and "order_cost.total" in run.stderr
    misspelt = run_cli("pnl", "--side", "long", "--entry", "8000", "--exit", "9000", "--contracts", "1",
                       "--fields", "roe_pc")  # fmt: skip
    assert misspelt.exit_code == 2 and misspelt.stdout == "" and "roe_pct" in misspelt.stderr
    twice = run_cli("liq-price", *args, "--fields", "liquidation_price,liquidation_price")
    assert twice.exit_code == 2 and twice.stdout == ""
    batch = run_cli("batch", "--fields", "liquidaton_price")
    assert batch.exit_code == 2 and batch.stdout == "" and "liquidation_price" in batch.stderr


def test_an_unknown_key_under_a_parent_asked_whole_is_a_usage_error_too() -> None:
    args = ("--side", "long", "--entry", "8000", "--contracts", "10000", "--leverage", "10")
    for keys in ("order_cost,order_cost.totl", "order_cost.totl,order_cost"):
        run = run_cli("liq-price", *args, "--fields", keys)
        assert run.exit_code == 2, keys
        assert run.stdout == ""
        assert "'order_cost.totl'" in run.stderr and "order_cost.total" in run.stderr


def test_only_the_work_the_keys_need_is_done(monkeypatch: pytest.MonkeyPatch) -> None:
    """A liquidation price needs no order cost and no sensitivities: with both made to fail,
    ``--fields liquidation_price`` still answers, and the whole document does not."""
    from invfut_cli.commands import liq_price
    from invfut_cli.core import sensitivity

    def broken(*_: Any, **__: Any) -> Any:
        raise RuntimeError("not needed")

    monkeypatch.setattr(liq_price, "liq_order", broken)
    monkeypatch.setattr(sensitivity, "sensitivity", broken)
    args = ("--side", "long", "--entry", "8000", "--contracts", "10000", "--leverage", "10", "--json")
    assert run_cli("liq-price", *args).exit_code == 1
    lean_run = run_cli("liq-price", *args, "--fields", "liquidation_price")
    # 8000 / (1/10 + 1 − 0.005) = 7305.936…, a long's rounded up to the cent.
    assert lean_run.exit_code == 0 and json.loads(lean_run.stdout) == {"liquidation_price": 7305.94}


def test_row_keys_are_worked_out_where_rows_carry_them() -> None:
    """A ladder's rows carry the sensitivities: asked as row keys, they are worked out."""
    args = ("--side", "long", "--entry", "8000", "--contracts", "10000", "--leverage", "10", "--sensitivities",
            "--from", "7000", "--to", "9000", "--steps", "3", "--json")  # fmt: skip
    full = whole("ladder", args)
    cut = whole("ladder", (*args, "--fields", "rows.coin_delta,rows.price"))
    assert cut == {"rows": [{"coin_delta": row["coin_delta"], "price": row["price"]} for row in full["rows"]]}
    assert all(row["coin_delta"] is not None for row in cut["rows"])


def batch_lines(lines: list[str], fields: str | None = None) -> list[str]:
    """``invfut batch`` in this process (``batchrun.run`` with one block), its output lines."""
    out = io.StringIO()
    batchrun.run(io.BytesIO("".join(line + "\n" for line in lines).encode()), out, 0,
                 None if fields is None else tuple(fields.split(",")))  # fmt: skip
    return out.getvalue().splitlines()


def test_batch_fields_per_line_and_for_every_line() -> None:
    base = {"command": "liq-price", "side": "short", "entry": 8000.5, "contracts": 100, "leverage": 3}
    pnl = {"command": "pnl", "side": "long", "entry": 8000, "exit": 9000, "contracts": 100}
    text = [json.dumps(base), json.dumps(pnl)]
    full = [json.loads(line, parse_float=Decimal) for line in batch_lines(text)]
    own = batch_lines([json.dumps({**base, "fields": ["bankruptcy_price", "order_cost.total"]}),
                       json.dumps({**pnl, "fields": "roe_pct,pnl"})])  # fmt: skip
    assert [json.loads(line, parse_float=Decimal) for line in own] == [
        {"bankruptcy_price": full[0]["bankruptcy_price"], "order_cost": {"total": full[0]["order_cost"]["total"]}},
        {"roe_pct": full[1]["roe_pct"], "pnl": full[1]["pnl"]},
    ]
    assert list(json.loads(own[1])) == ["roe_pct", "pnl"]
    every = [json.loads(line, parse_float=Decimal) for line in batch_lines(text, "liquidation_price")]
    assert every == [{"liquidation_price": doc["liquidation_price"]} for doc in full]
    bad = json.loads(batch_lines([json.dumps({**pnl, "fields": ["order_cost"]})])[0])
    assert bad["error"]["option"] == "--fields" and bad["error"]["exit_code"] == 2


def fine(rng: random.Random, low: int, high: int) -> str:
    """A number from ``low`` to ``high`` with 0 to 12 decimal places, as JSON text."""
    places = rng.choice((0, 0, 1, 2, 5, 8, 12))
    whole_part = rng.randint(low, high)
    return str(whole_part) if not places else f"{whole_part}.{rng.randrange(10**places):0{places}d}"


def random_line(rng: random.Random) -> str:
    """A ``liq-price`` line: mostly valid, with fine numbers; a fifth with one bad or unusual value."""
    values: dict[str, str] = {
        "side": json.dumps(rng.choice(("long", "short"))),
        "entry": fine(rng, 1, 90000),
        "contracts": fine(rng, 1, 10**6),
        "leverage": fine(rng, 1, 125),
        "mm_basis": json.dumps(rng.choice(("entry", "mark"))),
    }
    if rng.random() < 0.5:
        values["mmr"] = f"0.{rng.randrange(1, 10**6):06d}"
    if rng.random() < 0.5:
        values["taker_fee"] = f"0.{rng.randrange(0, 10**5):05d}"
    if rng.random() < 0.3:
        values["fail_within"] = fine(rng, 0, 50)
    if rng.random() < 0.3:
        values["mark"] = fine(rng, 1, 90000)
    if rng.random() < 0.2:  # one value the lean path does not take, valid or not
        key, bad = rng.choice([
            ("entry", '"abc"'), ("entry", "0"), ("entry", "1e13"), ("leverage", "0"), ("leverage", "1001"),
            ("mmr", "1"), ("mmr", '"0.5%"'), ("taker_fee", "-0.1"), ("side", '"LONG"'), ("side", '"up"'),
            ("contracts", "-5"), ("fail_within", "1000.5"), ("mm_basis", '"tier"'), ("mark", "null"),
            ("coin", '"ETH"'), ("margin", "0.1"), ("leverage", "true"), ("entry", '"8000"'), ("explain", "true"),
        ])  # fmt: skip
        values[key] = bad
    body = ", ".join(f'"{k}": {v}' for k, v in values.items())
    return f'{{"command": "liq-price", {body}, "fields": ["liquidation_price"]}}'


def test_the_lean_path_answers_as_the_full_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Byte for byte on 400 random lines with numbers to 12 places, invalid lines included:
    the same answer, or the same error record, and the same alert."""
    rng = random.Random(19)
    lines = [random_line(rng) for _ in range(400)]
    taken = []
    real = lean.liquidation_price_line

    def counted(values: dict[str, Any]) -> Any:
        answer = real(values)
        taken.append(answer is not None)
        return answer

    monkeypatch.setattr(batchrun, "liquidation_price_line", counted)
    fast = [batchrun.result_line(n, line.encode()) for n, line in enumerate(lines, 1)]
    monkeypatch.setattr(batchrun, "_lean", lambda values: None)
    slow = [batchrun.result_line(n, line.encode()) for n, line in enumerate(lines, 1)]
    assert fast == slow
    assert sum(taken) > 250  # most lines took the lean path
    assert sum(1 for text, flags in slow if flags & batchrun.FAILED) > 20  # and invalid lines were tried
    assert sum(1 for text, flags in slow if flags & batchrun.ALERT) > 5


def test_the_lean_price_is_the_formulas(monkeypatch: pytest.MonkeyPatch) -> None:
    """Entry family without a fee: ``P = s·Q/(C + (s − m)·Q/E)`` with ``C = Q/(E·L)``, in
    fractions, to the price step toward safety (a long's up, a short's down)."""
    rng = random.Random(7)
    for _ in range(100):
        side = rng.choice(("long", "short"))
        entry, contracts, leverage = Decimal(fine(rng, 100, 90000)), rng.randint(1, 10**6), rng.randint(1, 100)
        mmr = Decimal(f"0.{rng.randrange(1, 10**4):04d}")
        line = json.dumps({"command": "liq-price", "side": side, "entry": str(entry), "contracts": contracts,
                           "leverage": leverage, "mmr": str(mmr), "fields": ["liquidation_price"]})  # fmt: skip
        line = line.replace(f'"{entry}"', str(entry)).replace(f'"{mmr}"', str(mmr))
        text, _ = batchrun.result_line(1, line.encode())
        s = 1 if side == "long" else -1
        e, q = Fraction(entry), Fraction(contracts)
        denominator = q / (e * leverage) + (s - Fraction(mmr)) * q / e
        shown = json.loads(text, parse_float=Decimal)["liquidation_price"]
        if denominator == 0 or s * q / denominator <= 0:
            assert shown is None
            continue
        price = s * q / denominator
        places = max(2, min(8, -entry.as_tuple().exponent))  # type: ignore[operator]
        step = Decimal(1).scaleb(-places)
        want = (Decimal(price.numerator) / Decimal(price.denominator)).quantize(
            step, ROUND_CEILING if s == 1 else ROUND_FLOOR
        )
        assert shown == want, (line, shown, want)


def test_batch_fields_in_a_real_process() -> None:
    """The exit code still follows the whole answer: an alert gives 4 on the lean path too."""
    lines = [
        {"command": "liq-price", "side": "long", "entry": 8000, "contracts": 10000, "leverage": 10},
        {"command": "liq-price", "side": "long", "entry": 8000, "contracts": 10000, "leverage": 10,
         "mark": 7300, "fail_within": 5},
    ]  # fmt: skip
    run = subprocess.run(
        [sys.executable, "-m", "invfut_cli", "batch", "--fields", "liquidation_price"],
        input="".join(json.dumps(line) + "\n" for line in lines),
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 4, run.stderr
    assert run.stdout == '{"liquidation_price": 7305.94}\n' * 2


@pytest.mark.parametrize(
    ("command", "extra", "key"),
    [
        ("liq-price", (), "liquidation_probability.touch_pct"),
        ("liq-price", (), "probability_target.price"),
        ("liq-price", (), "mark_source.venue"),
        ("ladder", (), "versus.liquidation_price"),
    ],
)
def test_a_key_of_an_optional_block_the_answer_lacks_is_null(command: str, extra: tuple[str, ...], key: str) -> None:
    """Asked for a key inside a block only some answers carry (the model probability without
    --vol, the live mark's source without --mark live, ladder's --versus): the block is null,
    the answer still exits 0 with every key asked."""
    args = ("--side", "long", "--entry", "60000", "--contracts", "10000", "--leverage", "10", *extra)
    run = run_cli(command, *args, "--fields", f"liquidation_price,{key}", "--json")
    assert run.exit_code == 0, run.stderr
    doc = run.json()
    top = key.split(".")[0]
    assert list(doc) == ["liquidation_price", top] and doc[top] is None
    whole = run_cli(command, *args, "--json").json()
    assert top not in whole  # the whole answer does not carry the block at all
    assert doc["liquidation_price"] == whole["liquidation_price"]
