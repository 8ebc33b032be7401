"""Directed alter–alter ties (``directed=True``): networkx on DiGraphs as the second
implementation, closed forms computed by hand, validation, composition, waves and study.yaml."""

from __future__ import annotations

import math
import shutil

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import yaml

from laoyou_eval import config, study
from laoyou_eval.errors import LaoyouError, StudyFolderError
from laoyou_eval.networks import EgoPanel, count_dyads, ego_measures, ei_groups, io, problems, validate


def _random_digraphs(seed: int, count: int, max_size: int = 9, weighted: bool = False) -> dict:
    rng = np.random.default_rng(seed)
    graphs = {}
    for k in range(count):
        n = int(rng.integers(0, max_size + 1))
        g = nx.gnp_random_graph(n, float(rng.random()), seed=int(rng.integers(2 ** 31)), directed=True)
        for u, v in g.edges:
            g[u][v]["weight"] = float(rng.choice([1, 2])) if weighted else 1.0
        graphs[f"e{k:03d}"] = g
    return graphs


def _tables(graphs: dict, weight: bool = False):
    alters = pd.DataFrame([{"ego_id": e, "alter_id": str(a)} for e, g in graphs.items() for a in g.nodes],
                          columns=["ego_id", "alter_id"])
    ties = pd.DataFrame([{"ego_id": e, "source": str(u), "target": str(v), "weight": d.get("weight", 1.0)}
                         for e, g in graphs.items() for u, v, d in g.edges(data=True)],
                        columns=["ego_id", "source", "target", "weight"])
    return alters, ties if weight else ties.drop(columns="weight")


def _with_ego(g: nx.DiGraph, ego_weight: float = 1.0) -> nx.DiGraph:
    """The ego network as a DiGraph: the ego's ties are the arcs EGO → alter."""
    full = nx.relabel_nodes(g, str)
    for a in list(full.nodes):
        full.add_edge("EGO", a, weight=ego_weight)
    full.add_node("EGO")
    return full


def _same(a, b) -> bool:
    return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


@pytest.mark.parametrize("seed", range(5))
def test_every_structural_measure_matches_networkx_on_random_digraphs(seed):
    graphs = _random_digraphs(seed, 60)
    alters, ties = _tables(graphs)
    result = ego_measures(alters, ties, egos=list(graphs), directed=True).set_index("ego_id")
    for ego, g in graphs.items():
        row, n, t = result.loc[ego], g.number_of_nodes(), g.number_of_edges()
        assert row["size"] == n and row["ties"] == t
        assert _same(row["density"], nx.density(g) if n >= 2 else math.nan)  # t / (n(n-1)) on a DiGraph
        full = _with_ego(g)
        # nodes= selects networkx's reference loop over mutual weights (see test_networks_measures)
        effective_size = nx.effective_size(full, nodes=["EGO"])["EGO"] if n else math.nan
        constraint = nx.constraint(full, nodes=["EGO"])["EGO"] if n else math.nan
        assert _same(row["effective_size"], effective_size)
        assert _same(row["efficiency"], effective_size / n if n else math.nan)
        assert _same(row["constraint"], constraint)
        weak = list(nx.weakly_connected_components(g))
        assert row["components"] == len(weak)
        assert row["largest_component"] == max((len(c) for c in weak), default=0)
        assert row["isolates"] == nx.number_of_isolates(g)
        if n >= 2:
            reach = sum(len(nx.descendants(g, v)) for v in g)
            assert _same(row["fragmentation"], 1 - reach / (n * (n - 1)))
            assert _same(row["component_ratio"], (len(weak) - 1) / (n - 1))
            assert row["brokerage"] == n * (n - 1) - t
            assert _same(row["brokerage_normalised"], 1 - nx.density(g))


@pytest.mark.parametrize("seed", range(3))
def test_weighted_directed_burt_measures_match_networkx(seed):
    graphs = _random_digraphs(50 + seed, 40, weighted=True)
    alters, ties = _tables(graphs, weight=True)
    result = ego_measures(alters, ties, egos=list(graphs), weight_max=2, weighted=True,
                          directed=True).set_index("ego_id")
    for ego, g in graphs.items():
        n = g.number_of_nodes()
        if not n:
            continue
        full = _with_ego(g, ego_weight=2.0)  # default ego–alter strength: weight_max
        row = result.loc[ego]
        assert _same(row["effective_size_weighted"], nx.effective_size(full, nodes=["EGO"], weight="weight")["EGO"])
        assert _same(row["constraint_weighted"], nx.constraint(full, nodes=["EGO"], weight="weight")["EGO"])
        total = sum(d["weight"] for *_, d in g.edges(data=True))
        assert _same(row["density_weighted"], total / 2 / (n * (n - 1)) if n >= 2 else math.nan)


def test_closed_forms_by_hand():
    # e: three reciprocated pairs (6 arcs); f: one arc a -> b; g: a <-> b reciprocated
    alters = pd.DataFrame({"ego_id": ["e"] * 3 + ["f"] * 2 + ["g"] * 2, "alter_id": list("abcabab")})
    ties = pd.DataFrame({"ego_id": ["e"] * 6 + ["f"] + ["g"] * 2, "source": list("abcbca") + ["a", "a", "b"],
                         "target": list("bcaabc") + ["b", "b", "a"]})
    r = ego_measures(alters, ties, directed=True).set_index("ego_id")
    # density t / (n(n-1)): 6/6, 1/2, 2/2
    assert r["density"].tolist() == [1.0, 0.5, 1.0]
    # mutual strengths 2 between reciprocated alters, 1 to the ego: p_qj = 2/(1 + 4) = 2/5,
    # constraint = 3 (1/3 + 2 (1/3)(2/5))^2 = 3 (9/15)^2 = 1.08
    assert r.loc["e", "constraint"] == pytest.approx(1.08, abs=1e-15)
    # one arc: p_ab = 1/(1 + 1) = 1/2, constraint = 2 (1/2 + 1/2 * 1/2)^2 = 9/8 (as undirected)
    assert r.loc["f", "constraint"] == pytest.approx(9 / 8, abs=1e-15)
    # reciprocated pair: p_ab = 2/3, constraint = 2 (1/2 + 1/2 * 2/3)^2 = 50/36
    assert r.loc["g", "constraint"] == pytest.approx(50 / 36, abs=1e-15)
    # effective size: n - t/n when every arc is reciprocated, n - 2t/n when none is
    assert r.loc["e", "effective_size"] == pytest.approx(3 - 6 / 3, abs=1e-15)
    assert r.loc["g", "effective_size"] == pytest.approx(2 - 2 / 2, abs=1e-15)
    assert r.loc["f", "effective_size"] == pytest.approx(2 - 2 * 1 / 2, abs=1e-15)
    # f: b cannot reach a, so half of the ordered pairs are unreachable; one pair lacks an arc
    assert r.loc["f", "fragmentation"] == 0.5 and r.loc["f", "brokerage"] == 1
    assert r.loc["e", "fragmentation"] == 0.0 and r.loc["e", "brokerage"] == 0


def test_closed_forms_of_effective_size_on_random_networks():
    rng = np.random.default_rng(3)
    graphs = {}
    for k in range(30):
        n = int(rng.integers(2, 10))
        g = nx.gnp_random_graph(n, 0.5, seed=int(rng.integers(2 ** 31)))
        graphs[f"r{k}"] = g.to_directed()                                              # every arc reciprocated
        graphs[f"o{k}"] = nx.DiGraph([(u, v) for u, v in g.edges])  # one arc per pair, none reciprocated
        graphs[f"o{k}"].add_nodes_from(range(n))
    alters, ties = _tables(graphs)
    r = ego_measures(alters, ties, egos=list(graphs), directed=True).set_index("ego_id")
    n, t = r["size"].astype(float), r["ties"].astype(float)
    reciprocated = r.index.str.startswith("r")
    np.testing.assert_allclose(r["effective_size"][reciprocated], (n - t / n)[reciprocated], rtol=0, atol=1e-12)
    np.testing.assert_allclose(r["effective_size"][~reciprocated], (n - 2 * t / n)[~reciprocated], rtol=0,
                               atol=1e-12)
    np.testing.assert_allclose(r["density"], t / (n * (n - 1)), rtol=0, atol=1e-15)


def test_max_netsize_caps_the_directed_denominator():
    alters = pd.DataFrame({"ego_id": "e", "alter_id": list("abcde")})
    ties = pd.DataFrame({"ego_id": "e", "source": ["a", "b", "c"], "target": ["b", "a", "a"]})
    r = ego_measures(alters, ties, directed=True, max_netsize=3)
    assert r["density"].iloc[0] == 3 / (3 * 2)


def test_two_directions_are_two_ties_and_only_a_literal_repeat_is_a_duplicate():
    alters = pd.DataFrame({"ego_id": "e", "alter_id": ["a", "b"]})
    both = pd.DataFrame({"ego_id": "e", "source": ["a", "b"], "target": ["b", "a"]})
    assert ego_measures(alters, both, directed=True)["ties"].iloc[0] == 2
    with pytest.raises(LaoyouError, match="listed twice"):  # undirected: b–a repeats a–b
        ego_measures(alters, both)
    repeat = pd.DataFrame({"ego_id": "e", "source": ["a", "b", " a"], "target": ["b", "a", "b"]})
    with pytest.raises(LaoyouError, match="directed tie") as info:
        ego_measures(alters, repeat, directed=True)
    assert info.value.row == 4
    flagged = ego_measures(alters, repeat, directed=True, errors="flag")
    assert flagged["ties"].iloc[0] == 2
    assert problems(flagged)["issue"].tolist() == ["duplicate_arc"]
    _, _, clean, report = validate(alters, repeat, directed=True, errors="flag")
    assert len(clean) == 2 and report["row"].tolist() == [4]


def test_composition_of_directed_ties():
    alters = pd.DataFrame({"ego_id": "e", "alter_id": [1, 2, 3, 4], "kin": ["kin", "kin", "friend", "friend"]})
    ties = pd.DataFrame({"ego_id": "e", "source": [1, 2, 1, 3, 4], "target": [2, 1, 3, 1, 1]})
    dyads = count_dyads(alters, ties, "kin", directed=True, categories=["kin", "friend"])
    counts = {(a, b): n for a, b, n in dyads[["category_a", "category_b", "n"]].itertuples(index=False)}
    assert counts == {("kin", "kin"): 2, ("kin", "friend"): 1, ("friend", "kin"): 2}
    # whole-network EI over arcs: I = 2 (1<->2), E = 3; possible ordered pairs within 2 + 2 = 4,
    # between 2·2·2 = 8: d_I = 2/4, d_E = 3/8, rescaled EI = (3/8 - 1/2)/(3/8 + 1/2) = -1/7
    r = ego_measures(alters, ties, homophily=["kin"], directed=True)
    assert r["kin_ei_alter_alter_raw"].iloc[0] == pytest.approx((3 - 2) / 5, abs=1e-15)
    assert r["kin_ei_alter_alter_rescaled"].iloc[0] == pytest.approx(-1 / 7, abs=1e-15)
    groups = ei_groups(alters, ties, "kin", directed=True).set_index("category")
    # kin: I = 2 of 2 ordered pairs, E = 3 arcs in or out of 2·2·2 = 8 -> (3/8 - 1)/(3/8 + 1) = -5/11
    assert groups.loc["kin", "ties_within"] == 2 and groups.loc["kin", "ties_between"] == 3
    assert groups.loc["kin", "ei_rescaled"] == pytest.approx(-5 / 11, abs=1e-15)
    # friend: I = 0 of 2, E = 3 of 8 -> (3/8 - 0)/(3/8) = 1
    assert groups.loc["friend", "ei_rescaled"] == 1.0


def _wave(ids, arcs, directed=True):
    from laoyou_eval.networks.model import EgoNetworks

    alters = pd.DataFrame({"ego_id": "e1", "alter_no": [str(i) for i in range(len(ids))], "alter_id": ids})
    ties = pd.DataFrame({"ego_id": "e1", "source": [s for s, _ in arcs], "target": [t for _, t in arcs]},
                        columns=["ego_id", "source", "target"])
    return EgoNetworks(egos=pd.DataFrame({"ego_id": ["e1"]}), alters=alters, ties=ties, alter="alter_no",
                       directed=directed)


def test_panel_counts_each_direction_as_its_own_tie():
    before = _wave(["a", "b", "c"], [("0", "1"), ("1", "2")])
    after = _wave(["a", "b", "c"], [("0", "1"), ("2", "1")])  # a->b persists, b->c dissolves, c->b forms
    row = EgoPanel(before, after).compare().iloc[0]
    assert (row["ties_persisted"], row["ties_dissolved"], row["ties_formed"]) == (1, 1, 1)
    undirected = EgoPanel(_wave(["a", "b", "c"], [("0", "1"), ("1", "2")], False),
                          _wave(["a", "b", "c"], [("0", "1"), ("2", "1")], False)).compare().iloc[0]
    assert (undirected["ties_persisted"], undirected["ties_formed"]) == (2, 0)
    assert before.measures()["ties"].iloc[0] == 2
    with pytest.raises(LaoyouError, match="directed"):
        EgoPanel(before, _wave(["a"], [], directed=False)).compare()


def test_study_yaml_declares_directed_ties(tmp_path):
    from test_study import MINIMAL

    spec = study.StudySpec.from_dict({**MINIMAL, "networks": {"directed": True, "buddy": {"relation": ["志愿者"]}}})
    assert spec.ties_directed and spec.networks == {"buddy": {"relation": ["志愿者"]}}
    assert not study.StudySpec.from_dict(MINIMAL).ties_directed
    with pytest.raises(StudyFolderError, match="networks.directed"):
        study.StudySpec.from_dict({**MINIMAL, "networks": {"directed": "yes"}})
    folder = tmp_path / "demo"
    shutil.copytree(config.DEMO_STUDY_DIR, folder)
    doc = yaml.safe_load((folder / "study.yaml").read_text(encoding="utf-8"))
    doc["networks"] = {**(doc.get("networks") or {}), "directed": True}
    (folder / "study.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    nets = io.read_name_generator(folder, key="k")
    undirected = io.read_name_generator(config.DEMO_STUDY_DIR, key="k")
    assert all(net.directed for net in nets.values())
    wave = min(nets)
    directed_measures, plain = nets[wave].measures(weight_max=2), undirected[wave].measures(weight_max=2)
    assert (directed_measures["ties"] == plain["ties"]).all()  # each listed pair is one arc
    both = plain["size"] >= 2
    np.testing.assert_allclose(directed_measures["density"][both], plain["density"][both] / 2, rtol=1e-15)
    EgoPanel.from_waves(nets).compare()


def test_egor_three_files_can_be_read_as_directed():
    egos = pd.DataFrame({"egoID": [1]})
    alters = pd.DataFrame({"egoID": [1, 1], "alterID": [1, 2]})
    aaties = pd.DataFrame({"egoID": [1, 1], "Source": [1, 2], "Target": [2, 1]})
    net = io.from_egor_threefiles(egos, alters, aaties, directed=True)
    assert net.directed and net.measures()["density"].iloc[0] == 1.0  # 2 arcs of n(n-1) = 2
    with pytest.raises(LaoyouError, match="listed twice"):
        io.from_egor_threefiles(egos, alters, aaties)
