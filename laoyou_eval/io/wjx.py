"""问卷星 (Wenjuanxing) exports: text (按选项文本) and code (按选项序号) downloads.

Layout (see also ``data/raw/demo/README.md``):

* six metadata columns: 序号, 提交答卷时间, 所用时间, 来源, 来源详情, 来自IP;
* question headers ``N、题干``; matrix rows and the 0/1 options of a multi-select question
  (code export) as sub-columns ``第N题(选项)``;
* text export: multi-select answers joined with ``┋``, ranking answers with ``→``,
  option-attached other text in ``〖…〗``, questions skipped by logic as ``(跳过)``;
* code export: 1-based option codes, ``-2`` for a question skipped by jump logic and ``-3``
  for one hidden by display logic (this package's reading; the platform does not document
  it).

:func:`read_wjx` reads either kind as text, renames the metadata columns to English names,
parses submission time and duration, and — when both exports are given — cross-checks them
cell by cell.
"""

from __future__ import annotations

import re
from pathlib import Path

from laoyou_eval.errors import LaoyouError
from laoyou_eval.io.tables import read_rows, read_table
from laoyou_eval.quality import QualityLog, flag_future_dates, row_number

#: 问卷星 metadata header -> column name used by laoyou_eval.
META_COLUMNS = {
    "序号": "wjx_seq",
    "提交答卷时间": "submitted_at",
    "所用时间": "duration_s",
    "来源": "source",
    "来源详情": "source_detail",
    "来自IP": "ip",
}
MULTI_SEP = "┋"
RANK_SEP = "→"
SKIPPED = "(跳过)"
#: Marker written by :func:`read_wjx` where the code export says ``-3`` (hidden by display
#: logic) but the text export shows ``(跳过)``, so that the two missing kinds stay distinct.
HIDDEN = "(未显示)"
CODE_SKIPPED, CODE_HIDDEN = "-2", "-3"
OTHER_TEXT = re.compile(r"〖(.*?)〗")
QUESTION_HEADER = re.compile(r"^(\d+)、(.*)$", re.S)
SUB_HEADER = re.compile(r"^第(\d+)题\((.*)\)$", re.S)


def parse_header(header: str) -> tuple[int | None, str, str | None]:
    """Split a question header into (number, stem, sub-column label).

    >>> parse_header("5、您的性别")
    (5, '您的性别', None)
    >>> parse_header("第10题(条目2)")
    (10, '', '条目2')
    >>> parse_header("备注")
    (None, '备注', None)
    """
    if m := QUESTION_HEADER.match(header):
        return int(m.group(1)), m.group(2).strip(), None
    if m := SUB_HEADER.match(header):
        return int(m.group(1)), "", m.group(2)
    return None, header, None


def split_other(value: str) -> tuple[str, str | None]:
    """Split ``"其他〖在超市帮忙〗"`` into ``("其他", "在超市帮忙")``."""
    m = OTHER_TEXT.search(value)
    if not m:
        return value, None
    return (value[: m.start()] + value[m.end():]).strip(), m.group(1)


def _check_header(df, path: Path) -> None:
    columns = [str(c) for c in df.columns]
    if "序号" in columns:
        unnamed = [c for c in columns if c.startswith("Unnamed:")]
        if unnamed:
            raise LaoyouError(
                f"表头有 {len(unnamed)} 个空单元格（可能是合并单元格或两行表头）。",
                f"The header row has {len(unnamed)} empty cells (merged cells or a two-row header?).",
                file=path, row=1, column=unnamed[0],
                hint_zh="从问卷星重新下载，不要在 Excel 中合并或插入表头行。",
                hint_en="download the export again; do not merge or insert header rows in Excel.")
        return
    for position, values in enumerate(read_rows(path)):
        if "序号" in [str(v).strip() for v in values] and position > 0:
            raise LaoyouError(
                f"表头不在第 1 行，而在第 {position + 1} 行（上面多了标题或空行）。",
                f"The header is on row {position + 1}, not row 1 (title or blank rows above it).",
                file=path, row=position + 1,
                hint_zh="删掉表头上方的行后另存为新文件（不要覆盖原始文件）。",
                hint_en="delete the rows above the header and save as a new file (keep the original).")
    raise LaoyouError(
        "这不像问卷星导出：找不到“序号”列。", "This does not look like a Wenjuanxing export: no 序号 column.",
        file=path, row=1,
        hint_zh="请用问卷星“下载答卷数据”导出，或用 read_table() 读取其他表格。",
        hint_en="export with Wenjuanxing's download, or use read_table() for other tables.")


def _parse_metadata(df, log: QualityLog):
    import pandas as pd

    df = df.rename(columns={k: v for k, v in META_COLUMNS.items() if k in df.columns})
    if "submitted_at" in df:
        parsed = pd.to_datetime(df["submitted_at"], format="%Y/%m/%d %H:%M:%S", errors="coerce")
        for pos in df.index[parsed.isna() & (df["submitted_at"] != "")]:
            log.add("unparsed_metadata", row=row_number(pos), column="提交答卷时间",
                    value=df.at[pos, "submitted_at"], action="kept as missing")
        df["submitted_at"] = parsed
        flag_future_dates(log, parsed, "提交答卷时间")
    if "duration_s" in df:
        seconds = pd.to_numeric(df["duration_s"].str.removesuffix("秒"), errors="coerce")
        for pos in df.index[seconds.isna() & (df["duration_s"] != "")]:
            log.add("unparsed_metadata", row=row_number(pos), column="所用时间",
                    value=df.at[pos, "duration_s"], action="kept as missing")
        df["duration_s"] = seconds.astype("Int64")
    if "wjx_seq" in df:
        df["wjx_seq"] = pd.to_numeric(df["wjx_seq"], errors="coerce").astype("Int64")
    return df


def question_columns(df) -> list[str]:
    """The non-metadata columns of a frame returned by :func:`read_wjx`."""
    return [c for c in df.columns if c not in META_COLUMNS.values()]


def _is_code_layout(df) -> bool:
    values = df[question_columns(df)].stack()
    values = values[values != ""]
    if values.empty:
        return False
    numeric = values.str.fullmatch(r"-?\d+(\.\d+)?")
    return bool(numeric.mean() > 0.9)


def _cross_check(text, code, log: QualityLog):
    """Compare a text export with the code export of the same survey, row by row."""
    import numpy as np
    import pandas as pd

    t_seq, c_seq = set(text["wjx_seq"].dropna()), set(code["wjx_seq"].dropna())
    for pos in text.index[~text["wjx_seq"].isin(c_seq)]:
        log.add("rows_not_in_both", row=row_number(pos), column="序号", value=text.at[pos, "wjx_seq"],
                action="not cross-checked", detail_zh="序号导出中没有这一行", detail_en="missing from the code export")
    for seq in sorted(c_seq - t_seq):
        log.add("rows_not_in_both", column="序号", value=seq, action="not cross-checked",
                detail_zh="文本导出中没有这一行", detail_en="missing from the text export")
    code_by_seq = code.set_index("wjx_seq")
    code_by_seq = code_by_seq[~code_by_seq.index.duplicated()]  # a repeated 序号 is checked against its first row
    in_code = text["wjx_seq"].isin(c_seq).to_numpy()
    out = text.copy()
    columns = question_columns(text)
    for col in columns:
        if col not in code_by_seq.columns:
            continue
        t = text[col].to_numpy(dtype=object)
        c = text["wjx_seq"].map(code_by_seq[col]).to_numpy(dtype=object)
        skipped, coded_skip, coded_hidden = t == SKIPPED, c == CODE_SKIPPED, c == CODE_HIDDEN
        out.loc[in_code & skipped & coded_hidden, col] = HIDDEN
        answered_in_code = in_code & skipped & ~coded_hidden & ~coded_skip
        skipped_in_code = in_code & ~skipped & (coded_skip | coded_hidden)
        for k in np.flatnonzero(answered_in_code | skipped_in_code):
            pos = text.index[k]
            detail = (("文本为跳过但序号导出有答案", "skipped in the text export, answered in the code export")
                      if answered_in_code[k] else
                      ("序号导出为跳过但文本有答案", "answered in the text export, skipped in the code export"))
            log.add("text_code_mismatch", row=row_number(pos), column=col, value=f"{t[k]} | {c[k]}",
                    action="text export kept", detail_zh=detail[0], detail_en=detail[1])
    # one text value must always go with one code, and vice versa
    for col in columns:
        if col not in code.columns:
            continue
        pairs = pd.DataFrame({"seq": text["wjx_seq"], "t": text[col]}).merge(
            code[["wjx_seq", col]].rename(columns={"wjx_seq": "seq", col: "c"}), on="seq")
        pairs = pairs[~pairs.t.isin([SKIPPED, HIDDEN, ""]) & ~pairs.c.isin([CODE_SKIPPED, CODE_HIDDEN, ""])]
        pairs = pairs.assign(t=pairs.t.map(lambda v: split_other(v)[0]))
        if pairs.empty or pairs.t.str.fullmatch(r"-?\d+(\.\d+)?").all():
            continue  # fill-in numbers are the same in both exports
        # the modal code of each text answer (the smallest code among equally frequent ones)
        counts = pairs.groupby(["t", "c"]).size().rename("n").reset_index()
        modal = counts.sort_values(["t", "n", "c"], ascending=[True, False, True]).drop_duplicates("t")
        modal = modal.set_index("t")["c"]
        for _, row in pairs[pairs.c != pairs.t.map(modal)].iterrows():
            pos = text.index[text["wjx_seq"] == row.seq][0]
            log.add("text_code_mismatch", row=row_number(pos), column=col, value=f"{row.t} | {row.c}",
                    action="text export kept",
                    detail_zh=f"同一答案“{row.t}”在序号导出中通常为 {modal[row.t]}",
                    detail_en=f"answer {row.t!r} is usually code {modal[row.t]} in the code export")
    _cross_check_multi(text, code, log)
    return out


def _cross_check_multi(text, code, log: QualityLog) -> None:
    """Multi-select: the options in the ``┋`` list must be the 1-columns of the code export."""
    for col in question_columns(text):
        number, _, sub = parse_header(col)
        if number is None or sub is not None:
            continue
        indicator_cols = {parse_header(c)[2]: c for c in code.columns
                          if parse_header(c)[0] == number and parse_header(c)[2] is not None
                          and not parse_header(c)[2].startswith("其他〖")}
        if not indicator_cols:
            continue
        code_by_seq = code.set_index("wjx_seq")
        for pos in text.index:
            seq = text.at[pos, "wjx_seq"]
            value = text.at[pos, col]
            if seq not in code_by_seq.index or value in (SKIPPED, HIDDEN, ""):
                continue
            chosen = {split_other(part)[0] for part in value.split(MULTI_SEP)}
            ticked = {label for label, c in indicator_cols.items() if code_by_seq.at[seq, c] == "1"}
            if chosen != ticked:
                log.add("text_code_mismatch", row=row_number(pos), column=col,
                        value=f"{'┋'.join(sorted(chosen))} | {'┋'.join(sorted(ticked))}",
                        action="text export kept", detail_zh="多选题的选项不一致",
                        detail_en="multi-select options differ")


def read_wjx(path, code_path=None, *, layout: str = "auto"):
    """Read a 问卷星 export (.xls, .xlsx or .csv in utf-8-sig, utf-8 or gb18030).

    Parameters
    ----------
    path : str or Path
        The export (normally the text export, 按选项文本).
    code_path : str or Path, optional
        The code export (按选项序号) of the same survey.  When given, every cell is
        cross-checked against it (mismatches go to the quality report), and ``(跳过)`` cells
        that the code export marks ``-3`` (hidden by display logic) become ``(未显示)`` so
        that "skipped" and "not applicable" stay distinct.
    layout : {"auto", "text", "code"}
        Kind of export in ``path``; ``"auto"`` decides from the cell values.

    Returns
    -------
    pandas.DataFrame
        One row per submission, in file order.  Metadata columns are renamed: wjx_seq
        (Int64), submitted_at (datetime), duration_s (Int64 seconds), source, source_detail,
        ip; question columns keep their headers and their text.  ``df.attrs``: ``source``,
        ``encoding``, ``layout`` ("text"/"code"); the parsed question headers and the
        data-quality report are returned by :func:`questions` and :func:`quality_report`.

    Raises
    ------
    LaoyouError
        Empty file, unknown encoding, a header not on row 1, merged header cells, or no
        序号 column — each naming the file and row.

    Notes
    -----
    Submission times after today are quality rows (``future_date``); so are the reader's
    findings (content not matching the extension, a BOM in front of GBK bytes, blank or
    repeated headers).  ``source_detail`` and ``ip`` are personal data; they are read here so that nothing is
    lost, and removed at intake by :mod:`laoyou_eval.privacy` before anything is written to
    ``data/processed/``.

    Examples
    --------
    >>> from laoyou_eval import config
    >>> df = read_wjx(config.DEMO_STUDY_DIR / "surveys/caregivers_w1_text.csv",
    ...               config.DEMO_STUDY_DIR / "surveys/caregivers_w1_code.csv")
    >>> df.attrs["encoding"], df.attrs["layout"], len(quality_report(df))
    ('gb18030', 'text', 0)
    """

    path = Path(path)
    log = QualityLog(file=path.name)
    raw = read_table(path)
    log.records.extend(raw.attrs.get("quality", []))
    if raw.empty:
        raise LaoyouError("文件只有表头，没有任何答卷。", "The file has a header but no submissions.",
                          file=path, row=2)
    _check_header(raw, path)
    df = _parse_metadata(raw, log)
    if layout == "auto":
        layout = "code" if _is_code_layout(df) else "text"
    if code_path is not None:
        code_file = Path(code_path)
        code_raw = read_table(code_file)
        log.records.extend(code_raw.attrs.get("quality", []))
        code = _parse_metadata(code_raw, QualityLog(file=code_file.name))
        _check_header(code.rename(columns={v: k for k, v in META_COLUMNS.items()}), code_file)
        df = _cross_check(df, code, log)
    # attrs hold only plain values: pandas compares and deep-copies attrs in many operations
    df.attrs.update(
        source=str(path), encoding=raw.attrs["encoding"], layout=layout,
        questions=[dict(zip(("column", "number", "stem", "sub_label"), (c, *parse_header(c))))
                   for c in question_columns(df)],
        quality=log.records,
    )
    return df


def questions(df):
    """The question columns of a :func:`read_wjx` frame: column, number, stem, sub_label."""
    import pandas as pd

    return pd.DataFrame(df.attrs["questions"], columns=["column", "number", "stem", "sub_label"]).astype(
        {"number": "Int64"})


def quality_report(df):
    """The data-quality report of a :func:`read_wjx` frame (:data:`laoyou_eval.quality.QUALITY_COLUMNS`)."""
    log = QualityLog()
    log.records = list(df.attrs.get("quality", []))
    return log.frame()
