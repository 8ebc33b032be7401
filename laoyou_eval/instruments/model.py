"""The :class:`Instrument` model and the loader of the YAML instrument files."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from laoyou_eval.errors import LaoyouError

DATA_PACKAGE = "laoyou_eval.instruments.data"
METHODS = ("sum", "mean")
DIRECTIONS = ("better", "worse")


@dataclass(frozen=True)
class Subscale:
    """Items (1-based) of a subscale, scored with ``method`` (default: the instrument's)."""

    name: str
    items: tuple[int, ...]
    method: str
    label_zh: str
    label_en: str


@dataclass(frozen=True)
class Cutoff:
    """A score band ``low <= score <= high`` (either bound may be None) with its source."""

    label_zh: str
    label_en: str
    low: float | None
    high: float | None
    source: str


@dataclass(frozen=True)
class Composite:
    """An item computed from other columns (e.g. SSRS item 5 = sum of 5a–5e)."""

    item: int
    rule: str  # "sum" of sub-item columns, or "count" of ticked indicator columns
    columns: tuple[str, ...]
    none_column: str | None = None


@dataclass(frozen=True)
class Instrument:
    """A validated instrument's scoring rules.

    Attributes
    ----------
    name : str
        Key, e.g. ``"zbi12_bedard"``; item columns are ``{name}_{i}`` (1-based).
    n_items : int
    item_min, item_max : tuple of float
        Each item's own response bounds (used for reverse keying and range checks).
    reverse : tuple of int
        1-based reverse-keyed items: ``x' = item_min + item_max - x``.
    method : {"sum", "mean"}
    score_range : tuple
        Range of the total score.
    higher_is : {"better", "worse"}
    max_missing : int
        Most items that may be missing for a prorated score (see ``missing_rule``).
    subscales : tuple of Subscale
    cutoffs : tuple of Cutoff
    reliability, reference : dict
        Reliability (value, kind, source) and reference mean/SD (with source) for reliable
        change; values may be None.
    wording_shippable : bool
        Whether the item wording may be distributed (it is never shipped when False).
    unverified : tuple of str
        Facts not yet checked against the primary source.
    """

    name: str
    title_zh: str
    title_en: str
    construct_zh: str
    construct_en: str
    citation: str
    n_items: int
    item_min: tuple[float, ...]
    item_max: tuple[float, ...]
    response_variant: str
    response_labels_zh: tuple[str, ...]
    response_labels_en: tuple[str, ...]
    reverse: tuple[int, ...]
    method: str
    score_range: tuple[float, float]
    higher_is: str
    max_missing: int
    missing_rule: str
    missing_rule_source: str
    subscales: tuple[Subscale, ...] = ()
    cutoffs: tuple[Cutoff, ...] = ()
    cutoffs_note: str = ""
    reliability: dict = field(default_factory=dict)
    reference: dict = field(default_factory=dict)
    licence: dict = field(default_factory=dict)
    wording_shippable: bool = False
    unverified: tuple[str, ...] = ()
    parent: dict | None = None
    composites: tuple[Composite, ...] = ()
    transforms: dict = field(default_factory=dict)

    @property
    def items(self) -> list[str]:
        """Canonical item column names ``{name}_1 … {name}_k``."""
        return [f"{self.name}_{i}" for i in range(1, self.n_items + 1)]

    def subscale(self, name: str) -> Subscale:
        for sub in self.subscales:
            if sub.name == name:
                return sub
        raise KeyError(name)


def _bounds(doc: dict, n: int, key: str) -> tuple[float, ...]:
    base = doc["response"][key]
    overrides = {int(k): v for k, v in (doc.get("item_bounds") or {}).items()}
    index = 0 if key == "min" else 1
    return tuple(float(overrides[i][index]) if i in overrides else float(base) for i in range(1, n + 1))


def _from_document(doc: dict, source: str) -> Instrument:
    def fail(what: str):
        raise LaoyouError(f"量表定义文件有误：{what}", f"Invalid instrument file: {what}", file=source)

    for key in ("name", "title", "n_items", "response", "scoring", "licence", "citation"):
        if key not in doc:
            fail(f"missing key {key!r}")
    n = int(doc["n_items"])
    scoring = doc["scoring"]
    if scoring.get("method") not in METHODS:
        fail(f"scoring.method must be one of {METHODS}")
    if scoring.get("higher_is") not in DIRECTIONS:
        fail(f"scoring.higher_is must be one of {DIRECTIONS}")
    reverse = tuple(int(i) for i in doc.get("reverse") or ())
    if any(not 1 <= i <= n for i in reverse):
        fail(f"reverse items {reverse} outside 1..{n}")
    subscales = []
    for sub_name, sub in (doc.get("subscales") or {}).items():
        items = tuple(int(i) for i in sub["items"])
        if any(not 1 <= i <= n for i in items):
            fail(f"subscale {sub_name} items outside 1..{n}")
        label = sub.get("label", {})
        subscales.append(Subscale(sub_name, items, sub.get("method", scoring["method"]),
                                  label.get("zh", sub_name), label.get("en", sub_name)))
    cutoffs = tuple(
        Cutoff(c["label"]["zh"], c["label"]["en"], c.get("low"), c.get("high"), c["source"])
        for c in doc.get("cutoffs") or ()
    )
    composites = tuple(
        Composite(int(item), spec["rule"], tuple(spec["columns"]), spec.get("none_column"))
        for item, spec in (doc.get("composites") or {}).items()
    )
    labels = doc["response"].get("labels") or {}
    return Instrument(
        name=doc["name"],
        title_zh=doc["title"]["zh"],
        title_en=doc["title"]["en"],
        construct_zh=doc.get("construct", {}).get("zh", ""),
        construct_en=doc.get("construct", {}).get("en", ""),
        citation=" ".join(str(doc["citation"]).split()),
        n_items=n,
        item_min=_bounds(doc, n, "min"),
        item_max=_bounds(doc, n, "max"),
        response_variant=doc["response"].get("variant", ""),
        response_labels_zh=tuple(labels.get("zh", ())),
        response_labels_en=tuple(labels.get("en", ())),
        reverse=reverse,
        method=scoring["method"],
        score_range=tuple(scoring["range"]),
        higher_is=scoring["higher_is"],
        max_missing=int(scoring["max_missing"]),
        missing_rule=" ".join(str(scoring.get("missing_rule", "")).split()),
        missing_rule_source=scoring.get("missing_rule_source", "package convention"),
        subscales=tuple(subscales),
        cutoffs=cutoffs,
        cutoffs_note=" ".join(str(doc.get("cutoffs_note", "")).split()),
        reliability=dict(doc.get("reliability") or {}),
        reference=dict(doc.get("reference") or {}),
        licence=dict(doc["licence"]),
        wording_shippable=bool(doc["licence"].get("wording_shippable", False)),
        unverified=tuple(doc.get("unverified") or ()),
        parent=doc.get("parent"),
        composites=composites,
        transforms=dict(doc.get("transforms") or {}),
    )


def available() -> list[str]:
    """Names of the built-in instruments."""
    return sorted(p.name.removesuffix(".yaml") for p in resources.files(DATA_PACKAGE).iterdir()
                  if p.name.endswith(".yaml"))


def of_score(column: str) -> str | None:
    """The built-in instrument a score column belongs to (``"pss10_total"`` → ``"pss10"``), or None.

    >>> of_score("zbi12_bedard_total"), of_score("respite_hours")
    ('zbi12_bedard', None)
    """
    names = sorted([*available(), *_CUSTOM], key=len, reverse=True)  # "uls6" must not match "uls8"… longest first
    return next((name for name in names if column.startswith(name + "_")), None)


def higher_is(column: str, default: str = "better") -> str:
    """Direction of a score column, from its instrument (``default`` for other measures)."""
    name = of_score(column)
    return get(name).higher_is if name else default


#: Scales a study defines in its own codebook (``scales`` rows with ``instrument: custom``).
_CUSTOM: dict[str, Instrument] = {}


def define(name: str, *, title_zh: str, title_en: str, n_items: int, item_min: float, item_max: float,
           reverse=(), method: str = "sum", higher_is: str = "better", max_missing: int | None = None,
           source: str = "codebook") -> Instrument:
    """Register a study's own scale (defined in its codebook) so it is scored and analysed like a
    built-in instrument.

    Parameters
    ----------
    name : str
        The scale name; its items are ``{name}_1 … {name}_k`` unless the codebook lists them.
    title_zh, title_en : str
    n_items : int
    item_min, item_max : float
        Every item's response range (reverse keying is ``min + max − x``).
    reverse : sequence of int
        1-based reverse-keyed items.
    method : {"sum", "mean"}
    higher_is : {"better", "worse"}
    max_missing : int, optional
        Most items that may be missing for a prorated score; default ⌊k/5⌋ (up to 20 % of the
        items, the package convention for scales without an author rule).
    source : str
        Where the definition came from (for error messages).

    Returns
    -------
    Instrument
        No published reliability, reference or cut-offs: reliable change uses the sample's α
        (said in the report) and nothing is banded.

    Examples
    --------
    >>> inst = define("belong4", title_zh="归属感", title_en="Belonging", n_items=4, item_min=1, item_max=5,
    ...               reverse=(2,))
    >>> get("belong4").score_range, get("belong4").reverse
    ((4.0, 20.0), (2,))
    """
    if name in available():
        raise LaoyouError(f"自定义量表不能与内置量表同名：{name}", f"A custom scale cannot reuse the built-in name {name}.",
                          file=source, column="scale", hint_zh="换一个量表名。", hint_en="choose another scale name.")
    n = int(n_items)
    low, high = float(item_min), float(item_max)
    scale = (low * n, high * n) if method == "sum" else (low, high)
    doc = {"name": name, "title": {"zh": title_zh, "en": title_en}, "n_items": n,
           "response": {"min": low, "max": high}, "reverse": list(reverse),
           "scoring": {"method": method, "range": list(scale), "higher_is": higher_is,
                       "max_missing": n // 5 if max_missing is None else int(max_missing),
                       "missing_rule": "prorated when at most max_missing items are missing",
                       "missing_rule_source": "package convention (custom scale)"},
           "licence": {"holder": "defined by the study", "terms": "the study's own scale"},
           "citation": f"Defined in the study's codebook ({Path(str(source)).name})."}
    instrument = _from_document(doc, str(source))
    _CUSTOM[name] = instrument
    return instrument


def get(name: str) -> Instrument:
    """The built-in instrument ``name`` (e.g. ``"pss10"``, ``"zbi12_bedard"``, ``"mspss"``), or a
    scale the study defined in its codebook (:func:`define`).

    Raises
    ------
    LaoyouError
        For an unknown name, listing the available ones.
    """
    if name in _CUSTOM:
        return _CUSTOM[name]
    return _builtin(name)


@lru_cache(maxsize=None)
def _builtin(name: str) -> Instrument:
    """The built-in instrument ``name``, read once from its YAML file."""
    import yaml

    if name not in available():
        raise LaoyouError(f"没有名为 {name!r} 的量表。", f"No instrument named {name!r}.",
                          hint_zh=f"可用 available: {', '.join(available())}",
                          hint_en="see laoyou_eval.instruments.available()")
    resource = resources.files(DATA_PACKAGE) / f"{name}.yaml"
    return _from_document(yaml.safe_load(resource.read_text(encoding="utf-8")), f"instruments/data/{name}.yaml")
