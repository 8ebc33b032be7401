"""nbval checks what matters: a changed result value fails `make test-notebooks`; presentation
(object reprs, a cell tagged ``nbval-ignore-output``) does not.  Runs nbval, with the Makefile's
own options, on a small notebook built here (never on the committed notebooks)."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import nbformat
import pytest
from nbclient import NotebookClient
from traitlets.config import Config

from conftest import REPO

NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def makefile_nbval_options() -> list[str]:
    line = re.search(r"^NBVAL := (.*)$", (REPO / "Makefile").read_text(encoding="utf-8"), re.M).group(1)
    return line.split()


def test_make_compares_every_output():
    options = makefile_nbval_options()
    assert "--nbval" in options and "--nbval-lax" not in options
    assert options[options.index("--nbval-sanitize-with") + 1] == "tests/nbval_sanitize.cfg"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_excluded_outputs_say_why(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in (c for c in nb["cells"] if c["cell_type"] == "code"):
        source = "".join(cell["source"])
        assert not re.search(r"NBVAL_|PYTEST_VALIDATE", source), "use cell tags, not comment markers"
        tags = set(cell["metadata"].get("tags", []))
        assert not tags & {"nbval-skip", "skip-execution"}, "every validated cell runs"
        if "nbval-ignore-output" in tags:
            assert source.startswith("#"), "a cell whose output is not compared starts with a comment saying why"


def executed_notebook():
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_code_cell("import pandas as pd\nfrom laoyou_eval import outcomes\n"
                                  "res = outcomes.paired([5.5, 2.4, 6.8, 9.6, 4.2], [6.4, 3.4, 6.4, 11.0, 4.8])\n"
                                  "res[['n', 'mean_diff', 'd_z']].round(3)"),
        nbformat.v4.new_code_cell("print(f\"d_z = {res.d_z[0]:.3f}\")"),
        nbformat.v4.new_code_cell("object()"),
        nbformat.v4.new_code_cell("# 计时不是结果 timing is not a result\nimport time\nprint(time.perf_counter())",
                                  metadata={"tags": ["nbval-ignore-output"]}),
    ]
    NotebookClient(nb, kernel_name="python3", timeout=120,
                   config=Config({"KernelManager": {"transport_encryption": "auto"}})).execute()
    return nb


def test_changed_result_fails_and_presentation_passes(tmp_path):
    nb = executed_notebook()
    assert "1.032" in nb.cells[1].outputs[0]["text"]
    changed_table = copy.deepcopy(nb)
    for mime in ("text/html", "text/plain"):
        data = changed_table.cells[0].outputs[0]["data"]
        data[mime] = re.sub(r"1\.032", "1.033", data[mime])
    changed_text = copy.deepcopy(nb)
    changed_text.cells[1].outputs[0]["text"] = "d_z = 1.033\n"
    presentation = copy.deepcopy(nb)   # another memory address; the timing differs on every run anyway
    data = presentation.cells[2].outputs[0]["data"]
    data["text/plain"] = re.sub(r"0x[0-9a-f]+", "0x7f0000000000", data["text/plain"])
    for name, notebook in {"same": nb, "presentation": presentation, "table": changed_table,
                           "text": changed_text}.items():
        nbformat.write(notebook, tmp_path / f"{name}.ipynb")
    report = tmp_path / "nbval.xml"
    subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--rootdir", str(tmp_path),
                    *makefile_nbval_options(), f"--junitxml={report}",
                    *(str(tmp_path / f"{n}.ipynb") for n in ("same", "presentation", "table", "text"))],
                   cwd=REPO, capture_output=True, text=True, timeout=600)
    failed = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        notebook = case.get("classname", "").split(".")[0]
        failed.setdefault(notebook, []).append(case.find("failure") is not None)
    assert {n: any(f) for n, f in failed.items()} == {"same": False, "presentation": False, "table": True,
                                                     "text": True}
    assert failed["table"] == [True, False, False, False]       # the changed cell, and only it
