"""Figures of the process records (call :func:`laoyou_eval.report.theme` first): buddy contact
per pair and month, hours by mode, the volunteer pipeline, change against dose.  Text is in the
figure language (English without a CJK font)."""

from __future__ import annotations

from laoyou_eval.i18n import label, text

#: Colours of the volunteer stages and contact modes.
STAGE_COLOURS = {"trained": "#888888", "service_team": "#d95f02", "reserve": "#7570b3", "left": "#cccccc"}
MODE_COLOURS = ("#d95f02", "#1b9e77", "#7570b3", "#e7298a", "#66a61e", "#e6ab02")

def contact_heatmap(pair_months, value: str = "contact_hours"):
    """Heat map of buddy contact per pair (rows) and month (columns), with the values written in.

    Parameters
    ----------
    pair_months : pandas.DataFrame
        :func:`laoyou_eval.process.contact_summary` with ``by=("pair", "month")`` (every
        month listed for every pair, 0 where there was no contact).
    value : str, default "contact_hours"
        Column shown (``"contact_hours"`` or ``"contacts"``).

    Returns
    -------
    matplotlib.figure.Figure
        Rows labelled "resident / volunteer" by study code, sorted by total; the values are
        written in the cells (darker = more) and the totals drawn as bars on the right.
    """
    import matplotlib.pyplot as plt
    import numpy as np

    table = pair_months.assign(pair=pair_months["resident_id"] + " / " + pair_months["volunteer_id"]).pivot(
        index="pair", columns="month", values=value)
    table = table.loc[table.sum(axis=1).sort_values(ascending=False, kind="stable").index]
    values = table.to_numpy(dtype=float)
    height = 1.2 + 0.32 * len(table)
    fig, (ax, side) = plt.subplots(1, 2, figsize=(8.2, height), width_ratios=[len(table.columns), 2],
                                   sharey=True)
    ax.imshow(values, aspect="auto", cmap="Oranges", vmin=0)
    digits = 0 if value == "contacts" else 1
    high = np.nanmax(values) if values.size else 0
    for (i, j), x in np.ndenumerate(values):
        ax.text(j, i, f"{x:.{digits}f}", ha="center", va="center", fontsize=7.5,
                color="white" if high and x > 0.6 * high else "black")
    ax.set_xticks(range(len(table.columns)), table.columns, rotation=45, ha="right")
    ax.set_yticks(range(len(table)), table.index, fontsize=8)
    ax.grid(False)
    ax.set_xlabel(text("月份", "Month", figure=True))
    ax.set_ylabel(text("结对（居民 / 志愿者）", "Pair (resident / volunteer)", figure=True))
    totals = values.sum(axis=1)
    side.barh(range(len(table)), totals, color="#d95f02")
    for i, x in enumerate(totals):
        side.text(x, i, f" {x:.{digits}f}", va="center", fontsize=7.5)
    side.set_xlim(0, (totals.max() if totals.size else 1) * 1.6)
    side.set_xticks([])
    side.grid(False)
    side.set_title(text("合计", "Total", figure=True), fontsize=9)
    for spine in side.spines.values():
        spine.set_visible(False)
    what = text("陪伴时数（小时）", "contact hours", figure=True) if value == "contact_hours" else \
        text("联系次数", "contacts", figure=True)
    fig.suptitle(text(f"每对结对每月的{what}", f"Buddy {what} per pair and month", figure=True))
    fig.tight_layout()
    return fig


def hours_by_mode(month_mode):
    """Stacked bars: contact hours per month, by mode of contact.

    Parameters
    ----------
    month_mode : pandas.DataFrame
        :func:`laoyou_eval.process.contact_summary` with ``by=("month", "mode")``.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    table = month_mode.pivot(index="month", columns="mode", values="contact_hours").fillna(0.0)
    table = table[table.sum().sort_values(ascending=False, kind="stable").index]
    colours = [MODE_COLOURS[k % len(MODE_COLOURS)] for k in range(len(table.columns))]
    table.columns = [label(c, figure=True) for c in table.columns]
    fig, ax = plt.subplots(figsize=(6.8, 3.6))
    table.plot.bar(stacked=True, ax=ax, color=colours, width=0.75)
    ax.set_xlabel(text("月份", "Month", figure=True))
    ax.set_ylabel(text("陪伴时数（小时）", "Contact hours", figure=True))
    ax.set_xticks(range(len(table)), table.index, rotation=45, ha="right")
    ax.legend(title=None, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.set_title(text("各月陪伴时数（按联系方式）", "Contact hours per month, by mode", figure=True))
    fig.tight_layout()
    return fig


def pipeline_figure(pipeline):
    """The volunteer pipeline: a bar of all trained volunteers above a bar split into the
    service team and the reserve (and those who left), so that trained = service + reserve
    is visible.

    Parameters
    ----------
    pipeline : pandas.DataFrame
        :func:`laoyou_eval.process.volunteer_pipeline`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    n = dict(zip(pipeline["stage"], pipeline["n"]))
    fig, ax = plt.subplots(figsize=(6.4, 2.4))
    trained = n.get("trained", 0)
    ax.barh(1, trained, color=STAGE_COLOURS["trained"], height=0.6)
    ax.text(trained / 2, 1, f"{label('trained', figure=True)} {trained}", ha="center", va="center", color="white",
            fontsize=10)
    left = 0
    for stage in ("service_team", "reserve", "left"):
        k = n.get(stage, 0)
        if not k:
            continue
        ax.barh(0, k, left=left, color=STAGE_COLOURS[stage], height=0.6)
        ax.text(left + k / 2, 0, f"{label(stage, figure=True)} {k}", ha="center", va="center",
                color="white" if stage != "left" else "black", fontsize=10)
        left += k
    matched = n.get("matched_one_to_one")
    ax.set_yticks([1, 0], [text("培训", "Training", figure=True), text("去向", "Assigned to", figure=True)])
    ax.set_xlim(0, max(trained, left) * 1.02 or 1)
    ax.set_ylim(-0.6, 1.6)
    ax.set_xlabel(text("志愿者人数", "Volunteers", figure=True))
    ax.grid(False)
    title = text("志愿者队伍", "Volunteer pipeline", figure=True)
    if matched is not None:
        title += text(f"（服务队中已一对一结对：{matched}）", f" (service team matched 1-on-1: {matched})", figure=True)
    ax.set_title(title, fontsize=11)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    return fig


def dose_scatter(data, dose: str, outcomes, labels: dict | None = None):
    """Change against dose, one panel per outcome, with the least-squares line.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per person with the ``dose`` column and the change columns (e.g.
        :func:`laoyou_eval.outcomes.change_scores` merged with
        :func:`laoyou_eval.outcomes.process_doses`).
    dose : str
        Dose column (x axis), e.g. ``"contact_hours"``.
    outcomes : list of str
        Change columns (y axes), e.g. ``["ucla3_total_change"]``.
    labels : dict, optional
        Column -> (zh, en) panel title; default the report vocabulary of the column without
        its ``_change`` suffix.

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    People missing the dose or the change are not drawn; each panel says how many are.  The
    line is the OLS fit of :func:`laoyou_eval.outcomes.dose_response` (drawn when there are
    at least 3 people and the dose varies).
    """
    import matplotlib.pyplot as plt
    import numpy as np

    fig, axes = plt.subplots(1, len(outcomes), figsize=(3.4 * len(outcomes), 3.3), squeeze=False)
    for ax, outcome in zip(axes[0], outcomes):
        pair = data[[dose, outcome]].apply(lambda c: c.astype(float)).dropna()
        x, y = pair[dose].to_numpy(), pair[outcome].to_numpy()
        ax.scatter(x, y, s=22, color="#d95f02", alpha=0.8, edgecolor="white", linewidth=0.5)
        if len(x) >= 3 and np.ptp(x) > 0:
            slope, intercept = np.polyfit(x, y, 1)
            grid = np.array([x.min(), x.max()])
            ax.plot(grid, intercept + slope * grid, color="black", linewidth=1)
        ax.axhline(0, color="#888888", linewidth=0.6, linestyle="--")
        title = text(*labels[outcome], figure=True) if labels and outcome in labels else \
            label(outcome.removesuffix("_change"), figure=True)
        ax.set_title(f"{title} (n = {len(x)})", fontsize=10)
        ax.set_xlabel(label(dose, figure=True))
    axes[0][0].set_ylabel(text("变化（后测 − 前测）", "Change (post − pre)", figure=True))
    fig.suptitle(text("剂量与变化（项目组）", "Dose and change (programme group)", figure=True))
    fig.tight_layout()
    return fig
