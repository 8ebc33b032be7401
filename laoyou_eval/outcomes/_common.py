"""Shared helpers of the outcome modules: pairing pre/post values by subject, checking
arguments, collecting notes, and the long → wide reshaping used by the comparison-group and
attrition analyses."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from laoyou_eval.checks import check_choice, check_level, require_columns  # noqa: F401  (used by the outcome modules)
from laoyou_eval.errors import LaoyouError
from laoyou_eval.i18n import join_notes  # noqa: F401  (re-exported for the outcome modules)
from laoyou_eval.outcomes._ids import Aligned, align

#: How many identifiers a note lists before "…".
_SHOWN_IDS = 5


def statsmodels_note(message: str) -> str:
    """The note code of a statsmodels warning: ``statsmodels=<message>`` (its own words, English)."""
    return "statsmodels=" + " ".join(str(message).replace(";", ",").split())


def check_columns(data: pd.DataFrame, columns: Sequence[str]) -> None:
    require_columns(data, columns, hint_en="check the column names (see data.columns).")


def to_float(values, name: str) -> np.ndarray:
    """A 1-D float array with NaN for missing; text is an error naming the first bad row."""
    series = pd.Series(values) if not isinstance(values, pd.Series) else values
    numeric = pd.to_numeric(series, errors="coerce")
    bad = numeric.isna() & series.notna()
    if bad.any():
        position = int(np.flatnonzero(bad.to_numpy())[0])
        raise LaoyouError(f"“{name}”含有非数字内容（例如 {series.iloc[position]!r}）。",
                          f"{name!r} holds non-numeric values (e.g. {series.iloc[position]!r}).",
                          row=position + 2, column=name,
                          hint_zh="先计分（scoring），再做前后测分析。",
                          hint_en="score the scale first (scoring), then analyse change.")
    out = numeric.to_numpy(dtype=float, na_value=np.nan)
    if np.isinf(out).any():
        raise LaoyouError(f"“{name}”含有无穷大的值。", f"{name!r} contains an infinite value.", column=name)
    return out


def id_list(ids) -> str:
    ids = [str(i) for i in ids]
    shown = ", ".join(ids[:_SHOWN_IDS])
    return shown + (", …" if len(ids) > _SHOWN_IDS else "")


@dataclass(frozen=True)
class Pairs:
    """Pre/post values matched by subject.

    ``subjects`` holds every subject seen (ids as passed, or 1…n for values paired by
    position) and ``pre``, ``post`` their values (NaN when missing); ``complete`` marks the
    pairs analysed.  Nothing is dropped: the unmatched subjects stay in the arrays.
    """

    subjects: pd.Index
    pre: np.ndarray
    post: np.ndarray

    @cached_property
    def complete(self) -> np.ndarray:
        return ~np.isnan(self.pre) & ~np.isnan(self.post)

    @cached_property
    def values(self) -> tuple[np.ndarray, np.ndarray]:
        """Pre and post values of the complete pairs."""
        if self.complete.all():
            return self.pre, self.post
        return self.pre[self.complete], self.post[self.complete]

    def _only(self, pre: bool, post: bool) -> list:
        mask = (np.isnan(self.pre) != pre) & (np.isnan(self.post) != post)
        return self.subjects[mask].tolist() if mask.any() else []

    @cached_property
    def pre_only(self) -> list:
        return self._only(True, False)

    @cached_property
    def post_only(self) -> list:
        return self._only(False, True)

    @cached_property
    def neither(self) -> list:
        return self._only(False, False)

    @property
    def attrition(self) -> float:
        """Share of subjects with a baseline value and no follow-up value."""
        baseline = int((~np.isnan(self.pre)).sum())
        return len(self.pre_only) / baseline if baseline else float("nan")

    def notes(self) -> list[str]:
        """Plain-language notes on every subject left out of the paired analysis."""
        notes = []
        if self.pre_only:
            notes.append(f"pre_only={len(self.pre_only)} ({id_list(self.pre_only)})")
        if self.post_only:
            notes.append(f"post_only={len(self.post_only)} ({id_list(self.post_only)})")
        if self.neither:
            notes.append(f"neither_wave={len(self.neither)} ({id_list(self.neither)})")
        return notes


def _check_unique(index: pd.Index, name: str) -> None:
    duplicated = index[index.duplicated()]
    if len(duplicated):
        raise LaoyouError(f"“{name}”中有重复的编号：{id_list(duplicated.unique())}。",
                          f"{name!r} has duplicated subject ids: {id_list(duplicated.unique())}.",
                          hint_zh="每人每次测量只保留一行（先处理重复提交）。",
                          hint_en="keep one row per subject and wave (resolve duplicate submissions).")


def pair(pre, post, pre_name: str = "pre", post_name: str = "post") -> Pairs:
    """Match ``pre`` and ``post`` by subject.

    Two :class:`pandas.Series` are aligned on their index (the subject identifiers), so the
    order of the rows does not matter and subjects present in only one of them are kept and
    reported.  The subjects come out sorted (in order of appearance when ids of mixed types
    cannot be sorted) and keep the type of the ids passed.  Integer and text ids are matched
    by sorting integer keys (:func:`laoyou_eval.outcomes._ids.align`), others by hashing.
    Other array-likes are paired by position and must have the same length.
    """
    if isinstance(pre, pd.Series) and isinstance(post, pd.Series):
        for series, name in ((pre, pre_name), (post, post_name)):
            if isinstance(series.index, pd.MultiIndex):
                raise LaoyouError(f"“{name}”的索引有 {series.index.nlevels} 层；配对需要一层受访者编号。",
                                  f"{name!r} has an index of {series.index.nlevels} levels; pairing needs one "
                                  "level of subject ids.",
                                  hint_zh="先选出一个波次并只保留编号作索引，例如 s.xs(1, level='wave')。",
                                  hint_en="select one wave and keep the ids alone as index, e.g. s.xs(1, level='wave').")
            if series.index.hasnans:  # would match no subject (factorize codes them -1)
                missing = series.index.isna()
                raise LaoyouError(f"“{name}”中有 {int(missing.sum())} 个缺失的编号。",
                                  f"{name!r} has {int(missing.sum())} missing subject id(s).",
                                  row=int(np.flatnonzero(missing)[0]) + 2,
                                  hint_zh="给每一行填上受访者编号，或删去这些行。",
                                  hint_en="give every row a subject id, or drop those rows.")
        aligned = align(pre.index, post.index)
        for series, name, side in ((pre, pre_name, "a"), (post, post_name, "b")):
            if aligned is None or aligned == side:
                _check_unique(series.index, name)
        if isinstance(aligned, Aligned):
            subjects, codes = aligned.subjects, (aligned.codes_a, aligned.codes_b)
        else:  # ids without an integer form: one hash pass over both id lists
            try:
                codes, subjects = pd.factorize(pre.index.append(post.index), sort=True)
            except TypeError:  # ids of mixed types keep their order of appearance
                codes, subjects = pd.factorize(pre.index.append(post.index), sort=False)
            codes = (codes[: len(pre)], codes[len(pre):])
        values = {}
        for series, name, positions in ((pre, pre_name, codes[0]), (post, post_name, codes[1])):
            column = np.full(len(subjects), np.nan)
            column[positions] = to_float(series.reset_index(drop=True), name)
            values[name] = column
        return Pairs(subjects, values[pre_name], values[post_name])
    a, b = to_float(np.asarray(pre, dtype=object).ravel(), pre_name), to_float(
        np.asarray(post, dtype=object).ravel(), post_name)
    if a.shape != b.shape:
        raise LaoyouError(f"前测和后测的长度不同（{a.size} 与 {b.size}），无法按位置配对。",
                          f"pre and post differ in length ({a.size} vs {b.size}); they cannot be "
                          "paired by position.",
                          hint_zh="传入以受访者编号为索引的 pandas Series，按编号配对。",
                          hint_en="pass pandas Series indexed by subject id so they are matched by id.")
    return Pairs(pd.RangeIndex(1, a.size + 1), a, b)


def wide_by_wave(data: pd.DataFrame, outcome: str, wave: str, subject: str, waves=None,
                 group: str | None = None, treated=None):
    """Reshape long data (one row per subject × wave) to one row per subject.

    Returns ``(wide, (pre_wave, post_wave), treated_label)`` where ``wide`` has columns
    subject, pre, post and, with ``group``, ``group`` and ``treated`` (1 for the treated arm).
    The two waves default to the smallest and largest wave present; the treated arm defaults
    to ``"programme"`` when present.
    """
    columns = [outcome, wave, subject] + ([group] if group else [])
    check_columns(data, columns)
    present = sorted(data[wave].dropna().unique())
    if waves is None:
        if len(present) < 2:
            raise LaoyouError("数据中少于两个波次，无法比较前后测。",
                              "Fewer than two waves in the data: there is nothing to compare.", column=wave)
        waves = (present[0], present[-1])
    pre_wave, post_wave = waves
    subset = data[data[wave].isin([pre_wave, post_wave])]
    duplicated = subset.duplicated([subject, wave])
    if duplicated.any():
        first = subset.loc[duplicated, subject].iloc[0]
        raise LaoyouError(f"受访者 {first} 在同一波次有多行。", f"Subject {first} has several rows in one wave.",
                          column=subject, hint_zh="每人每波只保留一行。", hint_en="keep one row per subject and wave.")
    values = subset.pivot(index=subject, columns=wave, values=outcome)
    wide = pd.DataFrame({"subject": values.index,
                         "pre": to_float(values.get(pre_wave, pd.Series(np.nan, index=values.index)), outcome),
                         "post": to_float(values.get(post_wave, pd.Series(np.nan, index=values.index)), outcome)})
    treated_label = None
    if group:
        labelled = subset.loc[subset[group].notna(), [subject, group]].drop_duplicates()
        arms = labelled.groupby(subject).size()  # distinct groups of each subject
        mixed = arms[arms > 1]
        if len(mixed):
            raise LaoyouError(f"受访者 {mixed.index[0]} 在两个波次的组别不同。",
                              f"Subject {mixed.index[0]} is in different groups at the two waves.", column=group)
        labels = sorted(set(pd.unique(labelled[group]).tolist()))
        if len(labels) != 2:
            raise LaoyouError(f"组别列“{group}”必须恰好有两个组，这里有 {len(labels)} 个：{labels}。",
                              f"Group column {group!r} must hold exactly two groups; found {labels}.",
                              column=group, hint_zh="先筛掉其他组（例如未匹配的受访者）。",
                              hint_en="filter out other groups (e.g. unmatched respondents) first.")
        treated_label = treated if treated is not None else ("programme" if "programme" in labels else labels[-1])
        if treated_label not in labels:
            raise LaoyouError(f"组别中没有 {treated_label!r}。", f"No group {treated_label!r} in {group!r}.",
                              column=group)
        arm = np.full(len(values.index), None, dtype=object)  # None: no group at either wave
        arm[values.index.get_indexer(labelled[subject])] = labelled[group].astype(object).to_numpy()
        wide["group"] = pd.Series(arm.tolist()).to_numpy()  # dtype inferred from the labels, as Series.map does
        wide["treated"] = (wide["group"] == treated_label).astype(int)
    return wide.reset_index(drop=True), (pre_wave, post_wave), treated_label


def small_sample_notes(n: int, attrition: float) -> list[str]:
    """The plain-language caveats for n < 15 and attrition above 20 %."""
    notes = []
    if n < 15:
        notes.append(f"small_sample={n}")
    if np.isfinite(attrition) and attrition > 0.20:
        notes.append(f"attrition={attrition:.4f}")
    return notes
