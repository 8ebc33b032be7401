"""Response-quality screening of coded surveys: flags, not deletions.

(long module: six screens share one survey wrapper and one settings schema; each screen is a short function.)

Six screens look for the answers that guides for 问卷星 data tell students to delete by hand
— and record them instead of deleting them:

``speeder``
    Completion time (所用时间, ``duration_s``) below a threshold.  The study may set a fixed
    ``min_seconds``; by default the threshold is ``seconds_per_item`` (2 s) times the number
    of items the respondent answered — the "two seconds per item" rule of Huang et al.
    (2012), proposed for page times and shown by Bowling et al. (2023) to work for items of
    different lengths.  Applying it to the total time of a questionnaire, as here, is
    lenient: time spent reading instructions counts as answering time.
``straightline``
    Long-string responding on the multi-item scales of the codebook's ``scales`` sheet
    (Johnson, 2005; Curran, 2016): (a) the same answer to every answered item of a scale
    that mixes reverse-keyed and forward items (instrument definitions give the reverse
    keys), which contradicts itself unless it is the scale midpoint; (b) a run of identical
    consecutive answers of at least ``max_run`` items (default: the whole scale) on scales
    of at least ``min_items`` (10) items.  Uniform answers on a short scale without reverse
    keys are often genuine (no distress on all six K6 items is a floor, not carelessness),
    and long-string indices are meant for long scales (Johnson, 2005; Curran, 2016), which
    is why (b) only applies to longer scales and why nothing is excluded unless the study
    says so.
``test_entry``
    Staff's test or pilot submissions: submitted before the declared fieldwork start
    (``before``, one date or one per wave), or with a declared test identifier (``ids``)
    or source (``sources``, compared with 来源 and 来源详情).
``duplicate``
    The same respondent identifier submitted more than once (``same_respondent``), or two
    submissions that share a device or personal identifier and whose answers agree on at
    least ``similarity`` (default 85%) of the questions both answered (``same_device``; the
    percent-match criterion of Kuriakose & Robbins, 2016, applied only to pairs that share
    an identifier, because across a whole sample high matches arise legitimately — Simmons
    et al., 2016).  The identifiers compared are what a 问卷星 export carries
    (:func:`identifier_keys`): the IP address (来自IP), the WeChat account in 来源详情
    (``微信：…``), and the answers to the codebook's personal questions (``privacy`` drop or
    pseudonymise: name, phone, ID number, address).  Requiring agreeing answers as well
    keeps a shared household IP, phone or address from flagging two family members.  The
    identifiers are compared as keyed hashes (HMAC-SHA256 with the study key, computed at
    intake) and never written anywhere: outputs carry only the column name, counts and
    row numbers.
``contradiction``
    A codebook ``constraint`` (XLSForm) that an answered question violates, or a study-level
    cross-question rule (``rules``) that does not hold.  A rule is checked only when the
    question and every question it refers to are answered: a missing answer is not a
    contradiction.
``skip_violation``
    A question answered although its ``relevant`` expression (with those of the groups
    around it) is false, or skipped by the platform (跳过 / 未显示) although it is true.

Expressions are XLSForm's, evaluated as XPath 1.0 (:mod:`laoyou_eval.coding.expressions`).
Every flag is a row of the quality report (:data:`laoyou_eval.quality.QUALITY_COLUMNS`,
``issue = "screen_<rule>"``) and a column of the per-respondent flag table; a submission is
``excluded`` only when the study's settings set ``exclude: true`` for a rule that flags it.
A rule that flags every submission is reported as a warning row (and a
:class:`ScreeningWarning`) and excludes nobody.

Settings (``screening:`` in study.yaml; a codebook may override single values with
``settings`` rows ``screening.<rule>.<key>``), with their defaults::

    screening:
      speeder:        {min_seconds: null, seconds_per_item: 2.0, exclude: false}
      straightline:   {min_items: 10, max_run: null, reverse_keyed: true, midpoint_ok: true,
                       exclude: false}
      test_entry:     {before: null, ids: [], sources: [], exclude: false}
                      # before: '2024-03-09' or {1: '2024-03-09', 2: '2024-09-14'}
      duplicate:      {same_respondent: true, same_device: true, similarity: 0.85,
                       exclude: false}
      contradiction:  {rules: [], exclude: false}
                      # rules: [{name: hours, expression: '${free_hours} <= 168',
                      #          message_zh: …, message_en: …}]
      skip_violation: {exclude: false}

References
----------
Bowling, N. A., Huang, J. L., Brower, C. K., & Bragg, C. B. (2023). The quick and the
careless: The construct validity of page time as a measure of insufficient effort
responding to surveys. *Organizational Research Methods, 26*(2), 323–352.
https://doi.org/10.1177/10944281211056520

Curran, P. G. (2016). Methods for the detection of carelessly invalid responses in survey
data. *Journal of Experimental Social Psychology, 66*, 4–19.
https://doi.org/10.1016/j.jesp.2015.07.006

Huang, J. L., Curran, P. G., Keeney, J., Poposki, E. M., & DeShon, R. P. (2012). Detecting
and deterring insufficient effort responding to surveys. *Journal of Business and
Psychology, 27*(1), 99–114. https://doi.org/10.1007/s10869-011-9231-8

Johnson, J. A. (2005). Ascertaining the validity of individual protocols from Web-based
personality inventories. *Journal of Research in Personality, 39*(1), 103–129.
https://doi.org/10.1016/j.jrp.2004.09.009

Kuriakose, N., & Robbins, M. (2016). Don't get duped: Fraud through duplication in public
opinion surveys. *Statistical Journal of the IAOS, 32*(3), 283–291.
https://doi.org/10.3233/SJI-160978

Simmons, K., Mercer, A., Schwarzer, S., & Kennedy, C. (2016). Evaluating a new proposal for
detecting data falsification in surveys. *Statistical Journal of the IAOS, 32*(3), 327–338.
https://doi.org/10.3233/SJI-161019

Examples
--------
>>> from laoyou_eval import coding, config, io
>>> raw = io.read_wjx(config.DEMO_STUDY_DIR / "surveys/caregivers_w1_text.csv")
>>> coded = coding.apply(raw, coding.Codebook.read(config.DEMO_STUDY_DIR / "codebooks/caregivers.yaml"), wave=1)
>>> result = screen(raw, coded, wave=1)
>>> list(result.flags.columns[:4])
['respondent_id', 'wave', 'row', 'speeder']
>>> int(result.flags.excluded.sum())
0
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from laoyou_eval.coding.expressions import compile_expression, instance, valid_name, xform_value
from laoyou_eval.errors import LaoyouError
from laoyou_eval.io.wjx import parse_header
from laoyou_eval.quality import QUALITY_COLUMNS, SCREEN_RULES, row_number

#: The screens, in the order of the flag table's columns.
RULES = tuple(SCREEN_RULES)

#: Bilingual names of the screens.
RULE_LABELS: dict[str, tuple[str, str]] = SCREEN_RULES

#: Quality-report actions of the screens (English -> Chinese); to be shown with
#: :data:`laoyou_eval.quality.ACTIONS`.
ACTIONS = {
    "flagged; kept": "已标记，保留",
    "flagged; excluded from analysis": "已标记，不进入分析",
    "warning; nobody excluded by this rule": "警告：此规则不排除任何答卷",
}
FLAGGED, EXCLUDED, WARNED = ACTIONS

DEFAULT_SETTINGS: dict[str, dict] = {
    "speeder": {"min_seconds": None, "seconds_per_item": 2.0, "exclude": False},
    "straightline": {"min_items": 10, "max_run": None, "reverse_keyed": True, "midpoint_ok": True,
                     "exclude": False},
    "test_entry": {"before": None, "ids": [], "sources": [], "exclude": False},
    "duplicate": {"same_respondent": True, "same_device": True, "similarity": 0.85, "exclude": False},
    "contradiction": {"rules": [], "exclude": False},
    "skip_violation": {"exclude": False},
}
#: Prefix of codebook ``settings`` keys that override screening settings.
CODEBOOK_PREFIX = "screening."
SKIPPED_KINDS = ("skipped", "not_applicable")


class ScreeningWarning(UserWarning):
    """A screening rule flags every submission (its threshold is probably wrong)."""


# ---------------------------------------------------------------------------- settings

def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _date(value):
    import pandas as pd

    if isinstance(value, (dt.date, dt.datetime)):
        return pd.Timestamp(value)
    try:
        return pd.Timestamp(str(value))
    except ValueError:
        return None


def _check_before(value) -> bool:
    if value is None:
        return True
    if isinstance(value, dict):
        return all(_date(v) is not None for v in value.values())
    return _date(value) is not None


def _check_rules(value) -> bool:
    return isinstance(value, list) and all(
        isinstance(r, dict) and isinstance(r.get("name"), str) and isinstance(r.get("expression"), str)
        and set(r) <= {"name", "expression", "message_zh", "message_en"} for r in value)


#: (rule, key) -> (check, what a valid value is).
_CHECKS = {
    "min_seconds": (lambda v: v is None or (_is_number(v) and v >= 0), "null or a number ≥ 0"),
    "seconds_per_item": (lambda v: _is_number(v) and v > 0, "a number > 0"),
    "min_items": (lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 2, "an integer ≥ 2"),
    "max_run": (lambda v: v is None or (isinstance(v, int) and not isinstance(v, bool) and v >= 2),
                "null or an integer ≥ 2"),
    "similarity": (lambda v: v is None or (_is_number(v) and 0 < v <= 1), "null or a number in (0, 1]"),
    "before": (_check_before, "null, a date such as 2024-03-09, or {wave: date}"),
    "ids": (lambda v: isinstance(v, list), "a list"),
    "sources": (lambda v: isinstance(v, list), "a list"),
    "rules": (_check_rules, "a list of {name, expression, message_zh, message_en}"),
}
_BOOLEAN_KEYS = ("exclude", "reverse_keyed", "midpoint_ok", "same_respondent", "same_device")


@dataclass(frozen=True)
class ScreeningSettings:
    """Validated screening settings: ``settings[rule][key]`` (see the module docstring).

    Attributes
    ----------
    values : dict
        rule -> options, every key present (defaults filled in).
    source : str
        Where they were read from, named in errors.
    """

    values: dict = field(default_factory=lambda: copy.deepcopy(DEFAULT_SETTINGS))
    source: str = "<defaults>"

    def __getitem__(self, rule: str) -> dict:
        return self.values[rule]

    @property
    def excluding(self) -> tuple[str, ...]:
        """Rules whose flags exclude a submission from the analysis."""
        return tuple(rule for rule in RULES if self.values[rule]["exclude"])

    @classmethod
    def from_sources(cls, study=None, codebook=None, *, source: str = "study.yaml") -> ScreeningSettings:
        """Defaults, updated by study.yaml's ``screening:`` block, then by the codebook.

        Parameters
        ----------
        study : dict, optional
            The ``screening:`` mapping of study.yaml.
        codebook : laoyou_eval.coding.Codebook, optional
            Its ``settings`` rows ``screening.<rule>.<key>`` (values read as YAML, so
            ``90``, ``false``, ``[T01, T02]`` and ``2024-03-09`` have their types).
        source : str
            Name of the study.yaml file, for errors.

        Raises
        ------
        LaoyouError
            Unknown rule or key, or a value of the wrong kind — naming the file and key.

        Examples
        --------
        >>> s = ScreeningSettings.from_sources({"speeder": {"min_seconds": 90, "exclude": True}})
        >>> s["speeder"]["min_seconds"], s.excluding
        (90, ('speeder',))
        """
        import yaml

        values = copy.deepcopy(DEFAULT_SETTINGS)
        layers = [(study or {}, source)]
        if codebook is not None:
            nested: dict = {}
            for key, text in codebook.settings.items():
                if key.startswith(CODEBOOK_PREFIX):
                    parts = key[len(CODEBOOK_PREFIX):].split(".", 1)
                    if len(parts) != 2:
                        _settings_error(key, "screening.<rule>.<key>", codebook.source)
                    nested.setdefault(parts[0], {})[parts[1]] = yaml.safe_load(text) if text != "" else None
            layers.append((nested, codebook.source))
        for layer, where in layers:
            if not isinstance(layer, dict):
                _settings_error("screening", "a mapping of rules", where)
            for rule, options in layer.items():
                if rule not in DEFAULT_SETTINGS:
                    _settings_error(f"screening.{rule}", f"one of {', '.join(RULES)}", where)
                if not isinstance(options, dict):
                    _settings_error(f"screening.{rule}", "a mapping of options", where)
                for key, value in options.items():
                    _check(rule, key, value, where)
                    values[rule][key] = [value] if key in ("ids", "sources") and isinstance(value, str) else value
        return cls(values=values, source=str(source))


def _settings_error(key: str, expected: str, where) -> None:
    raise LaoyouError(f"筛查设置 {key} 有误：应为 {expected}。", f"Screening setting {key} is invalid: expected {expected}.",
                      file=where, column=key, hint_zh="参照 laoyou_eval.coding.screening 的说明修改。",
                      hint_en="see the settings schema in laoyou_eval.coding.screening.")


def _check(rule: str, key: str, value, where) -> None:
    if key not in DEFAULT_SETTINGS[rule]:
        _settings_error(f"screening.{rule}.{key}", f"one of {', '.join(DEFAULT_SETTINGS[rule])}", where)
    if key in _BOOLEAN_KEYS:
        if not isinstance(value, bool):
            _settings_error(f"screening.{rule}.{key}", "true or false", where)
        return
    test, expected = _CHECKS[key]
    if not test([value] if key in ("ids", "sources") and isinstance(value, str) else value):
        _settings_error(f"screening.{rule}.{key}", expected, where)


# ---------------------------------------------------------------------------- the screens

@dataclass(frozen=True)
class _Hit:
    """One flag: screen, position in the coded data, column, value and the detail."""

    rule: str
    position: int
    column: str | None
    value: str
    zh: str
    en: str


class _Survey:
    """One coded survey and its raw export, aligned row by row."""

    def __init__(self, raw, coded, wave, identifiers=None):
        self.raw = raw.reset_index(drop=True)
        self.identifiers = (identifier_keys(self.raw, coded.codebook) if identifiers is None
                            else identifiers.reset_index(drop=True))
        self.data, self.missing, self.codebook, self.wave = coded.data, coded.missing, coded.codebook, wave
        self.file = Path(str(coded.quality.attrs.get("source") or raw.attrs.get("source", "<data>"))).name
        self.questions = coded.codebook.questions(wave)
        self.raw_position = (self.data["row"].to_numpy(dtype=int) - 2) if len(self.data) else np.zeros(0, int)
        self.missing_values = set(coded.codebook.missing_map())
        id_column = coded.codebook.id_column
        self.respondents = (self.data[id_column].astype(object).where(self.data[id_column].notna(), None).tolist()
                            if id_column else [None] * len(self.data))

    def raw_answered(self, header: str) -> np.ndarray:
        """Per raw row: whether the cell of ``header`` holds an answer (not a missing marker)."""
        return ~self.raw[header].astype(str).str.strip().isin(self.missing_values).to_numpy()

    def answer_headers(self) -> list[str]:
        """Raw headers of the codebook's questions other than identifiers and personal data."""
        q = self.questions
        keep = (q.privacy == "") & (q.name != (self.codebook.id_column or ""))
        return [h for h in q.loc[keep, "header"] if h in self.raw.columns]


def _speeders(s: _Survey, options: dict) -> list[_Hit]:
    if "duration_s" not in s.data.columns:
        return []
    answered = np.zeros(len(s.raw), dtype=int)
    for q in s.questions.itertuples():
        if q.header in s.raw.columns:
            answered += s.raw_answered(q.header)
        else:  # multi-select of a code export: its 0/1 columns 第N题(…)
            number = parse_header(q.header)[0]
            subs = [c for c in s.raw.columns if parse_header(c)[0] == number and parse_header(c)[2] is not None]
            if subs:
                answered += (s.raw[subs].astype(str).apply(lambda col: col.str.strip()) == "1").any(axis=1).to_numpy()
    items = answered[s.raw_position]
    duration = s.data["duration_s"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    fixed = options["min_seconds"]
    threshold = np.full(len(items), float(fixed)) if fixed is not None else options["seconds_per_item"] * items
    hits = []
    for pos in np.flatnonzero(duration < threshold):
        t, limit = f"{duration[pos]:g}", f"{threshold[pos]:g}"
        basis_zh = "" if fixed is not None else f"（{options['seconds_per_item']:g} 秒 × {items[pos]} 题）"
        basis_en = "" if fixed is not None else f" ({options['seconds_per_item']:g} s × {items[pos]} items)"
        hits.append(_Hit("speeder", int(pos), "所用时间", f"{t} 秒 s",
                         f"用时 {t} 秒，少于 {limit} 秒{basis_zh}", f"{t} s, under {limit} s{basis_en}"))
    return hits


def _scale_items(s: _Survey, scale: dict):
    """Item matrix of one scale (rows = submissions) with its reverse-key mask and midpoint,
    or None when the scale cannot be screened (fewer than 2 items in the data, or items with
    different response formats)."""
    import pandas as pd

    from laoyou_eval.instruments import get

    inst = get(scale["instrument"])
    columns = scale["items"].split() or inst.items
    positions = [i for i, c in enumerate(columns) if c in s.data.columns and i < inst.n_items]
    bounds = {(inst.item_min[i], inst.item_max[i]) for i in positions}
    if len(positions) < 2 or len(bounds) != 1:
        return None
    x = np.column_stack([pd.to_numeric(s.data[columns[i]].astype("Float64"), errors="coerce")
                         .to_numpy(dtype=float, na_value=np.nan) for i in positions])
    reverse = np.array([i + 1 in inst.reverse for i in positions])
    low, high = bounds.pop()
    return x, reverse, (low + high) / 2


def _longest_run(x: np.ndarray) -> np.ndarray:
    """Per row: the longest run of identical consecutive answers (a missing answer ends a run)."""
    run = np.where(np.isnan(x[:, 0]), 0, 1)
    best = run.copy()
    for j in range(1, x.shape[1]):
        run = np.where(np.isnan(x[:, j]), 0, np.where(x[:, j] == x[:, j - 1], run + 1, 1))
        best = np.maximum(best, run)
    return best


def _straightliners(s: _Survey, options: dict) -> list[_Hit]:
    hits = []
    for scale in s.codebook.scales.to_dict("records"):
        items = _scale_items(s, scale)
        if items is None or not len(s.data):
            continue
        x, reverse, midpoint = items
        k = x.shape[1]
        best = _longest_run(x)
        answered = ~np.isnan(x)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # rows with no answer at all
            low, high = np.nanmin(x, axis=1), np.nanmax(x, axis=1)
        uniform = (low == high) & (answered.sum(axis=1) >= 3)
        both_keys = (answered & reverse).any(axis=1) & (answered & ~reverse).any(axis=1)
        contradicts = options["reverse_keyed"] & uniform & both_keys
        if options["midpoint_ok"]:
            contradicts &= low != midpoint
        long_run = (k >= options["min_items"]) & (best >= (options["max_run"] or k))
        for pos in np.flatnonzero(contradicts | long_run):
            zh = [f"最长连续相同答案 {best[pos]}/{k} 题"]
            en = [f"longest run of identical answers {best[pos]} of {k} items"]
            if contradicts[pos]:
                zh.append(f"反向计分题与正向题答案相同（均为 {low[pos]:g}）")
                en.append(f"reverse-keyed and forward items all answered {low[pos]:g}")
            hits.append(_Hit("straightline", int(pos), scale["scale"], f"{best[pos]}/{k}",
                             f"{scale['scale']}：" + "；".join(zh), f"{scale['scale']}: " + "; ".join(en)))
    return hits


def _test_entries(s: _Survey, options: dict) -> list[_Hit]:
    hits = []
    before = options["before"]
    if isinstance(before, dict):
        before = {str(k): v for k, v in before.items()}.get(str(s.wave))
    if before is not None and "submitted_at" in s.data.columns:
        start = _date(before)
        submitted = s.data["submitted_at"]
        for pos in np.flatnonzero((submitted < start).fillna(False).to_numpy(dtype=bool)):
            when = submitted.iloc[pos].strftime("%Y-%m-%d %H:%M")
            hits.append(_Hit("test_entry", int(pos), "提交答卷时间", when,
                             f"提交于 {when}，早于正式开始日期 {start:%Y-%m-%d}",
                             f"submitted {when}, before the fieldwork start {start:%Y-%m-%d}"))
    ids = {str(i).strip().upper() for i in options["ids"]}
    for pos, respondent in enumerate(s.respondents):
        if respondent is not None and str(respondent).upper() in ids:
            hits.append(_Hit("test_entry", pos, s.codebook.id_column, str(respondent),
                             "编号是声明的测试编号", "identifier declared as a test identifier"))
    sources = [str(v).strip() for v in options["sources"]]
    for meta, header in (("source", "来源"), ("source_detail", "来源详情")):
        if meta not in s.raw.columns or not sources:
            continue
        cells = s.raw[meta].astype(str).str.strip().to_numpy()[s.raw_position]
        for pos, cell in enumerate(cells):
            if cell in sources:
                number = sources.index(cell) + 1
                value = cell if meta == "source" else f"#{number}"  # 来源详情 may hold a nickname
                hits.append(_Hit("test_entry", pos, header, value, f"{header}是声明的第 {number} 个测试来源",
                                 f"{header} is declared test source #{number}"))
    return hits


#: 来源详情 of a submission that came through a personal WeChat account: ``微信：<nickname>``.
WECHAT_ACCOUNT = re.compile(r"^\s*微信\s*[:：]\s*(\S.*?)\s*$")


#: English names of the export's identifier columns (personal questions: "answer to <header>").
IDENTIFIER_LABELS_EN = {"来自IP": "IP address (来自IP)", "来源详情": "WeChat account (来源详情)"}


def identifier_keys(raw, codebook, hasher=None):
    """Keyed hashes of what can tie two submissions to one device or person (for ``same_device``).

    Parameters
    ----------
    raw : pandas.DataFrame
        The export as read by :func:`laoyou_eval.io.read_wjx`, one row per submission.
    codebook : laoyou_eval.coding.Codebook
        Its questions marked ``privacy = drop`` or ``pseudonymise`` (other than the
        respondent identifier, which ``same_respondent`` compares) are personal answers.
    hasher : callable, optional
        ``hasher(value, kind) -> str | None``, e.g. the study's
        :class:`laoyou_eval.privacy.Pseudonymiser` (HMAC-SHA256 with the study key, so that
        equal values give equal keys and nothing can be read back).  Default: a
        pseudonymiser with a random key that lives only as long as this call's result.

    Returns
    -------
    pandas.DataFrame
        One row per raw row, one column per identifier named by its export header —
        ``来自IP`` (the address without 问卷星's ``(省-市)`` suffix), ``来源详情`` (only the
        account of a submission made through a personal WeChat account, ``微信：…``; group
        names, links and 直接访问 are shared by many people and identify nobody) and the
        header of each personal question (name, phone, ID number, address) — holding the
        hash, or ``""`` where the cell is empty or a missing marker.

    Notes
    -----
    问卷星's standard download carries no device fingerprint or user agent; 来自IP is the
    only device identifier, and the WeChat account in 来源详情 and the personal answers
    identify a person.  Computing the hashes where the export is read (intake) means the raw
    values go no further than that step.
    """
    import pandas as pd

    if hasher is None:
        import secrets

        from laoyou_eval.privacy.pseudonym import Pseudonymiser

        hasher = Pseudonymiser(secrets.token_bytes(32))
    missing = {str(v).strip() for v in codebook.missing_map()}
    keys = {}

    def hashed(cells, kind):
        cells = cells.astype(str).str.strip()
        usable = (cells != "") & (cells.str.lower() != "nan") & ~cells.isin(missing)
        return [hasher(v, kind) or "" if ok else "" for v, ok in zip(cells, usable)]

    if "ip" in raw.columns:
        keys["来自IP"] = hashed(raw["ip"].astype(str).str.split("(").str[0], "screen:ip")
    if "source_detail" in raw.columns:
        account = raw["source_detail"].astype(str).str.extract(WECHAT_ACCOUNT, expand=False).fillna("")
        keys["来源详情"] = hashed(account, "screen:wechat")
    q = codebook.survey
    personal = q[(q["privacy"] != "") & (q["name"] != (codebook.id_column or "")) & (q["name"] != "")]
    for header in dict.fromkeys(h or n for h, n in zip(personal["header"], personal["name"])):
        if header in raw.columns:
            cells = raw[header].astype(str).str.replace(r"[\s\-－]", "", regex=True)
            keys[header] = hashed(cells, f"screen:{header}")
    return pd.DataFrame(keys, index=raw.index)


def _answer_codes(s: _Survey) -> np.ndarray:
    """Raw answers as integer codes per column (-1 = no answer), for comparing submissions."""
    import pandas as pd

    headers = s.answer_headers()
    codes = np.full((len(s.raw), len(headers)), -1, dtype=np.int64)
    for j, header in enumerate(headers):
        cells = s.raw[header].astype(str).str.strip()
        factor, _ = pd.factorize(cells.where(~cells.isin(s.missing_values)))
        codes[:, j] = factor
    return codes


def _duplicates(s: _Survey, options: dict) -> list[_Hit]:
    hits = []
    kept_at = {int(raw_pos): pos for pos, raw_pos in enumerate(s.raw_position)}
    id_column = s.codebook.id_column
    id_header = s.questions.loc[s.questions.name == id_column, "header"] if id_column else []
    if options["same_respondent"] and len(id_header) and id_header.iloc[0] in s.raw.columns:
        ids = s.raw[id_header.iloc[0]].astype(str).str.strip().str.upper()
        ids = ids.where(~ids.isin({v.upper() for v in s.missing_values})).dropna()
        ids = ids[ids.duplicated(keep=False)]  # identifiers submitted more than once
        for _, group in ids.groupby(ids, sort=False):
            rows = [row_number(p) for p in group.index]
            for p in group.index:
                if p in kept_at:
                    others = "、".join(str(r) for r in rows if r != row_number(p))
                    hits.append(_Hit("duplicate", kept_at[p], id_column, str(len(group)),
                                     f"同一编号共提交 {len(group)} 次（另见第 {others} 行）",
                                     f"the same identifier submitted {len(group)} times (see also rows {others})"))
    if options["same_device"]:
        best: dict[int, tuple] = {}
        codes = None
        for label, column in s.identifiers.items():
            positions: dict = {}
            for position, key in enumerate(column.tolist()):
                if key != "":
                    positions.setdefault(key, []).append(position)
            for key in sorted(positions):
                members = np.asarray(positions[key])
                if len(members) < 2:
                    continue
                codes = _answer_codes(s) if codes is None else codes
                g = codes[members]
                both = (g[:, None, :] >= 0) & (g[None, :, :] >= 0)
                same = ((g[:, None, :] == g[None, :, :]) & both).sum(axis=2)
                share = np.where(both.sum(axis=2) > 0, same / np.maximum(both.sum(axis=2), 1), 0.0)
                np.fill_diagonal(share, -1.0)
                for i, p in enumerate(members):
                    partner = int(np.argmax(share[i]))
                    if share[i, partner] >= (options["similarity"] or 0.0) and int(p) in kept_at:
                        if int(p) not in best or share[i, partner] > best[int(p)][0]:
                            best[int(p)] = (share[i, partner], label, row_number(members[partner]), len(members))
        for p, (share, label, other, size) in sorted(best.items()):
            pct = f"{share:.0%}"
            en = IDENTIFIER_LABELS_EN.get(label, f"answer to {label}")
            hits.append(_Hit("duplicate", kept_at[p], label, pct,
                             f"与第 {other} 行的{label}相同，答案 {pct} 相同（{label}相同的共 {size} 份）",
                             f"same {en} as row {other}, answers {pct} identical "
                             f"({size} submissions share it)"))
    return hits


# ---------------------------------------------------------------------------- expressions

@dataclass(frozen=True)
class _Check:
    """The relevant/constraint expressions of one question (groups' relevants included)."""

    name: str
    header: str
    base_type: str
    relevant: tuple
    constraint: object
    message_zh: str
    message_en: str


def _survey_checks(codebook, wave) -> list[_Check]:
    """Compile every ``relevant``/``constraint`` cell of the survey sheet (errors name the
    row), and return the checks of the questions that apply to ``wave``."""
    survey = codebook.survey
    if not {"relevant", "constraint"} & set(survey.columns):
        return []
    names = set(survey["name"]) - {""}
    dropped = set(survey.loc[survey["privacy"] == "drop", "name"])
    applies = set(codebook.questions(wave)["name"])
    checks, groups = [], []
    for pos, row in survey.iterrows():
        kind = row["type"].strip().lower().replace(" ", "_")
        compiled = {}
        for column in ("relevant", "constraint"):
            text = str(row.get(column, "")).strip()
            if text:
                where = {"file": codebook.source, "row": int(pos) + 2, "column": column,
                         "question": row["name"] or row["type"]}
                compiled[column] = compile_expression(text, names, where=where)
                _check_references(compiled[column], dropped, where)
        if kind.startswith("begin"):
            groups.append(compiled.get("relevant"))
            continue
        if kind.startswith("end"):
            groups = groups[:-1]
            continue
        if row["name"] not in applies or row["privacy"] == "drop":
            continue
        relevant = tuple(r for r in (*groups, compiled.get("relevant")) if r is not None)
        if relevant or "constraint" in compiled:
            message = {lang: str(row.get(f"constraint_message::{lang}", "") or row.get("constraint_message", ""))
                       for lang in ("zh", "en")}
            checks.append(_Check(row["name"], row["header"] or row["name"], row["type"].split()[0], relevant,
                                 compiled.get("constraint"), message["zh"], message["en"]))
    return checks


def _check_references(expression, dropped: set, where: dict) -> None:
    names = [n for n in expression.references if n in dropped]
    if names:
        raise LaoyouError(f"表达式引用了不进入数据的个人信息题 {names[0]}。",
                          f"The expression refers to {names[0]!r}, a question dropped for privacy.",
                          file=where["file"], row=where["row"], column=where["column"],
                          hint_zh="不要用个人信息题做跳题或约束条件，或把它改为 pseudonymise。",
                          hint_en="do not base logic on a dropped identifier, or mark it pseudonymise.")


def _study_rules(options: dict, names: set, source: str):
    rules = []
    for i, rule in enumerate(options["rules"]):
        where = {"file": source, "column": f"screening.contradiction.rules[{i}]", "question": rule["name"]}
        rules.append((rule, compile_expression(rule["expression"], names, where=where)))
    return rules


def _instance_values(s: _Survey, name: str):
    """Per submission: the XForm value of question ``name`` and whether it was answered."""
    import pandas as pd

    n = len(s.data)
    q = s.questions[s.questions.name == name]
    if q.empty:
        return [""] * n, np.zeros(n, dtype=bool)
    q = q.iloc[0]
    if q.base_type in ("select_multiple", "rank"):
        choices = list(s.codebook.choice_list(q.list_name)["name"])
        columns = [f"{name}_{c}" for c in choices if f"{name}_{c}" in s.data.columns]
        frame = s.data[columns].astype("Float64")
        values = []
        for row in frame.itertuples(index=False):
            picked = [(v, c) for v, c in zip(row, choices) if pd.notna(v) and v > 0]
            if q.base_type == "rank":
                picked.sort()
            values.append(" ".join(c for _, c in picked))
        kinds = s.missing[columns[0]] if columns else None
    else:
        values = [xform_value(v) for v in s.data[name].astype(object)] if name in s.data.columns else [""] * n
        kinds = s.missing[name] if name in s.missing.columns else None
    answered = (kinds == "").to_numpy() if kinds is not None else np.array([v != "" for v in values])
    return values, answered


def _kind_of(s: _Survey, check: _Check):
    if check.name in s.missing.columns:
        return s.missing[check.name].to_numpy()
    prefix = [c for c in s.missing.columns if c.startswith(f"{check.name}_")]
    return s.missing[prefix[0]].to_numpy() if prefix else np.full(len(s.data), "")


def _logic(s: _Survey, settings: ScreeningSettings) -> list[_Hit]:
    checks = _survey_checks(s.codebook, s.wave)
    rules = _study_rules(settings["contradiction"], set(s.codebook.survey["name"]) - {""}, settings.source)
    if not (checks or rules) or not len(s.data):
        return []
    needed = {c.name for c in checks}
    for c in checks:
        for expression in (*c.relevant, c.constraint):
            needed |= set(expression.references) if expression is not None else set()
    for _, expression in rules:
        needed |= set(expression.references)
    bad = [n for n in needed if not valid_name(n)]
    if bad:
        raise LaoyouError(f"题目名 {bad[0]!r} 不能用于表达式（须以字母或下划线开头，不含空格）。",
                          f"Question name {bad[0]!r} cannot be used in expressions (XML names only).",
                          file=s.codebook.source, column="name")
    columns = {name: _instance_values(s, name) for name in sorted(needed)}
    kinds = {c.name: _kind_of(s, c) for c in checks}
    hits = []
    for pos in range(len(s.data)):
        root = instance({name: values[pos] for name, (values, _) in columns.items()})
        answered = {name: flags[pos] for name, (_, flags) in columns.items()}
        for c in checks:
            if c.relevant:
                relevant = all(r.holds(root, current=c.name) for r in c.relevant)
                shown = " and ".join(r.text for r in c.relevant)
                if not relevant and answered[c.name]:
                    hits.append(_Hit("skip_violation", pos, c.header, "answered",
                                     f"已作答，但按跳题逻辑不应出现（relevant: {shown}）",
                                     f"answered although not relevant (relevant: {shown})"))
                elif relevant and kinds[c.name][pos] in SKIPPED_KINDS:
                    hits.append(_Hit("skip_violation", pos, c.header, kinds[c.name][pos],
                                     f"被跳过，但按跳题逻辑应当作答（relevant: {shown}）",
                                     f"skipped although relevant (relevant: {shown})"))
            con = c.constraint
            checkable = con is not None and answered[c.name] and all(answered[r] for r in con.references)
            if checkable and not con.holds(root, current=c.name):
                value = "(text)" if c.base_type == "text" else columns[c.name][0][pos]
                hits.append(_Hit("contradiction", pos, c.header, value,
                                 f"不满足约束 {con.text}" + (f"：{c.message_zh}" if c.message_zh else ""),
                                 f"violates constraint {con.text}" + (f": {c.message_en}" if c.message_en else "")))
        for rule, expression in rules:
            if all(answered[r] for r in expression.references) and not expression.holds(root):
                hits.append(_Hit("contradiction", pos, None, rule["name"],
                                 f"不满足规则 {rule['name']}（{expression.text}）" + (
                                     f"：{rule['message_zh']}" if rule.get("message_zh") else ""),
                                 f"rule {rule['name']} fails ({expression.text})" + (
                                     f": {rule['message_en']}" if rule.get("message_en") else "")))
    return hits


# ---------------------------------------------------------------------------- result

@dataclass
class Screening:
    """Result of :func:`screen`.

    Attributes
    ----------
    flags : pandas.DataFrame
        One row per coded submission: ``respondent_id`` (the codebook's identifier, NA
        without one), ``wave``, ``row`` (spreadsheet row in the export), one boolean column
        per rule of :data:`RULES`, ``n_rules`` (how many rules flag it), ``flagged`` (any),
        ``excluded`` (flagged by a rule the settings exclude) and ``excluded_by`` (those
        rules, space-separated).
    quality : pandas.DataFrame
        One row per flag (:data:`laoyou_eval.quality.QUALITY_COLUMNS`; ``issue`` is
        ``screen_<rule>``, ``column`` the export column, scale or rule concerned), plus a
        ``screen_flags_everyone`` warning row for a rule that flags every submission.
    settings : ScreeningSettings
    """

    flags: object
    quality: object
    settings: ScreeningSettings

    def summary(self):
        """Per rule: submissions screened, flagged and excluded (see :func:`summary`)."""
        return summary(self.flags, self.settings)


def _quality_row(file, row, respondent, column, value, issue, zh, en, action) -> dict:
    return dict(zip(QUALITY_COLUMNS, (file, row, respondent, column, value, issue, zh, en, action)))


def screen(raw, coded, *, wave=None, settings: ScreeningSettings | dict | None = None,
           identifiers=None) -> Screening:
    """Screen one coded survey for speeders, straight-lining, test entries, duplicates,
    contradictions and skip-logic violations (see the module docstring for the rules).

    Parameters
    ----------
    raw : pandas.DataFrame
        The export as read by :func:`laoyou_eval.io.read_wjx` — still with 来自IP and
        来源详情 — so that duplicates are found before identifiers are dropped.
    coded : laoyou_eval.coding.CodedSurvey
        :func:`laoyou_eval.coding.apply` of that export (its ``data.row`` links the two).
    wave : int, optional
        The wave of the export (as given to ``coding.apply``): selects the codebook rows
        and the ``test_entry.before`` date of that wave.
    settings : ScreeningSettings or dict, optional
        A dict is the ``screening:`` block of study.yaml; default: the defaults with the
        codebook's ``screening.*`` settings.
    identifiers : pandas.DataFrame, optional
        :func:`identifier_keys` of ``raw`` (intake passes keys hashed with the study key);
        default: computed here with a throw-away key.

    Returns
    -------
    Screening
        ``flags`` (per submission), ``quality`` (per flag) and the settings used.

    Raises
    ------
    LaoyouError
        A ``relevant``/``constraint`` cell that does not parse or refers to an unknown or
        dropped question (naming the codebook row and column); invalid settings.

    Warns
    -----
    ScreeningWarning
        When a rule flags every submission; the rule then excludes nobody.

    Notes
    -----
    Flags are computed on the submissions kept by ``coding.apply``; duplicates removed
    there still count for the ``duplicate`` screen, which reads the raw export.  No IP
    address, 来源详情 text or personal answer is written into ``flags`` or ``quality``.
    """
    import pandas as pd

    if not isinstance(settings, ScreeningSettings):
        settings = ScreeningSettings.from_sources(settings, coded.codebook)
    s = _Survey(raw, coded, wave, identifiers)
    hits = [*_speeders(s, settings["speeder"]), *_straightliners(s, settings["straightline"]),
            *_test_entries(s, settings["test_entry"]), *_duplicates(s, settings["duplicate"]), *_logic(s, settings)]
    n = len(s.data)
    flags = pd.DataFrame({"respondent_id": pd.array(s.respondents, dtype="str"), "wave": wave,
                          "row": s.data["row"].to_numpy(dtype=int) if n else np.zeros(0, int)})
    for rule in RULES:
        column = np.zeros(n, dtype=bool)
        column[[h.position for h in hits if h.rule == rule]] = True
        flags[rule] = column
    records, excluding = [], []
    for rule in RULES:
        if n and flags[rule].all():
            zh, en = RULE_LABELS[rule]
            message = (f"筛查规则“{zh}”标记了全部 {n} 份答卷，阈值可能设错了；此规则不排除任何答卷。",
                       (f"Screening rule {en!r} flags all {n} submissions; its threshold is probably wrong, "
                        "so it excludes nobody."))
            warnings.warn(f"{s.file}: {message[0]} {message[1]}", ScreeningWarning, stacklevel=2)
            records.append(_quality_row(s.file, None, None, None, f"{n}/{n}", "screen_flags_everyone",
                                        *message, WARNED))
        elif settings[rule]["exclude"]:
            excluding.append(rule)
    flags["n_rules"] = flags[list(RULES)].sum(axis=1).astype(int)
    flags["flagged"] = flags["n_rules"] > 0
    flags["excluded"] = flags[excluding].any(axis=1) if excluding else False
    flags["excluded_by"] = flags[excluding].apply(
        lambda r: " ".join(rule for rule in excluding if r[rule]), axis=1) if excluding and n else ""
    for hit in sorted(hits, key=lambda h: (h.position, RULES.index(h.rule))):
        zh, en = RULE_LABELS[hit.rule]
        records.append(_quality_row(s.file, int(flags.at[hit.position, "row"]), s.respondents[hit.position],
                                    hit.column, hit.value, f"screen_{hit.rule}", f"{zh}：{hit.zh}", f"{en}: {hit.en}",
                                    EXCLUDED if hit.rule in excluding else FLAGGED))
    quality = pd.DataFrame(records, columns=list(QUALITY_COLUMNS)).astype({"row": "Int64"})
    return Screening(flags=flags, quality=quality, settings=settings)


def summary(flags, settings: ScreeningSettings | None = None):
    """Per rule: how many submissions were screened, flagged and excluded.

    Parameters
    ----------
    flags : pandas.DataFrame
        :attr:`Screening.flags`, or several of them concatenated (e.g. every survey of a
        study).
    settings : ScreeningSettings, optional
        To report whether each rule excludes (``exclude``).

    Returns
    -------
    pandas.DataFrame
        ``rule`` (the rules of :data:`RULES`, then ``any``), ``screened``, ``flagged``,
        ``excluded`` (submissions excluded because of this rule), ``exclude`` (the setting).
    """
    import pandas as pd

    excluded_by = flags["excluded_by"].astype(str).str.split()
    rows = [{"rule": rule, "screened": len(flags), "flagged": int(flags[rule].sum()),
             "excluded": int(excluded_by.map(lambda r, rule=rule: rule in r).sum()),
             "exclude": bool(settings[rule]["exclude"]) if settings else pd.NA} for rule in RULES]
    rows.append({"rule": "any", "screened": len(flags), "flagged": int(flags["flagged"].sum()),
                 "excluded": int(flags["excluded"].sum()), "exclude": pd.NA})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------- analysis with and without flags

def _removed(scores, flags, mask, subject: str, unit: str, on):
    """Mask of the rows of ``scores`` that belong to the submissions ``flags[mask]``."""
    if unit not in ("respondent", "observation"):
        raise ValueError("unit must be 'respondent' or 'observation'")
    keys = list(on) if on is not None else [c for c in ("population",) if c in scores.columns and c in flags.columns]
    if unit == "observation":
        keys.append("wave")
    marked = flags.loc[np.asarray(mask, dtype=bool), ["respondent_id", *keys]].astype(str)
    chosen = set(map(tuple, marked.to_numpy()))
    return np.array([tuple(k) in chosen for k in scores[[subject, *keys]].astype(str).to_numpy()], dtype=bool)


def without(scores, flags, *, column: str = "excluded", subject: str = "respondent_id", unit: str = "respondent",
            on=None):
    """``scores`` without the respondents that a flag column marks (by default the excluded).

    Parameters
    ----------
    scores : pandas.DataFrame
        Long scores, one row per respondent × wave (e.g. :func:`laoyou_eval.intake.scores`).
    flags : pandas.DataFrame
        :attr:`Screening.flags` (several concatenated, with ``population``, for a study).
    column : str, default "excluded"
        A boolean column of ``flags``: ``"excluded"``, ``"flagged"`` or a rule.
    subject : str, default "respondent_id"
        Identifier column of ``scores``.
    unit : {"respondent", "observation"}
        ``"respondent"`` removes every wave of a respondent flagged at any wave (the
        paired analyses need both waves anyway); ``"observation"`` only the flagged wave.
    on : list of str, optional
        Further columns that identify a respondent in both tables; default ``population``
        when both have it.

    Returns
    -------
    pandas.DataFrame
        The rows of ``scores`` that are kept; ``attrs["removed"]`` is the number of
        respondents removed.
    """
    removed = _removed(scores, flags, flags[column], subject, unit, on)
    kept = scores[~removed].copy()
    kept.attrs["removed"] = int(scores.loc[removed, subject].nunique())
    return kept


def sensitivity(scores, flags, analysis, *, subject: str = "respondent_id", unit: str = "respondent", on=None,
                by_rule: bool = False):
    """The main result with and without flagged respondents, one block of rows per sample.

    Parameters
    ----------
    scores : pandas.DataFrame
        Long scores (one row per respondent × wave).
    flags : pandas.DataFrame
        :attr:`Screening.flags` (concatenated over surveys, with ``population``, for a
        study).
    analysis : callable
        ``analysis(scores) -> DataFrame``, e.g. ``lambda d: outcomes.paired_table(d,
        ["ucla3_total"], "wave", "respondent_id")``; run once per sample.
    subject, unit, on
        As in :func:`without`.
    by_rule : bool, default False
        Also one sample per rule that flags anyone (``without_<rule>``).

    Returns
    -------
    pandas.DataFrame
        ``sample`` — ``all`` (every coded submission), ``without_excluded`` (only when the
        settings exclude someone: the analysis as the study specifies it),
        ``without_flagged`` (every flagged respondent removed) and, with ``by_rule``,
        ``without_<rule>``; ``removed`` — respondents removed; then the columns of
        ``analysis``.  Put the rows of one outcome side by side with
        ``table.pivot(index="outcome", columns="sample", values="d_z")``.

    Examples
    --------
    >>> import pandas as pd
    >>> from laoyou_eval import outcomes
    >>> scores = pd.DataFrame({"respondent_id": list("AABBCCDD"), "wave": [1, 2] * 4,
    ...                        "y": [3, 5, 4, 5, 2, 4, 3, 9]})
    >>> flags = pd.DataFrame({"respondent_id": ["A", "B", "C", "D"], "wave": 1,
    ...                       "flagged": [False, False, False, True], "excluded": False})
    >>> table = sensitivity(scores, flags, lambda d: outcomes.paired_table(d, ["y"], "wave", "respondent_id"))
    >>> table[["sample", "removed", "n", "mean_diff"]].values.tolist()
    [['all', 0, 4, 2.75], ['without_flagged', 1, 3, 1.6666666666666667]]
    """
    import pandas as pd

    samples = [("all", np.zeros(len(flags), dtype=bool))]
    if flags["excluded"].any():
        samples.append(("without_excluded", flags["excluded"]))
    samples.append(("without_flagged", flags["flagged"]))
    if by_rule:
        samples += [(f"without_{rule}", flags[rule]) for rule in RULES if rule in flags and flags[rule].any()]
    blocks = []
    for name, mask in samples:
        removed = _removed(scores, flags, mask, subject, unit, on)
        result = analysis(scores[~removed]).copy()
        result.insert(0, "removed", int(scores.loc[removed, subject].nunique()))
        result.insert(0, "sample", name)
        blocks.append(result)
    return pd.concat(blocks, ignore_index=True)


# ---------------------------------------------------------------------------- methods text

#: Works cited by :func:`laoyou_eval.coding.sentences.methods_text` (APA 7, with DOI).
REFERENCES = {
    "speeder": ("Huang, J. L., Curran, P. G., Keeney, J., Poposki, E. M., & DeShon, R. P. (2012). Detecting and "
                "deterring insufficient effort responding to surveys. Journal of Business and Psychology, 27(1), "
                "99–114. https://doi.org/10.1007/s10869-011-9231-8"),
    "straightline": ("Curran, P. G. (2016). Methods for the detection of carelessly invalid responses in survey "
                     "data. Journal of Experimental Social Psychology, 66, 4–19. "
                     "https://doi.org/10.1016/j.jesp.2015.07.006"),
    "longstring": ("Johnson, J. A. (2005). Ascertaining the validity of individual protocols from Web-based "
                   "personality inventories. Journal of Research in Personality, 39(1), 103–129. "
                   "https://doi.org/10.1016/j.jrp.2004.09.009"),
    "duplicate": ("Kuriakose, N., & Robbins, M. (2016). Don't get duped: Fraud through duplication in public "
                  "opinion surveys. Statistical Journal of the IAOS, 32(3), 283–291. "
                  "https://doi.org/10.3233/SJI-160978"),
}
