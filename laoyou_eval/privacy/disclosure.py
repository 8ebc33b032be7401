"""Disclosure control for small samples: k-anonymity and small-cell suppression."""

from __future__ import annotations

import warnings

SUPPRESSED = "<{threshold}"


def suppress_small_cells(table, threshold: int = 5, columns=None):
    """Replace counts below ``threshold`` (but above zero) by ``"<threshold"``.

    Parameters
    ----------
    table : pandas.DataFrame
        A table of counts.
    threshold : int, default 5
    columns : list of str, optional
        Count columns (default: every integer column).

    Returns
    -------
    pandas.DataFrame
        A copy for display; suppressed cells read ``"<5"``.  ``attrs["suppressed"]`` is
        the number of suppressed cells.

    Notes
    -----
    Zero is shown: "nobody" does not single anyone out.  Totals that let a suppressed cell be
    recomputed (a row total with one suppressed cell) should be suppressed too; this helper
    suppresses only the cells below the threshold, so check totals in the caller.
    """
    import pandas as pd

    out = table.copy()
    columns = list(columns) if columns is not None else [
        c for c in out.columns if pd.api.types.is_integer_dtype(out[c].dtype)]
    marker = SUPPRESSED.format(threshold=threshold)
    count = 0
    for column in columns:
        small = out[column].notna() & (out[column] > 0) & (out[column] < threshold)
        count += int(small.sum())
        out[column] = out[column].astype(object).where(~small, marker)
    out.attrs["suppressed"] = count
    return out


def k_anonymity(df, quasi_identifiers, k: int = 5, warn: bool = True):
    """Equivalence classes on quasi-identifiers and how to coarsen them.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per person.
    quasi_identifiers : list of str
        E.g. ``["age_band", "sex", "disability_type", "community"]``.
    k : int, default 5
        Smallest acceptable class size.
    warn : bool, default True
        Issue the warning below (notebooks show :func:`disclosure_summary` instead).

    Returns
    -------
    pandas.DataFrame
        One row per class smaller than ``k``: the quasi-identifier values and ``size``.
        ``attrs``: ``k_achieved`` (size of the smallest class), ``suggestions`` — for each
        quasi-identifier, the smallest class size once it is dropped (the one that helps most
        is the first to generalise).

    Warns
    -----
    UserWarning
        When some class is smaller than ``k``: a table that cross-classifies these columns
        could single a participant out.
    """
    sizes = df.groupby(list(quasi_identifiers), dropna=False).size().rename("size").reset_index()
    risky = sizes[sizes["size"] < k].sort_values("size", kind="stable").reset_index(drop=True)
    suggestions = {}
    for column in quasi_identifiers:
        rest = [c for c in quasi_identifiers if c != column]
        suggestions[column] = int(df.groupby(rest, dropna=False).size().min()) if rest else len(df)
    risky.attrs["k_achieved"] = int(sizes["size"].min()) if len(sizes) else 0
    risky.attrs["suggestions"] = dict(sorted(suggestions.items(), key=lambda kv: -kv[1]))
    if len(risky) and warn:
        warnings.warn(
            f"{len(risky)} 个组合少于 {k} 人，可能识别出个人。{len(risky)} combinations of "
            f"{', '.join(quasi_identifiers)} hold fewer than {k} people: a participant could be singled out.",
            UserWarning, stacklevel=2)
    return risky


def disclosure_summary(df, quasi_identifiers, k: int = 5):
    """How identifiable people are under each way of generalising the quasi-identifiers.

    Safe to show in a report: it contains counts only, never the rare combinations themselves.

    Returns
    -------
    pandas.DataFrame
        One row per option — all quasi-identifiers, then each one left out in turn:
        ``dropped`` (the quasi-identifier left out, "none" for none), ``classes`` (number of
        combinations present), ``k_achieved`` (smallest class), ``people_at_risk`` (people in
        classes smaller than ``k``).
    """
    import pandas as pd

    rows = []
    for dropped in ["none", *quasi_identifiers]:
        columns = [c for c in quasi_identifiers if c != dropped]
        sizes = df.groupby(columns, dropna=False).size() if columns else pd.Series([len(df)])
        rows.append({"dropped": dropped, "classes": len(sizes), "k_achieved": int(sizes.min()),
                     "people_at_risk": int(sizes[sizes < k].sum())})
    return pd.DataFrame(rows)
