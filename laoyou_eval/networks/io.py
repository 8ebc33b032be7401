"""Importers for personal-network data: the study's name-generator export, egor's one-,
two- and three-file layouts, Network Canvas CSV exports, and the parents' group network.

Every importer returns tidy tables (see :mod:`laoyou_eval.networks.model`) checked by
:func:`~laoyou_eval.networks.model.validate`, and never keeps alters' names: they are
replaced by a keyed pseudonym (:func:`pseudonymise_names`) that still supports matching
alters across waves.

(long module: every ego-network format — name generator, egor's three layouts, Network Canvas, the group — is read here into the same model; split by format when it grows further.)
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from laoyou_eval.errors import LaoyouError
from laoyou_eval.i18n import join_notes
from laoyou_eval.io import read_table
from laoyou_eval.networks.model import EgoNetworks, validate
from laoyou_eval.quality import QUALITY_COLUMNS, QualityLog

# --- the study's name-generator questionnaire -------------------------------------------------
#: The alter categories a study declares (study.yaml ``networks:``), each by the answers that
#: mean it: ``{"buddy": {"relation": [...], "met_where": [...]}, "via_programme": {...},
#: "kin": {...}}``.  The library knows no answer wording of its own.
CATEGORY_RULES = ("kin", "buddy", "via_programme")
#: Closeness answers, closest first (rings of the egogram).
CLOSENESS_LEVELS = ("非常亲近", "亲近", "一般")
#: Alter–alter tie strength: 1 = 认识 (know each other), 2 = 很熟 (know each other well).
TIE_WEIGHT_MAX = 2
#: Parents' group tie strength: 1 = 认识, 2 = 经常联系, 3 = 互相帮忙.
GROUP_STRENGTH_MAX = 3
#: Alter categories of :func:`alter_categories`, in display order.
ALTER_CATEGORIES = ("kin", "other_nonkin", "via_programme", "buddy")


def pseudonymise_names(alters: pd.DataFrame, column: str = "alter_name", key: bytes | str | None = None,
                       out: str = "name_code") -> pd.DataFrame:
    """Replace names by keyed per-character codes that keep their edit distance.

    Parameters
    ----------
    alters : pandas.DataFrame
    column : str
        Column with names or nicknames (dropped from the result).
    key : bytes or str, optional
        Secret key.  Keep it outside the study folder and pass the same key for every wave
        that will be matched; None draws a random key, valid for this call only.
    out : str
        Name of the new column.

    Returns
    -------
    pandas.DataFrame
        A copy without ``column`` and with ``out``: each character replaced by the first 8
        hex digits of HMAC-SHA256(key, character), separated by spaces ("" for a blank name).

    Notes
    -----
    Coding character by character keeps the Levenshtein distance between two names, so a
    re-spelt nickname (小李/小黎) stays close to the original, while the names themselves
    cannot be read off the table.  It is a pseudonym, not anonymisation: whoever holds the
    key can test guesses, and frequent characters remain frequent.
    """
    key = secrets.token_bytes(32) if key is None else (key.encode() if isinstance(key, str) else key)
    names = alters[column].fillna("").astype(str).str.strip()
    unique = pd.unique(names)
    codes = {name: " ".join(hmac.new(key, ch.encode("utf-8"), hashlib.sha256).hexdigest()[:8] for ch in name)
             for name in unique}
    result = alters.drop(columns=column)
    result.insert(min(alters.columns.get_loc(column), len(result.columns)), out, names.map(codes).to_numpy())
    return result


def _matches(alters: pd.DataFrame, rule, columns: dict[str, str]) -> pd.Series | None:
    """Rows whose answer to any question of ``rule`` ({question: [answers]}) is one of its
    answers; None when the study declared no rule (undetermined)."""
    if not rule:
        return None
    if not isinstance(rule, dict):
        raise LaoyouError("networks: 每个类别写成 {问题: [答案, ...]}。",
                          f"networks: each category is {{question: [answers, ...]}}; got {rule!r}.",
                          hint_zh="例如 buddy: {relation: [志愿者]}。", hint_en="e.g. buddy: {relation: [volunteer]}.")
    hit = pd.Series(False, index=alters.index, dtype="boolean")
    for question, answers in rule.items():
        column = columns.get(question, question)
        if column not in alters:
            raise LaoyouError(f"networks: 被提名者表没有列“{column}”。",
                              f"networks: the alters table has no column {column!r}.", column=column,
                              file=alters.attrs.get("source"))
        answers = [answers] if isinstance(answers, str) else list(answers)
        hit |= alters[column].astype("string").str.strip().isin([str(a).strip() for a in answers]).fillna(False)
    return hit


def alter_categories(alters: pd.DataFrame, categories: dict | None = None, relation: str = "relation",
                     met: str = "met_where") -> pd.DataFrame:
    """Add the alter categories the study declares (never guessed from the answer wording).

    Parameters
    ----------
    alters : pandas.DataFrame
        With the name interpreters ``relation`` and ``met`` (where met).
    categories : dict, optional
        The study's ``networks:`` block: for ``"kin"``, ``"buddy"`` (the programme's buddy,
        e.g. a volunteer) and ``"via_programme"`` (met through the buddy or the programme),
        the answers that mean it, as ``{question: [answers]}``; questions ``relation`` and
        ``met_where`` refer to the ``relation`` and ``met`` columns, any other key to a column
        of that name.  A category left out is *undetermined*.
    relation, met : str
        Column names of the relation and where-met questions.

    Returns
    -------
    pandas.DataFrame
        A copy with ``kinship`` ("kin"/"nonkin"), ``category`` ("kin", "buddy",
        "via_programme", "other_nonkin"), ``buddy`` and ``programme_tie`` (buddy or
        via_programme; nullable booleans) and ``category_note``.  Undefined is not False: a
        category the study did not declare is NA in every row it could decide, and
        ``category_note`` holds the codes ``kin_undeclared``, ``buddy_undeclared``,
        ``via_programme_undeclared``.  A missing relation gives missing kinship and
        category (``relation_missing``).

    Examples
    --------
    >>> import pandas as pd
    >>> alters = pd.DataFrame({"relation": ["母亲", "志愿者", "朋友"], "met_where": ["家", "项目", "学校"]})
    >>> rules = {"kin": {"relation": ["母亲"]}, "buddy": {"relation": ["志愿者"]}, "via_programme": {"met_where": []}}
    >>> alter_categories(alters, rules)["category"].tolist()
    ['kin', 'buddy', 'other_nonkin']
    >>> alter_categories(alters)["buddy"].tolist()
    [<NA>, <NA>, <NA>]
    """
    categories = dict(categories or {})
    unknown = set(categories) - set(CATEGORY_RULES)
    if unknown:
        raise LaoyouError(f"networks: 不认识的类别 {sorted(unknown)}。", f"networks: unknown categories {sorted(unknown)}.",
                          hint_zh=f"可用：{', '.join(CATEGORY_RULES)}。", hint_en=f"use {', '.join(CATEGORY_RULES)}.")
    out = alters.copy()
    columns = {"relation": relation, "met_where": met}
    rel = out[relation].astype("string").str.strip()
    missing = (rel.isna() | rel.eq("")).to_numpy(bool)
    na = pd.Series(pd.NA, index=out.index, dtype="boolean")
    kin, buddy, via = (_matches(out, categories.get(name), columns) for name in CATEGORY_RULES)
    declared = {name: rule is not None for name, rule in zip(CATEGORY_RULES, (kin, buddy, via))}
    kin, buddy, via = (na.copy() if rule is None else rule for rule in (kin, buddy, via))
    via = via & ~buddy
    out["kinship"] = pd.Series(np.where(kin.fillna(False), "kin", "nonkin"), index=out.index, dtype="string")
    out.loc[kin.isna().to_numpy(bool) | missing, "kinship"] = pd.NA
    category = pd.Series(pd.NA, index=out.index, dtype="string")
    category[kin.fillna(False).to_numpy(bool)] = "kin"
    rest = category.isna()
    category[(rest & buddy.fillna(False)).to_numpy(bool)] = "buddy"
    rest = category.isna()
    category[(rest & via.fillna(False)).to_numpy(bool)] = "via_programme"
    decided = (kin == False) & (buddy == False) & (via == False)  # noqa: E712 (Kleene logic)
    category[(category.isna() & decided.fillna(False)).to_numpy(bool)] = "other_nonkin"
    category[missing] = pd.NA
    out["category"] = category
    out["buddy"] = buddy
    out["programme_tie"] = buddy | via
    codes = [f"{name}_undeclared" for name in CATEGORY_RULES if not declared[name]]
    out["category_note"] = [join_notes(codes + (["relation_missing"] if m else [])) for m in missing]
    return out


def read_name_generator(study_dir, respondents: pd.DataFrame | None = None, key: bytes | str | None = None,
                        errors: str = "raise", categories: dict | None = None) -> dict[int, EgoNetworks]:
    """The residents' name-generator data of every wave of a study folder.

    Parameters
    ----------
    study_dir : path
        A study folder laid out like ``data/raw/demo/``: ``networks/alters_w<wave>.csv``
        (ego_id, alter_no, alter_id, alter_name, relation, sex, age_band, closeness, contact,
        met_where) and ``networks/alter_ties_w<wave>.csv`` (ego_id, source, target, weight;
        source/target are ``alter_no``).
    respondents : pandas.DataFrame, optional
        ``respondent_id`` and ``wave`` of the residents interviewed at each wave (e.g. the
        residents' rows of :func:`laoyou_eval.intake.scores`), so that residents who named
        nobody are kept.  Without it the egos are those who named at least one alter.
    key : bytes or str, optional
        Key of :func:`pseudonymise_names`, the same for all waves.
    errors : {"raise", "flag"}
        See :func:`laoyou_eval.networks.model.validate`.
    categories : dict, optional
        Which answers mean kin, the buddy, met via the programme (see
        :func:`alter_categories`); default the ``networks:`` block of the folder's
        ``study.yaml``, else undetermined.

    Returns
    -------
    dict
        wave -> :class:`~laoyou_eval.networks.model.EgoNetworks` with ``ego="ego_id"`` and
        ``alter="alter_no"`` (ties refer to the row number; ``alter_id`` is the persistent id,
        blank when the interviewer did not record it).  ``egos`` has ``ego_id`` (sorted) and ``arm``;
        alters have ``name_code`` instead of ``alter_name`` and the columns of
        :func:`alter_categories`.  ``directed`` is ``networks.directed`` of ``study.yaml``
        (default false).
    """
    from laoyou_eval import study

    study_dir = Path(study_dir)
    metadata = study.load_metadata(study_dir)
    waves = sorted(int(w) for w in metadata["waves"])
    declared = dict(metadata.get("networks") or {})
    directed = bool(declared.pop("directed", False))  # networks.directed: the alter–alter ties are arcs
    categories = declared if categories is None else categories
    arm = study.arms(study_dir).query("population == 'residents'").set_index("respondent_id")["arm"]
    key = secrets.token_bytes(32) if key is None else key
    out = {}
    for wave in waves:
        alters = read_table(study_dir / f"networks/alters_w{wave}.csv")
        ties = read_table(study_dir / f"networks/alter_ties_w{wave}.csv")
        if respondents is not None:
            ids = respondents.loc[respondents["wave"].astype(int) == wave, "respondent_id"]
        else:
            ids = pd.unique(alters["ego_id"])
        egos = pd.DataFrame({"ego_id": sorted(pd.Series(ids, dtype="string").str.strip().unique())})
        egos["arm"] = egos["ego_id"].map(arm).fillna("unmatched")
        alters = alter_categories(pseudonymise_names(alters, key=key), categories)
        alters.attrs = {"source": f"networks/alters_w{wave}.csv"}
        ties.attrs = {"source": f"networks/alter_ties_w{wave}.csv"}
        out[wave] = _checked(egos, alters, ties, "ego_id", "alter_no", TIE_WEIGHT_MAX, errors, directed=directed)
    return out


def _checked(egos, alters, ties, ego, alter, weight_max, errors, weight="weight", directed=False) -> EgoNetworks:
    """Validated :class:`EgoNetworks` of canonical tables (``source``/``target`` tie columns)."""
    egos, alters, ties, problems = validate(alters, ties, egos, ego, alter, weight=weight, weight_max=weight_max,
                                            errors=errors, directed=directed)
    return EgoNetworks(egos=egos, alters=alters, ties=ties, ego=ego, alter=alter, problems=problems,
                       directed=directed)


# --- egor layouts ---------------------------------------------------------------------------
#: egor's example column names: ``alter.sex.1`` … and ``X1.to.2`` … (``one_file_8.csv``).
EGOR_ALTER_PATTERN = r"^alter\.(?P<attr>.+)\.(?P<alter>\d+)$"
EGOR_TIE_PATTERN = r"^X(?P<src>\d+)\.to\.(?P<tgt>\d+)$"


def _wide_columns(data: pd.DataFrame, pattern: str, groups: tuple[str, ...], what: str) -> pd.DataFrame:
    regex = re.compile(pattern)
    found = [(c, regex.search(str(c))) for c in data.columns]
    rows = [{"column": c, **{g: m.group(g) for g in groups}} for c, m in found if m]
    if not rows:
        raise LaoyouError(f"没有列符合{what}的命名规则 {pattern}。", f"No column matches the {what} pattern {pattern!r}.",
                          file=data.attrs.get("source"),
                          hint_zh="用参数给出与你的列名相符的正则表达式。", hint_en="pass a regular expression that fits your column names.")
    return pd.DataFrame(rows)


def _ties_from_wide(data: pd.DataFrame, ego: str, pattern: str) -> pd.DataFrame:
    """Long ties from pair columns (blank or 0 = no tie); the value becomes ``weight``."""
    spec = _wide_columns(data, pattern, ("src", "tgt"), "关系列 tie")
    long = data[[ego, *spec["column"]]].melt(id_vars=ego, var_name="column", value_name="weight")
    long = long.merge(spec, on="column")
    value = long["weight"].astype("string").str.strip()
    present = value.notna() & ~value.isin(["", "0", "0.0"])
    out = long.loc[present, [ego, "src", "tgt", "weight"]].rename(columns={ego: "ego_id", "src": "source",
                                                                            "tgt": "target"})
    return out.reset_index(drop=True)


def from_egor_onefile(data: pd.DataFrame, ego: str = "egoID", netsize: str | None = "netsize", *,
                      alter_pattern: str = EGOR_ALTER_PATTERN, tie_pattern: str = EGOR_TIE_PATTERN,
                      weight_max: float = np.inf, errors: str = "raise") -> EgoNetworks:
    """Import egor's one-file (wide) layout: one row per ego (egor ``onefile_to_egor``).

    Parameters
    ----------
    data : pandas.DataFrame
        Ego attributes, alter attributes in columns matched by ``alter_pattern`` (named
        groups ``attr`` and ``alter`` = slot number) and alter–alter ties in columns matched
        by ``tie_pattern`` (named groups ``src`` and ``tgt`` = slot numbers; blank or 0 =
        no tie, another number = the weight).
    ego : str
        Ego identifier column.
    netsize : str or None
        Column with the number of alters named; slots above it are not alters.  Without it,
        slots whose attributes are all blank are not alters.
    alter_pattern, tie_pattern : str
        Regular expressions; the defaults fit egor's ``one_file_8.csv`` (``alter.sex.1``,
        ``X1.to.2``).
    weight_max : float
        Passed to :func:`~laoyou_eval.networks.model.validate` (default: any positive weight).
    errors : {"raise", "flag"}

    Returns
    -------
    EgoNetworks
        Canonical columns ``ego_id``, ``alter_id`` (the slot number), ``source``, ``target``,
        ``weight``; egos keep every column that is neither an alter nor a tie column.

    Notes
    -----
    A tie naming a slot above ``netsize`` is an ``unknown_alter`` problem (egor drops it
    silently).

    References
    ----------
    Müller, C., Wellman, B., & Marin, A. (1999). How to use SPSS to study ego-centered
    networks. *Bulletin de Méthodologie Sociologique, 64*(1), 83–100.
    https://doi.org/10.1177/075910639906400112
    """
    data = data.copy()
    _require_columns(data, (ego, *([netsize] if netsize else [])), "egor 单文件", "egor one-file table")
    if netsize is not None:
        text = data[netsize].astype("string").str.strip()
        bad = text.notna() & text.ne("") & pd.to_numeric(text, errors="coerce").isna()
        if bad.any():
            pos = int(np.flatnonzero(bad.to_numpy())[0])
            raise LaoyouError(f"netsize 应为数字，实际为 {text.iloc[pos]!r}。", f"netsize must be a number, got {text.iloc[pos]!r}.",
                              file=data.attrs.get("source"), row=pos + 2, column=netsize,
                              hint_zh="改正这个数，或用 netsize=None 按空白的被提名者列判断。",
                              hint_en="correct it, or pass netsize=None to judge by blank alter slots.")
    spec = _wide_columns(data, alter_pattern, ("attr", "alter"), "被提名者属性 alter attribute")
    long = data[[ego, *spec["column"]]].melt(id_vars=ego, var_name="column", value_name="value")
    long = long.merge(spec, on="column")
    alters = long.pivot_table(index=[ego, "alter"], columns="attr", values="value", aggfunc="first",
                              sort=False, dropna=False).reset_index()
    alters.columns.name = None
    alters["slot"] = alters["alter"].astype(int)
    attrs = list(dict.fromkeys(spec["attr"]))
    if netsize is not None:
        size = pd.to_numeric(data.set_index(ego)[netsize], errors="coerce").fillna(0)
        alters = alters[alters["slot"] <= alters[ego].map(size).to_numpy()]
    else:
        filled = alters[attrs].astype("string").apply(lambda c: c.str.strip().fillna("").ne(""))
        alters = alters[filled.any(axis=1).to_numpy()]
    alters = alters.sort_values([ego, "slot"], kind="stable").drop(columns="slot")
    alters = alters.rename(columns={ego: "ego_id", "alter": "alter_id"})[["ego_id", "alter_id", *attrs]]
    ties = _ties_from_wide(data, ego, tie_pattern)
    used = set(spec["column"]) | set(_wide_columns(data, tie_pattern, ("src", "tgt"), "关系列 tie")["column"])
    egos = data[[c for c in data.columns if c not in used]].rename(columns={ego: "ego_id"})
    for table in (egos, alters, ties):
        table.attrs = dict(data.attrs)
    return _checked(egos, alters.reset_index(drop=True), ties, "ego_id", "alter_id", weight_max, errors)


def from_egor_twofiles(egos: pd.DataFrame, alters: pd.DataFrame, ego: str = "egoID", alter: str = "alterID", *,
                       tie_pattern: str = EGOR_TIE_PATTERN, weight_max: float = np.inf,
                       errors: str = "raise") -> EgoNetworks:
    """Import egor's two-file layout: egos with wide tie columns, plus a long alters file.

    Parameters
    ----------
    egos : pandas.DataFrame
        One row per ego; alter–alter ties in columns matched by ``tie_pattern`` (named groups
        ``src``, ``tgt`` = values of the alters' ``alter`` column; blank or 0 = no tie).
    alters : pandas.DataFrame
        One row per (ego, alter).
    ego, alter : str
        Identifier columns (egor's ``ID.vars``).
    tie_pattern : str
    weight_max : float
    errors : {"raise", "flag"}

    Returns
    -------
    EgoNetworks
        Canonical columns ``ego_id``, ``alter_id``, ``source``, ``target``, ``weight``.
    """
    _require_columns(egos, (ego,), "受访者表", "egos table")
    _require_columns(alters, (ego, alter), "被提名者表", "alters table")
    ties = _ties_from_wide(egos, ego, tie_pattern)
    ties.attrs = dict(egos.attrs)
    tie_columns = set(_wide_columns(egos, tie_pattern, ("src", "tgt"), "关系列 tie")["column"])
    ego_table = egos[[c for c in egos.columns if c not in tie_columns]].rename(columns={ego: "ego_id"})
    alters = alters.rename(columns={ego: "ego_id", alter: "alter_id"})
    return _checked(ego_table, alters, ties, "ego_id", "alter_id", weight_max, errors)


def from_egor_threefiles(egos: pd.DataFrame, alters: pd.DataFrame, aaties: pd.DataFrame, ego: str = "egoID",
                         alter: str = "alterID", source: str = "Source", target: str = "Target",
                         weight: str | None = "weight", weight_max: float = np.inf,
                         errors: str = "raise", directed: bool = False) -> EgoNetworks:
    """Import egor's three-file layout (egor ``threefiles_to_egor``): egos, alters, aaties.

    Parameters
    ----------
    egos, alters, aaties : pandas.DataFrame
        One row per ego; per (ego, alter); per alter–alter tie (``ego``, ``source``,
        ``target`` and optional ``weight``).
    ego, alter, source, target, weight : str
        Column names (egor's ``ID.vars`` defaults).
    weight_max : float
    errors : {"raise", "flag"}
    directed : bool, default False
        The aaties are arcs source → target (egor's ``directed = TRUE`` of ``ego_density``
        and ``as_igraph``): a→b and b→a are two ties.

    Returns
    -------
    EgoNetworks
        Canonical columns ``ego_id``, ``alter_id``, ``source``, ``target``, ``weight``;
        ``directed`` as given.
    """
    _require_columns(egos, (ego,), "受访者表", "egos table")
    _require_columns(alters, (ego, alter), "被提名者表", "alters table")
    if len(aaties):
        _require_columns(aaties, (ego, source, target), "关系表", "alter-alter ties table")
    rename = {ego: "ego_id", alter: "alter_id", source: "source", target: "target"}
    ties = aaties.rename(columns=rename)
    if weight and weight in ties and weight != "weight":
        ties = ties.rename(columns={weight: "weight"})
    return _checked(egos.rename(columns=rename), alters.rename(columns=rename), ties, "ego_id", "alter_id",
                    weight_max, errors, directed=directed)


# --- Network Canvas ---------------------------------------------------------------------------
NC_EGO, NC_CASE, NC_SESSION = "networkCanvasEgoUUID", "networkCanvasCaseID", "networkCanvasSessionID"
NC_NODE, NC_SOURCE, NC_TARGET = "networkCanvasUUID", "networkCanvasSourceUUID", "networkCanvasTargetUUID"
#: Leading characters Network Canvas guards with a ``'`` against formula injection.
NC_GUARDED = r"^'([=+\-@\t\r])"
_BOOLEAN = {"true", "false", ""}


def _strip_guard(df: pd.DataFrame) -> pd.DataFrame:
    return df.replace(to_replace=NC_GUARDED, value=r"\1", regex=True)


def _boolean_columns(df: pd.DataFrame) -> list[str]:
    return [c for c in df.columns if set(df[c].astype(str).str.strip().str.lower().unique()) <= _BOOLEAN
            and df[c].astype(str).str.strip().ne("").any()]


def _detect_categorical(df: pd.DataFrame) -> tuple[dict, list[list[str]]]:
    """Categorical variables among the true/false columns, and the ambiguous column groups.

    A column's candidate variables are its prefixes (cut at an underscore) shared with at
    least one other true/false column.  Prefixes that pick the same columns are one
    candidate (the longest is the variable: ``support_type_emotional``,
    ``support_type_advice`` -> ``support_type``).  A column with candidates picking
    different columns (``gender_cis_male`` … ``gender_trans_female``: ``gender`` or
    ``gender_cis``?) is ambiguous and left unfolded."""
    booleans = _boolean_columns(df)
    candidates: dict[str, dict[frozenset, str]] = {}
    for column in booleans:
        for cut in [m.start() for m in re.finditer("_", column)]:
            prefix = column[:cut]
            siblings = frozenset(c for c in booleans if c.startswith(prefix + "_"))
            if len(siblings) >= 2:
                current = candidates.setdefault(column, {}).get(siblings, "")
                candidates[column][siblings] = max(current, prefix, key=len)
    categorical, ambiguous = {}, []
    for column, options in candidates.items():
        if len(options) == 1:
            (siblings, prefix), = options.items()
            if all(len(candidates.get(c, {})) == 1 for c in siblings):
                categorical.setdefault(prefix, [c[len(prefix) + 1:] for c in booleans if c in siblings])
                continue
        group = sorted(set().union(*options))
        if group not in ambiguous:
            ambiguous.append(group)
    return categorical, ambiguous


def _fold(df: pd.DataFrame, categorical: dict | None, log: QualityLog, what: str, announce: list) -> pd.DataFrame:
    """Fold ``<var>_<option>`` true/false columns back into one ``;``-joined column per
    variable.  Folds, ambiguous groups and rows with no option true go to ``log``; those
    the user did not ask for (detected folds, ambiguous groups) also to ``announce``."""
    out = df.copy()
    ambiguous = []
    detected = categorical is None
    if detected:
        categorical, ambiguous = _detect_categorical(df)
    folded = {}
    for var, options in categorical.items():
        columns = [f"{var}_{o}" for o in options if f"{var}_{o}" in out]
        if not columns:
            continue
        cells = out[columns].astype(str).apply(lambda c: c.str.strip().str.lower())
        chosen = cells.eq("true")
        labels = np.array([c[len(var) + 1:] for c in columns], dtype=object)
        values = pd.Series([";".join(labels[row]) for row in chosen.to_numpy()], index=out.index, dtype="string")
        unanswered = cells.eq("").all(axis=1)
        none_true = ~chosen.any(axis=1) & ~unanswered
        values = values.mask(unanswered | none_true)
        out = out.drop(columns=columns)
        out[var] = values
        folded[var] = columns
        log.add("options_folded", column=var, value=", ".join(columns), action="folded",
                detail_zh=f"{what}：{len(columns)} 个 true/false 列", detail_en=f"{what}: {len(columns)} true/false columns")
        if detected:
            announce.append(f"{what}: folded {', '.join(columns)} -> {var}")
        if none_true.any():
            log.add("options_none_true", column=var, value=f"{int(none_true.sum())} 行 rows", action="kept as missing",
                    detail_zh=f"{what}：Network Canvas 对未回答的题也导出全部 false，无法区分“未答”与“都不选”",
                    detail_en=f"{what}: Network Canvas exports an unanswered question as all false too, so "
                              "'not answered' and 'none chosen' cannot be told apart")
    for group in ambiguous:
        announce.append(f"{what}: not folded (ambiguous) {', '.join(group)}")
        log.add("options_ambiguous", column=group[0], value=", ".join(group), action="not folded",
                detail_zh=f"{what}：这些列可按不同方式合并，请用 categorical= 或 protocol= 指明",
                detail_en=f"{what}: these columns fold in more than one way; say how with categorical= or protocol=")
    out.attrs = {**df.attrs, "folded": folded}
    return out


def _protocol_codebook(protocol) -> dict:
    """The ``codebook`` of a Network Canvas protocol (``protocol.json`` or a ``.netcanvas``
    zip holding it)."""
    import json
    import zipfile

    path = Path(protocol)
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                name = next(n for n in archive.namelist() if n.endswith("protocol.json"))
                doc = json.loads(archive.read(name).decode("utf-8"))
        else:
            doc = json.loads(path.read_text(encoding="utf-8-sig"))
        return doc["codebook"]
    except (OSError, StopIteration, KeyError, TypeError, ValueError, zipfile.BadZipFile) as error:
        raise LaoyouError("无法读取 Network Canvas 协议文件（protocol.json / .netcanvas）。",
                          f"Cannot read the Network Canvas protocol (protocol.json / .netcanvas): {error!r}.",
                          file=path, hint_zh="在 Architect 中重新导出协议，或不传 protocol=。",
                          hint_en="export the protocol again from Architect, or leave out protocol=.") from None


def _categorical_of(variables: dict) -> dict:
    """variable name -> option values of the categorical variables of one codebook entity."""
    return {v["name"]: [str(o["value"] if isinstance(o, dict) else o) for o in v.get("options", [])]
            for v in (variables or {}).values() if isinstance(v, dict) and v.get("type") == "categorical"}


def _entity(codebook: dict, kind: str, type_name: str | None) -> dict:
    if kind == "ego":
        return _categorical_of(codebook.get("ego", {}).get("variables"))
    found = {}
    for entry in codebook.get(kind, {}).values():
        if type_name is None or entry.get("name") == type_name:
            found.update(_categorical_of(entry.get("variables")))
    return found


def _read_many(paths: list[Path], pattern: str, edge_type: bool = False) -> pd.DataFrame:
    """Concatenate per-session files; index labels stay row positions within each file, and
    ``attrs["source"]`` names the file (or the pattern, for several).  With ``edge_type``,
    a column of that name holds the edge type taken from each file name."""
    frames = [read_table(p) for p in paths]
    if edge_type:
        frames = [f.assign(edge_type=p.stem.split("_edgeList_", 1)[1]) for f, p in zip(frames, paths)]
    if not frames:
        return pd.DataFrame(columns=[NC_EGO])
    out = pd.concat(frames)
    out.attrs = {"source": paths[0].name if len(paths) == 1 else f"{pattern} ({len(paths)})"}
    return out


def _require_columns(df: pd.DataFrame, columns, what_zh: str, what_en: str) -> None:
    for column in columns:
        if column not in df.columns:
            raise LaoyouError(f"{what_zh}缺少列 {column}。", f"The {what_en} has no column {column!r}.",
                              file=df.attrs.get("source"), row=1, column=column,
                              hint_zh="检查表头，或用参数指明列名。", hint_en="check the header, or name the column with a parameter.")


def read_network_canvas(folder, node_type: str = "Person", edge_type: str | None = None,
                        categorical: dict | None = None, name: str | None = "name",
                        key: bytes | str | None = None, errors: str = "raise", protocol=None) -> EgoNetworks:
    """Import Network Canvas CSV exports (any number of sessions) from one folder.

    Parameters
    ----------
    folder : path
        Holds ``<caseID>_<sessionUUID>_ego.csv``, ``…_attributeList_<node_type>.csv`` and
        ``…_edgeList_<edge type>.csv`` of one or more sessions.
    node_type : str
        Node type whose nodes are the alters.
    edge_type : str, optional
        Edge type whose edges are the alter–alter ties; None reads every edge list.  Ties
        keep their type in the ``edge_type`` column, and each type is checked on its own,
        so a pair tied in two types (close *and* sees often) is two ties, not a repeat.
        Compute measures per type: :func:`by_edge_type`.
    categorical : dict, optional
        variable -> options of categorical variables exported as ``<var>_<option>`` columns
        (for every table).  Wins over ``protocol``.
    name : str or None
        Alter name column, replaced by ``name_code`` (:func:`pseudonymise_names`).
    key : bytes or str, optional
        Pseudonymisation key.
    errors : {"raise", "flag"}
    protocol : path, optional
        The study's protocol (``protocol.json`` or the ``.netcanvas`` file): its codebook says
        which variables are categorical and their options, so folding is exact.  Without it
        (and without ``categorical``) folding is detected, and done only when unambiguous.

    Returns
    -------
    EgoNetworks
        ``egos``: ``ego_id`` (= networkCanvasEgoUUID), ``case_id``, ``session_id`` and the
        ego variables; ``alters``: ``ego_id``, ``alter_id`` (= networkCanvasUUID),
        ``node_id`` (the per-export nodeID) and the node variables; ``ties``: ``ego_id``,
        ``source``, ``target`` (alter UUIDs), ``edge_type`` and the edge variables.
        ``problems`` holds the validation problems and the folding records
        (``options_folded``, ``options_ambiguous``, ``options_none_true``); each table's
        ``attrs["folded"]`` maps a folded variable to its columns.

    Warns
    -----
    UserWarning
        Listing every fold made by detection (not asked for with ``categorical`` or
        ``protocol``), and every group of columns left unfolded as ambiguous.

    Notes
    -----
    Per-session files are concatenated and joined on the UUIDs, never on ``nodeID`` (which
    restarts in every export).  The formula-injection guard (a ``'`` before a leading
    ``= + - @``, tab or carriage return) is removed from every cell.  A folded categorical
    value lists the options that are true, joined by ``;``.  Network Canvas exports an
    unanswered categorical question as all ``false``, the same as one answered with no
    option, so such rows are missing and counted in an ``options_none_true`` record; rows
    whose option cells are all blank are missing too.  Without a protocol, ``<var>_<option>``
    columns are folded only when the split is unambiguous (see :func:`_detect_categorical`):
    ``gender_cis_male``, ``gender_cis_female``, ``gender_trans_male`` … could be one variable
    ``gender`` or two, and are left as they are, with a warning.
    """
    import warnings

    folder = Path(folder)
    ego_files = sorted(folder.glob("*_ego.csv"))
    if not ego_files:
        raise LaoyouError("文件夹里没有 Network Canvas 的 *_ego.csv 文件。", "No Network Canvas *_ego.csv file in the folder.",
                          file=folder, hint_zh="选择解压后的 CSV 导出文件夹。", hint_en="choose the unzipped CSV export folder.")
    codebook = _protocol_codebook(protocol) if protocol is not None else None

    def scheme(kind, type_name=None):
        if categorical is not None:
            return categorical
        return None if codebook is None else _entity(codebook, kind, type_name)

    log, announce = QualityLog(file=folder.name), []
    egos = _strip_guard(_read_many(ego_files, "*_ego.csv"))
    _require_columns(egos, (NC_EGO,), "受访者文件", "ego file")
    egos = _fold(egos, scheme("ego"), log, "ego", announce)
    egos = egos.rename(columns={NC_EGO: "ego_id", NC_CASE: "case_id", NC_SESSION: "session_id"})
    pattern = f"*_attributeList_{node_type}.csv"
    alters = _strip_guard(_read_many(sorted(folder.glob(pattern)), pattern))
    _require_columns(alters, (NC_EGO, NC_NODE), "被提名者文件", "alters file")
    alters = _fold(alters, scheme("node", node_type), log, node_type, announce)
    alters = alters.rename(columns={NC_EGO: "ego_id", NC_NODE: "alter_id", "nodeID": "node_id"})
    if name and name in alters:
        alters = pseudonymise_names(alters, column=name, key=key)
    pattern = f"*_edgeList_{edge_type or '*'}.csv"
    ties = _strip_guard(_read_many(sorted(folder.glob(pattern)), pattern, edge_type=True))
    parts = []
    if len(ties):
        _require_columns(ties, (NC_EGO, NC_SOURCE, NC_TARGET), "关系文件", "edge file")
        for kind, part in ties.groupby("edge_type", sort=True):
            part = _fold(part.drop(columns="edge_type"), scheme("edge", kind), log, kind, announce).assign(edge_type=kind)
            part = part.drop(columns=["edgeID", "from", "to", NC_NODE], errors="ignore")
            part = part.rename(columns={NC_EGO: "ego_id", NC_SOURCE: "source", NC_TARGET: "target"})
            part.attrs = {"source": f"*_edgeList_{kind}.csv"}
            parts.append(part)
    notes = log.frame()
    if announce:
        warnings.warn("Network Canvas 选项列 option columns — " + "; ".join(announce)
                      + " (pass categorical= or protocol= to say how to fold)", UserWarning, stacklevel=2)
    first = _checked(egos, alters, parts[0] if parts else None, "ego_id", "alter_id", np.inf, errors, weight=None)
    problems = [first.problems]
    tie_tables = [first.ties]
    for part in parts[1:]:  # every edge type checked on its own: one pair may be tied in several types
        checked = _checked(first.egos, first.alters, part, "ego_id", "alter_id", np.inf, errors, weight=None)
        problems.append(checked.problems)
        tie_tables.append(checked.ties)
    ties_out = pd.concat(tie_tables, ignore_index=True) if parts else first.ties
    report = pd.concat([p for p in [*problems, notes] if len(p)], ignore_index=True) if any(
        len(p) for p in [*problems, notes]) else first.problems
    return EgoNetworks(egos=first.egos, alters=first.alters, ties=ties_out, ego="ego_id", alter="alter_id",
                       problems=report.astype({"row": "Int64"}))


def by_edge_type(networks: EgoNetworks) -> dict[str, EgoNetworks]:
    """The networks of each edge type (``ties["edge_type"]``), for measures per type.

    Examples
    --------
    >>> import pandas as pd
    >>> alters = pd.DataFrame({"ego_id": ["e"] * 3, "alter_id": ["a", "b", "c"]})
    >>> ties = pd.DataFrame({"ego_id": ["e", "e", "e"], "source": ["a", "a", "b"], "target": ["b", "b", "c"],
    ...                      "edge_type": ["Close", "SexTie", "Close"], "weight": 1.0})
    >>> nets = by_edge_type(EgoNetworks(egos=pd.DataFrame({"ego_id": ["e"]}), alters=alters, ties=ties))
    >>> {kind: len(net.ties) for kind, net in nets.items()}
    {'Close': 2, 'SexTie': 1}
    """
    from dataclasses import replace

    if "edge_type" not in networks.ties:
        return {"": networks}
    return {kind: replace(networks, ties=part.reset_index(drop=True))
            for kind, part in networks.ties.groupby("edge_type", sort=True)}


# --- the parents' group -----------------------------------------------------------------------
@dataclass
class GroupNetwork:
    """A small whole network (the parents' mutual-aid group) at several waves.

    Attributes
    ----------
    members : pandas.DataFrame
        ``member_id``, ``caregiver_id``, ``role``.
    ties : dict
        wave -> DataFrame of undirected ties ``source``, ``target``, ``strength`` (float).
    problems : pandas.DataFrame
        Validation report (:data:`laoyou_eval.quality.QUALITY_COLUMNS`).
    """

    members: pd.DataFrame
    ties: dict
    problems: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(QUALITY_COLUMNS)))


def read_group(study_dir, folder: str = "parents_group", strength_max: float = GROUP_STRENGTH_MAX,
               errors: str = "raise") -> GroupNetwork:
    """The parents' group of a study folder: ``<folder>/members.csv`` and ``ties_w<wave>.csv``.

    Parameters
    ----------
    study_dir : path
    folder : str
        Sub-folder of the group files.
    strength_max : float
        Top of the strength scale (3 = 互相帮忙).
    errors : {"raise", "flag"}
        Unknown members, self-ties, pairs listed twice and strengths outside
        (0, strength_max] raise, or are left out and reported.

    Returns
    -------
    GroupNetwork
    """
    from laoyou_eval import study

    study_dir = Path(study_dir)
    members = read_table(study_dir / folder / "members.csv")
    members.attrs["source"] = f"{folder}/members.csv"
    waves = sorted(int(w) for w in study.load_metadata(study_dir)["waves"])
    nodes = members.assign(group=folder)
    ties, problems = {}, []
    for wave in waves:
        table = read_table(study_dir / folder / f"ties_w{wave}.csv").assign(group=folder)
        table.attrs["source"] = f"{folder}/ties_w{wave}.csv"
        _, _, clean, report = validate(nodes, table, None, "group", "member_id", weight="strength",
                                       weight_max=strength_max, errors=errors)
        ties[wave] = clean.assign(strength=clean["weight"])[["source", "target", "strength"]].reset_index(drop=True)
        problems.append(report)
    report = pd.concat(problems, ignore_index=True) if any(len(p) for p in problems) else problems[0]
    return GroupNetwork(members=members, ties=ties, problems=report)
