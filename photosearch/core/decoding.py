"""Turning a user's file into an upright RGB picture, or a clear reason why not.

Why it is done this way:
- The file is read once: its bytes give the content hash and the picture.
- JPEGs decode at reduced size (``draft``): the model wants ~224 px, and decoding a 12-MP
  photo at 1/4 or 1/8 scale is several times faster.
- The EXIF orientation is applied, so a portrait photo is embedded (and shown) upright.
- Headers are checked before pixels are decoded: a 30000×30000 PNG is refused, not loaded.
- Memory is bounded by bytes, not pixels alone: the header gives the decoded size (after
  the JPEG draft), the mode its bytes per pixel, and a progressive JPEG's full-size
  coefficient buffer; that cost is held from a budget shared by all decoders
  (``memory_budget``), and a photo over the whole budget is refused. Formats that cannot
  decode at reduced size (PNG, WebP, TIFF…) are reduced right after decoding, before any
  conversion: a 16-bit 15000×15000 PNG costs its 450 MB, not 5.6 GB of float arrays.
- Every failure becomes ``UnreadableImage(path, reason)`` with a short, readable reason.
"""

from __future__ import annotations

import errno
import io
import os
import re
import struct
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from PIL import Image, ImageOps, UnidentifiedImageError

from photosearch.core.errors import FileUnavailable, UnreadableImage
from photosearch.core.files import content_hash
from photosearch.core.memory_budget import DECODERS, MemoryBudget

try:  # HEIC/HEIF from phones
    import pillow_heif

    pillow_heif.register_heif_opener()
    HEIF_SUPPORTED = True
except ImportError:  # pragma: no cover - pillow-heif is a dependency; be graceful anyway
    HEIF_SUPPORTED = False

MAX_PIXELS = 250_000_000          # bigger than any camera; smaller than a decompression bomb
MAX_FILE_BYTES = 1 << 30          # 1 GiB: not a photo we can embed
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

_EXIF_IFD = 0x8769
_DATETIME_ORIGINAL = 0x9003
_DATETIME = 0x0132
_OFFSET_TIME, _OFFSET_ORIGINAL = 0x9010, 0x9011     # "+03:00", beside the dates (EXIF 2.31)
_OFFSET = re.compile(r"[+-]\d\d:\d\d")
_ORIENTATION = 0x0112
# Bytes per pixel as Pillow stores each mode (RGB takes 4); unknown modes count 4.
_PIXEL_BYTES = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16L": 2, "I;16B": 2, "I;16N": 2}


@dataclass
class Decoded:
    """A decoded photo: a reduced upright RGB image plus what the catalog records."""

    image: Image.Image
    width: int              # of the original, upright
    height: int
    content_hash: str
    taken_at: str | None    # ISO 8601, from EXIF, local time as the camera wrote it
    format: str | None


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """Read a whole file, with readable reasons for the ways that fails."""
    try:
        size = os.stat(path).st_size
        if size == 0:
            raise UnreadableImage(str(path), "empty file (0 bytes)")
        if size > MAX_FILE_BYTES:
            raise UnreadableImage(str(path), f"file too large ({size // (1 << 20)} MiB)")
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        raise read_error(str(path), e) from None


# Read errors that are the file's own; any other (vanished, permission, I/O, a network
# share or drive gone) is the environment's, and the photo is tried again later.
_OWN_FAULT = {errno.EISDIR: "is a folder, not a file",
              errno.ELOOP: "a symbolic link that leads in a circle",
              errno.ENAMETOOLONG: "file name too long"}


def read_error(path: str, error: OSError) -> UnreadableImage:
    """The error to raise for ``error`` while reading ``path``, with a reason that blames
    the right thing."""
    if error.errno in _OWN_FAULT:
        return UnreadableImage(path, _OWN_FAULT[error.errno])
    if isinstance(error, FileNotFoundError):
        return FileUnavailable(path, "file vanished (moved, renamed, or its drive unmounted?)")
    if isinstance(error, PermissionError):
        return FileUnavailable(path, "permission denied")
    return FileUnavailable(path, f"cannot read the file now ({error.strerror or error})")


def decode(path: str | os.PathLike[str], min_side: int = 224,
           budget: MemoryBudget | None = None) -> Decoded:
    """Read and decode ``path``; the returned image's shorter side is >= ``min_side``
    where the original allows. Raises ``UnreadableImage``."""
    with _held(str(path), min_side, budget):
        data = read_bytes(path)
        image, width, height, taken_at, fmt = decode_bytes(data, str(path), min_side)
    return Decoded(image, width, height, content_hash(data), taken_at, fmt)


def open_upright(path: str | os.PathLike[str], min_side: int,
                 budget: MemoryBudget | None = None) -> Image.Image:
    """Decode for display (thumbnails, previews): same rules as ``decode``."""
    with _held(str(path), min_side, budget):
        return decode_bytes(read_bytes(path), str(path), min_side)[0]


def decode_cost(path: str, min_side: int) -> int:
    """Bytes that decoding ``path`` holds at its peak, from its header: the file, the
    decoded pixels, the reduced copy and its conversions to RGB and, for a progressive
    JPEG, libjpeg's full-size coefficient buffer. 0 where the header says nothing: ``decode_bytes``
    then gives the reason."""
    try:
        size = os.stat(path).st_size
        with open(path, "rb") as f, warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            im = Image.open(f)
            if im.width * im.height > MAX_PIXELS:
                return 0
            extra = 0
            if im.format == "JPEG":
                if im.info.get("progressive"):
                    extra = _coefficient_bytes(im)
                im.draft("RGB", (min_side, min_side))
            full = im.width * im.height * _PIXEL_BYTES.get(im.mode, 4)
            factor = max(1, min(im.size) // max(min_side, 1))
            small = (im.width // factor) * (im.height // factor) * 4 * 3  # reduced, converted
            return size + full + small + extra
    except Exception:  # not an image, truncated…: decode_bytes says which
        return 0


def _coefficient_bytes(im: Image.Image) -> int:
    """A progressive JPEG keeps every DCT coefficient (2 bytes) of the full image, scaled
    decoding or not."""
    layers = getattr(im, "layer", None) or [(None, 1, 1, None)] * len(im.getbands())
    max_h = max(h for _, h, _, _ in layers) or 1
    max_v = max(v for _, _, v, _ in layers) or 1
    return sum(-(-im.width * h // (max_h * 8)) * 8 * -(-im.height * v // (max_v * 8)) * 8 * 2
               for _, h, v, _ in layers)


@contextmanager
def _held(path: str, min_side: int, budget: MemoryBudget | None) -> Iterator[None]:
    budget = budget or DECODERS
    need = decode_cost(path, min_side)
    if need > budget.limit:
        raise UnreadableImage(path, f"image too large to decode in the memory allowed "
                                    f"(needs ~{need >> 20} MiB, at most {budget.limit >> 20})")
    with budget.hold(need):
        yield


def decode_bytes(
    data: bytes, path: str, min_side: int
) -> tuple[Image.Image, int, int, str | None, str | None]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data))
            fmt = im.format
            w, h = im.size
            if w * h > MAX_PIXELS:
                raise UnreadableImage(path, f"image too large ({w}×{h} pixels)")
            exif = im.getexif()
            orientation = exif.get(_ORIENTATION, 1)
            taken_at = _taken_at(exif)
            if fmt == "JPEG":
                im.draft("RGB", (min_side, min_side))
            im.load()
            im = _reduce(im, min_side)
            if orientation in (2, 3, 4, 5, 6, 7, 8):
                im = ImageOps.exif_transpose(im)
            if orientation in (5, 6, 7, 8):
                w, h = h, w
            return _to_rgb(im), w, h, taken_at, fmt
    except UnreadableImage:
        raise
    except UnidentifiedImageError:
        raise UnreadableImage(path, "not an image, or a format photosearch cannot read") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UnreadableImage(path, "image too large (possible decompression bomb)") from None
    except MemoryError:
        raise UnreadableImage(path, "image too large to decode") from None
    except OSError as e:
        text = str(e)
        if "truncated" in text:
            reason = "file is truncated (incomplete copy or download?)"
        else:
            reason = f"corrupt image data ({text})"
        raise UnreadableImage(path, reason) from None
    except (SyntaxError, ValueError, TypeError, IndexError, KeyError, EOFError,
            struct.error, RuntimeError) as e:
        raise UnreadableImage(path, f"corrupt image data ({type(e).__name__}: {e})") from None


def _reduce(im: Image.Image, min_side: int) -> Image.Image:
    """Integer downscale of large images right after decoding, before any conversion,
    keeping the shorter side >= min_side (``reduce`` where the mode has it, a box resize
    for 16-bit and palette images)."""
    factor = min(im.size) // max(min_side, 1)
    if factor < 2:
        return im
    if im.mode in ("P", "1", "I;16", "I;16B", "I;16L", "I;16N"):
        size = (max(1, im.width // factor), max(1, im.height // factor))
        return im.resize(size, Image.Resampling.BOX)
    return im.reduce(factor)


def _to_rgb(im: Image.Image) -> Image.Image:
    """Every mode a photo comes in, as 8-bit RGB; transparency is laid on white."""
    if im.mode == "RGB":
        return im
    if im.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        import numpy as np

        arr = np.asarray(im, dtype=np.float64)
        hi = arr.max() or 1.0
        im = Image.fromarray((arr * (255.0 / hi)).clip(0, 255).astype("uint8"), "L")
    if im.mode == "P":
        im = im.convert("RGBA" if "transparency" in im.info else "RGB")
    if im.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = im.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return im.convert("RGB")


def _taken_at(exif: Image.Exif) -> str | None:
    """EXIF's DateTimeOriginal, else DateTime, as ISO 8601 local time, with the camera's
    UTC offset where it wrote one (``2023-07-14T10:05:00+03:00``)."""
    try:
        ifd = exif.get_ifd(_EXIF_IFD)
        raw, offset = ifd.get(_DATETIME_ORIGINAL), ifd.get(_OFFSET_ORIGINAL)
        if not raw:
            raw, offset = exif.get(_DATETIME), ifd.get(_OFFSET_TIME)
    except Exception:  # malformed EXIF must not cost the photo
        return None
    if not isinstance(raw, str):
        return None
    try:
        when = datetime.strptime(raw.strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S").isoformat()
    except ValueError:
        return None
    if isinstance(offset, str) and _OFFSET.fullmatch(offset.strip("\x00 ")):
        when += offset.strip("\x00 ")
    return when
