"""Model resolution: where weights come from, what identifies them, what runs where."""

from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import FIXTURE_MODEL

from photosearch.core import model as model_mod
from photosearch.core.errors import ModelUnavailable
from photosearch.core.model import PRESETS, load_encoder, pick_precision, resolve_source


def test_presets_resolve_without_loading_anything():
    src = resolve_source("default")
    assert src.key == "ViT-B-32@laion2b_s34b_b79k" and src.checkpoint is None
    multi = resolve_source("multilingual")
    assert "ru" in multi.preset.languages and multi.key != src.key
    with pytest.raises(ModelUnavailable, match="Unknown model"):
        resolve_source("no-such-model")


def test_offline_preset_gives_actionable_message(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(model_mod, "find_cached_weights", lambda preset: None)
    with pytest.raises(ModelUnavailable) as err:
        load_encoder(resolve_source("default"))
    text = str(err.value)
    assert PRESETS["default"].hf_repo in text and "--weights" in text
    assert err.value.needed.endswith("open_clip_model.safetensors")


def test_weights_file_with_architecture_name(tmp_path, encoder):
    """``--model ARCH --weights FILE`` loads through open_clip's pretrained=<file> path
    and gives the same vectors as the model folder; the key names the file."""
    import open_clip

    cfg = json.loads((FIXTURE_MODEL / "open_clip_config.json").read_text())["model_cfg"]
    (tmp_path / "tiny-fixture-arch.json").write_text(json.dumps(cfg))
    open_clip.add_model_config(tmp_path / "tiny-fixture-arch.json")
    weights = FIXTURE_MODEL / "open_clip_model.safetensors"
    src = resolve_source("tiny-fixture-arch", weights=str(weights))
    assert src.checkpoint == str(weights) and src.key.startswith("tiny-fixture-arch@")
    other = load_encoder(src, device="cpu", precision="fp32")
    texts = ["a red circle", "a blue star"]
    np.testing.assert_allclose(other.encode_texts(texts), encoder.encode_texts(texts),
                               atol=1e-5)


def test_model_folder_key_changes_with_weights(tmp_path):
    import shutil

    copy = tmp_path / "model"
    shutil.copytree(FIXTURE_MODEL, copy)
    key = resolve_source(str(copy)).key
    data = bytearray((copy / "open_clip_model.safetensors").read_bytes())
    data[-1] ^= 1
    (copy / "open_clip_model.safetensors").write_bytes(bytes(data))
    assert resolve_source(str(copy)).key != key
    (copy / "open_clip_model.safetensors").unlink()
    with pytest.raises(ModelUnavailable, match="No weights"):
        resolve_source(f"local-dir:{copy}")


def test_precision_choice(monkeypatch):
    assert pick_precision("cuda") == "fp16"
    assert pick_precision("cpu", "fp32") == "fp32"
    monkeypatch.setattr(model_mod, "cpu_has_native_bf16", lambda: True)
    assert pick_precision("cpu") == "bf16"
    monkeypatch.setattr(model_mod, "cpu_has_native_bf16", lambda: False)
    assert pick_precision("cpu") == "fp32"
    assert pick_precision("mps") == "fp32"


def test_bf16_weights_stay_close_to_fp32(encoder, model_source, make_photos):
    """bf16 is what CPUs with AMX/AVX-512-BF16 get: its vectors must match fp32's."""
    from PIL import Image

    half = load_encoder(model_source, device="cpu", precision="bf16")
    images = [Image.open(p).convert("RGB") for p, _, _ in make_photos(per_class=1, seed=4)]
    a, b = encoder.encode_pil(images), half.encode_pil(images)
    assert np.min(np.sum(a * b, axis=1)) > 0.98
    assert np.allclose(np.linalg.norm(b, axis=1), 1, atol=1e-4)
