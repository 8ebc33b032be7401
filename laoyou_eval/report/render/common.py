"""What every renderer shares: fonts and fixed words by language, cell text, stable zip files."""

from __future__ import annotations

import io
import math
import struct
import zipfile

#: Fonts by report language.  Chinese: 宋体 body, 黑体 headings, Times New Roman for Latin
#: text; English: Times New Roman throughout.  The CSS stacks name the fonts of Windows,
#: macOS and Linux (Noto CJK) in that order.
FONTS = {
    "zh": {"docx_body": "宋体", "docx_heading": "黑体",
           "css_body": '"Times New Roman", "SimSun", "Songti SC", "Noto Serif CJK SC", "Source Han Serif SC", serif',
           "css_heading": '"Times New Roman", "SimHei", "Heiti SC", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif'},
    "en": {"docx_body": "Times New Roman", "docx_heading": "Times New Roman",
           "css_body": '"Times New Roman", Times, "Liberation Serif", "Noto Serif", serif',
           "css_heading": '"Times New Roman", Times, "Liberation Serif", "Noto Serif", serif'},
}

#: The few fixed words of a rendered document.
WORDS = {
    "zh": {"contents": "目录", "note": "注：", "update_toc": "（在 Word 中右键“更新域”生成目录）",
           "tables": "表格目录", "number": "编号", "title": "标题", "sheet": "工作表", "notes": "注",
           "placeholders": "待填写"},
    "en": {"contents": "Contents", "note": "Note. ", "update_toc": "(right-click and choose Update Field in Word)",
           "tables": "Tables", "number": "Number", "title": "Title", "sheet": "Sheet", "notes": "Note",
           "placeholders": "To fill in"},
}

MISSING = "—"
MINUS = "\u2212"


def caption_separator(lang: str, title: str) -> str:
    """What goes between a figure's title and its caption text, so that they do not run together:
    "。" (zh) or ". " (en), or only a space (en) when the title already ends a sentence.

    Examples
    --------
    >>> caption_separator("zh", "各结果的效应量"), caption_separator("en", "Effect sizes")
    ('。', '. ')
    >>> caption_separator("en", "Is it?")
    ' '
    """
    ended = str(title).rstrip()[-1:] in tuple("。．.!?！？:：")
    if lang == "zh":
        return "" if ended else "。"
    return " " if ended else ". "


def cell_text(value) -> str:
    """A table cell as printed: missing as "—", floats to at most 3 decimals, minus sign “−”.

    Examples
    --------
    >>> [cell_text(v) for v in (None, float("nan"), -0.51234, 12, "<5")]
    ['—', '—', '−0.512', '12', '<5']
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    try:
        import pandas as pd

        if not isinstance(value, str) and pd.isna(value):
            return MISSING
    except (TypeError, ValueError):
        pass
    if isinstance(value, bool) or hasattr(value, "dtype") and value.dtype == bool:
        return str(value)
    if isinstance(value, float) or hasattr(value, "dtype") and getattr(value.dtype, "kind", "") == "f":
        value = float(value)
        shown = f"{value:.3f}".rstrip("0").rstrip(".") if abs(value) < 1e6 else f"{value:.4g}"
        return shown.replace("-", MINUS)
    if isinstance(value, int) or hasattr(value, "dtype") and getattr(value.dtype, "kind", "") in "iu":
        return str(int(value)).replace("-", MINUS)
    return str(value)


#: Timestamp written into every zip entry and the documents' core properties (no clock time:
#: the same document gives the same bytes).
FIXED_TIME = (2000, 1, 1, 0, 0, 0)
FIXED_W3CDTF = "2000-01-01T00:00:00Z"


def deterministic_zip(data: bytes) -> bytes:
    """An Office file (a zip) rewritten with fixed entry times and creation/modification dates."""
    import re

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)",
                                 rb"\g<1>" + FIXED_W3CDTF.encode() + rb"\g<2>", content)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, content)
    return out.getvalue()


def png_size(png: bytes) -> tuple[int, int, float]:
    """Width and height in pixels and the resolution (dpi) of a PNG (300 when unstated)."""
    width, height = struct.unpack(">II", png[16:24])
    dpi = 300.0
    at = png.find(b"pHYs")
    if at > 0:
        x, _, unit = struct.unpack(">IIB", png[at + 4:at + 13])
        if unit == 1 and x:
            dpi = x * 0.0254
    return width, height, dpi
