"""The CI templates students copy run the README's test command."""

import yaml

from conftest import REPO


def test_templates_parse_and_run_make_test():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "make test" in readme
    github = yaml.safe_load((REPO / "ci_templates/github/.github/workflows/notebooks.yml").read_text(encoding="utf-8"))
    steps = github["jobs"]["nbval"]["steps"]
    assert any(step.get("run") == "make test" for step in steps)
    assert any("fonts-noto-cjk" in step.get("run", "") for step in steps)
    gitee = yaml.safe_load((REPO / "ci_templates/gitee/.workflow/notebooks.yml").read_text(encoding="utf-8"))
    commands = gitee["stages"][0]["steps"][0]["commands"]
    assert commands[-1] == "make test" and any("fonts-noto-cjk" in c for c in commands)


def test_ci_runs_the_readme_test_command():
    assert "\nmake test\n" in (REPO / ".ci/run").read_text(encoding="utf-8")


def test_ci_builds_from_the_lock_in_a_fresh_clone_without_cache():
    run = (REPO / ".ci/run").read_text(encoding="utf-8")
    assert "PIP_NO_CACHE_DIR=1" in run and "git clone" in run
    assert run.index("git clone") < run.index("\nmake test\n")
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "pip install -q -c $(LOCK) -e \".[dev]\"" in makefile and "LOCK := requirements/lock.txt" in makefile
