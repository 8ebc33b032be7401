"""Result tables for notebooks and reports."""

from __future__ import annotations

import pandas as pd

from laoyou_eval.i18n import VOCABULARY, explain, label

MISSING_MARK = "—"
from laoyou_eval.config import SMALL_CELL_THRESHOLD  # noqa: E402  (the one threshold, re-exported)

#: Columns that count people, under their package, Chinese and English names: counts below
#: the small-cell threshold are shown as "<5" in every table a report shows.
PEOPLE_COUNTS = ("n", "respondents", "submissions", "count", "people_at_risk", "n_treated", "n_comparison")
PEOPLE_COUNT_COLUMNS = frozenset(PEOPLE_COUNTS) | {name for c in PEOPLE_COUNTS for name in VOCABULARY.get(c, ())}


#: Quasi-identifiers (and their zh/en labels): a table of people cross-classified by two or
#: more of them can single a participant out.
QUASI_IDENTIFIER_COLUMNS = frozenset(("age_band", "sex", "disability_type", "community")) | {
    name for c in ("age_band", "sex", "disability_type", "community") for name in VOCABULARY.get(c, ())}


def protect(table, threshold: int = SMALL_CELL_THRESHOLD):
    """Suppress small counts of people (integer columns named in :data:`PEOPLE_COUNT_COLUMNS`).

    Warns
    -----
    UserWarning
        When the table cross-classifies people by two or more quasi-identifiers (age band,
        sex, disability type, community) and some group is smaller than ``threshold``: even
        with "<5" shown, such a table can single a participant out.
    """
    import warnings

    import pandas as pd

    from laoyou_eval.privacy import suppress_small_cells

    columns = [c for c in table.columns if str(c) in PEOPLE_COUNT_COLUMNS
               and pd.api.types.is_integer_dtype(table[c].dtype)]
    quasi = [c for c in table.columns if str(c) in QUASI_IDENTIFIER_COLUMNS]
    if len(quasi) >= 2 and any((table[c] < threshold).any() for c in columns):
        warnings.warn(f"表格按 {', '.join(map(str, quasi))} 交叉分组，且有组少于 {threshold} 人：可能识别出个人。"
                      f"The table cross-classifies people by {', '.join(map(str, quasi))} with groups under "
                      f"{threshold}: a participant could be singled out. Merge categories or drop a column.",
                      UserWarning, stacklevel=3)
    return suppress_small_cells(table, threshold, columns) if columns else table


#: Columns whose values are always vocabulary codes written by the analyses (translated
#: without being listed in ``values``).
CODE_COLUMNS = frozenset(("assumption", "sd_source", "reliability_kind", "reliability_source"))


def band_label(code, *, figure: bool = False):
    """A score band code (``"k6_band1"``, :func:`laoyou_eval.scoring.score`) in the report
    language; missing stays missing and an unknown code is shown as itself.

    Examples
    --------
    >>> from laoyou_eval import i18n
    >>> i18n.set_language("en"); band_label("k6_band1")
    'probable serious mental illness (screen positive)'
    >>> i18n.set_language("zh")
    """
    from laoyou_eval.i18n import text
    from laoyou_eval.scoring import band_words

    if code is None or code != code:
        return code
    words = band_words(code)
    return text(*words, figure=figure) if words else str(code)


def localise(df, values: tuple[str, ...] = (), index: str | None = None):
    """Display copy of a result table in the report language.

    Columns are renamed, codes of :data:`CODE_COLUMNS` and note codes explained (:func:`laoyou_eval.i18n.explain`), score bands
    named (:func:`band_label`), the values of the listed columns (and
    True/False) translated, missing
    cells shown as "—" (not ``<NA>``/``NaN``, which confuse readers of a report), and counts
    of people below 5 shown as "<5" (:func:`protect`).

    Parameters
    ----------
    df : pandas.DataFrame
        A tidy result table with the package's snake_case column names.
    values : tuple of str
        Columns whose values are vocabulary words (arms, populations, activities).
    index : str, optional
        Column to show as the row labels instead of the 0, 1, 2 … row numbers.

    Returns
    -------
    pandas.DataFrame
        A copy for display; the input is not modified.
    """
    out = protect(df.copy())
    for column in out.columns:
        if str(column) == "note" or str(column).endswith("_note"):
            out[column] = out[column].map(lambda v: v if pd.isna(v) else explain(v))
        elif str(column).endswith("_band"):
            out[column] = out[column].map(band_label)
    for column in dict.fromkeys([*values, *(c for c in out.columns if c in CODE_COLUMNS)]):
        out[column] = out[column].map(label)
    for column in out.columns[[str(t) == "bool" for t in out.dtypes]]:  # True/False as 是/否, Yes/No
        out[column] = out[column].map(lambda v: label(str(v)))
    missing = out.isna()
    if missing.any().any():
        out = out.astype(object).where(~missing, MISSING_MARK)
    out = out.rename(columns=label)
    return out.set_index(label(index)) if index else out


def quality_table(report):
    """A data-quality report for display: where, what (in the report language), what was done."""
    from laoyou_eval.i18n import report_language
    from laoyou_eval.quality import ACTIONS

    zh = report_language() == "zh"
    shown = report[["file", "row", "respondent", "column", "value", "message_zh" if zh else "message_en", "action"]]
    shown = shown.rename(columns={"message_zh": "message", "message_en": "message"})
    if zh:
        shown = shown.assign(action=shown["action"].map(ACTIONS))
    return localise(shown)
