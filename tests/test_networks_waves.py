"""Waves: matching alters (exact id, assisted, corrected and fed back), churn definitions,
programme-attributable change, tie persistence and the panel policy."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from laoyou_eval.demo import settings
from laoyou_eval.errors import LaoyouError
from laoyou_eval.networks import io, waves


def _alters(rows):
    return pd.DataFrame(rows, columns=["ego_id", "alter_no", "alter_id", "name_code", "relation", "sex", "age_band"])


@pytest.fixture()
def pair():
    """Ego e1: a, b, c at wave 1; a (id recorded), b (id blank, same name), d (new) at wave 2.
    Ego e2: x at wave 1 only (lost); y at wave 2 (gained)."""
    w1 = _alters([("e1", "1", "A01", "t1 t2", "母亲", "女", "45-59岁"),
                  ("e1", "2", "A02", "t3 t4", "朋友", "男", "18-29岁"),
                  ("e1", "3", "A03", "t5 t6", "邻居", "女", "30-44岁"),
                  ("e2", "1", "A01", "t7", "父亲", "男", "45-59岁")])
    w2 = _alters([("e1", "1", "A01", "t1 t2", "母亲", "女", "45-59岁"),
                  ("e1", "2", "", "t3 t9", "朋友", "男", "18-29岁"),    # re-spelt nickname, id not recorded
                  ("e1", "3", "A04", "t8", "朋友", "女", "18-29岁"),
                  ("e2", "1", "A02", "t0", "朋友", "女", "18-29岁")])
    return w1, w2


def test_levenshtein_similarity():
    assert waves.levenshtein_similarity("a b", "a b") == 1
    assert waves.levenshtein_similarity("a b", "a c") == 0.5
    assert waves.levenshtein_similarity("a b c", "a c") == pytest.approx(1 - 1 / 3)
    assert math.isnan(waves.levenshtein_similarity("", "a"))


def test_exact_ids_first_then_assisted_with_score_and_review(pair):
    table = waves.match_alters(*pair)
    assert list(table["method"]) == ["id", "assisted"]
    assisted = table.iloc[1]
    assert (assisted["alter_no_before"], assisted["alter_no_after"]) == ("2", "2")
    assert assisted["name_similarity"] == 0.5 and assisted["same_relation"] == 1
    assert assisted["score"] == pytest.approx(0.5 * 0.5 + 0.3 + 0.1 + 0.1)
    assert assisted["runner_up"] == pytest.approx(0.3 + 0.1)  # alter d: a friend, same age band, other sex
    assert bool(assisted["review"]) and assisted["accept"]


def test_the_assignment_is_one_to_one_and_maximises_the_total():
    w1 = _alters([("e", "1", "", "a b", "朋友", "男", "18-29岁"), ("e", "2", "", "a c", "朋友", "男", "18-29岁")])
    w2 = _alters([("e", "1", "", "a c", "朋友", "男", "18-29岁"), ("e", "2", "", "a b", "朋友", "男", "18-29岁")])
    table = waves.match_alters(w1, w2)
    assert sorted(zip(table["alter_no_before"], table["alter_no_after"])) == [("1", "2"), ("2", "1")]
    assert (table["score"] == 1).all() and (table["runner_up"] == 0.75).all()


def test_low_scores_are_not_proposed():
    w1 = _alters([("e", "1", "", "a b", "母亲", "女", "45-59岁")])
    w2 = _alters([("e", "1", "", "x y", "朋友", "男", "18-29岁")])
    assert waves.match_alters(w1, w2).empty


def test_duplicate_ids_in_a_wave_are_an_error(pair):
    w1, w2 = pair
    w2.loc[2, "alter_id"] = "A01"
    with pytest.raises(LaoyouError) as error:
        waves.match_alters(w1, w2)
    assert error.value.row == 4 and error.value.column == "alter_id"


def test_churn_definitions(pair):
    out = waves.compare_waves(*pair).set_index("ego_id")
    e1, e2 = out.loc["e1"], out.loc["e2"]
    assert (e1["kept"], e1["lost"], e1["gained"]) == (2, 1, 1)
    assert e1["retention"] == pytest.approx(2 / 3)
    assert e1["turnover"] == pytest.approx(2 / 4) and e1["jaccard"] == pytest.approx(2 / 4)
    assert (e1["kept_by_id"], e1["kept_assisted"]) == (1, 1)
    assert (e2["kept"], e2["lost"], e2["gained"], e2["retention"], e2["jaccard"]) == (0, 1, 1, 0, 0)


def test_a_corrected_match_table_is_fed_back(pair, tmp_path):
    table = waves.match_alters(*pair)
    table.loc[table["method"] == "assisted", "accept"] = False
    manual = {"ego_id": "e2", "alter_no_before": "1", "alter_no_after": "1", "method": "manual", "accept": True}
    table = pd.concat([table, pd.DataFrame([manual])], ignore_index=True)
    path = waves.write_match_table(table, tmp_path / "matches.csv")
    edited = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
    edited["accept"] = edited["accept"].map({"True": "是", "False": "否"})
    edited.to_csv(path, index=False, encoding="utf-8-sig")
    corrected = waves.read_match_table(path)
    out = waves.compare_waves(*pair, matches=corrected).set_index("ego_id")
    assert (out.loc["e1", "kept"], out.loc["e1", "lost"]) == (1, 2)
    assert (out.loc["e2", "kept"], out.loc["e2", "kept_manual"]) == (1, 1)


def test_bad_match_tables_name_the_row(pair, tmp_path):
    table = waves.match_alters(*pair).assign(accept=["maybe", "TRUE"])
    with pytest.raises(LaoyouError) as error:
        waves.read_match_table(table)
    assert (error.value.row, error.value.column) == (2, "accept")
    doubled = waves.match_alters(*pair)
    doubled.loc[1, "alter_no_after"] = "1"  # wave-2 alter 1 in two accepted rows
    with pytest.raises(LaoyouError, match="two accepted matches") as error:
        waves.compare_waves(*pair, matches=doubled)
    assert error.value.row == 3
    unknown = waves.match_alters(*pair)
    unknown.loc[1, "alter_no_after"] = "9"
    with pytest.raises(LaoyouError, match="not on the wave-2 list"):
        waves.compare_waves(*pair, matches=unknown)


def test_panel_policy_and_edge_cases(pair):
    w1, w2 = pair
    out = waves.compare_waves(w1, w2[w2.ego_id == "e1"]).set_index("ego_id")
    assert out.loc["e2", "note"] == "one_wave_only" and pd.isna(out.loc["e2", "kept"])
    out = waves.compare_waves(w1, w2[w2.ego_id == "e1"], egos=["e1", "e2", "e3"]).set_index("ego_id")
    e2, e3 = out.loc["e2"], out.loc["e3"]
    assert (e2["lost"], e2["size_after"], e2["retention"]) == (1, 0, 0)
    assert e3["size_before"] == 0 and math.isnan(e3["retention"]) and math.isnan(e3["jaccard"])
    assert e3["note"] == "no_alters_before; no_alters_either_wave"
    assert str(out["kept"].dtype) == "int64"
    with_outsider = waves.compare_waves(w1, w2, egos=["e1"]).set_index("ego_id")
    assert with_outsider.loc["e2", "note"] == "not_in_panel" and str(with_outsider["kept"].dtype) == "Int64"


def test_closeness_change_among_kept_alters(pair):
    w1, w2 = pair
    w1 = w1.assign(closeness=["亲近", "一般", "一般", "亲近"])
    w2 = w2.assign(closeness=["非常亲近", "一般", "亲近", None])
    out = waves.compare_waves(w1, w2, closeness="closeness", closeness_levels=io.CLOSENESS_LEVELS)
    e1 = out.set_index("ego_id").loc["e1"]
    assert e1["closeness_change_mean"] == 0.5 and e1["closeness_change_abs_mean"] == 0.5
    assert (e1["closer"], e1["less_close"]) == (1, 0)
    e2 = out.set_index("ego_id").loc["e2"]
    assert math.isnan(e2["closeness_change_mean"]) and "no_kept_closeness" in e2["note"]


def _programme_pair():
    """e1 keeps its mother, gains the buddy, a friend met via the buddy (tied to the buddy) and a
    classmate met elsewhere; e2 (comparison) loses an alter and gains nobody."""
    w1 = pd.DataFrame({"ego_id": ["e1", "e1", "e2", "e2"], "alter_no": ["1", "2", "1", "2"],
                       "alter_id": ["A01", "A02", "A01", "A02"],
                       "relation": ["母亲", "父亲", "母亲", "邻居"], "met_where": ["家庭", "家庭", "家庭", "社区/邻里"]})
    w2 = pd.DataFrame({"ego_id": ["e1"] * 5 + ["e2"], "alter_no": ["1", "2", "3", "4", "5", "1"],
                       "alter_id": ["A01", "A02", "A03", "A04", "A05", "A01"],
                       "relation": ["母亲", "父亲", "志愿者（老友）", "朋友", "同学", "母亲"],
                       "met_where": ["家庭", "家庭", "老友计划（结对）", "通过老友认识", "学校", "家庭"]})
    t1 = pd.DataFrame({"ego_id": ["e1", "e2"], "source": ["1", "1"], "target": ["2", "2"]})
    t2 = pd.DataFrame({"ego_id": ["e1", "e1"], "source": ["3", "1"], "target": ["4", "3"]})
    return (io.alter_categories(w1, settings.NETWORK_CATEGORIES), io.alter_categories(w2, settings.NETWORK_CATEGORIES),
            t1, t2)


def test_programme_attributable_and_organic_change():
    w1, w2, t1, t2 = _programme_pair()
    out = waves.compare_waves(w1, w2, ties_before=t1, ties_after=t2).set_index("ego_id")
    e1, e2 = out.loc["e1"], out.loc["e2"]
    assert (e1["size_change"], e1["gained_programme"], e1["gained_organic"]) == (3, 2, 1)
    assert (e1["size_change_programme"], e1["size_change_organic"]) == (2, 1)
    assert e1["programme_share_after"] == pytest.approx(2 / 5) and e1["buddy_after"]
    assert e1["gained_tied_to_buddy"] == 1
    assert (e1["kept_ties_before"], e1["ties_persisted"], e1["ties_dissolved"], e1["tie_jaccard_kept"]) == (1, 0, 1, 0)
    assert (e2["size_change"], e2["gained_programme"], e2["size_change_organic"]) == (-1, 0, -1)
    assert math.isnan(e2["gained_tied_to_buddy"]) and "no_buddy_after" in e2["note"]
    assert math.isnan(e2["tie_jaccard_kept"]) and "no_ties_among_kept" in e2["note"]


def test_alter_flows_and_change_summary():
    w1, w2, _, _ = _programme_pair()
    linked = waves.link_alters(w1, w2, attributes=["category"])
    flows = waves.alter_flows(linked, groups=pd.Series({"e1": "programme", "e2": "comparison"}))
    as_dict = {(g, f, t): n for g, f, t, n in flows.itertuples(index=False)}
    assert as_dict == {("programme", "kin", "kin"): 2, ("programme", "absent", "buddy"): 1,
                       ("programme", "absent", "via_programme"): 1, ("programme", "absent", "other_nonkin"): 1,
                       ("comparison", "kin", "kin"): 1, ("comparison", "other_nonkin", "absent"): 1}
    change = pd.DataFrame({"arm": ["a", "a", "a", "b"], "size_change": [1.0, 2.0, 3.0, 5.0]})
    summary = waves.summarise_change(change, ["size_change"]).set_index("arm")
    assert summary.loc["a", "mean"] == 2 and summary.loc["a", "n"] == 3
    from scipy import stats

    half = stats.t.ppf(0.975, 2) * 1 / np.sqrt(3)
    assert summary.loc["a", "ci_low"] == pytest.approx(2 - half)
    assert math.isnan(summary.loc["b", "ci_low"])


def test_demo_waves_recover_the_planted_buddy_and_are_deterministic():
    from laoyou_eval import config

    nets = io.read_name_generator(config.DEMO_STUDY_DIR, key="a")
    again = io.read_name_generator(config.DEMO_STUDY_DIR, key="another key")
    m1 = waves.match_alters(nets[1].alters, nets[2].alters)
    m2 = waves.match_alters(again[1].alters, again[2].alters)
    pd.testing.assert_frame_equal(m1, m2)  # pseudonym key does not change the matching
    blank_ids = nets[2].alters["alter_id"].fillna("").str.strip().eq("").sum()
    assert (m1["method"] == "assisted").sum() == blank_ids  # every unrecorded id found its alter
    out = waves.compare_waves(nets[1].alters, nets[2].alters, matches=m1)
    arm = nets[1].egos.set_index("ego_id")["arm"]
    buddies = out.assign(arm=out["ego_id"].map(arm)).dropna(subset=["kept"]).groupby("arm")["buddy_after"].mean()
    assert buddies["programme"] == 1 and buddies["comparison"] == 0


def test_panel_object_gives_the_same_results_as_the_loose_arguments():
    from laoyou_eval import config

    nets = io.read_name_generator(config.DEMO_STUDY_DIR, key="panel")
    panel = waves.EgoPanel.from_waves(nets)
    both = sorted(set(nets[1].egos["ego_id"]) & set(nets[2].egos["ego_id"]))
    assert panel.panel["ego_id"].tolist() == both and panel.key == "alter_no" and panel.ego == "ego_id"
    loose = waves.compare_waves(nets[1].alters, nets[2].alters, egos=panel.panel, ties_before=nets[1].ties,
                                ties_after=nets[2].ties)
    pd.testing.assert_frame_equal(waves.compare_waves(panel), loose)
    pd.testing.assert_frame_equal(panel.compare(), loose)
    matches = panel.match()
    corrected = panel.with_matches(matches.assign(accept=matches["method"] == "id"))  # reject assisted pairs
    assert (corrected.compare()["kept_assisted"].fillna(0) == 0).all()
    linked = waves.link_alters(nets[1].alters, nets[2].alters, attributes=("category",))
    pd.testing.assert_frame_equal(waves.link_alters(panel, attributes=("category",)), linked)
    pd.testing.assert_frame_equal(waves.alter_flows(panel), waves.alter_flows(linked))
