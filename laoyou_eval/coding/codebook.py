"""The codebook: an XLSForm-compatible workbook (or the same content as YAML).

Sheets (XLSForm column names, plus a few ``laoyou_eval`` extensions that XLSForm tools
ignore):

``survey``
    ``type`` (``select_one LIST``, ``select_multiple LIST``, ``rank LIST``, ``integer``,
    ``decimal``, ``text``), ``name`` (canonical column, e.g. ``ucla3_1``),
    ``label::zh``, ``label::en``; extensions: ``header`` (the raw export's column header;
    defaults to ``name``), ``min`` / ``max`` (valid range of numbers), ``privacy``
    (``drop`` for direct identifiers — names, phone and ID numbers, addresses — which are
    recognised but never carried into coded data; ``pseudonymise`` for an identifier needed
    to link records, replaced by a keyed pseudonym), ``waves`` (space-separated wave numbers
    the row applies to; blank = every wave — questionnaires change between waves).
``choices``
    ``list_name``, ``name`` (the code), ``label::zh``, ``label::en``; extension
    ``aliases`` (other spellings seen in exports, separated by ``|``).
``missing``
    ``value`` (as it appears in the export), ``kind`` (skipped, not_applicable, refused,
    blank).
``scales``
    ``scale`` (output name), ``instrument`` (built-in key, see
    :func:`laoyou_eval.instruments.get`), ``items`` (space-separated canonical columns;
    blank = ``{instrument}_1 … _k``).  A study's own scale has ``instrument`` = ``custom`` and
    lists its ``items``, the items' ``min`` and ``max``, and optionally ``reverse`` (item
    numbers), ``method`` (sum/mean), ``higher_is`` (better/worse), ``label::zh``/``label::en``.
``settings``
    Either XLSForm's one row under column headers (``form_title``, ``form_id``,
    ``version``, ``allow_choice_duplicates`` …) or ``key``/``value`` rows; keys used here:
    ``id`` (canonical name of the respondent identifier), ``title`` (defaults to
    ``form_title``), ``allow_choice_duplicates`` (``yes``: the same choice name may occur
    twice in a list, as XLSForm allows).

Codes of ``select_one`` lists are integers when every choice name is an integer.

XLSForms are read as pyxform reads them (Ona/ODK ``pyxform``, ``xls2json.py``): type aliases
(``select one from LIST``, ``select all that apply LIST``, ``select1``, ``begin repeat``,
``end group``, ``int``, ``string`` …) are normalised; names need only be unique among the
question rows (``end group`` rows may repeat the group's name); label columns
``label:LANG`` (single colon when no header uses ``::``) and ``label::LANG`` are all used to
match answer texts, and a language tagged ``(zh)``/``(en)`` fills ``label::zh``/``label::en``.
Both ``.xlsx`` and the older binary ``.xls`` workbooks are read (by content, not name).

Choices that live outside the ``choices`` sheet are read as pyxform and ODK Collect read them:
``select_one_external LIST`` from the ``external_choices`` sheet; ``select_one_from_file
FILE.csv`` (also ``.xml``, ``.geojson``; ``select_multiple_from_file``) from the form's
attachment, which must sit next to the codebook, its value and label fields named by the
``parameters`` column (``value=… label=…``; default ``name``/``label``).  A question typed
``… LIST or_other`` gets, as pyxform gives it, a choice ``other`` added to its list (unless
the list has one) and its specify-other text, the export's ``<header>_other`` column, is
coded as the text ``<name>_other`` (``<name>_other_text`` for a select_multiple, whose
``<name>_other`` is the 0/1 column of the choice ``other``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from laoyou_eval.errors import LaoyouError
from laoyou_eval.io.xlsform import (
    OR_OTHER_CHOICE,
    is_choice_file,
    is_yes,
    normalise_type,
    parse_parameters,
    read_choice_file,
    read_xlsform,
    settings_from_rows,
    xlsform_headers,
)

MISSING_KINDS = ("skipped", "not_applicable", "refused", "blank")
#: Missing markers of 问卷星 exports (text and code) and what they mean.
WJX_MISSING = (
    ("(跳过)", "skipped"),
    ("(未显示)", "not_applicable"),
    ("-2", "skipped"),
    ("-3", "not_applicable"),
    ("", "blank"),
)
SUPPORTED_TYPES = ("select_one", "select_multiple", "rank", "integer", "decimal", "text", "date", "time",
                   "datetime")
#: XLSForm row types that carry no answer to code (structure, metadata, media, geodata); such
#: rows are accepted in a codebook and left out of coding.
IGNORED_TYPES = ("begin", "end", "begin_group", "end_group", "begin_repeat", "end_repeat", "note", "calculate",
                 "start", "today", "deviceid", "subscriberid", "simserial", "phonenumber", "username", "email",
                 "audit", "hidden", "acknowledge", "image", "audio", "video", "file", "barcode", "geopoint",
                 "geotrace", "geoshape", "range", "external", "osm", "trigger", "start-geopoint", "background-audio",
                 "background-geopoint", "xml-external", "csv-external", "photo")
SURVEY_COLUMNS = ("type", "name", "label::zh", "label::en", "header", "min", "max", "privacy", "waves")
CHOICE_COLUMNS = ("list_name", "name", "label::zh", "label::en", "aliases")
#: Keys of the ``scales`` sheet (besides ``label::…``); ``custom`` and ``note`` are written by the package.
SCALE_COLUMNS = ("scale", "instrument", "items", "min", "max", "reverse", "method", "higher_is", "custom", "note")


def _read_yaml(path: Path) -> dict:
    import yaml

    from laoyou_eval.io.tables import read_text

    text, _ = read_text(path)
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise LaoyouError(
            f"编码表不是有效的 YAML：{getattr(error, 'problem', '') or error}",
            f"The codebook is not valid YAML: {getattr(error, 'problem', '') or error}",
            file=path, row=mark.line + 1 if mark else None,
            column=f"第 {mark.column + 1} 个字符 character {mark.column + 1}" if mark else None,
            hint_zh="检查这一行的缩进、冒号和引号（用空格缩进，不要用 Tab）。",
            hint_en="check the indentation, colons and quotes of that line (indent with spaces, not tabs).") from None
    doc = doc or {}
    if not isinstance(doc, dict):
        raise LaoyouError("编码表 YAML 的顶层应为 survey、choices 等键。",
                          "A YAML codebook must be a mapping with survey, choices, … keys.", file=path, row=1)
    for sheet in ("survey", "choices", "missing", "scales"):
        entries = doc.get(sheet)
        if entries is None:
            continue
        if not isinstance(entries, list):
            raise LaoyouError(f"编码表的 {sheet} 应为条目列表（每条以“- ”开头）。",
                              f"The codebook's {sheet} must be a list of entries (each starting with '- ').",
                              file=path, column=sheet)
        for number, entry in enumerate(entries, start=1):
            if not isinstance(entry, dict):
                raise LaoyouError(f"编码表 {sheet} 的第 {number} 条不是“键: 值”形式：{entry!r}",
                                  f"Entry {number} of the codebook's {sheet} is not a mapping: {entry!r}",
                                  file=path, column=sheet, hint_zh="每条写成“- name: …”加缩进的键。",
                                  hint_en="write each entry as '- name: …' with indented keys.")
    return doc


def _choice_file_questions(survey_rows) -> dict[str, dict]:
    """{choice file name: parsed ``parameters``} of the ``select_*_from_file`` survey rows."""
    files = {}
    for row in survey_rows:
        if not isinstance(row, dict):
            continue
        parts = normalise_type(row.get("type", "") or "").split()
        if len(parts) > 1 and parts[0] in ("select_one", "select_multiple") and is_choice_file(parts[1]):
            files.setdefault(parts[1], parse_parameters(row.get("parameters", "") or ""))
    return files


def _choice_files(path: Path, survey_rows, known_lists) -> list[dict]:
    """Choices of the ``select_*_from_file`` questions, read from the attachments beside the codebook."""
    rows = []
    for name, parameters in _choice_file_questions(survey_rows).items():
        if name not in known_lists:
            rows += read_choice_file(path.parent / name, name, parameters.get("value"), parameters.get("label"))
    return rows


def attachments(path) -> list[Path]:
    """The choice files a codebook reads (``select_one_from_file``), beside it: inputs of the
    coded data as much as the codebook itself."""
    path = Path(path)
    return [path.parent / name for name in _choice_file_questions(_read_document(path)[0].get("survey") or [])]


def _read_document(path: Path) -> tuple[dict, dict]:
    """The sheets of a codebook file (YAML or workbook) and its settings."""
    if not path.is_file():
        raise LaoyouError("找不到编码表。", "Codebook not found.", file=path)
    if path.suffix.lower() in {".yaml", ".yml"}:
        doc = _read_yaml(path)
        settings = doc.get("settings") or {}
        if not isinstance(settings, dict):
            raise LaoyouError("编码表的 settings 应为“键: 值”。", "The codebook's settings must be a mapping.",
                              file=path, column="settings")
    elif path.suffix.lower() in {".xlsx", ".xls", ".xlsm"}:
        doc = read_xlsform(path)
        settings = settings_from_rows(doc.get("settings") or [])
    else:
        raise LaoyouError("编码表须为 .xlsx、.xls 或 .yaml。", "A codebook must be .xlsx, .xls or .yaml.", file=path)
    return doc, settings


def _with_or_other(choices, survey):
    """pyxform's ``or_other``: the choice ``other`` (label "Other") added to each list a
    ``select_… LIST or_other`` question uses, unless the list already has it."""
    import pandas as pd

    lists = [t.split()[1] for t in survey["type"] if t.endswith(" or_other") and len(t.split()) == 3]
    added = [{**dict.fromkeys(choices.columns, ""), "list_name": name, "name": OR_OTHER_CHOICE,
              "label::zh": "其他", "label::en": "Other"}
             for name in dict.fromkeys(lists)
             if name in set(choices["list_name"])
             and not ((choices["list_name"] == name) & (choices["name"] == OR_OTHER_CHOICE)).any()]
    return pd.concat([choices, pd.DataFrame(added, columns=choices.columns)], ignore_index=True) if added else choices


@dataclass
class Codebook:
    """A parsed codebook (see the module docstring for the sheets).

    Attributes
    ----------
    survey, choices, missing, scales : pandas.DataFrame
    settings : dict
    source : str
        Where it was read from (for error messages).
    """

    survey: object
    choices: object
    missing: object
    scales: object
    settings: dict = field(default_factory=dict)
    source: str = "<codebook>"

    def __post_init__(self) -> None:
        self._validate()
        self._define_custom_scales()

    def _define_custom_scales(self) -> None:
        """Scales the study defines itself (``instrument`` = ``custom``): registered with
        :func:`laoyou_eval.instruments.define` under the scale's name, so they are scored,
        checked for reliability and analysed like built-in instruments."""
        from laoyou_eval import instruments

        custom = [pos for pos, row in self.scales.iterrows()
                  if row["instrument"].lower() == "custom" or row.get("custom", "") == "yes"]
        if custom and "custom" not in self.scales:
            self.scales["custom"] = ""
        for pos, row in self.scales.loc[custom].iterrows():
            where = {"row": pos + 2, "sheet": "scales"}
            items = row["items"].split()
            if not items:
                self._fail("自定义量表要在 items 中列出它的条目", "a custom scale must list its items", column="items", **where)
            values = {}
            for key in ("min", "max"):
                try:
                    values[key] = float(row.get(key, ""))
                except ValueError:
                    self._fail(f"自定义量表的 {key} 应是数字（条目的最低/最高分）",
                               f"a custom scale's {key} must be a number (the items' lowest/highest score)",
                               column=key, **where)
            reverse = []
            for token in str(row.get("reverse", "")).split():
                if not token.isdigit() or not 1 <= int(token) <= len(items):
                    self._fail(f"reverse 应是 1–{len(items)} 之间的条目序号", f"reverse lists item numbers 1–{len(items)}",
                               column="reverse", **where)
                reverse.append(int(token))
            method = row.get("method", "") or "sum"
            direction = row.get("higher_is", "") or "better"
            if method not in ("sum", "mean"):
                self._fail("method 只能是 sum 或 mean", "method is sum or mean", column="method", **where)
            if direction not in ("better", "worse"):
                self._fail("higher_is 只能是 better 或 worse", "higher_is is better or worse", column="higher_is", **where)
            title_zh = row.get("label::zh", "") or row["scale"]
            instruments.define(row["scale"], title_zh=title_zh, title_en=row.get("label::en", "") or title_zh,
                               n_items=len(items), item_min=values["min"], item_max=values["max"], reverse=reverse,
                               method=method, higher_is=direction, source=self.source)
            self.scales.loc[pos, ["instrument", "custom"]] = [row["scale"], "yes"]

    # ------------------------------------------------------------------ reading/writing
    @classmethod
    def from_tables(cls, survey, choices=None, missing=None, scales=None, settings=None, source="<codebook>"):
        """Build a codebook from DataFrames or lists of dicts (one per sheet)."""
        import pandas as pd

        def frame(rows, columns):
            df = pd.DataFrame(rows if rows is not None else [], dtype=object)
            df = df.rename(columns=xlsform_headers(df.columns))
            for col in columns:
                if col not in df:
                    df[col] = ""
            df = df[list(columns) + [c for c in df.columns if c not in columns]]
            return df.fillna("").astype(str).map(str.strip)

        missing_rows = missing if missing is not None else [{"value": v, "kind": k} for v, k in WJX_MISSING]
        survey = frame(survey, SURVEY_COLUMNS)
        survey["type"] = survey["type"].map(normalise_type)
        return cls(
            survey=survey,
            choices=_with_or_other(frame(choices, CHOICE_COLUMNS), survey),
            missing=frame(missing_rows, ("value", "kind")),
            scales=frame(scales, ("scale", "instrument", "items")),
            settings={str(k): str(v) for k, v in (settings or {}).items()},
            source=str(source),
        )

    @classmethod
    def read(cls, path) -> Codebook:
        """Read a codebook: an XLSForm-compatible workbook (.xlsx or .xls) or YAML (.yaml/.yml).

        Raises
        ------
        LaoyouError
            Missing or damaged file, invalid YAML (with its line and column), a sheet that is
            not a table, or an invalid codebook (file, sheet, row and column named).

        Examples
        --------
        >>> from laoyou_eval import config
        >>> book = Codebook.read(config.DEMO_STUDY_DIR / "codebooks/caregivers.yaml")
        >>> book.id_column
        'caregiver_id'
        """
        path = Path(path)
        doc, settings = _read_document(path)
        choices = [*(doc.get("choices") or []), *(doc.get("external_choices") or [])]
        choices += _choice_files(path, doc.get("survey") or [], {c.get("list_name") for c in choices})
        return cls.from_tables(doc.get("survey"), choices, doc.get("missing"), doc.get("scales"),
                               settings, source=path)

    def to_excel(self, path) -> Path:
        """Write the codebook as an XLSForm-compatible workbook."""
        import pandas as pd

        path = Path(path)
        with pd.ExcelWriter(path, engine="openpyxl") as writer:
            self.survey.to_excel(writer, sheet_name="survey", index=False)
            self.choices.to_excel(writer, sheet_name="choices", index=False)
            self.missing.to_excel(writer, sheet_name="missing", index=False)
            self.scales.to_excel(writer, sheet_name="scales", index=False)
            pd.DataFrame({"key": list(self.settings), "value": list(self.settings.values())}).to_excel(
                writer, sheet_name="settings", index=False)
        return path

    def to_yaml(self) -> str:
        """The codebook as YAML text (the same content as the workbook)."""
        import yaml

        def rows(df):
            return [{k: v for k, v in r.items() if v != ""} for r in df.to_dict("records")]

        doc = {"settings": self.settings, "survey": rows(self.survey), "choices": rows(self.choices),
               "missing": self.missing.to_dict("records"), "scales": rows(self.scales)}
        return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=120)

    # ------------------------------------------------------------------ structure
    def questions(self, wave: int | None = None):
        """Survey rows of supported types, with parsed ``base_type``, ``list_name`` and ``header``.

        With ``wave``, rows restricted to other waves are left out; without it, only rows
        that apply to every wave are returned.
        """
        survey = self.survey.copy()
        applies = survey["waves"].map(lambda w: w == "" or (wave is not None and str(wave) in w.split()))
        survey = survey[applies]
        tokens = survey["type"].str.split()
        survey["base_type"] = tokens.map(lambda t: t[0] if t else "")
        survey["list_name"] = tokens.map(lambda t: t[1] if len(t) > 1 else "")  # "select_one list or_other": the list
        survey["header"] = survey["header"].where(survey["header"] != "", survey["name"])
        return survey[survey.base_type.isin(SUPPORTED_TYPES)].reset_index(drop=True)

    def choice_list(self, list_name: str):
        """Choices of one list: name (code), labels and aliases."""
        return self.choices[self.choices.list_name == list_name]

    def missing_map(self) -> dict[str, str]:
        """Export value -> missing kind."""
        return dict(zip(self.missing["value"], self.missing["kind"]))

    @property
    def id_column(self) -> str | None:
        return self.settings.get("id") or None

    def _fail(self, zh: str, en: str, row: int | None = None, column: str | None = None, sheet: str = "survey"):
        """Raise naming the file, the sheet and the row: the spreadsheet row of a workbook
        (header = row 1), the entry number of a YAML codebook."""
        yaml = str(self.source).lower().endswith((".yaml", ".yml"))
        where_zh = f"{sheet} 表" + ("" if row is None else (f"第 {row - 1} 条" if yaml else f"第 {row} 行"))
        where_en = f"sheet {sheet}" + ("" if row is None else (f", entry {row - 1}" if yaml else f", row {row}"))
        raise LaoyouError(f"编码表有误（{where_zh}）：{zh}", f"Invalid codebook ({where_en}): {en}", file=self.source,
                          row=None if yaml else row, column=column,
                          hint_zh="按提示改正编码表后重新运行。", hint_en="correct the codebook as described and run again.")

    def _validate(self) -> None:
        if self.survey.empty:
            self._fail("survey 表是空的", "the survey sheet is empty")
        if (self.survey["type"] == "").all():
            self._fail("survey 表没有 type 列（或全为空）", "the survey sheet has no (filled) 'type' column", column="type")
        base = self.survey["type"].str.split().str[0].fillna("")
        unknown = self.survey[~base.isin(SUPPORTED_TYPES + IGNORED_TYPES) & (base != "")]
        for pos, row in unknown.iterrows():
            self._fail(f"未知题型 {row['type']!r}", f"unknown type {row['type']!r}", row=pos + 2, column="type")
        is_question = base.isin(SUPPORTED_TYPES)
        for pos in self.survey.index[is_question & (self.survey["name"] == "")]:
            self._fail("题目缺少 name", "a question has no name", row=pos + 2, column="name")
        for column in ("min", "max"):
            for pos, value in self.survey.loc[is_question, column].items():
                if value != "" and not re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", value):
                    self._fail(f"{column} 应为数字，实际为 {value!r}", f"{column} must be a number, got {value!r}",
                               row=pos + 2, column=column)
        names = self.survey["name"]
        waves = self.survey["waves"].map(lambda w: set(w.split()) or {"*"})
        # XLSForm names are unique among the questions; ``end group`` rows may repeat a group's name
        for name, group in self.survey[is_question & (names != "")].groupby("name"):
            sets = [waves[i] for i in group.index]
            clash = any("*" in a or "*" in b or a & b for i, a in enumerate(sets) for b in sets[i + 1:])
            if len(sets) > 1 and clash:
                self._fail(f"name 重复：{name}（同一波次中只能出现一次）",
                           f"duplicate name {name!r} (allowed only for rows of different waves)",
                           row=int(group.index[1]) + 2, column="name")
        lists = set(self.choices["list_name"])
        for pos, row in self.survey.iterrows():
            parts = row["type"].split()
            if parts and parts[0] in ("select_one", "select_multiple", "rank"):
                if len(parts) < 2 or parts[1] not in lists:
                    self._fail(f"选项列表 {parts[1] if len(parts) > 1 else '?'} 不在 choices 表中",
                               f"choice list {parts[1] if len(parts) > 1 else '?'} not in the choices sheet",
                               row=pos + 2, column="type")
        bad_privacy = set(self.survey["privacy"]) - {"", "drop", "pseudonymise"}
        if bad_privacy:
            pos = int(self.survey.index[self.survey["privacy"].isin(bad_privacy)][0])
            self._fail(f"privacy 只能是 drop 或 pseudonymise：{sorted(bad_privacy)}",
                       f"privacy must be 'drop' or 'pseudonymise', got {sorted(bad_privacy)}", row=pos + 2,
                       column="privacy")
        bad_kinds = set(self.missing["kind"]) - set(MISSING_KINDS)
        if bad_kinds:
            pos = int(self.missing.index[self.missing["kind"].isin(bad_kinds)][0])
            self._fail(f"missing 表的 kind 只能是 {MISSING_KINDS}", f"missing kinds must be one of {MISSING_KINDS}",
                       row=pos + 2, column="kind", sheet="missing")
        for pos in self.choices.index[(self.choices["list_name"] != "") & (self.choices["name"] == "")]:
            self._fail("选项缺少 name（代码）", "a choice has no name (code)", row=pos + 2, column="name",
                       sheet="choices")
        choice_dup = self.choices.duplicated(["list_name", "name"]) & (self.choices["name"] != "")
        if choice_dup.any() and not is_yes(self.settings.get("allow_choice_duplicates", "")):
            pos = int(self.choices.index[choice_dup][0])
            self._fail("同一列表中选项代码重复", "duplicate choice code within a list", row=pos + 2, column="name",
                       sheet="choices")
        if self.id_column and self.id_column not in set(names):
            self._fail(f"settings 中的 id {self.id_column!r} 不在 survey 表中",
                       f"settings id {self.id_column!r} is not a survey name", column="id", sheet="settings")
        self._validate_scales(set(names))

    def _validate_scales(self, names: set) -> None:
        """Every ``scales`` row names a built-in instrument (or ``custom``) and items that are
        question names of the survey sheet; a typo is named with its closest match."""
        import difflib

        from laoyou_eval import instruments

        known = instruments.available()
        for column in [c for c in self.scales.columns if c not in SCALE_COLUMNS and not c.startswith("label")]:
            filled = self.scales.index[self.scales[column] != ""]
            if len(filled):  # a mistyped key (revers: 4) would silently score a reverse item forward
                close = difflib.get_close_matches(column, SCALE_COLUMNS, n=1)
                self._fail(f"scales 表不认识 {column!r}" + (f"（是不是 {close[0]}？）" if close else "")
                           + f"；可用：{', '.join(SCALE_COLUMNS)}",
                           f"the scales sheet has no key {column!r}" + (f" (did you mean {close[0]}?)" if close else "")
                           + f"; keys: {', '.join(SCALE_COLUMNS)}", row=int(filled[0]) + 2, column=column, sheet="scales")
        for pos, row in self.scales.iterrows():
            where = {"row": pos + 2, "sheet": "scales"}
            name = row["instrument"]
            custom = name.lower() == "custom" or row.get("custom", "") == "yes"
            if not custom and name not in known:
                close = difflib.get_close_matches(name, known, n=1)
                self._fail(f"未知量表 {name!r}" + (f"（是不是 {close[0]}？）" if close else "")
                           + f"。内置量表：{', '.join(known)}；自己的量表写 custom 并列出 items、min、max",
                           f"unknown instrument {name!r}" + (f" (did you mean {close[0]}?)" if close else "")
                           + f". Built-in: {', '.join(known)}; for a scale of your own write custom with items, min, max",
                           column="instrument", **where)
            if custom or row["items"]:
                items = row["items"].split()
            elif instruments.get(name).composites:
                continue  # composite items (SSRS) come from sub-columns
            else:
                items = [f"{name}_{i}" for i in range(1, instruments.get(name).n_items + 1)]
            absent = [item for item in items if item not in names]
            if absent:
                close = {a: difflib.get_close_matches(a, sorted(names), n=1) for a in absent}
                guess_zh = "；".join(f"{a} 是不是 {c[0]}？" for a, c in close.items() if c)
                guess_en = "; ".join(f"{a}: did you mean {c[0]}?" for a, c in close.items() if c)
                self._fail(f"量表 {row['scale']} 的条目 {', '.join(absent)} 不是 survey 表中的 name"
                           + (f"（{guess_zh}）" if guess_zh else "")
                           + ("" if row["items"] else f"；不写 items 时条目须命名为 {name}_1 … {name}_{len(items)}"),
                           f"items {', '.join(absent)} of scale {row['scale']} are not names of the survey sheet"
                           + (f" ({guess_en})" if guess_en else "")
                           + ("" if row["items"] else f"; without items, name the items {name}_1 … {name}_{len(items)}"),
                           column="items", **where)
