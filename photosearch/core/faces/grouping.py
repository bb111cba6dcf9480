"""Grouping faces into persons incrementally: a new face joins the nearest person.

A person is represented by the mean of its faces' vectors (its centroid). A new face
joins the person whose centroid is nearest, if nearer than ``JOIN_DISTANCE``, and never a
person already holding another face of the same photo; otherwise it starts a person of
its own. Nothing is ever re-clustered: a batch costs one (batch × persons) matrix product,
so grouping 100k faces takes seconds (``benchmarks/bench_faces.py``), and existing
persons, named or not, are never merged by grouping (only the user merges).

``JOIN_DISTANCE``: dlib's vectors of one person lie within 0.6 of each other (Euclidean)
on LFW. On the shared face photos (``datasets/faces``: 26 faces of 7 people plus one
stranger) same-person pairs reach 0.536 and different-person pairs start at 0.659; a
face is nearer to its person's centroid than to its farthest photo, so 0.55 keeps a
margin on both sides (the benchmark prints the figures).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

import numpy as np

from photosearch.core.catalog import Catalog
from photosearch.core.faces import store

JOIN_DISTANCE = 0.55
_NEAREST = 4          # centroids looked at per face (the nearest may hold the same photo)


class Grouper:
    """The persons' centroids in memory for one pass; ``place`` groups new faces and
    writes their persons."""

    def __init__(self, person_ids: np.ndarray, vectors: np.ndarray,
                 threshold: float = JOIN_DISTANCE) -> None:
        self.threshold = threshold
        ids, inverse = np.unique(person_ids, return_inverse=True)
        dim = vectors.shape[1] if vectors.ndim == 2 and vectors.shape[1] else 128
        self.ids = [int(i) for i in ids]
        self.row = {pid: r for r, pid in enumerate(self.ids)}
        self.sums = np.zeros((len(ids), dim), np.float64)
        np.add.at(self.sums, inverse, vectors.astype(np.float64))
        self.counts = np.bincount(inverse, minlength=len(ids)).astype(np.float64)
        self._centroids: np.ndarray | None = None

    @classmethod
    def load(cls, catalog: Catalog, threshold: float = JOIN_DISTANCE) -> Grouper:
        _, person_ids, _, vectors = store.grouping_state(catalog)
        return cls(person_ids, vectors, threshold)

    def centroids(self) -> np.ndarray:
        if self._centroids is None:
            n = len(self.ids)
            self._centroids = (self.sums[:n] / np.maximum(self.counts[:n], 1)[:, None]
                               ).astype(np.float32)
        return self._centroids

    def place(self, conn: sqlite3.Connection, face_ids: Sequence[int],
              photo_ids: Sequence[int], vectors: np.ndarray) -> list[int]:
        """Inside a write: group these new faces (in order) and store their persons;
        returns each face's person id."""
        if not len(face_ids):
            return []
        vectors = np.asarray(vectors, np.float32)
        known = len(self.ids)
        nearest = self._nearest(vectors) if known else None
        out: list[int] = []
        taken: dict[int, set[int]] = {}         # photo -> persons holding a face of it
        for n, photo_id in enumerate(photo_ids):
            v = vectors[n]
            cands = list(nearest[n]) if nearest is not None else []
            cands += range(known, len(self.ids))  # persons begun in this batch
            used = taken.setdefault(int(photo_id), set())
            best, best_d = -1, self.threshold
            for r in cands:
                if r in used:
                    continue
                d = float(np.linalg.norm(self.sums[r] / self.counts[r] - v))
                if d < best_d:
                    best, best_d = r, d
            if best < 0:
                best = self._add(store.new_person(conn), v)
            else:
                self.sums[best] += v
                self.counts[best] += 1
            used.add(best)
            out.append(self.ids[best])
        self._centroids = None
        store.assign(conn, zip(face_ids, out, strict=True))
        return out

    def _nearest(self, vectors: np.ndarray) -> np.ndarray:
        """Rows of the ``_NEAREST`` nearest known centroids of each vector."""
        c = self.centroids()
        d2 = (c * c).sum(1)[None, :] - 2.0 * (vectors @ c.T)
        k = min(_NEAREST, len(c))
        if k == len(c):
            return np.argsort(d2, axis=1)[:, :k]
        return np.argpartition(d2, k - 1, axis=1)[:, :k]

    def _add(self, person_id: int, vector: np.ndarray) -> int:
        """A new person's row (the arrays grow by doubling: a pass may add thousands)."""
        r = len(self.ids)
        if r == len(self.sums):
            grow = max(64, r)
            self.sums = np.vstack([self.sums, np.zeros((grow, self.sums.shape[1]))])
            self.counts = np.concatenate([self.counts, np.zeros(grow)])
        self.ids.append(person_id)
        self.row[person_id] = r
        self.sums[r] = vector
        self.counts[r] = 1.0
        return r
