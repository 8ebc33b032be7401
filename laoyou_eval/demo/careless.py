"""Planted response-quality cases of the demo: what :mod:`laoyou_eval.coding.screening` must find.

Each function changes one export in place (its metadata table and answers) and returns the
record written to ``truth.json`` under ``mess.screening``.  The cases are those a 问卷星
study meets in practice:

* a staff test submission made the day before the survey opened, with a declared test
  identifier, answered in under a minute by ticking the first option everywhere;
* a respondent who finished in well under two seconds per answered question;
* a caregiver who ticked the same option on every PSS-10 item, reverse-keyed ones included;
* a parent who submitted twice from the same phone, the second time with the identifier
  mistyped (a doubled last digit), so that only the shared IP and personal answers tie the
  two submissions together;
* a resident who ticked an activity and "none of these" in the same multi-select question.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pandas as pd

from laoyou_eval.demo import people
from laoyou_eval.demo.population import CAREGIVER_RELATIONS
from laoyou_eval.demo.questionnaires import scale_for

#: Identifier of the staff's test submission (declared in study.yaml's ``screening:``).
TEST_ID = "TEST01"
#: The option of the activities question that excludes the others ("都没有参加").
NONE_OF_THESE = 3


def _stamp(t: datetime) -> str:
    return f"{t.year}/{t.month}/{t.day} {t:%H:%M:%S}"


def _renumber(meta: pd.DataFrame) -> pd.DataFrame:
    meta = meta.reset_index(drop=True)
    meta["序号"] = np.arange(1, len(meta) + 1)
    return meta


def test_submission(rng, meta, answers, questions, builder, scales, opened: datetime, file: str):
    """Insert a staff test submission, made the day before ``opened``, as the first row.

    ``builder(person, items)`` gives the answers of a caregiver; ``scales`` the matrix
    questions, all answered with their first option.
    """
    person = {"caregiver_id": TEST_ID, "caregiver_name": "测试", "caregiver_phone": "13800138000",
              "caregiver_id_number": "测试", "caregiver_relation": CAREGIVER_RELATIONS[0], "address": "测试",
              "respite_hours": 0.0, "in_group": False, "child_working": False, "resident_id": ""}
    items = {s.name: np.full(s.n_items, scale_for(s.name).first_code) for s in scales}
    record = builder(person, items)
    seconds = int(rng.integers(40, 60))
    when = datetime.combine((opened - timedelta(days=1)).date(), datetime.min.time()) + timedelta(
        hours=16, minutes=int(rng.integers(0, 60)))
    row = pd.DataFrame({"序号": [0], "提交答卷时间": [_stamp(when)], "所用时间": [f"{seconds}秒"], "来源": ["链接"],
                        "来源详情": ["直接访问"], "来自IP": people.ip_addresses(rng, 1)})
    meta = _renumber(pd.concat([row, meta], ignore_index=True))
    answers.insert(0, record)
    return meta, answers, {"file": file, "row": 2, "respondent": TEST_ID, "submitted": _stamp(when),
                           "seconds": seconds, "why": "staff test before the survey opened; first option everywhere"}


def speeder(rng, meta, answers, file: str, avoid=()):
    """Give one submission a completion time of 35–50 s (under 2 s per answered question)."""
    k = int(rng.choice([i for i in range(len(answers)) if i not in avoid]))
    seconds = int(rng.integers(35, 51))
    meta.loc[k, "所用时间"] = f"{seconds}秒"
    return k, {"file": file, "row": k + 2, "respondent": str(answers[k][1]), "seconds": seconds}


def straight_liner(rng, answers, questions, file: str, avoid=()):
    """One submission answers every item of the first scale with reverse-keyed items with
    the same option (not the midpoint), or None when no scale has reverse-keyed items."""
    from laoyou_eval.instruments import get

    matrices = [q for q in questions if q.kind == "matrix" and get(q.name).reverse]
    if not matrices:
        return None, None
    q = matrices[0]
    k = int(rng.choice([i for i in range(len(answers)) if i not in avoid]))
    middle = (len(q.options) - 1) / 2
    option = int(rng.choice([i for i in range(len(q.options)) if i != middle]))
    answers[k][q.number] = [option] * len(q.rows)
    return k, {"file": file, "row": k + 2, "respondent": str(answers[k][1]), "scale": q.name,
               "option": q.options[option]}


def device_duplicate(rng, meta, answers, questions, file: str, avoid=()):
    """A second submission of one respondent from the same IP 40–90 minutes later, with two
    scale answers changed and the identifier mistyped (last digit doubled)."""
    k = int(rng.choice([i for i in range(len(answers)) if i not in avoid]))
    again = dict(answers[k])
    original = str(again[1])
    again[1] = original + original[-1]
    matrix = next(q for q in questions if q.kind == "matrix")
    row = np.array(again[matrix.number]).copy()
    for j in rng.choice(len(row), size=2, replace=False):
        row[j] = (row[j] + 1) % len(matrix.options)
    again[matrix.number] = row
    copy = meta.iloc[[k]].copy()
    t = datetime.strptime(copy.iloc[0]["提交答卷时间"], "%Y/%m/%d %H:%M:%S") + timedelta(
        minutes=int(rng.integers(40, 91)))
    copy["提交答卷时间"] = _stamp(t)
    copy["所用时间"] = f"{int(rng.integers(400, 900))}秒"
    meta = _renumber(pd.concat([meta.iloc[: k + 1], copy, meta.iloc[k + 1:]], ignore_index=True))
    answers = answers[: k + 1] + [again] + answers[k + 1:]
    return meta, answers, k, {"file": file, "rows": [k + 2, k + 3], "respondent": original,
                              "typed": again[1], "how": "same IP, name and phone; identifier mistyped"}


def contradiction(rng, answers, questions, file: str, avoid=()):
    """One submission that ticked an activity also ticks "none of these", or None when nobody
    ticked an activity."""
    q = next((q for q in questions if q.name == "activities"), None)
    if q is None:
        return None, None
    candidates = [i for i, a in enumerate(answers) if i not in avoid and NONE_OF_THESE not in a[q.number][0]]
    if not candidates:
        return None, None
    k = int(rng.choice(candidates))
    chosen, other = answers[k][q.number]
    answers[k][q.number] = (sorted([*chosen, NONE_OF_THESE]), other)
    return k, {"file": file, "row": k + 2, "respondent": str(answers[k][1]), "question": q.name,
               "why": "an activity and 都没有参加 ticked together"}
