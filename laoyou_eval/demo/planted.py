"""The planted effects of a synthetic study (``truth.json``), for the demo's recovery checks."""

from __future__ import annotations

import json
from pathlib import Path

from laoyou_eval.errors import StudyFolderError


def load_truth(study_dir) -> dict:
    """The planted effects of a synthetic study (``truth.json``); real studies have none."""
    path = Path(study_dir) / "truth.json"
    if not path.is_file():
        raise StudyFolderError("没有 truth.json：只有演示数据才有预设效应。",
                               "No truth.json: only synthetic studies have planted effects.", file=path)
    return json.loads(path.read_text(encoding="utf-8"))


def planted_effects(study_dir, kind: str = "population"):
    """Expected score and network changes of a synthetic study, or None for a real study.

    Parameters
    ----------
    kind : {"population", "sample"}
        The population model's expected change, or the expected change of the people in this
        sample (completers, their own engagement, respite and wave-1 networks held fixed) —
        the quantity a paired or difference-in-differences estimate targets.

    Returns
    -------
    pandas.DataFrame or None
        Columns ``measure``, ``programme``, ``comparison`` (expected wave-2 minus wave-1
        change per arm, from ``truth.json``).
    """
    import pandas as pd

    if not (Path(study_dir) / "truth.json").is_file():
        return None
    expected = load_truth(study_dir)["expected"]
    prefix = {"population": "", "sample": "sample_"}[kind]
    rows = []
    for section in (f"{prefix}score_change", f"{prefix}network_change"):
        prog, comp = expected[section]["programme"], expected[section]["comparison"]
        rows += [{"measure": key, "programme": prog[key], "comparison": comp.get(key)} for key in prog]
    return pd.DataFrame(rows)
