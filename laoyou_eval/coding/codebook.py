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
    blank = ``{instrument}_1 … _k``).
``settings``
    ``key``/``value`` rows: ``id`` (canonical name of the respondent identifier),
    ``title``.

Codes of ``select_one`` lists are integers when every choice name is an integer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from laoyou_eval.errors import LaoyouError

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
                 "geotrace", "geoshape", "range")
SURVEY_COLUMNS = ("type", "name", "label::zh", "label::en", "header", "min", "max", "privacy", "waves")
CHOICE_COLUMNS = ("list_name", "name", "label::zh", "label::en", "aliases")


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

    # ------------------------------------------------------------------ reading/writing
    @classmethod
    def from_tables(cls, survey, choices=None, missing=None, scales=None, settings=None, source="<codebook>"):
        """Build a codebook from DataFrames or lists of dicts (one per sheet)."""
        import pandas as pd

        def frame(rows, columns):
            df = pd.DataFrame(rows if rows is not None else [], dtype=object)
            df = df.rename(columns={"list name": "list_name"})  # older XLSForms
            for col in columns:
                if col not in df:
                    df[col] = ""
            df = df[list(columns) + [c for c in df.columns if c not in columns]]
            return df.fillna("").astype(str).map(str.strip)

        missing_rows = missing if missing is not None else [{"value": v, "kind": k} for v, k in WJX_MISSING]
        return cls(
            survey=frame(survey, SURVEY_COLUMNS),
            choices=frame(choices, CHOICE_COLUMNS),
            missing=frame(missing_rows, ("value", "kind")),
            scales=frame(scales, ("scale", "instrument", "items")),
            settings={str(k): str(v) for k, v in (settings or {}).items()},
            source=str(source),
        )

    @classmethod
    def read(cls, path) -> "Codebook":
        """Read a codebook workbook (.xlsx) or YAML file (.yaml/.yml)."""
        import pandas as pd

        path = Path(path)
        if not path.is_file():
            raise LaoyouError("找不到编码表。", "Codebook not found.", file=path)
        if path.suffix.lower() in {".yaml", ".yml"}:
            import yaml

            doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            settings = doc.get("settings") or {}
        elif path.suffix.lower() in {".xlsx", ".xls"}:
            sheets = pd.read_excel(path, sheet_name=None, dtype=str, keep_default_na=False, engine="openpyxl")
            if "survey" not in sheets:
                raise LaoyouError("编码表缺少 survey 工作表。", "The codebook has no 'survey' sheet.", file=path)
            doc = {name: sheets[name].to_dict("records") for name in sheets}
            settings = {r["key"]: r["value"] for r in doc.get("settings", [])}
        else:
            raise LaoyouError("编码表须为 .xlsx 或 .yaml。", "A codebook must be .xlsx or .yaml.", file=path)
        return cls.from_tables(doc.get("survey"), doc.get("choices"), doc.get("missing"), doc.get("scales"),
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
        survey["base_type"] = tokens.str[0].fillna("")
        survey["list_name"] = tokens.str[1].fillna("")  # "select_one list or_other": the list
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

    def _fail(self, zh: str, en: str, row: int | None = None, column: str | None = None):
        raise LaoyouError(f"编码表有误：{zh}", f"Invalid codebook: {en}", file=self.source, row=row, column=column)

    def _validate(self) -> None:
        if self.survey.empty:
            self._fail("survey 表是空的", "the survey sheet is empty")
        base = self.survey["type"].str.split().str[0].fillna("")
        unknown = self.survey[~base.isin(SUPPORTED_TYPES + IGNORED_TYPES) & (base != "")]
        for pos, row in unknown.iterrows():
            self._fail(f"未知题型 {row['type']!r}", f"unknown type {row['type']!r}", row=pos + 2, column="type")
        names = self.survey["name"]
        waves = self.survey["waves"].map(lambda w: set(w.split()) or {"*"})
        for name, group in self.survey[names != ""].groupby("name"):
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
            self._fail(f"privacy 只能是 drop 或 pseudonymise：{bad_privacy}",
                       f"privacy must be 'drop' or 'pseudonymise', got {bad_privacy}", column="privacy")
        bad_kinds = set(self.missing["kind"]) - set(MISSING_KINDS)
        if bad_kinds:
            self._fail(f"missing 表的 kind 只能是 {MISSING_KINDS}", f"missing kinds must be one of {MISSING_KINDS}",
                       column="kind")
        choice_dup = self.choices.duplicated(["list_name", "name"])
        if choice_dup.any():
            pos = int(self.choices.index[choice_dup][0])
            self._fail("同一列表中选项代码重复", "duplicate choice code within a list", row=pos + 2, column="name")
        if self.id_column and self.id_column not in set(names):
            self._fail(f"settings 中的 id {self.id_column!r} 不在 survey 表中",
                       f"settings id {self.id_column!r} is not a survey name")
