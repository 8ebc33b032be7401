"""A study folder: its metadata, a check that everything is there, and what it contains.

A study folder is laid out like ``data/raw/demo/`` (see
:data:`laoyou_eval.demo.STUDY_FILES`) and described by its ``study.yaml``.  The functions
here read it without ever writing to it, and report respondents by identifier only: the
roster's names, phones and ID numbers are never returned.
"""

from __future__ import annotations

import json
from pathlib import Path

from laoyou_eval.errors import StudyFolderError
from laoyou_eval.io import read_table

REQUIRED_KEYS = ("waves", "arms", "files", "surveys")


def load_metadata(study_dir: str | Path) -> dict:
    """Read and check ``study.yaml``.

    Raises
    ------
    StudyFolderError
        If ``study.yaml`` is missing or lacks one of the keys waves, arms, files, surveys.
    """
    import yaml

    path = Path(study_dir) / "study.yaml"
    if not path.is_file():
        raise StudyFolderError("研究文件夹里没有 study.yaml。", "The study folder has no study.yaml.",
                               file=path, hint_zh="参照 data/raw/demo/study.yaml 写一个。",
                               hint_en="write one modelled on data/raw/demo/study.yaml.")
    meta = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    missing = [key for key in REQUIRED_KEYS if key not in meta]
    if missing:
        raise StudyFolderError(f"study.yaml 缺少：{', '.join(missing)}。",
                               f"study.yaml lacks: {', '.join(missing)}.", file=path)
    return meta


def check_study_folder(study_dir: str | Path) -> dict:
    """Check that every file ``study.yaml`` lists exists and is not empty, and that every
    survey export has the identifier column ``study.yaml`` names.

    Returns
    -------
    dict
        The metadata, when everything is in place.

    Raises
    ------
    StudyFolderError
        Listing *all* missing or empty files at once, so a student can fix them in one go.
    """
    study_dir = Path(study_dir)
    if not study_dir.is_dir():
        raise StudyFolderError("找不到研究文件夹。", "Study folder not found.", file=study_dir)
    meta = load_metadata(study_dir)
    problems = []
    for rel in meta["files"]:
        path = study_dir / rel
        if not path.is_file():
            problems.append(f"缺少 missing: {rel}")
        elif path.stat().st_size == 0:
            problems.append(f"空文件 empty: {rel}")
    for survey in meta["surveys"]:
        path = study_dir / survey["file"]
        if path.is_file() and path.stat().st_size:
            header = read_table(path, nrows=0).columns
            if survey["id_question"] not in header:
                problems.append(f"缺少编号列 missing id column {survey['id_question']!r}: {survey['file']}")
    if problems:
        listing = "\n  ".join(problems)
        raise StudyFolderError(f"研究文件夹不完整：\n  {listing}", f"The study folder is incomplete ({len(problems)} problems, listed above).",
                               file=study_dir)
    return meta


def inventory(study_dir: str | Path):
    """One row per file of the study: what it is, its size and encoding.

    Returns
    -------
    pandas.DataFrame
        Columns ``file``, ``kind``, ``about``, ``rows``, ``columns``, ``encoding``
        (rows/columns/encoding are NA for non-tabular files).
    """
    import pandas as pd

    study_dir = Path(study_dir)
    meta = check_study_folder(study_dir)
    records = []
    for rel, info in meta["files"].items():
        record = {"file": rel, "kind": info["kind"], "about": info["about"],
                  "rows": pd.NA, "columns": pd.NA, "encoding": pd.NA}
        if Path(rel).suffix in {".csv", ".xlsx", ".xls"}:
            table = read_table(study_dir / rel)
            record.update(rows=len(table), columns=table.shape[1], encoding=table.attrs["encoding"])
        records.append(record)
    out = pd.DataFrame(records)
    return out.astype({"rows": "Int64", "columns": "Int64"})


def load_truth(study_dir: str | Path) -> dict:
    """The planted effects of a synthetic study (``truth.json``); real studies have none."""
    path = Path(study_dir) / "truth.json"
    if not path.is_file():
        raise StudyFolderError("没有 truth.json：只有演示数据才有预设效应。",
                               "No truth.json: only synthetic studies have planted effects.", file=path)
    return json.loads(path.read_text(encoding="utf-8"))


def arms(study_dir: str | Path):
    """Identifier → study arm for residents and caregivers, read from the roster.

    Returns
    -------
    pandas.DataFrame
        Columns ``respondent_id``, ``population`` (residents/caregivers), ``arm``; no
        personal data.
    """
    import pandas as pd

    meta = load_metadata(study_dir)
    roster = read_table(Path(study_dir) / "roster.csv")
    ids = meta["id_columns"]
    enrolled = roster[roster["arm"].isin(list(meta["arms"]))]
    return pd.concat(
        [pd.DataFrame({"respondent_id": enrolled[ids["resident"]], "population": "residents", "arm": enrolled["arm"]}),
         pd.DataFrame({"respondent_id": enrolled[ids["caregiver"]], "population": "caregivers", "arm": enrolled["arm"]})],
        ignore_index=True,
    )


def survey_responses(study_dir: str | Path):
    """Submissions per survey export, matched to the roster by identifier.

    Identifiers are compared after removing surrounding spaces and upper-casing; every
    submission whose identifier needed that is counted in ``ids_normalised``, and every one
    that still matches nobody in ``unmatched`` — nothing is dropped.

    Returns
    -------
    pandas.DataFrame
        One row per (survey file, arm): ``file``, ``population``, ``wave``, ``layout``,
        ``arm`` (``"unmatched"`` for identifiers not on the roster), ``submissions``,
        ``respondents`` (distinct identifiers), ``duplicate_submissions``,
        ``ids_normalised``.
    """
    import pandas as pd

    study_dir = Path(study_dir)
    meta = load_metadata(study_dir)
    arm_of = arms(study_dir)
    rows = []
    for survey in meta["surveys"]:
        table = read_table(study_dir / survey["file"])
        raw_ids = table[survey["id_question"]]
        ids = raw_ids.str.strip().str.upper()
        lookup = arm_of[arm_of.population == survey["population"]].set_index("respondent_id")["arm"]
        frame = pd.DataFrame({"id": ids, "arm": ids.map(lookup).fillna("unmatched"),
                              "normalised": ids != raw_ids})
        for arm, group in frame.groupby("arm", sort=True):
            rows.append({
                "file": survey["file"], "population": survey["population"], "wave": survey["wave"],
                "layout": survey["layout"], "arm": arm, "submissions": len(group),
                "respondents": group["id"].nunique(),
                "duplicate_submissions": len(group) - group["id"].nunique(),
                "ids_normalised": int(group["normalised"].sum()),
            })
    return pd.DataFrame(rows)


def activity_summary(study_dir: str | Path):
    """Sessions and person-visits per programme activity, by participant type.

    Returns
    -------
    pandas.DataFrame
        One row per activity: ``activity``, ``sessions``, ``visits`` and one visits column
        per participant type (居民, 家长, 志愿者), largest activity first.
    """
    attendance = read_table(Path(study_dir) / "process/activity_attendance.csv")
    by_type = attendance.pivot_table(index="activity", columns="participant_type", values="session_id",
                                     aggfunc="count", fill_value=0)
    by_type.columns.name = None
    summary = attendance.groupby("activity").agg(sessions=("session_id", "nunique"), visits=("session_id", "size"))
    return summary.join(by_type).sort_values("visits", ascending=False, kind="stable").reset_index()


def planted_effects(study_dir: str | Path, kind: str = "population"):
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
        rows += [{"measure": key, "programme": prog[key], "comparison": comp[key]} for key in prog]
    return pd.DataFrame(rows)


AGE_BANDS = ((0, 18, "<18"), (18, 25, "18-24"), (25, 30, "25-29"), (30, 36, "30-35"), (36, 200, "36+"))
QUASI_IDENTIFIERS = ("age_band", "sex", "disability_type", "community")


def quasi_identifiers(study_dir):
    """Enrolled residents' quasi-identifiers (age band at baseline, sex, disability type,
    community) for disclosure checks — no names, numbers or exact dates.

    Returns
    -------
    pandas.DataFrame
        One row per enrolled resident with :data:`QUASI_IDENTIFIERS` as columns.
    """
    import pandas as pd

    meta = load_metadata(study_dir)
    roster = read_table(Path(study_dir) / "roster.csv")
    enrolled = roster[roster["arm"].isin(list(meta["arms"]))]
    baseline = pd.Timestamp(meta["waves"][1]["date"])
    age = (baseline - pd.to_datetime(enrolled["birth_date"])).dt.days // 365
    bands = pd.cut(age, [b[0] for b in AGE_BANDS] + [AGE_BANDS[-1][1]], right=False, labels=[b[2] for b in AGE_BANDS])
    return pd.DataFrame({"age_band": bands.astype(str), "sex": enrolled["sex"],
                         "disability_type": enrolled["disability_type"], "community": enrolled["community"]}
                        ).reset_index(drop=True)


def families(study_dir):
    """Which caregiver belongs to which resident (the two identifiers only, from the roster)."""
    meta = load_metadata(study_dir)
    ids = meta["id_columns"]
    roster = read_table(Path(study_dir) / "roster.csv")
    return roster[[ids["resident"], ids["caregiver"]]].rename(
        columns={ids["resident"]: "resident_id", ids["caregiver"]: "caregiver_id"})
