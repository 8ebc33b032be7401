"""Many outcomes at once: tidy tables over several scales with Holm and Benjamini–Hochberg
adjustment, change scores, and dose–response of change on programme contact."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from laoyou_eval.outcomes._common import check_choice, check_columns, check_level, join_notes, to_float, wide_by_wave
from laoyou_eval.outcomes.comparison import DID_COLUMNS, did
from laoyou_eval.outcomes.paired import paired

__all__ = ["adjust_p", "add_adjusted_p", "paired_table", "did_table", "change_scores", "process_doses",
           "dose_response", "DOSE_COLUMNS"]

DOSE_COLUMNS = ["outcome", "dose", "n", "slope", "slope_ci_low", "slope_ci_high", "p", "r", "spearman_rho",
                "spearman_p", "note"]


def adjust_p(p, method: str = "holm") -> np.ndarray:
    """Family-wise (Holm) or false-discovery-rate (Benjamini–Hochberg) adjusted p values.

    Parameters
    ----------
    p : array-like
        Unadjusted p values; NaN stays NaN and does not count in the family size m.
    method : {"holm", "bh"}
        ``"holm"``: p̃₍ᵢ₎ = max_{j≤i} min(1, (m − j + 1)·p₍ⱼ₎) (Holm 1979; note that
        statsmodels' ``multipletests`` default is Holm–Šidák).  ``"bh"``:
        p̃₍ᵢ₎ = min_{j≥i} min(1, m·p₍ⱼ₎/j) (Benjamini & Hochberg 1995).

    Returns
    -------
    numpy.ndarray
        Adjusted p values in the input order.

    References
    ----------
    Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian
    Journal of Statistics, 6*(2), 65–70. https://www.jstor.org/stable/4615733

    Benjamini, Y., & Hochberg, Y. (1995). Controlling the false discovery rate: A practical
    and powerful approach to multiple testing. *Journal of the Royal Statistical Society:
    Series B, 57*(1), 289–300. https://doi.org/10.1111/j.2517-6161.1995.tb02031.x

    Examples
    --------
    >>> adjust_p([0.01, 0.04, 0.03], "holm").round(3).tolist()
    [0.03, 0.06, 0.06]
    >>> adjust_p([0.01, 0.04, 0.03], "bh").round(3).tolist()
    [0.03, 0.04, 0.04]
    """
    check_choice(method, ("holm", "bh"), "method")
    p = np.asarray(p, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = np.flatnonzero(np.isfinite(p))
    m = ok.size
    if m == 0:
        return out
    order = ok[np.argsort(p[ok], kind="stable")]
    ranked = p[order]
    j = np.arange(1, m + 1)
    if method == "holm":
        adjusted = np.maximum.accumulate(np.minimum(1.0, (m - j + 1) * ranked))
    else:
        adjusted = np.minimum.accumulate(np.minimum(1.0, m * ranked / j)[::-1])[::-1]
    out[order] = adjusted
    return out


def add_adjusted_p(table: pd.DataFrame, p: str = "p", by: str | list[str] | None = None) -> pd.DataFrame:
    """Copy of ``table`` with ``p_holm`` and ``p_bh`` adjusted within each family.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per test.
    p : str
        Column of unadjusted p values.
    by : str or list of str, optional
        Columns that define the families (e.g. ``"arm"``); default one family.

    Returns
    -------
    pandas.DataFrame
        ``table`` with two more columns, ``p_holm`` and ``p_bh`` (see :func:`adjust_p`).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"arm": ["a", "a", "b"], "p": [0.01, 0.04, 0.04]})
    >>> add_adjusted_p(t, by="arm").p_holm.round(2).tolist()
    [0.02, 0.04, 0.04]
    """
    out = table.copy()
    positions = out.reset_index(drop=True)
    groups = [np.arange(len(out))] if by is None else list(positions.groupby(by, sort=False).indices.values())
    for method in ("holm", "bh"):
        column = np.full(len(out), np.nan)
        for idx in groups:
            column[idx] = adjust_p(out[p].to_numpy()[idx], method)
        out[f"p_{method}"] = column
    return out


def paired_table(data: pd.DataFrame, outcomes, wave: str, subject: str, *, arm: str | None = None,
                 waves=None, **kwargs) -> pd.DataFrame:
    """:func:`laoyou_eval.outcomes.paired` for several outcomes (and arms) in one tidy table.

    Parameters
    ----------
    data : pandas.DataFrame
        Long data, one row per subject × wave.
    outcomes : list of str
        Score columns (scales and subscales).
    wave, subject : str
        Wave and subject-id columns.
    arm : str, optional
        Arm column: one block of rows per arm, and p values are adjusted within each arm.
    waves : (pre, post), optional
        The two waves; default the first and last present.
    **kwargs
        Passed to :func:`~laoyou_eval.outcomes.paired` (``ci``, ``zero_method``, …).

    Returns
    -------
    pandas.DataFrame
        ``outcome``, ``arm`` (when given), the columns of :func:`paired`, then ``p_holm``
        and ``p_bh`` (paired t p values adjusted over the outcomes of the same arm).

    Examples
    --------
    >>> import pandas as pd
    >>> from laoyou_eval import outcomes
    >>> long = pd.DataFrame({"id": [1, 1, 2, 2, 3, 3], "wave": [1, 2] * 3,
    ...                      "a": [3, 4, 5, 7, 8, 9], "b": [1, 1, 2, 3, 2, 2]})
    >>> outcomes.paired_table(long, ["a", "b"], "wave", "id")[["outcome", "mean_diff"]].round(2).values.tolist()
    [['a', 1.33], ['b', 0.33]]
    """
    check_columns(data, [*outcomes, wave, subject] + ([arm] if arm else []))
    blocks = [(None, data)] if arm is None else list(data.groupby(arm, sort=False))
    rows = []
    for arm_value, block in blocks:
        for outcome in outcomes:
            wide, _, _ = wide_by_wave(block, outcome, wave, subject, waves)
            pre, post = (wide.set_index("subject")[c] for c in ("pre", "post"))
            result = paired(pre, post, **kwargs)
            result.insert(0, "outcome", outcome)
            if arm is not None:
                result.insert(1, "arm", arm_value)
            rows.append(result)
    table = pd.concat(rows, ignore_index=True)
    return add_adjusted_p(table, "p", by="arm" if arm else None)


def did_table(data: pd.DataFrame, outcomes, group: str, wave: str, subject: str, **kwargs) -> pd.DataFrame:
    """:func:`laoyou_eval.outcomes.did` for several outcomes, with adjusted p values.

    Parameters
    ----------
    data : pandas.DataFrame
        Long data, one row per subject × wave.
    outcomes : list of str
        Score columns.
    group, wave, subject : str
        Arm, wave and subject-id columns.
    **kwargs
        Passed to :func:`~laoyou_eval.outcomes.did` (``waves``, ``treated``, ``ci``).

    Returns
    -------
    pandas.DataFrame
        ``outcome``, the columns of :func:`did`, ``p_holm``, ``p_bh`` (over the outcomes).

    Examples
    --------
    >>> import pandas as pd
    >>> from laoyou_eval import outcomes
    >>> long = pd.DataFrame({"id": [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6], "wave": [1, 2] * 6,
    ...     "arm": ["programme"] * 6 + ["comparison"] * 6,
    ...     "score": [10, 7, 12, 10, 9, 7, 11, 11, 10, 9, 12, 12]})
    >>> outcomes.did_table(long, ["score"], "arm", "wave", "id").estimate.round(3).tolist()
    [-2.0]
    """
    rows = []
    for outcome in outcomes:
        result = did(data, outcome, group, wave, subject, **kwargs)
        result.insert(0, "outcome", outcome)
        rows.append(result)
    return add_adjusted_p(pd.concat(rows, ignore_index=True)[["outcome", *DID_COLUMNS]])


def pre_post(data: pd.DataFrame, outcome: str, wave: str, subject: str, waves=None):
    """The pre and post scores of one outcome as two Series indexed by subject.

    Subjects seen at only one wave have NaN at the other (they are kept, for
    :func:`laoyou_eval.outcomes.reliable_change` and :func:`laoyou_eval.outcomes.paired`
    to report).

    Examples
    --------
    >>> import pandas as pd
    >>> long = pd.DataFrame({"id": [1, 1, 2], "wave": [1, 2, 1], "y": [3.0, 5.0, 4.0]})
    >>> pre, post = pre_post(long, "y", "wave", "id")
    >>> post.tolist()
    [5.0, nan]
    """
    wide, _, _ = wide_by_wave(data, outcome, wave, subject, waves)
    wide = wide.set_index("subject")
    return wide["pre"].rename(outcome), wide["post"].rename(outcome)


def change_scores(data: pd.DataFrame, outcomes, wave: str, subject: str, *, waves=None,
                  keep: list[str] | None = None) -> pd.DataFrame:
    """One row per subject with ``{outcome}_change`` = post − pre for each outcome.

    Parameters
    ----------
    data : pandas.DataFrame
        Long data.
    outcomes : list of str
        Score columns.
    wave, subject : str
        Wave and subject-id columns.
    waves : (pre, post), optional
        The two waves; default the first and last present.
    keep : list of str, optional
        Baseline columns to carry along (e.g. ``["arm"]``).

    Returns
    -------
    pandas.DataFrame
        ``subject``, the ``keep`` columns, ``{outcome}_pre``, ``{outcome}_change``;
        subjects without both waves have NaN change (they are kept).

    Examples
    --------
    >>> import pandas as pd
    >>> long = pd.DataFrame({"id": [1, 1, 2], "wave": [1, 2, 1], "y": [3.0, 5.0, 4.0]})
    >>> change_scores(long, ["y"], "wave", "id").y_change.tolist()
    [2.0, nan]
    """
    out = None
    for outcome in outcomes:
        wide, (pre_wave, _), _ = wide_by_wave(data, outcome, wave, subject, waves)
        part = pd.DataFrame({"subject": wide["subject"], f"{outcome}_pre": wide["pre"],
                             f"{outcome}_change": wide["post"] - wide["pre"]})
        out = part if out is None else out.merge(part, on="subject", how="outer")
    if keep:
        base = data[data[wave] == pre_wave].drop_duplicates(subject).set_index(subject)[keep]
        out = out.join(base, on="subject")
        out = out[["subject", *keep] + [c for c in out.columns if c not in ("subject", *keep)]]
    return out.reset_index(drop=True)


def process_doses(contacts: pd.DataFrame | None = None, attendance: pd.DataFrame | None = None, *,
                  contact_id: str = "resident_id", minutes: str = "minutes",
                  participant_id: str = "participant_id", session: str = "session_id") -> pd.DataFrame:
    """Programme dose per participant from the process logs.

    Parameters
    ----------
    contacts : pandas.DataFrame, optional
        Buddy contact log (``process/buddy_contacts.csv``): one row per contact with the
        resident id and its length in minutes.
    attendance : pandas.DataFrame, optional
        Activity sign-in log (``process/activity_attendance.csv``): one row per person and
        session.
    contact_id, minutes, participant_id, session : str
        Column names in the logs.

    Returns
    -------
    pandas.DataFrame
        ``subject``, ``contacts`` (number of buddy contacts), ``contact_hours`` (sum of
        minutes / 60; contacts with a missing length count as contacts, not as hours),
        ``sessions_attended`` (distinct sessions signed in).  People in only
        one log have 0 in the other (absence from a log means no recorded dose).

    Examples
    --------
    >>> import pandas as pd
    >>> contacts = pd.DataFrame({"resident_id": ["R1", "R1"], "minutes": ["60", "30"]})
    >>> process_doses(contacts).contact_hours.tolist()
    [1.5]
    """
    parts = []
    if contacts is not None:
        check_columns(contacts, [contact_id, minutes])
        hours = pd.Series(to_float(contacts[minutes], minutes) / 60.0, index=contacts.index)
        grouped = hours.groupby(contacts[contact_id])
        parts.append(pd.DataFrame({"contacts": grouped.size(), "contact_hours": grouped.sum()}))
    if attendance is not None:
        check_columns(attendance, [participant_id, session])
        parts.append(attendance.groupby(participant_id)[session].nunique().rename("sessions_attended").to_frame())
    if not parts:
        return pd.DataFrame(columns=["subject", "contacts", "contact_hours", "sessions_attended"])
    out = pd.concat(parts, axis=1).fillna(0.0)
    for column in ("contacts", "contact_hours", "sessions_attended"):
        if column not in out:
            out[column] = 0.0
    out.index.name = "subject"
    return out.reset_index()[["subject", "contacts", "contact_hours", "sessions_attended"]]


def dose_response(data: pd.DataFrame, outcomes, doses, *, ci: float = 0.95) -> pd.DataFrame:
    """Linear slope of change on dose, one row per outcome × dose.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per subject with change columns and dose columns (e.g.
        :func:`change_scores` merged with :func:`process_doses`).
    outcomes : list of str
        Change columns.
    doses : list of str
        Dose columns (contact hours, sessions attended, respite hours gained, …).
    ci : float, default 0.95
        Confidence level of the slope.

    Returns
    -------
    pandas.DataFrame
        ``outcome``, ``dose``, ``n`` (subjects with both values), ``slope`` (change per unit
        of dose, OLS), ``slope_ci_low``, ``slope_ci_high``, ``p`` (t test of the slope),
        ``r`` (Pearson), ``spearman_rho``, ``spearman_p``, ``note``.

    Notes
    -----
    change = a + b·dose + e, fitted by OLS with classical SEs; rows with a missing value
    in either column are left out (n says how many remain).  This is an observational
    association inside the programme: people who engage more may differ in other ways, so
    the slope is not a causal dose effect.  Undefined slopes (fewer than 3 subjects, no
    variation in dose) are NaN with a note.

    Examples
    --------
    >>> import pandas as pd
    >>> from laoyou_eval import outcomes
    >>> d = pd.DataFrame({"chg": [0, -1, -2, -2, -4], "hours": [0, 1, 2, 3, 4]})
    >>> round(float(outcomes.dose_response(d, ["chg"], ["hours"]).slope[0]), 2)
    -0.9
    """
    ci = check_level(ci)
    check_columns(data, [*outcomes, *doses])
    rows = []
    for outcome in outcomes:
        for dose in doses:
            pair_ = data[[outcome, dose]].apply(pd.to_numeric, errors="coerce").dropna()
            y, x = pair_[outcome].to_numpy(float), pair_[dose].to_numpy(float)
            row = dict.fromkeys(DOSE_COLUMNS, np.nan)
            row.update(outcome=outcome, dose=dose, n=len(pair_))
            notes = []
            if len(pair_) < len(data):
                notes.append(f"no_change_or_dose={len(data) - len(pair_)}")
            if len(pair_) < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
                notes.append("dose_needs_3_varying")
            else:
                fit = stats.linregress(x, y)
                half = stats.t.ppf((1 + ci) / 2, len(x) - 2) * fit.stderr
                rho = stats.spearmanr(x, y)
                row.update(slope=fit.slope, slope_ci_low=fit.slope - half, slope_ci_high=fit.slope + half,
                           p=fit.pvalue, r=fit.rvalue, spearman_rho=float(rho.statistic),
                           spearman_p=float(rho.pvalue))
            row["note"] = join_notes(notes)
            rows.append(row)
    return pd.DataFrame(rows, columns=DOSE_COLUMNS)
