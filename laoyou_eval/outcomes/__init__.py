"""Before/after outcome analysis: paired effects, individual reliable change, comparison-group
designs, attrition, many outcomes at once, report sentences and figures.

Modules
-------
paired
    :func:`paired` – paired t with d_z (noncentral-t CI), d_rm, d_av, g_z, exact Wilcoxon,
    rank-biserial, Shapiro–Wilk, minimum detectable d_z.
change
    :func:`reliable_change` – JT/Christensen–Mendoza (default), Iverson, Hageman–Arrindell
    (true-score cut-offs, CS_indiv, :func:`ha_group_summary`), GLN, HLL, EN, NK; MDC; JT
    cut-offs a/b/c; recovered/improved/unchanged/deteriorated/harmed; :func:`hlm_change` (HLM,
    three or more waves).
comparison
    :func:`did` (change scores, SEs clustered by subject), :func:`ancova` (sensitivity, with
    Lord's paradox), :func:`morris_d_ppc2`, :func:`baseline_imbalance`.
attrition
    :func:`completers_vs_dropouts`, :func:`missing_data_analyses` (completers, MixedLM, MICE).
many
    :func:`paired_table`, :func:`did_table` with Holm and Benjamini–Hochberg adjustment;
    :func:`process_doses`, :func:`dose_response`.
sentences, figures
    APA zh/en sentences, JT scatter and forest plots.

Every function returns a tidy :class:`pandas.DataFrame` with snake_case columns; undefined
statistics are NaN and a ``note`` column says why, as codes (``"small_sample=7; attrition=0.3000"``)
that :func:`laoyou_eval.i18n.explain` and :func:`laoyou_eval.report.localise` put into words.

>>> from laoyou_eval import outcomes
>>> res = outcomes.paired([5.5, 2.4, 6.8, 9.6, 4.2], [6.4, 3.4, 6.4, 11.0, 4.8])
>>> round(float(res.d_z[0]), 3)
1.032
"""

from laoyou_eval.outcomes import figures, sentences
from laoyou_eval.outcomes.attrition import completers_vs_dropouts, missing_data_analyses
from laoyou_eval.outcomes.change import (
    category_counts,
    ha_group_summary,
    ha_true_cutoffs,
    hlm_change,
    jt_cutoffs,
    rci_parameters,
    reliable_change,
)
from laoyou_eval.outcomes.comparison import ancova, baseline_imbalance, did, morris_d_ppc2, standardised_differences
from laoyou_eval.outcomes.many import (
    add_adjusted_p,
    adjust_p,
    change_scores,
    did_table,
    dose_response,
    paired_table,
    pre_post,
    process_doses,
)
from laoyou_eval.outcomes.paired import d_z_interval, hedges_j, mde_d_z, paired, power_d_z, wilcoxon_signed_rank

__all__ = [
    "add_adjusted_p", "adjust_p", "ancova", "baseline_imbalance", "category_counts", "change_scores",
    "completers_vs_dropouts", "d_z_interval", "did", "did_table", "dose_response", "figures", "ha_group_summary",
    "ha_true_cutoffs", "hedges_j", "hlm_change",
    "jt_cutoffs", "mde_d_z", "missing_data_analyses", "morris_d_ppc2", "paired", "paired_table", "pre_post",
    "power_d_z", "process_doses", "rci_parameters", "reliable_change", "sentences", "standardised_differences",
    "wilcoxon_signed_rank",
]
