"""Reliable change against R clinicalsignificance 3.0 (Claus, 2024) on its own data set and
test snapshots.

Data: ``claus_2020`` from github:benediktclaus/clinicalsignificance ``data-raw/claus-2020.xlsx``
(Claus et al., 2020, https://osf.io/rc754/; the package builds ``data/claus_2020.rda`` from it in
``data-raw/DATASET.R``): the HAMD and BDI totals of 43 patients at four waves, id and scores
only.  The expected counts are the package's snapshots
``tests/testthat/_snaps/cs_combined.md`` and its vignettes, quoted beside each assertion.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from laoyou_eval import outcomes
from laoyou_eval.outcomes import change
from laoyou_eval.report import set_language

CLAUS_2020 = """id,hamd1,hamd2,hamd3,hamd4,bdi1,bdi2,bdi3,bdi4
1,25,17,13,13,33,28,28,27
2,15,16,7,11,26,26,25,19
3,28,17,20,4,15,13,8,5
4,15,16,,,20,,,
5,30,24,29,25,39,44,45,46
6,21,19,15,9,22,32,27,28
7,26,23,17,17,25,21,19,18
8,31,22,15,15,33,22,28,30
9,21,10,9,2,23,16,9,8
10,27,13,14,8,47,39,34,24
11,28,17,11,7,43,27,17,13
12,23,19,15,13,51,48,44,44
13,24,25,20,30,42,45,15,51
14,28,8,8,9,38,21,21,17
15,26,15,11,8,40,25,19,27
16,27,15,14,14,37,29,28,30
17,20,,,,28,,,
18,32,28,26,27,39,40,44,48
19,27,19,13,20,31,25,20,27
20,25,29,23,28,51,46,44,44
21,28,21,20,14,51,52,41,25
22,25,23,24,24,33,36,30,34
23,22,15,13,10,36,27,24,22
24,24,22,20,18,38,35,30,38
25,24,23,24,22,45,21,48,53
26,21,15,10,8,38,23,20,16
27,27,,,,46,,,
28,18,20,17,20,37,33,25,36
29,27,6,4,2,28,14,3,4
30,25,26,19,13,37,34,21,22
31,27,19,16,18,36,33,36,32
32,22,7,4,2,25,13,5,2
33,23,21,15,16,30,32,23,19
34,25,14,17,16,36,34,25,23
35,25,22,24,24,35,38,37,38
36,26,18,10,8,37,22,13,7
37,22,15,14,6,35,25,12,8
38,24,25,20,22,31,34,29,27
39,23,15,16,20,28,24,22,19
40,26,24,20,18,35,31,25,23
41,28,26,23,24,49,42,38,37
42,24,18,12,9,33,24,16,9
43,21,17,15,25,31,29,19,28"""


@pytest.fixture(autouse=True)
def english():
    set_language("en")
    yield
    set_language("zh")


@pytest.fixture(scope="module")
def claus():
    return pd.read_csv(io.StringIO(CLAUS_2020)).set_index("id")


def counts(rc) -> list[int]:
    """recovered, improved, unchanged, deteriorated, harmed."""
    return outcomes.category_counts(rc).set_index("category")["n"].iloc[:5].tolist()


# R: cs_combined(claus_2020, id, time, hamd, pre = 1, post = 4, reliability = 0.80,
#                m_functional = 8, sd_functional = 8, cutoff_type = "c", rci_method = M)
HAMD_SNAPSHOTS = {
    "jt": [26, 3, 10, 1, 0],
    "en": [26, 6, 5, 3, 0],
    "hll": [12, 0, 16, 11, 1],
    "gln": [26, 3, 10, 1, 0],
    "ha": [23, 9, 7, 1, 0],
}


@pytest.mark.parametrize("method", sorted(HAMD_SNAPSHOTS))
def test_hamd_categories_match_clinicalsignificance_snapshots(claus, method):
    rc = outcomes.reliable_change(claus["hamd1"], claus["hamd4"], reliability=0.8, method=method,
                                  higher_is="worse", cutoff="c", functional=(8, 8))
    assert counts(rc) == HAMD_SNAPSHOTS[method]
    assert rc["category"].isna().sum() == 3          # ids 4, 17, 27 have no wave-4 score


def test_hamd_nk_matches_snapshot(claus):
    # R: ... reliability_post = 0.50, rci_method = "NK"  ->  26 / 2 / 11 / 1 / 0
    rc = outcomes.reliable_change(claus["hamd1"], claus["hamd4"], reliability=0.8, reliability_post=0.5,
                                  method="nk", higher_is="worse", cutoff="c", functional=(8, 8))
    assert counts(rc) == [26, 2, 11, 1, 0]


def test_hageman_arrindell_true_cutoff_and_cs_indiv_by_hand(claus):
    rc = outcomes.reliable_change(claus["hamd1"], claus["hamd4"], reliability=0.8, method="ha",
                                  higher_is="worse", cutoff="c", functional=(8, 8))
    done = claus.dropna(subset=["hamd1", "hamd4"])
    x, y = done["hamd1"].to_numpy(float), done["hamd4"].to_numpy(float)
    s1, s2, m1, m2 = x.std(ddof=1), y.std(ddof=1), x.mean(), y.mean()
    sem = s1 * np.sqrt(0.2)
    r1, r2, rf = (s1**2 - sem**2) / s1**2, (s2**2 - sem**2) / s2**2, (64 - sem**2) / 64
    c_true = (s1 * np.sqrt(r1) * 8 + 8 * np.sqrt(rf) * m1) / (s1 * np.sqrt(r1) + 8 * np.sqrt(rf))
    p = rc.attrs["parameters"]
    assert p["cutoff"] == pytest.approx(c_true) and p["cutoff_kind"] == "HA c (true score)"
    cs = (m2 + (y - m2) * r2 - c_true) / (np.sqrt(r2) * sem)
    np.testing.assert_allclose(rc.dropna(subset=["post"])["cs_indiv"], cs)
    # the three patients with post = 18 are below the raw JT cut-off c = 19.89 but not reliably
    # below the true-score cut-off: improved, not recovered (the old hybrid said recovered)
    eighteen = rc[rc["post"] == 18]
    assert len(eighteen) == 3 and (eighteen["category"] == "improved").all()
    assert (eighteen["cs_indiv"] > -p["critical_value"]).all()
    jt_c = outcomes.jt_cutoffs(m1, s1, 8, 8, higher_is="worse").set_index("cutoff").at["c", "value"]
    assert jt_c == pytest.approx(19.887, abs=5e-4) and (eighteen["post"] < jt_c).all()


def test_hageman_arrindell_group_level_summary(claus):
    # snapshot "Group Level Summary": Changed 90.31%, Functional 75.55%
    rc = outcomes.reliable_change(claus["hamd1"], claus["hamd4"], reliability=0.8, method="ha",
                                  higher_is="worse", cutoff="c", functional=(8, 8))
    summary = change.ha_group_summary(rc).set_index("category")["percent"]
    assert summary["changed"] == pytest.approx(90.31, abs=0.005)
    assert summary["functional"] == pytest.approx(75.55, abs=0.005)
    with pytest.raises(Exception):
        change.ha_group_summary(outcomes.reliable_change(claus["hamd1"], claus["hamd4"], reliability=0.8,
                                                         higher_is="worse"))


def test_true_cutoff_b_uses_the_functional_sd():
    """HA (1999): b = M_func ∓ 2·SD_func·√r_func; clinicalsignificance uses SD_clin·√r_clin."""
    cut = change.ha_true_cutoffs(20.0, 5.0, 2.0, 40.0, 4.0, higher_is="better").set_index("cutoff")["value"]
    assert cut["a"] == pytest.approx(20 + 2 * 5 * np.sqrt(21 / 25))
    assert cut["b"] == pytest.approx(40 - 2 * 4 * np.sqrt(12 / 16))
    assert cut["b"] != pytest.approx(40 - 2 * 5 * np.sqrt(21 / 25))


def test_bdi_counts_match_the_vignettes(claus):
    """Reference table row 6 (BDI, reliability .801): n = 40, SD_pre 8.1586; JT 18 improved /
    22 unchanged / 0 deteriorated; HA 25 improved (r_dd .783); cut-off a with m_func 7.69:
    10 recovered / 8 improved / 22 unchanged."""
    jt = outcomes.reliable_change(claus["bdi1"], claus["bdi4"], reliability=0.801, higher_is="worse")
    assert jt.attrs["parameters"]["n"] == 40
    assert jt.attrs["parameters"]["sd"] == pytest.approx(8.1586, abs=5e-5)
    assert counts(jt) == [0, 18, 22, 0, 0]
    ha = outcomes.reliable_change(claus["bdi1"], claus["bdi4"], reliability=0.801, method="ha", higher_is="worse")
    assert ha.attrs["parameters"]["r_dd"] == pytest.approx(0.783, abs=5e-4)
    assert counts(ha)[1] == 25
    a = outcomes.reliable_change(claus["bdi1"], claus["bdi4"], reliability=0.801, higher_is="worse",
                                 cutoff="a", functional=(7.69, 7.52))
    assert counts(a) == [10, 8, 22, 0, 0]


def claus_long(claus, scale: str) -> pd.DataFrame:
    long = claus.reset_index().melt(id_vars="id", value_vars=[f"{scale}{t}" for t in range(1, 5)],
                                    var_name="time", value_name=scale)
    return long.assign(time=long["time"].str[-1].astype(int))


def test_hlm_matches_clinicalsignificance(claus):
    """R: cs_distribution(claus_2020, id, time, hamd, rci_method = "HLM") → 11 improved /
    20 unchanged / 9 deteriorated; cs_combined(..., m_functional = 8, sd_functional = 8,
    cutoff_type = "c", rci_method = "HLM") → 10 / 1 / 20 / 9 / 0.  The peer's model is
    lme4::lmer(outcome ~ time + (time | id), REML = TRUE) on patients with ≥ 3 scores."""
    hamd = claus_long(claus, "hamd")
    rc = outcomes.hlm_change(hamd, "hamd", "time", "id", higher_is="worse")
    assert counts(rc) == [0, 11, 20, 9, 0]
    assert rc.attrs["parameters"]["n"] == 40 and rc.attrs["parameters"]["n_observations"] == 160
    few = rc[rc["category"].isna()]
    assert few["subject"].tolist() == [4, 17, 27] and (few["note"] != "").all()
    combined = outcomes.hlm_change(hamd, "hamd", "time", "id", higher_is="worse", cutoff="c", functional=(8, 8))
    assert counts(combined) == [10, 1, 20, 9, 0]
    # first and last observed scores, and the index is EB slope / conditional SD
    slopes = pd.DataFrame(rc.attrs["slopes"]).set_index("subject")
    one = rc.set_index("subject").loc[1]
    assert (one["pre"], one["post"]) == (25, 13)
    assert one["rci"] == pytest.approx(slopes.at[1, "eb_slope"] / slopes.at[1, "eb_sd"])
    # reference table row 6: on the BDI the HLM method gives 5 improved / 32 unchanged / 3 deteriorated
    bdi = outcomes.hlm_change(claus_long(claus, "bdi"), "bdi", "time", "id", higher_is="worse")
    assert counts(bdi)[1:4] == [5, 32, 3]


def test_hlm_is_not_a_two_wave_method(claus):
    from laoyou_eval.errors import LaoyouError

    with pytest.raises(LaoyouError, match="hlm_change"):
        outcomes.reliable_change(claus["hamd1"], claus["hamd4"], reliability=0.8, method="hlm", higher_is="worse")
    two_waves = claus_long(claus, "hamd").query("time in (1, 4)")
    with pytest.raises(LaoyouError, match="three or more scores"):
        outcomes.hlm_change(two_waves, "hamd", "time", "id", higher_is="worse")
