"""Process records: readers and validation of the five process files of a study folder.

Every reader returns a typed table (``attrs["laoyou_process"]`` names its kind) and raises a
:class:`~laoyou_eval.errors.LaoyouError` naming file, row and column for a bad value.
Privacy: the volunteer roster holds names and phone numbers; :func:`read_volunteers` keeps
only the columns listed in :data:`VOLUNTEER_COLUMNS`, so they never reach a result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from laoyou_eval.checks import require_columns
from laoyou_eval.errors import LaoyouError

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


# --------------------------------------------------------------------------- reading
def _source(table: pd.DataFrame, file) -> str | Path | None:
    return file if file is not None else table.attrs.get("source")


def _require(table: pd.DataFrame, columns: Sequence[str], file, what_zh: str, what_en: str) -> None:
    require_columns(table, columns, what_zh=what_zh, what_en=what_en, file=file,
                    hint_zh=f"需要的列：{', '.join(columns)}（参照 data/raw/demo/{_example_path(what_en)}）。",
                    hint_en=f"required columns: {', '.join(columns)} (see data/raw/demo/{_example_path(what_en)}).")


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
    future = values > pd.Timestamp.today().normalize()
    if future.any():
        k = int(np.flatnonzero(future.to_numpy())[0])
        raise _bad(file, k, column, shown.iloc[k], "日期在今天之后。", "the date lies in the future.",
                   "检查年份和月份（记录只能写已经发生的事）。", "check the year and month: records describe the past.")
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
        has: ``volunteer_id``, ``sex``, ``birth_year`` (float; "1991年8月", "1991-08" are
        read as 1991, the month is dropped), ``school``,
        ``training_hours`` (float), ``assessment_score`` (float, 0–100, NaN when blank),
        ``status`` (service_team, reserve or left), ``matched_resident_id`` ("" when none).
        ``name``, ``phone`` (under any heading, e.g. 电话) and every other column are dropped
        on reading.

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
        years = table.assign(birth_year=_birth_years(table["birth_year"]))
        out["birth_year"] = _numbers(years, "birth_year", file, minimum=1900, maximum=pd.Timestamp.today().year,
                                     blank=True, integer=True)
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


#: A birth date written as a year and month: 1991年8月, 1991年, 1991-08, 1991/8, 1991.8.
_YEAR_MONTH = r"^\s*(\d{4})\s*(?:年\s*(?:\d{1,2}\s*月?)?|[-/.]\s*\d{1,2})?\s*$"


def _birth_years(values: pd.Series) -> pd.Series:
    """The year of birth dates written as a year and month (only the year is kept: the
    month narrows who a volunteer is and is not needed); anything else is left as written
    for :func:`_numbers` to reject with its row."""
    if pd.api.types.is_numeric_dtype(values.dtype):
        return values
    text = _text(values)
    year = text.str.extract(_YEAR_MONTH, expand=False)
    return year.where(year.notna(), text)


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


def _ensure(table, kind: str) -> pd.DataFrame:
    """``table`` as read by ``read_{kind}``: a table already read is used as it is, any other
    (e.g. built by hand, all text) is read first (the readers accept their own output)."""
    if isinstance(table, pd.DataFrame) and table.attrs.get("laoyou_process") == kind:
        return table
    return _READERS[kind](table)
