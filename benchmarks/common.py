"""Shared pieces of the benchmark suite: timing, result rows, machine information, profiles.

Every verdict is a ratio of two timings taken in the same run, interleaved and best-of-N,
so that a slower machine (or another job on the same two cores) moves both sides alike.
Only ``import laoyou_eval`` and the notebook series have absolute budgets (the issue's).
"""

from __future__ import annotations

import gc
import importlib.metadata
import os
import platform
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROFILES_DIR = HERE / "profiles"
PACKAGES = ("numpy", "pandas", "scipy", "pyarrow", "networkx", "igraph", "pingouin", "dask", "distributed",
            "pyinstrument")


@dataclass
class Row:
    """One line of the results table.

    ``value`` is compared with ``target`` in the direction ``higher_is_better``; ``shown``
    is how the value reads in the table (e.g. "4.6× the floor")."""

    item: str
    ours: float | None
    peer: float | None
    value: float
    shown: str
    target: float
    target_text: str
    higher_is_better: bool
    source: str = "issue #8"
    notes: list[str] = field(default_factory=list)
    profile: str | None = None

    @property
    def ok(self) -> bool:
        return self.value >= self.target if self.higher_is_better else self.value <= self.target

    @property
    def verdict(self) -> str:
        return "PASS" if self.ok else "MISS"


def speedup(item: str, ours: float, peer: float, target: float, **kw) -> Row:
    """Row for "ours is at least ``target``× faster than the peer" (peer time / our time)."""
    ratio = peer / ours
    return Row(item, ours, peer, ratio, f"{ratio:,.1f}× faster", target, f"≥ {target:g}× faster", True, **kw)


def slowdown(item: str, ours: float, peer: float, target: float, what: str, **kw) -> Row:
    """Row for "ours takes at most ``target``× the peer's time" (our time / peer time)."""
    ratio = ours / peer
    return Row(item, ours, peer, ratio, f"{ratio:.2f}× {what}", target, f"≤ {target:g}× {what}", False, **kw)


def budget(item: str, seconds: float, limit: float, **kw) -> Row:
    """Row for an absolute time budget (the issue's import and notebook targets)."""
    return Row(item, seconds, None, seconds, f"{seconds:.3g} s", limit, f"< {limit:g} s", False, **kw)


def best_of(*functions, repeat: int = 5) -> list[float]:
    """Best wall time of each function over ``repeat`` interleaved rounds (after one warm-up
    call each), so that background load hits every side alike."""
    for fn in functions:
        fn()
    best = [float("inf")] * len(functions)
    for _ in range(repeat):
        for i, fn in enumerate(functions):
            gc.collect()
            start = time.perf_counter()
            fn()
            best[i] = min(best[i], time.perf_counter() - start)
    return best


def timed(fn):
    """(result, seconds) of one call."""
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def profile(name: str, fn) -> str:
    """Profile one call of ``fn`` with pyinstrument into ``profiles/<name>.txt``; return the path."""
    from pyinstrument import Profiler

    PROFILES_DIR.mkdir(exist_ok=True)
    profiler = Profiler(interval=0.001)
    profiler.start()
    fn()
    profiler.stop()
    path = PROFILES_DIR / f"{name}.txt"
    text = profiler.output_text(unicode=True, color=False).replace(str(HERE.parent) + os.sep, "")  # no machine path
    path.write_text(text, encoding="utf-8")
    return str(path.relative_to(HERE.parent))


def machine() -> dict[str, str]:
    """CPU, cores, RAM, OS, Python and key package versions."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        names = [line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
                 if line.startswith("model name")]
        cpu = names[0] if names else cpu
    ram = "unknown"
    meminfo = Path("/proc/meminfo")
    if meminfo.is_file():
        total_kb = int(next(line.split()[1] for line in meminfo.read_text().splitlines() if line.startswith("MemTotal")))
        ram = f"{total_kb / 2 ** 20:.1f} GiB"
    info = {"CPU": cpu, "cores": str(os.cpu_count()), "RAM": ram, "OS": platform.platform(),
            "Python": platform.python_version()}
    for package in (*PACKAGES, "laoyou_eval"):
        try:
            info[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            info[package] = "not installed"
    return info


def seconds(value: float | None) -> str:
    """A duration for the table: ms below a second, s above, "—" when there is none."""
    if value is None:
        return "—"
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:,.2f} s"
