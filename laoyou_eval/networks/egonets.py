"""Measures of one :class:`~laoyou_eval.networks.model.EgoNetworks` value (egor's one-object
call, ``ego_density(egor_object)``): the data model stays below the measures that use it."""

from __future__ import annotations

import pandas as pd

from laoyou_eval.networks.measures import ego_measures
from laoyou_eval.networks.model import EgoNetworks


def network_measures(networks: EgoNetworks, **kwargs) -> pd.DataFrame:
    """:func:`laoyou_eval.networks.ego_measures` of ``networks`` (keyword arguments passed on;
    ``directed`` defaults to ``networks.directed``), with the other columns of ``egos``
    (e.g. ``arm``) inserted after the ego id.  Without collected alter–alter ties
    (``networks.ties_collected`` False) the tie-based measures are NaN, not 0.

    Also available as the method ``EgoNetworks.measures(**kwargs)``.

    Examples
    --------
    >>> import pandas as pd
    >>> from laoyou_eval.networks.model import EgoNetworks
    >>> net = EgoNetworks(egos=pd.DataFrame({"ego_id": ["e1"], "arm": ["programme"]}),
    ...                   alters=pd.DataFrame({"ego_id": ["e1", "e1"], "alter_id": ["a", "b"]}),
    ...                   ties=pd.DataFrame({"ego_id": ["e1"], "source": ["a"], "target": ["b"]}))
    >>> network_measures(net)[["ego_id", "arm", "size", "density"]]
      ego_id        arm  size  density
    0     e1  programme     2      1.0
    """
    kwargs = {"directed": networks.directed, **kwargs}
    ties = networks.ties if networks.ties_collected else None
    result = ego_measures(networks.alters, ties, networks.egos, ego=networks.ego, alter=networks.alter,
                          **kwargs)
    egos = networks.egos
    extra = [c for c in egos.columns if c != networks.ego and c not in result]
    merged = result.merge(egos[[networks.ego, *extra]], on=networks.ego, how="left")
    merged = merged[[networks.ego, *extra, *[c for c in result.columns if c != networks.ego]]]
    merged.attrs = result.attrs
    return merged
