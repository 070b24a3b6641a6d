"""The ``invfut`` command tree as the completion scripts need it.

Each visible command and group becomes a :class:`CommandSpec`, each visible option an
:class:`OptionSpec`: names, how many words a value takes, fixed choices, whether a value is
a path, and one-line descriptions. Everything is read from the click command tree of
:data:`invfut_cli.cli.app` (or a tree given for tests); typer and the CLI are imported only
when that tree is read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from typing import Any

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

    from invfut_cli.cli import app

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
