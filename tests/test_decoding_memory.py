"""Decoding memory is bounded by bytes: a 16-bit PNG is reduced before any float
conversion, and what would not fit the budget is refused from its header. Peaks are
measured in a child process (ru_maxrss), so the test's own memory does not count."""

from __future__ import annotations

import json
import subprocess
import sys
import threading

import numpy as np
import pytest
from conftest import ROOT
from PIL import Image

from photosearch.core.decoding import decode, decode_cost
from photosearch.core.errors import UnreadableImage
from photosearch.core.memory_budget import MemoryBudget

SIDE = 4000     # 16 M pixels: 32 MB as 16-bit; 128 MB per float64 copy before the fix

MEASURE = """
import json, resource, sys
from photosearch.core.decoding import decode
from photosearch.core.memory_budget import MemoryBudget
def peak(): return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
before = peak()
try:
    d = decode(sys.argv[1], min_side=224, budget=MemoryBudget(int(sys.argv[2])))
    out = {"size": list(d.image.size), "mode": d.image.mode}
except Exception as e:
    out = {"error": str(e)}
out["growth"] = peak() - before
print(json.dumps(out))
"""


def _decode_in_child(path, budget: int) -> dict:
    done = subprocess.run([sys.executable, "-c", MEASURE, str(path), str(budget)], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def png16(tmp_path_factory):
    """A 16-bit greyscale PNG, small on disk (mostly one value), large decoded."""
    arr = np.full((SIDE, SIDE), 40000, np.uint16)
    arr[:SIDE // 2, :SIDE // 2] = 1000
    path = tmp_path_factory.mktemp("bomb") / "deep.png"
    Image.fromarray(arr).save(path, compress_level=1)
    assert path.stat().st_size < 2 << 20
    return path


def test_16bit_png_peak_is_its_pixels_not_float_copies(png16):
    raw = SIDE * SIDE * 2
    out = _decode_in_child(png16, 512 << 20)
    assert out.get("mode") == "RGB" and min(out["size"]) >= 224
    # Pillow's 16-bit buffer plus a reduced copy; float64 copies would be 4x raw each.
    assert out["growth"] < 2.5 * raw, out


def test_image_over_the_budget_is_refused_before_decoding(png16):
    out = _decode_in_child(png16, 8 << 20)
    assert "memory allowed" in out["error"]
    assert out["growth"] < SIDE * SIDE, out      # nothing near the 32 MB pixels was made


def test_cost_counts_bytes_per_pixel_and_progressive_jpeg_buffers(tmp_path, png16):
    assert decode_cost(str(png16), 224) >= SIDE * SIDE * 2
    grey, rgb = tmp_path / "grey.png", tmp_path / "rgb.png"
    Image.new("L", (SIDE, SIDE)).save(grey)
    Image.new("RGB", (SIDE, SIDE)).save(rgb)
    assert decode_cost(str(rgb), 224) > 3.5 * decode_cost(str(grey), 224)
    base, prog = tmp_path / "base.jpg", tmp_path / "prog.jpg"
    im = Image.new("RGB", (3000, 2000), (90, 120, 200))
    im.save(base, quality=80)
    im.save(prog, quality=80, progressive=True)
    assert decode_cost(str(base), 224) < 3_000_000          # drafted to 1/8 scale
    assert decode_cost(str(prog), 224) > 3000 * 2000 * 2    # full-size coefficients (4:2:0)


def test_decoders_share_one_budget(tmp_path):
    """Two decodes whose costs together exceed the budget run one after the other."""
    path = tmp_path / "a.png"
    Image.new("RGB", (600, 600), "red").save(path)
    cost = decode_cost(str(path), 224)
    budget = MemoryBudget(cost + cost // 2)
    inside = threading.Event()
    release = threading.Event()
    second_done = threading.Event()

    def first():
        with budget.hold(cost):
            inside.set()
            release.wait(60)

    holder = threading.Thread(target=first)
    holder.start()
    assert inside.wait(60)
    decoder = threading.Thread(target=lambda: (decode(path, budget=budget),
                                               second_done.set()))
    decoder.start()
    with budget._cond:                 # the decoder waits while the first holds its share
        assert budget._cond.wait_for(lambda: budget.waiting == 1, timeout=60)
    assert not second_done.is_set()
    release.set()
    assert second_done.wait(60)
    holder.join()
    decoder.join()
    with pytest.raises(UnreadableImage, match="memory allowed"):
        decode(path, budget=MemoryBudget(cost // 2))
