"""Figures of the process records and generated paragraphs of the case-study report.

* the process figures :func:`contact_heatmap`, :func:`hours_by_mode`, :func:`pipeline_figure`,
  :func:`dose_scatter` and :func:`proxy_sentence` now live in :mod:`laoyou_eval.process.figures`
  and :mod:`laoyou_eval.process.sentences` (re-exported here);
* :class:`Paragraph`, a generated sentence shown as a report paragraph: in the HTML report as
  ``<p>``, in the Word report as a paragraph (printed text would be left out of Word);
* sentences whose every number comes from a result table: :func:`context`,
  :func:`group_sentence`, :func:`network_sentence`, :func:`themes_sentence`,
  :func:`dose_sentence`, and the limitations :func:`small_sample_sentence`,
  :func:`design_sentence`, :func:`attrition_sentence`;
* :func:`theme_counts`, the open-answer themes both coders agreed on.

All text is in the report language (:func:`laoyou_eval.report.text`); figure text falls back
to English without a CJK font.
"""

from __future__ import annotations

import html
from pathlib import Path

from laoyou_eval.formatting import format_interval, format_number, format_percent
from laoyou_eval.formatting import sentence as _sentence
from laoyou_eval.i18n import label, text
from laoyou_eval.process.figures import (  # noqa: F401
    MODE_COLOURS,
    STAGE_COLOURS,
    contact_heatmap,
    dose_scatter,
    hours_by_mode,
    pipeline_figure,
)
from laoyou_eval.process.sentences import proxy_sentence  # noqa: F401  (moved; re-exported)

__all__ = ["Paragraph", "join_sentences", "contact_heatmap", "hours_by_mode", "pipeline_figure",
           "dose_scatter", "context", "group_sentence", "network_sentence", "theme_counts", "themes_sentence", "dose_sentence",
           "small_sample_sentence", "design_sentence", "attrition_sentence", "proxy_sentence"]




class Paragraph(str):
    """A generated sentence shown as a paragraph of the report.

    A notebook cell ending in ``Paragraph(sentence)`` shows the sentence as ``<p>`` in the
    notebook and the HTML report, and as a paragraph in the Word report (the plain-text form
    carries no quotes).  ``print`` output, by contrast, does not reach the Word report.

    Examples
    --------
    >>> Paragraph("孤独感下降了。")
    孤独感下降了。
    """

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        return f"<p>{html.escape(str(self))}</p>"


def join_sentences(*texts: str) -> str:
    """Several generated sentences as one paragraph, each sentence said once.

    Generated sentences may end with the same caution (e.g. the small-sample caveat of
    :func:`laoyou_eval.outcomes.sentences.paired_sentence`); in a paragraph it is kept where
    it first appears and left out after.

    Examples
    --------
    >>> join_sentences("A rose. Small sample.", "B fell. Small sample.")
    'A rose. Small sample. B fell.'
    """
    import re

    seen, out = set(), []
    for part in texts:
        for sentence in re.findall(r"[^。]+。|.+?\.(?=\s|$)|\S.*$", str(part).strip()):
            key = sentence.strip()
            if key and key not in seen:
                seen.add(key)
                out.append(key)
    return "".join(out) if all(s.endswith("。") for s in out) else " ".join(out)


# --------------------------------------------------------------------------- sentences
def _num(x, digits: int = 2) -> str:
    return format_number(x, digits)


_pct = format_percent


def _ci(low, high) -> str:
    return format_interval(low, high)


def context(study_dir, registered: int | None = None) -> str:
    """Background of the case: registered and home-bound residents, the study arms, the
    volunteer pool and the parents' group.

    Parameters
    ----------
    study_dir : str or Path
        The study folder: ``roster.csv`` (one row per long-term home-bound resident),
        ``process/volunteers.csv``, ``parents_group/members.csv``.
    registered : int, optional
        Residents with disabilities registered in the subdistrict, a figure from the
        programme's documents (it is in no data file); ``study.yaml`` may give it as
        ``context: {registered: …}``, which takes precedence.

    Returns
    -------
    str
        In the report language; counts come from the files, none is typed in.
    """
    from laoyou_eval import process, study
    from laoyou_eval.io import read_table

    study_dir = Path(study_dir)
    meta = study.load_metadata(study_dir)
    registered = (meta.get("context") or {}).get("registered", registered)
    homebound = len(read_table(study_dir / "roster.csv", usecols=["arm"]))
    arms = study.arms(study_dir)
    residents = arms[arms["population"] == "residents"].groupby("arm")["respondent_id"].nunique()
    stages = process.volunteer_pipeline(process.read_volunteers(study_dir / process.FILES["volunteers"]))
    stages = stages.set_index("stage")["n"]
    members = read_table(study_dir / "parents_group/members.csv")
    people = process.people
    site_zh, site_en = study.bilingual((meta.get("context") or {}).get("site"), ("【待填写：项目地点】", "[TO FILL: site]"))
    zh = (f"{site_zh}登记的长期居家残障青年有 {people(homebound)} 人"
          + (f"（街道登记残障人士共 {registered:,} 人）" if registered else "")
          + f"。评估纳入其中 {people(residents.get('programme', 0))} 人参加项目（项目组），"
          f"{people(residents.get('comparison', 0))} 人在候补名单上作为对照组；每人有一位主要照顾者（家长）一同参加评估。"
          f"项目培训了 {people(stages['trained'])} 名志愿者，{people(stages['service_team'])} 人进入服务队与居民一对一结对，"
          f"{people(stages['reserve'])} 人作为后备；家长们组织了 {people(len(members))} 人的互助小组（设组长、副组长和核心家长）。")
    en = (f"{people(homebound)} young residents with disabilities are long-term home-bound in {site_en}"
          + (f" (of {registered:,} residents with disabilities registered there)" if registered else "")
          + f". Of them, {people(residents.get('programme', 0))} took part in the programme (programme group) and "
          f"{people(residents.get('comparison', 0))} on the waitlist formed the comparison group; each took part "
          f"with a primary caregiver (a parent). The programme trained {people(stages['trained'])} volunteers: "
          f"{people(stages['service_team'])} joined the service team, each matched 1-on-1 with a resident, and "
          f"{people(stages['reserve'])} are in reserve. The parents formed a mutual-aid group of "
          f"{people(len(members))} (a leader, deputies and core parents).")
    return _sentence(zh, en)


def group_sentence(group_table) -> str:
    """The parents' group network at baseline and at 6 months.

    Parameters
    ----------
    group_table : pandas.DataFrame
        :func:`laoyou_eval.networks.whole.group_measures` (one row per wave).

    Returns
    -------
    str
    """
    rows = group_table.set_index("wave")
    first, last = rows.iloc[0], rows.iloc[-1]
    zh = (f"家长互助小组（{int(last['nodes'])} 人）内部的关系从基线的 {int(first['ties'])} 条变为 6 个月时的 "
          f"{int(last['ties'])} 条，网络密度从 {_num(first['density'])} 变为 {_num(last['density'])}，"
          f"度数中心势从 {_num(first['degree_centralisation_freeman'])} 变为 "
          f"{_num(last['degree_centralisation_freeman'])}。")
    en = (f"Within the parents' group ({int(last['nodes'])} members), the ties went from {int(first['ties'])} at "
          f"baseline to {int(last['ties'])} at 6 months; density went from {_num(first['density'])} to "
          f"{_num(last['density'])} and degree centralisation from {_num(first['degree_centralisation_freeman'])} "
          f"to {_num(last['degree_centralisation_freeman'])}.")
    return _sentence(zh, en)


def network_sentence(summary) -> str:
    """Change of residents' personal networks per arm, and the part gained via the programme.

    Parameters
    ----------
    summary : pandas.DataFrame
        :func:`laoyou_eval.networks.summarise_change` over the measures ``size_change`` and
        ``gained_programme`` (by ``arm``).

    Returns
    -------
    str
    """
    rows = summary.set_index(["arm", "measure"])

    def part(arm):
        size = rows.loc[(arm, "size_change")]
        return size, rows.loc[(arm, "gained_programme")] if (arm, "gained_programme") in rows.index else None

    size_p, via_p = part("programme")
    size_c, _ = part("comparison")
    zh = (f"两波都受访的项目组居民（n = {int(size_p['n'])}）个人网络规模平均变化 {_num(size_p['mean'])} 人"
          f"（{_ci(size_p['ci_low'], size_p['ci_high'])}）")
    en = (f"The personal networks of programme residents interviewed at both waves (n = {int(size_p['n'])}) changed "
          f"in size by {_num(size_p['mean'])} people on average ({_ci(size_p['ci_low'], size_p['ci_high'])})")
    if via_p is not None:
        zh += f"，平均新增 {_num(via_p['mean'])} 位经项目认识的人"
        en += f"; they gained {_num(via_p['mean'])} ties on average with people met through the programme"
    zh += (f"；对照组（n = {int(size_c['n'])}）平均变化 {_num(size_c['mean'])} 人"
           f"（{_ci(size_c['ci_low'], size_c['ci_high'])}）。")
    en += (f"; in the comparison group (n = {int(size_c['n'])}) the change was {_num(size_c['mean'])} "
           f"({_ci(size_c['ci_low'], size_c['ci_high'])}).")
    return _sentence(zh, en)


def theme_counts(codes_a, codes_b, themes, groups=None):
    """Open-answer themes both coders agreed on, with their share.

    Parameters
    ----------
    codes_a, codes_b : pandas.Series
        Theme codes of coder A and coder B, indexed by response id.
    themes : pandas.DataFrame
        The theme codebook: ``code``, ``label_zh``, ``label_en``.
    groups : pandas.Series, optional
        Response id -> group (e.g. arm), to count within each group.

    Returns
    -------
    pandas.DataFrame
        One row per (group and) theme, most frequent first: the group column (named after
        ``groups.name``) when given, ``code``, ``theme`` (the label in the report language),
        ``count`` (responses both coders gave this theme; "<5" in report tables when small),
        ``share`` (of the responses both coders agreed on, within the group).

    Notes
    -----
    Responses the coders disagree on, or that one of them left uncoded (blank), are not counted
    here: they wait for the coders' discussion (:func:`laoyou_eval.reliability.disagreements`).
    Themes nobody was given are listed with 0.
    """
    import pandas as pd

    a, b = (codes.astype("string").str.strip().replace("", pd.NA) for codes in (codes_a, codes_b))
    both = pd.concat([a.rename("a"), b.rename("b")], axis=1, join="inner")
    agreed = both[both["a"].notna() & (both["a"] == both["b"]).fillna(False)]["a"]
    lang = "zh" if text("zh", "en") == "zh" else "en"
    names = dict(zip(themes["code"].astype(str), themes[f"label_{lang}"]))
    order = list(themes["code"].astype(str))
    frame = agreed.rename("code").to_frame()
    group = None
    if groups is not None:
        group = groups.name or "group"
        frame[group] = frame.index.map(groups)
    parts = []
    for key, part in (frame.groupby(group, sort=False) if group else [(None, frame)]):
        counts = part["code"].value_counts().reindex(order + sorted(set(part["code"]) - set(order)), fill_value=0)
        table = pd.DataFrame({"code": counts.index, "count": counts.to_numpy()})
        table["share"] = table["count"] / len(part) if len(part) else float("nan")
        if group:
            table.insert(0, group, key)
        parts.append(table.sort_values("count", ascending=False, kind="stable"))
    out = pd.concat(parts, ignore_index=True)
    out.insert(out.columns.get_loc("code") + 1, "theme", out["code"].map(names).fillna(out["code"]))
    return out.astype({"count": "int64"})


def themes_sentence(agreement, counts, top: int = 3, who: tuple[str, str] | None = None) -> str:
    """Coder agreement and the most frequent agreed themes.

    Parameters
    ----------
    agreement : pandas.DataFrame
        :func:`laoyou_eval.reliability.agreement` (one row).
    counts : pandas.DataFrame
        :func:`theme_counts` without groups.
    top : int, default 3
        How many themes to name.
    who : (str, str), optional
        Whose answers ``counts`` covers, in Chinese and English (e.g. ("项目组", "the
        programme group")), when not everyone's.

    Returns
    -------
    str
    """
    row = agreement.iloc[0]
    agreed = int(counts["count"].sum())
    shown = counts[counts["count"] > 0].head(top)
    zh_list = "、".join(f"“{r.theme}”（{_pct(r.share)}）" for r in shown.itertuples())
    en_list = ", ".join(f"'{r.theme}' ({_pct(r.share)})" for r in shown.itertuples())
    zh = (f"两位编码员独立为 {int(row['n_units'])} 条开放回答编码，两人都编码的 {int(row['n'])} 条中一致率为 "
          f"{_pct(row['percent_agreement'])}，Cohen κ = {_num(row['cohen_kappa'])}"
          f"（{_ci(row['kappa_ci_low'], row['kappa_ci_high'])}），Krippendorff α = {_num(row['krippendorff_alpha'])}。"
          f"在{who[0] if who else ''}两人编码一致的 {agreed} 条回答中，最常见的主题是{zh_list}；不一致的回答留待讨论后再定。")
    en = (f"Two coders coded {int(row['n_units'])} open answers independently; of the {int(row['n'])} both coded, "
          f"they agreed on {_pct(row['percent_agreement'])}, Cohen's κ = {_num(row['cohen_kappa'])} "
          f"({_ci(row['kappa_ci_low'], row['kappa_ci_high'])}), Krippendorff's α = {_num(row['krippendorff_alpha'])}. "
          f"Among the {agreed} answers {('of ' + who[1] + ' ') if who else ''}they coded alike, the most frequent "
          f"themes were {en_list}; answers coded differently wait for the coders' discussion.")
    return _sentence(zh, en)


def dose_sentence(row, outcome: str, dose: str, per: float = 10.0, unit: tuple[str, str] = ("小时", "hours")) -> str:
    """A dose–response slope in words, scaled to ``per`` units of dose.

    Parameters
    ----------
    row : mapping
        A row of :func:`laoyou_eval.outcomes.dose_response`.
    outcome, dose : str
        Labels of the outcome and the dose, in the report language.
    per : float, default 10
        Dose step of the sentence ("every 10 more hours").
    unit : (str, str)
        The dose unit in Chinese and English.

    Returns
    -------
    str
        Says that this is an association within the programme group, not a causal effect.
    """
    from laoyou_eval.outcomes.sentences import format_p

    slope, low, high = (float(row[c]) * per for c in ("slope", "slope_ci_low", "slope_ci_high"))
    per_text = f"{per:g}"
    zh = (f"在项目组内（n = {int(row['n'])}），{dose}每多 {per_text} {unit[0]}，{outcome}的变化平均多 {_num(slope)} 分"
          f"（{_ci(low, high)}，{format_p(row['p'])}；Spearman ρ = {_num(row['spearman_rho'])}）。"
          f"这是项目组内部的相关，投入更多的家庭可能本来就不同，不能当作因果效应。")
    en = (f"Within the programme group (n = {int(row['n'])}), every {per_text} more {unit[1]} in {dose.lower()} went "
          f"with a change in {outcome} that differed by {_num(slope)} points ({_ci(low, high)}, {format_p(row['p'])}; "
          f"Spearman ρ = {_num(row['spearman_rho'])}). This is an association within the programme: families "
          f"who engage more may differ in other ways, so it is not a causal dose effect.")
    return _sentence(zh, en)


def small_sample_sentence(paired) -> str:
    """Limitation: the number of programme completers and the smallest detectable effect.

    Parameters
    ----------
    paired : pandas.DataFrame
        :func:`laoyou_eval.outcomes.paired_table` rows of the programme arm (any outcomes).

    Returns
    -------
    str
    """
    programme = paired[paired["arm"] == "programme"]
    n_min, n_max = int(programme["n"].min()), int(programme["n"].max())
    mde = programme["mde_d_z"].max()
    n_text = f"{n_min}" if n_min == n_max else f"{n_min}–{n_max}"
    zh = (f"样本小：项目组只有 {n_text} 人完成前后测，在 80% 把握度下只能可靠检测 d_z 约 {_num(mde)} 以上的效应；"
          f"较小的效应即使存在也可能显示为“不显著”，而显著的估计也可能高估真实效应。")
    en = (f"Small sample: only {n_text} programme participants completed both waves, so only effects of about "
          f"d_z = {_num(mde)} or larger could be detected reliably (80% power); smaller effects may show as "
          f"'not significant', and significant estimates may overstate the true effect.")
    return _sentence(zh, en)


def design_sentence(baseline) -> str:
    """Limitation: a waitlist comparison group, not randomised, and its baseline balance.

    Parameters
    ----------
    baseline : pandas.DataFrame
        :func:`laoyou_eval.outcomes.baseline_imbalance` (``variable``, ``smd``, ``imbalanced``).

    Returns
    -------
    str
    """
    baseline = baseline.reset_index(drop=True)
    k, m = int(baseline["imbalanced"].sum()), len(baseline)
    worst = baseline.loc[baseline["smd"].abs().idxmax()]
    zh = (f"非随机分组：对照组来自候补名单，而不是随机分配。基线时 {m} 个指标中有 {k} 个的两组标准化均差超过 0.1"
          f"（最大为{label(worst['variable'])}，SMD = {_num(worst['smd'])}）；双重差分扣除了起点差异，"
          f"但前提是两组在没有项目时会同样地变化（平行趋势），这一点无法直接检验。")
    en = (f"No randomisation: the comparison group is a waitlist, not randomly allocated. At baseline {k} of {m} "
          f"measures differed between the arms by more than 0.1 standardised mean differences (largest: "
          f"{label(worst['variable'])}, SMD = {_num(worst['smd'])}); difference-in-differences removes the "
          f"difference in starting points, but only if both arms would have changed alike without the programme "
          f"(parallel trends), which cannot be tested directly.")
    return _sentence(zh, en)


def attrition_sentence(paired, dropouts) -> str:
    """Limitation: loss to follow-up per arm, and how dropouts differed at baseline.

    Parameters
    ----------
    paired : pandas.DataFrame
        :func:`laoyou_eval.outcomes.paired_table` of one outcome (one row per arm).
    dropouts : pandas.DataFrame
        :func:`laoyou_eval.outcomes.completers_vs_dropouts` of one outcome (one row).

    Returns
    -------
    str
    """
    arms = paired.set_index("arm")
    row = dropouts.iloc[0]
    what = label(row["variable"])
    zh = (f"流失：项目组 {_pct(arms.loc['programme', 'attrition'])}、对照组 {_pct(arms.loc['comparison', 'attrition'])}"
          f"的人没有完成 6 个月随访。流失者基线的{what}均值为 {_num(row['mean_dropouts'])}，完成者为 "
          f"{_num(row['mean_completers'])}（SMD = {_num(row['smd'])}），流失不是完全随机的；混合模型和多重插补"
          f"（见前后测结果笔记本）在“随机缺失”假设下检验了结论是否稳健。")
    en = (f"Attrition: {_pct(arms.loc['programme', 'attrition'])} of the programme group and "
          f"{_pct(arms.loc['comparison', 'attrition'])} of the comparison group missed the 6-month follow-up. "
          f"Dropouts' mean baseline {what} was {_num(row['mean_dropouts'])} against {_num(row['mean_completers'])} "
          f"for completers (SMD = {_num(row['smd'])}), so attrition was not completely at random; the mixed model "
          f"and multiple imputation (outcomes notebook) check the conclusions under a missing-at-random assumption.")
    return _sentence(zh, en)
