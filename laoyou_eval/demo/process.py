"""Process records: volunteers and their training, buddy contacts, activities, job placements.

Buddy contacts and activity attendance scale with each programme resident's engagement
(gamma, mean 1), the same quantity that scales their outcome changes, so contact hours and
attendance carry the planted dose–response.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from laoyou_eval.demo import people

TRAINING_MODULES = (("服务理念与伦理", 4), ("残障知识与融合理念", 4), ("沟通与陪伴技巧", 6),
                    ("安全与应急处理", 3), ("个案记录与督导", 3))
CONTACT_MODES = ("上门探访", "电话", "微信视频", "外出活动")
#: Fictional partner gyms of the inclusive basketball class.
GYMS = ("云峰篮球馆（合作场馆一）", "春城运动馆（合作场馆二）")
EMPLOYERS = ("社区便利店", "洗车行", "烘焙工坊", "快递驿站", "社区图书室")
SCHOOL = "春城大学社会工作专业"  # fictional


def volunteers(rng, n_service: int, n_reserve: int, matched_residents, start: date):
    """Volunteer roster (all trained; service team first) and per-module training records."""
    n = n_service + n_reserve
    ids = [f"V{i:02d}" if n < 100 else f"V{i:05d}" for i in range(1, n + 1)]
    birth_years = rng.integers(1999, 2006, size=n)
    sexes = rng.choice(["男", "女"], size=n, p=[0.35, 0.65])
    roster = pd.DataFrame(
        {
            "volunteer_id": ids,
            "name": people.names(rng, sexes),
            "phone": people.phones(rng, n),
            "sex": sexes,
            "birth_year": birth_years,
            "school": SCHOOL,
            "training_hours": 0.0,
            "assessment_score": np.clip(np.rint(rng.normal(84, 6, size=n)), 60, 100).astype(int),
            "status": ["服务队"] * n_service + ["后备"] * n_reserve,
            "matched_resident_id": list(matched_residents) + [""] * n_reserve,
        }
    )
    records = []
    for k, (module, hours) in enumerate(TRAINING_MODULES):
        day = start - timedelta(days=40 - 5 * k)  # training before the programme starts
        attended = rng.random(n) < 0.93
        for vid, att in zip(ids, attended):
            records.append({"volunteer_id": vid, "module": module, "date": day.isoformat(),
                            "hours": hours, "attended": "是" if att else "否"})
    training = pd.DataFrame(records)
    hours = training[training.attended == "是"].groupby("volunteer_id").hours.sum()
    roster["training_hours"] = roster.volunteer_id.map(hours).fillna(0.0)
    return roster, training


def buddy_contacts(rng, pairs: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    """Buddy contact log between baseline and follow-up.

    Parameters
    ----------
    pairs : DataFrame
        volunteer_id, resident_id, engagement.
    """
    days = (end - start).days
    rows = []
    for vid, rid, eng in pairs[["volunteer_id", "resident_id", "engagement"]].itertuples(index=False):
        n = rng.poisson(26 * eng)
        for d in np.sort(rng.integers(0, days, size=n)):
            mode = str(rng.choice(CONTACT_MODES, p=[0.45, 0.2, 0.15, 0.2]))
            minutes = int(rng.integers(15, 40)) if mode in ("电话", "微信视频") else int(rng.integers(60, 180))
            rows.append({"volunteer_id": vid, "resident_id": rid,
                         "date": (start + timedelta(days=int(d))).isoformat(),
                         "mode": mode, "minutes": minutes})
    log = pd.DataFrame(rows, columns=["volunteer_id", "resident_id", "date", "mode", "minutes"])
    log.insert(0, "contact_id", [f"K{i:05d}" for i in range(1, len(log) + 1)])
    return log


#: The demo's four kinds of activity: (residents' weekly activity, parents' group, celebration,
#: support meal), and its venues.
DEMO_ACTIVITIES = ("融合篮球班", "家长互动学习小组", "生日会", "心理支持聚餐")
DEMO_VENUES = (GYMS, "社区服务中心活动室", "社区食堂")
#: What other synthetic studies call them when their shape names no activities.
GENERIC_ACTIVITIES = ("兴趣小组", "家长小组活动", "节日活动", "交流会")
GENERIC_VENUES = (("活动室",), "活动室", "活动室")


def _sessions(start: date, end: date, names=DEMO_ACTIVITIES, venues=DEMO_VENUES):
    weekly, parents, celebration, meal = names
    halls, room, canteen = venues
    out = []
    day = start + timedelta(days=(5 - start.weekday()) % 7)  # first Saturday
    k = 0
    while day < end:
        out.append((weekly, day, halls[k % len(halls)]))
        if k % 2 == 0:
            out.append((parents, day + timedelta(days=1), room))
        if k % 4 == 2:
            out.append((celebration, day, room))
            out.append((meal, day + timedelta(days=6), canteen))
        day += timedelta(days=7)
        k += 1
    return out


def activity_attendance(rng, residents: pd.DataFrame, caregivers_in_group, volunteer_ids,
                        start: date, end: date, names=DEMO_ACTIVITIES, venues=DEMO_VENUES) -> pd.DataFrame:
    """Attendance at four kinds of activity (programme arm only): the residents' weekly activity,
    the parents' group, celebrations and support meals — named ``names`` (the demo's
    融合篮球班, 家长互动学习小组, 生日会, 心理支持聚餐 by default).

    Parameters
    ----------
    residents : DataFrame
        resident_id, caregiver_id, engagement for programme residents.
    caregivers_in_group : set of str
        Caregiver ids of the parents' group (they attend the learning group more often).
    """
    weekly, parents, celebration, meal = names
    rows = []
    for activity, day, venue in _sessions(start, end, names, venues):
        sid = f"{day:%Y%m%d}-{activity}"
        if activity in (weekly, celebration):
            base = 0.45 if activity == weekly else 0.6
            p = np.clip(base * residents.engagement.to_numpy(), 0, 0.95)
            for rid in residents.resident_id[rng.random(len(residents)) < p]:
                rows.append((sid, activity, day, venue, rid, "居民"))
        if activity in (parents, meal, celebration):
            p = np.where(residents.caregiver_id.isin(caregivers_in_group), 0.7, 0.25)
            for cid in residents.caregiver_id[rng.random(len(residents)) < p]:
                rows.append((sid, activity, day, venue, cid, "家长"))
        for vid in np.asarray(volunteer_ids)[rng.random(len(volunteer_ids)) < 0.35]:
            rows.append((sid, activity, day, venue, str(vid), "志愿者"))
    return pd.DataFrame(
        [(s, a, d.isoformat(), v, p, t) for s, a, d, v, p, t in rows],
        columns=["session_id", "activity", "date", "venue", "participant_id", "participant_type"],
    )


def job_placements(rng, residents: pd.DataFrame, start: date) -> pd.DataFrame:
    """Supported-job placements near home for about 30% of programme residents."""
    k = max(1, round(0.3 * len(residents)))
    most_engaged = np.argsort(-residents.engagement.to_numpy(), kind="stable")[: 2 * k]
    chosen = residents.iloc[np.sort(rng.choice(most_engaged, size=min(k, most_engaged.size), replace=False))]
    n = len(chosen)
    return pd.DataFrame(
        {
            "placement_id": [f"J{i:03d}" for i in range(1, n + 1)],
            "resident_id": chosen.resident_id.to_numpy(),
            "employer_type": rng.choice(EMPLOYERS, size=n),
            "start_date": [(start + timedelta(days=int(d))).isoformat() for d in rng.integers(30, 120, size=n)],
            "hours_per_week": rng.choice([8, 12, 16, 20], size=n),
            "km_from_home": np.round(rng.uniform(0.3, 2.5, size=n), 1),
            "job_coach": "社工",
            "status_at_follow_up": rng.choice(["在岗", "已离职"], size=n, p=[0.8, 0.2]),
        }
    )
