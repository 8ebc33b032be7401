"""Project paths.  Notebooks and commands take every path from here, never hard-code one.

``PROJ_ROOT`` is the folder that holds ``pyproject.toml`` when the package is used from a
checkout (the normal case for students).  It can be overridden with the environment variable
``LAOYOU_EVAL_ROOT`` (used by the tests to run the whole pipeline in a temporary folder).

Attributes
----------
PROJ_ROOT : pathlib.Path
    Project root.
DATA_DIR, RAW_DIR, PROCESSED_DIR : pathlib.Path
    ``data/``, ``data/raw/`` (immutable inputs) and ``data/processed/`` (derived tables).
DEMO_STUDY_DIR : pathlib.Path
    ``data/raw/demo/``, the synthetic demo study committed with the repository.
NOTEBOOKS_DIR : pathlib.Path
    ``notebooks/``, the numbered, validated notebooks.
REPORTS_DIR : pathlib.Path
    ``reports/``, generated case-study reports and figures.
DEMO_SEED : int
    Seed of the committed demo study.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _find_root() -> Path:
    override = os.environ.get("LAOYOU_EVAL_ROOT")
    if override:
        return Path(override).expanduser().resolve()
    checkout = _PACKAGE_DIR.parent
    if (checkout / "pyproject.toml").is_file():
        return checkout
    return Path.cwd().resolve()


PROJ_ROOT: Path = _find_root()
DATA_DIR: Path = PROJ_ROOT / "data"
RAW_DIR: Path = DATA_DIR / "raw"
PROCESSED_DIR: Path = DATA_DIR / "processed"
DEMO_STUDY_DIR: Path = RAW_DIR / "demo"
NOTEBOOKS_DIR: Path = PROJ_ROOT / "notebooks"
REPORTS_DIR: Path = PROJ_ROOT / "reports"
DEMO_SEED: int = 20240601

__all__ = [
    "PROJ_ROOT",
    "DATA_DIR",
    "RAW_DIR",
    "PROCESSED_DIR",
    "DEMO_STUDY_DIR",
    "NOTEBOOKS_DIR",
    "REPORTS_DIR",
    "DEMO_SEED",
]

#: Counts of people below this are never shown as numbers (tables show "<5", sentences
#: "fewer than 5"): the one small-cell threshold of the package.
SMALL_CELL_THRESHOLD = 5
