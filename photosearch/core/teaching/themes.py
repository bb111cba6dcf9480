"""Themes: the library grouped by spherical k-means over its stored vectors.

A library nobody has tagged can still be browsed by what is in it. The number of themes
grows with the library (``theme_count``: a few dozen at most). A full clustering runs
when a model has none, or when the library has doubled since the last one; in between,
new photos join their nearest theme as they are indexed (``ThemeHook``) and its centre
moves with them (a running mean), so themes stay current without re-clustering.

A theme is named by the tags most over-represented among its photos (in the UI language:
the vocabulary's labels), shown by its photo nearest the centre, and counted.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass, field

import numpy as np

from photosearch.core.catalog import Catalog
from photosearch.core.catalog.records import live_sql
from photosearch.core.library import Library
from photosearch.core.model import Encoder
from photosearch.core.progress import Progress, ProgressFn, check, noop
from photosearch.core.tagging.vocab import Vocabulary

MAX_THEMES = 40
ITERATIONS = 20
INIT_SAMPLE = 20_000    # k-means++ seeds from a sample: the same centres, far less work
CHUNK = 16_384
LABEL_TAGS = 2
STATE_KEY = "themes.state"


@dataclass
class Theme:
    id: int
    label: str
    count: int
    photos: list[int] = field(default_factory=list)     # nearest the centre first
    tags: list[str] = field(default_factory=list)

    @property
    def representative(self) -> int | None:
        return self.photos[0] if self.photos else None


def theme_count(photos: int) -> int:
    """How many themes a library of ``photos`` gets: ~sqrt(n/10), 2 to ``MAX_THEMES``."""
    if photos < 2:
        return photos
    return int(np.clip(round(np.sqrt(photos / 10)), 2, MAX_THEMES))


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=1, keepdims=True).clip(1e-12)


def _nearest(vectors: np.ndarray, centres: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each vector's nearest centre (by cosine) and its cosine distance, in chunks."""
    labels = np.empty(len(vectors), np.int64)
    dist = np.empty(len(vectors), np.float32)
    for start in range(0, len(vectors), CHUNK):
        sims = vectors[start:start + CHUNK] @ centres.T
        best = sims.argmax(axis=1)
        labels[start:start + CHUNK] = best
        dist[start:start + CHUNK] = 1.0 - sims[np.arange(len(best)), best]
    return labels, dist


def kmeans(vectors: np.ndarray, k: int, *, iterations: int = ITERATIONS, seed: int = 0,
           cancel: threading.Event | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Spherical k-means (unit centres, cosine): (centres, each vector's label)."""
    x = _unit(np.asarray(vectors, np.float32))
    rng = np.random.default_rng(seed)
    sample = x[rng.choice(len(x), min(len(x), INIT_SAMPLE), replace=False)]
    centres = [sample[rng.integers(len(sample))]]
    closest = 1.0 - sample @ centres[0]
    for _ in range(1, k):                       # k-means++: far from the chosen ones
        weights = np.maximum(closest, 0) ** 2
        total = float(weights.sum())
        pick = rng.choice(len(sample), p=weights / total) if total > 0 else rng.integers(
            len(sample))
        centres.append(sample[pick])
        closest = np.minimum(closest, 1.0 - sample @ sample[pick])
    c = np.stack(centres).astype(np.float32)
    labels = np.zeros(len(x), np.int64)
    for _ in range(iterations):
        check(cancel)
        new, _ = _nearest(x, c)
        sums = np.zeros_like(c)
        np.add.at(sums, new, x)
        empty = ~sums.any(axis=1)
        sums[empty] = c[empty]                  # an empty theme keeps its centre
        c = _unit(sums)
        if np.array_equal(new, labels):
            break
        labels = new
    return c, labels


def _set_members(conn: sqlite3.Connection, ids: np.ndarray, members: list[int],
                 dist: np.ndarray) -> None:
    """Each photo of ``ids`` joins its theme of ``members`` at ``dist`` from the centre."""
    conn.executemany(
        "INSERT INTO theme_members(photo_id, theme_id, distance) VALUES (?, ?, ?) "
        "ON CONFLICT(photo_id) DO UPDATE SET theme_id=excluded.theme_id, "
        "distance=excluded.distance",
        zip(ids.tolist(), members, dist.tolist(), strict=True))


def build(library: Library, model_key: str, k: int | None = None, *,
          progress: ProgressFn = noop, cancel: threading.Event | None = None) -> int:
    """Cluster the library's vectors of ``model_key`` afresh; returns the theme count."""
    catalog = library.catalog
    ids, vectors = catalog.vectors(model_key)
    progress(Progress("themes", 0, 1))
    with catalog.write() as conn:
        conn.execute("DELETE FROM themes WHERE model=?", (model_key,))
    k = min(k or theme_count(len(ids)), len(ids))
    if k < 1:
        return 0
    centres, labels = kmeans(vectors, k, cancel=cancel)
    _, dist = _nearest(_unit(vectors), centres)
    sizes = np.bincount(labels, minlength=k)
    with catalog.write() as conn:
        theme_ids = []
        for c, n in zip(centres, sizes.tolist(), strict=True):
            cur = conn.execute("INSERT INTO themes(model, centre, size) VALUES (?, ?, ?)",
                               (model_key, c.astype(np.float32).tobytes(), n))
            theme_ids.append(cur.lastrowid)
        _set_members(conn, ids, [theme_ids[i] for i in labels.tolist()], dist)
        conn.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO "
                     "UPDATE SET value=excluded.value",
                     (STATE_KEY, json.dumps({"model": model_key, "photos": len(ids)})))
    progress(Progress("themes", 1, 1))
    return k


def _centres(catalog: Catalog, model_key: str) -> tuple[list[int], np.ndarray, np.ndarray]:
    rows = catalog.conn.execute("SELECT id, centre, size FROM themes WHERE model=? "
                                "ORDER BY id", (model_key,)).fetchall()
    if not rows:
        return [], np.zeros((0, 0), np.float32), np.zeros(0)
    return ([r[0] for r in rows], np.stack([np.frombuffer(r[1], np.float32) for r in rows]),
            np.array([r[2] for r in rows], np.float64))


def assign(catalog: Catalog, model_key: str, ids: np.ndarray, vectors: np.ndarray) -> int:
    """New photos join their nearest theme, whose centre moves towards them (a running
    mean); returns how many joined (0 when the model has no themes yet)."""
    theme_ids, centres, sizes = _centres(catalog, model_key)
    if not theme_ids or not len(ids):
        return 0
    x = _unit(np.asarray(vectors, np.float32))
    labels, dist = _nearest(x, centres)
    sums = centres * sizes[:, None]
    np.add.at(sums, labels, x)
    sizes = sizes + np.bincount(labels, minlength=len(theme_ids))
    moved = _unit(sums.astype(np.float32))
    with catalog.write() as conn:
        _set_members(conn, ids, [theme_ids[i] for i in labels.tolist()], dist)
        for tid in sorted(set(labels.tolist())):
            conn.execute("UPDATE themes SET centre=?, size=? WHERE id=?",
                         (moved[tid].tobytes(), int(sizes[tid]), theme_ids[tid]))
    return len(ids)


def due(catalog: Catalog, model_key: str) -> bool:
    """Whether the themes of ``model_key`` need a full clustering: none yet (with photos
    to cluster), another model's, or the library has doubled since."""
    photos = len(catalog.vector_ids(model_key))
    if photos < 2:
        return False
    state = json.loads(catalog.get_meta(STATE_KEY) or "{}")
    if state.get("model") != model_key:
        return True
    return photos >= 2 * max(int(state.get("photos", 0)), 1)


def list_themes(library: Library, model_key: str, vocab: Vocabulary,
                lang: str = "en") -> list[Theme]:
    """The model's themes, biggest first, each with its live photos nearest the centre
    first, its label (top tags) and count."""
    catalog = library.catalog
    members: dict[int, list[int]] = {}
    for tid, pid in catalog.conn.execute(
            "SELECT m.theme_id, m.photo_id FROM theme_members m JOIN themes t "
            "ON t.id=m.theme_id JOIN photos p ON p.id=m.photo_id "
            f"WHERE t.model=? AND {live_sql('p')} ORDER BY m.theme_id, m.distance",
            (model_key,)):
        members.setdefault(int(tid), []).append(int(pid))
    tags = _top_tags(catalog, model_key, {t: len(p) for t, p in members.items()})
    themes = []
    for tid, photos in members.items():
        words = tags.get(tid, [])
        label = ", ".join(vocab.label(t, lang) for t in words)
        themes.append(Theme(tid, label, len(photos), photos, words))
    themes.sort(key=lambda t: (-t.count, t.id))
    for n, theme in enumerate(themes, 1):
        theme.label = theme.label or (f"Тема {n}" if lang.startswith("ru") else f"Theme {n}")
    return themes


def _top_tags(catalog: Catalog, model_key: str, sizes: dict[int, int]) -> dict[int, list[str]]:
    """Per theme, the tags by how much more often its photos carry them than the
    library's do (share in the theme minus share in the library), at least a third of
    its photos."""
    total = max(sum(sizes.values()), 1)
    library_share: dict[str, float] = {}
    per_theme: dict[int, list[tuple[str, int]]] = {}
    for tid, tag, n in catalog.conn.execute(
            "SELECT m.theme_id, g.tag, count(*) FROM theme_members m "
            "JOIN themes t ON t.id=m.theme_id JOIN photo_tags g ON g.photo_id=m.photo_id "
            "WHERE t.model=? AND g.removed=0 GROUP BY m.theme_id, g.tag", (model_key,)):
        library_share[tag] = library_share.get(tag, 0) + n / total
        per_theme.setdefault(int(tid), []).append((tag, int(n)))
    out: dict[int, list[str]] = {}
    for tid, rows in per_theme.items():
        size = max(sizes.get(tid, 0), 1)
        ranked = sorted(((n / size - library_share[t], t) for t, n in rows
                         if n * 3 >= size), reverse=True)
        out[tid] = [t for lift, t in ranked[:LABEL_TAGS] if lift > 0]
    return out


def theme_to_tag(library: Library, model_key: str, theme: Theme, name: str,
                 examples: int = 20):
    """Teach the tag ``name`` from the theme's photos nearest its centre."""
    from photosearch.core.teaching.teach import teach

    return teach(library, model_key, name, theme.photos[:examples])


class ThemeHook:
    """The ``BatchHook`` that puts newly indexed photos in their themes, and clusters
    afresh after the run when the library has doubled (or has no themes yet)."""

    def __call__(self, library: Library, encoder: Encoder, ids: np.ndarray,
                 vectors: np.ndarray) -> None:
        assign(library.catalog, encoder.key, ids, vectors)

    def finish(self, library: Library, encoder: Encoder, progress: ProgressFn = noop,
               cancel: threading.Event | None = None) -> None:
        if due(library.catalog, encoder.key):
            build(library, encoder.key, progress=progress, cancel=cancel)
