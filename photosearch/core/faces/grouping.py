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


class Grouper:
    """The persons' centroids in memory for one pass; ``place`` groups new faces and
    writes their persons."""

    def __init__(self, person_ids: np.ndarray, vectors: np.ndarray,
                 threshold: float = JOIN_DISTANCE) -> None:
        self.threshold = threshold
        self._set(person_ids, vectors)

    def _set(self, person_ids: np.ndarray, vectors: np.ndarray) -> None:
        ids, inverse = np.unique(person_ids, return_inverse=True)
        dim = vectors.shape[1] if vectors.ndim == 2 and vectors.shape[1] else 128
        self.ids = [int(i) for i in ids]
        self.row = {pid: r for r, pid in enumerate(self.ids)}
        self.sums = np.zeros((max(64, len(ids)), dim), np.float64)
        np.add.at(self.sums, inverse, vectors.astype(np.float64))
        self.counts = np.zeros(len(self.sums))
        self.counts[:len(ids)] = np.bincount(inverse, minlength=len(ids))
        # the centroids and their squared norms, kept current row by row
        self.cent = (self.sums / np.maximum(self.counts, 1)[:, None]).astype(np.float32)
        self.norms = (self.cent * self.cent).sum(1)

    @classmethod
    def load(cls, catalog: Catalog, threshold: float = JOIN_DISTANCE) -> Grouper:
        _, person_ids, _, vectors = store.grouping_state(catalog)
        return cls(person_ids, vectors, threshold)

    def reload(self, catalog: Catalog) -> None:
        """Start again from the stored faces (after faces were deleted: rare)."""
        _, person_ids, _, vectors = store.grouping_state(catalog)
        self._set(person_ids, vectors)

    def centroids(self) -> np.ndarray:
        return self.cent[:len(self.ids)]

    def place(self, conn: sqlite3.Connection, face_ids: Sequence[int],
              photo_ids: Sequence[int], vectors: np.ndarray) -> list[int]:
        """Inside a write: group these new faces (in order) and store their persons;
        returns each face's person id."""
        if not len(face_ids):
            return []
        vectors = np.asarray(vectors, np.float32)
        known = len(self.ids)
        near = self._within(vectors) if known else [[] for _ in range(len(vectors))]
        out: list[int] = []
        taken: dict[int, set[int]] = {}         # photo -> persons holding a face of it
        for n, photo_id in enumerate(photo_ids):
            v = vectors[n]
            used = taken.setdefault(int(photo_id), set())
            best, best_d = -1, self.threshold
            # known persons near enough (their centroids may have moved a little within
            # this batch: measured again), then persons begun in this batch
            for r in [*near[n], *range(known, len(self.ids))]:
                if r in used:
                    continue
                d = float(np.linalg.norm(self.cent[r] - v))
                if d < best_d:
                    best, best_d = r, d
            if best < 0:
                best = self._add(store.new_person(conn))
            self._join(best, v)
            used.add(best)
            out.append(self.ids[best])
        store.assign(conn, zip(face_ids, out, strict=True))
        return out

    def _within(self, vectors: np.ndarray) -> list[list[int]]:
        """Per vector, the known persons whose centroid lies within reach (a margin over
        the threshold, for centroids that move while the batch is placed)."""
        n = len(self.ids)
        # einsum, not BLAS: a (16 x persons) product is too small for threads, and
        # OpenBLAS's threads on a busy 2-core machine made it 50x slower (measured)
        dots = np.einsum("ij,kj->ik", vectors, self.cent[:n], optimize=False)
        d2 = self.norms[:n][None, :] + (vectors * vectors).sum(1)[:, None] - 2.0 * dots
        reach = (self.threshold * 1.2) ** 2
        return [np.flatnonzero(row < reach).tolist() for row in d2]

    def _join(self, r: int, vector: np.ndarray) -> None:
        self.sums[r] += vector
        self.counts[r] += 1
        self.cent[r] = self.sums[r] / self.counts[r]
        self.norms[r] = float(self.cent[r] @ self.cent[r])

    def _add(self, person_id: int) -> int:
        """A new person's row (the arrays grow by doubling: a pass may add thousands)."""
        r = len(self.ids)
        if r == len(self.sums):
            grow = max(64, r)
            self.sums = np.vstack([self.sums, np.zeros((grow, self.sums.shape[1]))])
            self.counts = np.concatenate([self.counts, np.zeros(grow)])
            self.cent = np.vstack([self.cent, np.zeros((grow, self.cent.shape[1]),
                                                       np.float32)])
            self.norms = np.concatenate([self.norms, np.zeros(grow, np.float32)])
        self.ids.append(person_id)
        self.row[person_id] = r
        return r
