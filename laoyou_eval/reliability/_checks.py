"""Argument and item-column checks shared by the reliability modules (private)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from laoyou_eval.errors import LaoyouError


def is_real_number(value) -> bool:
    return isinstance(value, (int, float, bool, np.integer, np.floating, np.bool_))


def is_numeric(dtype) -> bool:
    return pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_numeric_dtype(dtype)


def column_to_float(series: pd.Series, name: str, position: int) -> np.ndarray:
    """One item column as float64 with NaN for missing; non-numeric content is an error."""
    if is_numeric(series.dtype):
        values = series.to_numpy(dtype=float, na_value=np.nan)
    else:
        bad = [(i, v) for i, v in enumerate(series.tolist())
               if not pd.isna(v) and not is_real_number(v)]
        if bad:
            row, value = bad[0]
            raise LaoyouError(
                f"第 {position + 1} 个题目列“{name}”含有非数字内容（例如 {value!r}），"
                "无法计算信度。",
                f"Item column {name!r} (item {position + 1}) holds non-numeric values "
                f"(e.g. {value!r}); reliability needs numeric item scores.",
                row=row + 2, column=str(name),
                hint_zh="先用编码表（coding）把答案文字转换成数字代码，再计算信度。",
                hint_en="code the answers to numbers with the codebook (coding) first.")
        values = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    check_finite(values, name)
    return values


def check_finite(values: np.ndarray, name: str) -> None:
    if np.isinf(values).any():
        row = int(np.flatnonzero(np.isinf(values))[0])
        raise LaoyouError(f"题目列“{name}”含有无穷大的值。",
                          f"Item column {name!r} contains an infinite value.",
                          row=row + 2, column=str(name),
                          hint_zh="检查该单元格的数据。", hint_en="check that cell.")


def frame_to_float(frame: pd.DataFrame, names: list[str]) -> np.ndarray:
    """An (n, k) float64 array of the item columns; all-numeric frames are converted at once."""
    if not all(is_numeric(dtype) for dtype in set(frame.dtypes)):
        cols = [column_to_float(frame.iloc[:, j], names[j], j) for j in range(frame.shape[1])]
        return np.column_stack(cols) if cols else np.empty((len(frame), 0))
    X = frame.to_numpy(dtype=float, na_value=np.nan)
    if np.isinf(X).any():
        for j, name in enumerate(names):
            check_finite(X[:, j], name)
    return X


def item_matrix(items, *, min_items: int = 2) -> tuple[np.ndarray, list[str]]:
    """Return ``(X, names)``: an (n, k) float array with NaN for missing, and item names."""
    if isinstance(items, pd.Series):
        items = items.to_frame()
    if isinstance(items, pd.DataFrame):
        names = [str(c) for c in items.columns]
        if len(set(names)) != len(names):
            dup = pd.Index(names)[pd.Index(names).duplicated()][0]
            raise LaoyouError(f"题目列名“{dup}”重复出现。", f"Item column {dup!r} appears twice.",
                              column=dup, hint_zh="每个题目只保留一列。",
                              hint_en="keep one column per item.")
        X = frame_to_float(items, names)
    else:
        try:
            arr = np.asarray(items)
        except Exception as exc:  # ragged lists and the like
            raise LaoyouError("题目数据无法转换为二维表。", "Item data cannot be read as a 2-D table.",
                              hint_zh="传入 DataFrame（行=受访者，列=题目）。",
                              hint_en="pass a DataFrame (rows = respondents, columns = items).") from exc
        if arr.ndim != 2:
            raise LaoyouError(
                f"题目数据必须是二维的（行=受访者，列=题目），这里是 {arr.ndim} 维。",
                f"Item data must be 2-D (rows = respondents, columns = items); got {arr.ndim}-D.",
                hint_zh="传入 DataFrame 或二维数组。", hint_en="pass a DataFrame or a 2-D array.")
        names = [f"item_{j + 1}" for j in range(arr.shape[1])]
        frame = pd.DataFrame(arr.tolist() if arr.dtype.kind not in "biuf" else arr, columns=names)
        X = frame_to_float(frame, names)
    k = X.shape[1]
    if k < min_items:
        raise LaoyouError(
            f"至少需要 {min_items} 个题目，这里只有 {k} 个。",
            f"At least {min_items} items are needed; got {k}.",
            hint_zh="检查是否选对了量表的题目列。", hint_en="check that you selected the scale's item columns.")
    empty = np.flatnonzero(np.isnan(X).all(axis=0))
    if empty.size:
        name = names[int(empty[0])]
        raise LaoyouError(
            f"题目“{name}”没有任何有效回答（全部缺失）。",
            f"Item {name!r} has no answers at all (all missing).",
            column=name, hint_zh="删除该列，或检查编码是否把所有答案都变成了缺失。",
            hint_en="drop the column, or check whether coding turned every answer into a missing value.")
    return X, names


def check_ci(ci: float) -> float:
    if not (isinstance(ci, (int, float, np.floating)) and 0 < float(ci) < 1):
        raise LaoyouError(f"置信水平 ci 必须在 0 和 1 之间，这里是 {ci!r}。",
                          f"ci must lie strictly between 0 and 1; got {ci!r}.",
                          hint_zh="例如 ci=0.95。", hint_en="e.g. ci=0.95.")
    return float(ci)


def check_choice(value, allowed: Sequence[str], argument: str) -> str:
    if value not in allowed:
        raise LaoyouError(f"参数 {argument} 只能是 {', '.join(allowed)}，这里是 {value!r}。",
                          f"{argument} must be one of {', '.join(allowed)}; got {value!r}.")
    return value


def note_code(name: str, *args) -> str:
    """A language-neutral note: ``name`` or ``name=arg|arg``; the words are in
    :data:`laoyou_eval.reliability.notes.NOTES`."""
    return name + ("=" + "|".join(str(a) for a in args) if args else "")


def join_notes(notes: Sequence[str]) -> str:
    return "; ".join(n for n in notes if n)


def long_to_wide(data, item: str, score: str, subject: str) -> pd.DataFrame:
    """Respondents × items table from long data (one row per subject and item), as pingouin's
    ``cronbach_alpha(data, items=, scores=, subject=)`` accepts; a repeated (subject, item)
    pair is an error."""
    if not isinstance(data, pd.DataFrame):
        raise LaoyouError("长格式数据必须是 DataFrame。", "Long-format data must be a DataFrame.")
    missing = [c for c in (item, score, subject) if c not in data.columns]
    if missing:
        raise LaoyouError(f"找不到列“{missing[0]}”。", f"Column {missing[0]!r} not found.", column=str(missing[0]),
                          hint_zh=f"现有列：{', '.join(map(str, data.columns))}。",
                          hint_en=f"available columns: {', '.join(map(str, data.columns))}.")
    dup = data.duplicated([subject, item], keep=False)
    if dup.any():
        first = data[dup].iloc[0]
        raise LaoyouError(f"受访者 {first[subject]!r} 的题目 {first[item]!r} 出现不止一次。",
                          f"Subject {first[subject]!r} has item {first[item]!r} more than once.",
                          row=int(np.flatnonzero(dup.to_numpy())[0]) + 2, column=str(item),
                          hint_zh="每个（受访者，题目）只保留一行。", hint_en="keep one row per (subject, item).")
    return data.pivot(index=subject, columns=item, values=score)
