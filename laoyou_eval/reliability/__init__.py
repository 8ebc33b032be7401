"""Reliability of scales and agreement between raters and coders.

Scale consistency (:mod:`~laoyou_eval.reliability.consistency`): Cronbach's alpha with Feldt,
Duhachek–Iacobucci or bootstrap intervals (:func:`cronbach_alpha`), SPSS-style item analysis
(:func:`item_analysis`), one-factor omega total (:func:`omega_total`) and :func:`scale_table`.
Rater reliability (:mod:`~laoyou_eval.reliability.raters`): the six intraclass correlations of
McGraw & Wong (1996) with Shrout & Fleiss (1979) names (:func:`icc`).  Coder agreement
(:mod:`~laoyou_eval.reliability.coders`): percent agreement, Cohen's kappa and Krippendorff's
alpha (:func:`agreement`, and :func:`krippendorff_alpha` for k coders at four levels) and the
list of units to reconcile (:func:`disagreements`).

Every function returns a tidy :class:`pandas.DataFrame` with fixed snake_case columns.  A
statistic that is undefined for the data is NaN and the ``note`` column says why with
language-neutral codes ("negative_alpha", "listwise_rows_left_out=3|12"); they are put into
words only when shown, by :func:`laoyou_eval.reliability.notes.explain_note` and
:func:`laoyou_eval.reliability.notes.localise`.  Bad input raises
:class:`laoyou_eval.errors.LaoyouError` in Chinese and English.
"""

from __future__ import annotations

from laoyou_eval.reliability.coders import (
    AGREEMENT_COLUMNS,
    DISAGREEMENT_COLUMNS,
    KRIPPENDORFF_COLUMNS,
    agreement,
    disagreements,
    krippendorff_alpha,
)
from laoyou_eval.reliability.consistency import (
    ALPHA_COLUMNS,
    BOOT_CELLS,
    ITEM_COLUMNS,
    OMEGA_COLUMNS,
    SCALE_TABLE_COLUMNS,
    _resampled_alphas,
    _resampled_alphas_pairwise,
    cronbach_alpha,
    item_analysis,
    omega_total,
    scale_table,
)
from laoyou_eval.reliability.raters import ICC_COLUMNS, icc

__all__ = ["AGREEMENT_COLUMNS", "ALPHA_COLUMNS", "BOOT_CELLS", "DISAGREEMENT_COLUMNS", "ICC_COLUMNS", "ITEM_COLUMNS",
           "KRIPPENDORFF_COLUMNS", "OMEGA_COLUMNS", "SCALE_TABLE_COLUMNS", "_resampled_alphas",
           "_resampled_alphas_pairwise", "agreement", "cronbach_alpha", "disagreements", "icc", "item_analysis",
           "krippendorff_alpha", "omega_total", "scale_table"]
