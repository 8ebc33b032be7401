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
