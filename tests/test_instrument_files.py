"""The built-in instrument files: they load, their ranges follow from their items, subscales and
composites are consistent, no item wording is shipped, and key published facts are recorded."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from laoyou_eval import instruments
from laoyou_eval.instruments.model import DATA_PACKAGE

NAMES = ["pss10", "zbi22", "zbi12_bedard", "pss4", "k6", "k10", "who5", "ucla3", "uls8", "uls6",
         "lsns6", "mspss", "ssrs", "mcsi", "whodas12"]

# Instruments whose documented subscales together cover every item.
FULL_COVER = {"pss10", "lsns6", "mspss", "ssrs"}

WORDING_KEYS = {"wording", "text", "question", "questions", "stem", "stems", "prompt", "item_text"}
MAX_STRING = 400


def raw(name: str) -> dict:
    text = (resources.files(DATA_PACKAGE) / f"{name}.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def walk(node, path=()):
    """Yield (path, key, value) for every mapping entry and (path, None, value) for list items."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield path, key, value
            yield from walk(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield path, None, value
            yield from walk(value, path + (index,))


# (a) loading -------------------------------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_loads(name):
    inst = instruments.get(name)
    assert inst.name == name
    assert raw(name)["name"] == name
    assert name in instruments.available()
    assert inst.items == [f"{name}_{i}" for i in range(1, inst.n_items + 1)]


# (b) score range implied by the items ------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_range_matches_items(name):
    inst = instruments.get(name)
    assert len(inst.item_min) == len(inst.item_max) == inst.n_items
    assert all(lo < hi for lo, hi in zip(inst.item_min, inst.item_max))
    if inst.method == "sum":
        expected = (sum(inst.item_min), sum(inst.item_max))
    else:
        expected = (min(inst.item_min), max(inst.item_max))
    assert tuple(map(float, inst.score_range)) == expected


@pytest.mark.parametrize("name", NAMES)
def test_composite_bounds_match_their_columns(name):
    inst = instruments.get(name)
    doc = raw(name)
    base_min, base_max = doc["response"]["min"], doc["response"]["max"]
    for comp in inst.composites:
        lo, hi = inst.item_min[comp.item - 1], inst.item_max[comp.item - 1]
        if comp.rule == "sum":
            assert (lo, hi) == (len(comp.columns) * base_min, len(comp.columns) * base_max)
        elif comp.rule == "count":
            assert (lo, hi) == (0, len(comp.columns))
            assert comp.none_column and comp.none_column not in comp.columns
        else:
            pytest.fail(f"unknown composite rule {comp.rule!r}")
        assert len(set(comp.columns)) == len(comp.columns)


@pytest.mark.parametrize("name", NAMES)
def test_labels_reverse_missing_and_cutoffs_are_consistent(name):
    inst = instruments.get(name)
    doc = raw(name)
    n_codes = int(doc["response"]["max"]) - int(doc["response"]["min"]) + 1
    if inst.response_labels_en or inst.response_labels_zh:
        assert len(inst.response_labels_en) == len(inst.response_labels_zh) == n_codes
    assert len(set(inst.reverse)) == len(inst.reverse)
    assert "reverse_source" in doc
    assert 0 <= inst.max_missing <= max(1, int(0.2 * inst.n_items))
    if inst.n_items <= 5:
        assert inst.max_missing <= 1
    assert inst.missing_rule and inst.missing_rule_source
    low, high = inst.score_range
    for cut in inst.cutoffs:
        assert cut.source and cut.label_zh and cut.label_en
        assert cut.low is None or low <= cut.low <= high
        assert cut.high is None or low <= cut.high <= high
        if cut.low is not None and cut.high is not None:
            assert cut.low <= cut.high
    if not inst.cutoffs:
        assert inst.cutoffs_note, "an empty cut-off list needs cutoffs_note"
    ordered = sorted(inst.cutoffs, key=lambda c: c.low)
    for a, b in zip(ordered, ordered[1:]):
        assert a.high < b.low, "cut-off bands overlap"


@pytest.mark.parametrize("name", NAMES)
def test_reliability_reference_licence_blocks(name):
    inst = instruments.get(name)
    assert {"value", "kind", "source", "verified"} <= set(inst.reliability)
    value = inst.reliability["value"]
    assert value is None or 0 < value < 1
    if value is None:
        assert inst.reliability["verified"] is False
    assert {"mean", "sd", "source"} <= set(inst.reference)
    assert inst.reference["sd"] is None or inst.reference["sd"] > 0
    assert {"holder", "terms", "wording_shippable"} <= set(inst.licence)
    assert inst.citation


@pytest.mark.parametrize("name", NAMES)
def test_unverified_reliability_is_listed(name):
    inst = instruments.get(name)
    if inst.reliability["verified"] is False and inst.reliability["value"] is not None:
        assert inst.unverified


# Short forms --------------------------------------------------------------------------------

SHORT_FORMS = {"zbi12_bedard": "zbi22", "pss4": "pss10", "k6": "k10", "uls6": "uls8"}


@pytest.mark.parametrize("name,parent", sorted(SHORT_FORMS.items()))
def test_parent_mapping(name, parent):
    inst = instruments.get(name)
    assert inst.parent["instrument"] == parent
    items = inst.parent["items"]
    full = instruments.get(parent)
    assert len(items) == inst.n_items
    assert len(set(items)) == len(items)
    assert all(1 <= i <= full.n_items for i in items)
    # A short-form item is reverse-keyed exactly when its parent item is.
    assert {k for k, i in enumerate(items, 1) if i in full.reverse} == set(inst.reverse)


def test_k6_parent_notes_the_coding_difference():
    k6, k10 = instruments.get("k6"), instruments.get("k10")
    assert (k6.item_min[0], k6.item_max[0]) == (0, 4)
    assert (k10.item_min[0], k10.item_max[0]) == (1, 5)
    assert "1–5" in k6.parent["note"] and "0–4" in k6.parent["note"]
    assert any("K6" in u and "mapping" in u.lower() for u in k6.unverified)


# (c) subscales -------------------------------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_subscales_disjoint(name):
    inst = instruments.get(name)
    seen: set[int] = set()
    for sub in inst.subscales:
        assert len(set(sub.items)) == len(sub.items)
        assert not seen & set(sub.items), f"{sub.name} overlaps another subscale"
        seen |= set(sub.items)
    if name in FULL_COVER:
        assert seen == set(range(1, inst.n_items + 1))


@pytest.mark.parametrize("name", ["zbi22", "zbi12_bedard", "whodas12"])
def test_no_subscales_where_membership_is_unverified(name):
    assert instruments.get(name).subscales == ()


# (d) no item wording ------------------------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_no_item_wording_shipped(name):
    doc = raw(name)
    for path, key, value in walk(doc):
        if key is not None:
            assert str(key).lower() not in WORDING_KEYS, f"{name}: key {key!r} at {path}"
        if isinstance(value, str):
            assert len(value) <= MAX_STRING, f"{name}: long string at {path + (key,)}"
    assert "items" not in doc, "items are identified by number only"
    text = (resources.files(DATA_PACKAGE) / f"{name}.yaml").read_text(encoding="utf-8")
    assert "?" not in text and "？" not in text, "question marks suggest item wording"


# (e) specific facts -------------------------------------------------------------------------

def test_pss10_reverse_items():
    pss = instruments.get("pss10")
    assert pss.reverse == (4, 5, 7, 8)
    assert pss.score_range == (0, 40)


def test_pss4_reverse_items():
    assert instruments.get("pss4").reverse == (2, 3)


def test_zbi12_bedard_parent_items():
    zbi12 = instruments.get("zbi12_bedard")
    assert zbi12.parent["items"] == [2, 3, 5, 6, 9, 10, 11, 12, 17, 19, 20, 21]
    assert zbi12.score_range == (0, 48)
    assert instruments.get("zbi22").score_range == (0, 88)


def test_mspss_subscales():
    mspss = instruments.get("mspss")
    assert mspss.method == "mean" and mspss.score_range == (1, 7)
    assert mspss.higher_is == "better"
    assert mspss.subscale("significant_other").items == (1, 2, 5, 10)
    assert mspss.subscale("family").items == (3, 4, 8, 11)
    assert mspss.subscale("friends").items == (6, 7, 9, 12)
    assert all(s.method == "mean" for s in mspss.subscales)


def test_ssrs_subscales_and_composites():
    ssrs = instruments.get("ssrs")
    assert ssrs.subscale("objective").items == (2, 6, 7)
    assert ssrs.subscale("subjective").items == (1, 3, 4, 5)
    assert ssrs.subscale("utilisation").items == (8, 9, 10)
    assert ssrs.score_range == (12, 66) and ssrs.higher_is == "better"
    assert ssrs.response_labels_en == ()  # coding differs by item: no shared labels
    bounds = dict(enumerate(zip(ssrs.item_min, ssrs.item_max), 1))
    assert all(bounds[i] == (1, 4) for i in (1, 2, 3, 4, 8, 9, 10))
    assert bounds[5] == (5, 20) and bounds[6] == (0, 9) and bounds[7] == (0, 9)
    comps = {c.item: c for c in ssrs.composites}
    assert set(comps) == {5, 6, 7}
    assert comps[5].rule == "sum"
    assert comps[5].columns == tuple(f"ssrs_5{x}" for x in "abcde")
    for item in (6, 7):
        assert comps[item].rule == "count"
        assert comps[item].columns == tuple(f"ssrs_{item}_{k}" for k in range(1, 10))
        assert comps[item].none_column == f"ssrs_{item}_none"
    notes = " ".join(ssrs.unverified)
    assert "8 or 9" in notes and "olleague" in notes


def test_who5_transform_and_cutoff():
    who5 = instruments.get("who5")
    assert who5.transforms == {"percent": 4}
    assert who5.score_range == (0, 25) and who5.higher_is == "better"
    assert [(c.low, c.high) for c in who5.cutoffs] == [(0, 12)]


def test_lsns6_subscales_and_cutoff():
    lsns = instruments.get("lsns6")
    assert lsns.subscale("family").items == (1, 2, 3)
    assert lsns.subscale("friends").items == (4, 5, 6)
    assert [(c.low, c.high) for c in lsns.cutoffs] == [(0, 11)]
    assert "Lubben" in lsns.cutoffs[0].source


def test_k10_abs_bands_and_k6_cutoff():
    k10 = instruments.get("k10")
    assert [(c.low, c.high) for c in k10.cutoffs] == [(10, 15), (16, 21), (22, 29), (30, 50)]
    k6 = instruments.get("k6")
    assert [(c.low, c.high) for c in k6.cutoffs] == [(13, 24)]
    assert k6.cutoffs_note  # the caveat


def test_uls_reverse_and_short_form():
    assert instruments.get("uls8").reverse == (3, 6)
    uls6 = instruments.get("uls6")
    assert uls6.parent["items"] == [1, 2, 4, 5, 7, 8]
    assert uls6.score_range == (6, 24)


def test_whodas12_coding():
    whodas = instruments.get("whodas12")
    assert whodas.score_range == (0, 48) and whodas.higher_is == "worse"
    assert "1–5" in whodas.response_variant


def test_licensed_wording_not_shippable():
    for name in ("pss10", "pss4", "zbi22", "zbi12_bedard", "whodas12", "ucla3", "uls8", "uls6",
                 "lsns6", "mspss", "ssrs", "mcsi"):
        assert instruments.get(name).wording_shippable is False, name


def test_docs_page_is_up_to_date():
    """docs/instruments.md is generated from the instrument files: run `make docs` after editing them."""
    from pathlib import Path

    from laoyou_eval.instruments import catalogue, catalogue_markdown

    page = Path(__file__).resolve().parents[1] / "docs" / "instruments.md"
    assert page.read_text(encoding="utf-8") == catalogue_markdown()
    table = catalogue()
    assert len(table) == 15 and not table.wording_shippable[table.name.isin(["zbi22", "pss10", "whodas12"])].any()


def test_no_yaml_flow_mapping_accidents():
    """A comma inside an unquoted flow mapping (``{en: A, B}``) silently makes a new key."""
    from importlib import resources

    import yaml

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                assert not (value is None and isinstance(key, str) and " " in key), key
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in resources.files("laoyou_eval.instruments.data").iterdir():
        if path.name.endswith(".yaml"):
            walk(yaml.safe_load(path.read_text(encoding="utf-8")))
