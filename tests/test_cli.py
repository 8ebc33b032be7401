"""The `laoyou-eval` command, end to end, in a temporary project folder."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO, tree_digest

COMMAND = [sys.executable, "-m", "laoyou_eval.cli"]


def _run(args, env=None, cwd=None):
    return subprocess.run(COMMAND + args, capture_output=True, text=True, env=env, cwd=cwd, timeout=600)


def test_help_is_bilingual():
    result = _run(["--help"])
    assert result.returncode == 0
    for word in ("demo", "report", "synth", "演示数据"):
        assert word in result.stdout


def test_entry_point_is_installed():
    exe = Path(sys.executable).parent / "laoyou-eval"
    assert exe.exists(), "the console script `laoyou-eval` is not installed (pip install -e .)"
    assert subprocess.run([str(exe), "--version"], capture_output=True, text=True).stdout.startswith("laoyou_eval")


def test_demo_end_to_end_in_a_temporary_project(tmp_path):
    """`laoyou-eval demo` on a project without demo data: generates it, runs intake and every
    notebook, writes the case-study report (offline HTML, Word, Excel, PDF) and prints its path;
    the repository is left untouched."""
    shutil.copytree(REPO / "notebooks", tmp_path / "notebooks",
                    ignore=shutil.ignore_patterns("exploratory", ".ipynb_checkpoints"))
    env = {**os.environ, "LAOYOU_EVAL_ROOT": str(tmp_path)}
    repo_raw = tree_digest(REPO / "data" / "raw" / "demo")

    result = _run(["demo"], env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    match = re.search(r"Report written: (\S+)", result.stdout)
    report = Path(match.group(1))
    assert report == tmp_path / "reports" / "demo" / "report.html" and report.is_file()
    assert "[1/" in result.stderr and "完成 done" in result.stderr  # progress is shown

    html = report.read_text(encoding="utf-8")
    assert "一、背景与起因" in html and "研究设计与方法" in html and "data:image/png;base64" in html
    assert "【待填写" in html  # facts the demo study does not give are marked, never invented
    assert (tmp_path / "reports/demo/notebooks/analysis.html").is_file()  # the analysis record, linked
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), "the report loads something from outside"
    assert not re.search(r"(?<![\d./])1[3-9]\d{9}(?!\d)", html)  # no phone numbers (a DOI is not one)
    assert (tmp_path / "reports/demo/notebooks/00_overview.ipynb").is_file()
    assert (tmp_path / "data/processed/demo/manifest.json").is_file()  # intake ran, pseudonymised
    from laoyou_eval import privacy

    names = privacy.study_names(REPO / "data/raw/demo")
    assert privacy.scan(tmp_path / "reports", names=names).empty
    assert privacy.scan(tmp_path / "data/processed", names=names).empty
    _check_exports(report)
    # the demo study it generated is the committed one, and the repository was not touched
    assert tree_digest(tmp_path / "data/raw/demo") == repo_raw
    assert tree_digest(REPO / "data" / "raw" / "demo") == repo_raw

    # a copy of the demo study, passed as a student's own data, goes through `report --study`
    # unchanged, here in English
    own = shutil.copytree(tmp_path / "data/raw/demo", tmp_path / "my_study")
    again = _run(["report", "--study", str(own), "--out", str(tmp_path / "my_report"), "--lang", "en"],
                 env=env, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert tree_digest(own) == repo_raw
    html_en = (tmp_path / "my_report" / "report.html").read_text(encoding="utf-8")
    assert 'lang="en"' in html_en and "1. Background" in html_en and "背景与起因" not in html_en
    assert "Design and methods" in html_en and "[TO FILL:" in html_en
    assert (tmp_path / "my_report" / "report.docx").is_file()


def _check_exports(report: Path) -> None:
    """Word, Excel and (with Chromium) PDF versions of the report."""
    import docx
    import pandas as pd
    from docx.oxml.ns import qn

    from laoyou_eval.report.export import find_chromium

    document = docx.Document(str(report.with_name("report.docx")))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert any("背景与起因" in h for h in headings) and any("研究设计与方法" in h for h in headings)
    assert len(document.tables) >= 8
    assert document.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
    first = document.tables[0]._tbl.xpath(".//w:tcBorders/w:top")
    assert first, "three-line borders are set"
    sheets = pd.read_excel(report.with_name("report_tables.xlsx"), sheet_name=None, engine="openpyxl")
    assert len(sheets) >= 8 and all(len(sheet.columns) for sheet in sheets.values())
    pdf = report.with_name("report.pdf")
    chromium = find_chromium()
    if chromium is None:
        assert not pdf.exists()
        return
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 50_000
    dom = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                          "--no-first-run", f"--user-data-dir={report.parent / '.dom-profile'}", "--dump-dom",
                          report.resolve().as_uri()], capture_output=True, text=True, timeout=120).stdout
    assert "背景与起因" in dom and "<table" in dom
