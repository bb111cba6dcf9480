"""Choosing a photo's tags from its CLIP scores: calibrated, per photo and per tag.

Raw cosine scores are not comparable across photos or across words: some photos score
high against everything, and some words ("photo", "image", "screen") score high on every
photo. One global cut-off therefore gives some photos twenty tags and others none, and
the same few hub words everywhere. So each score is judged twice:

- **per photo**: its z-score within that photo's scores over the whole vocabulary (how
  much this word stands out for this photo);
- **per tag**: its z-score within the word's own scores over a reference set of photos
  (a sample of the library), so a hub word must beat its usual level to be chosen.
  With few reference photos the per-tag mean and spread are shrunk towards the pooled
  ones (a small library says little about each word).

The combined score ``photo_weight * z_photo + tag_weight * z_tag`` decides: words above
``z_min`` are taken best first, at least ``min_tags`` and at most ``max_tags``. A word
whose text embedding is too close to one already taken (cosine of *centred* vectors,
i.e. after removing what every prompt shares) is a near-synonym and is skipped, so a
photo gets "sea" or "ocean", not both. The per-tag weight is kept below the per-photo one
because a library of mostly beaches should still tag its beaches "beach".
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, fields, replace

import numpy as np


@dataclass(frozen=True)
class SelectionParams:
    min_tags: int = 3
    max_tags: int = 10
    # Under a Gaussian null the combined score has sd ~1.1, so 3.5 lets through about
    # two words of 2,000 by chance; real matches of CLIP sit at 4-6. To be tuned with real
    # weights (benchmarks/bench_tags.py prints tags per photo and the hit rate).
    z_min: float = 3.5
    photo_weight: float = 1.0
    tag_weight: float = 0.5
    synonym_cosine: float = 0.8     # on centred text vectors
    prior_photos: float = 50.0      # reference photos worth as much as the pooled prior

    @classmethod
    def from_dict(cls, data: dict[str, float]) -> SelectionParams:
        """From the typed settings' ``tag_selection`` (the user's ``z_min`` and
        ``max_tags``); unknown keys and values that are not numbers are ignored."""
        known = {f.name: f.type for f in fields(cls)}
        values: dict[str, float] = {}
        for k, v in (data.items() if isinstance(data, dict) else ()):
            if k in known and isinstance(v, int | float) and not isinstance(v, bool):
                values[k] = int(v) if known[k] == "int" else float(v)
        return replace(cls(), **values)

    def changed(self) -> dict[str, float]:
        """The fields that differ from the defaults (what a tag state must name)."""
        default = asdict(SelectionParams())
        return {k: v for k, v in asdict(self).items() if v != default[k]}


@dataclass(frozen=True)
class TagStats:
    """Per-tag mean and spread of raw scores over ``n`` reference photos."""

    mean: np.ndarray
    std: np.ndarray
    n: int

    @classmethod
    def from_scores(cls, scores: np.ndarray, prior_photos: float = 50.0) -> TagStats:
        """Stats of a (photos, tags) score matrix, shrunk towards the pooled values."""
        k = scores.shape[1]
        n = scores.shape[0]
        if n == 0:
            return cls(np.zeros(k, np.float32), np.ones(k, np.float32), 0)
        mean, var = scores.mean(axis=0), scores.var(axis=0)
        pooled_mean = float(mean.mean())
        pooled_var = float(scores.var()) or 1.0
        w = n / (n + prior_photos)
        shrunk_mean = w * mean + (1 - w) * pooled_mean
        shrunk_var = w * var + (1 - w) * pooled_var
        return cls(shrunk_mean.astype(np.float32),
                   np.sqrt(shrunk_var).clip(1e-6).astype(np.float32), n)


class Selector:
    """Scores photo vectors against tag vectors and picks each photo's tags."""

    def __init__(self, tag_vectors: np.ndarray, stats: TagStats | None = None,
                 params: SelectionParams | None = None) -> None:
        self.tag_vectors = np.ascontiguousarray(tag_vectors, dtype=np.float32)
        self.params = params or SelectionParams()
        k = len(self.tag_vectors)
        self.stats = stats or TagStats(np.zeros(k, np.float32), np.ones(k, np.float32), 0)
        self._synonyms = near_synonyms(self.tag_vectors, self.params.synonym_cosine)
        self._synonym_keys = np.array(sorted(c * k + o for c, others in self._synonyms.items()
                                             for o in others), np.int64)

    def raw_scores(self, vectors: np.ndarray) -> np.ndarray:
        return np.asarray(vectors, dtype=np.float32) @ self.tag_vectors.T

    def calibrated(self, vectors: np.ndarray) -> np.ndarray:
        """Combined per-photo and per-tag z-scores, shape (photos, tags)."""
        p = self.params
        s = self.raw_scores(vectors)
        # In place, two (photos × tags) arrays at most: this runs over the whole library.
        z = s - s.mean(axis=1, keepdims=True)
        sd = np.sqrt(np.einsum("ij,ij->i", z, z) / max(z.shape[1], 1)).clip(1e-6)
        z *= (p.photo_weight / sd)[:, None]
        if self.stats.n == 0 or p.tag_weight == 0:
            return z
        s -= self.stats.mean
        s *= p.tag_weight / self.stats.std
        z += s
        return z

    def select(self, vectors: np.ndarray) -> list[list[tuple[int, float]]]:
        """For each photo, (tag column, calibrated score) pairs, best first."""
        owner, cols, vals = self.select_flat(vectors)
        bounds = np.searchsorted(owner, np.arange(len(vectors) + 1)).tolist()
        pairs = list(zip(cols.tolist(), vals.tolist(), strict=True))
        return [pairs[bounds[i]:bounds[i + 1]] for i in range(len(vectors))]

    def select_flat(self, vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``select`` as three flat arrays (photo row, tag column, calibrated score),
        grouped by photo, best first within each: a re-tag of 100k photos writes them
        without building a million Python tuples first.

        Most photos fill their tags from the few words above ``z_min``, so only those are
        sorted (a threshold and ``nonzero``: one pass); where no two of a photo's words
        are near-synonyms its tags are simply its best ``max_tags`` of them, taken for all
        such photos at once. The others go word by word (``_pick``), and a photo that gets
        fewer than ``min_tags`` is done again from its best ``width`` words, as all were
        before: the same tags, without a partial sort of every photo's whole row."""
        p = self.params
        n = len(vectors)
        if len(self.tag_vectors) == 0 or n == 0:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32)
        z = self.calibrated(vectors)
        width = min(z.shape[1], max(p.max_tags * 4, 16))
        rows, cols = np.nonzero(z >= p.z_min)
        vals = z[rows, cols]
        order = np.lexsort((-vals, rows))          # by photo, best first within each
        rows, cols, vals = rows[order], cols[order], vals[order]
        pos = np.arange(len(rows)) - np.searchsorted(rows, rows)
        window = pos < width                       # each photo's best ``width`` words
        rows, cols, vals, pos = rows[window], cols[window], vals[window], pos[window]
        count = np.bincount(rows, minlength=n)
        slow = np.zeros(n, bool)
        slow[self._rows_with_synonyms(rows, cols, pos, count)] = True
        if p.max_tags < p.min_tags:                # odd settings: the plain rule for all
            slow[:] = True
        fast = ~slow & (count >= p.min_tags)
        take = fast[rows] & (pos < p.max_tags)
        parts = [(rows[take], cols[take], vals[take])]
        again: list[int] = []
        starts = np.searchsorted(rows, np.arange(n + 1)).tolist()
        for i in np.nonzero(slow & (count > 0))[0].tolist():
            lo, hi = starts[i], starts[i + 1]
            picked = self._pick(cols[lo:hi].tolist(), vals[lo:hi].tolist())
            if len(picked) < p.min_tags and hi - lo < width:
                again.append(i)
            else:
                parts.append(_flat(i, picked))
        again += np.nonzero(count == 0 if p.min_tags > 0 else np.zeros(n, bool))[0].tolist()
        again += np.nonzero(~slow & (count > 0) & (count < p.min_tags))[0].tolist()
        if again:
            again.sort()
            for i, picked in zip(again, self._select_top(z[again], width), strict=True):
                parts.append(_flat(i, picked))
        owner = np.concatenate([r for r, _, _ in parts])
        order = np.argsort(owner, kind="stable")   # each part holds whole photos, in order
        return (owner[order].astype(np.int64),
                np.concatenate([c for _, c, _ in parts])[order].astype(np.int64),
                np.concatenate([v for _, _, v in parts])[order].astype(np.float32))

    def _rows_with_synonyms(self, rows: np.ndarray, cols: np.ndarray, pos: np.ndarray,
                            count: np.ndarray) -> np.ndarray:
        """Photos among whose words (``rows``/``cols``, ``pos`` within each photo) two are
        near-synonyms: only there can a word be skipped."""
        if not len(self._synonym_keys) or not len(rows):
            return np.zeros(0, np.int64)
        later = count[rows] - pos - 1              # each word with every word after it
        first = np.repeat(np.arange(len(rows)), later)
        second = first + 1 + np.arange(len(first)) - np.repeat(np.cumsum(later) - later,
                                                                later)
        k = len(self.tag_vectors)
        hit = np.zeros(len(first), bool)
        for keys in (cols[first] * k + cols[second], cols[second] * k + cols[first]):
            at = np.searchsorted(self._synonym_keys, keys).clip(0, len(self._synonym_keys) - 1)
            hit |= self._synonym_keys[at] == keys
        return np.unique(rows[first[hit]])

    def _select_top(self, z: np.ndarray, width: int) -> list[list[tuple[int, float]]]:
        """The picks of each row of ``z`` among its best ``width`` words."""
        if width < z.shape[1]:
            top = np.argpartition(-z, width - 1, axis=1)[:, :width]
        else:
            top = np.broadcast_to(np.arange(z.shape[1]), z.shape)
        top_z = np.take_along_axis(z, top, axis=1)
        order = np.argsort(-top_z, axis=1)
        cols = np.take_along_axis(top, order, axis=1)
        vals = np.take_along_axis(top_z, order, axis=1)
        return [self._pick(c, v) for c, v in zip(cols.tolist(), vals.tolist(), strict=True)]

    def _pick(self, cols: list[int], vals: list[float]) -> list[tuple[int, float]]:
        p = self.params
        chosen: list[tuple[int, float]] = []
        blocked: set[int] = set()
        for c, v in zip(cols, vals, strict=True):
            if len(chosen) >= p.max_tags or (v < p.z_min and len(chosen) >= p.min_tags):
                break
            if c in blocked:
                continue
            chosen.append((c, v))
            blocked.update(self._synonyms.get(c, ()))
        return chosen


def _flat(row: int, picked: list[tuple[int, float]],
          ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return (np.full(len(picked), row, np.int64), np.array([c for c, _ in picked], np.int64),
            np.array([v for _, v in picked], np.float32))


def near_synonyms(tag_vectors: np.ndarray, threshold: float) -> dict[int, set[int]]:
    """For each tag column, the other columns whose centred text vectors are this close."""
    k = len(tag_vectors)
    if k < 2:
        return {}
    centred = tag_vectors - tag_vectors.mean(axis=0)
    centred /= np.linalg.norm(centred, axis=1, keepdims=True).clip(1e-12)
    out: dict[int, set[int]] = {}
    for start, block in _blocks(centred, 1024):
        sims = block @ centred.T
        rows, cols = np.nonzero(sims >= threshold)
        for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
            if start + r != c:
                out.setdefault(start + r, set()).add(c)
    return out


def _blocks(matrix: np.ndarray, size: int) -> Iterator[tuple[int, np.ndarray]]:
    for start in range(0, len(matrix), size):
        yield start, matrix[start:start + size]
