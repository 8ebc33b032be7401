"""Encoding-aware reading of CSV and Excel files.

Chinese survey platforms and Excel on Chinese Windows write CSV files as UTF-8 with a byte
order mark (utf-8-sig), plain UTF-8, or GBK/GB18030.  :func:`detect_encoding` tries them in
that order and *decodes the whole file strictly*: a file that is none of them is an error,
not a page of mojibake.  GB18030 is a superset of GBK and GB2312, so it covers both.
"""

from __future__ import annotations

import io
from pathlib import Path

from laoyou_eval.errors import LaoyouError

SUPPORTED_ENCODINGS = ("utf-8-sig", "utf-8", "gb18030")
#: Excel readers: openpyxl for .xlsx; calamine for the old binary .xls (pandas deprecates xlrd).
EXCEL_SUFFIXES = {".xlsx": "openpyxl", ".xlsm": "openpyxl", ".xls": "calamine"}


def detect_encoding(path: str | Path) -> str:
    """Return the encoding of a text file: ``"utf-8-sig"``, ``"utf-8"`` or ``"gb18030"``.

    Parameters
    ----------
    path : str or Path

    Raises
    ------
    LaoyouError
        If the file is empty, or decodes under none of the supported encodings; the message
        names the line and byte offset where UTF-8 decoding failed.

    Notes
    -----
    A BOM (``EF BB BF``) means utf-8-sig.  Otherwise the file is decoded strictly as UTF-8,
    then as GB18030.  Valid UTF-8 is almost never valid-looking GB18030 text by accident,
    but the converse is common, so UTF-8 is tried first.
    """
    path = Path(path)
    data = path.read_bytes()
    if not data.strip():
        raise LaoyouError("文件是空的。", "The file is empty.", file=path,
                          hint_zh="重新从问卷平台下载。", hint_en="download the export again.")
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            data.decode("gb18030")
            return "gb18030"
        except UnicodeDecodeError:
            raise LaoyouError(
                f"无法识别文件编码（UTF-8 在第 {utf8_error.start} 字节处失败，也不是 GB18030/GBK）。",
                f"Unknown text encoding (UTF-8 fails at byte {utf8_error.start}; not GB18030/GBK either).",
                file=path,
                row=data[: utf8_error.start].count(b"\n") + 1,
                hint_zh="用 Excel 或 WPS 另存为“CSV UTF-8”。",
                hint_en="re-save the file as 'CSV UTF-8' in Excel or WPS.",
            ) from None


def read_rows(path: str | Path, limit: int = 20) -> list[list[str]]:
    """The first ``limit`` rows of a CSV or Excel file exactly as a spreadsheet shows them
    (blank rows included, no header interpretation), to locate a misplaced header."""
    import csv

    import pandas as pd

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        sheet = pd.read_excel(path, header=None, nrows=limit, dtype=str, keep_default_na=False,
                              engine=EXCEL_SUFFIXES[suffix])
        return sheet.values.tolist()
    text = path.read_bytes().decode(detect_encoding(path))
    return [row for _, row in zip(range(limit), csv.reader(io.StringIO(text)))]


def read_table(path: str | Path, sheet_name: str | int = 0, **kwargs):
    """Read a CSV or Excel file as text, reporting the encoding used.

    Parameters
    ----------
    path : str or Path
        ``.csv``/``.txt`` (encoding detected), ``.xlsx``/``.xlsm`` (openpyxl) or ``.xls`` (calamine).
    sheet_name : str or int, default 0
        Excel sheet.
    **kwargs
        Passed to :func:`pandas.read_csv` / :func:`pandas.read_excel`.

    Returns
    -------
    pandas.DataFrame
        All columns as strings (``dtype=str``), so codes such as ``"007"`` and phone numbers
        keep their leading zeros.  ``df.attrs`` holds ``source`` (the path) and ``encoding``
        (``"xlsx"``/``"xls"`` for Excel files).

    Raises
    ------
    LaoyouError
        For a missing or empty file, an unknown encoding or an unsupported file type.
    """
    import pandas as pd

    path = Path(path)
    if not path.is_file():
        raise LaoyouError("找不到文件。", "File not found.", file=path)
    suffix = path.suffix.lower()
    options = {"dtype": str, "keep_default_na": False, **kwargs}
    if suffix in EXCEL_SUFFIXES:
        df = pd.read_excel(path, sheet_name=sheet_name, engine=EXCEL_SUFFIXES[suffix], **options)
        encoding = suffix.lstrip(".")
    elif suffix in {".csv", ".txt"}:
        encoding = detect_encoding(path)
        text = path.read_bytes().decode(encoding)
        df = pd.read_csv(io.StringIO(text), **options)
    else:
        raise LaoyouError(
            f"不支持的文件类型 {suffix}。", f"Unsupported file type {suffix}.", file=path,
            hint_zh="请导出为 .xlsx、.xls 或 .csv。", hint_en="export as .xlsx, .xls or .csv.")
    df.attrs.update(source=str(path), encoding=encoding)
    return df
