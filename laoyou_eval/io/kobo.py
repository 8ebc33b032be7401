"""KoboToolbox / ODK exports, described by their XLSForm.

Kobo exports (CSV or XLSX, "XML values and headers") name columns by the XLSForm ``name``,
prefixed by their groups (``household/q5``), answer select_one questions with choice names
and select_multiple questions with space-separated choice names (plus optional 0/1 columns
``q/choice``).  The XLSForm itself is the codebook: ``Codebook.read("form.xlsx")``.
"""

from __future__ import annotations

from pathlib import Path

from laoyou_eval.errors import LaoyouError
from laoyou_eval.io.tables import read_table

#: Kobo/ODK metadata columns (never coded; ``_submission_time`` kept as submitted_at).
KOBO_META = ("start", "end", "today", "deviceid", "_id", "_uuid", "_submission_time", "_validation_status",
             "_notes", "_status", "_submitted_by", "__version__", "_tags", "_index", "meta/instanceID",
             "meta/rootUuid", "formhub/uuid", "_attachments", "_geolocation")


def read_kobo(path, *, sheet_name=0):
    """Read a KoboToolbox/ODK data export.

    Parameters
    ----------
    path : str or Path
        ``.csv`` (``;`` or ``,`` separated, encoding detected) or ``.xlsx``.
    sheet_name : str or int
        Sheet of an Excel export (the main table is the first one).

    Returns
    -------
    pandas.DataFrame
        Text cells.  Group prefixes are removed from question columns (``household/q5`` ->
        ``q5``); the 0/1 columns of select_multiple options (``q/choice``) are dropped because
        the space-separated column carries the same answer; metadata columns are dropped except
        ``_submission_time`` (as ``submitted_at``).  ``df.attrs``: ``source``, ``encoding``,
        ``layout`` ("kobo"), ``dropped`` (metadata and option columns removed).

    Raises
    ------
    LaoyouError
        When two groups hold questions of the same name (the codebook could not tell them
        apart).
    """
    import pandas as pd

    path = Path(path)
    df = read_table(path)
    if df.shape[1] == 1 and ";" in df.columns[0]:  # Kobo's default CSV separator
        df = read_table(path, sep=";")
    names = [c.rsplit("/", 1)[-1] for c in df.columns]
    columns = set(df.columns)
    is_option = ["/" in c and c.rsplit("/", 1)[0] in columns for c in df.columns]
    keep, rename, dropped = [], {}, []
    for column, name, option in zip(df.columns, names, is_option):
        if column in KOBO_META and column != "_submission_time" or option:
            dropped.append(column)
            continue
        keep.append(column)
        rename[column] = "submitted_at" if column == "_submission_time" else name
    duplicated = pd.Series(list(rename.values())).duplicated()
    if duplicated.any():
        clash = list(rename.values())[int(duplicated.idxmax())]
        raise LaoyouError(f"不同分组中有同名问题 {clash}。", f"Two groups hold a question named {clash!r}.",
                          file=path, column=clash)
    out = df[keep].rename(columns=rename)
    if "submitted_at" in out:
        out["submitted_at"] = pd.to_datetime(out["submitted_at"], errors="coerce")
    out.attrs.update(source=str(path), encoding=df.attrs["encoding"], layout="kobo", dropped=dropped)
    return out
