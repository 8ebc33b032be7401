"""Progress messages for commands: one line per step, with its duration."""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager


@contextmanager
def step(zh: str, en: str, position: str = "", stream=None):
    """Print ``[position] zh / en …`` before a step and ``done (x.x s)`` after it.

    Examples
    --------
    >>> with step("生成数据", "generating data", "1/2"):     # doctest: +SKIP
    ...     pass
    [1/2] 生成数据 / generating data … 完成 done (0.0 s)
    """
    stream = stream or sys.stderr
    prefix = f"[{position}] " if position else ""
    print(f"{prefix}{zh} / {en} …", end="", file=stream, flush=True)
    start = time.perf_counter()
    try:
        yield
    except BaseException:
        print(" 失败 failed", file=stream, flush=True)
        raise
    print(f" 完成 done ({time.perf_counter() - start:.1f} s)", file=stream, flush=True)
