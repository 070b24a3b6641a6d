"""Glossary terms of linear and quanto contracts (DOMAIN.md §15) and of ``ladder --versus``.

Which keys change unit with the contract type: in a document with ``contract_type`` linear
or quanto, every coin amount of an inverse document (``pnl``, ``step_pnl``, ``value_entry``,
``value_exit``, ``initial_margin``, ``collateral``, ``equity``, ``maintenance_margin``,
``fee_to_close``, ``loss_at_liquidation``) is an amount of ``margin_currency`` (the quote
currency, USDT, for linear; the settlement coin for quanto), still to 8 places; prices and
USD amounts keep their units. In an ``account`` document of a linear or quanto account the
same holds for ``balance``, ``equity``, ``maintenance_margin``, ``free_margin``,
``total_equity``, ``fee_to_close``, ``margin_to_add``, a position's ``pnl``, ``collateral``,
``equity`` and ``maintenance_margin``, and for ``net_entry_value`` (``Σ s·u·E``) and
``exposure`` (``s·u·P``); ``coin_delta`` is ``Σ s·u`` (margin currency per unit of price) and
``coin_gamma`` 0; ``usd_delta``, ``total_usd_delta`` and ``hedge`` are null.
"""

from __future__ import annotations

#: ``key: (Unit member's name, meaning)``, plain pairs, so that this module imports nothing of
#: invfut's (the glossary merges them).


#: Said of each amount key whose unit follows the contract type.
_FOLLOWS = "in margin_currency"

CONTRACT_TERMS: dict[str, tuple[str, str]] = {
    "contract_type": (
        "TEXT",
        "inverse, linear or quanto; present only for linear and quanto, whose amounts (pnl, step_pnl, "
        "value_entry, value_exit, initial_margin, collateral, equity, maintenance_margin, fee_to_close, "
        "loss_at_liquidation; in an account also balance, free_margin, total_equity, margin_to_add, "
        "net_entry_value = Σ s·u·E and exposure = s·u·P) are in margin_currency, not in a coin; an account's "
        "coin_delta is then Σ s·u, coin_gamma 0, and usd_delta, total_usd_delta and hedge are null",
    ),
    "margin_currency": (
        "TEXT",
        "the currency margin, fees and PnL are paid in: the quote (USDT) for linear, the settlement coin "
        "for quanto (and the coin for inverse)",
    ),
    "underlying": ("TEXT", "the coin a linear contract is on (its price is the grid's); null for a quanto"),
    "quote": ("TEXT", "the currency the price is quoted in: the linear quote (USDT, taken as 1 USD); USD for a quanto"),
    "units": (
        "DELTA",
        "the position's value per unit of price, in margin_currency: q = contracts x contract size (coin) for "
        "linear, contracts x multiplier for quanto (an account: the sum over its positions)",
    ),
    "settle_price": ("PRICE", "a quanto's settlement coin price in USD (--settle-price); null if not given"),
    "versus": (
        "NESTED",
        "ladder --versus: the same dollars held as a linear or quanto contract: {contract_type, margin_currency, "
        "units, contracts, settle_price, collateral, liquidation_price, bankruptcy_price, comparison}",
    ),
    "comparison": ("NESTED", "the seeds' comparison with this position's numbers: [{aspect, inverse, other}]"),
    "aspect": ("TEXT", "what is compared: margin currency, value fixed in, effective leverage"),
    "inverse": ("TEXT", "the inverse contract's side of the comparison"),
    "other": ("TEXT", "the linear or quanto contract's side of the comparison"),
    "versus_pnl": ("COIN", f"the versus contract's PnL at the row's price, {_FOLLOWS} of versus"),
    "versus_pnl_usd": ("USD", "the versus contract's PnL at the row's price, in USD"),
    "versus_equity_usd": ("USD", "the versus contract's equity (its collateral plus PnL) at the row's price, in USD"),
    "versus_effective_leverage": (
        "LEVERAGE",
        "the versus contract's value / its equity at the row's price; null when liquidated",
    ),
    "versus_liquidated": ("FLAG", "the versus contract is at or beyond its liquidation price at the row's price"),
    "linear": (
        "NESTED",
        "exchanges: the venue's linear (USDT- or USDC-margined) contracts, the presets of --contract-type linear: "
        "[{preset_coin, name, symbol, margin_currency, contract_size_coin, tick, mmr, family, as_of, sources, "
        "confirmed, unconfirmed}]",
    ),
    "quanto": (
        "NESTED",
        "exchanges: the venue's quanto contracts, the presets of --contract-type quanto: [{preset_coin, name, symbol, "
        "margin_currency, multiplier, tick, mmr, family, as_of, sources, confirmed, unconfirmed}]",
    ),
    "preset_coin": (
        "TEXT",
        "exchanges: the coin --coin names to pick this linear or quanto preset: its underlying (BTC for XBTUSDT, "
        "ETH for BitMEX's ETHUSD quanto)",
    ),
    "contract_size_coin": ("COIN", "a linear contract's size: coin of its underlying per contract; null for a quanto"),
    "multiplier": (
        "DELTA",
        "a quanto's multiplier: settlement coin per USD of the underlying's price, per contract; null for a linear",
    ),
    "confirmed": ("NESTED", "the preset's figures its sources confirm"),
    "unconfirmed": (
        "NESTED",
        "the preset's figures its sources did not confirm (check them against the venue before trusting them)",
    ),
    "settle_move_pct": ("PCT", "stress, quanto: the settlement coin's move in this shock"),
    "usd_change": (
        "USD",
        "stress, linear and quanto: equity in USD after the shock less the collateral's USD value before it",
    ),
}
