"""study.yaml (spec) and the study folder checks: every problem listed at once, by key and file."""

import shutil

import pytest
import yaml

from laoyou_eval import study
from laoyou_eval.demo import planted
from laoyou_eval.errors import StudyFolderError

MINIMAL = {
    "study": "试点 / pilot",
    "waves": {1: {"label": "前测 pre-test", "date": "2025-03-01"}, 2: {"label": "后测 post-test"}},
    "arms": {"programme": "项目组 programme"},
    "surveys": [{"file": "s1.csv", "population": "residents", "wave": 1, "id_question": "编号",
                 "codebook": "book.yaml"}],
}


def test_minimal_spec_defaults():
    spec = study.StudySpec.from_dict(MINIMAL)
    assert spec.wave_numbers == [1, 2] and not spec.has_comparison
    assert spec.populations == ["residents"] and spec.population("residents").id_column == "resident_id"
    assert (spec.wave_label(1, "zh"), spec.wave_label(1, "en")) == ("前测", "pre-test")
    assert spec.wave_label(2, "en") == "post-test"
    assert spec.components == {"ego_networks": False, "group_network": False, "process": False, "open_ended": False}
    assert spec.outcomes("residents") is None  # not declared: every codebook scale
    assert spec.fact("site") is None


def test_every_schema_problem_is_listed_with_its_key():
    doc = {**MINIMAL, "wavez": 1, "waves": {1: {"date": "1.3.2025"}, 3: {}},
           "arms": {"programme": "p", "control": "c"},
           "surveys": [{"file": "s.csv", "population": "parents", "wave": 1, "id_question": "q", "codebook": "b"},
                       {"file": "t.csv", "population": "residents", "wave": 9, "id_question": "q", "codebook": "b"},
                       {"file": "u.csv", "population": "residents", "wave": 1, "id_question": "q", "codebook": "b"}],
           "outcomes": {"residents": [{"scale": "pss10", "higher_is": "up"}]},
           "files": {"x.csv": {"kind": "alterz"}, "networks/alters.csv": {"kind": "alters"}}}
    with pytest.raises(StudyFolderError) as info:
        study.StudySpec.from_dict(doc)
    message = str(info.value)
    for key in ("wavez", "waves.1.date", "waves", "arms.control", "surveys[1].population", "surveys[2].wave",
                "outcomes.residents[1].higher_is", "files.x.csv.kind", "files.networks/alters.csv.wave"):
        assert f"{key}:" in message, key


def test_labels_split_into_languages():
    assert study.bilingual("基线 baseline") == ("基线", "baseline")
    assert study.bilingual("项目组 / programme") == ("项目组", "programme")
    assert study.bilingual("Post") == ("Post", "Post")
    assert study.bilingual({"zh": "后测"}) == ("后测", "后测")


def test_invalid_yaml_names_the_line(tmp_path):
    (tmp_path / "study.yaml").write_text("study: x\nwaves: {1: [\n", encoding="utf-8")
    with pytest.raises(StudyFolderError) as info:
        study.read_spec(tmp_path)
    assert "行 row" in str(info.value) and "YAML" in str(info.value)


def test_a_folder_without_study_yaml_says_what_to_do(tmp_path):
    with pytest.raises(StudyFolderError, match="study.yaml"):
        study.check_study_folder(tmp_path)


def test_demo_folder_is_valid_without_problems(demo_study):
    spec, problems = study.validate(demo_study)
    assert problems[problems.severity == "error"].empty
    assert spec.components == {"ego_networks": True, "group_network": True, "process": True, "open_ended": True}


def test_missing_files_are_listed_together_with_components(demo_study, tmp_path):
    copy = shutil.copytree(demo_study, tmp_path / "study")
    (copy / "roster.csv").unlink()
    (copy / "networks/alters_w2.csv").write_bytes(b"")
    (copy / "process/jobs.csv").write_text("x", encoding="utf-8")  # undeclared: a warning
    spec, problems = study.validate(copy)
    errors = problems[problems.severity == "error"]
    assert set(errors.file) >= {"roster.csv", "networks/alters_w2.csv"}
    assert {"roster", "ego_networks"} <= set(errors.component)
    assert ((problems.severity == "warning") & (problems.file == "process/jobs.csv")).any()
    with pytest.raises(StudyFolderError) as info:
        study.check_study_folder(copy)
    assert "roster.csv" in str(info.value) and "alters_w2.csv" in str(info.value)
    assert "optional" in str(info.value)


def test_wrong_id_question_and_unknown_outcome_scale(demo_study, tmp_path):
    copy = shutil.copytree(demo_study, tmp_path / "study")
    meta = yaml.safe_load((copy / "study.yaml").read_text(encoding="utf-8"))
    meta["surveys"][0]["id_question"] = "编号"
    meta["outcomes"] = {"residents": ["pss10"]}
    (copy / "study.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    _, problems = study.validate(copy)
    errors = problems[problems.severity == "error"]
    assert (errors.column == "编号").any()
    assert errors.problem_en.str.contains("pss10").any()


def test_roster_columns_are_checked(demo_study, tmp_path):
    copy = shutil.copytree(demo_study, tmp_path / "study")
    roster = (copy / "roster.csv").read_text(encoding="utf-8-sig").replace("arm,", "group,", 1)
    (copy / "roster.csv").write_text(roster, encoding="utf-8-sig")
    _, problems = study.validate(copy)
    assert ((problems.severity == "error") & (problems.column == "arm")).any()


def test_comparison_without_roster_is_an_error(tmp_path):
    doc = {**MINIMAL, "arms": {"programme": "p", "comparison": "c"}}
    (tmp_path / "study.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    _, problems = study.validate(tmp_path)
    assert ((problems.component == "roster") & (problems.severity == "error")).any()


def test_ids_are_normalised_as_people_type_them():
    assert study.normalise_id(" ｃ００３ ") == "C003"
    assert study.normalise_id("r 01") == "R01"


def test_planted_effects_only_for_synthetic_studies(demo_study, tmp_path):
    row = planted.planted_effects(demo_study).set_index("measure").loc["ucla3_total"]
    assert row.programme < 0 < row.comparison
    copy = shutil.copytree(demo_study, tmp_path / "real")
    (copy / "truth.json").unlink()
    assert planted.planted_effects(copy) is None


def test_schema_reference_is_generated_from_the_code():
    from laoyou_eval import config

    page = (config.PROJ_ROOT / "docs" / "study_yaml.md").read_text(encoding="utf-8")
    assert page == study.schema_markdown()
