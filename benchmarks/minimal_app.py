"""The start-up reference: a one-command Typer app with one Decimal option that prints one JSON line."""

import json
from decimal import Decimal
from typing import Annotated

import typer

app = typer.Typer(add_completion=False)


@app.command()
def pnl(entry: Annotated[Decimal, typer.Option()]) -> None:
    """Print the entry back as one JSON line."""
    print(json.dumps({"entry": str(entry)}))


if __name__ == "__main__":
    app()
