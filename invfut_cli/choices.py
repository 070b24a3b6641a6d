"""The fixed choices of the command line, as enums: light to import at start-up."""

from __future__ import annotations

import enum


class SideName(enum.StrEnum):
    """Side as typed on the command line; ``buy``/``sell`` are ``long``/``short``."""

    long = "long"
    short = "short"
    buy = "buy"
    sell = "sell"


class ExchangeName(enum.StrEnum):
    """``--exchange``: ``generic`` is the plain textbook model, the rest are presets."""

    generic = "generic"
    bitmex = "bitmex"
    bybit = "bybit"
    binance = "binance"
    okx = "okx"
    kraken = "kraken"
    deribit = "deribit"


class BasisName(enum.StrEnum):
    """``--mm-basis``: the value the maintenance rate is charged on."""

    entry = "entry"
    mark = "mark"


class OutputFormat(enum.StrEnum):
    """``--format``: how a result is written to stdout."""

    table = "table"
    json = "json"
    ndjson = "ndjson"
    csv = "csv"
