"""Identifiers back in the user's type.

Validation compares ids as stripped text (3, 3.0, "3" and " 3" are one ego; see
:func:`laoyou_eval.networks.model.validate`), so the computations carry text keys.  Results
hand the ids back as the user passed them, so that ``egos.merge(measures, on="ego_id")``
works with integer ids too.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from laoyou_eval.networks.model import key_series


def user_ids(keys, *sources):
    """The original values behind text ``keys``, taken from the first of ``sources`` (id
    columns as passed: Series, lists or None) that holds each key.

    Returns an array with the dtype of the first source that holds every key (e.g. int64;
    text ids come back as plain text whatever string dtype held them); keys found in none of
    the sources stay text.

    Examples
    --------
    >>> import pandas as pd
    >>> list(map(int, user_ids(["2", "10"], pd.Series([10, 2, 2]))))
    [2, 10]
    """
    keys = list(keys)
    for source in sources:
        if source is None:
            continue
        column = source if isinstance(source, pd.Series) else pd.Series(list(source))
        text = key_series(column)
        first = ~text.duplicated() & text.notna()
        lookup = pd.Series(column[first].to_numpy(), index=text[first].to_numpy())
        if set(keys) <= set(lookup.index):
            values = lookup.loc[keys].to_numpy() if keys else np.array([], dtype=object)
            if pd.api.types.is_string_dtype(column.dtype):  # text stays pandas' default text type
                return np.asarray(values, dtype=object)
            return pd.Series(values, dtype=column.dtype).array
    return np.asarray(keys, dtype=object)


def ego_id_sources(alters, egos, ego):
    """The id columns the user passed, egos table first (for :func:`user_ids`)."""
    if egos is None:
        given = None
    elif isinstance(egos, pd.DataFrame):
        given = egos[ego] if ego in egos else None
    else:
        given = egos
    return given, alters[ego] if ego in alters else None
