"""Ego measures of networks larger than memory: Dask DataFrames, partitioned by ego.

Every ego's alters and ties are brought into the same partition (a hash shuffle of each
table on the ego key), each partition is put back in the order of the input rows, and
:func:`~laoyou_eval.networks.ego_measures` runs on it with ``map_partitions``.  An ego's
measures depend only on its own alters and ties, so the result equals the pandas one.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from laoyou_eval import _dask
from laoyou_eval.errors import LaoyouError
from laoyou_eval.networks.composition import category_order
from laoyou_eval.networks.measures import ego_measures
from laoyou_eval.networks.model import key_series

#: Helper columns added for the shuffle: the ego key as compared, and the input row order.
KEY, ORDER = "_ego_key", "_row_order"


def ego_measures_dask(alters, ties=None, egos=None, ego: str = "ego_id", alter: str = "alter_id", *,
                      npartitions: int | None = None, **options):
    """:func:`~laoyou_eval.networks.ego_measures` on Dask DataFrames, partition by partition.

    Parameters
    ----------
    alters, ties, egos : dask.dataframe.DataFrame
        The tables of :func:`~laoyou_eval.networks.ego_measures` (``ties`` and ``egos``
        optional), in any partitioning.
    ego, alter : str
        Ego and alter key columns.
    npartitions : int, optional
        Partitions of the result (default: the most partitions of the inputs).
    **options
        Other keyword arguments of :func:`~laoyou_eval.networks.ego_measures`.  ``errors``
        must stay ``"raise"``: with ``"flag"`` the per-partition problem reports would be lost
        when the partitions are combined.

    Returns
    -------
    dask.dataframe.DataFrame
        Lazy, one row per ego with the columns of
        :func:`~laoyou_eval.networks.ego_measures`; ``.compute()`` gives the same rows and
        values as the pandas function, grouped by partition instead of in the order of
        ``egos`` (sort or merge by ``ego`` to compare).

    Raises
    ------
    LaoyouError
        A table that is not a Dask DataFrame, or ``errors="flag"``; bad rows when the
        partition holding them is computed.

    Notes
    -----
    Alters, ties and egos are shuffled on the ego key as :func:`validate` compares it
    (stripped text, 3.0 = "3"), so one ego's rows meet in one partition whatever the column
    types.  Within a partition the rows are restored to their input order, so alters keep
    their positions and every value matches the pandas computation to the last bit.
    Categories of ``attributes`` and ``homophily`` not given in ``categories`` are taken from
    the whole alters table first (one pass), as the pandas function does, so that every
    partition has the same columns.

    Examples
    --------
    >>> import dask.dataframe as dd                                           # doctest: +SKIP
    >>> alters = dd.read_parquet("alters/")                                    # doctest: +SKIP
    >>> ties = dd.read_parquet("ties/")                                        # doctest: +SKIP
    >>> ego_measures_dask(alters, ties, weight_max=2).to_parquet("measures/")  # doctest: +SKIP
    """
    dd = _dask.dataframe_module()
    tables = (alters, ties, egos)
    for table, zh, en in zip(tables, ("被提名者表", "关系表", "受访者表"), ("alters table", "ties table", "egos table")):
        if table is not None:
            _dask.check_frame(dd, table, zh, en)
    if options.get("errors", "raise") != "raise":
        raise LaoyouError("分区计算只支持 errors='raise'：各分区的问题清单无法合并。",
                          "Partitioned measures support errors='raise' only: per-partition problem reports "
                          "cannot be combined.",
                          hint_zh="先用 pandas 版本的 validate 找出并改正有问题的行。",
                          hint_en="find and fix the bad rows with the pandas validate() first.")
    given = options.get("categories") or {}
    wanted = dict.fromkeys([*options.get("attributes", ()), *options.get("homophily", ())])
    options = {**options, "categories": {a: given[a] if a in given else _categories(alters[a]) for a in wanted}}
    parts = npartitions or max(t.npartitions for t in tables if t is not None)
    shuffled = [None if t is None else _by_ego(t, ego, parts) for t in tables]
    meta = _dask.text_columns(ego_measures(*(None if t is None else t._meta for t in tables), ego=ego, alter=alter,
                                           **options))
    return dd.map_partitions(_partition_measures, *shuffled, meta=meta, align_dataframes=False, ego=ego,
                             alter=alter, options=options)


def _categories(values) -> list:
    """The categories :func:`~laoyou_eval.networks.composition.category_order` would find in
    the whole column: a Categorical's own, or the sorted observed values."""
    if isinstance(values._meta.dtype, pd.CategoricalDtype):
        return category_order(values.cat.as_known()._meta)
    return sorted(values.dropna().astype(str).unique().compute())


def _by_ego(table, ego: str, parts: int):
    """``table`` shuffled into ``parts`` partitions on the ego key, with the input row order."""
    keyed = table.map_partitions(_with_key, ego, meta=table._meta.assign(**{KEY: pd.Series(dtype="str"),
                                                                            ORDER: pd.Series(dtype=np.int64)}))
    return keyed.shuffle(on=KEY, npartitions=parts)


def _with_key(part: pd.DataFrame, ego: str, partition_info=None) -> pd.DataFrame:
    number = partition_info["number"] if partition_info else 0
    return part.assign(**{KEY: key_series(part[ego]), ORDER: (number << 32) + np.arange(len(part), dtype=np.int64)})


def _partition_measures(alters, ties, egos, ego: str, alter: str, options: dict) -> pd.DataFrame:
    """:func:`ego_measures` of one partition, its rows first put back in input order."""
    def restore(table):
        return None if table is None else table.sort_values(ORDER, kind="stable").drop(columns=[KEY, ORDER])

    return _dask.text_columns(ego_measures(restore(alters), restore(ties), restore(egos), ego=ego, alter=alter,
                                           **options))
