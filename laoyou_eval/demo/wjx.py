"""Write answers in the layout of 问卷星 (Wenjuanxing) downloads.

Two layouts are produced, as 问卷星 offers them:

* **text export** (按选项文本): ``N、题干`` headers, single choices as option text,
  multi-select joined with ``┋``, option-attached other text in ``〖…〗``, logic skips as
  ``(跳过)``, matrix rows as ``第N题(条目k)`` sub-columns;
* **code export** (按选项序号): the same questions as 1-based option codes, multi-select split
  into 0/1 ``第N题(选项)`` sub-columns, other text in a ``第N题(其他〖请注明〗)`` column,
  ``-2`` for a question skipped by jump logic and ``-3`` for one hidden by display logic.

Both start with the metadata columns 序号, 提交答卷时间, 所用时间, 来源, 来源详情, 来自IP.
The layout follows real exports as closely as the package authors know them; the meaning of
-2 versus -3 is this package's reading and is documented as such in the demo README.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

META_COLUMNS = ("序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP")
SKIP_TEXT = "(跳过)"
SKIP_CODE = -2  # skipped by jump logic (跳题)
HIDDEN_CODE = -3  # not shown by display logic (未显示)
MULTI_SEP = "┋"


class Skipped:
    """Marker answer: the question was jumped over (``kind="skip"``) or hidden (``"hidden"``)."""

    def __init__(self, kind: str = "skip") -> None:
        self.kind = kind

    @property
    def code(self) -> int:
        return SKIP_CODE if self.kind == "skip" else HIDDEN_CODE


SKIP = Skipped("skip")
HIDDEN = Skipped("hidden")


@dataclass(frozen=True)
class Question:
    """One question of a 问卷星 questionnaire.

    Attributes
    ----------
    number : int
        Question number N as shown in the header ``N、题干``.
    stem : str
        Question text.
    kind : {"fill", "single", "multi", "matrix"}
    options : tuple of str
        Option texts (matrix: the answer scale).  An option ending in ``〖〗`` takes other text.
    rows : tuple of str
        Matrix row labels.
    name : str
        Canonical column name in the codebook (a matrix question: the instrument key).
    """

    number: int
    stem: str
    kind: str
    options: tuple[str, ...] = ()
    rows: tuple[str, ...] = field(default_factory=tuple)
    name: str = ""

    @property
    def header(self) -> str:
        return f"{self.number}、{self.stem}"

    def sub_header(self, label: str) -> str:
        return f"第{self.number}题({label})"

    def option_label(self, index: int) -> str:
        return self.options[index].removesuffix("〖〗")


def _text_cells(q: Question, answer) -> dict[str, object]:
    if q.kind == "matrix":
        if isinstance(answer, Skipped):
            return {q.sub_header(r): SKIP_TEXT for r in q.rows}
        return {q.sub_header(r): q.options[int(a)] for r, a in zip(q.rows, answer)}
    if isinstance(answer, Skipped):
        return {q.header: SKIP_TEXT}
    if q.kind == "fill":
        return {q.header: answer}
    if q.kind == "single":
        index, other = answer if isinstance(answer, tuple) else (answer, None)
        label = q.option_label(index)
        return {q.header: f"{label}〖{other}〗" if other else label}
    if q.kind == "multi":
        indices, other = answer
        parts = [
            f"{q.option_label(i)}〖{other}〗" if (other and q.options[i].endswith("〖〗")) else q.option_label(i)
            for i in indices
        ]
        return {q.header: MULTI_SEP.join(parts)}
    raise ValueError(f"unknown question kind {q.kind!r}")


def _code_cells(q: Question, answer) -> dict[str, object]:
    other_col = q.sub_header("其他〖请注明〗")
    takes_other = any(o.endswith("〖〗") for o in q.options)
    if q.kind == "matrix":
        if isinstance(answer, Skipped):
            return {q.sub_header(r): answer.code for r in q.rows}
        return {q.sub_header(r): int(a) + 1 for r, a in zip(q.rows, answer)}
    if q.kind == "fill":
        return {q.header: answer.code if isinstance(answer, Skipped) else answer}
    if q.kind == "single":
        if isinstance(answer, Skipped):
            cells = {q.header: answer.code}
            other = answer.code
        else:
            index, other = answer if isinstance(answer, tuple) else (answer, None)
            cells = {q.header: index + 1}
            other = other or ""
        if takes_other:
            cells[other_col] = other
        return cells
    if q.kind == "multi":
        if isinstance(answer, Skipped):
            cells = {q.sub_header(q.option_label(i)): answer.code for i in range(len(q.options))}
            other = answer.code
        else:
            indices, other = answer
            cells = {q.sub_header(q.option_label(i)): int(i in indices) for i in range(len(q.options))}
            other = other or ""
        if takes_other:
            cells[other_col] = other
        return cells
    raise ValueError(f"unknown question kind {q.kind!r}")


def export(questions, meta: pd.DataFrame, answers: list[dict], layout: str = "text") -> pd.DataFrame:
    """Build one export table.

    Parameters
    ----------
    questions : sequence of Question
    meta : DataFrame
        The six metadata columns, one row per submission, in submission order.
    answers : list of dict
        Per submission, ``{question number: answer}``; answers are an option index, an
        ``(index, other_text)`` pair, ``(indices, other_text)`` for multi-select, a sequence of
        option indices for a matrix, a value for a fill-in, or :data:`SKIP` / :data:`HIDDEN`.
    layout : {"text", "code"}
    """
    cell_fn = _text_cells if layout == "text" else _code_cells
    rows = []
    for record in answers:
        row: dict[str, object] = {}
        for q in questions:
            row.update(cell_fn(q, record[q.number]))
        rows.append(row)
    body = pd.DataFrame(rows)
    return pd.concat([meta.reset_index(drop=True), body], axis=1)
