"""Readers for raw exports.  Every reader reports the encoding it used and never guesses silently."""

from laoyou_eval.io.tables import SUPPORTED_ENCODINGS, detect_encoding, read_table
from laoyou_eval.io.wjx import quality_report, questions, read_wjx

__all__ = ["SUPPORTED_ENCODINGS", "detect_encoding", "quality_report", "questions", "read_table", "read_wjx"]
