"""The parents' group as a whole network: measures against networkx and closed forms,
strength treated as strength (not distance), persistence, QAP determinism, positions joined
to burden."""

from __future__ import annotations

import math
from fractions import Fraction
from itertools import combinations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from laoyou_eval import config
from laoyou_eval.networks import io, whole


def _group(ties_by_wave: dict, members=None) -> io.GroupNetwork:
    members = members or sorted({m for ties in ties_by_wave.values() for s, t, _ in ties for m in (s, t)})
    frame = pd.DataFrame({"member_id": members, "caregiver_id": [f"C{m}" for m in members], "role": "核心家长"})
    return io.GroupNetwork(members=frame, ties={w: pd.DataFrame(t, columns=["source", "target", "strength"])
                                                for w, t in ties_by_wave.items()})


@pytest.mark.parametrize("seed", range(5))
def test_node_and_group_measures_match_networkx(seed):
    rng = np.random.default_rng(seed)
    g = nx.gnp_random_graph(11, 0.35, seed=seed)
    members = [f"P{k:02d}" for k in range(11)]
    ties = [(members[u], members[v], int(rng.integers(1, 4))) for u, v in g.edges]
    group = _group({1: ties}, members)
    nodes = whole.node_measures(group).set_index("member_id")
    reference = nx.relabel_nodes(g, dict(enumerate(members)))
    for u, v, s in ties:
        reference[u][v].update(strength=s, distance=Fraction(1, s))   # exact, see below
    between = nx.betweenness_centrality(reference)
    between_strength = nx.betweenness_centrality(reference, weight="distance")
    for m in members:
        assert nodes.loc[m, "degree"] == reference.degree(m)
        assert nodes.loc[m, "degree_centrality"] == pytest.approx(nx.degree_centrality(reference)[m])
        assert nodes.loc[m, "strength"] == reference.degree(m, weight="strength")
        assert nodes.loc[m, "betweenness"] == pytest.approx(between[m])
        assert nodes.loc[m, "betweenness_strength"] == pytest.approx(between_strength[m])
    row = whole.group_measures(group).iloc[0]
    assert row["density"] == pytest.approx(nx.density(reference))
    assert row["components"] == nx.number_connected_components(reference)
    assert row["isolates"] == nx.number_of_isolates(reference)
    degrees = np.array([d for _, d in reference.degree()])
    assert row["degree_centralisation_freeman"] == pytest.approx((degrees.max() - degrees).sum() / (10 * 9))


def test_star_is_fully_centralised():
    group = _group({1: [("P01", f"P0{k}", 1) for k in range(2, 7)]})
    row = whole.group_measures(group).iloc[0]
    assert row["degree_centralisation_freeman"] == pytest.approx(1)
    assert row["betweenness_centralisation_freeman"] == pytest.approx(1)
    assert row["betweenness_strength_centralisation_freeman"] == pytest.approx(1)


def test_strong_ties_are_short_paths():
    # A–B–C with strong ties (3) versus a weak direct tie A–C (1): with strength read as
    # strength, the path through B (length 2/3) beats the direct tie (length 1)
    group = _group({1: [("A", "B", 3), ("B", "C", 3), ("A", "C", 1)]})
    nodes = whole.node_measures(group).set_index("member_id")
    assert nodes.loc["B", "betweenness_strength"] == pytest.approx(1)
    assert nodes.loc["B", "betweenness"] == 0
    # read as a distance (igraph's and networkx's default) the weak tie would look short instead
    g = nx.Graph([("A", "B", {"w": 3}), ("B", "C", {"w": 3}), ("A", "C", {"w": 1})])
    assert nx.betweenness_centrality(g, weight="w")["B"] == 0


def test_small_groups_give_nan_with_a_note():
    group = _group({1: [("A", "B", 2)]})
    row = whole.group_measures(group).iloc[0]
    assert row["density"] == 1 and math.isnan(row["degree_centralisation_freeman"])
    assert row["note"] == "fewer_than_3_members"
    assert whole.node_measures(group)["betweenness"].isna().all()


def test_tie_persistence_and_jaccard():
    group = _group({1: [("A", "B", 1), ("B", "C", 2)], 2: [("B", "A", 3), ("C", "D", 1)]})
    row = whole.tie_change(group).iloc[0]
    assert (row["ties_persisted"], row["ties_dissolved"], row["ties_formed"]) == (1, 1, 1)
    assert row["persistence"] == 0.5 and row["jaccard"] == pytest.approx(1 / 3)
    assert row["strength_change_mean"] == 2


def test_qap_is_deterministic_and_recovers_identical_networks():
    group = io.read_group(config.DEMO_STUDY_DIR)
    first = whole.qap_correlation(group, n_permutations=999, seed=7)
    again = whole.qap_correlation(group, n_permutations=999, seed=7)
    pd.testing.assert_frame_equal(first, again)
    other = whole.qap_correlation(group, n_permutations=999, seed=8)
    assert other["qap_r_pearson"].iloc[0] == first["qap_r_pearson"].iloc[0]
    x = whole.adjacency(group.members, group.ties[1])
    y = whole.adjacency(group.members, group.ties[2])
    iu = np.triu_indices(len(x), 1)
    assert first["qap_r_pearson"].iloc[0] == pytest.approx(np.corrcoef(x[iu], y[iu])[0, 1])
    same = io.GroupNetwork(members=group.members, ties={1: group.ties[1], 2: group.ties[1]})
    identical = whole.qap_correlation(same, n_permutations=999, seed=1).iloc[0]
    assert identical["qap_r_pearson"] == pytest.approx(1) and identical["p_greater"] < 0.01
    empty = io.GroupNetwork(members=group.members, ties={1: group.ties[1], 2: group.ties[1].iloc[:0]})
    assert whole.qap_correlation(empty, n_permutations=9).iloc[0]["note"] == "no_variation"


def test_positions_are_joined_to_burden_by_caregiver_and_wave():
    group = io.read_group(config.DEMO_STUDY_DIR)
    scores = pd.DataFrame({"respondent_id": ["C001", "C001", "C002"], "wave": [1, 2, 2],
                           "zbi12_bedard_total": [30.0, 25.0, 18.0]})
    out = whole.positions(group, scores).set_index(["member_id", "wave"])
    assert out.loc[("P01", 1), "zbi12_bedard_total"] == 30 and out.loc[("P01", 2), "zbi12_bedard_total"] == 25
    assert math.isnan(out.loc[("P02", 1), "zbi12_bedard_total"])
    assert len(out) == 2 * len(group.members)


def test_demo_density_is_near_the_planted_values():
    from laoyou_eval.demo.planted import load_truth

    planted = load_truth(config.DEMO_STUDY_DIR)["expected"]["parents_group"]
    measures = whole.group_measures(io.read_group(config.DEMO_STUDY_DIR)).set_index("wave")
    assert abs(measures.loc[1, "density"] - planted["density_w1"]) < 0.1
    assert abs(measures.loc[2, "density"] - planted["density_w2"]) < 0.1


def _exact_strength_betweenness(ties, members) -> dict:
    """Normalised strength betweenness written out with exact fractions: for every pair s, t
    all shortest paths (Dijkstra on Fraction lengths 1/strength, compared exactly), each
    intermediate node credited with its share of them, divided by (N−1)(N−2)/2."""
    g = nx.Graph()
    g.add_nodes_from(members)
    g.add_edges_from((u, v, {"d": Fraction(1) / Fraction(w)}) for u, v, w in ties)
    credit = dict.fromkeys(members, Fraction(0))
    for s, t in combinations(members, 2):
        if not nx.has_path(g, s, t):
            continue
        paths = list(nx.all_shortest_paths(g, s, t, weight="d"))
        for path in paths:
            for m in path[1:-1]:
                credit[m] += Fraction(1, len(paths))
    n = len(members)
    return {m: float(c / Fraction((n - 1) * (n - 2), 2)) for m, c in credit.items()}


def test_equal_shortest_paths_share_strength_betweenness():
    """A–B–C–D–E (strengths 2, 2, 1, 3) and A–F–G–H–E (2, 3, 2, 1) are both 7/3 long.
    By hand, B lies on the only shortest path of A–C, A–D, C–F and C–G, and on one of the two
    equally short paths of A–E (ABCDE, AFGHE: 7/3 each) and of C–H (CDEH, CBAFGH: 11/6 each):
    1 + 1 + 1 + 1 + ½ + ½ = 5, divided by (N−1)(N−2)/2 = 21 gives 5/21 = 0.2381.  With float
    distances 1/s networkx credits only one of each pair of equal paths: 0.2262."""
    ties = [("A", "B", 2), ("B", "C", 2), ("C", "D", 1), ("D", "E", 3),
            ("A", "F", 2), ("F", "G", 3), ("G", "H", 2), ("H", "E", 1)]
    members = list("ABCDEFGH")
    nodes = whole.node_measures(_group({1: ties}, members)).set_index("member_id")
    exact = _exact_strength_betweenness(ties, members)
    assert exact["B"] == pytest.approx(0.2381, abs=5e-5) and exact["B"] == pytest.approx(5 / 21)
    for m in members:
        assert nodes.loc[m, "betweenness_strength"] == pytest.approx(exact[m], abs=1e-12)
    floating = nx.Graph()
    floating.add_edges_from((u, v, {"d": 1 / w}) for u, v, w in ties)
    assert nx.betweenness_centrality(floating, weight="d")["B"] == pytest.approx(0.2262, abs=5e-5)


@pytest.mark.parametrize("seed", range(4))
def test_strength_betweenness_is_exact_on_random_groups(seed):
    rng = np.random.default_rng(100 + seed)
    n = int(rng.integers(25, 31))
    members = [f"M{k:02d}" for k in range(n)]
    g = nx.gnp_random_graph(n, 0.15, seed=seed)
    ties = [(members[u], members[v], int(rng.integers(1, 4))) for u, v in g.edges]
    group = _group({1: ties}, members)
    nodes = whole.node_measures(group).set_index("member_id")
    exact = _exact_strength_betweenness(ties, members)
    got = nodes["betweenness_strength"]
    assert max(abs(got[m] - exact[m]) for m in members) < 1e-12
    values = np.array([exact[m] for m in members])
    row = whole.group_measures(group).iloc[0]
    assert row["betweenness_strength_centralisation_freeman"] == pytest.approx(
        (values.max() - values).sum() / (n - 1), abs=1e-12)


def test_exact_distances_keep_ratios():
    assert whole.exact_distances([1, 2, 3]) == [6, 3, 2]
    assert whole.exact_distances([0.5, 2.5]) == [10, 2]
    assert whole.exact_distances([]) == []
