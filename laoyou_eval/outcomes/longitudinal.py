"""Three or more waves: every later wave against the baseline in one linear mixed model.

>>> import pandas as pd
>>> data = pd.DataFrame({"id": [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4],
...                      "wave": [1, 2, 3] * 4,
...                      "y": [10, 8, 7, 12, 11, 9, 9, 9, 8, 11, 9, 8]})
>>> table = mixed_waves(data, "y", "wave", "id")
>>> table[["wave", "estimate"]].round(2).values.tolist()
[[2.0, -1.25], [3.0, -2.5]]
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def mixed_waves(data: pd.DataFrame, outcome: str, wave: str, subject: str, *, group: str | None = None,
                treated="programme", ci: float = 0.95) -> pd.DataFrame:
    """Change from the first wave to each later wave, from a random-intercept linear mixed model.

    Parameters
    ----------
    data : pandas.DataFrame
        Long data, one row per subject × wave; people missing a wave keep their other waves
        (the model uses every observed score — valid under missing at random).
    outcome, wave, subject : str
        Column names.
    group : str, optional
        Arm column.  Without it the estimates are the mean change of the one group; with it,
        the programme-minus-comparison difference in change (group × wave interaction).
    treated : default "programme"
        The programme arm's value of ``group``.
    ci : float

    Returns
    -------
    pandas.DataFrame
        One row per later wave: ``wave``, ``estimate``, ``se``, ``ci_low``, ``ci_high``, ``p``,
        ``n_subjects``, ``n_observations``, ``note`` (a code; ``""`` when fitted).

    Notes
    -----
    Model: :math:`y_{it} = \\beta_0 + \\sum_{t>1} \\beta_t [w=t] (+ \\gamma g_i + \\sum_{t>1}
    \\delta_t g_i [w=t]) + u_i + \\varepsilon_{it}`, :math:`u_i \\sim N(0, \\tau^2)`, fitted by
    REML with statsmodels ``MixedLM``; the estimate is :math:`\\beta_t` (one group) or
    :math:`\\delta_t` (two groups), Wald CI from the normal distribution.  Standard errors come
    from statsmodels' full Hessian, which is slightly (0.03–0.1 %) above the
    :math:`(X'V^{-1}X)^{-1}` that lme4 and SAS report.

    References
    ----------
    Laird, N. M., & Ware, J. H. (1982). Random-effects models for longitudinal data.
    *Biometrics, 38*(4), 963–974. https://doi.org/10.2307/2529876
    """
    import warnings

    import statsmodels.formula.api as smf
    from scipy import stats

    frame = data[[subject, wave, outcome] + ([group] if group else [])].dropna(subset=[outcome]).copy()
    frame = frame.rename(columns={subject: "s_", wave: "w_", outcome: "y_"})
    frame["y_"] = frame["y_"].astype(float)
    waves = sorted(frame["w_"].unique())
    later = waves[1:]
    columns = ["wave", "estimate", "se", "ci_low", "ci_high", "p", "n_subjects", "n_observations", "note"]
    empty = pd.DataFrame([{"wave": w, "estimate": np.nan, "se": np.nan, "ci_low": np.nan, "ci_high": np.nan,
                           "p": np.nan, "n_subjects": frame["s_"].nunique(), "n_observations": len(frame),
                           "note": "too_few_observations"} for w in later], columns=columns)
    if len(waves) < 2 or frame["s_"].nunique() < 3:
        return empty
    for w in later:
        frame[f"w{w}"] = (frame["w_"] == w).astype(float)
    terms = " + ".join(f"w{w}" for w in later)
    if group:
        frame["g_"] = (frame[group] == treated).astype(float)
        if frame["g_"].nunique() < 2:
            return empty.assign(note="one_group_only")
        terms += " + g_ + " + " + ".join(f"g_:w{w}" for w in later)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            fit = smf.mixedlm(f"y_ ~ {terms}", frame, groups=frame["s_"]).fit(reml=True)
        except (np.linalg.LinAlgError, ValueError):
            return empty.assign(note="model_failed")
    z = stats.norm.ppf(0.5 + ci / 2)
    rows = []
    for w in later:
        name = f"g_:w{w}" if group else f"w{w}"
        est, se = float(fit.params[name]), float(fit.bse[name])
        rows.append({"wave": w, "estimate": est, "se": se, "ci_low": est - z * se, "ci_high": est + z * se,
                     "p": float(2 * stats.norm.sf(abs(est / se))) if se > 0 else np.nan,
                     "n_subjects": int(frame["s_"].nunique()), "n_observations": int(len(frame)),
                     "note": "" if fit.converged else "not_converged"})
    return pd.DataFrame(rows, columns=columns)
