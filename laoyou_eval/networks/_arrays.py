"""Small array helpers shared by the measures: safe ratios and per-ego notes."""

from __future__ import annotations

import numpy as np

from laoyou_eval.i18n import join_notes as join


def ratio(numerator, denominator) -> np.ndarray:
    """numerator / denominator element-wise, NaN where the denominator is 0 (never 0 or inf)."""
    numerator = np.asarray(numerator, dtype=float)
    denominator = np.asarray(denominator, dtype=float)
    out = np.full(np.broadcast(numerator, denominator).shape, np.nan)
    np.divide(numerator, denominator, out=out, where=denominator != 0)
    return out


def join_notes(*parts) -> np.ndarray:
    """Element-wise "; "-join of equally long arrays of note codes, skipping empty strings."""
    return np.array([join(row) for row in zip(*parts)], dtype=object)
