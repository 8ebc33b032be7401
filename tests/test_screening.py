"""Response-quality screening: each screen finds exactly its planted cases, flags without
deleting, never writes an IP address, and rejects bad expressions and settings."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from laoyou_eval import coding, outcomes
from laoyou_eval.coding import Codebook
from laoyou_eval.coding.expressions import compile_expression, instance
from laoyou_eval.coding.screening import (
    RULES,
    ScreeningSettings,
    ScreeningWarning,
    screen,
    sensitivity,
    summary,
    without,
)
from laoyou_eval.coding.sentences import methods_text
from laoyou_eval.errors import LaoyouError
from laoyou_eval.io import read_wjx
from laoyou_eval.quality import QUALITY_COLUMNS

PSS = ["从不", "偶尔", "有时", "时常", "总是"]          # codes 0..4; PSS-4 reverses items 2 and 3
K10 = ["几乎没有", "较少", "有时", "大部分时间", "全部时间"]  # codes 1..5; K10 has no reverse keys
NEEDS = {"respite": "喘息服务", "counsel": "心理支持", "policy": "政策咨询", "none": "都不需要"}
PSS_H = [f"第7题(条目{i})" for i in range(1, 5)]
K10_H = [f"第8题(条目{i})" for i in range(1, 11)]
HEADERS = {"id": "1、受访者编号", "name": "2、您的姓名", "age": "3、您的年龄", "years": "4、您照顾孩子多少年了？",
           "works": "5、您目前是否工作？", "hours": "6、每周工作多少小时？", "needs": "9、您最需要哪些支持？（多选）"}
IPS = {"home": "10.0.0.{}(云南-昆明)", "office": "172.16.5.9(云南-昆明)", "shared": "192.168.7.7(云南-昆明)"}


def _codebook(**extra) -> Codebook:
    survey = [
        {"type": "text", "name": "cid", "header": HEADERS["id"]},
        {"type": "text", "name": "name", "header": HEADERS["name"], "privacy": "drop"},
        {"type": "integer", "name": "age", "header": HEADERS["age"], "constraint": ". >= 18 and . <= 100"},
        {"type": "integer", "name": "years", "header": HEADERS["years"], "constraint": ". <= ${age}",
         "constraint_message::zh": "照顾年数不能超过年龄", "constraint_message::en": "years caring exceed age"},
        {"type": "select_one yesno", "name": "works", "header": HEADERS["works"]},
        {"type": "integer", "name": "hours", "header": HEADERS["hours"], "relevant": "${works} = 1"},
        *[{"type": "select_one pss", "name": f"pss4_{i}", "header": h} for i, h in enumerate(PSS_H, 1)],
        *[{"type": "select_one k10", "name": f"k10_{i}", "header": h} for i, h in enumerate(K10_H, 1)],
        {"type": "select_multiple needs", "name": "needs", "header": HEADERS["needs"]},
    ]
    for row in survey:
        row.update(extra.get(row["name"], {}))
    choices = ([{"list_name": "yesno", "name": "1", "label::zh": "是"}, {"list_name": "yesno", "name": "2", "label::zh": "否"}]
               + [{"list_name": "pss", "name": str(i), "label::zh": t} for i, t in enumerate(PSS)]
               + [{"list_name": "k10", "name": str(i), "label::zh": t} for i, t in enumerate(K10, 1)]
               + [{"list_name": "needs", "name": k, "label::zh": v} for k, v in NEEDS.items()])
    scales = [{"scale": "pss4", "instrument": "pss4"}, {"scale": "k10", "instrument": "k10"}]
    settings = {"id": "cid", **extra.get("settings", {})}
    return Codebook.from_tables(survey, choices, scales=scales, settings=settings, source="caregivers.yaml")


def _submission(n: int, cid: str, **changes) -> dict:
    """A careful respondent: varied answers, plenty of time, its own device."""
    row = {"序号": str(n), "提交答卷时间": f"2024/3/{10 + n % 15} 10:{n % 60:02d}:00", "所用时间": f"{400 + 7 * n}秒",
           "来源": "微信", "来源详情": "微信群：家长群", "来自IP": IPS["home"].format(n),
           HEADERS["id"]: cid, HEADERS["name"]: f"张{n}", HEADERS["age"]: str(40 + n % 20),
           HEADERS["years"]: str(3 + n % 9), HEADERS["works"]: "是" if n % 2 else "否",
           HEADERS["hours"]: str(20 + n) if n % 2 else "(跳过)", HEADERS["needs"]: "喘息服务┋心理支持" if n % 3 else "政策咨询"}
    for j, h in enumerate(PSS_H):
        row[h] = PSS[(n + 2 * j) % 5]
    for j, h in enumerate(K10_H):
        row[h] = K10[(n + j) % 5]
    for key, value in changes.items():
        row[HEADERS.get(key, key)] = value
    return row


#: Planted cases (respondent -> the rule that must flag it).
PLANTED = {"C02": "speeder", "C03": "straightline", "C05": "straightline", "C06": "test_entry",
           "C07": "duplicate", "C08": "duplicate", "C10": "contradiction", "C11": "skip_violation",
           "C12": "skip_violation", "C13": "contradiction", "C14": "test_entry", "T99": "test_entry"}


def _export(tmp_path):
    rows = [_submission(n, f"C{n:02d}") for n in range(1, 21)]
    rows[1] |= {"所用时间": "25秒"}                                               # C02 speeder
    rows[2] |= {h: "总是" for h in PSS_H}                                          # C03: reverse-keyed straight line
    rows[3] |= {h: "有时" for h in PSS_H}                                          # C04: midpoint (not flagged)
    rows[4] |= {h: "有时" for h in K10_H}                                          # C05: long string, no reverse keys
    rows[5] |= {"提交答卷时间": "2024/3/1 09:00:00"}                                # C06: before the start date
    rows[7] = _submission(7, "C08") | {"来自IP": IPS["office"], "序号": "8", HEADERS["age"]: "50"}
    rows[6] |= {"来自IP": IPS["office"]}                                           # C07 + C08: one device, same answers
    rows[8] |= {"来自IP": IPS["shared"]}                                           # C09 + C01: one device,
    rows[0] |= {"来自IP": IPS["shared"]}                                           # different answers (not flagged)
    rows[9] |= {HEADERS["years"]: "61", HEADERS["age"]: "45"}                      # C10: caring longer than alive
    rows[10] |= {HEADERS["works"]: "否", HEADERS["hours"]: "30"}                    # C11: answered, not relevant
    rows[11] |= {HEADERS["works"]: "是", HEADERS["hours"]: "(跳过)"}                # C12: relevant, skipped
    rows[12] |= {HEADERS["needs"]: "都不需要┋喘息服务"}                              # C13: study rule
    rows[13] |= {"来源": "手机预览"}                                                # C14: declared test source
    rows.append(_submission(21, "T99"))                                            # declared test id
    path = tmp_path / "caregivers_w1_text.csv"
    pd.DataFrame(rows).to_csv(path, index=False, encoding="utf-8-sig")
    return path


STUDY = {"test_entry": {"before": {1: "2024-03-09"}, "ids": ["t99"], "sources": ["手机预览"]},
         "contradiction": {"rules": [{"name": "none_alone", "expression":
                                      "not(selected(${needs}, 'none') and count-selected(${needs}) > 1)",
                                      "message_zh": "“都不需要”不能与其他选项同选",
                                      "message_en": "'none' ticked with another need"}]}}


@pytest.fixture()
def export(tmp_path):
    return _export(tmp_path)


def _screen(export, codebook=None, settings=STUDY, **kw):
    raw = read_wjx(export)
    coded = coding.apply(raw, codebook or _codebook(), wave=1)
    return screen(raw, coded, wave=1, settings=settings, **kw), coded


def _flagged(result, rule):
    return set(result.flags.loc[result.flags[rule], "respondent_id"])


def test_every_planted_case_and_nothing_else_is_flagged(export):
    result, coded = _screen(export)
    for rule in RULES:
        assert _flagged(result, rule) == {r for r, planted in PLANTED.items() if planted == rule}, rule
    assert set(result.flags.loc[result.flags.flagged, "respondent_id"]) == set(PLANTED)
    assert len(result.flags) == len(coded.data) == 21       # flags, not deletions
    assert not result.flags.excluded.any() and (result.flags.excluded_by == "").all()
    assert list(result.quality.columns) == list(QUALITY_COLUMNS)
    assert set(result.quality.issue) == {f"screen_{r}" for r in RULES}
    assert set(result.quality.action) == {"flagged; kept"}


def test_quality_rows_say_where_and_why(export):
    result, _ = _screen(export)
    q = result.quality.set_index("respondent")
    assert q.loc["C02", "row"] == 3 and q.loc["C02", "column"] == "所用时间"
    # default threshold: 2 s × answered items (cid, name, age, years, works, 4 PSS, 10 K10, needs = 20; hours skipped)
    assert "25 s, under 40 s (2 s × 20 items)" in q.loc["C02", "message_en"]
    pss = q.loc[["C03"]]
    assert pss.column.tolist() == ["pss4"] and "reverse-keyed and forward items all answered 4" in pss.message_en.iloc[0]
    assert q.loc["C05", "value"] == "10/10"
    years = q.loc[["C10"]]
    assert years.column.tolist() == [HEADERS["years"]] and years.value.tolist() == ["61"]
    assert "years caring exceed age" in years.message_en.iloc[0]
    assert q.loc["C11", "value"] == "answered" and q.loc["C12", "value"] == "skipped"
    assert q.loc["C13", "value"] == "none_alone"
    dup = q.loc[["C07", "C08"]]
    assert dup.column.tolist() == ["来自IP", "来自IP"]
    assert dup.value.tolist() == ["95%", "95%"]        # 18 of 19 answered questions agree (age differs)
    assert "row 9" in dup.message_en.iloc[0] and "row 8" in dup.message_en.iloc[1]


def test_no_ip_or_personal_text_in_any_output(export):
    result, _ = _screen(export)
    raw = read_wjx(export)
    secrets = set(raw["ip"].str.split("(").str[0]) | set(raw["source_detail"]) | set(raw[HEADERS["name"]])
    cells = [str(v) for frame in (result.flags, result.quality) for v in frame.to_numpy().ravel()]
    assert not any(secret in cell for secret in secrets for cell in cells)


def test_speeder_threshold_fixed_and_everyone_flagged_is_a_warning(export):
    fixed, _ = _screen(export, settings=STUDY | {"speeder": {"min_seconds": 410}})
    durations = read_wjx(export).set_index(HEADERS["id"])["duration_s"]
    assert _flagged(fixed, "speeder") == set(durations.index[durations < 410])
    with pytest.warns(ScreeningWarning, match="flags all 21 submissions"):
        everyone, _ = _screen(export, settings=STUDY | {"speeder": {"min_seconds": 10_000, "exclude": True}})
    assert everyone.flags.speeder.all() and not everyone.flags.excluded.any()
    warning = everyone.quality[everyone.quality.issue == "screen_flags_everyone"]
    assert warning.value.tolist() == ["21/21"]
    assert set(everyone.quality.loc[everyone.quality.issue == "screen_speeder", "action"]) == {"flagged; kept"}


def test_exclusion_only_where_settings_say_so(export):
    result, _ = _screen(export, settings=STUDY | {"test_entry": STUDY["test_entry"] | {"exclude": True}})
    excluded = set(result.flags.loc[result.flags.excluded, "respondent_id"])
    assert excluded == {"C06", "C14", "T99"}
    assert set(result.flags.loc[result.flags.excluded, "excluded_by"]) == {"test_entry"}
    counts = result.summary().set_index("rule")
    assert counts.loc["test_entry", ["flagged", "excluded"]].tolist() == [3, 3]
    assert counts.loc["any", ["screened", "flagged", "excluded"]].tolist() == [21, 12, 3]
    actions = result.quality.groupby("issue").action.agg(set)
    assert actions["screen_test_entry"] == {"flagged; excluded from analysis"}
    assert actions["screen_speeder"] == {"flagged; kept"}


def test_straightline_options(export):
    # without the midpoint exception, C04 (all 有时 on PSS-4) contradicts the reverse keys too
    strict, _ = _screen(export, settings=STUDY | {"straightline": {"midpoint_ok": False}})
    assert _flagged(strict, "straightline") == {"C03", "C04", "C05"}
    # K10 is below min_items = 11, and reverse-key checking switched off: nobody
    off, _ = _screen(export, settings=STUDY | {"straightline": {"min_items": 11, "reverse_keyed": False}})
    assert _flagged(off, "straightline") == set()
    # a run of 5 identical answers on the 10 items: C05 plus anyone with such a run
    runs, _ = _screen(export, settings=STUDY | {"straightline": {"max_run": 5, "reverse_keyed": False}})
    assert _flagged(runs, "straightline") == {"C05"}


def test_duplicates_by_device_need_similar_answers_unless_told_otherwise(export):
    any_shared, _ = _screen(export, settings=STUDY | {"duplicate": {"similarity": None}})
    assert _flagged(any_shared, "duplicate") == {"C01", "C07", "C08", "C09"}
    ids_only, _ = _screen(export, settings=STUDY | {"duplicate": {"same_device": False}})
    assert _flagged(ids_only, "duplicate") == set()


def test_resubmission_of_one_identifier_is_flagged_before_coding_drops_it(tmp_path):
    rows = [_submission(n, f"C{n:02d}") for n in range(1, 6)] + [_submission(6, "c03 ")]
    path = tmp_path / "export.csv"
    pd.DataFrame(rows).to_csv(path, index=False, encoding="utf-8-sig")
    raw = read_wjx(path)
    coded = coding.apply(raw, _codebook(), wave=1)                  # keeps the last of C03's two submissions
    result = screen(raw, coded, wave=1)
    assert len(result.flags) == 5
    hit = result.quality[result.quality.issue == "screen_duplicate"]
    assert hit.respondent.tolist() == ["C03"] and hit.row.tolist() == [7]
    assert "see also rows 4" in hit.message_en.iloc[0]


def test_group_relevance_applies_to_the_questions_inside(export):
    book = _codebook()
    survey = book.survey.to_dict("records")
    hours = next(i for i, r in enumerate(survey) if r["name"] == "hours")
    survey[hours]["relevant"] = ""
    survey[hours:hours + 1] = [{"type": "begin group", "name": "job", "relevant": "${works} = 1"}, survey[hours],
                               {"type": "end group"}]
    grouped = Codebook.from_tables(survey, book.choices, scales=book.scales, settings=book.settings)
    result, _ = _screen(export, grouped)
    assert _flagged(result, "skip_violation") == {"C11", "C12"}


def test_codebook_settings_override_the_study(export):
    book = _codebook(settings={"screening.speeder.min_seconds": "410", "screening.test_entry.ids": "[T99]"})
    raw = read_wjx(export)
    coded = coding.apply(raw, book, wave=1)
    settings = ScreeningSettings.from_sources({"speeder": {"min_seconds": 30}}, book)
    assert settings["speeder"]["min_seconds"] == 410 and settings["test_entry"]["ids"] == ["T99"]
    result = screen(raw, coded, wave=1, settings=settings)
    assert "T99" in _flagged(result, "test_entry")


@pytest.mark.parametrize("cell, message", [
    (". >= 18 and", "not a valid XLSForm/XPath expression"),
    (". <= ${agee}", "${agee}, which is not a question"),
    ("today() > .", "Unregistered function"),
    (". != ${name}", "dropped for privacy"),
])
def test_bad_expression_names_the_codebook_row(export, cell, message):
    book = _codebook(age={"constraint": cell})
    with pytest.raises(LaoyouError, match=message.replace("$", r"\$").replace("(", r"\(")) as error:
        _screen(export, book)
    assert error.value.row == 4 and error.value.column == "constraint"   # survey sheet row 4 = question age
    assert error.value.file == "caregivers.yaml" and error.value.zh and error.value.en


def test_bad_study_rule_and_bad_settings(export):
    with pytest.raises(LaoyouError, match=r"rules\[0\]"):
        _screen(export, settings={"contradiction": {"rules": [{"name": "x", "expression": "${age} >"}]}})
    for bad, key in [({"speeder": {"min_secs": 9}}, "screening.speeder.min_secs"),
                     ({"speedster": {}}, "screening.speedster"),
                     ({"duplicate": {"similarity": 1.5}}, "screening.duplicate.similarity"),
                     ({"test_entry": {"before": "not a date"}}, "screening.test_entry.before"),
                     ({"speeder": {"exclude": "yes"}}, "screening.speeder.exclude")]:
        with pytest.raises(LaoyouError) as error:
            ScreeningSettings.from_sources(bad, source="study.yaml")
        assert error.value.column == key and error.value.file == "study.yaml"


def test_expressions_follow_xpath_and_odk_semantics():
    def holds(text, values, current=None):
        return compile_expression(text, set(values)).holds(instance(values), current=current)

    assert holds("${a} > 17", {"a": "18"}) and not holds("${a} > 17", {"a": ""})   # empty is NaN
    assert holds("${a} + ${b} = 7 and ${a} * 2 = 8 and ${b} mod 2 = 1", {"a": "4", "b": "3"})
    assert holds("selected(${m}, 'x') and not(selected(${m}, 'z'))", {"m": "x y"})
    assert holds("count-selected(${m}) = 2 and selected-at(${m}, 1) = 'y'", {"m": "x y"})
    assert holds("string-length(.) = 3 and regex(., '^[A-Z]\\d+$')", {"q": "C12"}, current="q")
    assert holds("if(${a} > 1, 'big', 'small') = 'big' and int(${a} div 3) = 1", {"a": "4"})
    assert holds("coalesce(${a}, 'none') = 'none'", {"a": ""})


def _long_scores():
    rng = np.random.default_rng(19)
    ids = [f"C{n:02d}" for n in range(1, 13)]
    pre = rng.normal(20, 4, len(ids))
    post = pre - 2 + rng.normal(0, 2, len(ids))
    post[[2, 5]] += 9               # the two flagged respondents change in the other direction
    scores = pd.DataFrame({"respondent_id": ids * 2, "wave": [1] * 12 + [2] * 12, "stress": [*pre, *post]})
    flags = pd.DataFrame({"respondent_id": ids, "wave": 1, **{rule: False for rule in RULES}})
    flags.loc[[2, 5], "speeder"] = True
    flags.loc[[5], "test_entry"] = True
    flags["flagged"] = flags[list(RULES)].any(axis=1)
    flags["excluded"] = flags["test_entry"]
    flags["excluded_by"] = np.where(flags["test_entry"], "test_entry", "")
    return scores, flags, pre, post


def test_sensitivity_matches_the_analysis_run_by_hand():
    scores, flags, pre, post = _long_scores()
    table = sensitivity(scores, flags, lambda d: outcomes.paired_table(d, ["stress"], "wave", "respondent_id"),
                        by_rule=True)
    assert table["sample"].tolist() == ["all", "without_excluded", "without_flagged", "without_speeder",
                                        "without_test_entry"]
    assert table["removed"].tolist() == [0, 1, 2, 2, 1]
    by_hand = {"all": np.arange(12), "without_flagged": np.setdiff1d(np.arange(12), [2, 5]),
               "without_excluded": np.setdiff1d(np.arange(12), [5])}
    for sample, keep in by_hand.items():
        expected = outcomes.paired(pre[keep], post[keep])
        row = table[table["sample"] == sample].iloc[0]
        assert row.n == len(keep)
        assert row.d_z == pytest.approx(float(expected.d_z.iloc[0]))
        assert row.mean_diff == pytest.approx(float(np.mean(post[keep] - pre[keep])))
    assert table.loc[table["sample"] == "without_flagged", "mean_diff"].iloc[0] < table.loc[0, "mean_diff"]
    wide = table.pivot(index="outcome", columns="sample", values="d_z")
    assert list(wide.index) == ["stress"] and wide.shape == (1, 5)


def test_without_removes_by_respondent_or_by_observation():
    scores, flags, _, _ = _long_scores()
    flags = pd.concat([flags, flags.assign(wave=2, speeder=False, flagged=False, excluded=False)], ignore_index=True)
    by_person = without(scores, flags, column="speeder")
    assert by_person.attrs["removed"] == 2 and len(by_person) == 20
    by_wave = without(scores, flags, column="speeder", unit="observation")
    assert len(by_wave) == 22 and set(by_wave.loc[by_wave.respondent_id == "C03", "wave"]) == {2}


def test_methods_text_states_rules_thresholds_and_counts(export):
    settings = ScreeningSettings.from_sources(STUDY | {"test_entry": STUDY["test_entry"] | {"exclude": True}})
    result, _ = _screen(export, settings=settings)
    en = methods_text(result.settings, result.flags, lang="en")
    zh = methods_text(result.settings, result.flags, lang="zh")
    assert "21 screened, 12 flagged" in en and "2 s per answered item (Huang et al., 2012)" in en
    assert "test or pilot submission (3)" in en and "3 in all" in en
    assert "85% identical answers (Kuriakose & Robbins, 2016)" in en and "one of 1 study rules" in en
    assert "共筛查 21 份答卷，12 份" in zh and "共排除 3 份" in zh and "Huang 等，2012" in zh
    counts = summary(result.flags, result.settings).set_index("rule")
    for rule in RULES:
        assert f"({counts.at[rule, 'flagged']} flagged)" in en


def test_clean_survey_flags_nobody(tmp_path):
    path = tmp_path / "clean.csv"
    pd.DataFrame([_submission(n, f"C{n:02d}") for n in range(1, 11)]).to_csv(path, index=False, encoding="utf-8-sig")
    raw = read_wjx(path)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ScreeningWarning)
        result = screen(raw, coding.apply(raw, _codebook(), wave=1), wave=1, settings=STUDY)
    assert not result.flags.flagged.any() and result.quality.empty
    assert "no submission was excluded" in methods_text(result.settings, result.flags, lang="en")


# --- identifiers beyond the IP address ----------------------------------------------------------

def test_resubmission_is_linked_by_wechat_account_or_personal_answer_not_by_a_group(tmp_path):
    rows = [_submission(n, f"C{n:02d}") for n in range(1, 11)]
    rows[2] = _submission(2, "C03") | {"序号": "3"}                   # C02's answers again, other IP …
    rows[2] |= {"来自IP": "10.9.9.9(云南-昆明)", HEADERS["name"]: "张2"}  # … same name (a personal question)
    rows[4] |= {"来源详情": "微信：张妈妈"}                                # C05 and C06: one WeChat account,
    rows[5] = _submission(5, "C06") | {"序号": "6", "来源详情": "微信：张妈妈", HEADERS["name"]: "李四"}
    rows[5] |= {"来自IP": "10.8.8.8(云南-昆明)", HEADERS["age"]: "41"}      # another IP and name, near-same answers
    rows[6] |= {"来源详情": "微信：王姐"}                                  # C07 and C08: one account, different
    rows[7] |= {"来源详情": "微信：王姐"}                                  # answers (not flagged)
    path = tmp_path / "caregivers_w1_text.csv"
    pd.DataFrame(rows).to_csv(path, index=False, encoding="utf-8-sig")
    result, _ = _screen(path, settings={})
    assert _flagged(result, "duplicate") == {"C02", "C03", "C05", "C06"}  # "微信群：家长群" is shared by all
    q = result.quality.set_index("respondent")
    assert q.loc["C03", "column"] == HEADERS["name"] and "answer to 2、您的姓名 as row 3" in q.loc["C03", "message_en"]
    assert q.loc["C06", "column"] == "来源详情" and "WeChat account" in q.loc["C06", "message_en"]
    off, _ = _screen(path, settings={"duplicate": {"same_device": False}})
    assert _flagged(off, "duplicate") == set()


def test_identifier_keys_are_keyed_hashes(export):
    from laoyou_eval.coding.screening import identifier_keys
    from laoyou_eval.privacy import Pseudonymiser

    raw = read_wjx(export).assign(source_detail=lambda d: ["微信：张妈妈"] + list(d.source_detail[1:]))
    keyer = Pseudonymiser(b"k" * 32)
    keys = identifier_keys(raw, _codebook(), keyer)
    assert list(keys.columns) == ["来自IP", "来源详情", HEADERS["name"]]   # the id column is compared as such
    assert keys.loc[0, "来自IP"] == keyer("192.168.7.7", kind="screen:ip")  # location suffix dropped
    assert keys.loc[0, "来源详情"] == keyer("张妈妈", kind="screen:wechat")
    assert (keys.loc[1:, "来源详情"] == "").all()                          # a group names nobody
    assert keys.loc[3, HEADERS["name"]] == keyer("张4", kind=f"screen:{HEADERS['name']}")
    other = identifier_keys(raw, _codebook(), Pseudonymiser(b"x" * 32))
    assert not (other["来自IP"] == keys["来自IP"]).any()                   # nothing readable without the key
    assert keys["来自IP"].nunique() == raw["ip"].nunique()


# --- the demo study's planted cases ----------------------------------------------------------

def test_demo_flags_exactly_the_cases_planted_in_its_truth_file(demo_study):
    import json

    from laoyou_eval import intake

    truth = json.loads((demo_study / "truth.json").read_text(encoding="utf-8"))["mess"]["screening"]
    flags = intake.code_surveys(demo_study).flags
    found = {rule: set(zip(flags.loc[flags[rule], "population"], flags.loc[flags[rule], "respondent_id"]))
             for rule in RULES}

    def population(case):
        return case["file"].split("/")[1].split("_")[0]

    planted = {rule: set() for rule in RULES}
    for rule, cases in truth.items():
        for case in cases:
            planted[rule] |= {(population(case), case["respondent"])}
            if "typed" in case:                       # the resubmission under a mistyped identifier
                planted[rule] |= {(population(case), case["typed"])}
    test_ids = {(population(c), c["respondent"]) for c in truth["test_entry"]}
    planted["speeder"] |= test_ids                     # the test was clicked through in under a minute …
    planted["straightline"] |= test_ids                # … with the first option everywhere
    assert found == planted
    assert {rule for rule in RULES if planted[rule]} == set(RULES) - {"skip_violation"}
    excluded = set(zip(flags.loc[flags.excluded, "population"], flags.loc[flags.excluded, "respondent_id"]))
    assert excluded == test_ids and set(flags.loc[flags.excluded, "excluded_by"]) == {"test_entry"}


def test_demo_sensitivity_removes_the_flagged_and_matches_the_analysis_by_hand(demo_study, tmp_path):
    import json

    from laoyou_eval import dataset, intake
    from laoyou_eval.report import analysis

    intake.run(demo_study, tmp_path / "processed")
    ds = dataset.load(demo_study, tmp_path / "processed")
    # the processed quality report keeps screening values (not masked like personal values) and no IP
    speeder = json.loads((demo_study / "truth.json").read_text(encoding="utf-8"))["mess"]["screening"]["speeder"][0]
    q = ds.quality[ds.quality.issue == "screen_speeder"].set_index("respondent")
    assert q.loc[speeder["respondent"], "value"] == f"{speeder['seconds']} 秒 s"
    assert q.loc[speeder["respondent"], "row"] == speeder["row"]
    ips = read_wjx(demo_study / speeder["file"])["ip"].str.split("(").str[0]
    text = (tmp_path / "processed/surveys/quality.csv").read_text(encoding="utf-8-sig")
    assert not any(ip in text for ip in ips)
    assert set(ds.scores_all.respondent_id) - set(ds.scores.respondent_id) == {"TEST01"}   # excluded as specified
    sens = analysis._screening(ds, [2])["sensitivity"]
    flags = ds.screening[ds.screening.flagged.astype(bool)]
    for population in ("residents", "caregivers"):
        flagged = set(flags.loc[flags.population == population, "respondent_id"])
        data = ds.scores_all[(ds.scores_all.population == population) & ds.scores_all.arm.isin(["programme", "comparison"])]
        kept = data[~data.respondent_id.isin(flagged)]
        columns = [o.column for o in ds.outcomes(population)]
        programme = kept[kept.arm == "programme"]
        by_hand = outcomes.paired_table(programme, columns, "wave", "respondent_id").set_index("outcome")
        did = outcomes.did_table(kept, columns, "arm", "wave", "respondent_id").set_index("outcome")
        mine = sens[(sens.population == population) & (sens["sample"] == "without_flagged")].set_index("outcome")
        assert np.allclose(mine.loc[columns, "d_z"], by_hand.loc[columns, "d_z"])
        assert np.allclose(mine.loc[columns, "did"], did.loc[columns, "estimate"])
        assert (mine["did_removed"] == len(flagged & set(data.respondent_id))).all()
        everyone = sens[(sens.population == population) & (sens["sample"] == "all")].set_index("outcome")
        assert (everyone.loc[columns, "n"] > mine.loc[columns, "n"]).any()
