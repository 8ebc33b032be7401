"""A study folder written by hand, as the README tells a student to: another site, its own wave
labels, one group, no roster, a built-in scale and a scale the study defines itself."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml

from laoyou_eval import dataset, instruments, intake, study
from laoyou_eval.report.analysis import analyse
from laoyou_eval.report.casereport import build_document

UCLA = ["几乎从不", "有时", "经常"]


def _export(path, wave: int, rng, ids):
    """A 问卷星-style text export: metadata columns, numbered questions, matrix items."""
    rows = []
    for k, rid in enumerate(ids):
        shift = -1 if wave == 2 and k % 3 else 0  # loneliness falls for most people at the post-test
        ucla = [UCLA[int(np.clip(rng.integers(1, 3) + shift, 0, 2))] for _ in range(3)]
        belong = [int(np.clip(rng.integers(2, 5) + (1 if wave == 2 else 0), 1, 5)) for _ in range(4)]
        rows.append({"序号": k + 1, "提交答卷时间": f"2025/0{3 if wave == 1 else 7}/0{1 + k % 9} 10:00:00",
                     "所用时间": "300秒", "来源": "微信", "来源详情": "微信", "来自IP": "1.2.3.4(云南-大理)",
                     "1、受访者编号": rid, **{f"第2题(条目{i})": v for i, v in enumerate(ucla, 1)},
                     **{f"第3题(条目{i})": v for i, v in enumerate(belong, 1)}})
    pd.DataFrame(rows).to_csv(path, index=False, encoding="utf-8-sig")


@pytest.fixture(scope="module")
def own_study(tmp_path_factory):
    root = tmp_path_factory.mktemp("own")
    folder = root / "dali_pilot"
    (folder / "surveys").mkdir(parents=True)
    (folder / "codebooks").mkdir()
    rng = np.random.default_rng(3)
    ids = [f"D{k:02d}" for k in range(1, 13)]
    _export(folder / "surveys/pre.csv", 1, rng, ids)
    _export(folder / "surveys/post.csv", 2, rng, ids[:11])
    book = {
        "settings": {"id": "resident_id", "title": "大理试点问卷"},
        "survey": [{"type": "text", "name": "resident_id", "header": "1、受访者编号"},
                   *[{"type": "select_one ucla", "name": f"ucla3_{i}", "header": f"第2题(条目{i})"} for i in (1, 2, 3)],
                   *[{"type": "integer", "name": f"belong_{i}", "header": f"第3题(条目{i})", "min": 1, "max": 5}
                     for i in (1, 2, 3, 4)]],
        "choices": [{"list_name": "ucla", "name": i + 1, "label::zh": label} for i, label in enumerate(UCLA)],
        "scales": [{"scale": "ucla3", "instrument": "ucla3"},
                   {"scale": "belong", "instrument": "custom", "items": "belong_1 belong_2 belong_3 belong_4",
                    "min": 1, "max": 5, "higher_is": "better", "label::zh": "社区归属感", "label::en": "Sense of belonging"}],
    }
    (folder / "codebooks/residents.yaml").write_text(yaml.safe_dump(book, allow_unicode=True), encoding="utf-8")
    meta = {"study": "大理古城社区融合试点 / Dali old-town inclusion pilot",
            "context": {"site": "大理古城某社区（虚构）/ a community in Dali old town (fictional)"},
            "waves": {1: {"label": "前测 pre-test", "date": "2025-03-01"}, 2: {"label": "后测 post-test", "date": "2025-07-01"}},
            "arms": {"programme": "试点组 pilot group"},
            "surveys": [{"file": f"surveys/{name}.csv", "population": "residents", "wave": wave,
                         "id_question": "1、受访者编号", "codebook": "codebooks/residents.yaml"}
                        for name, wave in (("pre", 1), ("post", 2))]}
    (folder / "study.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")
    processed = intake.run(folder, root / "processed")
    ds = dataset.load(folder, processed)
    results = analyse(ds)
    return folder, ds, results, {lang: build_document(ds, results, lang=lang) for lang in ("zh", "en")}


def test_the_folder_is_valid_and_single_group(own_study):
    folder, ds, results, _ = own_study
    spec, problems = study.validate(folder)
    assert problems[problems.severity == "error"].empty
    assert not spec.has_comparison and results.did is None
    assert results.absent["comparison"] == "single_group_design"
    assert set(ds.scores.arm) == {"programme"}  # no roster: everyone answered as the one group


def test_the_study_defines_its_own_scale(own_study):
    folder, ds, results, _ = own_study
    assert [o.column for o in ds.outcomes("residents")] == ["ucla3_total", "belong_total"]
    assert instruments.get("belong").score_range == (4.0, 20.0)
    row = results.paired.set_index("outcome").loc["belong_total"]
    raw = ds.scores[ds.scores.wave == 2].set_index("respondent_id")["belong_total"].astype(float)
    base = ds.scores[ds.scores.wave == 1].set_index("respondent_id")["belong_total"].astype(float)
    assert row["n"] == 11 and row["mean_diff"] == pytest.approx((raw - base.reindex(raw.index)).mean())
    # no published reliability: the sample's alpha is used and said so, or it is NaN with a note
    params = results.change_parameters.set_index("outcome").loc["belong_total"]
    assert params["note"] in ("reliability_from_sample_alpha", "reliability_undefined")


def test_the_report_speaks_only_of_this_study(own_study):
    folder, ds, results, docs = own_study
    zh, en = docs["zh"].plain_text(), docs["en"].plain_text()
    for word in ("大理古城某社区", "前测", "后测", "试点组", "社区归属感", "UCLA"):
        assert word in zh, word
    assert "Sense of belonging" in en and "pre-test" in en and "pilot group" in en
    for demo_fact in ("青云", "融合篮球", "基线", "6个月", "候补", "家长"):
        assert demo_fact not in zh, demo_fact
    assert "没有对照组" in zh
    assert any("执行机构" in p for p in docs["zh"].placeholders)  # the host was not given: a placeholder
    assert "本研究没有收集自我中心网络数据" in zh
