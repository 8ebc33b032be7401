"""Tests for laoyou_eval.reliability against published values and independent implementations.

Oracles (see the project's reference notes on scoring and pre/post statistics, scoring_and_prepost.md §5):
rows 2-3 pingouin datasets, row 4 Shrout & Fleiss (1979), row 8 Krippendorff (2011),
row 9 the Wikipedia Cohen's kappa example.  Second implementations: pingouin
(cronbach_alpha, intraclass_corr), the krippendorff package, scikit-learn's
cohen_kappa_score, and closed forms written out in this file.
"""

from __future__ import annotations

import re

import krippendorff
import numpy as np
import pandas as pd
import pingouin as pg
import pytest
from scipy import optimize, stats

from laoyou_eval.errors import LaoyouError
from laoyou_eval.reliability import agreement, cronbach_alpha, disagreements, icc, item_analysis, omega_total
from laoyou_eval.reliability.notes import explain_note, localise


@pytest.fixture(autouse=True)
def english_notes():
    """Notes are explained in the report language; these tests read them in English."""
    from laoyou_eval.report import i18n

    i18n.set_language("en")
    yield
    i18n.set_language("zh")


def words(note: str) -> str:
    """A note code as shown to a reader (here in English)."""
    return explain_note(note)


def test_notes_are_codes_translated_only_when_shown():
    from laoyou_eval.report import i18n

    items = np.array([[1.0, 2.0], [1.0, 2.0], [1.0, 2.0]])
    i18n.set_language("zh")
    in_chinese = cronbach_alpha(items).iloc[0]["note"]
    i18n.set_language("en")
    assert cronbach_alpha(items).iloc[0]["note"] == in_chinese
    assert in_chinese == "alpha_undefined_zero_variance; alpha_std_undefined_zero_variance=2"
    assert "zero variance" in explain_note(in_chinese)
    i18n.set_language("zh")
    assert "方差为 0" in explain_note(in_chinese)
    shown = localise(cronbach_alpha(items))
    assert any("方差为 0" in str(v) for v in shown.iloc[0])
    i18n.set_language("en")


def test_every_note_code_has_words():
    """Codes the functions can write are all explained (unknown codes would be shown raw)."""
    import pathlib

    from laoyou_eval.reliability.notes import NOTES

    source = "".join(p.read_text(encoding="utf-8") for p in
                     pathlib.Path(cronbach_alpha.__code__.co_filename).parent.glob("*.py"))
    used = set(re.findall(r'note_code\(f?"([a-z_{}]+)"', source))
    used = {u.replace("{missing}", m) for u in used for m in ("listwise", "pairwise")} if used else used
    assert used and used <= set(NOTES), used - set(NOTES)


CJK = re.compile(r"[\u4e00-\u9fff]")

# pingouin 0.7 + pandas 3 warn about their own internals; not our concern here
pytestmark = pytest.mark.filterwarnings("ignore:The inplace keyword in DataFrame.dropna")


def feldt(alpha, n, k, ci=0.95):
    """Feldt, Woodruff & Salih (1987) interval written out independently."""
    g = 1 - ci
    return (1 - (1 - alpha) * stats.f.isf(g / 2, n - 1, (n - 1) * (k - 1)),
            1 - (1 - alpha) * stats.f.isf(1 - g / 2, n - 1, (n - 1) * (k - 1)))


def exact_cov_data(sigma: np.ndarray, n: int, seed: int = 0) -> np.ndarray:
    """Data whose sample covariance matrix (ddof=1) is exactly ``sigma``."""
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((n, sigma.shape[0]))
    z -= z.mean(axis=0)
    w = np.linalg.cholesky(np.cov(z, rowvar=False))
    white = z @ np.linalg.inv(w).T  # sample covariance = identity
    return white @ np.linalg.cholesky(sigma).T + 3.0


def assert_bilingual(err: LaoyouError):
    assert CJK.search(err.zh), err.zh
    assert re.search("[A-Za-z]{3,}", err.en) and err.en != err.zh, err.en


# --------------------------------------------------------------------------------------------
# Cronbach's alpha: published values (reference §5 rows 2 and 3)
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def likert():
    # The exact pivot pingouin's docstring uses: index=subject, columns=items, values=scores.
    long = pg.read_dataset("cronbach_alpha")
    wide = long.pivot(index="Subj", columns="Items", values="Scores")
    assert wide.shape == (15, 10)
    return wide


def test_alpha_from_long_data_matches_pingouin():
    """pingouin: cronbach_alpha(data=read_dataset("cronbach_alpha"), items="Items",
    scores="Scores", subject="Subj") → (0.5917, [0.195, 0.840])."""
    long = pg.read_dataset("cronbach_alpha")
    row = cronbach_alpha(long, item="Items", score="Scores", subject="Subj").iloc[0]
    assert row["alpha"] == pytest.approx(0.5917, abs=5e-5)
    assert (round(row["ci_low"], 3), round(row["ci_high"], 3)) == (0.195, 0.840)
    theirs = pg.cronbach_alpha(data=long, items="Items", scores="Scores", subject="Subj")
    assert row["alpha"] == pytest.approx(theirs[0], abs=1e-12) and row["n"] == 15 and row["k"] == 10
    # a subject with no row for an item has that answer missing (listwise: the subject is left out)
    short = long.drop(index=long.index[(long["Subj"] == 3) & (long["Items"] == "Q2")])
    assert cronbach_alpha(short, item="Items", score="Scores", subject="Subj").at[0, "n"] == 14
    with pytest.raises(LaoyouError):
        cronbach_alpha(pd.concat([long, long.iloc[[0]]]), item="Items", score="Scores", subject="Subj")
    with pytest.raises(LaoyouError):
        cronbach_alpha(long, item="Item", score="Scores", subject="Subj")


@pytest.fixture(scope="module")
def binary_missing():
    wide = pg.read_dataset("cronbach_wide_missing")
    assert wide.shape == (12, 11)
    return wide


def test_alpha_likert_published(likert):
    res = cronbach_alpha(likert)
    assert list(res.columns) == ["alpha", "ci_low", "ci_high", "ci_method", "n", "k",
                                 "alpha_std", "missing", "note"]
    row = res.iloc[0]
    assert row["alpha"] == pytest.approx(0.5917, abs=5e-5)
    assert round(row["ci_low"], 3) == 0.195
    assert round(row["ci_high"], 3) == 0.840
    assert (row["n"], row["k"], row["ci_method"], row["missing"]) == (15, 10, "feldt", "listwise")
    assert row["note"] == ""


def test_alpha_likert_duhachek_ase(likert):
    row = cronbach_alpha(likert, ci_method="duhachek").iloc[0]
    z = stats.norm.ppf(0.975)
    ase = (row["ci_high"] - row["ci_low"]) / (2 * z)
    assert ase == pytest.approx(0.1545, abs=5e-5)
    assert (row["ci_low"] + row["ci_high"]) / 2 == pytest.approx(row["alpha"])
    assert row["ci_method"] == "duhachek"


def test_alpha_binary_pairwise_published(binary_missing):
    row = cronbach_alpha(binary_missing, missing="pairwise").iloc[0]
    assert row["alpha"] == pytest.approx(0.7327, abs=5e-5)
    assert (round(row["ci_low"], 3), round(row["ci_high"], 3)) == (0.435, 0.909)
    # every row has at least 2 answered items, so n is the total row count (as psych/pingouin)
    assert row["n"] == 12 and row["k"] == 11


def test_alpha_binary_listwise_uses_rows_kept(binary_missing):
    row = cronbach_alpha(binary_missing, missing="listwise").iloc[0]
    assert row["alpha"] == pytest.approx(0.8017, abs=5e-5)
    assert row["n"] == 9
    assert (round(row["ci_low"], 3), round(row["ci_high"], 3)) == (0.533, 0.947)
    assert "3 of 12 rows" in words(row["note"])


def test_listwise_ci_differs_from_pingouin_on_purpose(binary_missing):
    """pingouin computes the Feldt CI with n before listwise deletion (12), we with n = 9."""
    pg_alpha, pg_ci = pg.cronbach_alpha(data=binary_missing, nan_policy="listwise")
    ours = cronbach_alpha(binary_missing, missing="listwise").iloc[0]
    assert ours["alpha"] == pytest.approx(pg_alpha, abs=1e-12)  # same point estimate
    assert list(pg_ci) == [0.581, 0.933]                          # pingouin's published output
    # pingouin's interval is the Feldt formula with n = 12 rows, although only 9 are analysed
    assert np.round(feldt(pg_alpha, 12, 11), 3).tolist() == [0.581, 0.933]
    # ours is the same formula with the 9 rows actually used: wider, as it should be
    assert (ours["ci_low"], ours["ci_high"]) == pytest.approx(feldt(pg_alpha, 9, 11), abs=1e-12)
    assert ours["ci_low"] < pg_ci[0] and ours["ci_high"] > pg_ci[1]


# --------------------------------------------------------------------------------------------
# Cronbach's alpha: second implementation and closed form
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("seed", [1, 2, 3])
def test_alpha_matches_pingouin_random_complete(seed):
    rng = np.random.default_rng(seed)
    n, k = 40 + seed * 7, 3 + seed
    f = rng.standard_normal(n)
    data = pd.DataFrame(np.round(2 + f[:, None] * rng.uniform(0.3, 1, k) + rng.standard_normal((n, k))),
                        columns=[f"q{i}" for i in range(k)])
    pg_alpha, pg_ci = pg.cronbach_alpha(data=data)
    row = cronbach_alpha(data).iloc[0]
    assert row["alpha"] == pytest.approx(pg_alpha, abs=1e-12)
    assert np.round([row["ci_low"], row["ci_high"]], 3).tolist() == pytest.approx(list(pg_ci), abs=1e-9)
    # numpy array input gives the same answer
    assert cronbach_alpha(data.to_numpy()).iloc[0]["alpha"] == pytest.approx(pg_alpha, abs=1e-12)


def test_alpha_pairwise_matches_pingouin_random_missing():
    rng = np.random.default_rng(7)
    n, k = 60, 5
    f = rng.standard_normal(n)
    x = f[:, None] + rng.standard_normal((n, k))
    x[rng.random((n, k)) < 0.15] = np.nan
    x[np.isnan(x).sum(axis=1) > k - 2, 0] = 1.0  # keep >= 2 answers per row
    x[np.isnan(x).sum(axis=1) > k - 2, 1] = 1.0
    data = pd.DataFrame(x, columns=list("abcde"))
    pg_alpha, pg_ci = pg.cronbach_alpha(data=data, nan_policy="pairwise")
    row = cronbach_alpha(data, missing="pairwise").iloc[0]
    assert row["alpha"] == pytest.approx(pg_alpha, abs=1e-10)
    assert row["n"] == n
    assert np.round([row["ci_low"], row["ci_high"]], 3).tolist() == pytest.approx(list(pg_ci), abs=1e-9)


def test_pairwise_n_counts_rows_with_two_answers():
    data = pd.DataFrame({"a": [1, 2, 3, 4, 5, 2, np.nan], "b": [2, 2, 4, 4, 5, 1, 3],
                         "c": [1, 3, 3, 5, 4, 2, np.nan]})
    row = cronbach_alpha(data, missing="pairwise").iloc[0]
    assert row["n"] == 6
    assert "1 of 7 rows left out" in words(row["note"])
    # the row with one answer contributes to no covariance, so alpha equals listwise here
    assert row["alpha"] == pytest.approx(cronbach_alpha(data.iloc[:6]).iloc[0]["alpha"])


@pytest.mark.parametrize("k,rho", [(3, 0.3), (5, 0.5), (8, 0.2)])
def test_alpha_closed_form_parallel_items(k, rho):
    """k parallel items with common variance s2 and correlation rho: alpha = k rho/(1+(k-1)rho)."""
    s2 = 2.5
    sigma = s2 * ((1 - rho) * np.eye(k) + rho * np.ones((k, k)))
    x = exact_cov_data(sigma, n=50, seed=k)
    row = cronbach_alpha(x).iloc[0]
    expected = k * rho / (1 + (k - 1) * rho)
    assert row["alpha"] == pytest.approx(expected, abs=1e-12)
    assert row["alpha_std"] == pytest.approx(expected, abs=1e-12)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(feldt(expected, 50, k), abs=1e-12)


def test_alpha_std_differs_from_raw_with_unequal_variances():
    rng = np.random.default_rng(3)
    f = rng.standard_normal(200)
    x = np.column_stack([f + rng.standard_normal(200) * s for s in (0.5, 1, 2)]) * [1, 5, 0.2]
    r = np.corrcoef(x, rowvar=False)
    rbar = r[np.triu_indices(3, 1)].mean()
    row = cronbach_alpha(x).iloc[0]
    assert row["alpha_std"] == pytest.approx(3 * rbar / (1 + 2 * rbar), abs=1e-12)
    assert abs(row["alpha_std"] - row["alpha"]) > 0.01


def test_bootstrap_deterministic_and_contains_estimate(likert):
    a = cronbach_alpha(likert, ci_method="bootstrap", n_boot=500, seed=11)
    b = cronbach_alpha(likert, ci_method="bootstrap", n_boot=500, seed=11)
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    assert a[["ci_low", "ci_high"]].to_numpy().tobytes() == b[["ci_low", "ci_high"]].to_numpy().tobytes()
    row = a.iloc[0]
    assert row["ci_method"] == "bootstrap_percentile"
    assert row["ci_low"] < row["alpha"] < row["ci_high"]
    c = cronbach_alpha(likert, ci_method="bootstrap", n_boot=500, seed=12).iloc[0]
    assert (c["ci_low"], c["ci_high"]) != (row["ci_low"], row["ci_high"])


def test_bootstrap_pairwise_runs(binary_missing):
    row = cronbach_alpha(binary_missing, missing="pairwise", ci_method="bootstrap",
                         n_boot=300, seed=5).iloc[0]
    assert row["ci_low"] < row["alpha"] < row["ci_high"]


def test_bootstrap_matches_manual_resampling():
    """Percentile interval of alpha over rows drawn with default_rng(seed).integers."""
    rng0 = np.random.default_rng(2)
    x = rng0.standard_normal((30, 1)) + rng0.standard_normal((30, 4))
    rng = np.random.default_rng(99)
    boots = []
    for _ in range(200):
        s = x[rng.integers(0, 30, size=30)]
        boots.append(pg.cronbach_alpha(data=pd.DataFrame(s))[0])
    row = cronbach_alpha(x, ci_method="bootstrap", n_boot=200, seed=99).iloc[0]
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(tuple(np.quantile(boots, [0.025, 0.975])),
                                                            abs=1e-10)


def test_zero_variance_total_is_nan_with_note():
    row = cronbach_alpha(pd.DataFrame({"a": [1, 1, 1], "b": [2, 2, 2]})).iloc[0]
    assert np.isnan(row["alpha"]) and np.isnan(row["ci_low"]) and np.isnan(row["ci_high"])
    assert "zero variance" in words(row["note"])


def test_negative_alpha_is_reported_with_note():
    row = cronbach_alpha(pd.DataFrame({"a": [1, 2, 3, 4], "b": [4, 3, 2, 1.5]})).iloc[0]
    assert row["alpha"] < 0 and "reverse" in words(row["note"])


def test_nullable_and_bool_columns_accepted():
    data = pd.DataFrame({"a": pd.array([1, 0, 1, None, 1], dtype="Int64"),
                         "b": [True, False, True, True, True], "c": [1.0, 0.0, 1.0, 1.0, 0.0]})
    row = cronbach_alpha(data).iloc[0]
    ref = pg.cronbach_alpha(data=data.dropna().astype(float))[0]
    assert row["n"] == 4 and row["alpha"] == pytest.approx(ref)


# --------------------------------------------------------------------------------------------
# item analysis
# --------------------------------------------------------------------------------------------

def test_item_analysis_matches_direct_numpy(likert):
    res = item_analysis(likert)
    assert list(res.columns) == ["item", "mean", "sd", "n", "citc", "alpha_if_deleted", "note"]
    x = likert.to_numpy(dtype=float)
    total = x.sum(axis=1)
    for i, name in enumerate(likert.columns):
        row = res.iloc[i]
        assert row["item"] == str(name)
        assert row["mean"] == pytest.approx(x[:, i].mean())
        assert row["sd"] == pytest.approx(x[:, i].std(ddof=1))
        assert row["n"] == 15
        citc = np.corrcoef(x[:, i], total - x[:, i])[0, 1]
        assert row["citc"] == pytest.approx(citc, abs=1e-12)
        reduced = cronbach_alpha(likert.drop(columns=name)).iloc[0]["alpha"]
        assert row["alpha_if_deleted"] == pytest.approx(reduced, abs=1e-12)


@pytest.mark.parametrize("missing", ["listwise", "pairwise"])
def test_alpha_if_deleted_equals_alpha_on_reduced_set(binary_missing, missing):
    res = item_analysis(binary_missing, missing=missing)
    # listwise: the rows complete on all k items (SPSS); pairwise: covariances are per pair anyway
    rows = binary_missing.dropna() if missing == "listwise" else binary_missing
    for i, name in enumerate(binary_missing.columns):
        reduced = cronbach_alpha(rows.drop(columns=name), missing=missing).iloc[0]["alpha"]
        assert res.iloc[i]["alpha_if_deleted"] == pytest.approx(reduced, abs=1e-12)


def test_item_analysis_listwise_citc_on_complete_rows(binary_missing):
    res = item_analysis(binary_missing)
    x = binary_missing.dropna().to_numpy(dtype=float)
    assert (res["n"] == 9).all()
    for i in range(x.shape[1]):
        rest = x.sum(axis=1) - x[:, i]
        assert res.iloc[i]["citc"] == pytest.approx(np.corrcoef(x[:, i], rest)[0, 1], abs=1e-12)


def test_item_analysis_pairwise_item_n(binary_missing):
    res = item_analysis(binary_missing, missing="pairwise")
    assert res["n"].tolist() == binary_missing.notna().sum().tolist()
    assert res["mean"].to_numpy() == pytest.approx(binary_missing.mean().to_numpy())


def test_item_analysis_two_items_alpha_if_deleted_undefined():
    res = item_analysis(pd.DataFrame({"a": [1, 2, 3, 4], "b": [1, 3, 2, 4]}))
    assert res["alpha_if_deleted"].isna().all()
    assert res["note"].map(words).str.contains("only 1 item").all()
    assert res["citc"].iloc[0] == pytest.approx(np.corrcoef([1, 2, 3, 4], [1, 3, 2, 4])[0, 1])


# --------------------------------------------------------------------------------------------
# omega total
# --------------------------------------------------------------------------------------------

def test_omega_closed_form_one_factor_population():
    """Sample correlation matrix exactly one-factor: ML recovers lambda, omega is closed form."""
    lam = np.array([0.8, 0.7, 0.6, 0.5, 0.4])
    sigma = np.outer(lam, lam)
    np.fill_diagonal(sigma, 1.0)
    x = exact_cov_data(sigma, n=300, seed=4) * [1, 2, 3, 0.5, 1]  # scale does not matter
    res = omega_total(x)
    assert list(res.columns) == ["omega_total", "n", "k", "method", "note"]
    expected = lam.sum() ** 2 / (lam.sum() ** 2 + (1 - lam**2).sum())
    row = res.iloc[0]
    assert row["omega_total"] == pytest.approx(expected, abs=1e-4)
    assert (row["n"], row["k"], row["method"]) == (300, 5, "one-factor ML, statsmodels Factor")
    assert "0.400 to 0.800" in words(row["note"])


def test_omega_equals_alpha_for_tau_equivalent_items():
    rng = np.random.default_rng(2024)
    n, k = 20000, 6
    f = rng.standard_normal(n)
    x = f[:, None] * 0.7 + rng.standard_normal((n, k)) * 0.7  # equal loadings, equal errors
    om = omega_total(x).iloc[0]["omega_total"]
    al = cronbach_alpha(x).iloc[0]["alpha"]
    assert om == pytest.approx(al, abs=0.005)
    assert om == pytest.approx(6 * 0.5 / (1 + 5 * 0.5), abs=0.01)  # population value 6/7


def _ml_one_factor(r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Independent one-factor ML fit: minimise log|S| + tr(R S^-1), S = ll' + diag(psi)."""
    k = r.shape[0]

    def f(par):
        lam, psi = par[:k], np.exp(par[k:])
        s = np.outer(lam, lam) + np.diag(psi)
        _, logdet = np.linalg.slogdet(s)
        return logdet + np.trace(r @ np.linalg.inv(s))

    start = np.r_[np.full(k, 0.6), np.log(np.full(k, 0.6))]
    out = optimize.minimize(f, start, method="Nelder-Mead",
                            options={"maxiter": 40000, "maxfev": 40000, "xatol": 1e-10, "fatol": 1e-14})
    out = optimize.minimize(f, out.x, method="BFGS", options={"gtol": 1e-10})
    return out.x[:k], np.exp(out.x[k:])


def test_omega_matches_independent_ml_fit():
    rng = np.random.default_rng(8)
    n = 150
    f = rng.standard_normal(n)
    lam_true = np.array([0.9, 0.7, 0.6, 0.4])
    x = f[:, None] * lam_true + rng.standard_normal((n, 4)) * np.sqrt(1 - lam_true**2)
    lam, psi = _ml_one_factor(np.corrcoef(x, rowvar=False))
    lam = lam * np.sign(lam.sum())
    expected = lam.sum() ** 2 / (lam.sum() ** 2 + psi.sum())
    assert omega_total(x).iloc[0]["omega_total"] == pytest.approx(expected, abs=1e-4)


def test_omega_listwise_and_undefined_cases():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((50, 1)) + rng.standard_normal((50, 4))
    x[0, 1] = np.nan
    row = omega_total(x).iloc[0]
    assert row["n"] == 49 and "1 of 50 rows" in words(row["note"])
    two = omega_total(x[:, :2]).iloc[0]
    assert np.isnan(two["omega_total"]) and "at least 3 items" in words(two["note"])
    const = x.copy()
    const[:, 2] = 1.0
    assert np.isnan(omega_total(const).iloc[0]["omega_total"])


def test_omega_flags_reverse_keyed_item():
    rng = np.random.default_rng(5)
    f = rng.standard_normal(500)
    x = f[:, None] * [0.8, 0.7, 0.7, -0.6] + rng.standard_normal((500, 4)) * 0.6
    row = omega_total(pd.DataFrame(x, columns=["a", "b", "c", "d"])).iloc[0]
    assert "negative loading(s) for d" in words(row["note"])


def test_omega_is_deterministic():
    rng = np.random.default_rng(6)
    x = rng.standard_normal((80, 1)) + rng.standard_normal((80, 5))
    a, b = omega_total(x), omega_total(x)
    pd.testing.assert_frame_equal(a, b, check_exact=True)


# --------------------------------------------------------------------------------------------
# ICC (reference §5 row 4)
# --------------------------------------------------------------------------------------------

SHROUT_FLEISS = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]]


@pytest.fixture(scope="module")
def sf_long():
    wide = pd.DataFrame(SHROUT_FLEISS, columns=["J1", "J2", "J3", "J4"],
                        index=pd.Index(range(1, 7), name="target"))
    return wide.reset_index().melt(id_vars="target", var_name="judge", value_name="rating")


def test_icc_shrout_fleiss_published(sf_long):
    res = icc(sf_long, "target", "judge", "rating")
    assert res["type"].tolist() == ["ICC(1,1)", "ICC(A,1)", "ICC(C,1)", "ICC(1,k)", "ICC(A,k)", "ICC(C,k)"]
    assert res["type_shrout_fleiss"].tolist() == ["ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k"]
    assert res["icc"].round(2).tolist() == [0.17, 0.29, 0.71, 0.44, 0.62, 0.91]
    assert res["f"].round(1).tolist() == [1.8, 11.0, 11.0, 1.8, 11.0, 11.0]
    assert res["ci_low"].round(2).tolist() == [-0.13, 0.02, 0.34, -0.88, 0.07, 0.68]
    assert res["ci_high"].round(2).tolist() == [0.72, 0.76, 0.95, 0.91, 0.93, 0.99]
    assert res["df1"].tolist() == [5] * 6
    assert res["df2"].tolist() == [18, 15, 15, 18, 15, 15]
    assert (res["n"] == 6).all() and (res["k"] == 4).all()


def test_icc_equals_pingouin(sf_long):
    ours = icc(sf_long, "target", "judge", "rating")
    ref = pg.intraclass_corr(data=sf_long, targets="target", raters="judge", ratings="rating")
    pcol = next(c for c in ("pval", "p_val", "p-val") if c in ref.columns)
    assert ours["icc"].to_numpy() == pytest.approx(ref["ICC"].to_numpy(), abs=1e-12)
    assert ours["f"].to_numpy() == pytest.approx(ref["F"].to_numpy(), abs=1e-10)
    assert ours["p"].to_numpy() == pytest.approx(ref[pcol].to_numpy(), rel=1e-8)
    ci = np.vstack(ref["CI95"].to_numpy())
    # pingouin rounds its CI to 2 decimals
    assert ours["ci_low"].round(2).to_numpy() == pytest.approx(ci[:, 0], abs=1e-9)
    assert ours["ci_high"].round(2).to_numpy() == pytest.approx(ci[:, 1], abs=1e-9)


def test_icc_random_matches_pingouin():
    rng = np.random.default_rng(3)
    n, k = 15, 3
    y = rng.standard_normal((n, 1)) * 2 + rng.standard_normal((1, k)) + rng.standard_normal((n, k))
    long = pd.DataFrame(y).rename_axis("t").reset_index().melt(id_vars="t", var_name="r", value_name="y")
    ours = icc(long, "t", "r", "y")
    ref = pg.intraclass_corr(data=long, targets="t", raters="r", ratings="y")
    assert ours["icc"].to_numpy() == pytest.approx(ref["ICC"].to_numpy(), abs=1e-12)


def test_icc_perfect_agreement_is_one_with_undefined_f():
    long = pd.DataFrame({"t": [1, 1, 2, 2, 3, 3], "r": ["x", "y"] * 3, "v": [1, 1, 2, 2, 3, 3]})
    res = icc(long, "t", "r", "v")
    assert res["icc"].tolist() == [1.0] * 6
    assert res[["f", "p", "ci_low", "ci_high"]].isna().all().all()
    assert res["note"].map(words).str.contains("no within-target").all()


def test_icc_missing_rating_names_target(sf_long):
    bad = sf_long[~((sf_long["target"] == 4) & (sf_long["judge"] == "J2"))]
    with pytest.raises(LaoyouError) as ei:
        icc(bad, "target", "judge", "rating")
    assert "4" in ei.value.zh and "4" in ei.value.en and "J2" in ei.value.en
    assert_bilingual(ei.value)
    nan = sf_long.copy()
    nan.loc[(nan["target"] == 5) & (nan["judge"] == "J1"), "rating"] = np.nan
    with pytest.raises(LaoyouError, match="Target 5"):
        icc(nan, "target", "judge", "rating")


def test_icc_nan_policy_omit_matches_pingouin():
    """pingouin: intraclass_corr(data, targets, raters, ratings, nan_policy="omit") drops every
    target with a missing rating; ours does the same and says so."""
    rng = np.random.default_rng(12)
    n, k = 20, 4
    y = rng.standard_normal((n, 1)) * 1.5 + rng.standard_normal((1, k)) + rng.standard_normal((n, k))
    long = pd.DataFrame(y).rename_axis("t").reset_index().melt(id_vars="t", var_name="r", value_name="y")
    long.loc[[3, 27, 28, 61], "y"] = np.nan            # targets 3, 7, 8 (and 1) lose a rating
    long = long.drop(index=[45])                        # and target 5 has no row for rater 2
    ours = icc(long, "t", "r", "y", nan_policy="omit")
    ref = pg.intraclass_corr(data=long, targets="t", raters="r", ratings="y", nan_policy="omit")
    assert ours["icc"].to_numpy() == pytest.approx(ref["ICC"].to_numpy(), abs=1e-12)
    assert ours["f"].to_numpy() == pytest.approx(ref["F"].to_numpy(), abs=1e-10)
    assert ours["df2"].tolist() == ref["df2"].astype(int).tolist()
    dropped = 20 - int(ours.at[0, "n"])
    assert dropped == 5 and f"{dropped} target(s) with incomplete ratings left out" in words(ours.at[0, "note"])
    complete = long[~long["t"].isin([1, 3, 5, 7, 8])]
    assert ours["icc"].to_numpy() == pytest.approx(icc(complete, "t", "r", "y")["icc"].to_numpy())
    with pytest.raises(LaoyouError, match="nan_policy"):
        icc(long, "t", "r", "y")
    with pytest.raises(LaoyouError):
        icc(long, "t", "r", "y", nan_policy="drop")


def test_icc_duplicate_rating_is_error(sf_long):
    dup = pd.concat([sf_long, sf_long.iloc[[0]]])
    with pytest.raises(LaoyouError) as ei:
        icc(dup, "target", "judge", "rating")
    assert_bilingual(ei.value)


def test_icc_bad_columns(sf_long):
    with pytest.raises(LaoyouError) as ei:
        icc(sf_long, "target", "rater", "rating")
    assert_bilingual(ei.value)
    txt = sf_long.assign(rating=sf_long["rating"].astype(str) + "分")
    with pytest.raises(LaoyouError):
        icc(txt, "target", "judge", "rating")


# --------------------------------------------------------------------------------------------
# coder agreement (reference §5 rows 8 and 9)
# --------------------------------------------------------------------------------------------

def test_kappa_wikipedia_example():
    # 50 proposals: both yes 20, A yes/B no 5, A no/B yes 10, both no 15
    a = ["yes"] * 20 + ["yes"] * 5 + ["no"] * 10 + ["no"] * 15
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    row = agreement(a, b).iloc[0]
    assert list(agreement(a, b).columns) == [
        "percent_agreement", "cohen_kappa", "kappa_se", "kappa_ci_low", "kappa_ci_high",
        "krippendorff_alpha", "n", "n_units", "note"]
    p = np.array([[20, 5], [10, 15]]) / 50
    po, pe = np.trace(p), p.sum(axis=1) @ p.sum(axis=0)
    assert (po, pe) == pytest.approx((0.70, 0.50))
    assert row["percent_agreement"] == pytest.approx(0.70)
    assert row["cohen_kappa"] == pytest.approx((po - pe) / (1 - pe)) and round(row["cohen_kappa"], 2) == 0.40
    # Fleiss, Cohen & Everitt (1969) large-sample variance, written out
    kap = 0.4
    r, c = p.sum(axis=1), p.sum(axis=0)
    a_term = sum(p[i, i] * (1 - (r[i] + c[i]) * (1 - kap)) ** 2 for i in range(2))
    b_term = (1 - kap) ** 2 * sum(p[i, j] * (c[i] + r[j]) ** 2 for i in range(2) for j in range(2) if i != j)
    var = (a_term + b_term - (kap - pe * (1 - kap)) ** 2) / ((1 - pe) ** 2 * 50)
    assert row["kappa_se"] == pytest.approx(np.sqrt(var), rel=1e-12)
    z = stats.norm.ppf(0.975)
    assert (row["kappa_ci_low"], row["kappa_ci_high"]) == pytest.approx((kap - z * np.sqrt(var), kap + z * np.sqrt(var)))
    assert (row["n"], row["n_units"]) == (50, 50)


def test_kappa_matches_sklearn():
    import sklearn.metrics as sk
    rng = np.random.default_rng(4)
    a = rng.integers(1, 5, 80)
    b = np.where(rng.random(80) < 0.6, a, rng.integers(1, 5, 80))
    assert agreement(a, b).iloc[0]["cohen_kappa"] == pytest.approx(sk.cohen_kappa_score(a, b), abs=1e-12)


# Krippendorff (2011), 4 coders x 12 units (fast-krippendorff docstring); np.nan = not coded
KRIPP = np.array([
    [1, 2, 3, 3, 2, 1, 4, 1, 2, np.nan, np.nan, np.nan],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, np.nan, 3],
    [np.nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, np.nan],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, np.nan],
])


def kripp_nominal_by_hand(a, b) -> float:
    """Nominal alpha for two coders from the coincidence matrix (Krippendorff 2011)."""
    pairs = [(x, y) for x, y in zip(a, b) if not (pd.isna(x) or pd.isna(y))]
    cats = sorted({v for p in pairs for v in p})
    idx = {c: i for i, c in enumerate(cats)}
    o = np.zeros((len(cats), len(cats)))
    for x, y in pairs:  # each pairable unit has m_u = 2, weight 1/(m_u - 1) = 1
        o[idx[x], idx[y]] += 1
        o[idx[y], idx[x]] += 1
    nc = o.sum(axis=1)
    n = nc.sum()
    d_obs = o.sum() - np.trace(o)
    d_exp = (n * n - (nc**2).sum()) / (n - 1)
    return 1 - d_obs / d_exp


def test_krippendorff_published_4_coders():
    assert round(krippendorff.alpha(reliability_data=KRIPP, level_of_measurement="nominal"), 3) == 0.743


@pytest.mark.parametrize("i,j", [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)])
def test_agreement_two_coder_subsets_match_krippendorff(i, j):
    a, b = KRIPP[i], KRIPP[j]
    row = agreement(a, b).iloc[0]
    ref = krippendorff.alpha(reliability_data=np.vstack([a, b]), level_of_measurement="nominal")
    assert row["krippendorff_alpha"] == pytest.approx(ref, abs=1e-12)
    assert row["krippendorff_alpha"] == pytest.approx(kripp_nominal_by_hand(a, b), abs=1e-12)
    both = ~(np.isnan(a) | np.isnan(b))
    assert row["n"] == both.sum() and row["n_units"] == 12
    assert row["percent_agreement"] == pytest.approx((a[both] == b[both]).mean())


def test_agreement_two_coders_with_missing_series():
    a = pd.Series(["家庭", "朋友", "家庭", "工作", None, "朋友", "", "家庭", "工作", np.nan],
                  index=[f"r{i}" for i in range(10)])
    b = pd.Series(["家庭", "朋友", "朋友", "工作", "家庭", "朋友", "工作", " 家庭 ", None, "朋友"],
                  index=[f"r{i}" for i in range(10)])
    row = agreement(a, b).iloc[0]
    both = [0, 1, 2, 3, 5, 7]  # r7: " 家庭 " is stripped to "家庭"
    assert row["n"] == 6 and row["n_units"] == 10
    assert row["percent_agreement"] == pytest.approx(5 / 6)
    assert "4 unit(s) coded by one coder only (A 1, B 3)" in words(row["note"])
    # units coded by one coder are not pairable: alpha is the same without them
    a2, b2 = a.iloc[both], b.iloc[both].str.strip()
    assert row["krippendorff_alpha"] == pytest.approx(agreement(a2, b2).iloc[0]["krippendorff_alpha"])
    assert row["krippendorff_alpha"] == pytest.approx(kripp_nominal_by_hand(a2.tolist(), b2.tolist()))
    import sklearn.metrics as sk
    assert row["cohen_kappa"] == pytest.approx(sk.cohen_kappa_score(a2.tolist(), b2.tolist()), abs=1e-12)


def test_agreement_aligns_series_by_index():
    a = pd.Series([1, 2, 3, 1], index=["u1", "u2", "u3", "u4"])
    b = pd.Series([2, 2, 1, 9], index=["u3", "u2", "u1", "u5"])  # shuffled; u4, u5 one coder only
    row = agreement(a, b).iloc[0]
    assert (row["n"], row["n_units"]) == (3, 5)
    # by id: u1 1/1 agree, u2 2/2 agree, u3 3/2 disagree (by position u1..u3 would be 1/2, 2/2, 3/1)
    assert row["percent_agreement"] == pytest.approx(2 / 3)
    d = disagreements(a, b)
    assert d["unit"].tolist() == ["u3", "u4", "u5"]
    assert d["status"].tolist() == ["disagree", "only_a", "only_b"]
    assert d["code_a"].tolist() == [3, 1, None] and d["code_b"].tolist() == [2, None, 9]


def test_agreement_float_and_int_codes_are_the_same():
    a = pd.Series([1.0, 2.0, np.nan, 1.0])
    b = pd.Series([1, 2, 2, 2])
    row = agreement(a, b).iloc[0]
    assert row["n"] == 3 and row["percent_agreement"] == pytest.approx(2 / 3)


def test_agreement_undefined_cases_are_nan_with_note():
    row = agreement(["a", "a", "a"], ["a", "a", "a"]).iloc[0]
    assert row["percent_agreement"] == 1.0
    assert np.isnan(row["cohen_kappa"]) and np.isnan(row["krippendorff_alpha"])
    assert "p_e = 1" in words(row["note"])
    none = agreement(["a", None], [None, "b"]).iloc[0]
    assert none["n"] == 0 and np.isnan(none["percent_agreement"]) and "no unit coded by both" in words(none["note"])


def test_agreement_unequal_lengths_error():
    with pytest.raises(LaoyouError) as ei:
        agreement([1, 2, 3], [1, 2])
    assert_bilingual(ei.value)


def test_disagreements_lists_units_to_reconcile():
    a = pd.Series(["家庭", "朋友", "家庭", None, "工作", ""], index=["r1", "r2", "r3", "r4", "r5", "r6"])
    b = pd.Series(["家庭", "工作", None, "朋友", "工作", None], index=["r1", "r2", "r3", "r4", "r5", "r6"])
    d = disagreements(a, b)
    assert list(d.columns) == ["unit", "code_a", "code_b", "status"]
    assert d["unit"].tolist() == ["r2", "r3", "r4", "r6"]
    assert d["status"].tolist() == ["disagree", "only_a", "only_b", "uncoded"]
    assert d["code_a"].tolist() == ["朋友", "家庭", None, None]
    assert d["code_b"].tolist() == ["工作", None, "朋友", None]
    # the disagree rows are exactly the units behind percent agreement
    row = agreement(a, b).iloc[0]
    assert (d["status"] == "disagree").sum() == round(row["n"] * (1 - row["percent_agreement"]))


# --------------------------------------------------------------------------------------------
# bad input
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("func", [cronbach_alpha, item_analysis, omega_total])
def test_one_item_is_error(func):
    with pytest.raises(LaoyouError) as ei:
        func(pd.DataFrame({"q1": [1, 2, 3]}))
    assert_bilingual(ei.value)


@pytest.mark.parametrize("func", [cronbach_alpha, item_analysis, omega_total])
def test_all_nan_is_error(func):
    with pytest.raises(LaoyouError) as ei:
        func(pd.DataFrame({"q1": [np.nan] * 4, "q2": [np.nan] * 4}))
    assert_bilingual(ei.value)


@pytest.mark.parametrize("func", [cronbach_alpha, item_analysis, omega_total])
def test_non_numeric_column_is_error(func):
    data = pd.DataFrame({"q1": [1, 2, 3], "q2": ["经常", "有时", "从不"]})
    with pytest.raises(LaoyouError) as ei:
        func(data)
    assert_bilingual(ei.value)
    assert ei.value.column == "q2" and ei.value.row == 2


def test_other_bad_input():
    with pytest.raises(LaoyouError):
        cronbach_alpha(np.array([1, 2, 3]))  # 1-D
    with pytest.raises(LaoyouError):
        cronbach_alpha(np.array([["1", "a"], ["2", "b"]]))
    with pytest.raises(LaoyouError) as ei:
        cronbach_alpha(pd.DataFrame({"a": [1, np.nan, 3], "b": [np.nan, 2, 3]}))  # 1 complete row
    assert_bilingual(ei.value)
    with pytest.raises(LaoyouError):
        cronbach_alpha(pd.DataFrame({"a": [1, 2], "b": [2, 1]}), missing="mean")
    with pytest.raises(LaoyouError):
        cronbach_alpha(pd.DataFrame({"a": [1, 2], "b": [2, 1]}), ci_method="wald")
    with pytest.raises(LaoyouError):
        cronbach_alpha(pd.DataFrame({"a": [1, 2], "b": [2, 1]}), ci=95)
    with pytest.raises(LaoyouError):
        cronbach_alpha(pd.DataFrame({"a": [1, 2, np.inf], "b": [2, 1, 3]}))
