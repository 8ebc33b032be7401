"""Tie counts by category pair and numeric composition, against egor's egor32 example data.

egor32 is synthetic (egor's ``make_egor(32, 12)``); ego 1's alters and alter–alter ties are
copied from github:tilltnet/egor ``inst/extdata/alters_32/1.csv`` and ``edges_32/1.csv``.
The reference values (reference ego_networks.md §5 A, from egor's documented output):
32 ties, density 0.485, and country dyads Aus–Aus 2, Aus–Ger 6, Aus–Pol 3, Aus–USA 3,
Ger–Ger 3, Ger–Pol 4, Ger–USA 6, Pol–USA 2, USA–USA 3.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from laoyou_eval import networks
from laoyou_eval.errors import LaoyouError

# (alterID, country, age.years) of ego 1
EGO1_ALTERS = [(1, "USA", 48), (2, "Germany", 5), (3, "Australia", 35), (4, "Poland", 3), (5, "Australia", 97),
               (6, "Germany", 29), (7, "USA", 32), (8, "USA", 49), (9, "Germany", 60), (10, "Australia", 52),
               (11, "Poland", 54), (12, "USA", 93)]
EGO1_TIES = [(3, 6), (5, 7), (4, 7), (4, 6), (6, 9), (5, 10), (2, 8), (2, 3), (2, 4), (3, 4), (2, 5), (1, 6),
             (1, 2), (4, 10), (2, 10), (7, 12), (10, 12), (2, 12), (6, 12), (2, 9), (5, 8), (6, 10), (8, 12),
             (6, 11), (1, 9), (2, 11), (5, 11), (2, 6), (5, 6), (1, 7), (4, 12), (3, 10)]
EGO1_AGE = 63


@pytest.fixture
def egor32_ego1():
    alters = pd.DataFrame(EGO1_ALTERS, columns=["alter_id", "country", "age_years"]).assign(ego_id=1)
    ties = pd.DataFrame(EGO1_TIES, columns=["source", "target"]).assign(ego_id=1)
    return alters, ties


def test_count_dyads_reproduces_egor32_ego_1(egor32_ego1):
    alters, ties = egor32_ego1
    dyads = networks.count_dyads(alters, ties, "country")
    got = {(a[:3], b[:3]): n for a, b, n in zip(dyads["category_a"], dyads["category_b"], dyads["n"])}
    # egor: count_dyads(egor32, "country", return_as = "long") for .egoID == 1
    assert got == {("Aus", "Aus"): 2, ("Aus", "Ger"): 6, ("Aus", "Pol"): 3, ("Aus", "USA"): 3, ("Ger", "Ger"): 3,
                   ("Ger", "Pol"): 4, ("Ger", "USA"): 6, ("Pol", "USA"): 2, ("USA", "USA"): 3}
    assert dyads["n"].sum() == 32 and (dyads["ego_id"] == 1).all()
    assert networks.ego_measures(alters, ties).at[0, "density"] == pytest.approx(0.485, abs=5e-4)


def test_count_dyads_counts_each_undirected_tie_once_and_skips_missing_ends():
    alters = pd.DataFrame({"ego_id": ["a"] * 4 + ["b"] * 2, "alter_id": [1, 2, 3, 4, 1, 2],
                           "kin": ["x", "y", None, "x", "y", "y"]})
    ties = pd.DataFrame({"ego_id": ["a", "a", "a", "b"], "source": [2, 1, 3, 1], "target": [1, 4, 1, 2]})
    dyads = networks.count_dyads(alters, ties, "kin")
    assert dyads.to_dict("list") == {"ego_id": ["a", "a", "b"], "category_a": ["x", "x", "y"],
                                     "category_b": ["x", "y", "y"], "n": [1, 1, 1]}
    with_missing = networks.count_dyads(alters, ties, "kin", na="category")
    assert with_missing["n"].sum() == 4


def test_numeric_composition_against_pandas(egor32_ego1):
    alters, _ = egor32_ego1
    more = pd.DataFrame({"ego_id": [2, 2, 2], "alter_id": [1, 2, 3], "country": "Poland",
                         "age_years": [40, None, 44]})
    both = pd.concat([alters, more], ignore_index=True)
    egos = pd.DataFrame({"ego_id": [1, 2, 3], "age": [EGO1_AGE, np.nan, 70]})
    res = networks.numeric_composition(both, "age_years", egos, ego_attribute="age").set_index("ego_id")
    ages = np.array([a for _, _, a in EGO1_ALTERS], dtype=float)
    # egor: comp_ply(egor32, "age.years", sd, na.rm = TRUE) is R's sd (ddof = 1)
    assert res.at[1, "age_years_sd"] == pytest.approx(ages.std(ddof=1))
    assert res.at[1, "age_years_mean"] == pytest.approx(ages.mean())
    assert res.at[1, "age_years_range"] == 97 - 3 and res.at[1, "age_years_n"] == 12
    assert res.at[1, "age_years_mean_abs_diff_ego"] == pytest.approx(np.abs(EGO1_AGE - ages).mean())
    assert res.at[2, "age_years_n"] == 2 and res.at[2, "age_years_sd"] == pytest.approx(np.std([40, 44], ddof=1))
    assert np.isnan(res.at[2, "age_years_mean_abs_diff_ego"])
    assert res.at[2, "note"] == "age_years_missing=1; ego_age_missing"
    assert res.at[3, "age_years_n"] == 0 and np.isnan(res.at[3, "age_years_mean"]) and res.at[3, "note"] == "no_alters"
    assert pd.api.types.is_integer_dtype(res.index)
    with pytest.raises(LaoyouError):
        networks.numeric_composition(both, "country")
    with pytest.raises(LaoyouError):
        networks.numeric_composition(both, "age_years", ego_attribute="age")


def test_ei_groups_can_include_the_ego():
    """egor EI(include.ego = TRUE): the ego joins its network, tied to every alter.  By hand:
    ego (m) with alters a (m), b (w), c (w), tie b–c.  With the ego, group m = {ego, a}
    (n_g = 2, n = 4): internal ties ego–a = 1 of 1 possible, external ego–b, ego–c = 2 of
    2·2 = 4, so EI = (2/4 − 1/1)/(2/4 + 1/1) = −1/3; group w = {b, c}: internal b–c 1 of 1,
    external ego–b, ego–c 2 of 4: also −1/3."""
    alters = pd.DataFrame({"ego_id": 7, "alter_id": ["a", "b", "c"], "sex": ["m", "w", "w"]})
    ties = pd.DataFrame({"ego_id": [7], "source": ["b"], "target": ["c"]})
    egos = pd.DataFrame({"ego_id": [7], "sex": ["m"]})
    with_ego = networks.ei_groups(alters, ties, "sex", egos, include_ego=True).set_index("category")
    assert with_ego.loc["m", "n_group"] == 2 and with_ego.loc["m", "ties_within"] == 1
    assert with_ego.loc["m", "ties_between"] == 2
    assert with_ego["ei_rescaled"].tolist() == pytest.approx([-1 / 3, -1 / 3])
    without = networks.ei_groups(alters, ties, "sex", egos).set_index("category")
    assert np.isnan(without.loc["m", "ei_rescaled"])     # a group of one alter has no internal tie
    with pytest.raises(LaoyouError):
        networks.ei_groups(alters, ties, "sex", include_ego=True)
