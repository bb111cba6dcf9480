"""Perceptual hash (pHash): 64 bits that survive resizing, re-encoding and small edits.

Computed from the already-decoded image during indexing (no second decode). The DCT is
a 32×32 matrix product, so no SciPy is needed: the classic pHash of Zauner (2010), as
in imagehash. Stored in SQLite as a signed 64-bit integer.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

_N = 32
_k = np.arange(_N)
_DCT = np.cos(np.pi * (2 * _k[None, :] + 1) * _k[:, None] / (2 * _N))


def phash(image: Image.Image) -> int:
    """64-bit perceptual hash of ``image`` as a signed int (SQLite's INTEGER)."""
    gray = image.convert("L").resize((_N, _N), Image.Resampling.LANCZOS)
    pixels = np.asarray(gray, dtype=np.float64)
    low = (_DCT @ pixels @ _DCT.T)[:8, :8]
    bits = (low > np.median(low)).flatten()
    value = 0
    for bit in bits:
        value = (value << 1) | int(bit)
    return value - (1 << 64) if value >= (1 << 63) else value


def hamming(a: int, b: int) -> int:
    """Number of differing bits between two hashes as stored."""
    return ((a ^ b) & ((1 << 64) - 1)).bit_count()
