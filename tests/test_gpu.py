"""The CUDA path's logic, run on the CPU: device fallback, precision and batch choice,
pinned copies, and JPEGs decoded the device way (torchvision) against our CPU decoder:
same orientation and size, pixels and model input close."""

from __future__ import annotations

import io

import numpy as np
import pytest
import torch
from conftest import shared_dataset
from PIL import Image, ImageOps

from photosearch.core import gpu
from photosearch.core.decoding import decode
from photosearch.core.model import pick_device, pick_precision


def test_a_device_that_is_not_here_falls_back(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert gpu.usable_device("cuda") == "cpu"
    assert gpu.usable_device("cuda:1") == "cpu"
    assert pick_device("cuda") == "cpu"
    assert gpu.usable_device(None) is None
    assert gpu.usable_device("cpu") == "cpu"
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 1)
    assert gpu.usable_device("cuda:3") == "cuda:0"
    assert gpu.usable_device("cuda") == "cuda"
    assert pick_device() == "cuda"


def test_precision_and_batch_follow_the_device(monkeypatch):
    assert pick_precision("cuda") == pick_precision("cuda:0") == "fp16"
    assert gpu.batch_size("cuda:0") > gpu.batch_size("cpu")
    monkeypatch.setattr("photosearch.core.model.cpu_has_native_bf16", lambda: False)
    assert pick_precision("cpu") == "fp32"


def test_to_device_converts_and_pins_only_for_cuda(monkeypatch):
    batch = torch.rand(2, 3, 4, 4)
    out = gpu.to_device(batch, "cpu", torch.bfloat16)
    assert out.dtype == torch.bfloat16 and out.device.type == "cpu"
    pinned: list[bool] = []
    monkeypatch.setattr(torch.Tensor, "pin_memory",
                        lambda self: pinned.append(True) or self)
    monkeypatch.setattr(torch.Tensor, "to", lambda self, *a, **k: self)
    gpu.to_device(batch, "cuda:0", torch.float16)
    assert pinned == [True]


@pytest.mark.parametrize("orientation", range(1, 9))
def test_upright_turns_as_the_cpu_decoder_does(orientation):
    pixels = np.random.default_rng(orientation).integers(0, 255, (5, 7, 3), np.uint8)
    image = Image.fromarray(pixels)
    image.getexif()[0x0112] = orientation          # what decoding's exif_transpose reads
    expected = ImageOps.exif_transpose(image)
    got = gpu.upright(torch.from_numpy(pixels).permute(2, 0, 1), orientation)
    assert np.array_equal(got.permute(1, 2, 0).numpy(), np.asarray(expected))


def test_device_decoding_matches_the_cpu_decoder_on_exif_samples():
    """Orientation and size as our decoder gives them, for every JPEG of exif-samples;
    a file the device path cannot take comes back None (the CPU decodes it)."""
    folder = shared_dataset("exif-samples")
    paths = sorted(p for p in folder.rglob("*") if p.suffix.lower() in (".jpg", ".jpeg"))
    datas, orientations, cpu = [], [], []
    for p in paths:
        d = decode(p, min_side=100_000)      # full size: the device decodes at full size
        with Image.open(p) as im:
            orientations.append(im.getexif().get(0x0112, 1))
        datas.append(p.read_bytes())
        cpu.append(d)
    decoded = gpu.decode_on_device(datas, orientations, "cpu")
    taken = 0
    for p, d, t in zip(paths, cpu, decoded, strict=True):
        if t is None:
            continue
        taken += 1
        assert (t.shape[2], t.shape[1]) == (d.width, d.height) == d.image.size, p.name
        a = t.permute(1, 2, 0).numpy().astype(int)
        b = np.asarray(d.image, dtype=int)
        assert np.abs(a - b).mean() < 3, p.name     # two IDCTs/upsamplers of one file
    assert taken >= len(paths) * 0.8
    assert gpu.decode_on_device([b"not a jpeg"], [1], "cpu") == [None]


def test_device_preprocessing_is_close_to_the_models_transform():
    from open_clip.transform import PreprocessCfg, image_transform_v2

    photos = sorted(shared_dataset("imagenet-sample").glob("*.JPEG"))[:6]
    for squash, cfg in ((False, PreprocessCfg(size=224)),
                        (True, PreprocessCfg(size=256, mean=(0.5,) * 3, std=(0.5,) * 3,
                                             resize_mode="squash"))):
        transform = image_transform_v2(cfg, is_train=False)
        for p in photos:
            image = Image.open(io.BytesIO(p.read_bytes())).convert("RGB")
            expected = transform(image)
            tensor = torch.from_numpy(np.asarray(image).copy()).permute(2, 0, 1)
            got = gpu.preprocess_on_device([tensor], cfg.size, cfg.mean, cfg.std,
                                           squash=squash)[0]
            assert got.shape == expected.shape
            levels = (got - expected).abs() * torch.tensor(cfg.std).view(-1, 1, 1) * 255
            # PIL's bicubic (a=-0.5) and torch's (a=-0.75): the bound the fidelity test
            # gives the reduced-size JPEG decode
            assert float(levels.mean()) < 6, p.name
