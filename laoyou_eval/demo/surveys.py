"""The residents' and caregivers' questionnaires and their 问卷星 exports at each wave."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pandas as pd

from laoyou_eval.demo import people
from laoyou_eval.demo.population import CAREGIVER_RELATIONS
from laoyou_eval.demo.questionnaires import CAREGIVER_SCALES, RESIDENT_SCALES, DemoScale, scale_for
from laoyou_eval.demo.wjx import HIDDEN, SKIP, Question

RESPONDENT_TYPES = ("本人独立填写", "本人在家人帮助下填写", "家人代答", "社工协助填写")
JOB_STATUS = ("有全职工作", "有兼职或辅助性就业", "没有工作")
JOB_TYPES = ("社区便利店", "洗车行", "烘焙工坊", "快递驿站", "其他〖〗")
ACTIVITIES = ("融合篮球班", "生日会", "社区文艺活动", "都没有参加", "其他〖〗")
SUPPORT_NEEDS = ("喘息服务", "心理支持", "就业信息", "政策咨询", "其他〖〗")
YES_NO = ("是", "否")
SOURCES = ("手机提交", "微信", "链接")
SOURCE_DETAILS = ("直接访问", "微信群：老友计划家长群", "微信：{name}", "https://www.wjx.cn/vm/demo.aspx")
OTHER_JOB_TEXTS = ("社区图书室整理书", "帮亲戚看店", "在超市理货", "手工坊做串珠")
OTHER_ACTIVITY_TEXTS = ("去公园散步", "教会活动", "残联培训班", "跟老友去看电影")
OPEN_PROMPT_W1 = "您最希望通过这个项目得到什么帮助？"
OPEN_PROMPT_W2 = "参加项目以来，您或您的家庭有什么变化？"


def job_type_answer(employer: str):
    """Answer to question 8 for a placement at ``employer`` (other employers as other text)."""
    options = [o.removesuffix("〖〗") for o in JOB_TYPES]
    return options.index(employer) if employer in options else (len(JOB_TYPES) - 1, employer)


def _numbered(specs) -> list[Question]:
    """Questions numbered 1, 2, … in order from ``(name, stem, kind, options, rows)`` specs."""
    return [Question(k, stem, kind, options, rows, name)
            for k, (name, stem, kind, options, rows) in enumerate(specs, start=1)]


def _matrix(scale: DemoScale):
    return (scale.name, scale.title_zh, "matrix", scale.options,
            tuple(f"条目{i}" for i in range(1, scale.n_items + 1)))


def _open(wave: int):
    return ("open_answer", OPEN_PROMPT_W1 if wave == 1 else OPEN_PROMPT_W2, "fill", (), ())


def resident_questions(wave: int, scales=RESIDENT_SCALES, programme_questions: bool = True,
                       open_question: bool = True) -> list[Question]:
    """Questions of the residents' questionnaire (text of the stems, options, matrix rows).

    Parameters
    ----------
    wave : int
        Wave number (the open question's stem differs after baseline).
    scales : sequence of DemoScale
        Matrix questions, in order.
    programme_questions : bool
        Ask about jobs, activities and the buddy (the demo programme's own questions).
    open_question : bool
        End with an open question.
    """
    specs = [("resident_id", "受访者编号（由社工填写）", "fill", (), ()), ("name", "您的姓名", "fill", (), ()),
             ("phone", "联系电话", "fill", (), ()),
             ("respondent_type", "本问卷由谁填写？", "single", RESPONDENT_TYPES, ()),
             ("sex", "您的性别", "single", ("男", "女"), ()), ("birth_year", "您的出生年份", "fill", (), ())]
    if programme_questions:
        specs += [("job_status", "您目前是否有工作？", "single", JOB_STATUS, ()),
                  ("job_type", "您在哪里工作？", "single", JOB_TYPES, ()),
                  ("activities", "过去一个月您参加过哪些社区活动？（多选）", "multi", ACTIVITIES, ())]
    specs += [_matrix(s) for s in scales]
    if programme_questions:
        specs += [("has_buddy", "您现在是否有一位“社区老友”（结对志愿者）？", "single", YES_NO, ()),
                  ("buddy_meetings", "过去一个月您和老友见面几次？", "fill", (), ())]
    if open_question:
        specs.append(_open(wave))
    return _numbered(specs)


def caregiver_questions(wave: int, scales=CAREGIVER_SCALES, programme_questions: bool = True,
                        open_question: bool = True) -> list[Question]:
    """Questions of the caregivers' (parents') questionnaire (parameters as :func:`resident_questions`;
    the programme's own questions are respite time, the parents' group, the child's job and
    support needs)."""
    specs = [("caregiver_id", "受访者编号（由社工填写）", "fill", (), ()), ("name", "您的姓名", "fill", (), ()),
             ("phone", "手机号码", "fill", (), ()), ("id_number", "身份证号码（用于发放交通补贴）", "fill", (), ()),
             ("relation", "您与被照顾者的关系", "single", CAREGIVER_RELATIONS + ("其他〖〗",), ()),
             ("address", "家庭住址", "fill", (), ())]
    specs += [_matrix(s) for s in scales]
    if programme_questions:
        specs += [
            ("respite_hours", "过去一个月，您平均每周有多少小时的喘息时间（有人替您照顾孩子）？", "fill", (), ()),
            ("in_parents_group", "您是否参加了家长互助小组？", "single", YES_NO, ()),
            ("group_sessions", "过去三个月您参加了几次小组活动？", "fill", (), ()),
            ("child_working", "孩子目前是否在辅助性就业岗位上工作？", "single", YES_NO, ()),
            ("extra_free_hours", "孩子上班后，您每周多出多少小时的自由时间？", "fill", (), ()),
            ("support_needs", "您最需要哪些支持？（多选）", "multi", SUPPORT_NEEDS, ())]
    if open_question:
        specs.append(_open(wave))
    return _numbered(specs)


def submission_meta(rng: np.random.Generator, start: datetime, names: list[str], window_days: int) -> pd.DataFrame:
    """The six 问卷星 metadata columns for ``len(names)`` submissions within ``window_days``."""
    n = len(names)
    offsets = np.sort(rng.integers(0, (window_days - 1) * 24 * 3600, size=n))
    times = [start + timedelta(seconds=int(s)) for s in offsets]
    times = [t.replace(hour=8 + t.hour % 13) for t in times]
    times.sort()
    sources = rng.choice(SOURCES, size=n, p=[0.5, 0.4, 0.1])
    details = []
    for src, name in zip(sources, names):
        if src == "微信":
            template = SOURCE_DETAILS[int(rng.integers(1, 3))]
            details.append(template.format(name=name[0] + "妈妈" if rng.random() < 0.5 else name))
        else:
            details.append(SOURCE_DETAILS[0] if src == "手机提交" else SOURCE_DETAILS[3])
    return pd.DataFrame(
        {
            "序号": np.arange(1, n + 1),
            "提交答卷时间": [f"{t.year}/{t.month}/{t.day} {t:%H:%M:%S}" for t in times],
            "所用时间": [f"{int(s)}秒" for s in rng.integers(180, 1500, size=n)],
            "来源": sources,
            "来源详情": details,
            "来自IP": people.ip_addresses(rng, n),
        }
    )


def _multi_answer(rng, options, p_each, none_index=None, other_texts=()):
    chosen = [i for i, p in enumerate(p_each) if rng.random() < p]
    if none_index is not None:
        chosen = [i for i in chosen if i != none_index] or [none_index]
    other = None
    if chosen and options[chosen[-1]].endswith("〖〗"):
        other = str(rng.choice(other_texts))
    return (chosen, other)


def _by_number(questions, by_name: dict) -> dict:
    return {q.number: by_name[q.name] for q in questions}


def resident_answers(rng, person: dict, items: dict, wave: int, open_text: str | None, questions=None) -> dict:
    """One resident's answers to ``questions`` (default: the demo questionnaire), keyed by question number."""
    questions = questions or resident_questions(wave)
    asked = {q.name for q in questions}
    programme = person["arm"] == "programme"
    buddy = programme and wave >= 2
    a = {"resident_id": person["resident_id"], "name": person["name"], "phone": person["phone"],
         "respondent_type": person["respondent_type"], "sex": 0 if person["sex"] == "男" else 1,
         "birth_year": person["birth_date"][:4]}
    if "job_status" in asked:
        employed = person["job_status"] < 2
        a["job_status"] = person["job_status"]
        a["job_type"] = (person["job_type"] if isinstance(person["job_type"], tuple)
                         else (person["job_type"], str(rng.choice(OTHER_JOB_TEXTS))) if person["job_type"] == 4
                         else person["job_type"]) if employed else SKIP
        a["activities"] = _multi_answer(
            rng, ACTIVITIES,
            [0.7 if buddy else 0.05, 0.6 if buddy else 0.05, 0.15, 0.0, 0.08],
            none_index=3, other_texts=OTHER_ACTIVITY_TEXTS)
        a["has_buddy"] = 0 if buddy else 1
        a["buddy_meetings"] = str(int(person["buddy_meetings"])) if buddy else SKIP
    a["open_answer"] = open_text
    for name, codes in items.items():
        a[name] = codes - scale_for(name).first_code
    return _by_number(questions, a)


def caregiver_answers(rng, person: dict, items: dict, wave: int, open_text: str | None, questions=None) -> dict:
    """One caregiver's answers to ``questions`` (default: the demo questionnaire), keyed by question number."""
    questions = questions or caregiver_questions(wave)
    asked = {q.name for q in questions}
    a = {"caregiver_id": person["caregiver_id"], "name": person["caregiver_name"],
         "phone": person["caregiver_phone"], "id_number": person["caregiver_id_number"],
         "relation": CAREGIVER_RELATIONS.index(person["caregiver_relation"]), "address": person["address"]}
    if "respite_hours" in asked:
        in_group = bool(person["in_group"])
        working = bool(person["child_working"])
        a["respite_hours"] = f"{person['respite_hours']:g}"
        a["in_parents_group"] = 0 if in_group else 1
        a["group_sessions"] = str(int(rng.integers(2, 7))) if in_group else SKIP
        a["child_working"] = 0 if working else 1
        a["extra_free_hours"] = str(int(rng.integers(6, 16))) if working else HIDDEN
        a["support_needs"] = _multi_answer(rng, SUPPORT_NEEDS, [0.6, 0.45, 0.35, 0.3, 0.05],
                                           other_texts=("康复训练指导", "法律援助", "孩子的婚恋问题"))
    a["open_answer"] = open_text
    for name, codes in items.items():
        a[name] = codes - scale_for(name).first_code
    return _by_number(questions, a)
