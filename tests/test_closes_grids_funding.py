"""Repeated --close, grids that end at --to and round to the price step, funding counted as
the venue pays it, and batch lines that give whole numbers."""

from __future__ import annotations

import itertools
import json
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction as F
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from invfut_cli.exitcodes import ExitCode

D = Decimal


def ok(run: Any) -> Any:
    assert run.exit_code == 0, run.stderr
    return run.json()


def dec(x: F, step: str = "0.00000001") -> Decimal:
    """``x`` to ``step`` (a power of ten or a tick), nearest, half to even."""
    units = (D(x.numerator) / D(x.denominator) / D(step)).quantize(D(1), rounding=ROUND_HALF_EVEN)
    return units * D(step)


def usage_error(run: Any, option: str) -> None:
    assert run.exit_code == ExitCode.USAGE, run.stdout
    assert run.stdout == ""
    assert len(run.stderr.splitlines()) == 1 and option in run.stderr, run.stderr


# --- --close, repeated ---------------------------------------------------------------------


@pytest.mark.parametrize("side", ["long", "short"])
def test_closes_apply_in_order_each_with_its_realised_pnl(cli: Any, side: str) -> None:
    """800 contracts of $10 at 1,000; close 100 at 1,500 then 100 at 2,000; exit 1,200:
    each close realises s·n·S·(1/E − 1/P) and the entry stays 1,000 (DOMAIN.md §3)."""
    s = 1 if side == "long" else -1
    out = ok(
        cli(
            "pnl", "--side", side, "--entry", "1000", "--contracts", "800", "--contract-size", "10",
            "--close", "100@1500", "--close", "100@2000", "--exit", "1200", "--json",
        )
    )  # fmt: skip
    first = s * 1000 * (F(1, 1000) - F(1, 1500))
    second = s * 1000 * (F(1, 1000) - F(1, 2000))
    open_pnl = s * 6000 * (F(1, 1000) - F(1, 1200))
    assert out["closed"] == [
        {"contracts": 100, "price": D("1500.00"), "realised_pnl": dec(first), "remaining_contracts": 700},
        {"contracts": 100, "price": D("2000.00"), "realised_pnl": dec(second), "remaining_contracts": 600},
    ]
    assert out["size_usd"] == 6000 and out["average_entry"] == 1000
    assert out["pnl"] == dec(open_pnl)
    assert out["realised_pnl"] == dec(first + second)
    assert out["total_pnl"] == dec(first + second + open_pnl)


def test_no_close_is_an_empty_list(cli: Any) -> None:
    out = ok(cli("pnl", "--side", "long", "--entry", "1000", "--contracts", "800", "--exit", "1200", "--json"))
    assert out["closed"] == [] and out["realised_pnl"] is None and out["total_pnl"] is None
    assert out["pnl"] == dec(800 * (F(1, 1000) - F(1, 1200)))


def test_table_shows_every_close_and_the_total(cli: Any) -> None:
    run = cli(
        "pnl", "--side", "long", "--entry", "1000", "--contracts", "800",
        "--close", "100@1500", "--close", "100@2000", "--exit", "1200",
    )  # fmt: skip
    assert run.exit_code == 0, run.stderr
    text = " ".join(run.stdout.split())
    assert "Closed 100 contracts at 1,500.00" in text and "Closed 100 contracts at 2,000.00" in text
    assert "Total: realised 0.08333333 + open 0.10000000 at the exit = 0.18333333 BTC" in text


def test_closing_everything_answers_the_realised_pnl_only(cli: Any) -> None:
    """Closes that take every contract leave nothing open: no exit is needed, and the
    answer is what they realised; the open-position keys are null."""
    out = ok(
        cli(
            "pnl", "--side", "short", "--entry", "8000", "--contracts", "1000", "--leverage", "5",
            "--close", "300@7000", "--close", "700@9000", "--json",
        )
    )  # fmt: skip
    realised = -300 * (F(1, 8000) - F(1, 7000)) - 700 * (F(1, 8000) - F(1, 9000))
    assert [c["remaining_contracts"] for c in out["closed"]] == [700, 0]
    assert out["realised_pnl"] == out["total_pnl"] == dec(realised)
    for key in ("exit_price", "pnl", "pnl_usd", "roe_pct", "equity", "break_even_price", "liquidation_price"):
        assert out[key] is None, key
    with_exit = ok(
        cli(
            "pnl", "--side", "short", "--entry", "8000", "--contracts", "1000",
            "--close", "1000@7000", "--exit", "6000", "--json",
        )
    )  # fmt: skip
    assert with_exit["exit_price"] is None and with_exit["total_pnl"] == dec(-1000 * (F(1, 8000) - F(1, 7000)))


def test_closing_everything_and_asking_for_a_target_is_refused(cli: Any) -> None:
    run = cli(
        "pnl", "--side", "long", "--entry", "8000", "--contracts", "10", "--close", "10@9000", "--target-pnl", "1"
    )
    usage_error(run, "--target-pnl")


@pytest.mark.parametrize(
    "command",
    [
        ("pnl", "--exit", "9000"),
        ("liq-price", "--leverage", "5"),
        ("ladder", "--leverage", "5"),
        ("stress", "--leverage", "5", "--move", "-10%"),
    ],
)
def test_closing_more_than_held_names_close(cli: Any, command: tuple[str, ...]) -> None:
    name, *rest = command
    run = cli(
        name, "--side", "long", "--entry", "8000", "--contracts", "10", "--close", "6@9000", "--close", "5@9500", *rest
    )
    usage_error(run, "--close")
    assert "11" in run.stderr and "10" in run.stderr


@pytest.mark.parametrize(
    "command",
    [("liq-price", "--leverage", "5"), ("ladder", "--leverage", "5"), ("stress", "--leverage", "5", "--move", "-10%")],
)
def test_closing_everything_is_a_usage_error_where_a_position_must_stay_open(
    cli: Any, command: tuple[str, ...]
) -> None:
    name, *rest = command
    run = cli(
        name, "--side", "long", "--entry", "8000", "--contracts", "10", "--close", "4@9000", "--close", "6@9500", *rest
    )
    usage_error(run, "--close")
    assert "invfut pnl" in run.stderr


def batch_line(request: dict[str, Any]) -> dict[str, Any]:
    """The output of one batch line, parsed (numbers as Decimal)."""
    from invfut_cli.batchrun import result_line

    line, _flags = result_line(1, json.dumps(request).encode())
    return json.loads(line, parse_float=Decimal, parse_int=Decimal)


@pytest.mark.parametrize(
    "close",
    ["100@1500", ["100@1500", "100@2000"], [{"contracts": 100, "price": 1500}, {"contracts": 100, "price": 2000}]],
)
def test_batch_close_is_a_string_or_a_list(cli: Any, close: Any) -> None:
    request = {"command": "pnl", "side": "long", "entry": "1000", "contracts": "800", "exit": "1200", "close": close}
    flags = [item if isinstance(item, str) else f"{item['contracts']}@{item['price']}" for item in
             ([close] if isinstance(close, str) else close)]  # fmt: skip
    args = [a for flag in flags for a in ("--close", flag)]
    want = cli("pnl", "--side", "long", "--entry", "1000", "--contracts", "800", "--exit", "1200", *args, "--json")
    assert batch_line(request) == want.json()


# --- grids -----------------------------------------------------------------------------------


def prices_of(out: dict[str, Any]) -> list[Decimal]:
    return [row["price"] for row in out["rows"]]


GRID = ("--from", "50000", "--to", "80000")


def test_a_step_grid_ends_at_to_with_a_shorter_last_step(cli: Any) -> None:
    want = [D(p) for p in (50000, 57000, 64000, 71000, 78000, 80000)]
    position = ("--side", "long", "--entry", "60000", "--contracts", "1000")
    ladder = ok(cli("ladder", *position, *GRID, "--step", "7000", "--json"))
    leverage = ok(
        cli("leverage", "--entry", "60000", "--contracts", "1000", "--leverage", "5", *GRID, "--step", "7000", "--json")
    )
    hedge = ok(cli("hedge", "--holding", "1", "--price", "60000", *GRID, "--step", "7000", "--json"))
    for out in (ladder, leverage, hedge):
        assert prices_of(out) == want, out["command"]
        assert out["grid"]["last_step"] == 2000 and "--to" in out["grid"]["note"], out["command"]
    assert ladder["rows"][-1]["pnl"] == dec(1000 * (F(1, 60000) - F(1, 80000)))
    on_grid = ok(cli("ladder", *position, *GRID, "--step", "6000", "--json"))
    assert prices_of(on_grid)[-1] == 80000 and len(on_grid["rows"]) == 6
    assert on_grid["grid"]["last_step"] is None and on_grid["grid"]["note"] is None


def test_the_table_says_the_last_step_is_shorter(cli: Any) -> None:
    run = cli("ladder", "--side", "long", "--entry", "60000", "--contracts", "1000", *GRID, "--step", "7000")
    assert run.exit_code == 0, run.stderr
    assert "its last step is 2000.00, shorter than --step 7000.00" in " ".join(run.stdout.split())


@pytest.mark.parametrize(
    ("extra", "step"),
    [((), "0.01"), (("--exchange", "bybit"), "0.5"), (("--tick", "0.1"), "0.1"), (("--tick", "0.3"), "0.01")],
)
def test_a_count_grid_rounds_prices_to_the_price_step(cli: Any, extra: tuple[str, ...], step: str) -> None:
    """``--steps 7`` from 50,000 to 80,000: each 50,000 + 30,000·k/7 to the tick (or 0.01 when
    the ends are off the tick, or no tick is given), and USD amounts to the cent."""
    out = ok(
        cli(
            "ladder",
            "--side",
            "long",
            "--entry",
            "60000",
            "--contracts",
            "1000",
            *GRID,
            "--steps",
            "7",
            *extra,
            "--json",
        )
    )
    want = [dec(50000 + F(30000 * k, 7), step) for k in range(8)]
    assert prices_of(out) == want
    assert out["grid"]["price_step"] == D(step)
    for row in out["rows"]:
        assert row["pnl_usd"] == dec(F(1000) * (F(row["price"]) - 60000) / 60000, "0.01")
        assert -row["pnl_usd"].as_tuple().exponent <= 2


def test_leverage_and_hedge_count_grids_round_too(cli: Any) -> None:
    want = [dec(50000 + F(30000 * k, 7), "0.01") for k in range(8)]
    leverage = ok(
        cli("leverage", "--entry", "60000", "--contracts", "1000", "--leverage", "5", *GRID, "--steps", "7", "--json")
    )
    hedge = ok(cli("hedge", "--holding", "1", "--price", "60000", *GRID, "--steps", "7", "--json"))
    assert prices_of(leverage) == want and prices_of(hedge) == want
    assert all(-row["hedged_usd"].as_tuple().exponent <= 2 for row in hedge["rows"])


def test_input_places_finer_than_a_cent_are_kept(cli: Any) -> None:
    out = ok(
        cli(
            "ladder",
            "--side",
            "long",
            "--entry",
            "1.2345",
            "--contracts",
            "10",
            "--from",
            "1.1",
            "--to",
            "1.2345",
            "--steps",
            "3",
            "--json",
        )
    )
    assert prices_of(out) == [dec(F("1.1") + F("0.1345") * k / 3, "0.0001") for k in range(4)]


@given(
    start=st.integers(1, 20000),
    width=st.integers(1, 400_000).map(lambda w: D(w) / 4),
    step=st.sampled_from(["0.5", "3", "7.3", "100"]),
    tick=st.sampled_from([None, "0.5", "0.1"]),
    cuts=st.lists(st.integers(0, 10_000), max_size=5),
)
@settings(max_examples=60, deadline=None)
def test_windows_side_by_side_give_the_whole_grid(
    start: int, width: Decimal, step: str, tick: str | None, cuts: list[int]
) -> None:
    """A grid whose --to is off the step (a shorter last step) and rounds to a tick: rows of
    windows laid side by side equal the rows of one pass, and the last row is at --to."""
    from invfut_cli.app import load_commands
    from invfut_cli.commands.ladder import run as run_ladder

    load_commands("ladder")
    values: dict[str, Any] = {
        "side": "long",
        "entry": D(start),
        "contracts": D(1000),
        "from": D(start),
        "to": D(start) + width,
        "step": D(step),
    }
    if tick:
        values["tick"] = D(tick)
    rows = run_ladder(**values)["rows"]
    whole = list(rows)
    points = rows.points
    edges = sorted({points.start, points.stop, *(points.start + c % (len(points) + 1) for c in cuts)})
    pieces = [list(rows.window(range(a, b))) for a, b in itertools.pairwise(edges)]
    assert [row for piece in pieces for row in piece] == whole
    assert whole[-1]["price"] == D(start) + width


# --- funding ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "hours", "periods", "counted"),
    [
        ((), "5", F(0), "whole 8-hour intervals"),
        ((), "17", F(2), "whole 8-hour intervals"),
        (("--exchange", "bitmex"), "16", F(2), "whole 8-hour intervals"),
        (("--exchange", "kraken"), "5.5", F(5), "whole 1-hour intervals"),
        (("--exchange", "deribit"), "5", F(5, 8), "pro rata, continuous"),
    ],
)
def test_hours_count_funding_as_the_venue_pays_it(
    cli: Any, extra: tuple[str, ...], hours: str, periods: F, counted: str
) -> None:
    out = ok(
        cli(
            "pnl", "--side", "long", "--entry", "8000", "--contracts", "1000", "--contract-size", "10",
            "--exit", "9000", "--funding", "0.01%", "--hours", hours, *extra, "--json",
        )
    )  # fmt: skip
    assert F(out["funding_periods"]) == periods
    assert out["funding"] == dec(F(1, 10000) * periods * 10000 / 8000)
    assert out["funding_counted"].startswith(counted)


def test_periods_are_taken_as_given(cli: Any) -> None:
    out = ok(
        cli(
            "pnl",
            "--side",
            "long",
            "--entry",
            "8000",
            "--contracts",
            "100",
            "--exit",
            "9000",
            "--funding",
            "0.01%",
            "--periods",
            "3",
            "--json",
        )
    )
    assert out["funding_periods"] == 3 and "--periods" in out["funding_counted"]


def test_every_preset_says_how_it_pays_funding() -> None:
    from invfut_cli.venues.presets import load

    for name, preset in load().presets.items():
        assert (preset.funding_mode == "continuous") == (name.value == "deribit"), name
        assert (preset.funding_interval_hours > 0) == (preset.funding_mode == "interval"), name


# --- batch: whole numbers where numbers go -------------------------------------------------------


INTEGER_LINES = [
    {"command": "pnl", "side": "long", "entry": 8000, "contracts": 1000, "exit": 9000, "contract_size": 1,
     "leverage": 5, "entry_fee": 0, "exit_fee": 0, "funding": 0, "hours": 16, "mmr": 0, "mm_deduction": 0,
     "taker_fee": 0, "tick": 1},
    {"command": "pnl", "side": "long", "entry": 8000, "contracts": 1000, "exit": 9000, "margin": 1, "funding": 0, "periods": 3},
    {"command": "pnl", "side": "long", "entry": 8000, "contracts": 1000, "balance": 1, "target_roe": 1},
    {"command": "pnl", "side": "long", "entry": 8000, "contracts": 1000, "target_pnl": 0},
    {"command": "pnl", "side": "long", "entry": 8000, "contracts": 1000, "target_usd": 100},
    {"command": "pnl", "side": "long", "fill": [{"contracts": 500, "price": 8000}, {"contracts": 500, "price": 9000}],
     "close": {"contracts": 100, "price": 9500}, "exit": 9000},
    {"command": "liq-price", "side": "long", "entry": 8000, "contracts": 1000, "leverage": 10, "mmr": 0,
     "mm_deduction": 0, "taker_fee": 0, "tick": 1, "mark": 8000, "fail_within": 5, "target_liquidation": 7000},
    {"command": "leverage", "side": "long", "entry": 8000, "contracts": 1000, "leverage": 10, "from": 7000, "to": 9000,
     "step": 500, "taker_fee": 0},
    {"command": "leverage", "entry": 8000, "margin": 1, "leverage": 10, "from": 7000, "to": 9000, "steps": 4},
    {"command": "ladder", "side": "long", "entry": 8000, "contracts": 1000, "leverage": 10, "pct": 10, "pct_step": 5,
     "entry_fee": 0, "exit_fee": 0, "funding": 0, "periods": 1, "mmr": 0, "tick": 1},
    {"command": "hedge", "holding": 1, "price": 8000, "ratio": 1, "contract_size": 1, "funding": 0,
     "funding_interval": 8, "from": 7000, "to": 9000, "steps": 2},
    {"command": "stress", "side": "long", "entry": 8000, "contracts": 1000, "leverage": 10, "move": 0},
    {"command": "stress", "side": "long", "entry": 8000, "contracts": 1000, "margin": 1, "move": [0, 1], "mark": 8000},
    {"command": "size", "entry": 8000, "stop": 7000, "risk": 1, "balance": 1, "leverage": 10, "taker_fee": 0},
]  # fmt: skip


def as_text(value: Any) -> Any:
    """A request with every whole number written as text, as the command line gives it."""
    if isinstance(value, dict):
        return {k: v if k in ("steps", "command") else as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_text(v) for v in value]
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


@pytest.mark.parametrize("request_", INTEGER_LINES, ids=lambda r: f"{r['command']}-{'-'.join(sorted(r))[:60]}")
def test_batch_takes_whole_numbers_wherever_numbers_go(request_: dict[str, Any]) -> None:
    """A JSON integer means what the same number written as text means (``"entry_fee": 0``
    is a fee of 0, not an error)."""
    got = batch_line(request_)
    assert "error" not in got, got
    assert got == batch_line(as_text(request_))


def test_batch_names_a_bad_fee_as_the_command_line_does() -> None:
    got = batch_line(
        {"command": "pnl", "side": "long", "entry": 8000, "contracts": 10, "exit": 9000, "entry_fee": True}
    )
    assert got["error"]["option"] == "--entry-fee" and "maker, taker or a rate" in got["error"]["message"]
