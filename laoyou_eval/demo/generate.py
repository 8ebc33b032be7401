"""Assemble the synthetic demo study and write it as raw files.

See :func:`generate`.  The folder layout (also the layout ``laoyou-eval report --study``
expects of a student's own study) is described in :data:`STUDY_FILES`.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from laoyou_eval.demo import codebooks, networks, open_ended, people, population, process, surveys, truth, wjx
from laoyou_eval.demo.design import DemoDesign
from laoyou_eval.demo.files import write_csv, write_text, write_xlsx
from laoyou_eval.demo.settings import NETWORK_CATEGORIES
from laoyou_eval.demo.questionnaires import CAREGIVER_SCALES, RESIDENT_SCALES, simulate_items
from laoyou_eval.errors import LaoyouError

#: Files of a study folder: relative path -> (kind, description).
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

_STREAMS = ("roster", "scales", "surveys_w1", "surveys_w2", "networks", "parents", "process",
            "open_ended", "mess")


def _people_table(roster: pd.DataFrame, rng) -> pd.DataFrame:
    study = roster[roster.arm != "not_enrolled"].reset_index(drop=True).copy()
    programme = (study.arm == "programme").to_numpy()
    study["engagement"] = population.engagement(rng, programme)
    proxy_prone = study.disability_type.isin(["智力", "精神", "多重"]).to_numpy()
    for wave in (1, 2):
        p_proxy = np.where(proxy_prone, 0.45, 0.12)
        is_proxy = rng.random(len(study)) < p_proxy
        helped = rng.random(len(study)) < 0.3
        study[f"respondent_type_w{wave}"] = np.where(is_proxy, np.where(rng.random(len(study)) < 0.7, 2, 3),
                                                     np.where(helped, 1, 0))
    study["job_status_w1"] = rng.choice([0, 1, 2], size=len(study), p=[0.02, 0.06, 0.92])
    study["job_type_w1"] = rng.integers(0, 5, size=len(study))
    return study


def _submissions(rng, frame: pd.DataFrame, start, window_days, name_col, builder):
    """Meta + answers for the rows of ``frame`` in (random) submission order."""
    order = rng.permutation(len(frame))
    frame = frame.iloc[order].reset_index(drop=True)
    meta = surveys.submission_meta(rng, start, frame[name_col].tolist(), window_days)
    answers = [builder(row) for row in frame.to_dict("records")]
    return frame, meta, answers


def _add_duplicate(rng, meta: pd.DataFrame, answers: list[dict], matrix_q: int):
    """Insert a second, slightly different submission right after a random one."""
    i = int(rng.integers(0, len(answers)))
    dup = dict(answers[i])
    row = np.array(dup[matrix_q]).copy()
    row[0] = (row[0] + 1) % 3
    dup[matrix_q] = row
    answers = answers[: i + 1] + [dup] + answers[i + 1:]
    dup_meta = meta.iloc[[i]].copy()
    t = datetime.strptime(dup_meta.iloc[0]["提交答卷时间"], "%Y/%m/%d %H:%M:%S") + timedelta(minutes=7)
    dup_meta["提交答卷时间"] = f"{t.year}/{t.month}/{t.day} {t:%H:%M:%S}"
    meta = pd.concat([meta.iloc[: i + 1], dup_meta, meta.iloc[i + 1:]], ignore_index=True)
    meta["序号"] = np.arange(1, len(meta) + 1)
    return meta, answers, str(answers[i][1])


def generate(out_dir: str | Path | None = None, seed: int | None = None, scale: float = 1.0,
             design: DemoDesign | None = None, overwrite: bool = False) -> Path:
    """Write a synthetic study shaped like the 社区老友 programme.

    Parameters
    ----------
    out_dir : path, optional
        Target folder; default :data:`laoyou_eval.config.DEMO_STUDY_DIR`.
    seed : int, optional
        Random seed; default :data:`laoyou_eval.config.DEMO_SEED`.  The same seed gives
        byte-identical files.
    scale : float, default 1
        Multiplies the study size (e.g. ``scale=2000`` gives 90,000 residents for benchmarks).
    design : DemoDesign, optional
        Sizes, dates and planted effects; default :class:`DemoDesign`.
    overwrite : bool, default False
        Raw data are immutable: an existing, non-empty folder is an error unless this is True.

    Returns
    -------
    pathlib.Path
        The study folder.

    Notes
    -----
    Independent random streams (``numpy.random.SeedSequence(seed).spawn``) feed the roster,
    scales, each survey wave, networks, parents' group, process logs and open answers, so a
    change to one part of the generator leaves the others' draws unchanged.
    """
    from laoyou_eval import config

    out = Path(out_dir) if out_dir is not None else config.DEMO_STUDY_DIR
    seed = config.DEMO_SEED if seed is None else int(seed)
    if out.exists() and any(out.iterdir()) and not overwrite:
        raise LaoyouError(
            "目标文件夹已有数据，原始数据不可覆盖。", "The target folder is not empty; raw data are never overwritten.",
            file=out, hint_zh="换一个空文件夹，或明确使用 --overwrite。",
            hint_en="choose an empty folder, or pass --overwrite deliberately.")
    design = (design or DemoDesign()).scaled(scale) if scale != 1 else (design or DemoDesign())
    effects = design.effects
    rngs = dict(zip(_STREAMS, (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(len(_STREAMS)))))
    mess: dict[str, object] = {}

    # --- people --------------------------------------------------------------------------
    roster = population.residents(rngs["roster"], design)
    study = _people_table(roster, rngs["roster"])
    programme = (study.arm == "programme").to_numpy()
    dose = study.engagement.to_numpy()
    r1, r2 = population.resident_latents(rngs["scales"], programme, dose, effects)
    h1, h2 = population.respite_hours(rngs["scales"], programme, effects)
    c1, c2 = population.caregiver_latents(rngs["scales"], programme, dose, h1, h2, effects)
    items = {}
    for wave, rl, cl in ((1, r1, c1), (2, r2, c2)):
        il = {**population.item_latents(rl), **population.item_latents(cl)}
        for scale_def in RESIDENT_SCALES + CAREGIVER_SCALES:
            items[(scale_def.name, wave)] = simulate_items(rngs["scales"], scale_def, il[scale_def.name])
    lost = population.attrition(rngs["mess"], 1.5 * (r1["ucla3"] - r1["ucla3"].mean()), study.arm.to_numpy(), design)
    mess["residents_lost_at_w2"] = int(lost.sum())

    # --- process: volunteers, contacts, jobs, parents' group ------------------------------
    prog = study[programme].reset_index(drop=True)
    vols, training = process.volunteers(rngs["process"], len(prog), design.n_volunteers_reserve,
                                        prog.resident_id, design.programme_start)
    pairs = pd.DataFrame({"volunteer_id": vols.volunteer_id[: len(prog)].to_numpy(),
                          "resident_id": prog.resident_id, "engagement": prog.engagement})
    contacts = process.buddy_contacts(rngs["process"], pairs, design.programme_start, design.follow_up)
    jobs = process.job_placements(rngs["process"], prog, design.programme_start)
    group_ids = prog.caregiver_id[: design.n_parents_group]
    members, gties1, gties2 = networks.parents_group(rngs["parents"], group_ids, effects)
    attendance = process.activity_attendance(rngs["process"], prog, set(group_ids), vols.volunteer_id[: len(prog)],
                                             design.programme_start, design.follow_up)
    last_month = contacts[pd.to_datetime(contacts.date) >= pd.Timestamp(design.follow_up - timedelta(days=30))]
    study["buddy_meetings"] = study.resident_id.map(last_month.groupby("resident_id").size()).fillna(0).astype(int)
    study["buddy_name"] = study.resident_id.map(dict(zip(prog.resident_id, vols.name[: len(prog)]))).fillna("")
    study["buddy_sex"] = study.resident_id.map(dict(zip(prog.resident_id, vols.sex[: len(prog)]))).fillna("")
    placed = {rid: employer for rid, employer, status in
              zip(jobs.resident_id, jobs.employer_type, jobs.status_at_follow_up) if status == "在岗"}

    # --- open-ended answers ---------------------------------------------------------------
    orng = rngs["open_ended"]
    office_phone = people.phones(orng, 1)[0]
    study["theme_resident"] = [open_ended.true_theme(orng, p, False) for p in programme]
    study["theme_caregiver"] = [open_ended.true_theme(orng, p, True) for p in programme]
    study["open_resident_w2"] = [
        open_ended.answer_text(orng, "resident", t, p, b or "小王", office_phone)
        for t, p, b in zip(study.theme_resident, programme, study.buddy_name)]
    study["open_caregiver_w2"] = [
        open_ended.answer_text(orng, "caregiver", t, p, b or "小王", office_phone)
        for t, p, b in zip(study.theme_caregiver, programme, study.buddy_name)]
    study["open_resident_w1"] = [open_ended.baseline_need(orng, "resident") for _ in range(len(study))]
    study["open_caregiver_w1"] = [open_ended.baseline_need(orng, "caregiver") for _ in range(len(study))]

    # --- surveys --------------------------------------------------------------------------
    files: dict[str, pd.DataFrame] = {}
    index_of = {rid: i for i, rid in enumerate(study.resident_id)}
    starts = {1: datetime.combine(design.baseline, datetime.min.time()),
              2: datetime.combine(design.follow_up, datetime.min.time())}
    w2_ids = study.resident_id[~lost]
    cg_lost = lost.copy()
    remaining = np.flatnonzero(~lost & ~programme)
    if remaining.size:
        cg_lost[rngs["mess"].choice(remaining)] = True  # one caregiver does not return the survey
    mess["caregivers_lost_at_w2"] = int(cg_lost.sum())
    for wave in (1, 2):
        srng = rngs[f"surveys_w{wave}"]
        res_frame = study if wave == 1 else study[~lost]
        cg_frame = study if wave == 1 else study[~cg_lost]

        def resident_row(row, wave=wave, srng=srng):
            i = index_of[row["resident_id"]]
            person = dict(row)
            person["respondent_type"] = row[f"respondent_type_w{wave}"]
            working = wave == 2 and row["resident_id"] in placed
            person["job_status"] = 1 if working else row["job_status_w1"]
            person["job_type"] = surveys.job_type_answer(placed[row["resident_id"]]) if working else row["job_type_w1"]
            its = {s.name: items[(s.name, wave)][i] for s in RESIDENT_SCALES}
            text = row[f"open_resident_w{wave}"]
            return surveys.resident_answers(srng, person, its, wave, text)

        def caregiver_row(row, wave=wave, srng=srng):
            i = index_of[row["resident_id"]]
            person = dict(row)
            person["respite_hours"] = float((h1 if wave == 1 else h2)[i])
            # the parents' group was founded after the baseline survey
            person["in_group"] = wave == 2 and row["caregiver_id"] in set(group_ids)
            person["child_working"] = wave == 2 and row["resident_id"] in placed
            its = {s.name: items[(s.name, wave)][i] for s in CAREGIVER_SCALES}
            text = row[f"open_caregiver_w{wave}"]
            return surveys.caregiver_answers(srng, person, its, wave, text)

        _, meta, answers = _submissions(srng, res_frame, starts[wave], design.survey_window_days - 1, "name",
                                       resident_row)
        if wave == 1:
            meta, answers, dup_id = _add_duplicate(rngs["mess"], meta, answers, matrix_q=10)
            mess["duplicate_submission"] = {"file": "surveys/residents_w1_text.xlsx", "respondent": dup_id}
        else:
            k = int(rngs["mess"].integers(0, len(answers)))
            mess["id_typed_in_lower_case"] = {"file": "surveys/residents_w2_text.csv",
                                              "typed": answers[k][1].lower(), "respondent": answers[k][1]}
            answers[k][1] = answers[k][1].lower()
        files[f"surveys/residents_w{wave}_text"] = wjx.export(surveys.resident_questions(wave), meta, answers, "text")

        _, meta, answers = _submissions(srng, cg_frame, starts[wave] + timedelta(days=1),
                                       design.survey_window_days - 1, "caregiver_name", caregiver_row)
        if wave == 2:
            k = int(rngs["mess"].integers(0, len(answers)))
            answers[k][11] = "200"
            mess["out_of_range"] = {"file": "surveys/caregivers_w2_text.csv", "respondent": answers[k][1],
                                    "question": 11, "value": 200, "valid": "0–168 hours per week"}
        questions = surveys.caregiver_questions(wave)
        files[f"surveys/caregivers_w{wave}_text"] = wjx.export(questions, meta, answers, "text")
        if wave == 1:
            files["surveys/caregivers_w1_code"] = wjx.export(questions, meta, answers, "code")

    # --- networks -------------------------------------------------------------------------
    a1, a2, t1, t2 = networks.ego_networks(rngs["networks"], study.resident_id, programme, dose,
                                           effects, zip(study.buddy_name, study.buddy_sex))
    a2 = a2[a2.ego_id.isin(w2_ids)]
    t2 = t2[t2.ego_id.isin(w2_ids)]
    is_kin = a1.relation.isin(networks.KIN_RELATIONS)
    kin_w1 = study.resident_id.map(a1[is_kin].groupby("ego_id").size()).fillna(0).to_numpy()
    nonkin_w1 = study.resident_id.map(a1[~is_kin].groupby("ego_id").size()).fillna(0).to_numpy()

    # --- open-ended coding sheet ----------------------------------------------------------
    resp = pd.concat([
        pd.DataFrame({"respondent_id": study.resident_id, "respondent_type": "resident",
                      "answer_text": study.open_resident_w2, "theme": study.theme_resident})[~lost],
        pd.DataFrame({"respondent_id": study.caregiver_id, "respondent_type": "caregiver",
                      "answer_text": study.open_caregiver_w2, "theme": study.theme_caregiver})[~cg_lost],
    ], ignore_index=True)
    resp.insert(0, "response_id", [f"O{i:04d}" for i in range(1, len(resp) + 1)])
    resp.insert(3, "wave", 2)
    coder_a = pd.DataFrame({"response_id": resp.response_id,
                            "theme_code": open_ended.code_answers(orng, resp.theme, effects.coder_a_accuracy)})
    coder_b = pd.DataFrame({"response_id": resp.response_id,
                            "theme_code": open_ended.code_answers(orng, resp.theme, effects.coder_b_accuracy)})

    # --- write ----------------------------------------------------------------------------
    out.mkdir(parents=True, exist_ok=True)
    write_csv(roster, out / "roster.csv")
    write_xlsx(files["surveys/residents_w1_text"], out / "surveys/residents_w1_text.xlsx")
    write_csv(files["surveys/residents_w2_text"], out / "surveys/residents_w2_text.csv", "utf-8-sig")
    write_csv(files["surveys/caregivers_w1_text"], out / "surveys/caregivers_w1_text.csv", "gb18030")
    write_csv(files["surveys/caregivers_w1_code"], out / "surveys/caregivers_w1_code.csv", "gb18030")
    write_csv(files["surveys/caregivers_w2_text"], out / "surveys/caregivers_w2_text.csv", "utf-8")
    for name, df in (("alters_w1", a1), ("alters_w2", a2), ("alter_ties_w1", t1), ("alter_ties_w2", t2)):
        write_csv(df, out / f"networks/{name}.csv")
    residents_cb, caregivers_cb = codebooks.residents_codebook(), codebooks.caregivers_codebook()
    write_xlsx({"survey": residents_cb.survey, "choices": residents_cb.choices, "missing": residents_cb.missing,
                "scales": residents_cb.scales,
                "settings": pd.DataFrame({"key": list(residents_cb.settings), "value": list(residents_cb.settings.values())})},
               out / "codebooks/residents.xlsx")
    write_text(caregivers_cb.to_yaml(), out / "codebooks/caregivers.yaml")
    write_csv(members, out / "parents_group/members.csv")
    write_csv(gties1, out / "parents_group/ties_w1.csv")
    write_csv(gties2, out / "parents_group/ties_w2.csv")
    write_csv(vols, out / "process/volunteers.csv")
    write_csv(training, out / "process/volunteer_training.csv")
    write_csv(contacts, out / "process/buddy_contacts.csv")
    write_csv(attendance, out / "process/activity_attendance.csv")
    write_csv(jobs, out / "process/job_placements.csv")
    write_csv(resp.drop(columns="theme"), out / "open_ended/responses.csv")
    write_csv(open_ended.theme_codebook(), out / "open_ended/themes.csv")
    write_csv(coder_a, out / "open_ended/coder_a.csv")
    write_csv(coder_b, out / "open_ended/coder_b.csv")

    truth_doc = {
        "seed": seed,
        "design": design.as_dict(),
        "sizes": {
            "residents_programme": int(programme.sum()), "residents_comparison": int((~programme).sum()),
            "residents_w2": int((~lost).sum()), "caregivers_w2": int((~cg_lost).sum()),
            "volunteers_trained": len(vols), "volunteers_service": int((vols.status == "服务队").sum()),
            "volunteers_reserve": int((vols.status == "后备").sum()), "parents_group": len(members),
            "job_placements": len(jobs),
        },
        "expected": {**truth.expected_effects(design),
                     "sample_score_change": truth.sample_expected(
                         programme, dose, h1, h2, {"residents": ~lost, "caregivers": ~cg_lost}, design),
                     "sample_network_change": truth.sample_network_expected(
                         programme, dose, kin_w1, nonkin_w1, ~lost, design)},
        "mess": mess,
    }
    write_text(json.dumps(truth_doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n", out / "truth.json")
    write_text(yaml.safe_dump(_study_metadata(design), allow_unicode=True, sort_keys=False), out / "study.yaml")
    write_text(_readme(), out / "README.md")
    write_text(_truth_markdown(truth_doc), out / "TRUTH.md")
    return out


def _study_metadata(design: DemoDesign) -> dict:
    return {
        "study": "社区老友支持计划（演示数据）/ Community Buddy programme (synthetic demo)",
        "synthetic": True,
        "context": {"registered": design.n_registered, "homebound": design.n_homebound},
        "waves": {1: {"label": "基线 baseline", "date": design.baseline.isoformat()},
                  2: {"label": "6个月 6 months", "date": design.follow_up.isoformat()}},
        "arms": {"programme": "项目组 programme", "comparison": "对照组（候补）comparison (waitlist)"},
        "id_columns": {"resident": "resident_id", "caregiver": "caregiver_id"},
        "surveys": [
            {"file": path, "population": population_, "wave": int(wave[1]), "layout": kind.removeprefix("wjx_"),
             "id_question": "1、受访者编号（由社工填写）",
             "codebook": f"codebooks/{population_}.{'xlsx' if population_ == 'residents' else 'yaml'}"}
            for path, (kind, _) in STUDY_FILES.items() if kind.startswith("wjx_")
            for population_, wave, _ in [Path(path).stem.split("_")]
        ],
        "networks": NETWORK_CATEGORIES,
        "files": {path: {"kind": kind, "about": about} for path, (kind, about) in STUDY_FILES.items()},
    }


def _readme() -> str:
    rows = "\n".join(f"| `{p}` | {k} | {d} |" for p, (k, d) in STUDY_FILES.items())
    return f"""# 演示研究 Demo study (synthetic)

本文件夹的数据全部由 `laoyou_eval.demo.generate()` 随机生成，**不是真实的人**。姓名、手机号、
身份证号、住址和 IP 是故意伪造的，用来演示去标识化（假名化）与隐私检查。
All data here are generated by `laoyou_eval.demo.generate()`; **nobody here is real**. The
names, phone numbers, ID numbers, addresses and IPs are fake on purpose, so that the
package's privacy handling has realistic personal data to deal with.

`roster.csv` 是街道登记的长期居家残障青年名册（默认 105 人）；其中项目组 15 人、对照组（候补）30 人参加评估，
其余标为 `not_enrolled`。`roster.csv` lists the subdistrict's long-term home-bound residents (105 by
default): 15 in the programme arm, 30 on the waitlist (comparison arm), the rest `not_enrolled`.
Programme activities and buddy contacts start after the three-week baseline survey window; the
parents' group is founded then too.

重新生成 Regenerate: `make demo-data` (same seed → byte-identical files).
预设效应 Planted effects: `TRUTH.md`, `truth.json`.

## 文件 Files

| file | kind | about |
|---|---|---|
{rows}

## 问卷星导出格式 Wenjuanxing export layout

- 元数据列 metadata: 序号, 提交答卷时间, 所用时间, 来源, 来源详情, 来自IP（来源详情、来自IP 属于个人信息 / personal data）.
- 表头 headers `N、题干`; 矩阵量表每行一列 `第N题(条目k)` (licensed scales by item number only).
- 多选 multi-select `A┋B`; 其他选项的填写内容 other text `其他〖…〗`; 逻辑跳过 logic skip `(跳过)`.
- 序号导出 code export (`caregivers_w1_code.csv`): options as 1-based codes, multi-select as 0/1
  columns `第N题(选项)`, other text in `第N题(其他〖请注明〗)`, `-2` = skipped by jump logic (跳题),
  `-3` = hidden by display logic (未显示). The −2/−3 reading is this package's convention.
- 编码 encodings: `residents_w2_text.csv` utf-8-sig, `caregivers_w*_text.csv`/`_code.csv` gb18030 (w1)
  and utf-8 without BOM (w2); `residents_w1_text.xlsx` Excel.
"""


def _truth_markdown(doc: dict) -> str:
    exp, sizes = doc["expected"], doc["sizes"]
    lines = ["# 预设效应 Planted effects (demo study only)", "",
             f"Seed {doc['seed']}. Values are *expected* changes (wave 2 − wave 1) in the population "
             f"model; a sample of {sizes['residents_programme']} + {sizes['residents_comparison']} residents "
             "will scatter around them.", "",
             "## 量表得分变化 Expected score change", "",
             "| score | programme | comparison |", "|---|---|---|"]
    prog, comp = exp["score_change"]["programme"], exp["score_change"]["comparison"]
    lines += [f"| {key} | {prog[key]:+.3f} | {comp[key]:+.3f} |" for key in prog]
    sample = exp["sample_score_change"]
    lines += ["", "## 本样本的期望变化 Expected change for this sample", "",
              "The people analysed (completers) with their own engagement and respite hours held fixed: "
              "the target of the paired and difference-in-differences estimates.", "",
              "| score | programme | comparison |", "|---|---|---|"]
    lines += [f"| {key} | {sample['programme'][key]:+.3f} | {sample['comparison'][key]:+.3f} |"
              for key in sample["programme"]]
    lines += ["", "## 自我中心网络变化 Expected ego-network change", "",
              "| measure | programme | comparison |", "|---|---|---|"]
    for key, value in exp["network_change"]["programme"].items():
        lines.append(f"| {key} | {value:+.3f} | {exp['network_change']['comparison'][key]:+.3f} |")
    sample_net = exp["sample_network_change"]
    lines += ["", "For this sample (completers, their engagement and wave-1 networks held fixed):", "",
              "| measure | programme | comparison |", "|---|---|---|"]
    lines += [f"| {key} | {value:+.3f} | {sample_net['comparison'][key]:+.3f} |"
              for key, value in sample_net["programme"].items()]
    pg = exp["parents_group"]
    lines += ["", "## 其他 Other", "",
              f"- 家长小组密度 parents' group density: {pg['density_w1']} → {pg['density_w2']} (expected).",
              f"- 两位编码员的期望一致率 expected coder agreement: {exp['open_ended']['expected_percent_agreement']}.",
              f"- 剂量反应 dose–response: {exp['dose_response']['note']}; ZBI-12 change per extra weekly "
              f"respite hour {exp['dose_response']['zbi12_bedard_total_per_respite_hour']['programme']:+.3f} "
              "(programme arm).",
              "- 流失 attrition: lonelier residents drop out more often (MAR given baseline UCLA-3).",
              "", "## 故意制造的问题 Planted mess", ""]
    for key, value in doc["mess"].items():
        lines.append(f"- `{key}`: {json.dumps(value, ensure_ascii=False)}")
    lines += ["", "Also: proxy answers (本问卷由谁填写), logic skips `(跳过)`, other-text `〖…〗`, typos in "
              "open answers, alter ids missing at wave 2 (match by name), names and phone numbers inside "
              "open answers.", ""]
    return "\n".join(lines)
