"""Before/after analyses of 1,000,000 pairs, scores matched by subject id.

Peers: the scipy.stats calls behind :func:`outcomes.paired` (``ttest_rel``, ``wilcoxon``,
``shapiro``) on the aligned arrays, and for :func:`outcomes.reliable_change` the bare
computation (Jacobson–Truax index, ``scipy.stats.norm`` critical value and p values,
categories with ``np.select``).  Neither peer matches ids: the arrays are aligned before the
clock starts.  Ours take the two Series with text ids, post in shuffled order, so the ratio
includes matching a million ids; issue #18 sets ≤ 3× (paired) and ≤ 5× (reliable change).
Both calls are profiled into ``benchmarks/profiles/`` on every run.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import stats

from common import best_of, profile, slowdown

N, SD, RELIABILITY, CUTOFF = 1_000_000, 6.0, 0.85, 24.0


def scores(seed: int = 4) -> tuple[pd.Series, pd.Series]:
    """Pre and post scores indexed by subject id (post in a shuffled order, as after a merge)."""
    rng = np.random.default_rng(seed)
    pre = np.round(rng.normal(20, 6, N))
    post = np.round(pre - 1 + rng.normal(0, 4, N))
    ids = pd.Index([f"p{i:07d}" for i in range(N)])
    order = rng.permutation(N)
    return pd.Series(pre, index=ids), pd.Series(post[order], index=ids[order])


def scipy_paired(pre: np.ndarray, post: np.ndarray):
    diff = post - pre
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # shapiro: "N > 5000"
        return stats.ttest_rel(post, pre), stats.wilcoxon(diff), stats.shapiro(diff)


def bare_change(pre: np.ndarray, post: np.ndarray):
    rci = (post - pre) / (np.sqrt(2) * SD * np.sqrt(1 - RELIABILITY))
    critical = stats.norm.ppf(0.975)
    p = 2 * stats.norm.sf(np.abs(rci))
    category = np.select([rci < -critical, rci > critical], ["improved", "deteriorated"], "unchanged")
    return rci, p, category


def run() -> tuple[list, dict]:
    from laoyou_eval import outcomes

    pre, post = scores()
    x, y = pre.to_numpy(), post.reindex(pre.index).to_numpy()

    def ours_paired():
        return outcomes.paired(pre, post)

    def ours_change():
        return outcomes.reliable_change(pre, post, sd=SD, reliability=RELIABILITY, higher_is="worse", cutoff=CUTOFF)

    row = ours_paired().iloc[0]
    t_test = scipy_paired(x, y)[0]
    if not (np.isclose(row["t"], t_test.statistic, rtol=1e-9) and row["df"] == t_test.df):
        raise AssertionError("paired t differs from scipy.stats.ttest_rel")
    change = ours_change()
    rci = bare_change(x, y)[0]
    if not np.allclose(change.set_index("subject")["rci"].reindex(pre.index).to_numpy(), rci, rtol=1e-12):
        raise AssertionError("reliable change index differs from the bare computation")
    t_paired, t_scipy, t_change, t_bare = best_of(ours_paired, lambda: scipy_paired(x, y), ours_change,
                                                  lambda: bare_change(x, y), repeat=9)
    rows = [
        slowdown(f"outcomes.paired, {N:,} pairs vs scipy.stats calls", t_paired, t_scipy, 3, "scipy",
                 source="issue #18",
                 notes=["scipy: ttest_rel + wilcoxon (normal approximation) + shapiro on aligned arrays; ours also "
                        "matches subjects by id and adds the exact d_z interval, Hedges' g_z and the MDE"]),
        slowdown(f"outcomes.reliable_change, {N:,} pairs vs scipy.stats/NumPy", t_change, t_bare, 5, "bare",
                 source="issue #18",
                 notes=["bare: JT index, norm.ppf/norm.sf and np.select on aligned arrays; ours also matches by id "
                        "and returns a per-person table with cut-off flags and notes"]),
    ]
    for row_, name, fn in ((rows[0], "paired", ours_paired), (rows[1], "reliable_change", ours_change)):
        row_.profile = profile(name, fn)
    return rows, {}
