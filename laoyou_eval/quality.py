"""Data-quality reports: one row per problem found, with where it is and what was done.

Readers and the codebook never drop or coerce a value silently: every cell they could not
use, and every row they set aside, becomes a row of a quality report with the file, the
spreadsheet row (header = row 1), the respondent, the column, the offending value, a
bilingual message and the action taken.
"""

from __future__ import annotations

from dataclasses import dataclass, field

QUALITY_COLUMNS = ("file", "row", "respondent", "column", "value", "issue", "message_zh",
                   "message_en", "action")

#: Issue codes and their bilingual descriptions.
ISSUES: dict[str, tuple[str, str]] = {
    "unknown_answer": ("答案文本不在编码表中", "answer text not in the codebook"),
    "out_of_range": ("数值超出有效范围", "value outside the valid range"),
    "not_a_number": ("应为数字", "not a number"),
    "duplicate_submission": ("重复提交（内容相同）", "duplicate submission (identical answers)"),
    "conflicting_duplicate": ("重复提交（内容不同）", "duplicate submission with different answers"),
    "id_normalised": ("编号已规范化（全角转半角、去空格、转大写）", "identifier normalised (Unicode NFKC: full-width to half-width; spaces removed; upper case)"),
    "missing_id": ("缺少受访者编号", "respondent identifier missing"),
    "unmatched_id": ("编号不在名册中，无法确定组别", "identifier not on the roster; arm unknown"),
    "no_baseline": ("后续波次有答卷、第一波没有（编号写法不同？）",
                    "answered a later wave but not the first (id typed differently?)"),
    "unmapped_column": ("编码表里没有这一列", "column not described by the codebook"),
    "text_code_mismatch": ("文本导出与序号导出不一致", "text and code exports disagree"),
    "unparsed_metadata": ("元数据无法解析", "metadata value could not be parsed"),
    "rows_not_in_both": ("只出现在一个导出文件中的提交", "submission present in only one of the two exports"),
    "format_mismatch": ("文件内容与扩展名不符", "file content does not match its extension"),
    "bom_mismatch": ("编码标记与内容不符", "byte order mark does not match the content"),
    "blank_header": ("表头单元格是空的", "blank header cell"),
    "duplicate_header": ("表头重复", "repeated column header"),
    "date_conversion_off": ("日期超出范围，未转换为日期", "dates out of range; read without date conversion"),
    "options_folded": ("选项的 0/1（true/false）列已合并为一列", "0/1 (true/false) option columns folded into one column"),
    "options_ambiguous": ("选项列的合并方式不唯一，未合并", "option columns fold in more than one way; left as they are"),
    "options_none_true": ("没有一个选项为 true", "no option is true"),
    "repeat_instances": ("重复组的各次回答分列保存", "repeat-group instances kept as numbered columns"),
    "skipped_required": ("必答题被跳过", "required question skipped"),
    "future_date": ("日期在未来", "date lies in the future"),
    "formula_neutralised": ("以公式字符开头的文本已加撇号", "text starting like a formula prefixed with an apostrophe"),
}

#: Response-quality screens (:mod:`laoyou_eval.coding.screening`) and their bilingual names.
SCREEN_RULES: dict[str, tuple[str, str]] = {
    "speeder": ("答题过快", "speeder"),
    "straightline": ("直线作答（整列相同）", "straight-lining"),
    "test_entry": ("测试或试填答卷", "test or pilot submission"),
    "duplicate": ("重复提交", "duplicate submission"),
    "contradiction": ("前后矛盾", "logical contradiction"),
    "skip_violation": ("不符合跳题逻辑", "skip-logic violation"),
}
ISSUES.update({f"screen_{rule}": (f"筛查：{zh}", f"screening: {en}") for rule, (zh, en) in SCREEN_RULES.items()})
ISSUES["screen_flags_everyone"] = ("筛查规则标记了全部答卷（未用于排除）", "a screening rule flags everyone (not used to exclude)")


#: Actions taken (the ``action`` column, in English) and their Chinese wording.
ACTIONS: dict[str, str] = {
    "set to missing (invalid)": "记为缺失（无效）",
    "option ignored, others kept": "忽略该选项，保留其他选项",
    "removed; the other submission kept": "删除，保留另一份",
    "kept": "保留",
    "kept (keep_all)": "保留（全部保留）",
    "identifier normalised": "已按规范化编号匹配",
    "kept; cannot be linked": "保留，但无法与其他数据关联",
    "not carried into coded data": "未进入编码后的数据",
    "kept as missing": "记为缺失",
    "not cross-checked": "未核对",
    "text export kept": "以文本导出为准",
    "read as its real format": "按实际格式读取",
    "kept under a generated name": "以生成的列名保留",
    "read without date conversion": "不转换日期读取",
    "folded": "已合并",
    "not folded": "未合并",
    "kept as numbered columns": "按序号分列保留",
    "kept; check the questionnaire logic": "保留；请检查问卷的跳转逻辑",
    "kept; check the date": "保留；请核对日期",
    # response-quality screening (laoyou_eval.coding.screening)
    "flagged; kept": "已标记，保留",
    "flagged; excluded from analysis": "已标记，不进入分析",
    "warning; nobody excluded by this rule": "警告：此规则不排除任何答卷",
}


def normalise_id(value) -> str:
    """An identifier as it is compared across files: Unicode NFKC (full-width ``Ｃ００３`` ->
    ``C003``, ideographic space -> space), all whitespace removed, upper case.

    >>> normalise_id(" ｃ００３ "), normalise_id("r 12")
    ('C003', 'R12')
    """
    import unicodedata

    return "".join(unicodedata.normalize("NFKC", str(value)).split()).upper()


def flag_future_dates(log: QualityLog, dates, column: str, today=None) -> None:
    """Add a ``future_date`` row for every date after ``today`` (default: the current UTC
    date) in the Series ``dates`` (its index = 0-based data row)."""
    import pandas as pd

    today = pd.Timestamp(today) if today is not None else pd.Timestamp.now(tz="UTC").tz_localize(None)
    parsed = pd.to_datetime(dates, errors="coerce")
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_convert("UTC").dt.tz_localize(None)
    limit = today.normalize() + pd.Timedelta(days=1)
    for pos in parsed.index[parsed.notna() & (parsed >= limit)]:
        log.add("future_date", row=row_number(pos), column=column, value=str(dates[pos]), action="kept; check the date")


def row_number(position: int) -> int:
    """Spreadsheet row of the 0-based data row ``position`` (the header is row 1)."""
    return int(position) + 2


@dataclass
class QualityLog:
    """Collects quality issues while a file is read or coded."""

    file: str = ""
    records: list[dict] = field(default_factory=list)

    def add(self, issue: str, *, row=None, respondent=None, column=None, value=None, action: str = "",
            detail_zh: str = "", detail_en: str = "") -> None:
        """Record one issue; ``issue`` is a key of :data:`ISSUES`, ``action`` of :data:`ACTIONS`."""
        if action not in ACTIONS:
            raise KeyError(f"unknown quality action {action!r}")
        zh, en = ISSUES[issue]
        self.records.append({
            "file": self.file, "row": row, "respondent": respondent, "column": column,
            "value": None if value is None else str(value), "issue": issue,
            "message_zh": f"{zh}{'：' + detail_zh if detail_zh else ''}",
            "message_en": f"{en}{': ' + detail_en if detail_en else ''}",
            "action": action,
        })

    def extend(self, other) -> None:
        """Append the rows of another log or report DataFrame."""
        rows = other.records if isinstance(other, QualityLog) else other.to_dict("records")
        self.records.extend(rows)

    def frame(self):
        """The report as a DataFrame with :data:`QUALITY_COLUMNS` (``row`` as nullable Int64)."""
        import pandas as pd

        out = pd.DataFrame(self.records, columns=list(QUALITY_COLUMNS))
        return out.astype({"row": "Int64"})
