"""Shared checks of the Dask entry points (:func:`laoyou_eval.scoring.score_dask`,
:func:`laoyou_eval.networks.ego_measures_dask`).

Dask is optional (installed with the ``dev`` extra); it is imported only when one of these
functions is called, so ``import laoyou_eval`` never pays for it.
"""

from __future__ import annotations

from laoyou_eval.errors import LaoyouError


def dataframe_module():
    """``dask.dataframe``, or a bilingual error saying how to install it."""
    try:
        import dask.dataframe as dd
    except ImportError as exc:
        raise LaoyouError("这个函数需要 Dask。", "This function needs Dask.",
                          hint_zh='安装：pip install "dask[dataframe]" distributed',
                          hint_en='install it: pip install "dask[dataframe]" distributed') from exc
    return dd


def check_frame(dd, frame, what_zh: str, what_en: str) -> None:
    """Raise unless ``frame`` is a Dask DataFrame (pandas tables go to the pandas function)."""
    if not isinstance(frame, dd.DataFrame):
        raise LaoyouError(f"{what_zh}应该是 Dask DataFrame，这里是 {type(frame).__name__}。",
                          f"The {what_en} must be a Dask DataFrame, not {type(frame).__name__}.",
                          hint_zh="用 dask.dataframe.from_pandas 或 read_csv/read_parquet 读入；"
                                  "内存放得下的数据直接用 pandas 版本的函数。",
                          hint_en="make one with dask.dataframe.from_pandas or read_csv/read_parquet; "
                                  "for data that fit in memory use the pandas function.")


def text_columns(frame):
    """``frame`` with object columns as ``str`` (an empty partition infers object, a full one
    str; Dask needs every partition to match the metadata)."""
    return frame.astype({c: "str" for c in frame.columns if frame[c].dtype == object})
