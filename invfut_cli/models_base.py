"""The base of every input model, and of the exchange presets' file schema."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    """Frozen, no unknown fields; every model of a command's input derives from it."""

    # Schemas are built on first use, so start-up pays only for the models a command uses.
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)
