"""The CJK font every document draws with: a TrueType font found on the system, embedded as a subset.

ReportLab embeds only TrueType outlines (``glyf``); fonts with CFF outlines (PingFang, Hiragino,
Noto Sans CJK ``.otf``/``.ttc``) are refused by :class:`TTFont` and skipped here. When nothing
usable is found the documents use ReportLab's built-in CID font ``STSong-Light``, which is *not*
embedded (the viewer or printer substitutes a font); :class:`FontChoice` then carries a warning
for the UI to show.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont

log = logging.getLogger(__name__)

FALLBACK_FONT = "STSong-Light"
FALLBACK_WARNING = (
    "未找到可嵌入的中文 TrueType 字体，改用内置的 STSong-Light（不嵌入 PDF，部分打印机可能显示异常）。"
)


@dataclass(frozen=True)
class FontChoice:
    """A registered font: the ReportLab font ``name``, its file, and whether it is embedded."""

    name: str
    path: Path | None
    embedded: bool
    warning: str | None = None
    subfont_index: int = 0


def _windows_candidates() -> list[tuple[str, int]]:
    fonts = Path(os.environ.get("WINDIR", "C:/Windows")) / "Fonts"
    names = ["msyh.ttc", "msyh.ttf", "simhei.ttf", "simsun.ttc", "simkai.ttf", "Deng.ttf"]
    return [(str(fonts / n), 0) for n in names]


def _mac_candidates() -> list[tuple[str, int]]:
    return [
        ("/Library/Fonts/Arial Unicode.ttf", 0),
        ("/System/Library/Fonts/Supplemental/Arial Unicode.ttf", 0),
        ("/System/Library/Fonts/STHeiti Medium.ttc", 0),
        ("/System/Library/Fonts/STHeiti Light.ttc", 0),
        ("/Library/Fonts/Songti.ttc", 0),
    ]


def _linux_candidates() -> list[tuple[str, int]]:
    roots = ["/usr/share/fonts", "/usr/local/share/fonts", str(Path.home() / ".local/share/fonts")]
    rel = [
        "truetype/wqy/wqy-microhei.ttc",
        "wqy-microhei/wqy-microhei.ttc",
        "truetype/wqy/wqy-zenhei.ttc",
        "wqy-zenhei/wqy-zenhei.ttc",
        "truetype/droid/DroidSansFallbackFull.ttf",
        "google-droid-sans-fonts/DroidSansFallbackFull.ttf",
        "truetype/arphic/uming.ttc",
    ]
    return [(f"{root}/{r}", 0) for root in roots for r in rel]


def candidate_fonts() -> list[tuple[str, int]]:
    """Font files tried in order on this platform, as ``(path, subfont index)``."""
    if sys.platform.startswith("win"):
        return _windows_candidates()
    if sys.platform == "darwin":
        return _mac_candidates()
    return _linux_candidates()


_lock = threading.Lock()
_cache: dict[tuple[str | None, int], FontChoice] = {}


def _register_ttf(path: Path, index: int) -> FontChoice:
    name = f"PDDCJK-{path.stem}-{index}"
    if name not in pdfmetrics.getRegisteredFontNames():
        font = TTFont(name, str(path), subfontIndex=index)
        pdfmetrics.registerFont(font)
    return FontChoice(name=name, path=path, embedded=True, subfont_index=index)


def _fallback(warning: str) -> FontChoice:
    if FALLBACK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
    log.warning("printing font fallback: %s", warning)
    return FontChoice(name=FALLBACK_FONT, path=None, embedded=False, warning=warning)


def find_font(path: str | Path | None = None, *, subfont_index: int = 0) -> FontChoice:
    """Register and return the document font; cached per process (thread-safe).

    Args:
        path: a font file the user picked; tried first. When it cannot be used, the system
            fonts are tried and the result carries a warning naming the file.
        subfont_index: face index inside a ``.ttc`` collection for ``path``.

    Returns:
        The first usable TrueType font, or the built-in ``STSong-Light`` with a warning.
    """
    key = (str(path) if path else None, subfont_index)
    with _lock:
        cached = _cache.get(key)
        if cached is not None:
            return cached
        choice = _find(path, subfont_index)
        _cache[key] = choice
        return choice


def _find(path: str | Path | None, subfont_index: int) -> FontChoice:
    problem: str | None = None
    if path:
        p = Path(path)
        try:
            return _register_ttf(p, subfont_index)
        except (OSError, TTFError) as exc:
            problem = f"所选字体无法使用（{p.name}：{exc}），"
            log.warning("chosen printing font %s unusable: %s", p, exc)
    for cand, index in candidate_fonts():
        p = Path(cand)
        if not p.is_file():
            continue
        try:
            choice = _register_ttf(p, index)
        except (OSError, TTFError) as exc:  # CFF outlines, broken file
            log.info("printing font %s skipped: %s", p, exc)
            continue
        if problem:
            return FontChoice(choice.name, choice.path, True, problem + f"改用 {p.name}。", index)
        return choice
    return _fallback((problem or "") + FALLBACK_WARNING)


def default_font() -> FontChoice:
    """The process-wide document font (the first usable system font)."""
    return find_font()
