"""``exchanges --refresh`` on recorded venue answers: the rules read, the cache written and
laid over the presets, ``--offline``, and a broken cache."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from live_recorded import VENUES, Venues, recorded, session_factory

from invfut_cli.exitcodes import ExitCode
from invfut_cli.live import transport

LONG = ("liq-price", "--side", "long", "--entry", "8000", "--contracts", "1000", "--leverage", "5")


@pytest.fixture
def venues(monkeypatch: pytest.MonkeyPatch) -> Venues:
    adapter = Venues()
    monkeypatch.setattr(transport, "new_session", session_factory(adapter))
    monkeypatch.setattr(transport, "BACKOFF_SECONDS", 0)
    for venue in VENUES:
        adapter.serve_rules(venue)
    return adapter


def cache_file() -> Path:
    import os

    return Path(os.environ["INVFUT_CACHE_DIR"]) / "rules.json"


def refreshed(cli: Any, *venues: str) -> dict[str, Any]:
    run = cli("exchanges", "--refresh", *venues, "--json")
    assert run.exit_code == 0, run.stderr
    return run.json()


def test_refresh_writes_every_venue_with_the_time_of_reading(venues: Venues, cli: Any) -> None:
    doc = refreshed(cli)
    assert [v["venue"] for v in doc["refreshed"]] == list(VENUES)
    cached = json.loads(cache_file().read_text())["venues"]
    assert set(cached) == set(VENUES)
    for venue in VENUES:
        assert cached[venue]["read_at"].endswith("Z") and set(cached[venue]["coins"]) == {"BTC", "ETH"}


def test_okx_rules_are_the_venues_text(venues: Venues, cli: Any) -> None:
    refreshed(cli, "okx")
    btc = json.loads(cache_file().read_text())["venues"]["okx"]["coins"]["BTC"]
    answer = recorded("okx", "rules")["answers"]
    instrument = answer[0]["body"]["data"][0]
    assert (btc["contract_size_usd"], btc["tick"], btc["lot"], btc["max_leverage"]) == (
        instrument["ctVal"], instrument["tickSz"], instrument["lotSz"], instrument["lever"],
    )  # fmt: skip
    tiers = answer[2]["body"]["data"]
    assert [t.get("up_to") for t in btc["tiers"]] == [tiers[0]["maxSz"], tiers[1]["maxSz"], None]
    assert [t["mmr"] for t in btc["tiers"]] == [t["mmr"] for t in tiers]


def test_the_changes_against_the_shipped_preset_are_shown(venues: Venues, cli: Any) -> None:
    doc = refreshed(cli, "okx")
    changes = {(c["coin"], c["field"]): c for c in doc["refreshed"][0]["changes"]}
    # the recorded OKX answer says 100x where the shipped preset says 125x
    assert changes[("BTC", "max_leverage")]["shipped"] == "125" and changes[("BTC", "max_leverage")]["current"] == "100"
    assert ("BTC", "tick") not in changes  # 0.1 in both


def test_kraken_deductions_follow_the_tax_brackets(venues: Venues, cli: Any) -> None:
    refreshed(cli, "kraken")
    tiers = json.loads(cache_file().read_text())["venues"]["kraken"]["coins"]["BTC"]["tiers"]
    levels = recorded("kraken", "rules")["answers"][0]["body"]["instruments"][0]["marginLevels"]
    # DOMAIN §5: d_k = d_(k-1) + floor_k·(m_k − m_(k−1)), floors in USD (1 USD contracts)
    deduction, previous = Decimal(0), None
    for tier, level in zip(tiers, levels, strict=True):
        mmr = Decimal(str(level["maintenanceMargin"]))
        if previous is not None:
            deduction += Decimal(level["contracts"]) * (mmr - previous)
        previous = mmr
        assert Decimal(tier["deduction"]) == deduction and Decimal(tier["mmr"]) == mmr
    # and the shipped Kraken tiers, published with their deductions, agree below the last bound
    ours = cli("--offline", "exchanges", "kraken", "--json").json()["exchanges"][0]["coins"]["BTC"]["tiers"]
    assert [Decimal(t["deduction"]) for t in ours] == [Decimal(t["deduction"]) for t in tiers]


def test_commands_use_the_refreshed_rules_and_say_when(venues: Venues, cli: Any) -> None:
    before = cli(*LONG, "--exchange", "okx", "--json").json()
    doc = refreshed(cli, "okx")
    after = cli(*LONG, "--exchange", "okx", "--json").json()
    read_at = doc["refreshed"][0]["read_at"]
    assert after["preset"]["as_of"] == read_at[:10] and read_at in after["preset"]["sources"][0]
    assert before["tier"]["mmr"] != after["tier"]["mmr"]
    assert Decimal(str(after["tier"]["mmr"])) == Decimal("0.004")  # the refreshed first tier


def test_offline_uses_the_shipped_preset(venues: Venues, cli: Any) -> None:
    shipped = cli(*LONG, "--exchange", "okx", "--json").json()
    refreshed(cli, "okx")
    offline = cli("--offline", *LONG, "--exchange", "okx", "--json").json()
    assert offline["preset"] == shipped["preset"] and offline["tier"] == shipped["tier"]


def test_a_missing_cache_is_the_shipped_preset(cli: Any) -> None:
    assert not cache_file().exists()
    doc = cli(*LONG, "--exchange", "okx", "--json").json()
    assert not doc["preset"]["sources"][0].startswith("refreshed")


@pytest.mark.parametrize(
    "text",
    ["{not json", '{"venues": 3}', '{"venues": {"okx": {"read_at": "x", "coins": {"BTC": {"tick": "-1"}}}}}', "[]"],
    ids=["not-json", "no-venues", "bad-number", "a-list"],
)
def test_a_broken_cache_is_one_line_and_the_file_error_code(cli: Any, text: str) -> None:
    cache_file().parent.mkdir(parents=True, exist_ok=True)
    cache_file().write_text(text)
    run = cli(*LONG, "--exchange", "okx")
    assert run.exit_code == ExitCode.CONFIG and run.stdout == ""
    assert len(run.stderr.splitlines()) == 1 and "rules.json" in run.stderr


def test_refresh_without_a_network_is_exit_7(monkeypatch: pytest.MonkeyPatch, cli: Any) -> None:
    import requests

    adapter = Venues()
    adapter.serve("GET", "/v5/market/instruments-info", requests.exceptions.ConnectionError("refused"))
    monkeypatch.setattr(transport, "new_session", session_factory(adapter))
    run = cli("exchanges", "--refresh", "bybit")
    assert run.exit_code == ExitCode.NETWORK and run.stdout == "" and "bybit" in run.stderr
    assert not cache_file().exists()


def test_refresh_table_says_what_was_not_read(venues: Venues, cli: Any) -> None:
    run = cli("exchanges", "--refresh", "binance")
    assert run.exit_code == 0
    assert "not read: BTC: max_leverage and tiers" in run.stdout and "cached in" in run.stdout


def _cache_of(rules: dict[str, Any], read_at: Any = "2026-01-01T00:00:00Z") -> str:
    return json.dumps({"format": 1, "venues": {"okx": {"read_at": read_at, "coins": {"BTC": rules}}}})


TIERS_DOWN = [{"up_to": "10", "mmr": "0.01", "max_leverage": "10"}, {"up_to": "5", "mmr": "0.02", "max_leverage": "5"}]
HOSTILE_CACHES = {
    "nested-100000": ('{"venues": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested more than"),
    "lot-1e-9999999": (_cache_of({"lot": "1e-9999999"}), "venues.okx.coins.BTC.lot"),
    "lot-number-1e-9999999": (
        _cache_of({"lot": 0}).replace('"lot": 0', '"lot": 1e-9999999'),
        "venues.okx.coins.BTC.lot",
    ),
    "tick-5000-digits": (_cache_of({"tick": "7" * 5000}), "venues.okx.coins.BTC.tick"),
    "leverage-huge": (_cache_of({"max_leverage": "1e30"}), "venues.okx.coins.BTC.max_leverage"),
    "tier-mmr-above-1": (
        _cache_of({"tiers": [{"mmr": "2", "max_leverage": "10"}]}),
        "venues.okx.coins.BTC.tiers.0.mmr",
    ),
    "tier-bounds-down": (_cache_of({"tiers": TIERS_DOWN}), "venues.okx.coins.BTC"),
    "read-at-not-a-time": (_cache_of({"lot": "1"}, read_at="yesterday"), "venues.okx.read_at"),
    "read-at-not-text": (_cache_of({"lot": "1"}, read_at=5), "venues.okx"),
}


@pytest.mark.parametrize("name", HOSTILE_CACHES)
def test_a_hostile_cache_is_the_file_error_naming_the_cache(cli: Any, name: str) -> None:
    """The cache is read as a hostile file: one line naming rules.json (never the shipped
    presets), exit 6, nothing on stdout, never an internal error; a value is not echoed whole."""
    text, says = HOSTILE_CACHES[name]
    cache_file().parent.mkdir(parents=True, exist_ok=True)
    cache_file().write_text(text)
    run = cli(*LONG, "--exchange", "okx")
    assert run.exit_code == ExitCode.CONFIG and run.stdout == "", run.stderr[:300]
    (line,) = run.stderr.splitlines()
    assert str(cache_file()) in line and says in line, line[:300]
    assert "presets.toml" not in line and "internal error" not in line and len(line) < 600
