"""Valid requests with fine-grained numbers: every numeric option and batch field takes values
with up to :data:`MOST_PLACES` decimal places (``33.333``, ``0.000123456``, ``2.345%``).

:func:`request` draws one ``batch`` line (a dict) for any command from a seeded
:class:`random.Random`, so that tens of thousands are drawn in well under a second and a
failure is reproduced from its seed. Values are in range (a valid input), combinations may
still conflict (a usage error is an answer about the input, not an internal error).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from decimal import Decimal
from typing import Any

#: The most decimal places a drawn number has.
MOST_PLACES = 12

#: The commands a batch line can run (``exchanges`` and ``schema`` take no numbers; ``batch``
#: runs these).
COMMANDS = ("pnl", "liq-price", "leverage", "ladder", "size", "hedge", "stress", "account", "compare")

Draw = Callable[[random.Random], Any]


def fine(low: str, high: str, rng: random.Random, places: int | None = None) -> str:
    """A number in ``[low, high]`` written with 0 to :data:`MOST_PLACES` places (most often many)."""
    if places is None:
        places = rng.choice([0, 1, 2, 3, 5, 8, 9, 10, 11, 12, 12, 12])
    lo, hi = Decimal(low), Decimal(high)
    scale = Decimal(10) ** places
    whole = rng.randint(int(lo * scale), int(hi * scale))
    value = Decimal(whole) / scale
    return format(value.quantize(Decimal(1).scaleb(-places)) if places else value, "f")


def _num(low: str, high: str) -> Draw:
    return lambda rng: fine(low, high, rng)


def _pct_or_rate(low_pct: str, high_pct: str) -> Draw:
    """A rate written as ``N%`` or as the fraction, both fine."""

    def draw(rng: random.Random) -> str:
        if rng.random() < 0.5:
            return fine(low_pct, high_pct, rng) + "%"
        return fine(str(Decimal(low_pct) / 100), str(Decimal(high_pct) / 100), rng)

    return draw


PRICE = _num("100", "100000")
#: A valid value for each field, by field name.
FIELDS: dict[str, Draw] = {
    "entry": PRICE,
    "exit": PRICE,
    "mark": PRICE,
    "price": PRICE,
    "stop": PRICE,
    "target_liquidation": PRICE,
    "from": _num("100", "5000"),
    "to": _num("5000", "100000"),
    "contracts": lambda rng: str(rng.randint(1, 100_000)) if rng.random() < 0.7 else fine("1", "100000", rng),
    # A size in USD or coin takes at most 8 places (a satoshi): a documented limit of the input.
    "size_usd": lambda rng: fine("1", "100000", rng, rng.randint(0, 8)),
    "size_coin": lambda rng: fine("0.001", "10", rng, rng.randint(3, 8)),
    "contract_size": lambda rng: rng.choice(["1", "10", "100", fine("0.5", "100", rng)]),
    "leverage": _num("0.5", "100"),
    "margin": _num("0.001", "10"),
    "balance": _num("0.01", "10"),
    "target_roe": _pct_or_rate("-90", "300"),
    "target_pnl": _num("-0.1", "0.1"),
    "target_usd": _num("-1000", "1000"),
    "entry_fee": lambda rng: rng.choice(["maker", "taker", fine("-0.05", "0.1", rng) + "%"]),
    "exit_fee": lambda rng: rng.choice(["maker", "taker", fine("-0.05", "0.1", rng) + "%"]),
    "funding": _pct_or_rate("-0.05", "0.05"),
    "periods": lambda rng: str(rng.randint(0, 100)) if rng.random() < 0.7 else fine("0", "100", rng),
    "hours": lambda rng: str(rng.randint(0, 72)) if rng.random() < 0.7 else fine("0", "72", rng),
    "mmr": _pct_or_rate("0.1", "5"),
    "mm_deduction": _num("0", "0.01"),
    "taker_fee": _pct_or_rate("0", "0.1"),
    "tick": lambda rng: rng.choice(["0.01", "0.5", "1", fine("0.00000001", "2", rng)]),
    "fail_within": lambda rng: fine("0", "50", rng) + rng.choice(["", "%"]),
    "step": _num("100", "2500"),
    "steps": lambda rng: rng.randint(1, 30),
    "pct": _num("1", "60"),
    "pct_step": _num("1", "20"),
    "holding": _num("0.01", "100"),
    "ratio": _pct_or_rate("0", "100"),
    "funding_interval": lambda rng: rng.choice(["1", "4", "8"]),
    "risk": lambda rng: fine("0.1", "5", rng) + "%" if rng.random() < 0.5 else fine("0.0001", "0.05", rng),
    "usd_delta": _num("-1", "1"),
    "move": lambda rng: [fine("-0.99", "1", rng) if rng.random() < 0.5 else fine("-99", "100", rng) + "%"],
    "fill": lambda rng: [f"{rng.randint(1, 5000)}@{PRICE(rng)}" for _ in range(rng.randint(1, 3))],
    "close": lambda rng: [f"{rng.randint(1, 500)}@{PRICE(rng)}"],
    "add": lambda rng: [f"{rng.choice(['long', 'short'])}:{rng.randint(1, 5000)}@{PRICE(rng)}"],
}
SIDE = ("long", "short")
EXCHANGES = ("generic", "bybit", "okx", "binance", "bitmex", "kraken", "deribit")

#: Groups of fields given together (a grid, funding with its periods, a target in place of
#: the exit).
GRID = (("from", "to", "steps"), ("from", "to", "step"), ("pct",), ("pct", "pct_step"))
FUNDING = (("funding",), ("funding", "periods"), ("funding", "hours"))
FEES = (("entry_fee",), ("exit_fee",), ("entry_fee", "exit_fee"))
RULE = (("mmr",), ("mm_deduction",), ("taker_fee",), ("tick",), ("mmr", "mm_deduction", "taker_fee"))

#: Each command's fields: those always given, and groups of which a few may be.
SHAPES: dict[str, tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]] = {
    "pnl": (("side", "entry", "contracts", "exit", "leverage"),
            (("balance",), *FEES, *FUNDING, ("close",), ("contract_size",), *RULE)),
    "liq-price": (("side", "entry", "contracts", "leverage"),
                  (*RULE, ("mark",), ("mark", "fail_within"), ("target_liquidation",), ("close",),
                   ("contract_size",), ("balance",))),
    "leverage": (("entry",), (("side",), ("taker_fee",), *GRID, ("contract_size",))),
    "ladder": (("side", "entry", "contracts", "leverage"),
               (*GRID, *RULE, *FEES, *FUNDING, ("close",), ("contract_size",), ("balance",))),
    "size": (("entry", "stop", "balance", "risk"), (("leverage",), ("contract_size",), *RULE)),
    "hedge": (("holding", "price"), (("ratio",), ("funding",), ("funding", "funding_interval"), *GRID)),
    "stress": (("side", "entry", "contracts", "leverage"),
               (("move",), ("mark",), *RULE, ("balance",), ("close",), ("contract_size",))),
    "account": (("price",), (("add",), ("fail_within",), ("move",), ("usd_delta",), *RULE)),
    "compare": (("side", "entry", "size_usd", "leverage"), ()),
}  # fmt: skip
#: ``leverage`` solves one of contracts, margin and leverage from the other two.
LEVERAGE_PAIRS = (("contracts", "leverage"), ("contracts", "margin"), ("margin", "leverage"),
                  ("balance", "leverage"), ("contracts", "balance"), ("size_usd", "leverage"))  # fmt: skip
#: Fields given in place of another now and then: a size in USD or coin, a margin or a
#: balance, fills (in place of the entry and the contracts), a target (in place of the exit).
SWAPS = {
    "contracts": ("size_usd", "size_coin"),
    "leverage": ("margin", "balance"),
    "exit": ("target_roe", "target_pnl", "target_usd"),
    "size_usd": ("size_coin",),
}


#: Commands that take ``--contract-type linear|quanto`` (DOMAIN.md §15), and the fields a
#: linear or quanto position does not take.
CONTRACT_COMMANDS = ("pnl", "liq-price", "leverage", "ladder", "stress")
INVERSE_ONLY = ("fill", "close", "size_usd", "size_coin", "entry_fee", "exit_fee", "funding", "periods", "hours",
                "target_roe", "target_pnl", "target_usd", "target_liquidation", "contract_size")  # fmt: skip
#: Commands that take the model probability's options (DOMAIN.md §14).
MODEL_COMMANDS = ("liq-price", "leverage", "compare", "account")
FIELDS.update(
    {
        "multiplier": lambda rng: rng.choice(["0.000001", fine("0.0000001", "0.001", rng, rng.randint(7, 12))]),
        "settle_price": _num("100", "5000"),
        "linear_size": lambda rng: rng.choice(["0.001", "0.01", fine("0.0001", "1", rng)]),
        "settle_move": lambda rng: [fine("-0.9", "1", rng)],
        "vol": lambda rng: rng.choice([fine("0.01", "3", rng, rng.randint(2, 12)), fine("1", "300", rng) + "%"]),
        "horizon": lambda rng: rng.choice(["30m", "24h", "7d", "1y", fine("0.001", "100", rng) + "h"]),
        "drift": _num("-1", "1"),
        "max_probability": lambda rng: fine("0.000000000001", "99", rng) + rng.choice(["", "%"]),
    }
)


def _as_other_contract(line: dict[str, Any], rng: random.Random) -> None:
    """``line`` held as linear or quanto contracts (fields they take only; a quanto's USD
    figures with ``--settle-price`` most of the time)."""
    kind = rng.choice(["linear", "quanto"])
    for field in INVERSE_ONLY:
        line.pop(field, None)
    line["contract_type"] = kind
    line.setdefault("side", rng.choice(SIDE))  # leverage: a linear or quanto position has its side
    if line["command"] == "pnl" and "exit" not in line:
        line["exit"] = PRICE(rng)  # a linear or quanto position takes no target
    if kind == "linear":
        if rng.random() < 0.5:
            line["contract_size"] = FIELDS["linear_size"](rng)
        return
    line["multiplier"] = FIELDS["multiplier"](rng)
    if rng.random() < 0.7:
        line["settle_price"] = FIELDS["settle_price"](rng)
        if line["command"] == "stress" and rng.random() < 0.5:
            line["settle_move"] = FIELDS["settle_move"](rng)


def _with_model(line: dict[str, Any], rng: random.Random) -> None:
    """The model probability's options: a volatility, a horizon, now and then a drift and
    (rarely: it solves a barrier, the slowest answer) a target probability."""
    line["vol"] = FIELDS["vol"](rng)
    line["horizon"] = FIELDS["horizon"](rng)
    if rng.random() < 0.3:
        line["drift"] = FIELDS["drift"](rng)
    if line["command"] != "account" and rng.random() < 0.02:
        line["max_probability"] = FIELDS["max_probability"](rng)


def _account(rng: random.Random) -> dict[str, Any]:
    """An inline account: a cross balance and one to three positions, some isolated."""
    positions = []
    for number in range(rng.randint(1, 3)):
        position: dict[str, Any] = {
            "name": f"p{number}",
            "side": rng.choice(SIDE),
            "contracts": FIELDS["contracts"](rng),
            "entry": PRICE(rng),
        }
        if rng.random() < 0.3:
            position["leverage"] = FIELDS["leverage"](rng)
        positions.append(position)
    return {"coin": "BTC", "balance": FIELDS["balance"](rng), "position": positions}


def request(rng: random.Random, command: str | None = None) -> dict[str, Any]:
    """One valid ``batch`` line with fine-grained numbers (for ``command``, or any)."""
    command = command or rng.choice(COMMANDS)
    line: dict[str, Any] = {"command": command}
    always, groups = SHAPES[command]
    if command == "leverage":
        always = always + rng.choice(LEVERAGE_PAIRS)
    for field in always:
        swap = SWAPS.get(field)
        if swap and command not in ("size", "leverage") and rng.random() < 0.25:
            field = rng.choice(swap)
        line[field] = rng.choice(SIDE) if field == "side" else FIELDS[field](rng)
    chosen = rng.sample(groups, k=min(len(groups), rng.randint(0, 2)))
    for field in {field for group in chosen for field in group}:
        line[field] = rng.choice(SIDE) if field == "side" else FIELDS[field](rng)
    if "entry" in line and "contracts" in line and command != "account" and rng.random() < 0.1:
        del line["entry"], line["contracts"]
        line["fill"] = FIELDS["fill"](rng)
    if command in CONTRACT_COMMANDS and "entry" in line and "contracts" in line and rng.random() < 0.15:
        _as_other_contract(line, rng)
    elif command in MODEL_COMMANDS and rng.random() < 0.1:
        _with_model(line, rng)
    if command == "ladder" and "contract_type" not in line and "entry" in line and rng.random() < 0.05:
        line["versus"] = rng.choice(["linear", "quanto"])
        if line["versus"] == "quanto":
            line.update(multiplier=FIELDS["multiplier"](rng), settle_price=FIELDS["settle_price"](rng))
    if command == "account":
        line.update(_account(rng))
    if command == "compare":
        # Two venues a line (every venue is one more liquidation price: the fuzz keeps its pace).
        line["exchange"] = ",".join(rng.sample(EXCHANGES[1:], 2))
    elif rng.random() < 0.3:
        line["exchange"] = rng.choice(EXCHANGES)
    if line.get("contract_type") == "quanto":
        line.pop("exchange", None)  # no venue preset has a BTC quanto
    return line
