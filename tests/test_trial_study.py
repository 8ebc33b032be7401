"""A student's own study written from the README alone, unlike the demo in every way the README
allows: parents and young adults, three waves with the study's own labels (入组/中期/结业), the
young adults surveyed at the first and last waves only, one group, the ZBI-22, the K10 and the
ULS-8 plus a scale of the study's own, matrix headers written ``N、题干—(i)``, a repeated
submission, and alters named at intake without ties among them.  Each test is a fault the trial
found in the report, ``init`` or the codebook checks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml

from laoyou_eval import coding, dataset, instruments, intake, scaffold
from laoyou_eval.errors import LaoyouError
from laoyou_eval.report.analysis import analyse
from laoyou_eval.report.casereport import build_document

K10 = instruments.get("k10").response_labels_zh
ULS = instruments.get("uls8").response_labels_zh
AGREE = ["非常不同意", "不同意", "同意", "非常同意"]
WAVES = {1: ("入组", "intake", 3), 2: ("中期", "midpoint", 6), 3: ("结业", "completion", 9)}


def _meta(k: int, month: int) -> dict:
    return {"序号": k + 1, "提交答卷时间": f"2025/{month}/{3 + k} 10:{k:02d}:00", "所用时间": f"{300 + 7 * k}秒",
            "来源": "微信", "来源详情": "N/A", "来自IP": f"112.115.0.{20 + k}(云南-大理)"}


def _parents(path, wave: int, ids, rng) -> None:
    rows = []
    for k, pid in enumerate(ids):
        row = {**_meta(k, WAVES[wave][2]), "1、您的编号": pid}
        level = rng.normal(0, 0.6) - 0.3 * (wave - 1)
        row |= {f"5、过去30天您的感受—({i})": K10[int(np.clip(round(1.5 + level + rng.normal(0, .5)), 0, 4))]
                for i in range(1, 11)}
        row |= {f"6、家庭赋能感—({i})": AGREE[int(np.clip(round(1.5 - level + rng.normal(0, .5)), 0, 3))]
                for i in range(1, 6)}
        rows.append(row)
    if wave == 2:  # the same parent submitted twice
        rows.append({**rows[1], "序号": len(rows) + 1, "提交答卷时间": "2025/6/30 21:00:00"})
    pd.DataFrame(rows).to_csv(path, index=False, encoding="utf-8-sig")


def _youth(path, wave: int, ids, rng) -> None:
    rows = []
    for k, yid in enumerate(ids):
        level = rng.normal(0, 0.6) - (0.6 if wave == 3 else 0)
        codes = [int(np.clip(round(1.5 + level + rng.normal(0, .5)), 0, 3)) for _ in range(8)]
        rows.append({**_meta(k, WAVES[wave][2]), "1、编号（社工填写）": yid,
                     **{f"3、以下情况您多久有一次—({i})": ULS[3 - c if i in (3, 6) else c]
                        for i, c in enumerate(codes, 1)}})
    pd.DataFrame(rows).to_csv(path, index=False, encoding="utf-8-sig")


def _codebooks(folder) -> None:
    missing = [{"value": "(跳过)", "kind": "skipped"}, {"value": "", "kind": "blank"}]
    parents = {
        "settings": {"id": "caregiver_id"},
        "survey": [{"type": "text", "name": "caregiver_id", "header": "1、您的编号"},
                   *[{"type": "select_one k10", "name": f"k10_{i}", "header": f"5、过去30天您的感受—({i})"}
                     for i in range(1, 11)],
                   *[{"type": "select_one agree", "name": f"emp_{i}", "header": f"6、家庭赋能感—({i})"}
                     for i in range(1, 6)]],
        "choices": [*[{"list_name": "k10", "name": i + 1, "label::zh": t} for i, t in enumerate(K10)],
                    *[{"list_name": "agree", "name": i + 1, "label::zh": t} for i, t in enumerate(AGREE)]],
        "missing": missing,
        "scales": [{"scale": "k10", "instrument": "k10"},
                   {"scale": "empower", "instrument": "custom", "items": " ".join(f"emp_{i}" for i in range(1, 6)),
                    "min": 1, "max": 4, "method": "mean", "higher_is": "better", "label::zh": "家庭赋能感",
                    "label::en": "Family empowerment"}]}
    youth = {
        "settings": {"id": "resident_id"},
        "survey": [{"type": "text", "name": "resident_id", "header": "1、编号（社工填写）"},
                   *[{"type": "select_one uls", "name": f"uls8_{i}", "header": f"3、以下情况您多久有一次—({i})"}
                     for i in range(1, 9)]],
        "choices": [{"list_name": "uls", "name": i + 1, "label::zh": t} for i, t in enumerate(ULS)],
        "missing": missing, "scales": [{"scale": "uls8", "instrument": "uls8"}]}
    for name, book in (("parents", parents), ("youth", youth)):
        (folder / f"codebooks/{name}.yaml").write_text(yaml.safe_dump(book, allow_unicode=True), encoding="utf-8")


@pytest.fixture(scope="module")
def trial(tmp_path_factory):
    root = tmp_path_factory.mktemp("trial")
    folder = root / "manjiang"
    for sub in ("surveys", "codebooks", "networks"):
        (folder / sub).mkdir(parents=True)
    rng = np.random.default_rng(11)
    parents = [f"MJ-F{k:02d}" for k in range(1, 10)]
    youth = [f"MJ-Y{k:02d}" for k in range(1, 9)]
    for wave, ids in ((1, parents), (2, parents[:8]), (3, parents[:7])):
        _parents(folder / f"surveys/家长_{WAVES[wave][0]}.csv", wave, ids, rng)
    _youth(folder / "surveys/青年_入组.csv", 1, youth, rng)
    _youth(folder / "surveys/青年_结业.csv", 3, youth[:7], rng)
    _codebooks(folder)
    alters = [{"ego_id": y, "alter_no": j, "alter_id": f"{y}-{j}", "relation": ["母亲", "父亲", "朋友"][j - 1],
               "closeness": "比较亲近", "contact": "每周", "met_where": "家庭"} for y in youth for j in (1, 2, 3)]
    pd.DataFrame(alters).to_csv(folder / "networks/alters_w1.csv", index=False, encoding="utf-8-sig")
    survey = lambda file, population, wave, question, book: {  # noqa: E731
        "file": f"surveys/{file}.csv", "population": population, "wave": wave, "id_question": question,
        "codebook": f"codebooks/{book}.yaml"}
    meta = {"study": "满江社区家庭支持小组评估 / Manjiang family support group",
            "context": {"site": "大理市满江社区（虚构）/ Manjiang Community, Dali (fictional)",
                        "target_group": "心智障碍青年及其家长 / young adults with intellectual disabilities and their parents"},
            "waves": {w: {"label": {"zh": zh, "en": en}, "date": f"2025-{m:02d}-03"} for w, (zh, en, m) in WAVES.items()},
            "arms": {"programme": "家庭支持小组 / family support group"},
            "populations": {"caregivers": {"label": {"zh": "家长", "en": "parents"}},
                            "residents": {"label": {"zh": "青年", "en": "young adults"}}},
            "surveys": [*[survey(f"家长_{WAVES[w][0]}", "caregivers", w, "1、您的编号", "parents") for w in (1, 2, 3)],
                        *[survey(f"青年_{WAVES[w][0]}", "residents", w, "1、编号（社工填写）", "youth") for w in (1, 3)]],
            "files": {"networks/alters_w1.csv": {"kind": "alters", "wave": 1}}}
    (folder / "study.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")
    ds = dataset.load(folder, intake.run(folder, root / "processed"))
    results = analyse(ds)
    return folder, ds, results, {lang: build_document(ds, results, lang=lang) for lang in ("zh", "en")}


def _table(doc, key):
    return next(block for block in doc.blocks if getattr(block, "key", None) == key).data


def test_a_wave_a_population_was_not_surveyed_at_is_said_not_shown_as_zero(trial):
    _, ds, results, docs = trial
    assert ds.waves_of("residents") == [1, 3] and ds.waves_of("caregivers") == [1, 2, 3]
    assert list(results.sample.query("population == 'residents'").wave) == [1, 3]  # the notebooks plot this
    sample = _table(docs["zh"], "sample")
    youth = sample[sample["人群"] == "青年"]
    assert list(youth["波次"]) == ["入组", "结业"] and list(youth["n"]) == [8, 7]
    zh, en = docs["zh"].plain_text(), docs["en"].plain_text()
    assert "青年在中期没有调查" in zh and "Young adults were not surveyed at midpoint" in en
    assert "中期 0 人" not in zh
    # nothing is analysed at a wave the young adults never had: no change, no dropouts, no sensitivity rows
    for table in (results.change_parameters, results.attrition):
        rows = table[table.population == "residents"]
        assert set(rows.wave_post) == {3}, table
    # the sensitivity table has rows only for a population with someone flagged (none of the young adults is)
    sensitivity = results.screening["sensitivity"]
    flags = ds.screening
    flagged = set(flags.loc[flags["flagged"].astype(bool), "population"])
    assert set(sensitivity.population) <= flagged
    assert 2 not in set(sensitivity[sensitivity.population == "residents"].wave_post), sensitivity
    attrition = results.attrition[results.attrition.population == "residents"]
    assert int(attrition.n_completers.iloc[0]) == 7 and int(attrition.n_dropouts.iloc[0]) == 1


def test_the_model_over_all_waves_is_fitted_only_where_a_population_has_three(trial):
    _, _, results, docs = trial
    assert set(results.mixed.population) == {"caregivers"}
    keys = {getattr(block, "key", None) for block in docs["zh"].blocks}
    assert "mixed_caregivers" in keys and "mixed_residents" not in keys


def test_tables_with_one_row_per_later_wave_say_which_comparison(trial):
    _, _, results, docs = trial
    for key in ("rci_caregivers", "attrition", "sensitivity"):
        table = _table(docs["zh"], key)
        assert "比较" in table, key
        assert {"入组 → 中期", "入组 → 结业"} <= set(table["比较"]), key
        outcome_and_wave = table[["结果", "比较"] + [c for c in ("人群", "样本") if c in table]]
        assert not outcome_and_wave.duplicated().any(), key  # every row can be told apart
    assert set(_table(docs["en"], "rci_caregivers")["Comparison"]) == {"intake → midpoint", "intake → completion"}
    titles = [getattr(block, "title", "") or getattr(block, "text", "") for block in docs["en"].blocks]
    assert "Young adults" in titles and "Parents" in titles  # headings start with a capital
    assert any(t.startswith("Parents (family support group): individual reliable change") for t in titles)


def test_ego_networks_without_ties_or_follow_up_are_explained(trial):
    _, ds, results, docs = trial
    assert ds.ties_missing == (1,)
    networks = _table(docs["zh"], "networks")
    assert list(networks["密度"]) == ["—"] and list(networks["有效规模"]) == ["—"]  # unknown, not 0.00
    assert networks["网络规模"].iloc[0] == "3.00"
    zh, en = docs["zh"].plain_text(), docs["en"].plain_text()
    assert "青年的自我中心网络指标" in zh and "受访居民" not in zh
    assert "入组没有收集被提名者之间的关系" in zh and "不是 0" in zh
    assert "自我中心网络只在入组收集" in zh and "collected at intake only" in en


def test_ethics_and_identifiers_are_this_studys(trial):
    _, _, _, docs = trial
    zh, en = docs["zh"].plain_text(), docs["en"].plain_text()
    assert "伦理：参与者为心智障碍青年及其家长" in zh
    assert "participants are young adults with intellectual disabilities and their parents" in en
    assert "残障青年及其家庭" not in zh  # the demo's participants
    # no codebook marks an identifier for pseudonymisation: the report does not claim pseudonyms
    assert "带密钥的假名" not in zh and "受访者以研究编号关联" in zh
    assert "keyed pseudonyms" not in en
    assert "完成前后测配对的最多" in zh


def test_response_screens_are_named_in_the_quality_table(trial):
    _, ds, _, docs = trial
    assert (ds.quality.issue == "screen_duplicate").any()
    issues = set(_table(docs["zh"], "quality")["问题"]) | set(_table(docs["en"], "quality")["Issue"])
    assert "筛查：重复提交" in issues and "screening: duplicate submission" in issues
    assert not any(str(i).startswith("screen_") for i in issues)


def test_no_demo_fact_in_the_report(trial):
    _, _, _, docs = trial
    zh, en = docs["zh"].plain_text(), docs["en"].plain_text()
    for word in ("青云", "融合篮球", "基线", "6个月", "志愿者（老友）", "1367", "105 人"):
        assert word not in zh, word
    assert zh.count("对照组") == zh.count("没有对照组") == 1  # only to say there is none
    for word in ("Qingyun", "baseline", "6 months", "comparison group (", "group group"):
        assert word not in en, word
    assert "In the family support group, UCLA" in en


# ------------------------------------------------------------------ init and codebook checks

def test_init_drafts_matrix_rows_written_with_the_question_number(trial, tmp_path):
    folder = trial[0]
    exports = sorted((folder / "surveys").glob("*.csv"))
    result = scaffold.init_study("manjiang", exports, tmp_path / "drafted")
    doc = yaml.safe_load((result.folder / "study.yaml").read_text(encoding="utf-8"))
    # one calendar for both questionnaires: the young adults' September export is wave 3, not 2
    assert {s["file"]: s["wave"] for s in doc["surveys"]} == {
        "surveys/家长_入组.csv": 1, "surveys/家长_中期.csv": 2, "surveys/家长_结业.csv": 3,
        "surveys/青年_入组.csv": 1, "surveys/青年_结业.csv": 3}
    assert doc["outcomes"]["residents"] == ["uls8"]
    # the K10 is recognised by its labels; the 5-item agreement scale is not taken for the WHO-5
    assert doc["outcomes"]["caregivers"] == ["k10"]
    parents = coding.Codebook.read(result.folder / "codebooks/caregivers.yaml")
    rows = parents.survey.set_index("header")
    assert rows.loc["5、过去30天您的感受—(3)", "name"] == "k10_3"
    assert rows.loc["6、家庭赋能感—(1)", "name"] == "q6_1" and rows.loc["6、家庭赋能感—(5)", "name"] == "q6_5"
    assert rows.loc["6、家庭赋能感—(2)", "type"] == rows.loc["6、家庭赋能感—(4)", "type"]  # one shared list


def test_a_failed_draft_leaves_no_folder_behind(trial, tmp_path, monkeypatch):
    def broken(*frames, waves=None):
        raise LaoyouError("草稿失败", "draft failed")

    monkeypatch.setattr(coding, "draft", broken)
    target = tmp_path / "drafted"
    with pytest.raises(LaoyouError, match="draft failed"):
        scaffold.init_study("manjiang", sorted((trial[0] / "surveys").glob("*.csv")), target)
    assert not target.exists()  # so that running init again after the fix is not refused


def _book(**scale):
    survey = [{"type": "text", "name": "rid"}, *[{"type": "integer", "name": f"emp_{i}"} for i in (1, 2, 3)],
              *[{"type": "integer", "name": f"k10_{i}"} for i in range(1, 11)]]
    return coding.Codebook.from_tables(survey, scales=[scale], settings={"id": "rid"}, source="codebooks/mine.yaml")


def test_a_mistyped_instrument_is_named_with_its_closest_match():
    with pytest.raises(LaoyouError) as error:
        _book(scale="k10", instrument="k_10")
    message = str(error.value)
    assert "scales" in message and "k_10" in message and "k10" in message and "codebooks/mine.yaml" in message
    assert "是不是 k10" in message and "did you mean k10" in message
    assert _book(scale="k10", instrument="k10").scales.instrument.tolist() == ["k10"]


def test_a_mistyped_item_of_a_custom_scale_is_named_in_the_codebook():
    with pytest.raises(LaoyouError) as error:
        _book(scale="emp", instrument="custom", items="emp_1 emp_2 emp_4", min=1, max=4)
    message = str(error.value)
    assert "emp_4" in message and "scales" in message and "emp_3" in message  # the closest name is offered
    with pytest.raises(LaoyouError, match="k10_1 … k10_10"):  # a built-in scale's default item names
        coding.Codebook.from_tables([{"type": "text", "name": "rid"}, {"type": "integer", "name": "k10_1"}],
                                    scales=[{"scale": "k10", "instrument": "k10"}], settings={"id": "rid"})


def test_merged_notebooks_keep_unique_cell_ids_without_warnings(tmp_path):
    """report writes notebooks/analysis.html from notebooks whose cells share ids (cell-00 …);
    nbconvert used to print a DuplicateCellId warning per cell to the student's terminal."""
    import warnings

    import nbformat

    from laoyou_eval.report.build import export_html

    paths = []
    for k in (1, 2):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(f"第{k}本 notebook {k}")])
        nb.cells[0]["id"] = "cell-00"
        nb.metadata["language_info"] = {"name": "python"}
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        paths.append(tmp_path / f"{k}.ipynb")
        nbformat.write(nb, paths[-1])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        target = export_html(paths, tmp_path / "analysis.html", "试验 trial")
    html = target.read_text(encoding="utf-8")
    assert "notebook 1" in html and "notebook 2" in html


def test_the_effect_size_figure_shows_each_populations_last_comparison(trial):
    from dataclasses import replace

    _, ds, results, docs = trial
    figure = next(block for block in docs["zh"].blocks if getattr(block, "key", None) == "forest")
    assert figure.caption.startswith("入组 → 结业。")
    labels = [t.get_text() for t in figure.figure.axes[0].get_yticklabels()]
    assert len(labels) == 3 and any("ULS-8" in t for t in labels) and "家长：家庭赋能感" in labels
    # parents followed up at 中期 only: they stay in the figure beside the young adults' 结业
    paired = results.paired[~((results.paired.population == "caregivers") & (results.paired.wave_post == 3))]
    doc = build_document(ds, replace(results, paired=paired), lang="zh")
    figure = next(block for block in doc.blocks if getattr(block, "key", None) == "forest")
    labels = [t.get_text() for t in figure.figure.axes[0].get_yticklabels()]
    assert len(labels) == 3 and "家长：家庭赋能感" in labels
    assert figure.caption.startswith("入组 → 中期和入组 → 结业。") or figure.caption.startswith("入组 → 中期、入组 → 结业。")


def _copy_with(folder, tmp_path, change):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    meta = yaml.safe_load((copy / "study.yaml").read_text(encoding="utf-8"))
    change(meta, copy)
    (copy / "study.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return copy


def test_a_single_group_roster_needs_no_arm_column(trial, tmp_path):
    from laoyou_eval import study

    def add_roster(meta, copy):
        pd.DataFrame({"家长编号": [f"MJ-F{k:02d}" for k in range(1, 10)],
                      "孩子编号": [f"MJ-Y{k:02d}" for k in range(1, 9)] + [""]}).to_csv(copy / "roster.csv", index=False)
        meta["populations"]["caregivers"]["id_column"] = "家长编号"
        meta["populations"]["residents"]["id_column"] = "孩子编号"
        meta["files"]["roster.csv"] = {"kind": "roster"}

    copy = _copy_with(trial[0], tmp_path, add_roster)
    _, problems = study.validate(copy)
    assert problems[problems.severity == "error"].empty, problems
    arms = study.arms(copy)
    assert set(arms.arm) == {"programme"} and len(arms) == 17
    # with a comparison arm the column stays required
    copy2 = _copy_with(copy, tmp_path / "two", lambda meta, _: meta["arms"].update(comparison="候补组"))
    _, problems = study.validate(copy2)
    assert (problems.severity == "error").any() and problems.column.eq("arm").any()


def test_a_mistyped_outcome_is_blamed_on_study_yaml_with_the_closest_scale(trial, tmp_path):
    from laoyou_eval import study

    copy = _copy_with(trial[0], tmp_path, lambda meta, _: meta.update(outcomes={"caregivers": ["k10", "empowerment"]}))
    _, problems = study.validate(copy)
    row = problems[problems.severity == "error"].iloc[0]
    assert row.file == "study.yaml" and row.column == "outcomes.caregivers"
    assert "是不是 empower" in row.problem_zh and "did you mean empower" in row.problem_en
    assert "codebooks/parents.yaml" in row.problem_zh


def test_an_unknown_population_says_where_the_studys_own_name_goes(trial, tmp_path):
    def rename(meta, _):
        meta["surveys"][3]["population"] = "youth"

    with pytest.raises(LaoyouError) as error:
        from laoyou_eval import study

        study.read_spec(_copy_with(trial[0], tmp_path, rename))
    assert "youth" in str(error.value) and "populations.P.label" in str(error.value)


def test_a_mistyped_key_of_the_scales_sheet_is_refused():
    with pytest.raises(LaoyouError) as error:
        _book(scale="emp", instrument="custom", items="emp_1 emp_2 emp_3", min=1, max=4, revers="3")
    assert "revers" in str(error.value) and "reverse" in str(error.value) and "scales" in str(error.value)
    book = _book(scale="emp", instrument="custom", items="emp_1 emp_2 emp_3", min=1, max=4, reverse="3",
                 **{"label::zh": "赋能", "label::en": "Empowerment"})
    assert instruments.get("emp").reverse == (3,) or list(instruments.get("emp").reverse) == [3]
    assert book.scales.scale.tolist() == ["emp"]


# ------------------------------------------------------------------ second trial: items B–J

def test_an_unknown_answer_in_a_k10_block_is_set_aside_not_a_reason_to_miss_the_k10(trial, tmp_path):
    import shutil

    surveys = tmp_path / "exports"
    shutil.copytree(trial[0] / "surveys", surveys)
    export = surveys / "家长_中期.csv"
    frame = pd.read_csv(export, dtype=str, keep_default_na=False)
    frame.loc[2, "5、过去30天您的感受—(4)"] = "说不清"  # six options observed, the K10 has five levels
    frame.to_csv(export, index=False, encoding="utf-8-sig")
    result = scaffold.init_study("manjiang", sorted(surveys.glob("*.csv")), tmp_path / "drafted")
    doc = yaml.safe_load((result.folder / "study.yaml").read_text(encoding="utf-8"))
    assert doc["outcomes"]["caregivers"] == ["k10"]
    parents = coding.Codebook.read(result.folder / "codebooks/caregivers.yaml")
    row = parents.survey.set_index("header").loc["5、过去30天您的感受—(4)"]
    assert row["name"] == "k10_4"
    assert "TODO" in row["note"] and "set aside 说不清" in row["note"] and "unknown answer" in row["note"]
    k10 = parents.choices[parents.choices.list_name == "k10"]
    assert list(k10["label::zh"]) == list(K10) and "说不清" not in set(parents.choices["label::zh"])
    low = int(instruments.get("k10").item_min[0])  # the codes of the K10's own labels are the catalogue's
    assert dict(zip(k10["label::zh"], k10["name"].astype(int))) == {t: low + i for i, t in enumerate(K10)}


def test_init_reads_the_studys_own_wave_words_and_latin_ones_as_whole_words(trial, tmp_path):
    import shutil

    def drafted(names, target):
        folder = tmp_path / f"{target}_exports"
        folder.mkdir()
        for source, name in names.items():
            shutil.copy(trial[0] / f"surveys/{source}.csv", folder / f"{name}.csv")
        result = scaffold.init_study("manjiang", sorted(folder.glob("*.csv")), tmp_path / target)
        doc = yaml.safe_load((result.folder / "study.yaml").read_text(encoding="utf-8"))
        return {s["file"]: s["wave"] for s in doc["surveys"]}, {w: v["label"] for w, v in doc["waves"].items()}

    # the young adults' 入组 and 结业 only: two waves, in that order, labelled with the study's words
    waves, labels = drafted({"青年_结业": "青年_结业", "青年_入组": "青年_入组"}, "two")
    assert waves == {"surveys/青年_入组.csv": 1, "surveys/青年_结业.csv": 2}
    assert "入组" in str(labels[1]) and "结业" in str(labels[2])
    # 中测 and 末测 beside 入组: the middle and the end of three waves
    waves, _ = drafted({"家长_入组": "家长_入组", "家长_中期": "家长_中测", "家长_结业": "家长_末测"}, "three")
    assert waves == {"surveys/家长_入组.csv": 1, "surveys/家长_中测.csv": 2, "surveys/家长_末测.csv": 3}
    # "pre" is a word, not a part of "express": these names say nothing, so the dates decide
    waves, labels = drafted({"青年_入组": "青年_express_a", "青年_结业": "青年_express_b"}, "latin")
    assert waves == {"surveys/青年_express_a.csv": 1, "surveys/青年_express_b.csv": 2}
    assert "前测" not in str(labels)


def test_reliable_change_is_not_computed_with_a_tiny_reliability():
    """Below .50 (George & Mallery, 2003: unacceptable) the SEM is nearly the whole SD: MDC =
    1.96·√2·SD·√(1 − r) ≥ 1.96 SD, so nobody could change reliably; NaN and a note instead."""
    from laoyou_eval import outcomes
    from laoyou_eval.i18n import explain

    pre = pd.Series([10.0, 14, 12, 9, 15], index=list("abcde"))
    post = pd.Series([4.0, 13, 12, 3, np.nan], index=list("abcde"))
    low = outcomes.reliable_change(pre, post, sd=4.0, reliability=0.11, higher_is="worse").set_index("subject")
    assert low.rci.isna().all() and low.category.isna().all()
    assert list(low.note) == ["reliability_too_low"] * 4 + ["no_post"]  # everyone stays in the table
    assert "reliability_too_low" in low.attrs["parameters"]["note"] and ".50" in explain("reliability_too_low")
    assert outcomes.category_counts(low.reset_index()).set_index("category").n["not_assessed"] == 5
    # at .50 the index is computed: (4 − 10)/(√2 · 4 · √.5) = −1.5
    ok = outcomes.reliable_change(pre, post, sd=4.0, reliability=0.5, higher_is="worse").set_index("subject")
    assert ok.rci["a"] == pytest.approx(-6 / (np.sqrt(2) * 4 * np.sqrt(0.5))) and ok.note["a"] == ""


def test_the_report_says_why_reliable_change_is_missing_for_a_scale_with_tiny_alpha(trial, monkeypatch):
    from laoyou_eval.report import analysis

    folder, ds, _, _ = trial
    real = analysis._reliability

    def tiny(data):
        table = real(data)
        return table.assign(alpha=table.alpha.where(table.outcome != "uls8_total", 0.11))

    monkeypatch.setattr(analysis, "_reliability", tiny)
    monkeypatch.setattr(analysis, "_published_reliability", lambda instrument: None)  # α is all there is
    results = analyse(ds)
    params = results.change_parameters.set_index(["population", "outcome"])
    assert params.loc[("residents", "uls8_total"), "note"] == "reliability_too_low"
    assert params.loc[("residents", "uls8_total"), "reliability"] == pytest.approx(0.11)
    counts = results.change_categories
    assert counts[(counts.population == "residents") & (counts.outcome == "uls8_total")].empty
    docs = {lang: build_document(ds, results, lang=lang) for lang in ("zh", "en")}
    row = _table(docs["zh"], "rci_residents").iloc[0]
    assert row["可靠改善"] == row["无可靠变化"] == row["可靠变差"] == "—"  # not 0 people
    assert row["信度"] == "0.11" and row["说明"] == "信度低于 0.50，不计算"
    assert "低于 0.50" in docs["zh"].plain_text() and "George & Mallery" in docs["zh"].plain_text()
    assert "is below 0.50" in docs["en"].plain_text()


def test_a_figure_title_and_its_caption_do_not_run_together(trial, tmp_path):
    import docx

    from laoyou_eval.report.render.web import to_html
    from laoyou_eval.report.render.word import to_docx

    for lang, stop in (("zh", "。"), ("en", ". ")):
        doc = trial[3][lang]
        figure = next(block for block in doc.blocks if getattr(block, "key", None) == "forest")
        to_docx(doc, tmp_path / f"{lang}.docx")
        texts = [p.text for p in docx.Document(tmp_path / f"{lang}.docx").paragraphs]
        caption = next(t for t in texts if figure.caption[:12] in t)
        assert figure.title + stop + figure.caption[:12] in caption, caption
        page = to_html(doc, tmp_path / f"{lang}.html").read_text(encoding="utf-8")
        assert figure.title + stop + figure.caption[:6] in page


def test_the_effect_size_figure_says_whose_row_it_is_and_keeps_a_shared_scale_apart(trial):
    from dataclasses import replace

    _, ds, results, docs = trial
    figure = next(block for block in docs["en"].blocks if getattr(block, "key", None) == "forest")
    labels = [t.get_text() for t in figure.figure.axes[0].get_yticklabels()]
    assert "Parents: Family empowerment" in labels and any(t.startswith("Young adults: ") for t in labels)
    # the young adults answer the parents' K10 as well: two K10 rows, one per population
    paired, outcomes_ = results.paired, results.outcomes
    k10 = paired[(paired.population == "caregivers") & (paired.outcome == "k10_total") & (paired.wave_post == 3)]
    youth = k10.assign(population="residents", d_z=k10.d_z + 1.0, d_z_ci_low=k10.d_z_ci_low + 1.0,
                       d_z_ci_high=k10.d_z_ci_high + 1.0)
    shared = replace(results, paired=pd.concat([paired, youth], ignore_index=True),
                     outcomes=pd.concat([outcomes_, outcomes_[outcomes_.outcome == "k10_total"].assign(
                         population="residents")], ignore_index=True))
    doc = build_document(ds, shared, lang="zh")
    figure = next(block for block in doc.blocks if getattr(block, "key", None) == "forest")
    ax = figure.figure.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    k10_rows = [t for t in labels if "Kessler" in t]
    assert len(labels) == 4 and len(k10_rows) == 2 and {t.split("：")[0] for t in k10_rows} == {"家长", "青年"}
    # each population's own estimate on its own row (higher is worse: plotted with the sign reversed)
    points = ax.containers[0][0]
    at = dict(zip(points.get_ydata(), -points.get_xdata()))
    by_label = {t.get_text(): at[y] for t, y in zip(ax.get_yticklabels(), ax.get_yticks())}
    assert by_label[next(t for t in k10_rows if t.startswith("家长"))] == pytest.approx(float(k10.d_z.iloc[0]))
    assert by_label[next(t for t in k10_rows if t.startswith("青年"))] == pytest.approx(float(youth.d_z.iloc[0]))


def test_two_study_folders_of_the_same_name_do_not_share_processed_data(trial, tmp_path, monkeypatch):
    import json
    import shutil

    from laoyou_eval import config

    monkeypatch.setattr(config, "PROCESSED_DIR", tmp_path / "processed")
    first, second = tmp_path / "a" / "manjiang", tmp_path / "b" / "manjiang"
    shutil.copytree(trial[0], first)
    shutil.copytree(trial[0], second)
    out = intake.run(first)
    assert out == tmp_path / "processed" / "manjiang"
    source = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["parameters"]["source"]
    assert source.startswith("sha256:") and str(tmp_path) not in source and "manjiang" not in source
    assert intake.is_current(first) and not intake.is_current(second)
    before = (out / "manifest.json").read_bytes()
    for attempt in (lambda: intake.run(second), lambda: dataset.load(second), lambda: dataset.ensure(second)):
        with pytest.raises(LaoyouError) as error:
            attempt()
        message = str(error.value)
        assert "另一个同名的研究文件夹" in message and "another study folder of the same name" in message
        assert "改名" in message and "rename the study folder" in message and "--out" in message
    assert (out / "manifest.json").read_bytes() == before  # the first study's data are untouched
    assert intake.run(first) == out  # the same folder again is fine
    assert dataset.load(second, intake.run(second, tmp_path / "elsewhere")).spec is not None  # --out: no clash


def test_a_study_without_process_records_or_buddies_gets_no_demo_programme_words(trial):
    _, _, results, docs = trial
    assert results.process is None  # the trial study has no process records, and declares no buddies
    zh, en = docs["zh"].plain_text(), docs["en"].plain_text()
    assert "本研究没有提供过程记录文件" in zh and "This study provided no process records" in en
    for word in ("陪伴", "志愿者", "就业", "培训", "老友", "篮球", "结对"):
        assert word not in zh, word
    for word in ("buddy", "volunteer", "job", "training", "basketball", "contacts,"):
        assert word not in en.lower(), word


def test_comparison_tables_use_the_studys_own_arm_labels(trial):
    from dataclasses import replace

    _, ds, results, _ = trial
    spec = replace(ds.spec, arms={**ds.spec.arms, "comparison": ("候补家庭", "waitlist families")})
    two_arms = replace(ds, spec=spec)
    did = pd.DataFrame([{"population": "caregivers", "outcome": "k10_total", "wave_post": 3, "n_treated": 7,
                         "n_comparison": 6, "estimate": -3.2, "ci_low": -6.0, "ci_high": -0.4, "t": -2.4, "df": 11,
                         "p": 0.035, "d_ppc2": -0.8, "d_ppc2_ci_low": -1.6, "d_ppc2_ci_high": -0.1}])
    mixed = results.mixed.assign(arm="difference")
    for lang, words in (("zh", ("家庭支持小组与候补家庭变化之差", "家庭支持小组 − 候补家庭")),
                        ("en", ("family support group versus waitlist families", "family support group − waitlist families"))):
        doc = build_document(two_arms, replace(results, did=did, mixed=mixed), lang=lang)
        titles = [getattr(block, "title", "") for block in doc.blocks]
        assert any(words[0] in str(t) for t in titles), titles
        assert not any("项目组与对照组" in str(t) or "programme versus comparison" in str(t) for t in titles)
        estimate_of = _table(doc, "mixed_caregivers").iloc[:, 1]
        assert set(estimate_of) == {words[1]}


def test_a_duplicate_submission_shows_its_count_not_a_masked_message(trial):
    from laoyou_eval import privacy

    folder, ds, _, _ = trial
    q = ds.quality
    by_id = q[q.issue.isin(["duplicate_submission", "screen_duplicate"]) & (q.column == "caregiver_id")]
    assert len(by_id) == 3 and set(by_id.value) == {"2"}  # 2 submissions, was "2 ***********ns"
    assert list(q[(q.issue == "screen_duplicate") & (q.column == "来自IP")].value) == ["100%"]
    # values copied from an export are still masked
    rows = pd.DataFrame([{"file": "f.csv", "row": 3, "respondent": "MJ-F02", "column": "q1", "value": "13812345678",
                          "issue": "unknown_answer", "message_zh": "", "message_en": "", "action": ""},
                         {"file": "f.csv", "row": 4, "respondent": "MJ-F02", "column": "caregiver_id", "value": "3",
                          "issue": "duplicate_submission", "message_zh": "", "message_en": "", "action": ""}])
    masked = intake._mask_quality(rows, privacy.study_names(folder))
    assert list(masked.value) == ["13********8", "3"]


# ------------------------------------------------------------------ the notebooks on this study

def _notebook_text(path) -> str:
    """Every markdown source and text output of an executed notebook."""
    import nbformat

    parts = []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "markdown":
            parts.append(cell.source)
        for output in cell.get("outputs", []):
            parts.append("".join(output.get("text", "")))
            parts.extend("".join(v) for mime, v in output.get("data", {}).items() if mime.startswith("text/"))
    return "\n".join(parts)


@pytest.fixture(scope="module")
def notebooks_zh(trial, tmp_path_factory):
    """The numbered notebooks executed on the trial study, as `report` runs them (papermill,
    parameters study_dir and lang); processed data go under a temporary project root."""
    import os

    from laoyou_eval import config
    from laoyou_eval.report.build import notebook_series, run_notebook

    root = tmp_path_factory.mktemp("notebooks")
    folder = trial[0]
    before = os.environ.get("LAOYOU_EVAL_ROOT")
    os.environ["LAOYOU_EVAL_ROOT"] = str(root)  # the kernel inherits it: intake writes under root/data
    try:
        return {source.name: _notebook_text(run_notebook(source, root / source.name,
                                                         {"study_dir": str(folder), "lang": "zh", "seed": 1}))
                for source in notebook_series(config.NOTEBOOKS_DIR)}
    finally:
        if before is None:
            del os.environ["LAOYOU_EVAL_ROOT"]
        else:
            os.environ["LAOYOU_EVAL_ROOT"] = before


def test_the_notebooks_speak_of_this_studys_waves_arms_and_populations(notebooks_zh):
    """Finding A: analysis.html (these notebooks) said 基线, 居民 and 项目组 whatever study.yaml named."""
    every = "\n".join(notebooks_zh.values())
    for word in ("入组", "中期", "结业", "家庭支持小组", "家长", "青年", "家长 · 中期"):
        assert word in every, word
    # the study names its first wave, its arm and its populations: none of the package's defaults
    for word in ("基线", "项目组", "居民", "志愿者", "老友", "Baseline", "baseline"):
        assert word not in every, (word, [name for name, text in notebooks_zh.items() if word in text])
    assert "caregivers" not in every and "residents" not in every  # codes, never shown
    assert "screen_" not in notebooks_zh["01_survey_coding.ipynb"]  # response screens are named
    assert "筛查：重复提交" in notebooks_zh["01_survey_coding.ipynb"]
    assert "后续有答卷但无入组答卷的人数" in notebooks_zh["03_outcomes.ipynb"]  # the package's 基线, renamed


def test_ego_measures_are_unknown_not_zero_where_alter_ties_were_not_collected(trial, notebooks_zh):
    from laoyou_eval import report

    _, ds, results, _ = trial
    measures = ds.networks[1].measures()
    assert measures["size"].eq(3).all()
    assert measures[["density", "effective_size", "constraint"]].isna().all().all()  # not 0, 3 and 1/3
    assert set(measures["note"]) == {"ties_not_collected"}
    table = report.ego_network_table(results.networks, study=ds)
    assert list(table["波次"]) == ["入组"] and list(table["组别"]) == ["家庭支持小组"]
    assert list(table["网络规模"]) == [3.0]
    assert list(table[["密度", "有效规模", "限制度"]].iloc[0]) == ["—", "—", "—"]
    assert list(table["备注"]) == ["没有收集被提名者之间的关系"]
    assert "没有收集被提名者之间的关系" in notebooks_zh["02_social_networks.ipynb"]


def test_the_methods_paragraph_states_the_thresholds_a_codebook_set(trial, tmp_path):
    """A codebook's ``screening.*`` setting changes what intake flags; the report states it for that
    population (and study.yaml's default for the other), not study.yaml's value for everyone."""
    import shutil

    folder = tmp_path / "manjiang"
    shutil.copytree(trial[0], folder)
    book = folder / "codebooks/parents.yaml"
    doc = yaml.safe_load(book.read_text(encoding="utf-8"))
    doc["settings"]["screening.speeder.min_seconds"] = 7
    book.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    ds = dataset.load(folder, intake.run(folder, tmp_path / "processed"))
    text = build_document(ds, analyse(ds), lang="zh").plain_text()
    assert "家长：答卷质量筛查" in text and "所用时间少于 7 秒" in text
    assert "青年：答卷质量筛查" in text and "所用时间少于每道已答题" in text
    # without an override, one paragraph for the whole study
    assert "家长：答卷质量筛查" not in trial[3]["zh"].plain_text()
