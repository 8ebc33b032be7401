"""Paired (before/after) analysis of one group: t interval, effect sizes that name their
variant, an exact Wilcoxon signed-rank test and the minimum detectable effect."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

from laoyou_eval.outcomes._common import check_choice, check_level, join_notes, pair, small_sample_notes

__all__ = ["paired", "mde_d_z", "power_d_z", "d_z_interval", "hedges_j", "wilcoxon_signed_rank",
           "PAIRED_COLUMNS", "EXACT_MAX_N", "ALTERNATIVES"]

PAIRED_COLUMNS = [
    "n", "n_pre_only", "n_post_only", "attrition", "mean_pre", "sd_pre", "mean_post", "sd_post",
    "r_pre_post", "mean_diff", "sd_diff", "diff_ci_low", "diff_ci_high", "t", "df", "p",
    "d_z", "d_z_ci_low", "d_z_ci_high", "d_rm", "d_av", "d_av_lakens", "hedges_j", "g_z",
    "wilcoxon_w", "wilcoxon_p", "wilcoxon_method", "n_zero_diff", "rank_biserial",
    "shapiro_w", "shapiro_p", "mde_d_z", "ci_level", "alternative", "note",
]
#: Alternative hypotheses about the mean of D = post − pre (R's and scipy's names).
ALTERNATIVES = ("two-sided", "less", "greater")
_ZERO_METHODS = ("wilcox", "pratt")
_WILCOXON_METHODS = ("exact", "asymptotic")
#: Most differences for the exact Wilcoxon distribution: its cost grows as n³ (0.6 s at
#: 1,000, 8 s at 2,000, a terabyte of memory at a million), and beyond this the normal
#: approximation agrees with it to a few percent of p.
EXACT_MAX_N = 1000


def hedges_j(df: float) -> float:
    """Exact small-sample correction J(df) = Γ(df/2) / (√(df/2) · Γ((df−1)/2)).

    Parameters
    ----------
    df : float
        Degrees of freedom (n − 1 for paired data).

    Returns
    -------
    float
        J, NaN for df < 2 (the correction is not defined there).

    References
    ----------
    Hedges, L. V. (1981). Distribution theory for Glass's estimator of effect size and
    related estimators. *Journal of Educational Statistics, 6*(2), 107–128.
    https://doi.org/10.3102/10769986006002107

    Examples
    --------
    >>> round(hedges_j(9), 5)
    0.91387
    """
    if not np.isfinite(df) or df < 2:
        return float("nan")
    return float(np.exp(special.gammaln(df / 2) - 0.5 * np.log(df / 2) - special.gammaln((df - 1) / 2)))


def power_d_z(d_z: float, n: int, alpha: float = 0.05, alternative: str = "two-sided") -> float:
    """Power of the paired t test for a true standardised mean difference ``d_z``.

    Parameters
    ----------
    d_z : float
        True mean difference divided by the SD of the differences.
    n : int
        Number of pairs.
    alpha : float, default 0.05
        Significance level.
    alternative : {"two-sided", "less", "greater"}, default "two-sided"
        The alternative of the test (about the mean of post − pre, see :func:`paired`).

    Returns
    -------
    float
        Power (NaN for n < 2).

    Notes
    -----
    Noncentral t with df = n − 1 and noncentrality λ = d_z·√n, all tails computed with
    ``nct.sf`` (P(T < −c | λ) = P(T > c | −λ)), which stays finite at large λ where
    ``nct.cdf`` returns NaN (pingouin#477):

    * two-sided: P(T > t₁₋α/₂ | λ) + P(T < −t₁₋α/₂ | λ);
    * greater: P(T > t₁₋α | λ);  less: P(T < −t₁₋α | λ).

    Examples
    --------
    >>> round(power_d_z(0.6604, 20), 3)
    0.8
    >>> round(power_d_z(0.5, 20, alternative="greater"), 4)  # pingouin power_ttest(0.5, 20, contrast="paired", alternative="greater")
    0.6951
    """
    check_choice(alternative, ALTERNATIVES, "alternative")
    if n < 2:
        return float("nan")
    df = n - 1
    lam = d_z * np.sqrt(n)
    if alternative == "two-sided":
        crit = stats.t.ppf(1 - alpha / 2, df)
        return float(stats.nct.sf(crit, df, lam) + stats.nct.sf(crit, df, -lam))
    crit = stats.t.ppf(1 - alpha, df)
    return float(stats.nct.sf(crit, df, lam if alternative == "greater" else -lam))


def mde_d_z(n: int, power: float = 0.80, alpha: float = 0.05, alternative: str = "two-sided") -> float:
    """Minimum detectable d_z: the smallest true |d_z| that a paired t test with ``n`` pairs
    detects with probability ``power`` at level ``alpha``.

    Parameters
    ----------
    n : int
        Number of pairs.
    power : float, default 0.80
        Required power.
    alpha : float, default 0.05
        Significance level.
    alternative : {"two-sided", "less", "greater"}, default "two-sided"
        One-sided tests detect the same |d_z| in their own direction ("less": d_z = −MDE).

    Returns
    -------
    float
        The minimum detectable |d_z| (NaN for n < 2), found by root-finding on
        :func:`power_d_z`.

    Notes
    -----
    This is a planning quantity for the sample at hand.  It replaces "achieved" (post-hoc)
    power, which is a transformation of the p value and says nothing new.

    Examples
    --------
    >>> round(mde_d_z(20), 4)        # pingouin power_ttest(n=20, power=.8, contrast="paired")
    0.6604
    """
    check_level(power, "power")
    check_level(alpha, "alpha")
    check_choice(alternative, ALTERNATIVES, "alternative")
    if n < 2:
        return float("nan")
    side = "two-sided" if alternative == "two-sided" else "greater"  # symmetric in the direction

    def shortfall(d):
        return power_d_z(d, n, alpha, side) - power

    high = 1.0
    while shortfall(high) < 0:
        high *= 2
    return float(optimize.brentq(shortfall, 1e-9, high, xtol=1e-12))


def _nct_cdf(t: float, df: float, lam: float) -> float:
    """P(T ≤ t | df, λ), computed as P(T ≥ −t | −λ) with ``nct.sf``: scipy's ``nct.cdf``
    returns NaN in parts of the (t, λ) plane (e.g. t = −9, λ = 8, df = 1) where ``sf`` does
    not.  When both fail, the far tail is 0 or 1 depending on which side λ lies."""
    value = stats.nct.sf(-t, df, -lam)
    if np.isnan(value):
        value = stats.nct.cdf(t, df, lam)
    if np.isnan(value):
        value = 0.0 if lam > t else 1.0
    return float(value)


def d_z_interval(t: float, n: int, ci: float = 0.95) -> tuple[float, float]:
    """Exact confidence interval of d_z by inverting the noncentral t distribution.

    Parameters
    ----------
    t : float
        Observed paired t statistic.
    n : int
        Number of pairs (df = n − 1).
    ci : float, default 0.95
        Confidence level.

    Returns
    -------
    (float, float)
        Lower and upper limit of d_z; NaN for n < 2 or a non-finite t.

    Notes
    -----
    Finds λ_low and λ_high with P(T ≤ t_obs | df = n−1, λ_low) = (1+ci)/2 and
    P(T ≤ t_obs | λ_high) = (1−ci)/2, then returns (λ_low/√n, λ_high/√n)
    (Steiger & Fouladi, 1997; Cumming & Finch, 2001).

    Examples
    --------
    >>> [round(x, 3) for x in d_z_interval(-4.062128, 10)]
    [-2.118, -0.415]
    """
    if n < 2 or not np.isfinite(t):
        return float("nan"), float("nan")
    df = n - 1

    def solve(target: float) -> float:
        def f(lam):
            return _nct_cdf(t, df, lam) - target
        low, high = t - 10.0, t + 10.0
        while f(low) < 0:
            low -= 10.0
        while f(high) > 0:
            high += 10.0
        return optimize.brentq(f, low, high, xtol=1e-12)

    return float(solve((1 + ci) / 2) / np.sqrt(n)), float(solve((1 - ci) / 2) / np.sqrt(n))


def _signed_rank_distribution(doubled_ranks: np.ndarray) -> np.ndarray:
    """P(S = s) for S = Σ Bᵢ·rᵢ' with Bᵢ ~ Bernoulli(½) and integer rᵢ' (= 2 × mid-rank)."""
    dist = np.zeros(int(doubled_ranks.sum()) + 1)
    dist[0] = 1.0
    top = 0
    for r in doubled_ranks.astype(int):  # in place, over the support reached so far (overlap is safe in NumPy)
        dist[r:top + r + 1] += dist[:top + 1]
        dist[:top + r + 1] *= 0.5
        top += r
    return dist


def wilcoxon_signed_rank(diff, zero_method: str = "wilcox", method: str = "exact",
                         alternative: str = "two-sided") -> dict:
    """Wilcoxon signed-rank test of differences ``diff`` (post − pre) against 0.

    Parameters
    ----------
    diff : array-like
        Paired differences (NaN not allowed).
    zero_method : {"wilcox", "pratt"}
        ``"wilcox"`` drops zero differences before ranking (Wilcoxon 1945; R's
        ``wilcox.test``); ``"pratt"`` ranks them with the others and then drops their ranks
        (Pratt 1959).
    method : {"exact", "asymptotic"}
        ``"exact"``: the exact permutation (sign-flipping) distribution of W₊ given the
        mid-ranks, so ties and zeros are handled exactly; with more than
        :data:`EXACT_MAX_N` differences the normal approximation is used instead (said in
        ``method``).  ``"asymptotic"``: normal approximation with the tie-corrected variance
        and a continuity correction of ½, as R ``wilcox.test`` uses when there are ties or
        zeros.
    alternative : {"two-sided", "less", "greater"}, default "two-sided"
        "greater": the differences tend to be positive (p = P(W₊ ≥ w)); "less": negative
        (p = P(W₊ ≤ w)); "two-sided": twice the smaller tail, at most 1.

    Returns
    -------
    dict
        ``w`` (W₊, the sum of ranks of positive differences = R's V), ``p`` (of ``alternative``),
        ``n_used`` (differences ranked and kept), ``n_zero``, ``rank_biserial`` (Kerby's
        matched-pairs r = (W₊ − W₋)/(W₊ + W₋)), ``method`` (the method used:
        ``"exact"`` or ``"asymptotic"``).

    References
    ----------
    Pratt, J. W. (1959). Remarks on zeros and ties in the Wilcoxon signed rank procedures.
    *Journal of the American Statistical Association, 54*(287), 655–667.
    https://doi.org/10.1080/01621459.1959.10501526

    Examples
    --------
    >>> res = wilcoxon_signed_rank([-1.2, -2.4, -1.3, -1.3, 0.0, -1.0, -1.8, -0.8, -4.6, -1.4])
    >>> res["w"], round(res["p"], 6), res["n_zero"]
    (0.0, 0.003906, 1)
    """
    check_choice(zero_method, _ZERO_METHODS, "zero_method")
    check_choice(method, _WILCOXON_METHODS, "wilcoxon_method")
    check_choice(alternative, ALTERNATIVES, "alternative")
    d = np.asarray(diff, dtype=float)
    zero = d == 0
    if zero_method == "wilcox":
        kept = d[~zero]
        ranks = stats.rankdata(np.abs(kept))
    else:
        ranks = stats.rankdata(np.abs(d))[~zero]
        kept = d[~zero]
    if method == "exact" and kept.size > EXACT_MAX_N:
        method = "asymptotic"
    out = {"n_used": int(kept.size), "n_zero": int(zero.sum()), "w": float("nan"), "p": float("nan"),
           "rank_biserial": float("nan"), "method": method}
    if kept.size == 0:
        return out
    w_plus = float(ranks[kept > 0].sum())
    w_minus = float(ranks[kept < 0].sum())
    out["w"] = w_plus
    out["rank_biserial"] = (w_plus - w_minus) / (w_plus + w_minus)
    if method == "exact":
        doubled = np.rint(2 * ranks).astype(int)
        dist = _signed_rank_distribution(doubled)
        s = int(round(2 * w_plus))
        lower, upper = dist[: s + 1].sum(), dist[s:].sum()
        p = {"two-sided": 2 * min(lower, upper), "less": lower, "greater": upper}[alternative]
    else:  # R wilcox.test: correction towards the mean, one side for one-sided tests
        mean, var = ranks.sum() / 2, (ranks ** 2).sum() / 4
        correction = {"two-sided": 0.5 * np.sign(w_plus - mean), "less": -0.5, "greater": 0.5}[alternative]
        z = (w_plus - mean - correction) / np.sqrt(var)
        p = {"two-sided": 2 * stats.norm.sf(abs(z)), "less": stats.norm.cdf(z),
             "greater": stats.norm.sf(z)}[alternative]
    out["p"] = float(min(1.0, p))
    return out


def paired(pre, post, *, ci: float = 0.95, zero_method: str = "wilcox", wilcoxon_method: str = "exact",
           power: float = 0.80, alpha: float = 0.05, alternative: str = "two-sided") -> pd.DataFrame:
    """Before/after comparison of one group: paired t, effect sizes, Wilcoxon, MDE.

    Parameters
    ----------
    pre, post : pandas.Series or array-like
        Scores before and after.  Two Series are matched **by index** (subject id): order
        does not matter, and subjects present in only one of them (or with a missing value)
        are counted in ``n_pre_only`` / ``n_post_only`` and listed in ``note``.  Other
        array-likes are paired by position.
    ci : float, default 0.95
        Confidence level of every interval.
    zero_method : {"wilcox", "pratt"}, default "wilcox"
        Treatment of zero differences in the Wilcoxon test (see
        :func:`wilcoxon_signed_rank`); their number is always reported in ``n_zero_diff``.
    wilcoxon_method : {"exact", "asymptotic"}, default "exact"
        Exact permutation distribution (ties and zeros handled exactly; up to
        :data:`EXACT_MAX_N` differences, beyond which the normal approximation is used and
        named) or R's normal approximation with continuity correction.
    power, alpha : float, default 0.80, 0.05
        Power and level for ``mde_d_z``.
    alternative : {"two-sided", "less", "greater"}, default "two-sided"
        Alternative hypothesis about the mean of D = post − pre: "greater" means scores
        go up, "less" that they go down (as R ``t.test(post, pre, paired = TRUE,
        alternative = ...)`` and scipy ``ttest_rel(post, pre, alternative=...)``).  It applies
        to ``p``, ``wilcoxon_p``, ``mde_d_z`` and the intervals, which become one-sided
        bounds (the other limit ∓inf), as in R.  Choose it before seeing the data.

    Returns
    -------
    pandas.DataFrame
        One row with columns

        - ``n`` – complete pairs analysed; ``n_pre_only``, ``n_post_only`` – subjects with
          only a pre (lost to follow-up) or only a post value; ``attrition`` –
          n_pre_only / (subjects with a pre value).
        - ``mean_pre``, ``sd_pre``, ``mean_post``, ``sd_post`` – of the complete pairs
          (SD with ddof = 1); ``r_pre_post`` – Pearson r between pre and post.
        - ``mean_diff``, ``sd_diff`` – mean and SD of D = post − pre; ``diff_ci_low``,
          ``diff_ci_high`` – t interval of the mean difference.
        - ``t``, ``df``, ``p`` – paired t test (of ``alternative``), df = n − 1.
        - ``d_z`` = M_D / SD_D = t/√n, with ``d_z_ci_low``, ``d_z_ci_high`` from the
          noncentral t.
        - ``d_rm`` = d_z·√(2(1 − r)) (repeated-measures d, Lakens 2013 eq. 9).
        - ``d_av`` = M_D / √((SD_pre² + SD_post²)/2) (Cumming 2012; what pingouin calls
          ``cohen_d`` for paired data).
        - ``d_av_lakens`` = M_D / ((SD_pre + SD_post)/2) (Lakens 2013 eq. 10).
        - ``hedges_j`` – exact J(df = n − 1); ``g_z`` = J·d_z.
        - ``wilcoxon_w`` – W₊ (sum of the ranks of positive differences, R's V);
          ``wilcoxon_p`` – of ``alternative``; ``wilcoxon_method`` – ``"exact"`` or
          ``"asymptotic"``, with the zero method, e.g. ``"exact (wilcox)"``;
          ``n_zero_diff`` – zero differences; ``rank_biserial`` – matched-pairs
          rank-biserial r = (W₊ − W₋)/(W₊ + W₋) (Kerby 2014).
        - ``shapiro_w``, ``shapiro_p`` – Shapiro–Wilk test of the differences.
        - ``mde_d_z`` – minimum detectable |d_z| at ``power`` and level ``alpha`` for this
          n; never "achieved power".
        - ``ci_level`` – the confidence level; ``alternative`` – the alternative tested.
        - ``note`` – unmatched subjects, why a value is NaN, small-sample and attrition
          caveats, in the report language.

    Notes
    -----
    D = post − pre, so a negative ``mean_diff`` means scores went down.  t = M_D/(SD_D/√n);
    the interval is M_D ± t₁₋γ/₂(n−1)·SD_D/√n.  The exact d_z interval inverts the
    noncentral t: λ with P(T ≤ t | λ) = (1 ± ci)/2, divided by √n.  Hedges'
    J(df) = Γ(df/2)/(√(df/2)Γ((df−1)/2)) with df = n − 1, the df of the paired test.
    pingouin (0.6, 0.7) instead applies 1 − 3/(4(n₁+n₂) − 9), the between-groups
    correction, to d_av; and reports post-hoc power computed from d_av although its paired
    power function expects d_z (see the tests).

    Missing data: only complete pairs are analysed (valid if data are missing completely at
    random); every other subject is counted and listed in ``note``.  Undefined statistics
    (n < 2, zero variance of the differences, fewer than 3 pairs for Shapiro–Wilk) are NaN
    with a note.  With n < 15 or attrition above 20 % a plain-language caveat is added.

    References
    ----------
    Lakens, D. (2013). Calculating and reporting effect sizes to facilitate cumulative
    science: A practical primer for t-tests and ANOVAs. *Frontiers in Psychology, 4*, 863.
    https://doi.org/10.3389/fpsyg.2013.00863

    Cumming, G., & Finch, S. (2001). A primer on the understanding, use, and calculation of
    confidence intervals that are based on central and noncentral distributions.
    *Educational and Psychological Measurement, 61*(4), 532–574.
    https://doi.org/10.1177/0013164401614002

    Kerby, D. S. (2014). The simple difference formula: An approach to teaching
    nonparametric correlation. *Comprehensive Psychology, 3*, 11.IT.3.1.
    https://doi.org/10.2466/11.IT.3.1

    Hedges, L. V. (1981). Distribution theory for Glass's estimator of effect size and
    related estimators. *Journal of Educational Statistics, 6*(2), 107–128.
    https://doi.org/10.3102/10769986006002107

    Examples
    --------
    >>> import pandas as pd
    >>> from laoyou_eval import outcomes
    >>> before = pd.Series([1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4], index=range(1, 11))
    >>> after = pd.Series([0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0], index=range(1, 11))
    >>> res = outcomes.paired(before, after)
    >>> res[["n", "t", "df", "d_z", "g_z"]].round(3).iloc[0].tolist()
    [10.0, -4.062, 9.0, -1.285, -1.174]
    """
    ci = check_level(ci)
    check_choice(zero_method, _ZERO_METHODS, "zero_method")
    check_choice(wilcoxon_method, _WILCOXON_METHODS, "wilcoxon_method")
    check_choice(alternative, ALTERNATIVES, "alternative")
    pairs = pair(pre, post)
    x, y = pairs.values
    d = y - x
    n = int(d.size)
    notes = pairs.notes()
    row = dict.fromkeys(PAIRED_COLUMNS, float("nan"))
    row.update(n=n, n_pre_only=len(pairs.pre_only), n_post_only=len(pairs.post_only),
               attrition=pairs.attrition, ci_level=ci, alternative=alternative,
               wilcoxon_method=f"{wilcoxon_method} ({zero_method})", n_zero_diff=int((d == 0).sum()))
    if n == 0:
        row["note"] = join_notes(notes + ["no_complete_pairs"])
        return pd.DataFrame([row], columns=PAIRED_COLUMNS)
    row.update(mean_pre=x.mean(), mean_post=y.mean(), mean_diff=d.mean())
    if n >= 2:
        sd_pre, sd_post, sd_d = x.std(ddof=1), y.std(ddof=1), d.std(ddof=1)
        row.update(sd_pre=sd_pre, sd_post=sd_post, sd_diff=sd_d, df=n - 1)
        r = np.corrcoef(x, y)[0, 1] if sd_pre > 0 and sd_post > 0 else float("nan")
        row["r_pre_post"] = r
        if sd_d > 0:
            se = sd_d / np.sqrt(n)
            t = d.mean() / se
            d_z = d.mean() / sd_d
            level = ci if alternative == "two-sided" else 2 * ci - 1  # a one-sided bound is one limit of this interval
            half = stats.t.ppf((1 + level) / 2, n - 1) * se
            low, high = d_z_interval(t, n, level)
            diff_low, diff_high = d.mean() - half, d.mean() + half
            if alternative == "less":
                low = diff_low = -np.inf
            elif alternative == "greater":
                high = diff_high = np.inf
            p_value = {"two-sided": 2 * stats.t.sf(abs(t), n - 1), "less": stats.t.cdf(t, n - 1),
                       "greater": stats.t.sf(t, n - 1)}[alternative]
            j = hedges_j(n - 1)
            row.update(diff_ci_low=diff_low, diff_ci_high=diff_high, t=t,
                       p=p_value, d_z=d_z, d_z_ci_low=low, d_z_ci_high=high,
                       d_rm=d_z * np.sqrt(2 * (1 - r)) if np.isfinite(r) else float("nan"),
                       hedges_j=j, g_z=j * d_z)
            if n == 2:
                notes.append("hedges_j_n2")
        else:
            notes.append("constant_differences")
        if sd_pre + sd_post > 0:
            row.update(d_av=d.mean() / np.sqrt((sd_pre ** 2 + sd_post ** 2) / 2),
                       d_av_lakens=d.mean() / ((sd_pre + sd_post) / 2))
        if n >= 3 and np.ptp(d) > 0:
            with warnings.catch_warnings():  # said in the note instead
                warnings.filterwarnings("ignore", message=".*N > 5000", category=UserWarning)
                sw = stats.shapiro(d)
            row.update(shapiro_w=float(sw.statistic), shapiro_p=float(sw.pvalue))
            if n > 5000:
                notes.append("shapiro_approximate")
        else:
            notes.append("shapiro_needs_3")
        row["mde_d_z"] = mde_d_z(n, power, alpha, alternative)
    else:
        notes.append("single_pair")
    w = wilcoxon_signed_rank(d, zero_method, wilcoxon_method, alternative)
    row.update(wilcoxon_w=w["w"], wilcoxon_p=w["p"], rank_biserial=w["rank_biserial"],
               wilcoxon_method=f"{w['method']} ({zero_method})")
    if w["method"] != wilcoxon_method:
        notes.append(f"wilcoxon_normal_approximation={EXACT_MAX_N}")
    if w["n_used"] == 0:
        notes.append("all_differences_zero")
    elif row["n_zero_diff"]:
        notes.append(f"zero_differences={row['n_zero_diff']} ({zero_method})")
    notes += small_sample_notes(n, pairs.attrition)
    row["note"] = join_notes(notes)
    return pd.DataFrame([row], columns=PAIRED_COLUMNS)
