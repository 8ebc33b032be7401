"""A corpus of damaged and awkward inputs walked through every reader.

Each file goes through read_table, read_wjx, read_spss, read_kobo, Codebook.read,
coding.apply, read_network_canvas and the egor importers.  Every outcome must be a
``LaoyouError`` (bilingual, naming the file), a result carrying a quality record, or — for
the few awkward-but-valid files listed in ``READ_AS`` — the right content.  Any other
exception fails the test: no raw traceback reaches a user.

The same corpus is then walked end to end: a study folder is built around each file (as the
wave-1 export, or as the codebook for the ``.yaml`` files) and run through ``intake.run``,
``laoyou-eval intake``, ``laoyou-eval report`` and ``laoyou-eval check``.
"""

from __future__ import annotations

import io as stdlib_io
import shutil
from pathlib import Path

import pandas as pd
import pyreadstat
import pytest
import yaml

from laoyou_eval import cli, coding, intake
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


# --- end to end: study folders around each damaged file -------------------------------------

#: wave-2 export of the study around each damaged file: the ids the corpus files use (A1, A2)
WAVE2 = WJX_HEADER + "1,2025/07/01 10:00:00,300秒,A1,31\n2,2025/07/02 10:00:00,280秒,A2,42\n"
CODEBOOK = {"settings": {"id": "rid"},
            "survey": [{"type": "text", "name": "rid", "header": "1、编号"},
                       {"type": "integer", "name": "age", "header": "2、年龄", "min": 0, "max": 120}]}
#: damaged files that are valid exports after all: the study must read them exactly so
STUDY_READ_AS = {"semicolon.csv": lambda w1: w1["age"].tolist() == [30, 41] and w1["rid"].tolist() == ["A1", "A2"]}


def _study_around(folder: Path, name: str, content: bytes) -> Path:
    """A two-wave study whose wave-1 export (or, for ``.yaml``, whose codebook) is the damaged file."""
    (folder / "surveys").mkdir(parents=True)
    (folder / "codebooks").mkdir()
    codebook, wave1 = "codebooks/residents.yaml", f"surveys/{name}"
    if name.endswith(".yaml"):
        codebook, wave1 = f"codebooks/{name}", "surveys/pre.csv"
        (folder / codebook).write_bytes(content)
        (folder / wave1).write_text(WAVE2.replace("/07/", "/03/"), encoding="utf-8-sig")
    else:
        (folder / codebook).write_text(yaml.safe_dump(CODEBOOK, allow_unicode=True), encoding="utf-8")
        (folder / wave1).write_bytes(content)
    (folder / "surveys/post.csv").write_text(WAVE2, encoding="utf-8-sig")
    meta = {"study": "damaged-file probe",
            "waves": {1: {"label": "pre", "date": "2025-03-01"}, 2: {"label": "post", "date": "2025-07-01"}},
            "arms": {"programme": "group"},
            "surveys": [{"file": file, "population": "residents", "wave": wave, "id_question": "1、编号",
                         "codebook": codebook} for file, wave in ((wave1, 1), ("surveys/post.csv", 2))]}
    (folder / "study.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def _cli(args, capsys) -> tuple[int, str]:
    status = cli.main([str(a) for a in args])
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert "Traceback" not in text and "Internal error" not in text, (args, text)
    return status, text


def _formula_cells(workbook: Path) -> list:
    from openpyxl import load_workbook

    book = load_workbook(workbook)
    return [(sheet.title, cell.coordinate) for sheet in book for row in sheet.iter_rows() for cell in row
            if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith(("=", "+", "@")))]


def test_every_damaged_file_in_a_study_ends_in_an_error_or_a_quality_row_through_intake_report_and_check(
        tmp_path, capsys, monkeypatch):
    from laoyou_eval import config
    from laoyou_eval.report import build

    # the notebook series is tested elsewhere (test_cli, test_notebooks); here it would only repeat them
    monkeypatch.setattr(build, "notebook_series", lambda *args, **kwargs: [])
    monkeypatch.setattr(config, "PROCESSED_DIR", tmp_path / "processed")  # where `report` runs intake
    outcomes = {}
    for name, content in corpus(tmp_path).items():
        home = tmp_path / "out" / name.replace(".", "_")
        folder = _study_around(tmp_path / "studies" / name.replace(".", "_"), name, content)
        try:
            processed = intake.run(folder, home / "processed")
        except LaoyouError as error:
            assert error.zh and error.en and error.zh != error.en, name
            assert name in str(error), (name, str(error))
            outcomes[name] = "error"
        else:
            quality = pd.read_csv(processed / "surveys/quality.csv", encoding="utf-8-sig")
            wave1 = pd.read_csv(processed / "surveys/residents_w1.csv", encoding="utf-8-sig", dtype={"rid": str})
            if name in STUDY_READ_AS:
                assert quality.empty and STUDY_READ_AS[name](wave1), (name, quality, wave1)
                outcomes[name] = "read"
            else:
                assert (quality.wave == 1).any(), (name, quality)  # a row about the damaged file itself
                outcomes[name] = "flagged"
        # the same through the command line: exit 2 with a bilingual message, or a written result
        status, text = _cli(["intake", "--study", folder, "--out", home / "cli_processed"], capsys)
        assert status == (2 if outcomes[name] == "error" else 0), (name, text)
        if status == 2:
            assert "错误 Error" in text and name in text, (name, text)
        status, text = _cli(["report", "--study", folder, "--out", home / "report"], capsys)
        assert status == (2 if outcomes[name] == "error" else 0), (name, text)
        if status == 2:
            assert "错误 Error" in text and name in text, (name, text)
            assert not (home / "report").exists() or not any((home / "report").iterdir())
        else:
            assert _formula_cells(home / "report/report_tables.xlsx") == [], name
        # check never dies: a file it cannot open is named and makes the exit status 1
        for target in (folder, folder / ("codebooks" if name.endswith(".yaml") else "surveys") / name,
                       home / "report", home / "processed"):
            if target.exists():
                status, text = _cli(["check", target, "--study", folder], capsys)
                assert status in (0, 1), (name, target, text)
                if "could NOT be checked" in text:
                    assert status == 1 and name in text, (name, text)
    assert len(outcomes) == len(corpus(tmp_path))
    # the silent classes of the issue end in quality rows, the broken files in errors
    assert {outcomes[n] for n in ("bom_gbk.csv", "future_and_formula.csv", "bad_metadata.csv")} == {"flagged"}
    for name in ("truncated.xlsx", "not_a_zip.xlsx", "html_no_table.xls", "truncated.sav", "invalid.yaml",
                 "bad_min.yaml", "missing_name.yaml", "data.json"):
        assert outcomes[name] == "error", name
