"""Synthetic studies only: put each estimate beside the effect planted in the data (formerly
``laoyou_eval.outcomes.planted_recovery``; demo code, imported by no library module)."""

from __future__ import annotations

RECOVERY_COLUMNS = ["outcome", "analysis", "truth", "estimate", "ci_low", "ci_high", "covered"]


def planted_recovery(paired, did, truth: dict, dose=None):
    """Estimates with their 95% intervals next to the planted values (``truth.json``).

    Parameters
    ----------
    paired : pandas.DataFrame
        :func:`laoyou_eval.outcomes.paired_table` output with an ``arm`` column.
    did : pandas.DataFrame
        :func:`laoyou_eval.outcomes.did_table` output.
    truth : dict
        ``truth.json``'s ``expected`` section.
    dose : pandas.DataFrame, optional
        :func:`laoyou_eval.outcomes.dose_response` output; the burden–respite slope is checked
        against its planted value.

    Returns
    -------
    pandas.DataFrame
        outcome, analysis (``change_programme``, ``change_comparison``, ``did``,
        ``dose_respite``), truth, estimate, ci_low, ci_high, covered (truth inside the
        interval).

    Notes
    -----
    Paired changes and differences-in-differences are compared with the *sample's* expected
    change (``sample_score_change``: each analysed person's engagement and respite hours held
    fixed), which is what they estimate; the slope with the population value.  95% intervals
    miss the truth about 5% of the time, and scores of one scale are not independent tests.

    Examples
    --------
    >>> import pandas as pd
    >>> paired = pd.DataFrame({"outcome": ["y"], "arm": ["programme"], "mean_diff": [-1.0],
    ...                        "diff_ci_low": [-2.0], "diff_ci_high": [0.0]})
    >>> did = pd.DataFrame({"outcome": ["y"], "estimate": [-1.2], "ci_low": [-2.5], "ci_high": [0.1]})
    >>> truth = {"sample_score_change": {"programme": {"y": -0.9}, "comparison": {"y": 0.1}}}
    >>> planted_recovery(paired, did, truth)[["analysis", "truth", "covered"]]
               analysis  truth  covered
    0  change_programme   -0.9     True
    1               did   -1.0     True
    """
    import pandas as pd

    sample = truth["sample_score_change"]
    rows = [{"outcome": r.outcome, "analysis": f"change_{r.arm}", "truth": sample[r.arm][r.outcome],
             "estimate": r.mean_diff, "ci_low": r.diff_ci_low, "ci_high": r.diff_ci_high}
            for r in paired.itertuples() if r.outcome in sample.get(r.arm, {})]
    rows += [{"outcome": r.outcome, "analysis": "did",
              "truth": sample["programme"][r.outcome] - sample["comparison"][r.outcome],
              "estimate": r.estimate, "ci_low": r.ci_low, "ci_high": r.ci_high}
             for r in did.itertuples() if r.outcome in sample["programme"]]
    if dose is not None:
        slope = dose[(dose.outcome.str.removesuffix("_change") == "zbi12_bedard_total")
                     & (dose.dose == "respite_hours_change")]
        rows += [{"outcome": "zbi12_bedard_total", "analysis": "dose_respite",
                  "truth": truth["dose_response"]["zbi12_bedard_total_per_respite_hour"]["programme"],
                  "estimate": r.slope, "ci_low": r.slope_ci_low, "ci_high": r.slope_ci_high}
                 for r in slope.itertuples()]
    out = pd.DataFrame(rows, columns=RECOVERY_COLUMNS[:-1])
    out["covered"] = (out.ci_low <= out.truth) & (out.truth <= out.ci_high)
    return out
