"""Reliability of scales and agreement between coders.

Scale reliability: Cronbach's alpha with Feldt, Duhachek–Iacobucci or bootstrap confidence
intervals (:func:`cronbach_alpha`), SPSS-style item analysis with corrected item–total
correlations and alpha-if-item-deleted (:func:`item_analysis`), and one-factor omega total
(:func:`omega_total`).  Rater reliability: the six intraclass correlations of McGraw & Wong
(1996) with Shrout & Fleiss (1979) names (:func:`icc`).  Coder agreement for open answers:
percent agreement, Cohen's kappa and Krippendorff's alpha (:func:`agreement`) and the list of
units to reconcile (:func:`disagreements`).

Every function returns a tidy :class:`pandas.DataFrame` with fixed snake_case columns.  A
statistic that is undefined for the data is NaN and the ``note`` column says why, in the report
language (:func:`laoyou_eval.report.set_language`); bad input raises
:class:`laoyou_eval.errors.LaoyouError` in Chinese and English.

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
from laoyou_eval.report.i18n import text

__all__ = ["cronbach_alpha", "item_analysis", "omega_total", "icc", "agreement", "disagreements",
           "scale_table"]

_MISSING_POLICIES = ("listwise", "pairwise")
_CI_METHODS = ("feldt", "duhachek", "bootstrap")

ALPHA_COLUMNS = ["alpha", "ci_low", "ci_high", "ci_method", "n", "k", "alpha_std", "missing", "note"]
ITEM_COLUMNS = ["item", "mean", "sd", "n", "citc", "alpha_if_deleted", "note"]
OMEGA_COLUMNS = ["omega_total", "n", "k", "method", "note"]
ICC_COLUMNS = ["type", "type_shrout_fleiss", "description", "icc", "f", "df1", "df2", "p",
               "ci_low", "ci_high", "n", "k", "note"]
AGREEMENT_COLUMNS = ["percent_agreement", "cohen_kappa", "kappa_se", "kappa_ci_low",
                     "kappa_ci_high", "krippendorff_alpha", "n", "n_units", "note"]
DISAGREEMENT_COLUMNS = ["unit", "code_a", "code_b", "status"]


# --------------------------------------------------------------------------------------------
# input checking
# --------------------------------------------------------------------------------------------

def _is_real_number(value) -> bool:
    return isinstance(value, (int, float, bool, np.integer, np.floating, np.bool_))


def _is_numeric(dtype) -> bool:
    return pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_numeric_dtype(dtype)


def _column_to_float(series: pd.Series, name: str, position: int) -> np.ndarray:
    """One item column as float64 with NaN for missing; non-numeric content is an error."""
    if _is_numeric(series.dtype):
        values = series.to_numpy(dtype=float, na_value=np.nan)
    else:
        bad = [(i, v) for i, v in enumerate(series.tolist())
               if not pd.isna(v) and not _is_real_number(v)]
        if bad:
            row, value = bad[0]
            raise LaoyouError(
                f"第 {position + 1} 个题目列“{name}”含有非数字内容（例如 {value!r}），"
                "无法计算信度。",
                f"Item column {name!r} (item {position + 1}) holds non-numeric values "
                f"(e.g. {value!r}); reliability needs numeric item scores.",
                row=row + 2, column=str(name),
                hint_zh="先用编码表（coding）把答案文字转换成数字代码，再计算信度。",
                hint_en="code the answers to numbers with the codebook (coding) first.")
        values = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    _check_finite(values, name)
    return values


def _check_finite(values: np.ndarray, name: str) -> None:
    if np.isinf(values).any():
        row = int(np.flatnonzero(np.isinf(values))[0])
        raise LaoyouError(f"题目列“{name}”含有无穷大的值。",
                          f"Item column {name!r} contains an infinite value.",
                          row=row + 2, column=str(name),
                          hint_zh="检查该单元格的数据。", hint_en="check that cell.")


def _frame_to_float(frame: pd.DataFrame, names: list[str]) -> np.ndarray:
    """An (n, k) float64 array of the item columns; all-numeric frames are converted at once."""
    if not all(_is_numeric(dtype) for dtype in set(frame.dtypes)):
        cols = [_column_to_float(frame.iloc[:, j], names[j], j) for j in range(frame.shape[1])]
        return np.column_stack(cols) if cols else np.empty((len(frame), 0))
    X = frame.to_numpy(dtype=float, na_value=np.nan)
    if np.isinf(X).any():
        for j, name in enumerate(names):
            _check_finite(X[:, j], name)
    return X


def _item_matrix(items, *, min_items: int = 2) -> tuple[np.ndarray, list[str]]:
    """Return ``(X, names)``: an (n, k) float array with NaN for missing, and item names."""
    if isinstance(items, pd.Series):
        items = items.to_frame()
    if isinstance(items, pd.DataFrame):
        names = [str(c) for c in items.columns]
        if len(set(names)) != len(names):
            dup = pd.Index(names)[pd.Index(names).duplicated()][0]
            raise LaoyouError(f"题目列名“{dup}”重复出现。", f"Item column {dup!r} appears twice.",
                              column=dup, hint_zh="每个题目只保留一列。",
                              hint_en="keep one column per item.")
        X = _frame_to_float(items, names)
    else:
        try:
            arr = np.asarray(items)
        except Exception as exc:  # ragged lists and the like
            raise LaoyouError("题目数据无法转换为二维表。", "Item data cannot be read as a 2-D table.",
                              hint_zh="传入 DataFrame（行=受访者，列=题目）。",
                              hint_en="pass a DataFrame (rows = respondents, columns = items).") from exc
        if arr.ndim != 2:
            raise LaoyouError(
                f"题目数据必须是二维的（行=受访者，列=题目），这里是 {arr.ndim} 维。",
                f"Item data must be 2-D (rows = respondents, columns = items); got {arr.ndim}-D.",
                hint_zh="传入 DataFrame 或二维数组。", hint_en="pass a DataFrame or a 2-D array.")
        names = [f"item_{j + 1}" for j in range(arr.shape[1])]
        frame = pd.DataFrame(arr.tolist() if arr.dtype.kind not in "biuf" else arr, columns=names)
        X = _frame_to_float(frame, names)
    k = X.shape[1]
    if k < min_items:
        raise LaoyouError(
            f"至少需要 {min_items} 个题目，这里只有 {k} 个。",
            f"At least {min_items} items are needed; got {k}.",
            hint_zh="检查是否选对了量表的题目列。", hint_en="check that you selected the scale's item columns.")
    empty = np.flatnonzero(np.isnan(X).all(axis=0))
    if empty.size:
        name = names[int(empty[0])]
        raise LaoyouError(
            f"题目“{name}”没有任何有效回答（全部缺失）。",
            f"Item {name!r} has no answers at all (all missing).",
            column=name, hint_zh="删除该列，或检查编码是否把所有答案都变成了缺失。",
            hint_en="drop the column, or check whether coding turned every answer into a missing value.")
    return X, names


def _check_ci(ci: float) -> float:
    if not (isinstance(ci, (int, float, np.floating)) and 0 < float(ci) < 1):
        raise LaoyouError(f"置信水平 ci 必须在 0 和 1 之间，这里是 {ci!r}。",
                          f"ci must lie strictly between 0 and 1; got {ci!r}.",
                          hint_zh="例如 ci=0.95。", hint_en="e.g. ci=0.95.")
    return float(ci)


def _check_choice(value, allowed: Sequence[str], argument: str) -> str:
    if value not in allowed:
        raise LaoyouError(f"参数 {argument} 只能是 {', '.join(allowed)}，这里是 {value!r}。",
                          f"{argument} must be one of {', '.join(allowed)}; got {value!r}.")
    return value


def _join(notes: Sequence[str]) -> str:
    return "; ".join(n for n in notes if n)


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
                   n_boot: int = 2000, seed: int = 20240601) -> pd.DataFrame:
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
    """
    ci = _check_ci(ci)
    _check_choice(missing, _MISSING_POLICIES, "missing")
    _check_choice(ci_method, _CI_METHODS, "ci_method")
    X, _ = _item_matrix(items)
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
        why = "a missing answer" if missing == "listwise" else "fewer than 2 items answered"
        notes.append(text(f"{n_total} 行中有 {n_total - n} 行未纳入（{missing}：{why}）", f"{n_total - n} of {n_total} rows left out ({missing}: {why})"))
    C, N = _pairwise_cov(Xu)
    if missing == "pairwise":
        off = N[~np.eye(k, dtype=bool)]
        if off.min() < n:
            notes.append(text(f"成对样本量最小为 {int(off.min())}", f"smallest pairwise n = {int(off.min())}"))
    alpha = _alpha_from_cov(C)
    if np.isnan(alpha):
        if np.isnan(C).any():
            notes.append(text("α 无定义：有的条目对共同作答少于 2 人", "alpha undefined: some item pairs have fewer than 2 joint answers"))
        else:
            notes.append(text("α 无定义：总分方差为 0", "alpha undefined: the total score has zero variance"))
    elif alpha < 0:
        notes.append(text("α 为负：请检查反向计分条目", "negative alpha: check reverse keying of items"))

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
            notes.append(text(f"标准化 α 无定义：{zero} 个条目方差为 0", f"alpha_std undefined: {zero} item(s) with zero variance"))

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
                notes.append(text(f"{n_boot} 次自助抽样中有 {n_bad} 次 α 无定义，未纳入",
                                  f"{n_bad} of {n_boot} bootstrap resamples had undefined alpha and were left out"))
    return pd.DataFrame([{
        "alpha": float(alpha), "ci_low": float(lo), "ci_high": float(hi), "ci_method": method_label,
        "n": n, "k": k, "alpha_std": float(alpha_std), "missing": missing, "note": _join(notes),
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
    _check_choice(missing, _MISSING_POLICIES, "missing")
    X, names = _item_matrix(items)
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
            notes.append(text("校正项总计相关无定义：该条目或其余条目总分方差为 0", "citc undefined: zero variance of the item or of the rest score"))
        if k - 1 >= 2:
            aid = _alpha_from_cov(C_rest)
            if np.isnan(aid):
                notes.append(text("项已删除的 α 无定义：其余条目总分方差为 0", "alpha_if_deleted undefined: rest score has zero variance"))
        else:
            aid = np.nan
            notes.append(text("项已删除的 α 无定义：只剩 1 个条目", "alpha_if_deleted undefined: only 1 item would remain"))
        rows.append({"item": name, "mean": float(obs.mean()),
                     "sd": float(obs.std(ddof=1)) if obs.size > 1 else np.nan,
                     "n": int(obs.size), "citc": float(citc), "alpha_if_deleted": float(aid),
                     "note": _join(notes)})
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

    X, names = _item_matrix(items)
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
        notes.append(text(f"{n_total} 行中有 {n_total - n} 行有缺答，未纳入（列表删除）", f"{n_total - n} of {n_total} rows with missing answers left out (listwise)"))
    method = "one-factor ML, statsmodels Factor"

    def result(omega):
        return pd.DataFrame([{"omega_total": float(omega), "n": n, "k": k, "method": method,
                              "note": _join(notes)}], columns=OMEGA_COLUMNS)

    sd = Xu.std(axis=0, ddof=1)
    if np.any(sd == 0):
        bad = [names[j] for j in np.flatnonzero(sd == 0)]
        notes.append(text(f"ω 无定义：条目 {', '.join(bad)} 方差为 0", f"omega undefined: zero-variance item(s) {', '.join(bad)}"))
        return result(np.nan)
    if k < 3:
        notes.append(text("ω 无定义：单因子模型至少需要 3 个条目", "omega undefined: a one-factor model needs at least 3 items"))
        return result(np.nan)
    if n <= k:
        notes.append(text(f"ω 无定义：极大似然因子分析需要样本量（n = {n}）多于条目数", f"omega undefined: ML factor analysis needs more rows (n = {n}) than items"))
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
        notes.append(text("极大似然拟合未收敛", "ML fit did not converge"))
    for w in caught:
        if "uniquenesses are nearly zero" in str(w.message):
            notes.append(text("Heywood 情形：有的独特方差接近 0", "Heywood case: some uniqueness is nearly zero"))
    if (lam < 0).any():
        neg = [names[j] for j in np.flatnonzero(lam < 0)]
        notes.append(text(f"{', '.join(neg)} 的载荷为负：请检查反向计分", f"negative loading(s) for {', '.join(neg)}: check reverse keying"))
    notes.append(text(f"标准化载荷 {lam.min():.3f} 至 {lam.max():.3f}", f"standardized loadings {lam.min():.3f} to {lam.max():.3f}"))
    s = lam.sum()
    return result(s**2 / (s**2 + psi.sum()))


# --------------------------------------------------------------------------------------------
# ICC
# --------------------------------------------------------------------------------------------

_ICC_TYPES = [
    ("ICC(1,1)", "ICC1", "one-way random effects, absolute agreement, single rater"),
    ("ICC(A,1)", "ICC2", "two-way random effects, absolute agreement, single rater"),
    ("ICC(C,1)", "ICC3", "two-way mixed effects, consistency, single rater"),
    ("ICC(1,k)", "ICC1k", "one-way random effects, absolute agreement, mean of k raters"),
    ("ICC(A,k)", "ICC2k", "two-way random effects, absolute agreement, mean of k raters"),
    ("ICC(C,k)", "ICC3k", "two-way mixed effects, consistency, mean of k raters"),
]


def icc(data: pd.DataFrame, targets: str, raters: str, ratings: str, ci: float = 0.95) -> pd.DataFrame:
    """Six intraclass correlation coefficients with F tests and confidence intervals.

    Parameters
    ----------
    data : pandas.DataFrame
        Long format: one row per (target, rater) rating.  Every target must be rated by every
        rater exactly once.
    targets, raters, ratings : str
        Columns with the target (person, case) id, the rater id and the numeric rating.
    ci : float, default 0.95
        Confidence level.

    Returns
    -------
    pandas.DataFrame
        Six rows in the order ICC(1,1), ICC(A,1), ICC(C,1), ICC(1,k), ICC(A,k), ICC(C,k), with
        columns

        - ``type`` – McGraw & Wong (1996) name.
        - ``type_shrout_fleiss`` – Shrout & Fleiss (1979) name: ICC1, ICC2, ICC3, ICC1k,
          ICC2k, ICC3k (pingouin ≤ 0.6.0 used these).
        - ``description`` – model, definition and unit in words.
        - ``icc`` – the coefficient.
        - ``f``, ``df1``, ``df2``, ``p`` – F test of H0: ICC = 0 (one-way F = MSB/MSW for the
          "1" types, two-way F = MSB/MSE otherwise).
        - ``ci_low``, ``ci_high`` – confidence limits.
        - ``n`` – number of targets; ``k`` – number of raters.
        - ``note`` – why a value is undefined; ``""`` otherwise.

    Raises
    ------
    LaoyouError
        Missing columns, non-numeric or missing ratings, a target not rated by every rater,
        duplicate (target, rater) ratings, fewer than 2 targets or raters.

    Notes
    -----
    From the two-way ANOVA without replication (n targets × k raters): MSB (targets), MSJ
    (raters), MSE (residual) and MSW = (SSJ + SSE)/(n(k−1)).

    * ICC(1,1) = (MSB−MSW)/(MSB+(k−1)MSW);  ICC(1,k) = (MSB−MSW)/MSB
    * ICC(A,1) = (MSB−MSE)/(MSB+(k−1)MSE+k(MSJ−MSE)/n);  ICC(A,k) = (MSB−MSE)/(MSB+(MSJ−MSE)/n)
    * ICC(C,1) = (MSB−MSE)/(MSB+(k−1)MSE);  ICC(C,k) = (MSB−MSE)/MSB

    Confidence intervals follow Shrout & Fleiss (1979) and McGraw & Wong (1996): exact F-based
    limits for the one-way and consistency types, and the Satterthwaite-type approximation for
    ICC(A,1), with ICC(A,k) obtained from the ICC(A,1) limits by the Spearman–Brown formula.
    These are the same formulas as ``pingouin.intraclass_corr``.  No missing data are
    allowed (complete design); an error names the first incomplete target.

    References
    ----------
    Shrout, P. E., & Fleiss, J. L. (1979). Intraclass correlations: Uses in assessing rater
    reliability. *Psychological Bulletin, 86*(2), 420–428.
    https://doi.org/10.1037/0033-2909.86.2.420

    McGraw, K. O., & Wong, S. P. (1996). Forming inferences about some intraclass correlation
    coefficients. *Psychological Methods, 1*(1), 30–46. https://doi.org/10.1037/1082-989X.1.1.30

    Examples
    --------
    >>> import pandas as pd
    >>> from laoyou_eval.reliability import icc
    >>> wide = pd.DataFrame([[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6],
    ...                      [10, 5, 6, 9], [6, 2, 4, 7]], columns=["j1", "j2", "j3", "j4"])
    >>> long = wide.rename_axis("target").reset_index().melt(
    ...     id_vars="target", var_name="judge", value_name="score")
    >>> icc(long, "target", "judge", "score")["icc"].round(2).tolist()
    [0.17, 0.29, 0.71, 0.44, 0.62, 0.91]
    """
    ci = _check_ci(ci)
    if not isinstance(data, pd.DataFrame):
        raise LaoyouError("icc 需要长格式的 DataFrame。", "icc needs a long-format DataFrame.",
                          hint_zh="每行一个（对象，评分者，评分）。",
                          hint_en="one row per (target, rater, rating).")
    for col in (targets, raters, ratings):
        if col not in data.columns:
            raise LaoyouError(f"找不到列“{col}”。", f"Column {col!r} not found.", column=str(col),
                              hint_zh=f"现有列：{', '.join(map(str, data.columns))}。",
                              hint_en=f"available columns: {', '.join(map(str, data.columns))}.")
    values = _column_to_float(data[ratings], ratings, 0)
    df = pd.DataFrame({"t": data[targets].to_numpy(), "r": data[raters].to_numpy(), "y": values})
    if df["t"].isna().any() or df["r"].isna().any():
        row = int(np.flatnonzero((df["t"].isna() | df["r"].isna()).to_numpy())[0])
        raise LaoyouError("有评分缺少对象编号或评分者编号。", "A rating lacks its target or rater id.",
                          row=row + 2, hint_zh="补全编号。", hint_en="fill in the ids.")
    dup = df.duplicated(["t", "r"], keep=False)
    if dup.any():
        first = df[dup].iloc[0]
        raise LaoyouError(
            f"对象 {_label(first['t'])} 被评分者 {_label(first['r'])} 评了不止一次。",
            f"Target {_label(first['t'])} has more than one rating from rater {_label(first['r'])}.",
            row=int(np.flatnonzero(dup.to_numpy())[0]) + 2, column=str(targets),
            hint_zh="每个（对象，评分者）只保留一条评分。",
            hint_en="keep one rating per (target, rater).")
    wide = df.pivot(index="t", columns="r", values="y")
    incomplete = wide.index[wide.isna().any(axis=1)]
    if len(incomplete):
        t = incomplete[0]
        missing_raters = [_label(r) for r in wide.columns[wide.loc[t].isna()]]
        raise LaoyouError(
            f"对象 {_label(t)} 缺少评分者 {', '.join(missing_raters)} 的评分；ICC 需要完整数据"
            f"（共 {len(incomplete)} 个对象不完整）。",
            f"Target {_label(t)} has no rating from rater(s) {', '.join(missing_raters)}; ICC needs "
            f"complete data ({len(incomplete)} incomplete target(s)).",
            column=str(targets),
            hint_zh="补齐评分，或删除不完整的对象后再计算（并在报告中说明）。",
            hint_en="complete the ratings, or drop incomplete targets and report that you did.")
    Y = wide.to_numpy(dtype=float)
    n, k = Y.shape
    if n < 2 or k < 2:
        raise LaoyouError(f"ICC 至少需要 2 个对象和 2 个评分者（这里 {n} 个对象，{k} 个评分者）。",
                          f"ICC needs at least 2 targets and 2 raters (got {n} and {k}).")

    gm = Y.mean()
    ss_b = k * ((Y.mean(axis=1) - gm) ** 2).sum()
    ss_j = n * ((Y.mean(axis=0) - gm) ** 2).sum()
    ss_t = ((Y - gm) ** 2).sum()
    ss_e = ss_t - ss_b - ss_j
    df_b, df_j, df_e, df_w = n - 1, k - 1, (n - 1) * (k - 1), n * (k - 1)
    msb, msj, mse = ss_b / df_b, ss_j / df_j, ss_e / df_e
    msw = (ss_j + ss_e) / df_w
    notes = []
    gamma = 1 - ci
    with np.errstate(divide="ignore", invalid="ignore"):
        icc1 = (msb - msw) / (msb + (k - 1) * msw)
        icc2 = (msb - mse) / (msb + (k - 1) * mse + k * (msj - mse) / n)
        icc3 = (msb - mse) / (msb + (k - 1) * mse)
        icc1k = (msb - msw) / msb
        icc2k = (msb - mse) / (msb + (msj - mse) / n)
        icc3k = (msb - mse) / msb
        f1 = msb / msw
        f3 = msb / mse
        p1 = stats.f.sf(f1, df_b, df_w)
        p3 = stats.f.sf(f3, df_b, df_e)
        # one-way and consistency: exact F limits
        f1l = f1 / stats.f.ppf(1 - gamma / 2, df_b, df_w)
        f1u = f1 * stats.f.ppf(1 - gamma / 2, df_w, df_b)
        f3l = f3 / stats.f.ppf(1 - gamma / 2, df_b, df_e)
        f3u = f3 * stats.f.ppf(1 - gamma / 2, df_e, df_b)
        l1, u1 = (f1l - 1) / (f1l + k - 1), (f1u - 1) / (f1u + k - 1)
        l3, u3 = (f3l - 1) / (f3l + k - 1), (f3u - 1) / (f3u + k - 1)
        # absolute agreement: Satterthwaite df (McGraw & Wong 1996, Table 7)
        fj = msj / mse
        vn = df_e * (k * icc2 * fj + n * (1 + (k - 1) * icc2) - k * icc2) ** 2
        vd = df_b * k**2 * icc2**2 * fj**2 + (n * (1 + (k - 1) * icc2) - k * icc2) ** 2
        v = vn / vd
        f2u = stats.f.ppf(1 - gamma / 2, df_b, v)
        f2l = stats.f.ppf(1 - gamma / 2, v, df_b)
        l2 = n * (msb - f2u * mse) / (f2u * (k * msj + (k * n - k - n) * mse) + n * msb)
        u2 = n * (f2l * msb - mse) / (k * msj + (k * n - k - n) * mse + n * f2l * msb)
        lims = [(l1, u1), (l2, u2), (l3, u3), (1 - 1 / f1l, 1 - 1 / f1u),
                (l2 * k / (1 + l2 * (k - 1)), u2 * k / (1 + u2 * (k - 1))), (1 - 1 / f3l, 1 - 1 / f3u)]
    if msw == 0 or mse == 0:
        notes.append(text("对象内（或残差）方差为 0：F 和部分置信区间无定义", "no within-target (or residual) variance: F and some CIs undefined"))
    if msb == 0:
        notes.append(text("对象间方差为 0：ICC 无定义", "no between-target variance: ICC undefined"))
    values_icc = [icc1, icc2, icc3, icc1k, icc2k, icc3k]
    fs = [(f1, df_b, df_w, p1), (f3, df_b, df_e, p3), (f3, df_b, df_e, p3)]
    fs = fs + fs
    rows = []
    for (name, sf, desc), value, (fv, d1, d2, pv), (lo, hi) in zip(_ICC_TYPES, values_icc, fs, lims):
        if not np.isfinite(fv):  # MSW or MSE = 0: no test and no interval
            pv = lo = hi = np.nan
        rows.append({"type": name, "type_shrout_fleiss": sf, "description": desc,
                     "icc": _finite(value), "f": _finite(fv), "df1": int(d1), "df2": int(d2),
                     "p": _finite(pv), "ci_low": _finite(lo), "ci_high": _finite(hi), "n": n, "k": k,
                     "note": _join(notes)})
    return pd.DataFrame(rows, columns=ICC_COLUMNS)


def _label(value) -> str:
    """An id as a user would write it: ``5``, not ``np.int64(5)``."""
    if isinstance(value, np.generic):
        value = value.item()
    return str(value)


def _finite(x) -> float:
    x = float(x)
    return x if np.isfinite(x) else np.nan


# --------------------------------------------------------------------------------------------
# coder agreement
# --------------------------------------------------------------------------------------------

def _clean_code(value):
    """A code, or None when not coded (None, NaN, pd.NA, empty or blank string)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        return value or None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # 1.0 (from a NaN-holding column) and 1 are the same code
    return value


def _align(codes_a, codes_b) -> tuple[pd.Index, list, list]:
    """Units and cleaned codes of both coders."""
    if isinstance(codes_a, pd.Series) and isinstance(codes_b, pd.Series):
        for label, s in (("A", codes_a), ("B", codes_b)):
            if not s.index.is_unique:
                dup = s.index[s.index.duplicated()][0]
                raise LaoyouError(f"编码员 {label} 的单元编号 {dup!r} 出现不止一次。",
                                  f"Unit id {dup!r} appears more than once for coder {label}.",
                                  hint_zh="每个单元只保留一个编码。", hint_en="keep one code per unit.")
        extra = codes_b.index[~codes_b.index.isin(codes_a.index)]
        units = codes_a.index.append(extra)
        a = codes_a.reindex(units).tolist()
        b = codes_b.reindex(units).tolist()
    else:
        a = list(codes_a.tolist() if isinstance(codes_a, (pd.Series, pd.Index, np.ndarray)) else codes_a)
        b = list(codes_b.tolist() if isinstance(codes_b, (pd.Series, pd.Index, np.ndarray)) else codes_b)
        if len(a) != len(b):
            raise LaoyouError(
                f"两位编码员的编码数量不同（A {len(a)} 个，B {len(b)} 个）。",
                f"The coders have different numbers of codes (A {len(a)}, B {len(b)}).",
                hint_zh="传入以单元编号为索引的两个 Series，让程序按编号对齐。",
                hint_en="pass two Series indexed by unit id so that they are aligned by id.")
        if isinstance(codes_a, pd.Series):
            units = codes_a.index
        elif isinstance(codes_b, pd.Series):
            units = codes_b.index
        else:
            units = pd.RangeIndex(len(a))
    return units, [_clean_code(v) for v in a], [_clean_code(v) for v in b]


def _categories(values) -> list:
    seen = list(dict.fromkeys(v for v in values if v is not None))
    try:
        return sorted(seen)
    except TypeError:
        return seen


def agreement(codes_a, codes_b, ci: float = 0.95) -> pd.DataFrame:
    """Agreement of two coders on nominal codes: percent agreement, Cohen's κ, Krippendorff's α.

    Parameters
    ----------
    codes_a, codes_b : pandas.Series or array-like
        The codes given by coder A and coder B.  Two Series are aligned by index (unit ids;
        a unit present in only one Series counts as not coded by the other); otherwise the two
        must have equal length and are matched by position.  NaN, None, ``pd.NA`` and empty or
        blank strings mean "not coded".  String codes are stripped of surrounding spaces, and
        1.0 and 1 are the same code.
    ci : float, default 0.95
        Confidence level of the kappa interval.

    Returns
    -------
    pandas.DataFrame
        One row with columns

        - ``percent_agreement`` – share of units coded by both on which the codes are equal,
          as a **proportion** between 0 and 1 (p_o).
        - ``cohen_kappa`` – Cohen's (1960) unweighted kappa, (p_o − p_e)/(1 − p_e).
        - ``kappa_se`` – large-sample standard error of kappa (not the one under H0).
        - ``kappa_ci_low``, ``kappa_ci_high`` – Wald interval kappa ± z·``kappa_se``.
        - ``krippendorff_alpha`` – Krippendorff's alpha, nominal metric.
        - ``n`` – units coded by both coders (the kappa sample).
        - ``n_units`` – all units (after alignment), including those coded by one coder or by
          neither.
        - ``note`` – units coded by only one coder or by neither, and why a value is NaN.

    Notes
    -----
    Kappa, its SE and percent agreement use only the units coded by both, through the
    confusion table of their codes.  The table goes to
    ``statsmodels.stats.inter_rater.cohens_kappa``, and its ``std_kappa`` is the large-sample
    (non-null) standard error of Fleiss, Cohen & Everitt (1969).  The interval is
    κ̂ ± z₁₋γ/₂·SE, with γ = 1 − ``ci``, not truncated to [−1, 1].  κ is NaN when p_e = 1
    (both coders used one and the same category on every unit).

    Krippendorff's alpha = 1 − D_o/D_e. Both terms come from the coincidence matrix of all
    codes: all units and codes are passed to the ``krippendorff`` package, nominal level.
    α handles missing codes as Krippendorff (2011) prescribes: a unit with fewer than two
    codes is not pairable and adds nothing to the coincidences.  **With two coders, a unit
    coded by only one of them therefore does not change α**; it matters only with three or
    more coders.  So with two coders, α and κ rest on the same units. They differ because α
    pools both coders' marginals and corrects for small samples. α is NaN when fewer than 2
    categories occur among the pairable codes (no variation, D_e = 0) or no unit is coded by
    both.

    References
    ----------
    Cohen, J. (1960). A coefficient of agreement for nominal scales. *Educational and
    Psychological Measurement, 20*(1), 37–46. https://doi.org/10.1177/001316446002000104

    Fleiss, J. L., Cohen, J., & Everitt, B. S. (1969). Large sample standard errors of kappa
    and weighted kappa. *Psychological Bulletin, 72*(5), 323–327.
    https://doi.org/10.1037/h0028106

    Krippendorff, K. (2011). *Computing Krippendorff's alpha-reliability*. Annenberg School
    for Communication, University of Pennsylvania. https://repository.upenn.edu/asc_papers/43

    Hayes, A. F., & Krippendorff, K. (2007). Answering the call for a standard reliability
    measure for coding data. *Communication Methods and Measures, 1*(1), 77–89.
    https://doi.org/10.1080/19312450709336664

    Examples
    --------
    >>> import pandas as pd
    >>> from laoyou_eval.reliability import agreement
    >>> a = pd.Series(["家庭", "朋友", "家庭", "工作", None], index=[1, 2, 3, 4, 5])
    >>> b = pd.Series(["家庭", "朋友", "朋友", "工作", "家庭"], index=[1, 2, 3, 4, 5])
    >>> res = agreement(a, b)
    >>> float(res.at[0, "percent_agreement"]), int(res.at[0, "n"]), int(res.at[0, "n_units"])
    (0.75, 4, 5)
    """
    import krippendorff
    from statsmodels.stats.inter_rater import cohens_kappa

    ci = _check_ci(ci)
    units, a, b = _align(codes_a, codes_b)
    n_units = len(units)
    both = [(x, y) for x, y in zip(a, b) if x is not None and y is not None]
    only_a = sum(1 for x, y in zip(a, b) if x is not None and y is None)
    only_b = sum(1 for x, y in zip(a, b) if x is None and y is not None)
    neither = sum(1 for x, y in zip(a, b) if x is None and y is None)
    n = len(both)
    notes = []
    if only_a or only_b:
        notes.append(text(f"{only_a + only_b} 条回答只有一位编码员编码（A {only_a}，B {only_b}）："
                          "不计入 κ 和一致率，α 也无法配对",
                          f"{only_a + only_b} unit(s) coded by one coder only (A {only_a}, B {only_b}): "
                          "left out of kappa and percent agreement, not pairable for alpha"))
    if neither:
        notes.append(text(f"{neither} 条回答两位编码员都未编码", f"{neither} unit(s) coded by neither coder"))

    po = kappa = se = lo = hi = alpha = np.nan
    if n == 0:
        notes.append(text("没有两人都编码的回答：一致性无定义", "no unit coded by both coders: agreement undefined"))
    else:
        cats = _categories([v for pair in both for v in pair])
        pos = {c: i for i, c in enumerate(cats)}
        table = np.zeros((len(cats), len(cats)))
        for x, y in both:
            table[pos[x], pos[y]] += 1
        po = float(np.trace(table) / n)
        pe = float((table.sum(axis=1) / n) @ (table.sum(axis=0) / n))
        if np.isclose(pe, 1.0):
            notes.append(text("κ 无定义：两人都只用了同一个类别（p_e = 1）", "kappa undefined: both coders used a single, identical category (p_e = 1)"))
        else:
            with np.errstate(invalid="ignore", divide="ignore"):
                res = cohens_kappa(table)
            kappa = float(res.kappa)
            se = float(res.std_kappa)
            z = stats.norm.ppf(1 - (1 - ci) / 2)
            lo, hi = kappa - z * se, kappa + z * se
        if len(cats) < 2:
            notes.append(text("Krippendorff α 无定义：只用了一个类别（没有期望不一致）", "krippendorff_alpha undefined: only one category used (no expected disagreement)"))
        else:
            all_cats = _categories(a + b)
            pos_all = {c: i for i, c in enumerate(all_cats)}
            data = np.array([[np.nan if v is None else pos_all[v] for v in coder] for coder in (a, b)],
                            dtype=float)
            alpha = float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal",
                                             value_domain=list(range(len(all_cats)))))
    return pd.DataFrame([{
        "percent_agreement": po, "cohen_kappa": kappa, "kappa_se": se, "kappa_ci_low": lo,
        "kappa_ci_high": hi, "krippendorff_alpha": alpha, "n": n, "n_units": n_units,
        "note": _join(notes),
    }], columns=AGREEMENT_COLUMNS)


def disagreements(codes_a, codes_b) -> pd.DataFrame:
    """Units the two coders must reconcile: different codes, or coded by one coder only.

    Parameters
    ----------
    codes_a, codes_b : pandas.Series or array-like
        As in :func:`agreement` (Series are aligned by unit id).

    Returns
    -------
    pandas.DataFrame
        One row per unit to reconcile, in unit order, with columns

        - ``unit`` – unit id (Series index label, or 0-based position).
        - ``code_a``, ``code_b`` – the two codes (None when not coded).
        - ``status`` – ``"disagree"`` (both coded, codes differ; 编码不一致),
          ``"only_a"`` (only coder A coded it; 仅编码员A), ``"only_b"`` (only coder B; 仅编码员B)
          or ``"uncoded"`` (neither coder; 均未编码).

        Units on which the coders agree are not listed.

    Notes
    -----
    Codes are cleaned as in :func:`agreement` (blank strings are "not coded", surrounding
    spaces stripped), so the list matches the units behind ``percent_agreement``:
    ``n × (1 − percent_agreement)`` rows have status ``"disagree"``.

    References
    ----------
    Krippendorff, K. (2018). *Content analysis: An introduction to its methodology* (4th ed.).
    SAGE. https://doi.org/10.4135/9781071878781

    Examples
    --------
    >>> import pandas as pd
    >>> from laoyou_eval.reliability import disagreements
    >>> a = pd.Series(["家庭", "朋友", "家庭"], index=["r1", "r2", "r3"])
    >>> b = pd.Series(["家庭", "工作", None], index=["r1", "r2", "r3"])
    >>> disagreements(a, b)
      unit code_a code_b    status
    0   r2     朋友     工作  disagree
    1   r3     家庭   None    only_a
    """
    units, a, b = _align(codes_a, codes_b)
    rows = []
    for unit, x, y in zip(units, a, b):
        if x is not None and y is not None:
            if x == y:
                continue
            status = "disagree"
        elif x is not None:
            status = "only_a"
        elif y is not None:
            status = "only_b"
        else:
            status = "uncoded"
        rows.append((unit, x, y, status))
    return pd.DataFrame({
        "unit": pd.Series([r[0] for r in rows], dtype=units.dtype if len(rows) else object),
        "code_a": pd.Series([r[1] for r in rows], dtype=object),
        "code_b": pd.Series([r[2] for r in rows], dtype=object),
        "status": pd.Series([r[3] for r in rows], dtype=object),
    }, columns=DISAGREEMENT_COLUMNS)


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
                     "note": _join([alpha["note"], omega["note"]])})
    return pd.DataFrame(rows, columns=SCALE_TABLE_COLUMNS)
