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
