"""The commands; importing this package registers them all on the app."""

from . import exchanges, position

__all__ = ["exchanges", "position"]
