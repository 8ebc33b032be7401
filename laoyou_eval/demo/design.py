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
from datetime import date, timedelta

from laoyou_eval.errors import LaoyouError


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

    def scaled(self, factor: float) -> DemoDesign:
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


POPULATIONS = ("residents", "caregivers")
#: Process-record kinds a synthetic study can hold (study.yaml ``files`` kinds).
PROCESS_KINDS = ("volunteers", "training", "contacts", "attendance", "jobs")


@dataclass(frozen=True)
class Wave:
    """One survey wave: its label (``"前测 pre-test"``) and the day the survey opens."""

    label: str
    date: date


@dataclass(frozen=True)
class StudyShape:
    """What a synthetic study holds: instruments, populations, components, arms, waves, facts.

    The defaults describe the demo study's content; the "demo" preset adds
    ``legacy_metadata=True``.

    The generator (:func:`laoyou_eval.demo.generate`) simulates one population model and
    writes only what the shape asks for, with a ``study.yaml`` that declares exactly that.
    Named presets are in :data:`laoyou_eval.demo.presets.PRESETS`.

    Attributes
    ----------
    name : str
        Preset or custom name (recorded in ``truth.json``).
    title : str
        ``study`` title written to study.yaml.
    residents, caregivers : tuple of str
        Built-in instruments (:func:`laoyou_eval.instruments.available`) asked of each
        population; an empty tuple means the population is not surveyed.
    comparison : bool
        Programme + comparison arm (True) or a single-group design (False).
    waves : tuple of Wave
        One or more waves in time order.  Ego networks and group ties are collected at the
        first two waves, open-ended answers are coded at wave 2.
    wave_effects : tuple of float
        Share of the planted shift reached at each wave (first entry 0); empty = 0 at
        wave 1 and 1 at every later wave.
    ego_networks, group_network, open_ended : bool
        Components written (group network: the caregivers' mutual-aid group).
    process : tuple of str
        Process-record kinds written, from :data:`PROCESS_KINDS`.
    programme_questions : bool
        Whether the questionnaires carry the programme-specific questions (jobs,
        activities, buddy meetings; caregivers' respite hours, group, support needs).
    code_export : bool
        Whether the caregivers' wave-1 survey is also exported in 问卷星's code layout.
    context : tuple of (key, value)
        Programme facts for study.yaml's ``context`` (site, host, activities, partners …).
    context_counts : bool
        Add ``registered`` and ``homebound`` (from the design's sizes) to ``context``.
    other_effect : tuple of float
        Planted latent shift (programme, comparison) for instruments without their own entry in
        :class:`PlantedEffects`, as a share of the item range, in the improving direction.
    screening_cases : bool
        Plant response-quality cases for :mod:`laoyou_eval.coding.screening` (a staff test
        submission, a speeder, a straight-liner, a resubmission with a mistyped identifier, a
        contradiction; :mod:`laoyou_eval.demo.careless`), documented in ``truth.json`` under
        ``mess.screening``, with study.yaml declaring the test submission.
    legacy_metadata : bool
        Write the folder's metadata as the original demo did: its file names and encodings,
        study.yaml without populations/outcomes/networks keys, truth.json without the shape.
        Only the "demo" preset sets it; it keeps the committed demo byte-identical.
    design : DemoDesign
        Sizes, rates and planted effects (its dates are replaced by the waves' dates).
    """

    name: str = "custom"
    title: str = "社区老友支持计划（演示数据）/ Community Buddy programme (synthetic demo)"
    residents: tuple[str, ...] = ("ucla3", "lsns6", "mspss")
    caregivers: tuple[str, ...] = ("zbi12_bedard", "pss10", "k6", "who5")
    comparison: bool = True
    waves: tuple[Wave, ...] = (Wave("基线 baseline", date(2024, 3, 9)), Wave("6个月 6 months", date(2024, 9, 14)))
    wave_effects: tuple[float, ...] = ()
    ego_networks: bool = True
    group_network: bool = True
    process: tuple[str, ...] = PROCESS_KINDS
    open_ended: bool = True
    programme_questions: bool = True
    code_export: bool = True
    context: tuple[tuple[str, object], ...] = ()
    context_counts: bool = True
    other_effect: tuple[float, float] = (0.12, 0.01)
    screening_cases: bool = False
    legacy_metadata: bool = False
    design: DemoDesign = field(default_factory=DemoDesign)

    @property
    def populations(self) -> tuple[str, ...]:
        """Surveyed populations, in the order residents, caregivers."""
        return tuple(p for p in POPULATIONS if getattr(self, p))

    @property
    def arms(self) -> tuple[str, ...]:
        return ("programme", "comparison") if self.comparison else ("programme",)

    @property
    def wave_factors(self) -> tuple[float, ...]:
        """Share of the planted shift at each wave (0 at wave 1)."""
        return self.wave_effects or (0.0,) + (1.0,) * (len(self.waves) - 1)

    @property
    def network_waves(self) -> tuple[int, ...]:
        """Waves at which ego networks and group ties are collected (the first two)."""
        return tuple(range(1, min(2, len(self.waves)) + 1))

    def sized(self, design: DemoDesign) -> DemoDesign:
        """``design`` with this shape's dates and arms: baseline = wave 1, follow-up = last wave."""
        last = self.waves[-1].date if len(self.waves) > 1 else self.waves[0].date + timedelta(days=90)
        return replace(design, baseline=self.waves[0].date, follow_up=last,
                       n_comparison=design.n_comparison if self.comparison else 0)

    def as_dict(self) -> dict:
        """The shape as plain data (for truth.json); the design is recorded separately."""
        d = {k: v for k, v in asdict(self).items() if k != "design"}
        d["waves"] = [{"label": w.label, "date": w.date.isoformat()} for w in self.waves]
        d["context"] = dict(self.context)
        return d

    def validate(self) -> StudyShape:
        """The shape itself, or a :class:`LaoyouError` naming the inconsistent setting."""
        from laoyou_eval import instruments

        def fail(zh: str, en: str):
            raise LaoyouError(f"合成研究设定有误（{self.name}）：{zh}", f"Invalid study shape {self.name!r}: {en}")

        if not self.populations:
            fail("至少需要一个调查人群", "survey at least one population (residents or caregivers)")
        if not self.waves:
            fail("至少需要一个波次", "give at least one wave")
        if any(b.date <= a.date for a, b in zip(self.waves, self.waves[1:])):
            fail("波次日期须按时间先后排列", "wave dates must increase")
        if self.wave_effects and (len(self.wave_effects) != len(self.waves) or self.wave_effects[0] != 0):
            fail("wave_effects 须每个波次一个值，且第一个为 0", "wave_effects needs one value per wave, the first 0")
        unknown = [i for i in self.residents + self.caregivers if i not in instruments.available()]
        if unknown:
            fail(f"未知量表 {unknown}", f"unknown instruments {unknown}; built-in: {instruments.available()}")
        from laoyou_eval.demo.questionnaires import scale_for

        for name in self.residents + self.caregivers:
            scale_for(name)  # raises for an instrument that cannot be asked as one matrix
        bad = [k for k in self.process if k not in PROCESS_KINDS]
        if bad:
            fail(f"未知过程记录 {bad}", f"unknown process kinds {bad}; use {PROCESS_KINDS}")
        if self.ego_networks and not self.residents:
            fail("自我中心网络来自居民，需要居民问卷", "ego networks are the residents': survey residents")
        if self.group_network and not self.caregivers:
            fail("小组网络是家长小组，需要家长问卷", "the group network is the caregivers' group: survey caregivers")
        if self.open_ended and len(self.waves) < 2:
            fail("开放题编码的是后测回答，需要至少两个波次", "open-ended coding codes wave-2 answers: give two waves")
        if self.code_export and not self.caregivers:
            fail("序号导出是家长问卷的，需要家长问卷", "the code export is the caregivers': survey caregivers")
        return self
