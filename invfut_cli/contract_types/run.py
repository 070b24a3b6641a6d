"""Runs a linear or quanto position's document writer (kept out of the package's
``__init__`` so that importing one module of the package imports no other)."""

from __future__ import annotations

from typing import Any


def run(writer: str, values: dict[str, Any], chosen: dict[str, Any]) -> dict[str, Any]:
    """The document of a linear or quanto position (``chosen``: its contract options) that
    :mod:`.documents`'s function ``writer`` writes."""
    from invfut_cli.inputs.contract import ContractInput
    from invfut_cli.option_values import build

    from . import documents

    args = build(ContractInput, **{**values, **{k: v for k, v in chosen.items() if v is not None}})
    return getattr(documents, writer)(args)
