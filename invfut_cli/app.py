"""The typer app: error handling, exit codes, and the helpers every command uses.

Each command builds one input model, calls the core, and hands one document to one
renderer. Errors of every kind become one stderr line and an :class:`ExitCode` in
:meth:`InvfutGroup.main`, and nowhere else.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Sequence
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from pydantic import ValidationError
from typer.core import TyperCommand, TyperGroup

from .choices import OutputFormat
from .commands import REGISTRY, load, module_name
from .core.errors import DomainError
from .errors import ConfigError, PresetError
from .exitcodes import MEANINGS, ExitCode

if TYPE_CHECKING:
    from pathlib import Path

    from .models import Model

M = TypeVar("M", bound="Model")


#: ``-h`` is ``--help``, for the app and every command.
CONTEXT_SETTINGS: dict[str, Any] = {"help_option_names": ["-h", "--help"]}
#: The help panel of ``--help`` in a command's help (the options' panels are in ``options``).
HELP_PANEL = "Output"


class _Help:
    """How invfut's help shows options: a flag takes no value, so no ``<bool>`` is written
    beside it, and an argument with a metavar (``FILE``, ``NAME``) gets no ``<str>`` beside
    that (typer's rich help writes both); a command's ``-h, --help`` goes in its Output
    panel, after the options."""

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
    """No type beside an argument's metavar in the help (see :class:`_Help`)."""


class InvfutCommand(_Help, TyperCommand):
    """A command of the app (see :class:`_Help`). The output options are checked before the
    command does any work: ``--json`` with another ``--format`` is a usage error, whatever
    else is wrong."""

    def invoke(self, ctx: Any) -> Any:
        check_output(bool(ctx.params.get("as_json")), ctx.params.get("fmt"))
        return super().invoke(ctx)


class InvfutGroup(_Help, TyperGroup):
    """The app's group: runs a command and turns any error into one line and an exit code.

    ``invfut`` alone prints the help (exit 0)."""

    def list_commands(self, ctx: Any) -> list[str]:
        """The commands in :data:`~invfut_cli.commands.REGISTRY`'s order (the position commands
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
            message = exc.format_message().replace("Value error, ", "")
            if isinstance(getattr(getattr(exc, "ctx", None), "command", None), TyperGroup):
                # The command line went wrong before any command: list the commands.
                commands = ", ".join(sorted(COMMANDS))
                message = f"{message if message.endswith('?') else message.rstrip('.') + '.'} Commands: {commands}; try '{prog} --help'."
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


def _click_option(exc: typer.TyperException) -> str | None:
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
    # The command is the first word (invfut itself takes only --help and --version): a
    # command's name later on, as in ``invfut lig-price pnl``, did not run.
    command = argv[0] if argv and argv[0] in COMMANDS else None
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
    context_settings=CONTEXT_SETTINGS,
)


def _version(value: bool) -> None:
    if value:
        from . import __version__

        sys.stdout.write(f"invfut {__version__}\n")
        raise typer.Exit()


#: The end of ``invfut --help``: an example, and every exit code with its meaning.
ROOT_EPILOG = "Example:\n$ invfut liq-price --side long --entry 8000 --contracts 10000 --leverage 10\n\n" + (
    "Exit codes:\n" + "\n".join(f"{int(code):>3}  {MEANINGS[code]}" for code in ExitCode)
)


@app.callback(epilog=ROOT_EPILOG)
def _root(
    version: Annotated[
        bool, typer.Option("--version", help="Print the version and exit.", callback=_version, is_eager=True)
    ] = False,
) -> None:
    """Position calculator for inverse (coin-margined) futures: PnL, liquidation, leverage, ladders.

    Every command prints a table, or one JSON document with --json.
    'invfut COMMAND -h' shows a command's options and an example.
    """


#: The names of the commands (:data:`invfut_cli.commands.REGISTRY` lists them, in order).
COMMANDS: frozenset[str] = frozenset(REGISTRY)


#: The command functions by name, as registered by :func:`command` (for :func:`app_for`'s
#: one-command app).
_FUNCTIONS: dict[str, Callable[..., Any]] = {}
#: How each command is registered (its class, its help, and the example at the end of it).
_SETTINGS: dict[str, dict[str, Any]] = {}


def _prose(doc: str | None) -> str | None:
    """A docstring as help text: each paragraph on one line. (typer's help keeps a docstring's
    line breaks, which then break the terminal's own wrapping of the lines.)"""
    if doc is None:
        return None
    blocks = re.split(r"\n\s*\n", doc.strip())
    return "\n\n".join(" ".join(line.strip() for line in block.splitlines()) for block in blocks)


def command(name: str, example: str | None = None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a command on the app under ``name`` (one of :data:`~invfut_cli.commands.REGISTRY`,
    defined in its module); ``example``: command lines (one a line, without the ``$``) shown
    at the end of its help. Its options' help panels are set on the options (``options.py``)."""

    if name not in REGISTRY:
        raise LookupError(f"command {name!r} is missing from invfut_cli.commands.REGISTRY")
    lines = [] if example is None else example.splitlines()
    epilog = (
        None
        if not lines
        else ("Example:\n" if len(lines) == 1 else "Examples:\n") + "\n".join(f"$ {line}" for line in lines)
    )

    def register(func: Callable[..., Any]) -> Callable[..., Any]:
        if func.__module__ != f"invfut_cli.commands.{module_name(name)}":
            raise LookupError(f"command {name!r} belongs in invfut_cli.commands.{module_name(name)}")
        _FUNCTIONS[name] = func
        _SETTINGS[name] = {"cls": InvfutCommand, "epilog": epilog, "help": _prose(func.__doc__)}
        return app.command(name, **_SETTINGS[name])(func)

    return register


#: Parameters that choose the output, not the question; and typer names that differ from the option.
OUTPUT_PARAMETERS = frozenset({"explain", "as_json", "fmt", "plot", "plot_file"})
RENAMED = {"exit_": "exit", "from_": "from"}


def option_values(parameters: dict[str, Any]) -> dict[str, Any]:
    """A command's parameters as option values, by option name (``--exit`` is ``exit``)."""
    return {RENAMED.get(k, k): v for k, v in parameters.items() if k not in OUTPUT_PARAMETERS}


#: The options that make a price grid (``leverage`` and ``ladder``).
GRID_KEYS = ("from", "to", "step", "steps", "pct", "pct_step")


def with_grid(values: dict[str, Any]) -> dict[str, Any]:
    """``values`` with the grid options gathered under ``grid``."""
    from .models_margin import GridInput

    grid = {k: values.pop(k) for k in GRID_KEYS if k in values}
    return {**values, "grid": build(GridInput, **grid)}


def load_commands(name: str | None = None) -> None:
    """Import the module that defines command ``name`` (registering it), or every command's."""
    for command_name in (name,) if name in REGISTRY else REGISTRY:
        load(command_name)


def app_for(argv: Sequence[str]) -> typer.Typer:
    """The app to run ``argv``: for ``invfut NAME …``, an app holding only NAME (typer builds
    every registered command's options before it parses, and one is all this run needs);
    otherwise the full app. Both behave the same for that command. Only the modules of the
    commands the app holds are imported."""
    load_commands(argv[0] if argv else None)
    if not argv or argv[0] not in _FUNCTIONS:
        return app
    single = typer.Typer(
        cls=InvfutGroup,
        name="invfut",
        add_completion=False,
        pretty_exceptions_enable=False,
        context_settings=CONTEXT_SETTINGS,
    )
    single.callback(epilog=ROOT_EPILOG)(_root)
    single.command(argv[0], **_SETTINGS[argv[0]])(_FUNCTIONS[argv[0]])
    return single


def build(model: type[M], **values: Any) -> M:
    """Validate the given option values (``None`` means not given) into ``model``.

    An option not given takes its configured default (config file, ``INVFUT_*``), where
    ``model`` has that field.
    """
    from .config import settings

    given = {k: (v.value if isinstance(v, Enum) else v) for k, v in values.items() if v is not None}
    for key in _repeatable(model).intersection(given):
        if not isinstance(given[key], list | tuple):  # one value where an option repeats (a batch line)
            given[key] = [given[key]]
    configured = [k for k in settings() if k in model.model_fields and k not in given]
    for key in configured:
        given[key] = settings()[key]
    try:
        return model.model_validate(given)
    except ValidationError as exc:
        if configured:
            _blame_config(exc, configured)
        raise


#: The fields of each model that a repeatable option fills, found once per model.
_REPEATABLE: dict[type, frozenset[str]] = {}


def _repeatable(model: type[Model]) -> frozenset[str]:
    """The fields of ``model`` that a repeatable option fills (``--fill``, ``--close``,
    ``--move``): tuples, to which one value given alone belongs as the only item."""
    found = _REPEATABLE.get(model)
    if found is None:
        import typing

        found = _REPEATABLE[model] = frozenset(
            name for name, field in model.model_fields.items() if typing.get_origin(field.annotation) is tuple
        )
    return found


def _blame_config(exc: ValidationError, configured: list[str]) -> None:
    """Raise a :class:`ConfigError` naming the file (or variable) and key when a configured
    default, not an option the user typed, is what failed."""
    from .config import source
    from .models import error_lines

    for (_option, message), err in zip(error_lines(exc), exc.errors(include_url=False), strict=False):
        names = [str(part) for part in err["loc"]] + [str((err.get("ctx") or {}).get("option", ""))]
        key = next((k for k in configured if k in names), None)
        if key is not None:
            raise ConfigError(source(key), message) from None


def explained(doc: dict[str, Any], wanted: bool) -> dict[str, Any]:
    """``doc`` with its ``explain`` key: the formula steps if ``wanted``, else null."""
    if not wanted:
        return {**doc, "explain": None}
    from .explain import with_explanation

    return with_explanation(doc, True)


def check_output(as_json: bool, fmt: OutputFormat | None) -> None:
    """``--json`` is ``--format json``: another ``--format`` beside it is a usage error."""
    if as_json and fmt is not None and fmt is not OutputFormat.json:
        raise DomainError(f"--json is --format json: give --json or --format {fmt.value}, not both", option="format")


def emit(
    doc: dict[str, Any],
    as_json: bool,
    fmt: OutputFormat | None = None,
    plot: bool = False,
    plot_file: Path | None = None,
) -> None:
    """Write ``doc`` to stdout in the chosen format (``--json`` is ``--format json``);
    ``plot``: the summary and a chart in place of the table's rows; ``plot_file``: write the
    chart there as well, first (an error then leaves stdout empty).

    rich is imported only for a table, and a plotting library only for a chart.
    """
    check_output(as_json, fmt)
    if plot and (as_json or fmt not in (None, OutputFormat.table)):
        given = "--json" if as_json else f"--format {fmt.value if fmt else ''}"
        raise DomainError(
            f"the chart is drawn for people on the terminal, not with {given}; "
            "for a chart beside that output give --plot-file FILE.svg",
            option="plot",
        )
    if plot_file is not None:
        from .render import plot as chart

        try:
            chart.write_file(doc, plot_file)
        except OSError as exc:
            raise DomainError(f"cannot write '{plot_file}': {exc.strerror or exc}", option="plot_file") from None
    if plot:
        fmt = OutputFormat.table
    if fmt is None and not as_json:
        from .config import settings

        configured = settings().get("format")
        fmt = OutputFormat(configured) if configured else None
    chosen = fmt if fmt is not None else (OutputFormat.json if as_json else OutputFormat.table)
    try:
        if chosen is OutputFormat.json:
            from .render import json_out

            json_out.write(doc, sys.stdout)
        elif chosen is OutputFormat.table and plot:
            from .render import plot as chart

            chart.write(doc, sys.stdout)
        elif chosen is OutputFormat.table:
            from .render import table

            table.write(doc, sys.stdout)
        else:
            from .render import flat

            (flat.write_csv if chosen is OutputFormat.csv else flat.write_ndjson)(doc, sys.stdout)
        sys.stdout.flush()
    except BrokenPipeError:
        raise PipeClosed from None


def note_unit_slip(command: str, option: str, given: str | list[str] | None, limit: Decimal) -> None:
    """One stderr note for a bare number that is almost certainly a unit slip: a fraction
    option (``0.5`` is 50%) given a number of percent (``--target-roe 100`` is 10,000%). It is
    read as written; the note says how, and how to write what was probably meant."""
    from .models import split_percent

    for text in [given] if isinstance(given, str) else given or []:
        parsed = split_percent(text)
        if parsed is None or parsed[1] or abs(parsed[0]) < limit:
            continue
        percent = f"{(parsed[0] * 100).normalize():,f}"
        sys.stderr.write(
            f"invfut {command}: note: {option} {text.strip()} is read as a fraction, {percent}%; "
            f"for {text.strip()}% write {option} {text.strip()}%\n"
        )


def alert_line(command: str, doc: dict[str, Any]) -> None:
    """The stderr line of an alert (exit code 4): beyond the liquidation price, or within the limit."""
    liquidation, mark = doc["liquidation_price"], doc["mark_price"]
    if doc["beyond"]:
        what = f"the mark {mark} is at or beyond the liquidation price {liquidation}: liquidated"
    else:
        where = "below" if doc["distance_from_mark_pct"] < 0 else "above"
        what = (
            f"the liquidation price {liquidation} is {abs(doc['distance_from_mark_pct'])}% {where} the mark {mark}, "
            f"within the {doc['fail_within_pct']}% limit"
        )
    sys.stderr.write(f"invfut {command}: alert: {what}\n")


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
