"""Agreement of coders on open answers: percent agreement, Cohen's kappa, Krippendorff's
alpha, and the units the coders must reconcile.

The module is named ``coders`` rather than ``agreement`` so that it is not shadowed by the
function :func:`agreement` that the package re-exports.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from laoyou_eval.errors import LaoyouError
from laoyou_eval.reliability._checks import check_choice, check_ci, join_notes, note_code

__all__ = ["agreement", "disagreements", "krippendorff_alpha"]

AGREEMENT_COLUMNS = ["percent_agreement", "cohen_kappa", "kappa_se", "kappa_ci_low",
                     "kappa_ci_high", "krippendorff_alpha", "n", "n_units", "note"]
DISAGREEMENT_COLUMNS = ["unit", "code_a", "code_b", "status"]


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
    codes: all units and codes go to :func:`krippendorff_alpha`, nominal level.
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
    from statsmodels.stats.inter_rater import cohens_kappa

    ci = check_ci(ci)
    units, a, b = _align(codes_a, codes_b)
    n_units = len(units)
    both = [(x, y) for x, y in zip(a, b) if x is not None and y is not None]
    only_a = sum(1 for x, y in zip(a, b) if x is not None and y is None)
    only_b = sum(1 for x, y in zip(a, b) if x is None and y is not None)
    neither = sum(1 for x, y in zip(a, b) if x is None and y is None)
    n = len(both)
    notes = []
    if only_a or only_b:
        notes.append(note_code("units_one_coder", only_a + only_b, only_a, only_b))
    if neither:
        notes.append(note_code("units_uncoded", neither))

    po = kappa = se = lo = hi = alpha = np.nan
    if n == 0:
        notes.append(note_code("no_unit_coded_by_both"))
    else:
        cats = _categories([v for pair in both for v in pair])
        pos = {c: i for i, c in enumerate(cats)}
        table = np.zeros((len(cats), len(cats)))
        for x, y in both:
            table[pos[x], pos[y]] += 1
        po = float(np.trace(table) / n)
        pe = float((table.sum(axis=1) / n) @ (table.sum(axis=0) / n))
        if np.isclose(pe, 1.0):
            notes.append(note_code("kappa_undefined_single_category"))
        else:
            with np.errstate(invalid="ignore", divide="ignore"):
                res = cohens_kappa(table)
            kappa = float(res.kappa)
            se = float(res.std_kappa)
            z = stats.norm.ppf(1 - (1 - ci) / 2)
            lo, hi = kappa - z * se, kappa + z * se
        if len(cats) < 2:
            notes.append(note_code("alpha_undefined_single_category"))
        else:
            alpha = float(krippendorff_alpha(pd.DataFrame({"a": a, "b": b}, dtype=object)).at[0, "krippendorff_alpha"])
    return pd.DataFrame([{
        "percent_agreement": po, "cohen_kappa": kappa, "kappa_se": se, "kappa_ci_low": lo,
        "kappa_ci_high": hi, "krippendorff_alpha": alpha, "n": n, "n_units": n_units,
        "note": join_notes(notes),
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
# Krippendorff's alpha for any number of coders
# --------------------------------------------------------------------------------------------

KRIPPENDORFF_LEVELS = ("nominal", "ordinal", "interval", "ratio")
KRIPPENDORFF_COLUMNS = ["krippendorff_alpha", "level", "n_units", "n_pairable_units", "n_coders",
                        "n_pairable_values", "d_observed", "d_expected", "note"]


def _reliability_table(codes, unit, coder, code) -> list[list]:
    """Rows of cleaned codes (None = not coded), one row per unit and one entry per coder,
    from wide or long input."""
    if not isinstance(codes, pd.DataFrame):
        raise LaoyouError("krippendorff_alpha 需要 DataFrame（行=单元，列=编码员；或长格式）。",
                          "krippendorff_alpha needs a DataFrame (rows = units, columns = coders; or long format).")
    if unit is not None or coder is not None or code is not None:
        missing = [c for c in (unit, coder, code) if c is None or c not in codes.columns]
        if missing:
            raise LaoyouError(f"长格式需要 unit、coder、code 三列都存在（缺 {missing!r}）。",
                              f"Long format needs the unit, coder and code columns (missing {missing!r}).",
                              hint_zh=f"现有列：{', '.join(map(str, codes.columns))}。",
                              hint_en=f"available columns: {', '.join(map(str, codes.columns))}.")
        dup = codes.duplicated([unit, coder], keep=False)
        if dup.any():
            first = codes[dup].iloc[0]
            raise LaoyouError(f"单元 {first[unit]!r} 被编码员 {first[coder]!r} 编码了不止一次。",
                              f"Unit {first[unit]!r} has more than one code from coder {first[coder]!r}.",
                              row=int(np.flatnonzero(dup.to_numpy())[0]) + 2, column=str(unit),
                              hint_zh="每个（单元，编码员）只保留一个编码。", hint_en="keep one code per (unit, coder).")
        codes = codes.pivot(index=unit, columns=coder, values=code)
    return [[_clean_code(v) for v in row] for row in codes.to_numpy(dtype=object)]


def _metric(level: str, values: list, margins: np.ndarray) -> np.ndarray:
    """δ²_ck of Krippendorff (2011, §E) for the sorted ``values`` with coincidence margins n_c."""
    if level == "nominal":
        return 1.0 - np.eye(len(values))
    if level == "ordinal":
        cum = np.concatenate([[0.0], np.cumsum(margins)])
        c, k = np.meshgrid(np.arange(len(values)), np.arange(len(values)), indexing="ij")
        lo, hi = np.minimum(c, k), np.maximum(c, k)
        return (cum[hi + 1] - cum[lo] - (margins[c] + margins[k]) / 2) ** 2
    v = np.asarray(values, dtype=float)
    diff = v[:, None] - v[None, :]
    if level == "interval":
        return diff ** 2
    total = v[:, None] + v[None, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total == 0, 0.0, (diff / total) ** 2)


def krippendorff_alpha(codes: pd.DataFrame, level: str = "nominal", *, unit: str | None = None,
                       coder: str | None = None, code: str | None = None,
                       value_order: list | None = None) -> pd.DataFrame:
    """Krippendorff's alpha for any number of coders, missing codes and four levels of measurement.

    Parameters
    ----------
    codes : pandas.DataFrame
        Wide: one row per unit (index = unit id), one column per coder, the code in each cell.
        Long: give ``unit``, ``coder`` and ``code`` column names instead.  NaN, None,
        ``pd.NA`` and blank strings mean "not coded".
    level : {"nominal", "ordinal", "interval", "ratio"}, default "nominal"
        Level of measurement, which chooses the difference function δ².
    unit, coder, code : str, optional
        Column names of long-format input.
    value_order : list, optional
        Order of the codes for the ordinal level when they do not sort naturally (e.g.
        ``["low", "mid", "high"]``); every code used must be in it.

    Returns
    -------
    pandas.DataFrame
        One row: ``krippendorff_alpha``, ``level``, ``n_units`` (all units), ``n_pairable_units``
        (units with at least two codes), ``n_coders``, ``n_pairable_values`` (n, the codes in
        pairable units), ``d_observed``, ``d_expected`` (D_o, D_e), ``note``.

    Notes
    -----
    With n_uc the number of coders giving code c to unit u and m_u = Σ_c n_uc, only units with
    m_u ≥ 2 are pairable.  Coincidences o_ck = Σ_u (n_uc·n_uk − [c = k]·n_uc)/(m_u − 1),
    margins n_c = Σ_k o_ck, n = Σ_c n_c, and

        α = 1 − D_o/D_e,  D_o = Σ_ck o_ck·δ²_ck / n,  D_e = Σ_ck n_c·n_k·δ²_ck / (n(n − 1)),

    with δ²_ck = [c ≠ k] (nominal), (Σ_{g=c..k} n_g − (n_c + n_k)/2)² (ordinal),
    (c − k)² (interval) and ((c − k)/(c + k))² (ratio) (Krippendorff, 2011, §§B–E).  α is NaN
    when D_e = 0 (a single value among the pairable codes) or nothing is pairable.  The
    ``krippendorff`` package (Castro, 2017) computes the same coefficient; the tests check both
    against Krippendorff's (2011) worked example.

    References
    ----------
    Krippendorff, K. (2011). *Computing Krippendorff's alpha-reliability*. Annenberg School
    for Communication, University of Pennsylvania. https://repository.upenn.edu/asc_papers/43

    Hayes, A. F., & Krippendorff, K. (2007). Answering the call for a standard reliability
    measure for coding data. *Communication Methods and Measures, 1*(1), 77–89.
    https://doi.org/10.1080/19312450709336664

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from laoyou_eval.reliability import krippendorff_alpha
    >>> nan = np.nan   # Krippendorff (2011) §C: 4 observers × 12 units, rows here are units
    >>> data = pd.DataFrame([[1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
    ...                      [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
    ...                      [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
    ...                      [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan]], index=list("ABCD")).T
    >>> [round(float(krippendorff_alpha(data, lv).krippendorff_alpha[0]), 3)
    ...  for lv in ("nominal", "ordinal", "interval", "ratio")]
    [0.743, 0.815, 0.849, 0.797]
    """
    check_choice(level, KRIPPENDORFF_LEVELS, "level")
    table = _reliability_table(codes, unit, coder, code)
    n_units, n_coders = len(table), len(table[0]) if table else 0
    used = list(dict.fromkeys(v for row in table for v in row if v is not None))
    notes = []
    if value_order is not None:
        unknown = [v for v in used if v not in value_order]
        if unknown:
            raise LaoyouError(f"编码 {unknown[0]!r} 不在 value_order 中。", f"Code {unknown[0]!r} is not in value_order.",
                              hint_zh="把所有用到的编码按顺序列入 value_order。",
                              hint_en="list every code used, in order, in value_order.")
        values = [v for v in value_order if v in used]
    elif level == "nominal":
        values = _categories(used)
    else:
        if level in ("interval", "ratio") and not all(isinstance(v, (int, float)) for v in used):
            bad = next(v for v in used if not isinstance(v, (int, float)))
            raise LaoyouError(f"{level} 水平需要数字编码，这里有 {bad!r}。",
                              f"The {level} level needs numeric codes; got {bad!r}.",
                              hint_zh="改用 level='nominal' 或 'ordinal'（并给出 value_order）。",
                              hint_en="use level='nominal', or 'ordinal' with value_order.")
        try:
            values = sorted(used)
        except TypeError as exc:
            raise LaoyouError("编码无法排序：请给出 value_order。", "The codes cannot be ordered: give value_order.") from exc
    if level == "ratio" and any(v < 0 for v in values):
        raise LaoyouError("ratio 水平的编码不能为负数。", "Codes at the ratio level cannot be negative.")
    pos = {v: i for i, v in enumerate(values)}
    counts = np.zeros((n_units, len(values)))
    for i, row in enumerate(table):
        for v in row:
            if v is not None:
                counts[i, pos[v]] += 1
    m = counts.sum(axis=1)
    pairable = m >= 2
    nu = counts[pairable]
    o = (np.einsum("uc,uk->ck", nu / (m[pairable, None] - 1), nu)
         - np.diag((nu / (m[pairable, None] - 1)).sum(axis=0)))
    margins = o.sum(axis=1)
    n = margins.sum()
    alpha = d_o = d_e = np.nan
    if n_units - pairable.sum():
        notes.append(note_code("units_not_pairable", int(n_units - pairable.sum())))
    if n < 2:
        notes.append(note_code("no_pairable_codes"))
    else:
        delta = _metric(level, values, margins)
        d_o = float((o * delta).sum() / n)
        d_e = float((np.outer(margins, margins) * delta).sum() / (n * (n - 1)))
        if d_e > 0:
            alpha = 1 - d_o / d_e
        else:
            notes.append(note_code("alpha_undefined_single_value"))
    return pd.DataFrame([{"krippendorff_alpha": float(alpha), "level": level, "n_units": int(n_units),
                          "n_pairable_units": int(pairable.sum()), "n_coders": int(n_coders),
                          "n_pairable_values": int(round(n)), "d_observed": d_o, "d_expected": d_e,
                          "note": join_notes(notes)}], columns=KRIPPENDORFF_COLUMNS)
