"""The static shell completion scripts: checked in up to date, complete, and right in real shells.

Everything expected here is read from the app's click command tree, so the tests keep passing
when the command line grows, once the scripts are regenerated with
``python -m invfut_cli.completion bash zsh fish --write completions``.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import pytest
import typer

from invfut_cli.cli import app
from invfut_cli.completion import FILE_NAMES, SHELLS, render

ROOT = Path(__file__).resolve().parents[1]
COMPLETIONS = ROOT / "completions"
PROG = "invfut"
END = "@@END@@"


# --- the command tree, read independently of the generator ------------------------------------------


@dataclass(frozen=True)
class ValueOption:
    """One spelling of an option that takes a value."""

    name: str
    spellings: tuple[str, ...]
    """Every spelling of the same option (a shell may drop them all once one is used)."""
    nargs: int
    choices: tuple[str, ...]
    files: bool
    """Whether the value is a path (completed to file names, not checked here)."""


@dataclass(frozen=True)
class Node:
    """One visible command of a click tree, with what completing after it should offer."""

    path: tuple[str, ...]
    subcommands: tuple[str, ...]
    long_options: tuple[str, ...]
    spellings: tuple[str, ...]
    """Every name of every visible option, short ones too."""
    value_options: tuple[ValueOption, ...]
    """Every spelling of every visible option that takes a value."""
    has_arguments: bool


def tree(command: Any, path: tuple[str, ...] = (), parent: Any = None) -> Iterator[Node]:
    """Every visible command under ``command``, through click's public API only.

    The choices come from each parameter's own ``shell_complete`` (what typer would offer when
    asked at run time), not from the generator's reading of the types.
    """
    ctx = command.context_class(
        command, info_name=path[-1] if path else PROG, parent=parent, **command.context_settings
    )
    long_options: list[str] = []
    spellings: list[str] = []
    value_options: list[ValueOption] = []
    has_arguments = False
    for param in command.get_params(ctx):
        if param.param_type_name == "argument":
            has_arguments = True
            continue
        if param.hidden:
            continue
        names = [*param.opts, *param.secondary_opts]
        long_options += [name for name in names if name.startswith("--")]
        spellings += names
        if not (param.is_flag or param.count):
            choices = tuple(item.value for item in param.shell_complete(ctx, "") if item.type == "plain")
            descriptor = getattr(param, "type_descriptor", None)  # typer; click has param.type
            files = bool(descriptor.is_path or descriptor.is_file) if descriptor else "Path" in repr(param.type)
            value_options += [ValueOption(name, tuple(names), param.nargs, choices, files) for name in names]
    subs: list[tuple[str, Any]] = []
    if hasattr(command, "list_commands"):
        subs = [(name, command.get_command(ctx, name)) for name in command.list_commands(ctx)]
        subs = [(name, sub) for name, sub in subs if sub is not None and not sub.hidden]
    subcommands = tuple(n for n, _ in subs)
    yield Node(path, subcommands, tuple(long_options), tuple(spellings), tuple(value_options), has_arguments)
    for name, sub in subs:
        yield from tree(sub, (*path, name), ctx)


def app_tree() -> list[Node]:
    """The invfut app's visible commands."""
    return list(tree(typer.main.get_command(app)))


# --- a synthetic tree with what the app does not have (yet) ------------------------------------------


class Fmt(StrEnum):
    """Choices with a dash and an underscore."""

    table = "table"
    json = "json"
    csv_x = "csv-x"
    usd_m = "usd_m"


def synthetic_command() -> Any:
    """A tree with a nested group, short options, a --x/--no-x flag, a count, nargs=2, a repeatable
    option, a path option, arguments, hidden things, and help text full of shell metacharacters."""
    synthetic = typer.Typer(name=PROG, add_completion=False)
    config = typer.Typer(help="Settings: show or set [them] 'now', 100% \\ $HOME `x` \"q\" (a|b) & ;.")

    @config.command("show", help="Show [it]: 'all' of $it, 50% \\ `x`.")
    def show(
        fmt: Annotated[
            Fmt, typer.Option("--format", "-f", help="Output format: it's [x] 50% \\ $HOME `y`.")
        ] = Fmt.table,
        file: Annotated[Path | None, typer.Option("--file", help="A file.")] = None,
        pair: Annotated[tuple[int, int] | None, typer.Option("--pair", help="Two numbers.", metavar="A B")] = None,
        tag: Annotated[list[str] | None, typer.Option("--tag", help="Tags: any; many.")] = None,
        color: Annotated[bool, typer.Option("--color/--no-color", help="Colour.")] = True,
        verbose: Annotated[int, typer.Option("--verbose", "-v", count=True, help="More.")] = 0,
        secret: Annotated[str, typer.Option("--secret", hidden=True)] = "",
    ) -> None:
        """Show."""

    @config.command("set")
    def set_(key: str, value: str) -> None:
        """Set a key."""

    synthetic.add_typer(config, name="config")

    @synthetic.command("run")
    def run(
        name: Annotated[str, typer.Argument()],
        level: Annotated[Fmt, typer.Option("--level", "-l", case_sensitive=False)] = Fmt.json,
    ) -> None:
        """Run."""

    @synthetic.command("ghost", hidden=True)
    def ghost(boo: Annotated[str, typer.Option("--boo")] = "") -> None:
        """Hidden."""

    return typer.main.get_command(synthetic)


# --- completion cases, derived from a tree --------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """A command line ending at the cursor, and what completing there must and may offer."""

    line: str
    must: frozenset[str]
    may: frozenset[str] | None
    """``None``: anything but an option name (file names)."""

    def accepts(self, offered: frozenset[str]) -> bool:
        """Whether a shell offering ``offered`` completes this case right."""
        if self.may is None:
            return self.must <= offered and not any(word.startswith("-") for word in offered)
        return self.must <= offered <= self.may


def exactly(line: str, words: Sequence[str]) -> Case:
    """A case whose candidates are exactly ``words``."""
    return Case(line, frozenset(words), frozenset(words))


def cases_for(nodes: Sequence[Node]) -> list[Case]:
    """The completion cases for a tree: every command, option and choice, and the value rules."""
    cases: list[Case] = []
    for node in nodes:
        at = " ".join((PROG, *node.path))
        if node.subcommands:
            cases.append(exactly(f"{at} ", node.subcommands))
            for name in node.subcommands:
                prefix = name[: max(1, len(name) - 2)]
                cases.append(exactly(f"{at} {prefix}", [s for s in node.subcommands if s.startswith(prefix)]))
        elif not node.has_arguments:
            # bash and zsh list the options (zsh the short ones too), fish waits for a `-`.
            cases.append(Case(f"{at} ", frozenset(), frozenset(node.spellings)))
        cases.append(exactly(f"{at} --", node.long_options))
        for name in node.long_options:
            prefix = name[:-1]
            cases.append(exactly(f"{at} {prefix}", [o for o in node.long_options if o.startswith(prefix)]))
        for option in node.value_options:
            name, nargs, choices = option.name, option.nargs, option.choices
            # Where a value is expected: its choices, or nothing; never an option name.
            if option.files:
                cases.append(Case(f"{at} {name} ", frozenset(), None))
            else:
                cases.append(exactly(f"{at} {name} ", choices))
            cases.append(exactly(f"{at} {name} -", ()))
            cases.append(exactly(f"{at} {name} --", ()))
            if choices:
                first = choices[0]
                cases.append(exactly(f"{at} {name} {first[:1]}", [c for c in choices if c.startswith(first[:1])]))
            if name.startswith("--") and nargs == 1:
                cases.append(Case(f"{at} {name}=", frozenset(choices), None if option.files else frozenset(choices)))
            if nargs > 1:
                cases.append(exactly(f"{at} {name} {' '.join(['1'] * (nargs - 1))} ", ()))
            # Once the value is given, options again (a shell may leave out the one already used).
            values = " ".join([choices[0] if choices else "1"] * nargs)
            others = [o for o in node.long_options if o not in option.spellings]
            cases.append(Case(f"{at} {name} {values} --", frozenset(others), frozenset(node.long_options)))
        free = [v.name for v in node.value_options if v.nargs == 1 and not v.choices]
        chosen = [(v.name, v.choices) for v in node.value_options if v.choices]
        if node.path and free and chosen:
            # A value that happens to be a command's name is still a value.
            cases.append(exactly(f"{at} {free[0]} {node.path[-1]} {chosen[0][0]} ", chosen[0][1]))
    root = nodes[0]
    cases.append(exactly(f"{PROG} -- ", ()))
    if root.subcommands:
        cases.append(exactly(f"{PROG} {root.subcommands[0]} -- -", ()))
    return list({case.line: case for case in cases}.values())


APP_CASES = cases_for(app_tree())
SYNTHETIC_CASES = cases_for(list(tree(synthetic_command())))


# --- (a) drift ------------------------------------------------------------------------------------


@pytest.mark.parametrize("shell", SHELLS)
def test_checked_in_script_is_current(shell: str) -> None:
    """completions/invfut.SHELL is what the generator makes from the current command tree."""
    path = COMPLETIONS / FILE_NAMES[shell]
    fix = f"run `python -m invfut_cli.completion {shell} --write completions` (or all: `bash zsh fish`)"
    assert path.exists(), f"{path} is missing: {fix}"
    assert path.read_text(encoding="utf-8") == render(shell), f"{path} is out of date with the CLI: {fix}"


@pytest.mark.parametrize("shell", SHELLS)
def test_script_says_it_is_generated(shell: str) -> None:
    """The script opens with the comment saying how it was made (zsh: after its #compdef line)."""
    lines = render(shell).splitlines()
    if shell == "zsh":
        assert lines[0] == f"#compdef {PROG}"
        lines = lines[1:]
    assert lines[0].startswith("# Generated by `python -m invfut_cli.completion")
    assert "do not edit by hand" in lines[1].lower()


# --- (b) completeness ----------------------------------------------------------------------------


def _has_word(script: str, word: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", script) is not None


@pytest.mark.parametrize("shell", SHELLS)
def test_script_names_every_command_option_and_choice(shell: str) -> None:
    """Each script names every visible command, every long option and every choice of the app."""
    script = render(shell)
    missing = []
    for node in app_tree():
        for name in node.subcommands:
            if not _has_word(script, name):
                missing.append(f"command {name}")
        for option in node.long_options:
            spelled = option[2:] if shell == "fish" else option
            if not _has_word(script, spelled):
                missing.append(f"{' '.join(node.path) or PROG}: option {option}")
        for option in node.value_options:
            missing += [f"{option.name}: choice {c}" for c in option.choices if not _has_word(script, c)]
    assert not missing, f"the {shell} script leaves out: {', '.join(missing)}"


def test_the_tree_has_choices_to_check() -> None:
    """The app has choice options (--side, --mm-basis, ...), so the checks above check something."""
    assert any(option.choices for node in app_tree() for option in node.value_options)


def test_hidden_things_are_left_out() -> None:
    """A hidden command or option is not offered."""
    for shell in SHELLS:
        script = render(shell, synthetic_command())
        assert not _has_word(script, "ghost") and not _has_word(script, "secret"), shell


def test_render_rejects_an_unknown_shell() -> None:
    """Only bash, zsh and fish."""
    with pytest.raises(ValueError, match="unknown shell"):
        render("tcsh")


def test_main_writes_the_scripts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--write DIR`` writes invfut.SHELL files; without it the script is printed."""
    from invfut_cli.completion import main

    assert main(["bash", "fish", "--write", str(tmp_path)]) == 0
    assert (tmp_path / "invfut.bash").read_text() == render("bash")
    assert (tmp_path / "invfut.fish").read_text() == render("fish")
    capsys.readouterr()
    assert main(["zsh"]) == 0
    assert capsys.readouterr().out == render("zsh")


# --- (c) real shells ------------------------------------------------------------------------------


def _records(output: str) -> list[frozenset[str]]:
    chunks = output.split(END + "\n")
    assert chunks[-1].strip() == "", output
    return [frozenset(line for line in chunk.splitlines() if line) for chunk in chunks[:-1]]


def _bash_words(line: str) -> list[str]:
    """The words bash hands a completion function, ``=`` split off as COMP_WORDBREAKS does."""
    words: list[str] = []
    for token in line.split(" "):
        if "=" in token:
            head, _, tail = token.partition("=")
            words += [head, "="] + ([tail] if tail else [])
        else:
            words.append(token)
    return words


def bash_complete(script: Path, lines: Sequence[str]) -> list[frozenset[str]]:
    """COMPREPLY for each line, calling the completion function in one ``bash --norc``."""
    program = [
        f"source {shlex.quote(str(script))}",
        "__t() {",
        '    COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}',
        f"    COMPREPLY=(); _{PROG}",
        "    (( ${#COMPREPLY[@]} )) && printf '%s\\n' \"${COMPREPLY[@]}\"",
        f"    echo {END}",
        "}",
    ]
    program += ["__t " + " ".join(shlex.quote(w) for w in _bash_words(line)) for line in lines]
    done = subprocess.run(
        ["bash", "--norc", "--noprofile"], input="\n".join(program) + "\n", capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0 and not done.stderr, done.stderr
    return _records(done.stdout)


ZSH_HARNESS = r"""
# Sourced in an interactive zsh: TAB completes the line, writes every match offered (one a line)
# and then @@END@@ to $ZT_OUT, and starts a new line; @@READY@@ there says the line editor waits.
PS1='' PROMPT='' RPROMPT=''
unsetopt zle_bracketed_paste auto_list auto_menu list_ambiguous 2>/dev/null
setopt no_beep
LISTMAX=100000
fpath=($ZT_FPATH $fpath)
autoload -Uz compinit && compinit -u -D
compadd() {
    # Calls that ask for the matches back are the completion system's own: pass them on.
    if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then
        builtin compadd "$@"
        return
    fi
    local -a found
    builtin compadd -O found "$@"
    (( $#found )) && print -rl -- $found >> $ZT_OUT
    builtin compadd "$@"
}
# $ZT_OUT.state holds how many lines have ended and how many times the editor waited, so
# the driver reads two numbers, not the whole (growing) output, at every look.
integer __zt_ends=0 __zt_ready=0
__zt_complete() {
    zle complete-word
    print -r -- @@END@@ >> $ZT_OUT
    print -r -- "$(( ++__zt_ends )) $__zt_ready" > $ZT_OUT.state
    zle send-break
}
zle -N __zt_complete
bindkey '^I' __zt_complete
zle-line-init() {
    print -r -- @@READY@@ >> $ZT_OUT
    print -r -- "$__zt_ends $(( ++__zt_ready ))" > $ZT_OUT.state
}
zle -N zle-line-init
"""

ZSH_DRIVER = r"""
# zsh -f driver.zsh FPATH OUT HARNESS LINES: TAB at the end of each line of LINES, in a zpty,
# each line typed only once the line editor waits for it.
zmodload zsh/zpty zsh/datetime zsh/zselect
local out=$2 line junk
integer n=0 fd
__zt_wait() {
    # Wait until field $1 of $out.state (1: lines ended, 2: the editor waiting) reaches $2
    # (10 s at most), waking when the shell writes to its terminal.
    local deadline=$(( EPOCHREALTIME + 10 ))
    local -a state
    while true; do
        [[ -s $out.state ]] && state=(${=$(<$out.state)})
        (( ${state[$1]:-0} >= $2 )) && return
        (( EPOCHREALTIME > deadline )) && { print -u2 "zsh completion timed out at: $line"; exit 1 }
        zpty -r -t z junk 2>/dev/null
        zselect -t 1 -r $fd 2>/dev/null
    done
}
zpty z "ZT_FPATH=${(q)1} ZT_OUT=${(q)out} zsh -f -i"
fd=$REPLY
zpty -w z "source ${(q)3}"
__zt_wait 2 1
for line in "${(@f)$(<$4)}"; do
    zpty -w -n z "$line"$'\t'
    __zt_wait 1 $(( ++n ))
    __zt_wait 2 $(( n + 1 ))
done
zpty -d z
"""


def zsh_complete(script: Path, lines: Sequence[str], work: Path) -> list[frozenset[str]]:
    """What zsh's completion system offers for each line, TAB pressed in a zpty, the script
    autoloaded from $fpath as ``_invfut``."""
    fpath = work / "fpath"
    fpath.mkdir()
    shutil.copy(script, fpath / f"_{PROG}")
    (work / "harness.zsh").write_text(ZSH_HARNESS)
    (work / "driver.zsh").write_text(ZSH_DRIVER)
    (work / "lines").write_text("".join(line + "\n" for line in lines))
    out = work / "out"
    out.touch()
    args = [str(fpath), str(out), str(work / "harness.zsh"), str(work / "lines")]
    done = subprocess.run(["zsh", "-f", str(work / "driver.zsh"), *args], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return _records("".join(line for line in out.read_text().splitlines(keepends=True) if line != "@@READY@@\n"))


def _fish_quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def fish_complete(script: Path, lines: Sequence[str]) -> list[frozenset[str]]:
    """``complete -C LINE`` for each line in one ``fish --no-config``, the candidates without their
    descriptions, and without the ``--opt=`` that fish puts before an option's value."""
    program = [f"source {_fish_quote(str(script))}"]
    for line in lines:
        program += [f"complete -C {_fish_quote(line)}", f"echo {END}"]
    done = subprocess.run(["fish", "--no-config", "-c", "; ".join(program)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and not done.stderr, done.stderr
    records = _records(done.stdout)
    result = []
    for line, record in zip(lines, records, strict=True):
        last = line.split(" ")[-1]
        prefix = last[: last.index("=") + 1] if last.startswith("--") and "=" in last else ""
        result.append(frozenset(c.split("\t")[0].removeprefix(prefix) for c in record))
    return result


needs_zsh = pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed (apt-get install zsh)")
needs_fish = pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed (apt-get install fish)")
needs_bash = pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")

Runner = Callable[[Path, Sequence[str], Path], list[frozenset[str]]]
RUNNERS: dict[str, Runner] = {
    "bash": lambda script, lines, work: bash_complete(script, lines),
    "zsh": zsh_complete,
    "fish": lambda script, lines, work: fish_complete(script, lines),
}
SHELL_PARAMS = [
    pytest.param("bash", marks=needs_bash),
    pytest.param("zsh", marks=needs_zsh),
    pytest.param("fish", marks=needs_fish),
]


def _check(shell: str, script: Path, cases: Sequence[Case], work: Path) -> None:
    got = RUNNERS[shell](script, [case.line for case in cases], work)
    assert len(got) == len(cases)
    wrong = [
        f"{case.line!r}: offered {sorted(offered)}, expected {sorted(case.must)}"
        + ("" if case.may == case.must else f" (up to {'no option' if case.may is None else sorted(case.may)})")
        for case, offered in zip(cases, got, strict=True)
        if not case.accepts(offered)
    ]
    stale = (
        ""
        if script.parent != COMPLETIONS or script.read_text() == render(shell)
        else " (the script is out of date: see the drift test)"
    )
    assert not wrong, f"{shell} completes wrongly{stale}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("shell", SHELL_PARAMS)
def test_real_shell_completes_the_app(shell: str, tmp_path: Path) -> None:
    """In a real shell, the checked-in script offers each command's options and choices, and
    nothing but choices where a value is expected (cases derived from the command tree)."""
    _check(shell, COMPLETIONS / FILE_NAMES[shell], APP_CASES, tmp_path)


@pytest.mark.parametrize("shell", SHELL_PARAMS)
def test_real_shell_completes_the_examples(shell: str, tmp_path: Path) -> None:
    """The hand-picked examples, with their candidates spelled out."""
    script = COMPLETIONS / FILE_NAMES[shell]
    nodes = {node.path: node for node in app_tree()}
    liq = nodes.get(("liq-price",))
    ladder = nodes.get(("ladder",))
    if liq is None or ladder is None:
        pytest.skip("the app no longer has liq-price and ladder")
    side = {v.name: v.choices for v in liq.value_options}["--side"]
    basis = {v.name: v.choices for v in ladder.value_options}["--mm-basis"]
    assert {"long", "short"} <= set(side) and {"entry", "mark"} <= set(basis)
    cases = [
        exactly("invfut liq-", [n for n in nodes[()].subcommands if n.startswith("liq-")]),
        exactly("invfut liq-price --si", [o for o in liq.long_options if o.startswith("--si")]),
        exactly("invfut liq-price --side ", side),
        exactly("invfut ladder --mm-basis ", basis),
        exactly("invfut ladder --mm-basis e", [c for c in basis if c.startswith("e")]),
        exactly("invfut liq-price --entry ", ()),
    ]
    if shell == "bash":  # a command with no arguments: TAB on nothing lists its options
        cases.append(exactly("invfut liq-price ", liq.long_options))
    assert "liq-price" in cases[0].must and "--side" in cases[1].must
    _check(shell, script, cases, tmp_path)


@pytest.mark.parametrize("shell", SHELL_PARAMS)
def test_real_shell_completes_a_richer_tree(shell: str, tmp_path: Path) -> None:
    """Nested groups, short options, --x/--no-x, counts, nargs=2, arguments, hidden things and
    help text full of quotes and brackets: what the app may grow into."""
    script = tmp_path / FILE_NAMES[shell]
    script.write_text(render(shell, synthetic_command()))
    _check(shell, script, SYNTHETIC_CASES, tmp_path)


def test_the_synthetic_tree_has_what_it_should() -> None:
    """The richer tree really has a nested group, nargs=2, a short option and a hidden command."""
    nodes = {node.path: node for node in tree(synthetic_command())}
    assert ("config", "show") in nodes and "ghost" not in nodes[()].subcommands
    show = nodes[("config", "show")]
    values = {v.name: v for v in show.value_options}
    assert values["--pair"].nargs == 2 and values["-f"].choices and values["--file"].files
    assert "--no-color" in show.long_options and "--secret" not in show.long_options
