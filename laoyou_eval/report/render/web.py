"""One offline HTML file for a :class:`~laoyou_eval.report.document.Document`.

Everything is inside the file: CSS inline, figures as base64 ``data:`` URIs, no script and no
external request, so it opens from a USB stick or a chat attachment.  It reads on a phone
(wide tables scroll sideways inside their own box, the page never does) and prints to A4
(:func:`laoyou_eval.report.render.to_pdf`).
"""

from __future__ import annotations

import base64
import html

from laoyou_eval.report.document import Bullets, Figure, Heading, Link, Paragraph, Table, plain, spans
from laoyou_eval.report.render.common import FONTS, WORDS, caption_separator, cell_text, png_size

CSS = """
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0 auto;max-width:48rem;padding:1rem 1.1rem 3rem;font-family:BODY;font-size:1.05rem;
line-height:1.7;color:#111;background:#fff;overflow-wrap:break-word}
h1,h2,h3,h4,.title{font-family:HEADING;line-height:1.35;margin:1.6em 0 .6em}
.title{font-size:1.7rem;text-align:center;margin-top:1em}.subtitle{text-align:center;color:#333;margin:0 0 1.5em}
h2{font-size:1.35rem}h3{font-size:1.15rem}h4{font-size:1.05rem}
p,li{margin:.5em 0}
nav.toc{border-top:1px solid #999;border-bottom:1px solid #999;padding:.4em 0 .6em;margin:1em 0 2em}
nav.toc h2{margin:.4em 0;font-size:1.1rem}nav.toc ol{margin:0;padding-left:1.2em}
nav.toc li{margin:.15em 0}nav.toc .l2{margin-left:1.2em}nav.toc .l3{margin-left:2.4em}
nav.toc ol{list-style:none;padding-left:0}
a{color:#1f4e9a}
mark{background:#fff3a0;padding:0 .15em}
figure{margin:1.4em 0;break-inside:avoid;page-break-inside:avoid}
figcaption,.table-title{font-family:HEADING;font-size:.95rem;text-align:center;margin:.4em 0}
.number{font-weight:bold;margin-right:.5em}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;max-width:100%}
table{border-collapse:collapse;margin:0 auto;border-top:2px solid #000;border-bottom:2px solid #000;
font-size:.9rem;line-height:1.45}
thead th{border-bottom:1px solid #000;font-weight:bold}
th,td{padding:.3em .6em;text-align:center;vertical-align:top}
th:first-child,td:first-child{text-align:left}
.note{font-size:.85rem;margin:.4em 0 0}
figure.figure img{display:block;max-width:100%;height:auto;margin:0 auto}
sub{font-size:.75em}
@media print{body{max-width:none;padding:0;font-size:11pt}a{color:inherit;text-decoration:none}
.scroll{overflow:visible}table{font-size:9pt}thead{display:table-header-group}
h2,h3,h4{break-after:avoid;page-break-after:avoid}nav.toc{break-after:page}}
@page{size:A4;margin:2cm 2.2cm}
"""


def to_html(doc, path):
    """Write ``doc`` as one offline HTML file at ``path`` (atomic; same bytes every run).

    Returns
    -------
    pathlib.Path
    """
    from laoyou_eval.storage import atomic_write_bytes

    return atomic_write_bytes(path, html_text(doc).encode("utf-8"))


def html_text(doc) -> str:
    """The HTML document as a string."""
    fonts, numbers = FONTS[doc.lang], doc.numbers()
    css = CSS.replace("BODY", fonts["css_body"]).replace("HEADING", fonts["css_heading"])
    parts = [f'<h1 class="title">{html.escape(doc.title)}</h1>']
    if doc.subtitle:
        parts.append(f'<p class="subtitle">{_rich(doc, doc.subtitle)}</p>')
    parts.append(_contents(doc))
    section = 0
    for block in doc.blocks:
        if isinstance(block, Heading):
            section += 1
            level = block.level + 1  # the document title is the page's h1
            parts.append(f'<h{level} id="sec-{section}">{_rich(doc, block.text)}</h{level}>')
        elif isinstance(block, Paragraph):
            parts.append(f"<p>{_rich(doc, block.text)}</p>")
        elif isinstance(block, Bullets):
            parts.append("<ul>" + "".join(f"<li>{_rich(doc, item)}</li>" for item in block.items) + "</ul>")
        elif isinstance(block, Link):
            parts.append(f'<p><a href="{html.escape(block.target, quote=True)}">{html.escape(block.text)}</a></p>')
        elif isinstance(block, Table):
            parts.append(_table(doc, block, numbers[id(block)]))
        elif isinstance(block, Figure):
            parts.append(_figure(doc, block, numbers[id(block)]))
    lang = "zh-CN" if doc.lang == "zh" else "en"
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<link rel="icon" href="data:,">\n'
            f"<title>{html.escape(plain(doc.title))}</title>\n<style>{css}</style>\n</head>\n<body>\n"
            + "\n".join(parts) + "\n</body>\n</html>\n")


def _rich(doc, text: str) -> str:
    """Escaped text with italics, subscripts, highlighted placeholders and linked references."""
    out = []
    for span in spans(text):
        if span.ref:
            number = doc.resolve(doc.ref(span.ref))
            out.append(f'<a href="#{doc.anchor(span.ref)}">{html.escape(number)}</a>')
            continue
        shown = html.escape(span.text)
        if span.italic:
            shown = f"<i>{shown}</i>"
        if span.subscript:
            shown = f"<sub>{shown}</sub>"
        if span.placeholder:
            shown = f"<mark>{shown}</mark>"
        out.append(shown)
    return "".join(out)


def _contents(doc) -> str:
    items, section = [], 0
    for block in doc.blocks:
        if isinstance(block, Heading):
            section += 1
            items.append(f'<li class="l{block.level}"><a href="#sec-{section}">{_rich(doc, block.text)}</a></li>')
    if not items:
        return ""
    return f'<nav class="toc"><h2>{WORDS[doc.lang]["contents"]}</h2><ol>' + "".join(items) + "</ol></nav>"


def _caption(doc, number: str, title: str) -> str:
    return f'<span class="number">{html.escape(number)}</span>{_rich(doc, title)}'


def _table(doc, block, number: str) -> str:
    frame = block.display()
    anchor = "tbl-" + "".join(ch for ch in number if ch.isdigit())
    head = "".join(f'<th scope="col">{_rich(doc, str(c))}</th>' for c in frame.columns)
    body = "".join("<tr>" + "".join(f"<td>{_rich(doc, cell_text(v))}</td>" for v in row) + "</tr>"
                   for row in frame.itertuples(index=False))
    note = (f'<p class="note">{html.escape(WORDS[doc.lang]["note"])}{_rich(doc, block.note)}</p>'
            if block.note else "")
    return (f'<figure class="table" id="{anchor}"><figcaption>{_caption(doc, number, block.title)}</figcaption>'
            f'<div class="scroll" role="region" tabindex="0"><table><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>{note}</figure>")


def _figure(doc, block, number: str) -> str:
    anchor = "fig-" + "".join(ch for ch in number if ch.isdigit())
    png = block.png()
    data = base64.b64encode(png).decode("ascii")
    width_px, height_px, dpi = png_size(png)
    size = f'width="{round(width_px / dpi * 96)}" height="{round(height_px / dpi * 96)}"'  # print size, CSS px
    alt = html.escape(f"{number} {plain(doc.resolve(block.title))}", quote=True)
    caption = _caption(doc, number, block.title) + (
        html.escape(caption_separator(doc.lang, block.title)) + _rich(doc, block.caption) if block.caption else "")
    return (f'<figure class="figure" id="{anchor}"><img src="data:image/png;base64,{data}" {size} alt="{alt}">'
            f"<figcaption>{caption}</figcaption></figure>")
