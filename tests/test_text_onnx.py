"""The text side exported to ONNX (core/text_onnx): the same vectors as torch, a query
process without torch, and torch again whenever the export is missing or unusable."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest
from conftest import FIXTURE_MODEL, ROOT, SIGLIP_MODEL

pytest.importorskip("onnxruntime")
pytest.importorskip("onnx")

from photosearch.core import text_onnx  # noqa: E402
from photosearch.core.model import load_encoder, resolve_source  # noqa: E402

TEXTS = ["a red circle", "blue stripes on white", "кот на подоконнике", "a photo of a star.",
         "Hot_Air balloon!", "café &amp; crème", "word " * 40]


@pytest.fixture
def onnx_on(monkeypatch):
    monkeypatch.delenv("PHOTOSEARCH_NO_ONNX", raising=False)
    monkeypatch.setattr(text_onnx, "_failed", set())   # a failure is per process


@pytest.mark.parametrize("folder", [FIXTURE_MODEL, SIGLIP_MODEL], ids=["clip", "siglip"])
def test_exported_text_side_matches_torch(folder, onnx_on):
    source = resolve_source(f"local-dir:{folder}")
    torch_side = load_encoder(source, device="cpu", precision="fp32", towers=("text",))
    assert torch_side.text is None
    want = torch_side.encode_texts(TEXTS)
    assert text_onnx.ensure_exported(torch_side)
    assert torch_side.text is not None          # the encoder switched to the export
    assert torch_side.towers.loaded() == ()     # and freed its torch text tower
    quick = load_encoder(source, towers=("text",))
    assert quick.towers is None and quick.text is not None     # no torch involved
    assert (quick.dim, quick.image_size, quick.logit_scale, quick.logit_bias) == (
        torch_side.dim, torch_side.image_size, torch_side.logit_scale, torch_side.logit_bias)
    got = quick.encode_texts(TEXTS)
    assert got.shape == want.shape
    assert (got * want).sum(axis=1).min() >= 0.999
    # the exported tokenizer gives open_clip's ids, beyond the probes it was checked on
    assert np.array_equal(quick.text.tokenizer(TEXTS), torch_side.tokenizer(TEXTS).numpy())


def test_image_tower_still_loads_behind_an_exported_text_side(onnx_on, make_photos,
                                                              tmp_path):
    source = resolve_source(f"local-dir:{FIXTURE_MODEL}")
    full = load_encoder(source, device="cpu", precision="fp32")
    assert text_onnx.ensure_exported(full)
    quick = load_encoder(source, precision="fp32", towers=("text",))
    from PIL import Image

    make_photos(per_class=1, seed=3, folder=tmp_path / "p")
    images = [Image.open(p).convert("RGB") for p in sorted((tmp_path / "p").iterdir())[:3]]
    got = quick.encode_pil(images)
    assert (got * full.encode_pil(images)).sum(axis=1).min() >= 0.9999
    assert quick.towers.loaded() == ("image",)


def test_damaged_or_switched_off_export_falls_back_to_torch(onnx_on, monkeypatch):
    source = resolve_source(f"local-dir:{FIXTURE_MODEL}")
    enc = load_encoder(source, device="cpu", precision="fp32", towers=("text",))
    want = enc.encode_texts(TEXTS)
    assert text_onnx.ensure_exported(enc)
    folder = text_onnx.export_dir(source.key)
    (folder / "text.onnx").write_bytes(b"not a model")
    fallback = load_encoder(source, device="cpu", precision="fp32", towers=("text",))
    assert fallback.text is None
    assert (fallback.encode_texts(TEXTS) * want).sum(axis=1).min() >= 0.9999
    monkeypatch.setenv("PHOTOSEARCH_NO_ONNX", "1")
    assert text_onnx.load(source) is None
    meta = json.loads((folder / "meta.json").read_text())
    assert meta["key"] == source.key


def test_missing_onnxruntime_means_no_export_and_torch(onnx_on, monkeypatch):
    source = resolve_source(f"local-dir:{FIXTURE_MODEL}")
    enc = load_encoder(source, device="cpu", precision="fp32", towers=("text",))
    monkeypatch.setitem(sys.modules, "onnxruntime", None)    # import fails
    assert not text_onnx.ensure_exported(enc)
    assert not text_onnx.exported(source.key)
    assert enc.text is None and len(enc.encode_texts(["a dog"])) == 1


def test_search_process_imports_no_torch(onnx_on, tmp_path, make_photos):
    """A fresh ``photosearch search`` with the export: onnxruntime, no torch, no open_clip,
    torchvision, timm or transformers."""
    model = f"local-dir:{FIXTURE_MODEL}"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("PHOTOSEARCH_NO_ONNX", None)
    make_photos(per_class=1, seed=5, folder=tmp_path / "p")
    run = [sys.executable, "-m", "photosearch", "--model", model]
    done = subprocess.run([*run, "index", str(tmp_path / "p")], env=env,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    assert text_onnx.exported(resolve_source(model).key)
    probe = ("import sys, runpy\n"
             "sys.argv = ['photosearch', '--model', sys.argv[1], 'search', 'red', 'circle']\n"
             "try:\n    runpy.run_module('photosearch', run_name='__main__')\n"
             "except SystemExit:\n    pass\n"
             "heavy = ('torch', 'open_clip', 'torchvision', 'timm', 'transformers')\n"
             "print('LOADED', sorted(m for m in heavy + ('onnxruntime',) "
             "if m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", probe, model], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "red_circle" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "LOADED ['onnxruntime']"
