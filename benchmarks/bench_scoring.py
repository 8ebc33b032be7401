"""Scoring 1,000,000 respondents × 40 items across 5 instruments.

Peers: a bare NumPy masked sum over the same item arrays (the floor: no reverse keying, no
proration, no output table) and a naive row-wise ``DataFrame.apply`` that reverse-keys and
prorates one respondent at a time (timed on a subsample and scaled linearly).  Memory is
measured in fresh subprocesses at several n.

Run alone: ``python benchmarks/bench_scoring.py --memory N`` prints the memory of one
subprocess measurement as JSON.
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd

from common import Row, best_of, profile, slowdown, speedup, timed

#: 10 + 12 + 8 + 6 + 4 = 40 items: reverse keying (pss10, uls8, pss4), subscales (mspss), bands (k6).
INSTRUMENTS = ("pss10", "mspss", "uls8", "k6", "pss4")
N = 1_000_000
APPLY_ROWS = 2_000
MISSING = 0.03
MEMORY_SIZES = (10_000, 100_000, 300_000, 1_000_000)
MEMORY_LIMIT = 2 * 2 ** 30


def items(n: int, seed: int = 1):
    """Coded answers as compact nullable ``Int8`` columns (3 % missing), and the int8 values,
    missing mask and per-instrument column slices that back them (the same memory)."""
    from laoyou_eval.instruments import get

    rng = np.random.default_rng(seed)
    k = sum(get(name).n_items for name in INSTRUMENTS)
    values = np.empty((n, k), dtype=np.int8, order="F")
    missing = np.empty((n, k), dtype=bool, order="F")
    columns, blocks, j = {}, [], 0
    for name in INSTRUMENTS:
        inst = get(name)
        blocks.append(slice(j, j + inst.n_items))
        for i, column in enumerate(inst.items):
            values[:, j] = rng.integers(int(inst.item_min[i]), int(inst.item_max[i]) + 1, n, dtype=np.int8)
            missing[:, j] = rng.random(n) < MISSING
            columns[column] = pd.arrays.IntegerArray(values[:, j], missing[:, j])
            j += 1
    return pd.DataFrame(columns, copy=False), values, missing, blocks


def score_all(df):
    """The library: every instrument scored (totals, subscales, bands, n answered, notes)."""
    from laoyou_eval import scoring

    return [scoring.score(df, name) for name in INSTRUMENTS]


def masked_sum(values, missing, blocks):
    """The floor: per instrument, the sum of the answered items."""
    return [np.where(missing[:, b], 0, values[:, b]).sum(axis=1) for b in blocks]


def _naive_total(row, columns, reverse, low, high, method, max_missing):
    answers = []
    for i, column in enumerate(columns):
        value = row[column]
        if pd.isna(value):
            continue
        answers.append(low[i] + high[i] - value if i + 1 in reverse else value)
    if len(columns) - len(answers) > max_missing:
        return np.nan
    mean = sum(answers) / len(answers)
    return mean * len(columns) if method == "sum" else mean


def naive_apply(df):
    """What a first attempt looks like: one Python call per respondent and instrument."""
    from laoyou_eval.instruments import get

    out = {}
    for name in INSTRUMENTS:
        inst = get(name)
        out[name] = df.apply(_naive_total, axis=1, args=(inst.items, set(inst.reverse), inst.item_min,
                                                          inst.item_max, inst.method, inst.max_missing))
    return out


def run() -> tuple[list[Row], dict]:
    df, values, missing, blocks = items(N)
    ours, floor = best_of(lambda: score_all(df), lambda: masked_sum(values, missing, blocks), repeat=5)
    sample = df.iloc[:APPLY_ROWS]
    naive, apply_seconds = timed(lambda: naive_apply(sample))
    scored = score_all(sample)
    for name, result in zip(INSTRUMENTS, scored):
        total = result.iloc[:, 0].to_numpy()
        if not np.allclose(total, naive[name].to_numpy(dtype=float), equal_nan=True, rtol=0, atol=1e-12):
            raise AssertionError(f"row-wise apply and score() disagree on {name}")
    scaled = apply_seconds * N / APPLY_ROWS
    label = f"scoring {N:,} × 40 items, 5 instruments"
    rows = [
        slowdown(f"{label} vs NumPy masked-sum floor", ours, floor, 5, "the floor",
                 notes=["floor: per-instrument `np.where(missing, 0, values).sum(axis=1)` over the same int8 "
                        "arrays that back the Int8 columns (no reverse keying, proration, subscales or table)"]),
        speedup(f"{label} vs row-wise pandas apply", ours, scaled, 20,
                notes=[f"apply timed on {APPLY_ROWS:,} rows ({apply_seconds:.2f} s) and scaled ×{N // APPLY_ROWS:,}; "
                       "it computes totals only and agrees with score() on them"]),
    ]
    if not rows[0].ok:
        rows[0].profile = profile("scoring", lambda: score_all(df))
    del df, values, missing
    memory = [measure_memory(n) for n in MEMORY_SIZES]
    peak = memory[-1]["peak_rss"]
    rows.append(Row(f"peak memory, scoring {N:,} × 40 (Int8 input)", None, None, peak / 2 ** 30,
                    f"{peak / 2 ** 30:.2f} GiB", MEMORY_LIMIT / 2 ** 30, f"< {MEMORY_LIMIT / 2 ** 30:g} GiB", False,
                    notes=["peak resident memory (VmHWM) of a fresh subprocess: interpreter, libraries, "
                           "data and results together"]))
    return rows, {"memory": memory}


def measure_memory(n: int) -> dict:
    """Memory of scoring n respondents, measured in a fresh subprocess."""
    out = subprocess.run([sys.executable, __file__, "--memory", str(n)], capture_output=True, text=True,
                         check=True, timeout=300)
    return json.loads(out.stdout)


def _memory_child(n: int) -> dict:
    import tracemalloc

    df, *_ = items(n)
    baseline = _status_bytes("VmRSS")
    tracemalloc.start()
    scored = score_all(df)
    traced = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"n": n, "input": int(df.memory_usage(deep=True).sum()), "baseline_rss": baseline,
            "peak_rss": _status_bytes("VmHWM"), "traced_peak": traced,
            "output": int(sum(s.memory_usage(deep=True).sum() for s in scored))}


def _status_bytes(field: str) -> int:
    """Resident memory now (VmRSS) or at its peak (VmHWM) from /proc, else getrusage's peak.

    VmHWM is this process's own high-water mark; ``getrusage`` would also count the parent's
    memory copied at fork, which dwarfs the small sizes."""
    try:
        with open("/proc/self/status") as status:
            line = next(line for line in status if line.startswith(field + ":"))
        return int(line.split()[1]) * 1024
    except OSError:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--memory":
        print(json.dumps(_memory_child(int(sys.argv[2]))))
    else:
        sys.exit("usage: bench_scoring.py --memory N")
