"""laoyou_eval: evaluation toolkit for the 社区老友 (Community Buddy) support programme.

Sub-modules are imported lazily, so ``import laoyou_eval`` stays fast (no pandas,
matplotlib or networkx until a sub-module is first used)::

    import laoyou_eval as le
    le.config.RAW_DIR           # imports laoyou_eval.config on first access
    from laoyou_eval import demo
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_SUBMODULES = frozenset(
    {"checks", "cli", "coding", "config", "demo", "errors", "formatting", "i18n", "instruments", "intake", "io",
     "networks", "outcomes",
     "privacy", "process", "storage", "quality", "reliability", "report", "scoring", "study"}
)

__all__ = sorted(_SUBMODULES | {"__version__"})


def __getattr__(name: str):
    if name in _SUBMODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'laoyou_eval' has no attribute {name!r}")


def __dir__():
    return __all__
