"""Careless study folders through the commands a student runs: every one ends in a bilingual
error naming what to fix (exit status 2), never a traceback, and nothing is written."""

from __future__ import annotations

import shutil

import pytest
import yaml

from laoyou_eval import cli


def _meta(folder):
    return yaml.safe_load((folder / "study.yaml").read_text(encoding="utf-8"))


def _write_meta(folder, meta):
    (folder / "study.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")


def invalid_yaml(folder):
    (folder / "study.yaml").write_text("study: x\nwaves: {1: [\n", encoding="utf-8")
    return "YAML"


def missing_export(folder):
    (folder / "surveys/residents_w2_text.csv").unlink()
    return "residents_w2_text.csv"


def wrong_id_question(folder):
    meta = _meta(folder)
    meta["surveys"][0]["id_question"] = "编号"
    _write_meta(folder, meta)
    return "编号"


def roster_without_arm(folder):
    text = (folder / "roster.csv").read_text(encoding="utf-8-sig").replace("arm,", "组别,", 1)
    (folder / "roster.csv").write_text(text, encoding="utf-8-sig")
    return "arm"


def truncated_workbook(folder):
    path = folder / "surveys/residents_w1_text.xlsx"
    path.write_bytes(path.read_bytes()[:2000])
    return "residents_w1_text.xlsx"


def codebook_bad_min(folder):
    path = folder / "codebooks/caregivers.yaml"
    book = yaml.safe_load(path.read_text(encoding="utf-8"))
    book["survey"][-1]["min"] = "zero"
    path.write_text(yaml.safe_dump(book, allow_unicode=True), encoding="utf-8")
    return "caregivers.yaml"


def unknown_outcome(folder):
    meta = _meta(folder)
    meta["outcomes"] = {"residents": ["pss10"]}
    _write_meta(folder, meta)
    return "pss10"


def wave_typo(folder):
    meta = _meta(folder)
    meta["surveys"][1]["wave"] = 3
    _write_meta(folder, meta)
    return "surveys[2].wave"


BREAKAGES = [invalid_yaml, missing_export, wrong_id_question, roster_without_arm, truncated_workbook,
             codebook_bad_min, unknown_outcome, wave_typo]


@pytest.mark.parametrize("breakage", BREAKAGES, ids=lambda f: f.__name__)
@pytest.mark.parametrize("command", ["intake", "report"])
def test_a_broken_folder_gets_a_bilingual_error(breakage, command, demo_study, tmp_path, capsys):
    folder = shutil.copytree(demo_study, tmp_path / "study")
    expected = breakage(folder)
    out = tmp_path / "out"
    args = [command, "--study", str(folder), "--out", str(out)]
    status = cli.main(args)
    err = capsys.readouterr().err
    assert status == 2, err
    assert "错误 Error" in err and "Traceback" not in err and "Internal error" not in err
    assert expected in err
    assert not out.exists() or not any(out.rglob("*.csv"))
