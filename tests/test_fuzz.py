"""Fuzz the command line from its own grammar: random argument lists, always with ``--json``.

The grammar is read from the click tree of the app (``typer.main.get_command``): each
command's options, whether they take a value, their fixed choices, their metavar. Values
are sensible ones (chosen by metavar: a PRICE, a RATE, N@PRICE …) mixed with junk (text,
extreme numbers, negatives, empty strings). Whatever comes in, the documented contract
holds: no uncaught exception, an exit code of :class:`ExitCode`, never 1 (internal error),
one JSON document on stdout for an answer (0, 3, 4), and for an error (2, 6) nothing on
stdout and one JSON line on stderr.
"""

from __future__ import annotations

import decimal
import json
import signal
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
import typer
from conftest import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from invfut_cli.cli import app
from invfut_cli.exitcodes import ExitCode

#: Exit codes that come with an answer on stdout, and those that come with an error on stderr.
ANSWER_CODES = {ExitCode.OK, ExitCode.STOP_BEYOND_LIQUIDATION, ExitCode.ALERT}
ERROR_CODES = {ExitCode.USAGE, ExitCode.CONFIG}
#: Commands not fuzzed here: ``batch`` reads NDJSON requests on stdin and has no options;
#: ``watch`` reads marks on stdin, writes a stream of events and runs ``--exec`` commands
#: (tests/test_watch.py drives it).
NOT_FUZZED = {"batch", "watch"}
#: Options left out: ``--help`` prints help text (not JSON) by design; ``--json`` is always
#: given; ``--format`` is drawn apart (json, junk, or table, csv and ndjson, which conflict
#: with ``--json``: exit 2). The live options (which read the network or a key) are the
#: live tests' business, and so is ``keys``.
LEFT_OUT = {"--help", "--json", "--format", "--refresh", "--live", "--save", "--timeout"}
#: Formats other than JSON: with ``--json`` they are conflicting options (exit 2).
OTHER_FORMATS = {"csv", "ndjson", "table"}


def json_numbers(text: str) -> tuple[Any, list[str]]:
    """``text`` parsed (numbers as ``Decimal``), and the text of every non-integer number in it."""
    written: list[str] = []

    def number(literal: str) -> Decimal:
        written.append(literal)
        return Decimal(literal)

    return json.loads(text, parse_float=number), written


@dataclass(frozen=True)
class Param:
    """One option (or positional argument) of a command, as the grammar says."""

    name: str
    flag: bool
    multiple: bool
    choices: tuple[str, ...]
    metavar: str
    required: bool
    positional: bool


def _choices(param: Any) -> tuple[str, ...]:
    descriptor = getattr(param, "type_descriptor", None)
    raw = descriptor.choices if descriptor is not None else getattr(getattr(param, "type", None), "choices", None)
    return tuple(str(c.value) if isinstance(c, Enum) else str(c) for c in raw or ())


def grammar() -> dict[str, tuple[Param, ...]]:
    """Every command's parameters, read from the app's click tree."""
    root = typer.main.get_command(app)
    ctx = root.context_class(root, info_name="invfut")
    out: dict[str, tuple[Param, ...]] = {}
    for name in root.list_commands(ctx):  # type: ignore[attr-defined]
        command = root.get_command(ctx, name)  # type: ignore[attr-defined]
        if command is None or name in NOT_FUZZED:
            continue
        sub = command.context_class(command, info_name=name, parent=ctx)
        params = []
        for param in command.get_params(sub):
            positional = param.param_type_name == "argument"
            opts = [o for o in param.opts if o.startswith("--")] or list(param.opts)
            flag = bool(getattr(param, "is_flag", False))
            params.append(
                Param(
                    name=max(opts, key=len),
                    flag=flag,
                    multiple=bool(param.multiple),
                    choices=() if flag else _choices(param),
                    metavar=(param.metavar or "").upper(),
                    required=bool(param.required),
                    positional=positional,
                )
            )
        out[name] = tuple(p for p in params if p.name not in LEFT_OUT)
    return out


GRAMMAR = grammar()
COMMANDS = sorted(set(GRAMMAR) - {"keys"})

# --- values ---------------------------------------------------------------------------------


#: The most decimal places a fuzzed number has: inputs finer than every output step.
MOST_PLACES = 12


def _fixed(low: str, high: str, places: int) -> st.SearchStrategy[str]:
    return st.decimals(Decimal(low), Decimal(high), places=places, allow_nan=False, allow_infinity=False).map(
        lambda d: format(d.normalize(), "f")
    )


def _dec(low: str, high: str, places: int) -> st.SearchStrategy[str]:
    """A number in ``[low, high]`` with ``places`` places, or (a third of the time) with up
    to :data:`MOST_PLACES`: every numeric option takes values finer than its output step."""
    return st.one_of(_fixed(low, high, places), _fixed(low, high, places), _fixed(low, high, MOST_PLACES))


def _or_fine(values: list[str], fine: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """One of ``values``, or a fine-grained one."""
    return st.one_of(st.sampled_from(values), fine)


PRICE = st.one_of(st.integers(1000, 20000).map(str), _dec("0.5", "100000", 2))
#: Sensible values by option name first (where one metavar covers different quantities),
#: then by metavar. Grid steps stay coarse so that no valid grid has millions of rows.
BY_NAME: dict[str, st.SearchStrategy[str]] = {
    "--contracts": st.one_of(st.integers(1, 100_000).map(str), st.sampled_from(["100", "1000", "10000"])),
    "--steps": st.integers(1, 40).map(str),
    "--periods": st.integers(0, 100).map(str),
    "--step": _or_fine(["100", "250", "500", "1000", "2500"], _fixed("100", "2500", MOST_PLACES)),
    "--contract-size": st.sampled_from(["1", "10", "100"]),
    "--tick": _or_fine(["0.01", "0.1", "0.5", "1"], _fixed("0.00000001", "2", MOST_PLACES)),
    "--target-usd": _dec("-1000", "1000", 2),
    "--target-pnl": _dec("-0.1", "0.1", 8),
    "--target-roe": _or_fine(["50%", "-20%", "0.5", "200%"], _fixed("-90", "300", MOST_PLACES).map(lambda v: v + "%")),
    "--mm-deduction": _dec("0", "0.01", 8),
    "--holding": _dec("0.01", "100", 4),
    "--pct": _dec("1", "99", 1),
    "--pct-step": _dec("1", "20", 1),
    "--fail-within": _dec("0", "50", 1),
    "--funding": _or_fine(["0.01%", "-0.01%", "0.0001", "0"], _fixed("-0.001", "0.001", MOST_PLACES)),
    "--scenario": st.sampled_from(["all", "covid-2020", "ftx-2022"]),
    "--coin": st.sampled_from(["BTC", "ETH", "btc", "XRP"]),
    "--quote": st.sampled_from(["USDT", "usdc", "USD"]),
    "--add": st.builds(
        lambda side, n, p: f"{side}:{n}@{p}", st.sampled_from(["long", "short"]), st.integers(1, 5000), PRICE
    ),
    "--exchange": st.sampled_from(["bybit,okx", "binance", "bitmex,kraken,deribit", "generic"]),
    "--vol-from": st.just(str(Path(__file__).parent / "data" / "candles_1m.csv")),
    "--horizon": st.sampled_from(["30m", "24h", "7d", "1y"]),
    "--account": st.just(str(Path(__file__).parent.parent / "examples" / "account.toml")),
    # A chart written where nothing else lives; a bad name is the junk's business.
    "--plot-file": st.just(str(Path(tempfile.gettempdir()) / "invfut-fuzz-chart.svg")),
    # Every document has its command; most have these.
    "--fields": st.sampled_from(["command", "command,coin", "liquidation_price,command"]),
}
#: Sensible values of a command's positional argument, where its metavar does not say enough.
POSITIONAL_VALUES: dict[tuple[str, str], st.SearchStrategy[str]] = {
    ("replay", "file"): st.just(str(Path(__file__).parent / "data" / "candles_1m.csv")),
}
BY_METAVAR: dict[str, st.SearchStrategy[str]] = {
    "PRICE": PRICE,
    "N": st.one_of(st.integers(1, 1000).map(str), _fixed("1", "1000", MOST_PLACES)),
    "L": _dec("0.5", "100", 2),
    "COIN": _dec("0.001", "10", 8),
    "USD": _or_fine(["1", "10", "100"], _fixed("1", "100", MOST_PLACES)),
    "RATE": _or_fine(["0.5%", "0.005", "0.075%", "0", "1%"], _fixed("0", "0.05", MOST_PLACES)),
    "PCT": _dec("1", "50", 1),
    "FEE": _or_fine(
        ["maker", "taker", "0.05%", "-0.025%", "0"], _fixed("-0.05", "0.1", MOST_PLACES).map(lambda v: v + "%")
    ),
    "H": st.integers(0, 72).map(str),
    "HOURS": st.sampled_from(["1", "4", "8"]),
    "AMOUNT": _or_fine(["2%", "0.01", "1%", "0.5%"], _fixed("0.1", "5", MOST_PLACES).map(lambda v: v + "%")),
    "RATIO": _or_fine(["50%", "1", "0.3", "100%"], _fixed("0", "1", MOST_PLACES)),
    "MOVE": _or_fine(["-30%", "10%", "-0.5", "50%", "-99%"], _fixed("-0.99", "1", MOST_PLACES)),
    "TIME": st.sampled_from(["2024-01-01T05:00:00Z", "1704070800", "1704070800000"]),
    "N@PRICE": st.builds(lambda n, p: f"{n}@{p}", st.integers(1, 5000), PRICE),
}
#: Junk: text, extreme numbers, negatives, empty; any value of any option may be one of these.
JUNK_WORDS = [
    "",
    " ",
    "0",
    "-0",
    "-1",
    "-5%",
    "nan",
    "NaN%",
    "inf",
    "-inf",
    "1e999",
    "-1e999",
    "1e999%",
    "0x10",
    "1,000",
    "1_000",
    "abc",
    "%",
    "@",
    "1@",
    "@1",
    "1@2@3",
    "1e12",
    "1e15",
    "1e16",
    "99999999999999999999",
    "0.00000001",
    "1e-9",
    "1e-20",
    "1e-30",
    "1e-999",
    "1e11",
    "-1e-9",
    "1E+3",
    "١٢٣",
    "½",
    "--json",
    "long",
    "maker",
]
JUNK = st.one_of(st.sampled_from(JUNK_WORDS), st.text(max_size=10))


def valid_value(param: Param) -> st.SearchStrategy[str]:
    """A sensible value for ``param``: one of its choices, or by its name or metavar."""
    if param.choices:
        return st.sampled_from(param.choices).flatmap(lambda c: st.sampled_from([c, c.upper()]))
    if param.name in BY_NAME:
        return BY_NAME[param.name]
    return BY_METAVAR.get(param.metavar, st.one_of(PRICE, _dec("0", "1", 4)))


#: Options given a value in most examples (when the command has them), so that many
#: examples are valid and reach the core and the renderer.
CORE = {"--side", "--entry", "--contracts", "--exit", "--leverage", "--holding", "--price", "--stop", "--risk"}


@st.composite
def invocations(draw: st.DrawFn, junk: bool = True) -> list[str]:
    """A command and an argument list built from its grammar, ``--json`` included; without
    ``junk``, every value is a sensible one (the answers' arithmetic gets the examples)."""
    command = draw(st.sampled_from(COMMANDS))
    params = GRAMMAR[command]
    core = [p for p in params if not p.positional and (p.required or p.name in CORE)]
    others = [p for p in params if not p.positional and p not in core]
    chosen = core + draw(st.lists(st.sampled_from(others), max_size=5, unique=True)) if others else list(core)
    words: list[list[str]] = []
    for param in chosen:
        if param.flag:
            if draw(st.integers(0, 3)):
                words.append([param.name])
            continue
        mode = draw(st.sampled_from(["valid"] * 17 + (["junk", "junk", "drop"] if junk else ["drop"])))
        if mode == "drop":
            continue
        count = draw(st.integers(1, 3)) if param.multiple else 1
        for _ in range(count):
            value = draw(valid_value(param) if mode == "valid" else JUNK)
            words.append([param.name, value])
    if junk and draw(st.integers(0, 30)) == 0:  # an option of another command, or none at all
        words.append([draw(st.sampled_from(["--bogus", "--exit", "--stop", "--move", "--pct", "--risk"])), "1"])
    if draw(st.integers(0, 10)) == 0:  # --format: json, junk, or another format (a conflict with --json)
        formats = ["json", "JSON", "yaml", "", *sorted(OTHER_FORMATS)] if junk else ["json", "JSON"]
        words.append(["--format", draw(st.sampled_from(formats))])
    words = draw(st.permutations(words))
    positional = []
    for param in (p for p in params if p.positional):
        # Sensible values give a required argument always (replay's candle file).
        if (param.required and not junk) or draw(st.booleans()):
            sensible = POSITIONAL_VALUES.get((command, param.name), valid_value(param))
            positional.append(draw(sensible if not junk or draw(st.integers(0, 3)) else JUNK))
    as_json = ["--json"]
    return [command, *as_json, *(w for pair in words for w in pair), *positional]


# --- running ----------------------------------------------------------------------------------


class Hung(BaseException):
    """One invocation ran too long (a BaseException, so the CLI's catch-all does not eat it)."""


SECONDS_PER_RUN = 10


def _alarm(signum: int, frame: Any) -> None:
    raise Hung(f"one invocation ran for more than {SECONDS_PER_RUN} s")


@pytest.fixture
def fast_runner() -> Iterator[None]:
    """Runs under :data:`SECONDS_PER_RUN`'s alarm, in a fresh default decimal context. (The
    app's click tree is built once per session: ``CliRunner`` in conftest.py.)"""
    previous = signal.signal(signal.SIGALRM, _alarm)
    context = decimal.getcontext()
    decimal.setcontext(decimal.Context())  # a fresh default context, as a new process has
    yield
    decimal.setcontext(context)
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str
    exception: BaseException | None


def invoke(argv: list[str]) -> Outcome:
    """Run ``invfut ARGV`` in-process; a run past :data:`SECONDS_PER_RUN` fails the example."""
    signal.alarm(SECONDS_PER_RUN)
    try:
        result = CliRunner().invoke(app, argv, prog_name="invfut")
    except Hung:
        raise AssertionError(f"invfut {' '.join(argv)}: still running after {SECONDS_PER_RUN} s") from None
    finally:
        signal.alarm(0)
    return Outcome(result.exit_code, result.stdout, result.stderr, result.exception)


def check(argv: list[str], run: Outcome) -> None:
    """The documented contract for any command line with ``--json``."""
    where = f"invfut {' '.join(repr(a) if not a or ' ' in a else a for a in argv)}"
    assert run.exception is None or isinstance(run.exception, SystemExit), f"{where}: {run.exception!r}"
    assert "Traceback" not in run.stderr, f"{where}: {run.stderr}"
    assert run.code in set(ExitCode), f"{where}: exit {run.code}"
    assert run.code != ExitCode.INTERNAL, f"{where}: internal error: {run.stderr}"
    if any(a == "--format" and b in OTHER_FORMATS for a, b in pairwise(argv)):  # a conflict with --json
        assert run.code == ExitCode.USAGE, f"{where}: exit {run.code}, expected 2: --json with another --format"
    if run.code in ANSWER_CODES:
        document, numbers = json_numbers(run.stdout)
        assert isinstance(document, dict) and document.get("command") == argv[0], f"{where}: {run.stdout[:200]}"
        exponents = [n for n in numbers if "e" in n.lower()]
        assert not exponents, f"{where}: JSON numbers with an exponent: {exponents[:5]}"
        if run.code == ExitCode.OK:
            # stderr stays empty but for notes (a unit slip, columns a narrow table left out).
            noise = [line for line in run.stderr.splitlines() if ": note: " not in line]
            assert not noise, f"{where}: {run.stderr}"
    elif run.code in ERROR_CODES:
        assert run.stdout == "", f"{where}: stdout {run.stdout[:200]!r}"
        lines = run.stderr.splitlines()
        assert len(lines) == 1, f"{where}: {run.stderr}"
        error = json.loads(lines[0])["error"]
        assert error["exit_code"] == run.code, f"{where}: {error}"
        assert isinstance(error["message"], str) and error["message"].strip(), f"{where}: {error}"
        # An option, or a positional argument by its name (exchanges NAME, account FILE).
        positional = {p.name.lower() for p in GRAMMAR.get(argv[0], []) if p.positional}
        assert error["option"] is None or error["option"].startswith("-") or error["option"].lower() in positional, (
            f"{where}: {error}"
        )
    else:
        raise AssertionError(f"{where}: exit {run.code} is not expected here: {run.stderr}")


# --- the tests --------------------------------------------------------------------------------

EXAMPLES = 2000
SEEN: Counter[str] = Counter()


def fuzz(junk: bool) -> tuple[Counter[int], Counter[str]]:
    """Run :data:`EXAMPLES` command lines; the exit codes seen, and the commands run."""
    codes: Counter[int] = Counter()
    commands: Counter[str] = Counter()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(argv=invocations(junk=junk))
    def run(argv: list[str]) -> None:
        outcome = invoke(argv)
        codes[outcome.code] += 1
        commands[argv[0]] += 1
        event(f"exit {outcome.code}")
        check(argv, outcome)

    run()
    total = sum(codes.values())
    label = "fuzz" if junk else "fuzz (sensible values)"
    SEEN.update({f"{label}: exit {code}": n for code, n in codes.items()})
    SEEN[f"{label}: examples"] += total
    sys.stdout.write(f"\n{label}: {total} examples; exit codes {dict(sorted(codes.items()))}; {dict(commands)}\n")
    assert total >= EXAMPLES
    assert set(commands) == set(COMMANDS)
    return codes, commands


def test_fuzz_the_command_line(fast_runner: None) -> None:
    """≥ 2,000 random command lines from the grammar, junk included, keep the contract."""
    codes, _ = fuzz(junk=True)
    assert codes[ExitCode.OK] >= EXAMPLES // 10, "too few valid command lines: the fuzz would test only errors"
    assert codes[ExitCode.USAGE] >= EXAMPLES // 10, "too few bad command lines"


def test_fuzz_sensible_values(fast_runner: None) -> None:
    """≥ 2,000 more with sensible values only: about a third of them are answers (31–35% over
    many runs: the rest combine options that conflict), so at least a quarter must be."""
    codes, _ = fuzz(junk=False)
    assert codes[ExitCode.OK] >= EXAMPLES // 4, "too few answers"


def test_grammar_is_read_from_the_app() -> None:
    """The fuzz covers every command and sees their choices and flags."""
    assert {"pnl", "liq-price", "leverage", "ladder", "exchanges"} <= set(GRAMMAR)
    pnl = {p.name: p for p in GRAMMAR["pnl"]}
    assert set(pnl["--side"].choices) >= {"long", "short"}
    assert pnl["--fill"].multiple and pnl["--explain"].flag and not pnl["--entry"].flag
    assert "bitmex" in pnl["--exchange"].choices
    (name,) = [p for p in GRAMMAR["exchanges"] if p.positional]
    assert "deribit" in name.choices
    for command, params in GRAMMAR.items():
        free = [p for p in params if not p.flag and not p.choices and not p.positional]
        unknown = {p.name for p in free if p.name not in BY_NAME and p.metavar not in BY_METAVAR}
        assert not unknown, f"{command}: no sensible values for {unknown}"


def test_fuzz_histogram() -> None:
    """Report what the fuzz ran (run the file with -s to see it)."""
    if not SEEN:
        pytest.skip("the fuzz test did not run in this session")
    sys.stdout.write(f"\nfuzz totals: {dict(SEEN)}\n")
    assert SEEN["fuzz: examples"] >= EXAMPLES or SEEN["fuzz (sensible values): examples"] >= EXAMPLES
    internal = sum(n for key, n in SEEN.items() if key.endswith("exit 1"))
    assert internal == 0, "internal errors: every exit 1 fails its fuzz test"


#: Fuzzed valid requests with fine-grained numbers (up to 12 places on every numeric field).
FINE_REQUESTS = 20_000


def test_fine_grained_valid_requests_never_end_in_an_internal_error() -> None:
    """≥ 20,000 valid requests whose numbers have up to 12 decimal places (every numeric
    field: :mod:`fine_requests`), answered by ``batch`` in this process: no line ends in an
    internal error (exit 1), and most are answers (the rest are usage errors: combinations
    a venue refuses, such as a fraction of a lot)."""
    import io
    import random

    from fine_requests import COMMANDS, request

    from invfut_cli.batchrun import run

    rng = random.Random(19)
    lines = [request(rng) for _ in range(FINE_REQUESTS)]
    source = io.BytesIO("".join(json.dumps(line) + "\n" for line in lines).encode())
    out = io.StringIO()
    run(source, out)
    results = out.getvalue().splitlines()
    assert len(results) == FINE_REQUESTS
    codes: Counter[int] = Counter()
    answered: Counter[str] = Counter()
    internal = []
    for line, text in zip(lines, results, strict=True):
        if text.startswith('{"line": '):
            error = json.loads(text)["error"]
            codes[error["exit_code"]] += 1
            if error["exit_code"] == ExitCode.INTERNAL:
                internal.append((line, error["message"]))
        else:
            codes[0] += 1
            answered[line["command"]] += 1
    SEEN["fine-grained requests"] += FINE_REQUESTS
    SEEN["fine-grained: exit 1"] += len(internal)
    sys.stdout.write(f"\nfine-grained: {FINE_REQUESTS} requests; internal errors {len(internal)}; "
                     f"codes {dict(sorted(codes.items()))}; answers by command {dict(sorted(answered.items()))}\n")  # fmt: skip
    assert not internal, internal[:3]
    assert codes[0] >= FINE_REQUESTS // 2, "too few answers: the fine-grained fuzz would test only usage errors"
    assert set(answered) == set(COMMANDS)


LADDER = ["ladder", "--side", "long", "--entry", "8000", "--contracts", "10"]


@pytest.mark.parametrize("order", ["json-first", "format-first"])
@pytest.mark.parametrize("fmt", sorted(OTHER_FORMATS))
def test_json_with_another_format_is_a_conflict(fast_runner: None, fmt: str, order: str) -> None:
    """``--json`` is ``--format json``: with ``--format csv|ndjson|table`` it is exit 2, the
    error on ``--format``, as one JSON line on stderr and nothing on stdout."""
    given = ["--json", "--format", fmt] if order == "json-first" else ["--format", fmt, "--json"]
    run = invoke([*LADDER, *given])
    assert run.code == ExitCode.USAGE, (run.code, run.stdout[:200], run.stderr)
    assert run.stdout == ""
    (line,) = run.stderr.splitlines()
    error = json.loads(line)["error"]
    assert error["option"] == "--format" and error["exit_code"] == ExitCode.USAGE, error


@pytest.mark.parametrize("fmt", ["json", "JSON"])
def test_json_with_format_json_is_one_document(fast_runner: None, fmt: str) -> None:
    run = invoke([*LADDER, "--json", "--format", fmt])
    assert run.code == ExitCode.OK and run.stderr == "", run.stderr
    assert json.loads(run.stdout, parse_float=Decimal)["command"] == "ladder"
