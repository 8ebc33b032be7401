"""Figures, tables and bilingual text for notebooks and reports.

Heavy libraries (matplotlib, seaborn) are imported inside the functions that need them.
"""

from laoyou_eval.i18n import figure_language, label, set_language, text, wave_label
from laoyou_eval.report.fonts import FontSetup, theme, use_chinese_font
from laoyou_eval.report.tables import band_label, localise, quality_table

__all__ = ["FontSetup", "band_label", "figure_language", "label", "localise", "quality_table", "set_language", "text", "theme",
           "use_chinese_font", "wave_label"]
