"""The ``invfut`` command line: the app with every command registered.

``invfut_cli.cli:app`` is the typer app and ``invfut_cli.cli:main`` the console script.
"""

from __future__ import annotations

from . import commands
from .app import COMMANDS, ExitCode, app, main

__all__ = ["COMMANDS", "ExitCode", "app", "commands", "main"]
