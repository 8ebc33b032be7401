"""The notebook series in one kernel, and the analysis kept for the next notebook.

``laoyou-eval report`` executes the notebooks one after another in one kernel
(:func:`laoyou_eval.report.build.run_series`).  Each notebook must still see what a fresh
kernel would: none of the previous notebook's names, execution counts from 1.
:func:`laoyou_eval.report.analysis.prepared` hands the second notebook the first one's
analysis only while the processed data are unchanged.
"""

from __future__ import annotations

import os

import nbformat
import pytest


def _notebook(path, *sources):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = None", metadata={"tags": ["parameters"]})]
    nb.cells += [nbformat.v4.new_code_cell(source) for source in sources]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def test_each_notebook_starts_from_an_empty_namespace(tmp_path):
    from laoyou_eval.report.build import run_series

    first = _notebook(tmp_path / "01_first.ipynb", "defined_in_first = 41", "print(defined_in_first + 1)")
    second = _notebook(tmp_path / "02_second.ipynb", "import os\nprint(os.getpid())",
                       "print('defined_in_first' in dir())")
    third = _notebook(tmp_path / "03_third.ipynb", "defined_in_first")  # fails: the name is gone
    fourth = _notebook(tmp_path / "04_fourth.ipynb", "import os\nprint(os.getpid())")
    executed, failed = run_series([first, second, third, fourth], tmp_path / "out", {"x": 1})

    assert [p.name for p in executed] == ["01_first.ipynb", "02_second.ipynb", "04_fourth.ipynb"]
    assert len(failed) == 1 and failed[0].startswith("03_third.ipynb: ") and "failed in code cell 3" in failed[0]
    runs = {p.name: nbformat.read(p, as_version=4) for p in executed}
    outputs = {name: [o.get("text", "").strip() for c in nb.cells if c.cell_type == "code" for o in c.outputs]
               for name, nb in runs.items()}
    assert outputs["01_first.ipynb"] == ["42"]
    assert outputs["02_second.ipynb"][1] == "False"
    assert outputs["02_second.ipynb"][0] == outputs["04_fourth.ipynb"][0]  # one kernel process for the series
    for nb in runs.values():  # execution counts restart: parameters, injected parameters, then the cells
        counts = [c.execution_count for c in nb.cells if c.cell_type == "code"]
        assert counts == list(range(1, len(counts) + 1))


def test_a_stopped_series_starts_no_further_notebook(tmp_path):
    import threading

    from laoyou_eval.report.build import run_series

    stop = threading.Event()
    stop.set()
    executed, failed = run_series([_notebook(tmp_path / "01_a.ipynb", "1")], tmp_path / "out", {}, stop=stop)
    assert executed == [] and failed == []


@pytest.fixture
def processed_demo(tmp_path, monkeypatch):
    """The committed demo study with its processed data in a temporary project."""
    import shutil

    from laoyou_eval import config, intake

    monkeypatch.setattr(config, "PROCESSED_DIR", tmp_path / "processed")
    study = shutil.copytree(config.DEMO_STUDY_DIR, tmp_path / "raw" / "demo")
    intake.run(study)
    return study


def test_prepared_analyses_once_while_the_processed_data_are_unchanged(processed_demo, monkeypatch):
    from laoyou_eval import intake
    from laoyou_eval.report import analysis

    calls = []
    analyse = analysis.analyse
    monkeypatch.setattr(analysis, "analyse", lambda ds, seed: calls.append(seed) or analyse(ds, seed=seed))
    ds, results = analysis.prepared(processed_demo, seed=7)
    again = analysis.prepared(processed_demo, seed=7)
    assert again[0] is ds and again[1] is results and calls == [7]

    assert analysis.prepared(processed_demo, seed=8)[1] is not results and calls == [7, 8]

    scores = intake.processed_dir(processed_demo) / "scores.csv"
    stat = scores.stat()
    os.utime(scores, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10 ** 9))  # e.g. rewritten by hand
    fresh_ds, fresh = analysis.prepared(processed_demo, seed=8)
    assert calls == [7, 8, 8] and fresh_ds is not ds
    # the same data and seed give the same numbers as a direct analysis
    direct = analyse(fresh_ds, seed=8)
    assert fresh.paired.equals(direct.paired) and fresh.descriptives.equals(direct.descriptives)
