"""One ego's network before and after: matching alters across waves, churn and
programme-attributable change.

The workflow is auditable:

1. :func:`match_alters` pairs alters by their persistent id, then proposes pairs for the
   alters without one, with a score and its parts (assisted matching);
2. :func:`write_match_table` saves the proposals; a student checks the rows marked
   ``review``, flips ``accept`` or adds ``manual`` rows, and :func:`read_match_table` reads
   the corrected file back;
3. :func:`link_alters` and :func:`compare_waves` use exactly the accepted rows.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from laoyou_eval.errors import LaoyouError
from laoyou_eval.networks._arrays import join_notes, ratio
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


def link_alters(before: pd.DataFrame, after: pd.DataFrame, matches: pd.DataFrame | None = None,
                ego: str = "ego_id", alter: str = "alter_id", *, key: str = "alter_no",
                attributes=(), **match_options) -> pd.DataFrame:
    """One row per alter identity of each ego across the two waves.

    Parameters
    ----------
    before, after : pandas.DataFrame
        Alters of the two waves.
    matches : pandas.DataFrame, optional
        A (corrected) match table; only rows with ``accept`` True are used.  Default:
        :func:`match_alters` of the two tables.
    ego, alter, key : str
        As for :func:`match_alters`.
    attributes : sequence of str
        Alter columns copied as ``<a>_before`` and ``<a>_after``.
    **match_options
        Passed to :func:`match_alters` when ``matches`` is None.

    Returns
    -------
    pandas.DataFrame
        ``ego``, ``<key>_before``, ``<key>_after`` (missing for gained / lost alters),
        ``status`` ("kept", "lost", "gained"), ``method`` (of the match; missing otherwise),
        then the attribute pairs.

    Raises
    ------
    LaoyouError
        When an accepted row names an alter absent from its wave, or an alter is in two
        accepted rows (the match-table row is named).
    """
    kb, ka = _key(before, key, alter), _key(after, key, alter)
    k_before, k_after = f"{key}_before", f"{key}_after"
    if matches is None:
        matches = match_alters(before, after, ego, alter, key=key, **match_options)
    accepted = matches[matches["accept"].astype(bool)].copy()
    for column in (ego, k_before, k_after):
        accepted[column] = _text(accepted[column])
    b = before.assign(**{ego: _text(before[ego]), k_before: _text(before[kb])})
    a = after.assign(**{ego: _text(after[ego]), k_after: _text(after[ka])})
    _check_matches(accepted, b, a, ego, k_before, k_after)
    keep_b = [ego, k_before, *attributes]
    keep_a = [ego, k_after, *attributes]
    left = b[keep_b].rename(columns={c: f"{c}_before" for c in attributes})
    right = a[keep_a].rename(columns={c: f"{c}_after" for c in attributes})
    pairs = accepted[[ego, k_before, k_after, "method"]]
    kept = pairs.merge(left, on=[ego, k_before]).merge(right, on=[ego, k_after])
    lost = left.merge(pairs[[ego, k_before]], how="left", indicator=True).query("_merge == 'left_only'")
    gained = right.merge(pairs[[ego, k_after]], how="left", indicator=True).query("_merge == 'left_only'")
    out = pd.concat([kept.assign(status="kept"), lost.drop(columns="_merge").assign(status="lost"),
                     gained.drop(columns="_merge").assign(status="gained")], ignore_index=True)
    columns = [ego, k_before, k_after, "status", "method",
               *[f"{c}_{w}" for c in attributes for w in ("before", "after")]]
    out = out.reindex(columns=columns)
    order = pd.to_numeric(out[k_before], errors="coerce").astype(float).fillna(np.inf)
    order_a = pd.to_numeric(out[k_after], errors="coerce").astype(float).fillna(np.inf)
    return (out.assign(_b=order, _a=order_a).sort_values([ego, "_b", "_a"], kind="stable")
            .drop(columns=["_b", "_a"]).reset_index(drop=True))


def _check_matches(accepted, b, a, ego, k_before, k_after):
    for column, wave_table, wave in ((k_before, b, 1), (k_after, a, 2)):
        known = pd.MultiIndex.from_frame(wave_table[[ego, column]])
        found = known.get_indexer(pd.MultiIndex.from_frame(accepted[[ego, column]])) >= 0
        dup = accepted.duplicated([ego, column]).to_numpy()
        for bad, zh, en in ((~found, f"匹配表中的被提名者在第{wave}波的名单里找不到", f"alter not on the wave-{wave} list"),
                            (dup, f"同一位第{wave}波被提名者出现在两行已接受的匹配中",
                             f"a wave-{wave} alter is in two accepted matches")):
            if bad.any():
                label = accepted.index[np.flatnonzero(bad)[0]]
                raise LaoyouError(f"{zh}：{accepted.loc[label, ego]} / {accepted.loc[label, column]}。",
                                  f"Match table: {en}: {accepted.loc[label, ego]} / {accepted.loc[label, column]}.",
                                  row=row_number(label) if isinstance(label, (int, np.integer)) else None, column=column,
                                  hint_zh="改正编号，或把其中一行的 accept 改为 否。",
                                  hint_en="correct the key, or set accept to FALSE in one of the rows.")


def compare_waves(before: pd.DataFrame, after: pd.DataFrame, ego: str = "ego_id", alter: str = "alter_id", *,
                  key: str = "alter_no", egos=None, matches: pd.DataFrame | None = None,
                  closeness: str | None = None, closeness_levels=None, programme: str = "programme_tie",
                  buddy: str = "buddy", ties_before: pd.DataFrame | None = None,
                  ties_after: pd.DataFrame | None = None, source: str = "source", target: str = "target",
                  **match_options) -> pd.DataFrame:
    """Churn of every ego's network between two waves, with programme-attributable change.

    Parameters
    ----------
    before, after : pandas.DataFrame
        Alters of wave 1 and wave 2.
    ego, alter, key : str
        Ego column, persistent alter id, per-wave row key (see :func:`match_alters`).
    egos : sequence or pandas.DataFrame, optional
        The panel: egos interviewed at both waves (a DataFrame with an ``ego`` column, or the
        ids).  Panel egos absent from a table named nobody at that wave.  Without it the
        panel is the egos present in both tables.
    matches : pandas.DataFrame, optional
        A corrected match table (:func:`read_match_table`); default :func:`match_alters`.
    closeness : str, optional
        Closeness column; with ``closeness_levels`` (closest first) the change among kept
        alters is reported.
    programme, buddy : str
        Boolean alter columns (see :func:`~laoyou_eval.networks.io.alter_categories`) marking
        programme-attributable alters and the buddy; used when present in ``after``.
    ties_before, ties_after : pandas.DataFrame, optional
        Alter–alter ties (``ego``, ``source``, ``target`` as ``key`` values) for tie
        persistence among kept alters and bridging via the buddy.
    source, target : str
        Tie endpoint columns.
    **match_options
        Passed to :func:`match_alters`.

    Returns
    -------
    pandas.DataFrame
        One row per ego (panel first, then egos seen at one wave only):

        - ``size_before``, ``size_after``, ``size_change`` — |A1|, |A2|, |A2| − |A1|;
        - ``kept``, ``lost``, ``gained`` — |A1∩A2|, |A1∖A2|, |A2∖A1|;
        - ``retention`` — kept / |A1|;
        - ``turnover`` — (lost + gained) / |A1∪A2|;
        - ``jaccard`` — kept / |A1∪A2|;
        - ``kept_by_id``, ``kept_assisted``, ``kept_manual`` — how the kept alters were matched;
        - with closeness: ``closeness_change_mean`` (mean rank change among kept alters,
          positive = closer), ``closeness_change_abs_mean`` (egonetworks' level change),
          ``closer``, ``less_close`` (counts);
        - with ``programme``: ``programme_after`` (programme-attributable alters at wave 2),
          ``gained_programme``, ``gained_organic`` (gained − gained_programme),
          ``size_change_programme`` (programme alters at wave 2 − at wave 1),
          ``size_change_organic`` (size_change − size_change_programme),
          ``programme_share_after`` (programme_after / |A2|);
        - with ``buddy``: ``buddy_after`` (bool);
        - with ties: ``kept_ties_before``, ``kept_ties_after`` (ties among kept alters),
          ``ties_persisted``, ``ties_dissolved``, ``ties_formed``, ``tie_jaccard_kept``,
          and with ``buddy``: ``gained_tied_to_buddy`` (gained alters other than the buddy
          tied to the buddy at wave 2);
        - ``note``.

    Notes
    -----
    Definitions follow Lubbers et al. (2010) and Halgin & Borgatti (2012).  Edge cases
    (NaN with a note, never 0): ``retention`` when |A1| = 0 (``no_alters_before``);
    ``turnover``/``jaccard`` when |A1∪A2| = 0 (``no_alters_either_wave``; egonetworks
    returns 1); closeness change without kept alters with known closeness
    (``no_kept_closeness``); ``programme_share_after`` when |A2| = 0; ``tie_jaccard_kept``
    without ties among kept alters (``no_ties_among_kept``); ``gained_tied_to_buddy``
    without a buddy at wave 2 (``no_buddy_after``).  Egos outside the panel get NaN
    everywhere (``not_in_panel`` or ``one_wave_only``).

    References
    ----------
    Halgin, D. S., & Borgatti, S. P. (2012). An introduction to personal network analysis
    and tie churn statistics using E-NET. *Connections, 32*(1), 37–48.

    Lubbers, M. J., Molina, J. L., Lerner, J., Brandes, U., Ávila, J., & McCarty, C. (2010).
    Longitudinal analysis of personal networks: The case of Argentinean migrants in Spain.
    *Social Networks, 32*(1), 91–104. https://doi.org/10.1016/j.socnet.2009.05.001

    Examples
    --------
    >>> import pandas as pd
    >>> w1 = pd.DataFrame({"ego_id": ["e1"] * 3, "alter_id": ["a", "b", "c"]})
    >>> w2 = pd.DataFrame({"ego_id": ["e1"] * 3, "alter_id": ["a", "b", "d"]})
    >>> compare_waves(w1, w2)[["ego_id", "kept", "lost", "gained", "retention", "jaccard"]]
      ego_id  kept  lost  gained  retention  jaccard
    0     e1     2     1       1   0.666667      0.5
    """
    flags = [c for c in (programme, buddy) if c in after]
    before = before.assign(**{c: False for c in flags if c not in before})
    attrs = [c for c in (closeness,) if c and c in before and c in after] + flags
    linked = link_alters(before, after, matches, ego, alter, key=key, attributes=attrs, **match_options)
    panel, extra, extra_note = _panel(egos, before, after, ego)
    status = pd.crosstab(linked[ego], linked["status"]).reindex(columns=["kept", "lost", "gained"], fill_value=0)
    out = pd.DataFrame(index=pd.Index(panel, name=ego))
    for s in ("kept", "lost", "gained"):
        out[s] = status[s].reindex(out.index, fill_value=0).astype(int)
    out["size_before"] = out["kept"] + out["lost"]
    out["size_after"] = out["kept"] + out["gained"]
    out["size_change"] = out["size_after"] - out["size_before"]
    union = out["kept"] + out["lost"] + out["gained"]
    out["retention"] = ratio(out["kept"], out["size_before"])
    out["turnover"] = ratio(out["lost"] + out["gained"], union)
    out["jaccard"] = ratio(out["kept"], union)
    kept = linked[linked["status"] == "kept"]
    for m in METHODS:
        label = "kept_by_id" if m == "id" else f"kept_{m}"
        out[label] = kept[kept["method"] == m].groupby(ego).size().reindex(out.index, fill_value=0).astype(int)
    notes = [np.where(out["size_before"] == 0, "no_alters_before", ""),
             np.where(union == 0, "no_alters_either_wave", "")]
    if closeness and closeness_levels is not None and closeness in attrs:
        notes.append(_closeness(out, kept, ego, closeness, closeness_levels))
    if programme in flags:
        _programme(out, linked, ego, programme)
    if buddy in flags:
        out["buddy_after"] = linked[linked[f"{buddy}_after"].fillna(False).astype(bool)].groupby(ego).size() \
            .reindex(out.index, fill_value=0).gt(0)
    if ties_before is not None and ties_after is not None:
        notes.append(_tie_change(out, linked, ties_before, ties_after, ego, key, source, target,
                                 buddy if buddy in flags else None))
    out["note"] = join_notes(*notes)
    out = out.reset_index()
    first = [ego, "size_before", "size_after", "size_change", "kept", "lost", "gained", "retention", "turnover",
             "jaccard"]
    out = out[first + [c for c in out.columns if c not in first]]
    if len(extra):
        dtypes = {c: "Int64" if pd.api.types.is_integer_dtype(t) else "boolean"
                  for c, t in out.dtypes.items() if pd.api.types.is_integer_dtype(t) or pd.api.types.is_bool_dtype(t)}
        out = pd.concat([out.astype(dtypes), pd.DataFrame({ego: extra, "note": extra_note}).astype({ego: "string"})],
                        ignore_index=True).astype(dtypes)
    return out


def _panel(egos, before, after, ego):
    seen_b = pd.unique(_text(before[ego]).dropna())
    seen_a = pd.unique(_text(after[ego]).dropna())
    seen = list(dict.fromkeys([*seen_b, *seen_a]))
    if egos is None:
        panel = [e for e in seen if e in set(seen_b) and e in set(seen_a)]
        extra = [e for e in seen if e not in set(panel)]
        return panel, extra, "one_wave_only"
    ids = egos[ego] if isinstance(egos, pd.DataFrame) else pd.Series(list(egos))
    panel = list(dict.fromkeys(_text(ids).dropna()))
    extra = [e for e in seen if e not in set(panel)]
    return panel, extra, "not_in_panel"


def _closeness(out, kept, ego, column, levels):
    rank = {level: len(levels) - i for i, level in enumerate(levels)}
    b = _text(kept[f"{column}_before"]).map(rank)
    a = _text(kept[f"{column}_after"]).map(rank)
    change = (a - b).astype(float)
    frame = pd.DataFrame({ego: kept[ego], "change": change}).dropna()
    grouped = frame.groupby(ego)["change"]
    out["closeness_change_mean"] = grouped.mean().reindex(out.index)
    out["closeness_change_abs_mean"] = frame.assign(change=frame["change"].abs()).groupby(ego)["change"].mean() \
        .reindex(out.index)
    out["closer"] = grouped.apply(lambda c: int((c > 0).sum())).reindex(out.index, fill_value=0).astype(int)
    out["less_close"] = grouped.apply(lambda c: int((c < 0).sum())).reindex(out.index, fill_value=0).astype(int)
    return np.where(out["closeness_change_mean"].isna(), "no_kept_closeness", "")


def _programme(out, linked, ego, programme):
    flag_b = linked[f"{programme}_before"].fillna(False).astype(bool) & linked["status"].ne("gained")
    flag_a = linked[f"{programme}_after"].fillna(False).astype(bool) & linked["status"].ne("lost")

    def count(mask):
        return linked[mask.to_numpy()].groupby(ego).size().reindex(out.index, fill_value=0).astype(int)

    out["programme_after"] = count(flag_a)
    out["gained_programme"] = count(flag_a & linked["status"].eq("gained"))
    out["gained_organic"] = out["gained"] - out["gained_programme"]
    out["size_change_programme"] = out["programme_after"] - count(flag_b)
    out["size_change_organic"] = out["size_change"] - out["size_change_programme"]
    out["programme_share_after"] = ratio(out["programme_after"], out["size_after"])


def _tie_pairs(ties, ego, source, target, identity):
    """Tie set as (ego, identity, identity) with identity = row of ``linked``."""
    lookup = pd.Series(identity.index, index=pd.MultiIndex.from_frame(identity))
    ends = []
    for column in (source, target):
        index = pd.MultiIndex.from_arrays([_text(ties[ego]), _text(ties[column])])
        ends.append(lookup.reindex(index).to_numpy())
    lo, hi = np.fmin(ends[0], ends[1]), np.fmax(ends[0], ends[1])
    pairs = pd.DataFrame({ego: _text(ties[ego]).to_numpy(), "a": lo, "b": hi}).dropna()
    return pairs.astype({"a": int, "b": int}).drop_duplicates()


def _tie_change(out, linked, ties_before, ties_after, ego, key, source, target, buddy):
    k_before, k_after = f"{key}_before", f"{key}_after"
    id_b = linked[[ego, k_before]].dropna()
    id_a = linked[[ego, k_after]].dropna()
    pairs_b = _tie_pairs(ties_before, ego, source, target, id_b)
    pairs_a = _tie_pairs(ties_after, ego, source, target, id_a)
    kept_ids = set(linked.index[linked["status"] == "kept"])
    kb = pairs_b[pairs_b["a"].isin(kept_ids) & pairs_b["b"].isin(kept_ids)]
    ka = pairs_a[pairs_a["a"].isin(kept_ids) & pairs_a["b"].isin(kept_ids)]
    both = kb.merge(ka, on=[ego, "a", "b"])

    def count(frame):
        return frame.groupby(ego).size().reindex(out.index, fill_value=0).astype(int)

    out["kept_ties_before"] = count(kb)
    out["kept_ties_after"] = count(ka)
    out["ties_persisted"] = count(both)
    out["ties_dissolved"] = out["kept_ties_before"] - out["ties_persisted"]
    out["ties_formed"] = out["kept_ties_after"] - out["ties_persisted"]
    union = out["kept_ties_before"] + out["ties_formed"]
    out["tie_jaccard_kept"] = ratio(out["ties_persisted"], union)
    notes = [np.where(union == 0, "no_ties_among_kept", "")]
    if buddy:
        buddies = set(linked.index[linked[f"{buddy}_after"].fillna(False).astype(bool)
                                   & linked["status"].ne("lost")])
        gained = set(linked.index[linked["status"] == "gained"]) - buddies
        bridge = pairs_a[(pairs_a["a"].isin(buddies) & pairs_a["b"].isin(gained))
                         | (pairs_a["b"].isin(buddies) & pairs_a["a"].isin(gained))]
        has_buddy = out["buddy_after"]
        out["gained_tied_to_buddy"] = count(bridge).where(has_buddy)
        notes.append(np.where(~has_buddy, "no_buddy_after", ""))
    return join_notes(*notes)


def alter_flows(linked: pd.DataFrame, category: str = "category", groups: pd.Series | None = None,
                absent: str = "absent") -> pd.DataFrame:
    """Counts of alters moving between categories across waves (for an alluvial chart).

    Parameters
    ----------
    linked : pandas.DataFrame
        Output of :func:`link_alters` with ``<category>_before``/``_after``.
    category : str
        The attribute.
    groups : pandas.Series, optional
        ego -> group (e.g. arm); flows are counted per group.
    absent : str
        Category of an alter not named at a wave (lost or gained).

    Returns
    -------
    pandas.DataFrame
        ``group`` (when ``groups`` is given), ``from``, ``to``, ``alters``.
    """
    ego = linked.columns[0]
    frm = linked[f"{category}_before"].where(linked["status"] != "gained", absent).fillna(absent)
    to = linked[f"{category}_after"].where(linked["status"] != "lost", absent).fillna(absent)
    frame = pd.DataFrame({"from": frm, "to": to})
    keys = ["from", "to"]
    if groups is not None:
        frame.insert(0, "group", linked[ego].map(groups).to_numpy())
        keys = ["group", *keys]
    return frame.groupby(keys, sort=False).size().rename("alters").reset_index()


def summarise_change(change: pd.DataFrame, columns, by: str = "arm", ci: float = 0.95) -> pd.DataFrame:
    """Mean change per group with a t-based confidence interval.

    Parameters
    ----------
    change : pandas.DataFrame
        One row per ego with the ``by`` column and the change ``columns``.
    columns : sequence of str
    by : str
    ci : float

    Returns
    -------
    pandas.DataFrame
        ``by``, ``measure``, ``n`` (non-missing), ``mean``, ``sd``, ``ci_low``, ``ci_high``
        (mean ± t_{(1+ci)/2, n−1} · sd / √n; NaN for n < 2).
    """
    from scipy import stats

    long = change.melt(id_vars=[by], value_vars=list(columns), var_name="measure", value_name="value")
    table = long.groupby([by, "measure"], sort=False)["value"].agg(n="count", mean="mean", sd="std").reset_index()
    half = stats.t.ppf((1 + ci) / 2, table["n"] - 1) * table["sd"] / np.sqrt(table["n"])
    half = half.where(table["n"] >= 2)
    table["ci_low"], table["ci_high"] = table["mean"] - half, table["mean"] + half
    return table
