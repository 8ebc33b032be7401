"""Start a new study folder from a student's survey exports (``laoyou-eval init``).

Where configuration lives — one rule
------------------------------------
A study folder (``data/raw/<study>/``) holds two kinds of files:

* **hand-written configuration**: ``study.yaml`` and everything under ``codebooks/``.  The
  student writes and edits these; ``laoyou-eval init`` drafts them and ``laoyou-eval codebook
  draft --out data/raw/<study>/codebooks/x.yaml`` may add a codebook (never over an existing file);
* **raw data**: the exports under ``surveys/`` and every other data file (rosters, network
  sheets, process records, open answers).  ``init`` copies the exports byte for byte; after
  that nothing in the package writes raw data — ``intake`` writes to ``data/processed/``,
  reports go to ``reports/``.

:func:`check_config_target` applies the rule to any path a command is about to write.

Example
-------
>>> from laoyou_eval import scaffold
>>> scaffold.init_study("my_study", ["exports/居民前测.xlsx", "exports/居民后测.xlsx"])  # doctest: +SKIP
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from laoyou_eval.errors import LaoyouError

CONFIG_FILES = ("study.yaml",)
CONFIG_FOLDER = "codebooks"
POPULATION_WORDS = {"residents": ("居民", "resident", "青年", "服务对象", "client"),
                    "caregivers": ("家长", "照顾者", "caregiver", "parent", "家属", "carer")}
#: File-name words that name a wave (checked after explicit numbers such as ``_w2``, ``第2次``):
#: ``(stage, words, label)``, stage 1 at the start, 2 midway, 3 at the end, 4 a follow-up after
#: it.  The waves are the stages present, numbered in order (入组, 结业 -> 1, 2; 入组, 中期, 结业 ->
#: 1, 2, 3).  Chinese words match anywhere in the name, Latin ones as whole words (``pre`` is
#: not found in ``express`` or ``prep``).
WAVE_WORDS = ((1, ("前测", "初测", "首测", "pre", "pretest", "pre-test"), "前测 pre-test"),
              (1, ("基线", "baseline"), "基线 baseline"),
              (1, ("入组", "入营", "开营", "intake", "enrolment", "enrollment"), "入组 intake"),
              (2, ("中期", "期中", "中测", "mid", "midpoint", "midterm", "interim"), "中期 midpoint"),
              (3, ("后测", "post", "posttest", "post-test"), "后测 post-test"),
              (3, ("结业", "结项", "结案", "结营", "completion", "exit"), "结业 completion"),
              (3, ("末测", "终测", "期末"), "末测 final test"),
              (4, ("追踪", "随访", "follow", "followup", "follow-up"), "追踪 follow-up"))
ID_HINTS = ("编号", "id", "ID", "代码", "学号", "code")
SAME_QUESTIONNAIRE = 0.6  # Jaccard similarity of question sets
SAME_WAVE_DAYS = 14


@dataclass
class Export:
    """One export given to ``init``: its data, reader, guesses and the reasons for them."""

    source: Path
    data: object
    kind: str  # wjx_text | wjx_code | spss | kobo | table
    population: str | None = None
    wave: int | None = None
    wave_reason: str = ""
    wave_label: str | None = None
    first_date: object = None
    questions: frozenset = field(default_factory=frozenset)


def check_config_target(path: str | Path) -> Path:
    """``path`` if a command may write it under the configuration rule, else a LaoyouError.

    Allowed: anything outside ``data/raw/`` and outside any study folder (a folder holding
    ``study.yaml``), and inside a study folder only ``study.yaml`` or a file under
    ``codebooks/`` that does not exist yet.
    """
    from laoyou_eval import config

    path = Path(path).resolve()
    raw = config.RAW_DIR.resolve()
    study = next((p for p in path.parents if (p / "study.yaml").is_file()), None)
    if study is None and raw in path.parents:
        relative = path.relative_to(raw).parts
        study = raw / relative[0] if len(relative) > 1 else None
    if path.exists():
        raise LaoyouError("文件已存在，不会覆盖。", "The file exists; it is not overwritten.", file=path,
                          hint_zh="换一个文件名，或先删除旧文件。", hint_en="choose another name, or remove the old file first.")
    if study is None and raw not in path.parents:
        return path
    inside = path.relative_to(study).parts if study is not None else ()
    if inside in [(name,) for name in CONFIG_FILES] or (len(inside) > 1 and inside[0] == CONFIG_FOLDER):
        return path
    raise LaoyouError(
        "只能在研究文件夹的 codebooks/ 中写入编码表；导出文件和其他原始数据只读。",
        "In a study folder only study.yaml and files under codebooks/ may be written; exports and other raw "
        "data are read-only.", file=path,
        hint_zh="例如 --out data/raw/<研究>/codebooks/问卷.yaml。", hint_en="e.g. --out data/raw/<study>/codebooks/x.yaml.")


def read_export(path: str | Path) -> Export:
    """Read one export with the reader its content calls for (问卷星, SPSS, Kobo, any table)."""
    from laoyou_eval import io
    from laoyou_eval.io.kobo import KOBO_META
    from laoyou_eval.io.wjx import parse_header, question_columns

    path = Path(path)
    if not path.is_file():
        raise LaoyouError("找不到导出文件。", "Export file not found.", file=path)
    if path.suffix.lower() == ".sav":
        data, kind = io.read_spss(path), "spss"
    else:
        head = io.read_table(path)
        if any(c in KOBO_META for c in head.columns):
            data, kind = io.read_kobo(path), "kobo"
        elif "序号" in head.columns:
            data = io.read_wjx(path)
            kind = f"wjx_{data.attrs['layout']}"
        else:
            data, kind = head, "table"
    columns = question_columns(data) if kind.startswith("wjx") else list(data.columns)
    questions = frozenset(parse_header(c)[0] or c for c in columns)
    export = Export(path, data, kind, questions=questions)
    if "submitted_at" in data:
        import pandas as pd

        dates = pd.to_datetime(data["submitted_at"], errors="coerce").dropna()
        export.first_date = dates.min().date() if not dates.empty else None
    export.population = _population_from_name(path.stem)
    export.wave, export.wave_reason, export.wave_label = _wave_from_name(path.stem)
    return export


def _population_from_name(stem: str) -> str | None:
    low = stem.lower()
    found = [p for p, words in POPULATION_WORDS.items() if any(w in low for w in words)]
    return found[0] if len(found) == 1 else None


def _wave_from_name(stem: str) -> tuple[int | None, str, str | None]:
    """(wave, reason, label) read from a file name such as ``居民_w2`` or ``家长后测``."""
    low = stem.lower()
    if m := re.search(r"(?:^|[^a-z])w(?:ave)?[\s_-]?(\d+)", low) or re.search(r"第\s*(\d+)\s*[次波期轮]", low):
        return int(m.group(1)), f"file name {stem!r}", None
    for stage, words, label in WAVE_WORDS:
        if any(_names(low, w) for w in words):
            return stage, f"file name {stem!r}", label
    return None, "", None


def _names(low: str, word: str) -> bool:
    """Whether the lower-case file name ``low`` holds ``word`` (a Latin word as a whole word)."""
    if not word.isascii():
        return word in low
    return re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", low) is not None


def _questionnaires(exports: list[Export]) -> list[list[Export]]:
    """Exports grouped by questionnaire: same population guess and similar question sets."""
    groups: list[list[Export]] = []
    for export in exports:
        for group in groups:
            ref = group[0]
            overlap = len(ref.questions & export.questions) / max(1, len(ref.questions | export.questions))
            if overlap >= SAME_QUESTIONNAIRE and (ref.population is None or export.population is None
                                                  or ref.population == export.population):
                group.append(export)
                break
        else:
            groups.append([export])
    return groups


def _assign_waves(group: list[Export]) -> None:
    """Waves from file names; otherwise from the first submission date (close dates = one wave).

    ``group`` holds the exports of every questionnaire, so that dates are clustered on one
    calendar: residents surveyed in March and September only, beside caregivers surveyed in
    March, June and September, are at waves 1 and 3, not 1 and 2.  When every file name gives the
    wave, the stages named by words (:data:`WAVE_WORDS`) are numbered in order over all exports."""
    if all(e.wave is not None for e in group):
        stages = sorted({e.wave for e in group if e.wave_label})  # named by a word: a stage, not a number
        for e in group:
            e.wave = stages.index(e.wave) + 1 if e.wave_label else e.wave
        return
    dated = sorted((e for e in group if e.first_date is not None), key=lambda e: e.first_date)
    wave, previous = 0, None
    for e in dated:
        if previous is None or (e.first_date - previous).days > SAME_WAVE_DAYS:
            wave += 1
        previous = e.first_date
        e.wave, e.wave_reason = wave, f"first submission {e.first_date.isoformat()}"
    for e in group:
        if e.wave is None:
            e.wave, e.wave_reason = 1, "nothing to go by"


def _populations(groups: list[list[Export]]) -> list[str]:
    named = [next((e.population for e in g if e.population), None) for g in groups]
    free = [p for p in POPULATION_WORDS if p not in named]
    out = []
    for name in named:
        if name is None:
            if not free:
                raise LaoyouError(
                    "这些导出像是两份以上不同的问卷；init 只区分居民问卷和家长问卷。",
                    "These exports look like more than two questionnaires; init knows residents' and caregivers' only.",
                    hint_zh="在文件名中写明“居民”或“家长”，或分别运行。",
                    hint_en="put 居民/resident or 家长/caregiver in the file names.")
            name = free.pop(0)
        out.append(name)
    if len(set(out)) < len(out):
        raise LaoyouError("两组导出被认成了同一人群的不同问卷。",
                          "Two groups of exports with different questions were named for the same population.",
                          hint_zh="检查文件名中的“居民”/“家长”，每个人群一份问卷。",
                          hint_en="one questionnaire per population: check the file names.")
    return out


def _id_question(export: Export) -> str:
    from laoyou_eval.io.wjx import question_columns

    columns = question_columns(export.data) if export.kind.startswith("wjx") else list(export.data.columns)
    return next((c for c in columns if any(h in c for h in ID_HINTS)), columns[0])


@dataclass
class InitResult:
    """What ``init`` wrote: the folder, the files, and how many TODOs wait for the student."""

    folder: Path
    files: list[str]
    todos: int


def init_study(name: str, exports, folder: str | Path | None = None) -> InitResult:
    """Lay out a new study folder from survey exports.

    Parameters
    ----------
    name : str
        Study name (folder name; default folder ``data/raw/<name>``).
    exports : sequence of path
        问卷星 text/code exports (.xlsx/.xls/.csv), SPSS ``.sav``, KoboToolbox exports or any
        table, of every wave and population.
    folder : path, optional
        Target folder instead of ``data/raw/<name>``.

    Returns
    -------
    InitResult

    Notes
    -----
    Exports are copied byte for byte to ``surveys/``; the exports of one questionnaire are
    recognised by their questions (:data:`SAME_QUESTIONNAIRE`), their population from the file
    name (居民/家长 …), their wave from the file name (``_w2``, 第2次, 前测/后测 …) or else from the
    first submission date.  Each questionnaire's codebook is drafted from all its waves
    (:func:`laoyou_eval.coding.draft`), and study.yaml lists everything with a ``TODO`` comment
    on every guess.
    """
    from laoyou_eval import coding, config

    if not re.fullmatch(r"[\w\-]+", name):
        raise LaoyouError("研究名称只能包含字母、数字、汉字、下划线和连字符。",
                          "The study name may hold letters, digits, Chinese characters, _ and - only.", column=name)
    target = Path(folder) if folder is not None else config.RAW_DIR / name
    if target.exists() and any(target.iterdir()):
        raise LaoyouError("目标文件夹已存在且不为空，init 不会覆盖。",
                          "The target folder exists and is not empty; init never overwrites.", file=target,
                          hint_zh="换一个研究名称，或用 --dir 指定空文件夹。", hint_en="choose another name or --dir.")
    exports = [read_export(p) for p in exports]
    if not exports:
        raise LaoyouError("至少需要一个导出文件。", "Give at least one export (--from).")
    names = [e.source.name for e in exports]
    if len(set(names)) < len(names):
        raise LaoyouError("两个导出文件同名，复制后会互相覆盖。", "Two exports share a file name.",
                          hint_zh="先给文件改名。", hint_en="rename one of them first.")
    groups = _questionnaires(exports)
    populations = _populations(groups)
    order = sorted(range(len(groups)), key=lambda i: list(POPULATION_WORDS).index(populations[i]))
    groups, populations = [groups[i] for i in order], [populations[i] for i in order]
    _assign_waves([e for group in groups for e in group])  # one calendar of waves for every questionnaire
    books = {}  # everything is drafted before anything is written: a failed draft leaves no folder behind
    for population, group in zip(populations, groups):
        text = [e for e in group if e.kind != "wjx_code"] or group
        text.sort(key=lambda e: e.wave)
        book = coding.draft(*[e.data for e in text], waves=[e.wave for e in text])
        books[population] = _with_id(book, _id_question(text[0]), f"{population.removesuffix('s')}_id")
    text, todos = _study_yaml(name, populations, groups, books)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    _mkdir(target / "surveys")
    for export in exports:
        shutil.copyfile(export.source, target / "surveys" / export.source.name)
        written.append(f"surveys/{export.source.name}")
    for population, book in books.items():
        _mkdir(target / "codebooks")
        (target / "codebooks" / f"{population}.yaml").write_text(book.to_yaml(), encoding="utf-8")
        written.append(f"codebooks/{population}.yaml")
    (target / "study.yaml").write_text(text, encoding="utf-8")
    written.append("study.yaml")
    todos += sum(int(b.survey["note"].str.contains("TODO").sum()) for b in books.values())
    return InitResult(target, written, todos)


def _mkdir(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True)


def _with_id(book, header: str, id_name: str):
    """The draft with the respondent-id question named ``id_name`` and set as the codebook's id."""
    from laoyou_eval.coding import Codebook

    survey = book.survey.copy()
    is_id = survey["header"] == header
    survey.loc[is_id, ["name", "type", "privacy"]] = [id_name, "text", ""]
    survey.loc[is_id, "note"] = "TODO: the respondent id (guessed) — every wave must use the same ids"
    settings = {**book.settings, "id": id_name}
    return Codebook.from_tables(survey, book.choices, book.missing, book.scales, settings, source=book.source)


def _q(value) -> str:
    """A YAML scalar in single quotes."""
    return "'" + str(value).replace("'", "''") + "'"


def _study_yaml(name: str, populations, groups, books) -> tuple[str, int]:
    """study.yaml text with a TODO comment on every guess, and the number of TODOs."""
    labels = {"residents": "居民 residents", "caregivers": "家长 caregivers"}
    waves: dict[int, object] = {}
    wave_labels = {e.wave: e.wave_label for group in groups for e in group if e.wave_label}
    for group in groups:
        for e in group:
            if e.first_date is not None and (waves.get(e.wave) is None or e.first_date < waves[e.wave]):
                waves[e.wave] = e.first_date
            waves.setdefault(e.wave, None)
    lines = [
        "# study.yaml — 由 laoyou-eval init 起草 drafted by laoyou-eval init",
        "# 规则 Rule: study.yaml 和 codebooks/ 是你手写的配置，请修改；surveys/ 中的导出和其他数据文件是原始数据，",
        "#   init 之后不再写入。study.yaml and codebooks/ are your hand-written configuration: edit them.",
        "#   The exports in surveys/ and every other data file are raw data, never written after init.",
        "# 每个 TODO 都是猜测：核对后删掉 TODO。Every TODO is a guess: check it, then delete the TODO.",
        f"study: {_q(name)}  # TODO: 研究标题 title of the study",
        "waves:",
    ]
    for wave in sorted(waves):
        day = waves[wave].isoformat() if waves[wave] else "YYYY-MM-DD"
        label = wave_labels.get(wave, f"第{wave}波 wave {wave}")
        lines.append(f"  {wave}: {{label: {_q(label)}, date: {_q(day)}}}"
                     "  # TODO: 波次名称（如 前测 pre-test）和日期 label and date (guessed)")
    lines += ["arms:", "  programme: 项目组 programme",
              "  # comparison: 对照组 comparison  # TODO: 有对照组时取消注释 uncomment if there is a comparison group",
              "populations:"]
    for population in populations:
        lines.append(f"  {population}: {{id_column: {population.removesuffix('s')}_id, label: {labels[population]}}}"
                     "  # TODO: 人群由文件名或顺序猜测 population guessed from file names or order")
    lines.append("surveys:")
    files = []
    for population, group in zip(populations, groups):
        for e in sorted(group, key=lambda e: (e.wave, e.kind)):
            path = f"surveys/{e.source.name}"
            layout = {"wjx_text": "text", "wjx_code": "code"}.get(e.kind, e.kind)
            lines += [f"- file: {_q(path)}",
                      f"  population: {population}",
                      f"  wave: {e.wave}  # TODO: 由 {e.wave_reason} 猜测 guessed from {e.wave_reason}",
                      f"  layout: {layout}" + ("" if e.kind.startswith("wjx") else
                                               "  # TODO: 非问卷星导出 not a 问卷星 export — check that intake reads it"),
                      f"  id_question: {_q(_id_question(e))}  # TODO: 受访者编号所在列 the column holding the id",
                      f"  codebook: codebooks/{population}.yaml"]
            files.append((path, e.kind, e.wave))
    lines.append("outcomes:")
    for population in populations:
        scales = list(books[population].scales["scale"])
        lines.append(f"  {population}: [{', '.join(scales)}]  # TODO: "
                     + ("按条目数和选项识别的量表，请核对 instruments recognised by item count and options"
                        if scales else "没有识别出内置量表：在编码表 scales 表中填写 no built-in instrument recognised: "
                                       "fill the codebook's scales sheet"))
    lines += ["# context:  # TODO: 报告中使用的项目事实，只写真实的 programme facts used in the report",
              "#   site: 某街道", "#   host: 某社工站", "#   activities: [活动一, 活动二]", "files:"]
    for path, kind, wave in files:
        lines.append(f"  {_q(path)}: {{kind: {kind}, wave: {wave}}}")
    for population in populations:
        lines.append(f"  codebooks/{population}.yaml: {{kind: codebook}}")
    lines.append("  study.yaml: {kind: metadata}")
    lines.append("  # TODO: 其他数据文件（名册、网络、过程记录、开放题）放入文件夹后在此登记 list other data files here")
    header = 5  # the lines above `study:` explain the rule and the TODOs
    return "\n".join(lines) + "\n", sum("TODO" in line for line in lines[header:])
