"""Excel (.xlsx) with every table of a document on its own sheet, and the report_facts.json file.

Each table sheet is a plain rectangle: one header row of column labels, then the data (no
index column, no title rows), so it reads back with ``pandas.read_excel`` or a pivot table as
it is.  A first sheet lists the tables with their numbers, titles and notes.  Text that a
spreadsheet would execute (leading ``= + - @``, tab, carriage return) gets a leading
apostrophe.
"""

from __future__ import annotations

import io
import json
import re

from laoyou_eval.report.document import Table, _json_value, plain
from laoyou_eval.report.render.common import WORDS, deterministic_zip

#: Characters that make a spreadsheet treat a cell as a formula (OWASP "CSV injection").
FORMULA_START = re.compile(r"^[=+\-@\t\r]")
NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|\.\d+)([eE][+-]?\d+)?%?$")
SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def neutralise(value):
    """Prefix text that a spreadsheet would run as a formula with an apostrophe.

    Numbers written as text (``-0.52``) are left alone: they are not formulas.

    Examples
    --------
    >>> [neutralise(v) for v in ("=1+1", "@SUM(A1)", "-0.52", "+86 138", "正常", 3)]
    ["'=1+1", "'@SUM(A1)", '-0.52', "'+86 138", '正常', 3]
    """
    if isinstance(value, str) and FORMULA_START.match(value) and not NUMBER.match(value.strip()):
        return "'" + value
    return value


def sheet_name(number: str, title: str) -> str:
    """``表1 短标题`` / ``Table 1 Short title``, at most 31 characters, no characters Excel forbids."""
    name = f"{number} {SHEET_FORBIDDEN.sub(' ', plain(title))}"
    return re.sub(r"\s+", " ", name)[:31].strip().strip("'")


def to_xlsx(doc, path):
    """Write every table of ``doc`` to its own sheet of an Excel workbook (atomic, same bytes every run).

    Returns
    -------
    pathlib.Path
    """
    import pandas as pd
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, Side

    from laoyou_eval.storage import atomic_write_bytes

    words, numbers = WORDS[doc.lang], doc.numbers()
    thick, thin = Side(style="medium"), Side(style="thin")
    book = Workbook()
    index = book.active
    index.title = words["tables"]
    index.append([words["number"], words["title"], words["sheet"], words["notes"]])
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    for block in tables:
        number = numbers[id(block)]
        name = sheet_name(number, doc.resolve(block.title))
        index.append([neutralise(v) for v in (number, plain(doc.resolve(block.title)), name,
                                              plain(doc.resolve(block.note)))])
        frame = block.display()
        sheet = book.create_sheet(name)
        sheet.append([neutralise(str(c)) for c in frame.columns])
        for row in frame.itertuples(index=False):
            sheet.append([_cell(v, pd) for v in row])
        _rules(sheet, len(frame.columns), len(frame) + 1, thick, thin)
        _widths(sheet, frame)
        sheet.freeze_panes = "A2"
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    _rules(index, 4, len(tables) + 1, thick, thin)
    for column, width in zip("ABCD", (10, 48, 34, 60)):
        index.column_dimensions[column].width = width
    for cell in index[1]:
        cell.font = Font(bold=True)
    book.properties.creator = "laoyou_eval"
    book.properties.title = plain(doc.title)
    buffer = io.BytesIO()
    book.save(buffer)
    return atomic_write_bytes(path, deterministic_zip(buffer.getvalue()))


def _cell(value, pd):
    """A value as stored: numbers stay numbers, missing cells stay empty, text neutralised."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, (bool, int, float)):
        return value
    return neutralise(str(value))


def _rules(sheet, width: int, height: int, thick, thin) -> None:
    from openpyxl.styles import Border

    for j in range(1, width + 1):
        sheet.cell(1, j).border = Border(top=thick, bottom=thick if height == 1 else thin)
        if height > 1:
            sheet.cell(height, j).border = Border(bottom=thick)


def _widths(sheet, frame) -> None:
    from openpyxl.utils import get_column_letter

    for j, column in enumerate(frame.columns, start=1):
        longest = max([len(str(column))] + [len(str(v)) for v in frame.iloc[:, j - 1]])
        sheet.column_dimensions[get_column_letter(j)].width = min(50, max(8, longest * 1.6 + 2))


def write_facts(doc, path):
    """Write ``report_facts.json``: every fact printed, the tables and figures, the placeholders.

    The file has ``title``, ``lang``, ``facts`` (``key``, ``value``, ``shown``, ``source``;
    non-finite values as null), ``tables`` and ``figures`` (``number``, ``key``, ``title``) and
    ``placeholders``.  Keys are written in a fixed order: the same document gives the same bytes.

    Returns
    -------
    pathlib.Path
    """
    from laoyou_eval.report.document import Figure
    from laoyou_eval.storage import atomic_write_bytes

    numbers = doc.numbers()

    def listed(kind):
        return [{"number": numbers[id(b)], "key": b.key, "title": plain(doc.resolve(b.title))}
                for b in doc.blocks if isinstance(b, kind)]

    content = {"title": doc.title, "subtitle": doc.subtitle, "lang": doc.lang,
               "facts": [{"key": f.key, "value": _json_value(f.value), "shown": f.shown, "source": f.source}
                         for f in doc.facts],
               "tables": listed(Table), "figures": listed(Figure), "placeholders": list(doc.placeholders)}
    text = json.dumps(content, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    return atomic_write_bytes(path, text.encode("utf-8"))
