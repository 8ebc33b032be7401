"""Every analysis a study's design calls for, run on its :class:`~laoyou_eval.dataset.Dataset`.

:func:`analyse` is the one place where the domains meet (surveys, outcomes, networks,
process records, open-ended coding); it returns :class:`Results`, a set of language-neutral
tables — codes, not prose — that the notebooks show and the case-study document
(:mod:`laoyou_eval.report.casereport`) turns into text.  What runs follows from the study:

* every declared outcome gets descriptives, internal consistency at baseline, the paired
  pre–post analysis in every arm for the baseline against **each** later wave, and reliable
  change (Jacobson–Truax) in the programme arm;
* with a comparison arm: baseline balance, difference-in-differences with Morris's d_ppc2 and
  ANCOVA as a sensitivity analysis;
* with three or more waves: a mixed model over all waves;
* ego networks, the group network, process records and open-ended coding when the study has
  them; otherwise the component is recorded as absent with a reason code.

Small samples never abort: a statistic that cannot be computed is NaN with a note code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from laoyou_eval.errors import LaoyouError

#: Reason codes of absent components.
ABSENT = {
    "ego_networks": "no_ego_network_data",
    "group_network": "no_group_network_data",
    "process": "no_process_records",
    "open_ended": "no_open_ended_coding",
    "comparison": "single_group_design",
    "follow_up": "baseline_only",
}


#: What a notebook or report says about an absent component, by reason code.
ABSENT_TEXT = {
    "no_ego_network_data": ("本研究没有收集自我中心网络数据。", "This study collected no ego-network data."),
    "no_group_network_data": ("本研究没有收集小组网络数据。", "This study collected no group-network data."),
    "no_process_records": ("本研究没有提供过程记录。", "This study has no process records."),
    "no_open_ended_coding": ("本研究没有开放题编码数据。", "This study has no coded open-ended answers."),
    "single_group_design": ("本研究没有对照组，只做前后测比较。", "This study has no comparison group: pre–post comparisons only."),
    "baseline_only": ("目前只有基线数据，还不能分析变化。", "Only baseline data so far: change cannot be analysed yet."),
}


def absent_text(results, component: str, lang: str | None = None) -> str | None:
    """The sentence saying why ``component`` is not analysed (None when it is)."""
    from laoyou_eval.report.i18n import text

    code = results.absent.get(component)
    return None if code is None else (ABSENT_TEXT[code][0] if lang == "zh" else ABSENT_TEXT[code][1]) \
        if lang else text(*ABSENT_TEXT[code])


@dataclass
class Results:
    """Language-neutral results of one study (see :func:`analyse`).

    Every table has codes in its ``outcome``, ``population``, ``arm``, ``note`` columns; ``absent``
    maps a component to the reason code it was not analysed.
    """

    design: dict
    sample: pd.DataFrame
    outcomes: pd.DataFrame
    descriptives: pd.DataFrame
    reliability: pd.DataFrame
    paired: pd.DataFrame
    change_categories: pd.DataFrame
    change_parameters: pd.DataFrame
    quality: pd.DataFrame
    balance: pd.DataFrame | None = None
    did: pd.DataFrame | None = None
    ancova: pd.DataFrame | None = None
    mixed: pd.DataFrame | None = None
    hlm: pd.DataFrame | None = None
    attrition: pd.DataFrame | None = None
    networks: dict | None = None
    group: dict | None = None
    process: dict | None = None
    open_ended: dict | None = None
    screening: dict | None = None
    absent: dict = field(default_factory=dict)


def _design(ds) -> dict:
    spec = ds.spec
    waves_with_data = ds.waves_with_data
    return {"waves": spec.wave_numbers, "waves_with_data": waves_with_data, "baseline": spec.baseline,
            "later_waves": [w for w in waves_with_data if w != spec.baseline],
            "has_comparison": spec.has_comparison, "populations": ds.populations,
            "components": spec.components, "synthetic": spec.synthetic}


def _sample(ds) -> pd.DataFrame:
    rows = []
    arms = list(ds.spec.arms)
    for population in ds.populations:
        table = ds.scores_of(population)
        for arm in arms:
            enrolled = ds.arms[(ds.arms.population == population) & (ds.arms.arm == arm)]["respondent_id"].nunique()
            for wave in ds.waves_of(population):  # a wave the population skipped has no row, not 0
                n = table[(table.arm == arm) & (table.wave == wave)]["respondent_id"].nunique()
                rows.append({"population": population, "arm": arm, "wave": wave,
                             "enrolled": enrolled if enrolled else pd.NA, "responded": n})
        unmatched = table[table.arm == "unmatched"]["respondent_id"].nunique()
        if unmatched:
            rows.append({"population": population, "arm": "unmatched", "wave": pd.NA, "enrolled": pd.NA,
                         "responded": unmatched})
    return pd.DataFrame(rows).astype({"enrolled": "Int64"})


def _outcome_table(ds) -> pd.DataFrame:
    from laoyou_eval import instruments

    rows = []
    for o in ds.all_outcomes():
        inst = instruments.get(o.instrument)
        rows.append({"population": o.population, "outcome": o.column, "scale": o.scale, "instrument": o.instrument,
                     "label_zh": o.label_zh, "label_en": o.label_en, "higher_is": o.higher_is,
                     "n_items": inst.n_items, "score_min": inst.score_range[0], "score_max": inst.score_range[1],
                     "citation": inst.citation, "licence": "; ".join(
                         str(inst.licence[k]) for k in ("holder", "terms") if (inst.licence or {}).get(k))})
    return pd.DataFrame(rows)


def _descriptives(ds, arms) -> pd.DataFrame:
    parts = []
    for population in ds.populations:
        columns = [o.column for o in ds.outcomes(population)]
        if not columns:
            continue
        data = ds.scores_of(population, arms)
        long = data.melt(id_vars=["wave", "arm"], value_vars=columns, var_name="outcome", value_name="score")
        long["score"] = long["score"].astype(float)
        table = long.groupby(["outcome", "wave", "arm"], sort=False)["score"].agg(n="count", mean="mean", sd="std")
        parts.append(table.reset_index().assign(population=population))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _reliability(ds) -> pd.DataFrame:
    from laoyou_eval import reliability, scoring

    rows = []
    for population in ds.populations:
        data = ds.baseline_items(population)
        for o in ds.outcomes(population):
            try:
                items = scoring.keyed_items(data, o.instrument, items=list(o.items) if o.items else None)
                row = reliability.cronbach_alpha(items).iloc[0].to_dict()
                omega = reliability.omega_total(items).iloc[0].to_dict()
                row["omega"] = omega.get("omega_total", np.nan)
            except (LaoyouError, ValueError, KeyError, np.linalg.LinAlgError) as error:
                row = {"alpha": np.nan, "ci_low": np.nan, "ci_high": np.nan, "n": np.nan, "k": len(o.items),
                       "omega": np.nan, "note": f"not_computable: {type(error).__name__}"}
            rows.append({"population": population, "outcome": o.column, **row})
    return pd.DataFrame(rows)


def _later_of(ds, population: str, later) -> list[int]:
    """The later waves at which ``population`` was surveyed, when it was surveyed at the baseline
    (a population skipping a wave has no pre–post pair, no dropouts and no change there)."""
    waves = ds.waves_of(population)
    return [w for w in later if w in waves] if ds.spec.baseline in waves else []


def _paired(ds, later) -> pd.DataFrame:
    from laoyou_eval import outcomes

    parts = []
    for population in ds.populations:
        columns = [o.column for o in ds.outcomes(population)]
        data = ds.scores_of(population, list(ds.spec.arms))
        for wave in _later_of(ds, population, later):
            if not columns or data[data.wave == wave].empty:
                continue
            table = outcomes.paired_table(data, columns, "wave", "respondent_id", arm="arm",
                                          waves=(ds.spec.baseline, wave))
            parts.append(table.assign(population=population, wave_pre=ds.spec.baseline, wave_post=wave))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _reliable_change(ds, later):
    """Jacobson–Truax categories in the programme arm; NaN and a note where reliability is undefined."""
    from laoyou_eval import outcomes

    counts, parameters = [], []
    alpha = None
    for population in ds.populations:
        data = ds.scores_of(population, ["programme"])
        for o in ds.outcomes(population):
            for wave in _later_of(ds, population, later):
                pre, post = outcomes.pre_post(data, o.column, "wave", "respondent_id", waves=(ds.spec.baseline, wave))
                published = _published_reliability(o.instrument)
                note = ""
                reliability = None
                if published is None:
                    alpha = alpha if alpha is not None else _reliability(ds)
                    value = alpha.set_index("outcome")["alpha"].get(o.column, np.nan)
                    if not (0 < value < 1):
                        parameters.append({"population": population, "outcome": o.column, "wave_post": wave,
                                           "n": int(pre.notna().sum()), "reliability": np.nan, "sd": np.nan,
                                           "reliability_kind": "", "note": "reliability_undefined"})
                        continue
                    reliability, note = float(value), "reliability_from_sample_alpha"
                try:
                    rc = outcomes.reliable_change(pre, post, reliability=reliability, instrument=o.instrument,
                                                  higher_is=o.higher_is)
                except LaoyouError:
                    parameters.append({"population": population, "outcome": o.column, "wave_post": wave,
                                       "n": int(pre.notna().sum()), "reliability": np.nan, "sd": np.nan,
                                       "reliability_kind": "", "note": "reliability_undefined"})
                    continue
                p = rc.attrs.get("parameters", {})
                too_low = "reliability_too_low" in str(p.get("note", ""))
                parameters.append({"population": population, "outcome": o.column, "wave_post": wave,
                                   "n": p.get("n"), "reliability": p.get("reliability"), "sd": p.get("sd"),
                                   "reliability_kind": p.get("reliability_kind", ""),
                                   "sem": p.get("sem"), "mdc": p.get("mdc"),
                                   "note": "reliability_too_low" if too_low else note or ""})
                if too_low:  # no index: the row stays, without counts
                    continue
                table = outcomes.category_counts(rc)
                counts.append(table.assign(population=population, outcome=o.column, wave_post=wave))
    return (pd.concat(counts, ignore_index=True) if counts else pd.DataFrame(),
            pd.DataFrame(parameters))


def _published_reliability(instrument: str):
    from laoyou_eval import instruments

    value = (instruments.get(instrument).reliability or {}).get("value")
    return value if value is not None and 0 < float(value) < 1 else None


def _comparison(ds, later):
    from laoyou_eval import outcomes

    balance, did, ancova = [], [], []
    for population in ds.populations:
        columns = [o.column for o in ds.outcomes(population)]
        data = ds.scores_of(population, list(ds.spec.arms))
        base = data[data.wave == ds.spec.baseline]
        if not columns or base.arm.nunique() < 2:
            continue
        balance.append(outcomes.baseline_imbalance(base, columns, "arm").assign(population=population))
        for wave in later:
            if data[data.wave == wave].arm.nunique() < 2:
                continue
            two = data[data.wave.isin([ds.spec.baseline, wave])]
            table = outcomes.did_table(two, columns, "arm", "wave", "respondent_id")
            did.append(table.assign(population=population, wave_post=wave))
            for column in columns:
                try:
                    row = outcomes.ancova(two, column, "arm", "wave", "respondent_id")
                except LaoyouError:
                    continue
                ancova.append(row.assign(population=population, outcome=column, wave_post=wave))
    join = lambda parts: pd.concat(parts, ignore_index=True) if parts else None  # noqa: E731
    return join(balance), join(did), join(ancova)


def _mixed(ds) -> pd.DataFrame | None:
    from laoyou_eval.outcomes.longitudinal import mixed_waves

    if len(ds.waves_with_data) < 3:
        return None
    parts = []
    for population in ds.populations:
        if len(ds.waves_of(population)) < 3:
            continue  # a population surveyed twice has its paired comparison, not a model "over all waves"
        data = ds.scores_of(population, list(ds.spec.arms))
        for o in ds.outcomes(population):
            if ds.spec.has_comparison:
                table = mixed_waves(data, o.column, "wave", "respondent_id", group="arm")
                parts.append(table.assign(population=population, outcome=o.column, arm="difference"))
            table = mixed_waves(data[data.arm == "programme"], o.column, "wave", "respondent_id")
            parts.append(table.assign(population=population, outcome=o.column, arm="programme"))
    return pd.concat(parts, ignore_index=True) if parts else None


def _hlm(ds) -> pd.DataFrame | None:
    """Individual change over all waves (HLM empirical-Bayes slopes) in the programme arm: counts
    per category, for studies with three or more waves."""
    from laoyou_eval import outcomes

    if len(ds.waves_with_data) < 3:
        return None
    parts = []
    for population in ds.populations:
        data = ds.scores_of(population, ["programme"])
        for o in ds.outcomes(population):
            frame = data[["respondent_id", "wave", o.column]].dropna()
            try:
                result = outcomes.hlm_change(frame.astype({o.column: float}), o.column, "wave", "respondent_id",
                                             higher_is=o.higher_is, instrument=o.instrument)
            except (LaoyouError, ValueError, np.linalg.LinAlgError):
                continue
            parts.append(outcomes.category_counts(result).assign(population=population, outcome=o.column))
    return pd.concat(parts, ignore_index=True) if parts else None


def _attrition(ds, later) -> pd.DataFrame | None:
    from laoyou_eval import outcomes

    parts = []
    for population in ds.populations:
        columns = [o.column for o in ds.outcomes(population)]
        everyone = ds.scores_of(population)
        data = ds.scores_of(population, list(ds.spec.arms))
        at_baseline = set(everyone.loc[everyone.wave == ds.spec.baseline, "respondent_id"])
        for wave in _later_of(ds, population, later):
            two = data[data.wave.isin([ds.spec.baseline, wave])]
            try:
                table = outcomes.completers_vs_dropouts(two, columns, "wave", "respondent_id",
                                                        waves=(ds.spec.baseline, wave))
            except LaoyouError:
                continue
            # who answered this wave but is in neither group: no baseline answers, or not on the roster
            answered = everyone[everyone.wave == wave]
            parts.append(table.assign(population=population, wave_post=wave,
                                      n_no_baseline=answered.loc[~answered.respondent_id.isin(at_baseline),
                                                                 "respondent_id"].nunique(),
                                      n_unmatched=answered.loc[answered.arm == "unmatched", "respondent_id"].nunique()))
    return pd.concat(parts, ignore_index=True) if parts else None


def _networks(ds, later, seed) -> dict | None:
    from laoyou_eval import networks
    from laoyou_eval.networks.io import TIE_WEIGHT_MAX

    if not ds.networks:
        return None
    declared = bool(ds.spec.networks)
    attributes = [a for a in ("kinship", "category") if ds.networks[min(ds.networks)].alters[a].notna().any()]
    categories = {}
    if "kinship" in attributes:
        categories["kinship"] = ["kin", "nonkin"]
    if "category" in attributes:
        categories["category"] = sorted(set(ds.networks[min(ds.networks)].alters["category"].dropna()) |
                                        {"kin", "other_nonkin", "via_programme", "buddy"}
                                        if declared else {"kin", "nonkin"})
    options = dict(attributes=attributes, categories=categories, weight_max=TIE_WEIGHT_MAX)
    measures = pd.concat([net.measures(**options).assign(wave=wave) for wave, net in ds.networks.items()],
                         ignore_index=True)
    out = {"measures": measures, "attribution_declared": "buddy" in ds.spec.networks or
           "via_programme" in ds.spec.networks, "change": None, "ties_missing": tuple(ds.ties_missing)}
    base = ds.spec.baseline
    for wave in later:
        if base in ds.networks and wave in ds.networks:
            before, after = ds.networks[base], ds.networks[wave]
            both = sorted(set(before.egos.ego_id) & set(after.egos.ego_id))
            matches = networks.match_alters(before.alters, after.alters)
            change = networks.compare_waves(before.alters, after.alters, egos=both, matches=matches,
                                            ties_before=before.ties, ties_after=after.ties)
            arm = before.egos.set_index("ego_id")["arm"]
            change = change.assign(arm=change["ego_id"].map(arm), wave_post=wave)
            out["change"] = change if out["change"] is None else pd.concat([out["change"], change], ignore_index=True)
    return out


def _group(ds, seed) -> dict | None:
    from laoyou_eval.networks import whole

    if ds.group is None:
        return None
    out = {"measures": whole.group_measures(ds.group), "persistence": None, "qap": None}
    waves = sorted(ds.group.ties)
    if len(waves) >= 2:
        out["persistence"] = whole.tie_change(ds.group, before=waves[0], after=waves[-1])
        out["qap"] = whole.qap_correlation(ds.group, before=waves[0], after=waves[-1], n_permutations=2000, seed=seed)
    return out


def _process(ds) -> dict | None:
    from laoyou_eval import process

    if not ds.process:
        return None
    out = {}
    readers = {"contacts": process.read_contacts, "attendance": process.read_attendance,
               "volunteers": process.read_volunteers, "training": process.read_training, "jobs": process.read_jobs}
    records = {}
    for kind, table in ds.process.items():
        records[kind] = readers[kind](table, file=f"process/{kind}.csv")
    if "contacts" in records:
        out["contacts_by_pair"] = process.contact_summary(records["contacts"], by="pair",
                                                          volunteers=records.get("volunteers"))
        out["contacts_by_mode"] = process.contact_summary(records["contacts"], by="mode")
    if "attendance" in records:
        out["activities"] = process.activity_summary(records["attendance"], by="activity")
    if "volunteers" in records:
        out["pipeline"] = process.volunteer_pipeline(records["volunteers"])
    if "training" in records:
        out["training"] = process.training_summary(records["training"])
    if "jobs" in records:
        out["jobs"] = process.job_summary(records["jobs"], by=None)
    if "contacts" in records:
        out["dose"] = _dose(ds, records["contacts"])
    out["records"] = records
    return out


def _dose(ds, contacts) -> pd.DataFrame | None:
    """Dose–response of every outcome's change on contact hours, in the programme arm of each
    population whose people the contact log names (:func:`laoyou_eval.outcomes.dose_response`;
    people absent from the log have 0 hours).  None when no such population has two waves."""
    from laoyou_eval import outcomes

    doses = outcomes.process_doses(contacts)
    parts = []
    for population in ds.populations:
        data = ds.scores_of(population, ["programme"])
        if len(ds.waves_of(population)) < 2 or not data.respondent_id.isin(doses.subject).any():
            continue
        for o in ds.outcomes(population):
            change = outcomes.change_scores(data, [o.column], "wave", "respondent_id")
            merged = change.merge(doses, on="subject", how="left").fillna({"contact_hours": 0})
            parts.append(outcomes.dose_response(merged, [f"{o.column}_change"], ["contact_hours"])
                         .assign(population=population))
    return pd.concat(parts, ignore_index=True) if parts else None


def _open_ended(ds) -> dict | None:
    from laoyou_eval import reliability

    if ds.open_ended is None or len(ds.open_ended["codes"]) < 2:
        return None
    coders = sorted(ds.open_ended["codes"])
    a, b = ds.open_ended["codes"][coders[0]], ds.open_ended["codes"][coders[1]]
    agreement = reliability.agreement(a, b)
    agreed = a[a == b.reindex(a.index)].dropna()
    counts = agreed.value_counts().rename_axis("theme_code").rename("n").reset_index()
    themes = ds.open_ended.get("themes")
    if themes is not None and len(themes) and "code" in themes:
        counts = counts.merge(themes.rename(columns={"code": "theme_code"}), on="theme_code", how="left")
    return {"agreement": agreement, "themes": counts, "n_responses": len(ds.open_ended["responses"])}


def _screening(ds, later) -> dict | None:
    """How many submissions each screen flagged and excluded, and every outcome's main result
    with and without the flagged respondents (sensitivity).

    The samples are those of :func:`laoyou_eval.coding.screening.sensitivity` on all scored
    submissions: ``all``, ``without_excluded`` (the main analysis, when the study excludes
    anyone) and ``without_flagged``; a respondent flagged at any wave is removed at every wave.
    The result is the programme arm's paired change (d_z; ``removed`` counts programme
    respondents) and, with a comparison arm, the difference in differences (``did``,
    ``did_p``; ``did_removed`` counts respondents of both arms).
    """
    from laoyou_eval import outcomes
    from laoyou_eval.coding.screening import RULES, sensitivity

    flags = ds.screening
    if flags is None or not len(flags):
        return None
    flags = flags.assign(**{c: flags[c].astype(bool) for c in (*RULES, "flagged", "excluded") if c in flags})
    rules = [r for r in RULES if r in flags]
    counts = pd.DataFrame([{"rule": r, "flagged": int(flags[r].sum()),
                            "excluded": int((flags[r] & flags["excluded"]).sum())} for r in rules])
    out = {"counts": counts, "n_flagged": int(flags["flagged"].sum()), "n_excluded": int(flags["excluded"].sum()),
           "sensitivity": None}
    if not (later and flags["flagged"].any()):
        return out
    scores = ds.scores if ds.scores_all is None else ds.scores_all
    parts = []
    for population in ds.populations:
        columns = [o.column for o in ds.outcomes(population)]
        mine = flags[flags["population"] == population]
        data = scores[(scores.population == population) & scores.arm.isin(list(ds.spec.arms))]
        if not columns or not mine["flagged"].any():  # nobody flagged: both samples are the same
            continue
        for wave in _later_of(ds, population, later):
            two = data[data.wave.isin([ds.spec.baseline, wave])]
            programme = two[two.arm == "programme"]
            if programme[programme.wave == wave].empty:
                continue
            paired = sensitivity(programme, mine, lambda d, c=columns, w=wave: outcomes.paired_table(
                d, c, "wave", "respondent_id", waves=(ds.spec.baseline, w)))
            table = paired[["sample", "removed", "outcome", "n", "d_z", "p"]]
            if ds.spec.has_comparison and two[two.wave == wave].arm.nunique() == 2:
                did = sensitivity(two, mine, lambda d, c=columns: outcomes.did_table(
                    d, c, "arm", "wave", "respondent_id"))
                did = did[["sample", "removed", "outcome", "estimate", "p"]].rename(
                    columns={"estimate": "did", "p": "did_p", "removed": "did_removed"})
                table = table.merge(did, on=["sample", "outcome"], how="left")
            parts.append(table.assign(population=population, wave_post=wave))
    if parts:
        out["sensitivity"] = pd.concat(parts, ignore_index=True)
    return out


def _quality(ds) -> pd.DataFrame:
    q = ds.quality
    if q is None or q.empty:
        return pd.DataFrame(columns=["population", "wave", "issue", "n"])
    return q.groupby(["population", "wave", "issue"]).size().rename("n").reset_index()


def analyse(ds, seed: int = 20240601) -> Results:
    """Run every analysis the study's design calls for (see the module docstring).

    Parameters
    ----------
    ds : laoyou_eval.dataset.Dataset
    seed : int
        Seed of the permutation tests.

    Returns
    -------
    Results
    """
    design = _design(ds)
    later = design["later_waves"]
    arms = list(ds.spec.arms)
    change_counts, change_parameters = _reliable_change(ds, later) if later else (pd.DataFrame(), pd.DataFrame())
    results = Results(design=design, sample=_sample(ds), outcomes=_outcome_table(ds),
                      descriptives=_descriptives(ds, arms), reliability=_reliability(ds),
                      paired=_paired(ds, later) if later else pd.DataFrame(),
                      change_categories=change_counts, change_parameters=change_parameters, quality=_quality(ds))
    if not later:
        results.absent["follow_up"] = ABSENT["follow_up"]
    if ds.spec.has_comparison and later:
        results.balance, results.did, results.ancova = _comparison(ds, later)
    elif not ds.spec.has_comparison:
        results.absent["comparison"] = ABSENT["comparison"]
    results.mixed = _mixed(ds)
    results.hlm = _hlm(ds)
    results.attrition = _attrition(ds, later) if later else None
    results.networks = _networks(ds, later, seed)
    results.group = _group(ds, seed)
    results.process = _process(ds)
    results.open_ended = _open_ended(ds)
    results.screening = _screening(ds, later)
    for component, value in (("ego_networks", results.networks), ("group_network", results.group),
                             ("process", results.process), ("open_ended", results.open_ended)):
        if value is None:
            results.absent[component] = ABSENT[component]
    return results


#: The last :func:`prepared` result of this process: ``(key, (dataset, results))``.
_PREPARED: dict = {}


def _processed_state(folder) -> tuple:
    """(relative path, size, modification time) of every file in the processed folder."""
    from pathlib import Path

    folder = Path(folder)
    return tuple(sorted((str(p.relative_to(folder)), p.stat().st_size, p.stat().st_mtime_ns)
                        for p in folder.rglob("*") if p.is_file()))


def prepared(study_dir, seed: int = 20240601):
    """The study's processed data and their analysis, computed once per process.

    What every notebook of the series starts with: :func:`laoyou_eval.dataset.ensure` (intake
    first when the processed data are missing or stale) and :func:`analyse`.  When the
    notebooks run one after another in one kernel (``laoyou-eval report``), the second and
    later calls return the first call's objects instead of loading and analysing again —
    as long as the processed folder is unchanged (same files, sizes and modification times)
    and the seed is the same.  The returned objects are shared between those calls: read
    them, do not modify them in place.

    Parameters
    ----------
    study_dir : path
        The study folder.
    seed : int
        Seed of the permutation tests.

    Returns
    -------
    (Dataset, Results)
    """
    from laoyou_eval import dataset, intake

    if not intake.is_current(study_dir):
        intake.run(study_dir)
    folder = intake.processed_dir(study_dir)
    key = (str(folder.resolve()), int(seed), _processed_state(folder))
    if key not in _PREPARED:
        _PREPARED.clear()
        ds = dataset.load(study_dir)
        _PREPARED[key] = (ds, analyse(ds, seed=seed))
    return _PREPARED[key]
