"""Text embeddings of tag words: prompt ensembles, computed once per model, kept on disk.

One word alone embeds poorly with CLIP (it was trained on captions), so each tag is
written into several caption-like templates and the unit vectors are averaged (the prompt
ensembling of the CLIP paper, +1–3 points of zero-shot accuracy there).

Embedding a 4,500-word vocabulary with seven templates takes a few minutes on a CPU, so
the vectors are cached under ``LibraryLayout.text_cache`` in a file keyed by the model
key and the template set: another model (or template set) uses another file, so a model
change recomputes them. Inside the file vectors are kept per word, so adding one custom
word embeds that word only; the vocabulary hash decides when auto tags are out of date
(see ``tagger``), not when embeddings are.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from photosearch.core.atomic import atomic_write_path
from photosearch.core.model import Encoder
from photosearch.core.paths import file_name_for
from photosearch.core.progress import Progress, ProgressFn, check, noop

TEMPLATES: tuple[str, ...] = (
    "a photo of a {}.",
    "a photo of the {}.",
    "a photo of {}.",
    "a picture of {}.",
    "a close-up photo of a {}.",
    "a good photo of the {}.",
    "{}",
)

_CHUNK = 256          # words embedded between progress reports and cache saves


def _templates_key(templates: Sequence[str]) -> str:
    return hashlib.sha256("\x1f".join(templates).encode("utf-8")).hexdigest()[:10]


def cache_path(folder: Path, model_key: str, templates: Sequence[str] = TEMPLATES) -> Path:
    return folder / f"tags-{file_name_for(model_key)}-{_templates_key(templates)}.npz"


def ensemble(encoder: Encoder, words: Sequence[str],
             templates: Sequence[str] = TEMPLATES) -> np.ndarray:
    """Unit vectors (len(words), dim): the normalised mean of each word's prompt vectors."""
    if not words:
        return np.zeros((0, encoder.dim), np.float32)
    prompts = [t.format(w) for w in words for t in templates]
    vecs = encoder.encode_texts(prompts).reshape(len(words), len(templates), -1).mean(axis=1)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True).clip(1e-12)
    return vecs.astype(np.float32)


_file_lock = threading.Lock()


def tag_embeddings(encoder: Encoder, words: Sequence[str], folder: Path, *,
                   templates: Sequence[str] = TEMPLATES, progress: ProgressFn = noop,
                   cancel: threading.Event | None = None) -> np.ndarray:
    """Vectors of ``words`` in order, from the cache where it has them, computed (and
    saved) where it does not."""
    path = cache_path(folder, encoder.key, templates)
    with _file_lock:
        known = _read(path, encoder.dim)
        missing = [w for w in dict.fromkeys(words) if w not in known]
        for start in range(0, len(missing), _CHUNK):
            check(cancel)
            progress(Progress("embedding tag words", start, len(missing)))
            part = missing[start:start + _CHUNK]
            known.update(zip(part, ensemble(encoder, part, templates), strict=True))
            _write(path, known)
        if missing:
            progress(Progress("embedding tag words", len(missing), len(missing)))
    if not words:
        return np.zeros((0, encoder.dim), np.float32)
    return np.stack([known[w] for w in words]).astype(np.float32)


def missing_words(encoder: Encoder, words: Sequence[str], folder: Path, *,
                  templates: Sequence[str] = TEMPLATES) -> int:
    """How many of ``words`` the cache lacks for ``encoder`` (cheap: reads the cache)."""
    known = _read(cache_path(folder, encoder.key, templates), encoder.dim)
    return sum(1 for w in dict.fromkeys(words) if w not in known)


def _read(path: Path, dim: int) -> dict[str, np.ndarray]:
    try:
        with np.load(path, allow_pickle=False) as data:
            words, vecs = data["words"], data["vectors"]
    except (OSError, ValueError, KeyError):
        return {}              # missing or damaged: recompute, never trust half a file
    if vecs.ndim != 2 or vecs.shape[1] != dim or len(words) != len(vecs):
        return {}
    return dict(zip((str(w) for w in words), vecs, strict=True))


def _write(path: Path, known: dict[str, np.ndarray]) -> None:
    words = np.array(list(known), dtype=np.str_)
    vecs = np.stack(list(known.values())).astype(np.float32)

    def produce(tmp: Path) -> None:
        with open(tmp, "wb") as f:
            np.savez(f, words=words, vectors=vecs)

    atomic_write_path(path, produce)
