"""environment.yml must stay a thin wrapper around pyproject.toml (the dependency ranges) and
requirements/lock.txt (the exact versions); every set-up path installs with the lock."""

import re
import tomllib

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from conftest import REPO

LOCK = REPO / "requirements" / "lock.txt"


def _env():
    return yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))


def _project():
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_environment_installs_the_project_and_nothing_else():
    deps = _env()["dependencies"]
    pip_sections = [d["pip"] for d in deps if isinstance(d, dict)]
    conda_pkgs = sorted(d.split("=")[0] for d in deps if isinstance(d, str))
    assert pip_sections == [["-c requirements/lock.txt", "-e .[dev]"]]
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


def _locked() -> dict[str, str]:
    lines = [line for line in LOCK.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    pins = dict(line.split("==") for line in lines)
    assert all(re.fullmatch(r"[A-Za-z0-9._-]+", name) for name in pins), "only plain name==version lines"
    return {canonicalize_name(name): version for name, version in pins.items()}


def _direct() -> list[Requirement]:
    project = _project()
    return [Requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"]]


def test_lock_pins_every_dependency_within_the_pyproject_ranges():
    locked = _locked()
    assert "laoyou-eval" not in locked, "the project itself is not locked"
    for requirement in _direct():
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{requirement.name} is not in requirements/lock.txt (run make lock)"
        assert requirement.specifier.contains(locked[name], prereleases=True), \
            f"locked {requirement.name}=={locked[name]} is outside pyproject's {requirement.specifier}"


def test_lock_is_complete_for_the_transitive_dependencies():
    """Every requirement of every locked package (on Linux, Python 3.11) is locked too."""
    from importlib import metadata

    locked = _locked()
    for name in locked:
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            pytest.fail(f"{name} is locked but not installed in this environment (run make setup)")
        for line in requires:
            requirement = Requirement(line)
            environment = {"extra": "", "python_version": "3.11", "sys_platform": "linux", "platform_system": "Linux"}
            if requirement.marker is None or requirement.marker.evaluate(environment):
                assert canonicalize_name(requirement.name) in locked, f"{name} needs {requirement.name}, not locked"


@pytest.mark.parametrize("path", ["Makefile", "README.md"])
def test_every_set_up_path_installs_with_the_lock(path):
    text = (REPO / path).read_text(encoding="utf-8")
    if path == "Makefile":                         # `make lock` alone resolves afresh from the ranges
        lock_recipe = text[text.index("\nlock:"):].split("\n\n")[0]
        text = text.replace(lock_recipe, "")
    installs = re.findall(r"pip install[^\n`]*-e \"?\.\[dev", text)
    assert installs and all("-c requirements/lock.txt" in line or "-c $(LOCK)" in line for line in installs)


def test_lock_target_refreshes_from_the_ranges_and_reexecutes_the_notebooks():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    recipe = makefile[makefile.index("\nlock:"):].split("\n\n")[0]
    assert "rm -rf $(VENV)" in recipe and "pip freeze --exclude-editable" in recipe
    assert "notebooks" in recipe.splitlines()[-3]
    assert "-c $(LOCK)" not in recipe.split("pip freeze")[0], "the refresh resolves from pyproject's ranges"


def test_ruff_is_pinned_in_dev_and_lock():
    ruff = next(r for r in _direct() if r.name == "ruff")
    assert str(ruff.specifier) == f"=={_locked()['ruff']}"
