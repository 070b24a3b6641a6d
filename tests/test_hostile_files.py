"""Hostile files get the file error, not an internal one: nesting too deep (JSON nested
100,000 levels), a file or a line too large, NaN and infinities, a key given twice. A file
gives one stderr line naming it (and the line, where known), exit 6, nothing on stdout; a
batch line gives its error record and the run goes on. The corpus is tests/data/hostile/;
the files too big to keep there are made here."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ROOT, CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from invfut_cli.batchrun import MAX_LINE_BYTES, run
from invfut_cli.cli import app
from invfut_cli.datafile import MAX_DEPTH, MAX_FILE_BYTES, depth_of
from invfut_cli.exitcodes import ExitCode

HOSTILE = ROOT / "tests" / "data" / "hostile"
ACCOUNT_FILES = sorted(p for p in HOSTILE.iterdir() if p.suffix in (".json", ".toml"))
#: What each file's error says (besides naming the file).
SAYS = {
    "deep-40.json": f"nested more than {MAX_DEPTH} levels deep",
    "deep-40.toml": f"nested more than {MAX_DEPTH} levels deep",
    "duplicate-key.json": "line 4: key 'balance' is given twice",
    "duplicate-key-nested.json": "line 3: key 'entry' is given twice",
    "duplicate-key.toml": "line 3",
    "nan.json": "NaN is not a number",
    "nan.toml": "nan is not a number",
    "infinity.json": "Infinity is not a number",
    "minus-infinity.json": "-Infinity is not a number",
    "infinity.toml": "+inf is not a number",
    "not-an-object.json": "expected a table",
    "truncated.json": "not valid JSON",
    "not-utf8.json": "not valid UTF-8",
    "nul-bytes.toml": "not valid TOML",
    "huge-exponent.json": "balance",
}
DEEP = 100_000


def account(path: Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["account", str(path), "--price", "60000"], prog_name="invfut")
    return result.exit_code, result.stdout, result.stderr


def one_file_error(path: Path, says: str) -> None:
    code, out, err = account(path)
    assert code == ExitCode.CONFIG, (path.name, code, err)
    assert out == "", path.name
    (line,) = err.splitlines()
    assert str(path) in line and says in line, (path.name, line)
    assert "Traceback" not in err and "internal error" not in err


def test_the_corpus_names_what_each_file_says() -> None:
    assert {p.name for p in ACCOUNT_FILES} == set(SAYS)


@pytest.mark.parametrize("path", ACCOUNT_FILES, ids=lambda p: p.name)
def test_a_hostile_account_file_is_the_file_error(path: Path) -> None:
    one_file_error(path, SAYS[path.name])


@pytest.mark.parametrize("suffix", [".json", ".toml"])
def test_an_account_file_nested_100000_levels_is_the_file_error(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"deep{suffix}"
    nest = "[" * DEEP + "]" * DEEP
    if suffix == ".json":
        path.write_text('{"coin": "BTC", "balance": 1, "position": ' + nest + "}", encoding="utf-8")
    else:
        path.write_text(f'coin = "BTC"\nbalance = {nest}\n', encoding="utf-8")
    one_file_error(path, f"nested more than {MAX_DEPTH} levels deep")


def test_an_account_file_nested_100000_objects_deep_in_a_real_process(tmp_path: Path) -> None:
    """The process itself: exit 6 and one line, however deep the recursion would have gone."""
    path = tmp_path / "deep.json"
    path.write_text('{"a": ' * DEEP + "1" + "}" * DEEP, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "invfut_cli", "account", str(path), "--price", "60000"],
        capture_output=True, text=True, timeout=60, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == ExitCode.CONFIG and done.stdout == "", done.stderr
    (line,) = done.stderr.splitlines()
    assert str(path) in line and "nested" in line


def test_a_file_larger_than_the_limit_is_not_read(tmp_path: Path) -> None:
    """A sparse file one byte past the limit: refused after reading the limit, not more."""
    path = tmp_path / "big.json"
    with path.open("wb") as stream:
        stream.truncate(MAX_FILE_BYTES + 1)
    one_file_error(path, f"larger than {MAX_FILE_BYTES:,} bytes")


def test_a_hostile_config_file_is_the_file_error(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('exchange = "bybit"\nmmr = nan\n', encoding="utf-8")
    result = CliRunner().invoke(
        app, ["pnl", "--side", "long", "--entry", "8000", "--contracts", "1", "--exit", "9000"],
        env={"INVFUT_CONFIG": str(config)}, prog_name="invfut",
    )  # fmt: skip
    assert result.exit_code == ExitCode.CONFIG and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert str(config) in line and "nan is not a number" in line


def batch(data: bytes) -> tuple[int, list[dict[str, object]]]:
    out = io.StringIO()
    code = run(io.BytesIO(data), out)
    return code, [json.loads(line) for line in out.getvalue().splitlines()]


def test_hostile_batch_lines_get_error_records_and_the_run_goes_on() -> None:
    lines = (HOSTILE / "batch-lines.ndjson").read_bytes()
    code, records = batch(lines)
    assert code == ExitCode.BATCH_ERRORS
    assert [r.get("command") for r in (records[0], records[-1])] == ["pnl", "pnl"]
    errors = records[1:-1]
    assert [r["line"] for r in errors] == list(range(2, 2 + len(errors)))
    says = [
        "NaN is not",
        "Infinity is not",
        "'entry' is given twice",
        "nested more than",
        "-Infinity is not",
        "--entry",
    ]
    for record, expected in zip(errors, says, strict=True):
        error = record["error"]
        assert error["exit_code"] == ExitCode.USAGE, record
        assert expected in error["message"] or expected == error["option"], record


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('{"entry": 1, "entry": 2}', "entry"),  # flat
        ('{"entry" : 1, "entry":2}', "entry"),  # a space before one colon
        ('{"side": "a:b", "entry": 1, "entry": 2}', "entry"),  # a colon inside a string
        ('{"side": "long", "add": {"side": 1, "side": 2}}', "side"),  # in a nested object
        ('[{"entry": 1}, {"entry": 1, "entry": 2}]', "entry"),  # in a list
    ],
)
def test_a_key_given_twice_is_found_however_the_line_is_written(text: str, key: str) -> None:
    """Lines are read without a per-object key check when the colons show there can be no
    repeated key: every way of writing one still gets the key error."""
    from invfut_cli.datafile import Hostile, parse_json

    with pytest.raises(Hostile, match=f"key '{key}' is given twice"):
        parse_json(text)
    assert parse_json('{"side": "a:b", "entry": 1}') == {"side": "a:b", "entry": 1}


def test_a_line_of_the_longest_length_is_read_with_either_line_end() -> None:
    good = b'{"command": "pnl", "side": "long", "entry": 8000, "contracts": 1, "exit": 9000}'
    longest = good[:-1] + b" " * (MAX_LINE_BYTES - len(good)) + b"}"
    assert len(longest) == MAX_LINE_BYTES
    for end in (b"\n", b"\r\n"):
        code, records = batch(longest + end + good + end + longest + b"x" + end)
        assert code == ExitCode.BATCH_ERRORS, end
        assert [r.get("command") or r["error"]["message"] for r in records] == [
            "pnl",
            "pnl",
            f"line is longer than {MAX_LINE_BYTES} bytes",
        ], end


@pytest.mark.parametrize(
    ("text", "says"),
    [
        # the same key in an earlier object is not the repeat: line 5 is
        ('{"positions": [\n {"entry": 1},\n {"side": "long",\n  "entry": 2,\n  "entry": 3}]}', "line 5: key 'entry'"),
        ('{"it\'s": 1,\n "it\'s": 2}', 'line 2: key "it\'s"'),  # a quote in the key
        ('{"entry": 1,\n "\\u0065ntry": 2}', "line 2: key 'entry'"),  # the key written with an escape
    ],
)
def test_a_key_given_twice_is_placed_on_the_line_of_its_repeat(text: str, says: str) -> None:
    from invfut_cli.datafile import Hostile, parse_json

    with pytest.raises(Hostile) as raised:
        parse_json(text)
    assert str(raised.value) == f"{says} is given twice in one object"


def test_a_batch_line_nested_100000_levels_and_a_line_without_end_are_bounded() -> None:
    good = b'{"command": "pnl", "side": "long", "entry": 8000, "contracts": 1, "exit": 9000}\n'
    deep = b"[" * DEEP + b"]" * DEEP + b"\n"
    endless = b"x" * (3 * MAX_LINE_BYTES)  # no newline: never held whole
    code, records = batch(good + deep + endless + b"\n" + good + endless)
    assert code == ExitCode.BATCH_ERRORS
    assert [r.get("command") or r["error"]["message"] for r in records] == [
        "pnl",
        f"nested more than {MAX_DEPTH} levels deep",
        f"line is longer than {MAX_LINE_BYTES} bytes",
        "pnl",
        f"line is longer than {MAX_LINE_BYTES} bytes",
    ]


def test_depth_is_counted_without_recursion() -> None:
    value: list[object] = []
    for _ in range(DEEP):
        value = [value]
    assert depth_of(value) == MAX_DEPTH + 1  # stops counting past the limit
    assert depth_of({"a": [1, {"b": []}]}) == 4 and depth_of(1) == 0


#: A whole number past Python's limit on int() of a text (4,300 digits).
LONG = "9" * 5000


@pytest.mark.parametrize("suffix", [".json", ".toml"])
def test_an_account_file_with_a_5000_digit_integer_is_the_file_error(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"long{suffix}"
    if suffix == ".json":
        path.write_text(
            '{"coin": "BTC", "balance": ' + LONG + ', "position": [{"side": "long", "contracts": 1, "entry": 60000}]}',
            encoding="utf-8",
        )
    else:
        path.write_text(
            f'coin = "BTC"\nbalance = {LONG}\n[[position]]\nside = "long"\ncontracts = 1\nentry = 60000\n',
            encoding="utf-8",
        )
    one_file_error(path, "balance" if suffix == ".json" else "digits")
    assert len(account(path)[2]) < 600  # the value is not echoed in full


def test_a_batch_line_with_a_5000_digit_integer_is_an_error_record_and_the_run_goes_on() -> None:
    good = b'{"command": "pnl", "side": "long", "entry": 8000, "contracts": 1, "exit": 9000}\n'
    long_int = b'{"command": "pnl", "side": "long", "entry": 8000, "contracts": ' + LONG.encode() + b', "exit": 9000}\n'
    long_text = (
        b'{"command": "pnl", "side": "long", "entry": 8000, "contracts": "' + b"6" * 5000 + b'", "exit": 9000}\n'
    )
    code, records = batch(good + long_int + long_text + good)
    assert code == ExitCode.BATCH_ERRORS
    assert [r.get("command") for r in (records[0], records[3])] == ["pnl", "pnl"]
    for number, record in ((2, records[1]), (3, records[2])):
        assert record["line"] == number
        error = record["error"]
        assert error["exit_code"] == ExitCode.USAGE and error["option"] == "--contracts", error["message"][:300]
        assert "internal error" not in error["message"]
        assert len(error["message"]) < 400  # the 5,000-character value is cut, not repeated


def test_a_5000_digit_integer_in_a_real_batch_process() -> None:
    good = b'{"command": "pnl", "side": "long", "entry": 8000, "contracts": 1, "exit": 9000}\n'
    line = b'{"command": "pnl", "side": "long", "entry": 8000, "contracts": ' + LONG.encode() + b', "exit": 9000}\n'
    done = subprocess.run(
        [sys.executable, "-m", "invfut_cli", "batch"], input=line + good, capture_output=True, timeout=60, cwd=ROOT
    )
    assert done.returncode == ExitCode.BATCH_ERRORS, done.stderr
    assert done.stderr == b""
    first, second = (json.loads(x) for x in done.stdout.splitlines())
    assert first["line"] == 1 and first["error"]["exit_code"] == ExitCode.USAGE
    assert second["command"] == "pnl"


_KEYS = st.sampled_from(["side", "entry", "a:b", 'q"uote', "contracts", "fields"])
_VALUES = st.one_of(
    st.integers(-10, 10),
    st.sampled_from(["long", "x:y", '":', "\\", "{}", ""]),
    st.lists(st.sampled_from(["entry", "a:b"]), max_size=2),
    st.dictionaries(st.sampled_from(["side", "entry"]), st.integers(0, 3), max_size=2),
)


@settings(max_examples=300, deadline=None)
@given(
    pairs=st.lists(st.tuples(_KEYS, _VALUES), min_size=1, max_size=6),
    spaces=st.lists(st.sampled_from(["", " ", "\t", "\n "]), min_size=12, max_size=12),
)
def test_the_colon_count_never_lets_a_repeated_key_through(pairs: list[tuple[str, object]], spaces: list[str]) -> None:
    """Any object, any spacing, keys with colons and quotes, strings with colons, nested
    objects: ``parse_json`` reads it as the key-checking decoder does, and refuses it exactly
    when some object in it repeats a key."""
    from invfut_cli.datafile import Hostile, parse_json

    def text(value: object) -> str:
        if isinstance(value, dict):
            return "{" + ", ".join(f"{json.dumps(k)}: {text(v)}" for k, v in value.items()) + "}"
        return json.dumps(value)

    body = ",".join(
        f"{spaces[i % 12]}{json.dumps(key)}{spaces[(i + 3) % 12]}:{spaces[(i + 7) % 12]}{text(value)}"
        for i, (key, value) in enumerate(pairs)
    )
    line = "{" + body + "}"
    repeated = len({key for key, _ in pairs}) < len(pairs) or any(
        isinstance(v, dict) and len(v) != len(set(v)) for _, v in pairs
    )
    if repeated:
        with pytest.raises(Hostile, match="is given twice"):
            parse_json(line)
    else:
        assert parse_json(line) == json.loads(line, parse_float=Decimal, parse_int=Decimal)
