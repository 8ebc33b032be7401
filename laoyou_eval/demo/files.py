"""Deterministic file writers: the same table always gives the same bytes."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pandas as pd

FIXED_ZIP_TIME = (2024, 1, 1, 0, 0, 0)
FIXED_ISO_TIME = "2024-01-01T00:00:00Z"


def write_csv(df: pd.DataFrame, path: Path, encoding: str = "utf-8-sig") -> None:
    """CSV with ``\\n`` line ends in the given encoding (utf-8-sig, utf-8 or gb18030)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(df.to_csv(index=False, lineterminator="\n").encode(encoding))


def write_xlsx(sheets: pd.DataFrame | dict[str, pd.DataFrame], path: Path) -> None:
    """An .xlsx file whose bytes depend only on its content (one table or ``{sheet: table}``).

    openpyxl stamps the current time into ``docProps/core.xml`` and into every zip entry;
    both are replaced by a fixed time so that the same seed gives byte-identical files.
    """
    if isinstance(sheets, pd.DataFrame):
        sheets = {"Sheet1": sheets}
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, df in sheets.items():
            df.to_excel(writer, index=False, sheet_name=name)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in sorted(source.infolist(), key=lambda i: i.filename):
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z", FIXED_ISO_TIME.encode(), data)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, data)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())


def write_text(text: str, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
