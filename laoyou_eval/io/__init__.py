"""Readers for raw exports.  Every reader reports the encoding it used and never guesses silently.

* :func:`read_wjx` — 问卷星 text and code exports (.xls, .xlsx, .csv);
* :func:`read_table` — any CSV or Excel table, as text;
* :func:`read_spss` — SPSS .sav with value labels;
* :func:`read_kobo` — KoboToolbox/ODK exports (the XLSForm is the codebook).
"""

from laoyou_eval.io.kobo import read_kobo
from laoyou_eval.io.spss import read_spss
from laoyou_eval.io.tables import SUPPORTED_ENCODINGS, detect_encoding, read_table
from laoyou_eval.io.wjx import quality_report, questions, read_wjx

__all__ = ["SUPPORTED_ENCODINGS", "detect_encoding", "quality_report", "questions", "read_kobo", "read_spss",
           "read_table", "read_wjx"]
