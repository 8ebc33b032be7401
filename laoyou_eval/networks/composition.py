"""Composition, diversity and homophily (EI) of alter attributes, for all egos at once.

All measures start from one count matrix C (egos × categories) built with ``np.bincount``;
the alter–alter EI counts ties within and between categories the same way.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from laoyou_eval.errors import LaoyouError
from laoyou_eval.networks._arrays import join_notes
from laoyou_eval.networks._arrays import ratio as _ratio
from laoyou_eval.networks._ids import ego_values
from laoyou_eval.networks.model import Compiled, prepare

MISSING_CATEGORY = "(missing)"


def category_order(values: pd.Series, categories=None, na: str = "exclude") -> list:
    """The categories of an attribute, in order: given, a Categorical's own, or sorted observed values."""
    if categories is not None:
        order = list(categories)
    elif isinstance(values.dtype, pd.CategoricalDtype):
        order = list(values.cat.categories)
    else:
        order = sorted(values.dropna().astype(str).unique())
    if na == "category" and MISSING_CATEGORY not in order:
        order.append(MISSING_CATEGORY)
    return order


def encode(values: pd.Series, order: list, na: str, attribute: str, file=None) -> np.ndarray:
    """Integer codes of ``values`` in ``order`` (-1 = missing and excluded).

    Raises
    ------
    LaoyouError
        For a value that is not one of the categories.
    """
    text = values.astype("string").str.strip()
    missing = text.isna() | text.eq("")
    if na == "category":
        text = text.mask(missing, MISSING_CATEGORY)
    codes = pd.Index(order, dtype=object).get_indexer(text.astype(object).where(text.notna(), None))
    unknown = (codes < 0) & ~(missing.to_numpy() if na == "exclude" else np.zeros(len(codes), dtype=bool))
    if unknown.any():
        position = int(np.flatnonzero(unknown)[0])
        label = values.index[position]
        raise LaoyouError(
            f"{attribute} 的值 {values.iloc[position]!r} 不在给定的类别中。",
            f"Value {values.iloc[position]!r} of {attribute} is not among the given categories.",
            file=file, row=int(label) + 2 if isinstance(label, (int, np.integer)) else None, column=attribute,
            hint_zh="在 categories= 中补上这个类别，或改正录入。", hint_en="add it to categories= or correct the entry.")
    return codes


def attribute_columns(net: Compiled, sorted_alters: pd.DataFrame, egos: pd.DataFrame, attribute: str, *,
                      categories=None, na: str = "exclude", iqv_k: str = "possible", diversity: bool = True,
                      homophily: bool = False):
    """Composition, diversity and EI columns of one attribute (see :func:`ego_measures`).

    Parameters
    ----------
    net : Compiled
    sorted_alters : pandas.DataFrame
        The alters in the compiled order (``alters.iloc[net.alter_rows]``).
    egos : pandas.DataFrame
        One row per ego, in ``net.ego_ids`` order; holds the ego attribute for the ego–alter EI.
    attribute : str
        Column of ``sorted_alters`` (and of ``egos`` for the ego–alter EI).
    categories : sequence, optional
        All possible categories, in order.
    na, iqv_k : str
        See :func:`laoyou_eval.networks.ego_measures`.
    diversity, homophily : bool
        Which groups of columns to return.

    Returns
    -------
    columns : dict
        With ``a`` the attribute and ``c`` each category:

        - ``a_n_c`` — alters in category c;
        - ``a_p_c`` — proportion n_c / n_valid (n_valid = alters with a non-missing value);
        - ``a_n_missing`` — alters with a missing value (0 with ``na="category"``, where
          they form the category ``(missing)``);
        - ``a_n_categories`` — distinct categories present (egor's diversity count);
        - ``a_shannon_log2`` — Shannon entropy −Σ p_c log₂ p_c (egor's ``fun_entropy``);
        - ``a_blau`` — Blau's heterogeneity 1 − Σ p_c²;
        - ``a_iqv_k_possible`` or ``a_iqv_k_observed`` — IQV = Blau / (1 − 1/K);
        - ``a_iqv_k`` — the K used;
        - ``a_ei_ego_alter`` — Krackhardt–Stern EI of the ego against its alters,
          (E − I)/(E + I) with E alters differing from the ego and I alters alike;
        - ``a_ei_alter_alter_raw`` — (E − I)/(E + I) over alter–alter ties between (E) and
          within (I) categories;
        - ``a_ei_alter_alter_rescaled`` — Everett–Borgatti rescaled EI, (d_E − d_I)/(d_E + d_I)
          with d_E = E / Σ_{g<h} n_g n_h and d_I = I / Σ_g n_g(n_g − 1)/2 (egor's ``EI``);
          with directed ties (``net.directed``) E and I count arcs and both numbers of
          possible ties double (ordered pairs), d_E = E / Σ_{g≠h} n_g n_h and
          d_I = I / Σ_g n_g(n_g − 1).

    note : numpy.ndarray
        Per-ego note codes for this attribute.

    Notes
    -----
    n_valid = 0 makes proportions, Shannon, Blau, IQV and EI NaN (a count of 0 stays 0);
    K < 2 makes the IQV NaN.  The alter–alter EIs are NaN when no tie joins two
    non-missing alters, and the rescaled EI also when either possible-pair count is 0
    (every group of size 1, or a single group).  Ties touching an alter with a missing
    value are left out with that alter.

    References
    ----------
    Agresti, A., & Agresti, B. F. (1978). Statistical analysis of qualitative variation.
    *Sociological Methodology, 9*, 204–237. https://doi.org/10.2307/270810

    Blau, P. M. (1977). *Inequality and heterogeneity: A primitive theory of social
    structure*. Free Press.

    Everett, M. G., & Borgatti, S. P. (2012). Categorical attribute based centrality: E–I
    and G–F centrality. *Social Networks, 34*(4), 562–569.
    https://doi.org/10.1016/j.socnet.2012.06.002

    Krackhardt, D., & Stern, R. N. (1988). Informal networks and organizational crises: An
    experimental simulation. *Social Psychology Quarterly, 51*(2), 123–140.
    https://doi.org/10.2307/2786835

    Shannon, C. E. (1948). A mathematical theory of communication. *Bell System Technical
    Journal, 27*(3), 379–423. https://doi.org/10.1002/j.1538-7305.1948.tb01338.x
    """
    if attribute not in sorted_alters:
        raise LaoyouError(f"被提名者表缺少列 {attribute}。", f"The alters table has no column {attribute!r}.",
                          column=attribute)
    file = sorted_alters.attrs.get("source")
    order = category_order(sorted_alters[attribute], categories, na)
    k = len(order)
    codes = encode(sorted_alters[attribute], order, na, attribute, file)
    valid = codes >= 0
    E = net.n_egos
    counts = np.bincount(net.alter_ego[valid] * k + codes[valid], minlength=E * k).reshape(E, k)
    n_valid = counts.sum(axis=1).astype(float)
    n_missing = net.size - counts.sum(axis=1)
    p = _ratio(counts, n_valid[:, None])
    columns: dict[str, np.ndarray] = {}
    notes = [np.where(n_missing > 0, [f"{attribute}_missing={m}" for m in n_missing], ""),
             np.where((net.size > 0) & (n_valid == 0), f"{attribute}_all_missing", "")]
    if diversity:
        for c, name in enumerate(order):
            columns[f"{attribute}_n_{name}"] = counts[:, c]
        for c, name in enumerate(order):
            columns[f"{attribute}_p_{name}"] = p[:, c]
        columns[f"{attribute}_n_missing"] = n_missing
        n_categories = (counts > 0).sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            plogp = np.where(p > 0, p * np.log2(np.where(p > 0, p, 1)), 0.0)
        empty = n_valid == 0
        blau = np.where(empty, np.nan, 1 - np.nansum(p ** 2, axis=1))
        k_used = n_categories if iqv_k == "observed" else np.full(E, k)
        columns[f"{attribute}_n_categories"] = n_categories
        columns[f"{attribute}_shannon_log2"] = np.where(empty, np.nan, -plogp.sum(axis=1))
        columns[f"{attribute}_blau"] = blau
        columns[f"{attribute}_iqv_k_{iqv_k}"] = np.where(k_used >= 2, _ratio(blau, 1 - _ratio(1, k_used)), np.nan)
        columns[f"{attribute}_iqv_k"] = k_used
        notes.append(np.where(~empty & (k_used < 2), f"{attribute}_k<2", ""))
    if homophily:
        h_columns, h_notes = _ei(net, egos, attribute, order, na, codes, counts, file)
        columns.update(h_columns)
        notes.append(h_notes)
    return columns, join_notes(*notes)


def _ei(net, egos, attribute, order, na, codes, counts, file):
    """Ego–alter and alter–alter EI (see :func:`attribute_columns`)."""
    E = net.n_egos
    columns = {}
    notes = np.full(E, "", dtype=object)
    if attribute in egos:
        ego_codes = encode(egos[attribute], order, na, attribute, egos.attrs.get("source"))
        same = codes == ego_codes[net.alter_ego]
        valid = (codes >= 0) & (ego_codes[net.alter_ego] >= 0)
        internal = np.bincount(net.alter_ego[valid & same], minlength=E)
        external = np.bincount(net.alter_ego[valid & ~same], minlength=E)
        columns[f"{attribute}_ei_ego_alter"] = _ratio(external - internal, external + internal)
        notes = np.where(ego_codes < 0, f"ego_{attribute}_missing", "").astype(object)
    a, b = codes[net.u], codes[net.v]
    tie_ok = (a >= 0) & (b >= 0)
    within = np.bincount(net.tie_ego[tie_ok & (a == b)], minlength=E).astype(float)
    between = np.bincount(net.tie_ego[tie_ok & (a != b)], minlength=E).astype(float)
    n = counts.sum(axis=1).astype(float)
    per_pair = 1.0 if net.directed else 0.5  # possible ties per ordered pair of alters
    possible_within = (counts * (counts - 1.0)).sum(axis=1) * per_pair
    possible_between = (n ** 2 - (counts.astype(float) ** 2).sum(axis=1)) * per_pair
    d_between, d_within = _ratio(between, possible_between), _ratio(within, possible_within)
    columns[f"{attribute}_ei_alter_alter_raw"] = _ratio(between - within, between + within)
    columns[f"{attribute}_ei_alter_alter_rescaled"] = _ratio(d_between - d_within, d_between + d_within)
    return columns, notes


#: Alter key that stands for the ego when ``include_ego=True``.
EGO_NODE = "(ego)"


def ei_groups(alters, ties, attribute: str, egos=None, ego: str = "ego_id", alter: str = "alter_id", *,
              source: str = "source", target: str = "target", categories=None, na: str = "exclude",
              errors: str = "raise", include_ego: bool = False, ego_attribute: str | None = None,
              directed: bool = False) -> pd.DataFrame:
    """Group-level rescaled alter–alter EI (egor's per-category ``EI`` columns).

    Parameters
    ----------
    alters, ties, egos, ego, alter, source, target, errors
        As for :func:`laoyou_eval.networks.ego_measures`.
    attribute : str
        Alter attribute defining the groups.
    categories : sequence, optional
        All possible categories, in order.
    na : {"exclude", "category"}
        Missing values left out (with their ties) or counted as a category.
    include_ego : bool, default False
        Count the ego as a member of its network, tied to every alter, with its own value
        of ``ego_attribute`` from ``egos`` (egor's ``EI(include.ego = TRUE)``).  The ego enters
        as the alter key :data:`EGO_NODE`.
    ego_attribute : str, optional
        Column of ``egos`` with the ego's category; default ``attribute``.
    directed : bool, default False
        Ties are arcs source → target (see :func:`laoyou_eval.networks.ego_measures`); with
        ``include_ego`` the ego's ties are the arcs ego → alter.

    Returns
    -------
    pandas.DataFrame
        One row per ego × category present in its network: ``ego``, ``category``,
        ``n_group`` (alters in the category), ``ties_within``, ``ties_between`` (ties from
        the category to another one), ``ei_rescaled`` = (d_E − d_I)/(d_E + d_I) with
        d_E = E_g / (n_g (n − n_g)) and d_I = I_g / (n_g (n_g − 1)/2).  Directed, E_g
        counts the arcs out of and into the group and I_g the arcs inside it, over the
        ordered pairs: d_E = E_g / (2 n_g (n − n_g)), d_I = I_g / (n_g (n_g − 1)).  NaN for a
        group of size 1 (no possible internal tie), a group that is the whole network (no
        possible external tie) and a group with no ties at all.

    References
    ----------
    Everett, M. G., & Borgatti, S. P. (2012). Categorical attribute based centrality: E–I
    and G–F centrality. *Social Networks, 34*(4), 562–569.
    https://doi.org/10.1016/j.socnet.2012.06.002
    """
    if include_ego:
        alters, ties = _with_ego(alters, ties, egos, attribute, ego_attribute or attribute, ego, alter, source, target)
    _, sorted_alters, net, _ = prepare(alters, ties, egos, ego, alter, source=source, target=target,
                                       weight=None, errors=errors, directed=directed)
    order = category_order(sorted_alters[attribute], categories, na)
    k = len(order)
    codes = encode(sorted_alters[attribute], order, na, attribute, sorted_alters.attrs.get("source"))
    valid = codes >= 0
    E = net.n_egos
    counts = np.bincount(net.alter_ego[valid] * k + codes[valid], minlength=E * k).reshape(E, k)
    a, b = codes[net.u], codes[net.v]
    ok = (a >= 0) & (b >= 0)
    inside = ok & (a == b)
    within = np.bincount(net.tie_ego[inside] * k + a[inside], minlength=E * k).reshape(E, k)
    cross = ok & (a != b)
    between = (np.bincount(net.tie_ego[cross] * k + a[cross], minlength=E * k)
               + np.bincount(net.tie_ego[cross] * k + b[cross], minlength=E * k)).reshape(E, k)
    n = counts.sum(axis=1, keepdims=True)
    per_pair = 1.0 if directed else 0.5  # possible ties per ordered pair of alters
    d_within = _ratio(within, counts * (counts - 1) * per_pair)
    d_between = _ratio(between, counts * (n - counts) * 2 * per_pair)
    ei = _ratio(d_between - d_within, d_between + d_within)
    present = counts > 0
    ego_pos, cat = np.nonzero(present)
    return pd.DataFrame({ego: ego_values(net, alters, egos, ego)[ego_pos],
                         "category": np.asarray(order, dtype=object)[cat],
                         "n_group": counts[present], "ties_within": within[present],
                         "ties_between": between[present], "ei_rescaled": ei[present]})


def _with_ego(alters, ties, egos, attribute, ego_attribute, ego, alter, source, target):
    """Alters and ties with each ego added as the alter :data:`EGO_NODE`, tied to all its alters."""
    if not isinstance(egos, pd.DataFrame) or ego_attribute not in egos:
        raise LaoyouError(f"include_ego=True 需要含列 {ego_attribute} 的受访者表（egos）。",
                          f"include_ego=True needs an egos table with column {ego_attribute!r}.",
                          column=ego_attribute, hint_zh="传入 egos=受访者表。", hint_en="pass egos=<the egos table>.")
    selves = pd.DataFrame({ego: egos[ego].to_numpy(), alter: EGO_NODE, attribute: egos[ego_attribute].to_numpy()})
    spokes = pd.DataFrame({ego: alters[ego].to_numpy(), source: EGO_NODE, target: alters[alter].to_numpy()})
    kept = [] if ties is None else [ties[[ego, source, target]]]
    return (pd.concat([selves, alters[[ego, alter, attribute]]], ignore_index=True),
            pd.concat([spokes, *kept], ignore_index=True))


def count_dyads(alters, ties, attribute: str, egos=None, ego: str = "ego_id", alter: str = "alter_id", *,
                source: str = "source", target: str = "target", categories=None, na: str = "exclude",
                errors: str = "raise", directed: bool = False) -> pd.DataFrame:
    """Alter–alter ties counted by the pair of categories they join (egor's ``count_dyads``).

    Parameters
    ----------
    alters, ties, egos, ego, alter, source, target, errors
        As for :func:`laoyou_eval.networks.ego_measures`.
    attribute : str
        Alter attribute whose categories label the two ends of each tie.
    categories : sequence, optional
        All possible categories, in order (default: sorted observed values).
    na : {"exclude", "category"}
        Ties with a missing end are left out, or counted under ``"(missing)"``.
    directed : bool, default False
        Ties are arcs source → target: pairs of categories are ordered (``category_a`` the
        source's, ``category_b`` the target's), so "kin → friend" and "friend → kin" are
        counted apart.

    Returns
    -------
    pandas.DataFrame
        Long format, one row per ego and category pair present among its ties: ``ego``,
        ``category_a``, ``category_b`` (undirected: a before b in category order, so each
        tie is counted once; directed: source's and target's), ``n`` (ties).  Egos with no
        such tie have no row.

    Notes
    -----
    For ego i, n_i(a, b) = #{ties {u, v} : {c(u), c(v)} = {a, b}}; directed,
    n_i(a, b) = #{arcs u → v : c(u) = a, c(v) = b}.  Σ over pairs = the ego's ties with
    both ends coded.  egor's ``count_dyads(object, alter_var_name, return_as = "long")``
    pastes the sorted pair as ``"a_b"`` (it has no directed variant).

    References
    ----------
    Krenz, T., Krivitsky, P. N., Vacca, R., Bojanowski, M., & Herz, A. (2024). *egor:
    Import and analyse ego-centered network data* (R package). https://CRAN.R-project.org/package=egor

    Examples
    --------
    >>> import pandas as pd
    >>> alters = pd.DataFrame({"ego_id": 1, "alter_id": [1, 2, 3], "kin": ["family", "friend", "family"]})
    >>> ties = pd.DataFrame({"ego_id": 1, "source": [1, 1, 2], "target": [2, 3, 3]})
    >>> count_dyads(alters, ties, "kin")
       ego_id category_a category_b  n
    0       1     family     family  1
    1       1     family     friend  2
    """
    _, sorted_alters, net, _ = prepare(alters, ties, egos, ego, alter, source=source, target=target,
                                       weight=None, errors=errors, directed=directed)
    order = category_order(sorted_alters[attribute], categories, na)
    k = max(len(order), 1)
    codes = encode(sorted_alters[attribute], order, na, attribute, sorted_alters.attrs.get("source"))
    a, b = codes[net.u], codes[net.v]
    ok = (a >= 0) & (b >= 0)
    low, high = (a[ok], b[ok]) if directed else (np.minimum(a, b)[ok], np.maximum(a, b)[ok])
    counts = np.bincount((net.tie_ego[ok] * k + low) * k + high, minlength=net.n_egos * k * k)
    present = np.flatnonzero(counts)
    ego_pos, pair = np.divmod(present, k * k)
    first, second = np.divmod(pair, k)
    labels = np.asarray(order, dtype=object)
    return pd.DataFrame({ego: ego_values(net, alters, egos, ego)[ego_pos],
                         "category_a": labels[first] if len(present) else np.array([], dtype=object),
                         "category_b": labels[second] if len(present) else np.array([], dtype=object),
                         "n": counts[present]})


NUMERIC_COLUMNS = ("n", "mean", "sd", "min", "max", "range", "mean_abs_diff_ego")


def _numbers(values: pd.Series, name: str) -> np.ndarray:
    """A numeric column as float with NaN for missing; text is an error naming the first bad row."""
    numeric = pd.to_numeric(values, errors="coerce")
    bad = numeric.isna() & values.notna() & values.astype("string").str.strip().ne("")
    if bad.any():
        position = int(np.flatnonzero(bad.to_numpy())[0])
        raise LaoyouError(f"“{name}”含有非数字内容（例如 {values.iloc[position]!r}）。",
                          f"{name!r} holds non-numeric values (e.g. {values.iloc[position]!r}).",
                          row=position + 2, column=name, hint_zh="改正录入，或把该列当作类别变量。",
                          hint_en="correct the entry, or treat the column as categorical.")
    return numeric.to_numpy(dtype=float, na_value=np.nan)


def numeric_composition(alters, attribute: str, egos=None, ego: str = "ego_id", alter: str = "alter_id", *,
                        ego_attribute: str | None = None, errors: str = "raise") -> pd.DataFrame:
    """Composition of a numeric alter attribute (e.g. age) in every ego network, egor's
    ``comp_ply`` with the usual functions.

    Parameters
    ----------
    alters, egos, ego, alter, errors
        As for :func:`laoyou_eval.networks.ego_measures` (no ties are needed).
    attribute : str
        Numeric alter column.
    ego_attribute : str, optional
        The same quantity for the ego, in ``egos`` (a DataFrame), for the ego–alter
        difference.

    Returns
    -------
    pandas.DataFrame
        One row per ego: ``ego`` and ``<attribute>_n`` (alters with a value),
        ``<attribute>_mean``, ``<attribute>_sd`` (ddof = 1, R's ``sd``), ``_min``, ``_max``,
        ``_range`` (max − min), ``_mean_abs_diff_ego`` (mean |x_ego − x_alter|; NaN without
        ``ego_attribute`` or with the ego's value missing), and ``note``.

    Notes
    -----
    Missing alter values are left out (``na.rm = TRUE`` in egor) and counted in ``note``
    (``<a>_missing=k``); statistics with no value (or, for the SD, fewer than two) are NaN.
    The ego–alter absolute difference is a numeric homophily measure (Perry, Pescosolido &
    Borgatti, 2018, ch. 6).

    References
    ----------
    Perry, B. L., Pescosolido, B. A., & Borgatti, S. P. (2018). *Egocentric network
    analysis: Foundations, methods, and models*. Cambridge University Press.
    https://doi.org/10.1017/9781316443255

    Examples
    --------
    >>> import pandas as pd
    >>> alters = pd.DataFrame({"ego_id": [1, 1, 1, 2], "alter_id": [1, 2, 3, 1], "age": [60, 70, None, 30]})
    >>> egos = pd.DataFrame({"ego_id": [1, 2], "age": [65, 40]})
    >>> numeric_composition(alters, "age", egos, ego_attribute="age")[["ego_id", "age_mean", "age_sd",
    ...                                                                 "age_mean_abs_diff_ego"]].round(3)
       ego_id  age_mean  age_sd  age_mean_abs_diff_ego
    0       1      65.0   7.071                    5.0
    1       2      30.0     NaN                   10.0
    """
    ego_table, sorted_alters, net, _ = prepare(alters, None, egos, ego, alter, weight=None, errors=errors)
    x = _numbers(sorted_alters[attribute].reset_index(drop=True), attribute)
    ok = ~np.isnan(x)
    E, owner = net.n_egos, net.alter_ego
    n = np.bincount(owner[ok], minlength=E).astype(float)
    total = np.bincount(owner[ok], weights=x[ok], minlength=E)
    mean = _ratio(total, n)
    squares = np.bincount(owner[ok], weights=(x[ok] - mean[owner[ok]]) ** 2, minlength=E)
    sd = np.sqrt(_ratio(squares, np.where(n >= 2, n - 1, 0)))
    low, high = np.full(E, np.inf), np.full(E, -np.inf)
    np.minimum.at(low, owner[ok], x[ok])
    np.maximum.at(high, owner[ok], x[ok])
    low[n == 0] = high[n == 0] = np.nan
    diff = np.full(E, np.nan)
    missing_ego = np.zeros(E, dtype=bool)
    if ego_attribute is not None:
        if not isinstance(egos, pd.DataFrame) or ego_attribute not in egos:
            raise LaoyouError(f"受访者表中没有列 {ego_attribute}。", f"The egos table has no column {ego_attribute!r}.",
                              column=ego_attribute, hint_zh="传入含该列的 egos 表。",
                              hint_en="pass an egos DataFrame with that column.")
        own = _numbers(ego_table[ego_attribute].reset_index(drop=True), ego_attribute)
        gap = np.abs(own[owner[ok]] - x[ok])
        diff = _ratio(np.bincount(owner[ok], weights=np.nan_to_num(gap), minlength=E), n)
        missing_ego = np.isnan(own)
        diff[missing_ego] = np.nan
    size = net.size
    absent = size - n.astype(int)
    notes = [np.where(size == 0, "no_alters", "").astype(object),
             np.where(absent > 0, np.char.add(f"{attribute}_missing=", absent.astype(str)), "").astype(object),
             np.where(missing_ego, f"ego_{ego_attribute}_missing", "").astype(object)]
    values = {"n": n.astype(int), "mean": mean, "sd": sd, "min": low, "max": high, "range": high - low,
              "mean_abs_diff_ego": diff}
    out = {ego: ego_values(net, alters, egos, ego)}
    out.update({f"{attribute}_{name}": values[name] for name in NUMERIC_COLUMNS})
    out["note"] = join_notes(*notes)
    return pd.DataFrame(out)
