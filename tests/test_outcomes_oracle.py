"""Before/after outcomes against published values (reference scoring_and_prepost.md §5) and
pins of the places where peer tools are wrong (§3)."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from laoyou_eval import outcomes
from laoyou_eval.i18n import explain, set_language


@pytest.fixture(autouse=True)
def english():
    set_language("en")
    yield
    set_language("zh")


# R `sleep` (Student 1908): extra hours of sleep of 10 patients under two drugs.
SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]


@pytest.fixture
def sleep():
    """paired(pre = group 2, post = group 1), so D = group 1 − group 2 as in R's t.test(x = group 1)."""
    ids = [f"P{i:02d}" for i in range(1, 11)]
    return outcomes.paired(pd.Series(SLEEP_2, index=ids), pd.Series(SLEEP_1, index=ids)).iloc[0]


def test_sleep_t_test_matches_r(sleep):
    assert sleep["n"] == 10 and sleep["df"] == 9
    assert sleep["t"] == pytest.approx(-4.0621, abs=1e-4)
    assert sleep["p"] == pytest.approx(0.002833, abs=1e-6)
    assert sleep["mean_diff"] == pytest.approx(-1.58, abs=1e-12)
    assert sleep["diff_ci_low"] == pytest.approx(-2.4599, abs=1e-4)
    assert sleep["diff_ci_high"] == pytest.approx(-0.7001, abs=1e-4)


def test_sleep_every_effect_size_variant(sleep):
    assert sleep["d_z"] == pytest.approx(-1.2846, abs=1e-4)
    assert sleep["d_rm"] == pytest.approx(-0.8222, abs=1e-4)
    assert sleep["d_av"] == pytest.approx(-0.8322, abs=1e-4)
    assert sleep["d_av_lakens"] == pytest.approx(-0.8335, abs=1e-4)
    assert sleep["hedges_j"] == pytest.approx(0.91387, abs=1e-5)
    assert sleep["g_z"] == pytest.approx(-1.1739, abs=1e-4)
    assert sleep["d_z_ci_low"] == pytest.approx(-2.118, abs=1e-3)
    assert sleep["d_z_ci_high"] == pytest.approx(-0.415, abs=1e-3)
    assert sleep["rank_biserial"] == -1.0


def test_sleep_wilcoxon(sleep):
    # one zero difference (patient 5) and a tie (−1.3 twice): V = 0 either way
    assert sleep["wilcoxon_w"] == 0 and sleep["n_zero_diff"] == 1
    # exact permutation distribution over the 9 non-zero differences: only the all-negative
    # sign pattern reaches W+ = 0, so p = 2 / 2^9 (scipy and pingouin agree)
    assert sleep["wilcoxon_p"] == pytest.approx(2 / 2 ** 9, abs=1e-12)
    assert sleep["wilcoxon_method"] == "exact (wilcox)"
    assert "zero difference" in explain(sleep["note"])
    # R wilcox.test: normal approximation with continuity correction, zero dropped
    r = outcomes.paired(SLEEP_2, SLEEP_1, wilcoxon_method="asymptotic").iloc[0]
    assert r["wilcoxon_w"] == 0
    assert r["wilcoxon_p"] == pytest.approx(0.009091, abs=1e-6)


def test_sleep_report_sentence(sleep):
    assert outcomes.sentences.apa_t(sleep) == "t(9) = −4.06, p = .003, d_z = −1.28, 95% CI [−2.12, −0.41]"


def test_sleep_against_pingouin():
    import pingouin as pg
    res = outcomes.paired(SLEEP_2, SLEEP_1).iloc[0]
    assert res["d_z"] == pytest.approx(pg.compute_effsize(SLEEP_1, SLEEP_2, paired=True, eftype="cohen_dz"))
    assert res["d_av"] == pytest.approx(pg.compute_effsize(SLEEP_1, SLEEP_2, paired=True, eftype="cohen"))
    assert res["wilcoxon_p"] == pytest.approx(float(pg.wilcoxon(SLEEP_1, SLEEP_2)["p_val"].iloc[0]))


@pytest.mark.parametrize("n, expected", [(8, 1.16), (10, 1.00), (12, 0.89), (15, 0.78), (20, 0.66), (30, 0.53)])
def test_minimum_detectable_d_z_table(n, expected):
    assert outcomes.mde_d_z(n) == pytest.approx(expected, abs=0.005)


def test_minimum_detectable_d_z_matches_pingouin_docstring():
    # pingouin.power_ttest(n=20, power=0.8, contrast="paired") -> d = 0.6604
    assert outcomes.mde_d_z(20) == pytest.approx(0.6604, abs=1e-4)
    import pingouin as pg
    assert outcomes.mde_d_z(20) == pytest.approx(pg.power_ttest(n=20, power=0.8, contrast="paired"), abs=1e-6)
    assert outcomes.power_d_z(0.6604, 20) == pytest.approx(0.80, abs=1e-4)


def test_power_does_not_return_nan_at_large_noncentrality():
    # scipy's nct.cdf returns NaN here (pingouin#477); power must be 1, not NaN
    assert outcomes.power_d_z(60.0, 3) == pytest.approx(1.0)
    assert np.isfinite(outcomes.mde_d_z(2))


# --- where pingouin is wrong for paired data --------------------------------------------------

PG_PRE = [5.5, 2.4, 6.8, 9.6, 4.2]
PG_POST = [6.4, 3.4, 6.4, 11.0, 4.8]


def test_pingouin_paired_power_is_computed_from_d_av():
    """pingouin.ttest(paired=True) feeds d_av into a power function that expects d_z."""
    import pingouin as pg
    ours = outcomes.paired(PG_PRE, PG_POST).iloc[0]
    theirs = pg.ttest(PG_PRE, PG_POST, paired=True, alternative="less").iloc[0]
    assert theirs["cohen_d"] == pytest.approx(abs(ours["d_av"]))          # 0.25
    assert ours["d_z"] == pytest.approx(1.03, abs=0.005)
    wrong = pg.power_ttest(d=abs(ours["d_av"]), n=5, contrast="paired", alternative="greater")
    right = pg.power_ttest(d=abs(ours["d_z"]), n=5, contrast="paired", alternative="greater")
    assert theirs["power"] == pytest.approx(wrong) and round(theirs["power"], 2) == 0.12
    assert right == pytest.approx(0.60, abs=0.005)
    # we report the minimum detectable d_z, never an "achieved power"
    assert "power" not in outcomes.paired(PG_PRE, PG_POST).columns
    assert ours["mde_d_z"] == pytest.approx(outcomes.mde_d_z(5))


def test_pingouin_paired_hedges_uses_between_groups_df():
    """pingouin: g = d_av·(1 − 3/(4(n₁+n₂) − 9)); correct for paired data: J(df = n − 1)·d_z."""
    import pingouin as pg
    res = outcomes.paired(SLEEP_2, SLEEP_1).iloc[0]
    theirs = pg.compute_effsize(SLEEP_1, SLEEP_2, paired=True, eftype="hedges")
    assert theirs == pytest.approx(res["d_av"] * (1 - 3 / (4 * 20 - 9)))
    assert res["hedges_j"] == pytest.approx(0.91387, abs=1e-5)
    assert res["hedges_j"] != pytest.approx(1 - 3 / (4 * 20 - 9), abs=1e-3)
    assert res["g_z"] == pytest.approx(res["hedges_j"] * res["d_z"])


# --- reliable change -------------------------------------------------------------------------

def test_claus_2020_closed_form_from_summary_statistics():
    """clinicalsignificance's claus_2020 (BDI, lower is better): the published summary statistics
    (n = 40, SD_pre 8.1586, r_xx .801, M_pre 35.475) give the closed-form values; the per-person
    counts on the data themselves are in test_outcomes_change_peers.py."""
    any_pre, any_post = pd.Series([30.0, 40.0, 36.0]), pd.Series([20.0, 41.0, 30.0])
    p = outcomes.rci_parameters(any_pre, any_post, sd=8.1586, reliability=0.801, higher_is="worse").iloc[0]
    assert p["sem"] == pytest.approx(3.6395, abs=1e-4)
    assert p["s_diff"] == pytest.approx(5.1471, abs=1e-4)
    assert p["mdc"] == pytest.approx(10.09, abs=0.005)
    cut = outcomes.jt_cutoffs(35.475, 8.1586, 7.69, 7.52, higher_is="worse").set_index("cutoff")["value"]
    assert cut["a"] == pytest.approx(19.16, abs=0.005)


def test_cutoff_b_uses_the_functional_sd_unlike_clinicalsignificance():
    """JT (1991) and clinicalsignificance's own manual: b = M_func ∓ 2·SD_func.
    clinicalsignificance 3.0 R/calc_cutoff.R computes m_functional − direction·2·sd_clinical."""
    cut = outcomes.jt_cutoffs(35.475, 8.1586, 7.69, 7.52, higher_is="worse").set_index("cutoff")["value"]
    assert cut["b"] == pytest.approx(7.69 + 2 * 7.52)               # 22.73
    clinicalsignificance_b = 7.69 + 2 * 8.1586                       # 24.01
    assert abs(cut["b"] - clinicalsignificance_b) > 1.2
    better = outcomes.jt_cutoffs(20.0, 5.0, 40.0, 4.0, higher_is="better").set_index("cutoff")["value"]
    assert better["a"] == 30.0 and better["b"] == 32.0
    assert better["c"] == pytest.approx((5 * 40 + 4 * 20) / 9)


def test_evans_margison_barkham_threshold_and_cutoff_c():
    # Evans, Margison & Barkham (1998): SD_pre .53, alpha .89, M_pre 1.81, M_func .72, SD_func .57
    p = outcomes.rci_parameters([1.5, 2.0, 1.9], [1.0, 1.8, 2.0], sd=0.53, reliability=0.89,
                                higher_is="worse").iloc[0]
    assert p["mdc"] == pytest.approx(0.487, abs=5e-4)
    cut = outcomes.jt_cutoffs(1.81, 0.53, 0.72, 0.57, higher_is="worse").set_index("cutoff")["value"]
    assert cut["c"] == pytest.approx(1.285, abs=5e-4)


# Jacobson & Truax (1991) Table 2: Dyadic Adjustment Scale of 30 couples (higher is better),
# as distributed with AWKruijt/JT-RCI (data/J&T 1991 table2 DAS data.csv).
DAS = """pre,post
90.5,97
74,124
97,97.5
73.5,88
61,96.5
66.5,62.5
68.5,112.5
86.5,103.5
88.5,90
68.5,82.5
98,105
80.5,99.5
89.5,112.5
91.5,101
83.5,99.5
60.5,79.5
83,88
88,100.5
98.5,119
78.5,116
99.5,116
79.5,129
84.5,113
92.5,118
93,92
85,114
64,68
61,52
80,60.5
82.5,104.5"""


def test_jacobson_truax_1991_dyadic_adjustment_data():
    das = pd.read_csv(io.StringIO(DAS))
    rc = outcomes.reliable_change(das["pre"], das["post"], reliability=0.84, higher_is="better", cutoff="a")
    p = rc.attrs["parameters"]
    assert p["sd"] == pytest.approx(11.826, abs=5e-4)
    assert p["s_diff"] == pytest.approx(6.690, abs=5e-4)
    assert p["cutoff"] == pytest.approx(105.23, abs=0.005)
    counts = outcomes.category_counts(rc).set_index("category")["n"]
    assert counts["recovered"] == 10
    assert counts["recovered"] + counts["improved"] == 18
    assert counts["unchanged"] == 11 and counts["deteriorated"] == 1 and counts["harmed"] == 0


# --- comparison group ----------------------------------------------------------------------

def card_krueger_table() -> pd.DataFrame:
    """A small balanced panel whose means are Card & Krueger's (1994) FTE employment means:
    Pennsylvania 23.33 → 21.17, New Jersey 20.44 → 21.03."""
    spread = np.array([-3.0, -1.0, 1.0, 3.0])
    rows = []
    for state, (pre, post), arm in (("NJ", (20.44, 21.03), "programme"), ("PA", (23.33, 21.17), "comparison")):
        for k, s in enumerate(spread):
            store = f"{state}{k}"
            rows += [{"store": store, "wave": 1, "state": arm, "fte": pre + s},
                     {"store": store, "wave": 2, "state": arm, "fte": post + 0.5 * s + (0.2 if k % 2 else -0.2)}]
    return pd.DataFrame(rows)


def test_card_krueger_difference_in_differences():
    table = card_krueger_table()
    means = table.groupby(["state", "wave"])["fte"].mean().round(2)
    assert means[("comparison", 1)] == 23.33 and means[("comparison", 2)] == 21.17
    assert means[("programme", 1)] == 20.44 and means[("programme", 2)] == 21.03
    res = outcomes.did(table, "fte", "state", "wave", "store").iloc[0]
    assert res["estimate"] == pytest.approx(2.75, abs=1e-10)      # published 2.76 from unrounded means
    assert res["n_treated"] == 4 and res["n_comparison"] == 4
    assert res["change_treated"] == pytest.approx(0.59) and res["change_comparison"] == pytest.approx(-2.16)
    assert res["ci_low"] < 2.75 < res["ci_high"]


def test_holm_and_benjamini_hochberg_match_statsmodels():
    from statsmodels.stats.multitest import multipletests

    p = np.array([0.01, 0.04, 0.03, 0.005, 0.2, np.nan, 0.049])
    ok = ~np.isnan(p)
    for ours, theirs in (("holm", "holm"), ("bh", "fdr_bh")):
        adjusted = outcomes.adjust_p(p, ours)
        assert np.isnan(adjusted[~ok]).all()
        np.testing.assert_allclose(adjusted[ok], multipletests(p[ok], method=theirs)[1])


# --- one-sided tests -----------------------------------------------------------------------

def test_one_sided_paired_t_on_sleep_matches_r():
    """R: t.test(sleep$extra[1:10], sleep$extra[11:20], paired = TRUE, alternative = "less")
    → t = −4.0621, p = 0.001416, 95 % CI (−Inf, −0.8670); "greater" → p = 0.9986.
    (The values .97084 / .02916 quoted in issue 17 are not this test: with t = −4.0621 on 9 df
    the one-sided p values are pt(−4.0621, 9) = .001416 and 1 − that.)"""
    from scipy import stats

    ids = [f"P{i:02d}" for i in range(1, 11)]
    pre, post = pd.Series(SLEEP_2, index=ids), pd.Series(SLEEP_1, index=ids)
    less = outcomes.paired(pre, post, alternative="less").iloc[0]
    greater = outcomes.paired(pre, post, alternative="greater").iloc[0]
    two = outcomes.paired(pre, post).iloc[0]
    assert less["p"] == pytest.approx(0.001416, abs=1e-6) and greater["p"] == pytest.approx(0.998584, abs=1e-6)
    assert less["p"] == pytest.approx(stats.t.cdf(two["t"], 9)) and less["p"] == pytest.approx(two["p"] / 2)
    scipy_less = stats.ttest_rel(SLEEP_1, SLEEP_2, alternative="less")
    assert less["p"] == pytest.approx(scipy_less.pvalue) and less["t"] == pytest.approx(scipy_less.statistic)
    # one-sided bound: M_D + t_.95(9)·SD_D/√n
    d = np.array(SLEEP_1) - np.array(SLEEP_2)
    bound = d.mean() + stats.t.ppf(0.95, 9) * d.std(ddof=1) / np.sqrt(10)
    assert less["diff_ci_high"] == pytest.approx(bound) and bound == pytest.approx(-0.8670, abs=1e-4)
    assert less["diff_ci_low"] == -np.inf and greater["diff_ci_high"] == np.inf
    assert less["d_z_ci_low"] == -np.inf
    # the one-sided d_z bound is the upper limit of the 90 % two-sided interval
    assert less["d_z_ci_high"] == pytest.approx(outcomes.d_z_interval(two["t"], 10, 0.90)[1])
    assert less["alternative"] == "less" and two["alternative"] == "two-sided"
    # R: wilcox.test(..., paired = TRUE, alternative = "less") → V = 0, p = 0.004545 (normal approx.)
    w = outcomes.paired(pre, post, alternative="less", wilcoxon_method="asymptotic").iloc[0]
    assert w["wilcoxon_p"] == pytest.approx(0.004545, abs=1e-6)


def test_one_sided_wilcoxon_exact_matches_scipy():
    from scipy import stats

    d = np.array([1.5, -0.4, 2.2, 3.1, -1.7, 0.9, 2.8, 1.1, -0.2, 4.0, 0.6])
    for alternative in ("less", "greater", "two-sided"):
        ours = outcomes.wilcoxon_signed_rank(d, alternative=alternative)
        theirs = stats.wilcoxon(d, alternative=alternative, method="exact")
        assert ours["p"] == pytest.approx(theirs.pvalue, rel=1e-12), alternative


def test_one_sided_power_and_mde_match_pingouin_and_statsmodels():
    import pingouin as pg
    from statsmodels.stats.power import TTestPower

    # pingouin: power_ttest(d=0.5, n=20, contrast="paired", alternative="greater") = 0.6951
    assert outcomes.power_d_z(0.5, 20, alternative="greater") == pytest.approx(
        pg.power_ttest(0.5, 20, contrast="paired", alternative="greater"), rel=1e-9)
    assert outcomes.power_d_z(-0.5, 20, alternative="less") == pytest.approx(
        TTestPower().power(0.5, 20, 0.05, alternative="larger"), rel=1e-9)
    # pingouin: power_ttest(n=20, power=.8, contrast="paired", alternative="greater") = 0.5769
    assert outcomes.mde_d_z(20, alternative="greater") == pytest.approx(
        pg.power_ttest(None, 20, power=0.8, contrast="paired", alternative="greater"), rel=1e-6)
    assert outcomes.mde_d_z(20, alternative="less") == pytest.approx(outcomes.mde_d_z(20, alternative="greater"))
    assert outcomes.mde_d_z(20, alternative="greater") < outcomes.mde_d_z(20)
    with pytest.raises(Exception):
        outcomes.paired([1, 2, 3], [2, 3, 5], alternative="bigger")
