"""Privacy when the input is careless: identifiers planted where a careless student would put
them never reach processed data or the report, checked by an independent search (plain
substrings and digit strings, not the project's own scanner); raw files stay byte-identical;
an interrupted intake leaves no half-written folder."""

from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest

from laoyou_eval import dataset, intake, privacy
from laoyou_eval.report import render
from laoyou_eval.report.analysis import analyse
from laoyou_eval.report.casereport import build_document

from conftest import tree_digest

#: planted text -> what the independent search looks for afterwards (digits only, or a literal)
PLANTED = {
    "phone_memo": ("请联系 139 1234 5678", "13912345678"),
    "landline": ("家里座机0871-65123456", "087165123456"),
    "id_number": ("身份证 530102199108178285", "530102199108178285"),
    "wechat": ("微信号 zhang_san88", "zhang_san88"),
    "qq": ("QQ：55667788", "55667788"),
    "address": ("住在昆明市盘龙区北京路199号3栋", "北京路199号"),
    "fullwidth_phone": ("１８６１２３４５６７８", "18612345678"),
}


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _plant(study):
    """Identifiers in free text, an extra memo column, an alters note column and a coder memo."""
    volunteer = pd.read_csv(study / "process/volunteers.csv", encoding="utf-8-sig", dtype=str)
    name = volunteer["name"].iloc[0]
    texts = [t for t, _ in PLANTED.values()]
    responses = pd.read_csv(study / "open_ended/responses.csv", encoding="utf-8-sig", dtype=str)
    for k, text in enumerate(texts):
        responses.loc[k, "answer_text"] = f"{responses.loc[k, 'answer_text']}，{text}"
    responses.to_csv(study / "open_ended/responses.csv", index=False, encoding="utf-8-sig")
    coder = pd.read_csv(study / "open_ended/coder_a.csv", encoding="utf-8-sig", dtype=str)
    coder["memo"] = f"和{name}核对过，电话 13812345678"
    coder.to_csv(study / "open_ended/coder_a.csv", index=False, encoding="utf-8-sig")
    alters = pd.read_csv(study / "networks/alters_w1.csv", encoding="utf-8-sig", dtype=str)
    alters["备注"] = ""
    alters.loc[0, "备注"] = "她的手机 15032928222"
    alters.to_csv(study / "networks/alters_w1.csv", index=False, encoding="utf-8-sig")
    contacts = pd.read_csv(study / "process/buddy_contacts.csv", encoding="utf-8-sig", dtype=str)
    contacts["note"] = ""
    contacts.loc[0, "note"] = f"{name} 微信号 wxid_k2n8x0q9ab"
    contacts.to_csv(study / "process/buddy_contacts.csv", index=False, encoding="utf-8-sig")
    return name, [*[needle for _, needle in PLANTED.values()], "13812345678", "15032928222", "wxid_k2n8x0q9ab"]


@pytest.fixture(scope="module")
def careless(demo_study, tmp_path_factory):
    root = tmp_path_factory.mktemp("careless")
    study = shutil.copytree(demo_study, root / "careless")
    name, needles = _plant(study)
    return study, root, name, needles


def _leaks(folder, name, needles) -> list[str]:
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in {".csv", ".yaml", ".json", ".html"}):
        text = path.read_text(encoding="utf-8-sig", errors="ignore")
        digits = _digits(text)
        for needle in needles:
            if (needle.isdigit() and needle in digits) or (not needle.isdigit() and needle in text):
                found.append(f"{path.name}: {needle}")
        if name in text:
            found.append(f"{path.name}: {name}")
    return found


def test_nothing_planted_reaches_processed_data_or_the_report(careless, tmp_path):
    study, root, name, needles = careless
    raw = tree_digest(study)
    out = intake.run(study, root / "processed")
    assert tree_digest(study) == raw  # raw files byte-identical
    assert _leaks(out, name, needles) == []
    ds = dataset.load(study, out)
    doc = build_document(ds, analyse(ds), lang="zh")
    render.to_html(doc, tmp_path / "report.html")
    render.write_facts(doc, tmp_path / "report_facts.json")
    assert _leaks(tmp_path, name, needles) == []
    redactions = pd.read_csv(out / "redactions.csv", encoding="utf-8-sig")
    assert {"open_ended/responses.csv", "open_ended/codes_a.csv", "networks/alters_w1.csv",
            "process/contacts.csv"} <= set(redactions["table"])


def test_an_interrupted_intake_leaves_the_previous_folder_and_no_staging(careless, monkeypatch):
    study, root, name, needles = careless
    out = root / "processed_interrupted"
    first = intake.run(study, out)
    before = tree_digest(first)

    def killed(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(privacy, "scan", killed)
    with pytest.raises(KeyboardInterrupt):
        intake.run(study, out)
    assert tree_digest(out) == before
    assert not [p for p in out.parent.iterdir() if ".staging-" in p.name or ".old-" in p.name]


def test_a_scan_finding_publishes_nothing(careless, monkeypatch, tmp_path):
    study, root, name, needles = careless
    out = tmp_path / "processed"
    real_scan = privacy.scan

    def finds_something(folder, names=()):
        findings = real_scan(folder, names=names)
        extra = pd.DataFrame([{"kind": "phone", "file": "surveys/x.csv", "location": "row 2, column memo",
                               "excerpt": "13********8"}])
        return pd.concat([findings, extra], ignore_index=True)

    monkeypatch.setattr(privacy, "scan", finds_something)
    with pytest.raises(Exception, match="nothing was written|什么都没有写入"):
        intake.run(study, out)
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if ".staging-" in p.name]
