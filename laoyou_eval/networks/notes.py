"""Bilingual explanations of the network measures' ``note`` codes, and :func:`localise` for
network tables (notes explained, then :func:`laoyou_eval.report.localise`).  The words
themselves (columns, categories, roles) are in the shared vocabulary (:mod:`laoyou_eval.i18n`).
This module is presentation: analysis functions write the codes, only display code reads them.
"""

from __future__ import annotations

import pandas as pd

from laoyou_eval.i18n import explain

#: note code -> (zh, en); ``{a}`` is an attribute name, ``{k}`` a count.
NOTES: dict[str, tuple[str, str]] = {
    "no_alters": ("没有提名任何人：比例类指标无定义", "named nobody: ratios undefined"),
    "one_alter": ("只提名一人：密度等无定义", "one alter: density and the like undefined"),
    "no_alter_ties": ("被提名者之间没有关系", "no ties among the alters"),
    r"(?P<a>.+)_missing=(?P<k>\d+)": ("{a} 缺失 {k} 人（不计入分母）", "{a} missing for {k} alter(s), left out"),
    r"(?P<a>.+)_all_missing": ("{a} 全部缺失", "{a} missing for every alter"),
    r"ego_(?P<a>.+)_missing": ("受访者本人的 {a} 缺失", "ego's own {a} missing"),
    r"(?P<a>.+)_k<2": ("{a} 可能类别少于 2 个：IQV 无定义", "{a} has fewer than 2 categories: IQV undefined"),
    "no_alters_before": ("基线没有提名任何人：保留率无定义", "nobody at baseline: retention undefined"),
    "no_alters_either_wave": ("两波都没有提名任何人", "nobody at either wave"),
    "no_kept_closeness": ("没有可比较亲近程度的保留者", "no kept alter with closeness at both waves"),
    "no_ties_among_kept": ("保留者之间两波都没有关系", "no ties among kept alters at either wave"),
    "no_buddy_after": ("随访时没有结对老友", "no buddy at follow-up"),
    "not_in_panel": ("不在两波都受访的名单中", "not interviewed at both waves"),
    "one_wave_only": ("只在一波的数据中出现", "present at one wave only"),
    "fewer_than_2_members": ("成员少于 2 人", "fewer than 2 members"),
    "fewer_than_3_members": ("成员少于 3 人：中心势无定义", "fewer than 3 members: centralisation undefined"),
    "no_ties_before": ("基线没有关系", "no ties at baseline"),
    "no_persisted_ties": ("没有持续的关系", "no persisted ties"),
    "no_variation": ("关系没有变化：相关无定义", "no variation: correlation undefined"),
}


def explain_note(note: str) -> str:
    """A note of the measure tables ("code; code") in the report language.

    Examples
    --------
    >>> from laoyou_eval import i18n
    >>> i18n.set_language("en"); explain_note("one_alter; sex_missing=1")
    'one alter: density and the like undefined; sex missing for 1 alter(s), left out'
    >>> i18n.set_language("zh")
    """
    return explain(note, NOTES)


def localise(df: pd.DataFrame, values=(), index: str | None = None) -> pd.DataFrame:
    """Display copy of a network table in the report language (see :func:`laoyou_eval.report.localise`):
    columns and the listed value columns translated, notes explained, missing cells as "—"."""
    out = df.copy()
    if "note" in out:
        out["note"] = out["note"].map(lambda v: v if pd.isna(v) else explain_note(v))
    from laoyou_eval import report

    return report.localise(out, values=tuple(values), index=index)
