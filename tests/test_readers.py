"""SPSS .sav files and KoboToolbox/ODK exports go through the same codebook and coding."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyreadstat
import pytest

from laoyou_eval import coding, scoring
from laoyou_eval.coding import Codebook
from laoyou_eval.errors import LaoyouError
from laoyou_eval.io import read_kobo, read_spss


@pytest.fixture
def sav(tmp_path):
    df = pd.DataFrame({"id": ["A1", "A2", "A3"], "sex": [1.0, 2.0, None], "ucla3_1": [1.0, 3.0, 9.0],
                       "ucla3_2": [2.0, 3.0, 1.0], "ucla3_3": [1.0, 2.0, 2.0], "note": ["好", "", "没有"]})
    path = tmp_path / "survey.sav"
    labels = {"sex": {1: "男", 2: "女"}, **{f"ucla3_{i}": {1: "几乎没有", 2: "有时", 3: "经常", 9: "拒答"}
                                              for i in (1, 2, 3)}}
    pyreadstat.write_sav(df, str(path), column_labels=["编号", "性别", "条目1", "条目2", "条目3", "备注"],
                         variable_value_labels=labels, missing_ranges={"ucla3_1": [9]})
    return path


def test_spss_codes_and_labels(sav):
    df = read_spss(sav)
    assert df["sex"].tolist() == ["1", "2", ""]  # integer codes without ".0", system-missing blank
    assert df.attrs["value_labels"]["sex"] == {"1": "男", "2": "女"}
    assert df.attrs["column_labels"]["sex"] == "性别"
    assert df.attrs["missing_ranges"]["ucla3_1"] == [[9.0, 9.0]]
    assert df["note"].tolist() == ["好", "", "没有"]


def test_spss_file_is_coded_with_a_drafted_codebook_and_user_missing_kept_distinct(sav):
    df = read_spss(sav)
    book = coding.draft(df)
    assert book.survey.set_index("name").loc["sex", "type"] == "select_one sex"
    survey = book.survey.copy()
    survey["name"] = survey["header"]  # keep the SPSS variable names
    survey["type"] = survey["type"].str.replace(r"select_one \w+", lambda m: f"select_one {m.group(0).split()[1]}",
                                                regex=True)
    missing = pd.DataFrame([{"value": "9", "kind": "refused"}, {"value": "", "kind": "blank"}])
    book = Codebook.from_tables(survey, book.choices[book.choices.name != "9"], missing, settings={"id": "id"})
    coded = coding.apply(df, book)
    assert coded.data["ucla3_1"].tolist()[:2] == [1, 3]
    assert coded.missing["ucla3_1"].tolist() == ["", "", "refused"]
    assert coded.missing["sex"].tolist() == ["", "", "blank"]
    scored = scoring.score(coded.data, "ucla3")
    assert scored["ucla3_total"].tolist() == [4, 8, pytest.approx(4.5)]  # row 3 prorated: (1+2)/2 × 3
    assert scored["prorated"].tolist() == [False, False, True]


def test_unreadable_spss_file(tmp_path):
    path = tmp_path / "broken.sav"
    path.write_bytes(b"not an spss file")
    with pytest.raises(LaoyouError, match="Cannot read the SPSS file"):
        read_spss(path)


@pytest.fixture
def kobo(tmp_path):
    form = tmp_path / "form.xlsx"
    with pd.ExcelWriter(form) as writer:
        pd.DataFrame([
            {"type": "start", "name": "start"},
            {"type": "text", "name": "rid", "label::Chinese (zh)": "编号"},
            {"type": "begin_group", "name": "who"},
            {"type": "select_one yn", "name": "buddy", "label::Chinese (zh)": "有老友吗"},
            {"type": "select_multiple act", "name": "activities", "label::Chinese (zh)": "活动"},
            {"type": "integer", "name": "visits", "label::Chinese (zh)": "见面次数"},
            {"type": "geopoint", "name": "where"},
            {"type": "end_group", "name": ""},
        ]).to_excel(writer, sheet_name="survey", index=False)
        pd.DataFrame([
            {"list name": "yn", "name": "yes", "label::Chinese (zh)": "是"},
            {"list name": "yn", "name": "no", "label::Chinese (zh)": "否"},
            {"list name": "act", "name": "basketball", "label::Chinese (zh)": "篮球"},
            {"list name": "act", "name": "birthday", "label::Chinese (zh)": "生日会"},
        ]).to_excel(writer, sheet_name="choices", index=False)
    export = tmp_path / "data.csv"
    export.write_text(
        "start;rid;who/buddy;who/activities;who/activities/basketball;who/activities/birthday;who/visits;"
        "who/where;_id;_uuid;_submission_time\n"
        "2024-03-10T09:00:00;R001;yes;basketball birthday;1;1;4;25.04 102.7 0 0;1;u1;2024-03-10T09:30:00\n"
        "2024-03-11T10:00:00;R002;no;;0;0;;;2;u2;2024-03-11T10:15:00\n", encoding="utf-8")
    return form, export


def test_kobo_export_with_its_xlsform_as_codebook(kobo):
    form, export = kobo
    raw = read_kobo(export)
    assert list(raw.columns) == ["rid", "buddy", "activities", "visits", "where", "submitted_at"]
    assert "who/activities/basketball" in raw.attrs["dropped"] and "_uuid" in raw.attrs["dropped"]
    book = Codebook.read(form)
    book.settings["id"] = "rid"
    coded = coding.apply(raw, book)
    assert coded.data["buddy"].tolist() == ["yes", "no"]
    assert coded.data[["activities_basketball", "activities_birthday"]].iloc[0].tolist() == [1, 1]
    assert coded.missing.loc[1, "activities_basketball"] == "blank"
    assert coded.data["visits"].tolist()[0] == 4
    assert "where" in set(coded.quality.column)  # a geopoint is not coded, and that is reported


def test_kobo_group_name_clash(tmp_path):
    export = tmp_path / "clash.csv"
    export.write_text("a/q1,b/q1\n1,2\n", encoding="utf-8")
    with pytest.raises(LaoyouError, match="q1"):
        read_kobo(export)


# --- XLSForm as pyxform reads it ---------------------------------------------------------------
def _xls(path, sheets: dict):
    """An old binary .xls workbook (xlwt), as XLSForm tools and ODK Build still write them."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    for name, rows in sheets.items():
        sheet = book.add_sheet(name)
        columns = list(dict.fromkeys(k for row in rows for k in row))
        for j, column in enumerate(columns):
            sheet.write(0, j, column)
            for i, row in enumerate(rows, start=1):
                sheet.write(i, j, row.get(column, ""))
    book.save(str(path))
    return path


XLSFORM = {
    "survey": [
        {"type": "text", "name": "rid", "label": "ID"},
        {"type": "begin group", "name": "health", "label": "Health"},
        {"type": "select one from yes_no", "name": "ill", "label": "Ill?", "required": "yes"},
        {"type": "select all that apply fruit", "name": "fruit", "label": "Fruit"},
        {"type": "int", "name": "visits", "label": "Visits"},
        {"type": "end group", "name": "health"},  # legal: the end row may repeat the group's name
        {"type": "begin repeat", "name": "kids", "label": "Children"},
        {"type": "string", "name": "kids_name", "label": "Name"},
        {"type": "end repeat", "name": ""},
    ],
    "choices": [
        {"list name": "yes_no", "name": "yes", "label": "Yes"}, {"list name": "yes_no", "name": "no", "label": "No"},
        {"list name": "fruit", "name": "apple", "label": "Apple"}, {"list name": "fruit", "name": "pear", "label": "Pear"},
        {"list name": "fruit", "name": "apple", "label": "Apple (green)"},
    ],
    "settings": [{"form_title": "Household", "form_id": "hh", "version": "3", "allow_choice_duplicates": "yes"}],
}


def test_an_xls_xlsform_with_standard_settings_groups_and_duplicate_choices(tmp_path):
    book = Codebook.read(_xls(tmp_path / "form.xls", XLSFORM))
    assert book.settings["form_id"] == "hh" and book.settings["title"] == "Household"
    questions = book.questions()
    assert list(questions["name"]) == ["rid", "ill", "fruit", "visits", "kids_name"]
    assert list(questions["type"]) == ["text", "select_one yes_no", "select_multiple fruit", "integer", "text"]
    without = {**XLSFORM, "settings": [{"form_title": "Household", "form_id": "hh"}]}
    with pytest.raises(LaoyouError) as error:  # duplicate choice names need allow_choice_duplicates
        Codebook.read(_xls(tmp_path / "strict.xls", without))
    assert error.value.row == 6 and error.value.column == "name" and "choices" in str(error.value)


def test_kobo_export_with_only_option_columns_and_a_flattened_repeat(tmp_path):
    form = _xls(tmp_path / "form.xls", XLSFORM)
    export = tmp_path / "export.csv"
    export.write_text(
        "_id;rid;health/ill;health/fruit/apple;health/fruit/pear;health/visits;kids[1]/kids_name;kids[2]/kids_name;"
        "_submission_time\n"
        "1;R1;yes;1;0;3;小明;小红;2024-03-10T09:30:00\n"
        "2;r2 ;;0;0;;;;2024-03-11T10:00:00\n", encoding="utf-8")
    for kwargs in ({}, {"form": form}):
        raw = read_kobo(export, **kwargs)
        assert list(raw.columns) == ["rid", "ill", "fruit", "visits", "kids_name_1", "kids_name_2", "submitted_at"]
        assert raw["fruit"].tolist() == ["apple", ""]  # the question is kept, not renamed to an option
        assert {r["issue"] for r in raw.attrs["quality"]} == {"options_folded", "repeat_instances"}
    book = Codebook.read(form)
    book.settings["id"] = "rid"
    coded = coding.apply(raw, book)
    assert coded.data["kids_name_2"].fillna("NA").tolist() == ["小红", "NA"]
    assert coded.missing["kids_name_2"].tolist() == ["", "blank"]
    assert coded.data[["fruit_apple", "fruit_pear"]].iloc[0].tolist() == [1, 0]
    assert coded.data["rid"].tolist() == ["R1", "R2"]
    issues = coded.quality.set_index("issue")
    assert issues.loc["skipped_required", "row"] == 3  # ill is required but blank in row 3
    assert issues.loc["id_normalised", "value"] == "r2"


def test_kobo_select_multiple_separated_by_semicolons_and_a_dot_group_separator(tmp_path):
    export = tmp_path / "export.csv"
    export.write_text("grp.fruit,grp.n\napple;pear,1\npear,2\n", encoding="utf-8")
    raw = read_kobo(export, group_sep=".")
    book = Codebook.read(_xls(tmp_path / "form.xls", XLSFORM))
    survey = book.survey[book.survey.name.isin(["fruit"])]
    coded = coding.apply(raw.rename(columns={"n": "visits"}),
                         Codebook.from_tables(survey, book.choices, settings={"allow_choice_duplicates": "yes"}))
    assert coded.data[["fruit_apple", "fruit_pear"]].values.tolist() == [[1, 1], [0, 1]]


def test_damaged_xlsform_files_are_laoyou_errors(tmp_path):
    truncated = tmp_path / "form.xlsx"
    truncated.write_bytes(b"PK\x03\x04" + b"\x00" * 20)
    with pytest.raises(LaoyouError, match="damaged"):
        Codebook.read(truncated)
    no_survey = _xls(tmp_path / "nosurvey.xls", {"choices": XLSFORM["choices"]})
    with pytest.raises(LaoyouError, match="survey"):
        Codebook.read(no_survey)


def test_spss_date_out_of_range_is_read_without_date_conversion(tmp_path):
    path = tmp_path / "dates.sav"
    pyreadstat.write_sav(pd.DataFrame({"id": [1.0, 2.0], "born": [1e15, 13_000_000_000.0]}), str(path),
                         variable_format={"born": "DATETIME20"})
    df = read_spss(path)
    assert df["born"].tolist() == ["1000000000000000", "13000000000"]  # SPSS seconds, nothing lost
    (record,) = df.attrs["quality"]
    assert record["issue"] == "date_conversion_off" and record["column"] == "born"


# --- real public files (tests/data/real/README.md says where each comes from) -----------------
REAL = Path(__file__).parent / "data" / "real"


def test_pyreadstat_sample_sav_matches_the_csv_written_beside_it():
    """pyreadstat's own ``sample.sav`` against its ``sample.csv`` (same data, written by the
    authors independently of this package's reader)."""
    df = read_spss(REAL / "pyreadstat_sample.sav")
    expected = pd.read_csv(REAL / "pyreadstat_sample.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    for column in ("mychar", "mynum", "mydate", "mylabl", "myord"):
        assert df[column].tolist() == expected[column].tolist(), column
    assert df["dtime"].tolist()[-1] == ""  # a missing datetime is blank, never the text "NaT"
    assert df.attrs["value_labels"]["mylabl"] == {"1": "Male", "2": "Female"}


def test_pyreadstat_user_missing_values_are_kept_as_codes():
    df = read_spss(REAL / "pyreadstat_sample_missing.sav")
    assert df["myord"].tolist()[-2:] == ["-1", "-3"]  # user-missing codes kept, not erased
    assert df.attrs["missing_ranges"]["myord"] == [[-1.0, -1.0], [-2.0, -2.0], [-3.0, -3.0]]
    assert df.attrs["value_labels"]["mylabl"]["-1"] == "undetermined"


@pytest.mark.parametrize("name, questions", [
    ("pyxform_group.xls", {"family_name": "text", "age": "integer"}),
    ("pyxform_tutorial.xls", {"name": "text", "relationship_to_household_head": "select_one relationships",
                              "sex": "select_one sexes", "age_in_months": "integer"}),
    ("pyxform_yes_or_no_question.xlsx", {"good_day": "select_one yes_or_no"}),
    ("pyxform_case_insensitivity.xlsx", {"q1": "select_one c1"}),
    ("pyxform_loop.xlsx", {"available_toilet_types": "select_multiple toilet_type or_other", "number": "integer"}),
])
def test_pyxform_example_forms_are_read_as_pyxform_reads_them(name, questions):
    book = Codebook.read(REAL / name)
    found = dict(zip(book.questions()["name"], book.questions()["type"]))
    assert {k: found.get(k) for k in questions} == questions


def test_a_kobo_style_export_coded_with_a_pyxform_form():
    book = Codebook.read(REAL / "pyxform_yes_or_no_question.xlsx")
    assert book.choices["label::en"].tolist() == ["yes", "no"]  # label:english -> label::en
    raw = pd.DataFrame({"good_day": ["yes", "no", "maybe", ""]})
    raw.attrs.update(source="kobo.csv", layout="kobo")
    coded = coding.apply(raw, book)
    assert coded.data["good_day"].fillna("NA").tolist() == ["yes", "no", "NA", "NA"]
    assert coded.missing["good_day"].tolist() == ["", "", "invalid", "blank"]
    assert coded.quality[["row", "issue"]].values.tolist() == [[4, "unknown_answer"]]
    settings = Codebook.read(REAL / "pyxform_case_insensitivity.xlsx").settings
    assert settings["form_id"] == "YesNo" and settings["title"] == "Yes or no"


def test_kobo_excel_export_with_a_repeat_sheet_keeps_the_linking_keys(tmp_path):
    export = tmp_path / "kobo.xlsx"
    with pd.ExcelWriter(export) as writer:
        pd.DataFrame({"rid": ["R1", "R2"], "_id": ["11", "12"], "_index": ["1", "2"]}).to_excel(
            writer, sheet_name="main", index=False)
        pd.DataFrame({"kids/kids_name": ["小明", "小红", "小刚"], "_index": ["1", "2", "3"],
                      "_parent_index": ["1", "1", "2"], "_parent_table_name": ["main"] * 3}).to_excel(
            writer, sheet_name="kids", index=False)
    main, kids = read_kobo(export), read_kobo(export, sheet_name="kids")
    assert list(main.columns) == ["rid", "kobo_index"]
    assert list(kids.columns) == ["kids_name", "kobo_index", "parent_index"]
    linked = kids.merge(main, left_on="parent_index", right_on="kobo_index", suffixes=("", "_main"))
    assert linked.groupby("rid").size().to_dict() == {"R1": 2, "R2": 1}


@pytest.mark.parametrize("name, question, other", [
    ("pyxform_or_other.xlsx", "fav_color", "fav_color_other"),
    ("pyxform_specify_other.xls", "sex", "sex_other"),  # "select one from sexes or specify other"
])
def test_or_other_adds_the_other_choice_and_codes_the_specify_text_as_pyxform_defines_them(name, question, other):
    book = Codebook.read(REAL / name)
    q = book.questions().set_index("name").loc[question]
    choices = book.choice_list(q["list_name"])
    # pyxform (xls2json.py): the choice {"name": "other", "label": "Other"} is appended to the list
    assert choices["name"].tolist()[-1] == "other" and (choices["name"] == "other").sum() == 1
    codes = choices["name"].tolist()
    # a Kobo export: the choice name, and pyxform's added text question <name>_other
    raw = pd.DataFrame({question: [codes[0], "other", "Other", ""], other: ["", "紫色 purple", "", ""],
                        **{n: "" for n in book.questions()["name"] if n != question}})
    raw.attrs.update(source="kobo.csv", layout="kobo")
    coded = coding.apply(raw, book)
    assert coded.data[question].fillna("NA").tolist() == [codes[0], "other", "other", "NA"]
    assert coded.data[other].fillna("NA").tolist() == ["NA", "紫色 purple", "NA", "NA"]
    assert coded.quality.empty  # the specify column is coded, not reported as unmapped


def test_or_other_select_multiple_option_columns_are_folded_with_the_form(tmp_path):
    # pyxform's loop.xlsx: "select all that apply from toilet_type or specify other", then a loop
    export = tmp_path / "kobo.csv"
    export.write_text("_id,available_toilet_types/pit_latrine_with_slab,available_toilet_types/bucket_system,"
                      "available_toilet_types/other,available_toilet_types_other\n"
                      "1,1,0,1,bucket\n", encoding="utf-8")
    df = read_kobo(export, form=REAL / "pyxform_loop.xlsx")
    assert df[["available_toilet_types", "available_toilet_types_other"]].values.tolist() == [
        ["pit_latrine_with_slab other", "bucket"]]  # "other" is an option of the list
    assert [r["issue"] for r in df.attrs["quality"]] == ["options_folded"]
    coded = coding.apply(df.assign(number="2"), Codebook.read(REAL / "pyxform_loop.xlsx"))
    columns = [f"available_toilet_types_{c}" for c in ("pit_latrine_with_slab", "bucket_system", "other", "other_text")]
    assert coded.data[columns].values.tolist() == [[1, 0, 1, "bucket"]]  # the 0/1 of "other", then its text


def _form(path, survey, choices=None, external=None):
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame(survey).to_excel(writer, sheet_name="survey", index=False)
        if choices:
            pd.DataFrame(choices).to_excel(writer, sheet_name="choices", index=False)
        if external:
            pd.DataFrame(external).to_excel(writer, sheet_name="external_choices", index=False)
    return path


def test_select_one_external_takes_its_choices_from_the_external_choices_sheet(tmp_path):
    form = _form(tmp_path / "form.xlsx",
                 [{"type": "select_one province", "name": "province", "label": "Province"},
                  {"type": "select_one_external city", "name": "city", "label": "City", "choice_filter": "p=${province}"}],
                 [{"list_name": "province", "name": "yn", "label": "云南"}],
                 [{"list_name": "city", "name": "km", "label": "昆明", "p": "yn"},
                  {"list_name": "city", "name": "dl", "label": "大理", "p": "yn"}])
    book = Codebook.read(form)
    assert book.questions().set_index("name").loc["city", "type"] == "select_one city"
    raw = pd.DataFrame({"province": ["yn", "yn"], "city": ["dl", "上海"]})
    raw.attrs.update(source="kobo.csv", layout="kobo")
    coded = coding.apply(raw, book)
    assert coded.data["city"].fillna("NA").tolist() == ["dl", "NA"]
    assert coded.quality[["row", "column", "issue"]].values.tolist() == [[3, "city", "unknown_answer"]]


@pytest.mark.parametrize("file_name, content, parameters", [
    ("towns.csv", "code,town\nkm,昆明\ndl,大理\n", "value=code, label=town"),
    ("towns.xml", "<root><item><name>km</name><label>昆明</label></item>"
                  "<item><name>dl</name><label>大理</label></item></root>", ""),
    ("towns.geojson", '{"type": "FeatureCollection", "features": ['
                      '{"type": "Feature", "geometry": null, "properties": {"id": "km", "title": "昆明"}},'
                      '{"type": "Feature", "geometry": null, "properties": {"id": "dl", "title": "大理"}}]}', ""),
])
def test_select_from_file_reads_the_choice_file_beside_the_form(tmp_path, file_name, content, parameters):
    (tmp_path / file_name).write_text(content, encoding="utf-8")
    form = _form(tmp_path / "form.xlsx",
                 [{"type": f"select_one_from_file {file_name}", "name": "town", "parameters": parameters},
                  {"type": f"select_multiple_from_file {file_name}", "name": "visited", "parameters": parameters}])
    book = Codebook.read(form)
    assert book.choice_list(file_name)[["name", "label"]].values.tolist() == [["km", "昆明"], ["dl", "大理"]]
    raw = pd.DataFrame({"town": ["km", "大理"], "visited": ["km dl", "dl"]})
    raw.attrs.update(source="kobo.csv", layout="kobo")
    coded = coding.apply(raw, book)
    assert coded.data["town"].tolist() == ["km", "dl"]
    assert coded.data[["visited_km", "visited_dl"]].values.tolist() == [[1, 1], [0, 1]]
    # the option columns of a "separate columns" export are recognised from the form's file
    export = tmp_path / "kobo.csv"
    export.write_text("_id,town,visited/km,visited/dl\n1,km,1,1\n", encoding="utf-8")
    assert read_kobo(export, form=form)["visited"].tolist() == ["km dl"]


def test_a_missing_choice_file_is_a_clear_error(tmp_path):
    form = _form(tmp_path / "form.xlsx", [{"type": "select_one_from_file towns.csv", "name": "town"}])
    with pytest.raises(LaoyouError) as error:
        Codebook.read(form)
    assert error.value.file.name == "towns.csv" and "next to the codebook" in str(error.value)
    (tmp_path / "towns.csv").write_text("code,town\nkm,昆明\n", encoding="utf-8")
    with pytest.raises(LaoyouError) as error:
        Codebook.read(form)  # no `name` column and no value= parameter
    assert error.value.column == "name" and "value=" in str(error.value)
