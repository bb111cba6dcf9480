"""Our decode + preprocess give each preset the tensor open_clip's own transform gives it.

open_clip applies a pretrained tag's preprocess (SigLIP: squash to 256 px, mean/std 0.5)
only when it downloads by tag; photosearch loads checkpoint files, so it passes the tag's
preprocess itself (core/model.py ``preprocess_overrides``). Checked on real photos; the
deliberate reduced-size JPEG decode is allowed a small, bounded difference
(benchmarks/bench_models.py measures its effect on embeddings)."""

from __future__ import annotations

from dataclasses import asdict

import numpy as np
import pytest
from conftest import shared_dataset
from PIL import Image, ImageOps

from photosearch.core.decoding import decode
from photosearch.core.model import preprocess_overrides, resolve_source
from photosearch.core.presets import PRESETS

NAMES = ("default", "quality", "english-classic")


def _transforms(name: str):
    import open_clip
    from open_clip.transform import PreprocessCfg, image_transform_v2, merge_preprocess_dict

    preset = PRESETS[name]
    size = open_clip.get_model_config(preset.arch)["vision_cfg"]["image_size"]
    # open_clip.create_model_and_transforms(arch, pretrained=tag), as it merges the tag:
    tag_cfg = merge_preprocess_dict(asdict(PreprocessCfg(size=size)),
                                    open_clip.get_pretrained_cfg(preset.arch, preset.tag))
    reference = image_transform_v2(PreprocessCfg(**tag_cfg), is_train=False)
    # ours: what load_encoder passes to create_model_and_transforms with a checkpoint file
    ours_cfg = asdict(PreprocessCfg(size=size))
    for arg, value in preprocess_overrides(resolve_source(name)).items():
        ours_cfg[arg.removeprefix("image_")] = value
    ours = image_transform_v2(PreprocessCfg(**ours_cfg), is_train=False)
    return reference, ours, size, np.array(tag_cfg["std"])


def test_siglip_presets_squash_with_half_mean_std():
    for name in ("default", "quality"):
        overrides = preprocess_overrides(resolve_source(name))
        assert overrides["image_resize_mode"] == "squash"
        assert tuple(overrides["image_mean"]) == tuple(overrides["image_std"]) == (0.5,) * 3


@pytest.mark.parametrize("name", NAMES)
def test_preprocess_matches_open_clip_on_real_photos(name):
    photos = sorted(shared_dataset("imagenet-sample").glob("*.JPEG"))[:8]
    reference, ours, size, std = _transforms(name)
    for path in photos:
        with Image.open(path) as im:
            full = ImageOps.exif_transpose(im).convert("RGB")
        expected = reference(full)
        assert expected.shape == (3, size, size)
        np.testing.assert_allclose(ours(full), expected, atol=1e-6)
        # Our decoder reads JPEGs at reduced size (draft) before the same transform: a
        # deliberate, small difference (in 8-bit levels).
        drafted = ours(decode(path, min_side=size).image)
        levels = np.abs((drafted - expected).numpy()) * std[:, None, None] * 255
        assert levels.mean() < 6, (path.name, levels.mean())


@pytest.mark.parametrize("name", NAMES)
def test_numpy_tensor_steps_give_the_same_tensor(name):
    """``fast_preprocess`` (ToTensor and Normalize in numpy, off torch's thread pool) is
    the same arithmetic: the same float32 tensor, bit for bit."""
    import torch

    from photosearch.core.preprocess import NumpyTail, fast_preprocess

    photos = sorted(shared_dataset("imagenet-sample").glob("*.JPEG"))[:6]
    _, ours, size, _ = _transforms(name)
    fast = fast_preprocess(ours)
    assert isinstance(fast, NumpyTail)
    for path in photos:
        image = decode(path, min_side=size).image
        expected, got = ours(image), fast(image)
        assert got.dtype == expected.dtype and got.shape == expected.shape
        assert torch.equal(got, expected), path.name


def test_an_unfamiliar_transform_is_used_as_it_is():
    from torchvision.transforms import Compose, Normalize, RandomCrop, ToTensor

    from photosearch.core.preprocess import fast_preprocess

    odd = Compose([RandomCrop(8), ToTensor(), Normalize((0.5,) * 3, (0.5,) * 3)])
    assert fast_preprocess(odd) is odd
    plain = Compose([ToTensor()])
    assert fast_preprocess(plain) is plain
    assert fast_preprocess(len) is len
