"""Errors about the files invfut reads, each naming the file and the key at fault; and the
error of a live read, which every run's error funnel knows (without importing :mod:`.live`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .exitcodes import ExitCode


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


class LiveError(Exception):
    """A live read failed: ``message`` is one line naming the venue and what failed (already
    scrubbed of keys, signatures and query strings), ``code`` its exit code."""

    def __init__(self, message: str, code: ExitCode, option: str | None = None) -> None:
        self.message = message
        self.code = code
        self.option = option
        super().__init__(message)
