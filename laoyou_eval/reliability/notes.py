"""Bilingual explanations of the reliability tables' ``note`` codes, and :func:`localise` for
showing those tables.

The analysis functions write language-neutral codes into ``note`` ("code" or
"code=arg|arg", several joined by "; "); the words are chosen only when a table is shown,
as for the network measures (:mod:`laoyou_eval.networks.notes`).
"""

from __future__ import annotations

import pandas as pd

from laoyou_eval.i18n import text

#: note code -> (zh, en); ``{0}``, ``{1}``, … are the code's arguments.
NOTES: dict[str, tuple[str, str]] = {
    # consistency
    "listwise_rows_left_out": ("{1} 行中有 {0} 行有缺答，未纳入（listwise）",
                               "{0} of {1} rows left out (listwise: a missing answer)"),
    "pairwise_rows_left_out": ("{1} 行中有 {0} 行作答少于 2 题，未纳入（pairwise）",
                               "{0} of {1} rows left out (pairwise: fewer than 2 items answered)"),
    "smallest_pairwise_n": ("成对样本量最小为 {0}", "smallest pairwise n = {0}"),
    "alpha_undefined_sparse_pairs": ("α 无定义：有的条目对共同作答少于 2 人",
                                     "alpha undefined: some item pairs have fewer than 2 joint answers"),
    "alpha_undefined_zero_variance": ("α 无定义：总分方差为 0", "alpha undefined: the total score has zero variance"),
    "negative_alpha": ("α 为负：请检查反向计分条目", "negative alpha: check reverse keying of items"),
    "alpha_std_undefined_zero_variance": ("标准化 α 无定义：{0} 个条目方差为 0",
                                          "alpha_std undefined: {0} item(s) with zero variance"),
    "bootstrap_undefined": ("{1} 次自助抽样中有 {0} 次 α 无定义，未纳入",
                            "{0} of {1} bootstrap resamples had undefined alpha and were left out"),
    "citc_undefined": ("校正项总计相关无定义：该条目或其余条目总分方差为 0",
                       "citc undefined: zero variance of the item or of the rest score"),
    "alpha_if_deleted_undefined": ("项已删除的 α 无定义：其余条目总分方差为 0",
                                   "alpha_if_deleted undefined: rest score has zero variance"),
    "alpha_if_deleted_one_item": ("项已删除的 α 无定义：只剩 1 个条目",
                                  "alpha_if_deleted undefined: only 1 item would remain"),
    "omega_rows_left_out": ("{1} 行中有 {0} 行有缺答，未纳入（列表删除）",
                            "{0} of {1} rows with missing answers left out (listwise)"),
    "omega_zero_variance_items": ("ω 无定义：条目 {0} 方差为 0", "omega undefined: zero-variance item(s) {0}"),
    "omega_fewer_than_3_items": ("ω 无定义：单因子模型至少需要 3 个条目",
                                 "omega undefined: a one-factor model needs at least 3 items"),
    "omega_n_not_above_k": ("ω 无定义：极大似然因子分析需要样本量（n = {0}）多于条目数",
                            "omega undefined: ML factor analysis needs more rows (n = {0}) than items"),
    "ml_not_converged": ("极大似然拟合未收敛", "ML fit did not converge"),
    "heywood_case": ("Heywood 情形：有的独特方差接近 0", "Heywood case: some uniqueness is nearly zero"),
    "negative_loadings": ("{0} 的载荷为负：请检查反向计分", "negative loading(s) for {0}: check reverse keying"),
    "loadings": ("标准化载荷 {0} 至 {1}", "standardized loadings {0} to {1}"),
    # raters
    "incomplete_targets_left_out": ("{0} 个对象的评分不完整，未纳入（nan_policy='omit'）",
                                    "{0} target(s) with incomplete ratings left out (nan_policy='omit')"),
    "no_within_variance": ("对象内（或残差）方差为 0：F 和部分置信区间无定义",
                           "no within-target (or residual) variance: F and some CIs undefined"),
    "no_between_variance": ("对象间方差为 0：ICC 无定义", "no between-target variance: ICC undefined"),
    # coders
    "units_one_coder": ("{0} 条回答只有一位编码员编码（A {1}，B {2}）：不计入 κ 和一致率，α 也无法配对",
                        "{0} unit(s) coded by one coder only (A {1}, B {2}): left out of kappa and percent "
                        "agreement, not pairable for alpha"),
    "units_uncoded": ("{0} 条回答两位编码员都未编码", "{0} unit(s) coded by neither coder"),
    "no_unit_coded_by_both": ("没有两人都编码的回答：一致性无定义", "no unit coded by both coders: agreement undefined"),
    "kappa_undefined_single_category": ("κ 无定义：两人都只用了同一个类别（p_e = 1）",
                                        "kappa undefined: both coders used a single, identical category (p_e = 1)"),
    "alpha_undefined_single_category": ("Krippendorff α 无定义：只用了一个类别（没有期望不一致）",
                                        "krippendorff_alpha undefined: only one category used (no expected disagreement)"),
    "units_not_pairable": ("{0} 个单元少于 2 个编码，无法配对", "{0} unit(s) with fewer than 2 codes are not pairable"),
    "no_pairable_codes": ("没有可配对的编码：α 无定义", "no pairable codes: alpha undefined"),
    "alpha_undefined_single_value": ("只有一个取值（没有期望不一致）：α 无定义",
                                     "a single value among the pairable codes (no expected disagreement): alpha undefined"),
}


def explain_note(note: str) -> str:
    """A note of the reliability tables ("code; code") in the report language.

    Examples
    --------
    >>> from laoyou_eval import report
    >>> report.set_language("en"); explain_note("listwise_rows_left_out=3|12; negative_alpha")
    '3 of 12 rows left out (listwise: a missing answer); negative alpha: check reverse keying of items'
    >>> report.set_language("zh")
    """
    parts = []
    for item in filter(None, (c.strip() for c in str(note).split("; "))):
        name, _, args = item.partition("=")
        if name in NOTES:
            zh, en = NOTES[name]
            values = args.split("|") if args else []
            parts.append(text(zh.format(*values), en.format(*values)))
        else:
            parts.append(item)
    return "; ".join(parts)


def localise(df: pd.DataFrame, values=(), index: str | None = None) -> pd.DataFrame:
    """Display copy of a reliability table in the report language (see
    :func:`laoyou_eval.report.localise`): columns and the listed value columns translated,
    notes explained, missing cells as "—"."""
    out = df.copy()
    if "note" in out:
        out["note"] = out["note"].map(lambda v: v if pd.isna(v) else explain_note(v))
    from laoyou_eval import report  # presentation of a table: the report layer, imported when shown

    return report.localise(out, values=tuple(values), index=index)
