"""Plain-Python float references for the batch and ladder benchmarks (not exact: floats)."""

import json
import sys


def batch() -> None:
    """json.loads each line, compute pnl, pnl_usd, roe_pct with floats, json.dumps each result."""
    write = sys.stdout.write
    for line in sys.stdin:
        r = json.loads(line)
        s = 1.0 if r["side"] == "long" else -1.0
        q = r["contracts"] * r.get("contract_size", 1)
        e, p = r["entry"], r["exit"]
        pnl = s * q * (1 / e - 1 / p)
        lev = r.get("leverage")
        roe = 100 * pnl / (q / (e * lev)) if lev else None
        write(json.dumps({"pnl": pnl, "pnl_usd": pnl * p, "roe_pct": roe}) + "\n")


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
    if sys.argv[1] == "batch":
        batch()
    else:
        fmt, *numbers = sys.argv[2:]
        ladder(fmt, *map(float, numbers[:-1]), int(numbers[-1]))
