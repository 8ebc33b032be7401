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
    prefix = "序号,姓名\n1,".encode("utf-8")
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
