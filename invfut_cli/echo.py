"""How an error message echoes a value: cut at :data:`ECHO_CHARS` characters, as
:func:`invfut_cli.live.errors.scrub` cuts a venue's text (no imports: any layer uses it)."""

from __future__ import annotations

#: The longest value an error message echoes.
ECHO_CHARS = 200


def shown(value: object) -> str:
    """``value``'s text as an error message echoes it: at most :data:`ECHO_CHARS` characters."""
    text = str(value)
    return text if len(text) <= ECHO_CHARS else text[: ECHO_CHARS - 1] + "…"


def one_line(message: str) -> str:
    """``message`` on one line, each word (an echoed value) at most :data:`ECHO_CHARS` characters."""
    return " ".join(shown(word) for word in message.split())
