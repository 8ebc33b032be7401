"""Find personal data in tables, files and folders before anything is shared."""

from __future__ import annotations

import json
import re
from pathlib import Path

from laoyou_eval.privacy.patterns import find, mask

FINDING_COLUMNS = ("kind", "file", "location", "excerpt")
TEXT_SUFFIXES = {".csv", ".txt", ".md", ".json", ".yaml", ".yml", ".html", ".htm", ".xml", ".py", ".tsv"}
TABLE_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
SKIPPED_FOLDERS = {".git", ".venv", "__pycache__", "node_modules", ".ipynb_checkpoints", ".pytest_cache"}
EMBEDDED_DATA = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=\s]+")


def _findings(text: str, names, file: str, location: str) -> list[dict]:
    return [{"kind": kind, "file": file, "location": location, "excerpt": mask(text[start:end])}
            for kind, start, end in find(text, names)]


def _scan_text(text: str, names, file: str) -> list[dict]:
    text = EMBEDDED_DATA.sub("", text)  # embedded images are not text
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        out += _findings(line, names, file, f"line {number}")
    return out


def _scan_frame(df, names, file: str, sheet: str | None = None) -> list[dict]:
    out = []
    prefix = f"sheet {sheet}, " if sheet is not None else ""
    for column in df.columns:
        out += _findings(str(column), names, file, f"{prefix}header {column}")
        for position, value in enumerate(df[column].tolist()):
            if value is None or value != value:  # None or NaN
                continue
            out += _findings(str(value), names, file, f"{prefix}row {position + 2}, column {column}")
    return out


def _scan_notebook(path: Path, names) -> list[dict]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for k, cell in enumerate(nb.get("cells", []), start=1):
        out += [dict(f, location=f"cell {k} source, {f['location']}")
                for f in _scan_text("".join(cell.get("source", "")), names, str(path))]
        for output in cell.get("outputs", []):
            texts = ["".join(output.get("text", ""))]
            texts += ["".join(v) if isinstance(v, list) else str(v)
                      for mime, v in output.get("data", {}).items() if mime.startswith("text/")]
            for text in texts:
                out += [dict(f, location=f"cell {k} output, {f['location']}") for f in _scan_text(text, names, str(path))]
    return out


def _scan_docx(path: Path, names) -> list[dict]:
    import docx

    document = docx.Document(str(path))
    out = []
    for k, paragraph in enumerate(document.paragraphs, start=1):
        out += _findings(paragraph.text, names, str(path), f"paragraph {k}")
    for t, table in enumerate(document.tables, start=1):
        for r, row in enumerate(table.rows, start=1):
            for c, cell in enumerate(row.cells, start=1):
                out += _findings(cell.text, names, str(path), f"table {t}, row {r}, cell {c}")
    return out


def scan_file(path, names=()) -> list[dict]:
    """Findings in one file (text, CSV, Excel, notebook with outputs, HTML, DOCX)."""
    import pandas as pd

    from laoyou_eval.io import detect_encoding

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".ipynb":
        return _scan_notebook(path, names)
    if suffix == ".docx":
        return _scan_docx(path, names)
    if suffix in TABLE_SUFFIXES:
        sheets = pd.read_excel(path, sheet_name=None, header=None, dtype=str,
                               engine="calamine" if suffix == ".xls" else "openpyxl")
        return [f for name, sheet in sheets.items() for f in _scan_frame(sheet, names, str(path), name)]
    if suffix in TEXT_SUFFIXES and path.stat().st_size:
        data = path.read_bytes()
        try:
            text = data.decode(detect_encoding(path))
        except Exception:  # not one of the supported encodings: scan what decodes
            text = data.decode("utf-8", errors="ignore")
        return _scan_text(text, names, str(path))
    return []


def scan(obj, names=()):
    """Find personal data: phone numbers, 身份证 numbers (checksum-validated), IP and e-mail
    addresses, and the given names.

    Parameters
    ----------
    obj : pandas.DataFrame, or path of a file or folder
        Folders are scanned recursively (``.git``, ``.venv`` and caches are skipped); files:
        CSV/TXT/MD/JSON/YAML/HTML (embedded images ignored), Excel, notebooks (sources and
        outputs), Word .docx.  Other files are listed in ``attrs["not_scanned"]``.
    names : iterable of str
        Names of participants, caregivers and volunteers, e.g.
        :func:`laoyou_eval.privacy.study_names`.

    Returns
    -------
    pandas.DataFrame
        One row per finding: ``kind`` (phone, id_number, ip, email, name), ``file``,
        ``location`` (line, cell, sheet/row/column), ``excerpt`` (masked, e.g. ``138****5678``).
        Empty when nothing is found.
    """
    import pandas as pd

    names = tuple(names)
    not_scanned = []
    if isinstance(obj, pd.DataFrame):
        rows = _scan_frame(obj, names, "<DataFrame>")
    else:
        path = Path(obj)
        files = [path] if path.is_file() else sorted(
            p for p in path.rglob("*") if p.is_file() and not SKIPPED_FOLDERS & set(p.relative_to(path).parts))
        rows = []
        for file in files:
            found = scan_file(file, names)
            rows += found
            if file.suffix.lower() not in TEXT_SUFFIXES | TABLE_SUFFIXES | {".ipynb", ".docx"}:
                not_scanned.append(str(file))
    out = pd.DataFrame(rows, columns=list(FINDING_COLUMNS))
    out.attrs["not_scanned"] = not_scanned
    return out


def study_names(study_dir) -> list[str]:
    """Names of everyone in a study folder: residents and caregivers (roster) and volunteers."""
    from laoyou_eval.io import read_table

    study_dir = Path(study_dir)
    names: set[str] = set()
    for file, columns in (("roster.csv", ("name", "caregiver_name")), ("process/volunteers.csv", ("name",))):
        if (study_dir / file).is_file():
            table = read_table(study_dir / file)
            for column in columns:
                if column in table:
                    names.update(v.strip() for v in table[column] if v.strip())
    return sorted(names)
