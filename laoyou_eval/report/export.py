"""Export the executed notebook series as Word, Excel and PDF documents.

* :func:`collect` walks the executed notebooks in order and yields the report's blocks:
  headings and paragraphs from the Markdown cells, tables and figures from the outputs (code
  cells themselves never reach a report);
* :func:`to_docx` writes a Word document with real Word tables in the three-line style
  (三线表) that Chinese methods courses expect, the figures, and the East-Asian font set;
* :func:`to_excel` writes every result table to its own sheet;
* :func:`to_pdf` prints the HTML report with headless Chromium when it is installed.

Every table that leaves the package goes through
:func:`laoyou_eval.report.tables.protect`: counts of people below the small-cell threshold are
shown as ``<5``.
"""

from __future__ import annotations

import base64
import io
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

from laoyou_eval.report.render.browser import find_chromium, to_pdf
from laoyou_eval.report.tables import protect

__all__ = ["Block", "collect", "find_chromium", "to_docx", "to_excel", "to_pdf"]

HEADING = re.compile(r"^(#{1,4})\s+(.*)$")
INLINE_MARKUP = re.compile(r"\*\*(.+?)\*\*|`([^`]+)`|\[([^\]]+)\]\([^)]+\)")


@dataclass
class Block:
    """One piece of the report: ``kind`` is heading, paragraph, bullet, quote, table or figure."""

    kind: str
    text: str = ""
    level: int = 0
    table: object = None
    png: bytes = b""


def _plain(text: str) -> str:
    """Markdown inline markup removed (bold, code, links)."""
    return INLINE_MARKUP.sub(lambda m: next(g for g in m.groups() if g is not None), text)


def _markdown_blocks(source: str) -> list[Block]:
    blocks, paragraph = [], []

    def flush():
        if paragraph:
            blocks.append(Block("paragraph", _plain(" ".join(paragraph))))
            paragraph.clear()

    for line in source.splitlines():
        stripped = line.strip()
        if not stripped:
            flush()
        elif m := HEADING.match(stripped):
            flush()
            blocks.append(Block("heading", _plain(m.group(2)), level=len(m.group(1))))
        elif re.match(r"^([-*]|\d+\.)\s+", stripped):
            flush()
            blocks.append(Block("bullet", _plain(re.sub(r"^([-*]|\d+\.)\s+", "", stripped))))
        elif stripped.startswith(">"):
            flush()
            blocks.append(Block("quote", _plain(stripped.lstrip("> "))))
        else:
            paragraph.append(stripped)
    flush()
    return blocks


def _html_tables(html: str):
    import pandas as pd

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tables = pd.read_html(io.StringIO(html), flavor="lxml")
    out = []
    for table in tables:
        if isinstance(table.columns, pd.MultiIndex):  # a named index adds a header row
            table.columns = [next((c for c in reversed(col) if not str(c).startswith("Unnamed")), "")
                             for col in table.columns]
        table.columns = ["" if str(c).startswith("Unnamed") else c for c in table.columns]
        if len(table.columns) and table.columns[0] == "" and table.iloc[:, 0].tolist() == list(range(len(table))):
            table = table.iloc[:, 1:]  # the row numbers 0, 1, 2 … of an unnamed index are not data
        out.append(table.loc[:, [c != "" or table[c].notna().any() for c in table.columns]])
    return out


def collect(notebooks) -> list[Block]:
    """The report's blocks, in order, from executed notebooks (parameter cells skipped)."""
    import nbformat

    blocks = []
    for path in notebooks:
        nb = nbformat.read(str(path), as_version=4)
        for cell in nb.cells:
            tags = set(cell.get("metadata", {}).get("tags", []))
            if tags & {"parameters", "injected-parameters", "remove-from-report"}:
                continue
            if cell.cell_type == "markdown":
                blocks += _markdown_blocks(cell.source)
                continue
            for output in cell.get("outputs", []):
                if output.get("output_type") == "stream" and output.get("name") == "stdout":
                    blocks += [Block("paragraph", line) for line in output.get("text", "").strip().splitlines()
                               if line.strip()]
                    continue
                data = output.get("data", {})
                if "image/png" in data:
                    blocks.append(Block("figure", png=base64.b64decode(data["image/png"])))
                elif "text/html" in data and "<table" in data["text/html"]:
                    blocks += [Block("table", table=protect(t)) for t in _html_tables(data["text/html"])]
                elif "text/plain" in data and not data["text/plain"].startswith("<Figure"):
                    blocks.append(Block("paragraph", data["text/plain"].strip("'\"")))
    return blocks


def _cell_text(value) -> str:
    import pandas as pd

    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "—"
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".") if abs(value) < 1e6 else f"{value:.4g}"
    return str(value)


def _three_line_borders(table) -> None:
    """Top and bottom rules (1.5 pt) and a rule under the header (0.75 pt), no other lines."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def rule(cell, edge: str, size: int) -> None:
        properties = cell._tc.get_or_add_tcPr()
        borders = properties.find(qn("w:tcBorders"))
        if borders is None:
            borders = OxmlElement("w:tcBorders")
            properties.append(borders)
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), str(size))
        element.set(qn("w:color"), "000000")
        borders.append(element)

    rows = table.rows
    for cell in rows[0].cells:
        rule(cell, "top", 12)
        rule(cell, "bottom", 6)
    for cell in rows[-1].cells:
        rule(cell, "bottom", 12)


def to_docx(blocks: list[Block], path, title: str) -> Path:
    """A Word document: headings, paragraphs, three-line tables, figures; 宋体 for CJK text."""
    import docx
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = docx.Document()
    for style_name in ("Normal", "Heading 1", "Heading 2", "Heading 3", "Title", "List Bullet", "Quote"):
        style = document.styles[style_name]
        style.font.name = "Times New Roman"
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")
    document.styles["Normal"].font.size = Pt(10.5)
    document.add_heading(title, level=0)
    for block in blocks:
        if block.kind == "heading":
            document.add_heading(block.text, level=min(block.level, 3))
        elif block.kind == "bullet":
            document.add_paragraph(block.text, style="List Bullet")
        elif block.kind == "quote":
            document.add_paragraph(block.text, style="Quote")
        elif block.kind == "paragraph":
            document.add_paragraph(block.text)
        elif block.kind == "figure":
            document.add_picture(io.BytesIO(block.png), width=Cm(15))
        elif block.kind == "table":
            frame = block.table
            table = document.add_table(rows=len(frame) + 1, cols=len(frame.columns))
            for j, column in enumerate(frame.columns):
                table.cell(0, j).text = str(column)
            for i, row in enumerate(frame.itertuples(index=False), start=1):
                for j, value in enumerate(row):
                    table.cell(i, j).text = _cell_text(value)
            for cell in (c for r in table.rows for c in r.cells):  # wide tables fit the page better
                for run in (run for paragraph in cell.paragraphs for run in paragraph.runs):
                    run.font.size = Pt(8)
            _three_line_borders(table)
            document.add_paragraph()
    path = Path(path)
    buffer = io.BytesIO()
    document.save(buffer)
    from laoyou_eval.storage import atomic_write_bytes

    return atomic_write_bytes(path, buffer.getvalue())


def to_excel(blocks: list[Block], path) -> Path:
    """Every table on its own sheet (named after the heading above it), three-line borders."""
    import pandas as pd
    from openpyxl.styles import Border, Side

    from laoyou_eval.storage import atomic_write_bytes

    heading, used, sheets = "table", set(), []
    for block in blocks:
        if block.kind == "heading":
            heading = re.sub(r"[\[\]:*?/\\]", " ", block.text)
        elif block.kind == "table":
            base = heading[:28].strip() or "table"
            name, k = base, 2
            while name in used:
                name, k = f"{base[:26]} {k}", k + 1
            used.add(name)
            sheets.append((name, block.table))
    buffer = io.BytesIO()
    thick, thin = Side(style="medium"), Side(style="thin")
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets:
            frame.to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            width = len(frame.columns)
            for j in range(1, width + 1):
                sheet.cell(1, j).border = Border(top=thick, bottom=thin)
                sheet.cell(len(frame) + 1, j).border = Border(bottom=thick, top=thin if len(frame) == 0 else None)
    return atomic_write_bytes(path, buffer.getvalue())
