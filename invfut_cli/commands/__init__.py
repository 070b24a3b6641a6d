"""The commands; importing this package registers them all on the app."""

from . import batch, exchanges, hedge, position, size, stress

__all__ = ["batch", "exchanges", "hedge", "position", "size", "stress"]
