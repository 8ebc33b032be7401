"""A catalogue of the built-in instruments, and the documentation page generated from it."""

from __future__ import annotations

from laoyou_eval.instruments.model import available, get


def catalogue():
    """One row per built-in instrument.

    Returns
    -------
    pandas.DataFrame
        name, title_zh, title_en, items, method, range, higher_is, reverse, subscales,
        max_missing, missing_rule_source, cutoffs, reliability, reliability_kind,
        reference_sd, wording_shippable, unverified (count of facts still to verify).
    """
    import pandas as pd

    rows = []
    for name in available():
        inst = get(name)
        rows.append({
            "name": name, "title_zh": inst.title_zh, "title_en": inst.title_en, "items": inst.n_items,
            "method": inst.method, "range": f"{inst.score_range[0]:g}–{inst.score_range[1]:g}",
            "higher_is": inst.higher_is, "reverse": " ".join(map(str, inst.reverse)),
            "subscales": " ".join(s.name for s in inst.subscales), "max_missing": inst.max_missing,
            "missing_rule_source": inst.missing_rule_source, "cutoffs": len(inst.cutoffs),
            "reliability": inst.reliability.get("value"), "reliability_kind": inst.reliability.get("kind", ""),
            "reference_sd": inst.reference.get("sd"), "wording_shippable": inst.wording_shippable,
            "unverified": len(inst.unverified),
        })
    return pd.DataFrame(rows)


def catalogue_markdown() -> str:
    """The text of ``docs/instruments.md`` (regenerate with ``make docs``)."""
    lines = [
        "# 内置量表 Built-in instruments",
        "",
        "由 `laoyou_eval/instruments/data/*.yaml` 生成，请勿手改（`make docs`）。",
        "Generated from the instrument files; do not edit by hand (`make docs`).",
        "",
        "只包含计分规则，不包含受版权保护的条目文字。Scoring rules only: no licensed item wording ships.",
        "Every fact not yet checked against its primary source is listed as UNVERIFIED below.",
        "",
        "| name | instrument | items | scoring | range | higher is | reverse | reliability (kind) | wording may ship |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name in available():
        i = get(name)
        rel = i.reliability.get("value")
        rel_text = f"{rel} ({i.reliability.get('kind', '')})" if rel is not None else "—"
        lines.append(f"| `{name}` | {i.title_zh}<br>{i.title_en} | {i.n_items} | {i.method} | "
                     f"{i.score_range[0]:g}–{i.score_range[1]:g} | {i.higher_is} | "
                     f"{' '.join(map(str, i.reverse)) or '—'} | {rel_text} | {'yes' if i.wording_shippable else 'no'} |")
    for name in available():
        i = get(name)
        lines += ["", f"## `{name}` — {i.title_en}", "", f"- Citation: {i.citation}",
                  f"- Missing items: {i.missing_rule} ({i.missing_rule_source})",
                  f"- Licence: {' '.join(str(i.licence.get('terms', '')).split())}"]
        if i.subscales:
            lines.append("- Subscales: " + "; ".join(f"{s.name} ({' '.join(map(str, s.items))})" for s in i.subscales))
        if i.cutoffs:
            lines.append("- Cut-offs: " + "; ".join(
                f"{c.label_en} {'' if c.low is None else c.low}–{'' if c.high is None else c.high}" for c in i.cutoffs))
        elif i.cutoffs_note:
            lines.append(f"- Cut-offs: none. {i.cutoffs_note}")
        if i.unverified:
            lines.append("- UNVERIFIED:")
            lines += [f"  - {' '.join(str(u).split())}" for u in i.unverified]
    return "\n".join(lines) + "\n"
