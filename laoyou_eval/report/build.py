"""``laoyou-eval report``: from a study folder to the case-study document.

:func:`build_report` validates the folder, runs intake when the processed data are missing or
stale, analyses the study (:func:`laoyou_eval.report.analysis.analyse`), builds the document
(:func:`laoyou_eval.report.casereport.build_document`) and renders it.  The numbered notebooks
(:data:`laoyou_eval.config.NOTEBOOKS_DIR`) are executed with papermill as the analysis record,
each with the parameters ``study_dir``, ``lang`` and ``seed``, one after another in one kernel
(:func:`run_series`) that runs alongside the analysis and the writing of the document, and are
merged into one offline HTML file without code, ``OUT/notebooks/analysis.html``.
"""

from __future__ import annotations

import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from laoyou_eval.errors import LaoyouError
from laoyou_eval.progress import step

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


#: Run in the shared kernel between two notebooks: a fresh namespace and execution count, no open figures.
RESET_KERNEL = "import matplotlib.pyplot\nmatplotlib.pyplot.close('all')\nget_ipython().reset(new_session=True)"


def _kernel_config():
    """Kernel connection encrypted (CurveZMQ) where the kernel supports it, which also keeps
    ipykernel's "running over TCP without encryption" warning out of the progress output."""
    from traitlets.config import Config

    return Config({"KernelManager": {"transport_encryption": "auto"}})


def run_notebook(source: Path, target: Path, parameters: dict, kernel=None) -> Path:
    """Execute one notebook with papermill into ``target``.

    Parameters
    ----------
    source, target : Path
    parameters : dict
        Injected by papermill after the cell tagged ``parameters``.
    kernel : jupyter_client.KernelManager, optional
        The manager of a running kernel to execute in (see :func:`run_series`); by default
        the notebook gets a kernel of its own.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    target.parent.mkdir(parents=True, exist_ok=True)
    shared = {"km": kernel} if kernel is not None else {}
    try:
        papermill.execute_notebook(str(source), str(target), parameters=parameters, kernel_name=kernel_name(),
                                   progress_bar=False, log_output=False, cwd=str(source.parent),
                                   config=_kernel_config(), **shared)
    except PapermillExecutionError as error:
        raise LaoyouError(
            f"笔记本 {source.name} 在第 {error.exec_count} 个代码格出错：\n{error.ename}: {error.evalue}",
            f"Notebook {source.name} failed in code cell {error.exec_count} (error above).",
            file=target, hint_zh="打开这个已执行的笔记本查看完整的错误记录。",
            hint_en="open this executed notebook to see the full traceback.") from None
    return target


def _reset(km) -> None:
    """Run :data:`RESET_KERNEL` in the kernel of ``km``, through a client of its own (a client
    that papermill has used gets no replies any more)."""
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=120)
        kc.execute_interactive(RESET_KERNEL, silent=True, store_history=False, timeout=120, output_hook=lambda _: None)
    finally:
        kc.stop_channels()


def run_series(series: list[Path], out_dir: Path, parameters: dict, stop=None) -> tuple[list[Path], list[str]]:
    """Execute the notebooks in order in **one** kernel into ``out_dir``.

    Starting a kernel and importing pandas, matplotlib and the library costs seconds per
    notebook, and every notebook analyses the study again; in one kernel both happen once
    (:func:`laoyou_eval.report.analysis.prepared` keeps the analysis for the next notebook).
    Between two notebooks the namespace is emptied and the execution count restarts
    (:data:`RESET_KERNEL`), so each notebook sees what a fresh kernel would and relies on no
    name another notebook defined.

    Parameters
    ----------
    series : list of Path
    out_dir : Path
    parameters : dict
        Passed to every notebook (see :func:`run_notebook`).
    stop : threading.Event, optional
        When set, no further notebook is started.

    Returns
    -------
    (executed, failed)
        The executed notebooks, and ``"name: message"`` of each notebook that failed (the
        series goes on after a failure).
    """
    from jupyter_client.manager import KernelManager

    km = KernelManager(kernel_name=kernel_name(), config=_kernel_config())
    km.start_kernel(cwd=str(series[0].parent))
    executed, failed = [], []
    try:
        for k, source in enumerate(series):
            if stop is not None and stop.is_set():
                break
            if k:
                _reset(km)
            try:
                executed.append(run_notebook(source, out_dir / source.name, parameters, kernel=km))
            except LaoyouError as error:
                failed.append(f"{source.name}: {error.en}")
    finally:
        km.shutdown_kernel()
    return executed, failed


def export_html(executed: list[Path], target: Path, title: str, lang: str = "zh") -> Path:
    """Merge executed notebooks into one offline HTML report without code cells."""
    import nbformat
    from nbconvert import HTMLExporter

    merged = nbformat.v4.new_notebook()
    merged.metadata["title"] = title
    for number, path in enumerate(executed, start=1):
        nb = nbformat.read(path, as_version=4)
        merged.metadata.setdefault("kernelspec", nb.metadata.get("kernelspec"))
        merged.metadata.setdefault("language_info", nb.metadata.get("language_info"))
        for cell in nb.cells:
            tags = set(cell.get("metadata", {}).get("tags", []))
            if tags & {"parameters", "injected-parameters", "remove-from-report"}:
                continue
            if "id" in cell:  # notebooks share ids (cell-00 …): one per notebook keeps them unique, silently
                cell["id"] = f"nb{number}-{cell['id']}"[:64]
            merged.cells.append(cell)
    exporter = HTMLExporter(template_name="offline", extra_template_basedirs=[str(TEMPLATES_DIR)],
                            exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
                            language_code="zh-CN" if lang == "zh" else "en")
    body, _ = exporter.from_notebook_node(merged)
    from laoyou_eval.storage import atomic_write_bytes

    return atomic_write_bytes(target, body.encode("utf-8"))


def build_report(study_dir: Path, out_dir: Path, lang: str = "zh", seed: int | None = None,
                 notebooks_dir: Path | None = None, notebooks: bool = True, announce=print) -> Path:
    """Validate the study folder, bring its processed data up to date, analyse it and write the
    case-study document.

    Parameters
    ----------
    study_dir : Path
        A study folder described by its ``study.yaml``.
    out_dir : Path
        Where the report goes (created if needed).
    lang : {"zh", "en"}
    seed : int, optional
        Seed of permutation tests and of the notebooks (default :data:`laoyou_eval.config.DEMO_SEED`).
    notebooks : bool, default True
        Also execute the notebook series on the study (the analysis record) into
        ``OUT/notebooks/`` with one merged ``analysis.html``, linked from the appendix.  A
        notebook that fails is reported and the document is still written.

    Returns
    -------
    Path
        ``report.html``; ``report.docx``, ``report_tables.xlsx``, ``report_facts.json`` and
        (where Chromium is installed) ``report.pdf`` are written next to it.  Every
        placeholder the student still has to fill in is printed at the end.
    """
    from laoyou_eval import config, dataset, study
    from laoyou_eval.report import render, set_language, theme
    from laoyou_eval.report.analysis import analyse
    from laoyou_eval.report.casereport import build_document

    study_dir, out_dir = Path(study_dir), Path(out_dir)
    seed = config.DEMO_SEED if seed is None else seed
    series = notebook_series(notebooks_dir) if notebooks else []
    total = 4 + bool(series)
    with step("检查研究文件夹", "checking the study folder", f"1/{total}"):
        spec, problems = study.validate(study_dir)
        errors = problems[problems.severity == "error"]
        if len(errors):
            raise study.folder.folder_error(study_dir, errors)
    for row in problems[problems.severity == "warning"].itertuples():
        announce(f"  提示 note [{row.component}] {row.file}: {row.problem_zh} / {row.problem_en}")
    with step("整理数据（intake）", "processed data (intake)", f"2/{total}"):
        ds = dataset.ensure(study_dir, announce=announce)
    link = "notebooks/analysis.html" if series else None
    background, stop = None, threading.Event()
    if series:  # the kernel runs the notebooks while this process analyses and writes the document
        parameters = {"study_dir": str(study_dir.resolve()), "lang": lang, "seed": int(seed)}
        background = ThreadPoolExecutor(max_workers=1)
        running = background.submit(run_series, series, out_dir / "notebooks", parameters, stop)
    try:
        with step("分析", "analysing", f"3/{total}"):
            set_language(lang)
            theme()
            results = analyse(ds, seed=seed)
        with step("写出报告 HTML、Word、Excel、PDF", "writing the report: HTML, Word, Excel, PDF", f"4/{total}"):
            doc = build_document(ds, results, lang=lang, notebooks_link=link)
            html = render.to_html(doc, out_dir / "report.html")
            render.to_docx(doc, out_dir / "report.docx")
            render.to_xlsx(doc, out_dir / "report_tables.xlsx")
            render.write_facts(doc, out_dir / "report_facts.json")
            render.to_pdf(html, out_dir / "report.pdf")
    except BaseException:
        stop.set()  # the notebook under way finishes, no other starts
        raise
    finally:
        if background is not None:
            background.shutdown(wait=False)
    if series:
        with step("分析笔记本（与第 3–4 步同时运行）", "the analysis notebooks (run alongside steps 3–4)",
                  f"{total}/{total}"):
            executed, failed = running.result()
            if executed:
                export_html(executed, out_dir / "notebooks" / "analysis.html", title=spec.title_in(lang), lang=lang)
        for message in failed:
            announce(f"  警告 warning: {message}")
    if doc.placeholders:
        announce("需要你补充的内容 Placeholders to fill in:")
        for placeholder in doc.placeholders:
            announce(f"  - {placeholder}")
    return html
