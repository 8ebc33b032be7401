"""Designs with a comparison group: difference-in-differences on change scores, ANCOVA as a
sensitivity analysis, Morris' d_ppc2, and standardised mean differences at baseline."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import stats

from laoyou_eval.outcomes._common import (
    check_columns,
    check_level,
    join_notes,
    small_sample_notes,
    statsmodels_note,
    to_float,
    wide_by_wave,
)

__all__ = ["did", "ancova", "morris_d_ppc2", "baseline_imbalance", "standardised_differences",
           "DID_COLUMNS", "ANCOVA_COLUMNS"]

DID_COLUMNS = ["estimate", "se", "ci_low", "ci_high", "t", "df", "p", "n_treated", "n_comparison",
               "change_treated", "change_comparison", "d_ppc2", "d_ppc2_ci_low", "d_ppc2_ci_high",
               "method", "ci_level", "note"]
ANCOVA_COLUMNS = ["estimate", "se", "ci_low", "ci_high", "t", "df", "p", "n_treated", "n_comparison",
                  "baseline_difference", "method", "ci_level", "note"]
MORRIS_COLUMNS = ["d_ppc2", "ci_low", "ci_high", "c_p", "sd_pre_pooled", "r_pooled", "n_treated",
                  "n_comparison", "note"]
SMD_STATISTICS = ("n", "mean", "sd")


def _complete_pairs(data, outcome, group, wave, subject, waves, treated):
    """Subjects with both waves (``pre``, ``post``, ``treated``), the notes on who was left out,
    and the numbers of complete treated and comparison subjects."""
    wide, _, _ = wide_by_wave(data, outcome, wave, subject, waves, group, treated)
    done, notes = _complete(wide)
    return done, notes, int(done["treated"].sum()), int((1 - done["treated"]).sum())


def _too_few_pairs() -> str:
    return "fewer_than_2_pairs_per_group"


def _complete(wide: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    ok = wide["pre"].notna() & wide["post"].notna()
    notes = []
    for arm, treated in (("programme", 1), ("comparison", 0)):
        lost = wide[(~ok) & (wide["treated"] == treated)]
        if len(lost):
            notes.append(f"one_wave_left_out={len(lost)} ({arm})")
    return wide[ok], notes


def _fit(formula: str, frame: pd.DataFrame, **fit_kwargs):
    """OLS fit; statsmodels warnings (e.g. few clusters) are returned as notes, not printed."""
    import statsmodels.formula.api as smf

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = smf.ols(formula, data=frame).fit(**fit_kwargs)
    return result, [str(w.message).splitlines()[0] for w in caught]


def morris_d_ppc2(data: pd.DataFrame, outcome: str, group: str, wave: str, subject: str, *,
                  waves=None, treated=None, ci: float = 0.95) -> pd.DataFrame:
    """Morris (2008) d_ppc2: the pretest–posttest–control effect size.

    Parameters
    ----------
    data : pandas.DataFrame
        Long data: one row per subject × wave with columns ``outcome``, ``group``, ``wave``,
        ``subject``.
    outcome, group, wave, subject : str
        Column names.
    waves : (pre, post), optional
        The two waves compared; default the first and last wave present.
    treated : optional
        Value of ``group`` for the treated arm; default ``"programme"`` when present.
    ci : float, default 0.95
        Confidence level.

    Returns
    -------
    pandas.DataFrame
        One row: ``d_ppc2``, ``ci_low``, ``ci_high`` (normal approximation with Morris'
        eq. 25 variance), ``c_p``, ``sd_pre_pooled``, ``r_pooled`` (pooled within-group
        pre–post r), ``n_treated``, ``n_comparison``, ``note``.

    Notes
    -----
    d_ppc2 = c_P·[(M_T,post − M_T,pre) − (M_C,post − M_C,pre)]/SD_pre,pooled with
    SD_pre,pooled = √(((n_T−1)s_T² + (n_C−1)s_C²)/(n_T + n_C − 2)) and
    c_P = 1 − 3/(4(n_T + n_C − 2) − 1).  Variance (eq. 25):
    2c_P²(1−ρ)·(N/(n_T n_C))·((N−2)/(N−4))·(1 + δ²/(2(1−ρ)N/(n_T n_C))) − δ², N = n_T + n_C.
    Complete pairs only (subjects without both waves are counted in ``note``).

    References
    ----------
    Morris, S. B. (2008). Estimating effect sizes from pretest-posttest-control group
    designs. *Organizational Research Methods, 11*(2), 364–386.
    https://doi.org/10.1177/1094428106291059

    Examples
    --------
    >>> import pandas as pd
    >>> from laoyou_eval import outcomes
    >>> long = pd.DataFrame({"id": [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6], "wave": [1, 2] * 6,
    ...     "arm": ["programme"] * 6 + ["comparison"] * 6,
    ...     "score": [10, 7, 12, 10, 9, 7, 11, 11, 10, 9, 12, 12]})
    >>> round(float(outcomes.morris_d_ppc2(long, "score", "arm", "wave", "id").d_ppc2[0]), 3)
    -1.239
    """
    ci = check_level(ci)
    done, notes, _, _ = _complete_pairs(data, outcome, group, wave, subject, waves, treated)
    return pd.DataFrame([_morris(done, ci, notes)], columns=MORRIS_COLUMNS)


def _morris(done: pd.DataFrame, ci: float, notes: list[str]) -> dict:
    t, c = done[done["treated"] == 1], done[done["treated"] == 0]
    n_t, n_c = len(t), len(c)
    row = dict.fromkeys(MORRIS_COLUMNS, np.nan)
    row.update(n_treated=n_t, n_comparison=n_c)
    if min(n_t, n_c) < 2 or n_t + n_c <= 4:
        row["note"] = join_notes(notes + ["too_few_per_group"])
        return row
    big_n = n_t + n_c
    sd_pooled = np.sqrt(((n_t - 1) * t["pre"].var() + (n_c - 1) * c["pre"].var()) / (big_n - 2))
    c_p = 1 - 3 / (4 * (big_n - 2) - 1)
    delta = c_p * ((t["post"] - t["pre"]).mean() - (c["post"] - c["pre"]).mean()) / sd_pooled
    # pooled within-group correlation of pre and post (Fisher-z weighted would differ little)
    centred = pd.concat([g[["pre", "post"]] - g[["pre", "post"]].mean() for g in (t, c)])
    rho = float(np.corrcoef(centred["pre"], centred["post"])[0, 1])
    k = big_n / (n_t * n_c)
    var = (2 * c_p ** 2 * (1 - rho) * k * (big_n - 2) / (big_n - 4) * (1 + delta ** 2 / (2 * (1 - rho) * k))
           - delta ** 2)
    half = stats.norm.ppf((1 + ci) / 2) * np.sqrt(var)
    row.update(d_ppc2=delta, ci_low=delta - half, ci_high=delta + half, c_p=c_p, sd_pre_pooled=sd_pooled,
               r_pooled=rho, note=join_notes(notes))
    return row


def _did_fit(done: pd.DataFrame, ci: float) -> tuple[dict, list[str]]:
    """β₃ of y ~ treated*post with SEs clustered by subject (see :func:`did`), for the
    complete pairs ``done`` (columns subject, pre, post, treated).  Returns the estimate,
    se, ci_low, ci_high, t, df, p and the statsmodels warnings as notes."""
    long = pd.concat([done.assign(y=done["pre"], post_wave=0), done.assign(y=done["post"], post_wave=1)])
    codes = pd.factorize(long["subject"])[0]
    fit, messages = _fit("y ~ treated * post_wave", long, cov_type="cluster", cov_kwds={"groups": codes},
                         use_t=True)
    term = "treated:post_wave"
    low, high = fit.conf_int(alpha=1 - ci).loc[term]
    row = {"estimate": float(fit.params[term]), "se": float(fit.bse[term]), "ci_low": float(low),
           "ci_high": float(high), "t": float(fit.tvalues[term]), "df": float(fit.df_resid_inference),
           "p": float(fit.pvalues[term])}
    return row, [statsmodels_note(m) for m in messages]


def did(data: pd.DataFrame, outcome: str, group: str, wave: str, subject: str, *, waves=None,
        treated=None, ci: float = 0.95) -> pd.DataFrame:
    """Difference-in-differences of a programme and a comparison group (two waves).

    Parameters
    ----------
    data : pandas.DataFrame
        Long data: one row per subject × wave.
    outcome, group, wave, subject : str
        Column names: the score, the arm, the wave and the subject id.
    waves : (pre, post), optional
        The two waves; default the first and last present.
    treated : optional
        The programme arm's value in ``group``; default ``"programme"`` when present.
    ci : float, default 0.95
        Confidence level.

    Returns
    -------
    pandas.DataFrame
        One row:

        - ``estimate`` – DiD = (Ȳ_T,post − Ȳ_T,pre) − (Ȳ_C,post − Ȳ_C,pre) in raw points;
        - ``se``, ``ci_low``, ``ci_high``, ``t``, ``df``, ``p`` – cluster-robust (by subject)
          standard error, t reference with df = clusters − 1;
        - ``n_treated``, ``n_comparison`` – subjects with both waves per arm;
        - ``change_treated``, ``change_comparison`` – mean change per arm;
        - ``d_ppc2``, ``d_ppc2_ci_low``, ``d_ppc2_ci_high`` – Morris' standardised DiD (see
          :func:`morris_d_ppc2`);
        - ``method`` – ``"ols y ~ treated*post, SE clustered by subject"``;
        - ``ci_level``, ``note`` (dropped subjects, statsmodels warnings, small-sample
          caveats).

    Notes
    -----
    β₃ of y ~ treated + post + treated:post fitted by OLS to the subjects observed at both
    waves, with CR1 standard errors clustered by subject (statsmodels
    ``cov_type="cluster"``).  With two waves and complete pairs β₃ equals the difference of
    the mean change scores, and the clustered SE is a heteroscedasticity-robust SE of that
    difference (close to Welch's).  Subjects observed once are left out and counted in
    ``note`` (complete-case analysis: valid under MCAR or when dropout depends only on
    arm); see :mod:`laoyou_eval.outcomes.attrition` for MAR analyses.  DiD assumes parallel
    trends: without the programme both groups would have changed alike.

    References
    ----------
    Card, D., & Krueger, A. B. (1994). Minimum wages and employment: A case study of the
    fast-food industry in New Jersey and Pennsylvania. *American Economic Review, 84*(4),
    772–793. https://doi.org/10.3386/w4509

    Bertrand, M., Duflo, E., & Mullainathan, S. (2004). How much should we trust
    differences-in-differences estimates? *The Quarterly Journal of Economics, 119*(1),
    249–275. https://doi.org/10.1162/003355304772839588

    Examples
    --------
    >>> import pandas as pd
    >>> from laoyou_eval import outcomes
    >>> long = pd.DataFrame({"id": [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6], "wave": [1, 2] * 6,
    ...     "arm": ["programme"] * 6 + ["comparison"] * 6,
    ...     "score": [10, 7, 12, 10, 9, 7, 11, 11, 10, 9, 12, 12]})
    >>> round(float(outcomes.did(long, "score", "arm", "wave", "id").estimate[0]), 3)
    -2.0
    """
    ci = check_level(ci)
    done, notes, n_t, n_c = _complete_pairs(data, outcome, group, wave, subject, waves, treated)
    row = dict.fromkeys(DID_COLUMNS, np.nan)
    row.update(n_treated=n_t, n_comparison=n_c, ci_level=ci,
               method="ols y ~ treated*post, SE clustered by subject")
    if min(n_t, n_c) < 2:
        row["note"] = join_notes(notes + [_too_few_pairs()])
        return pd.DataFrame([row], columns=DID_COLUMNS)
    estimate, fit_notes = _did_fit(done, ci)
    change = (done["post"] - done["pre"]).groupby(done["treated"]).mean()
    morris = _morris(done, ci, [])
    row.update(estimate, change_treated=change[1], change_comparison=change[0], d_ppc2=morris["d_ppc2"],
               d_ppc2_ci_low=morris["ci_low"], d_ppc2_ci_high=morris["ci_high"])
    notes += fit_notes
    notes += small_sample_notes(min(n_t, n_c), np.nan)
    row["note"] = join_notes(notes)
    return pd.DataFrame([row], columns=DID_COLUMNS)


def ancova(data: pd.DataFrame, outcome: str, group: str, wave: str, subject: str, *, waves=None,
           treated=None, ci: float = 0.95) -> pd.DataFrame:
    """ANCOVA of the post-test on the pre-test and group: a sensitivity analysis for DiD.

    Parameters
    ----------
    data, outcome, group, wave, subject, waves, treated, ci
        As in :func:`did`.

    Returns
    -------
    pandas.DataFrame
        One row: ``estimate`` (group coefficient: adjusted post-test difference, treated
        minus comparison), ``se``, ``ci_low``, ``ci_high``, ``t``, ``df``, ``p`` (classical
        OLS), ``n_treated``, ``n_comparison``, ``baseline_difference`` (mean pre-test,
        treated minus comparison), ``method`` (``"ols post ~ pre + treated"``),
        ``ci_level``, ``note`` (always includes the Lord's-paradox caveat).

    Notes
    -----
    post = β₀ + β₁·pre + β₂·treated + ε.  When groups are randomised, ANCOVA and DiD
    estimate the same effect and ANCOVA is more precise.  When groups differ at baseline
    (as a waitlist chosen by the workers may), the two answer different questions and can
    disagree (Lord's paradox): DiD assumes the groups would have changed in parallel, ANCOVA
    that people with the same pre-test would have ended alike.  Report both.  Complete pairs
    only.

    References
    ----------
    Lord, F. M. (1967). A paradox in the interpretation of group comparisons.
    *Psychological Bulletin, 68*(5), 304–305. https://doi.org/10.1037/h0025105

    Van Breukelen, G. J. P. (2006). ANCOVA versus change from baseline had more power in
    randomized studies and more bias in nonrandomized studies. *Journal of Clinical
    Epidemiology, 59*(9), 920–925. https://doi.org/10.1016/j.jclinepi.2006.02.007

    Examples
    --------
    >>> import pandas as pd
    >>> from laoyou_eval import outcomes
    >>> long = pd.DataFrame({"id": [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6], "wave": [1, 2] * 6,
    ...     "arm": ["programme"] * 6 + ["comparison"] * 6,
    ...     "score": [10, 7, 12, 10, 9, 7, 11, 11, 10, 9, 12, 12]})
    >>> round(float(outcomes.ancova(long, "score", "arm", "wave", "id").estimate[0]), 2)
    -1.87
    """
    ci = check_level(ci)
    done, notes, n_t, n_c = _complete_pairs(data, outcome, group, wave, subject, waves, treated)
    row = dict.fromkeys(ANCOVA_COLUMNS, np.nan)
    row.update(n_treated=n_t, n_comparison=n_c, ci_level=ci, method="ols post ~ pre + treated")
    lord = "lords_paradox"
    if min(n_t, n_c) < 2 or n_t + n_c < 4:
        row["note"] = join_notes(notes + [_too_few_pairs(), lord])
        return pd.DataFrame([row], columns=ANCOVA_COLUMNS)
    fit, fit_notes = _fit("post ~ pre + treated", done)
    low, high = fit.conf_int(alpha=1 - ci).loc["treated"]
    pre_means = done.groupby("treated")["pre"].mean()
    row.update(estimate=fit.params["treated"], se=fit.bse["treated"], ci_low=low, ci_high=high,
               t=fit.tvalues["treated"], df=float(fit.df_resid), p=fit.pvalues["treated"],
               baseline_difference=pre_means[1] - pre_means[0])
    notes += [statsmodels_note(m) for m in fit_notes]
    row["note"] = join_notes(notes + [lord])
    return pd.DataFrame([row], columns=ANCOVA_COLUMNS)


def standardised_differences(data: pd.DataFrame, variables, by: str, a, b, *, names: tuple[str, str] = ("a", "b"),
                             threshold: float = 0.1) -> pd.DataFrame:
    """Means, SDs and the standardised mean difference of two groups, per variable.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per subject.
    variables : list of str
        Numeric columns to compare.
    by : str
        Column that defines the groups.
    a, b : values of ``by``
        The two groups; differences are a − b.
    names : (str, str), default ("a", "b")
        Suffixes of the per-group columns (e.g. ``("treated", "comparison")``).
    threshold : float, default 0.1
        |SMD| above which ``imbalanced`` is True (Austin 2009 suggests 0.1).

    Returns
    -------
    pandas.DataFrame
        One row per variable: ``variable``, ``n_{a}``, ``mean_{a}``, ``sd_{a}``, ``n_{b}``,
        ``mean_{b}``, ``sd_{b}`` (suffixes from ``names``), ``smd`` =
        (M_a − M_b)/√((s_a² + s_b²)/2), ``imbalanced``.  Missing values are left out per
        variable (the n columns say how many remain); an undefined SMD (fewer than 2 values
        or no variance) is NaN.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"g": ["x", "x", "y", "y"], "v": [1.0, 3.0, 2.0, 6.0]})
    >>> standardised_differences(d, ["v"], "g", "x", "y", names=("x", "y")).smd.round(3).tolist()
    [-0.894]

    References
    ----------
    Austin, P. C. (2009). Balance diagnostics for comparing the distribution of baseline
    covariates between treatment groups in propensity-score matched samples. *Statistics in
    Medicine, 28*(25), 3083–3107. https://doi.org/10.1002/sim.3697
    """
    check_columns(data, [by, *variables])
    columns = ["variable", *[f"{s}_{name}" for name in names for s in SMD_STATISTICS], "smd", "imbalanced"]
    rows = []
    for variable in variables:
        row = {"variable": variable}
        summary = []
        for group, name in zip((a, b), names):
            v = to_float(data.loc[data[by] == group, variable], variable)
            v = v[~np.isnan(v)]
            summary.append((v.mean() if v.size else np.nan, v.std(ddof=1) if v.size > 1 else np.nan))
            row.update({f"n_{name}": int(v.size), f"mean_{name}": summary[-1][0], f"sd_{name}": summary[-1][1]})
        pooled = np.sqrt((summary[0][1] ** 2 + summary[1][1] ** 2) / 2)
        smd = (summary[0][0] - summary[1][0]) / pooled if pooled > 0 else np.nan
        row.update(smd=smd, imbalanced=bool(abs(smd) > threshold) if np.isfinite(smd) else pd.NA)
        rows.append(row)
    return pd.DataFrame(rows, columns=columns)


def baseline_imbalance(data: pd.DataFrame, variables, group: str, *, treated="programme",
                       comparison="comparison", threshold: float = 0.1) -> pd.DataFrame:
    """Baseline balance of the programme and comparison groups (standardised mean differences).

    Parameters
    ----------
    data : pandas.DataFrame
        Baseline rows, one per subject (e.g. ``scores[scores.wave == 1]``).
    variables : list of str
        Score or covariate columns.
    group : str
        Arm column.
    treated, comparison : values of ``group``
        The two arms (treated − comparison).
    threshold : float, default 0.1
        |SMD| flagged as imbalance.

    Returns
    -------
    pandas.DataFrame
        As :func:`standardised_differences`: ``variable``, ``n_treated``, ``mean_treated``,
        ``sd_treated``, ``n_comparison``, ``mean_comparison``, ``sd_comparison``, ``smd``
        (treated − comparison), ``imbalanced``.

    Examples
    --------
    >>> import pandas as pd
    >>> from laoyou_eval import outcomes
    >>> base = pd.DataFrame({"arm": ["programme"] * 3 + ["comparison"] * 3, "x": [1, 2, 3, 2, 3, 4]})
    >>> float(outcomes.baseline_imbalance(base, ["x"], "arm").smd[0])
    -1.0
    """
    return standardised_differences(data, variables, group, treated, comparison, names=("treated", "comparison"),
                                    threshold=threshold)
