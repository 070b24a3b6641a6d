"""A corpus of bad invocations: each one is one stderr line naming the option, an exit code, no stdout.

The table is generated: a valid base invocation per command, changed by one
``(option, bad value)`` at a time (or a few options at once, for conflicts and grids),
with the option the error must name. Every case also runs with ``--json``, where the
error is one JSON object ``{"error": {"option", "message", "exit_code"}}`` on stderr.

The contract checked here is docs/REFERENCE.md's "Errors and exit codes" section and
:class:`invfut_cli.exitcodes.ExitCode`: bad input is exit 2, a broken config (file or
``INVFUT_*`` variable) is exit 6, and a user never sees a traceback.
"""

from __future__ import annotations

import decimal
import json
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import ROOT, Run

from invfut_cli.exitcodes import ExitCode

#: A valid invocation of each command (checked by ``test_every_base_invocation_is_valid``).
BASES: dict[str, dict[str, str]] = {
    "pnl": {"--side": "long", "--entry": "8000", "--exit": "9000", "--contracts": "10000", "--leverage": "10"},
    "liq-price": {"--side": "long", "--entry": "8000", "--contracts": "10000", "--leverage": "10"},
    "leverage": {"--entry": "8000", "--contracts": "10000", "--leverage": "10"},
    "ladder": {"--side": "long", "--entry": "8000", "--contracts": "10000", "--leverage": "10"},
    "exchanges": {},
    "size": {"--entry": "8000", "--stop": "7600", "--balance": "1", "--risk": "2%"},
    "hedge": {"--holding": "1", "--price": "8000"},
    "stress": {"--side": "long", "--entry": "8000", "--contracts": "10000", "--leverage": "10", "--move": "-30%"},
}

#: Marks an option to leave out of the base invocation.
DROP = None
#: Key of ``changes`` for positional arguments (after the options).
ARGS = "ARGS"

Value = str | tuple[str, ...] | None


@dataclass(frozen=True)
class Case:
    """One bad invocation and what its error must say."""

    command: str
    label: str
    changes: Mapping[str, Value]
    #: The option the error names (the JSON ``option``); a set when either answer is right;
    #: ``None`` when no option is at fault (the message must then mention ``mentions``).
    option: str | frozenset[str | None] | None
    code: ExitCode = ExitCode.USAGE
    #: Text the stderr line must contain (default: the option).
    mentions: str | None = None
    #: Environment variables set for the run.
    env: Mapping[str, str] = field(default_factory=dict)
    #: A config file's text (written to a temporary file that ``INVFUT_CONFIG`` names).
    config: str | None = None
    #: Run as a subprocess with a timeout: a wrong answer here is a run that never ends.
    guarded: bool = False

    @property
    def id(self) -> str:
        return f"{self.command}:{self.label}"

    def argv(self, as_json: bool = False) -> list[str]:
        """The command line: the base with the changes, ``--json`` right after the command."""
        options: dict[str, Value] = dict(BASES[self.command])
        positional: tuple[str, ...] = ()
        for option, value in self.changes.items():
            if option == ARGS:
                positional = value if isinstance(value, tuple) else (str(value),)
                continue
            options.pop(option, None)
            if value is not DROP:
                options[option] = value
        argv = [self.command, *(["--json"] if as_json else [])]
        for option, value in options.items():
            if isinstance(value, tuple):
                for item in value:
                    argv += [option, item]
            elif value is not None and value.startswith("="):
                argv.append(option + value)  # --json=1: an option glued to a value
            elif value is not None:
                argv += [option, value]
        return argv + list(positional)

    def accepts(self, option: str | None) -> bool:
        """Whether ``option`` (the JSON ``option``) is the one at fault."""
        if isinstance(self.option, frozenset):
            return option in self.option
        return option == self.option

    @property
    def needle(self) -> str:
        """What the one stderr line must contain."""
        if self.mentions is not None:
            return self.mentions
        if isinstance(self.option, str):
            return self.option
        raise AssertionError(f"{self.id}: give `mentions` when the option is not one string")


# --- the bad values -------------------------------------------------------------------------

#: Bad values for an option that takes a number greater than zero.
POSITIVE_BAD = {
    "zero": "0",
    "minus-zero": "-0",
    "negative": "-1",
    "nan": "nan",
    "NaN": "NaN",
    "inf": "inf",
    "-inf": "-inf",
    "1e999": "1e999",
    "empty": "",
    "thousands": "1,000",
    "hex": "0x10",
    "text": "abc",
    "whitespace": " ",
}
#: Bad values for an option that takes a number of at least zero.
NON_NEGATIVE_BAD = {k: v for k, v in POSITIVE_BAD.items() if k not in ("zero", "minus-zero")}
#: Bad values for a rate: below zero or at least 100%, or not a number or a percentage.
RATE_BAD = {
    "150%": "150%",
    "-1%": "-1%",
    "100%": "100%",
    "one": "1",
    "negative": "-0.001",
    "nan": "nan",
    "inf": "inf",
    "-inf%": "-inf%",
    "1e999": "1e999",
    "empty": "",
    "thousands": "1,000",
    "hex": "0x10",
    "text": "abc",
    "whitespace": " ",
    "bare-percent": "%",
}


def _values(command: str, option: str, values: Mapping[str, str], **extra: Value) -> list[Case]:
    return [Case(command, f"{option}={label}", {**extra, option: value}, option) for label, value in values.items()]


def _corpus() -> list[Case]:
    cases: list[Case] = []
    add = cases.extend

    # Numbers that must be greater than zero.
    positive = {
        "pnl": ["--entry", "--exit", "--contracts", "--leverage", "--contract-size"],
        "liq-price": ["--entry", "--contracts", "--leverage", "--contract-size", "--tick", "--mark"],
        "leverage": ["--entry", "--contracts", "--leverage", "--contract-size"],
        "ladder": ["--entry", "--contracts", "--leverage", "--contract-size", "--tick"],
    }
    for command, options in positive.items():
        for option in options:
            add(_values(command, option, POSITIVE_BAD))
    # Margin and balance stand in for the leverage (pnl, liq-price, ladder) or the contracts (leverage).
    for command in ("pnl", "liq-price", "ladder"):
        for option in ("--margin", "--balance"):
            add(_values(command, option, POSITIVE_BAD, **{"--leverage": DROP}))
    for option in ("--margin", "--balance"):
        add(_values("leverage", option, POSITIVE_BAD, **{"--contracts": DROP}))

    # Numbers of at least zero.
    for command in ("liq-price", "ladder"):
        add(_values(command, "--mm-deduction", NON_NEGATIVE_BAD))
    add(_values("liq-price", "--fail-within", NON_NEGATIVE_BAD))
    for option in ("--periods", "--hours"):
        add(_values("pnl", option, NON_NEGATIVE_BAD, **{"--funding": "0.01%"}))

    # Rates: a fraction or a percentage in [0, 1).
    for command in ("liq-price", "ladder"):
        for option in ("--mmr", "--taker-fee"):
            add(_values(command, option, RATE_BAD))
    # Fees: maker, taker, or a rate from -1% (a rebate) to 10%; funding within ±10%.
    fee_bad = {"150%": "150%", "-5%": "-5%", "0.2": "0.2", "nan": "nan", "empty": "", "text": "bogus"}
    for command in ("pnl", "ladder"):
        for option in ("--entry-fee", "--exit-fee"):
            add(_values(command, option, fee_bad))
    add(_values("pnl", "--funding", {"50%": "50%", "-50%": "-50%", "nan": "nan", "text": "abc", "empty": ""}))
    # Targets (instead of --exit).
    target_bad = {"nan": "nan", "inf": "inf", "1e999": "1e999", "empty": "", "text": "abc", "hex": "0x10"}
    for option in ("--target-roe", "--target-pnl", "--target-usd"):
        add(_values("pnl", option, target_bad, **{"--exit": DROP}))

    # Fixed choices.
    side_bad = {"up": "up", "empty": "", "whitespace": " ", "typo": "longg", "number": "1"}
    for command in ("pnl", "liq-price", "leverage", "ladder"):
        add(_values(command, "--side", side_bad))
    exchange_bad = {"ftx": "ftx", "empty": "", "space": "bit mex"}
    format_bad = {"xml": "xml", "empty": "", "typo": "jsonn"}
    for command in ("pnl", "liq-price", "leverage", "ladder", "exchanges"):
        if command != "exchanges":
            add(_values(command, "--exchange", exchange_bad))
        add(_values(command, "--format", format_bad))
    for command in ("liq-price", "ladder"):
        add(_values(command, "--mm-basis", {"index": "index", "empty": ""}))
    for command in ("pnl", "leverage"):
        add(_values(command, "--coin", {"empty": "", "space": "BT C", "too-long": "ABCDEFGHIJKLMN"}))
        cases.append(Case(command, "--coin=XRP@bybit", {"--exchange": "bybit", "--coin": "XRP"}, "--coin"))
    for name in ("ftx", "", " "):
        cases.append(
            Case(
                "exchanges",
                f"NAME={name!r}",
                {ARGS: (name,)},
                frozenset({"NAME", "name"}),
                mentions=name.strip() or "NAME",
            )
        )
    cases.append(Case("exchanges", "two-names", {ARGS: ("bitmex", "bybit")}, None, mentions="bybit"))

    # Leverage over the venue's maximum (the generic model's is 1000), for every position command.
    over = [
        ("generic", "10000", "1001"),
        ("binance", "1", "126"),
        ("bybit", "10", "101"),
        ("okx", "1", "126"),
        ("kraken", "10", "51"),
        ("deribit", "10", "51"),
        ("bitmex", "100", "101"),
    ]
    for command in ("pnl", "liq-price", "leverage", "ladder"):
        for exchange, contracts, leverage in over:
            changes = {"--exchange": exchange, "--contracts": contracts, "--leverage": leverage}
            cases.append(Case(command, f"--leverage={leverage}@{exchange}", changes, "--leverage"))
    # Contracts that are not a whole number of the venue's lots.
    lots = [("bitmex", "150"), ("bitmex", "1"), ("bitmex", "99.5"), ("bybit", "10.5"), ("binance", "0.5")]
    for command in ("pnl", "liq-price", "leverage", "ladder"):
        for exchange, contracts in lots:
            changes = {"--exchange": exchange, "--contracts": contracts, "--leverage": "2"}
            cases.append(Case(command, f"--contracts={contracts}@{exchange}", changes, "--contracts"))

    # Price grids (ladder and leverage).
    grids: list[tuple[str, dict[str, Value], str | frozenset[str | None]]] = [
        ("from-above-to", {"--from": "9000", "--to": "8000", "--step": "100"}, "--to"),
        ("from-equals-to", {"--from": "8000", "--to": "8000", "--step": "100"}, "--to"),
        ("step-0", {"--from": "7000", "--to": "9000", "--step": "0"}, "--step"),
        ("step-negative", {"--from": "7000", "--to": "9000", "--step": "-100"}, "--step"),
        ("step-nan", {"--from": "7000", "--to": "9000", "--step": "nan"}, "--step"),
        ("step-and-steps", {"--from": "7000", "--to": "9000", "--step": "100", "--steps": "4"}, "--step"),
        ("no-step", {"--from": "7000", "--to": "9000"}, "--step"),
        ("from-alone", {"--from": "7000", "--step": "100"}, "--to"),
        ("to-alone", {"--to": "9000", "--step": "100"}, "--from"),
        ("step-alone", {"--step": "100"}, "--step"),
        ("steps-alone", {"--steps": "4"}, "--steps"),
        ("steps-0", {"--from": "7000", "--to": "9000", "--steps": "0"}, "--steps"),
        ("steps-negative", {"--from": "7000", "--to": "9000", "--steps": "-1"}, "--steps"),
        ("steps-fraction", {"--from": "7000", "--to": "9000", "--steps": "1.5"}, "--steps"),
        ("steps-text", {"--from": "7000", "--to": "9000", "--steps": "abc"}, "--steps"),
        ("steps-over-limit", {"--from": "7000", "--to": "9000", "--steps": "10000001"}, "--steps"),
        ("pct-100", {"--pct": "100"}, "--pct"),
        ("pct-0", {"--pct": "0"}, "--pct"),
        ("pct-negative", {"--pct": "-5"}, "--pct"),
        ("pct-nan", {"--pct": "nan"}, "--pct"),
        ("pct-1e999", {"--pct": "1e999"}, "--pct"),
        ("pct-step-0", {"--pct-step": "0"}, "--pct-step"),
        ("pct-step-over-pct", {"--pct": "10", "--pct-step": "20"}, "--pct-step"),
        ("pct-with-from", {"--pct": "10", "--from": "7000", "--to": "9000", "--step": "100"}, "--pct"),
        ("from-0", {"--from": "0", "--to": "9000", "--step": "100"}, "--from"),
        ("to-text", {"--from": "7000", "--to": "high", "--step": "100"}, "--to"),
    ]
    for command in ("ladder", "leverage", "hedge"):
        for label, changes, option in grids:
            cases.append(Case(command, label, changes, option))
        # A million times too many rows: refused at once (a run that never ends fails the case).
        # (hedge's grid is around --price, the others' around --entry.)
        huge = {"--from": "1", "--to": "1000000", "--step": "0.00000001"}
        cases.append(Case(command, "rows-1e14", huge, "--step", guarded=True))
        tiny_pct = {"--pct": "99", "--pct-step": "0.00000001"}
        cases.append(Case(command, "pct-rows-2e10", tiny_pct, "--pct-step", guarded=True))

    # Conflicting options.
    for command in ("pnl", "liq-price", "ladder"):
        cases.append(Case(command, "leverage+margin", {"--margin": "1"}, "--margin"))
        cases.append(
            Case(command, "margin+balance", {"--leverage": DROP, "--margin": "1", "--balance": "1"}, "--balance")
        )
        cases.append(Case(command, "fill+entry", {"--contracts": DROP, "--fill": ("10@8000",)}, "--fill"))
        cases.append(Case(command, "fill+contracts", {"--entry": DROP, "--fill": ("10@8000",)}, "--fill"))
    cases.append(
        Case("leverage", "margin+balance", {"--contracts": DROP, "--margin": "1", "--balance": "1"}, "--balance")
    )
    cases.append(
        Case(
            "leverage",
            "all-three",
            {"--margin": "1"},
            frozenset({"--contracts", "--margin", "--leverage"}),
            mentions="--",
        )
    )
    for target in ("--target-roe", "--target-pnl", "--target-usd"):
        cases.append(Case("pnl", f"--exit+{target}", {target: "1"}, target))
    cases.append(
        Case(
            "pnl",
            "target-roe-needs-margin",
            {"--exit": DROP, "--leverage": DROP, "--target-roe": "50%"},
            "--target-roe",
        )
    )
    cases.append(Case("pnl", "periods+hours", {"--funding": "0.01%", "--periods": "3", "--hours": "24"}, "--hours"))
    cases.append(Case("pnl", "periods-without-funding", {"--periods": "3"}, "--funding"))

    # Missing options and values.
    required = {
        "pnl": ["--side", "--entry", "--contracts"],
        "liq-price": ["--side", "--entry", "--contracts"],
        "leverage": ["--entry"],
        "ladder": ["--side", "--entry", "--contracts"],
    }
    for command, options in required.items():
        for option in options:
            cases.append(Case(command, f"no{option}", {option: DROP}, option))
        # An option at the end of the line with no value.
        cases.append(Case(command, "entry-without-value", {"--entry": DROP, ARGS: ("--entry",)}, "--entry"))
    cases.append(Case("pnl", "no-exit", {"--exit": DROP}, "--exit"))
    cases.append(
        Case(
            "liq-price",
            "no-margin",
            {"--leverage": DROP},
            frozenset({"--leverage", "--margin", "--balance"}),
            mentions="--leverage",
        )
    )
    cases.append(
        Case("leverage", "one-of-three", {"--contracts": DROP}, frozenset({"--contracts", "--margin"}), mentions="--")
    )

    # Partial closes and fills.
    close_bad = {
        "all": "10000@9000",
        "more-than-all": "20000@9000",
        "no-price": "10",
        "zero-price": "10@0",
        "zero-contracts": "0@9000",
        "empty": "",
        "text": "half",
    }
    for command in ("pnl", "liq-price", "ladder"):
        # pnl answers a close of every contract with what it realised; the others need an open position.
        bad = {k: v for k, v in close_bad.items() if not (command == "pnl" and k == "all")}
        add(_values(command, "--close", bad))
    fill_bad = {
        "x": "10x8000",
        "no-price": "10@",
        "no-contracts": "@8000",
        "zero": "0@8000",
        "negative-price": "10@-1",
        "two-ats": "10@8000@9000",
        "empty": "",
        "text": "abc",
        "nan": "nan@8000",
        "inf-price": "10@inf",
    }
    for command in ("pnl", "liq-price", "ladder"):
        for label, value in fill_bad.items():
            changes = {"--entry": DROP, "--contracts": DROP, "--fill": ("1000@8000", value)}
            cases.append(Case(command, f"--fill={label}", changes, "--fill"))

    # Unknown options, extra arguments, a flag given a value.
    for command in BASES:
        cases.append(Case(command, "unknown-option", {"--bogus": "1"}, "--bogus"))
        cases.append(Case(command, "json-with-value", {"--json": "=1"}, "--json"))
    for command in ("pnl", "liq-price", "leverage", "ladder"):
        cases.append(Case(command, "extra-argument", {ARGS: ("extra",)}, None, mentions="extra"))

    cases.extend(_workflow_cases())

    # A broken config: exit 6, the variable or the file and key named.
    broken_env = [
        ("INVFUT_EXCHANGE=ftx", {"INVFUT_EXCHANGE": "ftx"}, None, "INVFUT_EXCHANGE"),
        ("INVFUT_FORMAT=xml", {"INVFUT_FORMAT": "xml"}, None, "INVFUT_FORMAT"),
        ("INVFUT_MMR=abc", {"INVFUT_MMR": "abc"}, None, "INVFUT_MMR"),
        ("INVFUT_CONFIG-missing", {"INVFUT_CONFIG": "/nonexistent/invfut/config.toml"}, None, "/nonexistent"),
        ("config-exchange", {}, 'exchange = "ftx"\n', "exchange"),
        ("config-unknown-key", {}, "leverage = 5\n", "leverage"),
        ("config-not-toml", {}, "exchange = \n", "TOML"),
        ("config-mmr", {}, 'mmr = "150%"\n', "mmr"),
    ]
    for command in ("pnl", "liq-price", "leverage", "ladder"):
        for label, env, text, mentions in broken_env:
            if "mmr" in label.lower() and command not in ("liq-price", "ladder"):
                continue  # only liq-price and ladder take a maintenance rate
            # No option is at fault (none was typed): the error names the variable or the file and key.
            cases.append(Case(command, label, {}, None, ExitCode.CONFIG, mentions, env, text))
    return cases


def _workflow_cases() -> list[Case]:
    """``size``, ``hedge`` and ``stress``."""
    cases: list[Case] = []
    add = cases.extend
    positive = {
        "size": ["--entry", "--stop", "--balance", "--leverage", "--contract-size", "--tick"],
        "hedge": ["--holding", "--price", "--contract-size", "--funding-interval"],
        "stress": ["--entry", "--contracts", "--leverage", "--contract-size", "--tick", "--mark"],
    }
    for command, options in positive.items():
        for option in options:
            add(_values(command, option, POSITIVE_BAD))
    for command in ("size", "stress"):
        for option in ("--mmr", "--taker-fee"):
            add(_values(command, option, RATE_BAD))
        add(_values(command, "--mm-deduction", NON_NEGATIVE_BAD))
        add(_values(command, "--mm-basis", {"index": "index", "empty": ""}))
    for command in ("size", "hedge", "stress"):
        add(_values(command, "--exchange", {"ftx": "ftx", "empty": ""}))
        add(_values(command, "--coin", {"empty": "", "space": "BT C"}))
    for command in ("size", "stress"):
        add(_values(command, "--side", {"up": "up", "empty": "", "typo": "longg"}))

    # size: the coin risked (a coin amount, or a percentage of the balance up to 100%), the stop.
    risk_bad = {
        "zero": "0",
        "zero%": "0%",
        "-1%": "-1%",
        "150%": "150%",
        "above-balance": "2",
        "negative": "-0.01",
        "nan": "nan",
        "inf": "inf",
        "1e999": "1e999",
        "empty": "",
        "text": "abc",
        "thousands": "1,000",
        "hex": "0x10",
    }
    add(_values("size", "--risk", risk_bad))
    cases.append(Case("size", "stop-at-entry", {"--stop": "8000"}, "--stop"))
    cases.append(
        Case(
            "size",
            "long-stop-above",
            {"--side": "long", "--stop": "9000"},
            frozenset({"--stop", "--side"}),
            mentions="--",
        )
    )
    cases.append(
        Case(
            "size",
            "short-stop-below",
            {"--side": "short", "--stop": "7000"},
            frozenset({"--stop", "--side"}),
            mentions="--",
        )
    )
    for option in ("--entry", "--stop", "--balance", "--risk"):
        cases.append(Case("size", f"no{option}", {option: DROP}, option))
    for exchange, leverage in (("generic", "1001"), ("bitmex", "101"), ("bybit", "101"), ("kraken", "51")):
        cases.append(
            Case(
                "size",
                f"--leverage={leverage}@{exchange}",
                {"--exchange": exchange, "--leverage": leverage},
                "--leverage",
            )
        )

    # hedge: the share of the holding to hedge is in (0, 100%].
    ratio_bad = {"zero": "0", "-50%": "-50%", "150%": "150%", "nan": "nan", "inf": "inf", "empty": "", "text": "abc"}
    add(_values("hedge", "--ratio", ratio_bad))
    add(_values("hedge", "--funding", {"50%": "50%", "nan": "nan", "text": "abc", "empty": ""}))
    for option in ("--holding", "--price"):
        cases.append(Case("hedge", f"no{option}", {option: DROP}, option))

    # stress: moves above -100%, named scenarios.
    move_bad = {
        "-100%": "-100%",
        "-150%": "-150%",
        "-1": "-1",
        "nan": "nan",
        "inf": "inf",
        "1e999": "1e999",
        "empty": "",
        "text": "abc",
        "hex": "0x10",
    }
    add(_values("stress", "--move", move_bad))
    add(_values("stress", "--scenario", {"unknown": "nope", "empty": ""}, **{"--move": DROP}))
    cases.append(Case("stress", "no--side", {"--side": DROP}, "--side"))
    cases.append(Case("stress", "leverage+margin", {"--margin": "1"}, "--margin"))
    cases.append(Case("stress", "margin+balance", {"--leverage": DROP, "--margin": "1", "--balance": "1"}, "--balance"))
    cases.append(Case("stress", "fill+entry", {"--contracts": DROP, "--fill": ("10@8000",)}, "--fill"))
    add(_values("stress", "--close", {"all": "10000@9000", "no-price": "10", "text": "half"}))
    add(
        _values(
            "stress",
            "--fill",
            {"x": "10x8000", "zero": "0@8000", "empty": ""},
            **{"--entry": DROP, "--contracts": DROP},
        )
    )
    return cases


CORPUS = _corpus()
IDS = [case.id for case in CORPUS]
assert len(set(IDS)) == len(IDS), [i for i in IDS if IDS.count(i) > 1]

# --- running a case ---------------------------------------------------------------------------

GUARD_SECONDS = 8


def _run(cli: Callable[..., Run], case: Case, argv: list[str]) -> Run:
    if not case.guarded:
        return cli(*argv)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "invfut_cli", *argv],
            capture_output=True,
            text=True,
            timeout=GUARD_SECONDS,
            cwd=ROOT,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"invfut {' '.join(argv)} ran for more than {GUARD_SECONDS} s instead of refusing the input")
    return Run(done.returncode, done.stdout, done.stderr)


@pytest.fixture(autouse=True)
def fresh_decimal_context() -> Iterator[None]:
    """Each run is in a fresh default decimal context, as a new process has. (The app's
    click tree is built once per session: ``CliRunner`` in conftest.py.)"""
    previous = decimal.getcontext()
    decimal.setcontext(decimal.Context())
    yield
    decimal.setcontext(previous)


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Callable[[Case], None]:
    """Set a case's environment (and config file), and drop the cached settings."""
    from invfut_cli import config

    def apply(case: Case) -> None:
        for name, value in case.env.items():
            monkeypatch.setenv(name, value)
        if case.config is not None:
            path = tmp_path / "invfut-test-config.toml"
            path.write_text(case.config, encoding="utf-8")
            monkeypatch.setenv("INVFUT_CONFIG", str(path))
        config.settings.cache_clear()

    return apply


def check_text(case: Case, run: Run) -> None:
    """Exit code, one stderr line naming the option, nothing on stdout, no traceback."""
    assert "Traceback" not in run.stderr, run.stderr
    assert run.exit_code == case.code, f"exit {run.exit_code}, expected {int(case.code)}: {run.stderr!r}"
    assert run.stdout == "", run.stdout
    lines = run.stderr.splitlines()
    assert len(lines) == 1, run.stderr
    assert run.stderr.endswith("\n")
    (line,) = lines
    assert line.startswith(f"invfut {case.command}: error: ") or line.startswith("invfut: error: "), line
    assert case.needle in line, f"{case.needle!r} not in {line!r}"


def check_json(case: Case, run: Run) -> None:
    """The same error as one JSON object on stderr, with the option at fault."""
    assert "Traceback" not in run.stderr, run.stderr
    assert run.exit_code == case.code, f"exit {run.exit_code}, expected {int(case.code)}: {run.stderr!r}"
    assert run.stdout == "", run.stdout
    assert len(run.stderr.splitlines()) == 1, run.stderr
    document = json.loads(run.stderr)
    assert set(document) == {"error"}, document
    error = document["error"]
    assert {"option", "message", "exit_code"} <= set(error), error
    assert case.accepts(error["option"]), f"option {error['option']!r}, expected {case.option!r}: {error}"
    assert isinstance(error["message"], str) and error["message"].strip(), error
    assert "Decimal(" not in error["message"], error  # plain numbers, not Python reprs
    assert error["exit_code"] == case.code == run.exit_code
    if error["option"] is None:  # no option at fault: the message names what is
        assert case.needle in error["message"], error


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in CORPUS])
def test_bad_invocation(cli: Callable[..., Run], environment: Callable[[Case], None], case: Case) -> None:
    environment(case)
    check_text(case, _run(cli, case, case.argv()))
    check_json(case, _run(cli, case, case.argv(as_json=True)))


# --- the corpus itself ------------------------------------------------------------------------


@pytest.mark.parametrize("command", sorted(BASES))
def test_every_base_invocation_is_valid(cli: Callable[..., Run], command: str) -> None:
    """Each case changes a valid invocation, so its error is the change's and nothing else's."""
    run = cli(command, "--json", *Case(command, "base", {}, None).argv()[1:])
    assert run.exit_code == ExitCode.OK, run.stderr
    assert run.stderr == ""
    assert json.loads(run.stdout)["command"] == command


def _count(cases: Iterable[Case]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for case in cases:
        counts[case.command] = counts.get(case.command, 0) + 1
    return counts


def test_corpus_size() -> None:
    """At least 150 bad invocations, over every command."""
    counts = _count(CORPUS)
    sys.stdout.write(f"\nbad invocations: {len(CORPUS)} ({counts})\n")
    assert len(CORPUS) >= 150
    assert set(counts) == set(BASES)


def test_cases_change_the_base() -> None:
    """No case is the base invocation itself (that would test nothing)."""
    for case in CORPUS:
        if case.env or case.config is not None:
            continue
        assert case.argv() != Case(case.command, "base", {}, None).argv(), case.id


#: Invocations whose message must read as plain English: no template placeholder, no Python
#: repr, no internal type names (``option`` is what the message must start with).
MESSAGES = [
    (("liq-price", "--mmr", "abc"), "--mmr"),
    (("liq-price", "--taker-fee", "1,000"), "--taker-fee"),
    (("liq-price", "--mmr", "150%"), "--mmr"),
    (("pnl", "--funding", "50%"), "--funding"),
    (("hedge", "--funding", "50%"), "--funding"),
    (("size", "--risk", "abc"), "--risk"),
    (("stress", "--move", "-150%"), "--move"),
    (("pnl", "--entry-fee", "150%"), "--entry-fee"),
    (("pnl", "--exit-fee", "0.2"), "--exit-fee"),
    (("ladder", "--entry-fee", "-5%"), "--entry-fee"),
    (("pnl", "--entry", "1e-999"), "--entry"),
    (("pnl", "--leverage", "0.001"), "--leverage"),
    (("pnl", "--entry", "-5"), "--entry"),
    (("leverage", "--pct", "100"), "--pct"),
    (("ladder", "--close", "10000@9000"), "--close"),
]


@pytest.mark.parametrize(("change", "option"), [pytest.param(c, o, id=" ".join(c)) for c, o in MESSAGES])
def test_error_messages_are_plain_english(cli: Callable[..., Run], change: tuple[str, str, str], option: str) -> None:
    command, name, value = change
    case = Case(command, "message", {name: value}, option)
    run = cli(*case.argv(as_json=True))
    assert run.exit_code == ExitCode.USAGE, run.stderr
    error = json.loads(run.stderr)["error"]
    message = error["message"]
    assert error["option"] == option
    for internal in ("{", "}", "Decimal(", "literal[", "Value error", "pydantic", "errors.pydantic.dev"):
        assert internal not in message, f"{internal!r} in {message!r}"
    assert "\n" not in message, message
