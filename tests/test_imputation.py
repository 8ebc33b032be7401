"""Multiple imputation by chained equations with predictive mean matching: same inputs and seed,
same imputations on every machine (issue 16), checked against statsmodels where it is
deterministic (no ties)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from laoyou_eval import outcomes
from laoyou_eval.errors import LaoyouError
from laoyou_eval.outcomes.attrition import _symmetric_sqrt, pmm_imputations

from conftest import REPO


def continuous_two_arm(seed=3, n_t=12, n_c=15, lost=(0, 2, 13, 16, 20)):
    """Long data with continuous scores: predictions of the imputation model never tie."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n_t + n_c):
        arm = "programme" if i < n_t else "comparison"
        base = rng.normal(20 + (arm == "programme"), 4)
        rows.append({"id": f"S{i:02d}", "wave": 1, "arm": arm, "y": base})
        if i not in lost:
            rows.append({"id": f"S{i:02d}", "wave": 2, "arm": arm,
                         "y": 0.8 * base + 4 - 2 * (arm == "programme") + rng.normal(0, 2)})
    return pd.DataFrame(rows)


def integer_two_arm(seed=5, n=46):
    """Long data with integer scores 3–9 and a binary arm, as on a short scale: many exact ties."""
    rng = np.random.default_rng(seed)
    arm = np.where(np.arange(n) < n // 2, "programme", "comparison")
    pre = rng.integers(3, 10, n)
    post = np.clip(pre - 2 * (arm == "programme") + rng.integers(-1, 2, n), 3, 9).astype(float)
    post[rng.choice(n, 6, replace=False)] = np.nan
    ids = [f"P{i:02d}" for i in range(n)]
    return pd.concat([pd.DataFrame({"id": ids, "wave": 1, "arm": arm, "y": pre.astype(float)}),
                      pd.DataFrame({"id": ids, "wave": 2, "arm": arm, "y": post})], ignore_index=True)


def statsmodels_imputer(table, seed):
    """statsmodels' MICEData with the one change that makes it deterministic across LAPACK builds:
    β* = β̂ + V^½ z with the symmetric square root (statsmodels draws through an SVD)."""
    from statsmodels.imputation import mice

    class SymmetricDraw(mice.MICEData):
        def _perturb_gaussian(self, vname):
            endog, exog, init_kwds, fit_kwds = self.get_fitting_data(vname)
            self.models[vname] = self.model_class[vname](endog, exog, **init_kwds)
            self.results[vname] = self.models[vname].fit(**fit_kwds)
            mu = np.asarray(self.results[vname].params)
            self.params[vname] = mu + _symmetric_sqrt(np.asarray(self.results[vname].cov_params())) @ \
                self.rng.standard_normal(len(mu))

    return SymmetricDraw(table, rng=np.random.default_rng(seed))


def test_imputations_equal_statsmodels_mice_without_ties():
    """Second implementation: where no predictions tie, the chain is statsmodels' chain."""
    wide = continuous_two_arm().pivot(index="id", columns="wave", values="y").set_axis(["pre", "post"], axis=1)
    wide["x"] = np.random.default_rng(8).normal(size=len(wide))
    wide.iloc[[4, 9], 2] = np.nan               # two incomplete columns: the visiting order matters too
    table = wide.reset_index(drop=True)
    ours = pmm_imputations(table, n_imputations=4, n_burnin=3, seed=7)
    imputer = statsmodels_imputer(table, seed=7)
    imputer.update_all(3)
    for mine in ours:
        imputer.update_all(4)
        pd.testing.assert_frame_equal(mine, imputer.data, check_exact=False, rtol=1e-12)


def test_rubin_pooling_equals_statsmodels_mice():
    import statsmodels.api as sm
    from statsmodels.imputation import mice

    data = continuous_two_arm()
    res = outcomes.missing_data_analyses(data, "y", "wave", "id", group="arm", n_imputations=8, n_burnin=5,
                                         seed=11).iloc[2]
    wide = data.pivot(index="id", columns="wave", values="y").rename(columns={1: "pre", 2: "post"})
    wide["treated"] = (data.drop_duplicates("id").set_index("id")["arm"] == "programme").astype(float)
    imputer = statsmodels_imputer(wide[["pre", "post", "treated"]].reset_index(drop=True), seed=11)
    theirs = mice.MICE("I(post - pre) ~ treated", sm.OLS, imputer).fit(n_burnin=5, n_imputations=8)
    assert res["estimate"] == pytest.approx(theirs.params[1], rel=1e-10)
    assert res["se"] == pytest.approx(theirs.bse[1], rel=1e-10)


_OTHER_MACHINE = """
import json, sys
import pandas as pd
from laoyou_eval import outcomes
data = pd.read_json(sys.stdin, orient="split")
res = outcomes.missing_data_analyses(data, "y", "wave", "id", group="arm", n_imputations=10, seed=3)
print(json.dumps(res[["estimate", "se", "ci_low", "ci_high"]].to_numpy().tolist()))
"""


def test_same_table_with_other_sort_and_blas_kernels():
    """Regression test of issue 16.  NumPy's default (unstable) sort orders ties differently with
    its AVX2/AVX-512 kernels than with its baseline one, and statsmodels' PMM sorted tied
    predictions with it, so the MICE row of notebook 03 changed from one CPU to another.  Here
    the same call runs in a child process restricted to NumPy's baseline kernels and another
    OpenBLAS core type, as on an older machine: the numbers must agree to the last digits."""
    from numpy._core._multiarray_umath import __cpu_features__

    data = integer_two_arm()
    here = outcomes.missing_data_analyses(data, "y", "wave", "id", group="arm", n_imputations=10, seed=3)
    env = {**os.environ, "PYTHONPATH": str(REPO), "OPENBLAS_CORETYPE": "Nehalem"}
    if __cpu_features__.get("AVX2"):
        env["NPY_DISABLE_CPU_FEATURES"] = "X86_V3"
    child = subprocess.run([sys.executable, "-c", _OTHER_MACHINE], input=data.to_json(orient="split"),
                           capture_output=True, text=True, env=env, check=True)
    there = np.array(json.loads(child.stdout))
    # last-digit differences of summation order are expected; a different donor is not
    np.testing.assert_allclose(here[["estimate", "se", "ci_low", "ci_high"]].to_numpy(dtype=float), there,
                               rtol=1e-10)


def test_result_does_not_depend_on_the_order_of_the_input_rows():
    data = integer_two_arm()
    first = outcomes.missing_data_analyses(data, "y", "wave", "id", group="arm", n_imputations=10, seed=3)
    shuffled = data.sample(frac=1, random_state=1).reset_index(drop=True)
    again = outcomes.missing_data_analyses(shuffled, "y", "wave", "id", group="arm", n_imputations=10, seed=3)
    pd.testing.assert_frame_equal(first, again, check_exact=True)


def test_ties_are_broken_by_row_order_not_by_the_sort_kernel():
    """Three donors tie exactly with the missing row; with one donor the first of them is copied."""
    table = pd.DataFrame({"x": [1.0, 1, 1, 5, 1], "y": [10.0, 20, 30, 50, np.nan]})
    for seed in range(5):
        assert pmm_imputations(table, n_imputations=1, n_burnin=0, donors=1, seed=seed)[0].at[4, "y"] == 10.0
    drawn = {pmm_imputations(table, n_imputations=1, n_burnin=0, donors=3, seed=s)[0].at[4, "y"] for s in range(40)}
    assert drawn == {10.0, 20.0, 30.0}           # the pool is the three tied donors, never the far one


def test_seeded_and_observed_values_kept():
    data = integer_two_arm()
    table = data.pivot(index="id", columns="wave", values="y").set_axis(["pre", "post"], axis=1)
    table = table.reset_index(drop=True)
    one = pmm_imputations(table, n_imputations=3, seed=1)
    two = pmm_imputations(table, n_imputations=3, seed=1)
    other = pmm_imputations(table, n_imputations=3, seed=2)
    for a, b in zip(one, two):
        pd.testing.assert_frame_equal(a, b)
    assert any(not a.equals(c) for a, c in zip(one, other))
    observed = table.notna()
    for imputed in one:
        assert imputed.notna().all().all()
        pd.testing.assert_frame_equal(imputed[observed], table[observed])
        assert set(imputed["post"]) <= set(table["post"].dropna())   # PMM copies observed values only


def test_column_without_observed_values_is_an_error():
    with pytest.raises(LaoyouError, match="no observed value"):
        pmm_imputations(pd.DataFrame({"x": [1.0, 2, 3], "y": [np.nan] * 3}), n_imputations=1)


def test_symmetric_square_root():
    matrix = np.array([[4.0, 1.2], [1.2, 1.0]])
    root = _symmetric_sqrt(matrix)
    np.testing.assert_allclose(root @ root, matrix)
    np.testing.assert_allclose(root, root.T)
