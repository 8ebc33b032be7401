"""`laoyou-eval init`: a study folder from a student's exports, and the configuration rule
(study.yaml and codebooks/ are hand-written configuration; exports are raw data)."""

from __future__ import annotations

import hashlib
import re
import shutil

import pandas as pd
import pytest
import yaml

from laoyou_eval import cli, coding, config, instruments, io, scaffold, scoring
from laoyou_eval.coding.draft import recognise_instrument
from laoyou_eval.errors import LaoyouError

DEMO_EXPORTS = {"居民前测.xlsx": "residents_w1_text.xlsx", "居民后测.csv": "residents_w2_text.csv",
                "家长_w1.csv": "caregivers_w1_text.csv", "家长_w1_序号.csv": "caregivers_w1_code.csv",
                "家长_w2.csv": "caregivers_w2_text.csv"}


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def demo_exports(tmp_path_factory, demo_study):
    folder = tmp_path_factory.mktemp("exports")
    for name, source in DEMO_EXPORTS.items():
        shutil.copyfile(demo_study / "surveys" / source, folder / name)
    return folder


@pytest.fixture(scope="module")
def initialised(tmp_path_factory, demo_exports):
    target = tmp_path_factory.mktemp("init") / "pilot"
    result = scaffold.init_study("pilot", sorted(demo_exports.iterdir()), target)
    return result, yaml.safe_load((target / "study.yaml").read_text(encoding="utf-8"))


def test_exports_are_copied_byte_for_byte(initialised, demo_exports):
    result, doc = initialised
    for name in DEMO_EXPORTS:
        assert _sha(result.folder / "surveys" / name) == _sha(demo_exports / name)
    assert {s["file"] for s in doc["surveys"]} == {f"surveys/{n}" for n in DEMO_EXPORTS}


def test_populations_waves_and_layouts_are_guessed_from_names_and_content(initialised):
    _, doc = initialised
    got = {s["file"]: (s["population"], s["wave"], s["layout"]) for s in doc["surveys"]}
    assert got == {"surveys/居民前测.xlsx": ("residents", 1, "text"), "surveys/居民后测.csv": ("residents", 2, "text"),
                   "surveys/家长_w1.csv": ("caregivers", 1, "text"), "surveys/家长_w1_序号.csv": ("caregivers", 1, "code"),
                   "surveys/家长_w2.csv": ("caregivers", 2, "text")}
    assert list(doc["waves"]) == [1, 2]
    assert [w["label"] for w in doc["waves"].values()] == ["前测 pre-test", "后测 post-test"]  # from 居民前测/后测
    assert doc["waves"][1]["date"] < doc["waves"][2]["date"]
    assert set(doc["arms"]) == {"programme"}  # a comparison group is never assumed
    assert "context" not in doc  # no facts are invented


def test_every_guess_carries_a_todo(initialised):
    result, _ = initialised
    text = (result.folder / "study.yaml").read_text(encoding="utf-8")
    for key in ("study:", "  wave:", "  id_question:", "  population:") + tuple(f"  {w}: {{label" for w in (1, 2)):
        lines = [line for line in text.splitlines() if line.startswith(key)]
        assert lines and all("TODO" in line for line in lines if key != "  population:"), key
    assert result.todos > 20
    for population in ("residents", "caregivers"):
        book = coding.Codebook.read(result.folder / f"codebooks/{population}.yaml")
        assert (book.survey["note"].str.startswith("TODO") | (book.survey["note"] == "")).all()
        assert book.survey["note"].str.contains("TODO: recognised as").any()


def test_recognised_instruments_score_like_the_hand_written_codebook(initialised, demo_study):
    """The committed demo codebooks are an independent reference for the drafted ones."""
    result, doc = initialised
    assert doc["outcomes"] == {"residents": ["ucla3", "lsns6", "mspss"],
                               "caregivers": ["zbi12_bedard", "pss10", "k6", "who5"]}
    pairs = {"surveys/居民后测.csv": ("residents", "codebooks/residents.xlsx", ("ucla3", "lsns6", "mspss")),
             "surveys/家长_w2.csv": ("caregivers", "codebooks/caregivers.yaml", ("zbi12_bedard", "pss10", "who5"))}
    for file, (population, reference, scales) in pairs.items():
        raw = io.read_wjx(result.folder / file)
        drafted = coding.Codebook.read(result.folder / f"codebooks/{population}.yaml")
        ours = scoring.score_all(coding.apply(raw, drafted).data, drafted)
        theirs = scoring.score_all(coding.apply(raw, coding.Codebook.read(demo_study / reference)).data,
                                   coding.Codebook.read(demo_study / reference))
        for scale in scales:
            column = f"{scale}_mean" if scale == "mspss" else f"{scale}_total"
            pd.testing.assert_series_equal(ours[column], theirs[column])
    # the demo words K6's options differently from the catalogue: the draft says so
    k6 = coding.Codebook.read(result.folder / "codebooks/caregivers.yaml").survey.query("name == 'k6_1'")
    assert "check which option has which code" in k6.note.iloc[0]


def _hand_made_export(path, ids, day, k10_answers, who5_answers):
    """A 问卷星 text export written by hand: an id, sex, the K10 and WHO-5 as matrix questions."""
    k10, who5 = instruments.get("k10"), instruments.get("who5")
    rows = []
    for n, (rid, a, b) in enumerate(zip(ids, k10_answers, who5_answers), start=1):
        row = {"序号": n, "提交答卷时间": f"{day} 10:{n:02d}:00", "所用时间": "300秒", "来源": "微信",
               "来源详情": "直接访问", "来自IP": "1.2.3.4(云南-昆明)", "1、学员编号": rid, "2、性别": "男" if n % 2 else "女"}
        row.update({f"第3题({i})": k10.response_labels_zh[a[i - 1] - 1] for i in range(1, 11)})
        row.update({f"第4题({i})": who5.response_labels_zh[b[i - 1]] for i in range(1, 6)})
        rows.append(row)
    pd.DataFrame(rows).to_csv(path, index=False, encoding="utf-8-sig")


def test_a_hand_made_export_of_other_instruments(tmp_path):
    exports = tmp_path / "exports"
    exports.mkdir()
    ids = ["S01", "S02", "S03", "S04"]
    k10 = [[1, 2, 3, 4, 5, 1, 2, 3, 4, 5], [2] * 10, [3] * 10, [1] * 10]
    who5 = [[0, 1, 2, 3, 4], [5] * 5, [2] * 5, [3] * 5]
    # names say nothing about the wave: the submission dates decide (the later file is wave 2)
    _hand_made_export(exports / "survey_b.csv", ids, "2025/7/2", k10[::-1], who5[::-1])
    _hand_made_export(exports / "survey_a.csv", ids, "2025/3/1", k10, who5)
    result = scaffold.init_study("other", sorted(exports.iterdir()), tmp_path / "study")
    doc = yaml.safe_load((result.folder / "study.yaml").read_text(encoding="utf-8"))
    assert {s["file"]: s["wave"] for s in doc["surveys"]} == {"surveys/survey_a.csv": 1, "surveys/survey_b.csv": 2}
    assert doc["waves"][1]["date"] == "2025-03-01" and doc["waves"][2]["date"] == "2025-07-02"
    assert doc["outcomes"] == {"residents": ["k10", "who5"]}
    assert doc["surveys"][0]["id_question"] == "1、学员编号"
    text = (result.folder / "study.yaml").read_text(encoding="utf-8")
    assert re.search(r"population guessed from file names or order", text)
    book = coding.Codebook.read(result.folder / "codebooks/residents.yaml")
    assert book.id_column == "resident_id"
    assert "pss10" in book.survey.query("name == 'k10_1'").note.iloc[0]  # the other 10-item, 5-level scale
    coded = coding.apply(io.read_wjx(result.folder / "surveys/survey_a.csv"), book)
    scores = scoring.score_all(coded.data, book)
    assert scores["k10_total"].tolist() == [sum(a) for a in k10]  # K10 coded 1–5, summed
    assert scores["who5_total"].tolist() == [sum(b) for b in who5]


def test_init_refuses_to_overwrite(tmp_path, demo_exports):
    target = tmp_path / "study"
    target.mkdir()
    (target / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(LaoyouError, match="never overwrites"):
        scaffold.init_study("pilot", [demo_exports / "居民前测.xlsx"], target)
    assert [p.name for p in target.iterdir()] == ["notes.txt"]
    with pytest.raises(LaoyouError, match="not found"):
        scaffold.init_study("pilot", [tmp_path / "missing.csv"], tmp_path / "empty")


def test_three_waves_of_a_generated_study_are_found(tmp_path):
    from laoyou_eval import demo

    study = demo.generate(tmp_path / "synthetic", shape="three_waves")
    exports = sorted(study.glob("surveys/residents_w*_text.csv"))
    result = scaffold.init_study("follow_up", exports, tmp_path / "study")
    doc = yaml.safe_load((result.folder / "study.yaml").read_text(encoding="utf-8"))
    assert [s["wave"] for s in doc["surveys"]] == [1, 2, 3]
    assert doc["outcomes"] == {"residents": ["ucla3", "mspss"]}
    book = coding.Codebook.read(result.folder / "codebooks/residents.yaml")
    open_rows = book.survey[book.survey.header.str.contains("有什么变化|希望通过")]
    assert sorted(open_rows.waves) == ["1", "2 3"]  # the reworded open question, all waves considered


def test_recognition_needs_the_item_count_and_fitting_options():
    assert recognise_instrument(7, ["有时", "经常"]) is None
    inst, codes, _, exact = recognise_instrument(5, ["所有时间", "从未有过"])
    assert (inst.name, codes, exact) == ("who5", [5, 0], True)
    inst, codes, candidates, exact = recognise_instrument(6, ["1", "2", "5"])  # a code export: no labels
    assert not exact and {"k6", "lsns6"} <= set(candidates)


# --- the configuration rule ------------------------------------------------------------------

def test_codebook_draft_may_write_into_a_studys_codebooks_but_never_over_raw_data(tmp_path, monkeypatch,
                                                                                  demo_exports, capsys):
    raw = tmp_path / "data" / "raw"
    monkeypatch.setattr(config, "RAW_DIR", raw)
    study = raw / "pilot"
    (study / "surveys").mkdir(parents=True)
    export = study / "surveys" / "居民前测.xlsx"
    shutil.copyfile(demo_exports / "居民前测.xlsx", export)
    before = _sha(export)
    assert cli.main(["codebook", "draft", str(export), "--out", str(study / "codebooks" / "residents.yaml")]) == 0
    assert (study / "codebooks" / "residents.yaml").is_file()
    assert cli.main(["codebook", "draft", str(export), "--out", str(export)]) == 2
    assert cli.main(["codebook", "draft", str(export), "--out", str(study / "surveys" / "new.yaml")]) == 2
    assert cli.main(["codebook", "draft", str(export), "--out", str(raw / "loose.yaml")]) == 2
    assert _sha(export) == before
    assert not (study / "surveys" / "new.yaml").exists()
    errors = capsys.readouterr().err
    assert "not overwritten" in errors and "read-only" in errors


def test_cli_init_prints_the_next_command(tmp_path, demo_exports, capsys):
    target = tmp_path / "cli_study"
    status = cli.main(["init", "pilot", "--from", str(demo_exports / "居民前测.xlsx"),
                       str(demo_exports / "居民后测.csv"), "--dir", str(target)])
    out = capsys.readouterr().out
    assert status == 0
    assert f"laoyou-eval intake --study {target}" in out and "TODO" in out
    assert cli.main(["init", "pilot", "--from", str(demo_exports / "居民前测.xlsx"), "--dir", str(target)]) == 2


def test_spss_and_plain_excel_exports_are_copied_and_drafted(tmp_path):
    import pyreadstat

    sav = tmp_path / "survey.sav"
    pyreadstat.write_sav(pd.DataFrame({"id": ["A1", "A2"], "sex": [1.0, 2.0]}), str(sav),
                         variable_value_labels={"sex": {1: "男", 2: "女"}})
    table = tmp_path / "exports" / "家长问卷.xlsx"
    table.parent.mkdir()
    pd.DataFrame({"编号": ["C1", "C2"], "满意度": ["满意", "一般"]}).to_excel(table, index=False)
    result = scaffold.init_study("mixed", [sav, table], tmp_path / "study")
    doc = yaml.safe_load((result.folder / "study.yaml").read_text(encoding="utf-8"))
    layouts = {s["file"]: (s["population"], s["layout"]) for s in doc["surveys"]}
    assert layouts == {f"surveys/{sav.name}": ("residents", "spss"), "surveys/家长问卷.xlsx": ("caregivers", "table")}
    assert _sha(result.folder / "surveys" / sav.name) == _sha(sav)
    text = (result.folder / "study.yaml").read_text(encoding="utf-8")
    assert text.count("not a 问卷星 export") == 2
    spss_book = coding.Codebook.read(result.folder / "codebooks/residents.yaml")
    assert spss_book.survey.set_index("name").loc["sex", "type"] == "select_one sex"  # SPSS value labels kept
    assert coding.Codebook.read(result.folder / "codebooks/caregivers.yaml").id_column == "caregiver_id"
