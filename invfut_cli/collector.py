"""The cyclic garbage collector while invfut starts: paused, then resumed as the command
starts its work.

Start-up (typer, pydantic, the command's module, its options and its input model) makes
some 50,000 objects the collector tracks, nearly all of them kept until the process ends.
The collector would walk them about 80 times on the way, to free almost nothing: about 15%
of a one-off answer's time. The console script (:mod:`invfut_cli.launch`) pauses it before
its first import; :func:`resume` moves everything start-up made out of its view
(``gc.freeze``), then turns it back on, so the command's work, and a long ``batch`` or
``ladder`` in forked workers, is collected as usual without walking start-up's objects
again.
"""

from __future__ import annotations

import gc

_paused = False


def pause() -> None:
    """Turn the collector off, if it is on (:func:`resume` turns it back on)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """Turn the collector back on if :func:`pause` turned it off, start-up's objects frozen
    out of its view first; otherwise nothing."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()
