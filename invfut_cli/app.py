"""The typer app: its click classes, the registration of commands, and the entry point.

Each command builds one input model (:mod:`.option_values`), calls the core, and hands one
document to one renderer (:mod:`.output`). Errors of every kind become one stderr line and
an :class:`ExitCode` in :meth:`InvfutGroup.main`, and nowhere else (:mod:`.error_report`
words and writes them). The help's layout is :mod:`.help_format`'s.

The command modules take what they use from here: the names below stay importable from
``invfut_cli.app`` wherever they are defined.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from typer.core import TyperCommand, TyperGroup

from .collector import resume
from .core.errors import DomainError
from .error_report import (
    describe_error,
    error_object,
    quiet_stdout,
    report,
    report_input_error,
    report_internal_error,
    report_usage_error,
)
from .errors import ConfigError, LiveError, PresetError
from .exitcodes import ExitCode
from .given import drop_notes, flush_notes
from .help_format import CONTEXT_SETTINGS, ROOT_EPILOG, HelpFormat, example_epilog, prose
from .option_values import build, note_unit_slip, option_values, with_grid
from .output import PipeClosed, alert_line, check_output, emit, explained
from .registry import REGISTRY, command_word, load, module_name

__all__ = [
    "COMMANDS",
    "ExitCode",
    "InvfutCommand",
    "InvfutGroup",
    "PipeClosed",
    "alert_line",
    "app",
    "app_for",
    "build",
    "check_output",
    "command",
    "describe_error",
    "emit",
    "error_object",
    "explained",
    "load_commands",
    "main",
    "note_unit_slip",
    "option_values",
    "with_grid",
]


class InvfutCommand(HelpFormat, TyperCommand):
    """A command of the app (see :class:`~invfut_cli.help_format.HelpFormat`). The output
    options are checked before the command does any work: ``--json`` with another
    ``--format`` is a usage error, whatever else is wrong."""

    def invoke(self, ctx: Any) -> Any:
        resume()  # start-up is over: the collector runs again (see invfut_cli.collector)
        check_output(bool(ctx.params.get("as_json")), ctx.params.get("fmt"))
        if ctx.params.get("fields") is None or ctx.info_name == "batch":  # batch reads it per line
            return super().invoke(ctx)
        from .selection import ASKED, parse, selection

        token = ASKED.set(selection(ctx.info_name, parse(ctx.params["fields"])))
        try:
            return super().invoke(ctx)
        finally:
            ASKED.reset(token)


#: Exit codes that come with an answer (its notes are written; an error drops them).
ANSWERED = frozenset({ExitCode.OK, ExitCode.STOP_BEYOND_LIQUIDATION, ExitCode.ALERT})


class InvfutGroup(HelpFormat, TyperGroup):
    """The app's group: runs a command and turns any error into one line and an exit code.

    ``invfut`` alone prints the help (exit 0)."""

    def list_commands(self, ctx: Any) -> list[str]:
        """The commands in :data:`~invfut_cli.registry.REGISTRY`'s order (the position commands
        first), not in the order their modules happened to be imported."""
        order = list(REGISTRY)
        return sorted(super().list_commands(ctx), key=lambda n: order.index(n) if n in order else len(order))

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args) or ["--help"]
        prog = prog_name or "invfut"
        try:
            code = super().main(argv, prog, complete_var, standalone_mode=False, **extra)
            code = ExitCode.OK if code is None else code
        except typer.TyperException as exc:  # a usage error: the public base of typer's click errors
            code = report_usage_error(argv, prog, exc)
        except (ValidationError, ConfigError, PresetError, DomainError) as exc:
            code = report_input_error(argv, prog, exc)
        except LiveError as exc:  # a live read: its own exit code, the text already scrubbed
            code = report(argv, prog, exc.option, exc.message, exc.code)
        except (KeyboardInterrupt, typer.Abort):
            sys.stderr.write("\n")
            code = ExitCode.INTERRUPTED
        except (BrokenPipeError, PipeClosed):
            quiet_stdout()
            code = ExitCode.OK
        except Exception as exc:  # the last line of defence: never a traceback
            code = report_internal_error(argv, prog, exc)
        if code in ANSWERED:  # notes about the inputs, once they are answered
            flush_notes(" ".join(filter(None, (prog, command_word(argv)))))
        else:
            drop_notes()
        if standalone_mode:
            sys.exit(int(code))
        return code


def _typer_app() -> typer.Typer:
    """An empty app of invfut's classes and settings."""
    return typer.Typer(
        cls=InvfutGroup,
        name="invfut",
        add_completion=False,
        pretty_exceptions_enable=False,
        context_settings=CONTEXT_SETTINGS,
    )


app = _typer_app()


def _version(value: bool) -> None:
    if value:
        from . import __version__

        sys.stdout.write(f"invfut {__version__}\n")
        raise typer.Exit()


@app.callback(epilog=ROOT_EPILOG)
def _root(
    version: Annotated[
        bool, typer.Option("--version", help="Print the version and exit.", callback=_version, is_eager=True)
    ] = False,
    offline: Annotated[
        bool,
        typer.Option("--offline", help="Use the shipped presets, not the rules 'exchanges --refresh' cached."),
    ] = False,
) -> None:
    """Position calculator for inverse (coin-margined) futures: PnL, liquidation, leverage, ladders.

    Every command prints a table, or one JSON document with --json.
    'invfut COMMAND -h' shows a command's options and an example.
    """
    from . import offline as shipped_only

    shipped_only.OFFLINE = offline or os.environ.get("INVFUT_OFFLINE", "") not in ("", "0")


#: The names of the commands (:data:`invfut_cli.registry.REGISTRY` lists them, in order).
COMMANDS: frozenset[str] = frozenset(REGISTRY)


#: The command functions by name, as registered by :func:`command` (for :func:`app_for`'s
#: one-command app).
_FUNCTIONS: dict[str, Callable[..., Any]] = {}
#: How each command is registered (its class, its help, and the example at the end of it).
_SETTINGS: dict[str, dict[str, Any]] = {}


def command(name: str, example: str | None = None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a command on the app under ``name`` (one of :data:`~invfut_cli.registry.REGISTRY`,
    defined in its module); ``example``: command lines (one a line, without the ``$``) shown
    at the end of its help. Its options' help panels are set on the options (``options.py``)."""

    if name not in REGISTRY:
        raise LookupError(f"command {name!r} is missing from invfut_cli.registry.REGISTRY")
    epilog = example_epilog(example)

    def register(func: Callable[..., Any]) -> Callable[..., Any]:
        if func.__module__ != f"invfut_cli.commands.{module_name(name)}":
            raise LookupError(f"command {name!r} belongs in invfut_cli.commands.{module_name(name)}")
        _FUNCTIONS[name] = func
        _SETTINGS[name] = {"cls": InvfutCommand, "epilog": epilog, "help": prose(func.__doc__)}
        return app.command(name, **_SETTINGS[name])(func)

    return register


def load_commands(name: str | None = None) -> None:
    """Import the module that defines command ``name`` (registering it), or every command's."""
    for command_name in (name,) if name in REGISTRY else REGISTRY:
        load(command_name)


def app_for(argv: Sequence[str]) -> typer.Typer:
    """The app to run ``argv``: for ``invfut NAME …``, an app holding only NAME (typer builds
    every registered command's options before it parses, and one is all this run needs);
    otherwise the full app. Both behave the same for that command. Only the modules of the
    commands the app holds are imported."""
    name = command_word(argv)
    single = _typer_app()
    single.callback(epilog=ROOT_EPILOG)(_root)
    if name is None and "--version" in argv and not {"-h", "--help"}.intersection(argv):
        return single  # the version alone: no command to load
    load_commands(name)
    if name not in _FUNCTIONS:
        return app
    single.command(name, **_SETTINGS[name])(_FUNCTIONS[name])
    return single


def main() -> None:
    """Console-script entry point."""
    import decimal

    from .core.numbers import CORE_CONTEXT

    decimal.setcontext(CORE_CONTEXT)
    # invfut uses no pydantic plugins: without this, building the first model's validator
    # reads every installed package's entry points to look for some (about 5 ms a run).
    # A value the user set is kept.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

    app_for(sys.argv[1:])(prog_name="invfut")
