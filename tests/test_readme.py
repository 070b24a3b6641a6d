"""Every ``$ invfut …`` example in the README and in ``docs/`` still runs and still prints what
it shows, and the generated tables (each command's options, the key glossary) are what the
code declares now.

Tables are compared line by line (trailing spaces aside); JSON is compared as data.
Run ``python tests/test_readme.py --update`` to refresh the shown output and the generated
tables after a change, in every file.
"""

from __future__ import annotations

import json
import re
import shlex
import sys
from decimal import Decimal
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from docs_tables import OPTIONS, generated  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = ROOT / "docs"
REFERENCE = DOCS / "REFERENCE.md"
BLOCK = re.compile(r"```console\n(.*?)```", re.S)
#: The README introduces; the rest lives in docs/.
README_MOST_LINES = 400


def documents() -> list[Path]:
    """The README and every Markdown file under ``docs/`` but the drafts in ``docs/notes/``
    (a feature's notes, folded into the guide and the reference when it lands)."""
    return [README, *sorted(p for p in DOCS.rglob("*.md") if "notes" not in p.relative_to(DOCS).parts[:-1])]


def name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def run(command: str) -> tuple[int, str]:
    """Run one example command in-process at 80 columns (a common terminal); stdout, or stderr on failure."""
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
    """The text with every example's output replaced by what the command prints now, and
    every generated table written again."""

    def fill(match: re.Match[str]) -> str:
        commands = re.findall(r"^\$ (.*)$", match.group(1), flags=re.M)
        body = "".join(f"$ {c}\n{run(c)[1]}" for c in commands)
        return f"```console\n{body}```"

    return generated(BLOCK.sub(fill, text))


def same(shown: str, printed: str) -> bool:
    """JSON as data, anything else line by line."""
    if shown.lstrip().startswith("{"):
        return json.loads(shown, parse_float=Decimal) == json.loads(printed, parse_float=Decimal)
    return [line.rstrip() for line in shown.strip("\n").splitlines()] == printed.strip("\n").splitlines()


#: The commands the README's tour shows with their answer (batch and schema answer scripts).
TOUR = {"pnl", "liq-price", "leverage", "ladder", "size", "hedge", "stress", "account", "compare", "exchanges"}


def test_readme_tours_every_command() -> None:
    """The README's tour shows the commands' answers, and links each command to its page."""
    from invfut_cli.registry import REGISTRY

    text = README.read_text()
    assert TOUR <= {shlex.split(c)[1] for c, _ in examples(text)}
    for command in REGISTRY:
        assert f"(docs/reference/{command}.md)" in text, f"the README's tour does not link {command}"


def test_readme_is_short() -> None:
    assert len(README.read_text().splitlines()) <= README_MOST_LINES


@pytest.mark.parametrize("path", documents(), ids=name)
def test_examples_print_what_they_show(path: Path) -> None:
    for command, shown in examples(path.read_text(encoding="utf-8")):
        _, printed = run(command)
        assert same(shown, printed), (
            f"{name(path)}: example changed: {command}\n(run python tests/test_readme.py --update)"
        )


@pytest.mark.parametrize("path", documents(), ids=name)
def test_generated_tables_are_current(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert generated(text) == text, (
        f"{name(path)}: a generated table is out of date (run python tests/test_readme.py --update)"
    )


def test_every_command_has_its_reference_page() -> None:
    """One page per command, with its options table, listed in REFERENCE.md in the registry's order."""
    from invfut_cli.registry import REGISTRY

    index = REFERENCE.read_text(encoding="utf-8")
    listed = re.findall(r"^\| \[`([a-z-]+)`\]\(reference/\1\.md\) \|", index, flags=re.M)
    assert listed == list(REGISTRY)
    for command in REGISTRY:
        page = DOCS / "reference" / f"{command}.md"
        assert page.exists(), f"no {name(page)}"
        assert [m.group("command") for m in OPTIONS.finditer(page.read_text(encoding="utf-8"))] == [command]
    pages = {p.stem for p in (DOCS / "reference").glob("*.md")}
    assert pages == set(REGISTRY), f"pages without a command: {sorted(pages - set(REGISTRY))}"


def test_every_exit_code_is_documented() -> None:
    """REFERENCE.md's table has each code of :class:`ExitCode`, and no other."""
    from invfut_cli.exitcodes import ExitCode

    text = REFERENCE.read_text(encoding="utf-8")
    section = text[text.index("## Errors and exit codes") :]
    codes = {int(c) for c in re.findall(r"^\| (\d+) \|", section, flags=re.M)}
    assert codes == {int(code) for code in ExitCode}


def slug(heading: str) -> str:
    """The anchor a code host gives a heading: lower case, punctuation dropped, spaces as ``-``."""
    text = re.sub(r"[`*]", "", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)
    return {slug(h) for h in re.findall(r"^#+ (.*)$", text, flags=re.M)}


@pytest.mark.parametrize("path", documents(), ids=name)
def test_links_lead_somewhere(path: Path) -> None:
    """Every relative link names a file that exists, and a heading in it when it names one."""
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue
        file, _, anchor = target.partition("#")
        linked = (path.parent / file).resolve() if file else path
        assert linked.exists(), f"{name(path)}: {target} leads nowhere"
        if anchor:
            assert anchor in anchors(linked), f"{name(path)}: no heading for #{anchor} in {file or name(path)}"


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
        for path in documents():
            path.write_text(rendered(path.read_text(encoding="utf-8")), encoding="utf-8")
