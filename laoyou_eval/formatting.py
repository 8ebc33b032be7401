"""Numbers and APA text for sentences and tables: the package's one formatting module.

Numbers follow APA 7 (American Psychological Association, 2020): two decimals, a true minus
sign (−), no leading zero for statistics that cannot exceed 1 (p, r), "p < .001" for very
small p values.  Counts of people below :data:`laoyou_eval.config.SMALL_CELL_THRESHOLD`
are written as "fewer than 5".

References
----------
American Psychological Association. (2020). *Publication manual of the American
Psychological Association* (7th ed.). https://doi.org/10.1037/0000165-000
"""

from __future__ import annotations

import math

from laoyou_eval.config import SMALL_CELL_THRESHOLD
from laoyou_eval.i18n import text

MINUS = "−"

__all__ = ["MINUS", "format_count", "format_interval", "format_number", "format_p", "format_percent", "sentence"]


def _finite(x) -> bool:
    try:
        return x is not None and math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def format_number(x: float, digits: int = 2, leading_zero: bool = True) -> str:
    """``x`` with ``digits`` decimals and a typographic minus; "NA" when undefined.

    Parameters
    ----------
    x : float
    digits : int, default 2
    leading_zero : bool, default True
        False for statistics bounded by 1 (p, r), as APA asks.

    Returns
    -------
    str

    Examples
    --------
    >>> format_number(-1.2846), format_number(0.0029, 3, leading_zero=False), format_number(1234.5, 1)
    ('−1.28', '.003', '1,234.5')
    """
    if not _finite(x):
        return "NA"
    s = f"{float(x):,.{digits}f}"
    if s.lstrip("-").strip("0.,") == "":  # -0.00 -> 0.00
        s = s.lstrip("-")
    if not leading_zero:
        s = s.replace("0.", ".", 1) if s.lstrip("-").startswith("0.") else s
    return s.replace("-", MINUS)


def format_p(p: float) -> str:
    """APA p value: ``p = .003``, ``p < .001``; "p = NA" when undefined.

    Examples
    --------
    >>> format_p(0.002833), format_p(0.00001), format_p(0.5)
    ('p = .003', 'p < .001', 'p = .500')
    """
    if not _finite(p):
        return "p = NA"
    if p < 0.001:
        return "p < .001"
    return f"p = {format_number(p, 3, leading_zero=False)}"


def format_interval(low: float, high: float, level: float = 0.95, digits: int = 2) -> str:
    """A confidence interval, APA style.

    >>> format_interval(-0.5, 1.25)
    '95% CI [−0.50, 1.25]'
    """
    return f"{level:.0%} CI [{format_number(low, digits)}, {format_number(high, digits)}]"


def format_percent(x: float) -> str:
    """A share as a whole percentage; "NA" when undefined.

    >>> format_percent(0.666), format_percent(float("nan"))
    ('67%', 'NA')
    """
    return f"{float(x):.0%}" if _finite(x) else "NA"


def format_count(n: int, threshold: int = SMALL_CELL_THRESHOLD) -> str:
    """A count of people for a sentence: the number, or "不足 5"/"fewer than 5" when it is
    positive and below ``threshold`` (nobody can be singled out).

    >>> format_count(1367), format_count(0)
    ('1,367', '0')
    """
    n = int(n)
    if 0 < n < threshold:
        return text(f"不足 {threshold}", f"fewer than {threshold}")
    return f"{n:,}"


def sentence(zh: str, en: str) -> str:
    """``zh`` or ``en`` in the report language, the English starting in upper case.

    >>> from laoyou_eval import i18n
    >>> i18n.set_language("en"); sentence("甲。", "the score fell.")
    'The score fell.'
    >>> i18n.set_language("zh")
    """
    return text(zh, en[:1].upper() + en[1:])
