"""Before/after outcomes: pairing by subject, undefined cases, reliable change options,
comparison group, attrition, many outcomes, sentences and figures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from laoyou_eval import outcomes
from laoyou_eval.errors import LaoyouError
from laoyou_eval.i18n import explain, label, set_language


@pytest.fixture(autouse=True)
def english():
    set_language("en")
    yield
    set_language("zh")


def test_contract_names_are_exported():
    import laoyou_eval

    for name in ("paired", "reliable_change", "did"):
        assert callable(getattr(laoyou_eval.outcomes, name))
    res = outcomes.paired([1, 2, 3, 4], [2, 4, 3, 6])
    for column in ("n", "mean_pre", "mean_post", "mean_diff", "diff_ci_low", "diff_ci_high", "t", "df", "p",
                   "d_z", "d_z_ci_low", "d_z_ci_high", "d_av", "g_z", "wilcoxon_w", "wilcoxon_p",
                   "rank_biserial", "mde_d_z"):
        assert column in res.columns


# --- pairing ------------------------------------------------------------------------------

def test_series_are_matched_by_subject_and_unmatched_ids_reported():
    pre = pd.Series([10, 12, 9, 14, 11], index=["R1", "R2", "R3", "R4", "R5"])
    post = pd.Series([8, 11, 9, 13, 15], index=["R4", "R2", "R1", "R9", "R3"])   # shuffled, R5 lost, R9 new
    res = outcomes.paired(pre, post).iloc[0]
    assert res["n"] == 4 and res["n_pre_only"] == 1 and res["n_post_only"] == 1
    assert res["mean_diff"] == pytest.approx(np.mean([9 - 10, 11 - 12, 15 - 9, 8 - 14]))
    assert "R5" in explain(res["note"]) and "R9" in explain(res["note"])
    assert res["attrition"] == pytest.approx(1 / 5)


def test_missing_value_counts_as_unmatched():
    pre = pd.Series([1.0, 2.0, np.nan, 4.0], index=list("abcd"))
    post = pd.Series([2.0, np.nan, 3.0, 5.0], index=list("abcd"))
    res = outcomes.paired(pre, post).iloc[0]
    assert (res["n"], res["n_pre_only"], res["n_post_only"]) == (2, 1, 1)


def test_positional_arrays_must_have_equal_length():
    with pytest.raises(LaoyouError, match="differ in length"):
        outcomes.paired([1, 2, 3], [1, 2])


def test_duplicated_ids_are_an_error():
    with pytest.raises(LaoyouError, match="duplicated"):
        outcomes.paired(pd.Series([1, 2], index=["a", "a"]), pd.Series([1, 2], index=["a", "b"]))


@pytest.mark.parametrize("kind", ["int", "uint", "short_text", "long_text", "shared_prefix", "unicode", "empty_text"])
def test_ids_matched_by_sorting_equal_a_hash_factorisation(kind):
    """The integer-key matching gives the subjects (sorted, dtype kept) and codes of
    ``pandas.factorize(sort=True)`` over both id lists, for every id shape it handles."""
    from laoyou_eval.outcomes._ids import align

    rng = np.random.default_rng(11)
    letters = np.array(list("AB2Pz_é青"))
    for _ in range(40):
        pool = {"int": lambda: rng.integers(-(2 ** 62), 2 ** 62, 60),
                "uint": lambda: rng.integers(0, 2 ** 64 - 1, 60, dtype=np.uint64),
                "short_text": lambda: ["".join(rng.choice(letters, rng.integers(1, 4))) for _ in range(60)],
                # pseudonym-like: first 8 bytes often equal, the order decided by later words
                "long_text": lambda: ["P" + "".join(rng.choice(letters[:3], 6)) + "".join(rng.choice(letters, 5))
                                      for _ in range(60)],
                "shared_prefix": lambda: ["resident_" + "".join(rng.choice(letters, rng.integers(0, 5)))
                                          for _ in range(60)],
                "unicode": lambda: ["".join(rng.choice(letters[5:], rng.integers(1, 9))) for _ in range(60)],
                "empty_text": lambda: ["", "a", "b", "ab", "ba", "aa"]}[kind]()
        pool = pd.unique(pd.Index(pool))
        a = pool[rng.permutation(len(pool))[: max(1, len(pool) * 2 // 3)]]
        b = pool[rng.permutation(len(pool))[: max(1, len(pool) // 2)]]
        b = b[:1].append(b[1:])[rng.integers(0, 2):] if len(b) > 2 else b  # two chunks, maybe a slice
        aligned = align(a, b)
        codes, subjects = pd.factorize(a.append(b), sort=True)
        pd.testing.assert_index_equal(aligned.subjects, subjects, exact=True)
        np.testing.assert_array_equal(aligned.codes_a, codes[: len(a)])
        np.testing.assert_array_equal(aligned.codes_b, codes[len(a):])


def test_ids_without_an_integer_form_take_the_general_path():
    from laoyou_eval.outcomes._ids import align

    text = pd.Index(["a", "b"])
    for a, b in [(pd.Index(["a\x00", "a"]), text),                      # NUL would equal the padding
                 (pd.Index(["x" * 65, "a"]), text),                     # longer than MAX_BYTES
                 (pd.Index([1.5, 2.5]), pd.Index([1.5, 3.5])),          # float ids
                 (pd.Index(["a", 1], dtype=object), text),              # mixed types
                 (pd.Index([1, 2]), text)]:                              # different dtypes
        assert align(a, b) is None
    pre = pd.Series([1.0, 2.0], index=["a\x00", "a"])
    post = pd.Series([3.0, 5.0], index=["a", "a\x00"])
    res = outcomes.reliable_change(pre, post, sd=1.0, reliability=0.8, higher_is="better")
    assert res["subject"].tolist() == ["a", "a\x00"] and res["change"].tolist() == [1.0, 4.0]


@pytest.mark.parametrize("index", [["b", "a", "b"], [3, 1, 3], ["x" * 20 + "1", "y", "x" * 20 + "1"]])
def test_duplicated_ids_are_an_error_on_either_side_whatever_their_type(index):
    unique = pd.Series([1.0, 2.0], index=index[:2])
    duplicated = pd.Series([1.0, 2.0, 3.0], index=index)
    for pre, post, name in [(duplicated, unique, "'pre'"), (unique, duplicated, "'post'")]:
        with pytest.raises(LaoyouError, match=f"{name} has duplicated subject ids: {index[0]}"):
            outcomes.paired(pre, post)
        with pytest.raises(LaoyouError, match="duplicated"):
            outcomes.reliable_change(pre, post, sd=1.0, reliability=0.8, higher_is="better")


def test_per_person_table_keeps_the_id_type_and_the_sorted_order():
    for ids in (["R3", "R1", "R2"], [30, 10, 20], np.array([30, 10, 20], dtype=np.int32)):
        pre = pd.Series([5.0, 6.0, 7.0], index=ids)
        post = pd.Series([1.0, 2.0], index=pre.index[[2, 0]])
        res = outcomes.reliable_change(pre, post, sd=1.0, reliability=0.8, higher_is="worse")
        assert res["subject"].dtype == pre.index.dtype
        assert res["subject"].tolist() == sorted(pre.index.tolist())
        assert res["post"].tolist()[1:] == [1.0, 2.0] and res["note"].tolist() == ["no_post", "", ""]


@pytest.mark.parametrize("dtype", ["str", "string[pyarrow]", "int64", object])
def test_id_lookup_equals_pandas_isin(dtype):
    from laoyou_eval.outcomes._ids import isin

    rng = np.random.default_rng(5)
    pool = np.array([f"s{i}" for i in range(30)] + [None], dtype=object) if dtype != "int64" else np.arange(31)
    for _ in range(20):
        values = pd.Series(rng.choice(pool, 25), dtype=dtype)
        values = pd.concat([values[:10], values[10:]])[1:]  # two chunks and a slice
        candidates = pd.Series(rng.choice(pool, 10), dtype="str" if dtype == "string[pyarrow]" else dtype)
        expected = np.array([v in set(candidates.dropna()) or (pd.isna(v) and candidates.isna().any())
                             for v in values])
        np.testing.assert_array_equal(isin(values, candidates), expected)


def test_wide_by_wave_gives_each_subject_its_group_whatever_the_label_type():
    from laoyou_eval.outcomes._common import wide_by_wave

    for labels, missing in ((["programme", "comparison"], "nan"), ([1, 0], "nan"), ([1.0, 0.0], "nan")):
        long = pd.DataFrame({"id": ["c", "a", "b", "a", "c", "d", "d"], "wave": [1, 1, 1, 2, 2, 1, 2],
                             "arm": [labels[1], labels[0], labels[1], labels[0], None, None, None],
                             "y": [1.0, 2, 3, 4, 5, 6, 7]})
        wide, _, treated = wide_by_wave(long, "y", "wave", "id", group="arm", treated=labels[0])
        assert wide["subject"].tolist() == ["a", "b", "c", "d"] and treated == labels[0]
        assert wide["group"].tolist()[:3] == [labels[0], labels[1], labels[1]] and pd.isna(wide["group"].iloc[3])
        assert wide["treated"].tolist() == [1, 0, 0, 0]
    mixed = long.assign(arm=[0, 1, 0, 1, 1, 0, 0])  # c is 0 then 1
    with pytest.raises(LaoyouError, match="Subject c is in different groups"):
        wide_by_wave(mixed, "y", "wave", "id", group="arm")


@pytest.mark.parametrize("ids", [["a", None, "b"], [1.0, np.nan, 2.0]])
def test_missing_ids_are_an_error_not_a_silent_match(ids):
    scores = pd.Series([1.0, 2.0, 3.0], index=ids)
    other = pd.Series([5.0, 7.0], index=[ids[0], ids[2]])
    for pre, post, name in [(scores, other, "'pre'"), (other, scores, "'post'")]:
        with pytest.raises(LaoyouError, match=f"{name} has 1 missing subject id") as err:
            outcomes.reliable_change(pre, post, sd=1.0, reliability=0.8, higher_is="worse")
        assert err.value.row == 3


def test_text_columns_built_from_codes_equal_a_pandas_take():
    from laoyou_eval.outcomes.change import _text_column

    for labels, codes in [(["a", None], [1, 1]), (["a", None], []), (["x", "yy", None], [0, 2, 1, 0]),
                          (["q"], [0, 0, 0]), (["", "no_post"], [0, 0])]:
        codes = np.array(codes, dtype=np.intp)
        pd.testing.assert_extension_array_equal(_text_column(labels, codes),
                                                pd.array(labels, dtype="str").take(codes))


def test_text_scores_are_an_error_naming_the_row():
    with pytest.raises(LaoyouError) as err:
        outcomes.paired([1, 2, "x"], [1, 2, 3])
    assert err.value.row == 4


def test_small_sample_and_attrition_warnings_in_plain_language():
    pre = pd.Series(range(10), index=range(10), dtype=float)
    post = pd.Series([v + (1 if v % 2 else 2) for v in range(7)], index=range(7), dtype=float)
    result = outcomes.paired(pre, post)
    note = explain(result.at[0, "note"])
    assert "small sample (n = 7 < 15)" in note and "attrition 30% exceeds 20%" in note
    set_language("zh")
    assert "样本量很小" in explain(outcomes.paired(pre, post).at[0, "note"])
    # the language changes only how a note is shown, never the result itself
    pd.testing.assert_frame_equal(outcomes.paired(pre, post), result)


def test_no_warning_for_large_complete_sample():
    rng = np.random.default_rng(1)
    x = rng.normal(size=30)
    assert outcomes.paired(x, x + rng.normal(0.5, 1, 30)).at[0, "note"] == ""


def test_undefined_statistics_are_nan_with_a_note():
    one = outcomes.paired([1.0], [2.0]).iloc[0]
    assert one["mean_diff"] == 1.0 and np.isnan(one["t"]) and np.isnan(one["d_z"]) and "single pair" in explain(one["note"])
    same = outcomes.paired([1.0, 2.0, 3.0], [2.0, 3.0, 4.0]).iloc[0]
    assert np.isnan(same["t"]) and np.isnan(same["d_z"]) and "SD of differences is 0" in explain(same["note"])
    assert np.isfinite(same["d_av"])
    zeros = outcomes.paired([1.0, 2.0, 3.0], [1.0, 2.0, 3.0]).iloc[0]
    assert np.isnan(zeros["wilcoxon_p"]) and "every difference is zero" in explain(zeros["note"])
    empty = outcomes.paired(pd.Series([1.0], index=["a"]), pd.Series([1.0], index=["b"])).iloc[0]
    assert empty["n"] == 0 and "no complete" in explain(empty["note"])


def test_wilcoxon_zero_methods_and_exact_distribution_with_ties():
    from scipy import stats

    d = np.array([0.0, 0.0, 1.5, -0.5, 2.0, 2.0, 3.0, 1.0, -1.0, 4.0])
    wilcox = outcomes.wilcoxon_signed_rank(d, "wilcox")
    pratt = outcomes.wilcoxon_signed_rank(d, "pratt")
    assert wilcox["n_zero"] == pratt["n_zero"] == 2 and wilcox["n_used"] == 8
    # pratt ranks the zeros (ranks 1, 2) then drops them, so W+ grows by 2 per remaining rank
    assert pratt["w"] == wilcox["w"] + 2 * 6
    # without ties or zeros the exact p equals scipy's exact test
    clean = np.array([1.1, -0.4, 2.3, 0.7, -1.9, 3.2, 0.2, 1.6])
    ours = outcomes.wilcoxon_signed_rank(clean)
    assert ours["p"] == pytest.approx(stats.wilcoxon(clean, method="exact").pvalue)
    # with ties the exact conditional distribution by brute force over all 2^8 sign patterns
    ranks = stats.rankdata(np.abs(d[d != 0]))
    signs = np.array(np.meshgrid(*[[0, 1]] * 8)).reshape(8, -1).T
    w_all = signs @ ranks
    w_obs = wilcox["w"]
    brute = 2 * min((w_all <= w_obs + 1e-9).mean(), (w_all >= w_obs - 1e-9).mean())
    assert wilcox["p"] == pytest.approx(min(1.0, brute))


def test_sign_convention_is_post_minus_pre():
    a = outcomes.paired([1, 2, 3, 5], [2, 4, 3, 9]).iloc[0]
    b = outcomes.paired([2, 4, 3, 9], [1, 2, 3, 5]).iloc[0]
    for column in ("mean_diff", "t", "d_z", "d_av", "g_z", "rank_biserial"):
        assert a[column] == pytest.approx(-b[column])
    assert a["d_z_ci_low"] == pytest.approx(-b["d_z_ci_high"])


# --- reliable change ----------------------------------------------------------------------

def test_reliability_and_direction_come_from_the_instrument():
    pre = pd.Series([10.0, 12, 8, 15, 9, 11], index=list("abcdef"))
    post = pd.Series([16.0, 12, 9, 8, 9, 18], index=list("abcdef"))
    rc = outcomes.reliable_change(pre, post, instrument="who5")
    p = rc.attrs["parameters"]
    assert p["reliability"] == 0.803 and "Yang" in p["reliability_source"] and p["higher_is"] == "better"
    assert p["sd"] == pytest.approx(pre.std()) and "sample baseline SD" in label(p["sd_source"])
    assert "no reference SD" in explain(p["note"])
    by_id = rc.set_index("subject")["category"]
    assert by_id["a"] == "improved" and by_id["d"] == "deteriorated" and by_id["b"] == "unchanged"
    worse = outcomes.reliable_change(pre, post, instrument="ucla3")        # higher is worse
    assert worse.set_index("subject").at["a", "category"] == "deteriorated"


def test_missing_reliability_needs_an_explicit_choice():
    with pytest.raises(LaoyouError, match="No reliability recorded for k6"):
        outcomes.reliable_change([5.0, 6, 7], [4.0, 6, 9], instrument="k6")
    pre, post = [5.0, 6, 7, 9, 3], [4.0, 7, 8, 9, 5]
    rc = outcomes.reliable_change(pre, post, reliability="sample", instrument="k6")
    p = rc.attrs["parameters"]
    assert p["reliability"] == pytest.approx(np.corrcoef(pre, post)[0, 1])
    assert "warning" in explain(p["note"]) and "pre–post correlation" in explain(p["note"])


def test_direction_is_required_without_an_instrument():
    with pytest.raises(LaoyouError, match="higher_is"):
        outcomes.reliable_change([1.0, 2.0], [2.0, 3.0], sd=1.0, reliability=0.8)


def test_people_without_follow_up_stay_in_the_table():
    pre = pd.Series([10.0, 12.0, 14.0], index=["a", "b", "c"])
    post = pd.Series([3.0, 12.0], index=["a", "b"])
    rc = outcomes.reliable_change(pre, post, sd=3.0, reliability=0.8, higher_is="worse")
    assert len(rc) == 3
    lost = rc.set_index("subject").loc["c"]
    assert pd.isna(lost["category"]) and np.isnan(lost["rci"]) and "lost to follow-up" in explain(lost["note"])
    counts = outcomes.category_counts(rc).set_index("category")["n"]
    assert counts["not_assessed"] == 1 and counts["improved"] == 1 and counts["unchanged"] == 1


def test_recovered_and_harmed_need_crossing_the_cutoff():
    pre = pd.Series([30.0, 30.0, 10.0, 10.0, 22.0], index=list("abcde"))
    post = pd.Series([10.0, 24.0, 30.0, 17.0, 22.0], index=list("abcde"))
    rc = outcomes.reliable_change(pre, post, sd=4.0, reliability=0.8, higher_is="worse", cutoff=20.0)
    assert rc.set_index("subject")["category"].to_dict() == {
        "a": "recovered", "b": "improved", "c": "harmed", "d": "deteriorated", "e": "unchanged"}
    assert rc.attrs["parameters"]["cutoff"] == 20.0
    with pytest.raises(LaoyouError, match="functional"):
        outcomes.reliable_change(pre, post, sd=4.0, reliability=0.8, higher_is="worse", cutoff="c")


def test_rci_variants_follow_their_formulas():
    rng = np.random.default_rng(7)
    x = rng.normal(20, 5, 25)
    y = 0.7 * x + rng.normal(4, 3, 25)
    s1, rxx, m1 = 6.0, 0.8, 18.0
    sem = s1 * np.sqrt(1 - rxx)
    s2, r12 = y.std(ddof=1), np.corrcoef(x, y)[0, 1]
    expected = {
        "jt": (y - x) / np.sqrt(2 * sem ** 2),
        "iverson": (y - x) / np.sqrt(sem ** 2 + (s2 * np.sqrt(1 - rxx)) ** 2),
        "gln": ((y - m1) - rxx * (x - m1)) / (s1 * np.sqrt(1 - rxx ** 2)),
        "en": (y - (rxx * (x - m1) + m1)) / sem,
        "nk": (y - (rxx * (x - m1) + m1)) / np.sqrt(rxx ** 2 * s1 ** 2 * (1 - rxx) + s1 ** 2 * (1 - rxx)),
    }
    for method, values in expected.items():
        rc = outcomes.reliable_change(x, y, sd=s1, reliability=rxx, method=method, higher_is="better", mean_pre=m1)
        np.testing.assert_allclose(rc["rci"], values, err_msg=method)
        assert rc.attrs["parameters"]["critical_value"] == pytest.approx(1.959964, abs=1e-6)
    # Hageman–Arrindell with the sample SD (so r_xx,pre = r_xx)
    s_pre = x.std(ddof=1)
    sem = s_pre * np.sqrt(1 - rxx)
    r2 = (s2 ** 2 - sem ** 2) / s2 ** 2
    r_dd = (s_pre ** 2 * rxx + s2 ** 2 * r2 - 2 * s_pre * s2 * r12) / (s_pre ** 2 + s2 ** 2 - 2 * s_pre * s2 * r12)
    ha = outcomes.reliable_change(x, y, reliability=rxx, method="ha", higher_is="better")
    assert ha.attrs["parameters"]["r_dd"] == pytest.approx(r_dd)
    assert ha.attrs["parameters"]["critical_value"] == pytest.approx(1.644854, abs=1e-6)
    np.testing.assert_allclose(ha["rci"], ((y - x) * r_dd + (y.mean() - x.mean()) * (1 - r_dd))
                               / (np.sqrt(r_dd) * np.sqrt(2) * sem))


# --- comparison group --------------------------------------------------------------------

def two_arm(seed=3, n_t=12, n_c=15, effect=-2.0, lost=()):
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n_t + n_c):
        arm = "programme" if i < n_t else "comparison"
        base = rng.normal(20 + (1.0 if arm == "programme" else 0.0), 4)
        rows.append({"id": f"S{i:02d}", "wave": 1, "arm": arm, "y": base})
        if i not in lost:
            rows.append({"id": f"S{i:02d}", "wave": 2, "arm": arm,
                         "y": 0.8 * base + 4 + (effect if arm == "programme" else 0) + rng.normal(0, 2)})
    return pd.DataFrame(rows)


def test_did_equals_difference_of_mean_changes_with_robust_se():
    data = two_arm(lost=(1, 20))
    res = outcomes.did(data, "y", "arm", "wave", "id").iloc[0]
    wide = data.pivot(index="id", columns="wave", values="y").dropna()
    arm = data.drop_duplicates("id").set_index("id")["arm"].reindex(wide.index)
    change = wide[2] - wide[1]
    a, b = change[arm == "programme"], change[arm == "comparison"]
    assert res["estimate"] == pytest.approx(a.mean() - b.mean())
    assert (res["n_treated"], res["n_comparison"]) == (11, 14)
    welch = np.sqrt(a.var() / len(a) + b.var() / len(b))
    assert res["se"] == pytest.approx(welch, rel=0.1)
    assert res["df"] == 24                       # clusters − 1
    assert "without both waves" in explain(res["note"])
    assert outcomes.morris_d_ppc2(data, "y", "arm", "wave", "id").at[0, "d_ppc2"] == pytest.approx(res["d_ppc2"])


def test_morris_d_ppc2_by_hand():
    data = two_arm(seed=5)
    wide = data.pivot(index="id", columns="wave", values="y")
    arm = data.drop_duplicates("id").set_index("id")["arm"]
    t, c = wide[arm == "programme"], wide[arm == "comparison"]
    n_t, n_c = len(t), len(c)
    sd = np.sqrt(((n_t - 1) * t[1].var() + (n_c - 1) * c[1].var()) / (n_t + n_c - 2))
    c_p = 1 - 3 / (4 * (n_t + n_c - 2) - 1)
    expected = c_p * ((t[2] - t[1]).mean() - (c[2] - c[1]).mean()) / sd
    res = outcomes.morris_d_ppc2(data, "y", "arm", "wave", "id").iloc[0]
    assert res["d_ppc2"] == pytest.approx(expected) and res["c_p"] == pytest.approx(c_p)
    assert res["ci_low"] < expected < res["ci_high"]


def test_ancova_reports_lords_paradox():
    res = outcomes.ancova(two_arm(), "y", "arm", "wave", "id").iloc[0]
    assert "Lord's paradox" in explain(res["note"]) and res["ci_low"] < res["estimate"] < res["ci_high"]
    assert res["df"] == 27 - 3


def test_did_needs_exactly_two_groups():
    data = two_arm()
    data.loc[data.index[:2], "arm"] = "other"
    with pytest.raises(LaoyouError, match="exactly two groups"):
        outcomes.did(data, "y", "arm", "wave", "id")


def test_baseline_imbalance_smd():
    base = pd.DataFrame({"arm": ["programme"] * 4 + ["comparison"] * 4, "x": [1, 2, 3, 4, 2, 3, 4, 5]})
    res = outcomes.baseline_imbalance(base, ["x"], "arm").iloc[0]
    assert res["smd"] == pytest.approx(-1 / np.sqrt(5 / 3)) and bool(res["imbalanced"])


# --- attrition -----------------------------------------------------------------------------

def test_completers_vs_dropouts_and_three_missing_data_analyses():
    data = two_arm(lost=(0, 2, 13, 16, 20))
    table = outcomes.completers_vs_dropouts(data, ["y"], "wave", "id").iloc[0]
    assert (table["n_completers"], table["n_dropouts"]) == (22, 5)
    res = outcomes.missing_data_analyses(data, "y", "wave", "id", group="arm", n_imputations=10, seed=1)
    assert res["method"].tolist() == ["completers", "mixed_model", "multiple_imputation"]
    assert (res["estimand"] == "did").all()
    completers = outcomes.did(data, "y", "arm", "wave", "id").iloc[0]
    assert res.at[0, "estimate"] == pytest.approx(completers["estimate"])
    assert res.at[0, "se"] == pytest.approx(completers["se"])
    assert res.at[1, "n_observations"] == len(data) and res.at[1, "n_subjects"] == 27
    assert "MCAR" in label(res.at[0, "assumption"]) and "MAR" in label(res.at[1, "assumption"])
    assert "fraction of missing information" in explain(res.at[2, "note"])
    again = outcomes.missing_data_analyses(data, "y", "wave", "id", group="arm", n_imputations=10, seed=1)
    pd.testing.assert_frame_equal(res, again)   # seeded


# Rubin pooling against statsmodels' MICE: tests/test_imputation.py


def test_completer_counts_side_by_side_and_one_definition_with_did():
    """A subject who came back at follow-up without a score has a wave-2 row but is not a
    completer for DiD; with ``outcome=`` completers_vs_dropouts counts as DiD does."""
    data = two_arm(lost=(0, 2, 13, 16, 20))
    came_back = data.index[(data["wave"] == 2)][:3]
    data.loc[came_back, "y"] = np.nan
    by_row = outcomes.completers_vs_dropouts(data, ["y"], "wave", "id").iloc[0]
    by_score = outcomes.completers_vs_dropouts(data, ["y"], "wave", "id", outcome="y").iloc[0]
    did = outcomes.did(data, "y", "arm", "wave", "id").iloc[0]
    assert by_row["n_completers"] == 22 and by_row["completer_definition"] == "followup_row"
    assert np.isnan(by_row["n_followup_scored"]) and by_row["n_followup_row"] == 22
    assert by_score["n_completers"] == 19 == did["n_treated"] + did["n_comparison"]
    assert (by_score["n_followup_row"], by_score["n_followup_scored"]) == (22, 19)
    assert by_score["n_dropouts"] == 8 and by_score["completer_definition"] == "followup_scored"


def test_mixed_model_warnings_are_recorded_not_printed(recwarn):
    data = two_arm(n_t=4, n_c=4, lost=(0,))
    res = outcomes.missing_data_analyses(data[data.arm == "programme"], "y", "wave", "id", n_imputations=5)
    assert not [w for w in recwarn if "statsmodels" in str(w.filename)]
    assert res["estimand"].eq("mean_change").all()


# --- many outcomes, dose ---------------------------------------------------------------------

def test_paired_table_adjusts_within_arm():
    data = two_arm(lost=(3,))
    data["z"] = data["y"] * 0.5 + np.arange(len(data)) % 3
    table = outcomes.paired_table(data, ["y", "z"], "wave", "id", arm="arm")
    assert len(table) == 4 and {"p_holm", "p_bh"} <= set(table.columns)
    for _, block in table.groupby("arm"):
        np.testing.assert_allclose(block["p_holm"], outcomes.adjust_p(block["p"], "holm"))
    did = outcomes.did_table(data, ["y", "z"], "arm", "wave", "id")
    assert did["outcome"].tolist() == ["y", "z"]
    np.testing.assert_allclose(did["p_bh"], outcomes.adjust_p(did["p"], "bh"))


def test_process_doses_and_dose_response():
    contacts = pd.DataFrame({"resident_id": ["R1", "R1", "R2", "R3"], "minutes": [60, 30, 120, 30]})
    attendance = pd.DataFrame({"participant_id": ["R1", "R2", "R2", "C1"], "session_id": ["s1", "s1", "s2", "s1"]})
    doses = outcomes.process_doses(contacts, attendance).set_index("subject")
    assert doses.loc["R1", "contact_hours"] == 1.5 and doses.loc["R2", "sessions_attended"] == 2
    assert doses.loc["C1", "contact_hours"] == 0 and doses.loc["R3", "sessions_attended"] == 0
    data = pd.DataFrame({"chg": [1.0, 0.0, -1.0, -2.0, np.nan], "hours": [0.0, 1.0, 2.0, 3.0, 4.0]})
    res = outcomes.dose_response(data, ["chg"], ["hours"]).iloc[0]
    assert res["slope"] == pytest.approx(-1.0) and res["n"] == 4 and "left out" in explain(res["note"])
    flat = outcomes.dose_response(data.assign(hours=1.0), ["chg"], ["hours"]).iloc[0]
    assert np.isnan(flat["slope"]) and explain(flat["note"])


def test_change_scores_keep_everyone():
    data = two_arm(lost=(3,))
    wide = outcomes.change_scores(data, ["y"], "wave", "id", keep=["arm"])
    assert len(wide) == 27 and wide["y_change"].isna().sum() == 1 and "arm" in wide.columns


# --- sentences, labels, figures -------------------------------------------------------------

def test_sentences_in_both_languages():
    row = outcomes.paired([5, 6, 7, 8, 6, 7, 5, 9, 8, 6, 7, 7, 6, 5, 8, 9],
                          [4, 5, 7, 6, 5, 6, 5, 7, 7, 5, 6, 5, 6, 4, 7, 8])
    en = outcomes.sentences.paired_sentence(row, "Loneliness", lang="en")
    zh = outcomes.sentences.paired_sentence(row, "孤独感", lang="zh")
    assert en.startswith("Loneliness went from") and "t(15) = " in en and "d_z = −" in en
    assert zh.startswith("孤独感从") and "t(15) = " in zh and "样本" not in zh      # n = 16: no caveat
    small = outcomes.sentences.paired_sentence(outcomes.paired([1, 2, 3, 5], [2, 2, 4, 7]), "x", lang="zh")
    assert "样本只有 4 人" in small
    assert outcomes.sentences.format_p(0.0004) == "p < .001"
    assert outcomes.sentences.format_number(-0.001) == "0.00"


def test_outcome_tables_are_localised_with_small_counts_protected():
    from laoyou_eval.report import localise

    set_language("zh")
    table = pd.DataFrame({"category": ["improved", "harmed"], "n": [3, 7], "percent": [75.0, np.nan]})
    shown = localise(table, values=("category",))
    assert list(shown.columns) == ["类别", "样本量", "百分比 %"]
    assert shown.iloc[0, 0] == "改善" and shown.iloc[1, 2] == "—"
    assert shown.iloc[0, 1] == "<5" and shown.iloc[1, 1] == 7


def test_figures_draw_without_warnings():
    import matplotlib.pyplot as plt

    pre = pd.Series([30.0, 30.0, 10.0, 10.0, 22.0, 25.0], index=list("abcdef"))
    post = pd.Series([10.0, 24.0, 30.0, 17.0, 22.0], index=list("abcde"))
    rc = outcomes.reliable_change(pre, post, sd=4.0, reliability=0.8, higher_is="worse", cutoff=20.0)
    fig = outcomes.figures.jt_scatter(rc, title="ZBI")
    labels = fig.axes[0].get_legend_handles_labels()[1]
    assert any("(1)" in label for label in labels) and len(labels) >= 4
    plt.close(fig)
    table = outcomes.paired_table(two_arm(), ["y"], "wave", "id", arm="arm")
    fig = outcomes.figures.forest(table, labels={"y": ("量表", "Scale")}, higher_is={"y": "worse"})
    assert len(fig.axes[0].get_yticklabels()) == 1
    plt.close(fig)


@pytest.mark.parametrize("module", ["outcomes.paired", "outcomes.change", "outcomes.comparison", "outcomes.attrition",
                                    "outcomes.many", "outcomes.sentences", "outcomes.figures", "demo.recovery"])
def test_docstring_examples(module):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(f"laoyou_eval.{module}"),
                             optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted > 0


def test_a_multiindex_series_is_refused_with_a_bilingual_error():
    index = pd.MultiIndex.from_tuples([("a", 1), ("b", 1), ("c", 1)], names=["subject", "wave"])
    pre = pd.Series([1.0, 2.0, 3.0], index=index)
    post = pd.Series([2.0, 2.5, 3.5], index=["a", "b", "c"])
    with pytest.raises(LaoyouError, match="2 levels") as caught:
        outcomes.paired(pre, post)
    assert "2 层" in str(caught.value)
