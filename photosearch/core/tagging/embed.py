"""Text embeddings of tag words: prompt ensembles, computed once per model, kept on disk.

One word alone embeds poorly with CLIP (it was trained on captions), so each tag is
written into several caption-like templates and the unit vectors are averaged (the prompt
ensembling of the CLIP paper, +1–3 points of zero-shot accuracy there).

A multilingual model (its preset's languages include Russian) also embeds each tag's
Russian label with Russian templates, and the tag's vector is the normalised sum of the
two: the tag is then found by what it means in either language, not by one wording. On
the multilingual SigLIP fixture (benchmarks/bench_tags_multilingual.py, 720 photos) a
photo's two best tags were exactly its colour and shape for 79.0 % with both against
77.1 % with English prompts alone (Russian alone: 47.9 %); on the English-only CLIP
fixture, adding the labels would cost 97.7 % → 86.6 %, so English models never do.

Embedding the shipped vocabulary (1,921 words × 7 templates) takes about 100 s on a
2-core CPU with CLIP ViT-B/32; with the default SigLIP 2, whose text tower reads its whole
64-token context, and its Russian labels (23,052 prompts) about 2,100 CPU-seconds in bf16
(``benchmarks/bench_first_index.py``: 96 % of a first run's CPU). So it is one progress
stage with a rate and time left, and the vectors are cached in the user cache directory
(``paths.cache_dir``),
shared by every library, in a file keyed by the model key and the template set: another
model (or template set) uses another file. Inside the file vectors are kept per word, so
the vocabulary's hash is in effect part of the key word by word: a custom word embeds
that word only, and a library with other custom words still shares the shipped ones.
The vocabulary hash decides when auto tags are out of date (see ``tagger``).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from photosearch.core.atomic import atomic_write_path
from photosearch.core.model import Encoder
from photosearch.core.paths import cache_dir, file_name_for
from photosearch.core.progress import Progress, ProgressFn, RateMeter, check, noop
from photosearch.core.tagging.vocab import Vocabulary

TEMPLATES: tuple[str, ...] = (
    "a photo of a {}.",
    "a photo of the {}.",
    "a photo of {}.",
    "a picture of {}.",
    "a close-up photo of a {}.",
    "a good photo of the {}.",
    "{}",
)

# Russian labels are nouns in the nominative ("пляж", "красный автомобиль"): a colon
# keeps every template grammatical without declining the label.
RU_TEMPLATES: tuple[str, ...] = (
    "фото: {}.",
    "на фото: {}.",
    "снимок: {}.",
    "изображение: {}.",
    "{}",
)

PHASE = "embedding tag words"
# Words between progress reports: a first run shows its rate and time left within
# ~10-20 s on a 2-core CPU (32 words are 224 English prompts), and a cancel stops soon.
PROGRESS_WORDS = 32
SAVE_WORDS = 256      # words between saves of the cache (a few MB, rewritten whole)


def _templates_key(templates: Sequence[str]) -> str:
    return hashlib.sha256("\x1f".join(templates).encode("utf-8")).hexdigest()[:10]


def text_vector_dir() -> Path:
    return cache_dir() / "tag-vectors"


def cache_path(folder: Path | None, model_key: str,
               templates: Sequence[str] = TEMPLATES) -> Path:
    folder = folder if folder is not None else text_vector_dir()
    return folder / f"tags-{file_name_for(model_key)}-{_templates_key(templates)}.npz"


def adopt(old_folder: Path) -> None:
    """Move a library's own text vectors (older versions kept them inside the library)
    to the shared cache, where it has none of that name, so nothing is embedded twice."""
    if not old_folder.is_dir():
        return
    for old in old_folder.glob("tags-*.npz"):
        new = text_vector_dir() / old.name
        if not new.exists():
            atomic_write_path(new, lambda tmp, old=old: shutil.copyfile(old, tmp))
        old.unlink(missing_ok=True)
    if not any(old_folder.iterdir()):
        os.rmdir(old_folder)


def multilingual(encoder: Encoder) -> bool:
    """Whether the model reads Russian, so tags also embed their Russian labels."""
    preset = encoder.source.preset
    return preset is not None and "ru" in preset.languages


def vocabulary_vectors(encoder: Encoder, vocab: Vocabulary, folder: Path | None = None, *,
                       progress: ProgressFn = noop, cancel: threading.Event | None = None,
                       ) -> np.ndarray:
    """One unit vector per term of ``vocab``: its English prompt ensemble, plus its Russian
    one for a multilingual model (the normalised sum of both). Progress is one stage over
    both languages: the words still to embed, with a rate and the time left."""
    stage = _Stage(progress, missing_vocabulary(encoder, vocab, folder))
    vecs = tag_embeddings(encoder, vocab.tags, folder, cancel=cancel, stage=stage)
    rows = [i for i, t in enumerate(vocab.terms) if t.ru] if multilingual(encoder) else []
    if not rows:
        return vecs
    ru = tag_embeddings(encoder, [vocab.terms[i].ru for i in rows], folder,
                        templates=RU_TEMPLATES, cancel=cancel, stage=stage)
    vecs[rows] += ru
    vecs[rows] /= np.linalg.norm(vecs[rows], axis=1, keepdims=True).clip(1e-12)
    return vecs


def missing_vocabulary(encoder: Encoder, vocab: Vocabulary, folder: Path | None = None) -> int:
    """How many texts ``vocabulary_vectors`` would embed now (cheap: reads the cache)."""
    n = missing_words(encoder, vocab.tags, folder)
    if multilingual(encoder):
        n += missing_words(encoder, [t.ru for t in vocab.terms if t.ru], folder,
                           templates=RU_TEMPLATES)
    return n


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


@dataclass
class _Stage:
    """The progress of one embedding stage, which may span calls (English prompts, then
    Russian): words done of all it will embed, at what rate, and the time left."""

    progress: ProgressFn
    total: int
    done: int = 0
    meter: RateMeter = field(default_factory=lambda: RateMeter(window=30.0))

    def report(self, words: int = 0) -> None:
        self.done += words
        rate = self.meter.update(self.done)
        self.progress(Progress(PHASE, self.done, self.total, rate,
                               self.meter.eta(rate, self.total - self.done)))


def tag_embeddings(encoder: Encoder, words: Sequence[str], folder: Path | None = None, *,
                   templates: Sequence[str] = TEMPLATES, progress: ProgressFn = noop,
                   cancel: threading.Event | None = None, stage: _Stage | None = None,
                   ) -> np.ndarray:
    """Vectors of ``words`` in order, from the cache where it has them, computed (and
    saved) where it does not. Cancelling keeps the words embedded so far in the cache."""
    path = cache_path(folder, encoder.key, templates)
    with _file_lock:
        known = _read(path, encoder.dim)
        missing = [w for w in dict.fromkeys(words) if w not in known]
        stage = stage or _Stage(progress, len(missing))
        if missing and stage.done == 0:
            stage.report()
        unsaved = 0
        try:
            for start in range(0, len(missing), PROGRESS_WORDS):
                check(cancel)
                part = missing[start:start + PROGRESS_WORDS]
                known.update(zip(part, ensemble(encoder, part, templates), strict=True))
                unsaved += len(part)
                if unsaved >= SAVE_WORDS:
                    _write(path, known)
                    unsaved = 0
                stage.report(len(part))
        finally:
            if unsaved:
                _write(path, known)
    if not words:
        return np.zeros((0, encoder.dim), np.float32)
    return np.stack([known[w] for w in words]).astype(np.float32)


def missing_words(encoder: Encoder, words: Sequence[str], folder: Path | None = None, *,
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
