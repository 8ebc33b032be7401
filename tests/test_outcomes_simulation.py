"""Seeded simulations: across many data sets the intervals cover the true value at about the
nominal rate, and the minimum detectable effect is detected about 80 % of the time.

A few hundred replications keep the suite fast; the acceptance bands are about ±3 binomial
standard errors around the nominal rate (SE = √(.95·.05/R))."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from laoyou_eval import outcomes

REPS = 300
BAND = 3 * np.sqrt(0.95 * 0.05 / REPS)      # ≈ 0.038


def bivariate(rng, n, mean_diff, sd_diff):
    """pre ~ N(0, 1); post = pre + mean_diff + N(0, sd_diff²), so the true d_z = mean_diff / sd_diff."""
    pre = rng.normal(0, 1, n)
    return pre, pre + mean_diff + rng.normal(0, sd_diff, n)


@pytest.mark.parametrize("n, d_z", [(8, 0.8), (14, 0.3)])
def test_mean_difference_and_d_z_intervals_cover(n, d_z):
    rng = np.random.default_rng(20240601 + n)
    hit_mean = hit_dz = 0
    for _ in range(REPS):
        pre, post = bivariate(rng, n, d_z, 1.0)
        res = outcomes.paired(pre, post).iloc[0]
        hit_mean += res["diff_ci_low"] <= d_z <= res["diff_ci_high"]
        hit_dz += res["d_z_ci_low"] <= d_z <= res["d_z_ci_high"]     # SD of D is 1, so true d_z = d_z
    assert abs(hit_mean / REPS - 0.95) < BAND
    assert abs(hit_dz / REPS - 0.95) < BAND


def test_g_z_is_less_biased_than_d_z():
    rng = np.random.default_rng(5)
    d, g = [], []
    for _ in range(REPS):
        res = outcomes.paired(*bivariate(rng, 6, 0.8, 1.0)).iloc[0]
        d.append(res["d_z"])
        g.append(res["g_z"])
    assert abs(np.mean(g) - 0.8) < abs(np.mean(d) - 0.8)


def test_minimum_detectable_effect_is_detected_80_percent_of_the_time():
    rng = np.random.default_rng(11)
    n = 12
    mde = outcomes.mde_d_z(n)
    rejected = np.mean([outcomes.paired(*bivariate(rng, n, mde, 1.0)).at[0, "p"] < 0.05 for _ in range(REPS)])
    assert abs(rejected - 0.80) < 3 * np.sqrt(0.8 * 0.2 / REPS)


def two_arm_panel(rng, n_t, n_c, did, baseline_shift=0.5):
    treated = np.r_[np.ones(n_t), np.zeros(n_c)]
    pre = rng.normal(0, 1, n_t + n_c) + baseline_shift * treated
    post = 0.6 * pre + 0.3 + did * treated + rng.normal(0, 0.8 + 0.4 * treated, n_t + n_c)
    ids = [f"S{i}" for i in range(n_t + n_c)]
    arm = np.where(treated == 1, "programme", "comparison")
    return pd.DataFrame({"id": ids * 2, "wave": [1] * len(ids) + [2] * len(ids), "arm": list(arm) * 2,
                         "y": np.r_[pre, post]})


def test_did_cluster_interval_covers():
    rng = np.random.default_rng(3)
    hits = 0
    for _ in range(REPS):
        res = outcomes.did(two_arm_panel(rng, 15, 30, -0.7), "y", "arm", "wave", "id").iloc[0]
        hits += res["ci_low"] <= -0.7 <= res["ci_high"]
    # CR1 cluster SEs are slightly liberal with 45 clusters; allow the band below .95
    assert 0.95 - BAND - 0.02 < hits / REPS < 0.95 + BAND


def test_morris_d_ppc2_interval_covers():
    rng = np.random.default_rng(8)
    n_t = n_c = 25
    rho = 0.6
    # pre SD 1 in both groups; the true standardised DiD is delta / 1
    delta, hits, estimates = 0.5, 0, []
    for _ in range(REPS):
        pre = rng.normal(0, 1, n_t + n_c)
        post = rho * pre + delta * np.r_[np.ones(n_t), np.zeros(n_c)] + rng.normal(0, np.sqrt(1 - rho ** 2), n_t + n_c)
        ids = [f"S{i}" for i in range(n_t + n_c)]
        arm = ["programme"] * n_t + ["comparison"] * n_c
        data = pd.DataFrame({"id": ids * 2, "wave": [1] * 50 + [2] * 50, "arm": arm * 2, "y": np.r_[pre, post]})
        res = outcomes.morris_d_ppc2(data, "y", "arm", "wave", "id").iloc[0]
        hits += res["ci_low"] <= delta <= res["ci_high"]
        estimates.append(res["d_ppc2"])
    assert abs(hits / REPS - 0.95) < BAND
    assert abs(np.mean(estimates) - delta) < 0.03
