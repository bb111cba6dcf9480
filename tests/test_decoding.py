"""Decoding: every photo comes out upright 8-bit RGB, every bad file gets a clear reason."""

from __future__ import annotations

import struct
import zlib

import numpy as np
import pytest
from conftest import shared_dataset
from PIL import Image

from photosearch.core.decoding import decode
from photosearch.core.errors import UnreadableImage
from photosearch.core.files import is_supported
from photosearch.core.phash import hamming, phash


def _png_header_only(path, width: int, height: int) -> None:
    """A valid PNG signature and IHDR claiming a huge size, with a token of pixel data."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
                     + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))


@pytest.fixture
def photo(tmp_path):
    rng = np.random.default_rng(0)
    arr = (rng.random((300, 400, 3)) * 255).astype("uint8")
    path = tmp_path / "photo.jpg"
    Image.fromarray(arr).save(path, quality=90)
    return path


def test_bad_files_are_reported_with_reasons(tmp_path, photo):
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    text = tmp_path / "notes.jpg"
    text.write_text("this is not a picture\n")
    truncated = tmp_path / "truncated.jpg"
    truncated.write_bytes(photo.read_bytes()[: photo.stat().st_size // 3])
    huge = tmp_path / "huge.png"
    _png_header_only(huge, 30000, 30000)
    expected = {
        empty: "empty file",
        text: "not an image",
        truncated: "truncated",
        huge: "too large",
    }
    for path, reason in expected.items():
        with pytest.raises(UnreadableImage) as err:
            decode(path)
        assert reason in err.value.reason, (path.name, err.value.reason)
        assert err.value.path == str(path)
    with pytest.raises(UnreadableImage, match="vanished"):
        decode(tmp_path / "gone.jpg")


def test_jpeg_is_decoded_reduced_but_reports_full_size(tmp_path):
    big = tmp_path / "big.jpg"
    Image.new("RGB", (4000, 3000), (200, 30, 30)).save(big, quality=80)
    d = decode(big, min_side=224)
    assert (d.width, d.height) == (4000, 3000)
    assert min(d.image.size) >= 224
    assert max(d.image.size) <= 1000, "draft mode should decode at reduced scale"
    assert d.image.mode == "RGB"
    assert len(d.content_hash) == 32


@pytest.mark.parametrize("mode", ["CMYK", "P", "PA", "LA", "RGBA", "I;16", "L", "1", "I", "F"])
def test_all_modes_become_rgb(tmp_path, mode):
    base = Image.linear_gradient("L").resize((256, 256))
    if mode == "I;16":
        im = Image.fromarray(np.asarray(base, np.uint16) * 256)
        assert im.mode.startswith("I;16")
    elif mode == "P":
        im = base.convert("RGB").quantize(16)
    elif mode == "PA":
        im = base.convert("RGB").quantize(16)
        im.info["transparency"] = 0
    else:
        im = base.convert(mode)
    fmt = "tiff" if mode in ("CMYK", "I", "F", "I;16") else "png"
    path = tmp_path / f"img.{fmt}"
    im.save(path)
    out = decode(path).image
    assert out.mode == "RGB"
    assert out.size == (256, 256)


def test_transparency_is_laid_on_white(tmp_path):
    path = tmp_path / "clear.png"
    Image.new("RGBA", (64, 64), (0, 0, 0, 0)).save(path)
    assert decode(path).image.getpixel((10, 10)) == (255, 255, 255)


@pytest.mark.parametrize("fmt", ["gif", "bmp", "webp", "tiff", "png"])
def test_other_formats(tmp_path, fmt):
    path = tmp_path / f"x.{fmt}"
    frames = [Image.new("RGB", (80, 60), c) for c in ((0, 0, 255), (255, 0, 0))]
    if fmt == "gif":
        frames[0].save(path, save_all=True, append_images=frames[1:])
    else:
        frames[0].save(path)
    out = decode(path).image
    r, g, b = out.getpixel((40, 30))
    assert b > 200 and r < 50, "GIFs give their first frame"
    assert is_supported(path)


def test_exif_orientations_come_out_upright():
    folder = shared_dataset("exif-samples") / "jpg" / "orientation"
    for kind in ("landscape", "portrait"):
        reference = decode(folder / f"{kind}_1.jpg")
        ref = np.asarray(reference.image.convert("L"), np.float32).ravel()
        for n in range(2, 9):
            d = decode(folder / f"{kind}_{n}.jpg")
            assert (d.width, d.height) == (reference.width, reference.height), (kind, n)
            arr = np.asarray(d.image.convert("L"), np.float32)
            assert arr.size == ref.size
            # The samples differ in tone, so compare structure: mirrored or flipped
            # versions correlate at ~0.5 or less, upright ones at ~0.97.
            assert np.corrcoef(arr.ravel(), ref)[0, 1] > 0.9, f"{kind}_{n} is not upright"
            assert np.corrcoef(arr[:, ::-1].ravel(), ref)[0, 1] < 0.8


def test_heic_and_exif_date():
    folder = shared_dataset("exif-samples")
    d = decode(folder / "heic" / "mobile" / "iphone_13_pro_max.HEIC")
    assert (d.width, d.height) == (3024, 4032)
    # the camera wrote its UTC offset (OffsetTimeOriginal) too: the date keeps it
    assert d.taken_at == "2022-02-16T12:55:41+01:00"
    assert d.image.mode == "RGB"


def test_every_exif_sample_decodes_or_gives_a_reason():
    folder = shared_dataset("exif-samples")
    seen = 0
    for path in sorted(folder.rglob("*")):
        if path.is_file() and is_supported(path):
            seen += 1
            try:
                decode(path)
            except UnreadableImage as e:
                assert e.reason
    assert seen >= 90


def test_phash_survives_resize_and_recompression(tmp_path, photo):
    original = decode(photo).image
    small = original.resize((200, 150))
    buf = tmp_path / "small.jpg"
    small.save(buf, quality=50)
    other = Image.fromarray((np.random.default_rng(5).random((300, 400, 3)) * 255)
                            .astype("uint8"))
    a, b, c = phash(original), phash(decode(buf).image), phash(other)
    assert hamming(a, b) <= 6
    assert hamming(a, c) > 16
