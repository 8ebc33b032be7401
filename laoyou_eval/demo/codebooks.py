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

RESIDENT_NAMES = {1: "resident_id", 2: "name", 3: "phone", 4: "respondent_type", 5: "sex", 6: "birth_year",
                  7: "job_status", 8: "job_type", 9: "activities", 13: "has_buddy", 14: "buddy_meetings",
                  15: "open_answer"}
CAREGIVER_NAMES = {1: "caregiver_id", 2: "name", 3: "phone", 4: "id_number", 5: "relation", 6: "address",
                   11: "respite_hours", 12: "in_parents_group", 13: "group_sessions", 14: "child_working",
                   15: "extra_free_hours", 16: "support_needs", 17: "open_answer"}
PRIVATE = {"name", "phone", "id_number", "address"}
RANGES = {"birth_year": (1950, 2010), "buddy_meetings": (0, 60), "respite_hours": (0, 168),
          "group_sessions": (0, 50), "extra_free_hours": (0, 168)}
DECIMAL = {"respite_hours", "extra_free_hours"}
CHOICE_NAMES = {"activities": ("basketball", "birthday", "arts", "none", "other"),
                "support_needs": ("respite", "emotional", "jobs", "policy", "other")}


def _choice_rows(list_name: str, options, codes=None, en=None):
    rows = []
    for k, option in enumerate(options):
        label = option.removesuffix("〖〗")
        rows.append({"list_name": list_name, "name": str(codes[k] if codes else k + 1), "label::zh": label,
                     "label::en": (en[k] if en else EN.get(label, label))})
    return rows


def _codebook(questions, names: dict, scales, id_name: str, title: str, open_headers) -> Codebook:
    survey, choices = [], []
    scale_by_number = {q.number: s for q, s in zip([q for q in questions if q.kind == "matrix"], scales)}
    for q in questions:
        if q.kind == "matrix":
            scale = scale_by_number[q.number]
            choices += _choice_rows(scale.name, q.options, codes=range(scale.low, scale.high + 1),
                                    en=SCALE_EN[scale.name])
            for i, row in enumerate(q.rows, start=1):
                survey.append({"type": f"select_one {scale.name}", "name": f"{scale.name}_{i}",
                               "label::zh": f"{scale.title_zh} 第{i}题", "label::en": f"{scale.name} item {i}",
                               "header": q.sub_header(row)})
            continue
        name = names[q.number]
        row = {"name": name, "label::zh": q.stem, "label::en": name.replace("_", " "), "header": q.header}
        if name in PRIVATE:
            row["privacy"] = "drop"
        if q.kind in ("single", "multi"):
            list_name = "yes_no" if q.options == surveys.YES_NO else name
            if not any(c["list_name"] == list_name for c in choices):
                codes = (1, 0) if list_name == "yes_no" else CHOICE_NAMES.get(name)
                choices += _choice_rows(list_name, q.options, codes=codes)
            row["type"] = f"{'select_one' if q.kind == 'single' else 'select_multiple'} {list_name}"
        elif name in RANGES:
            row["type"] = "decimal" if name in DECIMAL else "integer"
            row["min"], row["max"] = RANGES[name]
        else:
            row["type"] = "text"
        survey.append(row)
    # the open question's stem differs between waves: one row per wave
    open_row = next(r for r in survey if r["name"] == "open_answer")
    open_row.update(header=open_headers[0], waves="1")
    survey.append({**open_row, "header": open_headers[1], "label::zh": open_headers[1].split("、", 1)[1],
                   "waves": "2"})
    scale_rows = [{"scale": s.name, "instrument": s.name, "items": ""} for s in scales]
    return Codebook.from_tables(survey, choices, scales=scale_rows,
                                settings={"id": id_name, "title": title}, source="demo codebook")


def residents_codebook() -> Codebook:
    """Codebook of the residents' questionnaire (both waves)."""
    w1, w2 = surveys.resident_questions(1), surveys.resident_questions(2)
    return _codebook(w1, RESIDENT_NAMES, RESIDENT_SCALES, "resident_id", "居民问卷 Residents' questionnaire",
                     (w1[-1].header, w2[-1].header))


def caregivers_codebook() -> Codebook:
    """Codebook of the caregivers' questionnaire (both waves)."""
    w1, w2 = surveys.caregiver_questions(1), surveys.caregiver_questions(2)
    return _codebook(w1, CAREGIVER_NAMES, CAREGIVER_SCALES, "caregiver_id", "家长问卷 Caregivers' questionnaire",
                     (w1[-1].header, w2[-1].header))
