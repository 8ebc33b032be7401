"""Residents' ego networks and the parents' group network.

* data model, validation and importers — :mod:`~laoyou_eval.networks.model`,
  :mod:`~laoyou_eval.networks.io` (the study's name generator, egor's one-, two- and
  three-file layouts, Network Canvas CSV, the parents' group);
* ego measures for all egos at once — :func:`ego_measures`, :func:`ei_groups`,
  :func:`count_dyads`, :func:`numeric_composition`, survey-weighted means :func:`weighted_summary`; on Dask
  DataFrames partitioned by ego, for networks larger than memory — :func:`ego_measures_dask`;
* change across waves — :func:`match_alters`, :func:`link_alters`, :func:`compare_waves`,
  :func:`alter_flows`, :func:`summarise_change`;
* the parents' group as a whole network — :mod:`~laoyou_eval.networks.whole`;
* explanations of the ``note`` codes and :func:`~laoyou_eval.networks.notes.localise` —
  :mod:`~laoyou_eval.networks.notes` (the words are in the shared vocabulary, :mod:`laoyou_eval.i18n`);
* two waves as one value — :class:`EgoPanel` (``compare_waves(panel)``, ``panel.flows()``);
* figures — :mod:`~laoyou_eval.networks.figures` (imported on use: it needs matplotlib).

>>> from laoyou_eval import config, networks
>>> nets = networks.io.read_name_generator(config.DEMO_STUDY_DIR)         # doctest: +SKIP
>>> networks.ego_measures(nets[1].alters, nets[1].ties, nets[1].egos, alter="alter_no",
...                       weight_max=2)                                    # doctest: +SKIP
"""

from laoyou_eval.networks import io, notes, whole
from laoyou_eval.networks.composition import count_dyads, ei_groups, numeric_composition
from laoyou_eval.networks.egonets import network_measures
from laoyou_eval.networks.measures import ego_measures, weighted_summary
from laoyou_eval.networks.model import EgoNetworks, problems, validate
from laoyou_eval.networks.partitioned import ego_measures_dask
from laoyou_eval.networks.waves import (
                                        EgoPanel,
                                        alter_flows,
                                        compare_waves,
                                        link_alters,
                                        match_alters,
                                        read_match_table,
                                        summarise_change,
                                        write_match_table,
)

__all__ = ["EgoNetworks", "EgoPanel", "alter_flows", "compare_waves", "count_dyads", "ego_measures", "ego_measures_dask",
           "ei_groups", "io", "link_alters", "match_alters", "network_measures", "notes", "numeric_composition",
           "problems", "read_match_table", "summarise_change", "validate", "weighted_summary", "whole",
           "write_match_table"]

#: ``net.measures(**options)``: the data model (readers layer) does not import the measures.
EgoNetworks.measures = network_measures
