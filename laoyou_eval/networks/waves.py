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

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from laoyou_eval.errors import LaoyouError
from laoyou_eval.networks._arrays import join_notes, ratio
from laoyou_eval.networks.matching import (  # noqa: F401  (public names of this module before the split)
    MATCH_WEIGHTS,
    METHODS,
    _key,
    _text,
    levenshtein_similarity,
    match_alters,
    read_match_table,
    write_match_table,
)
from laoyou_eval.networks.model import EgoNetworks
from laoyou_eval.quality import row_number


@dataclass(frozen=True)
class EgoPanel:
    """Two waves of ego networks as one value (egor's one-object style): both waves' alters
    and ties, the panel of egos and the alter matches.

    Parameters
    ----------
    before, after : EgoNetworks
        The two waves (e.g. ``read_name_generator(...)[1]`` and ``[2]``); their ``alter``
        column is the per-wave row key (``alter_no``).
    egos : pandas.DataFrame, optional
        The panel (egos interviewed at both waves, ``ego`` column and attributes such as
        ``arm``).  Default: the egos listed at both waves, with the ``before`` attributes.
    matches : pandas.DataFrame, optional
        An accepted match table (:func:`read_match_table`); default :func:`match_alters`.
    alter : str, default "alter_id"
        The persistent alter id used to match by id.

    Examples
    --------
    >>> import pandas as pd
    >>> from laoyou_eval.networks.model import EgoNetworks
    >>> def wave(ids):
    ...     alters = pd.DataFrame({"ego_id": "e1", "alter_no": [str(i) for i in range(len(ids))], "alter_id": ids})
    ...     return EgoNetworks(egos=pd.DataFrame({"ego_id": ["e1"]}), alters=alters,
    ...                        ties=pd.DataFrame(columns=["ego_id", "source", "target"]), alter="alter_no")
    >>> panel = EgoPanel(wave(["a", "b", "c"]), wave(["a", "b", "d"]))
    >>> panel.compare()[["ego_id", "kept", "lost", "gained"]]
      ego_id  kept  lost  gained
    0     e1     2     1       1
    >>> compare_waves(panel).equals(panel.compare())
    True
    """

    before: EgoNetworks
    after: EgoNetworks
    egos: pd.DataFrame | None = None
    matches: pd.DataFrame | None = None
    alter: str = "alter_id"

    @classmethod
    def from_waves(cls, networks, waves=(1, 2), **options) -> EgoPanel:
        """The panel of two waves of a ``{wave: EgoNetworks}`` mapping (:func:`read_name_generator`)."""
        first, second = waves
        return cls(networks[first], networks[second], **options)

    @property
    def ego(self) -> str:
        return self.before.ego

    @property
    def key(self) -> str:
        return self.before.alter

    @property
    def panel(self) -> pd.DataFrame:
        """The egos of the panel (given, or listed at both waves)."""
        if self.egos is not None:
            return self.egos
        both = set(_text(self.after.egos[self.ego]).dropna())
        return self.before.egos[_text(self.before.egos[self.ego]).isin(both).to_numpy(bool)].reset_index(drop=True)

    def match(self, **options) -> pd.DataFrame:
        """:func:`match_alters` of the two waves (the table to check and correct)."""
        return match_alters(self.before.alters, self.after.alters, self.ego, self.alter, key=self.key, **options)

    def with_matches(self, matches) -> EgoPanel:
        """The same panel with a corrected match table (a table or a path, :func:`read_match_table`)."""
        return replace(self, matches=read_match_table(matches))

    def link(self, attributes=(), **match_options) -> pd.DataFrame:
        """:func:`link_alters` of the two waves with the panel's matches."""
        return link_alters(self.before.alters, self.after.alters, self.matches, self.ego, self.alter, key=self.key,
                           attributes=attributes, **match_options)

    @property
    def directed(self) -> bool:
        """Whether the alter–alter ties are directed (both waves must say the same)."""
        if self.before.directed != self.after.directed:
            raise LaoyouError("两波的被提名者关系一波有方向、一波无方向，无法比较。",
                              "One wave's alter–alter ties are directed and the other's are not: they cannot be "
                              "compared.", hint_zh="两波使用同一个 directed 设置。",
                              hint_en="give both waves the same directed setting.")
        return self.before.directed

    def compare(self, **options) -> pd.DataFrame:
        """:func:`compare_waves` of the panel (ties, egos and ``directed`` from the panel;
        ``options`` passed on)."""
        return compare_waves(self.before.alters, self.after.alters, self.ego, self.alter, key=self.key,
                             egos=self.panel, matches=self.matches, ties_before=self.before.ties,
                             ties_after=self.after.ties, **{"directed": self.directed, **options})

    def flows(self, category: str = "category", groups: pd.Series | None = None) -> pd.DataFrame:
        """:func:`alter_flows` of the panel's linked alters (for :func:`~laoyou_eval.networks.figures.alluvial`)."""
        return alter_flows(self.link(attributes=(category,)), category=category, groups=groups)


def link_alters(before, after: pd.DataFrame | None = None, matches: pd.DataFrame | None = None,
                ego: str = "ego_id", alter: str = "alter_id", *, key: str = "alter_no",
                attributes=(), **match_options) -> pd.DataFrame:
    """One row per alter identity of each ego across the two waves.

    Parameters
    ----------
    before, after : pandas.DataFrame
        Alters of the two waves — or ``before`` an :class:`EgoPanel` (its alters, keys and
        matches are used).
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
    if isinstance(before, EgoPanel):
        return before.link(attributes=attributes, **match_options)
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


def compare_waves(before, after: pd.DataFrame | None = None, ego: str = "ego_id", alter: str = "alter_id", *,
                  key: str = "alter_no", egos=None, matches: pd.DataFrame | None = None,
                  closeness: str | None = None, closeness_levels=None, programme: str = "programme_tie",
                  buddy: str = "buddy", ties_before: pd.DataFrame | None = None,
                  ties_after: pd.DataFrame | None = None, source: str = "source", target: str = "target",
                  directed: bool = False, **match_options) -> pd.DataFrame:
    """Churn of every ego's network between two waves, with programme-attributable change.

    Parameters
    ----------
    before, after : pandas.DataFrame
        Alters of wave 1 and wave 2 — or ``before`` an :class:`EgoPanel` (then ``after``,
        ``ego``, ``alter``, ``key``, ``egos``, ``matches``, the ties and ``directed`` come
        from the panel).
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
    directed : bool, default False
        The ties are arcs source → target: a→b and b→a are two ties, each persisting,
        dissolving or forming on its own (undirected, the unordered pair is the tie).
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
    if isinstance(before, EgoPanel):
        return before.compare(closeness=closeness, closeness_levels=closeness_levels, programme=programme,
                              buddy=buddy, source=source, target=target, **match_options)
    # a category the study did not declare is NA throughout: no programme columns then (not 0)
    flags = [c for c in (programme, buddy) if c in after and after[c].notna().any()]
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
                                 buddy if buddy in flags else None, directed))
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


def _tie_pairs(ties, ego, source, target, identity, directed=False):
    """Tie set as (ego, identity, identity) with identity = row of ``linked``; the pair is
    ordered (source, target) when the ties are directed, sorted otherwise."""
    lookup = pd.Series(identity.index, index=pd.MultiIndex.from_frame(identity))
    ends = []
    for column in (source, target):
        index = pd.MultiIndex.from_arrays([_text(ties[ego]), _text(ties[column])])
        ends.append(lookup.reindex(index).to_numpy())
    lo, hi = (ends[0], ends[1]) if directed else (np.fmin(ends[0], ends[1]), np.fmax(ends[0], ends[1]))
    pairs = pd.DataFrame({ego: _text(ties[ego]).to_numpy(), "a": lo, "b": hi}).dropna()
    return pairs.astype({"a": int, "b": int}).drop_duplicates()


def _tie_change(out, linked, ties_before, ties_after, ego, key, source, target, buddy, directed=False):
    k_before, k_after = f"{key}_before", f"{key}_after"
    id_b = linked[[ego, k_before]].dropna()
    id_a = linked[[ego, k_after]].dropna()
    pairs_b = _tie_pairs(ties_before, ego, source, target, id_b, directed)
    pairs_a = _tie_pairs(ties_after, ego, source, target, id_a, directed)
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
    linked : pandas.DataFrame or EgoPanel
        Output of :func:`link_alters` with ``<category>_before``/``_after``, or the panel.
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
    if isinstance(linked, EgoPanel):
        return linked.flows(category=category, groups=groups)
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
