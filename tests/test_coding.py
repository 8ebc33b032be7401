"""Codebooks and coding: every answer becomes a code or a reported problem, never silently lost."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from laoyou_eval import coding
from laoyou_eval.coding import Codebook
from laoyou_eval.errors import LaoyouError
from laoyou_eval.io import read_wjx

RESIDENTS = "codebooks/residents.xlsx"
CAREGIVERS = "codebooks/caregivers.yaml"


def _code(study, export, codebook, wave, code_path=None, **kw):
    raw = read_wjx(study / "surveys" / export, None if code_path is None else study / "surveys" / code_path)
    return coding.apply(raw, Codebook.read(study / codebook), wave=wave, **kw)


# --- the demo study codes cleanly, and exactly its planted problems are reported ----------

def test_demo_exports_code_with_only_the_planted_problems(demo_study):
    mess = json.loads((demo_study / "truth.json").read_text(encoding="utf-8"))["mess"]
    r1 = _code(demo_study, "residents_w1_text.xlsx", RESIDENTS, 1)
    assert set(r1.quality.issue) == {"conflicting_duplicate"}
    assert set(r1.quality.respondent) == {mess["duplicate_submission"]["respondent"]}
    assert r1.quality.action.tolist().count("removed; the other submission kept") == 1
    assert len(r1.data) == 45 and r1.data.resident_id.is_unique

    r2 = _code(demo_study, "residents_w2_text.csv", RESIDENTS, 2)
    assert r2.quality.issue.tolist() == ["id_normalised"]
    assert mess["id_typed_in_lower_case"]["respondent"] in set(r2.data.resident_id)

    c2 = _code(demo_study, "caregivers_w2_text.csv", CAREGIVERS, 2)
    out = c2.quality[c2.quality.issue == "out_of_range"]
    assert out.value.tolist() == ["200"] and out.respondent.tolist() == [mess["out_of_range"]["respondent"]]
    row = c2.data[c2.data.caregiver_id == mess["out_of_range"]["respondent"]]
    assert row.respite_hours.isna().all()
    assert (c2.missing.loc[row.index, "respite_hours"] == "invalid").all()

    assert _code(demo_study, "caregivers_w1_text.csv", CAREGIVERS, 1, "caregivers_w1_code.csv").quality.empty


def test_text_and_code_exports_give_identical_codes(demo_study):
    text = _code(demo_study, "caregivers_w1_text.csv", CAREGIVERS, 1)
    code = _code(demo_study, "caregivers_w1_code.csv", CAREGIVERS, 1)
    columns = [c for c in text.data.columns if c not in ("relation_other", "support_needs_other")]
    pd.testing.assert_frame_equal(text.data[columns], code.data[columns], check_dtype=False)


def test_missing_kinds_stay_distinct(demo_study):
    coded = _code(demo_study, "caregivers_w1_text.csv", CAREGIVERS, 1, "caregivers_w1_code.csv")
    assert set(coded.missing["group_sessions"]) == {"skipped"}  # jump logic (-2)
    assert set(coded.missing["extra_free_hours"]) == {"not_applicable"}  # display logic (-3)
    summary = coded.missing_summary()
    assert summary.loc["group_sessions", "skipped"] == 45 + 1  # 45 caregivers and the staff test submission
    residents = _code(demo_study, "residents_w1_text.xlsx", RESIDENTS, 1)
    skipped_job = residents.missing["job_type"] == "skipped"
    assert residents.data.loc[skipped_job, "job_type"].isna().all()
    assert (residents.data.loc[skipped_job, "job_status"] == 3).all()  # 没有工作 -> question 8 skipped


def test_multi_select_and_other_text(demo_study):
    residents = _code(demo_study, "residents_w1_text.xlsx", RESIDENTS, 1)
    raw = read_wjx(demo_study / "surveys/residents_w1_text.xlsx")
    kept = raw.iloc[(residents.data.row - 2).to_numpy()].reset_index(drop=True)
    cell = kept["9、过去一个月您参加过哪些社区活动？（多选）"]
    assert ((residents.data["activities_none"] == 1) == cell.str.contains("都没有参加")).all()
    assert ((residents.data["activities_birthday"] == 1) == cell.str.contains("生日会")).all()
    has_other = cell.str.contains("〖")
    # the choice named "other" keeps its 0/1 column; its text goes beside it, not over it
    assert ((residents.data["activities_other"] == 1) == has_other).all()
    assert residents.data.loc[has_other, "activities_other_text"].notna().all()
    assert residents.data.loc[~has_other, "activities_other_text"].isna().all()


def test_personal_data_columns_are_dropped(demo_study):
    coded = _code(demo_study, "caregivers_w1_text.csv", CAREGIVERS, 1)
    assert not {"name", "phone", "id_number", "address", "source_detail", "ip"} & set(coded.data.columns)
    text = coded.data.astype(str).to_csv()
    assert not pd.Series([text]).str.contains(r"1[3-9]\d{9}|\d{17}[\dX]").any()


# --- problems in the data --------------------------------------------------------------------

@pytest.fixture
def residents_raw(demo_study):
    return read_wjx(demo_study / "surveys/residents_w1_text.xlsx")


def test_unknown_answer_text_is_reported_with_row_and_column(demo_study, residents_raw):
    raw = residents_raw.copy()
    raw.loc[3, "第10题(条目2)"] = "偶尔吧"
    coded = coding.apply(raw, Codebook.read(demo_study / RESIDENTS), wave=1)
    issue = coded.quality[coded.quality.issue == "unknown_answer"]
    assert issue[["row", "column", "value"]].values.tolist() == [[5, "第10题(条目2)", "偶尔吧"]]
    assert issue.respondent.iloc[0] == raw.loc[3, "1、受访者编号（由社工填写）"]
    position = coded.data.index[coded.data.row == 5][0]
    assert pd.isna(coded.data.at[position, "ucla3_2"]) and coded.missing.at[position, "ucla3_2"] == "invalid"


def test_aliases_accept_other_spellings(demo_study, residents_raw):
    book = Codebook.read(demo_study / RESIDENTS)
    choices = book.choices.copy()
    choices.loc[(choices.list_name == "ucla3") & (choices["label::zh"] == "有时"), "aliases"] = "有时候|偶尔"
    book = Codebook.from_tables(book.survey, choices, book.missing, book.scales, book.settings)
    raw = residents_raw.copy()
    raw.loc[3, "第10题(条目2)"] = "偶尔"
    coded = coding.apply(raw, book, wave=1)
    assert coded.data.loc[coded.data.row == 5, "ucla3_2"].tolist() == [2]
    assert "unknown_answer" not in set(coded.quality.issue)


def test_numbers_not_numeric_or_out_of_range(demo_study, residents_raw):
    raw = residents_raw.copy()
    raw.loc[0, "6、您的出生年份"] = "九五年"
    raw.loc[1, "6、您的出生年份"] = "1850"
    raw.loc[2, "6、您的出生年份"] = "1995.5"
    coded = coding.apply(raw, Codebook.read(demo_study / RESIDENTS), wave=1)
    flagged = coded.quality.set_index("row")
    assert flagged.loc[2, "issue"] == "not_a_number"
    assert flagged.loc[3, "issue"] == "out_of_range"
    assert flagged.loc[4, "issue"] == "not_a_number"  # an integer is expected


@pytest.mark.parametrize("policy, kept_rows", [("keep_last", [12]), ("keep_first", [11]), ("keep_all", [11, 12])])
def test_duplicate_policies(demo_study, residents_raw, policy, kept_rows):
    coded = coding.apply(residents_raw, Codebook.read(demo_study / RESIDENTS), wave=1, duplicates=policy)
    dup_id = coded.quality.respondent.iloc[0]
    assert coded.data.loc[coded.data.resident_id == dup_id, "row"].tolist() == kept_rows
    assert len(coded.data) == 46 - (2 - len(kept_rows))
    with pytest.raises(LaoyouError, match="submitted 2 times"):
        coding.apply(residents_raw, Codebook.read(demo_study / RESIDENTS), wave=1, duplicates="error")


def test_identical_duplicates_are_told_apart_from_conflicting_ones(demo_study, residents_raw):
    raw = pd.concat([residents_raw, residents_raw.iloc[[0]]], ignore_index=True)
    coded = coding.apply(raw, Codebook.read(demo_study / RESIDENTS), wave=1)
    assert set(coded.quality.issue) == {"duplicate_submission", "conflicting_duplicate"}


# --- a codebook that does not fit -----------------------------------------------------------

def test_codebook_that_does_not_fit_names_every_missing_header(demo_study, residents_raw):
    book = Codebook.read(demo_study / RESIDENTS)
    survey = book.survey.copy()
    survey.loc[survey.name == "sex", "header"] = "5、性别"
    survey.loc[survey.name == "ucla3_3", "header"] = "第10题(条目9)"
    book = Codebook.from_tables(survey, book.choices, book.missing, book.scales, book.settings, source="cb.xlsx")
    with pytest.raises(LaoyouError) as info:
        coding.apply(residents_raw, book, wave=1)
    message = str(info.value)
    assert "5、性别" in message and "第10题(条目9)" in message
    assert "closest: 5、您的性别" in message and "does not fit" in message


def test_unmapped_columns_are_reported_not_silently_dropped(demo_study, residents_raw):
    raw = residents_raw.assign(**{"16、您对本次调查的意见": "无"})
    coded = coding.apply(raw, Codebook.read(demo_study / RESIDENTS), wave=1)
    unmapped = coded.quality[coded.quality.issue == "unmapped_column"]
    assert unmapped.column.tolist() == ["16、您对本次调查的意见"]


def test_wave_specific_rows(demo_study, residents_raw):
    book = Codebook.read(demo_study / RESIDENTS)
    with pytest.raises(LaoyouError, match="参加项目以来"):
        coding.apply(residents_raw, book, wave=2)  # the wave-2 open question is not in a wave-1 export
    coded = coding.apply(residents_raw, book)  # without a wave: wave-specific rows are left out ...
    assert "open_answer" not in coded.data.columns
    assert "15、您最希望通过这个项目得到什么帮助？" in set(coded.quality.column)  # ... and reported


@pytest.mark.parametrize("change, message", [
    (lambda s: s.assign(type=s.type.where(s.name != "sex", "select_one nope")), "nope"),
    (lambda s: s.assign(type=s.type.where(s.name != "sex", "geopint")), "geopint"),
    (lambda s: s.assign(name=s.name.where(s.name != "sex", "birth_year")), "birth_year"),
])
def test_invalid_codebooks(demo_study, change, message):
    book = Codebook.read(demo_study / RESIDENTS)
    with pytest.raises(LaoyouError, match=message) as info:
        Codebook.from_tables(change(book.survey), book.choices, book.missing, book.scales, book.settings,
                             source="cb.xlsx")
    assert "Invalid codebook" in str(info.value) and info.value.row is not None


def test_workbook_and_yaml_forms_are_equivalent(demo_study, tmp_path):
    book = Codebook.read(demo_study / CAREGIVERS)
    xlsx = Codebook.read(book.to_excel(tmp_path / "cb.xlsx"))
    (tmp_path / "cb.yaml").write_text(xlsx.to_yaml(), encoding="utf-8")
    again = Codebook.read(tmp_path / "cb.yaml")
    for sheet in ("survey", "choices", "missing", "scales"):
        pd.testing.assert_frame_equal(getattr(again, sheet), getattr(book, sheet))
    assert again.settings == book.settings


def test_rank_questions(demo_study):
    book = Codebook.from_tables(
        [{"type": "text", "name": "id", "header": "1、编号"},
         {"type": "rank needs", "name": "needs", "header": "2、请给需求排序"}],
        [{"list_name": "needs", "name": "respite", "label::zh": "喘息服务"},
         {"list_name": "needs", "name": "jobs", "label::zh": "就业信息"},
         {"list_name": "needs", "name": "advice", "label::zh": "政策咨询"}],
        settings={"id": "id"})
    raw = pd.DataFrame({"1、编号": ["A", "B"], "2、请给需求排序": ["就业信息→喘息服务→政策咨询", "(跳过)"]})
    coded = coding.apply(raw, book)
    assert coded.data[["needs_respite", "needs_jobs", "needs_advice"]].iloc[0].tolist() == [2, 1, 3]
    assert coded.data[["needs_respite"]].iloc[1].isna().all()
    assert coded.missing.loc[1, "needs_jobs"] == "skipped"


# --- drafting a codebook --------------------------------------------------------------------

def test_draft_codebook_codes_its_own_export(demo_study):
    raw = read_wjx(demo_study / "surveys/caregivers_w1_text.csv")
    book = coding.draft(raw)
    assert set(book.survey.loc[book.survey.privacy == "drop", "header"]) == {
        "2、您的姓名", "3、手机号码", "4、身份证号码（用于发放交通补贴）", "6、家庭住址"}
    types = dict(zip(book.survey.header, book.survey.type))
    assert types["16、您最需要哪些支持？（多选）"].startswith("select_multiple")
    assert types["11、过去一个月，您平均每周有多少小时的喘息时间（有人替您照顾孩子）？"] == "decimal"
    assert len({types[f"第7题(条目{i})"] for i in range(1, 13)}) == 1  # matrix rows share a list
    assert (book.survey.note.str.startswith("TODO") | (book.survey.note == "")).all()
    coded = coding.apply(raw, book)
    assert not (coded.missing == "invalid").any().any()


# --- codebooks that are broken in the ways hand-edited files are --------------------------------
@pytest.mark.parametrize("text, row, column, message", [
    ("survey:\n- type: integer\n  name: age\n   min: 0\n", 4, "第 7 个字符 character 7", "not valid YAML"),
    ("survey:\n- type: integer\n  name: age\n  min: zero\n", None, "min", "entry 1"),
    ("survey:\n- type: integer\n  label::zh: 年龄\n", None, "name", "no name"),
    ("survey:\n- type: text\n  name: a\n- just a string\n", None, "survey", "Entry 2"),
    ("settings: [id]\nsurvey:\n- type: text\n  name: a\n", None, "settings", "mapping"),
    ("- type: text\n", 1, None, "mapping"),
])
def test_broken_yaml_codebooks_name_file_sheet_row_and_column(tmp_path, text, row, column, message):
    path = tmp_path / "book.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LaoyouError, match=message) as info:
        Codebook.read(path)
    assert info.value.file == path or str(info.value.file) == str(path)
    assert info.value.row == row and info.value.column == column


def test_bad_min_in_a_workbook_names_the_sheet_row_and_column(tmp_path):
    path = tmp_path / "book.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame([{"type": "text", "name": "id"}, {"type": "integer", "name": "age", "min": "18岁"}]).to_excel(
            writer, sheet_name="survey", index=False)
    with pytest.raises(LaoyouError, match="sheet survey, row 3") as info:
        Codebook.read(path)
    assert info.value.row == 3 and info.value.column == "min"


def test_full_width_and_spaced_ids_are_normalised_and_reported():
    book = Codebook.from_tables([{"type": "text", "name": "id", "header": "id"},
                                 {"type": "integer", "name": "n", "header": "n"}], settings={"id": "id"})
    raw = pd.DataFrame({"id": ["Ｃ００３", "c003", " C\u3000004", "C005"], "n": ["1", "2", "3", "4"]})
    coded = coding.apply(raw, book, duplicates="keep_all")
    assert coded.data["id"].tolist() == ["C003", "C003", "C004", "C005"]
    changed = coded.quality[coded.quality.issue == "id_normalised"]
    assert changed["value"].tolist() == ["Ｃ００３", "c003", "C\u3000004"] and changed["row"].tolist() == [2, 3, 4]
    assert set(coded.quality.issue) == {"id_normalised", "conflicting_duplicate"}  # Ｃ００３ and c003 are one person


def test_skipped_required_question_is_flagged():
    book = Codebook.from_tables([{"type": "text", "name": "id", "header": "1、编号"},
                                 {"type": "integer", "name": "age", "header": "2、年龄", "required": "yes"},
                                 {"type": "integer", "name": "kids", "header": "3、子女数"}])
    raw = pd.DataFrame({"1、编号": ["A", "B"], "2、年龄": ["(跳过)", "40"], "3、子女数": ["(跳过)", "1"]})
    coded = coding.apply(raw, book)
    flagged = coded.quality[coded.quality.issue == "skipped_required"]
    assert flagged[["row", "column"]].values.tolist() == [[2, "2、年龄"]]  # kids is not required
    assert coded.missing.loc[0, "age"] == "skipped"  # kept as the skip it is


def test_an_unknown_duplicates_policy_is_a_laoyou_error():
    book = Codebook.from_tables([{"type": "text", "name": "id"}], settings={"id": "id"})
    with pytest.raises(LaoyouError, match="duplicates"):
        coding.apply(pd.DataFrame({"id": ["1"]}), book, duplicates="newest")
