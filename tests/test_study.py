import shutil

import pytest

from laoyou_eval import demo, study
from laoyou_eval.errors import StudyFolderError


def test_inventory_lists_every_file_with_its_encoding(demo_study):
    inv = study.inventory(demo_study)
    assert len(inv) == len(demo.STUDY_FILES) == 28
    enc = dict(zip(inv.file, inv.encoding))
    assert enc["surveys/caregivers_w1_text.csv"] == "gb18030"
    assert enc["surveys/residents_w1_text.xlsx"] == "xlsx"
    rows = dict(zip(inv.file, inv.rows))
    assert rows["surveys/residents_w1_text.xlsx"] == 46  # 45 residents + 1 duplicate submission
    assert rows["process/volunteers.csv"] == 28


def test_survey_responses_flag_duplicates_and_normalised_ids_without_dropping(demo_study):
    responses = study.survey_responses(demo_study)
    w1 = responses[(responses.file == "surveys/residents_w1_text.xlsx")]
    assert w1.submissions.sum() == 46 and w1.respondents.sum() == 45
    assert w1.duplicate_submissions.sum() == 1
    w2 = responses[(responses.file == "surveys/residents_w2_text.csv")]
    assert w2.ids_normalised.sum() == 1
    assert "unmatched" not in set(responses.arm)
    assert not responses.astype(str).apply(lambda c: c.str.contains(r"1[3-9]\d{9}")).any().any()


def test_unknown_ids_are_reported_as_unmatched(demo_study, tmp_path):
    copy = shutil.copytree(demo_study, tmp_path / "study")
    path = copy / "surveys/residents_w2_text.csv"
    text = path.read_text(encoding="utf-8-sig")
    first_id = text.splitlines()[1].split(",")[6]
    path.write_text(text.replace(f",{first_id},", ",R999,", 1), encoding="utf-8-sig")
    responses = study.survey_responses(copy)
    unmatched = responses[(responses.file == "surveys/residents_w2_text.csv") & (responses.arm == "unmatched")]
    assert unmatched.submissions.sum() == 1
    assert responses[responses.file == "surveys/residents_w2_text.csv"].submissions.sum() == 40


def test_missing_files_are_listed_together(demo_study, tmp_path):
    copy = shutil.copytree(demo_study, tmp_path / "study")
    (copy / "roster.csv").unlink()
    (copy / "networks/alters_w2.csv").write_bytes(b"")
    with pytest.raises(StudyFolderError) as info:
        study.check_study_folder(copy)
    message = str(info.value)
    assert "roster.csv" in message and "alters_w2.csv" in message
    assert "缺少 missing" in message and "空文件 empty" in message


def test_a_folder_without_study_yaml_says_what_to_do(tmp_path):
    with pytest.raises(StudyFolderError, match="study.yaml"):
        study.check_study_folder(tmp_path)


def test_planted_effects_only_for_synthetic_studies(demo_study, tmp_path):
    planted = study.planted_effects(demo_study)
    row = planted.set_index("measure").loc["ucla3_total"]
    assert row.programme < 0 < row.comparison
    copy = shutil.copytree(demo_study, tmp_path / "real")
    (copy / "truth.json").unlink()
    assert study.planted_effects(copy) is None
