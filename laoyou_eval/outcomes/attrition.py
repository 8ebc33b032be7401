"""Attrition: who dropped out, and whether the result depends on how missing follow-ups are
handled (completers only, a random-intercept mixed model, multiple imputation)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import stats

from laoyou_eval.errors import LaoyouError
from laoyou_eval.outcomes._common import check_columns, check_level, join_notes, statsmodels_note, wide_by_wave
from laoyou_eval.outcomes._ids import isin
from laoyou_eval.outcomes.comparison import _did_fit, standardised_differences

__all__ = ["completers_vs_dropouts", "missing_data_analyses", "pmm_imputations", "rubin_pool", "MISSING_DATA_COLUMNS"]

MISSING_DATA_COLUMNS = ["method", "estimand", "estimate", "se", "ci_low", "ci_high", "p", "inference",
                        "n_subjects", "n_observations", "assumption", "note"]


def completers_vs_dropouts(data: pd.DataFrame, variables, wave: str, subject: str, *, waves=None,
                           threshold: float = 0.1, outcome: str | None = None) -> pd.DataFrame:
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
    outcome : str, optional
        Outcome column that defines a completer as :func:`laoyou_eval.outcomes.did` and
        :func:`missing_data_analyses` do: a non-missing ``outcome`` at the follow-up wave.
        Without it a completer is anyone with a row at the follow-up wave, even with a
        missing score.

    Returns
    -------
    pandas.DataFrame
        As :func:`laoyou_eval.outcomes.standardised_differences`: ``variable``,
        ``n_completers``, ``mean_completers``, ``sd_completers``, ``n_dropouts``,
        ``mean_dropouts``, ``sd_dropouts`` (baseline values), ``smd`` (completers −
        dropouts), ``imbalanced``; then, side by side, both counts of completers among the
        subjects at baseline: ``n_followup_row`` (a row at the follow-up wave) and
        ``n_followup_scored`` (a non-missing ``outcome`` there; NaN without ``outcome``), and
        ``completer_definition`` (``"followup_row"`` or ``"followup_scored"``).  A large |SMD|
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
    >>> long.loc[3, "score"] = None       # subject 2 came back but has no score
    >>> res = outcomes.completers_vs_dropouts(long, ["score"], "wave", "id", outcome="score")
    >>> int(res.n_completers[0]), int(res.n_followup_row[0]), int(res.n_followup_scored[0])
    (1, 2, 1)
    """
    check_columns(data, [wave, subject, *variables, *([outcome] if outcome else [])])
    present = sorted(data[wave].dropna().unique())
    pre_wave, post_wave = waves if waves is not None else (present[0], present[-1])
    at_followup = data[data[wave] == post_wave]
    with_row = at_followup[subject]
    scored = at_followup.loc[at_followup[outcome].notna(), subject] if outcome else None
    baseline = data[data[wave] == pre_wave].copy()
    completers = scored if outcome else with_row
    baseline["_status"] = np.where(isin(baseline[subject], completers), "completer", "dropout")
    result = standardised_differences(baseline, variables, "_status", "completer", "dropout",
                                      names=("completers", "dropouts"), threshold=threshold)
    ids = baseline[subject].drop_duplicates()
    result["n_followup_row"] = int(isin(ids, with_row).sum())
    result["n_followup_scored"] = int(isin(ids, scored).sum()) if outcome else np.nan
    result["completer_definition"] = "followup_scored" if outcome else "followup_row"
    return result


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
      baseline score (MAR).  statsmodels gives z tests only (no Satterthwaite df).  Its
      standard errors come from the full Hessian of the REML likelihood (fixed effects and
      variance parameters together), so they run about 0.03–0.1 % above the (X'V̂⁻¹X)⁻¹
      standard errors that lme4 and SAS PROC MIXED report; estimates agree.
    * **Multiple imputation**: chained equations with predictive mean matching
      (:func:`pmm_imputations`, the algorithm of statsmodels' ``MICE`` made independent of
      the machine) on the wide table (pre, post, arm) of subjects with at least one observed
      score, analysis model post − pre ~ 1 (or ~ treated) fitted by OLS to each imputed
      data set, pooled with Rubin's rules and the Barnard–Rubin degrees of freedom
      (:func:`rubin_pool`; statsmodels' own pooling uses z and fails for a one-parameter
      model); also MAR.  The fraction of missing information is given in ``note``.

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

    table = wide.loc[wide[["pre", "post"]].notna().any(axis=1), ["pre", "post", "treated"]]
    table = table.astype(float).reset_index(drop=True)
    if not with_group:
        table = table.drop(columns="treated")
    row = {"method": "multiple_imputation", "inference": "t (Barnard–Rubin df)", "n_subjects": len(table),
           "n_observations": int(table[["pre", "post"]].notna().sum().sum()),
           "assumption": "mar_baseline_arm"}
    term = 1 if with_group else 0
    fits = []
    for imputed in pmm_imputations(table, n_imputations=n_imputations, n_burnin=n_burnin, seed=seed):
        design = np.column_stack([np.ones(len(imputed))] + ([imputed["treated"]] if with_group else []))
        fits.append(sm.OLS((imputed["post"] - imputed["pre"]).to_numpy(), design).fit())
    pooled = rubin_pool([f.params[term] for f in fits], [f.bse[term] ** 2 for f in fits], float(fits[0].df_resid))
    low, high = _interval(pooled["estimate"], pooled["se"], ci, pooled["df"])
    note = f"imputations={n_imputations} fmi={pooled['fmi']:.2f}"
    return {**row, "estimate": pooled["estimate"], "se": pooled["se"], "ci_low": low, "ci_high": high,
            "p": float(2 * stats.t.sf(abs(pooled["estimate"] / pooled["se"]), pooled["df"])), "note": note}


#: Donors of predictive mean matching (the default of statsmodels' ``MICEData``, k_pmm).
PMM_DONORS = 20
#: Chain cycles from one imputed data set to the next (statsmodels' ``MICE``: n_skip = 3, plus one).
CYCLES_BETWEEN = 4
#: Predictive distances equal to this many decimals (in SDs of the imputed variable) are ties.
_TIE_DECIMALS = 8


def pmm_imputations(table: pd.DataFrame, *, n_imputations: int = 20, n_burnin: int = 10, seed: int = 20240601,
                    donors: int = PMM_DONORS, cycles_between: int = CYCLES_BETWEEN) -> list[pd.DataFrame]:
    """Multiply impute a numeric table by chained equations with predictive mean matching.

    Parameters
    ----------
    table : pandas.DataFrame
        Numeric columns; NaN marks a missing value.  Every column with missing values needs
        at least one observed value.  Row order is part of the input: ties are broken by it.
    n_imputations, n_burnin : int, default 20, 10
        Imputed data sets returned, and chain cycles run before the first one.
    seed : int, default 20240601
        Seed of :func:`numpy.random.default_rng`; the only source of randomness.
    donors : int, default 20
        Size of the donor pool of each missing value (k).
    cycles_between : int, default 4
        Chain cycles from one returned data set to the next.

    Returns
    -------
    list of pandas.DataFrame
        ``n_imputations`` copies of ``table`` with every missing value filled in.

    Notes
    -----
    The algorithm is that of statsmodels' ``MICEData``/``MICE`` (gaussian perturbation,
    predictive mean matching), written out so that every step is deterministic:

    1. Start: each missing value becomes the observed value of its column nearest to that
       column's mean (the first such row).
    2. One cycle visits the incomplete columns, fewest missing values first (ties in column
       order).  For column y with predictors X (an intercept and every other column, at
       their current values), fit OLS on the rows where y is observed: β̂,
       V = σ̂²(XᵀX)⁻¹; draw β* = β̂ + V^½ z, z ~ N(0, I), with the *symmetric* square
       root V^½ (unique, unlike an SVD or eigenvector basis whose signs depend on the
       LAPACK build); predict ŷ = Xβ* for every row.
    3. Predictive mean matching: for each row where y is missing, rank the observed rows by
       |ŷ_missing − ŷ_observed| rounded to 8 decimals in SDs of y, ties in row order
       (a stable sort), keep the ``donors`` nearest and copy the observed y of one of
       them, drawn uniformly.

    Rounding and the stable sort make the result independent of the sort kernel (NumPy
    picks SIMD kernels by CPU, whose order of ties differs) and of last-digit differences
    between BLAS builds, so the same table and seed give the same imputations on every
    machine.  statsmodels' own implementation sorts with NumPy's default unstable sort and
    draws β* through an SVD; with tied predictions (integer scores, a binary arm) its
    imputations change from one CPU to another.

    References
    ----------
    Little, R. J. A. (1988). Missing-data adjustments in large surveys. *Journal of
    Business & Economic Statistics, 6*(3), 287–296. https://doi.org/10.1080/07350015.1988.10509663

    van Buuren, S., & Groothuis-Oudshoorn, K. (2011). mice: Multivariate imputation by
    chained equations in R. *Journal of Statistical Software, 45*(3), 1–67.
    https://doi.org/10.18637/jss.v045.i03

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> table = pd.DataFrame({"pre": [3.0, 5, 8, 7, 6, 4], "post": [4.0, 5, 9, 9, np.nan, 4]})
    >>> sets = pmm_imputations(table, n_imputations=3, seed=1)
    >>> len(sets), bool(sets[0]["post"].notna().all()), sets[0].loc[4, "post"] in {4.0, 5.0, 9.0}
    (3, True, True)
    """
    rng = np.random.default_rng(seed)
    data = table.astype(float).reset_index(drop=True)
    missing = data.isna()
    for column in data.columns[missing.any().to_numpy()]:
        observed = data[column].dropna()
        if observed.empty:
            raise LaoyouError(f"列“{column}”没有任何观测值，无法插补。",
                              f"Column {column!r} has no observed value to impute from.", column=column)
        start = observed[(observed - observed.mean()).abs().idxmin()]
        data.loc[missing[column], column] = start
    counts = missing.sum()
    order = [c for c in counts.sort_values(kind="stable").index if counts[c] > 0]

    def cycle():
        for column in order:
            _pmm_update(data, column, missing[column].to_numpy(), rng, donors)

    for _ in range(n_burnin):
        cycle()
    imputations = []
    for _ in range(n_imputations):
        for _ in range(cycles_between):
            cycle()
        imputations.append(data.copy())
    return imputations


def _pmm_update(data: pd.DataFrame, column: str, missing: np.ndarray, rng, donors: int) -> None:
    """One chained-equation step for ``column``: perturbed OLS draw, then PMM (in place)."""
    predictors = [c for c in data.columns if c != column]
    x = np.column_stack([np.ones(len(data))] + [data[c].to_numpy() for c in predictors])
    y = data[column].to_numpy()
    x_obs, y_obs = x[~missing], y[~missing]
    beta, *_ = np.linalg.lstsq(x_obs, y_obs, rcond=None)
    dof = max(len(y_obs) - np.linalg.matrix_rank(x_obs), 1)
    sigma2 = float(np.sum((y_obs - x_obs @ beta) ** 2)) / dof
    draw = beta + _symmetric_sqrt(sigma2 * np.linalg.pinv(x_obs.T @ x_obs)) @ rng.standard_normal(len(beta))
    predicted = sum(x[:, j] * draw[j] for j in range(len(draw)))   # elementwise: no BLAS rounding
    scale = float(np.std(y_obs)) or 1.0
    distance = np.round(np.abs(predicted[missing][:, None] - predicted[~missing][None, :]) / scale, _TIE_DECIMALS)
    pool = min(donors, len(y_obs))
    nearest = _nearest(distance, pool)
    chosen = nearest[np.arange(len(nearest)), rng.integers(0, pool, len(nearest))]
    data.loc[missing, column] = y_obs[chosen]


def _nearest(distance: np.ndarray, pool: int) -> np.ndarray:
    """Column indices of the ``pool`` smallest entries of each row, by distance and then by
    column (what a stable ``argsort`` puts first), without sorting whole rows.

    Each row is sorted only among its entries no larger than its ``pool``-th smallest value
    (found by ``numpy.partition``), which hold the first ``pool`` of the stable order; so the
    cost grows with the number of donors, not as n·log n per missing value.
    """
    if pool >= distance.shape[1] or np.isnan(distance).any():
        return np.argsort(distance, axis=1, kind="stable")[:, :pool]
    kth = np.partition(distance, pool - 1, axis=1)[:, pool - 1]
    nearest = np.empty((len(distance), pool), dtype=np.intp)
    for i, row in enumerate(distance):
        candidates = np.flatnonzero(row <= kth[i])
        nearest[i] = candidates[np.argsort(row[candidates], kind="stable")[:pool]]
    return nearest


def _symmetric_sqrt(matrix: np.ndarray) -> np.ndarray:
    """The unique symmetric positive semi-definite square root S (S·S = matrix)."""
    values, vectors = np.linalg.eigh((matrix + matrix.T) / 2)
    return (vectors * np.sqrt(np.clip(values, 0, None))) @ vectors.T
