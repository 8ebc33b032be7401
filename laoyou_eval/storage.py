"""Writing derived files safely: never under ``data/raw/``, never half-written, always traceable.

* :func:`atomic_write_bytes` writes to a temporary file in the target folder and renames it
  over the target (``os.replace`` is atomic on POSIX and Windows): an interrupted run leaves
  the old file or no file, never a partial one.
* :func:`neutralise_formulas` prefixes with an apostrophe every text cell that a
  spreadsheet would run as a formula; :func:`write_csv` applies it to every processed file,
  and report exports call it for every table they write.
* :func:`write_manifest` records, next to the outputs, the SHA-256 of every input, the
  package version, the parameters and the SHA-256 of every output — no clock time, so the
  same inputs give byte-identical outputs; :func:`study_source` names the study folder that
  made a processed folder without a machine path, and :func:`check_source` refuses another.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from pathlib import Path

from laoyou_eval.errors import LaoyouError


def guard_not_raw(path) -> Path:
    """Refuse any path inside ``data/raw/`` (raw data are immutable)."""
    from laoyou_eval import config

    path = Path(path).resolve()
    raw = config.RAW_DIR.resolve()
    if path == raw or raw in path.parents:
        raise LaoyouError("不能写入 data/raw/（原始数据只读）。", "Refusing to write under data/raw/ (raw data are read-only).",
                          file=path, hint_zh="输出写到 data/processed/ 或 reports/。",
                          hint_en="write outputs to data/processed/ or reports/.")
    return path


def atomic_write_bytes(path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (temporary file in the same folder, then rename)."""
    path = guard_not_raw(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600 files; give the usual permissions
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


#: Characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")


def neutralise_text(value):
    """``value`` with a leading ``'`` if it is text a spreadsheet would execute.

    Text starting with ``= + - @``, a tab or a carriage return gets an apostrophe in front,
    as OWASP advises, so Excel, WPS and LibreOffice show it as text instead of running it
    (``=cmd|' /C calc'!A0``, ``@SUM(1+1)``, ``-2+3``).  Text that is a plain number
    (``-3``, ``+1.5``) is left alone: a spreadsheet reads it as that number, never as a
    formula.  Anything that is not a ``str`` (numbers, NA, dates) is returned unchanged, so
    negative numbers stored as numbers stay numbers.

    References
    ----------
    OWASP Foundation. (2024). *CSV injection*. https://owasp.org/www-community/attacks/CSV_Injection

    Examples
    --------
    >>> neutralise_text("=1+1"), neutralise_text("@SUM(A1)"), neutralise_text("-3"), neutralise_text(-3)
    ("'=1+1", "'@SUM(A1)", '-3', -3)
    """
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def _may_start_a_formula(series) -> bool:
    try:
        values = series.unique()
    except TypeError:  # unhashable cells (lists)
        values = series.tolist()
    return any(isinstance(v, str) and v.startswith(FORMULA_START) for v in values)


def neutralise_formulas(df):
    """A copy of ``df`` with :func:`neutralise_text` applied to every text cell (column
    headers included); numeric, boolean and date columns are untouched.

    Examples
    --------
    >>> import pandas as pd
    >>> neutralise_formulas(pd.DataFrame({"note": ["=1+1", "ok"], "x": [-1, 2]})).to_dict("list")
    {'note': ["'=1+1", 'ok'], 'x': [-1, 2]}
    """
    import pandas as pd

    out = df.copy()
    for position, column in enumerate(out.columns):
        series = out.iloc[:, position]
        if (pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series)) and \
                _may_start_a_formula(series):  # else nothing would change
            out.isetitem(position, series.map(neutralise_text, na_action="ignore"))
    out.columns = [neutralise_text(c) for c in out.columns]
    return out


def write_csv(df, path) -> Path:
    """A DataFrame as UTF-8 CSV with BOM (opens correctly in Excel), written atomically, with
    formula-like text neutralised (:func:`neutralise_formulas`)."""
    return atomic_write_bytes(path, neutralise_formulas(df).to_csv(index=False, lineterminator="\n").encode("utf-8-sig"))


def sha256(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_manifest(folder, inputs, outputs, parameters: dict) -> Path:
    """``manifest.json`` in ``folder``: inputs and outputs (relative paths, SHA-256), the
    package version and the parameters."""
    from laoyou_eval import __version__

    folder = Path(folder)
    inputs, outputs = [Path(p) for p in inputs], [Path(p) for p in outputs]
    common = Path(os.path.commonpath([p.resolve() for p in inputs])) if inputs else Path(".")
    if common.is_file():
        common = common.parent
    doc = {
        "package": "laoyou_eval", "version": __version__, "parameters": parameters,
        "inputs": {str(p.resolve().relative_to(common)): sha256(p) for p in sorted(inputs)},
        "outputs": {str(p.resolve().relative_to(folder.resolve())): sha256(p) for p in sorted(outputs)},
    }
    return atomic_write_bytes(folder / "manifest.json",
                              (json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8"))


def read_manifest(folder) -> dict | None:
    path = Path(folder) / "manifest.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def study_source(study_dir) -> str:
    """Which study folder a processed folder was made from, without a machine path.

    ``data/processed/<folder name>/`` is shared by every study folder of that name, wherever it
    lies; the manifest records this value so that another folder of the same name is refused
    (:func:`check_source`) instead of silently overwriting it.

    Returns
    -------
    str
        The folder's path relative to the project root (``data/raw/demo``) when it lies inside
        the project, else ``sha256:`` and the first 16 hex digits of the SHA-256 of its resolved
        absolute path (the path itself is never stored).

    Examples
    --------
    >>> from laoyou_eval import config
    >>> study_source(config.RAW_DIR / "demo")
    'data/raw/demo'
    """
    from laoyou_eval import config

    folder = Path(study_dir).resolve()
    root = config.PROJ_ROOT.resolve()
    if folder.is_relative_to(root):
        return folder.relative_to(root).as_posix()
    return "sha256:" + hashlib.sha256(str(folder).encode("utf-8")).hexdigest()[:16]


def check_source(study_dir, out: Path, manifest: dict | None) -> None:
    """A LaoyouError when the processed folder ``out`` was made from another study folder.

    Manifests written before the source was recorded claim nothing and pass.
    """
    claimed = ((manifest or {}).get("parameters") or {}).get("source")
    if claimed is None or claimed == study_source(study_dir):
        return
    name = Path(study_dir).resolve().name
    raise LaoyouError(
        f"整理后的数据文件夹 {out.name} 属于另一个同名的研究文件夹（{claimed}），不会覆盖它。",
        f"The processed folder {out.name} belongs to another study folder of the same name ({claimed}); "
        "it is not overwritten.",
        file=out,
        hint_zh=f"把研究文件夹 {name} 改名（整理后的数据按研究文件夹名存放），或只运行 intake 时用 --out 指定另一个输出"
                f"文件夹；如果只是把同一个研究文件夹移动了位置，删除 {out} 后重新运行。",
        hint_en=f"rename the study folder {name} (processed data are stored under the study folder's name), or, for "
                f"intake alone, pass --out with another folder; if this is the same study folder moved elsewhere, "
                f"delete {out} and run again.")
