"""Process and dosage (laoyou_eval.process) and the case-study helpers (laoyou_eval.report.casestudy):
closed-form checks on small hand-built tables, checks on the demo study, and bad input."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from laoyou_eval import config, process, report
from laoyou_eval.demo import planted
from laoyou_eval.errors import LaoyouError
from laoyou_eval.i18n import explain
from laoyou_eval.report import casestudy

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def chinese():
    report.set_language("zh")
    yield
    report.set_language("zh")


@pytest.fixture(scope="module")
def demo():
    return process.read_process(config.DEMO_STUDY_DIR)


# --------------------------------------------------------------------------- hand-built tables
def contacts_table(**changes):
    table = pd.DataFrame({
        "contact_id": ["K1", "K2", "K3", "K4"],
        "volunteer_id": ["V1", "V1", "V2", "V2"],
        "resident_id": ["R1", "R1", "R2", "R2"],
        "date": ["2024-04-02", "2024/4/20", "2024-06-01", "2024-06-15"],
        "mode": ["上门探访", "电话", "上门探访", "上门探访"],
        "minutes": ["90", "30", "", "120"],
    })
    for column, (row, value) in changes.items():
        table.loc[row, column] = value
    return table


def test_contacts_per_pair_are_sums_of_minutes_over_60():
    pairs = process.contact_summary(contacts_table(), by="pair")
    assert pairs[["volunteer_id", "resident_id"]].values.tolist() == [["V1", "R1"], ["V2", "R2"]]
    assert pairs["contacts"].tolist() == [2, 2]
    assert pairs["contact_hours"].tolist() == pytest.approx([120 / 60, 120 / 60])
    assert pairs["mean_minutes"].tolist() == pytest.approx([60.0, 120.0])  # the untimed contact is not averaged
    assert pairs["months_with_contact"].tolist() == [1, 1]
    assert pairs["share_hours"].sum() == pytest.approx(1.0)
    assert pairs["note"].iloc[0] == "" and "1" in pairs["note"].iloc[1]  # one contact without minutes


def test_months_without_contact_are_zero_not_missing():
    by_month = process.contact_summary(contacts_table(), by="month")
    assert by_month["month"].tolist() == ["2024-04", "2024-05", "2024-06"]
    assert by_month["contacts"].tolist() == [2, 0, 2]
    assert by_month["contact_hours"].tolist() == pytest.approx([2.0, 0.0, 2.0])
    assert by_month["pairs"].tolist() == [1, 0, 1]
    assert np.isnan(by_month["mean_minutes"].iloc[1])
    grid = process.contact_summary(contacts_table(), by=("pair", "month"))
    assert len(grid) == 2 * 3  # every pair in every month
    assert grid["contact_hours"].sum() == pytest.approx(240 / 60)
    assert grid.groupby("resident_id")["contact_hours"].sum().tolist() == pytest.approx([2.0, 2.0])


def test_contacts_by_mode_and_roster_matching():
    modes = process.contact_summary(contacts_table(), by="mode").set_index("mode")
    assert modes.loc["上门探访", "contacts"] == 3 and modes.loc["电话", "contact_hours"] == pytest.approx(0.5)
    assert modes.loc["上门探访", "pairs"] == 2
    roster = pd.DataFrame({"volunteer_id": ["V1", "V2"], "training_hours": ["20", "20"], "status": ["服务队", "服务队"],
                           "matched_resident_id": ["R1", "R9"]})
    pairs = process.contact_summary(contacts_table(), by="pair", volunteers=process.read_volunteers(roster))
    assert pairs["matched"].tolist() == [True, False]
    assert "名册" in explain(pairs["note"].iloc[1])


@pytest.mark.parametrize("column, value, fragment", [
    ("minutes", "一小时", "不是数字"),
    ("minutes", "-5", "应在"),
    ("minutes", "2000", "应在"),
    ("date", "4月2日", "不是日期"),
    ("volunteer_id", "", "不能为空"),
    ("contact_id", "K1", "重复"),
])
def test_bad_contacts_name_the_row_and_column(column, value, fragment):
    table = contacts_table(**{column: (2, value)})
    with pytest.raises(LaoyouError) as error:
        process.read_contacts(table, file="buddy_contacts.csv")
    assert error.value.row == 4 and error.value.column == column  # header is row 1, so table row 2 is row 4
    assert error.value.file == "buddy_contacts.csv" and fragment in error.value.zh


def test_missing_columns_and_unknown_grouping_are_errors(tmp_path):
    with pytest.raises(LaoyouError, match="minutes"):
        process.read_contacts(contacts_table().drop(columns="minutes"))
    with pytest.raises(LaoyouError, match="by"):
        process.contact_summary(contacts_table(), by="week")
    with pytest.raises(LaoyouError, match="process/"):
        process.read_process(tmp_path)


def attendance_table():
    rows = [("S1", "融合篮球班", "2024-04-06", "馆一", "R1", "居民"), ("S1", "融合篮球班", "2024-04-06", "馆一", "R2", "居民"),
            ("S1", "融合篮球班", "2024-04-06", "馆一", "V1", "志愿者"), ("S2", "融合篮球班", "2024-04-13", "馆二", "R1", "居民"),
            ("S3", "生日会", "2024-04-20", "活动室", "R1", "居民"), ("S3", "生日会", "2024-04-20", "活动室", "C1", "家长")]
    return pd.DataFrame(rows, columns=["session_id", "activity", "date", "venue", "participant_id", "participant_type"])


def test_sessions_visits_and_people_reached():
    table = process.activity_summary(attendance_table(), enrolled={"居民": 3, "家长": 3, "志愿者": 2}, total=True)
    rows = {(r.activity, r.participant_type): r for r in table.itertuples()}
    basketball = rows[("融合篮球班", "居民")]
    assert (basketball.sessions, basketball.visits, basketball.n) == (2, 3, 2)
    assert basketball.visits_per_session == pytest.approx(1.5) and basketball.sessions_per_person == pytest.approx(1.5)
    assert basketball.reach == pytest.approx(2 / 3)
    total = table.iloc[-1]
    assert total["activity"] == "total" and (total["sessions"], total["visits"], total["n"]) == (3, 6, 4)
    assert (table["n"].iloc[:-1] <= table["enrolled"].iloc[:-1]).all()
    by_activity = process.activity_summary(attendance_table(), by="activity").set_index("activity")
    assert by_activity.loc["融合篮球班", "n"] == 3  # R1, R2, V1


def test_more_people_than_enrolled_is_noted_and_double_sign_in_is_an_error():
    table = process.activity_summary(attendance_table(), enrolled={"居民": 1})
    assert "名册" in explain(table.set_index(["activity", "participant_type"]).loc[("融合篮球班", "居民"), "note"])
    doubled = pd.concat([attendance_table(), attendance_table().iloc[[0]]], ignore_index=True)
    with pytest.raises(LaoyouError) as error:
        process.read_attendance(doubled)
    assert error.value.row == 8 and error.value.column == "participant_id"


def test_venues_of_one_activity():
    venues = process.venue_summary(attendance_table(), activity="融合篮球班")
    assert venues["venue"].tolist() == ["馆一", "馆二"]
    assert venues["sessions"].tolist() == [1, 1] and venues["visits"].tolist() == [3, 1]
    assert venues["first_date"].tolist() == ["2024-04-06", "2024-04-13"]


def volunteer_table():
    return pd.DataFrame({
        "volunteer_id": ["V1", "V2", "V3", "V4"], "name": ["张三", "李四", "王五", "赵六"],
        "phone": ["13800000001", "13800000002", "13800000003", "13800000004"],
        "training_hours": ["20", "17", "20", "0"], "assessment_score": ["80", "90", "", "70"],
        "status": ["服务队", "服务队", "后备", "已退出"], "matched_resident_id": ["R1", "R2", "", ""]})


def test_pipeline_trained_equals_service_plus_reserve_plus_left():
    volunteers = process.read_volunteers(volunteer_table())
    assert "name" not in volunteers and "phone" not in volunteers
    stages = process.volunteer_pipeline(volunteers).set_index("stage")
    assert stages.loc["trained", "n"] == 4
    assert stages.loc["trained", "n"] == stages.loc[["service_team", "reserve", "left"], "n"].sum()
    assert stages.loc["matched_one_to_one", "n"] == 2
    assert stages["share_of_trained"].tolist() == pytest.approx([1, 0.5, 0.5, 0.25, 0.25])
    assert "0" in explain(stages.loc["trained", "note"])  # one volunteer has no training hours


def test_training_summary_and_hours_check():
    training = pd.DataFrame({"volunteer_id": ["V1", "V2", "V1", "V2"], "module": ["伦理", "伦理", "沟通", "沟通"],
                             "date": ["2024-02-01", "2024-02-01", "2024-02-08", "2024-02-08"],
                             "hours": ["4", "4", "6", "6"], "attended": ["是", "否", "是", "是"]})
    modules = process.training_summary(training)
    assert modules["module"].tolist() == ["伦理", "沟通"]
    assert modules["n"].tolist() == [1, 2] and modules["attendance_rate"].tolist() == pytest.approx([0.5, 1.0])
    roster = volunteer_table().iloc[:2].assign(training_hours=["10", "17"])  # V1 logged 10 h, V2 logged 6 h
    summary = process.volunteer_summary(roster, training).set_index("status")
    assert summary.loc["all", "hours_mismatch"] == 1
    assert summary.loc["all", "modules_attended_mean"] == pytest.approx(1.5)
    assert summary.loc["all", "assessment_mean"] == pytest.approx(85.0)
    with pytest.raises(LaoyouError, match="attended"):
        process.read_training(training.assign(attended=["是", "可能", "是", "是"]))


@pytest.mark.parametrize("change, column", [
    ({"status": ["服务队", "服务队", "候补", "已退出"]}, "status"),
    ({"assessment_score": ["80", "90", "", "120"]}, "assessment_score"),
    ({"matched_resident_id": ["R1", "", "", ""]}, "matched_resident_id"),
    ({"matched_resident_id": ["R1", "R1", "", ""]}, "matched_resident_id"),
    ({"volunteer_id": ["V1", "V1", "V3", "V4"]}, "volunteer_id"),
])
def test_bad_volunteer_rosters(change, column):
    with pytest.raises(LaoyouError) as error:
        process.read_volunteers(volunteer_table().assign(**change))
    assert error.value.column == column and error.value.row is not None
    assert "13800000" not in str(error.value)  # no phone number in the message


def jobs_table():
    return pd.DataFrame({"placement_id": ["J1", "J2", "J3"], "resident_id": ["R1", "R2", "R2"],
                         "employer_type": ["洗车行", "洗车行", "快递驿站"],
                         "start_date": ["2024-05-01", "2024-05-10", "2024-07-01"],
                         "hours_per_week": ["12", "16", "20"], "km_from_home": ["1.0", "2.0", ""],
                         "status_at_follow_up": ["在岗", "已离职", "在岗"]})


def test_job_summary():
    jobs = process.job_summary(jobs_table()).set_index("employer_type")
    assert jobs.loc["洗车行", "n"] == 2 and jobs.loc["total", "n"] == 2  # R2 placed twice counts once
    assert jobs.loc["total", "hours_per_week_mean"] == pytest.approx(16.0)
    assert jobs.loc["total", "km_mean"] == pytest.approx(1.5)  # the blank distance is left out
    assert jobs.loc["total", "share_in_post"] == pytest.approx(2 / 3)
    with pytest.raises(LaoyouError) as error:
        process.read_jobs(jobs_table().assign(status_at_follow_up=["在岗", "休假", "在岗"]))
    assert error.value.row == 3 and error.value.column == "status_at_follow_up"
    with pytest.raises(LaoyouError, match="hours_per_week"):
        process.read_jobs(jobs_table().assign(hours_per_week=["12", "100", "20"]))


def test_small_counts_are_not_written_in_sentences():
    assert process.people(3) == "不足 5" and process.people(0) == "0" and process.people(1367) == "1,367"
    few = process.describe_jobs(jobs_table(), n_programme=15)
    assert "不足 5" in few and "在岗" not in few.split("。")[0].split("，")[-1]
    many = jobs_table().iloc[[0] * 6].assign(placement_id=[f"J{k}" for k in range(6)],
                                             resident_id=[f"R{k}" for k in range(6)])
    assert "6 位居民" in process.describe_jobs(many) and "100%" in process.describe_jobs(many)


# --------------------------------------------------------------------------- the demo study
def test_demo_pipeline_is_28_trained_15_serving_13_reserve(demo):

    design = planted.load_truth(config.DEMO_STUDY_DIR)["design"]
    stages = process.volunteer_pipeline(demo.volunteers).set_index("stage")["n"]
    assert stages["trained"] == stages["service_team"] + stages["reserve"]
    assert (stages["trained"], stages["service_team"], stages["reserve"]) == (
        design["n_programme"] + design["n_volunteers_reserve"], design["n_programme"], design["n_volunteers_reserve"])
    assert stages["matched_one_to_one"] == stages["service_team"]
    assert (process.volunteer_summary(demo.volunteers, demo.training)["hours_mismatch"] == 0).all()


def test_demo_volunteers_hold_no_personal_data(demo):
    from laoyou_eval import privacy

    assert set(demo.volunteers.columns) <= set(process.VOLUNTEER_COLUMNS)
    assert privacy.scan(demo.volunteers).empty


def test_demo_contact_hours_are_minutes_over_60(demo):
    from laoyou_eval import outcomes
    from laoyou_eval.io import read_table

    raw = read_table(config.DEMO_STUDY_DIR / process.FILES["contacts"])
    total = raw["minutes"].astype(float).sum() / 60
    for by in ("pair", "month", "mode", ("pair", "month"), ("month", "mode")):
        summary = process.contact_summary(demo.contacts, by=by)
        assert summary["contact_hours"].sum() == pytest.approx(total)
        assert summary["contacts"].sum() == len(raw)
    pairs = process.contact_summary(demo.contacts, "pair", demo.volunteers).set_index("resident_id")
    assert pairs["matched"].all()
    doses = outcomes.process_doses(raw).set_index("subject")
    assert pairs["contact_hours"].to_dict() == pytest.approx(doses.loc[pairs.index, "contact_hours"].to_dict())


def test_demo_people_reached_do_not_exceed_enrolled(demo):
    enrolled = process.enrolled_counts(config.DEMO_STUDY_DIR, demo.volunteers)
    assert enrolled == {"居民": 15, "家长": 15, "志愿者": 28}
    table = process.activity_summary(demo.attendance, enrolled=enrolled, total=True)
    body = table.iloc[:-1]
    assert (body["n"] <= body["enrolled"]).all() and (body["note"] == "").all()
    assert table.iloc[-1]["sessions"] == demo.attendance["session_id"].nunique()
    assert table.iloc[-1]["visits"] == len(demo.attendance) == body["visits"].sum()
    venues = process.venue_summary(demo.attendance, activity="融合篮球班")
    assert len(venues) == 2 and venues["sessions"].sum() == demo.attendance.loc[
        demo.attendance.activity == "融合篮球班", "session_id"].nunique()


def test_demo_jobs_go_to_programme_residents(demo):
    from laoyou_eval import study

    arms = study.arms(config.DEMO_STUDY_DIR)
    programme = set(arms.loc[(arms.arm == "programme") & (arms.population == "residents"), "respondent_id"])
    assert set(demo.jobs["resident_id"]) <= programme
    assert process.job_summary(demo.jobs).iloc[-1]["n"] == demo.jobs["resident_id"].nunique()


def test_demo_answered_by_shares_add_up():
    from laoyou_eval import intake

    coded = intake.code_surveys(config.DEMO_STUDY_DIR)
    answers = process.answered_by(coded)
    assert answers.groupby(["wave", "arm"])["share"].sum().to_numpy() == pytest.approx(1.0)
    for wave in (1, 2):
        assert answers.loc[answers.wave == wave, "n"].sum() == len(coded.surveys[("residents", wave)].data)
    assert answers["proxy"].any()
    assert process.answered_by(coded, question="no_such_question").empty


def test_demo_sentences_in_both_languages(demo, demo_labels):
    enrolled = process.enrolled_counts(config.DEMO_STUDY_DIR, demo.volunteers)
    for lang in ("zh", "en"):
        report.set_language(lang)
        texts = [process.describe_contacts(demo.contacts, demo.volunteers),
                 process.describe_activities(demo.attendance, enrolled),
                 process.describe_pipeline(demo.volunteers, demo.training),
                 process.describe_jobs(demo.jobs, enrolled["居民"])]
        joined = " ".join(texts)
        assert "28" in texts[2] and "15" in texts[2] and "13" in texts[2]
        if lang == "en":
            assert not CJK.search(joined), joined
            assert all(t[0].isupper() or t[0].isdigit() for t in texts)
        else:
            assert CJK.search(joined)


# --------------------------------------------------------------------------- case-study helpers
def test_theme_counts_use_agreed_codes_only():
    a = pd.Series({"O1": "social", "O2": "mood", "O3": "social", "O4": "none", "O5": ""})
    b = pd.Series({"O1": "social", "O2": "social", "O3": "social", "O4": "none", "O5": ""})
    themes = pd.DataFrame({"code": ["social", "mood", "none"], "label_zh": ["社交扩展", "情绪改善", "没有变化"],
                           "label_en": ["wider social circle", "better mood", "no change"]})
    counts = casestudy.theme_counts(a, b, themes).set_index("code")
    assert counts["count"].to_dict() == {"social": 2, "none": 1, "mood": 0}
    assert counts["share"].sum() == pytest.approx(1.0)
    assert counts.loc["social", "theme"] == "社交扩展"
    by_group = casestudy.theme_counts(a, b, themes, groups=pd.Series({"O1": "x", "O3": "y", "O4": "y"}, name="arm"))
    assert by_group.groupby("arm")["count"].sum().to_dict() == {"x": 1, "y": 2}


def test_paragraph_and_joined_sentences():
    paragraph = casestudy.Paragraph("a < b & c")
    assert repr(paragraph) == "a < b & c" and paragraph._repr_html_() == "<p>a &lt; b &amp; c</p>"
    assert casestudy.join_sentences("甲下降。样本小。", "乙上升。样本小。") == "甲下降。样本小。乙上升。"
    joined = casestudy.join_sentences("A fell, p = .003. Small n.", "B rose. Small n.")
    assert joined == "A fell, p = .003. Small n. B rose."


def test_shared_vocabulary_covers_the_process_tables(demo):
    from laoyou_eval.demo.settings import vocabulary
    from laoyou_eval.i18n import LIBRARY_VOCABULARY

    tables = [process.contact_summary(demo.contacts, ("pair", "month", "mode"), demo.volunteers),
              process.contact_summary(demo.contacts, "mode"),
              process.activity_summary(demo.attendance, enrolled={"居民": 15}), process.venue_summary(demo.attendance),
              process.volunteer_pipeline(demo.volunteers), process.volunteer_summary(demo.volunteers, demo.training),
              process.training_summary(demo.training), process.job_summary(demo.jobs), process.overview(demo)]
    columns = {c for t in tables for c in t.columns}
    assert columns <= set(LIBRARY_VOCABULARY), columns - set(LIBRARY_VOCABULARY)  # the library names its columns
    VOCABULARY = {**LIBRARY_VOCABULARY, **vocabulary()}  # the study (here the demo) names its values
    values = set(demo.contacts["mode"]) | set(demo.attendance["venue"]) | set(demo.training["module"]) | set(
        demo.jobs["employer_type"]) | set(process.volunteer_pipeline(demo.volunteers)["stage"])
    assert values <= set(VOCABULARY), values - set(VOCABULARY)


def test_figures_draw_without_warnings(demo):
    import matplotlib.pyplot as plt

    from laoyou_eval import outcomes

    report.theme()
    figures = [casestudy.contact_heatmap(process.contact_summary(demo.contacts, ("pair", "month"))),
               casestudy.contact_heatmap(process.contact_summary(demo.contacts, ("pair", "month")), value="contacts"),
               casestudy.hours_by_mode(process.contact_summary(demo.contacts, ("month", "mode"))),
               casestudy.pipeline_figure(process.volunteer_pipeline(demo.volunteers))]
    doses = outcomes.process_doses(demo.contacts, demo.attendance)
    data = doses.assign(ucla3_total_change=np.linspace(-3, 1, len(doses)))
    figures.append(casestudy.dose_scatter(data, "contact_hours", ["ucla3_total_change"]))
    for fig in figures:
        assert fig.axes
        plt.close(fig)


def test_roster_with_chinese_headings_keeps_no_phone_and_reads_year_month_births():
    roster = volunteer_table().rename(columns={"phone": "电话", "name": "姓名"})
    roster["birth_year"] = ["1991年8月", "2001", "1999-07", ""]
    out = process.read_volunteers(roster)
    assert "电话" not in out and "姓名" not in out and "13800000" not in out.to_csv()
    assert out["birth_year"].tolist()[:3] == [1991.0, 2001.0, 1999.0] and np.isnan(out["birth_year"].iloc[3])
    with pytest.raises(LaoyouError) as error:
        process.read_volunteers(roster.assign(birth_year=["八月", "2001", "", ""]))
    assert error.value.column == "birth_year" and error.value.row == 2


def test_renamed_columns_name_the_missing_column():
    with pytest.raises(LaoyouError) as error:
        process.read_volunteers(volunteer_table().rename(columns={"volunteer_id": "志愿者编号"}), file="volunteers.csv")
    assert error.value.column == "volunteer_id" and "volunteers.csv" in str(error.value)


def test_dates_in_the_future_are_errors():
    future = (pd.Timestamp.today() + pd.Timedelta(days=400)).strftime("%Y-%m-%d")
    with pytest.raises(LaoyouError, match="future") as error:
        process.read_contacts(contacts_table(date=(2, future)))
    assert error.value.row == 4 and error.value.column == "date"
    with pytest.raises(LaoyouError, match="birth_year"):
        process.read_volunteers(volunteer_table().assign(birth_year=["2990", "", "", ""]))
