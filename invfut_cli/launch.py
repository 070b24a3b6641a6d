"""The ``invfut`` console script (and ``python -m invfut_cli``): the command line, with the
cyclic garbage collector paused while it starts (:mod:`invfut_cli.collector`)."""

from __future__ import annotations

from .collector import pause, resume


def main() -> None:
    """Run the command line (``invfut_cli.app.main``); the collector is paused until the
    command starts its work, and on again however the run ends."""
    pause()
    try:
        from .app import main as run

        run()
    finally:
        resume()
