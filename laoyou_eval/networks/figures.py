"""Network figures: paired egograms, an alluvial chart of alter categories across waves,
and the parents' group at two waves in one layout.

Alters are labelled by their relation (母亲, 朋友, 结对老友…), never by name.  Call
:func:`laoyou_eval.report.theme` first so that Chinese labels render.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from laoyou_eval.i18n import label, text, wave_label
from laoyou_eval.networks.io import ALTER_CATEGORIES, CLOSENESS_LEVELS
from laoyou_eval.networks.waves import EgoPanel

CATEGORY_COLOURS = {"kin": "#1b9e77", "other_nonkin": "#7570b3", "via_programme": "#e6ab02", "buddy": "#d95f02",
                    "absent": "#d9d9d9"}
ROLE_COLOURS = {"组长": "#d95f02", "副组长": "#e6ab02", "核心家长": "#1b9e77"}
GHOST = "#bdbdbd"
#: Radius of the closest ring and the distance between rings (data units) of the egograms.
RING_START, RING_STEP = 1.2, 1.0
NEW_EDGE = "#e7298a"


def _numeric(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series, errors="coerce").astype(float)


def egogram_pair(linked, ties_before=None, ties_after: pd.DataFrame | None = None, ego_id: str | None = None, *,
                 ego: str = "ego_id", key: str = "alter_no", closeness: str = "closeness",
                 levels=CLOSENESS_LEVELS, role: str = "relation", category: str = "category",
                 categories=ALTER_CATEGORIES, waves=(1, 2)):
    """Egograms of one ego before and after, side by side, with stable alter positions.

    Parameters
    ----------
    linked : pandas.DataFrame or EgoPanel
        An :class:`~laoyou_eval.networks.waves.EgoPanel` (then call ``egogram_pair(panel,
        ego_id)``), or :func:`laoyou_eval.networks.waves.link_alters` output with the attributes
        ``closeness``, ``role`` and ``category`` (as ``<a>_before``/``<a>_after``).
    ties_before, ties_after : pandas.DataFrame
        Alter–alter ties (``ego``, ``source``, ``target`` = ``key`` values, ``weight``).
    ego_id : str
        The ego to draw.
    ego, key, closeness, role, category : str
        Column names; alters are labelled by ``role``.
    levels : sequence
        Closeness answers, closest first: ring 1 is the closest.
    categories : sequence
        Category order (colours, legend, and the order of alters around the circle).
    waves : tuple
        Wave numbers of the panel titles.

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    Every alter identity keeps one angle in both panels (alters sorted by category, then
    by their first-wave number), so a kept alter is found in the same direction; its ring
    shows its closeness at that wave (just inside the outer edge when unknown).  Gained alters are
    outlined in pink, lost alters are drawn as grey ghosts in the second panel, and curves
    are alter–alter ties (thicker = stronger), bowed away from the ego so that none of them
    passes through it.  No randomness is involved.
    """
    if isinstance(linked, EgoPanel):  # egogram_pair(panel, ego_id)
        linked, ties_before, ties_after, ego_id = (linked.link(attributes=(closeness, role, category)),
                                                   linked.before.ties, linked.after.ties, ties_before)
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    rows = linked[linked[ego].astype(str) == str(ego_id)].copy()
    k_before, k_after = f"{key}_before", f"{key}_after"
    rows["cat"] = rows[f"{category}_before"].where(rows["status"] != "gained", rows[f"{category}_after"])
    rank = {c: i for i, c in enumerate(categories)}
    rows["_order"] = rows["cat"].map(rank).fillna(len(rank))
    rows = rows.assign(_b=_numeric(rows[k_before]).fillna(np.inf), _a=_numeric(rows[k_after]).fillna(np.inf))
    rows = rows.sort_values(["_order", "_b", "_a"], kind="stable").reset_index(drop=True)
    m = max(len(rows), 1)
    angle = np.pi / 2 - 2 * np.pi * (np.arange(len(rows)) + 0.5) / m
    ring = {level: RING_START + i * RING_STEP for i, level in enumerate(levels)}
    outer = RING_START + len(levels) * RING_STEP - 0.3
    box = {"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85}

    fig, axes = plt.subplots(1, 2, figsize=(11, 5.9))
    for ax, wave, suffix, ties, key_col in ((axes[0], waves[0], "before", ties_before, k_before),
                                             (axes[1], waves[1], "after", ties_after, k_after)):
        present = (rows["status"] != ("gained" if suffix == "before" else "lost")).to_numpy()
        drawn = present | (suffix == "after")  # lost alters are ghosts after; gained ones absent before
        radius = rows[f"{closeness}_{suffix}"].map(ring).astype(float).fillna(outer)
        if suffix == "after":  # ghosts stay where they were
            radius = radius.where(present, rows[f"{closeness}_before"].map(ring).astype(float).fillna(outer))
        xy = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
        for r in ring.values():
            ax.add_patch(plt.Circle((0, 0), r, fill=False, ls=(0, (3, 3)), lw=0.8, color="#969696"))
        position = {k: xy[i] for i, k in enumerate(rows[key_col]) if present[i]}
        edges = ties[ties[ego].astype(str) == str(ego_id)]
        for s, t, w in zip(edges["source"].astype(str), edges["target"].astype(str), edges["weight"].astype(float)):
            if s in position and t in position:
                ax.add_patch(_arc(position[s], position[t], lw=0.8 + 0.9 * (w - 1)))
        for i, row in rows.iterrows():
            if not drawn[i]:
                continue
            ghost = not present[i]
            colour = GHOST if ghost else CATEGORY_COLOURS.get(row["cat"], "#969696")
            new = suffix == "after" and row["status"] == "gained"
            ax.scatter(*xy[i], s=230, color="white" if ghost else colour, zorder=3,
                       edgecolors=NEW_EDGE if new else (GHOST if ghost else "white"),
                       linewidths=2.5 if new else 1.2, linestyle="--" if ghost else "-")
            role_value = row[f"{role}_{suffix}"] if present[i] else row[f"{role}_before"]
            dx, dy = np.cos(angle[i]), np.sin(angle[i])
            ax.annotate(label(role_value, figure=True), xy[i], xytext=(11 * dx, 11 * dy), textcoords="offset points",
                        ha="left" if dx > 0.35 else "right" if dx < -0.35 else "center",
                        va="bottom" if dy > 0.35 else "top" if dy < -0.35 else "center", fontsize=8,
                        color=GHOST if ghost else "#252525", zorder=4, bbox=box)
        ax.scatter(0, 0, s=260, color="#252525", zorder=3)
        ax.set_title(f"{ego_id} · {wave_label(wave, figure=True)}")
        limit = outer + 0.9
        ax.set_xlim(-limit, limit)
        ax.set_ylim(-limit, limit)
        ax.set_aspect("equal")
        ax.axis("off")
    shown = [c for c in categories if c in set(rows["cat"])]
    handles = [Line2D([], [], marker="o", ls="", markersize=10, color="#252525", label=text("受访者", "Ego", figure=True))]
    handles += [Line2D([], [], marker="o", ls="", markersize=9, color=CATEGORY_COLOURS[c], label=label(c, figure=True))
                for c in shown]
    handles += [Line2D([], [], marker="o", ls="", markersize=9, markerfacecolor="white", markeredgewidth=2.2,
                       markeredgecolor=NEW_EDGE, label=text("新增", "Gained", figure=True)),
                Line2D([], [], marker="o", ls="", markersize=9, markerfacecolor="white", markeredgecolor=GHOST,
                       label=text("流失（虚影）", "Lost (ghost)", figure=True))]
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), frameon=False, fontsize=8)
    rings = " / ".join(label(level, figure=True) for level in levels)
    fig.suptitle(text(f"个人网络前后对比（圆环由内到外：{rings}；标签 = 关系）",
                      f"Personal network before and after (rings, inside out: {rings}; labels = relation)",
                      figure=True))
    fig.tight_layout(rect=(0, 0.07, 1, 0.97))
    return fig


def _arc(p0, p1, lw: float):
    """An alter–alter tie bowed away from the ego at the centre, so that it never looks like
    a tie to the ego (quadratic Bézier curve)."""
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path

    p0, p1 = np.asarray(p0, float), np.asarray(p1, float)
    mid = (p0 + p1) / 2
    length = np.hypot(*(p1 - p0))
    normal = np.array([-(p1 - p0)[1], (p1 - p0)[0]]) / max(length, 1e-9)
    if normal @ mid < 0:  # bend to the side away from the centre
        normal = -normal
    control = mid + normal * 0.35 * length
    path = Path([p0, control, p1], [Path.MOVETO, Path.CURVE3, Path.CURVE3])
    return PathPatch(path, facecolor="none", edgecolor="#636363", lw=lw, alpha=0.6, zorder=1)


def _band(ax, y0, y1, h, colour, x0=0.12, x1=0.88):
    """A flow band of height h from y0 (left, bottom) to y1 (right, bottom), sigmoid-shaped."""
    x = np.linspace(x0, x1, 60)
    s = 1 / (1 + np.exp(-10 * ((x - x0) / (x1 - x0) - 0.5)))
    bottom = y0 + (y1 - y0) * s
    ax.fill_between(x, bottom, bottom + h, color=colour, alpha=0.45, lw=0)


def alluvial(flows: pd.DataFrame, groups=None, categories=(*ALTER_CATEGORIES, "absent"), waves=(1, 2)):
    """Alluvial (flow) chart of alter categories across two waves, one panel per group.

    Parameters
    ----------
    flows : pandas.DataFrame
        :func:`laoyou_eval.networks.waves.alter_flows` output (``group``, ``from``, ``to``,
        ``alters``); without ``group`` a single panel is drawn.
    groups : sequence, optional
        Panel order (e.g. ``["programme", "comparison"]``).
    categories : sequence
        Stacking order; ``"absent"`` is "not named at that wave" (lost on the right,
        gained on the left).
    waves : tuple
        Wave numbers of the two columns.

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    Bar heights are numbers of alters; a band's width is the number of alters moving from
    its left category to its right one.

    References
    ----------
    Rosvall, M., & Bergstrom, C. T. (2010). Mapping change in large networks. *PLoS ONE,
    5*(1), e8694. https://doi.org/10.1371/journal.pone.0008694
    """
    import matplotlib.pyplot as plt

    if "group" not in flows:
        flows = flows.assign(group="")
    groups = list(groups) if groups is not None else list(dict.fromkeys(flows["group"]))
    fig, axes = plt.subplots(1, len(groups), figsize=(5.2 * len(groups), 4.8), squeeze=False)
    gap_fraction = 0.03
    for ax, group in zip(axes[0], groups):
        sub = flows[flows["group"] == group]
        total = sub["alters"].sum()
        gap = gap_fraction * max(total, 1)
        stacks = {}
        for side, other in (("from", "to"), ("to", "from")):
            y, starts = 0.0, {}
            for c in categories:
                height = sub.loc[sub[side] == c, "alters"].sum()
                if height:
                    starts[c] = y
                    x = 0.0 if side == "from" else 1.0
                    ax.bar(x, height, bottom=y, width=0.24, color=CATEGORY_COLOURS.get(c, "#969696"),
                           edgecolor="white")
                    ax.text(x + (-0.14 if side == "from" else 0.14), y + height / 2,
                            f"{label(c, figure=True)} {height:g}", ha="right" if side == "from" else "left",
                            va="center", fontsize=8)
                    y += height + gap
            stacks[side] = starts
        offset_from, offset_to = dict(stacks["from"]), dict(stacks["to"])
        order = {c: i for i, c in enumerate(categories)}
        sub = sub.assign(_f=sub["from"].map(order), _t=sub["to"].map(order)).sort_values(["_f", "_t"])
        for frm, to, h in zip(sub["from"], sub["to"], sub["alters"]):
            _band(ax, offset_from[frm], offset_to[to], h, CATEGORY_COLOURS.get(frm, "#969696"))
            offset_from[frm] += h
            offset_to[to] += h
        ax.set_xlim(-0.75, 1.75)
        ax.set_xticks([0, 1], [wave_label(w, figure=True) for w in waves])
        ax.set_yticks([])
        ax.grid(False)
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.set_title(label(group, figure=True) if group != "" else "")
    fig.suptitle(text("被提名者类别的流动（宽度 = 人数）", "Flows of alter categories (width = number of alters)",
                      figure=True))
    fig.tight_layout()
    return fig


def group_network(group, waves=(1, 2), seed: int = 20240601, node: str = "member_id"):
    """The parents' group at two waves in one shared layout.

    Parameters
    ----------
    group : laoyou_eval.networks.io.GroupNetwork
    waves : tuple
        The two waves drawn.
    seed : int
        Seed of the spring layout (computed once on the union of both waves' ties).
    node : str

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    Node colour = role, node size = degree at that wave, line width = tie strength.  In the
    second panel, persisting ties are grey, new ties pink and dissolved ties dotted.
    Nodes are labelled by member code (P01…), never by name.
    """
    import matplotlib.pyplot as plt
    import networkx as nx
    from matplotlib.lines import Line2D

    from laoyou_eval.networks.whole import graph

    g1, g2 = (graph(group.members, group.ties[w], node) for w in waves)
    union = nx.compose(g1, g2)
    pos = nx.spring_layout(union, weight="strength", seed=seed, k=1.6 / np.sqrt(max(len(union), 1)))
    roles = dict(zip(group.members[node], group.members.get("role", pd.Series("", index=group.members.index))))
    before_edges = {frozenset(e) for e in g1.edges}
    gone = [e for e in g1.edges if not g2.has_edge(*e)]  # graph order, not set order: same drawing every run
    fig, axes = plt.subplots(1, 2, figsize=(11, 5.2))
    for ax, wave, g in ((axes[0], waves[0], g1), (axes[1], waves[1], g2)):
        if g is g2:
            nx.draw_networkx_edges(g1, pos, edgelist=gone, style=":", edge_color=GHOST, width=1.2, ax=ax)
        colours = [NEW_EDGE if g is g2 and frozenset(e) not in before_edges else "#636363" for e in g.edges]
        widths = [0.8 * d["strength"] for _, _, d in g.edges(data=True)]
        nx.draw_networkx_edges(g, pos, edge_color=colours, width=widths, alpha=0.8, ax=ax)
        nodes = list(g.nodes)
        nx.draw_networkx_nodes(g, pos, nodelist=nodes, node_size=[180 + 70 * g.degree(n) for n in nodes],
                               node_color=[ROLE_COLOURS.get(roles.get(n), "#969696") for n in nodes],
                               edgecolors="white", ax=ax)
        nx.draw_networkx_labels(g, pos, font_size=7, ax=ax)
        density = nx.density(g)
        ax.set_title(f"{wave_label(wave, figure=True)} · {text('密度', 'density', figure=True)} {density:.2f}")
        ax.axis("off")
        ax.margins(0.08)
    handles = [Line2D([], [], marker="o", ls="", markersize=9, color=c, label=label(r, figure=True))
               for r, c in ROLE_COLOURS.items() if r in set(roles.values())]
    handles += [Line2D([], [], color=NEW_EDGE, label=text("新建的关系", "New tie", figure=True)),
                Line2D([], [], color=GHOST, ls=":", label=text("消失的关系", "Dissolved tie", figure=True))]
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), frameon=False, fontsize=8)
    fig.suptitle(text("家长互助小组的关系网络（同一布局；点越大，关系越多）",
                      "The parents' group network (same layout; larger = more ties)", figure=True))
    fig.tight_layout(rect=(0, 0.07, 1, 0.96))
    return fig
