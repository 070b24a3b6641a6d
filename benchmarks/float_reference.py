"""Plain-Python float reference for the ladder benchmark (not exact: floats)."""

import json
import sys


def ladder(fmt: str, entry: float, contracts: float, leverage: float, low: float, high: float, steps: int) -> None:
    """The ladder rows of invfut (price, pnl, step, USD, ROE, equity, equity USD, leverage) in floats."""
    write = sys.stdout.write
    margin = contracts / (entry * leverage)
    previous = None
    if fmt == "csv":
        write("price,pnl,step_pnl,pnl_usd,roe_pct,equity,equity_usd,effective_leverage,mark\n")
    for k in range(steps + 1):
        price = low + (high - low) * k / steps
        pnl = contracts * (1 / entry - 1 / price)
        equity = margin + pnl
        row = {
            "price": round(price, 2),
            "pnl": round(pnl, 8),
            "step_pnl": None if previous is None else round(pnl - previous, 8),
            "pnl_usd": round(pnl * price, 2),
            "roe_pct": round(100 * pnl / margin, 2),
            "equity": round(equity, 8),
            "equity_usd": round(equity * price, 2),
            "effective_leverage": round(contracts / price / equity, 2) if equity > 0 else None,
            "mark": None,
        }
        previous = pnl
        if fmt == "csv":
            write(",".join("" if v is None else str(v) for v in row.values()) + "\n")
        else:
            write(json.dumps(row) + "\n")


if __name__ == "__main__":
    fmt, *numbers = sys.argv[2:]  # float_reference.py ladder FMT ENTRY CONTRACTS LEVERAGE LOW HIGH STEPS
    ladder(fmt, *map(float, numbers[:-1]), int(numbers[-1]))
