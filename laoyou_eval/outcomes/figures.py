"""Figures of individual and group change.  Call :func:`laoyou_eval.report.theme` first."""

from __future__ import annotations

import numpy as np

from laoyou_eval.i18n import label, text
from laoyou_eval.outcomes.change import CATEGORIES

__all__ = ["jt_scatter", "forest", "CATEGORY_COLOURS"]

CATEGORY_COLOURS = {"recovered": "#1b7837", "improved": "#7fbf7b", "unchanged": "#999999",
                    "deteriorated": "#f4a582", "harmed": "#b2182b"}


def jt_scatter(result, title: str | None = None, ax=None):
    """Jacobson–Truax plot: post against pre, coloured by change category.

    Parameters
    ----------
    result : pandas.DataFrame
        Output of :func:`laoyou_eval.outcomes.reliable_change` (its
        ``attrs["parameters"]`` supply the band and the cut-off).
    title : str, optional
        Panel title.
    ax : matplotlib.axes.Axes, optional
        Draw into this axes; default a new figure.

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    Points on the diagonal did not change.  For the JT index the shaded band is
    post = pre ± z·S_diff: people inside it show no reliable change.  Other indices depend
    on more than the difference, so no band is drawn for them.  Dashed lines mark the
    clinical cut-off when one was used.  People with the same pre and post scores share one
    larger point (integer scales have many ties).  Counts per category are in the legend
    (below the axes); people without both scores are not drawn (they are counted in the
    legend as "not assessed").

    Examples
    --------
    >>> from laoyou_eval import outcomes
    >>> rc = outcomes.reliable_change([30, 25, 28, 35], [20, 24, 29, 34], sd=6.0, reliability=0.85,
    ...                               higher_is="worse")
    >>> fig = outcomes.figures.jt_scatter(rc, title="ZBI-12")     # doctest: +SKIP
    """
    import matplotlib.pyplot as plt

    params = result.attrs.get("parameters", {})
    if ax is None:
        fig, ax = plt.subplots(figsize=(4.6, 4.4))
    else:
        fig = ax.figure
    shown = result.dropna(subset=["pre", "post"])
    values = np.concatenate([shown["pre"].to_numpy(float), shown["post"].to_numpy(float)])
    low, high = (values.min(), values.max()) if values.size else (0.0, 1.0)
    pad = 0.08 * (high - low or 1.0)
    low, high = low - pad, high + pad
    grid = np.array([low, high])
    ax.plot(grid, grid, color="black", linewidth=0.8)
    if params.get("method") == "jt":
        band = params["critical_value"] * params["s_diff"]
        ax.fill_between(grid, grid - band, grid + band, color="#dddddd", alpha=0.6, linewidth=0,
                        label=text(f"无可靠变化带（±{band:.2f} 分）", f"no reliable change (±{band:.2f} points)",
                                   figure=True))
    cutoff = params.get("cutoff", float("nan"))
    if cutoff is not None and np.isfinite(cutoff):
        ax.axhline(cutoff, color="#555555", linestyle="--", linewidth=0.8)
        ax.axvline(cutoff, color="#555555", linestyle="--", linewidth=0.8)
    for category in CATEGORIES:
        points = shown[shown["category"] == category]
        if len(points):
            stacked = points.groupby(["pre", "post"]).size().reset_index(name="people")
            ax.scatter(stacked["pre"], stacked["post"], s=24 + 22 * (stacked["people"] - 1),
                       color=CATEGORY_COLOURS[category], edgecolor="white", linewidth=0.5,
                       label=f"{label(category, figure=True)} ({len(points)})", zorder=3)
    missing = int(result["category"].isna().sum())
    if missing:
        ax.scatter([], [], color="none", label=f"{label('not_assessed', figure=True)} ({missing})")
    ax.set_xlim(low, high)
    ax.set_ylim(low, high)
    ax.set_aspect("equal")
    direction = params.get("higher_is", "better")
    ax.set_xlabel(text("前测", "Pre", figure=True))
    ax.set_ylabel(text("后测", "Post", figure=True))
    note = text("高分更好" if direction == "better" else "高分更差",
                "higher is better" if direction == "better" else "higher is worse", figure=True)
    ax.set_title(text(f"{title}（{note}）", f"{title} ({note})", figure=True) if title else note, fontsize=10)
    legend = ax.legend(fontsize=8, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2)
    for handle in legend.legend_handles:
        if hasattr(handle, "set_sizes"):
            handle.set_sizes([24])
    fig.tight_layout()
    return fig


def forest(table, estimate: str = "d_z", ci_low: str = "d_z_ci_low", ci_high: str = "d_z_ci_high",
           row: str = "outcome", group: str | None = "arm", labels: dict | None = None,
           higher_is: dict | None = None, xlabel: str | None = None, ax=None):
    """Forest plot: one line per row of ``table``, the estimate with its interval.

    Parameters
    ----------
    table : pandas.DataFrame
        E.g. :func:`laoyou_eval.outcomes.paired_table` or ``did_table`` output.
    estimate, ci_low, ci_high : str
        Columns of the point estimate and interval.
    row : str
        Column naming each line (e.g. ``"outcome"``).
    group : str or None
        Column whose values get their own colour and vertical offset (e.g. ``"arm"``).
    labels : dict, optional
        ``row`` value -> (zh, en) display label; default the shared report vocabulary.
    higher_is : dict, optional
        ``row`` value -> "better"/"worse"; default from the instruments
        (:func:`laoyou_eval.instruments.higher_is`).  Estimates of "worse" scales are
        multiplied by −1 so that **right of zero always means improvement**, and the axis
        says so.
    xlabel : str, optional
        Axis label; default the estimate's column name.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> table = outcomes.paired_table(scores, ["ucla3_total"], "wave", "respondent_id", arm="arm")  # doctest: +SKIP
    >>> fig = forest(table)                                                                          # doctest: +SKIP
    """
    import matplotlib.pyplot as plt

    from laoyou_eval import instruments
    from laoyou_eval.i18n import label as shared_label
    from laoyou_eval.report.figures import ARM_COLOURS

    rows = list(dict.fromkeys(table[row]))
    groups = list(dict.fromkeys(table[group])) if group else [None]
    if ax is None:
        fig, ax = plt.subplots(figsize=(6.4, 0.27 * len(rows) * max(1, len(groups)) + 1.2))
    else:
        fig = ax.figure
    step = 0.8 / max(1, len(groups))
    for k, g in enumerate(groups):
        part = table if g is None else table[table[group] == g]
        y = np.array([len(rows) - 1 - rows.index(r) for r in part[row]]) + (len(groups) - 1) / 2 * step - k * step
        sign = np.array([-1.0 if (higher_is.get(r) if higher_is else instruments.higher_is(r)) == "worse" else 1.0
                         for r in part[row]])
        est = sign * part[estimate].to_numpy(float)
        lo, hi = sign * part[ci_low].to_numpy(float), sign * part[ci_high].to_numpy(float)
        lo, hi = np.minimum(lo, hi), np.maximum(lo, hi)
        colour = ARM_COLOURS.get(g, "#333333") if g is not None else "#333333"
        ax.errorbar(est, y, xerr=[est - lo, hi - est], fmt="o", color=colour, capsize=2, markersize=5,
                    label=shared_label(g, figure=True) if g is not None else None)
    ax.axvline(0, color="black", linewidth=0.8)
    names = [text(*labels[r], figure=True) if labels and r in labels else shared_label(r, figure=True) for r in rows]
    ax.set_yticks(range(len(rows) - 1, -1, -1), names)
    default = estimate + text("（向右 = 改善）", " (right = improvement)", figure=True)
    ax.set_xlabel(xlabel or default)
    if group:
        ax.legend(frameon=False, fontsize=9)
    fig.tight_layout()
    return fig
