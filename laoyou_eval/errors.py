"""Errors and warnings that speak to students in Chinese and English.

Every error names *where* the problem is (file, row, column) and *what to do*, so a
student can fix the input without reading a traceback.
"""

from __future__ import annotations

from pathlib import Path


class LaoyouError(Exception):
    """Base error of the package: a bilingual message with an optional location.

    Parameters
    ----------
    zh, en : str
        The message in Chinese and in English.
    file : str or Path, optional
        The input file concerned.
    row : int, optional
        1-based row number as a spreadsheet program shows it (header = row 1).
    column : str, optional
        Column header concerned.
    hint_zh, hint_en : str, optional
        What the user should do about it.

    Examples
    --------
    >>> err = LaoyouError("找不到文件", "file not found", file="a.csv")
    >>> print(err)
    找不到文件 [文件 file: a.csv]
    file not found
    """

    def __init__(
        self,
        zh: str,
        en: str,
        *,
        file: str | Path | None = None,
        row: int | None = None,
        column: str | None = None,
        hint_zh: str | None = None,
        hint_en: str | None = None,
    ) -> None:
        self.zh, self.en = zh, en
        self.file, self.row, self.column = file, row, column
        self.hint_zh, self.hint_en = hint_zh, hint_en
        super().__init__(self._render())

    def location(self) -> str:
        parts = []
        if self.file is not None:
            parts.append(f"文件 file: {self.file}")
        if self.row is not None:
            parts.append(f"行 row: {self.row}")
        if self.column is not None:
            parts.append(f"列 column: {self.column}")
        return "; ".join(parts)

    def _render(self) -> str:
        where = self.location()
        head = f"{self.zh} [{where}]" if where else self.zh
        lines = [head, self.en]
        if self.hint_zh or self.hint_en:
            lines.append(f"怎么办 What to do: {self.hint_zh or ''} / {self.hint_en or ''}".rstrip(" /"))
        return "\n".join(lines)


class StudyFolderError(LaoyouError):
    """A study folder lacks files or has files of the wrong shape."""


class FontWarning(UserWarning):
    """No CJK font is installed: figure labels fall back to English."""
