"""Network figures draw Chinese without missing glyphs, never show names, and survive
networks without ties or alters."""

from __future__ import annotations

import warnings

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from laoyou_eval import config, report
from laoyou_eval.networks import figures, io, waves
from laoyou_eval.report import i18n


@pytest.fixture(autouse=True)
def chinese_figures():
    state = dict(i18n._state)
    with matplotlib.rc_context():
        report.set_language("zh")
        report.theme()
        yield
    i18n._state.update(state)
    plt.close("all")


@pytest.fixture(scope="module")
def demo():
    nets = io.read_name_generator(config.DEMO_STUDY_DIR, key="figures")
    linked = waves.link_alters(nets[1].alters, nets[2].alters, attributes=["closeness", "relation", "category"])
    return nets, linked


def _texts(fig) -> list[str]:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing CJK glyph is a warning
        fig.canvas.draw()
    return [t.get_text() for t in fig.findobj(matplotlib.text.Text)]


def test_egogram_pair_of_a_panel_draws_the_same_figure(demo):
    nets, linked = demo
    loose = _texts(figures.egogram_pair(linked, nets[1].ties, nets[2].ties, "R002"))
    assert _texts(figures.egogram_pair(waves.EgoPanel.from_waves(nets), "R002")) == loose


def test_egogram_pair_labels_roles_not_names(demo):
    nets, linked = demo
    texts = _texts(figures.egogram_pair(linked, nets[1].ties, nets[2].ties, "R002"))
    names = set(pd.read_csv(config.DEMO_STUDY_DIR / "networks/alters_w2.csv", dtype=str)["alter_name"])
    assert not names & set(texts)
    assert "母亲" in texts and "志愿者（老友）" in texts and any("基线" in t for t in texts)


def test_egogram_without_alter_ties_or_alters():
    alters = pd.DataFrame({"ego_id": "e", "alter_no": ["1", "2"], "alter_id": ["A1", "A2"], "closeness": ["亲近", None],
                           "relation": ["母亲", "朋友"], "category": ["kin", "other_nonkin"]})
    linked = waves.link_alters(alters, alters.iloc[:0], attributes=["closeness", "relation", "category"])
    no_ties = pd.DataFrame(columns=["ego_id", "source", "target", "weight"])
    _texts(figures.egogram_pair(linked, no_ties, no_ties, "e"))
    _texts(figures.egogram_pair(linked, no_ties, no_ties, "nobody"))


def test_alluvial_and_group_network_draw(demo):
    nets, linked = demo
    arm = nets[1].egos.set_index("ego_id")["arm"]
    texts = _texts(figures.alluvial(waves.alter_flows(linked, groups=arm), groups=["programme", "comparison"]))
    assert "项目组" in texts and any(t.startswith("结对老友") for t in texts)
    texts = _texts(figures.group_network(io.read_group(config.DEMO_STUDY_DIR)))
    assert "P01" in texts and "组长" in texts


def test_english_figures(demo_labels):
    report.set_language("en")
    group = io.read_group(config.DEMO_STUDY_DIR)
    texts = _texts(figures.group_network(group))
    assert "Leader" in texts and not any("组长" in t for t in texts)
