"""Matching two lists of subject ids by sorting integer keys instead of hashing the ids
(:func:`align`), and looking text ids up without a Python object per id (:func:`isin`).

Hashing a million text ids (``pandas.factorize``) costs far more than the statistics done
with them.  Integer ids, and text ids of up to :data:`MAX_BYTES` UTF-8 bytes without NUL,
have an exact integer form whose order is the ids' own order: the id itself, or its bytes
read as big-endian 64-bit words (zero-padded).  Sorting those words gives the same sorted
list of subjects and the same codes as ``pandas.factorize(sort=True)`` on both lists, at
the cost of a numeric sort, and detects duplicated ids on the way.  Other ids (floats,
mixed types, missing ids, longer text) return ``None`` and the caller keeps the general
path.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

#: Longest text id (in UTF-8 bytes) given integer keys; longer ids take the general path.
MAX_BYTES = 64


class Aligned(NamedTuple):
    """Both id lists as codes into ``subjects`` (sorted, each id once)."""

    subjects: pd.Index
    codes_a: np.ndarray
    codes_b: np.ndarray


def _arrow(values):
    """The pyarrow array (one chunk) behind arrow-backed text values."""
    import pyarrow as pa

    array = pa.array(values)
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def _text_keys(index: pd.Index) -> np.ndarray | None:
    """Arrow-backed text ids as an ``(n, words)`` uint64 array of zero-padded big-endian words."""
    import pyarrow as pa

    array = _arrow(index.array)
    if array.null_count or not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        return None
    width = np.int64 if pa.types.is_large_string(array.type) else np.int32
    offsets = np.frombuffer(array.buffers()[1], dtype=width, count=len(array) + 1, offset=array.offset * width().itemsize)
    start, stop = int(offsets[0]), int(offsets[-1])
    data = np.frombuffer(array.buffers()[2], dtype=np.uint8, count=stop) if stop else np.zeros(0, np.uint8)
    data = data[start:]
    lengths = np.diff(offsets)
    longest = int(lengths.max())
    if longest > MAX_BYTES or not data.all():  # a NUL byte would be confused with the padding
        return None
    words = max(1, -(-longest // 8))
    if (lengths == longest).all() and longest == 8 * words:  # the bytes are the words already
        return data.reshape(len(array), words * 8).view(">u8").astype(np.uint64)
    matrix = np.zeros((len(array), 8 * words), dtype=np.uint8)
    if (lengths == longest).all():
        matrix[:, :longest] = data.reshape(len(array), longest)
    else:
        row = np.repeat(np.arange(len(array)), lengths)
        matrix[row, np.arange(data.size) - np.repeat(offsets[:-1] - start, lengths)] = data
    return matrix.view(">u8").astype(np.uint64)


def _arrow_text(dtype) -> bool:
    return isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"


def isin(values: pd.Series, candidates: pd.Series) -> np.ndarray:
    """``values.isin(candidates)`` as a boolean array.  Text ids are looked up by pyarrow in
    one hash pass (pandas turns every candidate into a Python object first); a missing id
    matches a missing id, as in pandas."""
    if not (_arrow_text(values.dtype) and _arrow_text(candidates.dtype)):
        return values.isin(candidates).to_numpy()
    import pyarrow.compute as pc

    array = _arrow(values.array)
    found = pc.is_in(array, value_set=_arrow(candidates.array).cast(array.type), skip_nulls=False)
    return found.to_numpy(zero_copy_only=False)


def order_keys(index: pd.Index) -> np.ndarray | None:
    """Ids as an ``(n, words)`` uint64 array whose row order (word by word) is the ids' order
    and whose rows are equal exactly when the ids are; ``None`` when there is no such form."""
    dtype = index.dtype
    if isinstance(index, pd.MultiIndex) or len(index) == 0:
        return None
    if isinstance(dtype, np.dtype) and dtype.kind in "iu":
        values = index.to_numpy()
        if dtype.kind == "u":
            return values.astype(np.uint64)[:, None]
        return (values.astype(np.int64).view(np.uint64) ^ np.uint64(1 << 63))[:, None]
    if _arrow_text(dtype):
        return _text_keys(index)
    return None


def _increasing(keys: np.ndarray) -> bool:
    """Whether the rows are strictly increasing (so sorted and distinct)."""
    if keys.shape[1] == 1:
        return bool((keys[1:, 0] > keys[:-1, 0]).all())
    after = np.zeros(len(keys) - 1, bool)
    tied = np.ones(len(keys) - 1, bool)
    for w in range(keys.shape[1]):
        low, high = keys[:-1, w], keys[1:, w]
        after |= tied & (high > low)
        tied &= high == low
    return bool(after.all())


def _bit_runs(mask: int) -> list[tuple[int, int]]:
    """``(lowest bit, length)`` of every run of set bits in ``mask``, lowest first."""
    runs, bit = [], 0
    while mask >> bit:
        if (mask >> bit) & 1:
            start = bit
            while (mask >> bit) & 1:
                bit += 1
            runs.append((start, bit - start))
        else:
            bit += 1
    return runs


def _argsort(key: np.ndarray) -> np.ndarray:
    """Argsort of the uint64 ``key``.

    When the bits that differ between keys and the bits of a position fit in 64, the
    differing bits (in their order) are packed above the position and the packed values
    sorted: a plain numeric sort, faster than an argsort, whose low bits give the order.
    Otherwise an argsort.
    """
    n = len(key)
    position_bits = max(1, (n - 1).bit_length())
    varying = int(np.bitwise_or.reduce(key)) ^ int(np.bitwise_and.reduce(key))
    if varying.bit_count() + position_bits > 64:
        return np.argsort(key)
    packed, shift = np.arange(n, dtype=np.uint64), position_bits
    for low, length in _bit_runs(varying):
        packed |= ((key >> np.uint64(low)) & np.uint64((1 << length) - 1)) << np.uint64(shift)
        shift += length
    packed.sort()
    return (packed & np.uint64((1 << position_bits) - 1)).astype(np.intp)


def _sort_rows(keys: np.ndarray, merge: bool = False) -> np.ndarray:
    """Order of the rows of ``keys`` (lexicographic by word): a numeric sort of the
    first word, then a lexicographic sort of only those runs whose first words tie but whose
    rows differ.  ``merge``: the rows are two sorted runs, which a stable argsort (timsort)
    merges in linear time."""
    order = np.argsort(keys[:, 0], kind="stable") if merge else _argsort(keys[:, 0])
    if keys.shape[1] == 1 or len(keys) < 2:
        return order
    rows = keys[order]
    tied = rows[1:, 0] == rows[:-1, 0]
    unresolved = tied & (rows[1:, 1:] != rows[:-1, 1:]).any(axis=1)
    if unresolved.any():
        run = np.concatenate([[0], np.cumsum(~tied)])
        positions = np.flatnonzero(np.isin(run, run[1:][unresolved]))
        order[positions] = order[positions][np.lexsort(rows[positions].T[::-1])]
    return order


def _sorted_side(keys: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
    """``(order, sorted keys)`` of one list (order ``None`` when already sorted), or
    ``(None, None)`` when an id is repeated."""
    if len(keys) < 2 or _increasing(keys):
        return None, keys
    order = _sort_rows(keys)
    rows = keys[order]
    return (order, rows) if _increasing(rows) else (None, None)


def _place(codes: np.ndarray, order: np.ndarray | None) -> np.ndarray:
    """Codes of the ids in their own order from the codes of the sorted ids."""
    if order is None:
        return codes
    placed = np.empty(len(codes), np.intp)
    placed[order] = codes
    return placed


def align(a: pd.Index, b: pd.Index) -> Aligned | str | None:
    """Match the ids ``a`` and ``b`` through integer keys.

    Returns the :class:`Aligned` codes, ``"a"`` or ``"b"`` when that list repeats an id
    (the caller reports which), or ``None`` when the ids have no integer form (then the
    caller matches them by hashing).  Subjects are sorted as ``pandas.factorize(sort=True)``
    sorts them and keep the dtype of ``a``.
    """
    if a.dtype != b.dtype:
        return None
    keys_a, keys_b = order_keys(a), order_keys(b)
    if keys_a is None or keys_b is None:
        return None
    words = max(keys_a.shape[1], keys_b.shape[1])
    if words > 1:  # pad to the same width; words equal in every id (a common prefix) decide nothing
        keys_a, keys_b = (k if k.shape[1] == words else np.pad(k, ((0, 0), (0, words - k.shape[1])))
                          for k in (keys_a, keys_b))
        first = keys_a[0]
        varying = [w for w in range(words) if (keys_a[:, w] != first[w]).any() or (keys_b[:, w] != first[w]).any()]
        varying = varying or [0]
        keys_a, keys_b = keys_a[:, varying], keys_b[:, varying]
    order_a, sorted_a = _sorted_side(keys_a)
    if sorted_a is None:
        return "a"
    order_b, sorted_b = _sorted_side(keys_b)
    if sorted_b is None:
        return "b"
    if sorted_a.shape == sorted_b.shape and np.array_equal(sorted_a, sorted_b):  # the same subjects
        codes = np.arange(len(a))
        subjects = a if order_a is None else a.take(order_a)
        return Aligned(subjects.rename(None), _place(codes, order_a), _place(codes, order_b))
    both = np.concatenate([sorted_a, sorted_b])
    merged = _sort_rows(both, merge=True)
    rows = both[merged]
    first = np.concatenate([[True], (rows[1:] != rows[:-1]).any(axis=1)])
    codes = np.empty(len(both), np.intp)
    codes[merged] = np.cumsum(first) - 1
    positions = np.concatenate([np.arange(len(a)) if order_a is None else order_a,
                                len(a) + (np.arange(len(b)) if order_b is None else order_b)])[merged[first]]
    return Aligned(a.append(b).take(positions).rename(None), _place(codes[: len(a)], order_a),
                   _place(codes[len(a):], order_b))
