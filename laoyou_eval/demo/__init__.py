"""The synthetic demo study: a study shaped like the 社区老友 programme, with planted effects.

>>> from laoyou_eval import demo
>>> demo.generate("data/raw/demo")          # doctest: +SKIP
"""

from laoyou_eval.demo.design import DemoDesign, PlantedEffects
from laoyou_eval.demo.generate import STUDY_FILES, generate

__all__ = ["DemoDesign", "PlantedEffects", "STUDY_FILES", "generate"]
