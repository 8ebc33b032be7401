"""Assemble the synthetic demo study and write it as raw files.

See :func:`generate`.  The folder layout (also the layout ``laoyou-eval report --study``
expects of a student's own study) is described in :data:`STUDY_FILES`.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from laoyou_eval.demo import (
    careless,
    codebooks,
    layout,
    networks,
    open_ended,
    people,
    population,
    process,
    surveys,
    truth,
    wjx,
)
from laoyou_eval.demo.design import DemoDesign, StudyShape
from laoyou_eval.demo.files import write_csv, write_text, write_xlsx
from laoyou_eval.demo.layout import STUDY_FILES
from laoyou_eval.demo.questionnaires import scale_for, simulate_items
from laoyou_eval.errors import LaoyouError

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


def _resolve(shape) -> StudyShape:
    from laoyou_eval.demo.presets import preset

    if shape is None:
        return preset("demo")
    return (preset(shape) if isinstance(shape, str) else shape).validate()


def generate(out_dir: str | Path | None = None, seed: int | None = None, scale: float = 1.0,
             design: DemoDesign | None = None, overwrite: bool = False,
             shape: StudyShape | str | None = None) -> Path:
    """Write a synthetic study: by default the demo, shaped like the 社区老友 programme.

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
        Sizes, rates and planted effects; default the shape's (its dates come from the shape's waves).
    overwrite : bool, default False
        Raw data are immutable: an existing, non-empty folder is an error unless this is True.
    shape : StudyShape or str, optional
        What the study holds (instruments, populations, components, arms, waves, context), or
        the name of a preset in :data:`laoyou_eval.demo.presets.PRESETS`; default ``"demo"``.

    Returns
    -------
    pathlib.Path
        The study folder.

    Notes
    -----
    Independent random streams (``numpy.random.SeedSequence(seed).spawn``) feed the roster,
    scales, each survey wave, networks, parents' group, process logs and open answers, so a
    change to one part of the generator leaves the others' draws unchanged.  The whole
    population model (process records, networks, open answers) is always simulated, so that
    every shape is one coherent programme; only the files the shape holds are written.

    Examples
    --------
    >>> from laoyou_eval import demo
    >>> demo.generate("/tmp/single", shape="single_group")      # doctest: +SKIP
    """
    from laoyou_eval import config

    out = Path(out_dir) if out_dir is not None else config.DEMO_STUDY_DIR
    seed = config.DEMO_SEED if seed is None else int(seed)
    if out.exists() and any(out.iterdir()) and not overwrite:
        raise LaoyouError(
            "目标文件夹已有数据，原始数据不可覆盖。", "The target folder is not empty; raw data are never overwritten.",
            file=out, hint_zh="换一个空文件夹，或明确使用 --overwrite。",
            hint_en="choose an empty folder, or pass --overwrite deliberately.")
    shape = _resolve(shape)
    design = shape.sized(design or shape.design)
    design = design.scaled(scale) if scale != 1 else design
    effects = design.effects
    n_waves = len(shape.waves)
    waves = range(1, n_waves + 1)
    factors = shape.wave_factors
    streams = _STREAMS + tuple(f"surveys_w{k}" for k in range(3, n_waves + 1)) + ("screening",)
    rngs = dict(zip(streams, (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(len(streams)))))
    mess: dict[str, object] = {}
    planted: dict[str, list] = {}  # response-quality cases (shape.screening_cases)
    crng = rngs["screening"]
    res_scales = [scale_for(name) for name in shape.residents]
    cg_scales = [scale_for(name) for name in shape.caregivers]

    # --- people --------------------------------------------------------------------------
    roster = population.residents(rngs["roster"], design)
    study = _people_table(roster, rngs["roster"])
    programme = (study.arm == "programme").to_numpy()
    dose = study.engagement.to_numpy()
    res_latents = population.wave_latents(rngs["scales"], shape.residents, programme, dose, effects,
                                          factors=factors, other_effect=shape.other_effect)
    hours = population.respite_hours(rngs["scales"], programme, effects, factors)
    cg_latents = population.wave_latents(rngs["scales"], shape.caregivers, programme, dose, effects,
                                         factors=factors, respite=hours, other_effect=shape.other_effect)
    items = {}
    for wave, rl, cl in zip(waves, res_latents, cg_latents):
        il = {**population.item_latents(rl, shape.residents), **population.item_latents(cl, shape.caregivers)}
        for scale_def in res_scales + cg_scales:
            items[(scale_def.name, wave)] = simulate_items(rngs["scales"], scale_def, il[scale_def.name])
    first = next(iter({**res_latents[0], **cg_latents[0]}.values()))
    risk = 1.5 * (first - first.mean())  # drop-out depends on the baseline of the first outcome
    lost = {2: population.attrition(rngs["mess"], risk, study.arm.to_numpy(), design)}

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
    if shape.legacy_metadata:  # the demo programme
        names, venues = process.DEMO_ACTIVITIES, process.DEMO_VENUES
    else:  # another study: its own activities, or neutral names
        named = list(dict(shape.context).get("activities", ()))
        names = tuple((named + list(process.GENERIC_ACTIVITIES))[k] if k < len(named) else process.GENERIC_ACTIVITIES[k]
                      for k in range(4))
        venues = process.GENERIC_VENUES
    attendance = process.activity_attendance(rngs["process"], prog, set(group_ids), vols.volunteer_id[: len(prog)],
                                             design.programme_start, design.follow_up, names, venues)
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

    def change_answers(who, themes):
        return [open_ended.answer_text(orng, who, t, p, b or "小王", office_phone)
                for t, p, b in zip(themes, programme, study.buddy_name)]

    study["open_resident_w2"] = change_answers("resident", study.theme_resident)
    study["open_caregiver_w2"] = change_answers("caregiver", study.theme_caregiver)
    study["open_resident_w1"] = [open_ended.baseline_need(orng, "resident") for _ in range(len(study))]
    study["open_caregiver_w1"] = [open_ended.baseline_need(orng, "caregiver") for _ in range(len(study))]

    # --- who answers at each wave ---------------------------------------------------------
    cg_lost = {2: lost[2].copy()}
    remaining = np.flatnonzero(~lost[2] & ~programme)
    if remaining.size:
        cg_lost[2][rngs["mess"].choice(remaining)] = True  # one caregiver does not return the survey
    for wave in range(3, n_waves + 1):  # later drop-out: a further draw at half the rates
        wrng = rngs[f"surveys_w{wave}"]
        half = replace(design, attrition_programme=design.attrition_programme / 2,
                       attrition_comparison=design.attrition_comparison / 2)
        lost[wave] = lost[wave - 1] | population.attrition(wrng, risk, study.arm.to_numpy(), half)
        cg_lost[wave] = cg_lost[wave - 1] | lost[wave]
        _respondent_types(wrng, study, wave)
    for wave in range(2, n_waves + 1):
        for who, mask in (("residents", lost[wave]), ("caregivers", cg_lost[wave])):
            if who in shape.populations:
                mess[f"{who}_lost_at_w{wave}"] = int(mask.sum())

    # --- open-ended coding sheet (wave 2) -------------------------------------------------
    resp = pd.concat([
        pd.DataFrame({"respondent_id": study.resident_id, "respondent_type": "resident",
                      "answer_text": study.open_resident_w2, "theme": study.theme_resident})[~lost[2]],
        pd.DataFrame({"respondent_id": study.caregiver_id, "respondent_type": "caregiver",
                      "answer_text": study.open_caregiver_w2, "theme": study.theme_caregiver})[~cg_lost[2]],
    ], ignore_index=True)
    resp = resp[resp.respondent_type.isin([p.removesuffix("s") for p in shape.populations])].reset_index(drop=True)
    resp.insert(0, "response_id", [f"O{i:04d}" for i in range(1, len(resp) + 1)])
    resp.insert(3, "wave", 2)
    coder_a = pd.DataFrame({"response_id": resp.response_id,
                            "theme_code": open_ended.code_answers(orng, resp.theme, effects.coder_a_accuracy)})
    coder_b = pd.DataFrame({"response_id": resp.response_id,
                            "theme_code": open_ended.code_answers(orng, resp.theme, effects.coder_b_accuracy)})
    for wave in range(3, n_waves + 1):  # later waves: the same question, answered anew
        study[f"open_resident_w{wave}"] = change_answers("resident", study.theme_resident)
        study[f"open_caregiver_w{wave}"] = change_answers("caregiver", study.theme_caregiver)

    # --- surveys --------------------------------------------------------------------------
    exports: dict[tuple[str, int, str], pd.DataFrame] = {}
    index_of = {rid: i for i, rid in enumerate(study.resident_id)}
    group_set = set(group_ids)
    for wave in waves:
        srng = rngs[f"surveys_w{wave}"]
        start = datetime.combine(shape.waves[wave - 1].date, datetime.min.time())
        res_frame = study if wave == 1 else study[~lost[wave]]
        cg_frame = study if wave == 1 else study[~cg_lost[wave]]
        res_questions = surveys.resident_questions(wave, res_scales, shape.programme_questions, shape.open_ended)
        cg_questions = surveys.caregiver_questions(wave, cg_scales, shape.programme_questions, shape.open_ended)

        def resident_row(row, wave=wave, srng=srng, questions=res_questions):
            i = index_of[row["resident_id"]]
            person = dict(row)
            person["respondent_type"] = row[f"respondent_type_w{wave}"]
            working = wave >= 2 and row["resident_id"] in placed
            person["job_status"] = 1 if working else row["job_status_w1"]
            person["job_type"] = surveys.job_type_answer(placed[row["resident_id"]]) if working else row["job_type_w1"]
            its = {s.name: items[(s.name, wave)][i] for s in res_scales}
            return surveys.resident_answers(srng, person, its, wave, row[f"open_resident_w{wave}"], questions)

        def caregiver_row(row, wave=wave, srng=srng, questions=cg_questions):
            i = index_of[row["resident_id"]]
            person = dict(row)
            person["respite_hours"] = float(hours[wave - 1][i])
            # the parents' group was founded after the baseline survey
            person["in_group"] = wave >= 2 and row["caregiver_id"] in group_set
            person["child_working"] = wave >= 2 and row["resident_id"] in placed
            its = {s.name: items[(s.name, wave)][i] for s in cg_scales}
            return surveys.caregiver_answers(srng, person, its, wave, row[f"open_caregiver_w{wave}"], questions)

        if shape.residents:
            _, meta, answers = _submissions(srng, res_frame, start, design.survey_window_days - 1, "name",
                                           resident_row)
            path = _survey_file(shape, "residents", wave, "text")
            if wave == 1:
                first_matrix = next(q.number for q in res_questions if q.kind == "matrix")
                meta, answers, dup_id = _add_duplicate(rngs["mess"], meta, answers, matrix_q=first_matrix)
                mess["duplicate_submission"] = {"file": path, "respondent": dup_id}
            elif wave == 2:
                k = int(rngs["mess"].integers(0, len(answers)))
                mess["id_typed_in_lower_case"] = {"file": path, "typed": answers[k][1].lower(),
                                                  "respondent": answers[k][1]}
                answers[k][1] = answers[k][1].lower()
                if shape.screening_cases:
                    fast, case = careless.speeder(crng, meta, answers, path, avoid={k})
                    planted.setdefault("speeder", []).append(case)
                    _, case = careless.contradiction(crng, answers, res_questions, path, avoid={k, fast})
                    if case:
                        planted.setdefault("contradiction", []).append(case)
            exports[("residents", wave, "text")] = wjx.export(res_questions, meta, answers, "text")

        if shape.caregivers:
            _, meta, answers = _submissions(srng, cg_frame, start + timedelta(days=1),
                                           design.survey_window_days - 1, "caregiver_name", caregiver_row)
            if wave == 2 and shape.programme_questions:
                k = int(rngs["mess"].integers(0, len(answers)))
                respite_q = next(q.number for q in cg_questions if q.name == "respite_hours")
                answers[k][respite_q] = "200"
                mess["out_of_range"] = {"file": _survey_file(shape, "caregivers", wave, "text"),
                                        "respondent": answers[k][1], "question": respite_q, "value": 200,
                                        "valid": "0–168 hours per week"}
            path = _survey_file(shape, "caregivers", wave, "text")
            if wave == 1 and shape.screening_cases:
                meta, answers, case = careless.test_submission(
                    crng, meta, answers, cg_questions,
                    lambda person, its, wave=wave, q=cg_questions: surveys.caregiver_answers(
                        crng, person, its, wave, "测试", q), cg_scales, start, path)
                planted.setdefault("test_entry", []).append(case)
            elif wave == 2 and shape.screening_cases:
                odd = {k} if shape.programme_questions else set()
                meta, answers, j, case = careless.device_duplicate(crng, meta, answers, cg_questions, path, odd)
                planted.setdefault("duplicate", []).append(case)
                odd = {i + (i > j) for i in odd} | {j, j + 1}
                _, case = careless.straight_liner(crng, answers, cg_questions, path, odd)
                if case:
                    planted.setdefault("straightline", []).append(case)
            exports[("caregivers", wave, "text")] = wjx.export(cg_questions, meta, answers, "text")
            if wave == 1 and shape.code_export:
                exports[("caregivers", wave, "code")] = wjx.export(cg_questions, meta, answers, "code")

    # --- networks -------------------------------------------------------------------------
    a1, a2, t1, t2 = networks.ego_networks(rngs["networks"], study.resident_id, programme, dose,
                                           effects, zip(study.buddy_name, study.buddy_sex))
    a2 = a2[a2.ego_id.isin(study.resident_id[~lost[2]])]
    t2 = t2[t2.ego_id.isin(study.resident_id[~lost[2]])]
    is_kin = a1.relation.isin(networks.KIN_RELATIONS)
    kin_w1 = study.resident_id.map(a1[is_kin].groupby("ego_id").size()).fillna(0).to_numpy()
    nonkin_w1 = study.resident_id.map(a1[~is_kin].groupby("ego_id").size()).fillna(0).to_numpy()

    # --- write ----------------------------------------------------------------------------
    files = layout.study_files(shape)
    tables = {"roster.csv": roster, "networks/alters_w1.csv": a1, "networks/alters_w2.csv": a2,
              "networks/alter_ties_w1.csv": t1, "networks/alter_ties_w2.csv": t2,
              "parents_group/members.csv": members, "parents_group/ties_w1.csv": gties1,
              "parents_group/ties_w2.csv": gties2, "process/volunteers.csv": vols,
              "process/volunteer_training.csv": training, "process/buddy_contacts.csv": contacts,
              "process/activity_attendance.csv": attendance, "process/job_placements.csv": jobs,
              "open_ended/responses.csv": resp.drop(columns="theme"),
              "open_ended/themes.csv": open_ended.theme_codebook(),
              "open_ended/coder_a.csv": coder_a, "open_ended/coder_b.csv": coder_b}
    out.mkdir(parents=True, exist_ok=True)
    for path, entry in files.items():
        if entry.kind.startswith("wjx_"):
            table = exports[(entry.population, entry.wave, entry.layout)]
            if entry.encoding is None:
                write_xlsx(table, out / path)
            else:
                write_csv(table, out / path, entry.encoding)
        elif path in tables:
            write_csv(tables[path], out / path)
    codebook_args = {"waves": tuple(waves), "programme_questions": shape.programme_questions,
                     "open_question": shape.open_ended}
    for who, build, scales in (("residents", codebooks.residents_codebook, res_scales),
                               ("caregivers", codebooks.caregivers_codebook, cg_scales)):
        if who in shape.populations:
            _write_codebook(build(scales=tuple(scales), **codebook_args), out / layout.codebook_path(shape, who))

    sizes = {"residents_programme": int(programme.sum())}
    if shape.comparison:
        sizes["residents_comparison"] = int((~programme).sum())
    for wave in range(2, n_waves + 1):
        if shape.residents:
            sizes[f"residents_w{wave}"] = int((~lost[wave]).sum())
        if shape.caregivers:
            sizes[f"caregivers_w{wave}"] = int((~cg_lost[wave]).sum())
    if "volunteers" in shape.process:
        sizes.update(volunteers_trained=len(vols), volunteers_service=int((vols.status == "服务队").sum()),
                     volunteers_reserve=int((vols.status == "后备").sum()))
    if shape.group_network:
        sizes["parents_group"] = len(members)
    if "jobs" in shape.process:
        sizes["job_placements"] = len(jobs)
    expected = truth.expected_effects(design, shape)
    if n_waves > 1:
        completers = {"residents": ~lost[2], "caregivers": ~cg_lost[2]}
        expected["sample_score_change"] = truth.sample_expected(programme, dose, hours[0], hours[1], completers,
                                                                design, shape)
        if shape.ego_networks:
            expected["sample_network_change"] = truth.sample_network_expected(
                programme, dose, kin_w1, nonkin_w1, ~lost[2], design)
    if planted:
        if "duplicate_submission" in mess:
            same_id = {**mess["duplicate_submission"], "how": "the same identifier submitted twice"}
            planted["duplicate"] = [same_id, *planted.get("duplicate", [])]
        mess["screening"] = planted
    truth_doc = {"seed": seed, "design": design.as_dict(), "sizes": sizes, "expected": expected, "mess": mess}
    if not shape.legacy_metadata:
        truth_doc["shape"] = shape.as_dict()
    write_text(json.dumps(truth_doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n", out / "truth.json")
    write_text(yaml.safe_dump(layout.study_metadata(shape, design), allow_unicode=True, sort_keys=False),
               out / "study.yaml")
    write_text(_readme() if shape.legacy_metadata else _shape_readme(shape, files), out / "README.md")
    write_text(_truth_markdown(truth_doc), out / "TRUTH.md")
    return out


def _respondent_types(rng, study: pd.DataFrame, wave: int) -> None:
    """Who filled in the residents' questionnaire at ``wave`` (0 self, 1 helped, 2/3 proxy)."""
    proxy_prone = study.disability_type.isin(["智力", "精神", "多重"]).to_numpy()
    p_proxy = np.where(proxy_prone, 0.45, 0.12)
    is_proxy = rng.random(len(study)) < p_proxy
    helped = rng.random(len(study)) < 0.3
    study[f"respondent_type_w{wave}"] = np.where(is_proxy, np.where(rng.random(len(study)) < 0.7, 2, 3),
                                                 np.where(helped, 1, 0))


def _survey_file(shape: StudyShape, population_: str, wave: int, layout_: str) -> str:
    return next(path for path, f in layout.study_files(shape).items()
                if (f.population, f.wave, f.layout) == (population_, wave, layout_))


def _write_codebook(book, path: Path) -> None:
    if path.suffix == ".xlsx":
        write_xlsx({"survey": book.survey, "choices": book.choices, "missing": book.missing, "scales": book.scales,
                    "settings": pd.DataFrame({"key": list(book.settings), "value": list(book.settings.values())})},
                   path)
    else:
        write_text(book.to_yaml(), path)


def _shape_readme(shape: StudyShape, files: dict) -> str:
    rows = "\n".join(f"| `{p}` | {f.kind} | {f.wave or ''} | {f.about} |" for p, f in files.items())
    instruments = "; ".join(f"{p}: {', '.join(getattr(shape, p))}" for p in shape.populations)
    waves = "; ".join(f"{k} {w.label} ({w.date.isoformat()})" for k, w in enumerate(shape.waves, 1))
    return f"""# 合成研究 Synthetic study: {shape.name}

本文件夹的数据全部由 `laoyou_eval.demo.generate(shape="{shape.name}")` 随机生成，**不是真实的人**；
姓名、手机号、身份证号和住址是故意伪造的。
All data here are generated by `laoyou_eval.demo.generate(shape="{shape.name}")`; **nobody here is
real**; names, phone numbers, ID numbers and addresses are fake on purpose.

- 量表 instruments: {instruments}
- 组别 arms: {", ".join(shape.arms)}
- 波次 waves: {waves}

重新生成 Regenerate: `laoyou-eval synth --preset {shape.name} --out <folder>` (same seed → byte-identical files).
预设效应 Planted effects: `TRUTH.md`, `truth.json`.

## 文件 Files

| file | kind | wave | about |
|---|---|---|---|
{rows}
"""


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


def _arm_table(values: dict, arms) -> list[str]:
    keys = next(iter(values.values()))
    return [f"| {key} | " + " | ".join(f"{values[arm][key]:+.3f}" for arm in arms) + " |" for key in keys]


#: What each planted screening case is, for TRUTH.md.
_CASE_TEXT = {
    "test_entry": ("工作人员的测试答卷：正式开始前一天提交，编号为声明的测试编号，不到一分钟、每题选第一项",
                   "staff test submission the day before the survey opened, with the declared test identifier, "
                   "under a minute, first option everywhere (also a speeder and a straight-liner)"),
    "speeder": ("用时远少于每道已答题 2 秒", "far under 2 s per answered question"),
    "straightline": ("含反向计分题的量表每题都选同一项", "the same option on every item of a scale with reverse-keyed items"),
    "duplicate": ("重复提交", "submitted twice"),
    "contradiction": ("多选题同时勾选了某项活动和“都没有参加”", "an activity and 'none of these' ticked together"),
}


def _screening_markdown(cases: dict) -> list[str]:
    """TRUTH.md's list of the planted response-quality cases (:mod:`laoyou_eval.demo.careless`)."""
    lines = ["", "## 答卷质量筛查 Planted screening cases", "",
             "Exactly these submissions are flagged by `laoyou_eval.coding.screening` with the settings of "
             "study.yaml (only the test submission is excluded); nobody else is flagged.", "",
             "| rule | file | row | respondent | what |", "|---|---|---|---|---|"]
    for rule, records in cases.items():
        for r in records:
            rows = r.get("rows", r.get("row", ""))
            rows = "、".join(map(str, rows)) if isinstance(rows, list) else rows
            who = r["respondent"] + (f" (typed {r['typed']})" if "typed" in r else "")
            zh, en = _CASE_TEXT[rule]
            what = r.get("how", f"{zh} / {en}")
            if rule == "straightline":
                what += f"; {r['scale']}: {r['option']}"
            if rule == "speeder":
                what += f"; {r['seconds']} s"
            lines.append(f"| {rule} | `{r['file']}` | {rows} | {who} | {what} |")
    return lines


def _truth_markdown(doc: dict) -> str:
    exp, sizes = doc["expected"], doc["sizes"]
    arms = [arm for arm in ("programme", "comparison") if arm in exp["baseline"]]
    header = ["| score | " + " | ".join(arms) + " |", "|---|" + "---|" * len(arms)]
    n = " + ".join(str(sizes[f"residents_{arm}"]) for arm in arms)
    lines = ["# 预设效应 Planted effects (demo study only)" if "shape" not in doc
             else f"# 预设效应 Planted effects (synthetic study {doc['shape']['name']})", ""]
    if "score_change" not in exp:
        lines += [f"Seed {doc['seed']}. One wave only: no change is planted yet; `truth.json` holds the "
                  "expected baseline means and SDs.", ""]
        return "\n".join(lines)
    lines += [f"Seed {doc['seed']}. Values are *expected* changes (wave 2 − wave 1) in the population "
              f"model; a sample of {n} residents will scatter around them.", "",
              "## 量表得分变化 Expected score change", "", *header]
    lines += _arm_table(exp["score_change"], arms)
    for wave, values in exp.get("score_change_by_wave", {}).items():
        lines += ["", f"### 第 {wave} 波减第 1 波 Wave {wave} − wave 1", "", *header, *_arm_table(values, arms)]
    lines += ["", "## 本样本的期望变化 Expected change for this sample", "",
              "The people analysed (completers) with their own engagement and respite hours held fixed: "
              "the target of the paired and difference-in-differences estimates.", "", *header]
    lines += _arm_table(exp["sample_score_change"], arms)
    if "network_change" in exp:
        lines += ["", "## 自我中心网络变化 Expected ego-network change", "",
                  "| measure | " + " | ".join(arms) + " |", "|---|" + "---|" * len(arms)]
        lines += _arm_table(exp["network_change"], arms)
        lines += ["", "For this sample (completers, their engagement and wave-1 networks held fixed):", "",
                  "| measure | " + " | ".join(arms) + " |", "|---|" + "---|" * len(arms)]
        lines += _arm_table(exp["sample_network_change"], arms)
    lines += ["", "## 其他 Other", ""]
    if "parents_group" in exp:
        pg = exp["parents_group"]
        lines.append(f"- 家长小组密度 parents' group density: {pg['density_w1']} → {pg['density_w2']} (expected).")
    if "open_ended" in exp:
        lines.append(f"- 两位编码员的期望一致率 expected coder agreement: "
                     f"{exp['open_ended']['expected_percent_agreement']}.")
    dose = exp["dose_response"]
    if "zbi12_bedard_total_per_respite_hour" in dose:
        lines.append(f"- 剂量反应 dose–response: {dose['note']}; ZBI-12 change per extra weekly "
                     f"respite hour {dose['zbi12_bedard_total_per_respite_hour']['programme']:+.3f} "
                     "(programme arm).")
    else:
        lines.append(f"- 剂量反应 dose–response: {dose['note']}.")
    lines += ["- 流失 attrition: lonelier residents drop out more often (MAR given baseline UCLA-3)." if "shape" not in doc
              else "- 流失 attrition: people with a higher baseline level of the first outcome drop out more often "
                   "(MAR given that baseline).",
              "", "## 故意制造的问题 Planted mess", ""]
    for key, value in doc["mess"].items():
        if key != "screening":
            lines.append(f"- `{key}`: {json.dumps(value, ensure_ascii=False)}")
    if "screening" in doc["mess"]:
        lines += _screening_markdown(doc["mess"]["screening"])
    lines += ["", "Also: proxy answers (本问卷由谁填写), logic skips `(跳过)`, other-text `〖…〗`, typos in "
              "open answers, alter ids missing at wave 2 (match by name), names and phone numbers inside "
              "open answers.", ""]
    return "\n".join(lines)
