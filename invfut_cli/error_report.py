"""Errors as one stderr line (a JSON object with ``--json``) and an exit code.

:meth:`invfut_cli.app.InvfutGroup.main` catches every error and reports it here;
:func:`describe_error` is the one mapping of input errors to messages, for commands and
``batch`` alike.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import typer
from pydantic import ValidationError
from typer.core import TyperGroup

from .core.errors import DomainError
from .echo import one_line
from .errors import ConfigError, PresetError
from .exitcodes import ExitCode
from .registry import REGISTRY, command_word


def report_usage_error(argv: list[str], prog: str, exc: typer.TyperException) -> ExitCode:
    """Report a usage error (click's, through typer's public base of them); one made before
    any command (a misspelt command's name) lists the commands."""
    message = exc.format_message().replace("Value error, ", "")
    if isinstance(getattr(getattr(exc, "ctx", None), "command", None), TyperGroup):
        commands = ", ".join(sorted(REGISTRY))
        message = f"{message if message.endswith('?') else message.rstrip('.') + '.'} Commands: {commands}; try '{prog} --help'."
    return report(argv, prog, _click_option(exc), message, ExitCode.USAGE)


def report_input_error(
    argv: list[str], prog: str, exc: ValidationError | ConfigError | PresetError | DomainError
) -> ExitCode:
    """Report an input error as :func:`describe_error` words it."""
    option, text, code, details = describe_error(exc)
    return report(argv, prog, option, text, code, details)


def report_internal_error(argv: list[str], prog: str, exc: Exception) -> ExitCode:
    """Report an error invfut did not expect: one line, never a traceback."""
    return report(
        argv, prog, None, f"internal error: {type(exc).__name__}: {exc} (please report this)", ExitCode.INTERNAL
    )


def describe_error(
    exc: ValidationError | ConfigError | PresetError | DomainError,
) -> tuple[str | None, str, ExitCode, list[tuple[str | None, str]]]:
    """``(option, one-line message, exit code, [(option, message) per problem])`` for an
    input error: the one mapping of errors to messages, for commands and ``batch`` alike."""
    if isinstance(exc, ValidationError):
        from .inputs.fields import error_lines

        lines = error_lines(exc)
        return lines[0][0], "; ".join(_join(o, m) for o, m in lines), ExitCode.USAGE, lines
    if isinstance(exc, ConfigError | PresetError):
        return None, str(exc), ExitCode.CONFIG, [(None, str(exc))]
    option = None if exc.option is None else "--" + exc.option.replace("_", "-")
    return option, _join(option, exc.message), ExitCode.USAGE, [(option, exc.message)]


def error_object(option: str | None, code: ExitCode, details: list[tuple[str | None, str]]) -> dict[str, Any]:
    """The ``error`` object of a JSON error: option, message, exit code (and every problem)."""
    error: dict[str, Any] = {"option": option, "message": one_line(details[0][1]), "exit_code": int(code)}
    if len(details) > 1:
        error["errors"] = [{"option": o, "message": one_line(m)} for o, m in details]
    return error


def report(
    argv: list[str],
    prog: str,
    option: str | None,
    message: str,
    code: ExitCode,
    details: list[tuple[str | None, str]] | None = None,
) -> ExitCode:
    """Write the one stderr line for an error (JSON with ``--json``) and return ``code``."""
    # A command's name after another word, as in ``invfut lig-price pnl``, did not run.
    command = word if (word := command_word(argv)) in REGISTRY else None
    where = f"{prog} {command}" if command else prog
    text = one_line(message)
    if wants_json(argv):
        from .render.json_out import scalar

        sys.stderr.write(scalar({"error": error_object(option, code, details or [(option, text)])}) + "\n")
    else:
        sys.stderr.write(f"{where}: error: {text}\n")
    return code


def wants_json(argv: list[str]) -> bool:
    """Whether the command line asked for JSON-shaped output (then errors are JSON too)."""
    if "--json" in argv:
        return True
    for index, word in enumerate(argv):
        if word.startswith("--format="):
            return word.split("=", 1)[1] in ("json", "ndjson")
        if word == "--format" and index + 1 < len(argv):
            return argv[index + 1] in ("json", "ndjson")
    return False


def _join(option: str | None, message: str) -> str:
    return message if option is None else f"{option}: {message}"


def _click_option(exc: typer.TyperException) -> str | None:
    param = getattr(exc, "param", None)
    if param is not None and getattr(param, "opts", None):
        return max(param.opts, key=len)
    return getattr(exc, "option_name", None)


def quiet_stdout() -> None:
    """After a closed pipe: point stdout at /dev/null so the exit flush stays silent."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
