"""Errors about the files invfut reads, each naming the file and the key at fault."""

from __future__ import annotations


class DataFileError(Exception):
    """A data file (presets, scenarios, config, an account) is broken: the message names the
    file, then the key at fault where there is one (``FILE: KEY: what is wrong``)."""

    def __init__(self, path: object, message: str, key: str | None = None) -> None:
        self.path = str(path)
        self.key = key
        #: What is wrong, without the file and key.
        self.reason = message
        super().__init__(f"{path}: {message}" if key is None else f"{path}: {key}: {message}")


class ConfigError(DataFileError):
    """A broken config file or ``INVFUT_*`` variable."""


class PresetError(DataFileError):
    """The exchange preset data file is broken."""
