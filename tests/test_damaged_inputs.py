"""A corpus of damaged and awkward inputs walked through every reader.

Each file goes through read_table, read_wjx, read_spss, read_kobo, Codebook.read,
coding.apply, read_network_canvas and the egor importers.  Every outcome must be a
``LaoyouError`` (bilingual, naming the file), a result carrying a quality record, or — for
the few awkward-but-valid files listed in ``READ_AS`` — the right content.  Any other
exception fails the test: no raw traceback reaches a user.
"""

from __future__ import annotations

import io as stdlib_io
import shutil
from pathlib import Path

import pandas as pd
import pyreadstat
import pytest

from laoyou_eval import coding
from laoyou_eval.coding import Codebook
from laoyou_eval.errors import LaoyouError
from laoyou_eval.io import read_kobo, read_spss, read_table, read_wjx
from laoyou_eval.networks import io as network_io

WJX_HEADER = "序号,提交答卷时间,所用时间,1、编号,2、年龄\n"


def _xlsx_bytes(df: pd.DataFrame) -> bytes:
    buffer = stdlib_io.BytesIO()
    df.to_excel(buffer, index=False)
    return buffer.getvalue()


def _merged_header_xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["序号", "基本信息", None])
    sheet.append([None, "1、编号", "2、年龄"])
    sheet.append([1, "A1", 30])
    sheet.merge_cells("B1:C1")
    buffer = stdlib_io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sav_bytes(tmp: Path) -> bytes:
    path = tmp / "ok.sav"
    pyreadstat.write_sav(pd.DataFrame({"id": ["A1", "A2"], "age": [30.0, 41.0]}), str(path))
    return path.read_bytes()


def corpus(tmp: Path) -> dict[str, bytes]:
    good_xlsx = _xlsx_bytes(pd.DataFrame({"序号": ["1"], "1、编号": ["A1"]}))
    sav = _sav_bytes(tmp)
    return {
        "empty.csv": b"",
        "blank_lines.csv": b" \n\n \n",
        "header_only.csv": WJX_HEADER.encode("utf-8"),
        "binary_garbage.csv": bytes(range(256)) * 8,
        "utf16.csv": WJX_HEADER.encode("utf-16"),
        "bom_gbk.csv": b"\xef\xbb\xbf" + (WJX_HEADER + "1,2024/03/10 09:00:00,100秒,王,30\n").encode("gbk"),
        "semicolon.csv": "序号;1、编号;2、年龄\n1;A1;30\n2;A2;41\n".encode(),
        "duplicate_headers.csv": "序号,1、编号,1、编号\n1,A1,A2\n".encode(),
        "blank_header_column.csv": "序号,1、编号,,2、年龄\n1,A1,,30\n".encode(),
        "title_row.csv": ("问卷数据导出\n" + WJX_HEADER + "1,2024/03/10 09:00:00,100秒,A1,30\n").encode("utf-8"),
        "unclosed_quote.csv": ('序号,1、编号\n1,"A1\n2,A2\n').encode(),
        "future_and_formula.csv": (WJX_HEADER + "1,2999/01/01 00:00:00,100秒,=1+1,30\n").encode("utf-8"),
        "bad_metadata.csv": (WJX_HEADER + "1,昨天,很久,A1,三十\n").encode("utf-8"),
        "truncated.xlsx": good_xlsx[: len(good_xlsx) // 2],
        "not_a_zip.xlsx": b"PK\x03\x04" + b"\x00" * 40,
        "csv_named.xlsx": "序号,1、编号\n1,A1\n".encode(),
        "merged_header.xlsx": _merged_header_xlsx(),
        "garbage.xlsx": bytes(reversed(range(256))) * 4,
        "ole_garbage.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200,
        "html_table.xls": "<html><table><tr><td>序号</td><td>1、编号</td></tr><tr><td>1</td><td>007</td></tr></table>"
                          "</html>".encode(),
        "html_no_table.xls": b"<html><body>404 Not Found</body></html>",
        "truncated.sav": sav[: len(sav) // 2],
        "garbage.sav": b"$FL2" + b"\x00" * 100,
        "text.sav": WJX_HEADER.encode("utf-8"),
        "invalid.yaml": b"survey:\n- type: text\n  name: a\n   label: b\n",
        "tab_indent.yaml": b"survey:\n\t- type: text\n",
        "bad_min.yaml": b"survey:\n- type: integer\n  name: age\n  min: eighteen\n",
        "missing_name.yaml": b"survey:\n- type: integer\n  label::zh: x\n",
        "unknown_list.yaml": b"survey:\n- type: select_one nowhere\n  name: q\n",
        "scalar.yaml": b"just text\n",
        "gbk.yaml": "survey:\n- type: text\n  name: 编号\n".encode("gbk"),
        "data.json": b"{}",
    }


def _readers(tmp: Path):
    codebook = Codebook.from_tables([{"type": "text", "name": "rid", "header": "1、编号"},
                                     {"type": "integer", "name": "age", "header": "2、年龄", "min": "0", "max": "120"}],
                                    settings={"id": "rid"})

    def nc(path):
        folder = tmp / f"nc_{path.stem}"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        shutil.copy(path, folder / "C1_s1_ego.csv")
        shutil.copy(path, folder / "C1_s1_attributeList_Person.csv")
        shutil.copy(path, folder / "C1_s1_edgeList_knows.csv")
        return network_io.read_network_canvas(folder, errors="flag")

    return {
        "read_table": read_table,
        "read_wjx": read_wjx,
        "read_spss": read_spss,
        "read_kobo": read_kobo,
        "Codebook.read": Codebook.read,
        "coding.apply": lambda path: coding.apply(read_table(path), codebook),
        "read_network_canvas": nc,
        "egor_threefiles": lambda path: network_io.from_egor_threefiles(read_table(path), read_table(path),
                                                                        read_table(path), errors="flag"),
        "egor_onefile": lambda path: network_io.from_egor_onefile(read_table(path), errors="flag"),
    }


def _quality(result) -> list:
    """Quality records carried by a reader's result (attrs, .quality or .problems)."""
    if isinstance(result, pd.DataFrame):
        return list(result.attrs.get("quality", []))
    for name in ("quality", "problems"):
        table = getattr(result, name, None)
        if isinstance(table, pd.DataFrame) and len(table):
            return table.to_dict("records")
    return []


#: (reader, file) pairs that are awkward but valid: the reader must get exactly this right.
READ_AS = {
    ("read_table", "header_only.csv"): lambda df: list(df.columns) == WJX_HEADER.strip().split(",") and df.empty,
    ("read_table", "semicolon.csv"): lambda df: df["2、年龄"].tolist() == ["30", "41"],
    ("read_kobo", "semicolon.csv"): lambda df: df["2、年龄"].tolist() == ["30", "41"],
    ("read_kobo", "header_only.csv"): lambda df: df.empty and "1、编号" in df,
    ("coding.apply", "header_only.csv"): lambda coded: coded.data.empty,
    # generic tables know nothing of 问卷星 metadata: the text is kept exactly as written
    ("read_table", "future_and_formula.csv"): lambda df: df["1、编号"].tolist() == ["=1+1"],
    ("read_kobo", "future_and_formula.csv"): lambda df: df["1、编号"].tolist() == ["=1+1"],
    ("read_table", "bad_metadata.csv"): lambda df: df["提交答卷时间"].tolist() == ["昨天"],
    ("read_kobo", "bad_metadata.csv"): lambda df: df["所用时间"].tolist() == ["很久"],
    ("read_wjx", "semicolon.csv"): lambda df: df["2、年龄"].tolist() == ["30", "41"] and df.attrs["delimiter"] == ";",
    ("Codebook.read", "gbk.yaml"): lambda book: book.survey["name"].tolist() == ["编号"],
}


@pytest.fixture(scope="module")
def damaged(tmp_path_factory):
    folder = tmp_path_factory.mktemp("damaged")
    files = {}
    for name, content in corpus(folder).items():
        (folder / name).write_bytes(content)
        files[name] = folder / name
    return folder, files


def test_every_reader_refuses_flags_or_reads_correctly_every_damaged_file(damaged):
    folder, files = damaged
    outcomes, silent, wrong = {}, [], []
    for reader_name, reader in _readers(folder).items():
        for name, path in files.items():
            try:
                result = reader(path)
            except LaoyouError as error:
                text = str(error)
                assert error.zh and error.en and error.en != error.zh, (reader_name, name, text)
                assert error.file is not None, (reader_name, name, text)
                outcomes[reader_name, name] = "error"
                continue
            # any other exception propagates and fails the test with its traceback
            if _quality(result):
                outcomes[reader_name, name] = "flagged"
            else:
                check = READ_AS.get((reader_name, name))
                if check is None:
                    silent.append((reader_name, name))
                elif not check(result):
                    wrong.append((reader_name, name))
                outcomes[reader_name, name] = "read"
    assert not silent, f"passed without an error or a quality record: {silent}"
    assert not wrong, f"read wrongly: {wrong}"
    assert len(outcomes) == len(files) * 9
    # the classes the issue names end where they should
    assert outcomes["read_table", "bom_gbk.csv"] == "flagged"
    assert outcomes["read_table", "html_table.xls"] == "flagged"
    assert outcomes["read_wjx", "future_and_formula.csv"] == "flagged"
    assert outcomes["read_wjx", "merged_header.xlsx"] == "error"
    for name in ("truncated.xlsx", "not_a_zip.xlsx", "garbage.xlsx", "ole_garbage.xls", "invalid.yaml",
                 "bad_min.yaml", "missing_name.yaml", "truncated.sav", "empty.csv", "binary_garbage.csv"):
        assert outcomes["Codebook.read", name] == "error" or name.endswith((".csv", ".sav"))
        assert outcomes["read_table", name] == "error" or name.endswith((".yaml", ".sav"))


def test_errors_name_the_row_and_column_where_they_can(damaged):
    _, files = damaged
    with pytest.raises(LaoyouError) as error:
        Codebook.read(files["invalid.yaml"])
    assert error.value.row == 4
    with pytest.raises(LaoyouError) as error:
        read_wjx(files["title_row.csv"])
    assert error.value.row == 2
    repeated = read_wjx(files["duplicate_headers.csv"]).attrs["quality"]
    assert [(r["issue"], r["column"], r["row"]) for r in repeated] == [("duplicate_header", "1、编号.1", 1)]
    coded = coding.apply(read_wjx(files["bad_metadata.csv"]), Codebook.from_tables(
        [{"type": "text", "name": "rid", "header": "1、编号"}, {"type": "integer", "name": "age", "header": "2、年龄"}]))
    assert coded.quality[["row", "column", "issue"]].values.tolist() == [[2, "2、年龄", "not_a_number"]]
