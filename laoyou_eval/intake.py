"""Intake of a study's survey exports: read every export ``study.yaml`` lists, code it with
its codebook (cross-checking the code export where one exists), and collect one data-quality
report for the whole study.

>>> from laoyou_eval import config, intake
>>> surveys = intake.code_surveys(config.DEMO_STUDY_DIR)        # doctest: +SKIP
>>> surveys.quality                                             # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from laoyou_eval import coding, scoring, study
from laoyou_eval.io import quality_report, read_wjx
from laoyou_eval.quality import QUALITY_COLUMNS


@dataclass
class CodedStudy:
    """The coded surveys of a study.

    Attributes
    ----------
    surveys : dict
        ``(population, wave) -> CodedSurvey``.
    files : pandas.DataFrame
        One row per export read: file, population, wave, layout, encoding, submissions,
        kept (after duplicates), cross_checked_with.
    quality : pandas.DataFrame
        Every quality issue of every export (reader and coding), with population and wave.
    arms : pandas.DataFrame
        respondent_id, population, arm (from the roster; no personal data).
    """

    surveys: dict
    files: object
    quality: object
    arms: object

    def codebook(self, population: str):
        return next(c.codebook for (p, _), c in self.surveys.items() if p == population)


def code_surveys(study_dir, duplicates: str = "keep_last") -> CodedStudy:
    """Read and code every text export of the study (code exports are used to cross-check).

    Parameters
    ----------
    study_dir : path
        A study folder (see :func:`laoyou_eval.study.check_study_folder`).
    duplicates : str
        Passed to :func:`laoyou_eval.coding.apply`.

    Returns
    -------
    CodedStudy
    """
    import pandas as pd

    study_dir = Path(study_dir)
    meta = study.check_study_folder(study_dir)
    entries = meta["surveys"]
    code_exports = {(e["population"], e["wave"]): e["file"] for e in entries if e["layout"] == "code"}
    books: dict[str, coding.Codebook] = {}
    surveys, files, quality = {}, [], []
    for entry in entries:
        if entry["layout"] != "text":
            continue
        key = (entry["population"], entry["wave"])
        code_file = code_exports.get(key)
        raw = read_wjx(study_dir / entry["file"], None if code_file is None else study_dir / code_file)
        book = books.setdefault(entry["codebook"], coding.Codebook.read(study_dir / entry["codebook"]))
        coded = coding.apply(raw, book, wave=entry["wave"], duplicates=duplicates)
        surveys[key] = coded
        files.append({"file": entry["file"], "population": key[0], "wave": key[1], "layout": raw.attrs["layout"],
                      "encoding": raw.attrs["encoding"], "submissions": len(raw), "kept": len(coded.data),
                      "cross_checked_with": code_file or ""})
        for report in (quality_report(raw), coded.quality):
            if not report.empty:
                quality.append(report.assign(population=key[0], wave=key[1]))
    quality = (pd.concat(quality, ignore_index=True) if quality
               else pd.DataFrame(columns=[*QUALITY_COLUMNS, "population", "wave"]))
    return CodedStudy(surveys=surveys, files=pd.DataFrame(files), quality=quality, arms=study.arms(study_dir))


def scores(coded: CodedStudy):
    """Scale scores of every coded survey, one row per (population, wave, respondent).

    Returns
    -------
    pandas.DataFrame
        population, wave, respondent_id, arm, then the score columns of
        :func:`laoyou_eval.scoring.score_all` for that population's scales.
    """
    import pandas as pd

    parts = []
    for (population, wave), survey in coded.surveys.items():
        book = survey.codebook
        scored = scoring.score_all(survey.data, book).rename(columns={book.id_column: "respondent_id"})
        scored.insert(0, "wave", wave)
        scored.insert(0, "population", population)
        parts.append(scored)
    out = pd.concat(parts, ignore_index=True)
    arms = coded.arms[["respondent_id", "arm"]].drop_duplicates("respondent_id")
    out = out.merge(arms, on="respondent_id", how="left")
    out["arm"] = out["arm"].fillna("unmatched")
    first = ["population", "wave", "respondent_id", "arm"]
    return out[first + [c for c in out.columns if c not in first]]
