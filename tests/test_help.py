"""The help and the messages speak to people: ``-h``, panels, an example per command, every
exit code at the top, 80 columns, and messages in the words of the command line.

The contract is docs/REFERENCE.md's "Options every command shares" and "Errors and exit codes"
sections.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest
from conftest import Run, click_command

from invfut_cli.app import _SETTINGS, COMMANDS
from invfut_cli.cli import app
from invfut_cli.exitcodes import MEANINGS, ExitCode

#: Every command, in the order of the top-level help.
NAMES = sorted(COMMANDS)
#: A panel's top edge in rich's help: ``╭─ Position ───…╮``.
PANEL = re.compile(r"^╭─ (.+?) ─+╮$", re.M)


def command_of(name: str) -> Any:
    """The click command of ``invfut NAME``."""
    group = click_command(app)
    return group.get_command(group.make_context("invfut", [name], resilient_parsing=True), name)


def examples(name: str) -> list[str]:
    """The example command lines at the end of ``invfut NAME --help``, with their ``$``."""
    return [line for line in (_SETTINGS[name]["epilog"] or "").splitlines() if line.startswith("$ ")]


# --- -h, bare invfut ------------------------------------------------------------------


@pytest.mark.parametrize("name", [None, *NAMES])
def test_dash_h_is_help(cli: Callable[..., Run], name: str | None) -> None:
    words = [] if name is None else [name]
    short, long = cli(*words, "-h"), cli(*words, "--help")
    assert short.exit_code == long.exit_code == ExitCode.OK, short.stderr
    assert short.stdout == long.stdout and short.stderr == long.stderr == ""
    assert f"Usage: invfut{'' if name is None else ' ' + name}" in short.stdout


def test_bare_invfut_prints_the_help_and_exits_0(cli: Callable[..., Run]) -> None:
    run = cli()
    assert run.exit_code == ExitCode.OK and run.stderr == ""
    assert run.stdout == cli("--help").stdout
    assert "Usage: invfut [OPTIONS] COMMAND" in run.stdout
    for name in NAMES:
        assert re.search(rf"^│ {re.escape(name)} ", run.stdout, re.M), name


def test_bare_installed_invfut_prints_the_help() -> None:
    exe = os.path.join(os.path.dirname(sys.executable), "invfut")
    run = subprocess.run([exe], capture_output=True, text=True, env={**os.environ, "COLUMNS": "80"})
    assert run.returncode == 0 and run.stderr == ""
    assert "Usage: invfut" in run.stdout and "Exit codes" in run.stdout


def test_top_level_help_lists_every_exit_code(cli: Callable[..., Run]) -> None:
    text = cli("--help").stdout
    listed = dict(re.findall(r"^ +(\d+)  (\S.*?) *$", text.split("Exit codes:", 1)[1], re.M))
    for code in ExitCode:
        assert str(int(code)) in listed, f"exit code {int(code)} ({code.name}) is not in invfut --help"
        assert listed[str(int(code))] == MEANINGS[code]
    assert set(MEANINGS) == set(ExitCode)


# --- each command's help --------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_each_command_has_panels_and_an_example(cli: Callable[..., Run], name: str) -> None:
    text = cli(name, "--help").stdout
    panels = PANEL.findall(text)
    assert len(panels) >= 2, panels
    assert "Options" not in panels, f"{name}: an option without a panel (rich_help_panel)"
    assert examples(name), f"{name}: no example (command(..., example=...))"
    assert re.search(r"^ \$ invfut ", text, re.M), text
    assert "Example" in text


@pytest.mark.parametrize("name", NAMES)
def test_every_option_sits_in_a_panel(name: str) -> None:
    command = command_of(name)
    ctx = command.make_context(name, ["--help"], resilient_parsing=True)
    loose = [p.opts for p in command.get_params(ctx) if p.param_type_name == "option" and not p.rich_help_panel]
    assert not loose, f"{name}: options without rich_help_panel: {loose}"


@pytest.mark.parametrize("name", [None, *NAMES])
def test_no_type_placeholders(cli: Callable[..., Run], name: str | None) -> None:
    """A flag takes no value (no ``<bool>``), an argument is named by its metavar (no ``<str>``)."""
    text = cli(*([] if name is None else [name]), "--help").stdout
    assert "<bool>" not in text and "<str>" not in text, text


@pytest.mark.parametrize("name", [None, *NAMES])
def test_help_fits_80_columns(cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch, name: str | None) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    text = cli(*([] if name is None else [name]), "--help").stdout
    lines = text.splitlines()
    assert lines and max(len(line) for line in lines) <= 80
    assert [line for line in lines if len(line.rstrip()) == 80 and not line.startswith(("╭", "│", "╰"))] == []
    if name is not None:
        for example in examples(name):  # never wrapped: it is copied whole
            assert any(line.strip() == example for line in lines), example


@pytest.mark.parametrize("name", [n for n in NAMES if n != "batch"])
def test_exchange_names_are_not_broken(cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """``--exchange`` (``exchanges NAME``) lists the venues whole, never split mid-word."""
    from invfut_cli.choices import ExchangeName

    monkeypatch.setenv("COLUMNS", "80")
    text = cli(name, "--help").stdout
    if "--exchange " not in text and name != "exchanges":
        pytest.skip(f"{name} has no --exchange")
    words = set(re.findall(r"[a-z]+", text))
    for venue in ExchangeName:
        if venue.value not in text and name == "compare":
            continue  # compare takes a comma list of venues, named in its own words
        assert venue.value in words, f"{venue.value} broken or missing in {name}'s help"


# --- messages --------------------------------------------------------------------------


def test_a_mistyped_command_is_named_with_a_suggestion(cli: Callable[..., Run]) -> None:
    run = cli("lig-price", "pnl")
    assert run.exit_code == ExitCode.USAGE and run.stdout == ""
    (line,) = run.stderr.splitlines()
    assert line.startswith("invfut: error: No such command 'lig-price'. Did you mean 'liq-price'? Commands: ")
    assert "invfut pnl" not in line  # pnl did not run
    for name in NAMES:
        assert name in line.split("Commands: ", 1)[1]
    error = json.loads(cli("lig-price", "pnl", "--json").stderr)["error"]
    assert "'lig-price'" in error["message"] and error["exit_code"] == ExitCode.USAGE


def test_an_error_inside_a_command_names_that_command(cli: Callable[..., Run]) -> None:
    run = cli("pnl", "--side", "long", "--entry", "8000", "--contracts", "1", "--exit", "pnl")
    assert run.exit_code == ExitCode.USAGE and run.stderr.startswith("invfut pnl: error: ")
    assert "--exit" in run.stderr


#: What must never reach a user: pydantic's words, field names, formula symbols.
INTERNAL = re.compile(r"Extra inputs|Field required|not permitted|roe_pct|pnl_usd|target_\w+|Q/E|·|\bfo\b|\bfc\b")


@pytest.mark.parametrize(
    ("field", "option"), [("foo", "--foo"), ("--foo", "--foo"), ("contract-sizes", "--contract-sizes")]
)
def test_batch_names_an_unknown_field_in_the_users_words(field: str, option: str) -> None:
    from invfut_cli.batchrun import result_line

    request = {"command": "pnl", "side": "long", "entry": 8000, "exit": 9000, "contracts": 10, field: 1}
    line, _flags = result_line(1, json.dumps(request).encode())
    error = json.loads(line)["error"]
    assert error["option"] == option
    assert error["message"] == f"unknown field '{field.strip('-').replace('-', '_')}'"
    assert not INTERNAL.search(error["message"]), error


def test_batch_names_a_missing_option() -> None:
    from invfut_cli.batchrun import result_line

    line, _flags = result_line(1, b'{"command": "pnl", "entry": 8000, "exit": 9000, "contracts": 10}')
    error = json.loads(line)["error"]
    assert error["option"] == "--side" and error["message"] == "required, but not given"


LONG_TARGET = ("pnl", "--side", "long", "--fill", "1000@5000", "--fill", "2000@6000", "--leverage", "10")


@pytest.mark.parametrize(
    ("target", "words"),
    [
        (
            ("--target-pnl", "1"),
            "No exit reaches a net PnL of 1 BTC: whatever the exit price, a long's net PnL is at most 0.53333333 BTC.",
        ),
        (("--target-roe", "50%"), "Exit for a ROE of 50%: "),
        (("--target-pnl", "0.01"), "Exit for a net PnL of 0.01 BTC: "),
        (("--target-usd", "100"), "Exit for a net PnL of 100 USD: "),
    ],
)
def test_target_notes_say_what_was_asked(cli: Callable[..., Run], target: tuple[str, str], words: str) -> None:
    run = cli(*LONG_TARGET, *target)
    assert run.exit_code == ExitCode.OK, run.stderr
    text = " ".join(run.stdout.split())
    assert words in text, text
    assert not INTERNAL.search(text), text


@pytest.mark.parametrize(
    ("side", "target", "words"),
    [
        ("long", "1", "whatever the exit price, a long's net PnL is at most 0.53333333 BTC"),
        ("short", "-1", "whatever the exit price, a short's net loss is at most 0.53333333 BTC"),
    ],
)
def test_the_target_limit_is_said_in_words(cli: Callable[..., Run], side: str, target: str, words: str) -> None:
    args = ("pnl", "--side", side, "--fill", "1000@5000", "--fill", "2000@6000", "--target-pnl", target, "--json")
    doc = cli(*args).json()
    assert doc["exit_price"] is None and doc["target"]["reason"] == words
    assert not INTERNAL.search(doc["target"]["reason"])


@pytest.mark.parametrize(
    ("args", "note"),
    [
        (("pnl", "--side", "long", "--entry", "8000", "--contracts", "100", "--leverage", "10", "--target-roe", "100"),
         "--target-roe 100 is read as a fraction, 10,000%; for 100% write --target-roe 100%"),
        (("stress", "--side", "long", "--entry", "8000", "--contracts", "100", "--leverage", "10", "--move", "5"),
         "--move 5 is read as a fraction, 500%; for 5% write --move 5%"),
    ],
)  # fmt: skip
def test_a_unit_slip_gets_a_note_and_is_read_as_written(
    cli: Callable[..., Run], args: tuple[str, ...], note: str
) -> None:
    """A fraction option given what is almost certainly a number of percent: one stderr note
    saying how it was read; the answer is the one for the value as written."""
    run = cli(*args, "--json")
    assert run.exit_code == 0 and run.stdout
    (line,) = run.stderr.splitlines()
    assert line.endswith(note) and ": note: " in line
    meant = cli(*args[:-1], f"{args[-1]}%", "--json")
    assert meant.stderr == "" and meant.stdout != run.stdout
    # What it takes to be a slip: 0.5 is a plain 50%, no note.
    plain = cli(*args[:-1], "0.5", "--json")
    assert plain.exit_code == 0 and plain.stderr == ""
