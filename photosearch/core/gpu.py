"""The CUDA path: which device and precision, batches that copy while the GPU works, and
JPEGs decoded on the device.

On a GPU the model is rarely the limit: decoding photos on the CPU is. So a CUDA machine
gets fp16 weights and large batches (``model.pick_precision``, ``batch_size``), batches
in pinned memory (the copy to the device overlaps the previous batch), and can decode
JPEGs on the device with nvJPEG (``torchvision.io.decode_jpeg(device="cuda")``) and
resize and normalise them there (``decode_on_device`` + ``preprocess_on_device``).
Whether device decoding is faster than the CPU's cores depends on the GPU and the photos:
``benchmarks/bench_gpu.py`` measures both on the machine at hand.

Every step falls back rather than fails: a CUDA device asked for where there is none
gives the CPU (``usable_device``); a JPEG the device cannot decode (CMYK, progressive on
old nvJPEG, damaged) comes back as None for the CPU decoder to take. The logic runs (and
is tested) on the CPU, where torchvision decodes the same way.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import torch

log = logging.getLogger(__name__)

CUDA_BATCH = 256        # photos per forward pass on a GPU (fp16 ViT-B: ~1 GB of activations)
CPU_BATCH = 32
_TRANSPOSE_K = {3: 2, 6: 3, 8: 1}   # EXIF orientation -> quarter turns (counter-clockwise)


def cuda_available() -> bool:
    import torch

    return bool(torch.cuda.is_available())


def usable_device(requested: str | None) -> str | None:
    """``requested`` if this machine has it; a CUDA or MPS device that is not here gives
    "cpu" (logged), so a setting or ``--device cuda`` made on another machine still runs.
    None (nothing asked) stays None: ``model.pick_device`` then chooses."""
    if not requested:
        return None
    import torch

    if requested.startswith("cuda"):
        if not torch.cuda.is_available():
            log.warning("device %s asked for, but no CUDA device is usable: using the CPU",
                        requested)
            return "cpu"
        index = int(requested.split(":", 1)[1]) if ":" in requested else 0
        if index >= torch.cuda.device_count():
            log.warning("device %s is not here (%d CUDA devices): using cuda:0", requested,
                        torch.cuda.device_count())
            return "cuda:0"
    if requested == "mps":
        mps = getattr(torch.backends, "mps", None)
        if mps is None or not mps.is_available():
            log.warning("device mps asked for, but it is not usable: using the CPU")
            return "cpu"
    return requested


def batch_size(device: str) -> int:
    """Photos per forward pass: large on a GPU, where a batch costs little more than one
    photo; small on a CPU, where a batch only needs to keep the cores busy."""
    return CUDA_BATCH if device.startswith("cuda") else CPU_BATCH


def to_device(batch: torch.Tensor, device: str, dtype: torch.dtype) -> torch.Tensor:
    """``batch`` on ``device`` as ``dtype``. For CUDA it goes through pinned memory so
    the copy runs asynchronously beside the GPU's work on the batch before."""
    if device.startswith("cuda") and batch.device.type == "cpu":
        batch = batch.pin_memory()
        return batch.to(device, non_blocking=True).to(dtype)
    return batch.to(device, dtype=dtype)


def decode_on_device(datas: Sequence[bytes], orientations: Sequence[int], device: str,
                     ) -> list[torch.Tensor | None]:
    """JPEG bytes -> upright uint8 (3, H, W) tensors on ``device``, decoded there in one
    batched call (nvJPEG on CUDA). A photo the device cannot decode gives None, for the
    CPU decoder. ``orientations``: each file's EXIF orientation (1 when none)."""
    import torch

    if not datas:
        return []
    with warnings.catch_warnings():
        # torchvision 0.29 marks its decoders deprecated in favour of TorchCodec, whose
        # JPEG decoding on CUDA is not there yet; they still work.
        warnings.simplefilter("ignore", DeprecationWarning)
        from torchvision.io import ImageReadMode, decode_jpeg

        tensors = [torch.frombuffer(bytearray(d), dtype=torch.uint8) for d in datas]
        try:
            images = decode_jpeg(tensors, mode=ImageReadMode.RGB, device=device)
        except RuntimeError:          # one bad file fails the batch: one at a time
            images = []
            for t in tensors:
                try:
                    images.append(decode_jpeg(t, mode=ImageReadMode.RGB, device=device))
                except RuntimeError:
                    images.append(None)
    return [None if im is None else upright(im, o)
            for im, o in zip(images, orientations, strict=True)]


def upright(image: torch.Tensor, orientation: int) -> torch.Tensor:
    """A (C, H, W) tensor turned as EXIF ``orientation`` says (as ``decoding`` does)."""
    import torch

    if orientation in (2, 4, 5, 7):       # the mirrored ones: flip, then turn
        image = torch.flip(image, dims=[2])
        orientation = {2: 1, 4: 3, 5: 8, 7: 6}[orientation]
    k = _TRANSPOSE_K.get(orientation, 0)
    return torch.rot90(image, k, dims=[1, 2]) if k else image


def preprocess_on_device(images: Sequence[torch.Tensor], size: int,
                         mean: Sequence[float], std: Sequence[float], *,
                         squash: bool = False) -> torch.Tensor:
    """uint8 (3, H, W) tensors -> the model's (N, 3, size, size) float input, on their
    device: bicubic resize with antialiasing (shorter side to ``size`` and a centre crop,
    or ``squash`` both sides, as the SigLIP presets), then normalised. Close to the CPU's
    PIL resize, not bit-identical (``tests/test_gpu.py`` bounds the difference)."""
    import torch
    import torch.nn.functional as F  # noqa: N812 - torch's own name

    out = []
    for im in images:
        x = im.unsqueeze(0).float()
        h, w = x.shape[-2:]
        if squash:
            target = (size, size)
        else:
            scale = size / min(h, w)
            target = (max(size, round(h * scale)), max(size, round(w * scale)))
        x = F.interpolate(x, size=target, mode="bicubic", antialias=True, align_corners=False)
        top, left = (x.shape[-2] - size) // 2, (x.shape[-1] - size) // 2
        out.append(x[..., top:top + size, left:left + size].clamp(0, 255))
    batch = torch.cat(out) / 255.0
    m = torch.tensor(mean, device=batch.device).view(1, -1, 1, 1)
    s = torch.tensor(std, device=batch.device).view(1, -1, 1, 1)
    return (batch - m) / s
