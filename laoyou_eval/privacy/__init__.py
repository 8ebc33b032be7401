"""Privacy: personal data never leave ``data/raw/``.

* :func:`find`, :func:`redact`, :func:`mask` — detectors of phones, landlines, ID numbers
  (checksum-valid and probable), passports and permits, bank cards, e-mail and IP addresses,
  WeChat/QQ IDs, street addresses and roster names, after Unicode normalisation
  (:mod:`laoyou_eval.privacy.patterns`);
* :func:`redact_frame` and :func:`identifier_problems` — whole tables and identifier columns,
  for intake;
* :func:`scan`, :func:`scan_file_names` — every format the project writes, as the gate of
  ``laoyou-eval check PATH --study STUDY``; :func:`study_names`, :func:`roster_sources` —
  the names of every roster of a study;
* :class:`Pseudonymiser` makes keyed, stable pseudonyms with a per-study key kept outside the
  repository;
* :func:`k_anonymity` and :func:`suppress_small_cells` protect small samples in tables.
"""

from laoyou_eval.privacy.disclosure import disclosure_summary, k_anonymity, suppress_small_cells
from laoyou_eval.privacy.frames import identifier_problems, redact_frame
from laoyou_eval.privacy.patterns import (
           KINDS,
           NameMatcher,
           find,
           luhn_valid,
           mask,
           name_matcher,
           redact,
           valid_id_number,
)
from laoyou_eval.privacy.pseudonym import Pseudonymiser, key_dir
from laoyou_eval.privacy.rosters import looks_like_name, roster_sources, study_names
from laoyou_eval.privacy.scan import NOT_CHECKED, redact_path, scan, scan_file, scan_file_names

__all__ = ["KINDS", "NOT_CHECKED", "NameMatcher", "Pseudonymiser", "disclosure_summary", "find", "identifier_problems", "k_anonymity",
           "key_dir", "looks_like_name", "luhn_valid", "mask", "name_matcher", "redact", "redact_frame", "redact_path",
           "roster_sources", "scan", "scan_file", "scan_file_names", "study_names", "suppress_small_cells",
           "valid_id_number"]
