"""Synthetic studies: the demo (shaped like the 社区老友 programme) and other study shapes,
all with planted effects recorded in ``truth.json``.

>>> from laoyou_eval import demo
>>> demo.generate("data/raw/demo")                               # doctest: +SKIP
>>> demo.generate("/tmp/pre_post", shape="single_group")         # doctest: +SKIP
"""

from laoyou_eval.demo.design import DemoDesign, PlantedEffects, StudyShape, Wave
from laoyou_eval.demo.generate import generate
from laoyou_eval.demo.layout import STUDY_FILES, study_files
from laoyou_eval.demo.presets import PRESETS, preset, read_shape, shape_from_mapping

__all__ = [
           "PRESETS",
           "STUDY_FILES",
           "DemoDesign",
           "PlantedEffects",
           "StudyShape",
           "Wave",
           "generate",
           "preset",
           "read_shape",
           "shape_from_mapping",
           "study_files",
]
