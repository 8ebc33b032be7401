"""Chinese text in figures: found, kept through seaborn themes, recovered from a stale cache,
and replaced by English (with one warning) when no CJK font exists."""

from __future__ import annotations

import warnings

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest
import seaborn as sns
from matplotlib import font_manager

from laoyou_eval.errors import FontWarning
from laoyou_eval.report import figures, fonts, i18n

CJK_TITLE = "社区老友：干预前后对比"


@pytest.fixture(autouse=True)
def isolated_font_state(monkeypatch):
    monkeypatch.setattr(fonts, "_warned_missing", False)
    state = dict(i18n._state)
    with matplotlib.rc_context():
        yield
    i18n._state.update(state)
    i18n.reset_vocabulary()
    plt.close("all")


def _draw(title: str) -> None:
    """Render a figure completely (text layout happens at draw time) and fail on any warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig, ax = plt.subplots()
        ax.set_title(title)
        ax.bar(["项目组", "对照组"], [15, 30])
        fig.canvas.draw()


def _installed_cjk_family() -> str:
    family = fonts.find_cjk_family()
    assert family is not None, "no CJK font installed: run `make fonts` (apt-get install fonts-noto-cjk)"
    return family


def test_an_installed_cjk_font_is_used_and_draws_without_glyph_warnings():
    family = _installed_cjk_family()
    setup = fonts.use_chinese_font()
    assert setup.family == family and setup.figure_language == "zh"
    assert matplotlib.rcParams["font.sans-serif"][:2] == [family, "DejaVu Sans"]
    assert i18n.figure_language() == "zh"
    _draw(CJK_TITLE)


def test_seaborn_theme_keeps_the_chinese_font():
    family = _installed_cjk_family()
    fonts.theme(style="darkgrid", context="talk")
    assert matplotlib.rcParams["font.sans-serif"][0] == family
    assert matplotlib.rcParams["axes.facecolor"] == "#EAEAF2"  # the seaborn style was applied
    _draw(CJK_TITLE)
    # the trap this wrapper avoids: a bare seaborn theme resets the font list ...
    sns.set_theme()
    assert family not in matplotlib.rcParams["font.sans-serif"]
    # ... and calling the font function again repairs it
    fonts.use_chinese_font()
    _draw(CJK_TITLE)


def test_fonts_missing_from_a_stale_cache_are_registered(monkeypatch, tmp_path):
    family = _installed_cjk_family()
    path = next(e.fname for e in font_manager.fontManager.ttflist if e.name == family)
    (tmp_path / "fonts").mkdir()
    (tmp_path / "fonts" / "NotoSansCJK-Regular.ttc").symlink_to(path)
    cjk_files = {e.fname for e in font_manager.fontManager.ttflist if e.name in fonts.CJK_FAMILIES}
    stale = [e for e in font_manager.fontManager.ttflist if e.fname not in cjk_files]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", stale)
    assert fonts._installed_families().isdisjoint(fonts.CJK_FAMILIES)
    assert fonts.find_cjk_family(font_dirs=[str(tmp_path / "fonts")]) == family


def test_without_a_cjk_font_figures_switch_to_english_with_one_warning():
    with pytest.warns(FontWarning, match="fonts-noto-cjk") as record:
        setup = fonts.use_chinese_font(candidates=("No Such Font",), font_dirs=())
    assert len(record) == 1
    assert setup.family is None and setup.figure_language == "en"
    assert matplotlib.rcParams["font.sans-serif"] == ["DejaVu Sans"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a second call does not warn again
        fonts.use_chinese_font(candidates=("No Such Font",), font_dirs=())
    i18n.set_language("zh")
    assert i18n.text("孤独感", "Loneliness") == "孤独感"  # report sentences stay Chinese
    assert i18n.text("孤独感", "Loneliness", figure=True) == "Loneliness"
    assert i18n.label("programme", figure=True) == "Programme"


def test_package_figures_draw_in_english_without_glyph_warnings():
    with pytest.warns(FontWarning):
        fonts.use_chinese_font(candidates=("No Such Font",), font_dirs=())
    responses = pd.DataFrame({
        "population": ["residents", "residents", "caregivers", "caregivers"], "wave": [1, 2, 1, 2],
        "layout": "text", "arm": "programme", "respondents": [15, 14, 15, 14]})
    attendance = pd.DataFrame({"activity": ["融合篮球班", "生日会"], "participant_type": ["居民", "家长"],
                               "session_id": ["s1", "s2"]})
    i18n.add_vocabulary({"融合篮球班": ["融合篮球班", "Inclusive basketball"], "生日会": ["生日会", "Birthday party"]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for fig in (figures.respondents_by_wave(responses), figures.attendance_by_activity(attendance)):
            fig.canvas.draw()
            texts = [t.get_text() for t in fig.findobj(matplotlib.text.Text)]
            assert not any("\u4e00" <= ch <= "\u9fff" for t in texts for ch in t), texts
