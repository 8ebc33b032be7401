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


def code_surveys(study_dir, duplicates: str = "keep_last", pseudonymiser=None) -> CodedStudy:
    """Read and code every text export of the study (code exports are used to cross-check).

    Parameters
    ----------
    study_dir : path
        A study folder (see :func:`laoyou_eval.study.check_study_folder`).
    duplicates : str
        Passed to :func:`laoyou_eval.coding.apply`.
    pseudonymiser : laoyou_eval.privacy.Pseudonymiser, optional
        For questions the codebook marks ``privacy = pseudonymise``.

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
        coded = coding.apply(raw, book, wave=entry["wave"], duplicates=duplicates, pseudonymiser=pseudonymiser)
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


def scores(coded: CodedStudy, items=()):
    """Scale scores of every coded survey, one row per (population, wave, respondent).

    Parameters
    ----------
    coded : CodedStudy
    items : sequence of str
        Coded questions to carry along as outcomes (e.g. ``"respite_hours"``), where a
        survey has them.

    Returns
    -------
    pandas.DataFrame
        population, wave, respondent_id, arm, then the score columns of
        :func:`laoyou_eval.scoring.score_all` for that population's scales and the ``items``.
    """
    import pandas as pd

    parts = []
    for (population, wave), survey in coded.surveys.items():
        book = survey.codebook
        scored = scoring.score_all(survey.data, book)
        extra = [c for c in items if c in survey.data.columns]
        scored[extra] = survey.data[extra].astype("Float64")
        scored = scored.rename(columns={book.id_column: "respondent_id"})
        scored.insert(0, "wave", wave)
        scored.insert(0, "population", population)
        parts.append(scored)
    out = pd.concat(parts, ignore_index=True)
    arms = coded.arms[["respondent_id", "arm"]].drop_duplicates("respondent_id")
    out = out.merge(arms, on="respondent_id", how="left")
    out["arm"] = out["arm"].fillna("unmatched")
    first = ["population", "wave", "respondent_id", "arm"]
    return out[first + [c for c in out.columns if c not in first]]


#: Raw tables copied to processed data as they are (no personal data in them).
PLAIN_TABLES = ("networks/alter_ties_w1.csv", "networks/alter_ties_w2.csv", "parents_group/members.csv",
                "parents_group/ties_w1.csv", "parents_group/ties_w2.csv", "process/volunteer_training.csv",
                "process/buddy_contacts.csv", "process/activity_attendance.csv", "process/job_placements.csv",
                "open_ended/themes.csv", "open_ended/coder_a.csv", "open_ended/coder_b.csv")
#: Columns removed from raw tables that hold direct identifiers.
PERSONAL_COLUMNS = {"process/volunteers.csv": ("name", "phone")}


def run(study_dir, out_dir=None):
    """Intake: code every survey, pseudonymise, and write the study's processed tables.

    Parameters
    ----------
    study_dir : path
        A study folder (read only, never modified).
    out_dir : path, optional
        Default ``data/processed/<study folder name>/``.

    Returns
    -------
    pathlib.Path
        The processed folder, with ``manifest.json`` (input and output hashes, version,
        parameters, key fingerprint).

    Notes
    -----
    What leaves ``data/raw``: coded survey answers without the columns a codebook marks
    ``privacy = drop`` and without 来源详情/来自IP; free text with phone numbers, ID numbers,
    IP and e-mail addresses and the names of residents, caregivers and volunteers replaced by
    placeholders (:func:`laoyou_eval.privacy.redact`); alters' names replaced by keyed
    pseudonyms (``alter_key``, stable across waves, so alters can still be matched); the
    volunteer roster without names and phone numbers; the roster itself only as identifier →
    arm.  Every file is written atomically; the output folder is scanned afterwards and any
    finding is an error.
    """
    from laoyou_eval import config, privacy, storage
    from laoyou_eval.io import read_table

    study_dir = Path(study_dir)
    out = storage.guard_not_raw(Path(out_dir) if out_dir else config.PROCESSED_DIR / study_dir.resolve().name)
    previous = storage.read_manifest(out) or {}
    pseudonymiser = privacy.Pseudonymiser.for_study(study_dir.resolve().name,
                                                     previous.get("parameters", {}).get("key_fingerprint"))
    names = privacy.study_names(study_dir)
    coded = code_surveys(study_dir, pseudonymiser=pseudonymiser)
    written = []

    def redact_text_columns(df):
        df = df.copy()
        for column in df.columns:
            if df[column].dtype == object or str(df[column].dtype) in ("str", "string"):
                df[column] = df[column].map(lambda v: privacy.redact(v, names) if isinstance(v, str) else v)
        return df

    for (population, wave), survey in coded.surveys.items():
        written.append(storage.write_csv(redact_text_columns(survey.data), out / f"surveys/{population}_w{wave}.csv"))
        written.append(storage.write_csv(survey.missing, out / f"surveys/{population}_w{wave}_missing.csv"))
    written.append(storage.write_csv(redact_text_columns(coded.quality), out / "surveys/quality.csv"))
    written.append(storage.write_csv(scores(coded), out / "surveys/scores.csv"))
    written.append(storage.write_csv(coded.arms, out / "arms.csv"))
    inputs = [study_dir / e["file"] for e in study.load_metadata(study_dir)["surveys"]]
    for wave in (1, 2):
        rel = f"networks/alters_w{wave}.csv"
        alters = read_table(study_dir / rel)
        alters.insert(3, "alter_key", [pseudonymiser(f"{e}|{n}", kind="alter") for e, n in zip(alters.ego_id, alters.alter_name)])
        written.append(storage.write_csv(alters.drop(columns="alter_name"), out / rel))
        inputs.append(study_dir / rel)
    for rel in PLAIN_TABLES:
        written.append(storage.write_csv(read_table(study_dir / rel), out / rel))
        inputs.append(study_dir / rel)
    volunteers = read_table(study_dir / "process/volunteers.csv")
    written.append(storage.write_csv(volunteers.drop(columns=list(PERSONAL_COLUMNS["process/volunteers.csv"])),
                                     out / "process/volunteers.csv"))
    responses = read_table(study_dir / "open_ended/responses.csv")
    written.append(storage.write_csv(redact_text_columns(responses), out / "open_ended/responses.csv"))
    inputs += [study_dir / "process/volunteers.csv", study_dir / "open_ended/responses.csv", study_dir / "roster.csv"]
    findings = privacy.scan(out, names=names)
    if len(findings):
        raise _leak_error(findings)
    storage.write_manifest(out, inputs, written, {"study": study_dir.resolve().name,
                                                  "key_fingerprint": pseudonymiser.fingerprint})
    return out


def _leak_error(findings):
    from laoyou_eval.errors import LaoyouError

    first = findings.iloc[0]
    return LaoyouError(f"处理后的数据中仍有 {len(findings)} 处个人信息（如 {first.kind}：{first.excerpt}）。",
                       f"{len(findings)} pieces of personal data remain in the processed data.",
                       file=first.file, hint_zh="检查编码表的 privacy 列。", hint_en="check the codebook's privacy column.")
