"""Figures of the process records and generated paragraphs of the case-study report.

* the process figures :func:`contact_heatmap`, :func:`hours_by_mode`, :func:`pipeline_figure`,
  :func:`dose_scatter` and :func:`proxy_sentence` now live in :mod:`laoyou_eval.process.figures`
  and :mod:`laoyou_eval.process.sentences` (re-exported here);
* :class:`Paragraph`, a generated sentence shown as a report paragraph: in the HTML report as
  ``<p>``, in the Word report as a paragraph (printed text would be left out of Word);
* :func:`join_sentences`, sentences of several results joined without repeating their caveats;
* :func:`theme_counts`, the open-answer themes both coders agreed on.

All text is in the report language (:func:`laoyou_eval.report.text`); figure text falls back
to English without a CJK font.
"""

from __future__ import annotations

import html

from laoyou_eval.i18n import text
from laoyou_eval.process.figures import (  # noqa: F401
    MODE_COLOURS,
    STAGE_COLOURS,
    contact_heatmap,
    dose_scatter,
    hours_by_mode,
    pipeline_figure,
)
from laoyou_eval.process.sentences import proxy_sentence  # noqa: F401  (moved; re-exported)

__all__ = ["Paragraph", "join_sentences", "contact_heatmap", "hours_by_mode", "pipeline_figure",
           "dose_scatter", "theme_counts", "proxy_sentence"]




class Paragraph(str):
    """A generated sentence shown as a paragraph of the report.

    A notebook cell ending in ``Paragraph(sentence)`` shows the sentence as ``<p>`` in the
    notebook and the HTML report, and as a paragraph in the Word report (the plain-text form
    carries no quotes).  ``print`` output, by contrast, does not reach the Word report.

    Examples
    --------
    >>> Paragraph("孤独感下降了。")
    孤独感下降了。
    """

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        return f"<p>{html.escape(str(self))}</p>"


def join_sentences(*texts: str) -> str:
    """Several generated sentences as one paragraph, each sentence said once.

    Generated sentences may end with the same caution (e.g. the small-sample caveat of
    :func:`laoyou_eval.outcomes.sentences.paired_sentence`); in a paragraph it is kept where
    it first appears and left out after.

    Examples
    --------
    >>> join_sentences("A rose. Small sample.", "B fell. Small sample.")
    'A rose. Small sample. B fell.'
    """
    import re

    seen, out = set(), []
    for part in texts:
        for sentence in re.findall(r"[^。]+。|.+?\.(?=\s|$)|\S.*$", str(part).strip()):
            key = sentence.strip()
            if key and key not in seen:
                seen.add(key)
                out.append(key)
    return "".join(out) if all(s.endswith("。") for s in out) else " ".join(out)


def theme_counts(codes_a, codes_b, themes, groups=None):
    """Open-answer themes both coders agreed on, with their share.

    Parameters
    ----------
    codes_a, codes_b : pandas.Series
        Theme codes of coder A and coder B, indexed by response id.
    themes : pandas.DataFrame
        The theme codebook: ``code``, ``label_zh``, ``label_en``.
    groups : pandas.Series, optional
        Response id -> group (e.g. arm), to count within each group.

    Returns
    -------
    pandas.DataFrame
        One row per (group and) theme, most frequent first: the group column (named after
        ``groups.name``) when given, ``code``, ``theme`` (the label in the report language),
        ``count`` (responses both coders gave this theme; "<5" in report tables when small),
        ``share`` (of the responses both coders agreed on, within the group).

    Notes
    -----
    Responses the coders disagree on, or that one of them left uncoded (blank), are not counted
    here: they wait for the coders' discussion (:func:`laoyou_eval.reliability.disagreements`).
    Themes nobody was given are listed with 0.
    """
    import pandas as pd

    a, b = (codes.astype("string").str.strip().replace("", pd.NA) for codes in (codes_a, codes_b))
    both = pd.concat([a.rename("a"), b.rename("b")], axis=1, join="inner")
    agreed = both[both["a"].notna() & (both["a"] == both["b"]).fillna(False)]["a"]
    lang = "zh" if text("zh", "en") == "zh" else "en"
    names = dict(zip(themes["code"].astype(str), themes[f"label_{lang}"]))
    order = list(themes["code"].astype(str))
    frame = agreed.rename("code").to_frame()
    group = None
    if groups is not None:
        group = groups.name or "group"
        frame[group] = frame.index.map(groups)
    parts = []
    for key, part in (frame.groupby(group, sort=False) if group else [(None, frame)]):
        counts = part["code"].value_counts().reindex(order + sorted(set(part["code"]) - set(order)), fill_value=0)
        table = pd.DataFrame({"code": counts.index, "count": counts.to_numpy()})
        table["share"] = table["count"] / len(part) if len(part) else float("nan")
        if group:
            table.insert(0, group, key)
        parts.append(table.sort_values("count", ascending=False, kind="stable"))
    out = pd.concat(parts, ignore_index=True)
    out.insert(out.columns.get_loc("code") + 1, "theme", out["code"].map(names).fillna(out["code"]))
    return out.astype({"count": "int64"})
