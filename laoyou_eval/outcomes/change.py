"""Individual reliable change: reliable change indices (RCI), minimal detectable change, the
Jacobson–Truax cut-offs and the five change categories.

(long module: the reliable-change family — JT, Iverson, HA, GLN, EN, NK, HLL and HLM — shares one parameter and classification core.)
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from laoyou_eval.errors import LaoyouError
from laoyou_eval.outcomes._common import check_choice, check_level, join_notes, pair

__all__ = ["reliable_change", "rci_parameters", "jt_cutoffs", "ha_true_cutoffs", "ha_group_summary",
           "hlm_change",
           "category_counts", "RCI_METHODS", "CATEGORIES", "CHANGE_COLUMNS", "PARAMETER_COLUMNS", "MIN_RELIABILITY"]

#: RCI variants: key -> name.
RCI_METHODS = {
    "jt": "Jacobson–Truax (1991) / Christensen–Mendoza (1986)",
    "iverson": "Iverson (2001) / Maassen (2004)",
    "ha": "Hageman–Arrindell (1999) RC_ID",
    "gln": "Garfield–Lord–Nunnally (regression to the mean)",
    "hll": "Hsu–Linn–Lord (Hsu 1989)",
    "hlm": "HLM: empirical-Bayes slopes (Raudenbush & Bryk 2002), three or more waves",
    "en": "Edwards–Nunnally (Speer 1992)",
    "nk": "McNemar–Kelley (Speer's form)",
}
CATEGORIES = ("recovered", "improved", "unchanged", "deteriorated", "harmed")
#: Below this reliability the RCI is not computed (NaN, note ``reliability_too_low``): George &
#: Mallery (2003) call α < .50 unacceptable, and Nunnally & Bernstein (1994) ask .70 even for
#: early research.  SEM = SD·√(1 − r) is then nearly the whole SD, so almost every change reads as
#: "unchanged" because of the measure, not of the people (Jacobson & Truax, 1991).
MIN_RELIABILITY = 0.5
CHANGE_COLUMNS = ["subject", "pre", "post", "change", "rci", "method", "reliable", "clinical_pre",
                  "functional_post", "cs_indiv", "category", "note"]
PARAMETER_COLUMNS = ["method", "method_name", "n", "higher_is", "sd", "sd_source", "reliability",
                     "reliability_kind", "reliability_source", "reliability_post", "sem", "s_diff", "critical_value", "mdc",
                     "mean_pre", "mean_post", "sd_post", "r_pre_post", "r_dd", "cutoff", "cutoff_kind",
                     "level", "note"]


def _instrument(instrument):
    if instrument is None or not isinstance(instrument, str):
        return instrument
    from laoyou_eval import instruments

    return instruments.get(instrument)


def jt_cutoffs(clinical_mean: float, clinical_sd: float, functional_mean: float | None = None,
               functional_sd: float | None = None, higher_is: str = "better") -> pd.DataFrame:
    """The three Jacobson–Truax cut-offs for clinically significant change.

    Parameters
    ----------
    clinical_mean, clinical_sd : float
        Mean and SD of the dysfunctional (here: baseline) population.
    functional_mean, functional_sd : float, optional
        Mean and SD of the functional (norm) population; cut-offs b and c need them.
    higher_is : {"better", "worse"}
        Direction of the scale.

    Returns
    -------
    pandas.DataFrame
        One row per cut-off: ``cutoff`` ("a", "b", "c"), ``value`` (NaN when the functional
        norms are missing), ``formula``.

    Notes
    -----
    With s = +1 when higher is better and −1 when higher is worse (JT 1991, p. 13):

    * a = M_clin + s·2·SD_clin (two SDs away from the dysfunctional mean);
    * b = M_func − s·2·SD_func (two SDs into the functional range) — **the functional SD**.
      clinicalsignificance 3.0 (``R/calc_cutoff.R``) uses SD_clin here, which contradicts
      JT and its own manual;
    * c = (SD_clin·M_func + SD_func·M_clin)/(SD_clin + SD_func).

    References
    ----------
    Jacobson, N. S., & Truax, P. (1991). Clinical significance: A statistical approach to
    defining meaningful change in psychotherapy research. *Journal of Consulting and
    Clinical Psychology, 59*(1), 12–19. https://doi.org/10.1037/0022-006X.59.1.12

    Examples
    --------
    >>> jt_cutoffs(1.81, 0.53, 0.72, 0.57, higher_is="worse").round(3).value.tolist()
    [0.75, 1.86, 1.285]
    """
    check_choice(higher_is, ("better", "worse"), "higher_is")
    return _cutoff_table(clinical_mean, clinical_sd, functional_mean, functional_sd, higher_is, (
        "M_clin ± 2·SD_clin (away from the dysfunctional mean)", "M_func ∓ 2·SD_func (into the functional range)",
        "(SD_clin·M_func + SD_func·M_clin)/(SD_clin + SD_func)"))


def _cutoff_table(clinical_mean, clinical_sd, functional_mean, functional_sd, higher_is, formulas) -> pd.DataFrame:
    """Cut-offs a, b, c of Jacobson & Truax (1991) for the given SDs (observed or true-score)."""
    s = 1.0 if higher_is == "better" else -1.0
    have_func = functional_mean is not None and functional_sd is not None
    nan = float("nan")
    values = [clinical_mean + s * 2 * clinical_sd,
              functional_mean - s * 2 * functional_sd if have_func else nan,
              ((clinical_sd * functional_mean + functional_sd * clinical_mean) / (clinical_sd + functional_sd))
              if have_func else nan]
    return pd.DataFrame({"cutoff": ["a", "b", "c"], "value": values, "formula": list(formulas)})


def _true_score_reliability(sd: float, sem: float) -> float:
    """r_t = (s_t² − SEM²)/s_t², the reliability of a score with SD s_t (Hageman & Arrindell, 1999)."""
    return (sd ** 2 - sem ** 2) / sd ** 2


def ha_true_cutoffs(clinical_mean: float, clinical_sd: float, sem: float, functional_mean: float | None = None,
                    functional_sd: float | None = None, higher_is: str = "better") -> pd.DataFrame:
    """Hageman–Arrindell true-score cut-offs a, b and c.

    Parameters
    ----------
    clinical_mean, clinical_sd : float
        Mean and SD of the dysfunctional (here: baseline) population.
    sem : float
        Standard error of measurement, SD·√(1 − r_xx).
    functional_mean, functional_sd : float, optional
        Mean and SD of the functional population (cut-offs b and c).
    higher_is : {"better", "worse"}

    Returns
    -------
    pandas.DataFrame
        One row per cut-off: ``cutoff`` ("a", "b", "c"), ``value`` (NaN without functional
        norms), ``formula``.

    Notes
    -----
    The Jacobson–Truax cut-offs with each SD replaced by the SD of the true scores,
    SD·√r, where r = (SD² − SEM²)/SD² (Hageman & Arrindell, 1999, eqs. 7–9); s = ±1 as in
    :func:`jt_cutoffs`:

    * a = M_clin + s·2·SD_clin·√r_clin;
    * b = M_func − s·2·SD_func·√r_func (clinicalsignificance 3.0 uses SD_clin·√r_clin here,
      the same slip as in its cut-off b of :func:`jt_cutoffs`);
    * c = (SD_clin√r_clin·M_func + SD_func√r_func·M_clin)/(SD_clin√r_clin + SD_func√r_func).

    References
    ----------
    Hageman, W. J. J. M., & Arrindell, W. A. (1999). Establishing clinically significant
    change: Increment of precision and the distinction between individual and group level
    of analysis. *Behaviour Research and Therapy, 37*(12), 1169–1193.
    https://doi.org/10.1016/S0005-7967(99)00032-7

    Examples
    --------
    >>> ha_true_cutoffs(20.0, 5.0, 2.0, 40.0, 4.0).round(3).value.tolist()
    [29.165, 33.072, 31.39]
    """
    check_choice(higher_is, ("better", "worse"), "higher_is")
    true_clin = clinical_sd * np.sqrt(_true_score_reliability(clinical_sd, sem))
    have_func = functional_mean is not None and functional_sd is not None
    true_func = functional_sd * np.sqrt(_true_score_reliability(functional_sd, sem)) if have_func else None
    return _cutoff_table(clinical_mean, true_clin, functional_mean if have_func else None, true_func, higher_is, (
        "M_clin ± 2·SD_clin·√r_clin", "M_func ∓ 2·SD_func·√r_func",
        "(SD_clin√r_clin·M_func + SD_func√r_func·M_clin)/(SD_clin√r_clin + SD_func√r_func)"))


def _resolve(x, y, sd, reliability, instrument, notes) -> tuple[dict, dict]:
    """Pick the SD and reliability with their sources (explicit > instrument > sample)."""
    meta_sd, meta_rel = {}, {}
    reference = (instrument.reference or {}) if instrument is not None else {}
    if sd is not None:
        meta_sd = {"sd": float(sd), "sd_source": "given"}
    elif reference.get("sd") is not None:
        meta_sd = {"sd": float(reference["sd"]), "sd_source": str(reference.get("source", ""))}
    else:
        meta_sd = {"sd": float(np.std(x, ddof=1)) if x.size > 1 else float("nan"),
                   "sd_source": "sample_baseline_sd"}
        notes.append("sample_baseline_sd")
    if isinstance(reliability, str):
        check_choice(reliability, ("sample",), "reliability")
        r = float(np.corrcoef(x, y)[0, 1]) if x.size > 2 else float("nan")
        meta_rel = {"reliability": r, "reliability_kind": "sample_pre_post_r",
                    "reliability_source": "this_sample"}
        notes.append("sample_reliability")
    elif reliability is not None:
        meta_rel = {"reliability": float(reliability), "reliability_kind": "given",
                    "reliability_source": "given"}
    elif instrument is not None and (instrument.reliability or {}).get("value") is not None:
        rel = instrument.reliability
        meta_rel = {"reliability": float(rel["value"]), "reliability_kind": str(rel.get("kind", "")),
                    "reliability_source": str(rel.get("source", ""))}
    else:
        name = instrument.name if instrument is not None else "?"
        raise LaoyouError(
            f"量表 {name} 没有记录信度，无法计算可靠变化指数。",
            f"No reliability recorded for {name}: the reliable change index needs one.",
            hint_zh="传入 reliability=已发表的重测信度；或者 reliability=\"sample\"（用样本前后测相关，不推荐，会在备注中警告）。",
            hint_en='pass reliability=<published test–retest value>, or reliability="sample" '
                    "(the sample's pre–post r; not recommended, flagged in the note).")
    r = meta_rel["reliability"]
    if not (np.isfinite(r) and 0 < r < 1):
        raise LaoyouError(f"信度必须在 0 和 1 之间，这里是 {r!r}。", f"Reliability must lie in (0, 1); got {r!r}.",
                          hint_zh="检查信度数值（或样本前后测相关为负）。",
                          hint_en="check the reliability value (or the sample pre–post r is not positive).")
    return meta_sd, meta_rel


def rci_parameters(pre, post, sd: float | None = None, reliability: float | str | None = None,
                   method: str = "jt", *, instrument=None, higher_is: str | None = None,
                   mean_pre: float | None = None, reliability_post: float | None = None,
                   level: float = 0.95) -> pd.DataFrame:
    """The quantities behind :func:`reliable_change`, one row.

    Parameters
    ----------
    pre, post, sd, reliability, method, instrument, higher_is, mean_pre, reliability_post, level
        As in :func:`reliable_change`.

    Returns
    -------
    pandas.DataFrame
        One row: ``method``, ``method_name``, ``n`` (complete pairs), ``higher_is``, ``sd``
        (the SD used in the SEM) and ``sd_source``, ``reliability`` with
        ``reliability_kind`` and ``reliability_source``, ``reliability_post``, ``sem`` = sd·√(1 − r_xx),
        ``s_diff`` = √2·SEM, ``critical_value``, ``mdc`` (minimal detectable change in raw
        points, z·S_diff), ``mean_pre``, ``mean_post``, ``sd_post``, ``r_pre_post``,
        ``r_dd`` (Hageman–Arrindell only), ``cutoff``, ``cutoff_kind`` (filled by
        :func:`reliable_change`), ``level``, ``note``.

    Examples
    --------
    >>> p = rci_parameters([30, 40, 36], [20, 41, 30], sd=8.1586, reliability=0.801, higher_is="worse")
    >>> p[["sem", "s_diff", "mdc"]].round(3).iloc[0].tolist()
    [3.64, 5.147, 10.088]
    """
    return pd.DataFrame([_parameters(pair(pre, post), sd, reliability, method, _instrument(instrument),
                                     higher_is, mean_pre, reliability_post, level)],
                        columns=PARAMETER_COLUMNS)


def _parameters(pairs, sd, reliability, method, instrument, higher_is, mean_pre, reliability_post, level):
    check_choice(method, tuple(RCI_METHODS), "method")
    if method == "hlm":
        raise LaoyouError("HLM 方法需要三波及以上的长格式数据：请用 hlm_change。",
                          "The HLM method needs long data with three or more waves: use hlm_change.",
                          hint_zh="outcomes.hlm_change(data, outcome, time, subject, higher_is=...)",
                          hint_en="outcomes.hlm_change(data, outcome, time, subject, higher_is=...)")
    level = check_level(level, "level")
    if higher_is is None:
        if instrument is None:
            raise LaoyouError("需要说明得分越高越好还是越差（higher_is），或给出量表（instrument）。",
                              "Say whether higher scores are better or worse (higher_is), or give the instrument.",
                              hint_zh='例如 higher_is="worse"（孤独感、负担）或 instrument="ucla3"。',
                              hint_en='e.g. higher_is="worse" (loneliness, burden) or instrument="ucla3".')
        higher_is = instrument.higher_is
    check_choice(higher_is, ("better", "worse"), "higher_is")
    x, y = pairs.values
    notes = []
    meta_sd, meta_rel = _resolve(x, y, sd, reliability, instrument, notes)
    s1, rxx = meta_sd["sd"], meta_rel["reliability"]
    if rxx < MIN_RELIABILITY:
        notes.append("reliability_too_low")
    sem = s1 * np.sqrt(1 - rxx)
    one_sided = method == "ha"
    crit = float(stats.norm.ppf(level if one_sided else (1 + level) / 2))
    r12 = float(np.corrcoef(x, y)[0, 1]) if x.size > 2 else float("nan")
    s_post = float(np.std(y, ddof=1)) if y.size > 1 else float("nan")
    out = {"method": method, "method_name": RCI_METHODS[method], "n": int(x.size), "higher_is": higher_is,
           **meta_sd, **meta_rel, "sem": sem, "s_diff": np.sqrt(2) * sem, "critical_value": crit,
           "mdc": float(stats.norm.ppf((1 + level) / 2)) * np.sqrt(2) * sem,
           "mean_pre": float(mean_pre) if mean_pre is not None else (float(x.mean()) if x.size else np.nan),
           "mean_post": float(y.mean()) if y.size else np.nan, "sd_post": s_post, "r_pre_post": r12,
           "r_dd": np.nan, "cutoff": np.nan, "cutoff_kind": "", "level": level,
           "reliability_post": float(reliability_post) if reliability_post is not None else rxx}
    if method == "ha":
        s_pre = float(np.std(x, ddof=1)) if x.size > 1 else float("nan")
        rxx1, rxx2 = (s_pre ** 2 - sem ** 2) / s_pre ** 2, (s_post ** 2 - sem ** 2) / s_post ** 2
        out["r_dd"] = ((s_pre ** 2 * rxx1 + s_post ** 2 * rxx2 - 2 * s_pre * s_post * r12)
                       / (s_pre ** 2 + s_post ** 2 - 2 * s_pre * s_post * r12))
        if not out["r_dd"] > 0:
            notes.append("r_dd_not_positive")
    out["note"] = join_notes(notes)
    return out


def _rci(x, y, p) -> np.ndarray:
    """The index of method ``p["method"]`` for pre ``x`` and post ``y`` (formulas in reliable_change)."""
    method, s1, rxx, sem = p["method"], p["sd"], p["reliability"], p["sem"]
    m1 = p["mean_pre"]
    if method == "jt":
        return (y - x) / p["s_diff"]
    if method == "iverson":
        sem2 = p["sd_post"] * np.sqrt(1 - p["reliability_post"])
        return (y - x) / np.sqrt(sem ** 2 + sem2 ** 2)
    if method == "gln":
        return ((y - m1) - rxx * (x - m1)) / (s1 * np.sqrt(1 - rxx ** 2))
    if method == "hll":
        return ((y - p["mean_post"]) - rxx * (x - m1)) / (s1 * np.sqrt(1 - rxx ** 2))
    if method == "en":
        return (y - (rxx * (x - m1) + m1)) / sem
    if method == "nk":
        denominator = np.sqrt(rxx ** 2 * s1 ** 2 * (1 - rxx) + s1 ** 2 * (1 - p["reliability_post"]))
        return (y - (rxx * (x - m1) + m1)) / denominator
    r_dd = p["r_dd"]
    if not r_dd > 0:
        return np.full(x.shape, np.nan)
    return ((y - x) * r_dd + (p["mean_post"] - m1) * (1 - r_dd)) / (np.sqrt(r_dd) * p["s_diff"])


def reliable_change(pre, post, sd: float | None = None, reliability: float | str | None = None,
                    method: str = "jt", *, instrument=None, higher_is: str | None = None,
                    cutoff: str | float | None = None, clinical: tuple[float, float] | None = None,
                    functional: tuple[float, float] | None = None, mean_pre: float | None = None,
                    reliability_post: float | None = None, level: float = 0.95) -> pd.DataFrame:
    """Reliable change index and change category of every person.

    Parameters
    ----------
    pre, post : pandas.Series or array-like
        Scores before and after, matched by index (subject id) when both are Series.
        Subjects without both scores stay in the output with NaN and a note.
    sd : float, optional
        SD for the standard error of measurement: a reference (norm) SD.  Default: the
        instrument's reference SD, else the sample's baseline SD (said in ``note``).
    reliability : float or "sample", optional
        Test–retest reliability r_xx.  Default: the instrument's recorded value, with its
        kind and source.  ``"sample"`` uses the sample's pre–post correlation, with a
        warning in ``note`` (the mistake of JanSouren/rci's "JT" method when done silently).
        Below :data:`MIN_RELIABILITY` (.50) no index is computed: ``rci`` and ``category``
        are NaN with the note ``reliability_too_low`` for every complete pair (see Notes).
    method : {"jt", "iverson", "ha", "gln", "hll", "en", "nk"}, default "jt"
        (the HLM method, for three or more waves, is :func:`hlm_change`)
        RCI variant (see Notes).  "jt" is Jacobson–Truax 1991, identical to Christensen &
        Mendoza (1986).
    instrument : str or Instrument, optional
        Built-in instrument (e.g. ``"zbi12_bedard"``): reliability, reference SD/mean and the
        direction (``higher_is``) come from its file.
    higher_is : {"better", "worse"}, optional
        Direction of improvement; default from ``instrument``.
    cutoff : {"a", "b", "c"} or float, optional
        Clinical cut-off for "recovered" and "harmed": a JT cut-off computed by
        :func:`jt_cutoffs` (with ``method="ha"`` the true-score cut-off of
        :func:`ha_true_cutoffs`), or a published score (e.g. an instrument's cut-off; taken as
        the true-score cut-off by HA).
    clinical : (mean, sd), optional
        Dysfunctional-population norms for the cut-offs; default the sample's baseline.
    functional : (mean, sd), optional
        Functional-population norms (needed by cut-offs b and c); default the instrument's
        reference mean/SD when recorded.
    mean_pre : float, optional
        Baseline mean M₁ for the regression-based indices (GLN, EN, NK); default the sample's.
    reliability_post : float, optional
        Reliability at post-test (Iverson, NK); default ``reliability``.
    level : float, default 0.95
        Confidence level of the critical value: z₍₁₊level₎/₂ = 1.96 (two-sided), or
        z_level = 1.645 (one-sided) for Hageman–Arrindell.

    Returns
    -------
    pandas.DataFrame
        One row per subject:

        - ``subject``, ``pre``, ``post``, ``change`` (post − pre);
        - ``rci`` – the index of ``method`` (named in column ``method``);
        - ``reliable`` – |RCI| beyond the critical value;
        - ``clinical_pre`` – pre score on the dysfunctional side of the cut-off;
          ``functional_post`` – post score on the functional side (NA without a cut-off); with
          ``method="ha"``: CS_indiv beyond the critical value on the functional side;
        - ``cs_indiv`` – Hageman–Arrindell's individual clinical-significance index (NaN for
          the other methods and without a cut-off);
        - ``category`` – ``recovered`` (reliable improvement, from dysfunctional to
          functional), ``improved``, ``unchanged``, ``deteriorated``, ``harmed`` (reliable
          deterioration from the functional to the dysfunctional side); NaN without both
          scores;
        - ``note`` – why a value is missing.

        ``result.attrs["parameters"]`` holds the row of :func:`rci_parameters` (SD and
        reliability with their sources, SEM, S_diff, MDC, critical value, cut-off).

    Notes
    -----
    SEM = SD·√(1 − r_xx), S_diff = √(2·SEM²), MDC = z·S_diff in raw points.  Indices (x₁ pre,
    x₂ post, M₁, M₂ means, s₁ = ``sd``, s₂ the post SD):

    * JT: (x₂ − x₁)/S_diff;
    * Iverson: (x₂ − x₁)/√(SEM₁² + SEM₂²), SEM₂ = s₂√(1 − r_xx,post);
    * GLN: [(x₂ − M₁) − r_xx(x₁ − M₁)]/(s₁√(1 − r_xx²));
    * HLL: [(x₂ − M₂) − r_xx(x₁ − M₁)]/(s₁√(1 − r_xx²)) (Hsu, 1989);
    * EN: [x₂ − (r_xx(x₁ − M₁) + M₁)]/SEM;
    * NK: same numerator / √(r_xx²s₁²(1 − r_xx) + s₁²(1 − r_xx,post));
    * HA: [(x₂ − x₁)r_dd + (M₂ − M₁)(1 − r_dd)]/(√r_dd·S_diff), with
      r_dd = (s₁²r₁ + s₂²r₂ − 2s₁s₂r₁₂)/(s₁² + s₂² − 2s₁s₂r₁₂), r_t = (s_t² − SEM²)/s_t²
      (sample SDs), one-sided critical value.

    Improvement is RCI beyond the critical value in the better direction of the scale.
    "Recovered" is reliable improvement from the dysfunctional side of the cut-off to its
    functional side; "harmed" the reverse.  For HA the cut-off is a true-score cut-off c and
    the post side is decided by CS_indiv = (M₂ + (x₂ − M₂)·r₂ − c)/(√r₂·SEM), beyond ±z
    (HA 1999, eq. 10): recovered = improved, clinical at pre and CS_indiv beyond +z on the
    functional side; harmed = deteriorated, functional at pre and CS_indiv beyond z on the
    dysfunctional side (clinicalsignificance counts every reliable deterioration from the
    functional side as harmed).  :func:`ha_group_summary` gives HA's group-level shares.  Missing data: subjects without both scores
    are kept with NaN; SD and means default to the complete pairs (as clinicalsignificance).

    Reliability under :data:`MIN_RELIABILITY` = .50 (unacceptable by George & Mallery's rule;
    Nunnally & Bernstein's minimum for research is .70) makes SEM nearly the whole SD: MDC =
    1.96·√2·SD·√(1 − r) ≥ 1.96 SD, so almost no one could change reliably and "unchanged" would
    describe the measure, not the person.  Such an index is not computed (NaN, note
    ``reliability_too_low``; the people stay in the table and ``attrs["parameters"]`` keeps SEM
    and MDC).

    References
    ----------
    George, D., & Mallery, P. (2003). *SPSS for Windows step by step: A simple guide and
    reference, 11.0 update* (4th ed.). Allyn & Bacon.

    Nunnally, J. C., & Bernstein, I. H. (1994). *Psychometric theory* (3rd ed.). McGraw-Hill.

    Jacobson, N. S., & Truax, P. (1991). Clinical significance: A statistical approach to
    defining meaningful change in psychotherapy research. *Journal of Consulting and
    Clinical Psychology, 59*(1), 12–19. https://doi.org/10.1037/0022-006X.59.1.12

    Christensen, L., & Mendoza, J. L. (1986). A method of assessing change in a single
    subject: An alteration of the RC index. *Behavior Therapy, 17*(3), 305–308.
    https://doi.org/10.1016/S0005-7894(86)80060-0

    Hageman, W. J. J. M., & Arrindell, W. A. (1999). Establishing clinically significant
    change: Increment of precision and the distinction between individual and group level
    of analysis. *Behaviour Research and Therapy, 37*(12), 1169–1193.
    https://doi.org/10.1016/S0005-7967(99)00032-7

    Hsu, L. M. (1989). Reliable changes in psychotherapy: Taking into account regression
    toward the mean. *Behavioral Assessment, 11*(4), 459–467.

    Maassen, G. H. (2004). The standard error in the Jacobson and Truax Reliable Change
    Index. *Journal of the International Neuropsychological Society, 10*(6), 888–893.
    https://doi.org/10.1017/S1355617704106097

    Bauer, S., Lambert, M. J., & Nielsen, S. L. (2004). Clinical significance methods: A
    comparison of statistical techniques. *Journal of Personality Assessment, 82*(1),
    60–70. https://doi.org/10.1207/s15327752jpa8201_11

    Examples
    --------
    >>> import pandas as pd
    >>> from laoyou_eval import outcomes
    >>> pre = pd.Series([30, 25, 28, 35], index=["a", "b", "c", "d"])
    >>> post = pd.Series([20, 24, 29, 34], index=["a", "b", "c", "d"])
    >>> rc = outcomes.reliable_change(pre, post, sd=6.0, reliability=0.85, higher_is="worse")
    >>> rc.category.tolist()
    ['improved', 'unchanged', 'unchanged', 'unchanged']
    """
    instrument = _instrument(instrument)
    pairs = pair(pre, post)
    p = _parameters(pairs, sd, reliability, method, instrument, higher_is, mean_pre, reliability_post, level)
    x, y = pairs.pre, pairs.post
    too_low = p["reliability"] < MIN_RELIABILITY
    rci = np.full(x.shape, np.nan) if too_low else _rci(x, y, p)
    reason = np.select([np.isnan(x) & np.isnan(y), np.isnan(y), np.isnan(x), np.full(x.shape, too_low),
                        ~np.isfinite(rci)], [1, 2, 3, 5, 4], 0)
    notes = _text_column(["", "no_pre_or_post", "no_post", "no_pre", "index_undefined", "reliability_too_low"],
                         reason)
    return _classify(pairs.subjects, x, y, rci, p, pairs.values[0], (cutoff, clinical, functional, instrument), notes)


def _text_column(labels: list, codes: np.ndarray):
    """The str column ``labels[codes]`` (``None``: missing), without a Python string per
    person: pyarrow repeats one label or takes from the few labels (pandas' ``take`` of a str
    array costs several times more)."""
    if pd.array([], dtype="str").dtype.storage != "pyarrow":
        return pd.array(labels, dtype="str").take(codes)
    import pyarrow as pa

    if codes.size and labels[codes[0]] is not None and (codes == codes[0]).all():
        return pd.array(pa.repeat(pa.scalar(labels[codes[0]], pa.large_string()), codes.size), dtype="str")
    return pd.array(pa.array(labels, pa.large_string()).take(pa.array(codes)), dtype="str")


def _classify(subject, x, y, rci, p, baseline, cutoff_args, note=None) -> pd.DataFrame:
    """Reliable change and the five categories from the index ``rci`` (see reliable_change);
    fills ``p["cutoff"]`` and attaches ``p`` as ``attrs["parameters"]``.  ``note`` (default
    empty) is the note column."""
    method = p["method"]
    cutoff, clinical, functional, instrument = cutoff_args
    s = 1.0 if p["higher_is"] == "better" else -1.0
    n, missing_x, missing_y = len(x), np.isnan(x), np.isnan(y)
    assessable = np.isfinite(rci)
    better, worse = s * rci > p["critical_value"], s * rci < -p["critical_value"]
    value, kind = _cutoff_value(cutoff, p, baseline, clinical, functional, instrument)
    p.update(cutoff=value, cutoff_kind=kind)
    cs_indiv = _cs_indiv(y, p) if method == "ha" else np.full(n, np.nan)
    # categories as codes into their few labels (no Python string per person)
    category = np.select([better, worse], [CATEGORIES.index("improved"), CATEGORIES.index("deteriorated")],
                         CATEGORIES.index("unchanged"))
    if np.isfinite(value):
        clinical_pre = s * x < s * value
        if method == "ha":  # reliably beyond the true-score cut-off (HA 1999, eq. 10)
            functional_post = s * cs_indiv > p["critical_value"]
            dysfunctional_post = s * cs_indiv < -p["critical_value"]
        else:
            functional_post = s * y > s * value
            dysfunctional_post = ~functional_post
        category[better & clinical_pre & functional_post & ~missing_y] = CATEGORIES.index("recovered")
        category[worse & ~clinical_pre & ~missing_x & dysfunctional_post] = CATEGORIES.index("harmed")
        clinical_pre = pd.arrays.BooleanArray(clinical_pre, missing_x)
        functional_post = pd.arrays.BooleanArray(functional_post, missing_y)
    else:
        clinical_pre = pd.arrays.BooleanArray(np.zeros(n, bool), np.ones(n, bool))
        functional_post = pd.arrays.BooleanArray(np.zeros(n, bool), np.ones(n, bool))
    category[~assessable] = len(CATEGORIES)
    out = pd.DataFrame({
        "subject": subject, "pre": x, "post": y, "change": y - x, "rci": rci,
        "method": _text_column([method], np.zeros(n, np.intp)),
        "reliable": pd.arrays.BooleanArray(better | worse, ~assessable),
        "clinical_pre": clinical_pre, "functional_post": functional_post, "cs_indiv": cs_indiv,
        "category": _text_column([*CATEGORIES, None], category),
        "note": _text_column([""], np.zeros(n, np.intp)) if note is None else note},
        copy=False)  # every column is new here (copy-on-write guards the subject ids)
    out.attrs["parameters"] = {k: (v.item() if isinstance(v, np.generic) else v)
                               for k, v in p.items() if k in PARAMETER_COLUMNS}
    return out


def hlm_change(data: pd.DataFrame, outcome: str, time: str, subject: str, *, higher_is: str | None = None,
               instrument=None, cutoff: str | float | None = None, clinical: tuple[float, float] | None = None,
               functional: tuple[float, float] | None = None, level: float = 0.95) -> pd.DataFrame:
    """Individual change over three or more waves: the HLM method (empirical-Bayes slopes).

    Parameters
    ----------
    data : pandas.DataFrame
        Long data, one row per subject × wave.
    outcome, time, subject : str
        Score, numeric time (e.g. wave number or months) and subject-id columns.
    higher_is, instrument, cutoff, clinical, functional, level
        As in :func:`reliable_change`; ``clinical`` defaults to the mean and SD of the first
        scores of the subjects analysed.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`reliable_change`, one row per subject: ``pre`` and ``post`` are
        the first and last observed scores, ``rci`` = EB slope / its conditional SD,
        ``method`` = ``"hlm"``.  Subjects with fewer than three scores are kept with NaN and a
        note.  ``attrs["parameters"]`` holds the fixed slope, the variance components and the
        number of subjects and observations; ``attrs["slopes"]`` the empirical-Bayes slope
        (``eb_slope``) and its conditional SD (``eb_sd``) of every subject analysed.

    Notes
    -----
    The growth model y_ti = (β₀ + u₀ᵢ) + (β₁ + u₁ᵢ)·time + ε_ti with correlated random
    intercepts and slopes is fitted by REML (statsmodels ``MixedLM``, ``re_formula="~time"``);
    lme4's ``lmer(outcome ~ time + (time | id))`` is the same model.  The index of subject i
    is û₁ᵢ/SD(u₁ᵢ | y), the conditional mode of its slope deviation over its conditional SD
    (lme4's ``ranef(condVar = TRUE)``), judged against z₍₁₊level₎/₂ like the RCI (Raudenbush &
    Bryk, 2002; clinicalsignificance's "HLM" method).  Only subjects with at least three
    scores are analysed, as clinicalsignificance does.

    References
    ----------
    Raudenbush, S. W., & Bryk, A. S. (2002). *Hierarchical linear models: Applications and data
    analysis methods* (2nd ed.). Sage.

    Claus, B. B., & Kaiser, T. (2024). clinicalsignificance: Clinical significance analyses of
    intervention studies in R. https://CRAN.R-project.org/package=clinicalsignificance

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(1)
    >>> long = pd.DataFrame([(i, t, 30 - (2 + rng.normal()) * t + rng.normal(0, 2))
    ...                      for i in range(30) for t in range(4)], columns=["id", "wave", "score"])
    >>> rc = hlm_change(long, "score", "wave", "id", higher_is="worse")
    >>> rc["method"].iloc[0], len(rc)
    ('hlm', 30)
    """
    import statsmodels.formula.api as smf

    from laoyou_eval.outcomes._common import check_columns, to_float

    check_columns(data, [outcome, time, subject])
    if higher_is is None and instrument is None:
        raise LaoyouError("需要说明得分越高越好还是越差（higher_is），或给出量表（instrument）。",
                          "Say whether higher scores are better or worse (higher_is), or give the instrument.")
    instrument = _instrument(instrument)
    higher_is = higher_is or instrument.higher_is
    check_choice(higher_is, ("better", "worse"), "higher_is")
    level = check_level(level, "level")
    long = pd.DataFrame({"subject": data[subject].to_numpy(), "t": to_float(data[time], time),
                         "y": to_float(data[outcome], outcome)})
    observed = long.dropna(subset=["t", "y"]).sort_values(["subject", "t"], kind="stable")
    counts = observed.groupby("subject", sort=False)["y"].size()
    analysed = observed[observed["subject"].isin(counts.index[counts >= 3])]
    if analysed["subject"].nunique() < 3:
        raise LaoyouError("HLM 方法需要至少 3 名有 3 次及以上得分的受访者。",
                          "The HLM method needs at least 3 subjects with three or more scores.",
                          column=outcome, hint_zh="这种方法只适用于三波及以上的研究。",
                          hint_en="it is meant for studies with three or more waves.")
    codes, ids = pd.factorize(analysed["subject"])
    fit, messages = _fit_quietly(lambda: smf.mixedlm("y ~ t", analysed.assign(g=codes), groups="g",
                                                     re_formula="~t").fit(reml=True))
    eb = np.array([fit.random_effects[g].iloc[1] for g in range(len(ids))])
    eb_sd = np.sqrt([fit.random_effects_cov[g].iloc[1, 1] for g in range(len(ids))])
    subjects = pd.unique(long["subject"])
    first = observed.groupby("subject", sort=False)["y"].first().reindex(subjects)
    last = observed.groupby("subject", sort=False)["y"].last().reindex(subjects)
    index = pd.Series(eb / eb_sd, index=ids).reindex(subjects).to_numpy(dtype=float)
    few = ~pd.Index(subjects).isin(ids)
    p = dict.fromkeys(PARAMETER_COLUMNS, np.nan)
    p.update(method="hlm", method_name=RCI_METHODS["hlm"], n=len(ids), higher_is=higher_is,
             critical_value=float(stats.norm.ppf((1 + level) / 2)), level=level, cutoff_kind="",
             mean_pre=float(first[~few].mean()), mean_post=float(last[~few].mean()),
             note=join_notes([f"statsmodels={m}" for m in messages] + ([] if fit.converged else ["not_converged"])))
    x, y = first.to_numpy(dtype=float), last.to_numpy(dtype=float)
    out = _classify(subjects, x, y, index, p, x[~few], (cutoff, clinical, functional, instrument))
    out["note"] = np.where(few, "fewer_than_3_scores", "")
    out.attrs["parameters"].update(fixed_slope=float(fit.fe_params["t"]), slope_variance=float(fit.cov_re.iloc[1, 1]),
                                   residual_variance=float(fit.scale), n_observations=len(analysed))
    out.attrs["slopes"] = pd.DataFrame({"subject": ids, "eb_slope": eb, "eb_sd": eb_sd}).to_dict("list")
    return out


def _fit_quietly(call):
    """Run a statsmodels fit, returning it and its warnings' texts (said in ``note``)."""
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit = call()
    return fit, list(dict.fromkeys(str(w.message).splitlines()[0] for w in caught))


def _cs_indiv(y, p) -> np.ndarray:
    """CS_indiv = (M₂ + (x₂ − M₂)·r₂ − c)/(√r₂·SEM), r₂ = (s₂² − SEM²)/s₂² (HA 1999, eq. 10)."""
    m2, sem = p["mean_post"], p["sem"]
    r2 = _true_score_reliability(p["sd_post"], sem)
    if not r2 > 0 or not np.isfinite(p["cutoff"]):
        return np.full(y.shape, np.nan)
    return (m2 + (y - m2) * r2 - p["cutoff"]) / (np.sqrt(r2) * sem)


def _cutoff_value(cutoff, p, baseline, clinical, functional, instrument) -> tuple[float, str]:
    if cutoff is None:
        return float("nan"), ""
    if isinstance(cutoff, (int, float, np.floating)) and not isinstance(cutoff, bool):
        return float(cutoff), "given"
    check_choice(cutoff, ("a", "b", "c"), "cutoff")
    if clinical is None:
        clinical = (float(np.mean(baseline)), float(np.std(baseline, ddof=1)))
    if functional is None and instrument is not None:
        ref = instrument.reference or {}
        if ref.get("mean") is not None and ref.get("sd") is not None:
            functional = (float(ref["mean"]), float(ref["sd"]))
    if cutoff in ("b", "c") and functional is None:
        raise LaoyouError(f"JT 分界值 {cutoff} 需要功能正常人群的均值和标准差（functional=(均值, 标准差)）。",
                          f"JT cut-off {cutoff} needs the functional population's mean and SD "
                          "(functional=(mean, sd)).",
                          hint_zh="没有常模时只能用分界值 a。", hint_en="without norms only cut-off a is available.")
    if p["method"] == "ha":
        table = ha_true_cutoffs(*clinical, p["sem"], *(functional or (None, None)), higher_is=p["higher_is"])
        return float(table.set_index("cutoff").at[cutoff, "value"]), f"HA {cutoff} (true score)"
    table = jt_cutoffs(*clinical, *(functional or (None, None)), higher_is=p["higher_is"])
    return float(table.set_index("cutoff").at[cutoff, "value"]), f"JT {cutoff}"


def ha_group_summary(result: pd.DataFrame) -> pd.DataFrame:
    """Hageman–Arrindell group-level summary: estimated share of the group that changed, and
    share that ends in the functional range.

    Parameters
    ----------
    result : pandas.DataFrame
        Output of :func:`reliable_change` with ``method="ha"`` and a ``cutoff``.

    Returns
    -------
    pandas.DataFrame
        Two rows, ``category`` "changed" and "functional", with ``percent`` (0–100) and
        ``z``; NaN with a ``note`` when r_dd ≤ 0, r₂ ≤ 0 or there is no cut-off.

    Notes
    -----
    With s = +1 when higher is better and −1 otherwise, M_Δ and SD_Δ the mean and SD of the
    change scores, M₂ and SD₂ of the post scores (complete pairs), r_dd the reliability of the
    differences, r₂ = (SD₂² − SEM²)/SD₂² and c the true-score cut-off (Hageman & Arrindell,
    1999, eqs. 11–12):

    * changed = Φ(s·M_Δ/(SD_Δ·√r_dd)) – the share whose true change lies on the better side
      of 0;
    * functional = Φ(s·(M₂ − c)/(SD₂·√r₂)) – the share whose true post score lies beyond c.

    This is clinicalsignificance's "Group Level Summary" (``R/create_summary_table.R``).

    References
    ----------
    Hageman, W. J. J. M., & Arrindell, W. A. (1999). Establishing clinically significant
    change: Increment of precision and the distinction between individual and group level
    of analysis. *Behaviour Research and Therapy, 37*(12), 1169–1193.
    https://doi.org/10.1016/S0005-7967(99)00032-7

    Examples
    --------
    >>> rc = reliable_change([30, 25, 28, 35, 31], [20, 24, 19, 30, 29], sd=6.0, reliability=0.85,
    ...                      method="ha", higher_is="worse", cutoff=25.0)
    >>> ha_group_summary(rc).category.tolist()
    ['changed', 'functional']
    """
    p = result.attrs.get("parameters", {})
    if p.get("method") != "ha":
        raise LaoyouError("ha_group_summary 需要 method=\"ha\" 的 reliable_change 结果。",
                          'ha_group_summary needs the result of reliable_change(..., method="ha").')
    s = 1.0 if p["higher_is"] == "better" else -1.0
    done = result.dropna(subset=["pre", "post"])
    change, post = done["change"].to_numpy(float), done["post"].to_numpy(float)
    r_dd, r2 = p["r_dd"], _true_score_reliability(p["sd_post"], p["sem"])
    with np.errstate(invalid="ignore", divide="ignore"):
        z_changed = s * change.mean() / (change.std(ddof=1) * np.sqrt(r_dd)) if r_dd > 0 else np.nan
        z_functional = (s * (post.mean() - p["cutoff"]) / (post.std(ddof=1) * np.sqrt(r2))
                        if r2 > 0 and np.isfinite(p["cutoff"]) else np.nan)
    notes = ["" if np.isfinite(z_changed) else "r_dd_not_positive",
             "" if np.isfinite(z_functional) else "no_cutoff_or_r2_not_positive"]
    return pd.DataFrame({"category": ["changed", "functional"], "z": [z_changed, z_functional],
                         "percent": [100 * stats.norm.cdf(z_changed), 100 * stats.norm.cdf(z_functional)],
                         "note": notes})


def category_counts(result: pd.DataFrame) -> pd.DataFrame:
    """Number and percentage of people in each change category.

    Parameters
    ----------
    result : pandas.DataFrame
        Output of :func:`reliable_change`.

    Returns
    -------
    pandas.DataFrame
        One row per category in the order recovered, improved, unchanged, deteriorated,
        harmed, then ``not_assessed`` (no pre or post score): ``category``, ``n``,
        ``percent`` (of the people assessed; NaN for ``not_assessed``).

    Examples
    --------
    >>> rc = reliable_change([30, 25, 28, 35], [20, 24, 29, 34], sd=6.0, reliability=0.85, higher_is="worse")
    >>> category_counts(rc).n.tolist()
    [0, 1, 3, 0, 0, 0]
    """
    counts = result["category"].value_counts()
    assessed = int(result["category"].notna().sum())
    rows = [{"category": c, "n": int(counts.get(c, 0)),
             "percent": 100 * counts.get(c, 0) / assessed if assessed else np.nan} for c in CATEGORIES]
    rows.append({"category": "not_assessed", "n": int(result["category"].isna().sum()), "percent": np.nan})
    return pd.DataFrame(rows)
