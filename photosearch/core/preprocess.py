"""The model's image preprocessing, with its tensor steps done in numpy.

open_clip's transform ends with ``ToTensor`` and ``Normalize``: two small torch ops per
photo. Called from the decoder threads, each op is spread over torch's intra-op thread
pool, which the model is using at the same moment: on two cores that made the two steps
take 100-300 ms a photo instead of 4 ms, most of it threads spinning (the system CPU
time of an indexing run). The same arithmetic in numpy, in the calling thread, gives the
same float32 values (``tests/test_preprocess_fidelity.py``). A transform of another shape
is used as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch
from PIL import Image

Preprocess = Callable[[Image.Image], torch.Tensor]


class NumpyTail:
    """``transform``'s image steps, then ToTensor and Normalize in numpy."""

    def __init__(self, image_steps: list[Any], mean: Any, std: Any) -> None:
        self.image_steps = image_steps
        self.mean = np.asarray(mean, np.float32).reshape(-1, 1, 1)
        self.std = np.asarray(std, np.float32).reshape(-1, 1, 1)

    def __call__(self, image: Image.Image) -> torch.Tensor:
        for step in self.image_steps:
            image = step(image)
        if not isinstance(image, Image.Image) or image.mode != "RGB":
            raise TypeError("the image steps must end with an RGB image")
        # as torchvision: uint8 HWC -> CHW float32 / 255, then (x - mean) / std
        x = np.asarray(image, np.uint8).transpose(2, 0, 1).astype(np.float32)
        x /= np.float32(255)
        x -= self.mean
        x /= self.std
        return torch.from_numpy(np.ascontiguousarray(x))


def fast_preprocess(transform: Preprocess) -> Preprocess:
    """``transform`` with its last two steps in numpy when it is the usual
    ``Compose([...image steps, ToTensor, Normalize])``; otherwise ``transform`` itself."""
    from torchvision.transforms import Compose, Normalize, ToTensor

    steps = getattr(transform, "transforms", None)
    if not isinstance(transform, Compose) or not steps or len(steps) < 2:
        return transform
    *image_steps, to_tensor, normalize = steps
    if (type(to_tensor).__name__ not in ("ToTensor", "MaybeToTensor")
            or not isinstance(to_tensor, ToTensor) or type(normalize) is not Normalize
            or normalize.inplace):
        return transform
    if any(isinstance(step, torch.nn.Module) and not _pil_step(step) for step in image_steps):
        return transform
    return NumpyTail(image_steps, normalize.mean, normalize.std)


def _pil_step(step: Any) -> bool:
    """Steps known to work on a PIL image and return one."""
    from torchvision.transforms import CenterCrop, Resize

    return isinstance(step, (Resize, CenterCrop))
