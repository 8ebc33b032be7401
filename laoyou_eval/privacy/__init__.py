"""Privacy: personal data never leave ``data/raw/``.

* :func:`scan` finds phone numbers, 身份证 numbers, IP and e-mail addresses and known names in
  tables, files and folders (``laoyou-eval check PATH``);
* :class:`Pseudonymiser` makes keyed, stable pseudonyms with a per-study key kept outside the
  repository; :func:`redact` replaces personal data inside free text;
* :func:`k_anonymity` and :func:`suppress_small_cells` protect small samples in tables.
"""

from laoyou_eval.privacy.disclosure import disclosure_summary, k_anonymity, suppress_small_cells
from laoyou_eval.privacy.patterns import find, mask, redact, valid_id_number
from laoyou_eval.privacy.pseudonym import Pseudonymiser, key_dir
from laoyou_eval.privacy.scan import scan, study_names

__all__ = ["Pseudonymiser", "disclosure_summary", "find", "k_anonymity", "key_dir", "mask", "redact", "scan", "study_names",
           "suppress_small_cells", "valid_id_number"]
