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

#: Answer templates by respondent (resident / caregiver) and theme.  Templates marked with a
#: leading "+" mention the programme (buddy, activities, parents' group) and are only used for
#: the programme arm.
TEMPLATES = {
    "resident": {
        "social": ("+认识了好几个新朋友，周末会一起打篮球", "+现在愿意出门了，和老友{name}经常一起去公园",
                   "交到了一个新朋友，经常微信聊天", "和邻居说话多了"),
        "mood": ("心情好多了，没那么孤单了", "+有老友陪着，没那么闷了", "比以前开心，晚上睡得着"),
        "family": ("和爸妈吵架少了", "+家里人一起参加生日会，关系更近了", "和姐姐说话多了"),
        "strain": ("妈妈比以前轻松一点",),
        "work": ("+在社区便利店上班了，自己挣了零花钱", "学会了坐公交出门", "想去找工作了"),
        "none": ("没什么变化", "还是老样子", "和以前差不多"),
        "concern": ("+担心项目结束以后没人陪", "+上班有点累，需要适应", "最近身体不太好，很少出门"),
    },
    "caregiver": {
        "social": ("+孩子交到了新朋友，每周都盼着去活动", "孩子愿意出门和人打招呼了"),
        "mood": ("孩子比以前开朗，话也多了", "我自己心情也好了一些"),
        "family": ("家里吵架少了", "+一家人一起去生日会，孩子很高兴"),
        "strain": ("+每周有半天可以休息，压力小了一些", "+有老友陪孩子，我可以出去办事了",
                   "+家长小组的姐妹会帮忙，心里轻松多了"),
        "work": ("+孩子在烘焙工坊上班了，我们很放心", "孩子学会了自己坐公交"),
        "none": ("没什么变化", "还是老样子", "和以前差不多"),
        "concern": ("+担心项目结束以后没人陪孩子", "+有事可以打{phone}找社工，但是有时联系不上",
                    "我身体越来越差，担心以后谁照顾他"),
    },
}
#: Baseline answers to "what help do you hope for", by respondent.
NEEDS = {
    "resident": ("希望能多交几个朋友", "希望有人陪我出门", "想找一份离家近的工作", "想学打篮球", "不知道"),
    "caregiver": ("希望孩子能多交几个朋友", "希望自己能喘口气，有点自己的时间", "想了解残疾人就业政策",
                  "希望有人能陪孩子出门"),
}
#: Typing slips that survey answers really contain (homophones and near-misses).
TYPOS = (("朋友", "朋有"), ("心情", "心清"), ("以前", "已前"), ("轻松", "清松"), ("高兴", "高性"))
P_TYPO = 0.15


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


def answer_text(rng, respondent: str, theme: str, programme: bool, volunteer_name: str, phone: str) -> str:
    """An answer of ``respondent`` ("resident"/"caregiver") on ``theme``, with an occasional typo."""
    options = [t for t in TEMPLATES[respondent][theme] if programme or not t.startswith("+")]
    if not options:  # every template of this theme mentions the programme
        options = list(TEMPLATES[respondent]["none"])
    text = str(rng.choice(options)).lstrip("+").format(name=volunteer_name, phone=phone)
    if rng.random() < P_TYPO:
        for right, wrong in TYPOS:
            if right in text:
                return text.replace(right, wrong, 1)
    return text


def baseline_need(rng, respondent: str) -> str:
    """A baseline answer to "what help do you hope for"."""
    return str(rng.choice(NEEDS[respondent]))


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
