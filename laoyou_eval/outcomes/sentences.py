"""APA-style report sentences in Chinese and English, generated from the result tables.

Numbers follow APA 7 (see :mod:`laoyou_eval.formatting`, where :func:`format_number` and
:func:`format_p` live; they stay importable from here).
"""

from __future__ import annotations

import math

from laoyou_eval.formatting import MINUS, format_interval, format_number, format_p  # noqa: F401  (re-exported)
from laoyou_eval.i18n import report_language

#: Short names of the RCI variants used in sentences.
RCI_SHORT_NAMES = {"jt": "Jacobson–Truax", "iverson": "Iverson", "ha": "Hageman–Arrindell", "gln": "GLN",
                   "en": "EN", "nk": "NK", "hll": "HLL", "hlm": "HLM"}

__all__ = ["format_number", "format_p", "apa_t", "paired_sentence", "did_sentence", "change_sentence",
           "caveat"]


def _pick(zh: str, en: str, lang: str | None) -> str:
    return zh if (lang or report_language()) == "zh" else en


def _interval(low: float, high: float, level: float = 0.95) -> str:
    return format_interval(low, high, level)


def apa_t(row) -> str:
    """The statistics part of a paired result: "t(9) = −4.06, p = .003, d_z = −1.28, 95% CI [−2.12, −0.41]".

    Parameters
    ----------
    row : mapping or one-row DataFrame
        A row of :func:`laoyou_eval.outcomes.paired`.

    Returns
    -------
    str

    Examples
    --------
    >>> apa_t({"t": -4.0621, "df": 9, "p": 0.002833, "d_z": -1.2846, "d_z_ci_low": -2.118,
    ...        "d_z_ci_high": -0.415, "ci_level": 0.95})
    't(9) = −4.06, p = .003, d_z = −1.28, 95% CI [−2.12, −0.41]'
    """
    row = _row(row)
    df = row["df"]
    df_text = format_number(df, 0) if math.isfinite(float(df)) else "NA"
    return (f"t({df_text}) = {format_number(row['t'])}, {format_p(row['p'])}, "
            f"d_z = {format_number(row['d_z'])}, {_interval(row['d_z_ci_low'], row['d_z_ci_high'], row['ci_level'])}")


def _row(row):
    return row.iloc[0] if hasattr(row, "iloc") and getattr(row, "ndim", 1) == 2 else row


def caveat(n: int, attrition: float = float("nan"), lang: str | None = None) -> str:
    """A caution sentence when n < 15 or attrition exceeds 20 % (empty string otherwise).

    Parameters
    ----------
    n : int
        Number of people analysed.
    attrition : float, optional
        Share lost to follow-up (0–1).
    lang : {"zh", "en"}, optional
        Default: the report language.

    Returns
    -------
    str

    Examples
    --------
    >>> print(caveat(10, 0.1, lang="en"))  # doctest: +NORMALIZE_WHITESPACE
    With only 10 people, the interval is wide: a non-significant result does not show that
    the programme had no effect, and only large effects could have been detected.
    """
    parts = []
    if n < 15:
        parts.append(_pick(f"样本只有 {n} 人，置信区间很宽：不显著并不说明项目没有效果，只有很大的效应才可能被检测到。",
                           f"With only {n} people, the interval is wide: a non-significant result does not show "
                           "that the programme had no effect, and only large effects could have been detected.", lang))
    if attrition is not None and math.isfinite(attrition) and attrition > 0.20:
        parts.append(_pick(f"有 {attrition:.0%} 的人没有完成后测，只用完成者的结果可能有偏，应参考流失分析。",
                           f"{attrition:.0%} of the participants did not complete the follow-up, so results based "
                           "on completers alone may be biased; see the attrition analysis.", lang))
    return _pick("".join(parts), " ".join(parts), lang)


def paired_sentence(row, label: str, lang: str | None = None) -> str:
    """One APA sentence for a paired before/after result, plus a caveat when needed.

    Parameters
    ----------
    row : mapping or one-row DataFrame
        A row of :func:`laoyou_eval.outcomes.paired` (or of ``paired_table``).
    label : str
        What was measured, in the sentence's language (e.g. "孤独感（UCLA-3）").
    lang : {"zh", "en"}, optional
        Default: the report language.

    Returns
    -------
    str

    Examples
    --------
    >>> row = {"n": 10, "mean_pre": 2.33, "mean_post": 0.75, "mean_diff": -1.58, "diff_ci_low": -2.46,
    ...        "diff_ci_high": -0.70, "t": -4.0621, "df": 9, "p": 0.002833, "d_z": -1.2846,
    ...        "d_z_ci_low": -2.118, "d_z_ci_high": -0.415, "ci_level": 0.95, "attrition": 0.0}
    >>> print(paired_sentence(row, "Hours of sleep", lang="en"))  # doctest: +NORMALIZE_WHITESPACE
    Hours of sleep went from 2.33 to 0.75 (mean change −1.58, 95% CI [−2.46, −0.70]; n =
    10), t(9) = −4.06, p = .003, d_z = −1.28, 95% CI [−2.12, −0.41]. With only 10 people,
    the interval is wide: a non-significant result does not show that the programme had no
    effect, and only large effects could have been detected.
    """
    row = _row(row)
    n = int(row["n"])
    change = (f"{format_number(row['mean_pre'])} → {format_number(row['mean_post'])}")
    diff = f"{format_number(row['mean_diff'])}, {_interval(row['diff_ci_low'], row['diff_ci_high'], row['ci_level'])}"
    zh = f"{label}从 {change.replace(' → ', ' 变为 ')}（平均变化 {diff}；n = {n}），{apa_t(row)}。"
    en = (f"{label} went from {change.replace(' → ', ' to ')} (mean change {diff}; n = {n}), {apa_t(row)}.")
    extra = caveat(n, row.get("attrition", float("nan")), lang)
    return _pick(zh + extra, en + (" " + extra if extra else ""), lang)


def did_sentence(row, label: str, lang: str | None = None, arms: tuple[str, str] | None = None) -> str:
    """One APA sentence for a difference-in-differences result (:func:`~laoyou_eval.outcomes.did`).

    Parameters
    ----------
    row : mapping or one-row DataFrame
        A row of :func:`~laoyou_eval.outcomes.did` (or ``did_table``).
    label : str
        The outcome, in the sentence's language.
    lang : {"zh", "en"}, optional
        Default: the report language.
    arms : (str, str), optional
        The study's names of the programme and the comparison arm, in the sentence's language
        (e.g. ``("家庭支持小组", "候补家庭")``); default "项目组"/"对照组" ("programme group",
        "comparison group").

    Returns
    -------
    str
        The sentence, with a caveat when the smaller arm has fewer than 15 people.

    Examples
    --------
    >>> row = {"estimate": 2.75, "ci_low": 0.08, "ci_high": 5.42, "t": 2.02, "df": 383, "p": 0.044,
    ...        "d_ppc2": 0.3, "d_ppc2_ci_low": 0.01, "d_ppc2_ci_high": 0.59, "n_treated": 300,
    ...        "n_comparison": 80, "ci_level": 0.95}
    >>> print(did_sentence(row, "FTE employment", lang="en"))  # doctest: +NORMALIZE_WHITESPACE
    Compared with the comparison group, FTE employment changed by 2.75 points more in the
    programme group (difference-in-differences, 95% CI [0.08, 5.42]; n = 300 and 80), t(383)
    = 2.02, p = .044, d_ppc2 = 0.30, 95% CI [0.01, 0.59].
    >>> print(did_sentence(row, "就业", lang="zh", arms=("家庭支持小组", "候补家庭"))[:20])
    与候补家庭相比，家庭支持小组就业的变化多
    """
    row = _row(row)
    n_t, n_c = int(row["n_treated"]), int(row["n_comparison"])
    est = f"{format_number(row['estimate'])}"
    stats_ = (f"t({format_number(row['df'], 0)}) = {format_number(row['t'])}, {format_p(row['p'])}, "
              f"d_ppc2 = {format_number(row['d_ppc2'])}, "
              f"{_interval(row['d_ppc2_ci_low'], row['d_ppc2_ci_high'], row['ci_level'])}")
    ci = _interval(row["ci_low"], row["ci_high"], row["ci_level"])
    programme, comparison = arms or (_pick("项目组", "programme group", lang), _pick("对照组", "comparison group", lang))
    zh = (f"与{comparison}相比，{programme}{label}的变化多 {est} 分（双重差分，{ci}；n = {n_t} 与 {n_c}），{stats_}。")
    en = (f"Compared with the {comparison}, {label} changed by {est} points more in the {programme} "
          f"(difference-in-differences, {ci}; n = {n_t} and {n_c}), {stats_}.")
    extra = caveat(min(n_t, n_c), float("nan"), lang)
    return _pick(zh + extra, en + (" " + extra if extra else ""), lang)


def change_sentence(counts, label: str, method: str = "jt", lang: str | None = None) -> str:
    """A sentence on individual reliable change from :func:`~laoyou_eval.outcomes.category_counts`.

    Parameters
    ----------
    counts : pandas.DataFrame
        Output of :func:`~laoyou_eval.outcomes.category_counts`.
    label : str
        The outcome, in the sentence's language.
    method : str, default "jt"
        The RCI variant used (named in the sentence).
    lang : {"zh", "en"}, optional
        Default: the report language.

    Returns
    -------
    str

    Examples
    --------
    >>> import pandas as pd
    >>> counts = pd.DataFrame({"category": ["recovered", "improved", "unchanged", "deteriorated", "harmed",
    ...                                     "not_assessed"], "n": [0, 3, 10, 1, 0, 1]})
    >>> print(change_sentence(counts, "loneliness", lang="en"))  # doctest: +NORMALIZE_WHITESPACE
    Of 14 people with both scores on loneliness, 3 (21%) improved reliably (0 of them
    recovered), 10 (71%) did not change reliably and 1 (7%) deteriorated reliably (0 of them
    harmed) (Jacobson–Truax RCI).
    """
    n = dict(zip(counts["category"], counts["n"]))
    assessed = sum(n.get(c, 0) for c in ("recovered", "improved", "unchanged", "deteriorated", "harmed"))
    better, worse = n.get("recovered", 0) + n.get("improved", 0), n.get("deteriorated", 0) + n.get("harmed", 0)

    def pct(k):
        return f"{k / assessed:.0%}" if assessed else "NA"
    name = RCI_SHORT_NAMES[method]
    zh = (f"在{label}前后测都有的 {assessed} 人中，{better} 人（{pct(better)}）出现可靠改善（其中 {n.get('recovered', 0)} 人达到恢复），"
          f"{n.get('unchanged', 0)} 人（{pct(n.get('unchanged', 0))}）没有可靠变化，"
          f"{worse} 人（{pct(worse)}）出现可靠恶化（其中 {n.get('harmed', 0)} 人属于受损）（{name} 可靠变化指数）。")
    en = (f"Of {assessed} people with both scores on {label}, {better} ({pct(better)}) improved reliably "
          f"({n.get('recovered', 0)} of them recovered), {n.get('unchanged', 0)} ({pct(n.get('unchanged', 0))}) "
          f"did not change reliably and {worse} ({pct(worse)}) deteriorated reliably "
          f"({n.get('harmed', 0)} of them harmed) ({name} RCI).")
    return _pick(zh, en, lang)
