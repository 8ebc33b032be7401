"""The residents' and caregivers' questionnaires and their 问卷星 exports at each wave."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pandas as pd

from laoyou_eval.demo import people
from laoyou_eval.demo.population import CAREGIVER_RELATIONS
from laoyou_eval.demo.questionnaires import CAREGIVER_SCALES, RESIDENT_SCALES, DemoScale
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


def _matrix(number: int, scale: DemoScale) -> Question:
    return Question(number, scale.title_zh, "matrix", scale.options,
                    tuple(f"条目{i}" for i in range(1, scale.n_items + 1)))


def resident_questions(wave: int) -> list[Question]:
    """Questions of the residents' questionnaire (text of the stems, options, matrix rows)."""
    q = [
        Question(1, "受访者编号（由社工填写）", "fill"),
        Question(2, "您的姓名", "fill"),
        Question(3, "联系电话", "fill"),
        Question(4, "本问卷由谁填写？", "single", RESPONDENT_TYPES),
        Question(5, "您的性别", "single", ("男", "女")),
        Question(6, "您的出生年份", "fill"),
        Question(7, "您目前是否有工作？", "single", JOB_STATUS),
        Question(8, "您在哪里工作？", "single", JOB_TYPES),
        Question(9, "过去一个月您参加过哪些社区活动？（多选）", "multi", ACTIVITIES),
    ]
    q += [_matrix(10 + k, s) for k, s in enumerate(RESIDENT_SCALES)]
    q += [
        Question(13, "您现在是否有一位“社区老友”（结对志愿者）？", "single", YES_NO),
        Question(14, "过去一个月您和老友见面几次？", "fill"),
        Question(15, OPEN_PROMPT_W1 if wave == 1 else OPEN_PROMPT_W2, "fill"),
    ]
    return q


def caregiver_questions(wave: int) -> list[Question]:
    """Questions of the caregivers' (parents') questionnaire."""
    q = [
        Question(1, "受访者编号（由社工填写）", "fill"),
        Question(2, "您的姓名", "fill"),
        Question(3, "手机号码", "fill"),
        Question(4, "身份证号码（用于发放交通补贴）", "fill"),
        Question(5, "您与被照顾者的关系", "single", CAREGIVER_RELATIONS + ("其他〖〗",)),
        Question(6, "家庭住址", "fill"),
    ]
    q += [_matrix(7 + k, s) for k, s in enumerate(CAREGIVER_SCALES)]
    q += [
        Question(11, "过去一个月，您平均每周有多少小时的喘息时间（有人替您照顾孩子）？", "fill"),
        Question(12, "您是否参加了家长互助小组？", "single", YES_NO),
        Question(13, "过去三个月您参加了几次小组活动？", "fill"),
        Question(14, "孩子目前是否在辅助性就业岗位上工作？", "single", YES_NO),
        Question(15, "孩子上班后，您每周多出多少小时的自由时间？", "fill"),
        Question(16, "您最需要哪些支持？（多选）", "multi", SUPPORT_NEEDS),
        Question(17, OPEN_PROMPT_W1 if wave == 1 else OPEN_PROMPT_W2, "fill"),
    ]
    return q


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


def resident_answers(rng, person: dict, items: dict, wave: int, open_text: str) -> dict:
    """One resident's answers, keyed by question number."""
    employed = person["job_status"] < 2
    programme = person["arm"] == "programme"
    buddy = programme and wave == 2
    a = {
        1: person["resident_id"],
        2: person["name"],
        3: person["phone"],
        4: person["respondent_type"],
        5: 0 if person["sex"] == "男" else 1,
        6: person["birth_date"][:4],
        7: person["job_status"],
        8: (person["job_type"] if isinstance(person["job_type"], tuple)
            else (person["job_type"], str(rng.choice(OTHER_JOB_TEXTS))) if person["job_type"] == 4
            else person["job_type"]) if employed else SKIP,
        9: _multi_answer(
            rng, ACTIVITIES,
            [0.7 if buddy else 0.05, 0.6 if buddy else 0.05, 0.15, 0.0, 0.08],
            none_index=3, other_texts=OTHER_ACTIVITY_TEXTS),
        13: 0 if buddy else 1,
        14: str(int(person["buddy_meetings"])) if buddy else SKIP,
        15: open_text,
    }
    for k, scale in enumerate(RESIDENT_SCALES):
        a[10 + k] = items[scale.name] - scale.first_code
    return a


def caregiver_answers(rng, person: dict, items: dict, wave: int, open_text: str) -> dict:
    """One caregiver's answers, keyed by question number."""
    in_group = bool(person["in_group"])
    working = bool(person["child_working"])
    relation_index = CAREGIVER_RELATIONS.index(person["caregiver_relation"])
    a = {
        1: person["caregiver_id"],
        2: person["caregiver_name"],
        3: person["caregiver_phone"],
        4: person["caregiver_id_number"],
        5: relation_index,
        6: person["address"],
        11: f"{person['respite_hours']:g}",
        12: 0 if in_group else 1,
        13: str(int(rng.integers(2, 7))) if in_group else SKIP,
        14: 0 if working else 1,
        15: str(int(rng.integers(6, 16))) if working else HIDDEN,
        16: _multi_answer(rng, SUPPORT_NEEDS, [0.6, 0.45, 0.35, 0.3, 0.05],
                          other_texts=("康复训练指导", "法律援助", "孩子的婚恋问题")),
        17: open_text,
    }
    for k, scale in enumerate(CAREGIVER_SCALES):
        a[7 + k] = items[scale.name] - scale.first_code
    return a
