"""Loading a checkpoint with one copy of the weights (core/weights.py) gives the vectors
open_clip's own loader gives, with token embeddings kept in half precision."""

from __future__ import annotations

import numpy as np
import open_clip
import pytest
import torch
from conftest import FIXTURE_MODEL, SIGLIP_MODEL

from photosearch.core.model import Encoder, load_encoder, resolve_source

TEXTS = ["a red circle", "blue stripes on white", "a photo"]


def _old_path(source, precision: str) -> Encoder:
    """open_clip's loader: random model, the whole checkpoint beside it, then a copy."""
    from photosearch.core.model import _tokenizer, preprocess_overrides

    dtype = {"bf16": torch.bfloat16}.get(precision, torch.float32)
    model, _, preprocess = open_clip.create_model_and_transforms(
        source.open_clip_name, device="cpu", weights_only=True,
        **preprocess_overrides(source))
    return Encoder.whole(model.eval().to(dtype=dtype), preprocess, _tokenizer(source),
                         source, "cpu", precision, 8)


def _images(n: int, size: int) -> torch.Tensor:
    return torch.from_numpy(np.random.default_rng(0).standard_normal(
        (n, 3, size, size)).astype(np.float32))


@pytest.mark.parametrize("folder", [FIXTURE_MODEL, SIGLIP_MODEL], ids=["clip", "siglip"])
@pytest.mark.parametrize("precision", ["fp32", "bf16"])
def test_streamed_load_matches_open_clip(folder, precision):
    source = resolve_source(f"local-dir:{folder}")
    new = load_encoder(source, device="cpu", precision=precision)
    old = _old_path(source, precision)
    images = _images(4, new.image_size)
    for a, b in ((new.encode_texts(TEXTS), old.encode_texts(TEXTS)),
                 (new.encode_images(images), old.encode_images(images))):
        assert (a * b).sum(axis=1).min() >= 0.999
    text = new.tower("text")
    embeddings = [m for m in text.modules() if isinstance(m, torch.nn.Embedding)]
    assert embeddings
    for m in embeddings:
        assert m.weight.dtype in (torch.float16, torch.bfloat16)
    loaded = [(n, p) for tower in ("image", "text") for n, p in
              new.tower(tower).named_parameters() if not p.is_meta]
    assert {p.dtype for n, p in loaded if "token_embedding" not in n} == {new.dtype}
    assert {n for n, _ in loaded} == {n for n, _ in old.tower("text").named_parameters()}


def test_module_prefix_and_state_dict_wrapper(tmp_path):
    """A training checkpoint (.bin, ``state_dict`` under ``module.``) loads the same."""
    source = resolve_source(f"local-dir:{FIXTURE_MODEL}")
    old = _old_path(source, "fp32")
    wrapped = {"state_dict": {f"module.{k}": v
                              for k, v in old.tower("text").state_dict().items()}}
    path = tmp_path / "open_clip_pytorch_model.bin"
    torch.save(wrapped, path)
    (tmp_path / "open_clip_config.json").write_bytes(
        (FIXTURE_MODEL / "open_clip_config.json").read_bytes())
    new = load_encoder(resolve_source(f"local-dir:{tmp_path}"), device="cpu",
                       precision="fp32")
    assert (new.encode_texts(TEXTS) * old.encode_texts(TEXTS)).sum(axis=1).min() >= 0.999


@pytest.mark.parametrize("folder", [FIXTURE_MODEL, SIGLIP_MODEL], ids=["clip", "siglip"])
def test_each_tower_loads_alone_with_the_whole_models_vectors(folder):
    """An index run holds the image tower alone and a query the text tower alone: the
    other tower's weights are never read (they stay on ``meta``), and the vectors are the
    whole model's."""
    source = resolve_source(f"local-dir:{folder}")
    whole = _old_path(source, "fp32")
    images = _images(3, whole.image_size)
    for tower, other in (("image", "text"), ("text", "image")):
        enc = load_encoder(source, device="cpu", precision="fp32", towers=(tower,))
        assert enc.towers.loaded() == (tower,)
        model = enc.tower(tower)
        params = dict(model.named_parameters())
        own = [n for n in params if (n.startswith("visual.")) == (tower == "image")
               and n not in ("logit_scale", "logit_bias")]
        alien = [n for n in params if (n.startswith("visual.")) == (other == "image")
                 and n not in ("logit_scale", "logit_bias")]
        assert own and alien
        assert not any(params[n].is_meta for n in own)
        assert all(params[n].is_meta for n in alien)
        assert (enc.dim, enc.image_size, enc.logit_bias) == (
            whole.dim, whole.image_size, whole.logit_bias)
        if tower == "image":
            got, want = enc.encode_images(images), whole.encode_images(images)
        else:
            got, want = enc.encode_texts(TEXTS), whole.encode_texts(TEXTS)
        assert (got * want).sum(axis=1).min() >= 0.9999
        enc.release(tower)
        assert enc.towers.loaded() == ()
        # the other tower loads on first use, and gives the whole model's vectors too
        got = enc.encode_texts(TEXTS) if other == "text" else enc.encode_images(images)
        want = whole.encode_texts(TEXTS) if other == "text" else whole.encode_images(images)
        assert (got * want).sum(axis=1).min() >= 0.9999
        assert enc.towers.loaded() == (other,)
