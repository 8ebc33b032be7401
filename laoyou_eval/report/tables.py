"""Result tables for notebooks and reports."""

from __future__ import annotations

import re

import pandas as pd

from laoyou_eval.i18n import VOCABULARY, explain, label, text

MISSING_MARK = "—"
from laoyou_eval.config import SMALL_CELL_THRESHOLD  # noqa: E402  (the one threshold, re-exported)

#: Columns that count people, under their package, Chinese and English names: counts below
#: the small-cell threshold are shown as "<5" in every table a report shows.
PEOPLE_COUNTS = ("n", "respondents", "submissions", "count", "people_at_risk", "n_treated", "n_comparison")
PEOPLE_COUNT_COLUMNS = frozenset(PEOPLE_COUNTS) | {name for c in PEOPLE_COUNTS for name in VOCABULARY.get(c, ())}


#: Quasi-identifiers (and their zh/en labels): a table of people cross-classified by two or
#: more of them can single a participant out.
QUASI_IDENTIFIER_COLUMNS = frozenset(("age_band", "sex", "disability_type", "community")) | {
    name for c in ("age_band", "sex", "disability_type", "community") for name in VOCABULARY.get(c, ())}


def protect(table, threshold: int = SMALL_CELL_THRESHOLD):
    """Suppress small counts of people (integer columns named in :data:`PEOPLE_COUNT_COLUMNS`).

    Warns
    -----
    UserWarning
        When the table cross-classifies people by two or more quasi-identifiers (age band,
        sex, disability type, community) and some group is smaller than ``threshold``: even
        with "<5" shown, such a table can single a participant out.
    """
    import warnings

    import pandas as pd

    from laoyou_eval.privacy import suppress_small_cells

    columns = [c for c in table.columns if str(c) in PEOPLE_COUNT_COLUMNS
               and pd.api.types.is_integer_dtype(table[c].dtype)]
    quasi = [c for c in table.columns if str(c) in QUASI_IDENTIFIER_COLUMNS]
    if len(quasi) >= 2 and any((table[c] < threshold).any() for c in columns):
        warnings.warn(f"表格按 {', '.join(map(str, quasi))} 交叉分组，且有组少于 {threshold} 人：可能识别出个人。"
                      f"The table cross-classifies people by {', '.join(map(str, quasi))} with groups under "
                      f"{threshold}: a participant could be singled out. Merge categories or drop a column.",
                      UserWarning, stacklevel=3)
    return suppress_small_cells(table, threshold, columns) if columns else table


#: Columns whose values are always vocabulary codes written by the analyses (translated
#: without being listed in ``values``).
CODE_COLUMNS = frozenset(("assumption", "sd_source", "reliability_kind", "reliability_source"))


def band_label(code, *, figure: bool = False):
    """A score band code (``"k6_band1"``, :func:`laoyou_eval.scoring.score`) in the report
    language; missing stays missing and an unknown code is shown as itself.

    Examples
    --------
    >>> from laoyou_eval import i18n
    >>> i18n.set_language("en"); band_label("k6_band1")
    'probable serious mental illness (screen positive)'
    >>> i18n.set_language("zh")
    """
    from laoyou_eval.scoring import band_words

    if code is None or code != code:
        return code
    words = band_words(code)
    return text(*words, figure=figure) if words else str(code)


#: Columns whose values are a study's waves, arms or populations: with a study, they are shown
#: under the study's own names (``waves.N.label``, ``arms``, ``populations.P.label`` of study.yaml).
STUDY_COLUMNS = frozenset(("wave", "wave_pre", "wave_post", "arm", "population"))
_BASELINE_EN = re.compile(r"\b([Bb])aseline\b")


def _spec(study):
    """The :class:`~laoyou_eval.study.spec.StudySpec` of a spec or a Dataset (None stays None)."""
    return getattr(study, "spec", study)


def study_label(study, column: str, value, *, figure: bool = False) -> str:
    """A wave, arm or population code under the study's own name for it.

    Parameters
    ----------
    study : StudySpec or Dataset
        The study whose ``study.yaml`` names its waves (``waves.N.label``), arms (``arms``)
        and populations (``populations.P.label``).
    column : {"wave", "wave_pre", "wave_post", "arm", "population"}
        What ``value`` is.
    value
        The code: a wave number, ``"programme"``, ``"residents"`` …
    figure : bool, default False
        Use the figure language (English without a CJK font).

    Returns
    -------
    str
        The study's label in the report (or figure) language.  A code the study does not
        declare (``"unmatched"``, an empty cell) gets the package's label (:func:`label`).

    Examples
    --------
    >>> from laoyou_eval import i18n
    >>> from laoyou_eval.study.spec import StudySpec
    >>> spec = StudySpec.from_dict({"study": "试点 pilot", "waves": {1: "入组 intake", 2: "结业 completion"},
    ...     "arms": {"programme": "家庭支持小组 / family support group"},
    ...     "surveys": [{"file": "a.csv", "population": "caregivers", "wave": 1, "id_question": "编号",
    ...                  "codebook": "c.yaml"}], "populations": {"caregivers": {"label": "家长 parents"}}})
    >>> study_label(spec, "wave_post", 2), study_label(spec, "arm", "programme"), study_label(spec, "arm", "unmatched")
    ('结业', '家庭支持小组', '未匹配')
    >>> i18n.set_language("en"); study_label(spec, "population", "caregivers")
    'parents'
    >>> i18n.set_language("zh")
    """
    from laoyou_eval.i18n import figure_language, report_language

    spec = _spec(study)
    lang = figure_language() if figure else report_language()
    if column in ("wave", "wave_pre", "wave_post"):
        wave = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
        if wave == wave and float(wave).is_integer() and int(wave) in spec.waves:
            return spec.wave_label(int(wave), lang)
    elif column == "arm" and value in spec.arms:
        return spec.arm_label(value, lang)
    elif column == "population" and value in spec.populations_:
        return spec.population_label(value, lang)
    return label(value, figure=figure)


def first_wave_words(study):
    """A function that puts the study's name for its first wave where the package's words say
    基线 / baseline (column names, notes, assumptions), or the identity without a study.

    Examples
    --------
    >>> from laoyou_eval.study.spec import StudySpec
    >>> spec = StudySpec.from_dict({"study": "s", "waves": {1: "入组 intake"}, "surveys": [{"file": "a.csv",
    ...     "population": "residents", "wave": 1, "id_question": "q", "codebook": "c.yaml"}],
    ...     "arms": {"programme": "组 group"}})
    >>> words = first_wave_words(spec)
    >>> words("基线差异"), words("Baseline difference"), words("n answered later, not at baseline")
    ('入组差异', 'Intake difference', 'n answered later, not at intake')
    """
    spec = _spec(study)
    if spec is None:
        return lambda words: words
    first = spec.waves[spec.baseline]

    def named(match):
        return first.label_en[:1].upper() + first.label_en[1:] if match.group(1) == "B" else first.label_en

    return lambda words: _BASELINE_EN.sub(named, str(words).replace("基线", first.label_zh))


def localise(df, values: tuple[str, ...] = (), index: str | None = None, study=None):
    """Display copy of a result table in the report language.

    Columns are renamed, codes of :data:`CODE_COLUMNS` and note codes explained (:func:`laoyou_eval.i18n.explain`), score bands
    named (:func:`band_label`), quality issues named (:data:`laoyou_eval.quality.ISSUES`), the
    values of the listed columns (and True/False) translated, missing
    cells shown as "—" (not ``<NA>``/``NaN``, which confuse readers of a report), and counts
    of people below 5 shown as "<5" (:func:`protect`).

    Parameters
    ----------
    df : pandas.DataFrame
        A tidy result table with the package's snake_case column names.
    values : tuple of str
        Columns whose values are vocabulary words (arms, populations, activities).
    index : str, optional
        Column to show as the row labels instead of the 0, 1, 2 … row numbers.
    study : StudySpec or Dataset, optional
        The study analysed.  With it, waves, arms and populations (:data:`STUDY_COLUMNS`)
        are shown under the study's own names (:func:`study_label`) and the package's words
        for the first wave (基线 / baseline) become the study's name for it
        (:func:`first_wave_words`); without it, the package's default words are used.

    Returns
    -------
    pandas.DataFrame
        A copy for display; the input is not modified.
    """
    from laoyou_eval.quality import ISSUES

    out = protect(df.copy())
    words = first_wave_words(study)
    for column in out.columns:
        if str(column) == "note" or str(column).endswith("_note"):
            out[column] = out[column].map(lambda v: v if pd.isna(v) else words(explain(v)))
        elif str(column).endswith("_band"):
            out[column] = out[column].map(band_label)
        elif str(column) == "issue":
            out[column] = out[column].map(lambda v: v if pd.isna(v) else text(*ISSUES[v]) if v in ISSUES else label(v))
    own = [c for c in out.columns if study is not None and c in STUDY_COLUMNS]
    for column in own:
        out[column] = out[column].map(lambda v, c=column: v if pd.isna(v) else study_label(study, c, v))
    for column in dict.fromkeys([*values, *(c for c in out.columns if c in CODE_COLUMNS)]):
        if column not in own and column != "issue":
            out[column] = out[column].map(lambda v: words(label(v)))
    for column in out.columns[[str(t) == "bool" for t in out.dtypes]]:  # True/False as 是/否, Yes/No
        out[column] = out[column].map(lambda v: label(str(v)))
    missing = out.isna()
    if missing.any().any():
        out = out.astype(object).where(~missing, MISSING_MARK)
    out = out.rename(columns=lambda c: words(label(c)))
    return out.set_index(words(label(index))) if index else out


def ego_network_table(networks, study=None):
    """Mean ego-network measures by wave and arm, for display (:func:`localise`).

    Density, effective size and constraint need the ties among the alters; at a wave where
    they were not collected (``networks["ties_missing"]``) they are unknown (NaN, see
    :class:`~laoyou_eval.networks.model.EgoNetworks`), shown as "—" with the note
    "没有收集被提名者之间的关系 / alter–alter ties were not collected", never as 0.

    Parameters
    ----------
    networks : dict
        ``Results.networks`` (:func:`laoyou_eval.report.analysis.analyse`).
    study : StudySpec or Dataset, optional
        Passed on to :func:`localise`.

    Returns
    -------
    pandas.DataFrame
        One row per wave and arm: mean size, density, effective size and constraint
        (2 decimals), and a note column when some wave has no alter–alter ties.
    """
    columns = ["size", "density", "effective_size", "constraint"]
    summary = networks["measures"].groupby(["wave", "arm"])[columns].mean().round(2).reset_index()
    missing = summary["wave"].isin(networks.get("ties_missing", ()))  # the measures are NaN there
    summary["note"] = missing.map({True: "ties_not_collected", False: ""})
    if not missing.any():
        summary = summary.drop(columns="note")
    return localise(summary, values=("arm",), study=study)


def quality_table(report):
    """A data-quality report for display: where, what (in the report language), what was done."""
    from laoyou_eval.i18n import report_language
    from laoyou_eval.quality import ACTIONS

    zh = report_language() == "zh"
    shown = report[["file", "row", "respondent", "column", "value", "message_zh" if zh else "message_en", "action"]]
    shown = shown.rename(columns={"message_zh": "message", "message_en": "message"})
    if zh:
        shown = shown.assign(action=shown["action"].map(ACTIONS))
    return localise(shown)
