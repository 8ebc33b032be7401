"""The case-study document: blocks of text, tables and figures, independent of any file format.

A :class:`Document` is built from analysis results (headings, sentences, result tables,
figures) and then written by the renderers of :mod:`laoyou_eval.report.render` as Word,
HTML, PDF and Excel files, plus a ``report_facts.json`` side file listing every number printed.

* Blocks: :class:`Heading`, :class:`Paragraph`, :class:`Bullets`, :class:`Table`,
  :class:`Figure`, :class:`Link`; :class:`Fact` records a number printed in the text.
* Tables and figures are numbered in order of appearance (表1, 图1 / Table 1, Figure 1);
  :meth:`Document.ref` references one by key from text written before or after it is added.
* Inline markup in text (paragraphs, bullets, notes, captions) is deliberately tiny:
  ``*t*`` sets *t* in italics (statistics symbols) and ``*d*_z_`` is an italic *d* followed
  by a subscript z; nothing else.  :func:`spans` parses it.
* Placeholders for facts the student must supply, ``【待填写：项目地点】`` or
  ``[TO FILL: site]``, are collected in :attr:`Document.placeholders` and highlighted by the
  renderers.

Examples
--------
>>> import pandas as pd
>>> doc = Document("评估报告", lang="zh")
>>> _ = doc.add(Paragraph(f"结果见{doc.ref('scores')}，*t*(13) = −3.21。项目地点：【待填写：项目地点】。"))
>>> _ = doc.add(Table("量表得分", pd.DataFrame({"量表": ["孤独感"], "均值": [4.2]}), key="scores"))
>>> doc.resolve(doc.blocks[0].text)
'结果见表1，*t*(13) = −3.21。项目地点：【待填写：项目地点】。'
>>> doc.placeholders
['【待填写：项目地点】']
"""

from __future__ import annotations

import io
import math
import re
import warnings
from dataclasses import dataclass, field
from typing import Any

from laoyou_eval.errors import LaoyouError

__all__ = [
    "FIGURE_DPI",
    "PLACEHOLDER",
    "Bullets",
    "Document",
    "Fact",
    "Figure",
    "Heading",
    "Link",
    "Paragraph",
    "Span",
    "Table",
    "plain",
    "spans",
]

#: Placeholders for facts the student must fill in: 【待填写：…】 (zh) or [TO FILL: …] (en).
PLACEHOLDER = re.compile(r"【待填写[：:][^】]*】|\[TO FILL:[^\]]*\]")
#: References to a table or figure, written by :meth:`Document.ref`, resolved when rendering.
REFERENCE = re.compile(r"\[\[ref:([^\]]+)\]\]")
#: ``*x*`` (italic) optionally followed by ``_sub_`` (subscript).
ITALIC = re.compile(r"\*([^*\s](?:[^*]*[^*\s])?)\*(?:_([^_\s]+)_)?")
#: Resolution of figures in Word and PDF (print quality).
FIGURE_DPI = 300
#: Words of the numbering, by language.
NUMBER_WORDS = {"zh": {"table": "表", "figure": "图"}, "en": {"table": "Table ", "figure": "Figure "}}


@dataclass
class Heading:
    """A section heading; ``level`` 1 is a section (一、背景与起因), 2 and 3 are subsections."""

    text: str
    level: int = 1


@dataclass
class Paragraph:
    """A paragraph of running text, with the statistics markup of :func:`spans`."""

    text: str


@dataclass
class Bullets:
    """A bulleted list; each item may use the statistics markup."""

    items: list[str]


@dataclass
class Link:
    """A paragraph that links to a file shipped next to the report (e.g. ``notebooks/01.html``).

    ``target`` must be a relative path: the report works offline and carries no path of the
    machine it was made on.
    """

    text: str
    target: str


@dataclass
class Table:
    """A numbered table: title above, display-ready ``data`` (labelled columns), note below.

    ``data`` holds formatted strings or numbers with labelled columns.  A *named* index is
    shown as the first column; an unnamed default index (0, 1, 2 …) is never shown.  Counts of
    people below the small-cell threshold are shown as ``<5`` (:meth:`display`).
    """

    title: str
    data: Any
    note: str = ""
    key: str = ""

    def display(self):
        """The table as it is shown: index resolved to labelled columns, small counts protected.

        Raises
        ------
        LaoyouError
            When a column has no label (empty, ``Unnamed: …``, duplicated) or the row labels
            are an unnamed index with meaning.
        """
        return display_frame(self.data, self.title)


@dataclass
class Figure:
    """A numbered figure: a matplotlib figure (or PNG bytes), its title and a caption (e.g. n)."""

    title: str
    figure: Any
    caption: str = ""
    key: str = ""
    _png: bytes | None = field(default=None, init=False, repr=False, compare=False)

    def png(self) -> bytes:
        """The figure as PNG at :data:`FIGURE_DPI`, made once and then reused; the matplotlib
        figure is closed then (it stays readable, but pyplot no longer holds it).

        Raises
        ------
        LaoyouError
            When a glyph is missing from the fonts (it would be drawn as an empty box).
        """
        if self._png is None:
            self._png = rasterise(self.figure, self.title)
            if not isinstance(self.figure, (bytes, bytearray)):  # pyplot would keep it open for the process
                import matplotlib.pyplot as plt

                plt.close(self.figure)
        return self._png


@dataclass
class Fact:
    """A number (or short value) printed in the document and where it came from.

    ``source`` names the result it was read from, e.g.
    ``"paired[residents,ucla3_total,programme,1→2].t"``; ``shown`` is the text as printed.
    """

    key: str
    value: float | int | str
    shown: str
    source: str


@dataclass
class Span:
    """A run of text with one formatting: italic, subscript, placeholder or reference."""

    text: str
    italic: bool = False
    subscript: bool = False
    placeholder: bool = False
    ref: str = ""


@dataclass
class Document:
    """A case-study document: title, language, blocks in order, facts and placeholders.

    Parameters
    ----------
    title, subtitle : str
    lang : {"zh", "en"}
    blocks : list
        :class:`Heading`, :class:`Paragraph`, :class:`Bullets`, :class:`Table`,
        :class:`Figure`, :class:`Link`, in reading order (usually filled with :meth:`add`).
    facts : list of Fact
    placeholders : list of str
        Every placeholder found in the text, each once, in order of appearance.
    """

    title: str
    subtitle: str = ""
    lang: str = "zh"
    blocks: list = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    placeholders: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.lang not in NUMBER_WORDS:
            raise LaoyouError(f"报告语言只能是 zh 或 en，而不是 {self.lang!r}。",
                              f"The report language must be zh or en, not {self.lang!r}.")
        initial, self.blocks = list(self.blocks), []
        for text in (self.title, self.subtitle):
            self._collect_placeholders(text)
        for block in initial:
            self.add(block)

    # ----------------------------------------------------------------- building
    def add(self, block):
        """Append a block (checked: known type, unique key, figure title) and return it."""
        if not isinstance(block, (Heading, Paragraph, Bullets, Link, Table, Figure)):
            raise LaoyouError(f"报告里不能放入 {type(block).__name__}。",
                              f"A {type(block).__name__} cannot be added to a report document.")
        if isinstance(block, (Table, Figure)):
            if not str(block.title).strip():
                raise LaoyouError("每个表和图都要有标题。", "Every table and figure needs a title.",
                                  hint_zh=f"给 {type(block).__name__} 设置 title。",
                                  hint_en=f"give the {type(block).__name__} a title.")
            if block.key and any(getattr(b, "key", None) == block.key for b in self.blocks):
                raise LaoyouError(f"表或图的 key {block.key!r} 重复了。", f"Duplicate table/figure key {block.key!r}.")
        if isinstance(block, Table):
            block.display()  # fails early on unlabelled columns
        if isinstance(block, Heading) and block.level not in (1, 2, 3):
            raise LaoyouError(f"标题级别只能是 1–3，而不是 {block.level}。",
                              f"Heading levels are 1–3, not {block.level}.")
        if isinstance(block, Link):
            _check_relative(block.target)
        for text in block_texts(block):
            self._collect_placeholders(text)
        self.blocks.append(block)
        return block

    def fact(self, key: str, value, shown: str, source: str) -> str:
        """Record a printed number and return ``shown`` (for use inside an f-string).

        The same key may be recorded again with the same value (a number said twice); a
        different value under the same key is an error.
        """
        for known in self.facts:
            if known.key == key:
                if _json_value(known.value) != _json_value(value) or known.shown != shown:
                    raise LaoyouError(f"事实 {key!r} 记录了两个不同的值。", f"Fact {key!r} was recorded with two values.")
                return shown
        self.facts.append(Fact(key, value, shown, source))
        return shown

    def ref(self, key: str) -> str:
        """A reference to the table or figure ``key`` (表2 / Table 2), resolved when rendering."""
        return f"[[ref:{key}]]"

    def _collect_placeholders(self, text: str) -> None:
        for found in PLACEHOLDER.findall(str(text)):
            if found not in self.placeholders:
                self.placeholders.append(found)

    # ----------------------------------------------------------------- numbering
    def numbers(self) -> dict[int, str]:
        """``id(block)`` → 表N / 图N (Table N / Figure N) for every table and figure, in order."""
        words, counts, out = NUMBER_WORDS[self.lang], {"table": 0, "figure": 0}, {}
        for block in self.blocks:
            kind = "table" if isinstance(block, Table) else "figure" if isinstance(block, Figure) else None
            if kind:
                counts[kind] += 1
                out[id(block)] = f"{words[kind]}{counts[kind]}"
        return out

    def labels(self) -> dict[str, str]:
        """Key → 表N / 图N for every keyed table and figure."""
        numbers = self.numbers()
        return {b.key: numbers[id(b)] for b in self.blocks if isinstance(b, (Table, Figure)) and b.key}

    def anchor(self, key: str) -> str:
        """HTML anchor of a keyed table or figure (``tbl-2`` / ``fig-1``)."""
        number = self.labels()[key]
        return ("tbl-" if number.startswith(NUMBER_WORDS[self.lang]["table"]) else "fig-") + re.sub(r"\D", "", number)

    def resolve(self, text: str) -> str:
        """``text`` with every reference replaced by its number (markup and placeholders kept).

        Raises
        ------
        LaoyouError
            When a reference names no table or figure of the document.
        """
        labels = self.labels()

        def number(match):
            if match.group(1) not in labels:
                raise LaoyouError(f"正文引用了不存在的表或图 {match.group(1)!r}。",
                                  f"The text references a table or figure {match.group(1)!r} that is not in the document.",
                                  hint_zh="检查 ref() 的 key 与 Table/Figure 的 key 是否一致。",
                                  hint_en="check that the key given to ref() is the key of an added Table/Figure.")
            return labels[match.group(1)]

        return REFERENCE.sub(number, str(text))

    def plain_text(self) -> str:
        """The whole document as plain text (references resolved, markup removed), for checks."""
        numbers, lines = self.numbers(), [self.title, self.subtitle]
        for block in self.blocks:
            prefix = numbers.get(id(block), "")
            texts = block_texts(block)
            if prefix:
                texts[0] = f"{prefix} {texts[0]}"
            lines += [plain(self.resolve(t)) for t in texts]
            if isinstance(block, Table):
                frame = block.display()
                lines.append(" | ".join(map(str, frame.columns)))
                lines += [" | ".join(map(str, row)) for row in frame.itertuples(index=False)]
        return "\n".join(line for line in lines if line)

    def headings(self) -> list[Heading]:
        """The headings, in order (the table of contents)."""
        return [b for b in self.blocks if isinstance(b, Heading)]


def block_texts(block) -> list[str]:
    """The texts of a block that may carry markup, references and placeholders."""
    if isinstance(block, Bullets):
        return [str(item) for item in block.items]
    if isinstance(block, Table):
        cells = [str(c) for c in block.data.to_numpy().ravel().tolist()] if hasattr(block.data, "to_numpy") else []
        return [str(block.title), str(block.note), *(c for c in cells if PLACEHOLDER.search(c))]
    if isinstance(block, Figure):
        return [str(block.title), str(block.caption)]
    return [str(block.text)]


def spans(text: str) -> list[Span]:
    """Split text into runs: italic ``*x*``, subscript ``_z_`` after an italic, placeholders, references.

    Examples
    --------
    >>> [(s.text, s.italic, s.subscript) for s in spans("*d*_z_ = 0.8")]
    [('d', True, False), ('z', False, True), (' = 0.8', False, False)]
    """
    out: list[Span] = []
    special = re.compile(f"({PLACEHOLDER.pattern})|{REFERENCE.pattern}")
    position = 0
    for match in special.finditer(str(text)):
        out += _italics(text[position:match.start()])
        out.append(Span(match.group(1), placeholder=True) if match.group(1) else Span("", ref=match.group(2)))
        position = match.end()
    return out + _italics(str(text)[position:])


def _italics(text: str) -> list[Span]:
    out, position = [], 0
    for match in ITALIC.finditer(text):
        if match.start() > position:
            out.append(Span(text[position:match.start()]))
        out.append(Span(match.group(1), italic=True))
        if match.group(2):
            out.append(Span(match.group(2), subscript=True))
        position = match.end()
    if position < len(text):
        out.append(Span(text[position:]))
    return out


def plain(text: str) -> str:
    """Text with the inline markup removed (``*d*_z_`` → ``dz``), for sheet names and tables of contents."""
    return "".join(s.text if not s.ref else f"[[ref:{s.ref}]]" for s in spans(text))


# --------------------------------------------------------------------------- tables
UNLABELLED = re.compile(r"^\s*$|^Unnamed:?\s*\d*|^level_\d+$|^index$")


def display_frame(data, title: str = ""):
    """A table's data as shown: labelled columns only, small counts of people as ``<5``.

    A named index (or the names of a MultiIndex) becomes the first column(s); an unnamed
    default index is dropped; MultiIndex columns are joined with " / ".  Count columns
    (see :data:`laoyou_eval.report.tables.PEOPLE_COUNT_COLUMNS`) holding whole numbers written
    as text are treated as numbers, so that :func:`laoyou_eval.report.tables.protect` shows
    the small ones as ``<5`` too.

    Raises
    ------
    LaoyouError
        When ``data`` is not a DataFrame, a column is unlabelled or duplicated, or the row
        labels are an unnamed non-default index.
    """
    import pandas as pd

    from laoyou_eval.report.tables import PEOPLE_COUNT_COLUMNS, protect

    where = f"表 Table “{title}”"
    if not isinstance(data, pd.DataFrame):
        raise LaoyouError(f"{where} 的数据不是表格（DataFrame）。", f"{where}: data must be a pandas DataFrame.")
    if len(data.columns) == 0:
        raise LaoyouError(f"{where} 没有任何列。", f"{where} has no columns.")
    frame = data.copy()
    if isinstance(frame.columns, pd.MultiIndex):
        frame.columns = [" / ".join(str(x) for x in col if str(x).strip() and not UNLABELLED.match(str(x)))
                         for col in frame.columns]
    named = [n for n in frame.index.names if n is not None]
    if named:
        frame = frame.reset_index()
    elif not frame.index.equals(pd.RangeIndex(len(frame))):
        raise LaoyouError(f"{where} 的行标签没有名称，无法作为一列显示。",
                          f"{where} has unnamed row labels, which cannot be shown as a labelled column.",
                          hint_zh="用 df.rename_axis('名称') 给索引命名，或 df.reset_index(drop=True) 去掉它。",
                          hint_en="name the index with df.rename_axis('label') or drop it with df.reset_index(drop=True).")
    columns = [str(c) for c in frame.columns]
    for column in columns:
        if UNLABELLED.match(column):
            raise LaoyouError(f"{where} 有一列没有标签（{column!r}）。", f"{where} has an unlabelled column ({column!r}).",
                              column=column, hint_zh="每列都要有读者看得懂的标签。",
                              hint_en="give every column a label readers understand.")
    if len(set(columns)) < len(columns):
        duplicated = sorted({c for c in columns if columns.count(c) > 1})
        raise LaoyouError(f"{where} 的列标签重复：{duplicated}。", f"{where} has duplicated column labels: {duplicated}.")
    frame.columns = columns
    for column in columns:
        values = frame[column]
        if column in PEOPLE_COUNT_COLUMNS and (values.dtype == object or pd.api.types.is_string_dtype(values.dtype)):
            text = values.dropna().astype(str).str.strip()
            if len(text) and text.str.fullmatch(r"\d+").all():
                frame[column] = pd.array([int(v) if pd.notna(v) else None for v in values], dtype="Int64")
    return protect(frame)


# --------------------------------------------------------------------------- figures
GLYPH_MISSING = re.compile(r"Glyph (\d+) .*missing from (?:current )?font")


def rasterise(figure, title: str = "") -> bytes:
    """A matplotlib figure as PNG at :data:`FIGURE_DPI` (bytes are passed through).

    The PNG carries no software or date metadata, so the same figure gives the same bytes.

    Raises
    ------
    LaoyouError
        When matplotlib reports a glyph missing from the fonts: that text would be drawn as
        empty boxes ("tofu").
    """
    if isinstance(figure, (bytes, bytearray)):
        if not bytes(figure).startswith(b"\x89PNG"):
            raise LaoyouError(f"图“{title}”不是 PNG 图像。", f"Figure “{title}” is not a PNG image.")
        return bytes(figure)
    buffer = io.BytesIO()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figure.savefig(buffer, format="png", dpi=FIGURE_DPI, bbox_inches="tight", metadata={"Software": None})
    missing = sorted({chr(int(m.group(1))) for w in caught if (m := GLYPH_MISSING.search(str(w.message)))})
    if missing:
        from laoyou_eval.report.fonts import INSTALL_HINT

        shown = "".join(missing[:20])
        raise LaoyouError(f"图“{title}”中有字符缺少字体，会显示成方框：{shown}",
                          f"Figure “{title}” has characters missing from the font (they would show as boxes): {shown}",
                          hint_zh=f"先调用 laoyou_eval.report.theme() 再画图。{INSTALL_HINT}",
                          hint_en=f"call laoyou_eval.report.theme() before plotting. {INSTALL_HINT}")
    for w in caught:  # other warnings are not ours to swallow
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return buffer.getvalue()


# --------------------------------------------------------------------------- helpers
def _check_relative(target: str) -> None:
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^/|^\\|^~", target) or ".." in target.replace("\\", "/").split("/"):
        raise LaoyouError(f"链接 {target!r} 必须是报告旁边文件的相对路径。",
                          f"Link {target!r} must be a relative path to a file next to the report.",
                          hint_zh="例如 notebooks/01_overview.html。", hint_en="e.g. notebooks/01_overview.html.")


def _json_value(value):
    """A fact's value as JSON can hold it (numpy scalars to Python, NaN/inf to None)."""
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
