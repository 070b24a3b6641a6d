"""``account --live`` and ``keys`` on recorded venue answers: the book read, invfut's
liquidation price beside the venue's, the keys' rules (never printed, withdraw refused)."""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from live_recorded import Venues, recorded, serve_account, session_factory

from invfut_cli.exitcodes import ExitCode
from invfut_cli.live import transport

KEY, SECRET, PASSWORD = "k3yTEXTabc123", "s3cretTEXTxyz789", "pa55TEXTqq"


@pytest.fixture
def venues(monkeypatch: pytest.MonkeyPatch) -> Venues:
    adapter = Venues()
    monkeypatch.setattr(transport, "new_session", session_factory(adapter))
    monkeypatch.setattr(transport, "BACKOFF_SECONDS", 0)
    for venue in ("BYBIT", "BINANCE", "OKX"):
        monkeypatch.setenv(f"INVFUT_{venue}_API_KEY", KEY)
        monkeypatch.setenv(f"INVFUT_{venue}_API_SECRET", SECRET)
        monkeypatch.setenv(f"INVFUT_{venue}_API_PASSWORD", PASSWORD)
    return adapter


def no_key_text(*texts: str) -> None:
    for text in texts:
        for secret in (KEY, SECRET, PASSWORD, "KEYTEXT-IN-ANSWER"):
            assert secret not in text


def live(cli: Any, *args: str) -> Any:
    run = cli("account", "--live", *args)
    no_key_text(run.stdout, run.stderr)
    return run


def test_bybit_equals_the_venues_liquidation_price(venues: Venues, cli: Any) -> None:
    serve_account(venues, "bybit")
    run = live(cli, "bybit", "--json")
    assert run.exit_code == 0, run.stderr
    doc = run.json()
    (row,) = doc["venue_positions"]
    # DOMAIN §5: Bybit shows 5739.50 for this account; invfut computes 5739.08 and rounds a long up to 0.5
    assert Decimal(row["venue_liquidation_price"]) == Decimal("5739.5") == Decimal(row["liquidation_price"])
    assert row["difference_steps"] == 0 and row["flagged"] is False
    assert Decimal(doc["balance"]) == Decimal("0.5") and doc["exchange"] == "bybit"


def test_binance_differs_by_the_rounding_toward_safety(venues: Venues, cli: Any) -> None:
    serve_account(venues, "binance")
    doc = live(cli, "binance", "--json").json()
    (row,) = doc["venue_positions"]
    # mark family, isolated short: P = Q(s + m)/(M + s·Q/E) = 10,000·(−1 + 0.004)/(0.125 − 1.25)
    exact = Fraction(10000) * Fraction(-996, 1000) / (Fraction(1, 8) - Fraction(10000, 8000))
    ours = Decimal(row["liquidation_price"])
    assert ours <= Decimal(exact.numerator) / Decimal(exact.denominator) < ours + Decimal("0.1")  # a short: down
    assert Decimal(row["venue_liquidation_price"]) == Decimal("8853.4")  # the venue rounds to the nearest tick
    assert row["difference_steps"] == -1 and row["flagged"] is False


def test_okx_shows_the_difference_and_skips_the_linear_position(venues: Venues, cli: Any) -> None:
    serve_account(venues, "okx")
    doc = live(cli, "okx:ETH", "--json").json()
    (row,) = doc["venue_positions"]
    record = recorded("okx", "account")["answers"][1]["body"]["data"][0]
    theirs, ours, step = Decimal(record["liqPx"]), Decimal(row["liquidation_price"]), Decimal(doc["price_step"])
    # the isolated long from the equation, fee added to the rate (OKX): P = Q(1 + m + f)/(M + Q/E)
    q, e, m = Fraction(10), Fraction(record["avgPx"]), Fraction(record["margin"])
    exact = q * (1 + Fraction(1, 100) + Fraction(5, 10000)) / (m + q / e)
    assert abs(Fraction(ours) - exact) <= Fraction(step)
    assert row["difference_steps"] == int(((ours - theirs) / step).to_integral_value(ROUND_HALF_UP))
    assert doc["skipped"] == [
        {"symbol": "BTC-USDT-SWAP", "reason": "linear (settled in USDT): invfut reads inverse contracts"}
    ]


def test_a_difference_above_one_percent_is_flagged(venues: Venues, cli: Any) -> None:
    body = recorded("bybit", "account")["answers"][1]["body"]
    body["result"]["list"][0]["liqPrice"] = "5600.00"  # 1.7% of the price below invfut's
    serve_account(venues, "bybit", {"/v5/position/list": body})
    run = live(cli, "bybit")
    assert run.exit_code == 0
    assert "FLAGGED" in run.stdout


def test_the_what_ifs_work_on_top(venues: Venues, cli: Any) -> None:
    serve_account(venues, "bybit")
    doc = live(cli, "bybit", "--add", "long:10000@8000", "--move", "-20%", "--json").json()
    assert doc["added"] and doc["after"]["liquidation_price"] > doc["before"]["liquidation_price"]
    assert doc["venue_positions"][0]["liquidation_price"] == doc["before"]["liquidation_price"]


def test_fail_within_raises_the_alert(venues: Venues, cli: Any) -> None:
    serve_account(venues, "bybit")
    assert live(cli, "bybit", "--fail-within", "50").exit_code == ExitCode.ALERT  # 5739.5 is 28% below 8000


def test_save_writes_the_account_file_and_it_replays_offline(venues: Venues, cli: Any, tmp_path: Path) -> None:
    serve_account(venues, "bybit")
    for name in ("book.toml", "book.json"):
        saved = tmp_path / name
        first = live(cli, "bybit", "--save", str(saved), "--json").json()
        no_key_text(saved.read_text())
        again = cli("account", str(saved), "--price", "8000", "--json").json()
        assert again["liquidation_price"] == first["liquidation_price"] and again["balance"] == first["balance"]


def test_no_key_is_auth_and_names_the_variables(monkeypatch: pytest.MonkeyPatch, venues: Venues, cli: Any) -> None:
    monkeypatch.delenv("INVFUT_BYBIT_API_KEY")
    monkeypatch.setattr("invfut_cli.live.keys._keyring", lambda: None)
    run = live(cli, "bybit")
    assert run.exit_code == ExitCode.AUTH and run.stdout == "" and "INVFUT_BYBIT_API_KEY" in run.stderr
    assert venues.sent == []


def test_a_key_that_can_withdraw_is_refused(venues: Venues, cli: Any) -> None:
    config = recorded("okx", "account")["answers"][0]["body"]
    config["data"][0]["perm"] = "read_only,withdraw,trade"  # as in OKX's documented example
    serve_account(venues, "okx", {"/api/v5/account/config": config})
    run = live(cli, "okx:ETH")
    assert run.exit_code == ExitCode.AUTH and run.stdout == "" and "withdraw" in run.stderr
    assert [r.path_url.split("?")[0] for r in venues.sent] == ["/api/v5/account/config"]  # nothing else was read


def test_a_key_that_can_trade_is_warned_about(venues: Venues, cli: Any) -> None:
    answer = recorded("binance", "account")["answers"][0]["body"]
    answer["enableFutures"] = True
    serve_account(venues, "binance", {"/sapi/v1/account/apiRestrictions": answer})
    run = live(cli, "binance")
    assert run.exit_code == 0 and "can trade" in run.stderr


def test_a_key_the_venue_refuses_is_auth_and_scrubbed(venues: Venues, cli: Any) -> None:
    refusal = {"retCode": 10003, "retMsg": f"API key is invalid. apiKey={KEY}", "result": {}}
    serve_account(venues, "bybit", {"/v5/user/query-api": refusal})
    run = live(cli, "bybit")
    assert run.exit_code == ExitCode.AUTH and len(run.stderr.splitlines()) == 1 and run.stdout == ""


@pytest.mark.parametrize("status", [429, 503])
def test_faults_on_private_reads_never_show_the_key(venues: Venues, cli: Any, status: int) -> None:
    serve_account(venues, "okx")
    venues.serve("GET", "/api/v5/account/positions", (status, f"busy {KEY}"))
    run = live(cli, "okx:ETH")
    assert run.exit_code == ExitCode.VENUE and run.stdout == ""


def test_the_signed_requests_carry_the_key_only_in_headers(venues: Venues, cli: Any) -> None:
    serve_account(venues, "okx")
    live(cli, "okx:ETH")
    assert all(KEY not in (r.url or "") for r in venues.sent)  # never in a URL a message could quote
    assert any(r.headers.get("OK-ACCESS-KEY") == KEY for r in venues.sent)


def test_a_venue_ccxt_does_not_reach_is_a_usage_error(venues: Venues, cli: Any) -> None:
    run = live(cli, "bitmex")  # Kraken and Deribit are read: tests/test_live_account_more.py
    assert run.exit_code == ExitCode.USAGE and "no live data" in run.stderr and venues.sent == []


def test_no_option_takes_a_key(cli: Any) -> None:
    for option in ("--api-key", "--key", "--secret"):
        assert cli("account", "--live", "bybit", option, KEY).exit_code == ExitCode.USAGE


def test_a_credentials_repr_hides_the_key() -> None:
    from pydantic import SecretStr

    from invfut_cli.live.keys import Credentials

    held = Credentials(venue="bybit", api_key=SecretStr(KEY), secret=SecretStr(SECRET))
    no_key_text(repr(held), str(held), held.model_dump_json())


class MemoryKeyring:
    """A keyring backend in memory (the system's is not touched)."""

    def __init__(self) -> None:
        self.stored: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, name: str) -> str | None:
        return self.stored.get((service, name))

    def set_password(self, service: str, name: str, value: str) -> None:
        self.stored[(service, name)] = value

    def delete_password(self, service: str, name: str) -> None:
        del self.stored[(service, name)]


def test_keys_set_list_delete_through_the_keyring(monkeypatch: pytest.MonkeyPatch, cli: Any) -> None:
    store = MemoryKeyring()
    monkeypatch.setattr("invfut_cli.live.keys._keyring", lambda: store)
    from typer.testing import CliRunner

    from invfut_cli.cli import app

    result = CliRunner().invoke(app, ["keys", "set", "bybit"], input=f"{KEY}\n{SECRET}\n", prog_name="invfut")
    assert result.exit_code == 0
    no_key_text(result.stdout, result.stderr)  # prompted without echo
    assert store.stored[("invfut", "bybit:api_key")] == KEY
    listed = cli("keys", "list", "--json").json()
    assert listed["venues"] == ["bybit"]
    no_key_text(json.dumps(listed))
    assert cli("keys", "delete", "bybit").exit_code == 0 and store.stored == {}
    assert cli("keys", "list", "--json").json()["venues"] == []


def keys_run(args: list[str], input: str | None = None) -> tuple[int, str, str]:
    from conftest import CliRunner

    from invfut_cli.cli import app

    result = CliRunner().invoke(app, ["keys", *args], input=input, prog_name="invfut")
    no_key_text(result.stdout, result.stderr)
    return result.exit_code, result.stdout, result.stderr


def test_keys_set_without_a_keyring_asks_for_nothing_in_a_real_process() -> None:
    """No keyring (the failing backend), no terminal: one usage line before any key is read,
    nothing on stdout, no warning about echo; the key on stdin never appears."""
    import os
    import subprocess
    import sys

    from conftest import ROOT

    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    for name in ("BYBIT_API_KEY", "BYBIT_API_SECRET"):
        env.pop(f"INVFUT_{name}", None)
    for given in (f"{KEY}\n{SECRET}\n", ""):
        done = subprocess.run(
            [sys.executable, "-m", "invfut_cli", "keys", "set", "bybit"],
            input=given, capture_output=True, text=True, env=env, timeout=60, cwd=ROOT,
        )  # fmt: skip
        assert done.returncode == ExitCode.USAGE and done.stdout == "", done.stderr
        (line,) = done.stderr.splitlines()
        assert "keyring" in line and "INVFUT_BYBIT_API_KEY" in line
        no_key_text(done.stdout, done.stderr)


def test_keys_set_with_the_input_ending_at_a_prompt_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    store = MemoryKeyring()
    monkeypatch.setattr("invfut_cli.live.keys._keyring", lambda: store)
    for given in ("", f"{KEY}\n", f"{KEY}"):  # nothing, or the key without the secret
        code, out, err = keys_run(["set", "bybit"], given)
        assert code == ExitCode.USAGE and out == "", err
        (line,) = err.splitlines()
        assert "input ended" in line and "interrupted" not in line
        assert store.stored == {}  # nothing half-stored


def test_keys_set_at_a_terminal_prompts_on_stderr_without_echo(monkeypatch: pytest.MonkeyPatch) -> None:
    """At a terminal the prompts go to stderr (stdout is data) and the parts are read by
    getpass (no echo); Ctrl-D at a prompt is a usage error, not an interruption."""
    import getpass

    store = MemoryKeyring()
    monkeypatch.setattr("invfut_cli.live.keys._keyring", lambda: store)
    monkeypatch.setattr("invfut_cli.commands.keys._terminal", lambda: True)
    typed = iter([KEY, SECRET])
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": next(typed))
    code, out, err = keys_run(["set", "bybit", "--json"])
    assert code == 0 and json.loads(out)["venues"] == ["bybit"]
    assert "API key" in err and "API secret" in err
    assert store.stored[("invfut", "bybit:api_secret")] == SECRET

    def end(prompt: str = "") -> str:
        raise EOFError

    monkeypatch.setattr(getpass, "getpass", end)
    code, out, err = keys_run(["set", "okx"])
    assert code == ExitCode.USAGE and out == ""
    assert err.splitlines()[-1].startswith("invfut keys: error:") and "input ended" in err
    assert ("invfut", "okx:api_key") not in store.stored


def test_keys_list_takes_no_venue(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("invfut_cli.live.keys._keyring", lambda: MemoryKeyring())
    code, out, err = keys_run(["list", "bybit"])
    assert code == ExitCode.USAGE and out == ""
    (line,) = err.splitlines()
    assert "VENUE" in line


#: Malformed answers to the key's permission check, each a venue fault (exit 9), not a crash.
MALFORMED_PERMISSIONS = {
    "bybit-result-missing": ("bybit", "/v5/user/query-api", {"retCode": 0, "retMsg": ""}),
    "bybit-result-null": ("bybit", "/v5/user/query-api", {"retCode": 0, "retMsg": "", "result": None}),
    "bybit-permissions-a-list": (
        "bybit",
        "/v5/user/query-api",
        {"retCode": 0, "retMsg": "", "result": {"permissions": []}},
    ),
    "okx-data-empty": ("okx:ETH", "/api/v5/account/config", {"code": "0", "data": []}),
    "okx-data-a-text": ("okx:ETH", "/api/v5/account/config", {"code": "0", "data": "x"}),
    "binance-a-list": ("binance", "/sapi/v1/account/apiRestrictions", [1, 2]),
}


def one_venue_fault(run: Any, venue: str) -> None:
    assert run.exit_code == ExitCode.VENUE and run.stdout == "", run.stderr
    (line,) = run.stderr.splitlines()
    assert venue in line and "internal error" not in line and len(line) <= 300
    no_key_text(line)


@pytest.mark.parametrize("name", MALFORMED_PERMISSIONS)
def test_a_malformed_permissions_answer_is_the_venue_fault(venues: Venues, cli: Any, name: str) -> None:
    target, path, body = MALFORMED_PERMISSIONS[name]
    venue = target.split(":")[0]
    serve_account(venues, venue, {path: body})
    run = live(cli, target)
    one_venue_fault(run, venue)
    assert "the key's permissions" in run.stderr
    assert [r.path_url.split("?")[0] for r in venues.sent] == [path]  # no position was read unchecked


def test_an_answer_nested_100000_levels_is_the_venue_fault(venues: Venues, cli: Any) -> None:
    serve_account(venues, "bybit")
    deep = '{"retCode": 0, "result": ' + "[" * 100_000 + "]" * 100_000 + "}"
    venues.serve("GET", "/v5/position/list", (200, deep))
    run = live(cli, "bybit")
    one_venue_fault(run, "bybit")
    assert "the positions" in run.stderr and "nested too deep" in run.stderr
