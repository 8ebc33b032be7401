"""Attrition: who dropped out, and whether the result depends on how missing follow-ups are
handled (completers only, a random-intercept mixed model, multiple imputation)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import stats

from laoyou_eval.outcomes._common import check_columns, check_level, join_notes, statsmodels_note, wide_by_wave
from laoyou_eval.outcomes.comparison import _did_fit, standardised_differences

__all__ = ["completers_vs_dropouts", "missing_data_analyses", "rubin_pool", "MISSING_DATA_COLUMNS"]

MISSING_DATA_COLUMNS = ["method", "estimand", "estimate", "se", "ci_low", "ci_high", "p", "inference",
                        "n_subjects", "n_observations", "assumption", "note"]


def completers_vs_dropouts(data: pd.DataFrame, variables, wave: str, subject: str, *, waves=None,
                           threshold: float = 0.1) -> pd.DataFrame:
    """Baseline scores of those who completed the follow-up and those who did not.

    Parameters
    ----------
    data : pandas.DataFrame
        Long data, one row per subject × wave.
    variables : list of str
        Baseline columns to compare.
    wave, subject : str
        Wave and subject-id columns.
    waves : (pre, post), optional
        Baseline and follow-up waves; default the first and last present.
    threshold : float, default 0.1
        |SMD| flagged in ``imbalanced``.

    Returns
    -------
    pandas.DataFrame
        As :func:`laoyou_eval.outcomes.standardised_differences`: ``variable``,
        ``n_completers``, ``mean_completers``, ``sd_completers`` (a row at the follow-up wave),
        ``n_dropouts``, ``mean_dropouts``, ``sd_dropouts`` (baseline only), ``smd``
        (completers − dropouts), ``imbalanced``.  A large |SMD|
        means dropout is related to that baseline score, so the data are not missing
        completely at random.

    Examples
    --------
    >>> import pandas as pd
    >>> from laoyou_eval import outcomes
    >>> long = pd.DataFrame({"id": [1, 1, 2, 2, 3, 4], "wave": [1, 2, 1, 2, 1, 1],
    ...                      "score": [3, 4, 5, 5, 8, 7]})
    >>> res = outcomes.completers_vs_dropouts(long, ["score"], "wave", "id")
    >>> int(res.n_completers[0]), int(res.n_dropouts[0]), round(float(res.smd[0]), 2)
    (2, 2, -3.13)
    """
    check_columns(data, [wave, subject, *variables])
    present = sorted(data[wave].dropna().unique())
    pre_wave, post_wave = waves if waves is not None else (present[0], present[-1])
    followed = set(data.loc[data[wave] == post_wave, subject])
    baseline = data[data[wave] == pre_wave].copy()
    baseline["_status"] = np.where(baseline[subject].isin(followed), "completer", "dropout")
    return standardised_differences(baseline, variables, "_status", "completer", "dropout",
                                    names=("completers", "dropouts"), threshold=threshold)


def _captured(call):
    """Run ``call`` and return (result, warning messages); nothing reaches stderr."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = call()
    return result, list(dict.fromkeys(str(w.message).splitlines()[0] for w in caught))


def missing_data_analyses(data: pd.DataFrame, outcome: str, wave: str, subject: str, *, group: str | None = None,
                          treated=None, waves=None, n_imputations: int = 20, n_burnin: int = 10,
                          seed: int = 20240601, ci: float = 0.95) -> pd.DataFrame:
    """The same effect estimated three ways: completers only, mixed model, multiple imputation.

    Parameters
    ----------
    data : pandas.DataFrame
        Long data, one row per subject × wave (dropouts have only a baseline row, or a NaN
        outcome at follow-up).
    outcome, wave, subject : str
        Column names.
    group : str, optional
        Arm column.  Without it the estimand is the mean change of the one group; with it
        the difference-in-differences (treated minus comparison change).
    treated : optional
        Treated arm's value (default ``"programme"`` when present).
    waves : (pre, post), optional
        The two waves; default the first and last present.
    n_imputations, n_burnin : int, default 20, 10
        Imputed data sets and burn-in cycles of MICE.
    seed : int, default 20240601
        Seed of the imputations (same seed, same result).
    ci : float, default 0.95
        Confidence level.

    Returns
    -------
    pandas.DataFrame
        Three rows (``method`` = ``completers``, ``mixed_model``, ``multiple_imputation``):
        ``estimand`` (``mean_change`` or ``did``), ``estimate``, ``se``, ``ci_low``,
        ``ci_high``, ``p``, ``inference`` (``t``, ``z`` or ``t (Barnard–Rubin df)``), ``n_subjects``,
        ``n_observations``, ``assumption`` (the missing-data assumption in words, report
        language), ``note`` (convergence and other warnings of statsmodels, recorded here
        rather than printed).

    Notes
    -----
    * **Completers**: paired t on the change scores of subjects seen at both waves (with a
      group: the DiD of :func:`laoyou_eval.outcomes.did`, SEs clustered by subject).  Valid if dropout is unrelated to the
      outcome (MCAR).
    * **Mixed model**: y = β₀ + β₁·post (+ β₂·treated + β₃·treated·post) + u_subject + ε,
      random intercept, REML (statsmodels ``MixedLM``); uses every observed score, including
      the baseline of dropouts.  Valid if dropout depends only on observed data, e.g. the
      baseline score (MAR).  statsmodels gives z tests only (no Satterthwaite df).
    * **Multiple imputation**: statsmodels ``MICE`` (chained equations with predictive mean
      matching) on the wide table (pre, post, arm), analysis model post − pre ~ 1 (or
      ~ treated) fitted to each imputed data set, pooled with Rubin's rules and the
      Barnard–Rubin degrees of freedom (:func:`rubin_pool`; statsmodels' own pooling uses z
      and fails for a one-parameter model); also MAR.  The fraction of missing
      information is given in ``note``.

    Neither MAR method helps if dropout depends on the unobserved follow-up itself (MNAR);
    that can only be explored with sensitivity analyses.

    References
    ----------
    Rubin, D. B. (1987). *Multiple imputation for nonresponse in surveys*. Wiley.
    https://doi.org/10.1002/9780470316696

    van Buuren, S., & Groothuis-Oudshoorn, K. (2011). mice: Multivariate imputation by
    chained equations in R. *Journal of Statistical Software, 45*(3), 1–67.
    https://doi.org/10.18637/jss.v045.i03

    Barnard, J., & Rubin, D. B. (1999). Small-sample degrees of freedom with multiple
    imputation. *Biometrika, 86*(4), 948–955. https://doi.org/10.1093/biomet/86.4.948

    Laird, N. M., & Ware, J. H. (1982). Random-effects models for longitudinal data.
    *Biometrics, 38*(4), 963–974. https://doi.org/10.2307/2529876

    Examples
    --------
    >>> import pandas as pd
    >>> from laoyou_eval import outcomes
    >>> long = pd.DataFrame({"id": [1, 1, 2, 2, 3, 3, 4, 4, 5], "wave": [1, 2] * 4 + [1],
    ...                      "score": [3, 4, 5, 5, 8, 9, 7, 9, 6]})
    >>> outcomes.missing_data_analyses(long, "score", "wave", "id").method.tolist()
    ['completers', 'mixed_model', 'multiple_imputation']
    """
    ci = check_level(ci)
    wide, _, _ = wide_by_wave(data, outcome, wave, subject, waves, group, treated)
    if group is None:
        wide["treated"] = 0
    estimand = "did" if group else "mean_change"
    rows = [_completers(wide, group is not None, ci), _mixed(wide, group is not None, ci),
            _mice(wide, group is not None, ci, n_imputations, n_burnin, seed)]
    for row in rows:
        row["estimand"] = estimand
    return pd.DataFrame(rows, columns=MISSING_DATA_COLUMNS)


def _interval(estimate, se, ci, df=None):
    q = stats.t.ppf((1 + ci) / 2, df) if df else stats.norm.ppf((1 + ci) / 2)
    return estimate - q * se, estimate + q * se


def _completers(wide, with_group, ci) -> dict:
    done = wide.dropna(subset=["pre", "post"])
    change = done["post"] - done["pre"]
    row = {"method": "completers", "inference": "t", "n_subjects": len(done), "n_observations": 2 * len(done),
           "assumption": "mcar"}
    if with_group:
        if min(done["treated"].sum(), (1 - done["treated"]).sum()) < 2:
            return {**row, "note": "fewer_than_2_pairs_per_group"}
        fit, notes = _did_fit(done, ci)
        return {**row, **{k: fit[k] for k in ("estimate", "se", "ci_low", "ci_high", "p")},
                "note": join_notes(notes)}
    if len(change) < 2:
        return {**row, "note": "fewer_than_2_pairs"}
    se, df, estimate = change.std() / np.sqrt(len(change)), len(change) - 1, change.mean()
    low, high = _interval(estimate, se, ci, df)
    return {**row, "estimate": estimate, "se": se, "ci_low": low, "ci_high": high,
            "p": 2 * stats.t.sf(abs(estimate / se), df), "note": ""}


def _mixed(wide, with_group, ci) -> dict:
    import statsmodels.formula.api as smf

    long = pd.concat([wide.assign(y=wide["pre"], post_wave=0), wide.assign(y=wide["post"], post_wave=1)])
    long = long.dropna(subset=["y"])
    row = {"method": "mixed_model", "inference": "z", "n_subjects": long["subject"].nunique(),
           "n_observations": len(long),
           "assumption": "mar_observed"}
    formula = "y ~ treated * post_wave" if with_group else "y ~ post_wave"
    term = "treated:post_wave" if with_group else "post_wave"
    groups = pd.factorize(long["subject"])[0]
    fit, messages = _captured(lambda: smf.mixedlm(formula, long, groups=groups).fit(reml=True))
    notes = [statsmodels_note(m) for m in messages]
    if not fit.converged:
        notes.append("mixed_model_not_converged")
    estimate, se = float(fit.params[term]), float(fit.bse[term])
    low, high = _interval(estimate, se, ci)
    return {**row, "estimate": estimate, "se": se, "ci_low": low, "ci_high": high,
            "p": float(fit.pvalues[term]), "note": join_notes(notes)}


def rubin_pool(estimates, variances, df_complete: float) -> dict:
    """Pool one parameter over m imputations with Rubin's rules.

    Parameters
    ----------
    estimates, variances : array-like
        The estimate qᵢ and its squared standard error uᵢ from each imputed data set.
    df_complete : float
        Residual degrees of freedom the analysis would have without missing data (ν_com).

    Returns
    -------
    dict
        ``estimate``, ``se``, ``df``, ``fmi``.

    Notes
    -----
    Q̄ = mean(qᵢ), Ū = mean(uᵢ), B = var(qᵢ) (ddof = 1), T = Ū + (1 + 1/m)B; degrees of
    freedom of Barnard & Rubin (1999): ν = 1/(1/ν_old + 1/ν_obs) with
    ν_old = (m − 1)/λ², λ = (1 + 1/m)B/T and ν_obs = (ν_com + 1)/(ν_com + 3)·ν_com·(1 − λ).
    The fraction of missing information returned is λ.

    Examples
    --------
    >>> res = rubin_pool([1.0, 1.2, 0.8], [0.04, 0.05, 0.03], df_complete=20)
    >>> round(res["estimate"], 3), round(res["se"], 3)
    (1.0, 0.306)
    """
    q, u = np.asarray(estimates, float), np.asarray(variances, float)
    m = q.size
    u_bar, b = u.mean(), q.var(ddof=1)
    total = u_bar + (1 + 1 / m) * b
    lam = (1 + 1 / m) * b / total
    nu_old = (m - 1) / lam ** 2 if lam > 0 else np.inf
    nu_obs = (df_complete + 1) / (df_complete + 3) * df_complete * (1 - lam)
    return {"estimate": float(q.mean()), "se": float(np.sqrt(total)), "df": float(1 / (1 / nu_old + 1 / nu_obs)),
            "fmi": float(lam)}


def _mice(wide, with_group, ci, n_imputations, n_burnin, seed) -> dict:
    import statsmodels.api as sm
    from statsmodels.imputation import mice

    table = wide[["pre", "post", "treated"]].astype(float).reset_index(drop=True)
    if not with_group:
        table = table.drop(columns="treated")
    row = {"method": "multiple_imputation", "inference": "t (Barnard–Rubin df)", "n_subjects": len(table),
           "n_observations": int(table[["pre", "post"]].notna().sum().sum()),
           "assumption": "mar_baseline_arm"}
    formula = "I(post - pre) ~ treated" if with_group else "I(post - pre) ~ 1"
    term = 1 if with_group else 0

    def run():
        chain = mice.MICE(formula, sm.OLS, mice.MICEData(table, rng=np.random.default_rng(seed)))
        chain.data.update_all(n_burnin)
        return [chain.next_sample() for _ in range(n_imputations)]

    fits, messages = _captured(run)
    pooled = rubin_pool([f.params.iloc[term] for f in fits], [f.bse.iloc[term] ** 2 for f in fits],
                        float(fits[0].df_resid))
    low, high = _interval(pooled["estimate"], pooled["se"], ci, pooled["df"])
    notes = [f"imputations={n_imputations} fmi={pooled['fmi']:.2f}"]
    notes += [statsmodels_note(m) for m in messages]
    return {**row, "estimate": pooled["estimate"], "se": pooled["se"], "ci_low": low, "ci_high": high,
            "p": float(2 * stats.t.sf(abs(pooled["estimate"] / pooled["se"]), pooled["df"])),
            "note": join_notes(notes)}
