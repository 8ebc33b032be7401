"""Apply a codebook to a raw export: answer texts -> codes, with a data-quality report."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from laoyou_eval.coding.codebook import Codebook
from laoyou_eval.errors import LaoyouError
from laoyou_eval.io.wjx import MULTI_SEP, RANK_SEP, parse_header, question_columns, split_other
from laoyou_eval.io.xlsform import is_yes
from laoyou_eval.quality import QualityLog, normalise_id, row_number

DUPLICATE_POLICIES = ("keep_last", "keep_first", "keep_all", "error")
INVALID = "invalid"
#: Metadata carried into coded data (never 来源详情 or 来自IP: they are personal data).
KEPT_METADATA = ("submitted_at", "duration_s")


@dataclass
class CodedSurvey:
    """Result of :func:`apply`.

    Attributes
    ----------
    data : pandas.DataFrame
        One row per kept submission: ``row`` (spreadsheet row in the export), the kept
        metadata, the identifier, then one column per codebook question (select_one codes as
        Int64, numbers as Float64, text as str; select_multiple and rank questions as
        ``{name}_{choice}`` columns; other text as ``{name}_other``, or ``{name}_other_text``
        when a select_multiple or rank question has a choice named ``other`` whose 0/1
        column is ``{name}_other`` (as for an XLSForm ``select_multiple … or_other``)).
        Missing values are NA.
    missing : pandas.DataFrame
        Same rows, one column per coded column: ``""`` when answered, otherwise the missing
        kind (skipped, not_applicable, refused, blank) or ``invalid`` (unknown text, out of
        range) — the kinds stay distinct until scoring.
    quality : pandas.DataFrame
        The data-quality report (:data:`laoyou_eval.quality.QUALITY_COLUMNS`).
    codebook : Codebook
    """

    data: object
    missing: object
    quality: object
    codebook: Codebook

    def missing_summary(self):
        """Count of each missing kind per column (columns with no missing values omitted)."""
        counts = self.missing.apply(lambda col: col[col != ""].value_counts()).T.fillna(0).astype(int)
        return counts[counts.sum(axis=1) > 0]


def _fit_check(raw, questions, layout: str, file: str, codebook_source: str):
    """Raise one error naming every codebook header the export lacks (and the codebook asking for them)."""
    available = set(raw.columns)
    missing = []
    for q in questions.itertuples():
        if q.header in available:
            continue
        if layout == "code" and q.base_type == "select_multiple":
            number = parse_header(q.header)[0]
            if number is not None and any(parse_header(c)[0] == number for c in raw.columns):
                continue
        missing.append(q.header)
    if missing:
        candidates = question_columns(raw)
        lines = []
        for header in missing:
            close = difflib.get_close_matches(header, candidates, n=1, cutoff=0.5)
            lines.append(f"{header}" + (f"  → 最接近 closest: {close[0]}" if close else ""))
        listing = "\n  ".join(lines)
        raise LaoyouError(
            f"编码表 {codebook_source} 与数据不符：数据中没有以下 {len(missing)} 列：\n  {listing}",
            f"The codebook {codebook_source} does not fit the data: {len(missing)} codebook header(s) are not in "
            "the export (listed above).",
            file=file, column=missing[0],
            hint_zh="检查编码表 survey 表的 header 列是否与导出文件的表头完全一致。",
            hint_en="make the codebook's header column match the export's headers exactly.")


def _lookup(codebook: Codebook, list_name: str, layout: str) -> dict[str, object]:
    choices = codebook.choice_list(list_name)
    numeric = choices["name"].str.fullmatch(r"-?\d+").all()
    codes = [int(c) if numeric else c for c in choices["name"]]
    table: dict[str, object] = {}
    if layout == "code":  # 问卷星 code exports number the options 1..k in list order
        table.update({str(k + 1): code for k, code in enumerate(codes)})
        return table
    for code, row in zip(codes, choices.to_dict("records")):
        labels = [value for column, value in row.items() if column.startswith("label")]  # every language
        texts = [row["name"], *labels, *row["aliases"].split("|")]
        table.update({text.strip(): code for text in texts if text.strip()})
    return table


class _Coder:
    """Codes one export, column by column, logging every value it cannot use."""

    def __init__(self, raw, codebook: Codebook, log: QualityLog, layout: str):
        import pandas as pd

        self.raw, self.codebook, self.log, self.layout = raw, codebook, log, layout
        self.missing_values = codebook.missing_map()
        self.rows = [row_number(p) for p in range(len(raw))]
        self.data: dict[str, object] = {}
        self.kinds: dict[str, object] = {}
        self.pd = pd

    def _cell_kind(self, value: str):
        return self.missing_values.get(value.strip())

    def _flag(self, issue, pos, column, value, action, **detail):
        self.log.add(issue, row=self.rows[pos], column=column, value=value, action=action, **detail)

    def flag_skipped_required(self, q):
        """A question marked ``required`` (XLSForm yes/true) that is skipped or blank: the
        questionnaire's logic or the export is not what the codebook says."""
        if not is_yes(getattr(q, "required", "")) or q.header not in self.raw.columns:
            return
        for pos, value in enumerate(self.raw[q.header].astype(str)):
            if self._cell_kind(value) in ("skipped", "blank"):
                self._flag("skipped_required", pos, q.header, value, "kept; check the questionnaire logic")

    def select_one(self, q):
        lookup = _lookup(self.codebook, q.list_name, self.layout)
        column = self.raw[q.header].astype(str)
        codes, kinds, others = [], [], []
        for pos, value in enumerate(column):
            kind = self._cell_kind(value)
            base, other = split_other(value.strip())
            if kind:
                codes.append(None), kinds.append(kind), others.append(None)
            elif base in lookup:
                codes.append(lookup[base]), kinds.append(""), others.append(other)
            else:
                self._flag("unknown_answer", pos, q.header, value, "set to missing (invalid)")
                codes.append(None), kinds.append(INVALID), others.append(None)
        numeric = all(isinstance(c, int) for c in codes if c is not None)
        self.data[q.name] = self.pd.array(codes, dtype="Int64" if numeric else "str")
        self.kinds[q.name] = kinds
        if any(o is not None for o in others):
            self.data[f"{q.name}_other"] = self.pd.array(others, dtype="str")
        if self.layout == "code":
            self._code_other_text(q)
        self._specify_other(q)

    def _specify_other(self, q):
        """The text of an XLSForm ``or_other`` question: the export's ``<header>_other`` column
        (pyxform's added ``<name>_other`` question), coded as ``<name>_other`` — as
        ``<name>_other_text`` for a select_multiple, whose ``<name>_other`` is the 0/1 column
        of the choice ``other``."""
        column = f"{q.header}_other"
        if not q.type.endswith(" or_other") or column not in self.raw.columns:
            return
        texts = self.raw[column].astype(str).str.strip()
        texts = texts.where(~texts.isin(list(self.missing_values)), None)
        target = f"{q.name}_other_text" if q.base_type != "select_one" else f"{q.name}_other"
        self.data[target] = self.pd.array(texts, dtype="str")

    def _other_column(self, q) -> str:
        """Column of ``q``'s other text: ``{name}_other``, unless that is the 0/1 column of a
        choice named ``other`` (select_multiple, rank)."""
        takes_columns = q.base_type in ("select_multiple", "rank")
        if takes_columns and "other" in set(self.codebook.choice_list(q.list_name)["name"]):
            return f"{q.name}_other_text"
        return f"{q.name}_other"

    def _code_other_text(self, q):
        number = parse_header(q.header)[0]
        other_col = f"第{number}题(其他〖请注明〗)"
        if number is not None and other_col in self.raw.columns:
            texts = self.raw[other_col].astype(str).str.strip()
            texts = texts.where(~texts.isin(list(self.missing_values)), None)
            if texts.notna().any():
                self.data[self._other_column(q)] = self.pd.array(texts, dtype="str")

    def select_multiple(self, q, sep=MULTI_SEP, rank=False):
        choices = self.codebook.choice_list(q.list_name)
        lookup = _lookup(self.codebook, q.list_name, "text")
        names = list(dict.fromkeys(choices["name"]))  # allow_choice_duplicates: one column per name
        if self.layout == "code" and q.header not in self.raw.columns:
            return self._multiple_from_indicators(q, choices)
        columns = {n: [] for n in names}
        kinds, others = [], []
        for pos, value in enumerate(self.raw[q.header].astype(str)):
            kind = self._cell_kind(value)
            if kind:
                for n in names:
                    columns[n].append(None)
                kinds.append(kind), others.append(None)
                continue
            chosen, other = {}, None
            parts = value.replace(";", " ").split() if sep == " " else value.split(sep)  # Kobo: spaces (or ;)
            for position, part in enumerate(parts, start=1):
                base, text = split_other(part.strip())
                if base in lookup:
                    chosen[str(lookup[base])] = position
                    other = text or other
                else:
                    self._flag("unknown_answer", pos, q.header, part, "option ignored, others kept",
                               detail_zh=f"整格为“{value}”", detail_en=f"whole cell {value!r}")
            for n in names:
                columns[n].append(chosen.get(n) if rank else int(n in chosen))
            kinds.append(""), others.append(other)
        for n in names:
            self.data[f"{q.name}_{n}"] = self.pd.array(columns[n], dtype="Int64")
            self.kinds[f"{q.name}_{n}"] = kinds
        if any(o is not None for o in others):
            self.data[self._other_column(q)] = self.pd.array(others, dtype="str")
        self._specify_other(q)

    def _multiple_from_indicators(self, q, choices):
        number = parse_header(q.header)[0]
        for name, label in zip(choices["name"], choices["label::zh"]):
            header = f"第{number}题({label})"
            if header not in self.raw.columns:
                raise LaoyouError(f"序号导出中没有多选题的列 {header}。", f"The code export lacks column {header}.",
                                  file=self.log.file, column=header)
            values, kinds = [], []
            for pos, value in enumerate(self.raw[header].astype(str)):
                kind = self._cell_kind(value)
                if kind:
                    values.append(None), kinds.append(kind)
                elif value.strip() in ("0", "1"):
                    values.append(int(value)), kinds.append("")
                else:
                    self._flag("unknown_answer", pos, header, value, "set to missing (invalid)")
                    values.append(None), kinds.append(INVALID)
            self.data[f"{q.name}_{name}"] = self.pd.array(values, dtype="Int64")
            self.kinds[f"{q.name}_{name}"] = kinds
        # nothing ticked is a blank answer, as the empty cell of the text export
        columns = [f"{q.name}_{name}" for name in choices["name"]]
        nothing = self.pd.DataFrame({c: self.data[c] for c in columns}).fillna(-1).eq(0).all(axis=1)
        for c in columns:
            self.data[c] = self.data[c].copy()
            self.data[c][nothing.to_numpy()] = self.pd.NA
            self.kinds[c] = ["blank" if blank else kind for blank, kind in zip(nothing, self.kinds[c])]
        self._code_other_text(q)

    def number(self, q):
        low = float(q.min) if q.min != "" else None
        high = float(q.max) if q.max != "" else None
        values, kinds = [], []
        for pos, value in enumerate(self.raw[q.header].astype(str)):
            kind = self._cell_kind(value)
            if kind:
                values.append(None), kinds.append(kind)
                continue
            try:
                x = float(value.strip())
            except ValueError:
                self._flag("not_a_number", pos, q.header, value, "set to missing (invalid)")
                values.append(None), kinds.append(INVALID)
                continue
            if (low is not None and x < low) or (high is not None and x > high):
                self._flag("out_of_range", pos, q.header, value, "set to missing (invalid)",
                           detail_zh=f"有效范围 {q.min}–{q.max}", detail_en=f"valid {q.min}–{q.max}")
                values.append(None), kinds.append(INVALID)
            elif q.base_type == "integer" and x != int(x):
                self._flag("not_a_number", pos, q.header, value, "set to missing (invalid)",
                           detail_zh="应为整数", detail_en="an integer is expected")
                values.append(None), kinds.append(INVALID)
            else:
                values.append(x), kinds.append("")
        dtype = "Int64" if q.base_type == "integer" else "Float64"
        self.data[q.name] = self.pd.array([None if v is None else (int(v) if dtype == "Int64" else v)
                                           for v in values], dtype=dtype)
        self.kinds[q.name] = kinds

    def text(self, q):
        values, kinds = [], []
        for value in self.raw[q.header].astype(str):
            kind = self._cell_kind(value)
            values.append(None if kind else value.strip())
            kinds.append(kind or "")
        self.data[q.name] = self.pd.array(values, dtype="str")
        self.kinds[q.name] = kinds


def _normalise_ids(data, id_column: str, log: QualityLog):
    """Identifiers compared as :func:`laoyou_eval.quality.normalise_id` makes them (NFKC,
    no spaces, upper case); every identifier changed by it is a quality row."""
    raw_ids = data[id_column].astype("str")
    ids = raw_ids.map(normalise_id, na_action="ignore").astype("str")
    for pos in data.index[(ids != raw_ids) & raw_ids.notna()]:
        log.add("id_normalised", row=int(data.at[pos, "row"]), column=id_column, value=raw_ids[pos],
                respondent=ids[pos], action="identifier normalised")
    for pos in data.index[ids.isna() | (ids == "")]:
        log.add("missing_id", row=int(data.at[pos, "row"]), column=id_column, action="kept; cannot be linked")
    data[id_column] = ids
    return data


def _resolve_duplicates(data, missing, id_column: str, policy: str, log: QualityLog, file: str):
    order = data.sort_values(["submitted_at", "row"] if "submitted_at" in data else ["row"]).index
    data, missing = data.loc[order], missing.loc[order]
    answer_cols = [c for c in data.columns if c not in ("row", id_column, *KEPT_METADATA)]
    dup_mask = data[id_column].notna() & data.duplicated(id_column, keep=False)
    drop = []
    for respondent, group in data[dup_mask].groupby(id_column, sort=True):
        answers = group[answer_cols].astype(str)
        differing = [c for c in answer_cols if answers[c].nunique() > 1]
        issue = "conflicting_duplicate" if differing else "duplicate_submission"
        if policy == "error":
            raise LaoyouError(f"受访者 {respondent} 提交了 {len(group)} 次。",
                              f"Respondent {respondent} submitted {len(group)} times.",
                              file=file, row=int(group["row"].iloc[-1]), column=id_column)
        keep = {"keep_last": group.index[-1], "keep_first": group.index[0]}.get(policy)
        for pos in group.index:
            removed = keep is not None and pos != keep
            action = "removed; the other submission kept" if removed else (
                "kept" if keep is not None else "kept (keep_all)")
            log.add(issue, row=int(data.at[pos, "row"]), respondent=respondent, column=id_column,
                    value=str(len(group)), action=action,
                    detail_zh=f"不同的列：{', '.join(differing)}" if differing else "",
                    detail_en=f"differing columns: {', '.join(differing)}" if differing else "")
            if removed:
                drop.append(pos)
    data, missing = data.drop(index=drop).sort_index(), missing.drop(index=drop).sort_index()
    return data.reset_index(drop=True), missing.reset_index(drop=True)


def _expand_repeats(questions, repeats: dict):
    """One question row per repeat instance (``kids_name`` -> ``kids_name_1``, ``kids_name_2``
    …) for the questions :func:`laoyou_eval.io.read_kobo` found in a flattened repeat group."""
    import pandas as pd

    if not repeats:
        return questions
    rows = []
    for q in questions.to_dict("records"):
        instances = repeats.get(q["header"]) or repeats.get(q["name"])
        rows.extend([{**q, "header": c, "name": c} for c in instances] if instances else [q])
    return pd.DataFrame(rows, columns=questions.columns)


def apply(raw, codebook: Codebook, *, wave: int | None = None, duplicates: str = "keep_last",
          pseudonymiser=None) -> CodedSurvey:
    """Code a raw export with a codebook.

    Parameters
    ----------
    raw : pandas.DataFrame
        From :func:`laoyou_eval.io.read_wjx` (text or code export) or
        :func:`laoyou_eval.io.read_table`; cells are strings.
    codebook : Codebook
    wave : int, optional
        Survey wave of this export; codebook rows restricted to other waves (``waves``
        column) are left out.  Without it only rows for every wave are used.
    duplicates : {"keep_last", "keep_first", "keep_all", "error"}
        What to do with several submissions of the same respondent (by the codebook's ``id``
        setting, normalised by :func:`laoyou_eval.quality.normalise_id`: Unicode NFKC, so
        full-width ``Ｃ００３`` is ``C003``; spaces removed; upper case).  Every duplicate and
        every identifier changed by normalisation is reported.
    pseudonymiser : laoyou_eval.privacy.Pseudonymiser, optional
        Needed when the codebook marks a question ``privacy = pseudonymise`` (e.g. a name
        that is the only way to link waves): its answers are replaced by keyed pseudonyms,
        the same person getting the same pseudonym at every wave.

    Returns
    -------
    CodedSurvey
        ``data``, ``missing`` (kinds per cell), ``quality`` (report) and the codebook.

    Raises
    ------
    LaoyouError
        When the codebook does not fit the export: every missing header is listed, with the
        closest header of the export.

    Notes
    -----
    Text exports are matched on option labels (``label::zh``, ``label::en``, ``aliases``)
    or the code itself (SPSS files and Kobo exports carry codes / choice names); 问卷星 code
    exports on option positions (1 = the first choice of the list).  Kobo select_multiple
    answers are choice names separated by spaces (or ``;``); questions of a flattened repeat
    group (``raw.attrs["repeats"]``) are coded once per instance (``kids_name_1`` …).  A
    question marked ``required`` (XLSForm ``yes``/``true``) found skipped or blank is a
    quality row (``skipped_required``).  Missing markers (the ``missing`` sheet; by default ``(跳过)``/``-2`` skipped,
    ``(未显示)``/``-3`` not applicable, empty = blank) become NA with their kind kept in
    ``missing``.  Unknown texts, non-numbers and values outside ``min``–``max`` become NA of
    kind ``invalid`` and are listed in ``quality``; nothing is dropped or coerced silently.
    Reverse keying is *not* applied here: coded data keep the answer as given, and
    :func:`laoyou_eval.scoring.score` reverses items with each item's own bounds.
    """
    import pandas as pd

    if duplicates not in DUPLICATE_POLICIES:
        raise LaoyouError(f"duplicates 只能是 {DUPLICATE_POLICIES} 之一。", f"duplicates must be one of {DUPLICATE_POLICIES}.",
                          column="duplicates")
    file = raw.attrs.get("source", "<data>")
    log = QualityLog(file=str(file).rsplit("/", 1)[-1])
    layout = raw.attrs.get("layout", "text")
    questions = _expand_repeats(codebook.questions(wave), raw.attrs.get("repeats") or {})
    _fit_check(raw, questions, layout, file, codebook.source)
    raw = raw.reset_index(drop=True)
    coder = _Coder(raw, codebook, log, layout)
    to_pseudonymise = questions.loc[questions.privacy == "pseudonymise", "header"].tolist()
    if to_pseudonymise and pseudonymiser is None:
        raise LaoyouError("编码表要求假名化，但没有提供假名密钥。",
                          "The codebook asks for pseudonyms but no pseudonymiser was given.", file=file,
                          column=to_pseudonymise[0], hint_zh="通过 laoyou_eval.intake 运行，或传入 pseudonymiser。",
                          hint_en="run through laoyou_eval.intake, or pass pseudonymiser=.")
    for q in questions.itertuples():
        if q.privacy == "drop":
            continue
        coder.flag_skipped_required(q)
        if q.privacy == "pseudonymise":
            raw[q.header] = raw[q.header].map(lambda v: pseudonymiser(v, kind="person") or "")
        if q.base_type == "select_one":
            coder.select_one(q)
        elif q.base_type == "select_multiple":
            coder.select_multiple(q, sep=" " if layout == "kobo" else MULTI_SEP)
        elif q.base_type == "rank":
            coder.select_multiple(q, sep=RANK_SEP, rank=True)
        elif q.base_type in ("integer", "decimal"):
            coder.number(q)
        else:
            coder.text(q)
    used = set(questions.header) | {f"{q.header}_other" for q in questions.itertuples() if q.type.endswith(" or_other")}
    for column in question_columns(raw):
        number, _, sub = parse_header(column)
        covered = column in used or (sub is not None and any(parse_header(h)[0] == number for h in used))
        if not covered:
            log.add("unmapped_column", column=column, action="not carried into coded data")
    data = pd.DataFrame({"row": [row_number(p) for p in range(len(raw))]})
    for meta in KEPT_METADATA:
        if meta in raw.columns:
            data[meta] = raw[meta]
    data = pd.concat([data, pd.DataFrame(coder.data)], axis=1)
    missing = pd.DataFrame({name: coder.kinds.get(name, [""] * len(raw)) for name in coder.data})
    if codebook.id_column:
        data = _normalise_ids(data, codebook.id_column, log)
        respondent_of_row = dict(zip(data["row"], data[codebook.id_column]))
        for record in log.records:
            if record["respondent"] is None and record["row"] is not None:
                record["respondent"] = respondent_of_row.get(record["row"])
        data, missing = _resolve_duplicates(data, missing, codebook.id_column, duplicates, log, file)
    quality = log.frame()
    quality.attrs["source"] = file
    return CodedSurvey(data=data, missing=missing, quality=quality, codebook=codebook)
