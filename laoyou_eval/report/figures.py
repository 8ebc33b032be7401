"""Figures with bilingual labels.  Call :func:`laoyou_eval.report.theme` once before plotting."""

from __future__ import annotations

from laoyou_eval.i18n import label, text, wave_label

ARM_COLOURS = {"programme": "#d95f02", "comparison": "#7570b3", "unmatched": "#999999"}
PARTICIPANT_COLOURS = {"居民": "#d95f02", "家长": "#1b9e77", "志愿者": "#7570b3"}


def respondents_by_wave(responses):
    """Grouped bars: respondents per wave and arm, one panel per population.

    Parameters
    ----------
    responses : pandas.DataFrame
        Output of :func:`laoyou_eval.study.survey_responses` (text exports are used).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt
    import numpy as np

    data = responses[responses.layout == "text"]
    populations = list(dict.fromkeys(data.population))
    arms = [a for a in ARM_COLOURS if a in set(data.arm)]
    fig, axes = plt.subplots(1, len(populations), figsize=(4.2 * len(populations), 3.4), sharey=True,
                             squeeze=False)
    for ax, population in zip(axes[0], populations):
        sub = data[data.population == population]
        waves = sorted(sub.wave.unique())
        width = 0.8 / len(arms)
        for k, arm in enumerate(arms):
            counts = [int(sub[(sub.wave == w) & (sub.arm == arm)].respondents.sum()) for w in waves]
            bars = ax.bar(np.arange(len(waves)) + (k - (len(arms) - 1) / 2) * width, counts, width,
                          color=ARM_COLOURS[arm], label=label(arm, figure=True))
            ax.bar_label(bars, padding=2, fontsize=9)
        ax.set_xticks(range(len(waves)), [wave_label(w, figure=True) for w in waves])
        ax.set_title(label(population, figure=True))
        ax.margins(y=0.15)
    axes[0][0].set_ylabel(text("受访人数", "Respondents", figure=True))
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=len(arms), frameon=False)
    fig.suptitle(text("各波次受访人数", "Respondents per wave", figure=True))
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    return fig


def attendance_by_activity(attendance):
    """Horizontal stacked bars: person-visits per activity by participant type.

    Parameters
    ----------
    attendance : pandas.DataFrame
        ``process/activity_attendance.csv``: activity, participant_type.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    table = attendance.pivot_table(index="activity", columns="participant_type", values="session_id",
                                   aggfunc="count", fill_value=0)
    table = table.loc[table.sum(axis=1).sort_values(kind="stable").index]
    colours = [PARTICIPANT_COLOURS.get(c, "#999999") for c in table.columns]
    table.index = [label(a, figure=True) for a in table.index]
    table.columns = [label(c, figure=True) for c in table.columns]
    fig, ax = plt.subplots(figsize=(6.4, 3.2))
    table.plot.barh(stacked=True, ax=ax, color=colours)
    ax.set_xlabel(text("参与人次", "Person-visits", figure=True))
    ax.set_ylabel("")
    ax.legend(title=None, frameon=False)
    ax.set_title(text("项目活动参与情况", "Attendance at programme activities", figure=True))
    fig.tight_layout()
    return fig


def scores_by_arm(scores, columns, labels, seed: int = 20240601):
    """One panel per score: every respondent as a dot (jittered, seeded) and the arm mean.

    Parameters
    ----------
    scores : pandas.DataFrame
        With an ``arm`` column and the score ``columns``.
    columns : list of str
        Score columns, one panel each.
    labels : dict
        column -> (zh, en) panel title.
    seed : int
        Seed of the horizontal jitter, so the figure is the same on every run.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt
    import numpy as np

    rng = np.random.default_rng(seed)
    arms = [a for a in ("programme", "comparison") if a in set(scores.arm)]
    fig, axes = plt.subplots(1, len(columns), figsize=(2.6 * len(columns), 3.2), squeeze=False)
    for ax, column in zip(axes[0], columns):
        for x, arm in enumerate(arms):
            values = scores.loc[scores.arm == arm, column].dropna().to_numpy(dtype=float)
            ax.scatter(x + rng.uniform(-0.15, 0.15, values.size), values, s=12, alpha=0.6,
                       color=ARM_COLOURS[arm])
            if values.size:
                ax.plot([x - 0.25, x + 0.25], [values.mean()] * 2, color="black", linewidth=2)
        ax.set_xticks(range(len(arms)), [label(a, figure=True) for a in arms])
        ax.set_xlim(-0.6, len(arms) - 0.4)
        ax.set_title(text(*labels[column], figure=True), fontsize=10)
    fig.suptitle(text("基线量表得分（横线为均值）", "Baseline scale scores (bar = mean)", figure=True))
    fig.tight_layout()
    return fig
