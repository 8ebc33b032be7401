"""Performance benchmarks of laoyou_eval against peers and the floor (issue #8).

``make bench`` runs this file: it prints a table of ratios measured in the same run, with the
target beside each and PASS/MISS, and rewrites ``benchmarks/RESULTS.md`` (the table, the
machine, how scoring memory grows with n, what limits each item).  When an item misses its
target its library call is profiled with pyinstrument into ``benchmarks/profiles/``.

The exit status is 1 when an item misses a target of issue #8 or fails to run; misses of the
targets marked (ours) are reported but do not fail the run.
"""

from __future__ import annotations

import datetime
import sys
import time
import traceback

import numpy as np

import bench_networks
import bench_outcomes
import bench_reliability
import bench_scoring
import bench_system
from common import HERE, PROFILES_DIR, Row, machine, seconds

SECTIONS = (("scoring", bench_scoring), ("reliability", bench_reliability), ("networks", bench_networks),
            ("outcomes", bench_outcomes), ("import, intake and report", bench_system))

LIMITS = """\
- **Scoring vs the floor.**  The floor reads 2 bytes per answer (the int8 value and its
  missing flag) and writes one sum per instrument.  `score()` turns every answer into a
  float64 with NaN for missing (8 bytes), checks it against the item's own range, flips the
  reverse-keyed items, prorates, and returns totals, subscales, bands, counts, flags and a
  note per respondent.  Rows go through in cache-sized blocks (`scoring.ROW_BLOCK`); what is
  left is memory traffic of the float64 conversion and of the output table, not Python per
  row.  Notes and bands are built from their few distinct labels (`pandas.array(...).take`),
  never one Python string per row.
- **Row-wise apply.**  One Python call per respondent and instrument; it grows linearly, so
  timing 2,000 rows and scaling is exact enough.
- **Alpha.**  At 2,800 × 25 both libraries take well under a millisecond; what is left in ours
  is the covariance (BLAS) and building the one-row result table.
- **Bootstrap.**  Complete data: one matrix product of resample counts with the items' first
  and second moments per block of resamples (`reliability.BOOT_CELLS`), no resampled copies.
  With pairwise-missing data the resamples are still looped, one covariance each.
- **Ego measures.**  Factorising the ~12 million text id cells (pyarrow dictionary encoding)
  is the largest single cost; the checks proper (sort-based duplicate detection, lookups of
  every tie's endpoints in a direct (ego, alter) table) and the measures (weighted bincounts
  over the ties, scipy's connected components) are linear passes over integer arrays.
  igraph's own constraint call is faster than our whole call, but building its graphs from
  the tables (one `Graph` per ego, or `add_edges` into one graph) costs more than everything
  we do.
- **Outcomes.**  Pre and post are matched by subject id in `outcomes._common.pair` without
  hashing the ids: integer ids and text ids of up to 64 bytes become integer keys in the
  ids' own order (`outcomes._ids`), and one numeric sort of the shuffled side, plus a merge,
  gives the sorted subjects, their codes and any duplicated id; other ids (floats, mixed
  types, longer text) are factorised by hashing.  What is left is mostly that sort and the
  rank sums of the Wilcoxon test (see the profiles); above `outcomes.paired.EXACT_MAX_N`
  pairs the Wilcoxon test uses the normal approximation, as its exact distribution costs n³.
- **Import.**  `import laoyou_eval` loads no sub-module; pandas, scipy and matplotlib load on
  first use.
- **Report.**  The notebook series runs in one kernel, alongside the analysis and the
  document export of the report process; the kernel imports pandas, matplotlib and the
  library and analyses the study once for all notebooks.  What is left at small sizes is
  start-up (Python, the kernel, Chromium for the PDF).  At 13,500 residents the longest
  path is the kernel's: the missing-data analyses of notebook 03 (predictive mean matching
  over 20 imputations, and statsmodels' `MixedLM`, which loops over the 13,500 subjects in
  Python at every likelihood evaluation), then the analysis itself (about 20 s, mostly
  `networks.compare_waves` pairing alters per ego).
- **Intake.**  Grows about linearly with the study; the largest parts are the privacy scan
  of every published file (`privacy.find` on every line: Python per digit run, a regular
  expression alternating every roster name) and reading the Excel exports.
"""


def main() -> int:
    start = time.perf_counter()
    for stale in PROFILES_DIR.glob("*.txt"):  # profiles are written again by this run
        stale.unlink()
    rows: list[Row] = []
    extra: dict = {}
    errors: list[str] = []
    for name, module in SECTIONS:
        print(f"… {name}", flush=True)
        try:
            section_rows, section_extra = module.run()
        except Exception:
            errors.append(f"{name}: {traceback.format_exc(limit=3)}")
            print(f"  failed:\n{errors[-1]}", file=sys.stderr)
            continue
        rows += section_rows
        extra.update(section_extra)
        for row in section_rows:
            print(f"  {row.verdict}  {row.item}: {row.shown} (target {row.target_text})", flush=True)
    total = time.perf_counter() - start
    table = markdown_table(rows)
    print("\n" + table + f"\n\nwhole run: {total:.0f} s")
    (HERE / "RESULTS.md").write_text(results(rows, extra, errors, total), encoding="utf-8")
    print(f"written {HERE / 'RESULTS.md'}")
    return 1 if errors or any(not row.ok and row.source == "issue #8" for row in rows) else 0


def markdown_table(rows: list[Row]) -> str:
    lines = ["| item | ours | peer | ratio | target | result |", "|---|---:|---:|---:|---|---|"]
    for i, row in enumerate(rows, start=1):
        target = row.target_text + ("" if row.source == "issue #8" else f" ({row.source})")
        lines.append(f"| {row.item} [{i}] | {seconds(row.ours)} | {seconds(row.peer)} | {row.shown} | {target} | "
                     f"**{row.verdict}** |")
    return "\n".join(lines)


def memory_table(memory: list[dict]) -> str:
    mib = 2 ** 20
    lines = ["| respondents | input (Int8) | peak RSS | RSS increase while scoring | traced peak (NumPy/Python) "
             "| results |", "|---:|---:|---:|---:|---:|---:|"]
    for m in memory:
        lines.append(f"| {m['n']:,} | {m['input'] / mib:.0f} MiB | {m['peak_rss'] / mib:.0f} MiB | "
                     f"{(m['peak_rss'] - m['baseline_rss']) / mib:.0f} MiB | {m['traced_peak'] / mib:.0f} MiB | "
                     f"{m['output'] / mib:.0f} MiB |")
    n = np.array([m["n"] for m in memory], dtype=float)
    slope, intercept = np.polyfit(n, [m["peak_rss"] for m in memory], 1)
    data, output = (np.polyfit(n, [m[key] for m in memory], 1)[0] for key in ("input", "output"))
    lines.append("")
    lines.append(f"Peak memory grows linearly: about **{slope:.0f} bytes per respondent** (40 items, 5 "
                 f"instruments: {data:.0f} for the Int8 answers, {output:.0f} for the result tables, the rest "
                 f"working arrays) on top of {intercept / mib:.0f} MiB for the interpreter and libraries.  At "
                 f"this rate 2 GiB holds about {(2 * 2 ** 30 - intercept) / slope / 1e6:.1f} million respondents "
                 "in one process; beyond that, `scoring.score_dask` scores partition by partition.")
    return "\n".join(lines)


def results(rows: list[Row], extra: dict, errors: list[str], total: float) -> str:
    info = machine()
    notes = []
    for i, row in enumerate(rows, start=1):
        text = "; ".join(row.notes)
        if row.profile:
            text += f"; profile{'' if row.ok else ' of the miss'}: `{row.profile}`"
        notes.append(f"{i}. {text}")
    parts = [
        "# Benchmark results",
        "",
        f"Generated by `make bench` (`benchmarks/run.py`) on "
        f"{datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}; the whole run took {total:.0f} s.",
        "",
        "Every ratio compares two timings from this run, best of several interleaved rounds, so load from "
        "other jobs on the machine hits both sides.  Targets marked (ours) are not set by issue #8.",
        "",
        markdown_table(rows),
        "",
        *notes,
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *[f"| {key} | {value} |" for key, value in info.items()],
        "",
    ]
    if "memory" in extra:
        parts += ["## Memory of scoring, by number of respondents", "",
                  "Each size in a fresh subprocess; peak RSS is the process's high-water mark (VmHWM).", "",
                  memory_table(extra["memory"]), ""]
    for section in extra.get("sections", []):
        parts += [section, ""]
    parts += ["## What limits each item", "", LIMITS]
    if errors:
        parts += ["## Errors", "", *[f"```\n{e}\n```" for e in errors], ""]
    return "\n".join(parts)


if __name__ == "__main__":
    sys.exit(main())
