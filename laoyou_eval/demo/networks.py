"""Residents' ego networks (name generator) and the parents' group network, at both waves.

Name generator (asked by the social worker, entered in a spreadsheet): "过去半年中，您与谁
讨论过重要问题、或一起度过空闲时间？" up to 10 names, each with name interpreters
(relation, sex, age band, closeness, contact frequency, where met) and, for each pair of
named people, whether they know each other (alter–alter ties).

Model
-----
Wave 1: relatives (a mother and a father at most once each, up to two siblings and two
grandparents, other relatives Poisson; ``EXPECTED_KIN`` on average) and ``Poisson(0.9)``
non-kin alters.  Wave 2: each alter is
kept with probability ``1 - p_alter_lost``; programme residents add their buddy (结对老友)
and ``Poisson(new_nonkin_via_programme × engagement)`` alters met through the buddy or
programme activities; everybody adds ``Poisson(new_nonkin_organic)`` other non-kin alters.
Alter–alter ties: kin–kin 0.8, kin–non-kin 0.15, non-kin–non-kin 0.3, buddy-met alters to
the buddy 0.7; kept ties persist with probability 0.9.
"""

from __future__ import annotations

import itertools

import pandas as pd

from laoyou_eval.demo import people

KIN_RELATIONS = ("母亲", "父亲", "兄弟姐妹", "祖父母", "其他亲属")
#: How often each relative is named: mother and father at most once, up to two siblings and
#: two grandparents (binomial), other relatives Poisson.
P_MOTHER, P_FATHER, P_SIBLING, P_GRANDPARENT, MEAN_OTHER_KIN = 0.8, 0.6, 0.3, 0.12, 0.25
EXPECTED_KIN = P_MOTHER + P_FATHER + 2 * P_SIBLING + 2 * P_GRANDPARENT + MEAN_OTHER_KIN
NONKIN_RELATIONS = ("朋友", "同学", "邻居", "社工", "病友/康复伙伴", "其他")
NONKIN_WEIGHTS = (0.35, 0.2, 0.2, 0.1, 0.1, 0.05)
EXPECTED_NONKIN = 0.9
BUDDY_RELATION = "志愿者（老友）"
AGE_BANDS = ("18岁以下", "18-29岁", "30-44岁", "45-59岁", "60岁及以上")
CLOSENESS = ("非常亲近", "亲近", "一般")
CONTACT = ("每天", "每周", "每月", "更少")
MET_KIN = "家庭"
MET_ORGANIC = ("学校", "社区/邻里", "医院/康复机构", "网络", "工作")
MET_BUDDY = "老友计划（结对）"
MET_VIA_PROGRAMME = ("通过老友认识", "项目活动（融合篮球班等）")
KIN_AGE_BANDS = {"母亲": AGE_BANDS[3:], "父亲": AGE_BANDS[3:], "兄弟姐妹": AGE_BANDS[:3],
                 "祖父母": AGE_BANDS[4:], "其他亲属": AGE_BANDS[1:]}
MAX_ALTERS = 10
#: What residents call their relatives, by relation and sex.
KIN_NICKNAMES = {("母亲", "女"): ("妈妈",), ("父亲", "男"): ("爸爸",),
                 ("兄弟姐妹", "男"): ("哥哥", "弟弟"), ("兄弟姐妹", "女"): ("姐姐", "妹妹"),
                 ("祖父母", "男"): ("爷爷", "外公"), ("祖父母", "女"): ("奶奶", "外婆"),
                 ("其他亲属", "男"): ("舅舅", "叔叔", "表哥"), ("其他亲属", "女"): ("姑姑", "小姨", "表姐")}
TIE_P = {("kin", "kin"): 0.8, ("kin", "nonkin"): 0.15, ("nonkin", "nonkin"): 0.3}
TIE_PERSIST = 0.9
ALTER_ID_RECORDED = 0.85


def _alter(rng, kind, relation, met, name, alter_no, sex):
    if kind == "kin":
        age = str(rng.choice(KIN_AGE_BANDS[relation]))
        closeness = CLOSENESS[int(rng.choice(3, p=[0.6, 0.3, 0.1]))]
        contact = CONTACT[int(rng.choice(4, p=[0.7, 0.2, 0.07, 0.03]))]
    else:
        age = AGE_BANDS[int(rng.choice(5, p=[0.05, 0.55, 0.25, 0.1, 0.05]))]
        closeness = CLOSENESS[int(rng.choice(3, p=[0.15, 0.4, 0.45]))]
        contact = CONTACT[int(rng.choice(4, p=[0.05, 0.45, 0.35, 0.15]))]
    return {"alter_no": alter_no, "kind": kind, "alter_name": name, "relation": relation,
            "sex": sex, "age_band": age, "closeness": closeness, "contact": contact,
            "met_where": met}


def _kin_specs(rng):
    """Relatives named by one resident, as (kind, relation, met, nickname, sex)."""
    relatives = []
    if rng.random() < P_MOTHER:
        relatives.append(("母亲", "女"))
    if rng.random() < P_FATHER:
        relatives.append(("父亲", "男"))
    for relation, count in (("兄弟姐妹", rng.binomial(2, P_SIBLING)), ("祖父母", rng.binomial(2, P_GRANDPARENT)),
                            ("其他亲属", rng.poisson(MEAN_OTHER_KIN))):
        relatives += [(relation, str(rng.choice(["男", "女"]))) for _ in range(count)]
    specs, used = [], set()
    for relation, sex in relatives:
        options = [n for n in KIN_NICKNAMES[(relation, sex)] if n not in used] or [f"二{KIN_NICKNAMES[(relation, sex)][0]}"]
        nickname = str(rng.choice(options))
        used.add(nickname)
        specs.append(("kin", relation, MET_KIN, nickname, sex))
    return specs


def _nonkin_name(rng, relation, sex, used: set):
    """A nickname or name the ego does not already use for someone else."""
    while (name := _nonkin_candidate(rng, relation, sex)) in used:
        pass
    used.add(name)
    return name


def _nonkin_candidate(rng, relation, sex):
    surname = str(rng.choice(people.SURNAMES))
    if relation == "社工":
        return f"{surname}老师"
    style = rng.random()
    if style < 0.4:
        return f"小{surname}"
    if style < 0.6:
        return f"{surname}阿姨" if sex == "女" else f"{surname}叔"
    return people.names(rng, [sex])[0]


def _new_nonkin(rng, met_choices, n, used: set):
    out = []
    for _ in range(n):
        relation = str(rng.choice(NONKIN_RELATIONS[:3], p=[0.6, 0.1, 0.3]))
        sex = str(rng.choice(["男", "女"]))
        out.append(("nonkin", relation, str(rng.choice(met_choices)), _nonkin_name(rng, relation, sex, used), sex))
    return out


def _ties(rng, alters, previous=None, buddy_no=None):
    """Undirected alter–alter ties as (source_no, target_no, weight)."""
    previous = previous or {}
    ties = []
    for a, b in itertools.combinations(alters, 2):
        key = (a["alter_no"], b["alter_no"])
        if key in previous:
            if rng.random() < TIE_PERSIST:
                ties.append((*key, previous[key]))
            continue
        if buddy_no is not None and buddy_no in key and MET_VIA_PROGRAMME[0] in (a["met_where"], b["met_where"]):
            p = 0.7
        else:
            p = TIE_P[tuple(sorted((a["kind"], b["kind"])))]
        if rng.random() < p:
            ties.append((*key, int(rng.choice([1, 2], p=[0.6, 0.4]))))
    return ties


TYPO_VARIANTS = {"小李": "小黎", "小王": "小汪", "小张": "小章", "小刘": "小柳"}


def _typo(rng, name):
    """Occasionally re-spell a nickname the way a second interviewer might hear it (the
    variants are never used as names, so a re-spelling cannot clash with another alter)."""
    return TYPO_VARIANTS.get(name, name) if rng.random() < 0.5 else name


def ego_networks(rng, ego_ids, programme, engagement, effects, buddies):
    """Name-generator tables for both waves.

    Returns
    -------
    alters_w1, alters_w2, ties_w1, ties_w2 : DataFrame
        ``alters_*``: ego_id, alter_no (row number in this wave's list), alter_id (persistent
        across waves; blank when the interviewer did not record it at wave 2), alter_name,
        relation, sex, age_band, closeness, contact, met_where.
        ``ties_*``: ego_id, source, target (``alter_no`` of the same wave), weight (1 = 认识,
        2 = 很熟).
    """
    rows1, rows2, ties1, ties2 = [], [], [], []
    for ego, prog, eng, (buddy_name, buddy_sex) in zip(ego_ids, programme, engagement, buddies):
        specs = _kin_specs(rng)
        used = {spec[3] for spec in specs} | {buddy_name} | set(TYPO_VARIANTS.values())
        for _ in range(rng.poisson(EXPECTED_NONKIN)):
            relation = str(rng.choice(NONKIN_RELATIONS, p=NONKIN_WEIGHTS))
            sex = str(rng.choice(["男", "女"]))
            specs.append(("nonkin", relation, str(rng.choice(MET_ORGANIC)), _nonkin_name(rng, relation, sex, used), sex))
        specs = specs[:MAX_ALTERS]
        w1 = [_alter(rng, k, r, m, nm, i + 1, sx) for i, (k, r, m, nm, sx) in enumerate(specs)]
        t1 = _ties(rng, w1)

        kept = [dict(a) for a in w1 if rng.random() >= effects.p_alter_lost]
        for a in kept:  # closeness among kept alters: programme non-kin ties grow closer
            if prog and a["kind"] == "nonkin" and rng.random() < 0.4:
                a["closeness"] = CLOSENESS[max(0, CLOSENESS.index(a["closeness"]) - 1)]
        new_specs = []
        buddy_no = None
        if prog:
            new_specs.append(("nonkin", BUDDY_RELATION, MET_BUDDY, buddy_name, buddy_sex))
            new_specs += _new_nonkin(rng, MET_VIA_PROGRAMME, rng.poisson(effects.new_nonkin_via_programme * eng), used)
        new_specs += _new_nonkin(rng, MET_ORGANIC, rng.poisson(effects.new_nonkin_organic), used)
        next_no = len(w1) + 1
        w2 = list(kept)
        for k, r, m, nm, sx in new_specs[: max(0, MAX_ALTERS - len(kept))]:
            alter = _alter(rng, k, r, m, nm, next_no, sx)
            if r == BUDDY_RELATION:
                buddy_no = next_no
                alter.update(closeness="亲近", contact="每周", age_band="18-29岁")
            w2.append(alter)
            next_no += 1
        kept_nos = {a["alter_no"] for a in kept}
        t2 = _ties(rng, w2, previous={(s, t): w for s, t, w in t1 if s in kept_nos and t in kept_nos},
                   buddy_no=buddy_no)

        # alter_no: row number within this wave's list (ties refer to it);
        # alter_id: the persistent id, blank when the wave-2 interviewer did not record it
        for row_no, a in enumerate(w1, start=1):
            rows1.append({"ego_id": ego, "alter_no": row_no, "alter_id": f"A{a['alter_no']:02d}", **_public(a)})
        w2_row_no = {}
        for row_no, a in enumerate(w2, start=1):
            w2_row_no[a["alter_no"]] = row_no
            recorded = a["alter_no"] not in kept_nos or rng.random() < ALTER_ID_RECORDED
            public = _public(a)
            if not recorded:
                public["alter_name"] = _typo(rng, public["alter_name"])
            rows2.append({"ego_id": ego, "alter_no": row_no,
                          "alter_id": f"A{a['alter_no']:02d}" if recorded else "", **public})
        ties1 += [{"ego_id": ego, "source": s, "target": t, "weight": w} for s, t, w in t1]
        ties2 += [{"ego_id": ego, "source": w2_row_no[s], "target": w2_row_no[t], "weight": w}
                  for s, t, w in t2]
    alter_cols = ["ego_id", "alter_no", "alter_id", "alter_name", "relation", "sex", "age_band",
                  "closeness", "contact", "met_where"]
    tie_cols = ["ego_id", "source", "target", "weight"]
    return (pd.DataFrame(rows1, columns=alter_cols), pd.DataFrame(rows2, columns=alter_cols),
            pd.DataFrame(ties1, columns=tie_cols), pd.DataFrame(ties2, columns=tie_cols))


def _public(alter):
    return {k: alter[k] for k in ("alter_name", "relation", "sex", "age_band", "closeness",
                                  "contact", "met_where")}


PARENT_ROLES = ("组长",) + ("副组长",) * 2 + ("核心家长",) * 8


def parents_group(rng, caregiver_ids, effects):
    """The parents' mutual-aid group: members and tie lists at both waves.

    Wave 1 ties form with probability ``2 × parents_density_w1`` for pairs with the leader and
    a lower probability for other pairs, so that the expected density is
    ``parents_density_w1``; wave-1 ties persist with probability 0.9 and new ties form so that the expected
    wave-2 density is ``parents_density_w2``.  Strength: 1 = 认识, 2 = 经常联系, 3 = 互相帮忙.
    """
    n = len(caregiver_ids)
    roles = [PARENT_ROLES[i] if i < len(PARENT_ROLES) else "核心家长" for i in range(n)]
    members = pd.DataFrame({"member_id": [f"P{i:02d}" for i in range(1, n + 1)],
                            "caregiver_id": list(caregiver_ids), "role": roles})
    ties1, ties2 = [], []
    d1, d2 = effects.parents_density_w1, effects.parents_density_w2
    n_pairs, n_leader_pairs = n * (n - 1) // 2, n - 1
    p_leader = min(1.0, 2 * d1)
    p_other = (n_pairs * d1 - n_leader_pairs * p_leader) / max(1, n_pairs - n_leader_pairs)
    p_new = (d2 - TIE_PERSIST * d1) / (1 - d1)
    for i, j in itertools.combinations(range(n), 2):
        p1 = p_leader if i == 0 else p_other
        s, t = members.member_id[i], members.member_id[j]
        had = rng.random() < p1
        if had:
            ties1.append({"source": s, "target": t, "strength": int(rng.choice([1, 2, 3], p=[0.5, 0.35, 0.15]))})
        if (had and rng.random() < TIE_PERSIST) or (not had and rng.random() < p_new):
            ties2.append({"source": s, "target": t, "strength": int(rng.choice([1, 2, 3], p=[0.25, 0.4, 0.35]))})
    cols = ["source", "target", "strength"]
    return members, pd.DataFrame(ties1, columns=cols), pd.DataFrame(ties2, columns=cols)
