"""The k-NN pass of duplicate grouping: each photo's ``k`` nearest neighbours at or above
a cosine floor, as (row, neighbour row) pairs.

- Up to ``EXACT_UP_TO`` photos: **exact**, as blocked matrix products over the stored
  vectors. Only the upper triangle of blocks is computed (a pair found once counts for
  both photos); a block's scores are screened against ``floor - margin``, and the few
  hits get their cosines again in fp32 (the formula ``pairs.ranks`` uses), so the
  answer is fp32 brute force's whatever precision screened it. The products run in bf16
  through torch where the CPU has native bf16 (AVX-512-BF16/AMX) and a probe on this
  machine measured bf16 faster; otherwise numpy fp32. 100k synthetic photos (2-core
  EPYC, bf16): it found all 2,500 pairs at or above the floor, the HNSW index at ef 48
  2,404 of them (96.2 %; 1,920 of the 1,943 planted copies), in 0.8x its CPU time
  (``benchmarks/bench_duplicates.py``).
- Above: the products grow as N² (1M photos: 100x the work of 100k), so the **HNSW
  index** answers, a chunk of photos a call over all of hnswlib's threads.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from functools import cache

import numpy as np

from photosearch.core.duplicates.pairs import Facts
from photosearch.core.index import VectorIndex
from photosearch.core.progress import check

NEIGHBOURS = 12            # k of the k-NN pass
EXACT_UP_TO = 150_000      # photos with vectors up to which the pass is exact
# HNSW search breadth of the k-NN pass: copies sit far closer than ordinary neighbours, so
# a narrow search finds most (10k synthetic photos: ef 48 took 2.4x less CPU than 128 and
# found the same 199/200 planted copies; ef 24 found 198).
NEIGHBOUR_EF = 48
KNN_AT_ONCE = 8192         # photos per HNSW call
ROWS_AT_ONCE = 2048        # the exact pass's blocks: rows ...
COLUMNS_AT_ONCE = 16384    # ... by columns (a bf16 block is 64 MB)
BF16_MARGIN = 0.02         # bf16 scores are off by < 0.01 for unit vectors
FP32_MARGIN = 1e-4
COMPACT_AT = 1 << 22       # directed hits kept before each row is cut to its best k


def neighbour_pairs(facts: Facts, floor: float, open_index: Callable[[], VectorIndex | None],
                    k: int = NEIGHBOURS, cancel: threading.Event | None = None,
                    ) -> tuple[np.ndarray, np.ndarray] | None:
    """(row, neighbour row) for every photo's ``k`` nearest neighbours with cosine ≥
    ``floor``: exact up to ``EXACT_UP_TO`` photos with vectors, else from the index
    (``open_index``, asked only then). None without vectors."""
    if not facts.vectors.shape[1] or not len(facts):
        return None
    has = np.nonzero(facts.vectors.any(axis=1))[0]
    if len(has) <= EXACT_UP_TO:
        return exact_pairs(facts, floor, k, cancel)
    return index_pairs(open_index(), facts, floor, k, cancel)


# -- exact: blocked matrix products ------------------------------------------------------
@cache
def bf16_faster() -> bool:
    """Whether bf16 products beat fp32 here: the CPU has native bf16, torch is present,
    and a product measured in each says so (best of three: ~50 ms once a process, plus
    importing torch where the model has not: 1.5 s). Where bf16 is emulated it runs
    several times slower than fp32; where native, a 100k-photo pass took 54 s of CPU
    against fp32's 84 s (a loaded 2-core EPYC)."""
    from photosearch.core.model import cpu_has_native_bf16

    if not cpu_has_native_bf16():
        return False
    try:
        import torch
    except ImportError:
        return False
    rng = np.random.default_rng(0)
    a = rng.standard_normal((512, 512), dtype=np.float32)
    b = rng.standard_normal((4096, 512), dtype=np.float32)

    def best(fn: Callable[[], object]) -> float:
        fn()
        times = []
        for _ in range(3):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        return min(times)

    ta, tb = torch.from_numpy(a).bfloat16(), torch.from_numpy(b).bfloat16()
    return best(lambda: ta @ tb.T) < best(lambda: a @ b.T)


def exact_pairs(facts: Facts, floor: float, k: int = NEIGHBOURS,
                cancel: threading.Event | None = None, *, bf16: bool | None = None,
                ) -> tuple[np.ndarray, np.ndarray] | None:
    """``neighbour_pairs`` by brute force in blocks (see the module docstring); ``bf16``
    forces the precision of the screening products (tests, benchmarks)."""
    if not facts.vectors.shape[1] or not len(facts):
        return None
    has = np.nonzero(facts.vectors.any(axis=1))[0]
    vectors = np.ascontiguousarray(facts.vectors[has], np.float32)
    use_bf16 = bf16_faster() if bf16 is None else bf16
    product = _bf16_product(vectors) if use_bf16 else _fp32_product(vectors)
    margin = BF16_MARGIN if use_bf16 else FP32_MARGIN
    low = floor - margin
    cap = 4 * k     # hits a row keeps from a block before fp32 decides (screening slack)
    hits = _Hits(k)
    n = len(has)
    for top in range(0, n, ROWS_AT_ONCE):
        check(cancel)
        rows = slice(top, min(n, top + ROWS_AT_ONCE))
        for left in range(top, n, COLUMNS_AT_ONCE):
            cols = slice(left, min(n, left + COLUMNS_AT_ONCE))
            r, c, s = product(rows, cols, low, left == top)
            r += top
            c += left
            a, b = _cap(r, c, s, cap, margin)     # each row's best of this block ...
            b2, a2 = _cap(c, r, s, cap, margin)   # ... and each column's
            a, b = np.concatenate([a, a2]), np.concatenate([b, b2])
            if not len(a):
                continue
            key = np.unique(np.minimum(a, b) * n + np.maximum(a, b))
            lo, hi = key // n, key % n
            cos = np.einsum("ij,ij->i", vectors[lo], vectors[hi])
            ok = cos >= floor
            hits.add(lo[ok], hi[ok], cos[ok])
    a, b = hits.best()
    return has[a].astype(np.int64), has[b].astype(np.int64)


ProductFn = Callable[[slice, slice, float, bool], tuple[np.ndarray, np.ndarray, np.ndarray]]


def _fp32_product(vectors: np.ndarray) -> ProductFn:
    def product(rows: slice, cols: slice, low: float, diagonal: bool,
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        s = vectors[rows] @ vectors[cols].T
        if diagonal:     # the block on the diagonal: its strict upper triangle only
            s[np.tril_indices(s.shape[0], 0, s.shape[1])] = -np.inf
        # a row's maximum first: comparing the whole block cost a third of the product
        hot = np.nonzero(s.max(axis=1) >= low)[0]
        r, c = np.nonzero(s[hot] >= low)
        return hot[r].astype(np.int64), c.astype(np.int64), s[hot[r], c]
    return product


def _bf16_product(vectors: np.ndarray) -> ProductFn:
    import torch

    x = torch.from_numpy(vectors).bfloat16()

    def product(rows: slice, cols: slice, low: float, diagonal: bool,
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        s = x[rows] @ x[cols].T
        if diagonal:
            s.masked_fill_(torch.ones_like(s, dtype=torch.bool).tril_(), float("-inf"))
        hot = torch.nonzero(s.amax(dim=1) >= low).squeeze(1)
        sub = s[hot]
        r, c = torch.nonzero(sub >= low, as_tuple=True)
        return (hot[r].numpy().astype(np.int64), c.numpy().astype(np.int64),
                sub[r, c].float().numpy())
    return product


def _cap(r: np.ndarray, c: np.ndarray, s: np.ndarray, cap: int, slack: float,
         ) -> tuple[np.ndarray, np.ndarray]:
    """The hits (r, c) with about ``cap`` per ``r``, the highest ``s`` of each: a library
    of near-identical pictures stays bounded. Scores within ``slack`` (the screening
    error) of a row's ``cap``-th best are kept too, up to ``8 * cap``, so that fp32
    decides among near-ties that bf16 cannot tell apart. Rare, so cheap when not needed."""
    if not len(r):
        return r, c
    count = np.bincount(r)
    if count.max() <= cap:
        return r, c
    order = np.lexsort((-s, r))
    r, c, s = r[order], c[order], s[order]
    first = np.searchsorted(r, r)
    pos = np.arange(len(r)) - first
    kth = s[first + np.minimum(count[r], cap) - 1]
    keep = (pos < cap) | ((s >= kth - slack) & (pos < 8 * cap))
    return r[keep], c[keep]


class _Hits:
    """Directed (row, neighbour, cosine) hits, cut to each row's best ``k`` now and then
    (bounded memory) and at the end."""

    def __init__(self, k: int) -> None:
        self.k = k
        self.parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self.size = 0

    def add(self, a: np.ndarray, b: np.ndarray, cos: np.ndarray) -> None:
        """A pair counts as a neighbour of each of its photos."""
        self.parts.append((np.concatenate([a, b]), np.concatenate([b, a]),
                           np.concatenate([cos, cos])))
        self.size += 2 * len(a)
        if self.size > COMPACT_AT:
            self.parts = [self._best()]
            self.size = len(self.parts[0][0])

    def _best(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if not self.parts:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32)
        a, b, cos = (np.concatenate(p) for p in zip(*self.parts, strict=True))
        order = np.lexsort((b, -cos, a))       # by row, best first (ties: lower row)
        a, b, cos = a[order], b[order], cos[order]
        keep = np.arange(len(a)) - np.searchsorted(a, a) < self.k
        return a[keep], b[keep], cos[keep]

    def best(self) -> tuple[np.ndarray, np.ndarray]:
        a, b, _ = self._best()
        return a, b


# -- above EXACT_UP_TO: the HNSW index ---------------------------------------------------
def index_pairs(index: VectorIndex | None, facts: Facts, floor: float,
                k: int = NEIGHBOURS, cancel: threading.Event | None = None,
                ) -> tuple[np.ndarray, np.ndarray] | None:
    """``neighbour_pairs`` from the index's approximate neighbours (ef ``NEIGHBOUR_EF``).

    Asked a chunk of photos at a time (hnswlib spreads each chunk over every core), so
    cancelling is heard within seconds and the query copies stay small at 1M photos."""
    if index is None or not facts.vectors.shape[1] or not len(facts):
        return None
    has = np.nonzero(facts.vectors.any(axis=1))[0]
    order = np.argsort(facts.ids)
    sorted_ids = facts.ids[order]
    out_a: list[np.ndarray] = []
    out_b: list[np.ndarray] = []
    for start in range(0, len(has), KNN_AT_ONCE):
        check(cancel)
        rows = has[start:start + KNN_AT_ONCE]
        ids, sims = index.neighbours(facts.vectors[rows], k + 1, ef=NEIGHBOUR_EF)
        pos = np.searchsorted(sorted_ids, ids).clip(0, len(sorted_ids) - 1)
        other = order[pos]
        # compared in float64, as Python floats were
        hit = ((sims.astype(np.float64) >= floor) & (sorted_ids[pos] == ids)
               & (other != rows[:, None]))
        r, c = np.nonzero(hit)
        out_a.append(rows[r])
        out_b.append(other[r, c])
    if not out_a:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(out_a).astype(np.int64), np.concatenate(out_b).astype(np.int64)
