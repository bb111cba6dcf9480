"""Does a weights file fit an architecture? Told in seconds, before the model is loaded.

Loading a real checkpoint into the wrong architecture fails only after the whole load (45 s
for a large model), with the reason deep in a traceback. The names and shapes of a
``.safetensors`` file's tensors are in its JSON header; the architecture's come from
building it on torch's ``meta`` device (no memory, a fraction of a second once torch is
imported). Their difference is the reason to show. Other formats, and architectures that
cannot be built offline (a Hugging Face text tower), are not checked: the load says.
"""

from __future__ import annotations

import json
import logging
import struct
from pathlib import Path
from typing import BinaryIO

from photosearch.core.errors import ModelUnavailable

log = logging.getLogger(__name__)

HEADER_LIMIT = 100 << 20     # a larger header is not a safetensors file
_TOLERATED = ("positional_embedding",)   # open_clip resizes these on load
_IGNORED = ("position_ids",)             # buffers older checkpoints carry; dropped on load

Shapes = dict[str, tuple[int, ...]]


def read_header(f: BinaryIO) -> tuple[dict, int]:
    """A ``.safetensors`` file's JSON header (``__metadata__`` left out) and where its
    tensor data starts; ``f`` is open at the start. The one reader: the fit check and the
    streamed load both go through it, size guard included."""
    head = f.read(8)
    if len(head) < 8:
        raise ValueError("too short for a safetensors file")
    (size,) = struct.unpack("<Q", head)
    if size > HEADER_LIMIT:
        raise ValueError("not a safetensors file")
    header = json.loads(f.read(size))
    header.pop("__metadata__", None)
    return header, 8 + size


def file_shapes(path: str | Path) -> Shapes:
    """Tensor names and shapes from a ``.safetensors`` header (no tensor is read)."""
    with open(path, "rb") as f:
        header, _ = read_header(f)
    return {name: tuple(meta["shape"]) for name, meta in header.items()}


def arch_shapes(arch: str) -> Shapes | None:
    """The architecture's tensor names and shapes, or None where it cannot be built here."""
    try:
        import open_clip
        import torch

        with torch.device("meta"):
            model = open_clip.create_model(arch, pretrained=None, device="meta")
    except Exception as e:  # unknown name, a text tower that needs the network…
        log.info("not checking weights against %s: %s", arch, e)
        return None
    return {name: tuple(t.shape) for name, t in model.state_dict().items()}


def misfit(expected: Shapes, found: Shapes) -> str | None:
    """What keeps ``found`` from loading into ``expected``, in a sentence; None if it fits."""
    found = {k.removeprefix("module."): v for k, v in found.items()}
    missing = sorted(k for k in expected if k not in found)
    extra = sorted(k for k in found if k not in expected and not k.endswith(_IGNORED))
    shaped = sorted(k for k in expected if k in found and found[k] != expected[k]
                    and not k.endswith(_TOLERATED))
    parts = []
    if missing:
        parts.append(f"{len(missing)} of its {len(expected)} tensors are missing "
                     f"(e.g. {missing[0]})")
    if shaped:
        k = shaped[0]
        parts.append(f"{len(shaped)} have other shapes (e.g. {k}: the file has "
                     f"{_dims(found[k])}, the model needs {_dims(expected[k])})")
    if extra:
        parts.append(f"the file has {len(extra)} tensors the model does not (e.g. {extra[0]})")
    return "; ".join(parts) or None


def check_weights(arch: str, weights: str | None) -> None:
    """Raise ``ModelUnavailable`` with the reason when ``weights`` (a ``.safetensors``
    file) cannot load into ``arch``; return quietly when it fits or cannot be told."""
    if not weights or not weights.endswith(".safetensors") or arch.startswith("local-dir:"):
        return
    try:
        found = file_shapes(weights)
    except (OSError, ValueError) as e:
        raise ModelUnavailable(f"{weights} is not a readable weights file: {e}",
                               needed=weights) from e
    expected = arch_shapes(arch)
    if expected is None:
        return
    reason = misfit(expected, found)
    if reason:
        raise ModelUnavailable(
            f"The weights file {Path(weights).name} does not fit the {arch} architecture: "
            f"{reason}. Choose the weights made for {arch}, or a model folder "
            "(open_clip_config.json with its weights).", needed=weights)


def _dims(shape: tuple[int, ...]) -> str:
    return "×".join(map(str, shape)) or "a scalar"
