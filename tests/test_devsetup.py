"""`laoyou-eval setup` (the path without make) reaches the state of `make setup`: the project's
kernel registered in the environment, and the nbstripout filter that strips exploratory notebooks."""

from __future__ import annotations

import json
import subprocess
import sys
from types import SimpleNamespace

import nbformat
import pytest

from laoyou_eval import cli, devsetup
from laoyou_eval.errors import LaoyouError
from laoyou_eval.report import build

from conftest import REPO


def git(repo, *args):
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path):
    folder = tmp_path / "project"
    (folder / "notebooks" / "exploratory").mkdir(parents=True)
    (folder / ".gitattributes").write_text((REPO / ".gitattributes").read_text(encoding="utf-8"), encoding="utf-8")
    git(folder, "init", "-q")
    return folder


def notebook_with_output():
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell("print('张三 13812345678')", execution_count=1, outputs=[
        nbformat.v4.new_output("stream", name="stdout", text="张三 13812345678\n")]))
    return nb


def test_setup_registers_the_kernel_and_strips_exploratory_notebooks(repo, tmp_path):
    done = devsetup.setup(repo, prefix=tmp_path / "env")
    assert len(done) == 2
    spec = json.loads((tmp_path / "env/share/jupyter/kernels/laoyou-eval/kernel.json").read_text(encoding="utf-8"))
    assert spec["display_name"] == "laoyou_eval (.venv)" and spec["argv"][0] == sys.executable
    assert git(repo, "config", "--local", "filter.nbstripout.required").strip() == "true"
    # end to end: git itself runs the filter when an exploratory notebook is staged
    kept, stripped = repo / "notebooks" / "kept.ipynb", repo / "notebooks" / "exploratory" / "mine.ipynb"
    for path in (kept, stripped):
        nbformat.write(notebook_with_output(), path)
    git(repo, "add", ".")
    staged = nbformat.reads(git(repo, "show", ":notebooks/exploratory/mine.ipynb"), as_version=4)
    assert staged.cells[0].outputs == [] and staged.cells[0].execution_count is None
    validated = nbformat.reads(git(repo, "show", ":notebooks/kept.ipynb"), as_version=4)
    assert validated.cells[0].outputs                      # numbered notebooks keep their outputs


def test_make_setup_and_the_cli_run_the_same_set_up(repo, tmp_path, monkeypatch, capsys):
    assert "-m laoyou_eval.devsetup" in (REPO / "Makefile").read_text(encoding="utf-8")
    calls = []
    monkeypatch.setattr(devsetup, "main", lambda argv: calls.append(argv) or 0)
    assert cli.main(["setup"]) == 0 and calls == [[]]


def test_filter_command_uses_forward_slashes_for_windows_paths():
    settings = devsetup.git_filter_settings(r"C:\Users\stu\laoyou\.venv\Scripts\python.exe")
    assert settings["filter.nbstripout.clean"] == '"C:/Users/stu/laoyou/.venv/Scripts/python.exe" -m nbstripout'


def test_outside_a_repository_or_without_the_attributes_line_is_an_error(tmp_path, capsys):
    with pytest.raises(LaoyouError, match="Not inside a git repository"):
        devsetup.configure_git_filter(tmp_path)
    git(tmp_path, "init", "-q")
    assert devsetup.main([str(tmp_path)]) == 2
    assert "filter line of the exploratory notebooks" in capsys.readouterr().err


def test_report_uses_the_project_kernel_only_when_it_runs_this_interpreter(monkeypatch):
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    def registered(argv0):
        monkeypatch.setattr(KernelSpecManager, "get_kernel_spec", lambda self, name: SimpleNamespace(argv=[argv0]))

    registered(sys.executable)
    assert build.kernel_name() == "laoyou-eval"
    registered("/elsewhere/.venv/bin/python")
    assert build.kernel_name() == "python3"

    def missing(self, name):
        raise NoSuchKernel(name)

    monkeypatch.setattr(KernelSpecManager, "get_kernel_spec", missing)
    assert build.kernel_name() == "python3"
