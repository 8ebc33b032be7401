"""Design and planted effects of the synthetic demo study.

The defaults follow the real programme: 15 matched resident–volunteer
pairs, a waitlist comparison group of 30, one caregiver per resident, an 11-member parents'
group, 28 trained volunteers (15 serving, 13 in reserve), 105 long-term home-bound residents
among 1,367 registered.  :meth:`DemoDesign.scaled` multiplies the study size for benchmarks.

Effects are planted on a latent item-mean scale (see
:mod:`laoyou_eval.demo.questionnaires`); their expected values on the *score* scale are
computed by :func:`laoyou_eval.demo.truth.expected_effects` and written to ``truth.json``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace

from laoyou_eval.errors import LaoyouError
from datetime import date, timedelta


@dataclass(frozen=True)
class PlantedEffects:
    """Latent wave-2 minus wave-1 shifts, per arm, in item units of each scale's coding.

    Programme-arm shifts are multiplied by each resident's engagement (mean 1), which is also
    what drives buddy contact hours and activity attendance: that is the planted dose–response.
    """

    ucla3: tuple[float, float] = (-0.45, 0.05)
    lsns6_family: tuple[float, float] = (0.10, 0.0)
    lsns6_friends: tuple[float, float] = (0.90, 0.0)
    mspss_significant_other: tuple[float, float] = (0.40, 0.05)
    mspss_family: tuple[float, float] = (0.10, 0.05)
    mspss_friends: tuple[float, float] = (0.90, 0.05)
    zbi12: tuple[float, float] = (-0.20, 0.05)
    zbi12_per_respite_hour: float = -0.05
    pss10: tuple[float, float] = (-0.25, 0.03)
    k6: tuple[float, float] = (-0.20, 0.0)
    who5: tuple[float, float] = (0.45, 0.0)
    respite_hours_gain: tuple[float, float] = (3.5, 0.2)
    within_person_sd: float = 0.2
    # ego networks
    p_alter_lost: float = 0.12
    new_nonkin_via_programme: float = 1.3
    new_nonkin_organic: float = 0.3
    # parents' group (tie probabilities, see demo.networks)
    parents_density_w1: float = 0.25
    parents_density_w2: float = 0.55
    # open-ended coding
    coder_a_accuracy: float = 0.90
    coder_b_accuracy: float = 0.85

    def arm(self, name: str, programme: bool) -> float:
        """Shift of scale/subscale ``name`` for the programme (True) or comparison arm."""
        pair = getattr(self, name)
        return pair[0] if programme else pair[1]


@dataclass(frozen=True)
class DemoDesign:
    """Sizes, dates and rates of the demo study."""

    n_programme: int = 15
    n_comparison: int = 30
    n_homebound: int = 105
    n_registered: int = 1367
    n_volunteers_reserve: int = 13
    n_parents_group: int = 11
    baseline: date = date(2024, 3, 9)
    survey_window_days: int = 21
    follow_up: date = date(2024, 9, 14)
    attrition_programme: float = 0.08
    attrition_comparison: float = 0.15
    effects: PlantedEffects = field(default_factory=PlantedEffects)

    @property
    def n_residents(self) -> int:
        return self.n_programme + self.n_comparison

    @property
    def programme_start(self) -> date:
        """Activities and buddy contacts start once the baseline survey is closed."""
        return self.baseline + timedelta(days=self.survey_window_days)

    @property
    def n_volunteers_trained(self) -> int:
        return self.n_programme + self.n_volunteers_reserve

    def scaled(self, factor: float) -> "DemoDesign":
        """The same study with ``factor`` times as many residents (and volunteers, roster)."""
        if not factor > 0:
            raise LaoyouError(f"规模系数必须为正数，收到 {factor}。", f"The scale must be positive, got {factor}.")
        return replace(
            self,
            n_programme=max(1, round(self.n_programme * factor)),
            n_comparison=max(1, round(self.n_comparison * factor)),
            n_homebound=max(1, round(self.n_homebound * factor)),
            n_registered=max(1, round(self.n_registered * factor)),
            n_volunteers_reserve=round(self.n_volunteers_reserve * factor),
        )

    def as_dict(self) -> dict:
        d = asdict(self)
        d["baseline"] = self.baseline.isoformat()
        d["follow_up"] = self.follow_up.isoformat()
        return d
