"""Redaction of whole tables, and a check of identifier columns, for intake.

:func:`redact_frame` replaces every finding of :func:`laoyou_eval.privacy.find` in every
cell (and header) of a table by its placeholder and says what it changed without repeating
any value; :func:`identifier_problems` tells which identifiers are personal data themselves
(a name, a phone or an ID number typed where ``R001`` belongs), so that intake can
pseudonymise them and flag them.
"""

from __future__ import annotations

import re

from laoyou_eval.privacy.patterns import cell_text, find, mask, name_matcher, normalise, replace
from laoyou_eval.privacy.rosters import looks_like_name

CHANGE_COLUMNS = ("column", "row", "index", "kind", "excerpt")
_LONG_NUMBER = re.compile(r"\d{9,}")


def redact_frame(df, names=(), columns=None):
    """Every text in a table with personal data replaced by placeholders.

    Parameters
    ----------
    df : pandas.DataFrame
        Any table: a coded survey, alters, coder files, process records.
    names : iterable of str or NameMatcher
        Names to redact besides the patterns (:func:`laoyou_eval.privacy.study_names`).
    columns : list, optional
        Columns to redact (default: every column, whatever its dtype — a phone number read as
        a number is found too).  Leave identifier columns out and check them with
        :func:`identifier_problems` instead: a placeholder would break record linkage.

    Returns
    -------
    redacted : pandas.DataFrame
        A copy; changed columns become text (object) columns, untouched columns keep their
        dtype; headers with personal data are redacted too.
    changes : pandas.DataFrame
        One row per finding: ``column`` (the redacted header), ``row`` (as a spreadsheet shows
        the table written with its header: header = 1, first record = 2), ``index`` (the
        row's index label), ``kind`` and ``excerpt`` (masked, see
        :func:`laoyou_eval.privacy.mask`).  No raw value appears in it.

    Examples
    --------
    >>> import pandas as pd
    >>> clean, changes = redact_frame(pd.DataFrame({"memo": ["请联系王丽娟 13812345678", "好"]}), ["王丽娟"])
    >>> clean.memo.tolist()
    ['请联系[姓名] [手机号]', '好']
    >>> changes[["column", "row", "kind", "excerpt"]].values.tolist()
    [['memo', 2, 'name', '王**'], ['memo', 2, 'phone', '13********8']]
    """
    import pandas as pd

    matcher = name_matcher(names)
    out = df.copy()
    changes = []
    headers = {}
    for column in out.columns:
        header = str(column)
        hits = find(header, matcher)
        if hits:
            headers[column] = replace(header, hits)
            changes += [{"column": headers[column], "row": 1, "index": None, "kind": kind,
                         "excerpt": mask(header[start:end])} for kind, start, end in hits]
    selected = set(out.columns if columns is None else columns)
    for position, column in enumerate(out.columns):
        if column not in selected:
            continue
        values = out.iloc[:, position].tolist()
        texts = [cell_text(v) for v in values]
        found: dict[str, tuple[str, list]] = {}
        for text in {t for t in texts if t}:
            hits = find(text, matcher)
            if hits:
                found[text] = (replace(text, hits), hits)
        if not found:
            continue
        label = headers.get(column, str(column))
        for row, text in enumerate(texts):
            if text in found:
                changes += [{"column": label, "row": row + 2, "index": out.index[row], "kind": kind,
                             "excerpt": mask(text[start:end])} for kind, start, end in found[text][1]]
        out.isetitem(position, pd.Series([found[t][0] if t in found else v for t, v in zip(texts, values)],
                                         index=out.index, dtype=object))
    out = out.rename(columns=headers)
    return out, pd.DataFrame(changes, columns=list(CHANGE_COLUMNS))


def identifier_problems(ids, names=()):
    """Identifiers that are personal data themselves.

    Parameters
    ----------
    ids : pandas.Series or sequence
        An identifier column (respondent, ego, alter, group member …).
    names : iterable of str or NameMatcher
        Roster names (:func:`laoyou_eval.privacy.study_names`).

    Returns
    -------
    pandas.DataFrame
        One row per problem identifier: ``row`` (header = 1, first record = 2), ``index``
        (the Series' index label), ``kind`` — a kind of :data:`laoyou_eval.privacy.KINDS`
        (a phone or ID number used as identifier, a roster name), ``name_like`` (reads like a
        name: 2–6 Chinese characters, or "Given Family"), or ``long_number`` (9 or more digits
        in a row: a phone, ID or card number with a typo) — and ``excerpt`` (masked).
        Empty when every identifier is a plain code such as ``R001``.

    Notes
    -----
    Intake should replace the flagged identifiers by keyed pseudonyms (the same value gets
    the same pseudonym, so links between files survive) and show this table, masked, in the
    quality report.

    Examples
    --------
    >>> identifier_problems(["R001", "王丽娟", "13812345678", "R004"])[["row", "kind", "excerpt"]].values.tolist()
    [[3, 'name_like', '王**'], [4, 'phone', '13********8']]
    """
    import pandas as pd

    series = ids if isinstance(ids, pd.Series) else pd.Series(list(ids))
    matcher = name_matcher(names)
    verdicts: dict[str, str | None] = {}
    rows = []
    for position, value in enumerate(series.tolist()):
        text = cell_text(value)
        if not text:
            continue
        if text not in verdicts:
            hits = find(text, matcher)
            plain = normalise(text)[0].strip()
            if hits:
                verdicts[text] = hits[0][0]
            elif looks_like_name(plain):
                verdicts[text] = "name_like"
            elif _LONG_NUMBER.search(plain):
                verdicts[text] = "long_number"
            else:
                verdicts[text] = None
        if verdicts[text]:
            rows.append({"row": position + 2, "index": series.index[position], "kind": verdicts[text],
                         "excerpt": mask(text)})
    return pd.DataFrame(rows, columns=["row", "index", "kind", "excerpt"])
