"""KoboToolbox / ODK exports, described by their XLSForm.

Kobo exports (CSV or XLSX, "XML values and headers") name columns by the XLSForm ``name``,
prefixed by their groups (``household/q5``; the group separator can be chosen at export,
``/`` by default, ``.`` also common), answer select_one questions with choice names and
select_multiple questions with space-separated choice names, plus — or, when "multiple
select as separate columns" is chosen, instead — 0/1 columns ``q/choice`` per option.  In a
CSV export a repeat group is flattened into numbered columns ``kids[1]/kids_name``,
``kids[2]/kids_name``.  The XLSForm itself is the codebook: ``Codebook.read("form.xlsx")``.
"""

from __future__ import annotations

import re
from pathlib import Path

from laoyou_eval.errors import LaoyouError
from laoyou_eval.io.tables import read_table
from laoyou_eval.io.xlsform import (
    OR_OTHER_CHOICE,
    is_choice_file,
    normalise_type,
    parse_parameters,
    read_choice_file,
    read_xlsform,
)
from laoyou_eval.quality import QualityLog, flag_future_dates

#: Kobo/ODK metadata columns (never coded; ``_submission_time`` kept as submitted_at).  Every
#: column whose name starts with ``_`` is Kobo metadata too (``_index``, ``_parent_index`` …).
KOBO_META = ("start", "end", "today", "deviceid", "_id", "_uuid", "_submission_time", "_validation_status",
             "_notes", "_status", "_submitted_by", "__version__", "_tags", "_index", "meta/instanceID",
             "meta/rootUuid", "meta/deprecatedID", "meta/instanceName", "formhub/uuid", "_attachments",
             "_geolocation")
#: Cell values of a 0/1 option column that mean "chosen" / "not chosen".
CHOSEN, NOT_CHOSEN = ("1", "1.0", "true", "True", "TRUE"), ("0", "0.0", "false", "False", "FALSE", "")
#: Kobo metadata kept, under these names: the submission time, and the keys that link the
#: rows of a repeat-group sheet (``_parent_index``) to the main sheet (``_index``).
KEPT_META = {"_submission_time": "submitted_at", "_index": "kobo_index", "_parent_index": "parent_index"}
_INSTANCE = re.compile(r"^(?P<name>.*)\[(?P<k>\d+)\]$")


def _parse(column: str, sep: str) -> tuple[list[str], list[str]]:
    """Path segments without repeat indices, and the repeat indices (``kids[2]/name`` ->
    ``(["kids", "name"], ["2"])``)."""
    segments, instances = [], []
    for segment in column.split(sep):
        if m := _INSTANCE.match(segment):
            segments.append(m["name"])
            instances.append(m["k"])
        else:
            segments.append(segment)
    return segments, instances


def _form_lists(form) -> dict[str, set]:
    """{select_multiple name: set of choice names} of an XLSForm (a path, or a
    :class:`~laoyou_eval.coding.Codebook`, whose ``survey`` and ``choices`` are read), with
    the choices of ``external_choices`` and of choice files and the ``other`` of ``or_other``."""
    if form is None:
        return {}
    workbook = not hasattr(form, "survey")  # a Codebook has its external and file choices already
    if workbook:
        sheets = read_xlsform(form)
        survey, choices = sheets["survey"], [*sheets.get("choices", []), *sheets.get("external_choices", [])]
    else:
        survey, choices = form.survey.to_dict("records"), form.choices.to_dict("records")
    lists: dict[str, set] = {}
    for row in choices:
        lists.setdefault(str(row.get("list_name", "")).strip(), set()).add(str(row.get("name", "")).strip())
    options = {}
    for row in survey:
        parts = normalise_type(row.get("type", "")).split()
        if len(parts) > 1 and parts[0] == "select_multiple":
            if parts[1] not in lists and is_choice_file(parts[1]) and workbook:
                parameters = parse_parameters(row.get("parameters", "") or "")
                lists[parts[1]] = {c["name"] for c in read_choice_file(Path(form).parent / parts[1], parts[1],
                                                                         parameters.get("value"), parameters.get("label"))}
            # or_other: pyxform adds the choice "other" to the list
            options[str(row.get("name", "")).strip()] = lists.get(parts[1], set()) | (
                {OR_OTHER_CHOICE} if parts[-1] == "or_other" else set())
    return options


def _option_columns(df, sep: str, options: dict) -> dict[str, list[tuple[str, str]]]:
    """parent column path -> [(option column, choice name)] of the 0/1 select_multiple columns.

    With the form (``options``), a column is an option column when its parent is a
    select_multiple question and its last segment one of that question's choices.  Without
    it, when its parent is itself a column (the space-separated answer), or when the parent
    has at least two columns under it and every one holds only 0/1 values (the "separate
    columns" layout)."""
    by_parent: dict[str, list[tuple[str, str]]] = {}
    for column in df.columns:
        if sep not in column or column in KOBO_META:
            continue
        parent, choice = column.rsplit(sep, 1)
        by_parent.setdefault(parent, []).append((column, choice))
    found = {}
    columns = set(df.columns)
    for parent, children in by_parent.items():
        question = _parse(parent, sep)[0][-1]
        if options:
            if question in options and all(choice in options[question] for _, choice in children):
                found[parent] = children
        elif parent in columns or len(children) >= 2 and all(
                set(df[c].str.strip()) <= set(CHOSEN + NOT_CHOSEN) for c, _ in children):
            found[parent] = children
    return found


def read_kobo(path, *, sheet_name=0, form=None, group_sep: str = "/"):
    """Read a KoboToolbox/ODK data export.

    Parameters
    ----------
    path : str or Path
        ``.csv`` (``;`` or ``,`` separated, encoding detected) or ``.xlsx``.
    sheet_name : str or int
        Sheet of an Excel export (the main table is the first one).
    form : str, Path or Codebook, optional
        The XLSForm.  With it, select_multiple option columns are recognised exactly (by the
        question's type and choices); without it by their shape (see Notes).
    group_sep : str, default "/"
        Group separator chosen at export (Kobo offers ``/`` and ``.``).

    Returns
    -------
    pandas.DataFrame
        Text cells.  Group prefixes are removed from question columns (``household/q5`` ->
        ``q5``).  The 0/1 columns of select_multiple options (``q/choice``) are dropped when
        the space-separated column ``q`` is there, and folded into a space-separated column
        ``q`` when it is not, so the question is kept.  Repeat instances become numbered
        columns (``kids[2]/kids_name`` -> ``kids_name_2``).  Metadata columns are dropped
        except ``_submission_time`` (as ``submitted_at``) and, in an Excel export, the keys
        ``_index`` (as ``kobo_index``) and ``_parent_index`` (as ``parent_index``) that link a
        repeat group's sheet to the main sheet.  ``df.attrs``: ``source``,
        ``encoding``, ``layout`` ("kobo"), ``dropped`` (metadata and option columns removed),
        ``repeats`` ({question: [instance columns]}, used by
        :func:`laoyou_eval.coding.apply`) and ``quality`` (folds and repeat instances, as
        quality records).

    Raises
    ------
    LaoyouError
        When two groups hold questions of the same name (the codebook could not tell them
        apart), or a read error of :func:`~laoyou_eval.io.read_table`.

    Notes
    -----
    Without ``form``, the columns under a parent ``p`` that is not itself a column are taken
    for select_multiple options only if there are at least two and every one of them holds
    only 0/1 (or true/false) values; every such fold is listed in the quality records, so a group of yes/no integer
    questions mistaken for options is visible — pass ``form`` to be exact.  Kobo's Excel
    export puts repeat groups on their own sheets (read them with ``sheet_name``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "kobo.csv"
    >>> _ = path.write_text("_id;grp/fruit/apple;grp/fruit/pear;kids[1]/age;kids[2]/age\\n"
    ...                     "1;1;1;7;9\\n", encoding="utf-8")
    >>> df = read_kobo(path)
    >>> df.to_dict("records"), df.attrs["repeats"]
    ([{'fruit': 'apple pear', 'age_1': '7', 'age_2': '9'}], {'age': ['age_1', 'age_2']})
    """
    import pandas as pd

    path = Path(path)
    df = read_table(path, sheet_name=sheet_name)
    log = QualityLog(file=path.name)
    log.records.extend(df.attrs.get("quality", []))
    options = _form_lists(form)
    folds = _option_columns(df, group_sep, options)
    option_of = {column: parent for parent, children in folds.items() for column, _ in children}
    columns = list(df.columns)
    data: dict[str, object] = {}
    dropped, repeats = [], {}
    names = []
    for column in columns:
        if column in option_of:
            dropped.append(column)
            parent = option_of[column]
            if parent in df.columns or parent in data:
                continue
            children = folds[parent]
            chosen = pd.DataFrame({choice: df[c].str.strip().isin(CHOSEN) for c, choice in children})
            data[parent] = chosen.apply(lambda row: " ".join(row.index[row.to_numpy()]), axis=1)
            log.add("options_folded", column=parent, value=", ".join(c for c, _ in children), action="folded",
                    detail_zh="由 0/1 选项列合成空格分隔的答案" + ("" if options else "（按列的形状判断，未用问卷表）"),
                    detail_en="space-separated answer built from the 0/1 option columns"
                              + ("" if options else " (judged by shape; no form given)"))
            names.append(parent)
        elif (column in KOBO_META or column.startswith("_")) and column not in KEPT_META:
            dropped.append(column)
        else:
            data[column] = df[column]
            names.append(column)
    rename = {}
    for column in names:
        if column in KEPT_META:
            rename[column] = KEPT_META[column]
            continue
        segments, instances = _parse(column, group_sep)
        name = "_".join([segments[-1], *instances])
        rename[column] = name
        if instances:
            repeats.setdefault(segments[-1], []).append(name)
    duplicated = pd.Series(list(rename.values())).duplicated()
    if duplicated.any():
        clash = list(rename.values())[int(duplicated.idxmax())]
        columns_of = [c for c, n in rename.items() if n == clash]
        raise LaoyouError(f"不同分组中有同名问题 {clash}（{', '.join(columns_of)}）。",
                          f"Two groups hold a question named {clash!r} ({', '.join(columns_of)}).",
                          file=path, column=columns_of[-1],
                          hint_zh="在问卷表（XLSForm）中给其中一个问题改名，或用 read_table() 读取原列名。",
                          hint_en="rename one of them in the XLSForm, or read the original columns with read_table().")
    for question, instance_columns in repeats.items():
        log.add("repeat_instances", column=question, value=", ".join(instance_columns),
                action="kept as numbered columns")
    out = pd.DataFrame(data, index=df.index)[names].rename(columns=rename)
    if "submitted_at" in out:
        parsed = pd.to_datetime(out["submitted_at"], errors="coerce", format="ISO8601")
        for pos in out.index[parsed.isna() & out["submitted_at"].str.strip().ne("")]:
            log.add("unparsed_metadata", row=int(pos) + 2, column="_submission_time",
                    value=out.at[pos, "submitted_at"], action="kept as missing")
        out["submitted_at"] = parsed
        flag_future_dates(log, parsed, "_submission_time")
    out.attrs.update(source=str(path), encoding=df.attrs["encoding"], layout="kobo", dropped=dropped,
                     repeats=repeats, quality=log.records)
    return out
