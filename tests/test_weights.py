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
    return Encoder(model.eval().to(dtype=dtype), preprocess, _tokenizer(source), source,
                   "cpu", precision, 8)


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
    embeddings = [m for m in new.model.modules() if isinstance(m, torch.nn.Embedding)]
    assert embeddings
    for m in embeddings:
        assert m.weight.dtype in (torch.float16, torch.bfloat16)
    towers = {p.dtype for n, p in new.model.named_parameters() if "token_embedding" not in n}
    assert towers == {new.dtype}
    assert not any(t.is_meta for t in new.model.state_dict().values())


def test_module_prefix_and_state_dict_wrapper(tmp_path):
    """A training checkpoint (.bin, ``state_dict`` under ``module.``) loads the same."""
    source = resolve_source(f"local-dir:{FIXTURE_MODEL}")
    old = _old_path(source, "fp32")
    wrapped = {"state_dict": {f"module.{k}": v for k, v in old.model.state_dict().items()}}
    path = tmp_path / "open_clip_pytorch_model.bin"
    torch.save(wrapped, path)
    (tmp_path / "open_clip_config.json").write_bytes(
        (FIXTURE_MODEL / "open_clip_config.json").read_bytes())
    new = load_encoder(resolve_source(f"local-dir:{tmp_path}"), device="cpu",
                       precision="fp32")
    assert (new.encode_texts(TEXTS) * old.encode_texts(TEXTS)).sum(axis=1).min() >= 0.999
