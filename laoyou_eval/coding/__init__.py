"""Survey coding: codebooks (XLSForm-compatible workbook or YAML) applied to raw exports.

>>> from laoyou_eval import coding, io
>>> codebook = coding.Codebook.read("data/raw/demo/codebooks/caregivers.yaml")    # doctest: +SKIP
>>> coded = coding.apply(io.read_wjx("data/raw/demo/surveys/caregivers_w1_text.csv"), codebook)  # doctest: +SKIP
>>> coded.quality                                                                  # doctest: +SKIP
"""

from laoyou_eval.coding.apply import CodedSurvey, apply
from laoyou_eval.coding.codebook import MISSING_KINDS, WJX_MISSING, Codebook
from laoyou_eval.coding.draft import draft

__all__ = ["MISSING_KINDS", "WJX_MISSING", "CodedSurvey", "Codebook", "apply", "draft"]
