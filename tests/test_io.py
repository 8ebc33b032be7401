import pandas as pd
import pytest

from laoyou_eval.errors import LaoyouError
from laoyou_eval.io import detect_encoding, read_table

TABLE = pd.DataFrame({"序号": ["1", "2"], "9、参加的活动": ["融合篮球班┋生日会", "(跳过)"], "编号": ["007", "R012"]})


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_encodings_are_detected_and_reported(tmp_path, encoding):
    path = tmp_path / "export.csv"
    path.write_bytes(TABLE.to_csv(index=False).encode(encoding))
    assert detect_encoding(path) == encoding
    df = read_table(path)
    assert df.attrs["encoding"] == encoding
    pd.testing.assert_frame_equal(df, TABLE, check_dtype=False)
    assert df["编号"].tolist() == ["007", "R012"]  # leading zeros kept


def test_excel_is_read_as_text(tmp_path):
    path = tmp_path / "export.xlsx"
    TABLE.to_excel(path, index=False)
    df = read_table(path)
    assert df.attrs["encoding"] == "xlsx"
    assert df["编号"].tolist() == ["007", "R012"]


def test_unknown_encoding_is_an_error_naming_the_file(tmp_path):
    path = tmp_path / "broken.csv"
    prefix = "序号,姓名\n1,".encode()
    path.write_bytes(prefix + b"\xff\xfe\xff\n")
    with pytest.raises(LaoyouError) as info:
        detect_encoding(path)
    message = str(info.value)
    assert "broken.csv" in message and "编码" in message and "encoding" in message
    assert f"byte {len(prefix)}" in message
    assert info.value.row == 2


def test_empty_and_missing_files(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"  \n")
    with pytest.raises(LaoyouError, match="empty"):
        read_table(empty)
    with pytest.raises(LaoyouError, match="not found"):
        read_table(tmp_path / "nope.csv")
    other = tmp_path / "data.sav.txt2"
    other.write_text("x")
    with pytest.raises(LaoyouError, match="Unsupported"):
        read_table(other)


# --- what real exports look like ----------------------------------------------------------------
def test_semicolon_csv_is_split_not_read_as_one_column(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("编号;得分;备注\n007;3,5;好\nR012;4;\n", encoding="utf-8")
    df = read_table(path)
    assert list(df.columns) == ["编号", "得分", "备注"] and df.attrs["delimiter"] == ";"
    assert df["得分"].tolist() == ["3,5", "4"]  # decimal commas stay text, untouched


def test_gbk_bytes_behind_a_utf8_bom_are_decoded_and_recorded(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(b"\xef\xbb\xbf" + TABLE.to_csv(index=False).encode("gbk"))
    df = read_table(path)
    pd.testing.assert_frame_equal(df, TABLE, check_dtype=False)
    assert df.attrs["encoding"] == "gb18030 (behind a UTF-8 BOM)"
    assert [r["issue"] for r in df.attrs["quality"]] == ["bom_mismatch"]
    assert detect_encoding(path) == "gb18030"


def test_an_html_page_named_xls_is_read_as_its_table(tmp_path):
    path = tmp_path / "export.xls"
    html = ("<html><head><meta charset='gb2312'></head><body><table><tr><th>序号</th><th>编号</th></tr>"
            "<tr><td>1</td><td>007</td></tr><tr><td>2</td><td>R012</td></tr></table></body></html>")
    path.write_bytes(html.encode("gb2312"))
    df = read_table(path)
    assert df.to_dict("list") == {"序号": ["1", "2"], "编号": ["007", "R012"]}
    assert df.attrs["encoding"] == "html" and df.attrs["quality"][0]["issue"] == "format_mismatch"


@pytest.mark.parametrize("content", [b"PK\x03\x04truncated", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64,
                                     bytes(range(256)) * 4])
def test_damaged_workbooks_are_refused_bilingually(tmp_path, content):
    path = tmp_path / "export.xlsx"
    path.write_bytes(content)
    with pytest.raises(LaoyouError) as info:
        read_table(path)
    assert "export.xlsx" in str(info.value) and info.value.hint_en


def test_repeated_and_blank_headers_are_recorded(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("编号,得分,得分,\n1,2,3,\n", encoding="utf-8")
    df = read_table(path)
    assert list(df.columns) == ["编号", "得分", "得分.1", "Unnamed: 3"]
    assert [(r["issue"], r["column"]) for r in df.attrs["quality"]] == [("duplicate_header", "得分.1"),
                                                                        ("blank_header", "Unnamed: 3")]


def test_formula_text_is_neutralised_in_processed_csv_but_numbers_stay_numbers(tmp_path):
    from laoyou_eval import storage

    df = pd.DataFrame({"answer": ["=cmd|' /C calc'!A0", "@SUM(1+1)", "+1 555", "-2", "\tx", "普通"],
                       "score": [-3, 1, 2, -1.5, 0, 4]})
    path = storage.write_csv(df, tmp_path / "out.csv")
    back = pd.read_csv(path, encoding="utf-8-sig", dtype={"answer": str})
    assert back["answer"].tolist() == ["'=cmd|' /C calc'!A0", "'@SUM(1+1)", "'+1 555", "-2", "'\tx", "普通"]
    assert back["score"].tolist() == [-3, 1, 2, -1.5, 0, 4]
    assert storage.neutralise_formulas(pd.DataFrame({"=x": [1]})).columns.tolist() == ["'=x"]


def test_rows_wider_than_the_header_are_refused_and_blank_trailing_fields_are_not(tmp_path):
    titled = tmp_path / "titled.csv"
    titled.write_text("问卷数据导出\n序号,编号\n1,A1\n", encoding="utf-8")
    with pytest.raises(LaoyouError) as info:
        read_table(titled)
    assert info.value.row == 2
    trailing = tmp_path / "trailing.csv"
    trailing.write_text("序号,编号\n1,A1,\n2,A2,,\n", encoding="utf-8")
    assert read_table(trailing).to_dict("list") == {"序号": ["1", "2"], "编号": ["A1", "A2"]}
