"""The account file of ``invfut account``: its models and its reader.

The file is TOML or JSON (by extension; ``-`` reads JSON from stdin)::

    exchange = "bybit"          # optional: generic
    # contract_type = "linear"  # optional: inverse; linear (quote = "USDT") or quanto (multiplier)
    coin = "BTC"
    balance = 1.0               # the cross wallet balance, in the margin currency (the coin)
    [[position]]
    name = "perp"               # optional
    side = "long"
    contracts = 20000           # with entry, or: fills = ["10000@59000", "10000@61000"]
    entry = 60000
    # contract_size = 1         # optional: the venue's (USD; linear: coin per contract)
    # margin = 0.1 / leverage = 10: an isolated position with its own margin

A broken file is one error line naming the file, the position (by number and name) and the
field, with the config exit code (6); nothing is half-read. In ``batch`` the account is
given inline (``coin``, ``balance``, ``position``) or as ``file``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any


def _models() -> Any:
    """The file's pydantic models, created on first use (start-up pays only for what it runs)."""
    global _MODELS
    if _MODELS is None:
        _MODELS = _define_models()
    return _MODELS


_MODELS: Any = None


def _define_models() -> Any:
    from pydantic import AliasChoices, BeforeValidator, Field

    from invfut_cli.choices import ExchangeName
    from invfut_cli.inputs.contract_options import ContractTypeName
    from invfut_cli.inputs.fields import (
        MAX_COIN,
        Coin,
        CoinName,
        ContractSize,
        Count,
        Leverage,
        Model,
        Multiplier,
        Price,
        Side,
    )
    from invfut_cli.inputs.position import FillSpec, parse_fill

    def _fills(value: Any) -> Any:
        """Fills as ``"CONTRACTS@PRICE"`` text or ``{contracts, price}`` tables."""
        if isinstance(value, list):
            return tuple(parse_fill(text, "fills") for text in value)
        return value

    # No model validator here: a plain model validates in pydantic's core, 10,000 positions in
    # a few milliseconds. What depends on several fields is checked by _holdings.
    class PositionEntry(Model):
        """One ``[[position]]`` of the file."""

        name: Annotated[str, Field(min_length=1, max_length=64)] | None = None
        side: Side
        contracts: Count | None = None
        entry: Price | None = None
        fills: Annotated[tuple[FillSpec, ...], BeforeValidator(_fills)] = ()
        contract_size: ContractSize | None = None
        margin: Coin | None = None
        leverage: Leverage | None = None
        coin: CoinName | None = None
        #: The account's contract type, repeated (another is the file error of :mod:`.linear`).
        contract_type: ContractTypeName | None = None
        multiplier: Multiplier | None = None

    class AccountFile(Model):
        """The whole file."""

        exchange: ExchangeName | None = None
        #: inverse (the coin's balance), linear (the quote's) or quanto (the settlement coin's).
        contract_type: ContractTypeName | None = None
        coin: CoinName = "BTC"
        quote: CoinName | None = None
        multiplier: Multiplier | None = None
        settle_price: Price | None = None
        balance: Annotated[Decimal, Field(ge=0, le=MAX_COIN, allow_inf_nan=False)]
        position: Annotated[
            list[PositionEntry], Field(min_length=1, validation_alias=AliasChoices("position", "positions"))
        ]

    return PositionEntry, AccountFile


class AccountSource:
    """Where the account comes from: a file (errors are config errors naming it) or a batch
    line (errors are input errors naming ``position``)."""

    def __init__(self, label: str | None) -> None:
        self.label = label

    def fail(self, where: str, message: str) -> Exception:
        """The error for ``message`` about ``where`` (a field, or a position and its field)."""
        from invfut_cli.core.errors import DomainError
        from invfut_cli.errors import ConfigError

        text = f"{where}: {message}" if where else message
        if self.label is None:
            return DomainError(text, option="position" if where.startswith("position") else None)
        return ConfigError(self.label, text)


def read_file(file: str) -> tuple[dict[str, Any], AccountSource]:
    """The account file's data: ``.toml`` or ``.json`` by extension, ``-`` JSON from stdin;
    UTF-8, numbers as exact decimals. A file that cannot be read raises a config error."""
    import sys
    from pathlib import Path

    from invfut_cli.datafile import Hostile, parse_json, read_bounded

    source = AccountSource("<stdin>" if file == "-" else file if file.strip() else repr(file))
    try:
        if file == "-":
            raw, kind = read_bounded(sys.stdin.buffer), ".json"
        else:
            path = Path(file)
            kind = path.suffix.lower()
            if kind not in (".toml", ".json"):
                raise source.fail("", "an account file ends in .toml or .json (or is -, JSON on stdin)")
            raw = read_bounded(path)
    except FileNotFoundError:
        raise source.fail("", "no such file") from None
    except OSError as exc:
        raise source.fail("", f"cannot be read: {exc.strerror}") from None
    except Hostile as exc:
        raise source.fail("", str(exc)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise source.fail("", f"not valid UTF-8 (byte {exc.start})") from None
    if kind == ".toml":
        from invfut_cli.datafile import parse_toml
        from invfut_cli.errors import DataFileError

        try:
            data: Any = parse_toml(text, file, parse_float=Decimal)
        except DataFileError as exc:
            raise source.fail("", exc.reason) from None
    else:
        import json

        try:
            data = parse_json(text)
        except json.JSONDecodeError as exc:
            raise source.fail("", f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
        except Hostile as exc:
            raise source.fail("", str(exc)) from None
    if not isinstance(data, dict):
        raise source.fail("", "expected a table (an object) with coin, balance and position")
    return data, source


def label(index: int, name: Any) -> str:
    """How an error names the file's position ``index`` (from 0): its number, and its name."""
    return f"position {index + 1}" + (f" ({name!r})" if isinstance(name, str) and name else "")


def _position_label(data: dict[str, Any], index: int) -> str:
    positions = data.get("position", data.get("positions"))
    name = None
    if isinstance(positions, list) and index < len(positions) and isinstance(positions[index], dict):
        name = positions[index].get("name")
    return label(index, name)


def parse_account(data: dict[str, Any], source: AccountSource) -> Any:
    """``data`` validated as an account file; the first problem raises one error naming the
    position (by number and name) and the field."""
    from pydantic import ValidationError

    from invfut_cli.inputs.fields import error_lines

    _entry, account_file = _models()
    try:
        return account_file.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        (_option, message), *_ = error_lines(exc)
        loc = list(err["loc"])
        field = (err.get("ctx") or {}).get("option")
        if len(loc) >= 2 and loc[0] in ("position", "positions") and isinstance(loc[1], int):
            rest = field or ".".join(str(p + 1) if isinstance(p, int) else str(p) for p in loc[2:])
            where = _position_label(data, loc[1]) + (f": {rest}" if rest else "")
        else:
            where = field or ".".join(str(p) for p in loc)
        if err["type"] == "extra_forbidden":
            message = "unknown field"
        elif err["type"] == "missing":
            message = "missing"
        elif err["type"] == "too_short" and where in ("position", "positions"):
            message = "no positions: give at least one [[position]] (a list of positions)"
        raise source.fail(where, message) from None
