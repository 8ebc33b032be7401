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
    # choices from a file beside the form (pyxform ``aliases.select_from_file``; the list name is the file name)
    # or from the form's ``external_choices`` sheet (``select_one_external``)
    "select_one_from_file": "select_one", "select_multiple_from_file": "select_multiple",
    "select one from file": "select_one", "select multiple from file": "select_multiple",
    "select_one_external": "select_one",
}
#: Extensions of choice files (pyxform ``EXTERNAL_INSTANCE_EXTENSIONS``) and their default value
#: and label fields (pyxform ``DEFAULT_ITEMSET_*_REF``, ``EXTERNAL_CHOICES_ITEMSET_REF_*_GEOJSON``).
CHOICE_FILE_FIELDS = {".csv": ("name", "label"), ".xml": ("name", "label"), ".geojson": ("id", "title")}
#: The choice pyxform adds to a list used with ``or_other`` (``constants.OR_OTHER_CHOICE``).
OR_OTHER_CHOICE = "other"
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
    >>> normalise_type("select_one_from_file towns.csv"), normalise_type("select_one_external street")
    ('select_one towns.csv', 'select_one street')
    """
    text = " ".join(str(value).split())
    if text in TYPE_ALIASES:
        return TYPE_ALIASES[text]
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


def is_choice_file(list_name: str) -> bool:
    """Whether a list name is a choice file (``select_one_from_file towns.csv``): a name with
    one of pyxform's external-instance extensions."""
    return Path(str(list_name)).suffix.lower() in CHOICE_FILE_FIELDS


def parse_parameters(text: str) -> dict[str, str]:
    """XLSForm's ``parameters`` cell as pyxform parses it (``pyxform/parsing/parameters.py``):
    ``key=value`` pairs separated by spaces, commas or semicolons; keys in lower case, the
    ``value`` and ``label`` field names with their case kept.

    >>> parse_parameters("value=Code, label=town;randomize=true")
    {'value': 'Code', 'label': 'town', 'randomize': 'true'}
    """
    return {k.lower(): v for k, v in re.findall(r"([^\s=,;]+)\s*=\s*([^\s=,;]+)", str(text))}


def read_choice_file(path, list_name: str, value: str | None = None, label: str | None = None) -> list[dict]:
    """The choices of a ``select_one_from_file`` / ``select_multiple_from_file`` question, read
    from the form's attachment as ODK Collect reads it: a CSV with a header row, an XML file
    whose root holds one element per item (``<root><item><name>…</name><label>…</label></item>``),
    or a GeoJSON FeatureCollection (``id`` and ``title`` of each feature's properties).

    Parameters
    ----------
    path : path
        The choice file.
    list_name : str
        The list name the survey row uses (the file name); becomes the choices' ``list_name``.
    value, label : str, optional
        The fields holding the code and the label (XLSForm ``parameters`` ``value=``/``label=``;
        defaults ``name``/``label``, for GeoJSON ``id``/``title``).

    Returns
    -------
    list of dict
        ``list_name``, ``name``, ``label`` per item.

    Raises
    ------
    LaoyouError
        A missing or unreadable file, or one without the value field.
    """
    import json
    import xml.etree.ElementTree as ElementTree

    path = Path(path)
    default_value, default_label = CHOICE_FILE_FIELDS[path.suffix.lower()]
    value, label = value or default_value, label or default_label
    if not path.is_file():
        raise LaoyouError(
            f"找不到选项文件 {path.name}（select_one_from_file 的选项在表单附件中）。",
            f"Choice file {path.name} not found (select_one_from_file takes its choices from the form's attachment).",
            file=path, hint_zh="把表单附带的这个文件放在编码表旁边；没有它时把该题 type 改为 text，答案原样保留。",
            hint_en="put the form's attachment next to the codebook; without it, change the question's type to "
                    "text to keep the answers as given.")
    try:
        if path.suffix.lower() == ".csv":
            from laoyou_eval.io.tables import read_table

            items = read_table(path).to_dict("records")
        elif path.suffix.lower() == ".xml":
            items = [{child.tag: (child.text or "").strip() for child in item}
                     for item in ElementTree.parse(path).getroot()]
        else:
            features = json.loads(path.read_text(encoding="utf-8-sig")).get("features") or []
            items = [{"id": f.get("id", ""), **(f.get("properties") or {})} for f in features]
    except (ElementTree.ParseError, json.JSONDecodeError, UnicodeDecodeError, AttributeError) as error:
        raise LaoyouError(f"选项文件无法读取：{error}", f"The choice file cannot be read: {error}", file=path,
                          hint_zh="用表单平台导出的原文件替换它。", hint_en="replace it with the file the form platform has.") from None
    if not items or value not in items[0]:
        raise LaoyouError(f"选项文件中没有值字段 {value!r}。", f"The choice file has no value field {value!r}.",
                          file=path, column=value,
                          hint_zh="在编码表该题的 parameters 中写明 value=字段名。",
                          hint_en="name the field in the question's parameters: value=FIELD.")
    return [{"list_name": list_name, "name": str(item.get(value, "")).strip(),
             "label": str(item.get(label, "") or "").strip()} for item in items]


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
