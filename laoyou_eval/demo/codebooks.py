"""The demo study's codebooks, derived from the questionnaire definitions.

The residents' codebook is written as an XLSForm-compatible workbook
(``codebooks/residents.xlsx``), the caregivers' as YAML (``codebooks/caregivers.yaml``), so
that both forms a student may use are shown.  Both describe both waves (the questions are the
same; only the open question's stem differs, and it is matched by header).
"""

from __future__ import annotations

from laoyou_eval.coding import Codebook
from laoyou_eval.demo import surveys
from laoyou_eval.demo.questionnaires import CAREGIVER_SCALES, RESIDENT_SCALES

#: English labels of the option texts used in the demo questionnaires.
EN = {
    "本人独立填写": "self, alone", "本人在家人帮助下填写": "self, helped by family",
    "家人代答": "proxy: family member", "社工协助填写": "self, helped by social worker",
    "男": "male", "女": "female", "是": "yes", "否": "no",
    "有全职工作": "full-time job", "有兼职或辅助性就业": "part-time or supported job", "没有工作": "no job",
    "社区便利店": "convenience store", "洗车行": "car wash", "烘焙工坊": "bakery", "快递驿站": "parcel station",
    "其他": "other", "融合篮球班": "inclusive basketball", "生日会": "birthday party",
    "社区文艺活动": "community arts", "都没有参加": "none",
    "母亲": "mother", "父亲": "father", "祖母": "grandmother", "祖父": "grandfather", "兄弟姐妹": "sibling",
    "喘息服务": "respite care", "心理支持": "emotional support", "就业信息": "job information",
    "政策咨询": "policy advice",
}
SCALE_EN = {
    "ucla3": ("hardly ever", "some of the time", "often"),
    "lsns6": ("none", "one", "two", "three or four", "five to eight", "nine or more"),
    "mspss": ("very strongly disagree", "strongly disagree", "mildly disagree", "neutral", "mildly agree",
              "strongly agree", "very strongly agree"),
    "zbi12_bedard": ("never", "rarely", "sometimes", "quite frequently", "nearly always"),
    "pss10": ("never", "almost never", "sometimes", "fairly often", "very often"),
    "k6": ("none of the time", "a little of the time", "some of the time", "most of the time", "all of the time"),
    "who5": ("at no time", "some of the time", "less than half of the time", "more than half of the time",
             "most of the time", "all of the time"),
}

PRIVATE = {"name", "phone", "id_number", "address"}
RANGES = {"birth_year": (1950, 2010), "buddy_meetings": (0, 60), "respite_hours": (0, 168),
          "group_sessions": (0, 50), "extra_free_hours": (0, 168)}
DECIMAL = {"respite_hours", "extra_free_hours"}
CHOICE_NAMES = {"activities": ("basketball", "birthday", "arts", "none", "other"),
                "support_needs": ("respite", "emotional", "jobs", "policy", "other")}

#: XLSForm constraints of the questionnaires (the platform's exclusive option is not enforced).
CONSTRAINTS = {"activities": {"constraint": "not(selected(., 'none') and count-selected(.) > 1)",
                              "constraint_message::zh": "选了“都没有参加”就不应再选其他活动",
                              "constraint_message::en": "'none' ticked together with an activity"}}


def _choice_rows(list_name: str, options, codes=None, en=None):
    rows = []
    for k, option in enumerate(options):
        label = option.removesuffix("〖〗")
        rows.append({"list_name": list_name, "name": str(codes[k] if codes else k + 1), "label::zh": label,
                     "label::en": (en[k] if en else EN.get(label, label))})
    return rows


def _scale_en(scale) -> tuple[str, ...]:
    from laoyou_eval import instruments

    return SCALE_EN.get(scale.name) or instruments.get(scale.name).response_labels_en


def _codebook(questions_by_wave: dict, scales, id_name: str, title: str) -> Codebook:
    """Codebook of a questionnaire asked at every wave of ``questions_by_wave`` ({wave: questions}).

    The questions are the same at every wave except the open question's stem, so the open
    question gets one row per distinct stem, restricted to its waves.
    """
    questions = next(iter(questions_by_wave.values()))
    survey, choices = [], []
    scale_by_name = {s.name: s for s in scales}
    for q in questions:
        if q.kind == "matrix":
            scale = scale_by_name[q.name]
            choices += _choice_rows(scale.name, q.options, codes=range(scale.low, scale.high + 1),
                                    en=_scale_en(scale))
            for i, row in enumerate(q.rows, start=1):
                survey.append({"type": f"select_one {scale.name}", "name": f"{scale.name}_{i}",
                               "label::zh": f"{scale.title_zh} 第{i}题", "label::en": f"{scale.name} item {i}",
                               "header": q.sub_header(row)})
            continue
        name = q.name
        row = {"name": name, "label::zh": q.stem, "label::en": name.replace("_", " "), "header": q.header}
        if name in PRIVATE:
            row["privacy"] = "drop"
        if q.kind in ("single", "multi"):
            list_name = "yes_no" if q.options == surveys.YES_NO else name
            if not any(c["list_name"] == list_name for c in choices):
                codes = (1, 0) if list_name == "yes_no" else CHOICE_NAMES.get(name)
                choices += _choice_rows(list_name, q.options, codes=codes)
            row["type"] = f"{'select_one' if q.kind == 'single' else 'select_multiple'} {list_name}"
            if name in CONSTRAINTS:
                row.update(CONSTRAINTS[name])
        elif name in RANGES:
            row["type"] = "decimal" if name in DECIMAL else "integer"
            row["min"], row["max"] = RANGES[name]
        else:
            row["type"] = "text"
        survey.append(row)
    # the open question's stem differs between waves: one row per stem
    open_rows = [r for r in survey if r["name"] == "open_answer"]
    if open_rows:
        headers: dict[str, list[str]] = {}
        for wave, wave_questions in questions_by_wave.items():
            header = next(q.header for q in wave_questions if q.name == "open_answer")
            headers.setdefault(header, []).append(str(wave))
        first, *others = headers.items()
        open_rows[0].update(header=first[0], waves=" ".join(first[1]))
        survey += [{**open_rows[0], "header": header, "label::zh": header.split("、", 1)[1], "waves": " ".join(w)}
                   for header, w in others]
    scale_rows = [{"scale": s.name, "instrument": s.name, "items": ""} for s in scales]
    return Codebook.from_tables(survey, choices, scales=scale_rows,
                                settings={"id": id_name, "title": title}, source="demo codebook")


def residents_codebook(waves=(1, 2), scales=RESIDENT_SCALES, programme_questions: bool = True,
                       open_question: bool = True) -> Codebook:
    """Codebook of the residents' questionnaire (all ``waves``; default: the demo's)."""
    return _codebook({w: surveys.resident_questions(w, scales, programme_questions, open_question) for w in waves},
                     scales, "resident_id", "居民问卷 Residents' questionnaire")


def caregivers_codebook(waves=(1, 2), scales=CAREGIVER_SCALES, programme_questions: bool = True,
                        open_question: bool = True) -> Codebook:
    """Codebook of the caregivers' questionnaire (all ``waves``; default: the demo's)."""
    return _codebook({w: surveys.caregiver_questions(w, scales, programme_questions, open_question) for w in waves},
                     scales, "caregiver_id", "家长问卷 Caregivers' questionnaire")
