"""Every ``$ invfut …`` example in the README still runs and still prints what it shows.

Tables are compared line by line (trailing spaces aside); JSON is compared as data.
Run ``python tests/test_readme.py --update`` to refresh the shown output after a change.
"""

from __future__ import annotations

import json
import re
import shlex
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BLOCK = re.compile(r"```console\n(.*?)```", re.S)


def run(command: str) -> tuple[int, str]:
    """Run one README command in-process at 80 columns (a common terminal); stdout, or stderr on failure."""
    import os

    from conftest import CliRunner

    from invfut_cli.cli import app

    words = shlex.split(command)
    assert words[0] == "invfut", command
    env = {"COLUMNS": "80", "NO_COLOR": None, "FORCE_COLOR": None, "TERM": None}
    old = {k: os.environ.get(k) for k in env}
    try:
        result = CliRunner().invoke(app, words[1:], prog_name="invfut", env=env)
    finally:
        for k, v in old.items():
            if v is not None:
                os.environ[k] = v
    text = result.stdout if result.exit_code == 0 else result.stderr
    return result.exit_code, "\n".join(line.rstrip() for line in text.rstrip("\n").splitlines()) + "\n"


def examples(text: str) -> list[tuple[str, str]]:
    """``(command, shown output)`` for each ``$ invfut`` line in a console block."""
    found = []
    for block in BLOCK.findall(text):
        parts = re.split(r"^\$ (.*)\n", block, flags=re.M)
        for command, output in zip(parts[1::2], parts[2::2], strict=True):
            found.append((command, output))
    return found


def rendered(text: str) -> str:
    """The README with every example's output replaced by what the command prints now."""

    def fill(match: re.Match[str]) -> str:
        commands = re.findall(r"^\$ (.*)$", match.group(1), flags=re.M)
        body = "".join(f"$ {c}\n{run(c)[1]}" for c in commands)
        return f"```console\n{body}```"

    return BLOCK.sub(fill, text)


def same(shown: str, printed: str) -> bool:
    """JSON as data, anything else line by line."""
    if shown.lstrip().startswith("{"):
        return json.loads(shown, parse_float=Decimal) == json.loads(printed, parse_float=Decimal)
    return [line.rstrip() for line in shown.strip("\n").splitlines()] == printed.strip("\n").splitlines()


def test_readme_has_examples_of_every_command() -> None:
    commands = {shlex.split(c)[1] for c, _ in examples(README.read_text())}
    assert {"pnl", "liq-price", "leverage", "ladder"} <= commands


def test_readme_examples_print_what_they_show() -> None:
    for command, shown in examples(README.read_text()):
        _, printed = run(command)
        assert same(shown, printed), f"README example changed: {command}\n(run python tests/test_readme.py --update)"


def test_readme_quick_start_test_command_is_what_ci_runs() -> None:
    text = README.read_text()
    test_line = next(line for line in text.splitlines() if "pytest" in line and line.startswith("python3 -m venv"))
    assert test_line in (ROOT / ".ci" / "run").read_text()


def test_readme_test_command_runs_on_every_core() -> None:
    """The test command runs the suite in parallel, with the plugin the ``test`` extra installs."""
    import tomllib

    test_line = next(
        line for line in README.read_text().splitlines() if line.startswith("python3 -m venv") and "pytest" in line
    )
    assert "-n auto" in test_line and "--dist loadfile" in test_line
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["test"]
    assert any(requirement.startswith("pytest-xdist") for requirement in extra)


if __name__ == "__main__":
    if sys.argv[1:] == ["--update"]:
        README.write_text(rendered(README.read_text()))
