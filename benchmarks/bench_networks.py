"""Ego measures of 100,000 egos × ~12 alters × ~33 alter–alter ties, against python-igraph
and networkx (issue #18 item 1).

The synthetic networks follow the networks author's benchmark script: Poisson(12) alters per
ego (0–25), every alter pair tied with probability 1/2 (about 33 ties per ego), tie weights
1 or 2, text identifiers.  Ours is one ``ego_measures`` call: validating the text ids and every
structural measure.  The peers compute Burt's constraint alone, from the same tables:

* igraph per ego — ids turned into vertex numbers and the ties grouped by ego (vectorised
  pandas/NumPy), one ``igraph.Graph`` per ego (ego tied to every alter), ``constraint`` of the
  ego;
* igraph disjoint union — the same numbering, one graph of all egos' networks side by side,
  ``constraint`` of every ego at once;
* networkx per ego on a subsample, scaled linearly (each ego's graph built, then size, ties,
  density, ``effective_size``, ``constraint``, components, largest component and isolates).

Values are checked: constraint equal to igraph's for every ego, all measures equal to
networkx's on the subsample, to 1e-12.  Input checking is measured with a profile of one call:
the share of time in the validation checks proper (``model._check_*``), and, for comparison,
the share of ``prepare`` (checking and indexing together).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from common import Row, best_of, profile, seconds, slowdown, speedup, timed

EGOS, MEAN_ALTERS, TIE_PROBABILITY, NX_EGOS = 100_000, 12, 0.5, 1_000
EGO_NODE = "__ego__"
COUNTS = ("size", "ties", "components", "largest_component", "isolates")
REALS = ("density", "effective_size", "efficiency", "constraint")
CHECK_SHARE = 0.30


def networks(seed: int = 1):
    """alters, ties and egos tables (text identifiers, as read from files)."""
    rng = np.random.default_rng(seed)
    sizes = rng.poisson(MEAN_ALTERS, EGOS).clip(0, 25)
    ego = np.repeat(np.arange(EGOS), sizes)
    local = np.concatenate([np.arange(s) for s in sizes])
    alters = pd.DataFrame({"ego_id": ego.astype(str), "alter_id": local.astype(str),
                           "sex": rng.choice(["m", "f"], len(ego)), "kinship": rng.choice(["kin", "nonkin"], len(ego))})
    egos = pd.DataFrame({"ego_id": np.arange(EGOS).astype(str), "sex": rng.choice(["m", "f"], EGOS)})
    parts = []
    for n in np.unique(sizes[sizes >= 2]):
        i, j = np.triu_indices(n, 1)
        members = np.flatnonzero(sizes == n)
        e_idx, p_idx = np.nonzero(rng.random((len(members), len(i))) < TIE_PROBABILITY)
        parts.append(pd.DataFrame({"ego_id": members[e_idx].astype(str), "source": i[p_idx].astype(str),
                                   "target": j[p_idx].astype(str), "weight": rng.choice([1.0, 2.0], len(e_idx))}))
    ties = pd.concat(parts, ignore_index=True)
    return alters, ties, egos


# --- igraph: constraint alone, from the same tables ---------------------------------------------
def vertex_numbers(alters, ties, egos):
    """What an igraph user does first: ego and alter ids to integers, every alter numbered
    within its ego, ties as (ego, source number, target number).  Vectorised, no checks.

    Returns size (E,), tie_ego, source, target (T,)."""
    ego_codes, _ = pd.factorize(pd.concat([egos["ego_id"], alters["ego_id"], ties["ego_id"]], ignore_index=True))
    n_egos, n_alters = len(egos), len(alters)
    a_ego, t_ego = ego_codes[n_egos:n_egos + n_alters], ego_codes[n_egos + n_alters:]
    alter_codes, alter_ids = pd.factorize(pd.concat([alters["alter_id"], ties["source"], ties["target"]],
                                                    ignore_index=True))
    size = np.bincount(a_ego, minlength=n_egos)
    starts = np.concatenate([[0], np.cumsum(size)[:-1]])
    by_ego = np.argsort(a_ego, kind="stable")
    local = np.empty(n_alters, dtype=np.int64)
    local[by_ego] = np.arange(n_alters) - starts[a_ego[by_ego]]
    table = np.zeros(n_egos * len(alter_ids), dtype=np.int64)  # (ego, alter id) -> number within the ego
    table[a_ego * len(alter_ids) + alter_codes[:n_alters]] = local
    n_ties = len(ties)
    source = table[t_ego * len(alter_ids) + alter_codes[n_alters:n_alters + n_ties]]
    target = table[t_ego * len(alter_ids) + alter_codes[n_alters + n_ties:]]
    return size, t_ego, source, target


def igraph_graphs(alters, ties, egos):
    """One igraph graph per ego (the ego is vertex n, tied to alters 0..n−1)."""
    import igraph

    size, t_ego, source, target = vertex_numbers(alters, ties, egos)
    order = np.argsort(t_ego, kind="stable")
    bounds = np.searchsorted(t_ego[order], np.arange(len(size) + 1))
    pairs = np.column_stack([source[order], target[order]]).tolist()
    spokes = {n: [[n, a] for a in range(n)] for n in np.unique(size).tolist()}
    return size, [igraph.Graph(n + 1, pairs[bounds[e]:bounds[e + 1]] + spokes[n])
                  for e, n in enumerate(size.tolist())]


def igraph_constraint(size, graphs) -> np.ndarray:
    """Constraint of each ego of ``igraph_graphs`` (NaN without alters)."""
    return np.array([g.constraint([n])[0] if n else np.nan for n, g in zip(size.tolist(), graphs)])


def igraph_per_ego(alters, ties, egos) -> np.ndarray:
    return igraph_constraint(*igraph_graphs(alters, ties, egos))


def igraph_union(alters, ties, egos, parts: dict | None = None) -> np.ndarray:
    """Constraint of every ego from one graph holding all ego networks side by side
    (alters 0..N−1, egos N..N+E−1); ``parts`` receives the time of the constraint call."""
    import time

    import igraph

    size, t_ego, source, target = vertex_numbers(alters, ties, egos)
    starts = np.concatenate([[0], np.cumsum(size)[:-1]])
    n_alters, n_egos = int(size.sum()), len(size)
    edges = np.concatenate([np.column_stack([starts[t_ego] + source, starts[t_ego] + target]),
                            np.column_stack([n_alters + np.repeat(np.arange(n_egos), size), np.arange(n_alters)])])
    graph = igraph.Graph(n_alters + n_egos)
    graph.add_edges(edges)
    start = time.perf_counter()
    out = np.array(graph.constraint(list(range(n_alters, n_alters + n_egos))))
    if parts is not None:
        parts["constraint"] = min(parts.get("constraint", np.inf), time.perf_counter() - start)
    out[size == 0] = np.nan
    return out


# --- networkx: every measure, per ego on a subsample ----------------------------------------------
def networkx_measures(alter_ids: list, tie_pairs: list) -> dict:
    """The same measures of one ego network with networkx (ego tied to every alter)."""
    import networkx as nx

    graph = nx.Graph()
    graph.add_node(EGO_NODE)
    graph.add_edges_from((EGO_NODE, a) for a in alter_ids)
    graph.add_edges_from(tie_pairs)
    among = graph.subgraph(alter_ids)
    n = len(alter_ids)
    components = [len(c) for c in nx.connected_components(among)]
    effective = nx.effective_size(graph, nodes=[EGO_NODE])[EGO_NODE] if n else np.nan
    return {"size": n, "ties": among.number_of_edges(), "density": nx.density(among) if n > 1 else np.nan,
            "effective_size": effective, "efficiency": effective / n if n else np.nan,
            "constraint": nx.constraint(graph, nodes=[EGO_NODE])[EGO_NODE] if n else np.nan,
            "components": len(components), "largest_component": max(components, default=0),
            "isolates": nx.number_of_isolates(among)}


def check_share(fn) -> tuple[float, float]:
    """Shares of one call of ``fn`` spent in the validation checks (functions ``_check_*`` of
    laoyou_eval.networks.model) and in ``prepare`` (checking and indexing), from a
    pyinstrument profile."""
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005)
    profiler.start()
    fn()
    profiler.stop()
    root = profiler.last_session.root_frame()

    def total(frame, test) -> float:
        if test(frame):
            return frame.time
        return sum(total(child, test) for child in frame.children)

    def model(*prefixes):
        return lambda f: f.function.startswith(prefixes) and (f.file_path or "").endswith("networks/model.py")

    return total(root, model("_check_")) / root.time, total(root, model("prepare")) / root.time


def run() -> tuple[list, dict]:
    from laoyou_eval.networks import ego_measures

    alters, ties, egos = networks()

    def ours():
        return ego_measures(alters, ties, egos, weight_max=2)

    built = igraph_graphs(alters, ties, egos)
    parts: dict = {}
    t_ours, t_loop, t_union, t_constraint = best_of(ours, lambda: igraph_per_ego(alters, ties, egos),
                                                    lambda: igraph_union(alters, ties, egos, parts),
                                                    lambda: igraph_constraint(*built), repeat=3)
    result = ours()
    ig_loop, ig_union = igraph_constraint(*built), igraph_union(alters, ties, egos)
    mine = result["constraint"].to_numpy()
    for name, theirs in (("per-ego", ig_loop), ("disjoint-union", ig_union)):
        if not (np.isnan(mine) == np.isnan(theirs)).all():
            raise AssertionError(f"constraint undefined for other egos than igraph's {name} computation")
    worst_ig = max(float(np.nanmax(np.abs(mine - ig_loop))), float(np.nanmax(np.abs(mine - ig_union))))
    if worst_ig > 1e-12:
        raise AssertionError(f"constraint differs from igraph by {worst_ig:g}")

    sample = egos["ego_id"].iloc[:NX_EGOS]
    alter_lists = alters[alters["ego_id"].isin(sample)].groupby("ego_id")["alter_id"].agg(list).to_dict()
    tie_lists = (ties[ties["ego_id"].isin(sample)].groupby("ego_id")[["source", "target"]]
                 .apply(lambda d: list(zip(d["source"], d["target"]))).to_dict())
    reference, t_nx = timed(lambda: pd.DataFrame([networkx_measures(alter_lists.get(e, []), tie_lists.get(e, []))
                                                  for e in sample]))
    mine_nx = result.set_index("ego_id").loc[sample].reset_index(drop=True)
    for column in COUNTS:
        if not (mine_nx[column].to_numpy() == reference[column].to_numpy()).all():
            raise AssertionError(f"{column} differs from networkx")
    worst = max(float(np.nanmax(np.abs(mine_nx[c].to_numpy() - reference[c].to_numpy(dtype=float)))) for c in REALS)
    if worst > 1e-12 or any((mine_nx[c].isna() != reference[c].isna()).any() for c in REALS):
        raise AssertionError(f"real-valued measures differ from networkx by {worst:g}")
    checks, prepared = min(check_share(ours) for _ in range(3))

    what = (f"{EGOS:,} egos ({len(alters):,} alters, {len(ties):,} ties), all structural measures vs igraph's "
            "constraint alone")
    agree = f"constraint equal to igraph's for all {EGOS:,} egos (largest difference {worst_ig:.1e})"
    rows = [
        slowdown(f"ego measures, {what}, one graph per ego", t_ours, t_loop, 1, "igraph", source="issue #18",
                 notes=[f"igraph: ids numbered and ties grouped by ego with vectorised pandas/NumPy, one Graph per "
                        f"ego built from edge lists, `constraint` of the ego; of its {seconds(t_loop)}, the "
                        f"constraint calls on the built graphs take {seconds(t_constraint)} (ours "
                        f"{t_ours / t_constraint:.2f}× that); {agree}"]),
        slowdown(f"ego measures, {what}, disjoint union", t_ours, t_union, 1, "igraph", source="issue #18",
                 notes=[f"igraph: the same numbering, one graph of all {EGOS:,} networks side by side (`add_edges` "
                        f"from a NumPy array), `constraint` of every ego in one call "
                        f"({seconds(parts['constraint'])} of the {seconds(t_union)}); {agree}"]),
        Row("ego measures: share of the call spent checking the input", None, None, checks,
            f"{checks:.0%} of the call", CHECK_SHARE, f"≤ {CHECK_SHARE:.0%}", False, source="issue #18",
            notes=[f"pyinstrument profile of one call (best of 3): the validation checks proper (blank and "
                   f"duplicated ids, unknown egos and alters, self-ties, duplicated ties, weights; "
                   f"`networks.model._check_*`); factorising the ids and indexing them for the measures "
                   f"included, validation and indexing (`prepare`) take {prepared:.0%}"]),
        speedup(f"ego measures, {EGOS:,} egos vs networkx per ego", t_ours, t_nx * EGOS / NX_EGOS, 50,
                notes=[f"networkx timed on {NX_EGOS:,} egos ({t_nx:.2f} s, tables already split by ego) and "
                       f"scaled ×{EGOS // NX_EGOS}; counts identical, real values within {worst:.1e} (rounding)"]),
    ]
    if not all(row.ok for row in rows):
        rows[0].profile = profile("ego_measures", ours)
    return rows, {}
