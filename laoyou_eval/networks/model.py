"""The ego-network data model: egos, alters and alter–alter ties, their validation, and the
integer index every measure is computed from.

Three tidy tables describe the personal networks of one wave:

* ``egos`` — one row per respondent (ego), including those who named nobody;
* ``alters`` — one row per (ego, alter) with the alter's attributes (name interpreters);
* ``ties`` — one row per alter–alter tie of one ego: ``ego``, ``source``, ``target``
  (alter keys of that ego) and an optional ``weight``.  Ties are undirected by default
  (a–b and b–a are one tie); with ``directed=True`` a row is the arc source → target, and
  a→b and b→a are two ties (egor's ``directed =`` of ``ego_density`` and ``as_igraph``).

:func:`validate` checks them and returns a data-quality report in the package's format (see
:mod:`laoyou_eval.quality`); :func:`prepare` also turns valid tables into flat NumPy
arrays (:class:`Compiled`) so that every ego's measures are computed at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from laoyou_eval.checks import require_columns
from laoyou_eval.errors import LaoyouError
from laoyou_eval.quality import QUALITY_COLUMNS, row_number

#: Problems found by :func:`validate`: issue code -> (zh, en, hint zh, hint en).
PROBLEMS: dict[str, tuple[str, str, str, str]] = {
    "missing_ego_id": ("缺少自我（受访者）编号", "ego identifier missing",
                       "补上受访者编号。", "fill in the respondent's identifier."),
    "duplicate_ego": ("同一受访者在受访者表中出现了两次", "the same ego appears twice in the egos table",
                      "删除重复的一行。", "delete the repeated row."),
    "missing_alter_id": ("缺少被提名者编号", "alter key missing",
                         "给每位被提名者一个在本受访者内唯一的编号。", "give every alter a key unique within its ego."),
    "duplicate_alter": ("同一受访者的被提名者编号重复", "the same alter key appears twice for one ego",
                        "检查是否重复录入；每位被提名者只录一行。", "check for double entry: one row per alter."),
    "alter_of_unknown_ego": ("被提名者所属的受访者不在受访者表中", "alter of an ego missing from the egos table",
                             "检查受访者编号是否写错。", "check the ego identifier for typos."),
    "unknown_alter": ("关系指向了该受访者名单里没有的被提名者", "tie names an alter who is not on that ego's list",
                      "核对 source/target 是否对应该受访者的被提名者编号。",
                      "check that source/target are alter keys of the same ego."),
    "self_tie": ("被提名者与自己的关系", "an alter tied to itself",
                 "删除这一行（同一人不能与自己相识）。", "delete the row (a tie needs two different alters)."),
    "duplicate_tie": ("同一对被提名者的关系录入了两次", "the same pair of alters is listed twice",
                      "无向关系只录一次；删除重复的一行。", "undirected ties are listed once: delete the repeat."),
    "duplicate_arc": ("同一条有向关系（source → target）录入了两次", "the same directed tie (source → target) is listed twice",
                      "每个方向只录一次；删除重复的一行。", "each direction is listed once: delete the repeat."),
    "weight_not_number": ("关系强度不是数字", "tie weight is not a number",
                          "填写数字，或删除该列表示不加权。", "enter a number, or drop the column for unweighted ties."),
    "weight_out_of_range": ("关系强度超出范围", "tie weight out of range",
                            "强度应大于 0 且不超过量表最大值；0 表示没有关系，应删除该行。",
                            "weights must be > 0 and at most the scale's maximum; 0 means no tie: delete the row."),
}
DROPPED = "not carried into coded data"


@dataclass
class EgoNetworks:
    """The personal networks of one wave.

    Attributes
    ----------
    egos : pandas.DataFrame
        One row per ego (column ``ego``), with ego attributes.
    alters : pandas.DataFrame
        One row per (ego, alter): columns ``ego``, ``alter`` and alter attributes.
    ties : pandas.DataFrame
        One row per alter–alter tie: ``ego``, ``source``, ``target``, optional ``weight``.
    ego, alter : str
        Names of the ego and alter key columns.
    problems : pandas.DataFrame
        Data-quality report of the import (columns of :data:`laoyou_eval.quality.QUALITY_COLUMNS`).
    directed : bool
        Whether a tie row is the arc source → target (``networks.directed`` of study.yaml);
        the measures of ``EgoNetworks.measures`` and :class:`~laoyou_eval.networks.EgoPanel` use it.
    ties_collected : bool
        False when the alter–alter ties were not collected (``ties`` is then empty): the
        tie-based measures of ``EgoNetworks.measures`` are unknown (NaN, note
        ``ties_not_collected``), not 0.
    """

    egos: pd.DataFrame
    alters: pd.DataFrame
    ties: pd.DataFrame
    ego: str = "ego_id"
    alter: str = "alter_id"
    problems: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(QUALITY_COLUMNS)))
    directed: bool = False
    ties_collected: bool = True
    # ``EgoNetworks.measures`` is :func:`laoyou_eval.networks.egonets.network_measures`, attached by
    # the package (the data model does not import the measures that use it).


@dataclass(frozen=True)
class Compiled:
    """Valid ego networks as flat arrays (E egos, N alters, T ties).

    Alters are numbered 0..N-1 ego by ego (the alters of one ego are contiguous); ``local``
    is an alter's 0-based position within its ego.  Ties hold both global (``u``, ``v``)
    and local (``i``, ``j``) endpoints: undirected ties with u < v and i < j, directed ones
    (``directed``) from source (u, i) to target (v, j).
    """

    ego_ids: pd.Index         # (E,) output order
    size: np.ndarray          # (E,) alters per ego
    alter_ego: np.ndarray     # (N,) ego position of each alter
    local: np.ndarray         # (N,) position of the alter within its ego
    alter_rows: np.ndarray    # (N,) row position in the input alters table
    tie_ego: np.ndarray       # (T,)
    u: np.ndarray             # (T,) global endpoints (u < v unless directed)
    v: np.ndarray
    i: np.ndarray             # (T,) local endpoints (i < j unless directed)
    j: np.ndarray
    weight: np.ndarray        # (T,) float; 1.0 when the ties are unweighted
    ego_rows: np.ndarray      # (E,) row of each ego in the table listing it (egos, else its first alter)
    directed: bool = False

    @property
    def n_egos(self) -> int:
        return len(self.ego_ids)

    def ties_per_ego(self) -> np.ndarray:
        return np.bincount(self.tie_ego, minlength=self.n_egos)


def _file(df) -> str | None:
    source = df.attrs.get("source")
    return Path(source).name if source else None


def _rows(index) -> list:
    """Spreadsheet rows (header = 1) of DataFrame index labels, or None for non-integer labels."""
    return [row_number(label) if isinstance(label, (int, np.integer)) else None for label in index]


class _Report:
    """Collects problems as rows of a quality report."""

    def __init__(self):
        self.parts: list[pd.DataFrame] = []

    def add(self, issue: str, df: pd.DataFrame, mask, column: str, ego: str, action: str = DROPPED,
            text: dict | None = None):
        """Rows of ``df`` where ``mask`` holds; ``text`` maps identifier columns to their
        (codes, distinct keys), so that the report shows them as compared (stripped text)."""
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        hit = df[mask]
        if text:
            hit = hit.assign(**{c: _as_keys(codes[mask], uniques, hit.index) for c, (codes, uniques) in text.items()})
        zh, en, _, _ = PROBLEMS[issue]
        values = hit[column].astype("string") if column in hit else pd.Series(pd.NA, index=hit.index)
        self.parts.append(pd.DataFrame({
            "file": _file(df), "row": _rows(hit.index),
            "respondent": hit[ego].astype("string").to_numpy() if ego in hit else pd.NA,
            "column": column, "value": values.to_numpy(), "issue": issue,
            "message_zh": zh, "message_en": en, "action": action,
        }))

    def frame(self) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame(columns=list(QUALITY_COLUMNS)).astype({"row": "Int64"})
        return pd.concat(self.parts, ignore_index=True)[list(QUALITY_COLUMNS)].astype({"row": "Int64"})


def _joint_codes(*columns: pd.Series) -> tuple[list[np.ndarray], np.ndarray]:
    """Integer codes of identifiers shared by several columns (-1 = missing or blank).

    Keys are compared as stripped text, so that 3, 3.0, "3" and " 3" are one key.  Each
    column is factorised on its own (natively, without a Python object per row) and only the
    distinct values are converted to text (:func:`_key_text`), which keeps this fast for
    millions of rows.

    Returns
    -------
    codes : list of numpy.ndarray
        One int64 array per column.
    uniques : numpy.ndarray
        The distinct keys (object array of str); ``uniques[code]``.
    """
    factorised = [pd.factorize(pd.Series(c) if not isinstance(c, pd.Series) else c) for c in columns]
    text = [_key_text(u) for _, u in factorised]
    merged, distinct = pd.factorize(pd.Series(np.concatenate(text + [np.empty(0, dtype=object)]), dtype=object)
                                    .replace("", np.nan))
    bounds = np.cumsum([0] + [len(u) for _, u in factorised])
    codes = [np.append(merged[a:b], -1).astype(np.int64)[c] for (c, _), a, b in zip(factorised, bounds[:-1], bounds[1:])]
    return codes, np.asarray(distinct, dtype=object)


def _key_text(values) -> np.ndarray:
    """Identifiers as compared (object array of str): stripped text, and integral numbers
    without ".0" (3.0 -> "3").  Text and integer arrays are converted without a Python call
    per value."""
    if isinstance(values, (pd.Index, pd.Series)):
        values = values.array
    dtype = getattr(values, "dtype", None)
    if dtype is not None and not isinstance(dtype, np.dtype) and pd.api.types.is_string_dtype(dtype):
        return pd.Series(values).str.strip().to_numpy(dtype=object, na_value="")
    if dtype is not None and pd.api.types.is_integer_dtype(dtype) and not pd.api.types.is_extension_array_dtype(dtype):
        return np.asarray(values).astype(str).astype(object)
    return np.array([str(int(u)) if isinstance(u, (float, np.floating)) and float(u).is_integer() else str(u).strip()
                     for u in values] + [""], dtype=object)[:-1]


def key_series(column: pd.Series) -> pd.Series:
    """An identifier column as the text keys that :func:`validate` compares (NaN where missing)."""
    codes, uniques = pd.factorize(column)
    return pd.Series(pd.array([*(t or None for t in _key_text(uniques)), None], dtype="str").take(codes),
                     index=column.index)


def _duplicated(key: np.ndarray) -> np.ndarray:
    """Mask of the entries of an integer array equal to an earlier entry (pandas'
    ``duplicated(keep="first")``), by a stable sort: fast when the rows come grouped, as
    alters and ties listed ego by ego do."""
    order = np.argsort(key, kind="stable")
    ranked = key[order]
    dup = np.zeros(len(key), dtype=bool)
    dup[order[1:]] = ranked[1:] == ranked[:-1]
    return dup


def _as_keys(codes: np.ndarray, uniques: np.ndarray, index) -> pd.Series:
    """Stripped text keys (NaN where missing) for integer codes, taken from the distinct keys
    rather than built one Python string per row."""
    return pd.Series(pd.array(np.append(uniques, None), dtype="str").take(codes), index=index)


@dataclass(frozen=True)
class _Keys:
    """Integer codes of the valid rows, shared by validation and :func:`_compile`."""

    egos: np.ndarray          # ego code of each valid ego, in output order
    ego_rows: np.ndarray      # its row position in the table that lists it (egos, else its first alter)
    alter_ego: np.ndarray     # ego code of each valid alter
    alter_rows: np.ndarray    # row position of each valid alter in the input alters table
    tie_ego: np.ndarray
    source: np.ndarray        # position of each valid tie's source among the valid alters
    target: np.ndarray
    weight: np.ndarray        # validated strength of each valid tie (1.0 without a weight column)


def validate(alters, ties, egos=None, ego: str = "ego_id", alter: str = "alter_id", *,
             source: str = "source", target: str = "target", weight: str | None = "weight",
             weight_max: float = 1.0, errors: str = "raise", directed: bool = False):
    """Check ego-network tables and return clean copies with a data-quality report.

    Parameters
    ----------
    alters : pandas.DataFrame
        One row per (ego, alter).
    ties : pandas.DataFrame or None
        One row per alter–alter tie; None or empty when no ties were collected.  Other
        columns (tie attributes) are kept.
    egos : pandas.DataFrame, Series or list, optional
        All egos of the wave (a DataFrame with an ``ego`` column, or the identifiers).
    ego, alter, source, target : str
        Column names.  ``source``/``target`` hold alter keys of the same ego.
    weight : str or None
        Weight column of ``ties``; ignored when absent from the table.
    weight_max : float, default 1
        Top of the tie-strength scale: weights must lie in (0, weight_max].
    errors : {"raise", "flag"}
        ``"raise"``: the first problem raises :class:`~laoyou_eval.errors.LaoyouError`
        naming file, row and column (and how many other problems there are).  ``"flag"``:
        offending rows are left out and listed in the report.
    directed : bool, default False
        Ties are arcs source → target: a→b and b→a are two ties and only a literal repeat
        of (source, target) is a duplicate (issue ``duplicate_arc``).  Undirected (default),
        the unordered pair is the tie (issue ``duplicate_tie``).

    Returns
    -------
    egos, alters, ties : pandas.DataFrame
        Clean copies; identifiers as stripped text.  ``ties["weight"]`` is the validated
        strength as float (a copy of the ``weight`` column, or 1.0 when there is none).
        ``egos`` has one row per ego: the egos table if given (in its order), otherwise the
        egos of ``alters`` in order of appearance.
    problems : pandas.DataFrame
        Columns ``file, row, respondent, column, value, issue, message_zh, message_en,
        action`` (see :mod:`laoyou_eval.quality`); ``row`` is the spreadsheet row (header = 1),
        ``respondent`` the ego.  Issues: see :data:`PROBLEMS`.

    Notes
    -----
    Checks, in order: blank or duplicated egos; blank alter keys; duplicated (ego, alter);
    alters of egos missing from ``egos``; ties with a blank or unknown endpoint (including
    an unknown ego); self-ties; the same unordered pair (directed: ordered pair) listed
    twice; weights that are not
    numbers or lie outside (0, ``weight_max``].  With ``errors="flag"`` the first
    occurrence of a duplicate is kept and later ones are dropped; ties of dropped alters
    become unknown-alter problems.  Egos with no alters are kept.
    """
    ego_table, clean_alters, clean_ties, problems, _ = _validate(alters, ties, egos, ego, alter, source, target,
                                                                 weight, weight_max, errors, directed)
    return ego_table, clean_alters, clean_ties, problems


def _require(df, columns, what_zh, what_en):
    require_columns(df, columns, what_zh=what_zh, what_en=what_en, file=_file(df),
                    hint_zh="用参数（ego=、alter=、source=、target=）指明列名。",
                    hint_en="name the columns with ego=, alter=, source=, target=.")


def _validate(alters, ties, egos, ego, alter, source, target, weight, weight_max, errors, directed=False,
              tables=True):
    """The checks of :func:`validate`; with ``tables=False`` the clean alters and ties tables
    are not built (:func:`prepare` needs only the integer keys) and None is returned for them."""
    if errors not in ("raise", "flag"):
        raise ValueError("errors must be 'raise' or 'flag'")
    _require(alters, (ego, alter), "被提名者表", "alters table")
    has_ties = ties is not None and len(ties) > 0
    if has_ties:
        _require(ties, (ego, source, target), "关系表", "ties table")
    if egos is None:
        ego_table = None
    elif isinstance(egos, pd.DataFrame):
        _require(egos, (ego,), "受访者表", "egos table")
        ego_table = egos.copy()
    else:
        ego_table = pd.DataFrame({ego: list(egos)})
    empty = pd.Series([], dtype=object)
    (ego_codes, a_ego, t_ego), ego_uniques = _joint_codes(
        ego_table[ego] if ego_table is not None else empty, alters[ego], ties[ego] if has_ties else empty)
    (a_alter, t_source, t_target), alter_uniques = _joint_codes(
        alters[alter], *((ties[source], ties[target]) if has_ties else (empty, empty)))
    report = _Report()
    alter_text = {ego: (a_ego, ego_uniques), alter: (a_alter, alter_uniques)}
    tie_text = {ego: (t_ego, ego_uniques), source: (t_source, alter_uniques), target: (t_target, alter_uniques)}
    ego_rows = None
    if ego_table is not None:
        ego_table[ego] = _as_keys(ego_codes, ego_uniques, ego_table.index)
        ego_rows = _check_egos(ego_table, ego_codes, ego, report)
        ego_table, ego_codes = ego_table.iloc[ego_rows], ego_codes[ego_rows]
    width = max(len(alter_uniques), 1)  # (ego, alter) key = ego code × width + alter code
    alter_keys = a_ego * width + a_alter
    keep = _check_alters(alters, a_ego, a_alter, alter_keys, None if ego_rows is None else ego_codes,
                         len(ego_uniques), ego, alter, report, alter_text)
    if ego_rows is None:
        ego_codes, ego_rows = _first_occurrences(a_ego, keep)
        ego_table = pd.DataFrame({ego: ego_uniques[ego_codes] if len(ego_codes) else np.array([], dtype=object)})
    alter_rows = np.flatnonzero(keep)
    a_ego, alter_keys = a_ego[alter_rows], alter_keys[alter_rows]
    if has_ties:
        # indexing: each endpoint's position among the valid alters (-1: not one of that ego's alters)
        ends = [_find(alter_keys, np.where((codes < 0) | (t_ego < 0), -1, t_ego * width + codes),
                      len(ego_uniques) * width) for codes in (t_source, t_target)]
        tie_rows, tie_weight = _check_ties(ties, ends, t_source, t_target, len(alter_keys), ego, source, target,
                                           weight, weight_max, directed, report, tie_text)
        t_ego, s_row, t_row = t_ego[tie_rows], ends[0][tie_rows], ends[1][tie_rows]
    else:
        tie_rows = s_row = t_row = np.empty(0, dtype=np.int64)
        tie_weight = np.empty(0)
    problems = report.frame()
    if errors == "raise" and len(problems):
        raise _as_error(problems)
    clean_alters = clean_ties = None
    if tables:
        clean_alters = alters.iloc[alter_rows].copy()
        clean_alters[ego] = _as_keys(a_ego, ego_uniques, clean_alters.index)
        clean_alters[alter] = _as_keys(alter_keys % width, alter_uniques, clean_alters.index)
        if has_ties:
            clean_ties = ties.iloc[tie_rows].copy()
            clean_ties[ego] = _as_keys(t_ego, ego_uniques, clean_ties.index)
            for column, codes in ((source, t_source), (target, t_target)):
                clean_ties[column] = _as_keys(codes[tie_rows], alter_uniques, clean_ties.index)
            clean_ties["weight"] = tie_weight
        else:
            clean_ties = pd.DataFrame({c: pd.Series(dtype=float if c == "weight" else object)
                                       for c in (ego, source, target, "weight")})
    keys = _Keys(egos=np.asarray(ego_codes, dtype=np.int64), ego_rows=ego_rows, alter_ego=a_ego,
                 alter_rows=alter_rows, tie_ego=t_ego, source=s_row, target=t_row, weight=tie_weight)
    return ego_table, clean_alters, clean_ties, problems, keys


def _first_occurrences(codes: np.ndarray, keep: np.ndarray):
    """Distinct codes among the kept rows in order of first appearance, and the row of each."""
    rows = np.flatnonzero(keep)
    first = rows[~_duplicated(codes[rows])]
    return codes[first], first


def _find(keys: np.ndarray, queries: np.ndarray, space: int) -> np.ndarray:
    """Position of each query in ``keys`` (distinct non-negative integers below ``space``),
    -1 when absent or negative.  A direct lookup table when the key space is small
    compared with the data (as with alter keys numbered within each ego), a hash table
    otherwise."""
    if space <= 4 * (len(keys) + len(queries)) + 2 ** 20:
        table = np.full(space + 1, -1, dtype=np.int32 if len(keys) < 2 ** 31 else np.int64)
        table[keys] = np.arange(len(keys))
        return table[np.where(queries >= 0, queries, space)].astype(np.int64)  # the last entry: not found
    return pd.Index(keys).get_indexer(queries)


def _check_egos(ego_table, ego_codes, ego, report) -> np.ndarray:
    """Blank and repeated egos of the egos table; returns the rows kept."""
    missing = ego_codes < 0
    report.add("missing_ego_id", ego_table, missing, ego, ego)
    dup = _duplicated(ego_codes) & ~missing
    report.add("duplicate_ego", ego_table, dup, ego, ego)
    return np.flatnonzero(~(missing | dup))


def _check_alters(alters, a_ego, a_alter, alter_keys, listed_codes, n_egos, ego, alter, report, text) -> np.ndarray:
    """Blank ego or alter keys, repeated (ego, alter), alters of egos not in the egos table
    (``listed_codes``; None without one); returns the mask of alters kept."""
    missing = a_ego < 0
    report.add("missing_ego_id", alters, missing, ego, ego, text=text)
    no_key = (a_alter < 0) & ~missing
    report.add("missing_alter_id", alters, no_key, alter, ego, text=text)
    keep = ~(missing | no_key)
    dup = np.zeros(len(alters), dtype=bool)
    dup[keep] = _duplicated(alter_keys[keep])
    report.add("duplicate_alter", alters, dup, alter, ego, text=text)
    keep &= ~dup
    if listed_codes is not None:
        listed = np.zeros(n_egos + 1, dtype=bool)  # code -1 (missing) looks up the last entry
        listed[listed_codes] = True
        unknown = keep & ~listed[a_ego]
        report.add("alter_of_unknown_ego", alters, unknown, ego, ego, text=text)
        keep &= ~unknown
    return keep


def _check_ties(ties, ends, t_source, t_target, n_alters, ego, source, target, weight, weight_max, directed,
                report, text):
    """Ties whose endpoint is not an alter of that ego (``ends`` = -1), self-ties, repeated
    ties, weights that are not numbers or out of range.

    Returns the positions of the valid tie rows and their validated weights."""
    keep = np.ones(len(ties), dtype=bool)
    for column, at in zip((source, target), ends):
        found = at >= 0
        report.add("unknown_alter", ties, keep & ~found, column, ego, text=text)
        keep &= found
    self_tie = keep & (t_source == t_target)
    report.add("self_tie", ties, self_tie, target, ego, text=text)
    keep &= ~self_tie
    # a position among the valid alters is one (ego, alter), so a pair of positions is one
    # tie: ordered when the ties are directed, unordered otherwise
    first, second = ends if directed else (np.minimum(*ends), np.maximum(*ends))
    dup = np.zeros(len(ties), dtype=bool)
    dup[keep] = _duplicated(first[keep] * n_alters + second[keep])
    report.add("duplicate_arc" if directed else "duplicate_tie", ties, dup, target, ego, text=text)
    keep &= ~dup
    if weight and weight in ties:
        values = pd.to_numeric(ties[weight], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        not_number = keep & np.isnan(values)
        report.add("weight_not_number", ties, not_number, weight, ego, text=text)
        keep &= ~not_number
        with np.errstate(invalid="ignore"):
            out = keep & ~((values > 0) & (values <= weight_max))
        report.add("weight_out_of_range", ties, out, weight, ego, text=text)
        keep &= ~out
    else:
        values = np.ones(len(ties))
    rows = np.flatnonzero(keep)
    return rows, values[rows]


def as_records(problems: pd.DataFrame) -> list[dict]:
    """A problems report as plain records (str, int or None), fit for ``DataFrame.attrs``."""
    plain = problems.astype(object).where(problems.notna(), None)
    return [{k: (int(v) if k == "row" and v is not None else v) for k, v in r.items()}
            for r in plain.to_dict("records")]


def problems(result: pd.DataFrame) -> pd.DataFrame:
    """The validation report attached to a result of :func:`~laoyou_eval.networks.ego_measures`.

    Returns
    -------
    pandas.DataFrame
        Columns of :data:`laoyou_eval.quality.QUALITY_COLUMNS`; empty when nothing was wrong.
    """
    return pd.DataFrame(result.attrs.get("problems", []), columns=list(QUALITY_COLUMNS)).astype({"row": "Int64"})


def _as_error(problems: pd.DataFrame) -> LaoyouError:
    first = problems.iloc[0]
    _, _, hint_zh, hint_en = PROBLEMS[first.issue]
    more = len(problems) - 1
    value = "" if pd.isna(first.value) else f"（值 {first.value}）"
    value_en = "" if pd.isna(first.value) else f" (value {first.value!r})"
    return LaoyouError(
        f"{first.message_zh}{value}，受访者 {first.respondent}" + (f"；另有 {more} 处问题" if more else "") + "。",
        f"{first.message_en}{value_en}, ego {first.respondent}" + (f"; {more} more problem(s)" if more else "") + ".",
        file=first.file, row=None if pd.isna(first.row) else int(first.row), column=first.column,
        hint_zh=hint_zh + "也可以用 errors='flag' 先跳过有问题的行，看完整的问题清单。",
        hint_en=hint_en + " Or pass errors='flag' to leave the rows out and list every problem.")


def _compile(ego_ids: pd.Index, keys: _Keys, directed: bool = False) -> Compiled:
    """Flat arrays of validated tables: alters ordered ego by ego, tie endpoints renumbered
    to match."""
    position = np.full(int(max(keys.egos.max(initial=0), keys.alter_ego.max(initial=0))) + 1, -1, dtype=np.int64)
    position[keys.egos] = np.arange(len(keys.egos))
    alter_ego = position[keys.alter_ego]
    grouped = len(alter_ego) < 2 or bool((alter_ego[1:] >= alter_ego[:-1]).all())  # alters listed ego by ego
    order = np.arange(len(alter_ego)) if grouped else np.argsort(alter_ego, kind="stable")
    alter_ego = alter_ego[order]
    size = np.bincount(alter_ego, minlength=len(keys.egos))
    starts = np.concatenate([[0], np.cumsum(size)[:-1]]).astype(np.int64)
    local = np.arange(len(order)) - starts[alter_ego]
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    tie_ego = position[keys.tie_ego]
    a, b = rank[keys.source], rank[keys.target]
    u, v = (a, b) if directed else (np.minimum(a, b), np.maximum(a, b))
    return Compiled(ego_ids=ego_ids, size=size, alter_ego=alter_ego, local=local, alter_rows=keys.alter_rows[order],
                    ego_rows=keys.ego_rows, tie_ego=tie_ego, u=u, v=v, i=local[u], j=local[v], weight=keys.weight,
                    directed=directed)


def prepare(alters, ties, egos=None, ego: str = "ego_id", alter: str = "alter_id", *, source: str = "source",
            target: str = "target", weight: str | None = "weight", weight_max: float = 1.0, errors: str = "raise",
            directed: bool = False, columns=None):
    """:func:`validate` the tables, then index them as flat arrays (``directed``: see
    :func:`validate`).

    Parameters
    ----------
    columns : sequence of str, optional
        The alter columns the caller needs in ``sorted_alters`` (default: all).

    Returns
    -------
    egos : pandas.DataFrame
        One row per ego, in the compiled order (identifiers as stripped text).
    sorted_alters : pandas.DataFrame
        The valid alters in the compiled order, as given (index labels and identifier
        columns of the input kept).
    net : Compiled
    problems : pandas.DataFrame
        The validation report.
    """
    ego_table, _, _, problems, keys = _validate(alters, ties, egos, ego, alter, source, target, weight, weight_max,
                                                errors, directed, tables=False)
    net = _compile(pd.Index(ego_table[ego], name=ego), keys, directed)
    table = alters if columns is None else alters[list(dict.fromkeys(c for c in columns if c in alters))]
    sorted_alters = table.iloc[net.alter_rows]
    sorted_alters.attrs = dict(alters.attrs)
    return ego_table, sorted_alters, net, problems
