"""``import laoyou_eval`` in fresh interpreters, and intake and report against study size (issue #18).

Each study runs in a temporary project (``LAOYOU_EVAL_ROOT``) holding a copy of
``notebooks/`` and the study, with a temporary key folder (``LAOYOU_EVAL_KEY_DIR``), so the
repository and the user's keys are never touched.  The demo study (45 residents) is the
committed ``data/raw/demo/``; the larger ones are written by ``laoyou-eval synth --scale``
into the temporary folder (not timed) and deleted afterwards.

For each study, two commands in fresh processes, timed separately:

* ``laoyou-eval intake --study S`` (coding, pseudonymising, redaction, the privacy scan);
* ``laoyou-eval report --study S --out R`` on the processed data (validation, analysis, the
  notebook series in one kernel, HTML/Word/Excel/PDF export).

Peak memory is the largest sum of the proportional set sizes (PSS: shared pages split
between the processes sharing them) of the command and all its descendants (the notebook
kernel, Chromium), sampled every 50 ms with psutil — what the machine must hold at once,
not the largest single process.  CPU time (user + system, the
command and its children) is given beside the wall time, so a reader can tell how much of
a slow run was waiting for the CPU on a loaded machine.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from common import Row, budget

REPO = Path(__file__).resolve().parents[1]
IMPORT_RUNS = 7
IMPORT_CODE = "import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
#: (synth --scale, residents); scale 1 is the committed demo study.
SIZES = ((1, 45), (10, 450), (30, 1_350), (300, 13_500))
#: issue #18: report time by residents, peak memory of the largest study, size of every file.
REPORT_BUDGET = {45: 20.0, 1_350: 40.0, 13_500: 180.0}
MEMORY_BUDGET = 2 * 2 ** 30
FILE_BUDGET = 5 * 2 ** 20
#: The files a report hands out.
REPORT_FILES = ("report.html", "report.docx", "report.pdf", "report_tables.xlsx", "notebooks/analysis.html")
SAMPLE_SECONDS = 0.05


@dataclass
class Run:
    """Wall time, CPU time and peak memory (all processes of the command together)."""

    seconds: float
    cpu: float
    peak: int


def import_seconds(module: str = "laoyou_eval") -> float:
    """Best time of ``import module`` over fresh interpreters."""
    runs = [float(subprocess.run([sys.executable, "-c", IMPORT_CODE.format(module=module)], capture_output=True,
                                 text=True, check=True).stdout) for _ in range(IMPORT_RUNS)]
    return min(runs)


def _tree_memory(process) -> int:
    """Proportional set size (PSS) summed over ``process`` and its descendants: pages shared
    by several processes (Chromium's, the libraries' of Python and the kernel) count once in
    all, where a sum of resident set sizes would count them once per process."""
    import psutil

    total = 0
    for p in [process, *process.children(recursive=True)]:
        try:
            total += p.memory_full_info().pss
        except psutil.Error:
            pass
    return total


def measure(args: list[str], env: dict, cwd: Path) -> Run:
    """Run ``laoyou-eval args`` to completion; wall time, CPU time and peak memory of its process tree."""
    import psutil

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with tempfile.TemporaryFile() as log:
        child = subprocess.Popen([sys.executable, "-m", "laoyou_eval.cli", *args], stdout=log, stderr=subprocess.STDOUT,
                                 env=env, cwd=cwd)
        process, peak = psutil.Process(child.pid), 0
        while child.poll() is None:
            try:
                peak = max(peak, _tree_memory(process))
            except psutil.Error:
                pass
            time.sleep(SAMPLE_SECONDS)
        seconds = time.perf_counter() - start
        if child.returncode:
            log.seek(0)
            raise RuntimeError(f"laoyou-eval {' '.join(args)} failed:\n{log.read().decode(errors='replace')[-3000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return Run(seconds, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), peak)


def study_costs(scale: int, residents: int) -> dict:
    """Intake and report of one study size in a temporary project."""
    with tempfile.TemporaryDirectory(prefix="laoyou_bench_") as tmp:
        root = Path(tmp)
        shutil.copytree(REPO / "notebooks", root / "notebooks",
                        ignore=shutil.ignore_patterns("exploratory", ".ipynb_checkpoints"))
        study = root / "data" / "raw" / "study"
        env = {**os.environ, "LAOYOU_EVAL_ROOT": str(root), "LAOYOU_EVAL_KEY_DIR": str(root / "keys"),
               "PYTHONWARNINGS": "ignore"}
        if scale == 1:
            shutil.copytree(REPO / "data" / "raw" / "demo", study)
        else:
            subprocess.run([sys.executable, "-m", "laoyou_eval.cli", "synth", "--out", str(study), "--scale",
                            str(scale)], env=env, cwd=root, check=True, capture_output=True)
        intake = measure(["intake", "--study", str(study)], env, root)
        out = root / "report"
        report = measure(["report", "--study", str(study), "--out", str(out)], env, root)
        sizes = {name: (out / name).stat().st_size for name in REPORT_FILES if (out / name).is_file()}
    return {"scale": scale, "residents": residents, "intake": intake, "report": report, "sizes": sizes}


def _mib(n: float) -> str:
    return f"{n / 2 ** 20:,.0f} MiB"


def growth_table(costs: list[dict]) -> str:
    """Markdown: time and peak memory of intake and report against study size."""
    lines = ["| residents | intake: wall (CPU) | intake: peak memory | report: wall (CPU) | report: peak memory "
             "| largest file |", "|---:|---:|---:|---:|---:|---|"]
    for c in costs:
        name, size = max(c["sizes"].items(), key=lambda kv: kv[1])
        lines.append(f"| {c['residents']:,} | {c['intake'].seconds:.1f} s ({c['intake'].cpu:.1f} s) | "
                     f"{_mib(c['intake'].peak)} | {c['report'].seconds:.1f} s ({c['report'].cpu:.1f} s) | "
                     f"{_mib(c['report'].peak)} | {name} {size / 2 ** 20:.2f} MiB |")
    first, last = costs[0], costs[-1]
    factor = last["residents"] / first["residents"]
    lines += ["", f"From {first['residents']:,} to {last['residents']:,} residents ({factor:,.0f}×) intake takes "
              f"{last['intake'].seconds / first['intake'].seconds:,.1f}× and the report "
              f"{last['report'].seconds / first['report'].seconds:,.1f}× the time (CPU: intake "
              f"{last['intake'].cpu / first['intake'].cpu:,.1f}×, report {last['report'].cpu / first['report'].cpu:,.1f}×).  "
              "The report has a fixed cost (starting Python and the notebook kernel, importing pandas, "
              "matplotlib and seaborn, the PDF export) on top of work that grows with the number of people; "
              "the documents stay the same size because their figures and tables summarise (counts, means, "
              "effect sizes, group-level networks), never one mark or row per person.",
              "", "Report files by study size (bytes):", "",
              "| residents | " + " | ".join(REPORT_FILES) + " |", "|---:|" + "---:|" * len(REPORT_FILES)]
    for c in costs:
        lines.append(f"| {c['residents']:,} | " + " | ".join(f"{c['sizes'][n]:,}" if n in c["sizes"] else "—"
                                                             for n in REPORT_FILES) + " |")
    return "\n".join(lines)


def run() -> tuple[list[Row], dict]:
    seconds_import = import_seconds()
    submodules = import_seconds("laoyou_eval.scoring, laoyou_eval.networks, laoyou_eval.outcomes")
    rows = [budget("import laoyou_eval (fresh interpreter, best of 7)", seconds_import, 0.3,
                   notes=[f"sub-modules load on first use; `import laoyou_eval.scoring, .networks, .outcomes` "
                          f"takes {submodules:.2f} s (pandas, scipy)"])]
    load = os.getloadavg()[0]
    costs = []
    for scale, residents in SIZES:
        print(f"  … study of {residents:,} residents", flush=True)
        costs.append(study_costs(scale, residents))
    by_n = {c["residents"]: c for c in costs}
    load_note = (f"load average {load:.1f} on {os.cpu_count()} cores when the study runs began; CPU time "
                 f"(command and children) beside each wall time in the growth table")
    for residents, limit in REPORT_BUDGET.items():
        c = by_n[residents]
        rows.append(budget(f"`laoyou-eval report`, {residents:,} residents (intake before, timed apart)",
                           c["report"].seconds, limit, source="issue #18",
                           notes=[f"intake {c['intake'].seconds:.1f} s; report CPU {c['report'].cpu:.1f} s; "
                                  f"peak memory {_mib(c['report'].peak)}; {load_note}"]))
    big = by_n[SIZES[-1][1]]
    peak = max(big["intake"].peak, big["report"].peak)
    rows.append(Row(f"peak memory, {SIZES[-1][1]:,} residents (intake or report, all processes)", None, None, peak,
                    _mib(peak), MEMORY_BUDGET, f"< {_mib(MEMORY_BUDGET)}", False, source="issue #18",
                    notes=[f"intake {_mib(big['intake'].peak)}, report {_mib(big['report'].peak)} (the report "
                           "process and the notebook kernel together)"]))
    largest = max(((c["residents"], name, size) for c in costs for name, size in c["sizes"].items()),
                  key=lambda t: t[2])
    rows.append(Row("largest report file at any study size", None, None, largest[2], f"{largest[2] / 2 ** 20:.2f} MiB",
                    FILE_BUDGET, "≤ 5 MiB", False, source="issue #18",
                    notes=[f"{largest[1]} at {largest[0]:,} residents; files: {', '.join(REPORT_FILES)}"
                           + ("" if any("report.pdf" in c["sizes"] for c in costs)
                              else "; no PDF (Chromium not installed on this machine)")]))
    section = "\n".join(["## Intake and report against study size", "",
                         f"`laoyou-eval synth --scale k` studies ({', '.join(f'{n:,}' for _, n in SIZES)} "
                         "residents; 45 is the committed demo study), each command in a fresh process; peak "
                         "memory is the largest sum of proportional set sizes (PSS) over the command's processes "
                         f"(report: Python, the notebook kernel, Chromium), sampled every {SAMPLE_SECONDS * 1000:.0f} ms.  {load_note[0].upper()}{load_note[1:]}.", "", growth_table(costs), ""])
    return rows, {"sections": [section]}
