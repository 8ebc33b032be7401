"""Issue 15's "what must hold" on one small two-group study with the mess of real exports:
a full-width identifier, a respondent only at the follow-up, one not on the roster, a
required item skipped, a submission dated in the future, answers that a spreadsheet would run
as formulas.  Each must end in a quality row, in the report's tables, and nowhere as a live
formula."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml

from laoyou_eval import dataset, intake
from laoyou_eval.report import render
from laoyou_eval.report.analysis import analyse
from laoyou_eval.report.casereport import build_document

FORMULAS = ["=cmd|' /C calc'!A0", "+86 871 1234", "@SUM(A1)", "-1+2", "\t=1+1"]
IDS = [f"C{k:03d}" for k in range(1, 9)]


def _export(path, wave: int, ids, changes: dict) -> None:
    rng = np.random.default_rng(wave)
    rows = [{"序号": k + 1, "提交答卷时间": f"2025/0{3 if wave == 1 else 7}/0{1 + k % 9} 10:00:00", "所用时间": "300秒",
             "1、受访者编号": rid, "2、是否独居": "是" if k % 2 else "否",
             **{f"第3题(条目{i})": int(rng.integers(1, 6)) for i in (1, 2, 3, 4)}, "4、备注": "无"}
            for k, rid in enumerate(ids)]
    table = pd.DataFrame(rows)
    for (row, column), value in changes.items():
        table.loc[row, column] = value
    table.to_csv(path, index=False, encoding="utf-8-sig")


@pytest.fixture(scope="module")
def field_study(tmp_path_factory):
    root = tmp_path_factory.mktemp("field")
    folder = root / "field_study"
    (folder / "surveys").mkdir(parents=True)
    (folder / "codebooks").mkdir()
    wave1 = ["Ｃ００３" if rid == "C003" else rid for rid in IDS]  # typed in full-width digits at baseline
    _export(folder / "surveys/pre.csv", 1, wave1,
            {**{(k, "4、备注"): text for k, text in enumerate(FORMULAS)}, (1, "2、是否独居"): "(跳过)"})
    _export(folder / "surveys/post.csv", 2, [*IDS, "C009", "C010"],
            {(0, "提交答卷时间"): "2099/01/01 10:00:00", (5, "4、备注"): FORMULAS[0]})
    pd.DataFrame({"resident_id": [*IDS, "C009"], "arm": ["programme"] * 5 + ["comparison"] * 4}).to_csv(
        folder / "roster.csv", index=False, encoding="utf-8-sig")  # C009 enrolled but missed the baseline; C010 not enrolled
    book = {"settings": {"id": "resident_id"},
            "survey": [{"type": "text", "name": "resident_id", "header": "1、受访者编号"},
                       {"type": "select_one yn", "name": "alone", "header": "2、是否独居", "required": "yes"},
                       *[{"type": "integer", "name": f"belong_{i}", "header": f"第3题(条目{i})", "min": 1, "max": 5}
                         for i in (1, 2, 3, 4)],
                       {"type": "text", "name": "note", "header": "4、备注"}],
            "choices": [{"list_name": "yn", "name": 1, "label::zh": "是"}, {"list_name": "yn", "name": 0, "label::zh": "否"}],
            "scales": [{"scale": "belong", "instrument": "custom", "items": "belong_1 belong_2 belong_3 belong_4",
                        "min": 1, "max": 5, "higher_is": "better", "label::zh": "归属感", "label::en": "Belonging"}]}
    (folder / "codebooks/residents.yaml").write_text(yaml.safe_dump(book, allow_unicode=True), encoding="utf-8")
    meta = {"study": "field exports", "waves": {1: {"label": "pre", "date": "2025-03-01"},
                                                2: {"label": "post", "date": "2025-07-01"}},
            "arms": {"programme": "P", "comparison": "C"}, "id_columns": {"resident": "resident_id"},
            "surveys": [{"file": f"surveys/{name}.csv", "population": "residents", "wave": wave,
                         "id_question": "1、受访者编号", "codebook": "codebooks/residents.yaml"}
                        for name, wave in (("pre", 1), ("post", 2))],
            "files": {"roster.csv": {"kind": "roster"}}}
    (folder / "study.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")
    processed = intake.run(folder, root / "processed")
    ds = dataset.load(folder, processed)
    results = analyse(ds)
    workbook = render.to_xlsx(build_document(ds, results, lang="en"), root / "report_tables.xlsx")
    return processed, ds, results, workbook


def test_every_silent_class_of_the_issue_is_a_quality_row(field_study):
    processed, ds, _, _ = field_study
    quality = pd.read_csv(processed / "surveys/quality.csv", encoding="utf-8-sig", dtype=str)
    found = {(r.issue, r.wave, r.row, r.respondent if isinstance(r.respondent, str) else None)
             for r in quality.itertuples()}
    assert found == {("id_normalised", "1", "4", "C003"),      # Ｃ００３ -> C003
                     ("skipped_required", "1", "3", "C002"),   # (跳过) in a required item
                     ("future_date", "2", "2", None),          # submitted in 2099
                     ("no_baseline", "2", "10", "C009"),       # enrolled, answered the follow-up only
                     ("no_baseline", "2", "11", "C010"),
                     ("unmatched_id", "2", "11", "C010")}      # not on the roster
    # the normalised identifier links the person across waves, in the right group
    c003 = ds.scores[ds.scores.respondent_id == "C003"]
    assert c003.wave.tolist() == [1, 2] and set(c003.arm) == {"programme"}


def test_unmatched_and_later_only_respondents_are_counted_in_the_report_tables(field_study):
    _, _, results, _ = field_study
    sample = results.sample.set_index("arm")
    assert sample.loc["unmatched", "responded"] == 1
    attrition = results.attrition.iloc[0]
    assert (attrition.n_completers, attrition.n_dropouts) == (8, 0)  # C001–C008 at both waves (C003 linked)
    assert (attrition.n_no_baseline, attrition.n_unmatched) == (2, 1)


def test_formula_like_text_is_neutralised_in_processed_data_and_every_report_table(field_study):
    from openpyxl import load_workbook

    processed, _, _, workbook = field_study
    notes = pd.read_csv(processed / "surveys/residents_w1.csv", encoding="utf-8-sig", dtype=str)["note"].tolist()
    assert notes[:5] == ["'" + text.strip() for text in FORMULAS]
    for path in processed.rglob("*.csv"):
        for line in path.read_text(encoding="utf-8-sig").splitlines():
            assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in line.split(",")), (path, line)
    book = load_workbook(workbook)
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
    assert cells and not [c.coordinate for c in cells if c.data_type == "f"
                          or isinstance(c.value, str) and c.value.startswith(("=", "+", "@", "\t", "\r"))]


def test_a_choice_file_beside_the_codebook_is_an_input_of_intake(tmp_path):
    folder = tmp_path / "kobo_study"
    (folder / "surveys").mkdir(parents=True)
    (folder / "codebooks").mkdir()
    pd.DataFrame({"_id": ["1", "2"], "rid": ["K1", "K2"], "town": ["km", "dl"]}).to_csv(
        folder / "surveys/kobo.csv", index=False)
    (folder / "codebooks/towns.csv").write_text("name,label\nkm,昆明\ndl,大理\n", encoding="utf-8")
    with pd.ExcelWriter(folder / "codebooks/form.xlsx") as writer:
        pd.DataFrame([{"type": "text", "name": "rid"}, {"type": "select_one_from_file towns.csv", "name": "town"}]
                     ).to_excel(writer, sheet_name="survey", index=False)
        pd.DataFrame([{"form_title": "Towns", "id": "rid"}]).to_excel(writer, sheet_name="settings", index=False)
    meta = {"study": "kobo", "waves": {1: {"label": "pre", "date": "2025-03-01"}}, "arms": {"programme": "P"},
            "surveys": [{"file": "surveys/kobo.csv", "population": "residents", "wave": 1, "layout": "kobo",
                         "id_question": "rid", "codebook": "codebooks/form.xlsx"}]}
    (folder / "study.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")
    processed = intake.run(folder, tmp_path / "processed")
    coded = pd.read_csv(processed / "surveys/residents_w1.csv", dtype=str)
    assert coded["town"].tolist() == ["km", "dl"]
    assert intake.is_current(folder, processed)
    (folder / "codebooks/towns.csv").write_text("name,label\nkm,昆明\n", encoding="utf-8")  # dl removed
    assert not intake.is_current(folder, processed)  # the next report re-codes: dl is now an unknown answer
