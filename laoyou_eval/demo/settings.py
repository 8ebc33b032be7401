"""The demo study's own settings: its labels, wave names and how its name-generator answers
are classified.  The library holds none of these; a real study declares them in its
``study.yaml`` (``networks:`` and the wave labels), the demo declares them here.

>>> from laoyou_eval import i18n
>>> from laoyou_eval.demo import settings
>>> settings.use_demo_labels(); i18n.set_language("en"); i18n.label("融合篮球班")
'Inclusive basketball'
>>> i18n.reset_vocabulary(); i18n.set_language("zh")
"""

from __future__ import annotations

from pathlib import Path

import yaml

from laoyou_eval import i18n
from laoyou_eval.demo import networks

#: The demo's answers to the relation and "where met" questions, by alter category
#: (the ``networks:`` block of a study.yaml; see :func:`laoyou_eval.networks.io.alter_categories`).
NETWORK_CATEGORIES = {
    "buddy": {"relation": [networks.BUDDY_RELATION], "met_where": [networks.MET_BUDDY]},
    "via_programme": {"met_where": list(networks.MET_VIA_PROGRAMME)},
    "kin": {"relation": list(networks.KIN_RELATIONS)},
}
#: Names of the demo's two waves.
WAVE_LABELS = {1: ["基线", "Baseline"], 2: ["6个月", "6 months"]}
#: The demo's activity that uses the partner gyms (for :func:`laoyou_eval.process.venue_summary`).
GYM_ACTIVITY = "融合篮球班"


def vocabulary() -> dict:
    """The demo's labels (activities, venues, relations, modes, planted values): value -> [zh, en]."""
    return yaml.safe_load(Path(__file__).with_name("vocabulary.yaml").read_text(encoding="utf-8"))


def use_demo_labels() -> None:
    """Register the demo's labels and wave names with :mod:`laoyou_eval.i18n`."""
    i18n.add_vocabulary(vocabulary())
    i18n.set_wave_labels(WAVE_LABELS)
