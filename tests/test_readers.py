"""SPSS .sav files and KoboToolbox/ODK exports go through the same codebook and coding."""

from __future__ import annotations

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
