"""How invfut's help reads: ``-h`` beside ``--help``, no type placeholders beside flags and
named arguments, docstrings as flowing paragraphs, and the examples and exit codes at the end."""

from __future__ import annotations

import re
from typing import Any

from typer.core import TyperGroup

from .exitcodes import MEANINGS, ExitCode

#: ``-h`` is ``--help``, for the app and every command.
CONTEXT_SETTINGS: dict[str, Any] = {"help_option_names": ["-h", "--help"]}
#: The help panel of ``--help`` in a command's help (the options' panels are in ``options``).
HELP_PANEL = "Output"

#: The end of ``invfut --help``: an example, and every exit code with its meaning.
ROOT_EPILOG = "Example:\n$ invfut liq-price --side long --entry 8000 --contracts 10000 --leverage 10\n\n" + (
    "Exit codes:\n" + "\n".join(f"{int(code):>3}  {MEANINGS[code]}" for code in ExitCode)
)


class HelpFormat:
    """How invfut's help shows options, mixed into the app's click classes: a flag takes no
    value, so no ``<bool>`` is written beside it, and an argument with a metavar (``FILE``,
    ``NAME``) gets no ``<str>`` beside that (typer's rich help writes both); a command's
    ``-h, --help`` goes in its Output panel, after the options."""

    def get_params(self, ctx: Any) -> list[Any]:
        params: list[Any] = super().get_params(ctx)  # type: ignore[misc]
        for param in params:
            if getattr(param, "is_flag", False) and param.metavar is None:
                param.metavar = ""
            elif param.param_type_name == "argument" and param.metavar:
                param.display_type_rich = _no_type
        return params

    def get_help_option_names(self, ctx: Any) -> list[str]:
        """``-h`` and ``--help`` in the order :data:`CONTEXT_SETTINGS` gives (click returns them
        from a set, in an order that changes from one process to the next)."""
        names = set(super().get_help_option_names(ctx))  # type: ignore[misc]
        return [name for name in ctx.help_option_names if name in names]

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None and not isinstance(self, TyperGroup):
            option.rich_help_panel = HELP_PANEL
        return option


def _no_type(ctx: Any) -> None:
    """No type beside an argument's metavar in the help (see :class:`HelpFormat`)."""


def prose(doc: str | None) -> str | None:
    """A docstring as help text: each paragraph on one line. (typer's help keeps a docstring's
    line breaks, which then break the terminal's own wrapping of the lines.)"""
    if doc is None:
        return None
    blocks = re.split(r"\n\s*\n", doc.strip())
    return "\n\n".join(" ".join(line.strip() for line in block.splitlines()) for block in blocks)


def example_epilog(example: str | None) -> str | None:
    """The end of a command's help: its example command lines (one a line, without the
    ``$``), each shown after a ``$``; ``None`` without any."""
    lines = [] if example is None else example.splitlines()
    if not lines:
        return None
    return ("Example:\n" if len(lines) == 1 else "Examples:\n") + "\n".join(f"$ {line}" for line in lines)
