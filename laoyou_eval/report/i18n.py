"""Bilingual (zh/en) text.

Two languages are tracked separately:

* the *report language* (``set_language``), chosen by the user, default Chinese;
* the *figure language*, which is the report language unless no CJK font is installed, in
  which case :func:`laoyou_eval.report.fonts.use_chinese_font` switches figures to English
  so that no text is drawn as empty boxes.
"""

from __future__ import annotations

_LANGUAGES = ("zh", "en")
_state = {"report": "zh", "cjk_font": True}


def set_language(lang: str) -> None:
    """Set the report language, ``"zh"`` (default) or ``"en"``."""
    if lang not in _LANGUAGES:
        raise ValueError(f"语言只能是 zh 或 en / language must be 'zh' or 'en', got {lang!r}")
    _state["report"] = lang


def report_language() -> str:
    """The language chosen for sentences and tables."""
    return _state["report"]


def figure_language() -> str:
    """The language used inside figures: English when no CJK font is available."""
    return _state["report"] if _state["cjk_font"] else "en"


def _set_cjk_available(available: bool) -> None:
    _state["cjk_font"] = available


#: Bilingual labels of values and column names used across tables and figures: value -> (zh, en).
VOCABULARY: dict[str, tuple[str, str]] = {
    # study arms and populations
    "programme": ("项目组", "Programme"),
    "comparison": ("对照组", "Comparison"),
    "unmatched": ("未匹配", "Unmatched"),
    "residents": ("居民", "Residents"),
    "caregivers": ("家长", "Caregivers"),
    # activities and participant types of the process records
    "融合篮球班": ("融合篮球班", "Inclusive basketball"),
    "生日会": ("生日会", "Birthday party"),
    "家长互动学习小组": ("家长互动学习小组", "Parent learning group"),
    "心理支持聚餐": ("心理支持聚餐", "Support dinner"),
    "居民": ("居民", "Residents"),
    "家长": ("家长", "Caregivers"),
    "志愿者": ("志愿者", "Volunteers"),
    # column names
    "file": ("文件", "File"),
    "kind": ("类别", "Kind"),
    "about": ("内容", "About"),
    "rows": ("行数", "Rows"),
    "columns": ("列数", "Columns"),
    "encoding": ("编码", "Encoding"),
    "population": ("人群", "Population"),
    "wave": ("波次", "Wave"),
    "layout": ("导出格式", "Layout"),
    "arm": ("组别", "Arm"),
    "submissions": ("提交份数", "Submissions"),
    "respondents": ("受访人数", "Respondents"),
    "duplicate_submissions": ("重复提交", "Duplicate submissions"),
    "ids_normalised": ("编号已规范化", "IDs normalised"),
    "activity": ("活动", "Activity"),
    "sessions": ("场次", "Sessions"),
    "visits": ("参与人次", "Person-visits"),
    "participant_type": ("参与者类型", "Participant type"),
    "measure": ("指标", "Measure"),
    "kept": ("保留份数", "Kept"),
    "cross_checked_with": ("核对用序号导出", "Cross-checked with"),
    "row": ("行号", "Row"),
    "respondent": ("受访者", "Respondent"),
    "respondent_id": ("受访者编号", "Respondent"),
    "column": ("列", "Column"),
    "value": ("值", "Value"),
    "issue": ("问题类型", "Issue"),
    "message": ("说明", "Message"),
    "action": ("处理", "Action"),
    # missing kinds
    "skipped": ("逻辑跳过", "Skipped by logic"),
    "not_applicable": ("不适用（未显示）", "Not applicable (hidden)"),
    "refused": ("拒答", "Refused"),
    "blank": ("空白", "Blank"),
    "invalid": ("无效", "Invalid"),
    # scale statistics
    "scale": ("量表", "Scale"),
    "k": ("条目数", "Items"),
    "n": ("样本量", "n"),
    "mean": ("均值", "Mean"),
    "sd": ("标准差", "SD"),
    "alpha": ("α 系数", "Alpha"),
    "ci_low": ("95% CI 下限", "95% CI low"),
    "ci_high": ("95% CI 上限", "95% CI high"),
    "alpha_std": ("标准化 α", "Standardized alpha"),
    "omega_total": ("ω 系数", "Omega total"),
    "reference_alpha": ("文献 α", "Published alpha"),
    "note": ("备注", "Note"),
    "item": ("条目", "Item"),
    "citc": ("校正项总计相关性", "Corrected item-total r"),
    "alpha_if_deleted": ("项已删除的 α", "Alpha if item deleted"),
    "percent_agreement": ("一致率", "Percent agreement"),
    "cohen_kappa": ("Cohen κ", "Cohen's kappa"),
    "kappa_se": ("κ 标准误", "Kappa SE"),
    "kappa_ci_low": ("κ 95% CI 下限", "Kappa 95% CI low"),
    "kappa_ci_high": ("κ 95% CI 上限", "Kappa 95% CI high"),
    "krippendorff_alpha": ("Krippendorff α", "Krippendorff's alpha"),
    "n_units": ("回答条数", "Units"),
    "status": ("状态", "Status"),
    "disagree": ("两人编码不同", "Coders disagree"),
    "only_a": ("仅编码员 A 编码", "Coded by A only"),
    "only_b": ("仅编码员 B 编码", "Coded by B only"),
    "uncoded": ("两人均未编码", "Coded by neither"),
    "count": ("数量", "Count"),
    "dropped": ("去掉的变量", "Left out"),
    "none": ("不去掉", "none"),
    "classes": ("组合数", "Combinations"),
    "k_achieved": ("最小组合人数", "Smallest group (k)"),
    "people_at_risk": ("可能被识别的人数", "People at risk"),
    "age_band": ("年龄段", "Age band"),
    "sex": ("性别", "Sex"),
    "disability_type": ("残疾类别", "Disability type"),
    "community": ("社区", "Community"),
}


def label(value, *, figure: bool = False) -> str:
    """The zh or en label of a known value or column name; other values unchanged.

    Examples
    --------
    >>> set_language("en"); label("programme")
    'Programme'
    >>> set_language("zh"); label("programme")
    '项目组'
    """
    pair = VOCABULARY.get(str(value))
    return text(*pair, figure=figure) if pair else str(value)


def wave_label(wave: int, *, figure: bool = False) -> str:
    """Label of survey wave 1 (baseline) or 2 (6-month follow-up)."""
    return text("基线", "Baseline", figure=figure) if int(wave) == 1 else text("6个月", "6 months", figure=figure)


def text(zh: str, en: str, *, figure: bool = False) -> str:
    """Pick ``zh`` or ``en`` for the current report (or figure) language.

    Parameters
    ----------
    zh, en : str
        The same text in Chinese and English.
    figure : bool, default False
        True for text drawn inside a figure (falls back to English without a CJK font).

    Examples
    --------
    >>> set_language("en"); text("孤独感", "loneliness")
    'loneliness'
    >>> set_language("zh"); text("孤独感", "loneliness")
    '孤独感'
    """
    lang = figure_language() if figure else report_language()
    return zh if lang == "zh" else en
