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
    """Element-wise "; "-join of equally long arrays of note codes, skipping empty strings.

    Notes repeat (most egos share one of a few combinations), so each distinct combination
    is joined once and the results are gathered by integer code.
    """
    import pandas as pd

    if not parts:
        return np.array([], dtype=object)
    key = np.zeros(len(parts[0]), dtype=np.int64)
    for part in parts:  # one code per distinct combination of the parts so far
        codes, uniques = pd.factorize(np.asarray(part, dtype=object), use_na_sentinel=False)
        key, _ = pd.factorize(key * len(uniques) + codes)
    combos, rows = np.unique(key, return_index=True)
    joined = np.empty(len(combos), dtype=object)
    for combo, row in zip(combos, rows):
        joined[combo] = join(part[row] for part in parts)
    return joined[key]
