"""The methods paragraph of response-quality screening (:mod:`laoyou_eval.coding.screening`),
in the report language: each rule's threshold, its source and what it flagged."""

from __future__ import annotations

from laoyou_eval.coding.screening import RULE_LABELS, RULES, ScreeningSettings, _date, summary


def _criteria(rule: str, o: dict) -> tuple[str, str]:
    """What the rule flags, in Chinese and English, from its settings."""
    if rule == "speeder":
        if o["min_seconds"] is not None:
            return f"所用时间少于 {o['min_seconds']:g} 秒", f"a completion time under {o['min_seconds']:g} s"
        p = o["seconds_per_item"]
        return (f"所用时间少于每道已答题 {p:g} 秒（Huang 等，2012）",
                f"a completion time under {p:g} s per answered item (Huang et al., 2012)")
    if rule == "straightline":
        zh, en = [], []
        if o["reverse_keyed"]:
            zh.append("含反向计分题的量表上全部答案相同" + ("（量表中点除外）" if o["midpoint_ok"] else "") + "（Curran，2016）")
            en.append("the same answer to every item of a scale with reverse-keyed items"
                      + (" (other than the midpoint)" if o["midpoint_ok"] else "") + " (Curran, 2016)")
        run_zh = f"连续 {o['max_run']} 题答案相同" if o["max_run"] else "全部答案相同"
        run_en = f"a run of {o['max_run']} identical answers" if o["max_run"] else "identical answers throughout"
        zh.append(f"在 {o['min_items']} 题及以上的量表中{run_zh}（Johnson，2005）")
        en.append(f"{run_en} on a scale of {o['min_items']} or more items (Johnson, 2005)")
        return "，或".join(zh), ", or ".join(en)
    if rule == "test_entry":
        zh, en = [], []
        before = o["before"]
        if before is not None:
            dates = "、".join(f"{_date(v):%Y-%m-%d}" for v in (before.values() if isinstance(before, dict) else [before]))
            zh.append(f"提交时间早于正式开始日期（{dates}）")
            en.append(f"submitted before the fieldwork start ({dates.replace('、', ', ')})")
        if o["ids"]:
            zh.append(f"编号为声明的 {len(o['ids'])} 个测试编号之一")
            en.append(f"one of {len(o['ids'])} declared test identifiers")
        if o["sources"]:
            zh.append(f"来源为声明的 {len(o['sources'])} 个测试来源之一")
            en.append(f"one of {len(o['sources'])} declared test sources")
        if not zh:
            return "未声明测试条件，本规则未启用", "no test conditions were declared, so the rule was inactive"
        return "，或".join(zh), ", or ".join(en)
    if rule == "duplicate":
        zh, en = [], []
        if o["same_respondent"]:
            zh.append("同一编号多次提交")
            en.append("the same identifier submitted more than once")
        if o["same_device"]:
            sim = o["similarity"]
            zh.append("与另一份答卷的 IP 地址、微信账号或个人信息题答案（姓名、电话等）相同" + (
                f"且答案相同比例不低于 {sim:.0%}（Kuriakose & Robbins，2016）" if sim else ""))
            en.append("sharing an IP address, WeChat account or personal answer (name, phone …) with another "
                      "submission" + (f" and at least {sim:.0%} identical answers (Kuriakose & Robbins, 2016)"
                                      if sim else ""))
        if not zh:
            return "本规则未启用", "the rule was inactive"
        return "，或".join(zh), ", or ".join(en)
    if rule == "contradiction":
        k = len(o["rules"])
        return ("违反编码表中的 constraint 约束" + (f"或研究设定的 {k} 条逻辑规则" if k else ""),
                "an answer that violates a codebook constraint" + (f" or one of {k} study rules" if k else ""))
    return ("与编码表中的 relevant 跳题逻辑不符（不应出现却已作答，或应作答却被跳过）",
            ("answers that contradict the codebook's relevant (skip) logic: answered when not relevant, or "
             "skipped when relevant"))


def methods_text(settings: ScreeningSettings, flags, lang: str | None = None) -> str:
    """A methods paragraph describing the screening, its thresholds and what it flagged.

    Parameters
    ----------
    settings : ScreeningSettings
    flags : pandas.DataFrame
        :attr:`Screening.flags` (concatenated over the study's surveys).
    lang : {"zh", "en"}, optional
        Default: the report language.

    Returns
    -------
    str

    Examples
    --------
    >>> import pandas as pd
    >>> flags = pd.DataFrame({"respondent_id": ["A", "B"], "wave": 1, **{r: [False, False] for r in RULES},
    ...                       "flagged": False, "excluded": False, "excluded_by": ""})
    >>> flags.loc[0, ["speeder", "flagged"]] = True
    >>> text = methods_text(ScreeningSettings(), flags, lang="en")
    >>> text.split(". ")[0]
    'Response quality was screened by flagging, not deleting, submissions (2 screened, 1 flagged by at least one rule)'
    """
    if lang is None:
        from laoyou_eval.i18n import report_language

        lang = report_language()
    counts = summary(flags, settings).set_index("rule")
    zh_parts, en_parts, everyone = [], [], []
    for rule in RULES:
        c_zh, c_en = _criteria(rule, settings[rule])
        n = int(counts.at[rule, "flagged"])
        zh_parts.append(f"{RULE_LABELS[rule][0]}——{c_zh}（标记 {n} 份）")
        en_parts.append(f"{RULE_LABELS[rule][1]}: {c_en} ({n} flagged)")
        if n and n == len(flags):
            everyone.append(rule)
    n_all, n_excluded = len(flags), int(counts.at["any", "excluded"])
    excluded = [(rule, int(counts.at[rule, "excluded"])) for rule in settings.excluding if rule not in everyone]
    if lang == "zh":
        text = (f"答卷质量筛查只做标记、不删除数据（共筛查 {n_all} 份答卷，{int(counts.at['any', 'flagged'])} 份"
                f"至少被一条规则标记）。规则为：{'；'.join(zh_parts)}。")
        if excluded:
            listing = "、".join(f"{RULE_LABELS[r][0]}（{n} 份）" for r, n in excluded)
            text += f"按研究设定，{listing}标记的答卷不进入分析，共排除 {n_excluded} 份；其余标记的答卷保留。"
        else:
            text += "按研究设定，没有答卷因筛查被排除。"
        if everyone:
            text += f"规则“{'”“'.join(RULE_LABELS[r][0] for r in everyone)}”标记了全部答卷，阈值可能不适合本研究，未用于排除。"
        return text + "敏感性分析比较了包含与不包含被标记者时的主要结果。"
    text = (f"Response quality was screened by flagging, not deleting, submissions ({n_all} screened, "
            f"{int(counts.at['any', 'flagged'])} flagged by at least one rule). The rules were: {'; '.join(en_parts)}. ")
    if excluded:
        listing = ", ".join(f"{RULE_LABELS[r][1]} ({n})" for r, n in excluded)
        text += (f"As the study specifies, submissions flagged as {listing} were excluded from the analysis "
                 f"({n_excluded} in all); other flagged submissions were kept. ")
    else:
        text += "As the study specifies, no submission was excluded by the screening. "
    if everyone:
        text += (f"The rule(s) {', '.join(RULE_LABELS[r][1] for r in everyone)} flagged every submission, so their "
                 "threshold is probably unsuitable and they excluded nobody. ")
    return text + "A sensitivity analysis compares the main results with and without the flagged respondents."
