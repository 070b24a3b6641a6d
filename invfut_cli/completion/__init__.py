"""Generate static shell completion scripts for ``invfut`` from its own command tree.

The scripts complete without starting Python, so every TAB is instant: subcommands,
each command's options (long names and ``--help``), the fixed choices of choice
options, file names for path options, and nothing where a free value is expected.
Everything is read from the click command tree of :data:`invfut_cli.cli.app`
(:mod:`invfut_cli.completion.tree`); nothing about the commands is written here by hand.
:mod:`invfut_cli.completion.scripts` writes each shell's script from that tree.

Regenerate the checked-in scripts after changing the command line::

    python -m invfut_cli.completion bash zsh fish --write completions

This package is imported only to generate the scripts, never when ``invfut`` starts.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .scripts import render_bash, render_fish, render_zsh
from .tree import CommandSpec, OptionSpec, app_command, choices_of, walk

__all__ = [
    "FILE_NAMES",
    "SHELLS",
    "CommandSpec",
    "OptionSpec",
    "app_command",
    "choices_of",
    "main",
    "render",
    "render_bash",
    "render_fish",
    "render_zsh",
    "walk",
    "write",
]

SHELLS = ("bash", "zsh", "fish")
"""The shells a script can be generated for."""

FILE_NAMES = {shell: f"invfut.{shell}" for shell in SHELLS}
"""The name of each shell's checked-in script, inside ``completions/``."""

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
