"""The image–text model: finding the weights, device and precision, batching (the
models offered by name are in ``presets``).

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
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from photosearch.core.errors import ModelUnavailable
from photosearch.core.presets import PRESETS, Preset
from photosearch.core.progress import Progress, ProgressFn, noop
from photosearch.core.towers import ModelInfo, TorchTowers

if TYPE_CHECKING:  # pragma: no cover
    import torch
    from PIL import Image

WEIGHT_FILES = ("open_clip_model.safetensors", "open_clip_pytorch_model.bin")
# Texts per forward pass. A tag-vocabulary chunk (256 words x 7 prompts) in one pass held
# its activations at once: a 3.7 GB peak with SigLIP 2's 64-token context; 128 at a time
# cost ~0.1 GB and run as fast.
TEXT_BATCH = 128
LOADING = "loading model"     # progress phase: 0 of 1 when it starts, 1 of 1 when loaded




@dataclass(frozen=True)
class ModelSource:
    """What to load: an open_clip name (arch or ``local-dir:``) and a checkpoint, or a tag."""

    open_clip_name: str
    checkpoint: str | None      # a local file; None for local-dir or a tag still to resolve
    preset: Preset | None
    key: str                    # identity of the vectors this model makes

    @property
    def label(self) -> str:
        if self.preset is None:
            return self.open_clip_name
        return self.preset.label + (f" from {self.checkpoint}" if self.checkpoint else "")


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
        # The preset (if the architecture is one) still decides preprocess and tokenizer.
        return ModelSource(arch, str(path), preset, f"{arch}@{_fingerprint(path)}")
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


def cached_file(repo: str, name: str) -> str | None:
    """A file of a Hugging Face repository in the local cache, if it was downloaded before."""
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:  # pragma: no cover
        return None
    found = try_to_load_from_cache(repo, name)
    return found if isinstance(found, str) and os.path.isfile(found) else None


def find_cached_weights(preset: Preset) -> str | None:
    """The preset's weights in the local Hugging Face cache, if they were downloaded before."""
    return next((f for n in WEIGHT_FILES if (f := cached_file(preset.hf_repo, n))), None)


def missing_files(preset: Preset, *, weights: bool = True) -> list[str]:
    """Names of the preset's files (weights first, then tokenizer) not in the cache."""
    missing = [n for n in preset.files if cached_file(preset.hf_repo, n) is None]
    if weights and find_cached_weights(preset) is None:
        missing.insert(0, WEIGHT_FILES[0])
    return missing


def download_files(preset: Preset, names: Sequence[str], progress: ProgressFn = noop) -> None:
    """Fetch the preset's missing files into the Hugging Face cache (network needed)."""
    from huggingface_hub import hf_hub_download

    progress(Progress("downloading model", 0, None, message=preset.hf_repo))
    for name in names:
        candidates = WEIGHT_FILES if name == WEIGHT_FILES[0] else (name,)
        last: Exception | None = None
        for candidate in candidates:
            try:
                hf_hub_download(preset.hf_repo, candidate)
                break
            except Exception as e:  # offline, missing file, hub down: try the next name
                last = e
        else:
            raise ModelUnavailable(_missing_message(preset, list(names)),
                                   needed=file_url(preset, names[0]),
                                   missing=tuple(file_url(preset, n) for n in names),
                                   hint=f"download failed: {last}")


def file_url(preset: Preset, name: str) -> str:
    return f"https://huggingface.co/{preset.hf_repo}/resolve/main/{name}"


def _missing_message(preset: Preset, names: list[str]) -> str:
    urls = ", ".join(file_url(preset, n) for n in names)
    text = (f"Files of the model {preset.label} are not on this computer and could not be "
            f"downloaded: {', '.join(names)}. Download them from {urls}")
    if WEIGHT_FILES[0] in names:
        text += (f"; for the weights, start photosearch with --model {preset.arch} --weights "
                 "FILE (or choose the file in the app)")
    others = [n for n in names if n != WEIGHT_FILES[0]]
    if others:
        text += f"; {', '.join(others)} must be in the Hugging Face cache ({preset.hf_repo})"
    return text + ", or copy a Hugging Face cache that has them into HF_HOME."


def network_allowed() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "0").lower() not in ("1", "true", "yes")


def pick_device(requested: str | None = None) -> str:
    """``requested`` where this machine has it (else the CPU: ``gpu.usable_device``);
    with nothing asked, CUDA, then Apple's MPS, then the CPU."""
    import torch

    from photosearch.core.gpu import usable_device

    requested = usable_device(requested)
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


def torch_dtype(precision: str) -> torch.dtype:
    """The torch dtype of a precision name ("fp16", "bf16"; anything else fp32)."""
    import torch

    return {"fp16": torch.float16, "bf16": torch.bfloat16}.get(precision, torch.float32)


class Encoder:
    """A model that turns images and texts into unit vectors of one space.

    Each tower loads when first used (``towers``): an index run holds the image tower
    alone, a query the text tower alone, and ``release`` frees one that a job is done
    with. The text side may instead be an exported ONNX model (``text``, see
    ``text_onnx``), which needs neither torch nor open_clip."""

    def __init__(self, towers: TorchTowers | None, source: ModelSource, device: str,
                 precision: str, batch_size: int, *, text: Any = None,
                 info: ModelInfo | None = None) -> None:
        self.towers = towers
        self._towers_lock = threading.Lock()
        self.text = text                    # an OnnxText, or None: the torch text tower
        self.source = source
        self.key = source.key
        self.device = device
        self.precision = precision
        self.batch_size = batch_size
        self.use_info(info or (text.info if text is not None else None) or towers.info())

    def use_info(self, info: ModelInfo) -> None:
        """Take the model's dimension, image size and logit scale/bias from ``info``."""
        self.dim = info.dim
        self.image_size = info.image_size
        self.logit_scale = info.logit_scale
        self.logit_bias = info.logit_bias

    @classmethod
    def whole(cls, model: Any, preprocess: Callable[[Image.Image], torch.Tensor],
              tokenizer: Callable[[Sequence[str]], torch.Tensor], source: ModelSource,
              device: str, precision: str, batch_size: int) -> Encoder:
        """An encoder over a model already loaded with both towers."""
        return cls(TorchTowers.of_model(model, preprocess, tokenizer, device), source, device,
                   precision, batch_size)

    def __repr__(self) -> str:
        return f"Encoder({self.key}, {self.device}, {self.precision}, dim={self.dim})"

    @property
    def dtype(self) -> torch.dtype:
        return torch_dtype(self.precision)

    @property
    def preprocess(self) -> Callable[[Image.Image], torch.Tensor]:
        return self._torch().preprocess

    @property
    def tokenizer(self) -> Callable[[Sequence[str]], torch.Tensor]:
        return self._torch().tokenizer

    def tower(self, name: str) -> Any:
        """The torch model whose ``name`` tower ("image" or "text") is loaded."""
        return self._torch().get(name)

    def load(self, name: str) -> None:
        """Load a tower now (a client that wants its errors, and its time, up front)."""
        if not (name == "text" and self.text is not None):
            self.tower(name)

    def loaded(self) -> tuple[str, ...]:
        """The torch towers in memory now ("image", "text")."""
        return self.towers.loaded() if self.towers is not None else ()

    def release(self, name: str) -> None:
        """Free a tower's weights; a later use loads them again."""
        if self.towers is not None:
            self.towers.release(name)

    def _torch(self) -> TorchTowers:
        """The torch towers; an encoder whose text side is exported (ONNX) picks its device
        and precision only now, when a photo first needs embedding."""
        with self._towers_lock:
            if self.towers is None:
                self.device = pick_device(self.device or None)
                self.precision = pick_precision(self.device, self.precision or None)
                self.towers = _torch_towers(self.source, self.device, self.precision)
        return self.towers

    def encode_images(self, batch: torch.Tensor) -> np.ndarray:
        """Preprocessed images (N, 3, H, W) → unit vectors (N, dim) float32."""
        import torch

        model = self.tower("image")
        # No lock: forward passes of an eval-mode model share no state, so a query's text
        # encoding runs beside an indexing batch instead of waiting for it.
        from photosearch.core.gpu import to_device

        with torch.inference_mode():
            x = to_device(batch, self.device, self.dtype)
            out = model.encode_image(x)
        return _normalise(out)

    def encode_texts(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if len(texts) > TEXT_BATCH:
            return np.concatenate([self.encode_texts(texts[i:i + TEXT_BATCH])
                                   for i in range(0, len(texts), TEXT_BATCH)])
        if self.text is not None:
            return self.text.encode(texts)
        import torch

        model = self.tower("text")
        with torch.inference_mode():
            tokens = self.tokenizer(list(texts)).to(self.device)
            out = _encode_text_short(model, tokens)
            if out is None:
                out = model.encode_text(tokens)
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
                 allow_download: bool = True, progress: ProgressFn = noop,
                 towers: Sequence[str] = ("image", "text")) -> Encoder:
    """Load the model described by ``source``; raises ``ModelUnavailable`` with advice.

    ``towers`` are loaded now (their errors raised here); the others load when first
    used. An index run asks for ``("image",)``, a query for ``("text",)``: where the text
    side was exported (``text_onnx``), a text-only load imports no torch at all."""
    if "image" not in towers and device in (None, "cpu"):
        from photosearch.core import text_onnx

        text = text_onnx.load(source)
        if text is not None:     # half a second: said when done
            progress(Progress(LOADING, 0, 1, message=source.label))
            progress(Progress(LOADING, 1, 1, message=source.label))
            return Encoder(None, source, device or "", precision or "", batch_size or 32,
                           text=text)
    checkpoint = _local_files(source, allow_download, progress)
    from photosearch.core.checkpoint import check_weights

    check_weights(source.open_clip_name, source.checkpoint)   # seconds, not a full load
    device = pick_device(device)
    precision = pick_precision(device, precision)
    progress(Progress(LOADING, 0, 1, message=source.label))
    if batch_size is None:
        from photosearch.core.gpu import batch_size as default_batch

        batch_size = default_batch(device)
    encoder = Encoder(_torch_towers(source, device, precision, checkpoint), source, device,
                      precision, batch_size, info=_NO_INFO)
    try:
        for tower in towers:
            encoder.load(tower)
        info = encoder._torch().info()
    except ModelUnavailable:
        raise
    except Exception as e:   # the tokenizer, or a model that loads but does not run
        raise _load_failed(source, checkpoint or source.open_clip_name, e) from e
    encoder.use_info(info)
    progress(Progress(LOADING, 1, 1, message=source.label))
    return encoder


# Filled in by ``load_encoder`` once a tower is loaded.
_NO_INFO = ModelInfo(0, 224, 1.0, None)


def _torch_towers(source: ModelSource, device: str, precision: str,
                  checkpoint: str | None = None) -> TorchTowers:
    """Tower loaders for ``source`` (nothing is loaded until a tower is asked for)."""
    dtype = torch_dtype(precision)
    if checkpoint is None and source.preset is not None:
        checkpoint = source.checkpoint or find_cached_weights(source.preset)
    def build(towers: tuple[str, ...]) -> tuple[Any, Any]:
        try:
            if device == "cpu":     # what importing torch read of its CUDA libraries
                import open_clip  # noqa: F401

                from photosearch.core.torch_runtime import page_out_cuda_libraries

                page_out_cuda_libraries()
            model, preprocess = _create(source, checkpoint, dtype, towers)
            if "image" in towers:   # ToTensor/Normalize in numpy: torch's pool spun for them
                from photosearch.core.preprocess import fast_preprocess

                preprocess = fast_preprocess(preprocess)
            return model, preprocess
        except ModelUnavailable:
            raise
        except Exception as e:
            raise _load_failed(source, checkpoint or source.open_clip_name, e) from e

    return TorchTowers(build, lambda: _tokenizer(source), device)


def _load_failed(source: ModelSource, needed: str, e: Exception) -> ModelUnavailable:
    message = f"Could not load model {source.label} from {needed}: {_short(e)}"
    hf_text = _hf_text_tower(source)
    if hf_text and source.preset is None:
        message += (f" This model also needs the '{hf_text}' tokenizer and text config "
                    "from Hugging Face: start it once online, or copy a Hugging Face "
                    "cache that has them into HF_HOME.")
    return ModelUnavailable(message, needed=needed)


def _create(source: ModelSource, checkpoint: str | None, dtype: torch.dtype,
            towers: tuple[str, ...]) -> tuple[Any, Any]:
    from photosearch.core.weights import create_model

    if checkpoint is None and source.open_clip_name.startswith("local-dir:"):
        folder = Path(source.open_clip_name.removeprefix("local-dir:"))
        checkpoint = next(str(folder / n) for n in WEIGHT_FILES if (folder / n).is_file())
    return create_model(source.open_clip_name, checkpoint, dtype, towers,
                        **preprocess_overrides(source))


def _local_files(source: ModelSource, allow_download: bool, progress: ProgressFn) -> str | None:
    """The checkpoint to load, once every file a preset needs (weights, tokenizer) is on
    this computer: found in the cache, or downloaded where allowed. A missing file is
    named in the error together with every other missing one."""
    preset = source.preset
    if preset is None:
        return source.checkpoint
    missing = missing_files(preset, weights=source.checkpoint is None)
    if missing:
        if not (allow_download and network_allowed()):
            raise ModelUnavailable(_missing_message(preset, missing),
                                   needed=file_url(preset, missing[0]),
                                   missing=tuple(file_url(preset, n) for n in missing))
        download_files(preset, missing, progress)
    return source.checkpoint or find_cached_weights(preset)


def preprocess_overrides(source: ModelSource) -> dict[str, Any]:
    """The preset's own image transform (resize mode, mean/std, interpolation).

    open_clip takes these from its pretrained tag's config, but only when it downloads by
    tag: given a checkpoint file it falls back to CLIP's defaults (shortest side + centre
    crop, OpenAI mean/std), which is wrong for SigLIP (squash, mean/std 0.5)."""
    if source.preset is None:
        return {}
    import open_clip

    cfg = open_clip.get_pretrained_cfg(source.preset.arch, source.preset.tag) or {}
    names = {"mean": "image_mean", "std": "image_std", "interpolation": "image_interpolation",
             "resize_mode": "image_resize_mode"}
    return {arg: cfg[key] for key, arg in names.items() if key in cfg}


def _tokenizer(source: ModelSource) -> Callable[[Sequence[str]], torch.Tensor]:
    """open_clip's tokenizer for the model; a preset's Hugging Face tokenizer is read from
    the cached files' folder, so loading it never reaches for the network."""
    import open_clip

    preset = source.preset
    if preset is None or not preset.files:
        return open_clip.get_tokenizer(source.open_clip_name)
    folder = os.path.dirname(cached_file(preset.hf_repo, preset.files[0]) or "")
    text_cfg = (open_clip.get_model_config(preset.arch) or {}).get("text_cfg", {})
    return open_clip.tokenizer.HFTokenizer(
        folder, context_length=text_cfg.get("context_length"),
        **text_cfg.get("tokenizer_kwargs", {}))


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
