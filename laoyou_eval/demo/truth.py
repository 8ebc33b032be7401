"""Expected values of the planted effects, on the scales the analysis reports.

The simulation plants shifts on a latent item-mean scale; rounding and clipping to the
answer options bend them a little.  :func:`expected_effects` therefore runs the *same*
population model on a large population (200,000 per arm, fixed seed) and reports the
expected wave-2 minus wave-1 change of every total and subscale score, so that a notebook
can compare its estimates with the truth.  Network changes follow in closed form from the
model in :mod:`laoyou_eval.demo.networks`.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from laoyou_eval.demo import population
from laoyou_eval.demo.design import DemoDesign, StudyShape
from laoyou_eval.demo.networks import EXPECTED_KIN, EXPECTED_NONKIN
from laoyou_eval.demo.questionnaires import (
    LSNS6,
    LSNS6_SUBSCALES,
    MSPSS,
    MSPSS_SUBSCALES,
    scale_for,
    score_total,
    simulate_items,
)

TRUTH_SEED = 1_000_003
TRUTH_N = 200_000


def score_table(scale, items: np.ndarray) -> dict[str, np.ndarray]:
    """Scores used in the demo truth: totals (MSPSS as the mean of items, Zimet's scoring)
    and the LSNS-6 / MSPSS subscales."""
    scores = {}
    if scale.name == MSPSS.name:
        scores["mspss_mean"] = items.mean(axis=1)
        for sub, idx in MSPSS_SUBSCALES.items():
            scores[f"mspss_{sub}_mean"] = items[:, [i - 1 for i in idx]].mean(axis=1)
        return scores
    scores[f"{scale.name}_total"] = score_total(scale, items)
    if scale.name == LSNS6.name:
        for sub, idx in LSNS6_SUBSCALES.items():
            scores[f"lsns6_{sub}"] = items[:, [i - 1 for i in idx]].sum(axis=1)
    return scores


def _wave_scores(rng, shape: StudyShape, latents: dict) -> dict:
    """Simulated scores of every instrument of ``shape`` at every wave:
    ``{score: ([array per wave], population)}``, residents' instruments first."""
    out = {}
    for who in shape.populations:
        instruments = getattr(shape, who)
        per_wave = [population.item_latents(wave, instruments) for wave in latents[who]]
        for name in instruments:
            scale = scale_for(name)
            tables = [score_table(scale, simulate_items(rng, scale, wave[name])) for wave in per_wave]
            for key in tables[0]:
                out[key] = ([t[key] for t in tables], who)
    return out


def _population_latents(rng, shape: StudyShape, prog, dose, effects, respite) -> dict:
    factors = shape.wave_factors
    return {"residents": population.wave_latents(rng, shape.residents, prog, dose, effects, factors=factors,
                                                 other_effect=shape.other_effect),
            "caregivers": population.wave_latents(rng, shape.caregivers, prog, dose, effects, factors=factors,
                                                  respite=respite, other_effect=shape.other_effect)}


def _changes(rng, programme: bool, design: DemoDesign, shape: StudyShape):
    """Expected change (wave 2 and every later wave minus wave 1), baseline mean and SD of
    every score, and the burden–respite slope (None without ZBI-12 or a second wave)."""
    effects = design.effects
    prog = np.full(TRUTH_N, programme)
    dose = population.engagement(rng, prog)
    factors = shape.wave_factors
    residents = population.wave_latents(rng, shape.residents, prog, dose, effects, factors=factors,
                                        other_effect=shape.other_effect)
    hours = population.respite_hours(rng, prog, effects, factors)
    caregivers = population.wave_latents(rng, shape.caregivers, prog, dose, effects, factors=factors,
                                         respite=hours, other_effect=shape.other_effect)
    scores = _wave_scores(rng, shape, {"residents": residents, "caregivers": caregivers})
    by_wave = {k: {} for k in range(2, len(factors) + 1)}
    baseline = {}
    for key, (waves, _) in scores.items():
        baseline[key] = {"mean": round(float(np.mean(waves[0])), 3), "sd": round(float(np.std(waves[0], ddof=1)), 3)}
        for k, changes in by_wave.items():
            changes[key] = float(np.mean(waves[k - 1] - waves[0]))
    for k, changes in by_wave.items():
        if shape.caregivers and shape.programme_questions:
            changes["respite_hours"] = float(np.mean(hours[k - 1] - hours[0]))
    slope = None
    if "zbi12_bedard_total" in scores and len(factors) > 1:
        waves = scores["zbi12_bedard_total"][0]
        slope = float(np.polyfit(hours[1] - hours[0], waves[1] - waves[0], 1)[0])
    return by_wave, baseline, slope


def _network_changes(programme: bool, design: DemoDesign) -> dict[str, float]:
    e = design.effects
    new = (1 + e.new_nonkin_via_programme if programme else 0.0) + e.new_nonkin_organic
    return {
        "nonkin_alters": new - e.p_alter_lost * EXPECTED_NONKIN,
        "kin_alters": -e.p_alter_lost * EXPECTED_KIN,
        "network_size": new - e.p_alter_lost * (EXPECTED_KIN + EXPECTED_NONKIN),
        "buddy_alters": 1.0 if programme else 0.0,
    }


def expected_effects(design: DemoDesign, shape: StudyShape | None = None) -> dict:
    """Expected changes from wave 1 per arm, plus the other planted quantities.

    Parameters
    ----------
    design : DemoDesign
    shape : StudyShape, optional
        Instruments, arms, waves and components; default the demo's.  Only the quantities
        the shape holds are returned (no network change without ego networks, …).

    Returns
    -------
    dict
        ``{"score_change": {arm: {score: value}}`` (wave 2 − wave 1), ``"baseline": {arm:
        {score: {mean, sd}}}``, ``"network_change"``, ``"parents_group"``, ``"open_ended"``,
        ``"latent_shifts"``, ``"dose_response"``; with three or more waves also
        ``"score_change_by_wave": {wave: {arm: {score: value}}}`` (wave − wave 1).
    """
    shape = shape or StudyShape()
    rng = np.random.default_rng(TRUTH_SEED)
    e = design.effects
    k = 7  # number of themes
    a, b = e.coder_a_accuracy, e.coder_b_accuracy
    computed = {arm: _changes(rng, arm == "programme", design, shape) for arm in population.ARMS}
    arms = shape.arms
    out = {"baseline": {arm: computed[arm][1] for arm in arms},
           "latent_shifts": {name: {"programme": value[0], "comparison": value[1]}
                             for name, value in vars(e).items() if isinstance(value, tuple)}}
    if len(shape.waves) > 1:
        out["score_change"] = {arm: _rounded(computed[arm][0][2]) for arm in arms}
    if len(shape.waves) > 2:
        out["score_change_by_wave"] = {str(w): {arm: _rounded(computed[arm][0][w]) for arm in arms}
                                       for w in range(2, len(shape.waves) + 1)}
    if shape.ego_networks and len(shape.waves) > 1:
        out["network_change"] = {arm: _rounded(_network_changes(arm == "programme", design)) for arm in arms}
    if shape.group_network:
        out["parents_group"] = {"density_w1": e.parents_density_w1, "density_w2": e.parents_density_w2}
    if shape.open_ended:
        out["open_ended"] = {"expected_percent_agreement": round(a * b + (1 - a) * (1 - b) / (k - 1), 4)}
    if len(shape.waves) > 1:
        out["dose_response"] = {
            "note": "programme shifts are multiplied by engagement (gamma, shape 4, mean 1), "
                    "which also scales buddy contacts (Poisson 26 × engagement over ~6 months) "
                    "and activity attendance"}
        if computed["programme"][2] is not None:
            out["dose_response"].update({
                "zbi12_bedard_total_per_respite_hour": {arm: round(computed[arm][2], 3) for arm in arms},
                "zbi12_latent_per_respite_hour_total_points": e.zbi12_per_respite_hour * 12})
    return out


SAMPLE_DRAWS = 100_000  # simulated persons in all; replications per person = draws / sample size


def sample_expected(programme, dose, respite_w1, respite_w2, completers, design: DemoDesign,
                    shape: StudyShape | None = None) -> dict:
    """Expected wave-2 score changes *for the people in this sample*, completers only.

    The population values of :func:`expected_effects` average over everybody's engagement;
    a sample of 15 whose buddies met them less often than average is expected to change
    less.  The paired and difference-in-differences estimates target the change of the people
    analysed, so the demo's "truth" for them holds each person's engagement and respite hours
    fixed and averages draws of everything else (baseline level, item noise) over the
    completers of each arm: ``SAMPLE_DRAWS / n`` replications per person (between 10 and
    2,000), enough for three decimals at the demo's size.

    Parameters
    ----------
    programme, dose, respite_w1, respite_w2, completers : ndarray
        Per resident/family: arm, engagement, weekly respite hours at both waves, and whether
        the resident (for resident scores) or caregiver (for caregiver scores) answered at both
        waves — ``completers`` is a dict ``{"residents": mask, "caregivers": mask}``.
    shape : StudyShape, optional
        Instruments, arms and the share of the planted shift at wave 2; default the demo's.

    Returns
    -------
    dict
        ``{arm: {score: expected change}}`` for the arms of ``shape``.
    """
    shape = shape or StudyShape()
    two_waves = replace(shape, waves=shape.waves[:2], wave_effects=shape.wave_factors[:2])
    rng = np.random.default_rng(TRUTH_SEED + 1)
    n = len(programme)
    reps = max(10, min(2000, SAMPLE_DRAWS // n))
    prog, eng = np.tile(programme, reps), np.tile(dose, reps)
    hours = [np.tile(respite_w1, reps), np.tile(respite_w2, reps)]
    latents = _population_latents(rng, two_waves, prog, eng, design.effects, hours)
    per_person = {key: ((waves[1] - waves[0]).reshape(reps, n).mean(axis=0), who)
                  for key, (waves, who) in _wave_scores(rng, two_waves, latents).items()}
    out = {}
    for arm, in_arm in (("programme", programme), ("comparison", ~programme)):
        if arm in shape.arms:
            out[arm] = {key: round(float(change[in_arm & completers[who]].mean()), 3)
                        for key, (change, who) in per_person.items()}
    return out


def sample_network_expected(programme, dose, kin_w1, nonkin_w1, completers, design: DemoDesign) -> dict:
    """Expected ego-network changes for the people in this sample (completers), in closed form.

    Given each resident's engagement and wave-1 network, the model of
    :mod:`laoyou_eval.demo.networks` gives ``E[Δ kin] = −p_lost · kin₁`` and
    ``E[Δ non-kin] = new − p_lost · non-kin₁`` with ``new = 1 + λ_programme · engagement + λ_organic``
    for programme residents (buddy, programme-met and other new alters) and ``λ_organic``
    otherwise (the cap of 10 alters, reached by almost nobody, is ignored).

    Returns
    -------
    dict
        ``{arm: {"nonkin_alters", "kin_alters", "network_size", "buddy_alters"}}``.
    """
    e = design.effects
    new = np.where(programme, 1 + e.new_nonkin_via_programme * dose, 0.0) + e.new_nonkin_organic
    change = {"nonkin_alters": new - e.p_alter_lost * nonkin_w1, "kin_alters": -e.p_alter_lost * kin_w1,
              "buddy_alters": np.where(programme, 1.0, 0.0)}
    change["network_size"] = change["nonkin_alters"] + change["kin_alters"]
    return {arm: {key: round(float(value[in_arm & completers].mean()), 3) for key, value in change.items()}
            for arm, in_arm in (("programme", programme), ("comparison", ~programme)) if in_arm.any()}


def _rounded(d: dict) -> dict:
    return {k: round(v, 3) for k, v in d.items()}
