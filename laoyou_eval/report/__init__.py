"""Figures, tables and bilingual text for notebooks and reports.

Heavy libraries (matplotlib, seaborn) are imported inside the functions that need them.
"""

from laoyou_eval.i18n import figure_language, label, set_language, text, wave_label
from laoyou_eval.report.fonts import FontSetup, theme, use_chinese_font
from laoyou_eval.report.tables import band_label, ego_network_table, localise, quality_table, study_label

__all__ = ["FontSetup", "band_label", "ego_network_table", "figure_language", "label", "localise", "quality_table",
           "set_language", "study_label", "text", "theme", "use_chinese_font", "wave_label"]
