"""Draft a codebook from a new export, so that a student starts from something.

The draft is a guess from the exports alone and always needs checking: question types are
guessed from the answers, choice lists are in order of first appearance (the *order* decides
the codes — reorder them to the questionnaire's order), and every guess is marked ``TODO``
in a ``note`` column.

All waves' exports of one questionnaire are drafted together (answers pooled, so an option
nobody chose at baseline is still listed; a question asked at some waves only gets a
``waves`` restriction).  A matrix question (``第N题(…)`` sub-columns of a 问卷星 export, or several
columns of one export headed by the same number, such as ``N、题干—行``) whose
number of rows and answer options fit a built-in instrument is drafted as that instrument
(canonical item names, the instrument's codes, a ``scales`` row): see
:func:`recognise_instrument`.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter

from laoyou_eval.coding.codebook import WJX_MISSING, Codebook
from laoyou_eval.io.wjx import HIDDEN, MULTI_SEP, RANK_SEP, SKIPPED, parse_header, question_columns, split_other

MAX_CHOICES = 15
NUMBER = re.compile(r"-?\d+(\.\d+)?")
#: Labels (text exports) must resemble an instrument's own: without one identical label, the
#: options' ``difflib`` ratios with their closest catalogue labels must average at least this.
MIN_LABEL_SIMILARITY = 0.5
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


def _repeated_numbers(frames) -> set[int]:
    """Question numbers that head several columns of one export (``N、题干—行1``, ``N、题干—行2`` …):
    the rows of a matrix question written with its number on every column."""
    repeated: set[int] = set()
    for raw in frames:
        parsed = [parse_header(c) for c in question_columns(raw)]
        counts = Counter(number for number, _, sub in parsed if number is not None and sub is None)
        repeated |= {number for number, k in counts.items() if k > 1}
    return repeated


def _header(column: str, repeated: set[int]) -> tuple[int | None, str, str | None]:
    """:func:`~laoyou_eval.io.wjx.parse_header`, with a repeated number's columns as matrix rows."""
    number, stem, sub = parse_header(column)
    return (number, "", stem) if sub is None and number in repeated else (number, stem, sub)


def _matrix_options(frames, repeated) -> dict[int, list[str]]:
    """Options of each matrix question, pooled over its rows (sub-columns ``第N题(…)``) and exports."""
    pooled: dict[int, list[str]] = {}
    for raw, column in [(frame, column) for frame in frames for column in question_columns(frame)]:
        number, _, sub = _header(column, repeated)
        answers = _answers(raw[column].astype(str))
        if sub is None or not answers or all(NUMBER.fullmatch(a) for a in answers):
            continue
        options = pooled.setdefault(number, [])
        options += [o for o in _options(answers) if o not in options]
    return {n: o for n, o in pooled.items() if len(o) <= MAX_CHOICES}


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


def _assign_codes(observed: list[str], catalogue: tuple[str, ...]) -> list[int]:
    """Position in ``catalogue`` of each observed option: identical labels first, then the most
    similar (ratio > 0.3, greedy), the rest in order of first appearance into the free places."""
    place: dict[int, int] = {}
    free = set(range(len(catalogue)))
    for i, label in enumerate(observed):
        if label in catalogue:
            place[i] = catalogue.index(label)
            free.discard(place[i])
    pairs = sorted(((_similarity(o, c), i, j) for i, o in enumerate(observed) if i not in place
                    for j, c in enumerate(catalogue) if j in free), reverse=True)
    for ratio, i, j in pairs:
        if ratio > 0.3 and i not in place and j in free:
            place[i] = j
            free.discard(j)
    for i in range(len(observed)):
        if i not in place:
            place[i] = min(free)
            free.discard(place[i])
    return [place[i] for i in range(len(observed))]


def recognise_instrument(n_items: int, options: list[str]):
    """The built-in instrument a matrix question most likely is, with its options' codes.

    Parameters
    ----------
    n_items : int
        Number of rows (items) of the matrix question.
    options : list of str
        Answer options seen in the exports (all waves pooled), in order of first appearance;
        numeric codes for a code-layout export (``1…k``, as 问卷星 numbers options).

    Returns
    -------
    tuple or None
        ``(instrument, codes, candidates, exact)``: the instrument, the code of each observed
        option in its coding (None for an option set aside, see Notes), every instrument that
        fits, and whether every option label that is not set aside is the catalogue's own.  None
        when no instrument has ``n_items`` items and enough answer levels.

    Notes
    -----
    A candidate has exactly ``n_items`` items, the same response levels for every item, at
    least as many levels as options observed, and (for numeric codes) codes within ``1…k``.
    Candidates are ranked by how many observed labels equal a catalogue label, then by label
    similarity (``difflib`` ratio), then by the closeness of the number of levels.  Labels that
    resemble none of the best candidate's (no identical label, mean ratio to the closest catalogue
    label under :data:`MIN_LABEL_SIMILARITY`) give None: an agreement scale with as many items as
    the WHO-5 is not drafted as the WHO-5.

    An option outside a candidate's scale, such as an unknown answer (说不清) beside the K10's own
    five labels, would otherwise exceed its levels or take a level's code.  When it is the only
    option that is not one of the candidate's labels, the others (at least two) are, and it
    resembles none of them (closest ratio under :data:`MIN_LABEL_SIMILARITY`), it is set aside (one
    option at most: two foreign labels say another scale more likely): its code is None, and the
    draft lists it as a TODO (declare it in ``missing`` or recode it), so that intake reports it
    as an unknown answer instead of scoring it as a level.

    Examples
    --------
    >>> inst, codes, _, exact = recognise_instrument(3, ["有时", "经常", "几乎从不"])
    >>> inst.name, codes, exact
    ('ucla3', [2, 3, 1], True)
    >>> inst, codes, _, exact = recognise_instrument(3, ["有时", "说不清", "经常"])
    >>> inst.name, codes, exact
    ('ucla3', [2, None, 3], True)
    """
    from laoyou_eval import instruments

    numeric = bool(options) and all(re.fullmatch(r"\d+", o) for o in options)
    candidates = []
    for name in instruments.available():
        inst = instruments.get(name)
        levels = inst.response_labels_zh
        uniform = len(set(inst.item_min)) == 1 and len(set(inst.item_max)) == 1 and not inst.composites
        if inst.n_items != n_items or not uniform or len(levels) != int(inst.item_max[0] - inst.item_min[0]) + 1:
            continue
        if numeric:
            if max(int(o) for o in options) > len(levels) or min(int(o) for o in options) < 1:
                continue
            exact_count, similarity = 0, 0.0
        else:
            kept = [o for o in options if o not in _set_aside(options, levels)]
            if len(kept) > len(levels):
                continue
            exact_count = sum(o in levels for o in kept)
            similarity = sum(max(_similarity(o, c) for c in levels) for o in kept)
        candidates.append((exact_count, similarity, -abs(len(levels) - len(options)), name, inst))
    if not candidates:
        return None
    candidates.sort(key=lambda c: c[:3], reverse=True)
    if not numeric and not candidates[0][0] and candidates[0][1] / len(options) < MIN_LABEL_SIMILARITY:
        return None  # labels unlike every fitting instrument's: another scale with as many items
    inst = candidates[0][4]
    low = int(inst.item_min[0])
    if numeric:
        return inst, [low + int(o) - 1 for o in options], [c[3] for c in candidates], False
    aside = _set_aside(options, inst.response_labels_zh)
    kept = [o for o in options if o not in aside]
    placed = dict(zip(kept, (low + k for k in _assign_codes(kept, inst.response_labels_zh))))
    return inst, [placed.get(o) for o in options], [c[3] for c in candidates], candidates[0][0] == len(kept)


def _set_aside(options: list[str], levels: tuple[str, ...]) -> list[str]:
    """The option outside an instrument's scale, if any: the one option unlike all of ``levels``
    while every other option (at least two) is one of them (see :func:`recognise_instrument`)."""
    foreign = [o for o in options if o not in levels]
    alike = any(max(_similarity(o, c) for c in levels) >= MIN_LABEL_SIMILARITY for o in foreign)
    return foreign if len(foreign) == 1 and len(options) >= 3 and not alike else []


def _blocks(frames, repeated) -> dict[int, list[str]]:
    """Matrix questions: question number -> its sub-columns (union over the exports)."""
    blocks: dict[int, list[str]] = {}
    for raw in frames:
        for column in question_columns(raw):
            number, _, sub = _header(column, repeated)
            if number is not None and sub is not None and column not in blocks.get(number, []):
                blocks.setdefault(number, []).append(column)
    return blocks


def _pooled(frames, columns) -> list[str]:
    answers = []
    for raw in frames:
        for column in columns:
            if column in raw:
                answers += _answers(raw[column].astype(str))
    return answers


def _instrument_rows(frames, blocks):
    """Survey rows, choices and scale rows of the matrix questions recognised as instruments."""
    rows, choices, scales = {}, [], []
    used = set()
    for columns in blocks.values():
        options = _options(_pooled(frames, columns))
        multi_flags = set(options) <= {"0", "1"}
        if len(columns) < 2 or not options or multi_flags or len(options) > MAX_CHOICES:
            continue
        found = recognise_instrument(len(columns), options)
        if found is None or found[0].name in used:
            continue
        inst, codes, candidates, exact = found
        used.add(inst.name)
        others = [c for c in candidates if c != inst.name]
        aside = [o for o, code in zip(options, codes) if code is None]
        note = (f"TODO: recognised as {inst.name} ({inst.title_en}) from {len(columns)} items and the answer options"
                + ("" if exact else "; check which option has which code")
                + (f"; set aside {', '.join(aside)}: not one of {inst.name}'s answer options"
                   f" ({' / '.join(inst.response_labels_zh)}), so not given a code (intake counts it as an"
                   " unknown answer, set to missing); list it in the missing sheet if it means no answer"
                   if aside else "")
                + (f"; other instruments that fit: {', '.join(others)}" if others else "")
                + "; check the item order")
        for i, column in enumerate(columns, start=1):
            rows[column] = {"name": f"{inst.name}_{i}", "type": f"select_one {inst.name}",
                            "label::zh": f"{inst.title_zh} 第{i}题", "label::en": f"{inst.name} item {i}",
                            "header": column, "note": note}
        numeric = all(re.fullmatch(r"\d+", o) for o in options)
        observed = {} if numeric else {code: o for code, o in zip(codes, options) if code is not None}
        low = int(inst.item_min[0])
        for k, catalogue_label in enumerate(inst.response_labels_zh):
            code = low + k
            choices.append({"list_name": inst.name, "name": str(code),
                            "label::zh": observed.get(code, catalogue_label),
                            "label::en": inst.response_labels_en[k] if k < len(inst.response_labels_en) else ""})
        scales.append({"scale": inst.name, "instrument": inst.name, "items": ""})
    return rows, choices, scales


def draft(raw, *more, waves=None) -> Codebook:
    """A draft codebook for the exports of one questionnaire (one per wave).

    Parameters
    ----------
    raw, *more : pandas.DataFrame
        From :func:`laoyou_eval.io.read_wjx`, :func:`~laoyou_eval.io.read_spss` (its value
        labels become the choice lists) or :func:`~laoyou_eval.io.read_table`; pass every
        wave's export of the same questionnaire.
    waves : sequence of int, optional
        Wave of each export (default 1, 2, …); a question missing from some exports is
        restricted to the waves that have it.

    Returns
    -------
    Codebook
        ``survey`` rows named ``q{N}`` (``q{N}_{k}`` for sub-columns), one choice list per
        question (the rows of a matrix question share one list, pooled over its rows), numbers typed
        ``integer``/``decimal`` with the observed range, free text as ``text``; columns that
        look like names, phones, ID numbers or addresses get ``privacy = drop``; matrix
        questions recognised as built-in instruments are named ``{instrument}_{i}`` and listed
        in ``scales``.
    """
    frames = [raw, *more]
    waves = [int(w) for w in waves] if waves is not None else list(range(1, len(frames) + 1))
    columns: list[str] = []
    for frame in frames:
        columns += [c for c in question_columns(frame) if c not in columns]
    repeated = _repeated_numbers(frames)
    instrument_rows, choices, scales = _instrument_rows(frames, _blocks(frames, repeated))
    survey, lists = [], {}
    counters: dict[int, int] = {}
    matrix_options = _matrix_options(frames, repeated)
    names_by_number: dict[int, str] = {}
    value_labels: dict = {}
    for frame in frames:
        value_labels.update(frame.attrs.get("value_labels", {}))
    for column in columns:
        present = [w for w, frame in zip(waves, frames) if column in frame]
        restriction = " ".join(map(str, present)) if len(present) < len(frames) else ""
        if column in instrument_rows:
            survey.append({**instrument_rows[column], "waves": restriction})
            continue
        number, stem, sub = _header(column, repeated)
        if number is None:
            name = re.sub(r"\W+", "_", column).strip("_").lower() or "column"
        elif sub is None and restriction and number in names_by_number:
            name = names_by_number[number]  # the same question, reworded at another wave
        else:
            counters[number] = counters.get(number, 0) + 1
            name = f"q{number}" if sub is None else f"q{number}_{counters[number]}"
        if number is not None and sub is None:
            names_by_number.setdefault(number, name)
        answers = _pooled(frames, [column])
        row = {"name": name, "label::zh": stem or sub or column, "header": column, "note": "", "waves": restriction}
        own_list = f"{name}_w{restriction.replace(' ', '_')}" if restriction else name  # reworded: own list
        labels = value_labels.get(column)
        if labels:  # SPSS value labels: the codes and their meaning are known
            row.update(type=f"select_one {own_list}", note="TODO: check the value labels")
            choices += [{"list_name": own_list, "name": code, "label::zh": label} for code, label in labels.items()]
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
            list_name = lists.setdefault(tuple(options), own_list)
            row.update(type=f"{'select_multiple' if sep == MULTI_SEP else 'rank'} {list_name}",
                       note="TODO: check the options and their order")
            if list_name == own_list:
                choices += [{"list_name": own_list, "name": str(k), "label::zh": o} for k, o in enumerate(options, 1)]
        elif answers and len(set(answers)) == len(answers) > 2 and number not in matrix_options:
            row.update(type="text", note="TODO: every answer differs — an identifier or free text?")
        elif answers and len(options := matrix_options.get(number, _options(answers))) <= MAX_CHOICES:
            key = tuple(sorted(options))
            list_name = lists.setdefault(key, own_list)
            row.update(type=f"select_one {list_name}",
                       note="TODO: put the options in questionnaire order; codes follow that order")
            if list_name == own_list:
                choices += [{"list_name": own_list, "name": str(k), "label::zh": o} for k, o in enumerate(options, 1)]
        else:
            row.update(type="text")
        if restriction:
            row["note"] = "; ".join(filter(None, [row["note"], f"TODO: only in the exports of wave(s) {restriction}"]))
        survey.append(row)
    title = ", ".join(str(f.attrs.get("source", "export")).replace("\\", "/").rsplit("/", 1)[-1] for f in frames)
    return Codebook.from_tables(survey, choices, scales=scales, settings={"title": f"draft from {title}"},
                                source=f"draft of {title}")
