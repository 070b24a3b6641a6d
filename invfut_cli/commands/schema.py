"""``invfut schema [COMMAND]``: the JSON Schema (2020-12) of a command's ``--json`` document.

The schemas are made from the documents' layouts (:mod:`invfut_cli.documents`) and the
glossary (:mod:`invfut_cli.glossary`): every key declared, no other allowed, every number a
multiple of its unit's step.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from invfut_cli.app import command
from invfut_cli.core.errors import DomainError


def schema_for(name: str) -> dict[str, object]:
    """The schema of ``name``'s document."""
    from invfut_cli.documents import LAYOUTS, OPTIONAL
    from invfut_cli.schema import document_schema

    return document_schema(name, LAYOUTS[name], OPTIONAL.get(name, frozenset()))


@command("schema", example="invfut schema liq-price\ninvfut schema pnl | jq '.properties | keys'")
def schema_command(
    name: Annotated[
        str | None,
        typer.Argument(
            help="The command whose document to describe; without it, every command's, by name.",
            metavar="COMMAND",
        ),
    ] = None,
) -> None:
    """The JSON Schema (2020-12) of a command's --json document: every key, its unit and meaning."""
    from invfut_cli.documents import LAYOUTS

    if name is not None and name not in LAYOUTS:
        raise DomainError(f"no command {name!r} writes a document; the commands are {', '.join(LAYOUTS)}")
    chosen = [name] if name is not None else list(LAYOUTS)
    schemas = {one: schema_for(one) for one in chosen}
    body = schemas[name] if name is not None else schemas
    from invfut_cli.render.json_out import scalar

    # One line, numbers (the steps) written from their exact decimal text.
    sys.stdout.write(scalar(body) + "\n")
