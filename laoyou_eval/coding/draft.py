"""Draft a codebook from a new export, so that a student starts from something.

The draft is a guess from the export alone and always needs checking: question types are
guessed from the answers, choice lists are in order of first appearance (the *order* decides
the codes — reorder them to the questionnaire's order), and every guess is marked ``TODO``
in a ``note`` column.
"""

from __future__ import annotations

import re

from laoyou_eval.coding.codebook import WJX_MISSING, Codebook
from laoyou_eval.io.wjx import HIDDEN, MULTI_SEP, RANK_SEP, SKIPPED, parse_header, question_columns, split_other

MAX_CHOICES = 15
NUMBER = re.compile(r"-?\d+(\.\d+)?")
PRIVATE_HINTS = ("姓名", "名字", "电话", "手机", "身份证", "住址", "地址", "微信", "name", "phone", "address")


def _answers(values):
    missing = {v for v, _ in WJX_MISSING} | {SKIPPED, HIDDEN}
    return [v.strip() for v in values if v.strip() not in missing]


def _options(answers, sep=None):
    seen: dict[str, None] = {}
    for value in answers:
        for part in (value.split(sep) if sep else [value]):
            seen.setdefault(split_other(part.strip())[0], None)
    return list(seen)


def _matrix_options(raw) -> dict[int, list[str]]:
    """Options of each matrix question, pooled over its rows (sub-columns ``第N题(…)``)."""
    pooled: dict[int, list[str]] = {}
    for column in question_columns(raw):
        number, _, sub = parse_header(column)
        answers = _answers(raw[column].astype(str))
        if sub is None or not answers or all(NUMBER.fullmatch(a) for a in answers):
            continue
        options = pooled.setdefault(number, [])
        options += [o for o in _options(answers) if o not in options]
    return {n: o for n, o in pooled.items() if len(o) <= MAX_CHOICES}


def draft(raw) -> Codebook:
    """A draft codebook for an export.

    Parameters
    ----------
    raw : pandas.DataFrame
        From :func:`laoyou_eval.io.read_wjx`, :func:`~laoyou_eval.io.read_spss` (its value
        labels become the choice lists) or :func:`~laoyou_eval.io.read_table`.

    Returns
    -------
    Codebook
        ``survey`` rows named ``q{N}`` (``q{N}_{k}`` for sub-columns), one choice list per
        question (the rows of a matrix question share one list, pooled over its rows), numbers typed
        ``integer``/``decimal`` with the observed range, free text as ``text``; columns that
        look like names, phones, ID numbers or addresses get ``privacy = drop``.
    """
    survey, choices, lists = [], [], {}
    counters: dict[int, int] = {}
    matrix_options = _matrix_options(raw)
    for column in question_columns(raw):
        number, stem, sub = parse_header(column)
        if number is None:
            name = re.sub(r"\W+", "_", column).strip("_").lower() or "column"
        else:
            counters[number] = counters.get(number, 0) + 1
            name = f"q{number}" if sub is None else f"q{number}_{counters[number]}"
        answers = _answers(raw[column].astype(str))
        row = {"name": name, "label::zh": stem or sub or column, "header": column, "note": ""}
        labels = raw.attrs.get("value_labels", {}).get(column)
        if labels:  # SPSS value labels: the codes and their meaning are known
            row.update(type=f"select_one {name}", note="TODO: check the value labels")
            choices += [{"list_name": name, "name": code, "label::zh": label} for code, label in labels.items()]
        elif any(hint in column.lower() for hint in PRIVATE_HINTS):
            row.update(type="text", privacy="drop", note="TODO: personal data? dropped at coding")
        elif answers and all(NUMBER.fullmatch(a) for a in answers):
            decimal = any("." in a for a in answers)
            values = [float(a) for a in answers]
            row.update(type="decimal" if decimal else "integer", min=f"{min(values):g}", max=f"{max(values):g}",
                       note="TODO: set the valid range (min/max are only the observed values)")
        elif any(MULTI_SEP in a for a in answers) or any(RANK_SEP in a for a in answers):
            sep = MULTI_SEP if any(MULTI_SEP in a for a in answers) else RANK_SEP
            options = _options(answers, sep)
            list_name = lists.setdefault(tuple(options), name)
            row.update(type=f"{'select_multiple' if sep == MULTI_SEP else 'rank'} {list_name}",
                       note="TODO: check the options and their order")
            if list_name == name:
                choices += [{"list_name": name, "name": str(k), "label::zh": o} for k, o in enumerate(options, 1)]
        elif answers and len(set(answers)) == len(answers) > 2 and number not in matrix_options:
            row.update(type="text", note="TODO: every answer differs — an identifier or free text?")
        elif answers and len(options := matrix_options.get(number, _options(answers))) <= MAX_CHOICES:
            key = tuple(sorted(options))
            list_name = lists.setdefault(key, name)
            row.update(type=f"select_one {list_name}",
                       note="TODO: put the options in questionnaire order; codes follow that order")
            if list_name == name:
                choices += [{"list_name": name, "name": str(k), "label::zh": o} for k, o in enumerate(options, 1)]
        else:
            row.update(type="text")
        survey.append(row)
    title = str(raw.attrs.get("source", "export")).rsplit("/", 1)[-1]
    return Codebook.from_tables(survey, choices, settings={"title": f"draft from {title}"},
                                source=f"draft of {title}")
