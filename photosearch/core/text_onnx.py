"""The text tower exported once per model to ONNX, so a query needs neither torch nor
open_clip.

A fresh ``photosearch search`` process used to spend 2–4 s importing torch and open_clip
(0.9 GB before any weight) and seconds more loading the text tower; with the export it
imports onnxruntime and ``tokenizers`` (~0.5 s, ~80 MB) and opens one session. Measured in
``benchmarks/bench_cold_query.py`` against rclip, which does the same.

What is exported: the text tower *after* its token table. The table is a lookup (a query
reads ten of its rows), and for SigLIP 2 it is 256k × 768, 70 % of the tower: it is kept
beside the graph as a half-precision ``.npy`` that a query memory-maps, so only the rows
a text uses are ever read, and the graph (fp32) takes the looked-up rows as its input.
The tokenizers are ``text_tokens``' light ones.

The export is checked when it is made: the light tokenizer must give open_clip's ids on
probe texts, and the graph torch's vectors (cosine ≥ 0.999); otherwise nothing is written
and queries keep using torch. It lives in the user cache directory, one folder per model
key (the key names the weights), written whole or not at all; a folder that cannot be
read, or a missing onnxruntime, means torch again — never an error. The environment
variable ``PHOTOSEARCH_NO_ONNX`` turns it off (neither made nor used): the tests run the
torch path with it, and the text_onnx tests the exported one.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from photosearch.core.paths import cache_dir, file_name_for
from photosearch.core.progress import Progress, ProgressFn, noop
from photosearch.core.torch_runtime import return_freed_memory
from photosearch.core.towers import ModelInfo

if TYPE_CHECKING:  # pragma: no cover
    from photosearch.core.model import Encoder, ModelSource

log = logging.getLogger(__name__)

FORMAT = 2
PROBES = ("a photo", "Dog on a BEACH at sunset!", "кот на подоконнике", "hot_air balloon",
          "café & crème brûlée", "x " * 90, "")
MIN_COSINE = 0.999
PHASE = "preparing quick text search"
# The export's steps, reported as they finish: the text tower loaded in fp32, the graph
# traced, optimised and saved, and its vectors checked against torch's.
STEPS = 4
WEIGHTS = "text.weights"    # the graph's weights beside text.onnx (ONNX external data)


def export_dir(key: str) -> Path:
    return cache_dir() / "text-models" / f"{file_name_for(key)}-v{FORMAT}"


class OnnxText:
    """The exported text side: tokens → table rows (numpy) → graph (onnxruntime)."""

    def __init__(self, folder: Path) -> None:
        import onnxruntime as ort

        meta = json.loads((folder / "meta.json").read_text())
        if meta.get("format") != FORMAT:
            raise ValueError("another export format")
        self.info = ModelInfo(**meta["info"])
        self.tokenizer = _tokenizer(folder, meta["tokenizer"])
        self.table = np.load(folder / "table.npy", mmap_mode="r")
        # The graph was optimised when exported: optimising it again and pre-packing its
        # weights would take 2-3 s and another copy of them (+0.56 GB for SigLIP 2) to
        # answer one query. Measured on the random SigLIP 2 export, loaded 2-core machine:
        # session 2.96 s -> ~0.8 s.
        options = ort.SessionOptions()
        options.log_severity_level = 3
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
        options.add_session_config_entry("session.disable_prepacking", "1")
        self.session = ort.InferenceSession(str(folder / "text.onnx"), options,
                                            providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        tokens = self.tokenizer(list(texts))
        feed = {"embedded": self.table[tokens].astype(np.float32)}
        if "tokens" in self.inputs:
            feed["tokens"] = tokens
        (out,) = self.session.run(None, feed)
        out = out.astype(np.float32)
        return out / np.linalg.norm(out, axis=1, keepdims=True).clip(1e-12)


def exported(key: str) -> bool:
    return (export_dir(key) / "meta.json").is_file()


def usable(key: str) -> bool:
    """Whether ``load`` would try the export (cheap: no file is read)."""
    return exported(key) and not os.environ.get("PHOTOSEARCH_NO_ONNX")


def load(source: ModelSource) -> OnnxText | None:
    """The model's exported text side, or None (not exported, no onnxruntime, damaged)."""
    folder = export_dir(source.key)
    if not usable(source.key):
        return None
    try:
        return OnnxText(folder)
    except Exception as e:  # ImportError, a damaged file: torch will do
        log.info("exported text model of %s not used: %s", source.key, e)
        return None


def _tokenizer(folder: Path, spec: dict[str, Any]):
    from photosearch.core.text_tokens import ClipBpe, HfTokens

    if spec["kind"] == "clip":
        return ClipBpe(_open_clip_vocab(), spec["context_length"], spec["clean"])
    return HfTokens(folder / "tokenizer.json", spec["context_length"], spec["clean"],
                    spec["pad_id"], spec.get("strip_sep_id"))


def _open_clip_vocab() -> Path:
    """open_clip's BPE vocabulary file, found without importing open_clip."""
    from importlib.util import find_spec

    spec = find_spec("open_clip")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("open_clip is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "bpe_simple_vocab_16e6.txt.gz"


# -- making the export (torch, once per model) ---------------------------------------------
_export_lock = threading.Lock()
_failed: set[str] = set()      # keys whose export failed in this process: not retried


def ensure_exported(encoder: Encoder, progress: ProgressFn = noop) -> bool:
    """Export the text side of ``encoder``'s model unless it is there, and switch the
    encoder to it; True when it is in use. Needs torch, open_clip and onnx, and loads a
    text tower of its own in fp32 (a caller short of memory releases the encoder's towers
    first); never raises for a model it cannot export (it logs why, and does not try
    again in this process)."""
    if os.environ.get("PHOTOSEARCH_NO_ONNX") or encoder.key in _failed:
        return False
    with _export_lock:
        if not exported(encoder.key) and not _export_once(encoder, progress):
            _failed.add(encoder.key)
            return False
    text = load(encoder.source)
    if text is not None:
        encoder.text = text
        encoder.release("text")
    return text is not None


def _export_once(encoder: Encoder, progress: ProgressFn) -> bool:
    try:
        import onnx  # noqa: F401  (torch's exporter needs it)
        import onnxruntime  # noqa: F401
    except ImportError as e:
        log.info("text model not exported: %s", e)
        return False
    progress(Progress(PHASE, 0, STEPS))
    folder = export_dir(encoder.key)
    try:
        with tempfile.TemporaryDirectory(dir=_parent(folder)) as tmp:
            _export(encoder, Path(tmp), lambda done: progress(Progress(PHASE, done, STEPS)))
            os.replace(tmp, folder)
            os.mkdir(tmp)             # for TemporaryDirectory's clean-up
    except Exception as e:
        log.warning("text model of %s not exported: %s", encoder.key, e)
        return exported(encoder.key)  # another process may have made it meanwhile
    return True


def _parent(folder: Path) -> Path:
    folder.parent.mkdir(parents=True, exist_ok=True)
    return folder.parent


def _export(encoder: Encoder, out: Path, step: Callable[[int], None]) -> None:
    """Write the export into ``out``; ``step(n)`` when its n-th of ``STEPS`` is done."""
    import torch

    from photosearch.core.model import _torch_towers

    towers = _torch_towers(encoder.source, "cpu", "fp32")
    model = towers.get("text")
    step(1)
    spec = _tokenizer_spec(encoder.source, towers.tokenizer, out)
    light = _tokenizer(out, spec)
    for probe in PROBES:
        want = towers.tokenizer([probe]).numpy()
        if not np.array_equal(light([probe]), want):
            raise ValueError(f"the light tokenizer differs from open_clip's on {probe!r}")
    tokens = towers.tokenizer(list(PROBES))
    with torch.inference_mode():
        reference = model.encode_text(tokens).float().numpy()
    table_owner, name = _token_table(model)
    table = getattr(table_owner, name)
    np.save(out / "table.npy", table.weight.detach().to(torch.float16).numpy())
    given = _given()
    setattr(table_owner, name, given)       # the graph starts after the table
    del table
    return_freed_memory()
    _trace(model, given, tokens, out / "traced.onnx")
    step(2)
    del model, towers, table_owner          # before onnxruntime reads the graph back
    return_freed_memory()
    _optimise(out / "traced.onnx", out / "text.onnx")
    return_freed_memory()   # the optimising session's ~0.6 GB, before the check's own
    step(3)
    info = {"dim": encoder.dim, "image_size": encoder.image_size,
            "logit_scale": encoder.logit_scale, "logit_bias": encoder.logit_bias}
    (out / "meta.json").write_text(json.dumps(
        {"format": FORMAT, "key": encoder.key, "info": info, "tokenizer": spec}))
    got = OnnxText(out).encode(list(PROBES))
    ref = reference / np.linalg.norm(reference, axis=1, keepdims=True).clip(1e-12)
    cosine = float((got * ref).sum(axis=1).min())
    if cosine < MIN_COSINE:
        raise ValueError(f"exported vectors differ from torch's (cosine {cosine:.5f})")
    step(4)


def _token_table(model: Any) -> tuple[Any, str]:
    """(module, attribute) of the text tower's token table: CLIP keeps it on the model,
    custom text towers (SigLIP) on ``model.text``."""
    import torch

    for owner in (model, getattr(model, "text", None)):
        if isinstance(getattr(owner, "token_embedding", None), torch.nn.Embedding):
            return owner, "token_embedding"
    raise ValueError("no token table of a known kind (e.g. a Hugging Face text tower)")


def _tokenizer_spec(source: ModelSource, tokenizer: Any, out: Path) -> dict[str, Any]:
    """What ``text_tokens`` needs to tokenize as open_clip's ``tokenizer`` does."""
    from open_clip.tokenizer import HFTokenizer, SimpleTokenizer

    clean = getattr(tokenizer.clean_fn, "__name__", "").removeprefix("_clean_")
    if isinstance(tokenizer, SimpleTokenizer):
        if tokenizer.reduction_fn is not None or len(tokenizer.all_special_ids) != 2:
            raise ValueError("a CLIP tokenizer with options the light one lacks")
        return {"kind": "clip", "context_length": tokenizer.context_length, "clean": clean}
    if isinstance(tokenizer, HFTokenizer) and not tokenizer.tokenizer_mode:
        hf = tokenizer.tokenizer
        hf.backend_tokenizer.save(str(out / "tokenizer.json"))
        return {"kind": "hf", "context_length": tokenizer.context_length, "clean": clean,
                "pad_id": hf.pad_token_id or 0,
                "strip_sep_id": hf.sep_token_id if tokenizer.strip_sep_token else None}
    raise ValueError(f"no light tokenizer for {type(tokenizer).__name__}")


def _trace(model: Any, given: Any, tokens: Any, path: Path) -> None:
    """Export ``encode_text`` from looked-up rows: ``given`` stands in for the table and
    hands the graph's ``embedded`` input on (the ids stay an input, for end-of-text
    pooling).

    The graph is traced without its weights, which are then written beside it one tensor
    at a time (``_attach_weights``): torch's exporter, given the weights, holds about four
    copies of them at once (1.3 GB for SigLIP 2's text tower)."""
    import torch

    class FromRows(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, tokens: Any, embedded: Any) -> Any:
            given.value = embedded
            return self.model.encode_text(tokens)

    owner = getattr(model, "text", model)
    rows = torch.zeros(tokens.shape[0], tokens.shape[1], owner.positional_embedding.shape[-1])
    module = FromRows().eval()
    # The TorchScript exporter (rclip's too) needs no onnxscript; its deprecation and
    # indexing notes are not ours to act on: the result is checked against torch after.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(module, (tokens, rows), str(path),
                          input_names=["tokens", "embedded"], output_names=["vector"],
                          dynamic_axes={"tokens": {0: "batch"}, "embedded": {0: "batch"},
                                        "vector": {0: "batch"}},
                          opset_version=18, dynamo=False, export_params=False,
                          do_constant_folding=False)
    _attach_weights(path, module.state_dict(), path.with_suffix(".traced-weights"))


def _attach_weights(path: Path, state: dict[str, Any], weights: Path) -> None:
    """Turn the graph inputs that are ``state``'s tensors into initializers stored in
    ``weights`` (ONNX external data), written one tensor at a time."""
    import onnx
    from onnx.helper import tensor_dtype_to_np_dtype

    graph_model = onnx.load(str(path))      # the graph alone: a few hundred kB
    graph = graph_model.graph
    offset = 0
    with open(weights, "wb") as out:
        for given in [i for i in graph.input if i.name in state]:
            elem_type = given.type.tensor_type.elem_type
            array = np.ascontiguousarray(state[given.name].detach().cpu().numpy(),
                                         dtype=tensor_dtype_to_np_dtype(elem_type))
            tensor = onnx.TensorProto(name=given.name, data_type=elem_type,
                                      dims=array.shape)
            offset += -offset % 4096          # page-aligned, as onnxruntime maps them
            out.seek(offset)
            out.write(array.tobytes())
            tensor.data_location = onnx.TensorProto.EXTERNAL
            for key, value in (("location", weights.name), ("offset", offset),
                               ("length", array.nbytes)):
                tensor.external_data.add(key=key, value=str(value))
            offset += array.nbytes
            graph.initializer.append(tensor)
            graph.input.remove(given)
    onnx.save(graph_model, str(path))


def _optimise(traced: Path, final: Path) -> None:
    """onnxruntime's graph optimisations (fusions), done once here and saved, so that a
    query's session skips them. The saved graph uses only standard and onnxruntime's own
    operators, not this machine's layouts (those are the "all" level, left out)."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.log_severity_level = 3
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
    options.add_session_config_entry("session.disable_prepacking", "1")
    options.optimized_model_filepath = str(final)
    # the weights beside the graph, as traced: one copy in memory while saving, and
    # memory-mapped by a query's session (aligned to pages)
    options.add_session_config_entry(
        "session.optimized_model_external_initializers_file_name", WEIGHTS)
    options.add_session_config_entry(
        "session.optimized_model_external_initializers_min_size_in_bytes", "1024")
    ort.InferenceSession(str(traced), options, providers=["CPUExecutionProvider"])
    traced.unlink()
    traced.with_suffix(".traced-weights").unlink(missing_ok=True)


def _given() -> Any:
    """A module that returns what it was last handed (``.value``), whatever its input."""
    import torch

    class Given(torch.nn.Module):
        value: Any = None

        def forward(self, _tokens: Any) -> Any:
            return self.value

    return Given()
