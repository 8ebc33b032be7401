"""Writing derived files safely: never under ``data/raw/``, never half-written, always traceable.

* :func:`atomic_write_bytes` writes to a temporary file in the target folder and renames it
  over the target (``os.replace`` is atomic on POSIX and Windows): an interrupted run leaves
  the old file or no file, never a partial one.
* :func:`write_manifest` records, next to the outputs, the SHA-256 of every input, the
  package version, the parameters and the SHA-256 of every output — no clock time, so the
  same inputs give byte-identical outputs.
"""

from __future__ import annotations

import hashlib
import json
import os
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


def write_csv(df, path) -> Path:
    """A DataFrame as UTF-8 CSV with BOM (opens correctly in Excel), written atomically."""
    return atomic_write_bytes(path, df.to_csv(index=False, lineterminator="\n").encode("utf-8-sig"))


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
