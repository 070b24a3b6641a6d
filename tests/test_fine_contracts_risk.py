"""Inputs answered as given in the features merged last: linear and quanto positions, ``ladder
--versus``, the model probability, ``replay``, a live mark and ``keys`` in ``batch``. What each
answer means is worked out here from the inputs (exact fractions), not read from invfut."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from conftest import CliRunner

from invfut_cli.cli import app
from invfut_cli.exitcodes import ExitCode

D = Decimal


def answer(*words: str) -> tuple[int, dict[str, Any], str]:
    result = CliRunner().invoke(app, list(words), prog_name="invfut")
    assert result.exit_code != ExitCode.INTERNAL, result.stderr
    return result.exit_code, json.loads(result.stdout or "null", parse_float=Decimal), result.stderr


def nearest(value: Fraction, places: int) -> Decimal:
    """``value`` to ``places`` decimals, nearest, half to even (as :func:`round` of a Fraction)."""
    return Decimal(round(value * 10**places)) / 10**places


def test_a_linear_position_with_a_12_place_entry_is_answered_to_the_satoshi() -> None:
    """``--entry 0.500000000001``: the USD size q·E to 8 places, nearest, the entry echoed as
    given; at 0.5x a long has no liquidation price (the margin is twice the value), at 2x it is
    on the satoshi at or above the exact one, less than a satoshi away (a long's: up)."""
    for leverage in ("0.5", "2.000000000001"):
        code, doc, _ = answer("liq-price", "--json", "--side", "long", "--entry", "0.500000000001", "--contracts",
                              "1", "--leverage", leverage, "--contract-type", "linear")  # fmt: skip
        assert code == ExitCode.OK
        assert doc["size_usd"] == nearest(Fraction("0.500000000001"), 8) == D("0.5")
        assert doc["inputs"]["entry"] == D("0.500000000001") and doc["inputs"]["leverage"] == D(leverage)
        liq, step = doc["liquidation_price"], doc["price_step"]
        if leverage == "0.5":
            assert liq is None and doc["reason"]
            continue
        # Isolated, 0.5% on the value at the mark: q·(P − E) + q·E/L = m·q·P.
        exact = Fraction("0.500000000001") * (1 - 1 / Fraction(leverage)) / (1 - Fraction("0.005"))
        assert step == D("0.00000001") and liq % step == 0
        assert Fraction(liq) >= exact > Fraction(liq - step)


def test_a_linear_tick_finer_than_a_satoshi_is_read_up_to_it_with_a_note() -> None:
    code, doc, err = answer("liq-price", "--json", "--side", "short", "--entry", "60000.123456789012",
                            "--contracts", "3", "--contract-size", "0.001", "--leverage", "12.345678901234",
                            "--contract-type", "linear", "--tick", "0.123456789012")  # fmt: skip
    assert code == ExitCode.OK
    assert doc["price_step"] == D("0.12345679") and "note" in err and "0.12345679" in err
    liq = doc["liquidation_price"]
    # A short's liquidation price: a whole number of ticks at or below the exact one.
    assert liq % D("0.12345679") == 0 and liq <= doc["liquidation_price_exact"] < liq + D("0.12345679")


def test_a_quanto_settle_price_and_moves_are_echoed_as_given() -> None:
    """``--settle-price``, ``--move`` and ``--settle-move`` with 12 places come back as given
    (moves in percent); the row's settlement price B·(1+y) is rounded, to the entry's places."""
    code, doc, _ = answer("stress", "--json", "--side", "long", "--entry", "60000", "--contracts", "1000",
                          "--leverage", "10", "--contract-type", "quanto", "--multiplier", "0.000001",
                          "--settle-price", "3000.123456789012", "--move", "-12.345678901234%",
                          "--settle-move", "0.123456789012")  # fmt: skip
    assert code in (ExitCode.OK, ExitCode.ALERT)
    assert doc["settle_price"] == D("3000.123456789012")
    (row,) = doc["rows"]
    assert row["move_pct"] == D("-12.345678901234")
    assert row["settle_move_pct"] == D("12.3456789012")
    assert row["settle_price"] == nearest(Fraction("3000.123456789012") * Fraction("1.123456789012"), 2)


def test_ladder_versus_reads_a_batch_lines_text_as_the_options_do() -> None:
    """A batch line gives ``settle_price`` as text: read as the option is (it ended in a
    TypeError), echoed as given; a non-positive one is a usage error naming it."""
    from invfut_cli.batchrun import run

    base = {"command": "ladder", "side": "short", "entry": "82715.7714947892", "contracts": 27615,
            "leverage": "15.186079374298", "versus": "quanto", "multiplier": "0.000001"}  # fmt: skip
    lines = [{**base, "settle_price": "3631.143003037622"}, {**base, "settle_price": "-5"}]
    out = io.StringIO()
    run(io.BytesIO("".join(json.dumps(line) + "\n" for line in lines).encode()), out)
    first, second = (json.loads(text, parse_float=Decimal) for text in out.getvalue().splitlines())
    assert first["versus"]["settle_price"] == D("3631.143003037622")
    # The same dollars: u = Q/(E·B) units of the quanto, N = u/M contracts (to 8 places).
    units = Fraction(27615) / (Fraction("82715.7714947892") * Fraction("3631.143003037622"))
    assert first["versus"]["contracts"] == nearest(units / Fraction("0.000001"), 8)
    assert second["error"]["exit_code"] == ExitCode.USAGE and second["error"]["option"] == "--settle-price"


def test_the_model_echoes_vol_and_drift_as_given() -> None:
    code, doc, _ = answer("liq-price", "--json", "--side", "long", "--entry", "60000.123456789012",
                          "--contracts", "1000", "--leverage", "10.123456789012", "--vol", "0.654321987654",
                          "--horizon", "13.123456789h", "--drift", "0.012345678912")  # fmt: skip
    assert code == ExitCode.OK
    found = doc["liquidation_probability"]
    assert found["vol_pct"] == D("65.4321987654") and found["drift_pct"] == D("1.2345678912")
    assert found["from_price"] == nearest(Fraction("60000.123456789012"), 8)
    assert found["horizon_days"] == nearest(Fraction("13.123456789") / 24, 8)


@pytest.mark.parametrize("side", ["long", "short"])
def test_a_probability_no_price_reaches_is_no_such_price(side: str) -> None:
    """σ 999.9999999999%/yr over ~100 years: a touch probability of 10^-14 needs a barrier past
    any price (below 10^-8 for a long, above 10^12 for a short): nulls and the reason, exit 0."""
    code, doc, _ = answer("liq-price", "--json", "--side", side, "--entry", "60000", "--contracts", "1000",
                          "--leverage", "10", "--vol", "9.999999999999", "--horizon", "99.999999999999y",
                          "--max-probability", "0.000000000001%")  # fmt: skip
    assert code == ExitCode.OK
    target = doc["probability_target"]
    assert [target[k] for k in ("price", "collateral", "margin_to_add", "leverage")] == [None] * 4
    assert ("below" if side == "long" else "above") in target["reason"]


def test_linear_and_quanto_refuse_the_model_options_by_name() -> None:
    result = CliRunner().invoke(app, ["liq-price", "--json", "--side", "long", "--entry", "60000", "--contracts", "1",
                                      "--leverage", "5", "--contract-type", "linear", "--vol", "0.5"])  # fmt: skip
    assert result.exit_code == ExitCode.USAGE and result.stdout == ""
    assert json.loads(result.stderr)["error"]["option"] == "--vol"


def test_replay_echoes_a_candles_prices_as_the_file_gives_them(tmp_path: Path) -> None:
    """The worst price of a long's path is the lowest low as written in the file (12 places),
    and each row's prices are the file's."""
    lows = ["59000.987654321098", "55000.000000000001", "57000.5"]
    rows = [f"{1704067200 + 3600 * i},60000,61000.123456789012,{low},60000" for i, low in enumerate(lows)]
    path = tmp_path / "candles.csv"
    path.write_text("time,open,high,low,close\n" + "\n".join(rows) + "\n", encoding="utf-8")
    words = ["replay", str(path), "--side", "long", "--contracts", "1000", "--leverage", "2"]
    code, doc, _ = answer(*words, "--json")
    assert code == ExitCode.OK and doc["survived"] is True
    assert doc["worst_price"]["price"] == min(D(low) for low in lows) == D("55000.000000000001")
    result = CliRunner().invoke(app, [*words, "--format", "ndjson"])
    written = [json.loads(line, parse_float=Decimal) for line in result.stdout.splitlines()]
    assert [row["low"] for row in written] == [D(low) for low in lows]
    assert {row["high"] for row in written} == {D("61000.123456789012")}


def test_a_live_mark_is_echoed_as_the_venue_sent_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """``mark_source.price`` is the venue's text (12 places here); the mark is shown to the
    entry's places (2), nearest."""
    import invfut_cli.live as live
    from invfut_cli.live.mark import LiveMark

    sent = D("60000.123456789012")
    monkeypatch.setattr(live, "fetch_mark", lambda venue, coin, **_: LiveMark(venue, "BTCUSD", sent, 1704067200000))
    code, doc, _ = answer("liq-price", "--json", "--side", "long", "--entry", "60000", "--contracts", "10000",
                          "--leverage", "10", "--mark", "live", "--exchange", "bybit")  # fmt: skip
    assert code == ExitCode.OK
    assert doc["mark_source"]["price"] == sent
    assert doc["mark_price"] == nearest(Fraction(sent), 2)
