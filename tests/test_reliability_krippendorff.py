"""Krippendorff's alpha for k coders: Krippendorff's (2011) worked example, the example of the
``krippendorff`` package docstring (Wikipedia's 3 × 15 data), and the package as a second
implementation on random data with missing codes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from laoyou_eval import reliability
from laoyou_eval.errors import LaoyouError
from laoyou_eval.reliability.notes import explain_note
from laoyou_eval.report import set_language


@pytest.fixture(autouse=True)
def english():
    set_language("en")
    yield
    set_language("zh")

nan = np.nan
# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", §C: 4 observers × 12 units
K2011 = [[1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
         [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
         [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
         [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan]]
# Wikipedia "Krippendorff's alpha" / krippendorff package docstring: 3 coders × 15 units
WIKI = [[nan, nan, nan, nan, nan, 3, 4, 1, 2, 1, 1, 3, 3, nan, 3],
        [1, nan, 2, 1, 3, 3, 4, 3, nan, nan, nan, nan, nan, nan, nan],
        [nan, nan, 2, 1, 3, 4, 4, nan, 2, 1, 1, 3, 3, nan, 4]]


def units_by_coders(coders_by_units) -> pd.DataFrame:
    return pd.DataFrame(coders_by_units, index=[f"coder{i}" for i in range(len(coders_by_units))]).T


def alpha(data, level, **kw) -> float:
    return float(reliability.krippendorff_alpha(data, level, **kw).at[0, "krippendorff_alpha"])


@pytest.mark.parametrize("level, published", [("nominal", 0.743), ("ordinal", 0.815),
                                              ("interval", 0.849), ("ratio", 0.797)])
def test_krippendorff_2011_worked_example(level, published):
    """Krippendorff (2011) §C gives α = .743 (nominal), .815 (ordinal), .849 (interval), .797 (ratio)."""
    import krippendorff

    ours = alpha(units_by_coders(K2011), level)
    assert round(ours, 3) == published
    theirs = krippendorff.alpha(reliability_data=np.array(K2011, dtype=float), level_of_measurement=level)
    assert ours == pytest.approx(theirs, abs=1e-12)


def test_krippendorff_2011_counts():
    res = reliability.krippendorff_alpha(units_by_coders(K2011)).iloc[0]
    # unit 12 has one code only; the 11 pairable units hold 40 values (Krippendorff 2011: n.. = 40)
    assert res["n_units"] == 12 and res["n_pairable_units"] == 11 and res["n_pairable_values"] == 40
    assert res["n_coders"] == 4 and "1 unit(s) with fewer than 2 codes" in explain_note(res["note"])


def test_wikipedia_example():
    """krippendorff package docstring: nominal 0.691358, interval 0.810845."""
    data = units_by_coders(WIKI)
    assert alpha(data, "nominal") == pytest.approx(0.691358, abs=5e-7)
    assert alpha(data, "interval") == pytest.approx(0.810845, abs=5e-7)


def test_long_format_and_named_ordinal_codes_give_the_same_alpha():
    wide = units_by_coders(K2011)
    long = wide.rename_axis("unit").reset_index().melt(id_vars="unit", var_name="coder", value_name="code")
    assert alpha(long, "ordinal", unit="unit", coder="coder", code="code") == pytest.approx(alpha(wide, "ordinal"))
    names = {1: "very low", 2: "low", 3: "mid", 4: "high", 5: "very high"}
    named = wide.apply(lambda col: col.map(names))
    order = ["very low", "low", "mid", "high", "very high"]
    assert alpha(named, "ordinal", value_order=order) == pytest.approx(0.815, abs=5e-4)
    assert alpha(named, "nominal") == pytest.approx(alpha(wide, "nominal"))


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
def test_random_data_with_missing_codes_match_the_krippendorff_package(level):
    import krippendorff

    rng = np.random.default_rng(17)
    for _ in range(5):
        k, units = rng.integers(2, 7), rng.integers(5, 40)
        data = rng.integers(1, 6, size=(k, units)).astype(float)
        data[rng.random(data.shape) < 0.25] = np.nan
        ours = alpha(units_by_coders(data.tolist()), level)
        theirs = krippendorff.alpha(reliability_data=data, level_of_measurement=level)
        assert ours == pytest.approx(theirs, abs=1e-10, nan_ok=True)


def test_two_coders_agree_with_agreement():
    a = pd.Series(["x", "y", "x", "z", None, "y"])
    b = pd.Series(["x", "y", "y", "z", "x", "y"])
    assert alpha(pd.DataFrame({"a": a, "b": b}), "nominal") == pytest.approx(
        reliability.agreement(a, b).at[0, "krippendorff_alpha"])


def test_undefined_and_bad_input():
    one_value = pd.DataFrame({"a": [1, 1, 1], "b": [1, 1, None]})
    res = reliability.krippendorff_alpha(one_value).iloc[0]
    assert np.isnan(res["krippendorff_alpha"]) and res["note"]
    nothing = reliability.krippendorff_alpha(pd.DataFrame({"a": [1, None], "b": [None, 2]})).iloc[0]
    assert np.isnan(nothing["krippendorff_alpha"]) and nothing["n_pairable_units"] == 0
    with pytest.raises(LaoyouError):
        reliability.krippendorff_alpha(pd.DataFrame({"a": ["x", "y"], "b": ["x", "x"]}), "interval")
    with pytest.raises(LaoyouError):
        reliability.krippendorff_alpha(pd.DataFrame({"a": [1, 2]}), "poisson")
    with pytest.raises(LaoyouError):
        reliability.krippendorff_alpha(pd.DataFrame({"a": ["lo", "hi"], "b": ["lo", "mid"]}), "ordinal",
                                       value_order=["lo", "hi"])
    dup = pd.DataFrame({"u": [1, 1], "c": ["a", "a"], "v": [1, 2]})
    with pytest.raises(LaoyouError):
        reliability.krippendorff_alpha(dup, unit="u", coder="c", code="v")
