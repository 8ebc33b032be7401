"""Residents, caregivers and their latent scale levels at both waves.

Every function takes an explicit ``numpy.random.Generator`` so the same seed gives the
same study.  The latent model is shared with :mod:`laoyou_eval.demo.truth`, which runs it on
a large population to turn the planted latent shifts into expected score changes.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from laoyou_eval.demo import people
from laoyou_eval.demo.design import DemoDesign, PlantedEffects
from laoyou_eval.demo.questionnaires import (
    K6,
    LSNS6,
    LSNS6_SUBSCALES,
    MSPSS,
    MSPSS_SUBSCALES,
    PSS10,
    UCLA3,
    WHO5,
    ZBI12,
)

DISABILITY_TYPES = ("肢体", "智力", "精神", "视力", "听力", "言语", "多重")
DISABILITY_WEIGHTS = (0.30, 0.25, 0.18, 0.07, 0.07, 0.03, 0.10)
DISABILITY_LEVELS = ("一级", "二级", "三级", "四级")
#: Fictional community names (not the real communities of 青云街道).
COMMUNITIES = ("青云社区", "云波社区", "翠柳社区", "金星社区")
CAREGIVER_RELATIONS = ("母亲", "父亲", "祖母", "祖父", "兄弟姐妹")
CAREGIVER_RELATION_WEIGHTS = (0.58, 0.24, 0.08, 0.04, 0.06)
ARMS = ("programme", "comparison")

#: Baseline latent item means (mean, sd) in each scale's own coding.
BASELINE = {
    "ucla3": (2.0, 0.5),
    "lsns6_family": (2.2, 0.8),
    "lsns6_friends": (0.9, 0.7),
    "mspss_significant_other": (4.2, 1.0),
    "mspss_family": (4.9, 1.0),
    "mspss_friends": (3.1, 1.0),
    "zbi12": (1.9, 0.6),
    "pss10": (2.1, 0.55),
    "k6": (1.4, 0.7),
    "who5": (2.3, 0.9),
}
#: Subscales of one instrument share a person-level factor: the correlation between two of
#: its subscale latents at baseline (so the total score is internally consistent, as
#: published reliabilities imply).
SUBSCALE_CORRELATION = {"lsns6": 0.5, "mspss": 0.6}
RESPITE_BASELINE = (2.0, 0.8)  # gamma shape, scale: mean 1.6 hours per week


def _ids(prefix: str, n: int) -> list[str]:
    width = max(3, len(str(n)))
    return [f"{prefix}{i:0{width}d}" for i in range(1, n + 1)]


def _birth_dates(rng: np.random.Generator, ages, on: date) -> list[date]:
    offsets = rng.integers(0, 365, size=len(ages))
    return [on - timedelta(days=int(a) * 365 + int(o)) for a, o in zip(ages, offsets)]


def residents(rng: np.random.Generator, design: DemoDesign) -> pd.DataFrame:
    """The roster of long-term home-bound residents, with their study arm and caregiver.

    The first ``n_programme`` residents are in the programme arm, the next ``n_comparison``
    on the waitlist (comparison arm); the rest of the ``n_homebound`` are not enrolled.
    """
    n = max(design.n_homebound, design.n_residents)
    arm = np.array(
        ["programme"] * design.n_programme
        + ["comparison"] * design.n_comparison
        + ["not_enrolled"] * (n - design.n_residents)
    )
    sex = rng.choice(["男", "女"], size=n, p=[0.56, 0.44])
    age = np.where(rng.random(n) < 0.85, rng.integers(16, 36, size=n), rng.integers(36, 46, size=n))
    births = _birth_dates(rng, age, design.baseline)
    disability = rng.choice(DISABILITY_TYPES, size=n, p=DISABILITY_WEIGHTS)
    roster = pd.DataFrame(
        {
            "resident_id": _ids("R", n),
            "arm": arm,
            "name": people.names(rng, sex),
            "sex": sex,
            "birth_date": [d.isoformat() for d in births],
            "id_number": people.id_numbers(rng, births, sex),
            "phone": people.phones(rng, n),
            "address": people.addresses(rng, n),
            "disability_type": disability,
            "disability_level": rng.choice(DISABILITY_LEVELS, size=n, p=[0.2, 0.35, 0.3, 0.15]),
            "community": rng.choice(COMMUNITIES, size=n),
        }
    )
    relation = rng.choice(CAREGIVER_RELATIONS, size=n, p=CAREGIVER_RELATION_WEIGHTS)
    # grandparents care only for younger residents; a sibling only for adult residents
    relation = np.where(np.isin(relation, ["祖母", "祖父"]) & (age >= 26), "母亲", relation)
    relation = np.where((relation == "兄弟姐妹") & (age < 20), "父亲", relation)
    cg_sex = np.where(np.isin(relation, ["母亲", "祖母"]), "女",
                      np.where(np.isin(relation, ["父亲", "祖父"]), "男", rng.choice(["男", "女"], size=n)))
    generation_gap = np.select([np.isin(relation, ["祖母", "祖父"]), relation == "兄弟姐妹"],
                               [rng.integers(45, 56, size=n), rng.integers(-6, 7, size=n)],
                               rng.integers(22, 36, size=n))
    cg_age = np.clip(age + generation_gap, 18, None)
    cg_births = _birth_dates(rng, cg_age, design.baseline)
    # fathers, paternal grandfathers and siblings share the resident's family name
    same_family = np.isin(relation, ["父亲", "祖父", "兄弟姐妹"])
    roster["caregiver_id"] = _ids("C", n)
    roster["caregiver_name"] = people.names(
        rng, cg_sex, [name[0] if same else None for name, same in zip(roster["name"], same_family)])
    roster["caregiver_relation"] = relation
    roster["caregiver_sex"] = cg_sex
    roster["caregiver_birth_date"] = [d.isoformat() for d in cg_births]
    roster["caregiver_id_number"] = people.id_numbers(rng, cg_births, cg_sex)
    roster["caregiver_phone"] = people.phones(rng, n)
    return roster


def engagement(rng: np.random.Generator, programme: np.ndarray) -> np.ndarray:
    """Programme engagement (mean 1, gamma shape 4) for programme residents, 0 otherwise."""
    return np.where(programme, rng.gamma(4.0, 0.25, size=programme.shape[0]), 0.0)


#: Latent quantities of each instrument: one per subscale where subscales get their own
#: planted effects, otherwise one named like the instrument (ZBI-12's is "zbi12").
LATENTS = {"lsns6": tuple(f"lsns6_{s}" for s in LSNS6_SUBSCALES),
           "mspss": tuple(f"mspss_{s}" for s in MSPSS_SUBSCALES),
           "zbi12_bedard": ("zbi12",)}
#: Baseline of an instrument without its own entry in :data:`BASELINE`: latent item mean at
#: this share of the item range from the "better" end, SD this share of the range.
OTHER_BASELINE = (0.4, 0.18)
TWO_WAVES = (0.0, 1.0)


def latent_names(instrument: str) -> tuple[str, ...]:
    """Latent quantities simulated for ``instrument`` (see :data:`LATENTS`)."""
    return LATENTS.get(instrument, (instrument,))


def _range_and_direction(name: str):
    from laoyou_eval import instruments
    from laoyou_eval.demo.questionnaires import scale_for

    scale = scale_for(name)
    return scale.low, scale.high, instruments.get(name).higher_is


def _baseline(name: str) -> tuple[float, float]:
    if name in BASELINE:
        return BASELINE[name]
    low, high, higher_is = _range_and_direction(name)
    share, sd = OTHER_BASELINE
    mean = high - share * (high - low) if higher_is == "better" else low + share * (high - low)
    return mean, sd * (high - low)


def _planted(name: str, effects: PlantedEffects, other_effect) -> tuple[float, float]:
    """(programme, comparison) latent shift of ``name``, in item units."""
    if isinstance(getattr(effects, name, None), tuple):
        return effects.arm(name, True), effects.arm(name, False)
    low, high, higher_is = _range_and_direction(name)
    sign = 1.0 if higher_is == "better" else -1.0
    return tuple(sign * share * (high - low) for share in other_effect)


def _scale_latents(rng, names, programme, dose, effects: PlantedEffects, extra=None, factors=TWO_WAVES,
                   other_effect=(0.0, 0.0)):
    """Latent item means per wave: ``base + factor_k · shift + extra_k + noise`` (wave 1: ``base``)."""
    n = programme.shape[0]
    shared = {instrument: rng.standard_normal(n) for instrument in SUBSCALE_CORRELATION}
    waves = [{} for _ in factors]
    for name in names:
        mean, sd = _baseline(name)
        instrument = name.split("_")[0]
        if instrument in shared:
            rho = SUBSCALE_CORRELATION[instrument]
            z = np.sqrt(rho) * shared[instrument] + np.sqrt(1 - rho) * rng.standard_normal(n)
        else:
            z = rng.standard_normal(n)
        base = mean + sd * z
        on, off = _planted(name, effects, other_effect)
        shift = np.where(programme, on * dose, off)
        waves[0][name] = base
        for k, factor in enumerate(factors[1:], start=1):
            wave_shift = factor * shift
            if extra is not None and name in extra:
                wave_shift = wave_shift + extra[name][k]
            waves[k][name] = base + wave_shift + rng.normal(0.0, effects.within_person_sd, size=n)
    return waves


RESIDENT_LATENTS = ("ucla3", "lsns6_family", "lsns6_friends",
                    "mspss_significant_other", "mspss_family", "mspss_friends")
CAREGIVER_LATENTS = ("zbi12", "pss10", "k6", "who5")


def resident_latents(rng, programme, dose, effects):
    """Latent item means of the demo residents' scales at waves 1 and 2 (dicts of arrays)."""
    return _scale_latents(rng, RESIDENT_LATENTS, programme, dose, effects)


def respite_hours(rng, programme, effects: PlantedEffects, factors=TWO_WAVES):
    """Weekly respite hours at each wave; programme families gain respite time.

    The gain (gamma for programme families, near zero otherwise) is reached in the share
    ``factors[k]`` at wave ``k``; hours are rounded to half hours.
    """
    n = programme.shape[0]
    w1 = rng.gamma(*RESPITE_BASELINE, size=n)
    gain = np.where(programme, rng.gamma(3.0, effects.respite_hours_gain[0] / 3.0, size=n),
                    rng.normal(effects.respite_hours_gain[1], 0.5, size=n))
    later = [np.clip(w1 + factor * gain, 0.0, None) for factor in factors[1:]]
    return [np.round(w * 2) / 2 for w in [w1, *later]]


def caregiver_latents(rng, programme, dose, respite_w1, respite_w2, effects):
    """Latent item means of the demo caregivers' scales; burden falls more with more respite."""
    return wave_latents(rng, ("zbi12_bedard", "pss10", "k6", "who5"), programme, dose, effects,
                        respite=[respite_w1, respite_w2])


def wave_latents(rng, instruments, programme, dose, effects: PlantedEffects, *, factors=TWO_WAVES,
                 respite=None, other_effect=(0.0, 0.0)) -> list[dict]:
    """Latent item means of ``instruments`` at every wave (one dict of arrays per wave).

    Parameters
    ----------
    instruments : sequence of str
        Built-in instrument keys; their latents are :func:`latent_names`.
    factors : sequence of float
        Share of the planted shift at each wave (first 0).
    respite : list of ndarray, optional
        Weekly respite hours per wave: the ZBI-12 latent moves by
        ``zbi12_per_respite_hour × (hours_k − hours_1)`` in addition.
    other_effect : (float, float)
        Shift of instruments without a :class:`PlantedEffects` entry, as a share of the item
        range (programme, comparison), toward the better end.
    """
    names = [latent for instrument in instruments for latent in latent_names(instrument)]
    extra = None
    if respite is not None and "zbi12" in names:
        extra = {"zbi12": [effects.zbi12_per_respite_hour * (h - respite[0]) for h in respite]}
    return _scale_latents(rng, names, programme, dose, effects, extra, factors, other_effect)


def _per_item(latent_by_subscale: dict, subscales: dict, n_items: int) -> np.ndarray:
    n = next(iter(latent_by_subscale.values())).shape[0]
    out = np.empty((n, n_items))
    for sub, items in subscales.items():
        for i in items:
            out[:, i - 1] = latent_by_subscale[sub]
    return out


SUBSCALE_ITEMS = {"lsns6": LSNS6_SUBSCALES, "mspss": MSPSS_SUBSCALES}


def item_latents(latents: dict, instruments=None) -> dict:
    """Per-instrument latent arrays ready for :func:`questionnaires.simulate_items`.

    ``instruments`` defaults to every demo instrument whose latents are in ``latents``.
    """
    from laoyou_eval.demo.questionnaires import scale_for

    if instruments is None:
        instruments = [s.name for s in (UCLA3, LSNS6, MSPSS, ZBI12, PSS10, K6, WHO5)
                       if all(name in latents for name in latent_names(s.name))]
    out = {}
    for instrument in instruments:
        if instrument in SUBSCALE_ITEMS:
            subscales = SUBSCALE_ITEMS[instrument]
            out[instrument] = _per_item({s: latents[f"{instrument}_{s}"] for s in subscales}, subscales,
                                        scale_for(instrument).n_items)
        else:
            out[instrument] = latents[latent_names(instrument)[0]]
    return out


def attrition(rng, risk: np.ndarray, arm: np.ndarray, design: DemoDesign) -> np.ndarray:
    """Boolean mask of residents lost at wave 2.

    A fixed share per arm drops out (``attrition_programme``, ``attrition_comparison``),
    chosen with probability proportional to ``exp(risk)``: lonelier residents drop out more
    often, so the data are missing at random given baseline loneliness, not completely at
    random.
    """
    lost = np.zeros(arm.shape[0], dtype=bool)
    for name, rate in (("programme", design.attrition_programme),
                       ("comparison", design.attrition_comparison)):
        idx = np.flatnonzero(arm == name)
        k = int(round(rate * idx.size))
        if k:
            w = np.exp(risk[idx] - risk[idx].max())
            lost[rng.choice(idx, size=k, replace=False, p=w / w.sum())] = True
    return lost
