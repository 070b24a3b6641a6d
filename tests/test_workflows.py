"""Fills, partial closes, targets, fees and funding, alerts, --explain and the config file."""

from __future__ import annotations

import json
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from fractions import Fraction as F
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from invfut_cli import config
from invfut_cli.exitcodes import ExitCode

D = Decimal


def ok(run: Any) -> Any:
    assert run.exit_code == 0, run.stderr
    return run.json()


def dec(x: F, places: int = 8) -> Decimal:
    return (D(x.numerator) / D(x.denominator)).quantize(D(1).scaleb(-places))


def up(x: F, step: str = "0.01", side: str = "long") -> Decimal:
    value = D(x.numerator) / D(x.denominator)
    rounding = ROUND_CEILING if side == "long" else ROUND_FLOOR
    return (value / D(step)).quantize(D(1), rounding=rounding) * D(step)


# --- several fills ------------------------------------------------------------------------


def test_bybit_average_entry_example(cli: Any, cases: dict[str, Any]) -> None:
    case = cases["bybit_avg_entry_1"]
    fills = [f"{f['contracts']}@{f['price']}" for f in case["inputs"]["fills"]]
    out = ok(cli("pnl", "--side", "long", *sum((["--fill", f] for f in fills), []), "--exit", "6000", "--json"))
    assert out["average_entry"] == D(case["expected"]["avg_entry"])
    assert out["inputs"]["contracts"] == 3000
    # Bybit shows the value 0.5333… rounded UP to 0.53333334; exact to the satoshi is …33.
    assert out["value_entry"] == D("0.53333333")
    assert out["value_entry"].quantize(D("1e-8")) + D("1e-8") == D(case["expected"]["total_value_btc"])


def test_harmonic_not_arithmetic(cli: Any) -> None:
    """DOMAIN §3: 50 at 10,000 and 50 at 15,000 average 12,000, not 12,500."""
    out = ok(
        cli("liq-price", "--side", "long", "--fill", "50@10000", "--fill", "50@15000", "--leverage", "10", "--json")
    )
    assert out["average_entry"] == D(12000)


def test_bitmex_rounds_each_fill_first(cli: Any) -> None:
    """BitMEX: each fill's coin value to 8 places (a long's down), then ΣQ/Σvalues."""
    fills = ["--fill", "100@7777.7", "--fill", "300@8123.3"]
    out = ok(cli("pnl", "--exchange", "bitmex", "--side", "long", *fills, "--exit", "9000", "--json"))
    v1 = F(100) / F("7777.7")
    v2 = F(300) / F("8123.3")
    floor8 = [F(int(v * 10**8), 10**8) for v in (v1, v2)]
    assert out["inputs"]["entry"] == dec(F(400) / sum(floor8))
    generic = ok(cli("pnl", "--side", "long", *fills, "--exit", "9000", "--json"))
    assert generic["inputs"]["entry"] == dec(F(400) / (v1 + v2))
    assert generic["inputs"]["entry"] != out["inputs"]["entry"]


@given(price=st.integers(1, 10**7), counts=st.lists(st.integers(1, 10**6), min_size=1, max_size=6))
@settings(max_examples=40, deadline=None)
def test_fills_at_one_price_average_to_that_price(price: int, counts: list[int]) -> None:
    from conftest import run_cli

    fills = sum((["--fill", f"{n}@{price}"] for n in counts), [])
    out = run_cli("liq-price", "--side", "short", *fills, "--leverage", "5", "--json").json()
    assert out["average_entry"] == D(price)
    assert out["inputs"]["contracts"] == sum(counts)


def test_partial_close_realises_and_keeps_the_entry(cli: Any) -> None:
    out = ok(
        cli(
            "pnl",
            "--side",
            "short",
            "--entry",
            "8000",
            "--contracts",
            "10000",
            "--close",
            "4000@7000",
            "--exit",
            "6000",
            "--leverage",
            "5",
            "--json",
        )
    )
    (closed,) = out["closed"]
    assert closed["realised_pnl"] == dec(-4000 * (F(1, 8000) - F(1, 7000)))
    assert closed["remaining_contracts"] == 6000
    assert out["size_usd"] == 6000 and out["average_entry"] == 8000
    assert out["pnl"] == dec(-6000 * (F(1, 8000) - F(1, 6000)))


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (("--fill", "1000"), "--fill"),
        (("--fill", "0@8000"), "--fill"),
        (("--fill", "10@-1"), "--fill"),
        (("--fill", "10@8000", "--entry", "8000"), "--fill"),
        (("--entry", "8000", "--contracts", "10", "--close", "11@9000"), "--close"),
        (("--entry", "8000", "--contracts", "10", "--close", "x@9000"), "--close"),
    ],
)
def test_bad_fills_and_closes(cli: Any, args: tuple[str, ...], option: str) -> None:
    run = cli("pnl", "--side", "long", *args, "--exit", "9000")
    assert run.exit_code == ExitCode.USAGE and run.stdout == ""
    assert option in run.stderr and len(run.stderr.splitlines()) == 1


# --- targets ----------------------------------------------------------------------------


def test_target_roe(cli: Any) -> None:
    """ROE r at leverage L: P = E / (1 − r/(s·L)) (DOMAIN §2)."""
    long = ok(
        cli(
            "pnl",
            "--side",
            "long",
            "--entry",
            "8000",
            "--contracts",
            "10000",
            "--leverage",
            "10",
            "--target-roe",
            "50%",
            "--json",
        )
    )
    assert long["target"]["exit_price_exact"] == dec(F(8000) / (1 - F(1, 2) / 10))
    assert long["exit_price"] == up(F(8000) / (1 - F(1, 2) / 10))
    assert long["roe_pct"] >= 50
    short = ok(
        cli(
            "pnl",
            "--side",
            "short",
            "--entry",
            "8000",
            "--contracts",
            "10000",
            "--leverage",
            "10",
            "--target-roe",
            "0.5",
            "--json",
        )
    )
    assert short["target"]["exit_price_exact"] == dec(F(8000) / (1 + F(1, 2) / 10))


def test_target_pnl_beyond_reach_says_the_maximum(cli: Any) -> None:
    """A long's coin PnL is below Q/E at every price: 10000/8000 = 1.25 BTC."""
    run = cli("pnl", "--side", "long", "--entry", "8000", "--contracts", "10000", "--target-pnl", "2", "--json")
    out = ok(run)
    assert out["exit_price"] is None and out["pnl"] is None
    assert out["target"]["limit"] == D("1.25") and "1.25" in out["target"]["reason"]
    reachable = ok(
        cli("pnl", "--side", "long", "--entry", "8000", "--contracts", "10000", "--target-pnl", "1", "--json")
    )
    assert reachable["target"]["exit_price_exact"] == dec(1 / (F(1, 8000) - F(1, 10000)))


def test_target_usd_with_fees(cli: Any) -> None:
    """Net PnL valued at the exit: P = (y + (s + fc)·Q) / ((s − fo)·Q/E − F)."""
    out = ok(
        cli(
            "pnl",
            "--side",
            "long",
            "--entry",
            "8000",
            "--contracts",
            "10000",
            "--target-usd",
            "500",
            "--entry-fee",
            "0.05%",
            "--exit-fee",
            "0.05%",
            "--json",
        )
    )
    q, e, f = F(10000), F(8000), F(5, 10000)
    expected = (500 + (1 + f) * q) / ((1 - f) * q / e)
    assert out["target"]["exit_price_exact"] == dec(expected)
    assert out["net_pnl_usd"] >= 500


def test_one_exit_or_target(cli: Any) -> None:
    run = cli(
        "pnl",
        "--side",
        "long",
        "--entry",
        "8000",
        "--contracts",
        "1",
        "--exit",
        "9000",
        "--target-roe",
        "5%",
        "--leverage",
        "2",
    )
    assert run.exit_code == 2 and "--target-roe" in run.stderr
    run = cli("pnl", "--side", "long", "--entry", "8000", "--contracts", "1", "--target-roe", "5%")
    assert run.exit_code == 2 and "--target-roe" in run.stderr and "margin" in run.stderr


# --- fees and funding ---------------------------------------------------------------------


def test_bitmex_net_pnl_with_funding(cli: Any, cases: dict[str, Any]) -> None:
    """BitMEX's example: +1.25 XBT, less 0.05 XBT funding, is 1.2 net (funding as a rate)."""
    case = cases["bitmex_perp_pnl"]
    i = case["inputs"]
    # 0.05 XBT of funding on a 20 XBT position value is a 0.25% rate for one period.
    out = ok(
        cli(
            "pnl",
            "--side",
            "long",
            "--entry",
            str(i["entry"]),
            "--exit",
            str(i["exit"]),
            "--contracts",
            str(i["contracts"]),
            "--funding",
            "0.25%",
            "--json",
        )
    )
    assert out["pnl"] == D(case["expected"]["pnl_xbt"])
    assert out["funding"] == D(i["funding_paid_xbt"])
    assert out["net_pnl"] == D(case["expected"]["net_xbt"])


def test_bitmex_funding_case(cli: Any, cases: dict[str, Any]) -> None:
    """Funding amount = position value × rate: 20 XBT × 0.25% = 0.05 XBT; a long pays."""
    case = cases["bitmex_perp_funding"]
    value = D(case["inputs"]["mark_value_xbt"])
    rate = D(case["expected"]["funding_rate_pct"]) / 100
    contracts = value * 8000  # a position worth 20 XBT at 8000
    out = ok(
        cli(
            "pnl",
            "--side",
            "long",
            "--entry",
            "8000",
            "--exit",
            "8000",
            "--contracts",
            str(contracts),
            "--funding",
            str(rate),
            "--json",
        )
    )
    assert out["funding"] == D(case["expected"]["funding_amount_xbt"])
    short = ok(
        cli(
            "pnl",
            "--side",
            "short",
            "--entry",
            "8000",
            "--exit",
            "8000",
            "--contracts",
            str(contracts),
            "--funding",
            str(rate),
            "--json",
        )
    )
    assert short["funding"] == -D(case["expected"]["funding_amount_xbt"])


def test_fees_maker_taker_and_hours(cli: Any) -> None:
    out = ok(
        cli(
            "pnl",
            "--exchange",
            "kraken",
            "--side",
            "long",
            "--entry",
            "8000",
            "--contracts",
            "8000",
            "--exit",
            "8000",
            "--entry-fee",
            "maker",
            "--exit-fee",
            "taker",
            "--funding",
            "0.01%",
            "--hours",
            "24",
            "--json",
        )
    )
    assert out["fee_open"] == dec(F(2, 10000) * 8000 / 8000)
    assert out["fee_close"] == dec(F(5, 10000) * 8000 / 8000)
    assert out["funding_periods"] == 24  # Kraken funds every hour
    assert out["funding"] == dec(F(1, 10000) * 24)
    assert out["net_pnl"] == out["pnl"] - out["fee_open"] - out["fee_close"] - out["funding"]


@given(
    entry=st.integers(100, 10**6),
    fo=st.integers(-2, 10),
    fc=st.integers(-2, 10),
    funding=st.integers(-50, 50),
    side=st.sampled_from(["long", "short"]),
)
@settings(max_examples=60, deadline=None)
def test_net_pnl_at_break_even_is_zero(entry: int, fo: int, fc: int, funding: int, side: str) -> None:
    """PnL at the break-even exit, net of fees and funding, is zero (exactly, by Fraction)."""
    from conftest import run_cli

    rate_o, rate_c, rate_f = F(fo, 10000), F(fc, 10000), F(funding, 100000)
    out = run_cli("pnl", "--side", side, "--entry", str(entry), "--contracts", "100000", "--exit", str(entry),
                  "--entry-fee", str(D(fo) / 10000), "--exit-fee", str(D(fc) / 10000), "--funding", str(D(funding) / 100000), "--json").json()  # fmt: skip
    s, q, e = (1 if side == "long" else -1), F(100000), F(entry)
    paid = s * rate_f * q / e
    bep = (s + rate_c) * q / ((s - rate_o) * q / e - paid)
    net = s * q * (1 / e - 1 / bep) - rate_o * q / e - rate_c * q / bep - paid
    assert net == 0
    shown = out["break_even_price"]
    assert shown == up(bep, side=side)


def test_ladder_marks_break_even_with_fees(cli: Any) -> None:
    out = ok(
        cli(
            "ladder",
            "--side",
            "long",
            "--entry",
            "8000",
            "--contracts",
            "10000",
            "--entry-fee",
            "taker",
            "--exit-fee",
            "taker",
            "--json",
        )
    )
    f, q, e = F(5, 10000), F(10000), F(8000)
    assert out["break_even_price"] == up((1 + f) * q / ((1 - f) * q / e))
    assert "break-even" in {m["mark"] for m in out["marks"]}


# --- alerts, explain, config ----------------------------------------------------------------


def test_fail_within(cli: Any) -> None:
    base = ("liq-price", "--side", "long", "--entry", "8000", "--contracts", "10000", "--leverage", "50")
    near = cli(*base, "--mark", "7950", "--fail-within", "2", "--json")
    assert near.exit_code == ExitCode.ALERT
    doc = near.json()  # the answer is still printed
    assert doc["alert"] is True and doc["distance_from_mark_pct"] < 2
    far = cli(*base, "--mark", "9000", "--fail-within", "2", "--json")
    assert far.exit_code == 0 and far.json()["alert"] is False
    never = cli(
        "liq-price",
        "--side",
        "short",
        "--entry",
        "8000",
        "--contracts",
        "8000",
        "--leverage",
        "1",
        "--mm-basis",
        "mark",
        "--fail-within",
        "50",
        "--json",
    )
    assert never.exit_code == 0 and never.json()["alert"] is False


@pytest.mark.parametrize(
    "args",
    [
        (
            "pnl",
            "--side",
            "long",
            "--fill",
            "10@100",
            "--fill",
            "30@200",
            "--exit",
            "150",
            "--leverage",
            "3",
            "--entry-fee",
            "taker",
            "--funding",
            "0.01%",
        ),
        (
            "liq-price",
            "--side",
            "long",
            "--entry",
            "8000",
            "--contracts",
            "10000",
            "--balance",
            "0.5",
            "--taker-fee",
            "0.075%",
        ),
        (
            "liq-price",
            "--exchange",
            "kraken",
            "--side",
            "short",
            "--entry",
            "8000",
            "--contracts",
            "1000",
            "--margin",
            "0.01",
        ),
        ("leverage", "--entry", "8000", "--contracts", "10000", "--leverage", "10"),
        ("ladder", "--side", "long", "--entry", "200", "--contracts", "4", "--contract-size", "50", "--leverage", "1"),
        ("size", "--entry", "8000", "--stop", "7600", "--balance", "1", "--risk", "2%"),
        ("hedge", "--holding", "2.5", "--price", "8000", "--funding", "0.01%"),
        ("stress", "--side", "long", "--entry", "8000", "--contracts", "10000", "--leverage", "10", "--move", "-5%"),
    ],
)
def test_explain_shows_the_printed_numbers(cli: Any, args: tuple[str, ...]) -> None:
    doc = ok(cli(*args, "--explain", "--json"))
    lines = doc["explain"]
    assert len(lines) >= 3
    text = "\n".join(lines)
    for key in (
        "pnl",
        "liquidation_price",
        "effective_leverage",
        "break_even_price",
        "contracts",
        "holding_usd",
        "loss_at_stop",
    ):
        if isinstance(doc.get(key), Decimal):
            assert format(doc[key], "f") in text, key
    table = cli(*args, "--explain")
    assert table.exit_code == 0 and lines[-1].split()[0] in table.stdout
    assert ok(cli(*args, "--json"))["explain"] is None


def _write(tmp: Path, text: str) -> Path:
    path = tmp / "invfut" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_config_file_and_environment(cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    _write(tmp_path, 'exchange = "bybit"\nformat = "json"\n')
    config.settings.cache_clear()
    run = cli("liq-price", "--side", "long", "--entry", "8000", "--contracts", "10000", "--balance", "0.5")
    assert json.loads(run.stdout)["liquidation_price"] == 5739.5  # the config's exchange and format
    flag = cli(
        "liq-price",
        "--side",
        "long",
        "--entry",
        "8000",
        "--contracts",
        "10000",
        "--balance",
        "0.5",
        "--exchange",
        "generic",
        "--format",
        "json",
    )
    assert json.loads(flag.stdout)["exchange"] == "generic"  # a flag wins
    monkeypatch.setenv("INVFUT_EXCHANGE", "kraken")
    config.settings.cache_clear()
    env = cli("liq-price", "--side", "long", "--entry", "8000", "--contracts", "1000", "--margin", "0.01")
    assert json.loads(env.stdout)["exchange"] == "kraken"  # the environment wins over the file


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('exchange = "ftx"\n', "config.toml: exchange:"),
        ('exchang = "bybit"\n', "config.toml: exchang: not a setting invfut reads (it reads exchange, coin,"),
        ("exchange = \n", "config.toml: not valid TOML"),
        ('format = "yaml"\n', "config.toml: format:"),
    ],
)
def test_broken_config_names_file_and_key(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, words: str
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    _write(tmp_path, text)
    config.settings.cache_clear()
    run = cli("pnl", "--side", "long", "--entry", "8000", "--exit", "9000", "--contracts", "1")
    assert run.exit_code == ExitCode.CONFIG and run.stdout == ""
    assert words in run.stderr and len(run.stderr.splitlines()) == 1


def test_broken_environment_variable(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INVFUT_EXCHANGE", "nope")
    config.settings.cache_clear()
    run = cli("pnl", "--side", "long", "--entry", "8000", "--exit", "9000", "--contracts", "1")
    assert run.exit_code == ExitCode.CONFIG and "INVFUT_EXCHANGE" in run.stderr
