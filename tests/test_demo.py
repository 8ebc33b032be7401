"""The synthetic demo study: deterministic, shaped like the programme, messy like real
exports, and carrying the planted effects documented in its truth.json."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest
import yaml

from laoyou_eval import coding, demo, instruments, io, scoring
from laoyou_eval.demo.presets import PRESETS, preset, shape_from_mapping
from laoyou_eval.demo.questionnaires import CAREGIVER_SCALES, UCLA3, ZBI12
from laoyou_eval.errors import LaoyouError
from laoyou_eval.io import detect_encoding, read_table

from conftest import REPO, tree_digest

KIN = {"母亲", "父亲", "兄弟姐妹", "祖父母", "其他亲属"}
META = ["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP"]


def _survey(study, name):
    return read_table(study / "surveys" / name)


# --- determinism ---------------------------------------------------------------------------

def test_same_seed_gives_byte_identical_files_and_another_seed_different_ones(tmp_path):
    a = tree_digest(demo.generate(tmp_path / "a", seed=7))
    b = tree_digest(demo.generate(tmp_path / "b", seed=7))
    c = tree_digest(demo.generate(tmp_path / "c", seed=8))
    assert a == b
    assert set(a) == set(c) == set(demo.STUDY_FILES)
    data_files = [f for f in a if f.startswith(("surveys/", "networks/", "process/", "parents_group/t"))]
    assert len(data_files) == 16
    assert all(a[f] != c[f] for f in data_files)


def test_committed_demo_study_is_what_the_generator_writes(demo_study):
    """data/raw/demo must be regenerated (`make demo-data`) whenever the generator changes."""
    assert tree_digest(REPO / "data" / "raw" / "demo") == tree_digest(demo_study)


def test_raw_data_are_never_overwritten(demo_study):
    before = tree_digest(demo_study)
    with pytest.raises(LaoyouError, match="never overwritten"):
        demo.generate(demo_study, seed=1)
    assert tree_digest(demo_study) == before


# --- shape of the programme ----------------------------------------------------------------

def test_sizes_follow_the_programme(demo_study):
    roster = read_table(demo_study / "roster.csv")
    assert len(roster) == 105
    assert roster.arm.value_counts().to_dict() == {"not_enrolled": 60, "comparison": 30, "programme": 15}
    volunteers = read_table(demo_study / "process/volunteers.csv")
    assert len(volunteers) == 28
    assert volunteers.status.value_counts().to_dict() == {"服务队": 15, "后备": 13}
    matched = volunteers.matched_resident_id[volunteers.status == "服务队"]
    assert set(matched) == set(roster.resident_id[roster.arm == "programme"])  # 1-on-1
    members = read_table(demo_study / "parents_group/members.csv")
    assert members.role.value_counts().to_dict() == {"核心家长": 8, "副组长": 2, "组长": 1}
    assert set(members.caregiver_id) <= set(roster.caregiver_id[roster.arm == "programme"])
    activities = set(read_table(demo_study / "process/activity_attendance.csv").activity)
    assert activities == {"融合篮球班", "生日会", "家长互动学习小组", "心理支持聚餐"}
    venues = read_table(demo_study / "process/activity_attendance.csv").query("activity == '融合篮球班'").venue
    assert venues.nunique() == 2  # two partner gyms
    jobs = read_table(demo_study / "process/job_placements.csv")
    assert 1 <= len(jobs) and set(jobs.resident_id) <= set(matched)


def test_attrition_is_realistic_and_documented(demo_study):
    truth = json.loads((demo_study / "truth.json").read_text(encoding="utf-8"))
    w1 = _survey(demo_study, "residents_w1_text.xlsx")
    w2 = _survey(demo_study, "residents_w2_text.csv")
    ids1 = set(w1.iloc[:, 6])
    ids2 = set(w2.iloc[:, 6].str.upper())
    lost = len(ids1 - ids2)
    assert lost == truth["mess"]["residents_lost_at_w2"]
    assert 0.10 <= lost / len(ids1) <= 0.15
    assert ids2 <= ids1


def test_every_programme_resident_names_the_buddy_at_wave_two(demo_study):
    a2 = read_table(demo_study / "networks/alters_w2.csv")
    roster = read_table(demo_study / "roster.csv")
    programme = set(roster.resident_id[roster.arm == "programme"]) & set(a2.ego_id)
    buddies = a2[a2.relation == "志愿者（老友）"]
    assert set(buddies.ego_id) == programme
    assert (buddies.met_where == "老友计划（结对）").all()
    assert (a2.met_where == "通过老友认识").any()


@pytest.mark.parametrize("wave", [1, 2])
def test_alter_ties_name_alters_of_the_same_ego_and_wave(demo_study, wave):
    alters = read_table(demo_study / f"networks/alters_w{wave}.csv")
    ties = read_table(demo_study / f"networks/alter_ties_w{wave}.csv")
    known = set(zip(alters.ego_id, alters.alter_no))
    assert not alters.duplicated(["ego_id", "alter_no"]).any()
    ends = set(zip(ties.ego_id, ties.source)) | set(zip(ties.ego_id, ties.target))
    assert ends <= known
    assert (ties.source.astype(int) < ties.target.astype(int)).all()  # undirected, listed once
    assert set(ties.weight) <= {"1", "2"}


def test_some_alters_lack_ids_at_wave_two_so_matching_needs_names(demo_study):
    a2 = read_table(demo_study / "networks/alters_w2.csv")
    assert (a2.alter_id == "").sum() > 0


# --- realistic 问卷星 exports -------------------------------------------------------------

def test_exports_use_the_documented_encodings(demo_study):
    expected = {"residents_w2_text.csv": "utf-8-sig", "caregivers_w1_text.csv": "gb18030",
                "caregivers_w1_code.csv": "gb18030", "caregivers_w2_text.csv": "utf-8"}
    for name, encoding in expected.items():
        assert detect_encoding(demo_study / "surveys" / name) == encoding


def test_text_exports_look_like_wenjuanxing(demo_study):
    df = _survey(demo_study, "residents_w1_text.xlsx")
    assert list(df.columns[:6]) == META
    questions = [c for c in df.columns[6:]]
    assert all(re.fullmatch(r"\d+、.+|第\d+题\(.+\)", c) for c in questions)
    assert any(c.startswith("第10题(条目") for c in questions)
    assert df["9、过去一个月您参加过哪些社区活动？（多选）"].str.contains("┋").any()
    assert df.apply(lambda col: col.str.contains("〖.+〗", regex=True)).any().any()
    assert (df == "(跳过)").any().any()
    assert df["来自IP"].str.fullmatch(r"(\d{1,3}\.){3}\d{1,3}\(云南-昆明\)").all()
    assert re.fullmatch(r"\d{4}/\d{1,2}/\d{1,2} \d{2}:\d{2}:\d{2}", df["提交答卷时间"][0])
    assert df["所用时间"].str.fullmatch(r"\d+秒").all()
    assert df["4、本问卷由谁填写？"].isin(["家人代答", "社工协助填写"]).any()  # proxy answers


def test_code_export_matches_text_export_and_keeps_two_missing_kinds(demo_study):
    text = _survey(demo_study, "caregivers_w1_text.csv")
    code = _survey(demo_study, "caregivers_w1_code.csv")
    assert list(text["序号"]) == list(code["序号"])
    number = 7
    for scale in CAREGIVER_SCALES:
        for i in range(1, scale.n_items + 1):
            col = f"第{number}题(条目{i})"
            expected = text[col].map(lambda t: str(scale.options.index(t) + 1))
            pd.testing.assert_series_equal(code[col], expected, check_names=False)
        number += 1
    assert (code["13、过去三个月您参加了几次小组活动？"] == "-2").any()  # skipped by jump logic
    assert (code["15、孩子上班后，您每周多出多少小时的自由时间？"] == "-3").any()  # hidden
    assert (text["13、过去三个月您参加了几次小组活动？"] == "(跳过)").sum() == \
        (code["13、过去三个月您参加了几次小组活动？"] == "-2").sum()
    assert set(code["第16题(喘息服务)"]) <= {"0", "1"}


def test_planted_mess_is_where_truth_json_says(demo_study):
    mess = json.loads((demo_study / "truth.json").read_text(encoding="utf-8"))["mess"]
    w1 = _survey(demo_study, "residents_w1_text.xlsx")
    ids = w1["1、受访者编号（由社工填写）"]
    assert ids.duplicated().sum() == 1
    assert ids[ids.duplicated()].iloc[0] == mess["duplicate_submission"]["respondent"]
    dup = w1[ids == mess["duplicate_submission"]["respondent"]]
    assert (dup.iloc[0, 6:] != dup.iloc[1, 6:]).sum() == 1  # a conflicting duplicate
    w2 = _survey(demo_study, "residents_w2_text.csv")
    assert mess["id_typed_in_lower_case"]["typed"] in set(w2["1、受访者编号（由社工填写）"])
    c2 = _survey(demo_study, "caregivers_w2_text.csv")
    hours = pd.to_numeric(c2.iloc[:, c2.columns.str.startswith("11、")].squeeze())
    assert (hours > 168).sum() == 1 and hours.max() == mess["out_of_range"]["value"]
    responses = read_table(demo_study / "open_ended/responses.csv")
    assert responses.answer_text.str.contains(r"1[3-9]\d{9}").any()  # a phone number in free text


def test_planted_screening_cases_are_where_truth_json_says(demo_study):
    cases = json.loads((demo_study / "truth.json").read_text(encoding="utf-8"))["mess"]["screening"]
    for rule, records in cases.items():
        for case in records:
            export = _survey(demo_study, case["file"].removeprefix("surveys/"))
            ids = export["1、受访者编号（由社工填写）"]
            rows = case.get("rows", [case["row"]] if "row" in case else [])
            for row, expected in zip(rows, [case["respondent"], case.get("typed")]):
                assert ids[row - 2] == expected, (rule, case)
            if rule in ("speeder", "test_entry"):
                assert export["所用时间"][case["row"] - 2] == f"{case['seconds']}秒"
    test = cases["test_entry"][0]
    study = yaml.safe_load((demo_study / "study.yaml").read_text(encoding="utf-8"))
    assert study["screening"]["test_entry"]["ids"] == [test["respondent"]]
    assert pd.Timestamp(test["submitted"]) < pd.Timestamp(study["waves"][1]["date"])  # before the survey opened
    c2 = _survey(demo_study, "caregivers_w2_text.csv")
    first, again = c2.iloc[cases["duplicate"][1]["rows"][0] - 2], c2.iloc[cases["duplicate"][1]["rows"][1] - 2]
    assert first["来自IP"] == again["来自IP"] and first["2、您的姓名"] == again["2、您的姓名"]


def _gb11643_valid(number: str) -> bool:
    weights = [2 ** (17 - i) % 11 for i in range(17)]
    total = sum(int(d) * w for d, w in zip(number[:17], weights))
    return "10X98765432"[total % 11] == number[17]


def test_fake_personal_data_look_real(demo_study):
    roster = read_table(demo_study / "roster.csv")
    for column in ("id_number", "caregiver_id_number"):
        assert roster[column].map(_gb11643_valid).all()
        assert roster[column].str.fullmatch(r"\d{17}[\dX]").all()
    # 17th digit odd for men, even for women
    assert (roster.id_number.str[16].astype(int) % 2 == (roster.sex == "男").astype(int)).all()
    for column in ("phone", "caregiver_phone"):
        assert roster[column].str.fullmatch(r"1[3-9]\d{9}").all()
    assert roster.name.is_unique


# --- planted effects -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def large_study(tmp_path_factory):
    """40 times the demo (600 programme, 1,200 comparison residents)."""
    return demo.generate(tmp_path_factory.mktemp("large") / "study", seed=11, scale=40)


def _matrix_scores(df, number, scale):
    cols = [f"第{number}题(条目{i})" for i in range(1, scale.n_items + 1)]
    return df[cols].apply(lambda col: col.map(scale.options.index) + scale.first_code).sum(axis=1)


def _paired_change(study, population, scale, number, id_column):
    ext = "xlsx" if population == "residents" else "csv"
    w1 = _survey(study, f"{population}_w1_text.{ext}").drop_duplicates(id_column, keep="last")
    w2 = _survey(study, f"{population}_w2_text.csv")
    w2[id_column] = w2[id_column].str.upper()
    s1 = pd.Series(_matrix_scores(w1, number, scale).to_numpy(), index=w1[id_column])
    s2 = pd.Series(_matrix_scores(w2, number, scale).to_numpy(), index=w2[id_column])
    return (s2 - s1.reindex(s2.index)).dropna()


def _arm(study, population):
    roster = read_table(study / "roster.csv")
    key = "resident_id" if population == "residents" else "caregiver_id"
    return roster.set_index(key).arm


@pytest.mark.parametrize("population, scale, number, key", [
    ("residents", UCLA3, 10, "ucla3_total"),
    ("caregivers", ZBI12, 7, "zbi12_bedard_total"),
])
def test_score_changes_recover_the_planted_effects(large_study, population, scale, number, key):
    truth = json.loads((large_study / "truth.json").read_text(encoding="utf-8"))["expected"]["score_change"]
    change = _paired_change(large_study, population, scale, number, "1、受访者编号（由社工填写）")
    arm = _arm(large_study, population).reindex(change.index)
    for name in ("programme", "comparison"):
        x = change[arm == name]
        se = x.std(ddof=1) / np.sqrt(len(x))
        # attrition is MAR on loneliness, so allow a small selection shift beyond 4 SE
        assert abs(x.mean() - truth[name][key]) < 4 * se + 0.1, (name, x.mean(), truth[name][key])
    assert change[arm == "programme"].mean() < change[arm == "comparison"].mean() - 0.5


def test_programme_residents_gain_non_kin_alters(large_study):
    truth = json.loads((large_study / "truth.json").read_text(encoding="utf-8"))["expected"]["network_change"]
    a1 = read_table(large_study / "networks/alters_w1.csv")
    a2 = read_table(large_study / "networks/alters_w2.csv")
    egos = pd.Index(sorted(set(a2.ego_id) | set(_survey(large_study, "residents_w2_text.csv")
                                                   .iloc[:, 6].str.upper())))
    n1 = (~a1.relation.isin(KIN)).groupby(a1.ego_id).sum().reindex(egos, fill_value=0)
    n2 = (~a2.relation.isin(KIN)).groupby(a2.ego_id).sum().reindex(egos, fill_value=0)
    change = n2 - n1
    arm = _arm(large_study, "residents").reindex(egos)
    for name in ("programme", "comparison"):
        x = change[arm == name]
        assert abs(x.mean() - truth[name]["nonkin_alters"]) < 4 * x.std(ddof=1) / np.sqrt(len(x)) + 0.05


def test_more_respite_means_less_burden(large_study):
    c1 = _survey(large_study, "caregivers_w1_text.csv").set_index("1、受访者编号（由社工填写）")
    c2 = _survey(large_study, "caregivers_w2_text.csv").set_index("1、受访者编号（由社工填写）")
    hours_col = next(c for c in c1.columns if c.startswith("11、"))
    common = c1.index.intersection(c2.index)
    respite = pd.to_numeric(c2.loc[common, hours_col]) - pd.to_numeric(c1.loc[common, hours_col])
    burden = (_matrix_scores(c2.loc[common], 7, ZBI12) - _matrix_scores(c1.loc[common], 7, ZBI12))
    keep = respite.abs() < 100  # the planted out-of-range value
    slope = np.polyfit(respite[keep], burden[keep], 1)[0]
    assert slope < -0.3


def test_scale_parameter_multiplies_the_study():
    design = demo.DemoDesign().scaled(2000)
    assert design.n_residents == 90_000
    assert design.n_volunteers_trained == 30_000 + 26_000


# --- realism checks found by a new-user review ----------------------------------------------

def test_relatives_are_plausible(demo_study):
    roster = read_table(demo_study / "roster.csv")
    for wave in (1, 2):
        alters = read_table(demo_study / f"networks/alters_w{wave}.csv")
        parents = alters[alters.relation.isin(["母亲", "父亲"])]
        assert not parents.duplicated(["ego_id", "relation"]).any()  # one mother, one father at most
        assert (alters.loc[alters.relation == "母亲", "sex"] == "女").all()
        assert not alters.duplicated(["ego_id", "alter_name"]).any()  # names tell alters apart
        female_terms = alters.alter_name.isin(["姐姐", "妹妹", "奶奶", "外婆", "姑姑", "小姨", "表姐"])
        assert (alters.loc[female_terms, "sex"] == "女").all()
    same_family = roster[roster.caregiver_relation.isin(["父亲", "祖父", "兄弟姐妹"])]
    assert (same_family.caregiver_name.str[0] == same_family.name.str[0]).all()
    grand = roster[roster.caregiver_relation.isin(["祖母", "祖父"])]
    ages = pd.to_datetime(grand.caregiver_birth_date).dt.year
    assert ages.nunique() > 1 and (2024 - ages).max() < 85


def test_buddy_in_the_network_is_the_matched_volunteer(demo_study):
    volunteers = read_table(demo_study / "process/volunteers.csv")
    buddy_of = volunteers.set_index("matched_resident_id")[["name", "sex"]]
    a2 = read_table(demo_study / "networks/alters_w2.csv")
    buddies = a2[a2.relation == "志愿者（老友）"].set_index("ego_id")
    assert (buddies.alter_name == buddy_of.loc[buddies.index, "name"]).all()
    assert (buddies.sex == buddy_of.loc[buddies.index, "sex"]).all()


def test_comparison_group_does_not_report_programme_experiences(demo_study):
    responses = read_table(demo_study / "open_ended/responses.csv")
    roster = read_table(demo_study / "roster.csv")
    arm = dict(zip(roster.resident_id, roster.arm)) | dict(zip(roster.caregiver_id, roster.arm))
    comparison = responses[responses.respondent_id.map(arm) == "comparison"]
    assert not comparison.answer_text.str.contains("老友|家长小组|篮球|生日会").any()
    caregivers = responses[responses.respondent_type == "caregiver"]
    assert not caregivers.answer_text.str.contains("和爸妈").any()


def test_programme_starts_after_the_baseline_survey(demo_study):
    w1 = _survey(demo_study, "residents_w1_text.xlsx")
    last_baseline = pd.to_datetime(w1["提交答卷时间"], format="%Y/%m/%d %H:%M:%S").max()
    for name, column in (("buddy_contacts", "date"), ("activity_attendance", "date")):
        first = pd.to_datetime(read_table(demo_study / f"process/{name}.csv")[column]).min()
        assert first > last_baseline
    c1 = _survey(demo_study, "caregivers_w1_text.csv")
    assert (c1["13、过去三个月您参加了几次小组活动？"] == "(跳过)").all()  # the group did not exist yet


def test_job_in_survey_matches_the_placement_record(demo_study):
    jobs = read_table(demo_study / "process/job_placements.csv")
    w2 = _survey(demo_study, "residents_w2_text.csv").set_index("1、受访者编号（由社工填写）")
    for rid, employer, status in zip(jobs.resident_id, jobs.employer_type, jobs.status_at_follow_up):
        if status == "在岗" and rid in w2.index:
            answer = w2.loc[rid, "8、您在哪里工作？"]
            assert answer == employer or answer == f"其他〖{employer}〗"


def test_scale_must_be_positive():
    with pytest.raises(LaoyouError, match="positive"):
        demo.DemoDesign().scaled(0)


def test_sample_network_truth_follows_from_the_wave_one_networks(demo_study):
    """E[Δ non-kin] = new − p_lost · non-kin₁ for the completers, recomputed from the raw files."""
    effects = demo.DemoDesign().effects
    truth = json.loads((demo_study / "truth.json").read_text(encoding="utf-8"))["expected"]["sample_network_change"]
    a1 = read_table(demo_study / "networks/alters_w1.csv")
    roster = read_table(demo_study / "roster.csv").set_index("resident_id")
    completers = set(_survey(demo_study, "residents_w2_text.csv").iloc[:, 6].str.upper())
    comparison = sorted(r for r in completers if roster.loc[r, "arm"] == "comparison")
    nonkin = (~a1.relation.isin(KIN)).groupby(a1.ego_id).sum().reindex(comparison, fill_value=0)
    kin = a1.relation.isin(KIN).groupby(a1.ego_id).sum().reindex(comparison, fill_value=0)
    expected = effects.new_nonkin_organic - effects.p_alter_lost * nonkin.mean()
    assert truth["comparison"]["nonkin_alters"] == pytest.approx(expected, abs=1e-3)
    assert truth["comparison"]["kin_alters"] == pytest.approx(-effects.p_alter_lost * kin.mean(), abs=1e-3)


# --- other study shapes (issue 11, point 8) --------------------------------------------------

OTHER_PRESETS = [name for name in PRESETS if name != "demo"]


@pytest.fixture(scope="session")
def shaped(tmp_path_factory):
    root = tmp_path_factory.mktemp("shapes")
    return {name: demo.generate(root / name, shape=name) for name in OTHER_PRESETS}


def _study_yaml(folder):
    return yaml.safe_load((folder / "study.yaml").read_text(encoding="utf-8"))


def test_demo_preset_is_the_committed_demo(tmp_path):
    assert tree_digest(demo.generate(tmp_path / "d", shape="demo")) == tree_digest(REPO / "data" / "raw" / "demo")


@pytest.mark.parametrize("name", OTHER_PRESETS)
def test_study_yaml_declares_exactly_the_files_of_the_folder(shaped, name):
    folder, shape = shaped[name], preset(name)
    doc = _study_yaml(folder)
    on_disk = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}
    assert set(doc["files"]) == on_disk
    assert {s["file"] for s in doc["surveys"]} == {p for p, f in doc["files"].items() if f["kind"].startswith("wjx_")}
    assert sorted(doc["populations"]) == sorted(shape.populations)
    assert {s["population"] for s in doc["surveys"]} == set(shape.populations)
    assert doc["outcomes"] == {p: list(getattr(shape, p)) for p in shape.populations}
    assert [w["label"] for w in doc["waves"].values()] == [w.label for w in shape.waves]
    assert list(doc["waves"]) == list(range(1, len(shape.waves) + 1))
    assert set(doc["arms"]) == set(shape.arms)
    assert ("networks" in doc) == shape.ego_networks
    assert doc.get("context", {}) == {k: list(v) if isinstance(v, tuple) else v for k, v in shape.context}
    kinds = {f["kind"] for f in doc["files"].values()}
    assert ("alters" in kinds) == shape.ego_networks
    assert ("group_ties" in kinds) == shape.group_network
    assert ("open_responses" in kinds) == shape.open_ended
    assert kinds & {"volunteers", "training", "contacts", "attendance", "jobs"} == set(shape.process)
    for path, entry in doc["files"].items():  # per-wave files carry the wave of their _w<N> suffix
        match = re.search(r"_w(\d+)", path)
        if match:
            assert entry["wave"] == int(match.group(1)), path
    # the demo's facts never leak into another study
    text = (folder / "study.yaml").read_text(encoding="utf-8") + (folder / "README.md").read_text(encoding="utf-8")
    assert "青云" not in text and "基线 baseline" not in text or name == "three_waves"


@pytest.mark.parametrize("name", OTHER_PRESETS)
def test_codebooks_code_every_export_into_the_declared_instruments(shaped, name):
    folder, shape = shaped[name], preset(name)
    doc = _study_yaml(folder)
    for survey in doc["surveys"]:
        book = coding.Codebook.read(folder / survey["codebook"])
        assert list(book.scales["instrument"]) == list(getattr(shape, survey["population"]))
        raw = io.read_wjx(folder / survey["file"], layout=survey["layout"])
        coded = coding.apply(raw, book)
        assert not (coded.quality["issue"].isin(["unknown_option", "missing_column", "unexpected_column"])).any()
        for name_ in getattr(shape, survey["population"]):
            inst = instruments.get(name_)
            values = coded.data[inst.items].to_numpy(dtype=float)
            assert np.nanmin(values) >= min(inst.item_min) and np.nanmax(values) <= max(inst.item_max)
        n_people = coded.data[book.id_column].str.upper().nunique()
        expected = doc and json.loads((folder / "truth.json").read_text(encoding="utf-8"))["sizes"]
        if survey["wave"] > 1:
            assert n_people == expected[f"{survey['population']}_w{survey['wave']}"]


def test_single_group_has_no_comparison_arm_anywhere(shaped):
    folder = shaped["single_group"]
    roster = read_table(folder / "roster.csv")
    assert "comparison" not in set(roster.arm)
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    assert set(truth["expected"]["score_change"]) == {"programme"}
    assert set(truth["expected"]["sample_score_change"]) == {"programme"}


def test_three_waves_plant_a_growing_effect_and_monotone_attrition(shaped):
    folder = shaped["three_waves"]
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    by_wave = truth["expected"]["score_change_by_wave"]
    w2, w3 = by_wave["2"]["programme"]["ucla3_total"], by_wave["3"]["programme"]["ucla3_total"]
    assert w3 < w2 < 0  # the shift grows from 60 % to 100 % of the planted one
    assert w2 / w3 == pytest.approx(0.6, abs=0.05)
    sizes = truth["sizes"]
    assert sizes["residents_w3"] <= sizes["residents_w2"] <= 24
    w3_ids = set(read_table(folder / "surveys/residents_w3_text.csv")["1、受访者编号（由社工填写）"].str.upper())
    w2_ids = set(read_table(folder / "surveys/residents_w2_text.csv")["1、受访者编号（由社工填写）"].str.upper())
    assert w3_ids <= w2_ids
    assert "context" not in _study_yaml(folder)


def test_caregivers_only_study_has_a_group_network_and_no_resident_files(shaped):
    folder = shaped["caregivers_group_network"]
    assert not list(folder.glob("surveys/residents*")) and not (folder / "networks").exists()
    members = read_table(folder / "parents_group/members.csv")
    assert len(members) == 10
    caregivers = set(read_table(folder / "surveys/caregivers_w1_text.csv")["1、受访者编号（由社工填写）"])
    assert set(members.caregiver_id) <= caregivers


def test_same_seed_same_bytes_for_another_shape(tmp_path, shaped):
    again = demo.generate(tmp_path / "again", shape="residents_two_scales_no_networks")
    assert tree_digest(again) == tree_digest(shaped["residents_two_scales_no_networks"])
    other = tree_digest(demo.generate(tmp_path / "other", seed=3, shape="residents_two_scales_no_networks"))
    assert other["surveys/residents_w1_text.csv"] != tree_digest(again)["surveys/residents_w1_text.csv"]


def test_planted_effect_of_a_catalogue_instrument_is_recovered(tmp_path):
    """ULS-8 (reverse items 3 and 6, not a demo instrument): coded and scored by the package,
    the programme's paired change matches the sample truth within sampling error."""
    folder = demo.generate(tmp_path / "big", shape="single_group", scale=12)
    doc = _study_yaml(folder)
    book = coding.Codebook.read(folder / "codebooks/residents.yaml")
    scores = {}
    for survey in doc["surveys"]:
        if survey["population"] == "residents":
            data = coding.apply(io.read_wjx(folder / survey["file"]), book).data
            data = data.assign(resident_id=data.resident_id.str.upper()).drop_duplicates("resident_id", keep="last")
            scores[survey["wave"]] = scoring.score(data, "uls8").set_index(data.resident_id)["uls8_total"]
    change = (scores[2] - scores[1].reindex(scores[2].index)).dropna()
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))["expected"]
    target = truth["sample_score_change"]["programme"]["uls8_total"]
    se = change.std(ddof=1) / np.sqrt(len(change))
    assert len(change) > 150
    assert target < -1  # a real planted improvement (loneliness falls)
    assert abs(change.mean() - target) < 4 * se


def test_custom_shapes_are_checked_and_a_single_wave_works(tmp_path):
    with pytest.raises(LaoyouError, match="Unknown keys"):
        shape_from_mapping({"residents": ["ucla3"], "colour": "blue"})
    with pytest.raises(LaoyouError, match="unknown instruments"):
        shape_from_mapping({"residents": ["not_a_scale"]})
    with pytest.raises(LaoyouError, match="cannot be simulated"):
        shape_from_mapping({"residents": ["ssrs"]})
    with pytest.raises(LaoyouError, match="ego networks"):
        shape_from_mapping({"residents": [], "caregivers": ["k6"]})
    one = shape_from_mapping({"preset": "single_group", "name": "pilot", "open_ended": False,
                              "waves": [{"label": "前测 pre-test", "date": "2025-03-01"}]})
    folder = demo.generate(tmp_path / "pilot", shape=one)
    doc = _study_yaml(folder)
    assert list(doc["waves"]) == [1] and {s["wave"] for s in doc["surveys"]} == {1}
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    assert "score_change" not in truth["expected"] and truth["shape"]["name"] == "pilot"
