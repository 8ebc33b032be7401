"""Renderers of a case-study :class:`~laoyou_eval.report.document.Document`.

* :func:`to_docx` — Word, with heading styles, a table of contents, three-line tables and
  print-resolution figures (:mod:`~laoyou_eval.report.render.word`);
* :func:`to_html` — one offline HTML file readable on a phone (:mod:`~laoyou_eval.report.render.web`);
* :func:`to_pdf` — the HTML printed by headless Chromium (:mod:`~laoyou_eval.report.render.browser`);
* :func:`to_xlsx` — every table on its own sheet; :func:`write_facts` — ``report_facts.json``
  (:mod:`~laoyou_eval.report.render.sheets`);
* :func:`render_all` — all of them into one folder.

Examples
--------
>>> import pandas as pd
>>> from laoyou_eval.report.document import Document, Paragraph, Table
>>> doc = Document("Evaluation report", lang="en")
>>> _ = doc.add(Table("Scores", pd.DataFrame({"Scale": ["Loneliness"], "n": [3]})))
>>> from laoyou_eval.report.render.web import html_text
>>> "<td>&lt;5</td>" in html_text(doc)          # small counts of people are never shown
True
"""

from __future__ import annotations

from pathlib import Path

from laoyou_eval.report.render.browser import PageCheck, find_chromium, page_check, to_pdf
from laoyou_eval.report.render.sheets import neutralise, to_xlsx, write_facts
from laoyou_eval.report.render.web import to_html
from laoyou_eval.report.render.word import to_docx

__all__ = ["PageCheck", "find_chromium", "neutralise", "page_check", "render_all", "to_docx", "to_html", "to_pdf",
           "to_xlsx", "write_facts"]


def render_all(doc, out_dir, stem: str = "report") -> dict[str, Path | None]:
    """Write ``stem.docx``, ``stem.html``, ``stem.pdf`` (with Chromium), ``stem_tables.xlsx`` and ``stem_facts.json``.

    Returns
    -------
    dict
        Format → path written (``"pdf"`` is None without Chromium).
    """
    out = Path(out_dir)
    written = {"docx": to_docx(doc, out / f"{stem}.docx"), "html": to_html(doc, out / f"{stem}.html")}
    written["pdf"] = to_pdf(written["html"], out / f"{stem}.pdf")
    written["xlsx"] = to_xlsx(doc, out / f"{stem}_tables.xlsx")
    written["facts"] = write_facts(doc, out / f"{stem}_facts.json")
    return written
