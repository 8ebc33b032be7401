"""SPSS ``.sav`` files with their value labels (pyreadstat)."""

from __future__ import annotations

from pathlib import Path

from laoyou_eval.errors import LaoyouError
from laoyou_eval.quality import QualityLog

#: Encodings tried in order when the file's own declaration fails (Chinese SPSS files are
#: often GBK but declare something else; pyreadstat issue #74).
FALLBACK_ENCODINGS = ("GB18030",)
#: SPSS display formats of dates and times (pyreadstat converts them to datetimes).
SPSS_DATE_FORMATS = ("DATE", "ADATE", "EDATE", "JDATE", "SDATE", "QYR", "MOYR", "WKYR", "DATETIME", "YMDHMS", "TIME",
                     "DTIME", "WKDAY", "MONTH")


def _text(value) -> str:
    import math

    import pandas as pd

    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):  # NaN, NaT: missing
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_spss(path):
    """Read an SPSS ``.sav`` file as text codes, keeping its value and variable labels.

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    pandas.DataFrame
        All columns as strings: integer codes as ``"1"`` (not ``"1.0"``), system-missing as
        ``""``; user-defined missing values are kept as their codes (they mean refused, not
        applicable … — declare them in the codebook's ``missing`` sheet).  ``df.attrs``:
        ``source``, ``encoding`` (the file's, or the fallback used), ``layout`` ("labelled":
        values are codes), ``value_labels`` ({column: {code: label}}), ``column_labels``
        ({column: label}), ``missing_ranges`` ({column: [[low, high], …]}), ``quality``
        (quality records; see Notes).

    Notes
    -----
    A date outside the range of Python's ``datetime`` (a typo such as year 99999, or a
    corrupt value) makes date conversion fail for the whole file; the file is then read again
    without date conversion — date columns stay SPSS numbers (seconds since 1582-10-14) —
    and a ``date_conversion_off`` quality record names the date columns.

    Raises
    ------
    LaoyouError
        Missing file, or a file pyreadstat cannot read in its declared encoding or GB18030.
    """
    import pyreadstat

    path = Path(path)
    if not path.is_file():
        raise LaoyouError("找不到文件。", "File not found.", file=path)
    tried = []
    log = QualityLog(file=path.name)
    for encoding in (None, *FALLBACK_ENCODINGS):
        try:
            df, meta = pyreadstat.read_sav(str(path), encoding=encoding, user_missing=True)
            break
        except (OverflowError, ValueError) as error:  # a date outside what Python's datetime holds
            try:
                df, meta = pyreadstat.read_sav(str(path), encoding=encoding, user_missing=True,
                                               disable_datetime_conversion=True)
            except Exception as second:  # noqa: BLE001 - reported below with the first error
                tried.append(f"{encoding or 'declared'}: {error}; {second}")
                continue
            dated = [c for c, f in meta.original_variable_types.items()
                     if str(f).upper().startswith(SPSS_DATE_FORMATS)]
            log.add("date_conversion_off", column=", ".join(dated) or None, value=str(error),
                    action="read without date conversion",
                    detail_zh="日期列保留为 SPSS 的秒数（自 1582-10-14 起）",
                    detail_en="date columns kept as SPSS seconds since 1582-10-14")
            break
        except Exception as error:  # noqa: BLE001 - pyreadstat raises ReadstatError / PyreadstatError / OSError
            tried.append(f"{encoding or 'declared'}: {error}")
    else:
        encoding_problem = any("encoding" in t.lower() or "iconv" in t.lower() for t in tried)
        raise LaoyouError("无法读取 SPSS 文件。", "Cannot read the SPSS file: " + "; ".join(tried), file=path,
                          hint_zh="在 SPSS 中另存为新的 .sav（Unicode 模式）。" if encoding_problem else
                          "确认这是 SPSS 的 .sav 文件且下载完整，然后在 SPSS 中另存一份。",
                          hint_en="re-save it in SPSS in Unicode mode." if encoding_problem else
                          "check that it is a complete SPSS .sav file, and re-save it in SPSS.")
    text = df.map(_text).astype(str)
    labels = {column: {_text(code): str(label) for code, label in meta.variable_value_labels.get(column, {}).items()}
              for column in df.columns if column in meta.variable_value_labels}
    text.attrs.update(
        source=str(path), encoding=encoding or meta.file_encoding or "declared", layout="labelled",
        value_labels=labels,
        column_labels=dict(zip(meta.column_names, [str(c or "") for c in meta.column_labels])),
        missing_ranges={k: [[r["lo"], r["hi"]] for r in v] for k, v in (meta.missing_ranges or {}).items()},
        quality=log.records,
    )
    return text
