"""invfut: a position calculator for inverse (coin-margined) futures."""

__version__ = "0.1.0"
