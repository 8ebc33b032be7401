"""Bilingual text for notebooks and reports: re-exported from the base layer
:mod:`laoyou_eval.i18n`, where the language state and the vocabulary live."""

from laoyou_eval.i18n import (  # noqa: F401  (public re-exports)
    LIBRARY_VOCABULARY,
    VOCABULARY,
    _set_cjk_available,
    _state,
    add_vocabulary,
    explain,
    figure_language,
    label,
    report_language,
    reset_vocabulary,
    set_language,
    set_wave_labels,
    text,
    wave_label,
)
