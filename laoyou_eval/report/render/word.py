"""Word (.docx) rendering of a :class:`~laoyou_eval.report.document.Document`.

What a Chinese methods course (and a funder's template) expects of a submitted report:

* real ``Heading 1``–``Heading 3`` styles (Word's navigation pane and outline work) and a
  table-of-contents field after the title (Word fills in page numbers when the file is opened;
  the entries are pre-filled so the contents read correctly before that);
* three-line tables (三线表): 1.5 pt rules above and below the table, 0.75 pt under the
  header, no vertical lines; the numbered title above (表1 …) and the note below;
* figures at print resolution (300 dpi) with the numbered caption below (图1 …);
* 宋体 body text and 黑体 headings for Chinese, Times New Roman for Latin text (the
  ``w:eastAsia`` font attribute); an English document is Times New Roman throughout;
* statistics symbols in italics, placeholders highlighted, page numbers in the footer.

References
----------
American Psychological Association. (2020). *Publication manual of the American Psychological
Association* (7th ed.), chapter 7 (tables and figures). https://doi.org/10.1037/0000165-000
"""

from __future__ import annotations

import io

from laoyou_eval.report.document import Bullets, Figure, Heading, Link, Paragraph, Table, spans
from laoyou_eval.report.render.common import FONTS, WORDS, caption_separator, cell_text, deterministic_zip, png_size

#: Table rules in eighths of a point: top and bottom 1.5 pt, under the header 0.75 pt.
RULE_OUTER, RULE_HEADER = 12, 6
#: Text width of an A4 page with the margins below (cm).
TEXT_WIDTH_CM = 21.0 - 2 * 2.8


def to_docx(doc, path):
    """Write ``doc`` as a Word document at ``path`` (written atomically, same bytes every run).

    Returns
    -------
    pathlib.Path

    Raises
    ------
    LaoyouError
        Through the document checks: an unknown reference, an unlabelled table column, or a
        figure with glyphs missing from its font.
    """
    import docx
    from docx.shared import Cm

    from laoyou_eval.storage import atomic_write_bytes

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.8)
    section.top_margin = section.bottom_margin = Cm(2.5)
    _styles(document, doc.lang)
    _page_numbers(section)
    document.core_properties.title = doc.title
    document.core_properties.language = "zh-CN" if doc.lang == "zh" else "en-GB"
    document.add_paragraph(doc.title, style="Title")
    if doc.subtitle:
        _rich(document.add_paragraph(style="Subtitle"), doc, doc.subtitle)
    _contents(document, doc)
    numbers = doc.numbers()
    for block in doc.blocks:
        if isinstance(block, Heading):
            _rich(document.add_heading(level=block.level), doc, block.text)
        elif isinstance(block, Paragraph):
            _rich(document.add_paragraph(), doc, block.text)
        elif isinstance(block, Bullets):
            for item in block.items:
                _rich(document.add_paragraph(style="List Bullet"), doc, item)
        elif isinstance(block, Link):
            _link(document.add_paragraph(), block.text, block.target)
        elif isinstance(block, Table):
            _table(document, doc, block, numbers[id(block)])
        elif isinstance(block, Figure):
            _figure(document, doc, block, numbers[id(block)])
    _update_fields_on_open(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return atomic_write_bytes(path, deterministic_zip(buffer.getvalue()))


# --------------------------------------------------------------------------- styles
def _fonts(style_or_run_element, latin: str, east_asian: str) -> None:
    """Latin and East Asian fonts on a style or run (theme fonts removed so they apply)."""
    from docx.oxml.ns import qn

    fonts = style_or_run_element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), latin)
    fonts.set(qn("w:eastAsia"), east_asian)


def _styles(document, lang: str) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    body, heading = FONTS[lang]["docx_body"], FONTS[lang]["docx_heading"]
    styles = document.styles
    for name in ("TOC 1", "TOC 2", "TOC 3"):
        if name not in [s.name for s in styles]:
            styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH).base_style = styles["Normal"]
    normal = styles["Normal"]
    normal.font.size = Pt(12)
    normal.paragraph_format.line_spacing = 1.25
    normal.paragraph_format.space_after = Pt(4)
    _fonts(normal.element, "Times New Roman", body)
    language = normal.element.get_or_add_rPr().find(qn("w:lang"))
    if language is None:
        from docx.oxml import OxmlElement

        language = OxmlElement("w:lang")
        normal.element.get_or_add_rPr().append(language)
    language.set(qn("w:val"), "en-GB")
    language.set(qn("w:eastAsia"), "zh-CN")
    sizes = {"Title": 18, "Subtitle": 13, "Heading 1": 15, "Heading 2": 13.5, "Heading 3": 12, "Caption": 10.5}
    for name, size in sizes.items():
        style = styles[name]
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.font.italic = False
        style.font.bold = name != "Subtitle"
        _fonts(style.element, "Times New Roman", heading if name != "Caption" else body)
        style.paragraph_format.space_before = Pt(12 if name.startswith("Heading") else 0)
        style.paragraph_format.space_after = Pt(6)
        if name in ("Title", "Subtitle", "Caption"):
            style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _remove_title_border(styles["Title"])
    for name in ("List Bullet", "Quote", "TOC 1", "TOC 2", "TOC 3"):
        _fonts(styles[name].element, "Times New Roman", body)
    for level, name in enumerate(("TOC 1", "TOC 2", "TOC 3")):
        styles[name].paragraph_format.left_indent = Pt(12 * level)
        styles[name].paragraph_format.space_after = Pt(0)


def _remove_title_border(style) -> None:
    """The default template underlines the Title with a blue rule; a report title has none."""
    from docx.oxml.ns import qn

    properties = style.element.find(qn("w:pPr"))
    border = properties.find(qn("w:pBdr")) if properties is not None else None
    if border is not None:
        properties.remove(border)


# --------------------------------------------------------------------------- text
def _rich(paragraph, doc, text: str, *, size=None):
    """Add ``text`` to a paragraph as runs: italics, subscripts, highlighted placeholders, resolved refs."""
    from docx.enum.text import WD_COLOR_INDEX

    for span in spans(text):
        run = paragraph.add_run(doc.resolve(doc.ref(span.ref)) if span.ref else span.text)
        run.italic = span.italic or None
        run.font.subscript = span.subscript or None
        if span.placeholder:
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        if size is not None:
            run.font.size = size
    return paragraph


def _field(paragraph, instruction: str, result: str = ""):
    """A Word field (``PAGE``, ``TOC …``) in ``paragraph``; returns the run holding its result."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind: str):
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._r.append(element)
        return run

    char("begin")
    instruction_run = paragraph.add_run()
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    instruction_run._r.append(code)
    char("separate")
    shown = paragraph.add_run(result)
    char("end")
    return shown


def _contents(document, doc) -> None:
    """The heading “目录 / Contents” and a TOC field pre-filled with the headings."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    heading = document.add_paragraph(WORDS[doc.lang]["contents"], style="TOC Heading")
    heading.runs[0].font.size = Pt(14)
    entries = doc.headings()
    first = document.add_paragraph(style="TOC 1")

    def char(paragraph, kind):
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        paragraph.add_run()._r.append(element)

    char(first, "begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = ' TOC \\o "1-3" \\h \\z \\u '
    first.add_run()._r.append(code)
    char(first, "separate")
    paragraph = first
    for k, entry in enumerate(entries):
        if k:
            paragraph = document.add_paragraph(style=f"TOC {entry.level}")
        elif entry.level != 1:
            paragraph.style = document.styles[f"TOC {entry.level}"]
        paragraph.add_run(_plain_resolved(doc, entry.text))
    if not entries:
        paragraph.add_run(WORDS[doc.lang]["update_toc"])
    char(paragraph, "end")
    document.add_page_break()


def _plain_resolved(doc, text: str) -> str:
    from laoyou_eval.report.document import plain

    return plain(doc.resolve(text))


def _update_fields_on_open(document) -> None:
    """Ask Word to update fields (the contents' page numbers) when the file is opened."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    settings = document.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


def _page_numbers(section) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(footer, "PAGE", "1")


def _link(paragraph, text: str, target: str) -> None:
    """A hyperlink to a file next to the report (relative target)."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import RGBColor

    relation = paragraph.part.relate_to(target, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), relation)
    run = paragraph.add_run(text)
    run.font.underline = True
    run.font.color.rgb = RGBColor(0x1F, 0x4E, 0x9A)
    link.append(run._r)
    paragraph._p.append(link)


# --------------------------------------------------------------------------- tables
def _caption(document, doc, number: str, title: str, *, keep_with_next: bool):
    """A numbered caption paragraph: 表1　标题 (zh) or **Table 1.** Title (en), in the Caption style."""
    paragraph = document.add_paragraph(style="Caption")
    label = paragraph.add_run(number + ("　" if doc.lang == "zh" else ". "))
    label.bold = True
    _rich(paragraph, doc, title)
    paragraph.paragraph_format.keep_with_next = keep_with_next
    return paragraph


def _table(document, doc, block, number: str) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    frame = block.display()
    _caption(document, doc, number, block.title, keep_with_next=True)
    size = Pt(10.5 if len(frame.columns) <= 6 else 9 if len(frame.columns) <= 9 else 8)
    table = document.add_table(rows=len(frame) + 1, cols=len(frame.columns))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    rows = [list(map(str, frame.columns))] + [[cell_text(v) for v in row] for row in frame.itertuples(index=False)]
    for i, values in enumerate(rows):
        for j, value in enumerate(values):
            paragraph = table.cell(i, j).paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            paragraph.paragraph_format.line_spacing = 1.0
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if j == 0 else WD_ALIGN_PARAGRAPH.CENTER
            run = _rich(paragraph, doc, value, size=size)
            if i == 0:
                for r in run.runs:
                    r.bold = True
            if i < len(rows) - 1:
                paragraph.paragraph_format.keep_with_next = True
    _three_line(table)
    if block.note:
        note = document.add_paragraph()
        note.paragraph_format.space_before = Pt(2)
        lead = note.add_run(WORDS[doc.lang]["note"])
        lead.font.size = Pt(9)
        lead.italic = doc.lang == "en" or None
        _rich(note, doc, block.note, size=Pt(9))
    else:
        document.add_paragraph().paragraph_format.space_after = Pt(0)


def _border(parent, edge: str, value: str, size: int = 0) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(f"w:{edge}")
    element.set(qn("w:val"), value)
    if value != "nil":
        element.set(qn("w:sz"), str(size))
        element.set(qn("w:space"), "0")
        element.set(qn("w:color"), "000000")
    parent.append(element)


def _three_line(table) -> None:
    """三线表: rules above and below the table and under the header row, nothing else.

    The rules are set on the cells (which every word processor honours) and the table's own
    borders are explicitly empty; the header row repeats on each page.
    """
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = table._tbl.tblPr
    for old in properties.findall(qn("w:tblBorders")):
        properties.remove(old)
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        _border(borders, edge, "nil")
    properties.append(borders)
    width = OxmlElement("w:tblW")
    for old in properties.findall(qn("w:tblW")):
        properties.remove(old)
    width.set(qn("w:w"), "5000")
    width.set(qn("w:type"), "pct")
    properties.append(width)
    rows = table.rows
    header = rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    header.append(repeat)
    for i, row in enumerate(rows):
        for cell in row.cells:
            cell_borders = OxmlElement("w:tcBorders")
            if i == 0:
                _border(cell_borders, "top", "single", RULE_OUTER)
            _border(cell_borders, "left", "nil")
            if i == 0:
                _border(cell_borders, "bottom", "single", RULE_OUTER if len(rows) == 1 else RULE_HEADER)
            elif i == len(rows) - 1:
                _border(cell_borders, "bottom", "single", RULE_OUTER)
            _border(cell_borders, "right", "nil")
            cell._tc.get_or_add_tcPr().append(cell_borders)


# --------------------------------------------------------------------------- figures
def _figure(document, doc, block, number: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    png = block.png()
    width_px, _, dpi = png_size(png)
    width = min(TEXT_WIDTH_CM, width_px / dpi * 2.54)
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.keep_with_next = True
    paragraph.add_run().add_picture(io.BytesIO(png), width=Cm(width))
    caption = _caption(document, doc, number, block.title, keep_with_next=False)
    if block.caption:
        before = len(caption.runs)
        _rich(caption, doc, caption_separator(doc.lang, block.title) + block.caption)
        for run in caption.runs[before:]:
            run.bold = False
