"""Identifiers back in the user's type.

Validation compares ids as stripped text (3, 3.0, "3" and " 3" are one ego; see
:func:`laoyou_eval.networks.model.validate`), so the computations carry text keys.  Results
hand the ids back as the user passed them, so that ``egos.merge(measures, on="ego_id")``
works with integer ids too.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from laoyou_eval.networks.model import Compiled


def ego_values(net: Compiled, alters: pd.DataFrame, egos, ego: str):
    """The egos' identifiers as passed, in ``net``'s order: taken from the row that listed
    each ego (``net.ego_rows``) in the egos table or, without one, in ``alters``.

    Returns an array of length E with the dtype of that column (e.g. int64; text ids come
    back as plain text whatever string dtype held them).

    Examples
    --------
    >>> import pandas as pd
    >>> from laoyou_eval.networks.model import prepare
    >>> alters = pd.DataFrame({"ego_id": [10, 2, 2], "alter_id": ["a", "a", "b"]})
    >>> _, _, net, _ = prepare(alters, None)
    >>> list(map(int, ego_values(net, alters, None, "ego_id")))
    [10, 2]
    """
    if egos is None:
        column = alters[ego]
    elif isinstance(egos, pd.DataFrame):
        column = egos[ego]
    else:
        column = pd.Series(list(egos))
    values = column.iloc[net.ego_rows]
    if pd.api.types.is_string_dtype(column.dtype):  # text stays pandas' default text type
        return np.asarray(values, dtype=object)
    return values.array
