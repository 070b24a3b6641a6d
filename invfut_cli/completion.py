"""Generate static shell completion scripts for ``invfut`` from its own command tree.

The scripts complete without starting Python, so every TAB is instant: subcommands,
each command's options (long names and ``--help``), the fixed choices of choice
options, file names for path options, and nothing where a free value is expected.
Everything is read from the click command tree of :data:`invfut_cli.cli.app`;
nothing about the commands is written here by hand.

Regenerate the checked-in scripts after changing the command line::

    python -m invfut_cli.completion bash zsh fish --write completions

This module is imported only to generate the scripts, never when ``invfut`` starts.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

SHELLS = ("bash", "zsh", "fish")
"""The shells a script can be generated for."""

FILE_NAMES = {shell: f"invfut.{shell}" for shell in SHELLS}
"""The name of each shell's checked-in script, inside ``completions/``."""

_DESCRIPTION_LIMIT = 80


@dataclass(frozen=True)
class OptionSpec:
    """One option of a command, as the completion scripts need it."""

    names: tuple[str, ...]
    """Every spelling: ``--side``, a short ``-s``, a secondary ``--no-json``."""
    nargs: int
    """How many words follow the option as its value: 0 for a flag."""
    choices: tuple[str, ...]
    """The fixed values it accepts, or ``()`` for a free value or a flag."""
    files: bool
    """Whether its value is a path, completed to file names."""
    multiple: bool
    """Whether it may be given more than once."""
    help: str
    """A one-line description."""
    metavar: str
    """What to call its value in a prompt message."""

    @property
    def offered(self) -> tuple[str, ...]:
        """The names to complete to: the long ones (``--x``)."""
        return tuple(name for name in self.names if name.startswith("--"))


@dataclass(frozen=True)
class CommandSpec:
    """One command or group of the tree, as the completion scripts need it."""

    path: tuple[str, ...]
    """The subcommand names leading to it: ``()`` for the program itself."""
    help: str
    """A one-line description."""
    options: tuple[OptionSpec, ...]
    """Its visible options, ``--help`` included."""
    subcommands: tuple[tuple[str, str], ...]
    """Its visible subcommands as ``(name, one-line description)``."""
    has_arguments: bool
    """Whether it takes positional arguments."""

    @property
    def key(self) -> str:
        """The path as one string, the subcommand names joined by spaces (``""`` for the program)."""
        return " ".join(self.path)

    @property
    def offered_options(self) -> tuple[str, ...]:
        """Every long option name to complete to, in the order the command declares them."""
        return tuple(name for option in self.options for name in option.offered)


def app_command() -> Any:
    """The click command tree of the ``invfut`` app (imports the CLI module)."""
    import typer

    from .cli import app

    return typer.main.get_command(app)


def walk(command: Any | None = None, prog: str = "invfut") -> list[CommandSpec]:
    """Every visible command of the tree under ``command`` (the app's by default), parents first."""
    root = app_command() if command is None else command
    return list(_walk(root, (), None, prog))


def _walk(command: Any, path: tuple[str, ...], parent: Any, name: str) -> Iterator[CommandSpec]:
    ctx = command.context_class(command, info_name=name, parent=parent, **command.context_settings)
    options: list[OptionSpec] = []
    has_arguments = False
    for param in command.get_params(ctx):
        if param.param_type_name == "argument":
            has_arguments = True
        elif param.param_type_name == "option" and not getattr(param, "hidden", False):
            options.append(_option(param))
    children: list[tuple[str, Any]] = []
    if hasattr(command, "list_commands") and hasattr(command, "get_command"):
        for sub_name in command.list_commands(ctx):
            sub = command.get_command(ctx, sub_name)
            if sub is not None and not getattr(sub, "hidden", False):
                children.append((sub_name, sub))
    yield CommandSpec(
        path=path,
        help=_one_line(command.get_short_help_str(limit=_DESCRIPTION_LIMIT)),
        options=tuple(options),
        subcommands=tuple(
            (sub_name, _one_line(sub.get_short_help_str(limit=_DESCRIPTION_LIMIT))) for sub_name, sub in children
        ),
        has_arguments=has_arguments,
    )
    for sub_name, sub in children:
        yield from _walk(sub, (*path, sub_name), ctx, sub_name)


def _option(param: Any) -> OptionSpec:
    is_flag = bool(getattr(param, "is_flag", False)) or bool(getattr(param, "count", False))
    choices = () if is_flag else choices_of(param)
    names = (*param.opts, *param.secondary_opts)
    return OptionSpec(
        names=tuple(dict.fromkeys(names)),
        nargs=0 if is_flag else max(int(param.nargs), 1),
        choices=choices,
        files=not is_flag and not choices and _is_path(param),
        multiple=bool(param.multiple) or bool(getattr(param, "count", False)),
        help=_one_line(param.help or ""),
        metavar=param.metavar or max(names, key=len).lstrip("-"),
    )


def choices_of(param: Any) -> tuple[str, ...]:
    """The fixed values a parameter accepts, as strings, or ``()`` when its value is free.

    Reads the parameter's type: typer (0.29 on) keeps it in ``type_descriptor``, click in
    ``type`` (a ``click.Choice``). An enum choice is completed to its value, as typer does.
    """
    descriptor = getattr(param, "type_descriptor", None)
    raw = descriptor.choices if descriptor is not None else getattr(getattr(param, "type", None), "choices", None)
    if not raw:
        return ()
    return tuple(dict.fromkeys(str(c.value) if isinstance(c, Enum) else str(c) for c in raw))


def _is_path(param: Any) -> bool:
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is not None:
        return bool(descriptor.is_path or descriptor.is_file)
    type_name = type(getattr(param, "type", None)).__name__
    return type_name in {"Path", "File"}


def _one_line(text: str, limit: int = _DESCRIPTION_LIMIT) -> str:
    """``text`` on one line: whitespace collapsed, cut at a word with ``...`` past ``limit``."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 3].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "..."


def _header(shell: str, comment: str = "#") -> list[str]:
    return [
        f"{comment} Generated by `python -m invfut_cli.completion {shell}` from the invfut command tree.",
        f"{comment} Do not edit by hand: run `python -m invfut_cli.completion {shell} --write completions`.",
    ]


def _identifier(prog: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", prog)


# --- bash -----------------------------------------------------------------------------------------

_BASH_SAFE = re.compile(r"^[A-Za-z0-9_@%+=:,./-]+$")


def _bash_word(word: str) -> str:
    """``word`` quoted for bash (single quotes unless it needs none)."""
    if _BASH_SAFE.match(word):
        return word
    return "'" + word.replace("'", "'\\''") + "'"


def _bash_patterns(keys: Sequence[str]) -> str:
    """``case`` patterns matching exactly the given strings."""
    return "|".join(_bash_quote(key) for key in keys)


def _bash_quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def _grouped(pairs: Sequence[tuple[str, str]]) -> list[tuple[str, list[str]]]:
    """``(key, value)`` pairs grouped by value, in first-seen order: ``[(value, [keys])]``."""
    groups: dict[str, list[str]] = {}
    for key, value in pairs:
        groups.setdefault(value, []).append(key)
    return list(groups.items())


def render_bash(commands: Sequence[CommandSpec], prog: str = "invfut") -> str:
    """The bash script: one function, plain ``case`` statements, no subshell per TAB."""
    fn = "_" + _identifier(prog)
    add = f"__{_identifier(prog)}_add"
    walk_arms: list[tuple[str, str]] = []
    value_arms: list[tuple[str, str]] = []
    for cmd in commands:
        for name, _ in cmd.subcommands:
            walk_arms.append((f"{cmd.key}:{name}", 'path="${path:+$path }$word"'))
        for option in cmd.options:
            if option.nargs == 0:
                continue
            for name in option.names:
                walk_arms.append((f"{cmd.key}:{name}", f"opt=$word skip={option.nargs}"))
                if option.choices:
                    value_arms.append((f"{cmd.key}:{name}", f"{add} " + " ".join(map(_bash_word, option.choices))))
                elif option.files:
                    value_arms.append((f"{cmd.key}:{name}", "compopt -o default 2>/dev/null"))
    option_arms = [(cmd.key, f"{add} " + " ".join(cmd.offered_options)) for cmd in commands if cmd.offered_options]
    word_arms: list[tuple[str, str]] = []
    for cmd in commands:
        if cmd.subcommands:
            word_arms.append((cmd.key, f"{add} " + " ".join(_bash_word(name) for name, _ in cmd.subcommands)))
        elif not cmd.has_arguments and cmd.offered_options:
            word_arms.append((cmd.key, f"{add} " + " ".join(cmd.offered_options)))

    def case(subject: str, arms: Sequence[tuple[str, str]], indent: str, extra: Sequence[str] = ()) -> list[str]:
        lines = [f'{indent}case "{subject}" in']
        for body, keys in _grouped(arms):
            lines.append(f"{indent}    {_bash_patterns(keys)}) {body} ;;")
        lines.extend(f"{indent}    {line}" for line in extra)
        lines.append(f"{indent}esac")
        return lines

    lines = [
        *_header("bash"),
        "#",
        "# bash completion for invfut. Install: source this file from ~/.bashrc, or copy it to",
        f"# ~/.local/share/bash-completion/completions/{prog}",
        "",
        f'# Offer those of the words "$@" that start with the word being completed, $cur (set by {fn}).',
        f"{add}() {{",
        "    local word",
        '    for word in "$@"; do',
        '        [[ $word == "$cur"* ]] && COMPREPLY+=("$prefix$word")',
        "    done",
        "    return 0",
        "}",
        "",
        f"{fn}() {{",
        "    local cur=${COMP_WORDS[COMP_CWORD]} prefix= path= opt= skip=0 word i",
        "    COMPREPLY=()",
        "    # `--opt=value` arrives as three words when COMP_WORDBREAKS holds `=` (the default).",
        "    [[ $cur == = ]] && cur=",
        "    # Walk the words before the cursor: find the command path, and whether an option awaits a value.",
        "    for (( i = 1; i < COMP_CWORD; i++ )); do",
        "        word=${COMP_WORDS[i]}",
        "        [[ $word == = ]] && continue",
        "        if (( skip > 0 )); then",
        "            skip=$(( skip - 1 ))",
        "            continue",
        "        fi",
        *case("$path:$word", walk_arms, "        ", ["*:--) return 0 ;;"]),
        "    done",
        "    # `--opt=value` in one word, when COMP_WORDBREAKS lacks `=`.",
        "    if (( skip == 0 )) && [[ $cur == --*=* ]]; then",
        "        opt=${cur%%=*} prefix=${cur%%=*}= cur=${cur#*=} skip=1",
        "    fi",
        "    if (( skip > 0 )); then",
        *case("$path:$opt", value_arms, "        "),
        "        return 0",
        "    fi",
        "    if [[ $cur == -* ]]; then",
        *case("$path", option_arms, "        "),
        "        return 0",
        "    fi",
        *case("$path", word_arms, "    "),
        "    return 0",
        "}",
        "",
        f"complete -F {fn} {prog}",
        "",
    ]
    return "\n".join(lines)


# --- zsh ------------------------------------------------------------------------------------------


def _zsh_quote(text: str) -> str:
    """``text`` in zsh single quotes."""
    return "'" + text.replace("'", "'\\''") + "'"


def _zsh_bracket(text: str) -> str:
    """``text`` escaped for an ``_arguments`` ``[description]``."""
    return re.sub(r"([\\\[\]:])", r"\\\1", text)


def _zsh_message(text: str) -> str:
    """``text`` escaped for an ``_arguments`` message (between colons, shown as a prompt)."""
    return re.sub(r"([\\:])", r"\\\1", text).replace("%", "%%")


def _zsh_describe(name: str) -> str:
    """A name escaped for a ``_describe`` ``name:description`` item."""
    return re.sub(r"([\\:])", r"\\\1", name)


def _zsh_value(word: str) -> str:
    """A choice escaped for an ``_arguments`` ``(value ...)`` action."""
    return re.sub(r"([^A-Za-z0-9_@%+=,./-])", r"\\\1", word)


def _zsh_option_specs(option: OptionSpec) -> list[str]:
    exclusive = "" if option.multiple or len(option.names) < 2 else "(" + " ".join(option.names) + ")"
    repeat = "*" if option.multiple else ""
    if option.nargs == 0:
        action = ""
    elif option.choices:
        action = "(" + " ".join(_zsh_value(c) for c in option.choices) + ")"
    elif option.files:
        action = "_files"
    else:
        action = " "
    message = _zsh_message(option.metavar)
    specs = []
    for name in option.names:
        if option.nargs == 0:
            suffix = ""
        elif option.nargs == 1:
            suffix = "=" if name.startswith("--") else "+"
        else:
            suffix = ""
        value = "".join(f":{message}:{action}" for _ in range(option.nargs))
        specs.append(f"{exclusive}{repeat}{name}{suffix}[{_zsh_bracket(option.help)}]{value}")
    return specs


def render_zsh(commands: Sequence[CommandSpec], prog: str = "invfut") -> str:
    """The zsh script: an autoloadable ``_invfut`` with one ``_arguments`` call per command."""
    base = "_" + _identifier(prog)

    def fn(cmd: CommandSpec) -> str:
        return base + "".join("__" + _identifier(part) for part in cmd.path)

    by_key = {cmd.key: cmd for cmd in commands}
    lines = [
        f"#compdef {prog}",
        *_header("zsh"),
        "#",
        f"# zsh completion for invfut. Install: put this file as {base} in a directory on $fpath",
        "# (before `compinit` runs in ~/.zshrc), or source it after `compinit`.",
    ]
    for cmd in commands:
        specs = [spec for option in cmd.options for spec in _zsh_option_specs(option)]
        lines += ["", f"{fn(cmd)}() {{"]
        if cmd.subcommands:
            lines += [
                "    local curcontext=$curcontext state state_descr line ret=1",
                "    local -A opt_args",
                "    _arguments -C \\",
                *(f"        {_zsh_quote(spec)} \\" for spec in specs),
                "        ': :->command' \\",
                "        '*:: :->argument' && ret=0",
                "    case $state in",
                "        command)",
                "            local -a commands=(",
                *(f"                {_zsh_quote(_zsh_describe(name) + ':' + desc)}" for name, desc in cmd.subcommands),
                "            )",
                f"            _describe -t commands {_zsh_quote((' '.join((prog, *cmd.path))) + ' command')} commands"
                " && ret=0",
                "            ;;",
                "        argument)",
                f"            curcontext=${{curcontext%:*:*}}:{'-'.join((prog, *cmd.path))}-$words[1]:",
                "            case $words[1] in",
            ]
            for name, _ in cmd.subcommands:
                child = by_key[" ".join((*cmd.path, name))]
                lines.append(f"                {_zsh_quote(name)}) {fn(child)} && ret=0 ;;")
            lines += [
                "            esac",
                "            ;;",
                "    esac",
                "    return ret",
            ]
        else:
            rest = ["'*:: :_files'"] if cmd.has_arguments else []
            body = ["_arguments -S", *(_zsh_quote(spec) for spec in specs), *rest]
            lines.append("    " + " \\\n        ".join(body))
        lines.append("}")
    lines += [
        "",
        f'if [[ "$funcstack[1]" == {base} ]]; then',
        f'    {base} "$@"',
        "else",
        f"    compdef {base} {prog}",
        "fi",
        "",
    ]
    return "\n".join(lines)


# --- fish -----------------------------------------------------------------------------------------


def _fish_quote(text: str) -> str:
    """``text`` in fish single quotes."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


_FISH_SAFE = re.compile(r"^[A-Za-z0-9_@%+=:,./-]+$")


def _fish_word(word: str) -> str:
    return word if _FISH_SAFE.match(word) else _fish_quote(word)


def render_fish(commands: Sequence[CommandSpec], prog: str = "invfut") -> str:
    """The fish script: a helper that finds the command path, and one ``complete`` line per item."""
    ident = _identifier(prog)
    path_fn = f"__{ident}_path"
    at_fn = f"__{ident}_at"
    walk_arms: list[tuple[str, str]] = []
    for cmd in commands:
        for name, _ in cmd.subcommands:
            walk_arms.append((f"{cmd.key}:{name}", 'set path (string trim -- "$path $token")'))
        for option in cmd.options:
            if option.nargs:
                for name in option.names:
                    walk_arms.append((f"{cmd.key}:{name}", f"set skip {option.nargs}"))
    lines = [
        *_header("fish"),
        "#",
        f"# fish completion for invfut. Install: copy this file to ~/.config/fish/completions/{prog}.fish",
        "",
        f"function {path_fn} --description 'Print the {prog} subcommand path of the command line (fail: offer nothing)'",
        "    set -l tokens (commandline -opc)",
        "    set -e tokens[1]",
        "    set -l path ''",
        "    set -l skip 0",
        "    for token in $tokens",
        "        if test $skip -gt 0",
        "            set skip (math $skip - 1)",
        "            continue",
        "        end",
        '        switch "$path:$token"',
    ]
    for body, keys in _grouped(walk_arms):
        lines += [f"            case {' '.join(_fish_quote(key) for key in keys)}", f"                {body}"]
    lines += [
        "            case '*:--'",
        "                # Only arguments follow `--`: offer nothing.",
        "                return 1",
        "        end",
        "    end",
        "    # A word starting with `-` where an option awaits its value is that value: offer no option.",
        "    if test $skip -gt 0; and string match -q -- '-*' (commandline -ct)",
        "        return 1",
        "    end",
        "    echo $path",
        "end",
        "",
        f"function {at_fn} --description 'Whether the command line is at the {prog} command path $argv[1]'",
        "    # Every complete line below asks: find the path once per command line.",
        "    set -l line (commandline -cp)",
        f'    if not set -q __{ident}_line; or test "$__{ident}_line" != "$line"',
        f"        set -g __{ident}_line $line",
        f"        set -g __{ident}_where ({path_fn})",
        f"        set -g __{ident}_found $status",
        "    end",
        f'    test $__{ident}_found -eq 0; and test "$__{ident}_where" = "$argv[1]"',
        "end",
        "",
        f"complete -c {prog} -f",
    ]
    for cmd in commands:
        condition = f"-n {_fish_quote(f'{at_fn} {_fish_quote(cmd.key)}')}"
        lines.append("")
        for name, desc in cmd.subcommands:
            lines.append(f"complete -c {prog} {condition} -a {_fish_word(name)} -d {_fish_quote(desc)}")
        for option in cmd.options:
            flags = []
            for name in option.names:
                if name.startswith("--"):
                    flags.append(f"-l {_fish_word(name[2:])}")
                elif len(name) == 2:
                    flags.append(f"-s {_fish_word(name[1:])}")
                else:
                    flags.append(f"-o {_fish_word(name[1:])}")
            if option.nargs == 0:
                value = ""
            elif option.choices:
                value = " -x -k -a " + _fish_quote(" ".join(_fish_word(c) for c in option.choices))
            elif option.files:
                value = " -r -F"
            else:
                value = " -x"
            lines.append(f"complete -c {prog} {condition} {' '.join(flags)}{value} -d {_fish_quote(option.help)}")
    lines.append("")
    return "\n".join(lines)


_RENDERERS = {"bash": render_bash, "zsh": render_zsh, "fish": render_fish}


def render(shell: str, command: Any | None = None, prog: str = "invfut") -> str:
    """The completion script for ``shell`` (bash, zsh or fish), built from the app's command tree.

    ``command`` is a click command tree to use instead of the app's (for tests), and ``prog``
    the program name the script completes.
    """
    if shell not in _RENDERERS:
        raise ValueError(f"unknown shell {shell!r}: choose from {', '.join(SHELLS)}")
    return _RENDERERS[shell](walk(command, prog), prog)


def write(shell: str, directory: Path) -> Path:
    """Write the ``shell`` script to ``directory/invfut.SHELL`` and return its path."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / FILE_NAMES[shell]
    with open(target, "w", encoding="utf-8", newline="\n") as out:
        out.write(render(shell))
    return target


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m invfut_cli.completion SHELL... [--write DIR]``: print or write the scripts."""
    parser = argparse.ArgumentParser(
        prog="python -m invfut_cli.completion",
        description="Generate static shell completion scripts for invfut from its command tree.",
    )
    parser.add_argument("shells", nargs="+", choices=SHELLS, metavar="SHELL", help="bash, zsh or fish")
    parser.add_argument("--write", metavar="DIR", type=Path, help="write DIR/invfut.SHELL instead of printing")
    args = parser.parse_args(argv)
    for shell in dict.fromkeys(args.shells):
        if args.write is None:
            sys.stdout.write(render(shell))
        else:
            print(write(shell, args.write))
    return 0


if __name__ == "__main__":
    sys.exit(main())
