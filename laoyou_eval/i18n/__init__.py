"""Bilingual (zh/en) text: the base layer every other layer may use.

Two languages are tracked separately:

* the *report language* (:func:`set_language`), chosen by the user, default Chinese;
* the *figure language*, which is the report language unless no CJK font is installed, in
  which case :func:`laoyou_eval.report.fonts.use_chinese_font` switches figures to English
  so that no text is drawn as empty boxes.

The language only touches presentation (pingouin's ``options`` style): analysis functions
return codes (``note``, ``*_band``, ``status`` columns) and :func:`explain` or
:func:`label` turn them into words when a table, sentence or figure is shown.

The library's words live in ``vocabulary.yaml`` beside this file (value -> [zh, en]), read
once on import.  A study adds its own words (answer options, activities, places) with
:func:`add_vocabulary`; a value nobody has labelled is shown as itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path

import yaml

_LANGUAGES = ("zh", "en")
_state = {"report": "zh", "cjk_font": True}


def set_language(lang: str) -> None:
    """Set the report language, ``"zh"`` (default) or ``"en"``."""
    if lang not in _LANGUAGES:
        raise ValueError(f"语言只能是 zh 或 en / language must be 'zh' or 'en', got {lang!r}")
    _state["report"] = lang


def report_language() -> str:
    """The language chosen for sentences and tables."""
    return _state["report"]


def figure_language() -> str:
    """The language used inside figures: English when no CJK font is available."""
    return _state["report"] if _state["cjk_font"] else "en"


def _set_cjk_available(available: bool) -> None:
    _state["cjk_font"] = available


def _pairs(mapping: Mapping, source: str) -> dict[str, tuple[str, str]]:
    """``{value: (zh, en)}`` from a mapping of value -> [zh, en]; anything else is an error."""
    pairs = {}
    for key, pair in mapping.items():
        if not (isinstance(pair, (list, tuple)) and len(pair) == 2 and all(isinstance(p, str) for p in pair)):
            raise ValueError(f"{source}: {key!r} 的标签必须是 [中文, English] / the label of {key!r} must be "
                             f"a [zh, en] pair, got {pair!r}")
        pairs[str(key)] = (pair[0], pair[1])
    return pairs


_LIBRARY_FILE = Path(__file__).with_name("vocabulary.yaml")
#: The library's own labels, read once from ``vocabulary.yaml``.
LIBRARY_VOCABULARY: dict[str, tuple[str, str]] = _pairs(
    yaml.safe_load(_LIBRARY_FILE.read_text(encoding="utf-8")), _LIBRARY_FILE.name)
#: Every label in use: the library's plus those a study added (value -> (zh, en)).
VOCABULARY: dict[str, tuple[str, str]] = dict(LIBRARY_VOCABULARY)
_WAVES: dict[int, tuple[str, str]] = {}


def add_vocabulary(mapping: Mapping) -> None:
    """Add a study's labels (value -> [zh, en]); they take precedence over the library's.

    Examples
    --------
    >>> add_vocabulary({"读书会": ["读书会", "Reading club"]})
    >>> set_language("en"); label("读书会")
    'Reading club'
    >>> reset_vocabulary(); label("读书会")
    '读书会'
    >>> set_language("zh")
    """
    VOCABULARY.update(_pairs(mapping, "add_vocabulary"))


def set_wave_labels(labels: Mapping) -> None:
    """Name the study's waves, e.g. ``{1: ["前测", "Pre-test"], 2: ["后测", "Post-test"]}`` (from study.yaml).

    Without a name a wave is shown as 基线/Baseline (wave 1) or 第 N 次测量/Wave N.
    """
    _WAVES.update({int(w): pair for w, pair in _pairs(labels, "set_wave_labels").items()})


def reset_vocabulary() -> None:
    """Forget every label and wave name a study added (back to the library's vocabulary)."""
    VOCABULARY.clear()
    VOCABULARY.update(LIBRARY_VOCABULARY)
    _WAVES.clear()


def text(zh: str, en: str, *, figure: bool = False) -> str:
    """Pick ``zh`` or ``en`` for the current report (or figure) language.

    Parameters
    ----------
    zh, en : str
        The same text in Chinese and English.
    figure : bool, default False
        True for text drawn inside a figure (falls back to English without a CJK font).

    Examples
    --------
    >>> set_language("en"); text("孤独感", "loneliness")
    'loneliness'
    >>> set_language("zh"); text("孤独感", "loneliness")
    '孤独感'
    """
    lang = figure_language() if figure else report_language()
    return zh if lang == "zh" else en


def label(value, *, figure: bool = False) -> str:
    """The zh or en label of a known value or column name; other values unchanged.

    Examples
    --------
    >>> set_language("en"); label("programme")
    'Programme'
    >>> set_language("zh"); label("programme")
    '项目组'
    >>> label("某个没有标签的值")
    '某个没有标签的值'
    """
    pair = VOCABULARY.get(str(value))
    return text(*pair, figure=figure) if pair else str(value)


def wave_label(wave: int, *, figure: bool = False) -> str:
    """Label of a survey wave: the study's name for it (:func:`set_wave_labels`), else
    基线/Baseline for wave 1 and 第 N 次测量/Wave N for later waves.

    Examples
    --------
    >>> set_language("en"); wave_label(1), wave_label(3)
    ('Baseline', 'Wave 3')
    >>> set_language("zh")
    """
    wave = int(wave)
    if wave in _WAVES:
        return text(*_WAVES[wave], figure=figure)
    if wave == 1:
        return text("基线", "Baseline", figure=figure)
    return text(f"第 {wave} 次测量", f"Wave {wave}", figure=figure)


#: A note is "code; code; …"; each code is looked up in a catalogue of regular expressions.
NOTE_SEPARATOR = "; "
_NOTES_FILE = Path(__file__).with_name("notes.yaml")
#: Every analysis's note codes, read once from ``notes.yaml``: regular expression -> (zh, en).
NOTES: dict[str, tuple[str, str]] = _pairs(yaml.safe_load(_NOTES_FILE.read_text(encoding="utf-8")),
                                           _NOTES_FILE.name)


def join_notes(notes) -> str:
    """Join the non-empty note codes with ``"; "`` ("" when there is nothing to say).

    >>> join_notes(["no_alters", "", "sex_missing=1"])
    'no_alters; sex_missing=1'
    """
    return NOTE_SEPARATOR.join(n for n in notes if n)


def explain(note, catalogue: Mapping[str, tuple[str, str]] | None = None, *,
            labelled: tuple[str, ...] = ("a",), figure: bool = False) -> str:
    """A ``note`` of note codes ("code; code") in the report language.

    Parameters
    ----------
    note : str
        Codes joined by ``"; "``, as analysis functions write them.  NaN and "" give "".
    catalogue : mapping, optional
        Default :data:`NOTES` (every analysis's codes).  Regular expression (matched against one whole code) -> (zh, en) template.  Named
        groups of the expression fill ``{field}`` of the templates; a field written with a
        format spec (``{p:.0%}``) is read as a number first.
    labelled : tuple of str, default ("a",)
        Fields whose value is itself a word to translate with :func:`label`.
    figure : bool, default False
        Use the figure language.

    Codes not in the catalogue are shown as they are, so nothing is hidden.

    Examples
    --------
    >>> catalogue = {"no_pairs": ("没有配对", "no pairs"), r"lost=(?P<k>\\d+)": ("流失 {k} 人", "{k} lost")}
    >>> set_language("en"); explain("no_pairs; lost=3; other", catalogue)
    'no pairs; 3 lost; other'
    >>> set_language("zh")
    """
    if note is None or (isinstance(note, float) and note != note):
        return ""
    catalogue = NOTES if catalogue is None else catalogue
    parts = []
    for code in filter(None, (c.strip() for c in str(note).split(NOTE_SEPARATOR.strip()))):
        for pattern, (zh, en) in catalogue.items():
            match = re.fullmatch(pattern, code)
            if match:
                fields = {k: (_number(v) if "{" + k + ":" in zh + en else (v or ""))
                          for k, v in match.groupdict().items()}
                named = {k: (label(v, figure=figure) if k in labelled else v) for k, v in fields.items()}
                parts.append(text(zh.format(**named), en.format(**fields), figure=figure))
                break
        else:
            parts.append(code)
    return NOTE_SEPARATOR.join(parts)


def _number(value: str | None):
    """``value`` as int or float when it reads as one, else unchanged."""
    if value is None:
        return ""
    for kind in (int, float):
        try:
            return kind(value)
        except ValueError:
            pass
    return value


def explainer(catalogue: Mapping[str, tuple[str, str]] | None = None, **options) -> Callable[[object], str]:
    """:func:`explain` with a fixed catalogue, for ``Series.map``."""
    return lambda note: explain(note, catalogue, **options)


__all__ = ["LIBRARY_VOCABULARY", "NOTES", "NOTE_SEPARATOR", "VOCABULARY", "add_vocabulary", "explain", "explainer",
           "join_notes",
           "figure_language", "label", "report_language", "reset_vocabulary", "set_language", "set_wave_labels",
           "text", "wave_label"]
