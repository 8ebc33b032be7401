"""Shared fixtures.  Figures are drawn with the non-interactive Agg backend."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")
# pseudonymisation keys made by tests never go to the user's real key folder
os.environ["LAOYOU_EVAL_KEY_DIR"] = tempfile.mkdtemp(prefix="laoyou_keys_")

REPO = Path(__file__).resolve().parents[1]


def tree_digest(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under ``folder``, keyed by relative path."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def demo_study(tmp_path_factory) -> Path:
    """A freshly generated demo study (default seed and size) in a temporary folder."""
    from laoyou_eval import demo

    return demo.generate(tmp_path_factory.mktemp("demo") / "study")


@pytest.fixture
def demo_labels():
    """The demo study's own labels (activities, venues, relations) registered for one test."""
    from laoyou_eval import i18n
    from laoyou_eval.demo import settings

    settings.use_demo_labels()
    yield
    i18n.reset_vocabulary()
