"""Small deterministic goods images the sandbox serves at ``/images/goods/<goods_id>.png``.

A 96×96 square in a colour drawn from the goods id, with the goods name's first character in
white when a CJK TrueType font is found (the same search as the label printer's), else plain.
Made with Pillow (the sandbox has no Qt); a few hundred bytes to a few kB each, kept in memory.
"""

from __future__ import annotations

import colorsys
import hashlib
import io
import threading
from functools import lru_cache

SIZE = 96


@lru_cache(maxsize=1)
def _font():
    """A CJK-capable Pillow font, or None (then images carry no character)."""
    from PIL import ImageFont

    from pdd_desktop.printing.fonts import candidate_fonts

    for path, index in candidate_fonts():
        try:
            return ImageFont.truetype(path, 56, index=index)
        except OSError:
            continue
    return None


_lock = threading.Lock()


@lru_cache(maxsize=4096)
def goods_png(goods_id: int, name: str) -> bytes:
    """The PNG of one goods (the same bytes for the same id and name)."""
    from PIL import Image, ImageDraw

    digest = hashlib.sha256(str(goods_id).encode()).digest()
    hue = digest[0] / 255
    r, g, b = colorsys.hls_to_rgb(hue, 0.45, 0.55)
    image = Image.new("RGB", (SIZE, SIZE), (round(r * 255), round(g * 255), round(b * 255)))
    char = name.strip()[:1]
    font = _font() if char else None
    if font is not None:
        with _lock:  # FreeType faces are not safe to share between threads
            draw = ImageDraw.Draw(image)
            draw.text((SIZE / 2, SIZE / 2), char, fill=(255, 255, 255), font=font, anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()
