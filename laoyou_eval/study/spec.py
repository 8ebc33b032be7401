"""``study.yaml``: what a study is, read and checked once.

A study folder is described by its ``study.yaml``; :func:`read_spec` turns it into a
:class:`StudySpec` and reports **every** problem of the file at once, each naming the key
(``waves.2.date``, ``surveys[3].codebook`` …).  Everything downstream — intake, the loader,
the analyses, the report — asks the spec what the study has instead of assuming the demo's
shape.  The schema is documented in one place, :data:`SCHEMA`, from which
``docs/study_yaml.md`` is generated (``make docs``).

Only ``study``, ``waves``, ``arms.programme`` and ``surveys`` are required; every other key is
optional with the default a student would expect.  A folder written to the earlier README
(like ``data/raw/demo/``) reads unchanged.

Examples
--------
>>> spec = StudySpec.from_dict({
...     "study": "试点 / pilot", "waves": {1: {"label": "前测 pre"}, 2: {"label": "后测 post"}},
...     "arms": {"programme": "项目组 programme"},
...     "surveys": [{"file": "s1.csv", "population": "residents", "wave": 1,
...                  "id_question": "编号", "codebook": "book.yaml"}]})
>>> spec.wave_numbers, spec.has_comparison, spec.populations
([1, 2], False, ['residents'])
>>> spec.wave_label(2, "zh"), spec.wave_label(2, "en")
('后测', 'post')

(long module: the schema table and its validation are kept together so that docs/study_yaml.md and the checks cannot drift apart.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from laoyou_eval.errors import StudyFolderError

#: Kinds of files a study folder may hold, grouped by the component they belong to.
FILE_KINDS: dict[str, tuple[str, ...]] = {
    "metadata": ("metadata", "readme", "truth"),
    "surveys": ("wjx_text", "wjx_code", "survey", "spss", "kobo", "table", "codebook"),
    "roster": ("roster",),
    "ego_networks": ("alters", "alter_ties"),
    "group_network": ("group_members", "group_ties"),
    "process": ("volunteers", "training", "contacts", "attendance", "jobs"),
    "open_ended": ("open_responses", "themes", "codes"),
}
KNOWN_KINDS = tuple(kind for kinds in FILE_KINDS.values() for kind in kinds)
#: Kinds whose file holds one wave (the wave comes from ``wave:`` or a ``_w<N>`` file name).
PER_WAVE_KINDS = ("alters", "alter_ties", "group_ties")
POPULATIONS = ("residents", "caregivers")
#: Default identifier column of each population in the roster.
DEFAULT_ID_COLUMNS = {"residents": "resident_id", "caregivers": "caregiver_id"}
DEFAULT_POPULATION_LABELS = {"residents": ("居民", "Residents"), "caregivers": ("家长", "Caregivers")}
DEFAULT_ARM_LABELS = {"programme": ("项目组", "Programme"), "comparison": ("对照组", "Comparison")}
#: Survey export layouts: 问卷星 text / code exports, SPSS, Kobo/ODK, any other table.
LAYOUTS = ("text", "code", "spss", "kobo", "table")
DIRECTIONS = ("better", "worse")
#: Categories of ego-network alters that a study may declare in ``networks:``.
ALTER_CATEGORY_KEYS = ("buddy", "via_programme", "kin")
ALTER_ANSWER_FIELDS = ("relation", "met_where")
#: Report sections (ids) in their default order; titles may be overridden in ``report.titles``.
REPORT_SECTIONS = ("background", "approach", "outcomes", "lessons", "methods", "limitations", "appendix")
CONTEXT_TEXT_KEYS = ("site", "host", "period", "target_group")
CONTEXT_LIST_KEYS = ("activities", "partners")
CONTEXT_NUMBER_KEYS = ("registered", "homebound", "volunteers_trained")

#: The schema, one row per key: (key, required, type, default, meaning zh, meaning en).
SCHEMA: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("study", "yes", "text", "—", "研究名称（可写“中文 / English”）", "title of the study (may be “中文 / English”)"),
    ("synthetic", "no", "true/false", "false", "只有生成的演示/测试研究为 true", "true only for generated studies"),
    ("context", "no", "mapping", "{}", "项目事实；报告只从这里取项目地点、机构、活动等事实",
     "programme facts; the only source of site, host, activities … in report text"),
    ("context.site", "no", "text", "placeholder", "项目地点（如某某街道）", "where the programme runs"),
    ("context.host", "no", "text", "placeholder", "执行机构", "host organisation"),
    ("context.period", "no", "text", "from wave dates", "项目时间", "programme period"),
    ("context.target_group", "no", "text", "placeholder", "服务对象", "who the programme serves"),
    ("context.activities", "no", "list of text", "placeholder", "主要活动", "main activities"),
    ("context.partners", "no", "list of text", "none", "合作方", "partners"),
    ("context.registered", "no", "integer", "none", "登记的服务对象总数", "registered people in the area"),
    ("context.homebound", "no", "integer", "none", "其中长期居家的人数", "of whom home-bound"),
    ("waves", "yes", "mapping 1..n", "—", "一个或多个波次，键为 1、2、3……（按时间顺序）",
     "one or more waves keyed 1, 2, 3 … in time order"),
    ("waves.N.label", "no", "text or {zh, en}", "第N次 / Wave N", "波次名称，如“前测 pre-test”",
     "wave label, e.g. “前测 pre-test”"),
    ("waves.N.date", "no", "YYYY-MM-DD", "none", "调查日期", "survey date"),
    ("arms", "yes", "mapping", "—", "组别：programme 必填，comparison 可选（单组设计不写）",
     "arms: programme required, comparison optional (single-group designs omit it)"),
    ("populations", "no", "mapping", "from surveys", "residents / caregivers 及其编号列与名称",
     "residents / caregivers with their id column and label"),
    ("populations.P.id_column", "no", "text", "resident_id / caregiver_id", "名册中该人群的编号列",
     "the population's id column in the roster"),
    ("populations.P.label", "no", "text or {zh, en}", "居民 / 家长", "人群名称", "population label"),
    ("id_columns", "no", "mapping", "—", "旧写法：{resident: …, caregiver: …}", "legacy form of populations.P.id_column"),
    ("roster", "no", "path", "the file of kind roster", "名册文件（编号列；有对照组时加 arm 列）", "roster file (id columns; an arm column when there is a comparison arm)"),
    ("surveys", "yes", "list", "—", "每个问卷导出文件一项", "one entry per survey export"),
    ("surveys[i].file", "yes", "path", "—", "导出文件", "the export file"),
    ("surveys[i].population", "yes", "residents/caregivers", "—", "谁填的问卷", "who answered"),
    ("surveys[i].wave", "yes", "integer", "—", "属于哪一波", "which wave"),
    ("surveys[i].layout", "no", "text/code/spss/kobo/table", "text",
     "问卷星“按选项文本”(text)或“按选项序号”(code)导出、SPSS、Kobo/ODK 或其他表格",
     "Wenjuanxing text or code export, SPSS, Kobo/ODK, or another table"),
    ("surveys[i].id_question", "yes", "text", "—", "受访者编号所在列的表头", "header of the respondent-id column"),
    ("surveys[i].codebook", "yes", "path", "—", "编码表（XLSForm 工作簿或 YAML）", "codebook (XLSForm workbook or YAML)"),
    ("outcomes", "no", "mapping", "every codebook scale", "每个人群分析哪些量表：简写为量表名，或 {scale, score, higher_is}",
     "which scales are analysed for each population: a scale name, or {scale, score, higher_is}"),
    ("outcomes.P[i].scale", "yes", "text", "—", "编码表 scales 表中的量表名", "a scale of the codebook's scales sheet"),
    ("outcomes.P[i].score", "no", "text", "the instrument's total/mean", "用哪一个分数（total、mean 或分量表名）",
     "which score (total, mean or a subscale)"),
    ("outcomes.P[i].higher_is", "no", "better/worse", "from the instrument", "分数越高越好还是越差",
     "whether higher scores are better or worse"),
    ("networks", "no", "mapping", "{}", "自我中心网络中哪些回答表示“结对老友”“经由项目认识”“亲属”",
     "which alter answers mean the buddy, met via the programme, kin"),
    ("networks.C.relation / met_where", "no", "list of text", "none", "对应的 relation / met_where 回答",
     "the relation / met_where answers of category C"),
    ("networks.directed", "no", "true/false", "false",
     "被提名者之间的关系是否有方向：true 时 A→B 与 B→A 是两条关系（如“谁向谁求助”）",
     "whether alter–alter ties are directed: with true, A→B and B→A are two ties (e.g. who turns to whom)"),
    ("files", "no", "mapping", "{}", "文件夹中的每个文件：kind（类别）、about（说明），每波一个的文件加 wave",
     "every file of the folder: kind, about, and wave for per-wave files"),
    ("report.sections", "no", "list", ", ".join(REPORT_SECTIONS), "报告章节顺序", "order of report sections"),
    ("report.titles", "no", "mapping", "built-in", "章节标题（可写“中文 / English”）", "section titles"),
    ("screening", "no", "mapping", "{}",
     "答卷质量筛查设置：speeder、straightline、test_entry、duplicate、contradiction、skip_violation 各自的阈值；"
     "只标记，写 exclude: true 的规则才排除（见 README 与 coding.screening）",
     "response-quality screening per rule (speeder, straightline, test_entry, duplicate, contradiction, "
     "skip_violation): thresholds; flags only, a rule excludes with exclude: true (see README, coding.screening)"),
)

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
_WAVE_IN_NAME = re.compile(r"_w(\d+)(?:_|\.|$)", re.IGNORECASE)


def bilingual(value, default: tuple[str, str] | None = None) -> tuple[str, str]:
    """``(zh, en)`` from a study.yaml label.

    A label is a mapping ``{zh: …, en: …}``, or text: Chinese followed by English
    (``"基线 baseline"``, ``"项目组 / programme"``) is split where the Latin part begins; text in
    one language is used for both.

    Examples
    --------
    >>> bilingual("对照组（候补）comparison (waitlist)")
    ('对照组（候补）', 'comparison (waitlist)')
    >>> bilingual({"zh": "前测", "en": "Pre-test"}), bilingual("Pre")
    (('前测', 'Pre-test'), ('Pre', 'Pre'))
    """
    if value is None or value == "":
        return default if default is not None else ("", "")
    if isinstance(value, dict):
        zh, en = str(value.get("zh", "") or ""), str(value.get("en", "") or "")
        return (zh or en, en or zh)
    text = str(value).strip()
    cjk = [m.end() for m in _CJK.finditer(text)]
    if not cjk or not re.search(r"[A-Za-z]", text[cjk[-1]:]):
        return (text, text)
    cut = cjk[-1]
    zh, en = text[:cut].strip(" /|"), text[cut:].strip(" /|")
    return (zh, en) if zh and en else (text, text)


@dataclass(frozen=True)
class Wave:
    number: int
    label_zh: str
    label_en: str
    date: str | None = None


@dataclass(frozen=True)
class Population:
    name: str
    id_column: str
    label_zh: str
    label_en: str


@dataclass(frozen=True)
class SurveyEntry:
    file: str
    population: str
    wave: int
    layout: str
    id_question: str
    codebook: str


@dataclass(frozen=True)
class OutcomeSpec:
    """One analysed outcome: ``scale`` of ``population``'s codebook, its ``score`` and direction.

    ``score`` is the suffix of the score column (``total``, ``mean`` or a subscale), or None
    for the instrument's own main score; ``higher_is`` None means "from the instrument".
    """

    population: str
    scale: str
    score: str | None = None
    higher_is: str | None = None


@dataclass(frozen=True)
class FileEntry:
    path: str
    kind: str
    about: str = ""
    wave: int | None = None
    coder: str | None = None


@dataclass
class StudySpec:
    """A study as its ``study.yaml`` declares it (see :data:`SCHEMA`)."""

    title: str
    waves: dict[int, Wave]
    arms: dict[str, tuple[str, str]]
    populations_: dict[str, Population]
    surveys: list[SurveyEntry]
    outcomes_: dict[str, list[OutcomeSpec]] | None
    files: dict[str, FileEntry]
    context: dict = field(default_factory=dict)
    networks: dict = field(default_factory=dict)
    ties_directed: bool = False
    report: dict = field(default_factory=dict)
    screening: dict = field(default_factory=dict)
    synthetic: bool = False
    roster: str | None = None
    root: Path | None = None
    raw: dict = field(default_factory=dict, repr=False)

    # ------------------------------------------------------------------ reading
    @classmethod
    def from_dict(cls, doc, root: Path | None = None, source: str = "study.yaml") -> "StudySpec":
        """Build and check a spec; every problem is listed in one :class:`StudyFolderError`."""
        problems: list[tuple[str, str, str]] = []

        def bad(key: str, zh: str, en: str) -> None:
            problems.append((key, zh, en))

        if not isinstance(doc, dict):
            raise StudyFolderError("study.yaml 的内容应是“键: 值”的映射。", "study.yaml must be a mapping of keys.",
                                   file=source, hint_zh="参照 docs/study_yaml.md。", hint_en="see docs/study_yaml.md.")
        known = {row[0].split(".")[0].split("[")[0] for row in SCHEMA}
        for key in doc:
            if key not in known:
                bad(str(key), f"未知的键 {key!r}（拼写错误？）", f"unknown key {key!r} (a typo?)")
        title = str(doc.get("study") or "").strip()
        if not title:
            bad("study", "缺少研究名称 study", "the study has no title (key study)")
        waves = cls._read_waves(doc.get("waves"), bad)
        arms = cls._read_arms(doc.get("arms"), bad)
        surveys = cls._read_surveys(doc.get("surveys"), waves, bad)
        populations = cls._read_populations(doc, surveys, bad)
        files = cls._read_files(doc.get("files"), bad)
        outcomes = cls._read_outcomes(doc.get("outcomes"), populations, bad)
        networks, ties_directed = cls._read_networks(doc.get("networks"), bad)
        context = doc.get("context") or {}
        if not isinstance(context, dict):
            bad("context", "context 应是映射", "context must be a mapping")
            context = {}
        for key in CONTEXT_NUMBER_KEYS:
            if key in context and not _is_int(context[key]):
                bad(f"context.{key}", f"context.{key} 应是整数，而不是 {context[key]!r}",
                    f"context.{key} must be an integer, not {context[key]!r}")
        for key in CONTEXT_LIST_KEYS:
            if key in context and isinstance(context[key], str):
                context = {**context, key: [context[key]]}
        report = doc.get("report") or {}
        if not isinstance(report, dict):
            bad("report", "report 应是映射", "report must be a mapping")
            report = {}
        for section in report.get("sections") or []:
            if section not in REPORT_SECTIONS:
                bad("report.sections", f"未知的报告章节 {section!r}，可用：{', '.join(REPORT_SECTIONS)}",
                    f"unknown report section {section!r}; available: {', '.join(REPORT_SECTIONS)}")
        roster = doc.get("roster")
        if roster is None:
            roster = next((p for p, f in files.items() if f.kind == "roster"), None)
        if problems:
            listing = "\n  ".join(f"{key}: {zh} / {en}" for key, zh, en in problems)
            raise StudyFolderError(f"study.yaml 有 {len(problems)} 处问题：\n  {listing}",
                                   f"study.yaml has {len(problems)} problem(s), listed above.", file=source,
                                   hint_zh="逐项修改后再运行；各键的含义见 docs/study_yaml.md。",
                                   hint_en="fix each one and run again; docs/study_yaml.md explains every key.")
        return cls(title=title, waves=waves, arms=arms, populations_=populations, surveys=surveys,
                   outcomes_=outcomes, files=files, context=dict(context), networks=networks,
                   ties_directed=ties_directed, report=dict(report),
                   screening=dict(doc.get("screening") or {}), synthetic=bool(doc.get("synthetic", False)),
                   roster=roster, root=root, raw=doc)

    @staticmethod
    def _read_waves(value, bad) -> dict[int, Wave]:
        if not isinstance(value, dict) or not value:
            bad("waves", "至少要有一个波次（waves: {1: {label: 前测}}）", "at least one wave is needed (waves: {1: {label: pre}})")
            return {}
        waves = {}
        for key, info in value.items():
            if not _is_int(key) or int(key) < 1:
                bad(f"waves.{key}", "波次的键应是 1、2、3……", "wave keys must be 1, 2, 3 …")
                continue
            number = int(key)
            info = info if isinstance(info, dict) else {"label": info}
            zh, en = bilingual(info.get("label"), (f"第{number}次", f"Wave {number}"))
            date = info.get("date")
            if date is not None:
                date = str(date)
                if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
                    bad(f"waves.{key}.date", f"日期应写成 YYYY-MM-DD，而不是 {date!r}",
                        f"dates are written YYYY-MM-DD, not {date!r}")
            waves[number] = Wave(number, zh, en, date)
        numbers = sorted(waves)
        if numbers and numbers != list(range(1, len(numbers) + 1)):
            bad("waves", f"波次应从 1 连续编号，而不是 {numbers}", f"waves must be numbered 1, 2, … without gaps, not {numbers}")
        dates = [waves[n].date for n in numbers if waves[n].date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", waves[n].date)]
        if dates != sorted(dates):
            bad("waves", "波次的日期不是按时间顺序排列的", "wave dates are not in time order")
        return dict(sorted(waves.items()))

    @staticmethod
    def _read_arms(value, bad) -> dict[str, tuple[str, str]]:
        if not isinstance(value, dict) or "programme" not in value:
            bad("arms.programme", "arms 中必须有 programme（项目组）", "arms must name the programme arm (arms.programme)")
            return {"programme": DEFAULT_ARM_LABELS["programme"]}
        arms = {}
        for key, label in value.items():
            if key not in DEFAULT_ARM_LABELS:
                bad(f"arms.{key}", f"组别只能是 programme 或 comparison，而不是 {key!r}",
                    f"arms are programme and (optionally) comparison, not {key!r}")
                continue
            arms[key] = bilingual(label, DEFAULT_ARM_LABELS[key])
        return arms

    @staticmethod
    def _read_surveys(value, waves, bad) -> list[SurveyEntry]:
        if not isinstance(value, list) or not value:
            bad("surveys", "至少要列出一个问卷导出文件", "list at least one survey export under surveys")
            return []
        out = []
        for i, entry in enumerate(value):
            where = f"surveys[{i + 1}]"
            if not isinstance(entry, dict):
                bad(where, "每一项应是映射（file, population, wave, id_question, codebook）",
                    "each entry is a mapping (file, population, wave, id_question, codebook)")
                continue
            missing = [k for k in ("file", "population", "wave", "id_question", "codebook") if not entry.get(k)]
            for key in missing:
                bad(f"{where}.{key}", f"缺少 {key}", f"{key} is missing")
            if missing:
                continue
            if entry["population"] not in POPULATIONS:
                bad(f"{where}.population", f"人群只能是 {' / '.join(POPULATIONS)}，而不是 {entry['population']!r}"
                    "（服务对象用 residents、家属用 caregivers，称呼写在 populations.P.label，如 label: 青年）",
                    f"population must be one of {', '.join(POPULATIONS)}, not {entry['population']!r} (residents for "
                    "the people served, caregivers for their families; your own name goes in populations.P.label)")
                continue
            if not _is_int(entry["wave"]) or (waves and int(entry["wave"]) not in waves):
                bad(f"{where}.wave", f"波次 {entry['wave']!r} 不在 waves 中", f"wave {entry['wave']!r} is not declared in waves")
                continue
            layout = entry.get("layout", "text")
            if layout not in LAYOUTS:
                bad(f"{where}.layout", f"layout 只能是 {' / '.join(LAYOUTS)}，而不是 {layout!r}",
                    f"layout is one of {', '.join(LAYOUTS)}, not {layout!r}")
                continue
            out.append(SurveyEntry(str(entry["file"]), entry["population"], int(entry["wave"]), layout,
                                   str(entry["id_question"]), str(entry["codebook"])))
        seen = {}
        for s in out:
            key = (s.population, s.wave, s.layout)
            if key in seen:
                bad("surveys", f"{s.population} 第 {s.wave} 波的 {s.layout} 导出列了两次：{seen[key]} 和 {s.file}",
                    f"two {s.layout} exports for {s.population} wave {s.wave}: {seen[key]} and {s.file}")
            seen[key] = s.file
        for s in out:
            if s.layout == "code" and (s.population, s.wave, "text") not in seen:
                bad("surveys", f"{s.file} 是序号导出，但没有同一波的文本导出可以核对",
                    f"{s.file} is a code export without a text export of the same wave to cross-check")
        return out

    @staticmethod
    def _read_populations(doc, surveys, bad) -> dict[str, Population]:
        declared = doc.get("populations") or {}
        legacy = doc.get("id_columns") or {}
        if not isinstance(declared, dict):
            bad("populations", "populations 应是映射", "populations must be a mapping")
            declared = {}
        names = [p for p in POPULATIONS if p in declared or any(s.population == p for s in surveys)]
        out = {}
        for name in names:
            info = declared.get(name) or {}
            if not isinstance(info, dict):
                bad(f"populations.{name}", "应是映射 {id_column, label}", "must be a mapping {id_column, label}")
                info = {}
            id_column = info.get("id_column") or legacy.get(name.removesuffix("s")) or DEFAULT_ID_COLUMNS[name]
            zh, en = bilingual(info.get("label"), DEFAULT_POPULATION_LABELS[name])
            out[name] = Population(name, str(id_column), zh, en)
        for name in declared:
            if name not in POPULATIONS:
                bad(f"populations.{name}", f"人群只能是 {' / '.join(POPULATIONS)}", f"populations are {', '.join(POPULATIONS)}")
        return out

    @staticmethod
    def _read_files(value, bad) -> dict[str, FileEntry]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            bad("files", "files 应是“路径: {kind, about}”的映射", "files must map paths to {kind, about}")
            return {}
        out = {}
        for path, info in value.items():
            info = info if isinstance(info, dict) else {"kind": info}
            kind = info.get("kind")
            if kind not in KNOWN_KINDS:
                bad(f"files.{path}.kind", f"未知的文件类别 {kind!r}；可用：{', '.join(KNOWN_KINDS)}",
                    f"unknown file kind {kind!r}; known kinds: {', '.join(KNOWN_KINDS)}")
                continue
            wave = info.get("wave")
            if wave is None and kind in PER_WAVE_KINDS:
                found = _WAVE_IN_NAME.search(Path(path).name)
                wave = int(found.group(1)) if found else None
                if wave is None:
                    bad(f"files.{path}.wave", "每波一个的文件需要写明 wave（或文件名以 _w1、_w2 结尾）",
                        "per-wave files need a wave (or a name ending _w1, _w2 …)")
                    continue
            elif wave is not None and not _is_int(wave):
                bad(f"files.{path}.wave", f"wave 应是整数，而不是 {wave!r}", f"wave must be an integer, not {wave!r}")
                continue
            coder = info.get("coder")
            if coder is None and kind == "codes":
                coder = Path(path).stem.removeprefix("coder_")
            out[str(path)] = FileEntry(str(path), kind, str(info.get("about") or ""),
                                       None if wave is None else int(wave), None if coder is None else str(coder))
        return out

    @staticmethod
    def _read_outcomes(value, populations, bad) -> dict[str, list[OutcomeSpec]] | None:
        if value is None:
            return None
        if not isinstance(value, dict):
            bad("outcomes", "outcomes 应是“人群: [量表…]”的映射", "outcomes must map populations to lists of scales")
            return None
        out = {}
        for population, items in value.items():
            if population not in populations:
                bad(f"outcomes.{population}", f"没有 {population} 的问卷", f"no survey of population {population!r}")
                continue
            specs = []
            for i, item in enumerate(items or []):
                where = f"outcomes.{population}[{i + 1}]"
                item = {"scale": item} if isinstance(item, str) else item
                if not isinstance(item, dict) or not item.get("scale"):
                    bad(where, "应是量表名或 {scale, score, higher_is}", "must be a scale name or {scale, score, higher_is}")
                    continue
                direction = item.get("higher_is")
                if direction is not None and direction not in DIRECTIONS:
                    bad(f"{where}.higher_is", f"higher_is 只能是 better 或 worse，而不是 {direction!r}",
                        f"higher_is is better or worse, not {direction!r}")
                    continue
                specs.append(OutcomeSpec(population, str(item["scale"]), item.get("score"), direction))
            out[population] = specs
        return out

    @staticmethod
    def _read_networks(value, bad) -> tuple[dict, bool]:
        """The declared alter categories, and whether the alter–alter ties are directed."""
        if value is None:
            return {}, False
        if not isinstance(value, dict):
            bad("networks", "networks 应是映射", "networks must be a mapping")
            return {}, False
        value = dict(value)
        directed = value.pop("directed", False)
        if not isinstance(directed, bool):
            bad("networks.directed", f"directed 只能是 true 或 false，而不是 {directed!r}",
                f"directed is true or false, not {directed!r}")
            directed = False
        out = {}
        for category, answers in value.items():
            if category not in ALTER_CATEGORY_KEYS:
                bad(f"networks.{category}", f"类别只能是 {', '.join(ALTER_CATEGORY_KEYS)}",
                    f"categories are {', '.join(ALTER_CATEGORY_KEYS)}")
                continue
            if not isinstance(answers, dict) or not set(answers) <= set(ALTER_ANSWER_FIELDS):
                bad(f"networks.{category}", "应写成 {relation: [...], met_where: [...]}",
                    "write {relation: [...], met_where: [...]}")
                continue
            out[category] = {k: [str(v) for v in (answers[k] if isinstance(answers[k], list) else [answers[k]])]
                             for k in answers}
        return out, directed

    # ------------------------------------------------------------------ what the study has
    @property
    def wave_numbers(self) -> list[int]:
        return list(self.waves)

    @property
    def baseline(self) -> int:
        return self.wave_numbers[0]

    @property
    def has_comparison(self) -> bool:
        return "comparison" in self.arms

    @property
    def populations(self) -> list[str]:
        return list(self.populations_)

    def population(self, name: str) -> Population:
        return self.populations_[name]

    def files_of(self, *kinds: str) -> list[FileEntry]:
        return [f for f in self.files.values() if f.kind in kinds]

    @property
    def components(self) -> dict[str, bool]:
        """Which optional components the study has (from the kinds of its files)."""
        kinds = {f.kind for f in self.files.values()}
        return {
            "ego_networks": "alters" in kinds,
            "group_network": {"group_members", "group_ties"} <= kinds,
            "process": bool(kinds & set(FILE_KINDS["process"])),
            "open_ended": {"open_responses", "codes"} <= kinds,
        }

    def surveys_of(self, population: str) -> list[SurveyEntry]:
        return [s for s in self.surveys if s.population == population]

    def codebook_path(self, population: str) -> str | None:
        entries = self.surveys_of(population)
        return entries[0].codebook if entries else None

    def outcomes(self, population: str) -> list[OutcomeSpec] | None:
        """The declared outcomes of a population (None: not declared, take every scale)."""
        if self.outcomes_ is None or population not in self.outcomes_:
            return None
        return self.outcomes_[population]

    def wave_label(self, wave: int, lang: str = "zh") -> str:
        w = self.waves[int(wave)]
        return w.label_zh if lang == "zh" else w.label_en

    def arm_label(self, arm: str, lang: str = "zh") -> str:
        zh, en = self.arms.get(arm, DEFAULT_ARM_LABELS.get(arm, (arm, arm)))
        return zh if lang == "zh" else en

    def population_label(self, population: str, lang: str = "zh") -> str:
        p = self.populations_[population]
        return p.label_zh if lang == "zh" else p.label_en

    def title_in(self, lang: str = "zh") -> str:
        zh, en = bilingual(self.title)
        return zh if lang == "zh" else en

    def fact(self, key: str):
        """A ``context`` fact, or None when the study does not state it."""
        value = self.context.get(key)
        return None if value in (None, "", []) else value


def _is_int(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, str) and value.strip().isdigit()


def read_spec(study_dir) -> StudySpec:
    """Read and check ``study_dir/study.yaml``.

    Raises
    ------
    StudyFolderError
        When the folder or ``study.yaml`` is missing, is not valid YAML (naming the line), or
        breaks the schema (every problem listed, each with its key).
    """
    import yaml

    study_dir = Path(study_dir)
    path = study_dir / "study.yaml"
    if not study_dir.is_dir():
        raise StudyFolderError("找不到研究文件夹。", "Study folder not found.", file=study_dir,
                               hint_zh="检查路径，或用 laoyou-eval init 新建一个研究文件夹。",
                               hint_en="check the path, or create one with laoyou-eval init.")
    if not path.is_file():
        raise StudyFolderError("研究文件夹里没有 study.yaml。", "The study folder has no study.yaml.",
                               file=path, hint_zh="参照 docs/study_yaml.md 或 data/raw/demo/study.yaml 写一个。",
                               hint_en="write one following docs/study_yaml.md or data/raw/demo/study.yaml.")
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise StudyFolderError("study.yaml 不是 UTF-8 编码。", "study.yaml is not UTF-8 encoded.", file=path,
                               hint_zh="用记事本/VS Code 另存为 UTF-8。", hint_en="save it as UTF-8.") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise StudyFolderError(f"study.yaml 不是有效的 YAML：{getattr(error, 'problem', error)}",
                               "study.yaml is not valid YAML (see the line above).", file=path,
                               row=None if mark is None else mark.line + 1,
                               hint_zh="检查这一行的缩进、冒号和引号。",
                               hint_en="check indentation, colons and quotes on that line.") from None
    return StudySpec.from_dict(doc or {}, root=study_dir, source=str(path))


def schema_markdown() -> str:
    """``docs/study_yaml.md``: every key of :data:`SCHEMA` as a table."""
    rows = "\n".join(f"| `{key}` | {req} | {typ} | {default} | {zh} / {en} |"
                     for key, req, typ, default, zh, en in SCHEMA)
    kinds = "\n".join(f"| {component} | {', '.join(f'`{k}`' for k in kinds)} |" for component, kinds in FILE_KINDS.items())
    return f"""# study.yaml 说明 / reference

<!-- generated by `make docs` from laoyou_eval/study/spec.py — do not edit by hand -->

每个研究文件夹用一个 `study.yaml` 描述。只有 `study`、`waves`、`arms.programme`、`surveys` 必填；
其余键可选，省略时取表中的默认值。报告只从 `context` 中取项目事实；没写的事实在报告中显示为
【待填写：…】占位符，`laoyou-eval report` 结束时列出全部占位符。
Each study folder is described by one `study.yaml`. Only `study`, `waves`, `arms.programme` and `surveys`
are required. The report takes programme facts only from `context`; facts you have not given appear as
marked placeholders, all listed at the end of `laoyou-eval report`.

| 键 key | 必填 required | 类型 type | 默认 default | 含义 meaning |
|---|---|---|---|---|
{rows}

## 文件类别 File kinds (`files.PATH.kind`)

组件由文件夹中出现的文件类别决定 / the study's components follow from the kinds of its files:

| 组件 component | 类别 kinds |
|---|---|
{kinds}

每波一个的文件（{', '.join(PER_WAVE_KINDS)}）写 `wave: N`，或文件名以 `_wN` 结尾。
Per-wave files ({', '.join(PER_WAVE_KINDS)}) carry `wave: N` or a name ending in `_wN`.

## 例 Example

```yaml
study: 社区融合试点评估 / Community inclusion pilot
context:
  site: 某某街道
  activities: [手工坊, 读书会]
waves:
  1: {{label: 前测 pre-test, date: '2025-03-01'}}
  2: {{label: 后测 post-test, date: '2025-07-01'}}
arms:
  programme: 项目组 programme        # 单组设计：不写 comparison
surveys:
- {{file: surveys/pre.xlsx, population: residents, wave: 1, id_question: 1、编号, codebook: codebooks/residents.yaml}}
- {{file: surveys/post.xlsx, population: residents, wave: 2, id_question: 1、编号, codebook: codebooks/residents.yaml}}
outcomes:
  residents: [ucla3, {{scale: pss10, higher_is: worse}}]
files:
  roster.csv: {{kind: roster, about: 名册}}
  networks/alters_w1.csv: {{kind: alters, wave: 1}}
networks:
  buddy: {{relation: [结对志愿者]}}
```
"""
