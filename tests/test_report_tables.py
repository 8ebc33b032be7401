import warnings

import pandas as pd

from laoyou_eval.report import i18n, localise


def test_localise_translates_and_marks_missing_cells():
    df = pd.DataFrame({"arm": ["programme", "comparison"], "rows": pd.array([3, None], dtype="Int64")})
    i18n.set_language("zh")
    zh = localise(df, values=("arm",))
    assert list(zh.columns) == ["组别", "行数"]
    assert zh["组别"].tolist() == ["项目组", "对照组"]
    assert zh["行数"].tolist() == [3, "—"]
    i18n.set_language("en")
    try:
        assert list(localise(df).columns) == ["Arm", "Rows"]
    finally:
        i18n.set_language("zh")
    assert df["arm"].tolist() == ["programme", "comparison"]  # input untouched


def test_fine_cross_classification_warns():
    import pytest

    table = pd.DataFrame({"sex": ["男", "女"], "community": ["A", "A"], "n": [7, 2]})
    with pytest.warns(UserWarning, match="singled out"):
        shown = localise(table)
    assert shown.iloc[1, 2] == "<5"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        localise(table[["sex", "n"]])  # one quasi-identifier: no warning


def test_booleans_read_as_yes_and_no():
    i18n.set_language("zh")
    shown = localise(pd.DataFrame({"covered": [True, False]}))
    assert shown.iloc[:, 0].tolist() == ["是", "否"]


def test_counts_under_their_labels_are_protected():
    from laoyou_eval.report.tables import protect

    for column in ("n", "样本量", "Respondents", "受访人数"):
        assert protect(pd.DataFrame({column: [12, 4, 0]}))[column].tolist() == [12, "<5", 0]  # zero singles nobody out
    assert protect(pd.DataFrame({"Score": [4]}))["Score"].tolist() == [4]  # not a count of people


def test_localise_puts_analysis_codes_into_words():
    from laoyou_eval import outcomes

    table = outcomes.paired([1.0, 2.0, 3.0], [2.0, 2.5, 3.5])[["n", "note"]].assign(assumption="mcar",
                                                                                     k6_band="k6_band1")
    i18n.set_language("en")
    try:
        shown = localise(table)
    finally:
        i18n.set_language("zh")
    assert shown["Note"].iloc[0].startswith("small sample (n = 3 < 15)")
    assert shown["Missing-data assumption"].iloc[0] == "MCAR: dropout unrelated to the outcome"
    assert shown["k6_band"].iloc[0].startswith("probable serious mental illness")


def test_localise_with_a_study_uses_its_own_waves_arms_and_populations():
    """study.yaml's labels replace the package's defaults (基线, 项目组, 居民); without a study,
    or for a code the study does not declare, the defaults stay."""
    from laoyou_eval.study.spec import StudySpec

    spec = StudySpec.from_dict({
        "study": "试点 pilot", "waves": {1: "入组 intake", 2: {"label": {"zh": "结业", "en": "completion"}}},
        "arms": {"programme": "家庭支持小组 / family support group"},
        "populations": {"residents": {"label": "青年 young adults"}},
        "surveys": [{"file": "a.csv", "population": "residents", "wave": w, "id_question": "q", "codebook": "c.yaml"}
                    for w in (1, 2)]})
    table = pd.DataFrame({"population": ["residents", "residents"], "arm": ["programme", "unmatched"],
                          "wave_post": [2, 2], "baseline_difference": [0.5, 0.25],
                          "issue": ["screen_duplicate", "no_baseline"]})
    i18n.set_language("zh")
    own = localise(table, study=spec)
    assert list(own.columns) == ["人群", "组别", "后续波次", "入组差异", "问题类型"]
    assert own["人群"].tolist() == ["青年", "青年"] and own["组别"].tolist() == ["家庭支持小组", "未匹配"]
    assert own["后续波次"].tolist() == ["结业", "结业"]
    assert own["问题类型"].iloc[0] == "筛查：重复提交"
    default = localise(table, values=("population", "arm"))
    assert default["人群"].tolist() == ["居民", "居民"] and default["组别"].iloc[0] == "项目组"
    assert "基线差异" in default.columns and default["后续波次"].tolist() == [2, 2]
    i18n.set_language("en")
    try:
        own = localise(table, study=spec)
        assert list(own.columns) == ["Population", "Arm", "Later wave", "Intake difference", "Issue"]
        assert own["Population"].iloc[0] == "young adults" and own["Arm"].iloc[0] == "family support group"
        assert own["Issue"].iloc[0] == "screening: duplicate submission"
    finally:
        i18n.set_language("zh")
