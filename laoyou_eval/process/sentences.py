"""Process sentences in Chinese and English, generated from the summaries."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from laoyou_eval.config import SMALL_CELL_THRESHOLD
from laoyou_eval.formatting import format_count, format_number, format_percent, sentence
from laoyou_eval.i18n import label, text, wave_label
from laoyou_eval.process.records import _ensure
from laoyou_eval.process.summaries import (
    _month_range,
    activity_summary,
    contact_summary,
    job_summary,
    training_summary,
    venue_summary,
    volunteer_pipeline,
    volunteer_summary,
)

#: Small-cell threshold of counts of people in sentences (the package's one threshold).
SMALL_COUNT = SMALL_CELL_THRESHOLD


def people(n: int, threshold: int = SMALL_CELL_THRESHOLD) -> str:
    """A count of people for a sentence: the number, or "<5"/"不足 5" when it is small
    (:func:`laoyou_eval.formatting.format_count`).

    Examples
    --------
    >>> people(15), people(0)
    ('15', '0')
    """
    return format_count(n, threshold)


_sentence = sentence
_pct = format_percent


def _num(x: float, digits: int = 1) -> str:
    return format_number(x, digits)


def describe_contacts(contacts, volunteers: pd.DataFrame | None = None) -> str:
    """A sentence on the buddy contacts: pairs, contacts, hours, range per pair, main mode.

    Parameters
    ----------
    contacts : pandas.DataFrame
        The contact log (:func:`read_contacts`).
    volunteers : pandas.DataFrame, optional
        The roster, to say how many pairs are not matched on it.

    Returns
    -------
    str
        In the report language; every number is computed from ``contacts``.
    """
    pairs = contact_summary(contacts, "pair", volunteers)
    modes = contact_summary(contacts, "mode").sort_values("contact_hours", ascending=False, kind="stable")
    months = _month_range(_ensure(contacts, "contacts")["month"])
    n_pairs = len(pairs)
    if not n_pairs:
        return _sentence("结对陪伴记录中没有任何联系。", "The buddy contact log has no contacts.")
    hours, n_contacts = pairs["contact_hours"].sum(), pairs["contacts"].sum()
    per_pair = pairs["contact_hours"]
    top = modes.iloc[0]
    zh = (f"{people(n_pairs)} 对结对在 {months[0]} 至 {months[-1]} 共联系 {n_contacts:,} 次、{_num(hours)} 小时；"
          f"每对平均 {_num(per_pair.mean())} 小时（中位数 {_num(per_pair.median())}，范围 {_num(per_pair.min())}–"
          f"{_num(per_pair.max())}），平均每月 {_num(per_pair.mean() / len(months))} 小时。"
          f"时数最多的联系方式是{label(top['mode'])}（占 {_pct(top['share_hours'])}）。")
    en = (f"{people(n_pairs)} pairs met {n_contacts:,} times for {_num(hours)} hours between {months[0]} and "
          f"{months[-1]}: {_num(per_pair.mean())} hours per pair on average (median {_num(per_pair.median())}, "
          f"range {_num(per_pair.min())}–{_num(per_pair.max())}), {_num(per_pair.mean() / len(months))} hours a "
          f"month. The mode with most hours was {label(top['mode']).lower()} ({_pct(top['share_hours'])}).")
    if "matched" in pairs and not pairs["matched"].all():
        k = int((~pairs["matched"]).sum())
        zh += f"其中 {k} 对不在志愿者名册的结对中，需要核对。"
        en += f" {k} of the pairs are not matched on the volunteer roster and need checking."
    return _sentence(zh, en)


def describe_activities(attendance, enrolled: Mapping[str, int] | None = None,
                        activity: str | None = None) -> str:
    """A sentence on the activities: sessions and visits, people reached per type, venues.

    Parameters
    ----------
    attendance : pandas.DataFrame
        The sign-in log (:func:`read_attendance`).
    enrolled : mapping, optional
        Participant type -> people enrolled (:func:`enrolled_counts`), for "x of y reached".
    activity : str or None, default None
        The activity whose venues are described (e.g. one held at partner venues); None
        for no venue sentence.

    Returns
    -------
    str
    """
    by_activity = activity_summary(attendance, "activity", total=True)
    total = by_activity.iloc[-1]
    listing_zh = "、".join(f"{label(r.activity)} {r.sessions} 场" for r in by_activity.iloc[:-1].itertuples())
    listing_en = ", ".join(f"{label(r.activity).lower()} ({r.sessions})" for r in by_activity.iloc[:-1].itertuples())
    zh = f"共开展活动 {total['sessions']} 场（{listing_zh}），签到 {total['visits']:,} 人次。"
    en = f"{total['sessions']} sessions were held ({listing_en}), with {total['visits']:,} person-visits."
    if enrolled:
        by_type = activity_summary(attendance, "participant_type", enrolled=enrolled)
        order = {t: k for k, t in enumerate(enrolled)}
        by_type = by_type[by_type["enrolled"].notna()].sort_values(
            "participant_type", key=lambda s: s.map(order), kind="stable")
        reached = list(by_type.itertuples())
        zh += "参加过至少一次活动的：" + "，".join(
            f"{label(r.participant_type)} {people(r.n)} 人（共 {people(r.enrolled)} 人）" for r in reached) + "。"
        en += " At least once: " + ", ".join(
            f"{people(r.n)} of {people(r.enrolled)} {label(r.participant_type).lower()}" for r in reached) + "."
    if activity is not None:
        venues = venue_summary(attendance, activity)
        if len(venues):
            zh += (f"{label(activity)}在 {len(venues)} 个场地轮流开展（"
                   + "，".join(f"{label(r.venue)} {r.sessions} 场" for r in venues.itertuples()) + "）。")
            en += (f" The {label(activity).lower()} class rotated between {len(venues)} venues ("
                   + ", ".join(f"{label(r.venue)}: {r.sessions}" for r in venues.itertuples()) + ").")
    return _sentence(zh, en)


def describe_pipeline(volunteers, training: pd.DataFrame | None = None) -> str:
    """A sentence on the volunteer pipeline: trained = service team + reserve, hours, scores.

    Parameters
    ----------
    volunteers : pandas.DataFrame
        The roster (:func:`read_volunteers`).
    training : pandas.DataFrame, optional
        The training records (:func:`read_training`), for the modules.

    Returns
    -------
    str
    """
    stages = volunteer_pipeline(volunteers).set_index("stage")["n"]
    summary = volunteer_summary(volunteers, training).set_index("status").loc["all"]
    left = int(stages.get("left", 0))
    zh = (f"共培训志愿者 {people(stages['trained'])} 人，其中 {people(stages['service_team'])} 人进入服务队、"
          f"与居民一对一结对（已结对 {people(stages['matched_one_to_one'])} 对），{people(stages['reserve'])} 人作为后备"
          + (f"，{people(left)} 人已退出" if left else "") + "。")
    en = (f"{people(stages['trained'])} volunteers were trained: {people(stages['service_team'])} joined the service "
          f"team and were matched 1-on-1 with a resident ({people(stages['matched_one_to_one'])} pairs), "
          f"{people(stages['reserve'])} are in reserve" + (f" and {people(left)} left" if left else "") + ".")
    zh += (f"人均培训 {_num(summary['training_hours_mean'])} 学时（{_num(summary['training_hours_min'], 0)}–"
           f"{_num(summary['training_hours_max'], 0)}），考核平均 {_num(summary['assessment_mean'])} 分。")
    en += (f" They had {_num(summary['training_hours_mean'])} hours of training on average "
           f"({_num(summary['training_hours_min'], 0)}–{_num(summary['training_hours_max'], 0)}) and a mean "
           f"assessment score of {_num(summary['assessment_mean'])}.")
    if training is not None:
        modules = training_summary(training)
        low, high = _pct(modules["attendance_rate"].min()), _pct(modules["attendance_rate"].max())
        zh += f"培训分 {len(modules)} 个模块，各模块出勤率 {low}–{high}。"
        en += f" Training had {len(modules)} modules, with attendance of {low}–{high}."
    return _sentence(zh, en)


def describe_jobs(jobs, n_programme: int | None = None) -> str:
    """A sentence on the supported-job placements that singles nobody out.

    Parameters
    ----------
    jobs : pandas.DataFrame
        The placements (:func:`read_jobs`).
    n_programme : int, optional
        Residents in the programme, for "x of y".

    Returns
    -------
    str
        Counts below 5 are written "fewer than 5" (as report tables show "<5"), and then
        neither the employer of each person nor the number still in post is given.
    """
    summary = job_summary(jobs)
    total = summary.iloc[-1]
    n = int(total["n"])
    if n == 0:
        return text("随访期间没有居民获得辅助性就业岗位。", "No resident took up a supported job before the follow-up.")
    of = (text(f"（项目组共 {people(n_programme)} 人）", f" (of {people(n_programme)} in the programme)")
          if n_programme else "")
    kinds_zh = "、".join(label(k) for k in summary["employer_type"].iloc[:-1])
    kinds_en = ", ".join(label(k).lower() for k in summary["employer_type"].iloc[:-1])
    zh = (f"{people(n)} 位居民{of}在离家近的岗位实现辅助性就业（{kinds_zh}），每周 "
          f"{_num(total['hours_per_week_min'], 0)}–{_num(total['hours_per_week_max'], 0)} 小时，"
          f"离家最远 {_num(total['km_max'])} 公里")
    en = (f"{people(n)} residents{of} took up supported jobs near home ({kinds_en}), working "
          f"{_num(total['hours_per_week_min'], 0)}–{_num(total['hours_per_week_max'], 0)} hours a week at most "
          f"{_num(total['km_max'])} km from home")
    if n >= SMALL_CELL_THRESHOLD:
        zh += f"；随访时 {_pct(total['share_in_post'])} 仍在岗。"
        en += f"; {_pct(total['share_in_post'])} were still in post at follow-up."
    else:
        zh += "。人数很少，为避免识别到个人，不再细分报告。"
        en += ". With so few people, nothing finer is reported, so that no one can be identified."
    return _sentence(zh, en)


def proxy_sentence(answers, arm: str = "programme") -> str:
    """Limitation: residents' questionnaires answered by a family member (proxy).

    Parameters
    ----------
    answers : pandas.DataFrame
        :func:`laoyou_eval.process.answered_by`.
    arm : str, default "programme"

    Returns
    -------
    str
    """
    part = answers[answers["arm"] == arm]
    totals = part.groupby("wave")["n"].sum()
    shares = part[part["proxy"]].groupby("wave")["n"].sum().reindex(totals.index, fill_value=0) / totals
    zh_list = "、".join(f"{wave_label(w)} {_pct(s)}" for w, s in shares.items())
    en_list = ", ".join(f"{_pct(s)} ({wave_label(w).lower()})" for w, s in shares.items())
    zh = (f"代答：{label(arm)}居民的问卷由家人代答的比例为 {zh_list}。代答反映的是家人对居民感受的判断，"
          f"孤独感、社会支持这类主观感受尤其可能与本人的回答不同；两波代答比例不同也会造成“变化”。")
    en = (f"Proxy answers: a family member answered for the resident in {en_list} of the {label(arm).lower()} "
          f"group's questionnaires. Proxies report the family's view of how the resident feels, which may differ "
          f"from the resident's own answers, especially on loneliness and support; a changing share of proxy "
          f"answers can also look like change.")
    return _sentence(zh, en)
