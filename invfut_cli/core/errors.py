"""Domain errors raised by the core, in plain English.

The core raises; only the command-line layer turns an error into a stderr line and an
exit code.
"""

from __future__ import annotations


class DomainError(ValueError):
    """Input that is well-formed but makes no sense for an inverse position.

    ``option`` names the input at fault (a field name such as ``"leverage"``), when
    one input is to blame.
    """

    def __init__(self, message: str, option: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.option = option
