"""A face cut out of its photo, for the People view's cards."""

from __future__ import annotations

import math

from PIL import Image

from photosearch.core.decoding import open_upright
from photosearch.core.faces.store import Box


def face_crop(path: str, box: Box, photo_size: tuple[int, int] | None,
              size: int = 128, margin: float = 0.25) -> Image.Image:
    """The face at ``box`` (in the upright photo's pixels, ``photo_size`` its width and
    height) with ``margin`` of its side around it, ``size`` px square. The photo is
    decoded only as large as the crop needs. Raises ``UnreadableImage``."""
    left, top, right, bottom = box
    side = max(1, right - left, bottom - top)
    short = min(photo_size) if photo_size and min(photo_size) > 0 else None
    need = size if short is None else min(short, math.ceil(size * short / side))
    image = open_upright(path, min_side=max(16, need))
    scale = image.width / photo_size[0] if photo_size and photo_size[0] else 1.0
    cx, cy = (left + right) / 2 * scale, (top + bottom) / 2 * scale
    half = side * scale * (0.5 + margin)
    crop = image.crop((round(cx - half), round(cy - half), round(cx + half),
                       round(cy + half)))
    return crop.resize((size, size), Image.Resampling.LANCZOS)
