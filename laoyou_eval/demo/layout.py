"""Which files a synthetic study holds, and the study.yaml that declares them.

The committed demo keeps its original file list (:data:`STUDY_FILES`) and study.yaml; every
other :class:`~laoyou_eval.demo.design.StudyShape` gets a list derived from what it holds
(:func:`study_files`) and a study.yaml in the full schema: populations, waves with labels
and dates, arms, surveys, outcomes, the ego-network category mapping (when alters exist),
context facts (only those the shape has) and every file with its kind and wave.
"""

from __future__ import annotations

from dataclasses import dataclass

from laoyou_eval.demo.design import DemoDesign, StudyShape

#: Files of the demo study folder: relative path -> (kind, description).
STUDY_FILES: dict[str, tuple[str, str]] = {
    "study.yaml": ("metadata", "研究信息：波次、组别、文件 / study metadata"),
    "roster.csv": ("roster", "参与者名册（含个人信息）/ participant roster with personal data"),
    "surveys/residents_w1_text.xlsx": ("wjx_text", "居民问卷 基线 问卷星文本导出 / residents, baseline, text export"),
    "surveys/residents_w2_text.csv": ("wjx_text", "居民问卷 6个月 文本导出 / residents, 6 months, text export"),
    "surveys/caregivers_w1_text.csv": ("wjx_text", "家长问卷 基线 文本导出 / caregivers, baseline, text export"),
    "surveys/caregivers_w1_code.csv": ("wjx_code", "家长问卷 基线 序号导出 / caregivers, baseline, code export"),
    "surveys/caregivers_w2_text.csv": ("wjx_text", "家长问卷 6个月 文本导出 / caregivers, 6 months, text export"),
    "codebooks/residents.xlsx": ("codebook", "居民问卷编码表（XLSForm 工作簿）/ residents' codebook (XLSForm workbook)"),
    "codebooks/caregivers.yaml": ("codebook", "家长问卷编码表（YAML）/ caregivers' codebook (YAML)"),
    "networks/alters_w1.csv": ("alters", "提名生成法 基线 / name generator, baseline"),
    "networks/alters_w2.csv": ("alters", "提名生成法 6个月 / name generator, 6 months"),
    "networks/alter_ties_w1.csv": ("alter_ties", "被提名者之间的关系 基线 / alter–alter ties, baseline"),
    "networks/alter_ties_w2.csv": ("alter_ties", "被提名者之间的关系 6个月 / alter–alter ties, 6 months"),
    "parents_group/members.csv": ("group_members", "家长互助小组成员 / parents' group members"),
    "parents_group/ties_w1.csv": ("group_ties", "家长小组关系 基线 / parents' group ties, baseline"),
    "parents_group/ties_w2.csv": ("group_ties", "家长小组关系 6个月 / parents' group ties, 6 months"),
    "process/volunteers.csv": ("volunteers", "志愿者名册 / volunteer roster"),
    "process/volunteer_training.csv": ("training", "志愿者培训记录 / volunteer training records"),
    "process/buddy_contacts.csv": ("contacts", "结对陪伴记录 / buddy contact log"),
    "process/activity_attendance.csv": ("attendance", "活动签到 / activity attendance"),
    "process/job_placements.csv": ("jobs", "辅助性就业 / supported-job placements"),
    "open_ended/responses.csv": ("open_responses", "开放题回答 / open-ended answers"),
    "open_ended/themes.csv": ("themes", "主题编码表 / theme codebook"),
    "open_ended/coder_a.csv": ("codes", "编码员A / coder A"),
    "open_ended/coder_b.csv": ("codes", "编码员B / coder B"),
    "truth.json": ("truth", "预设效应（仅演示数据）/ planted effects (demo only)"),
    "TRUTH.md": ("truth", "预设效应说明 / planted effects explained"),
    "README.md": ("readme", "说明 / what is in this folder"),
}
#: Encodings of the demo's survey exports (None: an Excel workbook), to exercise the readers.
DEMO_ENCODINGS = {"surveys/residents_w1_text.xlsx": None, "surveys/residents_w2_text.csv": "utf-8-sig",
                  "surveys/caregivers_w1_text.csv": "gb18030", "surveys/caregivers_w1_code.csv": "gb18030",
                  "surveys/caregivers_w2_text.csv": "utf-8"}
POPULATION_LABELS = {"residents": ("居民", "residents", "resident_id"),
                     "caregivers": ("家长", "caregivers", "caregiver_id")}
PROCESS_FILES = {"volunteers": ("process/volunteers.csv", "志愿者名册 / volunteer roster"),
                 "training": ("process/volunteer_training.csv", "志愿者培训记录 / volunteer training records"),
                 "contacts": ("process/buddy_contacts.csv", "结对陪伴记录 / buddy contact log"),
                 "attendance": ("process/activity_attendance.csv", "活动签到 / activity attendance"),
                 "jobs": ("process/job_placements.csv", "辅助性就业 / supported-job placements")}
ID_QUESTION = "1、受访者编号（由社工填写）"


@dataclass(frozen=True)
class StudyFile:
    """One file of a synthetic study: kind and description, and for survey exports the
    population, wave, layout and encoding (None: Excel)."""

    kind: str
    about: str
    wave: int | None = None
    population: str | None = None
    layout: str | None = None
    encoding: str | None = "utf-8-sig"


def _wave_words(label: str) -> tuple[str, str]:
    """Chinese and English halves of a wave label such as ``"前测 pre-test"``."""
    zh, _, en = label.partition(" ")
    return zh, en or zh


def _demo_files() -> dict[str, StudyFile]:
    out = {}
    for path, (kind, about) in STUDY_FILES.items():
        wave = int(path.rsplit("_w", 1)[1][0]) if "_w" in path else None
        if kind.startswith("wjx_"):
            population = path.split("/")[1].split("_")[0]
            out[path] = StudyFile(kind, about, wave, population, kind.removeprefix("wjx_"), DEMO_ENCODINGS[path])
        else:
            out[path] = StudyFile(kind, about, wave)
    return out


def study_files(shape: StudyShape) -> dict[str, StudyFile]:
    """Every file the study folder of ``shape`` holds, in the order they are listed."""
    if shape.legacy_metadata:
        return _demo_files()
    files = {"study.yaml": StudyFile("metadata", "研究信息：波次、组别、文件 / study metadata"),
             "roster.csv": StudyFile("roster", "参与者名册（含个人信息）/ participant roster with personal data")}
    for population in shape.populations:
        zh, en, _ = POPULATION_LABELS[population]
        for wave, info in enumerate(shape.waves, start=1):
            wzh, wen = _wave_words(info.label)
            files[f"surveys/{population}_w{wave}_text.csv"] = StudyFile(
                "wjx_text", f"{zh}问卷 {wzh} 问卷星文本导出 / {en}, {wen}, text export", wave, population, "text")
            if population == "caregivers" and wave == 1 and shape.code_export:
                files["surveys/caregivers_w1_code.csv"] = StudyFile(
                    "wjx_code", f"{zh}问卷 {wzh} 序号导出 / {en}, {wen}, code export", wave, population, "code")
    for population in shape.populations:
        zh, en, _ = POPULATION_LABELS[population]
        files[f"codebooks/{population}.yaml"] = StudyFile("codebook", f"{zh}问卷编码表 / {en}' codebook")
    for wave in shape.network_waves if shape.ego_networks else ():
        wzh, wen = _wave_words(shape.waves[wave - 1].label)
        files[f"networks/alters_w{wave}.csv"] = StudyFile("alters", f"提名生成法 {wzh} / name generator, {wen}", wave)
        files[f"networks/alter_ties_w{wave}.csv"] = StudyFile(
            "alter_ties", f"被提名者之间的关系 {wzh} / alter–alter ties, {wen}", wave)
    if shape.group_network:
        files["parents_group/members.csv"] = StudyFile("group_members", "家长互助小组成员 / parents' group members")
        for wave in shape.network_waves:
            wzh, wen = _wave_words(shape.waves[wave - 1].label)
            files[f"parents_group/ties_w{wave}.csv"] = StudyFile(
                "group_ties", f"家长小组关系 {wzh} / parents' group ties, {wen}", wave)
    for kind in shape.process:
        path, about = PROCESS_FILES[kind]
        files[path] = StudyFile(kind, about)
    if shape.open_ended:
        files["open_ended/responses.csv"] = StudyFile("open_responses", "开放题回答 / open-ended answers", 2)
        files["open_ended/themes.csv"] = StudyFile("themes", "主题编码表 / theme codebook")
        files["open_ended/coder_a.csv"] = StudyFile("codes", "编码员A / coder A")
        files["open_ended/coder_b.csv"] = StudyFile("codes", "编码员B / coder B")
    files["truth.json"] = StudyFile("truth", "预设效应（仅合成数据）/ planted effects (synthetic data only)")
    files["TRUTH.md"] = StudyFile("truth", "预设效应说明 / planted effects explained")
    files["README.md"] = StudyFile("readme", "说明 / what is in this folder")
    return files


def codebook_path(shape: StudyShape, population: str) -> str:
    if shape.legacy_metadata:
        return f"codebooks/{population}.{'xlsx' if population == 'residents' else 'yaml'}"
    return f"codebooks/{population}.yaml"


def study_metadata(shape: StudyShape, design: DemoDesign) -> dict:
    """The content of study.yaml for ``shape`` (see docs of the study.yaml schema)."""
    files = study_files(shape)
    surveys = [{"file": path, "population": f.population, "wave": f.wave, "layout": f.layout,
                "id_question": ID_QUESTION, "codebook": codebook_path(shape, f.population)}
               for path, f in files.items() if f.kind.startswith("wjx_")]
    if shape.legacy_metadata:
        return {
            "study": shape.title, "synthetic": True,
            "context": {**{k: list(v) if isinstance(v, tuple) else v for k, v in shape.context},
                        "registered": design.n_registered, "homebound": design.n_homebound},
            "waves": {k: {"label": w.label, "date": w.date.isoformat()} for k, w in enumerate(shape.waves, 1)},
            "arms": {"programme": "项目组 programme", "comparison": "对照组（候补）comparison (waitlist)"},
            "id_columns": {"resident": "resident_id", "caregiver": "caregiver_id"},
            "surveys": surveys,
            "networks": network_mapping(),
            **screening_settings(shape),
            "files": {path: {"kind": f.kind, "about": f.about} for path, f in files.items()},
        }
    doc: dict = {"study": shape.title, "synthetic": True}
    context = {k: list(v) if isinstance(v, tuple) else v for k, v in shape.context}
    if shape.context_counts:
        context.update(registered=design.n_registered, homebound=design.n_homebound)
    if context:
        doc["context"] = context
    doc["waves"] = {k: {"label": w.label, "date": w.date.isoformat()} for k, w in enumerate(shape.waves, 1)}
    doc["arms"] = {"programme": "项目组 programme"}
    if shape.comparison:
        doc["arms"]["comparison"] = "对照组（候补）comparison (waitlist)"
    doc["populations"] = {p: {"id_column": POPULATION_LABELS[p][2],
                              "label": f"{POPULATION_LABELS[p][0]} {POPULATION_LABELS[p][1]}"}
                          for p in shape.populations}
    doc["surveys"] = surveys
    doc["outcomes"] = {p: list(getattr(shape, p)) for p in shape.populations}
    if shape.ego_networks:
        doc["networks"] = network_mapping()
    doc.update(screening_settings(shape))
    doc["files"] = {path: {"kind": f.kind, **({"wave": f.wave} if f.wave is not None else {}), "about": f.about}
                    for path, f in files.items()}
    return doc


def screening_settings(shape: StudyShape) -> dict:
    """study.yaml's ``screening:`` block when the shape plants response-quality cases: the
    staff's test submissions are declared (fieldwork start of each wave, test identifier)
    and excluded; every other screen only flags."""
    from laoyou_eval.demo.careless import TEST_ID

    if not shape.screening_cases:
        return {}
    starts = {k: w.date.isoformat() for k, w in enumerate(shape.waves, 1)}
    return {"screening": {"test_entry": {"before": starts, "ids": [TEST_ID], "exclude": True}}}


def network_mapping() -> dict:
    """Which alter answers mean the buddy, a tie met through the programme, and kin."""
    from laoyou_eval.demo import networks

    return {"buddy": {"relation": [networks.BUDDY_RELATION], "met_where": [networks.MET_BUDDY]},
            "via_programme": {"met_where": list(networks.MET_VIA_PROGRAMME)},
            "kin": {"relation": list(networks.KIN_RELATIONS)}}
