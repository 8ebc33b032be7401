"""Cronbach's alpha on 2,800 respondents × 25 items (the size of the classic bfi data).

Peers: ``pingouin.cronbach_alpha`` (alpha with the Feldt interval), and for the bootstrap
interval a Python loop of 2,000 single alphas on resampled rows, drawn from the same random
stream, so both give the same interval.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from common import best_of, profile, slowdown, speedup

N, K, N_BOOT, SEED = 2_800, 25, 2_000, 20240601


def likert(seed: int = 3) -> pd.DataFrame:
    """One-factor 6-point answers, complete."""
    rng = np.random.default_rng(seed)
    factor = rng.normal(size=(N, 1))
    answers = np.clip(np.round(3.5 + 1.1 * (0.6 * factor + 0.8 * rng.normal(size=(N, K)))), 1, 6)
    return pd.DataFrame(answers, columns=[f"q{j}" for j in range(1, K + 1)])


def _alpha(x: np.ndarray) -> float:
    cov = np.cov(x, rowvar=False)
    return x.shape[1] / (x.shape[1] - 1) * (1 - np.trace(cov) / cov.sum())


def loop_interval(items: pd.DataFrame) -> tuple[float, float]:
    """Percentile interval from a loop of single alphas (one resample per iteration)."""
    x = items.to_numpy(dtype=float)
    rng = np.random.default_rng(SEED)
    boots = [_alpha(x[rng.integers(0, N, size=N)]) for _ in range(N_BOOT)]
    return tuple(np.quantile(boots, [0.025, 0.975]))


def run() -> tuple[list, dict]:
    import pingouin

    from laoyou_eval.reliability import cronbach_alpha

    items = likert()
    ours = cronbach_alpha(items).iloc[0]
    alpha, interval = pingouin.cronbach_alpha(items)
    if abs(ours["alpha"] - alpha) > 1e-12 or not np.allclose([ours["ci_low"], ours["ci_high"]], interval, atol=5e-4):
        raise AssertionError("cronbach_alpha and pingouin disagree")
    with warnings.catch_warnings():  # pingouin's own deprecation chatter
        warnings.simplefilter("ignore")
        t_ours, t_pingouin = best_of(lambda: cronbach_alpha(items), lambda: pingouin.cronbach_alpha(items),
                                     repeat=50)
    boot = cronbach_alpha(items, ci_method="bootstrap", n_boot=N_BOOT, seed=SEED).iloc[0]
    if not np.allclose([boot["ci_low"], boot["ci_high"]], loop_interval(items), rtol=0, atol=1e-10):
        raise AssertionError("bootstrap interval differs from the loop of single alphas")
    t_boot, t_loop = best_of(lambda: cronbach_alpha(items, ci_method="bootstrap", n_boot=N_BOOT, seed=SEED),
                             lambda: loop_interval(items), repeat=3)
    rows = [
        slowdown(f"cronbach_alpha + Feldt CI, {N:,} × {K} vs pingouin.cronbach_alpha", t_ours, t_pingouin, 1,
                 "pingouin", notes=["same alpha (to 1e-12) and Feldt interval; ours also returns n, k, "
                                    "standardised alpha and notes as a one-row table"]),
        speedup(f"bootstrap CI, {N_BOOT:,} resamples vs loop of single alphas", t_boot, t_loop, 3, source="ours",
                notes=["the loop draws the same resamples and computes alpha with np.cov; intervals agree to "
                       "1e-10"]),
    ]
    if not rows[0].ok:
        rows[0].profile = profile("alpha", lambda: [cronbach_alpha(items) for _ in range(200)])
    return rows, {}
