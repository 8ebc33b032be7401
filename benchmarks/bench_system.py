"""``import laoyou_eval`` in fresh interpreters, and the whole notebook series on the demo study.

The notebook series runs as ``laoyou-eval demo`` in a temporary project (``LAOYOU_EVAL_ROOT``)
holding copies of ``notebooks/`` and ``data/raw/demo/``, with a temporary key folder
(``LAOYOU_EVAL_KEY_DIR``), so the repository and the user's keys are never touched.  The
time includes coding and pseudonymising the data and exporting HTML, Word, Excel and PDF.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import Row, budget

REPO = Path(__file__).resolve().parents[1]
IMPORT_RUNS = 7
IMPORT_CODE = "import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
STEP = re.compile(r"running (\S+\.ipynb) … .*?\(([\d.]+) s\)")


def import_seconds(module: str = "laoyou_eval") -> float:
    """Best time of ``import module`` over fresh interpreters."""
    runs = [float(subprocess.run([sys.executable, "-c", IMPORT_CODE.format(module=module)], capture_output=True,
                                 text=True, check=True).stdout) for _ in range(IMPORT_RUNS)]
    return min(runs)


def notebook_series() -> tuple[float, dict[str, float], str]:
    """Wall time of ``laoyou-eval demo`` in a temporary project, per-notebook times, and the
    command's output (for the error message when it fails)."""
    with tempfile.TemporaryDirectory(prefix="laoyou_bench_") as tmp:
        root = Path(tmp)
        shutil.copytree(REPO / "notebooks", root / "notebooks",
                        ignore=shutil.ignore_patterns("exploratory", ".ipynb_checkpoints"))
        shutil.copytree(REPO / "data" / "raw" / "demo", root / "data" / "raw" / "demo")
        env = {**os.environ, "LAOYOU_EVAL_ROOT": str(root), "LAOYOU_EVAL_KEY_DIR": str(root / "keys")}
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "laoyou_eval.cli", "demo"], capture_output=True, text=True,
                              env=env, cwd=root, timeout=600)
        seconds = time.perf_counter() - start
    output = done.stdout + done.stderr
    if done.returncode:
        raise RuntimeError(f"laoyou-eval demo failed:\n{output[-2000:]}")
    return seconds, {name: float(s) for name, s in STEP.findall(output)}, output


def run() -> tuple[list[Row], dict]:
    seconds_import = import_seconds()
    submodules = import_seconds("laoyou_eval.scoring, laoyou_eval.networks, laoyou_eval.outcomes")
    series, per_notebook, _ = notebook_series()
    rows = [
        budget("import laoyou_eval (fresh interpreter, best of 7)", seconds_import, 0.3,
               notes=[f"sub-modules load on first use; `import laoyou_eval.scoring, .networks, .outcomes` "
                      f"takes {submodules:.2f} s (pandas, scipy)"]),
        budget(f"notebook series ({len(per_notebook)} notebooks) + report export, `laoyou-eval demo`", series, 120,
               notes=["notebooks: " + ", ".join(f"{name} {s:.1f} s" for name, s in per_notebook.items())
                      + f"; the rest ({series - sum(per_notebook.values()):.1f} s) is intake, start-up and "
                      "the HTML/Word/Excel/PDF export"]),
    ]
    return rows, {"notebooks": per_notebook}
