"""Synthetic labelled images for photosearch tests.

Each image shows one coloured shape (6 colours x 6 shapes = 36 classes) on a
muted, greyish background (noise + gradient) that never looks like one of the
six colours.  Used both to train the tiny fixture CLIP model
(``tests/make_fixture_model.py``) and by tests to create photo folders whose
contents are known.

Dependencies: PIL, numpy, stdlib only.
"""

from __future__ import annotations

import math
import random
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

__all__ = ["COLOURS", "SHAPES", "make_image", "caption", "write_dataset"]

# Well separated in hue; all strongly saturated, unlike the backgrounds.
COLOURS: dict[str, tuple[int, int, int]] = {
    "red": (220, 30, 30),
    "green": (30, 170, 50),
    "blue": (30, 70, 225),
    "yellow": (240, 220, 30),
    "purple": (140, 40, 185),
    "orange": (250, 135, 15),
}

SHAPES: tuple[str, ...] = ("circle", "square", "triangle", "star", "cross", "ring")

_SUPERSAMPLE = 4  # shapes are drawn at 4x and downsampled for anti-aliasing


def _background(rng: random.Random, size: int) -> np.ndarray:
    """Muted background: a grey level with a faint tint, a linear gradient and noise."""
    nrng = np.random.default_rng(rng.getrandbits(64))
    base = rng.uniform(70, 190)
    tint = np.array([rng.uniform(-12, 12) for _ in range(3)])
    # linear gradient in a random direction
    angle = rng.uniform(0, 2 * math.pi)
    amp = rng.uniform(0, 45)
    ys, xs = np.mgrid[0:size, 0:size].astype(np.float64) / max(size - 1, 1) - 0.5
    grad = (xs * math.cos(angle) + ys * math.sin(angle)) * amp
    # low-frequency blotches + fine grain (grey, i.e. equal in all channels)
    coarse = nrng.normal(0, rng.uniform(0, 14), (4, 4))
    coarse = np.array(
        Image.fromarray(coarse.astype(np.float32), mode="F").resize((size, size), Image.BICUBIC)
    )
    grain = nrng.normal(0, rng.uniform(2, 10), (size, size))
    lum = base + grad + coarse + grain
    img = lum[..., None] + tint[None, None, :]
    # small independent per-channel noise (keeps it greyish, saturation stays low)
    img = img + nrng.normal(0, 3, (size, size, 3))
    return np.clip(img, 0, 255)


def _polygon(shape: str, cx: float, cy: float, r: float, rot: float) -> list[tuple[float, float]]:
    if shape == "square":
        pts = [
            (math.cos(a), math.sin(a)) for a in (math.pi / 4 + k * math.pi / 2 for k in range(4))
        ]
        scale = r  # corners at distance r
    elif shape == "triangle":
        pts = [
            (math.cos(a), math.sin(a))
            for a in (-math.pi / 2 + k * 2 * math.pi / 3 for k in range(3))
        ]
        scale = r
    elif shape == "star":
        pts = []
        for k in range(10):
            a = -math.pi / 2 + k * math.pi / 5
            rr = 1.0 if k % 2 == 0 else 0.42
            pts.append((rr * math.cos(a), rr * math.sin(a)))
        scale = r
    elif shape == "cross":
        t = 0.34  # half arm thickness
        pts = [
            (-t, -1),
            (t, -1),
            (t, -t),
            (1, -t),
            (1, t),
            (t, t),
            (t, 1),
            (-t, 1),
            (-t, t),
            (-1, t),
            (-1, -t),
            (-t, -t),
        ]
        scale = r
    else:
        raise ValueError(shape)
    c, s = math.cos(rot), math.sin(rot)
    return [(cx + scale * (x * c - y * s), cy + scale * (x * s + y * c)) for x, y in pts]


def make_image(colour: str, shape: str, rng: random.Random, size: int = 96) -> Image.Image:
    """An RGB image of a ``colour`` ``shape`` at a random position/scale/rotation."""
    if colour not in COLOURS:
        raise ValueError(f"unknown colour {colour!r}")
    if shape not in SHAPES:
        raise ValueError(f"unknown shape {shape!r}")
    bg = _background(rng, size)

    big = size * _SUPERSAMPLE
    r = rng.uniform(0.22, 0.38) * big
    margin = r * 1.05
    cx = rng.uniform(margin, big - margin)
    cy = rng.uniform(margin, big - margin)
    rot = rng.uniform(0, 2 * math.pi)

    mask = Image.new("L", (big, big), 0)
    draw = ImageDraw.Draw(mask)
    if shape == "circle":
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=255)
    elif shape == "ring":
        inner = r * rng.uniform(0.5, 0.62)
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=255)
        draw.ellipse([cx - inner, cy - inner, cx + inner, cy + inner], fill=0)
    else:
        if shape == "square":
            r = r * 1.1  # corner radius; make the square's area comparable to the others
        draw.polygon(_polygon(shape, cx, cy, min(r, margin * 1.0), rot), fill=255)
    mask = mask.resize((size, size), Image.LANCZOS)
    alpha = np.asarray(mask, dtype=np.float64)[..., None] / 255.0

    # slight colour jitter / shading so that colours are not single RGB values
    base = np.array(COLOURS[colour], dtype=np.float64)
    bright = rng.uniform(0.85, 1.08)
    fg = base * bright + np.array([rng.uniform(-12, 12) for _ in range(3)])
    shade_amp = rng.uniform(0, 18)
    ys = np.linspace(-0.5, 0.5, size)[:, None, None]
    fg_img = fg[None, None, :] + ys * shade_amp
    fg_img = fg_img + np.random.default_rng(rng.getrandbits(64)).normal(0, 4, (size, size, 3))

    out = bg * (1 - alpha) + np.clip(fg_img, 0, 255) * alpha
    return Image.fromarray(np.clip(out + 0.5, 0, 255).astype(np.uint8), mode="RGB")


_FULL_TEMPLATES = (
    "a {c} {s}",
    "a photo of a {c} {s}",
    "a picture of a {c} {s}",
    "an image of a {c} {s}",
    "a {s} that is {c}",
    "{c} {s}",
)
_COLOUR_TEMPLATES = ("something {c}", "a {c} thing", "a photo of something {c}", "{c}")
_SHAPE_TEMPLATES = ("a {s}", "a photo of a {s}", "a picture of a {s}", "{s}")


def caption(colour: str, shape: str, rng: random.Random) -> str:
    """A training caption: mostly colour+shape, sometimes colour-only or shape-only."""
    p = rng.random()
    if p < 0.70:
        tpl = rng.choice(_FULL_TEMPLATES)
    elif p < 0.85:
        tpl = rng.choice(_COLOUR_TEMPLATES)
    else:
        tpl = rng.choice(_SHAPE_TEMPLATES)
    return tpl.format(c=colour, s=shape)


def write_dataset(
    folder: str | Path, per_class: int, seed: int, size: int = 96, fmt: str = "jpg"
) -> list[tuple[Path, str, str]]:
    """Write ``per_class`` images for each of the 36 classes into ``folder``.

    Files are named ``f"{colour}_{shape}_{i:03d}.{fmt}"``.  Returns a list of
    ``(path, colour, shape)``.  Deterministic for a given ``seed``.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    fmt = fmt.lower().lstrip(".")
    out: list[tuple[Path, str, str]] = []
    for colour in COLOURS:
        for shape in SHAPES:
            for i in range(per_class):
                img = make_image(colour, shape, rng, size=size)
                path = folder / f"{colour}_{shape}_{i:03d}.{fmt}"
                if fmt in ("jpg", "jpeg"):
                    img.save(path, format="JPEG", quality=90)
                else:
                    img.save(path)
                out.append((path, colour, shape))
    return out
