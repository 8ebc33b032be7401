"""The study: ``study.yaml`` (:mod:`~laoyou_eval.study.spec`) and its folder
(:mod:`~laoyou_eval.study.folder`).

>>> from laoyou_eval import config, study
>>> spec = study.read_spec(config.DEMO_STUDY_DIR)
>>> spec.wave_numbers, spec.has_comparison, spec.populations
([1, 2], True, ['residents', 'caregivers'])
"""

from laoyou_eval.study.folder import (
                                      AGE_BANDS,
                                      OPTIONAL_COMPONENTS,
                                      PROBLEM_COLUMNS,
                                      QUASI_IDENTIFIERS,
                                      arms,
                                      check_study_folder,
                                      families,
                                      load_metadata,
                                      normalise_id,
                                      quasi_identifiers,
                                      read_survey_export,
                                      validate,
)
from laoyou_eval.study.spec import FILE_KINDS, SCHEMA, OutcomeSpec, StudySpec, bilingual, read_spec, schema_markdown

__all__ = ["AGE_BANDS", "FILE_KINDS", "OPTIONAL_COMPONENTS", "PROBLEM_COLUMNS", "QUASI_IDENTIFIERS", "SCHEMA",
           "OutcomeSpec", "StudySpec", "arms", "bilingual", "check_study_folder", "families", "load_metadata", "normalise_id",
           "quasi_identifiers", "read_spec", "read_survey_export", "schema_markdown", "validate"]
