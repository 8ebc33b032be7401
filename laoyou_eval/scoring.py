"""Scale scores from coded items, following each instrument's own rules.

>>> import pandas as pd
>>> from laoyou_eval import scoring
>>> items = pd.DataFrame({"ucla3_1": [1, 3], "ucla3_2": [2, 3], "ucla3_3": [1, None]})
>>> scoring.score(items, "ucla3")[["ucla3_total", "n_answered", "prorated"]]
   ucla3_total  n_answered  prorated
0          4.0           3     False
1          9.0           2      True
"""

from __future__ import annotations

import math

import numpy as np

from laoyou_eval.errors import LaoyouError
from laoyou_eval.instruments import Instrument, get

#: Rows scored at a time by :func:`score` (a block of 16,384 rows × 12 items fits in the CPU cache).
ROW_BLOCK = 16_384


def allowed_missing(k: int) -> int:
    """Package convention for subscales: at most 20% of items missing, and at most 1 when
    the subscale has 5 items or fewer (``max(1, floor(0.2 k))`` for k >= 2)."""
    return 1 if k <= 5 else math.floor(0.2 * k)


def _composite_items(df, inst: Instrument):
    """Compute composite items (SSRS item 5 = sum of 5a–5e; items 6–7 = number of sources)."""
    out = {}
    for comp in inst.composites:
        column = f"{inst.name}_{comp.item}"
        if column in df.columns or not set(comp.columns) <= set(df.columns):
            continue
        parts = df[list(comp.columns)].astype("Float64")
        if comp.rule == "sum":
            out[column] = parts.sum(axis=1, skipna=False)
        else:  # count of ticked sources; "none" ticked means 0
            count = parts.sum(axis=1, skipna=True).where(parts.notna().any(axis=1))
            if comp.none_column and comp.none_column in df.columns:
                count = count.mask(df[comp.none_column].astype("Float64") == 1, 0)
            out[column] = count
    return out


def _numeric(series, column: str) -> np.ndarray:
    """One item column as float64 with NaN for missing; text that is not a number is an error."""
    import pandas as pd

    if pd.api.types.is_numeric_dtype(series.dtype):
        return series.to_numpy(dtype=float, na_value=np.nan)
    values = pd.to_numeric(series.astype("object").where(series.notna(), None), errors="coerce")
    bad = values.isna() & series.notna()
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise LaoyouError(f"{column} 含有非数字的值 {series.iloc[pos]!r}。",
                          f"{column} holds a non-numeric value {series.iloc[pos]!r}.",
                          row=pos + 2, column=column, hint_zh="先用编码表编码（coding.apply）。",
                          hint_en="code the answers with a codebook first (coding.apply).")
    return values.to_numpy(dtype=float)


def _item_columns(df, inst: Instrument, items) -> list[np.ndarray]:
    """The instrument's item columns as float64 arrays (NaN for missing), checked against each
    item's own range."""
    columns = list(items) if items is not None else inst.items
    if len(columns) != inst.n_items:
        raise LaoyouError(f"{inst.name} 需要 {inst.n_items} 个条目，给了 {len(columns)} 个。",
                          f"{inst.name} needs {inst.n_items} items, {len(columns)} given.")
    composites = _composite_items(df, inst)
    absent = [c for c in columns if c not in df.columns and c not in composites]
    if absent:
        raise LaoyouError(f"计分缺少 {inst.name} 的条目列：{', '.join(absent)}。",
                          f"Missing item columns for {inst.name}: {', '.join(absent)}.",
                          column=absent[0], hint_zh=f"条目列应命名为 {inst.name}_1 … {inst.name}_{inst.n_items}。",
                          hint_en=f"name item columns {inst.name}_1 … {inst.name}_{inst.n_items}, or pass items=.")
    arrays = []
    for j, column in enumerate(columns):
        x = _numeric(composites[column] if column in composites else df[column], column)
        low, high = inst.item_min[j], inst.item_max[j]
        if x.size and (np.fmin.reduce(x) < low or np.fmax.reduce(x) > high):  # fmin/fmax skip NaN
            out = np.flatnonzero((x < low) | (x > high))
            raise LaoyouError(f"{column} 的值 {x[out[0]]:g} 超出 {low:g}–{high:g}。",
                              f"{column} value {x[out[0]]:g} is outside {low:g}–{high:g}.",
                              row=int(out[0]) + 2, column=column,
                              hint_zh="检查编码（0 起还是 1 起）和编码表的有效范围。",
                              hint_en="check the coding (starting at 0 or 1) and the codebook ranges.")
        arrays.append(x)
    return arrays


def _keyed(columns: list[np.ndarray], inst: Instrument, rows: slice = slice(None)) -> np.ndarray:
    """Rows ``rows`` of the item columns as a (rows, k) matrix, item columns contiguous, with
    the reverse-keyed items flipped."""
    matrix = np.stack([x[rows] for x in columns]).T
    for i in inst.reverse:
        matrix[:, i - 1] = inst.item_min[i - 1] + inst.item_max[i - 1] - matrix[:, i - 1]
    return matrix


def _same_bounds(inst: Instrument, indices) -> bool:
    """Proration by the mean of answered items needs items on the same response scale."""
    return len({(inst.item_min[i], inst.item_max[i]) for i in indices}) <= 1


def _prorated(filled: np.ndarray, missing: np.ndarray, method: str, max_missing: int):
    """Score per row with proration: (score, n_answered, prorated flag).

    ``filled`` holds the keyed items with 0 where ``missing`` (the sum and count of
    :func:`numpy.nanmean`, without its copies)."""
    k = filled.shape[1]
    n = k - missing.view(np.uint8).sum(axis=1, dtype=np.uint8)  # counts as bytes: instruments have < 256 items
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = filled.sum(axis=1) / n
    ok = (k - n) <= max_missing
    score = np.where(ok, mean * (k if method == "sum" else 1), np.nan)
    return score, n, ok & (n < k)


def _scores(columns: list[np.ndarray], inst: Instrument, parts: list):
    """:func:`_prorated` of every part ``(items, method, max_missing)`` of the keyed items.

    Rows are keyed and scored :data:`ROW_BLOCK` at a time, so that each block stays in the CPU
    cache through every step (about twice as fast as whole columns at a million rows).

    Returns
    -------
    scores, n_answered, prorated : numpy.ndarray
        Shape (rows, parts), one column per part.
    """
    shape = (len(columns[0]), len(parts))
    scores, counts, flags = np.empty(shape, order="F"), np.empty(shape, np.int64, "F"), np.empty(shape, bool, "F")
    for start in range(0, shape[0], ROW_BLOCK):
        rows = slice(start, start + ROW_BLOCK)
        filled = _keyed(columns, inst, rows)
        missing = np.isnan(filled)
        np.copyto(filled, 0.0, where=missing)
        for p, (items, method, max_missing) in enumerate(parts):
            scores[rows, p], counts[rows, p], flags[rows, p] = _prorated(filled[:, items], missing[:, items],
                                                                         method, max_missing)
    return scores, counts, flags


def _labels(choices: list, codes: np.ndarray):
    """String array ``choices[codes]`` (None = missing), built from the few distinct labels
    rather than one Python string per row."""
    import pandas as pd

    return pd.array(choices, dtype="str").take(codes)


def band_code(name: str, position: int) -> str:
    """The language-neutral code of cut-off band ``position`` (0-based) of instrument ``name``:
    ``"{name}_band{position + 1}"``, e.g. ``"k6_band1"``."""
    return f"{name}_band{position + 1}"


def band_words(code) -> tuple[str, str] | None:
    """The band's label from the instrument file as ``(zh, en)``
    (:attr:`Cutoff.label_zh`, ``label_en``); None for a missing or unknown code.  Shown in
    the report language by :func:`laoyou_eval.report.band_label`.

    Examples
    --------
    >>> band_words("k6_band1")
    ('可能存在严重精神疾病（筛查阳性）', 'probable serious mental illness (screen positive)')
    """
    if code is None or code != code:
        return None
    name, _, position = str(code).rpartition("_band")
    try:
        cut = get(name).cutoffs[int(position) - 1]
    except (KeyError, LaoyouError, ValueError, IndexError):
        return None
    return cut.label_zh, cut.label_en


def _band(scores: np.ndarray, inst: Instrument):
    """The code of the first cut-off band containing each score (missing outside every band
    or for NaN); :func:`band_words` holds its words."""
    codes = np.full(len(scores), len(inst.cutoffs))
    todo = ~np.isnan(scores)
    for position, cut in enumerate(inst.cutoffs):
        hit = todo & (cut.low is None or scores >= cut.low) & (cut.high is None or scores <= cut.high)
        codes[hit] = position
        todo &= ~hit
    return _labels([band_code(inst.name, p) for p in range(len(inst.cutoffs))] + [None], codes)


def keyed_items(df, name: str, *, items=None):
    """The instrument's items with reverse-keyed items flipped, ready for reliability analysis.

    Parameters
    ----------
    df : pandas.DataFrame
        Coded items (columns ``{name}_{i}`` or ``items``).
    name : str
        Instrument key.
    items : list of str, optional
        Item columns in item order.

    Returns
    -------
    pandas.DataFrame
        Same index, one float column per item (``{name}_{i}``), NaN where unanswered;
        composite items (SSRS 5–7) computed.
    """
    import pandas as pd

    inst = get(name)
    return pd.DataFrame(_keyed(_item_columns(df, inst, items), inst), index=df.index, columns=inst.items)


def score(df, name: str, *, items=None, prorate: bool = True):
    """Score one instrument for every row of ``df``.

    Parameters
    ----------
    df : pandas.DataFrame
        Coded items as numbers, in the instrument's coding, columns ``{name}_{i}`` (1-based).
        Missing answers are NA (their kind is in :attr:`CodedSurvey.missing`).
    name : str
        Instrument key (see :func:`laoyou_eval.instruments.available`).
    items : list of str, optional
        Item columns in item order, when they are not named ``{name}_{i}``.
    prorate : bool, default True
        Apply the instrument's minimum-answered rule (see Notes); False requires complete
        items.

    Returns
    -------
    pandas.DataFrame
        Same index as ``df``.  ``{name}_total`` (sum scoring) or ``{name}_mean`` (mean
        scoring); one column per subscale (``{name}_{sub}``, or ``{name}_{sub}_mean``);
        ``{name}_percent`` etc. for instruments with a linear transform (WHO-5 × 4);
        ``{name}_band`` when the authors define cut-offs (a code such as ``"k6_band1"``, shown
        in words by :func:`laoyou_eval.report.band_label`); ``n_answered`` (items answered of the total),
        ``prorated`` (True when the total was computed with missing items); ``note`` (why a
        score is missing, a code ``items_missing=m/k>allowed`` explained by
        :func:`laoyou_eval.i18n.explain`).  Nothing depends on the report language.

    Raises
    ------
    LaoyouError
        Missing item columns, non-numeric values, or values outside an item's own range
        (naming the row and column).

    Notes
    -----
    Reverse-keyed items are flipped with each item's own bounds, ``x' = min_i + max_i - x``
    (not the bounds of all items, the psych default that goes wrong when response formats
    differ).  With ``m`` of ``k`` items answered and at most ``max_missing`` missing, a
    sum score is prorated as ``k × mean(answered)`` and a mean score is the mean of the
    answered items; with more missing the score is NA and ``note`` says why.  The rule and
    its source are in the instrument file (``missing_rule``, ``missing_rule_source``);
    subscales follow :func:`allowed_missing`, and never prorate when the instrument does not.
    Items on different response scales (SSRS) are never prorated: the mean of the answered
    items would not stand for a missing item.

    Size: rows are scored :data:`ROW_BLOCK` at a time and no Python code runs per row, so a
    national survey fits on a laptop (a million respondents × 40 items of 5 instruments in
    about 0.2 s and 0.4 KB per respondent, see ``benchmarks/RESULTS.md``); data larger than
    memory go through :func:`score_dask`.

    References
    ----------
    Mazza, G. L., Enders, C. K., & Ruehlman, L. S. (2015). Addressing item-level missing data:
    A comparison of proration and full information maximum likelihood estimation.
    Multivariate Behavioral Research, 50(5), 504–519. https://doi.org/10.1080/00273171.2015.1068157
    """
    return _score(df, name, items, prorate)


def _score(df, name: str, items, prorate: bool):
    """:func:`score` (the work, shared with :func:`score_dask`)."""
    import pandas as pd

    inst = get(name)
    columns = _item_columns(df, inst, items)
    max_missing = inst.max_missing if prorate and _same_bounds(inst, range(inst.n_items)) else 0
    parts = [(slice(None), inst.method, max_missing)]
    for sub in inst.subscales:
        idx = [i - 1 for i in sub.items]
        sub_missing = allowed_missing(len(idx)) if prorate and inst.max_missing and _same_bounds(inst, idx) else 0
        parts.append((idx, sub.method, sub_missing))
    scores, counts, flags = _scores(columns, inst, parts)
    total, n, prorated = scores[:, 0], counts[:, 0], flags[:, 0]
    suffix = "total" if inst.method == "sum" else "mean"
    out = {f"{name}_{suffix}": total}
    for p, sub in enumerate(inst.subscales, start=1):
        out[f"{name}_{sub.name}" + ("_mean" if sub.method == "mean" else "")] = scores[:, p]
    for transform, factor in inst.transforms.items():
        out[f"{name}_{transform}"] = total * float(factor)
    if inst.cutoffs:
        out[f"{name}_band"] = _band(total, inst)
    out["n_answered"] = n
    out["prorated"] = prorated
    notes = [f"items_missing={inst.n_items - m}/{inst.n_items}>{max_missing}" if inst.n_items - m > max_missing
             else "" for m in range(inst.n_items + 1)]
    out["note"] = _labels(notes, n)  # the note depends on the number answered only
    return pd.DataFrame(out, index=df.index, copy=False)


def score_dask(ddf, name: str, *, items=None, prorate: bool = True):
    """:func:`score` on a Dask DataFrame, partition by partition (data larger than memory).

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Coded items, as for :func:`score`, in any row partitioning (each row is scored on
        its own).
    name, items, prorate
        As in :func:`score`.

    Returns
    -------
    dask.dataframe.DataFrame
        Lazy, with the columns of :func:`score` and the index and partitions of ``ddf``;
        ``.compute()`` equals :func:`score` of the whole table.

    Raises
    ------
    LaoyouError
        ``ddf`` is not a Dask DataFrame or lacks item columns (at once); non-numeric or
        out-of-range values when the partition holding them is computed (the row number then
        counts within that partition).

    Notes
    -----
    Every partition is scored with ``DataFrame.map_partitions``, so memory is bounded by a
    partition rather than the whole survey.  Notes and bands are language-neutral codes, so
    every worker writes the same result whatever the report language.

    Examples
    --------
    >>> import dask.dataframe as dd                                   # doctest: +SKIP
    >>> items = dd.read_parquet("coded/*.parquet")                    # doctest: +SKIP
    >>> score_dask(items, "pss10").to_parquet("scores/")              # doctest: +SKIP
    """
    from laoyou_eval import _dask

    _dask.check_frame(_dask.dataframe_module(), ddf, "条目表", "item table")
    meta = score(ddf._meta, name, items=items, prorate=prorate)
    return ddf.map_partitions(_score, name, items, prorate, meta=meta)


def score_all(data, codebook):
    """Score every scale listed in a codebook's ``scales`` sheet.

    Parameters
    ----------
    data : pandas.DataFrame
        Coded data (:attr:`CodedSurvey.data`).
    codebook : laoyou_eval.coding.Codebook

    Returns
    -------
    pandas.DataFrame
        The identifier column (if the codebook names one), then for every scale its
        score columns, ``{scale}_n_answered`` and ``{scale}_prorated``.
    """
    import pandas as pd

    parts = [data[[codebook.id_column]]] if codebook.id_column else []
    for row in codebook.scales.to_dict("records"):
        items = row["items"].split() or None
        scored = score(data, row["instrument"], items=items)
        scored = scored.rename(columns={"n_answered": f"{row['scale']}_n_answered",
                                        "prorated": f"{row['scale']}_prorated",
                                        "note": f"{row['scale']}_note"})
        if row["scale"] != row["instrument"]:
            scored.columns = [c.replace(row["instrument"], row["scale"], 1) for c in scored.columns]
        parts.append(scored)
    return pd.concat(parts, axis=1)


def describe(scores, columns, by=("wave", "arm")):
    """n, mean and SD of score columns by group (one row per group and score).

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, then ``scale``, ``n`` (non-missing scores), ``mean``, ``sd``.
    """
    long = scores.melt(id_vars=list(by), value_vars=list(columns), var_name="scale", value_name="score")
    table = long.groupby([*by, "scale"], sort=False)["score"].agg(n="count", mean="mean", sd="std")
    return table.reset_index()
