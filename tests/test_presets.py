"""Exchange presets: each venue's own numbers through ``--exchange``, and the data file itself."""

from __future__ import annotations

import json
from decimal import ROUND_CEILING, Decimal
from fractions import Fraction as F
from pathlib import Path
from typing import Any

import pytest

from invfut_cli.choices import ExchangeName
from invfut_cli.exitcodes import ExitCode
from invfut_cli.venues import presets

D = Decimal
VENUES = [e.value for e in ExchangeName if e is not ExchangeName.generic]


def ok(run: Any) -> Any:
    assert run.exit_code == 0, run.stderr
    return run.json()


def dec(x: F, places: int = 8) -> Decimal:
    """A Fraction rounded half-even to ``places`` decimals, as the output writes it."""
    return (D(x.numerator) / D(x.denominator)).quantize(D(1).scaleb(-places))


def liq(cli: Any, *args: str) -> Any:
    return ok(cli("liq-price", *args, "--json"))


# --- the data file ------------------------------------------------------------------


def test_every_exchange_name_has_a_preset_and_no_more() -> None:
    loaded = presets.load()
    assert {e.value for e in loaded.presets} == set(VENUES)
    for preset in loaded.presets.values():
        assert preset.sources and preset.as_of and preset.notes
        assert set(preset.coins) <= {"BTC", "ETH"}


def test_every_exchange_name_is_a_venue_and_generic_is_built_in() -> None:
    """``--exchange`` names a :class:`Venue` each; the generic model is one too, built in code
    (any coin, 1 USD contracts in lots of 1, no tick, 0.02%/0.05% fees, 8 h funding, no tiers)."""
    from invfut_cli import venues

    for name in ExchangeName:
        assert venues.get(name).key == name.value
    generic = venues.GENERIC
    contract = generic.contract("SOL")
    assert contract is not None and contract.table() is None and contract.tick is None
    assert (contract.contract_size_usd, contract.lot) == (1, 1)
    assert (generic.maker_fee, generic.taker_fee, generic.funding_interval_hours) == (D("0.0002"), D("0.0005"), 8)
    assert generic.describe("BTC") is None and generic.defaults("BTC", {"taker_fee": None}) == {}
    assert venues.find("nowhere") is None
    assert [n for n in ExchangeName if venues.get(n).per_fill_satoshi] == [ExchangeName.bitmex]


@pytest.mark.parametrize("venue", VENUES)
def test_tiers_increase_and_deductions_follow_the_bracket_rule(venue: str) -> None:
    for contract in presets.get(venue).coins.values():
        table = contract.table()
        if table is None:
            assert contract.size_margins is not None
            continue
        rates = [t.mmr for t in table.tiers]
        assert rates == sorted(rates)
        deductions = [t.deduction for t in table.tiers]
        if any(deductions):  # a bracket schedule: d_k = d_{k-1} + floor_k (m_k - m_{k-1})
            expected = [F(0)]
            for lower, upper in zip(table.tiers, table.tiers[1:], strict=False):
                expected.append(expected[-1] + F(lower.up_to) * (F(upper.mmr) - F(lower.mmr)))
            assert [F(d) for d in deductions] == expected


def test_binance_brackets_reproduce_the_published_maintenance_amount() -> None:
    """FAQ: a 300 BTC BTCUSD position is at MMR 12.5% with maintenance amount 11.605 BTC."""
    table = presets.get("binance").coins["BTC"].table()
    assert table is not None
    tier = table.tiers[table.index_for(D(300))]
    assert (tier.mmr, tier.deduction) == (D("0.125"), D("11.605"))


def test_bitmex_risk_steps() -> None:
    """Base 0.5% up to 200 XBT, then +0.5% per 150 XBT."""
    table = presets.get("bitmex").coins["BTC"].table()
    assert table is not None
    assert [(t.up_to, t.mmr) for t in table.tiers[:3]] == [(200, D("0.005")), (350, D("0.010")), (500, D("0.015"))]


def test_a_broken_preset_file_names_the_file_and_key(tmp_path: Path) -> None:
    text = presets.PRESETS_FILE.read_text().replace('tick = "0.5"', 'tick = "-0.5"', 1)
    with pytest.raises(
        presets.PresetError, match=r"presets\.toml: bybit\.coins\.BTC\.tick: Input should be greater than 0"
    ):
        presets.parse(text)
    with pytest.raises(presets.PresetError, match="not valid TOML"):
        presets.parse("[bybit\n", tmp_path / "x.toml")
    missing = presets.PRESETS_FILE.read_text().replace("[deribit]", "[deribit_gone]", 1)
    with pytest.raises(presets.PresetError):
        presets.parse(missing)


# --- Bybit ----------------------------------------------------------------------------


def test_bybit_cross_example_prints_5739_5(cli: Any, cases: dict[str, Any]) -> None:
    out = liq(
        cli, "--exchange", "bybit", "--side", "long", "--entry", "8000", "--contracts", "10000", "--balance", "0.5"
    )
    assert out["liquidation_price"] == D(cases["bybit_cross_liq_long"]["expected"]["liq_price"])  # on the 0.5 tick, up
    assert out["liquidation_price_exact"].quantize(D("0.01")) == D("5739.08")  # DOMAIN §5
    # Bybit's example prints the bankruptcy price unrounded; its rule rounds a long's up to 0.5.
    assert out["bankruptcy_price_exact"].quantize(D("0.01")) == D(
        cases["bybit_cross_bankruptcy_long"]["expected"]["bankruptcy_price"]
    )
    assert out["bankruptcy_price"] == D("5719.0")
    assert out["exchange"] == "bybit" and out["preset"]["symbol"] == "BTCUSD" and out["preset"]["as_of"]
    assert out["tier"]["index"] == 1 and out["formula_family"] == "entry"
    assert out["fee_treatment"] == "close-at-bankruptcy"


def test_bybit_isolated_has_no_fee_term_and_table_formula(cli: Any) -> None:
    """Isolated: E·L/(L + 1 − m·L); the fee to close is reserved apart."""
    for side, expected in (("long", F(8000 * 50, 50 + 1) * 0 + F(8000 * 50) / (50 + 1 - F(5, 1000) * 50)),
                           ("short", F(8000 * 50) / (50 - 1 + F(5, 1000) * 50))):  # fmt: skip
        out = liq(
            cli, "--exchange", "bybit", "--side", side, "--entry", "8000", "--contracts", "10000", "--leverage", "50"
        )
        assert out["fee_treatment"] == "none"
        assert out["liquidation_price_exact"] == dec(expected)
        rounding = ROUND_CEILING if side == "long" else "ROUND_FLOOR"
        assert out["liquidation_price"] == (dec(expected) / D("0.5")).quantize(D(1), rounding=rounding) * D("0.5")


def test_bybit_eth_contract(cli: Any) -> None:
    out = liq(
        cli,
        "--exchange",
        "bybit",
        "--coin",
        "eth",
        "--side",
        "short",
        "--entry",
        "2000",
        "--contracts",
        "20000",
        "--leverage",
        "10",
    )
    assert out["coin"] == "ETH" and out["preset"]["symbol"] == "ETHUSD"
    assert out["inputs"]["mmr"] == D("0.01")  # ETH base rate 1%
    assert out["liquidation_price_exact"] == dec(F(2000 * 10) / (10 - 1 + F(1, 100) * 10))
    assert out["liquidation_price"] % D("0.05") == 0


def test_explicit_flags_override_the_preset(cli: Any) -> None:
    base = ("--exchange", "bybit", "--side", "long", "--entry", "8000", "--contracts", "10000", "--balance", "0.5")
    no_fee = liq(cli, *base, "--taker-fee", "0")
    assert no_fee["fee_treatment"] == "none" and no_fee["inputs"]["taker_fee"] == 0
    assert no_fee["liquidation_price_exact"] == dec(F(10000) / (F(1, 2) + F(10000, 8000) * (1 - F(5, 1000))))
    own_rate = liq(cli, *base, "--mmr", "1%", "--tick", "0.01")
    assert own_rate["tier"] is None and own_rate["price_step"] == D("0.01") and own_rate["inputs"]["mmr"] == D("0.01")


# --- Kraken, Binance, OKX: the mark family ----------------------------------------------


def test_kraken_example(cli: Any, cases: dict[str, Any]) -> None:
    out = liq(
        cli, "--exchange", "kraken", "--side", "long", "--entry", "8000", "--contracts", "1000", "--margin", "0.01"
    )
    assert out["formula_family"] == "mark" and out["tier"]["deduction_unit"] == "usd"
    assert out["liquidation_price_exact"].quantize(D("0.01")) == D("7481.48")
    assert out["liquidation_price_exact"].quantize(D(1)) == D(
        cases["kraken_epp_liquidation_long"]["expected"]["liq_price"]
    )
    assert out["liquidation_price"] == D("7481.5")  # its 0.5 tick, a long's rounded up


def test_kraken_usd_bracket_deduction(cli: Any) -> None:
    """Level II (500k–1M USD): MM = (2%·Q − 5000)/P, so P = (Q(1 + m) − D)/(M + Q/E)."""
    q, e, m = 800_000, 40_000, F(5)
    out = liq(cli, "--exchange", "kraken", "--side", "long", "--entry", str(e), "--contracts", str(q), "--margin", "5")
    assert out["tier"]["index"] == 2 and out["tier"]["deduction"] == 5000
    expected = (q * (1 + F(2, 100)) - 5000) / (m + F(q, e))
    assert out["liquidation_price_exact"] == dec(expected)
    # Equity at that price is the maintenance margin (m·Q − D)/P.
    equity = m + q * (F(1, e) - 1 / expected)
    assert equity == (F(2, 100) * q - 5000) / expected


def test_binance_tier_follows_the_notional_at_the_liquidation_price(cli: Any) -> None:
    """A long of 200 BTC at entry (bracket 6): at the lower liquidation price it is worth
    more coin and moves up to bracket 7; the answer satisfies that bracket's equation."""
    n, e, m = 100_000, 50_000, F(40)  # Q = 10M USD: 200 BTC at entry
    out = liq(
        cli, "--exchange", "binance", "--side", "long", "--entry", str(e), "--contracts", str(n), "--margin", "40"
    )
    tier = out["tier"]
    assert tier["index"] == 7 and tier["iterations"] >= 2
    q = F(n * 100)
    expected = q * (1 + F(tier["mmr"])) / (m + F(tier["deduction"]) + q / e)
    assert out["liquidation_price_exact"] == dec(expected)
    notional_at_liq = q / expected
    assert 200 < notional_at_liq <= 400  # inside the bracket used


def test_binance_short_and_eth(cli: Any) -> None:
    out = liq(
        cli,
        "--exchange",
        "binance",
        "--coin",
        "ETH",
        "--side",
        "short",
        "--entry",
        "2000",
        "--contracts",
        "1000",
        "--leverage",
        "20",
    )
    assert out["inputs"]["contract_size"] == 10 and out["preset"]["symbol"] == "ETHUSD_PERP"
    q = F(10_000)
    m = F(q, 2000 * 20)
    # Short, mark family, no fee: P = Q(−1 + mmr)/(M + d − Q/E); 5 ETH is bracket 1 (0.5%).
    expected = q * (-1 + F(5, 1000)) / (m - q / 2000)
    assert out["liquidation_price_exact"] == dec(expected)


def test_okx_adds_the_fee_to_the_rate(cli: Any) -> None:
    for side, s in (("long", 1), ("short", -1)):
        out = liq(
            cli, "--exchange", "okx", "--side", side, "--entry", "30000", "--contracts", "300", "--leverage", "20"
        )
        assert out["fee_treatment"] == "added-to-rate" and out["inputs"]["taker_fee"] == D("0.0005")
        q, e = F(30_000), F(30_000)
        m = q / (e * 20)
        expected = q * (s + F(5, 1000) + F(5, 10000)) / (m + s * q / e)
        assert out["liquidation_price_exact"] == dec(expected)


# --- BitMEX, Deribit --------------------------------------------------------------------


def test_bitmex_entry_family_with_fee_in_the_rate(cli: Any) -> None:
    for side, s in (("long", 1), ("short", -1)):
        out = liq(
            cli, "--exchange", "bitmex", "--side", side, "--entry", "30000", "--contracts", "30000", "--leverage", "25"
        )
        q, e = F(30_000), F(30_000)
        m = q / (e * 25)
        expected = s * q / (m + s * q / e - (F(5, 1000) + F(75, 100000)) * q / e)
        assert out["liquidation_price_exact"] == dec(expected)
        assert out["price_step"] == D("0.1")


def test_bitmex_lots_and_the_pnl_example(cli: Any, cases: dict[str, Any]) -> None:
    bad = cli(
        "liq-price",
        "--exchange",
        "bitmex",
        "--side",
        "long",
        "--entry",
        "8000",
        "--contracts",
        "150",
        "--leverage",
        "10",
    )
    assert bad.exit_code == ExitCode.USAGE and bad.stdout == ""
    assert "--contracts" in bad.stderr and "100 or 200" in bad.stderr
    case = cases["bitmex_perp_pnl"]
    i = case["inputs"]
    out = ok(
        cli(
            "pnl",
            "--exchange",
            "bitmex",
            "--side",
            "long",
            "--entry",
            str(i["entry"]),
            "--exit",
            str(i["exit"]),
            "--contracts",
            str(i["contracts"]),
            "--json",
        )
    )
    assert out["pnl"] == D(case["expected"]["pnl_xbt"])


def test_deribit_has_no_single_liquidation_price(cli: Any) -> None:
    out = liq(
        cli, "--exchange", "deribit", "--side", "long", "--entry", "30000", "--contracts", "3000", "--leverage", "10"
    )
    assert out["liquidation_price"] is None and "step by step" in out["reason"]
    assert out["formula_family"] == "none"
    size = F(30_000, 30_000)  # 1 BTC
    # initial_margin means Q/(E·L) on every venue; Deribit's size-dependent one is the tier's.
    assert out["initial_margin"] == dec(F(3000 * 10, 30000 * 10))
    assert out["tier"]["initial_margin"] == dec((F(2, 100) + F(5, 100000) * size) * size)
    assert out["maintenance_margin"] == dec((F(15, 1000) + F(5, 100000) * size) * size)
    assert out["bankruptcy_price_exact"] == dec(F(30_000 * 10, 11))
    text = cli(
        "liq-price",
        "--exchange",
        "deribit",
        "--side",
        "long",
        "--entry",
        "30000",
        "--contracts",
        "3000",
        "--leverage",
        "10",
    )
    assert "No liquidation price: Deribit liquidates step by step" in text.stdout


# --- limits and the other commands --------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "option", "words"),
    [
        (("--exchange", "binance", "--leverage", "51"), "--leverage", "maximum of 50x at this size (tier 3)"),
        (("--exchange", "kraken", "--leverage", "51"), "--leverage", "maximum of 50"),
        (("--exchange", "bitmex", "--coin", "ETH", "--leverage", "5"), "--coin", "no ETH"),
        (("--exchange", "nasdaq", "--leverage", "5"), "--exchange", "nasdaq"),
    ],
)
def test_venue_limits_are_errors(cli: Any, args: tuple[str, ...], option: str, words: str) -> None:
    run = cli("liq-price", "--side", "long", "--entry", "8000", "--contracts", "1000", *args)
    assert run.exit_code == ExitCode.USAGE and run.stdout == ""
    assert option in run.stderr and words in run.stderr and len(run.stderr.splitlines()) == 1


def test_exchange_works_for_every_position_command(cli: Any) -> None:
    pnl = ok(
        cli(
            "pnl",
            "--exchange",
            "binance",
            "--side",
            "long",
            "--entry",
            "50000",
            "--exit",
            "55000",
            "--contracts",
            "100",
            "--json",
        )
    )
    assert pnl["size_usd"] == 10_000 and pnl["preset"]["name"] == "Binance COIN-M"
    lev = ok(
        cli("leverage", "--exchange", "bitmex", "--entry", "8000", "--margin", "0.05", "--leverage", "10", "--json")
    )
    assert lev["contracts"] == 4000 and lev["exchange"] == "bitmex"  # floor to the 100 lot
    lad = ok(
        cli(
            "ladder",
            "--exchange",
            "kraken",
            "--side",
            "long",
            "--entry",
            "8000",
            "--contracts",
            "1000",
            "--margin",
            "0.01",
            "--json",
        )
    )
    assert lad["liquidation_price"] == D("7481.5") and lad["tier"]["index"] == 1


def test_exchanges_command(cli: Any) -> None:
    out = ok(cli("exchanges", "--json"))
    assert [v["exchange"] for v in out["exchanges"]] == VENUES
    for venue in out["exchanges"]:
        assert venue["sources"] and venue["as_of"] and venue["family"] in ("entry", "mark", "none")
        for contract in venue["coins"].values():
            assert contract["tiers"] or contract["size_margins"]
    one = ok(cli("exchanges", "kraken", "--json"))
    assert [v["exchange"] for v in one["exchanges"]] == ["kraken"]
    table = cli("exchanges", "bybit")
    assert table.exit_code == 0 and "BTCUSD tiers" in table.stdout and "source: https://help.bybit.com" in table.stdout
    assert json.loads(cli("exchanges", "nope", "--json").stderr)["error"]["exit_code"] == 2
