"""Statistics as report text: APA numbers with italic markup, each number recorded as a fact.

A :class:`Writer` belongs to one document and one language.  Every number it prints goes
through :meth:`Writer.num`, which records a :class:`~laoyou_eval.report.document.Fact` (the
value, the text shown and where it came from), so ``report_facts.json`` lists every number of
the document and a test can check them against the result tables.

Inline markup (rendered by :mod:`laoyou_eval.report.render`): ``*t*`` is italic, ``_z_`` after
a symbol is a subscript — ``*d*_z_`` shows as *d*\\ :sub:`z`.
"""

from __future__ import annotations

import math

from laoyou_eval.outcomes.sentences import format_number, format_p

#: Groups smaller than this are never described by their size, mean or SD.
SMALL_CELL = 5


class Writer:
    """Language-aware phrases of one document.

    Parameters
    ----------
    doc : laoyou_eval.report.document.Document
    """

    def __init__(self, doc) -> None:
        from laoyou_eval.report.document import Fact

        self.doc = doc
        self.lang = doc.lang
        self._fact = Fact

    # ---------------------------------------------------------------- basic
    def t(self, zh: str, en: str) -> str:
        return zh if self.lang == "zh" else en

    def num(self, value, source: str, digits: int = 2, *, leading_zero: bool = True, key: str | None = None) -> str:
        """``value`` formatted (two decimals, true minus) and recorded as a fact."""
        shown = format_number(value, digits, leading_zero=leading_zero)
        self.doc.facts.append(self._fact(key=key or source, value=_plain(value), shown=shown, source=source))
        return shown

    def count(self, value, source: str) -> str:
        """A count of people: ``<5`` when below the small-cell threshold."""
        value = int(value)
        shown = f"<{SMALL_CELL}" if 0 < value < SMALL_CELL else str(value)
        self.doc.facts.append(self._fact(key=source, value=value, shown=shown, source=source))
        return shown

    def p(self, value, source: str) -> str:
        shown = format_p(value).replace("p ", "*p* ", 1)
        self.doc.facts.append(self._fact(key=source, value=_plain(value), shown=shown, source=source))
        return shown

    def placeholder(self, what_zh: str, what_en: str) -> str:
        return self.t(f"【待填写：{what_zh}】", f"[TO FILL: {what_en}]")

    def ci(self, low, high, source: str, level: float = 0.95) -> str:
        return f"{level:.0%} CI [{self.num(low, source + '.ci_low')}, {self.num(high, source + '.ci_high')}]"

    def join(self, items: list[str]) -> str:
        items = [i for i in items if i]
        if not items:
            return ""
        if self.lang == "zh":
            return "、".join(items)
        return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]

    # ---------------------------------------------------------------- statistics
    def paired(self, row, source: str) -> str:
        """*t*(13) = −3.21, *p* = .007, *d*_z_ = −0.86, 95% CI [−1.48, −0.21]."""
        df = "NA" if not _finite(row["df"]) else self.num(row["df"], source + ".df", 0)
        return (f"*t*({df}) = {self.num(row['t'], source + '.t')}, {self.p(row['p'], source + '.p')}, "
                f"*d*_z_ = {self.num(row['d_z'], source + '.d_z')}, "
                f"{self.ci(row['d_z_ci_low'], row['d_z_ci_high'], source + '.d_z')}")

    def did(self, row, source: str) -> str:
        return (f"*t*({self.num(row['df'], source + '.df', 0)}) = {self.num(row['t'], source + '.t')}, "
                f"{self.p(row['p'], source + '.p')}, *d*_ppc2_ = {self.num(row['d_ppc2'], source + '.d_ppc2')}, "
                f"{self.ci(row['d_ppc2_ci_low'], row['d_ppc2_ci_high'], source + '.d_ppc2')}")

    def significant(self, p) -> bool:
        return _finite(p) and float(p) < 0.05

    def underpowered(self, row, source: str) -> str:
        """The caveat of a non-significant result: the smallest effect this sample could detect."""
        n = int(row["n"])
        mde = row.get("mde_d_z", float("nan"))
        if _finite(mde):
            size = self.num(mde, source + ".mde_d_z")
            return self.t(f"这一结果不显著；以 {n} 人的样本，只有 |*d*_z_| ≥ {size} 的效应才有 80% 的把握被检测到，"
                          "不显著并不说明没有变化。",
                          f"This result is not significant; with {n} people only effects of |*d*_z_| ≥ {size} "
                          "had an 80% chance of being detected, so it does not show that nothing changed.")
        return self.t("这一结果不显著，但样本较小，不显著并不说明没有变化。",
                      "This result is not significant, but the sample is small: it does not show that nothing changed.")


def _finite(x) -> bool:
    try:
        return x is not None and math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def _plain(value):
    try:
        return float(value) if _finite(value) else None
    except (TypeError, ValueError):
        return str(value)
