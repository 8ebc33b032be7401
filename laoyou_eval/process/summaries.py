"""Process summaries: what the programme delivered, to whom and how much (contacts,
activities, venues, the volunteer pipeline, training, jobs, who answered).  Results are
language-neutral tables: ``note`` columns hold codes (:func:`laoyou_eval.i18n.explain`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from laoyou_eval.errors import LaoyouError
from laoyou_eval.i18n import join_notes
from laoyou_eval.process.records import FILES, ProcessRecords, _ensure, _text, read_volunteers  # noqa: F401


def overview(records: ProcessRecords) -> pd.DataFrame:
    """One row per process record: what it is, how many rows, which dates it covers.

    Parameters
    ----------
    records : ProcessRecords

    Returns
    -------
    pandas.DataFrame
        ``record`` (contacts_log, attendance_log, volunteer_roster, training_log,
        job_placements), ``rows`` (int), ``first_date``, ``last_date`` ("YYYY-MM-DD"; NA
        for the roster, which has no dates).
    """
    def span(dates):
        if dates is None or dates.empty:
            return pd.NA, pd.NA
        return dates.min().strftime("%Y-%m-%d"), dates.max().strftime("%Y-%m-%d")

    rows = []
    for key, frame, dates in (("contacts_log", records.contacts, records.contacts["date"]),
                              ("attendance_log", records.attendance, records.attendance["date"]),
                              ("volunteer_roster", records.volunteers, None),
                              ("training_log", records.training, records.training["date"]),
                              ("job_placements", records.jobs, records.jobs["start_date"])):
        first, last = span(dates)
        rows.append({"record": key, "rows": len(frame), "first_date": first, "last_date": last})
    return pd.DataFrame(rows).astype({"rows": "int64"})


# --------------------------------------------------------------------------- contacts
_BY_CONTACTS = {"pair": ["volunteer_id", "resident_id"], "month": ["month"], "mode": ["mode"]}


def _month_range(months: pd.Series) -> list[str]:
    if months.empty:
        return []
    periods = pd.PeriodIndex(months, freq="M")
    return [str(p) for p in pd.period_range(periods.min(), periods.max(), freq="M")]


def contact_summary(contacts, by: str | Sequence[str] = "pair", volunteers: pd.DataFrame | None = None) -> pd.DataFrame:
    """Buddy contacts and hours per pair, per month, per mode, or any combination.

    Parameters
    ----------
    contacts : pandas.DataFrame
        The contact log (:func:`read_contacts`; a text table is converted first).
    by : str or sequence of str, default "pair"
        Any of ``"pair"`` (volunteer and resident), ``"month"``, ``"mode"``.
    volunteers : pandas.DataFrame, optional
        The volunteer roster (:func:`read_volunteers`); with ``"pair"`` in ``by`` it adds
        ``matched``: whether the roster matches this volunteer with this resident.

    Returns
    -------
    pandas.DataFrame
        One row per group, sorted by the keys:

        - the keys: ``volunteer_id`` and ``resident_id`` (pair), ``month`` ("YYYY-MM"),
          ``mode``;
        - ``contacts`` – number of contacts (int);
        - ``contact_hours`` – sum of minutes / 60 (contacts with blank minutes add none);
        - ``mean_minutes`` – mean length of a timed contact (NaN when there is none);
        - ``share_hours`` – ``contact_hours`` as a share of all hours in the log;
        - ``pairs`` – pairs with at least one contact (only without ``"pair"`` in ``by``);
        - ``months_with_contact`` – calendar months with at least one contact (only without
          ``"month"`` in ``by``);
        - ``matched`` – only with ``"pair"`` and ``volunteers``;
        - ``note`` – untimed contacts, a pair not matched on the roster ("" when nothing).

    Notes
    -----
    With ``"month"`` in ``by`` every month from the first to the last contact of the log is
    listed for every pair (and mode) in the log, with 0 contacts and 0 hours where there was
    none: a month without contact is a dose of zero, not a missing value.  The first and last
    months are usually partial (the programme starts and the follow-up closes within them).
    Hours are summed before rounding; sum over pairs = sum over months = all minutes / 60.

    Examples
    --------
    >>> log = pd.DataFrame({"volunteer_id": ["V1", "V1"], "resident_id": ["R1", "R1"],
    ...                     "date": ["2024-04-01", "2024-05-02"], "mode": ["电话", "上门探访"],
    ...                     "minutes": ["30", "90"]})
    >>> contact_summary(log)[["contacts", "contact_hours", "months_with_contact"]].values.tolist()
    [[2.0, 2.0, 2.0]]
    """
    contacts = _ensure(contacts, "contacts")
    by = [by] if isinstance(by, str) else list(by)
    unknown = [b for b in by if b not in _BY_CONTACTS]
    if unknown or not by:
        raise LaoyouError(f"by 只能取 pair、month、mode，这里是 {unknown or by!r}。",
                          f"by must be drawn from pair, month, mode; got {unknown or by!r}.")
    keys = [k for b in by for k in _BY_CONTACTS[b]]
    frame = contacts.assign(hours=contacts["minutes"] / 60.0, timed=contacts["minutes"].notna(),
                            pair=contacts["volunteer_id"] + "\x1f" + contacts["resident_id"])
    grouped = frame.groupby(keys, sort=True)
    out = grouped.agg(contacts=("hours", "size"), contact_hours=("hours", "sum"), minutes=("minutes", "sum"),
                      timed=("timed", "sum"))
    if "pair" not in by:
        out["pairs"] = grouped["pair"].nunique()
    if "month" not in by:
        out["months_with_contact"] = grouped["month"].nunique()
    if "month" in by:
        other = [k for k in keys if k != "month"]
        combos = frame[other].drop_duplicates().sort_values(other) if other else pd.DataFrame(index=[0])
        grid = combos.merge(pd.DataFrame({"month": _month_range(contacts["month"])}), how="cross")[keys]
        out = grid.merge(out.reset_index(), on=keys, how="left").set_index(keys)
        fill = {c: 0 for c in ("contacts", "contact_hours", "minutes", "timed", "pairs") if c in out}
        out = out.fillna(fill)
    out = out.reset_index()
    out["contacts"] = out["contacts"].astype("int64")
    if "pairs" in out:
        out["pairs"] = out["pairs"].astype("int64")
    if "months_with_contact" in out:
        out["months_with_contact"] = out["months_with_contact"].astype("int64")
    out["mean_minutes"] = (out["minutes"] / out["timed"]).where(out["timed"] > 0)
    total = frame["hours"].sum()
    out["share_hours"] = out["contact_hours"] / total if total > 0 else np.nan
    untimed = (out["contacts"] - out["timed"]).astype("int64")
    notes = [f"untimed_contacts={k}" if k else "" for k in untimed]
    if "pair" in by and volunteers is not None:
        volunteers = _ensure(volunteers, "volunteers")
        roster = set(zip(volunteers["volunteer_id"], volunteers["matched_resident_id"]))
        out["matched"] = [(v, r) in roster for v, r in zip(out["volunteer_id"], out["resident_id"])]
        notes = [n if m else join_notes([n, "pair_not_on_roster"]) for n, m in zip(notes, out["matched"])]
    out["note"] = notes
    columns = keys + ["contacts", "contact_hours", "mean_minutes", "share_hours"]
    columns += [c for c in ("pairs", "months_with_contact", "matched") if c in out] + ["note"]
    return out[columns]


# --------------------------------------------------------------------------- activities
_BY_ATTENDANCE = ("activity", "participant_type", "venue", "month")


def activity_summary(attendance, by: str | Sequence[str] = ("activity", "participant_type"),
                     enrolled: Mapping[str, int] | None = None, total: bool = False) -> pd.DataFrame:
    """Sessions, person-visits and people reached per activity (and participant type, venue, month).

    Parameters
    ----------
    attendance : pandas.DataFrame
        The sign-in log (:func:`read_attendance`; a text table is converted first).
    by : str or sequence of str, default ("activity", "participant_type")
        Any of ``"activity"``, ``"participant_type"``, ``"venue"``, ``"month"``.
    enrolled : mapping, optional
        Participant type -> number of people who could take part (e.g. from
        :func:`enrolled_counts`); with ``"participant_type"`` in ``by`` it adds ``enrolled``
        and ``reach``.
    total : bool, default False
        Add a last row ``"total"`` over the whole log (sessions held, all visits, all
        distinct people).

    Returns
    -------
    pandas.DataFrame
        One row per group, most visits first:

        - the ``by`` columns;
        - ``sessions`` – distinct sessions with at least one sign-in of the group;
        - ``visits`` – person-visits (sign-in rows);
        - ``n`` – distinct people reached (int; shown as "<5" in report tables when small);
        - ``visits_per_session`` – ``visits / sessions``;
        - ``sessions_per_person`` – ``visits / n``, sessions attended per person reached;
        - ``enrolled``, ``reach`` (= ``n / enrolled``) – only with ``"participant_type"`` in
          ``by`` and ``enrolled`` (NA for a type not in ``enrolled``);
        - ``note`` – e.g. more people reached than enrolled (ids not on the roster).

    Notes
    -----
    People are counted by (participant type, participant id), so the same id used for a
    resident and a caregiver is two people.  A sign-in twice to one session is an error when
    reading, so visits never double-count.
    """
    attendance = _ensure(attendance, "attendance")
    by = [by] if isinstance(by, str) else list(by)
    unknown = [b for b in by if b not in _BY_ATTENDANCE]
    if unknown or not by:
        raise LaoyouError(f"by 只能取 {', '.join(_BY_ATTENDANCE)}，这里是 {unknown or by!r}。",
                          f"by must be drawn from {', '.join(_BY_ATTENDANCE)}; got {unknown or by!r}.")
    frame = attendance.assign(month=attendance["date"].dt.strftime("%Y-%m"),
                              person=attendance["participant_type"] + "\x1f" + attendance["participant_id"])

    def summarise(groups):
        return groups.agg(sessions=("session_id", "nunique"), visits=("session_id", "size"), n=("person", "nunique"))

    out = summarise(frame.groupby(by, sort=True)).reset_index()
    out = out.sort_values("visits", ascending=False, kind="stable").reset_index(drop=True)
    if total:
        whole = summarise(frame.assign(_all=0).groupby("_all")).reset_index(drop=True)
        out = pd.concat([out, whole.assign(**{b: "total" for b in by})[out.columns]], ignore_index=True)
    out = out.astype({"sessions": "int64", "visits": "int64", "n": "int64"})
    out["visits_per_session"] = out["visits"] / out["sessions"]
    out["sessions_per_person"] = out["visits"] / out["n"]
    notes = [""] * len(out)
    if enrolled is not None and "participant_type" in by:
        out["enrolled"] = out["participant_type"].map(dict(enrolled)).astype("Int64")
        out["reach"] = (out["n"] / out["enrolled"].astype("Float64")).astype(float)
        over = (out["enrolled"].notna() & (out["n"] > out["enrolled"])).fillna(False).to_numpy(bool)
        notes = ["more_than_enrolled" if o else "" for o in over]
    out["note"] = notes
    return out


def venue_summary(attendance, activity: str | None = None) -> pd.DataFrame:
    """Sessions, visits and people per venue (e.g. the partner venues of one activity).

    Parameters
    ----------
    attendance : pandas.DataFrame
        The sign-in log (:func:`read_attendance`).
    activity : str or None, default None
        Only this activity's sessions; None for all activities.

    Returns
    -------
    pandas.DataFrame
        One row per venue: ``venue``, ``sessions``, ``visits``, ``n`` (distinct people),
        ``visits_per_session``, ``sessions_per_person``, ``first_date``, ``last_date``
        ("YYYY-MM-DD"), ``note``; in order of the first session.
    """
    attendance = _ensure(attendance, "attendance")
    if activity is not None:
        attendance = attendance[attendance["activity"] == activity]
    out = activity_summary(attendance, by="venue") if len(attendance) else pd.DataFrame(
        columns=["venue", "sessions", "visits", "n", "visits_per_session", "sessions_per_person", "note"])
    dates = attendance.groupby("venue")["date"].agg(["min", "max"])
    out.insert(6, "first_date", out["venue"].map(dates["min"].dt.strftime("%Y-%m-%d")))
    out.insert(7, "last_date", out["venue"].map(dates["max"].dt.strftime("%Y-%m-%d")))
    return out.sort_values(["first_date", "venue"], kind="stable").reset_index(drop=True)


def enrolled_counts(study_dir, volunteers: pd.DataFrame | None = None) -> dict[str, int]:
    """How many people could take part in the activities, per participant type.

    Parameters
    ----------
    study_dir : str or Path
        The study folder (its roster gives the programme arm).
    volunteers : pandas.DataFrame, optional
        The volunteer roster (:func:`read_volunteers`): every volunteer on it counts.

    Returns
    -------
    dict
        ``{"居民": programme residents, "家长": their caregivers, "志愿者": volunteers}``
        (the participant types of the sign-in log); no identifiers.
    """
    from laoyou_eval import study

    arms = study.arms(study_dir)
    programme = arms[arms["arm"] == "programme"]
    out = {"居民": int(programme.loc[programme.population == "residents", "respondent_id"].nunique()),
           "家长": int(programme.loc[programme.population == "caregivers", "respondent_id"].nunique())}
    if volunteers is not None:
        out["志愿者"] = int(volunteers["volunteer_id"].nunique())
    return out


# --------------------------------------------------------------------------- volunteers
def volunteer_pipeline(volunteers) -> pd.DataFrame:
    """The volunteer pipeline: trained → service team (matched 1-on-1) / reserve.

    Parameters
    ----------
    volunteers : pandas.DataFrame
        The volunteer roster (:func:`read_volunteers`; a text table is converted first).

    Returns
    -------
    pandas.DataFrame
        One row per stage: ``stage`` (trained, service_team, matched_one_to_one, reserve,
        and left when anyone left), ``n`` (volunteers, int), ``share_of_trained``,
        ``note``.

    Notes
    -----
    Everyone on the roster has been trained (the roster lists trained volunteers; a
    volunteer with 0 training hours is noted).  trained = service_team + reserve + left
    exactly; matched_one_to_one counts service-team volunteers with a matched resident.
    """
    volunteers = _ensure(volunteers, "volunteers")
    status = volunteers["status"]
    trained = len(volunteers)
    untrained = int((volunteers["training_hours"] <= 0).sum())
    rows = [("trained", trained, f"untrained={untrained}" if untrained else ""),
            ("service_team", int((status == "service_team").sum()), ""),
            ("matched_one_to_one", int(((status == "service_team") & (volunteers["matched_resident_id"] != "")).sum()),
             ""),
            ("reserve", int((status == "reserve").sum()), "")]
    if (status == "left").any():
        rows.append(("left", int((status == "left").sum()), ""))
    out = pd.DataFrame(rows, columns=["stage", "n", "note"]).astype({"n": "int64"})
    out.insert(2, "share_of_trained", out["n"] / trained if trained else np.nan)
    return out


def volunteer_summary(volunteers, training: pd.DataFrame | None = None) -> pd.DataFrame:
    """Training hours and assessment scores per volunteer status, and for all volunteers.

    Parameters
    ----------
    volunteers : pandas.DataFrame
        The volunteer roster (:func:`read_volunteers`).
    training : pandas.DataFrame, optional
        The training records (:func:`read_training`): adds the modules attended and checks
        each volunteer's ``training_hours`` against the hours of the modules attended.

    Returns
    -------
    pandas.DataFrame
        One row per status (service_team, reserve, left) and a last row ``all``:
        ``status``, ``n``, ``training_hours_mean``, ``training_hours_min``,
        ``training_hours_max``, ``assessment_mean``, ``assessment_sd`` (n − 1),
        ``assessment_min``, ``assessment_max``, ``modules_attended_mean`` (with
        ``training``), ``hours_mismatch`` (with ``training``: volunteers whose roster hours
        differ from the logged hours), ``note``.

    Notes
    -----
    Blank assessment scores are left out of the score columns and counted in ``note``.
    No names, phones or birth years are returned.
    """
    volunteers = _ensure(volunteers, "volunteers")
    frame = volunteers.copy()
    if "assessment_score" not in frame:
        frame["assessment_score"] = np.nan
    if training is not None:
        training = _ensure(training, "training")
        attended = training[training["attended"]]
        logged = attended.groupby("volunteer_id")["hours"].sum()
        modules = attended.groupby("volunteer_id")["module"].nunique()
        frame["modules"] = frame["volunteer_id"].map(modules).fillna(0)
        frame["mismatch"] = ~np.isclose(frame["volunteer_id"].map(logged).fillna(0.0), frame["training_hours"])
    rows = []
    order = [s for s in ("service_team", "reserve", "left") if (frame["status"] == s).any()]
    for status, part in [(s, frame[frame["status"] == s]) for s in order] + [("all", frame)]:
        score = part["assessment_score"].dropna()
        row = {"status": status, "n": len(part), "training_hours_mean": part["training_hours"].mean(),
               "training_hours_min": part["training_hours"].min(), "training_hours_max": part["training_hours"].max(),
               "assessment_mean": score.mean() if len(score) else np.nan,
               "assessment_sd": score.std(ddof=1) if len(score) > 1 else np.nan,
               "assessment_min": score.min() if len(score) else np.nan,
               "assessment_max": score.max() if len(score) else np.nan}
        if training is not None:
            row["modules_attended_mean"] = part["modules"].mean()
            row["hours_mismatch"] = int(part["mismatch"].sum())
        blank = len(part) - len(score)
        row["note"] = f"no_assessment_score={blank}" if blank else ""
        rows.append(row)
    out = pd.DataFrame(rows).astype({"n": "int64"})
    if "hours_mismatch" in out:
        out["hours_mismatch"] = out["hours_mismatch"].astype("int64")
    return out


def training_summary(training) -> pd.DataFrame:
    """Attendance per training module.

    Parameters
    ----------
    training : pandas.DataFrame
        The training records (:func:`read_training`; a text table is converted first).

    Returns
    -------
    pandas.DataFrame
        One row per module in date order: ``module``, ``date`` ("YYYY-MM-DD", the first
        date of the module), ``hours`` (of the module; the largest when rows differ), ``n``
        (volunteers who attended), ``attendance_rate`` (attended / volunteers listed for
        the module).
    """
    training = _ensure(training, "training")
    grouped = training.groupby("module", sort=False)
    out = grouped.agg(date=("date", "min"), hours=("hours", "max"), n=("attended", "sum"), listed=("attended", "size"))
    out = out.reset_index().sort_values(["date", "module"], kind="stable").reset_index(drop=True)
    out["attendance_rate"] = out["n"] / out["listed"]
    out["date"] = out["date"].dt.strftime("%Y-%m-%d")
    return out.astype({"n": "int64"})[["module", "date", "hours", "n", "attendance_rate"]]


# --------------------------------------------------------------------------- jobs
def job_summary(jobs, by: str | None = "employer_type") -> pd.DataFrame:
    """Supported-job placements per employer type, and in total.

    Parameters
    ----------
    jobs : pandas.DataFrame
        The placements (:func:`read_jobs`; a text table is converted first).
    by : str or None, default "employer_type"
        Grouping column; None for the total row only.

    Returns
    -------
    pandas.DataFrame
        One row per employer type (most placements first) and a last row ``total``:
        ``employer_type``, ``n`` (people placed, int; "<5" in report tables when small),
        ``hours_per_week_mean``, ``hours_per_week_min``, ``hours_per_week_max``,
        ``km_mean``, ``km_max`` (distance from home; blanks left out), ``share_in_post``
        (share still in post at follow-up).

    Notes
    -----
    ``n`` counts distinct residents: a resident placed twice counts once in ``n``, while
    hours and distances are averaged over placements.  With few placements every row is
    one or two people — report tables then show "<5", and the placements should be
    described in words that single nobody out.
    """
    jobs = _ensure(jobs, "jobs")

    def one(part):
        return {"n": part["resident_id"].nunique(), "hours_per_week_mean": part["hours_per_week"].mean(),
                "hours_per_week_min": part["hours_per_week"].min(), "hours_per_week_max": part["hours_per_week"].max(),
                "km_mean": part["km_from_home"].mean(), "km_max": part["km_from_home"].max(),
                "share_in_post": part["in_post"].mean() if len(part) else np.nan}

    rows = []
    if by is not None:
        for key, part in jobs.groupby(by, sort=True):
            rows.append({"employer_type": key, **one(part)})
    rows = sorted(rows, key=lambda r: -r["n"])
    rows.append({"employer_type": "total", **one(jobs)})
    return pd.DataFrame(rows).astype({"n": "int64"})


# --------------------------------------------------------------------------- who answered
PROXY_WORDS = ("代答", "代填", "proxy")


def answered_by(coded, population: str = "residents", question: str = "respondent_type") -> pd.DataFrame:
    """Who answered the questionnaires, per wave and arm: the person, helped, or a proxy.

    Parameters
    ----------
    coded : laoyou_eval.intake.CodedStudy
        Output of :func:`laoyou_eval.intake.code_surveys`.
    population : str, default "residents"
    question : str, default "respondent_type"
        The codebook question recording who filled in the form.

    Returns
    -------
    pandas.DataFrame
        One row per wave, arm and answer: ``wave``, ``arm``, ``answered_by`` (the choice's
        Chinese label as written in the codebook; "blank" when not answered),
        ``answered_by_en`` (its English label), ``proxy`` (bool: the label says
        代答/代填/proxy), ``n`` (respondents), ``share`` (within wave and arm).  The result
        does not depend on the report language.
        Empty when the survey has no such question.
    """
    rows = []
    arms = coded.arms[coded.arms.population == population].drop_duplicates("respondent_id").set_index(
        "respondent_id")["arm"]
    for (pop, wave), survey in sorted(coded.surveys.items(), key=lambda kv: kv[0][1]):
        if pop != population or question not in survey.data:
            continue
        book = survey.codebook
        list_name = book.questions(wave).set_index("name").loc[question, "list_name"]
        choices = book.choice_list(list_name)
        zh_labels = dict(zip(choices["name"].astype(str), choices["label::zh"]))
        en_labels = dict(zip(choices["name"].astype(str), choices["label::en"]))
        data = survey.data
        codes = data[question].astype("string").str.replace(r"\.0$", "", regex=True)
        frame = pd.DataFrame({"arm": data[book.id_column].map(arms).fillna("unmatched"),
                              "code": codes.fillna("")})
        for (arm, code), part in frame.groupby(["arm", "code"], sort=True):
            words = f"{zh_labels.get(code, '')} {en_labels.get(code, '')}".lower()
            rows.append({"wave": wave, "arm": arm, "answered_by": zh_labels.get(code, "blank") if code else "blank",
                         "answered_by_en": en_labels.get(code, "blank") if code else "blank",
                         "proxy": any(w in words for w in PROXY_WORDS), "n": len(part), "code": code})
    if not rows:
        return pd.DataFrame(columns=["wave", "arm", "answered_by", "answered_by_en", "proxy", "n", "share"])
    out = pd.DataFrame(rows)
    out["share"] = out["n"] / out.groupby(["wave", "arm"])["n"].transform("sum")
    order = {"programme": 0, "comparison": 1}
    out = out.sort_values(["wave", "arm", "code"], key=lambda s: s.map(order).fillna(9) if s.name == "arm" else s,
                          kind="stable")
    return out.drop(columns="code").reset_index(drop=True).astype({"n": "int64"})
