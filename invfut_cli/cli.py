"""The ``invfut`` command line: the app with every command registered.

``invfut_cli.cli:app`` is the typer app with every command registered. The console script,
``invfut_cli.launch:main``, imports only the module of the command it runs.
"""

from __future__ import annotations

from .app import COMMANDS, ExitCode, app, load_commands, main

load_commands()

__all__ = ["COMMANDS", "ExitCode", "app", "main"]
