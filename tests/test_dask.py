"""Scoring and ego measures on Dask DataFrames, partition by partition, on a local cluster:
the results equal the pandas functions exactly (no timing here: see benchmarks/)."""

from __future__ import annotations

import dask.dataframe as dd
import distributed
import numpy as np
import pandas as pd
import pytest

from laoyou_eval import config, networks, scoring  # noqa: E402
from laoyou_eval.errors import LaoyouError  # noqa: E402
from laoyou_eval.i18n import explain, set_language  # noqa: E402
from laoyou_eval.instruments import get  # noqa: E402


@pytest.fixture(scope="module")
def client():
    """A small in-process cluster (threads), shut down after the module."""
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as c:
        yield c


def _items(name: str, n: int = 600, seed: int = 3) -> pd.DataFrame:
    """Coded items with 10 % missing answers, as compact nullable integers."""
    rng = np.random.default_rng(seed)
    inst = get(name)
    return pd.DataFrame({c: pd.array(np.where(rng.random(n) < 0.10, None,
                                              rng.integers(int(inst.item_min[j]), int(inst.item_max[j]) + 1, n)),
                                     dtype="Int8")
                         for j, c in enumerate(inst.items)}, index=pd.RangeIndex(100, 100 + n))


@pytest.mark.parametrize("name", ["pss10", "mspss", "k6"])  # reverse keying, subscales, bands
def test_score_dask_equals_pandas(client, name):
    items = _items(name)
    got = scoring.score_dask(dd.from_pandas(items, npartitions=4), name).compute()
    pd.testing.assert_frame_equal(got, scoring.score(items, name), check_exact=True)


def test_score_dask_results_do_not_depend_on_the_language(client):
    items = _items("k6", seed=5)
    try:
        set_language("en")
        lazy = scoring.score_dask(dd.from_pandas(items, npartitions=3), "k6")
        expected = scoring.score(items, "k6")
    finally:
        set_language("zh")
    got = lazy.compute()
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert got["note"].str.startswith("items_missing=").any()  # a code, not words
    set_language("en")
    try:
        assert any("items missing" in explain(n) for n in got["note"])
    finally:
        set_language("zh")


def test_score_dask_bad_input():
    with pytest.raises(LaoyouError, match="Dask DataFrame"):
        scoring.score_dask(_items("k6"), "k6")
    with pytest.raises(LaoyouError, match="Missing item columns"):
        scoring.score_dask(dd.from_pandas(_items("k6").drop(columns="k6_3"), npartitions=2), "k6")


@pytest.fixture(scope="module")
def demo_networks():
    return networks.io.read_name_generator(config.DEMO_STUDY_DIR)[1]


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.sort_values("ego_id").reset_index(drop=True)
    out.attrs = {}
    return out


@pytest.mark.parametrize("with_egos", [True, False])
def test_ego_measures_dask_equals_pandas(client, demo_networks, with_egos):
    net = demo_networks
    options = dict(alter="alter_no", weight_max=2, weighted=True, attributes=["relation", "sex"], homophily=["sex"])
    egos = net.egos if with_egos else None
    expected = networks.ego_measures(net.alters, net.ties, egos, **options)
    got = networks.ego_measures_dask(dd.from_pandas(net.alters, npartitions=3), dd.from_pandas(net.ties, npartitions=2),
                                     None if egos is None else dd.from_pandas(egos, npartitions=2), npartitions=4,
                                     **options).compute()
    pd.testing.assert_frame_equal(_sorted(got), _sorted(expected), check_exact=True)


def test_ego_measures_dask_matches_keys_across_types(client):
    """Ego 3 written as a number in one table and as text in the other meets in one partition."""
    alters = pd.DataFrame({"ego_id": [3, 3, 3, 4, 4], "alter_id": ["a", "b", "c", "a", "b"]})
    ties = pd.DataFrame({"ego_id": ["3", " 3", "4"], "source": ["a", "a", "a"], "target": ["b", "c", "b"]})
    expected = networks.ego_measures(alters, ties)
    got = networks.ego_measures_dask(dd.from_pandas(alters, npartitions=2), dd.from_pandas(ties, npartitions=2),
                                     npartitions=3).compute()
    pd.testing.assert_frame_equal(_sorted(got), _sorted(expected), check_exact=True)


def test_ego_measures_dask_bad_input(demo_networks):
    net = demo_networks
    with pytest.raises(LaoyouError, match="Dask DataFrame"):
        networks.ego_measures_dask(net.alters, dd.from_pandas(net.ties, npartitions=1), alter="alter_no")
    with pytest.raises(LaoyouError, match="errors='raise'"):
        networks.ego_measures_dask(dd.from_pandas(net.alters, npartitions=1), alter="alter_no", errors="flag")
