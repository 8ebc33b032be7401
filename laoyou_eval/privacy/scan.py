"""Find personal data in tables, files and folders before anything is shared.

Every format the project writes is read for its text — and the text a user does not see:
document properties (author), sheet names, headers, footers and comments of Word files,
the metadata chunks of PNG/JPEG images (and GPS positions), notebook outputs and
tracebacks, text in SVG figures.  A file that cannot be read is a row of the result too
(kind ``unreadable``, or ``unsupported`` for a binary format the scanner does not know):
what was not checked is never reported as clean.
"""

from __future__ import annotations

import base64
import html
import io
import json
import re
import zipfile
from pathlib import Path

from laoyou_eval.privacy.patterns import cell_text, find, mask, name_matcher, redact

FINDING_COLUMNS = ("kind", "file", "location", "excerpt")
#: Kinds of rows that are not findings but files the scan could not check.
NOT_CHECKED = ("unreadable", "unsupported")
TEXT_SUFFIXES = {".csv", ".tsv", ".txt", ".md", ".html", ".htm", ".xml", ".py", ".log", ".tex", ".rst", ".ini",
                 ".cfg", ".toml", ".css", ".js", ".r", ".rmd", ".qmd", ".sql", ".sh"}
TABLE_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".tif", ".tiff", ".bmp"}
#: Fonts hold glyphs, never study data: listed in ``attrs["skipped"]``.
SKIPPED_SUFFIXES = {".ttf", ".otf", ".woff", ".woff2", ".eot"}
SKIPPED_FOLDERS = {".git", ".venv", "__pycache__", "node_modules", ".ipynb_checkpoints", ".pytest_cache"}
EMBEDDED_DATA = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=\s]+")
_JS_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
#: SVG attributes that hold geometry, not text.
_SVG_GEOMETRY = {"d", "points", "transform", "viewBox", "x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "rx", "ry",
                 "width", "height", "style", "clip-path", "id", "class", "href", "{http://www.w3.org/1999/xlink}href",
                 "stroke-dasharray", "offset", "fill", "stroke", "opacity", "font-size"}
_OOXML_TEXT = re.compile(r"^(?:word|ppt/slides|ppt/notesSlides|docProps|xl/comments|xl/threadedComments)[^/]*/?.*\.xml$")


class Unsupported(Exception):
    """A binary file of a kind the scanner cannot read."""


def _findings(text: str, names, file: str, location: str) -> list[dict]:
    hits = find(text, names)
    if hits:
        location = redact_path(location, names)  # a sheet name or JSON key can hold a name too
    return [{"kind": kind, "file": file, "location": location, "excerpt": mask(text[start:end])}
            for kind, start, end in hits]


def _lines(text: str, where: str = "line"):
    text = EMBEDDED_DATA.sub("", text)  # embedded images are not text (their metadata is scanned elsewhere)
    for number, line in enumerate(text.splitlines(), start=1):
        if "&" in line:
            line = html.unescape(line)
        if "\\u" in line:
            line = _JS_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), line)
        yield f"{where} {number}", line


def _walk(value, where: str = "$"):
    """(JSON path, text) of every key, string and number in a parsed JSON/YAML document."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield f"{where} key", str(key)
            yield from _walk(item, f"{where}.{key}")
    elif isinstance(value, list):
        for k, item in enumerate(value):
            yield from _walk(item, f"{where}[{k}]")
    elif value is not None and not isinstance(value, bool):
        yield where, str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _decode(data: bytes) -> str:
    from laoyou_eval.io.tables import SUPPORTED_ENCODINGS

    for encoding in SUPPORTED_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def _text_file(path: Path):
    yield from _lines(_decode(path.read_bytes()))


def _structured(path: Path):
    import yaml

    text = _decode(path.read_bytes())
    try:
        documents = [json.loads(text)] if path.suffix.lower() == ".json" else list(yaml.safe_load_all(text))
    except (ValueError, yaml.YAMLError):
        yield from _lines(text)  # malformed: scan it as plain text
        return
    for document in documents:
        yield from _walk(document)


def _column_letter(k: int) -> str:
    letters = ""
    k += 1
    while k:
        k, remainder = divmod(k - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _cells(df):
    """(position, column position, header, text) of every non-missing cell of a table."""
    for j, column in enumerate(df.columns):
        for i, value in enumerate(df.iloc[:, j].tolist()):
            text = cell_text(value)
            if text:
                yield i, j, column, text


def _frame_texts(df, prefix: str = ""):
    """(spreadsheet cell such as ``B7``, text) of a sheet read without header."""
    for i, j, _, text in _cells(df):
        yield f"{prefix}{_column_letter(j)}{i + 1}", text


def _xml_texts(data: bytes, where: str):
    """Text of an Office XML part, one paragraph (``w:p``/``a:p``) or element at a time."""
    from lxml import etree

    root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
    paragraphs = [e for e in root.iter() if isinstance(e.tag, str) and e.tag.rsplit("}", 1)[-1] == "p"]
    if paragraphs:
        for k, paragraph in enumerate(paragraphs, start=1):
            text = "".join(t for t in paragraph.itertext())
            if text.strip():
                yield f"{where}, paragraph {k}", text
    else:
        for element in root.iter():
            if isinstance(element.tag, str) and element.text and element.text.strip():
                yield f"{where}, {element.tag.rsplit('}', 1)[-1]}", element.text


def _office(path: Path):
    """DOCX/PPTX: every text part; XLSX: cells of every sheet, sheet names, comments; all:
    document properties (author, title …)."""
    import pandas as pd

    suffix = path.suffix.lower()
    if suffix == ".xls":
        sheets = pd.read_excel(path, sheet_name=None, header=None, dtype=str, engine="calamine")
        for name, sheet in sheets.items():
            yield "sheet name", str(name)
            yield from _frame_texts(sheet, f"sheet {name}, cell ")
        return
    with zipfile.ZipFile(path) as archive:
        parts = archive.namelist()
        if suffix in TABLE_SUFFIXES:
            sheets = pd.read_excel(path, sheet_name=None, header=None, dtype=str, engine="openpyxl")
            for name, sheet in sheets.items():
                yield "sheet name", str(name)
                yield from _frame_texts(sheet, f"sheet {name}, cell ")
        for part in parts:
            if _OOXML_TEXT.match(part):
                yield from _xml_texts(archive.read(part), part)


def _pdf(path: Path):
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    if reader.is_encrypted:
        raise ValueError("encrypted PDF")
    for key, value in (reader.metadata or {}).items():
        yield f"metadata {key}", str(value)
    for k, page in enumerate(reader.pages, start=1):
        yield from _lines(page.extract_text() or "", f"page {k}, line")


def _svg(data: bytes):
    from lxml import etree

    root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else "comment"
        for text in (element.text, element.tail):
            if text and text.strip():
                yield f"svg {tag}", text
        if isinstance(element.tag, str):
            for attribute, value in element.attrib.items():
                if attribute not in _SVG_GEOMETRY and not value.startswith("data:"):
                    yield f"svg {tag} @{attribute}", value


def _image(data: bytes):
    """Text chunks (tEXt/iTXt/zTXt), EXIF strings, XMP and comments of an image; a GPS
    position is reported as a finding of kind ``gps``."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        image.load()
        for key, value in image.info.items():
            if isinstance(value, str):
                yield f"metadata {key}", value
            elif isinstance(value, bytes) and key in ("comment", "xmp", "XML:com.adobe.xmp"):
                yield f"metadata {key}", value.decode("utf-8", errors="replace")
        exif = image.getexif()
        for tag, value in exif.items():
            if isinstance(value, bytes):
                value = value.decode("utf-16-le" if 0x9c9b <= tag <= 0x9c9f else "utf-8", errors="replace")
            if isinstance(value, str):
                yield f"exif {tag}", value
        if exif.get_ifd(0x8825):
            yield "exif GPS", None


def _notebook(path: Path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    yield from _walk(nb.get("metadata", {}), "notebook metadata")
    for k, cell in enumerate(nb.get("cells", []), start=1):
        yield from _lines("".join(cell.get("source", "")), f"cell {k} source, line")
        yield from _walk(cell.get("metadata", {}), f"cell {k} metadata")
        for name, attachment in (cell.get("attachments") or {}).items():
            yield f"cell {k} attachment", name
            yield from _mime_bundle(attachment, f"cell {k} attachment {name}")
        for output in cell.get("outputs", []):
            where = f"cell {k} output"
            yield from _lines("".join(output.get("text", "")), f"{where}, line")
            for key in ("ename", "evalue"):
                if output.get(key):
                    yield where, str(output[key])
            for line in output.get("traceback", []):
                yield f"{where} traceback", re.sub(r"\x1b\[[0-9;]*m", "", line)
            yield from _mime_bundle(output.get("data", {}), where)
            yield from _walk(output.get("metadata", {}), f"{where} metadata")


def _mime_bundle(bundle: dict, where: str):
    for mime, value in bundle.items():
        text = "".join(value) if isinstance(value, list) else value
        if mime in ("image/png", "image/jpeg", "image/gif"):
            yield from ((f"{where} {mime} {w}", t) for w, t in _image(base64.b64decode(text)))
        elif mime == "image/svg+xml":
            yield from ((f"{where}, {w}", t) for w, t in _svg(str(text).encode("utf-8")))
        elif mime.endswith("json"):
            yield from _walk(text, f"{where} {mime}")
        else:
            yield from _lines(str(text), f"{where} {mime}, line")


def _spss(path: Path):
    import pyreadstat

    reader = pyreadstat.read_dta if path.suffix.lower() == ".dta" else (
        pyreadstat.read_por if path.suffix.lower() == ".por" else pyreadstat.read_sav)
    df, meta = reader(str(path))
    yield from ((f"variable label {n}", str(label)) for n, label in zip(meta.column_names, meta.column_labels) if label)
    for variable, labels in (meta.variable_value_labels or {}).items():
        yield from ((f"value label {variable}", str(label)) for label in labels.values())
    yield from _frame_texts(df, "cell ")


def _texts(path: Path):
    """(location, text) of everything readable in a file; raises Unsupported for unknown binaries."""
    suffix = path.suffix.lower()
    if suffix == ".ipynb":
        return _notebook(path)
    if suffix in {".docx", ".pptx"} | TABLE_SUFFIXES:
        return _office(path)
    if suffix == ".pdf":
        return _pdf(path)
    if suffix == ".svg":
        return _svg(path.read_bytes())
    if suffix in IMAGE_SUFFIXES:
        return _image(path.read_bytes())
    if suffix in {".json", ".yaml", ".yml", ".geojson"}:
        return _structured(path)
    if suffix in {".sav", ".zsav", ".por", ".dta"}:
        return _spss(path)
    if suffix in {".parquet", ".feather"}:
        import pandas as pd

        return _frame_texts(pd.read_parquet(path) if suffix == ".parquet" else pd.read_feather(path), "cell ")
    head = path.read_bytes()[:8192]
    if suffix in TEXT_SUFFIXES or b"\x00" not in head:
        return _text_file(path)
    raise Unsupported(suffix or "no suffix")


def scan_file(path, names=()) -> list[dict]:
    """Findings in one file (rows of :func:`scan`), including its name.

    A file that cannot be read gives one row of kind ``unreadable`` (``unsupported`` for an
    unknown binary format), with the reason — never its content — as excerpt.
    """
    path = Path(path)
    matcher = name_matcher(names)
    shown = redact_path(path, matcher)
    rows = _findings(path.name, matcher, shown, "file name")
    if path.suffix.lower() in SKIPPED_SUFFIXES:
        return rows
    try:
        for location, text in _texts(path):
            if text is None:  # a GPS position in an image
                rows.append({"kind": "gps", "file": shown, "location": location, "excerpt": "GPS"})
            else:
                rows += _findings(text, matcher, shown, location)
    except Unsupported as error:
        rows.append({"kind": "unsupported", "file": shown, "location": "", "excerpt": str(error)})
    except Exception as error:  # corrupt or truncated: the file was NOT checked
        rows.append({"kind": "unreadable", "file": shown, "location": "", "excerpt": type(error).__name__})
    return rows


def redact_path(path, names=()) -> str:
    """``path`` as text with personal data in folder and file names masked (never shown whole).

    >>> redact_path("data/问卷_蒋华娟录入.csv", ["蒋华娟"])
    'data/问卷_蒋**录入.csv'
    """
    text = str(path)
    out, last = [], 0
    for _, start, end in find(text, names):
        out += [text[last:start], mask(text[start:end])]
        last = end
    return "".join(out) + text[last:]


def scan_file_names(paths, names=(), root=None):
    """Personal data in file and folder names (``…_蒋华娟录入.csv``).

    Parameters
    ----------
    paths : iterable of path
        Files (e.g. every file of a staging folder, or the raw files a study lists).
    names : iterable of str or NameMatcher
    root : path, optional
        Only the part of each path below ``root`` is checked.

    Returns
    -------
    pandas.DataFrame
        Rows of :func:`scan` with location ``"file name"``; ``file`` is masked.
    """
    import pandas as pd

    matcher = name_matcher(names)
    rows = []
    for path in paths:
        path = Path(path)
        relative = path.relative_to(root).as_posix() if root is not None else path.as_posix()
        rows += _findings(relative, matcher, redact_path(path, matcher), "file name")
    return pd.DataFrame(rows, columns=list(FINDING_COLUMNS))


def _frame_findings(df, names) -> list[dict]:
    rows = []
    for column in df.columns:
        rows += _findings(str(column), names, "<DataFrame>", f"header {redact(column, names)}")
    for i, _, column, text in _cells(df):
        rows += _findings(text, names, "<DataFrame>", f"row {i + 2}, column {redact(column, names)}")
    return rows


def scan(obj, names=()):
    """Find personal data (every kind of :data:`laoyou_eval.privacy.KINDS`) in a table, a file
    or a folder.

    Parameters
    ----------
    obj : pandas.DataFrame, or path of a file or folder
        Folders are scanned recursively (``.git``, ``.venv`` and caches are skipped).  Formats:
        CSV/TSV/TXT/MD and other text, HTML (entities and ``\\u`` escapes decoded, embedded
        images skipped), JSON/YAML (every key and value), XLSX/XLSM/XLS (every cell and sheet
        name, comments, document properties), DOCX/PPTX (body, tables, headers, footers,
        footnotes, comments, properties), PDF (text of every page, metadata), notebooks
        (sources, every output, tracebacks, embedded images' metadata, metadata), SVG (text,
        comments, non-geometry attributes), PNG/JPEG/GIF/WebP/TIFF metadata (text chunks,
        EXIF, XMP, GPS), SPSS/Stata, Parquet; other files are read as text when they contain
        no NUL byte.  File and folder names are scanned too.
    names : iterable of str
        Names of participants, caregivers, volunteers, group members and alters, e.g.
        :func:`laoyou_eval.privacy.study_names`.

    Returns
    -------
    pandas.DataFrame
        One row per finding: ``kind`` (a kind of :data:`laoyou_eval.privacy.KINDS`, or ``gps``
        for an image with a GPS position), ``file`` (personal data in the path masked),
        ``location`` (line, cell, page, sheet/cell, JSON path, "file name"), ``excerpt``
        (masked, e.g. ``13********8``).  Files that could not be checked are rows too: kind
        ``unreadable`` (corrupt, truncated, encrypted; excerpt = the error's type) or
        ``unsupported`` (unknown binary).  Empty only when everything was read and nothing
        was found.  ``attrs``: ``not_scanned`` (those files), ``skipped`` (fonts), ``files``
        (number of files looked at).

    Examples
    --------
    >>> import pandas as pd
    >>> scan(pd.DataFrame({"备注": ["电话 0871-6512345"]})).values.tolist()
    [['landline', '<DataFrame>', 'row 2, column 备注', '08********45']]
    """
    import pandas as pd

    matcher = name_matcher(names)
    skipped, files = [], []
    if isinstance(obj, pd.DataFrame):
        rows = _frame_findings(obj, matcher)
    else:
        path = Path(obj)
        if path.is_file():
            files = [path]
            rows = []
        else:
            files = sorted(p for p in path.rglob("*") if p.is_file() and not SKIPPED_FOLDERS & set(p.relative_to(path).parts))
            folders = {path / parent for p in files for parent in p.relative_to(path).parents if parent.parts}
            rows = [f for folder in sorted(folders)
                    for f in _findings(folder.name, matcher, redact_path(folder, matcher), "folder name")]
        for file in files:
            rows += scan_file(file, matcher)
            if file.suffix.lower() in SKIPPED_SUFFIXES:
                skipped.append(redact_path(file, matcher))
    out = pd.DataFrame(rows, columns=list(FINDING_COLUMNS))
    out.attrs["not_scanned"] = out.loc[out.kind.isin(NOT_CHECKED), "file"].tolist()
    out.attrs["skipped"] = skipped
    out.attrs["files"] = len(files)
    return out
