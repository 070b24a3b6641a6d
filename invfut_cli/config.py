"""Defaults from a config file and ``INVFUT_*`` environment variables (pydantic-settings).

The file is ``$INVFUT_CONFIG``, else ``$XDG_CONFIG_HOME/invfut/config.toml`` (else
``~/.config/invfut/config.toml``). Environment variables win over the file, and flags win
over both. With no file and no ``INVFUT_*`` variable, nothing is loaded at all.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .errors import ConfigError

#: The variable that sets how many processes write a long ladder (:mod:`invfut_cli.workers`):
#: read on its own, not a default of any option.
WORKERS_ENV = "INVFUT_WORKERS"
#: ``INVFUT_*`` variables that are not option defaults (nor are the live keys, ``INVFUT_<VENUE>_API_*``).
NOT_DEFAULTS = ("INVFUT_CONFIG", WORKERS_ENV, "INVFUT_CACHE_DIR", "INVFUT_OFFLINE")
#: The settings a config file may hold, with the option each one stands in for.
KEYS = ("exchange", "coin", "format", "entry_fee", "exit_fee", "taker_fee", "mmr")


def config_path() -> Path:
    """Where the config file is looked for."""
    explicit = os.environ.get("INVFUT_CONFIG")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "invfut" / "config.toml"


@cache
def settings() -> dict[str, Any]:
    """The configured defaults, as ``{option name: value}`` (empty when nothing is set)."""
    path = config_path()
    variables = [k for k in os.environ if k.startswith("INVFUT_") and k not in NOT_DEFAULTS and "_API_" not in k]
    if not path.is_file():
        if os.environ.get("INVFUT_CONFIG"):
            raise ConfigError(path, "no such config file (INVFUT_CONFIG names it)")
        if not variables:
            return {}
    return _load(path)


def _load(path: Path) -> dict[str, Any]:
    from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

    from .choices import ExchangeName, OutputFormat
    from .datafile import load_toml

    if path.is_file():
        load_toml(path, error=ConfigError)  # names the file if it is not TOML (pydantic-settings reads it)

    class Settings(BaseSettings):
        """What may be configured; every field is an option's default."""

        model_config = SettingsConfigDict(env_prefix="INVFUT_", extra="forbid", toml_file=path)

        config: str | None = None
        exchange: ExchangeName | None = None
        coin: str | None = None
        format: OutputFormat | None = None
        entry_fee: str | None = None
        exit_fee: str | None = None
        taker_fee: str | None = None
        mmr: str | None = None

        @classmethod
        def settings_customise_sources(
            cls,
            settings_cls: type[BaseSettings],
            init_settings: PydanticBaseSettingsSource,
            env_settings: PydanticBaseSettingsSource,
            dotenv_settings: PydanticBaseSettingsSource,
            file_secret_settings: PydanticBaseSettingsSource,
        ) -> tuple[PydanticBaseSettingsSource, ...]:
            from pydantic_settings import TomlConfigSettingsSource

            return (env_settings, TomlConfigSettingsSource(settings_cls))

    try:
        loaded = Settings()
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        key = ".".join(str(p) for p in err["loc"]) or "(top level)"
        variable = f"INVFUT_{key.upper()}"
        message = err["msg"]
        if err["type"] == "extra_forbidden":  # pydantic: "Extra inputs are not permitted"
            known = ", ".join(name for name in Settings.model_fields if name != "config")
            message = f"not a setting invfut reads (it reads {known})"
        if variable in os.environ:
            raise ConfigError(f"environment variable {variable}", message) from None
        raise ConfigError(path, message, key) from None
    values = loaded.model_dump(exclude={"config"}, exclude_none=True)
    return {k: (v.value if hasattr(v, "value") else v) for k, v in values.items()}


def source(key: str) -> str:
    """Where the configured ``key`` comes from: its variable, or the file and key."""
    variable = f"INVFUT_{key.upper()}"
    return f"environment variable {variable}" if variable in os.environ else f"{config_path()}: {key}"
