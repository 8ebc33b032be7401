"""Result tables for notebooks and reports."""

from __future__ import annotations

from laoyou_eval.report.i18n import label


def localise(df, values: tuple[str, ...] = ()):
    """Rename columns (and translate the values of the listed columns) to the report language.

    Parameters
    ----------
    df : pandas.DataFrame
        A tidy result table with the package's snake_case column names.
    values : tuple of str
        Columns whose values are vocabulary words (arms, populations, activities).

    Returns
    -------
    pandas.DataFrame
        A copy; the input is not modified.
    """
    out = df.copy()
    for column in values:
        out[column] = out[column].map(label)
    return out.rename(columns=label)
