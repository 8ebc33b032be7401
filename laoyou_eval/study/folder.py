"""A study folder on disk: the checks of everything ``study.yaml`` declares, and what the roster says.

* :func:`validate` reads the spec and checks every declared file at once (present, non-empty,
  readable, identifier columns, codebooks, roster columns, waves and arms with data), and
  returns **one** table of problems — it never stops at the first;
* :func:`check_study_folder` raises one :class:`StudyFolderError` listing every error;
* :func:`arms`, :func:`families`, :func:`quasi_identifiers` read the roster and return
  identifiers and coarse attributes only: the roster's names, phones and ID numbers are never
  returned.

These functions read the raw folder, so only intake (and the validation before it) calls them;
the analyses read processed data through :func:`laoyou_eval.dataset.load`.
"""

from __future__ import annotations

from pathlib import Path

from laoyou_eval.errors import LaoyouError, StudyFolderError
from laoyou_eval.study.spec import FILE_KINDS, StudySpec, read_spec

#: Columns of the problem table returned by :func:`validate`.
PROBLEM_COLUMNS = ("severity", "component", "file", "row", "column", "problem_zh", "problem_en", "hint_zh",
                   "hint_en")
#: Components whose files a study may leave out (removing them from ``files`` skips that part).
OPTIONAL_COMPONENTS = ("ego_networks", "group_network", "process", "open_ended")
_SURVEY_READERS = {".sav": "spss", ".zsav": "spss", ".por": "spss"}
#: Files of a folder that need not be declared.
_UNDECLARED_OK = {"study.yaml", "README.md", "readme.md", ".gitkeep"}


def component_of(kind: str) -> str:
    return next(component for component, kinds in FILE_KINDS.items() if kind in kinds)


class Problems:
    """Collects problems as rows of :data:`PROBLEM_COLUMNS`."""

    def __init__(self) -> None:
        self.rows: list[dict] = []

    def add(self, severity, component, file, zh, en, *, row=None, column=None, hint_zh="", hint_en="") -> None:
        self.rows.append({"severity": severity, "component": component, "file": file, "row": row, "column": column,
                          "problem_zh": zh, "problem_en": en, "hint_zh": hint_zh, "hint_en": hint_en})

    def from_error(self, error: LaoyouError, component: str, file=None) -> None:
        self.add("error", component, str(error.file or file or ""), error.zh, error.en, row=error.row,
                 column=error.column, hint_zh=error.hint_zh or "", hint_en=error.hint_en or "")

    def frame(self):
        import pandas as pd

        out = pd.DataFrame(self.rows, columns=list(PROBLEM_COLUMNS))
        return out.astype({"row": "Int64"})


def _relative(study_dir: Path, path) -> str:
    try:
        return str(Path(path).resolve().relative_to(study_dir.resolve()))
    except ValueError:
        return Path(path).name


def read_survey_export(study_dir: Path, entry, code_entry=None):
    """Read one survey export with the reader its layout needs (问卷星 text/code, SPSS, Kobo, table)."""
    from laoyou_eval.io import read_kobo, read_spss, read_table, read_wjx

    path = Path(study_dir) / entry.file
    if entry.layout == "spss" or _SURVEY_READERS.get(path.suffix.lower()) == "spss":
        return read_spss(path)
    if entry.layout == "kobo":
        return read_kobo(path)
    if entry.layout == "table":
        return read_table(path)
    code = None if code_entry is None else Path(study_dir) / code_entry.file
    return read_wjx(path, code)


def validate(study_dir) -> tuple[StudySpec, object]:
    """Check a whole study folder against its ``study.yaml`` and list every problem.

    Parameters
    ----------
    study_dir : path

    Returns
    -------
    spec : StudySpec
    problems : pandas.DataFrame
        One row per problem (:data:`PROBLEM_COLUMNS`): ``severity`` is ``error`` (intake and
        the report cannot go on) or ``warning`` (they go on; the report says what is missing);
        ``component`` names the part of the study (surveys, roster, ego_networks,
        group_network, process, open_ended, metadata).

    Raises
    ------
    StudyFolderError
        Only when ``study.yaml`` itself is missing or unreadable (then nothing else can be
        checked).
    """
    from laoyou_eval import coding
    from laoyou_eval.io import read_table

    study_dir = Path(study_dir)
    spec = read_spec(study_dir)
    problems = Problems()

    def check_file(rel: str, component: str) -> bool:
        path = study_dir / rel
        if not path.is_file():
            problems.add("error", component, rel, "缺少文件", "file missing",
                         hint_zh="把文件放到这个位置，或从 study.yaml 中删去这一项。",
                         hint_en="put the file there, or remove the entry from study.yaml.")
            return False
        if path.stat().st_size == 0:
            problems.add("error", component, rel, "空文件", "empty file", hint_zh="重新导出这个文件。",
                         hint_en="export the file again.")
            return False
        return True

    # survey exports and their codebooks
    books = {}
    for entry in spec.surveys:
        ok = check_file(entry.file, "surveys")
        if entry.codebook not in books:
            books[entry.codebook] = None
            if check_file(entry.codebook, "surveys"):
                try:
                    books[entry.codebook] = coding.Codebook.read(study_dir / entry.codebook)
                except LaoyouError as error:
                    problems.from_error(error, "surveys", entry.codebook)
        if not ok:
            continue
        try:
            header = read_table(study_dir / entry.file, nrows=0).columns
        except LaoyouError as error:
            problems.from_error(error, "surveys", entry.file)
            continue
        if Path(entry.file).suffix.lower() not in _SURVEY_READERS and entry.id_question not in header:
            problems.add("error", "surveys", entry.file, f"没有编号列 {entry.id_question!r}",
                         f"no id column {entry.id_question!r}", column=entry.id_question,
                         hint_zh="把 study.yaml 中的 id_question 改成导出文件中编号列的表头。",
                         hint_en="set id_question in study.yaml to the header of the id column of the export.")
    for population in spec.populations:
        book = books.get(spec.codebook_path(population))
        declared = spec.outcomes(population)
        if book is None or declared is None:
            continue
        scales = set(book.scales["scale"]) if len(book.scales) else set()
        for outcome in declared:
            if outcome.scale not in scales:
                import difflib

                close = difflib.get_close_matches(outcome.scale, sorted(scales), n=1)
                problems.add("error", "surveys", "study.yaml",
                             f"outcomes 中的量表 {outcome.scale!r} 不在编码表 {spec.codebook_path(population)} 的 scales 表中"
                             + (f"（是不是 {close[0]}？）" if close else ""),
                             f"outcome scale {outcome.scale!r} is not in the scales sheet of the codebook "
                             f"{spec.codebook_path(population)}" + (f" (did you mean {close[0]}?)" if close else ""),
                             column=f"outcomes.{population}",
                             hint_zh=f"编码表中的量表：{', '.join(sorted(scales)) or '（无）'}",
                             hint_en=f"scales of the codebook: {', '.join(sorted(scales)) or '(none)'}")
    # waves without data: allowed (a study may have only its baseline so far)
    for wave in spec.wave_numbers:
        if not any(s.wave == wave for s in spec.surveys):
            problems.add("warning", "surveys", "study.yaml", f"第 {wave} 波还没有问卷数据",
                         f"wave {wave} has no survey data yet", hint_zh="收集后在 surveys 中加上。",
                         hint_en="add the exports under surveys once collected.")
    # roster
    roster = _check_roster(study_dir, spec, problems, check_file)
    # declared files of the optional components
    for rel, entry in spec.files.items():
        component = component_of(entry.kind)
        if component in ("surveys", "roster", "metadata") or entry.kind == "codebook":
            continue
        if check_file(rel, component):
            if entry.wave is not None and entry.wave not in spec.waves:
                problems.add("error", component, rel, f"文件属于第 {entry.wave} 波，但 waves 中没有这一波",
                             f"the file belongs to wave {entry.wave}, which waves does not declare")
            if Path(rel).suffix.lower() in {".csv", ".xlsx", ".xls", ".tsv"}:
                try:
                    read_table(study_dir / rel, nrows=0)
                except LaoyouError as error:
                    problems.from_error(error, component, rel)
    comps = spec.components
    if comps["group_network"] is False and spec.files_of("group_members", "group_ties"):
        problems.add("error", "group_network", "study.yaml", "小组网络需要成员表（group_members）和关系表（group_ties）",
                     "a group network needs both a members file (group_members) and ties files (group_ties)")
    if spec.files_of("alters") and not spec.networks:
        problems.add("warning", "ego_networks", "study.yaml",
                     "没有声明哪些回答表示项目安排的结对对象或经由项目认识的人（networks:），报告将无法区分项目带来的关系",
                     "networks: does not declare which answers mean a partner matched by the programme (buddy) or "
                     "people met via the programme; "
                     "programme-attributable ties cannot be identified",
                     hint_zh="在 study.yaml 中加 networks: {buddy: {relation: [...]}, via_programme: {met_where: [...]}}",
                     hint_en="add networks: {buddy: {relation: [...]}, via_programme: {met_where: [...]}} to study.yaml")
    # files in the folder that study.yaml does not mention
    declared = set(spec.files) | {s.file for s in spec.surveys} | {s.codebook for s in spec.surveys}
    if roster:
        declared.add(roster)
    for path in sorted(p for p in study_dir.rglob("*") if p.is_file()):
        rel = _relative(study_dir, path)
        if rel not in declared and path.name not in _UNDECLARED_OK and not path.name.startswith("."):
            problems.add("warning", "metadata", rel, "study.yaml 没有列出这个文件，它不会被使用",
                         "study.yaml does not list this file; it is not used",
                         hint_zh="需要用到它就在 files 中加上（写明 kind）。", hint_en="add it under files (with its kind) to use it.")
    return spec, problems.frame()


def _check_roster(study_dir: Path, spec: StudySpec, problems: Problems, check_file) -> str | None:
    from laoyou_eval.io import read_table

    rel = spec.roster
    if rel is None and (study_dir / "roster.csv").is_file():
        rel = "roster.csv"
    if rel is None:
        if spec.has_comparison:
            problems.add("error", "roster", "study.yaml", "有对照组时需要名册（roster）说明每人属于哪一组",
                         "a design with a comparison arm needs a roster saying who is in which arm",
                         hint_zh="加一个 roster.csv（编号列 + arm 列），并在 files 中写 kind: roster。",
                         hint_en="add roster.csv (id columns + an arm column) with kind: roster under files.")
        return None
    if not check_file(rel, "roster"):
        return rel
    try:
        header = list(read_table(study_dir / rel, nrows=0).columns)
    except LaoyouError as error:
        problems.from_error(error, "roster", rel)
        return rel
    if "arm" not in header and spec.has_comparison:
        problems.add("error", "roster", rel, "名册没有 arm 列（programme / comparison）",
                     "the roster has no arm column (programme / comparison)", column="arm",
                     hint_zh="加一列 arm，填 programme 或 comparison（未参加评估的人可填 not_enrolled）。",
                     hint_en="add an arm column with programme or comparison (not_enrolled for others).")
    for population in spec.populations:
        column = spec.population(population).id_column
        if column not in header:
            problems.add("error", "roster", rel, f"名册没有 {population} 的编号列 {column!r}",
                         f"the roster has no id column {column!r} for {population}", column=column,
                         hint_zh=f"在 study.yaml 的 populations.{population}.id_column 写上名册中的列名。",
                         hint_en=f"set populations.{population}.id_column in study.yaml to the roster's column.")
    return rel


def check_study_folder(study_dir):
    """Validate the folder and raise one error listing every problem of severity ``error``.

    Returns
    -------
    StudySpec
        When nothing essential is wrong (warnings are returned by :func:`validate`).

    Raises
    ------
    StudyFolderError
        Listing every error, grouped by component, and saying which components are optional.
    """
    spec, problems = validate(study_dir)
    errors = problems[problems.severity == "error"]
    if len(errors):
        raise folder_error(study_dir, errors)
    return spec


def folder_error(study_dir, errors) -> StudyFolderError:
    """One bilingual error listing the rows of a problem table."""
    lines = []
    for row in errors.itertuples():
        import pandas as pd

        parts = (row.file, None if pd.isna(row.row) else f"row {row.row}", row.column)
        where = "; ".join(str(x) for x in parts if x is not None and not pd.isna(x) and x != "")
        optional = "（可选部分 optional）" if row.component in OPTIONAL_COMPONENTS else ""
        lines.append(f"[{row.component}{optional}] {where}: {row.problem_zh} / {row.problem_en}"
                     + (f" → {row.hint_zh}" if row.hint_zh else ""))
    listing = "\n  ".join(lines)
    return StudyFolderError(
        f"研究文件夹有 {len(errors)} 处问题：\n  {listing}",
        f"The study folder has {len(errors)} problem(s), listed above. Parts marked optional can be left out "
        "by removing their files from study.yaml.", file=study_dir)


def _roster(study_dir, spec: StudySpec):
    from laoyou_eval.io import read_table

    rel = spec.roster or ("roster.csv" if (Path(study_dir) / "roster.csv").is_file() else None)
    if rel is None:
        return None
    roster = read_table(Path(study_dir) / rel)
    if "arm" not in roster and not spec.has_comparison:
        roster["arm"] = "programme"  # one group: everyone on the roster is in it
    return roster


def arms(study_dir, spec: StudySpec | None = None):
    """Identifier → study arm for every population, read from the roster.

    A single-group study without a roster has everyone in the programme arm: then the
    respondents of the surveys define who is enrolled and this table is empty.  A single-group
    roster needs no ``arm`` column (everyone on it is in the programme arm).

    Returns
    -------
    pandas.DataFrame
        Columns ``respondent_id``, ``population``, ``arm``; no personal data. Identifiers are
        NFKC-normalised, stripped and upper-cased as the surveys' are.
    """
    import pandas as pd

    spec = spec or read_spec(study_dir)
    roster = _roster(study_dir, spec)
    if roster is None:
        return pd.DataFrame({"respondent_id": pd.Series(dtype="str"), "population": pd.Series(dtype="str"),
                             "arm": pd.Series(dtype="str")})
    enrolled = roster[roster["arm"].isin(list(spec.arms))]
    parts = []
    for population in spec.populations:
        column = spec.population(population).id_column
        ids = enrolled[column].map(normalise_id)
        keep = ids.notna() & (ids != "")
        parts.append(pd.DataFrame({"respondent_id": ids[keep], "population": population, "arm": enrolled["arm"][keep]}))
    return pd.concat(parts, ignore_index=True)


def normalise_id(value):
    """Identifiers compared the way people type them: NFKC (full-width → ASCII), no spaces, upper case.

    >>> normalise_id(" ｃ００３ "), normalise_id("r 01")
    ('C003', 'R01')
    """
    import unicodedata

    if value is None or value != value:
        return value
    return "".join(unicodedata.normalize("NFKC", str(value)).split()).upper()


def families(study_dir, spec: StudySpec | None = None):
    """Which caregiver belongs to which resident (identifiers only), when the roster holds both."""
    import pandas as pd

    spec = spec or read_spec(study_dir)
    roster = _roster(study_dir, spec)
    columns = {p: spec.population(p).id_column for p in ("residents", "caregivers") if p in spec.populations}
    if roster is None or len(columns) < 2 or not set(columns.values()) <= set(roster.columns):
        return pd.DataFrame({"resident_id": pd.Series(dtype="str"), "caregiver_id": pd.Series(dtype="str")})
    out = pd.DataFrame({"resident_id": roster[columns["residents"]].map(normalise_id),
                        "caregiver_id": roster[columns["caregivers"]].map(normalise_id)})
    return out.dropna().reset_index(drop=True)


AGE_BANDS = ((0, 18, "<18"), (18, 25, "18-24"), (25, 30, "25-29"), (30, 36, "30-35"), (36, 200, "36+"))
#: Roster columns treated as quasi-identifiers (those present are used).
QUASI_IDENTIFIERS = ("age_band", "sex", "disability_type", "community")


def _birth_dates(values):
    """Birth dates as rosters write them: ISO, ``1991/8/17``, ``1991.8.17``, ``1991年8月17日`` or
    ``1991年8月`` (the 1st of the month), with or without a time; anything else is NaT (age band "unknown").

    >>> import pandas as pd
    >>> _birth_dates(pd.Series(["1991年8月", "1991年8月17日", "1991/8/17", "1991-08-17 00:00:00", "不详"])).dt.day.tolist()
    [1.0, 17.0, 17.0, 17.0, nan]
    """
    import pandas as pd

    text = values.astype("string").str.strip().str.replace(
        r"^(\d{4})\s*[年./-]\s*(\d{1,2})\s*(?:[月./-]\s*(?:(\d{1,2})\s*日?)?)?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$",
        lambda m: f"{m[1]}-{int(m[2]):02d}-{int(m[3] or 1):02d}", regex=True)
    return pd.to_datetime(text, errors="coerce", format="%Y-%m-%d")


def quasi_identifiers(study_dir, spec: StudySpec | None = None):
    """Enrolled people's quasi-identifiers (age band at baseline, sex, disability type,
    community — whichever the roster has) for disclosure checks; no names, numbers or dates.

    Returns
    -------
    pandas.DataFrame
        One row per enrolled person with the available :data:`QUASI_IDENTIFIERS` as columns
        (empty when the study has no roster).
    """
    import pandas as pd

    spec = spec or read_spec(study_dir)
    roster = _roster(study_dir, spec)
    if roster is None or "arm" not in roster:
        return pd.DataFrame()
    enrolled = roster[roster["arm"].isin(list(spec.arms))]
    out = {}
    baseline = spec.waves[spec.baseline].date
    if "birth_date" in enrolled and baseline:
        born = _birth_dates(enrolled["birth_date"])
        age = (pd.Timestamp(baseline) - born).dt.days // 365
        bands = pd.cut(age, [b[0] for b in AGE_BANDS] + [AGE_BANDS[-1][1]], right=False,
                       labels=[b[2] for b in AGE_BANDS])
        out["age_band"] = bands.astype(str).replace("nan", "未知 unknown")
    for column in QUASI_IDENTIFIERS[1:]:
        if column in enrolled:
            out[column] = enrolled[column]
    return pd.DataFrame(out).reset_index(drop=True)


def load_metadata(study_dir) -> dict:
    """``study.yaml`` as a plain mapping, after it passed :func:`laoyou_eval.study.read_spec`'s checks."""
    return read_spec(study_dir).raw
