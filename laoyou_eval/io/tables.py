"""Encoding-aware, damage-aware reading of CSV, Excel and HTML-disguised tables.

Chinese survey platforms and Excel on Chinese Windows write CSV files as UTF-8 with a byte
order mark (utf-8-sig), plain UTF-8, or GBK/GB18030.  :func:`detect_encoding` tries them in
that order and *decodes the whole file strictly*: a file that is none of them is an error,
not a page of mojibake.  GB18030 is a superset of GBK and GB2312, so it covers both.  A BOM
is a claim, not a proof: a GBK file behind a UTF-8 BOM (written by tools that add the BOM and
then encode in the system code page) is decoded as GB18030 and the mismatch is recorded.

The file's *content* decides how it is read, not its extension: a zip container is read as
.xlsx, an OLE2 compound file as .xls, an HTML page with a ``<table>`` (what some web
platforms, 问卷星 among them, serve under a ``.xls`` name) as an HTML table, anything else as
delimited text whose delimiter is sniffed (``,`` ``;`` tab ``|``).  Every such decision that
differs from what the file name says becomes a quality record in ``df.attrs["quality"]``.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from laoyou_eval.errors import LaoyouError
from laoyou_eval.quality import QualityLog

SUPPORTED_ENCODINGS = ("utf-8-sig", "utf-8", "gb18030")
#: Excel readers: openpyxl for .xlsx; calamine for the old binary .xls (pandas deprecates xlrd).
EXCEL_SUFFIXES = {".xlsx": "openpyxl", ".xlsm": "openpyxl", ".xls": "calamine"}
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
#: Delimiters :func:`sniff_delimiter` chooses from, most common first.
DELIMITERS = (",", ";", "\t", "|")
_ZIP, _OLE2 = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BOM = b"\xef\xbb\xbf"


def _decode(data: bytes, path: Path) -> tuple[str, str]:
    """(text, encoding) of ``data``; ``encoding`` is ``"utf-8-sig"``, ``"utf-8"``,
    ``"gb18030"`` or ``"gb18030 (behind a UTF-8 BOM)"``."""
    if not data.strip():
        raise LaoyouError("文件是空的。", "The file is empty.", file=path,
                          hint_zh="重新从问卷平台下载。", hint_en="download the export again.")
    body = data.removeprefix(_BOM)
    try:
        return body.decode("utf-8"), "utf-8-sig" if body is not data else "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            text = body.decode("gb18030")
        except UnicodeDecodeError:
            start = utf8_error.start + (len(data) - len(body))
            raise LaoyouError(
                f"无法识别文件编码（UTF-8 在第 {start} 字节处失败，也不是 GB18030/GBK）。",
                f"Unknown text encoding (UTF-8 fails at byte {start}; not GB18030/GBK either).",
                file=path, row=data[:start].count(b"\n") + 1,
                hint_zh="用 Excel 或 WPS 另存为“CSV UTF-8”。",
                hint_en="re-save the file as 'CSV UTF-8' in Excel or WPS.",
            ) from None
        return text, "gb18030 (behind a UTF-8 BOM)" if body is not data else "gb18030"


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
    A BOM (``EF BB BF``) is checked, not trusted: the rest of the file must decode as UTF-8,
    otherwise it is decoded as GB18030 (``"gb18030"`` is returned; use :func:`read_text`
    to get the text without the BOM).  Without a BOM the file is decoded strictly as UTF-8,
    then as GB18030.  Valid UTF-8 is almost never valid-looking GB18030 text by accident,
    but the converse is common, so UTF-8 is tried first.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
    >>> _ = path.write_bytes("编号\\n1\\n".encode("gb18030"))
    >>> detect_encoding(path)
    'gb18030'
    """
    path = Path(path)
    return _decode(path.read_bytes(), path)[1].split(" ")[0]


def read_text(path: str | Path) -> tuple[str, str]:
    """The text of a file and the encoding used (see :func:`detect_encoding`); a BOM in front
    of GBK bytes gives ``"gb18030 (behind a UTF-8 BOM)"``."""
    path = Path(path)
    return _decode(path.read_bytes(), path)


def sniff_delimiter(text: str) -> str:
    """The delimiter of delimited text: the one of :data:`DELIMITERS` that splits the first
    lines into the same number (> 1) of fields most often; ``","`` when none does.

    >>> sniff_delimiter("a;b;c\\n1;2,5;3\\n")
    ';'
    >>> sniff_delimiter("only one column\\n1\\n")
    ','
    """
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    best, best_score = ",", 0
    for delimiter in DELIMITERS:
        widths = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        if not widths or widths[0] < 2:
            continue
        score = sum(width == widths[0] for width in widths) * widths[0]
        if score > best_score:
            best, best_score = delimiter, score
    return best


def file_kind(path: str | Path) -> str:
    """What the bytes of a file are: ``"xlsx"`` (zip), ``"xls"`` (OLE2), ``"html"`` or ``"text"``."""
    head = Path(path).read_bytes()[:2048]
    if head.startswith(_ZIP):
        return "xlsx"
    if head.startswith(_OLE2):
        return "xls"
    probe = head.removeprefix(_BOM).lstrip().lower()
    if probe.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml", b"<meta")) or b"<table" in probe:
        return "html"
    return "text"


def _damaged(path: Path, kind: str, error: Exception) -> LaoyouError:
    return LaoyouError(
        f"无法读取这个 {kind} 文件（可能已损坏或下载不完整）：{type(error).__name__}。",
        f"Cannot read this {kind} file (damaged or incompletely downloaded): {type(error).__name__}: {error}.",
        file=path, hint_zh="重新下载或在 Excel/WPS 中打开后另存为 .xlsx。",
        hint_en="download it again, or open it in Excel/WPS and save it as .xlsx.")


def _html_table(text: str, path: Path, sheet_name) -> list[list[str]]:
    """Rows of cell texts of one ``<table>`` of an HTML page (lxml)."""
    try:
        import lxml.html
    except ImportError:  # pragma: no cover - lxml is a dependency
        raise LaoyouError("这个 .xls 实际上是网页（HTML），需要安装 lxml 才能读取。",
                          "This .xls is really a web page (HTML); install lxml to read it.", file=path,
                          hint_zh="pip install lxml，或在 Excel 中打开后另存为 .xlsx。",
                          hint_en="pip install lxml, or open it in Excel and save as .xlsx.") from None
    try:
        tables = lxml.html.fromstring(text).xpath("//table")
    except Exception as error:  # noqa: BLE001 - lxml raises ParserError, XMLSyntaxError, ValueError on junk
        raise _damaged(path, "HTML", error) from None
    index = sheet_name if isinstance(sheet_name, int) else 0
    if index >= len(tables):
        raise LaoyouError("这个网页格式的 .xls 里没有表格。", "This HTML-format .xls holds no table.", file=path,
                          hint_zh="在浏览器或 Excel 中打开检查，重新导出。", hint_en="open it to check, and export again.")
    return [[" ".join(cell.text_content().split()) for cell in tr.xpath("./th|./td")]
            for tr in tables[index].xpath(".//tr")]


def _frame_from_rows(rows: list[list[str]], path: Path):
    import pandas as pd

    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise LaoyouError("表格是空的。", "The table is empty.", file=path)
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    return pd.DataFrame(rows[1:], columns=rows[0], dtype=str)


def _check_row_widths(text: str, delimiter: str, path: Path) -> int | None:
    """Refuse a row with more filled fields than the header (pandas would silently turn the
    first columns into an index, or cut the extra values); blank trailing fields, as Excel
    writes them, are fine.  Returns the header's width if some row has such blank extras."""
    width, extras = None, False
    for line, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
        if width is None:
            if any(cell.strip() for cell in row):
                width = len(row)
            continue
        if len(row) > width and any(cell.strip() for cell in row[width:]):
            raise LaoyouError(
                f"第 {line} 行有 {len(row)} 个字段，比表头的 {width} 列多（表头上方有标题行，或分隔符/引号有误）。",
                f"The table's row {line} has {len(row)} fields, more than the {width} column(s) of the header (a title "
                "row above the header, or a stray delimiter or quote).", file=path, row=line,
                hint_zh="删掉表头上方的行，或在 Excel 中检查这一行后另存为 CSV UTF-8。",
                hint_en="delete any rows above the header, or check that row in Excel and save again as CSV UTF-8.")
        extras = extras or len(row) > width
    return width if extras else None


def _check_columns(df, log: QualityLog):
    """Blank and repeated header cells become quality records.  pandas names them
    ``Unnamed: k`` and ``name.1``; HTML tables get the same names here."""
    import re

    seen: set[str] = set()
    renamed = []
    for i, name in enumerate(str(c) for c in df.columns):
        where = {"detail_zh": f"第 {i + 1} 列", "detail_en": f"column {i + 1}"}
        if name.startswith("Unnamed:") or not name.strip():
            name = name if name.strip() else f"Unnamed: {i}"
            log.add("blank_header", row=1, column=name, action="kept under a generated name", **where)
        elif name in seen:
            original, k = name, 1
            while f"{original}.{k}" in seen:
                k += 1
            name = f"{original}.{k}"
            log.add("duplicate_header", row=1, column=name, value=original, action="kept under a generated name",
                    **where)
        elif (mangled := re.fullmatch(r"(.*)\.\d+", name)) and mangled.group(1) in seen:
            log.add("duplicate_header", row=1, column=name, value=mangled.group(1),
                    action="kept under a generated name", **where)
        seen.add(name)
        renamed.append(name)
    df.columns = renamed
    return df


def read_table(path: str | Path, sheet_name: str | int = 0, **kwargs):
    """Read a CSV, Excel or HTML-disguised table as text, reporting how it was read.

    Parameters
    ----------
    path : str or Path
        ``.csv``/``.txt``/``.tsv`` (encoding and delimiter detected), ``.xlsx``/``.xlsm``
        (openpyxl) or ``.xls`` (calamine).  The content decides: an ``.xls`` that is an
        HTML page, or an ``.xlsx`` that is really an old ``.xls``, is read for what it is.
    sheet_name : str or int, default 0
        Excel sheet (or the n-th ``<table>`` of an HTML page).
    **kwargs
        Passed to :func:`pandas.read_csv` / :func:`pandas.read_excel` (``sep`` overrides the
        sniffed delimiter).

    Returns
    -------
    pandas.DataFrame
        All columns as strings (``dtype=str``), so codes such as ``"007"`` and phone numbers
        keep their leading zeros.  ``df.attrs``: ``source`` (the path), ``encoding`` (the
        text encoding, or ``"xlsx"``/``"xls"``/``"html"``), ``delimiter`` (text files) and
        ``quality`` (records of :class:`laoyou_eval.quality.QualityLog`: the content did not
        match the extension, a BOM in front of GBK bytes, blank or repeated header cells —
        pandas renames them ``Unnamed: k`` / ``name.1``).

    Raises
    ------
    LaoyouError
        For a missing or empty file, an unknown encoding, an unsupported file type, a
        damaged or truncated workbook, or rows that do not split into the header's columns.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
    >>> _ = path.write_text("id;score\\n007;3,5\\n", encoding="utf-8")
    >>> df = read_table(path)
    >>> df.to_dict("records"), df.attrs["delimiter"]
    ([{'id': '007', 'score': '3,5'}], ';')
    """
    import pandas as pd

    path = Path(path)
    if not path.is_file():
        raise LaoyouError("找不到文件。", "File not found.", file=path)
    suffix = path.suffix.lower()
    if suffix not in EXCEL_SUFFIXES and suffix not in TEXT_SUFFIXES:
        raise LaoyouError(
            f"不支持的文件类型 {suffix}。", f"Unsupported file type {suffix}.", file=path,
            hint_zh="请导出为 .xlsx、.xls 或 .csv。", hint_en="export as .xlsx, .xls or .csv.")
    if not path.read_bytes().strip():
        raise LaoyouError("文件是空的。", "The file is empty.", file=path,
                          hint_zh="重新从问卷平台下载。", hint_en="download the export again.")
    log = QualityLog(file=path.name)
    kind = file_kind(path)
    expected = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls"}.get(suffix, "text")
    if kind != expected:
        log.add("format_mismatch", value=suffix, action="read as its real format",
                detail_zh=f"内容是 {kind}", detail_en=f"the content is {kind}")
    options = {"dtype": str, "keep_default_na": False, **kwargs}
    delimiter = None
    if kind in ("xlsx", "xls"):
        try:
            df = pd.read_excel(path, sheet_name=sheet_name, engine="openpyxl" if kind == "xlsx" else "calamine",
                               **options)
        except (ValueError, KeyError) as error:
            if "not found" in str(error) or "No sheet" in str(error) or "Worksheet" in str(error):
                raise LaoyouError(f"工作簿中没有工作表 {sheet_name!r}。", f"The workbook has no sheet {sheet_name!r}.",
                                  file=path) from None
            raise _damaged(path, kind, error) from None
        except Exception as error:  # noqa: BLE001 - BadZipFile, CalamineError, OSError … of a damaged file
            raise _damaged(path, kind, error) from None
        encoding = kind
    else:
        text, encoding = read_text(path)
        if encoding.endswith("BOM)"):
            log.add("bom_mismatch", action="read as its real format",
                    detail_zh="文件开头有 UTF-8 标记，内容却是 GBK", detail_en="a UTF-8 BOM in front of GBK bytes")
        if kind == "html":
            df = _frame_from_rows(_html_table(text, path, sheet_name), path)
            encoding = "html"
        else:
            delimiter = options.pop("sep", None) or sniff_delimiter(text)
            if options.get("header", "infer") is not None:
                width = _check_row_widths(text, delimiter, path)
                options.setdefault("index_col", False)  # extra (blank) trailing fields never become an index
                if width is not None:
                    options.setdefault("usecols", range(width))
            try:
                df = pd.read_csv(io.StringIO(text), sep=delimiter, **options)
            except pd.errors.EmptyDataError:
                raise LaoyouError("文件里没有表头。", "The file has no header row.", file=path, row=1) from None
            except pd.errors.ParserError as error:
                import re

                line = re.search(r"(?:line|row) (\d+)", str(error))
                raise LaoyouError(
                    "某一行的列数与表头不符（多了分隔符或引号没有闭合）。",
                    f"A row does not split into the header's columns: {error}",
                    file=path, row=int(line.group(1)) if line else None,
                    hint_zh="在 Excel 中打开检查这一行，另存为 CSV UTF-8。",
                    hint_en="check that row in Excel and save again as CSV UTF-8.") from None
    if isinstance(df, dict):  # sheet_name=None: every sheet
        for frame in df.values():
            frame.attrs.update(source=str(path), encoding=encoding)
        return df
    df = _check_columns(df, log)
    df.attrs.update(source=str(path), encoding=encoding, quality=log.records)
    if delimiter is not None:
        df.attrs["delimiter"] = delimiter
    return df


def read_workbook(path: str | Path) -> dict:
    """Every sheet of a workbook (.xlsx, .xls, or either under the other's name) as text
    DataFrames, by sheet name; damaged files raise :class:`~laoyou_eval.errors.LaoyouError`."""
    path = Path(path)
    if not path.is_file():
        raise LaoyouError("找不到文件。", "File not found.", file=path)
    if file_kind(path) not in ("xlsx", "xls"):
        raise LaoyouError("这不是 Excel 工作簿（.xlsx/.xls）。", "This is not an Excel workbook (.xlsx/.xls).", file=path,
                          hint_zh="在 Excel/WPS 中打开后另存为 .xlsx。", hint_en="open it in Excel/WPS and save as .xlsx.")
    return read_table(path, sheet_name=None)


def read_rows(path: str | Path, limit: int = 20) -> list[list[str]]:
    """The first ``limit`` rows of a CSV or Excel file exactly as a spreadsheet shows them
    (blank rows included, no header interpretation), to locate a misplaced header."""
    path = Path(path)
    kind = file_kind(path)
    if kind in ("xlsx", "xls"):
        sheet = read_table(path, header=None, nrows=limit)
        return sheet.values.tolist()
    text, _ = read_text(path)
    if kind == "html":
        return _html_table(text, path, 0)[:limit]
    return [row for _, row in zip(range(limit), csv.reader(io.StringIO(text), delimiter=sniff_delimiter(text)))]
