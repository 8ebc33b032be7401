"""The code paths that keep large inputs fast give the same answers as the simple ones:
block-wise scoring, the all-at-once bootstrap, sort-based duplicate detection, and the
Wilcoxon and Shapiro–Wilk policies for many pairs.  No timing here (see benchmarks/)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from laoyou_eval import outcomes, scoring
from laoyou_eval.i18n import explain
from laoyou_eval.networks.model import _duplicated, key_series
from laoyou_eval.outcomes.paired import EXACT_MAX_N, wilcoxon_signed_rank
from laoyou_eval.reliability import _resampled_alphas, _resampled_alphas_pairwise, cronbach_alpha


def test_scoring_blocks_do_not_change_scores(monkeypatch):
    """Rows across block boundaries score as they do alone."""
    rng = np.random.default_rng(0)
    items = pd.DataFrame(rng.integers(0, 5, (50, 10)).astype(float), columns=[f"pss10_{i}" for i in range(1, 11)])
    items = items.mask(rng.random(items.shape) < 0.15)
    whole = scoring.score(items, "pss10")
    monkeypatch.setattr(scoring, "ROW_BLOCK", 7)
    pd.testing.assert_frame_equal(scoring.score(items, "pss10"), whole, check_exact=True)
    one_by_one = pd.concat([scoring.score(items.iloc[[i]], "pss10") for i in range(len(items))])
    pd.testing.assert_frame_equal(one_by_one, whole, check_exact=True)


def test_scoring_note_names_the_missing_items_of_each_row():
    items = pd.DataFrame({f"k6_{i}": [1, None, None] for i in range(1, 7)})
    items.loc[0, "k6_1"] = None
    notes = scoring.score(items, "k6")["note"].tolist()
    assert notes[0] == "" and "6/6" in notes[1] and notes[1] == notes[2]


def test_bootstrap_at_once_equals_one_resample_at_a_time():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(60, 1)) + rng.normal(size=(60, 5))
    at_once = _resampled_alphas(x, 500, np.random.default_rng(7))
    one_by_one = _resampled_alphas_pairwise(x, 500, np.random.default_rng(7))
    np.testing.assert_allclose(at_once, one_by_one, rtol=0, atol=1e-12)


def test_bootstrap_counts_resamples_without_variance():
    """Three rows: a resample drawing one row three times has no variance (probability 1/9)."""
    x = np.array([[1.0, 2.0, 2.0], [2.0, 3.0, 4.0], [4.0, 4.0, 5.0]])
    from laoyou_eval.report import i18n

    i18n.set_language("en")
    try:
        row = cronbach_alpha(x, ci_method="bootstrap", n_boot=900, seed=3).iloc[0]
    finally:
        i18n.set_language("zh")
    code, _, counts = row["note"].split("; ")[-1].partition("=")
    assert code == "bootstrap_undefined" and counts.endswith("|900")
    bad = int(counts.split("|")[0])
    assert 60 < bad < 150  # about 900 / 9 = 100


@pytest.mark.parametrize("seed", range(3))
def test_duplicated_matches_pandas(seed):
    key = np.random.default_rng(seed).integers(0, 40, 300)
    assert (_duplicated(key) == pd.Series(key).duplicated().to_numpy()).all()


def test_key_series_compares_like_validation():
    keys = key_series(pd.Series([3.0, " 3", "a ", None, ""], dtype=object))
    assert keys.iloc[:3].tolist() == ["3", "3", "a"] and keys.iloc[3:].isna().all()


def test_wilcoxon_uses_the_normal_approximation_beyond_the_exact_limit():
    d = np.random.default_rng(2).normal(0.1, 1, EXACT_MAX_N + 1)
    exact = wilcoxon_signed_rank(d, method="exact")
    assert exact["method"] == "asymptotic"
    assert exact["p"] == wilcoxon_signed_rank(d, method="asymptotic")["p"]
    assert wilcoxon_signed_rank(d[:EXACT_MAX_N], method="exact")["method"] == "exact"


def test_paired_on_many_pairs_says_which_tests_were_approximate():
    rng = np.random.default_rng(4)
    pre = rng.normal(20, 5, 6000)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # scipy's "N > 5000" warning becomes a note instead
        row = outcomes.paired(pre, pre + rng.normal(-1, 3, 6000)).iloc[0]
    assert row["wilcoxon_method"] == "asymptotic (wilcox)"
    assert "normal approximation" in explain(row["note"]) or "正态近似" in explain(row["note"])
    assert "5000" in explain(row["note"])
