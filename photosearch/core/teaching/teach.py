"""Teaching a tag from examples, relearning it, reviewing it, and keeping it current.

Everything here reads the vectors indexing stored (one pass over the catalog's
``embeddings`` of one model), learns in milliseconds, scores the library with one matrix
product and rewrites the tag's rows: about a second of CPU for 100k photos, most of it
reading the vectors (``benchmarks/bench_teach.py``).

A learned tag belongs to the model it was learned with. When the library's model changes,
``LearnedTagHook.finish`` relearns it from its examples' vectors in the new model (the
examples are photos, not vectors), once those photos have been indexed again.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from photosearch.core.catalog import Catalog
from photosearch.core.errors import NotInLibrary, UsageError
from photosearch.core.library import Library
from photosearch.core.model import Encoder
from photosearch.core.progress import ProgressFn, noop
from photosearch.core.tagging.vocab import normalise
from photosearch.core.teaching import store
from photosearch.core.teaching.learners import METHODS, learn

BACKGROUND = 2000       # library vectors that stand for "not the tag" (evenly spaced)


@dataclass(frozen=True)
class TeachReport:
    tag: str
    photos: int             # live photos that now carry the tag
    positive: int           # examples it was learned from
    negative: int
    method: str
    seconds: float


def photo_ids(catalog: Catalog, targets: Sequence[int | str]) -> list[int]:
    """Library photos by id or path; a path the library does not know raises."""
    out: list[int] = []
    for t in targets:
        if isinstance(t, int):
            out.append(t)
            continue
        photo = catalog.photo_at(t)
        if photo is None:
            raise NotInLibrary(f"Not a library photo: {os.path.abspath(t)}")
        out.append(photo.id)
    return out


def teach(library: Library, model_key: str, name: str, positive: Sequence[int | str],
          negative: Sequence[int | str] = (), *, method: str | None = None) -> TeachReport:
    """Add examples to the tag ``name`` (a new tag, or one taught before) and learn it
    again from all its examples; its photos are rewritten."""
    tag = normalise(name)
    if not tag:
        raise UsageError("A tag needs a name.")
    pos, neg = photo_ids(library.catalog, positive), photo_ids(library.catalog, negative)
    if not pos and store.learned_tag(library.catalog, tag) is None:
        raise UsageError(f"Teaching “{tag}” needs at least one photo that is it.")
    return relearn(library, model_key, tag, method=method, add=(pos, neg))


def relearn(library: Library, model_key: str, tag: str, *, method: str | None = None,
            add: tuple[Sequence[int], Sequence[int]] = ((), ())) -> TeachReport:
    """Learn ``tag`` from its examples (plus ``add``: positive, rejected) with the vectors
    of ``model_key`` and rewrite its photos. The method stays the tag's unless given."""
    started = time.monotonic()
    catalog = library.catalog
    known = store.learned_tag(catalog, tag)
    method = method or (known.method if known else None)
    if method is not None and method not in METHODS:
        raise UsageError(f"Unknown method {method!r}: one of {', '.join(METHODS)}.")
    ex = store.examples(catalog, tag)
    add_pos, add_neg = (set(map(int, a)) for a in add)
    positive = sorted((set(ex.positive) - add_neg) | add_pos)
    negative = sorted((set(ex.negative) - add_pos) | add_neg)
    ids, vectors = catalog.vectors(model_key)
    row = {int(pid): i for i, pid in enumerate(ids)}
    pos_rows = [row[p] for p in positive if p in row]
    if not pos_rows:
        raise NotInLibrary(f"The examples of “{tag}” have no vectors yet: index them first.")
    neg_rows = [row[p] for p in negative if p in row]
    background = vectors[np.linspace(0, len(ids) - 1, min(BACKGROUND, len(ids)))
                         .round().astype(int)]
    kwargs = {"method": method} if method else {}
    learned = learn(vectors[pos_rows], vectors[neg_rows], background, **kwargs)
    scores = learned.scores(vectors)
    chosen = scores >= learned.threshold
    chosen[pos_rows] = True
    chosen[neg_rows] = False
    margin = np.maximum(scores[chosen] - learned.threshold, 0.0)
    with catalog.write() as conn:
        store.save(conn, tag, model_key, learned, add_pos, add_neg)
        store.replace_photos(conn, tag, ids[chosen].tolist(), margin.tolist())
    return TeachReport(tag, store.carriers(catalog, tag), len(positive), len(negative),
                       learned.method, time.monotonic() - started)


def forget(library: Library, tag: str) -> bool:
    """Delete a learned tag with its examples and photos; False if there was none."""
    tag = normalise(tag)
    if store.learned_tag(library.catalog, tag) is None:
        return False
    with library.catalog.write() as conn:
        store.delete(conn, tag)
    return True


def review_candidates(library: Library, model_key: str, tag: str, k: int = 20) -> list[int]:
    """Photos to show the user next for ``tag``: not yet judged, the closest to the
    tag's threshold first (on either side), where one answer teaches the most."""
    catalog = library.catalog
    known = store.learned_tag(catalog, normalise(tag))
    if known is None or known.model != model_key:
        return []
    ex = store.examples(catalog, known.tag)
    judged = set(ex.positive) | set(ex.negative)
    ids, vectors = catalog.vectors(model_key)
    if not len(ids):
        return []
    margin = np.abs(known.learned.scores(vectors) - known.learned.threshold)
    order = np.argsort(margin, kind="stable")
    return [int(ids[i]) for i in order if int(ids[i]) not in judged][:k]


def apply_batch(catalog: Catalog, model_key: str, ids: np.ndarray,
                vectors: np.ndarray) -> int:
    """Give newly indexed photos the learned tags (of this model) they fit; returns the
    number of (photo, tag) rows written."""
    written = 0
    tags = [t for t in store.learned_tags(catalog) if t.model == model_key]
    if not tags or not len(ids):
        return 0
    with catalog.write() as conn:
        for t in tags:
            scores = t.learned.scores(vectors)
            chosen = scores >= t.learned.threshold
            ex = store.examples(catalog, t.tag)
            chosen[np.isin(ids, ex.positive)] = True
            chosen[np.isin(ids, ex.negative)] = False
            store.replace_photos(conn, t.tag, ids[chosen].tolist(),
                                 (scores[chosen] - t.learned.threshold).tolist(),
                                 only=ids.tolist())
            written += int(chosen.sum())
    return written


def relearn_stale(library: Library, model_key: str) -> list[TeachReport]:
    """Relearn the tags learned with another model whose examples have vectors now."""
    reports = []
    for t in store.learned_tags(library.catalog):
        if t.model != model_key:
            try:
                reports.append(relearn(library, model_key, t.tag))
            except NotInLibrary:
                continue            # its examples are not indexed with this model yet
    return reports


class LearnedTagHook:
    """The ``BatchHook`` that gives new photos the learned tags they fit, and relearns
    tags learned with another model once the run is over."""

    def __call__(self, library: Library, encoder: Encoder, ids: np.ndarray,
                 vectors: np.ndarray) -> None:
        apply_batch(library.catalog, encoder.key, ids, vectors)

    def finish(self, library: Library, encoder: Encoder, progress: ProgressFn = noop,
               cancel: threading.Event | None = None) -> None:
        relearn_stale(library, encoder.key)
