"""Consistency of a scale: Cronbach's alpha with Feldt, Duhachek–Iacobucci or bootstrap
intervals, SPSS-style item analysis, one-factor omega total, and a table of several scales.

Unlike pingouin 0.6/0.7, the Feldt interval after listwise deletion uses the number of rows
actually analysed (see :func:`cronbach_alpha`).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import special, stats

from laoyou_eval.errors import LaoyouError
from laoyou_eval.reliability._checks import check_choice, check_ci, item_matrix, join_notes, long_to_wide, note_code

__all__ = ["cronbach_alpha", "item_analysis", "omega_total", "scale_table"]

_MISSING_POLICIES = ("listwise", "pairwise")
_CI_METHODS = ("feldt", "duhachek", "bootstrap")

ALPHA_COLUMNS = ["alpha", "ci_low", "ci_high", "ci_method", "n", "k", "alpha_std", "missing", "note"]
ITEM_COLUMNS = ["item", "mean", "sd", "n", "citc", "alpha_if_deleted", "note"]
OMEGA_COLUMNS = ["omega_total", "n", "k", "method", "note"]


# --------------------------------------------------------------------------------------------
# covariance and alpha kernels
# --------------------------------------------------------------------------------------------

def _pairwise_cov(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Covariance matrix from pairwise-complete observations (ddof = 1) and pair counts.

    Equals ``pandas.DataFrame.cov()``; for complete data it equals ``numpy.cov``.  Entries
    whose pair has fewer than 2 joint observations are NaN.
    """
    M = ~np.isnan(X)
    if M.all():
        C = np.atleast_2d(np.cov(X, rowvar=False))
        N = np.full(C.shape, X.shape[0], dtype=float)
        return C, N
    Xc = X - np.nanmean(X, axis=0)  # centring only for numerical accuracy
    X0 = np.where(M, Xc, 0.0)
    Mf = M.astype(float)
    N = Mf.T @ Mf
    Sxy = X0.T @ X0
    Sx = X0.T @ Mf  # Sx[i, j] = sum of item i over rows where i and j are both answered
    with np.errstate(invalid="ignore", divide="ignore"):
        C = (Sxy - Sx * Sx.T / N) / (N - 1)
    C[N < 2] = np.nan
    return C, N


def _alpha_from_cov(C: np.ndarray) -> float:
    k = C.shape[0]
    total = C.sum()
    if not np.isfinite(total) or total <= 0:
        return np.nan
    return k / (k - 1) * (1 - np.trace(C) / total)


def _rows_used(X: np.ndarray, missing: str) -> np.ndarray:
    if missing == "listwise":
        return ~np.isnan(X).any(axis=1)
    return (~np.isnan(X)).sum(axis=1) >= 2


def _cov_for(X: np.ndarray) -> np.ndarray:
    return _pairwise_cov(X)[0]


def cronbach_alpha(items, ci: float = 0.95, missing: str = "listwise", ci_method: str = "feldt",
                   n_boot: int = 2000, seed: int = 20240601, *, item: str | None = None,
                   score: str | None = None, subject: str | None = None) -> pd.DataFrame:
    """Cronbach's coefficient alpha with a confidence interval.

    Parameters
    ----------
    items : pandas.DataFrame or 2-D array-like
        Rows are respondents, columns are the items of one scale, already coded to numbers and
        reverse-keyed.  NaN (or None / ``pd.NA``) marks a missing answer.
    ci : float, default 0.95
        Confidence level of the interval.
    missing : {"listwise", "pairwise"}, default "listwise"
        ``"listwise"`` drops every row with a missing answer; ``"pairwise"`` builds the
        covariance matrix from all pairwise-complete observations (as R ``psych::alpha`` with
        ``use="pairwise"`` and pingouin's default).
    ci_method : {"feldt", "duhachek", "bootstrap"}, default "feldt"
        ``"feldt"``: exact interval under the Feldt, Woodruff & Salih (1987) F model.
        ``"duhachek"``: Wald interval with the asymptotic standard error of Duhachek &
        Iacobucci (2004).  ``"bootstrap"``: percentile interval from ``n_boot`` resamples of
        rows (respondents).
    n_boot : int, default 2000
        Bootstrap resamples (``ci_method="bootstrap"`` only).
    seed : int, default 20240601
        Seed of :func:`numpy.random.default_rng` for the bootstrap; the same seed gives the same
        interval, byte for byte.
    item, score, subject : str, optional
        Long input: ``items`` is then a DataFrame with one row per (subject, item) and these
        are its item-name, score and subject-id columns (pingouin's ``items=``, ``scores=``,
        ``subject=``).  A subject without a row for some item has that answer missing.

    Returns
    -------
    pandas.DataFrame
        One row with columns

        - ``alpha`` – raw (covariance-based) Cronbach's alpha, α = k/(k−1)·(1 − tr C / 1ᵀC1).
        - ``ci_low``, ``ci_high`` – confidence limits at level ``ci``.
        - ``ci_method`` – ``"feldt"``, ``"duhachek"`` or ``"bootstrap_percentile"``.
        - ``n`` – respondents (rows) used; see Notes.
        - ``k`` – number of items.
        - ``alpha_std`` – standardized alpha from the mean inter-item correlation r̄,
          k·r̄/(1 + (k−1)·r̄).
        - ``missing`` – the missing-data policy used.
        - ``note`` – why a value is NaN, how many rows were dropped, other warnings; ``""`` if
          nothing to say.

    Raises
    ------
    LaoyouError
        Fewer than 2 items, fewer than 2 usable rows, an item column with no answers, or a
        non-numeric item column.

    Notes
    -----
    With C the k × k item covariance matrix (ddof = 1):

    * α = k/(k−1) · (1 − tr C / 1ᵀC1).  If the variance of the total, 1ᵀC1, is 0 (or not
      positive), alpha is NaN and ``note`` says so.  A negative alpha is reported as it is,
      with a note that items may need reverse keying.
    * Feldt: [1 − (1−α̂)·F₁₋γ/₂(n−1, (n−1)(k−1)), 1 − (1−α̂)·F_γ/₂(n−1, (n−1)(k−1))], with
      γ = 1 − ci (Feldt, Woodruff & Salih, 1987).
    * Duhachek: Q = 2k²/((k−1)²(1ᵀC1)³)·[(1ᵀC1)(tr C² + (tr C)²) − 2·tr C·1ᵀC²1],
      ASE = √(Q/n), α̂ ± z₁₋γ/₂·ASE (Duhachek & Iacobucci, 2004; R psych prints this row as
      "Duhachek").
    * Bootstrap: rows are resampled with replacement from the rows used, alpha recomputed
      under the same missing-data policy, and the γ/2 and 1−γ/2 quantiles taken (numpy's
      default linear interpolation).  Resamples with undefined alpha are left out and counted
      in ``note``.  Without missing answers all resamples are computed at once from row
      counts (no resampled copies); the random stream is the same as drawing them one by one.

    Missing data and n.  ``"listwise"``: n is the number of complete rows, and **the Feldt
    and Duhachek intervals use this n**.  pingouin (0.6.0, 0.7.0) uses the number of rows
    *before* deletion, which makes its interval too narrow.  ``"pairwise"``: every covariance
    uses the rows where both items are answered.  For the intervals, n is the number of rows
    with at least 2 answered items, because only those rows enter some covariance.  Our
    choice: with ordinary missingness this equals the total row count used by psych and
    pingouin.  The smallest pairwise n is given in ``note`` when it is smaller.  Rows left out
    are counted in ``note``.

    References
    ----------
    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
    *Psychometrika, 16*(3), 297–334. https://doi.org/10.1007/BF02310555

    Feldt, L. S., Woodruff, D. J., & Salih, F. A. (1987). Statistical inference for
    coefficient alpha. *Applied Psychological Measurement, 11*(1), 93–103.
    https://doi.org/10.1177/014662168701100107

    Duhachek, A., & Iacobucci, D. (2004). Alpha's standard error (ASE): An accurate and
    precise confidence interval estimate. *Journal of Applied Psychology, 89*(5), 792–808.
    https://doi.org/10.1037/0021-9010.89.5.792

    Examples
    --------
    >>> import pandas as pd
    >>> from laoyou_eval.reliability import cronbach_alpha
    >>> df = pd.DataFrame({"q1": [1, 2, 3, 4, 5, 3], "q2": [2, 2, 3, 5, 4, 3],
    ...                    "q3": [1, 3, 3, 4, 5, 2]})
    >>> res = cronbach_alpha(df)
    >>> round(float(res.at[0, "alpha"]), 3), int(res.at[0, "n"]), int(res.at[0, "k"])
    (0.932, 6, 3)
    >>> long = df.rename_axis("person").reset_index().melt(id_vars="person", var_name="q", value_name="x")
    >>> round(float(cronbach_alpha(long, item="q", score="x", subject="person").at[0, "alpha"]), 3)
    0.932
    """
    ci = check_ci(ci)
    check_choice(missing, _MISSING_POLICIES, "missing")
    check_choice(ci_method, _CI_METHODS, "ci_method")
    if item is not None or score is not None or subject is not None:
        items = long_to_wide(items, item, score, subject)
    X, _ = item_matrix(items)
    n_total, k = X.shape
    keep = _rows_used(X, missing)
    Xu = X if keep.all() else X[keep]
    n = int(keep.sum())
    notes = []
    if n < 2:
        raise LaoyouError(
            f"可用于计算的受访者不足 2 人（共 {n_total} 行，{missing} 删除后剩 {n} 行）。",
            f"Fewer than 2 usable respondents ({n_total} rows, {n} left after {missing} deletion).",
            hint_zh="检查缺失值，或改用 missing='pairwise'。",
            hint_en="check the missing answers, or use missing='pairwise'.")
    if n < n_total:
        notes.append(note_code(f"{missing}_rows_left_out", n_total - n, n_total))
    C, N = _pairwise_cov(Xu)
    if missing == "pairwise":
        off = N[~np.eye(k, dtype=bool)]
        if off.min() < n:
            notes.append(note_code("smallest_pairwise_n", int(off.min())))
    alpha = _alpha_from_cov(C)
    if np.isnan(alpha):
        if np.isnan(C).any():
            notes.append(note_code("alpha_undefined_sparse_pairs"))
        else:
            notes.append(note_code("alpha_undefined_zero_variance"))
    elif alpha < 0:
        notes.append(note_code("negative_alpha"))

    # standardized alpha from the correlation matrix implied by C (cov2cor, as psych)
    d = np.diag(C)
    with np.errstate(invalid="ignore", divide="ignore"):
        R = C / np.sqrt(np.outer(d, d))
    off_r = R[~np.eye(k, dtype=bool)]
    if np.all(np.isfinite(off_r)):
        rbar = off_r.mean()
        alpha_std = k * rbar / (1 + (k - 1) * rbar)
    else:
        alpha_std = np.nan
        if np.any(d == 0):
            zero = int(np.sum(d == 0))
            notes.append(note_code("alpha_std_undefined_zero_variance", zero))

    gamma = 1 - ci
    lo = hi = np.nan
    method_label = "bootstrap_percentile" if ci_method == "bootstrap" else ci_method
    if np.isfinite(alpha):
        if ci_method == "feldt":
            df1, df2 = n - 1, (n - 1) * (k - 1)
            # F quantiles with scipy's kernel (stats.f.ppf calls it, after ~40 µs of argument checks)
            lo, hi = 1 - (1 - alpha) * special.fdtri(df1, df2, np.array([1 - gamma / 2, gamma / 2]))
        elif ci_method == "duhachek":
            ase = _duhachek_ase(C, n)
            z = stats.norm.ppf(1 - gamma / 2)
            lo, hi = alpha - z * ase, alpha + z * ase
        else:
            lo, hi, n_bad = _bootstrap_alpha(Xu, n_boot, seed, gamma)
            if n_bad:
                notes.append(note_code("bootstrap_undefined", n_bad, n_boot))
    return pd.DataFrame([{
        "alpha": float(alpha), "ci_low": float(lo), "ci_high": float(hi), "ci_method": method_label,
        "n": n, "k": k, "alpha_std": float(alpha_std), "missing": missing, "note": join_notes(notes),
    }], columns=ALPHA_COLUMNS)


def _duhachek_ase(C: np.ndarray, n: int) -> float:
    """Asymptotic standard error of alpha (Duhachek & Iacobucci, 2004, as psych::alpha)."""
    k = C.shape[0]
    s = C.sum()
    tr = np.trace(C)
    CC = C @ C
    Q = (2 * k**2 / ((k - 1) ** 2 * s**3)) * (s * (np.trace(CC) + tr**2) - 2 * tr * CC.sum())
    return float(np.sqrt(Q / n))


#: Resampled cells (resamples × rows) drawn at a time by the complete-data bootstrap.
BOOT_CELLS = 2 ** 22


def _bootstrap_alpha(X: np.ndarray, n_boot: int, seed: int, gamma: float) -> tuple[float, float, int]:
    if not (isinstance(n_boot, (int, np.integer)) and n_boot >= 10):
        raise LaoyouError(f"n_boot 必须是不小于 10 的整数，这里是 {n_boot!r}。",
                          f"n_boot must be an integer of at least 10; got {n_boot!r}.")
    rng = np.random.default_rng(seed)
    boots = _resampled_alphas(X, n_boot, rng) if not np.isnan(X).any() else _resampled_alphas_pairwise(
        X, n_boot, rng)
    ok = boots[np.isfinite(boots)]
    n_bad = n_boot - ok.size
    if ok.size == 0:
        return np.nan, np.nan, n_bad
    lo, hi = np.quantile(ok, [gamma / 2, 1 - gamma / 2])
    return float(lo), float(hi), n_bad


def _resampled_alphas(X: np.ndarray, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """Alpha of ``n_boot`` row resamples of complete data, all at once.

    A resample is a vector of row counts c (drawn as ``rng.integers(0, n, n)`` per resample,
    the same stream as one draw per resample); its item and total variances come from the
    count-weighted sums c·x, c·x² of the centred items x and their total, so no resampled
    matrix is built: α_b = k/(k−1)·(1 − Σ_j var_bj / var_b(total)), the same alpha as
    :func:`_alpha_from_cov` up to rounding.
    """
    n, k = X.shape
    centred = X - X.mean(axis=0)
    total = centred.sum(axis=1)
    moments = np.column_stack([centred, centred ** 2, total, total ** 2])
    # a resample whose total does not vary (e.g. one row drawn n times) has alpha undefined,
    # as in _alpha_from_cov; its computed variance is 0 up to rounding, far below this floor
    floor = 1e-10 * total.var()
    boots = np.empty(n_boot)
    step = max(1, BOOT_CELLS // n)
    for start in range(0, n_boot, step):
        b = min(step, n_boot - start)
        draws = rng.integers(0, n, size=(b, n)) + n * np.arange(b)[:, None]
        counts = np.bincount(draws.ravel(), minlength=b * n).reshape(b, n).astype(float)
        sums = counts @ moments
        item_var = (sums[:, k:2 * k] - sums[:, :k] ** 2 / n).sum(axis=1) / (n - 1)
        total_var = (sums[:, 2 * k + 1] - sums[:, 2 * k] ** 2 / n) / (n - 1)
        with np.errstate(invalid="ignore", divide="ignore"):
            alpha = k / (k - 1) * (1 - item_var / total_var)
        boots[start:start + b] = np.where(total_var > floor, alpha, np.nan)
    return boots


def _resampled_alphas_pairwise(X: np.ndarray, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """Alpha of ``n_boot`` row resamples of data with missing answers (pairwise covariances),
    one resample at a time."""
    n = X.shape[0]
    boots = np.empty(n_boot)
    for b in range(n_boot):
        idx = rng.integers(0, n, size=n)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            boots[b] = _alpha_from_cov(_cov_for(X[idx]))
    return boots


# --------------------------------------------------------------------------------------------
# item analysis
# --------------------------------------------------------------------------------------------

def item_analysis(items, missing: str = "listwise") -> pd.DataFrame:
    """Item statistics for a scale: mean, SD, corrected item–total r, alpha if item deleted.

    Parameters
    ----------
    items : pandas.DataFrame or 2-D array-like
        Rows are respondents, columns are items (numeric, reverse-keyed); NaN = missing.
    missing : {"listwise", "pairwise"}, default "listwise"
        As in :func:`cronbach_alpha`.

    Returns
    -------
    pandas.DataFrame
        One row per item, in input order, with columns

        - ``item`` – item name (题目); ``item_1`` … for arrays.
        - ``mean`` – item mean (均值).
        - ``sd`` – item standard deviation, ddof = 1 (标准差).
        - ``n`` – respondents behind ``mean`` and ``sd`` (样本量).
        - ``citc`` – corrected item–total correlation: correlation of the item with the sum
          of the *other* items (校正项总计相关性, SPSS "Corrected Item-Total Correlation",
          psych ``r.drop``).
        - ``alpha_if_deleted`` – Cronbach's alpha of the remaining k−1 items
          (项已删除的 α, SPSS "Cronbach's Alpha if Item Deleted", psych ``raw_alpha`` in
          ``alpha.drop``).
        - ``note`` – why a value is NaN; ``""`` otherwise.

    Notes
    -----
    With C the item covariance matrix, CITCᵢ = Σ_{j≠i} C_ij / √(C_ii · 1ᵀC₋ᵢ1), where C₋ᵢ is
    C without item i; alpha-if-deleted is α computed from C₋ᵢ.  Both are NaN when k = 2 for
    alpha-if-deleted (a single item has no alpha), and CITC is NaN for an item with zero
    variance.

    Missing data: ``"listwise"`` uses only the rows complete on *all* k items for every
    column, as SPSS does, so ``alpha_if_deleted`` is alpha of the other items on those same
    rows (it can differ from :func:`cronbach_alpha` run on the k−1 columns, which would keep
    rows missing only the deleted item); ``"pairwise"`` takes each item's mean and SD
    from all its answers, and C from pairwise-complete observations.

    References
    ----------
    Revelle, W. (2025). *psych: Procedures for psychological, psychometric, and personality
    research* (R package version 2.5.3). https://CRAN.R-project.org/package=psych

    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
    *Psychometrika, 16*(3), 297–334. https://doi.org/10.1007/BF02310555

    Examples
    --------
    >>> import pandas as pd
    >>> from laoyou_eval.reliability import item_analysis
    >>> df = pd.DataFrame({"q1": [1, 2, 3, 4, 5, 3], "q2": [2, 2, 3, 5, 4, 3],
    ...                    "q3": [1, 3, 3, 4, 5, 2]})
    >>> item_analysis(df)[["item", "citc", "alpha_if_deleted"]].round(3)
      item   citc  alpha_if_deleted
    0   q1  0.942             0.832
    1   q2  0.807             0.947
    2   q3  0.854             0.908
    """
    check_choice(missing, _MISSING_POLICIES, "missing")
    X, names = item_matrix(items)
    k = X.shape[1]
    keep = _rows_used(X, missing)
    Xu = X if keep.all() else X[keep]
    if Xu.shape[0] < 2:
        raise LaoyouError(
            f"可用于计算的受访者不足 2 人（{missing} 删除后剩 {Xu.shape[0]} 行）。",
            f"Fewer than 2 usable respondents ({Xu.shape[0]} left after {missing} deletion).",
            hint_zh="检查缺失值，或改用 missing='pairwise'。",
            hint_en="check the missing answers, or use missing='pairwise'.")
    C, _ = _pairwise_cov(Xu)
    rows = []
    for i, name in enumerate(names):
        notes = []
        col = Xu[:, i]
        obs = col[~np.isnan(col)]
        rest = [j for j in range(k) if j != i]
        C_rest = C[np.ix_(rest, rest)]
        cov_it = C[i, rest].sum()
        denom = C[i, i] * C_rest.sum()
        if np.isfinite(denom) and denom > 0:
            citc = cov_it / np.sqrt(denom)
        else:
            citc = np.nan
            notes.append(note_code("citc_undefined"))
        if k - 1 >= 2:
            aid = _alpha_from_cov(C_rest)
            if np.isnan(aid):
                notes.append(note_code("alpha_if_deleted_undefined"))
        else:
            aid = np.nan
            notes.append(note_code("alpha_if_deleted_one_item"))
        rows.append({"item": name, "mean": float(obs.mean()),
                     "sd": float(obs.std(ddof=1)) if obs.size > 1 else np.nan,
                     "n": int(obs.size), "citc": float(citc), "alpha_if_deleted": float(aid),
                     "note": join_notes(notes)})
    return pd.DataFrame(rows, columns=ITEM_COLUMNS)


# --------------------------------------------------------------------------------------------
# omega
# --------------------------------------------------------------------------------------------

def omega_total(items) -> pd.DataFrame:
    """McDonald's omega total from a one-factor maximum-likelihood model.

    Parameters
    ----------
    items : pandas.DataFrame or 2-D array-like
        Rows are respondents, columns are items (numeric, reverse-keyed); NaN = missing.
        Rows with any missing answer are dropped (listwise).

    Returns
    -------
    pandas.DataFrame
        One row with columns

        - ``omega_total`` – ω_t of the one-factor model.
        - ``n`` – complete rows used.
        - ``k`` – number of items.
        - ``method`` – ``"one-factor ML, statsmodels Factor"``.
        - ``note`` – standardized loadings (min–max), convergence, Heywood cases, mixed-sign
          loadings, rows dropped.

    Notes
    -----
    A single common factor is fitted by maximum likelihood to the item correlation matrix
    (``statsmodels.multivariate.factor.Factor(method="ml")``, deterministic start from the
    first principal axis), giving standardized loadings λ and uniquenesses ψ:

        ω_t = (Σλ)² / ((Σλ)² + Σψ).

    Loadings are sign-aligned so that Σλ ≥ 0; loadings of mixed sign mean some item is not
    reverse-keyed, and are flagged.  With fewer than 3 items the one-factor model is not
    identified: ω is NaN with a note.  Omega total with a single factor is the model-based
    counterpart of alpha; for tau-equivalent items they coincide in the population.  No
    confidence interval is given; Kelley & Pornprasertmanit (2016) recommend a bootstrap.

    References
    ----------
    McDonald, R. P. (1999). *Test theory: A unified treatment*. Lawrence Erlbaum.
    https://doi.org/10.4324/9781410601087

    Kelley, K., & Pornprasertmanit, S. (2016). Confidence intervals for population reliability
    coefficients: Evaluation of methods, recommendations, and software for composite measures.
    *Psychological Methods, 21*(1), 69–92. https://doi.org/10.1037/a0040086

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from laoyou_eval.reliability import omega_total
    >>> rng = np.random.default_rng(1)
    >>> f = rng.standard_normal(400)
    >>> df = pd.DataFrame({f"q{i}": 0.7 * f + 0.7 * rng.standard_normal(400) for i in range(4)})
    >>> res = omega_total(df)
    >>> int(res.at[0, "n"]), int(res.at[0, "k"]), res.at[0, "method"]
    (400, 4, 'one-factor ML, statsmodels Factor')
    >>> round(float(res.at[0, "omega_total"]), 2)
    0.76
    """
    from statsmodels.multivariate.factor import Factor

    X, names = item_matrix(items)
    n_total, k = X.shape
    keep = ~np.isnan(X).any(axis=1)
    Xu = X[keep]
    n = int(keep.sum())
    notes = []
    if n < 2:
        raise LaoyouError(
            f"完整回答的受访者不足 2 人（共 {n_total} 行）。",
            f"Fewer than 2 respondents with complete answers ({n_total} rows).",
            hint_zh="检查缺失值。", hint_en="check the missing answers.")
    if n < n_total:
        notes.append(note_code("omega_rows_left_out", n_total - n, n_total))
    method = "one-factor ML, statsmodels Factor"

    def result(omega):
        return pd.DataFrame([{"omega_total": float(omega), "n": n, "k": k, "method": method,
                              "note": join_notes(notes)}], columns=OMEGA_COLUMNS)

    sd = Xu.std(axis=0, ddof=1)
    if np.any(sd == 0):
        bad = [names[j] for j in np.flatnonzero(sd == 0)]
        notes.append(note_code("omega_zero_variance_items", ", ".join(bad)))
        return result(np.nan)
    if k < 3:
        notes.append(note_code("omega_fewer_than_3_items"))
        return result(np.nan)
    if n <= k:
        notes.append(note_code("omega_n_not_above_k", n))
        return result(np.nan)

    R = np.corrcoef(Xu, rowvar=False)
    evals, evecs = np.linalg.eigh(R)
    load0 = evecs[:, -1] * np.sqrt(evals[-1])
    load0 = np.clip(load0 * np.sign(load0.sum() or 1.0), -0.95, 0.95)
    uniq0 = np.clip(1 - load0**2, 0.05, 0.95)
    model = Factor(Xu, n_factor=1, method="ml")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit = model.fit(start=(load0[:, None], uniq0), rng=0)
    lam = np.asarray(fit.loadings, dtype=float)[:, 0]
    psi = np.asarray(fit.uniqueness, dtype=float)
    if lam.sum() < 0:
        lam = -lam
    if not getattr(model.mle_retvals, "success", True):
        notes.append(note_code("ml_not_converged"))
    for w in caught:
        if "uniquenesses are nearly zero" in str(w.message):
            notes.append(note_code("heywood_case"))
    if (lam < 0).any():
        neg = [names[j] for j in np.flatnonzero(lam < 0)]
        notes.append(note_code("negative_loadings", ", ".join(neg)))
    notes.append(note_code("loadings", f"{lam.min():.3f}", f"{lam.max():.3f}"))
    s = lam.sum()
    return result(s**2 / (s**2 + psi.sum()))


# --------------------------------------------------------------------------------------------
# several scales at once
# --------------------------------------------------------------------------------------------

SCALE_TABLE_COLUMNS = ["scale", "k", "n", "alpha", "ci_low", "ci_high", "alpha_std", "omega_total",
                       "reference_alpha", "note"]


def scale_table(data: pd.DataFrame, names: Sequence[str], ci: float = 0.95) -> pd.DataFrame:
    """Cronbach's alpha (Feldt CI, listwise) and omega total of several instruments.

    Parameters
    ----------
    data : pandas.DataFrame
        Coded items, columns ``{name}_{i}``.
    names : sequence of str
        Instrument keys; reverse-keyed items are flipped first
        (:func:`laoyou_eval.scoring.keyed_items`).
    ci : float, default 0.95

    Returns
    -------
    pandas.DataFrame
        One row per instrument: scale, k, n (complete rows), alpha, ci_low, ci_high,
        alpha_std, omega_total, reference_alpha (from the instrument file, when its kind is
        an alpha), note.
    """
    from laoyou_eval import instruments, scoring

    rows = []
    for name in names:
        items = scoring.keyed_items(data, name)
        alpha = cronbach_alpha(items, ci=ci).iloc[0]
        omega = omega_total(items).iloc[0]
        reference = instruments.get(name).reliability
        ref_alpha = reference.get("value") if "alpha" in str(reference.get("kind", "")).lower() else np.nan
        rows.append({"scale": name, "k": int(alpha["k"]), "n": int(alpha["n"]), "alpha": alpha["alpha"],
                     "ci_low": alpha["ci_low"], "ci_high": alpha["ci_high"], "alpha_std": alpha["alpha_std"],
                     "omega_total": omega["omega_total"], "reference_alpha": ref_alpha,
                     "note": join_notes([alpha["note"], omega["note"]])})
    return pd.DataFrame(rows, columns=SCALE_TABLE_COLUMNS)
