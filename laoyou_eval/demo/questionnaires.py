"""The demo study's questionnaires: scales as 问卷星 matrix questions, by item number only.

Only *response option labels* are written out (they are generic); licensed item wording
(ZBI, PSS, UCLA, LSNS, MSPSS) never ships, so each matrix row is labelled ``条目k``.

Scores are simulated from an item-level model (see :func:`simulate_items`):

.. math:: x_{ij} = \\mathrm{clip}\\big(\\mathrm{round}(m_i + b_j + s_j\\,\\varepsilon_{ij}),
          \\; lo, hi\\big),\\quad \\varepsilon_{ij} \\sim N(0, \\sigma^2)

where ``m_i`` is the person's latent item mean (in the scale's own coding), ``b_j`` an item
offset, and ``s_j = -1`` for reverse-keyed items (their raw answers move the other way).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from laoyou_eval.errors import LaoyouError


@dataclass(frozen=True)
class DemoScale:
    """A scale as asked in the demo questionnaires.

    Attributes
    ----------
    name : str
        Instrument key, e.g. ``"zbi12_bedard"``; canonical item columns are ``{name}_{i}``.
    title_zh : str
        Question stem shown in the export header (no licensed wording).
    n_items : int
    options : tuple of str
        Answer texts in code order.
    first_code : int
        Code of the first option (0 or 1).
    reverse : tuple of int
        1-based reverse-keyed items.
    noise_sd : float
        Item-level noise sigma of the simulation.
    """

    name: str
    title_zh: str
    n_items: int
    options: tuple[str, ...]
    first_code: int
    reverse: tuple[int, ...] = ()
    noise_sd: float = 0.6

    @property
    def low(self) -> int:
        return self.first_code

    @property
    def high(self) -> int:
        return self.first_code + len(self.options) - 1

    def item_offsets(self) -> np.ndarray:
        """Fixed, symmetric item difficulty offsets (same for every seed)."""
        return np.linspace(-0.35, 0.35, self.n_items)[np.arange(self.n_items) * 7 % self.n_items]


UCLA3 = DemoScale("ucla3", "孤独感量表（UCLA-3）", 3, ("几乎没有", "有时", "经常"), 1, noise_sd=0.4)
LSNS6 = DemoScale(
    "lsns6", "社会网络量表（LSNS-6）", 6,
    ("0个", "1个", "2个", "3-4个", "5-8个", "9个及以上"), 0, noise_sd=0.5,
)
MSPSS = DemoScale(
    "mspss", "领悟社会支持量表（MSPSS）", 12,
    ("极不同意", "很不同意", "稍不同意", "中立", "稍同意", "很同意", "极同意"), 1, noise_sd=0.8,
)
ZBI12 = DemoScale(
    "zbi12_bedard", "照顾者负担量表（ZBI-12，Bédard 简版）", 12,
    ("从不", "很少", "有时", "经常", "总是"), 0, noise_sd=0.6,
)
PSS10 = DemoScale(
    "pss10", "知觉压力量表（PSS-10）", 10,
    ("从不", "偶尔", "有时", "时常", "总是"), 0, reverse=(4, 5, 7, 8), noise_sd=0.65,
)
K6 = DemoScale(
    "k6", "心理困扰量表（K6）", 6,
    ("从不", "很少", "有时", "大部分时间", "一直"), 0, noise_sd=0.6,
)
WHO5 = DemoScale(
    "who5", "WHO-5 幸福感指数", 5,
    ("从未有过", "有时", "少于一半时间", "超过一半时间", "大部分时间", "所有时间"), 0, noise_sd=0.6,
)

RESIDENT_SCALES = (UCLA3, LSNS6, MSPSS)
CAREGIVER_SCALES = (ZBI12, PSS10, K6, WHO5)
#: The demo questionnaires' own wording of the answer options, by instrument.
DEMO_SCALES = {s.name: s for s in RESIDENT_SCALES + CAREGIVER_SCALES}

#: MSPSS subscales (Zimet et al. 1988) and LSNS-6 subscales (Lubben et al. 2006), 1-based.
MSPSS_SUBSCALES = {"significant_other": (1, 2, 5, 10), "family": (3, 4, 8, 11), "friends": (6, 7, 9, 12)}
LSNS6_SUBSCALES = {"family": (1, 2, 3), "friends": (4, 5, 6)}


def scale_for(name: str) -> DemoScale:
    """The matrix question of built-in instrument ``name`` (the demo's wording where it has one).

    Other instruments take their title, answer labels, coding and reverse keys from the
    instrument catalogue (:func:`laoyou_eval.instruments.get`).

    Raises
    ------
    LaoyouError
        For an instrument that cannot be asked as one matrix of equal answer options (items
        with their own bounds, composite items, or no published answer labels).

    Examples
    --------
    >>> scale_for("k10").options[0], scale_for("k10").first_code
    ('完全没有', 1)
    """
    from laoyou_eval import instruments

    if name in DEMO_SCALES:
        return DEMO_SCALES[name]
    inst = instruments.get(name)
    low, high = inst.item_min[0], inst.item_max[0]
    uniform = set(inst.item_min) == {low} and set(inst.item_max) == {high}
    if not uniform or inst.composites or len(inst.response_labels_zh) != int(high - low) + 1:
        raise LaoyouError(
            f"量表 {name} 的条目选项不一致或没有标签，无法作为矩阵题模拟。",
            f"Instrument {name} has items with different options, composite items or no answer labels; "
            "it cannot be simulated as one matrix question.",
            hint_zh="换一个内置量表。", hint_en="choose another built-in instrument.")
    return DemoScale(name, inst.title_zh, inst.n_items, inst.response_labels_zh, int(low), inst.reverse)


def simulate_items(
    rng: np.random.Generator, scale: DemoScale, latent: np.ndarray
) -> np.ndarray:
    """Integer item codes, shape ``(len(latent), n_items)`` or ``(len(latent), k)``.

    Parameters
    ----------
    latent : ndarray
        Either one latent item mean per person (shape ``(n,)``) or one per person and item
        (shape ``(n, n_items)``, used for subscale-specific effects).  Expressed on the
        *non-reversed* direction of the construct, in the scale's coding.
    """
    n = latent.shape[0]
    m = latent if latent.ndim == 2 else latent[:, None]
    eps = rng.normal(0.0, scale.noise_sd, size=(n, scale.n_items))
    sign = np.ones(scale.n_items)
    sign[[i - 1 for i in scale.reverse]] = -1.0
    centre = (scale.low + scale.high) / 2
    # reverse-keyed items mirror the construct around the scale centre
    construct = m + scale.item_offsets() + eps
    raw = np.where(sign > 0, construct, 2 * centre - construct)
    return np.clip(np.rint(raw), scale.low, scale.high).astype(np.int16)


def score_total(scale: DemoScale, items: np.ndarray) -> np.ndarray:
    """Total score of simulated items in the construct's direction (reverse items flipped)."""
    flipped = items.astype(float).copy()
    for i in scale.reverse:
        flipped[:, i - 1] = scale.low + scale.high - flipped[:, i - 1]
    return flipped.sum(axis=1)
