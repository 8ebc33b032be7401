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
