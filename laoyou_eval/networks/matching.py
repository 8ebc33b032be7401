"""Matching alters across two waves: by persistent id, then assisted by similarity, with an
auditable match table (:func:`write_match_table` / :func:`read_match_table`) that a student
corrects by hand.  Used by :mod:`laoyou_eval.networks.waves`."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from laoyou_eval.errors import LaoyouError
from laoyou_eval.networks._arrays import ratio
from laoyou_eval.quality import row_number

#: Fields compared by assisted matching and their weights in the score.
MATCH_WEIGHTS = {"name": 0.5, "relation": 0.3, "sex": 0.1, "age_band": 0.1}
METHODS = ("id", "assisted", "manual")
_TRUE = {"true", "1", "yes", "y", "t", "是", "对"}
_FALSE = {"false", "0", "no", "n", "f", "否", "不", ""}


def _text(series: pd.Series) -> pd.Series:
    out = series.astype("string").str.strip()
    return out.mask(out.eq(""))


def _key(df: pd.DataFrame, key: str, alter: str) -> str:
    return key if key in df else alter


def levenshtein_similarity(a: str, b: str) -> float:
    """1 − Levenshtein distance / length of the longer, over space-separated tokens.

    Tokens are the per-character codes of :func:`laoyou_eval.networks.io.pseudonymise_names`
    (or plain words); NaN when either string is blank.

    References
    ----------
    Levenshtein, V. I. (1966). Binary codes capable of correcting deletions, insertions, and
    reversals. *Soviet Physics Doklady, 10*(8), 707–710.
    """
    x, y = str(a).split(), str(b).split()
    if not x or not y or pd.isna(a) or pd.isna(b):
        return float("nan")
    previous = list(range(len(y) + 1))
    for i, tx in enumerate(x, start=1):
        current = [i]
        for j, ty in enumerate(y, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (tx != ty)))
        previous = current
    return 1 - previous[-1] / max(len(x), len(y))


def _check_unique_ids(df, ego, alter, wave):
    ids = _text(df[alter])
    dup = ids.notna() & pd.DataFrame({"e": df[ego], "a": ids}).duplicated()
    if dup.any():
        label = df.index[np.flatnonzero(dup.to_numpy())[0]]
        raise LaoyouError(f"第{wave}波同一受访者的被提名者编号 {ids[label]} 出现了两次。",
                          f"Alter id {ids[label]!r} appears twice for one ego at wave {wave}.",
                          file=df.attrs.get("source"), row=row_number(label) if isinstance(label, (int, np.integer)) else None,
                          column=alter, hint_zh="改正编号，或清空它让程序辅助匹配。",
                          hint_en="correct the id, or blank it for assisted matching.")


def match_alters(before: pd.DataFrame, after: pd.DataFrame, ego: str = "ego_id", alter: str = "alter_id", *,
                 key: str = "alter_no", name: str = "name_code", fields: dict | None = None,
                 min_score: float = 0.6, review_below: float = 0.9, review_margin: float = 0.1) -> pd.DataFrame:
    """Pair each ego's alters across two waves: by persistent id, then assisted by similarity.

    Parameters
    ----------
    before, after : pandas.DataFrame
        Alters of wave 1 and wave 2, one row per (ego, alter).
    ego : str
        Ego identifier column.
    alter : str
        Persistent alter id (blank when not recorded).
    key : str
        Row key of an alter within its wave (``alter_no``); ``alter`` when the column is absent.
    name : str
        Pseudonymised name column (:func:`~laoyou_eval.networks.io.pseudonymise_names`);
        assisted matching runs only where it exists.
    fields : dict, optional
        column -> weight of the score; default :data:`MATCH_WEIGHTS` (``"name"`` stands for
        ``name``).  Columns absent from either table are skipped.
    min_score : float
        Lowest score proposed as a pair.
    review_below, review_margin : float
        A proposed pair is marked ``review`` when its score is below ``review_below`` or
        less than ``review_margin`` above the best competing candidate.

    Returns
    -------
    pandas.DataFrame
        The match table, one row per pair, sorted by ego and ``<key>_before``:
        ``ego``, ``<key>_before``, ``<key>_after``, ``alter_id_before``, ``alter_id_after``,
        ``method`` ("id" or "assisted"; a student adds "manual"), ``score`` (1 for id
        matches), ``name_similarity``, ``same_<field>`` (1/0, NaN when either is missing),
        ``runner_up`` (best score of a competing candidate of either alter, NaN if none),
        ``review`` (bool), ``accept`` (bool, True for every proposal — set False to reject).

    Notes
    -----
    Score = Σ_f w_f s_f / Σ_f w_f over the fields known for both alters, where s_name is
    the Levenshtein similarity of the name codes and s_f = 1 for equal values, 0 otherwise.
    Within each ego, the one-to-one assignment maximising the total score (Kuhn 1955) is
    chosen among candidates scoring at least ``min_score``.  Alters left unpaired count as
    lost or gained.

    References
    ----------
    Kuhn, H. W. (1955). The Hungarian method for the assignment problem. *Naval Research
    Logistics Quarterly, 2*(1–2), 83–97. https://doi.org/10.1002/nav.3800020109

    Lubbers, M. J., Molina, J. L., Lerner, J., Brandes, U., Ávila, J., & McCarty, C. (2010).
    Longitudinal analysis of personal networks: The case of Argentinean migrants in Spain.
    *Social Networks, 32*(1), 91–104. https://doi.org/10.1016/j.socnet.2009.05.001
    """
    from scipy.optimize import linear_sum_assignment

    weights = dict(fields or MATCH_WEIGHTS)
    kb, ka = _key(before, key, alter), _key(after, key, alter)
    k_before, k_after = f"{key}_before", f"{key}_after"
    for df, wave in ((before, 1), (after, 2)):
        _check_unique_ids(df, ego, alter, wave)
    b = pd.DataFrame({ego: _text(before[ego]), k_before: _text(before[kb]), "alter_id_before": _text(before[alter])})
    a = pd.DataFrame({ego: _text(after[ego]), k_after: _text(after[ka]), "alter_id_after": _text(after[alter])})
    columns = {f: (name if f == "name" else f) for f in weights}
    usable = {f: c for f, c in columns.items() if c in before and c in after}
    for f, c in usable.items():
        b[f"{f}_b"], a[f"{f}_a"] = _text(before[c]).to_numpy(), _text(after[c]).to_numpy()

    by_id = b.dropna(subset=["alter_id_before"]).merge(
        a.dropna(subset=["alter_id_after"]), left_on=[ego, "alter_id_before"], right_on=[ego, "alter_id_after"])
    by_id = by_id.assign(method="id", score=1.0, runner_up=np.nan, review=False)
    rest_b = b[~_pairs_in(b, by_id, ego, k_before)]
    rest_a = a[~_pairs_in(a, by_id, ego, k_after)]
    proposed = _empty_candidates(by_id.columns)
    if "name" in usable:
        candidates = rest_b.merge(rest_a, on=ego)
        if len(candidates):
            candidates = _score(candidates, usable, weights)
            proposed = _assign(candidates, ego, k_before, k_after, min_score, linear_sum_assignment)
            proposed = proposed.assign(method="assisted",
                                       review=(proposed["score"] < review_below)
                                       | ((proposed["score"] - proposed["runner_up"]) < review_margin))
    for f in usable:
        same = by_id[f"{f}_b"] == by_id[f"{f}_a"]
        by_id[f"same_{f}" if f != "name" else "name_similarity"] = same.astype(float).where(
            by_id[f"{f}_b"].notna() & by_id[f"{f}_a"].notna())
    table = pd.concat([by_id, proposed], ignore_index=True)
    detail = ["name_similarity"] * ("name" in usable) + [f"same_{f}" for f in usable if f != "name"]
    order = [ego, k_before, k_after, "alter_id_before", "alter_id_after", "method", "score", *detail,
             "runner_up", "review"]
    table = table.reindex(columns=order)
    table["review"] = table["review"].astype(bool)
    table["accept"] = True
    return _sorted(table, ego, k_before)


def _pairs_in(table: pd.DataFrame, other: pd.DataFrame, ego: str, column: str) -> np.ndarray:
    """Rows of ``table`` whose (ego, column) also occurs in ``other``."""
    return pd.MultiIndex.from_frame(table[[ego, column]]).isin(pd.MultiIndex.from_frame(other[[ego, column]]))


def _empty_candidates(columns) -> pd.DataFrame:
    return pd.DataFrame(columns=list(columns))


def _sorted(table: pd.DataFrame, ego: str, k_before: str) -> pd.DataFrame:
    number = pd.to_numeric(table[k_before], errors="coerce").astype(float)
    return (table.assign(_n=number).sort_values([ego, "_n", k_before], kind="stable")
            .drop(columns="_n").reset_index(drop=True))


def _score(candidates: pd.DataFrame, usable: dict, weights: dict) -> pd.DataFrame:
    total = np.zeros(len(candidates))
    weight_sum = np.zeros(len(candidates))
    for f in usable:
        left, right = candidates[f"{f}_b"], candidates[f"{f}_a"]
        if f == "name":
            s = np.array([levenshtein_similarity(x, y) if pd.notna(x) and pd.notna(y) else np.nan
                          for x, y in zip(left, right)], dtype=float)
            candidates["name_similarity"] = s
        else:
            s = (left == right).astype(float).where(left.notna() & right.notna()).to_numpy(dtype=float)
            candidates[f"same_{f}"] = s
        known = ~np.isnan(s)
        total += np.where(known, weights[f] * np.nan_to_num(s), 0.0)
        weight_sum += np.where(known, weights[f], 0.0)
    candidates["score"] = ratio(total, weight_sum)
    return candidates


def _assign(candidates, ego, k_before, k_after, min_score, solver) -> pd.DataFrame:
    """Maximum-score one-to-one pairs per ego among candidates ≥ min_score, with runner-ups."""
    eligible = candidates[candidates["score"] >= min_score].reset_index(drop=True)
    chosen = []
    for _, group in eligible.groupby(ego, sort=True):
        rows = pd.Index(pd.unique(group[k_before]))
        cols = pd.Index(pd.unique(group[k_after]))
        matrix = np.full((len(rows), len(cols)), -1.0)
        matrix[rows.get_indexer(group[k_before]), cols.get_indexer(group[k_after])] = group["score"].to_numpy()
        r, c = solver(matrix, maximize=True)
        keep = matrix[r, c] >= min_score
        picked = pd.DataFrame({k_before: rows[r[keep]], k_after: cols[c[keep]]})
        chosen.append(group.merge(picked, on=[k_before, k_after]))
    if not chosen:
        return _empty_candidates(list(candidates.columns) + ["runner_up"])
    out = pd.concat(chosen, ignore_index=True)
    pairs = out[[ego, k_before, k_after]]
    rivals = []
    for shared, other in ((k_before, k_after), (k_after, k_before)):
        competing = candidates[[ego, shared, other, "score"]].merge(pairs, on=[ego, shared], suffixes=("", "_chosen"))
        competing = competing[competing[other] != competing[f"{other}_chosen"]]
        rivals.append(competing.rename(columns={f"{other}_chosen": other, other: "_rival"})
                      .groupby([ego, k_before, k_after])["score"].max())
    best = pd.concat(rivals).groupby(level=[0, 1, 2]).max().rename("runner_up")
    return out.merge(best.reset_index(), on=[ego, k_before, k_after], how="left")


def write_match_table(table: pd.DataFrame, path) -> Path:
    """Save a match table as UTF-8 CSV with BOM (opens correctly in Excel and WPS)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(path, index=False, encoding="utf-8-sig")
    return path


def read_match_table(path_or_table) -> pd.DataFrame:
    """Read a (corrected) match table back, checking ``method`` and ``accept``.

    Parameters
    ----------
    path_or_table : path or pandas.DataFrame

    Returns
    -------
    pandas.DataFrame
        The table with ``accept`` and ``review`` as bool and ``score`` as float.

    Raises
    ------
    LaoyouError
        For an ``accept`` that is not yes/no (true/false, 1/0, 是/否) or an unknown
        ``method``, naming the row.
    """
    from laoyou_eval.io import read_table

    table = read_table(path_or_table) if not isinstance(path_or_table, pd.DataFrame) else path_or_table.copy()
    file = table.attrs.get("source")
    for column, allowed in (("accept", _TRUE | _FALSE), ("method", set(METHODS))):
        values = table[column].astype("string").str.strip().str.lower().fillna("")
        bad = ~values.isin(allowed)
        if bad.any():
            position = int(np.flatnonzero(bad.to_numpy())[0])
            raise LaoyouError(f"匹配表中 {column} 的值 {table[column].iloc[position]!r} 无法识别。",
                              f"Unrecognised {column} {table[column].iloc[position]!r} in the match table.",
                              file=Path(file).name if file else None, row=row_number(position), column=column,
                              hint_zh="accept 填 是/否（TRUE/FALSE），method 填 id、assisted 或 manual。",
                              hint_en="accept takes TRUE/FALSE (是/否); method takes id, assisted or manual.")
        if column == "accept":
            table["accept"] = values.isin(_TRUE).to_numpy()
    table["review"] = table["review"].astype("string").str.strip().str.lower().isin(_TRUE).to_numpy() \
        if "review" in table else False
    table["score"] = pd.to_numeric(table["score"], errors="coerce") if "score" in table else np.nan
    return table
