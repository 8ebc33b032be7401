"""Process and dosage: what the programme delivered, to whom, and how much.

The process records of a study folder (``process/`` in ``data/raw/demo/``) are read into typed
tables and summarised:

* buddy contacts (``buddy_contacts.csv``) — contacts, hours and modes per pair, per month,
  per mode (:func:`contact_summary`);
* activities (``activity_attendance.csv``) — sessions, person-visits and people reached per
  activity and participant type, and the partner venues (:func:`activity_summary`,
  :func:`venue_summary`);
* the volunteer pipeline (``volunteers.csv``, ``volunteer_training.csv``) — trained → service
  team → reserve, training hours, module attendance and assessment scores
  (:func:`volunteer_pipeline`, :func:`volunteer_summary`, :func:`training_summary`);
* supported-job placements (``job_placements.csv``) — employer type, hours, distance, still in
  post (:func:`job_summary`);
* who answered the residents' questionnaires, self or proxy (:func:`answered_by`).

Privacy: the volunteer roster holds names and phone numbers; :func:`read_volunteers` keeps
only the columns listed in :data:`VOLUNTEER_COLUMNS`, so they never reach a result.  Counts of
people are in columns named ``n`` (or ``count``), which report tables show as "<5" when small.

>>> from laoyou_eval import config, process
>>> records = process.read_process(config.DEMO_STUDY_DIR)                 # doctest: +SKIP
>>> process.volunteer_pipeline(records.volunteers)                        # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from laoyou_eval.errors import LaoyouError
from laoyou_eval.i18n import text

__all__ = ["FILES", "ProcessRecords", "read_process", "read_contacts", "read_attendance",
           "read_volunteers", "read_training", "read_jobs", "contact_summary", "activity_summary", "venue_summary",
           "enrolled_counts", "volunteer_pipeline", "volunteer_summary", "training_summary", "job_summary",
           "answered_by", "overview", "people", "describe_contacts", "describe_activities", "describe_pipeline",
           "describe_jobs"]

#: Process files of a study folder.
FILES = {"contacts": "process/buddy_contacts.csv", "attendance": "process/activity_attendance.csv",
         "volunteers": "process/volunteers.csv", "training": "process/volunteer_training.csv",
         "jobs": "process/job_placements.csv"}

#: The only columns kept from the volunteer roster (names and phone numbers are never kept).
VOLUNTEER_COLUMNS = ("volunteer_id", "sex", "birth_year", "school", "training_hours", "assessment_score", "status",
                     "matched_resident_id")

#: Volunteer status as written in the roster -> stage key.
VOLUNTEER_STATUS = {"服务队": "service_team", "后备": "reserve", "已退出": "left", "退出": "left",
                    "service_team": "service_team", "service": "service_team", "reserve": "reserve", "left": "left"}
#: Job status at follow-up as written -> still in post.
IN_POST = {"在岗": True, "已离职": False, "离职": False, "in post": True, "in_post": True, "left": False}
#: Yes/no answers of the training records.
YES_NO = {"是": True, "否": False, "yes": True, "no": False, "1": True, "0": False, "true": True, "false": False}

#: Small-cell threshold of counts of people in generated sentences (same as report tables).
SMALL_COUNT = 5


# --------------------------------------------------------------------------- reading
def _source(table: pd.DataFrame, file) -> str | Path | None:
    return file if file is not None else table.attrs.get("source")


def _require(table: pd.DataFrame, columns: Sequence[str], file, what_zh: str, what_en: str) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise LaoyouError(f"{what_zh}缺少列：{', '.join(missing)}。",
                          f"The {what_en} lacks column(s): {', '.join(missing)}.",
                          file=file, column=missing[0],
                          hint_zh=f"需要的列：{', '.join(columns)}（参照 data/raw/demo/{_example_path(what_en)}）。",
                          hint_en=f"required columns: {', '.join(columns)} "
                                  f"(see data/raw/demo/{_example_path(what_en)}).")


def _example_path(what_en: str) -> str:
    """The demo file that shows the layout of a process record (for error hints)."""
    return {"buddy contact log": FILES["contacts"], "activity attendance": FILES["attendance"],
            "volunteer roster": FILES["volunteers"], "training record": FILES["training"],
            "job placement table": FILES["jobs"]}.get(what_en, "process/")


def _text(series: pd.Series) -> pd.Series:
    """Strings with surrounding spaces removed; missing values become ""."""
    return series.astype(object).where(series.notna(), "").astype(str).str.strip()


def _bad(file, position: int, column: str, value, zh: str, en: str, hint_zh: str = "", hint_en: str = ""):
    return LaoyouError(f"“{column}”的值 {value!r} 无效：{zh}", f"Invalid value {value!r} in {column!r}: {en}",
                       file=file, row=position + 2, column=column, hint_zh=hint_zh or None, hint_en=hint_en or None)


def _numbers(table: pd.DataFrame, column: str, file, *, minimum: float | None = None,
             maximum: float | None = None, blank: bool = False, integer: bool = False) -> pd.Series:
    """A float column from text; the first bad value is an error naming its row."""
    raw = table[column]
    if pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype):
        values = raw.astype(float)
        shown = raw.astype(object)
        empty = values.isna()
    else:
        shown = _text(raw)
        empty = shown == ""
        values = pd.to_numeric(shown.where(~empty), errors="coerce").astype(float)
        wrong = values.isna() & ~empty
        if wrong.any():
            k = int(np.flatnonzero(wrong.to_numpy())[0])
            raise _bad(file, k, column, shown.iloc[k], "不是数字。", "not a number.",
                       "只填数字，不要带单位。", "write a plain number, without units.")
    if empty.any() and not blank:
        k = int(np.flatnonzero(empty.to_numpy())[0])
        raise LaoyouError(f"“{column}”不能为空。", f"{column!r} must not be blank.", file=file, row=k + 2, column=column)
    out_of_range = pd.Series(False, index=values.index)
    if minimum is not None:
        out_of_range |= values < minimum
    if maximum is not None:
        out_of_range |= values > maximum
    if integer:
        out_of_range |= values.notna() & (values != values.round())
    if out_of_range.any():
        k = int(np.flatnonzero(out_of_range.to_numpy())[0])
        bounds = f"{minimum if minimum is not None else '-∞'}–{maximum if maximum is not None else '∞'}"
        raise _bad(file, k, column, shown.iloc[k], f"应在 {bounds} 之间{'且为整数' if integer else ''}。",
                   f"must lie in {bounds}{' and be a whole number' if integer else ''}.")
    return values


def _dates(table: pd.DataFrame, column: str, file) -> pd.Series:
    """Dates written 2024-03-30, 2024/3/30 or 2024.3.30 (a time of day is ignored)."""
    raw = table[column]
    if pd.api.types.is_datetime64_any_dtype(raw.dtype):
        values = raw.dt.normalize()
        missing = values.isna()
        shown = raw.astype(object)
    else:
        shown = _text(raw)
        day = shown.str.split().str[0].fillna("").str.replace(r"[/.]", "-", regex=True)
        values = pd.to_datetime(day, format="%Y-%m-%d", errors="coerce")
        missing = values.isna()
    if missing.any():
        k = int(np.flatnonzero(missing.to_numpy())[0])
        raise _bad(file, k, column, shown.iloc[k], "不是日期。", "not a date.",
                   "日期写成 2024-03-30 的形式。", "write dates as 2024-03-30.")
    return values


def _ids(table: pd.DataFrame, column: str, file, *, blank: bool = False) -> pd.Series:
    values = _text(table[column])
    if not blank and (values == "").any():
        k = int(np.flatnonzero((values == "").to_numpy())[0])
        raise LaoyouError(f"“{column}”不能为空。", f"{column!r} must not be blank.", file=file, row=k + 2, column=column)
    return values


def _mapped(table: pd.DataFrame, column: str, file, mapping: Mapping[str, object]) -> pd.Series:
    shown = _text(table[column])
    keys = shown.str.lower()
    lookup = {str(k).lower(): v for k, v in mapping.items()}
    bad = ~keys.isin(list(lookup))
    if bad.any():
        k = int(np.flatnonzero(bad.to_numpy())[0])
        allowed = "、".join(dict.fromkeys(str(k) for k in mapping))
        raise _bad(file, k, column, shown.iloc[k], f"只能是 {allowed} 之一。", f"must be one of {allowed}.")
    return keys.map(lookup)


def _unique(values, column: str, file, *, within: pd.Series | None = None, within_name: str = "") -> None:
    """Error at the first repeated value (of ``column`` within ``within``, e.g. per session)."""
    keys = values if within is None else within + "\x1f" + values
    dup = keys.duplicated(keep="first") & (values != "")
    if dup.any():
        k = int(np.flatnonzero(dup.to_numpy())[0])
        where_zh = f"在 {within_name} = {within.iloc[k]!r} 中" if within is not None else ""
        where_en = f" within {within_name} {within.iloc[k]!r}" if within is not None else ""
        raise LaoyouError(f"“{column}”重复：{values.iloc[k]!r} {where_zh}出现了不止一次。",
                          f"Duplicate {column!r}: {values.iloc[k]!r} occurs more than once{where_en}.", file=file,
                          row=k + 2, column=column, hint_zh="删除重复录入的行。", hint_en="delete the row entered twice.")


def _table(path_or_table, file):
    from laoyou_eval.io import read_table

    if isinstance(path_or_table, pd.DataFrame):
        table = path_or_table.reset_index(drop=True)
        return table, _source(path_or_table, file)
    return read_table(path_or_table), Path(path_or_table)


def read_contacts(path_or_table, file=None) -> pd.DataFrame:
    """The buddy contact log with typed columns.

    Parameters
    ----------
    path_or_table : str, Path or pandas.DataFrame
        ``process/buddy_contacts.csv`` (or the table read from it, all text).
    file : str or Path, optional
        File named in error messages when a table is passed.

    Returns
    -------
    pandas.DataFrame
        One row per contact: ``contact_id`` (str; blank allowed), ``volunteer_id``,
        ``resident_id``, ``date`` (datetime64), ``month`` ("YYYY-MM"), ``mode`` (as
        written, e.g. 上门探访, 电话, 微信视频, 外出活动), ``minutes`` (float; NaN when
        blank).

    Raises
    ------
    LaoyouError
        A missing column, a blank identifier, a date that is not a date, minutes that are
        not a number or outside 0–1440, or a contact id entered twice; the message names
        the file, row and column.

    Notes
    -----
    A contact with blank minutes still counts as a contact; it adds no hours, and the
    summaries say how many such contacts there were.
    """
    table, file = _table(path_or_table, file)
    _require(table, ("volunteer_id", "resident_id", "date", "mode", "minutes"), file, "结对陪伴记录", "buddy contact log")
    no_ids = pd.Series("", index=table.index)
    contact_id = _ids(table, "contact_id", file, blank=True) if "contact_id" in table else no_ids
    _unique(contact_id, "contact_id", file)
    date = _dates(table, "date", file)
    out = pd.DataFrame({"contact_id": contact_id, "volunteer_id": _ids(table, "volunteer_id", file),
                        "resident_id": _ids(table, "resident_id", file), "date": date,
                        "month": date.dt.strftime("%Y-%m"), "mode": _ids(table, "mode", file),
                        "minutes": _numbers(table, "minutes", file, minimum=0, maximum=24 * 60, blank=True)})
    out.attrs.update(source=file, laoyou_process="contacts")
    return out


def read_attendance(path_or_table, file=None) -> pd.DataFrame:
    """The activity sign-in log with typed columns.

    Parameters
    ----------
    path_or_table : str, Path or pandas.DataFrame
        ``process/activity_attendance.csv`` (or the table read from it).
    file : str or Path, optional
        File named in error messages when a table is passed.

    Returns
    -------
    pandas.DataFrame
        One row per person and session: ``session_id``, ``activity``, ``date`` (datetime64),
        ``venue`` ("" when the file has no venue column), ``participant_id``,
        ``participant_type`` (居民, 家长, 志愿者 as written).

    Raises
    ------
    LaoyouError
        A missing column, a blank value, a bad date, or the same person signed in twice to
        one session (which would count one visit twice).
    """
    table, file = _table(path_or_table, file)
    _require(table, ("session_id", "activity", "date", "participant_id", "participant_type"), file, "活动签到表",
             "activity attendance")
    out = pd.DataFrame({"session_id": _ids(table, "session_id", file), "activity": _ids(table, "activity", file),
                        "date": _dates(table, "date", file),
                        "venue": _ids(table, "venue", file, blank=True) if "venue" in table else "",
                        "participant_id": _ids(table, "participant_id", file),
                        "participant_type": _ids(table, "participant_type", file)})
    _unique(out["participant_id"], "participant_id", file, within=out["session_id"], within_name="session_id")
    out.attrs.update(source=file, laoyou_process="attendance")
    return out


def read_volunteers(path_or_table, file=None) -> pd.DataFrame:
    """The volunteer roster without personal data.

    Parameters
    ----------
    path_or_table : str, Path or pandas.DataFrame
        ``process/volunteers.csv`` (or the table read from it).
    file : str or Path, optional
        File named in error messages when a table is passed.

    Returns
    -------
    pandas.DataFrame
        One row per volunteer, only the columns of :data:`VOLUNTEER_COLUMNS` that the file
        has: ``volunteer_id``, ``sex``, ``birth_year`` (float), ``school``,
        ``training_hours`` (float), ``assessment_score`` (float, 0–100, NaN when blank),
        ``status`` (service_team, reserve or left), ``matched_resident_id`` ("" when none).
        ``name``, ``phone`` and every other column are dropped on reading.

    Raises
    ------
    LaoyouError
        A missing column, a volunteer listed twice, an unknown status (allowed: 服务队,
        后备, 已退出), hours or scores that are not numbers or out of range, a service-team
        volunteer matched to nobody or two volunteers matched to the same resident.
    """
    table, file = _table(path_or_table, file)
    _require(table, ("volunteer_id", "training_hours", "status"), file, "志愿者名册", "volunteer roster")
    ids = _ids(table, "volunteer_id", file)
    _unique(ids, "volunteer_id", file)
    out = pd.DataFrame({"volunteer_id": ids})
    for column in ("sex", "school"):
        if column in table:
            out[column] = _text(table[column])
    if "birth_year" in table:
        out["birth_year"] = _numbers(table, "birth_year", file, minimum=1900, maximum=2100, blank=True, integer=True)
    out["training_hours"] = _numbers(table, "training_hours", file, minimum=0, maximum=1000)
    if "assessment_score" in table:
        out["assessment_score"] = _numbers(table, "assessment_score", file, minimum=0, maximum=100, blank=True)
    out["status"] = _mapped(table, "status", file, VOLUNTEER_STATUS)
    matched = (_text(table["matched_resident_id"]) if "matched_resident_id" in table
               else pd.Series("", index=table.index))
    out["matched_resident_id"] = matched
    unmatched = (out["status"] == "service_team") & (matched == "")
    if "matched_resident_id" in table and unmatched.any():
        k = int(np.flatnonzero(unmatched.to_numpy())[0])
        raise LaoyouError("服务队志愿者没有填写结对的居民。", "A service-team volunteer has no matched resident.",
                          file=file, row=k + 2, column="matched_resident_id",
                          hint_zh="填写 matched_resident_id，或把状态改为“后备”。",
                          hint_en="fill in matched_resident_id, or set the status to 后备 (reserve).")
    _unique(matched, "matched_resident_id", file)
    out = out[[c for c in VOLUNTEER_COLUMNS if c in out.columns]]
    out.attrs.update(source=file, laoyou_process="volunteers")
    return out


def read_training(path_or_table, file=None) -> pd.DataFrame:
    """The volunteer training records with typed columns.

    Parameters
    ----------
    path_or_table : str, Path or pandas.DataFrame
        ``process/volunteer_training.csv`` (or the table read from it).
    file : str or Path, optional
        File named in error messages when a table is passed.

    Returns
    -------
    pandas.DataFrame
        One row per volunteer and module: ``volunteer_id``, ``module``, ``date``
        (datetime64), ``hours`` (float), ``attended`` (bool; 是/否, yes/no, 1/0).

    Raises
    ------
    LaoyouError
        A missing column, a bad date, hours that are not a number or outside 0–100, an
        attendance that is not yes/no, or the same volunteer listed twice for one module.
    """
    table, file = _table(path_or_table, file)
    _require(table, ("volunteer_id", "module", "date", "hours", "attended"), file, "志愿者培训记录", "training record")
    out = pd.DataFrame({"volunteer_id": _ids(table, "volunteer_id", file), "module": _ids(table, "module", file),
                        "date": _dates(table, "date", file),
                        "hours": _numbers(table, "hours", file, minimum=0, maximum=100),
                        "attended": _mapped(table, "attended", file, YES_NO).astype(bool)})
    _unique(out["module"], "module", file, within=out["volunteer_id"], within_name="volunteer_id")
    out.attrs.update(source=file, laoyou_process="training")
    return out


def read_jobs(path_or_table, file=None) -> pd.DataFrame:
    """The supported-job placements with typed columns.

    Parameters
    ----------
    path_or_table : str, Path or pandas.DataFrame
        ``process/job_placements.csv`` (or the table read from it).
    file : str or Path, optional
        File named in error messages when a table is passed.

    Returns
    -------
    pandas.DataFrame
        One row per placement: ``placement_id``, ``resident_id``, ``employer_type``,
        ``start_date`` (datetime64), ``hours_per_week`` (float, 0–80),
        ``km_from_home`` (float, NaN when blank), ``in_post`` (bool: 在岗 → True,
        已离职 → False, from ``status_at_follow_up``).

    Raises
    ------
    LaoyouError
        A missing column, a placement id entered twice, a bad date, hours or distance that
        are not numbers or out of range, or an unknown follow-up status.
    """
    table, file = _table(path_or_table, file)
    status = "in_post" if "in_post" in table and "status_at_follow_up" not in table else "status_at_follow_up"
    _require(table, ("placement_id", "resident_id", "employer_type", "start_date", "hours_per_week",
                     "km_from_home", status), file, "辅助性就业表", "job placement table")
    placement = _ids(table, "placement_id", file)
    _unique(placement, "placement_id", file)
    out = pd.DataFrame({"placement_id": placement, "resident_id": _ids(table, "resident_id", file),
                        "employer_type": _ids(table, "employer_type", file),
                        "start_date": _dates(table, "start_date", file),
                        "hours_per_week": _numbers(table, "hours_per_week", file, minimum=0, maximum=80),
                        "km_from_home": _numbers(table, "km_from_home", file, minimum=0, maximum=100, blank=True),
                        "in_post": _mapped(table, status, file, {**IN_POST, **YES_NO}).astype(bool)})
    out.attrs.update(source=file, laoyou_process="jobs")
    return out


_READERS = {"contacts": read_contacts, "attendance": read_attendance, "volunteers": read_volunteers,
            "training": read_training, "jobs": read_jobs}


@dataclass(frozen=True)
class ProcessRecords:
    """The typed process records of one study (see :func:`read_process`)."""

    contacts: pd.DataFrame
    attendance: pd.DataFrame
    volunteers: pd.DataFrame
    training: pd.DataFrame
    jobs: pd.DataFrame


def read_process(study_dir) -> ProcessRecords:
    """Read and check the five process files of a study folder.

    Parameters
    ----------
    study_dir : str or Path
        A study folder laid out like ``data/raw/demo/`` (files in :data:`FILES`).

    Returns
    -------
    ProcessRecords
        ``contacts`` (:func:`read_contacts`), ``attendance`` (:func:`read_attendance`),
        ``volunteers`` (:func:`read_volunteers`, no names or phones), ``training``
        (:func:`read_training`), ``jobs`` (:func:`read_jobs`).

    Raises
    ------
    LaoyouError
        Listing every missing process file at once, or the first bad value of a file.
    """
    study_dir = Path(study_dir)
    missing = [rel for rel in FILES.values() if not (study_dir / rel).is_file()]
    if missing:
        raise LaoyouError(f"缺少过程记录文件：{', '.join(missing)}。", f"Missing process file(s): {', '.join(missing)}.",
                          file=study_dir, hint_zh="参照 data/raw/demo/process/ 准备这些文件。",
                          hint_en="prepare them like data/raw/demo/process/.")
    return ProcessRecords(contacts=read_contacts(study_dir / FILES["contacts"]),
                          attendance=read_attendance(study_dir / FILES["attendance"]),
                          volunteers=read_volunteers(study_dir / FILES["volunteers"]),
                          training=read_training(study_dir / FILES["training"]),
                          jobs=read_jobs(study_dir / FILES["jobs"]))


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
    notes = [text(f"{k} 次联系没有时长", f"{k} contact(s) without minutes") if k else "" for k in untimed]
    if "pair" in by and volunteers is not None:
        volunteers = _ensure(volunteers, "volunteers")
        roster = set(zip(volunteers["volunteer_id"], volunteers["matched_resident_id"]))
        out["matched"] = [(v, r) in roster for v, r in zip(out["volunteer_id"], out["resident_id"])]
        notes = [n if m else "; ".join(filter(None, [n, text("名册上没有这一结对", "pair not on the volunteer roster")]))
                 for n, m in zip(notes, out["matched"])]
    out["note"] = notes
    columns = keys + ["contacts", "contact_hours", "mean_minutes", "share_hours"]
    columns += [c for c in ("pairs", "months_with_contact", "matched") if c in out] + ["note"]
    return out[columns]


def _ensure(table, kind: str) -> pd.DataFrame:
    """``table`` as read by ``read_{kind}``: a table already read is used as it is, any other
    (e.g. built by hand, all text) is read first (the readers accept their own output)."""
    if isinstance(table, pd.DataFrame) and table.attrs.get("laoyou_process") == kind:
        return table
    return _READERS[kind](table)


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
        notes = [text("签到人数多于项目人数：有编号不在名册上", "more people than enrolled: ids not on the roster")
                 if o else "" for o in over]
    out["note"] = notes
    return out


def venue_summary(attendance, activity: str | None = "融合篮球班") -> pd.DataFrame:
    """Sessions, visits and people per venue, e.g. the two partner gyms of the basketball class.

    Parameters
    ----------
    attendance : pandas.DataFrame
        The sign-in log (:func:`read_attendance`).
    activity : str or None, default "融合篮球班"
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
    rows = [("trained", trained, text(f"{untrained} 人培训时数为 0", f"{untrained} with 0 training hours")
             if untrained else ""),
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
        row["note"] = text(f"{blank} 人没有考核分", f"{blank} without an assessment score") if blank else ""
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
        One row per wave, arm and answer: ``wave``, ``arm``, ``answered_by`` (the choice
        label in the report language; "blank" when not answered), ``proxy`` (bool: the
        label says 代答/代填/proxy), ``n`` (respondents), ``share`` (within wave and arm).
        Empty when the survey has no such question.
    """
    from laoyou_eval.i18n import report_language

    rows = []
    arms = coded.arms[coded.arms.population == population].drop_duplicates("respondent_id").set_index(
        "respondent_id")["arm"]
    for (pop, wave), survey in sorted(coded.surveys.items(), key=lambda kv: kv[0][1]):
        if pop != population or question not in survey.data:
            continue
        book = survey.codebook
        list_name = book.questions(wave).set_index("name").loc[question, "list_name"]
        choices = book.choice_list(list_name)
        lang = "zh" if report_language() == "zh" else "en"
        zh_labels = dict(zip(choices["name"].astype(str), choices["label::zh"]))
        labels = dict(zip(choices["name"].astype(str), choices[f"label::{lang}"]))
        data = survey.data
        codes = data[question].astype("string").str.replace(r"\.0$", "", regex=True)
        frame = pd.DataFrame({"arm": data[book.id_column].map(arms).fillna("unmatched"),
                              "code": codes.fillna("")})
        for (arm, code), part in frame.groupby(["arm", "code"], sort=True):
            label = labels.get(code, "blank") if code else "blank"
            words = f"{zh_labels.get(code, '')} {labels.get(code, '')}".lower()
            rows.append({"wave": wave, "arm": arm, "answered_by": label,
                         "proxy": any(w in words for w in PROXY_WORDS), "n": len(part), "code": code})
    if not rows:
        return pd.DataFrame(columns=["wave", "arm", "answered_by", "proxy", "n", "share"])
    out = pd.DataFrame(rows)
    out["share"] = out["n"] / out.groupby(["wave", "arm"])["n"].transform("sum")
    order = {"programme": 0, "comparison": 1}
    out = out.sort_values(["wave", "arm", "code"], key=lambda s: s.map(order).fillna(9) if s.name == "arm" else s,
                          kind="stable")
    return out.drop(columns="code").reset_index(drop=True).astype({"n": "int64"})


# --------------------------------------------------------------------------- sentences
def people(n: int, threshold: int = SMALL_COUNT) -> str:
    """A count of people for a sentence: the number, or "<5"/"不足 5" when it is small.

    Examples
    --------
    >>> people(15), people(0)
    ('15', '0')
    """
    n = int(n)
    if 0 < n < threshold:
        return text(f"不足 {threshold}", f"fewer than {threshold}")
    return f"{n:,}"


def _sentence(zh: str, en: str) -> str:
    """``text(zh, en)`` with the English sentence starting in upper case."""
    return text(zh, en[:1].upper() + en[1:])


def _num(x: float, digits: int = 1) -> str:
    return "NA" if x is None or not np.isfinite(x) else f"{x:,.{digits}f}"


def _pct(x: float) -> str:
    return "NA" if x is None or not np.isfinite(x) else f"{x:.0%}"


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
    modes = contact_summary(contacts, "mode").sort_values("contact_hours", ascending=False)
    months = _month_range(_ensure(contacts, "contacts")["month"])
    n_pairs = len(pairs)
    if not n_pairs:
        return _sentence("结对陪伴记录中没有任何联系。", "The buddy contact log has no contacts.")
    hours, n_contacts = pairs["contact_hours"].sum(), pairs["contacts"].sum()
    per_pair = pairs["contact_hours"]
    top = modes.iloc[0]
    from laoyou_eval.i18n import label

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
                        activity: str | None = "融合篮球班") -> str:
    """A sentence on the activities: sessions and visits, people reached per type, venues.

    Parameters
    ----------
    attendance : pandas.DataFrame
        The sign-in log (:func:`read_attendance`).
    enrolled : mapping, optional
        Participant type -> people enrolled (:func:`enrolled_counts`), for "x of y reached".
    activity : str or None, default "融合篮球班"
        The activity whose venues are described (the partner gyms); None for none.

    Returns
    -------
    str
    """
    from laoyou_eval.i18n import label

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
    from laoyou_eval.i18n import label

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
    if n >= SMALL_COUNT:
        zh += f"；随访时 {_pct(total['share_in_post'])} 仍在岗。"
        en += f"; {_pct(total['share_in_post'])} were still in post at follow-up."
    else:
        zh += "。人数很少，为避免识别到个人，不再细分报告。"
        en += ". With so few people, nothing finer is reported, so that no one can be identified."
    return _sentence(zh, en)
