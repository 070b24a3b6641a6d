"""The typer options of the model probability of liquidation (``--vol``, ``--vol-from``,
``--horizon``, ``--drift``, ``--max-probability``): one definition, used by every command
that takes them."""

from __future__ import annotations

from typing import Annotated

import typer

#: The help panel of these options.
RISK = "Model probability"

VolOpt = Annotated[
    str | None,
    typer.Option(
        "--vol",
        help="Annual volatility for the model probability of liquidation: 0.6 or 60%.",
        metavar="RATE",
        rich_help_panel=RISK,
    ),
]
VolFromOpt = Annotated[
    str | None,
    typer.Option(
        "--vol-from",
        help="Take the volatility from the closes of a candle CSV (time,open,high,low,close; "
        "or a venue's kline download): realised, annualised, the interval from the times.",
        metavar="FILE",
        rich_help_panel=RISK,
    ),
]
HorizonOpt = Annotated[
    str | None,
    typer.Option(
        "--horizon",
        help="Horizon of the model probability: 30m, 24h, 7d, 2w, 1y.",
        metavar="DURATION",
        rich_help_panel=RISK,
    ),
]
DriftOpt = Annotated[
    str | None,
    typer.Option(
        "--drift",
        help="Annual drift of the model price: -0.2 or -20%. (default: 0)",
        metavar="RATE",
        rich_help_panel=RISK,
    ),
]
MaxProbabilityOpt = Annotated[
    str | None,
    typer.Option(
        "--max-probability",
        help="Solve the liquidation price, margin and leverage whose model probability of "
        "liquidation within the horizon is at most PCT (1 or 1%).",
        metavar="PCT",
        rich_help_panel=RISK,
    ),
]
