"""The vector index: hnswlib (cosine) on disk, one per model, rebuilt when in doubt.

The HNSW file is a cache of the vectors the catalog stores: if it is missing, damaged, or
was written by another model, it is rebuilt from the catalog rather than trusted. Saves
are atomic (temp file, fsync, rename) with a JSON sidecar that records the model, the
dimension, the count, the stamp (size, mtime) of the index file, the photo ids (packed
int64, base64: a JSON list of 1M numbers took longer to parse than the rest of an open)
and ``log_seq``, the last catalog vector-log entry the index includes (``Library.
sync_index`` applies only the entries after it).

hnswlib is not safe for a search while an add runs, so one lock guards every call. Adds
are done in small batches, so a query waits at most one batch.
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import hnswlib
import numpy as np

from photosearch.core.atomic import atomic_write_bytes, atomic_write_path
from photosearch.core.errors import IndexCorrupt, disk_full_as_error
from photosearch.core.files import file_digest

INDEX_FILE = "index.hnsw"
SIDECAR_FILE = "index.json"
_M = 16
_EF_CONSTRUCTION = 200
_EF_SEARCH = 128
_INITIAL_CAPACITY = 1024


class VectorIndex:
    """Approximate nearest neighbours over unit vectors, labelled by photo id."""

    def __init__(self, folder: Path, model_key: str, dim: int) -> None:
        self.folder = folder
        self.model_key = model_key
        self.dim = dim
        self._lock = threading.RLock()
        self._index = self._new(_INITIAL_CAPACITY)
        self._live: set[int] = set()
        self._dirty = False
        self._log_seq: int | None = None   # None: unknown, a full comparison decides
        self._seq_dirty = False

    # -- lifecycle ----------------------------------------------------------------------
    @staticmethod
    def _new_raw(dim: int, capacity: int) -> hnswlib.Index:
        index = hnswlib.Index(space="cosine", dim=dim)
        index.init_index(max_elements=capacity, M=_M, ef_construction=_EF_CONSTRUCTION,
                         allow_replace_deleted=False)
        index.set_ef(_EF_SEARCH)
        return index

    def _new(self, capacity: int) -> hnswlib.Index:
        return self._new_raw(self.dim, capacity)

    @classmethod
    def load(cls, folder: Path, model_key: str, dim: int) -> VectorIndex:
        """Open a saved index; raises ``IndexCorrupt`` (or FileNotFoundError) if it cannot
        be trusted, and the caller rebuilds it from the catalog."""
        index_path, sidecar_path = folder / INDEX_FILE, folder / SIDECAR_FILE
        try:
            meta = json.loads(sidecar_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise
        except (OSError, ValueError) as e:
            raise IndexCorrupt(f"unreadable sidecar: {e}") from None
        if meta.get("model") != model_key or meta.get("dim") != dim:
            raise IndexCorrupt("index belongs to another model")
        if "stamp" in meta:
            if _stamp(index_path) != meta["stamp"]:
                raise IndexCorrupt("index file is not the one its sidecar was written for")
        elif _checksum(index_path) != meta.get("checksum"):  # a sidecar from before stamps
            raise IndexCorrupt("index file does not match its checksum")
        self = cls(folder, model_key, dim)
        raw = hnswlib.Index(space="cosine", dim=dim)
        try:
            raw.load_index(str(index_path), max_elements=int(meta["capacity"]))
        except (RuntimeError, ValueError, KeyError) as e:
            raise IndexCorrupt(f"cannot load index: {e}") from None
        raw.set_ef(_EF_SEARCH)
        self._index = raw
        try:
            self._live = (set(np.frombuffer(base64.b64decode(meta["ids"]), "<i8").tolist())
                          if "ids" in meta else set(map(int, meta.get("live", []))))
        except ValueError as e:
            raise IndexCorrupt(f"unreadable ids in the sidecar: {e}") from None
        if len(self._live) != int(meta.get("count", -1)):
            raise IndexCorrupt("index count does not match its sidecar")
        seq = meta.get("log_seq")
        self._log_seq = int(seq) if isinstance(seq, int) else None
        return self

    def save(self) -> None:
        """Write the index and its sidecar atomically (skipped when nothing changed; only
        the sidecar when only ``log_seq`` moved: the index file is 2 GB at 1M photos)."""
        with self._lock:
            index_path = self.folder / INDEX_FILE
            if self._dirty or not index_path.exists():
                with disk_full_as_error(self.folder):
                    atomic_write_path(index_path,
                                      lambda tmp: self._index.save_index(str(tmp)))
            elif not self._seq_dirty:
                return
            ids = self.id_array()
            meta = {
                "model": self.model_key, "dim": self.dim, "count": len(ids),
                "capacity": self._index.get_max_elements(),
                "stamp": _stamp(index_path), "log_seq": self._log_seq,
                "ids": base64.b64encode(ids.astype("<i8").tobytes()).decode("ascii"),
            }
            with disk_full_as_error(self.folder):
                atomic_write_bytes(self.folder / SIDECAR_FILE,
                                   json.dumps(meta).encode("utf-8"))
            self._dirty = self._seq_dirty = False

    @property
    def log_seq(self) -> int | None:
        """The last catalog vector-log entry this index includes (None: unknown)."""
        return self._log_seq

    def caught_up(self, seq: int) -> None:
        """Record that the index now includes every catalog change up to ``seq``."""
        with self._lock:
            if seq != self._log_seq:
                self._log_seq = seq
                self._seq_dirty = True

    # -- contents -----------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._live)

    def __contains__(self, photo_id: int) -> bool:
        return int(photo_id) in self._live

    @property
    def ids(self) -> set[int]:
        with self._lock:
            return set(self._live)

    def id_array(self) -> np.ndarray:
        """The live ids, sorted (int64): to compare with the catalog's at numpy speed."""
        with self._lock:
            out = np.fromiter(self._live, np.int64, len(self._live))
        out.sort()
        return out

    def add(self, ids: Sequence[int] | np.ndarray, vectors: np.ndarray,
            threads: int = 1) -> None:
        """Add vectors, or replace those of known ids (hnswlib updates a label in place and
        revives it if it was deleted); capacity grows as needed."""
        ids = np.asarray(ids, dtype=np.int64)
        if len(ids) == 0:
            return
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        with self._lock:
            needed = self._index.get_current_count() + len(ids)
            capacity = self._index.get_max_elements()
            if needed > capacity:
                self._index.resize_index(max(needed, capacity * 2))
            self._index.add_items(vectors, ids, num_threads=threads)
            self._live.update(ids.tolist())
            self._dirty = True

    def remove(self, ids: Sequence[int]) -> None:
        with self._lock:
            for i in ids:
                i = int(i)
                if i in self._live:
                    self._index.mark_deleted(i)
                    self._live.discard(i)
                    self._dirty = True

    def vectors(self, ids: Sequence[int]) -> np.ndarray:
        with self._lock:
            return np.asarray(self._index.get_items(list(ids)), dtype=np.float32)

    def sample(self, n: int) -> np.ndarray:
        """Up to ``n`` unit vectors spread evenly over the index (deterministic): enough to
        know how a query scores over the whole library (core/relevance.py)."""
        with self._lock:
            ids = sorted(self._live)
            if len(ids) > n:
                ids = ids[::len(ids) // n][:n]
            if not ids:
                return np.zeros((0, self.dim), np.float32)
            vecs = np.asarray(self._index.get_items(ids), dtype=np.float32)
        return vecs / np.linalg.norm(vecs, axis=1, keepdims=True).clip(1e-12)

    # -- queries ------------------------------------------------------------------------
    def search(self, vector: np.ndarray, k: int,
               allow: Callable[[int], bool] | None = None) -> list[tuple[int, float]]:
        """The ``k`` nearest live photos as (id, cosine similarity), best first.

        ``k`` may exceed the number of photos; ``allow`` filters labels (e.g. a folder)."""
        q = np.asarray(vector, dtype=np.float32).reshape(1, -1)
        with self._lock:
            k = min(k, len(self._live))
            if k <= 0:
                return []
            self._index.set_ef(max(_EF_SEARCH, k))
            try:
                labels, dists = self._index.knn_query(q, k=k, filter=allow)
            except RuntimeError:
                # Too few elements pass the filter for a full answer: ask exactly.
                return self._exact(q[0], k, allow)
        return [(int(i), float(1.0 - d)) for i, d in zip(labels[0], dists[0], strict=True)]

    def search_many(self, vectors: np.ndarray, k: int, threads: int = -1,
                    ef: int = _EF_SEARCH) -> list[list[tuple[int, float]]]:
        """``search`` for many vectors in one call (duplicate grouping asks for the
        neighbours of every photo; one batched call uses all cores and skips per-query
        overhead). ``ef``: HNSW's search breadth; near copies sit so close that a small
        one finds them (ef 48 costs 2.5x less than 128 and found the same planted copies,
        ``benchmarks/bench_duplicates.py``)."""
        q = np.ascontiguousarray(vectors, dtype=np.float32).reshape(-1, self.dim)
        with self._lock:
            k = min(k, len(self._live))
            if k <= 0 or not len(q):
                return [[] for _ in range(len(q))]
            self._index.set_ef(max(ef, k))
            try:
                labels, dists = self._index.knn_query(q, k=k, num_threads=threads)
            except RuntimeError:  # too few reachable live elements: one by one, exactly
                return [self._exact(v, k, None) for v in q]
            finally:
                self._index.set_ef(_EF_SEARCH)
        return [[(int(i), float(1.0 - d)) for i, d in zip(row_l, row_d, strict=True)]
                for row_l, row_d in zip(labels, dists, strict=True)]

    def neighbours(self, vectors: np.ndarray, k: int, threads: int = -1,
                   ef: int = _EF_SEARCH) -> tuple[np.ndarray, np.ndarray]:
        """``search_many`` as arrays: (ids int64, cosines float32), both (len(vectors), k),
        best first; rows with fewer than ``k`` answers end in id -1 and cosine -inf.
        Duplicate grouping asks this for every photo: 1.2M Python tuples at 100k
        photos cost more than the search did."""
        q = np.ascontiguousarray(vectors, dtype=np.float32).reshape(-1, self.dim)
        with self._lock:
            kk = min(k, len(self._live))
            ids = np.full((len(q), k), -1, np.int64)
            sims = np.full((len(q), k), -np.inf, np.float32)
            if kk <= 0 or not len(q):
                return ids, sims
            self._index.set_ef(max(ef, kk))
            try:
                labels, dists = self._index.knn_query(q, k=kk, num_threads=threads)
            except RuntimeError:  # too few reachable live elements: one by one, exactly
                for n, v in enumerate(q):
                    hits = self._exact(v, kk, None)
                    ids[n, :len(hits)] = [i for i, _ in hits]
                    sims[n, :len(hits)] = [s for _, s in hits]
                return ids, sims
            finally:
                self._index.set_ef(_EF_SEARCH)
        ids[:, :kk] = labels.astype(np.int64)
        sims[:, :kk] = 1.0 - dists
        return ids, sims

    def _exact(self, q: np.ndarray, k: int,
               allow: Callable[[int], bool] | None) -> list[tuple[int, float]]:
        ids = [i for i in self._live if allow is None or allow(i)]
        if not ids:
            return []
        vecs = np.asarray(self._index.get_items(ids), dtype=np.float32)
        vecs /= np.linalg.norm(vecs, axis=1, keepdims=True).clip(1e-12)
        sims = vecs @ (q / max(np.linalg.norm(q), 1e-12))
        order = np.argsort(-sims)[:k]
        return [(ids[i], float(sims[i])) for i in order]


def _stamp(path: Path) -> list[int] | None:
    """Size and modification time of the index file: which file the sidecar describes.
    (A checksum read the whole file, seconds at 1M photos, on every open; a file cut
    short or replaced changes its stamp, and hnswlib refuses a malformed one.)"""
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def _checksum(path: Path) -> str | None:
    try:
        return file_digest(path, hashlib.sha256)
    except OSError:
        return None


def build(folder: Path, model_key: str, dim: int, ids: np.ndarray, vectors: np.ndarray,
          ) -> VectorIndex:
    """A fresh index holding exactly ``ids``/``vectors``."""
    return build_from(folder, model_key, dim, [(ids, vectors)], len(ids))


def build_from(folder: Path, model_key: str, dim: int,
               batches: Iterable[tuple[np.ndarray, np.ndarray]], expected: int,
               ) -> VectorIndex:
    """A fresh index from ``(ids, vectors)`` batches (to rebuild from the catalog a
    batch at a time: the index is the only full copy of the vectors in memory).
    ``expected``: about how many vectors come, to size the index once; all cores add."""
    index = VectorIndex(folder, model_key, dim)
    if expected:
        index._index = index._new(max(_INITIAL_CAPACITY, int(expected * 1.25)))
    for ids, vectors in batches:
        index.add(ids, vectors, threads=-1)
    index._dirty = True
    return index
