"""Reading 问卷星 exports: formats, encodings, metadata, header problems, text/code cross-check."""

from __future__ import annotations

import pandas as pd
import pytest
import xlwt

from laoyou_eval.errors import LaoyouError
from laoyou_eval.io import quality_report, questions, read_table, read_wjx
from laoyou_eval.io.wjx import HIDDEN, SKIPPED, parse_header, split_other

TEXT = "surveys/caregivers_w1_text.csv"
CODE = "surveys/caregivers_w1_code.csv"


def _write_xls(df: pd.DataFrame, path):
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Sheet1")
    for j, column in enumerate(df.columns):
        sheet.write(0, j, column)
        for i, value in enumerate(df[column]):
            sheet.write(i + 1, j, value)
    book.save(str(path))


def test_header_parsing():
    assert parse_header("12、您是否参加了家长互助小组？") == (12, "您是否参加了家长互助小组？", None)
    assert parse_header("第16题(喘息服务)") == (16, "", "喘息服务")
    assert split_other("其他〖帮亲戚看店〗") == ("其他", "帮亲戚看店")
    assert split_other("生日会") == ("生日会", None)


@pytest.mark.parametrize("fmt", ["xls", "xlsx", "utf-8-sig", "utf-8", "gb18030"])
def test_every_format_reads_to_the_same_table(demo_study, tmp_path, fmt):
    reference = read_table(demo_study / TEXT)
    if fmt == "xls":
        path = tmp_path / "export.xls"
        _write_xls(reference, path)
    elif fmt == "xlsx":
        path = tmp_path / "export.xlsx"
        reference.to_excel(path, index=False)
    else:
        path = tmp_path / "export.csv"
        path.write_bytes(reference.to_csv(index=False).encode(fmt))
    df = read_wjx(path)
    assert df.attrs["encoding"] == (fmt if fmt not in ("xls", "xlsx") else fmt)
    assert df.attrs["layout"] == "text"
    expected = read_wjx(demo_study / TEXT)
    pd.testing.assert_frame_equal(df, expected, check_dtype=False)


def test_metadata_is_parsed_and_renamed(demo_study):
    df = read_wjx(demo_study / TEXT)
    assert list(df.columns[:6]) == ["wjx_seq", "submitted_at", "duration_s", "source", "source_detail", "ip"]
    assert str(df["submitted_at"].dtype).startswith("datetime64")
    raw = read_table(demo_study / TEXT, dtype=str)
    assert (df["duration_s"].astype(str) + "秒").tolist() == raw["所用时间"].tolist()   # "770秒" -> 770
    assert df["duration_s"].between(40, 3600).all()  # the staff's test submission took under a minute
    assert df["wjx_seq"].tolist() == list(range(1, len(df) + 1))
    parsed = questions(df)
    assert parsed.set_index("column").loc["第7题(条目3)", "sub_label"] == "条目3"
    assert parsed.number.max() == 17


def test_code_export_is_recognised(demo_study):
    assert read_wjx(demo_study / CODE).attrs["layout"] == "code"


def test_cross_check_separates_skipped_from_hidden(demo_study):
    alone = read_wjx(demo_study / TEXT)
    both = read_wjx(demo_study / TEXT, demo_study / CODE)
    assert quality_report(both).empty
    col13 = "13、过去三个月您参加了几次小组活动？"
    col15 = "15、孩子上班后，您每周多出多少小时的自由时间？"
    assert (alone[col15] == SKIPPED).all() and (both[col15] == HIDDEN).all()  # -3: display logic
    assert (both[col13] == SKIPPED).all()  # -2: jump logic


def test_cross_check_reports_disagreements(demo_study, tmp_path):
    code = read_table(demo_study / CODE)
    column = "第7题(条目1)"
    original = code.at[4, column]
    code.at[4, column] = "5" if original != "5" else "1"
    code.at[6, "第16题(喘息服务)"] = "1" if code.at[6, "第16题(喘息服务)"] == "0" else "0"
    code = code.drop(index=9)
    path = tmp_path / "code.csv"
    path.write_bytes(code.to_csv(index=False).encode("utf-8-sig"))
    quality = quality_report(read_wjx(demo_study / TEXT, path))
    issues = quality.set_index(["issue", "column"])
    assert ("text_code_mismatch", column) in issues.index
    mismatch = quality[(quality.issue == "text_code_mismatch") & (quality.column == column)]
    assert mismatch.row.tolist() == [6]  # data row 4 is spreadsheet row 6
    assert ("text_code_mismatch", "16、您最需要哪些支持？（多选）") in issues.index
    assert (quality.issue == "rows_not_in_both").sum() == 1


# --- malformed exports ---------------------------------------------------------------------

@pytest.fixture
def text_export(demo_study):
    return (demo_study / TEXT).read_bytes().decode("gb18030")


def test_header_not_on_the_first_row(tmp_path, text_export):
    path = tmp_path / "shifted.csv"
    path.write_text("家长问卷导出\n\n" + text_export, encoding="utf-8")
    with pytest.raises(LaoyouError) as info:
        read_wjx(path)
    assert info.value.row == 3 and "第 3 行" in str(info.value) and "row 3" in str(info.value)


def test_merged_header_cells(tmp_path, text_export):
    header, rest = text_export.split("\n", 1)
    columns = header.split(",")
    columns[8] = ""
    path = tmp_path / "merged.csv"
    path.write_text(",".join(columns) + "\n" + rest, encoding="utf-8")
    with pytest.raises(LaoyouError, match="merged") as info:
        read_wjx(path)
    assert info.value.row == 1


def test_only_a_header_or_nothing(tmp_path, text_export):
    only_header = tmp_path / "header_only.csv"
    only_header.write_text(text_export.split("\n", 1)[0] + "\n", encoding="utf-8")
    with pytest.raises(LaoyouError, match="no submissions"):
        read_wjx(only_header)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(LaoyouError, match="empty"):
        read_wjx(empty)


def test_not_a_wenjuanxing_export(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("id,score\n1,3\n", encoding="utf-8")
    with pytest.raises(LaoyouError, match="序号"):
        read_wjx(path)


def test_wrong_encoding(tmp_path, text_export):
    path = tmp_path / "big5.csv"
    path.write_bytes(text_export.encode("big5", errors="replace"))
    with pytest.raises(LaoyouError, match="encoding"):
        read_wjx(path)


def test_future_submission_times_and_an_html_xls_export(tmp_path):
    rows = [("1", "2024/03/10 09:00:00", "120秒", "=cmd|' /C calc'!A0"), ("2", "2999/01/01 09:00:00", "95秒", "好")]
    cells = "".join(f"<tr>{''.join(f'<td>{v}</td>' for v in row)}</tr>" for row in rows)
    html = f"<table><tr><th>序号</th><th>提交答卷时间</th><th>所用时间</th><th>1、意见</th></tr>{cells}</table>"
    path = tmp_path / "wjx_export.xls"  # what a web download served as .xls can really be
    path.write_text(html, encoding="utf-8")
    df = read_wjx(path)
    assert df["1、意见"].tolist() == ["=cmd|' /C calc'!A0", "好"]  # read as given; neutralised only when written
    report = quality_report(df).set_index("issue")
    assert report.loc["future_date", "row"] == 3 and report.loc["future_date", "column"] == "提交答卷时间"
    assert report.loc["format_mismatch", "value"] == ".xls"
