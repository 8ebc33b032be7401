"""XLSForm as pyxform reads it: type and column-header aliases, the settings sheet.

The semantics follow pyxform (XLSForm/pyxform, ``pyxform/aliases.py``,
``pyxform/xls2json.py``, ``pyxform/parsing/sheet_headers.py``), the reference converter of
the XLSForm specification (https://xlsform.org/en/), so that a form that pyxform accepts is
understood the same way here.
"""

from __future__ import annotations

import re
from pathlib import Path

from laoyou_eval.errors import LaoyouError

#: XLSForm spellings of the select types (pyxform ``aliases.select``) -> the type used here.
SELECT_ALIASES = {
    "add select one prompt using": "select_one", "select one from": "select_one", "select1": "select_one",
    "select_one": "select_one", "select one": "select_one",
    "add select multiple prompt using": "select_multiple", "select all that apply from": "select_multiple",
    "select_multiple": "select_multiple", "select all that apply": "select_multiple",
    "select multiple from": "select_multiple", "rank": "rank",
}
#: Other XLSForm type spellings (pyxform ``question_type_dictionary`` and ``_type_alias_map``).
TYPE_ALIASES = {
    "int": "integer", "q int": "integer", "add integer prompt": "integer", "percentage": "integer",
    "number of days in last month": "integer", "number of days in last six months": "integer",
    "number of days in last year": "integer",
    "q decimal": "decimal", "add decimal prompt": "decimal",
    "string": "text", "q string": "text", "add text prompt": "text",
    "q date": "date", "add date prompt": "date",
    "dateTime": "datetime", "q dateTime": "datetime", "add dateTime prompt": "datetime",
    "add datetime prompt": "datetime", "q datetime": "datetime",
    "phone number": "phonenumber", "imei": "deviceid", "q note": "note", "add note prompt": "note",
    "select_one_from_file": "external", "select_multiple_from_file": "external",
    "select one from file": "external", "select multiple from file": "external",
    "select_one_external": "external",
}
_SELECT = re.compile(r"^(?P<command>" + "|".join(sorted(SELECT_ALIASES, key=len, reverse=True))
                     + r") (?P<list>\S+)(?P<other> (or specify other|or_other|or other))?$")
_CONTROL = re.compile(r"^(?P<edge>begin|end)[ _](?P<kind>group|lgroup|repeat|loop|looped group)( (over )?\S+)?$")
#: Values pyxform reads as yes (``aliases.yes_no``).
YES = ("yes", "true", "true()")


def is_yes(value) -> bool:
    """pyxform's reading of a yes/no setting (``yes``, ``true``, ``true()`` in any case)."""
    return str(value).strip().lower() in YES


def normalise_type(value: str) -> str:
    """The XLSForm ``type`` as this package spells it (pyxform's aliases resolved).

    >>> normalise_type("select one from yes_no"), normalise_type("select all that apply  act or_other")
    ('select_one yes_no', 'select_multiple act or_other')
    >>> normalise_type("end group"), normalise_type("begin loop over toilets"), normalise_type("int")
    ('end_group', 'begin_repeat', 'integer')
    """
    text = " ".join(str(value).split())
    for alias in sorted(TYPE_ALIASES, key=len, reverse=True):  # "select_one_external LIST", "int" …
        if text == alias or text.startswith(alias + " ") and TYPE_ALIASES[alias] == "external":
            return TYPE_ALIASES[alias]
    if m := _SELECT.match(text):
        return f"{SELECT_ALIASES[m['command']]} {m['list']}" + (" or_other" if m["other"] else "")
    if m := _CONTROL.match(text):
        return f"{m['edge']}_{'group' if m['kind'] == 'group' else 'repeat'}"
    return text


def xlsform_headers(columns) -> dict:
    """Column renames as pyxform's ``sheet_headers`` makes them: the column name (before
    ``::``) in snake_case (``TYPE`` -> ``type``, ``list name`` -> ``list_name``);
    ``label:LANG`` -> ``label::LANG`` when no header uses ``::``; a label language tagged
    ``(zh)``/``(en)`` or named Chinese/English -> ``label::zh``/``label::en`` unless those exist."""
    columns = [str(c) for c in columns]
    double = any("::" in c for c in columns)
    languages = {"en": "en", "english": "en", "英文": "en", "zh": "zh", "chinese": "zh", "中文": "zh",
                 "简体中文": "zh", "汉语": "zh"}
    out = {}
    for column in columns:
        head, sep, lang = column.partition("::") if double else column.partition(":")
        head = "_".join(head.strip().lower().split())
        head = {"caption": "label"}.get(head, head)
        new = f"{head}::{lang.strip()}" if sep else head
        tag = re.fullmatch(r"label::(?:.*\((zh|en)[^)]*\)|(.+))", new)
        code = tag and (tag.group(1) or languages.get(tag.group(2).strip().lower()))
        if code and f"label::{code}" not in columns and f"label::{code}" not in out.values():
            new = f"label::{code}"
        if new != column:
            out[column] = new
    return out


def settings_from_rows(rows: list[dict]) -> dict:
    """Settings of a workbook: ``key``/``value`` rows, or XLSForm's single row (pyxform reads
    the first data row under the column headers)."""
    if not rows:
        return {}
    if {"key", "value"} <= set(rows[0]):
        return {str(r["key"]).strip(): str(r["value"]).strip() for r in rows if str(r["key"]).strip()}
    settings = {str(k).strip(): str(v).strip() for k, v in rows[0].items() if str(v).strip()}
    if "form_title" in settings:
        settings.setdefault("title", settings["form_title"])
    return settings


def read_xlsform(path) -> dict[str, list[dict]]:
    """The sheets of an XLSForm workbook (.xlsx or .xls) as lists of row dicts, sheet names
    lower-cased and column headers normalised (:func:`xlsform_headers`).

    Raises
    ------
    LaoyouError
        A missing, damaged or non-Excel file, or a workbook without a ``survey`` sheet.
    """
    from laoyou_eval.io.tables import read_workbook

    path = Path(path)
    sheets = {str(name).strip().lower(): sheet for name, sheet in read_workbook(path).items()}
    if "survey" not in sheets:
        raise LaoyouError("编码表缺少 survey 工作表。", "The codebook has no 'survey' sheet.", file=path,
                          hint_zh="XLSForm 须有名为 survey 的工作表。", hint_en="an XLSForm needs a sheet named 'survey'.")
    return {name: sheet.rename(columns=xlsform_headers(sheet.columns)).to_dict("records")
            for name, sheet in sheets.items()}
