"""Privacy: personal data are found, pseudonymised or redacted at intake, and never reach
processed data, notebooks or reports; raw data are never modified; writes are atomic."""

from __future__ import annotations

import json
import os
import subprocess

import docx
import pandas as pd
import pytest

from conftest import REPO, tree_digest
from laoyou_eval import intake, privacy, storage
from laoyou_eval.errors import LaoyouError
from laoyou_eval.io import read_table
from laoyou_eval.privacy import Pseudonymiser


# --- detectors -------------------------------------------------------------------------------

def test_detectors_and_masks():
    text = "联系王丽娟 13812345678 或 +86 139-1234-5678，身份证 11010519491231002X，IP 116.52.3.4，a.b@x.cn"
    kinds = [k for k, _, _ in privacy.find(text, names=["王丽娟"])]
    assert kinds == ["name", "phone", "phone", "id_number", "ip", "email"]
    assert privacy.redact(text, names=["王丽娟"]).startswith("联系[姓名] [手机号] 或 [手机号]")
    assert privacy.mask("13812345678") == "138****5678"


def test_id_numbers_need_a_valid_checksum():
    assert privacy.valid_id_number("11010519491231002X")  # the GB 11643 example
    assert not privacy.find("11010519491231002Y 110105194912310021")
    assert not privacy.find("版本 3.11.2 与 0.13812345678")  # not phones


# --- scanning ---------------------------------------------------------------------------------

def test_scan_finds_personal_data_in_every_file_kind(tmp_path):
    pd.DataFrame({"电话": ["13812345678"]}).to_csv(tmp_path / "a.csv", index=False)
    pd.DataFrame({"x": ["王丽娟"]}).to_excel(tmp_path / "b.xlsx", index=False)
    nb = {"cells": [{"cell_type": "code", "source": ["x = 1"], "metadata": {},
                     "outputs": [{"output_type": "stream", "name": "stdout", "text": ["116.52.3.4\n"]},
                                 {"output_type": "display_data", "metadata": {},
                                  "data": {"image/png": "MTM4MTIzNDU2Nzg=", "text/plain": ["<Figure>"]}}]}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "c.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    (tmp_path / "d.html").write_text('<img src="data:image/png;base64,13812345678AAAA"><p>a.b@x.cn</p>', encoding="utf-8")
    document = docx.Document()
    document.add_paragraph("身份证 11010519491231002X")
    document.save(tmp_path / "e.docx")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "ignored.txt").write_text("13812345678")
    (tmp_path / "f.bin").write_bytes(b"\x00\x01")
    found = privacy.scan(tmp_path, names=["王丽娟"])
    by_file = dict(zip(found.file.map(lambda f: f.rsplit("/", 1)[-1]), found.kind))
    assert by_file == {"a.csv": "phone", "b.xlsx": "name", "c.ipynb": "ip", "d.html": "email", "e.docx": "id_number"}
    assert found.excerpt.tolist() and "13812345678" not in found.to_string()
    assert found.attrs["not_scanned"] == [str(tmp_path / "f.bin")]


def test_committed_notebooks_hold_no_names_of_the_demo_study():
    names = privacy.study_names(REPO / "data/raw/demo")
    assert len(names) > 150
    assert privacy.scan(REPO / "notebooks", names=names).empty


# --- pseudonyms --------------------------------------------------------------------------------

def test_pseudonyms_are_stable_and_key_specific():
    a, b = Pseudonymiser(b"a" * 32), Pseudonymiser(b"b" * 32)
    assert a("R001") == a(" r001 ") and a("R001") != b("R001")
    assert a("王丽娟", kind="name") != a("王丽娟", kind="alter")
    assert a(None) is None and a("") is None
    assert "a" * 8 not in repr(a)


def test_keys_are_created_once_and_guarded(tmp_path, monkeypatch):
    monkeypatch.setenv("LAOYOU_EVAL_KEY_DIR", str(tmp_path / "keys"))
    first = Pseudonymiser.for_study("s1")
    assert oct((tmp_path / "keys/s1.key").stat().st_mode & 0o777) == "0o600"
    assert Pseudonymiser.for_study("s1", first.fingerprint)("R001") == first("R001")
    (tmp_path / "keys/s1.key").unlink()
    with pytest.raises(LaoyouError, match="missing"):
        Pseudonymiser.for_study("s1", first.fingerprint)
    Pseudonymiser.for_study("s1")  # a new key ...
    with pytest.raises(LaoyouError, match="not the one"):
        Pseudonymiser.for_study("s1", first.fingerprint)  # ... is not accepted for old data


# --- intake --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def processed(tmp_path_factory):
    from laoyou_eval import demo

    study = demo.generate(tmp_path_factory.mktemp("pii") / "pii_study", seed=5)
    before = tree_digest(study)
    out = intake.run(study, tmp_path_factory.mktemp("processed") / "pii_study")
    assert tree_digest(study) == before  # raw files untouched
    return study, out


def test_no_planted_identifier_reaches_processed_data(processed):
    study, out = processed
    roster = read_table(study / "roster.csv")
    volunteers = read_table(study / "process/volunteers.csv")
    alters = pd.concat([read_table(study / f"networks/alters_w{w}.csv") for w in (1, 2)])
    planted = set(roster.phone) | set(roster.caregiver_phone) | set(roster.id_number) | set(roster.caregiver_id_number)
    planted |= set(roster.name) | set(roster.caregiver_name) | set(roster.address) | set(volunteers.name) | set(volunteers.phone)
    planted |= {n for n in alters.alter_name if len(n) >= 3}
    wjx = read_table(study / "surveys/residents_w2_text.csv")
    planted |= {ip.split("(")[0] for ip in wjx["来自IP"]}
    text = "\n".join(p.read_text(encoding="utf-8-sig") for p in out.rglob("*.csv"))
    leaked = sorted(v for v in planted if v and v in text)
    assert leaked == []
    assert privacy.scan(out, names=privacy.study_names(study)).empty
    responses = read_table(out / "open_ended/responses.csv")
    assert responses.answer_text.str.contains(r"\[姓名\]|\[手机号\]").any()  # redacted, not dropped


def test_alter_pseudonyms_link_waves(processed):
    _, out = processed
    a1, a2 = (read_table(out / f"networks/alters_w{w}.csv") for w in (1, 2))
    merged = a1.merge(a2[a2.alter_id != ""], on=["ego_id", "alter_id"], suffixes=("_1", "_2"))
    same_name = merged.alter_key_1 == merged.alter_key_2
    assert same_name.mean() > 0.95  # kept alters keep their pseudonym (a few were re-spelled)
    assert "alter_name" not in a1.columns


def test_manifest_traces_outputs_to_inputs(processed):
    study, out = processed
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["inputs"]["surveys/residents_w1_text.xlsx"] == storage.sha256(study / "surveys/residents_w1_text.xlsx")
    assert manifest["outputs"]["surveys/scores.csv"] == storage.sha256(out / "surveys/scores.csv")
    assert set(manifest["parameters"]) == {"study", "key_fingerprint"}
    before = tree_digest(out)
    intake.run(study, out)  # same inputs, same key: byte-identical outputs
    assert tree_digest(out) == before


# --- safe writing -------------------------------------------------------------------------------

def test_interrupted_write_leaves_no_partial_file(tmp_path, monkeypatch):
    target = tmp_path / "table.csv"
    target.write_text("old", encoding="utf-8")

    def crash(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        storage.atomic_write_bytes(target, b"new content")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["table.csv"]


def test_nothing_is_written_under_data_raw():
    with pytest.raises(LaoyouError, match="read-only"):
        storage.write_csv(pd.DataFrame({"a": [1]}), REPO / "data/raw/demo/new.csv")
    assert not (REPO / "data/raw/demo/new.csv").exists()


# --- small samples ---------------------------------------------------------------------------------

def test_small_cells_are_suppressed():
    table = pd.DataFrame({"group": ["a", "b", "c"], "n": [12, 3, 0]})
    shown = privacy.suppress_small_cells(table)
    assert shown.n.tolist() == [12, "<5", 0] and shown.attrs["suppressed"] == 1


def test_k_anonymity_flags_unique_combinations_and_suggests_what_to_generalise():
    df = pd.DataFrame({"age_band": ["18-29"] * 6 + ["30-44"], "sex": ["男"] * 3 + ["女"] * 4,
                       "community": ["A"] * 7})
    with pytest.warns(UserWarning, match="singled out"):
        risky = privacy.k_anonymity(df, ["age_band", "sex", "community"], k=3)
    assert risky["size"].tolist() == [1] and risky.attrs["k_achieved"] == 1
    assert next(iter(risky.attrs["suggestions"])) == "age_band"  # dropping it helps most


# --- git hygiene --------------------------------------------------------------------------------------

def test_real_data_are_git_ignored_and_exploratory_outputs_stripped():
    def ignored(path):
        return subprocess.run(["git", "check-ignore", "-q", path], cwd=REPO).returncode == 0

    assert ignored("data/raw/my_fieldwork/survey.xlsx")
    assert ignored("data/processed/demo/scores.csv")
    assert not ignored("data/raw/demo/roster.csv")
    attributes = (REPO / ".gitattributes").read_text(encoding="utf-8")
    assert "notebooks/exploratory/*.ipynb filter=nbstripout" in attributes


def test_disclosure_summary_shows_counts_only():
    df = pd.DataFrame({"age_band": ["18-24", "18-24", "25-29"], "sex": ["男", "男", "女"]})
    summary = privacy.disclosure_summary(df, ["age_band", "sex"], k=2)
    assert summary.dropped.tolist() == ["none", "age_band", "sex"]
    assert summary.k_achieved.tolist() == [1, 1, 1] and summary.people_at_risk.tolist() == [1, 1, 1]
    assert set(summary.columns) == {"dropped", "classes", "k_achieved", "people_at_risk"}


def test_codebook_can_ask_for_pseudonyms_that_link_waves(demo_study):
    from laoyou_eval import coding
    from laoyou_eval.coding import Codebook
    from laoyou_eval.io import read_wjx

    book = Codebook.read(demo_study / "codebooks/residents.xlsx")
    survey = book.survey.copy()
    survey.loc[survey.name == "name", "privacy"] = "pseudonymise"
    book = Codebook.from_tables(survey, book.choices, book.missing, book.scales, book.settings)
    raw1 = read_wjx(demo_study / "surveys/residents_w1_text.xlsx")
    raw2 = read_wjx(demo_study / "surveys/residents_w2_text.csv")
    with pytest.raises(LaoyouError, match="pseudonymiser"):
        coding.apply(raw1, book, wave=1)
    p = Pseudonymiser(b"k" * 32)
    c1, c2 = coding.apply(raw1, book, wave=1, pseudonymiser=p), coding.apply(raw2, book, wave=2, pseudonymiser=p)
    linked = c1.data.merge(c2.data, on="resident_id")
    assert (linked.name_x == linked.name_y).all() and linked.name_x.str.match(r"^P[A-Z2-7]{10}$").all()
    assert not set(raw1["2、您的姓名"]) & set(c1.data["name"])
