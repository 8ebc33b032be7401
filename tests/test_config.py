import subprocess
import sys

from conftest import REPO


def test_paths_point_into_the_checkout():
    from laoyou_eval import config

    assert config.PROJ_ROOT == REPO
    assert config.RAW_DIR == REPO / "data" / "raw"
    assert config.PROCESSED_DIR == REPO / "data" / "processed"
    assert config.DEMO_STUDY_DIR == REPO / "data" / "raw" / "demo"
    assert config.NOTEBOOKS_DIR == REPO / "notebooks"
    assert config.REPORTS_DIR == REPO / "reports"


def test_root_can_be_overridden(tmp_path):
    code = "from laoyou_eval import config; print(config.DEMO_STUDY_DIR)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"LAOYOU_EVAL_ROOT": str(tmp_path), "PATH": ""}).stdout.strip()
    assert out == str(tmp_path / "data" / "raw" / "demo")


def test_import_is_light():
    """`import laoyou_eval` must not pull in pandas, matplotlib, networkx or scipy."""
    code = ("import sys, laoyou_eval; heavy = [m for m in ('pandas', 'numpy', 'matplotlib', 'networkx',"
            " 'scipy', 'statsmodels') if m in sys.modules]; print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == ""


def test_submodules_load_lazily():
    import laoyou_eval

    assert laoyou_eval.config.DEMO_SEED == 20240601
    assert "demo" in dir(laoyou_eval)
