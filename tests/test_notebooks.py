"""Hygiene of the validated notebooks (their outputs are checked cell by cell by nbval in
`make test-notebooks`): parameters for papermill, stored outputs, nothing machine-specific,
no personal data."""

from __future__ import annotations

import json
import re

import pytest

from laoyou_eval.devsetup import KERNEL_DISPLAY_NAME, KERNEL_NAME

from conftest import REPO

NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
PERSONAL = {
    "phone number": re.compile(r"(?<![\d.])1[3-9]\d{9}(?![\d.])"),
    "ID number": re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)"),
    "IP address": re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])"),
}


def _outputs_text(cell) -> str:
    parts = []
    for output in cell.get("outputs", []):
        parts.append("".join(output.get("text", "")))
        for mime, value in output.get("data", {}).items():
            if mime.startswith("text/"):
                parts.append("".join(value))
    return "\n".join(parts)


def test_there_are_numbered_notebooks():
    assert NOTEBOOKS and NOTEBOOKS[0].name == "00_overview.ipynb"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_names_the_project_kernel(path):
    """Opened outside `make lab` (VS Code, a system Jupyter), the notebook still picks the kernel
    that `laoyou-eval setup` registers, not whatever `python3` is there."""
    kernelspec = json.loads(path.read_text(encoding="utf-8"))["metadata"]["kernelspec"]
    assert kernelspec == {"display_name": KERNEL_DISPLAY_NAME, "language": "python", "name": KERNEL_NAME}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_ready_for_nbval_and_papermill(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    parameters = [c for c in code if "parameters" in c["metadata"].get("tags", [])]
    assert len(parameters) == 1 and code.index(parameters[0]) == 0
    for name in ("study_dir", "lang", "seed"):
        assert re.search(rf"^{name} = ", "".join(parameters[0]["source"]), re.M)
    assert all(c["execution_count"] for c in code), "execute the notebook (make notebooks) before committing"
    assert any(c["outputs"] for c in code)
    for cell in code:
        if "plt.show()" in "".join(cell["source"]):
            assert any("image/png" in o.get("data", {}) for o in cell["outputs"]), "a figure cell stored no figure"
    for cell in code:
        assert "execution" not in cell["metadata"], "timing metadata makes re-runs differ"
        assert not "".join(cell["source"]).rstrip().endswith(";"), "end plotting cells with plt.show()"
        for output in cell["outputs"]:
            assert output["output_type"] != "error"
            assert output.get("name") != "stderr", "warnings in stored outputs break nbval elsewhere"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_outputs_hold_no_personal_data_or_local_paths(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    text = "\n".join(_outputs_text(c) for c in nb["cells"] if c["cell_type"] == "code")
    for kind, pattern in PERSONAL.items():
        assert not pattern.search(text), f"{kind} in the outputs of {path.name}"
    assert str(REPO) not in text and "/home/" not in text and "site-packages" not in text
