"""Ego-network measures for all egos at once.

Every measure is computed from flat NumPy arrays (:class:`~laoyou_eval.networks.model.Compiled`):
counts and Burt's measures with weighted ``np.bincount`` over the ties (linear in their number),
components with :func:`scipy.sparse.csgraph.connected_components` on the block-diagonal graph
of all alters, and directed reachability on dense ``(k, n, n)`` blocks that stack the egos of
equal network size ``n`` (a loop over distinct sizes, never over egos).  networkx and igraph
are references in the tests and benchmarks, not dependencies of the computation.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from laoyou_eval.errors import LaoyouError
from laoyou_eval.networks import composition
from laoyou_eval.networks._arrays import join_notes
from laoyou_eval.networks._arrays import ratio as _ratio
from laoyou_eval.networks._ids import ego_values
from laoyou_eval.networks.model import Compiled, as_records, prepare

#: Largest block (egos × n × n cells) held in memory at once by the directed reachability.
BLOCK_CELLS = 2 ** 22
#: Columns that need the alter–alter ties: NaN when ``ties=None`` (not collected).
TIE_COLUMNS = ("ties", "density", "density_weighted", "effective_size", "efficiency", "constraint",
               "effective_size_weighted", "efficiency_weighted", "constraint_weighted", "components",
               "largest_component", "isolates", "component_ratio", "fragmentation", "brokerage",
               "brokerage_normalised")


def ego_measures(alters, ties=None, egos=None, ego: str = "ego_id", alter: str = "alter_id", *,
                 source: str = "source", target: str = "target", weight: str | None = "weight",
                 weight_max: float = 1.0, weighted: bool = False, ego_weight: str | None = None,
                 attributes=(), categories: dict | None = None, homophily=(), na: str = "exclude",
                 iqv_k: str = "possible", errors: str = "raise", max_netsize: int | None = None,
                 directed: bool = False) -> pd.DataFrame:
    """Structural, compositional and homophily measures of every ego network.

    Parameters
    ----------
    alters : pandas.DataFrame
        One row per (ego, alter) with alter attributes.
    ties : pandas.DataFrame, optional
        One row per alter–alter tie: ``ego``, ``source``, ``target`` (alter keys of that
        ego) and optionally ``weight``; undirected unless ``directed=True``.  ``None`` means the ties were **not
        collected**: for egos with two or more alters every tie-based measure
        (:data:`TIE_COLUMNS`, alter–alter EI) is NaN with note ``ties_not_collected``; an
        empty table means "collected, none" (density 0, note
        ``no_alter_ties``).
    egos : pandas.DataFrame, Series or list, optional
        All egos (respondents) of the wave, so that egos who named nobody stay in the output.
        A DataFrame may hold ego attributes for ``homophily``.
    ego, alter : str
        Ego and alter key columns.  Use the per-wave row key (e.g. ``"alter_no"``) when
        ties refer to it.
    source, target, weight : str
        Tie columns; ``weight`` is ignored when the column is absent (unweighted ties).
    weight_max : float, default 1
        Top of the tie-strength scale (2 for 认识/很熟); weights must lie in (0, weight_max].
    weighted : bool, default False
        Also compute ``effective_size_weighted``, ``efficiency_weighted`` and
        ``constraint_weighted`` from tie weights.
    ego_weight : str, optional
        Numeric alter column with the ego–alter tie strength on the same scale, used by the
        weighted measures; by default every ego–alter tie has strength ``weight_max``.
    attributes : sequence of str
        Alter attributes for composition and diversity.
    categories : dict, optional
        attribute -> all possible categories (their order is kept).  Otherwise a pandas
        Categorical's categories, or the values observed in the whole table, sorted.
    homophily : sequence of str
        Attributes for the EI indices; the ego-alter EI needs the same column in ``egos``.
    na : {"exclude", "category"}
        Missing attribute values: left out of every denominator (default), or counted as a
        category of their own (``"(missing)"``).
    iqv_k : {"possible", "observed"}
        K of the IQV: the number of possible categories (default) or the number observed
        in that ego's network (ideanet's choice).
    errors : {"raise", "flag"}
        Bad input raises :class:`~laoyou_eval.errors.LaoyouError` or, with ``"flag"``, is
        left out and listed in the report returned by
        :func:`laoyou_eval.networks.problems` (see :func:`laoyou_eval.networks.model.validate`).
    max_netsize : int, optional
        When ties were asked about only among the first ``max_netsize`` alters named, the
        density denominators use min(n, max_netsize) (egor's ``max.netsize``).
    directed : bool, default False
        A tie row is the arc source → target (egor's ``ego_density(directed = TRUE)``):
        a→b and b→a are two ties, and the measures take their directed definitions (see
        Notes).

    Returns
    -------
    pandas.DataFrame
        One row per ego, in the order of ``egos`` (or of first appearance in ``alters``):

        - ``ego`` — identifier, of the type passed (integer ids stay integers);
        - ``size`` — number of alters n;
        - ``ties`` — number of alter–alter ties t (directed: arcs);
        - ``density`` — t / (n(n−1)/2), directed t / (n(n−1)), with n capped at
          ``max_netsize`` when given;
        - ``density_weighted`` — Σ(w / weight_max) over the same denominator (only with a
          weight column);
        - ``effective_size`` — Burt's effective size, unweighted (= n − 2t/n);
        - ``efficiency`` — effective_size / n;
        - ``constraint`` — Burt's aggregate constraint, ego-network model, unweighted;
        - ``effective_size_weighted``, ``efficiency_weighted``, ``constraint_weighted`` —
          the same from tie strengths (only with ``weighted=True``);
        - ``components`` — connected components among the alters (ego removed); directed:
          weak components (arcs taken as lines);
        - ``largest_component`` — alters in the largest of them;
        - ``isolates`` — alters tied to no other alter (directed: no arc in or out);
        - ``component_ratio`` — (components − 1) / (n − 1);
        - ``fragmentation`` — share of ordered alter pairs (j, k) in which k cannot be
          reached from j, 1 − R / (n(n − 1)), R the reachable ordered pairs: Σ s_c(s_c − 1)
          over components undirected, pairs joined by a directed path when directed;
        - ``brokerage`` — alter pairs not directly tied, n(n−1)/2 − t; directed: ordered
          pairs (j, k) without an arc j → k, n(n−1) − t;
        - ``brokerage_normalised`` — brokerage over its maximum = 1 − density (without
          ``max_netsize``);
        - per attribute ``a`` (see :func:`laoyou_eval.networks.composition.attribute_columns`):
          ``a_n_<category>``, ``a_p_<category>``, ``a_n_missing``, ``a_n_categories``,
          ``a_shannon_log2``, ``a_blau``, ``a_iqv_k_possible`` (or ``a_iqv_k_observed``),
          ``a_iqv_k``;
        - per homophily attribute: ``a_ei_ego_alter``, ``a_ei_alter_alter_raw``,
          ``a_ei_alter_alter_rescaled``;
        - ``note`` — why values are NaN or what was left out (codes explained by
          :func:`laoyou_eval.networks.notes.explain_note`), "" when nothing to say.

        ``attrs["problems"]`` holds the validation report as plain records (pandas compares
        ``attrs`` when combining frames, so they hold no DataFrame); read it with
        :func:`laoyou_eval.networks.problems`.

    Notes
    -----
    **Structural holes (Burt 1992), ego-network model.**  The graph is the ego, its
    alters and the alter–alter ties; the ego is tied to every alter.  With a_xy the tie
    strength, p_xy = a_xy / Σ_k a_xk and m_xy = a_xy / max_k a_xk (sums and maxima over x's
    ties *including* the tie to the ego):

    - effective size = Σ_j (1 − Σ_q p_ego,q · m_jq);
    - constraint = Σ_j (p_ego,j + Σ_q p_ego,q · p_qj)².

    Unweighted, all strengths are 1 and effective size reduces to n − 2t/n (Borgatti
    1997).  These are networkx's ``effective_size`` and ``constraint`` of the ego in
    ``nx.ego_graph``; a closed triad gives constraint 1.125.  UCINET's "whole-network"
    model, which counts the alters' ties outside the ego network, is not used.

    **Directed ties** (``directed=True``).  Burt's measures use the mutual strength of
    each pair, a_xy + a_yx (Burt 1992; networkx's ``mutual_weight``): with ego's ties the
    arcs ego → alter (strength e_j), p_ij = (a_ij + a_ji) / Σ_q (a_iq + a_qi) and
    m_ij = (a_ij + a_ji) / max_q (a_iq + a_qi), in the same two formulas.  These are
    networkx's ``effective_size`` and ``constraint`` of the ego on the ``DiGraph`` of the
    ego network.  Unweighted, a reciprocated pair has mutual strength 2 and a one-way arc 1,
    so effective size is n − t/n when every arc is reciprocated and n − 2t/n when none is
    (Borgatti 1997, counting t arcs); a triad of three reciprocated pairs has constraint
    3·(1/3 + 2·(1/3)(2/5))² = 1.08.  Density is t / (n(n−1)) (egor's ``dyad.poss(directed =
    TRUE)``); components are weak components; fragmentation counts directed reachability
    (Borgatti 2006); brokerage counts the ordered pairs without an arc.

    **Edge-case policy** (the same in every measure; counts stay counts, ratios whose
    denominator is zero are NaN with a note, never 0; every ego stays in the output):

    ============================  ===========  ============  ===========================
    measure                       n = 0        n = 1         n ≥ 2, no alter ties
    ============================  ===========  ============  ===========================
    size, ties, brokerage         0            1, 0, 0       n, 0, n(n−1)/2
    density (weighted)            NaN          NaN           0
    effective_size, efficiency    NaN          1, 1          n, 1
    constraint                    NaN          1             1/n
    components, largest, isolates 0, 0, 0      1, 1, 1       n, 1, n
    component_ratio,              NaN          NaN           1
    fragmentation, brokerage_norm
    composition proportions,      NaN          defined       defined
    diversity (except count)
    EI ego–alter                  NaN          defined       defined
    EI alter–alter                NaN          NaN           NaN (no ties to compare)
    ============================  ===========  ============  ===========================

    Notes: ``no_alters``, ``one_alter``, ``no_alter_ties``, ``ties_not_collected``; per attribute
    ``<a>_missing=k`` (k alters left out), ``<a>_all_missing``, ``ego_<a>_missing``,
    ``<a>_k<2`` (IQV undefined).

    References
    ----------
    Borgatti, S. P. (1997). Structural holes: Unpacking Burt's redundancy measures.
    *Connections, 20*(1), 35–38.

    Borgatti, S. P. (2006). Identifying sets of key players in a social network.
    *Computational and Mathematical Organization Theory, 12*(1), 21–34.
    https://doi.org/10.1007/s10588-006-7084-x

    Burt, R. S. (1992). *Structural holes: The social structure of competition*. Harvard
    University Press. https://doi.org/10.4159/9780674029095

    Everett, M. G., & Borgatti, S. P. (2012). Categorical attribute based centrality: E–I
    and G–F centrality. *Social Networks, 34*(4), 562–569.
    https://doi.org/10.1016/j.socnet.2012.06.002

    Perry, B. L., Pescosolido, B. A., & Borgatti, S. P. (2018). *Egocentric network
    analysis: Foundations, methods, and models*. Cambridge University Press.
    https://doi.org/10.1017/9781316443255

    Examples
    --------
    >>> import pandas as pd
    >>> alters = pd.DataFrame({"ego_id": ["e1"] * 3, "alter_id": ["a", "b", "c"]})
    >>> ties = pd.DataFrame({"ego_id": ["e1"] * 3, "source": ["a", "a", "b"], "target": ["b", "c", "c"]})
    >>> result = ego_measures(alters, ties, egos=["e1", "e2"])
    >>> result[["ego_id", "size", "density", "constraint"]].round(4)
      ego_id  size  density  constraint
    0     e1     3      1.0      0.9259
    1     e2     0      NaN         NaN
    >>> result["note"].tolist()
    ['', 'no_alters']
    """
    if na not in ("exclude", "category"):
        raise ValueError("na must be 'exclude' or 'category'")
    if max_netsize is not None and not (isinstance(max_netsize, (int, np.integer)) and max_netsize >= 2):
        raise LaoyouError(f"max_netsize 必须是不小于 2 的整数，这里是 {max_netsize!r}。",
                          f"max_netsize must be an integer of at least 2; got {max_netsize!r}.")
    if iqv_k not in ("possible", "observed"):
        raise ValueError("iqv_k must be 'possible' or 'observed'")
    has_weight = ties is not None and weight is not None and weight in ties
    ego_table, sorted_alters, net, problems = prepare(alters, ties, egos, ego, alter, source=source, target=target,
                                                      weight=weight, weight_max=weight_max, errors=errors,
                                                      directed=directed,
                                                      columns=[*attributes, *homophily, *([ego_weight] if weighted
                                                                                           and ego_weight else [])])
    out = {ego: ego_values(net, alters, egos, ego)}
    out.update(structure(net, weight_max=weight_max, weighted_density=has_weight, max_netsize=max_netsize))
    if weighted:
        strengths = _ego_weights(sorted_alters, ego_weight, weight_max)
        es, con = burt(net, tie_weight=net.weight, ego_weight=strengths)
        n = net.size.astype(float)
        out.update(effective_size_weighted=es, efficiency_weighted=_ratio(es, n), constraint_weighted=con)
    notes = [_structure_notes(net)]
    for attribute in dict.fromkeys([*attributes, *homophily]):
        columns, note = composition.attribute_columns(
            net, sorted_alters, ego_table, attribute, categories=(categories or {}).get(attribute), na=na,
            iqv_k=iqv_k, diversity=attribute in attributes, homophily=attribute in homophily)
        out.update(columns)
        notes.append(note)
    if ties is None:  # not collected: with two or more alters nothing tie-based is known
        unknown = net.size >= 2
        for column in [c for c in out if c in TIE_COLUMNS or "_ei_alter_alter_" in c]:
            out[column] = np.where(unknown, np.nan, out[column])
        notes[0] = np.where(unknown, "ties_not_collected", notes[0]).astype(object)
    out["note"] = join_notes(*notes)
    result = pd.DataFrame(out)
    result.attrs["problems"] = as_records(problems)
    return result


def _structure_notes(net: Compiled) -> np.ndarray:
    n, t = net.size, net.ties_per_ego()
    return np.select([n == 0, n == 1, t == 0], ["no_alters", "one_alter", "no_alter_ties"], "").astype(object)


def _ego_weights(sorted_alters: pd.DataFrame, column: str | None, weight_max: float) -> np.ndarray:
    if column is None:
        return np.full(len(sorted_alters), float(weight_max))
    if column not in sorted_alters:
        raise LaoyouError(f"被提名者表缺少列 {column}。", f"The alters table has no column {column!r}.", column=column)
    values = pd.to_numeric(sorted_alters[column], errors="coerce")
    bad = ~((values > 0) & (values <= weight_max))
    if bad.any():
        label = sorted_alters.index[np.flatnonzero(bad.to_numpy())[0]]
        raise LaoyouError(
            "自我与被提名者的关系强度缺失、不是数字或超出范围。",
            f"Ego–alter strength missing, not a number or outside (0, {weight_max}].",
            row=int(label) + 2 if isinstance(label, (int, np.integer)) else None, column=column,
            hint_zh="每位被提名者都要有一个大于 0 的强度。", hint_en="every alter needs a strength above 0.")
    return values.to_numpy(dtype=float)


def structure(net: Compiled, weight_max: float = 1.0, weighted_density: bool = False,
              max_netsize: int | None = None) -> dict[str, np.ndarray]:
    """Size, density, Burt's measures (unweighted), components and brokerage of every ego.

    Parameters
    ----------
    net : Compiled
        The networks (see :func:`laoyou_eval.networks.model.prepare`); ``net.directed``
        selects the directed definitions.
    weight_max : float
        Top of the tie-strength scale, for ``density_weighted``.
    weighted_density : bool
        Include ``density_weighted``.
    max_netsize : int, optional
        Cap of the network size in the density denominators.

    Returns
    -------
    dict
        Column name -> array of length E; the columns and edge-case policy of
        :func:`ego_measures`.
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n = net.size.astype(float)
    t = net.ties_per_ego().astype(float)
    per_pair = 1.0 if net.directed else 0.5  # possible ties per ordered pair of alters
    pairs = n * (n - 1) * per_pair
    asked = np.minimum(n, max_netsize) if max_netsize is not None else n
    asked_pairs = asked * (asked - 1) * per_pair
    out = {"size": net.size, "ties": net.ties_per_ego(), "density": _ratio(t, asked_pairs)}
    if weighted_density:
        total = np.bincount(net.tie_ego, weights=net.weight / weight_max, minlength=net.n_egos)
        out["density_weighted"] = _ratio(total, asked_pairs)
    es, con = burt(net)
    out.update(effective_size=es, efficiency=_ratio(es, n), constraint=con)

    n_alters = len(net.alter_ego)
    graph = coo_matrix((np.ones(len(net.u)), (net.u, net.v)), shape=(n_alters, n_alters))
    n_comp, labels = connected_components(graph, directed=False)  # directed ties: weak components
    comp_size = np.bincount(labels, minlength=n_comp)
    comp_ego = np.zeros(n_comp, dtype=np.int64)
    comp_ego[labels] = net.alter_ego
    components = np.bincount(comp_ego, minlength=net.n_egos)
    largest = np.zeros(net.n_egos, dtype=np.int64)
    np.maximum.at(largest, comp_ego, comp_size)
    if net.directed:
        reachable = reachable_pairs(net)
    else:
        reachable = np.bincount(comp_ego, weights=comp_size * (comp_size - 1.0), minlength=net.n_egos)
    degree = np.bincount(net.u, minlength=n_alters) + np.bincount(net.v, minlength=n_alters)
    out.update(
        components=components,
        largest_component=largest,
        isolates=np.bincount(net.alter_ego, weights=degree == 0, minlength=net.n_egos).astype(np.int64),
        component_ratio=_ratio(components - 1.0, np.where(n >= 2, n - 1, 0)),
        fragmentation=1 - _ratio(reachable, n * (n - 1)),
        brokerage=(pairs - t).astype(np.int64),
        brokerage_normalised=_ratio(pairs - t, pairs),
    )
    return out


def _blocks(net: Compiled):
    """Yield (egos, ties) index arrays of blocks of egos with the same number of alters n ≥ 1,
    each small enough for dense (k, n, n) arrays."""
    order = np.lexsort((np.arange(net.n_egos), net.size))
    rank = np.empty(net.n_egos, dtype=np.int64)
    rank[order] = np.arange(net.n_egos)
    tie_rank = rank[net.tie_ego]
    tie_order = np.argsort(tie_rank, kind="stable")
    tie_rank = tie_rank[tie_order]
    sizes = net.size[order]
    for n in np.unique(sizes[sizes > 0]):
        first, last = np.searchsorted(sizes, [n, n + 1])
        step = max(1, BLOCK_CELLS // int(n * n))
        for start in range(first, last, step):
            stop = min(start + step, last)
            t0, t1 = np.searchsorted(tie_rank, [start, stop])
            yield int(n), order[start:stop], tie_order[t0:t1]


def _dense(net: Compiled, n: int, egos: np.ndarray, tie_idx: np.ndarray, values) -> np.ndarray:
    """The (k, n, n) matrix of the ties of a block: ``values`` at [ego, i, j] of each tie
    (i → j when directed; i < j, upper triangle only, when not)."""
    position = np.empty(net.n_egos, dtype=np.int64)
    position[egos] = np.arange(len(egos))
    out = np.zeros((len(egos), n, n), dtype=np.asarray(values).dtype)
    out[position[net.tie_ego[tie_idx]], net.i[tie_idx], net.j[tie_idx]] = values
    return out


def reachable_pairs(net: Compiled) -> np.ndarray:
    """Ordered alter pairs (j, k), j ≠ k, with a directed path j → k, per ego (length E).

    The transitive closure of each block of equal-sized networks by repeated squaring of the
    reflexive adjacency matrix: ⌈log₂(n − 1)⌉ boolean matrix products.
    """
    out = np.zeros(net.n_egos)
    for n, egos, tie_idx in _blocks(net):
        reach = _dense(net, n, egos, tie_idx, np.ones(len(tie_idx), dtype=np.float32))
        reach[:, np.arange(n), np.arange(n)] = 1
        for _ in range(int(np.ceil(np.log2(max(n - 1, 1))))):
            reach = (reach @ reach > 0).astype(np.float32)
        out[egos] = reach.sum(axis=(1, 2)) - n
    return out


def burt(net: Compiled, tie_weight: np.ndarray | None = None, ego_weight: np.ndarray | None = None):
    """Burt's effective size and aggregate constraint of every ego (ego-network model).

    Parameters
    ----------
    net : Compiled
    tie_weight : array of length T, optional
        Alter–alter tie strengths; None for the unweighted measures (all strengths 1).
    ego_weight : array of length N, optional
        Ego–alter strengths in the alters' compiled order; None for all 1.

    Returns
    -------
    effective_size, constraint : numpy.ndarray
        Length E; NaN for egos without alters.

    Notes
    -----
    See :func:`ego_measures`.  With W_jk = a_jk + a_kj the mutual strength of two alters
    (directed and undirected ties share one formula), e_j the ego's tie to alter j, S = Σ e,
    p_j = e_j / S, D_q = e_q + Σ_k W_qk and x_j = max(e_j, max_k W_jk):

    - constraint = Σ_j (p_j + Σ_q p_q W_qj / D_q)²;
    - effective size = n − Σ_j Σ_q p_q W_jq / x_j.

    Both inner sums run over the ties only, so each is one weighted ``np.bincount`` over
    the T ties (each tie adds to both ends) — linear in T, with no per-ego loop and no
    dense matrices.  Only x_j needs the mutual strength of a pair as a whole; with directed
    ties the arcs j → k and k → j are first summed per pair.
    """
    n_alters, owner = len(net.alter_ego), net.alter_ego
    u, v = net.u, net.v
    w = None if tie_weight is None else np.asarray(tie_weight, dtype=float)
    e = np.ones(n_alters) if ego_weight is None else np.asarray(ego_weight, dtype=float)
    p = e / np.bincount(owner, weights=e, minlength=net.n_egos)[owner]
    strength = e + np.bincount(u, weights=w, minlength=n_alters) + np.bincount(v, weights=w, minlength=n_alters)

    def both_ends(per_alter, scale=None):  # Σ over j's ties of per_alter[q] · w_jq [/ scale_j]
        at_v, at_u = per_alter[u], per_alter[v]
        if w is not None:
            at_v, at_u = at_v * w, at_u * w
        if scale is not None:
            at_v, at_u = at_v / scale[v], at_u / scale[u]
        return np.bincount(v, weights=at_v, minlength=n_alters) + np.bincount(u, weights=at_u, minlength=n_alters)

    con = np.bincount(owner, weights=(p + both_ends(p / strength)) ** 2, minlength=net.n_egos).astype(float)
    if w is None and ego_weight is None and not net.directed:
        redundancy = p * (strength - 1)  # all strengths 1: x_j = 1 and p equal within an ego
    else:
        largest = e.copy()
        pair_u, pair_v, pair_w = _mutual(net, np.ones(len(u)) if w is None else w) if net.directed else (
            u, v, np.ones(len(u)) if w is None else w)
        np.maximum.at(largest, pair_u, pair_w)
        np.maximum.at(largest, pair_v, pair_w)
        redundancy = both_ends(p, largest)
    es = net.size - np.bincount(owner, weights=redundancy, minlength=net.n_egos).astype(float)
    none = net.size == 0
    es[none] = con[none] = np.nan
    return es, con


def _mutual(net: Compiled, w: np.ndarray):
    """Unordered alter pairs joined by at least one arc, with their mutual strength
    a_jk + a_kj (both arcs of a reciprocated pair summed)."""
    low, high = np.minimum(net.u, net.v), np.maximum(net.u, net.v)
    pairs, inverse = np.unique(low * len(net.alter_ego) + high, return_inverse=True)
    total = np.bincount(inverse.ravel(), weights=w, minlength=len(pairs))
    pair_u, pair_v = np.divmod(pairs, len(net.alter_ego))
    return pair_u, pair_v, total


WEIGHTED_SUMMARY_COLUMNS = ["measure", "n", "mean", "se", "ci_low", "ci_high", "n_effective", "note"]


def weighted_summary(measures: pd.DataFrame, columns, weights, ci: float = 0.95) -> pd.DataFrame:
    """Survey-weighted means of ego-level measures (egor's ``ego_design`` summaries).

    Parameters
    ----------
    measures : pandas.DataFrame
        One row per ego, e.g. from :func:`ego_measures` merged with the egos table.
    columns : sequence of str
        Numeric columns to summarise.
    weights : str or array-like
        Column of ``measures`` with the sampling weights, or the weights themselves
        (positive, one per row).
    ci : float, default 0.95
        Confidence level of the normal interval.

    Returns
    -------
    pandas.DataFrame
        One row per measure: ``measure``, ``n`` (egos with a value), ``mean`` (the weighted
        mean), ``se``, ``ci_low``, ``ci_high``, ``n_effective`` (Kish), ``note``.

    Notes
    -----
    Over the egos with a value (missing values are left out with their weights):
    ȳ_w = Σ wᵢyᵢ / Σ wᵢ; SE = √(n/(n−1)·Σ wᵢ²(yᵢ − ȳ_w)²) / Σ wᵢ, the linearisation
    (with-replacement) SE of a ratio mean that R ``survey::svymean`` reports for a design
    ``svydesign(ids = ~1, weights = ~w)``; equal weights give s/√n.  Kish's effective sample
    size n_eff = (Σ wᵢ)²/Σ wᵢ².  The interval is ȳ_w ± z₍₁₊ci₎/₂·SE.

    References
    ----------
    Kish, L. (1965). *Survey sampling*. Wiley.

    Lumley, T. (2010). *Complex surveys: A guide to analysis using R*. Wiley.
    https://doi.org/10.1002/9780470580066

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame({"density": [0.2, 0.5, 0.4, 0.9], "w": [1.0, 2.0, 1.0, 4.0]})
    >>> weighted_summary(m, ["density"], "w")[["mean", "n_effective"]].round(3).iloc[0].tolist()
    [0.65, 2.909]
    """
    from scipy import stats

    w_all = measures[weights].to_numpy(dtype=float) if isinstance(weights, str) else np.asarray(weights, dtype=float)
    if w_all.shape != (len(measures),) or not np.all(np.isfinite(w_all) & (w_all > 0)):
        raise LaoyouError("权重必须是与表格行数相同的正数。", "Weights must be positive numbers, one per row.",
                          column=weights if isinstance(weights, str) else None,
                          hint_zh="检查权重列是否有缺失、零或负数。", hint_en="check the weights for missing, zero or negative values.")
    if not 0 < ci < 1:
        raise LaoyouError(f"ci 必须在 0 和 1 之间，这里是 {ci!r}。", f"ci must lie strictly between 0 and 1; got {ci!r}.")
    z = stats.norm.ppf((1 + ci) / 2)
    rows = []
    for column in columns:
        y = pd.to_numeric(measures[column], errors="coerce").to_numpy(dtype=float)
        ok = np.isfinite(y)
        w, y = w_all[ok], y[ok]
        n = int(ok.sum())
        mean = se = n_eff = np.nan
        note = "" if n == len(measures) else f"{column}_missing={len(measures) - n}"
        if n:
            mean = float(w @ y / w.sum())
            n_eff = float(w.sum() ** 2 / (w ** 2).sum())
        if n >= 2:
            se = float(np.sqrt(n / (n - 1) * ((w * (y - mean)) ** 2).sum()) / w.sum())
        else:
            note = join_notes(np.array([note]), np.array(["fewer_than_2_values"]))[0]
        rows.append({"measure": column, "n": n, "mean": mean, "se": se, "ci_low": mean - z * se,
                     "ci_high": mean + z * se, "n_effective": n_eff, "note": note})
    return pd.DataFrame(rows, columns=WEIGHTED_SUMMARY_COLUMNS)
