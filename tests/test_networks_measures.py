"""Ego-network measures: networkx as the reference on many random ego networks, the
closed-form cases of ego_networks.md §5, networkx's structural-holes test values, egor's
published definitions (EI, rescaled EI, entropy, IQV) on hand-built networks, the edge-case
policy and bad input."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from laoyou_eval.errors import LaoyouError
from laoyou_eval.networks import ego_measures, ei_groups, problems, validate
from laoyou_eval.networks.notes import explain_note


def _tables(graphs: dict, weight: bool = False):
    """alters/ties tables of {ego: networkx graph of its alters}."""
    alters = pd.DataFrame([{"ego_id": e, "alter_id": str(a), **g.nodes[a]} for e, g in graphs.items() for a in g.nodes])
    ties = pd.DataFrame([{"ego_id": e, "source": str(u), "target": str(v), **({"weight": d["weight"]} if weight else {})}
                         for e, g in graphs.items() for u, v, d in g.edges(data=True)],
                        columns=["ego_id", "source", "target", *(["weight"] if weight else [])])
    if alters.empty:
        alters = pd.DataFrame(columns=["ego_id", "alter_id"])
    return alters, ties


def _with_ego(g: nx.Graph, ego_weight: float = 1.0) -> nx.Graph:
    """The ego-network model: ego tied to every alter."""
    full = nx.relabel_nodes(g, str)
    full.add_node("EGO")
    for a in list(full.nodes):
        if a != "EGO":
            full.add_edge("EGO", a, weight=ego_weight)
    return full


def _random_graphs(seed: int, count: int, max_size: int = 10, weighted: bool = False) -> dict:
    rng = np.random.default_rng(seed)
    graphs = {}
    for k in range(count):
        n = int(rng.integers(0, max_size + 1))
        g = nx.gnp_random_graph(n, float(rng.random()), seed=int(rng.integers(2 ** 31)))
        for u, v in g.edges:
            g[u][v]["weight"] = float(rng.choice([1, 2])) if weighted else 1.0
        graphs[f"e{k:03d}"] = g
    return graphs


def _burt(full: nx.Graph, weight=None):
    """networkx's effective size and constraint of the ego.  ``nodes=`` selects networkx's
    iterative reference code: its sparse path (``nodes=None``) normalises m_jq by the wrong
    axis for weighted graphs in networkx 3.6 (networkx PR #8906)."""
    return (nx.effective_size(full, nodes=["EGO"], weight=weight)["EGO"],
            nx.constraint(full, nodes=["EGO"], weight=weight)["EGO"])


def _same(a, b) -> bool:
    return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


# --- property tests against networkx ------------------------------------------------------------
@pytest.mark.parametrize("seed", range(6))
def test_every_structural_measure_matches_networkx_on_random_ego_networks(seed):
    graphs = _random_graphs(seed, 60)
    alters, ties = _tables(graphs)
    result = ego_measures(alters, ties, egos=list(graphs)).set_index("ego_id")
    assert list(result.index) == list(graphs)
    for ego, g in graphs.items():
        row, n, t = result.loc[ego], g.number_of_nodes(), g.number_of_edges()
        full = _with_ego(g)
        assert row["size"] == n and row["ties"] == t
        assert _same(row["density"], nx.density(g) if n >= 2 else math.nan)
        effective_size, constraint = _burt(full)
        assert _same(row["effective_size"], effective_size)
        assert _same(row["constraint"], constraint)
        assert _same(row["efficiency"], effective_size / n if n else math.nan)
        components = list(nx.connected_components(g))
        assert row["components"] == len(components)
        assert row["largest_component"] == max((len(c) for c in components), default=0)
        assert row["isolates"] == nx.number_of_isolates(g)
        if n >= 2:
            reach = sum(len(c) * (len(c) - 1) for c in components)
            assert _same(row["fragmentation"], 1 - reach / (n * (n - 1)))
            assert _same(row["component_ratio"], (len(components) - 1) / (n - 1))
            assert row["brokerage"] == n * (n - 1) // 2 - t
            assert _same(row["brokerage_normalised"], 1 - nx.density(g))


@pytest.mark.parametrize("seed", range(4))
def test_weighted_burt_measures_match_networkx_with_ego_weights(seed):
    graphs = _random_graphs(100 + seed, 50, weighted=True)
    alters, ties = _tables(graphs, weight=True)
    rng = np.random.default_rng(seed)
    alters["strength"] = rng.choice([1.0, 2.0], len(alters))
    result = ego_measures(alters, ties, egos=list(graphs), weight_max=2, weighted=True,
                          ego_weight="strength").set_index("ego_id")
    for ego, g in graphs.items():
        full = _with_ego(g)
        for a, s in alters.loc[alters.ego_id == ego, ["alter_id", "strength"]].itertuples(index=False):
            full["EGO"][a]["weight"] = s
        row = result.loc[ego]
        effective_size, constraint = _burt(full, weight="weight")
        assert _same(row["effective_size_weighted"], effective_size)
        assert _same(row["constraint_weighted"], constraint)
        total = sum(d["weight"] for *_, d in g.edges(data=True))
        n = g.number_of_nodes()
        assert _same(row["density_weighted"], total / 2 / (n * (n - 1) / 2) if n >= 2 else math.nan)


def test_results_do_not_depend_on_row_order():
    graphs = _random_graphs(7, 40)
    alters, ties = _tables(graphs)
    straight = ego_measures(alters, ties, egos=list(graphs))
    shuffled = ego_measures(alters.sample(frac=1, random_state=1), ties.sample(frac=1, random_state=2),
                            egos=list(graphs))
    pd.testing.assert_frame_equal(straight, shuffled)


def test_large_networks_are_split_into_blocks(monkeypatch):
    """Directed reachability (fragmentation) runs on dense blocks of equal-sized networks."""
    from laoyou_eval.networks import measures

    graphs = _random_graphs(11, 30, max_size=12)
    alters, ties = _tables(graphs)
    whole = ego_measures(alters, ties, egos=list(graphs), directed=True)
    monkeypatch.setattr(measures, "BLOCK_CELLS", 1)  # one ego per block
    pd.testing.assert_frame_equal(whole, ego_measures(alters, ties, egos=list(graphs), directed=True))


# --- networkx's structural-holes test values (Borgatti 1997, checked against UCINET) -------
BORGATTI = [("A", "B", 2), ("A", "F", 3), ("A", "G", 5), ("A", "E", 2), ("E", "G", 8), ("F", "G", 3),
            ("B", "G", 4), ("B", "D", 1), ("D", "G", 3), ("G", "C", 10)]


def _ego_network_of(node: str):
    g = nx.Graph()
    g.add_weighted_edges_from(BORGATTI)
    ego_graph = nx.ego_graph(g, node)
    alters = [a for a in ego_graph if a != node]
    alter_table = pd.DataFrame({"ego_id": node, "alter_id": alters,
                                "strength": [float(g[node][a]["weight"]) for a in alters]})
    tie_table = pd.DataFrame([{"ego_id": node, "source": u, "target": v, "weight": float(d["weight"])}
                              for u, v, d in ego_graph.edges(data=True) if node not in (u, v)])
    return ego_graph, alter_table, tie_table


def test_networkx_published_values_for_node_g():
    # G is tied to every other node, so its ego network is the whole graph
    _, alters, ties = _ego_network_of("G")
    row = ego_measures(alters, ties, weight_max=10, weighted=True, ego_weight="strength").iloc[0]
    assert row["constraint"] == pytest.approx(0.400, abs=1e-3)
    assert row["effective_size"] == pytest.approx(4.67, abs=1e-2)
    assert row["constraint_weighted"] == pytest.approx(0.299, abs=1e-3)
    assert row["effective_size_weighted"] == pytest.approx(5.47, abs=1e-2)


def test_node_a_uses_the_ego_network_model_not_the_whole_graph():
    ego_graph, alters, ties = _ego_network_of("A")
    row = ego_measures(alters, ties, weight_max=10).iloc[0]
    assert row["effective_size"] == pytest.approx(2.50, abs=1e-2)  # effective size only sees the ego network
    assert row["constraint"] == pytest.approx(nx.constraint(ego_graph)["A"])
    whole = nx.Graph([(u, v) for u, v, _ in BORGATTI])
    assert nx.constraint(whole)["A"] == pytest.approx(0.595, abs=1e-3)  # UCINET's whole-network model differs
    assert row["constraint"] != pytest.approx(0.595, abs=1e-3)


# --- closed-form cases (ego_networks.md §5 C) ------------------------------------------------
@pytest.mark.parametrize("n", [2, 3, 5, 9])
def test_star_without_alter_ties(n):
    alters = pd.DataFrame({"ego_id": "e", "alter_id": [str(k) for k in range(n)]})
    no_ties = pd.DataFrame({"ego_id": [], "source": [], "target": []}, dtype=object)   # collected, none
    row = ego_measures(alters, no_ties).iloc[0]
    assert row["density"] == 0 and row["effective_size"] == n and row["efficiency"] == 1
    assert row["constraint"] == pytest.approx(1 / n)
    assert row["components"] == n and row["isolates"] == n and row["fragmentation"] == 1
    assert row["note"] == "no_alter_ties"
    # ties=None: not collected, so nothing tie-based is known (issue 17)
    unknown = ego_measures(alters, None).iloc[0]
    assert unknown["size"] == n and unknown["note"] == "ties_not_collected"
    assert all(np.isnan(unknown[c]) for c in ("ties", "density", "effective_size", "constraint", "components",
                                              "fragmentation", "brokerage"))


@pytest.mark.parametrize("n", [2, 3, 4, 8])
def test_complete_alter_graph(n):
    graphs = {"e": nx.complete_graph(n)}
    row = ego_measures(*_tables(graphs)).iloc[0]
    assert row["density"] == 1 and row["effective_size"] == pytest.approx(1)
    assert row["components"] == 1 and row["fragmentation"] == 0 and row["brokerage"] == 0


def test_closed_triad_constraint_is_1_125():
    row = ego_measures(*_tables({"e": nx.complete_graph(2)})).iloc[0]  # ego + 2 tied alters = triad
    assert row["constraint"] == pytest.approx(1.125)


# --- the edge-case policy -----------------------------------------------------------------------
def test_egos_with_zero_or_one_alter_stay_with_nan_and_a_note():
    alters = pd.DataFrame({"ego_id": ["one"], "alter_id": ["a"], "sex": ["女"]})
    egos = pd.DataFrame({"ego_id": ["none", "one"], "sex": ["男", "男"]})
    result = ego_measures(alters, None, egos, attributes=["sex"], homophily=["sex"],
                          categories={"sex": ["男", "女"]}).set_index("ego_id")
    none, one = result.loc["none"], result.loc["one"]
    assert none["size"] == 0 and none["ties"] == 0 and none["components"] == 0 and none["isolates"] == 0
    for column in ("density", "effective_size", "efficiency", "constraint", "fragmentation", "component_ratio",
                   "brokerage_normalised", "sex_p_女", "sex_shannon_log2", "sex_blau", "sex_iqv_k_possible",
                   "sex_ei_ego_alter", "sex_ei_alter_alter_raw", "sex_ei_alter_alter_rescaled"):
        assert math.isnan(none[column]), column
    assert none["note"] == "no_alters"
    assert math.isnan(one["density"]) and one["effective_size"] == 1 and one["constraint"] == 1
    assert one["sex_p_女"] == 1 and one["sex_blau"] == 0 and one["sex_shannon_log2"] == 0
    assert one["sex_ei_ego_alter"] == 1 and math.isnan(one["sex_ei_alter_alter_rescaled"])
    assert one["note"] == "one_alter"


def test_missing_attribute_values_are_left_out_and_noted_never_zero():
    alters = pd.DataFrame({"ego_id": "e", "alter_id": list("abcd"), "sex": ["男", "女", None, " "]})
    row = ego_measures(alters, None, attributes=["sex"]).iloc[0]
    assert row["sex_n_missing"] == 2 and row["sex_p_男"] == 0.5 and row["sex_blau"] == 0.5
    assert "sex_missing=2" in row["note"]
    all_missing = ego_measures(alters.assign(sex=None), None, attributes=["sex"],
                               categories={"sex": ["男", "女"]}).iloc[0]
    assert math.isnan(all_missing["sex_p_男"]) and all_missing["sex_n_男"] == 0
    assert "sex_all_missing" in all_missing["note"]
    assert "2" in explain_note(row["note"])


def test_missing_can_be_its_own_category():
    alters = pd.DataFrame({"ego_id": "e", "alter_id": list("abcd"), "sex": ["男", "女", None, "男"]})
    row = ego_measures(alters, None, attributes=["sex"], na="category").iloc[0]
    assert row["sex_n_(missing)"] == 1 and row["sex_p_男"] == 0.5 and row["sex_iqv_k"] == 3
    assert row["sex_n_missing"] == 0


# --- composition, diversity and EI: egor's definitions on hand-built networks --------------
def test_shannon_blau_iqv_by_hand():
    alters = pd.DataFrame({"ego_id": "e", "alter_id": list("abcd"), "rel": ["kin", "kin", "friend", "neighbour"]})
    row = ego_measures(alters, None, attributes=["rel"],
                       categories={"rel": ["kin", "friend", "neighbour", "colleague"]}).iloc[0]
    p = np.array([0.5, 0.25, 0.25])
    assert row["rel_n_categories"] == 3
    assert row["rel_shannon_log2"] == pytest.approx(-(p * np.log2(p)).sum())  # egor fun_entropy: 1.5
    assert row["rel_blau"] == pytest.approx(1 - (p ** 2).sum())
    assert row["rel_iqv_k_possible"] == pytest.approx((1 - (p ** 2).sum()) / (1 - 1 / 4))  # K = 4 possible
    assert row["rel_iqv_k"] == 4
    observed = ego_measures(alters, None, attributes=["rel"], iqv_k="observed").iloc[0]
    assert observed["rel_iqv_k_observed"] == pytest.approx((1 - (p ** 2).sum()) / (1 - 1 / 3))


def test_iqv_is_undefined_with_fewer_than_two_categories():
    alters = pd.DataFrame({"ego_id": "e", "alter_id": list("ab"), "rel": ["kin", "kin"]})
    row = ego_measures(alters, None, attributes=["rel"]).iloc[0]
    assert math.isnan(row["rel_iqv_k_possible"]) and "rel_k<2" in row["note"]


def test_ego_alter_ei_krackhardt_stern():
    # egor comp_ei: (E - I)/(E + I); 3 alters differ from the ego, 1 is alike, 1 missing is dropped
    alters = pd.DataFrame({"ego_id": "e", "alter_id": list("abcde"), "sex": ["女", "女", "女", "男", None]})
    egos = pd.DataFrame({"ego_id": ["e"], "sex": ["男"]})
    row = ego_measures(alters, None, egos, homophily=["sex"]).iloc[0]
    assert row["sex_ei_ego_alter"] == pytest.approx((3 - 1) / 4)
    no_ego_value = ego_measures(alters, None, egos.assign(sex=None), homophily=["sex"]).iloc[0]
    assert math.isnan(no_ego_value["sex_ei_ego_alter"]) and "ego_sex_missing" in no_ego_value["note"]


def _ei_network():
    """Groups m = {a, b, c}, w = {d, e}; ties a-b, a-c (internal m), d-e (internal w), a-d, b-e (external)."""
    alters = pd.DataFrame({"ego_id": "e", "alter_id": list("abcde"), "sex": ["m", "m", "m", "w", "w"]})
    ties = pd.DataFrame({"ego_id": "e", "source": list("aadab"), "target": list("bceed")})
    return alters, ties


def test_alter_alter_ei_raw_and_everett_borgatti_rescaled():
    alters, ties = _ei_network()
    row = ego_measures(alters, ties, homophily=["sex"]).iloc[0]
    internal, external = 3, 2
    assert row["sex_ei_alter_alter_raw"] == pytest.approx((external - internal) / 5)
    d_external = external / (3 * 2)          # Σ_{g<h} n_g n_h
    d_internal = internal / (3 + 1)          # Σ_g n_g (n_g - 1) / 2
    assert row["sex_ei_alter_alter_rescaled"] == pytest.approx((d_external - d_internal) / (d_external + d_internal))


def test_group_level_rescaled_ei_as_in_egor():
    alters, ties = _ei_network()
    groups = ei_groups(alters, ties, "sex").set_index("category")
    # egor: group m has E = 2, I = 2, poss_ext = 3 * 2, poss_int = 3
    d_e, d_i = 2 / 6, 2 / 3
    assert groups.loc["m", "ei_rescaled"] == pytest.approx((d_e - d_i) / (d_e + d_i))
    d_e, d_i = 2 / 6, 1 / 1
    assert groups.loc["w", "ei_rescaled"] == pytest.approx((d_e - d_i) / (d_e + d_i))
    assert list(groups["n_group"]) == [3, 2]


def test_rescaled_ei_is_nan_when_a_group_has_one_member_or_there_are_no_ties():
    alters = pd.DataFrame({"ego_id": "e", "alter_id": list("abc"), "sex": ["m", "m", "w"]})
    ties = pd.DataFrame({"ego_id": ["e"], "source": ["a"], "target": ["c"]})
    groups = ei_groups(alters, ties, "sex").set_index("category")
    assert math.isnan(groups.loc["w", "ei_rescaled"])  # a group of size 1 (egor gives NaN too)
    row = ego_measures(alters, None, homophily=["sex"]).iloc[0]
    assert math.isnan(row["sex_ei_alter_alter_raw"]) and math.isnan(row["sex_ei_alter_alter_rescaled"])


def test_unknown_category_is_an_error_naming_row_and_column():
    alters = pd.DataFrame({"ego_id": "e", "alter_id": list("ab"), "sex": ["男", "X"]})
    with pytest.raises(LaoyouError) as error:
        ego_measures(alters, None, attributes=["sex"], categories={"sex": ["男", "女"]})
    assert error.value.row == 3 and error.value.column == "sex"


# --- bad input --------------------------------------------------------------------------------
def _bad_tables():
    alters = pd.DataFrame({"ego_id": ["e1", "e1", "e1", "e1", "e2"], "alter_id": ["1", "2", "3", "3", "1"]})
    ties = pd.DataFrame({"ego_id": ["e1", "e1", "e1", "e1", "e1", "e2"],
                         "source": ["1", "1", "2", "2", "1", "1"],
                         "target": ["2", "9", "2", "1", "3", "1"],
                         "weight": ["1", "1", "1", "1", "5", "1"]})
    alters.attrs["source"] = "/somewhere/networks/alters_w1.csv"
    ties.attrs["source"] = "/somewhere/networks/alter_ties_w1.csv"
    return alters, ties


def test_bad_input_raises_a_bilingual_error_naming_file_row_and_column():
    alters, ties = _bad_tables()
    with pytest.raises(LaoyouError) as error:
        ego_measures(alters, ties, weight_max=2)
    err = error.value
    assert err.file == "alters_w1.csv" and err.row == 5 and err.column == "alter_id"
    assert "重复" in str(err) and "appears twice" in str(err) and "errors='flag'" in str(err)


def test_flag_mode_lists_every_problem_and_keeps_the_rest():
    alters, ties = _bad_tables()
    result = ego_measures(alters, ties, weight_max=2, errors="flag")
    report = problems(result)
    found = {(p.file, p.row, p.column, p.issue) for p in report.itertuples()}
    assert found == {("alters_w1.csv", 5, "alter_id", "duplicate_alter"),
                     ("alter_ties_w1.csv", 3, "target", "unknown_alter"),
                     ("alter_ties_w1.csv", 4, "target", "self_tie"),
                     ("alter_ties_w1.csv", 5, "target", "duplicate_tie"),
                     ("alter_ties_w1.csv", 6, "weight", "weight_out_of_range"),
                     ("alter_ties_w1.csv", 7, "target", "self_tie")}
    assert set(report["action"]) == {"not carried into coded data"}
    assert problems(ego_measures(*_bad_tables()[:1], None, errors="flag")).shape[0] == 1
    pd.concat([result, result])  # plain attrs combine
    e1 = result.set_index("ego_id").loc["e1"]
    assert e1["size"] == 3 and e1["ties"] == 1  # only 1-2 survives


def test_non_numeric_weight_and_unknown_ego_are_flagged():
    alters = pd.DataFrame({"ego_id": ["e1", "e1", "x"], "alter_id": ["a", "b", "a"]})
    ties = pd.DataFrame({"ego_id": ["e1"], "source": ["a"], "target": ["b"], "weight": ["很熟"]})
    _, clean_alters, clean_ties, report = validate(alters, ties, ["e1"], errors="flag")
    assert set(report["issue"]) == {"weight_not_number", "alter_of_unknown_ego"}
    assert len(clean_alters) == 2 and clean_ties.empty


def test_keys_compare_as_stripped_text():
    alters = pd.DataFrame({"ego_id": ["e1", "e1"], "alter_id": [1, 2]})
    ties = pd.DataFrame({"ego_id": [" e1"], "source": ["1"], "target": [2.0]})
    row = ego_measures(alters, ties).iloc[0]
    assert row["ties"] == 1 and row["ego_id"] == "e1"


def test_missing_ego_or_alter_keys_are_problems():
    alters = pd.DataFrame({"ego_id": ["e1", None, "e1"], "alter_id": ["a", "b", ""]})
    _, _, _, report = validate(alters, None, errors="flag")
    assert list(report["issue"]) == ["missing_ego_id", "missing_alter_id"]
    with pytest.raises(LaoyouError, match=r"lacks column\(s\): alter"):
        ego_measures(alters, None, alter="alter")


def test_integer_ego_ids_come_back_as_integers():
    """Issue 17: ``egos.merge(measures, on="ego_id")`` must work with integer ids."""
    alters = pd.DataFrame({"ego_id": [101, 101, 101, 102, 102], "alter_id": [1, 2, 3, 1, 2],
                           "sex": ["m", "f", "m", "f", "f"]})
    ties = pd.DataFrame({"ego_id": [101, 101], "source": [1, 1], "target": [2, 3]})
    egos = pd.DataFrame({"ego_id": [101, 102, 103], "age": [70, 65, 80], "sex": ["m", "f", "f"]})
    result = ego_measures(alters, ties, egos, homophily=["sex"])
    assert result["ego_id"].tolist() == [101, 102, 103]
    assert pd.api.types.is_integer_dtype(result["ego_id"])
    merged = egos.merge(result, on="ego_id")
    assert len(merged) == 3 and merged.loc[merged["ego_id"] == 101, "ties"].item() == 2
    without_egos = ego_measures(alters, ties)
    assert pd.api.types.is_integer_dtype(without_egos["ego_id"]) and without_egos["ego_id"].tolist() == [101, 102]
    groups = ei_groups(alters, ties, "sex")
    assert pd.api.types.is_integer_dtype(groups["ego_id"]) and set(groups["ego_id"]) == {101, 102}
    # ids written differently in the tables are one ego, and come back as the egos table has them
    mixed = ego_measures(alters.assign(ego_id=alters["ego_id"].astype(str)), ties, egos)
    assert mixed["ego_id"].tolist() == [101, 102, 103] and mixed["ties"].tolist() == [2, 0, 0]
    text = ego_measures(alters.assign(ego_id="e" + alters["ego_id"].astype(str)), None)
    assert text["ego_id"].tolist() == ["e101", "e102"]


def test_max_netsize_caps_the_density_denominator():
    """egor: ego_density(object, max.netsize = m) uses min(n, m)·(min(n, m) − 1)/2."""
    alters = pd.DataFrame({"ego_id": ["e"] * 6 + ["f"] * 3, "alter_id": list("abcdef") + list("abc")})
    ties = pd.DataFrame({"ego_id": ["e", "e", "e", "f"], "source": ["a", "a", "b", "a"], "target": ["b", "c", "c", "b"]})
    plain = ego_measures(alters, ties).set_index("ego_id")
    capped = ego_measures(alters, ties, max_netsize=4).set_index("ego_id")
    assert plain.at["e", "density"] == pytest.approx(3 / 15) and capped.at["e", "density"] == pytest.approx(3 / 6)
    assert capped.at["f", "density"] == pytest.approx(1 / 3)       # n = 3 below the cap
    assert capped.at["e", "brokerage"] == plain.at["e", "brokerage"]
    with pytest.raises(LaoyouError):
        ego_measures(alters, ties, max_netsize=1)


def test_weighted_summary_matches_weighted_least_squares_hc1():
    """The linearisation SE of a weighted mean (R survey::svymean with svydesign(ids = ~1,
    weights = ~w)) equals the HC1 sandwich SE of an intercept-only WLS fit."""
    import statsmodels.api as sm

    from laoyou_eval.networks import weighted_summary

    rng = np.random.default_rng(5)
    table = pd.DataFrame({"density": rng.random(30), "size": rng.integers(1, 12, 30).astype(float),
                          "w": rng.uniform(0.5, 3, 30)})
    table.loc[[3, 9], "density"] = np.nan
    res = weighted_summary(table, ["density", "size"], "w").set_index("measure")
    for column in ("density", "size"):
        ok = table[column].notna()
        fit = sm.WLS(table.loc[ok, column], np.ones(ok.sum()), weights=table.loc[ok, "w"]).fit(cov_type="HC1")
        assert res.at[column, "mean"] == pytest.approx(fit.params.iloc[0])
        assert res.at[column, "se"] == pytest.approx(fit.bse.iloc[0])
        w = table.loc[ok, "w"]
        assert res.at[column, "n_effective"] == pytest.approx(w.sum() ** 2 / (w ** 2).sum())
    assert res.at["density", "n"] == 28 and res.at["density", "note"] == "density_missing=2"
    equal = weighted_summary(table, ["size"], np.ones(30)).iloc[0]
    assert equal["se"] == pytest.approx(table["size"].std(ddof=1) / np.sqrt(30))
    with pytest.raises(LaoyouError):
        weighted_summary(table, ["size"], np.zeros(30))


# --- the fast paths give the same answers as the simple ones (no timing here: benchmarks/) ----
def test_endpoint_lookup_by_table_and_by_hash_agree():
    from laoyou_eval.networks.model import _find

    rng = np.random.default_rng(4)
    keys = rng.choice(10_000, 3_000, replace=False)
    queries = np.concatenate([rng.integers(-1, 10_000, 5_000), keys[:50]])
    expected = np.array([int(np.flatnonzero(keys == q)[0]) if q in set(keys) else -1 for q in queries])
    assert (_find(keys, queries, 10_000) == expected).all()  # direct table
    assert (_find(keys, queries, 10 ** 12) == expected).all()  # hash table (huge key space)


def test_identifier_text_is_the_same_by_the_vectorised_and_the_python_path():
    from laoyou_eval.networks.model import _key_text

    text = pd.array([" a", "b ", "\u3000c\u3000", "3", "", "x y"], dtype="str")
    assert _key_text(text).tolist() == [str(v).strip() for v in text]
    assert _key_text(np.array([3, 10, -2])).tolist() == ["3", "10", "-2"]
    assert _key_text(np.array([3.0, 2.5, " 7 "], dtype=object)).tolist() == ["3", "2.5", "7"]


def test_notes_joined_per_combination_equal_row_by_row():
    from laoyou_eval.i18n import join_notes as join_row
    from laoyou_eval.networks._arrays import join_notes

    rng = np.random.default_rng(5)
    parts = [rng.choice(["", "no_alters", "one_alter"], 500), rng.choice(["", "sex_missing=1", "sex_missing=2"], 500),
             rng.choice(["", "ego_sex_missing"], 500)]
    assert join_notes(*parts).tolist() == [join_row(row) for row in zip(*parts)]
    assert join_notes(np.array([], dtype=object)).tolist() == []
