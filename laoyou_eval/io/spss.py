"""SPSS ``.sav`` files with their value labels (pyreadstat)."""

from __future__ import annotations

from pathlib import Path

from laoyou_eval.errors import LaoyouError

#: Encodings tried in order when the file's own declaration fails (Chinese SPSS files are
#: often GBK but declare something else; pyreadstat issue #74).
FALLBACK_ENCODINGS = ("GB18030",)


def _text(value) -> str:
    import math

    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_spss(path):
    """Read an SPSS ``.sav`` file as text codes, keeping its value and variable labels.

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    pandas.DataFrame
        All columns as strings: integer codes as ``"1"`` (not ``"1.0"``), system-missing as
        ``""``; user-defined missing values are kept as their codes (they mean refused, not
        applicable … — declare them in the codebook's ``missing`` sheet).  ``df.attrs``:
        ``source``, ``encoding`` (the file's, or the fallback used), ``layout`` ("labelled":
        values are codes), ``value_labels`` ({column: {code: label}}), ``column_labels``
        ({column: label}), ``missing_ranges`` ({column: [[low, high], …]}).

    Raises
    ------
    LaoyouError
        Missing file, or a file pyreadstat cannot read in its declared encoding or GB18030.
    """
    import pyreadstat

    path = Path(path)
    if not path.is_file():
        raise LaoyouError("找不到文件。", "File not found.", file=path)
    tried = []
    for encoding in (None, *FALLBACK_ENCODINGS):
        try:
            df, meta = pyreadstat.read_sav(str(path), encoding=encoding, user_missing=True)
            break
        except Exception as error:  # pyreadstat raises its own ReadstatError / PyreadstatError
            tried.append(f"{encoding or 'declared'}: {error}")
    else:
        raise LaoyouError("无法读取 SPSS 文件。", "Cannot read the SPSS file: " + "; ".join(tried), file=path,
                          hint_zh="在 SPSS 中另存为新的 .sav（Unicode 模式）。",
                          hint_en="re-save it in SPSS in Unicode mode.")
    text = df.map(_text).astype(str)
    labels = {column: {_text(code): str(label) for code, label in meta.variable_value_labels.get(column, {}).items()}
              for column in df.columns if column in meta.variable_value_labels}
    text.attrs.update(
        source=str(path), encoding=encoding or meta.file_encoding or "declared", layout="labelled",
        value_labels=labels,
        column_labels=dict(zip(meta.column_names, [str(c or "") for c in meta.column_labels])),
        missing_ranges={k: [[r["lo"], r["hi"]] for r in v] for k, v in (meta.missing_ranges or {}).items()},
    )
    return text
