"""Bilingual explanations of the network measures' ``note`` codes, and :func:`localise` for
network tables (notes explained, then :func:`laoyou_eval.report.localise`).  The words
themselves (columns, categories, roles) are in the shared vocabulary (:mod:`laoyou_eval.i18n`).
This module is presentation: analysis functions write the codes, only display code reads them.
"""

from __future__ import annotations

import pandas as pd

from laoyou_eval import i18n
from laoyou_eval.i18n import explain

#: note code -> (zh, en); the shared catalogue of :mod:`laoyou_eval.i18n` (``notes.yaml``).
NOTES = i18n.NOTES


def explain_note(note: str) -> str:
    """A note of the measure tables ("code; code") in the report language.

    Examples
    --------
    >>> from laoyou_eval import i18n
    >>> i18n.set_language("en"); explain_note("one_alter; sex_missing=1")
    'one alter: density and the like undefined; sex missing for 1 alter(s), left out'
    >>> i18n.set_language("zh")
    """
    return explain(note, NOTES)


def localise(df: pd.DataFrame, values=(), index: str | None = None) -> pd.DataFrame:
    """Display copy of a network table in the report language: :func:`laoyou_eval.report.localise`
    (columns and the listed value columns translated, notes explained, missing cells as "—")."""
    from laoyou_eval import report

    return report.localise(df, values=tuple(values), index=index)
