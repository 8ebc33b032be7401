"""The case-study document model and its renderers: Word, HTML (checked in real Chromium), PDF, Excel, facts."""

import json
import os
import re
import warnings
import zipfile

import pandas as pd
import pytest

from laoyou_eval.errors import LaoyouError
from laoyou_eval.report import document as dm
from laoyou_eval.report import render

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _figure(lang):
    import matplotlib.pyplot as plt

    from laoyou_eval.report import theme

    theme()
    fig, ax = plt.subplots(figsize=(5, 3))
    ax.bar(["基线" if lang == "zh" else "Baseline", "6个月" if lang == "zh" else "6 months"], [5.1, 4.2])
    ax.set_ylabel("孤独感（3–9 分）" if lang == "zh" else "Loneliness (3–9 points)")
    ax.set_title("孤独感前后对比" if lang == "zh" else "Loneliness before and after")
    return fig


def build(lang):
    zh = lang == "zh"
    doc = dm.Document("社区支持项目评估报告" if zh else "Community support programme evaluation",
                      subtitle="个案研究" if zh else "A case study", lang=lang)
    # a reference written before the table exists
    t = doc.fact("loneliness.t", -3.2101, "−3.21", "paired[residents,loneliness,programme,1→2].t")
    p = doc.fact("loneliness.p", 0.0071, ".007", "paired[residents,loneliness,programme,1→2].p")
    d = doc.fact("loneliness.d_z", -0.861, "−0.86", "paired[residents,loneliness,programme,1→2].d_z")
    doc.add(dm.Heading("一、背景与起因" if zh else "1. Background", 1))
    site = "【待填写：项目地点】" if zh else "[TO FILL: site]"
    doc.add(dm.Paragraph((f"项目在{site}开展。结果见{doc.ref('scores')}和{doc.ref('trend')}：孤独感下降，"
                          f"*t*(13) = {t}，*p* = {p}，*d*_z_ = {d}。") if zh else
                         (f"The programme ran in {site}. See {doc.ref('scores')} and {doc.ref('trend')}: loneliness "
                          f"fell, *t*(13) = {t}, *p* = {p}, *d*_z_ = {d}.")))
    doc.add(dm.Heading("（一）量表得分" if zh else "1.1 Scale scores", 2))
    scores = pd.DataFrame({"量表" if zh else "Scale": ["孤独感" if zh else "Loneliness", "=HYPERLINK(\"x\")"],
                           "样本量" if zh else "n": [14, 3],
                           "均值" if zh else "Mean": [4.2, -0.51234]})
    doc.add(dm.Table("各量表前后得分" if zh else "Scores before and after", scores,
                     note="*p* < .05。" if zh else "*p* < .05.", key="scores"))
    doc.add(dm.Figure("孤独感的变化" if zh else "Change in loneliness", _figure(lang),
                      caption="n = 14", key="trend"))
    wide = pd.DataFrame({f"{'列' if zh else 'Column'} {k}": [f"{k * 1.234:.2f}"] * 3 for k in range(1, 13)})
    doc.add(dm.Heading("二、做法与经过" if zh else "2. What was done", 1))
    doc.add(dm.Bullets(["一对一探访" if zh else "one-to-one visits", "家长小组" if zh else "a parents' group"]))
    doc.add(dm.Table("活动记录" if zh else "Activity records", wide, key="wide"))
    doc.add(dm.Link("分析笔记本" if zh else "Analysis notebooks", "notebooks/01_overview.html"))
    return doc


@pytest.fixture(scope="module", params=["zh", "en"])
def rendered(request, tmp_path_factory):
    out = tmp_path_factory.mktemp(f"render_{request.param}")
    doc = build(request.param)
    paths = {"docx": render.to_docx(doc, out / "report.docx"), "html": render.to_html(doc, out / "report.html"),
             "xlsx": render.to_xlsx(doc, out / "report_tables.xlsx"),
             "facts": render.write_facts(doc, out / "report_facts.json")}
    return request.param, doc, paths


# --------------------------------------------------------------------------- document model
def test_numbering_references_and_placeholders():
    doc = build("zh")
    assert doc.labels() == {"scores": "表1", "trend": "图1", "wide": "表2"}
    assert "结果见表1和图1" in doc.plain_text()
    assert doc.placeholders == ["【待填写：项目地点】"]
    assert build("en").labels() == {"scores": "Table 1", "trend": "Figure 1", "wide": "Table 2"}
    doc.add(dm.Paragraph(f"见{doc.ref('missing')}"))
    with pytest.raises(LaoyouError, match="missing"):
        doc.plain_text()


def test_markup_italic_and_subscript():
    parts = [(s.text, s.italic, s.subscript) for s in dm.spans("*t*(13) = 2, *d*_z_ = 0.8, 3 * 4 * 5")]
    assert parts == [("t", True, False), ("(13) = 2, ", False, False), ("d", True, False), ("z", False, True),
                     (" = 0.8, 3 * 4 * 5", False, False)]
    assert dm.plain("*d*_z_ = 0.8") == "dz = 0.8"


def test_bad_blocks_are_refused():
    doc = dm.Document("t", lang="en")
    with pytest.raises(LaoyouError, match="title"):
        doc.add(dm.Figure("", b"\x89PNG"))
    with pytest.raises(LaoyouError, match="unlabelled column"):
        doc.add(dm.Table("x", pd.read_csv(__import__("io").StringIO(",a\n0,1\n"))))  # the old "Unnamed: 0"
    with pytest.raises(LaoyouError, match="unnamed row labels"):
        doc.add(dm.Table("x", pd.DataFrame({"a": [1]}, index=["p"])))
    with pytest.raises(LaoyouError, match="no columns"):
        doc.add(dm.Table("x", pd.DataFrame()))
    with pytest.raises(LaoyouError, match="relative path"):
        doc.add(dm.Link("x", "/home/someone/report.html"))
    doc.add(dm.Table("t", pd.DataFrame({"a": [1]}), key="k"))
    with pytest.raises(LaoyouError, match="Duplicate"):
        doc.add(dm.Table("t2", pd.DataFrame({"a": [1]}), key="k"))
    doc.fact("x", 1.0, "1.00", "here")
    with pytest.raises(LaoyouError, match="two values"):
        doc.fact("x", 2.0, "2.00", "here")


def test_named_index_becomes_a_labelled_column_and_text_counts_are_protected():
    frame = pd.DataFrame({"n": ["12", "3"], "Mean": [1.0, 2.0]}, index=pd.Index(["A", "B"], name="Group"))
    shown = dm.Table("t", frame).display()
    assert list(shown.columns) == ["Group", "n", "Mean"]
    assert shown["n"].tolist() == [12, "<5"]


def test_missing_glyph_is_an_error():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with matplotlib.rc_context({"font.family": "sans-serif", "font.sans-serif": ["DejaVu Sans"]}):
        fig, ax = plt.subplots()
        ax.set_title("孤独感")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pyproject turns matplotlib's UserWarnings into errors
            with pytest.raises(LaoyouError, match="boxes"):
                dm.rasterise(fig, "no font")
    plt.close(fig)


# --------------------------------------------------------------------------- Word
def test_docx_structure(rendered):
    import docx
    from docx.oxml.ns import qn

    lang, doc, paths = rendered
    document = docx.Document(str(paths["docx"]))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert [name for name, _ in headings] == ["Heading 1", "Heading 2", "Heading 1"]
    body = document.element.body
    assert any('TOC \\o "1-3"' in t.text for t in body.iter(f"{W}instrText")), "a TOC field"
    assert len(document.tables) == 2
    for table in document.tables:
        first, last = table.rows[0].cells[0]._tc, table.rows[-1].cells[0]._tc
        assert first.find(f".//{W}top").get(qn("w:sz")) == "12"
        assert first.find(f".//{W}bottom").get(qn("w:sz")) == "6"
        assert last.find(f".//{W}bottom").get(qn("w:sz")) == "12"
        assert table._tbl.tblPr.find(f"{W}tblBorders/{W}insideV").get(qn("w:val")) == "nil"
        assert table.rows[0].cells[0].text != "" and not any(
            c.text.startswith("Unnamed") for c in table.rows[0].cells)
    # title above each table, caption below the figure, numbered in order
    word_table, word_figure = ("表", "图") if lang == "zh" else ("Table ", "Figure ")
    sequence = []
    for element in body.iterchildren():
        if element.tag == f"{W}tbl":
            sequence.append("<table>")
        elif element.tag == f"{W}p":
            text = "".join(t.text for t in element.iter(f"{W}t"))
            if element.findall(f".//{W}drawing"):
                sequence.append("<figure>")
            elif re.match(rf"^({word_table}|{word_figure})\d", text):
                sequence.append(text.split("　")[0].split(".")[0])
    assert sequence == [f"{word_table}1", "<table>", "<figure>", f"{word_figure}1", f"{word_table}2", "<table>"]
    # statistics markup: italic t, p, d and a subscript z
    paragraph = next(p for p in document.paragraphs if "(13)" in p.text)
    assert [r.text for r in paragraph.runs if r.italic] == ["t", "p", "d"]
    assert [r.text for r in paragraph.runs if r.font.subscript] == ["z"]
    assert any(r.font.highlight_color is not None and r.text == doc.placeholders[0] for r in paragraph.runs)
    assert "[[ref:" not in "\n".join(p.text for p in document.paragraphs)
    # fonts: 宋体 body / 黑体 headings with Times New Roman for Latin; English all Times New Roman
    fonts = document.styles["Normal"].element.rPr.rFonts
    heading_fonts = document.styles["Heading 1"].element.rPr.rFonts
    assert fonts.get(qn("w:ascii")) == "Times New Roman"
    assert heading_fonts.get(qn("w:asciiTheme")) is None
    if lang == "zh":
        assert (fonts.get(qn("w:eastAsia")), heading_fonts.get(qn("w:eastAsia"))) == ("宋体", "黑体")
    else:
        assert fonts.get(qn("w:eastAsia")) == heading_fonts.get(qn("w:eastAsia")) == "Times New Roman"
    # the figure is embedded as a 300-dpi PNG
    with zipfile.ZipFile(paths["docx"]) as package:
        media = [n for n in package.namelist() if n.startswith("word/media/")]
        assert len(media) == 1
        png = package.read(media[0])
    from laoyou_eval.report.render.common import png_size

    width, _, dpi = png_size(png)
    assert round(dpi) == 300 and width > 1000


def test_small_counts_never_printed(rendered):
    import docx

    _, _, paths = rendered
    table = docx.Document(str(paths["docx"])).tables[0]
    assert [c.text for c in table.columns[1].cells][1:] == ["14", "<5"]
    assert [c.text for c in table.columns[2].cells][1:] == ["4.2", "−0.512"]
    assert "<td>&lt;5</td>" in paths["html"].read_text(encoding="utf-8")


def test_same_document_same_bytes(rendered, tmp_path):
    lang, _, paths = rendered
    again = build(lang)
    assert render.to_docx(again, tmp_path / "a.docx").read_bytes() == paths["docx"].read_bytes()
    assert render.to_xlsx(again, tmp_path / "a.xlsx").read_bytes() == paths["xlsx"].read_bytes()
    assert render.to_html(again, tmp_path / "a.html").read_bytes() == paths["html"].read_bytes()


# --------------------------------------------------------------------------- HTML
def test_html_is_offline_and_numbered(rendered):
    lang, _, paths = rendered
    page = paths["html"].read_text(encoding="utf-8")
    assert f'<html lang="{"zh-CN" if lang == "zh" else "en"}">' in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page), "no external resources"
    assert "@import" not in page and "url(" not in page
    images = re.findall(r"<img [^>]*src=\"([^\"]*)\"", page)
    assert len(images) == 1 and all(src.startswith("data:image/png;base64,") for src in images)
    words = ("表", "图") if lang == "zh" else ("Table ", "Figure ")
    captions = re.findall(r'<span class="number">([^<]+)</span>', page)
    assert captions == [f"{words[0]}1", f"{words[1]}1", f"{words[0]}2"]
    assert '<nav class="toc">' in page and page.count('href="#sec-') == 3
    assert '<a href="#tbl-1">' in page and '<a href="#fig-1">' in page
    assert "<i>t</i>" in page and "<i>d</i><sub>z</sub>" in page and "<mark>" in page


def _chromium_or_skip():
    from laoyou_eval.report.render import find_chromium

    missing = []
    if find_chromium() is None:
        missing.append("Chromium (apt-get install chromium)")
    try:
        import websocket  # noqa: F401
    except ImportError:
        missing.append("websocket-client (pip install websocket-client)")
    if missing:
        if os.environ.get("CI"):
            pytest.fail("CI must check the HTML report in a real browser; missing: " + ", ".join(missing))
        pytest.skip("needs " + ", ".join(missing) + " (required under CI)")


def test_html_in_real_browser_at_phone_width(rendered):
    _chromium_or_skip()
    _, _, paths = rendered
    check = render.page_check(paths["html"], width=375, height=800)
    assert check.viewport_width == 375
    assert check.images == 1
    assert check.problems() == []


def test_page_check_sees_overflow_broken_images_and_errors(tmp_path):
    """The browser check can fail: a page with each fault is caught."""
    _chromium_or_skip()
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><html><head><meta name="viewport" content="width=device-width"></head><body>'
                   '<div style="width:900px">wide</div><img src="missing.png">'
                   "<script>console.error('boom')</script></body></html>", encoding="utf-8")
    problems = "\n".join(render.page_check(bad).problems())
    assert "horizontal overflow" in problems and "broken image" in problems and "boom" in problems


def test_pdf_from_html(rendered, tmp_path):
    import shutil
    import subprocess

    _chromium_or_skip()
    _, doc, paths = rendered
    pdf = render.to_pdf(paths["html"], tmp_path / "report.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):  # poppler-utils: the text (Chinese included) is real text, not pictures
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert doc.title in text and doc.labels()["wide"] in text


# --------------------------------------------------------------------------- Excel and facts
def test_xlsx_one_sheet_per_table_without_index(rendered):
    from openpyxl import load_workbook

    lang, doc, paths = rendered
    sheets = pd.read_excel(paths["xlsx"], sheet_name=None, engine="openpyxl")
    names = list(sheets)
    assert len(names) == 3 and all(len(n) <= 31 for n in names)
    assert names[1].startswith("表1" if lang == "zh" else "Table 1") and names[2].startswith(
        "表2" if lang == "zh" else "Table 2")
    index = sheets[names[0]]
    assert index.iloc[:, 2].tolist() == names[1:]
    first = sheets[names[1]]
    assert list(first.columns) == list(doc.blocks[3].data.columns)  # labelled, no index column
    assert not any(str(c).startswith("Unnamed") for s in sheets.values() for c in s.columns)
    assert first.iloc[:, 1].tolist() == [14, "<5"]
    book = load_workbook(paths["xlsx"])
    cell = book[names[1]]["A3"]
    assert cell.value == "'=HYPERLINK(\"x\")" and cell.data_type == "s"
    assert book[names[1]]["C3"].value == pytest.approx(-0.51234)  # numbers stay numbers


def test_neutralise():
    assert [render.neutralise(v) for v in ("=1", "+a", "-x", "@f", "\tx", "-1.5", "12%", "ok", 5)] == \
        ["'=1", "'+a", "'-x", "'@f", "'\tx", "-1.5", "12%", "ok", 5]


def test_facts_file_lists_every_fact(rendered):
    _, doc, paths = rendered
    facts = json.loads(paths["facts"].read_text(encoding="utf-8"))
    assert [f["key"] for f in facts["facts"]] == ["loneliness.t", "loneliness.p", "loneliness.d_z"]
    assert facts["facts"][0] == {"key": "loneliness.t", "value": -3.2101, "shown": "−3.21",
                                 "source": "paired[residents,loneliness,programme,1→2].t"}
    text = doc.plain_text()
    assert all(f["shown"] in text for f in facts["facts"])
    assert facts["placeholders"] == doc.placeholders
    assert [t["number"] for t in facts["tables"]] == (["表1", "表2"] if doc.lang == "zh" else ["Table 1", "Table 2"])


def test_notebook_export_drops_unnamed_row_numbers():
    """The notebook-series export no longer leaks pandas' row numbers as an "Unnamed: 0" column."""
    from laoyou_eval.report.export import _html_tables

    plain_index = _html_tables(pd.DataFrame({"Scale": ["A", "B"], "n": [7, 9]}).to_html())[0]
    assert list(plain_index.columns) == ["Scale", "n"]
    named = _html_tables(pd.DataFrame({"n": [7]}, index=pd.Index(["A"], name="Scale")).to_html())[0]
    assert list(named.columns) == ["Scale", "n"] and named.iloc[0].tolist() == ["A", 7]
