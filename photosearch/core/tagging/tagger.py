"""Tagging photos from their stored vectors: one batch while indexing, or the whole library.

Tags come from the vectors the index already holds (a matrix product against the
vocabulary's text vectors), never from a second pass over the image files, so re-tagging
10k photos after a vocabulary change takes seconds.

The catalog's ``meta`` row ``tags.state`` records the model and vocabulary the automatic
tags were made with; when either differs, the tags are out of date and the next indexing
batch (or ``retag_library``) re-tags everything.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from photosearch.core.catalog import Catalog
from photosearch.core.library import Library
from photosearch.core.model import Encoder
from photosearch.core.progress import Progress, ProgressFn, check, noop
from photosearch.core.tagging.embed import (
    adopt,
    missing_vocabulary,
    multilingual,
    vocabulary_vectors,
)
from photosearch.core.tagging.select import SelectionParams, Selector, TagStats
from photosearch.core.tagging.store import bulk_writes, replace_auto_rows, rounded
from photosearch.core.tagging.vocab import Vocabulary, load_vocabulary

STATE_KEY = "tags.state"
REFERENCE_PHOTOS = 2000       # library photos sampled for the per-tag statistics
CHUNK = 4096                  # photos per matrix product and per write transaction
SELECTORS = 2                 # threads choosing a re-tag's tags while it writes ...
AHEAD = 3                     # ... and blocks read and being chosen ahead of the write


@dataclass
class TagRows:
    """The automatic tags chosen for ``photo_ids``, as aligned rows to store."""

    photo_ids: list[int]
    pids: list[int]
    tags: list[str]
    scores: list[float]

    def write(self, catalog: Catalog) -> int:
        """Replace the photos' automatic tags with these; the number of rows."""
        with catalog.write() as conn:
            replace_auto_rows(conn, self.photo_ids, self.pids, self.tags, self.scores)
        return len(self.pids)


class Tagger:
    """A vocabulary, its text vectors for one model, and the calibration that picks tags."""

    def __init__(self, vocab: Vocabulary, tag_vectors: np.ndarray, model_key: str,
                 stats: TagStats | None = None, params: SelectionParams | None = None,
                 *, russian: bool = False) -> None:
        self.vocab = vocab
        self.model_key = model_key
        self.russian = russian          # tag vectors include the Russian labels
        self.selector = Selector(tag_vectors, stats, params)
        self._names = np.array(vocab.tags, dtype=object)   # column -> tag, for whole rows

    @classmethod
    def load(cls, library: Library, encoder: Encoder, *, vocab: Vocabulary | None = None,
             params: SelectionParams | None = None, progress: ProgressFn = noop,
             cancel: threading.Event | None = None) -> Tagger:
        """The library's vocabulary (shipped + custom words) ready for ``encoder``; embeds
        the words the shared text cache lacks (minutes for a new model, instant afterwards,
        in any library)."""
        vocab = vocab if vocab is not None else load_vocabulary(library.settings.custom_tags)
        adopt(library.layout.text_cache)
        vectors = vocabulary_vectors(encoder, vocab, progress=progress, cancel=cancel)
        p = params or selection_params(library)
        stats = reference_stats(library.catalog, encoder.key, vectors, p.prior_photos)
        return cls(vocab, vectors, encoder.key, stats, p, russian=multilingual(encoder))

    @property
    def reference_count(self) -> int:
        return self.selector.stats.n

    def tags_for(self, vectors: np.ndarray) -> list[list[tuple[str, float]]]:
        """Each photo's chosen (tag, calibrated score) pairs, best first."""
        tags = self.vocab.tags
        return [[(tags[c], s) for c, s in row] for row in self.selector.select(vectors)]

    def apply(self, catalog: Catalog, ids: Sequence[int], vectors: np.ndarray) -> int:
        """Replace the automatic tags of these photos; returns the number of tags written."""
        return self.selected(ids, vectors).write(catalog)

    def selected(self, ids: Sequence[int], vectors: np.ndarray) -> TagRows:
        """The automatic tag rows of these photos, ready to write (no catalog access: a
        re-tag selects the next block in a worker while this one is written)."""
        owner, cols, vals = self.selector.select_flat(vectors)
        ids = [int(i) for i in ids]
        return TagRows(ids, np.asarray(ids, np.int64)[owner].tolist(),
                       self._names[cols].tolist(),
                       rounded(vals))

    def state(self) -> str:
        return _state(self.model_key, self.vocab, self.russian, self.selector.params)


def selection_params(library: Library) -> SelectionParams:
    """How tags are chosen in this library: the defaults with the user's threshold and
    tags-per-photo (``Settings.tag_selection``)."""
    return SelectionParams.from_dict(library.settings.tag_selection)


def _state(model_key: str, vocab: Vocabulary, russian: bool,
           params: SelectionParams) -> str:
    """What auto tags were made with; the Russian labels and the selection settings are
    named only when not the defaults, so other libraries keep the state older versions
    wrote."""
    state: dict[str, object] = {"model": model_key, "vocab": vocab.hash}
    if russian:
        state["labels"] = "en+ru"
    if params.changed():
        state["selection"] = params.changed()
    return json.dumps(state)


def reference_stats(catalog: Catalog, model_key: str, tag_vectors: np.ndarray,
                    prior_photos: float = 50.0) -> TagStats:
    """Per-tag score statistics over an even sample of the library's stored vectors."""
    ids = catalog.vector_ids(model_key)
    if len(ids) > REFERENCE_PHOTOS:
        picks = np.linspace(0, len(ids) - 1, REFERENCE_PHOTOS).round().astype(int)
        ids = [ids[i] for i in picks]
    if not ids or len(tag_vectors) == 0:
        return TagStats.from_scores(np.zeros((0, len(tag_vectors)), np.float32))
    _, vecs = catalog.vectors(model_key, ids)
    return TagStats.from_scores(vecs @ tag_vectors.T, prior_photos)


def tags_current(library: Library, encoder: Encoder, vocab: Vocabulary,
                 params: SelectionParams | None = None) -> bool:
    """Whether the automatic tags were made with this model, this vocabulary and these
    selection settings (the library's when not given)."""
    state = library.catalog.get_meta(STATE_KEY)
    return state == _state(encoder.key, vocab, multilingual(encoder),
                           params or selection_params(library))


@dataclass
class RetagReport:
    photos: int = 0
    tags: int = 0
    seconds: float = 0.0


def retag_library(library: Library, encoder: Encoder, *, tagger: Tagger | None = None,
                  progress: ProgressFn = noop, cancel: threading.Event | None = None,
                  ) -> RetagReport:
    """Re-tag every photo that has a vector for ``encoder`` (after a vocabulary or model
    change). Manual and removed tags stay; cancelling keeps the chunks done so far."""
    started = time.monotonic()
    tagger = tagger or Tagger.load(library, encoder, progress=progress, cancel=cancel)
    catalog = library.catalog
    ids = catalog.vector_ids(encoder.key)
    report = RetagReport()
    progress(Progress("tagging", 0, len(ids)))
    # This thread reads each block's vectors and writes its rows (the catalog's one
    # writer); ``SELECTORS`` workers choose the tags of the blocks ahead meanwhile
    # (numpy and SQLite release the GIL), at most ``AHEAD`` blocks in flight.
    starts = iter(range(0, len(ids), CHUNK))
    pending: deque[Future[TagRows]] = deque()
    with bulk_writes(catalog, len(ids)), \
            ThreadPoolExecutor(SELECTORS, thread_name_prefix="tag-select") as pool:

        def select_next() -> None:
            start = next(starts, None)
            if start is not None:
                chunk_ids, vectors = catalog.vectors(encoder.key, ids[start:start + CHUNK])
                pending.append(pool.submit(tagger.selected, chunk_ids.tolist(), vectors))

        for _ in range(AHEAD):
            select_next()
        try:
            while pending:
                check(cancel)
                rows = pending.popleft().result()
                select_next()
                report.tags += rows.write(catalog)
                report.photos += len(rows.photo_ids)
                progress(Progress("tagging", report.photos, len(ids)))
        finally:
            for future in pending:
                future.cancel()
    catalog.set_meta(STATE_KEY, tagger.state())
    report.seconds = time.monotonic() - started
    return report


class TagHook:
    """The ``BatchHook`` that tags newly indexed photos as each batch is committed.

    It keeps its ``Tagger`` for one indexing run. While the library is small, the per-tag
    statistics say little, so whenever the library has doubled since they were taken
    (up to ``REFERENCE_PHOTOS``) the hook re-tags everything with fresh ones: the total
    cost stays about twice one re-tag, and early photos are not stuck with poor tags."""

    def __init__(self, vocab: Vocabulary | None = None,
                 params: SelectionParams | None = None) -> None:
        self.vocab = vocab
        self.params = params
        self.tagger: Tagger | None = None
        self.photos = 0
        self.deferred = False

    def __call__(self, library: Library, encoder: Encoder, ids: np.ndarray,
                 vectors: np.ndarray) -> None:
        tagger = self.tagger
        if tagger is not None and tagger.model_key != encoder.key:
            tagger = None
        if tagger is None and (self.deferred or self._needs_embedding(library, encoder)):
            # A new model's vocabulary takes minutes to embed on a CPU: index first (search
            # works sooner), then embed it with progress and tag everything in ``finish``.
            self.deferred = True
            return
        if tagger is None:
            tagger = Tagger.load(library, encoder, vocab=self.vocab, params=self.params)
            self.tagger = tagger
            self.photos = tagger.reference_count
            if not tags_current(library, encoder, tagger.vocab, tagger.selector.params):
                retag_library(library, encoder, tagger=tagger)
            else:
                tagger.apply(library.catalog, ids.tolist(), vectors)
            return
        self.photos += len(ids)
        small = tagger.reference_count < REFERENCE_PHOTOS
        if small and self.photos >= 2 * max(tagger.reference_count, 1):
            self.tagger = Tagger.load(library, encoder, vocab=tagger.vocab, params=self.params)
            self.photos = self.tagger.reference_count
            retag_library(library, encoder, tagger=self.tagger)
            return
        tagger.apply(library.catalog, ids.tolist(), vectors)

    def _needs_embedding(self, library: Library, encoder: Encoder) -> bool:
        vocab = self.vocab if self.vocab is not None else load_vocabulary(
            library.settings.custom_tags)
        self.vocab = vocab
        adopt(library.layout.text_cache)
        return missing_vocabulary(encoder, vocab) > 0

    def finish(self, library: Library, encoder: Encoder, progress: ProgressFn = noop,
               cancel: threading.Event | None = None) -> None:
        """After the last batch: tag what was deferred, or bring out-of-date tags (another
        vocabulary or model) up to date; nothing to do for a library without vectors."""
        if self.tagger is not None and not self.deferred:
            return
        if not library.catalog.has_vectors(encoder.key):
            return
        vocab = self.vocab if self.vocab is not None else load_vocabulary(
            library.settings.custom_tags)
        if not self.deferred and tags_current(library, encoder, vocab, self.params):
            return
        if self.deferred or missing_vocabulary(encoder, vocab) > 0:
            # The words need the text tower (for SigLIP 2 three times the image tower):
            # the photos are embedded, so the image tower makes room (it reloads when
            # next needed) and the run's peak is one tower, not both.
            encoder.release("image")
        text_was_loaded = "text" in encoder.loaded()
        self.tagger = Tagger.load(library, encoder, vocab=vocab, params=self.params,
                                  progress=progress, cancel=cancel)
        if not text_was_loaded:
            # brought in for the words alone, now cached: the passes after this one (faces
            # decode photos again) would otherwise run with it (~0.45 GB for SigLIP 2)
            encoder.release("text")
        self.photos = self.tagger.reference_count
        retag_library(library, encoder, tagger=self.tagger, progress=progress, cancel=cancel)
        self.deferred = False
