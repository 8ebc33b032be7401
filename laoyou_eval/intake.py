"""Intake: the one step that reads ``data/raw/<study>/`` and writes ``data/processed/<study>/``.

Everything the study's ``study.yaml`` declares — and only that — is read, coded, pseudonymised
and redacted; the result is built in a **staging folder**, scanned for personal data, and only
then published over ``data/processed/<study>/`` in one rename, manifest included.  A failed
scan or an interrupted run leaves the previous processed folder (or none), never a half-written
or unchecked one.  Nothing after intake reads the raw folder: the analyses and the report use
:func:`laoyou_eval.dataset.load`.
(long module: the one orchestrator of every kind of input — surveys, screening, roster, networks,
group, process records, open answers — staged and published together; the reading and coding of
each kind lives in its own package.)

Processed layout (all CSV UTF-8 with BOM; files are named by kind and wave, never by the raw
file names, which may hold a person's name)::

    manifest.json                 input hashes by kind, outputs, version, key fingerprint
    study.yaml                    the study's declaration (copied)
    inventory.csv                 kind, population, wave, rows, columns, encoding
    arms.csv, families.csv        identifier → arm; resident ↔ caregiver
    quasi_identifiers.csv         coarse attributes (age band, sex, …) for disclosure checks
    codebooks/<population>.yaml   the codebooks, as YAML
    surveys/<population>_w<N>.csv, surveys/<population>_w<N>_missing.csv
    surveys/responses.csv         submissions per population, wave and arm
    surveys/quality.csv           every data-quality issue (values masked)
    scores.csv                    scale scores, one row per population, wave, respondent
    networks/alters_w<N>.csv, networks/alter_ties_w<N>.csv
    group/members.csv, group/ties_w<N>.csv
    process/<kind>.csv            volunteers, training, contacts, attendance, jobs
    open_ended/responses.csv, open_ended/themes.csv, open_ended/codes_<coder>.csv

>>> from laoyou_eval import config, intake
>>> coded = intake.code_surveys(config.DEMO_STUDY_DIR)        # doctest: +SKIP
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from laoyou_eval import coding, scoring, study
from laoyou_eval.coding import screening
from laoyou_eval.coding.codebook import attachments
from laoyou_eval.errors import LaoyouError
from laoyou_eval.io import quality_report
from laoyou_eval.quality import ISSUES, QUALITY_COLUMNS

#: Processed-data format version (bump when the layout changes: stale folders are re-made).
FORMAT = 2
#: Columns of alters, group and process files that hold direct identifiers and are never kept.
PERSONAL_COLUMNS = ("name", "姓名", "phone", "电话", "手机", "手机号", "mobile", "id_number", "身份证号", "address",
                    "住址", "地址", "wechat", "微信", "qq", "email", "邮箱", "alter_name", "caregiver_name")


@dataclass
class CodedStudy:
    """The coded surveys of a study.

    Attributes
    ----------
    spec : StudySpec
    surveys : dict
        ``(population, wave) -> CodedSurvey``.
    files : pandas.DataFrame
        One row per export read: population, wave, layout, encoding, submissions, kept,
        cross_checked (no file names).
    quality : pandas.DataFrame
        Every quality issue of every export (reader and coding), with population and wave;
        ``file`` names the export by population, wave and layout.
    arms : pandas.DataFrame
        respondent_id, population, arm (from the roster; no personal data).
    responses : pandas.DataFrame
        Respondents per population, wave and arm, with the number enrolled.
    flags : pandas.DataFrame
        Response-quality screening (:func:`laoyou_eval.coding.screening.screen`): one row per
        submission, a column per rule, ``excluded`` as study.yaml's ``screening:`` decides.
    """

    spec: object
    surveys: dict
    files: object
    quality: object
    arms: object
    responses: object = None
    flags: object = None

    def codebook(self, population: str):
        return next(c.codebook for (p, _), c in self.surveys.items() if p == population)


def _export_label(entry) -> str:
    return f"{entry.population} w{entry.wave} ({entry.layout})"


def code_surveys(study_dir, duplicates: str = "keep_last", pseudonymiser=None, spec=None) -> CodedStudy:
    """Read and code every survey export ``study.yaml`` lists (code exports cross-check text ones).

    Parameters
    ----------
    study_dir : path
    duplicates : str
        Passed to :func:`laoyou_eval.coding.apply`.
    pseudonymiser : laoyou_eval.privacy.Pseudonymiser, optional
        For questions the codebook marks ``privacy = pseudonymise``.
    spec : StudySpec, optional
        Already read spec (default: read ``study.yaml``).

    Returns
    -------
    CodedStudy
    """
    import pandas as pd

    study_dir = Path(study_dir)
    spec = spec or study.read_spec(study_dir)
    code_exports = {(e.population, e.wave): e for e in spec.surveys if e.layout == "code"}
    books: dict[str, coding.Codebook] = {}
    surveys, files, quality, flags = {}, [], [], []
    arms = study.arms(study_dir, spec)
    for entry in spec.surveys:
        if entry.layout == "code":  # used to cross-check the text export of the same wave
            continue
        key = (entry.population, entry.wave)
        code_entry = code_exports.get(key)
        raw = study.read_survey_export(study_dir, entry, code_entry)
        book = books.setdefault(entry.codebook, coding.Codebook.read(study_dir / entry.codebook))
        coded = coding.apply(raw, book, wave=entry.wave, duplicates=duplicates, pseudonymiser=pseudonymiser)
        settings = screening.ScreeningSettings.from_sources(spec.screening or None, book, source="study.yaml")
        identifiers = screening.identifier_keys(raw, book, pseudonymiser)
        screened = screening.screen(raw, coded, wave=entry.wave, settings=settings, identifiers=identifiers)
        flags.append(screened.flags.assign(population=key[0]))
        if len(screened.quality):
            quality.append(screened.quality.assign(file=_export_label(entry), population=key[0], wave=key[1]))
        ids = book.id_column
        if ids in coded.data:
            coded.data[ids] = coded.data[ids].map(study.normalise_id)
        surveys[key] = coded
        files.append({"population": key[0], "wave": key[1], "layout": raw.attrs.get("layout", entry.layout),
                      "encoding": raw.attrs.get("encoding", ""), "submissions": len(raw), "kept": len(coded.data),
                      "cross_checked": code_entry is not None})
        for report in (quality_report(raw), coded.quality):
            if not report.empty:
                quality.append(report.assign(file=_export_label(entry), population=key[0], wave=key[1]))
    quality = (pd.concat(quality, ignore_index=True) if quality
               else pd.DataFrame(columns=[*QUALITY_COLUMNS, "population", "wave"]))
    unmatched = _unmatched(surveys, arms, spec)
    if len(unmatched):
        quality = pd.concat([quality, unmatched], ignore_index=True)
    flags = pd.concat(flags, ignore_index=True) if flags else pd.DataFrame()
    if len(flags) and "respondent_id" in flags:
        flags["respondent_id"] = flags["respondent_id"].map(study.normalise_id)
    return CodedStudy(spec=spec, surveys=surveys, files=pd.DataFrame(files), quality=quality, arms=arms,
                      responses=_responses(surveys, arms, spec), flags=flags)


def _arm_lookup(arms, spec, population):
    """respondent id → arm for one population; single-group studies without a roster: programme."""
    table = arms[arms.population == population]
    return table.drop_duplicates("respondent_id").set_index("respondent_id")["arm"]


def _assign_arms(ids, arms, spec, population):
    lookup = _arm_lookup(arms, spec, population)
    if lookup.empty and not spec.has_comparison:
        return ids.map(lambda _: "programme")
    return ids.map(lookup).fillna("unmatched")


def _unlinked(label, row, respondent, column, issue, population, wave) -> dict:
    """One quality row for a respondent who cannot be linked (``unmatched_id``, ``no_baseline``)."""
    zh, en = ISSUES[issue]
    return {"file": label, "row": row, "respondent": respondent, "column": column, "value": None, "issue": issue,
            "message_zh": zh, "message_en": en, "action": "kept; cannot be linked", "population": population,
            "wave": wave}


def _unmatched(surveys, arms, spec):
    """Quality rows for respondents who match nobody on the roster, or appear at a later wave only."""
    import pandas as pd

    rows = []
    seen_at_baseline = {}
    for (population, wave), coded in sorted(surveys.items(), key=lambda kv: kv[0][1]):
        ids = coded.data[coded.codebook.id_column]
        arm = _assign_arms(ids, arms, spec, population)
        label = f"{population} w{wave}"
        for position, (rid, a) in enumerate(zip(ids, arm)):
            row = int(coded.data["row"].iloc[position]) if "row" in coded.data else None
            if a == "unmatched":
                rows.append(_unlinked(label, row, rid, coded.codebook.id_column, "unmatched_id", population, wave))
        if wave == spec.baseline:
            seen_at_baseline[population] = set(ids)
        elif population in seen_at_baseline:
            for position, rid in enumerate(ids):
                if rid not in seen_at_baseline[population]:
                    row = int(coded.data["row"].iloc[position]) if "row" in coded.data else None
                    rows.append(_unlinked(label, row, rid, coded.codebook.id_column, "no_baseline", population, wave))
    return pd.DataFrame(rows, columns=[*QUALITY_COLUMNS, "population", "wave"])


def _responses(surveys, arms, spec):
    import pandas as pd

    rows = []
    for (population, wave), coded in surveys.items():
        ids = coded.data[coded.codebook.id_column]
        arm = _assign_arms(ids, arms, spec, population)
        for a, group in pd.DataFrame({"id": ids, "arm": arm}).groupby("arm", sort=True):
            rows.append({"population": population, "wave": wave, "arm": a, "respondents": group["id"].nunique()})
    enrolled = arms.groupby(["population", "arm"]).size().rename("enrolled").reset_index()
    out = pd.DataFrame(rows, columns=["population", "wave", "arm", "respondents"])
    return out.merge(enrolled, on=["population", "arm"], how="left").astype({"enrolled": "Int64"})


def scores(coded: CodedStudy, items=()):
    """Scale scores of every coded survey, one row per (population, wave, respondent).

    Parameters
    ----------
    coded : CodedStudy
    items : sequence of str
        Coded questions to carry along as outcomes, where a survey has them.

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
        scored["arm"] = _assign_arms(scored["respondent_id"], coded.arms, coded.spec, population)
        parts.append(scored)
    if not parts:
        return pd.DataFrame(columns=["population", "wave", "respondent_id", "arm"])
    out = pd.concat(parts, ignore_index=True)
    first = ["population", "wave", "respondent_id", "arm"]
    return out[first + [c for c in out.columns if c not in first]]


# --------------------------------------------------------------------------- staging and publishing
@dataclass
class Staged:
    """Tables to publish: relative path → DataFrame (CSV) or str (text file)."""

    tables: dict = field(default_factory=dict)
    inputs: list = field(default_factory=list)  # (kind, wave, path)
    redactions: list = field(default_factory=list)  # table, column, kind, n

    def put(self, rel: str, value) -> None:
        if rel in self.tables:
            raise LaoyouError(f"两个输入写到同一个输出 {rel}", f"two inputs map to the same output {rel}",
                              hint_zh="检查 study.yaml 中是否有重复的文件类别和波次。",
                              hint_en="check study.yaml for two files of the same kind and wave.")
        self.tables[rel] = value


#: Columns that hold identifiers (kept out of text redaction; pseudonymised when they are personal data).
ID_COLUMNS = ("respondent_id", "resident_id", "caregiver_id", "ego_id", "alter_id", "participant_id", "member_id",
              "volunteer_id", "matched_resident_id", "subject", "respondent", "response_id", "source", "target")


def _redact_frame(df, names, columns=None, *, log=None, table: str = ""):
    """Text columns with personal data replaced by placeholders; what changed is counted in ``log``."""
    from laoyou_eval import privacy

    if columns is None:
        columns = [c for c in df.columns if str(c) not in ID_COLUMNS and c != "row"]
    clean, changes = privacy.redact_frame(df, names, columns=columns)
    if log is not None and len(changes):
        for (column, kind), n in changes.groupby(["column", "kind"]).size().items():
            log.append({"table": table, "column": str(column), "kind": kind, "n": int(n)})
    return clean


def _pseudonymise_identifiers(staged, names, pseudonymiser, log):
    """Identifiers that are personal data (a name, phone or ID number typed as an ID) become keyed
    pseudonyms in every staged table, consistently; each one is reported (masked)."""
    import pandas as pd

    from laoyou_eval import privacy

    flagged: dict = {}
    for rel, table in staged.tables.items():
        if not isinstance(table, pd.DataFrame):
            continue
        for column in [c for c in table.columns if str(c) in ID_COLUMNS or (rel.startswith("surveys/") and
                                                                             str(c).endswith("_id"))]:
            values = table[column].dropna().astype(str)
            if values.empty:
                continue
            problems = privacy.identifier_problems(values.reset_index(drop=True), names)
            for row in problems.itertuples():
                value = values.iloc[row.row - 2]
                flagged.setdefault(value, (row.kind, row.excerpt, rel, str(column)))
    if not flagged:
        return
    mapping = {value: pseudonymiser(value, kind="id") for value in flagged}
    for rel, table in list(staged.tables.items()):
        if not isinstance(table, pd.DataFrame):
            continue
        for column in table.columns:
            if table[column].dtype == object or str(table[column].dtype) in ("str", "string"):
                if table[column].isin(list(mapping)).any():
                    table[column] = table[column].map(lambda v: mapping.get(v, v) if isinstance(v, str) else v)
        staged.tables[rel] = table
    rows = [{"file": rel, "row": None, "respondent": mapping[value], "column": column, "value": excerpt,
             "issue": "identifier_pseudonymised", "message_zh": f"编号本身是个人信息（{kind}），已换成假名",
             "message_en": f"the identifier is personal data ({kind}); replaced by a pseudonym",
             "action": "identifier normalised", "population": "", "wave": pd.NA}
            for value, (kind, excerpt, rel, column) in flagged.items()]
    staged.tables["surveys/quality.csv"] = pd.concat([staged.tables["surveys/quality.csv"], pd.DataFrame(rows)],
                                                     ignore_index=True)
    for value, (kind, _, rel, column) in flagged.items():
        log.append({"table": rel, "column": column, "kind": f"identifier:{kind}", "n": 1})


def _without_personal_columns(df):
    drop = [c for c in df.columns if str(c).strip().lower() in PERSONAL_COLUMNS]
    return df.drop(columns=drop)


#: Quality issues besides the response screens (``screen_*``) whose ``value`` is computed (the
#: number of submissions), never text copied from an export: shown as it is, not masked.
COMPUTED_VALUES = frozenset({"duplicate_submission", "conflicting_duplicate"})


def _mask_quality(quality, names):
    from laoyou_eval import privacy

    out = _redact_frame(quality, names, [c for c in quality.columns if c != "value"])
    computed = out["issue"].astype(str).str.startswith("screen_") | out["issue"].isin(COMPUTED_VALUES)
    out.loc[~computed, "value"] = out.loc[~computed, "value"].map(
        lambda v: privacy.mask(str(v)) if isinstance(v, str) and v else v)
    return out


def _stage_surveys(study_dir, spec, staged: Staged, pseudonymiser, names):
    coded = code_surveys(study_dir, pseudonymiser=pseudonymiser, spec=spec)
    for (population, wave), survey in coded.surveys.items():
        rel = f"surveys/{population}_w{wave}.csv"
        staged.put(rel, _redact_frame(survey.data, names, log=staged.redactions, table=rel))
        staged.put(f"surveys/{population}_w{wave}_missing.csv", survey.missing)
    for population in {p for p, _ in coded.surveys}:
        staged.put(f"codebooks/{population}.yaml", coded.codebook(population).to_yaml())
    staged.put("surveys/quality.csv", _mask_quality(coded.quality, names))
    staged.put("surveys/responses.csv", coded.responses)
    staged.put("surveys/files.csv", coded.files)
    staged.put("surveys/screening_flags.csv", coded.flags)
    staged.put("scores.csv", scores(coded))
    staged.put("arms.csv", coded.arms)
    staged.inputs.extend(_survey_inputs(study_dir, spec))
    return coded


def _survey_inputs(study_dir, spec) -> list[tuple]:
    """(kind, wave, path) of every survey export, codebook and choice file the codebooks read."""
    inputs = []
    for entry in spec.surveys:
        inputs.append((f"survey:{entry.population}:{entry.layout}", entry.wave, study_dir / entry.file))
        inputs.append(("codebook", None, study_dir / entry.codebook))
        inputs.extend(("choice_file", None, path) for path in attachments(study_dir / entry.codebook))
    return inputs


def _stage_roster(study_dir, spec, staged: Staged):
    staged.put("families.csv", study.families(study_dir, spec))
    staged.put("quasi_identifiers.csv", study.quasi_identifiers(study_dir, spec))
    rel = spec.roster or ("roster.csv" if (study_dir / "roster.csv").is_file() else None)
    if rel:
        staged.inputs.append(("roster", None, study_dir / rel))


def _stage_networks(study_dir, spec, staged: Staged, pseudonymiser, names):
    from laoyou_eval.io import read_table

    for entry in spec.files_of("alters"):
        alters = read_table(study_dir / entry.path)
        if "ego_id" in alters:
            alters["ego_id"] = alters["ego_id"].map(study.normalise_id)
        if "alter_name" in alters:
            keys = [pseudonymiser(f"{e}|{n}", kind="alter") for e, n in zip(alters["ego_id"], alters["alter_name"])]
            alters.insert(min(3, alters.shape[1]), "alter_key", keys)
        rel = f"networks/alters_w{entry.wave}.csv"
        staged.put(rel, _redact_frame(_without_personal_columns(alters), names, log=staged.redactions, table=rel))
        staged.inputs.append(("alters", entry.wave, study_dir / entry.path))
    for entry in spec.files_of("alter_ties"):
        ties = read_table(study_dir / entry.path)
        if "ego_id" in ties:
            ties["ego_id"] = ties["ego_id"].map(study.normalise_id)
        rel = f"networks/alter_ties_w{entry.wave}.csv"
        staged.put(rel, _redact_frame(ties, names, log=staged.redactions, table=rel))
        staged.inputs.append(("alter_ties", entry.wave, study_dir / entry.path))


def _stage_group(study_dir, spec, staged: Staged, names):
    from laoyou_eval.io import read_table

    members_entry = spec.files_of("group_members")
    if not members_entry:
        return
    members = read_table(study_dir / members_entry[0].path)
    if "caregiver_id" in members:
        members["caregiver_id"] = members["caregiver_id"].map(study.normalise_id)
    staged.put("group/members.csv", _redact_frame(_without_personal_columns(members), names, log=staged.redactions,
                                                  table="group/members.csv"))
    staged.inputs.append(("group_members", None, study_dir / members_entry[0].path))
    for entry in spec.files_of("group_ties"):
        rel = f"group/ties_w{entry.wave}.csv"
        staged.put(rel, _redact_frame(read_table(study_dir / entry.path), names, log=staged.redactions, table=rel))
        staged.inputs.append(("group_ties", entry.wave, study_dir / entry.path))


def _stage_process(study_dir, spec, staged: Staged, names):
    from laoyou_eval.io import read_table

    for entry in spec.files_of("volunteers", "training", "contacts", "attendance", "jobs"):
        table = _without_personal_columns(read_table(study_dir / entry.path))
        rel = f"process/{entry.kind}.csv"
        staged.put(rel, _redact_frame(table, names, log=staged.redactions, table=rel))
        staged.inputs.append((entry.kind, None, study_dir / entry.path))


def _stage_open_ended(study_dir, spec, staged: Staged, names):
    from laoyou_eval.io import read_table

    for entry in spec.files_of("open_responses", "themes", "codes"):
        rel = {"open_responses": "open_ended/responses.csv", "themes": "open_ended/themes.csv"}.get(
            entry.kind, f"open_ended/codes_{entry.coder}.csv")
        table = _redact_frame(_without_personal_columns(read_table(study_dir / entry.path)), names,
                              log=staged.redactions, table=rel)
        if entry.kind == "codes":
            table = table[[c for c in ("response_id", "theme_code") if c in table]]
        staged.put(rel, table)
        staged.inputs.append((entry.kind, entry.wave, study_dir / entry.path))


def _redaction_summary(log):
    """What intake replaced, counted by table, column and kind (no values)."""
    import pandas as pd

    table = pd.DataFrame(log, columns=["table", "column", "kind", "n"])
    return table.groupby(["table", "column", "kind"], as_index=False)["n"].sum() if len(table) else table


def _inventory(staged: Staged):
    import pandas as pd

    rows = []
    for kind, wave, path in staged.inputs:
        rows.append({"kind": kind.split(":")[0], "population": kind.split(":")[1] if ":" in kind else "",
                     "wave": wave, "format": Path(path).suffix.lstrip(".").lower()})
    return pd.DataFrame(rows).drop_duplicates().astype({"wave": "Int64"})


def _input_hashes(inputs) -> list[dict]:
    from laoyou_eval.storage import sha256

    return [{"kind": kind, "wave": wave, "sha256": sha256(path)} for kind, wave, path in inputs]


def input_signature(study_dir) -> list[dict]:
    """Hashes of every raw input of the study, by kind (what the manifest records)."""
    study_dir = Path(study_dir)
    spec = study.read_spec(study_dir)
    staged = Staged()
    staged.inputs.extend(_survey_inputs(study_dir, spec))
    rel = spec.roster or ("roster.csv" if (study_dir / "roster.csv").is_file() else None)
    if rel:
        staged.inputs.append(("roster", None, study_dir / rel))
    for entry in spec.files.values():
        if entry.kind in ("alters", "alter_ties", "group_members", "group_ties", "volunteers", "training", "contacts",
                          "attendance", "jobs", "open_responses", "themes", "codes"):
            staged.inputs.append((entry.kind, entry.wave, study_dir / entry.path))
    staged.inputs.append(("study.yaml", None, study_dir / "study.yaml"))
    return sorted(_input_hashes(staged.inputs), key=lambda d: json.dumps(d, sort_keys=True))


def processed_dir(study_dir) -> Path:
    from laoyou_eval import config

    return config.PROCESSED_DIR / Path(study_dir).resolve().name


def is_current(study_dir, out_dir=None) -> bool:
    """Whether the processed folder exists, is complete and was made from the raw files as they are now
    (by this study folder, not another of the same name)."""
    from laoyou_eval import storage

    out = Path(out_dir) if out_dir else processed_dir(study_dir)
    manifest = storage.read_manifest(out)
    if not manifest or manifest.get("parameters", {}).get("format") != FORMAT:
        return False
    if manifest["parameters"].get("source", storage.study_source(study_dir)) != storage.study_source(study_dir):
        return False
    try:
        return manifest.get("parameters", {}).get("inputs") == input_signature(study_dir)
    except (LaoyouError, OSError):
        return False


def run(study_dir, out_dir=None):
    """Intake: validate, code, pseudonymise, redact, scan — then publish the processed folder.

    Parameters
    ----------
    study_dir : path
        A study folder (read only, never modified).
    out_dir : path, optional
        Default ``data/processed/<study folder name>/``; a folder there that another study
        folder of the same name made is refused (:func:`laoyou_eval.storage.check_source`).

    Returns
    -------
    pathlib.Path
        The processed folder, with ``manifest.json``.

    Raises
    ------
    StudyFolderError
        When the folder has errors (every one listed; nothing is written).
    LaoyouError
        When the scan of the staged output finds personal data: every finding is listed
        (masked) with its file, row and column, and nothing is published.

    Notes
    -----
    What leaves ``data/raw``: coded survey answers without the columns a codebook marks
    ``privacy = drop`` and without 来源详情/来自IP; free text with phone numbers, ID numbers,
    IP and e-mail addresses and the names on the study's rosters replaced by placeholders
    (:func:`laoyou_eval.privacy.redact`); alters' names replaced by keyed pseudonyms
    (``alter_key``, stable across waves); columns holding names, phones, ID numbers or
    addresses dropped from every other table; the roster only as identifier → arm, family links
    and coarse quasi-identifiers.  The output is staged in a hidden sibling folder, scanned by
    :func:`laoyou_eval.privacy.scan`, and renamed into place only when the scan is clean.
    """
    from laoyou_eval import privacy, storage

    study_dir = Path(study_dir)
    spec = study.check_study_folder(study_dir)
    out = storage.guard_not_raw(Path(out_dir) if out_dir else processed_dir(study_dir))
    if study_dir.resolve() in (out, *out.parents):
        raise LaoyouError("处理后的数据不能写进研究文件夹。", "Processed data cannot be written inside the study folder.",
                          file=out)
    previous = storage.read_manifest(out) or {}
    if out_dir is None:  # the shared default location: another study folder of the same name may own it
        storage.check_source(study_dir, out, previous)
    pseudonymiser = privacy.Pseudonymiser.for_study(study_dir.resolve().name,
                                                     previous.get("parameters", {}).get("key_fingerprint"))
    names = privacy.study_names(study_dir)
    staged = Staged()
    _stage_surveys(study_dir, spec, staged, pseudonymiser, names)
    _stage_roster(study_dir, spec, staged)
    _stage_networks(study_dir, spec, staged, pseudonymiser, names)
    _stage_group(study_dir, spec, staged, names)
    _stage_process(study_dir, spec, staged, names)
    _stage_open_ended(study_dir, spec, staged, names)
    staged.put("study.yaml", (study_dir / "study.yaml").read_text(encoding="utf-8-sig"))
    staged.inputs.append(("study.yaml", None, study_dir / "study.yaml"))
    _pseudonymise_identifiers(staged, names, pseudonymiser, staged.redactions)
    staged.put("inventory.csv", _inventory(staged))
    staged.put("redactions.csv", _redaction_summary(staged.redactions))
    return _publish(staged, out, names, {"study": study_dir.resolve().name, "format": FORMAT,
                                         "source": storage.study_source(study_dir),
                                         "key_fingerprint": pseudonymiser.fingerprint,
                                         "inputs": sorted(_input_hashes(staged.inputs),
                                                          key=lambda d: json.dumps(d, sort_keys=True))})


def _publish(staged: Staged, out: Path, names, parameters: dict) -> Path:
    """Write the staged tables into a hidden sibling folder, scan it, then rename it into place."""
    from laoyou_eval import privacy, storage

    out.parent.mkdir(parents=True, exist_ok=True)
    for leftover in out.parent.glob(f".{out.name}.staging-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    stage = out.parent / f".{out.name}.staging-{os.getpid()}"
    try:
        written = []
        for rel, value in sorted(staged.tables.items()):
            if isinstance(value, str):
                written.append(storage.atomic_write_bytes(stage / rel, value.encode("utf-8")))
            else:
                written.append(storage.write_csv(value, stage / rel))
        findings = privacy.scan(stage, names=names)
        if len(findings):
            raise _leak_error(findings)
        storage.write_manifest(stage, [], written, parameters)
        old = out.parent / f".{out.name}.old-{os.getpid()}"
        if out.exists():
            os.replace(out, old)
        os.replace(stage, out)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return out


def _leak_error(findings):
    lines = [f"{row.file} {row.location}: {row.kind} {row.excerpt}" for row in findings.itertuples()]
    listing = "\n  ".join(lines[:50]) + ("\n  …" if len(lines) > 50 else "")
    return LaoyouError(f"整理后的数据中仍有 {len(findings)} 处个人信息，什么都没有写入：\n  {listing}",
                       f"{len(findings)} pieces of personal data would remain in the processed data; nothing was "
                       "written (findings above, masked).",
                       hint_zh="在编码表中把这些列标为 privacy: drop 或 pseudonymise，或把姓名加入名册以便替换。",
                       hint_en="mark these columns privacy: drop or pseudonymise in the codebook, or add the names "
                               "to a roster so that they are replaced.")
