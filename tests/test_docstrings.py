"""Every module's docstring examples run (the numpydoc ``Examples`` sections are documentation
that must stay true), in the same way as ``pytest --doctest-modules laoyou_eval``."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import laoyou_eval
from laoyou_eval.report import i18n

MODULES = sorted(name for _, name, _ in pkgutil.walk_packages(laoyou_eval.__path__, "laoyou_eval.")
                 if not name.endswith("__main__"))


def test_every_module_is_collected():
    assert len(MODULES) > 50 and "laoyou_eval.outcomes.attrition" in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)                    # examples that write files write them here
    language = i18n.report_language()
    try:
        failed, attempted = doctest.testmod(importlib.import_module(name), report=True,
                                            optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    finally:
        i18n.set_language(language)                # an example that switches language does not leak
    assert failed == 0, f"{failed} of {attempted} docstring examples of {name} failed (output above)"
