"""Errors about the files invfut reads, each naming the file and the key at fault."""

from __future__ import annotations


class ConfigError(Exception):
    """A broken config file or ``INVFUT_*`` variable."""


class PresetError(Exception):
    """The exchange preset data file is broken."""
