"""Open-ended answers ("what changed for you / your family") and two coders' theme codes.

Each answer is written from a true theme (programme residents mostly report new friends or
better mood, programme caregivers less strain, the comparison group mostly no change), with
occasional typos and, now and then, a volunteer's name or phone number typed into the text
(so that free-text pseudonymisation is exercised).  Coder A assigns the true theme with
probability ``coder_a_accuracy``, coder B with ``coder_b_accuracy``; otherwise another theme
at random.
"""

from __future__ import annotations

import pandas as pd

THEMES = (
    ("social", "社交扩展", "wider social circle", "结识新朋友、出门与人交往增多"),
    ("mood", "情绪改善", "better mood", "心情、自信、孤独感方面的好转"),
    ("family", "家庭关系", "family relations", "家庭成员之间关系或沟通的变化"),
    ("strain", "照顾压力减轻", "less caregiving strain", "照顾负担、喘息时间、自己的时间"),
    ("work", "就业与能力", "work and skills", "工作、技能、收入"),
    ("none", "没有变化", "no change", "表示没有明显变化"),
    ("concern", "担忧与困难", "worries and difficulties", "负面变化、担心、困难"),
)

TEMPLATES = {
    "social": ("认识了好几个新朋友，周末会一起打篮球", "现在愿意出门了，和老友{name}经常一起去公园",
               "孩子交到了新朋有，每周都盼着去活动"),
    "mood": ("心情好多了，没那么孤单了", "孩子比以前开朗，话也多了", "心清好了很多，晚上睡得着"),
    "family": ("和爸妈吵架少了", "家里人一起参加生日会，关系更近了"),
    "strain": ("每周有半天可以休息，压力小了一些", "有老友陪孩子，我可以出去办事了",
               "家长小组的姐妹会帮忙，心里轻松多了"),
    "work": ("在便利店上班了，自己挣了零花钱", "学会了坐公交去上班"),
    "none": ("没什么变化", "还是老样子", "和以前差不多"),
    "concern": ("担心项目结束以后没人陪", "孩子上班后有点累，需要适应", "有事可以打{phone}找社工，但是有时联系不上"),
}


def theme_codebook() -> pd.DataFrame:
    """The small theme codebook given to both coders."""
    return pd.DataFrame(THEMES, columns=["code", "label_zh", "label_en", "definition_zh"])


def true_theme(rng, programme: bool, caregiver: bool) -> str:
    if programme:
        p = ([0.10, 0.20, 0.15, 0.35, 0.08, 0.04, 0.08] if caregiver
             else [0.40, 0.28, 0.07, 0.0, 0.12, 0.05, 0.08])
    else:
        p = [0.05, 0.07, 0.08, 0.05, 0.05, 0.62, 0.08]
    codes = [t[0] for t in THEMES]
    return str(rng.choice(codes, p=p))


def answer_text(rng, theme: str, volunteer_name: str, phone: str) -> str:
    template = str(rng.choice(TEMPLATES[theme]))
    return template.format(name=volunteer_name, phone=phone)


def code_answers(rng, truth: pd.Series, accuracy: float) -> pd.Series:
    """One coder's theme codes: the true theme with probability ``accuracy``."""
    codes = [t[0] for t in THEMES]
    out = []
    for theme in truth:
        if rng.random() < accuracy:
            out.append(theme)
        else:
            out.append(str(rng.choice([c for c in codes if c != theme])))
    return pd.Series(out, index=truth.index)
