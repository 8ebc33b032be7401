"""Run the notebook series on a study folder and export the case-study report.

The notebooks in :data:`laoyou_eval.config.NOTEBOOKS_DIR` (``NN_name.ipynb``) are executed
in order with papermill, each with the parameters ``study_dir``, ``lang`` and ``seed``; the
executed copies go to ``OUT/notebooks/`` and their narrative and outputs (no code) are
merged into one offline HTML file, ``OUT/report.html``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from laoyou_eval.errors import LaoyouError
from laoyou_eval.progress import step
from laoyou_eval.report import export

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
#: Fallback kernel: Jupyter's name for the interpreter that runs the report.
KERNEL_NAME = "python3"


def kernel_name() -> str:
    """The project's kernel (``laoyou-eval``, registered by ``laoyou-eval setup``) when it runs
    this interpreter, else :data:`KERNEL_NAME`, so the notebooks always see the same library."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    from laoyou_eval.devsetup import KERNEL_NAME as PROJECT_KERNEL

    try:
        spec = KernelSpecManager().get_kernel_spec(PROJECT_KERNEL)
    except NoSuchKernel:
        return KERNEL_NAME
    # absolute, not resolved: a venv's python is a symlink to the same base interpreter as every other venv's
    runs_here = bool(spec.argv) and os.path.normcase(os.path.abspath(spec.argv[0])) == \
        os.path.normcase(os.path.abspath(sys.executable))
    return PROJECT_KERNEL if runs_here else KERNEL_NAME


def notebook_series(notebooks_dir: Path | None = None) -> list[Path]:
    """The numbered notebooks (``NN_*.ipynb``) in run order."""
    from laoyou_eval import config

    folder = Path(notebooks_dir or config.NOTEBOOKS_DIR)
    series = sorted(p for p in folder.glob("[0-9][0-9]_*.ipynb"))
    if not series:
        raise LaoyouError("找不到编号笔记本（NN_名称.ipynb）。", "No numbered notebooks (NN_name.ipynb) found.",
                          file=folder)
    return series


def run_notebook(source: Path, target: Path, parameters: dict) -> Path:
    """Execute one notebook with papermill into ``target``.

    The kernel connection is encrypted (CurveZMQ) where the kernel supports it, which is also
    what keeps ipykernel's "running over TCP without encryption" warning out of the progress
    output.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError
    from traitlets.config import Config

    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        papermill.execute_notebook(str(source), str(target), parameters=parameters, kernel_name=kernel_name(),
                                   progress_bar=False, log_output=False, cwd=str(source.parent),
                                   config=Config({"KernelManager": {"transport_encryption": "auto"}}))
    except PapermillExecutionError as error:
        raise LaoyouError(
            f"笔记本 {source.name} 在第 {error.exec_count} 个代码格出错：\n{error.ename}: {error.evalue}",
            f"Notebook {source.name} failed in code cell {error.exec_count} (error above).",
            file=target, hint_zh="打开这个已执行的笔记本查看完整的错误记录。",
            hint_en="open this executed notebook to see the full traceback.") from None
    return target


def export_html(executed: list[Path], target: Path, title: str, lang: str = "zh") -> Path:
    """Merge executed notebooks into one offline HTML report without code cells."""
    import nbformat
    from nbconvert import HTMLExporter

    merged = nbformat.v4.new_notebook()
    merged.metadata["title"] = title
    for path in executed:
        nb = nbformat.read(path, as_version=4)
        merged.metadata.setdefault("kernelspec", nb.metadata.get("kernelspec"))
        merged.metadata.setdefault("language_info", nb.metadata.get("language_info"))
        for cell in nb.cells:
            tags = set(cell.get("metadata", {}).get("tags", []))
            if tags & {"parameters", "injected-parameters", "remove-from-report"}:
                continue
            merged.cells.append(cell)
    exporter = HTMLExporter(template_name="offline", extra_template_basedirs=[str(TEMPLATES_DIR)],
                            exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
                            language_code="zh-CN" if lang == "zh" else "en")
    body, _ = exporter.from_notebook_node(merged)
    from laoyou_eval.storage import atomic_write_bytes

    return atomic_write_bytes(target, body.encode("utf-8"))


def build_report(study_dir: Path, out_dir: Path, lang: str = "zh", seed: int | None = None,
                 notebooks_dir: Path | None = None) -> Path:
    """Validate the study folder, run every notebook on it and write ``report.html``.

    Parameters
    ----------
    study_dir : Path
        A study folder laid out like ``data/raw/demo/``.
    out_dir : Path
        Where executed notebooks and the report go (created if needed).
    lang : {"zh", "en"}
    seed : int, optional
        Seed passed to the notebooks (default :data:`laoyou_eval.config.DEMO_SEED`).

    Returns
    -------
    Path
        The HTML report; ``report.docx``, ``report_tables.xlsx`` and (where Chromium is
        installed) ``report.pdf`` are written next to it.
    """
    from laoyou_eval import config, study

    seed = config.DEMO_SEED if seed is None else seed
    series = notebook_series(notebooks_dir)
    total = len(series) + 2
    with step("检查研究文件夹", "checking the study folder", f"1/{total}"):
        study.check_study_folder(study_dir)
    executed = []
    parameters = {"study_dir": str(Path(study_dir).resolve()), "lang": lang, "seed": int(seed)}
    for k, source in enumerate(series, start=2):
        with step(f"运行笔记本 {source.name}", f"running {source.name}", f"{k}/{total}"):
            executed.append(run_notebook(source, Path(out_dir) / "notebooks" / source.name, parameters))
    title = "社区老友支持计划 评估报告 / Community Buddy programme evaluation"
    with step("导出 HTML、Word、Excel、PDF", "exporting HTML, Word, Excel, PDF", f"{total}/{total}"):
        html = export_html(executed, Path(out_dir) / "report.html", title=title, lang=lang)
        blocks = export.collect(executed)
        export.to_docx(blocks, Path(out_dir) / "report.docx", title)
        export.to_excel(blocks, Path(out_dir) / "report_tables.xlsx")
        export.to_pdf(html, Path(out_dir) / "report.pdf")
    return html
