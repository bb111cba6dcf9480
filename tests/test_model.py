"""Model resolution: where weights come from, what identifies them, what runs where."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from conftest import FIXTURE_MODEL

from photosearch.core import model as model_mod
from photosearch.core import presets
from photosearch.core.errors import ModelUnavailable
from photosearch.core.model import load_encoder, pick_precision, resolve_source
from photosearch.core.presets import PRESETS


def test_presets_resolve_without_loading_anything():
    src = resolve_source("default")
    assert src.key == "ViT-B-32-SigLIP2-256@webli" and src.checkpoint is None
    assert "ru" in src.preset.languages and "en" in src.preset.languages
    classic = resolve_source("english-classic")
    assert classic.key == "ViT-B-32@laion2b_s34b_b79k"    # the key old libraries stored
    legacy = resolve_source("multilingual")
    assert legacy.preset.hidden and legacy.key not in (src.key, classic.key)
    with pytest.raises(ModelUnavailable, match="Unknown model"):
        resolve_source("no-such-model")


def test_offline_preset_names_every_missing_file(monkeypatch):
    """Weights and the SigLIP 2 tokenizer files: one message names all of them."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(model_mod, "cached_file", lambda repo, name: None)
    with pytest.raises(ModelUnavailable) as err:
        load_encoder(resolve_source("default"))
    text = str(err.value)
    preset = PRESETS["default"]
    assert preset.hf_repo in text and "--weights" in text
    assert err.value.needed.endswith("open_clip_model.safetensors")
    names = ("open_clip_model.safetensors", "tokenizer.json", "tokenizer_config.json")
    assert [m.rsplit("/", 1)[1] for m in err.value.missing] == list(names)
    assert all(n in text for n in names)


def test_weights_file_for_a_preset_architecture_still_needs_its_tokenizer(tmp_path,
                                                                          monkeypatch):
    """--weights FILE replaces the weights only: the tokenizer still comes from the
    cache, and the error says so (without asking for the weights)."""
    monkeypatch.setattr(model_mod, "cached_file", lambda repo, name: None)
    weights = tmp_path / "w.safetensors"
    weights.write_bytes(b"x" * 100)
    src = resolve_source("ViT-B-32-SigLIP2-256", str(weights))
    assert src.preset is PRESETS["default"] and src.key.startswith("ViT-B-32-SigLIP2-256@")
    with pytest.raises(ModelUnavailable) as err:
        load_encoder(src, allow_download=False)
    assert [m.rsplit("/", 1)[1] for m in err.value.missing] == ["tokenizer.json",
                                                                 "tokenizer_config.json"]


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


def _fake_hf_cache(tmp_path, monkeypatch, repo: str, files) -> Path:
    """A Hugging Face cache (as huggingface_hub lays it out) holding ``files``."""
    import shutil

    import huggingface_hub.constants as hf_constants

    cache = tmp_path / "hub"
    repo_dir = cache / f"models--{repo.replace('/', '--')}"
    revision = "0" * 40
    (repo_dir / "refs").mkdir(parents=True)
    (repo_dir / "refs" / "main").write_text(revision)
    snapshot = repo_dir / "snapshots" / revision
    snapshot.mkdir(parents=True)
    for path in files:
        shutil.copy(path, snapshot / path.name)
    monkeypatch.setattr(hf_constants, "HF_HUB_CACHE", str(cache))
    return snapshot


@pytest.fixture
def siglip_like_preset(tmp_path, monkeypatch):
    """A preset built exactly like the SigLIP 2 ones (an open_clip architecture, a
    pretrained tag whose config carries SigLIP's preprocess, weights and tokenizer files
    in the Hugging Face cache), made of the tiny SigLIP fixture's files."""
    import open_clip
    from conftest import SIGLIP_MODEL
    from open_clip import pretrained

    arch, repo = "tiny-siglip-arch", "photosearch-test/tiny-siglip"
    cfg = json.loads((SIGLIP_MODEL / "open_clip_config.json").read_text())["model_cfg"]
    (tmp_path / f"{arch}.json").write_text(json.dumps(cfg))
    open_clip.add_model_config(tmp_path / f"{arch}.json")
    monkeypatch.setitem(pretrained._PRETRAINED, arch,
                        {"webli": pretrained._slpcfg(hf_hub=f"{repo}/")})
    preset = presets.Preset("tiny", arch, "webli", repo, "Tiny SigLIP", ("ru", "en"), 1,
                            1.0, presets.SIGLIP2_TOKENIZER_FILES)
    monkeypatch.setitem(PRESETS, "tiny", preset)
    names = ("open_clip_model.safetensors", "tokenizer.json", "tokenizer_config.json")
    return _fake_hf_cache(tmp_path, monkeypatch, repo, [SIGLIP_MODEL / n for n in names])


def test_siglip_preset_loads_offline_from_the_cache(siglip_like_preset, siglip_encoder,
                                                    monkeypatch):
    """Weights and tokenizer come from the cache, the tag's preprocess applies (squash,
    mean/std 0.5, though open_clip was given a file), and the vectors are the fixture's."""
    from PIL import Image

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    enc = load_encoder(resolve_source("tiny"), device="cpu", precision="fp32")
    assert enc.key == "tiny-siglip-arch@webli" and enc.logit_bias is not None
    texts = ["a red circle", "красный круг"]
    np.testing.assert_allclose(enc.encode_texts(texts), siglip_encoder.encode_texts(texts),
                               atol=1e-5)
    image = Image.new("RGB", (120, 60), (200, 30, 30))
    image.paste((30, 30, 200), (0, 0, 30, 60))
    assert enc.preprocess(image).shape == (3, 64, 64)
    np.testing.assert_allclose(enc.preprocess(image), siglip_encoder.preprocess(image))
    assert enc.logit_scale == pytest.approx(siglip_encoder.logit_scale)


def test_siglip_preset_without_a_tokenizer_file_names_it(siglip_like_preset, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    (siglip_like_preset / "tokenizer_config.json").unlink()
    with pytest.raises(ModelUnavailable) as err:
        load_encoder(resolve_source("tiny"), device="cpu")
    assert err.value.missing == (
        "https://huggingface.co/photosearch-test/tiny-siglip/resolve/main/tokenizer_config.json",)
    assert "tokenizer_config.json" in str(err.value) and "HF_HOME" in str(err.value)


@pytest.mark.parametrize("stored, expected", [
    ("ViT-B-32@laion2b_s34b_b79k", "english-classic"),   # indexed when that was "default"
    (None, "default"),                                    # a new, empty library
    ("ViT-B-32-SigLIP2-256@webli", "default"),            # already on SigLIP 2
])
def test_a_library_keeps_the_model_its_vectors_came_from(tmp_path, stored, expected):
    """"default" now means SigLIP 2; a library whose vectors came from the old default
    keeps that model (and needs no re-embedding) until the user switches."""
    from photosearch.core.library import Library

    with Library.open(tmp_path / "lib") as lib:
        assert lib.settings.model == "default"
        if stored:
            folder = lib.add_folder(tmp_path)
            with lib.catalog.write() as conn:
                conn.execute("INSERT INTO photos(id, folder_id, path, size, mtime, added_at) "
                             "VALUES (1, ?, ?, 1, 0, 0)", (folder.id, str(tmp_path / "a.jpg")))
            lib.catalog.store_vector(stored, 1, np.zeros(4, np.float32))
    with Library.open(tmp_path / "lib") as lib:
        assert lib.settings.model == expected
    with Library.open(tmp_path / "lib") as lib:          # and it was saved
        assert lib.settings.model == expected


def test_many_texts_are_encoded_a_batch_at_a_time(encoder, monkeypatch):
    """A tag vocabulary chunk is thousands of prompts: each forward pass sees at most
    TEXT_BATCH of them, and the vectors are those of one text at a time."""
    import photosearch.core.model as model_module

    texts = [f"a photo of thing number {i}" for i in range(11)]
    one_by_one = np.concatenate([encoder.encode_texts([t]) for t in texts])
    tokenizer, seen = encoder.tokenizer, []

    def counting(batch):
        seen.append(len(batch))
        return tokenizer(batch)

    monkeypatch.setattr(model_module, "TEXT_BATCH", 4)
    monkeypatch.setattr(type(encoder), "tokenizer", property(lambda _self: counting))
    together = encoder.encode_texts(texts)
    assert seen == [4, 4, 3]
    assert together.shape == one_by_one.shape
    assert np.allclose(together, one_by_one, atol=1e-4)
