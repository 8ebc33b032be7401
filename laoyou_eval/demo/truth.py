"""Expected values of the planted effects, on the scales the analysis reports.

The simulation plants shifts on a latent item-mean scale; rounding and clipping to the
answer options bend them a little.  :func:`expected_effects` therefore runs the *same*
population model on a large population (200,000 per arm, fixed seed) and reports the
expected wave-2 minus wave-1 change of every total and subscale score, so that a notebook
can compare its estimates with the truth.  Network changes follow in closed form from the
model in :mod:`laoyou_eval.demo.networks`.
"""

from __future__ import annotations

import numpy as np

from laoyou_eval.demo import population
from laoyou_eval.demo.networks import EXPECTED_KIN, EXPECTED_NONKIN
from laoyou_eval.demo.design import DemoDesign
from laoyou_eval.demo.questionnaires import (
    CAREGIVER_SCALES, LSNS6, LSNS6_SUBSCALES, MSPSS, MSPSS_SUBSCALES, RESIDENT_SCALES,
    score_total, simulate_items,
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


def _changes(rng, programme: bool, design: DemoDesign):
    """Expected change, baseline mean and SD of every score, and the burden–respite slope."""
    effects = design.effects
    prog = np.full(TRUTH_N, programme)
    dose = population.engagement(rng, prog)
    r1, r2 = population.resident_latents(rng, prog, dose, effects)
    h1, h2 = population.respite_hours(rng, prog, effects)
    c1, c2 = population.caregiver_latents(rng, prog, dose, h1, h2, effects)
    change, baseline, per_person = {}, {}, {}
    for scales, l1, l2 in ((RESIDENT_SCALES, r1, r2), (CAREGIVER_SCALES, c1, c2)):
        i1, i2 = population.item_latents(l1), population.item_latents(l2)
        for scale in scales:
            s1 = score_table(scale, simulate_items(rng, scale, i1[scale.name]))
            s2 = score_table(scale, simulate_items(rng, scale, i2[scale.name]))
            for key in s1:
                per_person[key] = s2[key] - s1[key]
                change[key] = float(np.mean(per_person[key]))
                baseline[key] = {"mean": round(float(np.mean(s1[key])), 3),
                                 "sd": round(float(np.std(s1[key], ddof=1)), 3)}
    change["respite_hours"] = float(np.mean(h2 - h1))
    slope = float(np.polyfit(h2 - h1, per_person["zbi12_bedard_total"], 1)[0])
    return change, baseline, slope


def _network_changes(programme: bool, design: DemoDesign) -> dict[str, float]:
    e = design.effects
    new = (1 + e.new_nonkin_via_programme if programme else 0.0) + e.new_nonkin_organic
    return {
        "nonkin_alters": new - e.p_alter_lost * EXPECTED_NONKIN,
        "kin_alters": -e.p_alter_lost * EXPECTED_KIN,
        "network_size": new - e.p_alter_lost * (EXPECTED_KIN + EXPECTED_NONKIN),
        "buddy_alters": 1.0 if programme else 0.0,
    }


def expected_effects(design: DemoDesign) -> dict:
    """Expected wave-2 minus wave-1 changes per arm, plus the other planted quantities.

    Returns
    -------
    dict
        ``{"score_change": {arm: {score: value}}, "baseline": {arm: {score: {mean, sd}}},
        "network_change": {...}, "parents_group": {...}, "open_ended": {...},
        "latent_shifts": {...}, "dose_response": {...}}``.
    """
    rng = np.random.default_rng(TRUTH_SEED)
    e = design.effects
    k = 7  # number of themes
    a, b = e.coder_a_accuracy, e.coder_b_accuracy
    by_arm = {arm: _changes(rng, arm == "programme", design) for arm in population.ARMS}
    return {
        "score_change": {arm: _rounded(by_arm[arm][0]) for arm in population.ARMS},
        "baseline": {arm: by_arm[arm][1] for arm in population.ARMS},
        "network_change": {arm: _rounded(_network_changes(arm == "programme", design))
                           for arm in population.ARMS},
        "parents_group": {"density_w1": e.parents_density_w1, "density_w2": e.parents_density_w2},
        "open_ended": {"expected_percent_agreement": round(a * b + (1 - a) * (1 - b) / (k - 1), 4)},
        "latent_shifts": {
            name: {"programme": value[0], "comparison": value[1]}
            for name, value in vars(e).items() if isinstance(value, tuple)
        },
        "dose_response": {
            "note": "programme shifts are multiplied by engagement (gamma, shape 4, mean 1), "
                    "which also scales buddy contacts (Poisson 26 × engagement over ~6 months) "
                    "and activity attendance",
            "zbi12_bedard_total_per_respite_hour": {arm: round(by_arm[arm][2], 3) for arm in population.ARMS},
            "zbi12_latent_per_respite_hour_total_points": e.zbi12_per_respite_hour * 12,
        },
    }


SAMPLE_DRAWS = 100_000  # simulated persons in all; replications per person = draws / sample size


def sample_expected(programme, dose, respite_w1, respite_w2, completers, design: DemoDesign) -> dict:
    """Expected score changes *for the people in this sample*, completers only.

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

    Returns
    -------
    dict
        ``{arm: {score: expected change}}``.
    """
    rng = np.random.default_rng(TRUTH_SEED + 1)
    n = len(programme)
    reps = max(10, min(2000, SAMPLE_DRAWS // n))
    prog, eng = np.tile(programme, reps), np.tile(dose, reps)
    h1, h2 = np.tile(respite_w1, reps), np.tile(respite_w2, reps)
    effects = design.effects
    r1, r2 = population.resident_latents(rng, prog, eng, effects)
    c1, c2 = population.caregiver_latents(rng, prog, eng, h1, h2, effects)
    per_person = {}
    for scales, l1, l2, who in ((RESIDENT_SCALES, r1, r2, "residents"), (CAREGIVER_SCALES, c1, c2, "caregivers")):
        i1, i2 = population.item_latents(l1), population.item_latents(l2)
        for scale in scales:
            s1 = score_table(scale, simulate_items(rng, scale, i1[scale.name]))
            s2 = score_table(scale, simulate_items(rng, scale, i2[scale.name]))
            for key in s1:
                per_person[key] = ((s2[key] - s1[key]).reshape(reps, n).mean(axis=0), who)
    out = {}
    for arm, in_arm in (("programme", programme), ("comparison", ~programme)):
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
            for arm, in_arm in (("programme", programme), ("comparison", ~programme))}


def _rounded(d: dict) -> dict:
    return {k: round(v, 3) for k, v in d.items()}
