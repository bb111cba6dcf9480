"""Building an open_clip model from a checkpoint with one copy of the weights in memory.

open_clip's own loading builds the model with random weights, reads the whole checkpoint
beside it and copies one into the other: twice the weights at the peak (2 GB for the
ViT-B/32 CLIP, 3 GB for SigLIP 2), before any photo. Here the model is built on the
``meta`` device (shapes only), the checkpoint is read tensor by tensor, cast on the way to
the precision asked for, and the tensors become the model's own (``assign=True``).

Token embeddings are lookup tables, not compute: a text is a gather of a few rows. They
stay in a half precision even when the towers run in fp32, and the gathered rows are cast
back; for SigLIP 2 (a 256k × 768 table, half its weights) that saves about 400 MB and
changes text vectors by less than rounding (cosine ≥ 0.999, tests/test_weights.py).

Towers load apart (``towers=("image",)`` or ``("text",)``): indexing needs only the image
tower and a query only the text tower, and for SigLIP 2 the text tower is three quarters of
the weights (its 256k-token table). The other tower stays on ``meta`` (no memory) and its
tensors are never read from the file.

Checkpoints are read as safetensors or with ``torch.load(weights_only=True)``: nothing is
unpickled. open_clip's checkpoint handling (``state_dict`` wrappers, ``module.`` prefixes,
third-party layouts, resized position embeddings) is kept by calling its own helpers.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, BinaryIO

from photosearch.core.checkpoint import read_header

if TYPE_CHECKING:  # pragma: no cover
    import torch

TOWERS = ("image", "text")
SHARED = ("logit_scale", "logit_bias")     # scalars both towers' users read

# Bytes read at a time when a tensor's stored precision differs from the one wanted:
# bounds the transient copy of a 256k-row fp32 table to 32 MB instead of 787 MB.
CHUNK_BYTES = 32 << 20


class NotStreamable(Exception):
    """The checkpoint or model needs open_clip's own loader (e.g. big_vision .npz files)."""


def tower_of(name: str) -> str | None:
    """Which tower a state-dict entry (model naming) belongs to; None for shared scalars."""
    if name in SHARED:
        return None
    return "image" if name.startswith("visual.") else "text"


def create_model(open_clip_name: str, checkpoint: str | None, dtype: torch.dtype,
                 towers: tuple[str, ...] = TOWERS, **transform_kwargs: Any
                 ) -> tuple[Any, Callable]:
    """(model, preprocess) holding one copy of the weights of ``towers`` (the others on
    ``meta``); open_clip's own loader, whole, only for what cannot be streamed (e.g.
    big_vision .npz checkpoints)."""
    import open_clip

    if checkpoint is not None:
        try:
            return create_streamed(open_clip_name, checkpoint, dtype, towers,
                                   **transform_kwargs)
        except NotStreamable:
            pass
    model, _, preprocess = open_clip.create_model_and_transforms(
        open_clip_name, pretrained=checkpoint, device="cpu", weights_only=True,
        **transform_kwargs)
    return model.to(dtype=dtype), preprocess


def create_streamed(open_clip_name: str, checkpoint: str, dtype: torch.dtype,
                    towers: tuple[str, ...] = TOWERS, **transform_kwargs: Any
                    ) -> tuple[Any, Callable]:
    """(model, preprocess) for ``open_clip_name`` with the weights of ``checkpoint`` for
    ``towers``, every floating tensor in ``dtype`` except lookup tables
    (``lookup_dtype``); the other tower's tensors stay on ``meta``."""
    import open_clip
    import torch

    if checkpoint.endswith((".npz", ".npy")):
        raise NotStreamable(checkpoint)
    with torch.device("meta"):
        model, _, preprocess = open_clip.create_model_and_transforms(
            open_clip_name, pretrained=None, load_weights=False, device="meta",
            **transform_kwargs)
    lookups = {f"{name}.weight" for name, m in model.named_modules()
               if isinstance(m, torch.nn.Embedding)}
    half = lookup_dtype(dtype)

    names = set(model.state_dict())

    def wanted(name: str) -> bool:
        tower = tower_of(name)
        return tower is None or tower in towers

    def dtype_for(key: str) -> torch.dtype:
        return half if key.removeprefix("module.") in lookups else dtype

    def keep(key: str) -> bool:   # a name of another layout is kept until converted
        name = key.removeprefix("module.")
        return name not in names or wanted(name)

    state = _prepare(model, read_checkpoint(checkpoint, dtype_for, keep))
    state = {k: v for k, v in state.items() if wanted(k)}
    unexpected = model.load_state_dict(state, strict=False, assign=True).unexpected_keys
    del state
    if unexpected:   # what strict loading would refuse: a checkpoint of another model
        raise RuntimeError(f"Unexpected key(s) in state_dict: {', '.join(unexpected[:5])}")
    _rebuild_masks(model, dtype)
    left = [n for n, t in [*model.named_parameters(), *model.named_buffers()]
            if t.is_meta and wanted(n)]
    if left:
        raise NotStreamable(f"not in the checkpoint: {', '.join(left[:5])}")
    for name in lookups:
        if wanted(name):
            _keep_lookup_compact(model.get_submodule(name.removesuffix(".weight")), half,
                                 dtype)
    return model, preprocess


def lookup_dtype(dtype: torch.dtype) -> torch.dtype:
    """fp16 keeps 3 more mantissa bits than bf16; embeddings are far inside its range."""
    import torch

    return torch.bfloat16 if dtype == torch.bfloat16 else torch.float16


def read_checkpoint(path: str, dtype_for: Callable[[str], torch.dtype],
                    keep: Callable[[str], bool] = lambda _key: True,
                    ) -> dict[str, torch.Tensor]:
    """The checkpoint's tensors that ``keep`` wants, each floating one cast to
    ``dtype_for(key)`` as it is read (the others are not read at all)."""
    import torch

    if path.endswith(".safetensors"):
        return _read_safetensors(path, dtype_for, keep)
    try:  # mmap: pages are read as tensors are cast, not all up front
        loaded = torch.load(path, map_location="cpu", weights_only=True, mmap=True)
    except RuntimeError:  # the legacy (non-zip) format cannot be mapped
        loaded = torch.load(path, map_location="cpu", weights_only=True)
    state = loaded.get("state_dict", loaded) if isinstance(loaded, dict) else None
    if not isinstance(state, dict):
        raise NotStreamable(path)
    return {k: _cast(v, dtype_for(k)) for k, v in state.items() if keep(k)}


def _read_safetensors(path: str, dtype_for: Callable[[str], torch.dtype],
                      keep: Callable[[str], bool]) -> dict[str, torch.Tensor]:
    """Plain reads, not safetensors' memory map: mapped pages a tensor was read from count
    in the process's resident memory (the whole file, beside the cast copy) until unmapped.
    The format is a JSON header and raw little-endian data, so nothing is executed."""
    import torch

    dtypes = {"F64": torch.float64, "F32": torch.float32, "F16": torch.float16,
              "BF16": torch.bfloat16, "I64": torch.int64, "I32": torch.int32,
              "I16": torch.int16, "I8": torch.int8, "U8": torch.uint8, "BOOL": torch.bool}
    out: dict[str, torch.Tensor] = {}
    with open(path, "rb") as f:
        header, data_start = read_header(f)
        for key, info in header.items():
            if not keep(key):
                continue
            stored = dtypes[info["dtype"]]
            start, end = info["data_offsets"]
            shape = tuple(info["shape"])
            item = torch.empty((), dtype=stored).element_size()
            if end - start != item * math.prod(shape):
                raise ValueError(f"{path}: {key} has {end - start} bytes for shape {shape}")
            f.seek(data_start + start)
            want = dtype_for(key) if stored.is_floating_point else stored
            out[key] = _read_tensor(f, end - start, stored, want).reshape(shape)
    return out


def _read_tensor(f: BinaryIO, nbytes: int, stored: torch.dtype, want: torch.dtype
                 ) -> torch.Tensor:
    """``nbytes`` of ``stored`` values as a flat ``want`` tensor, cast a chunk at a time."""
    import torch

    if want == stored:
        raw = torch.empty(nbytes, dtype=torch.uint8)
        if nbytes:
            f.readinto(raw.numpy())
        return raw.view(stored)
    item = torch.empty((), dtype=stored).element_size()
    out = torch.empty(nbytes // item, dtype=want)
    step = CHUNK_BYTES - CHUNK_BYTES % item
    chunk = torch.empty(min(step, nbytes), dtype=torch.uint8)
    for offset in range(0, nbytes, step):
        n = min(step, nbytes - offset)
        f.readinto(chunk[:n].numpy())
        out[offset // item:(offset + n) // item] = chunk[:n].view(stored)
    return out


def _cast(t: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    return t.to(dtype) if t.is_floating_point() and t.dtype != dtype else t


def _prepare(model: Any, state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """open_clip's ``load_checkpoint`` fix-ups, in its order, on the read state dict."""
    import torch
    from open_clip.factory import (
        convert_state_dict,
        convert_to_custom_text_state_dict,
        resize_pos_embed,
        resize_text_pos_embed,
    )

    if next(iter(state), "").startswith("module"):
        state = {k[7:]: v for k, v in state.items()}
    state = convert_state_dict(model, state)
    if "positional_embedding" in state and not hasattr(model, "positional_embedding"):
        state = convert_to_custom_text_state_dict(state)
    for name in ("logit_scale", "logit_bias"):
        own = getattr(model, name, None)
        if name in state and own is not None and own.ndim != state[name].ndim:
            state[name] = state[name].reshape(own.shape)
    if "logit_bias" not in state and getattr(model, "logit_bias", None) is not None:
        state["logit_bias"] = torch.zeros_like(state["logit_scale"])
    position_ids = "text.transformer.embeddings.position_ids"
    if position_ids in state and not hasattr(model, position_ids):
        del state[position_ids]
    resize_pos_embed(state, model)
    resize_text_pos_embed(state, model)
    return state


def _rebuild_masks(model: Any, dtype: torch.dtype) -> None:
    """Causal attention masks are computed buffers, never saved: build them as open_clip
    does (``build_causal_mask``), in the model's precision as ``model.to(dtype)`` would."""
    import torch

    for name, buf in list(model.named_buffers()):
        if buf.is_meta and name.rsplit(".", 1)[-1] == "attn_mask" and buf.ndim == 2:
            mask = torch.full(tuple(buf.shape), float("-inf")).triu_(1).to(dtype)
            owner, _, attr = name.rpartition(".")
            (model.get_submodule(owner) if owner else model).register_buffer(
                attr, mask, persistent=False)


def _keep_lookup_compact(embedding: torch.nn.Module, stored: torch.dtype,
                         compute: torch.dtype) -> None:
    """Rows gathered from a half-precision table come out in the towers' precision."""
    if stored == compute:
        return
    embedding.register_forward_hook(lambda _m, _inp, out: out.to(compute))
