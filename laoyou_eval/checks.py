"""Argument and column checks shared by every layer above the base: one wording, one place.

Each check raises :class:`~laoyou_eval.errors.LaoyouError` (zh + en, naming the file and
column when known) and otherwise returns the checked value.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from laoyou_eval.errors import LaoyouError

__all__ = ["check_choice", "check_level", "require_columns"]


def require_columns(table, columns: Sequence[str], *, what_zh: str = "数据", what_en: str = "data",
                    file=None, hint_zh: str | None = None, hint_en: str | None = None) -> None:
    """Raise when ``table`` lacks any of ``columns`` (all the missing ones are named).

    Parameters
    ----------
    table : pandas.DataFrame
    columns : sequence of str
        Required column names.
    what_zh, what_en : str
        What the table is ("被提名者表" / "alters table"), for the message.
    file : str or Path, optional
        Where the table came from (default ``table.attrs["source"]`` when set).
    hint_zh, hint_en : str, optional
        What to do; by default the columns the table does have.

    Examples
    --------
    >>> import pandas as pd
    >>> require_columns(pd.DataFrame({"a": [1]}), ["a"])
    >>> require_columns(pd.DataFrame({"a": [1]}), ["a", "b"], what_en="roster")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    laoyou_eval.errors.LaoyouError: ...The roster lacks column(s): b...
    """
    missing = [c for c in columns if c not in table.columns]
    if not missing:
        return
    shown = ", ".join(map(str, table.columns[:20]))
    raise LaoyouError(f"{what_zh}缺少列：{', '.join(missing)}。",
                      f"The {what_en} lacks column(s): {', '.join(missing)}.",
                      file=file if file is not None else table.attrs.get("source"), column=missing[0],
                      hint_zh=hint_zh or f"现有的列：{shown}", hint_en=hint_en or f"columns present: {shown}")


def check_choice(value, allowed: Sequence, argument: str):
    """``value`` when it is one of ``allowed``; otherwise an error naming the argument.

    >>> check_choice("jt", ("jt", "iverson"), "method")
    'jt'
    """
    if value not in allowed:
        raise LaoyouError(f"参数 {argument} 只能是 {', '.join(map(str, allowed))}，这里是 {value!r}。",
                          f"{argument} must be one of {', '.join(map(str, allowed))}; got {value!r}.")
    return value


def check_level(value: float, argument: str = "ci") -> float:
    """A confidence level strictly between 0 and 1, as float.

    >>> check_level(0.95)
    0.95
    """
    if not (isinstance(value, (int, float, np.floating)) and not isinstance(value, bool) and 0 < float(value) < 1):
        raise LaoyouError(f"{argument} 必须在 0 和 1 之间，这里是 {value!r}。",
                          f"{argument} must lie strictly between 0 and 1; got {value!r}.",
                          hint_zh="例如 0.95。", hint_en="e.g. 0.95.")
    return float(value)
