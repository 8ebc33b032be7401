"""environment.yml must stay a thin wrapper around pyproject.toml (the single dependency source)."""

import tomllib

import yaml

from conftest import REPO


def _env():
    return yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))


def _project():
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_environment_installs_the_project_and_nothing_else():
    deps = _env()["dependencies"]
    pip_sections = [d["pip"] for d in deps if isinstance(d, dict)]
    conda_pkgs = sorted(d.split("=")[0] for d in deps if isinstance(d, str))
    assert pip_sections == [["-e .[dev]"]]
    assert conda_pkgs == ["pip", "python"]


def test_python_version_matches_pyproject():
    python = next(d for d in _env()["dependencies"] if isinstance(d, str) and d.startswith("python="))
    version = tuple(int(x) for x in python.split("=")[1].split("."))
    spec = _project()["requires-python"]
    lower = next(p for p in spec.split(",") if p.startswith(">="))
    upper = next(p for p in spec.split(",") if p.startswith("<"))
    assert version >= tuple(int(x) for x in lower[2:].split("."))
    assert version < tuple(int(x) for x in upper[1:].split("."))


def test_dev_extra_exists_with_the_test_tools():
    dev = " ".join(_project()["optional-dependencies"]["dev"])
    for tool in ("pytest", "nbval", "jupyterlab", "nbstripout"):
        assert tool in dev


def test_pandas_major_is_pinned():
    """Stored notebook outputs depend on pandas 3's repr (str dtype, NaN)."""
    pandas = next(d for d in _project()["dependencies"] if d.startswith("pandas"))
    assert ">=3" in pandas and "<4" in pandas
