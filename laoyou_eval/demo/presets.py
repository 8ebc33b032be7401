"""Named study shapes for the synthetic-study generator, and custom shapes from YAML.

Each preset is a different study a student might bring: other instruments, one population,
fewer components, no comparison group, three waves, its own site and wave labels.

>>> from laoyou_eval.demo.presets import PRESETS, preset
>>> sorted(PRESETS)
['caregivers_group_network', 'demo', 'residents_two_scales_no_networks', 'single_group', 'three_waves']
>>> preset("single_group").arms
('programme',)
"""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import date
from pathlib import Path

from laoyou_eval.demo.design import DemoDesign, StudyShape, Wave
from laoyou_eval.errors import LaoyouError

#: A small study: 12 + 12 residents in a community of 40 home-bound residents.
SMALL = DemoDesign(n_programme=12, n_comparison=12, n_homebound=40, n_registered=320, n_volunteers_reserve=3,
                   n_parents_group=6)
PRE_POST = (Wave("前测 pre-test", date(2025, 3, 1)), Wave("后测 post-test", date(2025, 7, 1)))

PRESETS: dict[str, StudyShape] = {
    "demo": StudyShape(name="demo", legacy_metadata=True, screening_cases=True, context=(
        ("site", "青云街道（盘龙区，昆明）/ Qingyun Subdistrict, Panlong District, Kunming"),
        ("host", "社区老友支持计划项目组（演示）/ Community Buddy programme team (demo)"),
        ("target_group", "长期居家的残障青年及其家长 / home-bound young adults with disabilities and their parents"),
        ("activities", ("融合篮球班 / inclusive basketball class", "生日会 / birthday parties",
                        "家长互动学习小组 / parents' learning group", "心理支持聚餐 / support dinners")),
        ("partners", ("云峰篮球馆 / Yunfeng basketball gym", "春城运动馆 / Chuncheng sports hall")))),
    "residents_two_scales_no_networks": StudyShape(
        name="residents_two_scales_no_networks",
        title="松风街道居家青年支持项目（合成数据）/ Songfeng home-bound youth support (synthetic)",
        residents=("pss10", "ucla3"), caregivers=(), waves=PRE_POST, ego_networks=False, group_network=False,
        process=("contacts", "attendance"), open_ended=False, programme_questions=False, code_export=False,
        context=(("site", "松风街道（虚构）"), ("host", "松风社工站（虚构）")), context_counts=False, design=SMALL),
    "single_group": StudyShape(
        name="single_group",
        title="柳岸社区结伴计划（合成数据，单组前后测）/ Liu'an buddy scheme (synthetic, single group)",
        residents=("uls8", "who5"), caregivers=("k6",), comparison=False, waves=PRE_POST, group_network=False,
        process=("volunteers", "contacts"), programme_questions=False, code_export=False,
        context=(("site", "柳岸社区（虚构）"), ("activities", ("读书会", "手工坊"))), context_counts=False,
        design=replace(SMALL, n_programme=16)),
    "three_waves": StudyShape(
        name="three_waves", title="三波次追踪研究（合成数据）/ Three-wave follow-up study (synthetic)",
        residents=("ucla3", "mspss"), caregivers=("zbi12_bedard", "pss4"),
        waves=(Wave("基线 baseline", date(2024, 9, 7)), Wave("后测 post-test", date(2025, 1, 11)),
               Wave("追踪 follow-up", date(2025, 7, 5))),
        wave_effects=(0.0, 0.6, 1.0), context_counts=False, design=SMALL),
    "caregivers_group_network": StudyShape(
        name="caregivers_group_network",
        title="晨光家长互助小组评估（合成数据）/ Chenguang parents' mutual-aid group (synthetic)",
        residents=(), caregivers=("k6", "who5"), waves=PRE_POST, ego_networks=False, group_network=True,
        process=("attendance",), open_ended=False, programme_questions=False,
        context=(("host", "晨光家长互助中心（虚构）"),), context_counts=False, design=replace(SMALL, n_parents_group=10)),
}


def preset(name: str) -> StudyShape:
    """The preset ``name`` (see :data:`PRESETS`), or a :class:`LaoyouError` listing the presets."""
    if name not in PRESETS:
        raise LaoyouError(f"没有名为 {name!r} 的合成研究预设。", f"No study preset named {name!r}.",
                          hint_zh=f"可选：{', '.join(PRESETS)}。", hint_en=f"choose one of {', '.join(PRESETS)}.")
    return PRESETS[name]


def shape_from_mapping(doc: dict, source: str = "<shape>") -> StudyShape:
    """A shape from plain data: an optional ``preset`` to start from, then any field of
    :class:`StudyShape` (``waves`` as a list of ``{label, date}``, ``context`` and ``design``
    as mappings).

    Examples
    --------
    >>> shape = shape_from_mapping({"preset": "single_group", "name": "mine", "residents": ["k10"]})
    >>> shape.residents, shape.comparison
    (('k10',), False)
    """
    doc = dict(doc or {})
    base = preset(doc.pop("preset")) if "preset" in doc else StudyShape()
    known = {f.name for f in fields(StudyShape)} - {"legacy_metadata"}
    unknown = sorted(set(doc) - known)
    if unknown:
        raise LaoyouError(f"合成研究设定中有未知的键 {unknown}。", f"Unknown keys {unknown} in the study shape.",
                          file=source, hint_zh=f"可用的键：{sorted(known)}。", hint_en=f"known keys: {sorted(known)}.")
    changes: dict = {}
    for key, value in doc.items():
        try:
            if key == "waves":
                value = tuple(Wave(str(w["label"]), date.fromisoformat(str(w["date"]))) for w in value)
            elif key == "context":
                value = tuple((str(k), tuple(v) if isinstance(v, list) else v) for k, v in dict(value).items())
            elif key == "design":
                value = replace(base.design, **{k: date.fromisoformat(str(v)) if k in ("baseline", "follow_up")
                                                else v for k, v in dict(value).items()})
            elif isinstance(value, list):
                value = tuple(value)
        except (KeyError, TypeError, ValueError) as error:
            raise LaoyouError(f"合成研究设定的 {key} 写法有误：{error}", f"Invalid value of {key!r}: {error}",
                              file=source, column=key) from None
        changes[key] = value
    return replace(base, **changes).validate()


def read_shape(path) -> StudyShape:
    """A shape from a YAML file (see :func:`shape_from_mapping`)."""
    import yaml

    path = Path(path)
    if not path.is_file():
        raise LaoyouError("找不到合成研究设定文件。", "Study shape file not found.", file=path)
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(doc, dict):
        raise LaoyouError("合成研究设定文件应为 YAML 映射。", "A study shape file must be a YAML mapping.", file=path)
    return shape_from_mapping(doc, source=str(path))
