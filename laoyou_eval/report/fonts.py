"""Chinese (CJK) fonts for matplotlib and seaborn.

matplotlib's default DejaVu Sans has no Chinese glyphs: Chinese labels are drawn as empty
boxes ("tofu") and every missing glyph emits a ``UserWarning`` that lands in notebook
outputs.  :func:`use_chinese_font` finds an installed CJK font and makes it the default; when
there is none it switches figure text to English (see :mod:`laoyou_eval.i18n`) and
warns once, with the command that installs a font.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

from laoyou_eval import i18n
from laoyou_eval.errors import FontWarning

#: Preferred families, best first: Linux packages, Adobe/Google names, then the fonts that
#: ship with students' Windows and macOS laptops.
CJK_FAMILIES: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Noto Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "SimHei",
    "DengXian",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "Songti SC",
)

#: File-name fragments of the same fonts, used to register font files that matplotlib's
#: cached font list does not know yet (fonts installed after the cache was built).
_CJK_FILE_PATTERNS: tuple[str, ...] = (
    "NotoSansCJK*",
    "NotoSansSC*",
    "SourceHanSans*",
    "wqy-*",
    "msyh*",
    "simhei*",
    "Deng*",
    "PingFang*",
    "Hiragino Sans GB*",
    "STHeiti*",
)

_FONT_DIRS: tuple[str, ...] = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.local/share/fonts",
    "~/.fonts",
    "/Library/Fonts",
    "/System/Library/Fonts",
    "~/Library/Fonts",
    "C:/Windows/Fonts",
)

INSTALL_HINT = (
    "安装中文字体 Install a CJK font: Debian/Ubuntu `sudo apt-get install fonts-noto-cjk`; "
    "Windows/macOS already have one (微软雅黑 / 苹方)."
)


@dataclass(frozen=True)
class FontSetup:
    """Result of :func:`use_chinese_font`.

    Attributes
    ----------
    family : str or None
        The CJK family now used by matplotlib, or None when none is installed.
    figure_language : str
        ``"zh"`` when Chinese can be drawn, otherwise ``"en"``.
    """

    family: str | None
    figure_language: str

    @property
    def sans_serif(self) -> list[str]:
        """The ``font.sans-serif`` list to use (CJK family first, DejaVu Sans for Latin fallback)."""
        return ([self.family] if self.family else []) + ["DejaVu Sans"]


_warned_missing = False


def _installed_families() -> set[str]:
    from matplotlib import font_manager

    return {entry.name for entry in font_manager.fontManager.ttflist}


def _register_uncached_fonts(font_dirs) -> None:
    """Add CJK font files that matplotlib's (possibly stale) font cache does not list."""
    from matplotlib import font_manager

    known = {Path(entry.fname).resolve() for entry in font_manager.fontManager.ttflist}
    for folder in font_dirs:
        root = Path(folder).expanduser()
        if not root.is_dir():
            continue
        for pattern in _CJK_FILE_PATTERNS:
            for path in sorted(root.rglob(pattern)):
                if path.suffix.lower() in {".ttf", ".ttc", ".otf"} and path.resolve() not in known:
                    try:
                        font_manager.fontManager.addfont(str(path))
                    except (OSError, RuntimeError, ValueError):
                        continue


def find_cjk_family(candidates=CJK_FAMILIES, font_dirs=_FONT_DIRS) -> str | None:
    """Return the first installed CJK family of ``candidates``, or None.

    Fonts installed after matplotlib built its font cache are found too: when no candidate is
    in the cache, the usual font folders are scanned and the files registered with
    ``fontManager.addfont`` (the cache file itself is left alone).
    """
    installed = _installed_families()
    for family in candidates:
        if family in installed:
            return family
    _register_uncached_fonts(font_dirs)
    installed = _installed_families()
    return next((family for family in candidates if family in installed), None)


def use_chinese_font(candidates=CJK_FAMILIES, font_dirs=_FONT_DIRS) -> FontSetup:
    """Configure matplotlib (and seaborn, if later themed with :func:`theme`) for Chinese text.

    Parameters
    ----------
    candidates : sequence of str
        Font families to try, best first (default :data:`CJK_FAMILIES`).
    font_dirs : sequence of str
        Folders scanned for CJK font files missing from matplotlib's font cache.

    Returns
    -------
    FontSetup
        The family chosen (or None) and the language figures will use.

    Notes
    -----
    Sets ``font.family = "sans-serif"`` and ``font.sans-serif = [family, "DejaVu Sans"]``;
    matplotlib falls back glyph by glyph, so Latin text and the minus sign still come from
    DejaVu Sans when the CJK font lacks them.  Without a CJK font, figure text switches to
    English and a single :class:`~laoyou_eval.errors.FontWarning` is issued per session.
    Calling it again is harmless (idempotent).

    Examples
    --------
    >>> setup = use_chinese_font()            # doctest: +SKIP
    >>> setup.family                          # doctest: +SKIP
    'Noto Sans CJK SC'
    """
    import matplotlib

    global _warned_missing
    family = find_cjk_family(candidates, font_dirs)
    setup = FontSetup(family=family, figure_language="zh" if family else "en")
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = setup.sans_serif
    i18n._set_cjk_available(family is not None)
    if family is None and not _warned_missing:
        _warned_missing = True
        warnings.warn(
            "没有找到中文字体，图中文字改用英文。No CJK font found: figure labels switch to "
            f"English instead of drawing empty boxes. {INSTALL_HINT}",
            FontWarning,
            stacklevel=2,
        )
    return setup


def theme(style: str = "whitegrid", context: str = "notebook", **kwargs) -> FontSetup:
    """Apply a seaborn theme *and* keep the Chinese font.

    A bare ``seaborn.set_theme()`` resets ``font.sans-serif`` to Arial/DejaVu and brings the
    boxes back; this wrapper passes the CJK family to seaborn so both survive together.

    Parameters
    ----------
    style, context : str
        Passed to :func:`seaborn.set_theme`.
    **kwargs
        Other :func:`seaborn.set_theme` arguments (``palette``, ``font_scale``, ``rc``).

    Returns
    -------
    FontSetup
    """
    import seaborn as sns

    setup = use_chinese_font()
    rc = {"font.sans-serif": setup.sans_serif, **kwargs.pop("rc", {})}
    sns.set_theme(style=style, context=context, font="sans-serif", rc=rc, **kwargs)
    return setup
