"""The typer app: error handling, exit codes, and the helpers every command uses.

Each command builds one input model, calls the core, and hands one document to one
renderer. Errors of every kind become one stderr line and an :class:`ExitCode` in
:meth:`InvfutGroup.main`, and nowhere else.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from pydantic import ValidationError
from typer._click import exceptions as click_exceptions
from typer.core import TyperGroup

from .choices import OutputFormat
from .core.errors import DomainError
from .errors import ConfigError, PresetError
from .exitcodes import ExitCode

if TYPE_CHECKING:
    from .models import Model

M = TypeVar("M", bound="Model")


class InvfutGroup(TyperGroup):
    """The app's group: runs a command and turns any error into one line and an exit code."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        prog = prog_name or "invfut"
        try:
            code = super().main(argv, prog, complete_var, standalone_mode=False, **extra)
            code = ExitCode.OK if code is None else code
        except click_exceptions.ClickException as exc:
            message = exc.format_message().replace("Value error, ", "")
            if not argv or argv[0].startswith("-") and argv[0] not in ("--help", "--version"):
                commands = ", ".join(sorted(COMMANDS))
                message = f"{message.rstrip('.')}. Commands: {commands}; try '{prog} --help'."
            code = _fail(argv, prog, _click_option(exc), message, ExitCode.USAGE)
        except (ValidationError, ConfigError, PresetError, DomainError) as exc:
            option, text, code, details = describe_error(exc)
            code = _fail(argv, prog, option, text, code, details)
        except (KeyboardInterrupt, typer.Abort):
            sys.stderr.write("\n")
            code = ExitCode.INTERRUPTED
        except (BrokenPipeError, PipeClosed):
            _quiet_stdout()
            code = ExitCode.OK
        except Exception as exc:  # the last line of defence: never a traceback
            code = _fail(
                argv, prog, None, f"internal error: {type(exc).__name__}: {exc} (please report this)", ExitCode.INTERNAL
            )
        if standalone_mode:
            sys.exit(int(code))
        return code


def describe_error(
    exc: ValidationError | ConfigError | PresetError | DomainError,
) -> tuple[str | None, str, ExitCode, list[tuple[str | None, str]]]:
    """``(option, one-line message, exit code, [(option, message) per problem])`` for an
    input error: the one mapping of errors to messages, for commands and ``batch`` alike."""
    if isinstance(exc, ValidationError):
        from .models import error_lines

        lines = error_lines(exc)
        return lines[0][0], "; ".join(_join(o, m) for o, m in lines), ExitCode.USAGE, lines
    if isinstance(exc, ConfigError | PresetError):
        return None, str(exc), ExitCode.CONFIG, [(None, str(exc))]
    option = None if exc.option is None else "--" + exc.option.replace("_", "-")
    return option, _join(option, exc.message), ExitCode.USAGE, [(option, exc.message)]


def error_object(option: str | None, code: ExitCode, details: list[tuple[str | None, str]]) -> dict[str, Any]:
    """The ``error`` object of a JSON error: option, message, exit code (and every problem)."""
    error: dict[str, Any] = {"option": option, "message": " ".join(details[0][1].split()), "exit_code": int(code)}
    if len(details) > 1:
        error["errors"] = [{"option": o, "message": " ".join(m.split())} for o, m in details]
    return error


class PipeClosed(Exception):
    """stdout's reader went away (``| head``): not an OSError, so typer does not turn it into exit 1."""


def _join(option: str | None, message: str) -> str:
    return message if option is None else f"{option}: {message}"


def _click_option(exc: click_exceptions.ClickException) -> str | None:
    param = getattr(exc, "param", None)
    if param is not None and getattr(param, "opts", None):
        return max(param.opts, key=len)
    return getattr(exc, "option_name", None)


def _fail(
    argv: list[str],
    prog: str,
    option: str | None,
    message: str,
    code: ExitCode,
    details: list[tuple[str | None, str]] | None = None,
) -> ExitCode:
    """Write the one stderr line for an error (JSON with ``--json``) and return ``code``."""
    command = next((a for a in argv if a in COMMANDS), None)
    where = f"{prog} {command}" if command else prog
    text = " ".join(message.split())
    if _wants_json(argv):
        from .render.json_out import scalar

        sys.stderr.write(scalar({"error": error_object(option, code, details or [(option, text)])}) + "\n")
    else:
        sys.stderr.write(f"{where}: error: {text}\n")
    return code


def _wants_json(argv: list[str]) -> bool:
    """Whether the command line asked for JSON-shaped output (then errors are JSON too)."""
    if "--json" in argv:
        return True
    for index, word in enumerate(argv):
        if word.startswith("--format="):
            return word.split("=", 1)[1] in ("json", "ndjson")
        if word == "--format" and index + 1 < len(argv):
            return argv[index + 1] in ("json", "ndjson")
    return False


def _quiet_stdout() -> None:
    """After a closed pipe: point stdout at /dev/null so the exit flush stays silent."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


app = typer.Typer(
    cls=InvfutGroup,
    name="invfut",
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        from . import __version__

        sys.stdout.write(f"invfut {__version__}\n")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", help="Print the version and exit.", callback=_version, is_eager=True)
    ] = False,
) -> None:
    """Position calculator for inverse (coin-margined) futures: PnL, liquidation, leverage, ladders.

    Every command prints a table, or one JSON document with --json. Exit codes: 0 answer
    printed, 1 internal error, 2 bad input, 130 interrupted.
    """


#: Each command and the module of ``invfut_cli.commands`` that defines it, so that a run
#: imports only the module of its command (a test checks this against the registrations).
COMMAND_MODULES: dict[str, str] = {
    "pnl": "position",
    "liq-price": "position",
    "leverage": "position",
    "ladder": "position",
    "size": "size",
    "hedge": "hedge",
    "stress": "stress",
    "batch": "batch",
    "exchanges": "exchanges",
}
#: The names of the commands.
COMMANDS: frozenset[str] = frozenset(COMMAND_MODULES)


#: The command functions by name, for :func:`main`'s one-command app.
_FUNCTIONS: dict[str, Callable[..., Any]] = {}


def command(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a command on the app under ``name``."""

    if name not in COMMAND_MODULES:
        raise LookupError(f"command {name!r} is missing from COMMAND_MODULES")

    def register(func: Callable[..., Any]) -> Callable[..., Any]:
        _FUNCTIONS[name] = func
        return app.command(name)(func)

    return register


#: The document builders ``invfut batch`` dispatches to, by command name.
BATCH: dict[str, Callable[..., dict[str, Any]]] = {}


def batch(name: str) -> Callable[[Callable[..., dict[str, Any]]], Callable[..., dict[str, Any]]]:
    """Register ``func(**option values) -> document`` as what ``batch`` runs for ``name``."""

    def register(func: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
        BATCH[name] = func
        return func

    return register


#: Parameters that choose the output, not the question; and typer names that differ from the option.
OUTPUT_PARAMETERS = frozenset({"explain", "as_json", "fmt"})
RENAMED = {"exit_": "exit", "from_": "from"}


def option_values(parameters: dict[str, Any]) -> dict[str, Any]:
    """A command's parameters as option values, by option name (``--exit`` is ``exit``)."""
    return {RENAMED.get(k, k): v for k, v in parameters.items() if k not in OUTPUT_PARAMETERS}


#: The options that make a price grid (``leverage`` and ``ladder``).
GRID_KEYS = ("from", "to", "step", "steps", "pct", "pct_step")


def with_grid(values: dict[str, Any]) -> dict[str, Any]:
    """``values`` with the grid options gathered under ``grid``."""
    from .models import GridInput

    grid = {k: values.pop(k) for k in GRID_KEYS if k in values}
    return {**values, "grid": build(GridInput, **grid)}


def load_commands(name: str | None = None) -> None:
    """Import the module that defines command ``name`` (registering it), or every command's."""
    import importlib

    modules = {COMMAND_MODULES[name]} if name in COMMAND_MODULES else set(COMMAND_MODULES.values())
    for module in sorted(modules):
        importlib.import_module(f"invfut_cli.commands.{module}")


def app_for(argv: Sequence[str]) -> typer.Typer:
    """The app to run ``argv``: for ``invfut NAME …``, an app holding only NAME (typer builds
    every registered command's options before it parses, and one is all this run needs);
    otherwise the full app. Both behave the same for that command. Only the modules of the
    commands the app holds are imported."""
    load_commands(argv[0] if argv else None)
    if not argv or argv[0] not in _FUNCTIONS:
        return app
    single = typer.Typer(cls=InvfutGroup, name="invfut", add_completion=False, pretty_exceptions_enable=False)
    single.callback()(_root)
    single.command(argv[0])(_FUNCTIONS[argv[0]])
    return single


def build(model: type[M], **values: Any) -> M:
    """Validate the given option values (``None`` means not given) into ``model``.

    An option not given takes its configured default (config file, ``INVFUT_*``), where
    ``model`` has that field.
    """
    from .config import settings

    given = {k: (v.value if isinstance(v, Enum) else v) for k, v in values.items() if v is not None}
    configured = [k for k in settings() if k in model.model_fields and k not in given]
    for key in configured:
        given[key] = settings()[key]
    try:
        return model.model_validate(given)
    except ValidationError as exc:
        if configured:
            _blame_config(exc, configured)
        raise


def _blame_config(exc: ValidationError, configured: list[str]) -> None:
    """Raise a :class:`ConfigError` naming the file (or variable) and key when a configured
    default, not an option the user typed, is what failed."""
    from .config import source
    from .models import error_lines

    for (_option, message), err in zip(error_lines(exc), exc.errors(include_url=False), strict=False):
        names = [str(part) for part in err["loc"]] + [str((err.get("ctx") or {}).get("option", ""))]
        key = next((k for k in configured if k in names), None)
        if key is not None:
            raise ConfigError(f"{source(key)}: {message}") from None


def explained(doc: dict[str, Any], wanted: bool) -> dict[str, Any]:
    """``doc`` with its ``explain`` key: the formula steps if ``wanted``, else null."""
    if not wanted:
        return {**doc, "explain": None}
    from .explain import with_explanation

    return with_explanation(doc, True)


def emit(doc: dict[str, Any], as_json: bool, fmt: OutputFormat | None = None) -> None:
    """Write ``doc`` to stdout in the chosen format (``--json`` is ``--format json``).

    rich is imported only for a table.
    """
    if as_json and fmt is not None and fmt is not OutputFormat.json:
        raise DomainError(f"--json is --format json: give --json or --format {fmt.value}, not both", option="format")
    if fmt is None and not as_json:
        from .config import settings

        configured = settings().get("format")
        fmt = OutputFormat(configured) if configured else None
    chosen = fmt if fmt is not None else (OutputFormat.json if as_json else OutputFormat.table)
    try:
        if chosen is OutputFormat.json:
            from .render import json_out

            json_out.write(doc, sys.stdout)
        elif chosen is OutputFormat.table:
            from .render import table

            table.write(doc, sys.stdout)
        else:
            from .render import flat

            (flat.write_csv if chosen is OutputFormat.csv else flat.write_ndjson)(doc, sys.stdout)
        sys.stdout.flush()
    except BrokenPipeError:
        raise PipeClosed from None


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
