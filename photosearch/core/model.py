"""The image–text model: presets, finding the weights, device and precision, batching.

Weights are resolved in this order, and the first that works wins:
1. a checkpoint the user gave (``--weights FILE`` with an architecture, or a folder with
   ``open_clip_config.json`` + weights, written ``local-dir:PATH`` or just ``PATH``);
2. the local Hugging Face cache (``HF_HOME``), where open_clip keeps downloaded weights;
3. a download, where the network allows and the user allows it.
When none works, ``ModelUnavailable`` says which file is needed and where to put it.

Checkpoints load through open_clip with ``weights_only=True`` (or safetensors): nothing a
user was sent is ever unpickled.

torch and open_clip are imported inside functions: importing this module is cheap, so the
GUI can show its window before the model loads.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from photosearch.core.errors import ModelUnavailable
from photosearch.core.progress import Progress, ProgressFn, noop

if TYPE_CHECKING:  # pragma: no cover
    import torch
    from PIL import Image

WEIGHT_FILES = ("open_clip_model.safetensors", "open_clip_pytorch_model.bin")


@dataclass(frozen=True)
class Preset:
    name: str
    arch: str
    tag: str
    hf_repo: str
    label: str
    languages: tuple[str, ...]


PRESETS: dict[str, Preset] = {
    "default": Preset(
        "default", "ViT-B-32", "laion2b_s34b_b79k", "laion/CLIP-ViT-B-32-laion2B-s34B-b79K",
        "English — ViT-B/32 trained on LAION-2B (~600 MB)", ("en",)),
    "multilingual": Preset(
        "multilingual", "xlm-roberta-base-ViT-B-32", "laion5b_s13b_b90k",
        "laion/CLIP-ViT-B-32-xlm-roberta-base-laion5B-s13B-b90k",
        "Multilingual (Russian, English and 100 more) — XLM-RoBERTa + ViT-B/32 (~1.4 GB)",
        ("ru", "en")),
}


@dataclass(frozen=True)
class ModelSource:
    """What to load: an open_clip name (arch or ``local-dir:``) and a checkpoint, or a tag."""

    open_clip_name: str
    checkpoint: str | None      # a local file; None for local-dir or a tag still to resolve
    preset: Preset | None
    key: str                    # identity of the vectors this model makes

    @property
    def label(self) -> str:
        return self.preset.label if self.preset else self.open_clip_name


def resolve_source(model: str = "default", weights: str | None = None) -> ModelSource:
    """Turn the user's ``--model``/``--weights`` into what to load (no heavy imports)."""
    model = model or "default"
    if model.startswith("local-dir:") or (os.path.isdir(model) and weights is None):
        folder = Path(model.removeprefix("local-dir:")).expanduser().resolve()
        if not (folder / "open_clip_config.json").is_file():
            raise ModelUnavailable(
                f"{folder} is not a model folder: it needs open_clip_config.json and weights.",
                needed=str(folder / "open_clip_config.json"))
        ckpt = next((folder / n for n in WEIGHT_FILES if (folder / n).is_file()), None)
        if ckpt is None:
            raise ModelUnavailable(f"No weights in model folder {folder}.",
                                   needed=str(folder / WEIGHT_FILES[0]))
        return ModelSource(f"local-dir:{folder}", None, None,
                           f"{folder.name}@{_fingerprint(ckpt)}")
    preset = PRESETS.get(model)
    arch = preset.arch if preset else model
    if preset is None:
        preset = next((p for p in PRESETS.values() if p.arch == arch), None)
    if weights:
        path = Path(weights).expanduser().resolve()
        if not path.is_file():
            raise ModelUnavailable(f"Weights file not found: {path}", needed=str(path))
        return ModelSource(arch, str(path), None, f"{arch}@{_fingerprint(path)}")
    if preset is None:
        raise ModelUnavailable(
            f"Unknown model {model!r}: use a preset ({', '.join(PRESETS)}), an open_clip "
            "architecture with --weights FILE, or a model folder.")
    return ModelSource(arch, None, preset, f"{arch}@{preset.tag}")


def _fingerprint(path: Path) -> str:
    """Cheap identity of a weights file: size plus hashes of its head and tail."""
    size = path.stat().st_size
    h = hashlib.sha256(str(size).encode())
    with open(path, "rb") as f:
        h.update(f.read(1 << 20))
        if size > 2 << 20:
            f.seek(-(1 << 20), os.SEEK_END)
            h.update(f.read())
    return h.hexdigest()[:12]


def find_cached_weights(preset: Preset) -> str | None:
    """The preset's weights in the local Hugging Face cache, if they were downloaded before."""
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:  # pragma: no cover
        return None
    for name in WEIGHT_FILES:
        found = try_to_load_from_cache(preset.hf_repo, name)
        if isinstance(found, str) and os.path.isfile(found):
            return found
    return None


def download_weights(preset: Preset, progress: ProgressFn = noop) -> str:
    """Fetch the preset's weights into the Hugging Face cache (network needed)."""
    from huggingface_hub import hf_hub_download

    progress(Progress("downloading model", 0, None, message=preset.hf_repo))
    last: Exception | None = None
    for name in WEIGHT_FILES:
        try:
            return hf_hub_download(preset.hf_repo, name)
        except Exception as e:  # offline, missing file, hub down: try the next name
            last = e
    raise ModelUnavailable(_missing_message(preset), needed=_needed(preset),
                           hint=f"download failed: {last}")


def _needed(preset: Preset) -> str:
    return f"https://huggingface.co/{preset.hf_repo}/resolve/main/{WEIGHT_FILES[0]}"


def _missing_message(preset: Preset) -> str:
    return (
        f"The model weights for {preset.label} are not on this computer and could not be "
        f"downloaded. Download {WEIGHT_FILES[0]} from {_needed(preset)} and start photosearch "
        f"with --model {preset.arch} --weights FILE (or choose the file in the app), or copy "
        "a Hugging Face cache that has it into HF_HOME."
    )


def network_allowed() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "0").lower() not in ("1", "true", "yes")


def pick_device(requested: str | None = None) -> str:
    import torch

    if requested:
        return requested
    if torch.cuda.is_available():
        return "cuda"
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return "mps"
    return "cpu"


def cpu_has_native_bf16() -> bool:
    """AMX or AVX-512-BF16 (x86) make bf16 weights faster than fp32; elsewhere it is slower."""
    try:
        flags = Path("/proc/cpuinfo").read_text(errors="replace")
    except OSError:
        return False
    return any(f in flags for f in (" amx_bf16", " avx512_bf16"))


def pick_precision(device: str, requested: str | None = None) -> str:
    if requested:
        return requested
    if device.startswith("cuda"):
        return "fp16"
    if device == "cpu" and cpu_has_native_bf16():
        return "bf16"
    return "fp32"


class Encoder:
    """A loaded model that turns images and texts into unit vectors of one space."""

    def __init__(self, model: Any, preprocess: Callable[[Image.Image], torch.Tensor],
                 tokenizer: Callable[[Sequence[str]], torch.Tensor], source: ModelSource,
                 device: str, precision: str, batch_size: int) -> None:
        import torch

        self.model = model
        self.preprocess = preprocess
        self.tokenizer = tokenizer
        self.source = source
        self.key = source.key
        self.device = device
        self.precision = precision
        self.batch_size = batch_size
        self.dtype = {"fp16": torch.float16, "bf16": torch.bfloat16}.get(precision, torch.float32)
        with torch.inference_mode():
            probe = self.tokenizer(["a photo"]).to(device)
            self.dim = int(self.model.encode_text(probe).shape[-1])
        size = getattr(getattr(model, "visual", None), "image_size", 224)
        self.image_size = int(size[0] if isinstance(size, (tuple, list)) else size)

    def __repr__(self) -> str:
        return f"Encoder({self.key}, {self.device}, {self.precision}, dim={self.dim})"

    def encode_images(self, batch: torch.Tensor) -> np.ndarray:
        """Preprocessed images (N, 3, H, W) → unit vectors (N, dim) float32."""
        import torch

        # No lock: forward passes of an eval-mode model share no state, so a query's text
        # encoding runs beside an indexing batch instead of waiting for it.
        with torch.inference_mode():
            x = batch.to(self.device, dtype=self.dtype, non_blocking=True)
            out = self.model.encode_image(x)
        return _normalise(out)

    def encode_texts(self, texts: Sequence[str]) -> np.ndarray:
        import torch

        with torch.inference_mode():
            tokens = self.tokenizer(list(texts)).to(self.device)
            out = _encode_text_short(self.model, tokens)
            if out is None:
                out = self.model.encode_text(tokens)
        return _normalise(out)

    def encode_pil(self, images: Sequence[Image.Image]) -> np.ndarray:
        import torch

        return self.encode_images(torch.stack([self.preprocess(im) for im in images]))


def _encode_text_short(model: Any, tokens: torch.Tensor) -> torch.Tensor | None:
    """``model.encode_text`` over the tokens' real length instead of the padded context.

    CLIP's text tower is causal and pools at the end-of-text token, so the padding after
    it cannot change the result: cutting a 77-token context to a short query's 10 tokens
    gives the same vectors (to float rounding) 5-10x faster, which is what makes
    embedding a tag vocabulary take minutes rather than an hour on a CPU. Returns None
    for text towers this does not hold for (e.g. the multilingual XLM-RoBERTa one)."""
    import torch

    needed = ("token_embedding", "positional_embedding", "transformer", "ln_final",
              "text_projection", "attn_mask")
    if (any(getattr(model, n, None) is None for n in needed)
            or getattr(model, "text_pool_type", "argmax") != "argmax"
            or not isinstance(model.text_projection, torch.Tensor)):
        return None
    used = tokens.ne(0).any(dim=0).nonzero()
    if len(used) == 0:
        return None
    n = int(used.max()) + 1
    t = tokens[:, :n]
    cast = model.transformer.get_cast_dtype()
    x = model.token_embedding(t).to(cast) + model.positional_embedding[:n].to(cast)
    x = model.transformer(x, attn_mask=model.attn_mask[:n, :n])
    x = model.ln_final(x)
    x = x[torch.arange(x.shape[0], device=x.device), t.argmax(dim=-1)]
    return x @ model.text_projection


def _normalise(out: torch.Tensor) -> np.ndarray:
    v = out.float().cpu().numpy()
    v /= np.linalg.norm(v, axis=1, keepdims=True).clip(1e-12)
    return v.astype(np.float32, copy=False)


def load_encoder(source: ModelSource, *, device: str | None = None,
                 precision: str | None = None, batch_size: int | None = None,
                 allow_download: bool = True, progress: ProgressFn = noop) -> Encoder:
    """Load the model described by ``source``; raises ``ModelUnavailable`` with advice."""
    import torch

    checkpoint = source.checkpoint
    if source.preset is not None and checkpoint is None:
        checkpoint = find_cached_weights(source.preset)
        if checkpoint is None:
            if not (allow_download and network_allowed()):
                raise ModelUnavailable(_missing_message(source.preset),
                                       needed=_needed(source.preset))
            checkpoint = download_weights(source.preset, progress)
    device = pick_device(device)
    precision = pick_precision(device, precision)
    progress(Progress("loading model", 0, None, message=source.label))
    try:
        import open_clip

        model, _, preprocess = open_clip.create_model_and_transforms(
            source.open_clip_name, pretrained=checkpoint, device="cpu", weights_only=True)
        tokenizer = open_clip.get_tokenizer(source.open_clip_name)
    except ModelUnavailable:
        raise
    except Exception as e:
        needed = checkpoint or source.open_clip_name
        message = f"Could not load model {source.label} from {needed}: {_short(e)}"
        hf_text = _hf_text_tower(source)
        if hf_text:
            message += (f" This model also needs the '{hf_text}' tokenizer and text config "
                        "from Hugging Face: start it once online, or copy a Hugging Face "
                        "cache that has them into HF_HOME.")
        raise ModelUnavailable(message, needed=needed) from e
    model.eval()
    if precision in ("fp16", "bf16"):
        model = model.to(dtype=torch.float16 if precision == "fp16" else torch.bfloat16)
    model = model.to(device)
    if batch_size is None:
        batch_size = 128 if device.startswith("cuda") else 32
    return Encoder(model, preprocess, tokenizer, source, device, precision, batch_size)


def _hf_text_tower(source: ModelSource) -> str | None:
    """The Hugging Face text model an architecture needs besides its weights, if any."""
    try:
        import open_clip

        cfg = open_clip.get_model_config(source.open_clip_name) or {}
    except Exception:
        return None
    return cfg.get("text_cfg", {}).get("hf_tokenizer_name")


def _short(e: BaseException) -> str:
    text = str(e).strip().splitlines()
    return (text[0] if text else type(e).__name__)[:300]
