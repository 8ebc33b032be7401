"""Built-in instrument definitions: scoring rules as data, one YAML file per instrument.

Each file in ``laoyou_eval/instruments/data/`` records the items, the response coding, the
reverse-keyed items, subscales, score range and direction, the minimum-answered rule and its
source, cut-offs (only where the authors give them), the reliability and reference SD used
for reliable change (with sources), the licence and whether the item wording may be shipped,
and every fact still UNVERIFIED.  No licensed item wording is shipped.

>>> from laoyou_eval import instruments
>>> pss = instruments.get("pss10")
>>> pss.reverse, pss.score_range
((4, 5, 7, 8), (0, 40))
"""

from laoyou_eval.instruments.catalogue import catalogue, catalogue_markdown
from laoyou_eval.instruments.model import Cutoff, Instrument, Subscale, available, define, get, higher_is, of_score

__all__ = ["Cutoff", "Instrument", "Subscale", "available", "catalogue", "catalogue_markdown", "define", "get",
           "higher_is", "of_score"]
