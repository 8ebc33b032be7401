"""Scale scores: reverse keying with each item's own bounds, proration, subscales, bands."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from laoyou_eval import coding, instruments, scoring
from laoyou_eval.coding import Codebook
from laoyou_eval.errors import LaoyouError
from laoyou_eval.io import read_wjx


def _items(name, rows):
    inst = instruments.get(name)
    return pd.DataFrame(rows, columns=inst.items, dtype="Float64")


def test_pss10_reverse_keys_items_4_5_7_8():
    answers = [[0, 1, 2, 3, 4, 0, 1, 2, 3, 4], [4, 4, 4, 4, 4, 4, 4, 4, 4, 4]]
    scored = scoring.score(_items("pss10", answers), "pss10")
    # closed form: reversed items are 4 - x
    expected = [0 + 1 + 2 + (4 - 3) + (4 - 4) + 0 + (4 - 1) + (4 - 2) + 3 + 4, 6 * 4 + 4 * 0]
    assert scored["pss10_total"].tolist() == expected
    assert scored["pss10_self_efficacy"].tolist() == [(4 - 3) + (4 - 4) + (4 - 1) + (4 - 2), 0]


def test_reversal_uses_the_response_scale_not_the_observed_range():
    """psych reverses with the min/max observed over all items unless told; that is wrong when
    nobody used the scale's lower end.  Here every answer is 1–4 on a 0–4 scale."""
    rng = np.random.default_rng(1)
    answers = rng.integers(1, 5, size=(20, 10))
    scored = scoring.score(_items("pss10", answers), "pss10")
    keyed = answers.astype(float).copy()
    keyed[:, [3, 4, 6, 7]] = 4 - keyed[:, [3, 4, 6, 7]]
    np.testing.assert_array_equal(scored["pss10_total"], keyed.sum(axis=1))
    observed_bounds = answers.min() + answers.max() - answers[:, [3, 4, 6, 7]]  # the psych default
    assert not np.array_equal(observed_bounds, keyed[:, [3, 4, 6, 7]])


def test_proration_follows_the_minimum_answered_rule():
    inst = instruments.get("pss10")
    assert inst.max_missing == 2
    rows = [[1] * 10, [1] * 8 + [None] * 2, [1] * 7 + [None] * 3]
    scored = scoring.score(_items("pss10", rows), "pss10")
    keyed_mean = np.mean([1, 1, 1, 3, 3, 1, 3, 3])  # items 1–8 answered 1; 4, 5, 7, 8 reversed
    assert scored["pss10_total"].iloc[1] == pytest.approx(10 * keyed_mean)
    assert scored["prorated"].tolist() == [False, True, False]
    assert np.isnan(scored["pss10_total"].iloc[2])
    assert "3 of 10" in scored["note"].iloc[2] or "3/10" in scored["note"].iloc[2]
    strict = scoring.score(_items("pss10", rows), "pss10", prorate=False)
    assert strict["pss10_total"].isna().tolist() == [False, True, True]


def test_mspss_is_scored_as_means_with_three_subscales():
    rng = np.random.default_rng(2)
    answers = rng.integers(1, 8, size=(6, 12)).astype(float)
    scored = scoring.score(_items("mspss", answers), "mspss")
    np.testing.assert_allclose(scored["mspss_mean"], answers.mean(axis=1))
    for sub, items in {"significant_other": [1, 2, 5, 10], "family": [3, 4, 8, 11], "friends": [6, 7, 9, 12]}.items():
        np.testing.assert_allclose(scored[f"mspss_{sub}_mean"], answers[:, [i - 1 for i in items]].mean(axis=1))


def test_who5_percentage_and_cutoff():
    scored = scoring.score(_items("who5", [[5, 5, 5, 5, 5], [2, 2, 2, 3, 3]]), "who5")
    assert scored["who5_total"].tolist() == [25, 12]
    assert scored["who5_percent"].tolist() == [100, 48]
    assert pd.isna(scored["who5_band"].iloc[0]) and scored["who5_band"].iloc[1] == "who5_band1"
    cut = instruments.get("who5").cutoffs[0]
    assert scoring.band_words("who5_band1") == (cut.label_zh, cut.label_en) and scoring.band_words("x_band9") is None
    from laoyou_eval.report import band_label

    assert band_label("who5_band1") == cut.label_zh and band_label("no_such_band9") == "no_such_band9"


def test_ssrs_composite_items_and_no_proration_across_formats():
    inst = instruments.get("ssrs")
    row = {f"ssrs_{i}": 2 for i in (1, 2, 3, 4, 8, 9, 10)}
    row.update({f"ssrs_5{x}": v for x, v in zip("abcde", [4, 3, 2, 1, 4])})
    row.update({f"ssrs_6_{k}": int(k in (1, 3, 4)) for k in range(1, 10)})
    row.update({f"ssrs_7_{k}": 0 for k in range(1, 10)} | {"ssrs_7_none": 1, "ssrs_6_none": 0})
    df = pd.DataFrame([row, {**row, "ssrs_3": None}], dtype="Float64")
    scored = scoring.score(df, "ssrs")
    assert scored["ssrs_total"].iloc[0] == 7 * 2 + 14 + 3 + 0
    assert scored["ssrs_objective"].iloc[0] == 2 + 3 + 0
    assert scored["ssrs_subjective"].iloc[0] == 2 + 2 + 2 + 14
    assert np.isnan(scored["ssrs_total"].iloc[1])  # items on different scales are never prorated
    assert inst.score_range == (12, 66)


def test_bad_item_columns_are_clear_errors():
    with pytest.raises(LaoyouError, match="ucla3_3") as info:
        scoring.score(pd.DataFrame({"ucla3_1": [1], "ucla3_2": [2]}), "ucla3")
    assert "Missing item columns" in str(info.value)
    with pytest.raises(LaoyouError) as info:
        scoring.score(pd.DataFrame({"ucla3_1": [1, 2], "ucla3_2": [2, 4], "ucla3_3": [1, 1]}), "ucla3")
    assert info.value.row == 3 and info.value.column == "ucla3_2" and "outside 1–3" in str(info.value)
    with pytest.raises(LaoyouError, match="non-numeric"):
        scoring.score(pd.DataFrame({"ucla3_1": ["经常"], "ucla3_2": [2], "ucla3_3": [1]}), "ucla3")
    with pytest.raises(LaoyouError, match="No instrument"):
        scoring.score(pd.DataFrame(), "ucla20")


def test_short_form_scored_from_named_columns():
    zbi12 = instruments.get("zbi12_bedard")
    parent_items = zbi12.parent["items"]
    rng = np.random.default_rng(3)
    long_form = pd.DataFrame(rng.integers(0, 5, size=(5, 22)), columns=[f"zbi22_{i}" for i in range(1, 23)])
    scored = scoring.score(long_form, "zbi12_bedard", items=[f"zbi22_{i}" for i in parent_items])
    np.testing.assert_array_equal(scored["zbi12_bedard_total"],
                                  long_form[[f"zbi22_{i}" for i in parent_items]].sum(axis=1))


def test_score_all_on_the_demo_codebook_matches_hand_scoring(demo_study):
    from laoyou_eval.demo.questionnaires import RESIDENT_SCALES

    book = Codebook.read(demo_study / "codebooks/residents.xlsx")
    raw = read_wjx(demo_study / "surveys/residents_w1_text.xlsx")
    coded = coding.apply(raw, book, wave=1)
    scores = scoring.score_all(coded.data, book)
    kept = raw.iloc[(coded.data.row - 2).to_numpy()].reset_index(drop=True)
    for scale, number, column in zip(RESIDENT_SCALES, (10, 11, 12), ("ucla3_total", "lsns6_total", "mspss_mean")):
        by_hand = sum(kept[f"第{number}题(条目{i})"].map(scale.options.index) + scale.first_code
                      for i in range(1, scale.n_items + 1))
        if column.endswith("mean"):
            by_hand = by_hand / scale.n_items
        np.testing.assert_allclose(scores[column], by_hand)
    assert scores.resident_id.tolist() == coded.data.resident_id.tolist()
