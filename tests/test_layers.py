"""The package's import graph reads one way (docs: DESIGN.md, "Layers").

Every module's imports — at the top and inside functions, since a lazy import is still a
dependency — are parsed with :mod:`ast` and checked against the layer order

    base < readers < coding < analysis < study < report < cli

with ``demo`` above them all: it may import anything and only ``cli`` may import it.  A
module's sentences and figures (``*/sentences.py``, ``*/figures.py``, ``networks/notes.py``)
are presentation, i.e. the report layer, wherever they live.  A package's ``__init__`` is a
façade: it may re-export its own submodules.  Known arrows that still run upward are listed in
:data:`KNOWN_UPWARD` with the reason; a new one fails the test, and so does a listed one that
has gone (so the list only shrinks).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "laoyou_eval"
ORDER = ("base", "readers", "coding", "analysis", "study", "report", "cli", "demo")

#: Module-name prefix -> layer; the longest matching prefix wins.
LAYERS = {
    "laoyou_eval": "base",  # the top-level façade is checked as a façade (see _is_facade)
    "laoyou_eval.errors": "base", "laoyou_eval.config": "base", "laoyou_eval.i18n": "base",
    "laoyou_eval.formatting": "base", "laoyou_eval.checks": "base", "laoyou_eval.storage": "base",
    "laoyou_eval.progress": "base", "laoyou_eval.quality": "base", "laoyou_eval._dask": "base",
    "laoyou_eval.io": "readers", "laoyou_eval.networks.io": "readers", "laoyou_eval.networks.model": "readers", "laoyou_eval.process.records": "readers",
    "laoyou_eval.coding": "coding", "laoyou_eval.instruments": "coding", "laoyou_eval.privacy": "coding",
    "laoyou_eval.scoring": "analysis", "laoyou_eval.reliability": "analysis", "laoyou_eval.networks": "analysis",
    "laoyou_eval.outcomes": "analysis", "laoyou_eval.process": "analysis",
    "laoyou_eval.study": "study", "laoyou_eval.intake": "study", "laoyou_eval.dataset": "study",
    "laoyou_eval.scaffold": "study",
    "laoyou_eval.report": "report", "laoyou_eval.networks.notes": "report", "laoyou_eval.reliability.notes": "report",
    "laoyou_eval.cli": "cli", "laoyou_eval.demo": "demo",
}
PRESENTATION = ("figures", "sentences")

#: (importer, imported) -> why the arrow still runs upward.  Remove an entry when it is fixed.
KNOWN_UPWARD = {
    ("laoyou_eval.networks.io", "laoyou_eval.study"):
        "read_name_generator reads waves and arms from the study folder; moves to the study loader",
    ("laoyou_eval.process.summaries", "laoyou_eval.study"):
        "enrolled_counts reads the study's arms; moves to the study loader",
}
#: Modules longer than the limit without a reason at their top, listed with the plan for them.
KNOWN_LONG: dict[str, str] = {}
MAX_LINES = 600
#: A long module says why at its top with a line containing this.
LONG_REASON = "long module:"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def layer(module: str) -> str:
    if module.rsplit(".", 1)[-1] in PRESENTATION:
        return "report"
    best = max((prefix for prefix in LAYERS if module == prefix or module.startswith(prefix + ".")), key=len)
    return LAYERS[best]


def _is_facade(module: str) -> bool:
    return MODULES[module].name == "__init__.py"


def imports(module: str) -> set[str]:
    """The package modules ``module`` imports (exact submodules where they exist)."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            names = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]
        else:
            continue
        for name in names:
            while name and name not in MODULES:  # `import a.b.c` of a non-module attribute
                name = name.rpartition(".")[0]
            if name.startswith("laoyou_eval") and name != module:
                found.add(name)
    return found


GRAPH = {m: imports(m) for m in MODULES}


def _upward() -> set[tuple[str, str]]:
    arrows = set()
    for importer, targets in GRAPH.items():
        for target in targets:
            if _is_facade(importer) and target.startswith(importer + "."):
                continue  # a package re-exports its own parts
            if target == "laoyou_eval.demo" or target.startswith("laoyou_eval.demo."):
                if layer(importer) not in ("demo", "cli"):
                    arrows.add((importer, target))
                continue
            if ORDER.index(layer(target)) > ORDER.index(layer(importer)):
                arrows.add((importer, target))
    return arrows


def test_no_import_runs_upward():
    arrows = _upward()
    new = sorted(a for a in arrows if a not in KNOWN_UPWARD)
    assert not new, "imports that run upward (importer -> imported, layers in DESIGN.md):\n" + "\n".join(
        f"  {a} ({layer(a)}) -> {b} ({layer(b)})" for a, b in new)
    gone = sorted(set(KNOWN_UPWARD) - arrows)
    assert not gone, f"fixed; remove from KNOWN_UPWARD: {gone}"


def _cycles() -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), façade edges left
    out: a package ``__init__`` importing its own parts is how re-export works."""
    edges = {m: {t for t in ts if not (_is_facade(t) and m.startswith(t + "."))
                 and not (_is_facade(m) and t.startswith(m + "."))} for m, ts in GRAPH.items()}
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for module in sorted(edges):
        if module not in index:
            visit(module)
    return out


def test_no_import_circle():
    assert not _cycles(), f"modules importing each other in a circle: {_cycles()}"


def test_long_modules_say_why():
    long = {}
    for module, path in MODULES.items():
        lines = path.read_text(encoding="utf-8").splitlines()
        if len(lines) > MAX_LINES and not any(LONG_REASON in line.lower() for line in lines[:40]):
            long[module] = len(lines)
    unexplained = {m: n for m, n in long.items() if m not in KNOWN_LONG}
    assert not unexplained, (f"modules over {MAX_LINES} lines without a '{LONG_REASON} <reason>' line at the top: "
                             f"{unexplained}")
    assert set(KNOWN_LONG) <= set(long) | (set(KNOWN_LONG) - set(MODULES)), "remove fixed entries from KNOWN_LONG"


@pytest.mark.parametrize("module, expected", [
    ("laoyou_eval.i18n", "base"), ("laoyou_eval.networks.io", "readers"), ("laoyou_eval.networks.measures", "analysis"),
    ("laoyou_eval.outcomes.sentences", "report"), ("laoyou_eval.process.figures", "report"),
    ("laoyou_eval.networks.notes", "report"), ("laoyou_eval.demo.truth", "demo")])
def test_layer_table(module, expected):
    assert layer(module) == expected


def test_the_checker_sees_an_upward_and_a_circular_import(tmp_path, monkeypatch):
    """The checks would fail on a planted violation (they are not vacuous)."""
    monkeypatch.setitem(GRAPH, "laoyou_eval.i18n", GRAPH["laoyou_eval.i18n"] | {"laoyou_eval.report"})
    assert ("laoyou_eval.i18n", "laoyou_eval.report") in _upward()
    monkeypatch.setitem(GRAPH, "laoyou_eval.checks", GRAPH["laoyou_eval.checks"] | {"laoyou_eval.formatting"})
    monkeypatch.setitem(GRAPH, "laoyou_eval.formatting", GRAPH["laoyou_eval.formatting"] | {"laoyou_eval.checks"})
    assert ["laoyou_eval.checks", "laoyou_eval.formatting"] in _cycles()


#: What an analysis may take from the language layer: joining note codes, never words.
NEUTRAL_NAMES = {"join_notes", "NOTE_SEPARATOR"}
#: Analysis modules that still pick words by language, with the reason.
KNOWN_WORDY = {"laoyou_eval.reliability": "split on another branch; its notes become codes there"}


def _language_names(module: str) -> set[str]:
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in ("laoyou_eval.i18n", "laoyou_eval.report.i18n"):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module in ("laoyou_eval", "laoyou_eval.report"):
            names |= {a.name for a in node.names if a.name == "i18n"}
    return names


def test_analyses_are_language_neutral():
    """Below the report layer nothing chooses words by language (notes and bands are codes), so
    the language switch cannot change a result."""
    wordy = {m: sorted(_language_names(m) - NEUTRAL_NAMES) for m in MODULES
             if ORDER.index(layer(m)) < ORDER.index("study") and layer(m) != "base" and not _is_facade(m)}
    wordy = {m: n for m, n in wordy.items() if n and m not in KNOWN_WORDY}
    assert not wordy, f"analysis modules that pick words by language (return codes instead): {wordy}"
