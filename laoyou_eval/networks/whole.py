"""The parents' mutual-aid group as a small whole network, at each wave and across waves.

Tie strength (1 = 认识, 2 = 经常联系, 3 = 互相帮忙) is a *strength*: more is closer.  Path
algorithms (betweenness) need a *distance*, so strength s is turned into distance 1/s
(Newman 2001; Opsahl et al. 2010 with α = 1) before networkx is called — igraph and
networkx would otherwise read a strong tie as a long one.  The distances are exact: integer
multiples of 1/L, with L the least common multiple of the strengths' denominators (see
:func:`exact_distances`), so that equally long paths (2/3 + 1/3 = 1) compare equal and are
counted equally by Brandes' algorithm, which floating-point sums of 1/s do not guarantee.
"""

from __future__ import annotations

import math
from fractions import Fraction

import networkx as nx
import numpy as np
import pandas as pd

from laoyou_eval.networks._arrays import join_notes, ratio
from laoyou_eval.networks.io import GROUP_STRENGTH_MAX, GroupNetwork

NODE = "member_id"


def exact_distances(strengths) -> list[int]:
    """Distances 1/s as exact integers on a common scale: L/s with L = lcm of the
    denominators of the 1/s (each strength read as the exact rational of its float).

    Parameters
    ----------
    strengths : iterable of float
        Positive tie strengths.

    Returns
    -------
    list of int
        d_i = L/s_i; ratios between distances, and hence every shortest path, are exactly
        those of 1/s.

    Examples
    --------
    >>> exact_distances([1, 2, 3, 1.5])
    [6, 3, 2, 4]
    """
    inverse = [1 / Fraction(float(w)) for w in strengths]
    scale = math.lcm(*(f.denominator for f in inverse)) if inverse else 1
    return [int(f * scale) for f in inverse]


def graph(members: pd.DataFrame, ties: pd.DataFrame, node: str = NODE) -> nx.Graph:
    """Undirected graph of all members (isolated ones too) with ``strength``,
    ``distance`` = 1/strength and ``distance_exact`` (:func:`exact_distances`, used for
    shortest paths) on every edge."""
    g = nx.Graph()
    g.add_nodes_from(members[node])
    exact = exact_distances(ties["strength"])
    g.add_edges_from((s, t, {"strength": float(w), "distance": 1.0 / float(w), "distance_exact": d})
                     for s, t, w, d in zip(ties["source"], ties["target"], ties["strength"], exact))
    return g


def _freeman(values: np.ndarray, denominator: float) -> float:
    return float((values.max() - values).sum() / denominator) if denominator > 0 else float("nan")


def group_measures(group: GroupNetwork, node: str = NODE, strength_max: float = GROUP_STRENGTH_MAX) -> pd.DataFrame:
    """Whole-network measures of the group at each wave.

    Parameters
    ----------
    group : GroupNetwork
        Members and ties per wave (:func:`laoyou_eval.networks.io.read_group`).
    node : str
        Member identifier column.
    strength_max : float
        Top of the strength scale, for ``density_weighted``.

    Returns
    -------
    pandas.DataFrame
        One row per wave: ``wave``, ``nodes`` (N), ``ties`` (t), ``density`` = t/(N(N−1)/2),
        ``density_weighted`` = Σ strength/(strength_max · N(N−1)/2), ``mean_degree`` = 2t/N,
        ``degree_centralisation_freeman`` = Σ(d_max − d_i)/((N−1)(N−2)),
        ``betweenness_centralisation_freeman`` and
        ``betweenness_strength_centralisation_freeman`` = Σ(b_max − b_i)/(N−1) over
        normalised binary / strength-based betweenness, ``components``,
        ``largest_component``, ``isolates``, ``note``.

    Notes
    -----
    N < 2: density NaN (``fewer_than_2_members``); N < 3: centralisations NaN
    (``fewer_than_3_members``).  Freeman's denominators are the values of a star, the
    most centralised graph.

    References
    ----------
    Freeman, L. C. (1978). Centrality in social networks: Conceptual clarification.
    *Social Networks, 1*(3), 215–239. https://doi.org/10.1016/0378-8733(78)90021-7

    Wasserman, S., & Faust, K. (1994). *Social network analysis: Methods and applications*.
    Cambridge University Press. https://doi.org/10.1017/CBO9780511815478
    """
    nodes = node_measures(group, node)
    rows = []
    for wave, ties in group.ties.items():
        g = graph(group.members, ties, node)
        n = g.number_of_nodes()
        per = nodes[nodes["wave"] == wave]
        pairs = n * (n - 1) / 2
        components = [len(c) for c in nx.connected_components(g)]
        rows.append({
            "wave": wave, "nodes": n, "ties": g.number_of_edges(),
            "density": float(ratio(g.number_of_edges(), pairs)),
            "density_weighted": float(ratio(ties["strength"].sum(), strength_max * pairs)),
            "mean_degree": float(ratio(2 * g.number_of_edges(), n)),
            "degree_centralisation_freeman": _freeman(per["degree"].to_numpy(float), (n - 1) * (n - 2)),
            "betweenness_centralisation_freeman": _freeman(per["betweenness"].to_numpy(float), n - 1)
            if n >= 3 else float("nan"),
            "betweenness_strength_centralisation_freeman":
                _freeman(per["betweenness_strength"].to_numpy(float), n - 1) if n >= 3 else float("nan"),
            "components": len(components), "largest_component": max(components, default=0),
            "isolates": sum(1 for c in components if c == 1),
            "note": "fewer_than_2_members" if n < 2 else "fewer_than_3_members" if n < 3 else "",
        })
    return pd.DataFrame(rows)


def node_measures(group: GroupNetwork, node: str = NODE) -> pd.DataFrame:
    """Each member's position at each wave.

    Parameters
    ----------
    group : GroupNetwork
    node : str

    Returns
    -------
    pandas.DataFrame
        One row per wave × member: ``wave``, ``node``, ``role`` (if in members),
        ``degree``, ``degree_centrality`` = degree/(N−1), ``strength`` (sum of tie
        strengths), ``betweenness`` (binary, normalised by (N−1)(N−2)/2),
        ``betweenness_strength`` (shortest paths with distance 1/strength, same
        normalisation), ``component`` (1 = largest), ``isolate`` (bool).

    Notes
    -----
    Betweenness uses Brandes' algorithm as implemented by networkx; with strengths,
    a path through two ties of strength 3 (length 2/3) is shorter than one tie of
    strength 1 (length 1).  Path lengths are exact (:func:`exact_distances`), so all
    equally short paths share the credit: on A–B–C–D–E (strengths 2, 2, 1, 3) and
    A–F–G–H–E (2, 3, 2, 1), both 7/3 long, B's normalised strength betweenness is 0.2381;
    networkx with float distances 1/s finds one path shorter in the last bit and gives
    0.2262.  N < 3 makes betweenness NaN; N < 2 also degree centrality.

    References
    ----------
    Brandes, U. (2001). A faster algorithm for betweenness centrality. *Journal of
    Mathematical Sociology, 25*(2), 163–177. https://doi.org/10.1080/0022250X.2001.9990249

    Newman, M. E. J. (2001). Scientific collaboration networks. II. Shortest paths,
    weighted networks, and centrality. *Physical Review E, 64*(1), 016132.
    https://doi.org/10.1103/PhysRevE.64.016132

    Opsahl, T., Agneessens, F., & Skvoretz, J. (2010). Node centrality in weighted
    networks: Generalizing degree and shortest paths. *Social Networks, 32*(3), 245–251.
    https://doi.org/10.1016/j.socnet.2010.03.006
    """
    frames = []
    for wave, ties in group.ties.items():
        g = graph(group.members, ties, node)
        n = g.number_of_nodes()
        members = list(group.members[node])
        binary = nx.betweenness_centrality(g, normalized=True)
        weighted = nx.betweenness_centrality(g, weight="distance_exact", normalized=True)
        rank = {m: k for k, comp in enumerate(sorted(nx.connected_components(g), key=lambda c: (-len(c), min(c))),
                                               start=1) for m in comp}
        degree = np.array([g.degree(m) for m in members], dtype=float)
        frame = pd.DataFrame({
            "wave": wave, node: members,
            "degree": degree.astype(int),
            "degree_centrality": ratio(degree, n - 1) if n >= 2 else np.nan,
            "strength": [g.degree(m, weight="strength") for m in members],
            "betweenness": [binary[m] if n >= 3 else np.nan for m in members],
            "betweenness_strength": [weighted[m] if n >= 3 else np.nan for m in members],
            "component": [rank[m] for m in members],
            "isolate": degree == 0,
        })
        if "role" in group.members:
            frame.insert(2, "role", group.members["role"].to_numpy())
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def _pairs(ties: pd.DataFrame) -> pd.DataFrame:
    a, b = ties["source"].astype(str), ties["target"].astype(str)
    return pd.DataFrame({"a": np.where(a <= b, a, b), "b": np.where(a <= b, b, a),
                         "strength": ties["strength"].to_numpy(float)})


def tie_change(group: GroupNetwork, before=1, after=2) -> pd.DataFrame:
    """Tie persistence between two waves of the group.

    Parameters
    ----------
    group : GroupNetwork
    before, after : wave keys of ``group.ties``

    Returns
    -------
    pandas.DataFrame
        One row: ``ties_before``, ``ties_after``, ``ties_persisted``, ``ties_dissolved``,
        ``ties_formed``, ``persistence`` = persisted/ties_before, ``jaccard`` =
        persisted/|E1 ∪ E2|, ``strength_change_mean`` (mean change among persisted ties),
        ``note``.  NaN with a note when a denominator is 0.
    """
    b, a = _pairs(group.ties[before]), _pairs(group.ties[after])
    both = b.merge(a, on=["a", "b"], suffixes=("_before", "_after"))
    union = len(b) + len(a) - len(both)
    return pd.DataFrame([{
        "ties_before": len(b), "ties_after": len(a), "ties_persisted": len(both),
        "ties_dissolved": len(b) - len(both), "ties_formed": len(a) - len(both),
        "persistence": float(ratio(len(both), len(b))), "jaccard": float(ratio(len(both), union)),
        "strength_change_mean": float((both["strength_after"] - both["strength_before"]).mean())
        if len(both) else float("nan"),
        "note": join_notes(np.array(["no_ties_before" if len(b) == 0 else ""]),
                           np.array(["no_persisted_ties" if len(both) == 0 else ""]))[0],
    }])


def adjacency(members: pd.DataFrame, ties: pd.DataFrame, node: str = NODE, value: str = "strength") -> np.ndarray:
    """Symmetric N × N matrix of tie strengths (``value="strength"``) or 0/1 (``"binary"``),
    rows in the order of ``members``."""
    index = pd.Index(members[node])
    matrix = np.zeros((len(index), len(index)))
    s, t = index.get_indexer(ties["source"]), index.get_indexer(ties["target"])
    w = ties["strength"].to_numpy(float) if value == "strength" else np.ones(len(ties))
    matrix[s, t] = w
    matrix[t, s] = w
    return matrix


def qap_correlation(group: GroupNetwork, before=1, after=2, value: str = "strength", n_permutations: int = 5000,
                    seed: int = 20240601, node: str = NODE) -> pd.DataFrame:
    """QAP correlation between the group's networks at two waves, with a permutation test.

    Parameters
    ----------
    group : GroupNetwork
    before, after : wave keys
    value : {"strength", "binary"}
        Correlate tie strengths (0 = no tie) or presence.
    n_permutations : int
    seed : int
        Seed of :func:`numpy.random.default_rng`; same seed, same p-values.
    node : str

    Returns
    -------
    pandas.DataFrame
        One row: ``value``, ``nodes``, ``qap_r_pearson`` (Pearson r over the N(N−1)/2 member
        pairs), ``p_greater`` (share of permutations with r ≥ observed), ``p_two_sided``
        (|r| ≥ |observed|), ``n_permutations``, ``seed``, ``note``.

    Notes
    -----
    The rows and columns of the later matrix are permuted together (node labels
    shuffled), which keeps its structure and breaks only its alignment with the earlier
    one.  p = (1 + #{extreme permutations}) / (1 + n_permutations).  A network without
    variation (no ties, or all pairs tied equally) makes r NaN (``no_variation``).

    References
    ----------
    Hubert, L., & Schultz, J. (1976). Quadratic assignment as a general data analysis
    strategy. *British Journal of Mathematical and Statistical Psychology, 29*(2), 190–241.
    https://doi.org/10.1111/j.2044-8317.1976.tb00714.x

    Krackhardt, D. (1987). QAP partialling as a test of spuriousness. *Social Networks,
    9*(2), 171–186. https://doi.org/10.1016/0378-8733(87)90012-8
    """
    x_matrix = adjacency(group.members, group.ties[before], node, value)
    y_matrix = adjacency(group.members, group.ties[after], node, value)
    n = len(x_matrix)
    iu, ju = np.triu_indices(n, k=1)
    x = x_matrix[iu, ju]
    rng = np.random.default_rng(seed)
    perms = np.argsort(rng.random((n_permutations, n)), axis=1)
    ys = np.vstack([y_matrix[iu, ju], y_matrix[perms[:, iu], perms[:, ju]]])
    xc = x - x.mean()
    yc = ys - ys.mean(axis=1, keepdims=True)
    r = ratio(yc @ xc, np.sqrt((yc ** 2).sum(axis=1) * (xc ** 2).sum()))
    observed, null = r[0], r[1:]
    tolerance = 1e-12
    return pd.DataFrame([{
        "value": value, "nodes": n, "qap_r_pearson": observed,
        "p_greater": (1 + np.sum(null >= observed - tolerance)) / (1 + n_permutations) if np.isfinite(observed) else np.nan,
        "p_two_sided": (1 + np.sum(np.abs(null) >= abs(observed) - tolerance)) / (1 + n_permutations)
        if np.isfinite(observed) else np.nan,
        "n_permutations": n_permutations, "seed": seed,
        "note": "" if np.isfinite(observed) else "no_variation",
    }])


def positions(group: GroupNetwork, scores: pd.DataFrame | None = None, score_columns=("zbi12_bedard_total",),
              node: str = NODE, person: str = "caregiver_id") -> pd.DataFrame:
    """Members' positions at each wave joined to their own scores at the same wave.

    Parameters
    ----------
    group : GroupNetwork
    scores : pandas.DataFrame, optional
        One row per (respondent, wave): ``respondent_id``, ``wave`` and ``score_columns``
        (e.g. the caregivers' rows of :func:`laoyou_eval.intake.scores`).
    score_columns : sequence of str
    node : str
        Member column.
    person : str
        Members' column holding the respondent id used in ``scores``.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`node_measures`, ``person`` and the score columns (NaN when the
        member has no score at that wave, e.g. a survey not returned).
    """
    out = node_measures(group, node).merge(group.members[[node, person]], on=node, how="left")
    if scores is not None:
        wanted = scores[["respondent_id", "wave", *score_columns]].rename(columns={"respondent_id": person})
        wanted = wanted.astype({"wave": out["wave"].dtype})
        out = out.merge(wanted, on=[person, "wave"], how="left")
    return out
