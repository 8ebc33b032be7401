"""Importers: the study's name generator (pseudonymised), egor's one-, two- and three-file
layouts, Network Canvas CSV exports, and the parents' group."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pandas as pd
import pytest

from laoyou_eval import config
from laoyou_eval.demo import networks as generator
from laoyou_eval.demo import settings
from laoyou_eval.errors import LaoyouError
from laoyou_eval.networks import ego_measures, io


def test_questionnaire_vocabulary_matches_the_demo_generator():
    from laoyou_eval import study

    assert io.CLOSENESS_LEVELS == generator.CLOSENESS
    # the demo declares its categories in its study.yaml, as any study does; the library names none
    assert study.load_metadata(config.DEMO_STUDY_DIR)["networks"] == settings.NETWORK_CATEGORIES
    assert not hasattr(io, "BUDDY_RELATION") and not hasattr(io, "KIN_RELATIONS")


@pytest.fixture(scope="module")
def demo():
    return io.read_name_generator(config.DEMO_STUDY_DIR, key="test key")


def test_demo_name_generator_is_read_without_names(demo):
    assert set(demo) == {1, 2}
    for wave, net in demo.items():
        assert "alter_name" not in net.alters and "name_code" in net.alters
        assert net.problems.empty and net.alter == "alter_no"
        assert set(net.alters["category"].dropna()) <= set(io.ALTER_CATEGORIES)
        assert set(net.egos["arm"]) <= {"programme", "comparison"}
    raw = pd.read_csv(config.DEMO_STUDY_DIR / "networks/alters_w1.csv", dtype=str)
    names = set(raw["alter_name"])
    text = demo[1].alters.to_csv()
    assert not any(name in text for name in names if len(name) > 1)
    # buddies appear only at wave 2 and only for the programme arm
    assert not demo[1].alters["buddy"].any()
    buddy_egos = demo[2].alters.loc[demo[2].alters["buddy"], "ego_id"]
    arm = demo[2].egos.set_index("ego_id")["arm"]
    assert set(arm[buddy_egos]) == {"programme"}


def test_respondents_keep_egos_who_named_nobody(tmp_path):
    study = tmp_path / "study"
    shutil.copytree(config.DEMO_STUDY_DIR, study)
    alters = pd.read_csv(study / "networks/alters_w2.csv", dtype=str, encoding="utf-8-sig")
    alters[alters.ego_id != "R001"].to_csv(study / "networks/alters_w2.csv", index=False, encoding="utf-8-sig")
    ties = pd.read_csv(study / "networks/alter_ties_w2.csv", dtype=str, encoding="utf-8-sig")
    ties[ties.ego_id != "R001"].to_csv(study / "networks/alter_ties_w2.csv", index=False, encoding="utf-8-sig")
    baseline = pd.read_csv(study / "networks/alters_w1.csv", dtype=str, encoding="utf-8-sig")["ego_id"].unique()
    follow_up = ["R001", *alters.loc[alters.ego_id != "R001", "ego_id"].unique()]
    respondents = pd.DataFrame({"respondent_id": [*baseline, *follow_up],
                                "wave": [1] * len(baseline) + [2] * len(follow_up)})
    net = io.read_name_generator(study, respondents)[2]
    assert list(net.egos["ego_id"]) == sorted(follow_up)
    result = net.measures(weight_max=io.TIE_WEIGHT_MAX).set_index("ego_id")
    assert result.loc["R001", "size"] == 0 and result.loc["R001", "note"] == "no_alters"


def test_pseudonyms_keep_edit_distance_and_depend_on_the_key():
    alters = pd.DataFrame({"alter_name": ["小李", "小黎", "妈妈", ""]})
    a = io.pseudonymise_names(alters, key="k1")["name_code"]
    b = io.pseudonymise_names(alters, key="k2")["name_code"]
    first, second = a[0].split(), a[1].split()
    assert first[0] == second[0] and first[1] != second[1]  # 小 shared, 李/黎 differ
    assert a[2].split()[0] == a[2].split()[1] and a[3] == ""
    assert a[0] != b[0]
    assert "小" not in "".join(a)


def test_alter_categories():
    alters = pd.DataFrame({"relation": ["母亲", "志愿者（老友）", "朋友", "朋友", None],
                           "met_where": ["家庭", "老友计划（结对）", "通过老友认识", "学校", "学校"]})
    out = io.alter_categories(alters, settings.NETWORK_CATEGORIES)
    assert list(out["category"].fillna("NA")) == ["kin", "buddy", "via_programme", "other_nonkin", "NA"]
    assert list(out["kinship"].fillna("NA")) == ["kin", "nonkin", "nonkin", "nonkin", "NA"]
    assert list(out["programme_tie"]) == [False, True, True, False, False]
    assert list(out["category_note"]) == ["", "", "", "", "relation_missing"]


def test_undeclared_alter_categories_are_undetermined_not_false():
    alters = pd.DataFrame({"relation": ["母亲", "志愿者（老友）", "朋友"], "met_where": ["家庭", "老友计划（结对）", "学校"]})
    out = io.alter_categories(alters)
    assert out["buddy"].isna().all() and out["programme_tie"].isna().all()
    assert out["category"].isna().all() and out["kinship"].isna().all()
    assert set(out["category_note"]) == {"kin_undeclared; buddy_undeclared; via_programme_undeclared"}
    kin_only = io.alter_categories(alters, {"kin": {"relation": ["母亲"]}})
    # kin is decided; the others cannot be told from a buddy without the study's buddy answers
    assert kin_only["category"].tolist()[0] == "kin" and kin_only["category"].iloc[1:].isna().all()
    assert kin_only["kinship"].tolist() == ["kin", "nonkin", "nonkin"] and kin_only["buddy"].isna().all()
    with pytest.raises(LaoyouError, match="unknown categories"):
        io.alter_categories(alters, {"friends": {"relation": ["朋友"]}})
    with pytest.raises(LaoyouError, match="no column 'met'"):
        io.alter_categories(alters, {"buddy": {"met": ["x"]}})


# --- egor layouts -----------------------------------------------------------------------------
def _one_file():
    """egor's one_file_8.csv shape with 3 slots: egoID, netsize, alter.sex.k, alter.age.k, Xi.to.j."""
    return pd.DataFrame({
        "egoID": ["1", "2", "3"], "sex": ["w", "m", "m"], "netsize": ["3", "2", "0"],
        "alter.sex.1": ["w", "m", ""], "alter.age.1": ["18 - 25", "66 - 100", ""],
        "alter.sex.2": ["m", "w", ""], "alter.age.2": ["26 - 35", "36 - 45", ""],
        "alter.sex.3": ["m", "", ""], "alter.age.3": ["36 - 45", "", ""],
        "X1.to.2": ["1", "2", ""], "X1.to.3": ["0", "", ""], "X2.to.3": ["2", "", ""],
    })


def test_egor_one_file_layout():
    net = io.from_egor_onefile(_one_file())
    assert list(net.egos.columns) == ["ego_id", "sex", "netsize"]
    assert net.alters.groupby("ego_id").size().to_dict() == {"1": 3, "2": 2}
    assert list(net.alters.loc[net.alters.ego_id == "1", "age"]) == ["18 - 25", "26 - 35", "36 - 45"]
    assert sorted(zip(net.ties.ego_id, net.ties.source, net.ties.target, net.ties.weight)) == [
        ("1", "1", "2", 1.0), ("1", "2", "3", 2.0), ("2", "1", "2", 2.0)]
    result = ego_measures(net.alters, net.ties, net.egos, weight_max=2).set_index("ego_id")
    assert result.loc["3", "size"] == 0 and result.loc["1", "density"] == pytest.approx(2 / 3)


def test_egor_one_file_tie_beyond_netsize_is_a_problem():
    data = _one_file()
    data.loc[1, "X1.to.3"] = "1"  # ego 2 named 2 alters only
    with pytest.raises(LaoyouError, match="not on that ego's list"):
        io.from_egor_onefile(data)
    flagged = io.from_egor_onefile(data, errors="flag")
    assert list(flagged.problems["issue"]) == ["unknown_alter"]


def test_egor_one_file_without_netsize_drops_blank_slots():
    net = io.from_egor_onefile(_one_file().drop(columns="netsize"), netsize=None)
    assert net.alters.groupby("ego_id").size().to_dict() == {"1": 3, "2": 2}


def test_egor_two_and_three_file_layouts_agree():
    egos = pd.DataFrame({"egoID": ["1", "2"], "age": ["30", "41"], "X1.to.2": ["1", ""], "X2.to.3": ["1", ""]})
    alters = pd.DataFrame({"egoID": ["1", "1", "1", "2"], "alterID": ["1", "2", "3", "1"], "sex": list("mwmw")})
    aaties = pd.DataFrame({"egoID": ["1", "1"], "Source": ["1", "2"], "Target": ["2", "3"]})
    two = io.from_egor_twofiles(egos, alters)
    three = io.from_egor_threefiles(egos.drop(columns=["X1.to.2", "X2.to.3"]), alters, aaties)
    m2 = ego_measures(two.alters, two.ties, two.egos)
    m3 = ego_measures(three.alters, three.ties, three.egos)
    pd.testing.assert_frame_equal(m2, m3)
    assert list(m2["ties"]) == [2, 0] and list(two.egos.columns) == ["ego_id", "age"]


def test_egor_three_files_with_a_duplicate_alter():
    alters = pd.DataFrame({"egoID": ["1", "1"], "alterID": ["1", "1"]})
    with pytest.raises(LaoyouError) as error:
        io.from_egor_threefiles(pd.DataFrame({"egoID": ["1"]}), alters, pd.DataFrame(columns=["egoID", "Source", "Target"]))
    assert error.value.row == 3 and error.value.column == "alter_id"


# --- Network Canvas ---------------------------------------------------------------------------
EGO_META = ["networkCanvasEgoUUID", "networkCanvasCaseID", "networkCanvasSessionID", "networkCanvasProtocolName",
            "sessionStart", "sessionFinish", "sessionExported", "APP_VERSION", "COMMIT_HASH"]


def _session(folder, case, session, ego_uuid, people, edges):
    stem = f"{case}_{session}"
    pd.DataFrame([[ego_uuid, case, session, "laoyou", "", "", "", "6.5.2", "abc"]], columns=EGO_META).assign(
        ego_note=["'=SUM(A1)"]).to_csv(folder / f"{stem}_ego.csv", index=False)
    nodes = pd.DataFrame([{"nodeID": k, "networkCanvasEgoUUID": ego_uuid, "networkCanvasUUID": uuid, "name": name,
                           "relation_family": fam, "relation_friend": fr, "close": close, "layout_x": 0.1 * k}
                          for k, (uuid, name, fam, fr, close) in enumerate(people, start=1)])
    nodes.to_csv(folder / f"{stem}_attributeList_Person.csv", index=False)
    rows = [{"edgeID": k, "from": 0, "to": 0, "networkCanvasEgoUUID": ego_uuid, "networkCanvasUUID": f"e{k}",
             "networkCanvasSourceUUID": s, "networkCanvasTargetUUID": t} for k, (s, t) in enumerate(edges)]
    pd.DataFrame(rows, columns=["edgeID", "from", "to", "networkCanvasEgoUUID", "networkCanvasUUID",
                                "networkCanvasSourceUUID", "networkCanvasTargetUUID"]).to_csv(
        folder / f"{stem}_edgeList_knows.csv", index=False)


def test_network_canvas_sessions_are_merged_guarded_and_folded(tmp_path):
    _session(tmp_path, "C1", "s1", "ego-1",
             [("u1", "王芳", "true", "false", "true"), ("u2", "-李", "false", "true", "false"),
              ("u3", "小张", "false", "false", "false")],
             [("u1", "u2"), ("u2", "u3")])
    _session(tmp_path, "C2", "s2", "ego-2", [("v1", "赵", "true", "false", "true")], [])
    with pytest.warns(UserWarning, match="folded relation_family, relation_friend -> relation"):
        net = io.read_network_canvas(tmp_path, key="k")
    assert list(net.egos["ego_id"]) == ["ego-1", "ego-2"]
    assert net.egos["ego_note"].iloc[0] == "=SUM(A1)"  # formula guard stripped
    assert list(net.alters["relation"].fillna("NA")) == ["family", "friend", "NA", "family"]  # all false = missing
    assert net.alters.attrs["folded"] == {"relation": ["relation_family", "relation_friend"]}
    assert "name" not in net.alters and "close" in net.alters  # a lone true/false column stays as it is
    assert len(net.ties) == 2 and set(net.ties["edge_type"]) == {"knows"}
    result = ego_measures(net.alters, net.ties, net.egos).set_index("ego_id")
    assert result.loc["ego-1", "ties"] == 2 and result.loc["ego-2", "size"] == 1


def test_network_canvas_explicit_categories_and_bad_edges(tmp_path):
    _session(tmp_path, "C1", "s1", "ego-1", [("u1", "a", "true", "false", "true"), ("u2", "b", "false", "true", "true")],
             [("u1", "u9")])
    with pytest.raises(LaoyouError) as error:
        io.read_network_canvas(tmp_path, categorical={"relation": ["family", "friend"]})
    assert error.value.column == "target"
    net = io.read_network_canvas(tmp_path, categorical={}, errors="flag")
    assert "relation_family" in net.alters and net.ties.empty and len(net.problems) == 1


def test_network_canvas_folder_without_exports(tmp_path):
    with pytest.raises(LaoyouError, match="No Network Canvas"):
        io.read_network_canvas(tmp_path)


# --- the parents' group -----------------------------------------------------------------------
def test_demo_parents_group():
    group = io.read_group(config.DEMO_STUDY_DIR)
    assert len(group.members) == 11 and set(group.ties) == {1, 2} and group.problems.empty
    assert group.ties[1]["strength"].between(1, 3).all()


def test_group_ties_are_validated(tmp_path):
    study = tmp_path / "study"
    shutil.copytree(config.DEMO_STUDY_DIR, study)
    path = study / "parents_group/ties_w2.csv"
    ties = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
    ties.loc[0, "strength"] = "4"
    ties.to_csv(path, index=False, encoding="utf-8-sig")
    with pytest.raises(LaoyouError) as error:
        io.read_group(study)
    assert (error.value.file, error.value.row, error.value.column) == ("ties_w2.csv", 2, "strength")
    flagged = io.read_group(study, errors="flag")
    assert list(flagged.problems["issue"]) == ["weight_out_of_range"]
    assert len(flagged.ties[2]) == len(ties) - 1
    assert np.isfinite(flagged.ties[2]["strength"]).all()


# --- Network Canvas: several edge types, folding ----------------------------------------------
def _nc_folder(folder, node_columns: dict, edges: dict):
    """One session: ego-1 with alters u1..u3 carrying ``node_columns``; ``edges`` edge type -> pairs."""
    pd.DataFrame([["ego-1", "C1", "s1", "p", "", "", "", "6.5.2", "abc"]], columns=EGO_META).to_csv(
        folder / "C1_s1_ego.csv", index=False)
    nodes = pd.DataFrame({"nodeID": [1, 2, 3], "networkCanvasEgoUUID": "ego-1", "networkCanvasUUID": ["u1", "u2", "u3"],
                          **node_columns})
    nodes.to_csv(folder / "C1_s1_attributeList_Person.csv", index=False)
    for kind, pairs in edges.items():
        pd.DataFrame([{"edgeID": k, "from": 0, "to": 0, "networkCanvasEgoUUID": "ego-1", "networkCanvasUUID": f"{kind}{k}",
                       "networkCanvasSourceUUID": s, "networkCanvasTargetUUID": t} for k, (s, t) in enumerate(pairs)],
                     columns=["edgeID", "from", "to", "networkCanvasEgoUUID", "networkCanvasUUID",
                              "networkCanvasSourceUUID", "networkCanvasTargetUUID"],
                     ).to_csv(folder / f"C1_s1_edgeList_{kind}.csv", index=False)  # header even when empty, as NC


def test_a_pair_tied_in_two_edge_types_is_two_ties_not_a_repeat(tmp_path):
    _nc_folder(tmp_path, {}, {"Close": [("u1", "u2"), ("u2", "u3")], "SexTie": [("u1", "u2")]})
    net = io.read_network_canvas(tmp_path, errors="flag")
    assert net.problems.empty
    assert sorted(net.ties["edge_type"]) == ["Close", "Close", "SexTie"]
    per_type = {kind: n.measures().set_index("ego_id").loc["ego-1", "ties"] for kind, n in io.by_edge_type(net).items()}
    assert per_type == {"Close": 2, "SexTie": 1}
    # a real repeat within one type is still one
    _nc_folder(tmp_path, {}, {"Close": [("u1", "u2"), ("u2", "u1")]})
    (tmp_path / "C1_s1_edgeList_SexTie.csv").unlink()
    with pytest.raises(LaoyouError):
        io.read_network_canvas(tmp_path)


def test_option_columns_that_split_two_ways_are_not_folded_without_a_protocol(tmp_path):
    options = {"gender_cis_male": ["true", "false", "false"], "gender_cis_female": ["false", "true", "false"],
               "gender_trans_male": ["false", "false", "true"], "gender_trans_female": ["false", "false", "false"]}
    _nc_folder(tmp_path, options, {"Close": []})
    with pytest.warns(UserWarning, match="ambiguous"):
        net = io.read_network_canvas(tmp_path)
    assert set(options) <= set(net.alters.columns)  # kept as they are, not split into gender_cis / gender_trans
    assert "options_ambiguous" in set(net.problems["issue"])
    protocol = tmp_path / "protocol.json"
    protocol.write_text(json.dumps({"codebook": {"node": {"t1": {"name": "Person", "variables": {
        "v1": {"name": "gender", "type": "categorical",
               "options": [{"value": v, "label": v} for v in ("cis_male", "cis_female", "trans_male", "trans_female")]},
    }}}}}), encoding="utf-8")
    net = io.read_network_canvas(tmp_path, protocol=protocol)
    assert net.alters["gender"].tolist() == ["cis_male", "cis_female", "trans_male"]
    assert net.alters.attrs["folded"]["gender"] == list(options)


def test_no_option_true_is_missing_and_counted(tmp_path):
    _nc_folder(tmp_path, {"support_emotional": ["true", "false", ""], "support_advice": ["true", "false", ""]},
               {"Close": []})
    with pytest.warns(UserWarning, match="folded"):
        net = io.read_network_canvas(tmp_path)
    assert net.alters["support"].fillna("NA").tolist() == ["emotional;advice", "NA", "NA"]
    none_true = net.problems.query("issue == 'options_none_true'")
    assert none_true["column"].tolist() == ["support"] and none_true["value"].str.startswith("1 ").all()


def test_broken_protocol_and_missing_uuid_columns_are_laoyou_errors(tmp_path):
    _nc_folder(tmp_path, {}, {"Close": []})
    bad = tmp_path / "protocol.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(LaoyouError, match="protocol"):
        io.read_network_canvas(tmp_path, protocol=bad)
    pd.DataFrame({"nodeID": [1]}).to_csv(tmp_path / "C1_s1_attributeList_Person.csv", index=False)
    with pytest.raises(LaoyouError) as error:
        io.read_network_canvas(tmp_path)
    assert error.value.column == "networkCanvasEgoUUID"


def test_egor_tables_without_their_id_columns_or_with_a_text_netsize():
    with pytest.raises(LaoyouError) as error:
        io.from_egor_threefiles(pd.DataFrame({"id": ["1"]}), pd.DataFrame({"egoID": ["1"], "alterID": ["1"]}),
                                pd.DataFrame(columns=["egoID", "Source", "Target"]))
    assert error.value.column == "egoID"
    with pytest.raises(LaoyouError) as error:
        io.from_egor_onefile(pd.DataFrame({"egoID": ["1", "2"], "netsize": ["1", "two"], "alter.sex.1": ["m", "w"],
                                           "X1.to.2": ["", ""]}))
    assert error.value.row == 3 and error.value.column == "netsize"
