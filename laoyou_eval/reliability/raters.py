"""Rater reliability: the six intraclass correlations of McGraw & Wong (1996) with
Shrout & Fleiss (1979) names."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from laoyou_eval.errors import LaoyouError
from laoyou_eval.reliability._checks import check_choice, check_ci, column_to_float, join_notes, note_code

__all__ = ["icc"]

ICC_COLUMNS = ["type", "type_shrout_fleiss", "description", "icc", "f", "df1", "df2", "p",
               "ci_low", "ci_high", "n", "k", "note"]


_ICC_TYPES = [
    ("ICC(1,1)", "ICC1", "one-way random effects, absolute agreement, single rater"),
    ("ICC(A,1)", "ICC2", "two-way random effects, absolute agreement, single rater"),
    ("ICC(C,1)", "ICC3", "two-way mixed effects, consistency, single rater"),
    ("ICC(1,k)", "ICC1k", "one-way random effects, absolute agreement, mean of k raters"),
    ("ICC(A,k)", "ICC2k", "two-way random effects, absolute agreement, mean of k raters"),
    ("ICC(C,k)", "ICC3k", "two-way mixed effects, consistency, mean of k raters"),
]


def icc(data: pd.DataFrame, targets: str, raters: str, ratings: str, ci: float = 0.95,
        nan_policy: str = "raise") -> pd.DataFrame:
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
    nan_policy : {"raise", "omit"}, default "raise"
        What to do with a target that lacks a rating from some rater (a missing row or a NaN
        rating): ``"raise"`` stops with an error naming it; ``"omit"`` drops every such target
        and analyses the complete ones, saying how many were dropped in ``note`` (pingouin's
        ``nan_policy="omit"``).

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
    These are the same formulas as ``pingouin.intraclass_corr``.  The two-way ANOVA needs a
    complete design: by default an error names the first incomplete target; with
    ``nan_policy="omit"`` incomplete targets are dropped (listwise over targets, valid when
    ratings are missing completely at random) and n counts the targets kept.

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
    ci = check_ci(ci)
    check_choice(nan_policy, ("raise", "omit"), "nan_policy")
    if not isinstance(data, pd.DataFrame):
        raise LaoyouError("icc 需要长格式的 DataFrame。", "icc needs a long-format DataFrame.",
                          hint_zh="每行一个（对象，评分者，评分）。",
                          hint_en="one row per (target, rater, rating).")
    for col in (targets, raters, ratings):
        if col not in data.columns:
            raise LaoyouError(f"找不到列“{col}”。", f"Column {col!r} not found.", column=str(col),
                              hint_zh=f"现有列：{', '.join(map(str, data.columns))}。",
                              hint_en=f"available columns: {', '.join(map(str, data.columns))}.")
    values = column_to_float(data[ratings], ratings, 0)
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
    notes = []
    if len(incomplete) and nan_policy == "omit":
        notes.append(note_code("incomplete_targets_left_out", len(incomplete)))
        wide = wide.drop(index=incomplete)
    elif len(incomplete):
        t = incomplete[0]
        missing_raters = [_label(r) for r in wide.columns[wide.loc[t].isna()]]
        raise LaoyouError(
            f"对象 {_label(t)} 缺少评分者 {', '.join(missing_raters)} 的评分；ICC 需要完整数据"
            f"（共 {len(incomplete)} 个对象不完整）。",
            f"Target {_label(t)} has no rating from rater(s) {', '.join(missing_raters)}; ICC needs "
            f"complete data ({len(incomplete)} incomplete target(s)).",
            column=str(targets),
            hint_zh="补齐评分，或传入 nan_policy='omit' 删除不完整的对象（并在报告中说明）。",
            hint_en="complete the ratings, or pass nan_policy='omit' to drop incomplete targets "
                    "(and report that you did).")
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
        notes.append(note_code("no_within_variance"))
    if msb == 0:
        notes.append(note_code("no_between_variance"))
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
                     "note": join_notes(notes)})
    return pd.DataFrame(rows, columns=ICC_COLUMNS)


def _label(value) -> str:
    """An id as a user would write it: ``5``, not ``np.int64(5)``."""
    if isinstance(value, np.generic):
        value = value.item()
    return str(value)


def _finite(x) -> float:
    x = float(x)
    return x if np.isfinite(x) else np.nan

