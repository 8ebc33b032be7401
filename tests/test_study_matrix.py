"""Any study, not just the demo: synthetic studies of different shapes go through intake, the
analyses and the case-study document, and each document speaks only of its own study."""

from __future__ import annotations

import math

import pytest

from laoyou_eval import dataset, demo, instruments, intake, study
from laoyou_eval.report import render, set_language, theme
from laoyou_eval.report.analysis import analyse
from laoyou_eval.report.casereport import build_document

PRESETS = ["residents_two_scales_no_networks", "single_group", "three_waves", "caregivers_group_network"]
#: Facts of the demo programme that no other study may state.
DEMO_FACTS = ("青云", "Qingyun", "融合篮球", "basketball", "生日会", "云峰", "6个月", "6 months")


@pytest.fixture(scope="module", params=PRESETS)
def built(request, tmp_path_factory):
    root = tmp_path_factory.mktemp(request.param)
    folder = demo.generate(root / request.param, shape=request.param)
    processed = intake.run(folder, root / "processed")
    ds = dataset.load(folder, processed)
    theme()
    results = analyse(ds)
    docs = {}
    for lang in ("zh", "en"):
        set_language(lang)
        docs[lang] = build_document(ds, results, lang=lang)
    set_language("zh")
    return request.param, folder, ds, results, docs


def test_study_yaml_drives_what_is_analysed(built):
    name, folder, ds, results, _ = built
    spec = study.read_spec(folder)
    declared = {p: [o.scale for o in spec.outcomes(p)] for p in spec.populations}
    assert {p: [o.scale for o in ds.outcomes(p)] for p in ds.populations} == declared
    assert set(results.paired["outcome"]) == {o.column for o in ds.all_outcomes()}
    assert set(results.paired["wave_post"]) == set(spec.wave_numbers[1:])
    assert (results.did is not None) == spec.has_comparison
    assert (results.mixed is not None) == (len(spec.wave_numbers) >= 3)
    components = spec.components
    assert (results.networks is not None) == components["ego_networks"]
    assert (results.group is not None) == components["group_network"]


def test_document_names_only_its_own_instruments_labels_and_facts(built):
    name, folder, ds, results, docs = built
    spec = ds.spec
    own = {o.instrument for o in ds.all_outcomes()}
    for lang, doc in docs.items():
        text = doc.plain_text()
        for inst in instruments.available():
            title = getattr(instruments.get(inst), f"title_{lang}")
            if inst not in own and not any(title in getattr(instruments.get(o), f"title_{lang}") for o in own):
                assert title not in text, (lang, inst)
        for fact in DEMO_FACTS:
            assert fact not in text, (lang, fact)
        for wave in spec.wave_numbers:
            assert spec.wave_label(wave, lang) in text
        for arm in spec.arms:
            assert spec.arm_label(arm, lang) in text
        site = spec.fact("site")
        if site:
            assert study.bilingual(site)[0 if lang == "zh" else 1] in text
        else:
            assert any("项目地点" in p or "site" in p for p in doc.placeholders)
        for variable in ("_total", "_mean", "wave_post", "n_treated", "Unnamed"):
            assert variable not in text, (lang, variable)


def test_absent_components_are_said_not_zero(built):
    name, folder, ds, results, docs = built
    text = docs["zh"].plain_text()
    if results.networks is None:
        assert "本研究没有收集自我中心网络数据" in text
    if not ds.spec.has_comparison:
        assert "没有对照组" in text
        assert "双重差分" not in text.split("五、")[0]


def test_numbers_in_the_document_equal_the_results(built):
    name, folder, ds, results, docs = built
    paired = results.paired.set_index(["population", "outcome", "arm", "wave_post"])
    checked = 0
    for fact in docs["en"].facts:
        if not fact.source.startswith("paired["):
            continue
        inside, _, column = fact.source.partition("].")
        population, outcome, arm, wave = inside.removeprefix("paired[").split(",")
        value = paired.loc[(population, outcome, arm, int(wave.removeprefix("w"))), column.split(".")[0]]
        if column.endswith(("ci_low", "ci_high")):
            base = column.split(".")[0]
            value = paired.loc[(population, outcome, arm, int(wave.removeprefix("w"))), f"{base}_{column.split('.')[1]}"]
        assert math.isclose(fact.value, float(value), rel_tol=0, abs_tol=5e-3 if "d_z" in column else 5e-3 * max(
            1, abs(float(value)))), fact
        checked += 1
    assert checked > 0


def test_renders_every_format(built, tmp_path):
    name, folder, ds, results, docs = built
    for lang, doc in docs.items():
        html = render.to_html(doc, tmp_path / f"{lang}.html")
        assert render.to_docx(doc, tmp_path / f"{lang}.docx").stat().st_size > 0
        assert render.to_xlsx(doc, tmp_path / f"{lang}.xlsx").stat().st_size > 0
        assert html.read_text(encoding="utf-8").count("<table") >= 3


def test_no_table_shows_a_group_of_one_to_four_people(built):
    """The small-cell rule in the document: counts of people in 1–4 show as <5 (0 is shown)."""
    from laoyou_eval.report.document import Table

    name, folder, ds, results, docs = built
    count_columns = ("n", "可靠改善", "无可靠变化", "可靠变差", "未评估", "n（", "Reliably", "No reliable", "Not assessed",
                     "n (")
    for doc in docs.values():
        for block in doc.blocks:
            if not isinstance(block, Table):
                continue
            shown = block.display()
            for column in shown.columns:
                if str(column) == "n" or any(str(column).startswith(c) for c in count_columns[1:]):
                    values = [str(v) for v in shown[column]]
                    assert not [v for v in values if v.isdigit() and 0 < int(v) < 5], (block.title, column, values)
