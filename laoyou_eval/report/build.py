"""``laoyou-eval report``: from a study folder to the case-study document.

:func:`build_report` validates the folder, runs intake when the processed data are missing or
stale, analyses the study (:func:`laoyou_eval.report.analysis.analyse`), builds the document
(:func:`laoyou_eval.report.casereport.build_document`) and renders it.  The numbered notebooks
(:data:`laoyou_eval.config.NOTEBOOKS_DIR`) are executed with papermill as the analysis record,
each with the parameters ``study_dir``, ``lang`` and ``seed``, and merged into one offline
HTML file without code, ``OUT/notebooks/analysis.html``.
"""

from __future__ import annotations

import os
import sys
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
    with step("分析", "analysing", f"3/{total}"):
        set_language(lang)
        theme()
        results = analyse(ds, seed=seed)
    link = "notebooks/analysis.html" if series else None
    if series:
        with step("运行分析笔记本", "running the analysis notebooks", f"4/{total}"):
            executed, failed = [], []
            parameters = {"study_dir": str(study_dir.resolve()), "lang": lang, "seed": int(seed)}
            for source in series:
                try:
                    executed.append(run_notebook(source, out_dir / "notebooks" / source.name, parameters))
                except LaoyouError as error:
                    failed.append(f"{source.name}: {error.en}")
            if executed:
                export_html(executed, out_dir / "notebooks" / "analysis.html", title=spec.title_in(lang), lang=lang)
        for message in failed:
            announce(f"  警告 warning: {message}")
    with step("写出报告 HTML、Word、Excel、PDF", "writing the report: HTML, Word, Excel, PDF", f"{total}/{total}"):
        doc = build_document(ds, results, lang=lang, notebooks_link=link)
        html = render.to_html(doc, out_dir / "report.html")
        render.to_docx(doc, out_dir / "report.docx")
        render.to_xlsx(doc, out_dir / "report_tables.xlsx")
        render.write_facts(doc, out_dir / "report_facts.json")
        render.to_pdf(html, out_dir / "report.pdf")
    if doc.placeholders:
        announce("需要你补充的内容 Placeholders to fill in:")
        for placeholder in doc.placeholders:
            announce(f"  - {placeholder}")
    return html
